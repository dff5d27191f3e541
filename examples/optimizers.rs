//! The optimizer family side by side on two classic test problems, with a figure.
//!
//! Ten methods minimise two functions of two variables from the same start `(−1.2, 1)`:
//!
//! - **Rosenbrock's banana** `f(x, y) = (1 − x)² + 100 (y − x²)²`, minimum 0 at `(1, 1)` at the
//!   end of a long, curved, flat-bottomed valley;
//! - **an ill-conditioned quadratic** `f(x) = ½ (x − x*)ᵀ A (x − x*)` with `x* = (1, 1)` and
//!   `A = R diag(1, 100) Rᵀ`, `R` a rotation by 30°: condition number 100, with axes that are not
//!   the coordinate axes (so per-coordinate step sizes cannot simply undo the conditioning).
//!
//! The first-order methods step from the exact gradient (forward-mode AD): SGD `θ ← θ − η∇f`;
//! heavy-ball momentum and Nesterov (`μ = 0.9`); Adagrad, RMSprop, Adam and AMSGrad, which
//! divide by running statistics of `∇f²`; AdamW, which is Adam plus a decoupled weight decay
//! `θ ← θ(1 − ηλ)` (PyTorch's `λ = 0.01`) and so settles where the decay balances the gradient,
//! not at `f`'s minimiser. Everything else is PyTorch's defaults. The second-order methods need
//! no learning rate: Newton's method solves `H d = −∇f` with the exact Hessian (nested dual
//! numbers) and takes its step from a backtracking (Armijo) line search; L-BFGS (memory 5)
//! builds its curvature from past gradients and takes its step from a strong Wolfe (Moré–Thuente)
//! line search.
//!
//! Each first-order method's learning rate, shown in the table, is the best of the grid
//! 1e-4, 2e-4, 5e-4, …, 0.5, 1 for that method and problem: the fewest iterations to reach a
//! gradient norm of 1e-8, or if none does within 20 000 iterations, the smallest final error
//! `‖x − x*‖`. RMSprop at a constant rate never converges on a problem without noise: its step
//! stays near `η` in size.
//!
//! The table gives the iterations, the evaluations of `f`, `∇f` and `∇²f`, the final error and
//! the stopping rule that ended the run. The figure (SVG, written to `--out`, default
//! `optimizers.svg` in the working directory) shows the paths over Rosenbrock's contours, which
//! are drawn exactly: `f = c` is the curve `x = 1 + √c cos t`, `y = x² + (√c/10) sin t`. Beside
//! them, `f` along each run on log-log axes for both problems.
//!
//! It fails (non-zero exit) if any method diverges or if Newton's method and L-BFGS do not
//! reach the minimiser of both problems to `1e-6` (Newton in one step on the quadratic).
//!
//! Run with `cargo run --release --example optimizers [-- --out PATH]`.

mod common;

use common::{Args, ensure};
use dualgrad::optim::{AdagradConfig, Lbfgs, Method, Newton, OptimError, RmspropConfig};
use dualgrad::optim::{Report, StopReason};
use dualgrad::prelude::*;
use nalgebra::SVector;
use plotters::coord::Shift;
use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Cross, DrawingArea, IntoDrawingArea, IntoFont, IntoLogRange,
    LineSeries, PathElement, RGBColor, SVGBackend, Text, WHITE,
};
use plotters::style::Color;
use std::error::Error;
use std::fs::File;
use std::io::Write;
use std::iter::once;
use std::process::ExitCode;

const USAGE: &str =
    "usage: optimizers [--out PATH]   (PATH: the SVG figure, default optimizers.svg)";

const START: [f64; 2] = [-1.2, 1.0];
const MINIMISER: [f64; 2] = [1.0, 1.0];
const MAX_ITERATIONS: usize = 20_000;

