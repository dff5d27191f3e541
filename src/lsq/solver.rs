//! Levenberg–Marquardt and Gauss–Newton for `min ½ Σ rᵢ(θ)²`, Jacobians exact by forward mode.

use super::qr::{damped_step, householder_qr, inverse_gram, upper_solve};
use super::report::{LsqError, LsqReport, LsqStop};
use super::residuals::{Residuals, eval_jacobian, eval_residuals};
use crate::optim::{Armijo, LineSearch};
use nalgebra::{SMatrix, SVector};

/// The convergence tests shared by [`LevenbergMarquardt`] and [`GaussNewton`] (MINPACK's
/// `ftol`, `xtol`, `gtol`, with `D` the column-norm scaling):
///
/// - `ftol`: actual and predicted relative reductions of the sum of squares both `<= ftol`;
/// - `xtol`: `‖Dδ‖ <= xtol (‖Dθ‖ + xtol)`;
/// - `gtol`: `max |Jₖᵀr| / (‖Jₖ‖ ‖r‖) <= gtol`;
/// - at most `max_iterations` accepted steps.
///
/// Defaults: `ftol = 0` (off: on ill-conditioned problems such as ENSO the sum of squares stops changing to machine precision while the parameters still move in their 7th digit), `xtol = 1e-13`, `gtol = 1e-15`, `max_iterations = 1000`: tight,
/// so that well-posed problems are solved to nearly full precision.
///
/// ```
/// use dualgrad::lsq::LsqRules;
/// let rules = LsqRules::default().with_xtol(1e-10).with_max_iterations(50);
/// assert_eq!((rules.xtol(), rules.max_iterations()), (1e-10, 50));
/// assert!(LsqRules::default().with_ftol(-1.0).validate().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LsqRules {
    ftol: f64,
    xtol: f64,
    gtol: f64,
    max_iterations: usize,
}

impl Default for LsqRules {
    fn default() -> Self {
        Self {
            ftol: 0.0,
            xtol: 1e-13,
            gtol: 1e-15,
            max_iterations: 1000,
        }
    }
}

impl LsqRules {
    /// Relative-reduction tolerance (finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::lsq::LsqRules;
    /// assert_eq!(LsqRules::default().with_ftol(1e-8).ftol(), 1e-8);
    /// ```
    pub fn with_ftol(mut self, ftol: f64) -> Self {
        self.ftol = ftol;
        self
    }

    /// Relative-step tolerance (finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::lsq::LsqRules;
    /// assert_eq!(LsqRules::default().with_xtol(1e-8).xtol(), 1e-8);
    /// ```
    pub fn with_xtol(mut self, xtol: f64) -> Self {
        self.xtol = xtol;
        self
    }

    /// Gradient-cosine tolerance (finite, `>= 0`).
    ///
    /// ```
    /// # use dualgrad::lsq::LsqRules;
    /// assert_eq!(LsqRules::default().with_gtol(1e-8).gtol(), 1e-8);
    /// ```
    pub fn with_gtol(mut self, gtol: f64) -> Self {
        self.gtol = gtol;
        self
    }

    /// The maximum number of accepted steps.
    ///
    /// ```
    /// # use dualgrad::lsq::LsqRules;
    /// assert_eq!(LsqRules::default().with_max_iterations(3).max_iterations(), 3);
    /// ```
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// `ftol`.
    ///
    /// ```
    /// assert_eq!(dualgrad::lsq::LsqRules::default().ftol(), 0.0);
    /// ```
    pub fn ftol(&self) -> f64 {
        self.ftol
    }

    /// `xtol`.
    ///
    /// ```
    /// assert_eq!(dualgrad::lsq::LsqRules::default().xtol(), 1e-13);
    /// ```
    pub fn xtol(&self) -> f64 {
        self.xtol
    }

    /// `gtol`.
    ///
    /// ```
    /// assert_eq!(dualgrad::lsq::LsqRules::default().gtol(), 1e-15);
    /// ```
    pub fn gtol(&self) -> f64 {
        self.gtol
    }

