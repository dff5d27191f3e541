//! Edge cases: NaN inputs, infinite local derivatives with zero tangents (NaN-safe chain rule),
//! the Euclidean norm at the origin, and extreme logits for the stable ML functions.

use dualgrad::functions::{
    bce_with_logits, log_sum_exp, relu, sigmoid, softmax, softmax_cross_entropy, softplus,
};
use dualgrad::prelude::*;
use dualgrad::{Chunk, gradient_chunked, jvp, second_derivative};
use nalgebra::{SMatrix, SVector};
use num_dual::DualSVec64;

// ---------------------------------------------------------------------------------------------
// NaN in, NaN out, no panic
// ---------------------------------------------------------------------------------------------

/// f(x) = exp(x·x) + sin(x₀ x₁ x₂): every partial derivative, 2xᵢ e^(x·x) + ..., depends on every
/// input, so one NaN input must make the value and every derivative NaN.
fn coupled<T: Scalar>(x: &SVector<T, 3>) -> T {
    x.dot(x).exp() + (x[0] * x[1] * x[2]).sin()
}

fn coupled_map<T: Scalar>(x: &SVector<T, 3>) -> SVector<T, 2> {
    SVector::from([coupled(x), (x.sum() * x.sum()).tanh()])
}

fn all_nan<const R: usize, const C: usize>(m: &SMatrix<f64, R, C>) -> bool {
    m.iter().all(|v| v.is_nan())
}

#[test]
fn nan_input_gives_nan_outputs_for_every_entry_point() {
    for k in 0..3 {
        let mut x = SVector::from([0.5, -1.0, 2.0]);
        x[k] = f64::NAN;
        let v = SVector::from([1.0, 2.0, 3.0]);

        let (f, g) = gradient(coupled, &x);
        assert!(
            f.is_nan() && all_nan(&g),
            "gradient, NaN at {k}: {f}, {g:?}"
        );

        let (f, g, h) = hessian(coupled, &x);
        assert!(
            f.is_nan() && all_nan(&g) && all_nan(&h),
            "hessian, NaN at {k}: {h:?}"
        );

        let (fx, j) = jacobian(coupled_map, &x);
        assert!(
            all_nan(&fx) && all_nan(&j),
            "jacobian, NaN at {k}: {fx:?}, {j:?}"
        );

        let (fx, jv) = jvp(coupled_map, &x, &v);
        assert!(
            all_nan(&fx) && all_nan(&jv),
            "jvp, NaN at {k}: {fx:?}, {jv:?}"
        );

        let (f, d) = directional_derivative(coupled, &x, &v);
        assert!(
            f.is_nan() && d.is_nan(),
            "directional_derivative, NaN at {k}"
        );

        let (f, g) = gradient_chunked(coupled, &x, Chunk::<2>);
        assert!(
            f.is_nan() && all_nan(&g),
            "gradient_chunked, NaN at {k}: {g:?}"
        );
    }
    let (f, d) = derivative(|t| t.exp() * t.sin(), f64::NAN);
    assert!(f.is_nan() && d.is_nan());
    let (f, d1, d2) = second_derivative(|t| t.exp() * t.sin(), f64::NAN);
    assert!(f.is_nan() && d1.is_nan() && d2.is_nan());
}

#[test]
fn nan_input_gives_nan_outputs_for_ml_functions() {
    let nan = f64::NAN;
    for (name, (v, d)) in [
        ("sigmoid", derivative(sigmoid, nan)),
        ("softplus", derivative(softplus, nan)),
        ("relu", derivative(relu, nan)),
        (
            "bce_with_logits",
            derivative(|z| bce_with_logits(z, 1.0), nan),
        ),
        (
            "bce_with_logits",
            derivative(|z| bce_with_logits(z, 0.0), nan),
        ),
    ] {
        assert!(
            v.is_nan() && d.is_nan(),
            "{name}(NaN) = {v}, derivative {d}"
        );
    }
    assert!(sigmoid(nan).is_nan() && softplus(nan).is_nan() && relu(nan).is_nan());

    for k in 0..4 {
        let mut z = SVector::from([1.0, -2.0, 0.5, 3.0]);
        z[k] = nan;
        let (v, g) = gradient(log_sum_exp, &z);
        assert!(
            v.is_nan() && all_nan(&g),
            "log_sum_exp, NaN at {k}: {v}, {g:?}"
        );
        let (p, j) = jacobian(softmax, &z);
        assert!(
            all_nan(&p) && all_nan(&j),
            "softmax, NaN at {k}: {p:?}, {j:?}"
        );
        for class in 0..4 {
            let (v, g) = gradient(|z| softmax_cross_entropy(z, class), &z);
            assert!(
                v.is_nan() && all_nan(&g),
                "softmax_cross_entropy(class {class}), NaN at {k}: {v}, {g:?}"
            );
        }
    }
    // every entry NaN (the maximum itself is undefined)
    let z = SVector::from([nan; 3]);
    assert!(log_sum_exp(&z).is_nan() && all_nan(&softmax(&z)));
}

