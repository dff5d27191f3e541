//! Least squares on the NIST StRD problems of `data/nist-strd/`: CPU time per solve of
//! `LevenbergMarquardt::default()`, beside the `levenberg-marquardt` crate (a Rust port of
//! MINPACK's `lmder`) given this crate's exact Jacobians ([`jacobian_into`]) with tight
//! tolerances, and beside compiled MINPACK (cminpack, the C port: `lmder` with hand-coded
//! Jacobians and tight tolerances, `lmdif1` and `lmdif` with their defaults), the times of
//! `tests/reference/nist_cminpack.json` (`tests/reference/nist_cminpack.c`, timed the same way).
//!
//! ```sh
//! cargo bench --bench lsq                          # the table of docs/nist-strd.md
//! cargo bench --bench lsq -- Rat4                  # only the problems whose name contains Rat4
//! cargo bench --bench lsq -- --list                # the callgrind cases, one per line
//! cargo bench --bench lsq -- --callgrind CASE COUNT  # COUNT solves of CASE (benches/callgrind.sh)
//! cargo bench --bench lsq -- --callgrind Rat42:2 COUNT # COUNT solves of any (problem, start)
//! benches/lsq_instructions.sh                      # instructions per solve beside cminpack's
//! ```
//!
//! Times are CPU time of this thread (`/proc/thread-self/schedstat`, so other processes on a
//! busy machine do not count), the median of 5 batches of repeated solves, each at least 0.2 s
//! (the kernel's accounting is per tick).

#[path = "../tests/lsq/nist.rs"]
#[macro_use]
mod nist;

use dualgrad::data::Dataset;
use dualgrad::lsq::{
    DataResiduals, LevenbergMarquardt, ObservationResidual, Residuals, jacobian_into,
    residuals_into,
};
use levenberg_marquardt::LeastSquaresProblem;
use nalgebra::SVector;
use nalgebra034::storage::Owned;
use nalgebra034::{Const, Dyn, OMatrix, OVector};
use nist::*;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// CPU time of this thread in seconds (wall time where the kernel does not say).
fn cpu_seconds() -> f64 {
    thread_local!(static START: Instant = Instant::now());
    match std::fs::read_to_string("/proc/thread-self/schedstat") {
        Ok(s) => {
            s.split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
                * 1e-9
        }
        Err(_) => START.with(|t| t.elapsed().as_secs_f64()),
    }
}

/// Median CPU time of one call of `f`, in microseconds.
fn per_call(mut f: impl FnMut()) -> f64 {
    let mut n = 1;
    loop {
        let t = cpu_seconds();
        for _ in 0..n {
            f();
        }
        // The kernel accounts CPU time in ticks (4 ms here): batches of at least 0.2 s keep
        // that below 2 %.
        if cpu_seconds() - t > 0.2 {
            break;
        }
        n *= 2;
    }
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let t = cpu_seconds();
            for _ in 0..n {
                f();
            }
            (cpu_seconds() - t) / n as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[2] * 1e6
}

/// A `Residuals` problem as the `levenberg-marquardt` crate wants it: the glue a user writes
/// to hand this crate's exact Jacobians to another solver, through slices (its nalgebra is
/// another version).
struct Glue<'a, R, const N: usize> {
    problem: &'a R,
    params: OVector<f64, Const<N>>,
    m: usize,
}

impl<R: Residuals<N, 1>, const N: usize> LeastSquaresProblem<f64, Dyn, Const<N>>
    for Glue<'_, R, N>
{
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Const<N>>;
    type ParameterStorage = Owned<f64, Const<N>>;

    fn set_params(&mut self, x: &OVector<f64, Const<N>>) {
        self.params.copy_from(x);
    }

    fn params(&self) -> OVector<f64, Const<N>> {
        self.params
    }

    fn residuals(&self) -> Option<OVector<f64, Dyn>> {
        let mut r = OVector::<f64, Dyn>::zeros(self.m);
        residuals_into(
            self.problem,
            &SVector::from_column_slice(self.params.as_slice()),
            r.as_mut_slice(),
        );
        Some(r)
    }

    fn jacobian(&self) -> Option<OMatrix<f64, Dyn, Const<N>>> {
        let mut r = vec![0.0; self.m];
        let mut j = OMatrix::<f64, Dyn, Const<N>>::zeros(self.m);
        jacobian_into(
            self.problem,
            &SVector::from_column_slice(self.params.as_slice()),
            &mut r,
            j.as_mut_slice(),
        );
        Some(j)
    }
}

