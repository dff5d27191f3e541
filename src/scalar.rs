//! The one bound that user code is written against.

use num_dual::DualNum;

/// A real scalar that models and functions are written against, once, generically.
///
/// `Scalar` is satisfied by `f64` (plain evaluation), by dualgrad's own [`Jet`](crate::Jet)
/// (the engine behind [`gradient`](crate::gradient) and friends), and by every `num-dual` type
/// whose primitive is `f64` and that is `Copy`: [`Dual64`](num_dual::Dual64),
/// [`DualSVec64<N>`](num_dual::DualSVec64), [`Dual2SVec64<N>`](num_dual::Dual2SVec64),
/// [`HyperDual64`](num_dual::HyperDual64) and nested duals such as `Dual<Dual64, f64>`.
///
/// It is blanket-implemented: never implement it by hand. The bound gives:
/// - arithmetic with itself and with `f64` on the right (`x * 2.0`, `x + 1.0`); constants and
///   data should enter as `f64`, which is cheaper than lifting them to duals;
/// - the elementary functions of [`DualNum`] (`exp`, `ln`, `sqrt`, `powi`, `powf`, `sin`,
///   `tanh`, `atan2`, ...), called as methods;
/// - comparisons by the real part, so code branches exactly as it would on `f64`;
/// - everything `nalgebra` needs for matrix arithmetic (`+`, `-`, `*`, `dot`, `transpose`,
///   `sum`, `map`) on `SVector<T, N>` and `SMatrix<T, R, C>`. Not `norm()` or decompositions,
///   which need nalgebra's `RealField` (most dual types cannot implement it): write
///   `x.dot(x).sqrt()` for a norm.
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
/// ```
pub trait Scalar: DualNum<Primitive = f64> + Copy + Send + Sync + 'static {
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
        Self::from(c)
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
        self.re()
    }

    /// The larger of two values, compared by real part (the derivative follows the winner).
    ///
    /// Follows [`f64::max`]: a NaN argument is ignored (`max(NaN, 1) = 1`), NaN only when both
    /// are NaN; on a tie (including `-0.0` against `0.0`) it returns `self`. The conventions of
    /// every scalar type are listed in the README's "Reliability" section.
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// assert_eq!(Scalar::max(1.0_f64, 3.0), 3.0);
    /// assert_eq!(Scalar::max(f64::NAN, 1.0), 1.0); // as f64::max
    /// assert_eq!(Scalar::max(1.0, f64::NAN), 1.0);
    /// ```
    #[inline]
    fn max(self, other: Self) -> Self {
        if other.re() > self.re() || self.re().is_nan() {
            other
        } else {
            self
        }
    }

    /// The smaller of two values, compared by real part (the derivative follows the winner).
    ///
    /// Follows [`f64::min`]: a NaN argument is ignored (`min(NaN, 1) = 1`), NaN only when both
    /// are NaN; on a tie it returns `self`.
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// assert_eq!(Scalar::min(1.0_f64, 3.0), 1.0);
    /// assert_eq!(Scalar::min(f64::NAN, 1.0), 1.0); // as f64::min
    /// ```
    #[inline]
    fn min(self, other: Self) -> Self {
        if other.re() < self.re() || self.re().is_nan() {
            other
        } else {
            self
        }
    }
}

impl<T: DualNum<Primitive = f64> + Copy + Send + Sync + 'static> Scalar for T {}
