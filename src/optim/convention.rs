//! The places where textbook formulations or optax write an update differently from PyTorch.
//!
//! dualgrad follows PyTorch's `torch.optim` formulas by default. The other forms are a
//! configuration switch away, so that a trajectory from the articles or from optax can be
//! reproduced exactly:
//!
//! | where | PyTorch (default) | the other form | whose |
//! |---|---|---|---|
//! | SGD momentum | `b ← μb + (1 − τ)g`, first `b = g`; `θ ← θ − ηb` | `v ← βv + (1 − β)g` from `v = 0`; `θ ← θ − ηv` | the textbook form ([`MomentumForm`]) |
//! | RMSprop, Adagrad | `θ ← θ − η g / (sqrt(s) + ε)` | `θ ← θ − η g / sqrt(s + ε)` | the textbook form and optax ([`EpsPlacement`]) |
//! | AMSGrad | maximum of the raw `v` | maximum of the bias-corrected `v̂` | optax ([`AmsgradMax`]) |
//!
//! `optax.sgd(momentum=β)` (its `trace`: `b ← g + βb` from `b = 0`) is the PyTorch form with
//! zero dampening, not the averaged one.
//!
//! With zero dampening the averaged momentum is the PyTorch buffer times `(1 − β)`: the same
//! direction with an effective learning rate `(1 − β)η`, so `β = 0.9` takes steps ten times
//! shorter. With ε inside the root, a tiny accumulated `s` gives steps of at most `η|g|/sqrt(ε)`
//! instead of `η|g|/ε`; away from `s ≈ ε` the two agree closely.

/// How SGD accumulates momentum: PyTorch's buffer (the default, which is also what
/// `optax.sgd(momentum=…)` computes) or the textbook exponential average.
///
/// | | update | step |
/// |---|---|---|
/// | `PyTorch` | `b ← μb + (1 − τ)g`, first `b = g` | `θ ← θ − ηb` |
/// | `Averaged` | `v ← βv + (1 − β)g` from `v = 0` | `θ ← θ − ηv` |
///
/// With zero dampening the averaged momentum is the PyTorch buffer times `(1 − β)`: the same
/// direction with an effective learning rate `(1 − β)η`, so `β = 0.9` takes steps ten times
/// shorter.
///
/// ```
/// use dualgrad::optim::{MomentumForm, Optimizer, SgdConfig};
/// use nalgebra::SVector;
///
/// let g = SVector::from([1.0]);
/// let mut torch = SgdConfig::default().with_lr(1.0).with_momentum(0.9).build::<1>().unwrap();
/// let mut seed = SgdConfig::default()
///     .with_lr(1.0)
///     .with_momentum(0.9)
///     .with_momentum_form(MomentumForm::Averaged)
///     .build::<1>()
///     .unwrap();
/// let (mut a, mut b) = (SVector::from([0.0]), SVector::from([0.0]));
/// torch.step(&mut a, &g); // b = g = 1
/// seed.step(&mut b, &g); // v = (1 − 0.9)·1 = 0.1
/// assert_eq!(a[0], -1.0);
/// assert!((b[0] + 0.1).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MomentumForm {
    /// PyTorch: `b₁ = g₁`, then `b ← μb + (1 − τ)g` (τ is the dampening); with Nesterov the step
    /// direction is `g + μb`.
    #[default]
    PyTorch,
    /// The textbook form: an exponential average `v ← βv + (1 − β)g` from `v = 0` (dampening must
    /// be 0); with Nesterov the step direction is `(1 − β)g + βv`.
    Averaged,
}

