//! A parser for NIST StRD nonlinear-regression `.dat` files, as NIST publishes them
//! (`data/nist-strd/`), and the log relative error used to score a fit.
#![allow(dead_code)] // each test file uses a different subset

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
