//! `f32` through the engine: `Jet<f32, N>` and the derivative entry points on functions written
//! over `T: Scalar<f32>` (constants as `f32`), or generic over the precision
//! (`T: Scalar<P>, P: Precision`).
//!
//! Expected values come from outside the `f32` path: closed forms evaluated in `f64`
//! (Rosenbrock, log-sum-exp) and the `f64` engine on the same generic function (the tanh
//! network). Tolerances are `f32` rounding: a first-order error bound of a few `f32::EPSILON`
//! times the magnitude of the terms that are summed (for Rosenbrock, whose gradient cancels
//! terms of size `400 |x| (|y| + x²)`, that magnitude is written out), otherwise a relative
//! `1e-5` of the `f64` result's largest entry.

use crate::f32_functions;

use dualgrad::{
    Chunk, Jet, Scalar, derivative, directional_derivative, gradient, gradient_chunked, hessian,
    hessian_chunked, hvp, hvp_chunked, jacobian, jacobian_chunked, jvp, second_derivative,
    third_derivative,
};
use f32_functions::*;
use nalgebra::{SMatrix, SVector};
use quickcheck::{QuickCheck, TestResult};

/// Cases per property: more in release builds.
fn cases() -> u64 {
    if cfg!(debug_assertions) { 200 } else { 2000 }
}

/// A quickcheck draw (any f64, NaN and ±∞ included) mapped into `[-r, r]`, then rounded to
/// `f32` so that both precisions see the same point.
fn in_box(v: f64, r: f64) -> f32 {
    let u = if v.is_finite() {
        (v.abs() % 1.0) * v.signum()
    } else {
        0.5
    };
    (u * r) as f32
}

fn widen<const N: usize>(x: &SVector<f32, N>) -> SVector<f64, N> {
    x.map(f64::from)
}

/// `‖a − b‖∞ ≤ tol` entrywise for an `f32` result against an `f64` reference.
fn close<const R: usize, const C: usize>(
    a: &SMatrix<f32, R, C>,
    b: &SMatrix<f64, R, C>,
    tol: f64,
) -> bool {
    a.iter()
        .zip(b.iter())
        .all(|(&a, &b)| (f64::from(a) - b).abs() <= tol)
}

// ---------------------------------------------------------------------------------------------
// Agreement with f64 at quickcheck-drawn points
// ---------------------------------------------------------------------------------------------

#[test]
fn rosenbrock_gradient_and_hessian_agree_with_the_closed_forms() {
    fn prop(a: f64, b: f64) -> TestResult {
        let x = SVector::from([in_box(a, 2.0), in_box(b, 2.0)]);
        let x64 = widen(&x);
        let s = rosenbrock_scale(&x64);
        let (f, g) = gradient(rosenbrock, &x);
        let (fh, gh, h) = hessian(rosenbrock, &x);
        let f64_value = (1.0 - x64[0]).powi(2) + 100.0 * (x64[1] - x64[0] * x64[0]).powi(2);
        let tol = 8.0 * f64::from(f32::EPSILON) * s;
        TestResult::from_bool(
            (f64::from(f) - f64_value).abs() <= tol
                && f == fh
                && g == gh
                && close(&g, &rosenbrock_grad(&x64), tol)
                && close(&h, &rosenbrock_hess(&x64), tol),
        )
    }
    QuickCheck::new()
        .tests(cases())
        .min_tests_passed(cases())
        .quickcheck(prop as fn(f64, f64) -> TestResult);
}

#[test]
fn rosenbrock_at_its_minimum_is_exact_in_f32() {
    // every operation is exact at (1, 1): g = 0, H = [[802, −400], [−400, 200]]
    let x = SVector::from([1.0_f32, 1.0]);
    let (f, g, h) = hessian(rosenbrock, &x);
    assert_eq!((f, g), (0.0, SVector::from([0.0, 0.0])));
    assert_eq!(h, SMatrix::<f32, 2, 2>::new(802.0, -400.0, -400.0, 200.0));
}

#[test]
fn tanh_network_agrees_with_f64() {
    fn prop(a: f64, b: f64, c: f64) -> TestResult {
        let x = SVector::from([in_box(a, 3.0), in_box(b, 3.0), in_box(c, 3.0)]);
        let x64 = widen(&x);
        let (f, g, h) = hessian(net, &x);
        let (f64v, g64, h64) = hessian(net, &x64);
        let (_, j) = jacobian(layer, &x);
        let (_, j64) = jacobian(layer, &x64);
        let rel = |m: f64| 1e-5 * m.max(1.0);
        TestResult::from_bool(
            (f64::from(f) - f64v).abs() <= rel(f64v.abs())
                && close(&g, &g64, rel(g64.amax()))
                && close(&h, &h64, rel(h64.amax()))
                && close(&j, &j64, rel(j64.amax())),
        )
    }
    QuickCheck::new()
        .tests(cases())
        .min_tests_passed(cases())
        .quickcheck(prop as fn(f64, f64, f64) -> TestResult);
}

