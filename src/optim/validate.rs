//! Checks of hyperparameters shared by the optimizers, schedules and stopping rules: each
//! returns the [`OptimError`] that names the value.

use super::error::OptimError;

/// `Ok` if `lr` is a usable learning rate: finite and `>= 0`.
pub(crate) fn check_lr(lr: f64) -> Result<(), OptimError> {
    if lr.is_finite() && lr >= 0.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidLearningRate(lr))
    }
}

/// `Ok` if `value` lies in `[0, 1)`.
pub(crate) fn check_beta(name: &'static str, value: f64) -> Result<(), OptimError> {
    if (0.0..1.0).contains(&value) {
        Ok(())
    } else {
        Err(OptimError::InvalidBeta { name, value })
    }
}

/// `Ok` if `eps` is finite and `> 0`.
pub(crate) fn check_eps(eps: f64) -> Result<(), OptimError> {
    if eps.is_finite() && eps > 0.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidEps(eps))
    }
}

/// `Ok` if `value` is finite and `>= 0`.
pub(crate) fn check_non_negative(name: &'static str, value: f64) -> Result<(), OptimError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidValue {
            name,
            value,
            expected: "finite and >= 0",
        })
    }
}

/// `Ok` if `value` lies in the open interval `(0, 1)`.
pub(crate) fn check_open_unit(name: &'static str, value: f64) -> Result<(), OptimError> {
    if value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidValue {
            name,
            value,
            expected: "in (0, 1)",
        })
    }
}

/// `Ok` if `value >= 1`.
pub(crate) fn check_positive_count(name: &'static str, value: usize) -> Result<(), OptimError> {
    if value >= 1 {
        Ok(())
    } else {
        Err(OptimError::InvalidCount {
            name,
            value,
            expected: "at least 1",
        })
    }
}

/// `Ok` if the rate the optimizer's schedule gives for its next update is usable: finite and
/// `>= 0`.
pub(crate) fn check_scheduled_rate<const N: usize, T: crate::Scalar>(
    optimizer: &impl super::Optimizer<N, T>,
) -> Result<(), OptimError> {
    let rate = optimizer.learning_rate().value();
    if rate.is_finite() && rate >= 0.0 {
        Ok(())
    } else {
        Err(OptimError::ScheduledRate {
            schedule: optimizer.schedule_name(),
            step: optimizer.steps(),
            rate,
        })
    }
}
