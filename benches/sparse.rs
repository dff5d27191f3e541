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
//! Cholesky per step) and by `SparseGaussNewton` (`sparse-gn`: the same, undamped, with a line
//! search), one whole solve per evaluation.
//!
//! And sparse-only rows `sum-doubling-N-*` at N = 250, 500, 1,000, 2,000 and 4,000 (with the
//! hand-written ones beside them), to show the cost of successive doublings:
//! `BENCH=sparse benches/callgrind.sh sum-doubling`.
//!
//! And `auto-400-density-D`: one Jacobian of a band of density `D` (`m = n = 400`) and the
//! products `J v`, `Jᵀw`, in sparse (`CsrMatrix`) and dense (`DMatrix`) storage, by
//! `AutoJacobian` forced either way: where sparse storage stops paying
//! (`BENCH=sparse benches/callgrind.sh auto`).
//!
//! Each case's result is checked against the hand-written one before anything is measured.

#[path = "../tests/support/springs.rs"]
mod springs;

use criterion::Criterion;
use dualgrad::lsq::{
    LevenbergMarquardt, SparseGaussNewton, SparseLevenbergMarquardt, VectorResiduals,
};
use dualgrad::nalgebra_sparse::CsrMatrix;
use dualgrad::sparse::{AutoJacobian, JacobianMatrix, SliceFn, SparseSum, Storage, TermSum};
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

/// Sparse-only cases at successive doublings of `n` (with the hand-written ones beside them), to
/// show how the cost grows with `n`.
fn doubling_cases(out: &mut Vec<Case>) {
    for n in [250, 500, 1000, 2000, 4000] {
        let x = point(n);
        let v: Vec<f64> = (0..n).map(|i| 1.0 - 0.0001 * i as f64).collect();
        let (mut g, mut d, mut o, mut hv) =
            (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let f = hand_hessian(&x, &mut g, &mut d, &mut o);
        hand_hvp(&x, &v, &mut vec![0.0; n], &mut hv);
        let mut sum = SparseSum::new(Terms { n }, &x);
        let mut gs = vec![0.0; n];
        close("sparse f", &[sum.gradient(&x, &mut gs).unwrap()], &[f]);
        close("sparse g", &gs, &g);
        let (_, h) = sum.hessian(&x, &mut gs).unwrap();
        for (i, di) in d.iter().enumerate() {
            close(
                "sparse H diagonal",
                &[h.get_entry(i, i).unwrap().into_value()],
                &[*di],
            );
        }
        let mut hvs = vec![0.0; n];
        sum.hvp(&x, &v, &mut gs, &mut hvs).unwrap();
        close("sparse hv", &hvs, &hv);
        // about 10⁸ instructions a case
        let count = (400_000 / n) as u64;
        let name = |what: &str| format!("sum-doubling-{n}-{what}");
        {
            let (x, mut g) = (x.clone(), vec![0.0; n]);
            out.push(Case {
                workload: name("gradient"),
                variant: "hand",
                count: count * 20,
                run: Box::new(move |k| {
                    for _ in 0..k {
                        black_box(hand_gradient(black_box(&x), &mut g));
                    }
                }),
            });
        }
        {
            let (x, mut g) = (x.clone(), vec![0.0; n]);
            let mut sum = SparseSum::new(Terms { n }, &x);
            out.push(Case {
                workload: name("gradient"),
                variant: "sparse",
                count,
                run: Box::new(move |k| {
                    for _ in 0..k {
                        black_box(sum.gradient(black_box(&x), &mut g).unwrap());
                    }
                }),
            });
        }
        {
            let x = x.clone();
            let (mut g, mut d, mut o) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
            out.push(Case {
                workload: name("hessian"),
                variant: "hand",
                count: count * 20,
                run: Box::new(move |k| {
                    for _ in 0..k {
                        black_box(hand_hessian(black_box(&x), &mut g, &mut d, &mut o));
                    }
                }),
            });
        }
        {
            let (x, mut g) = (x.clone(), vec![0.0; n]);
            let mut sum = SparseSum::new(Terms { n }, &x);
            out.push(Case {
                workload: name("hessian"),
                variant: "sparse",
                count,
                run: Box::new(move |k| {
                    for _ in 0..k {
                        let (f, h) = sum.hessian(black_box(&x), &mut g).unwrap();
                        black_box((f, h.values()[0]));
                    }
                }),
            });
        }
        {
            let (x, v) = (x.clone(), v.clone());
            let (mut g, mut hv) = (vec![0.0; n], vec![0.0; n]);
            out.push(Case {
                workload: name("hvp"),
                variant: "hand",
                count: count * 20,
                run: Box::new(move |k| {
                    for _ in 0..k {
                        black_box(hand_hvp(black_box(&x), &v, &mut g, &mut hv));
                    }
                }),
            });
        }
        {
            let (mut g, mut hv) = (vec![0.0; n], vec![0.0; n]);
            out.push(Case {
                workload: name("hvp"),
                variant: "sparse",
                count,
                run: Box::new(move |k| {
                    for _ in 0..k {
                        black_box(sum.hvp(black_box(&x), &v, &mut g, &mut hv).unwrap());
                    }
                }),
            });
        }
    }
}

/// `yᵢ = sin(Σₖ cₖ x₍ᵢ₊ₖ₎ mod n)` over `width` consecutive (circular) inputs: a pattern of density
/// `width / n`, `width` colours.
#[derive(Clone, Copy)]
struct Band {
    width: usize,
}
impl SliceFn for Band {
    fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
        let n = x.len();
        for (i, yi) in y.iter_mut().enumerate() {
            let mut s = T::zero();
            for k in 0..self.width {
                s += x[(i + k) % n] * (1.0 + 0.01 * k as f64);
            }
            *yi = s.sin();
        }
    }
}

