//! Hypergradients: the derivative of a whole training run with respect to its hyperparameters,
//! checked against a closed form (gradient descent on a quadratic) and against Ridders' finite
//! differences of the run itself (each difference re-runs training on `f64`).

use crate::hypergradient_runs;

use dualgrad::check::ridders_derivative;
use dualgrad::data::Dataset;
use dualgrad::data::{CsvLoader, Standardizer};
use dualgrad::model::{MeanSquaredError, Mlp1, Model, SoftmaxCrossEntropy, Supervised, Tanh};
use dualgrad::objective::{BatchLoss, Samples};
use dualgrad::optim::{Adam, AdamConfig, Constant, OptimError, Optimizer, SgdConfig};
use dualgrad::train::{
    RunSetup, TrainConfig, hypergradient, train_unrolled, validation_after_training,
};
use dualgrad::{Jet, Scalar};
use hypergradient_runs::*;
use nalgebra::{SMatrix, SVector};

// ---------------------------------------------------------------------------------------------
// Gradient descent on ½ xᵀAx: x_K = (I − ηA)^K x₀ in closed form.

#[test]
fn gradient_descent_on_a_quadratic_matches_the_closed_form() {
    let (train, val) = (
        Quadratic { validation: false },
        Quadratic { validation: true },
    );
    for (eta, s, k) in [
        (0.1, 1.0, 1),
        (0.1, 1.0, 20),
        (0.3, 0.7, 35),
        (0.05, 2.0, 100),
    ] {
        let config = TrainConfig::default().with_epochs(k);
        let h = SVector::from([eta, s]);
        let hg = hypergradient(&h, gd_setup, &train, &val, &config).unwrap();

        // x_K = M^K x₀, M = I − ηA; dx_K/dη = −K A M^(K−1) x₀ (A and M commute); dx_K/ds = x_K / s.
        let m = SMatrix::<f64, 2, 2>::identity() - a() * eta;
        let x0 = SVector::from(X0) * s;
        let xk = m.pow(k as u32) * x0;
        let dxk_deta = -(a() * m.pow(k as u32 - 1) * x0) * k as f64;
        let loss = 0.5 * xk.dot(&xk);
        let (dl_deta, dl_ds) = (xk.dot(&dxk_deta), xk.dot(&xk) / s);

        let close = |got: f64, want: f64| (got - want).abs() <= 1e-12 * want.abs().max(1e-300);
        assert!(close(hg.loss, loss), "K = {k}: loss {} vs {loss}", hg.loss);
        assert!(
            close(hg.gradient[0], dl_deta),
            "K = {k}: dL/dη {} vs {dl_deta}",
            hg.gradient[0]
        );
        assert!(
            close(hg.gradient[1], dl_ds),
            "K = {k}: dL/ds {} vs {dl_ds}",
            hg.gradient[1]
        );
    }
}

#[test]
fn the_differentiated_run_has_the_value_of_the_plain_run() {
    let (train, val) = (
        Quadratic { validation: false },
        Quadratic { validation: true },
    );
    let config = TrainConfig::default().with_epochs(25);
    let h = SVector::from([0.2, 1.3]);
    let plain = validation_after_training(&h, gd_setup, &train, &val, &config).unwrap();
    let hg = hypergradient(&h, gd_setup, &train, &val, &config).unwrap();
    assert_eq!(hg.loss, plain); // the jets' value parts are the f64 computation, to the bit
}

// ---------------------------------------------------------------------------------------------
// XOR (2-3-1 tanh, 13 parameters), SGD with momentum and weight decay: against Ridders.

