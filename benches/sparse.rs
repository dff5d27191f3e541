//! Rosenbrock written as a sum of terms (`dualgrad::sparse::SparseSum`) against today's dense
//! forward mode (`ScalarFn` on an `SVector`) and hand-written derivatives, at N = 10, 50, 200 and
//! 2,000: gradient, Hessian and Hessian-vector product.
//!
//! ```text
//! cargo bench --bench sparse                      # criterion timings (after checking every case)
//! cargo bench --bench sparse -- --list            # WORKLOAD VARIANT COUNT, one case a line
//! cargo bench --bench sparse -- --callgrind WORKLOAD VARIANT COUNT
//! BENCH=sparse benches/callgrind.sh               # instruction counts, as a markdown table
//! ```
//!
//! | variant | what it is |
//! |---|---|
//! | `hand` | hand-written gradient, Hessian (tridiagonal: its diagonal and off-diagonal) or `H v` |
//! | `dualgrad` | the dense path: `ScalarFn::gradient` / `hessian` / `hvp` on `SVector<f64, N>` (the Hessian up to N = 200) |
//! | `sparse` | `SparseSum::gradient` / `hessian` / `hvp`, built once outside the measured loop |
//! | `sparse-matvec` | `H v` as the sparse product `&h * &v` of a Hessian already known (`CsrMatrix`) |
//!
//! And one least-squares fit: the chain of 150 springs of `tests/support/springs.rs` (300
//! parameters, 453 residuals, four nonzeros a Jacobian row), solved from its start by the dense
//! `LevenbergMarquardt` (`dense-lm`: a Jacobian of 300 tangents and a Householder QR per step)
//! and by `SparseLevenbergMarquardt` (`sparse-lm`: one compressed pass of 4 colours and a sparse
//! Cholesky per step), one whole solve per evaluation.
//!
//! Each case's result is checked against the hand-written one before anything is measured.

#[path = "../tests/support/springs.rs"]
mod springs;

use criterion::Criterion;
use dualgrad::lsq::{LevenbergMarquardt, SparseLevenbergMarquardt, VectorResiduals};
use dualgrad::nalgebra_sparse::CsrMatrix;
use dualgrad::sparse::{SparseSum, TermSum};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::{DVector, SVector};
use std::hint::black_box;

/// The chained Rosenbrock function on an `SVector`: the dense path.
struct Dense<const N: usize>;
impl<const N: usize> ScalarFn<N> for Dense<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        let mut s = T::zero();
        for i in 0..N - 1 {
            let a = x[i + 1] - x[i] * x[i];
            let b = x[i] - 1.0;
            s += a * a * 100.0 + b * b;
        }
        s
    }
}

/// The same function as a sum of terms.
struct Terms {
    n: usize,
}
impl TermSum for Terms {
    fn terms(&self) -> usize {
        self.n - 1
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        let a = x[i + 1] - x[i] * x[i];
        let b = x[i] - 1.0;
        a * a * 100.0 + b * b
    }
}

fn hand_gradient(x: &[f64], g: &mut [f64]) -> f64 {
    g.fill(0.0);
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = x[i] - 1.0;
        s += 100.0 * a * a + b * b;
        g[i] += -400.0 * a * x[i] + 2.0 * b;
        g[i + 1] += 200.0 * a;
    }
    s
}

/// Value, gradient and the tridiagonal Hessian (diagonal `d`, off-diagonal `o`) by hand.
fn hand_hessian(x: &[f64], g: &mut [f64], d: &mut [f64], o: &mut [f64]) -> f64 {
    let s = hand_gradient(x, g);
    d.fill(0.0);
    for i in 0..x.len() - 1 {
        d[i] += 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
        o[i] = -400.0 * x[i];
        d[i + 1] += 200.0;
    }
    s
}

fn hand_hvp(x: &[f64], v: &[f64], g: &mut [f64], hv: &mut [f64]) -> f64 {
    let s = hand_gradient(x, g);
    hv.fill(0.0);
    for i in 0..x.len() - 1 {
        let diagonal = 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
        let off = -400.0 * x[i];
        hv[i] += diagonal * v[i] + off * v[i + 1];
        hv[i + 1] += off * v[i] + 200.0 * v[i + 1];
    }
    s
}

/// One measured case: `run(n)` does `n` evaluations, `check()` compares one with the hand one.
struct Case {
    workload: String,
    variant: &'static str,
    count: u64,
    run: Box<dyn FnMut(u64)>,
}

fn point(n: usize) -> Vec<f64> {
    (0..n).map(|i| 0.5 + 0.1 * (i as f64).sin()).collect()
}

fn close(what: &str, got: &[f64], want: &[f64]) {
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            (a - b).abs() <= 1e-10 * (1.0 + b.abs()),
            "{what}[{i}]: {a} against {b} by hand"
        );
    }
}

