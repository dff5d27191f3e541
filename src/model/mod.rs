//! Models written once over [`Scalar`](crate::Scalar): dense layers, MLPs, linear, logistic
//! and softmax regression; losses and metrics; and the mean loss over a data set as an
//! [`Objective`](crate::optim::Objective) with its exact gradient.

mod activation;
mod batch;
mod core;
mod error;
mod layers;
mod loss;
mod metrics;
mod mlp;
mod network;
mod regression;
#[cfg(feature = "serde")]
mod save;
mod supervised;

pub use activation::{Activation, Identity, Relu, Sigmoid, Tanh};
pub use batch::{generic_loss_and_gradient_sum, sum_loss};
pub use core::Model;
pub use error::ModelError;
pub use layers::Dense;
pub use loss::{BinaryCrossEntropy, L2Penalty, Loss, MeanSquaredError, SoftmaxCrossEntropy};
pub use metrics::{NO_CLASS, accuracy, binary_accuracy, predicted_class, r_squared};
pub use mlp::{Mlp1, Mlp2};
pub use network::{Layer, Network, Output, Stack};
pub use regression::{LinearRegression, LogisticRegression, SoftmaxRegression};
#[cfg(feature = "serde")]
pub use save::{load_json, save_json};
pub use supervised::Supervised;

/// The tuning constants of the models' gradient paths, chosen by measurement
/// (`docs/performance.md`): how many samples one block of the data-set gradient holds, and when
/// the generic path switches from one pass to chunks.
///
/// ```
/// use dualgrad::model::tuning::{BLOCK_SIZE, GENERIC_CHUNK, GENERIC_SINGLE_PASS_MAX};
/// assert!(BLOCK_SIZE > 0 && GENERIC_CHUNK > 0 && GENERIC_SINGLE_PASS_MAX >= GENERIC_CHUNK);
/// ```
pub mod tuning {
    pub use super::batch::{GENERIC_CHUNK, GENERIC_SINGLE_PASS_MAX};
    pub use super::supervised::BLOCK_SIZE;
}
