//! The training loop for models and data sets.

use super::monitor::{Control, Monitor, run_epochs};
use super::report::{Progress, Report};
use super::stop::StopRules;
use crate::optim::Objective;
use crate::optim::{OptimError, Optimizer};
use nalgebra::SVector;

/// How [`train`] runs: epochs, batch size, shuffling seed and stopping rules.
///
/// Default: 100 epochs, full batch, seed 0, gradient-norm tolerance `1e-8`, no target loss, no
/// relative-change test.
///
/// ```
/// use dualgrad::train::TrainConfig;
/// let cfg = TrainConfig::default().with_epochs(20).with_batch_size(16).with_seed(42).with_target_loss(1e-3);
/// assert_eq!((cfg.epochs(), cfg.batch_size(), cfg.seed()), (20, Some(16), 42));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    batch_size: Option<usize>,
    seed: u64,
    stop: StopRules,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            batch_size: None,
            seed: 0,
            stop: StopRules::default().with_max_iterations(100),
        }
    }
}

impl TrainConfig {
    /// The maximum number of epochs (passes over the data).
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().with_epochs(5).epochs(), 5);
    /// ```
    pub fn with_epochs(mut self, epochs: usize) -> Self {
        self.stop = self.stop.with_max_iterations(epochs);
        self
    }

    /// Mini-batches of `batch_size` samples (at least 1 and at most the number of samples,
    /// checked by [`train`]; the last batch of an epoch may be smaller), drawn by reshuffling the
    /// sample indices each epoch. A batch size equal to the number of samples is full batch.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().with_batch_size(8).batch_size(), Some(8));
    /// ```
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = Some(batch_size);
        self
    }

    /// Full batch: one step per epoch on all samples (the default).
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().with_batch_size(8).with_full_batch().batch_size(), None);
    /// ```
    pub fn with_full_batch(mut self) -> Self {
        self.batch_size = None;
        self
    }

    /// The seed of the shuffling stream (ChaCha8, the same on every machine).
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().with_seed(7).seed(), 7);
    /// ```
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Stop once the loss on all samples is at most `target`.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().with_target_loss(0.01).stop_rules().target_loss(), Some(0.01));
    /// ```
    pub fn with_target_loss(mut self, target: f64) -> Self {
        self.stop = self.stop.with_target_loss(target);
        self
    }

    /// Stop once the norm of the gradient on all samples is at most `tol`.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().with_grad_tol(1e-6).stop_rules().grad_tol(), Some(1e-6));
    /// ```
    pub fn with_grad_tol(mut self, tol: f64) -> Self {
        self.stop = self.stop.with_grad_tol(tol);
        self
    }

    /// No gradient-norm test (train for the full number of epochs unless another rule fires).
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().without_grad_tol().stop_rules().grad_tol(), None);
    /// ```
    pub fn without_grad_tol(mut self) -> Self {
        self.stop = self.stop.without_grad_tol();
        self
    }

    /// Stop once the loss on all samples changes by a relative amount at most `tol` in an epoch.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().with_rel_tol(1e-9).stop_rules().rel_tol(), Some(1e-9));
    /// ```
    pub fn with_rel_tol(mut self, tol: f64) -> Self {
        self.stop = self.stop.with_rel_tol(tol);
        self
    }

    /// Replace all stopping rules (their `max_iterations` is the number of epochs).
    ///
    /// ```
    /// # use dualgrad::train::{StopRules, TrainConfig};
    /// let cfg = TrainConfig::default().with_stop_rules(StopRules::default().with_max_iterations(3));
    /// assert_eq!(cfg.epochs(), 3);
    /// ```
    pub fn with_stop_rules(mut self, rules: StopRules) -> Self {
        self.stop = rules;
        self
    }

    /// The maximum number of epochs.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().epochs(), 100);
    /// ```
    pub fn epochs(&self) -> usize {
        self.stop.max_iterations()
    }

    /// The mini-batch size, or `None` for full batch.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().batch_size(), None);
    /// ```
    pub fn batch_size(&self) -> Option<usize> {
        self.batch_size
    }

    /// The shuffling seed.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().seed(), 0);
    /// ```
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The stopping rules.
    ///
    /// ```
    /// # use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().stop_rules().max_iterations(), 100);
    /// ```
    pub fn stop_rules(&self) -> &StopRules {
        &self.stop
    }
}

/// Train the `P` parameters of `objective` from `p0` with `optimizer`.
///
/// Each epoch is one pass over the data: with full batch (the default), one step on the gradient
/// over all samples; with mini-batches, the sample indices are reshuffled (ChaCha8 seeded by
/// [`TrainConfig::with_seed`], reproducible across machines) and one step is made per batch.
/// After the start and after each epoch the loss and gradient **on all samples** are evaluated
/// (for full batch this is the evaluation the next step uses, so nothing is computed twice):
/// they fill [`Report::history`], decide the best parameters, feed the stopping rules and the
/// `observer`. A non-finite loss or gradient, on a batch or on all samples, stops the run at
/// once with [`StopReason::Diverged`](crate::train::StopReason::Diverged); the report then holds the
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
/// use dualgrad::optim::{Objective, SgdConfig};
/// use dualgrad::train::{TrainConfig, train};
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)²: minimised by the mean of the yᵢ, here 2.
/// struct Mean(Vec<f64>);
/// impl Objective<1> for Mean {
///     fn len(&self) -> usize { self.0.len() }
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
pub fn train<const P: usize, O: Objective<P>, Opt: Optimizer<P>>(
    objective: &O,
    p0: SVector<f64, P>,
    optimizer: &mut Opt,
    config: &TrainConfig,
    mut observer: impl FnMut(&Progress<'_, P>),
) -> Result<Report<P>, OptimError> {
    let batch = check_config(objective, config)?;
    let monitored = run_epochs(
        objective,
        p0,
        optimizer,
        config,
        batch,
        Monitor::new(),
        |epoch| {
            observer(&epoch.progress);
            Control::Continue
        },
    )?;
    Ok(monitored.report)
}

/// Check the configuration against the objective; returns the effective batch size.
pub(crate) fn check_config<const P: usize, O: Objective<P>>(
    objective: &O,
    config: &TrainConfig,
) -> Result<usize, OptimError> {
    config.stop.validate()?;
    let n = objective.len();
    if n == 0 {
        return Err(OptimError::EmptyObjective);
    }
    match config.batch_size {
        Some(0) => Err(OptimError::InvalidCount {
            name: "batch_size",
            value: 0,
            expected: "at least 1",
        }),
        Some(b) if b > n => Err(OptimError::BatchLargerThanData {
            batch_size: b,
            samples: n,
        }),
        Some(b) => Ok(b),
        None => Ok(n),
    }
}
