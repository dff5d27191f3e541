//! Functions and hand-derived gradients shared by the checker's tests.
//!
//! Each function is written once over `Scalar` (the checker differentiates it exactly); each
//! hand-derived gradient is written independently on `f64`, the way a user would derive it on
//! paper. The wrong formulas are transcriptions of the mistakes in the seed articles (see
//! `/work/shared/seeds/README.md`, "Hand-derived gradients in them that are wrong").
#![allow(dead_code)]

use dualgrad::functions::{bce_with_logits, sigmoid, softmax_cross_entropy};
use dualgrad::prelude::*;
use nalgebra::{SMatrix, SVector};

// ---------------------------------------------------------------------------------------------
// Rosenbrock
// ---------------------------------------------------------------------------------------------

/// f(x) = Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²
pub struct Rosenbrock;

impl<const N: usize> ScalarFn<N> for Rosenbrock {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        let mut f = T::zero();
        for i in 0..N.saturating_sub(1) {
            let a = x[i + 1] - x[i] * x[i];
            let b = -x[i] + 1.0;
            f += a * a * 100.0 + b * b;
        }
        f
    }
}

/// ∂f/∂xᵢ = −400 xᵢ (xᵢ₊₁ − xᵢ²) − 2 (1 − xᵢ) + 200 (xᵢ − xᵢ₋₁²)
pub fn rosenbrock_grad<const N: usize>(x: &SVector<f64, N>) -> SVector<f64, N> {
    SVector::from_fn(|i, _| {
        let mut g = 0.0;
        if i + 1 < N {
            g += -400.0 * x[i] * (x[i + 1] - x[i] * x[i]) - 2.0 * (1.0 - x[i]);
        }
        if i > 0 {
            g += 200.0 * (x[i] - x[i - 1] * x[i - 1]);
        }
        g
    })
}

// ---------------------------------------------------------------------------------------------
// The 2-3-1 tanh MLP on XOR with mean squared error (seed 003)
// ---------------------------------------------------------------------------------------------

/// XOR inputs and targets, as in seed 003.
pub const XOR_X: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
pub const XOR_Y: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

/// Parameter layout of the 2-3-1 MLP, 13 parameters:
/// `W1` (3×2, row-major) at 0..6, `b1` (3) at 6..9, `W2` (1×3) at 9..12, `b2` (1) at 12.
pub fn w1(i: usize, j: usize) -> usize {
    2 * i + j
}
pub fn b1(i: usize) -> usize {
    6 + i
}
pub fn w2(j: usize) -> usize {
    9 + j
}
pub const B2: usize = 12;

/// `W1[i,j]`, `b1[i]`, `W2[0,j]`, `b2[0]`.
pub fn xor_names() -> Vec<String> {
    let mut n = Vec::new();
    for i in 0..3 {
        for j in 0..2 {
            n.push(format!("W1[{i},{j}]"));
        }
    }
    n.extend((0..3).map(|i| format!("b1[{i}]")));
    n.extend((0..3).map(|j| format!("W2[0,{j}]")));
    n.push("b2[0]".to_string());
    n
}

/// L(θ) = (1/4) Σₙ (ŷₙ − yₙ)², ŷ = tanh(W2 tanh(W1 x + b1) + b2)
pub struct XorMlp;

