//! What a least-squares solve returns, why it stopped, and the errors a user can cause.

use crate::numfmt::{Count, Sci};
use nalgebra::{SMatrix, SVector};
use std::fmt;

/// Why a least-squares solve stopped.
///
/// ```
/// use dualgrad::lsq::LsqStop;
/// assert!(LsqStop::SmallStep { step: 1e-14, tol: 1e-12 }.converged());
/// assert!(!LsqStop::MaxIterations(100).converged());
/// assert_eq!(LsqStop::ZeroResidual.to_string(), "the residuals are all zero");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LsqStop {
    /// The actual and predicted relative reductions of the residual sum of squares were both at
    /// most `ftol`.
    SmallReduction {
        /// The actual relative reduction of the last step.
        reduction: f64,
        /// The tolerance.
        tol: f64,
    },
    /// The scaled step was at most `xtol` relative to the scaled parameters.
    SmallStep {
        /// `‖Dδ‖ / ‖Dθ‖`.
        step: f64,
        /// The tolerance.
        tol: f64,
    },
    /// The largest cosine between the residual vector and a Jacobian column was at most `gtol`.
    SmallGradient {
        /// The largest `|Jₖᵀr| / (‖Jₖ‖ ‖r‖)`.
        cosine: f64,
        /// The tolerance.
        tol: f64,
    },
    /// Every residual is exactly zero.
    ZeroResidual,
    /// The iteration limit was reached.
    MaxIterations(usize),
    /// No step reduced the sum of squares (the damping or the step shrank to its limit).
    NoProgress,
}

impl LsqStop {
    /// Whether a convergence test passed.
    ///
    /// ```
    /// assert!(!dualgrad::lsq::LsqStop::NoProgress.converged());
    /// ```
    pub fn converged(&self) -> bool {
        !matches!(self, Self::MaxIterations(_) | Self::NoProgress)
    }
}

impl fmt::Display for LsqStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::SmallReduction { reduction, tol } => write!(
                f,
                "relative reduction {} is below ftol {}",
                Sci(reduction),
                Sci(tol)
            ),
            Self::SmallStep { step, tol } => {
                write!(f, "relative step {} is below xtol {}", Sci(step), Sci(tol))
            }
            Self::SmallGradient { cosine, tol } => {
                write!(
                    f,
                    "gradient cosine {} is below gtol {}",
                    Sci(cosine),
                    Sci(tol)
                )
            }
            Self::ZeroResidual => write!(f, "the residuals are all zero"),
            Self::MaxIterations(n) => write!(f, "reached the maximum of {}", Count(n, "iteration")),
            Self::NoProgress => write!(f, "no step reduced the sum of squares"),
        }
    }
}

/// A least-squares problem or setting that cannot be solved as given.
///
/// ```
/// use dualgrad::lsq::LsqError;
/// let e = LsqError::TooFewResiduals { residuals: 1, params: 2 };
/// assert_eq!(e.to_string(), "1 residuals cannot determine 2 parameters");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LsqError {
    /// Fewer residuals than parameters.
    TooFewResiduals {
        /// The number of residuals.
        residuals: usize,
        /// The number of parameters.
        params: usize,
    },
    /// A residual (or a Jacobian entry) is not finite at the starting point.
    NonFiniteStart {
        /// The index of the first non-finite residual row.
        row: usize,
    },
    /// The residuals are finite at the starting point but their sum of squares overflows
    /// (residuals beyond about `1e154`): rescale the problem.
    Overflow {
        /// The largest residual magnitude.
        largest: f64,
    },
    /// A bound is NaN, or a lower bound exceeds its upper bound.
    InvalidBounds {
        /// The parameter's index.
        index: usize,
        /// Its lower bound.
        lower: f64,
        /// Its upper bound.
        upper: f64,
    },
    /// A tolerance or setting out of range.
    InvalidValue {
        /// The setting's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must be.
        expected: &'static str,
    },
}

impl fmt::Display for LsqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::TooFewResiduals { residuals, params } => {
                write!(
                    f,
                    "{residuals} residuals cannot determine {params} parameters"
                )
            }
            Self::NonFiniteStart { row } => write!(
                f,
                "residual row {row} or its Jacobian row is not finite at the starting point"
            ),
            Self::Overflow { largest } => write!(
                f,
                "the sum of squares overflows at the starting point (largest residual {largest:e}): rescale the problem"
            ),
            Self::InvalidBounds {
                index,
                lower,
                upper,
            } => write!(
                f,
                "invalid bounds for parameter {index}: lower {lower} > upper {upper} or NaN"
            ),
            Self::InvalidValue {
                name,
                value,
                expected,
            } => write!(f, "invalid {name} = {value}: must be {expected}"),
        }
    }
}

impl std::error::Error for LsqError {}

/// The outcome of a least-squares solve: `θ̂` minimising `½ Σ rᵢ(θ)²`.
///
/// `std_errors` and `covariance` are the usual asymptotic ones, `σ̂² (JᵀJ)⁻¹` with
/// `σ̂² = RSS / (m − N)` and `J` the Jacobian at `θ̂` (from its QR factors, never forming
/// `JᵀJ`); `None` when `m = N` or `J` is rank deficient.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::{LevenbergMarquardt, Residuals};
/// use nalgebra::SVector;
/// /// A constant θ through 1, 2, 3, 6: θ̂ = 3, RSS = 4 + 1 + 0 + 9 = 14,
/// /// σ̂² = 14/3, (JᵀJ)⁻¹ = 1/4, standard error sqrt(14/12).
/// struct Mean;
/// impl Residuals<1, 1> for Mean {
///     fn blocks(&self) -> usize { 4 }
///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 1>) -> SVector<T, 1> {
///         SVector::from([p[0] - [1.0, 2.0, 3.0, 6.0][i]])
///     }
/// }
/// let fit = LevenbergMarquardt::default().solve(&Mean, SVector::from([0.0])).unwrap();
/// assert!((fit.params[0] - 3.0).abs() < 1e-12);
/// assert!((fit.rss - 14.0).abs() < 1e-12);
/// assert!((fit.std_errors.unwrap()[0] - (14.0_f64 / 12.0).sqrt()).abs() < 1e-12);
/// assert_eq!(fit.dof, 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LsqReport<const N: usize> {
    /// The fitted parameters `θ̂`.
    pub params: SVector<f64, N>,
    /// The residual sum of squares `Σ rᵢ(θ̂)²`.
    pub rss: f64,
    /// Degrees of freedom `m − N`.
    pub dof: usize,
    /// Standard errors `sqrt(diag(σ̂² (JᵀJ)⁻¹))`.
    pub std_errors: Option<SVector<f64, N>>,
    /// The covariance estimate `σ̂² (JᵀJ)⁻¹`.
    pub covariance: Option<SMatrix<f64, N, N>>,
    /// Why the solve stopped.
    pub stop: LsqStop,
    /// Accepted steps.
    pub iterations: usize,
    /// Residual vectors evaluated on `f64` (trial points).
    pub residual_evaluations: usize,
    /// Jacobians evaluated (each with its residuals, by forward mode).
    pub jacobian_evaluations: usize,
}

impl<const N: usize> fmt::Display for LsqReport<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; {}; RSS {}; {}, {}",
            self.stop,
            Count(self.iterations, "iteration"),
            Sci(self.rss),
            Count(self.residual_evaluations, "residual evaluation"),
            Count(self.jacobian_evaluations, "Jacobian")
        )
    }
}
