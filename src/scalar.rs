//! The one bound that user code is written against.

use nalgebra::RealField;
use num_dual::{DualNum, DualStruct};

/// A real scalar that models and functions are written against, once, generically.
///
/// `Scalar` is satisfied by `f64` (plain evaluation), by dualgrad's own [`Jet`](crate::Jet)
/// (the engine behind [`gradient`](crate::gradient) and friends) nested to any depth, and by the
/// `num-dual` types whose primitive is `f64` and that implement nalgebra's `RealField`:
/// [`Dual64`](num_dual::Dual64), [`DualSVec64<N>`](num_dual::DualSVec64),
/// [`Dual2_64`](num_dual::Dual2_64), [`Dual2SVec64<N>`](num_dual::Dual2SVec64) and
/// [`HyperDual64`](num_dual::HyperDual64). num-dual's *nested* duals (`Dual<Dual64>`,
/// `Dual<Jet<f64, 2>>`) are no longer `Scalar`: num-dual implements `RealField` only over `f32`
/// and `f64`. Nest [`Jet`](crate::Jet)s instead (`Jet<Jet<f64, N>, N>`, or `Jet<Dual64, N>`).
///
/// It is blanket-implemented: never implement it by hand. The bound gives:
/// - arithmetic with itself and with `f64` on the right (`x * 2.0`, `x + 1.0`); constants and
///   data should enter as `f64`, which is cheaper than lifting them to duals;
/// - **one method vocabulary**, nalgebra's [`ComplexField`](nalgebra::ComplexField) and
///   [`RealField`]: `exp`, `ln`, `sqrt`, `powi`, `sin`, `tanh`, `atan2`, `max`, `min`, `abs`,
///   `hypot`, ... called as methods (`x.exp()`), never ambiguous. `powf` takes an exponent of the
///   same type, as in nalgebra: write `x.powf(T::lift(0.5))`;
/// - comparisons by the real part, so code branches exactly as it would on `f64`;
/// - all of nalgebra on `SVector<T, N>` and `SMatrix<T, R, C>`: arithmetic, `dot`, `norm`,
///   `normalize`, `determinant`, `try_inverse`, `cholesky`, `lu`, `qr`, `symmetric_eigen`,
///   matrix `exp`, `amax`, ... and they differentiate at every order. The norm at the origin has
///   gradient `0`. To keep data in `f64` inside matrix code, see [`MixedOps`](crate::linalg::MixedOps).
///
/// ```
/// use dualgrad::{Scalar, gradient};
/// use nalgebra::SVector;
///
/// // Written once: runs on f64 and on duals.
/// fn energy<T: Scalar>(x: &SVector<T, 2>) -> T {
///     x[0] * x[0] * 3.0 + x[1].sin()
/// }
///
/// let x = SVector::from([2.0, 0.0]);
/// assert_eq!(energy(&x), 12.0);
/// let (f, g) = gradient(|x| energy(x), &x);
/// assert_eq!(f, 12.0);
/// assert_eq!(g, SVector::from([12.0, 1.0])); // d/dx 3x^2 = 6x = 12, d/dy sin y = cos 0 = 1
///
/// // nalgebra's linear algebra in the same generic code: ∇‖x‖ = x / ‖x‖
/// let (n, g) = gradient(|x| x.norm(), &SVector::from([3.0, 4.0]));
/// assert_eq!(n, 5.0);
/// assert!((g - SVector::from([0.6, 0.8])).amax() < 1e-15);
/// ```
pub trait Scalar: DualNum<Primitive = f64> + RealField + Copy + Send + Sync + 'static {
    /// Lift an `f64` constant into this scalar type, with every derivative part zero.
    ///
    /// ```
    /// use dualgrad::{Jet, Scalar};
    /// let c = Jet::<f64, 2>::lift(1.5);
    /// assert_eq!((c.re, c.eps), (1.5, [0.0, 0.0]));
    /// assert_eq!(f64::lift(1.5), 1.5);
    /// ```
    #[inline]
    fn lift(c: f64) -> Self {
        <Self as From<f64>>::from(c)
    }

    /// The real part (the plain value, all derivative parts dropped).
    ///
    /// ```
    /// use dualgrad::{Jet, Scalar};
    /// assert_eq!(Jet::new(2.5, [1.0, 0.0]).value(), 2.5);
    /// assert_eq!(2.5_f64.value(), 2.5);
    /// ```
    #[inline]
    fn value(&self) -> f64 {
        DualStruct::re(self)
    }

    /// The larger of two values, compared by real part (the derivative follows the winner).
    ///
    /// Follows [`f64::max`]: a NaN argument is ignored (`max(NaN, 1) = 1`), NaN only when both
    /// are NaN; on a tie (including `-0.0` against `0.0`) it returns `a`. The conventions of
    /// every scalar type are listed in the README's "Reliability" section.
    ///
    /// An associated function, not a method, so that `x.max(y)` in generic code means
    /// nalgebra's [`RealField::max`] alone (one vocabulary, never ambiguous); on `f64` and
    /// `Jet` the two agree. Call it as `Scalar::max(a, b)`.
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// assert_eq!(Scalar::max(1.0_f64, 3.0), 3.0);
    /// assert_eq!(Scalar::max(f64::NAN, 1.0), 1.0); // as f64::max
    /// assert_eq!(Scalar::max(1.0, f64::NAN), 1.0);
    /// ```
    #[inline]
    fn max(a: Self, b: Self) -> Self {
        if b.value() > a.value() || a.value().is_nan() {
            b
        } else {
            a
        }
    }

    /// The smaller of two values, compared by real part (the derivative follows the winner).
    ///
    /// Follows [`f64::min`]: a NaN argument is ignored (`min(NaN, 1) = 1`), NaN only when both
    /// are NaN; on a tie it returns `a`. An associated function, as [`Scalar::max`].
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// assert_eq!(Scalar::min(1.0_f64, 3.0), 1.0);
    /// assert_eq!(Scalar::min(f64::NAN, 1.0), 1.0); // as f64::min
    /// ```
    #[inline]
    fn min(a: Self, b: Self) -> Self {
        if b.value() < a.value() || a.value().is_nan() {
            b
        } else {
            a
        }
    }
}

impl<T: DualNum<Primitive = f64> + RealField + Copy + Send + Sync + 'static> Scalar for T {}
