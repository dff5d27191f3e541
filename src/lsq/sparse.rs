//! Levenberg–Marquardt and Gauss–Newton with a compressed Jacobian and a sparse Cholesky
//! factorisation of the (damped) normal equations, for problems with many parameters and few
//! per residual. Both run on one engine: the compressed Jacobian, `JᵀJ` assembled into a fixed
//! pattern, one symbolic factorisation, the step with one correction from `J`, the stopping
//! tests (those of the dense solvers) and the report.

use super::LsqRules;
use super::report::{LsqError, LsqStop};
use crate::numfmt::{Count, Sci};
use crate::sparse::{SliceFn, SparseJacobian};
use nalgebra::DVector;
use nalgebra_sparse::factorization::CscCholesky;
use nalgebra_sparse::pattern::SparsityPattern;
use nalgebra_sparse::{CscMatrix, CsrMatrix};
use std::fmt;
use std::ops::ControlFlow;

/// Levenberg–Marquardt on a residual function `r: Rⁿ → Rᵐ` with a sparse Jacobian.
///
/// The residuals are a [`SliceFn`] (written once over [`Scalar`](crate::Scalar), on slices).
/// Their Jacobian comes from a [`SparseJacobian`]: the pattern is traced at the start, the
/// columns coloured, and each Jacobian costs `⌈colours / W⌉` forward passes whatever `n` is. Each
/// step solves the damped normal equations `(JᵀJ + λ D²) δ = −Jᵀr` by a sparse Cholesky
/// factorisation (`nalgebra-sparse`, natural ordering: fill-in stays inside the band of a banded
/// `JᵀJ`; the symbolic factorisation is done once), with Moré's scaling `D` (the largest column
/// norms of `J` seen so far) and Nielsen's update of `λ`.
///
/// The stops and counts mean what they mean for the dense
/// [`LevenbergMarquardt`](super::LevenbergMarquardt): the [`LsqRules`] tests, `converged()` only
/// for a real convergence (a zero Jacobian is [`LsqStop::ZeroJacobian`], a parameter whose
/// Jacobian column vanished is [`LsqStop::Diverging`]), undamped refinement steps after a small
/// step or reduction, counted apart from the iterations.
///
/// **Accuracy.** Forming `JᵀJ` squares the condition number `κ` of `J`. Each step is therefore
/// solved with one correction (the residual `−Jᵀr − (JᵀJ + λD²)δ` recomputed from `J`, not from
/// `JᵀJ`, and solved with the same factors: the corrected semi-normal equations), and the
/// iteration itself recomputes `Jᵀr` from the residuals at each point, so where the solve
/// converges it reaches the accuracy `κε` that a backward-stable (QR) solver attains (tested on
/// a Laplacian system with `κ ≈ 4·10⁵`, where one plain solve of the normal equations keeps
/// only 5 digits: the error is `3·10⁻¹⁴`). The limit is the factorisation: `JᵀJ` is positive
/// definite in floating point only while `κ ≲ 1/√ε ≈ 7·10⁷`. Beyond it the undamped steps
/// (Gauss–Newton, the refinement) fail, and Levenberg–Marquardt moves by damped steps only
/// (enough on a zero-residual problem, slow in general); the dense solvers have no such limit.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::SparseLevenbergMarquardt;
/// use dualgrad::sparse::SliceFn;
///
/// /// rᵢ = xᵢ² − 2 for i < n, and rₙ₊ᵢ = xᵢ₊₁ − xᵢ: the solution is xᵢ = √2
/// struct Roots { n: usize }
/// impl SliceFn for Roots {
///     fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
///         for i in 0..self.n {
///             r[i] = x[i] * x[i] - 2.0;
///         }
///         for i in 0..self.n - 1 {
///             r[self.n + i] = x[i + 1] - x[i];
///         }
///     }
/// }
/// let n = 100;
/// let report = SparseLevenbergMarquardt::default().solve(Roots { n }, 2 * n - 1, &vec![1.0; n]).unwrap();
/// assert!(report.stop.converged());
/// assert!(report.params.iter().all(|x| (x - 2f64.sqrt()).abs() < 1e-12));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparseLevenbergMarquardt {
    initial_damping: f64,
    rules: LsqRules,
}

