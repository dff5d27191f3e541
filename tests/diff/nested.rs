//! Nested differentiation must not confuse the perturbations of the inner and outer derivative
//! (after ForwardDiff.jl's `test/ConfusionTest.jl`, Siskind & Pearlmutter's "perturbation
//! confusion"). Each inner derivative is taken with dualgrad's public entry points at the outer
//! derivative's dual type; the outer one is dualgrad's own (`Jet`) or num-dual's `Dual64`.

use crate::common;

use common::*;
use dualgrad::prelude::*;
use nalgebra::{SMatrix, SVector};
use num_dual::{Dual, Dual64, first_derivative};
use quickcheck::TestResult;

/// d/dx [x · d/dy (x + y)] = d/dx [x · 1] = 1 at any x (and any y). A confused implementation
/// lets the inner derivative see x's perturbation and gets 2 (ForwardDiff.jl issue #83).
#[test]
fn inner_derivative_does_not_see_outer_perturbation() {
    fn prop(rx: f64, ry: f64) -> TestResult {
        let (Some(x0), Some(y0)) = (in_box(rx, -10.0, 10.0), in_box(ry, -10.0, 10.0)) else {
            return TestResult::discard();
        };
        let (v, d) = derivative(
            |x: Jet<f64, 1>| {
                // inner derivative at the outer's dual type: y is a Jet<Jet<f64, 1>, 1>
                let (_, dy) = derivative(|y| Jet::constant(x) + y, Jet::lift(y0));
                x * dy
            },
            x0,
        );
        verdict(close_cf("x · d/dy (x + y) value", v, x0).and(close_cf(
            "d/dx [x · d/dy (x + y)]",
            d,
            1.0,
        )))
    }
    check(prop as fn(f64, f64) -> TestResult);
}

/// d/dx [x · d/dy (x y)] = d/dx [x²] = 2x.
#[test]
fn inner_derivative_of_product_gives_2x() {
    fn prop(rx: f64, ry: f64) -> TestResult {
        let (Some(x0), Some(y0)) = (in_box(rx, -10.0, 10.0), in_box(ry, -10.0, 10.0)) else {
            return TestResult::discard();
        };
        let (v, d) = derivative(
            |x: Jet<f64, 1>| x * derivative(|y| Jet::constant(x) * y, Jet::lift(y0)).1,
            x0,
        );
        verdict(close_cf("value x²", v, x0 * x0).and(close_cf("d/dx x²", d, 2.0 * x0)))
    }
    check(prop as fn(f64, f64) -> TestResult);
}

/// f(x, y) = x² y³: ∂f/∂y = 3x²y², ∂²f/∂x∂y = 6xy².
fn f_xy<T: Scalar>(x: T, y: T) -> T {
    x * x * y.powi(3)
}

/// d/dx d/dy (x² y³) = 6 x y² via nested `derivative` calls, against the closed form and against
/// the off-diagonal of `hessian`; also the other nesting order d/dy d/dx.
#[test]
fn mixed_partial_by_nested_derivatives() {
    fn prop(rx: f64, ry: f64) -> TestResult {
        let (Some(x0), Some(y0)) = (in_box(rx, -3.0, 3.0), in_box(ry, -3.0, 3.0)) else {
            return TestResult::discard();
        };
        let r = (|| {
            let ctx = format!("x = {x0:e}, y = {y0:e}");
            let (fy, fxy) = derivative(
                |x: Jet<f64, 1>| derivative(|y| f_xy(Jet::constant(x), y), Jet::lift(y0)).1,
                x0,
            );
            close_cf(&format!("{ctx} ∂f/∂y"), fy, 3.0 * x0 * x0 * y0 * y0)?;
            close_cf(&format!("{ctx} ∂²f/∂x∂y"), fxy, 6.0 * x0 * y0 * y0)?;
            let (fx, fyx) = derivative(
                |y: Jet<f64, 1>| derivative(|x| f_xy(x, Jet::constant(y)), Jet::lift(x0)).1,
                y0,
            );
            close_cf(&format!("{ctx} ∂f/∂x"), fx, 2.0 * x0 * y0.powi(3))?;
            close_cf(&format!("{ctx} ∂²f/∂y∂x"), fyx, 6.0 * x0 * y0 * y0)?;
            let (_, _, h) = hessian(|p| f_xy(p[0], p[1]), &SVector::from([x0, y0]));
            close_cf(&format!("{ctx} hessian[(0, 1)]"), h[(0, 1)], fxy)?;
            close_cf(&format!("{ctx} hessian[(1, 0)]"), h[(1, 0)], fxy)
        })();
        verdict(r)
    }
    check(prop as fn(f64, f64) -> TestResult);
}

