use crate::{AnyScalar, Jet};

/// Value and first derivative of `f: R → R` at `x`.
///
/// ```
/// use dualgrad::prelude::*;
/// // d/dx x^3 = 3x^2 = 75 at x = 5
/// let (f, df) = derivative(|x| x.powi(3), 5.0);
/// assert_eq!((f, df), (125.0, 75.0));
/// ```
#[inline]
pub fn derivative<T: AnyScalar>(f: impl FnOnce(Jet<T, 1>) -> Jet<T, 1>, x: T) -> (T, T) {
    crate::scalar::prepare_tanh();
    let r = f(Jet::variable(x, 0));
    (r.re, r.eps[0])
}

/// Value, first and second derivative of `f: R → R` at `x`, on nested jets (a jet of jets, as
/// [`hessian`](crate::hessian) uses), so the value and first derivative are those of
/// [`derivative`], NaN-safety included: at `x = 0`, `√x` gives `(0, ∞, −∞)`.
///
/// ```
/// use dualgrad::second_derivative;
/// // f = x^3: f' = 3x^2 = 12, f'' = 6x = 12 at x = 2
/// let (f, d1, d2) = second_derivative(|x| x.powi(3), 2.0);
/// assert_eq!((f, d1, d2), (8.0, 12.0, 12.0));
/// // √x at 0: f' = 1/(2√x) → ∞, f'' = −1/(4x√x) → −∞
/// let (f, d1, d2) = second_derivative(|x| x.sqrt(), 0.0);
/// assert_eq!((f, d1, d2), (0.0, f64::INFINITY, f64::NEG_INFINITY));
/// ```
#[inline]
pub fn second_derivative<T: AnyScalar>(
    f: impl FnOnce(Jet<Jet<T, 1>, 1>) -> Jet<Jet<T, 1>, 1>,
    x: T,
) -> (T, T, T) {
    crate::scalar::prepare_tanh();
    let r = f(Jet::variable(Jet::variable(x, 0), 0));
    (r.re.re, r.re.eps[0], r.eps[0].eps[0])
}

/// Value and first three derivatives of `f: R → R` at `x`, on jets nested three deep.
///
/// ```
/// use dualgrad::third_derivative;
/// // f = x⁴: 4x³ = 32, 12x² = 48, 24x = 48 at x = 2
/// assert_eq!(third_derivative(|x| x.powi(4), 2.0), (16.0, 32.0, 48.0, 48.0));
/// // f = sin: (sin 0, cos 0, −sin 0, −cos 0)
/// assert_eq!(third_derivative(|x| x.sin(), 0.0), (0.0, 1.0, 0.0, -1.0));
/// ```
#[inline]
#[allow(clippy::type_complexity)]
pub fn third_derivative<T: AnyScalar>(
    f: impl FnOnce(Jet<Jet<Jet<T, 1>, 1>, 1>) -> Jet<Jet<Jet<T, 1>, 1>, 1>,
    x: T,
) -> (T, T, T, T) {
    crate::scalar::prepare_tanh();
    let r = f(Jet::variable(Jet::variable(Jet::variable(x, 0), 0), 0));
    (
        r.re.re.re,
        r.re.re.eps[0],
        r.re.eps[0].eps[0],
        r.eps[0].eps[0].eps[0],
    )
}
