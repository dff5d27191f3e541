//! The benchmark workloads, defined once and shared by every bench target (`mod workloads;`).
//!
//! Each workload is a loss `f: Rᴾ → R` at a fixed point, and each *variant* is one way of getting
//! its value and gradient (or Hessian):
//!
//! | variant | what it is |
//! |---|---|
//! | `hand` | a hand-written gradient (manual backprop) in plain `f64`: the practical limit |
//! | `floor` | a minimal hand-rolled dual (`value`, `partials: [f64; P]`, `#[inline(always)]` operators; `floor.rs`) on the same loss written for it: the floor of naive forward mode |
//! | `dualgrad` | `dualgrad::gradient(\|p\| loss(p), &p)` on the loss written once over `T: Scalar`; for Rosenbrock, `ScalarFn::gradient`, which chooses one pass or chunks by `N` |
//! | `dualgrad-trait` | XOR, iris, logistic: the same loss as a `ScalarFn`, by `ScalarFn::gradient`; Rosenbrock-10's Hessian by `ScalarFn::hessian`; `expfit-N`: the residuals as a `VectorFn`, by `VectorFn::jacobian` (gradients and Jacobians: on an x86-64 processor with AVX2, the copy compiled for AVX2) |
//! | `dualgrad-onepass` | Rosenbrock-50: the one-pass closure form `gradient(rosenbrock, &p)` |
//! | `dualgrad-chunkC` | `dualgrad::gradient_chunked(\|p\| loss(p), &p, Chunk::<C>)` |
//! | `dualgrad-nalgebra` | XOR only: the same maths written with nalgebra matrix products over lifted duals |
//! | `num_dual` | raw `num_dual::gradient` (`DualSVec64<P>`) on the same generic loss |
//! | `num_dual-nalgebra` | XOR only: raw `num_dual::gradient` on the nalgebra-style loss |
//! | `fd-central` | central finite differences on the `f64` loss (`2P + 1` evaluations) |
//! | `hand-hvp`, `floor-hvp`, `dualgrad-hvp`, `dualgrad-hvp-chunkC` | Rosenbrock: value, gradient and Hessian-vector product `H v` along `(1, …, 1)`, by hand, on the floor's nested dual (`floor.rs`, forward over forward with nothing else), by `ScalarFn::hvp` (one pass or chunks of `HVP_CHUNK`), and by `hvp_chunked` |
//! | `model` | XOR, iris, logistic: the models module, `Supervised::new(model, loss, &dataset)` and `Objective::loss_and_gradient` over all samples (the per-layer path) |
//! | `model-generic` | the same objective's `generic_loss_and_gradient` (the model's forward pass on duals) |
//! | `model-mlp2`, `model-network` | moons: the 2-8-6-2 network as `Mlp2<Tanh, ..>` (an alias of the same network type) and as a `network!` declaration (tanh then tanh, or tanh then ReLU), through `Supervised` as for `model` |
//! | `model-par1`, `model-par2` | feature `parallel`, iris and logistic, time only: `.parallel()` objective inside a rayon pool of 1 / 2 threads |
//!
//! Besides the workloads whose losses call the crate's stable `softmax_cross_entropy` and
//! `bce_with_logits` (`iris`, `logistic`), `iris-plain` and `logistic-plain` write those losses
//! out with plain `exp`, `ln` and `ln_1p`, as a user would, and `products-W` (`W` = 1 … 18)
//! runs the same product-rule-heavy recurrence at every jet width. `expfit-N` (`N` = 8, 16,
//! 40, 80) is a Jacobian, not a gradient: the 64 residuals of a least-squares fit of `N / 2`
//! exponentials (`hand`, `dualgrad` by the closure `jacobian`, `dualgrad-trait`).
//!
//! The model cases build the workload's data as a `Dataset` and map the workload's parameters
//! into the model's documented flat layout ([`Layout`]); the layout is checked against the
//! model's typed parameters when the cases are built, and the gradient is mapped back before
//! [`verify`] compares it with the hand-written one.
//!
//! The generic losses are written the way the README teaches: data and constants stay `f64`
//! (so the engine does `dual × f64`, not `dual × dual`), and small loops replace nalgebra matrix
//! products (nalgebra cannot multiply a matrix of duals by a vector of `f64`, so a matrix product
//! forces the data to be lifted to duals).
//!
//! [`verify`] checks every variant against the hand-written gradient (and so the hand-written
//! gradient against dualgrad, num-dual and finite differences) before anything is timed, so a
//! wrong hand gradient cannot pass silently.
#![allow(dead_code)] // each bench target uses a different part of this file

use dualgrad::data::Dataset;
use dualgrad::functions::{bce_with_logits, softmax_cross_entropy};
use dualgrad::model::{
    BinaryCrossEntropy, LogisticRegression, MeanSquaredError, Mlp1, Mlp2, Model, Relu,
    SoftmaxCrossEntropy, Supervised, Tanh,
};
use dualgrad::objective::Objective;
use dualgrad::{Chunk, Scalar, ScalarFn, VectorFn, gradient, gradient_chunked, jacobian, network};
use nalgebra::{SMatrix, SVector};
use num_dual::{Dual2SVec64, DualSVec64};
use std::hint::black_box;
use std::rc::Rc;

pub mod floor;

// =============================================================================================
// Workload data
// =============================================================================================

/// A loss's evaluation point `p` and its data set `data`.
pub struct Problem<D, const P: usize> {
    /// The parameters at which the gradient is taken.
    pub p: SVector<f64, P>,
    /// The data the loss is a mean over (`()` for data-free functions).
    pub data: D,
}

/// XOR truth table: inputs and targets.
pub const XOR_X: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
/// XOR targets.
pub const XOR_Y: [f64; 4] = [0.0, 1.0, 1.0, 0.0];

/// XOR at `p[i] = sin(0.37 i)`.
pub fn xor_problem() -> Problem<(), 13> {
    Problem {
        p: SVector::from_fn(|i, _| (0.37 * i as f64).sin()),
        data: (),
    }
}

/// Rosenbrock at `x[i] = 0.5 + 0.1 sin(i)`.
pub fn rosenbrock_problem<const N: usize>() -> Problem<(), N> {
    Problem {
        p: SVector::from_fn(|i, _| 0.5 + 0.1 * (i as f64).sin()),
        data: (),
    }
}

/// Number of samples of the iris-sized data set.
pub const IRIS_SAMPLES: usize = 150;

/// An iris-sized data set: 150 samples of 4 features, 3 classes.
pub struct IrisData {
    /// `x[s][f] = sin(1.3 s + 0.7 f)`.
    pub x: [[f64; 4]; IRIS_SAMPLES],
    /// `y[s] = s mod 3`.
    pub y: [usize; IRIS_SAMPLES],
}

/// The 4-8-3 MLP at `p[i] = 0.1 cos(0.5 i)`.
pub fn iris_problem() -> Problem<IrisData, 67> {
    Problem {
        p: SVector::from_fn(|i, _| 0.1 * (0.5 * i as f64).cos()),
        data: IrisData {
            x: std::array::from_fn(|s| {
                std::array::from_fn(|f| (1.3 * s as f64 + 0.7 * f as f64).sin())
            }),
            y: std::array::from_fn(|s| s % 3),
        },
    }
}

/// Number of samples of the logistic-regression data set.
pub const LOGISTIC_SAMPLES: usize = 1000;

/// A logistic-regression data set: 1000 samples of 10 features, binary labels.
pub struct LogisticData {
    /// `x[s][f] = cos(0.1 s (f + 1))`.
    pub x: [[f64; 10]; LOGISTIC_SAMPLES],
    /// `y[s] = 1` where `sin(s) > 0`, else `0`.
    pub y: [f64; LOGISTIC_SAMPLES],
}

/// Logistic regression at `p[i] = 0.01 i`.
pub fn logistic_problem() -> Problem<LogisticData, 11> {
    Problem {
        p: SVector::from_fn(|i, _| 0.01 * i as f64),
        data: LogisticData {
            x: std::array::from_fn(|s| {
                std::array::from_fn(|f| (0.1 * s as f64 * (f + 1) as f64).cos())
            }),
            y: std::array::from_fn(|s| if (s as f64).sin() > 0.0 { 1.0 } else { 0.0 }),
        },
    }
}

/// Number of samples of the two-moons-sized data set.
pub const MOONS_SAMPLES: usize = 100;

/// A two-moons-sized data set: 100 samples of 2 features, 2 classes.
pub struct MoonsData {
    /// `x[s] = (1.5 sin(1.3 s), cos(0.7 s))`.
    pub x: [[f64; 2]; MOONS_SAMPLES],
    /// `y[s] = s mod 2`.
    pub y: [usize; MOONS_SAMPLES],
}

/// The 2-8-6-2 network at `p[i] = 0.4 cos(0.7 i + 0.3)` (large enough that some ReLU units are
/// off at some samples and on at others).
pub fn moons_problem() -> Problem<MoonsData, 92> {
    Problem {
        p: SVector::from_fn(|i, _| 0.4 * (0.7 * i as f64 + 0.3).cos()),
        data: MoonsData {
            x: std::array::from_fn(|s| [1.5 * (1.3 * s as f64).sin(), (0.7 * s as f64).cos()]),
            y: std::array::from_fn(|s| s % 2),
        },
    }
}

// =============================================================================================
// The losses, written once over `T: Scalar` (what a user writes)
// =============================================================================================

