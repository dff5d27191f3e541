//! Convergence: every first-order optimizer on a convex quadratic; Newton and L-BFGS on
//! Rosenbrock from (−1.2, 1); the Newton safeguard; hyperparameter validation.

use dualgrad::optim::{
    AdagradConfig, AdamConfig, Armijo, Clipped, EpsPlacement, Exponential, Lbfgs, MomentumForm,
    Newton, NewtonDirection, OptimError, RmspropConfig, SecondOrderStep, SgdConfig,
};
use dualgrad::optim::{Method, Report, StopReason, StopRules, minimize};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::{SMatrix, SVector};

/// f(x) = ½ xᵀAx − bᵀx with A = [[3, 1], [1, 2]], b = (1, −1): minimiser A⁻¹b = (0.6, −0.8).
struct Quadratic;
impl ScalarFn<2> for Quadratic {
    fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
        (x[0] * x[0] * 3.0 + x[0] * x[1] * 2.0 + x[1] * x[1] * 2.0) * 0.5 - x[0] + x[1]
    }
}
const X_STAR: [f64; 2] = [0.6, -0.8];
const X0: [f64; 2] = [2.0, 1.5];

/// Rosenbrock: (1 − x)² + 100(y − x²)², minimiser (1, 1).
struct Rosenbrock;
impl ScalarFn<2> for Rosenbrock {
    fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
        (-x[0] + 1.0).powi(2) + (x[1] - x[0] * x[0]).powi(2) * 100.0
    }
}

fn run<M: Method<2>>(mut method: M, iterations: usize) -> Report<2> {
    let rules = StopRules::default()
        .with_grad_tol(1e-10)
        .with_max_iterations(iterations);
    minimize(&Quadratic, SVector::from(X0), &mut method, &rules, |_| {}).unwrap()
}

fn assert_converged(name: &str, r: &Report<2>) {
    let err = (r.params - SVector::from(X_STAR)).norm();
    assert!(
        err <= 1e-6,
        "{name}: {r}\n  ended at {:?}, {err:e} from the minimiser",
        r.params
    );
    eprintln!(
        "{name:>28}: {:>6} iterations, error {err:.1e}",
        r.iterations
    );
}

#[test]
fn sgd_family_converges_on_the_quadratic() {
    let sgd = SgdConfig::default();
    assert_converged("sgd", &run(sgd.with_lr(0.3).build().unwrap(), 2000));
    let cases = [
        ("sgd momentum", sgd.with_lr(0.05).with_momentum(0.9)),
        (
            "sgd momentum dampening",
            sgd.with_lr(0.1).with_momentum(0.5).with_dampening(0.5),
        ),
        (
            "sgd nesterov",
            sgd.with_lr(0.05).with_momentum(0.9).with_nesterov(true),
        ),
        (
            "sgd averaged momentum",
            sgd.with_lr(0.3)
                .with_momentum(0.9)
                .with_momentum_form(MomentumForm::Averaged),
        ),
        (
            "sgd averaged nesterov",
            sgd.with_lr(0.3)
                .with_momentum(0.9)
                .with_nesterov(true)
                .with_momentum_form(MomentumForm::Averaged),
        ),
    ];
    for (name, cfg) in cases {
        assert_converged(name, &run(cfg.build().unwrap(), 2000));
    }
    let decayed = sgd.with_schedule(Exponential::new(0.3, 0.999).unwrap());
    assert_converged("sgd exponential", &run(decayed.build().unwrap(), 2000));
    let clipped = Clipped::new(sgd.with_lr(0.3).build::<2>().unwrap(), 0.5).unwrap();
    assert_converged("sgd clipped", &run(clipped, 2000));
}

