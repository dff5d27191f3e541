//! Stopping rules shared by the minimiser and the training loop, and the reason a run stopped.

use super::error::OptimError;
use super::validate::check_non_negative;
use crate::numfmt::{Count, Sci};
use std::fmt;

/// Why a [`minimize`](crate::optim::minimize) or [`train`](crate::train::train) run stopped.
///
/// ```
/// use dualgrad::optim::StopReason;
/// let why = StopReason::GradientTolerance { norm: 2.5e-11, tol: 1e-10 };
/// assert_eq!(why.to_string(), "gradient norm 2.5e-11 is below the tolerance 1e-10");
/// assert!(why.converged());
/// assert!(!StopReason::Diverged { loss: f64::INFINITY, grad_norm: f64::NAN }.converged());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StopReason {
    /// The maximum number of iterations (epochs, for training) was reached.
    MaxIterations(usize),
    /// The loss fell to the target or below.
    TargetLoss {
        /// The loss reached.
        loss: f64,
        /// The target.
        target: f64,
    },
    /// The gradient norm fell to the tolerance or below.
    GradientTolerance {
        /// The gradient's Euclidean norm.
        norm: f64,
        /// The tolerance.
        tol: f64,
    },
    /// The loss changed by a relative amount `|Δf| / max(|f_prev|, |f|)` at most the tolerance.
    RelativeChange {
        /// The relative change.
        change: f64,
        /// The tolerance.
        tol: f64,
    },
    /// The loss or the gradient became non-finite (NaN or infinite); the run stopped at once and
    /// kept the last parameters at which both were finite.
    Diverged {
        /// The offending loss.
        loss: f64,
        /// The offending gradient's norm.
        grad_norm: f64,
    },
    /// The line search found no step that lowers the loss along the search direction (no trial
    /// met its acceptance condition, and none was lower than the start): typically rounding at
    /// the optimum, or a direction spoiled by a kink or a non-finite region. A strong Wolfe
    /// search that found a lower point without meeting the curvature condition moves there
    /// instead of stopping.
    LineSearchFailed,
    /// Early stopping: the monitored loss did not improve for `patience` epochs; the report's
    /// parameters are those of `best_epoch`.
    EarlyStopped {
        /// The epoch with the lowest monitored loss.
        best_epoch: usize,
        /// That loss.
        best_loss: f64,
    },
    /// The observer asked to stop ([`Control::Stop`](crate::train::Control::Stop)).
    ObserverStopped,
    /// [`train_monitored`](crate::train::train_monitored): the validation loss became NaN or
    /// infinite while the training loss stayed finite. The run stops at once (early stopping and
    /// the plateau rule cannot judge a non-finite loss); the report's parameters are those of
    /// the last epoch whose validation loss was finite (the starting parameters if there was
    /// none). Not [`converged`](StopReason::converged).
    ValidationNotFinite {
        /// The epoch (0 for the start) whose validation loss was not finite.
        epoch: usize,
        /// That loss.
        loss: f64,
    },
    /// The gradient norm fell below the tolerance at a point that is not a minimum: the exact
    /// Hessian there has a negative eigenvalue (a saddle point or a maximum). Reported by
    /// every method [`minimize`](crate::optim::minimize) runs ([`Newton`](crate::optim::Newton),
    /// [`NewtonCg`](crate::optim::NewtonCg), [`Lbfgs`](crate::optim::Lbfgs), the first-order
    /// optimizers); not [`converged`](StopReason::converged).
    SaddlePoint {
        /// The gradient's Euclidean norm.
        norm: f64,
        /// The smallest eigenvalue of the Hessian (negative).
        min_eigenvalue: f64,
    },
}

impl StopReason {
    /// Whether the run stopped because a convergence test passed (target loss, gradient
    /// tolerance, relative change, or early stopping on the monitored loss).
    ///
    /// ```
    /// use dualgrad::optim::StopReason;
    /// assert!(!StopReason::MaxIterations(100).converged());
    /// ```
    pub fn converged(&self) -> bool {
        matches!(
            self,
            Self::TargetLoss { .. }
                | Self::GradientTolerance { .. }
                | Self::RelativeChange { .. }
                | Self::EarlyStopped { .. }
        )
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::MaxIterations(n) => {
                write!(f, "reached the maximum of {}", Count(n, "iteration"))
            }
            Self::TargetLoss { loss, target } => {
                write!(f, "loss {} reached the target {}", Sci(loss), Sci(target))
            }
            Self::GradientTolerance { norm, tol } => write!(
                f,
                "gradient norm {} is below the tolerance {}",
                Sci(norm),
                Sci(tol)
            ),
            Self::RelativeChange { change, tol } => write!(
                f,
                "relative loss change {} is below the tolerance {}",
                Sci(change),
                Sci(tol)
            ),
            Self::Diverged { loss, grad_norm } => write!(
                f,
                "diverged: loss {}, gradient norm {} (not finite)",
                Sci(loss),
                Sci(grad_norm)
            ),
            Self::LineSearchFailed => write!(
                f,
                "the line search found no step that lowers the loss enough along the search direction (not even after restarting from steepest descent): a kink or rounding noise at this point"
            ),
            Self::EarlyStopped {
                best_epoch,
                best_loss,
            } => write!(
                f,
                "stopped early: the monitored loss was lowest ({}) at epoch {best_epoch}",
                Sci(best_loss)
            ),
            Self::ObserverStopped => write!(f, "the observer stopped the run"),
            Self::ValidationNotFinite { epoch, loss } => write!(
                f,
                "the validation loss is {} at epoch {epoch} (not finite, the training loss is finite): stopped",
                Sci(loss)
            ),
            Self::SaddlePoint {
                norm,
                min_eigenvalue,
            } => write!(
                f,
                "stationary point that is not a minimum: gradient norm {}, but the Hessian has the negative eigenvalue {}",
                Sci(norm),
                Sci(min_eigenvalue)
            ),
        }
    }
}

