//! Implicit differentiation against closed forms (√θ from x² − θ = 0, Kepler's equation, the
//! minimiser of a parametrised quadratic) and against differentiating straight through 50
//! Newton iterations, at first and second (and third) order.

use crate::common;

use common::*;
use dualgrad::diff::implicit::{
    ImplicitError, ImplicitFn, ParamObjective, implicit_minimizer, implicit_solution,
};
use dualgrad::prelude::*;
use dualgrad::second_derivative;
use nalgebra::{SMatrix, SVector};
use quickcheck::TestResult;

// ---------------------------------------------------------------------------------------------
// √θ from x² − θ = 0
// ---------------------------------------------------------------------------------------------

struct SquareRoot;
impl ImplicitFn<1, 1> for SquareRoot {
    fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 1>) -> SVector<T, 1> {
        SVector::from([x[0] * x[0] - th[0]])
    }
}

fn sqrt_implicit<T: Scalar>(t: T) -> T {
    // the f64 root by bisection on [0, max(1, θ)]: any solver will do
    let theta = t.value();
    let (mut lo, mut hi) = (0.0, theta.max(1.0));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid * mid > theta {
            hi = mid
        } else {
            lo = mid
        }
    }
    implicit_solution(&SquareRoot, &SVector::from([lo]), &SVector::from([t])).unwrap()[0]
}

#[test]
fn square_root_first_second_third_derivatives() {
    fn prop(raw: f64) -> TestResult {
        let Some(t) = in_box(raw, 0.05, 50.0) else {
            return TestResult::discard();
        };
        let (v, d) = derivative(sqrt_implicit, t);
        let (d1, d2) = derivative(|s| derivative(sqrt_implicit, s).1, t);
        let (_, d3) = derivative(|r| derivative(|s| derivative(sqrt_implicit, s).1, r).1, t);
        let (_, a, b) = second_derivative(sqrt_implicit, t);
        verdict(
            close_cf("√θ", v, t.sqrt())
                .and(close_cf("d√θ/dθ", d, 0.5 / t.sqrt()))
                .and(close_cf("d√θ/dθ (nested)", d1, 0.5 / t.sqrt()))
                .and(close_cf("d²√θ/dθ²", d2, -0.25 * t.powf(-1.5)))
                .and(close_cf("d²√θ/dθ² (Dual2)", b, -0.25 * t.powf(-1.5)))
                .and(close_cf("d√θ/dθ (Dual2)", a, 0.5 / t.sqrt()))
                .and(close_cf("d³√θ/dθ³", d3, 0.375 * t.powf(-2.5))),
        )
    }
    check_n(300, prop as fn(f64) -> TestResult);
}

#[test]
fn errors_name_the_bad_solution() {
    let e = implicit_solution(&SquareRoot, &SVector::from([0.0]), &SVector::from([0.0]));
    assert_eq!(
        e,
        Err(ImplicitError::SingularJacobian {
            x: SVector::from([0.0])
        })
    );
    let e = implicit_solution(&SquareRoot, &SVector::from([3.0]), &SVector::from([4.0]));
    // Newton step from 3 for x² = 4: (9 − 4)/6
    assert_eq!(
        e,
        Err(ImplicitError::NotASolution {
            x: SVector::from([3.0]),
            step: 5.0 / 6.0
        })
    );
    assert!(e.unwrap_err().to_string().contains("[3.0]"));
}

// ---------------------------------------------------------------------------------------------
// Kepler's equation E − e sin E = M, θ = (M, e)
// ---------------------------------------------------------------------------------------------

struct Kepler;
impl ImplicitFn<1, 2> for Kepler {
    fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 2>) -> SVector<T, 1> {
        SVector::from([x[0] - th[1] * x[0].sin() - th[0]])
    }
}

/// The f64 solution by bisection (E − e sin E is increasing for e < 1).
fn kepler_f64(m: f64, e: f64) -> f64 {
    let (mut lo, mut hi) = (m - 1.0, m + 1.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid - e * mid.sin() > m {
            hi = mid
        } else {
            lo = mid
        }
    }
    0.5 * (lo + hi)
}

fn kepler_implicit<T: Scalar>(th: &SVector<T, 2>) -> T {
    let x = SVector::from([kepler_f64(th[0].value(), th[1].value())]);
    implicit_solution(&Kepler, &x, th).unwrap()[0]
}

