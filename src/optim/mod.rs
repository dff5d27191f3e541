//! The consumers of the gradients: first-order optimizers with PyTorch's formulas and defaults
//! (and the seed articles' and optax's variants by configuration), learning-rate schedules,
//! gradient clipping, Newton's method from the exact Hessian, L-BFGS and a line search.
//!
//! | concept | trait | implementations |
//! |---|---|---|
//! | first-order step | [`Optimizer`] | [`Sgd`], [`Adagrad`], [`Rmsprop`], [`Adam`] (AMSGrad, AdamW), [`Clipped`] |
//! | learning rate per step | [`Schedule`] | [`Constant`], [`Exponential`], [`StepDecay`], [`Cosine`], [`Linear`], [`Warmup`], closures |
//! | second-order direction | [`SecondOrderStep`] | [`Newton`] |
//! | step length | [`LineSearch`] | [`Armijo`], [`StrongWolfe`] |
//!
//! Every optimizer is a validated config (`Default` = PyTorch's defaults, `with_*` setters,
//! `build::<N>()` returning [`OptimError`] for a bad value) plus explicit state in static
//! vectors: no step allocates.

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