/// XOR MLP 2-3-1, tanh hidden layer, linear output, MSE over the 4 rows of the truth table.
///
/// Layout (13 parameters): `W1` (3×2) column-major in `p[0..6]`, so `W1[i][j] = p[j*3 + i]`;
/// `b1 = p[6..9]`; `w2 = p[9..12]`; `b2 = p[12]`. `out = w2·tanh(W1 x + b1) + b2`.
pub fn xor_loss<T: Scalar>(p: &SVector<T, 13>) -> T {
    xor_loss_tagged::<T, ()>(p)
}

/// [`xor_loss`]'s body, instantiated once per `Tag`: the trait-form cases (`dualgrad-trait`)
/// call their own instance, so that the closure cases' instance keeps a single call site (a
/// loss called from two places is inlined into neither).
#[allow(clippy::extra_unused_type_parameters)] // `Tag` only makes a separate instance
pub fn xor_loss_tagged<T: Scalar, Tag>(p: &SVector<T, 13>) -> T {
    let mut total = T::zero();
    for (x, y) in XOR_X.iter().zip(XOR_Y) {
        let mut out = p[12];
        for i in 0..3 {
            let z = p[i] * x[0] + p[3 + i] * x[1] + p[6 + i];
            out += p[9 + i] * z.tanh();
        }
        let d = out - y;
        total += d * d;
    }
    total * 0.25
}

/// The same XOR loss written "nalgebra style": matrix products, so the data is lifted to duals.
pub fn xor_loss_nalgebra<T: Scalar>(p: &SVector<T, 13>) -> T {
    let w1 = SMatrix::<T, 3, 2>::from_column_slice(&p.as_slice()[0..6]);
    let b1 = SVector::<T, 3>::from_column_slice(&p.as_slice()[6..9]);
    let w2 = SVector::<T, 3>::from_column_slice(&p.as_slice()[9..12]);
    let mut total = T::zero();
    for (x, y) in XOR_X.iter().zip(XOR_Y) {
        let x = SVector::<T, 2>::new(T::lift(x[0]), T::lift(x[1]));
        let h = (w1 * x + b1).map(|z| z.tanh());
        let d = w2.dot(&h) + p[12] - y;
        total += d * d;
    }
    total * 0.25
}

/// Rosenbrock `Σ_{i<N−1} 100(x[i+1] − x[i]²)² + (1 − x[i])²`.
///
/// `(1 − x)²` is written `(x − 1)²` (the same value): generic code has `x - 1.0` but not `1.0 - x`.
pub fn rosenbrock<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
    let mut s = T::zero();
    for i in 0..N - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = x[i] - 1.0;
        s += a * a * 100.0 + b * b;
    }
    s
}

/// Iris-sized MLP 4-8-3: tanh hidden layer, linear logits, mean softmax cross-entropy.
///
/// Layout (67 parameters), all row-major: `W1` (8×4) `W1[j][f] = p[4j + f]` in `p[0..32]`;
/// `b1 = p[32..40]`; `W2` (3×8) `W2[k][j] = p[40 + 8k + j]` in `p[40..64]`; `b2 = p[64..67]`.
pub fn iris_loss<T: Scalar>(p: &SVector<T, 67>, d: &IrisData) -> T {
    iris_loss_tagged::<T, ()>(p, d)
}

/// [`iris_loss`]'s body, instantiated once per `Tag`: the trait-form cases (`dualgrad-trait`)
/// call their own instance, so that the closure cases' instance keeps a single call site (a
/// loss called from two places is inlined into neither).
#[allow(clippy::extra_unused_type_parameters)] // `Tag` only makes a separate instance
pub fn iris_loss_tagged<T: Scalar, Tag>(p: &SVector<T, 67>, d: &IrisData) -> T {
    let mut total = T::zero();
    for (x, &label) in d.x.iter().zip(&d.y) {
        let h: [T; 8] = std::array::from_fn(|j| {
            let mut z = p[32 + j];
            for (f, &xf) in x.iter().enumerate() {
                z += p[4 * j + f] * xf;
            }
            z.tanh()
        });
        let logits = SVector::<T, 3>::from_fn(|k, _| {
            let mut z = p[64 + k];
            for (j, &hj) in h.iter().enumerate() {
                z += p[40 + 8 * k + j] * hj;
            }
            z
        });
        total += softmax_cross_entropy(&logits, label);
    }
    total * (1.0 / IRIS_SAMPLES as f64)
}

/// Logistic regression: `z = w·x + b`, mean binary cross-entropy from the logit.
///
/// Layout (11 parameters): `w = p[0..10]`, `b = p[10]`.
pub fn logistic_loss<T: Scalar>(p: &SVector<T, 11>, d: &LogisticData) -> T {
    logistic_loss_tagged::<T, ()>(p, d)
}

/// [`logistic_loss`]'s body, instantiated once per `Tag`: the trait-form cases (`dualgrad-trait`)
/// call their own instance, so that the closure cases' instance keeps a single call site (a
/// loss called from two places is inlined into neither).
#[allow(clippy::extra_unused_type_parameters)] // `Tag` only makes a separate instance
pub fn logistic_loss_tagged<T: Scalar, Tag>(p: &SVector<T, 11>, d: &LogisticData) -> T {
    let mut total = T::zero();
    for (x, &y) in d.x.iter().zip(&d.y) {
        let mut z = p[10];
        for (f, &xf) in x.iter().enumerate() {
            z += p[f] * xf;
        }
        total += bce_with_logits(z, y);
    }
    total * (1.0 / LOGISTIC_SAMPLES as f64)
}

/// The iris MLP of [`iris_loss`] with the softmax cross-entropy written out as a user writes
/// it: `ln Σ exp(z_k) − z_label` from plain `exp` and `ln` (the logits here are small, so no
/// maximum is shifted out), instead of the crate's stable `softmax_cross_entropy`.
pub fn iris_loss_plain<T: Scalar>(p: &SVector<T, 67>, d: &IrisData) -> T {
    iris_loss_plain_tagged::<T, ()>(p, d)
}

/// [`iris_loss_plain`]'s body, instantiated once per `Tag` (as [`iris_loss_tagged`]).
#[allow(clippy::extra_unused_type_parameters)] // `Tag` only makes a separate instance
pub fn iris_loss_plain_tagged<T: Scalar, Tag>(p: &SVector<T, 67>, d: &IrisData) -> T {
    let mut total = T::zero();
    for (x, &label) in d.x.iter().zip(&d.y) {
        let h: [T; 8] = std::array::from_fn(|j| {
            let mut z = p[32 + j];
            for (f, &xf) in x.iter().enumerate() {
                z += p[4 * j + f] * xf;
            }
            z.tanh()
        });
        let logits: [T; 3] = std::array::from_fn(|k| {
            let mut z = p[64 + k];
            for (j, &hj) in h.iter().enumerate() {
                z += p[40 + 8 * k + j] * hj;
            }
            z
        });
        let mut sum = logits[0].exp();
        for z in &logits[1..] {
            sum += z.exp();
        }
        total += sum.ln() - logits[label];
    }
    total * (1.0 / IRIS_SAMPLES as f64)
}

/// The logistic regression of [`logistic_loss`] with the binary cross-entropy written out as a
/// user writes it: `ln(1 + eᶻ) − z y` from plain `exp` and `ln_1p`.
pub fn logistic_loss_plain<T: Scalar>(p: &SVector<T, 11>, d: &LogisticData) -> T {
    logistic_loss_plain_tagged::<T, ()>(p, d)
}

/// [`logistic_loss_plain`]'s body, instantiated once per `Tag` (as [`iris_loss_tagged`]).
#[allow(clippy::extra_unused_type_parameters)] // `Tag` only makes a separate instance
pub fn logistic_loss_plain_tagged<T: Scalar, Tag>(p: &SVector<T, 11>, d: &LogisticData) -> T {
    let mut total = T::zero();
    for (x, &y) in d.x.iter().zip(&d.y) {
        let mut z = p[10];
        for (f, &xf) in x.iter().enumerate() {
            z += p[f] * xf;
        }
        total += z.exp().ln_1p() - z * y;
    }
    total * (1.0 / LOGISTIC_SAMPLES as f64)
}

/// A product-rule-heavy function of `N` inputs for the jet-width table: 48 products of jets
/// and 32 sums, the same operations at every `N`, so that the instructions per evaluation show
/// what one width costs against another. Step `k` reads the inputs `k`, `3k + 1` and `7k + 2`
/// (mod `N`) from [`product_steps`], a table opaque to the optimiser, so that the addressing
/// costs the same at every width: computed in the loop, `k % N` is a mask for a power of two
/// and a multiplication otherwise, and the steps' strength reduction differs from one `N` to
/// the next by more than one jet width costs against another (the floor dual showed the same
/// steps).
pub fn products<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
    let mut acc = x[0];
    for &[i, j, c] in black_box(&const { product_steps::<N>() }) {
        let a = x[i] * x[j];
        acc = acc * a * 0.5 + x[c] * acc - 0.25;
    }
    acc
}

/// The inputs that step `k` of [`products`] reads: `k`, `3k + 1` and `7k + 2`, each mod `N`.
pub const fn product_steps<const N: usize>() -> [[usize; 3]; 16] {
    let mut steps = [[0; 3]; 16];
    let mut k = 0;
    while k < 16 {
        steps[k] = [k % N, (3 * k + 1) % N, (7 * k + 2) % N];
        k += 1;
    }
    steps
}

