//! The multi-threaded value-and-gradient of the models module (feature `parallel`): one thread
//! against two, inside one run, and where the time of the parallel split goes.
//!
//! ```text
//! cargo bench --features parallel --bench parallel               # about two minutes
//! cargo bench --features parallel --bench parallel -- --reps 400 # more repetitions
//! ```
//!
//! Every variant is timed in short batches (~2 ms, each after a 0.5 ms pause that lets idle
//! rayon workers fall asleep) and the batches of all variants are interleaved, repetition after
//! repetition, so a burst of load from other processes hits each alike; the tables give
//! medians. The speedup is the median over repetitions of the ratio (1 thread / 2 threads) of
//! the two batches of the same repetition. Beside the gradients, each repetition also times a
//! probe, two 1 ms halves of pure arithmetic joined on 1 and on 2 threads: its ratio is what the
//! machine gave two threads at that moment (on a shared host a second core is not always
//! there, whatever the load average inside the machine says), and the tables also give the
//! speedup over the repetitions in which the probe reached 1.8×. The load average is printed
//! before and after.
//!
//! Before anything is timed, the parallel result is checked to be bit-identical to the serial
//! one for 1, 2 and 4 threads. Without `--bench` (as under `cargo test --benches --features
//! parallel`) only that check runs.

use dualgrad::model::{Model, SoftmaxCrossEntropy};
use harness::calibrate;
use nalgebra::SVector;
use rayon::ThreadPool;
use rayon::prelude::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

mod harness;
mod workloads;
use workloads::{IrisModel, ModelProblem};

/// Target duration of one timed batch.
const BATCH: Duration = Duration::from_millis(2);
/// Pause before each timed batch.
const GAP: Duration = Duration::from_micros(500);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench_mode = args.iter().any(|a| a == "--bench");
    let reps: usize = match args.iter().position(|a| a == "--reps") {
        Some(i) => args
            .get(i + 1)
            .and_then(|n| n.parse().ok())
            .expect("--reps takes a number"),
        None => 200,
    };

    // pools of 1, 2 and 4 threads, kept to the end of the process
    let pools: &'static [ThreadPool] = Box::leak(
        [1, 2, 4]
            .iter()
            .map(|&n| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .expect("a rayon thread pool")
            })
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    let iris = workloads::iris_model();
    let logistic = workloads::logistic_model();
    check_bits("iris", &iris, pools);
    check_bits("logistic", &logistic, pools);
    if !bench_mode {
        println!("parallel: iris and logistic bit-identical to serial for 1, 2 and 4 threads");
        return;
    }

    println!(
        "cores: {}; load average at start: {}\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    println!(
        "Serial and parallel mean loss + gradient over all samples: median ns per evaluation of\n\
         {reps} repetitions, each timing one batch of ~{} ms of every variant in turn. Speedup:\n\
         median [quartiles] of the per-repetition ratios 1 thread / 2 threads. `probe`: in the\n\
         same repetitions, two 1 ms halves of pure arithmetic joined on 1 and on 2 threads, the\n\
         speedup the machine gave at that moment (other tenants share the cores); `2 cores`:\n\
         the repetitions whose probe reached 1.8×, and the gradient's speedup in those.\n",
        BATCH.as_millis()
    );
    let probe = Probe::new(pools);
    let rows: Vec<[Vec<String>; 2]> = vec![
        thread_rows("iris", &iris, pools, &probe, reps),
        thread_rows("logistic", &logistic, pools, &probe, reps),
    ];
    println!(
        "In the pool (the whole batch inside `pool.install`, as a training loop run there):\n"
    );
    print_table(
        &[
            "workload",
            "serial",
            "1 thread",
            "2 threads",
            "speedup",
            "probe",
            "2 cores",
            "speedup then",
        ],
        &rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
    );
    println!(
        "\nPer call (`pool.install` around every evaluation: a call from a thread outside the\n\
         pool, as from `main` into rayon's global pool):\n"
    );
    print_table(
        &[
            "workload",
            "1 thread",
            "2 threads",
            "speedup",
            "serial / 2 threads",
        ],
        &rows.iter().map(|r| r[1].clone()).collect::<Vec<_>>(),
    );

    println!(
        "\nWhat the machine and rayon allow: two equal halves of pure arithmetic (no memory),\n\
         `rayon::join`ed inside a pool of 1 and of 2 threads, by the work per half:\n"
    );
    ceiling(pools, reps);

    println!("\nWhere the time goes (iris, median ns):\n");
    overheads(&iris, pools, reps);

    println!(
        "\nBlock size (iris, 150 samples): the parallel sum over blocks of B samples, each block\n\
         by the model's gradient path, inside a pool of 1 and of 2 threads (median ns per\n\
         gradient; speedup and probe as above; bound: 150 / the larger share of the best split\n\
         of the blocks between two threads).\n"
    );
    block_sweep(&iris, pools, &probe, reps);
    println!("\nload average at end: {}", load_average());
}