fn main() -> ExitCode {
    common::run(USAGE, run)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = Args::parse(USAGE, &["--out"])?;
    let out = args.value("--out").unwrap_or("optimizers.svg");
    let cannot_write = |e: std::io::Error| format!("cannot write {out}: {e}");
    let mut file = File::create(out).map_err(cannot_write)?; // fail before the work

    let rosenbrock = run_all(&Rosenbrock, &ROSENBROCK_RATES)?;
    let quadratic = run_all(&Quadratic::new(), &QUADRATIC_RATES)?;
    print_table(
        "Rosenbrock (1 − x)² + 100(y − x²)² from (−1.2, 1)",
        &rosenbrock,
    );
    print_table(
        "quadratic, condition number 100, from (−1.2, 1)",
        &quadratic,
    );

    let svg = figure(&rosenbrock, &quadratic)?;
    file.write_all(svg.as_bytes()).map_err(cannot_write)?;
    let shown = std::fs::canonicalize(out).map_or(out.into(), |p| p.display().to_string());
    println!("figure written to {shown}");

    for (problem, runs) in [("Rosenbrock", &rosenbrock), ("quadratic", &quadratic)] {
        for r in runs.iter() {
            let stop = r.report.stop;
            ensure(!matches!(stop, StopReason::Diverged { .. }), || {
                format!("{} diverged on {problem}: {stop}", r.name)
            })?;
            if r.lr.is_none() {
                let e = error(&r.report);
                ensure(stop.converged() && e < 1e-6, || {
                    format!("{} ended {e:.1e} from the minimiser of {problem}", r.name)
                })?;
            }
        }
    }
    let newton = quadratic
        .iter()
        .find(|r| r.name == "Newton")
        .ok_or("no Newton run")?;
    let steps = newton.report.iterations;
    ensure(steps == 1, || {
        format!("Newton took {steps} iterations on the quadratic")
    })
}

// ---------------------------------------------------------------------------------------------
// The problems and the runs
// ---------------------------------------------------------------------------------------------

/// `f(x, y) = (1 − x)² + 100 (y − x²)²`.
struct Rosenbrock;

impl ScalarFn<2> for Rosenbrock {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        let (a, b) = (-p[0] + 1.0, p[1] - p[0] * p[0]);
        a * a + b * b * 100.0
    }
}

/// `f(x) = ½ (u² + 100 v²)` with `(u, v)` the coordinates of `x − (1, 1)` along the axes of a
/// rotation by 30°: `A = R diag(1, 100) Rᵀ`.
struct Quadratic {
    cos: f64,
    sin: f64,
}

impl Quadratic {
    fn new() -> Self {
        let angle = 30f64.to_radians();
        Self {
            cos: angle.cos(),
            sin: angle.sin(),
        }
    }
}

impl ScalarFn<2> for Quadratic {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        let (dx, dy) = (p[0] - MINIMISER[0], p[1] - MINIMISER[1]);
        let u = dx * self.cos + dy * self.sin;
        let v = dy * self.cos - dx * self.sin;
        (u * u + v * v * 100.0) * 0.5
    }
}

/// The learning rates of the first-order methods on one problem (see the header).
struct Rates {
    sgd: f64,
    momentum: f64,
    nesterov: f64,
    adagrad: f64,
    rmsprop: f64,
    adam: f64,
    amsgrad: f64,
    adamw: f64,
}

const ROSENBROCK_RATES: Rates = Rates {
    sgd: 1e-3,
    momentum: 2e-3,
    nesterov: 1e-3,
    adagrad: 0.5,
    rmsprop: 2e-4,
    adam: 0.2,
    amsgrad: 0.5,
    adamw: 5e-4,
};

const QUADRATIC_RATES: Rates = Rates {
    sgd: 1e-2,
    momentum: 1e-2,
    nesterov: 1e-2,
    adagrad: 1.0,
    rmsprop: 2e-4,
    adam: 0.5,
    amsgrad: 0.5,
    adamw: 1e-3,
};

/// One method's run on one problem: the report and every iterate.
struct Run {
    name: &'static str,
    lr: Option<f64>,
    report: Report<2>,
    path: Vec<SVector<f64, 2>>,
}

