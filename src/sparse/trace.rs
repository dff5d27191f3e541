//! [`Trace`]: a [`Scalar`] that records which inputs each value depends on, and how.
//!
//! A `Trace` is a value (`f64`, computed exactly as on `f64`) and a handle to a node of a
//! per-thread tape. The tape holds, for every operation whose result depends on an input, the
//! kind of operation and its one or two operands: a linear combination (`+`, `−`, scaling by a
//! constant: no second derivative), a product (`u v`: the cross terms `∇u ∇vᵀ`), a quotient, or a
//! nonlinear function of its operands (`sin u`, `uᵛ`: every pair of their inputs may interact).
//! Constants have no node, so operations among constants and data cost nothing on the tape.
//! [`jacobian_pattern`](super::jacobian_pattern) and [`hessian_pattern`](super::hessian_pattern)
//! read the tape afterwards.
//!
//! **Branches follow the values.** Comparisons, `max`, `min`, `clamp` and `abs` look at the
//! value, exactly as on `f64` and on [`Jet`](crate::Jet): the pattern is that of the branch taken
//! at the traced point. Code that takes other branches elsewhere must be traced at a point of
//! each branch (and the patterns merged with [`union`](super::union)). `abs`, `max` and friends
//! are piecewise linear: they carry first-order dependence and no second-order interaction,
//! exactly as their derivatives do away from the kinks. Rounding (`floor`, `round`, `signum`)
//! has derivative zero and gives a constant.

// nalgebra's `SimdValue` declares two `unsafe fn`s (unchecked lane access). A `Trace` has one
// lane, so both forward to the checked, safe versions; no unsafe operation is performed.
#![allow(unsafe_code)]

use crate::scalar::parts::Parts;
use nalgebra::{ComplexField, Field, RealField, SimdValue};
use num_dual::{DualNum, DualStruct, Mappable};
use num_traits::{FromPrimitive, Inv, Num, One, Signed, Zero};
use simba::scalar::{SubsetOf, SupersetOf};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt;
use std::iter::{Product, Sum};
use std::ops::{
    Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Rem, RemAssign, Sub, SubAssign,
};

/// The handle of a value that depends on no input.
pub(crate) const NONE: u32 = u32::MAX;

/// How a node's value was computed from its operands (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// An input variable (its index is its node number).
    Input,
    /// A linear combination of the operands: first-order dependence only.
    Linear,
    /// `a · b`: the pairs of (inputs of `a`) × (inputs of `b`) interact.
    Mul,
    /// `a / b`: (inputs of `a`) × (inputs of `b`), and (inputs of `b`)² interact.
    Div,
    /// A nonlinear function of `a` (and `b`, if any): every pair of their inputs interacts.
    Nonlinear,
}

/// One operation on the tape.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    pub(crate) op: Op,
    pub(crate) a: u32,
    pub(crate) b: u32,
}

/// The tape of the current thread, and whether a tracing run is using it.
#[derive(Default)]
pub(crate) struct Tape {
    pub(crate) nodes: Vec<Node>,
    pub(crate) active: bool,
}

thread_local! {
    pub(crate) static TAPE: RefCell<Tape> = RefCell::new(Tape::default());
}

/// Records a node and returns its handle.
///
/// # Panics
/// If the tape holds `u32::MAX − 1` nodes (four billion operations on inputs in one traced call).
fn push(op: Op, a: u32, b: u32) -> u32 {
    TAPE.with(|t| {
        let mut t = t.borrow_mut();
        let id = u32::try_from(t.nodes.len())
            .ok()
            .filter(|&id| id != NONE)
            .expect("a traced function recorded more than 2³² − 2 operations on its inputs");
        t.nodes.push(Node { op, a, b });
        id
    })
}

