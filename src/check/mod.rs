//! Checking hand-derived gradients, Jacobians and Hessians against the exact ones (the
//! overview is in the documentation of [`Checker`]).

mod assert;
mod checker;
mod error;
mod fd;
mod noise;
mod random;
mod report;
mod tolerances;

pub use assert::CheckOutcome;
pub use checker::{
    Checker, check_gradient, check_gradient_fd, check_hessian, check_jacobian, matrix_from_rows,
};
pub use error::CheckError;
pub use fd::{
    central_derivative, central_gradient, central_jacobian, ridders_derivative, ridders_gradient,
    ridders_jacobian,
};
pub use random::{FailingPoint, RandomCheck, RandomPass};
pub use report::{CheckKind, CheckReference, CheckReport, Entry, Row, Verdict};
pub use tolerances::{Tolerances, relative_error};
