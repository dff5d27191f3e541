//! Adagrad: per-coordinate rates shrinking with the accumulated squared gradient.

use super::convention::EpsPlacement;
use super::error::OptimError;
use super::optimizer::Optimizer;
use super::schedule::{Constant, Schedule};
use super::validate::{check_eps, check_non_negative};
use crate::Scalar;
use nalgebra::SVector;

/// The hyperparameters of [`Adagrad`], validated by [`build`](AdagradConfig::build).
///
/// The defaults are PyTorch's `torch.optim.Adagrad`: `lr = 1e-2`, `lr_decay = 0`,
/// `weight_decay = 0`, `initial_accumulator_value = 0`, `eps = 1e-10`,
/// [`EpsPlacement::OutsideSqrt`]. Update number `t = 1, 2, ...` with `η` the scheduled rate:
///
/// ```text
/// η̃ ← η / (1 + (t − 1) lr_decay)
/// g ← g + λθ                       (weight decay λ, if non-zero)
/// s ← s + g²                       (s starts at initial_accumulator_value)
/// θ ← θ − η̃ g / (sqrt(s) + ε)      or θ − η̃ g / sqrt(s + ε) with EpsPlacement::InsideSqrt
/// ```
///
/// The textbook Adagrad (Duchi et al.) is `initial_accumulator_value = 0` with ε inside the root;
/// optax's `adagrad` is ε inside with `initial_accumulator_value = 0.1`, `eps = 1e-7`.
///
/// ```
/// use dualgrad::optim::{AdagradConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdagradConfig::default().with_lr(1.0).build::<1>().unwrap();
/// let mut theta = SVector::from([0.0]);
/// opt.step(&mut theta, &SVector::from([3.0])); // s = 9: step 3 / (3 + 1e-10) ≈ 1
/// opt.step(&mut theta, &SVector::from([4.0])); // s = 25: step 4 / 5
/// assert!((theta[0] + 1.8).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdagradConfig<S = Constant, T = f64> {
    schedule: S,
    lr_decay: T,
    weight_decay: T,
    initial_accumulator_value: T,
    eps: T,
    eps_placement: EpsPlacement,
}

impl Default for AdagradConfig<Constant> {
    fn default() -> Self {
        Self {
            schedule: Constant::unchecked(1e-2),
            lr_decay: 0.0,
            weight_decay: 0.0,
            initial_accumulator_value: 0.0,
            eps: 1e-10,
            eps_placement: EpsPlacement::OutsideSqrt,
        }
    }
}

impl AdagradConfig<Constant> {
    /// The same hyperparameters at another scalar type `U` (each `f64` lifted with
    /// [`Scalar::lift`], so its derivative parts are zero), ready for `with_*` setters that take
    /// `U` values: the start of a differentiated training run (see
    /// [`SgdConfig::lift`](crate::optim::SgdConfig::lift) for an example).
    pub fn lift<U: Scalar>(self) -> AdagradConfig<Constant<U>, U> {
        AdagradConfig {
            schedule: Constant::unchecked(U::lift(self.schedule.rate(0))),
            lr_decay: U::lift(self.lr_decay),
            weight_decay: U::lift(self.weight_decay),
            initial_accumulator_value: U::lift(self.initial_accumulator_value),
            eps: U::lift(self.eps),
            eps_placement: self.eps_placement,
        }
    }
}

impl<T: Scalar> AdagradConfig<Constant<T>, T> {
    /// A constant learning rate (checked by [`build`](Self::build): finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::optim::AdagradConfig;
    /// assert!(AdagradConfig::default().with_lr(f64::NAN).build::<1>().is_err());
    /// ```
    pub fn with_lr(mut self, lr: T) -> Self {
        self.schedule = Constant::unchecked(lr);
        self
    }
}

impl<T: Scalar, S: Schedule<T>> AdagradConfig<S, T> {
    /// Replace the learning rate by a schedule (step index from 0 on the first update); the
    /// `lr_decay` factor applies on top of it.
    ///
    /// ```
    /// # use dualgrad::optim::{AdagradConfig, Exponential};
    /// assert!(AdagradConfig::default().with_schedule(Exponential::new(0.1, 0.9).unwrap()).build::<1>().is_ok());
    /// ```
    pub fn with_schedule<S2: Schedule<T>>(self, schedule: S2) -> AdagradConfig<S2, T> {
        AdagradConfig {
            schedule,
            lr_decay: self.lr_decay,
            weight_decay: self.weight_decay,
            initial_accumulator_value: self.initial_accumulator_value,
            eps: self.eps,
            eps_placement: self.eps_placement,
        }
    }

    /// Learning-rate decay `>= 0`: the rate of update `t` is divided by `1 + (t − 1) lr_decay`.
    ///
    /// ```
    /// # use dualgrad::optim::AdagradConfig;
    /// assert!(AdagradConfig::default().with_lr_decay(-1.0).build::<1>().is_err());
    /// ```
    pub fn with_lr_decay(mut self, lr_decay: T) -> Self {
        self.lr_decay = lr_decay;
        self
    }