// ---------------------------------------------------------------------------------------------
// Infinite local derivative, zero tangent
// ---------------------------------------------------------------------------------------------

/// ∂/∂y (sqrt(x) + y) at x = 0 is exactly 1: the tangent of sqrt(x) in direction y is 0, and
/// 0 · ∞ is taken as 0, not NaN. ∂/∂x is +∞ (the true one-sided limit).
///
/// num-dual 0.15 multiplies the whole tangent vector by sqrt'(0) = ∞ and returns NaN for ∂/∂y
/// (ForwardDiff.jl has the same limitation unless built with NaN-safe mode): the contrast is
/// documented here so that a change on either side is noticed.
#[test]
fn zero_tangent_stays_zero_through_infinite_derivative() {
    let p = SVector::from([0.0, 3.0]);
    let (f, g) = gradient(|p| p[0].sqrt() + p[1], &p);
    assert_eq!(f, 3.0);
    assert_eq!(g[1], 1.0);
    assert_eq!(g[0], f64::INFINITY);

    let (f_nd, g_nd) = num_dual::gradient(|p: SVector<DualSVec64<2>, 2>| p[0].sqrt() + p[1], &p);
    assert_eq!(f_nd, 3.0);
    assert!(g_nd[1].is_nan(), "num-dual now gives {} for ∂/∂y", g_nd[1]);

    // the same through the other entry points
    let (_, d) = directional_derivative(|p| p[0].sqrt() + p[1], &p, &SVector::from([0.0, 1.0]));
    assert_eq!(d, 1.0);
    let (_, j) = jacobian(|p| SVector::from([p[0].sqrt() + p[1]]), &p);
    assert_eq!(j[(0, 1)], 1.0);
    let (_, g) = gradient_chunked(|p| p[0].sqrt() + p[1], &p, Chunk::<1>);
    assert_eq!(g[1], 1.0);
    let (_, g, h) = hessian(|p| p[0].sqrt() + p[1], &p);
    assert_eq!(g[1], 1.0);
    // ∂/∂y of ∂f/∂y = 1 and ∂/∂x of ∂f/∂y = 1 are both 0 (∂²/∂x² and the order x-then-y, which
    // differentiates the infinite ∂f/∂x, are left unspecified)
    assert_eq!((h[(1, 1)], h[(1, 0)]), (0.0, 0.0));
    // ln, powf and cbrt have infinite derivatives at 0 too
    let (_, g) = gradient(|p| p[0].ln() * 0.0 + p[0].cbrt() + p[1] * 2.0, &p);
    assert_eq!(g[1], 2.0);
}

/// Powers at 0 have the values of `f64`'s powers: `0^0.5 = 0` (not `0^−0.5 · 0 = ∞ · 0 = NaN`),
/// `0^−1 = ∞`, and derivatives `n · 0^(n−1)`: `∞` for `0 < n < 1`, `0` for `n > 1`.
#[test]
fn powers_at_zero_have_f64_values() {
    for n in [0.5, 0.25, 1.5, 2.5, 3.0] {
        let (v, d) = derivative(|x| x.powf(n), 0.0);
        assert_eq!(v, 0f64.powf(n), "0^{n}");
        assert_eq!(d, n * 0f64.powf(n - 1.0), "d/dx x^{n} at 0");
    }
    for n in [-1, -2, -3] {
        let (v, d) = derivative(|x| x.powi(n), 0.0);
        assert_eq!(v, f64::INFINITY, "0^{n}");
        assert_eq!(d, f64::NEG_INFINITY, "d/dx x^{n} at 0 = n · 0^(n−1)");
        let (v, _) = derivative(|x| x.powi(n), -0.0);
        assert_eq!(v, (-0f64).powi(n), "(−0)^{n}");
    }
    // and the zero tangent of the other input stays zero
    let (v, g) = gradient(|p| p[0].powf(0.5) + p[1], &SVector::from([0.0, 1.0]));
    assert_eq!((v, g), (1.0, SVector::from([f64::INFINITY, 1.0])));
}

