//! The one error type of the optimizer family: a hyperparameter or configuration that a user got
//! wrong, named with its offending value.

use std::fmt;

/// A hyperparameter or training configuration that cannot be used, with the offending value.
///
/// Every optimizer, schedule, line search and stopping rule is validated when it is built, so a
/// bad value is reported once, up front, instead of turning into NaN parameters later.
///
/// ```
/// use dualgrad::optim::{AdamConfig, OptimError};
///
/// let err = AdamConfig::default().with_lr(f64::NAN).build::<2>().unwrap_err();
/// assert!(matches!(err, OptimError::InvalidLearningRate(lr) if lr.is_nan()));
/// assert_eq!(
///     AdamConfig::default().with_betas(0.9, 1.0).build::<2>().unwrap_err().to_string(),
///     "invalid beta2 = 1: must lie in [0, 1)"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptimError {
    /// A learning rate that is negative, NaN or infinite.
    InvalidLearningRate(f64),
    /// A decay coefficient (`beta1`, `beta2`, `alpha`, `momentum`) outside `[0, 1)`.
    InvalidBeta {
        /// Which coefficient.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// An `eps` that is not finite and strictly positive.
    InvalidEps(f64),
    /// Nesterov momentum was asked for with a momentum of zero.
    NesterovWithoutMomentum,
    /// Nesterov momentum was asked for with a non-zero dampening (as in PyTorch, it needs zero).
    NesterovWithDampening(f64),
    /// Any other real-valued setting outside its range.
    InvalidValue {
        /// Which setting.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The range it must lie in, in words.
        expected: &'static str,
    },
    /// A count (steps, batch size, ...) outside its range.
    InvalidCount {
        /// Which setting.
        name: &'static str,
        /// The value given.
        value: usize,
        /// The range it must lie in, in words.
        expected: &'static str,
    },
    /// The objective to train on has no samples.
    EmptyObjective,
    /// The validation objective (of a [`Monitor`](crate::train::Monitor) or a
    /// [`hypergradient`](crate::train::hypergradient)) has no samples: there is no validation
    /// loss to watch or to differentiate.
    EmptyValidation,
    /// The validation loss after a differentiated training run
    /// ([`hypergradient`](crate::train::hypergradient)) is NaN or infinite although the run
    /// itself stayed finite: the validation data or the model's loss on it cannot be evaluated
    /// at the trained parameters, and its derivative would be meaningless.
    ValidationNotFinite {
        /// The validation loss.
        loss: f64,
    },
    /// A hyperparameter carrying derivatives (a [`Jet`](crate::Jet)) sits at a value where the
    /// update is not differentiable in it: the value of the differentiated run would differ
    /// from the `f64` run, or its derivative would be one-sided.
    NotDifferentiable {
        /// Which hyperparameter.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why the update is not differentiable there, in words.
        why: &'static str,
    },
    /// A differentiated training run ([`train_unrolled`](crate::train::train_unrolled)) met a
    /// non-finite mini-batch loss or gradient at optimizer step `step`: its derivative would be
    /// meaningless, so [`hypergradient`](crate::train::hypergradient) reports it instead.
    DivergedRun {
        /// The optimizer step (counted from 0) whose mini-batch was not finite.
        step: usize,
        /// The mini-batch loss there.
        loss: f64,
    },
    /// A mini-batch size larger than the number of samples (as [`Dataset::batches`](crate::data::Dataset::batches)
    /// rejects it; use full batch for one step per epoch on all samples).
    BatchLargerThanData {
        /// The batch size asked for.
        batch_size: usize,
        /// The number of samples.
        samples: usize,
    },
    /// The learning-rate schedule returned a rate that is negative (gradient ascent), NaN or
    /// infinite at this update.
    ScheduledRate {
        /// The schedule's Rust type name ([`Optimizer::schedule_name`](crate::optim::Optimizer::schedule_name)).
        schedule: &'static str,
        /// The update number (counted from 0, as the schedule sees it).
        step: usize,
        /// The rate it returned.
        rate: f64,
    },
}

impl fmt::Display for OptimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidLearningRate(v) => {
                write!(f, "invalid learning rate {v}: must be finite and >= 0")
            }
            Self::InvalidBeta { name, value } => {
                write!(f, "invalid {name} = {value}: must lie in [0, 1)")
            }
            Self::InvalidEps(v) => write!(f, "invalid eps = {v}: must be finite and > 0"),
            Self::NesterovWithoutMomentum => {
                write!(f, "Nesterov momentum needs a momentum > 0, got 0")
            }
            Self::NesterovWithDampening(v) => {
                write!(f, "Nesterov momentum needs zero dampening, got {v}")
            }
            Self::InvalidValue {
                name,
                value,
                expected,
            } => write!(f, "invalid {name} = {value}: must be {expected}"),
            Self::InvalidCount {
                name,
                value,
                expected,
            } => write!(f, "invalid {name} = {value}: must be {expected}"),
            Self::EmptyObjective => write!(f, "the objective has no samples to train on"),
            Self::EmptyValidation => write!(
                f,
                "the validation objective has no samples: there is no validation loss"
            ),
            Self::ValidationNotFinite { loss } => write!(
                f,
                "the validation loss after training is {loss} (the training run stayed finite): no hypergradient"
            ),
            Self::NotDifferentiable { name, value, why } => write!(
                f,
                "the run is not differentiable in {name} at {name} = {value}: {why}"
            ),
            Self::DivergedRun { step, loss } => write!(
                f,
                "the training run diverged at step {step} (mini-batch loss {loss}): no hypergradient"
            ),
            Self::BatchLargerThanData {
                batch_size,
                samples,
            } => write!(
                f,
                "batch size {batch_size} is larger than the data set ({samples} samples)"
            ),
            Self::ScheduledRate {
                schedule,
                step,
                rate,
            } => write!(
                f,
                "the learning-rate schedule {schedule} returned {rate} at step {step}: a learning rate must be finite and >= 0"
            ),
        }
    }
}

impl std::error::Error for OptimError {}