#[test]
fn tanh_network_at_the_origin_is_the_closed_form() {
    // at x = 0: ∂out/∂xᵢ = Σₖ vₖ (1 − tanh² bₖ) wₖᵢ
    let (w, b, v) = (W, B, V);
    let expected = SVector::<f64, 3>::from_fn(|i, _| {
        (0..4)
            .map(|k| v[k] * (1.0 - b[k].tanh().powi(2)) * w[k][i])
            .sum()
    });
    let (_, g) = gradient(net, &SVector::from([0.0_f32, 0.0, 0.0]));
    assert!(close(&g, &expected, 1e-6), "{g} vs {expected}");
}

#[test]
fn log_sum_exp_agrees_with_the_closed_forms() {
    fn prop(a: f64, b: f64, c: f64, d: f64) -> TestResult {
        let x = SVector::from([
            in_box(a, 20.0),
            in_box(b, 20.0),
            in_box(c, 20.0),
            in_box(d, 20.0),
        ]);
        let x64 = widen(&x);
        let (v64, p, h64) = lse_closed(&x64);
        let (v, g, h) = hessian(log_sum_exp, &x);
        let (p32, j) = jacobian(softmax, &x);
        // the value is a sum of terms up to |m| ≤ 20; derivatives are probabilities in [0, 1]
        TestResult::from_bool(
            (f64::from(v) - v64).abs() <= 1e-5 * v64.abs().max(1.0)
                && close(&g, &p, 1e-5)
                && close(&p32, &p, 1e-5)
                && close(&h, &h64, 1e-5)
                && close(&j, &h64, 1e-5),
        )
    }
    QuickCheck::new()
        .tests(cases())
        .min_tests_passed(cases())
        .quickcheck(prop as fn(f64, f64, f64, f64) -> TestResult);
}

#[test]
fn scalar_derivative_and_hvp_in_f32() {
    // d/dx x³ = 3x² = 12 at x = 2, exactly in f32
    let (v, d) = derivative(|x: Jet<f32, 1>| x * x * x, 2.0_f32);
    assert_eq!((v, d), (8.0, 12.0));
    // H v for Rosenbrock at (1, 1), v = (1, 0): the first column of H, (802, −400)
    let (_, _, hv) = hvp(
        rosenbrock,
        &SVector::from([1.0_f32, 1.0]),
        &SVector::from([1.0, 0.0]),
    );
    assert_eq!(hv, SVector::from([802.0, -400.0]));
}

/// `x²y + y³` over f32: ∇ = (2xy, x² + 3y²), H = [[2y, 2x], [2x, 6y]]; at (1, 2):
/// f = 10, ∇ = (4, 13), H = [[4, 2], [2, 12]] (all exact in f32).
fn cubic<T: Scalar<f32>>(x: &SVector<T, 2>) -> T {
    x[0] * x[0] * x[1] + x[1] * x[1] * x[1]
}

#[test]
fn every_closure_entry_point_takes_f32() {
    let x = SVector::from([1.0_f32, 2.0]);
    let v = SVector::from([1.0_f32, -1.0]);
    let h = SMatrix::<f32, 2, 2>::new(4.0, 2.0, 2.0, 12.0);
    // x³ at 2: 8, 12, 12, 6
    assert_eq!(second_derivative(|x| x * x * x, 2.0_f32), (8.0, 12.0, 12.0));
    assert_eq!(
        third_derivative(|x| x * x * x, 2.0_f32),
        (8.0, 12.0, 12.0, 6.0)
    );
    assert_eq!(
        hessian_chunked(cubic, &x, Chunk::<1>),
        (10.0, SVector::from([4.0, 13.0]), h)
    );
    assert_eq!(hvp_chunked(cubic, &x, &v, Chunk::<1>).2, h * v);
    assert_eq!(directional_derivative(cubic, &x, &v), (10.0, 4.0 - 13.0));
    // the vector function (x·y, x + 2y): J = [[y, x], [1, 2]] = [[2, 1], [1, 2]]
    let g = |x: &SVector<Jet<f32, 1>, 2>| SVector::from([x[0] * x[1], x[0] + x[1] * 2.0_f32]);
    assert_eq!(jvp(g, &x, &v).1, SVector::from([2.0 - 1.0, 1.0 - 2.0]));
    let (_, j) = jacobian_chunked(
        |x| SVector::from([x[0] * x[1], x[0] + x[1] * 2.0_f32]),
        &x,
        Chunk::<1>,
    );
    assert_eq!(j, SMatrix::<f32, 2, 2>::new(2.0, 1.0, 1.0, 2.0));
}

/// Unsuffixed literals in code over `Scalar<f32>` are `f32` (the only primitive in the bound).
fn affine<T: Scalar<f32>>(x: T) -> T {
    x * 2.0 + 1.0
}