/// The parallel result is bit-identical to the serial one for every pool.
fn check_bits<M, L, Y, const I: usize, const O: usize, const P: usize>(
    name: &str,
    w: &ModelProblem<M, L, Y, I, O, P>,
    pools: &[ThreadPool],
) where
    M: Model<I, O, P> + Copy,
    L: dualgrad::model::Loss<O, Y> + Copy,
    Y: Clone + Sync + 'static,
{
    let bits = |(v, g): (f64, SVector<f64, P>)| -> Vec<u64> {
        std::iter::once(v)
            .chain(g.iter().copied())
            .map(f64::to_bits)
            .collect()
    };
    let serial = bits(w.loss_and_gradient());
    for pool in pools {
        let par = bits(pool.install(|| w.par_loss_and_gradient()));
        assert!(
            par == serial,
            "{name}: {} threads differ from serial",
            pool.current_num_threads()
        );
    }
}

/// `/proc/loadavg`'s three averages, or `?` where there is none.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

/// A timed variant: run `n` evaluations.
type Variant<'a> = Box<dyn Fn(u64) + 'a>;

/// Median ns per evaluation of every variant over `reps` interleaved batches, and the raw
/// per-repetition samples.
fn interleaved(variants: &[Variant<'_>], reps: usize) -> Vec<Vec<f64>> {
    let n: Vec<u64> = variants.iter().map(|v| calibrate(&**v, BATCH)).collect();
    let mut samples = vec![Vec::with_capacity(reps); variants.len()];
    for _ in 0..reps {
        for ((v, &n), s) in variants.iter().zip(&n).zip(&mut samples) {
            // let the idle workers of every pool fall asleep first: a worker that is still
            // spinning (yielding) after the previous batch competes for the two cores
            std::thread::sleep(GAP);
            let start = Instant::now();
            v(n);
            s.push(start.elapsed().as_nanos() as f64 / n as f64);
        }
    }
    samples
}

fn median(s: &[f64]) -> f64 {
    quantile(s, 0.5)
}

fn quantile(s: &[f64], q: f64) -> f64 {
    let mut s = s.to_vec();
    s.sort_by(f64::total_cmp);
    s[((s.len() - 1) as f64 * q).round() as usize]
}

/// Median of the per-repetition ratios `a[i] / b[i]`, with quartiles.
fn speedup(a: &[f64], b: &[f64]) -> String {
    let r: Vec<f64> = a.iter().zip(b).map(|(a, b)| a / b).collect();
    format!(
        "{:.2}× [{:.2}–{:.2}]",
        median(&r),
        quantile(&r, 0.25),
        quantile(&r, 0.75)
    )
}

fn ns(t: f64) -> String {
    if t >= 100.0 {
        format!("{t:.0}")
    } else {
        format!("{t:.1}")
    }
}

/// What the machine gives two threads: `rayon::join` of two 1 ms halves of [`spin`], on 1
/// and on 2 threads, timed in the same repetitions as the variants it is set beside.
struct Probe {
    one: Variant<'static>,
    two: Variant<'static>,
}

impl Probe {
    fn new(pools: &'static [ThreadPool]) -> Self {
        let k = spin_per_us() * 1000;
        let joined = |pool: &'static ThreadPool| -> Variant<'static> {
            Box::new(move |n| {
                pool.install(|| {
                    for _ in 0..n {
                        black_box(rayon::join(|| spin(k), || spin(k)));
                    }
                })
            })
        };
        Probe {
            one: joined(&pools[0]),
            two: joined(&pools[1]),
        }
    }
}

/// Serial, and 1 vs 2 threads in the pool and per call, for one workload, beside the probe:
/// the row of the in-pool table and the row of the per-call table.
fn thread_rows<M, L, Y, const I: usize, const O: usize, const P: usize>(
    name: &str,
    w: &ModelProblem<M, L, Y, I, O, P>,
    pools: &'static [ThreadPool],
    probe: &Probe,
    reps: usize,
) -> [Vec<String>; 2]
where
    M: Model<I, O, P> + Copy,
    L: dualgrad::model::Loss<O, Y> + Copy,
    Y: Clone + Sync + 'static,
{
    let in_pool = |pool: &'static ThreadPool| -> Variant<'_> {
        Box::new(move |n| {
            pool.install(|| {
                for _ in 0..n {
                    black_box(black_box(w).par_loss_and_gradient());
                }
            })
        })
    };
    let per_call = |pool: &'static ThreadPool| -> Variant<'_> {
        Box::new(move |n| {
            for _ in 0..n {
                black_box(pool.install(|| black_box(w).par_loss_and_gradient()));
            }
        })
    };
    let variants: Vec<Variant<'_>> = vec![
        Box::new(|n| {
            for _ in 0..n {
                black_box(black_box(w).loss_and_gradient());
            }
        }),
        in_pool(&pools[0]),
        in_pool(&pools[1]),
        per_call(&pools[0]),
        per_call(&pools[1]),
        Box::new(|n| (probe.one)(n)),
        Box::new(|n| (probe.two)(n)),
    ];
    let s = interleaved(&variants, reps);
    let free = free_reps(&s[5], &s[6]);
    [
        vec![
            name.to_owned(),
            ns(median(&s[0])),
            ns(median(&s[1])),
            ns(median(&s[2])),
            speedup(&s[1], &s[2]),
            speedup(&s[5], &s[6]),
            format!("{} of {reps}", free.len()),
            speedup_in(&s[1], &s[2], &free),
        ],
        vec![
            name.to_owned(),
            ns(median(&s[3])),
            ns(median(&s[4])),
            speedup(&s[3], &s[4]),
            format!("{:.2}×", median(&s[0]) / median(&s[4])),
        ],
    ]
}