/// All ten methods on `f`.
fn run_all<F: ScalarFn<2>>(f: &F, r: &Rates) -> Result<Vec<Run>, Box<dyn Error>> {
    let sgd = SgdConfig::default();
    Ok(vec![
        run_one(f, "SGD", Some(r.sgd), sgd.with_lr(r.sgd).build()?)?,
        run_one(
            f,
            "momentum",
            Some(r.momentum),
            sgd.with_lr(r.momentum).with_momentum(0.9).build()?,
        )?,
        run_one(
            f,
            "Nesterov",
            Some(r.nesterov),
            sgd.with_lr(r.nesterov)
                .with_momentum(0.9)
                .with_nesterov(true)
                .build()?,
        )?,
        run_one(
            f,
            "Adagrad",
            Some(r.adagrad),
            AdagradConfig::default().with_lr(r.adagrad).build()?,
        )?,
        run_one(
            f,
            "RMSprop",
            Some(r.rmsprop),
            RmspropConfig::default().with_lr(r.rmsprop).build()?,
        )?,
        run_one(
            f,
            "Adam",
            Some(r.adam),
            AdamConfig::default().with_lr(r.adam).build()?,
        )?,
        run_one(
            f,
            "AMSGrad",
            Some(r.amsgrad),
            AdamConfig::default()
                .with_lr(r.amsgrad)
                .with_amsgrad(true)
                .build()?,
        )?,
        run_one(
            f,
            "AdamW",
            Some(r.adamw),
            AdamConfig::adamw().with_lr(r.adamw).build()?,
        )?,
        run_one(f, "Newton", None, Newton::default())?,
        run_one(f, "L-BFGS", None, Lbfgs::<2, 5>::default())?,
    ])
}

/// Minimise `f` from `START` with `method`, keeping every iterate.
fn run_one<F: ScalarFn<2>, M: Method<2>>(
    f: &F,
    name: &'static str,
    lr: Option<f64>,
    mut method: M,
) -> Result<Run, OptimError> {
    let rules = StopRules::default().with_max_iterations(MAX_ITERATIONS);
    let mut path = Vec::new();
    let report = minimize(f, SVector::from(START), &mut method, &rules, |p| {
        path.push(*p.params)
    })?;
    Ok(Run {
        name,
        lr,
        report,
        path,
    })
}

