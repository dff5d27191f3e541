//! The NaN and tie conventions of `Scalar::max`, `Scalar::min` and `abs` (issue 12), on every
//! scalar type the crate accepts: `f64`, `Jet`, `Jet` of `Jet`, and num-dual's `Dual64`,
//! `DualSVec64`, `Dual2SVec64`, `Dual2_64` and `HyperDual64`. (num-dual's nested `Dual<Dual64>`
//! is no longer a `Scalar`: num-dual implements nalgebra's `RealField` only over f32/f64.)
//!
//! The conventions follow `f64` where it defines them: `max(NaN, 1) = max(1, NaN) = 1`,
//! `min` likewise, NaN only when both are NaN, and `abs(−0.0) = +0.0`. The derivative follows
//! the winner of `max`/`min`; `abs` takes the derivative of the branch its sign bit selects
//! (`−1` at `−0.0`, `+1` at `+0.0`).

use dualgrad::{Jet, Scalar};
use num_dual::{Dual2_64, Dual2SVec64, Dual64, DualSVec64, HyperDual64};
use num_traits::Signed;

/// A value of type `T` with real part `re` and first derivative `d` along the variable (through
/// `f64` → `T` by lifting and a seeded variable).
trait Probe: Scalar {
    /// The variable `x` at `re` (derivative 1).
    fn var(re: f64) -> Self;
    /// The first derivative with respect to the variable.
    fn d(&self) -> f64;
}

impl Probe for f64 {
    fn var(re: f64) -> Self {
        re
    }
    fn d(&self) -> f64 {
        f64::NAN // no derivative part: callers skip it
    }
}
impl Probe for Jet<f64, 1> {
    fn var(re: f64) -> Self {
        Jet::new(re, [1.0])
    }
    fn d(&self) -> f64 {
        self.eps[0]
    }
}
impl Probe for Jet<Jet<f64, 1>, 1> {
    fn var(re: f64) -> Self {
        Jet::new(Jet::new(re, [1.0]), [Jet::new(1.0, [0.0])])
    }
    fn d(&self) -> f64 {
        self.re.eps[0]
    }
}
impl Probe for Dual64 {
    fn var(re: f64) -> Self {
        Dual64::new(re, 1.0)
    }
    fn d(&self) -> f64 {
        self.eps
    }
}
impl Probe for DualSVec64<1> {
    fn var(re: f64) -> Self {
        DualSVec64::new(
            re,
            num_dual::Derivative::some(nalgebra::SVector::from([1.0])),
        )
    }
    fn d(&self) -> f64 {
        self.eps
            .unwrap_generic(nalgebra::Const::<1>, nalgebra::Const::<1>)[0]
    }
}
impl Probe for Dual2SVec64<1> {
    fn var(re: f64) -> Self {
        Dual2SVec64::new(
            re,
            num_dual::Derivative::some(nalgebra::SMatrix::from([[1.0]])),
            num_dual::Derivative::none(),
        )
    }
    fn d(&self) -> f64 {
        self.v1
            .unwrap_generic(nalgebra::Const::<1>, nalgebra::Const::<1>)[0]
    }
}
impl Probe for Dual2_64 {
    fn var(re: f64) -> Self {
        Dual2_64::new(re, 1.0, 0.0)
    }
    fn d(&self) -> f64 {
        self.v1
    }
}
impl Probe for HyperDual64 {
    fn var(re: f64) -> Self {
        HyperDual64::new(re, 1.0, 1.0, 0.0)
    }
    fn d(&self) -> f64 {
        self.eps1
    }
}

fn has_d<T: Probe>() -> bool {
    !T::var(1.0).d().is_nan()
}