/// [`products`] and its gradient by hand: the same recurrence, differentiated in reverse.
pub fn products_hand<const N: usize>(x: &SVector<f64, N>) -> (f64, SVector<f64, N>) {
    let steps = *black_box(&const { product_steps::<N>() });
    // forward, keeping every `acc`
    let mut accs = [0.0; 17];
    accs[0] = x[0];
    for (k, &[i, j, c]) in steps.iter().enumerate() {
        let a = x[i] * x[j];
        accs[k + 1] = accs[k] * a * 0.5 + x[c] * accs[k] - 0.25;
    }
    // backward: acc' = acc (a/2 + x_c), a = x_i x_j
    let mut g = SVector::<f64, N>::zeros();
    let mut bar = 1.0;
    for (k, &[i, j, c]) in steps.iter().enumerate().rev() {
        let acc = accs[k];
        let a = x[i] * x[j];
        g[i] += bar * acc * 0.5 * x[j];
        g[j] += bar * acc * 0.5 * x[i];
        g[c] += bar * acc;
        bar *= a * 0.5 + x[c];
    }
    g[0] += bar;
    (accs[16], g)
}

/// [`products`] at `x[i] = 0.9 + 0.05 sin(i)` (the accumulator stays of order one).
pub fn products_problem<const N: usize>() -> Problem<(), N> {
    Problem {
        p: SVector::from_fn(|i, _| 0.9 + 0.05 * (i as f64).sin()),
        data: (),
    }
}

/// Number of residuals of the `expfit-N` workloads.
pub const EXPFIT_RESIDUALS: usize = 64;

/// Observations for a sum of exponentials: `t[i] = 4i / M`, `y[i] = 1.2 e^(−0.8 t) + 0.1 cos 3t`.
pub struct ExpFitData<const M: usize> {
    /// The abscissae.
    pub t: [f64; M],
    /// The observations.
    pub y: [f64; M],
}

/// The residuals of `Σₖ aₖ e^(−bₖ t)` (`N / 2` terms, `aₖ = p[2k]`, `bₖ = p[2k + 1]`) at
/// `aₖ = 1 / (k + 1)`, `bₖ = 0.3 + 0.05 k`.
pub fn expfit_problem<const N: usize>() -> Problem<ExpFitData<EXPFIT_RESIDUALS>, N> {
    const M: usize = EXPFIT_RESIDUALS;
    let t: [f64; M] = std::array::from_fn(|i| 4.0 * i as f64 / M as f64);
    Problem {
        p: SVector::from_fn(|i, _| {
            let k = (i / 2) as f64;
            if i % 2 == 0 {
                1.0 / (k + 1.0)
            } else {
                0.3 + 0.05 * k
            }
        }),
        data: ExpFitData {
            t,
            y: t.map(|t| 1.2 * (-0.8 * t).exp() + 0.1 * (3.0 * t).cos()),
        },
    }
}

/// The residual vector `rᵢ = Σₖ aₖ e^(−bₖ tᵢ) − yᵢ` of a least-squares fit, as a user writes it:
/// `M` residuals of `N` parameters, every one depending on every parameter (a dense Jacobian).
pub fn expfit_residuals<T: Scalar, const N: usize, const M: usize>(
    p: &SVector<T, N>,
    d: &ExpFitData<M>,
) -> SVector<T, M> {
    expfit_residuals_tagged::<T, (), N, M>(p, d)
}

/// [`expfit_residuals`]'s body, instantiated once per `Tag` (see [`xor_loss_tagged`]).
#[allow(clippy::extra_unused_type_parameters)] // `Tag` only makes a separate instance
pub fn expfit_residuals_tagged<T: Scalar, Tag, const N: usize, const M: usize>(
    p: &SVector<T, N>,
    d: &ExpFitData<M>,
) -> SVector<T, M> {
    SVector::from_fn(|i, _| {
        let t = d.t[i];
        let mut r = T::lift(-d.y[i]);
        for k in 0..N / 2 {
            r += p[2 * k] * (p[2 * k + 1] * -t).exp();
        }
        r
    })
}

// =============================================================================================
// Hand-written derivatives (plain f64, manual backprop)
// =============================================================================================

/// Residuals and Jacobian of [`expfit_residuals`] by hand: `∂rᵢ/∂aₖ = e^(−bₖ tᵢ)`,
/// `∂rᵢ/∂bₖ = −aₖ tᵢ e^(−bₖ tᵢ)`.
pub fn expfit_hand<const N: usize, const M: usize>(
    p: &SVector<f64, N>,
    d: &ExpFitData<M>,
) -> (SVector<f64, M>, SMatrix<f64, M, N>) {
    let mut v = SVector::<f64, M>::zeros();
    let mut j = SMatrix::<f64, M, N>::zeros();
    for i in 0..M {
        let t = d.t[i];
        let mut r = -d.y[i];
        for k in 0..N / 2 {
            let e = (p[2 * k + 1] * -t).exp();
            r += p[2 * k] * e;
            j[(i, 2 * k)] = e;
            j[(i, 2 * k + 1)] = -p[2 * k] * t * e;
        }
        v[i] = r;
    }
    (v, j)
}

/// XOR loss and gradient by manual backprop.
pub fn xor_hand(p: &SVector<f64, 13>) -> (f64, SVector<f64, 13>) {
    let mut g = SVector::<f64, 13>::zeros();
    let mut total = 0.0;
    for (x, y) in XOR_X.iter().zip(XOR_Y) {
        let mut h = [0.0; 3];
        let mut out = p[12];
        for i in 0..3 {
            h[i] = (p[i] * x[0] + p[3 + i] * x[1] + p[6 + i]).tanh();
            out += p[9 + i] * h[i];
        }
        let d = out - y;
        total += d * d;
        let dout = 0.5 * d; // d/dout of 0.25 d²
        g[12] += dout;
        for i in 0..3 {
            g[9 + i] += dout * h[i];
            let dz = dout * p[9 + i] * (1.0 - h[i] * h[i]);
            g[i] += dz * x[0];
            g[3 + i] += dz * x[1];
            g[6 + i] += dz;
        }
    }
    (total * 0.25, g)
}

/// Rosenbrock value and gradient by hand.
pub fn rosenbrock_hand<const N: usize>(x: &SVector<f64, N>) -> (f64, SVector<f64, N>) {
    let mut g = SVector::<f64, N>::zeros();
    let mut s = 0.0;
    for i in 0..N - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = x[i] - 1.0;
        s += 100.0 * a * a + b * b;
        g[i] += -400.0 * a * x[i] + 2.0 * b;
        g[i + 1] += 200.0 * a;
    }
    (s, g)
}

/// Rosenbrock value, gradient and (tridiagonal) Hessian by hand.
pub fn rosenbrock_hessian_hand<const N: usize>(
    x: &SVector<f64, N>,
) -> (f64, SVector<f64, N>, SMatrix<f64, N, N>) {
    let (s, g) = rosenbrock_hand(x);
    let mut h = SMatrix::<f64, N, N>::zeros();
    for i in 0..N - 1 {
        h[(i, i)] += 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
        h[(i, i + 1)] -= 400.0 * x[i];
        h[(i + 1, i)] -= 400.0 * x[i];
        h[(i + 1, i + 1)] += 200.0;
    }
    (s, g, h)
}

/// Rosenbrock value, gradient and Hessian-vector product `H v` by hand (the Hessian is
/// tridiagonal: each term couples `xᵢ` and `xᵢ₊₁`).
pub fn rosenbrock_hvp_hand<const N: usize>(
    x: &SVector<f64, N>,
    v: &SVector<f64, N>,
) -> (f64, SVector<f64, N>, SVector<f64, N>) {
    let (s, g) = rosenbrock_hand(x);
    let mut hv = SVector::<f64, N>::zeros();
    for i in 0..N - 1 {
        let diagonal = 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
        let off = -400.0 * x[i];
        hv[i] += diagonal * v[i] + off * v[i + 1];
        hv[i + 1] += off * v[i] + 200.0 * v[i + 1];
    }
    (s, g, hv)
}

/// Iris MLP loss and gradient by manual backprop.
pub fn iris_hand(p: &SVector<f64, 67>, d: &IrisData) -> (f64, SVector<f64, 67>) {
    let scale = 1.0 / IRIS_SAMPLES as f64;
    let mut g = SVector::<f64, 67>::zeros();
    let mut total = 0.0;
    for (x, &label) in d.x.iter().zip(&d.y) {
        let mut h = [0.0; 8];
        for (j, hj) in h.iter_mut().enumerate() {
            let mut z = p[32 + j];
            for (f, &xf) in x.iter().enumerate() {
                z += p[4 * j + f] * xf;
            }
            *hj = z.tanh();
        }
        let mut z2 = [0.0; 3];
        for (k, zk) in z2.iter_mut().enumerate() {
            let mut z = p[64 + k];
            for (j, &hj) in h.iter().enumerate() {
                z += p[40 + 8 * k + j] * hj;
            }
            *zk = z;
        }
        let m = z2.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        let e = z2.map(|z| (z - m).exp());
        let s: f64 = e.iter().sum();
        total += s.ln() + m - z2[label];
        // backward: dL/dz2 = softmax − onehot
        let mut dh = [0.0; 8];
        for k in 0..3 {
            let onehot = if k == label { 1.0 } else { 0.0 };
            let dz = (e[k] / s - onehot) * scale;
            g[64 + k] += dz;
            for j in 0..8 {
                g[40 + 8 * k + j] += dz * h[j];
                dh[j] += dz * p[40 + 8 * k + j];
            }
        }
        for j in 0..8 {
            let dz = dh[j] * (1.0 - h[j] * h[j]);
            g[32 + j] += dz;
            for (f, &xf) in x.iter().enumerate() {
                g[4 * j + f] += dz * xf;
            }
        }
    }
    (total * scale, g)
}

