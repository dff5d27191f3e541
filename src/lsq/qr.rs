//! The dense linear algebra of the least-squares solvers, in place on buffers allocated once
//! per solve: Householder QR of the `m × N` Jacobian, the Levenberg–Marquardt subproblem by
//! Givens rotations (MINPACK's `qrsolv` idea), triangular solves and the covariance.

use nalgebra::{SMatrix, SVector};

/// The Euclidean norm of `v` at the cost of a sum of squares: `sqrt(Σ vᵢ²)` when that sum
/// neither overflows nor loses precision to underflow, otherwise the same sum scaled by the
/// largest magnitude (as LAPACK's `dnrm2`, but in two passes only on the rare slow path).
pub(crate) fn norm2(v: &[f64]) -> f64 {
    // Below this sum of squares the smallest entries may have underflowed in `vᵢ²`.
    const TINY: f64 = 1e-280;
    let s = dot(v, v);
    if s.is_finite() && s >= TINY {
        return s.sqrt();
    }
    let big = v.iter().fold(0.0_f64, |a, x| a.max(x.abs()));
    if big == 0.0 || !big.is_finite() {
        // Zero, or an infinite/NaN entry: the norm is that entry's magnitude (or NaN).
        return if v.iter().any(|x| x.is_nan()) {
            f64::NAN
        } else {
            big
        };
    }
    let inv = 1.0 / big;
    let scaled: f64 = if inv.is_finite() {
        v.iter().map(|x| (x * inv) * (x * inv)).sum()
    } else {
        v.iter().map(|x| (x / big) * (x / big)).sum()
    };
    big * scaled.sqrt()
}

/// `Σ aᵢ bᵢ` over two slices of equal length, in four independent partial sums (so the
/// compiler can vectorise it; the sum's rounding differs from a left-to-right sum by the
/// order only).
#[inline]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let mut acc = [0.0_f64; 4];
    let (ca, ra) = (a.chunks_exact(4), a.chunks_exact(4).remainder());
    let cb = b.chunks_exact(4);
    let rb = cb.remainder();
    for (x, y) in ca.zip(cb) {
        for l in 0..4 {
            acc[l] += x[l] * y[l];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// `y ← y − s x` over two slices of equal length.
#[inline]
fn axpy(s: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi -= s * xi;
    }
}

/// Householder QR of the column-major `m × N` matrix in `jac` (destroyed): returns `R` and
/// overwrites `rhs` (length `m`) with `Qᵀ rhs`. No pivoting; a zero column gives a zero row of
/// `R`.
pub(crate) fn householder_qr<const N: usize>(
    jac: &mut [f64],
    m: usize,
    rhs: &mut [f64],
) -> SMatrix<f64, N, N> {
    let mut r = SMatrix::<f64, N, N>::zeros();
    for k in 0..N.min(m) {
        let (done, rest) = jac.split_at_mut((k + 1) * m);
        let v = &mut done[k * m + k..];
        let norm = norm2(v);
        if norm == 0.0 {
            continue;
        }
        let alpha = if v[0] > 0.0 { -norm } else { norm };
        v[0] -= alpha;
        r[(k, k)] = alpha;
        // 2 / ‖v‖² with ‖v‖² = ‖x‖² − 2αx₀ + α² = −2α v₀ (v₀ = x₀ − α has the sign opposite
        // to α): no cancellation, no second pass, and no overflow of ‖v‖².
        let beta = -1.0 / alpha / v[0];
        if beta == 0.0 || !beta.is_finite() {
            continue;
        }
        let v: &[f64] = v;
        for j in k + 1..N {
            let cj = &mut rest[(j - k - 1) * m + k..(j - k) * m];
            let s = dot(v, cj) * beta;
            axpy(s, v, cj);
            r[(k, j)] = cj[0];
        }
        let s = dot(v, &rhs[k..m]) * beta;
        axpy(s, v, &mut rhs[k..m]);
    }
    r
}

/// Solve `min ‖R δ + qtr‖² + λ ‖D δ‖²` for upper-triangular `R`: the rows `√λ dₖ eₖ` are
/// rotated into `R` by Givens rotations, then the triangle is solved. `None` if the resulting
/// triangle is singular (possible only for `λ = 0`).
pub(crate) fn damped_step<const N: usize>(
    r: &SMatrix<f64, N, N>,
    qtr: &SVector<f64, N>,
    d: &SVector<f64, N>,
    lambda: f64,
) -> Option<SVector<f64, N>> {
    damped_factor(r, qtr, d, lambda).map(|(x, _)| x)
}

/// [`damped_step`] and the triangle `S` with `SᵀS = RᵀR + λD²`.
fn damped_factor<const N: usize>(
    r: &SMatrix<f64, N, N>,
    qtr: &SVector<f64, N>,
    d: &SVector<f64, N>,
    lambda: f64,
) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>)> {
    let mut s = *r;
    let mut b = -qtr;
    let root = lambda.sqrt();
    if root > 0.0 {
        for j in 0..N {
            let mut row = SVector::<f64, N>::zeros();
            row[j] = root * d[j];
            let mut rb = 0.0;
            for k in j..N {
                if row[k] == 0.0 {
                    continue;
                }
                let (c, sn) = givens(s[(k, k)], row[k]);
                for l in k..N {
                    let (a, e) = (s[(k, l)], row[l]);
                    s[(k, l)] = c * a + sn * e;
                    row[l] = -sn * a + c * e;
                }
                let a = b[k];
                b[k] = c * a + sn * rb;
                rb = -sn * a + c * rb;
            }
        }
    }
    upper_solve(&s, &b).map(|x| (x, s))
}

