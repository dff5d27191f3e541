//! `AsFloat<T>`: any dualgrad `Scalar` seen through num-traits' `Float`, so a function written
//! over `T: Float` (here, `argmin_testfunctions`) can be the body of a `ScalarFn`, which the
//! gradient checker takes. `Jet` itself implements `Float` (the direct test uses that); this
//! wrapper is needed only because `ScalarFn::eval` is generic over `Scalar`, not `Float`.
#![allow(dead_code)]

use dualgrad::Scalar;
use nalgebra::{ComplexField, RealField};
use num_traits::{Float, FromPrimitive, Num, NumCast, One, ToPrimitive, Zero};
use std::iter::Sum;
use std::num::FpCategory;
use std::ops::{Add, Div, Mul, Neg, Rem, Sub};

#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct AsFloat<T>(pub T);

macro_rules! binop {
    ($($tr:ident $m:ident),*) => {$(
        impl<T: Scalar> $tr for AsFloat<T> {
            type Output = Self;
            fn $m(self, o: Self) -> Self {
                AsFloat(self.0.$m(o.0))
            }
        }
    )*};
}
binop!(Add add, Sub sub, Mul mul, Div div, Rem rem);

impl<T: Scalar> Neg for AsFloat<T> {
    type Output = Self;
    fn neg(self) -> Self {
        AsFloat(-self.0)
    }
}
impl<T: Scalar> Zero for AsFloat<T> {
    fn zero() -> Self {
        AsFloat(T::zero())
    }
    fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}
impl<T: Scalar> One for AsFloat<T> {
    fn one() -> Self {
        AsFloat(T::one())
    }
}
impl<T: Scalar> Num for AsFloat<T> {
    type FromStrRadixErr = <f64 as Num>::FromStrRadixErr;
    fn from_str_radix(s: &str, r: u32) -> Result<Self, Self::FromStrRadixErr> {
        f64::from_str_radix(s, r).map(|v| AsFloat(T::lift(v)))
    }
}
/// Exact only: `Some` when no derivative part is lost.
impl<T: Scalar> ToPrimitive for AsFloat<T> {
    fn to_i64(&self) -> Option<i64> {
        self.to_f64().and_then(|v| v.to_i64())
    }
    fn to_u64(&self) -> Option<u64> {
        self.to_f64().and_then(|v| v.to_u64())
    }
    fn to_f64(&self) -> Option<f64> {
        let v = self.0.value();
        (self.0 - T::lift(v)).is_zero().then_some(v)
    }
}
impl<T: Scalar> NumCast for AsFloat<T> {
    fn from<P: ToPrimitive>(n: P) -> Option<Self> {
        n.to_f64().map(|v| AsFloat(T::lift(v)))
    }
}
impl<T: Scalar> FromPrimitive for AsFloat<T> {
    fn from_i64(n: i64) -> Option<Self> {
        Some(AsFloat(T::lift(n as f64)))
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(AsFloat(T::lift(n as f64)))
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(AsFloat(T::lift(n)))
    }
}
impl<T: Scalar> Sum for AsFloat<T> {
    fn sum<I: Iterator<Item = Self>>(it: I) -> Self {
        it.fold(Self::zero(), |a, b| a + b)
    }
}

macro_rules! unary {
    ($($m:ident),*) => {$(
        fn $m(self) -> Self {
            AsFloat(ComplexField::$m(self.0))
        }
    )*};
}
macro_rules! constant {
    ($($m:ident = $v:expr),*) => {$(
        fn $m() -> Self {
            AsFloat(T::lift($v))
        }
    )*};
}

impl<T: Scalar> Float for AsFloat<T> {
    constant!(
        nan = f64::NAN,
        infinity = f64::INFINITY,
        neg_infinity = f64::NEG_INFINITY,
        neg_zero = -0.0,
        min_value = f64::MIN,
        min_positive_value = f64::MIN_POSITIVE,
        max_value = f64::MAX
    );
    unary!(
        floor, ceil, round, trunc, fract, recip, sqrt, exp, exp2, ln, log2, log10, cbrt, sin, cos,
        tan, asin, acos, atan, exp_m1, ln_1p, sinh, cosh, tanh, asinh, acosh, atanh, signum
    );
    fn is_nan(self) -> bool {
        self.0.value().is_nan()
    }
    fn is_infinite(self) -> bool {
        self.0.value().is_infinite()
    }
    fn is_finite(self) -> bool {
        self.0.value().is_finite()
    }
    fn is_normal(self) -> bool {
        self.0.value().is_normal()
    }
    fn classify(self) -> FpCategory {
        self.0.value().classify()
    }
    fn abs(self) -> Self {
        AsFloat(ComplexField::abs(self.0))
    }
    fn is_sign_positive(self) -> bool {
        self.0.is_sign_positive()
    }
    fn is_sign_negative(self) -> bool {
        self.0.is_sign_negative()
    }
    fn mul_add(self, a: Self, b: Self) -> Self {
        self * a + b
    }
    fn powi(self, n: i32) -> Self {
        AsFloat(ComplexField::powi(self.0, n))
    }
    fn powf(self, n: Self) -> Self {
        AsFloat(ComplexField::powf(self.0, n.0))
    }
    fn log(self, b: Self) -> Self {
        AsFloat(ComplexField::log(self.0, b.0))
    }
    fn max(self, o: Self) -> Self {
        AsFloat(RealField::max(self.0, o.0))
    }
    fn min(self, o: Self) -> Self {
        AsFloat(RealField::min(self.0, o.0))
    }
    fn abs_sub(self, o: Self) -> Self {
        if self > o { self - o } else { Self::zero() }
    }
    fn hypot(self, o: Self) -> Self {
        AsFloat(ComplexField::hypot(self.0, o.0))
    }
    fn atan2(self, o: Self) -> Self {
        AsFloat(RealField::atan2(self.0, o.0))
    }
    fn sin_cos(self) -> (Self, Self) {
        let (s, c) = ComplexField::sin_cos(self.0);
        (AsFloat(s), AsFloat(c))
    }
    fn integer_decode(self) -> (u64, i16, i8) {
        self.0.value().integer_decode()
    }
}