impl ScalarFn<13> for XorMlp {
    fn eval<T: Scalar>(&self, p: &SVector<T, 13>) -> T {
        let mut loss = T::zero();
        for (x, y) in XOR_X.iter().zip(XOR_Y) {
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

/// Which of the seed's mistakes a hand-written XOR backward pass makes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum XorBackward {
    /// The correct backward pass.
    Correct,
    /// The hidden delta without tanh'(z1): δ1ᵢ = δ2 W2ᵢ.
    MissingHiddenTanhPrime,
    /// The output delta without tanh'(z2): δ2 = dL/dŷ.
    MissingOutputTanhPrime,
    /// The correct gradient with the sign flipped (the seed's `+=`: ascent instead of descent).
    Ascent,
    /// Seed 003 §4.1 verbatim: `W1 += η Xᵀ((A − y)·2(ŷ − y))`, `b1 += η Σ (A − y)·2(ŷ − y)`,
    /// `W2 += η Aᵀ((ŷ − y)·2(ŷ − y))`, `b2 += η Σ (ŷ − y)·2(ŷ − y)`. An update `θ += η d` is
    /// gradient descent only if `d = −∇L`, so the gradient it claims is `−d`.
    Seed003,
}

/// `tanh'(z) = sech² z` from the pre-activation, accurate where the unit saturates (the
/// textbook `1 − tanh²` loses its relative accuracy there: a relative `10⁻⁸` at `|z| ≈ 9.5`,
/// all of it from `|z| ≈ 19`), so that a correct backward pass agrees with the exact
/// derivatives to rounding.
fn tanh_prime(z: f64) -> f64 {
    let c = z.cosh();
    1.0 / (c * c)
}

/// A hand-written backward pass of [`XorMlp`], with the chosen mistake.
pub fn xor_grad(p: &SVector<f64, 13>, kind: XorBackward) -> SVector<f64, 13> {
    let mut g = SVector::<f64, 13>::zeros();
    for (x, &y) in XOR_X.iter().zip(XOR_Y.iter()) {
        // forward
        let (mut z1, mut a) = ([0.0; 3], [0.0; 3]);
        let mut z2 = p[B2];
        for i in 0..3 {
            z1[i] = p[w1(i, 0)] * x[0] + p[w1(i, 1)] * x[1] + p[b1(i)];
            a[i] = z1[i].tanh();
            z2 += p[w2(i)] * a[i];
        }
        let yhat = z2.tanh();
        if kind == XorBackward::Seed003 {
            let grad = 2.0 * (yhat - y);
            for i in 0..3 {
                let d1 = (a[i] - y) * grad;
                for j in 0..2 {
                    g[w1(i, j)] -= x[j] * d1;
                }
                g[b1(i)] -= d1;
                g[w2(i)] -= a[i] * (yhat - y) * grad;
            }
            g[B2] -= (yhat - y) * grad;
            continue;
        }
        // backward
        let dl_dyhat = 0.5 * (yhat - y); // d/dŷ (1/4)(ŷ − y)²
        let d2 = if kind == XorBackward::MissingOutputTanhPrime {
            dl_dyhat
        } else {
            dl_dyhat * tanh_prime(z2)
        };
        g[B2] += d2;
        for i in 0..3 {
            g[w2(i)] += d2 * a[i];
            let d1 = if kind == XorBackward::MissingHiddenTanhPrime {
                d2 * p[w2(i)]
            } else {
                d2 * p[w2(i)] * tanh_prime(z1[i])
            };
            for j in 0..2 {
                g[w1(i, j)] += d1 * x[j];
            }
            g[b1(i)] += d1;
        }
    }
    if kind == XorBackward::Ascent { -g } else { g }
}

// ---------------------------------------------------------------------------------------------
// The 2-5-1 MLP with a sigmoid output and binary cross-entropy (seed 000)
// ---------------------------------------------------------------------------------------------

/// Seed 000's data.
pub const S0_X: [[f64; 2]; 4] = [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0], [4.0, 5.0]];
pub const S0_Y: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

/// Layout, 21 parameters: `W1` (5×2, row-major) at 0..10, `b1` at 10..15, `W2` (1×5) at
/// 15..20, `b2` at 20.
pub fn s0_w1(i: usize, j: usize) -> usize {
    2 * i + j
}
pub fn s0_b1(i: usize) -> usize {
    10 + i
}
pub fn s0_w2(j: usize) -> usize {
    15 + j
}
pub const S0_B2: usize = 20;

/// L(θ) = mean BCE(σ(W2 tanh(W1 x + b1) + b2), y)
pub struct SigmoidMlp;

impl ScalarFn<21> for SigmoidMlp {
    fn eval<T: Scalar>(&self, p: &SVector<T, 21>) -> T {
        let mut loss = T::zero();
        for (x, y) in S0_X.iter().zip(S0_Y) {
            let mut z2 = p[S0_B2];
            for i in 0..5 {
                let z1 = p[s0_w1(i, 0)] * x[0] + p[s0_w1(i, 1)] * x[1] + p[s0_b1(i)];
                z2 += p[s0_w2(i)] * z1.tanh();
            }
            loss += bce_with_logits(z2, y);
        }
        loss * 0.25
    }
}

fn sig(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The backward pass of [`SigmoidMlp`]; `seed_delta` uses seed 000's output delta
/// `dL/dz₂ = ŷ(1 − ŷ) · σ'(z₂)` instead of the correct `(ŷ − y)/m`, the rest being correct.
pub fn sigmoid_mlp_grad(p: &SVector<f64, 21>, seed_delta: bool) -> SVector<f64, 21> {
    let m = S0_X.len() as f64;
    let mut g = SVector::<f64, 21>::zeros();
    for (x, &y) in S0_X.iter().zip(S0_Y.iter()) {
        let (mut z1, mut a) = ([0.0; 5], [0.0; 5]);
        let mut z2 = p[S0_B2];
        for i in 0..5 {
            z1[i] = p[s0_w1(i, 0)] * x[0] + p[s0_w1(i, 1)] * x[1] + p[s0_b1(i)];
            a[i] = z1[i].tanh();
            z2 += p[s0_w2(i)] * a[i];
        }
        let yhat = sig(z2);
        let d2 = if seed_delta {
            let dl_dy = yhat * (1.0 - yhat);
            dl_dy * sig(z2) * (1.0 - sig(z2))
        } else {
            (yhat - y) / m
        };
        g[S0_B2] += d2;
        for i in 0..5 {
            g[s0_w2(i)] += d2 * a[i];
            let d1 = d2 * p[s0_w2(i)] * tanh_prime(z1[i]);
            for j in 0..2 {
                g[s0_w1(i, j)] += d1 * x[j];
            }
            g[s0_b1(i)] += d1;
        }
    }
    g
}

// ---------------------------------------------------------------------------------------------
// Linear regression (seeds 002 and 001)
// ---------------------------------------------------------------------------------------------

/// Seed 002's model `y = w x + b` on a few points.
pub const LR_X: [f64; 5] = [0.5, 1.0, 2.0, 3.0, 4.5];
pub const LR_Y: [f64; 5] = [1.1, 1.9, 4.2, 5.8, 9.3];

/// L(w, b) = ½ Σᵢ (yᵢ − (w xᵢ + b))²
pub struct LinReg;

impl ScalarFn<2> for LinReg {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        let mut l = T::zero();
        for (x, y) in LR_X.iter().zip(LR_Y) {
            let r = -(p[0] * *x + p[1]) + y;
            l += r * r * 0.5;
        }
        l
    }
}

/// Seed 002 §4: ∂L/∂w = Σ (yᵢ − (w xᵢ + b)) xᵢ, ∂L/∂b = Σ (yᵢ − (w xᵢ + b)); `correct` puts the
/// minus sign in front.
pub fn linreg_grad(p: &SVector<f64, 2>, correct: bool) -> SVector<f64, 2> {
    let (mut gw, mut gb) = (0.0, 0.0);
    for (x, y) in LR_X.iter().zip(LR_Y) {
        let r = y - (p[0] * x + p[1]);
        gw += r * x;
        gb += r;
    }
    let g = SVector::from([gw, gb]);
    if correct { -g } else { g }
}

/// Seed 001 §4's data: X (4×2) and Y.
pub const S1_X: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
pub const S1_Y: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

/// J(θ) = ½ · (1/m) ‖Xθ − y‖²
pub struct HalfMse;

impl ScalarFn<2> for HalfMse {
    fn eval<T: Scalar>(&self, t: &SVector<T, 2>) -> T {
        let mut j = T::zero();
        for (x, y) in S1_X.iter().zip(S1_Y) {
            let r = t[0] * x[0] + t[1] * x[1] - y;
            j += r * r;
        }
        j * (0.5 / S1_X.len() as f64)
    }
}

fn s1_matrices() -> (SMatrix<f64, 4, 2>, SVector<f64, 4>) {
    (
        SMatrix::<f64, 4, 2>::from_fn(|r, c| S1_X[r][c]),
        SVector::<f64, 4>::from(S1_Y),
    )
}

/// Seed 001 §4's step direction `(Xᵀy − XᵀXθ) / m` (its trailing `· X` does not even have a
/// matching shape, and with static sizes it does not compile, so it is left out).
pub fn half_mse_grad_seed(t: &SVector<f64, 2>) -> SVector<f64, 2> {
    let (x, y) = s1_matrices();
    (x.transpose() * y - x.transpose() * x * t) / 4.0
}

/// The correct gradient `(1/m) Xᵀ(Xθ − y)`.
pub fn half_mse_grad(t: &SVector<f64, 2>) -> SVector<f64, 2> {
    let (x, y) = s1_matrices();
    x.transpose() * (x * t - y) / 4.0
}

// ---------------------------------------------------------------------------------------------
// Logistic regression and softmax cross-entropy
// ---------------------------------------------------------------------------------------------

/// A small two-feature binary data set (not separable, so the loss has a finite minimum).
pub const LOG_X: [[f64; 2]; 6] = [
    [0.5, 1.5],
    [1.0, -0.5],
    [-1.5, 0.3],
    [2.0, 2.0],
    [-0.7, -1.2],
    [0.1, 0.9],
];
pub const LOG_Y: [f64; 6] = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0];

