//! Learning-rate schedules: a step index in, a learning rate out.
//!
//! The step index counts optimizer updates and starts at **0 on the first update**: an optimizer
//! built with a schedule uses `rate(0)` for its first step, `rate(1)` for its second, and so on.

use super::error::OptimError;
use super::validate::{check_lr, check_positive_count};
use crate::Scalar;
use num_dual::DualNum;

/// A learning-rate schedule: the rate to use at update number `step` (counted from 0).
///
/// Built-in schedules are validated when built and always return finite, non-negative rates.
/// Any `Fn(usize) -> f64` is a schedule too; it must return finite, non-negative rates itself:
/// [`train`](crate::train::train) and [`minimize`](crate::optim::minimize) check the rate before every update
/// and stop with [`OptimError::ScheduledRate`] naming the schedule and the step (a negative rate would run
/// gradient ascent). [`Optimizer::step`](crate::optim::Optimizer::step) called by hand does not check.
///
/// The rate has the scalar type `T` of the optimizer's parameters: `f64` (the default) for
/// ordinary training, or a [`Jet`](crate::Jet) when the training run itself is differentiated
/// with respect to the schedule's settings (see [`hypergradient`](crate::train::hypergradient)). Every
/// built-in schedule is generic over `T` with `f64` as the default.
///
/// ```
/// use dualgrad::optim::{Exponential, Schedule};
///
/// let s = Exponential::new(0.1, 0.5).unwrap(); // η γᵏ
/// assert_eq!((s.rate(0), s.rate(1), s.rate(2)), (0.1, 0.05, 0.025));
/// let inv = |k: usize| 1.0 / (1.0 + k as f64); // a closure is a schedule
/// assert_eq!(inv.rate(3), 0.25);
/// ```
pub trait Schedule<T: Scalar = f64> {
    /// The learning rate for update number `step`; the first update is step 0.
    fn rate(&self, step: usize) -> T;

    /// Check the schedule's settings; optimizers call it when they are built.
    ///
    /// The built-in schedules check their parameters here; the default accepts everything.
    ///
    /// ```
    /// use dualgrad::optim::{Constant, Schedule};
    /// assert!(Constant::new(0.1).unwrap().validate().is_ok());
    /// ```
    fn validate(&self) -> Result<(), OptimError> {
        Ok(())
    }
}

impl<T: Scalar, F: Fn(usize) -> T> Schedule<T> for F {
    #[inline]
    fn rate(&self, step: usize) -> T {
        self(step)
    }
}

/// A constant learning rate `η`.
///
/// ```
/// use dualgrad::optim::{Constant, Schedule};
/// let s = Constant::new(0.01).unwrap();
/// assert_eq!((s.rate(0), s.rate(1_000)), (0.01, 0.01));
/// assert!(Constant::new(-1.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constant<T = f64> {
    lr: T,
}

impl Constant {
    /// A constant rate `lr`; it must be finite and `>= 0`.
    ///
    /// ```
    /// # use dualgrad::optim::{Constant, OptimError};
    /// assert_eq!(Constant::new(f64::INFINITY), Err(OptimError::InvalidLearningRate(f64::INFINITY)));
    /// ```
    ///
    /// At any scalar type, [`new_generic`](Constant::new_generic).
    pub fn new(lr: f64) -> Result<Self, OptimError> {
        Self::new_generic(lr)
    }
}

impl<T: Scalar> Constant<T> {
    /// At any scalar `T` (a [`Jet`](crate::Jet) to differentiate a training run with respect
    /// to the schedule's settings); validated on the values.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// use dualgrad::optim::{Constant, Schedule};
    /// let s = Constant::new_generic(Jet::<f64, 1>::variable(0.1, 0)).unwrap();
    /// assert_eq!(s.rate(7).eps, [1.0]); // ∂η/∂η
    /// ```
    pub fn new_generic(lr: T) -> Result<Self, OptimError> {
        check_lr(lr.value())?;
        Ok(Self { lr })
    }

