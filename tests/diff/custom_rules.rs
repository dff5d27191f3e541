//! Custom derivative rules (`Rule`, `apply_rule`) and the functions built with them (`erf`,
//! `erfc`): values against published reference values, derivatives of orders 1 to 3 against
//! closed forms and Ridders differences, at every scalar type.

use crate::common;

use common::*;
use dualgrad::check::ridders_derivative;
use dualgrad::diff::custom::{Rule, apply_rule};
use dualgrad::functions::{erf, erfc};
use dualgrad::prelude::*;
use dualgrad::second_derivative;
use nalgebra::SVector;
use num_dual::{DualSVec64, HyperDual64};
use quickcheck::TestResult;

const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// erf(x) reference values (Abramowitz & Stegun table 7.1, extended to 16 digits with
/// Wolfram|Alpha `N[Erf[x], 17]`) and erfc in the tail (`N[Erfc[x], 17]`).
#[test]
#[allow(clippy::excessive_precision)] // the published digits, as published
fn values_against_reference_tables() {
    let erf_ref = [
        (0.1, 0.11246291601828489),
        (0.5, 0.52049987781304654),
        (1.0, 0.84270079294971487),
        (2.0, 0.99532226501895273),
        (-1.5, -0.96610514647531073),
    ];
    for (x, want) in erf_ref {
        close(&format!("erf({x})"), erf(x), want, 0.0, 4e-16).unwrap();
        close(&format!("erfc({x})"), erfc(x), 1.0 - want, 1e-16, 4e-15).unwrap();
    }
    let erfc_ref = [
        (5.0, 1.5374597944280349e-12),
        (10.0, 2.0884875837625448e-45),
    ];
    for (x, want) in erfc_ref {
        close(&format!("erfc({x})"), erfc(x), want, 0.0, 1e-14).unwrap();
    }
}

fn d1(x: f64) -> f64 {
    TWO_OVER_SQRT_PI * (-x * x).exp()
}
fn d2(x: f64) -> f64 {
    -2.0 * x * d1(x)
}
fn d3(x: f64) -> f64 {
    // e^{−x²} underflows to 0 long before 4x² overflows; the limit is 0
    if d1(x) == 0.0 {
        0.0
    } else {
        (4.0 * x * x - 2.0) * d1(x)
    }
}

fn check_erf_at(x: f64) -> Result<(), String> {
    let ctx = |w: &str| format!("erf at x = {x:e}: {w}");
    // first order: Jet, num-dual DualSVec64, against closed form and Ridders
    let (v, d) = derivative(erf, x);
    close_cf(&ctx("value"), v, libm::erf(x))?;
    close_cf(&ctx("erf' (Jet)"), d, d1(x))?;
    let (fd, err) = ridders_derivative(libm::erf, x);
    close(&ctx("erf' vs Ridders"), d, fd, 10.0 * err + 1e-13, 0.0)?;
    let dv = erf(DualSVec64::<1>::new(
        x,
        num_dual::Derivative::some(SVector::from([1.0])),
    ));
    close_cf(
        &ctx("erf' (DualSVec64)"),
        dv.eps.unwrap_generic(nalgebra::U1, nalgebra::U1)[0],
        d1(x),
    )?;
    // second order: Dual2_64, HyperDual64, Jet<Jet>
    let (_, a, b) = second_derivative(erf, x);
    close_cf(&ctx("erf' (Dual2)"), a, d1(x))?;
    close_cf(&ctx("erf'' (Dual2)"), b, d2(x))?;
    let h = erf(HyperDual64::new(x, 1.0, 1.0, 0.0));
    close_cf(&ctx("erf'' (HyperDual64)"), h.eps1eps2, d2(x))?;
    let (_, dd) = derivative(|t| derivative(erf, t).1, x);
    close_cf(&ctx("erf'' (Jet<Jet>)"), dd, d2(x))?;
    // third order: Jet<Jet<Jet>>
    let (_, ddd) = derivative(|t| derivative(|s| derivative(erf, s).1, t).1, x);
    close_cf(&ctx("erf''' (Jet<Jet<Jet>>)"), ddd, d3(x))?;
    // erfc = 1 − erf, derivatives negated, at second order
    let (vc, ac, bc) = second_derivative(erfc, x);
    close_cf(&ctx("erfc"), vc, libm::erfc(x))?;
    close_cf(&ctx("erfc'"), ac, -d1(x))?;
    close_cf(&ctx("erfc''"), bc, -d2(x))
}

#[test]
fn erf_derivatives_of_orders_one_to_three() {
    fn prop(raw: f64) -> TestResult {
        let Some(x) = in_box(raw, -4.0, 4.0) else {
            return TestResult::discard();
        };
        verdict(check_erf_at(x))
    }
    check(prop as fn(f64) -> TestResult);
}

#[test]
fn erf_at_extreme_arguments() {
    for x in [0.0, 30.0, -30.0, 1e300, -1e300] {
        check_erf_at(x).unwrap();
    }
    let (v, d) = derivative(erf, f64::NAN);
    assert!(v.is_nan() && d.is_nan());
    assert_eq!(derivative(erf, f64::INFINITY), (1.0, 0.0));
}

/// A user rule for `eˣ` agrees with the built-in `exp` at orders 1 to 3 (an identity between
/// two independent code paths), and inside a gradient.
#[test]
fn a_user_rule_agrees_with_the_builtin_function() {
    struct Exp;
    impl Rule for Exp {
        fn taylor(&self, x: f64, d: &mut [f64]) {
            d.fill(x.exp());
        }
    }
    fn f<T: Scalar>(x: T) -> T {
        apply_rule(&Exp, x * x) * x
    }
    fn g<T: Scalar>(x: T) -> T {
        (x * x).exp() * x
    }
    for x in [-1.3, 0.0, 0.4, 2.0] {
        let a = derivative(|t| derivative(|s| derivative(f, s).1, t).1, x);
        let b = derivative(|t| derivative(|s| derivative(g, s).1, t).1, x);
        close_cf("third derivative", a.1, b.1).unwrap();
        close_cf("second derivative", a.0, b.0).unwrap();
    }
    let p = SVector::from([0.3, -0.7]);
    let (_, ga, ha) = hessian(|x| apply_rule(&Exp, x[0] * x[1]) + x[0], &p);
    let (_, gb, hb) = hessian(|x| (x[0] * x[1]).exp() + x[0], &p);
    close_mat_cf("gradient", &ga, &gb).unwrap();
    close_mat_cf("hessian", &ha, &hb).unwrap();
}