/// The cases at one size; `dense_hessian` says whether today's dense Hessian runs there.
fn cases_at<const N: usize>(out: &mut Vec<Case>, count: u64, dense_hessian: Option<u64>) {
    let x = point(N);
    let v: Vec<f64> = (0..N).map(|i| 1.0 - 0.001 * i as f64).collect();
    let xs = SVector::<f64, N>::from_column_slice(&x);
    let vs = SVector::<f64, N>::from_column_slice(&v);

    // the hand-written results every case is checked against
    let (mut g, mut d, mut o, mut hv) = (vec![0.0; N], vec![0.0; N], vec![0.0; N], vec![0.0; N]);
    let f = hand_hessian(&x, &mut g, &mut d, &mut o);
    hand_hvp(&x, &v, &mut vec![0.0; N], &mut hv);

    let mut sum = SparseSum::new(Terms { n: N }, &x);
    let mut gs = vec![0.0; N];
    close("sparse f", &[sum.gradient(&x, &mut gs).unwrap()], &[f]);
    close("sparse g", &gs, &g);
    let (fs, h) = sum.hessian(&x, &mut gs).unwrap();
    close("sparse f (hessian)", &[fs], &[f]);
    for (i, j, &hij) in h.triplet_iter() {
        let want = if i == j { d[i] } else { o[i.min(j)] };
        close("sparse H", &[hij], &[want]);
    }
    let h: CsrMatrix<f64> = h.clone();
    let mut hvs = vec![0.0; N];
    sum.hvp(&x, &v, &mut gs, &mut hvs).unwrap();
    close("sparse hv", &hvs, &hv);
    let hv_product = &h * &DVector::from_column_slice(&v);
    close("sparse-matvec hv", hv_product.as_slice(), &hv);
    let (fd, gd) = Dense::<N>.gradient(&xs);
    close("dense g", gd.as_slice(), &g);
    close("dense f", &[fd], &[f]);
    let (_, _, hvd) = Dense::<N>.hvp(&xs, &vs);
    close("dense hv", hvd.as_slice(), &hv);

    let name = |what: &str| format!("rosenbrock-sum-{N}-{what}");
    let mut add = |what: &str, variant, count, run: Box<dyn FnMut(u64)>| {
        out.push(Case {
            workload: name(what),
            variant,
            count,
            run,
        });
    };

    // gradient
    {
        let (x, mut g) = (x.clone(), vec![0.0; N]);
        add(
            "gradient",
            "hand",
            count * 4,
            Box::new(move |n| {
                for _ in 0..n {
                    black_box(hand_gradient(black_box(&x), &mut g));
                }
            }),
        );
    }
    add(
        "gradient",
        "dualgrad",
        count.div_ceil(if N >= 200 { 20 } else { 4 }),
        Box::new(move |n| {
            for _ in 0..n {
                black_box(Dense::<N>.gradient(black_box(&xs)));
            }
        }),
    );
    {
        let (x, mut g) = (x.clone(), vec![0.0; N]);
        let mut sum = SparseSum::new(Terms { n: N }, &x);
        add(
            "gradient",
            "sparse",
            count,
            Box::new(move |n| {
                for _ in 0..n {
                    black_box(sum.gradient(black_box(&x), &mut g).unwrap());
                }
            }),
        );
    }

    // Hessian
    {
        let x = x.clone();
        let (mut g, mut d, mut o) = (vec![0.0; N], vec![0.0; N], vec![0.0; N]);
        add(
            "hessian",
            "hand",
            count * 4,
            Box::new(move |n| {
                for _ in 0..n {
                    black_box(hand_hessian(black_box(&x), &mut g, &mut d, &mut o));
                }
            }),
        );
    }
    if let Some(dense_count) = dense_hessian {
        add(
            "hessian",
            "dualgrad",
            dense_count,
            Box::new(move |n| {
                for _ in 0..n {
                    // moved to the heap at once: 320 KB at N = 200
                    let r = Box::new(Dense::<N>.hessian(black_box(&xs)));
                    black_box(r);
                }
            }),
        );
    }
    {
        let (x, mut g) = (x.clone(), vec![0.0; N]);
        let mut sum = SparseSum::new(Terms { n: N }, &x);
        add(
            "hessian",
            "sparse",
            count,
            Box::new(move |n| {
                for _ in 0..n {
                    let (f, h) = sum.hessian(black_box(&x), &mut g).unwrap();
                    black_box((f, h.values()[0]));
                }
            }),
        );
    }

    // H v
    {
        let (x, v) = (x.clone(), v.clone());
        let (mut g, mut hv) = (vec![0.0; N], vec![0.0; N]);
        add(
            "hvp",
            "hand",
            count * 4,
            Box::new(move |n| {
                for _ in 0..n {
                    black_box(hand_hvp(black_box(&x), &v, &mut g, &mut hv));
                }
            }),
        );
    }
    add(
        "hvp",
        "dualgrad",
        count.div_ceil(if N >= 200 { 20 } else { 4 }),
        Box::new(move |n| {
            for _ in 0..n {
                black_box(Dense::<N>.hvp(black_box(&xs), &vs));
            }
        }),
    );
    {
        let (x, v) = (x.clone(), v.clone());
        let (mut g, mut hv) = (vec![0.0; N], vec![0.0; N]);
        let mut sum = SparseSum::new(Terms { n: N }, &x);
        add(
            "hvp",
            "sparse",
            count,
            Box::new(move |n| {
                for _ in 0..n {
                    black_box(sum.hvp(black_box(&x), &v, &mut g, &mut hv).unwrap());
                }
            }),
        );
    }
    {
        let v = DVector::from_column_slice(&v);
        let mut hv = DVector::zeros(N);
        add(
            "hvp",
            "sparse-matvec",
            count * 4,
            Box::new(move |n| {
                for _ in 0..n {
                    dualgrad::nalgebra_sparse::ops::serial::spmm_csr_dense(
                        0.0,
                        &mut hv,
                        1.0,
                        dualgrad::nalgebra_sparse::ops::Op::NoOp(black_box(&h)),
                        dualgrad::nalgebra_sparse::ops::Op::NoOp(&v),
                    );
                    black_box(&hv);
                }
            }),
        );
    }
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    cases_at::<10>(&mut out, 20_000, Some(2_000));
    cases_at::<50>(&mut out, 4_000, Some(20));
    cases_at::<200>(&mut out, 1_000, Some(1));
    cases_at::<2000>(&mut out, 100, None);
    spring_cases(&mut out);
    out
}

