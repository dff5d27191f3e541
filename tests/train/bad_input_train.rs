//! Bad inputs to training, schedules and second-order methods (issue 12): each case asserts the
//! specific error variant or the documented result.

use crate::common;
use dualgrad::optim::{
    AdamConfig, Constant, Cosine, Exponential, Lbfgs, Linear, Newton, OptimError, SgdConfig, Warmup,
};
use dualgrad::optim::{StopReason, StopRules, minimize};
use dualgrad::train::{TrainConfig, train};
use dualgrad::{Scalar, ScalarFn};

use common::Mean;
use nalgebra::SVector;
use quickcheck::{QuickCheck, TestResult};

fn data() -> Mean {
    Mean(vec![1.0, 2.0, 3.0, 4.0])
}

// ------------------------------------------------------------------------------------------
// TrainConfig
// ------------------------------------------------------------------------------------------

#[test]
fn a_batch_larger_than_the_data_is_an_error() {
    let mut sgd = SgdConfig::default().with_lr(0.1).build().unwrap();
    for b in [5, 100, usize::MAX] {
        let cfg = TrainConfig::default().with_batch_size(b);
        let e = train(&data(), SVector::zeros(), &mut sgd, &cfg, |_| {}).unwrap_err();
        assert_eq!(
            e,
            OptimError::BatchLargerThanData {
                batch_size: b,
                samples: 4
            }
        );
    }
    let e = train(
        &data(),
        SVector::zeros(),
        &mut sgd,
        &TrainConfig::default().with_batch_size(5),
        |_| {},
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "batch size 5 is larger than the data set (4 samples)"
    );
}

#[test]
fn a_batch_of_zero_is_an_error() {
    let mut sgd = SgdConfig::default().build().unwrap();
    let e = train(
        &data(),
        SVector::zeros(),
        &mut sgd,
        &TrainConfig::default().with_batch_size(0),
        |_| {},
    )
    .unwrap_err();
    assert!(matches!(
        e,
        OptimError::InvalidCount {
            name: "batch_size",
            value: 0,
            ..
        }
    ));
}

#[test]
fn a_batch_equal_to_the_data_is_full_batch() {
    let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
    let cfg = TrainConfig::default()
        .with_batch_size(4)
        .with_epochs(3)
        .without_grad_tol();
    let r = train(&data(), SVector::zeros(), &mut sgd, &cfg, |_| {}).unwrap();
    assert_eq!(r.steps, 3);
}

#[test]
fn an_empty_objective_is_an_error() {
    let mut sgd = SgdConfig::default().build().unwrap();
    let e = train(
        &Mean(vec![]),
        SVector::zeros(),
        &mut sgd,
        &TrainConfig::default(),
        |_| {},
    )
    .unwrap_err();
    assert_eq!(e, OptimError::EmptyObjective);
}

#[test]
fn invalid_stopping_rules_are_errors() {
    let mut sgd = SgdConfig::default().build().unwrap();
    for cfg in [
        TrainConfig::default().with_grad_tol(-1.0),
        TrainConfig::default().with_grad_tol(f64::NAN),
        TrainConfig::default().with_rel_tol(f64::INFINITY),
        TrainConfig::default().with_target_loss(f64::NAN),
    ] {
        let e = train(&data(), SVector::zeros(), &mut sgd, &cfg, |_| {}).unwrap_err();
        assert!(matches!(e, OptimError::InvalidValue { .. }), "{e}");
    }
}

// ------------------------------------------------------------------------------------------
// Schedules
// ------------------------------------------------------------------------------------------

/// The error `train` gives with the default configuration (full batch) or `cfg`.
fn train_error<O: dualgrad::optim::Optimizer<1>>(opt: &mut O, cfg: &TrainConfig) -> OptimError {
    train(&data(), SVector::zeros(), opt, cfg, |_| {}).unwrap_err()
}

#[test]
fn a_closure_schedule_with_a_negative_rate_is_an_error_not_ascent() {
    let mut sgd = SgdConfig::default()
        .with_schedule(|_: usize| -0.1)
        .build()
        .unwrap();
    let e = train_error(&mut sgd, &TrainConfig::default());
    assert!(
        matches!(e, OptimError::ScheduledRate { step: 0, rate, .. } if rate == -0.1),
        "{e}"
    );
    // the schedule is named by its type: here the closure in this test (its path starts with
    // this module's)
    let closure = concat!(
        module_path!(),
        "::a_closure_schedule_with_a_negative_rate_is_an_error_not_ascent::{{closure}}"
    );
    assert_eq!(
        e.to_string(),
        format!(
            "the learning-rate schedule {closure} returned -0.1 at step 0: a learning rate must be finite and >= 0"
        )
    );
}

#[test]
fn a_closure_schedule_turning_nan_names_the_step() {
    // fine for 5 updates, then NaN: with mini-batches of 2 (2 updates per epoch), in epoch 3
    let schedule = |k: usize| if k < 5 { 0.1 } else { f64::NAN };
    let mut sgd = SgdConfig::default()
        .with_schedule(schedule)
        .build()
        .unwrap();
    let e = train_error(
        &mut sgd,
        &TrainConfig::default().with_batch_size(2).without_grad_tol(),
    );
    assert!(
        matches!(e, OptimError::ScheduledRate { step: 5, rate, .. } if rate.is_nan()),
        "{e}"
    );
}

