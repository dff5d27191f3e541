//! Differentiating a whole training run: exact hypergradients by forward mode.
//!
//! Optimizers, schedules and [`BatchLoss`] objectives are generic over the scalar, so a training
//! run can be carried out on [`Jet`]s whose tangents are hyperparameters. Every parameter then
//! carries its derivative with respect to them, updated step by step alongside its value, and the
//! validation loss at the end arrives with its exact gradient (forward-mode hyperparameter
//! optimisation, Franceschi et al., ICML 2017). Memory does not grow with the number of steps:
//! nothing of the trajectory is stored.

use super::config::TrainConfig;
use super::engine::{BatchPlan, EpochEnd};
use crate::objective::{BatchLoss, Samples};
use crate::optim::{OptimError, Optimizer};
use crate::{Jet, Scalar};
use nalgebra::SVector;

/// What the `setup` closure of [`hypergradient`] and [`validation_after_training`] returns: the
/// optimizer and the initial parameters built from the hyperparameters, or the error of a bad
/// hyperparameter.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::optim::{Adam, AdamConfig, Constant};
/// use dualgrad::train::RunSetup;
/// use nalgebra::SVector;
/// fn setup<T: Scalar>(h: &SVector<T, 1>) -> RunSetup<Adam<2, Constant<T>, T>, T, 2> {
///     let adam = AdamConfig::default().lift::<T>().with_lr(h[0]).build()?;
///     Ok((adam, SVector::from([T::lift(1.0), T::lift(-1.0)])))
/// }
/// assert!(setup(&SVector::from([0.1])).is_ok());
/// assert!(setup(&SVector::from([-0.1])).is_err());
/// ```
pub type RunSetup<Opt, T, const P: usize> = Result<(Opt, SVector<T, P>), OptimError>;

/// The result of a training run of fixed length, at any scalar type: see [`train_unrolled`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnrolledRun<T, const P: usize> {
    /// The parameters after the run; if it diverged, the last finite ones.
    pub params: SVector<T, P>,
    /// The number of optimizer steps taken.
    pub steps: usize,
    /// `Some((step, loss))` when the mini-batch loss or gradient at optimizer step `step`
    /// (counted from 0) was not finite: the run stopped there, before that update.
    pub diverged: Option<(usize, f64)>,
}

/// Train for exactly `config.epochs()` epochs at any scalar type `T`: the training loop of
/// [`train`](crate::train::train) (the same seeded shuffles and mini-batches of
/// `config.batch_size()`), without its early stops, so that the run has a fixed length and can
/// be differentiated. Gradients come from [`BatchLoss::loss_and_gradient_at`]. It runs the same engine as `train`.
///
/// On `f64` this is an ordinary training run. On a [`Jet`] whose tangents are hyperparameters it
/// is the differentiated run behind [`hypergradient`].
///
/// # Errors
/// [`OptimError::EmptyObjective`] for an objective with no samples,
/// [`OptimError::InvalidCount`] for a batch size of 0, [`OptimError::BatchLargerThanData`] for
/// a batch larger than the data set (as `train`), [`OptimError::ScheduledRate`] when the
/// schedule's rate (its value) is negative or not finite before an update.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::objective::{BatchLoss, Samples};
/// use dualgrad::optim::SgdConfig;
/// use dualgrad::train::{TrainConfig, train_unrolled};
/// use nalgebra::SVector;
///
/// struct Quadratic; // ½ p², one "sample"
/// impl Samples for Quadratic { fn len(&self) -> usize { 1 } }
/// impl BatchLoss<1> for Quadratic {
///     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 1>, _: &[usize]) -> T { p[0] * p[0] * 0.5 }
/// }
/// let mut sgd = SgdConfig::default().with_lr(0.5).build().unwrap();
/// let config = TrainConfig::default().with_epochs(3);
/// let run = train_unrolled(&Quadratic, SVector::from([8.0]), &mut sgd, &config).unwrap();
/// assert_eq!((run.params[0], run.steps), (1.0, 3)); // p ← p (1 − η), three times
/// ```
pub fn train_unrolled<T, const P: usize, O, Opt>(
    objective: &O,
    p0: SVector<T, P>,
    optimizer: &mut Opt,
    config: &TrainConfig,
) -> Result<UnrolledRun<T, P>, OptimError>
where
    T: Scalar,
    O: BatchLoss<P>,
    Opt: Optimizer<P, T>,
{
    let mut plan = BatchPlan::new(objective.len(), config)?;
    let mut p = p0;
    let mut steps = 0;
    for _ in 0..config.epochs() {
        let end = plan.epoch(
            &mut p,
            optimizer,
            None,
            &mut steps,
            |p, batch| objective.loss_and_gradient_at(p, batch),
            |_| {},
        )?;
        if let EpochEnd::Diverged { loss, .. } = end {
            return Ok(UnrolledRun {
                params: p,
                steps,
                diverged: Some((steps, loss.value())),
            });
        }
    }
    Ok(UnrolledRun {
        params: p,
        steps,
        diverged: None,
    })
}

