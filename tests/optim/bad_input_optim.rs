//! Bad inputs to the minimisers: saddle points for every method that can stop at a stationary
//! point, L-BFGS's strong Wolfe search where the curvature condition cannot be met, and the
//! optimizers' configurations. Each case asserts the documented result or the error's text.

use dualgrad::optim::{
    Armijo, Lbfgs, Newton, NewtonCg, OptimError, RmspropConfig, SgdConfig, StopReason, StopRules,
    StrongWolfe, minimize,
};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::SVector;

/// `x⁴/4 − x²/2 + y²/2`: minima at `(±1, 0)`, a saddle at the origin (Hessian `diag(−1, 1)`).
struct DoubleWell;
impl ScalarFn<2> for DoubleWell {
    fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
        let (x, y) = (v[0], v[1]);
        x.powi(4) * 0.25 - x * x * 0.5 + y * y * 0.5
    }
}

/// `−x² + y²`: unbounded below along `x`.
struct Unbounded;
impl ScalarFn<2> for Unbounded {
    fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
        -(v[0] * v[0]) + v[1] * v[1]
    }
}

/// `(x − 1)² + |y|`: minimum 0 at `(1, 0)`, a kink along `y = 0`.
struct Kink;
impl ScalarFn<2> for Kink {
    fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
        (v[0] - 1.0) * (v[0] - 1.0) + v[1].abs()
    }
}

fn run<M: dualgrad::optim::Method<2>>(
    f: &impl ScalarFn<2>,
    x0: [f64; 2],
    method: &mut M,
    rules: &StopRules,
) -> dualgrad::optim::Report<2> {
    minimize(f, SVector::from(x0), method, rules, |_| {}).unwrap()
}

// ------------------------------------------------------------------------------------------
// Stationary points that are not minima
// ------------------------------------------------------------------------------------------

/// From `(0, 1)` the iterates stay on the `y` axis and reach the saddle at the origin.
/// Newton–CG reports it as a saddle point (as Newton does), not as convergence.
#[test]
fn newton_cg_at_a_saddle_reports_it() {
    let rules = StopRules::default();
    let r = run(&DoubleWell, [0.0, 1.0], &mut NewtonCg::default(), &rules);
    let StopReason::SaddlePoint { min_eigenvalue, .. } = r.stop else {
        panic!("{:?}", r.stop);
    };
    assert!((min_eigenvalue + 1.0).abs() < 1e-8, "{min_eigenvalue}");
    assert!(!r.stop.converged());
    assert!(
        r.stop
            .to_string()
            .starts_with("stationary point that is not a minimum")
    );
    let newton = run(&DoubleWell, [0.0, 1.0], &mut Newton::default(), &rules);
    assert!(
        matches!(newton.stop, StopReason::SaddlePoint { .. }),
        "{:?}",
        newton.stop
    );
}

// ------------------------------------------------------------------------------------------
// Every other method that can stop at a stationary point: L-BFGS and the first-order
// optimizers used to report the saddle as convergence.
// ------------------------------------------------------------------------------------------

#[test]
fn lbfgs_and_first_order_optimizers_at_a_saddle_report_it() {
    let rules = StopRules::default().with_max_iterations(500);
    let mut reports = vec![
        (
            "L-BFGS",
            run(
                &DoubleWell,
                [0.0, 1.0],
                &mut Lbfgs::<2, 5>::default(),
                &rules,
            ),
        ),
        (
            "L-BFGS (Armijo)",
            run(
                &DoubleWell,
                [0.0, 1.0],
                &mut Lbfgs::<2, 5>::default().with_line_search(Armijo::default()),
                &rules,
            ),
        ),
    ];
    let mut sgd = SgdConfig::default().with_lr(0.5).build::<2>().unwrap();
    reports.push(("SGD", run(&DoubleWell, [0.0, 1.0], &mut sgd, &rules)));
    let mut adam = dualgrad::optim::AdamConfig::default()
        .with_lr(0.05)
        .build::<2>()
        .unwrap();
    reports.push((
        "Adam",
        run(
            &DoubleWell,
            [0.0, 1.0],
            &mut adam,
            &StopRules::default()
                .with_grad_tol(1e-4)
                .with_max_iterations(5000),
        ),
    ));
    for (name, r) in reports {
        let StopReason::SaddlePoint { min_eigenvalue, .. } = r.stop else {
            panic!("{name}: {:?}", r.stop);
        };
        assert!(
            (min_eigenvalue + 1.0).abs() < 1e-6,
            "{name}: {min_eigenvalue}"
        );
        assert!(!r.stop.converged(), "{name}");
    }
    // At a true minimum the same methods converge.
    let r = run(
        &DoubleWell,
        [0.5, 1.0],
        &mut Lbfgs::<2, 5>::default(),
        &rules,
    );
    assert!(r.stop.converged(), "{:?}", r.stop);
    assert!((r.params - SVector::from([1.0, 0.0])).norm() < 1e-7);
}

