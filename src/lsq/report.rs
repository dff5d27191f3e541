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
/// assert!(!LsqStop::ZeroJacobian.converged());
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
    /// The refinement's steps contracted so fast that the next one, predicted from the last
    /// two (`step · step / previous`), is below a tenth of `xtol` relative to the scaled
    /// parameters, while the last step itself was not below `xtol` (a Newton step from a few
    /// digits: the step taken is the error it removed, the next one far smaller).
    Refined {
        /// The last step, `‖Dδ‖ / ‖Dθ‖`.
        step: f64,
        /// The next step predicted from the contraction, relative to `‖Dθ‖`.
        predicted: f64,
        /// The tolerance `xtol`.
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
    /// Every column of the Jacobian is zero at a point where the residuals are not: the model
    /// does not depend on any parameter there (it underflowed to a constant, or saturated), so
    /// the gradient is zero without the point being a solution.
    ZeroJacobian,
    /// A convergence test passed, but column `index` of the Jacobian had vanished: its norm
    /// fell below `1e-12` of the largest it had during the run. The parameter no longer moves
    /// the residuals: it is running off towards infinity (or into a region where the model
    /// saturates) along a direction in which the sum of squares keeps falling ever more
    /// slowly, so small steps and a small gradient do not mean a minimum was reached.
    Diverging {
        /// The parameter's index.
        index: usize,
        /// Its value where the run stopped.
        value: f64,
        /// Its Jacobian column's norm there, relative to the largest during the run.
        column: f64,
    },
    /// The observer asked to stop.
    ObserverStopped,
}

impl LsqStop {
    /// Whether the run converged: a convergence test passed (small reduction, step or
    /// gradient) with every Jacobian column alive, or the residuals are all zero. `false` for
    /// the iteration limit, no progress, a zero Jacobian, a diverging parameter and an
    /// observer's stop.
    ///
    /// ```
    /// use dualgrad::lsq::LsqStop;
    /// assert!(!LsqStop::NoProgress.converged());
    /// assert!(!LsqStop::Diverging { index: 1, value: 40.0, column: 1e-17 }.converged());
    /// ```
    pub fn converged(&self) -> bool {
        matches!(
            self,
            Self::SmallReduction { .. }
                | Self::SmallStep { .. }
                | Self::Refined { .. }
                | Self::SmallGradient { .. }
                | Self::ZeroResidual
        )
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
            Self::Refined {
                step,
                predicted,
                tol,
            } => write!(
                f,
                "relative step {} predicts a next step of {}, below xtol {}",
                Sci(step),
                Sci(predicted),
                Sci(tol)
            ),
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
            Self::ZeroJacobian => write!(
                f,
                "the Jacobian is zero at nonzero residuals: the model does not depend on the \
                 parameters there (underflow or saturation), not a solution"
            ),
            Self::Diverging {
                index,
                value,
                column,
            } => write!(
                f,
                "parameter {index} is diverging (value {}; its Jacobian column fell to {} of \
                 its largest norm): not a solution",
                Sci(value),
                Sci(column)
            ),
            Self::ObserverStopped => write!(f, "the observer stopped the run"),
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
    /// A starting parameter is NaN or infinite.
    NonFiniteParameter {
        /// The parameter's index.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// A residual (or a Jacobian entry) is not finite at the (finite) starting point.
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
    /// A parameter scale given by
    /// [`LevenbergMarquardt::with_x_scale`](crate::lsq::LevenbergMarquardt::with_x_scale) that
    /// is not finite and positive.
    InvalidScale {
        /// The parameter's index.
        index: usize,
        /// The scale given.
        value: f64,
    },
    /// A scale vector given by
    /// [`LevenbergMarquardt::with_x_scale`](crate::lsq::LevenbergMarquardt::with_x_scale)
    /// whose length is not the number of parameters.
    ScaleLength {
        /// Its length.
        len: usize,
        /// The number of parameters.
        params: usize,
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
            Self::NonFiniteParameter { index, value } => write!(
                f,
                "the starting point's parameter {index} is {value}: it must be finite"
            ),
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
            Self::InvalidScale { index, value } => write!(
                f,
                "invalid x_scale[{index}] = {value}: must be finite and > 0"
            ),
            Self::ScaleLength { len, params } => write!(
                f,
                "x_scale has {len} entries for {params} parameters: it needs one per parameter"
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

/// Why a report has no standard errors or covariance.
///
/// ```
/// use dualgrad::lsq::NoCovariance;
/// assert_eq!(
///     NoCovariance::RankDeficient { column: 1 }.to_string(),
///     "the Jacobian is rank deficient at the solution: column 1 is a combination of the \
///      columns before it (to rounding), so the parameters are not all identifiable"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCovariance {
    /// As many residuals as parameters: `σ̂² = RSS / (m − N)` is undefined.
    NoDegreesOfFreedom,
    /// Column `column` of the Jacobian at the solution is zero or, to rounding, a linear
    /// combination of the columns before it (`|Rₖₖ| <= max(m, 10) ε ‖Jₖ‖` in its QR).
    RankDeficient {
        /// The first dependent column.
        column: usize,
    },
}

impl fmt::Display for NoCovariance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NoDegreesOfFreedom => write!(
                f,
                "as many residuals as parameters: no degrees of freedom to estimate the variance"
            ),
            Self::RankDeficient { column } => write!(
                f,
                "the Jacobian is rank deficient at the solution: column {column} is a \
                 combination of the columns before it (to rounding), so the parameters are not \
                 all identifiable"
            ),
        }
    }
}

/// The outcome of a least-squares solve: `θ̂` minimising `½ Σ rᵢ(θ)²`.
///
/// `std_errors` and `covariance` are the usual asymptotic ones, `σ̂² (JᵀJ)⁻¹` with
/// `σ̂² = RSS / (m − N)` and `J` the Jacobian at `θ̂` (from its QR factors, never forming
/// `JᵀJ`); `None` when `m = N` or `J` is rank deficient, with the reason in `no_covariance`.
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
    /// Why `std_errors` and `covariance` are `None` (`None` when they are present).
    pub no_covariance: Option<NoCovariance>,
    /// Why the solve stopped.
    pub stop: LsqStop,
    /// Accepted steps of the main iteration (comparable with
    /// [`LsqRules::max_iterations`](crate::lsq::LsqRules::max_iterations) and with other
    /// solvers' iteration counts).
    pub iterations: usize,
    /// Undamped steps (Gauss–Newton or Newton) of the refinement after or within the main
    /// iteration (at most 50 a run), each with one Jacobian evaluation at its point. A
    /// refinement trial that raises the sum of squares is not taken but its Jacobian is counted
    /// (at most one per refinement run), so `jacobian_evaluations` is
    /// `1 + iterations + refinement_steps` or up to two more.
    pub refinement_steps: usize,
    /// Residual vectors evaluated on `f64` alone (trial points), all phases included.
    pub residual_evaluations: usize,
    /// Jacobians evaluated by forward mode, all phases included, the start's included. Each
    /// pass also yields the residuals at its point (not counted in `residual_evaluations`):
    /// the residual vector is computed `residual_evaluations + jacobian_evaluations` times.
    pub jacobian_evaluations: usize,
    /// Exact second-derivative passes `Σ rᵢ∇²rᵢ` (nested forward-mode jets over every block,
    /// each costing about `N + 1` Jacobian passes) taken by the refinement's Newton steps.
    pub hessian_evaluations: usize,
}

