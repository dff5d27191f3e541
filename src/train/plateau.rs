//! PyTorch's `ReduceLROnPlateau` rule and early stopping: what to do with a monitored loss.

use crate::optim::{OptimError, check_lr, check_non_negative, check_positive_count};

/// Whether a lower or a higher monitored value is better.
///
/// ```
/// use dualgrad::train::PlateauMode;
/// assert_eq!(PlateauMode::default(), PlateauMode::Min);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlateauMode {
    /// Lower is better (a loss).
    #[default]
    Min,
    /// Higher is better (an accuracy).
    Max,
}

/// How the threshold of a significant improvement is measured.
///
/// | | `Min` | `Max` |
/// |---|---|---|
/// | `Rel` | `a < best (1 − threshold)` | `a > best (1 + threshold)` |
/// | `Abs` | `a < best − threshold` | `a > best + threshold` |
///
/// ```
/// use dualgrad::train::ThresholdMode;
/// assert_eq!(ThresholdMode::default(), ThresholdMode::Rel);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThresholdMode {
    /// Relative to the best value.
    #[default]
    Rel,
    /// An absolute amount.
    Abs,
}

/// PyTorch's `torch.optim.lr_scheduler.ReduceLROnPlateau`: reduce the learning rate by
/// `factor` once the monitored value has not improved significantly for more than `patience`
/// epochs.
///
/// Per call of [`step`](Self::step) with the epoch's value `a` (PyTorch 2.x, `step(metrics)`):
///
/// ```text
/// if a is better than best (see ThresholdMode): best ← a, bad ← 0   else bad ← bad + 1
/// if cooldown_counter > 0: cooldown_counter ← cooldown_counter − 1, bad ← 0
/// if bad > patience:
///     new ← max(lr · factor, min_lr);  if lr − new > eps: lr ← new
///     cooldown_counter ← cooldown, bad ← 0
/// ```
///
/// `best` starts at `+inf` (`Min`) or `−inf` (`Max`); a NaN value is never better. Defaults
/// are PyTorch's: `Min`, `factor = 0.1`, `patience = 10`, `threshold = 1e-4`, `Rel`,
/// `cooldown = 0`, `min_lr = 0`, `eps = 1e-8`.
///
/// [`train_monitored`](crate::train::train_monitored) steps it once per epoch on the validation loss
/// (the training loss without a validation objective) and scales the optimizer's steps by
/// `lr / initial_lr`. It never steps it with a NaN or infinite loss: the run stops first
/// ([`StopReason::ValidationNotFinite`](crate::optim::StopReason::ValidationNotFinite), or
/// `Diverged` for the training loss). Called directly, `step(NaN)` counts a bad epoch, as
/// PyTorch's rule does.
///
/// ```
/// use dualgrad::train::ReduceLrOnPlateau;
/// let mut s = ReduceLrOnPlateau::new(1.0).with_patience(1).with_factor(0.5).build().unwrap();
/// let lrs: Vec<f64> = [3.0, 2.0, 2.0, 2.0, 2.0, 2.0].iter().map(|&l| s.step(l)).collect();
/// // Two epochs without improvement (bad = 2 > patience = 1) halve the rate.
/// assert_eq!(lrs, [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReduceLrOnPlateau {
    lr: f64,
    mode: PlateauMode,
    factor: f64,
    patience: usize,
    threshold: f64,
    threshold_mode: ThresholdMode,
    cooldown: usize,
    min_lr: f64,
    eps: f64,
    best: f64,
    bad_epochs: usize,
    cooldown_counter: usize,
}

impl ReduceLrOnPlateau {
    /// The rule with PyTorch's defaults, starting from the learning rate `lr`; finish with
    /// [`build`](Self::build), which validates the settings.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// assert_eq!(ReduceLrOnPlateau::new(0.1).build().unwrap().learning_rate(), 0.1);
    /// ```
    pub fn new(lr: f64) -> Self {
        Self {
            lr,
            mode: PlateauMode::Min,
            factor: 0.1,
            patience: 10,
            threshold: 1e-4,
            threshold_mode: ThresholdMode::Rel,
            cooldown: 0,
            min_lr: 0.0,
            eps: 1e-8,
            best: f64::INFINITY,
            bad_epochs: 0,
            cooldown_counter: 0,
        }
    }

