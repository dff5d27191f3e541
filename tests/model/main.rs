//! Models, losses and parameters: every model's gradient against a hand-written backward pass
//! (`model_support`) and finite differences, networks declared with `network!`, losses at
//! extreme logits, metrics, the parameter layout, bad inputs, and the optional features
//! (`parallel`: the threaded value-and-gradient; `serde`: saving and loading parameters).

mod model_support;

mod bad_input_model;
mod model_gradients;
mod model_losses;
mod model_network;
#[cfg(feature = "parallel")]
mod model_parallel;
mod model_params;
#[cfg(feature = "serde")]
mod model_serde;
mod model_wide;
