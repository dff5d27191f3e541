//! The strong Wolfe line search of Moré and Thuente.

use super::error::OptimError;
use super::line_search::{Armijo, LineSearch, LineSearchResult, is_descent};
use super::validate::{check_open_unit, check_positive_count};
use nalgebra::SVector;

/// A line search that finds a step satisfying the **strong Wolfe conditions**
///
/// ```text
/// f(x + αd) <= f(x) + c₁ α ∇f(x)·d          (sufficient decrease)
/// |∇f(x + αd)·d| <= c₂ |∇f(x)·d|            (curvature)
/// ```
///
/// by the algorithm of Moré & Thuente ("Line search algorithms with guaranteed sufficient
/// decrease", *ACM TOMS* 20(3), 1994; MINPACK-2's `dcsrch`/`dcstep`): safeguarded cubic and
/// quadratic interpolation inside an interval of uncertainty that is extrapolated until it
/// brackets a step, with the modified function `f(x + αd) − f(x) − c₁ α ∇f(x)·d` until a step
/// with sufficient decrease and a non-negative slope is seen. It tries `α = 1` first.
///
/// The curvature condition makes `sᵀy > 0` for the step `s = αd` and the gradient change `y`
/// (`sᵀy >= (c₂ − 1) α ∇f(x)·d > 0`), so an [`Lbfgs`](crate::optim::Lbfgs) update after an accepted
/// step is always sound. `accepted` is true exactly when both conditions hold.
///
/// The conditions need slopes at trial points, so the search runs through
/// [`LineSearch::search_with_gradient`]; [`LineSearch::search`] (values only) falls back to
/// backtracking on the sufficient-decrease condition, and its `accepted` means only that.
///
/// Defaults: `c₁ = 1e-4`, `c₂ = 0.9` (the quasi-Newton values of Nocedal & Wright), at most
/// 30 evaluations, relative interval tolerance `1e-12`.
///
/// ```
/// use dualgrad::optim::{LineSearch, StrongWolfe};
/// use nalgebra::SVector;
/// // f = x⁴ from x = 1 along d = −1: slope −4. α = 1 lands on the minimiser x = 0, where the
/// // slope is 0: both conditions hold at once.
/// let fg = |x: &SVector<f64, 1>| (x[0].powi(4), SVector::from([4.0 * x[0].powi(3)]));
/// let (r, g) = StrongWolfe::default().search_with_gradient(
///     |x| fg(x).0, fg, &SVector::from([1.0]), 1.0, -4.0, &SVector::from([-1.0]));
/// assert!(r.accepted);
/// assert_eq!((r.step, r.value, r.evaluations, g), (1.0, 0.0, 1, Some(SVector::from([0.0]))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrongWolfe {
    c1: f64,
    c2: f64,
    max_evaluations: usize,
    xtol: f64,
}

impl Default for StrongWolfe {
    fn default() -> Self {
        Self {
            c1: 1e-4,
            c2: 0.9,
            max_evaluations: 30,
            xtol: 1e-12,
        }
    }
}

impl StrongWolfe {
    /// Constants `0 < c₁ < c₂ < 1` and at least one evaluation.
    ///
    /// ```
    /// # use dualgrad::optim::{OptimError, StrongWolfe};
    /// assert!(StrongWolfe::new(1e-4, 0.1, 20).is_ok()); // the conjugate-gradient choice
    /// assert_eq!(
    ///     StrongWolfe::new(0.5, 0.4, 20),
    ///     Err(OptimError::InvalidValue { name: "c2", value: 0.4, expected: "in (c1, 1)" })
    /// );
    /// ```
    pub fn new(c1: f64, c2: f64, max_evaluations: usize) -> Result<Self, OptimError> {
        check_open_unit("c1", c1)?;
        check_open_unit("c2", c2)?;
        if c2 <= c1 {
            return Err(OptimError::InvalidValue {
                name: "c2",
                value: c2,
                expected: "in (c1, 1)",
            });
        }
        check_positive_count("max_evaluations", max_evaluations)?;
        Ok(Self {
            c1,
            c2,
            max_evaluations,
            ..Self::default()
        })
    }

    /// The constants `(c₁, c₂)`.
    ///
    /// ```
    /// assert_eq!(dualgrad::optim::StrongWolfe::default().constants(), (1e-4, 0.9));
    /// ```
    pub fn constants(&self) -> (f64, f64) {
        (self.c1, self.c2)
    }
}

