//! `Jet`: dualgrad's own first-order dual number with a plain `[T; N]` tangent, and products of
//! dual matrices with `f64` data ([`MixedOps`], [`F64Ops`]).
//!
//! `Jet` implements nalgebra's `RealField` and num-traits' `Float` at every nesting depth, so
//! norms, determinants, inverses, Cholesky, LU and QR solves and symmetric eigenvalues work on
//! matrices of jets and differentiate at every order. Data that stays `f64` multiplies dual
//! matrices and vectors without being lifted to duals through [`MixedOps`] (dual matrix × `f64`)
//! and [`F64Ops`] (`f64` matrix × duals), at about a third of the cost of a dual × dual product.
//!
//! A `Jet<T, N>` carries a value and `N` partial derivatives. Its arithmetic is the chain rule
//! written out on fixed-size arrays: no `Option`, no heap, everything `Copy` and inlined, so a
//! gradient of a generic function compiles to straight-line code over `f64`. Nesting
//! (`Jet<Jet<f64, N>, N>`) gives second derivatives; [`hessian`](crate::hessian) uses exactly that.
//!
//! # NaN-safe tangents
//!
//! A zero tangent stays zero even where the local derivative is infinite. For example
//! `∂/∂y (sqrt(x) + y)` at `x = 0` is `1`, and the Euclidean norm at the origin has gradient `0`
//! (the derivative of `sqrt` at `0` is infinite, but the tangent of `x·x` there is exactly zero).
//! Its Hessian there is `∞` on the diagonal and `0` off it (`sqrt(x·x)` in two variables:
//! `[[∞, 0], [0, ∞]]`): `|t|` has a kink along each coordinate, and the chain rule gives
//! `√'(0) · ∂²(x·x)/∂xᵢ² = ∞ · 2` there, while the off-diagonal `∂²(x·x)/∂xᵢ∂xⱼ` is `0`.
//!
//! The check costs one `is_finite` test of the local derivative per elementary function whose
//! derivative can be unbounded (`exp`, `ln`, `sqrt`, `recip`, ...; not `tanh`, `sin`, `cos`,
//! `atan`), and the repair, when the test fails, runs inline. Small as it is, the test splits
//! the straight-line code of a loss written with plain `exp` and `ln`: 3–4 % more instructions
//! than a dual without it (`docs/performance.md`).
//!
//! # Unchecked first
//!
//! [`ScalarFn::gradient`](crate::ScalarFn::gradient) (and the training losses' gradient, which
//! goes through it) does not pay that test. It evaluates the function on `Jet<T, N, false>`,
//! whose first-order chain rule multiplies the tangent by the local derivative with no test,
//! and evaluates it again on the checked `Jet<T, N>` only when a partial of the result is not
//! finite. [`VectorFn::jacobian`](crate::VectorFn::jacobian) does the same, and so do
//! [`ScalarFn::hvp`](crate::ScalarFn::hvp) and [`ScalarFn::hessian`](crate::ScalarFn::hessian)
//! in blocks, with nested jets unchecked at both levels (no test in their products either), the
//! checked evaluation running when a number of the value, gradient, Hessian or `H v` is not
//! finite. That gives the checked result's bits everywhere:
//!
//! - The two evaluations compute the same values and take the same branches: a jet's value
//!   never depends on its tangent, and comparisons, `max`, `min` and every other choice look at
//!   values only.
//! - A checked operation leaves the plain computation only when that computation produced a
//!   part that is not finite (the chain rule's derivative is not finite, a product's or a
//!   quotient's part is not). So at the first operation where the two evaluations part, the
//!   unchecked one holds a part that is not finite.
//! - A part that is not finite stays so: tangent parts are only added, subtracted, multiplied
//!   by values and divided by values (at every level of a nested jet), and `∞ · 0`, `∞ − ∞`,
//!   `∞ / ∞` are NaN, NaN stays NaN, and the products that stay careful on both kinds of jet
//!   (`powf` with a jet exponent) zero a zero part only. It reaches the output, unless a choice
//!   (`if`, `max`, `min`, `select`) discards the jet that holds it, and with it everything that
//!   operation produced.
//! - So when every number of the unchecked result is finite, the two evaluations never parted,
//!   and the result is the checked one's bits, signs of zeros included.
//!
//! Otherwise the checked evaluation runs and its result is returned: at points where a
//! derivative is infinite or undefined the result costs two evaluations. Tests compare the two
//! forms bit for bit on functions that compare, select and take maxima at such points (a NaN
//! counting as any NaN: Rust fixes neither the sign nor the payload of a NaN an operation makes,
//! and two copies of the same code may differ there). The
//! argument needs the function to treat its jets as numbers: code that reads `eps` and branches
//! on a partial could tell the two evaluations apart. The closure entry points cannot evaluate
//! twice (a closure is called once and has one argument type), so they run checked.
//!
//! # Wide vectors
//!
//! On x86-64 processors with AVX2, the models' gradient, `ScalarFn::gradient` and
//! `VectorFn::jacobian` run a copy of their evaluation compiled for AVX2, chosen at run time;
//! the results are bit-identical to the default path. [`wide_vectors`] says whether this machine
//! takes it, and why the closure entry points do not dispatch. A program built with `RUSTFLAGS="-C target-cpu=native"` gets wide
//! vectors in every jet operation.
//!
//! Nested jets (second and higher order) go further: there the inner jets' values are first
//! derivatives, which can be infinite where the function is finite, so products, quotients,
//! `atan2` and the chain rule give zero for a zero part times an infinite one at every level
//! (`√x · y` at `(0, 1)` has the exact Hessian `[[−∞, ∞], [∞, 0]]`). That costs one branch-free
//! finiteness test of each result's parts, on nested jets only: the first-order product is the
//! plain product rule.
//!
//! ```
//! use dualgrad::prelude::*;
//! use nalgebra::SVector;
//! let (_, g) = gradient(|x| x[0].sqrt() + x[1], &SVector::from([0.0_f64, 3.0]));
//! assert!(g[0].is_infinite());
//! assert_eq!(g[1], 1.0);
//! let (n, g) = gradient(|x| x.dot(x).sqrt(), &SVector::from([0.0, 0.0]));
//! assert_eq!((n, g), (0.0, SVector::from([0.0, 0.0])));
//! ```