    /// The maximum number of accepted steps.
    ///
    /// ```
    /// assert_eq!(dualgrad::lsq::LsqRules::default().max_iterations(), 1000);
    /// ```
    pub fn max_iterations(&self) -> usize {
        self.max_iterations
    }

    /// Check the tolerances (done by the solvers).
    ///
    /// ```
    /// let e = dualgrad::lsq::LsqRules::default().with_gtol(f64::NAN).validate().unwrap_err();
    /// assert_eq!(e.to_string(), "invalid gtol = NaN: must be finite and >= 0");
    /// ```
    pub fn validate(&self) -> Result<(), LsqError> {
        for (name, value) in [
            ("ftol", self.ftol),
            ("xtol", self.xtol),
            ("gtol", self.gtol),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(LsqError::InvalidValue {
                    name,
                    value,
                    expected: "finite and >= 0",
                });
            }
        }
        Ok(())
    }
}

/// Buffers allocated once per solve, and the factored Jacobian at the current point.
struct Work<const N: usize> {
    m: usize,
    r: Vec<f64>,
    trial: Vec<f64>,
    jac: Vec<f64>,
    qtr: Vec<f64>,
    /// Column norms of the Jacobian at the current point.
    norms: SVector<f64, N>,
    rmat: SMatrix<f64, N, N>,
    residual_evaluations: usize,
    jacobian_evaluations: usize,
}

impl<const N: usize> Work<N> {
    fn new<const K: usize, R: Residuals<N, K>>(
        problem: &R,
        rules: &LsqRules,
    ) -> Result<Self, LsqError> {
        rules.validate()?;
        let m = problem.blocks() * K;
        if m < N || m == 0 {
            return Err(LsqError::TooFewResiduals {
                residuals: m,
                params: N,
            });
        }
        Ok(Self {
            m,
            r: vec![0.0; m],
            trial: vec![0.0; m],
            jac: vec![0.0; m * N],
            qtr: vec![0.0; m],
            norms: SVector::zeros(),
            rmat: SMatrix::zeros(),
            residual_evaluations: 0,
            jacobian_evaluations: 0,
        })
    }

    /// Residuals and Jacobian at `theta`, factored; returns `Σ r²`.
    fn linearise<const K: usize, R: Residuals<N, K>>(
        &mut self,
        problem: &R,
        theta: &SVector<f64, N>,
    ) -> f64 {
        eval_jacobian(problem, theta, &mut self.r, &mut self.jac);
        self.jacobian_evaluations += 1;
        self.factor()
    }

    /// Column norms and QR of the Jacobian in `jac` (destroyed), `Qᵀr`; returns `Σ r²`.
    fn factor(&mut self) -> f64 {
        let m = self.m;
        self.norms = SVector::from_fn(|k, _| {
            self.jac[k * m..(k + 1) * m]
                .iter()
                .fold(0.0_f64, |a, v| a.hypot(*v))
        });
        self.qtr.copy_from_slice(&self.r);
        self.rmat = householder_qr::<N>(&mut self.jac, m, &mut self.qtr);
        sum_sq(&self.r)
    }

    /// The first `N` entries of `Qᵀr`.
    fn qtr_head(&self) -> SVector<f64, N> {
        SVector::from_fn(|i, _| self.qtr[i])
    }

    /// The largest cosine between `r` and a Jacobian column.
    fn gradient_cosine(&self, rss: f64) -> f64 {
        let g = self.rmat.transpose() * self.qtr_head();
        let rnorm = rss.sqrt();
        (0..N).fold(0.0_f64, |c, k| {
            if self.norms[k] == 0.0 || rnorm == 0.0 {
                c
            } else {
                c.max(g[k].abs() / (self.norms[k] * rnorm))
            }
        })
    }