// ------------------------------------------------------------------------------------------
// L-BFGS's strong Wolfe search where the curvature condition cannot be met
// ------------------------------------------------------------------------------------------

/// `−x² + y²` from `(0.5, 0.5)` falls without bound: the curvature condition is never met.
/// The search used to stop L-BFGS at iteration 0 with "no sufficient decrease" (false: f falls
/// linearly). It now moves to the lowest point the search found, and the run goes on down.
#[test]
fn lbfgs_on_an_unbounded_function_keeps_descending() {
    let rules = StopRules::default().with_max_iterations(50);
    for (name, r) in [
        (
            "default",
            run(
                &Unbounded,
                [0.5, 0.5],
                &mut Lbfgs::<2, 5>::default(),
                &rules,
            ),
        ),
        (
            "one evaluation",
            run(
                &Unbounded,
                [0.5, 0.5],
                &mut Lbfgs::<2, 5>::default()
                    .with_line_search(StrongWolfe::new(1e-4, 0.9, 1).unwrap()),
                &rules,
            ),
        ),
    ] {
        assert_eq!(r.stop, StopReason::MaxIterations(50), "{name}");
        let losses = &r.history;
        assert!(losses.windows(2).all(|w| w[1] < w[0]), "{name}: {losses:?}");
        assert!(*losses.last().unwrap() < -1e3, "{name}: {losses:?}");
    }
}

/// `(x − 1)² + |y|`: the search used to stop L-BFGS after 3 iterations at loss 0.263. It now
/// takes the lower points the search finds and restarts from steepest descent when the memory's
/// direction fails; where no lower point exists along either (at the kink `y ≈ 0`) it stops
/// with a message that says so. Every iterate lowers the loss.
#[test]
fn lbfgs_at_a_kink_goes_as_far_as_descent_can_and_says_why_it_stopped() {
    let rules = StopRules::default().with_max_iterations(200);
    let r = run(&Kink, [0.5, 0.5], &mut Lbfgs::<2, 5>::default(), &rules);
    assert!(r.history.windows(2).all(|w| w[1] < w[0]), "{:?}", r.history);
    assert!(*r.history.last().unwrap() < 0.01, "{:?}", r.history);
    assert!(r.params[1].abs() < 1e-15, "{:?}", r.params);
    if r.stop == StopReason::LineSearchFailed {
        assert!(
            r.stop.to_string().contains("a kink or rounding noise"),
            "{}",
            r.stop
        );
    }
    assert!(!r.stop.converged());
}

// ------------------------------------------------------------------------------------------
// More bad inputs, tried as a new user would: line-search and optimizer settings, starts
// that are not finite, stationary starts, zero budgets.
// ------------------------------------------------------------------------------------------