/// The 2-8-6-2 network's mean softmax cross-entropy and gradient by manual backprop: tanh
/// on the first hidden layer, tanh (`relu = false`) or ReLU (`relu = true`) on the second,
/// affine logits. Layout (92 parameters), row-major: `W1` (8×2) in `p[0..16]`, `b1 = p[16..24]`,
/// `W2` (6×8) in `p[24..72]`, `b2 = p[72..78]`, `W3` (2×6) in `p[78..90]`, `b3 = p[90..92]`.
pub fn moons_hand(p: &SVector<f64, 92>, d: &MoonsData, relu: bool) -> (f64, SVector<f64, 92>) {
    let scale = 1.0 / MOONS_SAMPLES as f64;
    let mut g = SVector::<f64, 92>::zeros();
    let mut total = 0.0;
    for (x, &label) in d.x.iter().zip(&d.y) {
        let a1: [f64; 8] =
            std::array::from_fn(|j| (p[16 + j] + p[2 * j] * x[0] + p[2 * j + 1] * x[1]).tanh());
        let z2: [f64; 6] = std::array::from_fn(|k| {
            let mut z = p[72 + k];
            for j in 0..8 {
                z += p[24 + 8 * k + j] * a1[j];
            }
            z
        });
        let a2 = z2.map(|z| if relu { z.max(0.0) } else { z.tanh() });
        let z3: [f64; 2] = std::array::from_fn(|c| {
            let mut z = p[90 + c];
            for k in 0..6 {
                z += p[78 + 6 * c + k] * a2[k];
            }
            z
        });
        let m = z3[0].max(z3[1]);
        let e = z3.map(|z| (z - m).exp());
        let s = e[0] + e[1];
        total += s.ln() + m - z3[label];
        // backward: ∂L/∂z3 = softmax − onehot
        let mut da2 = [0.0; 6];
        for c in 0..2 {
            let dz = (e[c] / s - if c == label { 1.0 } else { 0.0 }) * scale;
            g[90 + c] += dz;
            for k in 0..6 {
                g[78 + 6 * c + k] += dz * a2[k];
                da2[k] += dz * p[78 + 6 * c + k];
            }
        }
        let mut da1 = [0.0; 8];
        for k in 0..6 {
            let slope = if relu {
                if z2[k] > 0.0 { 1.0 } else { 0.0 }
            } else {
                1.0 - a2[k] * a2[k]
            };
            let dz = da2[k] * slope;
            g[72 + k] += dz;
            for j in 0..8 {
                g[24 + 8 * k + j] += dz * a1[j];
                da1[j] += dz * p[24 + 8 * k + j];
            }
        }
        for j in 0..8 {
            let dz = da1[j] * (1.0 - a1[j] * a1[j]);
            g[16 + j] += dz;
            g[2 * j] += dz * x[0];
            g[2 * j + 1] += dz * x[1];
        }
    }
    (total * scale, g)
}

/// Logistic-regression loss and gradient by hand: `∂/∂z = σ(z) − y`.
pub fn logistic_hand(p: &SVector<f64, 11>, d: &LogisticData) -> (f64, SVector<f64, 11>) {
    let scale = 1.0 / LOGISTIC_SAMPLES as f64;
    let mut g = SVector::<f64, 11>::zeros();
    let mut total = 0.0;
    for (x, &y) in d.x.iter().zip(&d.y) {
        let mut z = p[10];
        for (f, &xf) in x.iter().enumerate() {
            z += p[f] * xf;
        }
        // softplus(z) and σ(z) from one exponential, stable for either sign
        let (softplus, sigma) = if z > 0.0 {
            let e = (-z).exp();
            (z + e.ln_1p(), 1.0 / (1.0 + e))
        } else {
            let e = z.exp();
            (e.ln_1p(), e / (1.0 + e))
        };
        total += softplus - z * y;
        let dz = (sigma - y) * scale;
        for (f, &xf) in x.iter().enumerate() {
            g[f] += dz * xf;
        }
        g[10] += dz;
    }
    (total * scale, g)
}

// =============================================================================================
// Finite differences
// =============================================================================================

/// Value and central-difference gradient (`2P + 1` evaluations of `f`).
pub fn central_fd<const P: usize>(
    f: impl Fn(&SVector<f64, P>) -> f64,
    x: &SVector<f64, P>,
) -> (f64, SVector<f64, P>) {
    let mut xs = *x;
    let mut g = SVector::<f64, P>::zeros();
    for i in 0..P {
        let h = f64::EPSILON.cbrt() * x[i].abs().max(1.0);
        let (up, down) = (x[i] + h, x[i] - h);
        xs[i] = up;
        let fu = f(&xs);
        xs[i] = down;
        let fd = f(&xs);
        xs[i] = x[i];
        g[i] = (fu - fd) / (up - down);
    }
    (f(x), g)
}

// =============================================================================================
// The same workloads through the models module
// =============================================================================================

/// A map between a workload's parameter layout and a model's flat layout:
/// `model[m] = workload[self.0[m]]`.
#[derive(Clone, Copy)]
pub struct Layout<const P: usize>(pub [usize; P]);

impl<const P: usize> Layout<P> {
    /// The same order in both.
    pub fn identity() -> Self {
        Layout(std::array::from_fn(|m| m))
    }

    /// Check that the map is a permutation of `0..P`.
    fn assert_permutation(&self) {
        let mut seen = [false; P];
        for &w in &self.0 {
            assert!(
                w < P && !seen[w],
                "layout is not a permutation: {:?}",
                self.0
            );
            seen[w] = true;
        }
    }

    /// Workload parameters → model parameters.
    pub fn model_params(&self, p: &SVector<f64, P>) -> SVector<f64, P> {
        SVector::from_fn(|m, _| p[self.0[m]])
    }

    /// A gradient in the model's layout → the workload's layout.
    pub fn workload_gradient(&self, g: &SVector<f64, P>) -> SVector<f64, P> {
        let mut out = SVector::zeros();
        for (m, &w) in self.0.iter().enumerate() {
            out[w] = g[m];
        }
        out
    }
}

/// The XOR layout: the workload keeps `W1` (3×2) column-major in `p[0..6]`
/// (`W1[i][j] = p[3j + i]`), the model row by row (`W1[i][j] = model[2i + j]`); `b1`, `w2`
/// and `b2` sit at the same places in both.
pub fn xor_layout() -> Layout<13> {
    Layout(std::array::from_fn(|m| {
        if m < 6 { 3 * (m % 2) + m / 2 } else { m }
    }))
}

/// A workload through the models module: an objective over the workload's data set, and the
/// workload's parameters in the model's layout.
pub struct ModelProblem<M, L, Y: 'static, const I: usize, const O: usize, const P: usize> {
    /// The parameters, in the model's layout.
    pub p: SVector<f64, P>,
    /// How the workload's parameters map to the model's.
    pub layout: Layout<P>,
    /// The mean loss over the data set (serial).
    pub obj: Supervised<'static, M, L, Y, I, O, P>,
    /// The same objective with `.parallel()`.
    #[cfg(feature = "parallel")]
    pub par: Supervised<'static, M, L, Y, I, O, P>,
}

impl<M, L, Y, const I: usize, const O: usize, const P: usize> ModelProblem<M, L, Y, I, O, P>
where
    M: Model<I, O, P> + Copy,
    L: dualgrad::model::Loss<O, Y> + Copy,
    Y: Clone + Sync + 'static,
{
    /// The objective of `model` and `loss` over `(x, y)`, at the workload parameters `p`.
    ///
    /// The data set lives as long as the process (leaked once per bench run), so the objective
    /// that borrows it can sit in a `'static` case.
    fn new(
        model: M,
        loss: L,
        x: Vec<SVector<f64, I>>,
        y: Vec<Y>,
        p: &SVector<f64, P>,
        layout: Layout<P>,
    ) -> Self {
        layout.assert_permutation();
        let data: &'static Dataset<I, Y> =
            Box::leak(Box::new(Dataset::new(x, y).expect("finite workload data")));
        Self {
            p: layout.model_params(p),
            layout,
            obj: Supervised::new(model, loss, data).expect("valid workload targets"),
            #[cfg(feature = "parallel")]
            par: Supervised::new(model, loss, data)
                .expect("valid workload targets")
                .parallel(),
        }
    }

    /// Mean loss and gradient over all samples: the model's per-layer path.
    pub fn loss_and_gradient(&self) -> (f64, SVector<f64, P>) {
        self.obj.loss_and_gradient(&self.p, self.obj.all_indices())
    }

    /// Mean loss and gradient over all samples: the generic path (forward pass on duals).
    pub fn generic_loss_and_gradient(&self) -> (f64, SVector<f64, P>) {
        self.obj
            .generic_loss_and_gradient(&self.p, self.obj.all_indices())
    }

    /// Mean loss and gradient over all samples, blocks spread over rayon's current pool.
    #[cfg(feature = "parallel")]
    pub fn par_loss_and_gradient(&self) -> (f64, SVector<f64, P>) {
        self.par.loss_and_gradient(&self.p, self.par.all_indices())
    }
}