/// The validation loss after a training run, as a function of the hyperparameters `hyper`, at
/// any scalar type: `setup` builds the optimizer and the initial parameters from the
/// hyperparameters, [`train_unrolled`] runs it on `objective`, and the mean loss of
/// `validation` over all its samples is returned.
///
/// On `f64` it is one evaluation of the function that [`hypergradient`] differentiates (what a
/// grid search or a finite difference evaluates); [`hypergradient`] calls it on jets. The run
/// takes the forward-mode gradient of `objective` at every scalar type, so the two runs do the
/// same arithmetic: a model's own `f64` gradient (the per-layer path that [`train`](crate::train::train)
/// uses) sums in another order and can differ in the last bits.
///
/// # Errors
/// The errors of `setup` and of [`train_unrolled`]; [`OptimError::DivergedRun`] if the run
/// diverged; [`OptimError::EmptyValidation`] for an empty validation set;
/// [`OptimError::ValidationNotFinite`] when the validation loss after training is NaN or
/// infinite.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::objective::{BatchLoss, Samples};
/// use dualgrad::optim::SgdConfig;
/// use dualgrad::train::{TrainConfig, validation_after_training};
/// use nalgebra::SVector;
///
/// struct Quadratic; // ½ p²
/// impl Samples for Quadratic { fn len(&self) -> usize { 1 } }
/// impl BatchLoss<1> for Quadratic {
///     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 1>, _: &[usize]) -> T { p[0] * p[0] * 0.5 }
/// }
/// // two steps of gradient descent from p₀ = 2 with η = h: p₂ = 2(1 − η)², loss ½ p₂²
/// let config = TrainConfig::default().with_epochs(2);
/// let setup = |h: &SVector<f64, 1>| {
///     Ok((SgdConfig::default().with_lr(h[0]).build()?, SVector::from([2.0])))
/// };
/// let loss = validation_after_training(&SVector::from([0.5]), setup, &Quadratic, &Quadratic, &config);
/// assert_eq!(loss.unwrap(), 0.125); // p₂ = 0.5
/// ```
pub fn validation_after_training<T, const H: usize, const P: usize, O, V, Opt>(
    hyper: &SVector<T, H>,
    setup: impl FnOnce(&SVector<T, H>) -> RunSetup<Opt, T, P>,
    objective: &O,
    validation: &V,
    config: &TrainConfig,
) -> Result<T, OptimError>
where
    T: Scalar,
    O: BatchLoss<P>,
    V: BatchLoss<P>,
    Opt: Optimizer<P, T>,
{
    if validation.is_empty() {
        return Err(OptimError::EmptyValidation);
    }
    let (mut optimizer, p0) = setup(hyper)?;
    let run = train_unrolled(&ForwardMode(objective), p0, &mut optimizer, config)?;
    if let Some((step, loss)) = run.diverged {
        return Err(OptimError::DivergedRun { step, loss });
    }
    let all: Vec<usize> = (0..validation.len()).collect();
    let loss = validation.batch_loss(&run.params, &all);
    if !loss.value().is_finite() {
        return Err(OptimError::ValidationNotFinite { loss: loss.value() });
    }
    Ok(loss)
}