/// The gradient of the Euclidean norm √(x·x) at the origin is 0 (the tangent of x·x there is
/// exactly 0), not NaN; away from the origin it is x / |x|.
#[test]
fn norm_gradient_at_origin_is_zero() {
    let (n, g) = gradient(|x| x.dot(x).sqrt(), &SVector::<f64, 3>::zeros());
    assert_eq!(n, 0.0);
    assert_eq!(g, SVector::<f64, 3>::zeros());
    let (n, g) = gradient(|x| x.dot(x).sqrt(), &SVector::from([3.0, 0.0, 4.0]));
    assert_eq!(n, 5.0);
    // (3, 0, 4) / 5, up to the rounding of 0.5/5 · 6
    assert!((g - SVector::from([0.6, 0.0, 0.8])).abs().max() <= 2.0 * f64::EPSILON);
}

/// The documented second-order convention of the norm at the origin: gradient 0, Hessian ∞ on
/// the diagonal and 0 off it. Along a coordinate `|t|` has a kink, infinite curvature, which
/// the chain rule gives as `√'(0) · ∂²(x·x)/∂xᵢ² = ∞ · 2`; off the diagonal `∂²(x·x)/∂xᵢ∂xⱼ = 0`
/// and the term `√''(0) · (∂(x·x)/∂xᵢ)(∂(x·x)/∂xⱼ)` has zero tangents, so both are 0.
#[test]
fn norm_hessian_at_origin_is_infinite_on_the_diagonal() {
    let (n, g, h) = hessian(|x| x.dot(x).sqrt(), &SVector::<f64, 2>::zeros());
    assert_eq!((n, g), (0.0, SVector::zeros()));
    assert_eq!(
        h,
        SMatrix::<f64, 2, 2>::new(f64::INFINITY, 0.0, 0.0, f64::INFINITY)
    );
}

// ---------------------------------------------------------------------------------------------
// Extreme logits: values and derivatives finite and equal to their limits
// ---------------------------------------------------------------------------------------------

#[test]
fn ml_functions_are_finite_for_logits_800() {
    // e^-800 underflows to 0, so every closed form below is exact in f64:
    // σ(800) = 1, σ(−800) = 0, σ'(±800) = σ(1 − σ) = 0, σ'' = 0
    assert_eq!(derivative(sigmoid, 800.0), (1.0, 0.0));
    assert_eq!(derivative(sigmoid, -800.0), (0.0, 0.0));
    assert_eq!(second_derivative(sigmoid, 800.0), (1.0, 0.0, 0.0));
    assert_eq!(second_derivative(sigmoid, -800.0), (0.0, 0.0, 0.0));
    // softplus(800) = 800 + ln(1 + e^-800) = 800, softplus' = σ
    assert_eq!(derivative(softplus, 800.0), (800.0, 1.0));
    assert_eq!(derivative(softplus, -800.0), (0.0, 0.0));
    assert_eq!(second_derivative(softplus, 800.0), (800.0, 1.0, 0.0));
    // bce = softplus(z) − y z, d/dz = σ(z) − y
    for (z, y, value, slope) in [
        (800.0, 1.0, 0.0, 0.0),
        (800.0, 0.0, 800.0, 1.0),
        (-800.0, 1.0, 800.0, -1.0),
        (-800.0, 0.0, 0.0, 0.0),
        (800.0, 0.25, 600.0, 0.75),
    ] {
        assert_eq!(
            derivative(|z| bce_with_logits(z, y), z),
            (value, slope),
            "z = {z}, y = {y}"
        );
    }
    // softmax of (800, −800, 0): p = (1, 0, 0) (e^-800, e^-1600 underflow), J = diag(p) − ppᵀ = 0
    let z = SVector::from([800.0_f64, -800.0, 0.0]);
    let (p, j) = jacobian(softmax, &z);
    assert_eq!(p, SVector::from([1.0, 0.0, 0.0]));
    assert!(j.iter().all(|v| v.is_finite()));
    assert_eq!(j.abs().max(), 0.0);
    // cross-entropy: class 0 → 0 with ∇ = p − e₀ = 0; class 1 → 1600 with ∇ = p − e₁ = (1, −1, 0)
    let (v, g) = gradient(|z| softmax_cross_entropy(z, 0), &z);
    assert_eq!((v, g), (0.0, SVector::from([0.0, 0.0, 0.0])));
    let (v, g) = gradient(|z| softmax_cross_entropy(z, 1), &z);
    assert_eq!((v, g), (1600.0, SVector::from([1.0, -1.0, 0.0])));
    let (v, g) = gradient(|z| softmax_cross_entropy(z, 2), &z);
    assert_eq!((v, g), (800.0, SVector::from([1.0, 0.0, -1.0])));
    // and the Hessians stay finite
    let (_, _, h) = hessian(|z| softmax_cross_entropy(z, 1), &z);
    assert!(h.iter().all(|v| v.is_finite()), "{h:?}");
    let (_, _, h) = hessian(|z| z.map(|zi| bce_with_logits(zi, 0.5)).sum(), &z);
    assert!(h.iter().all(|v| v.is_finite()), "{h:?}");
}

