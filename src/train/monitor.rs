//! What [`train_monitored`](crate::train::train_monitored) watches and reports: a validation
//! objective, early stopping and `ReduceLROnPlateau` ([`Monitor`]), what its observer sees after
//! each epoch ([`Epoch`]) and tells the loop ([`Control`]), and its outcome ([`MonitoredReport`]).

use super::plateau::{EarlyStopping, ReduceLrOnPlateau};
use crate::objective::Objective;
use crate::optim::{OptimError, Progress, Report};
use nalgebra::SVector;

/// What the observer of [`train_monitored`](crate::train::train_monitored) tells the loop after an epoch.
///
/// ```
/// use dualgrad::train::Control;
/// assert_ne!(Control::Continue, Control::Stop);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop now ([`StopReason::ObserverStopped`](crate::optim::StopReason::ObserverStopped)).
    Stop,
}

/// What the observer of [`train_monitored`](crate::train::train_monitored) sees after the start and after each epoch.
///
/// ```
/// use dualgrad::optim::{Evaluations, Progress};
/// use dualgrad::train::Epoch;
/// use nalgebra::SVector;
/// let x = SVector::from([1.0]);
/// let progress = Progress { iteration: 2, loss: 0.5, grad_norm: 1.0, best_loss: 0.5, params: &x, evals: Evaluations::default() };
/// let e = Epoch { progress, validation: Some(0.7), learning_rate: 0.01 };
/// assert_eq!(e.progress.iteration, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epoch<'a, const P: usize> {
    /// The training loss, gradient norm and parameters, as [`train`](crate::train::train)'s observer
    /// sees them.
    pub progress: Progress<'a, P>,
    /// The validation loss at the same parameters, if there is a validation objective.
    pub validation: Option<f64>,
    /// The learning rate the next update will use: the optimizer's (scheduled) rate times the
    /// plateau rule's factor so far.
    pub learning_rate: f64,
}

/// The extras of [`train_monitored`](crate::train::train_monitored): a validation objective, early stopping and
/// [`ReduceLrOnPlateau`]. Both rules monitor the validation loss if there is a validation
/// objective, the training loss (on all samples) otherwise.
///
/// ```
/// use dualgrad::train::{EarlyStopping, Monitor, ReduceLrOnPlateau};
/// let m = Monitor::<1>::new()
///     .with_early_stopping(EarlyStopping::new(10))
///     .with_plateau(ReduceLrOnPlateau::new(1.0).with_patience(3));
/// assert!(m.early_stopping().is_some());
/// ```
#[derive(Clone, Copy)]
pub struct Monitor<'a, const P: usize> {
    validation: Option<&'a dyn Objective<P>>,
    early_stopping: Option<EarlyStopping>,
    plateau: Option<ReduceLrOnPlateau>,
}

impl<const P: usize> Default for Monitor<'_, P> {
    fn default() -> Self {
        Self {
            validation: None,
            early_stopping: None,
            plateau: None,
        }
    }
}

impl<'a, const P: usize> Monitor<'a, P> {
    /// No validation, no early stopping, no plateau rule.
    ///
    /// ```
    /// # use dualgrad::train::Monitor;
    /// assert!(Monitor::<2>::new().early_stopping().is_none());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Evaluate `validation`'s mean loss on all its samples at the start and after every epoch.
    ///
    /// ```
    /// # use dualgrad::objective::{Objective, Samples};
    /// # use dualgrad::train::Monitor;
    /// # use nalgebra::SVector;
    /// struct Zero;
    /// impl Samples for Zero {
    ///     fn len(&self) -> usize { 1 }
    /// }
    /// impl Objective<1> for Zero {
    ///     fn loss_and_gradient(&self, _: &SVector<f64, 1>, _: &[usize]) -> (f64, SVector<f64, 1>) { (0.0, SVector::zeros()) }
    /// }
    /// let m = Monitor::new().with_validation(&Zero);
    /// # let _ = m;
    /// ```
    pub fn with_validation(mut self, validation: &'a dyn Objective<P>) -> Self {
        self.validation = Some(validation);
        self
    }

    /// Stop early (and hand back the best parameters) by this rule.
    ///
    /// ```
    /// # use dualgrad::train::{EarlyStopping, Monitor};
    /// let m = Monitor::<1>::new().with_early_stopping(EarlyStopping::new(4));
    /// assert_eq!(m.early_stopping().unwrap().patience(), 4);
    /// ```
    pub fn with_early_stopping(mut self, rule: EarlyStopping) -> Self {
        self.early_stopping = Some(rule);
        self
    }

