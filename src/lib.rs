//! # dualgrad
//!
//! Exact derivatives by forward-mode automatic differentiation, on statically sized
//! [`nalgebra`] vectors and matrices. A function is written **once**, generically over
//! [`Scalar`]; the same code runs on `f64` (plain evaluation) and on dual numbers (derivatives),
//! resolved at compile time, with no heap allocation.
//!
//! ## A map of the crate
//!
//! The root holds the core: the [`Scalar`] bound that functions are written against, the dual
//! number [`Jet`], and the derivative entry points ([`gradient`], [`jacobian`], [`hessian`],
//! [`hvp`], [`derivative`], ...) with their trait forms [`ScalarFn`] and [`VectorFn`].
//! Everything else lives in one module per layer. The layers form a chain, bottom up; each
//! module uses only the modules above it in this table (CI checks the module graph):
//!
//! | module | what it holds |
//! |---|---|
//! | [`jet`] | the dual number [`Jet`]; nalgebra's linear algebra on jets; `f64` data times dual matrices |
//! | [`diff`] | the derivative entry points; the one size policy ([`diff::size`]); custom rules ([`diff::custom`]); implicit differentiation ([`diff::implicit`]) |
//! | [`sparse`] | sparsity patterns traced from generic code, colourings, compressed Jacobians; sums of terms (gradient, Hessian, `H v` in as many passes as colours) |
//! | [`functions`] | numerically stable elementary functions: `sigmoid`, `softplus`, `log_sum_exp`, cross-entropies, `erf` |
//! | [`check`] | hand-derived gradients, Jacobians and Hessians checked against the exact ones; finite differences |
//! | [`data`] | data sets, CSV loading, splits, mini-batches, standardisation; the seeded generator |
//! | [`params`] | named, statically sized parameter sets that flatten to one `SVector<T, P>`; initialisation |
//! | [`objective`] | what to minimise over samples: `Samples`, `Objective` (`f64`), `BatchLoss` (any scalar), `FullBatch` |
//! | [`model`] | layers and networks, regressions, losses, metrics; `Supervised`: a model over a data set as a `BatchLoss` |
//! | [`optim`] | optimizers, schedules, line searches, Newton, Newton–CG, L-BFGS; `minimize` and the stop vocabulary |
//! | [`train`] | the training engine: `train`, `train_monitored` (validation, early stopping, plateaus), hypergradients of whole runs |
//! | [`lsq`] | nonlinear least squares: Levenberg–Marquardt and Gauss–Newton with exact Jacobians |
//! | [`prelude`] | the names most programs need: `use dualgrad::prelude::*;` |
//!
//! ## A tour
//!
//! ```
//! use dualgrad::prelude::*;
//! use dualgrad::{Chunk, gradient_chunked, second_derivative};
//! use nalgebra::{SMatrix, SVector};
//!
//! // 1. Write the function once, over any Scalar. Constants and data enter as f64.
//! fn rosenbrock<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
//!     let mut f = T::zero();
//!     for i in 0..N - 1 {
//!         let a = -x[i] + 1.0;
//!         let b = x[i + 1] - x[i] * x[i];
//!         f += a * a + b * b * 100.0;
//!     }
//!     f
//! }
//!
//! let x = SVector::from([0.0, 0.0]);
//! // 2. Plain evaluation on f64.
//! assert_eq!(rosenbrock(&x), 1.0);
//!
//! // 3. Value and gradient in one pass: ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)) = (−2, 0).
//! let (f, g) = gradient(|x| rosenbrock(x), &x);
//! assert_eq!((f, g), (1.0, SVector::from([-2.0, 0.0])));
//!
//! // 4. Value, gradient and Hessian: H = [[2 − 400(y − 3x²), −400x], [−400x, 200]].
//! let (_, _, h) = hessian(|x| rosenbrock(x), &x);
//! assert_eq!(h, SMatrix::<f64, 2, 2>::new(2.0, 0.0, 0.0, 200.0));
//!
//! // 5. Directional derivative ∇f · v with one tangent, whatever N is.
//! let (_, d) = directional_derivative(|x| rosenbrock(x), &x, &SVector::from([1.0, 1.0]));
//! assert_eq!(d, -2.0);
//!
//! // 6. Jacobian of a map Rᴺ → Rᴹ.
//! let (v, j) = jacobian(|x| SVector::from([x[0] * x[1], x[1].sin()]), &SVector::from([2.0, 0.0]));
//! assert_eq!(v, SVector::from([0.0, 0.0]));
//! assert_eq!(j, SMatrix::<f64, 2, 2>::new(0.0, 2.0, 0.0, 1.0)); // [[y, x], [0, cos y]]
//!
//! // 7. Many inputs: the gradient in chunks of 8 tangents, bit-for-bit the one-pass result.
//! let x = SVector::<f64, 64>::from_fn(|i, _| 0.5 + 0.01 * i as f64);
//! let (f1, g1) = gradient_chunked(|x| rosenbrock(x), &x, Chunk::<8>);
//! assert_eq!((f1, g1), gradient(|x| rosenbrock(x), &x));
//!
//! // 8. Scalar derivatives: d/dx x³ = 3x² = 75 and d²/dx² x³ = 6x = 30 at x = 5.
//! assert_eq!(derivative(|x| x.powi(3), 5.0), (125.0, 75.0));
//! assert_eq!(second_derivative(|x| x.powi(3), 5.0), (125.0, 75.0, 30.0));
//! ```
//!
//! ## Functions that must run at several scalar types: [`ScalarFn`]
//!
//! A closure has one argument type. When the same function is needed on `f64` and on duals of
//! several kinds (the gradient checker, Newton's method), implement [`ScalarFn`] (or
//! [`VectorFn`]) once, the way Ceres writes templated cost functors:
//!
//! ```
//! use dualgrad::{Scalar, ScalarFn};
//! use nalgebra::SVector;
//!
//! struct Quadratic;
//! impl ScalarFn<2> for Quadratic {
//!     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
//!         x[0] * x[0] * 2.0 + x[0] * x[1] + x[1] * x[1]
//!     }
//! }
//! let x = SVector::from([1.0, 1.0]);
//! assert_eq!(Quadratic.value(&x), 4.0);
//! assert_eq!(Quadratic.gradient(&x).1, SVector::from([5.0, 3.0])); // (4x + y, x + 2y)
//! ```
//!
//! ## The usual mistake
//!
//! A function written for `f64` only cannot be differentiated: the derivative entry points call
//! it with dual numbers. Write it over `T: Scalar` instead.
//!
//! ```compile_fail
//! use dualgrad::gradient;
//! use nalgebra::SVector;
//!
//! fn f(x: &SVector<f64, 2>) -> f64 {
//!     x[0] * x[1]
//! }
//! let (v, g) = gradient(f, &SVector::from([1.0, 2.0])); // error: expected Jet, found f64
//! ```
//!
//! ## Beyond derivatives: checking and training
//!
//! The same exact derivatives check hand-derived formulas, component by component
//! ([`Checker`](check::Checker), [`check_gradient`](check::check_gradient),
//! [`assert_gradient!`]), and train small models written once over [`Scalar`]
//! ([`Mlp1`](model::Mlp1), [`LogisticRegression`](model::LogisticRegression),
//! [`Supervised`](model::Supervised), [`train`](train::train),
//! [`AdamConfig`](optim::AdamConfig), [`Newton`](optim::Newton),
//! [`minimize`](optim::minimize)):
//!
//! ```
//! use dualgrad::prelude::*;
//! use nalgebra::SVector;
//!
//! // A hand-derived gradient of f(x, y) = x² y, checked against the exact one.
//! struct F;
//! impl ScalarFn<2> for F {
//!     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
//!         x[0] * x[0] * x[1]
//!     }
//! }
//! let hand = |x: &SVector<f64, 2>| SVector::from([2.0 * x[0] * x[1], x[0] * x[0]]);
//! assert_gradient!(&F, &SVector::from([1.5, -2.0]), hand);
//! let wrong = |x: &SVector<f64, 2>| SVector::from([x[0] * x[1], x[0] * x[0]]); // lost the 2
//! let report = check_gradient(&F, &SVector::from([1.5, -2.0]), wrong);
//! assert_eq!(report.wrong_count(), 1);
//!
//! // XOR with a 2-3-1 tanh network (13 parameters in one SVector), trained by Adam.
//! let xs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
//! let data = Dataset::new(xs.map(SVector::from).to_vec(), vec![0.0, 1.0, 1.0, 0.0]).unwrap();
//! let net = Mlp1::<Tanh, 2, 3, 1, 13>::new();
//! let objective = Supervised::new(net, MeanSquaredError, &data).unwrap();
//! let mut adam = AdamConfig::default().with_lr(0.05).build().unwrap();
//! let config = TrainConfig::default().with_epochs(5000).with_target_loss(1e-3);
//! let report = train(&objective, net.init(42), &mut adam, &config, |_| {}).unwrap();
//! assert!(report.best_loss <= 1e-3);
//! for (x, y) in xs.iter().zip([0.0, 1.0, 1.0, 0.0]) {
//!     let prediction = net.predict(&report.params, &SVector::from(*x))[0];
//!     assert!((prediction - y).abs() < 0.1);
//! }
//! ```
//!
//! ## The engine
//!
//! First derivatives use [`Jet`], dualgrad's own dual number with a plain `[f64; N]` tangent:
//! `Copy`, inlined, and NaN-safe (a zero tangent stays zero where a local derivative is
//! infinite, so `∂/∂y (√x + y)` at `x = 0` is 1). Hessians nest jets (forward over forward).
//! `num-dual`'s types also satisfy [`Scalar`], for higher orders and interop.
//!
//! Non-finite inputs do not panic: a NaN input gives NaN values and derivatives, as `f64`
//! arithmetic does.
// `deny`, not `forbid`, for three audited exceptions: nalgebra's `SimdValue` makes every scalar
// implement two `unsafe fn` (unchecked lane access); `Jet`'s, in src/jet/field.rs, forward to
// the safe ones. src/jet/wide.rs calls a function compiled for AVX2, only after
// `is_x86_feature_detected!("avx2")` said the processor has it (run-time dispatch). And
// `diff::size::boxed_zeros` casts a heap array to the nalgebra matrix of the same layout, so
// large results never touch the stack.
#![deny(unsafe_code)]
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

