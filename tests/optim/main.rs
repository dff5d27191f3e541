//! Optimizers: every first-order optimizer against reference trajectories (PyTorch's and optax's
//! published rules, `tests/reference/`), convergence of the first- and second-order methods,
//! schedules, the strong Wolfe line search, and property tests.

#[path = "../support/common.rs"]
mod common;

mod bad_input_optim;
mod one_path;
mod optim_amsgrad;
mod optim_convergence;
mod optim_properties;
mod optim_reference;
mod optim_schedules;
mod optim_wolfe;
mod sparse_newton;