    /// Reduce the learning rate by this rule. After each epoch the optimizer's schedule is
    /// multiplied by `rule.learning_rate() / initial` ([`Optimizer::set_lr_factor`](crate::optim::Optimizer::set_lr_factor)),
    /// where `initial` is the rule's rate when the run starts: start the rule at the
    /// optimizer's rate (its rates are then the actual ones) or at 1 (a pure factor on top of
    /// the optimizer's schedule).
    ///
    /// ```
    /// # use dualgrad::train::{Monitor, ReduceLrOnPlateau};
    /// let m = Monitor::<1>::new().with_plateau(ReduceLrOnPlateau::new(0.1));
    /// # let _ = m;
    /// ```
    pub fn with_plateau(mut self, rule: ReduceLrOnPlateau) -> Self {
        self.plateau = Some(rule);
        self
    }

    /// Check the validation objective and the rules' settings.
    pub(crate) fn validate(&self) -> Result<(), OptimError> {
        if let Some(v) = self.validation
            && v.is_empty()
        {
            return Err(OptimError::EmptyValidation);
        }
        if let Some(rule) = self.early_stopping {
            rule.validate()?;
        }
        if let Some(rule) = self.plateau {
            rule.build()?;
        }
        Ok(())
    }

    /// The validation objective, if any.
    pub(crate) fn validation(&self) -> Option<&'a dyn Objective<P>> {
        self.validation
    }

    /// The plateau rule, if any.
    pub(crate) fn plateau(&self) -> Option<ReduceLrOnPlateau> {
        self.plateau
    }

    /// The early-stopping rule, if any.
    ///
    /// ```
    /// # use dualgrad::train::Monitor;
    /// assert!(Monitor::<1>::new().early_stopping().is_none());
    /// ```
    pub fn early_stopping(&self) -> Option<EarlyStopping> {
        self.early_stopping
    }
}

/// The parameters at which the monitored loss (validation, or training without validation)
/// was lowest.
///
/// ```
/// use dualgrad::train::BestEpoch;
/// use nalgebra::SVector;
/// let b = BestEpoch { epoch: 3, loss: 0.25, params: SVector::from([1.0]) };
/// assert_eq!(b.epoch, 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BestEpoch<const P: usize> {
    /// The epoch (0 for the start).
    pub epoch: usize,
    /// The monitored loss there.
    pub loss: f64,
    /// The parameters there.
    pub params: SVector<f64, P>,
}

/// The outcome of [`train_monitored`](crate::train::train_monitored): [`train`](crate::train::train)'s report plus the monitored
/// quantities.
///
/// With [`StopReason::EarlyStopped`](crate::optim::StopReason::EarlyStopped), `report.params` are the parameters best on the monitored
/// loss (`best.params`), not the last ones.
///
/// ```
/// use dualgrad::objective::{Objective, Samples};
/// use dualgrad::optim::SgdConfig;
/// use dualgrad::train::{Control, Monitor, ReduceLrOnPlateau, TrainConfig, train_monitored};
/// use nalgebra::SVector;
/// /// A constant loss 1 with zero gradient: no epoch ever improves on the first.
/// struct Flat;
/// impl Samples for Flat {
///     fn len(&self) -> usize { 1 }
/// }
/// impl Objective<1> for Flat {
///     fn loss_and_gradient(&self, _: &SVector<f64, 1>, _: &[usize]) -> (f64, SVector<f64, 1>) {
///         (1.0, SVector::from([0.0]))
///     }
/// }
/// let mut sgd = SgdConfig::default().with_lr(0.4).build().unwrap();
/// let cfg = TrainConfig::default().with_epochs(4).without_grad_tol();
/// let plateau = ReduceLrOnPlateau::new(0.4).with_patience(0).with_factor(0.5);
/// let r = train_monitored(&Flat, SVector::from([0.0]), &mut sgd, &cfg,
///     Monitor::new().with_plateau(plateau), |_| Control::Continue).unwrap();
/// // Epoch 1 sets the best; every later epoch is bad, so the rate halves after each.
/// assert_eq!(r.learning_rates, [0.4, 0.4, 0.2, 0.1]);
/// assert_eq!(r.best.unwrap().epoch, 0);
/// assert!(r.validation_history.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MonitoredReport<const P: usize> {
    /// The training report (history of the training loss, best training parameters, counts).
    pub report: Report<P>,
    /// The validation loss at the start and after each epoch (empty without validation).
    pub validation_history: Vec<f64>,
    /// The learning rate in effect for each epoch: `learning_rates[k]` was used in epoch
    /// `k + 1` (its first update, for mini-batches with a schedule). Empty from
    /// [`train`](crate::train::train).
    pub learning_rates: Vec<f64>,
    /// Where the monitored loss was lowest (`None` if it was never finite).
    pub best: Option<BestEpoch<P>>,
}
