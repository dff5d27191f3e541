//! Custom derivative rules (`Rule`, `apply_rule`) and the functions built with them (`erf`,
//! `erfc`): values against published reference values, derivatives of orders 1 to 3 against
//! closed forms and Ridders differences, at every scalar type.

use crate::common;

use common::*;
use dualgrad::check::ridders_derivative;
use dualgrad::diff::custom::{Derivatives, MAX_RULE_ORDER, Rule, apply_rule};
use dualgrad::functions::{erf, erfc};
use dualgrad::prelude::*;
use dualgrad::second_derivative;
use dualgrad::third_derivative;
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
        fn max_order(&self) -> usize {
            MAX_RULE_ORDER
        }
        fn taylor(&self, x: f64, _order: usize, d: &mut Derivatives) {
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

// The rule contract: a declared maximum order, a buffer that is always long enough and starts
// as NaN.

/// `x³` by its value and first derivative only, as a user who needs only gradients writes it.
struct Cube1;
impl Rule for Cube1 {
    fn max_order(&self) -> usize {
        1
    }
    fn taylor(&self, x: f64, _order: usize, d: &mut Derivatives) {
        d[0] = x * x * x;
        d[1] = 3.0 * x * x; // written whatever `order` is: the buffer always has room
    }
}

fn cube1<T: Scalar>(x: T) -> T {
    apply_rule(&Cube1, x)
}

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = std::panic::catch_unwind(f).expect_err("expected a panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// A rule that supplies only `f` and `f'`, asked for a second derivative or a Hessian: a panic
/// that names the rule and both orders, not `f'' = 0`.
#[test]
fn a_first_order_rule_refuses_second_derivatives() {
    // what it supplies is exact: f(2) = 8, f'(2) = 12
    assert_eq!(derivative(cube1, 2.0), (8.0, 12.0));
    let msg = panic_message(|| {
        second_derivative(cube1, 2.0);
    });
    assert!(
        msg.contains("Cube1")
            && msg.contains("up to order 1 (Rule::max_order)")
            && msg.contains("needs order 2"),
        "{msg}"
    );
    let msg = panic_message(|| {
        hessian(|x| cube1(x[0]), &SVector::from([2.0]));
    });
    assert!(
        msg.contains("Cube1") && msg.contains("needs order 2"),
        "{msg}"
    );
}

/// A rule that declares order 2 but writes only `f` and `f'`: the unwritten `f''` reads as NaN
/// (the buffer starts as NaN), so the result is NaN, not a Hessian of `[[0]]`.
#[test]
fn an_unwritten_declared_order_is_nan_not_zero() {
    struct Cube2Lazy;
    impl Rule for Cube2Lazy {
        fn max_order(&self) -> usize {
            2
        }
        fn taylor(&self, x: f64, _order: usize, d: &mut Derivatives) {
            d[0] = x * x * x;
            d[1] = 3.0 * x * x;
        }
    }
    let (_, _, d2) = second_derivative(|x| apply_rule(&Cube2Lazy, x), 2.0_f64);
    assert!(d2.is_nan(), "f'' = {d2}, want NaN");
    let (_, _, h) = hessian(|x| apply_rule(&Cube2Lazy, x[0]), &SVector::from([2.0_f64]));
    assert!(h[(0, 0)].is_nan(), "H = {h}");
    // order 1 is unaffected: the unwritten entry is above what a gradient needs
    assert_eq!(derivative(|x| apply_rule(&Cube2Lazy, x), 2.0), (8.0, 12.0));
}

/// A rule that writes `d[1]` without looking at the order, evaluated on `f64` (order 0): no
/// index panic (the buffer is always `MAX_RULE_ORDER + 1` long), and the value is exact.
#[test]
fn a_rule_writing_beyond_the_order_asked_for_works_on_f64() {
    assert_eq!(cube1(2.0), 8.0);
    assert_eq!(cube1(-3.0), -27.0);
}

/// `c₀ + c₁x + c₂x² + c₃x³` as a rule with every derivative.
struct Cubic([f64; 4]);
impl Rule for Cubic {
    fn max_order(&self) -> usize {
        MAX_RULE_ORDER
    }
    fn taylor(&self, x: f64, order: usize, d: &mut Derivatives) {
        let [c0, c1, c2, c3] = self.0;
        let all = [
            c0 + x * (c1 + x * (c2 + x * c3)),
            c1 + x * (2.0 * c2 + x * 3.0 * c3),
            2.0 * c2 + 6.0 * c3 * x,
            6.0 * c3,
        ];
        for (j, dj) in d.iter_mut().enumerate().take(order + 1) {
            *dj = all.get(j).copied().unwrap_or(0.0);
        }
    }
}

/// The same polynomial in the scalar's own arithmetic: an independent code path.
fn cubic_direct<T: Scalar>(c: [f64; 4], x: T) -> T {
    ((x * c[3] + c[2]) * x + c[1]) * x + c[0]
}

/// `sin x + x²/4`: the inner function the rule is composed with.
fn inner<T: Scalar>(x: T) -> T {
    x.sin() + x * x * 0.25
}

/// Composed with an inner function, the rule's result at orders 0 to 3 equals the polynomial
/// evaluated in the scalar's arithmetic (`apply_rule`'s Taylor evaluation against the jets'
/// chain rule), on a bounded box of coefficients and points.
#[test]
fn prop_rule_composition_matches_direct_evaluation() {
    fn prop(c: (f64, f64, f64, f64), x: f64) -> TestResult {
        let (Some(c0), Some(c1), Some(c2), Some(c3), Some(x)) = (
            in_box(c.0, -3.0, 3.0),
            in_box(c.1, -3.0, 3.0),
            in_box(c.2, -3.0, 3.0),
            in_box(c.3, -3.0, 3.0),
            in_box(x, -2.0, 2.0),
        ) else {
            return TestResult::discard();
        };
        let c = [c0, c1, c2, c3];
        let a = third_derivative(|t| apply_rule(&Cubic(c), inner(t)), x);
        let b = third_derivative(|t| cubic_direct(c, inner(t)), x);
        let atol = 1e-13 * (1.0 + 30.0 * c.iter().map(|v| v.abs()).sum::<f64>());
        let parts = [
            ("value", a.0, b.0),
            ("f'", a.1, b.1),
            ("f''", a.2, b.2),
            ("f'''", a.3, b.3),
        ];
        let r = parts
            .into_iter()
            .try_for_each(|(w, p, q)| close(w, p, q, atol, 1e-12))
            .and_then(|()| close("f64", apply_rule(&Cubic(c), inner(x)), a.0, 0.0, 0.0));
        verdict(r)
    }
    check(prop as fn((f64, f64, f64, f64), f64) -> TestResult);
}

/// `eˣ` to `order`, garbage above it, declared to order `m`.
struct Noisy {
    garbage: f64,
    m: usize,
}
impl Rule for Noisy {
    fn max_order(&self) -> usize {
        self.m
    }
    fn taylor(&self, x: f64, order: usize, d: &mut Derivatives) {
        d.fill(self.garbage);
        d[..=order].fill(x.exp());
    }
}

/// The value and the derivatives of orders 1 to `k` of `Noisy` at `x`.
fn noisy_derivatives(rule: &Noisy, x: f64, k: usize) -> Vec<f64> {
    match k {
        1 => {
            let (a, b) = derivative(|t| apply_rule(rule, t), x);
            vec![a, b]
        }
        2 => {
            let (a, b, c) = second_derivative(|t| apply_rule(rule, t), x);
            vec![a, b, c]
        }
        _ => {
            let (a, b, c, d) = third_derivative(|t| apply_rule(rule, t), x);
            vec![a, b, c, d]
        }
    }
}

/// Whatever a rule writes above the order asked for is ignored, and a rule declared to order
/// `m` works on every scalar type of order at most `m` and panics, naming the order, above.
#[test]
fn prop_orders_above_the_request_are_ignored_and_the_declared_order_is_enforced() {
    fn prop(garbage: f64, x: f64, m: u8) -> TestResult {
        let Some(x) = in_box(x, -3.0, 3.0) else {
            return TestResult::discard();
        };
        let rule = Noisy {
            garbage,
            m: usize::from(m % 4),
        };
        let e = x.exp();
        let mut r = close("order 0", apply_rule(&rule, x), e, 0.0, 0.0);
        for k in 1..=3 {
            if r.is_err() {
                break;
            }
            if k <= rule.m {
                r = noisy_derivatives(&rule, x, k)
                    .iter()
                    .try_for_each(|&v| close(&format!("order {k}"), v, e, 0.0, 4e-16));
            } else {
                let msg = panic_message(|| {
                    noisy_derivatives(&rule, x, k);
                });
                if !msg.contains(&format!("needs order {k}")) {
                    r = Err(format!("order {k} > declared {}: {msg}", rule.m));
                }
            }
        }
        verdict(r)
    }
    check(prop as fn(f64, f64, u8) -> TestResult);
}
