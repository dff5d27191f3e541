//! Running the optimizers: the minimiser for plain functions ([`minimize`]) and the training
//! loop for models and data sets ([`train`]), with the stopping rules, report and observer hook
//! they share.

mod epochs;
mod method;
mod minimize;
mod report;
mod stop;
mod train_loop;

pub use epochs::PerEpoch;
pub use method::{Method, Point};
pub use minimize::minimize;
pub use report::{Evaluations, Progress, Report};
pub use stop::{StopReason, StopRules};
pub use train_loop::{TrainConfig, train};