/// XOR through the models module: `Mlp1<Tanh, 2, 3, 1, 13>`, mean squared error over the 4
/// rows (`xor_loss` is `¼ Σ d²`, the mean of `d²`).
pub type XorModel = ModelProblem<Mlp1<Tanh, 2, 3, 1, 13>, MeanSquaredError, f64, 2, 1, 13>;

/// Iris through the models module: `Mlp1<Tanh, 4, 8, 3, 67>`, mean softmax cross-entropy.
pub type IrisModel = ModelProblem<Mlp1<Tanh, 4, 8, 3, 67>, SoftmaxCrossEntropy, usize, 4, 3, 67>;

/// Logistic regression through the models module: `LogisticRegression<10, 11>`, mean binary
/// cross-entropy from the logit.
pub type LogisticModel =
    ModelProblem<LogisticRegression<10, 11>, BinaryCrossEntropy, f64, 10, 1, 11>;

/// Moons through `Mlp2<Tanh, 2, 8, 6, 2, 92>` (tanh on both hidden layers), the type that
/// [`MoonsTanhNet`] declares with `network!`.
pub type MoonsMlp2 = ModelProblem<Mlp2<Tanh, 2, 8, 6, 2, 92>, SoftmaxCrossEntropy, usize, 2, 2, 92>;

network!(
    /// The same shapes and activations as [`MoonsMlp2`], declared with `network!`.
    pub type MoonsTanhNet = 2 => 8 Tanh => 6 Tanh => 2
);

network!(
    /// 2 → 8 tanh → 6 ReLU → 2, declared with `network!`.
    pub type MoonsReluNet = 2 => 8 Tanh => 6 Relu => 2
);

/// Moons through the `network!` declaration of the tanh-tanh network.
pub type MoonsTanhModel = ModelProblem<MoonsTanhNet, SoftmaxCrossEntropy, usize, 2, 2, 92>;

/// Moons through the `network!` declaration of the tanh-ReLU network.
pub type MoonsReluModel = ModelProblem<MoonsReluNet, SoftmaxCrossEntropy, usize, 2, 2, 92>;

/// The moons workload through model `M` (the workload's layout is the models' row-major one),
/// the layout checked against the typed parameters by the names of entries.
fn moons_model<M: Model<2, 2, 92> + Copy>(
    model: M,
) -> ModelProblem<M, SoftmaxCrossEntropy, usize, 2, 2, 92> {
    let w = moons_problem();
    let expected = |i: usize| match i {
        0..16 => format!("W1[{},{}]", i / 2, i % 2),
        16..24 => format!("b1[{}]", i - 16),
        24..72 => format!("W2[{},{}]", (i - 24) / 8, (i - 24) % 8),
        72..78 => format!("b2[{}]", i - 72),
        78..90 => format!("W3[{},{}]", (i - 78) / 6, (i - 78) % 6),
        _ => format!("b3[{}]", i - 90),
    };
    for i in 0..92 {
        assert_eq!(model.param_name(i), expected(i), "moons layout: entry {i}");
    }
    ModelProblem::new(
        model,
        SoftmaxCrossEntropy,
        w.data.x.iter().map(|x| SVector::from(*x)).collect(),
        w.data.y.to_vec(),
        &w.p,
        Layout::identity(),
    )
}

/// The XOR workload as a model problem, its layout checked against the model's typed
/// parameters (`Mlp1Params`: the hidden layer's `w` is 3×2, the output layer's 1×3).
pub fn xor_model() -> XorModel {
    let w = xor_problem();
    let m = XorModel::new(
        Mlp1::new(),
        MeanSquaredError,
        XOR_X.iter().map(|x| SVector::from(*x)).collect(),
        XOR_Y.to_vec(),
        &w.p,
        xor_layout(),
    );
    let q = m.obj.model().unpack(&m.p);
    let (l1, l2) = (&q.layers, &q.layers.next);
    for i in 0..3 {
        for j in 0..2 {
            assert_eq!(l1.w[(i, j)], w.p[3 * j + i], "xor layout: W1[{i}][{j}]");
        }
        assert_eq!(l1.b[i], w.p[6 + i], "xor layout: b1[{i}]");
        assert_eq!(l2.w[(0, i)], w.p[9 + i], "xor layout: w2[{i}]");
    }
    assert_eq!(l2.b[0], w.p[12], "xor layout: b2");
    m
}

/// The iris workload as a model problem (same layout: row-major `W1`, `b1`, row-major `W2`,
/// `b2`), checked against the model's typed parameters.
pub fn iris_model() -> IrisModel {
    let w = iris_problem();
    let m = IrisModel::new(
        Mlp1::new(),
        SoftmaxCrossEntropy,
        w.data.x.iter().map(|x| SVector::from(*x)).collect(),
        w.data.y.to_vec(),
        &w.p,
        Layout::identity(),
    );
    let q = m.obj.model().unpack(&m.p);
    let (l1, l2) = (&q.layers, &q.layers.next);
    for j in 0..8 {
        for f in 0..4 {
            assert_eq!(l1.w[(j, f)], w.p[4 * j + f], "iris layout: W1[{j}][{f}]");
        }
        assert_eq!(l1.b[j], w.p[32 + j], "iris layout: b1[{j}]");
        for k in 0..3 {
            assert_eq!(
                l2.w[(k, j)],
                w.p[40 + 8 * k + j],
                "iris layout: W2[{k}][{j}]"
            );
        }
    }
    for k in 0..3 {
        assert_eq!(l2.b[k], w.p[64 + k], "iris layout: b2[{k}]");
    }
    m
}

/// The logistic workload as a model problem (same layout: `w`, then `b`), checked against the
/// model's typed parameters.
pub fn logistic_model() -> LogisticModel {
    let w = logistic_problem();
    let m = LogisticModel::new(
        LogisticRegression::new(),
        BinaryCrossEntropy,
        w.data.x.iter().map(|x| SVector::from(*x)).collect(),
        w.data.y.to_vec(),
        &w.p,
        Layout::identity(),
    );
    let q = m.obj.model().unpack(&m.p);
    for f in 0..10 {
        assert_eq!(q.w[(0, f)], w.p[f], "logistic layout: w[{f}]");
    }
    assert_eq!(q.b[0], w.p[10], "logistic layout: b");
    m
}

// =============================================================================================
// The registry of cases (workload × variant)
// =============================================================================================

/// One workload × variant: a closure that runs `n` evaluations, and one that returns the result.
pub struct Case {
    /// Workload name (no spaces), e.g. `rosenbrock-50`.
    pub workload: &'static str,
    /// Variant name (no spaces), e.g. `dualgrad-chunk8`.
    pub variant: &'static str,
    /// Run `n` evaluations, with the input and result hidden from the optimizer.
    pub run: Box<dyn Fn(u64)>,
    /// One evaluation, flattened: value, gradient, then the Hessian (column-major) if any.
    pub eval: Box<dyn Fn() -> Vec<f64>>,
    /// Evaluations per callgrind run (a few million to tens of millions of instructions);
    /// `None` for cases measured in time only (the multi-threaded ones).
    pub callgrind_count: Option<u64>,
}

impl Case {
    /// Exact derivative (not finite differences).
    pub fn exact(&self) -> bool {
        !self.variant.starts_with("fd")
    }
}

/// A result that flattens to `[value, gradient.., hessian..]`.
pub trait Flatten {
    /// The parts in one vector.
    fn flatten(&self) -> Vec<f64>;
}

impl<const N: usize> Flatten for (f64, SVector<f64, N>) {
    fn flatten(&self) -> Vec<f64> {
        std::iter::once(self.0)
            .chain(self.1.iter().copied())
            .collect()
    }
}

impl<const N: usize> Flatten for (f64, SVector<f64, N>, SMatrix<f64, N, N>) {
    fn flatten(&self) -> Vec<f64> {
        std::iter::once(self.0)
            .chain(self.1.iter().copied())
            .chain(self.2.iter().copied())
            .collect()
    }
}

impl<const N: usize, const M: usize> Flatten for (SVector<f64, M>, SMatrix<f64, M, N>) {
    fn flatten(&self) -> Vec<f64> {
        self.0.iter().chain(self.1.iter()).copied().collect()
    }
}

/// Collects cases; `add` registers one.
struct Registry(Vec<Case>);

