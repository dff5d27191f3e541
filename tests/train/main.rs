//! Training: the loop and the minimiser's shared rules, schedules in epochs, validation, early
//! stopping and `ReduceLROnPlateau`, bad inputs, and hypergradients (the derivative of a whole
//! training run with respect to its hyperparameters).

#[path = "../support/common.rs"]
mod common;
#[path = "../support/hypergradient_runs.rs"]
mod hypergradient_runs;

mod bad_input_train;
mod hypergradient;
mod train_epochs;
mod train_loop;
mod train_monitor;
