//! Validation, early stopping, `ReduceLROnPlateau` and the observer's control of `train`.
//!
//! The learning-rate sequences are compared with `tests/reference/reduce_lr_on_plateau.json`,
//! written by `tests/reference/reduce_lr_on_plateau.py`, an independent transcription of
//! PyTorch's `torch.optim.lr_scheduler.ReduceLROnPlateau` (PyTorch 2.x). The training runs use
//! objectives with closed-form trajectories (gradient descent on a mean of squares).

use crate::common;
use dualgrad::optim::SgdConfig;
use dualgrad::optim::StopReason;
use dualgrad::train::{
    Control, EarlyStopping, Monitor, PlateauMode, ReduceLrOnPlateau, ThresholdMode, TrainConfig,
    train, train_monitored,
};

use common::Mean;
use nalgebra::SVector;
use serde_json::Value;

const JSON: &str = include_str!("../reference/reduce_lr_on_plateau.json");

fn number(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "nan" => f64::NAN,
        _ => v.as_f64().expect("a number"),
    }
}

#[test]
fn reduce_lr_on_plateau_reproduces_pytorchs_sequences() {
    let doc: Value = serde_json::from_str(JSON).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 13);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mode = match case["mode"].as_str().unwrap() {
            "min" => PlateauMode::Min,
            _ => PlateauMode::Max,
        };
        let tmode = match case["threshold_mode"].as_str().unwrap() {
            "rel" => ThresholdMode::Rel,
            _ => ThresholdMode::Abs,
        };
        let mut rule = ReduceLrOnPlateau::new(number(&case["lr"]))
            .with_mode(mode)
            .with_factor(number(&case["factor"]))
            .with_patience(case["patience"].as_u64().unwrap() as usize)
            .with_threshold(number(&case["threshold"]), tmode)
            .with_cooldown(case["cooldown"].as_u64().unwrap() as usize)
            .with_min_lr(number(&case["min_lr"]))
            .with_eps(number(&case["eps"]))
            .build()
            .unwrap();
        let metrics = case["metrics"].as_array().unwrap();
        let expected = case["lrs"].as_array().unwrap();
        for (k, (m, e)) in metrics.iter().zip(expected).enumerate() {
            let (lr, e) = (rule.step(number(m)), number(e));
            // The same IEEE operations in the same order give the same doubles; the allowance
            // of one ulp is for serde_json's float parsing (without `float_roundtrip`).
            assert!(
                (lr - e).abs() <= f64::EPSILON * e,
                "{name}: step {k}: {lr} vs {e}"
            );
        }
    }
}

/// Training pulls p from 0 towards 4 (p_k = 4(1 − 0.75ᵏ) with rate 0.25); the validation data
/// sit at 1.5, passed between epochs 1 (p = 1) and 2 (p = 1.75). The best validation epoch is
/// 2 (|1.75 − 1.5| < |1 − 1.5|); with patience 3 the run stops at epoch 5 and must hand back
/// p₂ = 1.75 exactly, not the last parameters.
#[test]
fn early_stopping_restores_the_parameters_best_on_validation() {
    let (train_set, valid) = (Mean(vec![3.0, 5.0]), Mean(vec![1.5]));
    let mut sgd = SgdConfig::default().with_lr(0.25).build().unwrap();
    let monitor = Monitor::new()
        .with_validation(&valid)
        .with_early_stopping(EarlyStopping::new(3));
    let r = train_monitored(
        &train_set,
        SVector::from([0.0]),
        &mut sgd,
        &TrainConfig::default(),
        monitor,
        |_| Control::Continue,
    )
    .unwrap();
    let p2 = 4.0 * (1.0 - 0.75_f64.powi(2));
    assert_eq!(p2, 1.75);
    assert_eq!(
        r.report.stop,
        StopReason::EarlyStopped {
            best_epoch: 2,
            best_loss: 0.5 * 0.25 * 0.25
        }
    );
    assert_eq!(r.report.iterations, 5);
    assert_eq!(r.report.params[0], p2);
    assert_eq!(r.best.unwrap().params[0], p2);
    // The validation history is ½(p_k − 1.5)² for k = 0..=5.
    assert_eq!(r.validation_history.len(), 6);
    for (k, v) in r.validation_history.iter().enumerate() {
        let p = 4.0 * (1.0 - 0.75_f64.powi(k as i32));
        assert!((v - 0.5 * (p - 1.5).powi(2)).abs() < 1e-15, "epoch {k}");
    }
    // The training report is train's: its own best is the last (training loss keeps falling).
    assert_eq!(r.report.history.len(), 6);
}