/// The repetitions in which the probe (samples `one`, `two`) showed two free cores.
fn free_reps(one: &[f64], two: &[f64]) -> Vec<usize> {
    (0..one.len()).filter(|&r| one[r] / two[r] >= 1.8).collect()
}

/// [`speedup`] over the repetitions `reps` only.
fn speedup_in(a: &[f64], b: &[f64], reps: &[usize]) -> String {
    if reps.is_empty() {
        return "–".to_owned();
    }
    let pick = |v: &[f64]| -> Vec<f64> { reps.iter().map(|&r| v[r]).collect() };
    speedup(&pick(a), &pick(b))
}

/// Iterations of [`spin`] per microsecond on this machine.
fn spin_per_us() -> u64 {
    let k = 1_000_000;
    let start = Instant::now();
    black_box(spin(k));
    (k as f64 / (start.elapsed().as_nanos() as f64 / 1000.0)).round() as u64
}

/// A dependent chain of `k` floating-point multiply-adds: pure arithmetic, no memory.
fn spin(k: u64) -> f64 {
    let mut x = black_box(1.0_f64);
    for _ in 0..k {
        x = x * 0.999_999_9 + 1e-9;
    }
    x
}

/// 1 vs 2 threads on `rayon::join(spin, spin)`, for halves of 1 ms down to 3 µs: the first
/// row is what the machine gives two threads at the moment (other processes on the shared
/// cores take the rest), the others add rayon's cost of handing a job to the second thread.
fn ceiling(pools: &'static [ThreadPool], reps: usize) {
    let per_us = spin_per_us() as f64;
    let halves_us = [1000.0, 50.0, 12.0, 3.0];
    let joined = |pool: &'static ThreadPool, k: u64| -> Variant<'static> {
        Box::new(move |n| {
            pool.install(|| {
                for _ in 0..n {
                    black_box(rayon::join(|| spin(k), || spin(k)));
                }
            })
        })
    };
    let mut variants = Vec::new();
    for us in halves_us {
        let k = (us * per_us).round() as u64;
        variants.push(joined(&pools[0], k));
        variants.push(joined(&pools[1], k));
    }
    let s = interleaved(&variants, reps);
    let rows: Vec<Vec<String>> = halves_us
        .iter()
        .enumerate()
        .map(|(i, us)| {
            let (one, two) = (&s[2 * i], &s[2 * i + 1]);
            vec![
                format!("{us} µs"),
                ns(median(one)),
                ns(median(two)),
                speedup(one, two),
            ]
        })
        .collect();
    print_table(&["per half", "1 thread", "2 threads", "speedup"], &rows);
}