#[test]
fn line_search_settings_are_validated() {
    let invalid =
        |name: &'static str, value: f64, expected: &'static str| OptimError::InvalidValue {
            name,
            value,
            expected,
        };
    assert_eq!(
        StrongWolfe::new(0.0, 0.9, 10).unwrap_err().to_string(),
        "invalid c1 = 0: must be in (0, 1)"
    );
    assert_eq!(
        StrongWolfe::new(1e-4, 1.0, 10).unwrap_err().to_string(),
        "invalid c2 = 1: must be in (0, 1)"
    );
    assert_eq!(
        StrongWolfe::new(0.5, 0.5, 10),
        Err(invalid("c2", 0.5, "in (c1, 1)"))
    );
    assert!(matches!(
        StrongWolfe::new(1e-4, 0.9, 0),
        Err(OptimError::InvalidCount {
            name: "max_evaluations",
            value: 0,
            ..
        })
    ));
    assert!(matches!(
        StrongWolfe::new(f64::NAN, 0.9, 10),
        Err(OptimError::InvalidValue { name: "c1", .. })
    ));
    assert!(matches!(
        Armijo::new(1e-4, 1.0, 10),
        Err(OptimError::InvalidValue { name: "shrink", .. })
    ));
    assert!(matches!(
        Armijo::new(-1e-4, 0.5, 10),
        Err(OptimError::InvalidValue { name: "c1", .. })
    ));
}

#[test]
fn optimizer_settings_are_validated() {
    assert_eq!(
        SgdConfig::default()
            .with_momentum(1.0)
            .build::<1>()
            .unwrap_err()
            .to_string(),
        "invalid momentum = 1: must lie in [0, 1)"
    );
    assert!(matches!(
        SgdConfig::default()
            .with_momentum(0.5)
            .with_dampening(1.5)
            .build::<1>(),
        Err(OptimError::InvalidValue {
            name: "dampening",
            ..
        })
    ));
    assert_eq!(
        SgdConfig::default()
            .with_nesterov(true)
            .build::<1>()
            .unwrap_err(),
        OptimError::NesterovWithoutMomentum
    );
    assert!(matches!(
        SgdConfig::default().with_lr(-1.0).build::<1>(),
        Err(OptimError::InvalidLearningRate(lr)) if lr == -1.0
    ));
    assert!(matches!(
        SgdConfig::default().with_weight_decay(-0.1).build::<1>(),
        Err(OptimError::InvalidValue {
            name: "weight_decay",
            ..
        })
    ));
    assert!(matches!(
        SgdConfig::default()
            .with_momentum(0.9)
            .with_dampening(0.1)
            .with_momentum_form(dualgrad::optim::MomentumForm::Averaged)
            .build::<1>(),
        Err(OptimError::InvalidValue {
            name: "dampening",
            expected: "0 with the averaged momentum form",
            ..
        })
    ));
    assert!(matches!(
        RmspropConfig::default().with_alpha(1.0).build::<1>(),
        Err(OptimError::InvalidBeta { name: "alpha", .. })
    ));
    assert!(matches!(
        RmspropConfig::default().with_eps(0.0).build::<1>(),
        Err(OptimError::InvalidEps(e)) if e == 0.0
    ));
    assert!(matches!(
        RmspropConfig::default().with_momentum(f64::NAN).build::<1>(),
        Err(OptimError::InvalidBeta { name: "momentum", value }) if value.is_nan()
    ));
    assert!(matches!(
        dualgrad::optim::AdamConfig::default()
            .with_betas(f64::NAN, 0.999)
            .build::<1>(),
        Err(OptimError::InvalidBeta { name: "beta1", .. })
    ));
}

#[test]
fn stop_rules_are_validated() {
    for rules in [
        StopRules::default().with_grad_tol(f64::NAN),
        StopRules::default().with_grad_tol(-1.0),
        StopRules::default().with_target_loss(f64::NAN),
        StopRules::default().with_rel_tol(-1e-9),
    ] {
        let e = minimize(
            &DoubleWell,
            SVector::from([0.5, 0.5]),
            &mut Lbfgs::<2, 3>::default(),
            &rules,
            |_| {},
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("invalid "), "{e}");
    }
}

