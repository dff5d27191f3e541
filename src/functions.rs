//! Elementary functions that machine-learning code needs and `num-dual` lacks.
//!
//! Each is generic over [`Scalar`], so the same call evaluates on `f64` and differentiates on
//! duals, and each is written in its numerically stable form: values and derivatives stay finite
//! for logits of ±800 and for log-sum-exp of `[1000, 1000.5, 999, −1000, 0]`. The derivatives
//! come from the dual arithmetic itself, so they are exact to every order.

use crate::Scalar;
use crate::diff::custom::{apply_rule, erf_rule};
use nalgebra::SVector;

/// The logistic function `σ(x) = 1 / (1 + e⁻ˣ)`, with `σ'(x) = σ(x)(1 − σ(x))`.
///
/// Evaluated as `1 / (1 + e⁻ˣ)` for `x ≥ 0` and `eˣ / (1 + eˣ)` for `x < 0`, so no exponential
/// overflows.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::functions::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// let (s, ds) = derivative(sigmoid, 0.0);
/// assert_eq!((s, ds), (0.5, 0.25)); // σ(0)(1 − σ(0)) = 1/4
/// assert_eq!(sigmoid(-800.0), 0.0);
/// assert_eq!(derivative(sigmoid, 800.0), (1.0, 0.0));
/// ```
#[inline]
pub fn sigmoid<T: Scalar>(x: T) -> T {
    // the exponential is taken at −|x| ≤ 0, where its derivatives are bounded (no NaN-safety
    // test needed; NaN in gives NaN out)
    if x.re() >= 0.0 {
        ((-x).exp_nonpositive() + 1.0).recip()
    } else {
        let e = x.exp_nonpositive();
        e / (e + 1.0)
    }
}

/// `softplus(x) = ln(1 + eˣ)`, the smooth ReLU, with `softplus'(x) = σ(x)`.
///
/// Evaluated as `max(x, 0) + ln(1 + e^(−|x|))`: the exponential is taken at `−|x| ≤ 0` and the
/// logarithm at `1 + u`, `u ∈ [0, 1]`, where all derivatives are bounded, so the chain rule's
/// NaN-safety test is skipped; NaN in gives NaN out, value and derivatives.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::functions::softplus;
/// assert_eq!(softplus(0.0), 2.0_f64.ln());
/// assert_eq!(derivative(softplus, 0.0).1, 0.5); // σ(0)
/// assert_eq!(softplus(800.0), 800.0);
/// assert_eq!(softplus(-800.0), 0.0);
/// ```
#[inline]
pub fn softplus<T: Scalar>(x: T) -> T {
    // e^(−|x|) is in [0, 1] and ln(1 + u) is taken on [0, 1]: every derivative is bounded, so
    // the chain rule skips its NaN-safety test (NaN in gives NaN out, value and derivatives)
    if x.re() > 0.0 {
        x + (-x).exp_nonpositive().ln_1p_unit()
    } else {
        x.exp_nonpositive().ln_1p_unit()
    }
}

/// The rectifier `max(x, 0)`. Its derivative is `1` for `x > 0` and `0` for `x ≤ 0`: at `0` the
/// derivative used is **0** (the convention of PyTorch and JAX). NaN in gives NaN out (value and
/// derivatives), so a diverged model does not look finite.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::functions::relu;
/// assert_eq!(derivative(relu, 2.0), (2.0, 1.0));
/// assert_eq!(derivative(relu, 0.0), (0.0, 0.0)); // derivative 0 at 0
/// assert_eq!(derivative(relu, -1.0), (0.0, 0.0));
/// let (v, d) = derivative(relu, f64::NAN);
/// assert!(v.is_nan() && d.is_nan());
/// ```
#[inline]
pub fn relu<T: Scalar>(x: T) -> T {
    if x.re() > 0.0 {
        x
    } else if x.re().is_nan() {
        x * f64::NAN
    } else {
        T::zero()
    }
}

/// `ln Σ exp(xᵢ)`, whose gradient is [`softmax`]`(x)`.
///
/// Evaluated as `m + ln Σ exp(xᵢ − m)` with `m = maxᵢ xᵢ` (as a constant: the shift cancels in the
/// derivative), so no exponential overflows. The log-sum-exp of an empty vector is `−∞`. Every
/// exponential is taken at `xᵢ − m ≤ 0` and the logarithm at a sum `≥ 1`, where all derivatives
/// are bounded, so the chain rule's NaN-safety test is skipped there; a NaN entry gives NaN
/// value and derivatives.
///
/// ```
/// use dualgrad::functions::log_sum_exp;
/// use nalgebra::SVector;
/// let x = SVector::from([1000.0, 1000.5, 999.0, -1000.0, 0.0]);
/// let lse = log_sum_exp(&x);
/// // 1000.5 + ln(e^−0.5 + 1 + e^−1.5)
/// assert!((lse - (1000.5 + (1.0 + (-0.5f64).exp() + (-1.5f64).exp()).ln())).abs() < 1e-12);
/// ```
#[inline(always)]
pub fn log_sum_exp<T: Scalar, const K: usize>(x: &SVector<T, K>) -> T {
    let m = max_re(x);
    if !m.is_finite() {
        return log_sum_exp_unshifted(x);
    }
    // xᵢ − m ≤ 0, and the sum is ≥ 1 (its largest term is e⁰): bounded derivatives, no
    // NaN-safety test needed (NaN in gives NaN out)
    x.iter()
        .map(|&xi| (xi - m).exp_nonpositive())
        .sum::<T>()
        .ln_at_least_one()
        + m
}

