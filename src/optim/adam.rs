//! Adam, AMSGrad and AdamW.

use super::convention::AmsgradMax;
use super::error::OptimError;
use super::optimizer::Optimizer;
use super::schedule::{Constant, Schedule};
use super::validate::{check_beta, check_eps, check_non_negative};
use crate::Scalar;
use nalgebra::SVector;
use num_dual::DualNum;

/// The hyperparameters of [`Adam`] (and AdamW, AMSGrad), validated by
/// [`build`](AdamConfig::build).
///
/// The defaults are PyTorch's `torch.optim.Adam`: `lr = 1e-3`, `betas = (0.9, 0.999)`,
/// `eps = 1e-8`, no weight decay, no AMSGrad; [`AdamConfig::adamw`] gives `torch.optim.AdamW`'s
/// (decoupled `weight_decay = 1e-2`). Update number `t = 1, 2, ...` with `η` the scheduled rate,
/// moments starting at 0:
///
/// ```text
/// AdamW: θ ← θ (1 − ηλ)          Adam with weight decay: g ← g + λθ
/// m ← β₁m + (1 − β₁)g
/// v ← β₂v + (1 − β₂)g²
/// m̂ ← m / (1 − β₁ᵗ)
/// v̂ ← v / (1 − β₂ᵗ), or with AMSGrad v_max ← max(v_max, v), v̂ ← v_max / (1 − β₂ᵗ)
/// θ ← θ − η m̂ / (sqrt(v̂) + ε)
/// ```
///
/// AMSGrad keeps the maximum of the raw second moment `v`, as PyTorch's implementation does;
/// [`with_amsgrad_max`](AdamConfig::with_amsgrad_max)`(`[`AmsgradMax::BiasCorrected`]`)`
/// keeps that of `v̂` instead, as `optax.amsgrad` does (`v_max ← max(v_max, v̂)`, step
/// `η m̂ / (sqrt(v_max) + ε)`). The textbook Adam (Kingma and Ba) is this update with the same ε
/// placement.
///
/// ```
/// use dualgrad::optim::{AdamConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdamConfig::default().with_lr(0.1).build::<1>().unwrap();
/// let mut theta = SVector::from([1.0]);
/// opt.step(&mut theta, &SVector::from([4.0])); // m̂ = 4, v̂ = 16: step 0.1·4/(4 + ε) ≈ 0.1
/// assert!((theta[0] - 0.9).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamConfig<S = Constant, T = f64> {
    schedule: S,
    beta1: T,
    beta2: T,
    eps: T,
    weight_decay: T,
    decoupled: bool,
    amsgrad: bool,
    amsgrad_max: AmsgradMax,
}

impl Default for AdamConfig<Constant> {
    fn default() -> Self {
        Self {
            schedule: Constant::unchecked(1e-3),
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            decoupled: false,
            amsgrad: false,
            amsgrad_max: AmsgradMax::Raw,
        }
    }
}

impl AdamConfig<Constant> {
    /// The same hyperparameters at another scalar type `U` (each `f64` lifted with
    /// [`Scalar::lift`], so its derivative parts are zero), ready for `with_*` setters that take
    /// `U` values: the start of a differentiated training run.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// use dualgrad::optim::{AdamConfig, Optimizer};
    /// use nalgebra::SVector;
    /// // Adam's first step is θ₁ = θ₀ − η g / (|g| + ε): d/dη = −g / (|g| + ε) ≈ −1.
    /// let lr = Jet::variable(0.1, 0);
    /// let mut opt = AdamConfig::default().lift::<Jet<f64, 1>>().with_lr(lr).build::<1>().unwrap();
    /// let mut theta = SVector::from([Jet::constant(1.0)]);
    /// opt.step(&mut theta, &SVector::from([Jet::constant(2.0)]));
    /// assert!((theta[0].re - 0.9).abs() < 1e-8 && (theta[0].eps[0] + 1.0).abs() < 1e-8);
    /// ```
    pub fn lift<U: Scalar>(self) -> AdamConfig<Constant<U>, U> {
        AdamConfig {
            schedule: Constant::unchecked(U::lift(self.schedule.rate(0))),
            beta1: U::lift(self.beta1),
            beta2: U::lift(self.beta2),
            eps: U::lift(self.eps),
            weight_decay: U::lift(self.weight_decay),
            decoupled: self.decoupled,
            amsgrad: self.amsgrad,
            amsgrad_max: self.amsgrad_max,
        }
    }

