//! Zero heap allocations per optimizer step (and per Newton / L-BFGS / line-search step) for
//! static sizes, measured with a counting global allocator (per thread, so tests can run in
//! parallel).

use crate::counting_alloc;

use counting_alloc::allocations;

use dualgrad::optim::{
    AdagradConfig, AdamConfig, Armijo, Clipped, Cosine, EpsPlacement, Lbfgs, LineSearch,
    MomentumForm, Newton, NewtonCg, Optimizer, RmspropConfig, SecondOrderStep, SgdConfig, Warmup,
    clip_by_global_norm,
};
use dualgrad::optim::{StopRules, minimize};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::SVector;

const N: usize = 6;

fn grad_of(x: &SVector<f64, N>) -> SVector<f64, N> {
    // ∇ of Σ (i + 1) xᵢ² / 2
    SVector::from_fn(|i, _| (i + 1) as f64 * x[i])
}

fn steps_allocate_nothing<O: Optimizer<N>>(name: &str, mut opt: O) {
    let mut x = SVector::<f64, N>::repeat(1.0);
    let n = allocations(|| {
        for _ in 0..1000 {
            let g = grad_of(&x);
            opt.step(&mut x, &g);
        }
        opt.reset();
        let g = grad_of(&x);
        opt.step(&mut x, &g);
    });
    assert_eq!(n, 0, "{name}: {n} allocations in 1001 steps");
    assert!(x.iter().all(|v| v.is_finite()));
}

#[test]
fn first_order_steps_allocate_nothing() {
    let schedule = Warmup::new(0.0, 10, Cosine::new(0.01, 0.0, 500).unwrap()).unwrap();
    steps_allocate_nothing(
        "sgd",
        SgdConfig::default()
            .with_lr(0.1)
            .with_momentum(0.9)
            .with_nesterov(true)
            .with_weight_decay(0.01)
            .build()
            .unwrap(),
    );
    steps_allocate_nothing(
        "sgd averaged + schedule",
        SgdConfig::default()
            .with_schedule(schedule)
            .with_momentum(0.9)
            .with_momentum_form(MomentumForm::Averaged)
            .build()
            .unwrap(),
    );
    steps_allocate_nothing(
        "adagrad",
        AdagradConfig::default()
            .with_lr_decay(0.01)
            .with_eps_placement(EpsPlacement::InsideSqrt)
            .build()
            .unwrap(),
    );
    steps_allocate_nothing(
        "rmsprop",
        RmspropConfig::default()
            .with_centered(true)
            .with_momentum(0.9)
            .build()
            .unwrap(),
    );
    steps_allocate_nothing(
        "adam",
        AdamConfig::default()
            .with_schedule(schedule)
            .with_amsgrad(true)
            .build()
            .unwrap(),
    );
    steps_allocate_nothing("adamw", AdamConfig::adamw().build().unwrap());
    steps_allocate_nothing(
        "clipped adam",
        Clipped::new(AdamConfig::default().build().unwrap(), 1.0).unwrap(),
    );
    let mut g = SVector::<f64, N>::repeat(3.0);
    assert_eq!(
        allocations(|| assert!(clip_by_global_norm(&mut g, 1.0).is_ok())),
        0
    );
}

/// Σ (xᵢ − 1)² + Σ (xᵢ₊₁ − xᵢ²)² : a chained Rosenbrock-like function of N variables.
struct Chain;
impl ScalarFn<N> for Chain {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        let mut s = T::lift(0.0);
        for i in 0..N {
            s += (x[i] - 1.0).powi(2);
            if i + 1 < N {
                s += (x[i + 1] - x[i] * x[i]).powi(2);
            }
        }
        s
    }
}

#[test]
fn second_order_pieces_allocate_nothing() {
    let x = SVector::<f64, N>::repeat(0.5);
    let (f, g, h) = Chain.hessian(&x);
    let mut newton = Newton::default();
    let mut lbfgs = Lbfgs::<N, 4>::default();
    let n = allocations(|| {
        let d = newton.direction(&g, &h);
        let r = Armijo::default().search(|y| Chain.value(y), &x, f, g.dot(&d), &d);
        assert!(r.accepted);
        for k in 0..10 {
            let s = SVector::<f64, N>::repeat(0.1 * (k + 1) as f64);
            lbfgs.update(&s, &(s * 2.0));
        }
        let d = lbfgs.direction(&g);
        assert!(g.dot(&d) < 0.0);
    });
    assert_eq!(n, 0);
}

#[test]
fn minimize_allocates_only_its_history() {
    let rules = StopRules::default().with_grad_tol(1e-10);
    let x0 = SVector::<f64, N>::zeros();
    for (name, count) in [
        (
            "newton",
            allocations(|| {
                let r = minimize(&Chain, x0, &mut Newton::default(), &rules, |_| {}).unwrap();
                assert!(r.iterations > 3);
            }),
        ),
        (
            "newton-cg",
            allocations(|| {
                let r = minimize(&Chain, x0, &mut NewtonCg::default(), &rules, |_| {}).unwrap();
                assert!(r.iterations > 3);
            }),
        ),
        (
            "lbfgs",
            allocations(|| {
                let r =
                    minimize(&Chain, x0, &mut Lbfgs::<N, 5>::default(), &rules, |_| {}).unwrap();
                assert!(r.iterations > 10);
            }),
        ),
        (
            "adam, 3000 iterations",
            allocations(|| {
                let mut adam = AdamConfig::default().with_lr(0.01).build().unwrap();
                let rules = rules.without_grad_tol().with_max_iterations(3000);
                let r = minimize(&Chain, x0, &mut adam, &rules, |_| {}).unwrap();
                assert_eq!(r.iterations, 3000);
            }),
        ),
    ] {
        // Newton also keeps its Hessian in storage allocated once (on the heap, so that the
        // method stays small at any N)
        let expected = if name == "newton" { 2 } else { 1 };
        assert_eq!(
            count, expected,
            "{name}: {count} allocations (the history is one)"
        );
    }
}
