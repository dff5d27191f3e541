//! What a run returns (the report), what the observer sees (progress), and the bookkeeping they
//! share.

use super::stop::{StopReason, StopRules};
use crate::numfmt::{Count, Sci};
use nalgebra::SVector;
use std::fmt;

/// How many times the loss, its gradient and its Hessian were computed.
///
/// A gradient comes with the value (forward mode computes both in one pass) and a Hessian with
/// both, so `function >= gradient >= hessian`: `function` counts every value computed,
/// `gradient` every gradient, `hessian` every Hessian. For training, one call of
/// [`Objective::loss_and_gradient`](crate::objective::Objective::loss_and_gradient) (on a mini-batch or
/// on all samples) counts as one of each of the first two.
///
/// ```
/// use dualgrad::optim::Evaluations;
/// let e = Evaluations::default();
/// assert_eq!((e.function, e.gradient, e.hessian), (0, 0, 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evaluations {
    /// Values of the loss computed (including those computed with a gradient or a Hessian).
    pub function: usize,
    /// Gradients computed (including those computed with a Hessian).
    pub gradient: usize,
    /// Hessians computed.
    pub hessian: usize,
}

impl Evaluations {
    /// Count one value-and-gradient evaluation.
    ///
    /// ```
    /// # use dualgrad::optim::Evaluations;
    /// let mut e = Evaluations::default();
    /// e.add_gradient();
    /// assert_eq!((e.function, e.gradient, e.hessian), (1, 1, 0));
    /// ```
    pub fn add_gradient(&mut self) {
        self.function += 1;
        self.gradient += 1;
    }

    /// Count one value-gradient-and-Hessian evaluation.
    ///
    /// ```
    /// # use dualgrad::optim::Evaluations;
    /// let mut e = Evaluations::default();
    /// e.add_hessian();
    /// assert_eq!((e.function, e.gradient, e.hessian), (1, 1, 1));
    /// ```
    pub fn add_hessian(&mut self) {
        self.function += 1;
        self.gradient += 1;
        self.hessian += 1;
    }
}

/// What the observer sees after each iteration (each epoch, for training), and once after the
/// starting point is evaluated (`iteration == 0`).
///
/// ```
/// use dualgrad::optim::{Evaluations, Progress};
/// use nalgebra::SVector;
/// let x = SVector::from([1.0]);
/// let p = Progress { iteration: 3, loss: 0.5, grad_norm: 1.0, best_loss: 0.5, params: &x, evals: Evaluations::default() };
/// assert_eq!(p.to_string(), "iteration 3: loss 5e-1, gradient norm 1e0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress<'a, const N: usize> {
    /// Iterations (epochs) completed; 0 for the starting point.
    pub iteration: usize,
    /// The loss at `params` (on all samples, for training).
    pub loss: f64,
    /// The Euclidean norm of the gradient at `params`.
    pub grad_norm: f64,
    /// The lowest finite loss so far.
    pub best_loss: f64,
    /// The current parameters.
    pub params: &'a SVector<f64, N>,
    /// Evaluations so far.
    pub evals: Evaluations,
}

impl<const N: usize> fmt::Display for Progress<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "iteration {}: loss {}, gradient norm {}",
            self.iteration,
            Sci(self.loss),
            Sci(self.grad_norm)
        )
    }
}

/// The outcome of [`minimize`](crate::optim::minimize) or [`train`](crate::train::train).
///
/// ```
/// use dualgrad::optim::{Evaluations, Report, StopReason};
/// use nalgebra::SVector;
/// let r = Report {
///     stop: StopReason::MaxIterations(2),
///     params: SVector::from([0.5]),
///     best_params: SVector::from([0.5]),
///     best_loss: 0.25,
///     history: vec![1.0, 0.5, 0.25],
///     iterations: 2,
///     steps: 2,
///     evals: Evaluations { function: 3, gradient: 3, hessian: 0 },
/// };
/// assert_eq!(r.final_loss(), Some(0.25));
/// assert_eq!(
///     r.to_string(),
///     "reached the maximum of 2 iterations; 2 iterations, 2 steps; \
///      loss 2.5e-1, best 2.5e-1; 3 values, 3 gradients, 0 Hessians"
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Report<const N: usize> {
    /// Why the run stopped.
    pub stop: StopReason,
    /// The final parameters. On divergence, the last parameters at which the loss and gradient
    /// were finite (never the non-finite ones).
    pub params: SVector<f64, N>,
    /// The parameters with the lowest finite loss in `history` (the start if none was finite).
    pub best_params: SVector<f64, N>,
    /// The lowest finite loss in `history` (`+inf` if none was finite).
    pub best_loss: f64,
    /// The loss at the start and after each iteration (epoch): `history[k]` is the loss after
    /// `k` iterations, on all samples for training. A diverged run ends with the non-finite loss.
    pub history: Vec<f64>,
    /// Iterations (epochs, for training) completed.
    pub iterations: usize,
    /// Parameter updates made (equal to `iterations` for [`minimize`](crate::optim::minimize); the
    /// number of mini-batches processed for [`train`](crate::train::train)).
    pub steps: usize,
    /// How many values, gradients and Hessians were computed.
    pub evals: Evaluations,
}