#[test]
fn xor_hypergradient_agrees_with_ridders_differences_of_the_run() {
    let data = xor_data();
    let objective = Supervised::new(Xor::new(), MeanSquaredError, &data).unwrap();
    let u = Xor::new().init(3);
    let config = TrainConfig::default().with_epochs(30);
    let h = SVector::from([0.3, 0.5, 0.01, 1.0]);
    let hg = hypergradient(&h, |h| xor_setup(h, &u), &objective, &objective, &config).unwrap();
    let run = |k: usize, t: f64| {
        let mut hk = h;
        hk[k] = t;
        validation_after_training(&hk, |h| xor_setup(h, &u), &objective, &objective, &config)
            .unwrap()
    };
    for k in 0..4 {
        let (fd, err) = ridders_derivative(|t| run(k, t), h[k]);
        let diff = (hg.gradient[k] - fd).abs();
        assert!(
            diff <= 1e-7 * fd.abs().max(1e-3) && diff <= err.max(1e-12) * 4.0 + 1e-10,
            "hyperparameter {k}: hypergradient {} vs Ridders {fd} (error estimate {err})",
            hg.gradient[k]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The acceptance case: 50 steps of AdamW on the iris network, four hyperparameters.

type Iris = Mlp1<Tanh, 4, 8, 3, 67>;
const FEATURES: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

fn iris() -> (Dataset<4, usize>, Dataset<4, usize>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");
    let (all, _) = CsvLoader::new(FEATURES, "species")
        .classes_from_path(path)
        .unwrap();
    let (train, test) = all.stratified_split(0.8, 1).unwrap();
    let scaler = Standardizer::fit(&train).unwrap();
    (
        scaler.transform(&train).unwrap(),
        scaler.transform(&test).unwrap(),
    )
}

/// h = (η, λ, β₁, s): AdamW's learning rate, decoupled weight decay and β₁, and the scale of the
/// initial parameters.
fn iris_setup<T: Scalar>(
    h: &SVector<T, 4>,
    u: &SVector<f64, 67>,
) -> RunSetup<Adam<67, Constant<T>, T>, T, 67> {
    let adam = AdamConfig::default()
        .lift::<T>()
        .with_lr(h[0])
        .with_decoupled_weight_decay(h[1])
        .with_betas(h[2], T::lift(0.999))
        .build()?;
    Ok((adam, u.map(|x| h[3] * x)))
}

/// About 200 training runs of 50 steps for the differences: seconds in release, minutes in a
/// debug build, so it runs in release (`.ci/run`:
/// `cargo test --release --test train -- --include-ignored hypergradient::`).
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "runs in release: cargo test --release --test train hypergradient::"
)]
fn iris_adamw_hypergradient_agrees_with_ridders_to_1e_6() {
    let (train, test) = iris();
    let objective = Supervised::new(Iris::new(), SoftmaxCrossEntropy, &train).unwrap();
    let validation = Supervised::new(Iris::new(), SoftmaxCrossEntropy, &test).unwrap();
    let u = Iris::new().init(1);
    // 120 flowers in batches of 24: 5 steps an epoch, 10 epochs = 50 steps.
    let config = TrainConfig::default()
        .with_epochs(10)
        .with_batch_size(24)
        .with_seed(7);
    let h = SVector::from([0.01, 0.01, 0.9, 1.0]);
    let hg = hypergradient(&h, |h| iris_setup(h, &u), &objective, &validation, &config).unwrap();
    let run = |k: usize, t: f64| {
        let mut hk = h;
        hk[k] = t;
        validation_after_training(&hk, |h| iris_setup(h, &u), &objective, &validation, &config)
            .unwrap()
    };
    let names = ["learning rate", "weight decay", "beta1", "init scale"];
    for k in 0..4 {
        let (fd, err) = ridders_derivative(|t| run(k, t), h[k]);
        let rel = (hg.gradient[k] - fd).abs() / fd.abs();
        println!(
            "{:>13}: hypergradient {:+.12e}, Ridders {fd:+.12e} (estimate ±{err:.1e}), relative {rel:.1e}",
            names[k], hg.gradient[k]
        );
        assert!(rel <= 1e-6, "{}: relative difference {rel:.2e}", names[k]);
    }
    let plain = run(0, h[0]);
    assert_eq!(hg.loss, plain);
}

// ---------------------------------------------------------------------------------------------
// Fixed-length runs: steps, divergence, errors.

#[test]
fn a_run_takes_epochs_times_batches_steps_and_matches_train_on_f64() {
    // On f64 with the same seeded mini-batches, train_unrolled follows train's trajectory (train
    // takes the models' per-layer gradient, train_unrolled the generic one: equal to rounding).
    let data = xor_data();
    let objective = Supervised::new(Xor::new(), MeanSquaredError, &data).unwrap();
    let config = TrainConfig::default()
        .with_epochs(3)
        .with_batch_size(3)
        .with_seed(5);
    let mut sgd = SgdConfig::default().with_lr(0.1).build().unwrap();
    let run = train_unrolled(&objective, Xor::new().init(2), &mut sgd, &config).unwrap();
    assert_eq!(run.steps, 6); // ⌈4 / 3⌉ = 2 batches an epoch
    assert_eq!(run.diverged, None);

    let mut sgd = SgdConfig::default().with_lr(0.1).build().unwrap();
    let report =
        dualgrad::train::train(&objective, Xor::new().init(2), &mut sgd, &config, |_| {}).unwrap();
    let diff = (run.params - report.params).amax();
    assert!(diff < 1e-14, "unrolled vs train: {diff:e}");
}

#[test]
fn a_diverging_run_stops_with_the_last_finite_parameters_and_no_hypergradient() {
    let data = xor_data();
    let objective = Supervised::new(Xor::new(), MeanSquaredError, &data).unwrap();
    let config = TrainConfig::default().with_epochs(200);
    let mut sgd = SgdConfig::default().with_lr(1e6).build().unwrap();
    let run = train_unrolled(&objective, Xor::new().init(2), &mut sgd, &config).unwrap();
    let (step, _) = run.diverged.expect("lr = 1e6 diverges");
    assert!(step < 200 && run.params.iter().all(|p| p.is_finite()));
    assert_eq!(run.steps, step);

    let u = Xor::new().init(2);
    let h = SVector::from([1e6, 0.0, 0.0, 1.0]);
    let err = hypergradient(&h, |h| xor_setup(h, &u), &objective, &objective, &config);
    assert!(
        matches!(err, Err(OptimError::DivergedRun { .. })),
        "{err:?}"
    );
}

#[test]
fn bad_settings_are_errors_naming_the_value() {
    let (train, val) = (
        Quadratic { validation: false },
        Quadratic { validation: true },
    );
    let config = TrainConfig::default().with_epochs(2);
    let h = SVector::from([-0.1, 1.0]); // a negative learning rate
    let err = hypergradient(&h, gd_setup, &train, &val, &config).unwrap_err();
    assert_eq!(err, OptimError::InvalidLearningRate(-0.1));
    let zero_batch = TrainConfig::default().with_batch_size(0);
    let err = hypergradient(
        &SVector::from([0.1, 1.0]),
        gd_setup,
        &train,
        &val,
        &zero_batch,
    );
    assert!(matches!(
        err,
        Err(OptimError::InvalidCount {
            name: "batch_size",
            ..
        })
    ));
    let too_big = TrainConfig::default().with_batch_size(5); // one sample
    let err = hypergradient(&SVector::from([0.1, 1.0]), gd_setup, &train, &val, &too_big);
    assert_eq!(
        err,
        Err(OptimError::BatchLargerThanData {
            batch_size: 5,
            samples: 1
        })
    );
    // a schedule (a closure of the step) whose value turns negative: named, not ascended
    let falling = |h: &SVector<Jet<f64, 2>, 2>| {
        let lr0 = h[0];
        let schedule = move |k: usize| lr0 - k as f64 * 0.1;
        let sgd = SgdConfig::default()
            .lift()
            .with_schedule(schedule)
            .build()?;
        Ok((sgd, SVector::from([h[1] * X0[0], h[1] * X0[1]])))
    };
    let config = TrainConfig::default().with_epochs(5);
    let err = hypergradient(&SVector::from([0.15, 1.0]), falling, &train, &val, &config);
    assert!(
        matches!(err, Err(OptimError::ScheduledRate { step: 2, .. })),
        "{err:?}"
    );
}

#[test]
fn nested_jets_step_the_optimizers_exactly() {
    // One Adam step from θ₀ with gradient g: θ₁ = θ₀ − η g / (|g| + ε) (bias-corrected moments
    // of one step are g and g²): ∂θ₁/∂η = −g / (|g| + ε), ∂θ₁/∂β₁ = 0 after one step.
    let mut adam = AdamConfig::default()
        .lift::<Jet<f64, 2>>()
        .with_lr(Jet::variable(0.01, 0))
        .with_betas(Jet::variable(0.9, 1), Jet::constant(0.999))
        .build::<1>()
        .unwrap();
    let mut theta = SVector::from([Jet::constant(1.0)]);
    adam.step(&mut theta, &SVector::from([Jet::constant(-2.0)]));
    let want = 2.0 / (2.0 + 1e-8);
    assert!((theta[0].eps[0] - want).abs() < 1e-15);
    assert!(theta[0].eps[1].abs() < 1e-12, "{}", theta[0].eps[1]);
}

// ---------------------------------------------------------------------------------------------
// Large P: the parameter gradient at jet parameters is taken in chunks above 72 parameters;
// 200 parameters in a debug build inside a 2 MiB thread, against the closed form.

/// ½ Σ aᵢ xᵢ² with aᵢ = 1 + i/200 (training) or ½ Σ xᵢ² (validation).
struct Diagonal {
    validation: bool,
}

impl Samples for Diagonal {
    fn len(&self) -> usize {
        1
    }
}
impl BatchLoss<200> for Diagonal {
    fn batch_loss<T: Scalar>(&self, x: &SVector<T, 200>, _: &[usize]) -> T {
        let mut sum = T::zero();
        for i in 0..200 {
            let a = if self.validation {
                1.0
            } else {
                1.0 + i as f64 / 200.0
            };
            sum += x[i] * x[i] * (0.5 * a);
        }
        sum
    }
}

#[test]
fn two_hundred_parameters_in_a_2_mib_thread_match_the_closed_form() {
    let run = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let (train, val) = (
                Diagonal { validation: false },
                Diagonal { validation: true },
            );
            let x0 = SVector::<f64, 200>::from_fn(|i, _| ((i as f64) * 0.1).cos());
            let config = TrainConfig::default().with_epochs(7);
            let setup = |h: &SVector<Jet<f64, 1>, 1>| {
                let sgd = SgdConfig::default().lift().with_lr(h[0]).build()?;
                Ok((sgd, x0.map(Jet::constant)))
            };
            let hg = hypergradient(&SVector::from([0.3]), setup, &train, &val, &config).unwrap();
            // x_K,i = (1 − η aᵢ)^K x₀,ᵢ; dL/dη = Σ x_K,i · (−K aᵢ (1 − η aᵢ)^(K−1) x₀,ᵢ)
            let (eta, k) = (0.3_f64, 7);
            let (mut loss, mut grad) = (0.0, 0.0);
            for i in 0..200 {
                let a = 1.0 + i as f64 / 200.0;
                let m = 1.0 - eta * a;
                let xk = m.powi(k) * x0[i];
                loss += 0.5 * xk * xk;
                grad += xk * (-(k as f64) * a * m.powi(k - 1) * x0[i]);
            }
            (hg.loss, hg.gradient[0], loss, grad)
        })
        .unwrap()
        .join()
        .unwrap();
    let (got_loss, got_grad, loss, grad) = run;
    assert!(
        (got_loss - loss).abs() <= 1e-12 * loss,
        "{got_loss} vs {loss}"
    );
    assert!(
        (got_grad - grad).abs() <= 1e-12 * grad.abs(),
        "{got_grad} vs {grad}"
    );
}