// The product and quotient rules use other operators inside `Mul` and `Div` by nature.
#![allow(clippy::suspicious_arithmetic_impl)]

mod field;
mod float;
mod inherent;
mod mixed;
mod wide;

pub use mixed::{F64Ops, MixedOps};
pub use wide::{set_wide_vectors, wide_vectors};
pub(crate) use wide::{wide, wide_or};

use crate::scalar::parts::{Parts, lanes_finite, tangent_mul};
use crate::{AnyScalar, Precision, Scalar};
use num_dual::{DualNum, DualStruct, Mappable};
use num_traits::{Float, FromPrimitive, Inv, Num, One, Signed, Zero};
use std::array;
use std::cmp::Ordering;
use std::fmt;
use std::iter::{Product, Sum};
use std::ops::{
    Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Rem, RemAssign, Sub, SubAssign,
};

/// A first-order dual number: a value `re` and `N` partial derivatives `eps`.
///
/// `T` is the scalar of the parts: `f64` (or `f32`) for first derivatives, or another `Jet` (or
/// any [`Scalar`]) for higher ones. Constants combine with a jet in its primitive precision:
/// `Jet<f64, N> * 2.0_f64`, `Jet<f32, N> * 2.0_f32`. Comparisons (`==`, `<`) look at the real part only, so generic
/// code takes the same branches on a `Jet` as on `f64`.
///
/// ```
/// use dualgrad::Jet;
/// // x = 3 seeded in direction 0, y = 2 in direction 1
/// let x = Jet::<f64, 2>::variable(3.0, 0);
/// let y = Jet::<f64, 2>::variable(2.0, 1);
/// let f = x * x * y; // f = x^2 y
/// assert_eq!(f.re, 18.0);
/// assert_eq!(f.eps, [12.0, 9.0]); // (2xy, x^2)
///
/// // the same in f32
/// let x = Jet::<f32, 2>::variable(3.0, 0);
/// let f = x * x * Jet::variable(2.0, 1) * 1.0_f32;
/// assert_eq!((f.re, f.eps), (18.0_f32, [12.0_f32, 9.0]));
/// ```
///
/// `S` says whether the jet keeps a zero tangent zero where a derivative is infinite
/// ([NaN-safe tangents](crate::jet#nan-safe-tangents)): the chain rule's test at first order,
/// and the tests of products, quotients, `atan2` and the chain rule on nested jets. It is `true`
/// unless named, and `Jet<T, N>` is what every closure entry point hands to the closure. The
/// trait forms ([`ScalarFn::gradient`](crate::ScalarFn::gradient), `hvp`, `hessian` in blocks,
/// [`VectorFn::jacobian`](crate::VectorFn::jacobian)) evaluate the function on jets with
/// `S = false` first and again on checked jets only when a number of the result is not finite:
/// only then can the two differ (see [unchecked first](crate::jet#unchecked-first)).
#[derive(Clone, Copy, Debug)]
pub struct Jet<T, const N: usize, const S: bool = true> {
    /// The value (real part).
    pub re: T,
    /// The partial derivatives, one per seeded direction.
    pub eps: [T; N],
}

impl<T: AnyScalar, const N: usize> Jet<T, N> {
    /// A jet from its parts.
    ///
    /// ```
    /// let j = dualgrad::Jet::new(1.0, [2.0, 3.0]);
    /// assert_eq!((j.re, j.eps), (1.0, [2.0, 3.0]));
    /// ```
    #[inline]
    pub fn new(re: T, eps: [T; N]) -> Self {
        Self { re, eps }
    }

    /// A constant: value `re`, every partial derivative zero.
    ///
    /// ```
    /// let c = dualgrad::Jet::<f64, 3>::constant(4.0);
    /// assert_eq!(c.eps, [0.0; 3]);
    /// ```
    #[inline]
    pub fn constant(re: T) -> Self {
        Self {
            re,
            eps: [T::zero(); N],
        }
    }

