//! A parser for NIST StRD nonlinear-regression `.dat` files, as NIST publishes them
//! (`data/nist-strd/`), the models of the 25 problems there (written once over `Scalar`, each as
//! an `ObservationResidual`; shared with `benches/lsq.rs`), and the log relative error used to
//! score a fit.
#![allow(dead_code)] // each test file uses a different subset

use dualgrad::Scalar;
use dualgrad::lsq::ObservationResidual;
use nalgebra::SVector;
use std::path::Path;

/// One parsed problem.
#[derive(Debug, Clone)]
pub struct Problem {
    pub name: String,
    /// Per parameter: (start 1, start 2, certified value, certified standard deviation).
    pub params: Vec<[f64; 4]>,
    pub certified_rss: f64,
    /// Observations (x, y).
    pub data: Vec<(f64, f64)>,
}

fn number(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|e| panic!("not a number: {s:?} ({e})"))
}

/// Parse a `.dat` file: lines `  bK =  start1  start2  certified  sd`, the line
/// `Residual Sum of Squares:  value`, and the rows `y x` after the last line starting with
/// `Data:`.
pub fn parse(path: &Path) -> Problem {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let lines: Vec<&str> = text.lines().collect();
    let mut params = Vec::new();
    let mut rss = None;
    for line in &lines {
        let t = line.trim();
        if let Some((name, rest)) = t.split_once('=') {
            let name = name.trim();
            if name.starts_with('b') && name[1..].chars().all(|c| c.is_ascii_digit()) {
                let v: Vec<f64> = rest.split_whitespace().map(number).collect();
                assert_eq!(v.len(), 4, "{}: parameter line {t:?}", path.display());
                params.push([v[0], v[1], v[2], v[3]]);
            }
        }
        if let Some(rest) = t.strip_prefix("Residual Sum of Squares:") {
            rss = Some(number(rest.trim()));
        }
    }
    let data_start = lines
        .iter()
        .rposition(|l| l.starts_with("Data:"))
        .expect("a Data: line");
    let data = lines[data_start + 1..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().map(number).collect();
            assert_eq!(v.len(), 2, "{}: data line {l:?}", path.display());
            (v[1], v[0])
        })
        .collect();
    Problem {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        params,
        certified_rss: rss.expect("a residual sum of squares"),
        data,
    }
}

/// The log relative error `−log₁₀(|x − c| / |c|)`: the number of significant digits of `x`
/// that agree with the certified `c`, capped at 11 (NIST certifies 11 digits).
pub fn lre(x: f64, c: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    let rel = (x - c).abs() / c.abs();
    if rel == 0.0 {
        11.0
    } else {
        (-rel.log10()).clamp(0.0, 11.0)
    }
}

/// The model `y = f(x; b)` of a NIST problem as a residual `f(x; b) − y`.
macro_rules! model {
    ($name:ident, $n:literal, |$x:ident, $b:ident| $body:expr) => {
        pub struct $name;
        impl ObservationResidual<$n, 1, f64, 1> for $name {
            fn residual<T: Scalar>(
                &self,
                x: &SVector<f64, 1>,
                y: &f64,
                $b: &SVector<T, $n>,
            ) -> SVector<T, 1> {
                let $x = x[0];
                SVector::from([$body - *y])
            }
        }
    };
}

const TAU: f64 = 2.0 * std::f64::consts::PI;

model!(Misra1a, 2, |x, b| b[0] * (-(b[1] * (-x)).exp() + 1.0));
model!(Chwirut2, 3, |x, b| (b[0] * (-x)).exp() / (b[1] + b[2] * x));
model!(Lanczos, 6, |x, b| (b[1] * (-x)).exp() * b[0]
    + (b[3] * (-x)).exp() * b[2]
    + (b[5] * (-x)).exp() * b[4]);
model!(Gauss1, 8, |x, b| {
    let u = (-b[3] + x) / b[4];
    let v = (-b[6] + x) / b[7];
    (b[1] * (-x)).exp() * b[0] + (-(u * u)).exp() * b[2] + (-(v * v)).exp() * b[5]
});
model!(DanWood, 2, |x, b| b[0] * (b[1] * x.ln()).exp());
model!(Kirby2, 5, |x, b| (b[0] + b[1] * x + b[2] * (x * x))
    / (b[3] * x + b[4] * (x * x) + 1.0));
model!(Cubic, 7, |x, b| (b[0]
    + b[1] * x
    + b[2] * (x * x)
    + b[3] * (x * x * x))
    / (b[4] * x + b[5] * (x * x) + b[6] * (x * x * x) + 1.0));
model!(Mgh17, 5, |x, b| b[0]
    + (b[3] * (-x)).exp() * b[1]
    + (b[4] * (-x)).exp() * b[2]);