/// The rotation `(c, s) = (a, b) / √(a² + b²)` (so `c a + s b = √(a² + b²)`, `−s a + c b = 0`)
/// for `b ≠ 0`, from the ratio of the smaller to the larger magnitude (as MINPACK's `qrsolv`):
/// one square root of a number in `[1, 2]`, so no overflow or underflow, and none of `hypot`'s
/// cost.
#[inline]
fn givens(a: f64, b: f64) -> (f64, f64) {
    if a.abs() < b.abs() {
        let cotan = a / b;
        let s = (1.0 / (1.0 + cotan * cotan).sqrt()).copysign(b);
        (s * cotan, s)
    } else {
        let tan = b / a;
        let c = (1.0 / (1.0 + tan * tan).sqrt()).copysign(a);
        (c, c * tan)
    }
}

/// Forward substitution `Sᵀ x = b` for upper-triangular `S`; `None` if singular or not finite.
fn lower_solve_transposed<const N: usize>(
    s: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
) -> Option<SVector<f64, N>> {
    let mut x = *b;
    for i in 0..N {
        let mut v = x[i];
        for j in 0..i {
            v -= s[(j, i)] * x[j];
        }
        if s[(i, i)] == 0.0 {
            return None;
        }
        x[i] = v / s[(i, i)];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The Levenberg–Marquardt step for the trust region `‖Dδ‖ <= Δ` (Moré 1978; MINPACK's
/// `lmpar`): the Gauss–Newton step if it fits (within 10 %), otherwise the damped step whose
/// `‖Dδ‖` is within 10 % of `Δ`, its `λ` found by safeguarded Newton iterations on the secular
/// equation `‖Dδ(λ)‖ = Δ` (at most 10), started from the previous `λ`. Returns the step and its
/// `λ`, or `None` if no finite step exists.
pub(crate) fn trust_region_step<const N: usize>(
    r: &SMatrix<f64, N, N>,
    qtr: &SVector<f64, N>,
    d: &SVector<f64, N>,
    delta: f64,
    previous: f64,
) -> Option<(SVector<f64, N>, f64)> {
    let mut lower = 0.0;
    let mut fp = f64::INFINITY;
    let mut gn_norm = 0.0;
    if let Some(x) = upper_solve(r, &-qtr) {
        let dx = d.component_mul(&x);
        gn_norm = dx.norm();
        fp = gn_norm - delta;
        if fp <= 0.1 * delta {
            return Some((x, 0.0));
        }
        // Newton's lower bound: −φ(0)/φ′(0) with φ′(0) from R.
        let w = d.component_mul(&dx) / gn_norm;
        if let Some(v) = lower_solve_transposed(r, &w) {
            let t = v.norm();
            lower = fp / delta / t / t;
        }
    }
    let g = r.transpose() * qtr;
    let gnorm = g.component_div(d).norm();
    let mut upper = gnorm / delta;
    if upper == 0.0 {
        upper = f64::MIN_POSITIVE / delta.min(0.1);
    }
    let mut par = previous.max(lower).min(upper);
    if par == 0.0 && gn_norm > 0.0 {
        par = gnorm / gn_norm;
    }
    for iteration in 1..=10 {
        if par == 0.0 {
            par = f64::MIN_POSITIVE.max(1e-3 * upper);
        }
        let (x, s) = damped_factor(r, qtr, d, par)?;
        let dx = d.component_mul(&x);
        let dxnorm = dx.norm();
        let previous_fp = fp;
        fp = dxnorm - delta;
        if fp.abs() <= 0.1 * delta
            || (lower == 0.0 && fp <= previous_fp && previous_fp < 0.0)
            || iteration == 10
            || dxnorm == 0.0
        {
            return Some((x, par));
        }
        let w = d.component_mul(&dx) / dxnorm;
        let Some(v) = lower_solve_transposed(&s, &w) else {
            return Some((x, par));
        };
        let t = v.norm();
        let correction = fp / delta / t / t;
        if fp > 0.0 {
            lower = lower.max(par);
        } else {
            upper = upper.min(par);
        }
        par = lower.max(par + correction);
    }
    None
}

/// Back substitution `R x = b`; `None` if a diagonal entry is zero or the result not finite.
pub(crate) fn upper_solve<const N: usize>(
    r: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
) -> Option<SVector<f64, N>> {
    let mut x = *b;
    for i in (0..N).rev() {
        let mut v = x[i];
        for j in i + 1..N {
            v -= r[(i, j)] * x[j];
        }
        if r[(i, i)] == 0.0 {
            return None;
        }
        x[i] = v / r[(i, i)];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The first column `k` of `J` that is numerically a combination of the columns before it:
/// `|Rₖₖ| <= tol · ‖Jₖ‖` (`|Rₖₖ| / ‖Jₖ‖` is the sine of the angle between column `k` and the
/// span of the earlier columns), with `tol = max(m, 10) · ε`, the rounding level of the QR.
/// A zero column counts as dependent.
pub(crate) fn dependent_column<const N: usize>(
    r: &SMatrix<f64, N, N>,
    norms: &SVector<f64, N>,
    m: usize,
) -> Option<usize> {
    let tol = (m.max(10) as f64) * f64::EPSILON;
    (0..N).find(|&k| {
        let d = r[(k, k)].abs();
        d.is_nan() || d <= tol * norms[k]
    })
}

/// `(RᵀR)⁻¹ = R⁻¹R⁻ᵀ`, or `None` if `R` is singular.
pub(crate) fn inverse_gram<const N: usize>(r: &SMatrix<f64, N, N>) -> Option<SMatrix<f64, N, N>> {
    let mut inv = SMatrix::<f64, N, N>::zeros();
    for k in 0..N {
        let e = SVector::<f64, N>::from_fn(|i, _| if i == k { 1.0 } else { 0.0 });
        inv.set_column(k, &upper_solve(r, &e)?);
    }
    Some(inv * inv.transpose())
}

#[cfg(test)]
mod tests {
    #[test]
    fn givens_is_the_normalised_pair_at_any_scale() {
        for (a, b) in [
            (3.0, 4.0),
            (-3.0, 4.0),
            (3.0, -4.0),
            (-4.0, -3.0),
            (0.0, -2.0),
            (1e300, 1e300),
            (1e-300, -3e-300),
            (5e-324, 1.0),
        ] {
            let (c, s) = super::givens(a, b);
            let h = f64::hypot(a, b);
            assert!((c - a / h).abs() <= 4.0 * f64::EPSILON, "{a} {b}: c = {c}");
            assert!((s - b / h).abs() <= 4.0 * f64::EPSILON, "{a} {b}: s = {s}");
        }
    }

    use super::*;

    /// 3-4-5 triangles at every scale: the fast path, underflowing squares, overflowing squares.
    #[test]
    fn norm2_is_exact_on_pythagorean_triples_at_extreme_scales() {
        for scale in [1.0, 1e-200, 1e-305, 1e200, 1e300] {
            let n = norm2(&[3.0 * scale, 4.0 * scale]);
            assert!(
                (n - 5.0 * scale).abs() <= 4.0 * f64::EPSILON * 5.0 * scale,
                "{scale}: {n}"
            );
        }
        assert_eq!(norm2(&[0.0; 7]), 0.0);
        assert_eq!(norm2(&[]), 0.0);
        assert_eq!(norm2(&[f64::INFINITY, 1.0]), f64::INFINITY);
        assert!(norm2(&[f64::NAN, 1.0]).is_nan());
        assert!(norm2(&[f64::INFINITY, f64::NAN]).is_nan());
        // Mixed magnitudes: 1e200 dominates exactly.
        assert_eq!(norm2(&[1e200, 1e-200, 3.0]), 1e200);
    }

    /// Householder QR of a 3×2 matrix against the closed form: R's first row holds ±‖col₀‖
    /// and col₀·col₁/‖col₀‖, and |R₁₁| is the distance of col₁ from span(col₀).
    #[test]
    fn householder_qr_matches_the_gram_schmidt_closed_form() {
        // Column-major: col₀ = (1, 2, 2) (norm 3), col₁ = (0, 3, 3).
        let mut jac = [1.0, 2.0, 2.0, 0.0, 3.0, 3.0];
        let mut rhs = [1.0, 0.0, 0.0];
        let r = householder_qr::<2>(&mut jac, 3, &mut rhs);
        assert!((r[(0, 0)].abs() - 3.0).abs() < 1e-15);
        // col₀·col₁ = 12, so R₀₁ = 12/3 = 4 with R₀₀'s sign.
        assert!((r[(0, 1)] - 4.0 * r[(0, 0)].signum()).abs() < 1e-15);
        // col₁ − (4/3)·col₀ = (−4/3, 1/3, 1/3): norm sqrt(18)/3 = sqrt(2).
        assert!((r[(1, 1)].abs() - 2.0_f64.sqrt()).abs() < 1e-15);
        // Qᵀ preserves the norm of rhs.
        assert!((rhs.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-15);
    }
}
