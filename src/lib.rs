//! dualgrad
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod diff;
mod functions;
mod jet;
mod objective;
mod optim;
mod scalar;
mod train;

pub use diff::{
    Chunk, ScalarFn, VectorFn, derivative, directional_derivative, gradient, gradient_chunked,
    hessian, jacobian, jvp, second_derivative,
};
pub use functions::{
    bce_with_logits, log_sum_exp, relu, sigmoid, softmax, softmax_cross_entropy, softplus,
};
pub use jet::Jet;
pub use objective::Objective;
pub use optim::{
    Adagrad, AdagradConfig, Adam, AdamConfig, Armijo, Clipped, Constant, Cosine, EpsPlacement,
    Exponential, Lbfgs, LineSearch, LineSearchResult, Linear, MomentumForm, Newton,
    NewtonDirection, OptimError, Optimizer, Rmsprop, RmspropConfig, Schedule, SecondOrderStep, Sgd,
    SgdConfig, StepDecay, Warmup, clip_by_global_norm,
};
pub use scalar::Scalar;
pub use train::{
    Evaluations, Method, Point, Progress, Report, StopReason, StopRules, TrainConfig, minimize,
    train,
};
pub use {nalgebra, num_dual};

/// The names most code needs: `use dualgrad::prelude::*;`.
///
/// Besides the crate's own items it brings `num-dual`'s [`DualNum`](num_dual::DualNum) into
/// scope, whose methods (`sqrt`, `exp`, `powi`, ...) closures call on concrete dual types.
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
        Chunk, Jet, Objective, Scalar, ScalarFn, VectorFn, bce_with_logits, derivative,
        directional_derivative, gradient, gradient_chunked, hessian, jacobian, jvp, log_sum_exp,
        relu, second_derivative, sigmoid, softmax, softmax_cross_entropy, softplus,
    };
    #[doc(no_inline)]
    pub use num_dual::DualNum;
}