impl Registry {
    /// Register a case whose result is compared with the hand-written one as it is.
    fn add<W: 'static, R: Flatten>(
        &mut self,
        w: &Rc<W>,
        workload: &'static str,
        variant: &'static str,
        callgrind_count: u64,
        f: impl Fn(&W) -> R + Copy + 'static,
    ) {
        self.push(w, workload, variant, Some(callgrind_count), f, |_, r| {
            r.flatten()
        });
    }

    /// Register a model case: its gradient, in the model's layout, is mapped back to the
    /// workload's layout for [`verify`] (the timed runs do not map).
    fn add_model<M, L, Y, const I: usize, const O: usize, const P: usize>(
        &mut self,
        w: &Rc<ModelProblem<M, L, Y, I, O, P>>,
        workload: &'static str,
        variant: &'static str,
        callgrind_count: Option<u64>,
        f: impl Fn(&ModelProblem<M, L, Y, I, O, P>) -> (f64, SVector<f64, P>) + Copy + 'static,
    ) where
        ModelProblem<M, L, Y, I, O, P>: 'static,
    {
        self.push(w, workload, variant, callgrind_count, f, |w, (v, g)| {
            (v, w.layout.workload_gradient(&g)).flatten()
        });
    }

    fn push<W: 'static, R>(
        &mut self,
        w: &Rc<W>,
        workload: &'static str,
        variant: &'static str,
        callgrind_count: Option<u64>,
        f: impl Fn(&W) -> R + Copy + 'static,
        flatten: impl Fn(&W, R) -> Vec<f64> + 'static,
    ) {
        let (w1, w2) = (Rc::clone(w), Rc::clone(w));
        self.0.push(Case {
            workload,
            variant,
            run: Box::new(move |n| {
                for _ in 0..n {
                    black_box(f(black_box(&*w1)));
                }
            }),
            eval: Box::new(move || flatten(&w2, f(&w2))),
            callgrind_count,
        });
    }

    /// Register the multi-threaded variant (feature `parallel`): `threads` rayon threads, the
    /// whole batch of evaluations inside the pool, time only.
    #[cfg(feature = "parallel")]
    fn add_parallel<M, L, Y, const I: usize, const O: usize, const P: usize>(
        &mut self,
        w: &Rc<ModelProblem<M, L, Y, I, O, P>>,
        workload: &'static str,
        variant: &'static str,
        threads: usize,
    ) where
        ModelProblem<M, L, Y, I, O, P>: 'static,
        M: Model<I, O, P> + Copy,
        L: dualgrad::model::Loss<O, Y> + Copy,
        Y: Clone + Sync + 'static,
    {
        let pool = Rc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a rayon thread pool"),
        );
        let (w1, w2, pool2) = (Rc::clone(w), Rc::clone(w), Rc::clone(&pool));
        self.0.push(Case {
            workload,
            variant,
            run: Box::new(move |n| {
                let w = &*w1;
                pool.install(|| {
                    for _ in 0..n {
                        black_box(black_box(w).par_loss_and_gradient());
                    }
                })
            }),
            eval: Box::new(move || {
                let w = &*w2;
                let (v, g) = pool2.install(|| w.par_loss_and_gradient());
                (v, w.layout.workload_gradient(&g)).flatten()
            }),
            callgrind_count: None,
        });
    }
}

/// The XOR loss as a [`ScalarFn`], for the trait form's gradient.
pub struct XorFn;

impl ScalarFn<13> for XorFn {
    fn eval<T: Scalar>(&self, p: &SVector<T, 13>) -> T {
        xor_loss_tagged::<T, XorFn>(p)
    }
}

/// The iris loss as a [`ScalarFn`].
pub struct IrisFn<'a>(pub &'a IrisData);

impl ScalarFn<67> for IrisFn<'_> {
    fn eval<T: Scalar>(&self, p: &SVector<T, 67>) -> T {
        iris_loss_tagged::<T, IrisFn<'static>>(p, self.0)
    }
}

/// The logistic-regression loss as a [`ScalarFn`].
pub struct LogisticFn<'a>(pub &'a LogisticData);

impl ScalarFn<11> for LogisticFn<'_> {
    fn eval<T: Scalar>(&self, p: &SVector<T, 11>) -> T {
        logistic_loss_tagged::<T, LogisticFn<'static>>(p, self.0)
    }
}

/// [`iris_loss_plain`] as a [`ScalarFn`].
pub struct IrisPlainFn<'a>(pub &'a IrisData);

impl ScalarFn<67> for IrisPlainFn<'_> {
    fn eval<T: Scalar>(&self, p: &SVector<T, 67>) -> T {
        iris_loss_plain_tagged::<T, IrisPlainFn<'static>>(p, self.0)
    }
}

/// [`logistic_loss_plain`] as a [`ScalarFn`].
pub struct LogisticPlainFn<'a>(pub &'a LogisticData);

impl ScalarFn<11> for LogisticPlainFn<'_> {
    fn eval<T: Scalar>(&self, p: &SVector<T, 11>) -> T {
        logistic_loss_plain_tagged::<T, LogisticPlainFn<'static>>(p, self.0)
    }
}

/// The `expfit` residuals as a [`VectorFn`], for the trait form's Jacobian.
pub struct ExpFitFn<'a, const M: usize>(pub &'a ExpFitData<M>);

impl<const N: usize, const M: usize> VectorFn<N, M> for ExpFitFn<'_, M> {
    fn eval<T: Scalar>(&self, p: &SVector<T, N>) -> SVector<T, M> {
        expfit_residuals_tagged::<T, ExpFitFn<'static, M>, N, M>(p, self.0)
    }
}

/// Rosenbrock as a [`ScalarFn`], for the trait form's automatic choice of one pass or chunks.
pub struct RosenbrockFn<const N: usize>;

impl<const N: usize> ScalarFn<N> for RosenbrockFn<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        rosenbrock(x)
    }
}

/// Gradient cases of Rosenbrock at one size: hand, the trait form (`dualgrad`: one pass up to
/// `GRADIENT_ONE_PASS_MAX`, chunks of `GRADIENT_CHUNK` above), chunks of 4, 8, 16, num-dual, FD.
fn rosenbrock_cases<const N: usize>(r: &mut Registry, name: &'static str, count: u64) {
    type W<const N: usize> = Problem<(), N>;
    let w = Rc::new(rosenbrock_problem::<N>());
    r.add(&w, name, "hand", count, |w: &W<N>| rosenbrock_hand(&w.p));
    r.add(&w, name, "floor", count, |w: &W<N>| {
        floor::rosenbrock_gradient(&w.p)
    });
    r.add(&w, name, "dualgrad", count, |w: &W<N>| {
        RosenbrockFn.gradient(&w.p)
    });
    r.add(&w, name, "dualgrad-chunk4", count, |w: &W<N>| {
        gradient_chunked(rosenbrock, &w.p, Chunk::<4>)
    });
    r.add(&w, name, "dualgrad-chunk8", count, |w: &W<N>| {
        gradient_chunked(rosenbrock, &w.p, Chunk::<8>)
    });
    r.add(&w, name, "dualgrad-chunk16", count, |w: &W<N>| {
        gradient_chunked(rosenbrock, &w.p, Chunk::<16>)
    });
    r.add(&w, name, "num_dual", count, |w: &W<N>| {
        num_dual::gradient(|x: SVector<DualSVec64<N>, N>| rosenbrock(&x), &w.p)
    });
    r.add(&w, name, "fd-central", count, |w: &W<N>| {
        central_fd(rosenbrock, &w.p)
    });
}

/// The scaling cases of Rosenbrock at one size: hand, the trait form (`dualgrad`), chunks of 8
/// and 16, and the Hessian-vector product (`dualgrad-hvp`, returning its value and
/// gradient; `v = (1, …, 1)`), whose cost is compared with the gradient's.
fn rosenbrock_scaling_cases<const N: usize>(r: &mut Registry, name: &'static str, count: u64) {
    type W<const N: usize> = Problem<(), N>;
    let w = Rc::new(rosenbrock_problem::<N>());
    r.add(&w, name, "hand", count, |w: &W<N>| rosenbrock_hand(&w.p));
    r.add(&w, name, "dualgrad", count, |w: &W<N>| {
        RosenbrockFn.gradient(&w.p)
    });
    r.add(&w, name, "dualgrad-chunk8", count, |w: &W<N>| {
        gradient_chunked(rosenbrock, &w.p, Chunk::<8>)
    });
    r.add(&w, name, "dualgrad-chunk16", count, |w: &W<N>| {
        gradient_chunked(rosenbrock, &w.p, Chunk::<16>)
    });
    hvp_case(r, &w, name, count);
}

/// The Hessian-vector products of Rosenbrock along `v = (1, …, 1)`: by hand (`hand-hvp`), on
/// the floor's nested dual (`floor-hvp`, one pass, up to `N = 200`: its seed takes
/// `16·N·(N + 1)` bytes of stack), [`ScalarFn::hvp`] (`dualgrad-hvp`) and explicit chunks.
/// Each returns `(f, ∇f, H v)`; [`verify`] checks `f` and `∇f` against the hand-written gradient
/// as for every case, and `H v` here against `hand-hvp`.
fn hvp_case<const N: usize>(
    r: &mut Registry,
    w: &Rc<Problem<(), N>>,
    name: &'static str,
    count: u64,
) {
    type Hvp<const N: usize> = (f64, SVector<f64, N>, SVector<f64, N>);
    let mut add = |variant, f: fn(&SVector<f64, N>, &SVector<f64, N>) -> Hvp<N>| {
        r.push(
            w,
            name,
            variant,
            Some(count),
            move |w: &Problem<(), N>| f(&w.p, &SVector::repeat(1.0)),
            move |w: &Problem<(), N>, (value, g, hv): Hvp<N>| {
                let (_, _, hand) = rosenbrock_hvp_hand(&w.p, &SVector::repeat(1.0));
                for (i, (got, want)) in hv.iter().zip(&hand).enumerate() {
                    assert!(
                        (got - want).abs() <= 1e-10 * (1.0 + want.abs()),
                        "{name}/{variant}: (H v)[{i}] is {got}, by hand {want}"
                    );
                }
                (value, g).flatten()
            },
        );
    };
    add("hand-hvp", rosenbrock_hvp_hand);
    if N <= 200 {
        add("floor-hvp", floor::rosenbrock_hvp);
    }
    add("dualgrad-hvp", |x, v| RosenbrockFn.hvp(x, v));
    add("dualgrad-hvp-chunk8", |x, v| {
        dualgrad::hvp_chunked(rosenbrock, x, v, Chunk::<8>)
    });
    add("dualgrad-hvp-chunk16", |x, v| {
        dualgrad::hvp_chunked(rosenbrock, x, v, Chunk::<16>)
    });
}

