//! A minimisation method: how [`minimize`](crate::optim::minimize) moves from one iterate to the next.

use super::curvature::saddle_point_hessian_free;
use super::error::OptimError;
use super::optimizer::Optimizer;
use super::report::Evaluations;
use super::stop::StopReason;
use super::validate::check_scheduled_rate;
use crate::ScalarFn;
use nalgebra::SVector;

/// An iterate: a point with its value and gradient.
///
/// ```
/// use dualgrad::optim::Point;
/// use nalgebra::SVector;
/// let p = Point { x: SVector::from([1.0]), value: 1.0, gradient: SVector::from([2.0]) }; // f = x²
/// assert_eq!(p.gradient[0], 2.0 * p.x[0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point<const N: usize> {
    /// Where.
    pub x: SVector<f64, N>,
    /// `f(x)`.
    pub value: f64,
    /// `∇f(x)`.
    pub gradient: SVector<f64, N>,
}

/// How [`minimize`](crate::optim::minimize) moves from one iterate to the next: implemented by
/// [`Newton`](crate::optim::Newton), [`Lbfgs`](crate::optim::Lbfgs) and every first-order
/// [`Optimizer`] (which steps from the gradient, then evaluates the new point).
///
/// ```
/// use dualgrad::{Scalar, ScalarFn};
/// use dualgrad::optim::SgdConfig;
/// use dualgrad::optim::{Evaluations, Method, Point};
/// use nalgebra::SVector;
///
/// struct Square; // f = x², ∇f = 2x
/// impl ScalarFn<1> for Square {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] }
/// }
/// let mut sgd = SgdConfig::default().with_lr(0.25).build::<1>().unwrap();
/// let mut p = Point { x: SVector::from([2.0]), value: 4.0, gradient: SVector::from([4.0]) };
/// let mut evals = Evaluations::default();
/// sgd.iterate(&Square, &mut p, &mut evals).unwrap();
/// assert_eq!((p.x[0], p.value, p.gradient[0]), (1.0, 1.0, 2.0)); // 2 − 0.25·4 = 1
/// assert_eq!(evals.gradient, 1);
/// ```
pub trait Method<const N: usize> {
    /// Replace `point` by the next iterate (with its value and gradient), counting evaluations,
    /// or say why no step could be made.
    fn iterate<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        point: &mut Point<N>,
        evals: &mut Evaluations,
    ) -> Result<(), StopReason>;

    /// Forget the state kept between iterations.
    fn reset(&mut self);

    /// Check the method's settings before the next iteration: for a first-order
    /// [`Optimizer`], that its schedule's next learning rate is finite and `>= 0`.
    ///
    /// # Errors
    /// [`OptimError::ScheduledRate`] naming the schedule, the step and the rate. The default
    /// accepts.
    ///
    /// ```
    /// use dualgrad::optim::{OptimError, SgdConfig};
    /// use dualgrad::optim::Method;
    /// let sgd = SgdConfig::default().with_schedule(|k: usize| 0.1 - 0.1 * k as f64).build::<1>().unwrap();
    /// assert!(Method::<1>::check_next(&sgd).is_ok()); // step 0: rate 0.1
    /// let bad = SgdConfig::default().with_schedule(|_: usize| -0.1).build::<1>().unwrap();
    /// let e = Method::<1>::check_next(&bad).unwrap_err();
    /// assert!(matches!(e, OptimError::ScheduledRate { step: 0, rate, .. } if rate == -0.1));
    /// assert!(e.to_string().contains("{{closure}} returned -0.1 at step 0"), "{e}");
    /// ```
    fn check_next(&self) -> Result<(), OptimError> {
        Ok(())
    }

    /// Called when the gradient-norm test has passed at `point`: the one curvature rule, which
    /// reports [`StopReason::SaddlePoint`] when the Hessian there has a negative eigenvalue (a
    /// saddle point or a maximum, not a minimum). The default finds it from Hessian-vector
    /// products (at most 40, once, at the end): what [`NewtonCg`](crate::optim::NewtonCg),
    /// [`Lbfgs`](crate::optim::Lbfgs), every first-order [`Optimizer`] and a method written by
    /// hand use; [`Newton`](crate::optim::Newton) reads it from its exact Hessian instead.
    /// ```
    /// use dualgrad::{Scalar, ScalarFn};
    /// use dualgrad::optim::SgdConfig;
    /// use dualgrad::optim::{Evaluations, Method, Point, StopReason};
    /// use nalgebra::SVector;
    /// struct Saddle; // f = x² − y², stationary at 0
    /// impl ScalarFn<2> for Saddle {
    ///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[0] - x[1] * x[1] }
    /// }
    /// let p = Point { x: SVector::zeros(), value: 0.0, gradient: SVector::zeros() };
    /// let mut sgd = SgdConfig::default().build::<2>().unwrap();
    /// let verdict = sgd.confirm_stationary(&Saddle, &p, &mut Evaluations::default());
    /// assert!(matches!(verdict, Some(StopReason::SaddlePoint { min_eigenvalue, .. }) if (min_eigenvalue + 2.0).abs() < 1e-12));
    /// ```
    fn confirm_stationary<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        point: &Point<N>,
        evals: &mut Evaluations,
    ) -> Option<StopReason> {
        saddle_point_hessian_free(f, point, evals)
    }
}

impl<const N: usize, O: Optimizer<N>> Method<N> for O {
    fn iterate<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        point: &mut Point<N>,
        evals: &mut Evaluations,
    ) -> Result<(), StopReason> {
        self.step(&mut point.x, &point.gradient);
        let (value, gradient) = f.gradient(&point.x);
        evals.add_gradient();
        point.value = value;
        point.gradient = gradient;
        Ok(())
    }

    fn reset(&mut self) {
        Optimizer::reset(self);
    }

    fn check_next(&self) -> Result<(), OptimError> {
        check_scheduled_rate(self)
    }
}