/// A value and the handle of its node on the tape: the pattern-tracing scalar.
///
/// Built by the pattern functions of [`sparse`](super) for the inputs of the function they
/// trace; constants (`Trace::from(2.0)`, [`Scalar::lift`](crate::Scalar::lift)) depend on no
/// input. Arithmetic on it computes the same values as `f64` and records what depends on what.
/// It is a [`Scalar`](crate::Scalar) (over `f64`), so any function written over `T: Scalar`
/// runs on it unchanged.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::{Trace, jacobian_pattern};
///
/// fn f<T: Scalar>(x: &[T], y: &mut [T]) {
///     y[0] = x[0] * x[1];
///     y[1] = x[2].sin() + 1.0;
/// }
/// let p = jacobian_pattern(|x: &[Trace], y: &mut [Trace]| f(x, y), &[1.0, 2.0, 3.0], 2);
/// assert_eq!(p.lane(0), &[0, 1]);
/// assert_eq!(p.lane(1), &[2]);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Trace {
    /// The value, as `f64` arithmetic computes it.
    pub value: f64,
    pub(crate) id: u32,
}

impl Trace {
    /// A value that depends on no input.
    #[inline]
    pub fn constant(value: f64) -> Self {
        Self { value, id: NONE }
    }

    /// Whether the value depends on some input.
    #[inline]
    pub fn is_traced(&self) -> bool {
        self.id != NONE
    }

    #[inline]
    pub(crate) fn input(value: f64, id: u32) -> Self {
        Self { value, id }
    }

    /// The same dependence, another value (a linear map of one operand).
    #[inline]
    fn with(self, value: f64) -> Self {
        Self { value, id: self.id }
    }

    /// A nonlinear function of `self`.
    #[inline]
    fn unary(self, value: f64) -> Self {
        let id = if self.id == NONE {
            NONE
        } else {
            push(Op::Nonlinear, self.id, NONE)
        };
        Self { value, id }
    }

    /// A binary operation of kind `op`, where one constant operand makes it `when_one` of the
    /// other (`Linear`: the same node; `Nonlinear`: a nonlinear function of it).
    #[inline]
    fn binary(self, o: Self, value: f64, op: Op) -> Self {
        let id = match (self.id, o.id) {
            (NONE, NONE) => NONE,
            (a, NONE) => match op {
                Op::Nonlinear => push(Op::Nonlinear, a, NONE),
                _ => a,
            },
            (NONE, b) => match op {
                Op::Nonlinear | Op::Div => push(Op::Nonlinear, b, NONE),
                _ => b,
            },
            (a, b) => push(op, a, b),
        };
        Self { value, id }
    }

    /// A nonlinear function of two arguments.
    #[inline]
    fn binary_nonlinear(self, o: Self, value: f64) -> Self {
        self.binary(o, value, Op::Nonlinear)
    }