/// A start that is not finite stops at once as diverged, with the start handed back, for
/// every method.
#[test]
fn a_non_finite_start_is_diverged_for_every_method() {
    let rules = StopRules::default();
    for start in [[f64::NAN, 0.0], [f64::INFINITY, 1.0]] {
        let reports = [
            run(&DoubleWell, start, &mut Lbfgs::<2, 5>::default(), &rules),
            run(&DoubleWell, start, &mut NewtonCg::default(), &rules),
            run(&DoubleWell, start, &mut Newton::default(), &rules),
        ];
        for r in reports {
            assert!(
                matches!(r.stop, StopReason::Diverged { .. }),
                "{:?}",
                r.stop
            );
            assert_eq!(r.iterations, 0);
            assert!(!r.stop.converged());
        }
    }
}

/// A maximum as the start: the gradient test passes at once, and every method says it is not
/// a minimum.
#[test]
fn a_maximum_as_the_start_is_not_a_minimum() {
    struct Cap;
    impl ScalarFn<2> for Cap {
        fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
            -(v[0] * v[0]) - v[1] * v[1] * 2.0
        }
    }
    let rules = StopRules::default();
    let mut sgd = SgdConfig::default().build::<2>().unwrap();
    let reports = [
        run(&Cap, [0.0, 0.0], &mut Lbfgs::<2, 5>::default(), &rules),
        run(&Cap, [0.0, 0.0], &mut NewtonCg::default(), &rules),
        run(&Cap, [0.0, 0.0], &mut Newton::default(), &rules),
        run(&Cap, [0.0, 0.0], &mut sgd, &rules),
    ];
    for r in reports {
        let StopReason::SaddlePoint { min_eigenvalue, .. } = r.stop else {
            panic!("{:?}", r.stop);
        };
        assert!((min_eigenvalue + 4.0).abs() < 1e-9, "{min_eigenvalue}");
        assert_eq!(r.iterations, 0);
    }
}

/// Newton–CG with a CG budget of 0 uses one step (documented), and still converges on a
/// quadratic.
#[test]
fn newton_cg_with_a_cg_budget_of_zero_uses_one() {
    let mut m = NewtonCg::<2>::default().with_max_cg(0);
    assert_eq!(m.max_cg(), 1);
    let r = run(&DoubleWell, [0.5, 1.0], &mut m, &StopRules::default());
    assert!(r.stop.converged(), "{:?}", r.stop);
    assert!((r.params - SVector::from([1.0, 0.0])).norm() < 1e-7);
}

/// No iterations allowed: the start is reported as it is.
#[test]
fn a_budget_of_zero_iterations_reports_the_start() {
    let rules = StopRules::default().with_max_iterations(0);
    let r = run(
        &DoubleWell,
        [0.5, 1.0],
        &mut Lbfgs::<2, 5>::default(),
        &rules,
    );
    assert_eq!(r.stop, StopReason::MaxIterations(0));
    assert_eq!(r.params, SVector::from([0.5, 1.0]));
}

/// A function that is NaN beyond a cliff: L-BFGS's strong Wolfe search shrinks away from the
/// NaN trials and the run never hands back a non-finite point. (The search used to panic here,
/// in `f64::clamp`, when a NaN trial pulled its upper bound below its lower one.)
#[test]
fn lbfgs_near_a_nan_cliff_stays_finite() {
    struct Cliff;
    impl ScalarFn<1> for Cliff {
        fn eval<T: Scalar>(&self, v: &SVector<T, 1>) -> T {
            // (x − 2)², but NaN for x > 1.5: the minimum on the domain is at the edge
            (v[0] - 2.0) * (v[0] - 2.0) + (T::lift(1.5) - v[0]).sqrt() * 0.0
        }
    }
    let r = minimize(
        &Cliff,
        SVector::from([0.0]),
        &mut Lbfgs::<1, 3>::default(),
        &StopRules::default().with_max_iterations(100),
        |_| {},
    )
    .unwrap();
    assert!(
        r.params[0].is_finite() && r.params[0] <= 1.5,
        "{:?}",
        r.params
    );
    assert!(!r.stop.converged(), "{:?}", r.stop);
}