    /// Coupled weight decay `λ >= 0`: `λθ` is added to the gradient.
    ///
    /// ```
    /// # use dualgrad::optim::AdagradConfig;
    /// assert!(AdagradConfig::default().with_weight_decay(0.01).build::<1>().is_ok());
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// The accumulator's starting value `>= 0`.
    ///
    /// ```
    /// # use dualgrad::optim::{AdagradConfig, Optimizer}; use nalgebra::SVector;
    /// let mut opt = AdagradConfig::default().with_lr(1.0).with_initial_accumulator_value(16.0).build::<1>().unwrap();
    /// let mut theta = SVector::from([0.0]);
    /// opt.step(&mut theta, &SVector::from([3.0])); // s = 16 + 9 = 25: step 3/5
    /// assert!((theta[0] + 0.6).abs() < 1e-10);
    /// ```
    pub fn with_initial_accumulator_value(mut self, value: T) -> Self {
        self.initial_accumulator_value = value;
        self
    }

    /// `eps > 0`, added to the denominator.
    ///
    /// ```
    /// # use dualgrad::optim::{AdagradConfig, OptimError};
    /// assert_eq!(AdagradConfig::default().with_eps(0.0).build::<1>().unwrap_err(), OptimError::InvalidEps(0.0));
    /// ```
    pub fn with_eps(mut self, eps: T) -> Self {
        self.eps = eps;
        self
    }

    /// Outside the square root (PyTorch) or inside it (the textbook form, optax); see
    /// [`EpsPlacement`].
    ///
    /// ```
    /// # use dualgrad::optim::{AdagradConfig, EpsPlacement};
    /// assert!(AdagradConfig::default().with_eps_placement(EpsPlacement::InsideSqrt).build::<1>().is_ok());
    /// ```
    pub fn with_eps_placement(mut self, placement: EpsPlacement) -> Self {
        self.eps_placement = placement;
        self
    }

    /// Validate the hyperparameters and build the optimizer for `N` parameters.
    ///
    /// ```
    /// # use dualgrad::optim::AdagradConfig;
    /// let err = AdagradConfig::default().with_initial_accumulator_value(-1.0).build::<2>().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid initial_accumulator_value = -1: must be finite and >= 0");
    /// ```
    pub fn build<const N: usize>(self) -> Result<Adagrad<N, S, T>, OptimError> {
        self.schedule.validate()?;
        check_non_negative("lr_decay", self.lr_decay.value())?;
        check_non_negative("weight_decay", self.weight_decay.value())?;
        check_non_negative(
            "initial_accumulator_value",
            self.initial_accumulator_value.value(),
        )?;
        check_eps(self.eps.value())?;
        Ok(Adagrad {
            lr_factor: 1.0,
            sum: SVector::repeat(self.initial_accumulator_value),
            config: self,
            t: 0,
        })
    }
}

/// Adagrad (PyTorch's `torch.optim.Adagrad`, or the seed/optax form with ε inside the root);
/// built by [`AdagradConfig::build`], which documents the update.
///
/// ```
/// use dualgrad::optim::{AdagradConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdagradConfig::default().with_lr(0.5).build::<2>().unwrap();
/// let mut theta = SVector::from([0.0, 0.0]);
/// opt.step(&mut theta, &SVector::from([2.0, -8.0])); // first step ≈ η·sign(g)
/// assert!((theta - SVector::from([-0.5, 0.5])).abs().max() < 1e-9);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Adagrad<const N: usize, S = Constant, T = f64> {
    /// Multiplies the schedule's rate (1 unless a plateau rule lowered it).
    lr_factor: f64,
    config: AdagradConfig<S, T>,
    sum: SVector<T, N>,
    t: usize,
}

impl<const N: usize, T: Scalar, S: Schedule<T>> Adagrad<N, S, T> {
    /// The validated hyperparameters.
    ///
    /// ```
    /// # use dualgrad::optim::AdagradConfig;
    /// let cfg = AdagradConfig::default();
    /// assert_eq!(*cfg.build::<1>().unwrap().config(), cfg);
    /// ```
    pub fn config(&self) -> &AdagradConfig<S, T> {
        &self.config
    }
}

impl<const N: usize, T: Scalar, S: Schedule<T>> Optimizer<N, T> for Adagrad<N, S, T> {
    fn step(&mut self, params: &mut SVector<T, N>, grad: &SVector<T, N>) {
        let c = &self.config;
        let lr = c.schedule.rate(self.t) * self.lr_factor / (c.lr_decay * self.t as f64 + 1.0);
        let decay = !c.weight_decay.is_zero();
        for i in 0..N {
            let mut g = grad[i];
            if decay {
                g += c.weight_decay * params[i];
            }
            self.sum[i] += g * g;
            params[i] -= lr * g / c.eps_placement.denom(self.sum[i], c.eps);
        }
        self.t += 1;
    }

    fn reset(&mut self) {
        self.sum = SVector::repeat(self.config.initial_accumulator_value);
        self.t = 0;
    }

    fn steps(&self) -> usize {
        self.t
    }

    fn learning_rate(&self) -> T {
        self.config.schedule.rate(self.t) * self.lr_factor
            / (self.config.lr_decay * self.t as f64 + 1.0)
    }

    fn set_lr_factor(&mut self, factor: f64) {
        self.lr_factor = factor;
    }

    fn schedule_name(&self) -> &'static str {
        std::any::type_name::<S>()
    }
}
