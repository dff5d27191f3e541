//! Property tests of the differentiation rules and of every elementary function, through the
//! public entry points `derivative`, `second_derivative`, `gradient` and `hessian`.
//!
//! Each property draws its inputs from a bounded box (see `common::in_box`) and checks the
//! automatic derivative against BOTH a closed form written here in plain `f64` and a central
//! finite difference of the plain `f64` function; tolerances are justified in `common`.

use crate::common;

use common::*;
use dualgrad::functions::{
    bce_with_logits, log_sum_exp, relu, sigmoid, softmax, softmax_cross_entropy, softplus,
};
use dualgrad::prelude::*;
use dualgrad::{second_derivative, third_derivative};
use nalgebra::SVector;
use num_dual::Dual2_64;
use quickcheck::TestResult;

/// Every quantity a one-variable function gives: value, first derivative through `derivative`
/// (Jet), second derivative through `second_derivative` (Jet of Jet), num-dual's `Dual2` and
/// nested `derivative` calls (Jet of Jet), each against its closed form, plus the first derivative
/// against a central difference.
#[allow(clippy::too_many_arguments)]
fn check_unary(
    name: &str,
    x: f64,
    f: impl Fn(f64) -> f64,
    f_jet: impl Fn(Jet<f64, 1>) -> Jet<f64, 1>,
    f_jet2: impl Fn(Jet<Jet<f64, 1>, 1>) -> Jet<Jet<f64, 1>, 1>,
    f_dual2: impl Fn(Dual2_64) -> Dual2_64,
    d1: impl Fn(f64) -> f64,
    d2: impl Fn(f64) -> f64,
) -> Result<(), String> {
    let ctx = |what: &str| format!("{name} at x = {x:e}: {what}");
    let (v, d) = derivative(&f_jet, x);
    close_cf(&ctx("value"), v, f(x))?;
    close_cf(&ctx("f' vs closed form"), d, d1(x))?;
    close_fd(&ctx("f' vs finite difference"), d, fd(&f, x))?;

    let (v2, d1_2, d2_2) = second_derivative(&f_jet2, x);
    close_cf(&ctx("second_derivative value"), v2, f(x))?;
    close_cf(&ctx("second_derivative f'"), d1_2, d1(x))?;
    close_cf(&ctx("second_derivative f''"), d2_2, d2(x))?;
    let (v2, d1_2, d2_2) = num_dual::second_derivative(&f_dual2, x);
    close_cf(&ctx("num-dual Dual2 value"), v2, f(x))?;
    close_cf(&ctx("num-dual Dual2 f'"), d1_2, d1(x))?;
    close_cf(&ctx("num-dual Dual2 f''"), d2_2, d2(x))?;

    let (dn, ddn) = derivative(|t| derivative(&f_jet2, t).1, x);
    close_cf(&ctx("nested derivative f'"), dn, d1(x))?;
    close_cf(&ctx("nested derivative f''"), ddn, d2(x))?;
    close_fd(&ctx("f'' vs finite difference of f'"), ddn, fd(&d1, x))?;
    Ok(())
}

