//! nalgebra's scalar traits for [`Jet`]: `SimdValue`, `Field`, the `approx` comparisons,
//! `SubsetOf`/`SupersetOf`, `ComplexField` and `RealField`, at every nesting depth.
//!
//! With them a `Jet` is a `RealField`, so nalgebra's norms, decompositions, inverses,
//! determinants and eigenvalues run on jets and carry derivatives of every order. Comparisons
//! (`relative_eq`, `max`, `clamp`) look at the real part only, exactly as `PartialOrd` does, so
//! iterative algorithms take on a `Jet` the same branches and iteration counts as on `f64`.
//! Rounding functions (`floor`, `round`, ...) are piecewise constant: their value is rounded and
//! their derivative is zero.

// `SimdValue` declares two `unsafe fn`s (unchecked lane access). A `Jet` has one lane, so both
// forward to the checked, safe versions; no unsafe operation is performed anywhere. (The crate's
// one other `unsafe` is the AVX2 dispatch call in src/jet/wide.rs.)
#![allow(unsafe_code)]

use super::Jet;
use crate::AnyScalar;
use nalgebra::{ComplexField, Field, RealField, SimdValue};
use num_dual::{DualNum, DualStruct};
use num_traits::{One, Signed, Zero};
use simba::scalar::{SubsetOf, SupersetOf};
use std::array;

impl<T: AnyScalar, const N: usize, const S: bool> SimdValue for Jet<T, N, S> {
    const LANES: usize = 1;
    type Element = Self;
    type SimdBool = bool;

