//! RMSprop: gradients scaled by a running root-mean-square, optionally centered, with momentum.

use super::convention::EpsPlacement;
use super::error::OptimError;
use super::optimizer::Optimizer;
use super::schedule::{Constant, Schedule};
use super::validate::{check_beta, check_eps, check_non_negative};
use crate::Scalar;
use nalgebra::SVector;

/// The hyperparameters of [`Rmsprop`], validated by [`build`](RmspropConfig::build).
///
/// The defaults are PyTorch's `torch.optim.RMSprop`: `lr = 1e-2`, `alpha = 0.99`, `eps = 1e-8`,
/// no weight decay, no momentum, not centered, [`EpsPlacement::OutsideSqrt`]. One update with
/// `η` the scheduled rate, every state starting at 0:
///
/// ```text
/// g ← g + λθ                              (weight decay λ, if non-zero)
/// v ← αv + (1 − α)g²;  ṽ ← v
/// centered: a ← αa + (1 − α)g;  ṽ ← ṽ − a²
/// D ← sqrt(ṽ) + ε                         (or sqrt(ṽ + ε) with EpsPlacement::InsideSqrt)
/// momentum μ > 0: b ← μb + g / D;  θ ← θ − ηb
/// otherwise:      θ ← θ − η g / D
/// ```
///
/// The textbook RMSprop (Hinton's lecture notes) (`s ← βs + (1 − β)g²`, `θ ← θ − η g / sqrt(s + ε)`) is
/// `alpha = β` with ε inside the root, which is also optax's `rmsprop`.
///
/// ```
/// use dualgrad::optim::{Optimizer, RmspropConfig};
/// use nalgebra::SVector;
/// let mut opt = RmspropConfig::default().with_lr(0.1).with_alpha(0.75).build::<1>().unwrap();
/// let mut theta = SVector::from([0.0]);
/// opt.step(&mut theta, &SVector::from([2.0])); // v = 0.25·4 = 1: step 0.1·2 / (1 + 1e-8)
/// assert!((theta[0] + 0.2).abs() < 1e-8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RmspropConfig<S = Constant, T = f64> {
    schedule: S,
    alpha: T,
    eps: T,
    weight_decay: T,
    momentum: T,
    centered: bool,
    eps_placement: EpsPlacement,
}

impl Default for RmspropConfig<Constant> {
    fn default() -> Self {
        Self {
            schedule: Constant::unchecked(1e-2),
            alpha: 0.99,
            eps: 1e-8,
            weight_decay: 0.0,
            momentum: 0.0,
            centered: false,
            eps_placement: EpsPlacement::OutsideSqrt,
        }
    }
}

impl RmspropConfig<Constant> {
    /// The same hyperparameters at another scalar type `U` (each `f64` lifted with
    /// [`Scalar::lift`], so its derivative parts are zero), ready for `with_*` setters that take
    /// `U` values: the start of a differentiated training run (see
    /// [`SgdConfig::lift`](crate::optim::SgdConfig::lift) for an example).
    pub fn lift<U: Scalar>(self) -> RmspropConfig<Constant<U>, U> {
        RmspropConfig {
            schedule: Constant::unchecked(U::lift(self.schedule.rate(0))),
            alpha: U::lift(self.alpha),
            eps: U::lift(self.eps),
            weight_decay: U::lift(self.weight_decay),
            momentum: U::lift(self.momentum),
            centered: self.centered,
            eps_placement: self.eps_placement,
        }
    }
}

impl<T: Scalar> RmspropConfig<Constant<T>, T> {
    /// A constant learning rate (checked by [`build`](Self::build): finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::optim::RmspropConfig;
    /// assert!(RmspropConfig::default().with_lr(-1.0).build::<1>().is_err());
    /// ```
    pub fn with_lr(mut self, lr: T) -> Self {
        self.schedule = Constant::unchecked(lr);
        self
    }
}

impl<T: Scalar, S: Schedule<T>> RmspropConfig<S, T> {
    /// Replace the learning rate by a schedule (step index from 0 on the first update).
    ///
    /// ```
    /// # use dualgrad::optim::{Cosine, RmspropConfig};
    /// assert!(RmspropConfig::default().with_schedule(Cosine::new(0.01, 0.0, 100).unwrap()).build::<1>().is_ok());
    /// ```
    pub fn with_schedule<S2: Schedule<T>>(self, schedule: S2) -> RmspropConfig<S2, T> {
        RmspropConfig {
            schedule,
            alpha: self.alpha,
            eps: self.eps,
            weight_decay: self.weight_decay,
            momentum: self.momentum,
            centered: self.centered,
            eps_placement: self.eps_placement,
        }
    }

    /// Smoothing constant `α` in `[0, 1)` of the squared-gradient average.
    ///
    /// ```
    /// # use dualgrad::optim::{OptimError, RmspropConfig};
    /// let err = RmspropConfig::default().with_alpha(1.0).build::<1>().unwrap_err();
    /// assert_eq!(err, OptimError::InvalidBeta { name: "alpha", value: 1.0 });
    /// ```
    pub fn with_alpha(mut self, alpha: T) -> Self {
        self.alpha = alpha;
        self
    }

    /// `eps > 0`, added to the denominator.
    ///
    /// ```
    /// # use dualgrad::optim::RmspropConfig;
    /// assert!(RmspropConfig::default().with_eps(-1e-8).build::<1>().is_err());
    /// ```
    pub fn with_eps(mut self, eps: T) -> Self {
        self.eps = eps;
        self
    }