/// Gradients nested in a gradient: ∇ₓ [x · ∇_y (x · y)] = ∇ₓ [x · x] = 2x, where the inner
/// gradient runs at the outer's dual type `Jet<f64, 3>`. Confusion would mix the inner seeds
/// into the outer tangents.
#[test]
fn gradient_inside_gradient() {
    fn prop(rx: [f64; 3], ry: [f64; 3]) -> TestResult {
        let (Some(x), Some(y)) = (vec_in_box(rx, -3.0, 3.0), vec_in_box(ry, -3.0, 3.0)) else {
            return TestResult::discard();
        };
        let (v, g) = gradient(
            |x: &SVector<Jet<f64, 3>, 3>| {
                let y: SVector<Jet<f64, 3>, 3> = y.map(Jet::lift);
                let xc: SVector<Jet<Jet<f64, 3>, 3>, 3> = x.map(Jet::constant);
                let (_, gy) = gradient(|y| xc.dot(y), &y);
                x.dot(&gy)
            },
            &x,
        );
        verdict(close_cf("x·x", v, x.dot(&x)).and(close_mat_cf("∇ₓ x·∇_y(x·y)", &g, &(x * 2.0))))
    }
    check(prop as fn([f64; 3], [f64; 3]) -> TestResult);
}

/// A Hessian inside a derivative: d/dt tr H(f)(t·a) for f = Σ xᵢ³, H = diag(6 t aᵢ), so
/// d/dt tr H = 6 Σ aᵢ. Three levels of Jet, each with its own perturbation.
#[test]
fn hessian_inside_derivative() {
    fn prop(ra: [f64; 3], rt: f64) -> TestResult {
        let (Some(a), Some(t0)) = (vec_in_box(ra, -2.0, 2.0), in_box(rt, -2.0, 2.0)) else {
            return TestResult::discard();
        };
        let (tr, dtr) = derivative(
            |t: Jet<f64, 1>| {
                let x = a.map(|ai| t * ai);
                let (_, _, h) = hessian(|x| x.map(|xi| xi.powi(3)).sum(), &x);
                h.trace()
            },
            t0,
        );
        verdict(close_cf("tr H", tr, 6.0 * t0 * a.sum()).and(close_cf(
            "d/dt tr H",
            dtr,
            6.0 * a.sum(),
        )))
    }
    check(prop as fn([f64; 3], f64) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// Interop: num-dual outside, dualgrad inside (and the other way round)
// ---------------------------------------------------------------------------------------------

/// num-dual's `Dual64` as the outer derivative around dualgrad's `derivative` (a
/// `Jet<Dual64, 1>` inside): the confusion test and the mixed partial 6xy².
#[test]
fn num_dual_outside_jet_inside() {
    fn prop(rx: f64, ry: f64) -> TestResult {
        let (Some(x0), Some(y0)) = (in_box(rx, -3.0, 3.0), in_box(ry, -3.0, 3.0)) else {
            return TestResult::discard();
        };
        let r = (|| {
            let ctx = format!("x = {x0:e}, y = {y0:e}");
            let (_, d) = first_derivative(
                |x: Dual64| x * derivative(|y| Jet::constant(x) + y, Dual64::from(y0)).1,
                x0,
            );
            close_cf(&format!("{ctx} d/dx [x · d/dy (x + y)]"), d, 1.0)?;
            let (fy, fxy) = first_derivative(
                |x: Dual64| derivative(|y| f_xy(Jet::constant(x), y), Dual64::from(y0)).1,
                x0,
            );
            close_cf(&format!("{ctx} ∂f/∂y"), fy, 3.0 * x0 * x0 * y0 * y0)?;
            close_cf(&format!("{ctx} ∂²f/∂x∂y"), fxy, 6.0 * x0 * y0 * y0)?;
            // and a dualgrad gradient inside a num-dual derivative:
            // d/dx |∇_p (x p₀² + p₁)|² at p = (y, 1): ∇ = (2xy, 1), |∇|² = 4x²y² + 1, d/dx = 8xy²
            let (_, d) = first_derivative(
                |x: Dual64| {
                    let p = SVector::from([Dual64::from(y0), Dual64::from(1.0)]);
                    let (_, g) = gradient(|p| p[0] * p[0] * Jet::constant(x) + p[1], &p);
                    g.dot(&g)
                },
                x0,
            );
            close_cf(
                &format!("{ctx} d/dx |∇(x p₀² + p₁)|²"),
                d,
                8.0 * x0 * y0 * y0,
            )
        })();
        verdict(r)
    }
    check(prop as fn(f64, f64) -> TestResult);
}

/// dualgrad's `Jet` outside, num-dual's `first_derivative` inside (a `Dual<Jet<f64, 1>>`).
#[test]
fn jet_outside_num_dual_inside() {
    fn prop(rx: f64, ry: f64) -> TestResult {
        let (Some(x0), Some(y0)) = (in_box(rx, -3.0, 3.0), in_box(ry, -3.0, 3.0)) else {
            return TestResult::discard();
        };
        let r = (|| {
            let ctx = format!("x = {x0:e}, y = {y0:e}");
            let (_, d) = derivative(
                |x: Jet<f64, 1>| x * first_derivative(|y| Dual::from_re(x) + y, Jet::lift(y0)).1,
                x0,
            );
            close_cf(&format!("{ctx} d/dx [x · d/dy (x + y)]"), d, 1.0)?;
            // `Dual<Jet<f64, 1>>` is not a `Scalar` (num-dual implements nalgebra's `RealField`
            // only over f32/f64), so f_xy is written out with num-dual's own methods here.
            let (_, fxy) = derivative(
                |x: Jet<f64, 1>| {
                    first_derivative(
                        |y| {
                            let x = Dual::from_re(x);
                            x * x * y.powi(3)
                        },
                        Jet::lift(y0),
                    )
                    .1
                },
                x0,
            );
            close_cf(&format!("{ctx} ∂²f/∂x∂y"), fxy, 6.0 * x0 * y0 * y0)
        })();
        verdict(r)
    }
    check(prop as fn(f64, f64) -> TestResult);
}

/// The full Hessian of f(x, y) = x² y³ from nested `derivative` calls at every position, against
/// `hessian` and the closed form [[2y³, 6xy²], [6xy², 6x²y]].
#[test]
fn nested_derivatives_rebuild_the_hessian() {
    let (x0, y0) = (1.5, -2.0);
    let (_, _, h) = hessian(|p| f_xy(p[0], p[1]), &SVector::from([x0, y0]));
    let closed = SMatrix::<f64, 2, 2>::new(
        2.0 * y0 * y0 * y0,
        6.0 * x0 * y0 * y0,
        6.0 * x0 * y0 * y0,
        6.0 * x0 * x0 * y0,
    );
    assert_eq!(closed, SMatrix::<f64, 2, 2>::new(-16.0, 36.0, 36.0, -27.0));
    let fxx = derivative(
        |x: Jet<f64, 1>| derivative(|x| f_xy(x, Jet::lift(y0)), x).1,
        x0,
    )
    .1;
    let fyy = derivative(
        |y: Jet<f64, 1>| derivative(|y| f_xy(Jet::lift(x0), y), y).1,
        y0,
    )
    .1;
    let fxy = derivative(
        |x: Jet<f64, 1>| derivative(|y| f_xy(Jet::constant(x), y), Jet::lift(y0)).1,
        x0,
    )
    .1;
    let nested = SMatrix::<f64, 2, 2>::new(fxx, fxy, fxy, fyy);
    assert_eq!(nested, closed);
    assert_eq!(h, closed);
}
