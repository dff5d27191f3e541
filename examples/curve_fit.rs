//! Curve fitting with certified answers: NIST's Eckerle4 problem fitted by Levenberg–Marquardt
//! from NIST's hard starting point, with standard errors, against NIST's certified values.
//!
//! Eckerle4 (NIST StRD, higher difficulty; `data/nist-strd/Eckerle4.dat`) is a Gaussian peak
//! in 35 transmittance measurements `y` against wavelength `x`:
//!
//! ```text
//! y = (b1 / b2) · exp(−½ ((x − b3) / b2)²)
//! ```
//!
//! Start 1 is `b = (1, 10, 500)`: a peak ten times too wide, centred 49 nm off. Each residual
//! `rᵢ = f(xᵢ; b) − yᵢ` is one [`ObservationResidual`] block over the data set, written once over
//! [`Scalar`]; its Jacobian rows come exactly from forward mode. The report gives the fitted
//! parameters, their standard errors `σ̂ sqrt(diag((JᵀJ)⁻¹))`, the residual sum of squares and
//! the number of correct significant digits (LRE) of each against NIST's certified values.
//!
//! It fails (non-zero exit) unless every parameter and standard error agrees with NIST to at
//! least 6 significant digits. An SVG of the data, the starting curve and the fit is written to
//! `curve_fit.svg` (or `--out PATH`); `docs/curve_fit.svg` is that figure.
//!
//! Run with `cargo run --release --example curve_fit [-- --data PATH] [--out PATH]`.

mod common;

use common::{Args, ensure};
use dualgrad::Scalar;
use dualgrad::data::Dataset;
use dualgrad::lsq::{DataResiduals, LevenbergMarquardt, ObservationResidual, Residuals};
use nalgebra::SVector;
use plotters::prelude::{
    BLACK, ChartBuilder, Circle, EmptyElement, IntoDrawingArea, LineSeries, PathElement, RGBColor,
    SVGBackend, SeriesLabelPosition, WHITE,
};
use plotters::style::Color;
use std::error::Error;
use std::fs::File;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: curve_fit [--data PATH] [--out PATH]
  --data PATH  NIST's Eckerle4.dat (default: data/nist-strd/Eckerle4.dat in the crate)
  --out PATH   the SVG figure (default curve_fit.svg)";

/// `y = (b1 / b2) exp(−½ ((x − b3) / b2)²)`; the residual is model minus observation.
struct Eckerle4;

impl ObservationResidual<3, 1, f64, 1> for Eckerle4 {
    fn residual<T: Scalar>(
        &self,
        x: &SVector<f64, 1>,
        y: &f64,
        b: &SVector<T, 3>,
    ) -> SVector<T, 1> {
        let u = (-b[2] + x[0]) / b[1];
        SVector::from([(-(u * u) * 0.5).exp() * b[0] / b[1] - *y])
    }
}

fn model(b: &SVector<f64, 3>, x: f64) -> f64 {
    Eckerle4.residual(&SVector::from([x]), &0.0, b)[0]
}

/// NIST's file: parameter lines `bK = start1 start2 certified sd`, the certified residual sum
/// of squares, and the `y x` rows after the last line starting with `Data:`.
struct Nist {
    start1: SVector<f64, 3>,
    certified: SVector<f64, 3>,
    sd: SVector<f64, 3>,
    rss: f64,
    data: Vec<(f64, f64)>,
}

fn parse(text: &str) -> Result<Nist, Box<dyn Error>> {
    let num = |s: &str| {
        s.parse::<f64>()
            .map_err(|e| format!("bad number {s:?}: {e}"))
    };
    let mut rows: Vec<[f64; 4]> = Vec::new();
    let mut rss = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some((name, rest)) = t.split_once('=')
            && name.trim().starts_with('b')
        {
            let v = rest
                .split_whitespace()
                .map(num)
                .collect::<Result<Vec<_>, _>>()?;
            rows.push(
                v.try_into()
                    .map_err(|_| format!("bad parameter line {t:?}"))?,
            );
        }
        if let Some(rest) = t.strip_prefix("Residual Sum of Squares:") {
            rss = Some(num(rest.trim())?);
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.starts_with("Data:"))
        .ok_or("no Data: line")?;
    let mut data = Vec::new();
    for l in lines[start + 1..].iter().filter(|l| !l.trim().is_empty()) {
        let v = l
            .split_whitespace()
            .map(num)
            .collect::<Result<Vec<_>, _>>()?;
        match v.as_slice() {
            [y, x] => data.push((*x, *y)),
            _ => return Err(format!("bad data line {l:?}").into()),
        }
    }
    if rows.len() != 3 {
        return Err(format!("expected 3 parameters, found {}", rows.len()).into());
    }
    let col = |k: usize| SVector::from_fn(|i, _| rows[i][k]);
    Ok(Nist {
        start1: col(0),
        certified: col(2),
        sd: col(3),
        rss: rss.ok_or("no residual sum of squares")?,
        data,
    })
}