    /// Residuals at a trial point into `trial`; returns `Σ r²` (`+inf` if not finite).
    fn trial_rss<const K: usize, R: Residuals<N, K>>(
        &mut self,
        problem: &R,
        theta: &SVector<f64, N>,
    ) -> f64 {
        eval_residuals(problem, theta, &mut self.trial);
        self.residual_evaluations += 1;
        let s = sum_sq(&self.trial);
        if s.is_finite() { s } else { f64::INFINITY }
    }

    /// Buffers, residuals and factored Jacobian at `theta0` (checked finite): the work, the
    /// sum of squares and the initial scaling `D` (column norms, 1 for a zero column).
    fn start<const K: usize, R: Residuals<N, K>>(
        problem: &R,
        theta0: &SVector<f64, N>,
        rules: &LsqRules,
    ) -> Result<(Self, f64, SVector<f64, N>), LsqError> {
        let mut w = Self::new(problem, rules)?;
        eval_jacobian(problem, theta0, &mut w.r, &mut w.jac);
        w.jacobian_evaluations += 1;
        w.check_start()?;
        let rss = w.factor();
        if !rss.is_finite() {
            return Err(LsqError::Overflow {
                largest: w.r.iter().fold(0.0_f64, |a, v| a.max(v.abs())),
            });
        }
        let d = w.norms.map(|v| if v > 0.0 { v } else { 1.0 });
        Ok((w, rss, d))
    }

    /// The tests made before each iteration: zero residual, gradient cosine, iteration limit.
    fn iteration_stop(&self, rss: f64, iterations: usize, rules: &LsqRules) -> Option<LsqStop> {
        if rss == 0.0 {
            return Some(LsqStop::ZeroResidual);
        }
        let cosine = self.gradient_cosine(rss);
        if cosine <= rules.gtol {
            return Some(LsqStop::SmallGradient {
                cosine,
                tol: rules.gtol,
            });
        }
        (iterations >= rules.max_iterations).then_some(LsqStop::MaxIterations(rules.max_iterations))
    }

    fn check_start(&self) -> Result<(), LsqError> {
        let bad_r = self.r.iter().position(|v| !v.is_finite());
        let bad_j = (0..self.m).find(|&i| (0..N).any(|k| !self.jac[k * self.m + i].is_finite()));
        match bad_r.or(bad_j) {
            Some(row) => Err(LsqError::NonFiniteStart { row }),
            None => Ok(()),
        }
    }

    fn report(
        &self,
        params: SVector<f64, N>,
        rss: f64,
        stop: LsqStop,
        iterations: usize,
    ) -> LsqReport<N> {
        let dof = self.m - N;
        let covariance = if dof > 0 {
            inverse_gram(&self.rmat).map(|c| c * (rss / dof as f64))
        } else {
            None
        };
        LsqReport {
            params,
            rss,
            dof,
            std_errors: covariance.map(|c| c.diagonal().map(f64::sqrt)),
            covariance,
            stop,
            iterations,
            residual_evaluations: self.residual_evaluations,
            jacobian_evaluations: self.jacobian_evaluations,
        }
    }
}

/// The damping factor that holds a parameter at its bound: `PIN · dₖ` in place of `dₖ`.
const PIN: f64 = 1e10;

/// Box constraints `lower <= θ <= upper` (none: every bound infinite).
struct Bounds<const N: usize> {
    lower: SVector<f64, N>,
    upper: SVector<f64, N>,
    active: bool,
}

impl<const N: usize> Bounds<N> {
    fn none() -> Self {
        Self {
            lower: SVector::repeat(f64::NEG_INFINITY),
            upper: SVector::repeat(f64::INFINITY),
            active: false,
        }
    }

    fn project(&self, theta: &SVector<f64, N>) -> SVector<f64, N> {
        if self.active {
            SVector::from_fn(|i, _| theta[i].clamp(self.lower[i], self.upper[i]))
        } else {
            *theta
        }
    }