/// Differentiating straight through 50 Newton iterations from E = M.
fn kepler_newton<T: Scalar>(th: &SVector<T, 2>) -> T {
    let (m, e) = (th[0], th[1]);
    let mut x = m;
    for _ in 0..50 {
        x -= (x - e * x.sin() - m) / (-e * x.cos() + 1.0);
    }
    x
}

#[test]
fn kepler_against_closed_form_and_fifty_newton_iterations() {
    fn prop(rm: f64, re: f64) -> TestResult {
        let (Some(m), Some(e)) = (in_box(rm, -3.0, 3.0), in_box(re, 0.0, 0.9)) else {
            return TestResult::discard();
        };
        let th = SVector::from([m, e]);
        let (big_e, g) = gradient(kepler_implicit, &th);
        let (s, c) = big_e.sin_cos();
        let den = 1.0 - e * c;
        let want_g = SVector::from([1.0 / den, s / den]);
        let (_, _, h) = hessian(kepler_implicit, &th);
        let (vn, gn, hn) = hessian(kepler_newton, &th);
        // ∂²E/∂M² = −e sin E / (1 − e cos E)³
        verdict(
            close_cf("E", big_e, vn)
                .and(close_cf("E − e sin E = M", big_e - e * s, m))
                .and(close_mat_cf("∇E = (1, sin E)/(1 − e cos E)", &g, &want_g))
                .and(close_mat_cf("∇E vs Newton", &g, &gn))
                .and(close_cf("∂²E/∂M²", h[(0, 0)], -e * s / den.powi(3)))
                .and(close_mat_cf("∇²E vs Newton", &h, &hn)),
        )
    }
    check_n(300, prop as fn(f64, f64) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// The minimiser of f(x, θ) = ½ xᵀ(A + θ₀ I)x − θ₁ bᵀx: x* = θ₁ (A + θ₀ I)⁻¹ b
// ---------------------------------------------------------------------------------------------

fn a_mat() -> SMatrix<f64, 3, 3> {
    SMatrix::<f64, 3, 3>::new(3.0, 0.5, -0.2, 0.5, 2.0, 0.3, -0.2, 0.3, 1.5)
}
fn b_vec() -> SVector<f64, 3> {
    SVector::from([1.0, -0.5, 2.0])
}

struct Quadratic;
impl ParamObjective<3, 2> for Quadratic {
    fn value<T: Scalar>(&self, x: &SVector<T, 3>, th: &SVector<T, 2>) -> T {
        let ax = a_mat().map(T::lift) * x;
        x.dot(&ax) * 0.5 + x.dot(x) * th[0] * 0.5 - b_vec().map(T::lift).dot(x) * th[1]
    }
}

fn minimiser<T: Scalar>(th: &SVector<T, 2>) -> SVector<T, 3> {
    // f64 minimiser: any solver; here nalgebra's f64 solve
    let m = a_mat() + SMatrix::<f64, 3, 3>::identity() * th[0].value();
    let x_star = m.try_inverse().unwrap() * b_vec() * th[1].value();
    implicit_minimizer(&Quadratic, &x_star, th).unwrap()
}

#[test]
fn quadratic_minimiser_first_and_second_order() {
    let th = SVector::from([0.7, 1.3]);
    let mi = (a_mat() + SMatrix::<f64, 3, 3>::identity() * th[0])
        .try_inverse()
        .unwrap();
    let x = mi * b_vec() * th[1];
    let (v, j) = jacobian(minimiser, &th);
    close_mat_cf("x*", &v, &x).unwrap();
    // ∂x/∂θ₀ = −(A + θ₀I)⁻¹ x*, ∂x/∂θ₁ = (A + θ₀I)⁻¹ b
    let want = SMatrix::<f64, 3, 2>::from_columns(&[-(mi * x), mi * b_vec()]);
    close_mat_cf("∂x*/∂θ", &j, &want).unwrap();
    // cᵀx*: ∂²/∂θ₀² = 2cᵀM⁻²x*, ∂²/∂θ₀∂θ₁ = −cᵀM⁻²b, ∂²/∂θ₁² = 0
    let c = SVector::from([0.4, -1.0, 0.25]);
    let (_, _, h) = hessian(|t| minimiser(t).dot(&c.map(Jet::lift)), &th);
    let h01 = -c.dot(&(mi * mi * b_vec()));
    let want_h = SMatrix::<f64, 2, 2>::new(2.0 * c.dot(&(mi * mi * x)), h01, h01, 0.0);
    close_mat_cf("∇²(cᵀx*)", &h, &want_h).unwrap();
}