/// min_delta: improvements smaller than it do not reset the patience counter.
#[test]
fn early_stopping_min_delta_ignores_small_improvements() {
    // Training converges geometrically to 2 (p_k = 2(1 − 0.5ᵏ) with rate 0.5), validation at 2:
    // validation losses ½(p_k − 2)² = 2·0.25ᵏ: 2, 0.5, 0.125, 0.03125, 0.0078125, ...
    // With min_delta = 0.1 an epoch improves significantly if its loss is below r − 0.1, r the
    // loss of the last significant improvement: epochs 1 and 2 do; epoch 3 (0.03125, not below
    // 0.125 − 0.1 = 0.025) does not; epoch 4 (0.0078) does; epochs 5 and 6 cannot (nothing is
    // below 0.0078 − 0.1 < 0), so patience 2 stops at 6. The loss still fell at every epoch, so
    // the lowest is epoch 6's: p₆ = 2(1 − 1/64) = 1.96875.
    let (train_set, valid) = (Mean(vec![1.0, 3.0]), Mean(vec![2.0]));
    let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
    let monitor = Monitor::new()
        .with_validation(&valid)
        .with_early_stopping(EarlyStopping::new(2).with_min_delta(0.1));
    let r = train_monitored(
        &train_set,
        SVector::from([0.0]),
        &mut sgd,
        &TrainConfig::default(),
        monitor,
        |_| Control::Continue,
    )
    .unwrap();
    assert!(
        matches!(
            r.report.stop,
            StopReason::EarlyStopped { best_epoch: 6, .. }
        ),
        "{}",
        r.report
    );
    assert_eq!(r.report.iterations, 6);
    assert_eq!(r.report.params[0], 1.96875);
    // Without min_delta the loss improves every epoch and the run goes to the epoch limit.
    let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
    let monitor = Monitor::new()
        .with_validation(&valid)
        .with_early_stopping(EarlyStopping::new(2));
    let cfg = TrainConfig::default().with_epochs(12);
    let r = train_monitored(
        &train_set,
        SVector::from([0.0]),
        &mut sgd,
        &cfg,
        monitor,
        |_| Control::Continue,
    )
    .unwrap();
    assert_eq!(r.report.stop, StopReason::MaxIterations(12));
}

/// The observer sees the learning rate in effect (halved by the plateau rule) and stops the run.
#[test]
fn observer_sees_the_plateau_rate_and_can_stop_the_run() {
    // Validation data far from the training data, so the validation loss rises every epoch
    // after the first: patience 0 halves the rate at every bad epoch.
    let (train_set, valid) = (Mean(vec![2.0]), Mean(vec![-10.0]));
    let mut sgd = SgdConfig::default().with_lr(0.1).build().unwrap();
    let monitor = Monitor::new().with_validation(&valid).with_plateau(
        ReduceLrOnPlateau::new(0.1)
            .with_patience(0)
            .with_factor(0.5),
    );
    let mut seen = Vec::new();
    let r = train_monitored(
        &train_set,
        SVector::from([0.0]),
        &mut sgd,
        &TrainConfig::default(),
        monitor,
        |e| {
            seen.push(e.learning_rate);
            if e.progress.iteration == 4 {
                Control::Stop
            } else {
                Control::Continue
            }
        },
    )
    .unwrap();
    assert_eq!(r.report.stop, StopReason::ObserverStopped);
    assert_eq!(r.report.iterations, 4);
    // Epoch 0: 0.1. Epoch 1 is the first value (better than +inf): 0.1. Then every epoch is
    // worse: 0.05, 0.025, 0.0125.
    let expected = [0.1, 0.1, 0.05, 0.025, 0.0125];
    assert_eq!(seen.len(), 5);
    for (a, b) in seen.iter().zip(expected) {
        assert!((a - b).abs() < 1e-15, "{seen:?}");
    }
    assert_eq!(r.learning_rates.len(), 4);
    // The steps really used those rates: p ← p − η(p − 2).
    let mut p = 0.0;
    for eta in &r.learning_rates {
        p -= eta * (p - 2.0);
    }
    assert!((r.report.params[0] - p).abs() < 1e-15);
}

/// train is train_monitored without extras: the same report, bit for bit.
#[test]
fn train_equals_train_monitored_without_extras() {
    let data = Mean(vec![1.0, 2.0, 4.0, 7.0]);
    let cfg = TrainConfig::default()
        .with_epochs(7)
        .with_batch_size(3)
        .with_seed(5);
    let mut a = SgdConfig::default()
        .with_lr(0.1)
        .with_momentum(0.9)
        .build()
        .unwrap();
    let mut b = a.clone();
    let plain = train(&data, SVector::from([0.0]), &mut a, &cfg, |_| {}).unwrap();
    let monitored = train_monitored(
        &data,
        SVector::from([0.0]),
        &mut b,
        &cfg,
        Monitor::new(),
        |_| Control::Continue,
    )
    .unwrap();
    assert_eq!(plain, monitored.report);
    assert!(monitored.validation_history.is_empty());
}

#[test]
fn bad_monitor_settings_are_errors() {
    let data = Mean(vec![1.0]);
    let empty = Mean(vec![]);
    let cfg = TrainConfig::default();
    let mut sgd = SgdConfig::default().build().unwrap();
    let run = |m: Monitor<'_, 1>, sgd: &mut dualgrad::optim::Sgd<1>| {
        train_monitored(&data, SVector::from([0.0]), sgd, &cfg, m, |_| {
            Control::Continue
        })
    };
    assert!(run(Monitor::new().with_validation(&empty), &mut sgd).is_err());
    assert!(
        run(
            Monitor::new().with_early_stopping(EarlyStopping::new(0)),
            &mut sgd
        )
        .is_err()
    );
    let e = run(
        Monitor::new().with_plateau(ReduceLrOnPlateau::new(1.0).with_min_lr(-1.0)),
        &mut sgd,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid min_lr = -1: must be finite and >= 0"
    );
}
