//! # dualgrad
//!
//! Exact derivatives by forward-mode automatic differentiation, on statically sized
//! [`nalgebra`] vectors and matrices. A function is written **once**, generically over
//! [`Scalar`]; the same code runs on `f64` (plain evaluation) and on dual numbers (derivatives),
//! resolved at compile time, with no heap allocation.
//!
//! ## A tour
//!
//! ```
//! use dualgrad::prelude::*;
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
//! ([`Checker`], [`check_gradient`], [`assert_gradient!`]), and train small models written once
//! over [`Scalar`] ([`Mlp1`], [`LogisticRegression`], [`Supervised`], [`train`], [`AdamConfig`],
//! [`Newton`], [`minimize`]):
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
// `deny`, not `forbid`: nalgebra's `SimdValue` makes every scalar implement two `unsafe fn`
// (unchecked lane access); `Jet`'s, in src/jet/field.rs, forward to the safe ones.
#![deny(unsafe_code)]
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

mod check;
mod data;
mod diff;
mod functions;
mod jet;
mod lsq;
mod model;
mod objective;
mod optim;
mod params;
mod scalar;
mod train;

pub use check::{
    CheckError, CheckKind, CheckOutcome, CheckReference, CheckReport, Checker, Entry, FailingPoint,
    RandomCheck, RandomPass, Row, Tolerances, Verdict, central_derivative, central_gradient,
    central_jacobian, check_gradient, check_gradient_fd, check_hessian, check_jacobian,
    matrix_from_rows, relative_error, ridders_derivative, ridders_gradient, ridders_jacobian,
};
pub use data::{
    Batches, Column, CsvLoader, DataError, Dataset, Standardizer, permutation, shuffle_with,
};
pub use diff::{
    CLOSURE_HESSIAN_LIMIT, CLOSURE_ONE_PASS_LIMIT, GRADIENT_CHUNK, GRADIENT_ONE_PASS_MAX,
    HESSIAN_BLOCK, HESSIAN_ONE_PASS_MAX, HVP_CHUNK, hessian_chunked, hvp, hvp_chunked,
    jacobian_chunked, third_derivative,
};
pub use diff::{
    Chunk, ScalarFn, VectorFn, derivative, directional_derivative, gradient, gradient_chunked,
    hessian, jacobian, jvp, second_derivative,
};
pub use diff::{
    ImplicitError, MAX_RULE_ORDER, ParamObjective, Residual, Rule, apply_rule, erf, erf_rule, erfc,
    implicit_minimizer, implicit_solution,
};
pub use functions::{
    bce_with_logits, log_sum_exp, relu, sigmoid, softmax, softmax_cross_entropy, softplus,
};
pub use jet::Jet;
pub use jet::{F64Ops, MixedOps};
pub use model::NO_CLASS;
pub use model::{
    Activation, BLOCK_SIZE, BinaryCrossEntropy, Dense, GENERIC_CHUNK, GENERIC_SINGLE_PASS_MAX,
    Identity, L2Penalty, Layer, LinearRegression, LogisticRegression, Loss, MeanSquaredError, Mlp1,
    Mlp2, Model, ModelError, Network, Output, Relu, Sigmoid, SoftmaxCrossEntropy,
    SoftmaxRegression, Stack, Supervised, Tanh, accuracy, binary_accuracy,
    generic_loss_and_gradient_sum, predicted_class, r_squared, sum_loss,
};
#[cfg(feature = "serde")]
pub use model::{load_json, save_json};
pub use objective::{BatchLoss, Objective};
pub use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, Armijo, Clipped, Constant, Cosine, EpsPlacement,
    Exponential, Lbfgs, LineSearch, LineSearchResult, Linear, MomentumForm, Newton, NewtonCg,
    NewtonDirection, OptimError, Optimizer, Rmsprop, RmspropConfig, Schedule, SecondOrderStep, Sgd,
    SgdConfig, StepDecay, Warmup, clip_by_global_norm,
};
pub use params::{
    DenseParams, Init, LayerParams, Mlp1Params, Mlp2Params, NetworkParams, ParamVector,
    StackParams, seeded_rng, unit_uniform,
};
/// The random-number traits and generator that [`Model::init_with`] and [`Init::matrix`] take:
/// the `rand` version dualgrad is built with, so that user code needs no `rand` dependency of its
/// own (`dualgrad::rand::Rng`, or [`Rng`] at the root).
pub use rand;
pub use rand::Rng;
/// The generator behind every seeded operation ([`seeded_rng`] returns it): ChaCha with 8
/// rounds, the same stream on every platform.
///
/// ```
/// use dualgrad::{ChaCha8Rng, Rng, seeded_rng};
/// let mut rng: ChaCha8Rng = seeded_rng(3);
/// let (a, b) = (rng.next_u64(), rng.next_u64());
/// assert_ne!(a, b);
/// ```
pub use rand_chacha::ChaCha8Rng;
pub use scalar::{AnyScalar, Precision, Scalar};
pub use train::{
    Evaluations, Hypergradient, Method, PerEpoch, Point, Progress, Report, RunSetup, StopReason,
    StopRules, TrainConfig, UnrolledRun, hypergradient, minimize, train, train_unrolled,
    validation_after_training,
};
pub use {nalgebra, num_dual};

