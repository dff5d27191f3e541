//! The one bound that user code is written against.

use nalgebra::RealField;
use num_dual::{DualNum, DualNumFloat, DualStruct};

/// The primitive float of a [`Scalar`]: `f32` or `f64`.
///
/// Implemented for exactly these two types; the engine uses it to convert its own `f64`
/// constants (`0.5`, `ln 2`) to the primitive and to tell constants from dual numbers.
///
/// ```
/// use dualgrad::Precision;
/// assert_eq!(f32::of(0.5), 0.5_f32);
/// assert_eq!(0.25_f32.widen(), 0.25_f64);
/// ```
pub trait Precision: DualNumFloat + Send + Sync + 'static {
    /// The `f64` constant `c` rounded to this precision.
    fn of(c: f64) -> Self;
    /// This value as an `f64` (exact).
    fn widen(self) -> f64;
}

impl Precision for f64 {
    #[inline]
    fn of(c: f64) -> Self {
        c
    }
    #[inline]
    fn widen(self) -> f64 {
        self
    }
}

impl Precision for f32 {
    #[inline]
    #[allow(clippy::cast_possible_truncation)]
    fn of(c: f64) -> Self {
        c as f32
    }
    #[inline]
    fn widen(self) -> f64 {
        f64::from(self)
    }
}

/// A [`Scalar`] of either precision: `T: AnyScalar` is `T: Scalar<P>` for `P = T::Primitive`,
/// `f32` or `f64`.
///
/// The bound of [`Jet`](crate::Jet) and of the derivative entry points ([`gradient`](crate::gradient),
/// [`jacobian`](crate::jacobian), [`hessian`](crate::hessian), ...), so that they work on `f32`
/// as on `f64`. User code names a precision instead: `T: Scalar` (`f64`) or `T: Scalar<f32>`.
/// Blanket-implemented: never implement it by hand. The bound includes a sealed trait of the
/// crate's (what the NaN-safe product of nested jets needs to know about a scalar's parts),
/// implemented for `f32`, `f64`, [`Jet`](crate::Jet) and `num-dual`'s types; another crate's
/// dual number type is not an `AnyScalar`.
///
/// ```
/// use dualgrad::{AnyScalar, Jet};
/// fn twice<T: AnyScalar>(x: T) -> T { x + x }
/// assert_eq!(twice(1.5_f32), 3.0);
/// assert_eq!(twice(Jet::<f32, 1>::variable(1.5, 0)).eps, [2.0]);
/// ```
pub trait AnyScalar:
    DualNum<Primitive: Precision> + RealField + Copy + Send + Sync + 'static + parts::Parts
{
}

impl<T: DualNum<Primitive: Precision> + RealField + Copy + Send + Sync + 'static + parts::Parts>
    AnyScalar for T
{
}

/// What the NaN-safe product of nested jets needs to know about the parts of a scalar, and
/// cannot learn through `DualNum`: whether every part is finite, and a product in which a zero
/// part times an infinite one gives zero. Sealed: implemented here for `f32`, `f64`,
/// [`Jet`](crate::Jet) (in `jet.rs`) and every `num-dual` type that implements `RealField`, and
/// nameable by nobody outside the crate.
pub(crate) mod parts {
    use nalgebra::allocator::Allocator;
    use nalgebra::{DefaultAllocator, Dim, U1};
    use num_dual::{
        Dual, Dual2, Dual2Vec, Dual3, DualNum, DualVec, HyperDual, HyperDualVec, HyperHyperDual,
        Real,
    };
    use num_traits::{Float, ToPrimitive};

