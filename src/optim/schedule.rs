//! Learning-rate schedules: a step index in, a learning rate out.
//!
//! The step index counts optimizer updates and starts at **0 on the first update**: an optimizer
//! built with a schedule uses `rate(0)` for its first step, `rate(1)` for its second, and so on.

use super::error::{OptimError, check_lr, check_positive_count};

/// A learning-rate schedule: the rate to use at update number `step` (counted from 0).
///
/// Built-in schedules are validated when built and always return finite, non-negative rates.
/// Any `Fn(usize) -> f64` is a schedule too; it must return finite, non-negative rates itself:
/// [`train`](crate::train) and [`minimize`](crate::minimize) check the rate before every update
/// and stop with [`OptimError::ScheduledRate`] naming the schedule and the step (a negative rate would run
/// gradient ascent). [`Optimizer::step`](crate::Optimizer::step) called by hand does not check.
///
/// ```
/// use dualgrad::{Exponential, Schedule};
///
/// let s = Exponential::new(0.1, 0.5).unwrap(); // η γᵏ
/// assert_eq!((s.rate(0), s.rate(1), s.rate(2)), (0.1, 0.05, 0.025));
/// let inv = |k: usize| 1.0 / (1.0 + k as f64); // a closure is a schedule
/// assert_eq!(inv.rate(3), 0.25);
/// ```
pub trait Schedule {
    /// The learning rate for update number `step`; the first update is step 0.
    fn rate(&self, step: usize) -> f64;

    /// Check the schedule's settings; optimizers call it when they are built.
    ///
    /// The built-in schedules check their parameters here; the default accepts everything.
    ///
    /// ```
    /// use dualgrad::{Constant, Schedule};
    /// assert!(Constant::new(0.1).unwrap().validate().is_ok());
    /// ```
    fn validate(&self) -> Result<(), OptimError> {
        Ok(())
    }
}

impl<F: Fn(usize) -> f64> Schedule for F {
    #[inline]
    fn rate(&self, step: usize) -> f64 {
        self(step)
    }
}

/// A constant learning rate `η`.
///
/// ```
/// use dualgrad::{Constant, Schedule};
/// let s = Constant::new(0.01).unwrap();
/// assert_eq!((s.rate(0), s.rate(1_000)), (0.01, 0.01));
/// assert!(Constant::new(-1.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constant {
    lr: f64,
}

impl Constant {
    /// A constant rate `lr`; it must be finite and `>= 0`.
    ///
    /// ```
    /// # use dualgrad::{Constant, OptimError};
    /// assert_eq!(Constant::new(f64::INFINITY), Err(OptimError::InvalidLearningRate(f64::INFINITY)));
    /// ```
    pub fn new(lr: f64) -> Result<Self, OptimError> {
        check_lr(lr)?;
        Ok(Self { lr })
    }

    /// Unchecked: for optimizer configs, which validate when they are built.
    pub(crate) const fn unchecked(lr: f64) -> Self {
        Self { lr }
    }
}

impl Schedule for Constant {
    #[inline]
    fn rate(&self, _step: usize) -> f64 {
        self.lr
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.lr)
    }
}

/// Exponential decay `η γᵏ` at step `k`: the seed articles' `η_t = η · decay^t`
/// (PyTorch's `ExponentialLR` stepped once per update, optax's `exponential_decay` with
/// `transition_steps = 1`).
///
/// ```
/// use dualgrad::{Exponential, Schedule};
/// let s = Exponential::new(1.0, 0.9).unwrap();
/// assert!((s.rate(2) - 0.81).abs() < 1e-15); // 0.9² = 0.81
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exponential {
    lr: f64,
    gamma: f64,
}

impl Exponential {
    /// Start at `lr` and multiply by `gamma` each step; `gamma` must lie in `(0, 1]`.
    ///
    /// ```
    /// # use dualgrad::Exponential;
    /// assert!(Exponential::new(0.1, 1.5).is_err());
    /// ```
    pub fn new(lr: f64, gamma: f64) -> Result<Self, OptimError> {
        let s = Self { lr, gamma };
        s.validate()?;
        Ok(s)
    }
}

