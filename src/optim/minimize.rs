//! The minimiser for plain functions.

use super::error::OptimError;
use super::method::{Method, Point};
use super::report::{Progress, Report, Tracker};
use super::stop::{StopReason, StopRules};
use crate::ScalarFn;
use nalgebra::SVector;

/// Minimise `f` from `x0` with `method` until a stopping rule fires.
///
/// `method` is [`Newton`](crate::optim::Newton), [`Lbfgs`](crate::optim::Lbfgs) or any first-order
/// [`Optimizer`](crate::optim::Optimizer); its state is not reset first (call
/// [`Method::reset`] to start fresh). After the start is evaluated and after each iteration the
/// rules are checked (see [`StopRules`]) and `observer` is called with the [`Progress`]. On a
/// non-finite value or gradient the run stops at once with [`StopReason::Diverged`] and reports
/// the last finite parameters. Nothing is allocated per iteration (the history is allocated once).
///
/// When the gradient-norm test passes, the method is asked whether the point is a minimum
/// ([`Method::confirm_stationary`]): every method, by default, reports a stationary point
/// whose exact Hessian has a negative eigenvalue as [`StopReason::SaddlePoint`], not as
/// convergence.
///
/// # Errors
/// [`OptimError`] if a stopping rule is invalid (a NaN target, a negative tolerance);
/// [`OptimError::ScheduledRate`] as soon as a first-order optimizer's schedule returns a
/// negative, NaN or infinite learning rate.
///
/// ```
/// use dualgrad::{Scalar, ScalarFn};
/// use dualgrad::optim::Newton;
/// use dualgrad::optim::{StopReason, StopRules, minimize};
/// use nalgebra::SVector;
///
/// /// Rosenbrock: (1 − x)² + 100(y − x²)², minimiser (1, 1).
/// struct Rosenbrock;
/// impl ScalarFn<2> for Rosenbrock {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
///         (-x[0] + 1.0).powi(2) + (x[1] - x[0] * x[0]).powi(2) * 100.0
///     }
/// }
/// let rules = StopRules::default().with_grad_tol(1e-10);
/// let mut lines = Vec::new();
/// let report = minimize(&Rosenbrock, SVector::from([-1.2, 1.0]), &mut Newton::default(), &rules,
///     |p| lines.push(p.to_string())).unwrap();
/// assert!(matches!(report.stop, StopReason::GradientTolerance { .. }));
/// assert!((report.params - SVector::from([1.0, 1.0])).norm() < 1e-10);
/// assert_eq!(lines.len(), report.iterations + 1);
/// ```
pub fn minimize<const N: usize, F: ScalarFn<N>, M: Method<N>>(
    f: &F,
    x0: SVector<f64, N>,
    method: &mut M,
    rules: &StopRules,
    mut observer: impl FnMut(&Progress<'_, N>),
) -> Result<Report<N>, OptimError> {
    rules.validate()?;
    let mut tracker = Tracker::new(*rules, x0);
    let (value, gradient) = f.gradient(&x0);
    tracker.evals.add_gradient();
    let mut point = Point {
        x: x0,
        value,
        gradient,
    };
    let mut iterations = 0;
    let mut norm = gradient.norm();
    let mut stop = tracker.record(&point.x, value, norm);
    observer(&tracker.progress(0, &point.x, value, norm));
    let stop = loop {
        if let Some(reason) = stop {
            if matches!(reason, StopReason::GradientTolerance { .. })
                && let Some(not_min) = method.confirm_stationary(f, &point, &mut tracker.evals)
            {
                break not_min;
            }
            break reason;
        }
        if iterations >= rules.max_iterations() {
            break StopReason::MaxIterations(rules.max_iterations());
        }
        method.check_next()?;
        if let Err(reason) = method.iterate(f, &mut point, &mut tracker.evals) {
            break reason;
        }
        iterations += 1;
        norm = point.gradient.norm();
        stop = tracker.record(&point.x, point.value, norm);
        observer(&tracker.progress(iterations, &point.x, point.value, norm));
    };
    Ok(tracker.finish(stop, iterations, iterations))
}
