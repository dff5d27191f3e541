//! Every wrong hand-derived gradient in the seed articles' table is flagged on exactly the
//! components that are wrong, and the corrected formula passes (at 50 random points each).
//!
//! Which components a formula gets wrong is read off the formula (e.g. a backward pass that
//! forgets tanh' at the hidden layer gets `W1` and `b1` wrong and `W2`, `b2` right), not from
//! the checker's output.

use crate::check_models;

use check_models::*;
use dualgrad::check::{CheckReport, Checker};
use nalgebra::SVector;

const POINTS: usize = 50;

fn wrong_labels(r: &CheckReport) -> Vec<String> {
    r.wrong().map(|row| row.label.clone()).collect()
}

fn xor_checker() -> Checker<13> {
    Checker::new().names(xor_names()).unwrap()
}

fn labels(prefixes: &[&str]) -> Vec<String> {
    xor_names()
        .into_iter()
        .filter(|n| prefixes.iter().any(|p| n.starts_with(p)))
        .collect()
}

#[test]
fn product_rule_fg_prime_is_wrong_on_the_product_component_only() {
    // seed 004 §1.4: (fg)' = f'g'. h(x, y) = x² sin x + y³: only ∂h/∂x involves a product.
    let c = Checker::new().names(["x", "y"]).unwrap();
    for p in points::<2>(POINTS, -3.0, 3.0, 1) {
        let r = c.gradient(&Product, &p, |p| product_grad(p, false));
        assert_eq!(wrong_labels(&r), ["x"], "at {p:?}:\n{r}");
        let r = c.gradient(&Product, &p, |p| product_grad(p, true));
        assert!(r.is_ok(), "corrected product rule at {p:?}:\n{r}");
    }
}

#[test]
fn linear_regression_sign_error_is_wrong_on_w_and_b() {
    // seed 002 §4: ∂L/∂w = Σ (yᵢ − (w xᵢ + b)) xᵢ, ∂L/∂b = Σ (yᵢ − (w xᵢ + b)): the sign
    let c = Checker::new().names(["w", "b"]).unwrap();
    for p in points::<2>(POINTS, -5.0, 5.0, 2) {
        let r = c.gradient(&LinReg, &p, |p| linreg_grad(p, false));
        assert_eq!(wrong_labels(&r), ["w", "b"], "at {p:?}:\n{r}");
        // a sign flip is a relative error of exactly 2
        assert!(r.rows().iter().all(|row| (row.rel_err - 2.0).abs() < 1e-12));
        let r = c.gradient(&LinReg, &p, |p| linreg_grad(p, true));
        assert!(r.is_ok(), "corrected at {p:?}:\n{r}");
    }
}

#[test]
fn matrix_linear_regression_step_has_the_wrong_sign() {
    // seed 001 §4: θ −= η (Xᵀy − XᵀXθ)·X / m. The trailing ·X has no matching shape (with static
    // sizes it does not compile); what remains, (Xᵀy − XᵀXθ)/m, is −∇ of ½·MSE.
    let c = Checker::new().names(["theta0", "theta1"]).unwrap();
    for p in points::<2>(POINTS, -3.0, 3.0, 3) {
        let r = c.gradient(&HalfMse, &p, half_mse_grad_seed);
        assert_eq!(wrong_labels(&r), ["theta0", "theta1"], "at {p:?}:\n{r}");
        let r = c.gradient(&HalfMse, &p, half_mse_grad);
        assert!(r.is_ok(), "corrected at {p:?}:\n{r}");
    }
}

#[test]
fn sigmoid_derivative_x_one_minus_x_is_wrong_on_the_diagonal() {
    // seed 004 §4.2: derivative_sigmoid(x) = x(1 − x), applied to z. The Jacobian of the
    // elementwise sigmoid is diagonal: the off-diagonal zeros are right, the diagonal is not.
    for z in points::<3>(POINTS, -4.0, 4.0, 4) {
        let r = Checker::new().jacobian(&Sigmoid3, &z, |z| sigmoid3_jac(z, false));
        assert_eq!(
            wrong_labels(&r),
            ["(0, 0)", "(1, 1)", "(2, 2)"],
            "at {z:?}:\n{r}"
        );
        let r = Checker::new().jacobian(&Sigmoid3, &z, |z| sigmoid3_jac(z, true));
        assert!(r.is_ok(), "σ(z)(1 − σ(z)) at {z:?}:\n{r}");
    }
}