    /// Parameters at a bound whose gradient `Jᵀr` points out of the box.
    fn held(&self, theta: &SVector<f64, N>, w: &Work<N>) -> SVector<bool, N> {
        if !self.active {
            return SVector::repeat(false);
        }
        let g = w.rmat.transpose() * w.qtr_head();
        SVector::from_fn(|i, _| {
            (theta[i] <= self.lower[i] && g[i] > 0.0) || (theta[i] >= self.upper[i] && g[i] < 0.0)
        })
    }
}

fn sum_sq(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum()
}

/// Levenberg–Marquardt with Marquardt–Moré scaling and Nielsen's damping update.
///
/// Each iteration solves `min ‖r + Jδ‖² + λ‖Dδ‖²` with `D = diag(dₖ)`, `dₖ` the largest
/// Jacobian column norm seen so far (Moré 1978; it makes the method invariant to the scale of
/// each parameter), by a Householder QR of `J` and Givens rotations of `√λ D` into `R`
/// (MINPACK's `qrsolv`; `JᵀJ` is never formed). With the gain ratio `ρ` of actual to predicted
/// reduction, a step with `ρ > 1e-4` is taken and `λ ← λ max(1/3, 1 − (2ρ − 1)³)`, `ν ← 2`;
/// otherwise `λ ← λν`, `ν ← 2ν` (Nielsen 1999; Madsen, Nielsen & Tingleff, *Methods for
/// non-linear least squares problems*, 2004). `λ` starts at `1e-3` (relative to `D²`).
/// Stopping: [`LsqRules`]. After a small-step or small-reduction stop, undamped Gauss–Newton
/// steps refine the point while they contract (at most 50; counted in `iterations`): near the
/// solution the sum of squares is flat to rounding before the parameters are, which makes the
/// gain ratio noise, while the Gauss–Newton step still solves `Jᵀr = 0` accurately.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::{LevenbergMarquardt, Residuals};
/// use nalgebra::SVector;
/// /// y = a·exp(b t) through (0, 2), (1, 2e), (2, 2e²): exactly a = 2, b = 1.
/// struct Growth;
/// impl Residuals<2, 1> for Growth {
///     fn blocks(&self) -> usize { 3 }
///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
///         let t = i as f64;
///         SVector::from([p[0] * (p[1] * t).exp() - 2.0 * t.exp()])
///     }
/// }
/// let fit = LevenbergMarquardt::default().solve(&Growth, SVector::from([1.0, 0.0])).unwrap();
/// assert!((fit.params - SVector::from([2.0, 1.0])).norm() < 1e-12);
/// assert!(fit.stop.converged());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LevenbergMarquardt {
    rules: LsqRules,
    initial_damping: f64,
}

impl Default for LevenbergMarquardt {
    fn default() -> Self {
        Self {
            rules: LsqRules::default(),
            initial_damping: 1e-3,
        }
    }
}

impl LevenbergMarquardt {
    /// Replace the stopping rules.
    ///
    /// ```
    /// # use dualgrad::lsq::{LevenbergMarquardt, LsqRules};
    /// let lm = LevenbergMarquardt::default().with_rules(LsqRules::default().with_max_iterations(10));
    /// assert_eq!(lm.rules().max_iterations(), 10);
    /// ```
    pub fn with_rules(mut self, rules: LsqRules) -> Self {
        self.rules = rules;
        self
    }

    /// The initial damping `λ₀ > 0` (relative to `D²`; default `1e-3`).
    ///
    /// ```
    /// # use dualgrad::Scalar;
    /// # use dualgrad::lsq::{LevenbergMarquardt, LsqError, Residuals};
    /// # use nalgebra::SVector;
    /// # struct One;
    /// # impl Residuals<1, 1> for One { fn blocks(&self) -> usize { 1 }
    /// #   fn residual<T: Scalar>(&self, _: usize, p: &SVector<T, 1>) -> SVector<T, 1> { *p } }
    /// let lm = LevenbergMarquardt::default().with_initial_damping(0.0);
    /// assert!(matches!(lm.solve(&One, SVector::from([1.0])), Err(LsqError::InvalidValue { .. })));
    /// ```
    pub fn with_initial_damping(mut self, lambda: f64) -> Self {
        self.initial_damping = lambda;
        self
    }

