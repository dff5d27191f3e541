//! Tuning the learning rate and weight decay of the iris network by gradient descent on the
//! hyperparameters, with exact hypergradients from one differentiated training run each.
//!
//! The 150 iris flowers are split (stratified, seeded) into 90 for training, 30 for validation
//! and 30 for testing; the features are standardised with the training part's statistics. One
//! *training run* is 100 full-batch steps of AdamW on the 4-8-3 tanh network (67 parameters)
//! from a fixed Xavier draw. Its result is the validation loss (softmax cross-entropy)
//!
//! ```text
//! V(a, b) = L_val(θ₁₀₀),   θ after 100 AdamW steps with learning rate η = eᵃ, weight decay λ = eᵇ
//! ```
//!
//! `hypergradient` runs the training once on jets whose two tangents are `a` and `b`: every
//! parameter and every optimizer moment carries its derivative along, so the run ends with `V`
//! and its exact gradient `(∂V/∂a, ∂V/∂b)`, nothing of the trajectory stored (forward-mode
//! hyperparameter optimisation, Franceschi et al., ICML 2017). Working in logarithms keeps both
//! hyperparameters positive and their steps relative.
//!
//! Two searches spend their budget on the same function `V`:
//! - **grid search**, as `examples/optimizers.rs` chooses its learning rates: `η` in
//!   1e-4, 2e-4, 5e-4, …, 1 and `λ` in 0, 1e-4, 1e-3, 1e-2, 1e-1: 65 plain training runs;
//! - **hypergradient descent**: Adam on `(a, b)` with step 0.3 from `η = 1e-2`, `λ = 1e-3`, one
//!   differentiated run per step, until the validation loss rises (at most 10 steps).
//!
//! The table gives the validation loss each search reaches and what it spent, in plain-run
//! equivalents: a differentiated run with two hyperparameters costs about 10 plain runs (9.8× in
//! instructions, `benches/hypergradient.rs`; the example also prints its own wall-clock ratio).
//! In two dimensions the searches cost about the same; a grid's cost grows as `10ᴴ` with the
//! number `H` of hyperparameters, a hypergradient step's as about `3H + 3`. Both final choices
//! are then scored once on the 30 test flowers, which neither search saw. The figure (SVG,
//! `--out`, default `hypergradient.svg`) plots the validation loss at each hyperparameter step
//! against the grid's best.
//!
//! It fails (non-zero exit) unless hypergradient descent reaches a validation loss within 2 % of
//! the grid's best (or below it), and the first hypergradient agrees with a central difference of
//! `V` along its direction to 1e-5.
//!
//! Run with `cargo run --release --example hypergradient [-- --out PATH]`.

mod common;

use common::{Args, ensure};
use dualgrad::Scalar;
use dualgrad::data::Dataset;
use dualgrad::data::{CsvLoader, Standardizer};
use dualgrad::model::accuracy;
use dualgrad::optim::Adam;
use dualgrad::optim::Constant;
use dualgrad::prelude::*;
use dualgrad::train::{RunSetup, hypergradient, validation_after_training};
use nalgebra::SVector;
use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Color, IntoDrawingArea, IntoFont, LineSeries, PathElement,
    RGBColor, SVGBackend, WHITE,
};
use std::error::Error;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: hypergradient [--out PATH]   (PATH: the SVG figure, default hypergradient.svg)";

type Net = Mlp1<Tanh, 4, 8, 3, 67>;
const FEATURES: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
/// Steps of one training run (full batch, so one step per epoch).
const STEPS: usize = 100;
/// Hyperparameter steps of the descent.
const HYPER_STEPS: usize = 10;

fn main() -> ExitCode {
    common::run(USAGE, run)
}

/// AdamW with η = eᵃ and λ = eᵇ at any scalar, from the fixed draw `u`.
fn setup<T: Scalar>(
    h: &SVector<T, 2>,
    u: &SVector<f64, 67>,
) -> RunSetup<Adam<67, Constant<T>, T>, T, 67> {
    let adam = AdamConfig::default()
        .lift::<T>()
        .with_lr(h[0].exp())
        .with_decoupled_weight_decay(h[1].exp())
        .build()?;
    Ok((adam, u.map(T::lift)))
}

