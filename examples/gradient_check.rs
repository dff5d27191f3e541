//! A tour of the gradient checker, on hand-derived gradients that are wrong.
//!
//! Tutorials derive gradients by hand, and derivations go wrong in a few typical ways. Each
//! section below writes a function once over `Scalar` (so dualgrad can differentiate it
//! exactly), writes a typical wrong hand-derived gradient on `f64`, and asks the
//! checker to compare them component by component. The wrong components are flagged; then the
//! corrected formula is checked and passes.
//!
//! 1. The product rule written as `(fg)' = f'g'`; it is `f'g + fg'`.
//! 2. Linear regression, `L = ½ Σ (yᵢ − (w xᵢ + b))²`, with `∂L/∂w = Σ (yᵢ − ŷᵢ) xᵢ`: the sign
//!    is wrong (it is `−Σ (yᵢ − ŷᵢ) xᵢ`), and the same for `∂L/∂b`.
//! 3. The sigmoid derivative written as `x (1 − x)`: true only when `x` is already `σ(z)`; as a
//!    function of `z` it is `σ(z)(1 − σ(z))`.
//! 4. The backward pass of a 2-3-1 tanh network on XOR with mean squared error, with the
//!    typical mistakes: `tanh'` left out, and the update applied as ascent.
//!
//! The reference is the exact derivative from forward-mode AD, not a finite difference, so a
//! right formula agrees to rounding (relative error about `1e-16`) and a wrong one stands out.
//!
//! Run with `cargo run --example gradient_check`.

use dualgrad::check::{Checker, check_jacobian};
use dualgrad::functions::sigmoid;
use dualgrad::prelude::*;
use nalgebra::{SMatrix, SVector};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    product_rule();
    linear_regression()?;
    sigmoid_derivative();
    xor_backward_pass()?;
    Ok(())
}

fn section(title: &str) {
    println!("\n== {title} ==\n");
}

// ---------------------------------------------------------------------------------------------
// 1. The product rule
// ---------------------------------------------------------------------------------------------

/// h(x, y) = x² sin x + y³. Only ∂h/∂x needs the product rule (f = x², g = sin x).
struct Product;

impl ScalarFn<2> for Product {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        p[0] * p[0] * p[0].sin() + p[1].powi(3)
    }
}

fn product_rule() {
    section("1. the product rule: (fg)' = f'g' ?");
    let checker = Checker::new()
        .names(["x", "y"])
        .expect("two names for two inputs");
    let p = SVector::from([1.2, -0.7]);

    // (fg)' = f'g' = 2x · cos x
    let wrong = checker.gradient(&Product, &p, |p| {
        SVector::from([2.0 * p[0] * p[0].cos(), 3.0 * p[1] * p[1]])
    });
    println!("(fg)' = f'g':\n{wrong}\n");

    // (fg)' = f'g + fg' = 2x sin x + x² cos x
    let right = checker.gradient(&Product, &p, |p| {
        let x = p[0];
        SVector::from([2.0 * x * x.sin() + x * x * x.cos(), 3.0 * p[1] * p[1]])
    });
    println!("(fg)' = f'g + fg':\n{right}");
}

// ---------------------------------------------------------------------------------------------
// 2. Linear regression
// ---------------------------------------------------------------------------------------------

const XS: [f64; 5] = [0.5, 1.0, 2.0, 3.0, 4.5];
const YS: [f64; 5] = [1.1, 1.9, 4.2, 5.8, 9.3];

/// L(w, b) = ½ Σ (yᵢ − (w xᵢ + b))²
struct LinReg;

impl ScalarFn<2> for LinReg {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        let mut loss = T::zero();
        for (x, y) in XS.iter().zip(YS) {
            let r = -(p[0] * *x + p[1]) + y; // y − (w x + b)
            loss += r * r * 0.5;
        }
        loss
    }
}

