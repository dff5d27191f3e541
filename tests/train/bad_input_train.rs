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
fn lbfgs_reports_a_saddle_from_hessian_vector_products() {
    // L-BFGS has no Hessian, but at the end it applies the one curvature rule from
    // Hessian-vector products, as Newton–CG does: the saddle is not convergence.
    let mut lbfgs: Lbfgs<2, 5> = Lbfgs::default();
    let r = minimize(&DoubleWell, SVector::zeros(), &mut lbfgs, &rules(), |_| {}).unwrap();
    assert!(
        matches!(r.stop, StopReason::SaddlePoint { min_eigenvalue, .. } if (min_eigenvalue + 1.0).abs() < 1e-9),
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

// ------------------------------------------------------------------------------------------
// Round 3: validation losses (train_monitored, hypergradient) and differentiated runs at a
// hyperparameter where the update is not differentiable.
// ------------------------------------------------------------------------------------------

mod round3 {
    use crate::common::Mean;
    use crate::hypergradient_runs::{Quadratic, gd_setup};
    use dualgrad::objective::{BatchLoss, Objective, Samples};
    use dualgrad::optim::{OptimError, RmspropConfig, SgdConfig, StopReason};
    use dualgrad::train::{
        Control, EarlyStopping, Monitor, ReduceLrOnPlateau, TrainConfig, hypergradient,
        train_monitored, validation_after_training,
    };
    use dualgrad::{Jet, Scalar};
    use nalgebra::SVector;

    /// ½(p − 1)², but NaN (or `bad`) once `p` exceeds `limit`.
    struct Breaks {
        limit: f64,
        bad: f64,
    }
    impl Samples for Breaks {
        fn len(&self) -> usize {
            1
        }
    }
    impl Objective<1> for Breaks {
        fn loss_and_gradient(&self, p: &SVector<f64, 1>, _: &[usize]) -> (f64, SVector<f64, 1>) {
            if p[0] > self.limit {
                (self.bad, SVector::from([self.bad]))
            } else {
                (0.5 * (p[0] - 1.0).powi(2), SVector::from([p[0] - 1.0]))
            }
        }
    }

    struct Empty;
    impl Samples for Empty {
        fn len(&self) -> usize {
            0
        }
    }
    impl Objective<1> for Empty {
        fn loss_and_gradient(&self, _: &SVector<f64, 1>, _: &[usize]) -> (f64, SVector<f64, 1>) {
            unreachable!("an empty validation set is never evaluated")
        }
    }
    impl BatchLoss<2> for Empty {
        fn batch_loss<T: Scalar>(&self, _: &SVector<T, 2>, _: &[usize]) -> T {
            unreachable!("an empty validation set is never evaluated")
        }
    }

    /// Training data with mean 2 from p = 0 at rate 0.5: p = 1, 1.5, 1.75, ...
    fn monitored(
        valid: &Breaks,
        monitor: impl FnOnce(Monitor<'_, 1>) -> Monitor<'_, 1>,
    ) -> dualgrad::train::MonitoredReport<1> {
        let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
        let cfg = TrainConfig::default().with_epochs(50).without_grad_tol();
        let m = monitor(Monitor::new().with_validation(valid));
        train_monitored(
            &Mean(vec![1.0, 3.0]),
            SVector::from([0.0]),
            &mut sgd,
            &cfg,
            m,
            |_| Control::Continue,
        )
        .unwrap()
    }

    /// A NaN validation loss used to leave early stopping silent and the plateau rule cutting
    /// the rate ×0.1 every `patience` epochs, with "reached the maximum of 50 iterations".
    /// It now stops at once, naming the epoch, with the last validated parameters.
    #[test]
    fn a_nan_validation_loss_stops_the_run() {
        for bad in [f64::NAN, f64::INFINITY] {
            let valid = Breaks { limit: 1.6, bad };
            let r = monitored(&valid, |m| {
                m.with_early_stopping(EarlyStopping::new(3))
                    .with_plateau(ReduceLrOnPlateau::new(1.0).with_patience(1))
            });
            let StopReason::ValidationNotFinite { epoch, loss } = r.report.stop else {
                panic!("{:?}", r.report.stop);
            };
            assert_eq!(epoch, 3);
            assert_eq!(loss.to_bits(), bad.to_bits());
            assert!(!r.report.stop.converged());
            assert_eq!(
                r.report.params,
                SVector::from([1.5]),
                "epoch 2's parameters"
            );
            assert_eq!(r.validation_history.len(), 4);
            assert_eq!(
                r.learning_rates,
                [0.5, 0.5, 0.5],
                "the plateau rule never cut"
            );
            assert!(
                r.report.stop.to_string().starts_with(&format!(
                    "the validation loss is {} at epoch 3",
                    if bad.is_nan() { "NaN" } else { "inf" }
                )),
                "{}",
                r.report.stop
            );
        }
    }

    /// Without any rule the run stops all the same; from the start it keeps p0.
    #[test]
    fn a_validation_loss_nan_from_the_start_keeps_the_start() {
        let valid = Breaks {
            limit: f64::NEG_INFINITY,
            bad: f64::NAN,
        };
        let r = monitored(&valid, |m| m);
        assert!(
            matches!(
                r.report.stop,
                StopReason::ValidationNotFinite { epoch: 0, .. }
            ),
            "{:?}",
            r.report.stop
        );
        assert_eq!(r.report.params, SVector::from([0.0]));
        assert_eq!(r.report.iterations, 0);
        assert!(r.best.is_none());
    }

    /// An empty validation set used to say "the objective has no samples to train on".
    #[test]
    fn an_empty_validation_set_is_named() {
        let mut sgd = SgdConfig::default().build().unwrap();
        let e = train_monitored(
            &Mean(vec![1.0]),
            SVector::from([0.0]),
            &mut sgd,
            &TrainConfig::default(),
            Monitor::new().with_validation(&Empty),
            |_| Control::Continue,
        )
        .unwrap_err();
        assert_eq!(e, OptimError::EmptyValidation);
        assert_eq!(
            e.to_string(),
            "the validation objective has no samples: there is no validation loss"
        );
        let e = hypergradient(
            &SVector::from([0.1, 1.0]),
            gd_setup,
            &Quadratic { validation: false },
            &Empty,
            &TrainConfig::default().with_epochs(2),
        )
        .unwrap_err();
        assert_eq!(e, OptimError::EmptyValidation);
    }

    /// A validation loss that is NaN after a finite run is an error, not a NaN hypergradient.
    #[test]
    fn a_nan_validation_loss_after_a_differentiated_run_is_an_error() {
        struct NanValidation;
        impl Samples for NanValidation {
            fn len(&self) -> usize {
                1
            }
        }
        impl BatchLoss<2> for NanValidation {
            fn batch_loss<T: Scalar>(&self, x: &SVector<T, 2>, _: &[usize]) -> T {
                (x[0] - 10.0).ln() // x stays below 10: NaN
            }
        }
        let e = hypergradient(
            &SVector::from([0.1, 1.0]),
            gd_setup,
            &Quadratic { validation: false },
            &NanValidation,
            &TrainConfig::default().with_epochs(3),
        )
        .unwrap_err();
        assert!(
            matches!(e, OptimError::ValidationNotFinite { loss } if loss.is_nan()),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "the validation loss after training is NaN (the training run stayed finite): no hypergradient"
        );
    }

    fn sgd_run<T: Scalar>(h: &SVector<T, 1>, dampening: f64) -> Result<T, OptimError> {
        let setup = |h: &SVector<T, 1>| {
            let sgd = SgdConfig::default()
                .lift::<T>()
                .with_lr(T::lift(0.1))
                .with_momentum(h[0])
                .with_dampening(T::lift(dampening))
                .build()?;
            Ok((sgd, SVector::from([T::lift(1.5), T::lift(-0.5)])))
        };
        validation_after_training(
            h,
            setup,
            &Quadratic { validation: false },
            &Quadratic { validation: true },
            &TrainConfig::default().with_epochs(5),
        )
    }

    /// PyTorch's SGD has no momentum buffer at μ = 0, so with dampening 0.5 the run jumps there:
    /// a momentum jet at value 0 used to run the μ > 0 branch (validation loss 0.3462 against
    /// the f64 run's 0.1770). It is now an error naming the momentum.
    #[test]
    fn sgd_momentum_zero_with_dampening_is_not_differentiable() {
        let f64_run: f64 = sgd_run(&SVector::from([0.0]), 0.5).unwrap();
        let e = sgd_run(&SVector::from([Jet::<f64, 1>::variable(0.0, 0)]), 0.5).unwrap_err();
        assert!(
            matches!(e, OptimError::NotDifferentiable { name: "momentum", value, .. } if value == 0.0),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .starts_with("the run is not differentiable in momentum at momentum = 0: "),
            "{e}"
        );
        // Without dampening the update is smooth at 0: the value is the f64 run's.
        let smooth = sgd_run(&SVector::from([Jet::<f64, 1>::variable(0.0, 0)]), 0.0).unwrap();
        assert_eq!(smooth.re, sgd_run(&SVector::from([0.0]), 0.0).unwrap());
        // Above 0 with dampening, the value is the f64 run's too.
        let above = sgd_run(&SVector::from([Jet::<f64, 1>::variable(0.3, 0)]), 0.5).unwrap();
        assert_eq!(above.re, sgd_run(&SVector::from([0.3]), 0.5).unwrap());
        assert!(f64_run.is_finite());
    }

    fn rmsprop_run<T: Scalar>(h: &SVector<T, 1>) -> Result<T, OptimError> {
        let setup = |h: &SVector<T, 1>| {
            let opt = RmspropConfig::default()
                .lift::<T>()
                .with_lr(T::lift(0.05))
                .with_momentum(h[0])
                .build()?;
            Ok((opt, SVector::from([T::lift(1.5), T::lift(-0.5)])))
        };
        validation_after_training(
            h,
            setup,
            &Quadratic { validation: false },
            &Quadratic { validation: true },
            &TrainConfig::default().with_epochs(5),
        )
    }

    /// RMSprop's momentum buffer `b ← μb + g/D` is continuous at μ = 0 (it is `g/D` there, the
    /// update without momentum): a jet at 0 gives the f64 run's value and the one-sided
    /// derivative, checked by Richardson-extrapolated forward differences.
    #[test]
    fn rmsprop_momentum_zero_is_differentiable_and_matches_f64() {
        let jet = rmsprop_run(&SVector::from([Jet::<f64, 1>::variable(0.0, 0)])).unwrap();
        let at = |m: f64| rmsprop_run(&SVector::from([m])).unwrap();
        assert_eq!(jet.re, at(0.0));
        let h = 1e-4;
        let d1 = |h: f64| (at(h) - at(0.0)) / h;
        let richardson = 2.0 * d1(h) - d1(2.0 * h);
        assert!(
            (jet.eps[0] - richardson).abs() <= 1e-6 * richardson.abs().max(1e-3),
            "{} vs {richardson}",
            jet.eps[0]
        );
    }
}

/// More bad inputs to the monitors and hypergradients, tried as a new user would.
mod round3_more {
    use crate::common::Mean;
    use crate::hypergradient_runs::{Quadratic, gd_setup};
    use dualgrad::objective::{Objective, Samples};
    use dualgrad::optim::{OptimError, SgdConfig, StopReason};
    use dualgrad::train::{
        Control, EarlyStopping, Monitor, ReduceLrOnPlateau, ThresholdMode, TrainConfig,
        hypergradient, train_monitored,
    };
    use nalgebra::SVector;

    fn run_with(
        monitor: Monitor<'_, 1>,
        cfg: &TrainConfig,
    ) -> Result<dualgrad::train::MonitoredReport<1>, OptimError> {
        let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
        train_monitored(
            &Mean(vec![1.0, 3.0]),
            SVector::from([0.0]),
            &mut sgd,
            cfg,
            monitor,
            |_| Control::Continue,
        )
    }

    #[test]
    fn early_stopping_settings_are_validated_when_the_run_starts() {
        let cfg = TrainConfig::default();
        for (rule, name) in [
            (EarlyStopping::new(0), "patience"),
            (EarlyStopping::new(3).with_min_delta(f64::NAN), "min_delta"),
            (EarlyStopping::new(3).with_min_delta(-1.0), "min_delta"),
            (
                EarlyStopping::new(3).with_min_delta(f64::INFINITY),
                "min_delta",
            ),
        ] {
            let e = run_with(Monitor::new().with_early_stopping(rule), &cfg).unwrap_err();
            assert!(
                e.to_string().starts_with(&format!("invalid {name} = ")),
                "{e}"
            );
        }
    }

    #[test]
    fn plateau_settings_are_validated_when_the_run_starts() {
        let cfg = TrainConfig::default();
        for (rule, start) in [
            (
                ReduceLrOnPlateau::new(1.0).with_factor(1.0),
                "invalid factor = 1",
            ),
            (
                ReduceLrOnPlateau::new(1.0).with_factor(f64::NAN),
                "invalid factor = NaN",
            ),
            (
                ReduceLrOnPlateau::new(f64::NAN),
                "invalid learning rate NaN",
            ),
            (ReduceLrOnPlateau::new(-1.0), "invalid learning rate -1"),
            (
                ReduceLrOnPlateau::new(1.0).with_min_lr(-1.0),
                "invalid min_lr = -1",
            ),
            (
                ReduceLrOnPlateau::new(1.0).with_threshold(f64::NAN, ThresholdMode::Abs),
                "invalid threshold = NaN",
            ),
            (
                ReduceLrOnPlateau::new(1.0).with_eps(-1e-8),
                "invalid eps = -0.00000001",
            ),
        ] {
            let e = run_with(Monitor::new().with_plateau(rule), &cfg).unwrap_err();
            assert!(e.to_string().starts_with(start), "{e}");
        }
    }

    /// Without a validation objective the rules watch the training loss: its NaN is the
    /// training's divergence, reported as such (not as a validation failure).
    #[test]
    fn a_nan_training_loss_without_validation_is_divergence() {
        struct NanAfter;
        impl Samples for NanAfter {
            fn len(&self) -> usize {
                1
            }
        }
        impl Objective<1> for NanAfter {
            fn loss_and_gradient(
                &self,
                p: &SVector<f64, 1>,
                _: &[usize],
            ) -> (f64, SVector<f64, 1>) {
                if p[0] > 0.5 {
                    (f64::NAN, SVector::from([f64::NAN]))
                } else {
                    (0.5 * (p[0] - 1.0).powi(2), SVector::from([p[0] - 1.0]))
                }
            }
        }
        let mut sgd = SgdConfig::default().with_lr(0.3).build().unwrap();
        let monitor = Monitor::new()
            .with_early_stopping(EarlyStopping::new(2))
            .with_plateau(ReduceLrOnPlateau::new(1.0));
        let r = train_monitored(
            &NanAfter,
            SVector::from([0.0]),
            &mut sgd,
            &TrainConfig::default().without_grad_tol(),
            monitor,
            |_| Control::Continue,
        )
        .unwrap();
        assert!(
            matches!(r.report.stop, StopReason::Diverged { .. }),
            "{:?}",
            r.report.stop
        );
        assert!(r.report.params[0] <= 0.5);
    }

    /// Zero epochs report the start as it is; an observer may stop the run at the start.
    #[test]
    fn zero_epochs_and_an_observer_stop_at_the_start() {
        let r = run_with(Monitor::new(), &TrainConfig::default().with_epochs(0)).unwrap();
        assert_eq!(r.report.stop, StopReason::MaxIterations(0));
        assert_eq!(r.report.params, SVector::from([0.0]));
        let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
        let r = train_monitored(
            &Mean(vec![1.0, 3.0]),
            SVector::from([0.0]),
            &mut sgd,
            &TrainConfig::default(),
            Monitor::new(),
            |_| Control::Stop,
        )
        .unwrap();
        assert_eq!(r.report.stop, StopReason::ObserverStopped);
        assert_eq!(r.report.iterations, 0);
    }

    #[test]
    fn hypergradient_setup_errors_and_bad_counts_are_named() {
        let train = Quadratic { validation: false };
        let valid = Quadratic { validation: true };
        // A NaN learning rate from the hyperparameters: the setup's error.
        let e = hypergradient(
            &SVector::from([f64::NAN, 1.0]),
            gd_setup,
            &train,
            &valid,
            &TrainConfig::default().with_epochs(2),
        )
        .unwrap_err();
        assert!(
            matches!(e, OptimError::InvalidLearningRate(lr) if lr.is_nan()),
            "{e:?}"
        );
        // A negative one.
        let e = hypergradient(
            &SVector::from([-0.1, 1.0]),
            gd_setup,
            &train,
            &valid,
            &TrainConfig::default().with_epochs(2),
        )
        .unwrap_err();
        assert_eq!(e, OptimError::InvalidLearningRate(-0.1));
        // A batch size of 0.
        let e = hypergradient(
            &SVector::from([0.1, 1.0]),
            gd_setup,
            &train,
            &valid,
            &TrainConfig::default().with_batch_size(0),
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                OptimError::InvalidCount {
                    name: "batch_size",
                    ..
                }
            ),
            "{e:?}"
        );
        // A rate so large the run diverges: named with its step.
        let e = hypergradient(
            &SVector::from([1e6, 1.0]),
            gd_setup,
            &train,
            &valid,
            &TrainConfig::default().with_epochs(200),
        )
        .unwrap_err();
        assert!(matches!(e, OptimError::DivergedRun { .. }), "{e:?}");
    }

    /// Zero epochs: the validation loss of the start, whose derivative in the learning rate is 0
    /// and in the scale s (x₀ = s·X0) is s‖X0‖² (validation ½‖x‖²).
    #[test]
    fn hypergradient_of_zero_epochs_is_the_start() {
        let hg = hypergradient(
            &SVector::from([0.1, 2.0]),
            gd_setup,
            &Quadratic { validation: false },
            &Quadratic { validation: true },
            &TrainConfig::default().with_epochs(0),
        )
        .unwrap();
        let x0 = crate::hypergradient_runs::X0;
        let n2 = x0[0] * x0[0] + x0[1] * x0[1];
        assert_eq!(hg.loss, 0.5 * 4.0 * n2);
        assert_eq!(hg.gradient[0], 0.0);
        assert!((hg.gradient[1] - 2.0 * n2).abs() < 1e-15);
    }
}