/// One end of the interval of uncertainty: step, value, slope.
#[derive(Debug, Clone, Copy)]
struct End {
    step: f64,
    value: f64,
    slope: f64,
}

/// Moré–Thuente's `dcstep`: update the interval `[x, y]` with the trial `t` and return the next
/// trial step, kept within `[lo, hi]`. `bracketed` is set once a minimiser is bracketed.
fn next_step(x: &mut End, y: &mut End, t: End, bracketed: &mut bool, lo: f64, hi: f64) -> f64 {
    let sgnd = t.slope * x.slope.signum();
    let cubic_gamma = |a: &End, b: &End, theta: f64, clamp: bool| {
        let s = theta.abs().max(a.slope.abs()).max(b.slope.abs());
        let disc = (theta / s).powi(2) - (a.slope / s) * (b.slope / s);
        s * if clamp { disc.max(0.0) } else { disc }.sqrt()
    };
    let next = if t.value > x.value {
        // Case 1: higher value: the minimum is bracketed.
        let theta = 3.0 * (x.value - t.value) / (t.step - x.step) + x.slope + t.slope;
        let mut gamma = cubic_gamma(x, &t, theta, false);
        if t.step < x.step {
            gamma = -gamma;
        }
        let p = (gamma - x.slope) + theta;
        let q = ((gamma - x.slope) + gamma) + t.slope;
        let stpc = x.step + (p / q) * (t.step - x.step);
        let stpq = x.step
            + ((x.slope / ((x.value - t.value) / (t.step - x.step) + x.slope)) / 2.0)
                * (t.step - x.step);
        *bracketed = true;
        if (stpc - x.step).abs() < (stpq - x.step).abs() {
            stpc
        } else {
            stpc + (stpq - stpc) / 2.0
        }
    } else if sgnd < 0.0 {
        // Case 2: lower value, slopes of opposite sign: bracketed.
        let theta = 3.0 * (x.value - t.value) / (t.step - x.step) + x.slope + t.slope;
        let mut gamma = cubic_gamma(x, &t, theta, false);
        if t.step > x.step {
            gamma = -gamma;
        }
        let p = (gamma - t.slope) + theta;
        let q = ((gamma - t.slope) + gamma) + x.slope;
        let stpc = t.step + (p / q) * (x.step - t.step);
        let stpq = t.step + (t.slope / (t.slope - x.slope)) * (x.step - t.step);
        *bracketed = true;
        if (stpc - t.step).abs() > (stpq - t.step).abs() {
            stpc
        } else {
            stpq
        }
    } else if t.slope.abs() < x.slope.abs() {
        // Case 3: lower value, same-sign slope, decreasing in magnitude.
        let theta = 3.0 * (x.value - t.value) / (t.step - x.step) + x.slope + t.slope;
        let mut gamma = cubic_gamma(x, &t, theta, true);
        if t.step > x.step {
            gamma = -gamma;
        }
        let p = (gamma - t.slope) + theta;
        let q = (gamma + (x.slope - t.slope)) + gamma;
        let r = p / q;
        let stpc = if r < 0.0 && gamma != 0.0 {
            t.step + r * (x.step - t.step)
        } else if t.step > x.step {
            hi
        } else {
            lo
        };
        let stpq = t.step + (t.slope / (t.slope - x.slope)) * (x.step - t.step);
        if *bracketed {
            let s = if (stpc - t.step).abs() < (stpq - t.step).abs() {
                stpc
            } else {
                stpq
            };
            let limit = t.step + 0.66 * (y.step - t.step);
            if t.step > x.step {
                s.min(limit)
            } else {
                s.max(limit)
            }
        } else {
            let s = if (stpc - t.step).abs() > (stpq - t.step).abs() {
                stpc
            } else {
                stpq
            };
            // Not `clamp`: after a non-finite trial has pulled `hi` in, `lo` may exceed it.
            s.max(lo).min(hi)
        }
    } else if *bracketed {
        // Case 4: lower value, same-sign slope not decreasing: cubic step to the y end.
        let theta = 3.0 * (t.value - y.value) / (y.step - t.step) + y.slope + t.slope;
        let mut gamma = cubic_gamma(y, &t, theta, false);
        if t.step > y.step {
            gamma = -gamma;
        }
        let p = (gamma - t.slope) + theta;
        let q = ((gamma - t.slope) + gamma) + y.slope;
        t.step + (p / q) * (y.step - t.step)
    } else if t.step > x.step {
        hi
    } else {
        lo
    };
    // Update the interval.
    if t.value > x.value {
        *y = t;
    } else {
        if sgnd < 0.0 {
            *y = *x;
        }
        *x = t;
    }
    next
}