/// A weight decay of exactly 0 has no logarithm: the grid's λ = 0 column trains with this setup.
fn setup_no_decay(lr: f64, u: &SVector<f64, 67>) -> RunSetup<Adam<67>, f64, 67> {
    Ok((AdamConfig::default().with_lr(lr).build()?, *u))
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse(USAGE, &["--out"])?;
    let out = args.value("--out").unwrap_or("hypergradient.svg");
    std::fs::write(out, "").map_err(|e| format!("cannot write {out}: {e}"))?;

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/iris.csv");
    let (iris, _) = CsvLoader::new(FEATURES, "species").classes_from_path(path)?;
    let (rest, test_raw) = iris.stratified_split(0.8, 1)?;
    let (train_raw, val_raw) = rest.stratified_split(0.75, 2)?;
    let scaler = Standardizer::fit(&train_raw)?;
    let [train_set, val_set, test_set] =
        [&train_raw, &val_raw, &test_raw].map(|d| scaler.transform(d));
    let (train_set, val_set, test_set) = (train_set?, val_set?, test_set?);
    let objective = Supervised::new(Net::new(), SoftmaxCrossEntropy, &train_set)?;
    let validation = Supervised::new(Net::new(), SoftmaxCrossEntropy, &val_set)?;
    let u = Net::new().init(1);
    let config = TrainConfig::default().with_epochs(STEPS);
    println!(
        "iris: {} train, {} validation, {} test flowers; one run = {STEPS} full-batch AdamW steps",
        train_set.len(),
        val_set.len(),
        test_set.len()
    );

    // V at f64: one plain training run.
    let v = |h: &SVector<f64, 2>| {
        validation_after_training(h, |h| setup(h, &u), &objective, &validation, &config)
    };

    // Grid search.
    let start = Instant::now();
    let lrs = [
        1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5, 1.0,
    ];
    let decays = [0.0, 1e-4, 1e-3, 1e-2, 1e-1];
    let mut grid_best = (f64::INFINITY, 0.0, 0.0);
    let mut grid_runs = 0;
    for &lr in &lrs {
        for &wd in &decays {
            let loss = if wd == 0.0 {
                let setup = |_: &SVector<f64, 1>| setup_no_decay(lr, &u);
                validation_after_training(
                    &SVector::from([lr]),
                    setup,
                    &objective,
                    &validation,
                    &config,
                )
            } else {
                v(&SVector::from([lr.ln(), wd.ln()]))
            };
            grid_runs += 1;
            // A run that diverges is a bad grid point, not a failure of the search.
            if let Ok(loss) = loss
                && loss < grid_best.0
            {
                grid_best = (loss, lr, wd);
            }
        }
    }
    let grid_time = start.elapsed().as_secs_f64();
    let plain_run_time = grid_time / grid_runs as f64;

    // Hypergradient descent on (a, b) = (ln η, ln λ).
    let mut h = SVector::from([1e-2_f64.ln(), 1e-3_f64.ln()]);
    let mut hyper_adam = AdamConfig::default().with_lr(0.3).build::<2>()?;
    let mut history = Vec::with_capacity(HYPER_STEPS + 1);
    let start = Instant::now();
    let mut first = None;
    for _ in 0..HYPER_STEPS {
        let hg = hypergradient(&h, |h| setup(h, &u), &objective, &validation, &config)?;
        first.get_or_insert((h, hg.gradient));
        let rose = history.last().is_some_and(|&(_, last)| hg.loss > last);
        history.push((h, hg.loss));
        if rose {
            break; // the validation loss went up: keep the best point so far
        }
        hyper_adam.step(&mut h, &hg.gradient);
    }
    println!("\nhypergradient descent (Adam on (ln η, ln λ), step 0.3, until the loss rises):");
    for (k, (h, loss)) in history.iter().enumerate() {
        println!(
            "  step {k:>2}: η = {:.3e}, λ = {:.3e}, validation loss {loss:.6}",
            h[0].exp(),
            h[1].exp()
        );
    }
    let hyper_time = start.elapsed().as_secs_f64();
    let hyper_runs = history.len();
    let cost_ratio = hyper_time / hyper_runs as f64 / plain_run_time;
    let (best_h, best_loss) = history
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("at least one step");

    println!(
        "\n{:<24} {:>12} {:>10} {:>10} {:>16}",
        "search", "val. loss", "lr", "decay", "plain-run equiv."
    );
    println!(
        "{:<24} {:>12.6} {:>10.2e} {:>10.2e} {:>16}",
        format!("grid ({} × {})", lrs.len(), decays.len()),
        grid_best.0,
        grid_best.1,
        grid_best.2,
        grid_runs
    );
    let hyper_equiv = hyper_runs as f64 * cost_ratio;
    println!(
        "{:<24} {:>12.6} {:>10.2e} {:>10.2e} {:>16.1}",
        format!("hypergradient ({hyper_runs} steps)"),
        best_loss,
        best_h[0].exp(),
        best_h[1].exp(),
        hyper_equiv
    );
    println!(
        "\none differentiated run (2 hyperparameters) costs {cost_ratio:.2} plain runs \
         ({:.1} ms against {:.1} ms)",
        1e3 * hyper_time / hyper_runs as f64,
        1e3 * plain_run_time
    );

    // The choices scored once on the test flowers.
    let test_score = |lr: f64, wd: f64| -> Result<(f64, f64), Box<dyn Error>> {
        let (mut adam, p0) = if wd == 0.0 {
            setup_no_decay(lr, &u)?
        } else {
            setup(&SVector::from([lr.ln(), wd.ln()]), &u)?
        };
        let report = dualgrad::train::train_unrolled(&objective, p0, &mut adam, &config)?;
        let test = Supervised::new(Net::new(), SoftmaxCrossEntropy, &test_set)?;
        let loss = test.loss(&report.params, test.all_indices());
        Ok((loss, test_accuracy(&report.params, &test_set)))
    };
    let (grid_test, grid_acc) = test_score(grid_best.1, grid_best.2)?;
    let (hyper_test, hyper_acc) = test_score(best_h[0].exp(), best_h[1].exp())?;
    println!(
        "test flowers: grid's choice loss {grid_test:.4} ({:.1} % correct), \
         hypergradient's choice loss {hyper_test:.4} ({:.1} % correct)",
        100.0 * grid_acc,
        100.0 * hyper_acc
    );

    // The first hypergradient against a central difference of V along its direction.
    let (h0, g0) = first.expect("at least one step");
    let dir = g0 / g0.norm();
    let step = 1e-4;
    let fd = (v(&(h0 + dir * step))? - v(&(h0 - dir * step))?) / (2.0 * step);
    let exact = g0.dot(&dir);
    println!("check at the start: ∇V·d = {exact:.8}, central difference {fd:.8}");

    draw(out, &history, grid_best.0, grid_runs)?;
    println!("figure: {out}");

    ensure((fd - exact).abs() <= 1e-5 * exact.abs().max(1e-3), || {
        format!("hypergradient {exact} and central difference {fd} disagree")
    })?;
    ensure(best_loss <= 1.02 * grid_best.0, || {
        format!(
            "hypergradient descent reached {best_loss}, the grid {}",
            grid_best.0
        )
    })?;
    Ok(())
}