    /// The stopping rules.
    ///
    /// ```
    /// assert_eq!(dualgrad::lsq::LevenbergMarquardt::default().rules().ftol(), 0.0);
    /// ```
    pub fn rules(&self) -> &LsqRules {
        &self.rules
    }

    /// Minimise `½ Σ rᵢ(θ)²` from `theta0`.
    ///
    /// The buffers (residuals, trial residuals, the `m × N` Jacobian) are allocated once; the
    /// Jacobian is filled block by block from one jet evaluation each.
    ///
    /// # Errors
    /// [`LsqError::TooFewResiduals`] if there are fewer residuals than parameters,
    /// [`LsqError::NonFiniteStart`] if a residual or Jacobian entry is not finite at `theta0`,
    /// [`LsqError::InvalidValue`] for a bad tolerance or initial damping.
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// use dualgrad::lsq::{LevenbergMarquardt, LsqError, Residuals};
    /// use nalgebra::SVector;
    /// struct Two;
    /// impl Residuals<2, 1> for Two {
    ///     fn blocks(&self) -> usize { 1 }
    ///     fn residual<T: Scalar>(&self, _: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
    ///         SVector::from([p[0] + p[1]])
    ///     }
    /// }
    /// let e = LevenbergMarquardt::default().solve(&Two, SVector::from([1.0, 1.0])).unwrap_err();
    /// assert_eq!(e, LsqError::TooFewResiduals { residuals: 1, params: 2 });
    /// ```
    pub fn solve<const N: usize, const K: usize, R: Residuals<N, K>>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
    ) -> Result<LsqReport<N>, LsqError> {
        self.solve_in(problem, theta0, &Bounds::none())
    }

    /// Minimise `½ Σ rᵢ(θ)²` subject to `lower <= θ <= upper` (componentwise; infinite bounds
    /// allowed), from `theta0` projected into the box.
    ///
    /// Every trial point is projected into the box. A parameter at a bound whose gradient
    /// component points out of the box is held there (its damping made very large, so the
    /// step moves only the free parameters: the reduced problem), as in projected
    /// Levenberg–Marquardt methods. The gradient-cosine test then rarely applies; the run
    /// ends by the small-step test.
    ///
    /// # Errors
    /// As [`solve`](Self::solve), and [`LsqError::InvalidBounds`] for a NaN bound or
    /// `lower > upper`.
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// use dualgrad::lsq::{LevenbergMarquardt, Residuals};
    /// use nalgebra::SVector;
    /// /// θ close to 3 and to 5 at once (least squares: 4), but θ <= 3.5.
    /// struct Two;
    /// impl Residuals<1, 1> for Two {
    ///     fn blocks(&self) -> usize { 2 }
    ///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 1>) -> SVector<T, 1> {
    ///         SVector::from([p[0] - [3.0, 5.0][i]])
    ///     }
    /// }
    /// let lm = LevenbergMarquardt::default();
    /// let fit = lm.solve_bounded(&Two, SVector::from([0.0]), SVector::from([f64::NEG_INFINITY]),
    ///     SVector::from([3.5])).unwrap();
    /// assert_eq!(fit.params[0], 3.5);
    /// assert_eq!(fit.rss, 0.25 + 2.25);
    /// ```
    pub fn solve_bounded<const N: usize, const K: usize, R: Residuals<N, K>>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
        lower: SVector<f64, N>,
        upper: SVector<f64, N>,
    ) -> Result<LsqReport<N>, LsqError> {
        for i in 0..N {
            if lower[i].is_nan() || upper[i].is_nan() || lower[i] > upper[i] {
                return Err(LsqError::InvalidBounds {
                    index: i,
                    lower: lower[i],
                    upper: upper[i],
                });
            }
        }
        let bounds = Bounds {
            lower,
            upper,
            active: true,
        };
        self.solve_in(problem, bounds.project(&theta0), &bounds)
    }

    fn solve_in<const N: usize, const K: usize, R: Residuals<N, K>>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
        bounds: &Bounds<N>,
    ) -> Result<LsqReport<N>, LsqError> {
        let lambda0 = self.initial_damping;
        if !(lambda0.is_finite() && lambda0 > 0.0) {
            return Err(LsqError::InvalidValue {
                name: "initial_damping",
                value: lambda0,
                expected: "finite and > 0",
            });
        }
        let rules = self.rules;
        let (mut w, mut rss, mut d) = Work::start(problem, &theta0, &rules)?;
        let mut theta = theta0;
        let (mut lambda, mut nu) = (lambda0, 2.0);
        let mut iterations = 0;
        let stop = 'outer: loop {
            if let Some(stop) = w.iteration_stop(rss, iterations, &rules) {
                break stop;
            }
            d = d.zip_map(&w.norms, f64::max);
            let qtr = w.qtr_head();
            let held = bounds.held(&theta, &w);
            let d_step = d.zip_map(&held, |v, h| if h { v * PIN } else { v });
            loop {
                let Some(raw) = damped_step(&w.rmat, &qtr, &d_step, lambda) else {
                    break 'outer LsqStop::NoProgress;
                };
                let trial = bounds.project(&(theta + raw));
                let delta = trial - theta;
                let trial_rss = w.trial_rss(problem, &trial);
                let rd = w.rmat * delta;
                let predicted = -(2.0 * qtr.dot(&rd) + rd.dot(&rd));
                let actual = rss - trial_rss;
                let rho = if predicted > 0.0 {
                    actual / predicted
                } else {
                    -1.0
                };
                let dx = d.component_mul(&delta).norm();
                let dtheta = d.component_mul(&theta).norm();
                let small_step = dx <= rules.xtol * (dtheta + rules.xtol);
                let small_reduction =
                    actual.abs() <= rules.ftol * rss && predicted <= rules.ftol * rss && rho <= 2.0;
                if rho > 1e-4 {
                    theta = trial;
                    iterations += 1;
                    rss = w.linearise(problem, &theta);
                    lambda *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
                    nu = 2.0;
                    if small_reduction {
                        break 'outer LsqStop::SmallReduction {
                            reduction: actual / (rss + actual),
                            tol: rules.ftol,
                        };
                    }
                    if small_step {
                        break 'outer LsqStop::SmallStep {
                            step: dx / dtheta,
                            tol: rules.xtol,
                        };
                    }
                    continue 'outer;
                }
                if small_reduction {
                    break 'outer LsqStop::SmallReduction {
                        reduction: actual.abs() / rss,
                        tol: rules.ftol,
                    };
                }
                if small_step {
                    break 'outer LsqStop::SmallStep {
                        step: dx / dtheta,
                        tol: rules.xtol,
                    };
                }
                lambda *= nu;
                nu *= 2.0;
                if !lambda.is_finite() || lambda > 1e300 {
                    break 'outer LsqStop::NoProgress;
                }
            }
        };
        if stalled(stop) {
            iterations += polish(problem, &mut w, &mut theta, &mut rss, &d, &rules, bounds);
        }
        Ok(w.report(theta, rss, stop, iterations))
    }
}

