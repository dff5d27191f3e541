//! The training loop and the minimiser's shared rules: stopping reasons, best parameters,
//! divergence, seeded mini-batches, evaluation counts, the observer hook and config errors.

use dualgrad::objective::{Objective, Samples};
use dualgrad::optim::{AdamConfig, OptimError, SgdConfig};
use dualgrad::optim::{StopReason, StopRules, minimize};
use dualgrad::train::{TrainConfig, train};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::{SMatrix, SVector};

/// Linear regression ŷ = w·x + b with loss mean ½(ŷ − y)²; gradient by hand:
/// ∂/∂w = mean (ŷ − y)x, ∂/∂b = mean (ŷ − y).
struct Regression {
    x: Vec<f64>,
    y: Vec<f64>,
}

impl Regression {
    fn new(n: usize) -> Self {
        let x: Vec<f64> = (0..n).map(|i| i as f64 / n as f64).collect();
        let y = x
            .iter()
            .enumerate()
            .map(|(i, &x)| 3.0 * x - 1.0 + 0.1 * (i as f64).sin())
            .collect();
        Self { x, y }
    }

    /// The least-squares solution from the 2×2 normal equations.
    fn solution(&self) -> SVector<f64, 2> {
        let n = self.x.len() as f64;
        let sx: f64 = self.x.iter().sum();
        let sxx: f64 = self.x.iter().map(|x| x * x).sum();
        let sy: f64 = self.y.iter().sum();
        let sxy: f64 = self.x.iter().zip(&self.y).map(|(x, y)| x * y).sum();
        let m = SMatrix::<f64, 2, 2>::new(sxx, sx, sx, n);
        m.lu().solve(&SVector::from([sxy, sy])).unwrap()
    }
}

impl Samples for Regression {
    fn len(&self) -> usize {
        self.x.len()
    }
}
impl Objective<2> for Regression {
    fn loss_and_gradient(&self, p: &SVector<f64, 2>, idx: &[usize]) -> (f64, SVector<f64, 2>) {
        let (mut loss, mut gw, mut gb) = (0.0, 0.0, 0.0);
        for &i in idx {
            let r = p[0] * self.x[i] + p[1] - self.y[i];
            loss += 0.5 * r * r;
            gw += r * self.x[i];
            gb += r;
        }
        let n = idx.len() as f64;
        (loss / n, SVector::from([gw / n, gb / n]))
    }
}

/// f(x) = ½ xᵀAx − bᵀx, A = [[3, 1], [1, 2]], b = (1, −1).
struct Quadratic;
impl ScalarFn<2> for Quadratic {
    fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
        (x[0] * x[0] * 3.0 + x[0] * x[1] * 2.0 + x[1] * x[1] * 2.0) * 0.5 - x[0] + x[1]
    }
}

#[test]
fn full_batch_training_reaches_the_least_squares_solution() {
    let data = Regression::new(20);
    let mut opt = SgdConfig::default()
        .with_lr(0.5)
        .with_momentum(0.9)
        .build()
        .unwrap();
    let cfg = TrainConfig::default()
        .with_epochs(5000)
        .with_grad_tol(1e-12);
    let mut seen = Vec::new();
    let r = train(&data, SVector::zeros(), &mut opt, &cfg, |p| {
        seen.push(p.iteration)
    })
    .unwrap();
    assert!(
        matches!(r.stop, StopReason::GradientTolerance { .. }),
        "{r}"
    );
    assert!((r.params - data.solution()).norm() < 1e-10, "{r}");
    // Full batch: one step and one evaluation per epoch, plus the start.
    assert_eq!(r.steps, r.iterations);
    assert_eq!(r.evals.gradient, r.iterations + 1);
    assert_eq!(r.history.len(), r.iterations + 1);
    // The observer saw the start and every epoch, in order.
    assert_eq!(seen, (0..=r.iterations).collect::<Vec<_>>());
    // history[k] is the loss at the parameters after k epochs: the last one is the final loss.
    let (final_loss, _) = data.loss_and_gradient(&r.params, &(0..20).collect::<Vec<_>>());
    assert_eq!(r.final_loss(), Some(final_loss));
}

#[test]
fn mini_batches_are_seeded_reproducible_and_counted() {
    let data = Regression::new(10);
    let cfg = TrainConfig::default()
        .with_epochs(30)
        .with_batch_size(4)
        .with_seed(7)
        .without_grad_tol();
    let run = |cfg: &TrainConfig| {
        let mut opt = AdamConfig::default().with_lr(0.05).build().unwrap();
        train(&data, SVector::zeros(), &mut opt, cfg, |_| {}).unwrap()
    };
    let a = run(&cfg);
    let b = run(&cfg);
    assert_eq!(a, b, "same seed, same run");
    let c = run(&cfg.with_seed(8));
    assert_ne!(a.history, c.history, "another seed shuffles differently");
    assert_eq!(a.stop, StopReason::MaxIterations(30));
    // ⌈10/4⌉ = 3 batches (4, 4, 2) per epoch; one full evaluation per epoch plus the start.
    assert_eq!(a.steps, 30 * 3);
    assert_eq!(a.evals.gradient, 30 * 3 + 30 + 1);
    assert_eq!(a.evals.function, a.evals.gradient);
    assert_eq!(a.history.len(), 31);
    // The best parameters are those of the lowest loss in the history.
    let best = a.history.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(a.best_loss, best);
    let all: Vec<usize> = (0..10).collect();
    assert_eq!(data.loss_and_gradient(&a.best_params, &all).0, best);
}

