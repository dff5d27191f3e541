//! Criterion benchmarks: every gradient workload × variant of `workloads/mod.rs`.
//!
//! `cargo bench --bench gradients -- --warm-up-time 1 --measurement-time 2 [filter]`.
//! The ratio table in one run is `cargo bench --bench report`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Instant;

mod workloads;

fn gradients(c: &mut Criterion) {
    let cases: Vec<_> = workloads::cases()
        .into_iter()
        .filter(|case| !case.workload.ends_with("hessian"))
        .collect();
    workloads::verify(&cases);
    for workload in workloads::workload_names(&cases) {
        let mut group = c.benchmark_group(workload);
        for case in cases.iter().filter(|case| case.workload == workload) {
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
}

criterion_group!(benches, gradients);
criterion_main!(benches);
