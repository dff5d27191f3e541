//! The one curvature rule of the second-order methods: a point where the gradient test passed
//! is a minimum only if the Hessian there has no negative eigenvalue. [`Newton`](super::Newton),
//! which has the exact Hessian, and [`NewtonCg`](super::NewtonCg), which works from
//! Hessian-vector products, both judge by it and report [`StopReason::SaddlePoint`].

use super::method::Point;
use super::report::Evaluations;
use super::stop::StopReason;
use crate::ScalarFn;
use crate::data::{seeded_rng, unit_uniform};
use nalgebra::allocator::Allocator;
use nalgebra::{DMatrix, DefaultAllocator, Dim, OMatrix, SMatrix, SVector};

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

/// The Lanczos process's length: `N` steps (the whole Krylov space, so the Ritz values are the
/// eigenvalues) up to this many inputs; above, enough steps to resolve the extreme eigenvalues,
/// which converge first.
const LANCZOS_STEPS: usize = 40;

/// The one rule for a method that works from Hessian-vector products, without forming the
/// Hessian: the smallest Ritz value of a Lanczos process on `v ↦ H v` (with full
/// reorthogonalisation) from a fixed pseudo-random start. A Ritz value is never below the
/// smallest eigenvalue, so a negative one is a real negative curvature. Each product counts as
/// a gradient evaluation, as in the method's own iterations.
pub(crate) fn saddle_point_hessian_free<F: ScalarFn<N>, const N: usize>(
    f: &F,
    point: &Point<N>,
    evals: &mut Evaluations,
) -> Option<StopReason> {
    let min_eigenvalue = lanczos_min(f, &point.x, evals)?;
    Some(StopReason::SaddlePoint {
        norm: point.gradient.norm(),
        min_eigenvalue,
    })
}

/// The smallest Ritz value if it is negative beyond rounding. The three-term recurrence keeps
/// two vectors and the tridiagonal matrix on the stack: nothing is allocated. (Without
/// reorthogonalisation, rounding can repeat a converged Ritz value, never put one below the
/// spectrum.)
#[inline(never)]
fn lanczos_min<F: ScalarFn<N>, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    evals: &mut Evaluations,
) -> Option<f64> {
    let mut rng = seeded_rng(0);
    let mut q: SVector<f64, N> = SVector::from_fn(|_, _| 2.0 * unit_uniform(&mut rng) - 1.0);
    q /= q.norm();
    let mut q_prev = SVector::<f64, N>::zeros();
    let (mut alpha, mut beta) = ([0.0; LANCZOS_STEPS], [0.0; LANCZOS_STEPS]);
    let mut k = 0;
    while k < LANCZOS_STEPS.min(N) {
        let (_, _, mut w) = f.hvp(x, &q);
        evals.add_gradient();
        let a = q.dot(&w);
        if !a.is_finite() {
            return None;
        }
        alpha[k] = a;
        w -= q * a + q_prev * if k > 0 { beta[k - 1] } else { 0.0 };
        k += 1;
        let norm = w.norm();
        if norm.is_nan() || norm <= 1e-12 * a.abs().max(1.0) {
            break; // an invariant subspace: its Ritz values are eigenvalues
        }
        beta[k - 1] = norm;
        q_prev = q;
        q = w / norm;
    }
    let (alpha, beta) = (&alpha[..k], &beta[..k.saturating_sub(1)]);
    let scale = alpha
        .iter()
        .chain(beta)
        .fold(1.0_f64, |m, v| m.max(v.abs()));
    let min = smallest_tridiagonal_eigenvalue(alpha, beta);
    (min < -NEGATIVE_CURVATURE_TOL * scale).then_some(min)
}