/// A stop on a small step or a small reduction, after which [`polish`] may gain digits.
fn stalled(stop: LsqStop) -> bool {
    matches!(
        stop,
        LsqStop::SmallStep { .. } | LsqStop::SmallReduction { .. }
    )
}

/// Refine a point where a solver stopped on a small step or reduction by undamped Gauss–Newton
/// steps while they
/// contract (each `‖Dδ‖` smaller than the previous one, at most 50) and do not raise the sum of squares
/// beyond rounding; returns the number of steps taken.
///
/// Near the solution the sum of squares stops changing to machine precision before the
/// parameters do (its minimum is flat to second order), so the gain ratio becomes noise and
/// the damping grows; the Gauss–Newton step solves `Jᵀr = 0` from the linearisation instead,
/// which is accurate to far more digits.
fn polish<const N: usize, const K: usize, R: Residuals<N, K>>(
    problem: &R,
    w: &mut Work<N>,
    theta: &mut SVector<f64, N>,
    rss: &mut f64,
    d: &SVector<f64, N>,
    rules: &LsqRules,
    bounds: &Bounds<N>,
) -> usize {
    let mut previous = f64::INFINITY;
    for step in 0..50 {
        // Undamped, except that held parameters are pinned (no rows for the free ones).
        let held = bounds.held(theta, w);
        let pin = held.map(|h| if h { PIN } else { 0.0 });
        let Some(raw) = damped_step(&w.rmat, &w.qtr_head(), &pin, 1.0) else {
            return step;
        };
        let trial = bounds.project(&(*theta + raw));
        let delta = trial - *theta;
        let size = d.component_mul(&delta).norm();
        if size.is_nan() || size >= previous {
            return step;
        }
        let trial_rss = w.trial_rss(problem, &trial);
        if trial_rss > *rss * (1.0 + 1e-10) {
            return step;
        }
        *theta = trial;
        *rss = w.linearise(problem, theta);
        previous = size;
        if size <= rules.xtol * d.component_mul(theta).norm() * 1e-3 {
            return step + 1;
        }
    }
    50
}