impl Default for SparseLevenbergMarquardt {
    /// Initial damping `1e-3` and the default [`LsqRules`] (those of the dense solvers).
    fn default() -> Self {
        Self {
            initial_damping: 1e-3,
            rules: LsqRules::default(),
        }
    }
}

/// Gauss–Newton on a residual function `r: Rⁿ → Rᵐ` with a sparse Jacobian: the undamped step
/// of [`SparseLevenbergMarquardt`] (same compressed Jacobian, same sparse Cholesky with one
/// correction) and a backtracking line search on `½ Σ rᵢ²` (Armijo's condition with
/// `c₁ = 10⁻⁴`, halving, at most 40 trials; the full step first), as the dense
/// [`GaussNewton`](super::GaussNewton) does with QR. Quadratic convergence on zero-residual
/// problems; where `JᵀJ` is not positive definite in floating point (a rank-deficient or
/// too ill-conditioned `J`, see the accuracy note of [`SparseLevenbergMarquardt`]) it stops with
/// [`LsqStop::NoProgress`]: prefer Levenberg–Marquardt from poor starts.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::SparseGaussNewton;
/// use dualgrad::sparse::SliceFn;
///
/// /// rᵢ = xᵢ² − 2 for i < n, and rₙ₊ᵢ = xᵢ₊₁ − xᵢ: the solution is xᵢ = √2
/// struct Roots { n: usize }
/// impl SliceFn for Roots {
///     fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
///         for i in 0..self.n {
///             r[i] = x[i] * x[i] - 2.0;
///         }
///         for i in 0..self.n - 1 {
///             r[self.n + i] = x[i + 1] - x[i];
///         }
///     }
/// }
/// let n = 100;
/// let report = SparseGaussNewton::default().solve(Roots { n }, 2 * n - 1, &vec![1.0; n]).unwrap();
/// assert!(report.stop.converged(), "{report}");
/// assert!(report.params.iter().all(|x| (x - 2f64.sqrt()).abs() < 1e-14));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SparseGaussNewton {
    rules: LsqRules,
}

/// What a sparse least-squares solve returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseLsqReport {
    /// The parameters at the end.
    pub params: Vec<f64>,
    /// The residual sum of squares `Σ rᵢ²` there.
    pub rss: f64,
    /// Why the solve stopped.
    pub stop: LsqStop,
    /// Accepted steps of the main iteration (as in [`LsqReport`](super::LsqReport)).
    pub iterations: usize,
    /// Undamped Gauss–Newton steps taken after the main iteration stopped on a small step or
    /// reduction (at most 50), each with one residual and one Jacobian evaluation.
    pub refinement_steps: usize,
    /// Residual vectors evaluated on `f64` alone (trial points), all phases included.
    pub residual_evaluations: usize,
    /// Jacobians evaluated (each `passes` compressed forward passes, which also yield the
    /// residuals), all phases included, the start's included.
    pub jacobian_evaluations: usize,
    /// Colours of the Jacobian's columns.
    pub colours: usize,
    /// Forward passes per Jacobian.
    pub passes: usize,
}

impl fmt::Display for SparseLsqReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; {}{}; RSS {}; {}, {} ({} colours, {} per Jacobian)",
            self.stop,
            Count(self.iterations, "iteration"),
            if self.refinement_steps > 0 {
                format!(" + {}", Count(self.refinement_steps, "refinement step"))
            } else {
                String::new()
            },
            Sci(self.rss),
            Count(self.residual_evaluations, "residual evaluation"),
            Count(self.jacobian_evaluations, "Jacobian"),
            self.colours,
            Count(self.passes, "pass"),
        )
    }
}

/// What the observer of [`SparseLevenbergMarquardt::solve_observed`] and
/// [`SparseGaussNewton::solve_observed`] sees after each accepted step of the main iteration
/// (the sparse counterpart of [`LsqIteration`](super::LsqIteration)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparseLsqIteration<'a> {
    /// Accepted steps so far (1 after the first).
    pub iteration: usize,
    /// The parameters after the step.
    pub params: &'a [f64],
    /// The residual sum of squares there.
    pub rss: f64,
    /// The damping `λ` the step was computed with (relative to `D²`; 0 for Gauss–Newton).
    pub lambda: f64,
    /// Actual over predicted reduction of the sum of squares by the step.
    pub gain_ratio: f64,
    /// The scaled step length `‖Dδ‖`.
    pub step_norm: f64,
    /// The gradient `Jᵀr` of `½ Σ rᵢ²` at the new parameters.
    pub gradient: &'a [f64],
    /// Residual evaluations so far (trial points).
    pub residual_evaluations: usize,
    /// Jacobian evaluations so far (the start's included).
    pub jacobian_evaluations: usize,
}

