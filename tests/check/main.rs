//! The gradient checker: finite differences and Ridders' method, the report and its verdicts,
//! property checks at random points, the seed articles' wrong gradients, black-box checks at
//! rounding noise and on oscillatory functions, and every function of `argmin_testfunctions`
//! against its hand-derived gradient and Hessian.

#[path = "../support/common.rs"]
mod common;

mod argmin_support;
mod check_models;

mod argmin_testfunctions;
mod bad_input_blackbox;
mod bad_input_check;
mod check_fd;
mod check_property;
mod check_report;
mod check_seeds;
