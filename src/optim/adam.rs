//! Adam, AMSGrad and AdamW.

use super::error::{OptimError, check_beta, check_eps, check_non_negative};
use super::optimizer::Optimizer;
use super::schedule::{Constant, Schedule};
use nalgebra::SVector;

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
/// AMSGrad keeps the maximum of the raw second moment `v`, as PyTorch's implementation does.
/// The seed articles' Adam is this update with the same ε placement.
///
/// ```
/// use dualgrad::{AdamConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdamConfig::default().with_lr(0.1).build::<1>().unwrap();
/// let mut theta = SVector::from([1.0]);
/// opt.step(&mut theta, &SVector::from([4.0])); // m̂ = 4, v̂ = 16: step 0.1·4/(4 + ε) ≈ 0.1
/// assert!((theta[0] - 0.9).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamConfig<S = Constant> {
    schedule: S,
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    decoupled: bool,
    amsgrad: bool,
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
        }
    }
}

impl AdamConfig<Constant> {
    /// PyTorch's `AdamW` defaults: Adam with decoupled weight decay `λ = 1e-2`.
    ///
    /// ```
    /// use dualgrad::{AdamConfig, Optimizer};
    /// use nalgebra::SVector;
    /// let mut opt = AdamConfig::adamw().with_lr(0.5).build::<1>().unwrap();
    /// let mut theta = SVector::from([2.0]);
    /// opt.step(&mut theta, &SVector::from([0.0])); // zero gradient: only θ(1 − ηλ)
    /// assert_eq!(theta[0], 2.0 * (1.0 - 0.5 * 0.01));
    /// ```
    pub fn adamw() -> Self {
        Self::default().with_decoupled_weight_decay(1e-2)
    }

    /// A constant learning rate (checked by [`build`](Self::build): finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::AdamConfig;
    /// assert!(AdamConfig::default().with_lr(f64::INFINITY).build::<1>().is_err());
    /// ```
    pub fn with_lr(mut self, lr: f64) -> Self {
        self.schedule = Constant::unchecked(lr);
        self
    }
}

impl<S: Schedule> AdamConfig<S> {
    /// Replace the learning rate by a schedule (step index from 0 on the first update).
    ///
    /// ```
    /// # use dualgrad::{AdamConfig, Cosine, Warmup};
    /// let s = Warmup::new(0.0, 100, Cosine::new(1e-3, 1e-5, 1000).unwrap()).unwrap();
    /// assert!(AdamConfig::default().with_schedule(s).build::<4>().is_ok());
    /// ```
    pub fn with_schedule<S2: Schedule>(self, schedule: S2) -> AdamConfig<S2> {
        AdamConfig {
            schedule,
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            weight_decay: self.weight_decay,
            decoupled: self.decoupled,
            amsgrad: self.amsgrad,
        }
    }

    /// The decay rates `(β₁, β₂)` of the first and second moments, each in `[0, 1)`.
    ///
    /// ```
    /// # use dualgrad::{AdamConfig, OptimError};
    /// let err = AdamConfig::default().with_betas(-0.1, 0.999).build::<1>().unwrap_err();
    /// assert_eq!(err, OptimError::InvalidBeta { name: "beta1", value: -0.1 });
    /// ```
    pub fn with_betas(mut self, beta1: f64, beta2: f64) -> Self {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// `eps > 0`, added to `sqrt(v̂)`.
    ///
    /// ```
    /// # use dualgrad::AdamConfig;
    /// assert!(AdamConfig::default().with_eps(f64::NAN).build::<1>().is_err());
    /// ```
    pub fn with_eps(mut self, eps: f64) -> Self {
        self.eps = eps;
        self
    }

    /// Coupled weight decay `λ >= 0` (Adam's L2 penalty): `λθ` is added to the gradient.
    ///
    /// ```
    /// # use dualgrad::AdamConfig;
    /// assert!(AdamConfig::default().with_weight_decay(1e-4).build::<1>().is_ok());
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = weight_decay;
        self.decoupled = false;
        self
    }