/// The chain of 150 springs, dense and sparse Levenberg–Marquardt, checked against each other.
fn spring_cases(out: &mut Vec<Case>) {
    use springs::{DenseSprings, Springs};
    const N: usize = 300;
    const M: usize = 149 + 4 + 300;
    let chain = Springs { nodes: 150 };
    let x0 = chain.start();
    let sparse = SparseLevenbergMarquardt::default()
        .solve(chain, M, &x0)
        .unwrap();
    let start = SVector::<f64, N>::from_column_slice(&x0);
    let dense = LevenbergMarquardt::default()
        .solve(&VectorResiduals(DenseSprings::<N, M>), start)
        .unwrap();
    assert!(sparse.stop.converged() && dense.stop.converged());
    assert!(
        (sparse.rss - dense.rss).abs() <= 1e-9 * dense.rss,
        "{} {}",
        sparse.rss,
        dense.rss
    );
    for (k, (a, b)) in sparse.params.iter().zip(dense.params.iter()).enumerate() {
        assert!(
            (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
            "θ[{k}]: sparse {a}, dense {b}"
        );
    }
    eprintln!(
        "springs-300: sparse {sparse}; dense {}, {} iterations",
        dense.stop, dense.iterations
    );
    out.push(Case {
        workload: "springs-300-lm".into(),
        variant: "dense-lm",
        count: 1,
        run: Box::new(move |n| {
            for _ in 0..n {
                let r = LevenbergMarquardt::default()
                    .solve(&VectorResiduals(DenseSprings::<N, M>), black_box(start));
                black_box(r.map(|r| r.rss).ok());
            }
        }),
    });
    out.push(Case {
        workload: "springs-300-lm".into(),
        variant: "sparse-lm",
        count: 5,
        run: Box::new(move |n| {
            for _ in 0..n {
                let r = SparseLevenbergMarquardt::default().solve(chain, M, black_box(&x0));
                black_box(r.map(|r| r.rss).ok());
            }
        }),
    });
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench_mode = args.iter().any(|a| a == "--bench");
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--bench")
        .collect();
    let mut cases = cases();
    match args.as_slice() {
        ["--callgrind", workload, variant, count] => {
            let count: u64 = count.parse().expect("COUNT must be an integer");
            let case = cases
                .iter_mut()
                .find(|c| c.workload == *workload && c.variant == *variant)
                .unwrap_or_else(|| panic!("no case {workload} {variant}"));
            (case.run)(count);
        }
        ["--list"] => {
            for c in &cases {
                println!("{} {} {}", c.workload, c.variant, c.count);
            }
        }
        _ if bench_mode => {
            let filter = args.first().copied().unwrap_or("").to_string();
            let mut c = Criterion::default()
                .warm_up_time(std::time::Duration::from_millis(300))
                .measurement_time(std::time::Duration::from_secs(1))
                .sample_size(20);
            for case in cases.iter_mut().filter(|c| c.workload.contains(&filter)) {
                let run = &mut case.run;
                c.bench_function(&format!("{}/{}", case.workload, case.variant), |b| {
                    b.iter(|| run(1))
                });
            }
            c.final_summary();
        }
        _ => {
            // test mode (`cargo test --benches`): the cases were checked when built; run each once
            for c in &mut cases {
                (c.run)(1);
            }
        }
    }
}