impl<const N: usize> fmt::Display for LsqReport<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; {}{}; RSS {}; {}, {}{}",
            self.stop,
            Count(self.iterations, "iteration"),
            if self.refinement_steps > 0 {
                format!(" + {}", Count(self.refinement_steps, "refinement step"))
            } else {
                String::new()
            },
            Sci(self.rss),
            Count(self.residual_evaluations, "residual evaluation"),
            Count(self.jacobian_evaluations, "Jacobian"),
            if self.hessian_evaluations > 0 {
                format!(", {}", Count(self.hessian_evaluations, "Hessian"))
            } else {
                String::new()
            }
        )
    }
}

/// What the observer of [`LevenbergMarquardt::solve_observed`](crate::lsq::LevenbergMarquardt::solve_observed)
/// and [`GaussNewton::solve_observed`](crate::lsq::GaussNewton::solve_observed) sees after each
/// accepted step of the main iteration.
///
/// ```
/// use dualgrad::lsq::LsqIteration;
/// use nalgebra::SVector;
/// let p = SVector::from([1.0, 2.0]);
/// let it = LsqIteration { iteration: 3, params: &p, rss: 0.5, lambda: 1e-3, gain_ratio: 0.9,
///     step_norm: 0.1, gradient: SVector::from([1e-3, -2e-3]), residual_evaluations: 4,
///     jacobian_evaluations: 4 };
/// assert_eq!(it.gradient.amax(), 2e-3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LsqIteration<'a, const N: usize> {
    /// Accepted steps so far (1 after the first).
    pub iteration: usize,
    /// The parameters after the step.
    pub params: &'a SVector<f64, N>,
    /// The residual sum of squares there.
    pub rss: f64,
    /// The damping `λ` the step was computed with (relative to `D²`; 0 for Gauss–Newton).
    pub lambda: f64,
    /// The gain ratio `ρ`: actual over predicted reduction of the sum of squares (for
    /// Gauss–Newton, of the step the line search chose).
    pub gain_ratio: f64,
    /// The scaled step length `‖Dδ‖`.
    pub step_norm: f64,
    /// The gradient `Jᵀr` of `½ Σ rᵢ²` at the new parameters.
    pub gradient: SVector<f64, N>,
    /// Residual evaluations so far (trial points).
    pub residual_evaluations: usize,
    /// Jacobian evaluations so far (the start's included).
    pub jacobian_evaluations: usize,
}