/// Σ (yᵢ − (w xᵢ + b)) xᵢ and Σ (yᵢ − (w xᵢ + b)), times `sign`.
fn linreg_gradient(p: &SVector<f64, 2>, sign: f64) -> SVector<f64, 2> {
    let (mut dw, mut db) = (0.0, 0.0);
    for (x, y) in XS.iter().zip(YS) {
        let r = y - (p[0] * x + p[1]);
        dw += r * x;
        db += r;
    }
    SVector::from([sign * dw, sign * db])
}

fn linear_regression() -> Result<(), dualgrad::check::CheckError> {
    section("2. linear regression: dL/dw = Σ (y − ŷ) x ?");
    let checker = Checker::new().names(["w", "b"])?;
    let p = SVector::from([1.0, 0.5]);

    let wrong = checker.gradient(&LinReg, &p, |p| linreg_gradient(p, 1.0));
    println!("as commonly written by hand:\n{wrong}\n");

    // At random points the check fails too, and quickcheck-style shrinking reduces the failing
    // point to a simple one.
    let (lo, hi) = (SVector::from([-5.0, -5.0]), SVector::from([5.0, 5.0]));
    let random = checker.random(&lo, &hi)?.cases(1000)?.seed(1);
    if let Err(failure) = random.gradient(&LinReg, |p| linreg_gradient(p, 1.0)) {
        println!("at random points:\n{failure}\n");
    }

    let right = checker.gradient(&LinReg, &p, |p| linreg_gradient(p, -1.0));
    println!("with the minus sign:\n{right}");
    match random.gradient(&LinReg, |p| linreg_gradient(p, -1.0)) {
        Ok(pass) => println!("{pass}"),
        Err(failure) => println!("unexpected:\n{failure}"),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 3. The sigmoid derivative
// ---------------------------------------------------------------------------------------------

/// A layer of three sigmoids, z ↦ (σ(z₀), σ(z₁), σ(z₂)). Its Jacobian is diagonal.
struct SigmoidLayer;

impl VectorFn<3, 3> for SigmoidLayer {
    fn eval<T: Scalar>(&self, z: &SVector<T, 3>) -> SVector<T, 3> {
        z.map(sigmoid)
    }
}

fn sigmoid_derivative() {
    section("3. the sigmoid derivative: x (1 − x) ?");
    let z = SVector::from([-2.0, 0.0, 3.0]);

    // derivative_sigmoid(x) = x (1 − x), applied to z
    let wrong = check_jacobian(&SigmoidLayer, &z, |z| {
        SMatrix::from_diagonal(&z.map(|z| z * (1.0 - z)))
    });
    println!("x (1 − x) with x = z (the off-diagonal zeros are right):\n{wrong}\n");

    // σ'(z) = σ(z)(1 − σ(z))
    let right = check_jacobian(&SigmoidLayer, &z, |z| {
        SMatrix::from_diagonal(&z.map(|z| {
            let s = 1.0 / (1.0 + (-z).exp());
            s * (1.0 - s)
        }))
    });
    println!("σ(z)(1 − σ(z)):\n{right}");
}

// ---------------------------------------------------------------------------------------------
// 4. The XOR network's backward pass
// ---------------------------------------------------------------------------------------------

/// XOR: inputs and targets.
const XOR: [([f64; 2], f64); 4] = [
    ([0.0, 0.0], 0.0),
    ([0.0, 1.0], 1.0),
    ([1.0, 0.0], 1.0),
    ([1.0, 1.0], 0.0),
];

/// The 13 parameters of the 2-3-1 network in one vector:
/// `W1` (3×2, row by row) at 0..6, `b1` (3) at 6..9, `W2` (1×3) at 9..12, `b2` at 12.
const fn w1(i: usize, j: usize) -> usize {
    2 * i + j
}
const fn b1(i: usize) -> usize {
    6 + i
}
const fn w2(j: usize) -> usize {
    9 + j
}
const B2: usize = 12;

fn parameter_names() -> Vec<String> {
    let mut names = Vec::new();
    for i in 0..3 {
        for j in 0..2 {
            names.push(format!("W1[{i},{j}]"));
        }
    }
    names.extend((0..3).map(|i| format!("b1[{i}]")));
    names.extend((0..3).map(|j| format!("W2[0,{j}]")));
    names.push("b2[0]".into());
    names
}

/// L(θ) = (1/4) Σₙ (ŷₙ − yₙ)², ŷ = tanh(W2 tanh(W1 x + b1) + b2)
struct XorNet;

impl ScalarFn<13> for XorNet {
    fn eval<T: Scalar>(&self, p: &SVector<T, 13>) -> T {
        let mut loss = T::zero();
        for (x, y) in XOR {
            let mut z2 = p[B2];
            for i in 0..3 {
                let z1 = p[w1(i, 0)] * x[0] + p[w1(i, 1)] * x[1] + p[b1(i)];
                z2 += p[w2(i)] * z1.tanh();
            }
            let r = z2.tanh() - y;
            loss += r * r;
        }
        loss * 0.25
    }
}

/// A hand-written backward pass. `hidden_tanh_prime: false` leaves out tanh'(z1) at the hidden
/// layer; `sign: −1` is the common `+=` slip (it climbs the loss: as a gradient, every sign is
/// flipped).
fn xor_backward(p: &SVector<f64, 13>, hidden_tanh_prime: bool, sign: f64) -> SVector<f64, 13> {
    let mut g = SVector::<f64, 13>::zeros();
    for (x, y) in XOR {
        // forward
        let mut a = [0.0; 3];
        let mut z2 = p[B2];
        for i in 0..3 {
            a[i] = (p[w1(i, 0)] * x[0] + p[w1(i, 1)] * x[1] + p[b1(i)]).tanh();
            z2 += p[w2(i)] * a[i];
        }
        let y_hat = z2.tanh();
        // backward: dL/dŷ = (ŷ − y)/2, δ2 = dL/dŷ · tanh'(z2), δ1ᵢ = δ2 W2ᵢ tanh'(z1ᵢ)
        let d2 = 0.5 * (y_hat - y) * (1.0 - y_hat * y_hat);
        g[B2] += d2;
        for i in 0..3 {
            g[w2(i)] += d2 * a[i];
            let tanh_prime = if hidden_tanh_prime {
                1.0 - a[i] * a[i]
            } else {
                1.0
            };
            let d1 = d2 * p[w2(i)] * tanh_prime;
            g[w1(i, 0)] += d1 * x[0];
            g[w1(i, 1)] += d1 * x[1];
            g[b1(i)] += d1;
        }
    }
    g * sign
}

fn xor_backward_pass() -> Result<(), dualgrad::check::CheckError> {
    section("4. the XOR network's backward pass");
    let checker = Checker::new().names(parameter_names())?;
    let p = SVector::<f64, 13>::from([
        0.5, -0.4, 0.3, 0.8, -0.6, 0.2, // W1
        0.1, -0.2, 0.05, // b1
        0.7, -0.9, 0.4,  // W2
        -0.1, // b2
    ]);

    let wrong = checker.gradient(&XorNet, &p, |p| xor_backward(p, false, 1.0));
    println!("without tanh' at the hidden layer (W1 and b1 wrong, W2 and b2 right):\n{wrong}\n");

    let ascent = checker.gradient(&XorNet, &p, |p| xor_backward(p, true, -1.0));
    println!("applied with += (ascent): every sign flipped\n{ascent}\n");

    let (lo, hi) = (SVector::repeat(-3.0), SVector::repeat(3.0));
    let random = checker.random(&lo, &hi)?.cases(1000)?.seed(7);
    if let Err(failure) = random.gradient(&XorNet, |p| xor_backward(p, false, 1.0)) {
        println!("without tanh', at random points:\n{failure}\n");
    }

    let right = checker.gradient(&XorNet, &p, |p| xor_backward(p, true, 1.0));
    println!("corrected:\n{right}");
    match random.gradient(&XorNet, |p| xor_backward(p, true, 1.0)) {
        Ok(pass) => println!("{pass}"),
        Err(failure) => println!("unexpected:\n{failure}"),
    }
    Ok(())
}