    /// PyTorch's `AdamW` defaults: Adam with decoupled weight decay `λ = 1e-2`.
    ///
    /// ```
    /// use dualgrad::optim::{AdamConfig, Optimizer};
    /// use nalgebra::SVector;
    /// let mut opt = AdamConfig::adamw().with_lr(0.5).build::<1>().unwrap();
    /// let mut theta = SVector::from([2.0]);
    /// opt.step(&mut theta, &SVector::from([0.0])); // zero gradient: only θ(1 − ηλ)
    /// assert_eq!(theta[0], 2.0 * (1.0 - 0.5 * 0.01));
    /// ```
    pub fn adamw() -> Self {
        Self::default().with_decoupled_weight_decay(1e-2)
    }
}

impl<T: Scalar> AdamConfig<Constant<T>, T> {
    /// A constant learning rate (checked by [`build`](Self::build): finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::optim::AdamConfig;
    /// assert!(AdamConfig::default().with_lr(f64::INFINITY).build::<1>().is_err());
    /// ```
    pub fn with_lr(mut self, lr: T) -> Self {
        self.schedule = Constant::unchecked(lr);
        self
    }
}

impl<T: Scalar, S: Schedule<T>> AdamConfig<S, T> {
    /// Replace the learning rate by a schedule (step index from 0 on the first update).
    ///
    /// ```
    /// # use dualgrad::optim::{AdamConfig, Cosine, Warmup};
    /// let s = Warmup::new(0.0, 100, Cosine::new(1e-3, 1e-5, 1000).unwrap()).unwrap();
    /// assert!(AdamConfig::default().with_schedule(s).build::<4>().is_ok());
    /// ```
    pub fn with_schedule<S2: Schedule<T>>(self, schedule: S2) -> AdamConfig<S2, T> {
        AdamConfig {
            schedule,
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            weight_decay: self.weight_decay,
            decoupled: self.decoupled,
            amsgrad: self.amsgrad,
            amsgrad_max: self.amsgrad_max,
        }
    }

    /// The decay rates `(β₁, β₂)` of the first and second moments, each in `[0, 1)`.
    ///
    /// ```
    /// # use dualgrad::optim::{AdamConfig, OptimError};
    /// let err = AdamConfig::default().with_betas(-0.1, 0.999).build::<1>().unwrap_err();
    /// assert_eq!(err, OptimError::InvalidBeta { name: "beta1", value: -0.1 });
    /// ```
    pub fn with_betas(mut self, beta1: T, beta2: T) -> Self {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// `eps > 0`, added to `sqrt(v̂)`.
    ///
    /// ```
    /// # use dualgrad::optim::AdamConfig;
    /// assert!(AdamConfig::default().with_eps(f64::NAN).build::<1>().is_err());
    /// ```
    pub fn with_eps(mut self, eps: T) -> Self {
        self.eps = eps;
        self
    }

    /// Coupled weight decay `λ >= 0` (Adam's L2 penalty): `λθ` is added to the gradient.
    ///
    /// ```
    /// # use dualgrad::optim::AdamConfig;
    /// assert!(AdamConfig::default().with_weight_decay(1e-4).build::<1>().is_ok());
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self.decoupled = false;
        self
    }

    /// Decoupled weight decay `λ >= 0` (AdamW): `θ ← θ(1 − ηλ)` before the Adam step.
    ///
    /// ```
    /// # use dualgrad::optim::AdamConfig;
    /// assert!(AdamConfig::default().with_decoupled_weight_decay(-1.0).build::<1>().is_err());
    /// ```
    pub fn with_decoupled_weight_decay(mut self, weight_decay: T) -> Self {
        self.weight_decay = weight_decay;
        self.decoupled = true;
        self
    }

    /// AMSGrad: divide by the running maximum of the second moment.
    ///
    /// ```
    /// # use dualgrad::optim::AdamConfig;
    /// assert!(AdamConfig::adamw().with_amsgrad(true).build::<1>().is_ok());
    /// ```
    pub fn with_amsgrad(mut self, amsgrad: bool) -> Self {
        self.amsgrad = amsgrad;
        self
    }

    /// Which second moment AMSGrad takes the running maximum of: [`AmsgradMax::Raw`]
    /// (PyTorch, the default) or [`AmsgradMax::BiasCorrected`] (optax). Has an effect only
    /// with [`with_amsgrad`](Self::with_amsgrad)`(true)`.
    ///
    /// ```
    /// # use dualgrad::optim::{AdamConfig, AmsgradMax, Optimizer};
    /// # use nalgebra::SVector;
    /// // optax.amsgrad(0.1): the first step is η·sign(g) up to ε, as for every Adam.
    /// let mut opt = AdamConfig::default().with_lr(0.1).with_amsgrad(true)
    ///     .with_amsgrad_max(AmsgradMax::BiasCorrected).build::<1>().unwrap();
    /// let mut x = SVector::from([1.0]);
    /// opt.step(&mut x, &SVector::from([2.0]));
    /// assert!((x[0] - 0.9).abs() < 1e-8);
    /// ```
    pub fn with_amsgrad_max(mut self, form: AmsgradMax) -> Self {
        self.amsgrad_max = form;
        self
    }

