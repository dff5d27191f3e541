//! Nonlinear least squares: minimise `½ Σ rᵢ(θ)²` by [`LevenbergMarquardt`] or [`GaussNewton`],
//! with the Jacobian exact from forward mode, built row by row (Ceres style) from residual
//! blocks written once over [`Scalar`](crate::Scalar).
//!
//! | piece | items |
//! |---|---|
//! | residuals | [`Residuals`] (blocks), [`VectorResiduals`] (a [`VectorFn`](crate::VectorFn)), [`DataResiduals`] + [`ObservationResidual`] (one block per row of a [`Dataset`](crate::data::Dataset)) |
//! | solvers | [`LevenbergMarquardt`], [`GaussNewton`], stopping rules [`LsqRules`] |
//! | outcome | [`LsqReport`] (parameters, RSS, standard errors, stop reason, counts), [`LsqStop`], [`LsqError`] |

mod qr;
mod report;
mod residuals;
mod solver;
mod sparse;

pub use report::{LsqError, LsqReport, LsqStop};
pub use residuals::{DataResiduals, ObservationResidual, Residuals, VectorResiduals};
pub use solver::{GaussNewton, LevenbergMarquardt, LsqRules};
pub use sparse::{SparseLevenbergMarquardt, SparseLsqReport};