/// One Jacobian and the products `J v`, `Jᵀw` (what a least-squares step needs), in dense and
/// in sparse storage, for patterns of density 1/40 to 1 at `m = n = 400`: where sparse storage
/// stops paying ([`AutoJacobian::DENSITY_THRESHOLD`]).
fn auto_cases(out: &mut Vec<Case>, only: Option<&str>) {
    use dualgrad::nalgebra_sparse::ops::{Op, serial::spmm_csr_dense};
    const N: usize = 400;
    for width in [8, 20, 40, 80, 120, 160, 240] {
        let workload = format!("auto-{N}-density-{:.3}", width as f64 / N as f64);
        if only.is_some_and(|w| w != workload) {
            continue;
        }
        let x = point(N);
        let f = Band { width };
        let v = DVector::from_fn(N, |i, _| 1.0 - 0.001 * i as f64);
        let w = DVector::from_fn(N, |i, _| 0.5 + 0.001 * i as f64);
        let mut sparse = AutoJacobian::with_threshold(f, &x, N, 1.0);
        let mut dense = AutoJacobian::with_threshold(f, &x, N, 0.0);
        assert_eq!(
            (sparse.storage(), dense.storage()),
            (Storage::Sparse, Storage::Dense)
        );
        let mut y = vec![0.0; N];
        let (mut jv, mut jtw) = (DVector::zeros(N), DVector::zeros(N));
        let (mut jv_d, mut jtw_d) = (DVector::zeros(N), DVector::zeros(N));
        {
            let JacobianMatrix::Sparse(js) = sparse.jacobian(&x, &mut y).unwrap() else {
                unreachable!()
            };
            spmm_csr_dense(0.0, &mut jv, 1.0, Op::NoOp(js), Op::NoOp(&v));
            spmm_csr_dense(0.0, &mut jtw, 1.0, Op::Transpose(js), Op::NoOp(&w));
            let JacobianMatrix::Dense(jd) = dense.jacobian(&x, &mut y).unwrap() else {
                unreachable!()
            };
            jv_d.gemv(1.0, jd, &v, 0.0);
            jtw_d.gemv_tr(1.0, jd, &w, 0.0);
            close("auto J v", jv.as_slice(), jv_d.as_slice());
            close("auto Jᵀw", jtw.as_slice(), jtw_d.as_slice());
        }
        // about 10⁸ instructions a case: the passes cost about w² · 10 instructions
        let count = (10_000 / (width * width)).max(1) as u64;
        {
            let (x, v, w) = (x.clone(), v.clone(), w.clone());
            let mut y = vec![0.0; N];
            out.push(Case {
                workload: workload.clone(),
                variant: "sparse",
                count,
                run: Box::new(move |k| {
                    for _ in 0..k {
                        let JacobianMatrix::Sparse(js) =
                            sparse.jacobian(black_box(&x), &mut y).unwrap()
                        else {
                            unreachable!()
                        };
                        spmm_csr_dense(0.0, &mut jv, 1.0, Op::NoOp(js), Op::NoOp(&v));
                        spmm_csr_dense(0.0, &mut jtw, 1.0, Op::Transpose(js), Op::NoOp(&w));
                        black_box((&jv, &jtw));
                    }
                }),
            });
        }
        out.push(Case {
            workload,
            variant: "dense",
            count,
            run: Box::new(move |k| {
                for _ in 0..k {
                    let JacobianMatrix::Dense(jd) = dense.jacobian(black_box(&x), &mut y).unwrap()
                    else {
                        unreachable!()
                    };
                    jv_d.gemv(1.0, jd, &v, 0.0);
                    jtw_d.gemv_tr(1.0, jd, &w, 0.0);
                    black_box((&jv_d, &jtw_d));
                }
            }),
        });
    }
}

