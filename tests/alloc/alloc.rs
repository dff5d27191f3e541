//! The entry points allocate nothing on the heap for static sizes.
//!
//! Measured with the per-thread counting allocator of `counting_alloc.rs`; every test first
//! checks that the counter DOES see a `Vec::with_capacity(10)` (a control), so that a zero is a
//! real zero and not a counter that never counts.

use crate::counting_alloc;

use counting_alloc::{allocations, assert_counter_works};
use dualgrad::functions::{log_sum_exp, sigmoid, softmax, softmax_cross_entropy, softplus};
use dualgrad::prelude::*;
use dualgrad::{
    Chunk, gradient_chunked, hessian_chunked, hvp_chunked, jacobian_chunked, jvp,
    second_derivative, third_derivative,
};
use nalgebra::SVector;
use std::hint::black_box;

fn assert_no_allocation<R>(what: &str, f: impl FnOnce() -> R) {
    let n = allocations(f);
    assert_eq!(n, 0, "{what} made {n} heap allocation(s)");
}

// ---------------------------------------------------------------------------------------------
// Functions under measurement: generic, with elementary and ML functions inside
// ---------------------------------------------------------------------------------------------

/// Rosenbrock plus sin/exp terms and a log-sum-exp: exercises arithmetic, elementary functions
/// and the ML helpers.
fn objective<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
    let mut s = log_sum_exp(x);
    for i in 0..N - 1 {
        let a = -x[i] + 1.0;
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + b * b * 100.0 + x[i].sin() * (x[i + 1] * 0.1).exp();
    }
    s + softplus(x[0]) + sigmoid(x[N - 1])
}

fn vector_map<T: Scalar, const N: usize>(x: &SVector<T, N>) -> SVector<T, 3> {
    let p = softmax(x);
    SVector::from([p[0], x.dot(x).sqrt(), softmax_cross_entropy(x, 1)])
}

struct Objective10;
impl ScalarFn<10> for Objective10 {
    fn eval<T: Scalar>(&self, x: &SVector<T, 10>) -> T {
        objective(x)
    }
}

struct Objective50;
impl ScalarFn<50> for Objective50 {
    fn eval<T: Scalar>(&self, x: &SVector<T, 50>) -> T {
        objective(x)
    }
}

struct Map50;
impl VectorFn<50, 3> for Map50 {
    fn eval<T: Scalar>(&self, x: &SVector<T, 50>) -> SVector<T, 3> {
        vector_map(x)
    }
}

struct Map10;
impl VectorFn<10, 3> for Map10 {
    fn eval<T: Scalar>(&self, x: &SVector<T, 10>) -> SVector<T, 3> {
        vector_map(x)
    }
}

fn point<const N: usize>() -> SVector<f64, N> {
    black_box(SVector::from_fn(|i, _| 0.1 * i as f64 - 0.7))
}

// ---------------------------------------------------------------------------------------------
// The measurements
// ---------------------------------------------------------------------------------------------

#[test]
fn closure_entry_points_do_not_allocate() {
    assert_counter_works();
    let x10 = point::<10>();
    let v10 = point::<10>().map(|t| t + 1.0);
    let x50 = point::<50>();

    assert_no_allocation("derivative", || {
        derivative(|t| sigmoid(t) * t.sin(), black_box(0.3))
    });
    assert_no_allocation("second_derivative", || {
        second_derivative(|t| softplus(t) * t.exp(), black_box(0.3))
    });
    assert_no_allocation("gradient (N = 10)", || gradient(objective, &x10));
    assert_no_allocation("jacobian (10 → 3)", || jacobian(vector_map, &x10));
    assert_no_allocation("hessian (N = 10)", || hessian(objective, &x10));
    assert_no_allocation("jvp (10 → 3)", || jvp(vector_map, &x10, &v10));
    assert_no_allocation("directional_derivative (N = 10)", || {
        directional_derivative(objective, &x10, &v10)
    });
    assert_no_allocation("gradient_chunked (N = 50, C = 8)", || {
        gradient_chunked(objective, &x50, Chunk::<8>)
    });
    assert_no_allocation("gradient (N = 50)", || gradient(objective, &x50));
    assert_no_allocation("third_derivative", || {
        third_derivative(|t| softplus(t) * t.exp(), black_box(0.3))
    });
    assert_no_allocation("jacobian_chunked (50 → 3, C = 8)", || {
        jacobian_chunked(vector_map, &x50, Chunk::<8>)
    });
    assert_no_allocation("hessian_chunked (N = 50, C = 4)", || {
        hessian_chunked(objective, &x50, Chunk::<4>)
    });
    let v50 = point::<50>().map(|t| t * 0.5);
    assert_no_allocation("hvp (N = 50)", || hvp(objective, &x50, &v50));
    assert_no_allocation("hvp_chunked (N = 50, C = 8)", || {
        hvp_chunked(objective, &x50, &v50, Chunk::<8>)
    });
    // and nested: the Jacobian of a gradient
    assert_no_allocation("jacobian of gradient (N = 10)", || {
        jacobian(
            |x: &SVector<Jet<f64, 10>, 10>| gradient(objective, x).1,
            &x10,
        )
    });
    // the NaN-safe (careful) second-order path: √ at 0 in a product and a quotient (both
    // contribute −∞ to H[0, 0] at x₀ = 0, x₁ > 0, x₂ > −2)
    fn at_a_singularity<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
        let r = x[0].sqrt();
        r * x[1] + r / (x[2] + 2.0) + x[2].atan2(x[3])
    }
    let mut singular = x10;
    singular[0] = 0.0;
    singular[1] = 1.0;
    let (_, _, h) = hessian(at_a_singularity, &singular);
    assert_eq!(
        h[(0, 0)],
        f64::NEG_INFINITY,
        "the careful path was not reached: {h}"
    );
    assert_no_allocation("hessian at a singularity (N = 10)", || {
        hessian(at_a_singularity, &singular)
    });
    assert_no_allocation("hvp at a singularity (N = 10)", || {
        hvp(at_a_singularity, &singular, &v10)
    });
}

