//! Levenberg–Marquardt and Gauss–Newton for `min ½ Σ rᵢ(θ)²`, Jacobians exact by forward mode.

use super::qr::{
    damped_step, dependent_column, householder_qr, inverse_gram, norm2, trust_region_step,
    upper_solve,
};
use super::report::{LsqError, LsqIteration, LsqReport, LsqStop, NoCovariance};
use super::residuals::{Residuals, jacobian_into, residual_curvature, residuals_into};
use crate::optim::{Armijo, LineSearch};
use nalgebra::{SMatrix, SVector};
use std::ops::ControlFlow;

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

/// A Jacobian column whose norm falls below this fraction of the largest it had during the run
/// has vanished (see [`LsqStop::Diverging`]).
const VANISHED: f64 = 1e-12;

/// Buffers allocated once per solve, and the factored Jacobian at the current point.
struct Work<const N: usize> {
    m: usize,
    r: Vec<f64>,
    trial: Vec<f64>,
    jac: Vec<f64>,
    qtr: Vec<f64>,
    /// Column norms of the Jacobian at the current point.
    norms: SVector<f64, N>,
    /// The largest norm of each column seen during the run.
    largest: SVector<f64, N>,
    rmat: SMatrix<f64, N, N>,
    residual_evaluations: usize,
    jacobian_evaluations: usize,
    hessian_evaluations: usize,
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
            largest: SVector::zeros(),
            rmat: SMatrix::zeros(),
            residual_evaluations: 0,
            jacobian_evaluations: 0,
            hessian_evaluations: 0,
        })
    }

    /// Residuals into `r` and the Jacobian into `jac` at `theta`: the solvers' one Jacobian
    /// evaluation ([`jacobian_into`]), counted.
    fn evaluate<const K: usize, R: Residuals<N, K>>(
        &mut self,
        problem: &R,
        theta: &SVector<f64, N>,
    ) {
        jacobian_into(problem, theta, &mut self.r, &mut self.jac);
        self.jacobian_evaluations += 1;
    }

    /// Residuals and Jacobian at `theta`, factored; returns `Σ r²`.
    fn linearise<const K: usize, R: Residuals<N, K>>(
        &mut self,
        problem: &R,
        theta: &SVector<f64, N>,
    ) -> f64 {
        self.evaluate(problem, theta);
        self.factor()
    }

    /// Column norms and QR of the Jacobian in `jac` (destroyed), `Qᵀr`; returns `Σ r²`.
    fn factor(&mut self) -> f64 {
        let m = self.m;
        self.norms = SVector::from_fn(|k, _| norm2(&self.jac[k * m..(k + 1) * m]));
        self.largest = self.largest.zip_map(&self.norms, f64::max);
        self.qtr.copy_from_slice(&self.r);
        self.rmat = householder_qr::<N>(&mut self.jac, m, &mut self.qtr);
        sum_sq(&self.r)
    }

    /// Keep the linearisation at the current point (its residuals in `trial`, which is free
    /// outside a trial), for [`restore`](Self::restore) after a linearisation elsewhere.
    fn save(&mut self) -> Saved<N> {
        self.trial.copy_from_slice(&self.r);
        Saved {
            norms: self.norms,
            largest: self.largest,
            rmat: self.rmat,
            qtr: self.qtr_head(),
        }
    }

    /// Back to the linearisation kept by [`save`](Self::save) (the Jacobian's count stays).
    fn restore(&mut self, saved: Saved<N>) {
        std::mem::swap(&mut self.r, &mut self.trial);
        self.norms = saved.norms;
        self.largest = saved.largest;
        self.rmat = saved.rmat;
        self.qtr[..N].copy_from_slice(saved.qtr.as_slice());
    }

    /// The first `N` entries of `Qᵀr`.
    fn qtr_head(&self) -> SVector<f64, N> {
        SVector::from_fn(|i, _| self.qtr[i])
    }

    /// The gradient `Jᵀr = RᵀQᵀr` of `½ Σ r²`.
    fn gradient(&self) -> SVector<f64, N> {
        self.rmat.transpose() * self.qtr_head()
    }

    /// The largest cosine between `r` and a nonzero Jacobian column.
    fn gradient_cosine(&self, rss: f64) -> f64 {
        let g = self.gradient();
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
        residuals_into(problem, theta, &mut self.trial);
        self.residual_evaluations += 1;
        let s = sum_sq(&self.trial);
        if s.is_finite() { s } else { f64::INFINITY }
    }

    /// Buffers, residuals and factored Jacobian at `theta0` (checked finite): the work and the
    /// sum of squares.
    fn start<const K: usize, R: Residuals<N, K>>(
        problem: &R,
        theta0: &SVector<f64, N>,
        rules: &LsqRules,
    ) -> Result<(Self, f64), LsqError> {
        if let Some(index) = theta0.iter().position(|v| !v.is_finite()) {
            return Err(LsqError::NonFiniteParameter {
                index,
                value: theta0[index],
            });
        }
        let mut w = Self::new(problem, rules)?;
        w.evaluate(problem, theta0);
        w.check_start()?;
        let rss = w.factor();
        if !rss.is_finite() {
            return Err(LsqError::Overflow {
                largest: w.r.iter().fold(0.0_f64, |a, v| a.max(v.abs())),
            });
        }
        Ok((w, rss))
    }

    /// The tests made before each iteration: zero residual, zero Jacobian, gradient cosine,
    /// iteration limit.
    fn iteration_stop(&self, rss: f64, iterations: usize, rules: &LsqRules) -> Option<LsqStop> {
        if rss == 0.0 {
            return Some(LsqStop::ZeroResidual);
        }
        if self.norms.iter().all(|&v| v == 0.0) {
            return Some(LsqStop::ZeroJacobian);
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

    /// A convergence stop checked against the Jacobian: a zero Jacobian, or a column that
    /// vanished during the run (a parameter running off), is not convergence. A column below
    /// `VANISHED` of its largest norm always counts; after a small step or reduction, so does
    /// one below `sqrt(ε)` of it that carries the largest component of a Gauss–Newton step
    /// still longer than `1e-4 ‖Dθ‖` (the sum of squares is flat to rounding there, so the
    /// steps stalled, while the linearisation still points far away along that parameter).
    fn vet(&self, stop: LsqStop, theta: &SVector<f64, N>, rss: f64) -> LsqStop {
        if !stop.converged() || stop == LsqStop::ZeroResidual || rss == 0.0 {
            return stop;
        }
        if self.norms.iter().all(|&v| v == 0.0) {
            return LsqStop::ZeroJacobian;
        }
        let diverging = |index: usize| LsqStop::Diverging {
            index,
            value: theta[index],
            column: self.norms[index] / self.largest[index],
        };
        if let Some(index) = (0..N).find(|&k| self.norms[k] < VANISHED * self.largest[k]) {
            return diverging(index);
        }
        if stalled(stop) {
            let d = self.largest.map(|v| if v > 0.0 { v } else { 1.0 });
            if let Some(step) = upper_solve(&self.rmat, &-self.qtr_head()) {
                let ds = d.component_mul(&step);
                let k = ds.iamax();
                if ds.norm() > 1e-4 * d.component_mul(theta).norm()
                    && self.norms[k] < f64::EPSILON.sqrt() * self.largest[k]
                {
                    return diverging(k);
                }
            }
        }
        stop
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
        counts: Counts,
    ) -> LsqReport<N> {
        let dof = self.m - N;
        let covariance = if dof == 0 {
            Err(NoCovariance::NoDegreesOfFreedom)
        } else if let Some(column) = dependent_column(&self.rmat, &self.norms, self.m) {
            Err(NoCovariance::RankDeficient { column })
        } else {
            inverse_gram(&self.rmat)
                .map(|c| c * (rss / dof as f64))
                .ok_or(NoCovariance::RankDeficient { column: N - 1 })
        };
        LsqReport {
            params,
            rss,
            dof,
            std_errors: covariance
                .as_ref()
                .ok()
                .map(|c| c.diagonal().map(f64::sqrt)),
            no_covariance: covariance.as_ref().err().copied(),
            covariance: covariance.ok(),
            stop,
            iterations: counts.iterations,
            refinement_steps: counts.refinement,
            residual_evaluations: self.residual_evaluations,
            jacobian_evaluations: self.jacobian_evaluations,
            hessian_evaluations: self.hessian_evaluations,
        }
    }

    /// `S = Σ rᵢ ∇²rᵢ` at `theta` (the residuals `r` at `theta` already in `r`), exact by
    /// forward over forward mode: one pass of nested jets over the blocks, counted.
    fn curvature<const K: usize, R: Residuals<N, K>>(
        &mut self,
        problem: &R,
        theta: &SVector<f64, N>,
    ) -> SMatrix<f64, N, N> {
        self.hessian_evaluations += 1;
        residual_curvature(problem, theta, &self.r)
    }
    /// What an observer sees after an accepted step.
    fn observe<'a>(
        &self,
        iteration: usize,
        params: &'a SVector<f64, N>,
        rss: f64,
        lambda: f64,
        gain_ratio: f64,
        step_norm: f64,
    ) -> LsqIteration<'a, N> {
        LsqIteration {
            iteration,
            params,
            rss,
            lambda,
            gain_ratio,
            step_norm,
            gradient: self.gradient(),
            residual_evaluations: self.residual_evaluations,
            jacobian_evaluations: self.jacobian_evaluations,
        }
    }
}