    /// The parts of a scalar, as the jet arithmetic sees them (see the module docs). Not part
    /// of the API: its methods can be called on a generic `T: Scalar` (they come with the
    /// bound), but the trait cannot be named or implemented outside the crate and may change.
    #[doc(hidden)]
    pub trait Parts: Copy {
        /// Adds every part (value and derivatives, at every level) into two running `f64`
        /// sums. Their total is finite when every part is finite, and NaN or infinite when one
        /// is not; finite parts can also add up beyond `f64::MAX`, a false alarm that only
        /// sends the caller down its careful (exact, slower) path. Two lanes, so that a jet's
        /// parts are added as vectors.
        fn add_parts(&self, lanes: &mut [f64; 2]);
        /// `self * o`, except that a zero part times a non-finite part contributes zero at every
        /// level of a nested jet (the zero says the quantity does not move in that direction).
        fn safe_mul(self, o: Self) -> Self;
        /// `self · d` for a nonzero tangent `self` (see [`tangent_mul`]): the NaN-safe product,
        /// except that on a jet each part of the tangent is itself a tangent, so a zero part
        /// gives zero against an infinite `d` at every level (its value part too, which
        /// [`safe_mul`](Parts::safe_mul), a product of values, leaves as `0 · ∞`).
        #[inline]
        fn tangent_times(self, d: Self) -> Self {
            self.safe_mul(d)
        }
        /// `exp` of an argument the caller knows is `≤ 0` (or NaN): every derivative is `eˣ`,
        /// in `[0, 1]`, so the chain rule needs no NaN-safety test. For the numerically stable
        /// forms in [`functions`](crate::functions), whose hot paths it keeps branch-free.
        fn exp_nonpositive(self) -> Self;
        /// `ln(1 + x)` of an argument the caller knows is in `[0, 1]` (or NaN): every derivative
        /// is bounded there, so no NaN-safety test.
        fn ln_1p_unit(self) -> Self;
        /// `ln x` of an argument the caller knows is `≥ 1` (or NaN): every derivative is
        /// bounded there, so no NaN-safety test.
        fn ln_at_least_one(self) -> Self;
        /// `(tanh x, sech² x)` from one exponential, where this type has such a formula whose
        /// value is the platform's `tanh` to the bit (`f64` on glibc, see
        /// `tanh_sech2_f64` in this module's parent); `None` elsewhere, and the caller takes `tanh` and its
        /// derivative separately.
        #[inline]
        fn tanh_sech2(self) -> Option<(Self, Self)> {
            None
        }
        /// [`tanh_sech2`](Parts::tanh_sech2) computed in the caller's code (no call of the
        /// crate's), `None` also before this thread's check has run.
        #[inline]
        fn tanh_sech2_inline(self) -> Option<(Self, Self)> {
            None
        }
    }

    /// The primitives: their own arithmetic, plain functions.
    macro_rules! primitive_parts {
        ($($p:ty { $($extra:tt)* })*) => {$(
            impl Parts for $p {
                $($extra)*
                #[inline]
                fn add_parts(&self, lanes: &mut [f64; 2]) {
                    lanes[0] += super::Precision::widen(*self);
                }
                #[inline]
                fn safe_mul(self, o: Self) -> Self {
                    self * o
                }
                #[inline]
                fn exp_nonpositive(self) -> Self {
                    self.exp()
                }
                #[inline]
                fn ln_1p_unit(self) -> Self {
                    self.ln_1p()
                }
                #[inline]
                fn ln_at_least_one(self) -> Self {
                    self.ln()
                }
            }
        )*};
    }
    primitive_parts! {
        // no one-exponential formula for `f32`: `tanh` and its derivative are taken separately
        f32 {}
        f64 {
            /// One direct call to a function that touches no memory of the caller's, so that
            /// the caller's straight-line code can compute the tangent after it (as it would
            /// around a call to `tanh`) instead of keeping it in memory across the call.
            #[inline]
            fn tanh_sech2(self) -> Option<(Self, Self)> {
                Some(super::tanh_sech2_kernel(
                    self,
                    super::TANH_THREAD.get() == super::ONE_EXP,
                ))
            }
            #[inline]
            fn tanh_sech2_inline(self) -> Option<(Self, Self)> {
                if super::TANH_THREAD.get() == super::ONE_EXP {
                    Some(super::tanh_sech2_f64(self))
                } else {
                    None
                }
            }
        }
    }

