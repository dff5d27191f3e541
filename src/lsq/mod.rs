//! Nonlinear least squares: minimise `½ Σ rᵢ(θ)²` by [`LevenbergMarquardt`] or [`GaussNewton`],
//! with the Jacobian exact from forward mode, built row by row (Ceres style) from residual
//! blocks written once over [`Scalar`](crate::Scalar).
//!
//! | piece | items |
//! |---|---|
//! | residuals | [`Residuals`] (blocks), [`VectorResiduals`] (a [`VectorFn`](crate::VectorFn)), [`DataResiduals`] + [`ObservationResidual`] (one block per row of a [`Dataset`](crate::data::Dataset)) |
//! | solvers | [`LevenbergMarquardt`] (with [`Damping`], [`Scaling`]), [`GaussNewton`], stopping rules [`LsqRules`] |
//! | outcome | [`LsqReport`] (parameters, RSS, standard errors or [`NoCovariance`], stop reason, counts), [`LsqStop`], [`LsqError`] |
//! | watching a run | [`LsqIteration`] (what an observer sees after each accepted step) |
//! | exact derivatives for other solvers | [`residuals_into`], [`jacobian_into`] (no allocation), [`residual_vector`], [`jacobian_matrix`] |

mod qr;
mod report;
mod residuals;
mod solver;
mod sparse;

pub use report::{LsqError, LsqIteration, LsqReport, LsqStop, NoCovariance};
pub use residuals::{
    DataResiduals, ObservationResidual, Residuals, VectorResiduals, jacobian_into, jacobian_matrix,
    residual_vector, residuals_into,
};
pub use solver::{Damping, GaussNewton, LevenbergMarquardt, LsqRules, Scaling};
pub use sparse::{SparseLevenbergMarquardt, SparseLsqReport};
