//! Logistic regression on two Gaussian classes, trained by mini-batch SGD with momentum.
//!
//! Class 0 is drawn around `μ₀ = (−1, −0.5)`, class 1 around `μ₁ = (1, 1)`, 200 points each,
//! with independent Gaussian noise of standard deviation `σ = 0.6` on both coordinates; a seeded
//! 75/25 split gives 300 training and 100 test points. The model is the probability
//! `P(class 1 | x) = σ(w·x + b)`, trained on the mean binary cross-entropy of the logit
//!
//! ```text
//! L(w, b) = (1/n) Σᵢ [softplus(zᵢ) − yᵢ zᵢ],   zᵢ = w·xᵢ + b,   ∇L = (1/n) Σᵢ (σ(zᵢ) − yᵢ)(xᵢ, 1)
//! ```
//!
//! by SGD with heavy-ball momentum (`v ← μv + g`, `θ ← θ − ηv`, `η = 0.1`, `μ = 0.9`) on
//! mini-batches of 16 points, reshuffled each epoch.
//!
//! For two Gaussian classes with the same covariance `σ²I`, the log-odds are exactly linear, so
//! the best possible classifier (the Bayes rule) is itself a logistic regression, with
//! `w* = (μ₁ − μ₀)/σ²` and `b* = −(|μ₁|² − |μ₀|²)/(2σ²)`; its error rate is
//! `Φ(−|μ₁ − μ₀|/(2σ)) ≈ 1.9 %`. The example prints the learned boundary `w·x + b = 0` next to
//! that one.
//!
//! With the default seed the train and test accuracies are both 99 %. With 100 test points the
//! test accuracy varies with the seed around the Bayes rule's 98 %; it is at least 95 % for 199
//! of the seeds 0 to 199.
//!
//! It fails (non-zero exit) unless the test accuracy is at least 95 %.
//!
//! Run with `cargo run --release --example logistic_regression [-- --seed N]`.

mod common;

use common::{Args, ensure};
use dualgrad::data::{seeded_rng, unit_uniform};
use dualgrad::model::binary_accuracy;
use dualgrad::model::{BinaryCrossEntropy, LogisticRegression};
use dualgrad::prelude::*;
use nalgebra::SVector;
use std::error::Error;
use std::process::ExitCode;

const USAGE: &str = "usage: logistic_regression [--seed N]   (N: the data seed, default 3)";

/// Two features, three parameters: `W[0,0]`, `W[0,1]`, `b[0]`.
type Classifier = LogisticRegression<2, 3>;

const MU0: [f64; 2] = [-1.0, -0.5];
const MU1: [f64; 2] = [1.0, 1.0];
const SIGMA: f64 = 0.6;
const PER_CLASS: usize = 200;

/// Print the loss and accuracies every this many epochs.
const EVERY: usize = 10;

fn main() -> ExitCode {
    common::run(USAGE, run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let seed = Args::parse(USAGE, &["--seed"])?.seed(3)?;
    let (train_set, test_set) = blobs(seed)?.split(0.75, seed)?;
    let model = Classifier::new();
    let objective = Supervised::new(model, BinaryCrossEntropy, &train_set)?;
    println!(
        "two Gaussian classes around {MU0:?} and {MU1:?}, σ = {SIGMA}: {} train, {} test, seed {seed}",
        train_set.len(),
        test_set.len()
    );
    println!("mini-batch SGD: batch 16, lr 0.1, momentum 0.9\n");

    let mut sgd = SgdConfig::default()
        .with_lr(0.1)
        .with_momentum(0.9)
        .build()?;
    let config = TrainConfig::default()
        .with_epochs(50)
        .with_batch_size(16)
        .with_seed(seed);
    println!(
        "{:>5}  {:>8}  {:>10}  {:>9}",
        "epoch", "loss", "train acc", "test acc"
    );
    let report = train(&objective, model.init(seed), &mut sgd, &config, |p| {
        if p.iteration % EVERY == 0 {
            println!(
                "{:>5}  {:>8.4}  {:>9.1}%  {:>8.1}%",
                p.iteration,
                p.loss,
                100.0 * binary_accuracy(&model, p.params, &train_set),
                100.0 * binary_accuracy(&model, p.params, &test_set)
            );
        }
    })?;
    println!("stopped: {}\n", report.stop);

    let p = report.params;
    let (bayes_w, bayes_b) = bayes_rule();
    println!("learned: {}", boundary(p[0], p[1], p[2]));
    println!("Bayes:   {}\n", boundary(bayes_w[0], bayes_w[1], bayes_b));

    let train_acc = binary_accuracy(&model, &p, &train_set);
    let test_acc = binary_accuracy(&model, &p, &test_set);
    println!(
        "train accuracy {:.1}%, test accuracy {:.1}%",
        100.0 * train_acc,
        100.0 * test_acc
    );
    ensure(test_acc >= 0.95, || {
        format!("test accuracy {:.1}% is below 95%", 100.0 * test_acc)
    })
}

/// `PER_CLASS` points around each centre, labelled 0 and 1, in class order.
fn blobs(seed: u64) -> Result<Dataset<2, f64>, Box<dyn Error>> {
    let mut rng = seeded_rng(seed);
    let mut uniform = || unit_uniform(&mut rng);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for (label, mu) in [(0.0, MU0), (1.0, MU1)] {
        for _ in 0..PER_CLASS {
            let (g0, g1) = gaussian_pair(&mut uniform);
            xs.push(SVector::from([mu[0] + SIGMA * g0, mu[1] + SIGMA * g1]));
            ys.push(label);
        }
    }
    Ok(Dataset::new(xs, ys)?)
}

/// Two independent standard normal draws by the Box–Muller transform.
fn gaussian_pair(uniform: &mut impl FnMut() -> f64) -> (f64, f64) {
    let r = (-2.0 * (1.0 - uniform()).ln()).sqrt(); // 1 − u ∈ (0, 1]
    let t = std::f64::consts::TAU * uniform();
    (r * t.cos(), r * t.sin())
}

/// The Bayes classifier's logit for two Gaussians with covariance `σ²I`:
/// `w* = (μ₁ − μ₀)/σ²`, `b* = −(|μ₁|² − |μ₀|²)/(2σ²)`.
fn bayes_rule() -> (SVector<f64, 2>, f64) {
    let (mu0, mu1) = (SVector::from(MU0), SVector::from(MU1));
    let s2 = SIGMA * SIGMA;
    let w = (mu1 - mu0) / s2;
    let b = -(mu1.norm_squared() - mu0.norm_squared()) / (2.0 * s2);
    (w, b)
}

/// `logit = w₁x₁ + w₂x₂ + b`, and the line where it is 0, solved for `x₂`.
fn boundary(w1: f64, w2: f64, b: f64) -> String {
    format!(
        "logit = {w1:.2}·x₁ + {w2:.2}·x₂ {} {:.2}   boundary x₂ = {:.3}·x₁ {} {:.3}",
        sign(b),
        b.abs(),
        -w1 / w2,
        sign(-b / w2),
        (b / w2).abs()
    )
}

fn sign(v: f64) -> char {
    if v < 0.0 { '-' } else { '+' }
}
