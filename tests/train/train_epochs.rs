//! Schedules given in epochs: `TrainConfig::steps_per_epoch` counts the steps `train` really
//! makes, and `PerEpoch` holds the inner schedule's rate for the whole of each epoch.

use dualgrad::objective::{Objective, Samples};
use dualgrad::optim::{Exponential, OptimError, Optimizer, Schedule, SgdConfig, StepDecay};
use dualgrad::train::{PerEpoch, TrainConfig, train};
use nalgebra::SVector;
use quickcheck::{QuickCheck, TestResult};

/// Mean of ½(p − i)² over `n` samples `i = 0..n`; records nothing, takes any batch.
struct Mean(usize);
impl Samples for Mean {
    fn len(&self) -> usize {
        self.0
    }
}
impl Objective<1> for Mean {
    fn loss_and_gradient(&self, p: &SVector<f64, 1>, idx: &[usize]) -> (f64, SVector<f64, 1>) {
        let n = idx.len().max(1) as f64;
        let loss = idx
            .iter()
            .map(|&i| 0.5 * (p[0] - i as f64).powi(2))
            .sum::<f64>()
            / n;
        let grad = idx.iter().map(|&i| p[0] - i as f64).sum::<f64>() / n;
        (loss, SVector::from([grad]))
    }
}

/// For sizes in 1..=60, batches in 1..=70 or full batch, and 1..=6 epochs: the optimizer makes
/// `epochs × steps_per_epoch` steps, counted independently as ⌈n / b⌉ by repeated subtraction;
/// a batch larger than the data set is rejected by both (issue 12).
#[test]
fn steps_per_epoch_counts_the_steps_train_makes() {
    fn prop(n: u8, b: u8, epochs: u8, full: bool) -> TestResult {
        let (n, b, epochs) = (
            1 + n as usize % 60,
            1 + b as usize % 70,
            1 + epochs as usize % 6,
        );
        let mut config = TrainConfig::default()
            .with_epochs(epochs)
            .without_grad_tol();
        config = if full {
            config.with_full_batch()
        } else {
            config.with_batch_size(b)
        };
        if !full && b > n {
            let e = OptimError::BatchLargerThanData {
                batch_size: b,
                samples: n,
            };
            let mut sgd = SgdConfig::default().with_lr(1e-3).build().unwrap();
            let trained = train(&Mean(n), SVector::from([0.0]), &mut sgd, &config, |_| {});
            return TestResult::from_bool(
                config.steps_per_epoch(n) == Err(e) && trained.unwrap_err() == e,
            );
        }
        let per_epoch = config.steps_per_epoch(n).unwrap();
        let mut expected = 0;
        let mut left = n as isize;
        while left > 0 {
            expected += 1;
            left -= b as isize;
        }
        if full {
            expected = 1;
        }
        let mut sgd = SgdConfig::default().with_lr(1e-3).build().unwrap();
        let report = train(&Mean(n), SVector::from([0.0]), &mut sgd, &config, |_| {}).unwrap();
        TestResult::from_bool(
            per_epoch == expected
                && sgd.steps() == epochs * per_epoch
                && report.params[0].is_finite(),
        )
    }
    QuickCheck::new()
        .tests(200)
        .min_tests_passed(200)
        .quickcheck(prop as fn(u8, u8, u8, bool) -> TestResult);
}

/// `rate(k)` is the inner rate at epoch ⌊k / s⌋: for `η γᵉ`, constant within an epoch and
/// multiplied by γ from one epoch to the next.
#[test]
fn rate_is_constant_within_an_epoch() {
    fn prop(s: u8, k: u16) -> TestResult {
        let (s, k) = (1 + s as usize % 20, k as usize % 500);
        let per_epoch = PerEpoch::new(Exponential::new(0.8, 0.5).unwrap(), s).unwrap();
        let epoch = k / s;
        let closed = 0.8 * (0..epoch).fold(1.0, |p, _| p * 0.5);
        let first = epoch * s; // the epoch's first step
        TestResult::from_bool(
            (per_epoch.rate(k) - closed).abs() <= 1e-15 * closed
                && per_epoch.rate(k) == per_epoch.rate(first),
        )
    }
    QuickCheck::new()
        .tests(300)
        .min_tests_passed(300)
        .quickcheck(prop as fn(u8, u16) -> TestResult);
}

/// Training resumed one epoch at a time: before epoch `e` the optimizer's next rate is the
/// schedule's at epoch `e`, here 0.1 · ½^⌊e/2⌋, whatever the batches.
#[test]
fn an_optimizer_in_train_follows_the_epochs() {
    let config = TrainConfig::default()
        .with_epochs(6)
        .with_batch_size(3)
        .without_grad_tol();
    let schedule =
        PerEpoch::for_training(StepDecay::new(0.1, 2, 0.5).unwrap(), &config, 10).unwrap();
    assert_eq!(schedule.steps_per_epoch(), 4); // 3 + 3 + 3 + 1
    let mut sgd = SgdConfig::default()
        .with_schedule(schedule)
        .build()
        .unwrap();
    let mut seen = Vec::new();
    let mut p = SVector::from([0.0]);
    for epoch in 0..6 {
        seen.push(sgd.learning_rate());
        let one = TrainConfig::default()
            .with_epochs(1)
            .with_batch_size(3)
            .with_seed(epoch)
            .without_grad_tol();
        p = train(&Mean(10), p, &mut sgd, &one, |_| {}).unwrap().params;
    }
    assert_eq!(seen, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    assert_eq!(sgd.steps(), 24);
}

#[test]
fn bad_counts_are_errors_naming_the_value() {
    let e = PerEpoch::new(StepDecay::new(0.1, 2, 0.5).unwrap(), 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid steps_per_epoch = 0: must be at least 1"
    );
    let config = TrainConfig::default().with_batch_size(0);
    assert_eq!(
        config.steps_per_epoch(5).unwrap_err().to_string(),
        "invalid batch_size = 0: must be at least 1"
    );
    assert_eq!(
        TrainConfig::default().steps_per_epoch(0),
        Err(OptimError::EmptyObjective)
    );
}