    /// num-dual's types keep their own arithmetic: only their real part is inspected.
    macro_rules! num_dual_parts {
        ($([$($g:tt)*] $ty:ty [$($w:tt)*];)*) => {$(
            impl<T: DualNum<Primitive: Float> + nalgebra::Scalar + Copy, $($g)*> Parts for $ty
            where
                Self: DualNum<Primitive = T::Primitive> + Copy,
                $($w)*
            {
                #[inline]
                fn add_parts(&self, lanes: &mut [f64; 2]) {
                    lanes[0] += num_dual::DualStruct::re(self).to_f64().unwrap_or(f64::NAN);
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
        )*};
    }
    num_dual_parts!(
        [] Dual<T> [];
        [] Dual2<T> [];
        [] Dual3<T> [];
        [] HyperDual<T> [];
        [] HyperHyperDual<T> [];
        [] Real<T> [];
        [D: Dim] DualVec<T, D> [DefaultAllocator: Allocator<D>];
        [D: Dim] Dual2Vec<T, D> [DefaultAllocator: Allocator<U1, D> + Allocator<D, D>];
        [M: Dim, N: Dim] HyperDualVec<T, M, N>
            [DefaultAllocator: Allocator<M> + Allocator<M, N> + Allocator<U1, N>];
    );

    /// Whether the two running sums of [`Parts::add_parts`] say that every part added was
    /// finite (see there for the one false alarm). The test behind every careful path.
    #[inline]
    pub fn lanes_finite(lanes: &[f64; 2]) -> bool {
        (lanes[0] + lanes[1]).is_finite()
    }

    /// `t · d` for a tangent part `t` and a value or local derivative `d`: a zero tangent gives
    /// zero even where `d` is infinite or NaN (the tangent says the quantity does not move in
    /// that direction, so neither does anything computed from it); otherwise the NaN-safe
    /// product, which on `f32`/`f64` is the plain one. The one such helper, at every order.
    #[inline]
    pub fn tangent_mul<T: Parts + num_traits::Zero>(t: T, d: T) -> T {
        if t.is_zero() {
            T::zero()
        } else {
            t.tangent_times(d)
        }
    }
}

/// What this process knows of its `f64::tanh`: 0 not checked yet, 1 not glibc's algorithm,
/// 2 glibc's algorithm (see [`tanh_formula_is_platforms`]).
static TANH_STATE: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Runs the one-time check behind [`TANH_STATE`] if this thread has not taken its result yet:
/// called where the derivative entry points and the models seed their jets, never in the
/// arithmetic, so that the kernel stays free of writes. Until it has run on a thread, jets
/// there take the two-call form, which gives the same value.
#[inline]
pub(crate) fn prepare_tanh() {
    if TANH_THREAD.get() == UNCHECKED {
        prepare_tanh_once();
    }
}

/// [`TANH_THREAD`] before this thread took the process's result.
const UNCHECKED: u8 = 0;
/// [`TANH_THREAD`] where jets take `tanh` and its derivative by two calls.
const TWO_CALLS: u8 = 1;
/// [`TANH_THREAD`] where jets take both from one exponential.
const ONE_EXP: u8 = 2;

thread_local! {
    /// This thread's copy of [`TANH_STATE`] once [`prepare_tanh`] ran, read as a plain
    /// (non-atomic) load in the arithmetic.
    static TANH_THREAD: std::cell::Cell<u8> = const { std::cell::Cell::new(UNCHECKED) };
}

#[cold]
#[inline(never)]
fn prepare_tanh_once() {
    TANH_THREAD.set(if tanh_formula_is_platforms() {
        ONE_EXP
    } else {
        TWO_CALLS
    });
}

/// `(tanh x, sech² x)`: the one-exponential form where it reproduces `f64::tanh`, otherwise
/// [`tanh_sech2_two_calls`]. Out of line: see `Parts::tanh_sech2` of `f64`.
#[inline(never)]
fn tanh_sech2_kernel(x: f64, one_exp: bool) -> (f64, f64) {
    if one_exp {
        tanh_sech2_f64(x)
    } else {
        tanh_sech2_two_calls(x)
    }
}

/// `(tanh x, sech² x)` of any scalar by two calls: `tanh`, and `sech²` as `1 − tanh²` up to
/// `|x| = 1` (where its relative error stays below `2.5 ε` at every order) and beyond, where
/// that difference cancels (exactly `0` from `|x| ≈ 19`), as `4e / (1 + e)²` with
/// `e = e^{−2|x|}`: products and quotients of positive terms, which keep their relative
/// accuracy at every derivative order and never overflow.
#[inline]
pub(crate) fn tanh_sech2_two_calls<T: AnyScalar>(x: T) -> (T, T) {
    let t = DualNum::tanh(&x);
    let d = if num_traits::Float::abs(x.re()) <= T::Primitive::of(1.0) {
        T::one() - t * t
    } else {
        sech2_beyond_one(x)
    };
    (t, d)
}

/// The `|x| > 1` part of [`tanh_sech2_two_calls`]. Out of line, so that `tanh`'s usual path (an
/// activation, mostly `|x| ≤ 1`) stays small enough to inline and vectorise.
#[inline(never)]
fn sech2_beyond_one<T: AnyScalar>(x: T) -> T {
    let sign = if x.re() > T::Primitive::of(0.0) {
        -2.0
    } else {
        2.0
    };
    let e = DualNum::exp(&(x * T::Primitive::of(sign)));
    let q = e + <T::Primitive as num_traits::One>::one();
    e * T::Primitive::of(4.0) / (q * q)
}

/// `(tanh x, sech² x)` by glibc's `tanh` algorithm (fdlibm's): one `exp_m1` gives the value, and
/// the derivative comes from the same quantities with its relative accuracy kept everywhere.
///
/// - `|x| < 2⁻⁵⁵`: `tanh x = x(1 + x)`, `sech² x = 1 − tanh² x` (`= 1`).
/// - `2⁻⁵⁵ ≤ |x| < 1`: `t = expm1(−2|x|)`, `tanh |x| = −t/(t + 2)`; `sech² = 1 − tanh²`, which
///   does not cancel there (`tanh² < 0.59`).
/// - `1 ≤ |x| < 22`: `t = expm1(2|x|)`, `q = 2/(t + 2) = 1 − tanh |x|` (before rounding),
///   `tanh |x| = 1 − q`; `sech² = (1 − tanh)(1 + tanh) = q (2 − q)`, a product of two numbers
///   each with a rounding or two, so accurate to a few units in the last place where
///   `1 − tanh²` would cancel.
/// - `|x| ≥ 22`: `tanh |x| = 1`; `sech² = 4e^{−2|x|}` (the factor `(1 + e^{−2|x|})⁻²` is `1` in
///   `f64`), `0` at infinity.
///
/// The sign of `x` goes to the value. NaN gives NaN for both.
#[inline]
pub(crate) fn tanh_sech2_f64(x: f64) -> (f64, f64) {
    let a = x.abs();
    let (z, d) = if a >= 1.0 {
        if a < 22.0 {
            let t = (2.0 * a).exp_m1();
            let q = 2.0 / (t + 2.0);
            (1.0 - q, q * (2.0 - q))
        } else {
            (1.0, 4.0 * (-2.0 * a).exp())
        }
    } else {
        // 2⁻⁵⁵ = 2.7755575615628914e-17
        let z = if a >= 2.775_557_561_562_891_4e-17 {
            let t = (-2.0 * a).exp_m1();
            -t / (t + 2.0)
        } else {
            // also ±0 and NaN
            a * (1.0 + a)
        };
        (z, 1.0 - z * z)
    };
    (if x.is_sign_negative() { -z } else { z }, d)
}

/// Whether [`tanh_sech2_f64`]'s value is this process's `f64::tanh` to the bit: checked once,
/// on the first call, at points in every branch of the formula. glibc's `tanh` was this
/// algorithm for decades; a C library with another `tanh` (musl, macOS, a glibc with a
/// correctly rounded `tanh`) fails the check, and jets then take `tanh` and its derivative
/// separately, so that a jet's value stays the value `f64` code computes.
fn tanh_formula_is_platforms() -> bool {
    use std::sync::atomic::Ordering;
    match TANH_STATE.load(Ordering::Relaxed) {
        2 => true,
        1 => false,
        _ => {
            let same = cfg!(all(target_os = "linux", target_env = "gnu")) && tanh_check();
            TANH_STATE.store(if same { 2 } else { 1 }, Ordering::Relaxed);
            same
        }
    }
}

/// The check behind [`tanh_formula_is_platforms`]: 2,000 points spread over every branch,
/// both signs, the branch boundaries and their neighbours.
#[cold]
fn tanh_check() -> bool {
    let same = |p: f64| {
        [p, -p]
            .iter()
            .all(|&x| tanh_sech2_f64(x).0.to_bits() == x.tanh().to_bits())
    };
    let edges = [
        0.0,
        2.775_557_561_562_891_4e-17,
        1e-300,
        1e-20,
        0.5,
        1.0,
        22.0,
    ];
    let neighbours = |b: f64| {
        [
            f64::from_bits(b.to_bits() - 1),
            f64::from_bits(b.to_bits() + 1),
        ]
    };
    if !edges.iter().all(|&p| same(p))
        || ![0.5, 1.0, 22.0]
            .iter()
            .all(|&b| neighbours(b).iter().all(|&p| same(p)))
    {
        return false;
    }
    // a fixed linear congruential walk: 1,000 points uniform in [0, 30) and 1,000 log-uniform
    // in [1e-9, 10), no allocation (this runs inside allocation-free entry points)
    let mut u: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..1_000).all(|_| {
        u = u
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        #[allow(clippy::cast_precision_loss)]
        let r = (u >> 11) as f64 / (1u64 << 53) as f64;
        same(30.0 * r) && same(1e-9 * 1e10f64.powf(r))
    })
}

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
/// **Precision.** `Scalar` is `Scalar<F = f64>`: plain `T: Scalar` means `f64` primitives, and
/// `T: Scalar<f32>` is the same bound over `f32` (`f32`, `Jet<f32, N>`, `Jet<Jet<f32, N>, N>`),
/// where constants and data enter as `f32` (`x * 2.0_f32`). The closure entry points
/// ([`gradient`](crate::gradient), [`jacobian`](crate::jacobian), [`hessian`](crate::hessian),
/// [`hvp`](crate::hvp), [`derivative`](crate::derivative) and their chunked forms) take both,
/// through [`AnyScalar`]. Code for both precisions is written over `T: Scalar<P>, P: Precision`
/// and converts its constants with [`Precision::of`]. The rest of the crate stays `f64`: the
/// trait forms ([`ScalarFn`](crate::ScalarFn), [`VectorFn`](crate::VectorFn)), the checker,
/// custom rules, implicit differentiation, mixed products, models, data, optimizers, training and
/// least squares.
///
/// It is blanket-implemented: never implement it by hand. The bound gives:
/// - arithmetic with itself and with its primitive `F` on the right (`x * 2.0`, `x + 1.0`);
///   constants and data should enter as `F`, which is cheaper than lifting them to duals;
/// - **one method vocabulary**, nalgebra's [`ComplexField`](nalgebra::ComplexField) and
///   [`RealField`]: `exp`, `ln`, `sqrt`, `powi`, `sin`, `tanh`, `atan2`, `max`, `min`, `abs`,
///   `hypot`, ... called as methods (`x.exp()`), never ambiguous. `powf` takes an exponent of the
///   same type, as in nalgebra: write `x.powf(T::lift(0.5))`;
/// - comparisons by the real part, so code branches exactly as it would on `f64`;
/// - all of nalgebra on `SVector<T, N>` and `SMatrix<T, R, C>`: arithmetic, `dot`, `norm`,
///   `normalize`, `determinant`, `try_inverse`, `cholesky`, `lu`, `qr`, `symmetric_eigen`,
///   matrix `exp`, `amax`, ... and they differentiate at every order. The norm at the origin has
///   gradient `0`. To keep data in `f64` inside matrix code, see [`MixedOps`](crate::jet::MixedOps).
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
///
/// // Over f32: constants are f32; d/dx 3x² = 6x = 12 at x = 2
/// fn energy32<T: Scalar<f32>>(x: &SVector<T, 2>) -> T {
///     x[0] * x[0] * 3.0_f32 + x[1].sin()
/// }
/// let (f, g) = gradient(|x| energy32(x), &SVector::from([2.0_f32, 0.0]));
/// assert_eq!((f, g), (12.0_f32, SVector::from([12.0_f32, 1.0])));
/// ```
pub trait Scalar<F: Precision = f64>: AnyScalar + DualNum<Primitive = F> {
    /// Lift a constant of the primitive (`f64`, or `f32` for `Scalar<f32>`) into this scalar
    /// type, with every derivative part zero.
    ///
    /// ```
    /// use dualgrad::{Jet, Scalar};
    /// let c = Jet::<f64, 2>::lift(1.5);
    /// assert_eq!((c.re, c.eps), (1.5, [0.0, 0.0]));
    /// assert_eq!(f64::lift(1.5), 1.5);
    /// ```
    #[inline]
    fn lift(c: F) -> Self {
        <Self as From<F>>::from(c)
    }