/// Hessian cases of Rosenbrock at one size: hand and the trait form (one pass up to
/// `HESSIAN_ONE_PASS_MAX`, blocks above).
fn rosenbrock_hessian_cases<const N: usize>(r: &mut Registry, name: &'static str, count: u64) {
    type W<const N: usize> = Problem<(), N>;
    let w = Rc::new(rosenbrock_problem::<N>());
    r.add(&w, name, "hand", count, |w: &W<N>| {
        rosenbrock_hessian_hand(&w.p)
    });
    r.add(&w, name, "dualgrad", count, |w: &W<N>| {
        RosenbrockFn.hessian(&w.p)
    });
}

/// The floor dual on Rosenbrock (one pass: `8·N·(N + 1)` bytes of stack, so not at `N = 2000`).
fn floor_case<const N: usize>(r: &mut Registry, name: &'static str, count: u64) {
    type W<const N: usize> = Problem<(), N>;
    let w = Rc::new(rosenbrock_problem::<N>());
    r.add(&w, name, "floor", count, |w: &W<N>| {
        floor::rosenbrock_gradient(&w.p)
    });
}

/// The one-pass closure form, at the sizes where it compiles (`N ≤ CLOSURE_ONE_PASS_LIMIT`).
fn rosenbrock_one_pass_case<const N: usize>(r: &mut Registry, name: &'static str, count: u64) {
    type W<const N: usize> = Problem<(), N>;
    let w = Rc::new(rosenbrock_problem::<N>());
    r.add(&w, name, "dualgrad-onepass", count, |w: &W<N>| {
        gradient(rosenbrock, &w.p)
    });
}

/// Every case, grouped by workload, `hand` first in each workload.
/// The jet-width cases: [`products`] at `N` inputs, by hand, on the floor dual and by
/// `gradient` (one jet of width `N`).
fn products_cases<const N: usize>(r: &mut Registry, name: &'static str) {
    type W<const N: usize> = Problem<(), N>;
    let w = Rc::new(products_problem::<N>());
    r.add(&w, name, "hand", 20_000, |w: &W<N>| products_hand(&w.p));
    r.add(&w, name, "floor", 20_000, |w: &W<N>| {
        floor::products_gradient(&w.p)
    });
    r.add(&w, name, "dualgrad", 20_000, |w: &W<N>| {
        gradient(products, &w.p)
    });
    r.add(&w, name, "dualgrad-trait", 20_000, |w: &W<N>| {
        ProductsFn.gradient(&w.p)
    });
}

/// [`products`] as a [`ScalarFn`] (the `dualgrad-trait` cases).
pub struct ProductsFn<const N: usize>;

impl<const N: usize> ScalarFn<N> for ProductsFn<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        products(x)
    }
}

/// The `expfit-N` Jacobian cases: by hand, by the closure form `jacobian` (one pass), by
/// `VectorFn::jacobian` (one pass or chunks of 16 on the default path; on an x86-64 processor
/// with AVX2, its copy compiled for AVX2).
fn expfit_cases<const N: usize>(r: &mut Registry, name: &'static str, count: u64) {
    type W<const N: usize> = Problem<ExpFitData<EXPFIT_RESIDUALS>, N>;
    let w = Rc::new(expfit_problem::<N>());
    r.add(&w, name, "hand", count * 10, |w: &W<N>| {
        expfit_hand(&w.p, &w.data)
    });
    r.add(&w, name, "dualgrad", count, |w: &W<N>| {
        jacobian(|p| expfit_residuals(p, &w.data), &w.p)
    });
    r.add(&w, name, "dualgrad-trait", count, |w: &W<N>| {
        VectorFn::<N, EXPFIT_RESIDUALS>::jacobian(&ExpFitFn(&w.data), &w.p)
    });
}