impl SparseLevenbergMarquardt {
    /// The first step's damping relative to the largest diagonal entry of `JᵀJ`.
    ///
    /// # Errors
    /// [`LsqError::InvalidValue`] unless finite and `> 0`.
    pub fn with_initial_damping(mut self, damping: f64) -> Result<Self, LsqError> {
        positive("initial_damping", damping)?;
        self.initial_damping = damping;
        Ok(self)
    }

    /// Relative step tolerance: stop when `‖Dδ‖ ≤ xtol (‖Dx‖ + xtol)`.
    ///
    /// # Errors
    /// [`LsqError::InvalidValue`] unless finite and `≥ 0`.
    pub fn with_xtol(mut self, xtol: f64) -> Result<Self, LsqError> {
        non_negative("xtol", xtol)?;
        self.rules = self.rules.with_xtol(xtol);
        Ok(self)
    }

    /// Gradient tolerance: stop when every `|Jₖᵀr| / (‖Jₖ‖ ‖r‖) ≤ gtol`.
    ///
    /// # Errors
    /// [`LsqError::InvalidValue`] unless finite and `≥ 0`.
    pub fn with_gtol(mut self, gtol: f64) -> Result<Self, LsqError> {
        non_negative("gtol", gtol)?;
        self.rules = self.rules.with_gtol(gtol);
        Ok(self)
    }

    /// The iteration limit.
    pub fn with_max_iterations(mut self, max_iterations: usize) -> Self {
        self.rules = self.rules.with_max_iterations(max_iterations);
        self
    }

    /// Replace the stopping rules (checked when solving).
    pub fn with_rules(mut self, rules: LsqRules) -> Self {
        self.rules = rules;
        self
    }

    /// The stopping rules.
    pub fn rules(&self) -> &LsqRules {
        &self.rules
    }

    /// Minimises `Σ rᵢ(x)²` for `m` residuals from `x0`.
    ///
    /// # Errors
    /// [`LsqError::TooFewResiduals`] if `m < x0.len()`; [`LsqError::NonFiniteParameter`] for a
    /// NaN or infinite start; [`LsqError::NonFiniteStart`] if a residual or Jacobian entry is
    /// not finite at `x0`; [`LsqError::Overflow`] if their sum of squares overflows there;
    /// [`LsqError::InvalidValue`] for invalid rules.
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn solve<F: SliceFn>(
        &self,
        residuals: F,
        m: usize,
        x0: &[f64],
    ) -> Result<SparseLsqReport, LsqError> {
        self.solve_observed(residuals, m, x0, |_| ControlFlow::Continue(()))
    }

