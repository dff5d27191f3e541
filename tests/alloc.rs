//! The entry points allocate nothing on the heap for static sizes.
//!
//! A counting global allocator wraps the system allocator and counts, per thread, the calls to
//! `alloc`, `alloc_zeroed` and `realloc` made while a measurement is running. The count is
//! thread-local, so the test harness and other test threads cannot disturb it, and every test
//! first checks that the counter DOES see a `Vec::with_capacity(10)` (a control), so that a zero
//! is a real zero and not a counter that never counts.
//!
//! (`#![forbid(unsafe_code)]` is a lint of the library; an integration test is its own crate and
//! needs `unsafe impl GlobalAlloc`.)

use dualgrad::prelude::*;
use nalgebra::SVector;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

struct CountingAllocator;

thread_local! {
    /// Whether this thread is being measured, and how many allocations it made meanwhile.
    /// `const` initialisation and no destructor: using them allocates nothing.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn record() {
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; `record` only
// touches const-initialised thread-locals of `Copy` types, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// The number of heap allocations this thread makes while running `f`.
fn allocations<R>(f: impl FnOnce() -> R) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    black_box(f());
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get)
}

/// The control: the counter sees an allocation, so the zeros below mean something.
fn assert_counter_works() {
    let n = allocations(|| Vec::<f64>::with_capacity(black_box(10)));
    assert!(
        n >= 1,
        "the counting allocator missed a Vec::with_capacity(10)"
    );
    let n = allocations(|| Box::new(black_box([1.0_f64; 4])));
    assert!(n >= 1, "the counting allocator missed a Box::new");
}

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
    // and nested: the Jacobian of a gradient
    assert_no_allocation("jacobian of gradient (N = 10)", || {
        jacobian(
            |x: &SVector<Jet<f64, 10>, 10>| gradient(objective, x).1,
            &x10,
        )
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