/// L(w₀, w₁, b) = mean −[y ln σ(z) + (1 − y) ln(1 − σ(z))], z = w·x + b
pub struct Logistic;

impl ScalarFn<3> for Logistic {
    fn eval<T: Scalar>(&self, p: &SVector<T, 3>) -> T {
        let mut l = T::zero();
        for (x, y) in LOG_X.iter().zip(LOG_Y) {
            let z = p[0] * x[0] + p[1] * x[1] + p[2];
            l += bce_with_logits(z, y);
        }
        l * (1.0 / LOG_X.len() as f64)
    }
}

/// ∇L = (1/m) Σ (σ(zᵢ) − yᵢ) (xᵢ, 1)
pub fn logistic_grad(p: &SVector<f64, 3>) -> SVector<f64, 3> {
    let m = LOG_X.len() as f64;
    let mut g = SVector::<f64, 3>::zeros();
    for (x, &y) in LOG_X.iter().zip(LOG_Y.iter()) {
        let r = (sig(p[0] * x[0] + p[1] * x[1] + p[2]) - y) / m;
        g += SVector::from([r * x[0], r * x[1], r]);
    }
    g
}

/// The true class of [`SoftmaxCe`].
pub const CLASS: usize = 2;

/// L(z) = −ln softmax(z)[CLASS], over 5 logits.
pub struct SoftmaxCe;