    /// [`solve`](Self::solve) with an observer called after each accepted step;
    /// `ControlFlow::Break(())` stops the run with [`LsqStop::ObserverStopped`].
    ///
    /// # Errors
    /// As [`solve`](Self::solve).
    pub fn solve_observed<F: SliceFn, O>(
        &self,
        residuals: F,
        m: usize,
        x0: &[f64],
        mut observer: O,
    ) -> Result<SparseLsqReport, LsqError>
    where
        O: FnMut(&SparseLsqIteration<'_>) -> ControlFlow<()>,
    {
        let rules = self.rules;
        let (mut e, mut rss) = Engine::start(residuals, m, x0, &rules)?;
        let n = e.n;
        let mut lambda = self.initial_damping * e.norms.iter().fold(0.0_f64, |a, v| a.max(v * v));
        lambda = lambda.max(f64::MIN_POSITIVE);
        let mut nu = 2.0;
        let mut shift = vec![0.0; n];
        let mut iterations = 0;
        let stop = 'outer: loop {
            if let Some(stop) = e.iteration_stop(rss, iterations, &rules) {
                break stop;
            }
            loop {
                let d = e.scale();
                for (s, dk) in shift.iter_mut().zip(&d) {
                    *s = lambda * dk * dk;
                }
                let Some(delta) = e.step(&shift) else {
                    lambda *= nu;
                    nu *= 2.0;
                    if !lambda.is_finite() || lambda > 1e300 {
                        break 'outer LsqStop::NoProgress;
                    }
                    continue;
                };
                let predicted = e.predicted(&delta);
                let trial_rss = e.trial_rss(&delta, 1.0);
                let actual = rss - trial_rss;
                let rho = if predicted > 0.0 {
                    actual / predicted
                } else {
                    -1.0
                };
                let dx = norm_scaled(&delta, &d);
                let dtheta = norm_scaled(&e.x, &d);
                let small_step = dx <= rules.xtol() * (dtheta + rules.xtol());
                let small_reduction = actual.abs() <= rules.ftol() * rss
                    && predicted <= rules.ftol() * rss
                    && rho <= 2.0;
                if rho > 1e-4 {
                    rss = e.accept();
                    iterations += 1;
                    lambda *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
                    nu = 2.0;
                    if observer(&e.observe(iterations, rss, lambda, rho, dx)).is_break() {
                        break 'outer LsqStop::ObserverStopped;
                    }
                    if small_reduction {
                        break 'outer LsqStop::SmallReduction {
                            reduction: actual / (rss + actual),
                            tol: rules.ftol(),
                        };
                    }
                    if small_step {
                        break 'outer LsqStop::SmallStep {
                            step: dx / dtheta,
                            tol: rules.xtol(),
                        };
                    }
                    continue 'outer;
                }
                if small_reduction {
                    break 'outer LsqStop::SmallReduction {
                        reduction: actual.abs() / rss,
                        tol: rules.ftol(),
                    };
                }
                if small_step {
                    break 'outer LsqStop::SmallStep {
                        step: dx / dtheta,
                        tol: rules.xtol(),
                    };
                }
                lambda *= nu;
                nu *= 2.0;
                if !lambda.is_finite() || lambda > 1e300 {
                    break 'outer LsqStop::NoProgress;
                }
            }
        };
        Ok(e.finish(stop, rss, iterations, &rules))
    }
}

/// Armijo's sufficient-decrease constant of [`SparseGaussNewton`]'s line search.
const ARMIJO_C1: f64 = 1e-4;
/// Trials of [`SparseGaussNewton`]'s line search (halving the step each time).
const ARMIJO_TRIALS: usize = 40;

impl SparseGaussNewton {
    /// Replace the stopping rules (checked when solving).
    pub fn with_rules(mut self, rules: LsqRules) -> Self {
        self.rules = rules;
        self
    }

    /// The stopping rules.
    pub fn rules(&self) -> &LsqRules {
        &self.rules
    }

    /// Minimises `Σ rᵢ(x)²` for `m` residuals from `x0`.
    ///
    /// # Errors
    /// As [`SparseLevenbergMarquardt::solve`].
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn solve<F: SliceFn>(
        &self,
        residuals: F,
        m: usize,
        x0: &[f64],
    ) -> Result<SparseLsqReport, LsqError> {
        self.solve_observed(residuals, m, x0, |_| ControlFlow::Continue(()))
    }