#[test]
fn coupled_weight_decay_converges_to_the_regularised_minimiser() {
    // With weight decay λ, SGD minimises f + ½λ‖x‖²: (A + λI) x = b.
    let lambda = 0.5;
    let a = SMatrix::<f64, 2, 2>::new(3.0 + lambda, 1.0, 1.0, 2.0 + lambda);
    let want = a.lu().solve(&SVector::from([1.0, -1.0])).unwrap();
    let opt = SgdConfig::default()
        .with_lr(0.2)
        .with_momentum(0.5)
        .with_weight_decay(lambda)
        .build()
        .unwrap();
    let rules = StopRules::default()
        .without_grad_tol()
        .with_max_iterations(500);
    let mut opt = opt;
    let r = minimize(&Quadratic, SVector::from(X0), &mut opt, &rules, |_| {}).unwrap();
    assert!(
        (r.params - want).norm() < 1e-10,
        "{:?} vs {want:?}",
        r.params
    );
}

#[test]
fn adaptive_optimizers_converge_on_the_quadratic() {
    let adagrad = AdagradConfig::default();
    assert_converged("adagrad", &run(adagrad.with_lr(0.5).build().unwrap(), 5000));
    assert_converged(
        "adagrad seed",
        &run(
            adagrad
                .with_lr(0.5)
                .with_eps(1e-8)
                .with_eps_placement(EpsPlacement::InsideSqrt)
                .build()
                .unwrap(),
            5000,
        ),
    );
    assert_converged(
        "adagrad optax",
        &run(
            adagrad
                .with_lr(0.5)
                .with_eps(1e-7)
                .with_initial_accumulator_value(0.1)
                .with_eps_placement(EpsPlacement::InsideSqrt)
                .build()
                .unwrap(),
            5000,
        ),
    );
    let rms = RmspropConfig::default().with_lr(0.01);
    assert_converged("rmsprop", &run(rms.build().unwrap(), 5000));
    assert_converged(
        "rmsprop centered momentum",
        &run(
            rms.with_centered(true).with_momentum(0.5).build().unwrap(),
            5000,
        ),
    );
    // With α = 0.9 and a constant rate 0.01 RMSprop ends in a small cycle (about 1e-4 from the
    // minimiser after 5000 steps): the rate needs to decay.
    let decayed = RmspropConfig::default().with_schedule(Exponential::new(0.05, 0.995).unwrap());
    assert_converged(
        "rmsprop seed (α = 0.9)",
        &run(
            decayed
                .with_alpha(0.9)
                .with_eps_placement(EpsPlacement::InsideSqrt)
                .build()
                .unwrap(),
            5000,
        ),
    );
    let adam = AdamConfig::default().with_lr(0.01);
    assert_converged("adam", &run(adam.build().unwrap(), 5000));
    let decayed = adam.with_schedule(Exponential::new(0.1, 0.995).unwrap());
    assert_converged("adam exponential", &run(decayed.build().unwrap(), 5000));
    assert_converged(
        "amsgrad",
        &run(adam.with_amsgrad(true).build().unwrap(), 5000),
    );
    assert_converged(
        "adamw (λ = 0)",
        &run(adam.with_decoupled_weight_decay(0.0).build().unwrap(), 5000),
    );
}

fn rosenbrock<M: Method<2>>(mut method: M) -> Report<2> {
    let rules = StopRules::default()
        .with_grad_tol(1e-11)
        .with_max_iterations(1000);
    minimize(
        &Rosenbrock,
        SVector::from([-1.2, 1.0]),
        &mut method,
        &rules,
        |_| {},
    )
    .unwrap()
}

#[test]
fn newton_solves_rosenbrock_in_under_50_iterations() {
    let r = rosenbrock(Newton::default());
    let err = (r.params - SVector::from([1.0, 1.0])).norm();
    eprintln!("Newton: {r}; error {err:.1e}");
    assert!(
        matches!(r.stop, StopReason::GradientTolerance { .. }),
        "{r}"
    );
    assert!(err <= 1e-10, "{r}: error {err:e}");
    assert!(r.iterations < 50, "{r}");
    assert_eq!(r.evals.hessian, r.iterations + 1); // one per iterate, the start included
    // The loss history of a line-search method never increases.
    assert!(r.history.windows(2).all(|w| w[1] <= w[0]));
}