impl Schedule for Exponential {
    #[inline]
    fn rate(&self, step: usize) -> f64 {
        self.lr * self.gamma.powf(step as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.lr)?;
        check_unit_gamma(self.gamma)
    }
}

fn check_unit_gamma(gamma: f64) -> Result<(), OptimError> {
    if gamma > 0.0 && gamma <= 1.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidValue {
            name: "gamma",
            value: gamma,
            expected: "in (0, 1]",
        })
    }
}

/// Step decay `η γ^⌊k / T⌋`: the rate is multiplied by `γ` every `T` steps (PyTorch's `StepLR`).
///
/// ```
/// use dualgrad::{Schedule, StepDecay};
/// let s = StepDecay::new(1.0, 10, 0.5).unwrap();
/// assert_eq!((s.rate(9), s.rate(10), s.rate(25)), (1.0, 0.5, 0.25)); // ⌊25/10⌋ = 2
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepDecay {
    lr: f64,
    step_size: usize,
    gamma: f64,
}

impl StepDecay {
    /// Start at `lr`, multiply by `gamma` (in `(0, 1]`) every `step_size` (at least 1) steps.
    ///
    /// ```
    /// # use dualgrad::StepDecay;
    /// assert!(StepDecay::new(0.1, 0, 0.5).is_err());
    /// ```
    pub fn new(lr: f64, step_size: usize, gamma: f64) -> Result<Self, OptimError> {
        let s = Self {
            lr,
            step_size,
            gamma,
        };
        s.validate()?;
        Ok(s)
    }
}

impl Schedule for StepDecay {
    #[inline]
    fn rate(&self, step: usize) -> f64 {
        self.lr * self.gamma.powf((step / self.step_size) as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.lr)?;
        check_positive_count("step_size", self.step_size)?;
        check_unit_gamma(self.gamma)
    }
}

/// Cosine annealing from `η` down to a floor `η_min` over `T` steps, then constant at the floor:
/// `η_min + (η − η_min)(1 + cos(π k / T)) / 2` for `k <= T`, `η_min` for `k > T`.
///
/// This is optax's `cosine_decay_schedule` (which stays at the floor) and PyTorch's
/// `CosineAnnealingLR` for `k <= T` (which, past `T`, would rise again).
///
/// ```
/// use dualgrad::{Cosine, Schedule};
/// let s = Cosine::new(1.0, 0.0, 100).unwrap();
/// assert_eq!(s.rate(0), 1.0);
/// assert!((s.rate(50) - 0.5).abs() < 1e-15); // cos(π/2) = 0
/// assert_eq!(s.rate(100), 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cosine {
    lr: f64,
    floor: f64,
    steps: usize,
}

impl Cosine {
    /// Anneal from `lr` to `floor` (`0 <= floor <= lr`) over `steps` (at least 1) steps.
    ///
    /// ```
    /// # use dualgrad::Cosine;
    /// assert!(Cosine::new(0.1, 0.2, 10).is_err()); // the floor is above the start
    /// ```
    pub fn new(lr: f64, floor: f64, steps: usize) -> Result<Self, OptimError> {
        let s = Self { lr, floor, steps };
        s.validate()?;
        Ok(s)
    }
}

impl Schedule for Cosine {
    #[inline]
    fn rate(&self, step: usize) -> f64 {
        if step >= self.steps {
            return self.floor;
        }
        let c = (std::f64::consts::PI * step as f64 / self.steps as f64).cos();
        // Rounding may put the closed form one ulp outside [floor, lr] (e.g. above lr at step
        // 0); the rate never leaves that interval.
        (self.floor + (self.lr - self.floor) * (1.0 + c) / 2.0)
            .min(self.lr)
            .max(self.floor)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.lr)?;
        check_positive_count("steps", self.steps)?;
        if self.floor >= 0.0 && self.floor <= self.lr {
            Ok(())
        } else {
            Err(OptimError::InvalidValue {
                name: "floor",
                value: self.floor,
                expected: "in [0, lr]",
            })
        }
    }
}

