//! Fisher's iris flowers: a 4-8-3 tanh network with softmax cross-entropy, trained by Adam.
//!
//! The 150 flowers of `data/iris.csv` (50 per species) have four measurements each (sepal and
//! petal length and width, in cm). A seeded stratified split keeps 80 % of each species for
//! training (120 flowers) and 20 % for testing (30); a second stratified split of the training
//! part sets a fifth of it aside for validation (96 flowers to fit, 24 to validate). The
//! features are standardised with the mean and standard deviation of the 96 fitted flowers only,
//! so nothing about the validation or test flowers leaks into training. The network and its loss:
//!
//! ```text
//! a = tanh(W1 x + b1)        W1: 8×4, b1: 8
//! z = W2 a + b2              W2: 3×8, b2: 3        (67 parameters in one SVector<f64, 67>)
//! L(θ) = (1/n) Σᵢ [log Σₖ exp(zᵢₖ) − zᵢ,yᵢ]     the softmax cross-entropy, −log P(yᵢ | xᵢ)
//! ```
//!
//! Adam (`η = 0.01`, PyTorch's defaults otherwise) follows the exact gradient, over the 96
//! fitted flowers each epoch, from a seeded Xavier initialisation, for at most 1000 epochs.
//! After every epoch the validation loss is evaluated (`train_monitored`); early stopping ends
//! the run once it has not improved by more than 1e-3 for 50 epochs and hands back the
//! parameters of the epoch where it was lowest. The predicted species is the largest logit. The
//! test accuracy and the confusion matrix (rows: true species, columns: predicted) are measured
//! on the 30 held-out flowers only, which played no part in training or in choosing the epoch.
//!
//! With 30 test flowers one flower is 3.3 %, so the test accuracy depends on which flowers the
//! split puts in the test part.
//!
//! It fails (non-zero exit) unless the test accuracy is at least 93 % (28 of 30).
//!
//! Run with `cargo run --release --example iris [-- --seed N] [--data PATH]`.

mod common;

use common::{Args, ensure};
use dualgrad::data::{CsvLoader, Standardizer};
use dualgrad::model::accuracy;
use dualgrad::model::predicted_class;
use dualgrad::prelude::*;
use dualgrad::train::{Control, EarlyStopping, Monitor, train_monitored};
use std::error::Error;
use std::process::ExitCode;

const USAGE: &str = "usage: iris [--seed N] [--data PATH]
  --seed N     seed of the split and the initialisation (default 1)
  --data PATH  the iris CSV (default: data/iris.csv in the crate)";

/// 4 inputs, 8 tanh hidden units, 3 logits: 8·4 + 8 + 3·8 + 3 = 67 parameters.
type Net = Mlp1<Tanh, 4, 8, 3, 67>;

const FEATURES: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

/// Print the loss and accuracies every this many epochs.
const EVERY: usize = 50;

fn main() -> ExitCode {
    common::run(USAGE, run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse(USAGE, &["--seed", "--data"])?;
    let seed = args.seed(1)?;
    let default_path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");
    let path = args.value("--data").unwrap_or(default_path);

    let (iris, species) = CsvLoader::new(FEATURES, "species").classes_from_path(path)?;
    let (learn_raw, test_raw) = iris.stratified_split(0.8, seed)?;
    let (train_raw, valid_raw) = learn_raw.stratified_split(0.8, seed.wrapping_add(1))?;
    let scaler = Standardizer::fit(&train_raw)?;
    let train_set = scaler.transform(&train_raw)?;
    let (valid_set, test_set) = (scaler.transform(&valid_raw)?, scaler.transform(&test_raw)?);
    println!(
        "iris: {} flowers, {} species; stratified splits (seed {seed}): {} train, {} validation, {} test",
        iris.len(),
        species.len(),
        train_set.len(),
        valid_set.len(),
        test_set.len()
    );
    println!(
        "4-8-3 tanh network, softmax cross-entropy, Adam (lr 0.01), full batch, \
         early stopping on the validation loss (patience 50)\n"
    );

    let net = Net::new();
    let objective = Supervised::new(net, SoftmaxCrossEntropy, &train_set)?;
    let validation = Supervised::new(net, SoftmaxCrossEntropy, &valid_set)?;
    let mut adam = AdamConfig::default().with_lr(0.01).build()?;
    let config = TrainConfig::default().with_epochs(1000);
    let monitor = Monitor::new()
        .with_validation(&validation)
        .with_early_stopping(EarlyStopping::new(50).with_min_delta(1e-3));
    println!(
        "{:>5}  {:>8}  {:>8}  {:>10}  {:>10}",
        "epoch", "loss", "val loss", "train acc", "valid acc"
    );
    let run = train_monitored(
        &objective,
        net.init(seed),
        &mut adam,
        &config,
        monitor,
        |e| {
            let p = &e.progress;
            if p.iteration % EVERY == 0 {
                println!(
                    "{:>5}  {:>8.4}  {:>8.4}  {:>9.1}%  {:>9.1}%",
                    p.iteration,
                    p.loss,
                    e.validation.unwrap_or(f64::NAN),
                    100.0 * accuracy(&net, p.params, &train_set),
                    100.0 * accuracy(&net, p.params, &valid_set)
                );
            }
            Control::Continue
        },
    )?;
    let report = run.report;
    println!("stopped: {}", report.stop);
    if let Some(best) = run.best {
        println!(
            "parameters handed back: epoch {} (validation loss {:.4})\n",
            best.epoch, best.loss
        );
    }

    let params = report.params;
    let test_acc = accuracy(&net, &params, &test_set);
    let confusion = confusion_matrix(&net, &params, &test_set, species.len());
    let right: usize = (0..species.len()).map(|k| confusion[k][k]).sum();
    println!(
        "test accuracy {:.1}% ({right} of {})\n",
        100.0 * test_acc,
        test_set.len()
    );
    print_confusion(&species, &confusion);

    ensure(test_acc >= 0.93, || {
        format!("test accuracy {:.1}% is below 93%", 100.0 * test_acc)
    })
}

/// `m[true][predicted]`: how many flowers of each species were predicted as each species.
fn confusion_matrix(
    net: &Net,
    params: &nalgebra::SVector<f64, 67>,
    data: &Dataset<4, usize>,
    classes: usize,
) -> Vec<Vec<usize>> {
    let mut m = vec![vec![0; classes]; classes];
    let p = net.unpack(params);
    for (x, &y) in data.iter() {
        m[y][predicted_class(&net.forward(&p, x))] += 1;
    }
    m
}

fn print_confusion(species: &[String], m: &[Vec<usize>]) {
    let width = species.iter().map(String::len).max().unwrap_or(0).max(10);
    println!("confusion matrix (rows: true species, columns: predicted)");
    print!("{:width$}", "");
    for name in species {
        print!("  {name:>width$}");
    }
    println!();
    for (name, row) in species.iter().zip(m) {
        print!("{name:width$}");
        for count in row {
            print!("  {count:>width$}");
        }
        println!();
    }
}