/// log-sum-exp of [1000, 1000.5, 999, −1000, 0]: value m + ln Σ e^(xᵢ − m) with m = 1000.5,
/// gradient e^(xᵢ − lse) = softmax, all computed here from the shifted closed form.
#[test]
fn log_sum_exp_of_large_inputs_is_finite_and_exact() {
    let x = SVector::from([1000.0_f64, 1000.5, 999.0, -1000.0, 0.0]);
    let m = 1000.5;
    let shifted = [-0.5_f64, 0.0, -1.5, -2000.5, -1000.5];
    let sum: f64 = shifted.iter().map(|s| s.exp()).sum();
    let lse = m + sum.ln();
    let want_g = SVector::from(shifted.map(|s| s.exp() / sum));

    let (v, g) = gradient(log_sum_exp, &x);
    assert!(v.is_finite() && g.iter().all(|gi| gi.is_finite()));
    assert!((v - lse).abs() <= 1e-12 * lse, "{v} vs {lse}");
    assert_eq!(log_sum_exp(&x), v);
    for i in 0..5 {
        assert!(
            (g[i] - want_g[i]).abs() <= 1e-15,
            "∂{i}: {} vs {}",
            g[i],
            want_g[i]
        );
    }
    assert!((g.sum() - 1.0).abs() < 1e-15);
    assert_eq!((g[3], g[4]), (0.0, 0.0)); // e^-2000.5, e^-1000.5 underflow
    // Hessian diag(p) − ppᵀ, finite
    let (_, _, h) = hessian(log_sum_exp, &x);
    let want_h = SMatrix::<f64, 5, 5>::from_diagonal(&want_g) - want_g * want_g.transpose();
    assert!((h - want_h).abs().max() <= 1e-15, "{h:?}");
    // and softmax of the same input is that gradient
    let p = softmax(&x);
    assert!((p - want_g).abs().max() <= 1e-15);
}

/// The norm at the origin in a nested jet: both levels of the gradient are `0` (a zero tangent
/// times the infinite `√'(0)`), at the value level of the outer tangents too, and the Hessian
/// is `∞` on the diagonal and `0` off it. Seeded as `hvp` and the sparse passes seed: the same
/// variable in the inner and the outer tangents.
#[test]
fn nested_norm_at_the_origin_has_zero_gradient_at_both_levels() {
    use dualgrad::Jet;
    let r = {
        let x: [Jet<Jet<f64, 2>, 2>; 2] = std::array::from_fn(|i| {
            let mut j = Jet::variable(Jet::variable(0.0, i), i);
            j.eps[i] = Jet::constant(1.0);
            j
        });
        (x[0] * x[0] + x[1] * x[1]).sqrt()
    };
    assert_eq!(r.re.re, 0.0);
    assert_eq!(r.re.eps, [0.0, 0.0]);
    assert_eq!([r.eps[0].re, r.eps[1].re], [0.0, 0.0]);
    assert_eq!(
        [r.eps[0].eps, r.eps[1].eps],
        [[f64::INFINITY, 0.0], [0.0, f64::INFINITY]]
    );
}
