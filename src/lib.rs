//! dualgrad
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod data;
mod diff;
mod functions;
mod jet;
mod model;
mod objective;
mod params;
mod scalar;

pub use data::{
    Batches, Column, CsvLoader, DataError, Dataset, Standardizer, permutation, shuffle_with,
};
pub use diff::{
    Chunk, ScalarFn, VectorFn, derivative, directional_derivative, gradient, gradient_chunked,
    hessian, jacobian, jvp, second_derivative,
};
pub use functions::{
    bce_with_logits, log_sum_exp, relu, sigmoid, softmax, softmax_cross_entropy, softplus,
};
pub use jet::Jet;
pub use model::{
    Activation, BLOCK_SIZE, BinaryCrossEntropy, Dense, GENERIC_CHUNK, GENERIC_SINGLE_PASS_MAX,
    Identity, L2Penalty, LinearRegression, LogisticRegression, Loss, MeanSquaredError, Mlp1, Mlp2,
    Model, ModelError, Relu, Sigmoid, SoftmaxCrossEntropy, SoftmaxRegression, Supervised, Tanh,
    accuracy, binary_accuracy, generic_loss_and_gradient_sum, predicted_class, r_squared, sum_loss,
};
#[cfg(feature = "serde")]
pub use model::{load_json, save_json};
pub use objective::Objective;
pub use params::{
    DenseParams, Init, Mlp1Params, Mlp2Params, ParamVector, seeded_rng, unit_uniform,
};
pub use scalar::Scalar;
pub use {nalgebra, num_dual};

/// The names most code needs: `use dualgrad::prelude::*;`.
///
/// Besides the crate's own items it brings `num-dual`'s [`DualNum`](num_dual::DualNum) into
/// scope, whose methods (`sqrt`, `exp`, `powi`, ...) closures call on concrete dual types.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::{
        BinaryCrossEntropy, CsvLoader, Dataset, Identity, LinearRegression, LogisticRegression,
        Loss, MeanSquaredError, Mlp1, Mlp2, Model, ParamVector, Relu, Sigmoid, SoftmaxCrossEntropy,
        SoftmaxRegression, Standardizer, Supervised, Tanh,
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
