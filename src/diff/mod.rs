//! Derivatives of generic functions on statically sized `nalgebra` types.
//!
//! Every entry point evaluates the function once (or once per chunk) on dual numbers and returns
//! the value together with its derivatives, with no heap allocation:
//!
//! | what | closure form | trait form |
//! |---|---|---|
//! | `f: R → R`, first and second derivative | [`derivative`], [`second_derivative`] | |
//! | gradient of `f: Rᴺ → R` | [`gradient`] | [`ScalarFn::gradient`] |
//! | gradient in chunks of `C` tangents | [`gradient_chunked`] | [`ScalarFn::gradient_chunked`] |
//! | Hessian of `f: Rᴺ → R` | [`hessian`] | [`ScalarFn::hessian`] |
//! | directional derivative `∇f(x)·v` | [`directional_derivative`] | [`ScalarFn::directional_derivative`] |
//! | Jacobian of `f: Rᴺ → Rᴹ` | [`jacobian`] | [`VectorFn::jacobian`] |
//! | Jacobian-vector product `J(x) v` | [`jvp`] | [`VectorFn::jvp`] |
//!
//! Closures are the easy path when the function is needed at one scalar type. A function that
//! must run at several types (the gradient checker evaluates it on `f64` and on duals, the
//! optimizers ask for gradients and Hessians) implements [`ScalarFn`] or [`VectorFn`] once.
//!
//! All entry points are generic over the scalar `T` of the input, so they nest: a gradient can be
//! taken inside a function that is itself being differentiated.

mod custom;
mod derivative;
mod functions;
mod gradient;
mod hessian;
mod implicit;
mod jacobian;

pub use custom::{MAX_RULE_ORDER, Rule, apply_rule, erf, erf_rule, erfc};
pub use derivative::{derivative, second_derivative};
pub use functions::{ScalarFn, VectorFn};
pub use gradient::{Chunk, gradient, gradient_chunked};
pub use hessian::hessian;
pub use implicit::{
    ImplicitError, ParamObjective, Residual, implicit_minimizer, implicit_solution,
};
pub use jacobian::{directional_derivative, jacobian, jvp};

use crate::{Jet, Scalar};
use nalgebra::SVector;

/// Seed `x` as `N` independent variables: `x[i]` gets derivative 1 in direction `i`.
#[inline]
fn seed<T: Scalar, const N: usize>(x: &SVector<T, N>) -> SVector<Jet<T, N>, N> {
    SVector::from_fn(|i, _| Jet::variable(x[i], i))
}
