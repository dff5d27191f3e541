//! The two places where the seed articles (and optax) write an update differently from PyTorch.
//!
//! dualgrad follows PyTorch's `torch.optim` formulas by default. The other forms are a
//! configuration switch away, so that a trajectory from the articles or from optax can be
//! reproduced exactly:
//!
//! | where | PyTorch (default) | seed articles / optax |
//! |---|---|---|
//! | SGD momentum | `b ← μb + (1 − τ)g`, first `b = g`; `θ ← θ − ηb` | `v ← βv + (1 − β)g` from `v = 0`; `θ ← θ − ηv` |
//! | RMSprop, Adagrad | `θ ← θ − η g / (sqrt(s) + ε)` | `θ ← θ − η g / sqrt(s + ε)` |
//!
//! With zero dampening the averaged momentum is the PyTorch buffer times `(1 − β)`: the same
//! direction with an effective learning rate `(1 − β)η`, so `β = 0.9` takes steps ten times
//! shorter. With ε inside the root, a tiny accumulated `s` gives steps of at most `η|g|/sqrt(ε)`
//! instead of `η|g|/ε`; away from `s ≈ ε` the two agree closely.

/// How SGD accumulates momentum: PyTorch's buffer (the default) or the seed articles'
/// exponential average.
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
/// use dualgrad::{MomentumForm, Optimizer, SgdConfig};
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
    /// The seed articles: an exponential average `v ← βv + (1 − β)g` from `v = 0` (dampening must
    /// be 0); with Nesterov the step direction is `(1 − β)g + βv`.
    Averaged,
}

/// Where `eps` enters the denominator of RMSprop and Adagrad: outside the square root
/// (PyTorch, the default) or inside it (the seed articles and optax).
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
/// use dualgrad::{AdagradConfig, EpsPlacement, Optimizer};
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
    /// The seed articles and optax: `g / sqrt(s + ε)`.
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