/// A weight decay of exactly 0, differentiated with respect to itself: the optimizers skip a
/// zero decay only when its tangent is zero too, so dL/dλ at λ = 0 is the closed form
/// (x_K = (I − η(A + λI))^K x₀, dx_K/dλ = −Kη (I − ηA)^(K−1) x₀ at λ = 0), not 0.
#[test]
fn a_zero_weight_decay_has_its_derivative() {
    let (train, val) = (
        Quadratic { validation: false },
        Quadratic { validation: true },
    );
    let (eta, k) = (0.1, 12_u32);
    let config = TrainConfig::default().with_epochs(k as usize);
    let setup = |h: &SVector<Jet<f64, 1>, 1>| {
        let sgd = SgdConfig::default()
            .lift()
            .with_lr(Jet::constant(eta))
            .with_weight_decay(h[0])
            .build()?;
        Ok((sgd, SVector::from(X0).map(Jet::constant)))
    };
    let hg = hypergradient(&SVector::from([0.0]), setup, &train, &val, &config).unwrap();
    let m = SMatrix::<f64, 2, 2>::identity() - a() * eta;
    let x0 = SVector::from(X0);
    let xk = m.pow(k) * x0;
    let want = xk.dot(&(m.pow(k - 1) * x0 * (-(k as f64) * eta)));
    assert!(want.abs() > 1e-3);
    assert!(
        (hg.gradient[0] - want).abs() <= 1e-12 * want.abs(),
        "{} vs {want}",
        hg.gradient[0]
    );
}
