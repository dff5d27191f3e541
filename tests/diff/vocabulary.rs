//! One method vocabulary: generic code over `Scalar` calls `exp`, `sqrt`, `powi`, `abs`, `max`
//! unqualified, and concrete calls on `Jet` stay unambiguous with every trait that names the
//! same functions in scope (num-dual's `DualNum` from the prelude, nalgebra's `ComplexField` and
//! `RealField`, num-traits' `Float`): inherent methods take precedence. This file compiling is
//! most of the test; the values are checked against closed forms.

use dualgrad::prelude::*;
use nalgebra::{ComplexField, RealField, SVector};
use num_traits::Float;

/// Generic code in the one vocabulary.
fn generic<T: Scalar>(x: &SVector<T, 2>) -> T {
    let a = x[0].exp() * x[1].sqrt() + x[0].powi(2) - x[1].abs();
    let b = x[0].max(x[1]) + x[1].min(T::lift(0.5)) + x[0].powf(T::lift(1.5));
    a + b * 2.0 + x[0].sin().atan2(x[1].cos()) + x[0].hypot(x[1])
}

#[test]
fn concrete_calls_on_jet_are_unambiguous() {
    let x = SVector::from([0.7_f64, 2.0]);
    let (v, g) = gradient(
        |x| {
            x[0].exp() * x[1].sqrt() + x[0].powi(2) - x[1].abs()
                + (x[0].max(x[1]) + x[1].min(Jet::constant(0.5)) + x[0].powf(1.5)) * 2.0
                + x[0].sin().atan2(x[1].cos())
                + x[0].hypot(x[1])
        },
        &x,
    );
    let (vg, gg) = gradient(generic, &x);
    assert_eq!((v, g), (vg, gg));
    // closed form of the gradient (x₀ < x₁ so max = x₁, min = 0.5)
    let (x0, x1) = (x[0], x[1]);
    let (s, c) = (x0.sin(), x1.cos());
    let r = x0.hypot(x1);
    let d_atan = 1.0 / (s * s + c * c);
    let want = SVector::from([
        x0.exp() * x1.sqrt() + 2.0 * x0 + 3.0 * x0.sqrt() + c * x0.cos() * d_atan + x0 / r,
        x0.exp() * 0.5 / x1.sqrt() - 1.0 + 2.0 + s * x1.sin() * d_atan + x1 / r,
    ]);
    assert!((g - want).amax() < 1e-13, "{g} vs {want}");
}

/// `x.max(y)` (nalgebra's `RealField`) follows the same NaN and tie rules as `Scalar::max` on
/// `f64` and `Jet` (issue 12's conventions): a NaN argument is ignored, a tie returns `self`.
#[test]
fn realfield_max_min_follow_the_scalar_conventions_on_jets() {
    /// `d` reads the derivative (`None` for f64, which has none).
    fn check<T: Scalar>(var: impl Fn(f64) -> T, d: impl Fn(&T) -> Option<f64>) {
        let (nan, one) = (T::lift(f64::NAN), var(1.0));
        for (got, want) in [
            (nan.max(one), Scalar::max(nan, one)),
            (one.max(nan), Scalar::max(one, nan)),
            (nan.min(one), Scalar::min(nan, one)),
            (one.min(nan), Scalar::min(one, nan)),
        ] {
            assert_eq!(got.value(), 1.0);
            assert_eq!(want.value(), 1.0);
            assert_eq!(d(&got), d(&want));
        }
        assert!(nan.max(nan).value().is_nan());
        let (a, b) = (var(2.0), T::lift(2.0));
        if d(&a).is_some() {
            assert_eq!(
                (d(&a.max(b)), d(&b.max(a)), d(&b.min(a))),
                (Some(1.0), Some(0.0), Some(0.0))
            );
        }
    }
    check(|v| v, |_| None);
    check(|v| Jet::<f64, 1>::variable(v, 0), |j| Some(j.eps[0]));
    check(
        |v| Jet::<Jet<f64, 1>, 1>::variable(Jet::constant(v), 0),
        |j| Some(j.eps[0].re),
    );
}
