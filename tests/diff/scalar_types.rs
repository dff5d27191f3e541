//! One generic function with nalgebra matrix arithmetic (matrix-vector product, transpose, dot)
//! evaluated at every scalar type `Scalar` admits: `f64`, dualgrad's `Jet` (and `Jet` of `Jet`),
//! num-dual's `Dual64`, `DualSVec64<N>`, `Dual2SVec64<N>`, `Dual2_64` and `HyperDual64`; the
//! derivatives each type carries agree with the closed form.
//!
//! num-dual's nested duals (`Dual<Dual64>`, `Dual<Jet<f64, 2>>`) left `Scalar` when it came to
//! imply nalgebra's `RealField`: num-dual implements `RealField` only over `f32` and `f64`.
//! `Jet<Dual64, N>` (a jet over a num-dual type) still is one and is tested below.

use crate::common;

use common::*;
use dualgrad::prelude::*;
use nalgebra::{SMatrix, SVector};
use num_dual::{Dual2_64, Dual2SVec64, Dual64, DualSVec64, HyperDual64};
use quickcheck::TestResult;

// ---------------------------------------------------------------------------------------------
// Compile-time check: these types satisfy `Scalar`
// ---------------------------------------------------------------------------------------------

const fn is_scalar<T: Scalar>() {}

const _: () = {
    is_scalar::<f64>();
    is_scalar::<Jet<f64, 3>>();
    is_scalar::<Jet<Jet<f64, 3>, 3>>();
    is_scalar::<Jet<Dual64, 2>>();
    is_scalar::<Dual64>();
    is_scalar::<DualSVec64<3>>();
    is_scalar::<Dual2SVec64<3>>();
    is_scalar::<Dual2_64>();
    is_scalar::<HyperDual64>();
};

// ---------------------------------------------------------------------------------------------
// The function and its closed-form derivatives
// ---------------------------------------------------------------------------------------------

fn a_matrix() -> SMatrix<f64, 3, 3> {
    SMatrix::<f64, 3, 3>::new(2.0, -1.0, 0.5, 0.0, 3.0, 1.0, -0.5, 0.25, 1.5)
}

fn b_vector() -> SVector<f64, 3> {
    SVector::from([1.0, -2.0, 0.5])
}

/// f(x) = ½ xᵀ A x + b·x + sin(x₀) x₁ + ln(x₂² + 1), written once with nalgebra arithmetic.
fn model<T: Scalar>(x: &SVector<T, 3>) -> T {
    let a = a_matrix().map(T::lift);
    let b = b_vector().map(T::lift);
    let ax = a * x; // matrix-vector product
    let q = x.transpose() * ax; // 1×1 matrix xᵀAx
    q[(0, 0)] * 0.5 + b.dot(x) + x[0].sin() * x[1] + (x[2] * x[2] + 1.0).ln()
}

fn value_cf(x: &SVector<f64, 3>) -> f64 {
    0.5 * x.dot(&(a_matrix() * x))
        + b_vector().dot(x)
        + x[0].sin() * x[1]
        + (x[2] * x[2] + 1.0).ln()
}

/// ∇f = ½ (A + Aᵀ) x + b + (x₁ cos x₀, sin x₀, 2x₂ / (x₂² + 1)).
fn gradient_cf(x: &SVector<f64, 3>) -> SVector<f64, 3> {
    let a = a_matrix();
    (a + a.transpose()) * x * 0.5
        + b_vector()
        + SVector::from([
            x[1] * x[0].cos(),
            x[0].sin(),
            2.0 * x[2] / (x[2] * x[2] + 1.0),
        ])
}

/// H = ½ (A + Aᵀ) + [[−x₁ sin x₀, cos x₀, 0], [cos x₀, 0, 0], [0, 0, 2(1 − x₂²)/(x₂² + 1)²]].
fn hessian_cf(x: &SVector<f64, 3>) -> SMatrix<f64, 3, 3> {
    let a = a_matrix();
    let d = x[2] * x[2] + 1.0;
    (a + a.transpose()) * 0.5
        + SMatrix::<f64, 3, 3>::new(
            -x[1] * x[0].sin(),
            x[0].cos(),
            0.0,
            x[0].cos(),
            0.0,
            0.0,
            0.0,
            0.0,
            2.0 * (1.0 - x[2] * x[2]) / (d * d),
        )
}

fn unit(i: usize) -> SVector<f64, 3> {
    SVector::from_fn(|k, _| if k == i { 1.0 } else { 0.0 })
}

// ---------------------------------------------------------------------------------------------
// The property: every type gives the closed form
// ---------------------------------------------------------------------------------------------

