//! num-traits' `Float`, `FloatConst`, `NumCast` and `ToPrimitive` for [`Jet`], at every nesting
//! depth, so functions written over `T: Float` in other crates differentiate unchanged.
//!
//! There is deliberately no `From<Jet> for f64` (nor `Into<f64>`): code that converts to `f64`
//! internally would compile and silently lose the derivatives. For the same reason
//! `ToPrimitive` (which `Float` requires) answers only for a *constant* jet, whose derivative
//! parts are all zero and which an `f64` therefore represents exactly; for any other jet it
//! returns `None`, so a conversion fails loudly instead of dropping derivatives.

use super::Jet;
use crate::{AnyScalar, Precision};
use nalgebra::{ComplexField, RealField};
use num_dual::{DualNum, DualStruct};
use num_traits::{Float, FloatConst, NumCast, Signed, ToPrimitive, Zero};
use std::num::FpCategory;

impl<T: AnyScalar, const N: usize, const S: bool> Jet<T, N, S> {
    /// The value as an `f64` if no derivative part (at any depth) is nonzero. (For a
    /// non-finite value only the outermost derivative parts can be looked at.)
    fn exact_f64(&self) -> Option<f64> {
        let v = DualStruct::re(self);
        let inner_constant = !Float::is_finite(v) || (self.re - T::from(v)).is_zero();
        (inner_constant && self.eps.iter().all(T::is_zero)).then_some(v.widen())
    }
}

/// Exact conversions only: `Some` for a constant jet, `None` when a derivative would be lost.
///
/// ```
/// use dualgrad::Jet;
/// use num_traits::ToPrimitive;
/// assert_eq!(Jet::<f64, 1>::constant(2.0).to_f64(), Some(2.0));
/// assert_eq!(Jet::<f64, 1>::variable(2.0, 0).to_f64(), None);
/// ```
impl<T: AnyScalar, const N: usize, const S: bool> ToPrimitive for Jet<T, N, S> {
    #[inline]
    fn to_i64(&self) -> Option<i64> {
        self.exact_f64().and_then(|v| v.to_i64())
    }
    #[inline]
    fn to_u64(&self) -> Option<u64> {
        self.exact_f64().and_then(|v| v.to_u64())
    }
    #[inline]
    fn to_f64(&self) -> Option<f64> {
        self.exact_f64()
    }
}

/// A number becomes a constant jet.
impl<T: AnyScalar, const N: usize, const S: bool> NumCast for Jet<T, N, S> {
    #[inline]
    fn from<P: ToPrimitive>(n: P) -> Option<Self> {
        n.to_f64()
            .map(|v| Self::lifted(T::from(T::Primitive::of(v))))
    }
}

/// A constant of the primitive, lifted.
macro_rules! float_constants {
    ($($name:ident),* $(,)?) => {$(
        #[inline]
        fn $name() -> Self {
            Self::lifted(T::from(<T::Primitive as FloatConst>::$name()))
        }
    )*};
}

impl<T: AnyScalar, const N: usize, const S: bool> FloatConst for Jet<T, N, S> {
    float_constants!(
        E,
        FRAC_1_PI,
        FRAC_1_SQRT_2,
        FRAC_2_PI,
        FRAC_2_SQRT_PI,
        FRAC_PI_2,
        FRAC_PI_3,
        FRAC_PI_4,
        FRAC_PI_6,
        FRAC_PI_8,
        LN_10,
        LN_2,
        LOG10_E,
        LOG2_E,
        PI,
        SQRT_2,
        TAU,
        LOG10_2,
        LOG2_10,
    );
}

/// `fn name(self) -> Self`, forwarding to the one implementation of the rule.
macro_rules! forward {
    ($($name:ident),* $(,)?) => {$(
        #[inline]
        fn $name(self) -> Self {
            ComplexField::$name(self)
        }
    )*};
}

/// `fn name() -> Self`: a special value of the primitive, lifted.
macro_rules! special {
    ($($name:ident = $v:ident),* $(,)?) => {$(
        #[inline]
        fn $name() -> Self {
            Self::lifted(T::from(<T::Primitive as Float>::$v()))
        }
    )*};
}

