//! How a training run is configured ([`TrainConfig`]): epochs, mini-batches, the shuffling seed
//! and the stopping rules; and schedules counted in epochs ([`PerEpoch`]).

use crate::optim::{OptimError, Schedule, StopRules};

/// How [`train`](crate::train::train) runs: epochs, batch size, shuffling seed and stopping rules.
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
    /// checked by [`train`](crate::train::train); the last batch of an epoch may be smaller), drawn by reshuffling the
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
    /// # use dualgrad::optim::StopRules;
    /// # use dualgrad::train::TrainConfig;
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

impl TrainConfig {
    /// The optimizer steps [`train`](crate::train::train) makes per epoch on `samples` samples: 1 for
    /// full batch, `⌈samples / batch_size⌉` for mini-batches (the last batch of an epoch may be
    /// smaller). Multiply by the number of epochs for a schedule that counts steps, such as
    /// [`Cosine`](crate::optim::Cosine) annealed over the whole run; or wrap a schedule counted in
    /// epochs in [`PerEpoch`].
    ///
    /// # Errors
    /// [`OptimError::EmptyObjective`] for 0 samples, [`OptimError::InvalidCount`] for a batch
    /// size of 0, [`OptimError::BatchLargerThanData`] for a batch size larger than `samples`
    /// (the cases [`train`](crate::train::train) rejects).
    ///
    /// ```
    /// use dualgrad::optim::OptimError;
    /// use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().steps_per_epoch(100)?, 1); // full batch
    /// assert_eq!(TrainConfig::default().with_batch_size(32).steps_per_epoch(100)?, 4); // 32+32+32+4
    /// assert_eq!(TrainConfig::default().with_batch_size(100).steps_per_epoch(100)?, 1);
    /// assert_eq!(
    ///     TrainConfig::default().with_batch_size(500).steps_per_epoch(100),
    ///     Err(OptimError::BatchLargerThanData { batch_size: 500, samples: 100 })
    /// );
    /// assert!(TrainConfig::default().with_batch_size(0).steps_per_epoch(100).is_err());
    /// # Ok::<(), dualgrad::optim::OptimError>(())
    /// ```
    pub fn steps_per_epoch(&self, samples: usize) -> Result<usize, OptimError> {
        Ok(samples.div_ceil(self.batch_size_for(samples)?))
    }

    /// The effective batch size for `samples` samples (all of them for full batch): the one
    /// check of the batch configuration, behind [`train`](crate::train::train),
    /// [`train_monitored`](crate::train::train_monitored), [`train_unrolled`](crate::train::train_unrolled)
    /// and [`steps_per_epoch`](Self::steps_per_epoch).
    ///
    /// # Errors
    /// [`OptimError::EmptyObjective`] for 0 samples, [`OptimError::InvalidCount`] for a batch
    /// size of 0, [`OptimError::BatchLargerThanData`] for a batch size larger than `samples`.
    ///
    /// ```
    /// use dualgrad::train::TrainConfig;
    /// assert_eq!(TrainConfig::default().batch_size_for(10), Ok(10)); // full batch
    /// assert_eq!(TrainConfig::default().with_batch_size(4).batch_size_for(10), Ok(4));
    /// assert!(TrainConfig::default().with_batch_size(4).batch_size_for(0).is_err());
    /// ```
    pub fn batch_size_for(&self, samples: usize) -> Result<usize, OptimError> {
        if samples == 0 {
            return Err(OptimError::EmptyObjective);
        }
        match self.batch_size {
            None => Ok(samples),
            Some(0) => Err(OptimError::InvalidCount {
                name: "batch_size",
                value: 0,
                expected: "at least 1",
            }),
            Some(batch) if batch > samples => Err(OptimError::BatchLargerThanData {
                batch_size: batch,
                samples,
            }),
            Some(batch) => Ok(batch),
        }
    }
}