    /// The real part (the plain value, all derivative parts dropped).
    ///
    /// ```
    /// use dualgrad::{Jet, Scalar};
    /// assert_eq!(Jet::new(2.5, [1.0, 0.0]).value(), 2.5);
    /// assert_eq!(2.5_f64.value(), 2.5);
    /// ```
    #[inline]
    fn value(&self) -> F {
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

impl<F: Precision, T: AnyScalar + DualNum<Primitive = F>> Scalar<F> for T {}

#[cfg(test)]
mod tests {
    /// On glibc the one-exponential `tanh` is in use: its value is glibc's `tanh` at every point
    /// of the check (if a glibc changes its `tanh`, jets fall back to two calls and this says so).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn glibc_tanh_is_the_one_exponential_formula() {
        assert!(super::tanh_formula_is_platforms());
        assert_eq!(
            super::parts::Parts::tanh_sech2(0.5f64).map(|p| p.0),
            Some(0.5f64.tanh())
        );
    }

    use super::parts::{Parts, lanes_finite};
    use crate::Jet;
    use quickcheck::quickcheck;

    /// The engine's test: the two running sums of every part are finite.
    fn all_finite<P: Parts>(x: &P) -> bool {
        let mut lanes = [0.0; 2];
        x.add_parts(&mut lanes);
        lanes_finite(&lanes)
    }

    quickcheck! {
        /// On one number the test is `is_finite`, on every bit pattern, both precisions.
        fn all_finite_is_is_finite(bits: u64) -> bool {
            let x = f64::from_bits(bits);
            #[allow(clippy::cast_possible_truncation)]
            let y = f32::from_bits(bits as u32);
            all_finite(&x) == x.is_finite() && all_finite(&y) == y.is_finite()
        }
        /// A jet of parts below 1e300 in magnitude (no overflowing sum) is finite exactly when
        /// each part is, at every level; a NaN or an infinity in any one part is seen.
        fn jet_parts_finite(parts: Vec<f64>, bad: usize, which: u8) -> bool {
            let mut p = [0.0; 9];
            for (q, v) in p.iter_mut().zip(&parts) {
                *q = if v.is_finite() { v.clamp(-1e300, 1e300) } else { 1.0 };
            }
            let inner = |p: &[f64; 9], k: usize| Jet::new(p[3 * k], [p[3 * k + 1], p[3 * k + 2]]);
            let nested = |p: &[f64; 9]| Jet::new(inner(p, 0), [inner(p, 1), inner(p, 2)]);
            let finite = all_finite(&nested(&p)) && all_finite(&inner(&p, 1));
            p[bad % 9] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY][usize::from(which % 3)];
            let k = (bad % 9) / 3;
            finite && !all_finite(&nested(&p)) && !all_finite(&inner(&p, k))
        }
    }

    #[test]
    fn edge_values() {
        for x in [0.0, -0.0, f64::MAX, f64::MIN, f64::MIN_POSITIVE, 5e-324] {
            assert!(all_finite(&x), "{x}");
        }
        for x in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -f64::NAN] {
            assert!(!all_finite(&x), "{x}");
        }
        for x in [f32::MAX, f32::MIN, 1e-45_f32, -0.0] {
            assert!(all_finite(&x), "{x}");
        }
        for x in [f32::INFINITY, f32::NEG_INFINITY, f32::NAN] {
            assert!(!all_finite(&x), "{x}");
        }
        // the documented false alarm: finite parts whose sum overflows
        assert!(!all_finite(&Jet::new(f64::MAX, [f64::MAX])));
        // an odd number of tangents (the two-lane sum's last part)
        assert!(!all_finite(&Jet::new(0.0, [0.0, 0.0, f64::NAN])));
        assert!(all_finite(&Jet::new(0.0, [1.0, 2.0, 3.0])));
    }
}