/// When to stop: a maximum number of iterations (epochs, for training), and optional tests on
/// the loss, the gradient norm and the relative loss change. A non-finite loss or gradient always
/// stops the run ([`StopReason::Diverged`]).
///
/// Default: at most 1000 iterations, gradient-norm tolerance `1e-8`, no target loss, no
/// relative-change test. The tests are checked in the order divergence, target loss, gradient
/// norm, relative change, after every evaluation of the full loss (including the first, so a
/// starting point that already passes stops after 0 iterations).
///
/// ```
/// use dualgrad::optim::StopRules;
/// let rules = StopRules::default().with_max_iterations(50).with_target_loss(1e-6).with_rel_tol(1e-9);
/// assert_eq!(rules.max_iterations(), 50);
/// assert!(StopRules::default().with_grad_tol(-1.0).validate().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopRules {
    max_iterations: usize,
    target_loss: Option<f64>,
    grad_tol: Option<f64>,
    rel_tol: Option<f64>,
}

impl Default for StopRules {
    fn default() -> Self {
        Self {
            max_iterations: 1000,
            target_loss: None,
            grad_tol: Some(1e-8),
            rel_tol: None,
        }
    }
}

impl StopRules {
    /// The maximum number of iterations (epochs, for training); 0 only evaluates the start.
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert_eq!(StopRules::default().with_max_iterations(7).max_iterations(), 7);
    /// ```
    pub fn with_max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Stop once the loss is at most `target` (finite).
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert!(StopRules::default().with_target_loss(f64::NAN).validate().is_err());
    /// ```
    pub fn with_target_loss(mut self, target: f64) -> Self {
        self.target_loss = Some(target);
        self
    }

    /// Stop once the gradient's Euclidean norm is at most `tol` (finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert!(StopRules::default().with_grad_tol(1e-12).validate().is_ok());
    /// ```
    pub fn with_grad_tol(mut self, tol: f64) -> Self {
        self.grad_tol = Some(tol);
        self
    }

    /// No gradient-norm test.
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert_eq!(StopRules::default().without_grad_tol().grad_tol(), None);
    /// ```
    pub fn without_grad_tol(mut self) -> Self {
        self.grad_tol = None;
        self
    }

    /// Stop once `|f_prev − f| <= tol · max(|f_prev|, |f|)` between consecutive iterations
    /// (`tol` finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert_eq!(StopRules::default().with_rel_tol(1e-9).rel_tol(), Some(1e-9));
    /// ```
    pub fn with_rel_tol(mut self, tol: f64) -> Self {
        self.rel_tol = Some(tol);
        self
    }

    /// The maximum number of iterations.
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert_eq!(StopRules::default().max_iterations(), 1000);
    /// ```
    pub fn max_iterations(&self) -> usize {
        self.max_iterations
    }

    /// The target loss, if any.
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert_eq!(StopRules::default().target_loss(), None);
    /// ```
    pub fn target_loss(&self) -> Option<f64> {
        self.target_loss
    }

    /// The gradient-norm tolerance, if any.
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert_eq!(StopRules::default().grad_tol(), Some(1e-8));
    /// ```
    pub fn grad_tol(&self) -> Option<f64> {
        self.grad_tol
    }

    /// The relative-change tolerance, if any.
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// assert_eq!(StopRules::default().rel_tol(), None);
    /// ```
    pub fn rel_tol(&self) -> Option<f64> {
        self.rel_tol
    }

    /// Check the settings (done by [`minimize`](crate::optim::minimize) and [`train`](crate::train::train)).
    ///
    /// ```
    /// # use dualgrad::optim::StopRules;
    /// let err = StopRules::default().with_rel_tol(f64::INFINITY).validate().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid rel_tol = inf: must be finite and >= 0");
    /// ```
    pub fn validate(&self) -> Result<(), OptimError> {
        if let Some(t) = self.target_loss
            && !t.is_finite()
        {
            return Err(OptimError::InvalidValue {
                name: "target_loss",
                value: t,
                expected: "finite",
            });
        }
        if let Some(t) = self.grad_tol {
            check_non_negative("grad_tol", t)?;
        }
        if let Some(t) = self.rel_tol {
            check_non_negative("rel_tol", t)?;
        }
        Ok(())
    }

    /// The first rule that fires for a full evaluation with this loss and gradient norm, given
    /// the previous full loss.
    pub(crate) fn check(&self, loss: f64, grad_norm: f64, prev: Option<f64>) -> Option<StopReason> {
        if !loss.is_finite() || !grad_norm.is_finite() {
            return Some(StopReason::Diverged { loss, grad_norm });
        }
        if let Some(target) = self.target_loss
            && loss <= target
        {
            return Some(StopReason::TargetLoss { loss, target });
        }
        if let Some(tol) = self.grad_tol
            && grad_norm <= tol
        {
            return Some(StopReason::GradientTolerance {
                norm: grad_norm,
                tol,
            });
        }
        if let (Some(tol), Some(prev)) = (self.rel_tol, prev) {
            let scale = prev.abs().max(loss.abs());
            let diff = (prev - loss).abs();
            if diff <= tol * scale {
                let change = if scale > 0.0 { diff / scale } else { 0.0 };
                return Some(StopReason::RelativeChange { change, tol });
            }
        }
        None
    }
}