/// The factored linearisation at a point, apart from the residuals (see [`Work::save`]).
struct Saved<const N: usize> {
    norms: SVector<f64, N>,
    largest: SVector<f64, N>,
    rmat: SMatrix<f64, N, N>,
    qtr: SVector<f64, N>,
}

/// Main iterations and refinement steps of a run.
#[derive(Clone, Copy)]
struct Counts {
    iterations: usize,
    refinement: usize,
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

    /// Checked bounds (no NaN, `lower <= upper`).
    fn new(lower: SVector<f64, N>, upper: SVector<f64, N>) -> Result<Self, LsqError> {
        for i in 0..N {
            if lower[i].is_nan() || upper[i].is_nan() || lower[i] > upper[i] {
                return Err(LsqError::InvalidBounds {
                    index: i,
                    lower: lower[i],
                    upper: upper[i],
                });
            }
        }
        Ok(Self {
            lower,
            upper,
            active: true,
        })
    }

    fn project(&self, theta: &SVector<f64, N>) -> SVector<f64, N> {
        if self.active {
            SVector::from_fn(|i, _| theta[i].clamp(self.lower[i], self.upper[i]))
        } else {
            *theta
        }
    }

    /// The start projected into the box; a NaN start is left for [`Work::start`] to name.
    fn project_start(&self, theta: &SVector<f64, N>) -> SVector<f64, N> {
        if theta.iter().any(|v| v.is_nan()) {
            *theta
        } else {
            self.project(theta)
        }
    }

    /// Parameters at a bound whose gradient `Jᵀr` points out of the box.
    fn held(&self, theta: &SVector<f64, N>, w: &Work<N>) -> SVector<bool, N> {
        if !self.active {
            return SVector::repeat(false);
        }
        let g = w.gradient();
        SVector::from_fn(|i, _| {
            (theta[i] <= self.lower[i] && g[i] > 0.0) || (theta[i] >= self.upper[i] && g[i] < 0.0)
        })
    }
}

fn sum_sq(v: &[f64]) -> f64 {
    super::qr::dot(v, v)
}

/// How [`LevenbergMarquardt`] scales its damping per parameter: `D = diag(dₖ)` in the damping
/// term `λ‖Dδ‖²` and in the small-step test.
///
/// ```
/// use dualgrad::lsq::{LevenbergMarquardt, Scaling};
/// let lm = LevenbergMarquardt::default().with_scaling(Scaling::Unit);
/// assert_eq!(lm.scaling(), Scaling::Unit);
/// assert_eq!(LevenbergMarquardt::default().scaling(), Scaling::RunningMax);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scaling {
    /// `dₖ` the largest norm of Jacobian column `k` seen so far (Moré 1978; MINPACK's
    /// `mode = 1`): the method is invariant to the scale of each parameter.
    #[default]
    RunningMax,
    /// `dₖ` the norm of column `k` at the current point: invariant to parameter scale too, and
    /// it can decrease, so it forgets a detour through a region where a column was large.
    Current,
    /// `dₖ = 1`: plain Levenberg damping `λ‖δ‖²` (MINPACK's `mode = 2` with unit `diag`,
    /// scipy's `x_scale = 1`); scale the parameters yourself to order 1.
    Unit,
    /// `dₖ = 1 / sₖ` for the typical size `sₖ` of parameter `k` given by
    /// [`LevenbergMarquardt::with_x_scale`], fixed for the run (MINPACK's `mode = 2` with
    /// `diag = 1/s`, scipy's `x_scale = s`): the method then runs as on the parameters
    /// `θₖ / sₖ`. Set by `with_x_scale`; chosen alone with
    /// [`with_scaling`](LevenbergMarquardt::with_scaling) it makes a solve fail with
    /// [`LsqError::ScaleLength`] (no scale given).
    Given,
}