#[test]
fn lbfgs_solves_rosenbrock_in_under_100_iterations() {
    let r = rosenbrock(Lbfgs::<2, 5>::default());
    let err = (r.params - SVector::from([1.0, 1.0])).norm();
    eprintln!("L-BFGS(m = 5): {r}; error {err:.1e}");
    assert!(
        matches!(r.stop, StopReason::GradientTolerance { .. }),
        "{r}"
    );
    assert!(err <= 1e-10, "{r}: error {err:e}");
    assert!(r.iterations < 100, "{r}");
    assert_eq!(r.evals.hessian, 0);
    assert!(r.history.windows(2).all(|w| w[1] <= w[0]));
    // Other memories work too.
    for r in [
        rosenbrock(Lbfgs::<2, 1>::default()),
        rosenbrock(Lbfgs::<2, 10>::default()),
    ] {
        assert!(
            (r.params - SVector::from([1.0, 1.0])).norm() <= 1e-10,
            "{r}"
        );
    }
}

#[test]
fn newton_on_a_quadratic_takes_one_step() {
    let r = run(Newton::default(), 10);
    assert_eq!(r.iterations, 1, "{r}");
    assert!((r.params - SVector::from(X_STAR)).norm() < 1e-14);
}

/// f = x⁴/4 − x²/2 + y²: a saddle at the origin (H = diag(−1, 2)), minima at (±1, 0).
struct DoubleWell;
impl ScalarFn<2> for DoubleWell {
    fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
        x[0].powi(4) * 0.25 - x[0] * x[0] * 0.5 + x[1] * x[1]
    }
}

#[test]
fn newton_safeguard_escapes_where_the_hessian_is_indefinite() {
    // Near the saddle the pure Newton step would go uphill toward it; the damped step descends.
    let mut newton = Newton::default();
    let x0 = SVector::from([0.1, 0.5]);
    let (_, g, h) = DoubleWell.hessian(&x0);
    assert!(
        h.cholesky().is_none(),
        "the Hessian should be indefinite here"
    );
    let d = newton.direction(&g, &h);
    assert!(matches!(
        newton.last_direction(),
        NewtonDirection::Damped(_)
    ));
    assert!(g.dot(&d) < 0.0);
    let rules = StopRules::default().with_grad_tol(1e-12);
    let r = minimize(&DoubleWell, x0, &mut Newton::default(), &rules, |_| {}).unwrap();
    assert!(
        (r.params - SVector::from([1.0, 0.0])).norm() < 1e-10,
        "{r}: {:?}",
        r.params
    );
    // A Hessian that no damping up to the limit can fix (NaN) falls back to −g.
    let nan = SMatrix::<f64, 2, 2>::repeat(f64::NAN);
    let d = newton.direction(&SVector::from([1.0, 2.0]), &nan);
    assert_eq!(d, SVector::from([-1.0, -2.0]));
    assert_eq!(newton.last_direction(), NewtonDirection::Gradient);
}

#[test]
fn a_hopeless_line_search_is_reported() {
    // A function whose values are NaN on the side of the minimum: every trial is rejected.
    struct Cliff;
    impl ScalarFn<1> for Cliff {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            // x² for x >= 1, NaN below: any step toward the minimum lands on NaN.
            if x[0].re() >= 1.0 {
                x[0] * x[0]
            } else {
                T::lift(f64::NAN)
            }
        }
    }
    let mut newton = Newton::default().with_line_search(Armijo::new(1e-4, 0.5, 5).unwrap());
    let r = minimize(
        &Cliff,
        SVector::from([1.0]),
        &mut newton,
        &StopRules::default(),
        |_| {},
    )
    .unwrap();
    assert_eq!(r.stop, StopReason::LineSearchFailed);
    assert_eq!(r.params, SVector::from([1.0]));
    assert_eq!(r.evals.function, 1 + 1 + 5); // start, Hessian at the start, five trials
}