    /// A piecewise-constant function: derivative zero.
    #[inline]
    fn flat(self, value: f64) -> Self {
        Self::constant(value)
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------------------------

impl Add for Trace {
    type Output = Self;
    #[inline]
    fn add(self, o: Self) -> Self {
        self.binary(o, self.value + o.value, Op::Linear)
    }
}
impl Sub for Trace {
    type Output = Self;
    #[inline]
    fn sub(self, o: Self) -> Self {
        self.binary(o, self.value - o.value, Op::Linear)
    }
}
impl Mul for Trace {
    type Output = Self;
    #[inline]
    fn mul(self, o: Self) -> Self {
        self.binary(o, self.value * o.value, Op::Mul)
    }
}
impl Div for Trace {
    type Output = Self;
    #[inline]
    fn div(self, o: Self) -> Self {
        self.binary(o, self.value / o.value, Op::Div)
    }
}
/// `a % b = a − trunc(a / b) b`: derivative 1 in `a`, piecewise linear in `b`.
impl Rem for Trace {
    type Output = Self;
    #[inline]
    fn rem(self, o: Self) -> Self {
        self.binary(o, self.value % o.value, Op::Linear)
    }
}
impl Neg for Trace {
    type Output = Self;
    #[inline]
    fn neg(self) -> Self {
        self.with(-self.value)
    }
}
impl Neg for &Trace {
    type Output = Trace;
    #[inline]
    fn neg(self) -> Trace {
        -*self
    }
}

/// Operations with a constant on the right: linear in the traced operand.
macro_rules! constant_rhs {
    ($($trait:ident $method:ident $op:tt),*) => {$(
        impl $trait<f64> for Trace {
            type Output = Self;
            #[inline]
            fn $method(self, c: f64) -> Self {
                self.with(self.value $op c)
            }
        }
    )*};
}
constant_rhs!(Add add +, Sub sub -, Mul mul *, Div div /, Rem rem %);

/// `f64 ∘ Trace` for concrete code (`2.0 * x`).
macro_rules! constant_lhs {
    ($($trait:ident $method:ident),*) => {$(
        impl $trait<Trace> for f64 {
            type Output = Trace;
            #[inline]
            fn $method(self, t: Trace) -> Trace {
                Trace::constant(self).$method(t)
            }
        }
    )*};
}
constant_lhs!(Add add, Sub sub, Mul mul, Div div, Rem rem);

/// By-reference forms, forwarding to the by-value operators.
macro_rules! forward_ref {
    ($($trait:ident $method:ident),*) => {$(
        impl $trait<&Trace> for Trace {
            type Output = Trace;
            #[inline]
            fn $method(self, o: &Trace) -> Trace {
                self.$method(*o)
            }
        }
        impl $trait<Trace> for &Trace {
            type Output = Trace;
            #[inline]
            fn $method(self, o: Trace) -> Trace {
                (*self).$method(o)
            }
        }
        impl $trait<&Trace> for &Trace {
            type Output = Trace;
            #[inline]
            fn $method(self, o: &Trace) -> Trace {
                (*self).$method(*o)
            }
        }
    )*};
}
forward_ref!(Add add, Sub sub, Mul mul, Div div, Rem rem);

/// Compound assignment, forwarding to the by-value operator.
macro_rules! assign {
    ($($trait:ident $method:ident $assign_trait:ident $assign_method:ident),*) => {$(
        impl $assign_trait for Trace {
            #[inline]
            fn $assign_method(&mut self, o: Self) {
                *self = (*self).$method(o);
            }
        }
        impl $assign_trait<f64> for Trace {
            #[inline]
            fn $assign_method(&mut self, c: f64) {
                *self = (*self).$method(c);
            }
        }
    )*};
}
assign!(
    Add add AddAssign add_assign,
    Sub sub SubAssign sub_assign,
    Mul mul MulAssign mul_assign,
    Div div DivAssign div_assign,
    Rem rem RemAssign rem_assign
);

// ---------------------------------------------------------------------------------------------
// num-traits and num-dual
// ---------------------------------------------------------------------------------------------

impl From<f64> for Trace {
    #[inline]
    fn from(c: f64) -> Self {
        Self::constant(c)
    }
}

impl Zero for Trace {
    #[inline]
    fn zero() -> Self {
        Self::constant(0.0)
    }
    /// Whether the value is zero and depends on no input.
    #[inline]
    fn is_zero(&self) -> bool {
        self.value == 0.0 && self.id == NONE
    }
}

impl One for Trace {
    #[inline]
    fn one() -> Self {
        Self::constant(1.0)
    }
}

/// Compares the values, as `f64` does.
impl PartialEq for Trace {
    #[inline]
    fn eq(&self, o: &Self) -> bool {
        self.value == o.value
    }
}
impl PartialEq<f64> for Trace {
    #[inline]
    fn eq(&self, c: &f64) -> bool {
        self.value == *c
    }
}
/// Compares the values, as `f64` does.
impl PartialOrd for Trace {
    #[inline]
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&o.value)
    }
}
impl PartialOrd<f64> for Trace {
    #[inline]
    fn partial_cmp(&self, c: &f64) -> Option<Ordering> {
        self.value.partial_cmp(c)
    }
}

