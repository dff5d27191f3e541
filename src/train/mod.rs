//! Running the optimizers: the minimiser for plain functions ([`minimize`]) and the training
//! loop for models and data sets ([`train`]), with the stopping rules, report and observer hook
//! they share.

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
