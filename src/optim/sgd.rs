//! Stochastic gradient descent with momentum, dampening, Nesterov and (coupled) weight decay.

use super::convention::MomentumForm;
use super::error::OptimError;
use super::optimizer::Optimizer;
use super::schedule::{Constant, Schedule};
use super::validate::{check_beta, check_non_negative};
use crate::Scalar;
use nalgebra::SVector;

/// The hyperparameters of [`Sgd`], validated by [`build`](SgdConfig::build).
///
/// The defaults are PyTorch's `torch.optim.SGD`: `lr = 1e-3`, no momentum, no dampening, no
/// Nesterov, no weight decay, [`MomentumForm::PyTorch`]. One update, with `η` the scheduled rate:
///
/// ```text
/// g ← g + λθ                                   (weight decay λ, if non-zero)
/// PyTorch form:  b ← g on the first update, else b ← μb + (1 − τ)g
/// Averaged form: v ← μv + (1 − μ)g, from v = 0
/// d ← g + μb (Nesterov, PyTorch form), (1 − μ)g + μv (Nesterov, averaged form), else b (or v)
/// θ ← θ − η d                                  (d = g when μ = 0)
/// ```
///
/// ```
/// use dualgrad::optim::{Optimizer, SgdConfig};
/// use nalgebra::SVector;
///
/// // Heavy-ball momentum on g = 1 twice: b = 1, then b = 0.9·1 + 1 = 1.9.
/// let mut opt = SgdConfig::default().with_lr(0.1).with_momentum(0.9).build::<1>().unwrap();
/// let mut theta = SVector::from([0.0]);
/// opt.step(&mut theta, &SVector::from([1.0]));
/// opt.step(&mut theta, &SVector::from([1.0]));
/// assert!((theta[0] + 0.29).abs() < 1e-15); // −0.1·1 − 0.1·1.9
/// ```
///
/// The hyperparameters have the scalar type `T` of the parameters (`f64` by default; a
/// [`Jet`](crate::Jet) to differentiate a training run, see [`lift`](SgdConfig::lift)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SgdConfig<S = Constant, T = f64> {
    schedule: S,
    momentum: T,
    dampening: T,
    nesterov: bool,
    weight_decay: T,
    form: MomentumForm,
}

impl Default for SgdConfig<Constant> {
    fn default() -> Self {
        Self {
            schedule: Constant::unchecked(1e-3),
            momentum: 0.0,
            dampening: 0.0,
            nesterov: false,
            weight_decay: 0.0,
            form: MomentumForm::PyTorch,
        }
    }
}

impl SgdConfig<Constant> {
    /// The same hyperparameters at another scalar type `U` (each `f64` lifted with
    /// [`Scalar::lift`], so its derivative parts are zero), ready for `with_*` setters that take
    /// `U` values: the start of a differentiated training run.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// use dualgrad::optim::{Optimizer, SgdConfig};
    /// use nalgebra::SVector;
    /// // d/dη of one step θ₁ = θ₀ − η g, with θ₀ = 1, g = 2: −g = −2.
    /// let lr = Jet::variable(0.1, 0);
    /// let mut opt = SgdConfig::default().lift::<Jet<f64, 1>>().with_lr(lr).build::<1>().unwrap();
    /// let mut theta = SVector::from([Jet::constant(1.0)]);
    /// opt.step(&mut theta, &SVector::from([Jet::constant(2.0)]));
    /// assert_eq!((theta[0].re, theta[0].eps), (0.8, [-2.0]));
    /// ```
    pub fn lift<U: Scalar>(self) -> SgdConfig<Constant<U>, U> {
        SgdConfig {
            schedule: Constant::unchecked(U::lift(self.schedule.rate(0))),
            momentum: U::lift(self.momentum),
            dampening: U::lift(self.dampening),
            nesterov: self.nesterov,
            weight_decay: U::lift(self.weight_decay),
            form: self.form,
        }
    }
}

impl<T: Scalar> SgdConfig<Constant<T>, T> {
    /// A constant learning rate (checked by [`build`](Self::build): finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::optim::SgdConfig;
    /// assert!(SgdConfig::default().with_lr(-0.1).build::<1>().is_err());
    /// ```
    pub fn with_lr(mut self, lr: T) -> Self {
        self.schedule = Constant::unchecked(lr);
        self
    }
}