/// One (problem, start): dualgrad's and the `levenberg-marquardt` crate's CPU time per solve,
/// with min LRE and Jacobian counts.
struct Timing {
    dualgrad_us: f64,
    dualgrad_lre: f64,
    dualgrad_jac: usize,
    dualgrad_hess: usize,
    lm_crate_us: f64,
    lm_crate_lre: f64,
}

fn load(name: &str) -> Problem {
    nist::parse(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/nist-strd")
            .join(format!("{name}.dat")),
    )
}

fn dataset(p: &Problem) -> Dataset<1, f64> {
    Dataset::new(
        p.data.iter().map(|&(x, _)| SVector::from([x])).collect(),
        p.data.iter().map(|&(_, y)| y).collect(),
    )
    .unwrap()
}

fn time_one<const N: usize, M: ObservationResidual<N, 1, f64, 1>>(
    model: M,
    p: &Problem,
    start: usize,
) -> Timing {
    let data = dataset(p);
    let problem = DataResiduals::new(model, &data);
    let theta0 = SVector::<f64, N>::from_fn(|i, _| p.params[i][start - 1]);
    let min_lre = |x: &[f64]| {
        (0..N)
            .map(|i| lre(x[i], p.params[i][2]))
            .fold(f64::INFINITY, f64::min)
    };
    let lm = LevenbergMarquardt::default();
    let fit = lm.solve(&problem, theta0).unwrap();
    let dualgrad_us = per_call(|| {
        black_box(lm.solve(black_box(&problem), theta0).unwrap());
    });
    let other = levenberg_marquardt::LevenbergMarquardt::new()
        .with_ftol(1e-15)
        .with_xtol(1e-15)
        .with_gtol(1e-15)
        .with_patience(10_000);
    let glue = || Glue {
        problem: &problem,
        params: OVector::<f64, Const<N>>::from_column_slice(theta0.as_slice()),
        m: data.len(),
    };
    let (solved, _) = other.minimize(glue());
    let lm_crate_us = per_call(|| {
        black_box(other.minimize(glue()));
    });
    Timing {
        dualgrad_us,
        dualgrad_lre: min_lre(fit.params.as_slice()),
        dualgrad_jac: fit.jacobian_evaluations,
        dualgrad_hess: fit.hessian_evaluations,
        lm_crate_us,
        lm_crate_lre: min_lre(solved.params.as_slice()),
    }
}