model!(Misra1c, 2, |x, b| b[0]
    * (-((b[1] * (2.0 * x) + 1.0).sqrt().recip()) + 1.0));
model!(Enso, 9, |x, b| {
    let a = TAU * x / 12.0;
    let w4 = b[3].recip() * (TAU * x);
    let w7 = b[6].recip() * (TAU * x);
    b[0] + b[1] * a.cos()
        + b[2] * a.sin()
        + b[4] * w4.cos()
        + b[5] * w4.sin()
        + b[7] * w7.cos()
        + b[8] * w7.sin()
});
model!(Mgh09, 4, |x, b| b[0] * (b[1] * x + x * x)
    / (b[2] * x + b[3] + x * x));
model!(BoxBod, 2, |x, b| b[0] * (-(b[1] * (-x)).exp() + 1.0));
model!(Eckerle4, 3, |x, b| {
    let u = (-b[2] + x) / b[1];
    (-(u * u) * 0.5).exp() * b[0] / b[1]
});

model!(Misra1b, 2, |x, b| b[0]
    * (-((b[1] * (x / 2.0) + 1.0).powi(-2)) + 1.0));
model!(Misra1d, 2, |x, b| b[0] * b[1] * x / (b[1] * x + 1.0));
model!(Bennett5, 3, |x, b| b[0] * ((b[1] + x).ln() / (-b[2])).exp());
model!(Mgh10, 3, |x, b| b[0] * (b[1] / (b[2] + x)).exp());
model!(Rat42, 3, |x, b| b[0] / ((b[1] - b[2] * x).exp() + 1.0));
model!(Rat43, 4, |x, b| b[0]
    / (((b[1] - b[2] * x).exp() + 1.0).ln() / b[3]).exp());

/// Run `$body` with `$m` bound to the model of the problem named `$name` (each arm its own
/// type, so `$body` is instantiated once per model).
macro_rules! with_model {
    ($name:expr, $m:ident => $body:expr) => {
        match $name {
            "Misra1a" => {
                let $m = Misra1a;
                $body
            }
            "Chwirut2" | "Chwirut1" => {
                let $m = Chwirut2;
                $body
            }
            "Lanczos3" | "Lanczos1" | "Lanczos2" => {
                let $m = Lanczos;
                $body
            }
            "Gauss1" | "Gauss2" | "Gauss3" => {
                let $m = Gauss1;
                $body
            }
            "DanWood" => {
                let $m = DanWood;
                $body
            }
            "Kirby2" => {
                let $m = Kirby2;
                $body
            }
            "Hahn1" | "Thurber" => {
                let $m = Cubic;
                $body
            }
            "MGH17" => {
                let $m = Mgh17;
                $body
            }
            "Misra1c" => {
                let $m = Misra1c;
                $body
            }
            "ENSO" => {
                let $m = Enso;
                $body
            }
            "MGH09" => {
                let $m = Mgh09;
                $body
            }
            "BoxBOD" => {
                let $m = BoxBod;
                $body
            }
            "Eckerle4" => {
                let $m = Eckerle4;
                $body
            }
            "Misra1b" => {
                let $m = Misra1b;
                $body
            }
            "Misra1d" => {
                let $m = Misra1d;
                $body
            }
            "Bennett5" => {
                let $m = Bennett5;
                $body
            }
            "MGH10" => {
                let $m = Mgh10;
                $body
            }
            "Rat42" => {
                let $m = Rat42;
                $body
            }
            "Rat43" => {
                let $m = Rat43;
                $body
            }
            other => panic!("no model for {other}"),
        }
    };
}

/// The 25 problems of `data/nist-strd/` with NIST's difficulty: the fifteen of the shared set,
/// then the ten from a public mirror (see `data/nist-strd/README.md`).
pub const PROBLEMS: [(&str, &str); 25] = [
    ("Misra1a", "lower"),
    ("Chwirut2", "lower"),
    ("Lanczos3", "lower"),
    ("Gauss1", "lower"),
    ("DanWood", "lower"),
    ("Kirby2", "average"),
    ("Hahn1", "average"),
    ("MGH17", "average"),
    ("Lanczos1", "average"),
    ("Misra1c", "average"),
    ("ENSO", "average"),
    ("MGH09", "higher"),
    ("Thurber", "higher"),
    ("BoxBOD", "higher"),
    ("Eckerle4", "higher"),
    ("Chwirut1", "lower"),
    ("Gauss2", "lower"),
    ("Misra1b", "lower"),
    ("Lanczos2", "average"),
    ("Gauss3", "average"),
    ("Misra1d", "average"),
    ("MGH10", "higher"),
    ("Rat42", "higher"),
    ("Rat43", "higher"),
    ("Bennett5", "higher"),
];
