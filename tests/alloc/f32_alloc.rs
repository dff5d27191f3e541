//! The `f32` paths allocate nothing on the heap: gradient, Hessian and Jacobian of the tanh
//! network, the Hessian of log-sum-exp and the gradient of Rosenbrock over `f32` (the functions
//! of the `f32` tests, `tests/support/f32_functions.rs`).
//!
//! Measured with the per-thread counting allocator of `counting_alloc.rs`, after the control
//! `assert_counter_works`.

use crate::counting_alloc;
use crate::f32_functions;

use counting_alloc::{allocations, assert_counter_works};
use dualgrad::{gradient, hessian, jacobian};
use f32_functions::{layer, log_sum_exp, net, rosenbrock};
use nalgebra::SVector;
use std::hint::black_box;

#[test]
fn f32_paths_do_not_allocate() {
    assert_counter_works();
    let x = SVector::from([0.3_f32, -0.2, 0.5]);
    let y = SVector::from([0.3_f32, -0.2, 0.5, 1.5]);
    let z = SVector::from([0.3_f32, -0.2]);
    for (what, n) in [
        (
            "gradient",
            allocations(|| black_box(gradient(net, &x)).0 as usize),
        ),
        (
            "hessian",
            allocations(|| black_box(hessian(net, &x)).0 as usize),
        ),
        (
            "jacobian",
            allocations(|| black_box(jacobian(layer, &x)).0.len()),
        ),
        (
            "lse hessian",
            allocations(|| black_box(hessian(log_sum_exp, &y)).0 as usize),
        ),
        (
            "rosenbrock",
            allocations(|| black_box(gradient(rosenbrock, &z)).0 as usize),
        ),
    ] {
        assert_eq!(n, 0, "{what} on f32 made {n} heap allocation(s)");
    }
}
