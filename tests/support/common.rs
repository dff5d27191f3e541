//! Helpers shared by the integration tests: bounded quickcheck draws, central finite differences
//! and the tolerances used to compare derivatives.
//!
//! Every expected value in these tests comes from outside the code under test: a closed form
//! written here in plain `f64` arithmetic, central finite differences of the plain `f64`
//! function, or an identity between two different entry points.
#![allow(dead_code)] // each test binary uses a different subset

use nalgebra::{SMatrix, SVector};
use quickcheck::{QuickCheck, TestResult, Testable};

/// Cases per property: at least 1,000 in the default debug run, ten times more in release.
pub const CASES: u64 = if cfg!(debug_assertions) {
    1_000
} else {
    10_000
};

/// Run a property on [`CASES`] non-discarded cases; fail if quickcheck could not find that many.
pub fn check<A: Testable>(prop: A) {
    check_n(CASES, prop);
}

/// Run a property on `cases` non-discarded cases; fail if quickcheck could not find that many.
pub fn check_n<A: Testable>(cases: u64, prop: A) {
    QuickCheck::new()
        .tests(cases)
        .min_tests_passed(cases)
        .max_tests(cases * 50)
        .quickcheck(prop);
}

/// Map a raw quickcheck draw into `[lo, hi]`, or `None` for NaN and ±∞ (discard the case).
///
/// quickcheck's `f64` is `±m · 2^e` with `m` uniform in `[1, 2)` and `e` uniform in
/// `[0, 1024)`, plus NaN, ±∞, ±0 and ±MAX one draw in ten: almost every draw is huge. Its 52
/// mantissa bits, however, are uniform, so they give a uniform point of the box; 0 maps to `lo`
/// and ±MAX to (just below) `hi`, so the edges of the box are exercised too.
pub fn in_box(raw: f64, lo: f64, hi: f64) -> Option<f64> {
    if !raw.is_finite() {
        return None;
    }
    const MANTISSA: u64 = (1 << 52) - 1;
    let t = (raw.to_bits() & MANTISSA) as f64 / (1u64 << 52) as f64;
    Some(lo + t * (hi - lo))
}

/// Map every draw of an array into `[lo, hi]`, or `None` if any draw is NaN or ±∞.
pub fn vec_in_box<const N: usize>(raw: [f64; N], lo: f64, hi: f64) -> Option<SVector<f64, N>> {
    let mut x = SVector::<f64, N>::zeros();
    for (xi, r) in x.iter_mut().zip(raw) {
        *xi = in_box(r, lo, hi)?;
    }
    Some(x)
}