/// Microseconds to three significant digits (at least one decimal below 10).
fn us(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// Compiled MINPACK's runs from `tests/reference/nist_cminpack.json`: (CPU µs, min LRE) of
/// `lmder` tight, `lmdif1` (defaults) and `lmdif` with scipy's defaults.
fn minpack_runs(name: &str, start: usize) -> [(f64, f64); 3] {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/nist_cminpack.json"),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let row = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["problem"] == name && r["start"] == start as u64)
        .unwrap();
    ["lmder_tight", "lmdif1", "lmdif_scipy"].map(|key| {
        (
            row[key]["cpu_us"].as_f64().unwrap(),
            row[key]["min_lre"].as_f64().unwrap(),
        )
    })
}

/// The callgrind cases: (name, NIST problem, start): the two of `benches/callgrind.sh`'s table,
/// then the runs closest to `lmdif`'s time (`--callgrind` only; `--list` names the first two).
const CASES: [(&str, &str, usize); 9] = [
    ("gauss1-250", "Gauss1", 1),
    ("misra1a-14", "Misra1a", 2),
    ("chwirut2-s2", "Chwirut2", 2),
    ("rat43-s2", "Rat43", 2),
    ("thurber-s2", "Thurber", 2),
    ("mgh09-s2", "MGH09", 2),
    ("boxbod-s1", "BoxBOD", 1),
    ("misra1a-s1", "Misra1a", 1),
    ("rat42-s2", "Rat42", 2),
];

fn callgrind(case: &str, count: usize) {
    // A case of CASES, or any run as `Problem:start` (e.g. `Rat42:2`).
    let (name, start) = match case.split_once(':') {
        Some((name, start)) => (
            PROBLEMS
                .iter()
                .map(|p| p.0)
                .find(|&p| p == name)
                .unwrap_or_else(|| panic!("no problem {name}")),
            start.parse().expect("START"),
        ),
        None => CASES
            .iter()
            .find(|c| c.0 == case)
            .map(|c| (c.1, c.2))
            .unwrap_or_else(|| panic!("no case {case}")),
    };
    let p = load(name);
    macro_rules! go {
        ($m:expr) => {{
            let data = dataset(&p);
            let problem = DataResiduals::new($m, &data);
            let theta0 = SVector::from_fn(|i, _| p.params[i][start - 1]);
            let lm = LevenbergMarquardt::default();
            for _ in 0..count {
                black_box(lm.solve(black_box(&problem), theta0).unwrap());
            }
        }};
    }
    with_model!(name, m => go!(m));
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["--list"] => {
            for (case, _, _) in &CASES[..2] {
                // 20 solves: enough for a count per solve exact to the instruction.
                println!("{case} 20");
            }
            return;
        }
        ["--callgrind", case, count] => {
            callgrind(case, count.parse().expect("COUNT"));
            return;
        }
        _ => {}
    }
    // `cargo bench --bench lsq -- NAME`: only the problems whose name contains NAME.
    let filter = args.first().copied().unwrap_or("");
    println!(
        "| problem | start | dualgrad µs | min LRE | Jacobians + Hessians | levenberg-marquardt crate (tight, same Jacobians) µs | min LRE | cminpack lmder tight µs | min LRE | cminpack lmdif1 (defaults) µs | min LRE | cminpack lmdif (scipy's defaults) µs |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut totals = [0.0; 5];
    let (mut faster_than_lmdif1, mut faster_than_lmdif, mut runs) = (0, 0, 0);
    for &(name, _) in PROBLEMS.iter().filter(|p| p.0.contains(filter)) {
        let p = load(name);
        for start in [1, 2] {
            let t = with_model!(name, m => time_one(m, &p, start));
            let [der, dif1, dif] = minpack_runs(name, start);
            println!(
                "| {name} | {start} | {} | {:.1} | {} + {} | {} | {:.1} | {} | {:.1} | {} | {:.1} | {} |",
                us(t.dualgrad_us),
                t.dualgrad_lre,
                t.dualgrad_jac,
                t.dualgrad_hess,
                us(t.lm_crate_us),
                t.lm_crate_lre,
                us(der.0),
                der.1,
                us(dif1.0),
                dif1.1,
                us(dif.0)
            );
            for (total, v) in
                totals
                    .iter_mut()
                    .zip([t.dualgrad_us, t.lm_crate_us, der.0, dif1.0, dif.0])
            {
                *total += v;
            }
            runs += 1;
            faster_than_lmdif1 += usize::from(t.dualgrad_us < dif1.0);
            faster_than_lmdif += usize::from(t.dualgrad_us < dif.0);
        }
    }
    let [ours, theirs, lmder, lmdif1, lmdif] = totals;
    println!(
        "| **total** | | {ours:.0} | | | {theirs:.0} | | {lmder:.0} | | {lmdif1:.0} | | {lmdif:.0} |\n\n\
         dualgrad is faster than cminpack's lmdif1 (defaults) on {faster_than_lmdif1} of {runs} runs \
         and than lmdif with scipy's defaults on {faster_than_lmdif} of {runs}; total CPU {:.2}× \
         the levenberg-marquardt crate's, {:.2}× lmdif1's, {:.2}× lmder's (tight).",
        ours / theirs,
        ours / lmdif1,
        ours / lmder
    );
}
