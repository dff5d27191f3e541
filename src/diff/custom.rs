//! Custom derivative rules: define an elementary function once by its value and derivatives at
//! an `f64` point, and apply it to every [`Scalar`] (`f64`, `Jet`, nested jets, num-dual types),
//! at every derivative order the type carries. This is the counterpart of JAX's `custom_jvp`.
//!
//! A scalar `x` of a type of derivative order `K` (`K = 0` for `f64`, `1` for `Jet<f64, N>`,
//! `2` for `Jet<Jet<f64, N>, N>`, ...) is its value plus a perturbation, `x = x₀ + δ` with
//! `δᴷ⁺¹ = 0`. So `f(x)` is exactly the Taylor polynomial
//! `f(x₀) + f'(x₀) δ + f''(x₀) δ²/2 + … + f⁽ᴷ⁾(x₀) δᴷ/K!`, which [`apply_rule`] evaluates by
//! Horner's rule in the scalar's own arithmetic. The rule supplies `f(x₀), …, f⁽ᴷ⁾(x₀)`.

use crate::Scalar;

/// The deepest derivative order a rule is asked for: scalar types nested deeper than this are a
/// bug in the caller (see [`apply_rule`]).
pub const MAX_RULE_ORDER: usize = 8;

/// The buffer a [`Rule`] writes its Taylor data into: `d[j]` is the `j`-th derivative. Always
/// `MAX_RULE_ORDER + 1` long, whatever order is asked for, so writing any `d[j]` with
/// `j ≤ MAX_RULE_ORDER` never panics.
pub type Derivatives = [f64; MAX_RULE_ORDER + 1];

/// An elementary function `f: R → R` given by its value and derivatives at a plain point.
///
/// Implement [`max_order`](Rule::max_order) and [`taylor`](Rule::taylor); [`apply_rule`] then
/// evaluates `f` on any [`Scalar`] whose derivative order is at most `max_order`.
///
/// The contract, enforced by [`apply_rule`]:
/// - `max_order()` declares the highest derivative the rule supplies. A rule that knows only
///   `f` and `f'` declares `1`; applying it to a scalar type that needs more (a Hessian, a
///   second derivative) panics with a message naming the rule and both orders, instead of
///   reading a missing derivative as zero.
/// - `taylor(x, order, d)` is called with `order ≤ max_order()` (the derivative order of the
///   scalar type: `0` for `f64`, `1` for `Jet<f64, N>`, `2` for a jet of jets, ...) and must write
///   `f(x), f'(x), …, f⁽ᵒʳᵈᵉʳ⁾(x)` into `d[0], …, d[order]`. The buffer is always
///   [`MAX_RULE_ORDER`] ` + 1` long (a rule may fill it whole and ignore `order`; entries above
///   `order` are ignored), and starts as NaN: a required entry the rule leaves unwritten makes
///   the result NaN, never a silent zero.
///
/// ```
/// use dualgrad::{Scalar, derivative};
/// use dualgrad::diff::custom::{Derivatives, Rule, apply_rule};
///
/// /// f(x) = x³ as an opaque function: value and derivatives 3x², 6x, 6, 0, ...
/// struct Cube;
/// impl Rule for Cube {
///     fn max_order(&self) -> usize {
///         dualgrad::diff::custom::MAX_RULE_ORDER // every order is known (0 from the fourth)
///     }
///     fn taylor(&self, x: f64, _order: usize, d: &mut Derivatives) {
///         *d = [x * x * x, 3.0 * x * x, 6.0 * x, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0];
///     }
/// }
/// fn cube<T: Scalar>(x: T) -> T {
///     apply_rule(&Cube, x)
/// }
/// assert_eq!(cube(2.0), 8.0);
/// assert_eq!(derivative(cube, 2.0), (8.0, 12.0));
/// // second order: a derivative of a derivative
/// assert_eq!(derivative(|x| derivative(cube, x).1, 2.0), (12.0, 12.0));
/// ```
pub trait Rule {
    /// The highest derivative order [`taylor`](Rule::taylor) supplies (values above
    /// [`MAX_RULE_ORDER`] count as [`MAX_RULE_ORDER`]).
    fn max_order(&self) -> usize;

    /// Write `f(x), f'(x), …, f⁽ᵒʳᵈᵉʳ⁾(x)` into `d[0], …, d[order]`, where
    /// `order ≤ max_order()`; entries above `order` are ignored, entries left unwritten are NaN.
    fn taylor(&self, x: f64, order: usize, d: &mut Derivatives);
}