/// `N` points of `[lo, hi]` from one seed (splitmix64), for vectors too long to draw one by one.
pub fn vec_from_seed<const N: usize>(seed: u64, lo: f64, hi: f64) -> SVector<f64, N> {
    let mut s = seed;
    SVector::from_fn(|_, _| {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        lo + (z >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    })
}

/// A property's verdict: `Err` carries a message with the mapped inputs, shown on failure.
pub fn verdict(r: Result<(), String>) -> TestResult {
    match r {
        Ok(()) => TestResult::passed(),
        Err(msg) => TestResult::error(msg),
    }
}

// ---------------------------------------------------------------------------------------------
// Tolerances
// ---------------------------------------------------------------------------------------------

/// Automatic vs closed-form derivative: both evaluate the same formula in exact arithmetic and
/// differ only by the rounding of a handful of operations in a different order, i.e. a few ulps
/// of the largest intermediate term. The boxes keep intermediate terms below ~1e3, so an absolute
/// 1e-11 (≈ 1e3 · 45 ε) and a relative 1e-12 (≈ 4500 ε) leave a wide margin over the errors
/// observed (the rule tests all pass with 1e-13 / 1e-14) while catching any wrong factor, sign
/// or term (a 1e-7 relative error in one elementary derivative fails them).
pub const CF_ATOL: f64 = 1e-11;
/// See [`CF_ATOL`].
pub const CF_RTOL: f64 = 1e-12;

/// Automatic derivative vs central finite difference `(f(x+h) − f(x−h)) / 2h` with
/// `h = 1e-6 (1 + |x|)`: the truncation error is `h² |f'''| / 6 ≲ 1e-12 (1+|x|)² |f'''| / 6`,
/// the rounding error `≲ ε |f| / h ≈ 2.2e-10 |f| / (1+|x|)`. The boxes keep `|f| ≲ 1e3` and
/// `|f'''| (1+|x|)² ≲ 1e5`, so both stay below ~2e-7: an absolute 1e-6 plus a relative 1e-6
/// is safe, yet a wrong derivative (off by a factor, a sign or a term) misses it by orders of
/// magnitude.
pub const FD_ATOL: f64 = 1e-6;
/// See [`FD_ATOL`].
pub const FD_RTOL: f64 = 1e-6;

/// `|got − want| ≤ atol + rtol |want|`, with a message naming the quantity otherwise.
/// NaN in either never passes.
pub fn close(what: &str, got: f64, want: f64, atol: f64, rtol: f64) -> Result<(), String> {
    let err = (got - want).abs();
    if err <= atol + rtol * want.abs() {
        Ok(())
    } else {
        Err(format!(
            "{what}: got {got:e}, expected {want:e} (|diff| = {err:e} > {atol:e} + {rtol:e}·|expected|)"
        ))
    }
}

/// [`close`] with the closed-form tolerances.
pub fn close_cf(what: &str, got: f64, want: f64) -> Result<(), String> {
    close(what, got, want, CF_ATOL, CF_RTOL)
}

/// [`close`] with the finite-difference tolerances.
pub fn close_fd(what: &str, got: f64, want: f64) -> Result<(), String> {
    close(what, got, want, FD_ATOL, FD_RTOL)
}

/// Element-wise [`close`] of two matrices (vectors are `N×1` matrices).
pub fn close_mat<const R: usize, const C: usize>(
    what: &str,
    got: &SMatrix<f64, R, C>,
    want: &SMatrix<f64, R, C>,
    atol: f64,
    rtol: f64,
) -> Result<(), String> {
    for i in 0..R {
        for j in 0..C {
            close(
                &format!("{what}[({i}, {j})]"),
                got[(i, j)],
                want[(i, j)],
                atol,
                rtol,
            )?;
        }
    }
    Ok(())
}

/// [`close_mat`] with the closed-form tolerances.
pub fn close_mat_cf<const R: usize, const C: usize>(
    what: &str,
    got: &SMatrix<f64, R, C>,
    want: &SMatrix<f64, R, C>,
) -> Result<(), String> {
    close_mat(what, got, want, CF_ATOL, CF_RTOL)
}

/// [`close_mat`] with the finite-difference tolerances.
pub fn close_mat_fd<const R: usize, const C: usize>(
    what: &str,
    got: &SMatrix<f64, R, C>,
    want: &SMatrix<f64, R, C>,
) -> Result<(), String> {
    close_mat(what, got, want, FD_ATOL, FD_RTOL)
}

// ---------------------------------------------------------------------------------------------
// Central finite differences of plain f64 functions
// ---------------------------------------------------------------------------------------------

/// The step for a central difference at `x`: `1e-6 (1 + |x|)`.
pub fn step(x: f64) -> f64 {
    1e-6 * (1.0 + x.abs())
}

/// `(f(x+h) − f(x−h)) / ((x+h) − (x−h))`: dividing by the representable step removes the
/// rounding of `x ± h` from the error.
pub fn fd(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = step(x);
    let (xp, xm) = (x + h, x - h);
    (f(xp) - f(xm)) / (xp - xm)
}

/// Central-difference gradient of `f: Rᴺ → R`.
pub fn fd_gradient<const N: usize>(
    f: impl Fn(&SVector<f64, N>) -> f64,
    x: &SVector<f64, N>,
) -> SVector<f64, N> {
    SVector::from_fn(|i, _| {
        fd(
            |t| {
                let mut y = *x;
                y[i] = t;
                f(&y)
            },
            x[i],
        )
    })
}

/// Central-difference Jacobian of `f: Rᴺ → Rᴹ`, `J[(i, j)] ≈ ∂fᵢ/∂xⱼ`.
pub fn fd_jacobian<const N: usize, const M: usize>(
    f: impl Fn(&SVector<f64, N>) -> SVector<f64, M>,
    x: &SVector<f64, N>,
) -> SMatrix<f64, M, N> {
    let mut j = SMatrix::<f64, M, N>::zeros();
    for k in 0..N {
        let h = step(x[k]);
        let (mut xp, mut xm) = (*x, *x);
        xp[k] += h;
        xm[k] -= h;
        let col = (f(&xp) - f(&xm)) / (xp[k] - xm[k]);
        j.set_column(k, &col);
    }
    j
}

/// The logistic function in plain f64, as a closed form for the tests: `1 / (1 + e⁻ˣ)`.
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Softmax in plain f64, as a closed form for the tests (inputs kept small, no shift needed).
pub fn softmax_cf<const K: usize>(z: &SVector<f64, K>) -> SVector<f64, K> {
    let e = z.map(f64::exp);
    e / e.sum()
}

/// Mean of ½(p − yᵢ)² over the samples: gradient p − mean(y), minimised by the mean of the yᵢ.
pub struct Mean(pub Vec<f64>);

impl dualgrad::objective::Samples for Mean {
    fn len(&self) -> usize {
        self.0.len()
    }
}

impl dualgrad::objective::Objective<1> for Mean {
    fn loss_and_gradient(&self, p: &SVector<f64, 1>, idx: &[usize]) -> (f64, SVector<f64, 1>) {
        let n = idx.len() as f64;
        let loss = idx
            .iter()
            .map(|&i| 0.5 * (p[0] - self.0[i]).powi(2))
            .sum::<f64>()
            / n;
        let grad = idx.iter().map(|&i| p[0] - self.0[i]).sum::<f64>() / n;
        (loss, SVector::from([grad]))
    }
}