/// The costs the parallel split adds, next to the work of one block.
fn overheads(w: &IrisModel, pools: &'static [ThreadPool], reps: usize) {
    let (p1, p2) = (&pools[0], &pools[1]);
    let model = *w.obj.model();
    let data = w.obj.data();
    let all = w.obj.all_indices();
    let block = &all[..dualgrad::model::SAMPLE_BLOCK];
    let empty_split = |pool: &'static ThreadPool| -> Variant<'_> {
        Box::new(move |n| {
            pool.install(|| {
                for _ in 0..n {
                    let v: Vec<(f64, SVector<f64, 67>)> = black_box(all)
                        .par_chunks(dualgrad::model::SAMPLE_BLOCK)
                        .map(|b| (b.len() as f64, SVector::zeros()))
                        .collect();
                    black_box(v);
                }
            })
        })
    };
    let names = [
        "one block of 16 samples, serial (`loss_and_gradient_sum`)",
        "whole batch, serial (`Objective::loss_and_gradient`)",
        "`pool.install` of an empty closure from outside, 1 thread",
        "`pool.install` of an empty closure from outside, 2 threads",
        "`rayon::join` of two empty closures, in a 2-thread pool",
        "the 10-block split with no work (`par_chunks` + `collect`), 1 thread",
        "the 10-block split with no work (`par_chunks` + `collect`), 2 threads",
    ];
    let variants: Vec<Variant<'_>> = vec![
        Box::new(move |n| {
            for _ in 0..n {
                black_box(model.loss_and_gradient_sum(
                    black_box(&w.p),
                    &SoftmaxCrossEntropy,
                    data,
                    black_box(block),
                ));
            }
        }),
        Box::new(|n| {
            for _ in 0..n {
                black_box(black_box(w).loss_and_gradient());
            }
        }),
        Box::new(move |n| {
            for _ in 0..n {
                p1.install(|| black_box(()));
            }
        }),
        Box::new(move |n| {
            for _ in 0..n {
                p2.install(|| black_box(()));
            }
        }),
        Box::new(move |n| {
            p2.install(|| {
                for _ in 0..n {
                    rayon::join(|| black_box(1), || black_box(2));
                }
            })
        }),
        empty_split(p1),
        empty_split(p2),
    ];
    let s = interleaved(&variants, reps);
    let rows: Vec<Vec<String>> = names
        .iter()
        .zip(&s)
        .map(|(name, s)| vec![name.to_string(), ns(median(s))])
        .collect();
    print_table(&["what", "ns"], &rows);
}

/// 1 vs 2 threads for blocks of several sizes (the crate's path uses `BLOCK_SIZE`).
fn block_sweep(w: &IrisModel, pools: &'static [ThreadPool], probe: &Probe, reps: usize) {
    let model = *w.obj.model();
    let data = w.obj.data();
    let all = w.obj.all_indices();
    let sizes = [4_usize, 8, 15, 16, 25, 38, 75];
    let par = |pool: &'static ThreadPool, size: usize| -> Variant<'_> {
        Box::new(move |n| {
            pool.install(|| {
                for _ in 0..n {
                    let blocks: Vec<(f64, SVector<f64, 67>)> = black_box(all)
                        .par_chunks(size)
                        .map(|b| model.loss_and_gradient_sum(&w.p, &SoftmaxCrossEntropy, data, b))
                        .collect();
                    let mut sum = (0.0, SVector::<f64, 67>::zeros());
                    for (s, g) in blocks {
                        sum.0 += s;
                        sum.1 += g;
                    }
                    black_box(sum);
                }
            })
        })
    };
    let mut variants: Vec<Variant<'_>> = Vec::new();
    for &size in &sizes {
        variants.push(par(&pools[0], size));
        variants.push(par(&pools[1], size));
    }
    variants.push(Box::new(|n| (probe.one)(n)));
    variants.push(Box::new(|n| (probe.two)(n)));
    let s = interleaved(&variants, reps);
    let free = free_reps(&s[2 * sizes.len()], &s[2 * sizes.len() + 1]);
    let rows: Vec<Vec<String>> = sizes
        .iter()
        .enumerate()
        .map(|(k, &size)| {
            let (one, two) = (&s[2 * k], &s[2 * k + 1]);
            vec![
                size.to_string(),
                all.len().div_ceil(size).to_string(),
                ns(median(one)),
                ns(median(two)),
                speedup(one, two),
                speedup_in(one, two, &free),
                format!("{:.2}×", two_thread_bound(all.len(), size)),
            ]
        })
        .collect();
    print_table(
        &[
            "B",
            "blocks",
            "1 thread",
            "2 threads",
            "speedup",
            "speedup, 2 cores",
            "bound",
        ],
        &rows,
    );
    println!(
        "\n(2 cores: the {} of {reps} repetitions whose probe reached 1.8×.)",
        free.len()
    );
}

/// `n / m`, where `m` is the larger share of the best split of the blocks of `n` samples in
/// blocks of `size` (the last one shorter) between two threads.
fn two_thread_bound(n: usize, size: usize) -> f64 {
    let blocks: Vec<usize> = (0..n).step_by(size).map(|s| size.min(n - s)).collect();
    // subset sums reachable with whole blocks
    let mut reach = vec![false; n + 1];
    reach[0] = true;
    for b in blocks {
        for s in (b..=n).rev() {
            reach[s] = reach[s] || reach[s - b];
        }
    }
    let best = (n.div_ceil(2)..=n).find(|&s| reach[s]).unwrap_or(n);
    n as f64 / best as f64
}

/// An aligned markdown table, first column left-aligned, the rest right-aligned.
fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let right: Vec<bool> = (0..header.len()).map(|i| i > 0).collect();
    harness::print_table(header, &right, rows);
}