fn test_accuracy(params: &SVector<f64, 67>, test: &Dataset<4, usize>) -> f64 {
    accuracy(&Net::new(), params, test)
}

const FONT: &str = "sans-serif";

fn draw(
    out: &str,
    history: &[(SVector<f64, 2>, f64)],
    grid: f64,
    grid_runs: usize,
) -> Result<(), Box<dyn Error>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 420)).into_drawing_area();
        root.fill(&WHITE)?;
        let top = history.iter().map(|h| h.1).fold(grid, f64::max) * 1.05;
        let bottom = history.iter().map(|h| h.1).fold(grid, f64::min) * 0.95;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "iris: validation loss against hyperparameter steps",
                (FONT, 18),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..(history.len() - 1).max(1) as f64, bottom..top)?;
        chart
            .configure_mesh()
            .x_desc("hypergradient step (one differentiated run each)")
            .y_desc("validation loss")
            .label_style((FONT, 13).into_font())
            .draw()?;
        let blue = RGBColor(31, 119, 180);
        let points: Vec<(f64, f64)> = history
            .iter()
            .enumerate()
            .map(|(i, h)| (i as f64, h.1))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), blue.stroke_width(2)))?
            .label("hypergradient descent on (ln η, ln λ)")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(2))
            });
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, blue.filled())))?;
        let orange = RGBColor(255, 127, 14);
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, grid), ((history.len() - 1).max(1) as f64, grid)],
                orange.stroke_width(2),
            ))?
            .label(format!("best of the grid ({grid_runs} plain runs)"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], orange.stroke_width(2))
            });
        chart
            .configure_series_labels()
            .background_style(WHITE)
            .border_style(BLACK)
            .label_font((FONT, 13))
            .draw()?;
        root.present()?;
    }
    std::fs::write(out, svg).map_err(|e| format!("cannot write {out}: {e}"))?;
    Ok(())
}