pub mod check;
pub mod data;
pub mod diff;
pub mod functions;
pub mod jet;
pub mod lsq;
pub mod model;
mod numfmt;
pub mod objective;
pub mod optim;
pub mod params;
mod scalar;
pub mod sparse;
pub mod train;

pub use diff::{
    Chunk, ScalarFn, VectorFn, derivative, directional_derivative, gradient, gradient_chunked,
    hessian, hessian_chunked, hessian_chunked_boxed, hessian_chunked_into, hvp, hvp_chunked,
    jacobian, jacobian_chunked, jacobian_chunked_boxed, jacobian_chunked_into, jvp,
    second_derivative, third_derivative,
};
pub use jet::Jet;
/// The `rand` version dualgrad is built with (for [`Model::init_with`](model::Model::init_with)
/// and [`Init::matrix`](params::Init::matrix)), so that user code needs no `rand` dependency of
/// its own; the trait and generator themselves are [`data::Rng`] and [`data::ChaCha8Rng`].
pub use rand;
pub use scalar::{AnyScalar, Precision, Scalar};
pub use {nalgebra, nalgebra_sparse, num_dual};

/// The README's Rust code blocks, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The guide's Rust code blocks (`docs/guide/`), compiled and run as doctests.
#[cfg(doctest)]
mod guide_doctests {
    #[doc = include_str!("../docs/guide/scalar-and-jet.md")]
    struct ScalarAndJet;
    #[doc = include_str!("../docs/guide/derivatives.md")]
    struct Derivatives;
    #[doc = include_str!("../docs/guide/functions.md")]
    struct Functions;
    #[doc = include_str!("../docs/guide/checking.md")]
    struct Checking;
    #[doc = include_str!("../docs/guide/data-and-params.md")]
    struct DataAndParams;
    #[doc = include_str!("../docs/guide/objectives.md")]
    struct Objectives;
    #[doc = include_str!("../docs/guide/models.md")]
    struct Models;
    #[doc = include_str!("../docs/guide/optimizers.md")]
    struct Optimizers;
    #[doc = include_str!("../docs/guide/training.md")]
    struct Training;
    #[doc = include_str!("../docs/guide/least-squares.md")]
    struct LeastSquares;
    #[doc = include_str!("../docs/guide/sparse.md")]
    struct Sparse;
}