    /// [`solve`](Self::solve) with an observer called after each accepted step (`lambda` is 0;
    /// `gain_ratio` that of the step the line search chose); `ControlFlow::Break(())` stops the
    /// run with [`LsqStop::ObserverStopped`].
    ///
    /// # Errors
    /// As [`solve`](Self::solve).
    pub fn solve_observed<F: SliceFn, O>(
        &self,
        residuals: F,
        m: usize,
        x0: &[f64],
        mut observer: O,
    ) -> Result<SparseLsqReport, LsqError>
    where
        O: FnMut(&SparseLsqIteration<'_>) -> ControlFlow<()>,
    {
        let rules = self.rules;
        let (mut e, mut rss) = Engine::start(residuals, m, x0, &rules)?;
        let zero = vec![0.0; e.n];
        let mut iterations = 0;
        let stop = loop {
            if let Some(stop) = e.iteration_stop(rss, iterations, &rules) {
                break stop;
            }
            let Some(mut delta) = e.step(&zero) else {
                break LsqStop::NoProgress;
            };
            // ∇(½ Σ r²)·δ = gᵀδ
            let slope = dot(&e.g, &delta);
            if slope.is_nan() || slope >= 0.0 {
                break LsqStop::NoProgress;
            }
            let mut t = 1.0;
            let mut accepted = false;
            for _ in 0..ARMIJO_TRIALS {
                let trial = e.trial_rss(&delta, t);
                if 0.5 * trial <= 0.5 * rss + ARMIJO_C1 * t * slope {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            let d = e.scale();
            if !accepted {
                // At the bottom of the sum of squares no trial lowers it beyond rounding: if
                // the full Gauss–Newton step is itself below xtol, that is the small step.
                let (dx, dtheta) = (norm_scaled(&delta, &d), norm_scaled(&e.x, &d));
                if dx <= rules.xtol() * (dtheta + rules.xtol()) {
                    break LsqStop::SmallStep {
                        step: dx / dtheta,
                        tol: rules.xtol(),
                    };
                }
                break LsqStop::NoProgress;
            }
            for v in &mut delta {
                *v *= t;
            }
            let dx = norm_scaled(&delta, &d);
            let dtheta = norm_scaled(&e.x, &d);
            let predicted = e.predicted(&delta);
            let previous = rss;
            rss = e.accept();
            iterations += 1;
            let actual = previous - rss;
            if observer(&e.observe(iterations, rss, 0.0, actual / predicted, dx)).is_break() {
                break LsqStop::ObserverStopped;
            }
            if actual.abs() <= rules.ftol() * previous && predicted <= rules.ftol() * previous {
                break LsqStop::SmallReduction {
                    reduction: actual / previous,
                    tol: rules.ftol(),
                };
            }
            if dx <= rules.xtol() * (dtheta + rules.xtol()) {
                break LsqStop::SmallStep {
                    step: dx / dtheta,
                    tol: rules.xtol(),
                };
            }
        };
        Ok(e.finish(stop, rss, iterations, &rules))
    }
}

/// A Jacobian column whose norm falls below this fraction of the largest it had during the run
/// has vanished (see [`LsqStop::Diverging`]; the dense solvers' rule).
const VANISHED: f64 = 1e-12;

/// The state of a sparse solve: the compressed Jacobian, `JᵀJ`, its factors, the point, the
/// residuals and gradient there, column norms, buffers and counts.
struct Engine<F> {
    n: usize,
    jac: SparseJacobian<F>,
    normal: Normal,
    /// `JᵀJ` at `x`.
    a: CsrMatrix<f64>,
    cholesky: Option<CscCholesky<f64>>,
    x: Vec<f64>,
    r: Vec<f64>,
    /// `Jᵀr` at `x`.
    g: Vec<f64>,
    /// Column norms of `J` at `x`, and the largest of each seen during the run.
    norms: Vec<f64>,
    largest: Vec<f64>,
    trial: Vec<f64>,
    r_trial: Vec<f64>,
    /// `Jδ` (length `m`).
    jd: Vec<f64>,
    residual_evaluations: usize,
    jacobian_evaluations: usize,
}

impl<F: SliceFn> Engine<F> {
    fn start(f: F, m: usize, x0: &[f64], rules: &LsqRules) -> Result<(Self, f64), LsqError> {
        rules.validate()?;
        let n = x0.len();
        if m < n || m == 0 {
            return Err(LsqError::TooFewResiduals {
                residuals: m,
                params: n,
            });
        }
        if let Some(index) = x0.iter().position(|v| !v.is_finite()) {
            return Err(LsqError::NonFiniteParameter {
                index,
                value: x0[index],
            });
        }
        let mut jac = SparseJacobian::new(f, x0, m);
        let mut r = vec![0.0; m];
        let j = jac.jacobian(x0, &mut r).expect("lengths as built");
        if let Some(row) = r.iter().position(|v| !v.is_finite()) {
            return Err(LsqError::NonFiniteStart { row });
        }
        if let Some((row, _, _)) = j.triplet_iter().find(|(_, _, v)| !v.is_finite()) {
            return Err(LsqError::NonFiniteStart { row });
        }
        let rss = sum_squares(&r);
        if !rss.is_finite() {
            let largest = r.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
            return Err(LsqError::Overflow { largest });
        }
        let normal = Normal::new(j);
        let a = normal.matrix.clone();
        let mut e = Self {
            n,
            jac,
            normal,
            a,
            cholesky: None,
            x: x0.to_vec(),
            r,
            g: vec![0.0; n],
            norms: vec![0.0; n],
            largest: vec![0.0; n],
            trial: vec![0.0; n],
            r_trial: vec![0.0; m],
            jd: vec![0.0; m],
            residual_evaluations: 0,
            jacobian_evaluations: 1,
        };
        e.refresh();
        Ok((e, rss))
    }

    /// `JᵀJ`, `Jᵀr` and the column norms from the Jacobian and residuals at `x`.
    fn refresh(&mut self) {
        let j = self.jac.matrix();
        self.normal.fill(j, &mut self.a);
        j.transpose_mul_into(&self.r, &mut self.g);
        for (k, &d) in self.normal.diagonal.iter().enumerate() {
            self.norms[k] = self.a.values()[d].sqrt();
            self.largest[k] = self.largest[k].max(self.norms[k]);
        }
    }

    /// Moré's scaling: the largest column norms seen, 1 for a column never nonzero.
    fn scale(&self) -> Vec<f64> {
        self.largest
            .iter()
            .map(|&v| if v > 0.0 { v } else { 1.0 })
            .collect()
    }

    /// The step solving `(JᵀJ + diag(shift)) δ = −Jᵀr`, with one correction from `J`; `None`
    /// if the matrix is not positive definite in floating point.
    fn step(&mut self, shift: &[f64]) -> Option<Vec<f64>> {
        let mut damped = self.a.values().to_vec();
        for (k, &d) in self.normal.diagonal.iter().enumerate() {
            damped[d] += shift[k];
        }
        let csc = CscMatrix::try_from_pattern_and_values(self.normal.pattern.clone(), damped)
            .expect("a symmetric pattern is its own transpose");
        let factored = match &mut self.cholesky {
            None => CscCholesky::factor(&csc).map(|c| self.cholesky = Some(c)),
            Some(c) => c.refactor(csc.values()),
        };
        if factored.is_err() {
            return None;
        }
        let c = self.cholesky.as_ref().expect("factored");
        let mut delta = DVector::from_iterator(self.n, self.g.iter().map(|v| -v));
        c.solve_mut(&mut delta);
        // the residual of the normal equations from J: −g − Jᵀ(Jδ) − shift∘δ
        let j = self.jac.matrix();
        j.mul_into(delta.as_slice(), &mut self.jd);
        let mut correction = DVector::zeros(self.n);
        j.transpose_mul_into(&self.jd, correction.as_mut_slice());
        for k in 0..self.n {
            correction[k] = -self.g[k] - correction[k] - shift[k] * delta[k];
        }
        c.solve_mut(&mut correction);
        delta += correction;
        delta
            .iter()
            .all(|v| v.is_finite())
            .then(|| delta.as_slice().to_vec())
    }

    /// The reduction of `Σ r²` the linear model predicts for `δ`: `−2 gᵀδ − ‖Jδ‖²`.
    fn predicted(&mut self, delta: &[f64]) -> f64 {
        self.jac.matrix().mul_into(delta, &mut self.jd);
        -2.0 * dot(&self.g, delta) - sum_squares(&self.jd)
    }

    /// `Σ r²` at `x + t δ` (stored as the trial point; `+inf` if not finite).
    fn trial_rss(&mut self, delta: &[f64], t: f64) -> f64 {
        for ((p, x), d) in self.trial.iter_mut().zip(&self.x).zip(delta) {
            *p = x + t * d;
        }
        self.jac.function().eval(&self.trial, &mut self.r_trial);
        self.residual_evaluations += 1;
        let s = sum_squares(&self.r_trial);
        if s.is_finite() { s } else { f64::INFINITY }
    }

    /// Moves to the trial point and linearises there; returns `Σ r²`.
    fn accept(&mut self) -> f64 {
        std::mem::swap(&mut self.x, &mut self.trial);
        self.jac
            .jacobian(&self.x, &mut self.r)
            .expect("lengths as built");
        self.jacobian_evaluations += 1;
        self.refresh();
        sum_squares(&self.r)
    }

    fn observe(
        &self,
        iteration: usize,
        rss: f64,
        lambda: f64,
        gain_ratio: f64,
        step_norm: f64,
    ) -> SparseLsqIteration<'_> {
        SparseLsqIteration {
            iteration,
            params: &self.x,
            rss,
            lambda,
            gain_ratio,
            step_norm,
            gradient: &self.g,
            residual_evaluations: self.residual_evaluations,
            jacobian_evaluations: self.jacobian_evaluations,
        }
    }

    /// Zero residual, zero Jacobian, gradient cosine, iteration limit (the dense solvers' tests
    /// before each iteration).
    fn iteration_stop(&self, rss: f64, iterations: usize, rules: &LsqRules) -> Option<LsqStop> {
        if rss == 0.0 {
            return Some(LsqStop::ZeroResidual);
        }
        if self.norms.iter().all(|&v| v == 0.0) {
            return Some(LsqStop::ZeroJacobian);
        }
        let r_norm = rss.sqrt();
        let cosine = self
            .g
            .iter()
            .zip(&self.norms)
            .filter(|(_, n)| **n > 0.0)
            .map(|(g, n)| g.abs() / (n * r_norm))
            .fold(0.0, f64::max);
        if cosine <= rules.gtol() {
            return Some(LsqStop::SmallGradient {
                cosine,
                tol: rules.gtol(),
            });
        }
        (iterations >= rules.max_iterations())
            .then_some(LsqStop::MaxIterations(rules.max_iterations()))
    }

    /// After a small step or reduction: undamped Gauss–Newton steps while they contract (each
    /// `‖Dδ‖` below the previous, at most 50) and do not raise `Σ r²` beyond rounding, until the
    /// step (or the next, predicted from the contraction) is negligible against `xtol` — the
    /// dense solvers' refinement. Returns the number of steps taken.
    fn polish(&mut self, rss: &mut f64, rules: &LsqRules) -> usize {
        let zero = vec![0.0; self.n];
        let d = self.scale();
        let mut previous = f64::INFINITY;
        for step in 0..50 {
            let Some(delta) = self.step(&zero) else {
                return step;
            };
            let size = norm_scaled(&delta, &d);
            if size.is_nan() || size >= previous {
                return step;
            }
            let trial_rss = self.trial_rss(&delta, 1.0);
            if trial_rss > *rss * (1.0 + 1e-10) {
                return step;
            }
            *rss = self.accept();
            let q = if previous.is_finite() {
                size / previous
            } else {
                1.0
            };
            previous = size;
            let scale = norm_scaled(&self.x, &d);
            let tol = rules.xtol().min(1e-13);
            if size <= 0.1 * tol * scale || size * q <= 0.01 * tol * scale {
                return step + 1;
            }
        }
        50
    }

    /// A convergence stop checked against the Jacobian (the dense solvers' rule): a zero
    /// Jacobian, or a column below `VANISHED` of its largest norm, is not convergence; nor,
    /// after a small step or reduction, a column below `√ε` of it that carries the largest
    /// component of a Gauss–Newton step still longer than `1e-4 ‖Dx‖`.
    fn vet(&mut self, stop: LsqStop, rss: f64) -> LsqStop {
        if !stop.converged() || stop == LsqStop::ZeroResidual || rss == 0.0 {
            return stop;
        }
        if self.norms.iter().all(|&v| v == 0.0) {
            return LsqStop::ZeroJacobian;
        }
        let diverging = |e: &Self, index: usize| LsqStop::Diverging {
            index,
            value: e.x[index],
            column: e.norms[index] / e.largest[index],
        };
        if let Some(k) = (0..self.n).find(|&k| self.norms[k] < VANISHED * self.largest[k]) {
            return diverging(self, k);
        }
        if matches!(
            stop,
            LsqStop::SmallStep { .. } | LsqStop::SmallReduction { .. }
        ) {
            let zero = vec![0.0; self.n];
            if let Some(step) = self.step(&zero) {
                let d = self.scale();
                let ds: Vec<f64> = step.iter().zip(&d).map(|(s, d)| s * d).collect();
                let k = (0..self.n)
                    .max_by(|&a, &b| ds[a].abs().total_cmp(&ds[b].abs()))
                    .unwrap_or(0);
                if sum_squares(&ds).sqrt() > 1e-4 * norm_scaled(&self.x, &d)
                    && self.norms[k] < f64::EPSILON.sqrt() * self.largest[k]
                {
                    return diverging(self, k);
                }
            }
        }
        stop
    }

    fn finish(
        mut self,
        stop: LsqStop,
        mut rss: f64,
        iterations: usize,
        rules: &LsqRules,
    ) -> SparseLsqReport {
        let refinement_steps = if matches!(
            stop,
            LsqStop::SmallStep { .. } | LsqStop::SmallReduction { .. }
        ) {
            self.polish(&mut rss, rules)
        } else {
            0
        };
        let stop = self.vet(stop, rss);
        SparseLsqReport {
            rss,
            stop,
            iterations,
            refinement_steps,
            residual_evaluations: self.residual_evaluations,
            jacobian_evaluations: self.jacobian_evaluations,
            colours: self.jac.colours(),
            passes: self.jac.passes(),
            params: self.x,
        }
    }
}

/// The pattern of `JᵀJ` (with its whole diagonal) and, for each row of `J`, where the products
/// of its entries go.
struct Normal {
    pattern: SparsityPattern,
    matrix: CsrMatrix<f64>,
    diagonal: Vec<usize>,
    /// For row `i` of `J` with entries `e₀..eₖ`: the slot of `(col(eₐ), col(e_b))`, row-major.
    slots: Vec<usize>,
}

impl Normal {
    fn new(j: &CsrMatrix<f64>) -> Self {
        let n = j.ncols();
        let mut rows = vec![Vec::new(); n];
        for (k, row) in rows.iter_mut().enumerate() {
            row.push(k);
        }
        for i in 0..j.nrows() {
            let cols = j.row(i).col_indices().to_vec();
            for &a in &cols {
                rows[a].extend_from_slice(&cols);
            }
        }
        let pattern = crate::sparse::pattern_from_rows(rows, n);
        let position = |a: usize, b: usize| {
            pattern.major_offsets()[a]
                + pattern
                    .lane(a)
                    .binary_search(&b)
                    .expect("JᵀJ holds every pair of a row's columns")
        };
        let diagonal = (0..n).map(|k| position(k, k)).collect();
        let mut slots = Vec::new();
        for i in 0..j.nrows() {
            let row = j.row(i);
            let cols = row.col_indices();
            for &a in cols {
                slots.extend(cols.iter().map(|&b| position(a, b)));
            }
        }
        let nnz = pattern.nnz();
        let matrix = CsrMatrix::try_from_pattern_and_values(pattern.clone(), vec![0.0; nnz])
            .expect("as many values as entries");
        Self {
            pattern,
            matrix,
            diagonal,
            slots,
        }
    }

    /// `JᵀJ` into `a` (whose pattern is `self.pattern`).
    fn fill(&self, j: &CsrMatrix<f64>, a: &mut CsrMatrix<f64>) {
        let values = a.values_mut();
        values.fill(0.0);
        let mut s = 0;
        for i in 0..j.nrows() {
            let row = j.row(i);
            let values_i = row.values();
            for &va in values_i {
                for &vb in values_i {
                    values[self.slots[s]] += va * vb;
                    s += 1;
                }
            }
        }
    }
}

/// `Jᵀr` and `A v` on compressed-row matrices.
trait Products {
    fn transpose_mul_into(&self, r: &[f64], out: &mut [f64]);
    fn mul_into(&self, v: &[f64], out: &mut [f64]);
}

impl Products for CsrMatrix<f64> {
    fn transpose_mul_into(&self, r: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for (i, j, v) in self.triplet_iter() {
            out[j] += v * r[i];
        }
    }
    fn mul_into(&self, v: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for (i, j, a) in self.triplet_iter() {
            out[i] += a * v[j];
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn sum_squares(r: &[f64]) -> f64 {
    dot(r, r)
}

fn norm_scaled(v: &[f64], scale: &[f64]) -> f64 {
    v.iter()
        .zip(scale)
        .map(|(x, s)| (x * s) * (x * s))
        .sum::<f64>()
        .sqrt()
}

fn positive(name: &'static str, value: f64) -> Result<(), LsqError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(LsqError::InvalidValue {
            name,
            value,
            expected: "finite and > 0",
        })
    }
}

fn non_negative(name: &'static str, value: f64) -> Result<(), LsqError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(LsqError::InvalidValue {
            name,
            value,
            expected: "finite and >= 0",
        })
    }
}