fn max_min_follow_f64<T: Probe>(name: &str) {
    let nan = T::lift(f64::NAN);
    let one = T::var(1.0);
    for (got, want) in [
        (Scalar::max(nan, one), 1.0),
        (Scalar::max(one, nan), 1.0),
        (Scalar::min(nan, one), 1.0),
        (Scalar::min(one, nan), 1.0),
    ] {
        assert_eq!(got.value(), want, "{name}");
        if has_d::<T>() {
            assert_eq!(
                got.d(),
                1.0,
                "{name}: the derivative follows the non-NaN argument"
            );
        }
    }
    assert!(Scalar::max(nan, nan).value().is_nan(), "{name}");
    assert!(Scalar::min(nan, nan).value().is_nan(), "{name}");
    // as f64 does
    assert_eq!(f64::NAN.max(1.0), 1.0);
    assert_eq!(1.0_f64.min(f64::NAN), 1.0);
    // ties return `self`, derivative included
    let (a, b) = (T::var(2.0), T::lift(2.0));
    assert_eq!(Scalar::max(a, b).value(), 2.0, "{name}");
    assert_eq!(Scalar::min(b, a).value(), 2.0, "{name}");
    if has_d::<T>() {
        assert_eq!(Scalar::max(a, b).d(), 1.0, "{name}: tie returns self");
        assert_eq!(Scalar::max(b, a).d(), 0.0, "{name}: tie returns self");
        assert_eq!(Scalar::min(b, a).d(), 0.0, "{name}: tie returns self");
    }
    // the larger wins, with its derivative
    let (x, c) = (T::var(3.0), T::lift(-1.0));
    assert_eq!(Scalar::max(c, x).value(), 3.0, "{name}");
    assert_eq!(Scalar::min(x, c).value(), -1.0, "{name}");
    if has_d::<T>() {
        assert_eq!(Scalar::max(c, x).d(), 1.0, "{name}");
        assert_eq!(Scalar::min(x, c).d(), 0.0, "{name}");
    }
}

fn abs_follows_f64<T: Probe>(name: &str) {
    let neg = Signed::abs(&T::var(-0.0));
    let pos = Signed::abs(&T::var(0.0));
    assert_eq!(
        neg.value().to_bits(),
        0.0_f64.to_bits(),
        "{name}: abs(-0.0) is +0.0"
    );
    assert_eq!(
        pos.value().to_bits(),
        0.0_f64.to_bits(),
        "{name}: abs(+0.0) is +0.0"
    );
    assert_eq!((-0.0_f64).abs().to_bits(), 0.0_f64.to_bits());
    if has_d::<T>() {
        assert_eq!(neg.d(), -1.0, "{name}: the branch x < 0 at -0.0");
        assert_eq!(pos.d(), 1.0, "{name}: the branch x >= 0 at +0.0");
        assert_eq!(Signed::abs(&T::var(-2.0)).d(), -1.0, "{name}");
        assert_eq!(Signed::abs(&T::var(2.0)).d(), 1.0, "{name}");
    }
    assert_eq!(Signed::abs(&T::var(-2.5)).value(), 2.5, "{name}");
    assert!(Signed::abs(&T::lift(f64::NAN)).value().is_nan(), "{name}");
    assert_eq!(
        Signed::abs(&T::lift(f64::NEG_INFINITY)).value(),
        f64::INFINITY,
        "{name}"
    );
}

macro_rules! every_type {
    ($check:ident) => {
        $check::<f64>("f64");
        $check::<Jet<f64, 1>>("Jet");
        $check::<Jet<Jet<f64, 1>, 1>>("Jet<Jet>");
        $check::<Dual64>("Dual64");
        $check::<DualSVec64<1>>("DualSVec64");
        $check::<Dual2SVec64<1>>("Dual2SVec64");
        $check::<Dual2_64>("Dual2_64");
        $check::<HyperDual64>("HyperDual64");
    };
}

#[test]
fn max_and_min_ignore_nan_like_f64_on_every_scalar_type() {
    every_type!(max_min_follow_f64);
}

#[test]
fn abs_of_negative_zero_is_positive_zero_on_every_scalar_type() {
    every_type!(abs_follows_f64);
}

/// On any pair of finite or NaN values, `Scalar::max`/`min` on `f64` agree with `f64::max`/`min`
/// up to the sign of a zero tie (which `f64` leaves unspecified).
#[test]
fn max_min_agree_with_f64_on_any_pair() {
    fn prop(a: f64, b: f64) -> bool {
        let same = |x: f64, y: f64| x == y || (x.is_nan() && y.is_nan());
        same(Scalar::max(a, b), a.max(b)) && same(Scalar::min(a, b), a.min(b))
    }
    quickcheck::QuickCheck::new()
        .tests(2000)
        .quickcheck(prop as fn(f64, f64) -> bool);
}