    /// Unchecked: for optimizer configs, which validate when they are built.
    pub(crate) const fn unchecked(lr: T) -> Self {
        Self { lr }
    }
}

impl<T: Scalar> Schedule<T> for Constant<T> {
    #[inline]
    fn rate(&self, _step: usize) -> T {
        self.lr
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.lr.value())
    }
}

/// Exponential decay `η γᵏ` at step `k`: the textbook `η_t = η · decay^t`
/// (PyTorch's `ExponentialLR` stepped once per update, optax's `exponential_decay` with
/// `transition_steps = 1`).
///
/// ```
/// use dualgrad::optim::{Exponential, Schedule};
/// let s = Exponential::new(1.0, 0.9).unwrap();
/// assert!((s.rate(2) - 0.81).abs() < 1e-15); // 0.9² = 0.81
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exponential<T = f64> {
    lr: T,
    gamma: T,
}

impl Exponential {
    /// Start at `lr` and multiply by `gamma` each step; `gamma` must lie in `(0, 1]`.
    ///
    /// ```
    /// # use dualgrad::optim::Exponential;
    /// assert!(Exponential::new(0.1, 1.5).is_err());
    /// ```
    ///
    /// At any scalar type, [`new_generic`](Exponential::new_generic).
    pub fn new(lr: f64, gamma: f64) -> Result<Self, OptimError> {
        Self::new_generic(lr, gamma)
    }
}

impl<T: Scalar> Exponential<T> {
    /// At any scalar `T` (a [`Jet`](crate::Jet) to differentiate a training run with respect
    /// to the schedule's settings); validated on the values.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// use dualgrad::optim::{Exponential, Schedule};
    /// // η γᵏ at k = 2, η = 0.5, γ = 0.8: ∂/∂η = γ² = 0.64, ∂/∂γ = 2ηγ = 0.8
    /// let (lr, gamma) = (Jet::<f64, 2>::variable(0.5, 0), Jet::<f64, 2>::variable(0.8, 1));
    /// let r = Exponential::new_generic(lr, gamma).unwrap().rate(2);
    /// assert!((r.eps[0] - 0.64).abs() < 1e-15 && (r.eps[1] - 0.8).abs() < 1e-15);
    /// ```
    pub fn new_generic(lr: T, gamma: T) -> Result<Self, OptimError> {
        let s = Self { lr, gamma };
        s.validate()?;
        Ok(s)
    }
}

