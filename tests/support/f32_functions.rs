//! The functions of the `f32` tests (`tests/diff/f32.rs`), written as a user of `f32` writes
//! them (constants as `f32`, or generic over the precision), with their closed forms in `f64`.
//! The allocation test of the `f32` paths (`tests/alloc/f32_alloc.rs`) differentiates the same
//! ones.
#![allow(dead_code)] // each test binary uses a different subset

use dualgrad::{Precision, Scalar};
use nalgebra::{SMatrix, SVector};

/// Rosenbrock over `f32`: the constants are `f32` literals.
pub fn rosenbrock<T: Scalar<f32>>(x: &SVector<T, 2>) -> T {
    let a = -x[0] + 1.0_f32;
    let b = x[1] - x[0] * x[0];
    a * a + b * b * 100.0_f32
}

/// Its gradient and Hessian in closed form, in `f64`.
pub fn rosenbrock_grad(x: &SVector<f64, 2>) -> SVector<f64, 2> {
    let (u, v) = (x[0], x[1]);
    SVector::from([
        -2.0 * (1.0 - u) - 400.0 * u * (v - u * u),
        200.0 * (v - u * u),
    ])
}
pub fn rosenbrock_hess(x: &SVector<f64, 2>) -> SMatrix<f64, 2, 2> {
    let (u, v) = (x[0], x[1]);
    SMatrix::<f64, 2, 2>::new(
        2.0 - 400.0 * (v - u * u) + 800.0 * u * u,
        -400.0 * u,
        -400.0 * u,
        200.0,
    )
}
/// The size of the terms that the f32 gradient and Hessian add up (their rounding scale).
pub fn rosenbrock_scale(x: &SVector<f64, 2>) -> f64 {
    let (u, v) = (x[0].abs(), x[1].abs());
    2.0 * (1.0 + u) + 400.0 * u * (v + u * u) + 400.0 * (v + u * u) + 800.0 * u * u
}

/// The weights, biases and output weights of [`net`].
pub const W: [[f64; 3]; 4] = [
    [0.5, -0.25, 0.75],
    [-0.6, 0.3, 0.2],
    [0.1, 0.9, -0.4],
    [0.35, -0.8, 0.15],
];
pub const B: [f64; 4] = [0.1, -0.2, 0.05, 0.0];
pub const V: [f64; 4] = [0.7, -0.5, 0.9, -0.3];

/// A small tanh network `R³ → R`, generic over the precision: its weights are `f64` literals
/// converted once with `P::of`, so the same code runs on `f32` and on `f64`.
pub fn net<P: Precision, T: Scalar<P>>(x: &SVector<T, 3>) -> T {
    let mut out = T::lift(P::of(0.25));
    for k in 0..4 {
        let mut z = T::lift(P::of(B[k]));
        for i in 0..3 {
            z += x[i] * P::of(W[k][i]);
        }
        out += z.tanh() * P::of(V[k]);
    }
    out
}

/// The hidden layer of [`net`] as a vector function `R³ → R⁴` (for Jacobians).
pub fn layer<P: Precision, T: Scalar<P>>(x: &SVector<T, 3>) -> SVector<T, 4> {
    SVector::from_fn(|k, _| {
        (x[0] * P::of(W[k][0]) + x[1] * P::of(W[k][1]) + x[2] * P::of(W[k][2])).tanh()
    })
}

/// log Σ exp xᵢ, shifted by the largest value (the usual stable form), over `f32`.
pub fn log_sum_exp<T: Scalar<f32>>(x: &SVector<T, 4>) -> T {
    let m = T::lift(
        x.iter()
            .map(|v| v.value())
            .fold(f32::NEG_INFINITY, f32::max),
    );
    x.map(|v| (v - m).exp()).sum().ln() + m
}

/// Its gradient, the softmax, as a vector function over `f32` (for the Jacobian).
pub fn softmax<T: Scalar<f32>>(x: &SVector<T, 4>) -> SVector<T, 4> {
    let m = T::lift(
        x.iter()
            .map(|v| v.value())
            .fold(f32::NEG_INFINITY, f32::max),
    );
    let e = x.map(|v| (v - m).exp());
    let s = e.sum();
    e.map(|v| v / s)
}

/// Softmax `p` and the Hessian of log-sum-exp, `diag(p) − p pᵀ`, in closed form (f64).
pub fn lse_closed(x: &SVector<f64, 4>) -> (f64, SVector<f64, 4>, SMatrix<f64, 4, 4>) {
    let m = x.max();
    let e = x.map(|v| (v - m).exp());
    let s = e.sum();
    let p = e / s;
    (
        s.ln() + m,
        p,
        SMatrix::from_diagonal(&p) - p * p.transpose(),
    )
}