#[test]
fn a_closure_schedule_returning_infinity_is_an_error() {
    let mut adam = AdamConfig::default()
        .with_schedule(|_: usize| f64::INFINITY)
        .build()
        .unwrap();
    let e = train_error(&mut adam, &TrainConfig::default());
    assert!(
        matches!(e, OptimError::ScheduledRate { step: 0, rate, schedule } if rate == f64::INFINITY && schedule.ends_with("{{closure}}"))
    );
}

#[test]
fn minimize_checks_the_schedule_too() {
    struct Sq;
    impl ScalarFn<1> for Sq {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            x[0] * x[0]
        }
    }
    let mut sgd = SgdConfig::default()
        .with_schedule(|k: usize| 0.1 - 0.05 * k as f64)
        .build()
        .unwrap();
    // rates 0.1, 0.05, 0, then −0.05 at step 3
    let e = minimize(
        &Sq,
        SVector::from([1.0]),
        &mut sgd,
        &StopRules::default(),
        |_| {},
    )
    .unwrap_err();
    assert!(
        matches!(e, OptimError::ScheduledRate { step: 3, rate, .. } if (rate + 0.05).abs() < 1e-15),
        "{e}"
    );
}

/// Any closure schedule that goes negative at some step `k` stops training with that step named.
#[test]
fn any_negative_scheduled_rate_is_reported_at_its_step() {
    fn prop(k: u8, rate: f64) -> TestResult {
        if rate.is_nan() || rate >= 0.0 {
            return TestResult::discard();
        }
        let k = usize::from(k % 50);
        let mut sgd = SgdConfig::default()
            .with_schedule(move |s: usize| if s < k { 0.01 } else { rate })
            .build()
            .unwrap();
        let cfg = TrainConfig::default().with_epochs(100).without_grad_tol();
        let e = train(&data(), SVector::zeros(), &mut sgd, &cfg, |_| {});
        TestResult::from_bool(matches!(
            e,
            Err(OptimError::ScheduledRate { step, rate: r, .. }) if step == k && r.to_bits() == rate.to_bits()
        ))
    }
    QuickCheck::new()
        .tests(300)
        .min_tests_passed(100)
        .quickcheck(prop as fn(u8, f64) -> TestResult);
}

/// Siblings of the closure-schedule case among the built-in schedules (the cases not already in
/// `tests/optim/optim_schedules.rs`).
#[test]
fn built_in_schedules_reject_bad_settings_when_built() {
    assert!(
        matches!(Constant::new(f64::NAN), Err(OptimError::InvalidLearningRate(v)) if v.is_nan())
    );
    assert!(matches!(
        Exponential::new(0.1, f64::NAN),
        Err(OptimError::InvalidValue { name: "gamma", .. })
    ));
    assert!(matches!(
        Cosine::new(0.1, 0.2, 10),
        Err(OptimError::InvalidValue { name: "floor", .. })
    ));
    assert!(matches!(
        Cosine::new(0.1, 0.0, 0),
        Err(OptimError::InvalidCount { name: "steps", .. })
    ));
    assert_eq!(
        Linear::new(0.1, -1.0, 10),
        Err(OptimError::InvalidLearningRate(-1.0))
    );
    let inner = Constant::new(0.1).unwrap();
    assert!(matches!(
        Warmup::new(-0.1, 5, inner),
        Err(OptimError::InvalidLearningRate(_))
    ));
}

#[test]
fn optimizer_settings_are_validated_when_built() {
    assert!(matches!(
        SgdConfig::default().with_lr(-1.0).build::<1>(),
        Err(OptimError::InvalidLearningRate(_))
    ));
    assert!(matches!(
        AdamConfig::default().with_betas(1.0, 0.999).build::<1>(),
        Err(OptimError::InvalidBeta { name: "beta1", .. })
    ));
    assert!(matches!(
        AdamConfig::default().with_eps(0.0).build::<1>(),
        Err(OptimError::InvalidEps(_))
    ));
}

// ------------------------------------------------------------------------------------------
// Newton at stationary points that are not minima
// ------------------------------------------------------------------------------------------

/// f = x⁴/4 − x²/2 + y²/2: minima at (±1, 0), a saddle at (0, 0) with Hessian diag(−1, 1).
struct DoubleWell;
impl ScalarFn<2> for DoubleWell {
    fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
        v[0].powi(4) * 0.25 - v[0] * v[0] * 0.5 + v[1] * v[1] * 0.5
    }
}

fn rules() -> StopRules {
    StopRules::default().with_grad_tol(1e-10)
}

/// Newton's method on `f` from `x0`, gradient tolerance `1e-10`.
fn newton<F: ScalarFn<2>>(f: &F, x0: [f64; 2]) -> dualgrad::optim::Report<2> {
    minimize(
        f,
        SVector::from(x0),
        &mut Newton::default(),
        &rules(),
        |_| {},
    )
    .unwrap()
}

