//! The ratio report: every workload × variant of `workloads/mod.rs` in one run, as markdown.
//!
//! ```text
//! cargo bench --bench report                 # the tables (well under a minute)
//! cargo bench --bench report --features parallel  # plus the 1- and 2-thread model rows
//! cargo bench --bench report -- iris         # only workloads whose name contains "iris"
//! cargo bench --bench report -- --list       # workload, variant, callgrind count per line
//! cargo bench --bench report -- --callgrind WORKLOAD VARIANT COUNT
//! ```
//!
//! `--callgrind` builds every case (cheap, identical setup for every count) and runs `COUNT`
//! evaluations of one of them and nothing else, so under `valgrind --tool=callgrind` the
//! difference between `COUNT` and `0` evaluations is the exact instruction count of `COUNT`
//! gradients; `benches/callgrind.sh` does that for every case.
//!
//! Timing: each case is run in batches of about 10 ms, the batches of one workload's variants
//! interleaved; the table shows the median and the fastest batch in nanoseconds per evaluation,
//! and the ratio of medians to the hand-written variant.
//! Without `--bench` (as under `cargo test --benches`) it only verifies every case and runs each
//! once.

use harness::{calibrate, print_table};
use std::time::{Duration, Instant};

mod harness;
mod workloads;
use workloads::Case;

/// Target duration of one timed batch.
const BATCH: Duration = Duration::from_millis(10);
/// Timed batches per case.
const BATCHES: usize = 15;

fn main() {
    let all_args: Vec<String> = std::env::args().skip(1).collect();
    let bench_mode = all_args.iter().any(|a| a == "--bench");
    let args: Vec<&str> = all_args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--bench")
        .collect();
    let cases = workloads::cases();
    match args.as_slice() {
        ["--callgrind", workload, variant, count] => {
            let case = find(&cases, workload, variant);
            let count: u64 = count
                .parse()
                .unwrap_or_else(|_| panic!("--callgrind: COUNT must be an integer, got {count:?}"));
            // one evaluation first, in every run, so that one-time work (the check of the C
            // library's `tanh`, lazily built statics) cancels in the difference of two runs
            (case.run)(1);
            (case.run)(count);
        }
        ["--callgrind", ..] => panic!("usage: report --callgrind WORKLOAD VARIANT COUNT"),
        ["--list"] => {
            // the multi-threaded cases are timed only
            for c in &cases {
                if let Some(count) = c.callgrind_count {
                    println!("{} {} {}", c.workload, c.variant, count);
                }
            }
        }
        _ if bench_mode => {
            let filter = args.first().copied().unwrap_or("");
            let cases: Vec<Case> = cases
                .into_iter()
                .filter(|c| c.workload.contains(filter))
                .collect();
            workloads::verify(&cases);
            report(&cases);
        }
        _ => {
            // test mode (`cargo test --benches`): check, run each case once, no timing
            workloads::verify(&cases);
            for c in &cases {
                (c.run)(1);
            }
            println!(
                "report: {} cases verified against hand-written derivatives",
                cases.len()
            );
        }
    }
}

fn find<'a>(cases: &'a [Case], workload: &str, variant: &str) -> &'a Case {
    cases
        .iter()
        .find(|c| c.workload == workload && c.variant == variant)
        .unwrap_or_else(|| panic!("no case {workload} {variant}; see --list"))
}

/// Nanoseconds per evaluation of each case: (fastest batch, median batch).
///
/// The batches of the cases of one workload are interleaved (round robin), so a burst of load
/// from other processes, or a change of clock speed, hits every variant alike.
fn time(cases: &[Case]) -> Vec<(f64, f64)> {
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(BATCHES); cases.len()];
    for workload in workloads::workload_names(cases) {
        let group: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].workload == workload)
            .collect();
        let n: Vec<u64> = group
            .iter()
            .map(|&i| calibrate(&*cases[i].run, BATCH))
            .collect();
        for _ in 0..BATCHES {
            for (&i, &n) in group.iter().zip(&n) {
                let start = Instant::now();
                (cases[i].run)(n);
                samples[i].push(start.elapsed().as_nanos() as f64 / n as f64);
            }
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            (s[0], s[s.len() / 2])
        })
        .collect()
}