/// The validation loss after a training run and its exact gradient with respect to `H`
/// hyperparameters, in one differentiated run.
///
/// `setup` receives the hyperparameters as [`Jet`]s (hyperparameter `k` seeded in direction `k`)
/// and builds the optimizer (configs take jets through their `lift` and `with_*` setters:
/// learning rate, weight decay, momenta, ...) and the initial parameters (for an initialisation
/// scale, multiply a fixed draw by it). The run is [`train_unrolled`] on `objective`; the result
/// is the mean loss of `validation` at the final parameters with its gradient. The cost is about
/// `H + 1` runs' worth of optimizer arithmetic and `H + 1` times the gradient cost per step
/// (each parameter gradient is taken by nested forward mode), and no memory grows with the
/// number of steps.
///
/// The value is exactly [`validation_after_training`] at `f64`, so the gradient can be checked
/// against finite differences of that function.
///
/// # Errors
/// As [`validation_after_training`].
///
/// ```
/// use dualgrad::{Jet, Scalar};
/// use dualgrad::objective::{BatchLoss, Samples};
/// use dualgrad::optim::SgdConfig;
/// use dualgrad::train::{TrainConfig, hypergradient};
/// use nalgebra::SVector;
///
/// struct Quadratic; // ½ p²
/// impl Samples for Quadratic { fn len(&self) -> usize { 1 } }
/// impl BatchLoss<1> for Quadratic {
///     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 1>, _: &[usize]) -> T { p[0] * p[0] * 0.5 }
/// }
/// // K = 2 steps of gradient descent from p₀ = 2: p₂ = 2(1 − η)², L = ½ p₂² = 2(1 − η)⁴,
/// // dL/dη = −8(1 − η)³ = −1 at η = 0.5.
/// let config = TrainConfig::default().with_epochs(2);
/// let setup = |h: &SVector<_, 1>| {
///     let sgd = SgdConfig::default().lift().with_lr(h[0]).build()?;
///     Ok((sgd, SVector::from([Jet::constant(2.0)])))
/// };
/// let hg = hypergradient(&SVector::from([0.5]), setup, &Quadratic, &Quadratic, &config).unwrap();
/// assert_eq!((hg.loss, hg.gradient[0]), (0.125, -1.0));
/// ```
pub fn hypergradient<const H: usize, const P: usize, O, V, Opt>(
    hyper: &SVector<f64, H>,
    setup: impl FnOnce(&SVector<Jet<f64, H>, H>) -> RunSetup<Opt, Jet<f64, H>, P>,
    objective: &O,
    validation: &V,
    config: &TrainConfig,
) -> Result<Hypergradient<H>, OptimError>
where
    O: BatchLoss<P>,
    V: BatchLoss<P>,
    Opt: Optimizer<P, Jet<f64, H>>,
{
    crate::scalar::prepare_tanh();
    let seeded = SVector::from_fn(|k, _| Jet::variable(hyper[k], k));
    let loss = validation_after_training(&seeded, setup, objective, validation, config)?;
    Ok(Hypergradient {
        loss: loss.re,
        gradient: SVector::from(loss.eps),
    })
}

/// What [`hypergradient`] returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hypergradient<const H: usize> {
    /// The validation loss after the run.
    pub loss: f64,
    /// Its gradient with respect to the `H` hyperparameters, in the order they were given.
    pub gradient: SVector<f64, H>,
}

/// A [`BatchLoss`] whose gradient is always the forward-mode one
/// ([`loss_and_gradient_at`](BatchLoss::loss_and_gradient_at)'s default), at `f64` as at jets:
/// the value parts of a differentiated run are then the `f64` run's arithmetic, to the bit.
/// (A model's own `f64` gradient, the per-layer path, sums in another order.)
struct ForwardMode<'a, L: ?Sized>(&'a L);

impl<L: Samples + ?Sized> Samples for ForwardMode<'_, L> {
    fn len(&self) -> usize {
        self.0.len()
    }
}

impl<L: BatchLoss<P> + ?Sized, const P: usize> BatchLoss<P> for ForwardMode<'_, L> {
    fn batch_loss<T: Scalar>(&self, params: &SVector<T, P>, indices: &[usize]) -> T {
        self.0.batch_loss(params, indices)
    }
}