impl Num for Trace {
    type FromStrRadixErr = <f64 as Num>::FromStrRadixErr;
    fn from_str_radix(s: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
        f64::from_str_radix(s, radix).map(Self::constant)
    }
}

/// `abs` is piecewise linear: first-order dependence, no second-order interaction.
impl Signed for Trace {
    #[inline]
    fn abs(&self) -> Self {
        self.with(self.value.abs())
    }
    #[inline]
    fn abs_sub(&self, o: &Self) -> Self {
        if self.value <= o.value {
            Self::zero()
        } else {
            *self - *o
        }
    }
    #[inline]
    fn signum(&self) -> Self {
        self.flat(Signed::signum(&self.value))
    }
    #[inline]
    fn is_positive(&self) -> bool {
        self.value.is_sign_positive()
    }
    #[inline]
    fn is_negative(&self) -> bool {
        self.value.is_sign_negative()
    }
}

impl Inv for Trace {
    type Output = Self;
    #[inline]
    fn inv(self) -> Self {
        DualNum::recip(&self)
    }
}

impl Sum for Trace {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::zero(), |a, b| a + b)
    }
}
impl<'a> Sum<&'a Trace> for Trace {
    fn sum<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.copied().sum()
    }
}
impl Product for Trace {
    fn product<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::one(), |a, b| a * b)
    }
}
impl<'a> Product<&'a Trace> for Trace {
    fn product<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.copied().product()
    }
}

impl FromPrimitive for Trace {
    fn from_i64(n: i64) -> Option<Self> {
        f64::from_i64(n).map(Self::constant)
    }
    fn from_u64(n: u64) -> Option<Self> {
        f64::from_u64(n).map(Self::constant)
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(Self::constant(n))
    }
}

impl fmt::Display for Trace {
    /// The value, then `(traced)` when it depends on an input.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_traced() {
            write!(f, "{} (traced)", self.value)
        } else {
            write!(f, "{}", self.value)
        }
    }
}

impl DualStruct for Trace {
    type Real = f64;
    type Inner = f64;
    #[inline]
    fn re(&self) -> f64 {
        self.value
    }
    #[inline]
    fn from_inner(inner: &f64) -> Self {
        Self::constant(*inner)
    }
}

impl Mappable<Self> for Trace {
    type Output<O> = O;
    #[inline]
    fn map_dual<G: Fn(Self) -> O, O>(self, g: G) -> O {
        g(self)
    }
}

/// Nonlinear functions of one argument, by their `f64` values.
macro_rules! unary_by_ref {
    ($($name:ident),*) => {$(
        #[inline]
        fn $name(&self) -> Self {
            self.unary(self.value.$name())
        }
    )*};
}

impl DualNum for Trace {
    type Primitive = f64;
    const NDERIV: usize = 2;
    type InnerDual = f64;

    #[inline]
    fn from_re(re: f64) -> Self {
        Self::constant(re)
    }
    #[inline]
    fn scale(self, factor: &f64) -> Self {
        self * *factor
    }
    #[inline]
    fn mul_add(&self, a: Self, b: Self) -> Self {
        *self * a + b
    }
    #[inline]
    fn recip(&self) -> Self {
        self.unary(self.value.recip())
    }
    #[inline]
    fn powi(&self, n: i32) -> Self {
        match n {
            0 => Self::one(),
            1 => *self,
            _ => self.unary(self.value.powi(n)),
        }
    }
    #[inline]
    fn powf(&self, n: f64) -> Self {
        if n == 0.0 {
            Self::one()
        } else if n == 1.0 {
            *self
        } else {
            self.unary(self.value.powf(n))
        }
    }
    #[inline]
    fn powd(&self, n: Self) -> Self {
        ComplexField::powf(*self, n)
    }
    unary_by_ref!(
        sqrt, cbrt, exp, exp2, exp_m1, ln, log2, log10, ln_1p, sin, cos, tan, asin, acos, atan,
        sinh, cosh, tanh, asinh, acosh, atanh
    );
    #[inline]
    fn log(&self, base: f64) -> Self {
        self.unary(self.value.log(base))
    }
    #[inline]
    fn sin_cos(&self) -> (Self, Self) {
        (DualNum::sin(self), DualNum::cos(self))
    }
    #[inline]
    fn atan2(&self, x: Self) -> Self {
        self.binary_nonlinear(x, self.value.atan2(x.value))
    }
    #[inline]
    fn sph_j0(&self) -> Self {
        self.unary(DualNum::sph_j0(&self.value))
    }
    #[inline]
    fn sph_j1(&self) -> Self {
        self.unary(DualNum::sph_j1(&self.value))
    }
    #[inline]
    fn sph_j2(&self) -> Self {
        self.unary(DualNum::sph_j2(&self.value))
    }
}