impl LineSearch for StrongWolfe {
    fn search<const N: usize, F: FnMut(&SVector<f64, N>) -> f64>(
        &self,
        f: F,
        x: &SVector<f64, N>,
        value: f64,
        slope: f64,
        direction: &SVector<f64, N>,
    ) -> LineSearchResult {
        Armijo::unchecked(self.c1, 0.5, self.max_evaluations).search(f, x, value, slope, direction)
    }

    fn search_with_gradient<const N: usize, F, G>(
        &self,
        _f: F,
        mut fg: G,
        x: &SVector<f64, N>,
        value: f64,
        slope: f64,
        direction: &SVector<f64, N>,
    ) -> (LineSearchResult, Option<SVector<f64, N>>)
    where
        F: FnMut(&SVector<f64, N>) -> f64,
        G: FnMut(&SVector<f64, N>) -> (f64, SVector<f64, N>),
    {
        let mut result = LineSearchResult::not_started(value);
        if !is_descent(value, slope) {
            return (result, None);
        }
        let (stpmin, mut stpmax) = (0.0, 1e10);
        let gtest = self.c1 * slope;
        let origin = End {
            step: 0.0,
            value,
            slope,
        };
        let (mut bx, mut by) = (origin, origin);
        let mut best_gradient: Option<SVector<f64, N>> = None;
        let mut bracketed = false;
        let mut stage1 = true;
        let mut width = stpmax - stpmin;
        let mut width1 = 2.0 * width;
        let mut stp: f64 = 1.0;
        let (mut lo, mut hi): (f64, f64) = (0.0, stp + 4.0 * stp);
        for _ in 0..self.max_evaluations {
            let (fv, g) = fg(&(x + direction * stp));
            result.evaluations += 1;
            let dg = g.dot(direction);
            // A non-finite trial: shrink towards the best point and try again.
            if !fv.is_finite() || !dg.is_finite() {
                stpmax = stp;
                hi = hi.min(stp);
                lo = lo.min(hi);
                stp = bx.step + 0.5 * (stp - bx.step);
                continue;
            }
            let ftest = value + stp * gtest;
            if fv <= ftest && dg.abs() <= -self.c2 * slope {
                result.step = stp;
                result.value = fv;
                result.accepted = true;
                return (result, Some(g));
            }
            if stage1 && fv <= ftest && dg >= 0.0 {
                stage1 = false;
            }
            let t = End {
                step: stp,
                value: fv,
                slope: dg,
            };
            let before = bx.step;
            if stage1 && fv <= bx.value && fv > ftest {
                // The modified function ψ(α) = f − f₀ − c₁αf₀′ until sufficient decrease.
                let shift = |e: End| End {
                    step: e.step,
                    value: e.value - e.step * gtest,
                    slope: e.slope - gtest,
                };
                let unshift = |e: End| End {
                    step: e.step,
                    value: e.value + e.step * gtest,
                    slope: e.slope + gtest,
                };
                let (mut mx, mut my) = (shift(bx), shift(by));
                stp = next_step(&mut mx, &mut my, shift(t), &mut bracketed, lo, hi);
                bx = unshift(mx);
                by = unshift(my);
            } else {
                stp = next_step(&mut bx, &mut by, t, &mut bracketed, lo, hi);
            }
            if bx.step != before {
                best_gradient = Some(g);
            }
            if bracketed {
                if (by.step - bx.step).abs() >= 0.66 * width1 {
                    stp = bx.step + 0.5 * (by.step - bx.step);
                }
                width1 = width;
                width = (by.step - bx.step).abs();
                lo = bx.step.min(by.step);
                hi = bx.step.max(by.step);
            } else {
                lo = stp + 1.1 * (stp - bx.step);
                hi = stp + 4.0 * (stp - bx.step);
            }
            stp = stp.clamp(stpmin, stpmax);
            let stuck = bracketed && (stp <= lo || stp >= hi || hi - lo <= self.xtol * hi);
            if stuck || !stp.is_finite() {
                break;
            }
        }
        // No step satisfied both conditions: report the best point seen, not accepted.
        result.step = bx.step;
        result.value = bx.value;
        (result, best_gradient.filter(|_| bx.step > 0.0))
    }
}
