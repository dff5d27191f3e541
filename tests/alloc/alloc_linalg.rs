//! The new paths of issue 11 allocate nothing on the heap for static sizes: nalgebra's linear
//! algebra on jets (norm, determinant, inverse, Cholesky, LU, symmetric eigenvalues), the
//! `Float` path (an `argmin_testfunctions` function), mixed `f64` × dual products, custom rules
//! (`erf`) and implicit differentiation, at first and second order.
//!
//! Measured with the per-thread counting allocator of `counting_alloc.rs`; each test first
//! checks that the counter does see an allocation (a control).

use crate::counting_alloc;

use counting_alloc::{allocations, assert_counter_works};
use dualgrad::diff::implicit::{ImplicitFn, implicit_solution};
use dualgrad::functions::erf;
use dualgrad::jet::{F64Ops, MixedOps};
use dualgrad::prelude::*;
use nalgebra::{SMatrix, SVector};
use std::hint::black_box;

fn assert_no_allocation<R>(what: &str, f: impl FnOnce() -> R) {
    let n = allocations(|| black_box(f()));
    assert_eq!(n, 0, "{what} made {n} heap allocation(s)");
}

/// ln det, a Cholesky solve, an LU solve, the smallest eigenvalue and a norm, all of the
/// matrix `S + diag(x)` with `S` symmetric positive definite.
fn linalg<T: Scalar>(x: &SVector<T, 3>) -> T {
    let s = SMatrix::<f64, 3, 3>::new(4.0, 1.0, 0.5, 1.0, 3.0, -0.25, 0.5, -0.25, 2.0);
    let m = SMatrix::<T, 3, 3>::from_fn(|i, j| {
        if i == j {
            x[i] + s[(i, j)]
        } else {
            T::lift(s[(i, j)])
        }
    });
    let b = SVector::from([1.0, -2.0, 0.5]);
    let c = m.cholesky().expect("spd").solve(&b.map(T::lift));
    let l = m.lu().solve(&b.map(T::lift)).expect("invertible");
    let inv = m.try_inverse().expect("invertible");
    let lam = m.symmetric_eigenvalues().min();
    m.determinant().ln()
        + c.norm()
        + l.dot_f64(&b)
        + inv[(0, 1)]
        + lam
        + x.normalize()[0]
        + erf(x[1])
}

struct Circle;
impl ImplicitFn<1, 1> for Circle {
    fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 1>) -> SVector<T, 1> {
        SVector::from([x[0] * x[0] * x[0] + x[0] - th[0]])
    }
}

#[test]
fn new_paths_do_not_allocate() {
    assert_counter_works();
    let x = SVector::from([0.3, -0.2, 0.5]);
    assert_no_allocation("gradient through linear algebra", || gradient(linalg, &x));
    assert_no_allocation("hessian through linear algebra", || hessian(linalg, &x));
    let w = SMatrix::<f64, 3, 3>::new(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.5);
    assert_no_allocation("f64 × dual, dual × f64", || {
        hessian(
            |x| w.mul_dual(x).dot(&x.transpose().mul_f64(&w).transpose()),
            &x,
        )
    });
    let p = SVector::from([0.5, 1.5]);
    assert_no_allocation("Float path (argmin_testfunctions::rosenbrock)", || {
        hessian(|x| argmin_testfunctions::rosenbrock(x.as_slice()), &p)
    });
    assert_no_allocation("implicit_solution, second order", || {
        // x³ + x = θ at θ = 2: x = 1
        derivative(
            |t| {
                derivative(
                    |s| {
                        implicit_solution(&Circle, &SVector::from([1.0]), &SVector::from([s]))
                            .unwrap()[0]
                    },
                    t,
                )
                .1
            },
            Jet::<f64, 1>::variable(2.0, 0),
        )
    });
}

#[test]
fn measured_functions_are_nontrivial() {
    // the gradient of linalg is finite and nonzero in every component
    let (_, g) = gradient(linalg, &SVector::from([0.3_f64, -0.2, 0.5]));
    assert!(g.iter().all(|v| v.is_finite() && *v != 0.0), "{g}");
}
