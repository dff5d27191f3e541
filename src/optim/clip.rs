//! Gradient clipping by global norm.

use super::error::OptimError;
use super::optimizer::Optimizer;
use crate::Scalar;
use nalgebra::SVector;

fn check_max_norm(max_norm: f64) -> Result<(), OptimError> {
    if max_norm.is_finite() && max_norm > 0.0 {
        Ok(())
    } else {
        Err(OptimError::InvalidValue {
            name: "max_norm",
            value: max_norm,
            expected: "finite and > 0",
        })
    }
}

/// Scale `grad` in place so that its Euclidean norm is at most `max_norm`, and return the norm it
/// had before: `g ← g · max_norm / max(‖g‖, max_norm)` (optax's `clip_by_global_norm`; the
/// whole parameter vector is one "global" vector). A gradient with a non-finite norm is left as
/// it is, for the training loop to report as divergence.
///
/// # Errors
/// [`OptimError::InvalidValue`] if `max_norm` is not finite and positive.
///
/// ```
/// use dualgrad::optim::clip_by_global_norm;
/// use nalgebra::SVector;
/// let mut g = SVector::from([3.0, 4.0]); // norm 5
/// assert_eq!(clip_by_global_norm(&mut g, 1.0), Ok(5.0));
/// assert!((g - SVector::from([0.6, 0.8])).norm() < 1e-15);
/// let mut small = SVector::from([0.3, 0.4]); // norm 0.5 < 1: unchanged
/// assert_eq!(clip_by_global_norm(&mut small, 1.0), Ok(0.5));
/// assert_eq!(small, SVector::from([0.3, 0.4]));
/// ```
pub fn clip_by_global_norm<T: Scalar, const N: usize>(
    grad: &mut SVector<T, N>,
    max_norm: f64,
) -> Result<T, OptimError> {
    check_max_norm(max_norm)?;
    Ok(clip_unchecked(grad, max_norm))
}

/// Scale `grad` to norm `max_norm` if its norm is larger; return the norm before clipping. On
/// `f64`, `g.dot(g).sqrt()` is `g.norm()` to the bit (nalgebra sums the squares in the same
/// order); on jets the norm and the scale carry their derivatives.
#[inline]
fn clip_unchecked<T: Scalar, const N: usize>(grad: &mut SVector<T, N>, max_norm: f64) -> T {
    let norm = grad.dot(grad).sqrt();
    if norm.value().is_finite() && norm.value() > max_norm {
        *grad *= T::lift(max_norm) / norm;
    }
    norm
}

/// An optimizer whose gradients are clipped by global norm before each step.
///
/// ```
/// use dualgrad::optim::{Clipped, Optimizer, SgdConfig};
/// use nalgebra::SVector;
/// let sgd = SgdConfig::default().with_lr(1.0).build::<2>().unwrap();
/// let mut opt = Clipped::new(sgd, 1.0).unwrap();
/// let mut theta = SVector::from([0.0, 0.0]);
/// opt.step(&mut theta, &SVector::from([30.0, 40.0])); // clipped to norm 1
/// assert_eq!(theta, SVector::from([-0.6, -0.8]));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Clipped<O> {
    inner: O,
    max_norm: f64,
}

impl<O> Clipped<O> {
    /// Wrap `inner`, clipping each gradient to norm `max_norm` (finite and positive).
    ///
    /// ```
    /// # use dualgrad::optim::{Clipped, SgdConfig};
    /// assert!(Clipped::new(SgdConfig::default().build::<1>().unwrap(), 0.0).is_err());
    /// ```
    pub fn new(inner: O, max_norm: f64) -> Result<Self, OptimError> {
        check_max_norm(max_norm)?;
        Ok(Self { inner, max_norm })
    }

    /// The wrapped optimizer.
    ///
    /// ```
    /// # use dualgrad::optim::{Clipped, Optimizer, SgdConfig};
    /// let c = Clipped::new(SgdConfig::default().build::<1>().unwrap(), 1.0).unwrap();
    /// assert_eq!(c.inner().steps(), 0);
    /// ```
    pub fn inner(&self) -> &O {
        &self.inner
    }
}

impl<T: Scalar, const N: usize, O: Optimizer<N, T>> Optimizer<N, T> for Clipped<O> {
    fn step(&mut self, params: &mut SVector<T, N>, grad: &SVector<T, N>) {
        let mut g = *grad;
        clip_unchecked(&mut g, self.max_norm);
        self.inner.step(params, &g);
    }

    fn reset(&mut self) {
        self.inner.reset();
    }

    fn steps(&self) -> usize {
        self.inner.steps()
    }

    fn learning_rate(&self) -> T {
        self.inner.learning_rate()
    }

    fn set_lr_factor(&mut self, factor: f64) {
        self.inner.set_lr_factor(factor);
    }

    fn schedule_name(&self) -> &'static str {
        self.inner.schedule_name()
    }
}
