//! dualgrad
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod check;
mod diff;
mod functions;
mod jet;
mod objective;
mod scalar;

pub use check::{
    CheckError, CheckOutcome, Checker, Entry, FailingPoint, Kind, RandomCheck, RandomPass,
    Reference, Report, Row, Tolerances, Verdict, central_derivative, central_gradient,
    central_jacobian, check_gradient, check_gradient_fd, check_hessian, check_jacobian,
    relative_error, ridders_derivative, ridders_gradient, ridders_jacobian,
};
pub use diff::{
    Chunk, ScalarFn, VectorFn, derivative, directional_derivative, gradient, gradient_chunked,
    hessian, jacobian, jvp, second_derivative,
};
pub use functions::{
    bce_with_logits, log_sum_exp, relu, sigmoid, softmax, softmax_cross_entropy, softplus,
};
pub use jet::Jet;
pub use objective::Objective;
pub use scalar::Scalar;
pub use {nalgebra, num_dual};

/// The names most code needs: `use dualgrad::prelude::*;`.
///
/// Besides the crate's own items it brings `num-dual`'s [`DualNum`](num_dual::DualNum) into
/// scope, whose methods (`sqrt`, `exp`, `powi`, ...) closures call on concrete dual types.
pub mod prelude {
    #[doc(no_inline)]
    pub use crate::{
        Checker, Tolerances, assert_check, assert_gradient, assert_hessian, assert_jacobian,
        check_gradient, check_hessian, check_jacobian,
    };
    #[doc(no_inline)]
    pub use crate::{
        Chunk, Jet, Objective, Scalar, ScalarFn, VectorFn, bce_with_logits, derivative,
        directional_derivative, gradient, gradient_chunked, hessian, jacobian, jvp, log_sum_exp,
        relu, second_derivative, sigmoid, softmax, softmax_cross_entropy, softplus,
    };
    #[doc(no_inline)]
    pub use num_dual::DualNum;
}