    /// `Min` (a loss) or `Max` (an accuracy).
    ///
    /// ```
    /// # use dualgrad::train::{PlateauMode, ReduceLrOnPlateau};
    /// let mut s = ReduceLrOnPlateau::new(1.0).with_mode(PlateauMode::Max).with_patience(0).build().unwrap();
    /// assert_eq!((s.step(0.5), s.step(0.4)), (1.0, 0.1)); // 0.4 is worse than 0.5
    /// ```
    pub fn with_mode(mut self, mode: PlateauMode) -> Self {
        self.mode = mode;
        self.best = match mode {
            PlateauMode::Min => f64::INFINITY,
            PlateauMode::Max => f64::NEG_INFINITY,
        };
        self
    }

    /// The factor `0 <= factor < 1` the rate is multiplied by.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// assert!(ReduceLrOnPlateau::new(1.0).with_factor(1.0).build().is_err());
    /// ```
    pub fn with_factor(mut self, factor: f64) -> Self {
        self.factor = factor;
        self
    }

    /// Epochs without significant improvement tolerated before a reduction.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// let mut s = ReduceLrOnPlateau::new(1.0).with_patience(0).build().unwrap();
    /// assert_eq!((s.step(1.0), s.step(1.0)), (1.0, 0.1));
    /// ```
    pub fn with_patience(mut self, patience: usize) -> Self {
        self.patience = patience;
        self
    }

    /// The threshold (`>= 0`) of a significant improvement and how it is measured.
    ///
    /// ```
    /// # use dualgrad::train::{ReduceLrOnPlateau, ThresholdMode};
    /// let mut s = ReduceLrOnPlateau::new(1.0).with_threshold(0.5, ThresholdMode::Abs)
    ///     .with_patience(0).build().unwrap();
    /// assert_eq!((s.step(2.0), s.step(1.6)), (1.0, 0.1)); // 1.6 is not below 2 − 0.5
    /// ```
    pub fn with_threshold(mut self, threshold: f64, mode: ThresholdMode) -> Self {
        self.threshold = threshold;
        self.threshold_mode = mode;
        self
    }

    /// Epochs after a reduction during which bad epochs are not counted.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// let mut s = ReduceLrOnPlateau::new(1.0).with_patience(0).with_cooldown(1).build().unwrap();
    /// let lrs: Vec<f64> = (0..4).map(|_| s.step(1.0)).collect();
    /// assert_eq!(lrs, [1.0, 0.1, 0.1, 0.010000000000000002]);
    /// ```
    pub fn with_cooldown(mut self, cooldown: usize) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// The floor `min_lr >= 0` of the rate.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// let mut s = ReduceLrOnPlateau::new(1.0).with_patience(0).with_min_lr(0.5).build().unwrap();
    /// assert_eq!((s.step(1.0), s.step(1.0)), (1.0, 0.5));
    /// ```
    pub fn with_min_lr(mut self, min_lr: f64) -> Self {
        self.min_lr = min_lr;
        self
    }

    /// The smallest change `eps >= 0` worth making: a reduction smaller than this is skipped.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// let mut s = ReduceLrOnPlateau::new(1e-9).with_patience(0).build().unwrap();
    /// assert_eq!((s.step(1.0), s.step(1.0)), (1e-9, 1e-9)); // 1e-9 − 1e-10 < eps = 1e-8
    /// ```
    pub fn with_eps(mut self, eps: f64) -> Self {
        self.eps = eps;
        self
    }

    /// Validate the settings.
    ///
    /// # Errors
    /// [`OptimError`] naming the bad value: a learning rate that is negative or not finite,
    /// `factor` outside `[0, 1)`, a negative or non-finite threshold, `min_lr` or `eps`.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// let e = ReduceLrOnPlateau::new(1.0).with_factor(1.5).build().unwrap_err();
    /// assert_eq!(e.to_string(), "invalid factor = 1.5: must be in [0, 1)");
    /// ```
    pub fn build(self) -> Result<Self, OptimError> {
        check_lr(self.lr)?;
        if !(0.0..1.0).contains(&self.factor) {
            return Err(OptimError::InvalidValue {
                name: "factor",
                value: self.factor,
                expected: "in [0, 1)",
            });
        }
        check_non_negative("threshold", self.threshold)?;
        check_non_negative("min_lr", self.min_lr)?;
        check_non_negative("eps", self.eps)?;
        Ok(self)
    }