    /// Decoupled weight decay `λ >= 0` (AdamW): `θ ← θ(1 − ηλ)` before the Adam step.
    ///
    /// ```
    /// # use dualgrad::AdamConfig;
    /// assert!(AdamConfig::default().with_decoupled_weight_decay(-1.0).build::<1>().is_err());
    /// ```
    pub fn with_decoupled_weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = weight_decay;
        self.decoupled = true;
        self
    }

    /// AMSGrad: divide by the running maximum of the second moment.
    ///
    /// ```
    /// # use dualgrad::AdamConfig;
    /// assert!(AdamConfig::adamw().with_amsgrad(true).build::<1>().is_ok());
    /// ```
    pub fn with_amsgrad(mut self, amsgrad: bool) -> Self {
        self.amsgrad = amsgrad;
        self
    }

    /// Validate the hyperparameters and build the optimizer for `N` parameters.
    ///
    /// ```
    /// # use dualgrad::AdamConfig;
    /// assert_eq!(
    ///     AdamConfig::default().with_eps(0.0).build::<2>().unwrap_err().to_string(),
    ///     "invalid eps = 0: must be finite and > 0"
    /// );
    /// ```
    pub fn build<const N: usize>(self) -> Result<Adam<N, S>, OptimError> {
        self.schedule.validate()?;
        check_beta("beta1", self.beta1)?;
        check_beta("beta2", self.beta2)?;
        check_eps(self.eps)?;
        check_non_negative("weight_decay", self.weight_decay)?;
        Ok(Adam {
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
/// use dualgrad::{AdamConfig, Optimizer};
/// use nalgebra::SVector;
/// let mut opt = AdamConfig::default().with_lr(0.01).build::<2>().unwrap();
/// let mut theta = SVector::from([0.0, 0.0]);
/// opt.step(&mut theta, &SVector::from([3.0, -1e-3])); // first step ≈ η·sign(g)
/// assert!((theta - SVector::from([-0.01, 0.01])).abs().max() < 1e-6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Adam<const N: usize, S = Constant> {
    config: AdamConfig<S>,
    m: SVector<f64, N>,
    v: SVector<f64, N>,
    v_max: SVector<f64, N>,
    t: usize,
}

impl<const N: usize, S: Schedule> Adam<N, S> {
    /// The validated hyperparameters.
    ///
    /// ```
    /// # use dualgrad::AdamConfig;
    /// let cfg = AdamConfig::adamw();
    /// assert_eq!(*cfg.build::<1>().unwrap().config(), cfg);
    /// ```
    pub fn config(&self) -> &AdamConfig<S> {
        &self.config
    }
}

impl<const N: usize, S: Schedule> Optimizer<N> for Adam<N, S> {
    fn step(&mut self, params: &mut SVector<f64, N>, grad: &SVector<f64, N>) {
        let c = &self.config;
        let lr = c.schedule.rate(self.t);
        self.t += 1;
        let t = self.t as f64;
        let (b1, b2, wd) = (c.beta1, c.beta2, c.weight_decay);
        let bias1 = 1.0 - b1.powf(t);
        let bias2 = 1.0 - b2.powf(t);
        for i in 0..N {
            let mut g = grad[i];
            if c.decoupled {
                params[i] -= lr * wd * params[i];
            } else if wd != 0.0 {
                g += wd * params[i];
            }
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g;
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g;
            let m_hat = self.m[i] / bias1;
            let v_hat = if c.amsgrad {
                self.v_max[i] = self.v_max[i].max(self.v[i]);
                self.v_max[i] / bias2
            } else {
                self.v[i] / bias2
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

    fn learning_rate(&self) -> f64 {
        self.config.schedule.rate(self.t)
    }

    fn schedule_name(&self) -> &'static str {
        std::any::type_name::<S>()
    }
}