/// `‖x − x*‖` at the end of a run.
fn error(report: &Report<2>) -> f64 {
    (report.params - SVector::from(MINIMISER)).norm()
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

fn print_table(title: &str, runs: &[Run]) {
    println!("{title}");
    println!(
        "  {:<9} {:>6} {:>6} {:>6} {:>6} {:>4} {:>8}  stop",
        "method", "lr", "iters", "f", "∇f", "∇²f", "error"
    );
    for r in runs {
        let e = &r.report.evals;
        println!(
            "  {:<9} {:>6} {:>6} {:>6} {:>6} {:>4} {:>8.1e}  {}",
            r.name,
            r.lr.map_or("-".into(), |lr| lr.to_string()),
            r.report.iterations,
            e.function,
            e.gradient,
            e.hessian,
            error(&r.report),
            short(&r.report.stop)
        );
    }
    println!();
}

/// The stopping rule in a few words, with numbers to one or two digits.
fn short(reason: &StopReason) -> String {
    match *reason {
        StopReason::MaxIterations(n) => format!("{n} iterations"),
        StopReason::TargetLoss { loss, target } => format!("f = {loss:.0e} ≤ {target:.0e}"),
        StopReason::GradientTolerance { norm, tol } => format!("‖∇f‖ = {norm:.1e} ≤ {tol:.0e}"),
        StopReason::RelativeChange { change, tol } => {
            format!("relative change {change:.0e} ≤ {tol:.0e}")
        }
        StopReason::Diverged { .. } => "diverged".into(),
        StopReason::LineSearchFailed => "line search failed".into(),
        StopReason::EarlyStopped { best_epoch, .. } => format!("early stop (best {best_epoch})"),
        StopReason::ObserverStopped => "stopped by the observer".into(),
        StopReason::ValidationNotFinite { epoch, .. } => {
            format!("validation loss not finite (epoch {epoch})")
        }
        StopReason::SaddlePoint { min_eigenvalue, .. } => {
            format!("saddle point (eigenvalue {min_eigenvalue:.1e})")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The figure
// ---------------------------------------------------------------------------------------------

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Points = Vec<(f64, f64)>;

/// Matplotlib's ten default colours, one per method.
const COLORS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
const CONTOUR: RGBColor = RGBColor(200, 200, 200);
const FONT: &str = "sans-serif";

/// The window of the path panel: `[−2, 2] × [−1, 3]`.
const WINDOW: [f64; 4] = [-2.0, 2.0, -1.0, 3.0];
/// Rosenbrock's contour levels.
const LEVELS: [f64; 8] = [0.1, 0.4, 1.6, 6.4, 25.6, 102.4, 409.6, 1638.4];
/// Losses below this are drawn at it (the log axis has no 0).
const FLOOR: f64 = 1e-30;

/// The whole figure as SVG text: paths, the two loss panels and a legend.
fn figure(rosenbrock: &[Run], quadratic: &[Run]) -> Result<String, Box<dyn Error>> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1560, 500)).into_drawing_area();
        root.fill(&WHITE)?;
        let (plots, legend) = root.split_horizontally(1420);
        let panels = plots.split_evenly((1, 3));
        draw_paths(&panels[0], rosenbrock)?;
        draw_losses(&panels[1], "Rosenbrock: f(xₖ)", rosenbrock)?;
        draw_losses(&panels[2], "quadratic, κ = 100: f(xₖ)", quadratic)?;
        draw_legend(&legend, rosenbrock)?;
        root.present()?;
    }
    Ok(svg)
}

fn draw_paths(area: &Area<'_>, runs: &[Run]) -> Result<(), Box<dyn Error>> {
    let [x0, x1, y0, y1] = WINDOW;
    let mut chart = ChartBuilder::on(area)
        .caption("Rosenbrock: paths from (−1.2, 1)", (FONT, 18))
        .margin(12)
        .x_label_area_size(34)
        .y_label_area_size(46)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x")
        .y_desc("y")
        .axis_desc_style((FONT, 16))
        .label_style((FONT, 14))
        .draw()?;
    for c in LEVELS {
        let curve: Points = (0..=20_000)
            .map(|i| {
                let t = std::f64::consts::TAU * i as f64 / 20_000.0;
                let x = 1.0 + c.sqrt() * t.cos();
                (x, x * x + c.sqrt() / 10.0 * t.sin())
            })
            .collect();
        for piece in clip(&curve) {
            chart.draw_series(once(PathElement::new(thin(&piece), CONTOUR)))?;
        }
    }
    for (r, color) in runs.iter().zip(COLORS) {
        let path: Points = r.path.iter().map(|p| (p[0], p[1])).collect();
        for piece in clip(&path) {
            let style = color.stroke_width(2);
            chart.draw_series(once(PathElement::new(thin(&piece), style)))?;
        }
    }
    chart.draw_series(once(Circle::new((START[0], START[1]), 5, BLACK.filled())))?;
    chart.draw_series(once(Cross::new((1.0, 1.0), 7, BLACK.stroke_width(2))))?;
    Ok(())
}

