//! Training with a validation objective, early stopping, `ReduceLROnPlateau` and an observer
//! that can stop the run: [`train_monitored`]. [`train`](crate::train::train) is this loop without
//! the extras.

use super::plateau::{EarlyStopping, ReduceLrOnPlateau};
use super::report::{Progress, Report, Tracker};
use super::stop::{StopReason, StopRules};
use super::train_loop::TrainConfig;
use crate::optim::Objective;
use crate::optim::error::check_scheduled_rate;
use crate::optim::{OptimError, Optimizer};
use nalgebra::SVector;

/// What the observer of [`train_monitored`] tells the loop after an epoch.
///
/// ```
/// use dualgrad::train::Control;
/// assert_ne!(Control::Continue, Control::Stop);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop now ([`StopReason::ObserverStopped`]).
    Stop,
}

/// What the observer of [`train_monitored`] sees after the start and after each epoch.
///
/// ```
/// use dualgrad::train::{Epoch, Evaluations, Progress};
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

/// The extras of [`train_monitored`]: a validation objective, early stopping and
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
    /// Record the learning rate of each epoch (`train_monitored` does, `train` does not, so
    /// that `train` allocates nothing beyond its index lists and history).
    record_rates: bool,
}

impl<const P: usize> Default for Monitor<'_, P> {
    fn default() -> Self {
        Self {
            validation: None,
            early_stopping: None,
            plateau: None,
            record_rates: false,
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
    /// # use dualgrad::optim::Objective;
    /// # use dualgrad::train::Monitor;
    /// # use nalgebra::SVector;
    /// struct Zero;
    /// impl Objective<1> for Zero {
    ///     fn len(&self) -> usize { 1 }
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

    /// Reduce the learning rate by this rule. The optimizer's steps are scaled by
    /// `rule.learning_rate() / initial` where `initial` is the rule's rate when the run starts:
    /// start the rule at the optimizer's rate (its rates are then the actual ones) or at 1 (a
    /// pure factor on top of the optimizer's schedule).
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

/// The outcome of [`train_monitored`]: [`train`](crate::train::train)'s report plus the monitored
/// quantities.
///
/// With [`StopReason::EarlyStopped`], `report.params` are the parameters best on the monitored
/// loss (`best.params`), not the last ones.
///
/// ```
/// use dualgrad::optim::{Objective, SgdConfig};
/// use dualgrad::train::{Control, Monitor, ReduceLrOnPlateau, TrainConfig, train_monitored};
/// use nalgebra::SVector;
/// /// A constant loss 1 with zero gradient: no epoch ever improves on the first.
/// struct Flat;
/// impl Objective<1> for Flat {
///     fn len(&self) -> usize { 1 }
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

/// An optimizer whose every step is scaled by `scale` (exactly the plain optimizer at 1).
/// Every update of the crate's optimizers is linear in the learning rate, so this is the
/// optimizer with its rate multiplied by `scale`.
struct Scaled<'o, O> {
    inner: &'o mut O,
    scale: f64,
}

impl<O> Scaled<'_, O> {
    fn step<const P: usize>(&mut self, params: &mut SVector<f64, P>, grad: &SVector<f64, P>)
    where
        O: Optimizer<P>,
    {
        if self.scale == 1.0 {
            self.inner.step(params, grad);
        } else {
            let before = *params;
            self.inner.step(params, grad);
            *params = before + (*params - before) * self.scale;
        }
    }

    fn learning_rate<const P: usize>(&self) -> f64
    where
        O: Optimizer<P>,
    {
        self.inner.learning_rate() * self.scale
    }
}