#[test]
fn unsuffixed_literals_are_f32_in_f32_code() {
    // d/dx (2x + 1) = 2; 2·0.1_f32 + 1 rounds in f32 exactly as the plain f32 expression
    let (v, d) = derivative(affine, 0.1_f32);
    assert_eq!((v, d), (0.1_f32 * 2.0 + 1.0, 2.0));
}

/// Code written over num-traits' `Float` (another crate's style) differentiates on `f32` too.
fn float_code<F: num_traits::Float>(x: &[F]) -> F {
    x[0].powi(2) * x[1].exp()
}

#[test]
fn num_traits_float_code_on_f32_jets() {
    // ∇ x² eʸ at (3, 0) = (2x eʸ, x² eʸ) = (6, 9); ∂²/∂x∂y = 2x eʸ = 6
    let x = SVector::from([3.0_f32, 0.0]);
    let (v, g) = gradient(|x| float_code(x.as_slice()), &x);
    assert_eq!((v, g), (9.0, SVector::from([6.0, 9.0])));
    let (_, _, h) = hessian(|x| float_code(x.as_slice()), &x);
    assert_eq!(h, SMatrix::<f32, 2, 2>::new(2.0, 6.0, 6.0, 9.0));
}

// ---------------------------------------------------------------------------------------------
// NaN safety, as on f64
// ---------------------------------------------------------------------------------------------

#[test]
fn nan_safety_holds_in_f32() {
    // ∂/∂y (√x + y) = 1 at x = 0, although ∂/∂x is infinite
    let (v, g) = gradient(|x| x[0].sqrt() + x[1], &SVector::from([0.0_f32, 3.0]));
    assert_eq!(v, 3.0);
    assert!(g[0].is_infinite() && g[0] > 0.0);
    assert_eq!(g[1], 1.0);
    // second order: √x + y², at x = 0: ∂²/∂y² = 2 and the cross terms are 0, never NaN
    let (_, g, h) = hessian(
        |x| x[0].sqrt() + x[1] * x[1],
        &SVector::from([0.0_f32, 3.0]),
    );
    assert_eq!(g[1], 6.0);
    assert_eq!((h[(1, 1)], h[(0, 1)], h[(1, 0)]), (2.0, 0.0, 0.0));
    assert!(!h[(0, 0)].is_nan());
    // the norm at the origin: value 0, gradient 0 (nalgebra's norm on Jet<f32, 2>)
    let (n, g) = gradient(|x| x.norm(), &SVector::from([0.0_f32, 0.0]));
    assert_eq!((n, g), (0.0, SVector::from([0.0, 0.0])));
    // and away from it, ∇‖x‖ = x / ‖x‖ = (0.6, 0.8)
    let (n, g) = gradient(|x| x.norm(), &SVector::from([3.0_f32, 4.0]));
    assert_eq!(n, 5.0);
    assert!(close(&g, &SVector::from([0.6, 0.8]), 1e-7));
}

// ---------------------------------------------------------------------------------------------
// Large N through the chunked path in a small stack
// ---------------------------------------------------------------------------------------------

/// `Σ (xᵢ − cᵢ)² · wᵢ` with `cᵢ = i/N`, `wᵢ = 1 + i mod 3`: ∂/∂xᵢ = 2 wᵢ (xᵢ − cᵢ).
fn weighted<T: Scalar<f32>, const N: usize>(x: &SVector<T, N>) -> T {
    let mut s = T::zero();
    for i in 0..N {
        let d = x[i] - i as f32 / N as f32;
        s += d * d * (1 + i % 3) as f32;
    }
    s
}

#[test]
fn large_f32_gradient_by_chunks_in_a_2_mib_thread() {
    const N: usize = 600;
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let x = SVector::<f32, N>::from_fn(|i, _| ((i * 7) % 13) as f32 / 13.0 - 0.5);
            let (f, g) = gradient_chunked(weighted, &x, Chunk::<16>);
            let (mut f64v, mut worst) = (0.0_f64, 0.0_f64);
            for i in 0..N {
                let d = f64::from(x[i]) - f64::from(i as f32 / N as f32);
                let w = (1 + i % 3) as f64;
                f64v += d * d * w;
                worst = worst.max((f64::from(g[i]) - 2.0 * w * d).abs());
            }
            ((f64::from(f) - f64v).abs() / f64v, worst)
        })
        .expect("spawn");
    let (rel_value, worst) = handle.join().expect("no stack overflow");
    assert!(rel_value < 1e-5, "value off by {rel_value} (relative)");
    // each partial is 2 w (x − c) from three f32 roundings: within 4 ulp of |2 w d| ≤ 12
    assert!(
        worst <= 12.0 * 4.0 * f64::from(f32::EPSILON),
        "gradient off by {worst}"
    );
}