impl<T: Scalar> Schedule<T> for Exponential<T> {
    #[inline]
    fn rate(&self, step: usize) -> T {
        self.lr * DualNum::powf(&self.gamma, step as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.lr.value())?;
        check_unit_gamma(self.gamma.value())
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
/// use dualgrad::optim::{Schedule, StepDecay};
/// let s = StepDecay::new(1.0, 10, 0.5).unwrap();
/// assert_eq!((s.rate(9), s.rate(10), s.rate(25)), (1.0, 0.5, 0.25)); // ⌊25/10⌋ = 2
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepDecay<T = f64> {
    lr: T,
    step_size: usize,
    gamma: T,
}

impl StepDecay {
    /// Start at `lr`, multiply by `gamma` (in `(0, 1]`) every `step_size` (at least 1) steps.
    ///
    /// ```
    /// # use dualgrad::optim::StepDecay;
    /// assert!(StepDecay::new(0.1, 0, 0.5).is_err());
    /// ```
    ///
    /// At any scalar type, [`new_generic`](StepDecay::new_generic).
    pub fn new(lr: f64, step_size: usize, gamma: f64) -> Result<Self, OptimError> {
        Self::new_generic(lr, step_size, gamma)
    }
}

impl<T: Scalar> StepDecay<T> {
    /// At any scalar `T` (a [`Jet`](crate::Jet) to differentiate a training run with respect
    /// to the schedule's settings); validated on the values.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// use dualgrad::optim::{Schedule, StepDecay};
    /// // η γ^⌊k/10⌋ at k = 25: ∂/∂η = γ² = 0.25
    /// let s = StepDecay::new_generic(Jet::<f64, 1>::variable(1.0, 0), 10, Jet::constant(0.5));
    /// assert_eq!(s.unwrap().rate(25).eps, [0.25]);
    /// ```
    pub fn new_generic(lr: T, step_size: usize, gamma: T) -> Result<Self, OptimError> {
        let s = Self {
            lr,
            step_size,
            gamma,
        };
        s.validate()?;
        Ok(s)
    }
}

impl<T: Scalar> Schedule<T> for StepDecay<T> {
    #[inline]
    fn rate(&self, step: usize) -> T {
        self.lr * DualNum::powf(&self.gamma, (step / self.step_size) as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.lr.value())?;
        check_positive_count("step_size", self.step_size)?;
        check_unit_gamma(self.gamma.value())
    }
}

/// Cosine annealing from `η` down to a floor `η_min` over `T` steps, then constant at the floor:
/// `η_min + (η − η_min)(1 + cos(π k / T)) / 2` for `k <= T`, `η_min` for `k > T`.
///
/// This is optax's `cosine_decay_schedule` (which stays at the floor) and PyTorch's
/// `CosineAnnealingLR` for `k <= T` (which, past `T`, would rise again).
///
/// ```
/// use dualgrad::optim::{Cosine, Schedule};
/// let s = Cosine::new(1.0, 0.0, 100).unwrap();
/// assert_eq!(s.rate(0), 1.0);
/// assert!((s.rate(50) - 0.5).abs() < 1e-15); // cos(π/2) = 0
/// assert_eq!(s.rate(100), 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cosine<T = f64> {
    lr: T,
    floor: T,
    steps: usize,
}

impl Cosine {
    /// Anneal from `lr` to `floor` (`0 <= floor <= lr`) over `steps` (at least 1) steps.
    ///
    /// ```
    /// # use dualgrad::optim::Cosine;
    /// assert!(Cosine::new(0.1, 0.2, 10).is_err()); // the floor is above the start
    /// ```
    ///
    /// At any scalar type, [`new_generic`](Cosine::new_generic).
    pub fn new(lr: f64, floor: f64, steps: usize) -> Result<Self, OptimError> {
        Self::new_generic(lr, floor, steps)
    }
}

impl<T: Scalar> Cosine<T> {
    /// At any scalar `T` (a [`Jet`](crate::Jet) to differentiate a training run with respect
    /// to the schedule's settings); validated on the values.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// use dualgrad::optim::{Cosine, Schedule};
    /// // at k = T/2 the rate is (η + η_min)/2: ∂/∂η = 1/2
    /// let s = Cosine::new_generic(Jet::<f64, 1>::variable(1.0, 0), Jet::constant(0.0), 100);
    /// assert!((s.unwrap().rate(50).eps[0] - 0.5).abs() < 1e-15);
    /// ```
    pub fn new_generic(lr: T, floor: T, steps: usize) -> Result<Self, OptimError> {
        let s = Self { lr, floor, steps };
        s.validate()?;
        Ok(s)
    }
}

impl<T: Scalar> Schedule<T> for Cosine<T> {
    #[inline]
    fn rate(&self, step: usize) -> T {
        if step >= self.steps {
            return self.floor;
        }
        let c = (std::f64::consts::PI * step as f64 / self.steps as f64).cos();
        // Rounding may put the closed form one ulp outside [floor, lr] (e.g. above lr at step
        // 0); the rate never leaves that interval.
        let r = self.floor + (self.lr - self.floor) * (1.0 + c) / 2.0;
        Scalar::max(Scalar::min(r, self.lr), self.floor)
    }