/// Gauss–Newton with a line search: the step solves `min ‖r + Jδ‖²` (Householder QR of `J`),
/// and the line search ([`Armijo`] by default) chooses its length along `δ` on
/// `½ Σ rᵢ²`, trying the full step first. Quadratic convergence on zero-residual problems,
/// but no safeguard where `J` is (nearly) rank deficient: there it stops with
/// [`LsqStop::NoProgress`]; prefer [`LevenbergMarquardt`] from poor starts. As for
/// Levenberg–Marquardt, a small-step stop is followed by undamped steps while they contract
/// (the line search stalls on the flat bottom of the sum of squares before the parameters
/// have converged).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::{GaussNewton, Residuals};
/// use nalgebra::SVector;
/// /// θ² = 4 and θ³ = 8: θ = 2.
/// struct Powers;
/// impl Residuals<1, 2> for Powers {
///     fn blocks(&self) -> usize { 1 }
///     fn residual<T: Scalar>(&self, _: usize, p: &SVector<T, 1>) -> SVector<T, 2> {
///         SVector::from([p[0] * p[0] - 4.0, p[0] * p[0] * p[0] - 8.0])
///     }
/// }
/// let fit = GaussNewton::default().solve(&Powers, SVector::from([3.0])).unwrap();
/// assert!((fit.params[0] - 2.0).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GaussNewton {
    rules: LsqRules,
    line_search: Armijo,
}

impl Default for GaussNewton {
    fn default() -> Self {
        Self::new(Armijo::default())
    }
}

impl GaussNewton {
    /// Gauss–Newton with the given backtracking (Armijo) line search and the default
    /// [`LsqRules`]. Its step search needs only values of the cost, so it is backtracking; a
    /// search that also needs gradients, such as [`StrongWolfe`](crate::optim::StrongWolfe),
    /// is not accepted.
    ///
    /// ```
    /// # use dualgrad::lsq::GaussNewton;
    /// # use dualgrad::optim::Armijo;
    /// let gn = GaussNewton::new(Armijo::new(1e-4, 0.5, 40).unwrap());
    /// assert_eq!(gn.rules().max_iterations(), 1000);
    /// ```
    pub fn new(line_search: Armijo) -> Self {
        Self {
            rules: LsqRules::default(),
            line_search,
        }
    }

