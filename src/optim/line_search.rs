//! Line searches: how far to go along a descent direction.

use super::error::OptimError;
use super::method::Point;
use super::report::Evaluations;
use super::stop::StopReason;
use super::validate::{check_open_unit, check_positive_count};
use crate::ScalarFn;
use nalgebra::SVector;

/// What a line search found along a direction `d` from `x`.
///
/// ```
/// use dualgrad::optim::{Armijo, LineSearch};
/// use nalgebra::SVector;
/// // f(x) = x² from x = 1 along d = −1 (slope −2): the full step α = 1 reaches the minimiser.
/// let r = Armijo::default().search(|x: &SVector<f64, 1>| x[0] * x[0], &SVector::from([1.0]), 1.0, -2.0, &SVector::from([-1.0]));
/// assert_eq!((r.step, r.value, r.evaluations, r.accepted), (1.0, 0.0, 1, true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineSearchResult {
    /// The step length `α` (the new point is `x + α d`); the last one tried if not accepted.
    pub step: f64,
    /// `f(x + α d)`.
    pub value: f64,
    /// How many times `f` was evaluated.
    pub evaluations: usize,
    /// Whether `α` satisfies the search's acceptance condition.
    pub accepted: bool,
}

impl LineSearchResult {
    /// No step yet: `α = 0` at the starting value, nothing evaluated.
    pub(crate) fn not_started(value: f64) -> Self {
        Self {
            step: 0.0,
            value,
            evaluations: 0,
            accepted: false,
        }
    }
}

/// Whether a search may start: a finite value and a negative slope (NaN is not).
pub(crate) fn is_descent(value: f64, slope: f64) -> bool {
    slope < 0.0 && value.is_finite()
}

/// A line search: given `f`, a point `x` with value `f(x)`, a direction `d` and the slope
/// `∇f(x)·d` (negative for a descent direction), choose a step length along `d`.
///
/// ```
/// use dualgrad::optim::{Armijo, LineSearch};
/// use nalgebra::SVector;
///
/// // f(x) = x², from x = 1 along d = −2 (the negative gradient): slope −4.
/// let f = |x: &SVector<f64, 1>| x[0] * x[0];
/// let r = Armijo::default().search(f, &SVector::from([1.0]), 1.0, -4.0, &SVector::from([-2.0]));
/// // α = 1 lands on x = −1 (no decrease), α = 1/2 on the minimiser x = 0.
/// assert!(r.accepted);
/// assert_eq!((r.step, r.value, r.evaluations), (0.5, 0.0, 2));
/// ```
pub trait LineSearch {
    /// Search along `direction` from `x`, where `value = f(x)` and `slope = ∇f(x)·direction`.
    /// A direction that is not a descent direction (`slope >= 0` or NaN) is rejected without
    /// evaluating `f`.
    fn search<const N: usize, F: FnMut(&SVector<f64, N>) -> f64>(
        &self,
        f: F,
        x: &SVector<f64, N>,
        value: f64,
        slope: f64,
        direction: &SVector<f64, N>,
    ) -> LineSearchResult;

    /// Search when gradients are available: `f(x)` gives the value, `fg(x)` the value and the
    /// gradient. Searches that need slopes at trial points ([`StrongWolfe`](crate::optim::StrongWolfe))
    /// use `fg`; the default ignores it and calls [`search`](Self::search) with `f`. Also
    /// returns the gradient at the returned point when the search computed it, so that the
    /// caller need not compute it again.
    ///
    /// ```
    /// use dualgrad::optim::{Armijo, LineSearch};
    /// use nalgebra::SVector;
    /// let f = |x: &SVector<f64, 1>| x[0] * x[0];
    /// let fg = |x: &SVector<f64, 1>| (x[0] * x[0], x * 2.0);
    /// let (r, g) = Armijo::default().search_with_gradient(f, fg, &SVector::from([1.0]), 1.0, -4.0, &SVector::from([-2.0]));
    /// assert_eq!((r.step, g), (0.5, None)); // Armijo never asks for a gradient
    /// ```
    fn search_with_gradient<const N: usize, F, G>(
        &self,
        f: F,
        fg: G,
        x: &SVector<f64, N>,
        value: f64,
        slope: f64,
        direction: &SVector<f64, N>,
    ) -> (LineSearchResult, Option<SVector<f64, N>>)
    where
        F: FnMut(&SVector<f64, N>) -> f64,
        G: FnMut(&SVector<f64, N>) -> (f64, SVector<f64, N>),
    {
        let _ = fg;
        (self.search(f, x, value, slope, direction), None)
    }
}

