//! The dense linear algebra of the least-squares solvers, in place on buffers allocated once
//! per solve: Householder QR of the `m × N` Jacobian, the Levenberg–Marquardt subproblem by
//! Givens rotations (MINPACK's `qrsolv` idea), triangular solves and the covariance.

use nalgebra::{SMatrix, SVector};

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
        let col = k * m;
        let norm = jac[col + k..col + m]
            .iter()
            .fold(0.0_f64, |a, v| a.hypot(*v));
        if norm == 0.0 {
            continue;
        }
        let alpha = if jac[col + k] > 0.0 { -norm } else { norm };
        jac[col + k] -= alpha;
        let vnorm2: f64 = jac[col + k..col + m].iter().map(|v| v * v).sum();
        r[(k, k)] = alpha;
        if vnorm2 == 0.0 {
            continue;
        }
        let beta = 2.0 / vnorm2;
        for j in k + 1..N {
            let cj = j * m;
            let s: f64 = (k..m).map(|i| jac[col + i] * jac[cj + i]).sum::<f64>() * beta;
            for i in k..m {
                jac[cj + i] -= s * jac[col + i];
            }
            r[(k, j)] = jac[cj + k];
        }
        let s: f64 = (k..m).map(|i| jac[col + i] * rhs[i]).sum::<f64>() * beta;
        for i in k..m {
            rhs[i] -= s * jac[col + i];
        }
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
                let h = s[(k, k)].hypot(row[k]);
                let (c, sn) = (s[(k, k)] / h, row[k] / h);
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
    upper_solve(&s, &b)
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

/// `(RᵀR)⁻¹ = R⁻¹R⁻ᵀ`, or `None` if `R` is singular.
pub(crate) fn inverse_gram<const N: usize>(r: &SMatrix<f64, N, N>) -> Option<SMatrix<f64, N, N>> {
    let mut inv = SMatrix::<f64, N, N>::zeros();
    for k in 0..N {
        let e = SVector::<f64, N>::from_fn(|i, _| if i == k { 1.0 } else { 0.0 });
        inv.set_column(k, &upper_solve(r, &e)?);
    }
    Some(inv * inv.transpose())
}