#[test]
fn bad_hyperparameters_are_errors_naming_the_value() {
    assert_eq!(
        SgdConfig::default().with_lr(-1.0).build::<2>().unwrap_err(),
        OptimError::InvalidLearningRate(-1.0)
    );
    let nan_lr = AdamConfig::default()
        .with_lr(f64::NAN)
        .build::<2>()
        .unwrap_err();
    assert!(matches!(nan_lr, OptimError::InvalidLearningRate(v) if v.is_nan()));
    assert_eq!(
        AdamConfig::default()
            .with_betas(0.9, 1.0)
            .build::<2>()
            .unwrap_err(),
        OptimError::InvalidBeta {
            name: "beta2",
            value: 1.0
        }
    );
    assert_eq!(
        AdamConfig::default()
            .with_betas(1.5, 0.99)
            .build::<2>()
            .unwrap_err(),
        OptimError::InvalidBeta {
            name: "beta1",
            value: 1.5
        }
    );
    assert_eq!(
        RmspropConfig::default()
            .with_eps(0.0)
            .build::<2>()
            .unwrap_err(),
        OptimError::InvalidEps(0.0)
    );
    assert_eq!(
        AdagradConfig::default()
            .with_eps(-1e-10)
            .build::<2>()
            .unwrap_err(),
        OptimError::InvalidEps(-1e-10)
    );
    assert_eq!(
        SgdConfig::default()
            .with_nesterov(true)
            .build::<2>()
            .unwrap_err(),
        OptimError::NesterovWithoutMomentum
    );
    assert_eq!(
        SgdConfig::default()
            .with_momentum(0.9)
            .with_dampening(0.1)
            .with_nesterov(true)
            .build::<2>()
            .unwrap_err(),
        OptimError::NesterovWithDampening(0.1)
    );
    let averaged = SgdConfig::default()
        .with_momentum(0.9)
        .with_dampening(0.1)
        .with_momentum_form(MomentumForm::Averaged);
    assert!(averaged.build::<2>().is_err());
    assert!(
        SgdConfig::default()
            .with_weight_decay(f64::NAN)
            .build::<2>()
            .is_err()
    );
    // Messages name the value.
    let msg = RmspropConfig::default()
        .with_alpha(-0.2)
        .build::<2>()
        .unwrap_err()
        .to_string();
    assert_eq!(msg, "invalid alpha = -0.2: must lie in [0, 1)");
    assert_eq!(
        SgdConfig::default()
            .with_nesterov(true)
            .build::<2>()
            .unwrap_err()
            .to_string(),
        "Nesterov momentum needs a momentum > 0, got 0"
    );
    // The defaults are valid and are PyTorch's.
    assert!(SgdConfig::default().build::<2>().is_ok());
    assert!(AdagradConfig::default().build::<2>().is_ok());
    assert!(RmspropConfig::default().build::<2>().is_ok());
    assert!(AdamConfig::default().build::<2>().is_ok());
    assert!(AdamConfig::adamw().build::<2>().is_ok());
}

/// `Σ ½ (i + 1)(xᵢ − 1)² + ¼ Σ (xᵢ − xᵢ₊₁)²` in 200 variables: a convex quadratic whose minimum
/// is `x = 1` (every term vanishes there), so Newton's method reaches it in one step.
struct WideBowl;
impl ScalarFn<200> for WideBowl {
    fn eval<T: Scalar>(&self, x: &SVector<T, 200>) -> T {
        let mut s = T::zero();
        for i in 0..200 {
            s += (x[i] - 1.0).powi(2) * (0.5 * (i + 1) as f64);
            if i + 1 < 200 {
                s += (x[i] - x[i + 1]).powi(2) * 0.25;
            }
        }
        s
    }
}

/// Newton's method at `N = 200` (a 313 KiB Hessian) in a debug build inside a 2 MiB thread:
/// its Hessian, factorisations and shifted copies live on the heap above 64 KiB, so nothing
/// `N × N` is on the stack.
#[test]
fn newton_at_n_200_runs_in_a_2_mib_thread() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let x0 = SVector::<f64, 200>::from_fn(|i, _| (i as f64).sin());
            let rules = StopRules::default().with_grad_tol(1e-9);
            let r = minimize(&WideBowl, x0, &mut Newton::default(), &rules, |_| {}).unwrap();
            assert!(r.stop.converged(), "{:?}", r.stop);
            assert!(r.iterations <= 2, "{} iterations", r.iterations);
            let worst = r.params.iter().map(|v| (v - 1.0).abs()).fold(0.0, f64::max);
            assert!(worst < 1e-12, "|x − 1| = {worst:e}");
        })
        .unwrap()
        .join()
        .unwrap();
}
