//! Newton–CG (truncated Newton): the Newton step solved approximately by conjugate gradients,
//! from Hessian-vector products only, so the `N × N` Hessian is never formed.

use super::line_search::{Armijo, LineSearch, line_search_step};
use super::method::{Method, Point};
use super::report::Evaluations;
use super::stop::StopReason;
use crate::ScalarFn;
use nalgebra::SVector;

/// Newton–CG, or truncated Newton (Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
/// Algorithm 7.1): each iteration solves `H d = −g` approximately by conjugate gradients, with
/// each product `H p` from [`ScalarFn::hvp`] (exact, forward over forward, 2–3 gradients' worth of
/// instructions, no `N × N` matrix), then searches along `d`.
///
/// The inner iteration stops when the residual is below `min(½, √‖g‖) ‖g‖` (superlinear
/// convergence near a minimiser), after `max_cg` products, or on a direction of non-positive
/// curvature; in that last case it returns the iterate so far, or `−g` on the first inner step,
/// so `d` is always a descent direction. Use it instead of [`Newton`](crate::optim::Newton) when `N`
/// is large: memory and stack are `O(N)`, not `O(N²)`.
///
/// Each Hessian-vector product is counted in [`Evaluations`] as one gradient (it computes one).
///
/// ```
/// use dualgrad::{Scalar, ScalarFn};
/// use dualgrad::optim::NewtonCg;
/// use dualgrad::optim::{StopReason, StopRules, minimize};
/// use nalgebra::SVector;
///
/// /// f = Σ (xᵢ − i)² + (x₀ x₁)²: ∇f = 0 at (0, 1, 2, 3)
/// struct Bowl;
/// impl ScalarFn<4> for Bowl {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 4>) -> T {
///         let mut f = (x[0] * x[1]) * (x[0] * x[1]);
///         for i in 0..4 {
///             let d = x[i] - i as f64;
///             f += d * d;
///         }
///         f
///     }
/// }
/// let report = minimize(&Bowl, SVector::from([3.0, 3.0, 0.0, 0.0]), &mut NewtonCg::default(),
///     &StopRules::default().with_grad_tol(1e-10), |_| {}).unwrap();
/// assert!(matches!(report.stop, StopReason::GradientTolerance { .. }));
/// assert!((report.params - SVector::from([0.0, 1.0, 2.0, 3.0])).norm() < 1e-9);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NewtonCg<const N: usize, L = Armijo> {
    line_search: L,
    max_cg: usize,
    last_cg: usize,
}

impl<const N: usize> Default for NewtonCg<N, Armijo> {
    fn default() -> Self {
        Self::with(Armijo::default())
    }
}

impl<const N: usize, L: LineSearch> NewtonCg<N, L> {
    /// The same method with another line search (the default is [`Armijo`]).
    ///
    /// ```
    /// use dualgrad::optim::{StrongWolfe, NewtonCg};
    /// let method = NewtonCg::<2>::default().with_line_search(StrongWolfe::default());
    /// # let _ = method;
    /// ```
    pub fn with_line_search<L2: LineSearch>(self, line_search: L2) -> NewtonCg<N, L2> {
        NewtonCg::with(line_search)
    }

    fn with(line_search: L) -> Self {
        Self {
            line_search,
            max_cg: N.max(1),
            last_cg: 0,
        }
    }

    /// At most `max_cg` Hessian-vector products per iteration (at least 1).
    ///
    /// ```
    /// # use dualgrad::optim::NewtonCg;
    /// assert_eq!(NewtonCg::<100>::default().with_max_cg(20).max_cg(), 20);
    /// assert_eq!(NewtonCg::<100>::default().with_max_cg(0).max_cg(), 1);
    /// ```
    pub fn with_max_cg(mut self, max_cg: usize) -> Self {
        self.max_cg = max_cg.max(1);
        self
    }

    /// The largest number of Hessian-vector products per iteration.
    ///
    /// ```
    /// # use dualgrad::optim::NewtonCg;
    /// assert_eq!(NewtonCg::<3>::default().max_cg(), 3);
    /// ```
    pub fn max_cg(&self) -> usize {
        self.max_cg
    }

    /// The number of Hessian-vector products the last iteration used.
    ///
    /// ```
    /// # use dualgrad::optim::NewtonCg;
    /// assert_eq!(NewtonCg::<3>::default().last_cg_steps(), 0);
    /// ```
    pub fn last_cg_steps(&self) -> usize {
        self.last_cg
    }

    /// The truncated-CG direction at `x` with gradient `g`.
    fn direction<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        x: &SVector<f64, N>,
        g: &SVector<f64, N>,
        evals: &mut Evaluations,
    ) -> SVector<f64, N> {
        let g_norm = g.norm();
        let tol = g_norm.sqrt().min(0.5) * g_norm;
        let mut z = SVector::<f64, N>::zeros();
        let mut r = *g;
        let mut p = -r;
        let mut rr = r.dot(&r);
        self.last_cg = 0;
        for step in 0..self.max_cg {
            let (_, _, hp) = f.hvp(x, &p);
            evals.add_gradient();
            self.last_cg += 1;
            let curvature = p.dot(&hp);
            if !(curvature.is_finite() && curvature > 0.0) {
                return if step == 0 { -g } else { z };
            }
            let alpha = rr / curvature;
            z += p * alpha;
            r += hp * alpha;
            let rr_next = r.dot(&r);
            if rr_next.sqrt() < tol {
                break;
            }
            p = -r + p * (rr_next / rr);
            rr = rr_next;
        }
        z
    }
}

impl<const N: usize, L: LineSearch> Method<N> for NewtonCg<N, L> {
    fn iterate<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        point: &mut Point<N>,
        evals: &mut Evaluations,
    ) -> Result<(), StopReason> {
        let mut d = self.direction(f, &point.x, &point.gradient, evals);
        let mut slope = point.gradient.dot(&d);
        let descent = slope.is_finite() && slope < 0.0;
        if !descent || !d.iter().all(|v| v.is_finite()) {
            d = -point.gradient;
            slope = point.gradient.dot(&d);
        }
        *point = line_search_step(&self.line_search, f, point, slope, &d, evals)?;
        Ok(())
    }

    fn reset(&mut self) {
        self.last_cg = 0;
    }
}
