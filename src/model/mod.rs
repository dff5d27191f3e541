//! Models written once over [`Scalar`](crate::Scalar): dense layers, MLPs, linear, logistic
//! and softmax regression; losses and metrics; and the mean loss over a data set as an
//! [`Objective`](crate::Objective) with its exact gradient.

mod activation;
mod batch;
mod core;
mod error;
mod layers;
mod loss;
mod metrics;
mod mlp;
mod network;
mod objective;
mod regression;
#[cfg(feature = "serde")]
mod save;

pub use activation::{Activation, Identity, Relu, Sigmoid, Tanh};
pub use batch::{GENERIC_CHUNK, GENERIC_SINGLE_PASS_MAX, generic_loss_and_gradient_sum, sum_loss};
pub use core::Model;
pub use error::ModelError;
pub use layers::Dense;
pub use loss::{BinaryCrossEntropy, L2Penalty, Loss, MeanSquaredError, SoftmaxCrossEntropy};
pub use metrics::{NO_CLASS, accuracy, binary_accuracy, predicted_class, r_squared};
pub use mlp::{Mlp1, Mlp2};
pub use network::{Layer, Network, Output, Stack};
pub use objective::{BLOCK_SIZE, Supervised};
pub use regression::{LinearRegression, LogisticRegression, SoftmaxRegression};
#[cfg(feature = "serde")]
pub use save::{load_json, save_json};
