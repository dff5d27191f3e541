//! The consumers of the gradients: first-order optimizers with PyTorch's formulas and defaults
//! (and the textbook and optax variants by configuration), learning-rate schedules, gradient
//! clipping, Newton's method from the exact Hessian (and truncated Newton from Hessian-vector
//! products), L-BFGS, line searches, and the minimiser [`minimize`] with the vocabulary it shares
//! with the training loops: [`StopRules`], [`StopReason`], [`Report`], [`Evaluations`].
//!
//! | concept | trait | implementations |
//! |---|---|---|
//! | first-order step | [`Optimizer`] | [`Sgd`], [`Adagrad`], [`Rmsprop`], [`Adam`] (AMSGrad in PyTorch's or optax's form, AdamW), [`Clipped`] |
//! | learning rate per step | [`Schedule`] | [`Constant`], [`Exponential`], [`StepDecay`], [`Cosine`], [`Linear`], [`Warmup`], closures |
//! | second-order direction | [`SecondOrderStep`] | [`Newton`], [`NewtonCg`] |
//! | step length | [`LineSearch`] | [`Armijo`], [`StrongWolfe`] (Moré–Thuente; L-BFGS's default) |
//! | how to move between iterates | [`Method`] | every [`Optimizer`], [`Newton`], [`NewtonCg`], [`Lbfgs`] |
//!
//! Every method that uses second-order information judges a stationary point by one curvature
//! rule: where the Hessian has a negative eigenvalue, [`minimize`] stops with
//! [`StopReason::SaddlePoint`], never with convergence.
//!
//! Optimizers and schedules are generic over the scalar `T` of the parameters (`f64` by
//! default), so a training run can be differentiated with respect to its hyperparameters
//! ([`hypergradient`](crate::train::hypergradient)).
//!
//! Every optimizer is a validated config (`Default` = PyTorch's defaults, `with_*` setters,
//! `build::<N>()` returning [`OptimError`] for a bad value) plus explicit state in static
//! vectors: no step allocates. [`train`](crate::train::train) and
//! [`minimize`] run them.
//!
//! ```
//! use dualgrad::optim::{Optimizer, SgdConfig};
//! use nalgebra::SVector;
//! // θ ← θ − η g on f(θ) = θ², g = 2θ, η = 1/4: θ halves each step
//! let mut sgd = SgdConfig::default().with_lr(0.25).build::<1>()?;
//! let mut theta = SVector::from([1.0]);
//! for _ in 0..3 {
//!     let g = theta * 2.0;
//!     sgd.step(&mut theta, &g);
//! }
//! assert_eq!(theta[0], 0.125);
//! # Ok::<(), dualgrad::optim::OptimError>(())
//! ```

mod adagrad;
mod adam;
mod clip;
mod convention;
mod curvature;
mod error;
mod lbfgs;
mod line_search;
mod method;
mod minimize;
mod newton;
mod newton_cg;
mod optimizer;
mod report;
mod rmsprop;
mod schedule;
mod sgd;
mod sparse_newton;
mod stop;
mod validate;
mod wolfe;

pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig};
pub use clip::{Clipped, clip_by_global_norm};
pub use convention::{AmsgradMax, EpsPlacement, MomentumForm};
pub use error::OptimError;
pub use lbfgs::Lbfgs;
pub use line_search::{Armijo, LineSearch, LineSearchResult};
pub use method::{Method, Point};
pub use minimize::minimize;
pub use newton::{Newton, NewtonDirection, SecondOrderStep};
pub use newton_cg::NewtonCg;
pub use optimizer::Optimizer;
pub(crate) use report::Tracker;
pub use report::{Evaluations, Progress, Report};
pub use rmsprop::{Rmsprop, RmspropConfig};
pub use schedule::{Constant, Cosine, Exponential, Linear, Schedule, StepDecay, Warmup};
pub use sgd::{Sgd, SgdConfig};
pub use sparse_newton::{SparseDirection, SparseNewton, SparseNewtonReport};
pub use stop::{StopReason, StopRules};
pub(crate) use validate::{
    check_lr, check_non_negative, check_positive_count, check_scheduled_rate,
};
pub use wolfe::StrongWolfe;
