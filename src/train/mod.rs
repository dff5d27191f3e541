//! Running the optimizers: the training loop for models and data sets ([`train`], configured
//! by [`TrainConfig`], over any [`Objective`](crate::optim::Objective)) and the minimiser for plain functions
//! ([`minimize`], with any [`Method`]). Both keep the best parameters, stop by the shared
//! [`StopRules`] and say why ([`StopReason`]), call an observer with the [`Progress`] of each
//! iteration, and return a [`Report`] with the [`Evaluations`] spent.
//!
//! [`train_monitored`] adds a validation objective evaluated every epoch, early stopping that
//! hands back the parameters best on validation ([`EarlyStopping`]), PyTorch's
//! [`ReduceLrOnPlateau`], and an observer that sees the learning rate and can stop the run
//! ([`Control`]). [`hypergradient`] differentiates a whole fixed-length run
//! ([`train_unrolled`]) with respect to its hyperparameters.
//!
//! An epoch is one pass over the data: one step in full batch, `⌈n / batch⌉` steps in
//! mini-batches ([`TrainConfig::steps_per_epoch`]); schedules count steps, see
//! [`PerEpoch`].
//!
//! ```
//! use dualgrad::optim::SgdConfig;
//! use dualgrad::optim::Objective;
//! use dualgrad::train::{TrainConfig, train};
//! use nalgebra::SVector;
//!
//! /// Mean of ½(p − yᵢ)² over y = (1, 2, 3): minimised at the mean, 2.
//! struct Mean;
//! impl Objective<1> for Mean {
//!     fn len(&self) -> usize { 3 }
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

mod epochs;
mod hyper;
mod method;
mod minimize;
mod monitor;
mod plateau;
mod report;
mod stop;
mod train_loop;

pub use epochs::PerEpoch;
pub(crate) use hyper::loss_and_gradient_at;
pub use hyper::{
    Hypergradient, RunSetup, UnrolledRun, hypergradient, train_unrolled, validation_after_training,
};
pub use method::{Method, Point};
pub use minimize::minimize;
pub use monitor::{BestEpoch, Control, Epoch, Monitor, MonitoredReport, train_monitored};
pub use plateau::{EarlyStopping, PlateauMode, ReduceLrOnPlateau, ThresholdMode};
pub use report::{Evaluations, Progress, Report};
pub(crate) use stop::{Count, Sci};
pub use stop::{StopReason, StopRules};
pub use train_loop::{TrainConfig, train};