    fn validate(&self) -> Result<(), OptimError> {
        let (lr, floor) = (self.lr.value(), self.floor.value());
        check_lr(lr)?;
        check_positive_count("steps", self.steps)?;
        if floor >= 0.0 && floor <= lr {
            Ok(())
        } else {
            Err(OptimError::InvalidValue {
                name: "floor",
                value: floor,
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
/// use dualgrad::optim::{Linear, Schedule};
/// let s = Linear::new(0.0, 1.0, 4).unwrap();
/// assert_eq!((s.rate(0), s.rate(1), s.rate(4), s.rate(9)), (0.0, 0.25, 1.0, 1.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear<T = f64> {
    start: T,
    end: T,
    steps: usize,
}

impl Linear {
    /// Ramp from `start` to `end` (both valid learning rates) over `steps` (at least 1) steps.
    ///
    /// ```
    /// # use dualgrad::optim::Linear;
    /// assert!(Linear::new(0.0, 1.0, 0).is_err());
    /// ```
    ///
    /// At any scalar type, [`new_generic`](Linear::new_generic).
    pub fn new(start: f64, end: f64, steps: usize) -> Result<Self, OptimError> {
        Self::new_generic(start, end, steps)
    }
}

impl<T: Scalar> Linear<T> {
    /// At any scalar `T` (a [`Jet`](crate::Jet) to differentiate a training run with respect
    /// to the schedule's settings); validated on the values.
    ///
    /// ```
    /// use dualgrad::Jet;
    /// use dualgrad::optim::{Linear, Schedule};
    /// // start + (end − start) k/T at k = 1 of 4: ∂/∂start = 3/4
    /// let s = Linear::new_generic(Jet::<f64, 1>::variable(0.0, 0), Jet::constant(1.0), 4);
    /// assert_eq!(s.unwrap().rate(1).eps, [0.75]);
    /// ```
    pub fn new_generic(start: T, end: T, steps: usize) -> Result<Self, OptimError> {
        let s = Self { start, end, steps };
        s.validate()?;
        Ok(s)
    }
}

impl<T: Scalar> Schedule<T> for Linear<T> {
    #[inline]
    fn rate(&self, step: usize) -> T {
        if step >= self.steps {
            return self.end;
        }
        self.start + (self.end - self.start) * (step as f64 / self.steps as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.start.value())?;
        check_lr(self.end.value())?;
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
/// use dualgrad::optim::{Cosine, Schedule, Warmup};
/// // 10 warm-up steps from 0 to 1, then cosine from 1 to 0 over 100 steps.
/// let s = Warmup::new(0.0, 10, Cosine::new(1.0, 0.0, 100).unwrap()).unwrap();
/// assert_eq!((s.rate(0), s.rate(5), s.rate(10)), (0.0, 0.5, 1.0));
/// assert_eq!(s.rate(110), 0.0); // inner step 100: the end of the cosine
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warmup<S, T = f64> {
    start: T,
    steps: usize,
    inner: S,
}

impl<T: Scalar, S: Schedule<T>> Warmup<S, T> {
    /// Warm up from `start` over `steps` (at least 1) steps, then follow `inner`.
    ///
    /// ```
    /// # use dualgrad::optim::{Constant, Warmup};
    /// assert!(Warmup::new(-0.1, 5, Constant::new(0.1).unwrap()).is_err());
    /// ```
    pub fn new(start: T, steps: usize, inner: S) -> Result<Self, OptimError> {
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
    /// # use dualgrad::optim::{Constant, Schedule, Warmup};
    /// let w = Warmup::new(0.0, 5, Constant::new(0.1).unwrap()).unwrap();
    /// assert_eq!(w.inner().rate(0), 0.1);
    /// ```
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<T: Scalar, S: Schedule<T>> Schedule<T> for Warmup<S, T> {
    #[inline]
    fn rate(&self, step: usize) -> T {
        if step >= self.steps {
            return self.inner.rate(step - self.steps);
        }
        let peak = self.inner.rate(0);
        self.start + (peak - self.start) * (step as f64 / self.steps as f64)
    }

    fn validate(&self) -> Result<(), OptimError> {
        check_lr(self.start.value())?;
        check_positive_count("warm-up steps", self.steps)?;
        self.inner.validate()
    }
}
