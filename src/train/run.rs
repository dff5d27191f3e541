//! The `f64` training runs: [`train`] and [`train_monitored`], one loop over the engine's epochs
//! with the full evaluation, the stopping rules and the monitored extras after each.

use super::config::TrainConfig;
use super::engine::{BatchPlan, EpochEnd};
use super::monitor::{BestEpoch, Control, Epoch, Monitor, MonitoredReport};
use super::plateau::ReduceLrOnPlateau;
use crate::objective::Objective;
use crate::optim::{OptimError, Optimizer, Progress, Report, StopReason, Tracker};
use nalgebra::SVector;

/// Train the `P` parameters of `objective` from `p0` with `optimizer`.
///
/// Each epoch is one pass over the data: with full batch (the default), one step on the gradient
/// over all samples; with mini-batches, the sample indices are reshuffled (ChaCha8 seeded by
/// [`TrainConfig::with_seed`], reproducible across machines) and one step is made per batch.
/// After the start and after each epoch the loss and gradient **on all samples** are evaluated
/// (for full batch this is the evaluation the next step uses, so nothing is computed twice):
/// they fill [`Report::history`], decide the best parameters, feed the stopping rules and the
/// `observer`. A non-finite loss or gradient, on a batch or on all samples, stops the run at
/// once with [`StopReason::Diverged`](crate::optim::StopReason::Diverged); the report then holds the
/// last parameters at which they were finite.
///
/// For a validation objective, early stopping, `ReduceLROnPlateau` or an observer that can
/// stop the run, use [`train_monitored`](crate::train::train_monitored), which runs the same loop.
///
/// The optimizer is not reset first, so training can be resumed. The index buffers and the
/// history are allocated once before the loop; a training step allocates nothing (provided the
/// objective does not).
///
/// # Errors
/// [`OptimError::EmptyObjective`] for an objective without samples,
/// [`OptimError::InvalidCount`] for a batch size of 0, [`OptimError::BatchLargerThanData`] for a
/// batch size larger than the number of samples, [`OptimError`] for an invalid stopping rule,
/// and [`OptimError::ScheduledRate`] (naming the schedule and the step) as soon as the optimizer's schedule
/// returns a negative, NaN or infinite learning rate: the step is not taken (a negative rate
/// would run gradient ascent).
///
/// ```
/// use dualgrad::objective::{Objective, Samples};
/// use dualgrad::optim::SgdConfig;
/// use dualgrad::train::{TrainConfig, train};
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)²: minimised by the mean of the yᵢ, here 2.
/// struct Mean(Vec<f64>);
/// impl Samples for Mean {
///     fn len(&self) -> usize { self.0.len() }
/// }
/// impl Objective<1> for Mean {
///     fn loss_and_gradient(&self, p: &SVector<f64, 1>, idx: &[usize]) -> (f64, SVector<f64, 1>) {
///         let n = idx.len() as f64;
///         let loss = idx.iter().map(|&i| 0.5 * (p[0] - self.0[i]).powi(2)).sum::<f64>() / n;
///         let grad = idx.iter().map(|&i| p[0] - self.0[i]).sum::<f64>() / n;
///         (loss, SVector::from([grad]))
///     }
/// }
/// let data = Mean(vec![1.0, 2.0, 3.0]);
/// let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
/// let cfg = TrainConfig::default().with_epochs(200).with_grad_tol(1e-12);
/// let report = train(&data, SVector::from([0.0]), &mut sgd, &cfg, |_| {}).unwrap();
/// assert!((report.params[0] - 2.0).abs() < 1e-12);
/// println!("{report}");
/// ```
pub fn train<const P: usize, O: Objective<P> + ?Sized, Opt: Optimizer<P>>(
    objective: &O,
    p0: SVector<f64, P>,
    optimizer: &mut Opt,
    config: &TrainConfig,
    mut observer: impl FnMut(&Progress<'_, P>),
) -> Result<Report<P>, OptimError> {
    let run = run(
        objective,
        p0,
        optimizer,
        config,
        Monitor::new(),
        false,
        |epoch| {
            observer(&epoch.progress);
            Control::Continue
        },
    )?;
    Ok(run.report)
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
/// As [`train`](crate::train::train), and [`OptimError::EmptyValidation`] for a validation objective
/// without samples, [`OptimError`] for an invalid early-stopping or plateau setting.
///
/// A validation loss that is NaN or infinite while the training loss is finite stops the run at
/// once with [`StopReason::ValidationNotFinite`] (naming the epoch and the loss), with the
/// parameters of the last epoch whose validation loss was finite: early stopping could never
/// fire on it and the plateau rule would keep cutting the rate.
///
/// ```
/// use dualgrad::objective::{Objective, Samples};
/// use dualgrad::optim::{SgdConfig, StopReason};
/// use dualgrad::train::{Control, EarlyStopping, Monitor, TrainConfig, train_monitored};
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)².
/// struct Mean(Vec<f64>);
/// impl Samples for Mean {
///     fn len(&self) -> usize { self.0.len() }
/// }
/// impl Objective<1> for Mean {
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
pub fn train_monitored<const P: usize, O: Objective<P> + ?Sized, Opt: Optimizer<P>>(
    objective: &O,
    p0: SVector<f64, P>,
    optimizer: &mut Opt,
    config: &TrainConfig,
    monitor: Monitor<'_, P>,
    observer: impl FnMut(&Epoch<'_, P>) -> Control,
) -> Result<MonitoredReport<P>, OptimError> {
    run(objective, p0, optimizer, config, monitor, true, observer)
}

/// The loop behind [`train`] and [`train_monitored`]: evaluate on all samples, check the rules,
/// watch, run an epoch, repeat. `record_rates` keeps the learning rate of each epoch (so that
/// `train` allocates nothing beyond its index lists and history).
fn run<const P: usize, O: Objective<P> + ?Sized, Opt: Optimizer<P>>(
    objective: &O,
    p0: SVector<f64, P>,
    optimizer: &mut Opt,
    config: &TrainConfig,
    monitor: Monitor<'_, P>,
    record_rates: bool,
    mut observer: impl FnMut(&Epoch<'_, P>) -> Control,
) -> Result<MonitoredReport<P>, OptimError> {
    let rules = *config.stop_rules();
    rules.validate()?;
    let mut plan = BatchPlan::new(objective.len(), config)?;
    monitor.validate()?;
    let capacity = rules.max_iterations().saturating_add(1).min(1 << 16);
    let mut watch = Watch::new(monitor, capacity);
    let mut learning_rates = Vec::with_capacity(if record_rates { capacity } else { 0 });

    let mut tracker = Tracker::new(rules, p0);
    let mut p = p0;
    let (mut loss, mut grad) = objective.loss_and_gradient(&p, plan.all());
    tracker.evals.add_gradient();
    let mut norm = grad.norm();
    let (mut epochs, mut steps) = (0, 0);
    let mut stop = tracker.record(&p, loss, norm);
    let progress = tracker.progress(0, &p, loss, norm);
    stop = watch.after_epoch(progress, optimizer, stop, &mut observer);
    let stop = loop {
        if let Some(reason) = stop {
            break reason;
        }
        if epochs >= rules.max_iterations() {
            break StopReason::MaxIterations(rules.max_iterations());
        }
        if record_rates {
            learning_rates.push(optimizer.learning_rate());
        }
        let mut batch_evaluations = 0;
        let mut last_finite = None;
        let end = plan.epoch(
            &mut p,
            optimizer,
            Some(&grad),
            &mut steps,
            |p, batch| {
                batch_evaluations += 1;
                objective.loss_and_gradient(p, batch)
            },
            |p| last_finite = Some(*p),
        )?;
        tracker.evals.function += batch_evaluations;
        tracker.evals.gradient += batch_evaluations;
        if let Some(good) = last_finite {
            tracker.mark_good(&good);
        }
        if let EpochEnd::Diverged { loss, grad_norm } = end {
            break StopReason::Diverged { loss, grad_norm };
        }
        epochs += 1;
        (loss, grad) = objective.loss_and_gradient(&p, plan.all());
        tracker.evals.add_gradient();
        norm = grad.norm();
        stop = tracker.record(&p, loss, norm);
        let progress = tracker.progress(epochs, &p, loss, norm);
        stop = watch.after_epoch(progress, optimizer, stop, &mut observer);
    };
    let mut report = tracker.finish(stop, epochs, steps);
    match (stop, watch.best) {
        (StopReason::EarlyStopped { .. }, Some(b)) => report.params = b.params,
        (StopReason::ValidationNotFinite { .. }, _) => {
            report.params = watch.last_validated.unwrap_or(p0);
        }
        _ => {}
    }
    Ok(MonitoredReport {
        report,
        validation_history: watch.validation_history,
        learning_rates,
        best: watch.best,
    })
}

/// What the loop watches after the start (epoch 0) and each epoch: the validation loss, the
/// best epoch, early stopping's patience and the plateau rule.
struct Watch<'a, const P: usize> {
    monitor: Monitor<'a, P>,
    all_valid: Vec<usize>,
    validation_history: Vec<f64>,
    plateau: Option<ReduceLrOnPlateau>,
    initial_rate: f64,
    best: Option<BestEpoch<P>>,
    /// The parameters of the last epoch whose validation loss was finite.
    last_validated: Option<SVector<f64, P>>,
    /// The monitored loss at the last significant improvement.
    reference: Option<f64>,
    since_improvement: usize,
}

impl<'a, const P: usize> Watch<'a, P> {
    fn new(monitor: Monitor<'a, P>, capacity: usize) -> Self {
        let all_valid: Vec<usize> = (0..monitor.validation().map_or(0, |v| v.len())).collect();
        let plateau = monitor.plateau();
        Self {
            monitor,
            validation_history: Vec::with_capacity(if all_valid.is_empty() { 0 } else { capacity }),
            all_valid,
            plateau,
            initial_rate: plateau.map_or(1.0, |p| p.learning_rate()),
            best: None,
            last_validated: None,
            reference: None,
            since_improvement: 0,
        }
    }

    /// Validation, early stopping, the plateau rule and the observer, in that order, after the
    /// full evaluation in `progress`; returns the stop reason, if any.
    fn after_epoch<Opt: Optimizer<P>>(
        &mut self,
        progress: Progress<'_, P>,
        optimizer: &mut Opt,
        stop: Option<StopReason>,
        observer: &mut impl FnMut(&Epoch<'_, P>) -> Control,
    ) -> Option<StopReason> {
        let epoch = progress.iteration;
        let validation = self
            .monitor
            .validation()
            .map(|v| v.loss_and_gradient(progress.params, &self.all_valid).0);
        let mut stop = stop;
        if let Some(v) = validation {
            self.validation_history.push(v);
            // A non-finite validation loss cannot be judged by early stopping (it would never
            // fire) or the plateau rule (NaN is never better: it would cut the rate every
            // `patience` epochs): stop and say so, unless the training itself diverged.
            if !v.is_finite() && !matches!(stop, Some(StopReason::Diverged { .. })) {
                stop = Some(StopReason::ValidationNotFinite { epoch, loss: v });
            } else if v.is_finite() {
                self.last_validated = Some(*progress.params);
            }
        }
        let monitored = validation.unwrap_or(progress.loss);
        let min_delta = self.monitor.early_stopping().map_or(0.0, |r| r.min_delta());
        if !matches!(stop, Some(StopReason::Diverged { .. })) && monitored.is_finite() {
            if self.best.is_none_or(|b| monitored < b.loss) {
                self.best = Some(BestEpoch {
                    epoch,
                    loss: monitored,
                    params: *progress.params,
                });
            }
            // Patience counts epochs since the last improvement by more than min_delta.
            if self.reference.is_none_or(|r| monitored < r - min_delta) {
                self.reference = Some(monitored);
                self.since_improvement = 0;
            } else {
                self.since_improvement += 1;
            }
        } else if epoch > 0 {
            self.since_improvement += 1;
        }
        if stop.is_none()
            && let (Some(rule), Some(b)) = (self.monitor.early_stopping(), self.best)
            && self.since_improvement >= rule.patience()
        {
            stop = Some(StopReason::EarlyStopped {
                best_epoch: b.epoch,
                best_loss: b.loss,
            });
        }
        if epoch > 0
            && !matches!(stop, Some(StopReason::ValidationNotFinite { .. }))
            && let Some(rule) = self.plateau.as_mut()
        {
            // A rule started at rate 0 never changes it: the schedule is left alone then.
            let rate = rule.step(monitored);
            if self.initial_rate > 0.0 {
                optimizer.set_lr_factor(rate / self.initial_rate);
            }
        }
        let view = Epoch {
            progress,
            validation,
            learning_rate: optimizer.learning_rate(),
        };
        if observer(&view) == Control::Stop && stop.is_none() {
            stop = Some(StopReason::ObserverStopped);
        }
        stop
    }
}