/// The smallest eigenvalue of the symmetric tridiagonal matrix with diagonal `alpha` and
/// off-diagonal `beta`, by bisection on Sturm sequence counts (the number of eigenvalues below a
/// shift is the number of negative pivots of `T − shift·I`) inside Gershgorin's bounds.
fn smallest_tridiagonal_eigenvalue(alpha: &[f64], beta: &[f64]) -> f64 {
    let off = |i: usize| {
        let left = if i > 0 { beta[i - 1].abs() } else { 0.0 };
        left + beta.get(i).map_or(0.0, |b| b.abs())
    };
    let mut lo = (0..alpha.len())
        .map(|i| alpha[i] - off(i))
        .fold(f64::INFINITY, f64::min);
    let mut hi = (0..alpha.len())
        .map(|i| alpha[i] + off(i))
        .fold(f64::NEG_INFINITY, f64::max);
    let below = |shift: f64| {
        let mut count = 0;
        let mut d = 1.0;
        for i in 0..alpha.len() {
            let b2 = if i > 0 {
                beta[i - 1] * beta[i - 1]
            } else {
                0.0
            };
            d = alpha[i] - shift - if i > 0 { b2 / d } else { 0.0 };
            if d == 0.0 {
                d = f64::MIN_POSITIVE; // a zero pivot: perturb (the count is unchanged)
            }
            if d < 0.0 {
                count += 1;
            }
        }
        count
    };
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if below(mid) == 0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The relative size below which a negative eigenvalue counts as rounding of a zero one.
const NEGATIVE_CURVATURE_TOL: f64 = 1e-8;

/// The smallest eigenvalue of the symmetric part of `h` if it is negative beyond rounding
/// (below `−1e-8 · max(1, max |hᵢⱼ|)`), found by bisection on the shift `λ` with a Cholesky
/// test of `h − λI` (Sylvester's law of inertia); `None` if `h` is positive semidefinite to that
/// tolerance or not finite.
fn negative_eigenvalue<const N: usize>(h: &SMatrix<f64, N, N>) -> Option<f64> {
    if h.iter().any(|v| !v.is_finite()) {
        return None;
    }
    if dense_on_heap::<N>() {
        negative_eigenvalue_in(&DMatrix::from_column_slice(N, N, h.as_slice()))
    } else {
        negative_eigenvalue_in(h)
    }
}

/// Whether the second-order methods work on an `N × N` matrix on the heap ([`DMatrix`]) rather
/// than on the stack: above [`HEAP_RESULT_BYTES`](crate::diff::size::HEAP_RESULT_BYTES), where
/// a few stack copies of the matrix (a factorisation, a shifted copy, more in a debug build)
/// would not fit in a test thread's 2 MiB.
pub(crate) const fn dense_on_heap<const N: usize>() -> bool {
    N * N * size_of::<f64>() > crate::diff::size::HEAP_RESULT_BYTES
}

/// [`negative_eigenvalue`] on a finite square matrix of either storage: `SMatrix` (no
/// allocation) or `DMatrix` (nothing `N × N` on the stack).
fn negative_eigenvalue_in<D: Dim>(h: &OMatrix<f64, D, D>) -> Option<f64>
where
    DefaultAllocator: Allocator<D, D>,
{
    let n = h.nrows();
    let sym = (h + h.transpose()) * 0.5;
    let scale = sym.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let tau = NEGATIVE_CURVATURE_TOL * scale;
    let shifted = |shift: f64| {
        let mut m = sym.clone();
        for i in 0..n {
            m[(i, i)] += shift;
        }
        m
    };
    if shifted(tau).cholesky().is_some() {
        return None;
    }
    // Gershgorin: every eigenvalue is at least min over i of (hᵢᵢ − Σⱼ≠ᵢ |hᵢⱼ|).
    let mut lo = (0..n)
        .map(|i| {
            sym[(i, i)]
                - (0..n)
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
        if shifted(-mid).cholesky().is_some() {
            lo = mid; // h − mid·I is positive definite: every eigenvalue is above mid
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::smallest_tridiagonal_eigenvalue;

    #[test]
    fn smallest_eigenvalue_of_tridiagonal_matrices_against_closed_forms() {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3
        assert!((smallest_tridiagonal_eigenvalue(&[2.0, 2.0], &[1.0]) - 1.0).abs() < 1e-14);
        // diag(1, −1, 1)
        let min = smallest_tridiagonal_eigenvalue(&[1.0, -1.0, 1.0], &[0.0, 0.0]);
        assert!((min + 1.0).abs() < 1e-14);
        // the n × n second-difference matrix (2 on the diagonal, −1 beside it): 2 − 2 cos(π/(n+1))
        for n in [1usize, 5, 40] {
            let exact = 2.0 - 2.0 * (std::f64::consts::PI / (n as f64 + 1.0)).cos();
            let min = smallest_tridiagonal_eigenvalue(&vec![2.0; n], &vec![-1.0; n - 1]);
            assert!((min - exact).abs() < 1e-13, "n = {n}: {min} vs {exact}");
        }
    }
}