#[test]
fn newton_from_the_symmetry_line_reports_the_saddle() {
    let r = newton(&DoubleWell, [0.0, 1.0]);
    match r.stop {
        StopReason::SaddlePoint {
            norm,
            min_eigenvalue,
        } => {
            assert!(norm <= 1e-10);
            // the Hessian at (0, 0) is diag(3x² − 1, 1) = diag(−1, 1)
            assert!((min_eigenvalue + 1.0).abs() < 1e-9, "{min_eigenvalue}");
        }
        other => panic!("expected a saddle point, got {other}"),
    }
    assert!(!r.stop.converged());
    assert!(r.params.norm() < 1e-9);
    assert!(r.to_string().contains("not a minimum"), "{r}");
}

#[test]
fn newton_started_at_the_saddle_reports_it_at_once() {
    let r = newton(&DoubleWell, [0.0, 0.0]);
    assert!(
        matches!(r.stop, StopReason::SaddlePoint { .. }),
        "{}",
        r.stop
    );
    assert_eq!(r.iterations, 0);
}

#[test]
fn newton_at_a_maximum_reports_it() {
    struct Cap; // f = −x² − 2y²: a maximum at 0, eigenvalues −2 and −4
    impl ScalarFn<2> for Cap {
        fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
            -(v[0] * v[0]) - v[1] * v[1] * 2.0
        }
    }
    let r = newton(&Cap, [0.0, 0.0]);
    assert!(
        matches!(r.stop, StopReason::SaddlePoint { min_eigenvalue, .. } if (min_eigenvalue + 4.0).abs() < 1e-9),
        "{}",
        r.stop
    );
}

#[test]
fn newton_off_the_symmetry_line_converges_to_a_minimum() {
    let r = newton(&DoubleWell, [0.5, 1.0]);
    assert!(
        matches!(r.stop, StopReason::GradientTolerance { .. }),
        "{}",
        r.stop
    );
    assert!((r.params[0] - 1.0).abs() < 1e-9 && r.params[1].abs() < 1e-9);
}

#[test]
fn a_flat_minimum_is_not_a_saddle() {
    struct Quartic; // f = x⁴ + y⁴: Hessian 0 at the minimum (positive semidefinite)
    impl ScalarFn<2> for Quartic {
        fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
            v[0].powi(4) + v[1].powi(4)
        }
    }
    let r = newton(&Quartic, [0.0, 0.0]);
    assert!(
        matches!(r.stop, StopReason::GradientTolerance { .. }),
        "{}",
        r.stop
    );
}

#[test]
fn lbfgs_has_no_hessian_and_does_not_claim_a_saddle() {
    // documented: only Newton, which has the exact Hessian, can tell; L-BFGS reports the
    // gradient test as it is
    let mut lbfgs: Lbfgs<2, 5> = Lbfgs::default();
    let r = minimize(&DoubleWell, SVector::zeros(), &mut lbfgs, &rules(), |_| {}).unwrap();
    assert!(
        matches!(r.stop, StopReason::GradientTolerance { .. }),
        "{}",
        r.stop
    );
}

/// Siblings among the other settings a user passes to the optimizer family.
#[test]
fn clipping_line_search_and_epoch_settings_are_validated() {
    use dualgrad::optim::{Armijo, Clipped, clip_by_global_norm};
    use dualgrad::train::PerEpoch;
    for max_norm in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let sgd = SgdConfig::default().build::<1>().unwrap();
        assert!(matches!(
            Clipped::new(sgd, max_norm),
            Err(OptimError::InvalidValue { .. })
        ));
        let mut g = SVector::from([3.0, 4.0]);
        assert!(clip_by_global_norm(&mut g, max_norm).is_err());
        assert_eq!(g, SVector::from([3.0, 4.0])); // untouched on error
    }
    // a gradient with a non-finite norm is left as it is (documented)
    let mut g = SVector::from([f64::NAN, 1.0]);
    let norm = clip_by_global_norm(&mut g, 1.0).unwrap();
    assert!(norm.is_nan() && g[0].is_nan() && g[1] == 1.0);
    for (c1, shrink) in [
        (0.0, 0.5),
        (1.0, 0.5),
        (1e-4, 0.0),
        (1e-4, 1.0),
        (f64::NAN, 0.5),
    ] {
        assert!(Armijo::new(c1, shrink, 30).is_err(), "{c1} {shrink}");
    }
    assert!(matches!(
        PerEpoch::new(Constant::new(0.1).unwrap(), 0),
        Err(OptimError::InvalidCount { value: 0, .. })
    ));
    // a batch larger than the data set, as train rejects it
    let cfg = TrainConfig::default().with_batch_size(50);
    assert_eq!(
        PerEpoch::for_training(Constant::new(0.1).unwrap(), &cfg, 10).unwrap_err(),
        OptimError::BatchLargerThanData {
            batch_size: 50,
            samples: 10
        }
    );
}