pub fn cases() -> Vec<Case> {
    let mut r = Registry(Vec::new());

    let xor = Rc::new(xor_problem());
    type Xor = Problem<(), 13>;
    r.add(&xor, "xor", "hand", 10_000, |w: &Xor| xor_hand(&w.p));
    r.add(&xor, "xor", "floor", 10_000, |w: &Xor| {
        floor::xor_gradient(&w.p)
    });
    r.add(&xor, "xor", "dualgrad", 5_000, |w: &Xor| {
        gradient(xor_loss, &w.p)
    });
    r.add(&xor, "xor", "dualgrad-trait", 5_000, |w: &Xor| {
        XorFn.gradient(&w.p)
    });
    r.add(&xor, "xor", "dualgrad-nalgebra", 5_000, |w: &Xor| {
        gradient(xor_loss_nalgebra, &w.p)
    });
    r.add(&xor, "xor", "num_dual", 2_000, |w: &Xor| {
        num_dual::gradient(|p: SVector<DualSVec64<13>, 13>| xor_loss(&p), &w.p)
    });
    r.add(&xor, "xor", "num_dual-nalgebra", 2_000, |w: &Xor| {
        num_dual::gradient(|p: SVector<DualSVec64<13>, 13>| xor_loss_nalgebra(&p), &w.p)
    });
    r.add(&xor, "xor", "fd-central", 500, |w: &Xor| {
        central_fd(xor_loss, &w.p)
    });
    let xor_m = Rc::new(xor_model());
    r.add_model(
        &xor_m,
        "xor",
        "model",
        Some(10_000),
        XorModel::loss_and_gradient,
    );
    r.add_model(
        &xor_m,
        "xor",
        "model-generic",
        Some(5_000),
        XorModel::generic_loss_and_gradient,
    );

    rosenbrock_scaling_cases::<2>(&mut r, "rosenbrock-2", 50_000);
    floor_case::<2>(&mut r, "rosenbrock-2", 50_000);
    rosenbrock_one_pass_case::<2>(&mut r, "rosenbrock-2", 50_000);
    rosenbrock_cases::<10>(&mut r, "rosenbrock-10", 20_000);
    rosenbrock_one_pass_case::<10>(&mut r, "rosenbrock-10", 20_000);
    hvp_case(
        &mut r,
        &Rc::new(rosenbrock_problem::<10>()),
        "rosenbrock-10",
        20_000,
    );
    rosenbrock_cases::<50>(&mut r, "rosenbrock-50", 1_000);
    rosenbrock_one_pass_case::<50>(&mut r, "rosenbrock-50", 1_000);
    hvp_case(
        &mut r,
        &Rc::new(rosenbrock_problem::<50>()),
        "rosenbrock-50",
        1_000,
    );
    rosenbrock_scaling_cases::<80>(&mut r, "rosenbrock-80", 500);
    floor_case::<80>(&mut r, "rosenbrock-80", 500);
    rosenbrock_one_pass_case::<80>(&mut r, "rosenbrock-80", 500);
    rosenbrock_cases::<200>(&mut r, "rosenbrock-200", 50);
    hvp_case(
        &mut r,
        &Rc::new(rosenbrock_problem::<200>()),
        "rosenbrock-200",
        50,
    );
    rosenbrock_scaling_cases::<2000>(&mut r, "rosenbrock-2000", 5);
    rosenbrock_hessian_cases::<50>(&mut r, "rosenbrock-50-hessian", 20);
    rosenbrock_hessian_cases::<200>(&mut r, "rosenbrock-200-hessian", 2);

    let hess = Rc::new(rosenbrock_problem::<10>());
    type R10 = Problem<(), 10>;
    r.add(&hess, "rosenbrock-10-hessian", "hand", 20_000, |w: &R10| {
        rosenbrock_hessian_hand(&w.p)
    });
    r.add(
        &hess,
        "rosenbrock-10-hessian",
        "dualgrad",
        2_000,
        |w: &R10| dualgrad::hessian(rosenbrock, &w.p),
    );
    r.add(
        &hess,
        "rosenbrock-10-hessian",
        "dualgrad-trait",
        2_000,
        |w: &R10| RosenbrockFn.hessian(&w.p),
    );
    r.add(
        &hess,
        "rosenbrock-10-hessian",
        "dualgrad-blocks",
        2_000,
        |w: &R10| dualgrad::hessian_chunked(rosenbrock, &w.p, Chunk::<8>),
    );
    r.add(
        &hess,
        "rosenbrock-10-hessian",
        "num_dual",
        2_000,
        |w: &R10| num_dual::hessian(|x: SVector<Dual2SVec64<10>, 10>| rosenbrock(&x), &w.p),
    );

    let iris = Rc::new(iris_problem());
    type Iris = Problem<IrisData, 67>;
    r.add(&iris, "iris", "hand", 200, |w: &Iris| {
        iris_hand(&w.p, &w.data)
    });
    r.add(&iris, "iris", "floor", 20, |w: &Iris| {
        floor::iris_gradient(&w.p, &w.data)
    });
    r.add(&iris, "iris", "dualgrad", 20, |w: &Iris| {
        gradient(|p| iris_loss(p, &w.data), &w.p)
    });
    r.add(&iris, "iris", "dualgrad-trait", 20, |w: &Iris| {
        IrisFn(&w.data).gradient(&w.p)
    });
    r.add(&iris, "iris", "dualgrad-chunk4", 20, |w: &Iris| {
        gradient_chunked(|p| iris_loss(p, &w.data), &w.p, Chunk::<4>)
    });
    r.add(&iris, "iris", "dualgrad-chunk8", 20, |w: &Iris| {
        gradient_chunked(|p| iris_loss(p, &w.data), &w.p, Chunk::<8>)
    });
    r.add(&iris, "iris", "dualgrad-chunk16", 20, |w: &Iris| {
        gradient_chunked(|p| iris_loss(p, &w.data), &w.p, Chunk::<16>)
    });
    r.add(&iris, "iris", "num_dual", 20, |w: &Iris| {
        num_dual::gradient(
            |p: SVector<DualSVec64<67>, 67>| iris_loss(&p, &w.data),
            &w.p,
        )
    });
    r.add(&iris, "iris", "fd-central", 5, |w: &Iris| {
        central_fd(|p| iris_loss(p, &w.data), &w.p)
    });
    let iris_m = Rc::new(iris_model());
    r.add_model(
        &iris_m,
        "iris",
        "model",
        Some(200),
        IrisModel::loss_and_gradient,
    );
    r.add_model(
        &iris_m,
        "iris",
        "model-generic",
        Some(20),
        IrisModel::generic_loss_and_gradient,
    );
    #[cfg(feature = "parallel")]
    {
        r.add_parallel(&iris_m, "iris", "model-par1", 1);
        r.add_parallel(&iris_m, "iris", "model-par2", 2);
    }

    let logistic = Rc::new(logistic_problem());
    type Logistic = Problem<LogisticData, 11>;
    r.add(&logistic, "logistic", "hand", 200, |w: &Logistic| {
        logistic_hand(&w.p, &w.data)
    });
    r.add(&logistic, "logistic", "floor", 200, |w: &Logistic| {
        floor::logistic_gradient(&w.p, &w.data)
    });
    r.add(&logistic, "logistic", "dualgrad", 200, |w: &Logistic| {
        gradient(|p| logistic_loss(p, &w.data), &w.p)
    });
    r.add(
        &logistic,
        "logistic",
        "dualgrad-trait",
        200,
        |w: &Logistic| LogisticFn(&w.data).gradient(&w.p),
    );
    r.add(&logistic, "logistic", "num_dual", 200, |w: &Logistic| {
        num_dual::gradient(
            |p: SVector<DualSVec64<11>, 11>| logistic_loss(&p, &w.data),
            &w.p,
        )
    });
    r.add(&logistic, "logistic", "fd-central", 20, |w: &Logistic| {
        central_fd(|p| logistic_loss(p, &w.data), &w.p)
    });
    let logistic_m = Rc::new(logistic_model());
    r.add_model(
        &logistic_m,
        "logistic",
        "model",
        Some(200),
        LogisticModel::loss_and_gradient,
    );
    r.add_model(
        &logistic_m,
        "logistic",
        "model-generic",
        Some(200),
        LogisticModel::generic_loss_and_gradient,
    );
    #[cfg(feature = "parallel")]
    {
        r.add_parallel(&logistic_m, "logistic", "model-par1", 1);
        r.add_parallel(&logistic_m, "logistic", "model-par2", 2);
    }

    // The losses written as a user writes them (plain exp, ln, ln_1p), beside the ones above
    // that call the crate's stable forms.
    let iris_plain = Rc::new(iris_problem());
    r.add(&iris_plain, "iris-plain", "hand", 200, |w: &Iris| {
        iris_hand(&w.p, &w.data)
    });
    r.add(&iris_plain, "iris-plain", "floor", 20, |w: &Iris| {
        floor::iris_plain_gradient(&w.p, &w.data)
    });
    r.add(&iris_plain, "iris-plain", "dualgrad", 20, |w: &Iris| {
        gradient(|p| iris_loss_plain(p, &w.data), &w.p)
    });
    r.add(
        &iris_plain,
        "iris-plain",
        "dualgrad-trait",
        20,
        |w: &Iris| IrisPlainFn(&w.data).gradient(&w.p),
    );
    r.add(&iris_plain, "iris-plain", "num_dual", 20, |w: &Iris| {
        num_dual::gradient(
            |p: SVector<DualSVec64<67>, 67>| iris_loss_plain(&p, &w.data),
            &w.p,
        )
    });
    let logistic_plain = Rc::new(logistic_problem());
    r.add(
        &logistic_plain,
        "logistic-plain",
        "hand",
        200,
        |w: &Logistic| logistic_hand(&w.p, &w.data),
    );
    r.add(
        &logistic_plain,
        "logistic-plain",
        "floor",
        200,
        |w: &Logistic| floor::logistic_plain_gradient(&w.p, &w.data),
    );
    r.add(
        &logistic_plain,
        "logistic-plain",
        "dualgrad",
        200,
        |w: &Logistic| gradient(|p| logistic_loss_plain(p, &w.data), &w.p),
    );
    r.add(
        &logistic_plain,
        "logistic-plain",
        "dualgrad-trait",
        200,
        |w: &Logistic| LogisticPlainFn(&w.data).gradient(&w.p),
    );
    r.add(
        &logistic_plain,
        "logistic-plain",
        "num_dual",
        200,
        |w: &Logistic| {
            num_dual::gradient(
                |p: SVector<DualSVec64<11>, 11>| logistic_loss_plain(&p, &w.data),
                &w.p,
            )
        },
    );
    products_cases::<1>(&mut r, "products-01");
    products_cases::<2>(&mut r, "products-02");
    products_cases::<3>(&mut r, "products-03");
    products_cases::<4>(&mut r, "products-04");
    products_cases::<5>(&mut r, "products-05");
    products_cases::<6>(&mut r, "products-06");
    products_cases::<7>(&mut r, "products-07");
    products_cases::<8>(&mut r, "products-08");
    products_cases::<9>(&mut r, "products-09");
    products_cases::<10>(&mut r, "products-10");
    products_cases::<11>(&mut r, "products-11");
    products_cases::<12>(&mut r, "products-12");
    products_cases::<13>(&mut r, "products-13");
    products_cases::<14>(&mut r, "products-14");
    products_cases::<15>(&mut r, "products-15");
    products_cases::<16>(&mut r, "products-16");
    products_cases::<17>(&mut r, "products-17");
    products_cases::<18>(&mut r, "products-18");

    let moons = Rc::new(moons_problem());
    type Moons = Problem<MoonsData, 92>;
    r.add(&moons, "moons-tanh-tanh", "hand", 200, |w: &Moons| {
        moons_hand(&w.p, &w.data, false)
    });
    let moons_mlp2 = Rc::new(moons_model(Mlp2::<Tanh, 2, 8, 6, 2, 92>::new()));
    r.add_model(
        &moons_mlp2,
        "moons-tanh-tanh",
        "model-mlp2",
        Some(200),
        MoonsMlp2::loss_and_gradient,
    );
    let moons_tanh = Rc::new(moons_model(MoonsTanhNet::new()));
    r.add_model(
        &moons_tanh,
        "moons-tanh-tanh",
        "model-network",
        Some(200),
        MoonsTanhModel::loss_and_gradient,
    );
    r.add_model(
        &moons_tanh,
        "moons-tanh-tanh",
        "model-generic",
        Some(20),
        MoonsTanhModel::generic_loss_and_gradient,
    );
    r.add(&moons, "moons-tanh-relu", "hand", 200, |w: &Moons| {
        moons_hand(&w.p, &w.data, true)
    });
    let moons_relu = Rc::new(moons_model(MoonsReluNet::new()));
    r.add_model(
        &moons_relu,
        "moons-tanh-relu",
        "model-network",
        Some(200),
        MoonsReluModel::loss_and_gradient,
    );
    r.add_model(
        &moons_relu,
        "moons-tanh-relu",
        "model-generic",
        Some(20),
        MoonsReluModel::generic_loss_and_gradient,
    );

    expfit_cases::<4>(&mut r, "expfit-4", 2_000);
    expfit_cases::<8>(&mut r, "expfit-8", 1_000);
    expfit_cases::<12>(&mut r, "expfit-12", 1_000);
    expfit_cases::<16>(&mut r, "expfit-16", 500);
    expfit_cases::<24>(&mut r, "expfit-24", 500);
    expfit_cases::<40>(&mut r, "expfit-40", 200);
    expfit_cases::<80>(&mut r, "expfit-80", 100);

    r.0
}

/// The workload names, in registry order, without repeats.
pub fn workload_names(cases: &[Case]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for c in cases {
        if !names.contains(&c.workload) {
            names.push(c.workload);
        }
    }
    names
}

/// Check every case against its workload's `hand` case, and panic on a mismatch.
///
/// Exact variants must agree to `1e-10 (1 + |reference|)` per component, finite differences to
/// `1e-6 (1 + |reference|)`. Since `dualgrad`, `num_dual` and `fd-central` are independent of the
/// hand-written code, a wrong hand gradient fails here before anything is timed.
pub fn verify(cases: &[Case]) {
    for workload in workload_names(cases) {
        let group: Vec<&Case> = cases.iter().filter(|c| c.workload == workload).collect();
        let hand = group
            .iter()
            .find(|c| c.variant == "hand")
            .unwrap_or_else(|| panic!("{workload}: no hand-written case"));
        let reference = (hand.eval)();
        assert!(
            reference.iter().all(|v| v.is_finite()) && reference[1..].iter().any(|&v| v != 0.0),
            "{workload}: degenerate reference {reference:?}"
        );
        for case in &group {
            let got = (case.eval)();
            let tol = if case.exact() { 1e-10 } else { 1e-6 };
            assert_eq!(got.len(), reference.len(), "{workload}/{}", case.variant);
            for (i, (g, r)) in got.iter().zip(&reference).enumerate() {
                assert!(
                    (g - r).abs() <= tol * (1.0 + r.abs()),
                    "{workload}/{}: component {i} is {g}, hand-written gives {r}",
                    case.variant
                );
            }
        }
    }
}
