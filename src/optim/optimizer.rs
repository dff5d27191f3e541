//! The first-order optimizer trait.

use crate::Scalar;
use nalgebra::SVector;

/// A first-order optimizer over `N` parameters: explicit state plus a step from a gradient.
///
/// An optimizer is built from a validated config (such as [`SgdConfig`](crate::optim::SgdConfig) or
/// [`AdamConfig`](crate::optim::AdamConfig)), keeps its state (momentum buffers, moment estimates, the
/// update count) in statically sized vectors, and never allocates. Its learning-rate
/// [`Schedule`](crate::optim::Schedule) is consulted inside `step`, with the step index starting at 0 on
/// the first update.
///
/// ```
/// use dualgrad::optim::{Optimizer, SgdConfig};
/// use nalgebra::SVector;
///
/// // Plain gradient descent θ ← θ − η g on f(θ) = θ², g = 2θ.
/// let mut opt = SgdConfig::default().with_lr(0.25).build::<1>().unwrap();
/// let mut theta = SVector::from([1.0]);
/// for _ in 0..3 {
///     let g = theta * 2.0;
///     opt.step(&mut theta, &g);
/// }
/// assert_eq!(theta[0], 0.125); // θ ← θ (1 − 2η) = θ / 2, three times
/// assert_eq!(opt.steps(), 3);
/// ```
///
/// # The scalar `T`
///
/// Parameters, gradients, state and hyperparameters share one scalar type `T`, `f64` by default.
/// With `T` a [`Jet`](crate::Jet) whose tangents are hyperparameters (the learning rate, weight
/// decay, a momentum), every update also carries the derivative of the parameters with respect
/// to them, so a whole training run can be differentiated
/// ([`hypergradient`](crate::train::hypergradient)). The `f64` instantiation is the same code as before
/// it was generic.
pub trait Optimizer<const N: usize, T: Scalar = f64> {
    /// Update `params` in place from the gradient `grad` of the loss at `params`.
    fn step(&mut self, params: &mut SVector<T, N>, grad: &SVector<T, N>);

    /// Forget the state (buffers, moments, the update count), keeping the hyperparameters.
    fn reset(&mut self);

    /// The number of updates made since the optimizer was built or reset; the next update uses
    /// the schedule's rate at this index.
    fn steps(&self) -> usize;

    /// The learning rate the next update will use (the schedule's rate at [`steps`](Self::steps)).
    ///
    /// ```
    /// use dualgrad::optim::{Exponential, Optimizer, SgdConfig};
    /// use nalgebra::SVector;
    /// let mut opt = SgdConfig::default()
    ///     .with_schedule(Exponential::new(1.0, 0.5).unwrap())
    ///     .build::<1>()
    ///     .unwrap();
    /// assert_eq!(opt.learning_rate(), 1.0);
    /// opt.step(&mut SVector::from([0.0]), &SVector::from([0.0]));
    /// assert_eq!(opt.learning_rate(), 0.5); // η γ¹
    /// ```
    fn learning_rate(&self) -> T;

    /// Multiply the schedule's rate by `factor` from the next update on (1 restores the
    /// schedule). [`ReduceLrOnPlateau`](crate::train::ReduceLrOnPlateau) lowers the rate this way
    /// during [`train_monitored`](crate::train::train_monitored); [`reset`](Self::reset) keeps the
    /// factor. An optimizer of your own applies it wherever it uses its learning rate.
    ///
    /// ```
    /// use dualgrad::optim::{Optimizer, SgdConfig};
    /// use nalgebra::SVector;
    /// let mut opt = SgdConfig::default().with_lr(0.5).build::<1>().unwrap();
    /// opt.set_lr_factor(0.1);
    /// assert_eq!(opt.learning_rate(), 0.05);
    /// let mut theta = SVector::from([1.0]);
    /// opt.step(&mut theta, &SVector::from([1.0]));
    /// assert_eq!(theta[0], 0.95); // 1 − 0.05·1
    /// ```
    fn set_lr_factor(&mut self, factor: f64);

    /// The Rust type name of the learning-rate schedule, for error messages (a closure's reads
    /// `my_crate::my_fn::{{closure}}`). The default, for optimizers without a schedule, is
    /// `"the learning rate"`.
    ///
    /// ```
    /// use dualgrad::optim::{Exponential, Optimizer, SgdConfig};
    /// let opt = SgdConfig::default().with_schedule(Exponential::new(1.0, 0.5).unwrap()).build::<1>().unwrap();
    /// assert!(opt.schedule_name().ends_with("::Exponential")); // dualgrad::optim::schedule::Exponential
    /// ```
    fn schedule_name(&self) -> &'static str {
        "the learning rate"
    }
}