/// [`train`](crate::train::train) with a validation objective, early stopping, `ReduceLROnPlateau`
/// and an observer that sees the validation loss and the learning rate and can stop the run.
///
/// Each epoch runs exactly as in [`train`](crate::train::train); then the validation loss is
/// evaluated (if any), the stopping rules of `config` are checked, then early stopping, then
/// the plateau rule is stepped, then the observer is called; [`Control::Stop`] ends the run
/// with [`StopReason::ObserverStopped`].
///
/// # Errors
/// As [`train`](crate::train::train), and [`OptimError::EmptyObjective`] for a validation objective
/// without samples, [`OptimError`] for an invalid early-stopping or plateau setting.
///
/// ```
/// use dualgrad::optim::{Objective, SgdConfig};
/// use dualgrad::train::{Control, EarlyStopping, Monitor, StopReason, TrainConfig, train_monitored};
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)².
/// struct Mean(Vec<f64>);
/// impl Objective<1> for Mean {
///     fn len(&self) -> usize { self.0.len() }
///     fn loss_and_gradient(&self, p: &SVector<f64, 1>, idx: &[usize]) -> (f64, SVector<f64, 1>) {
///         let n = idx.len() as f64;
///         let loss = idx.iter().map(|&i| 0.5 * (p[0] - self.0[i]).powi(2)).sum::<f64>() / n;
///         (loss, SVector::from([idx.iter().map(|&i| p[0] - self.0[i]).sum::<f64>() / n]))
///     }
/// }
/// // Training data has mean 2, validation data mean 1: from p = 0, gradient descent with rate
/// // 0.5 halves the distance to 2 each epoch: p = 1, 1.5, 1.75, ...; the validation loss
/// // ½(p − 1)² is lowest (0) at epoch 1, so patience 2 stops at epoch 3 and hands back p = 1.
/// let (train, valid) = (Mean(vec![1.0, 3.0]), Mean(vec![1.0]));
/// let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
/// let monitor = Monitor::new().with_validation(&valid).with_early_stopping(EarlyStopping::new(2));
/// let r = train_monitored(&train, SVector::from([0.0]), &mut sgd, &TrainConfig::default(),
///     monitor, |_| Control::Continue).unwrap();
/// assert_eq!(r.report.stop, StopReason::EarlyStopped { best_epoch: 1, best_loss: 0.0 });
/// assert_eq!(r.report.params[0], 1.0);
/// assert_eq!(r.validation_history, [0.5, 0.0, 0.125, 0.28125]);
/// ```
pub fn train_monitored<const P: usize, O: Objective<P>, Opt: Optimizer<P>>(
    objective: &O,
    p0: SVector<f64, P>,
    optimizer: &mut Opt,
    config: &TrainConfig,
    mut monitor: Monitor<'_, P>,
    observer: impl FnMut(&Epoch<'_, P>) -> Control,
) -> Result<MonitoredReport<P>, OptimError> {
    monitor.record_rates = true;
    let batch = super::train_loop::check_config(objective, config)?;
    if let Some(v) = monitor.validation
        && v.is_empty()
    {
        return Err(OptimError::EmptyObjective);
    }
    if let Some(rule) = monitor.early_stopping {
        rule.validate()?;
    }
    if let Some(rule) = monitor.plateau {
        rule.build()?;
    }
    run_epochs(objective, p0, optimizer, config, batch, monitor, observer)
}

/// The training loop shared by [`train`](crate::train::train) and [`train_monitored`], after the
/// configuration is checked; `batch` is the effective batch size (`<= len`). Fails with
/// [`OptimError::ScheduledRate`] before a step whose scheduled rate is negative or not finite.
pub(crate) fn run_epochs<const P: usize, O: Objective<P>, Opt: Optimizer<P>>(
    objective: &O,
    p0: SVector<f64, P>,
    optimizer: &mut Opt,
    config: &TrainConfig,
    batch: usize,
    monitor: Monitor<'_, P>,
    mut observer: impl FnMut(&Epoch<'_, P>) -> Control,
) -> Result<MonitoredReport<P>, OptimError> {
    let rules: StopRules = *config.stop_rules();
    let n = objective.len();
    let full_batch = batch == n;
    // Allocated once: all indices in order (for the full evaluations) and a shuffled copy.
    let all: Vec<usize> = (0..n).collect();
    let all_valid: Vec<usize> = (0..monitor.validation.map_or(0, |v| v.len())).collect();
    let mut order: Vec<usize> = if full_batch { Vec::new() } else { all.clone() };
    let mut rng = crate::params::seeded_rng(config.seed());
    let capacity = rules.max_iterations().saturating_add(1).min(1 << 16);
    let mut validation_history =
        Vec::with_capacity(if all_valid.is_empty() { 0 } else { capacity });
    let mut learning_rates = Vec::with_capacity(if monitor.record_rates { capacity } else { 0 });

    let mut plateau = monitor.plateau;
    let initial_rate = plateau.map_or(1.0, |p| p.learning_rate());
    let mut opt = Scaled {
        inner: optimizer,
        scale: 1.0,
    };
    let mut best: Option<BestEpoch<P>> = None;
    let mut reference: Option<f64> = None;
    let mut since_improvement = 0;
    let min_delta = monitor.early_stopping.map_or(0.0, |r| r.min_delta());

    let mut tracker = Tracker::new(rules, p0);
    let mut p = p0;
    let (mut loss, mut grad) = objective.loss_and_gradient(&p, &all);
    tracker.evals.add_gradient();
    let mut norm = grad.norm();
    let mut epochs = 0;
    let mut steps = 0;
    let mut stop = tracker.record(&p, loss, norm);
    // After the start (epoch 0) and each epoch: validation, early stopping, plateau, observer.
    let mut after_epoch = |epoch: usize,
                           p: &SVector<f64, P>,
                           loss: f64,
                           norm: f64,
                           tracker: &Tracker<P>,
                           opt: &mut Scaled<'_, Opt>,
                           stop: Option<StopReason>|
     -> Option<StopReason> {
        let validation = monitor
            .validation
            .map(|v| v.loss_and_gradient(p, &all_valid).0);
        if let Some(v) = validation {
            validation_history.push(v);
        }
        let monitored = validation.unwrap_or(loss);
        let mut stop = stop;
        if !matches!(stop, Some(StopReason::Diverged { .. })) && monitored.is_finite() {
            if best.is_none_or(|b| monitored < b.loss) {
                best = Some(BestEpoch {
                    epoch,
                    loss: monitored,
                    params: *p,
                });
            }
            // Patience counts epochs since the last improvement by more than min_delta.
            if reference.is_none_or(|r| monitored < r - min_delta) {
                reference = Some(monitored);
                since_improvement = 0;
            } else {
                since_improvement += 1;
            }
        } else if epoch > 0 {
            since_improvement += 1;
        }
        if stop.is_none()
            && let (Some(rule), Some(b)) = (monitor.early_stopping, best)
            && since_improvement >= rule.patience()
        {
            stop = Some(StopReason::EarlyStopped {
                best_epoch: b.epoch,
                best_loss: b.loss,
            });
        }
        if epoch > 0
            && let Some(rule) = plateau.as_mut()
        {
            // A rule started at rate 0 never changes it: no scaling then.
            let rate = rule.step(monitored);
            opt.scale = if initial_rate > 0.0 {
                rate / initial_rate
            } else {
                1.0
            };
        }
        let view = Epoch {
            progress: tracker.progress(epoch, p, loss, norm),
            validation,
            learning_rate: opt.learning_rate(),
        };
        if observer(&view) == Control::Stop && stop.is_none() {
            stop = Some(StopReason::ObserverStopped);
        }
        stop
    };
    stop = after_epoch(0, &p, loss, norm, &tracker, &mut opt, stop);
    let stop = 'epochs: loop {
        if let Some(reason) = stop {
            break reason;
        }
        if epochs >= rules.max_iterations() {
            break StopReason::MaxIterations(rules.max_iterations());
        }
        if monitor.record_rates {
            learning_rates.push(opt.learning_rate());
        }
        if full_batch {
            check_scheduled_rate(&*opt.inner)?;
            opt.step(&mut p, &grad);
            steps += 1;
        } else {
            crate::data::shuffle_with(&mut order, &mut rng);
            for chunk in order.chunks(batch) {
                let (batch_loss, batch_grad) = objective.loss_and_gradient(&p, chunk);
                tracker.evals.add_gradient();
                let batch_norm = batch_grad.norm();
                if !batch_loss.is_finite() || !batch_norm.is_finite() {
                    break 'epochs StopReason::Diverged {
                        loss: batch_loss,
                        grad_norm: batch_norm,
                    };
                }
                tracker.mark_good(&p);
                check_scheduled_rate(&*opt.inner)?;
                opt.step(&mut p, &batch_grad);
                steps += 1;
            }
        }
        epochs += 1;
        (loss, grad) = objective.loss_and_gradient(&p, &all);
        tracker.evals.add_gradient();
        norm = grad.norm();
        stop = tracker.record(&p, loss, norm);
        stop = after_epoch(epochs, &p, loss, norm, &tracker, &mut opt, stop);
    };
    let mut report = tracker.finish(stop, epochs, steps);
    if let (StopReason::EarlyStopped { .. }, Some(b)) = (stop, best) {
        report.params = b.params;
    }
    Ok(MonitoredReport {
        report,
        validation_history,
        learning_rates,
        best,
    })
}