#[test]
fn a_batch_as_large_as_the_data_is_full_batch() {
    let data = Regression::new(6);
    let mut opt = SgdConfig::default().with_lr(0.3).build().unwrap();
    let cfg = TrainConfig::default()
        .with_epochs(4)
        .with_batch_size(6)
        .without_grad_tol();
    let r = train(&data, SVector::zeros(), &mut opt, &cfg, |_| {}).unwrap();
    assert_eq!((r.steps, r.evals.gradient), (4, 5));
    // larger than the data set: an error, as `Dataset::batches` gives (issue 12)
    let e = train(
        &data,
        SVector::zeros(),
        &mut opt,
        &cfg.with_batch_size(100),
        |_| {},
    );
    assert_eq!(
        e.unwrap_err(),
        dualgrad::optim::OptimError::BatchLargerThanData {
            batch_size: 100,
            samples: 6
        }
    );
}

#[test]
fn sgd_with_a_huge_rate_diverges_cleanly_in_train_and_minimize() {
    let data = Regression::new(10);
    let mut opt = SgdConfig::default().with_lr(1e3).build().unwrap();
    let cfg = TrainConfig::default().with_epochs(100_000);
    let r = train(&data, SVector::from([0.5, 0.5]), &mut opt, &cfg, |_| {}).unwrap();
    assert!(matches!(r.stop, StopReason::Diverged { .. }), "{r}");
    assert!(r.params.iter().all(|v| v.is_finite()), "{:?}", r.params);
    assert!(r.best_params.iter().all(|v| v.is_finite()));
    assert!(!r.history.last().unwrap().is_finite());
    assert!(r.iterations < 1000, "stopped at once: {r}");
    assert_eq!(r.best_params, SVector::from([0.5, 0.5])); // every step made it worse
    println!("{r}");

    // The same on a plain function with minimize.
    let mut opt = SgdConfig::default().with_lr(1e3).build().unwrap();
    let rules = StopRules::default().with_max_iterations(100_000);
    let r = minimize(
        &Quadratic,
        SVector::from([2.0, 1.5]),
        &mut opt,
        &rules,
        |_| {},
    )
    .unwrap();
    assert!(matches!(r.stop, StopReason::Diverged { .. }), "{r}");
    assert!(r.params.iter().all(|v| v.is_finite()));
    assert!(r.iterations < 1000);
    // The returned parameters are the last ones whose loss was finite.
    assert!(Quadratic.value(&r.params).is_finite());
    assert_eq!(r.history[r.history.len() - 2], Quadratic.value(&r.params));
}

#[test]
fn mini_batch_divergence_returns_the_last_finite_parameters() {
    let data = Regression::new(10);
    let mut opt = SgdConfig::default().with_lr(1e3).build().unwrap();
    let cfg = TrainConfig::default()
        .with_epochs(10_000)
        .with_batch_size(3);
    let r = train(&data, SVector::from([0.5, 0.5]), &mut opt, &cfg, |_| {}).unwrap();
    assert!(matches!(r.stop, StopReason::Diverged { .. }), "{r}");
    assert!(r.params.iter().all(|v| v.is_finite()));
}

#[test]
fn a_non_finite_start_stops_before_any_step() {
    let data = Regression::new(5);
    let mut opt = SgdConfig::default().with_lr(0.1).build().unwrap();
    let r = train(
        &data,
        SVector::from([f64::NAN, 0.0]),
        &mut opt,
        &TrainConfig::default(),
        |_| {},
    )
    .unwrap();
    assert!(matches!(r.stop, StopReason::Diverged { .. }));
    assert_eq!((r.iterations, r.steps), (0, 0));
    assert_eq!(r.best_loss, f64::INFINITY);
}

