//! Criterion benchmarks: the Hessian of Rosenbrock N = 10, hand-written vs dualgrad vs num-dual.
//!
//! `cargo bench --bench hessian -- --warm-up-time 1 --measurement-time 2`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Instant;

mod workloads;

fn hessians(c: &mut Criterion) {
    let cases: Vec<_> = workloads::cases()
        .into_iter()
        .filter(|case| case.workload == "rosenbrock-10-hessian")
        .collect();
    workloads::verify(&cases);
    let mut group = c.benchmark_group("rosenbrock-10-hessian");
    for case in &cases {
        group.bench_function(case.variant, |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                (case.run)(iters);
                start.elapsed()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, hessians);
criterion_main!(benches);