    #[inline]
    fn splat(val: Self) -> Self {
        val
    }
    #[inline]
    fn extract(&self, _: usize) -> Self {
        *self
    }
    #[inline]
    unsafe fn extract_unchecked(&self, i: usize) -> Self {
        self.extract(i)
    }
    #[inline]
    fn replace(&mut self, _: usize, val: Self) {
        *self = val;
    }
    #[inline]
    unsafe fn replace_unchecked(&mut self, i: usize, val: Self) {
        self.replace(i, val);
    }
    #[inline]
    fn select(self, cond: bool, other: Self) -> Self {
        if cond { self } else { other }
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Field for Jet<T, N, S> {}

/// Compares the real parts, like `PartialEq`.
impl<T: AnyScalar, const N: usize, const S: bool> approx::AbsDiffEq for Jet<T, N, S> {
    type Epsilon = Self;
    #[inline]
    fn default_epsilon() -> Self {
        Self::lifted(T::default_epsilon())
    }
    #[inline]
    fn abs_diff_eq(&self, other: &Self, epsilon: Self) -> bool {
        self.re.abs_diff_eq(&other.re, epsilon.re)
    }
}

/// Compares the real parts, like `PartialEq`.
impl<T: AnyScalar, const N: usize, const S: bool> approx::RelativeEq for Jet<T, N, S> {
    #[inline]
    fn default_max_relative() -> Self {
        Self::lifted(T::default_max_relative())
    }
    #[inline]
    fn relative_eq(&self, other: &Self, epsilon: Self, max_relative: Self) -> bool {
        self.re.relative_eq(&other.re, epsilon.re, max_relative.re)
    }
}

/// Compares the real parts, like `PartialEq`.
impl<T: AnyScalar, const N: usize, const S: bool> approx::UlpsEq for Jet<T, N, S> {
    #[inline]
    fn default_max_ulps() -> u32 {
        T::default_max_ulps()
    }
    #[inline]
    fn ulps_eq(&self, other: &Self, epsilon: Self, max_ulps: u32) -> bool {
        self.re.ulps_eq(&other.re, epsilon.re, max_ulps)
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> SubsetOf<Self> for Jet<T, N, S> {
    #[inline]
    fn to_superset(&self) -> Self {
        *self
    }
    #[inline]
    fn from_superset_unchecked(element: &Self) -> Self {
        *element
    }
    #[inline]
    fn is_in_subset(_: &Self) -> bool {
        true
    }
}

/// A plain number embeds as a constant. The way back gives the value: nalgebra converts only
/// control quantities to `f64` (norm estimates that choose a Padé degree or an iteration count),
/// which must not depend on derivatives.
macro_rules! superset_of_float {
    ($($f:ty),*) => {$(
        impl<T: AnyScalar, const N: usize, const S: bool> SupersetOf<$f> for Jet<T, N, S> {
            #[inline]
            fn is_in_subset(&self) -> bool {
                SupersetOf::<$f>::is_in_subset(&self.re)
            }
            #[inline]
            fn to_subset_unchecked(&self) -> $f {
                self.re.to_subset_unchecked()
            }
            #[inline]
            fn from_subset(element: &$f) -> Self {
                Self::lifted(T::from_subset(element))
            }
        }
    )*};
}
superset_of_float!(f32, f64);

impl<T: AnyScalar, const N: usize, const S: bool> Jet<T, N, S> {
    /// A piecewise-constant function of the value: the result has every derivative zero.
    #[inline]
    fn flat(self, f: impl Fn(T) -> T) -> Self {
        Self::lifted(f(self.re))
    }

    /// `selfⁿ` for a jet exponent: `d(xⁿ) = n xⁿ⁻¹ dx + xⁿ ln(x) dn`, each term only where its
    /// tangent is nonzero, so a constant exponent costs and behaves exactly like `powf(f64)`.
    fn pow_jet(self, n: Self) -> Self {
        if n.eps.iter().all(T::is_zero) {
            if n.re.is_zero() {
                return Self::one();
            }
            if n.re.is_one() {
                return self;
            }
            let v = ComplexField::powf(self.re, n.re);
            let d = if !DualStruct::re(&self.re).is_zero() {
                v * n.re / self.re
            } else {
                ComplexField::powf(self.re, n.re - T::one()) * n.re
            };
            return self.chain(v, d);
        }
        let v = ComplexField::powf(self.re, n.re);
        let dx = self.chain(v, n.re * ComplexField::powf(self.re, n.re - T::one()));
        // ∂(xⁿ)/∂n = xⁿ ln x, which is 0 where xⁿ is (x = 0, n > 0), not 0 · (−∞)
        let log_v = if DualStruct::re(&v).is_zero() {
            T::zero()
        } else {
            ComplexField::ln(self.re) * v
        };
        Self {
            re: v,
            eps: array::from_fn(|i| {
                if n.eps[i].is_zero() {
                    dx.eps[i]
                } else {
                    dx.eps[i] + n.eps[i] * log_v
                }
            }),
        }
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> ComplexField for Jet<T, N, S> {
    type RealField = Self;

    #[inline]
    fn from_real(re: Self) -> Self {
        re
    }
    #[inline]
    fn real(self) -> Self {
        self
    }
    #[inline]
    fn imaginary(self) -> Self {
        Self::zero()
    }
    #[inline]
    fn modulus(self) -> Self {
        Signed::abs(&self)
    }
    #[inline]
    fn modulus_squared(self) -> Self {
        self * self
    }
    /// `0` for a non-negative value, `π` for a negative one (constant).
    #[inline]
    fn argument(self) -> Self {
        self.flat(ComplexField::argument)
    }
    #[inline]
    fn norm1(self) -> Self {
        Signed::abs(&self)
    }
    #[inline]
    fn scale(self, factor: Self) -> Self {
        self * factor
    }
    #[inline]
    fn unscale(self, factor: Self) -> Self {
        self / factor
    }
    #[inline]
    fn floor(self) -> Self {
        self.flat(ComplexField::floor)
    }
    #[inline]
    fn ceil(self) -> Self {
        self.flat(ComplexField::ceil)
    }
    #[inline]
    fn round(self) -> Self {
        self.flat(ComplexField::round)
    }
    #[inline]
    fn trunc(self) -> Self {
        self.flat(ComplexField::trunc)
    }
    /// `x − trunc(x)`: derivative 1.
    #[inline]
    fn fract(self) -> Self {
        self - ComplexField::trunc(self)
    }
    #[inline]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self * a + b
    }
    #[inline]
    fn abs(self) -> Self {
        Signed::abs(&self)
    }
    /// `√(x² + y²)` without overflow; at `x = y = 0` the derivative is taken as `0`, as for the
    /// norm.
    #[inline]
    fn hypot(self, other: Self) -> Self {
        let r = ComplexField::hypot(self.re, other.re);
        if r.is_zero() {
            return Self::lifted(r);
        }
        let (cx, cy) = (self.re / r, other.re / r);
        Self {
            re: r,
            eps: array::from_fn(|i| self.eps[i] * cx + other.eps[i] * cy),
        }
    }
    #[inline]
    fn recip(self) -> Self {
        DualNum::recip(&self)
    }
    #[inline]
    fn conjugate(self) -> Self {
        self
    }
    #[inline]
    fn sin(self) -> Self {
        DualNum::sin(&self)
    }
    #[inline]
    fn cos(self) -> Self {
        DualNum::cos(&self)
    }
    #[inline]
    fn sin_cos(self) -> (Self, Self) {
        DualNum::sin_cos(&self)
    }
    #[inline]
    fn tan(self) -> Self {
        DualNum::tan(&self)
    }
    #[inline]
    fn asin(self) -> Self {
        DualNum::asin(&self)
    }
    #[inline]
    fn acos(self) -> Self {
        DualNum::acos(&self)
    }
    #[inline]
    fn atan(self) -> Self {
        DualNum::atan(&self)
    }
    #[inline]
    fn sinh(self) -> Self {
        DualNum::sinh(&self)
    }
    #[inline]
    fn cosh(self) -> Self {
        DualNum::cosh(&self)
    }
    #[inline]
    fn tanh(self) -> Self {
        DualNum::tanh(&self)
    }
    #[inline]
    fn asinh(self) -> Self {
        DualNum::asinh(&self)
    }
    #[inline]
    fn acosh(self) -> Self {
        DualNum::acosh(&self)
    }
    #[inline]
    fn atanh(self) -> Self {
        DualNum::atanh(&self)
    }
    #[inline]
    fn log(self, base: Self) -> Self {
        DualNum::ln(&self) / DualNum::ln(&base)
    }
    #[inline]
    fn log2(self) -> Self {
        DualNum::log2(&self)
    }
    #[inline]
    fn log10(self) -> Self {
        DualNum::log10(&self)
    }
    #[inline]
    fn ln(self) -> Self {
        DualNum::ln(&self)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        DualNum::ln_1p(&self)
    }
    #[inline]
    fn sqrt(self) -> Self {
        DualNum::sqrt(&self)
    }
    #[inline]
    fn exp(self) -> Self {
        DualNum::exp(&self)
    }
    #[inline]
    fn exp2(self) -> Self {
        DualNum::exp2(&self)
    }
    #[inline]
    fn exp_m1(self) -> Self {
        DualNum::exp_m1(&self)
    }
    #[inline]
    fn powi(self, n: i32) -> Self {
        DualNum::powi(&self, n)
    }
    #[inline]
    fn powf(self, n: Self) -> Self {
        self.pow_jet(n)
    }
    #[inline]
    fn powc(self, n: Self) -> Self {
        self.pow_jet(n)
    }
    #[inline]
    fn cbrt(self) -> Self {
        DualNum::cbrt(&self)
    }
    /// Whether the value is finite (the derivatives are not looked at, as for branching).
    #[inline]
    fn is_finite(&self) -> bool {
        self.re.is_finite()
    }
    #[inline]
    fn try_sqrt(self) -> Option<Self> {
        if DualStruct::re(&self.re) >= T::Primitive::zero() {
            Some(DualNum::sqrt(&self))
        } else {
            None
        }
    }
    #[inline]
    fn signum(self) -> Self {
        Signed::signum(&self)
    }
}

/// A constant of the inner type, lifted.
macro_rules! real_constants {
    ($($name:ident),*) => {$(
        #[inline]
        fn $name() -> Self {
            Self::lifted(T::$name())
        }
    )*};
}

impl<T: AnyScalar, const N: usize, const S: bool> RealField for Jet<T, N, S> {
    #[inline]
    fn is_sign_positive(&self) -> bool {
        self.re.is_sign_positive()
    }
    #[inline]
    fn is_sign_negative(&self) -> bool {
        self.re.is_sign_negative()
    }
    #[inline]
    fn copysign(self, sign: Self) -> Self {
        let a = Signed::abs(&self);
        if sign.re.is_sign_positive() { a } else { -a }
    }
    /// The larger by real part, as [`f64::max`]: a NaN argument is ignored (NaN only when both
    /// are NaN); the derivative follows the winner; on a tie, `self`.
    #[inline]
    fn max(self, other: Self) -> Self {
        if other.re > self.re || num_traits::Float::is_nan(DualStruct::re(&self)) {
            other
        } else {
            self
        }
    }
    /// The smaller by real part, as [`f64::min`]: a NaN argument is ignored; the derivative
    /// follows the winner; on a tie, `self`.
    #[inline]
    fn min(self, other: Self) -> Self {
        if other.re < self.re || num_traits::Float::is_nan(DualStruct::re(&self)) {
            other
        } else {
            self
        }
    }
    #[inline]
    fn clamp(self, min: Self, max: Self) -> Self {
        if self.re < min.re {
            min
        } else if self.re > max.re {
            max
        } else {
            self
        }
    }
    #[inline]
    fn atan2(self, other: Self) -> Self {
        DualNum::atan2(&self, other)
    }
    #[inline]
    fn min_value() -> Option<Self> {
        T::min_value().map(Self::lifted)
    }
    #[inline]
    fn max_value() -> Option<Self> {
        T::max_value().map(Self::lifted)
    }
    real_constants!(
        pi,
        two_pi,
        frac_pi_2,
        frac_pi_3,
        frac_pi_4,
        frac_pi_6,
        frac_pi_8,
        frac_1_pi,
        frac_2_pi,
        frac_2_sqrt_pi,
        e,
        log2_e,
        log10_e,
        ln_2,
        ln_10
    );
}
