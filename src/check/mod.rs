//! Checking hand-derived derivatives against the exact ones.
//!
//! You derived a gradient, Jacobian or Hessian by hand (a backward pass, a physics Jacobian) and
//! want to know, component by component, whether it is right. Write the function once over
//! [`Scalar`](crate::Scalar) as a [`ScalarFn`](crate::ScalarFn) or
//! [`VectorFn`](crate::VectorFn), and the derivative by hand on `f64`; the exact derivative
//! (forward-mode AD) is the reference, so a right formula matches to rounding and a wrong
//! component stands out by orders of magnitude.
//!
//! | what | at one point | at random points |
//! |---|---|---|
//! | gradient | [`check_gradient`], [`assert_gradient!`](crate::assert_gradient) | [`RandomCheck::gradient`] |
//! | Jacobian | [`check_jacobian`], [`assert_jacobian!`](crate::assert_jacobian) | [`RandomCheck::jacobian`] |
//! | Hessian | [`check_hessian`], [`assert_hessian!`](crate::assert_hessian) | [`RandomCheck::hessian`] |
//! | a black-box `f64` function | [`check_gradient_fd`] (Ridders' finite differences) | |
//!
//! [`Checker`] carries component names (`W1[2,0]` instead of `x[4]`) and [`Tolerances`]; a
//! check returns a [`CheckReport`] with one [`Row`] per component and a [`Verdict`].
//! Finite differences on their own (central and Ridders', with error estimates) are in the `central_*` and `ridders_*` functions.
//!
//! ```
//! use dualgrad::{Scalar, ScalarFn};
//! use dualgrad::check::check_gradient;
//! use nalgebra::SVector;
//!
//! struct F; // f(x, y) = x² y
//! impl ScalarFn<2> for F {
//!     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
//!         x[0] * x[0] * x[1]
//!     }
//! }
//! // ∂f/∂x = 2xy, ∂f/∂y = x²; a hand formula that lost the 2:
//! let wrong = |x: &SVector<f64, 2>| SVector::from([x[0] * x[1], x[0] * x[0]]);
//! let report = check_gradient(&F, &SVector::from([1.5, -2.0]), wrong);
//! assert_eq!(report.wrong_count(), 1); // only ∂f/∂x
//! ```

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