// Least squares, strong Wolfe, optax's AMSGrad and monitored training.
pub use lsq::{
    DataResiduals, GaussNewton, LevenbergMarquardt, LsqError, LsqReport, LsqRules, LsqStop,
    ObservationResidual, Residuals, VectorResiduals,
};
pub use optim::{AmsgradMax, StrongWolfe};
pub use train::{
    BestEpoch, Control, EarlyStopping, Epoch, Monitor, MonitoredReport, PlateauMode,
    ReduceLrOnPlateau, ThresholdMode, train_monitored,
};

/// The README's Rust code blocks, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The names most code needs: `use dualgrad::prelude::*;`.
///
/// Besides the crate's own items it brings `num-dual`'s [`DualNum`](num_dual::DualNum) and
/// `num-traits`' `Signed`, `Zero` and `One` into scope, whose methods (`sqrt`, `exp`, `powi`,
/// `abs`, `zero`, ...) closures call on concrete dual types.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::{
        AdagradConfig, AdamConfig, Armijo, Clipped, Constant, Cosine, EpsPlacement, Exponential,
        Lbfgs, Linear, Method, MomentumForm, Newton, OptimError, Optimizer, RmspropConfig,
        Schedule, SgdConfig, StepDecay, StopReason, StopRules, TrainConfig, Warmup,
        clip_by_global_norm, minimize, train,
    };
    #[doc(no_inline)]
    pub use crate::{
        AmsgradMax, Control, DataResiduals, EarlyStopping, GaussNewton, LevenbergMarquardt,
        LsqRules, Monitor, ObservationResidual, ReduceLrOnPlateau, Residuals, StrongWolfe,
        VectorResiduals, train_monitored,
    };
    #[doc(no_inline)]
    pub use crate::{
        BinaryCrossEntropy, CsvLoader, Dataset, Identity, LinearRegression, LogisticRegression,
        Loss, MeanSquaredError, Mlp1, Mlp2, Model, ParamVector, Relu, Sigmoid, SoftmaxCrossEntropy,
        SoftmaxRegression, Standardizer, Supervised, Tanh,
    };
    #[doc(no_inline)]
    pub use crate::{
        Checker, Tolerances, assert_check, assert_gradient, assert_hessian, assert_jacobian,
        check_gradient, check_hessian, check_jacobian,
    };
    #[doc(no_inline)]
    pub use crate::{
        Chunk, Jet, Objective, Scalar, ScalarFn, VectorFn, bce_with_logits, derivative,
        directional_derivative, gradient, gradient_chunked, hessian, jacobian, jvp, log_sum_exp,
        relu, second_derivative, sigmoid, softmax, softmax_cross_entropy, softplus,
    };
    #[doc(no_inline)]
    pub use crate::{F64Ops, MixedOps};
    #[doc(no_inline)]
    pub use crate::{Network, Rng, network};
    #[doc(no_inline)]
    pub use crate::{hessian_chunked, hvp, hvp_chunked, jacobian_chunked, third_derivative};
    #[doc(no_inline)]
    pub use num_dual::DualNum;
    #[doc(no_inline)]
    pub use num_traits::{One, Signed, Zero};
}
