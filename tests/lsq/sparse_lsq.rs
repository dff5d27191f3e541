//! Levenberg–Marquardt with a compressed Jacobian: the chain of springs of
//! `tests/support/springs.rs` solved sparse and dense, and the stationarity of the sparse
//! solution checked with the dense Jacobian.

use crate::springs::{DenseSprings, Springs};
use dualgrad::lsq::{LevenbergMarquardt, LsqError, SparseLevenbergMarquardt, VectorResiduals};
use dualgrad::sparse::SliceFn;
use dualgrad::{Scalar, ScalarFn};
use nalgebra::SVector;

#[test]
fn spring_chain_sparse_lm_matches_the_dense_solve() {
    const K: usize = 20;
    const N: usize = 2 * K;
    const M: usize = K - 1 + 4 + 2 * K;
    let springs = Springs { nodes: K };
    let x0 = springs.start();
    let sparse = SparseLevenbergMarquardt::default()
        .solve(springs, M, &x0)
        .unwrap();
    assert!(sparse.stop.converged(), "{sparse}");
    assert_eq!((sparse.colours, sparse.passes), (4, 1));
    let dense = LevenbergMarquardt::default()
        .solve(
            &VectorResiduals(DenseSprings::<N, M>),
            SVector::from_column_slice(&x0),
        )
        .unwrap();
    assert!(dense.stop.converged(), "{}", dense.stop);
    for (k, (a, b)) in sparse.params.iter().zip(dense.params.iter()).enumerate() {
        assert!(
            (a - b).abs() <= 1e-8 * (1.0 + b.abs()),
            "θ[{k}]: sparse {a}, dense {b}"
        );
    }
    assert!((sparse.rss - dense.rss).abs() <= 1e-10 * dense.rss);
}

#[test]
fn spring_chain_of_300_parameters_is_stationary() {
    let springs = Springs { nodes: 150 };
    let m = springs.residuals();
    let report = SparseLevenbergMarquardt::default()
        .solve(springs, m, &springs.start())
        .unwrap();
    assert!(report.stop.converged(), "{report}");
    // Jᵀr = ∇(½ Σ r²) = 0 at a minimum: by the dense gradient (in chunks) of the sum of squares
    let x = SVector::<f64, 300>::from_column_slice(&report.params);
    let (half_rss, g) = HalfSquares.gradient(&x);
    // from |Jᵀr| ≈ 10 at the start; the normal equations square the condition number, so the
    // gradient stops at about √ε of its start, not ε
    assert!(g.amax() < 1e-6, "|Jᵀr| = {}", g.amax());
    assert!((2.0 * half_rss - report.rss).abs() < 1e-12);
    let m = springs.residuals();
    let mut r2 = vec![0.0; m];
    springs.eval(&report.params, &mut r2);
    assert!((r2.iter().map(|v| v * v).sum::<f64>() - report.rss).abs() < 1e-12);
}

/// `½ Σ rᵢ²` of the 150-node chain, for its dense gradient `Jᵀr`.
struct HalfSquares;
impl ScalarFn<300> for HalfSquares {
    fn eval<T: Scalar>(&self, x: &SVector<T, 300>) -> T {
        let springs = Springs { nodes: 150 };
        let mut r = vec![T::zero(); springs.residuals()];
        springs.eval(x.as_slice(), &mut r);
        r.iter().fold(T::zero(), |s, &v| s + v * v) * 0.5
    }
}

#[test]
fn sparse_lm_errors() {
    let springs = Springs { nodes: 4 };
    assert_eq!(
        SparseLevenbergMarquardt::default().solve(springs, 3, &springs.start()),
        Err(LsqError::TooFewResiduals {
            residuals: 3,
            params: 8
        })
    );
    assert!(SparseLevenbergMarquardt::default().with_xtol(-1.0).is_err());
    let mut nan = springs.start();
    nan[3] = f64::NAN;
    assert!(matches!(
        SparseLevenbergMarquardt::default().solve(springs, springs.residuals(), &nan),
        Err(LsqError::NonFiniteStart { .. })
    ));
}
