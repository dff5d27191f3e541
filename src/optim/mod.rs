//! The consumers of the gradients: first-order optimizers with PyTorch's formulas and defaults
//! (and the seed articles' and optax's variants by configuration), learning-rate schedules,
//! gradient clipping, Newton's method from the exact Hessian (and truncated Newton from
//! Hessian-vector products), L-BFGS, line searches, and the objective traits that the training
//! loops consume.
//!
//! | concept | trait | implementations |
//! |---|---|---|
//! | first-order step | [`Optimizer`] | [`Sgd`], [`Adagrad`], [`Rmsprop`], [`Adam`] (AMSGrad in PyTorch's or optax's form, AdamW), [`Clipped`] |
//! | learning rate per step | [`Schedule`] | [`Constant`], [`Exponential`], [`StepDecay`], [`Cosine`], [`Linear`], [`Warmup`], closures |
//! | second-order direction | [`SecondOrderStep`] | [`Newton`], [`NewtonCg`] |
//! | step length | [`LineSearch`] | [`Armijo`], [`StrongWolfe`] (Moré–Thuente; L-BFGS's default) |
//! | what to minimise over data | [`Objective`] (`f64` mean loss and gradient), [`BatchLoss`] (a mini-batch loss at any scalar) | models over data sets (`dualgrad::model::Supervised`) |
//!
//! Optimizers and schedules are generic over the scalar `T` of the parameters (`f64` by
//! default), so a training run can be differentiated with respect to its hyperparameters
//! ([`hypergradient`](crate::train::hypergradient)).
//!
//! Every optimizer is a validated config (`Default` = PyTorch's defaults, `with_*` setters,
//! `build::<N>()` returning [`OptimError`] for a bad value) plus explicit state in static
//! vectors: no step allocates. [`train`](crate::train::train) and
//! [`minimize`](crate::train::minimize) run them.
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
pub(crate) mod convention;
pub(crate) mod error;
mod lbfgs;
mod line_search;
mod newton;
mod newton_cg;
mod objective;
mod optimizer;
mod rmsprop;
mod schedule;
mod sgd;
mod wolfe;

pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig};
pub use clip::{Clipped, clip_by_global_norm};
pub use convention::{AmsgradMax, EpsPlacement, MomentumForm};
pub use error::OptimError;
pub use lbfgs::Lbfgs;
pub use line_search::{Armijo, LineSearch, LineSearchResult};
pub use newton::{Newton, NewtonDirection, SecondOrderStep};
pub use newton_cg::NewtonCg;
pub use objective::{BatchLoss, Objective};
pub use optimizer::Optimizer;
pub use rmsprop::{Rmsprop, RmspropConfig};
pub use schedule::{Constant, Cosine, Exponential, Linear, Schedule, StepDecay, Warmup};
pub use sgd::{Sgd, SgdConfig};
pub use wolfe::StrongWolfe;