/// Backtracking line search with the Armijo (sufficient decrease) condition: starting from
/// `α = 1`, shrink `α ← ρα` until `f(x + αd) <= f(x) + c₁ α ∇f(x)·d`, for at most `max_steps`
/// trials. A trial with a non-finite value counts as not decreasing.
///
/// Defaults: `c₁ = 1e-4`, `ρ = 0.5`, `max_steps = 60` (Nocedal & Wright, Algorithm 3.1).
///
/// ```
/// use dualgrad::optim::Armijo;
/// assert!(Armijo::new(1e-4, 0.5, 60).is_ok());
/// assert!(Armijo::new(1.5, 0.5, 60).is_err()); // c₁ must lie in (0, 1)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Armijo {
    c1: f64,
    shrink: f64,
    max_steps: usize,
}

impl Default for Armijo {
    fn default() -> Self {
        Self {
            c1: 1e-4,
            shrink: 0.5,
            max_steps: 60,
        }
    }
}

impl Armijo {
    /// Already validated settings (for searches that fall back to backtracking).
    pub(crate) fn unchecked(c1: f64, shrink: f64, max_steps: usize) -> Self {
        Self {
            c1,
            shrink,
            max_steps,
        }
    }

    /// Sufficient-decrease constant `c1` in `(0, 1)`, shrink factor `shrink` in `(0, 1)`,
    /// at least one trial.
    ///
    /// ```
    /// # use dualgrad::optim::{Armijo, OptimError};
    /// assert_eq!(
    ///     Armijo::new(1e-4, 0.5, 0),
    ///     Err(OptimError::InvalidCount { name: "max_steps", value: 0, expected: "at least 1" })
    /// );
    /// ```
    pub fn new(c1: f64, shrink: f64, max_steps: usize) -> Result<Self, OptimError> {
        check_open_unit("c1", c1)?;
        check_open_unit("shrink", shrink)?;
        check_positive_count("max_steps", max_steps)?;
        Ok(Self {
            c1,
            shrink,
            max_steps,
        })
    }
}

impl LineSearch for Armijo {
    fn search<const N: usize, F: FnMut(&SVector<f64, N>) -> f64>(
        &self,
        mut f: F,
        x: &SVector<f64, N>,
        value: f64,
        slope: f64,
        direction: &SVector<f64, N>,
    ) -> LineSearchResult {
        let mut result = LineSearchResult::not_started(value);
        if !is_descent(value, slope) {
            return result;
        }
        let mut alpha = 1.0;
        for _ in 0..self.max_steps {
            let trial = f(&(x + direction * alpha));
            result.evaluations += 1;
            result.step = alpha;
            result.value = trial;
            if trial.is_finite() && trial <= value + self.c1 * alpha * slope {
                result.accepted = true;
                return result;
            }
            alpha *= self.shrink;
        }
        result
    }
}

/// Search along `direction` from `point` on `f` through
/// [`LineSearch::search_with_gradient`], adding the values and gradients computed to `evals`.
pub(crate) fn search_counted<const N: usize, L: LineSearch, F: ScalarFn<N>>(
    line_search: &L,
    f: &F,
    point: &Point<N>,
    slope: f64,
    direction: &SVector<f64, N>,
    evals: &mut Evaluations,
) -> (LineSearchResult, Option<SVector<f64, N>>) {
    let (mut values, mut gradients) = (0, 0);
    let found = line_search.search_with_gradient(
        |x| {
            values += 1;
            f.value(x)
        },
        |x| {
            gradients += 1;
            f.gradient(x)
        },
        &point.x,
        point.value,
        slope,
        direction,
    );
    evals.function += values + gradients;
    evals.gradient += gradients;
    found
}

/// One line-search step of a first- or quasi-second-order method: search along `direction`
/// ([`search_counted`]), and return the new point, its gradient taken from the search where the
/// search computed it (strong Wolfe), else evaluated once.
///
/// A search that met no acceptance condition but hands back a point (with its gradient) where
/// `f` is lower than at the start, as strong Wolfe does when the curvature condition is never
/// met (`f` falls without bound along the direction, a kink, or its evaluation budget ran out),
/// still moves there: stopping at a point with a known lower value would be a false verdict.
///
/// # Errors
/// [`StopReason::LineSearchFailed`] when the search found no step that lowers `f`.
pub(crate) fn line_search_step<const N: usize, L: LineSearch, F: ScalarFn<N>>(
    line_search: &L,
    f: &F,
    point: &Point<N>,
    slope: f64,
    direction: &SVector<f64, N>,
    evals: &mut Evaluations,
) -> Result<Point<N>, StopReason> {
    let (ls, found) = search_counted(line_search, f, point, slope, direction, evals);
    let lower = found.is_some() && ls.step > 0.0 && ls.value < point.value;
    if !ls.accepted && !lower {
        return Err(StopReason::LineSearchFailed);
    }
    let x = point.x + direction * ls.step;
    let (value, gradient) = match found {
        Some(g) => (ls.value, g),
        None => {
            evals.add_gradient();
            f.gradient(&x)
        }
    };
    Ok(Point { x, value, gradient })
}