    /// The current learning rate.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// assert_eq!(ReduceLrOnPlateau::new(0.3).learning_rate(), 0.3);
    /// ```
    pub fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn is_better(&self, a: f64) -> bool {
        let (best, t) = (self.best, self.threshold);
        match (self.mode, self.threshold_mode) {
            (PlateauMode::Min, ThresholdMode::Rel) => a < best * (1.0 - t),
            (PlateauMode::Min, ThresholdMode::Abs) => a < best - t,
            (PlateauMode::Max, ThresholdMode::Rel) => a > best * (t + 1.0),
            (PlateauMode::Max, ThresholdMode::Abs) => a > best + t,
        }
    }

    /// Record one epoch's monitored value and return the learning rate for the next epoch.
    ///
    /// ```
    /// # use dualgrad::train::ReduceLrOnPlateau;
    /// let mut s = ReduceLrOnPlateau::new(1.0).build().unwrap();
    /// assert_eq!(s.step(0.5), 1.0);
    /// ```
    pub fn step(&mut self, value: f64) -> f64 {
        if self.is_better(value) {
            self.best = value;
            self.bad_epochs = 0;
        } else {
            self.bad_epochs += 1;
        }
        if self.cooldown_counter > 0 {
            self.cooldown_counter -= 1;
            self.bad_epochs = 0;
        }
        if self.bad_epochs > self.patience {
            let new = (self.lr * self.factor).max(self.min_lr);
            if self.lr - new > self.eps {
                self.lr = new;
            }
            self.cooldown_counter = self.cooldown;
            self.bad_epochs = 0;
        }
        self.lr
    }
}

/// Early stopping: stop once the monitored loss has not improved by more than `min_delta` for
/// `patience` epochs in a row, and hand back the parameters at which it was lowest.
///
/// An epoch improves significantly when its loss is below `r − min_delta`, `r` being the loss of
/// the last significant improvement (Keras' `EarlyStopping` rule); the count of epochs since
/// then stops the run when it reaches `patience`. The parameters handed back are those with the
/// lowest finite monitored loss of the whole run, improvement significant or not.
///
/// ```
/// use dualgrad::train::EarlyStopping;
/// let es = EarlyStopping::new(5).with_min_delta(1e-4);
/// assert_eq!((es.patience(), es.min_delta()), (5, 1e-4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarlyStopping {
    patience: usize,
    min_delta: f64,
}

impl EarlyStopping {
    /// Stop after `patience` epochs (at least 1) without improvement; `min_delta = 0`.
    ///
    /// ```
    /// # use dualgrad::train::EarlyStopping;
    /// assert_eq!(EarlyStopping::new(3).min_delta(), 0.0);
    /// ```
    pub fn new(patience: usize) -> Self {
        Self {
            patience,
            min_delta: 0.0,
        }
    }

    /// The minimum decrease (`>= 0`) that counts as an improvement.
    ///
    /// ```
    /// # use dualgrad::train::EarlyStopping;
    /// assert_eq!(EarlyStopping::new(3).with_min_delta(0.01).min_delta(), 0.01);
    /// ```
    pub fn with_min_delta(mut self, min_delta: f64) -> Self {
        self.min_delta = min_delta;
        self
    }

    /// The patience in epochs.
    ///
    /// ```
    /// # use dualgrad::train::EarlyStopping;
    /// assert_eq!(EarlyStopping::new(3).patience(), 3);
    /// ```
    pub fn patience(&self) -> usize {
        self.patience
    }

    /// The minimum improvement.
    ///
    /// ```
    /// # use dualgrad::train::EarlyStopping;
    /// assert_eq!(EarlyStopping::new(1).min_delta(), 0.0);
    /// ```
    pub fn min_delta(&self) -> f64 {
        self.min_delta
    }

    pub(crate) fn validate(&self) -> Result<(), OptimError> {
        check_positive_count("patience", self.patience)?;
        check_non_negative("min_delta", self.min_delta)
    }
}