/// Where `eps` enters the denominator of RMSprop and Adagrad: outside the square root
/// (PyTorch, the default) or inside it (the textbook form and optax).
///
/// | | step |
/// |---|---|
/// | `OutsideSqrt` | `θ ← θ − η g / (sqrt(s) + ε)` |
/// | `InsideSqrt` | `θ ← θ − η g / sqrt(s + ε)` |
///
/// With ε inside the root, a tiny accumulated `s` gives steps of at most `η|g|/sqrt(ε)` instead
/// of `η|g|/ε`; away from `s ≈ ε` the two agree closely.
///
/// ```
/// use dualgrad::optim::{AdagradConfig, EpsPlacement, Optimizer};
/// use nalgebra::SVector;
///
/// // One Adagrad step from s = 0 with g = 3, η = 1, ε = 16: s = 9.
/// let cfg = AdagradConfig::default().with_lr(1.0).with_eps(16.0);
/// let mut outside = cfg.build::<1>().unwrap();
/// let mut inside = cfg.with_eps_placement(EpsPlacement::InsideSqrt).build::<1>().unwrap();
/// let (mut a, mut b) = (SVector::from([0.0]), SVector::from([0.0]));
/// outside.step(&mut a, &SVector::from([3.0])); // 3 / (sqrt(9) + 16) = 3/19
/// inside.step(&mut b, &SVector::from([3.0])); // 3 / sqrt(9 + 16) = 3/5
/// assert_eq!((a[0], b[0]), (-3.0 / 19.0, -0.6));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EpsPlacement {
    /// PyTorch: `g / (sqrt(s) + ε)`.
    #[default]
    OutsideSqrt,
    /// The textbook form and optax: `g / sqrt(s + ε)`.
    InsideSqrt,
}

impl EpsPlacement {
    /// The denominator `sqrt(s) + ε` or `sqrt(s + ε)`.
    #[inline]
    pub(crate) fn denom<T: crate::Scalar>(self, s: T, eps: T) -> T {
        match self {
            Self::OutsideSqrt => s.sqrt() + eps,
            Self::InsideSqrt => (s + eps).sqrt(),
        }
    }
}

/// Which second moment AMSGrad keeps the running maximum of: the raw one (PyTorch, the default)
/// or the bias-corrected one (optax's `scale_by_amsgrad`).
///
/// | | running maximum | denominator |
/// |---|---|---|
/// | `Raw` | `v_max ← max(v_max, v)` | `sqrt(v_max / (1 − β₂ᵗ)) + ε` |
/// | `BiasCorrected` | `v_max ← max(v_max, v / (1 − β₂ᵗ))` | `sqrt(v_max) + ε` |
///
/// Because `1 − β₂ᵗ` grows with `t`, the two differ as soon as the second moment shrinks: the
/// raw maximum is divided by a growing correction later, the corrected maximum remembers an
/// early, strongly corrected value. Used only when AMSGrad is on
/// ([`AdamConfig::with_amsgrad`](crate::optim::AdamConfig::with_amsgrad)).
///
/// ```
/// use dualgrad::optim::{AdamConfig, AmsgradMax, Optimizer};
/// use nalgebra::SVector;
/// // η = 1, β₁ = 0, β₂ = 0.5, gradients 2 then 0.
/// let cfg = AdamConfig::default().with_lr(1.0).with_betas(0.0, 0.5).with_amsgrad(true);
/// let mut torch = cfg.build::<1>().unwrap();
/// let mut optax = cfg.with_amsgrad_max(AmsgradMax::BiasCorrected).build::<1>().unwrap();
/// let (mut a, mut b) = (SVector::from([0.0]), SVector::from([0.0]));
/// for g in [2.0, 1.0] {
///     torch.step(&mut a, &SVector::from([g]));
///     optax.step(&mut b, &SVector::from([g]));
/// }
/// // Step 1 (both): v = 2, v̂ = 4, step 2/2 = 1.
/// // Step 2: v = 1 + 0.5 = 1.5, 1 − β₂² = 0.75.
/// //   raw: v_max = max(2, 1.5) = 2, sqrt(2/0.75) = 1.633, step 1/1.633
/// //   corrected: v_max = max(4, 2) = 4, step 1/2
/// assert!((a[0] + 1.0 + (0.75_f64 / 2.0).sqrt()).abs() < 1e-7);
/// assert!((b[0] + 1.5).abs() < 1e-7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmsgradMax {
    /// PyTorch's `Adam(amsgrad=True)`: the maximum of the raw second moment.
    #[default]
    Raw,
    /// optax's `amsgrad`: the maximum of the bias-corrected second moment.
    BiasCorrected,
}
