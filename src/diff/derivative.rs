use crate::{Jet, Scalar};
use num_dual::Dual2;

/// Value and first derivative of `f: R → R` at `x`.
///
/// ```
/// use dualgrad::prelude::*;
/// // d/dx x^3 = 3x^2 = 75 at x = 5
/// let (f, df) = derivative(|x| x.powi(3), 5.0);
/// assert_eq!((f, df), (125.0, 75.0));
/// ```
#[inline]
pub fn derivative<T: Scalar>(f: impl FnOnce(Jet<T, 1>) -> Jet<T, 1>, x: T) -> (T, T) {
    let r = f(Jet::variable(x, 0));
    (r.re, r.eps[0])
}

/// Value, first and second derivative of `f: R → R` at `x` (built on `num-dual`'s [`Dual2`]).
///
/// ```
/// use dualgrad::prelude::*;
/// // f = x^3: f' = 3x^2 = 12, f'' = 6x = 12 at x = 2
/// let (f, d1, d2) = second_derivative(|x| x.powi(3), 2.0);
/// assert_eq!((f, d1, d2), (8.0, 12.0, 12.0));
/// ```
#[inline]
pub fn second_derivative<T: Scalar>(f: impl FnOnce(Dual2<T>) -> Dual2<T>, x: T) -> (T, T, T) {
    let r = f(Dual2::new(x, T::one(), T::zero()));
    (r.re, r.v1, r.v2)
}