/// `Float` with the derivative rules of `ComplexField`; predicates and classification look at
/// the value, the rounding functions are piecewise constant.
///
/// ```
/// use dualgrad::gradient;
/// use nalgebra::SVector;
/// use num_traits::Float;
///
/// // Written over num-traits' Float, in any crate:
/// fn f<F: Float>(x: &[F]) -> F {
///     x[0].powi(2) * x[1].exp()
/// }
/// let (v, g) = gradient(|x| f(x.as_slice()), &SVector::from([3.0, 0.0]));
/// assert_eq!((v, g), (9.0, SVector::from([6.0, 9.0])));
/// ```
impl<T: AnyScalar, const N: usize, const S: bool> Float for Jet<T, N, S> {
    special!(
        nan = nan,
        infinity = infinity,
        neg_infinity = neg_infinity,
        neg_zero = neg_zero,
        min_value = min_value,
        min_positive_value = min_positive_value,
        max_value = max_value,
        epsilon = epsilon,
    );
    forward!(
        floor, ceil, round, trunc, fract, recip, sqrt, exp, exp2, ln, log2, log10, cbrt, sin, cos,
        tan, asin, acos, atan, exp_m1, ln_1p, sinh, cosh, tanh, asinh, acosh, atanh, signum,
    );
    #[inline]
    fn is_nan(self) -> bool {
        DualStruct::re(&self).is_nan()
    }
    #[inline]
    fn is_infinite(self) -> bool {
        DualStruct::re(&self).is_infinite()
    }
    #[inline]
    fn is_finite(self) -> bool {
        DualStruct::re(&self).is_finite()
    }
    #[inline]
    fn is_normal(self) -> bool {
        DualStruct::re(&self).is_normal()
    }
    #[inline]
    fn classify(self) -> FpCategory {
        DualStruct::re(&self).classify()
    }
    #[inline]
    fn abs(self) -> Self {
        Signed::abs(&self)
    }
    #[inline]
    fn is_sign_positive(self) -> bool {
        RealField::is_sign_positive(&self)
    }
    #[inline]
    fn is_sign_negative(self) -> bool {
        RealField::is_sign_negative(&self)
    }
    #[inline]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self * a + b
    }
    #[inline]
    fn powi(self, n: i32) -> Self {
        DualNum::powi(&self, n)
    }
    #[inline]
    fn powf(self, n: Self) -> Self {
        ComplexField::powf(self, n)
    }
    #[inline]
    fn log(self, base: Self) -> Self {
        ComplexField::log(self, base)
    }
    #[inline]
    fn max(self, other: Self) -> Self {
        RealField::max(self, other)
    }
    #[inline]
    fn min(self, other: Self) -> Self {
        RealField::min(self, other)
    }
    #[inline]
    fn clamp(self, min: Self, max: Self) -> Self {
        RealField::clamp(self, min, max)
    }
    #[inline]
    fn abs_sub(self, other: Self) -> Self {
        if self.re > other.re {
            self - other
        } else {
            Self::zero()
        }
    }
    #[inline]
    fn hypot(self, other: Self) -> Self {
        ComplexField::hypot(self, other)
    }
    #[inline]
    fn atan2(self, other: Self) -> Self {
        RealField::atan2(self, other)
    }
    #[inline]
    fn sin_cos(self) -> (Self, Self) {
        DualNum::sin_cos(&self)
    }
    #[inline]
    fn to_degrees(self) -> Self {
        self * T::Primitive::of(180.0 / std::f64::consts::PI)
    }
    #[inline]
    fn to_radians(self) -> Self {
        self * T::Primitive::of(std::f64::consts::PI / 180.0)
    }
    #[inline]
    fn copysign(self, sign: Self) -> Self {
        RealField::copysign(self, sign)
    }
    /// The decomposition of the value.
    #[inline]
    fn integer_decode(self) -> (u64, i16, i8) {
        Float::integer_decode(DualStruct::re(&self))
    }
}