fn all_types_agree(x: &SVector<f64, 3>, v: &SVector<f64, 3>) -> Result<(), String> {
    let ctx = |what: &str| format!("{what} at x = {:?}, v = {:?}", x.as_slice(), v.as_slice());
    let (f, g, h) = (value_cf(x), gradient_cf(x), hessian_cf(x));

    // f64
    close_cf(&ctx("f64 value"), model(x), f)?;

    // Jet: dualgrad's gradient, Jet of Jet: dualgrad's hessian
    let (fj, gj) = gradient(model, x);
    close_cf(&ctx("Jet value"), fj, f)?;
    close_mat_cf(&ctx("Jet gradient"), &gj, &g)?;
    let (_, _, hj) = hessian(model, x);
    close_mat_cf(&ctx("Jet<Jet> hessian"), &hj, &h)?;

    // Dual64: one directional derivative per pass, ∇f·v and ∇f·eᵢ
    let dir = |w: &SVector<f64, 3>| {
        let xd = SVector::<Dual64, 3>::from_fn(|k, _| Dual64::new(x[k], w[k]));
        model(&xd)
    };
    let r = dir(v);
    close_cf(&ctx("Dual64 value"), r.re, f)?;
    close_cf(&ctx("Dual64 ∇f·v"), r.eps, g.dot(v))?;
    for i in 0..3 {
        close_cf(&ctx(&format!("Dual64 ∂{i}f")), dir(&unit(i)).eps, g[i])?;
    }

    // DualSVec64<3>: num-dual's gradient
    let (fv, gv) = num_dual::gradient(|x: SVector<DualSVec64<3>, 3>| model(&x), x);
    close_cf(&ctx("DualSVec64 value"), fv, f)?;
    close_mat_cf(&ctx("DualSVec64 gradient"), &gv, &g)?;

    // Dual2SVec64<3>: num-dual's hessian
    let (f2, g2, h2) = num_dual::hessian(|x: SVector<Dual2SVec64<3>, 3>| model(&x), x);
    close_cf(&ctx("Dual2SVec64 value"), f2, f)?;
    close_mat_cf(&ctx("Dual2SVec64 gradient"), &g2, &g)?;
    close_mat_cf(&ctx("Dual2SVec64 hessian"), &h2, &h)?;

    // Dual2_64 along v: d²/dt² f(x + t v) = vᵀHv (second_derivative itself runs on nested Jets)
    let t = Dual2_64::new(0.0, 1.0, 0.0);
    let r = model(&x.map(Dual2_64::from).zip_map(v, |xk, vk| xk + t * vk));
    let (d1, d2) = (r.v1, r.v2);
    close_cf(&ctx("Dual2_64 ∇f·v"), d1, g.dot(v))?;
    close_cf(&ctx("Dual2_64 vᵀHv"), d2, v.dot(&(h * v)))?;

    // HyperDual64: eps1, eps2 seeded along eᵢ, eⱼ give Hᵢⱼ in eps1eps2
    let mut hh = SMatrix::<f64, 3, 3>::zeros();
    for i in 0..3 {
        for j in 0..3 {
            let xh = SVector::<HyperDual64, 3>::from_fn(|k, _| {
                HyperDual64::new(x[k], unit(i)[k], unit(j)[k], 0.0)
            });
            let r = model(&xh);
            close_cf(&ctx("HyperDual64 eps1"), r.eps1, g[i])?;
            close_cf(&ctx("HyperDual64 eps2"), r.eps2, g[j])?;
            hh[(i, j)] = r.eps1eps2;
        }
    }
    close_mat_cf(&ctx("HyperDual64 hessian"), &hh, &h)?;
    // and num-dual's own entry point for a mixed partial in (x₀, x₁)
    let (_, dx0, dx1, dx01) = num_dual::second_partial_derivative(
        |(a, b): (HyperDual64, HyperDual64)| model(&SVector::from([a, b, HyperDual64::from(x[2])])),
        (x[0], x[1]),
    );
    close_cf(&ctx("second_partial_derivative ∂0"), dx0, g[0])?;
    close_cf(&ctx("second_partial_derivative ∂1"), dx1, g[1])?;
    close_cf(&ctx("second_partial_derivative ∂01"), dx01, h[(0, 1)])?;

    let hv = h * v;

    // Jet over Dual64: dualgrad's gradient at x + t v gives ∇f and, in the tangents, Hv
    let xd = SVector::<Dual64, 3>::from_fn(|k, _| Dual64::new(x[k], v[k]));
    let (_, gd) = gradient(model, &xd);
    close_mat_cf(&ctx("Jet<Dual64> gradient"), &gd.map(|d| d.re), &g)?;
    close_mat_cf(&ctx("Jet<Dual64> Hv"), &gd.map(|d| d.eps), &hv)
}

#[test]
fn every_scalar_type_gives_the_closed_form() {
    fn prop(rx: [f64; 3], rv: [f64; 3]) -> TestResult {
        let (Some(x), Some(v)) = (vec_in_box(rx, -2.0, 2.0), vec_in_box(rv, -1.0, 1.0)) else {
            return TestResult::discard();
        };
        verdict(all_types_agree(&x, &v))
    }
    check(prop as fn([f64; 3], [f64; 3]) -> TestResult);
}

/// Hand-checkable values at x = (0, 1, 0): f = ½·3 + (−2) + 0 + 0 = −0.5,
/// ∇f = ½ (A + Aᵀ)(0, 1, 0) + b + (1, 0, 0) = (−0.5, 3, 0.625) + (1, −2, 0.5) + (1, 0, 0).
#[test]
fn closed_form_spot_check() {
    let x = SVector::from([0.0, 1.0, 0.0]);
    assert_eq!(value_cf(&x), -0.5);
    assert_eq!(gradient_cf(&x), SVector::from([1.5, 1.0, 1.125]));
    let (f, g) = gradient(model, &x);
    assert_eq!(f, -0.5);
    assert_eq!(g, SVector::from([1.5, 1.0, 1.125]));
}