/// A property test of one elementary function on its box `[lo, hi]`, with the closed forms of
/// its first and second derivatives. `$f` is written once and instantiated at `f64`, `Jet`,
/// `Jet<Jet>` and `Dual2`.
macro_rules! unary {
    ($test:ident, [$lo:expr, $hi:expr], |$x:ident| $f:expr, d1 = |$y:ident| $d1:expr, d2 = |$z:ident| $d2:expr $(,)?) => {
        #[test]
        fn $test() {
            fn prop(raw: f64) -> TestResult {
                let Some(x) = in_box(raw, $lo, $hi) else {
                    return TestResult::discard();
                };
                verdict(check_unary(
                    stringify!($test),
                    x,
                    |$x: f64| $f,
                    |$x: Jet<f64, 1>| $f,
                    |$x: Jet<Jet<f64, 1>, 1>| $f,
                    |$x: Dual2_64| $f,
                    |$y: f64| $d1,
                    |$z: f64| $d2,
                ))
            }
            check(prop as fn(f64) -> TestResult);
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Elementary functions, each on a box inside its domain
// ---------------------------------------------------------------------------------------------

unary!(
    exp,
    [-5.0, 5.0],
    |x| x.exp(),
    d1 = |x| x.exp(),
    d2 = |x| x.exp()
);
unary!(
    ln,
    [0.05, 50.0],
    |x| x.ln(),
    d1 = |x| 1.0 / x,
    d2 = |x| -1.0 / (x * x)
);
unary!(
    powi_3,
    [-4.0, 4.0],
    |x| x.powi(3),
    d1 = |x| 3.0 * x * x,
    d2 = |x| 6.0 * x
);
unary!(
    powi_minus_2,
    [0.2, 5.0],
    |x| x.powi(-2),
    d1 = |x| -2.0 / (x * x * x),
    d2 = |x| 6.0 / (x * x * x * x),
);
unary!(
    powi_5_negative_base,
    [-3.0, -0.1],
    |x| x.powi(5),
    d1 = |x| 5.0 * x.powi(4),
    d2 = |x| 20.0 * x.powi(3)
);
unary!(
    powf_2_5,
    [0.01, 5.0],
    |x| x.powf(2.5),
    d1 = |x| 2.5 * x.powf(1.5),
    d2 = |x| 3.75 * x.sqrt(),
);
unary!(
    powf_minus_0_7,
    [0.2, 5.0],
    |x| x.powf(-0.7),
    d1 = |x| -0.7 * x.powf(-1.7),
    d2 = |x| 1.19 * x.powf(-2.7),
);
unary!(
    sqrt,
    [0.05, 100.0],
    |x| x.sqrt(),
    d1 = |x| 0.5 / x.sqrt(),
    d2 = |x| -0.25 / (x * x.sqrt()),
);
unary!(
    sin,
    [-10.0, 10.0],
    |x| x.sin(),
    d1 = |x| x.cos(),
    d2 = |x| -x.sin()
);
unary!(
    cos,
    [-10.0, 10.0],
    |x| x.cos(),
    d1 = |x| -x.sin(),
    d2 = |x| -x.cos()
);
unary!(
    tan,
    [-1.3, 1.3],
    |x| x.tan(),
    d1 = |x| 1.0 / (x.cos() * x.cos()),
    d2 = |x| 2.0 * x.tan() / (x.cos() * x.cos()),
);
unary!(
    tanh,
    [-6.0, 6.0],
    |x| x.tanh(),
    d1 = |x| 1.0 / (x.cosh() * x.cosh()),
    d2 = |x| -2.0 * x.tanh() / (x.cosh() * x.cosh()),
);

/// `atan2(y, x)`: ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²); second derivatives
/// ∂²/∂y² = −2xy / r⁴, ∂²/∂x² = 2xy / r⁴, ∂²/∂x∂y = (y² − x²) / r⁴.
#[test]
fn atan2() {
    fn prop(ry: f64, rx: f64) -> TestResult {
        let (Some(y), Some(x)) = (in_box(ry, -3.0, 3.0), in_box(rx, -3.0, 3.0)) else {
            return TestResult::discard();
        };
        let r2 = x * x + y * y;
        // away from the origin (singular) and from the branch cut y = 0, x < 0 (where a finite
        // difference straddles the jump of 2π)
        if r2 < 0.01 || (x < 0.0 && y.abs() < 1e-3) {
            return TestResult::discard();
        }
        let p = SVector::from([y, x]);
        let plain = |p: &SVector<f64, 2>| p[0].atan2(p[1]);
        let r = (|| {
            let ctx = format!("atan2(y = {y:e}, x = {x:e})");
            let (v, g) = gradient(|p| p[0].atan2(p[1]), &p);
            close_cf(&format!("{ctx} value"), v, y.atan2(x))?;
            let want = SVector::from([x / r2, -y / r2]);
            close_mat_cf(&format!("{ctx} gradient"), &g, &want)?;
            close_mat_fd(
                &format!("{ctx} gradient vs fd"),
                &g,
                &fd_gradient(plain, &p),
            )?;
            let (_, _, h) = hessian(|p| p[0].atan2(p[1]), &p);
            let r4 = r2 * r2;
            let want_h = nalgebra::SMatrix::<f64, 2, 2>::new(
                -2.0 * x * y / r4,
                (y * y - x * x) / r4,
                (y * y - x * x) / r4,
                2.0 * x * y / r4,
            );
            // entries reach 1/r² ≈ 100 near the excluded disc: scale the absolute tolerance
            close_mat(
                &format!("{ctx} hessian"),
                &h,
                &want_h,
                CF_ATOL / r2,
                CF_RTOL,
            )?;
            // the one-variable entry point on each argument
            let (_, dy) = derivative(|t| t.atan2(Jet::lift(x)), y);
            close_cf(&format!("{ctx} derivative in y"), dy, x / r2)?;
            let (_, dx) = derivative(|t| Jet::lift(y).atan2(t), x);
            close_cf(&format!("{ctx} derivative in x"), dx, -y / r2)
        })();
        verdict(r)
    }
    check(prop as fn(f64, f64) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// Sum, product, quotient and chain rules on generic functions of three inputs
// ---------------------------------------------------------------------------------------------

/// Check `gradient` of a generic `f: R³ → R` against its closed-form gradient and finite
/// differences, and `derivative`/`second_derivative` of `t ↦ f(t, y, z)` against the closed forms
/// of `∂f/∂x` and `∂²f/∂x²`.
#[allow(clippy::too_many_arguments)]
fn check_rule<F: Fn(&SVector<f64, 3>) -> f64>(
    name: &str,
    p: &SVector<f64, 3>,
    f: F,
    grad_of: impl Fn(&SVector<Jet<f64, 3>, 3>) -> Jet<f64, 3>,
    partial_x: impl Fn(Jet<f64, 1>) -> Jet<f64, 1>,
    second_x: impl Fn(Dual2_64) -> Dual2_64,
    grad_cf: SVector<f64, 3>,
    fxx_cf: f64,
) -> Result<(), String> {
    let ctx = |what: &str| format!("{name} at {:?}: {what}", p.as_slice());
    let (v, g) = gradient(grad_of, p);
    close_cf(&ctx("value"), v, f(p))?;
    close_mat_cf(&ctx("gradient vs closed form"), &g, &grad_cf)?;
    close_mat_fd(&ctx("gradient vs fd"), &g, &fd_gradient(&f, p))?;
    let (vx, dx) = derivative(partial_x, p[0]);
    close_cf(&ctx("derivative value"), vx, f(p))?;
    close_cf(&ctx("derivative ∂f/∂x"), dx, grad_cf[0])?;
    let (_, d1, d2) = num_dual::second_derivative(second_x, p[0]);
    close_cf(&ctx("second_derivative ∂f/∂x"), d1, grad_cf[0])?;
    close_cf(&ctx("second_derivative ∂²f/∂x²"), d2, fxx_cf)
}

/// The box of the rule tests: every input in [−2, 2].
fn rule_point(raw: [f64; 3]) -> Option<SVector<f64, 3>> {
    vec_in_box(raw, -2.0, 2.0)
}

/// `t ↦ (t, y, z)` at any scalar type, for the one-variable entry points.
fn along_x<T: Scalar>(t: T, p: &SVector<f64, 3>) -> SVector<T, 3> {
    SVector::from([t, T::lift(p[1]), T::lift(p[2])])
}

/// Sum rule: f = x²y + sin z + 3xz, ∇f = (2xy + 3z, x², cos z + 3x), ∂²f/∂x² = 2y.
fn sum_f<T: Scalar>(p: &SVector<T, 3>) -> T {
    let (x, y, z) = (p[0], p[1], p[2]);
    x * x * y + z.sin() + x * z * 3.0
}

#[test]
fn sum_rule() {
    fn prop(raw: [f64; 3]) -> TestResult {
        let Some(p) = rule_point(raw) else {
            return TestResult::discard();
        };
        let (x, y, z) = (p[0], p[1], p[2]);
        verdict(check_rule(
            "sum rule",
            &p,
            sum_f,
            sum_f,
            |t| sum_f(&along_x(t, &p)),
            |t| sum_f(&along_x(t, &p)),
            SVector::from([2.0 * x * y + 3.0 * z, x * x, z.cos() + 3.0 * x]),
            2.0 * y,
        ))
    }
    check(prop as fn([f64; 3]) -> TestResult);
}

/// Product rule: f = u v w with u = x² + y, v = sin z + 2, w = cos(xy):
/// ∇f = ∇u·vw + u·∇v·w + uv·∇w, ∂²f/∂x² = v (u_xx w + 2 u_x w_x + u w_xx).
fn product_f<T: Scalar>(p: &SVector<T, 3>) -> T {
    let (x, y, z) = (p[0], p[1], p[2]);
    (x * x + y) * (z.sin() + 2.0) * (x * y).cos()
}

#[test]
fn product_rule() {
    fn prop(raw: [f64; 3]) -> TestResult {
        let Some(p) = rule_point(raw) else {
            return TestResult::discard();
        };
        let (x, y, z) = (p[0], p[1], p[2]);
        let (u, v, w) = (x * x + y, z.sin() + 2.0, (x * y).cos());
        let du = SVector::from([2.0 * x, 1.0, 0.0]);
        let dv = SVector::from([0.0, 0.0, z.cos()]);
        let dw = SVector::from([-y * (x * y).sin(), -x * (x * y).sin(), 0.0]);
        let grad = du * (v * w) + dv * (u * w) + dw * (u * v);
        let fxx = v * (2.0 * w + 2.0 * du[0] * dw[0] + u * (-y * y * (x * y).cos()));
        verdict(check_rule(
            "product rule",
            &p,
            product_f,
            product_f,
            |t| product_f(&along_x(t, &p)),
            |t| product_f(&along_x(t, &p)),
            grad,
            fxx,
        ))
    }
    check(prop as fn([f64; 3]) -> TestResult);
}

/// Quotient rule: f = n / d with n = xy + 1, d = x² + z² + 1: ∇f = (∇n d − n ∇d) / d²,
/// ∂²f/∂x² = (−4xy − 2n) / d² + 8x²n / d³.
fn quotient_f<T: Scalar>(p: &SVector<T, 3>) -> T {
    let (x, y, z) = (p[0], p[1], p[2]);
    (x * y + 1.0) / (x * x + z * z + 1.0)
}

#[test]
fn quotient_rule() {
    fn prop(raw: [f64; 3]) -> TestResult {
        let Some(p) = rule_point(raw) else {
            return TestResult::discard();
        };
        let (x, y, z) = (p[0], p[1], p[2]);
        let (n, d) = (x * y + 1.0, x * x + z * z + 1.0);
        let dn = SVector::from([y, x, 0.0]);
        let dd = SVector::from([2.0 * x, 0.0, 2.0 * z]);
        let grad = (dn * d - dd * n) / (d * d);
        let fxx = (-4.0 * x * y - 2.0 * n) / (d * d) + 8.0 * x * x * n / (d * d * d);
        verdict(check_rule(
            "quotient rule",
            &p,
            quotient_f,
            quotient_f,
            |t| quotient_f(&along_x(t, &p)),
            |t| quotient_f(&along_x(t, &p)),
            grad,
            fxx,
        ))
    }
    check(prop as fn([f64; 3]) -> TestResult);
}

/// Chain rule through three layers: f = g(h) with h = x sin y + z², g(u) = exp(tanh u):
/// ∇f = g'(h) ∇h with g' = g (1 − t²), t = tanh h; ∂²f/∂x² = g''(h) h_x² with
/// g'' = g (1 − t²)(1 − t² − 2t).
fn chain_f<T: Scalar>(p: &SVector<T, 3>) -> T {
    let (x, y, z) = (p[0], p[1], p[2]);
    (x * y.sin() + z * z).tanh().exp()
}

#[test]
fn chain_rule() {
    fn prop(raw: [f64; 3]) -> TestResult {
        let Some(p) = rule_point(raw) else {
            return TestResult::discard();
        };
        let (x, y, z) = (p[0], p[1], p[2]);
        let h = x * y.sin() + z * z;
        let t = h.tanh();
        let g = t.exp();
        let g1 = g * (1.0 - t * t);
        let g2 = g * (1.0 - t * t) * (1.0 - t * t - 2.0 * t);
        let dh = SVector::from([y.sin(), x * y.cos(), 2.0 * z]);
        verdict(check_rule(
            "chain rule",
            &p,
            chain_f,
            chain_f,
            |t| chain_f(&along_x(t, &p)),
            |t| chain_f(&along_x(t, &p)),
            dh * g1,
            g2 * dh[0] * dh[0],
        ))
    }
    check(prop as fn([f64; 3]) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// The machine-learning functions of src/functions.rs
// ---------------------------------------------------------------------------------------------

// σ' = σ(1 − σ), σ'' = σ(1 − σ)(1 − 2σ)
unary!(
    sigmoid_rule,
    [-30.0, 30.0],
    |x| sigmoid(x),
    d1 = |x| logistic(x) * (1.0 - logistic(x)),
    d2 = |x| logistic(x) * (1.0 - logistic(x)) * (1.0 - 2.0 * logistic(x)),
);

// softplus = ln(1 + eˣ): softplus' = σ, softplus'' = σ(1 − σ)
unary!(
    softplus_rule,
    [-30.0, 30.0],
    |x| softplus(x),
    d1 = |x| logistic(x),
    d2 = |x| logistic(x) * (1.0 - logistic(x)),
);

/// The closed-form value of softplus for the test above: `ln(1 + eˣ)` (|x| ≤ 30, no overflow).
#[test]
fn softplus_value_matches_closed_form() {
    fn prop(raw: f64) -> TestResult {
        let Some(x) = in_box(raw, -30.0, 30.0) else {
            return TestResult::discard();
        };
        verdict(close_cf("softplus", softplus(x), x.exp().ln_1p()))
    }
    check(prop as fn(f64) -> TestResult);
}

/// softplus and log-sum-exp take their exponentials and logarithms where every derivative is
/// bounded, without the chain rule's NaN-safety test: third derivatives (jets nested three
/// deep) against closed forms (softplus‴ = σ(1 − σ)(1 − 2σ)), and NaN in gives NaN out.
#[test]
fn bounded_ml_functions_at_third_order_and_nan() {
    fn prop(raw: f64) -> TestResult {
        let Some(x) = in_box(raw, -30.0, 30.0) else {
            return TestResult::discard();
        };
        let s = logistic(x);
        let (v, d1, d2, d3) = third_derivative(softplus, x);
        let r = (|| {
            let ctx = format!("softplus at {x:e}");
            close_cf(&format!("{ctx} value"), v, x.exp().ln_1p())?;
            close_cf(&format!("{ctx} d1"), d1, s)?;
            close_cf(&format!("{ctx} d2"), d2, s * (1.0 - s))?;
            close_cf(&format!("{ctx} d3"), d3, s * (1.0 - s) * (1.0 - 2.0 * s))?;
            // lse(x, 0) = softplus(x): the same closed forms through log_sum_exp
            let (w, e1, e2, e3) =
                third_derivative(|x| log_sum_exp(&SVector::from([x, x * 0.0])), x);
            close_cf(&format!("lse(x, 0) at {x:e} value"), w, x.exp().ln_1p())?;
            close_cf(&format!("lse(x, 0) at {x:e} d1"), e1, s)?;
            close_cf(&format!("lse(x, 0) at {x:e} d2"), e2, s * (1.0 - s))?;
            close_cf(
                &format!("lse(x, 0) at {x:e} d3"),
                e3,
                s * (1.0 - s) * (1.0 - 2.0 * s),
            )
        })();
        verdict(r)
    }
    check(prop as fn(f64) -> TestResult);
    // NaN in, NaN out: value and derivative
    let (v, d) = derivative(softplus, f64::NAN);
    assert!(v.is_nan() && d.is_nan());
    let (v, g) = gradient(log_sum_exp, &SVector::from([f64::NAN, 1.0]));
    assert!(v.is_nan() && g.iter().all(|gi| gi.is_nan()), "{v} {g:?}");
    // the stable forms stay finite at logits of ±800, to second order
    assert_eq!(second_derivative(softplus, 800.0), (800.0, 1.0, 0.0));
    assert_eq!(second_derivative(softplus, -800.0), (0.0, 0.0, 0.0));
}

/// Binary cross-entropy from a logit: L = −y ln σ(z) − (1 − y) ln σ(−z) (written with σ(−z),
/// not 1 − σ(z), so that it is accurate in the tails); dL/dz = σ(z) − y; d²L/dz² = σ(1 − σ).
#[test]
fn bce_with_logits_rule() {
    fn prop(rz: f64, ry: f64) -> TestResult {
        let (Some(z), Some(y)) = (in_box(rz, -30.0, 30.0), in_box(ry, 0.0, 1.0)) else {
            return TestResult::discard();
        };
        let s = logistic(z);
        let value = -y * s.ln() - (1.0 - y) * logistic(-z).ln();
        let r = (|| {
            let ctx = format!("bce_with_logits(z = {z:e}, y = {y:e})");
            close_cf(&format!("{ctx} value"), bce_with_logits(z, y), value)?;
            let (v, d) = derivative(|z| bce_with_logits(z, y), z);
            close_cf(&format!("{ctx} derivative value"), v, value)?;
            close_cf(&format!("{ctx} dL/dz"), d, s - y)?;
            let fd_d = fd(|z| bce_with_logits(z, y), z);
            close_fd(&format!("{ctx} dL/dz vs fd"), d, fd_d)?;
            let (_, d1, d2) = second_derivative(|z| bce_with_logits(z, y), z);
            close_cf(&format!("{ctx} second_derivative dL/dz"), d1, s - y)?;
            close_cf(&format!("{ctx} d²L/dz²"), d2, s * (1.0 - s))
        })();
        verdict(r)
    }
    check(prop as fn(f64, f64) -> TestResult);
}

/// log-sum-exp on [−20, 20]⁴: value ln Σ eˣⁱ, gradient p = softmax(x), Hessian diag(p) − ppᵀ.
#[test]
fn log_sum_exp_rule() {
    fn prop(raw: [f64; 4]) -> TestResult {
        let Some(x) = vec_in_box(raw, -20.0, 20.0) else {
            return TestResult::discard();
        };
        let p = softmax_cf(&x);
        let value = x.map(f64::exp).sum().ln();
        let hess = nalgebra::SMatrix::<f64, 4, 4>::from_diagonal(&p) - p * p.transpose();
        let r = (|| {
            let ctx = format!("log_sum_exp at {:?}", x.as_slice());
            close_cf(&format!("{ctx} value"), log_sum_exp(&x), value)?;
            let (v, g) = gradient(log_sum_exp, &x);
            close_cf(&format!("{ctx} gradient value"), v, value)?;
            close_mat_cf(&format!("{ctx} gradient"), &g, &p)?;
            let fd_g = fd_gradient(log_sum_exp, &x);
            close_mat_fd(&format!("{ctx} gradient vs fd"), &g, &fd_g)?;
            let (_, g2, h) = hessian(log_sum_exp, &x);
            close_mat_cf(&format!("{ctx} hessian gradient"), &g2, &p)?;
            close_mat_cf(&format!("{ctx} hessian"), &h, &hess)
        })();
        verdict(r)
    }
    check(prop as fn([f64; 4]) -> TestResult);
}

/// softmax on [−20, 20]⁴: Jacobian J = diag(p) − ppᵀ.
#[test]
fn softmax_jacobian_rule() {
    fn prop(raw: [f64; 4]) -> TestResult {
        let Some(x) = vec_in_box(raw, -20.0, 20.0) else {
            return TestResult::discard();
        };
        let p = softmax_cf(&x);
        let jac = nalgebra::SMatrix::<f64, 4, 4>::from_diagonal(&p) - p * p.transpose();
        let r = (|| {
            let ctx = format!("softmax at {:?}", x.as_slice());
            close_mat_cf(&format!("{ctx} value"), &softmax(&x), &p)?;
            let (v, j) = jacobian(softmax, &x);
            close_mat_cf(&format!("{ctx} jacobian value"), &v, &p)?;
            close_mat_cf(&format!("{ctx} jacobian"), &j, &jac)?;
            let fd_j = fd_jacobian(softmax, &x);
            close_mat_fd(&format!("{ctx} jacobian vs fd"), &j, &fd_j)
        })();
        verdict(r)
    }
    check(prop as fn([f64; 4]) -> TestResult);
}

/// Softmax cross-entropy on [−20, 20]⁴ against a drawn class c: L = ln Σ eᶻʲ − z_c,
/// ∇L = softmax(z) − e_c, Hessian diag(p) − ppᵀ.
#[test]
fn softmax_cross_entropy_rule() {
    fn prop(raw: [f64; 4], class: u8) -> TestResult {
        let Some(z) = vec_in_box(raw, -20.0, 20.0) else {
            return TestResult::discard();
        };
        let c = usize::from(class) % 4;
        let p = softmax_cf(&z);
        let value = z.map(f64::exp).sum().ln() - z[c];
        let mut grad = p;
        grad[c] -= 1.0;
        let hess = nalgebra::SMatrix::<f64, 4, 4>::from_diagonal(&p) - p * p.transpose();
        let r = (|| {
            let ctx = format!("softmax_cross_entropy(class {c}) at {:?}", z.as_slice());
            close_cf(&format!("{ctx} value"), softmax_cross_entropy(&z, c), value)?;
            let (v, g) = gradient(|z| softmax_cross_entropy(z, c), &z);
            close_cf(&format!("{ctx} gradient value"), v, value)?;
            close_mat_cf(&format!("{ctx} gradient"), &g, &grad)?;
            let fd_g = fd_gradient(|z| softmax_cross_entropy(z, c), &z);
            close_mat_fd(&format!("{ctx} gradient vs fd"), &g, &fd_g)?;
            let (_, _, h) = hessian(|z| softmax_cross_entropy(z, c), &z);
            close_mat_cf(&format!("{ctx} hessian"), &h, &hess)
        })();
        verdict(r)
    }
    check(prop as fn([f64; 4], u8) -> TestResult);
}

/// relu away from 0: relu = max(x, 0), relu' = 1 for x > 0 and 0 for x < 0, relu'' = 0.
#[test]
fn relu_rule_away_from_zero() {
    fn prop(raw: f64) -> TestResult {
        let Some(x) = in_box(raw, -10.0, 10.0) else {
            return TestResult::discard();
        };
        // a finite difference straddling the kink is meaningless
        if x.abs() <= 2.0 * step(x) {
            return TestResult::discard();
        }
        let slope = if x > 0.0 { 1.0 } else { 0.0 };
        let r = (|| {
            let ctx = format!("relu at {x:e}");
            let (v, d) = derivative(relu, x);
            close_cf(&format!("{ctx} value"), v, x.max(0.0))?;
            close_cf(&format!("{ctx} derivative"), d, slope)?;
            close_fd(&format!("{ctx} derivative vs fd"), d, fd(relu, x))?;
            let (_, d1, d2) = second_derivative(relu, x);
            close_cf(&format!("{ctx} second_derivative first"), d1, slope)?;
            close_cf(&format!("{ctx} second derivative"), d2, 0.0)
        })();
        verdict(r)
    }
    check(prop as fn(f64) -> TestResult);
}

/// At exactly 0 the derivative of relu is 0 by convention (PyTorch, JAX), for +0 and −0, and the
/// gradient of a sum of relus counts only the strictly positive inputs.
#[test]
fn relu_derivative_at_zero_is_zero() {
    assert_eq!(derivative(relu, 0.0), (0.0, 0.0));
    let (v, d) = derivative(relu, -0.0);
    assert_eq!((v, d), (0.0, 0.0));
    assert_eq!(second_derivative(relu, 0.0), (0.0, 0.0, 0.0));
    let x = SVector::from([0.0, 2.0, -1.0, 0.0]);
    let (v, g) = gradient(|x| x.map(relu).sum(), &x);
    assert_eq!(v, 2.0);
    assert_eq!(g, SVector::from([0.0, 1.0, 0.0, 0.0]));
}

/// A jet of `N` random parts in `[−2, 2]` from one seed.
fn random_jet<const N: usize>(seed: u64) -> Jet<f64, N> {
    let parts = vec_from_seed::<N>(seed, -2.0, 2.0);
    let re = vec_from_seed::<1>(seed ^ 0x5555, -2.0, 2.0)[0];
    Jet::new(re, parts.into())
}

/// The product of long jets (40 partials) is, lane by lane and bit for bit, the product of
/// one-partial jets, and each partial is `a ∂b + b ∂a`; `+=` and `-=` (in place) give exactly `+`
/// and `-`, with jets and with constants, at first and second order.
#[test]
fn long_products_and_compound_assignment() {
    fn lane<const N: usize>(j: &Jet<f64, N>, i: usize) -> Jet<f64, 1> {
        Jet::new(j.re, [j.eps[i]])
    }
    fn same<const N: usize>(what: &str, got: Jet<f64, N>, want: Jet<f64, N>) -> Result<(), String> {
        let bits = |j: Jet<f64, N>| (j.re.to_bits(), j.eps.map(f64::to_bits));
        if bits(got) == bits(want) {
            Ok(())
        } else {
            Err(format!("{what}: {got:?} against {want:?}"))
        }
    }
    fn prop(seed: u64, c: f64) -> TestResult {
        let Some(c) = in_box(c, -3.0, 3.0) else {
            return TestResult::discard();
        };
        let r = (|| {
            let (a, b) = (random_jet::<40>(seed), random_jet::<40>(!seed));
            let ab = a * b;
            for i in 0..40 {
                let one = lane(&a, i) * lane(&b, i);
                if (ab.re.to_bits(), ab.eps[i].to_bits())
                    != (one.re.to_bits(), one.eps[0].to_bits())
                {
                    return Err(format!(
                        "lane {i} of a 40-part product: {ab:?} against {one:?}"
                    ));
                }
            }
            // the product rule itself, on the long path: ∂(ab) = a ∂b + b ∂a
            for i in 0..40 {
                close_cf(
                    &format!("partial {i} of a 40-part product"),
                    ab.eps[i],
                    a.eps[i] * b.re + a.re * b.eps[i],
                )?;
            }
            let (mut s, mut d) = (a, a);
            s += b;
            d -= b;
            same("a += b", s, a + b)?;
            same("a -= b", d, a - b)?;
            let (mut s, mut d) = (a, a);
            s += c;
            d -= c;
            same("a += c", s, a + c)?;
            same("a -= c", d, a - c)?;
            // nested: the outer parts are jets, whose own += and -= are in place too
            let nest = |k: u64| Jet::new(random_jet::<3>(seed ^ k), [random_jet(seed ^ (k + 1))]);
            let (x, y) = (nest(7), nest(11));
            let (mut s, mut d) = (x, x);
            s += y;
            d -= y;
            let flat = |j: Jet<Jet<f64, 3>, 1>| (j.re, j.eps[0]);
            let ((s0, s1), (w0, w1)) = (flat(s), flat(x + y));
            same("nested a += b (value)", s0, w0)?;
            same("nested a += b (tangent)", s1, w1)?;
            let ((d0, d1), (w0, w1)) = (flat(d), flat(x - y));
            same("nested a -= b (value)", d0, w0)?;
            same("nested a -= b (tangent)", d1, w1)
        })();
        verdict(r)
    }
    check(prop as fn(u64, f64) -> TestResult);
}

/// A gradient accumulated with `+=` and `-=` over 40 variables: `f = Σ xᵢ xᵢ₊₁ − Σ xᵢ` has
/// `∂f/∂xᵢ = xᵢ₋₁ + xᵢ₊₁ − 1`.
#[test]
fn gradient_through_compound_assignment_at_40() {
    fn prop(seed: u64) -> TestResult {
        let x = vec_from_seed::<40>(seed, -3.0, 3.0);
        let (v, g) = gradient(
            |x| {
                let mut s = x[0] * 0.0;
                for i in 0..39 {
                    s += x[i] * x[i + 1];
                }
                for xi in x.iter() {
                    s -= *xi;
                }
                s
            },
            &x,
        );
        let r = (|| {
            let want: f64 = (0..39).map(|i| x[i] * x[i + 1]).sum::<f64>() - x.sum();
            close_cf("value", v, want)?;
            for i in 0..40 {
                let left = if i > 0 { x[i - 1] } else { 0.0 };
                let right = if i < 39 { x[i + 1] } else { 0.0 };
                close_cf(&format!("∂f/∂x{i}"), g[i], left + right - 1.0)?;
            }
            Ok(())
        })();
        verdict(r)
    }
    check(prop as fn(u64) -> TestResult);
}