impl<T: Scalar, S: Schedule<T>> SgdConfig<S, T> {
    /// Replace the learning rate by a schedule (step index from 0 on the first update).
    ///
    /// ```
    /// # use dualgrad::optim::{Optimizer, SgdConfig, StepDecay};
    /// let opt = SgdConfig::default().with_schedule(StepDecay::new(0.1, 5, 0.5).unwrap()).build::<2>().unwrap();
    /// assert_eq!(opt.learning_rate(), 0.1);
    /// ```
    pub fn with_schedule<S2: Schedule<T>>(self, schedule: S2) -> SgdConfig<S2, T> {
        SgdConfig {
            schedule,
            momentum: self.momentum,
            dampening: self.dampening,
            nesterov: self.nesterov,
            weight_decay: self.weight_decay,
            form: self.form,
        }
    }

    /// Momentum factor `μ` in `[0, 1)`.
    ///
    /// ```
    /// # use dualgrad::optim::SgdConfig;
    /// assert!(SgdConfig::default().with_momentum(1.0).build::<1>().is_err());
    /// ```
    pub fn with_momentum(mut self, momentum: T) -> Self {
        self.momentum = momentum;
        self
    }

    /// Dampening `τ` in `[0, 1]` (PyTorch form only; the averaged form needs 0).
    ///
    /// ```
    /// # use dualgrad::optim::SgdConfig;
    /// assert!(SgdConfig::default().with_momentum(0.9).with_dampening(0.5).build::<1>().is_ok());
    /// ```
    pub fn with_dampening(mut self, dampening: T) -> Self {
        self.dampening = dampening;
        self
    }

    /// Nesterov momentum; needs a momentum `> 0` and zero dampening.
    ///
    /// ```
    /// # use dualgrad::optim::{OptimError, SgdConfig};
    /// let err = SgdConfig::default().with_nesterov(true).build::<1>().unwrap_err();
    /// assert_eq!(err, OptimError::NesterovWithoutMomentum);
    /// ```
    pub fn with_nesterov(mut self, nesterov: bool) -> Self {
        self.nesterov = nesterov;
        self
    }

    /// Coupled weight decay (an L2 penalty): `λθ` is added to the gradient; `λ >= 0`.
    ///
    /// ```
    /// # use dualgrad::optim::{Optimizer, SgdConfig}; use nalgebra::SVector;
    /// let mut opt = SgdConfig::default().with_lr(0.5).with_weight_decay(0.2).build::<1>().unwrap();
    /// let mut theta = SVector::from([1.0]);
    /// opt.step(&mut theta, &SVector::from([0.0]));
    /// assert_eq!(theta[0], 0.9); // 1 − 0.5·(0 + 0.2·1)
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// PyTorch's momentum buffer or the textbook exponential average
    /// (see [`MomentumForm`]).
    ///
    /// ```
    /// # use dualgrad::optim::{MomentumForm, SgdConfig};
    /// let cfg = SgdConfig::default().with_momentum(0.9).with_momentum_form(MomentumForm::Averaged);
    /// assert!(cfg.build::<3>().is_ok());
    /// ```
    pub fn with_momentum_form(mut self, form: MomentumForm) -> Self {
        self.form = form;
        self
    }