    /// Replace the stopping rules.
    ///
    /// ```
    /// # use dualgrad::lsq::{GaussNewton, LsqRules};
    /// let gn = GaussNewton::default().with_rules(LsqRules::default().with_xtol(1e-9));
    /// assert_eq!(gn.rules().xtol(), 1e-9);
    /// ```
    pub fn with_rules(mut self, rules: LsqRules) -> Self {
        self.rules = rules;
        self
    }

    /// The stopping rules.
    ///
    /// ```
    /// assert_eq!(dualgrad::lsq::GaussNewton::default().rules().gtol(), 1e-15);
    /// ```
    pub fn rules(&self) -> &LsqRules {
        &self.rules
    }

    /// Minimise `½ Σ rᵢ(θ)²` from `theta0`.
    ///
    /// # Errors
    /// As [`LevenbergMarquardt::solve`].
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// use dualgrad::lsq::{GaussNewton, Residuals};
    /// use nalgebra::SVector;
    /// struct Line;
    /// impl Residuals<2, 1> for Line {
    ///     fn blocks(&self) -> usize { 3 }
    ///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
    ///         let t = i as f64;
    ///         SVector::from([p[0] + p[1] * t - (1.0 + 2.0 * t)])
    ///     }
    /// }
    /// // A linear problem: one Gauss–Newton step is exact.
    /// let fit = GaussNewton::default().solve(&Line, SVector::from([0.0, 0.0])).unwrap();
    /// assert!((fit.params - SVector::from([1.0, 2.0])).norm() < 1e-13);
    /// assert!(fit.rss < 1e-24);
    /// ```
    pub fn solve<const N: usize, const K: usize, R: Residuals<N, K>>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
    ) -> Result<LsqReport<N>, LsqError> {
        let rules = self.rules;
        let (mut w, mut rss, mut d) = Work::start(problem, &theta0, &rules)?;
        let mut theta = theta0;
        let mut iterations = 0;
        let stop = loop {
            if let Some(stop) = w.iteration_stop(rss, iterations, &rules) {
                break stop;
            }
            d = d.zip_map(&w.norms, f64::max);
            let qtr = w.qtr_head();
            let Some(delta) = upper_solve(&w.rmat, &(-qtr)) else {
                break LsqStop::NoProgress;
            };
            // ∇(½‖r‖²)·δ = (Rᵀ Qᵀr)·δ = −‖Qᵀr‖² for the Gauss–Newton step.
            let slope = qtr.dot(&(w.rmat * delta));
            let mut evals = 0;
            let (m, trial) = (w.m, &mut w.trial);
            let ls = self.line_search.search(
                |x: &SVector<f64, N>| {
                    evals += 1;
                    eval_residuals(problem, x, &mut trial[..m]);
                    0.5 * sum_sq(trial)
                },
                &theta,
                0.5 * rss,
                slope,
                &delta,
            );
            w.residual_evaluations += evals;
            if !ls.accepted {
                break LsqStop::NoProgress;
            }
            let step = delta * ls.step;
            let dx = d.component_mul(&step).norm();
            let dtheta = d.component_mul(&theta).norm();
            theta += step;
            iterations += 1;
            let previous = rss;
            rss = w.linearise(problem, &theta);
            let actual = previous - rss;
            if actual.abs() <= rules.ftol * previous && -2.0 * slope <= rules.ftol * previous {
                break LsqStop::SmallReduction {
                    reduction: actual / previous,
                    tol: rules.ftol,
                };
            }
            if dx <= rules.xtol * (dtheta + rules.xtol) {
                break LsqStop::SmallStep {
                    step: dx / dtheta,
                    tol: rules.xtol,
                };
            }
        };
        if stalled(stop) {
            let free = Bounds::none();
            iterations += polish(problem, &mut w, &mut theta, &mut rss, &d, &rules, &free);
        }
        Ok(w.report(theta, rss, stop, iterations))
    }
}