#[test]
fn target_loss_relative_change_and_max_iterations_stop_with_their_reason() {
    let data = Regression::new(20);
    let sgd = || SgdConfig::default().with_lr(0.5).build().unwrap();
    let (_, g0) = data.loss_and_gradient(&SVector::zeros(), &(0..20).collect::<Vec<_>>());
    assert!(g0.norm() > 0.1);

    let cfg = TrainConfig::default()
        .with_epochs(10_000)
        .with_target_loss(0.1);
    let r = train(&data, SVector::zeros(), &mut sgd(), &cfg, |_| {}).unwrap();
    assert!(
        matches!(r.stop, StopReason::TargetLoss { loss, target } if loss <= 0.1 && target == 0.1)
    );
    assert!(r.history[..r.history.len() - 1].iter().all(|&l| l > 0.1));

    let cfg = TrainConfig::default()
        .with_epochs(10_000)
        .with_rel_tol(1e-3);
    let r = train(&data, SVector::zeros(), &mut sgd(), &cfg, |_| {}).unwrap();
    let StopReason::RelativeChange { change, tol } = r.stop else {
        panic!("{r}")
    };
    let n = r.history.len();
    let (prev, last) = (r.history[n - 2], r.history[n - 1]);
    assert_eq!(change, (prev - last).abs() / prev.abs().max(last.abs()));
    assert!(change <= tol);

    let cfg = TrainConfig::default().with_epochs(3);
    let r = train(&data, SVector::zeros(), &mut sgd(), &cfg, |_| {}).unwrap();
    assert_eq!(r.stop, StopReason::MaxIterations(3));
    assert_eq!(
        r.to_string().split(';').next(),
        Some("reached the maximum of 3 iterations")
    );

    // A start that already satisfies the gradient rule takes no step.
    let at_min = data.solution();
    let cfg = TrainConfig::default().with_grad_tol(1e-6);
    let r = train(&data, at_min, &mut sgd(), &cfg, |_| {}).unwrap();
    assert!(matches!(r.stop, StopReason::GradientTolerance { .. }));
    assert_eq!((r.iterations, r.steps), (0, 0));
}

#[test]
fn best_parameters_survive_an_oscillating_optimizer() {
    // Heavy momentum overshoots: the loss goes up again after its first minimum, so the final
    // parameters are not the best ones.
    let mut opt = SgdConfig::default()
        .with_lr(0.3)
        .with_momentum(0.95)
        .build()
        .unwrap();
    let rules = StopRules::default()
        .without_grad_tol()
        .with_max_iterations(12);
    let r = minimize(
        &Quadratic,
        SVector::from([2.0, 1.5]),
        &mut opt,
        &rules,
        |_| {},
    )
    .unwrap();
    let best = r.history.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(best < *r.history.last().unwrap(), "{:?}", r.history);
    assert_eq!(r.best_loss, best);
    assert_eq!(Quadratic.value(&r.best_params), best);
}

#[test]
fn configuration_errors_are_values() {
    struct Empty;
    impl Samples for Empty {
        fn len(&self) -> usize {
            0
        }
    }
    impl Objective<1> for Empty {
        fn loss_and_gradient(&self, _: &SVector<f64, 1>, _: &[usize]) -> (f64, SVector<f64, 1>) {
            unreachable!("never called on an empty objective")
        }
    }
    let mut opt = SgdConfig::default().build().unwrap();
    let err = train(
        &Empty,
        SVector::zeros(),
        &mut opt,
        &TrainConfig::default(),
        |_| {},
    );
    assert_eq!(err.unwrap_err(), OptimError::EmptyObjective);

    let data = Regression::new(5);
    let mut opt = SgdConfig::default().build().unwrap();
    let cfg = TrainConfig::default().with_batch_size(0);
    let err = train(&data, SVector::zeros(), &mut opt, &cfg, |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid batch_size = 0: must be at least 1"
    );

    let cfg = TrainConfig::default().with_target_loss(f64::NAN);
    assert!(train(&data, SVector::zeros(), &mut opt, &cfg, |_| {}).is_err());

    let mut opt = SgdConfig::default().build().unwrap();
    let rules = StopRules::default().with_grad_tol(-1.0);
    let err = minimize(&Quadratic, SVector::zeros(), &mut opt, &rules, |_| {}).unwrap_err();
    assert!(
        matches!(err, OptimError::InvalidValue { name: "grad_tol", value, .. } if value == -1.0)
    );
}

#[test]
fn training_resumes_with_the_optimizer_state() {
    // Two runs of 5 epochs with the same optimizer equal one run of 10 (full batch, momentum).
    let data = Regression::new(8);
    let cfg = |e| TrainConfig::default().with_epochs(e).without_grad_tol();
    let build = || {
        SgdConfig::default()
            .with_lr(0.2)
            .with_momentum(0.9)
            .build()
            .unwrap()
    };
    let mut once = build();
    let whole = train(&data, SVector::zeros(), &mut once, &cfg(10), |_| {}).unwrap();
    let mut twice = build();
    let half = train(&data, SVector::zeros(), &mut twice, &cfg(5), |_| {}).unwrap();
    let rest = train(&data, half.params, &mut twice, &cfg(5), |_| {}).unwrap();
    assert_eq!(rest.params, whole.params);
}
