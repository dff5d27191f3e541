//! The cost of a differentiated training run (a hypergradient with respect to H hyperparameters)
//! against the same run on `f64`: 1-epoch runs of AdamW on the iris network, full batch.
//!
//! ```text
//! cargo bench --bench hypergradient                           # criterion timings
//! cargo bench --bench hypergradient -- --callgrind CASE COUNT   # COUNT runs of CASE only
//! ```
//!
//! Cases: `plain` (the run on `f64`: the generic parameter gradient, as `train_unrolled` takes
//! it), `hyper-1`, `hyper-2`, `hyper-4` (learning rate; + weight decay; + β₁ and the
//! initialisation scale). Under callgrind, (count n − count 0) / n is the exact instruction count
//! of one run (the data setup cancels).

use criterion::Criterion;
use dualgrad::data::{CsvLoader, Dataset, Standardizer};
use dualgrad::model::{Mlp1, Model, SoftmaxCrossEntropy, Supervised, Tanh};
use dualgrad::optim::{Adam, AdamConfig, Constant};
use dualgrad::train::{RunSetup, TrainConfig, hypergradient, validation_after_training};
use dualgrad::{Jet, Scalar};
use nalgebra::SVector;
use std::hint::black_box;

const P: usize = 67;
type Net = Mlp1<Tanh, 4, 8, 3, P>;
const FEATURES: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
const CASES: [&str; 4] = ["plain", "hyper-1", "hyper-2", "hyper-4"];

/// (η, λ, β₁, s) → AdamW and s · u; with fewer than 4 hyperparameters the rest are constants.
fn setup<T: Scalar, const H: usize>(
    h: &SVector<T, H>,
    u: &SVector<f64, P>,
) -> RunSetup<Adam<P, Constant<T>, T>, T, P> {
    let get = |k: usize, default: f64| if k < H { h[k] } else { T::lift(default) };
    let adam = AdamConfig::default()
        .lift::<T>()
        .with_lr(get(0, 0.01))
        .with_decoupled_weight_decay(get(1, 0.01))
        .with_betas(get(2, 0.9), T::lift(0.999))
        .build()?;
    let s = get(3, 1.0);
    Ok((adam, u.map(|x| s * x)))
}

fn data() -> Dataset<4, usize> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");
    let (iris, _) = CsvLoader::new(FEATURES, "species")
        .classes_from_path(path)
        .unwrap();
    let (train_raw, _) = iris.stratified_split(0.8, 1).unwrap();
    Standardizer::fit(&train_raw)
        .unwrap()
        .transform(&train_raw)
        .unwrap()
}

fn run_case(case: &str, data: &Dataset<4, usize>, count: usize) -> f64 {
    let objective = Supervised::new(Net::new(), SoftmaxCrossEntropy, data).unwrap();
    let u = Net::new().init(1);
    let config = TrainConfig::default().with_epochs(1);
    let mut acc = 0.0;
    for _ in 0..count {
        acc += match case {
            "plain" => {
                let h = SVector::from([0.01, 0.01, 0.9, 1.0]);
                validation_after_training(&h, |h| setup(h, &u), &objective, &objective, &config)
                    .unwrap()
            }
            "hyper-1" => hyper::<1>(&objective, &u, &config),
            "hyper-2" => hyper::<2>(&objective, &u, &config),
            "hyper-4" => hyper::<4>(&objective, &u, &config),
            other => panic!("unknown case {other:?}; the cases are {CASES:?}"),
        };
    }
    acc
}

type Objective<'a> = Supervised<'a, Net, SoftmaxCrossEntropy, usize, 4, 3, P>;

fn hyper<const H: usize>(
    objective: &Objective<'_>,
    u: &SVector<f64, P>,
    config: &TrainConfig,
) -> f64 {
    let h = SVector::<f64, H>::from_fn(|k, _| [0.01, 0.01, 0.9, 1.0][k]);
    let setup = |h: &SVector<Jet<f64, H>, H>| setup(h, u);
    let hg = hypergradient(&h, setup, objective, objective, config).unwrap();
    hg.loss + hg.gradient.sum()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let data = data();
    if let ["--callgrind", case, count] = args.as_slice() {
        let count = count
            .parse()
            .expect("--callgrind CASE COUNT: COUNT must be an integer");
        black_box(run_case(case, &data, count));
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    for case in CASES {
        c.bench_function(case, |b| b.iter(|| run_case(case, &data, 1)));
    }
    c.final_summary();
}