    /// The independent variable number `i`: value `re`, derivative 1 in direction `i`, 0 elsewhere.
    ///
    /// # Panics
    /// If `i >= N` (a bug in the caller).
    ///
    /// ```
    /// let x = dualgrad::Jet::<f64, 3>::variable(4.0, 1);
    /// assert_eq!(x.eps, [0.0, 1.0, 0.0]);
    /// ```
    #[inline]
    pub fn variable(re: T, i: usize) -> Self {
        Self::seeded(re, i)
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Jet<T, N, S> {
    /// [`constant`](Jet::constant) at either setting of `S`.
    #[inline]
    pub(crate) fn lifted(re: T) -> Self {
        Self {
            re,
            eps: [T::zero(); N],
        }
    }

    /// [`variable`](Jet::variable) at either setting of `S`.
    #[inline]
    pub(crate) fn seeded(re: T, i: usize) -> Self {
        let mut j = Self::lifted(re);
        j.eps[i] = T::one();
        j
    }

    /// Apply the chain rule for an elementary function with value `f` and derivative `df` at
    /// `self.re`. A zero tangent stays zero even when `df` is infinite or NaN. A tangent counts
    /// as zero when every part of it is zero ([`Zero::is_zero`]): for nested jets, a tangent
    /// whose first-order part is zero but whose second-order part is not still carries its
    /// second-order part through.
    ///
    /// First order (`T` a primitive) tests the one number `df`. Nested jets test every part of
    /// the tangent they produced, because there a finite value can carry an infinite derivative
    /// (`√x` at 0 has value 0 and first derivative ∞) and `0 · ∞` can appear at any level.
    /// Unchecked jets (`S = false`) test nothing.
    #[inline]
    fn chain(&self, f: T, df: T) -> Self {
        if !S {
            return self.chain_bounded(f, df);
        }
        if T::NDERIV == 0 {
            if Float::is_finite(df.re()) {
                return self.chain_bounded(f, df);
            }
            // Inline rather than a call to a cold function: a call would have to see both
            // jets in memory, and keeping them there costs the usual path more than the test
            // (measured with `benches/callgrind.sh`: 1 % on the iris loss written with plain
            // `exp` and `ln`, 5 % on logistic regression with `exp` and `ln_1p`).
            let mut eps = self.eps;
            for e in &mut eps {
                *e = tangent_mul(*e, df);
            }
            return Self { re: f, eps };
        }
        Self {
            re: f,
            eps: checked(array::from_fn(|i| self.eps[i] * df), |i| {
                tangent_mul(self.eps[i], df)
            }),
        }
    }

    /// The chain rule for a function whose derivative is finite at every finite argument
    /// (`tanh`, `sin`, `cos`, `tan`, `atan`, `asinh`): no NaN-safety check is needed, and skipping
    /// it keeps the hot path of an MLP free of branches.
    #[inline]
    fn chain_bounded(&self, f: T, df: T) -> Self {
        let mut eps = self.eps;
        for e in &mut eps {
            *e *= df;
        }
        Self { re: f, eps }
    }

    /// Multiply every part by a value of the inner type.
    #[inline]
    fn scaled(&self, s: T) -> Self {
        Self {
            re: self.re * s,
            eps: array::from_fn(|i| self.eps[i] * s),
        }
    }
}

/// The product rule `(ab)' = a'b + ab'` with no test: what first-order jets compute, and what
/// nested jets compute when every part of the result is finite.
#[inline]
fn plain_product<T: AnyScalar, const N: usize, const S: bool>(
    a: Jet<T, N, S>,
    b: Jet<T, N, S>,
) -> Jet<T, N, S> {
    // Written into a zeroed array by zipped iterators, not by `array::from_fn` with indices:
    // the same numbers, other machine code. Measured with `benches/callgrind.sh`: the iris
    // gradient (67 partials) 1 % fewer instructions, XOR and Hessians unchanged; indexing
    // into a zeroed array instead cost Rosenbrock's one pass at N = 80 twice as much.
    let mut eps = [T::zero(); N];
    for ((e, &ae), &be) in eps.iter_mut().zip(&a.eps).zip(&b.eps) {
        *e = ae * b.re + a.re * be;
    }
    Jet {
        re: a.re * b.re,
        eps,
    }
}

/// The product rule in which every product of a zero part and a non-finite part gives zero, at
/// every level (see [`Parts::safe_mul`]): the plain product when all its parts are finite (then
/// no `0 · ∞` can have happened), otherwise out of line and cold, term by term.
#[inline]
fn safe_product<T: AnyScalar, const N: usize, const S: bool>(
    a: Jet<T, N, S>,
    b: Jet<T, N, S>,
) -> Jet<T, N, S> {
    // the parts are added up as they are made, while they are still in registers
    let mut lanes = [0.0; 2];
    let re = a.re * b.re;
    re.add_parts(&mut lanes);
    let eps = array::from_fn(|i| {
        let e = a.eps[i] * b.re + a.re * b.eps[i];
        e.add_parts(&mut lanes);
        e
    });
    if lanes_finite(&lanes) {
        Jet { re, eps }
    } else {
        not_finite_product(a, b)
    }
}

#[cold]
#[inline(never)]
fn not_finite_product<T: AnyScalar, const N: usize, const S: bool>(
    a: Jet<T, N, S>,
    b: Jet<T, N, S>,
) -> Jet<T, N, S> {
    Jet {
        re: a.re.safe_mul(b.re),
        eps: array::from_fn(|i| tangent_mul(a.eps[i], b.re) + tangent_mul(b.eps[i], a.re)),
    }
}

/// `fast` when every part of every element is finite (see [`Parts::add_parts`]): then no
/// `0 · ∞` can have happened. Otherwise the tangent recomputed by `careful`, term by term
/// with "zero part × anything = 0" (only then). The one test behind the nested chain rule,
/// quotients and `atan2`.
#[inline]
fn checked<T: AnyScalar, const N: usize>(fast: [T; N], careful: impl Fn(usize) -> T) -> [T; N] {
    let mut lanes = [0.0; 2];
    add_all_parts(&fast, &mut lanes);
    if lanes_finite(&lanes) {
        fast
    } else {
        array::from_fn(careful)
    }
}

/// [`Parts::add_parts`] of every element. Primitive parts go to alternate lanes (the order
/// differs from a plain sum, which does not matter for a finiteness test).
#[inline]
fn add_all_parts<T: AnyScalar, const N: usize>(x: &[T; N], lanes: &mut [f64; 2]) {
    if T::NDERIV == 0 {
        for pair in x.chunks_exact(2) {
            lanes[0] += pair[0].re().widen();
            lanes[1] += pair[1].re().widen();
        }
        if N % 2 == 1 {
            lanes[1] += x[N - 1].re().widen();
        }
    } else {
        for e in x {
            e.add_parts(lanes);
        }
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Parts for Jet<T, N, S> {
    #[inline]
    fn add_parts(&self, lanes: &mut [f64; 2]) {
        self.re.add_parts(lanes);
        add_all_parts(&self.eps, lanes);
    }
    #[inline]
    fn safe_mul(self, o: Self) -> Self {
        safe_product(self, o)
    }
    /// The product rule of a tangent and a derivative, where every part of the tangent is a
    /// tangent: a zero tangent value times an infinite derivative is zero (the quantity does
    /// not move), where the product of values would be NaN. In `t′·d + t·d′` both factors of the
    /// second term are tangents, so a zero in either gives zero there, as in the NaN-safe
    /// product. Only on the careful paths.
    #[inline]
    fn tangent_times(self, d: Self) -> Self {
        Jet {
            re: tangent_mul(self.re, d.re),
            eps: array::from_fn(|i| {
                let through_d = if d.eps[i].is_zero() {
                    T::zero()
                } else {
                    tangent_mul(self.re, d.eps[i])
                };
                tangent_mul(self.eps[i], d.re) + through_d
            }),
        }
    }
    #[inline]
    fn exp_nonpositive(self) -> Self {
        let e = self.re.exp_nonpositive();
        self.chain_bounded(e, e)
    }
    #[inline]
    fn ln_1p_unit(self) -> Self {
        // the value first: computing the derivative before the call to `ln_1p` keeps it alive
        // across that call, which costs a spill and a reload (measured)
        let v = self.re.ln_1p_unit();
        self.chain_bounded(v, (self.re + T::Primitive::one()).recip())
    }
    #[inline]
    fn ln_at_least_one(self) -> Self {
        self.chain_bounded(self.re.ln_at_least_one(), self.re.recip())
    }
}

/// `|x|` beyond which `x² ± 1 = x²` in `f64` (`2²⁶`): derivative formulas switch there to forms
/// that do not overflow for large `x`.
const LARGE_ARGUMENT: f64 = 67_108_864.0;

/// `1 − x²` with its relative accuracy: as `1 − x·x` for `|x| < 1/2` (no cancellation, and its
/// derivative `−2x` exact), and as `(1 − x)(1 + x)` for `|x| ≥ 1/2`, where one factor is exact
/// (Sterbenz) and the other has a single rounding, and the derivative `−(1 + x) + (1 − x)` does
/// not cancel either.
#[inline]
fn one_minus_square<T: AnyScalar>(x: T) -> T {
    if Float::abs(x.re()) < prim::<T>(0.5) {
        T::one() - x * x
    } else {
        (T::one() - x) * (T::one() + x)
    }
}

/// Below this `|x|` the spherical Bessel functions `j0`, `j1`, `j2` of a jet come from their
/// power series: their closed forms lose up to `log₂(3/x²)` bits to cancellation in the value
/// (`j1`, `j2`) or in the derivatives (all three) as `x → 0`, and still a few at `|x| = 1`.
const SPHERICAL_BESSEL_SERIES_BELOW: f64 = 2.0;

/// `j_n(x) = xⁿ Σₖ (−x²/2)ᵏ / (k! (2k + 2n + 1)!!)` for `n ≤ 2`, `|x| < 2`, in nested form
/// `xⁿ/(2n + 1)!! · (1 − y/(2(2n + 3)) (1 − y/(4(2n + 5)) (1 − …)))` with `y = x²`: every
/// operation is a jet operation, so every derivative order follows, and no step cancels much
/// (`y/(2k(2k + 2n + 1)) < 2/3` for `|x| < 2`: at most about one bit). 17 terms: the first
/// omitted one is below `10⁻²⁹` of the sum.
fn spherical_bessel_series<T: AnyScalar, const N: usize, const S: bool>(
    x: Jet<T, N, S>,
    n: u32,
) -> Jet<T, N, S> {
    let y = x * x;
    let m = f64::from(2 * n + 1);
    let mut s = Jet::<T, N, S>::one();
    for k in (1..=17u32).rev() {
        let k = f64::from(k);
        s = Jet::<T, N, S>::one() - y * s / prim::<T>(2.0 * k * (2.0 * k + m));
    }
    // xⁿ / (2n + 1)!!: 1, x/3, x²/15
    match n {
        0 => s,
        1 => x * s / prim::<T>(3.0),
        _ => y * s / prim::<T>(15.0),
    }
}

/// The `f64` constant `x` in the primitive of `T` (rounded once for `f32`).
#[inline]
fn prim<T: AnyScalar>(x: f64) -> T::Primitive {
    T::Primitive::of(x)
}

// ---------------------------------------------------------------------------------------------
// Arithmetic between jets
// ---------------------------------------------------------------------------------------------

/// `a + b` and `a − b` are the in-place `+=` and `−=` (below) on a copy of `a`.
impl<T: AnyScalar, const N: usize, const S: bool> Add for Jet<T, N, S> {
    type Output = Self;
    #[inline]
    fn add(mut self, o: Self) -> Self {
        self += o;
        self
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Sub for Jet<T, N, S> {
    type Output = Self;
    #[inline]
    fn sub(mut self, o: Self) -> Self {
        self -= o;
        self
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Mul for Jet<T, N, S> {
    type Output = Self;
    /// The product rule: `(ab)' = a'b + ab'`. On first-order jets (parts `f64` or `f32`) that
    /// is all. On nested jets the "values" of the inner jets are first derivatives, which may be
    /// infinite where the function is finite (`√x` at 0), so there a zero part times an
    /// infinite one contributes zero rather than `0 · ∞ = NaN`, at every level; the test costs
    /// one finiteness check per part of the result and is skipped at first order, where it
    /// would cost the hot path of every gradient, and on unchecked jets (`S = false`).
    #[inline]
    fn mul(self, o: Self) -> Self {
        if T::NDERIV == 0 || !S {
            plain_product(self, o)
        } else {
            safe_product(self, o)
        }
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Div for Jet<T, N, S> {
    type Output = Self;
    /// The quotient rule: `(a/b)' = (a' − (a/b) b') / b`. The value is `a.re / b.re` exactly as
    /// on `f64`.
    /// On nested jets a zero tangent part times a non-finite part contributes zero, as in
    /// [`Mul`].
    #[inline]
    fn div(self, o: Self) -> Self {
        let inv = o.re.recip();
        let q = self.re / o.re;
        let eps = array::from_fn(|i| (self.eps[i] - q * o.eps[i]) * inv);
        let eps = if T::NDERIV == 0 || !S {
            eps
        } else {
            checked(eps, |i| {
                (self.eps[i] - tangent_mul(o.eps[i], q)).safe_mul(inv)
            })
        };
        Self { re: q, eps }
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Rem for Jet<T, N, S> {
    type Output = Self;
    /// `a % b = a − b·q` with `q = trunc(a/b)` held constant (it is piecewise constant).
    #[inline]
    fn rem(self, o: Self) -> Self {
        let (a, b) = (self.re.re(), o.re.re());
        let q = Float::round((a - a % b) / b);
        self - o * q
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Neg for Jet<T, N, S> {
    type Output = Self;
    #[inline]
    fn neg(mut self) -> Self {
        self.re = -self.re;
        for e in &mut self.eps {
            *e = -*e;
        }
        self
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Neg for &Jet<T, N, S> {
    type Output = Jet<T, N, S>;
    #[inline]
    fn neg(self) -> Jet<T, N, S> {
        -*self
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic with the primitive (f64 or f32 constants and data): cheaper than lifting them to jets
// ---------------------------------------------------------------------------------------------
//
// Generic over the primitive `P` (`f64` or `f32`) rather than written for `f64`: `P: Precision`
// is a local trait that no `Jet` implements, so these impls do not overlap `Add<Jet>`.

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> Add<P>
    for Jet<T, N, S>
{
    type Output = Self;
    #[inline]
    fn add(mut self, c: P) -> Self {
        self += c;
        self
    }
}

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> Sub<P>
    for Jet<T, N, S>
{
    type Output = Self;
    #[inline]
    fn sub(mut self, c: P) -> Self {
        self -= c;
        self
    }
}

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> Mul<P>
    for Jet<T, N, S>
{
    type Output = Self;
    #[inline]
    fn mul(mut self, c: P) -> Self {
        self.re *= c;
        for e in &mut self.eps {
            *e *= c;
        }
        self
    }
}

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> Div<P>
    for Jet<T, N, S>
{
    type Output = Self;
    #[inline]
    fn div(self, c: P) -> Self {
        // the value exactly as on the primitive; the partials by one reciprocal
        let inv = P::one() / c;
        Self {
            re: self.re / c,
            eps: array::from_fn(|i| self.eps[i] * inv),
        }
    }
}

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> Rem<P>
    for Jet<T, N, S>
{
    type Output = Self;
    #[inline]
    fn rem(self, c: P) -> Self {
        self % Self::from(c)
    }
}

/// `f64 ∘ Jet` and `f32 ∘ Jet` for concrete code (`2.0 * x`); generic code writes `x * 2.0`.
macro_rules! primitive_lhs_ops {
    ($p:ty: $($trait:ident $method:ident),*) => {$(
        impl<T: Scalar<$p>, const N: usize, const S: bool> $trait<Jet<T, N, S>> for $p {
            type Output = Jet<T, N, S>;
            #[inline]
            fn $method(self, j: Jet<T, N, S>) -> Jet<T, N, S> {
                Jet::<T, N, S>::from(self).$method(j)
            }
        }
    )*};
}
primitive_lhs_ops!(f64: Add add, Sub sub, Mul mul, Div div, Rem rem);
primitive_lhs_ops!(f32: Add add, Sub sub, Mul mul, Div div, Rem rem);

/// By-reference forms, forwarding to the by-value operators.
macro_rules! forward_ref {
    ($($trait:ident $method:ident),*) => {$(
        impl<T: AnyScalar, const N: usize, const S: bool> $trait<&Jet<T, N, S>> for Jet<T, N, S> {
            type Output = Jet<T, N, S>;
            #[inline]
            fn $method(self, o: &Jet<T, N, S>) -> Jet<T, N, S> {
                self.$method(*o)
            }
        }
        impl<T: AnyScalar, const N: usize, const S: bool> $trait<Jet<T, N, S>> for &Jet<T, N, S> {
            type Output = Jet<T, N, S>;
            #[inline]
            fn $method(self, o: Jet<T, N, S>) -> Jet<T, N, S> {
                (*self).$method(o)
            }
        }
        impl<T: AnyScalar, const N: usize, const S: bool> $trait<&Jet<T, N, S>> for &Jet<T, N, S> {
            type Output = Jet<T, N, S>;
            #[inline]
            fn $method(self, o: &Jet<T, N, S>) -> Jet<T, N, S> {
                (*self).$method(*o)
            }
        }
    )*};
}
forward_ref!(Add add, Sub sub, Mul mul, Div div, Rem rem);

/// Compound assignment that forwards to the by-value operator (`a *= b` is `a = a * b`).
macro_rules! assign_by_value {
    ($($trait:ident $method:ident $assign_trait:ident $assign_method:ident),*) => {$(
        impl<T: AnyScalar, const N: usize, const S: bool> $assign_trait for Jet<T, N, S> {
            #[inline]
            fn $assign_method(&mut self, o: Self) {
                *self = (*self).$method(o);
            }
        }
        impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> $assign_trait<P>
            for Jet<T, N, S>
        {
            #[inline]
            fn $assign_method(&mut self, c: P) {
                *self = (*self).$method(c);
            }
        }
    )*};
}
assign_by_value!(
    Mul mul MulAssign mul_assign,
    Div div DivAssign div_assign,
    Rem rem RemAssign rem_assign
);

/// `a += b` and `a -= b` part by part in place, the one loop behind `+` and `−` too: the
/// accumulations of a training loop (`z += w * x`) then read and write the accumulator where it
/// lies, instead of building a new jet and copying it back (measured: 0.6 % fewer instructions
/// for the iris gradient, which brings it below the floor of `benches/workloads/floor.rs`).
macro_rules! assign_in_place {
    ($($assign_trait:ident $assign_method:ident $op:tt),*) => {$(
        impl<T: AnyScalar, const N: usize, const S: bool> $assign_trait for Jet<T, N, S> {
            #[inline]
            fn $assign_method(&mut self, o: Self) {
                self.re $op o.re;
                for (e, d) in self.eps.iter_mut().zip(&o.eps) {
                    *e $op *d;
                }
            }
        }
        impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> $assign_trait<P>
            for Jet<T, N, S>
        {
            #[inline]
            fn $assign_method(&mut self, c: P) {
                self.re $op c;
            }
        }
    )*};
}
assign_in_place!(AddAssign add_assign +=, SubAssign sub_assign -=);

// ---------------------------------------------------------------------------------------------
// The num-traits and num-dual traits that make a Jet a `Scalar`
// ---------------------------------------------------------------------------------------------

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool> From<P>
    for Jet<T, N, S>
{
    #[inline]
    fn from(c: P) -> Self {
        Self::lifted(T::from(c))
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Zero for Jet<T, N, S> {
    #[inline]
    fn zero() -> Self {
        Self::lifted(T::zero())
    }
    /// True when the value and every partial derivative are zero.
    #[inline]
    fn is_zero(&self) -> bool {
        self.re.is_zero() && self.eps.iter().all(T::is_zero)
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> One for Jet<T, N, S> {
    #[inline]
    fn one() -> Self {
        Self::lifted(T::one())
    }
}

/// Equality of the real parts, so that generic code branches as it would on `f64`.
impl<T: AnyScalar, const N: usize, const S: bool> PartialEq for Jet<T, N, S> {
    #[inline]
    fn eq(&self, o: &Self) -> bool {
        self.re == o.re
    }
}

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool>
    PartialEq<P> for Jet<T, N, S>
{
    #[inline]
    fn eq(&self, c: &P) -> bool {
        self.re.re() == *c
    }
}

/// Order of the real parts, so that generic code branches as it would on `f64`.
impl<T: AnyScalar, const N: usize, const S: bool> PartialOrd for Jet<T, N, S> {
    #[inline]
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        self.re.partial_cmp(&o.re)
    }
}

impl<T: AnyScalar + DualNum<Primitive = P>, P: Precision, const N: usize, const S: bool>
    PartialOrd<P> for Jet<T, N, S>
{
    #[inline]
    fn partial_cmp(&self, c: &P) -> Option<Ordering> {
        self.re.re().partial_cmp(c)
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Num for Jet<T, N, S> {
    type FromStrRadixErr = <T::Primitive as Num>::FromStrRadixErr;
    /// Parses a constant (every partial derivative zero).
    fn from_str_radix(s: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
        T::Primitive::from_str_radix(s, radix).map(|c| Self::lifted(T::from(c)))
    }
}

/// `abs` follows the sign bit, as [`f64::abs`] and `num-dual` do: `abs(-0.0)` is `+0.0` with
/// derivative `−1`, `abs(+0.0)` is `+0.0` with derivative `+1` (the branch `x >= 0`, as
/// ForwardDiff.jl).
impl<T: AnyScalar, const N: usize, const S: bool> Signed for Jet<T, N, S> {
    #[inline]
    fn abs(&self) -> Self {
        if Float::is_sign_negative(self.re.re()) {
            -*self
        } else {
            *self
        }
    }
    #[inline]
    fn abs_sub(&self, o: &Self) -> Self {
        if self.re > o.re {
            *self - *o
        } else {
            Self::zero()
        }
    }
    #[inline]
    fn signum(&self) -> Self {
        Self::lifted(T::from(Float::signum(self.re.re())))
    }
    #[inline]
    fn is_positive(&self) -> bool {
        self.re.re() > T::Primitive::zero()
    }
    #[inline]
    fn is_negative(&self) -> bool {
        self.re.re() < T::Primitive::zero()
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Inv for Jet<T, N, S> {
    type Output = Self;
    #[inline]
    fn inv(self) -> Self {
        DualNum::recip(&self)
    }
}

/// Sums and products start from the first term rather than from a zero (or one) jet: the
/// result is the same (`−0 + x = x` exactly, as `f64`'s own `Sum` starts from `−0`), without the
/// extra pass over every part.
impl<T: AnyScalar, const N: usize, const S: bool> Sum for Jet<T, N, S> {
    #[inline]
    fn sum<I: Iterator<Item = Self>>(mut iter: I) -> Self {
        match iter.next() {
            Some(first) => iter.fold(first, |a, b| a + b),
            None => Self::zero(),
        }
    }
}

impl<'a, T: AnyScalar, const N: usize, const S: bool> Sum<&'a Jet<T, N, S>> for Jet<T, N, S> {
    #[inline]
    fn sum<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.copied().sum()
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Product for Jet<T, N, S> {
    #[inline]
    fn product<I: Iterator<Item = Self>>(mut iter: I) -> Self {
        match iter.next() {
            Some(first) => iter.fold(first, |a, b| a * b),
            None => Self::one(),
        }
    }
}

impl<'a, T: AnyScalar, const N: usize, const S: bool> Product<&'a Jet<T, N, S>> for Jet<T, N, S> {
    #[inline]
    fn product<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.copied().product()
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> FromPrimitive for Jet<T, N, S> {
    fn from_i64(n: i64) -> Option<Self> {
        T::from_i64(n).map(Self::lifted)
    }
    fn from_u64(n: u64) -> Option<Self> {
        T::from_u64(n).map(Self::lifted)
    }
    fn from_f64(n: f64) -> Option<Self> {
        T::from_f64(n).map(Self::lifted)
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> fmt::Display for Jet<T, N, S> {
    /// `re + [e0, e1, ...]ε`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} + [", self.re)?;
        for (i, e) in self.eps.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{e}")?;
        }
        write!(f, "]ε")
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> DualStruct for Jet<T, N, S> {
    type Real = T::Primitive;
    type Inner = T;
    #[inline]
    fn re(&self) -> T::Primitive {
        self.re.re()
    }
    #[inline]
    fn from_inner(inner: &T) -> Self {
        Self::lifted(*inner)
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> Mappable<Self> for Jet<T, N, S> {
    type Output<O> = O;
    #[inline]
    fn map_dual<G: Fn(Self) -> O, O>(self, g: G) -> O {
        g(self)
    }
}

impl<T: AnyScalar, const N: usize, const S: bool> DualNum for Jet<T, N, S> {
    type Primitive = T::Primitive;
    const NDERIV: usize = T::NDERIV + 1;
    type InnerDual = T;

    #[inline]
    fn from_re(re: T) -> Self {
        Self::lifted(re)
    }
    #[inline]
    fn scale(self, factor: &T) -> Self {
        self.scaled(*factor)
    }
    #[inline]
    fn mul_add(&self, a: Self, b: Self) -> Self {
        *self * a + b
    }
    #[inline]
    fn recip(&self) -> Self {
        let r = self.re.recip();
        self.chain(r, -(r * r))
    }
    #[inline]
    fn powi(&self, n: i32) -> Self {
        match n {
            0 => Self::one(),
            1 => *self,
            2 => *self * *self,
            _ => {
                let v = self.re.powi(n);
                let nf = prim::<T>(f64::from(n));
                let d = if !self.re.re().is_zero() {
                    v * nf / self.re
                } else {
                    self.re.powi(n.saturating_sub(1)) * nf
                };
                self.chain(v, d)
            }
        }
    }
    #[inline]
    fn powf(&self, n: T::Primitive) -> Self {
        if n.is_zero() {
            Self::one()
        } else if n.is_one() {
            *self
        } else {
            let v = DualNum::powf(&self.re, n);
            let d = if !self.re.re().is_zero() {
                v * n / self.re
            } else {
                DualNum::powf(&self.re, n - T::Primitive::one()) * n
            };
            self.chain(v, d)
        }
    }
    /// `xⁿ` with both parts jets: the value is `T::powd` (`powf` on `f64`), `∂/∂x = n xⁿ⁻¹`, and
    /// `∂/∂n = xⁿ ln x`, taken as `0` where `xⁿ` is zero (its limit as `x → 0⁺` for `n > 0`), so
    /// `x²` written as `powd` has gradient and Hessian at `x = 0` as `x * x` does.
    #[inline]
    fn powd(&self, n: Self) -> Self {
        let v = self.re.powd(n.re);
        let dx = n.re * self.re.powd(n.re - T::one());
        let dn = if v.is_zero() {
            T::zero()
        } else {
            v * self.re.ln()
        };
        Self {
            re: v,
            eps: array::from_fn(|i| tangent_mul(self.eps[i], dx) + tangent_mul(n.eps[i], dn)),
        }
    }
    #[inline]
    fn sqrt(&self) -> Self {
        let s = self.re.sqrt();
        self.chain(s, s.recip() * prim::<T>(0.5))
    }
    /// `d/dx ∛x = 1 / (3 ∛x²)`. At `x = 0` the square is `x^(2/3)` by `powf` rather than
    /// `∛x · ∛x`: in a nested jet the product would be `0 · ∞ = NaN` where `x^(2/3)` has the
    /// tangent `∞`, and the second derivative would be NaN instead of `−∞`. (`powf` is not used
    /// elsewhere: it is NaN for `x < 0`.)
    #[inline]
    fn cbrt(&self) -> Self {
        let r = self.re.cbrt();
        let square = if self.re.re().is_zero() {
            DualNum::powf(&self.re, prim::<T>(2.0 / 3.0))
        } else {
            r * r
        };
        self.chain(r, square.recip() * prim::<T>(1.0 / 3.0))
    }
    #[inline]
    fn exp(&self) -> Self {
        let e = self.re.exp();
        self.chain(e, e)
    }
    #[inline]
    fn exp2(&self) -> Self {
        let e = self.re.exp2();
        self.chain(e, e * prim::<T>(std::f64::consts::LN_2))
    }
    #[inline]
    fn exp_m1(&self) -> Self {
        self.chain(self.re.exp_m1(), self.re.exp())
    }
    #[inline]
    fn ln(&self) -> Self {
        self.chain(self.re.ln(), self.re.recip())
    }
    #[inline]
    fn log(&self, base: T::Primitive) -> Self {
        self.ln() / Float::ln(base)
    }
    #[inline]
    fn log2(&self) -> Self {
        self.chain(
            self.re.log2(),
            self.re.recip() * prim::<T>(std::f64::consts::LOG2_E),
        )
    }
    #[inline]
    fn log10(&self) -> Self {
        self.chain(
            self.re.log10(),
            self.re.recip() * prim::<T>(std::f64::consts::LOG10_E),
        )
    }
    #[inline]
    fn ln_1p(&self) -> Self {
        self.chain(self.re.ln_1p(), (self.re + T::Primitive::one()).recip())
    }
    #[inline]
    fn sin(&self) -> Self {
        let (s, c) = self.re.sin_cos();
        self.chain_bounded(s, c)
    }
    #[inline]
    fn cos(&self) -> Self {
        let (s, c) = self.re.sin_cos();
        self.chain_bounded(c, -s)
    }
    #[inline]
    fn tan(&self) -> Self {
        let t = self.re.tan();
        self.chain_bounded(t, t * t + T::Primitive::one())
    }
    #[inline]
    fn sin_cos(&self) -> (Self, Self) {
        let (s, c) = self.re.sin_cos();
        (self.chain_bounded(s, c), self.chain_bounded(c, -s))
    }
    /// `d/dx asin x = 1/√(1 − x²)`, with `1 − x²` as `(1 − x)(1 + x)` for `|x| ≥ 1/2`: near `±1`,
    /// `1 − x·x` cancels (at `x = 1 − 10⁻¹⁰` only six digits are right) where `1 ∓ x` is exact.
    #[inline]
    fn asin(&self) -> Self {
        let d = one_minus_square(self.re).sqrt().recip();
        self.chain(self.re.asin(), d)
    }
    /// `d/dx acos x = −1/√(1 − x²)`, as [`asin`](Self::asin).
    #[inline]
    fn acos(&self) -> Self {
        let d = -one_minus_square(self.re).sqrt().recip();
        self.chain(self.re.acos(), d)
    }
    /// `d/dx atan x = 1/(1 + x²)`; beyond `|x| = 2²⁶`, where `1 + x² = x²` in `f64`, as `(1/x)²`,
    /// which stays accurate where `x²` overflows (`|x| > 1.3·10¹⁵⁴`).
    #[inline]
    fn atan(&self) -> Self {
        let d = if Float::abs(self.re.re()) > prim::<T>(LARGE_ARGUMENT) {
            let r = self.re.recip();
            r * r
        } else {
            (self.re * self.re + T::Primitive::one()).recip()
        };
        self.chain_bounded(self.re.atan(), d)
    }
    /// `atan2(y, x)` with `y = self`: `d = (x dy − y dx) / (x² + y²)`.
    /// At `x = y = 0` the derivative is undefined (NaN) in every direction in which `x` or `y`
    /// moves, and zero in the others. Where `x² + y²` would overflow or underflow (the larger
    /// of `|x|`, `|y|` beyond the square root of the largest or smallest normal number, within
    /// a factor 4), both are first scaled by a power of two `k` (exact):
    /// `x/(x² + y²) = (kx) k / ((kx)² + (ky)²)`.
    #[inline]
    fn atan2(&self, x: Self) -> Self {
        let y = *self;
        let (xr, yr, r2) = {
            let m = Float::max(Float::abs(x.re.re()), Float::abs(y.re.re()));
            let big = Float::sqrt(T::Primitive::max_value()) * prim::<T>(0.25);
            let small = Float::sqrt(T::Primitive::min_positive_value()) * prim::<T>(4.0);
            if (m > big && Float::is_finite(m)) || (m < small && m > prim::<T>(0.0)) {
                let limit = Float::floor(Float::log2(T::Primitive::max_value())) - prim::<T>(2.0);
                let e = Float::min(Float::max(Float::floor(Float::log2(m)), -limit), limit);
                let k = Float::powi(
                    prim::<T>(2.0),
                    -num_traits::ToPrimitive::to_i32(&e).unwrap_or(0),
                );
                let (xr, yr) = (x.re * k, y.re * k);
                (xr, yr, (xr * xr + yr * yr).recip() * k)
            } else {
                (x.re, y.re, (x.re * x.re + y.re * y.re).recip())
            }
        };
        let fast = array::from_fn(|i| (xr * y.eps[i] - yr * x.eps[i]) * r2);
        let eps = if !S {
            fast
        } else {
            checked(fast, |i| {
                if x.eps[i].is_zero() && y.eps[i].is_zero() {
                    T::zero()
                } else {
                    (tangent_mul(y.eps[i], xr) - tangent_mul(x.eps[i], yr)).safe_mul(r2)
                }
            })
        };
        Self {
            re: y.re.atan2(x.re),
            eps,
        }
    }
    #[inline]
    fn sinh(&self) -> Self {
        self.chain(self.re.sinh(), self.re.cosh())
    }
    #[inline]
    fn cosh(&self) -> Self {
        self.chain(self.re.cosh(), self.re.sinh())
    }
    /// `d/dx tanh x = sech² x`. As `1 − tanh² x` (cheapest: `tanh x` is at hand) up to `|x| = 1`,
    /// where its relative error stays below `2.5 ε` at every order; beyond, that difference
    /// cancels (exactly `0` from `|x| ≈ 19`, where `sech² x ≈ 10⁻¹⁶`), so there it is
    /// `4e / (1 + e)²` with `e = e^{−2|x|}`: products and quotients of positive terms, which keep
    /// their relative accuracy at every derivative order and never overflow.
    ///
    /// On `f64`, where the C library's `tanh` is glibc's classic algorithm (checked once per
    /// process, and noted per thread the first time a derivative entry point seeds its
    /// variables), value and derivative come from one `exp_m1` in one out-of-line call, as
    /// glibc computes `tanh`: the value is `f64::tanh`'s to the bit, and the derivative beyond
    /// `|x| = 1` is `q (2 − q)` with `q = 1 − tanh |x|` before rounding (see
    /// `scalar::tanh_sech2_f64`), as accurate as the form above without a second exponential.
    ///
    /// The formula is inline at one tangent (the models' activations) and at the widths
    /// `4k + 3` (`k ≥ 1`: whole AVX2 vectors, the widths of the AVX2 copies of the derivative
    /// paths, see [`wide_vectors`](crate::jet::wide_vectors())), where that measured fastest;
    /// elsewhere it is one call out of line, so that default-target code computes the tangent
    /// after the call, as around a call to `tanh`. Every width gives the same bits.
    #[inline]
    fn tanh(&self) -> Self {
        let inline = N == 1 || (N >= 7 && N % 4 == 3);
        let fast = if inline {
            self.re.tanh_sech2_inline()
        } else {
            self.re.tanh_sech2()
        };
        let (t, d) = fast.unwrap_or_else(|| crate::scalar::tanh_sech2_two_calls(self.re));
        self.chain_bounded(t, d)
    }
    /// `d/dx asinh x = 1/√(x² + 1)`; beyond `|x| = 2²⁶`, where `x² + 1 = x²` in `f64`, as
    /// `1/|x|`, which stays accurate where `x²` overflows.
    #[inline]
    fn asinh(&self) -> Self {
        let v = self.re.re();
        let d = if Float::abs(v) > prim::<T>(LARGE_ARGUMENT) {
            if v > prim::<T>(0.0) {
                self.re.recip()
            } else {
                -self.re.recip()
            }
        } else {
            (self.re * self.re + T::Primitive::one()).sqrt().recip()
        };
        self.chain_bounded(self.re.asinh(), d)
    }
    /// `d/dx acosh x = 1/√(x² − 1)`, with `x² − 1` as `(x − 1)(x + 1)` (exact `x − 1` near `1`,
    /// where `x·x − 1` cancels), and `1/x` beyond `x = 2²⁶` (no overflow of `x²`).
    #[inline]
    fn acosh(&self) -> Self {
        let d = if self.re.re() > prim::<T>(LARGE_ARGUMENT) {
            self.re.recip()
        } else {
            ((self.re - T::Primitive::one()) * (self.re + T::Primitive::one()))
                .sqrt()
                .recip()
        };
        self.chain(self.re.acosh(), d)
    }
    /// `d/dx atanh x = 1/(1 − x²)`, with `1 − x²` as in [`asin`](Self::asin).
    #[inline]
    fn atanh(&self) -> Self {
        let d = one_minus_square(self.re).recip();
        self.chain(self.re.atanh(), d)
    }
    /// `j0(x) = sin(x)/x`, composed from the jet's own operations; below `|x| = 2` from its
    /// power series (`spherical_bessel_series`), where `sin(x)/x` keeps its value but its
    /// derivatives cancel (`(x cos x − sin x)/x²`).
    fn sph_j0(&self) -> Self {
        if Float::abs(self.re.re()) < prim::<T>(SPHERICAL_BESSEL_SERIES_BELOW) {
            spherical_bessel_series(*self, 0)
        } else {
            self.sin() / *self
        }
    }
    /// `j1(x) = (sin(x)/x − cos(x))/x`; below `|x| = 2` from its power series, where the
    /// difference cancels.
    fn sph_j1(&self) -> Self {
        if Float::abs(self.re.re()) < prim::<T>(SPHERICAL_BESSEL_SERIES_BELOW) {
            spherical_bessel_series(*self, 1)
        } else {
            let (s, c) = self.sin_cos();
            let r = self.recip();
            (s * r - c) * r
        }
    }
    /// `j2(x) = ((3 − x²) sin(x) − 3x cos(x)) / x³`; below `|x| = 2` from its power series,
    /// where the difference cancels.
    fn sph_j2(&self) -> Self {
        if Float::abs(self.re.re()) < prim::<T>(SPHERICAL_BESSEL_SERIES_BELOW) {
            spherical_bessel_series(*self, 2)
        } else {
            let (s, c) = self.sin_cos();
            let x2 = *self * *self;
            ((Self::from(prim::<T>(3.0)) - x2) * s - *self * c * prim::<T>(3.0)) / (x2 * *self)
        }
    }
}