impl<const N: usize> Report<N> {
    /// The last loss in the history (`None` only if nothing was evaluated).
    ///
    /// ```
    /// # use dualgrad::optim::{Evaluations, Report, StopReason};
    /// # use nalgebra::SVector;
    /// # let r = Report { stop: StopReason::LineSearchFailed, params: SVector::from([0.0]),
    /// #   best_params: SVector::from([0.0]), best_loss: 1.0, history: vec![1.0], iterations: 0,
    /// #   steps: 0, evals: Evaluations::default() };
    /// assert_eq!(r.final_loss(), Some(1.0));
    /// ```
    pub fn final_loss(&self) -> Option<f64> {
        self.history.last().copied()
    }
}

impl<const N: usize> fmt::Display for Report<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; {}, {}; loss {}, best {}; {}, {}, {}",
            self.stop,
            Count(self.iterations, "iteration"),
            Count(self.steps, "step"),
            Sci(self.final_loss().unwrap_or(f64::NAN)),
            Sci(self.best_loss),
            Count(self.evals.function, "value"),
            Count(self.evals.gradient, "gradient"),
            Count(self.evals.hessian, "Hessian")
        )
    }
}

/// The bookkeeping shared by the minimiser and the training loop: history, best and last finite
/// parameters, evaluation counts and the stopping rules.
pub(crate) struct Tracker<const N: usize> {
    rules: StopRules,
    pub(crate) history: Vec<f64>,
    best_params: SVector<f64, N>,
    best_loss: f64,
    last_good: SVector<f64, N>,
    prev_loss: Option<f64>,
    pub(crate) evals: Evaluations,
}

impl<const N: usize> Tracker<N> {
    /// The history is allocated here, once, for the whole run (up to 65 536 entries; a longer
    /// run grows it once in a while, never per step).
    pub(crate) fn new(rules: StopRules, start: SVector<f64, N>) -> Self {
        let capacity = rules.max_iterations().saturating_add(1).min(1 << 16);
        Self {
            rules,
            history: Vec::with_capacity(capacity),
            best_params: start,
            best_loss: f64::INFINITY,
            last_good: start,
            prev_loss: None,
            evals: Evaluations::default(),
        }
    }

    /// Note parameters at which some loss and gradient were finite.
    #[inline]
    pub(crate) fn mark_good(&mut self, params: &SVector<f64, N>) {
        self.last_good = *params;
    }

    /// Record a full evaluation at `params` and return the rule that fires, if any.
    pub(crate) fn record(
        &mut self,
        params: &SVector<f64, N>,
        loss: f64,
        grad_norm: f64,
    ) -> Option<StopReason> {
        self.history.push(loss);
        let finite_params = params.iter().all(|v| v.is_finite());
        let stop = if finite_params {
            self.rules.check(loss, grad_norm, self.prev_loss)
        } else {
            Some(StopReason::Diverged { loss, grad_norm })
        };
        if !matches!(stop, Some(StopReason::Diverged { .. })) {
            self.last_good = *params;
            if loss < self.best_loss {
                self.best_loss = loss;
                self.best_params = *params;
            }
        }
        self.prev_loss = Some(loss);
        stop
    }

    pub(crate) fn progress<'a>(
        &self,
        iteration: usize,
        params: &'a SVector<f64, N>,
        loss: f64,
        grad_norm: f64,
    ) -> Progress<'a, N> {
        Progress {
            iteration,
            loss,
            grad_norm,
            best_loss: self.best_loss,
            params,
            evals: self.evals,
        }
    }

    pub(crate) fn finish(self, stop: StopReason, iterations: usize, steps: usize) -> Report<N> {
        Report {
            stop,
            params: self.last_good,
            best_params: self.best_params,
            best_loss: self.best_loss,
            history: self.history,
            iterations,
            steps,
            evals: self.evals,
        }
    }
}
