//! What one optimizer step and one training epoch cost on `f64`, and what a differentiated
//! training run (hypergradient) costs against a plain one.
//!
//! ```text
//! cargo bench --bench optim_steps                          # criterion timings
//! cargo bench --bench optim_steps -- --callgrind CASE COUNT  # COUNT repetitions of CASE only
//! ```
//!
//! Under `valgrind --tool=callgrind`, the difference between COUNT = 0 and COUNT = n runs,
//! divided by n, is the exact instruction count of one repetition (setup cancels). The cases use
//! only the public f64 API that existed before the optimizers became generic over the scalar, so
//! the same file measures both versions of the crate side by side (docs/performance.md).

use criterion::Criterion;
use dualgrad::data::{CsvLoader, Standardizer};
use dualgrad::model::{Mlp1, Model, SoftmaxCrossEntropy, Supervised, Tanh};
use dualgrad::optim::{AdagradConfig, AdamConfig, Optimizer, RmspropConfig, SgdConfig};
use dualgrad::train::{TrainConfig, train};
use nalgebra::SVector;
use std::hint::black_box;

const P: usize = 67;
type Net = Mlp1<Tanh, 4, 8, 3, P>;
const FEATURES: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
const CASES: [&str; 5] = [
    "sgd-momentum",
    "adagrad",
    "rmsprop-centered",
    "adam",
    "train-iris",
];

fn gradient() -> SVector<f64, P> {
    SVector::from_fn(|i, _| ((i as f64) * 0.37).sin())
}

/// `count` steps of one optimizer from the same start with a fixed gradient.
fn steps<O: Optimizer<P>>(mut opt: O, count: usize) -> SVector<f64, P> {
    let g = gradient();
    let mut p = SVector::<f64, P>::repeat(0.5);
    for _ in 0..count {
        opt.step(black_box(&mut p), black_box(&g));
    }
    p
}

fn run_case(case: &str, count: usize) -> f64 {
    match case {
        "sgd-momentum" => {
            let opt = SgdConfig::default()
                .with_lr(1e-3)
                .with_momentum(0.9)
                .with_nesterov(true);
            steps(opt.build().unwrap(), count).sum()
        }
        "adagrad" => steps(
            AdagradConfig::default()
                .with_weight_decay(1e-4)
                .build()
                .unwrap(),
            count,
        )
        .sum(),
        "rmsprop-centered" => {
            let opt = RmspropConfig::default()
                .with_centered(true)
                .with_momentum(0.9);
            steps(opt.build().unwrap(), count).sum()
        }
        "adam" => {
            let opt = AdamConfig::default().with_lr(1e-3).with_weight_decay(1e-4);
            steps(opt.build().unwrap(), count).sum()
        }
        "train-iris" => {
            // `count` epochs of full-batch Adam on the 120 training flowers (one step an epoch).
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");
            let (iris, _) = CsvLoader::new(FEATURES, "species")
                .classes_from_path(path)
                .unwrap();
            let (train_raw, _) = iris.stratified_split(0.8, 1).unwrap();
            let data = Standardizer::fit(&train_raw)
                .unwrap()
                .transform(&train_raw)
                .unwrap();
            let objective = Supervised::new(Net::new(), SoftmaxCrossEntropy, &data).unwrap();
            let mut adam = AdamConfig::default().with_lr(0.01).build().unwrap();
            let config = TrainConfig::default().with_epochs(count).without_grad_tol();
            let report = train(&objective, Net::new().init(1), &mut adam, &config, |_| {}).unwrap();
            report.params.sum()
        }
        other => panic!("unknown case {other:?}; the cases are {CASES:?}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let ["--callgrind", case, count] = args.as_slice() {
        let count = count
            .parse()
            .expect("--callgrind CASE COUNT: COUNT must be an integer");
        black_box(run_case(case, count));
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    for case in CASES {
        let count = if case == "train-iris" { 10 } else { 1000 };
        c.bench_function(&format!("{case} x{count}"), |b| {
            b.iter(|| run_case(case, count))
        });
    }
    c.final_summary();
}