impl ScalarFn<5> for SoftmaxCe {
    fn eval<T: Scalar>(&self, z: &SVector<T, 5>) -> T {
        softmax_cross_entropy(z, CLASS)
    }
}

/// ∇L = softmax(z) − e_CLASS, with the maximum subtracted before exponentiating.
pub fn softmax_ce_grad(z: &SVector<f64, 5>) -> SVector<f64, 5> {
    let m = z.max();
    let e = z.map(|v| (v - m).exp());
    let mut g = e / e.sum();
    g[CLASS] -= 1.0;
    g
}

// ---------------------------------------------------------------------------------------------
// The product rule and the sigmoid derivative (seed 004)
// ---------------------------------------------------------------------------------------------

/// h(x, y) = x² sin x + y³: ∂h/∂x needs the product rule, ∂h/∂y does not.
pub struct Product;

impl ScalarFn<2> for Product {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        p[0] * p[0] * p[0].sin() + p[1].powi(3)
    }
}

/// Seed 004 §1.4's product rule `(fg)' = f'g'`: ∂h/∂x = 2x cos x; `correct` uses
/// `f'g + fg'` = 2x sin x + x² cos x. ∂h/∂y = 3y² either way.
pub fn product_grad(p: &SVector<f64, 2>, correct: bool) -> SVector<f64, 2> {
    let x = p[0];
    let dx = if correct {
        2.0 * x * x.sin() + x * x * x.cos()
    } else {
        2.0 * x * x.cos()
    };
    SVector::from([dx, 3.0 * p[1] * p[1]])
}

/// σ applied to each of three inputs.
pub struct Sigmoid3;

impl VectorFn<3, 3> for Sigmoid3 {
    fn eval<T: Scalar>(&self, z: &SVector<T, 3>) -> SVector<T, 3> {
        z.map(sigmoid)
    }
}

/// Seed 004 §4.2's `derivative_sigmoid(x) = x (1 − x)` applied to z (`correct` uses
/// σ(z)(1 − σ(z))), on the diagonal of the Jacobian.
pub fn sigmoid3_jac(z: &SVector<f64, 3>, correct: bool) -> SMatrix<f64, 3, 3> {
    SMatrix::from_diagonal(&z.map(|z| {
        if correct {
            sig(z) * (1.0 - sig(z))
        } else {
            z * (1.0 - z)
        }
    }))
}

// ---------------------------------------------------------------------------------------------
// Test points
// ---------------------------------------------------------------------------------------------

/// `n` points uniform in the box `[lo, hi]ᴺ`, from a fixed seed (quickcheck's generator).
pub fn points<const N: usize>(n: usize, lo: f64, hi: f64, seed: u64) -> Vec<SVector<f64, N>> {
    use quickcheck::{Arbitrary, Gen};
    let mut g = Gen::from_size_and_seed(100, seed);
    (0..n)
        .map(|_| {
            SVector::from_fn(|_, _| {
                let u = (u64::arbitrary(&mut g) >> 11) as f64 / (1u64 << 53) as f64;
                lo + (hi - lo) * u
            })
        })
        .collect()
}

/// Random points in debug builds (kept fast) and in release builds (the full count).
pub fn cases(debug: usize, release: usize) -> usize {
    if cfg!(debug_assertions) {
        debug
    } else {
        release
    }
}
