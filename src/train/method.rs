//! A minimisation method: how [`minimize`](crate::minimize) moves from one iterate to the next.

use super::report::Evaluations;
use super::stop::StopReason;
use crate::ScalarFn;
use crate::optim::Optimizer;
use nalgebra::SVector;

/// An iterate: a point with its value and gradient.
///
/// ```
/// use dualgrad::Point;
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

/// How [`minimize`](crate::minimize) moves from one iterate to the next: implemented by
/// [`Newton`](crate::Newton), [`Lbfgs`](crate::Lbfgs) and every first-order
/// [`Optimizer`] (which steps from the gradient, then evaluates the new point).
///
/// ```
/// use dualgrad::{Evaluations, Method, Point, Scalar, ScalarFn, SgdConfig};
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
}