/// Every case; only the doubling ones, or one auto workload, when asked (they need none of the others'
/// setup, whose dense solves dominate a run under callgrind).
fn cases(only: Option<&str>) -> Vec<Case> {
    let mut out = Vec::new();
    match only {
        Some("doubling") => {
            doubling_cases(&mut out);
            return out;
        }
        Some(workload) if workload.starts_with("auto-") => {
            auto_cases(&mut out, Some(workload));
            return out;
        }
        _ => {}
    }
    cases_at::<10>(&mut out, 20_000, Some(2_000));
    cases_at::<50>(&mut out, 4_000, Some(20));
    cases_at::<200>(&mut out, 1_000, Some(1));
    cases_at::<2000>(&mut out, 100, None);
    spring_cases(&mut out);
    doubling_cases(&mut out);
    auto_cases(&mut out, None);
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
    let gn = SparseGaussNewton::default().solve(chain, M, &x0).unwrap();
    assert!(gn.stop.converged(), "{gn}");
    assert!((gn.rss - dense.rss).abs() <= 1e-9 * dense.rss);
    for (k, (a, b)) in gn.params.iter().zip(dense.params.iter()).enumerate() {
        assert!(
            (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
            "θ[{k}]: sparse GN {a}, dense {b}"
        );
    }
    eprintln!("springs-300: sparse GN {gn}");
    let x0_gn = x0.clone();
    out.push(Case {
        workload: "springs-300-lm".into(),
        variant: "sparse-gn",
        count: 5,
        run: Box::new(move |n| {
            for _ in 0..n {
                let r = SparseGaussNewton::default().solve(chain, M, black_box(&x0_gn));
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
    // The dense comparison rows build `N = 2000` jets and results by value: more than the 8 MiB
    // of a main thread. Everything runs in one thread with room for them.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(run)
        .expect("spawn the bench thread")
        .join()
        .expect("the bench thread panicked");
}

fn run() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bench_mode = args.iter().any(|a| a == "--bench");
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--bench")
        .collect();
    let only = match args.as_slice() {
        ["--callgrind", w, ..] if w.starts_with("sum-doubling-") => Some("doubling"),
        ["--callgrind", w, ..] if w.starts_with("auto-") => Some(*w),
        _ => None,
    };
    let mut cases = cases(only);
    match args.as_slice() {
        ["--callgrind", workload, variant, count] => {
            let count: u64 = count.parse().expect("COUNT must be an integer");
            let case = cases
                .iter_mut()
                .find(|c| c.workload == *workload && c.variant == *variant)
                .unwrap_or_else(|| panic!("no case {workload} {variant}"));
            (case.run)(count);
        }
        ["--list"] | ["--list", "auto"] => {
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
