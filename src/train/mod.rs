//! Training models and other objectives over data: one engine (a validated batch plan and one
//! epoch loop, generic over the scalar) behind three runs:
//!
//! - [`train`]: epochs of (mini-batch) steps of an [`Optimizer`](crate::optim::Optimizer) on an
//!   [`Objective`](crate::objective::Objective), configured by [`TrainConfig`]; it keeps the best
//!   parameters, stops by the [`StopRules`](crate::optim::StopRules) and says why
//!   ([`StopReason`](crate::optim::StopReason)), calls an observer with the
//!   [`Progress`](crate::optim::Progress) of each epoch and returns a
//!   [`Report`](crate::optim::Report);
//! - [`train_monitored`]: the same run with a validation objective evaluated every epoch, early
//!   stopping that hands back the parameters best on validation ([`EarlyStopping`]), PyTorch's
//!   [`ReduceLrOnPlateau`] (which lowers the optimizer's rate through its schedule), and an
//!   observer that sees the learning rate and can stop the run ([`Control`]);
//! - [`train_unrolled`]: a run of fixed length at any scalar type, so that [`hypergradient`]
//!   differentiates a whole run with respect to its hyperparameters.
//!
//! An epoch is one pass over the data: one step in full batch, `⌈n / batch⌉` steps in
//! mini-batches ([`TrainConfig::steps_per_epoch`]); schedules count steps, see [`PerEpoch`].
//!
//! ```
//! use dualgrad::objective::{Objective, Samples};
//! use dualgrad::optim::SgdConfig;
//! use dualgrad::train::{TrainConfig, train};
//! use nalgebra::SVector;
//!
//! /// Mean of ½(p − yᵢ)² over y = (1, 2, 3), with its gradient by hand: minimised at the mean, 2.
//! struct Mean;
//! impl Samples for Mean {
//!     fn len(&self) -> usize { 3 }
//! }
//! impl Objective<1> for Mean {
//!     fn loss_and_gradient(&self, p: &SVector<f64, 1>, idx: &[usize]) -> (f64, SVector<f64, 1>) {
//!         let n = idx.len() as f64;
//!         let y = |i: usize| i as f64 + 1.0;
//!         let loss = idx.iter().map(|&i| 0.5 * (p[0] - y(i)).powi(2)).sum::<f64>() / n;
//!         (loss, SVector::from([idx.iter().map(|&i| p[0] - y(i)).sum::<f64>() / n]))
//!     }
//! }
//! let mut sgd = SgdConfig::default().with_lr(0.5).build()?;
//! let config = TrainConfig::default().with_epochs(200).with_grad_tol(1e-12);
//! let report = train(&Mean, SVector::from([0.0]), &mut sgd, &config, |_| {})?;
//! assert!((report.params[0] - 2.0).abs() < 1e-12);
//! # Ok::<(), dualgrad::optim::OptimError>(())
//! ```

mod config;
mod engine;
mod hyper;
mod monitor;
mod plateau;
mod run;

pub use config::{PerEpoch, TrainConfig};
pub use hyper::{
    Hypergradient, RunSetup, UnrolledRun, hypergradient, train_unrolled, validation_after_training,
};
pub use monitor::{BestEpoch, Control, Epoch, Monitor, MonitoredReport};
pub use plateau::{EarlyStopping, PlateauMode, ReduceLrOnPlateau, ThresholdMode};
pub use run::{train, train_monitored};