/// The names most programs need: `use dualgrad::prelude::*;`. Everything else is one module
/// path away (the table in the crate documentation).
///
/// Besides the crate's own items it brings `num-dual`'s [`DualNum`](num_dual::DualNum) and
/// `num-traits`' `Signed`, `Zero` and `One` into scope, whose methods (`sqrt`, `exp`, `powi`,
/// `abs`, `zero`, ...) closures call on concrete dual types.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::check::check_gradient;
    #[doc(no_inline)]
    pub use crate::data::Dataset;
    #[doc(no_inline)]
    pub use crate::lsq::LevenbergMarquardt;
    #[doc(no_inline)]
    pub use crate::model::{MeanSquaredError, Mlp1, Model, SoftmaxCrossEntropy, Supervised, Tanh};
    #[doc(no_inline)]
    pub use crate::objective::{BatchLoss, Objective, Samples};
    #[doc(no_inline)]
    pub use crate::optim::{AdamConfig, Optimizer, SgdConfig, StopRules, minimize};
    #[doc(no_inline)]
    pub use crate::train::{TrainConfig, train};
    #[doc(no_inline)]
    pub use crate::{
        Jet, Scalar, ScalarFn, VectorFn, assert_gradient, derivative, directional_derivative,
        gradient, hessian, hvp, jacobian,
    };
    #[doc(no_inline)]
    pub use num_dual::DualNum;
    #[doc(no_inline)]
    pub use num_traits::{One, Signed, Zero};
}