/// Correct significant digits, capped at 11 (NIST certifies 11).
fn lre(x: f64, c: f64) -> f64 {
    let rel = (x - c).abs() / c.abs();
    if rel == 0.0 {
        11.0
    } else {
        (-rel.log10()).clamp(0.0, 11.0)
    }
}

fn main() -> ExitCode {
    common::run(USAGE, run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse(USAGE, &["--data", "--out"])?;
    let default_path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/nist-strd/Eckerle4.dat");
    let path = args.value("--data").unwrap_or(default_path);
    let out = args.value("--out").unwrap_or("curve_fit.svg");
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let cannot_write = |e: std::io::Error| format!("cannot write {out}: {e}");
    let mut file = File::create(out).map_err(cannot_write)?; // fail before the work
    let nist = parse(&text)?;

    let features = nist.data.iter().map(|&(x, _)| SVector::from([x])).collect();
    let targets = nist.data.iter().map(|&(_, y)| y).collect();
    let data = Dataset::new(features, targets)?;
    let problem = DataResiduals::new(Eckerle4, &data);
    println!(
        "Eckerle4 (NIST StRD): {} observations, y = (b1/b2) exp(-0.5 ((x - b3)/b2)^2)",
        problem.blocks()
    );
    println!(
        "Levenberg-Marquardt from NIST's start 1, b = ({}, {}, {})\n",
        nist.start1[0], nist.start1[1], nist.start1[2]
    );
    let fit = LevenbergMarquardt::default().solve(&problem, nist.start1)?;
    let se = fit
        .std_errors
        .ok_or("no standard errors (rank-deficient Jacobian)")?;
    println!(
        "{:>4}  {:>24}  {:>24}  {:>6}  {:>6}",
        "", "fitted ± standard error", "certified ± sd", "LRE", "LRE sd"
    );
    let mut worst: f64 = 11.0;
    for i in 0..3 {
        let (p, s) = (
            lre(fit.params[i], nist.certified[i]),
            lre(se[i], nist.sd[i]),
        );
        worst = worst.min(p).min(s);
        println!(
            "b{:<3}  {:>13.10} ± {:<8.3e}  {:>13.10} ± {:<8.3e}  {p:>6.1}  {s:>6.1}",
            i + 1,
            fit.params[i],
            se[i],
            nist.certified[i],
            nist.sd[i]
        );
    }
    println!(
        "\nRSS {:.10e} (certified {:.10e}, LRE {:.1})",
        fit.rss,
        nist.rss,
        lre(fit.rss, nist.rss)
    );
    println!("{fit}");

    let svg = figure(&nist, &fit.params)?;
    file.write_all(svg.as_bytes()).map_err(cannot_write)?;
    let shown = std::fs::canonicalize(out).map_or(out.into(), |p| p.display().to_string());
    println!("figure written to {shown}");

    ensure(fit.stop.converged(), || {
        format!("the solve did not converge: {}", fit.stop)
    })?;
    ensure(worst >= 6.0, || {
        format!("only {worst:.1} certified digits in the worst parameter or standard error")
    })
}

/// Data, starting curve and fit, as SVG text.
fn figure(nist: &Nist, fitted: &SVector<f64, 3>) -> Result<String, Box<dyn Error>> {
    let (x_lo, x_hi) = (400.0, 500.0);
    let curve = |b: &SVector<f64, 3>| -> Vec<(f64, f64)> {
        (0..=400)
            .map(|k| {
                let x = x_lo + (x_hi - x_lo) * k as f64 / 400.0;
                (x, model(b, x))
            })
            .collect()
    };
    let blue = RGBColor(31, 119, 180);
    let orange = RGBColor(255, 127, 14);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 460)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Eckerle4: Levenberg–Marquardt from NIST's start 1",
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(x_lo..x_hi, -0.02..0.42)?;
        chart
            .configure_mesh()
            .x_desc("wavelength x (nm)")
            .y_desc("transmittance y")
            .disable_mesh()
            .draw()?;
        chart
            .draw_series(LineSeries::new(curve(&nist.start1), orange.stroke_width(2)))?
            .label("start: b = (1, 10, 500)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], orange.stroke_width(2)));
        chart
            .draw_series(LineSeries::new(curve(fitted), blue.stroke_width(2)))?
            .label("fit")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], blue.stroke_width(2)));
        chart
            .draw_series(
                nist.data.iter().map(|&(x, y)| {
                    EmptyElement::at((x, y)) + Circle::new((0, 0), 3, BLACK.filled())
                }),
            )?
            .label("NIST data")
            .legend(|(x, y)| Circle::new((x + 10, y), 3, BLACK.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .border_style(BLACK)
            .background_style(WHITE)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}