/// A linear ramp from `start` to `end` over `T` steps, then constant at `end`:
/// `start + (end − start) k / T` for `k <= T` (optax's `linear_schedule`). With `start < end` it
/// is a linear warm-up; with `start > end`, a linear decay.
///
/// ```
/// use dualgrad::{Linear, Schedule};
/// let s = Linear::new(0.0, 1.0, 4).unwrap();
/// assert_eq!((s.rate(0), s.rate(1), s.rate(4), s.rate(9)), (0.0, 0.25, 1.0, 1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    start: f64,
    end: f64,
    steps: usize,
}

impl Linear {
    /// Ramp from `start` to `end` (both valid learning rates) over `steps` (at least 1) steps.
    ///
    /// ```
    /// # use dualgrad::Linear;
    /// assert!(Linear::new(0.0, 1.0, 0).is_err());
    /// ```
    pub fn new(start: f64, end: f64, steps: usize) -> Result<Self, OptimError> {
        let s = Self { start, end, steps };
        s.validate()?;
        Ok(s)
    }
}

impl Schedule for Linear {
    #[inline]
    fn rate(&self, step: usize) -> f64 {
        if step >= self.steps {
            return self.end;
        }
        self.start + (self.end - self.start) * (step as f64 / self.steps as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.start)?;
        check_lr(self.end)?;
        check_positive_count("steps", self.steps)
    }
}

/// A linear warm-up of `W` steps chained into another schedule.
///
/// For `k < W` the rate rises linearly from `start` to the inner schedule's first rate:
/// `start + (inner(0) − start) k / W`. From `k = W` on, the inner schedule takes over **with its
/// step index offset by `W`**: the rate is `inner(k − W)`, so the inner schedule starts from its
/// own step 0 right after the warm-up (optax's `join_schedules`, as in
/// `warmup_cosine_decay_schedule`). The rate is continuous at `k = W`.
///
/// ```
/// use dualgrad::{Cosine, Schedule, Warmup};
/// // 10 warm-up steps from 0 to 1, then cosine from 1 to 0 over 100 steps.
/// let s = Warmup::new(0.0, 10, Cosine::new(1.0, 0.0, 100).unwrap()).unwrap();
/// assert_eq!((s.rate(0), s.rate(5), s.rate(10)), (0.0, 0.5, 1.0));
/// assert_eq!(s.rate(110), 0.0); // inner step 100: the end of the cosine
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warmup<S> {
    start: f64,
    steps: usize,
    inner: S,
}

impl<S: Schedule> Warmup<S> {
    /// Warm up from `start` over `steps` (at least 1) steps, then follow `inner`.
    ///
    /// ```
    /// # use dualgrad::{Constant, Warmup};
    /// assert!(Warmup::new(-0.1, 5, Constant::new(0.1).unwrap()).is_err());
    /// ```
    pub fn new(start: f64, steps: usize, inner: S) -> Result<Self, OptimError> {
        let s = Self {
            start,
            steps,
            inner,
        };
        s.validate()?;
        Ok(s)
    }

    /// The schedule that follows the warm-up.
    ///
    /// ```
    /// # use dualgrad::{Constant, Schedule, Warmup};
    /// let w = Warmup::new(0.0, 5, Constant::new(0.1).unwrap()).unwrap();
    /// assert_eq!(w.inner().rate(0), 0.1);
    /// ```
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: Schedule> Schedule for Warmup<S> {
    #[inline]
    fn rate(&self, step: usize) -> f64 {
        if step >= self.steps {
            return self.inner.rate(step - self.steps);
        }
        let peak = self.inner.rate(0);
        self.start + (peak - self.start) * (step as f64 / self.steps as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.start)?;
        check_positive_count("warm-up steps", self.steps)?;
        self.inner.validate()
    }
}