#[test]
fn xor_backward_missing_hidden_tanh_prime_is_wrong_on_w1_and_b1() {
    // seed 003 §4.1, "missing tanh'": the hidden delta without (1 − a²) gets the first layer
    // wrong and leaves the second layer's gradient untouched.
    let c = xor_checker();
    for p in points::<13>(POINTS, -2.0, 2.0, 5) {
        let r = c.gradient(&XorMlp, &p, |p| {
            xor_grad(p, XorBackward::MissingHiddenTanhPrime)
        });
        assert_eq!(wrong_labels(&r), labels(&["W1", "b1"]), "at {p:?}:\n{r}");
    }
}

#[test]
fn xor_backward_missing_output_tanh_prime_is_wrong_everywhere() {
    // without (1 − ŷ²) the output delta is wrong, and every gradient is built from it
    let c = xor_checker();
    for p in points::<13>(POINTS, -2.0, 2.0, 6) {
        let r = c.gradient(&XorMlp, &p, |p| {
            xor_grad(p, XorBackward::MissingOutputTanhPrime)
        });
        assert_eq!(wrong_labels(&r), xor_names(), "at {p:?}:\n{r}");
    }
}

#[test]
fn xor_backward_ascent_is_wrong_everywhere_with_relative_error_two() {
    // the seed applies its update with +=: ascent. As a gradient, every component has its sign
    // flipped.
    let c = xor_checker();
    for p in points::<13>(POINTS, -2.0, 2.0, 7) {
        let r = c.gradient(&XorMlp, &p, |p| xor_grad(p, XorBackward::Ascent));
        assert_eq!(wrong_labels(&r), xor_names(), "at {p:?}:\n{r}");
        assert!(r.rows().iter().all(|row| (row.rel_err - 2.0).abs() < 1e-12));
    }
}

#[test]
fn xor_backward_as_written_in_seed_003_is_wrong_everywhere() {
    // (A − y)·2(ŷ − y) for the hidden layer, (ŷ − y)·2(ŷ − y) for the output, no tanh', no 1/m,
    // applied with +=: every one of the 13 components is wrong
    let c = xor_checker();
    for p in points::<13>(POINTS, -2.0, 2.0, 8) {
        let r = c.gradient(&XorMlp, &p, |p| xor_grad(p, XorBackward::Seed003));
        assert_eq!(wrong_labels(&r), xor_names(), "at {p:?}:\n{r}");
    }
}

#[test]
fn xor_backward_corrected_passes() {
    let c = xor_checker();
    for p in points::<13>(POINTS, -2.0, 2.0, 9) {
        let r = c.gradient(&XorMlp, &p, |p| xor_grad(p, XorBackward::Correct));
        assert!(r.is_ok(), "at {p:?}:\n{r}");
    }
}

#[test]
fn sigmoid_mlp_output_delta_from_seed_000_is_wrong_everywhere() {
    // seed 000 §4.1: dL/dy = ŷ(1 − ŷ), then times σ'(z₂) again. For cross-entropy after a
    // sigmoid dL/dz₂ = (ŷ − y)/m; every gradient is built from the output delta. Weights are
    // kept in [−0.5, 0.5] so that no tanh saturates to exactly ±1 (where tanh' rounds to 0 and
    // the first layer's gradient vanishes whatever the formula).
    for p in points::<21>(POINTS, -0.5, 0.5, 10) {
        let r = Checker::new().gradient(&SigmoidMlp, &p, |p| sigmoid_mlp_grad(p, true));
        assert_eq!(r.wrong_count(), 21, "at {p:?}:\n{r}");
        let r = Checker::new().gradient(&SigmoidMlp, &p, |p| sigmoid_mlp_grad(p, false));
        assert!(r.is_ok(), "corrected at {p:?}:\n{r}");
    }
}

#[test]
fn xor_report_names_parameters() {
    let p = SVector::<f64, 13>::from_fn(|i, _| 0.1 * i as f64 - 0.6);
    let r = xor_checker().gradient(&XorMlp, &p, |p| {
        xor_grad(p, XorBackward::MissingHiddenTanhPrime)
    });
    let text = r.to_string();
    assert!(
        text.starts_with("9 of 13 components wrong; worst relative error "),
        "{text}"
    );
    for name in xor_names() {
        assert!(text.contains(&name), "{name} missing from\n{text}");
    }
    // the rows of the second layer are right, and read as such
    let w2 = r.row("W2[0,1]").unwrap();
    assert!(w2.is_ok());
    assert!(!r.row("W1[2,0]").unwrap().is_ok());
}