impl Scaling {
    /// The new scaling from the previous one and the current column norms (a zero column
    /// keeps its previous value; the first previous value is 1).
    fn update<const N: usize>(
        self,
        d: &SVector<f64, N>,
        norms: &SVector<f64, N>,
    ) -> SVector<f64, N> {
        match self {
            Self::RunningMax => d.zip_map(norms, f64::max),
            Self::Current => d.zip_map(norms, |old, v| if v > 0.0 { v } else { old }),
            Self::Unit => SVector::repeat(1.0),
            Self::Given => *d,
        }
    }

    /// The scaling at the start (for [`Scaling::Given`], see [`LevenbergMarquardt::given_d`]).
    fn initial<const N: usize>(self, norms: &SVector<f64, N>) -> SVector<f64, N> {
        match self {
            Self::Unit | Self::Given => SVector::repeat(1.0),
            _ => norms.map(|v| if v > 0.0 { v } else { 1.0 }),
        }
    }
}

/// How [`LevenbergMarquardt`] adapts its damping `λ` between steps.
///
/// ```
/// use dualgrad::lsq::{Damping, LevenbergMarquardt};
/// assert_eq!(LevenbergMarquardt::default().damping(), Damping::TrustRegion { factor: 1.0 });
/// let lm = LevenbergMarquardt::default().with_initial_damping(1e-3);
/// assert_eq!(lm.damping(), Damping::Nielsen { initial: 1e-3 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Damping {
    /// Moré's trust region (1978; MINPACK's `lmder`): each step is the Gauss–Newton step if
    /// `‖Dδ‖ <= Δ`, otherwise the damped step with `‖Dδ‖ ≈ Δ` (its `λ` from the secular
    /// equation). `Δ` starts at `factor · ‖Dθ₀‖` (`factor` if that is 0), is halved or cut
    /// further after a poor step (gain ratio `ρ <= 1/4`) and set to `2‖Dδ‖` after a very good
    /// one (`ρ >= 3/4`) or a Gauss–Newton step. `λ` can thus fall to 0 in one step where the
    /// Gauss–Newton step is trusted, which a multiplicative update of `λ` cannot.
    TrustRegion {
        /// The initial step bound relative to `‖Dθ₀‖` (finite, `> 0`; default 1, MINPACK's 100).
        factor: f64,
    },
    /// Nielsen's update of `λ` itself (1999): from `initial`, after an accepted step
    /// `λ ← λ max(1/3, 1 − (2ρ − 1)³)`, `ν ← 2`; after a rejected one `λ ← λν`, `ν ← 2ν`
    /// (Madsen, Nielsen & Tingleff, *Methods for non-linear least squares problems*, 2004).
    Nielsen {
        /// `λ₀` (relative to `D²`; finite, `> 0`).
        initial: f64,
    },
}

impl Default for Damping {
    fn default() -> Self {
        Self::TrustRegion { factor: 1.0 }
    }
}

impl Damping {
    fn validate(&self) -> Result<(), LsqError> {
        let (name, value) = match *self {
            Self::TrustRegion { factor } => ("trust-region factor", factor),
            Self::Nielsen { initial } => ("initial_damping", initial),
        };
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
}

/// Levenberg–Marquardt with Moré's scaling and trust region (the algorithm of MINPACK's
/// `lmder`), or Nielsen's damping update.
///
/// Each iteration solves `min ‖r + Jδ‖² + λ‖Dδ‖²` with `D = diag(dₖ)` (by default `dₖ` the
/// largest Jacobian column norm seen so far, Moré 1978, which makes the method invariant to the
/// scale of each parameter; see [`Scaling`]), by a Householder QR of `J` and Givens rotations
/// of `√λ D` into `R` (MINPACK's `qrsolv`; `JᵀJ` is never formed). A step whose gain ratio `ρ`
/// (actual over predicted reduction of the sum of squares) exceeds `1e-4` is taken; `λ` is
/// adapted as [`Damping`] says (by default Moré's trust region). Stopping: [`LsqRules`]; a stop
/// on a small step, reduction or gradient where the Jacobian is zero or one of its columns has
/// vanished is reported as [`LsqStop::ZeroJacobian`] or [`LsqStop::Diverging`], not as
/// convergence. After a small-step or small-reduction stop, undamped Gauss–Newton steps refine
/// the point while they contract (at most 50; counted in [`LsqReport::refinement_steps`]): near
/// the solution the sum of squares is flat to rounding before the parameters are, which makes
/// the gain ratio noise, while the Gauss–Newton step still solves `Jᵀr = 0` accurately.
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LevenbergMarquardt {
    rules: LsqRules,
    damping: Damping,
    scaling: Scaling,
    x_scale: Option<std::sync::Arc<[f64]>>,
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

    /// Nielsen's damping update from `λ₀ > 0` (relative to `D²`): shorthand for
    /// [`with_damping`](Self::with_damping)`(Damping::Nielsen { initial: lambda })`.
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
        self.damping = Damping::Nielsen { initial: lambda };
        self
    }

    /// How the damping adapts (default [`Damping::TrustRegion`] with factor 1).
    ///
    /// ```
    /// # use dualgrad::lsq::{Damping, LevenbergMarquardt};
    /// let lm = LevenbergMarquardt::default().with_damping(Damping::TrustRegion { factor: 100.0 });
    /// assert_eq!(lm.damping(), Damping::TrustRegion { factor: 100.0 });
    /// ```
    pub fn with_damping(mut self, damping: Damping) -> Self {
        self.damping = damping;
        self
    }

    /// How the damping adapts.
    ///
    /// ```
    /// # use dualgrad::lsq::{Damping, LevenbergMarquardt};
    /// assert!(matches!(LevenbergMarquardt::default().damping(), Damping::TrustRegion { .. }));
    /// ```
    pub fn damping(&self) -> Damping {
        self.damping
    }

