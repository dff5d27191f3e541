//! `f64` data times duals (`F64Ops::mul_dual`, `MixedOps::dot_f64`) against the dual × dual
//! products nalgebra computes after lifting the data to jets (lifted once, outside the loop).
//! A 16×16 `f64` matrix times a vector of 16 `Jet<f64, 8>`, and a dot product of length 16.
//!
//! `cargo bench --bench mixed -- --warm-up-time 1 --measurement-time 2`.
//!
//! Instruction counts: `MIXED_COUNT=<case>:<n>` runs case 0–3 (the order below) `n` times and
//! exits, for `valgrind --tool=callgrind`; the count per product is the difference between
//! `n` and `0` runs divided by `n` (setup cancels).

use criterion::{Criterion, criterion_group};
use dualgrad::jet::{F64Ops, MixedOps};
use dualgrad::{Jet, Scalar};
use nalgebra::{SMatrix, SVector};
use std::hint::black_box;

type J = Jet<f64, 8>;

fn data() -> (SMatrix<f64, 16, 16>, SVector<f64, 16>, SVector<J, 16>) {
    let w = SMatrix::<f64, 16, 16>::from_fn(|i, j| ((i * 7 + j * 3) % 11) as f64 * 0.1 - 0.5);
    let v = SVector::<f64, 16>::from_fn(|i, _| (i as f64 * 0.37).sin());
    let x = SVector::<J, 16>::from_fn(|i, _| {
        let mut e = [0.0; 8];
        e[i % 8] = 1.0;
        e[(i + 3) % 8] = 0.5;
        Jet::new(i as f64 * 0.1 - 0.7, e)
    });
    (w, v, x)
}

fn mixed(c: &mut Criterion) {
    let (w, v, x) = data();
    let wl = w.map(J::lift);
    let vl = v.map(J::lift);
    // the two forms agree exactly before anything is timed
    assert_eq!(w.mul_dual(&x), wl * x);
    assert_eq!(x.dot_f64(&v), x.dot(&vl));
    let mut group = c.benchmark_group("matvec-16x16-jet8");
    group.bench_function("f64 x dual (mul_dual)", |b| {
        b.iter(|| black_box(&w).mul_dual(black_box(&x)))
    });
    group.bench_function("dual x dual (lifted, nalgebra *)", |b| {
        b.iter(|| black_box(&wl) * black_box(&x))
    });
    group.finish();
    let mut group = c.benchmark_group("dot-16-jet8");
    group.bench_function("dual . f64 (dot_f64)", |b| {
        b.iter(|| black_box(&x).dot_f64(black_box(&v)))
    });
    group.bench_function("dual . dual (lifted, nalgebra dot)", |b| {
        b.iter(|| black_box(&x).dot(black_box(&vl)))
    });
    group.finish();
}

/// The four products, by index, run `n` times each.
fn run_case(case: usize, n: u64) {
    let (w, v, x) = data();
    let (wl, vl) = (w.map(J::lift), v.map(J::lift));
    for _ in 0..n {
        match case {
            0 => drop(black_box(black_box(&w).mul_dual(black_box(&x)))),
            1 => drop(black_box(black_box(&wl) * black_box(&x))),
            2 => drop(black_box(black_box(&x).dot_f64(black_box(&v)))),
            _ => drop(black_box(black_box(&x).dot(black_box(&vl)))),
        }
    }
}

criterion_group!(benches, mixed);

fn main() {
    if let Ok(spec) = std::env::var("MIXED_COUNT") {
        let (case, n) = spec.split_once(':').expect("MIXED_COUNT=<case>:<n>");
        run_case(case.parse().expect("case 0-3"), n.parse().expect("a count"));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