fn report(cases: &[Case]) {
    let times = time(cases);
    let hand = |workload: &str| {
        cases
            .iter()
            .zip(&times)
            .find(|(c, _)| c.workload == workload && c.variant == "hand")
            .map(|(_, t)| t.1)
            .expect("every workload has a hand-written case")
    };

    println!("Time per evaluation (value + gradient, or + Hessian), best and median of");
    println!(
        "{BATCHES} interleaved batches of ~{} ms; ratio = median / median of `hand`.\n",
        BATCH.as_millis()
    );
    let rows: Vec<Vec<String>> = cases
        .iter()
        .zip(&times)
        .map(|(c, &(best, median))| {
            vec![
                c.workload.to_string(),
                c.variant.to_string(),
                format_ns(median),
                format_ns(best),
                format!("{:.2}", median / hand(c.workload)),
            ]
        })
        .collect();
    print_table(
        &["workload", "variant", "ns (median)", "ns (best)", "× hand"],
        &[false, false, true, true, true],
        &rows,
    );

    models(cases, &times);

    // one pass vs chunks, per workload that has chunked variants
    let chunked: Vec<&str> = workloads::workload_names(cases)
        .into_iter()
        .filter(|w| {
            cases
                .iter()
                .any(|c| c.workload == *w && c.variant.contains("chunk"))
        })
        .collect();
    if chunked.is_empty() {
        return;
    }
    let variants = [
        "dualgrad",
        "dualgrad-chunk4",
        "dualgrad-chunk8",
        "dualgrad-chunk16",
    ];
    println!("\nOne pass vs chunked (ns per gradient, median batch; ratio to one pass):\n");
    let rows: Vec<Vec<String>> = chunked
        .iter()
        .map(|w| {
            let t = |v: &str| {
                cases
                    .iter()
                    .zip(&times)
                    .find(|(c, _)| c.workload == *w && c.variant == v)
                    .map(|(_, t)| t.1)
            };
            let one = t("dualgrad").expect("chunked workloads have a one-pass case");
            std::iter::once(w.to_string())
                .chain(variants.iter().map(|v| match t(v) {
                    Some(ns) if *v == "dualgrad" => format_ns(ns),
                    Some(ns) => format!("{} ({:.2})", format_ns(ns), ns / one),
                    None => "–".to_string(),
                }))
                .collect()
        })
        .collect();
    print_table(
        &["workload", "one pass", "chunk 4", "chunk 8", "chunk 16"],
        &[false, true, true, true, true],
        &rows,
    );
}

/// The models module against the same model as a plain generic function and by hand.
fn models(cases: &[Case], times: &[(f64, f64)]) {
    let t = |w: &str, v: &str| {
        cases
            .iter()
            .zip(times)
            .find(|(c, _)| c.workload == w && c.variant == v)
            .map(|(_, t)| t.1)
    };
    let with_models: Vec<&str> = workloads::workload_names(cases)
        .into_iter()
        .filter(|w| t(w, "model").is_some())
        .collect();
    if with_models.is_empty() {
        return;
    }
    println!(
        "\nThe models module (`Supervised` over a `Dataset`): `model` is `loss_and_gradient` (the\n\
         per-layer pre-activation path), `model-generic` its `generic_loss_and_gradient` (the\n\
         forward pass on duals), `dualgrad` the same model as a plain generic function\n\
         (median ns; ratios of medians):\n"
    );
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}", a / b),
        _ => "–".to_string(),
    };
    let rows: Vec<Vec<String>> = with_models
        .iter()
        .map(|w| {
            let (hand, plain, model, generic) = (
                t(w, "hand"),
                t(w, "dualgrad"),
                t(w, "model"),
                t(w, "model-generic"),
            );
            let (par1, par2) = (t(w, "model-par1"), t(w, "model-par2"));
            vec![
                w.to_string(),
                model.map_or("–".to_string(), format_ns),
                ratio(model, hand),
                ratio(model, plain),
                ratio(generic, plain),
                ratio(par1, par2),
            ]
        })
        .collect();
    print_table(
        &[
            "workload",
            "model ns",
            "model / hand",
            "model / dualgrad",
            "model-generic / dualgrad",
            "par1 / par2",
        ],
        &[false, true, true, true, true, true],
        &rows,
    );
}

fn format_ns(ns: f64) -> String {
    if ns >= 100.0 {
        format!("{ns:.0}")
    } else {
        format!("{ns:.1}")
    }
}