    /// Coupled weight decay `λ >= 0`: `λθ` is added to the gradient.
    ///
    /// ```
    /// # use dualgrad::optim::RmspropConfig;
    /// assert!(RmspropConfig::default().with_weight_decay(1e-4).build::<1>().is_ok());
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// Momentum `μ` in `[0, 1)` on the scaled gradient.
    ///
    /// ```
    /// # use dualgrad::optim::RmspropConfig;
    /// assert!(RmspropConfig::default().with_momentum(0.9).build::<1>().is_ok());
    /// ```
    pub fn with_momentum(mut self, momentum: T) -> Self {
        self.momentum = momentum;
        self
    }

    /// Centered RMSprop: divide by an estimate of the gradient's standard deviation instead of
    /// its root mean square.
    ///
    /// ```
    /// # use dualgrad::optim::RmspropConfig;
    /// assert!(RmspropConfig::default().with_centered(true).build::<1>().is_ok());
    /// ```
    pub fn with_centered(mut self, centered: bool) -> Self {
        self.centered = centered;
        self
    }

    /// Outside the square root (PyTorch) or inside it (the textbook form, optax); see
    /// [`EpsPlacement`].
    ///
    /// ```
    /// # use dualgrad::optim::{EpsPlacement, RmspropConfig};
    /// assert!(RmspropConfig::default().with_eps_placement(EpsPlacement::InsideSqrt).build::<1>().is_ok());
    /// ```
    pub fn with_eps_placement(mut self, placement: EpsPlacement) -> Self {
        self.eps_placement = placement;
        self
    }

    /// Validate the hyperparameters and build the optimizer for `N` parameters.
    ///
    /// ```
    /// # use dualgrad::optim::RmspropConfig;
    /// let err = RmspropConfig::default().with_momentum(-0.5).build::<2>().unwrap_err();
    /// assert_eq!(err.to_string(), "invalid momentum = -0.5: must lie in [0, 1)");
    /// ```
    pub fn build<const N: usize>(self) -> Result<Rmsprop<N, S, T>, OptimError> {
        self.schedule.validate()?;
        check_beta("alpha", self.alpha.value())?;
        check_eps(self.eps.value())?;
        check_non_negative("weight_decay", self.weight_decay.value())?;
        check_beta("momentum", self.momentum.value())?;
        Ok(Rmsprop {
            lr_factor: 1.0,
            config: self,
            square_avg: SVector::zeros(),
            grad_avg: SVector::zeros(),
            buf: SVector::zeros(),
            t: 0,
        })
    }
}

/// RMSprop (PyTorch's `torch.optim.RMSprop`, or the seed/optax form with ε inside the root);
/// built by [`RmspropConfig::build`], which documents the update.
///
/// ```
/// use dualgrad::optim::{Optimizer, RmspropConfig};
/// use nalgebra::SVector;
/// let mut opt = RmspropConfig::default().with_lr(0.01).with_alpha(0.99).build::<2>().unwrap();
/// let mut theta = SVector::from([0.0, 0.0]);
/// opt.step(&mut theta, &SVector::from([5.0, -5.0])); // v = 0.01 g²: step η g / (0.1|g|) = 10η sign(g)
/// assert!((theta - SVector::from([-0.1, 0.1])).abs().max() < 1e-7); // ε shifts it by 2e-9
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Rmsprop<const N: usize, S = Constant, T = f64> {
    /// Multiplies the schedule's rate (1 unless a plateau rule lowered it).
    lr_factor: f64,
    config: RmspropConfig<S, T>,
    square_avg: SVector<T, N>,
    grad_avg: SVector<T, N>,
    buf: SVector<T, N>,
    t: usize,
}

impl<const N: usize, T: Scalar, S: Schedule<T>> Rmsprop<N, S, T> {
    /// The validated hyperparameters.
    ///
    /// ```
    /// # use dualgrad::optim::RmspropConfig;
    /// let cfg = RmspropConfig::default().with_centered(true);
    /// assert_eq!(*cfg.build::<1>().unwrap().config(), cfg);
    /// ```
    pub fn config(&self) -> &RmspropConfig<S, T> {
        &self.config
    }
}

impl<const N: usize, T: Scalar, S: Schedule<T>> Optimizer<N, T> for Rmsprop<N, S, T> {
    fn step(&mut self, params: &mut SVector<T, N>, grad: &SVector<T, N>) {
        let c = &self.config;
        let lr = c.schedule.rate(self.t) * self.lr_factor;
        let a = c.alpha;
        let one_a = T::one() - a;
        let (decay, momentum) = (!c.weight_decay.is_zero(), !c.momentum.is_zero());
        for i in 0..N {
            let mut g = grad[i];
            if decay {
                g += c.weight_decay * params[i];
            }
            self.square_avg[i] = a * self.square_avg[i] + one_a * g * g;
            let mut v = self.square_avg[i];
            if c.centered {
                self.grad_avg[i] = self.grad_avg[i] * a + one_a * g;
                v -= self.grad_avg[i] * self.grad_avg[i];
            }
            let denom = c.eps_placement.denom(v, c.eps);
            if momentum {
                self.buf[i] = c.momentum * self.buf[i] + g / denom;
                params[i] -= lr * self.buf[i];
            } else {
                params[i] -= lr * g / denom;
            }
        }
        self.t += 1;
    }

    fn reset(&mut self) {
        self.square_avg = SVector::zeros();
        self.grad_avg = SVector::zeros();
        self.buf = SVector::zeros();
        self.t = 0;
    }

    fn steps(&self) -> usize {
        self.t
    }

    fn learning_rate(&self) -> T {
        self.config.schedule.rate(self.t) * self.lr_factor
    }

    fn set_lr_factor(&mut self, factor: f64) {
        self.lr_factor = factor;
    }

    fn schedule_name(&self) -> &'static str {
        std::any::type_name::<S>()
    }
}
