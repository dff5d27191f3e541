//! The one training engine: the validated batch plan and the epoch loop, generic over the scalar.
//! [`train`](crate::train::train), [`train_monitored`](crate::train::train_monitored) and
//! [`train_unrolled`](crate::train::train_unrolled) all run their epochs here.

use super::config::TrainConfig;
use crate::Scalar;
use crate::data::{ChaCha8Rng, seeded_rng, shuffle_with};
use crate::optim::{OptimError, Optimizer, check_scheduled_rate};
use nalgebra::SVector;

/// The mini-batches of a run: the batch size checked against the data, the shuffled order and
/// its generator (ChaCha8 seeded by [`TrainConfig::with_seed`], the same on every machine).
pub(crate) struct BatchPlan {
    batch: usize,
    /// `0..n`, for evaluations on all samples (and the batches of full-batch runs).
    all: Vec<usize>,
    /// The shuffled order of mini-batch runs (empty in full batch).
    order: Vec<usize>,
    rng: ChaCha8Rng,
}

/// How an epoch ended.
pub(crate) enum EpochEnd<T> {
    /// Every batch was stepped on.
    Done,
    /// A batch's loss or gradient was not finite at the current parameters: the run stops
    /// before that update.
    Diverged {
        /// The batch loss.
        loss: T,
        /// The norm of the batch gradient's values.
        grad_norm: f64,
    },
}

impl BatchPlan {
    /// The plan for `samples` samples under `config`.
    ///
    /// # Errors
    /// As [`TrainConfig::batch_size_for`].
    pub(crate) fn new(samples: usize, config: &TrainConfig) -> Result<Self, OptimError> {
        let batch = config.batch_size_for(samples)?;
        let all: Vec<usize> = (0..samples).collect();
        let order = if batch == samples {
            Vec::new()
        } else {
            all.clone()
        };
        Ok(Self {
            batch,
            all,
            order,
            rng: seeded_rng(config.seed()),
        })
    }

    /// One step per epoch on all samples.
    pub(crate) fn full_batch(&self) -> bool {
        self.batch == self.all.len()
    }

    /// All sample indices, in order.
    pub(crate) fn all(&self) -> &[usize] {
        &self.all
    }

    /// One epoch: for each mini-batch (after a reshuffle) the batch loss and gradient at `p`
    /// from `batch_gradient`, a divergence test, `on_finite(p)`, the schedule's check and one
    /// optimizer step; `steps` counts the updates. In full batch, `full_gradient` (the gradient
    /// on all samples at `p`, when the caller has just computed it) is stepped on directly.
    ///
    /// # Errors
    /// [`OptimError::ScheduledRate`] before an update whose scheduled rate is negative or not
    /// finite (the update is not made).
    pub(crate) fn epoch<T: Scalar, const P: usize, Opt: Optimizer<P, T>>(
        &mut self,
        p: &mut SVector<T, P>,
        optimizer: &mut Opt,
        full_gradient: Option<&SVector<T, P>>,
        steps: &mut usize,
        mut batch_gradient: impl FnMut(&SVector<T, P>, &[usize]) -> (T, SVector<T, P>),
        mut on_finite: impl FnMut(&SVector<T, P>),
    ) -> Result<EpochEnd<T>, OptimError> {
        let order = if !self.full_batch() {
            shuffle_with(&mut self.order, &mut self.rng);
            &self.order
        } else if let Some(grad) = full_gradient {
            check_scheduled_rate(optimizer)?;
            optimizer.step(p, grad);
            *steps += 1;
            return Ok(EpochEnd::Done);
        } else {
            &self.all
        };
        for batch in order.chunks(self.batch) {
            let (loss, grad) = batch_gradient(p, batch);
            let grad_norm = grad.map(|g| g.value()).norm();
            if !loss.value().is_finite() || !grad_norm.is_finite() {
                return Ok(EpochEnd::Diverged { loss, grad_norm });
            }
            on_finite(p);
            check_scheduled_rate(optimizer)?;
            optimizer.step(p, &grad);
            *steps += 1;
        }
        Ok(EpochEnd::Done)
    }
}