fn draw_losses(area: &Area<'_>, title: &str, runs: &[Run]) -> Result<(), Box<dyn Error>> {
    let longest = runs
        .iter()
        .map(|r| r.report.history.len())
        .max()
        .unwrap_or(1);
    let highest = runs
        .iter()
        .flat_map(|r| r.report.history.iter().copied())
        .filter(|f| f.is_finite())
        .fold(1.0, f64::max);
    // The vertical axis is log10 f, labelled as powers of ten.
    let top = highest.log10().ceil() + 1.0;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 18))
        .margin(12)
        .x_label_area_size(34)
        .y_label_area_size(56)
        .build_cartesian_2d((1.0..longest as f64).log_scale(), FLOOR.log10()..top)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(235, 235, 235))
        .x_desc("iteration + 1")
        .y_desc("f")
        .axis_desc_style((FONT, 16))
        .label_style((FONT, 14))
        .x_label_formatter(&|v| format!("{v:.0e}"))
        .y_label_formatter(&|v| format!("1e{v:.0}"))
        .draw()?;
    for (r, color) in runs.iter().zip(COLORS) {
        let points = log_spaced(&r.report.history);
        chart.draw_series(LineSeries::new(points, color.stroke_width(2)))?;
    }
    Ok(())
}

fn draw_legend(area: &Area<'_>, runs: &[Run]) -> Result<(), Box<dyn Error>> {
    for (i, (r, color)) in runs.iter().zip(COLORS).enumerate() {
        let y = 70 + 26 * i as i32;
        area.draw(&PathElement::new(
            vec![(8, y), (38, y)],
            color.stroke_width(3),
        ))?;
        area.draw(&Text::new(r.name, (46, y - 8), (FONT, 16).into_font()))?;
    }
    Ok(())
}

/// The pieces of a polyline inside `WINDOW`, with the segments that cross its border cut there.
/// Non-finite points break the line.
fn clip(points: &[(f64, f64)]) -> Vec<Points> {
    let mut pieces = Vec::new();
    let mut current: Points = Vec::new();
    for pair in points.windows(2) {
        match clip_segment(pair[0], pair[1]) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    finish(&mut current, &mut pieces);
                    current.push(a);
                }
                current.push(b);
            }
            None => finish(&mut current, &mut pieces),
        }
    }
    finish(&mut current, &mut pieces);
    pieces
}

fn finish(current: &mut Points, pieces: &mut Vec<Points>) {
    if current.len() > 1 {
        pieces.push(std::mem::take(current));
    }
    current.clear();
}

/// The part of the segment `pq` inside `WINDOW` (Liang–Barsky), if any.
fn clip_segment(p: (f64, f64), q: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    if ![p.0, p.1, q.0, q.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let [x0, x1, y0, y1] = WINDOW;
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    // the segment p + t(q − p) is inside edge k where den·t ≤ num
    for (den, num) in [
        (-dx, p.0 - x0),
        (dx, x1 - p.0),
        (-dy, p.1 - y0),
        (dy, y1 - p.1),
    ] {
        if den == 0.0 {
            if num < 0.0 {
                return None;
            }
        } else if den < 0.0 {
            t0 = t0.max(num / den);
        } else {
            t1 = t1.min(num / den);
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| match t {
        0.0 => p,
        1.0 => q,
        t => (p.0 + t * dx, p.1 + t * dy),
    };
    Some((at(t0), at(t1)))
}

/// Drop points closer than 0.01 (about a pixel) to the last one kept; keep both ends.
fn thin(points: &[(f64, f64)]) -> Points {
    let mut kept: Points = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        let far = kept
            .last()
            .is_none_or(|q| (p.0 - q.0).hypot(p.1 - q.1) >= 0.01);
        if far || i + 1 == points.len() {
            kept.push(p);
        }
    }
    kept
}

/// `(k + 1, log10 f(xₖ))` at about 50 iterations per decade, and the last; losses below
/// `FLOOR` at it.
fn log_spaced(history: &[f64]) -> Points {
    let mut points = Vec::new();
    let mut bucket = -1;
    for (k, &f) in history.iter().enumerate() {
        let x = (k + 1) as f64;
        let b = (50.0 * x.log10()) as i64;
        if (b != bucket || k + 1 == history.len()) && f.is_finite() {
            points.push((x, f.max(FLOOR).log10()));
            bucket = b;
        }
    }
    points
}
