//! optax's AMSGrad (running maximum of the bias-corrected second moment) against the iterates of
//! `tests/reference/optax_amsgrad.py`, an independent transcription of optax's published
//! `scale_by_amsgrad` rule (regenerate with `python3 tests/reference/optax_amsgrad.py`).

use dualgrad::optim::{AdamConfig, AmsgradMax, Optimizer};
use nalgebra::{SMatrix, SVector};
use serde_json::Value;

const JSON: &str = include_str!("../reference/optax_amsgrad.json");

fn vector(v: &Value) -> SVector<f64, 2> {
    SVector::from_fn(|i, _| v[i].as_f64().expect("a number"))
}

#[test]
fn optax_amsgrad_reproduces_the_first_five_iterates() {
    let doc: Value = serde_json::from_str(JSON).unwrap();
    let a = SMatrix::<f64, 2, 2>::from_fn(|i, j| doc["A"][i][j].as_f64().unwrap());
    let b = vector(&doc["b"]);
    let mut x = vector(&doc["x0"]);
    let lr = doc["lr"].as_f64().unwrap();
    let mut opt = AdamConfig::default()
        .with_lr(lr)
        .with_amsgrad(true)
        .with_amsgrad_max(AmsgradMax::BiasCorrected)
        .build::<2>()
        .unwrap();
    let iterates = doc["iterates"].as_array().unwrap();
    assert_eq!(iterates.len(), 5);
    for (k, expected) in iterates.iter().enumerate() {
        let g = a * x - b;
        opt.step(&mut x, &g);
        let err = (x - vector(expected)).abs().max();
        assert!(
            err <= 1e-12,
            "iterate {}: {x:?} vs {expected}: {err:e}",
            k + 1
        );
    }
}

/// PyTorch's AMSGrad (raw maximum) is a different trajectory on the same problem: the switch
/// matters here (the second moment of the first coordinate shrinks from step 2 on).
#[test]
fn pytorch_amsgrad_differs_from_optax_on_the_same_problem() {
    let doc: Value = serde_json::from_str(JSON).unwrap();
    let a = SMatrix::<f64, 2, 2>::from_fn(|i, j| doc["A"][i][j].as_f64().unwrap());
    let b = vector(&doc["b"]);
    let mut x = vector(&doc["x0"]);
    let mut opt = AdamConfig::default()
        .with_lr(0.1)
        .with_amsgrad(true)
        .build::<2>()
        .unwrap();
    for _ in 0..5 {
        let g = a * x - b;
        opt.step(&mut x, &g);
    }
    let last = vector(&doc["iterates"][4]);
    assert!((x - last).abs().max() > 1e-9, "{x:?} vs {last:?}");
}