    /// The per-parameter scaling of the damping (default [`Scaling::RunningMax`]).
    ///
    /// ```
    /// # use dualgrad::lsq::{LevenbergMarquardt, Scaling};
    /// assert_eq!(LevenbergMarquardt::default().with_scaling(Scaling::Current).scaling(), Scaling::Current);
    /// ```
    pub fn with_scaling(mut self, scaling: Scaling) -> Self {
        self.scaling = scaling;
        if scaling != Scaling::Given {
            self.x_scale = None;
        }
        self
    }

    /// The typical size `sₖ > 0` of each parameter (scipy's `x_scale`; MINPACK's `diag = 1/s`
    /// with `mode = 2`): the damping and the small-step test measure steps as `‖δ / s‖`
    /// instead of by the Jacobian's column norms ([`Scaling::Given`]). Useful where the column
    /// norms mislead, e.g. a parameter whose column is tiny at the start; the default
    /// ([`Scaling::RunningMax`]) already makes the method invariant to each parameter's unit.
    /// Checked when solving: one entry per parameter ([`LsqError::ScaleLength`]), each finite
    /// and positive ([`LsqError::InvalidScale`] names the first that is not).
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// use dualgrad::lsq::{LevenbergMarquardt, LsqError, Residuals, Scaling};
    /// use nalgebra::SVector;
    /// /// y = a·exp(−b t) with a near 1e6 and b near 1e-3 (t in 0..1000).
    /// struct Decay;
    /// impl Residuals<2, 1> for Decay {
    ///     fn blocks(&self) -> usize { 20 }
    ///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
    ///         let t = 50.0 * i as f64;
    ///         SVector::from([p[0] * (-p[1] * t).exp() - 2e6 * (-1.5e-3 * t).exp()])
    ///     }
    /// }
    /// let lm = LevenbergMarquardt::default().with_x_scale(&[1e6, 1e-3]);
    /// assert_eq!(lm.scaling(), Scaling::Given);
    /// let fit = lm.solve(&Decay, SVector::from([1e6, 1e-3])).unwrap();
    /// assert!((fit.params[0] / 2e6 - 1.0).abs() < 1e-12 && (fit.params[1] / 1.5e-3 - 1.0).abs() < 1e-12);
    /// // Errors name the bad entry, or the length.
    /// let bad = LevenbergMarquardt::default().with_x_scale(&[1e6, -1.0]);
    /// assert_eq!(bad.solve(&Decay, SVector::from([1e6, 1e-3])).unwrap_err(),
    ///     LsqError::InvalidScale { index: 1, value: -1.0 });
    /// let short = LevenbergMarquardt::default().with_x_scale(&[1.0]);
    /// assert_eq!(short.solve(&Decay, SVector::from([1e6, 1e-3])).unwrap_err(),
    ///     LsqError::ScaleLength { len: 1, params: 2 });
    /// ```
    pub fn with_x_scale(mut self, scale: &[f64]) -> Self {
        self.scaling = Scaling::Given;
        self.x_scale = Some(scale.into());
        self
    }

    /// The parameter scale given by [`with_x_scale`](Self::with_x_scale), if any.
    ///
    /// ```
    /// # use dualgrad::lsq::LevenbergMarquardt;
    /// assert_eq!(LevenbergMarquardt::default().with_x_scale(&[2.0]).x_scale(), Some(&[2.0][..]));
    /// assert_eq!(LevenbergMarquardt::default().x_scale(), None);
    /// ```
    pub fn x_scale(&self) -> Option<&[f64]> {
        self.x_scale.as_deref()
    }