/// [`log_sum_exp`] where the largest real part is not finite: all `−∞` (or `K = 0`), or a `+∞`
/// or NaN entry. The shift would give NaN there; the plain sum is right. Out of line and cold, so
/// that `log_sum_exp`, which is always inlined, stays short (measured on the iris workload:
/// LLVM had kept `log_sum_exp` out of line, and inlining it saves 1 % of a gradient's
/// instructions).
#[cold]
#[inline(never)]
fn log_sum_exp_unshifted<T: Scalar, const K: usize>(x: &SVector<T, K>) -> T {
    x.iter().map(|&xi| xi.exp()).sum::<T>().ln()
}

/// `softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)`, evaluated with the maximum subtracted first.
///
/// ```
/// use dualgrad::functions::softmax;
/// use nalgebra::SVector;
/// let p = softmax(&SVector::from([0.0, 0.0, 800.0]));
/// assert_eq!(p, SVector::from([0.0, 0.0, 1.0]));
/// let p = softmax(&SVector::from([1.0, 1.0]));
/// assert_eq!(p, SVector::from([0.5, 0.5]));
/// ```
#[inline]
pub fn softmax<T: Scalar, const K: usize>(x: &SVector<T, K>) -> SVector<T, K> {
    let m = max_re(x);
    // xᵢ − m ≤ 0: bounded derivatives, no NaN-safety test (as in `log_sum_exp`)
    let e = x.map(|xi| (xi - m).exp_nonpositive());
    let s = e.iter().copied().sum::<T>().recip();
    e.map(|ei| ei * s)
}

/// Binary cross-entropy of the probability `σ(z)` against a target `y ∈ [0, 1]`, from the logit
/// `z`: `−y ln σ(z) − (1 − y) ln(1 − σ(z)) = softplus(z) − y z`. Its derivative in `z` is
/// `σ(z) − y`.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::functions::bce_with_logits;
/// assert_eq!(bce_with_logits(0.0, 1.0), 2.0_f64.ln());
/// assert_eq!(derivative(|z| bce_with_logits(z, 1.0), 0.0).1, -0.5); // σ(0) − 1
/// assert_eq!(bce_with_logits(800.0, 1.0), 0.0);
/// assert_eq!(bce_with_logits(-800.0, 1.0), 800.0);
/// ```
#[inline]
pub fn bce_with_logits<T: Scalar>(z: T, y: f64) -> T {
    softplus(z) - z * y
}

/// Softmax cross-entropy from logits `z` against the class index `class`:
/// `−ln softmax(z)[class] = logsumexp(z) − z[class]`. Its gradient is `softmax(z) − e_class`.
///
/// # Panics
/// If `class >= K` (an index out of bounds, a bug in the caller; data loaders check labels).
///
/// ```
/// use dualgrad::functions::softmax_cross_entropy;
/// use nalgebra::SVector;
/// let z = SVector::from([0.0, 0.0, 0.0, 0.0]);
/// assert!((softmax_cross_entropy(&z, 2) - 4.0_f64.ln()).abs() < 1e-15);
/// let z = SVector::from([800.0, -800.0]);
/// assert_eq!(softmax_cross_entropy(&z, 0), 0.0);
/// assert_eq!(softmax_cross_entropy(&z, 1), 1600.0);
/// ```
#[inline]
pub fn softmax_cross_entropy<T: Scalar, const K: usize>(z: &SVector<T, K>, class: usize) -> T {
    log_sum_exp(z) - z[class]
}

/// The largest real part, `−∞` for an empty vector.
#[inline]
fn max_re<T: Scalar, const K: usize>(x: &SVector<T, K>) -> f64 {
    x.iter().fold(f64::NEG_INFINITY, |m, xi| m.max(xi.re()))
}

/// The error function `erf(x)`, on any [`Scalar`], from `libm`'s value with exact derivatives at
/// every order (a custom [`Rule`](crate::diff::custom::Rule)); `erf'(x) = 2/√π e^{−x²}`.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::functions::erf;
/// assert_eq!(erf(0.0), 0.0);
/// let (v, d) = derivative(erf, 1.0_f64);
/// assert!((v - 0.8427007929497149).abs() < 1e-16);
/// assert!((d - 2.0 / std::f64::consts::PI.sqrt() * (-1.0_f64).exp()).abs() < 1e-16);
/// ```
#[inline]
pub fn erf<T: Scalar>(x: T) -> T {
    apply_rule(&erf_rule::Erf, x)
}

/// The complementary error function `erfc(x) = 1 − erf(x)`, accurate for large `x`, on any
/// [`Scalar`].
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::functions::erfc;
/// assert_eq!(erfc(0.0), 1.0);
/// let (v, d) = derivative(erfc, 10.0);
/// assert!(v > 0.0 && v < 3e-44); // 1 − erf(10) would round to 0
/// assert!(d < 0.0);
/// ```
#[inline]
pub fn erfc<T: Scalar>(x: T) -> T {
    apply_rule(&erf_rule::Erfc, x)
}