/// The crate's NaN-safe product needs nothing special here: a trace has no derivative parts.
impl Parts for Trace {
    #[inline]
    fn add_parts(&self, lanes: &mut [f64; 2]) {
        lanes[0] += self.value;
    }
    #[inline]
    fn safe_mul(self, o: Self) -> Self {
        self * o
    }
    #[inline]
    fn exp_nonpositive(self) -> Self {
        DualNum::exp(&self)
    }
    #[inline]
    fn ln_1p_unit(self) -> Self {
        DualNum::ln_1p(&self)
    }
    #[inline]
    fn ln_at_least_one(self) -> Self {
        DualNum::ln(&self)
    }
}

// ---------------------------------------------------------------------------------------------
// nalgebra's scalar traits
// ---------------------------------------------------------------------------------------------

impl SimdValue for Trace {
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

impl Field for Trace {}

/// Compares the values, like `PartialEq`.
impl approx::AbsDiffEq for Trace {
    type Epsilon = Self;
    fn default_epsilon() -> Self {
        Self::constant(f64::EPSILON)
    }
    fn abs_diff_eq(&self, other: &Self, epsilon: Self) -> bool {
        self.value.abs_diff_eq(&other.value, epsilon.value)
    }
}
/// Compares the values, like `PartialEq`.
impl approx::RelativeEq for Trace {
    fn default_max_relative() -> Self {
        Self::constant(f64::EPSILON)
    }
    fn relative_eq(&self, other: &Self, epsilon: Self, max_relative: Self) -> bool {
        self.value
            .relative_eq(&other.value, epsilon.value, max_relative.value)
    }
}
/// Compares the values, like `PartialEq`.
impl approx::UlpsEq for Trace {
    fn default_max_ulps() -> u32 {
        4
    }
    fn ulps_eq(&self, other: &Self, epsilon: Self, max_ulps: u32) -> bool {
        self.value.ulps_eq(&other.value, epsilon.value, max_ulps)
    }
}

impl SubsetOf<Self> for Trace {
    fn to_superset(&self) -> Self {
        *self
    }
    fn from_superset_unchecked(element: &Self) -> Self {
        *element
    }
    fn is_in_subset(_: &Self) -> bool {
        true
    }
}

/// A plain number embeds as a constant; the way back gives the value.
macro_rules! superset_of_float {
    ($($f:ty),*) => {$(
        impl SupersetOf<$f> for Trace {
            fn is_in_subset(&self) -> bool {
                SupersetOf::<$f>::is_in_subset(&self.value)
            }
            fn to_subset_unchecked(&self) -> $f {
                self.value.to_subset_unchecked()
            }
            fn from_subset(element: &$f) -> Self {
                Self::constant(f64::from_subset(element))
            }
        }
    )*};
}
superset_of_float!(f32, f64);

/// Nonlinear functions of one argument, by value, forwarding to [`DualNum`].
macro_rules! unary_by_value {
    ($($name:ident),*) => {$(
        #[inline]
        fn $name(self) -> Self {
            DualNum::$name(&self)
        }
    )*};
}

/// Piecewise-constant functions: a constant result.
macro_rules! flat {
    ($($name:ident),*) => {$(
        #[inline]
        fn $name(self) -> Self {
            self.flat(ComplexField::$name(self.value))
        }
    )*};
}

impl ComplexField for Trace {
    type RealField = Self;
    fn from_real(re: Self) -> Self {
        re
    }
    fn real(self) -> Self {
        self
    }
    fn imaginary(self) -> Self {
        Self::zero()
    }
    fn modulus(self) -> Self {
        Signed::abs(&self)
    }
    fn modulus_squared(self) -> Self {
        self * self
    }
    fn argument(self) -> Self {
        self.flat(ComplexField::argument(self.value))
    }
    fn norm1(self) -> Self {
        Signed::abs(&self)
    }
    fn scale(self, factor: Self) -> Self {
        self * factor
    }
    fn unscale(self, factor: Self) -> Self {
        self / factor
    }
    flat!(floor, ceil, round, trunc);
    fn fract(self) -> Self {
        self.with(self.value.fract())
    }
    fn mul_add(self, a: Self, b: Self) -> Self {
        self * a + b
    }
    fn abs(self) -> Self {
        Signed::abs(&self)
    }
    fn hypot(self, other: Self) -> Self {
        self.binary_nonlinear(other, self.value.hypot(other.value))
    }
    fn recip(self) -> Self {
        DualNum::recip(&self)
    }
    fn conjugate(self) -> Self {
        self
    }
    unary_by_value!(
        sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, log2, log10, ln,
        ln_1p, sqrt, exp, exp2, exp_m1, cbrt
    );
    fn sin_cos(self) -> (Self, Self) {
        DualNum::sin_cos(&self)
    }
    fn log(self, base: Self) -> Self {
        DualNum::ln(&self) / DualNum::ln(&base)
    }
    fn powi(self, n: i32) -> Self {
        DualNum::powi(&self, n)
    }
    fn powf(self, n: Self) -> Self {
        if n.id == NONE {
            DualNum::powf(&self, n.value)
        } else {
            self.binary_nonlinear(n, self.value.powf(n.value))
        }
    }
    fn powc(self, n: Self) -> Self {
        ComplexField::powf(self, n)
    }
    fn is_finite(&self) -> bool {
        self.value.is_finite()
    }
    fn try_sqrt(self) -> Option<Self> {
        (self.value >= 0.0).then(|| DualNum::sqrt(&self))
    }
    fn signum(self) -> Self {
        Signed::signum(&self)
    }
}

/// A constant, lifted.
macro_rules! real_constants {
    ($($name:ident),*) => {$(
        #[inline]
        fn $name() -> Self {
            Self::constant(<f64 as RealField>::$name())
        }
    )*};
}

impl RealField for Trace {
    fn is_sign_positive(&self) -> bool {
        self.value.is_sign_positive()
    }
    fn is_sign_negative(&self) -> bool {
        self.value.is_sign_negative()
    }
    fn copysign(self, sign: Self) -> Self {
        let a = Signed::abs(&self);
        if sign.value.is_sign_positive() { a } else { -a }
    }
    /// The larger by value, as [`f64::max`] (the dependence follows the winner).
    fn max(self, other: Self) -> Self {
        if other.value > self.value || self.value.is_nan() {
            other
        } else {
            self
        }
    }
    /// The smaller by value, as [`f64::min`] (the dependence follows the winner).
    fn min(self, other: Self) -> Self {
        if other.value < self.value || self.value.is_nan() {
            other
        } else {
            self
        }
    }
    fn clamp(self, min: Self, max: Self) -> Self {
        if self.value < min.value {
            min
        } else if self.value > max.value {
            max
        } else {
            self
        }
    }
    fn atan2(self, other: Self) -> Self {
        DualNum::atan2(&self, other)
    }
    fn min_value() -> Option<Self> {
        Some(Self::constant(f64::MIN))
    }
    fn max_value() -> Option<Self> {
        Some(Self::constant(f64::MAX))
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
