//! Adagrad: per-coordinate rates shrinking with the accumulated squared gradient.

use super::convention::EpsPlacement;
use super::error::{OptimError, check_eps, check_non_negative};
use super::optimizer::Optimizer;
use super::schedule::{Constant, Schedule};
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
/// The seed articles' Adagrad is `initial_accumulator_value = 0` with ε inside the root;
/// optax's `adagrad` is ε inside with `initial_accumulator_value = 0.1`, `eps = 1e-7`.
///
/// ```
/// use dualgrad::{AdagradConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdagradConfig::default().with_lr(1.0).build::<1>().unwrap();
/// let mut theta = SVector::from([0.0]);
/// opt.step(&mut theta, &SVector::from([3.0])); // s = 9: step 3 / (3 + 1e-10) ≈ 1
/// opt.step(&mut theta, &SVector::from([4.0])); // s = 25: step 4 / 5
/// assert!((theta[0] + 1.8).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdagradConfig<S = Constant> {
    schedule: S,
    lr_decay: f64,
    weight_decay: f64,
    initial_accumulator_value: f64,
    eps: f64,
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
    /// A constant learning rate (checked by [`build`](Self::build): finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::AdagradConfig;
    /// assert!(AdagradConfig::default().with_lr(f64::NAN).build::<1>().is_err());
    /// ```
    pub fn with_lr(mut self, lr: f64) -> Self {
        self.schedule = Constant::unchecked(lr);
        self
    }
}

impl<S: Schedule> AdagradConfig<S> {
    /// Replace the learning rate by a schedule (step index from 0 on the first update); the
    /// `lr_decay` factor applies on top of it.
    ///
    /// ```
    /// # use dualgrad::{AdagradConfig, Exponential};
    /// assert!(AdagradConfig::default().with_schedule(Exponential::new(0.1, 0.9).unwrap()).build::<1>().is_ok());
    /// ```
    pub fn with_schedule<S2: Schedule>(self, schedule: S2) -> AdagradConfig<S2> {
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
    /// # use dualgrad::AdagradConfig;
    /// assert!(AdagradConfig::default().with_lr_decay(-1.0).build::<1>().is_err());
    /// ```
    pub fn with_lr_decay(mut self, lr_decay: f64) -> Self {
        self.lr_decay = lr_decay;
        self
    }

    /// Coupled weight decay `λ >= 0`: `λθ` is added to the gradient.
    ///
    /// ```
    /// # use dualgrad::AdagradConfig;
    /// assert!(AdagradConfig::default().with_weight_decay(0.01).build::<1>().is_ok());
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// The accumulator's starting value `>= 0`.
    ///
    /// ```
    /// # use dualgrad::{AdagradConfig, Optimizer}; use nalgebra::SVector;
    /// let mut opt = AdagradConfig::default().with_lr(1.0).with_initial_accumulator_value(16.0).build::<1>().unwrap();
    /// let mut theta = SVector::from([0.0]);
    /// opt.step(&mut theta, &SVector::from([3.0])); // s = 16 + 9 = 25: step 3/5
    /// assert!((theta[0] + 0.6).abs() < 1e-10);
    /// ```
    pub fn with_initial_accumulator_value(mut self, value: f64) -> Self {
        self.initial_accumulator_value = value;
        self
    }

    /// `eps > 0`, added to the denominator.
    ///
    /// ```
    /// # use dualgrad::{AdagradConfig, OptimError};
    /// assert_eq!(AdagradConfig::default().with_eps(0.0).build::<1>().unwrap_err(), OptimError::InvalidEps(0.0));
    /// ```
    pub fn with_eps(mut self, eps: f64) -> Self {
        self.eps = eps;
        self
    }

    /// Outside the square root (PyTorch) or inside it (seed articles, optax); see
    /// [`EpsPlacement`].
    ///
    /// ```
    /// # use dualgrad::{AdagradConfig, EpsPlacement};
    /// assert!(AdagradConfig::default().with_eps_placement(EpsPlacement::InsideSqrt).build::<1>().is_ok());
    /// ```
    pub fn with_eps_placement(mut self, placement: EpsPlacement) -> Self {
        self.eps_placement = placement;
        self
    }

    /// Validate the hyperparameters and build the optimizer for `N` parameters.
    ///
    /// ```
    /// # use dualgrad::AdagradConfig;
    /// let err = AdagradConfig::default().with_initial_accumulator_value(-1.0).build::<2>().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid initial_accumulator_value = -1: must be finite and >= 0");
    /// ```
    pub fn build<const N: usize>(self) -> Result<Adagrad<N, S>, OptimError> {
        self.schedule.validate()?;
        check_non_negative("lr_decay", self.lr_decay)?;
        check_non_negative("weight_decay", self.weight_decay)?;
        check_non_negative("initial_accumulator_value", self.initial_accumulator_value)?;
        check_eps(self.eps)?;
        Ok(Adagrad {
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
/// use dualgrad::{AdagradConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdagradConfig::default().with_lr(0.5).build::<2>().unwrap();
/// let mut theta = SVector::from([0.0, 0.0]);
/// opt.step(&mut theta, &SVector::from([2.0, -8.0])); // first step ≈ η·sign(g)
/// assert!((theta - SVector::from([-0.5, 0.5])).abs().max() < 1e-9);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Adagrad<const N: usize, S = Constant> {
    config: AdagradConfig<S>,
    sum: SVector<f64, N>,
    t: usize,
}

impl<const N: usize, S: Schedule> Adagrad<N, S> {
    /// The validated hyperparameters.
    ///
    /// ```
    /// # use dualgrad::AdagradConfig;
    /// let cfg = AdagradConfig::default();
    /// assert_eq!(*cfg.build::<1>().unwrap().config(), cfg);
    /// ```
    pub fn config(&self) -> &AdagradConfig<S> {
        &self.config
    }
}

impl<const N: usize, S: Schedule> Optimizer<N> for Adagrad<N, S> {
    fn step(&mut self, params: &mut SVector<f64, N>, grad: &SVector<f64, N>) {
        let c = &self.config;
        let lr = c.schedule.rate(self.t) / (1.0 + self.t as f64 * c.lr_decay);
        for i in 0..N {
            let mut g = grad[i];
            if c.weight_decay != 0.0 {
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

    fn learning_rate(&self) -> f64 {
        self.config.schedule.rate(self.t) / (1.0 + self.t as f64 * self.config.lr_decay)
    }

    fn schedule_name(&self) -> &'static str {
        std::any::type_name::<S>()
    }
}
