//! The one curvature rule of the second-order methods: a point where the gradient test passed
//! is a minimum only if the Hessian there has no negative eigenvalue. [`Newton`](super::Newton),
//! which has the exact Hessian, and [`NewtonCg`](super::NewtonCg), which works from
//! Hessian-vector products, both judge by it and report [`StopReason::SaddlePoint`].

use super::method::Point;
use super::report::Evaluations;
use super::stop::StopReason;
use crate::ScalarFn;
use crate::data::{seeded_rng, unit_uniform};
use nalgebra::{DMatrix, SMatrix, SVector};

/// The verdict at a stationary `point` with Hessian `h`: [`StopReason::SaddlePoint`] if `h` has
/// a negative eigenvalue beyond rounding, `None` (a minimum, as far as curvature tells) if not.
pub(crate) fn saddle_point<const N: usize>(
    point: &Point<N>,
    h: &SMatrix<f64, N, N>,
) -> Option<StopReason> {
    negative_eigenvalue(h).map(|min_eigenvalue| StopReason::SaddlePoint {
        norm: point.gradient.norm(),
        min_eigenvalue,
    })
}

/// Up to this many inputs a Hessian-free method takes the exact Hessian (in blocks, 32 KiB at
/// the limit) to apply the rule; above it, a Lanczos process on Hessian-vector products.
const DENSE_CURVATURE_MAX: usize = 64;

/// The Lanczos process's length above [`DENSE_CURVATURE_MAX`] inputs: enough to resolve the
/// extreme eigenvalues (which converge first) of the Hessians seen in practice.
const LANCZOS_STEPS: usize = 40;

/// The one rule for a method that works from Hessian-vector products: the exact Hessian up to
/// [`DENSE_CURVATURE_MAX`] inputs; above it the smallest Ritz value of a Lanczos process (with
/// full reorthogonalisation) from a fixed pseudo-random start, which is an upper bound of the
/// smallest eigenvalue, so a negative one is a real negative curvature.
pub(crate) fn saddle_point_hessian_free<F: ScalarFn<N>, const N: usize>(
    f: &F,
    point: &Point<N>,
    evals: &mut Evaluations,
) -> Option<StopReason> {
    if N <= DENSE_CURVATURE_MAX {
        return dense(f, point, evals);
    }
    let min_eigenvalue = lanczos_min(f, &point.x, evals)?;
    Some(StopReason::SaddlePoint {
        norm: point.gradient.norm(),
        min_eigenvalue,
    })
}

#[inline(never)]
fn dense<F: ScalarFn<N>, const N: usize>(
    f: &F,
    point: &Point<N>,
    evals: &mut Evaluations,
) -> Option<StopReason> {
    let (_, _, h) = f.hessian(&point.x);
    evals.add_hessian();
    saddle_point(point, &h)
}

/// The smallest Ritz value if it is negative beyond rounding.
#[inline(never)]
fn lanczos_min<F: ScalarFn<N>, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    evals: &mut Evaluations,
) -> Option<f64> {
    let mut rng = seeded_rng(0);
    let mut q: SVector<f64, N> = SVector::from_fn(|_, _| 2.0 * unit_uniform(&mut rng) - 1.0);
    q /= q.norm();
    let steps = LANCZOS_STEPS.min(N);
    let mut basis: Vec<SVector<f64, N>> = Vec::with_capacity(steps);
    let (mut alpha, mut beta) = (Vec::with_capacity(steps), Vec::with_capacity(steps));
    for _ in 0..steps {
        let (_, _, mut w) = f.hvp(x, &q);
        evals.add_hessian();
        let a = q.dot(&w);
        if !a.is_finite() {
            return None;
        }
        alpha.push(a);
        basis.push(q);
        for b in &basis {
            w -= b * b.dot(&w); // full reorthogonalisation
        }
        let norm = w.norm();
        if norm.is_nan() || norm <= 1e-12 * a.abs().max(1.0) {
            break; // an invariant subspace: its Ritz values are eigenvalues
        }
        beta.push(norm);
        q = w / norm;
    }
    let k = alpha.len();
    let t = DMatrix::from_fn(k, k, |i, j| {
        if i == j {
            alpha[i]
        } else if i + 1 == j {
            beta[i]
        } else if j + 1 == i {
            beta[j]
        } else {
            0.0
        }
    });
    let scale = t.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let min = t.symmetric_eigenvalues().min();
    (min < -NEGATIVE_CURVATURE_TOL * scale).then_some(min)
}

/// The relative size below which a negative eigenvalue counts as rounding of a zero one.
const NEGATIVE_CURVATURE_TOL: f64 = 1e-8;

/// The smallest eigenvalue of the symmetric part of `h` if it is negative beyond rounding
/// (below `−1e-8 · max(1, max |hᵢⱼ|)`), found by bisection on the shift `λ` with a Cholesky
/// test of `h − λI` (Sylvester's law of inertia); `None` if `h` is positive semidefinite to that
/// tolerance or not finite.
pub(crate) fn negative_eigenvalue<const N: usize>(h: &SMatrix<f64, N, N>) -> Option<f64> {
    if h.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let sym = (h + h.transpose()) * 0.5;
    let scale = sym.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let tau = NEGATIVE_CURVATURE_TOL * scale;
    let id = SMatrix::<f64, N, N>::identity();
    if (sym + id * tau).cholesky().is_some() {
        return None;
    }
    // Gershgorin: every eigenvalue is at least min over i of (hᵢᵢ − Σⱼ≠ᵢ |hᵢⱼ|).
    let mut lo = (0..N)
        .map(|i| {
            sym[(i, i)]
                - (0..N)
                    .filter(|&j| j != i)
                    .map(|j| sym[(i, j)].abs())
                    .sum::<f64>()
        })
        .fold(f64::INFINITY, f64::min)
        - tau;
    let mut hi = -tau;
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if (sym - id * mid).cholesky().is_some() {
            lo = mid; // h − mid·I is positive definite: every eigenvalue is above mid
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}
