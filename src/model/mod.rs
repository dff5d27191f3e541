//! Models written once over [`Scalar`](crate::Scalar): predict on `f64`, differentiate on duals.
//!
//! A [`Model`] is a forward pass over typed parameters (see [`params`](crate::params)) that
//! flatten to one `SVector<f64, P>`. [`Supervised`] puts a model, a [`Loss`] and a
//! [`Dataset`](crate::data::Dataset) together as the mean loss, an
//! [`Objective`](crate::objective::Objective) for [`train`](crate::train::train) and a
//! [`ScalarFn`](crate::ScalarFn) for the checker and Newton's method.
//!
//! | | |
//! |---|---|
//! | networks of any depth | [`network!`](crate::network), [`Network`] ([`Layer`] … [`Output`]) |
//! | one or two hidden layers | [`Mlp1`], [`Mlp2`] (networks) |
//! | a single layer | [`Dense`] |
//! | regressions | [`LinearRegression`], [`LogisticRegression`], [`SoftmaxRegression`] |
//! | activations | activations: [`Tanh`], [`Relu`], ... |
//! | losses | losses: mean squared error, binary and softmax cross-entropy, L2 penalty |
//! | metrics | metrics: accuracy, R² |
//! | stable functions | [`functions`](crate::functions): `sigmoid`, `softplus`, `log_sum_exp`, `softmax`, ... |
//! | saving | `save_json`, `load_json` (feature `serde`) |
//! | samples per block of the data-set gradient | [`SAMPLE_BLOCK`] |
//!
//! The built-in models and networks take an exact per-layer gradient: the loss differentiated
//! with only the outputs seeded, each activation by a one-tangent jet, and a backward step
//! through each affine layer (which is linear), as cheap as hand-written backprop and many
//! times cheaper than differentiating the forward pass in every parameter ([`generic_loss_and_gradient_sum`], the path any model gets
//! by default and the reference the fast paths are tested against).
//!
//! ```
//! use dualgrad::model::SoftmaxCrossEntropy;
//! use dualgrad::model::Supervised;
//! use dualgrad::data::Dataset;
//! use dualgrad::network;
//! use nalgebra::SVector;
//!
//! network!(type Net = 2 => 4 dualgrad::model::Tanh => 3); // 4·2 + 4 + 3·4 + 3 = 27
//! let data = Dataset::new(vec![SVector::from([0.5, -1.0])], vec![2usize])?;
//! let objective = Supervised::new(Net::new(), SoftmaxCrossEntropy, &data)?;
//! // at zero parameters the 3 logits are equal: the loss is ln 3
//! assert!((objective.loss(&SVector::zeros(), &[0]) - 3f64.ln()).abs() < 1e-15);
//! assert_eq!(Net::LEN, 27);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod activation;
mod batch;
mod error;
mod layers;
mod loss;
mod metrics;
mod model_trait;
mod network;
mod regression;
#[cfg(feature = "serde")]
mod save;
mod supervised;

pub use activation::{Activation, Identity, Relu, Sigmoid, Tanh};
pub use batch::{generic_loss_and_gradient_sum, sum_loss};
pub use error::ModelError;
pub use layers::Dense;
pub use loss::{BinaryCrossEntropy, L2Penalty, Loss, MeanSquaredError, SoftmaxCrossEntropy};
pub use metrics::{NO_CLASS, accuracy, binary_accuracy, predicted_class, r_squared};
pub use model_trait::Model;
pub use network::{Layer, Layers, Mlp1, Mlp2, Network, Output};
pub use regression::{LinearRegression, LogisticRegression, SoftmaxRegression};
#[cfg(feature = "serde")]
pub use save::{load_json, save_json};
pub use supervised::{SAMPLE_BLOCK, Supervised};