#[test]
fn trait_methods_do_not_allocate() {
    assert_counter_works();
    let x10 = point::<10>();
    let v10 = point::<10>().map(|t| t - 1.0);
    let x50 = point::<50>();

    assert_no_allocation("ScalarFn::value", || Objective10.value(&x10));
    assert_no_allocation("ScalarFn::gradient", || Objective10.gradient(&x10));
    assert_no_allocation("ScalarFn::gradient_chunked (N = 50, C = 8)", || {
        Objective50.gradient_chunked(&x50, Chunk::<8>)
    });
    assert_no_allocation("ScalarFn::hessian", || Objective10.hessian(&x10));
    assert_no_allocation("ScalarFn::directional_derivative", || {
        Objective10.directional_derivative(&x10, &v10)
    });
    assert_no_allocation("VectorFn::value", || Map10.value(&x10));
    assert_no_allocation("VectorFn::jacobian", || Map10.jacobian(&x10));
    assert_no_allocation("VectorFn::jvp", || Map10.jvp(&x10, &v10));
    // the chunked and blocked paths the trait forms take above the one-pass sizes
    let v50 = point::<50>().map(|t| t * 0.5);
    assert_no_allocation("ScalarFn::gradient (N = 50, chunks)", || {
        Objective50.gradient(&x50)
    });
    assert_no_allocation("ScalarFn::hessian (N = 50, blocks)", || {
        Objective50.hessian(&x50)
    });
    assert_no_allocation("ScalarFn::hvp (N = 10, one pass)", || {
        Objective10.hvp(&x10, &v10)
    });
    assert_no_allocation("ScalarFn::hvp (N = 50, chunks)", || {
        Objective50.hvp(&x50, &v50)
    });
    assert_no_allocation("VectorFn::jacobian (50 → 3, chunks)", || {
        Map50.jacobian(&x50)
    });
    // into storage the caller owns: no allocation at any size
    let (mut g, mut h) = (SVector::zeros(), nalgebra::SMatrix::zeros());
    assert_no_allocation("ScalarFn::hessian_into (N = 50, blocks)", || {
        Objective50.hessian_into(&x50, &mut g, &mut h)
    });
    assert_no_allocation("hessian_chunked_into (N = 50, C = 4)", || {
        dualgrad::hessian_chunked_into(objective, &x50, Chunk::<4>, &mut g, &mut h)
    });
    let (mut v, mut j) = (SVector::zeros(), nalgebra::SMatrix::zeros());
    assert_no_allocation("VectorFn::jacobian_into (50 → 3, chunks)", || {
        Map50.jacobian_into(&x50, &mut v, &mut j)
    });
    assert_no_allocation("jacobian_chunked_into (50 → 3, C = 8)", || {
        dualgrad::jacobian_chunked_into(vector_map, &x50, Chunk::<8>, &mut v, &mut j)
    });
    // and the by-value forms just below the heap threshold (HEAP_RESULT_BYTES: 90 × 90 f64)
    let x90 = point::<90>();
    assert_no_allocation("hessian_chunked (N = 90, C = 8)", || {
        hessian_chunked(objective, &x90, Chunk::<8>)
    });
}

/// The measured calls compute real derivatives (not optimised away, not trivially zero): a
/// spot check of the gradient against central differences.
#[test]
fn measured_functions_are_nontrivial() {
    let x = point::<10>();
    let (_, g) = Objective10.gradient(&x);
    for i in 0..10 {
        let h = 1e-6;
        let (mut xp, mut xm) = (x, x);
        xp[i] += h;
        xm[i] -= h;
        let fd = (objective(&xp) - objective(&xm)) / (xp[i] - xm[i]);
        assert!(
            (g[i] - fd).abs() < 1e-5 * (1.0 + fd.abs()),
            "∂{i}: {} vs {fd}",
            g[i]
        );
        assert!(g[i] != 0.0);
    }
}