    /// `D = diag(1/sₖ)` from the given scale, checked.
    fn given_d<const N: usize>(&self) -> Result<SVector<f64, N>, LsqError> {
        let scale = self.x_scale.as_deref().unwrap_or(&[]);
        if scale.len() != N {
            return Err(LsqError::ScaleLength {
                len: scale.len(),
                params: N,
            });
        }
        if let Some(index) = scale.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(LsqError::InvalidScale {
                index,
                value: scale[index],
            });
        }
        Ok(SVector::from_fn(|k, _| 1.0 / scale[k]))
    }

    /// The per-parameter scaling of the damping.
    ///
    /// ```
    /// # use dualgrad::lsq::{LevenbergMarquardt, Scaling};
    /// assert_eq!(LevenbergMarquardt::default().scaling(), Scaling::RunningMax);
    /// ```
    pub fn scaling(&self) -> Scaling {
        self.scaling
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
    /// Jacobian is filled block by block from one jet evaluation each ([`jacobian_into`](crate::lsq::jacobian_into)).
    ///
    /// # Errors
    /// [`LsqError::TooFewResiduals`] if there are fewer residuals than parameters,
    /// [`LsqError::NonFiniteParameter`] if `theta0` has a NaN or infinite entry,
    /// [`LsqError::NonFiniteStart`] if a residual or Jacobian entry is not finite at `theta0`,
    /// [`LsqError::InvalidValue`] for a bad tolerance or [`Damping`] setting.
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
        self.solve_in(problem, theta0, &Bounds::none(), &mut |_| {
            ControlFlow::Continue(())
        })
    }

    /// [`solve`](Self::solve) with an observer called after each accepted step of the main
    /// iteration with an [`LsqIteration`] (damping, gain ratio, sum of squares, step length,
    /// gradient, counts); returning `ControlFlow::Break(())` stops the run with
    /// [`LsqStop::ObserverStopped`] at the parameters of that step.
    ///
    /// # Errors
    /// As [`solve`](Self::solve).
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// use dualgrad::lsq::{LevenbergMarquardt, LsqStop, Residuals};
    /// use nalgebra::SVector;
    /// use std::ops::ControlFlow;
    /// struct Growth;
    /// impl Residuals<2, 1> for Growth {
    ///     fn blocks(&self) -> usize { 3 }
    ///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
    ///         let t = i as f64;
    ///         SVector::from([p[0] * (p[1] * t).exp() - 2.0 * t.exp()])
    ///     }
    /// }
    /// let mut trace = Vec::new();
    /// let fit = LevenbergMarquardt::default().solve_observed(&Growth, SVector::from([1.0, 0.0]), |it| {
    ///     trace.push((it.rss, it.lambda, it.gain_ratio));
    ///     if it.iteration == 2 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    /// }).unwrap();
    /// assert_eq!(fit.stop, LsqStop::ObserverStopped);
    /// assert_eq!((fit.iterations, trace.len()), (2, 2));
    /// assert!(trace[1].0 < trace[0].0); // accepted steps lower the sum of squares
    /// assert_eq!(fit.rss, trace[1].0);
    /// ```
    pub fn solve_observed<const N: usize, const K: usize, R, F>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
        mut observer: F,
    ) -> Result<LsqReport<N>, LsqError>
    where
        R: Residuals<N, K>,
        F: FnMut(&LsqIteration<'_, N>) -> ControlFlow<()>,
    {
        self.solve_in(problem, theta0, &Bounds::none(), &mut observer)
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
        let bounds = Bounds::new(lower, upper)?;
        self.solve_in(problem, bounds.project_start(&theta0), &bounds, &mut |_| {
            ControlFlow::Continue(())
        })
    }

    fn solve_in<const N: usize, const K: usize, R, F>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
        bounds: &Bounds<N>,
        observer: &mut F,
    ) -> Result<LsqReport<N>, LsqError>
    where
        R: Residuals<N, K>,
        F: FnMut(&LsqIteration<'_, N>) -> ControlFlow<()>,
    {
        self.damping.validate()?;
        let given = match self.scaling {
            Scaling::Given => Some(self.given_d::<N>()?),
            _ => None,
        };
        let rules = self.rules;
        let (mut w, mut rss) = Work::start(problem, &theta0, &rules)?;
        let mut d = given.unwrap_or_else(|| self.scaling.initial(&w.norms));
        let mut theta = theta0;
        // Nielsen: λ and ν. Trust region: λ of the last step (the secular equation's start) and
        // the radius Δ (set at the first step).
        let (mut lambda, mut nu, mut radius) = match self.damping {
            Damping::Nielsen { initial } => (initial, 2.0, f64::NAN),
            Damping::TrustRegion { factor } => {
                let norm = d.component_mul(&theta).norm();
                (0.0, 2.0, if norm > 0.0 { factor * norm } else { factor })
            }
        };
        let trust_region = matches!(self.damping, Damping::TrustRegion { .. });
        let mut first = true;
        let mut iterations = 0;
        let mut refinement = 0;
        // Hand over to the Newton refinement once a Gauss–Newton step is accepted with a good
        // gain ratio and is shorter than HANDOVER · ‖Dθ‖ (once: if the refinement does not
        // converge, the main iteration resumes from its point).
        let mut handover_open = N <= NEWTON_MAX;
        let mut handed = false;
        // The ratio of the last two accepted steps' lengths (NaN before two), and how many accepted Gauss–Newton steps (`λ = 0`) came in a row.
        let (mut last_dx, mut contraction) = (f64::NAN, f64::NAN);
        let mut gn_streak = 0_usize;
        let stop = loop {
            let stop = 'outer: loop {
                if let Some(stop) = w.iteration_stop(rss, iterations, &rules) {
                    break stop;
                }
                d = self.scaling.update(&d, &w.norms);
                let qtr = w.qtr_head();
                let held = bounds.held(&theta, &w);
                let d_step = d.zip_map(&held, |v, h| if h { v * PIN } else { v });
                loop {
                    let step = if trust_region {
                        trust_region_step(&w.rmat, &qtr, &d_step, radius, lambda)
                    } else {
                        damped_step(&w.rmat, &qtr, &d_step, lambda).map(|x| (x, lambda))
                    };
                    let Some((raw, used)) = step else {
                        break 'outer LsqStop::NoProgress;
                    };
                    if first && trust_region {
                        radius = radius.min(d_step.component_mul(&raw).norm());
                    }
                    first = false;
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
                    let small_reduction = actual.abs() <= rules.ftol * rss
                        && predicted <= rules.ftol * rss
                        && rho <= 2.0;
                    if trust_region {
                        (radius, lambda) =
                            update_radius(radius, used, rho, rss, trial_rss, rd.norm_squared(), dx);
                    }
                    if rho > 1e-4 {
                        theta = trial;
                        iterations += 1;
                        let earlier = contraction;
                        contraction = dx / last_dx;
                        last_dx = dx;
                        gn_streak = if used == 0.0 { gn_streak + 1 } else { 0 };
                        rss = w.linearise(problem, &theta);
                        if !trust_region {
                            lambda *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
                            nu = 2.0;
                        }
                        let seen = w.observe(iterations, &theta, rss, used, rho, dx);
                        if observer(&seen).is_break() {
                            break 'outer LsqStop::ObserverStopped;
                        }
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
                        let short = rho >= 0.75 && dx <= HANDOVER * dtheta;
                        let linear = gn_streak >= 3
                            && rho > 0.25
                            && contraction > SLOW
                            && contraction < LINEAR
                            && (contraction - earlier).abs() <= 0.1 * contraction;
                        if handover_open && used == 0.0 && (short || linear) {
                            handed = true;
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
                    if trust_region {
                        if !(radius > f64::EPSILON * dtheta && radius > f64::MIN_POSITIVE) {
                            break 'outer LsqStop::NoProgress;
                        }
                    } else {
                        lambda *= nu;
                        nu *= 2.0;
                        if !lambda.is_finite() || lambda > 1e300 {
                            break 'outer LsqStop::NoProgress;
                        }
                    }
                }
            };
            if handed {
                handed = false;
                handover_open = false;
                let (steps, done) = polish(
                    problem,
                    &mut w,
                    &mut theta,
                    &mut rss,
                    &d,
                    &rules,
                    bounds,
                    (contraction, last_dx),
                );
                refinement += steps;
                match done {
                    Some(_) if rss == 0.0 => break LsqStop::ZeroResidual,
                    Some((step, _)) if step <= rules.xtol => {
                        break LsqStop::SmallStep {
                            step,
                            tol: rules.xtol,
                        };
                    }
                    Some((step, predicted)) => {
                        break LsqStop::Refined {
                            step,
                            predicted,
                            tol: rules.xtol,
                        };
                    }
                    None => continue,
                }
            }
            if stalled(stop) {
                refinement += polish(
                    problem,
                    &mut w,
                    &mut theta,
                    &mut rss,
                    &d,
                    &rules,
                    bounds,
                    (contraction, last_dx),
                )
                .0;
            }
            break stop;
        };
        let stop = w.vet(stop, &theta, rss);
        let counts = Counts {
            iterations,
            refinement,
        };
        Ok(w.report(theta, rss, stop, counts))
    }
}

/// Where the main iteration hands over to the Newton refinement: an accepted Gauss–Newton
/// step shorter than this fraction of `‖Dθ‖`.
const HANDOVER: f64 = 1e-4;

/// Moré's update of the trust-region radius `Δ` and of the secular equation's starting `λ`
/// after a trial step (MINPACK's `lmder`): `rss` and `trial_rss` the sums of squares before and
/// at the trial, `jd2 = ‖Jδ‖²`, `dx = ‖Dδ‖`, `lambda` the step's `λ`.
fn update_radius(
    radius: f64,
    lambda: f64,
    rho: f64,
    rss: f64,
    trial_rss: f64,
    jd2: f64,
    dx: f64,
) -> (f64, f64) {
    if rho <= 0.25 {
        // Relative actual reduction (−1 if the sum of squares grew a hundredfold or more) and
        // the directional derivative of the model, both relative to the sum of squares.
        let actual = if trial_rss < 100.0 * rss {
            1.0 - trial_rss / rss
        } else {
            -1.0
        };
        let slope = -(jd2 + lambda * dx * dx) / rss;
        let mut shrink = if actual >= 0.0 {
            0.5
        } else {
            0.5 * slope / (slope + 0.5 * actual)
        };
        if trial_rss >= 100.0 * rss || shrink.is_nan() || shrink < 0.1 {
            shrink = 0.1;
        }
        (shrink * radius.min(dx / 0.1), lambda / shrink)
    } else if lambda == 0.0 || rho >= 0.75 {
        (2.0 * dx, 0.5 * lambda)
    } else {
        (radius, lambda)
    }
}

/// A contraction ratio of successive Gauss–Newton steps above which the refinement takes
/// Newton steps.
const SLOW: f64 = 0.01;

/// Accepted Gauss–Newton steps that contract by a steady ratio between [`SLOW`] and this one
/// (two ratios in a row within 10 % of each other) converge linearly: the main iteration hands
/// over to the Newton refinement there.
const LINEAR: f64 = 0.95;

/// The largest `N` for which the refinement takes Newton steps with the exact Hessian (its
/// nested jets hold `(N + 1)²` numbers each; beyond, Gauss–Newton steps).
const NEWTON_MAX: usize = crate::diff::size::CLOSURE_HESSIAN_LIMIT;

/// The Newton step on `½‖r‖²` with the Hessian `JᵀJ + S` (`J = QR`, `S = Σ rᵢ∇²rᵢ`), solved
/// without forming `JᵀJ`: with `δ = R⁻¹u`, `(I + R⁻ᵀSR⁻¹) u = −Qᵀr`, by Cholesky. `None` if
/// `R` is singular or the Hessian is not positive definite (then no Newton step is trusted).
fn newton_step<const N: usize>(
    r: &SMatrix<f64, N, N>,
    qtr: &SVector<f64, N>,
    s: &SMatrix<f64, N, N>,
) -> Option<SVector<f64, N>> {
    let a = r.tr_solve_upper_triangular(s)?;
    let m = r.tr_solve_upper_triangular(&a.transpose())?;
    let m = (m + m.transpose()) * 0.5 + SMatrix::<f64, N, N>::identity();
    let u = m.cholesky()?.solve(&-qtr);
    upper_solve(r, &u)
}

/// Whether the exact Hessian pays for itself: Gauss–Newton steps contracting by `ratio` from a
/// last step of length `size` need `ln(target / size) / ln(ratio)` more steps to reach
/// `target`, Newton steps about 2, and one Hessian pass (nested jets of `(N + 1)²` numbers)
/// costs about `(N + 1) / 2` steps (a Jacobian pass and a QR each). Unknown ratios count as
/// paying.
fn newton_pays<const N: usize>(ratio: f64, size: f64, target: f64) -> bool {
    if !(ratio > 0.0 && ratio < 1.0 && size > target && target > 0.0) {
        return true;
    }
    let gauss_newton = (target / size).ln() / ratio.ln();
    gauss_newton > 2.0 + (N as f64 + 1.0) / 2.0
}

/// A stop on a small step or a small reduction, after which [`polish`] may gain digits.
fn stalled(stop: LsqStop) -> bool {
    matches!(
        stop,
        LsqStop::SmallStep { .. } | LsqStop::SmallReduction { .. } | LsqStop::Refined { .. }
    )
}

/// Refine a point near the solution (where a solver stopped on a small step or reduction, or
/// where Levenberg–Marquardt handed over) by undamped steps while they contract (each `‖Dδ‖`
/// smaller than the previous one, at most 50) and do not raise the sum of squares beyond
/// rounding, until the step (or the next one, predicted from the contraction) is negligible
/// against `xtol`; returns the number of steps taken and, if it got there, the last step and
/// the next one predicted from the contraction, both relative to `‖Dθ‖`.
///
/// The steps are Gauss–Newton steps while they contract by more than `1/SLOW` a step
/// (`contraction` is the ratio of the main iteration's last two steps, NaN if unknown), then
/// Newton steps with the exact Hessian `JᵀJ + S`, `S = Σ rᵢ∇²rᵢ` evaluated once and reused
/// (it changes by the step's size, so the contraction becomes about that size): on
/// large-residual problems Gauss–Newton converges only linearly, by a factor near `‖S‖`
/// relative to `JᵀJ`. Near the solution the sum of squares stops changing to machine precision
/// before the parameters do (its minimum is flat to second order), so the gain ratio becomes
/// noise and the damping grows, while these steps solve `∇ = 0` from the linearisation, which
/// is accurate to far more digits.
#[allow(clippy::too_many_arguments)] // the solver state it refines, passed apart to borrow separately
fn polish<const N: usize, const K: usize, R: Residuals<N, K>>(
    problem: &R,
    w: &mut Work<N>,
    theta: &mut SVector<f64, N>,
    rss: &mut f64,
    d: &SVector<f64, N>,
    rules: &LsqRules,
    bounds: &Bounds<N>,
    last: (f64, f64),
) -> (usize, Option<(f64, f64)>) {
    let mut previous = f64::INFINITY;
    let mut curvature: Option<SMatrix<f64, N, N>> = None;
    // Newton steps once the Gauss–Newton steps contract slowly (large residuals); before,
    // Gauss–Newton steps, which need no second derivatives.
    let (mut ratio, mut last_size) = last;
    let mut slow = ratio > SLOW;
    let tol = rules.xtol.min(1e-13);
    for step in 0..50 {
        // Undamped, except that held parameters are pinned (no rows for the free ones).
        let held = bounds.held(theta, w);
        let newton = slow
            && N <= NEWTON_MAX
            && !held.iter().any(|&h| h)
            && (curvature.is_some()
                || newton_pays::<N>(ratio, last_size, 0.1 * tol * d.component_mul(theta).norm()));
        let raw = if newton {
            let s = match curvature {
                Some(s) => s,
                None => *curvature.insert(w.curvature(problem, theta)),
            };
            newton_step(&w.rmat, &w.qtr_head(), &s)
        } else {
            None
        };
        let raw = match raw {
            Some(raw) => Some(raw),
            None => {
                let pin = held.map(|h| if h { PIN } else { 0.0 });
                damped_step(&w.rmat, &w.qtr_head(), &pin, 1.0)
            }
        };
        // Where the steps stop contracting (rounding), the last one taken already passed the
        // small-step test if it was below xtol relative to ‖Dθ‖: that is the stop.
        let scale = d.component_mul(theta).norm();
        let end = |step: usize| {
            let last = previous / scale;
            (step, (last <= rules.xtol).then_some((last, last)))
        };
        let Some(raw) = raw else {
            return end(step);
        };
        let trial = bounds.project(&(*theta + raw));
        let delta = trial - *theta;
        let size = d.component_mul(&delta).norm();
        if size.is_nan() || size >= previous {
            return end(step);
        }
        // The step is nearly always taken here: linearise at the trial point at once (its
        // Jacobian pass yields the residuals too) and go back if the sum of squares rose.
        let saved = w.save();
        let trial_rss = w.linearise(problem, &trial);
        if trial_rss.is_nan() || trial_rss > *rss * (1.0 + 1e-10) {
            w.restore(saved);
            return end(step);
        }
        *theta = trial;
        *rss = trial_rss;
        let q = if previous.is_finite() {
            size / previous
        } else {
            1.0
        };
        if previous.is_finite() && q > SLOW {
            slow = true;
        }
        if last_size.is_finite() {
            ratio = size / last_size;
        }
        last_size = size;
        previous = size;
        // Done when the step, or the next one predicted from the contraction ratio, is below
        // a tenth of xtol relative to ‖Dθ‖: further steps would not change the digits that
        // the small-step test asked for (measured on the NIST problems: no parameter's digits
        // change).
        let scale = d.component_mul(theta).norm();
        let done = size <= 0.1 * tol * scale || size * q <= 0.1 * tol * scale;
        if done {
            return (step + 1, Some((size / scale, size * q / scale)));
        }
    }
    (50, None)
}

/// Gauss–Newton with a line search: the step solves `min ‖r + Jδ‖²` (Householder QR of `J`),
/// and the line search ([`Armijo`] by default) chooses its length along `δ` on
/// `½ Σ rᵢ²`, trying the full step first. Quadratic convergence on zero-residual problems,
/// but no safeguard where `J` is (nearly) rank deficient: there it stops with
/// [`LsqStop::NoProgress`]; prefer [`LevenbergMarquardt`] from poor starts. As for
/// Levenberg–Marquardt, a small-step stop is followed by undamped steps while they contract
/// (the line search stalls on the flat bottom of the sum of squares before the parameters
/// have converged), and a stop where the Jacobian vanished is not reported as convergence.
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
    /// is not accepted (a compile error, not a silent substitution):
    ///
    /// ```compile_fail
    /// use dualgrad::lsq::GaussNewton;
    /// use dualgrad::optim::StrongWolfe;
    /// let gn = GaussNewton::new(StrongWolfe::default());
    /// ```
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
        self.solve_in(problem, theta0, &Bounds::none(), &mut |_| {
            ControlFlow::Continue(())
        })
    }

    /// [`solve`](Self::solve) with an observer called after each accepted step (`lambda` is 0;
    /// `gain_ratio` is the actual over the predicted reduction of the step the line search
    /// chose); `ControlFlow::Break(())` stops the run with [`LsqStop::ObserverStopped`].
    ///
    /// # Errors
    /// As [`solve`](Self::solve).
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// use dualgrad::lsq::{GaussNewton, Residuals};
    /// use nalgebra::SVector;
    /// use std::ops::ControlFlow;
    /// struct Line;
    /// impl Residuals<2, 1> for Line {
    ///     fn blocks(&self) -> usize { 3 }
    ///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
    ///         let t = i as f64;
    ///         SVector::from([p[0] + p[1] * t - (1.0 + 2.0 * t)])
    ///     }
    /// }
    /// let mut ratios = Vec::new();
    /// GaussNewton::default().solve_observed(&Line, SVector::from([0.0, 0.0]), |it| {
    ///     ratios.push(it.gain_ratio);
    ///     ControlFlow::Continue(())
    /// }).unwrap();
    /// // A linear model: the Gauss–Newton model is exact, so the first gain ratio is 1.
    /// assert!((ratios[0] - 1.0).abs() < 1e-12);
    /// ```
    pub fn solve_observed<const N: usize, const K: usize, R, F>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
        mut observer: F,
    ) -> Result<LsqReport<N>, LsqError>
    where
        R: Residuals<N, K>,
        F: FnMut(&LsqIteration<'_, N>) -> ControlFlow<()>,
    {
        self.solve_in(problem, theta0, &Bounds::none(), &mut observer)
    }

    /// Minimise `½ Σ rᵢ(θ)²` subject to `lower <= θ <= upper` (componentwise; infinite bounds
    /// allowed), from `theta0` projected into the box: a parameter at a bound whose gradient
    /// points out of the box is held there (the step solves the reduced problem in the free
    /// parameters), and the line search runs along the projected path.
    ///
    /// # Errors
    /// As [`solve`](Self::solve), and [`LsqError::InvalidBounds`] for a NaN bound or
    /// `lower > upper`.
    ///
    /// ```
    /// use dualgrad::Scalar;
    /// use dualgrad::lsq::{GaussNewton, Residuals};
    /// use nalgebra::SVector;
    /// /// θ₀ close to 3 and to 5 at once (least squares: 4) but θ₀ <= 3.5; θ₁ close to 1.
    /// struct Two;
    /// impl Residuals<2, 1> for Two {
    ///     fn blocks(&self) -> usize { 3 }
    ///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
    ///         SVector::from([if i < 2 { p[0] - [3.0, 5.0][i] } else { p[1] - 1.0 }])
    ///     }
    /// }
    /// let fit = GaussNewton::default().solve_bounded(&Two, SVector::from([0.0, 0.0]),
    ///     SVector::from([f64::NEG_INFINITY; 2]), SVector::from([3.5, f64::INFINITY])).unwrap();
    /// assert_eq!(fit.params[0], 3.5);
    /// assert!((fit.params[1] - 1.0).abs() < 1e-14);
    /// ```
    pub fn solve_bounded<const N: usize, const K: usize, R: Residuals<N, K>>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
        lower: SVector<f64, N>,
        upper: SVector<f64, N>,
    ) -> Result<LsqReport<N>, LsqError> {
        let bounds = Bounds::new(lower, upper)?;
        self.solve_in(problem, bounds.project_start(&theta0), &bounds, &mut |_| {
            ControlFlow::Continue(())
        })
    }

    fn solve_in<const N: usize, const K: usize, R, F>(
        &self,
        problem: &R,
        theta0: SVector<f64, N>,
        bounds: &Bounds<N>,
        observer: &mut F,
    ) -> Result<LsqReport<N>, LsqError>
    where
        R: Residuals<N, K>,
        F: FnMut(&LsqIteration<'_, N>) -> ControlFlow<()>,
    {
        let rules = self.rules;
        let (mut w, mut rss) = Work::start(problem, &theta0, &rules)?;
        let mut d = Scaling::RunningMax.initial(&w.norms);
        let mut theta = theta0;
        let mut iterations = 0;
        let stop = loop {
            if let Some(stop) = w.iteration_stop(rss, iterations, &rules) {
                break stop;
            }
            d = Scaling::RunningMax.update(&d, &w.norms);
            let qtr = w.qtr_head();
            // Undamped, except that held parameters are pinned.
            let held = bounds.held(&theta, &w);
            let pin = held.map(|h| if h { PIN } else { 0.0 });
            let Some(delta) = damped_step(&w.rmat, &qtr, &pin, 1.0) else {
                break LsqStop::NoProgress;
            };
            // ∇(½‖r‖²)·δ = (Rᵀ Qᵀr)·δ.
            let slope = qtr.dot(&(w.rmat * delta));
            if slope.is_nan() || slope >= 0.0 {
                break LsqStop::NoProgress;
            }
            let mut evals = 0;
            let (m, trial) = (w.m, &mut w.trial);
            let ls = self.line_search.search(
                |x: &SVector<f64, N>| {
                    evals += 1;
                    residuals_into(problem, &bounds.project(x), &mut trial[..m]);
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
            let next = bounds.project(&(theta + delta * ls.step));
            let step = next - theta;
            let dx = d.component_mul(&step).norm();
            let dtheta = d.component_mul(&theta).norm();
            let rd = w.rmat * step;
            let predicted = -(2.0 * qtr.dot(&rd) + rd.dot(&rd));
            theta = next;
            iterations += 1;
            let previous = rss;
            rss = w.linearise(problem, &theta);
            let actual = previous - rss;
            let seen = w.observe(iterations, &theta, rss, 0.0, actual / predicted, dx);
            if observer(&seen).is_break() {
                break LsqStop::ObserverStopped;
            }
            if actual.abs() <= rules.ftol * previous && predicted <= rules.ftol * previous {
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
        let refinement = if stalled(stop) {
            polish(
                problem,
                &mut w,
                &mut theta,
                &mut rss,
                &d,
                &rules,
                bounds,
                (f64::NAN, f64::NAN),
            )
            .0
        } else {
            0
        };
        let stop = w.vet(stop, &theta, rss);
        let counts = Counts {
            iterations,
            refinement,
        };
        Ok(w.report(theta, rss, stop, counts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;
    use nalgebra::{Matrix3, Vector3};

    /// Two exponentials and a product, five rows: every residual has a nonzero Hessian.
    struct Curved;
    impl Residuals<3, 1> for Curved {
        fn blocks(&self) -> usize {
            5
        }
        fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 3>) -> SVector<T, 1> {
            let t = i as f64 * 0.5;
            SVector::from([p[0] * (p[1] * t).exp() + p[1] * p[2] * t * t - (1.0 + t)])
        }
    }

    /// `Σ rᵢ∇²rᵢ` against the Hessian of `½‖r‖²` (forward over forward on the sum, an
    /// independent path) minus `JᵀJ`.
    #[test]
    fn curvature_is_the_hessian_of_half_the_sum_of_squares_minus_the_gauss_newton_part() {
        let theta = Vector3::new(0.7, -0.3, 0.4);
        let (r, j) = super::super::residuals::jacobian_matrix(&Curved, &theta);
        let s = residual_curvature(&Curved, &theta, r.as_slice());
        let (_, _, h) = crate::hessian(
            |p| {
                let v = |i: usize| Curved.residual(i, p)[0];
                (1..5).fold(v(0) * v(0) * 0.5, |acc, i| acc + v(i) * v(i) * 0.5)
            },
            &theta,
        );
        let gn = j.transpose() * &j;
        for k in 0..3 {
            for l in 0..3 {
                let expected = h[(k, l)] - gn[(k, l)];
                assert!(
                    (s[(k, l)] - expected).abs() < 1e-13 * (1.0 + h[(k, l)].abs()),
                    "({k}, {l}): {} against {expected}",
                    s[(k, l)]
                );
            }
        }
    }

    /// The Newton step from `R`, `Qᵀr` and `S` solves `(RᵀR + S) δ = −Rᵀ Qᵀr` (checked by
    /// nalgebra's LU on the formed matrix); an indefinite Hessian gives no step.
    #[test]
    fn newton_step_solves_the_full_hessian_system_and_refuses_an_indefinite_one() {
        let r = Matrix3::new(2.0, 0.5, -1.0, 0.0, 1.5, 0.3, 0.0, 0.0, 0.8);
        let q = Vector3::new(0.3, -0.2, 0.1);
        let s = Matrix3::new(0.4, 0.1, 0.0, 0.1, -0.2, 0.05, 0.0, 0.05, 0.1);
        let step = newton_step(&r, &q, &s).unwrap();
        let h = r.transpose() * r + s;
        let expected = h.lu().solve(&-(r.transpose() * q)).unwrap();
        assert!(
            (step - expected).norm() < 1e-14 * expected.norm(),
            "{step} against {expected}"
        );
        assert!(newton_step(&r, &q, &(-10.0 * Matrix3::identity())).is_none());
    }
}