/// A schedule counted in **epochs**, as an optimizer's schedule (which counts steps): every step
/// of epoch `e` (from 0) uses the inner schedule's rate at `e`, that is
/// `rate(k) = inner.rate(⌊k / steps_per_epoch⌋)`. PyTorch's learning-rate schedulers stepped
/// once per epoch behave this way.
///
/// Build it for a run of [`train`](crate::train::train) with [`PerEpoch::for_training`], which takes
/// the steps per epoch from the [`TrainConfig`] and the number of samples.
///
/// ```
/// use dualgrad::objective::{Objective, Samples};
/// use dualgrad::optim::{Optimizer, SgdConfig, StepDecay};
/// use dualgrad::train::{PerEpoch, TrainConfig, train};
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)² over 10 samples yᵢ = i (the gradient is p − mean).
/// struct Mean;
/// impl Samples for Mean {
///     fn len(&self) -> usize { 10 }
/// }
/// impl Objective<1> for Mean {
///     fn loss_and_gradient(&self, p: &SVector<f64, 1>, idx: &[usize]) -> (f64, SVector<f64, 1>) {
///         let n = idx.len() as f64;
///         let loss = idx.iter().map(|&i| 0.5 * (p[0] - i as f64).powi(2)).sum::<f64>() / n;
///         let grad = idx.iter().map(|&i| p[0] - i as f64).sum::<f64>() / n;
///         (loss, SVector::from([grad]))
///     }
/// }
/// // Halve the rate every 10 epochs, in mini-batches of 4: 3 steps per epoch (4 + 4 + 2).
/// let config = TrainConfig::default().with_epochs(25).with_batch_size(4).without_grad_tol();
/// let halving = StepDecay::new(0.2, 10, 0.5)?; // counted in epochs
/// let schedule = PerEpoch::for_training(halving, &config, Mean.len())?;
/// assert_eq!(schedule.steps_per_epoch(), 3);
/// let mut sgd = SgdConfig::default().with_schedule(schedule).build()?;
/// let report = train(&Mean, SVector::from([0.0]), &mut sgd, &config, |_| {})?;
/// assert_eq!(sgd.steps(), 75); // 25 epochs × 3 steps
/// assert_eq!(sgd.learning_rate(), 0.05); // epoch 25: 0.2 · 0.5^⌊25/10⌋
/// assert!((report.params[0] - 4.5).abs() < 0.5); // near the mean of 0..10
/// # Ok::<(), dualgrad::optim::OptimError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerEpoch<S> {
    inner: S,
    steps_per_epoch: usize,
}

impl<S: Schedule> PerEpoch<S> {
    /// The schedule `inner`, counted in epochs of `steps_per_epoch` (at least 1) steps.
    ///
    /// # Errors
    /// [`OptimError::InvalidCount`] for 0 steps per epoch; the inner schedule's own error if it
    /// is invalid.
    ///
    /// ```
    /// use dualgrad::optim::{Exponential, Schedule};
    /// use dualgrad::train::PerEpoch;
    /// let s = PerEpoch::new(Exponential::new(1.0, 0.5)?, 4)?; // halve every epoch of 4 steps
    /// assert_eq!((s.rate(0), s.rate(3), s.rate(4), s.rate(9)), (1.0, 1.0, 0.5, 0.25));
    /// assert!(PerEpoch::new(Exponential::new(1.0, 0.5)?, 0).is_err());
    /// # Ok::<(), dualgrad::optim::OptimError>(())
    /// ```
    pub fn new(inner: S, steps_per_epoch: usize) -> Result<Self, OptimError> {
        let s = Self {
            inner,
            steps_per_epoch,
        };
        s.validate()?;
        Ok(s)
    }

    /// The schedule `inner`, counted in epochs of [`train`](crate::train::train) with `config` over
    /// `samples` samples (see [`TrainConfig::steps_per_epoch`]).
    ///
    /// # Errors
    /// As [`TrainConfig::steps_per_epoch`] and [`PerEpoch::new`].
    ///
    /// ```
    /// use dualgrad::optim::{Linear, Schedule};
    /// use dualgrad::train::{PerEpoch, TrainConfig};
    /// // warm up linearly over 4 epochs; 150 samples in batches of 50: 3 steps per epoch
    /// let config = TrainConfig::default().with_batch_size(50);
    /// let s = PerEpoch::for_training(Linear::new(0.0, 0.1, 4)?, &config, 150)?;
    /// assert_eq!((s.rate(2), s.rate(3), s.rate(6)), (0.0, 0.025, 0.05));
    /// # Ok::<(), dualgrad::optim::OptimError>(())
    /// ```
    pub fn for_training(
        inner: S,
        config: &TrainConfig,
        samples: usize,
    ) -> Result<Self, OptimError> {
        Self::new(inner, config.steps_per_epoch(samples)?)
    }

    /// The number of optimizer steps in one epoch.
    ///
    /// ```
    /// use dualgrad::optim::Constant;
    /// use dualgrad::train::PerEpoch;
    /// assert_eq!(PerEpoch::new(Constant::new(0.1)?, 7)?.steps_per_epoch(), 7);
    /// # Ok::<(), dualgrad::optim::OptimError>(())
    /// ```
    pub fn steps_per_epoch(&self) -> usize {
        self.steps_per_epoch
    }

    /// The schedule counted in epochs.
    ///
    /// ```
    /// use dualgrad::optim::{Constant, Schedule};
    /// use dualgrad::train::PerEpoch;
    /// assert_eq!(PerEpoch::new(Constant::new(0.1)?, 7)?.inner().rate(0), 0.1);
    /// # Ok::<(), dualgrad::optim::OptimError>(())
    /// ```
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: Schedule> Schedule for PerEpoch<S> {
    #[inline]
    fn rate(&self, step: usize) -> f64 {
        self.inner.rate(step / self.steps_per_epoch)
    }

    fn validate(&self) -> Result<(), OptimError> {
        if self.steps_per_epoch == 0 {
            return Err(OptimError::InvalidCount {
                name: "steps_per_epoch",
                value: 0,
                expected: "at least 1",
            });
        }
        self.inner.validate()
    }
}