    /// Validate the hyperparameters and build the optimizer for `N` parameters.
    ///
    /// ```
    /// # use dualgrad::optim::AdamConfig;
    /// assert_eq!(
    ///     AdamConfig::default().with_eps(0.0).build::<2>().unwrap_err().to_string(),
    ///     "invalid eps = 0: must be finite and > 0"
    /// );
    /// ```
    pub fn build<const N: usize>(self) -> Result<Adam<N, S, T>, OptimError> {
        self.schedule.validate()?;
        check_beta("beta1", self.beta1.value())?;
        check_beta("beta2", self.beta2.value())?;
        check_eps(self.eps.value())?;
        check_non_negative("weight_decay", self.weight_decay.value())?;
        Ok(Adam {
            lr_factor: 1.0,
            config: self,
            m: SVector::zeros(),
            v: SVector::zeros(),
            v_max: SVector::zeros(),
            t: 0,
        })
    }
}

/// Adam, AMSGrad or AdamW (PyTorch's `torch.optim.Adam` / `AdamW`); built by
/// [`AdamConfig::build`], which documents the update.
///
/// ```
/// use dualgrad::optim::{AdamConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdamConfig::default().with_lr(0.01).build::<2>().unwrap();
/// let mut theta = SVector::from([0.0, 0.0]);
/// opt.step(&mut theta, &SVector::from([3.0, -1e-3])); // first step ≈ η·sign(g)
/// assert!((theta - SVector::from([-0.01, 0.01])).abs().max() < 1e-6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Adam<const N: usize, S = Constant, T = f64> {
    /// Multiplies the schedule's rate (1 unless a plateau rule lowered it).
    lr_factor: f64,
    config: AdamConfig<S, T>,
    m: SVector<T, N>,
    v: SVector<T, N>,
    v_max: SVector<T, N>,
    t: usize,
}

impl<const N: usize, T: Scalar, S: Schedule<T>> Adam<N, S, T> {
    /// The validated hyperparameters.
    ///
    /// ```
    /// # use dualgrad::optim::AdamConfig;
    /// let cfg = AdamConfig::adamw();
    /// assert_eq!(*cfg.build::<1>().unwrap().config(), cfg);
    /// ```
    pub fn config(&self) -> &AdamConfig<S, T> {
        &self.config
    }
}

impl<const N: usize, T: Scalar, S: Schedule<T>> Optimizer<N, T> for Adam<N, S, T> {
    fn step(&mut self, params: &mut SVector<T, N>, grad: &SVector<T, N>) {
        let c = &self.config;
        let lr = c.schedule.rate(self.t) * self.lr_factor;
        self.t += 1;
        let t = self.t as f64;
        let (b1, b2, wd) = (c.beta1, c.beta2, c.weight_decay);
        // 1 − β as `one - β` is `1.0 - β` on f64, to the bit and to the instruction.
        let (one_b1, one_b2) = (T::one() - b1, T::one() - b2);
        let decay = !wd.is_zero();
        let bias1 = T::one() - DualNum::powf(&b1, t);
        let bias2 = T::one() - DualNum::powf(&b2, t);
        for i in 0..N {
            let mut g = grad[i];
            if c.decoupled {
                let p = params[i];
                params[i] -= lr * wd * p;
            } else if decay {
                g += wd * params[i];
            }
            self.m[i] = b1 * self.m[i] + one_b1 * g;
            self.v[i] = b2 * self.v[i] + one_b2 * g * g;
            let m_hat = self.m[i] / bias1;
            let v_hat = match (c.amsgrad, c.amsgrad_max) {
                (false, _) => self.v[i] / bias2,
                (true, AmsgradMax::Raw) => {
                    self.v_max[i] = Scalar::max(self.v_max[i], self.v[i]);
                    self.v_max[i] / bias2
                }
                (true, AmsgradMax::BiasCorrected) => {
                    self.v_max[i] = Scalar::max(self.v_max[i], self.v[i] / bias2);
                    self.v_max[i]
                }
            };
            params[i] -= lr * m_hat / (v_hat.sqrt() + c.eps);
        }
    }

    fn reset(&mut self) {
        self.m = SVector::zeros();
        self.v = SVector::zeros();
        self.v_max = SVector::zeros();
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