/// `f(x)` for a [`Rule`] `f` and any [`Scalar`] `x`, exact to the derivative order of `x`.
///
/// Costs one call of [`Rule::taylor`] and `K` products of the scalar type, where `K` is its
/// derivative order; no allocation. A derivative that is not finite (a pole) gives NaN in the
/// derivative parts, as it should; so does a derivative the rule declares but does not write
/// (the buffer starts as NaN).
///
/// # Panics
/// If the derivative order of `T` exceeds the rule's [`max_order`](Rule::max_order) (the message
/// names the rule, its order and the order needed), or [`MAX_RULE_ORDER`] (jets nested more than
/// eight deep): a bug in the caller's choice of rule or type, not a property of the input.
///
/// ```
/// use dualgrad::Jet;
/// use dualgrad::diff::custom::{apply_rule, erf_rule};
/// let x = Jet::<f64, 1>::variable(0.0, 0);
/// let y = apply_rule(&erf_rule::Erf, x);
/// assert_eq!(y.re, 0.0);
/// assert_eq!(y.eps, [2.0 / std::f64::consts::PI.sqrt()]); // erf'(0) = 2/√π
/// ```
pub fn apply_rule<R: Rule + ?Sized, T: Scalar>(rule: &R, x: T) -> T {
    let k = T::NDERIV;
    assert!(
        k <= MAX_RULE_ORDER,
        "apply_rule: derivative order {k} > MAX_RULE_ORDER = {MAX_RULE_ORDER}"
    );
    let max = rule.max_order();
    assert!(
        k <= max,
        "apply_rule: the rule {} supplies derivatives up to order {max} (Rule::max_order), but \
         the scalar type {} needs order {k}; supply f⁽ʲ⁾ for j ≤ {k} in Rule::taylor and raise \
         max_order, or differentiate to order {max} at most",
        std::any::type_name::<R>(),
        std::any::type_name::<T>()
    );
    let x0 = x.value();
    let mut d: Derivatives = [f64::NAN; MAX_RULE_ORDER + 1];
    rule.taylor(x0, k, &mut d);
    if k == 0 {
        return T::lift(d[0]);
    }
    if !x0.is_finite() {
        // x − x₀ is NaN here: a zero derivative (erf at ±∞) gives a constant, any other NaN
        return if d[1..=k].iter().all(|&dj| dj == 0.0) {
            T::lift(d[0])
        } else {
            x * f64::NAN
        };
    }
    // Horner on the Taylor coefficients d⁽ʲ⁾/j!
    let delta = x - T::lift(x0);
    let mut fact = (1..=k).map(|j| j as f64).product::<f64>();
    let mut r = T::lift(d[k] / fact);
    for j in (0..k).rev() {
        fact /= (j + 1) as f64;
        r = r * delta + d[j] / fact;
    }
    r
}

/// The error function and its complement as [`Rule`]s (values from `libm`).
pub mod erf_rule {
    use super::{Derivatives, MAX_RULE_ORDER, Rule};

    /// `2/√π`.
    const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

    /// `dᵏ/dxᵏ e^{−x²} = (−1)ᵏ Hₖ(x) e^{−x²}` (physicists' Hermite polynomials) into
    /// `d[1..]` scaled by `sign · 2/√π`: the derivatives of `sign · erf`.
    fn gaussian_derivatives(x: f64, sign: f64, d: &mut [f64]) {
        let g = (-x * x).exp() * TWO_OVER_SQRT_PI * sign;
        if g == 0.0 {
            // far in the tails e^{−x²} underflows before Hₖ(x) overflows to ∞ (∞ · 0 = NaN):
            // every derivative is 0 there (the Gaussian decays faster than any polynomial)
            d[1..].fill(0.0);
            return;
        }
        let (mut h_prev, mut h) = (0.0, 1.0); // H₋₁ (unused), H₀
        for (k, dk) in d.iter_mut().enumerate().skip(1) {
            // erf⁽ᵏ⁾ = 2/√π (−1)ᵏ⁻¹ Hₖ₋₁(x) e^{−x²}
            let s = if (k - 1) % 2 == 0 { 1.0 } else { -1.0 };
            *dk = s * h * g;
            let n = (k - 1) as f64;
            let next = 2.0 * x * h - 2.0 * n * h_prev;
            h_prev = h;
            h = next;
        }
    }

    /// `erf(x) = 2/√π ∫₀ˣ e^{−t²} dt`.
    ///
    /// ```
    /// use dualgrad::diff::custom::erf_rule::Erf;
    /// use dualgrad::diff::custom::Rule;
    /// let mut d = [f64::NAN; 9];
    /// Erf.taylor(0.0, 2, &mut d);
    /// assert_eq!(d[..3], [0.0, 2.0 / std::f64::consts::PI.sqrt(), 0.0]);
    /// ```
    #[derive(Clone, Copy, Debug)]
    pub struct Erf;

    impl Rule for Erf {
        fn max_order(&self) -> usize {
            MAX_RULE_ORDER
        }
        fn taylor(&self, x: f64, order: usize, d: &mut Derivatives) {
            d[0] = libm::erf(x);
            gaussian_derivatives(x, 1.0, &mut d[..=order]);
        }
    }

    /// `erfc(x) = 1 − erf(x)`, accurate in the right tail where `1 − erf(x)` cancels.
    ///
    /// ```
    /// use dualgrad::diff::custom::erf_rule::Erfc;
    /// use dualgrad::diff::custom::Rule;
    /// let mut d = [f64::NAN; 9];
    /// Erfc.taylor(0.0, 1, &mut d);
    /// assert_eq!(d[..2], [1.0, -2.0 / std::f64::consts::PI.sqrt()]);
    /// ```
    #[derive(Clone, Copy, Debug)]
    pub struct Erfc;

    impl Rule for Erfc {
        fn max_order(&self) -> usize {
            MAX_RULE_ORDER
        }
        fn taylor(&self, x: f64, order: usize, d: &mut Derivatives) {
            d[0] = libm::erfc(x);
            gaussian_derivatives(x, -1.0, &mut d[..=order]);
        }
    }
}