    /// Validate the hyperparameters and build the optimizer for `N` parameters.
    ///
    /// # Errors
    /// [`OptimError`] naming the bad value: the schedule's, a momentum outside `[0, 1)`, a
    /// dampening outside `[0, 1]` (or not 0 with the averaged form), Nesterov without momentum
    /// or with dampening, a negative weight decay; and [`OptimError::NotDifferentiable`] for a
    /// momentum that carries derivatives at the value 0 with dampening `> 0` (PyTorch's update
    /// uses no buffer at 0, so the run jumps there).
    ///
    /// ```
    /// # use dualgrad::optim::{OptimError, SgdConfig};
    /// let err = SgdConfig::default().with_momentum(0.9).with_dampening(0.1).with_nesterov(true);
    /// assert_eq!(err.build::<2>().unwrap_err(), OptimError::NesterovWithDampening(0.1));
    /// ```
    pub fn build<const N: usize>(self) -> Result<Sgd<N, S, T>, OptimError> {
        self.schedule.validate()?;
        let (momentum, dampening) = (self.momentum.value(), self.dampening.value());
        check_beta("momentum", momentum)?;
        if !(0.0..=1.0).contains(&dampening) {
            return Err(OptimError::InvalidValue {
                name: "dampening",
                value: dampening,
                expected: "in [0, 1]",
            });
        }
        if self.form == MomentumForm::Averaged && dampening != 0.0 {
            return Err(OptimError::InvalidValue {
                name: "dampening",
                value: dampening,
                expected: "0 with the averaged momentum form",
            });
        }
        // PyTorch's update uses no buffer at μ = 0, so with dampening τ > 0 the run jumps
        // there (b = g at μ = 0, b → (1 − τ)g as μ → 0+): a momentum jet at value 0 would
        // run the μ > 0 branch and give another value than the f64 run.
        if momentum == 0.0
            && !self.momentum.is_zero()
            && dampening != 0.0
            && self.form == MomentumForm::PyTorch
        {
            return Err(OptimError::NotDifferentiable {
                name: "momentum",
                value: momentum,
                why: "with dampening > 0 the update has no momentum buffer at 0 and a damped one above 0 (differentiate at a momentum > 0, or with dampening 0)",
            });
        }
        if self.nesterov && momentum == 0.0 {
            return Err(OptimError::NesterovWithoutMomentum);
        }
        if self.nesterov && dampening != 0.0 {
            return Err(OptimError::NesterovWithDampening(dampening));
        }
        check_non_negative("weight_decay", self.weight_decay.value())?;
        Ok(Sgd {
            lr_factor: 1.0,
            config: self,
            buf: SVector::zeros(),
            t: 0,
        })
    }
}

/// SGD with momentum (PyTorch's `torch.optim.SGD`, or the textbook averaged form); built by
/// [`SgdConfig::build`], which documents the update.
///
/// ```
/// use dualgrad::optim::{Optimizer, SgdConfig};
/// use nalgebra::SVector;
/// let mut opt = SgdConfig::default().with_lr(0.1).build::<2>().unwrap();
/// let mut theta = SVector::from([1.0, 2.0]);
/// opt.step(&mut theta, &SVector::from([10.0, -10.0]));
/// assert_eq!(theta, SVector::from([0.0, 3.0]));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Sgd<const N: usize, S = Constant, T = f64> {
    /// Multiplies the schedule's rate (1 unless a plateau rule lowered it).
    lr_factor: f64,
    config: SgdConfig<S, T>,
    buf: SVector<T, N>,
    t: usize,
}

impl<const N: usize, T: Scalar, S: Schedule<T>> Sgd<N, S, T> {
    /// The validated hyperparameters.
    ///
    /// ```
    /// # use dualgrad::optim::SgdConfig;
    /// let cfg = SgdConfig::default().with_momentum(0.5);
    /// assert_eq!(*cfg.build::<1>().unwrap().config(), cfg);
    /// ```
    pub fn config(&self) -> &SgdConfig<S, T> {
        &self.config
    }
}

// `!x.is_zero()` is `x != 0.0` on f64; on a jet it also keeps a term whose value is zero but
// whose derivative is not (a weight decay of 0 differentiated with respect to itself).
impl<const N: usize, T: Scalar, S: Schedule<T>> Optimizer<N, T> for Sgd<N, S, T> {
    fn step(&mut self, params: &mut SVector<T, N>, grad: &SVector<T, N>) {
        let c = &self.config;
        let lr = c.schedule.rate(self.t) * self.lr_factor;
        let (mu, tau, wd) = (c.momentum, c.dampening, c.weight_decay);
        let (one_tau, one_mu) = (T::one() - tau, T::one() - mu);
        let (decay, momentum) = (!wd.is_zero(), !mu.is_zero());
        for i in 0..N {
            let mut g = grad[i];
            if decay {
                g += wd * params[i];
            }
            if momentum {
                let b = &mut self.buf[i];
                match c.form {
                    MomentumForm::PyTorch => {
                        *b = if self.t == 0 {
                            g
                        } else {
                            mu * *b + one_tau * g
                        };
                        g = if c.nesterov { g + mu * *b } else { *b };
                    }
                    MomentumForm::Averaged => {
                        *b = mu * *b + one_mu * g;
                        g = if c.nesterov { one_mu * g + mu * *b } else { *b };
                    }
                }
            }
            params[i] -= lr * g;
        }
        self.t += 1;
    }

    fn reset(&mut self) {
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
