//! Newton's method from the exact Hessian, safeguarded, with a line search.

use super::curvature::{dense_on_heap, saddle_point};
use super::line_search::{Armijo, LineSearch, search_counted};
use super::method::{Method, Point};
use super::report::Evaluations;
use super::stop::StopReason;
use crate::ScalarFn;
use crate::diff::size::boxed_zeros;
use nalgebra::allocator::Allocator;
use nalgebra::{DMatrix, DVector, DefaultAllocator, Dim, OMatrix, OVector, SMatrix, SVector};

/// A step direction computed from the gradient and the Hessian.
///
/// ```
/// use dualgrad::optim::{Newton, SecondOrderStep};
/// use nalgebra::{SMatrix, SVector};
/// // f = x² + 2y²: g = (2x, 4y), H = diag(2, 4); the Newton step from (1, 1) is −(1, 1).
/// let h = SMatrix::from_diagonal(&SVector::from([2.0, 4.0]));
/// let d = Newton::default().direction(&SVector::from([2.0, 4.0]), &h);
/// assert!((d - SVector::from([-1.0, -1.0])).norm() < 1e-15);
/// ```
pub trait SecondOrderStep<const N: usize> {
    /// The direction to search along from a point with gradient `grad` and Hessian `hessian`.
    fn direction(
        &mut self,
        grad: &SVector<f64, N>,
        hessian: &SMatrix<f64, N, N>,
    ) -> SVector<f64, N>;
}

/// Which direction [`Newton`] took last.
///
/// ```
/// use dualgrad::optim::{Newton, NewtonDirection, SecondOrderStep};
/// use nalgebra::{SMatrix, SVector};
/// let mut newton = Newton::<2>::default();
/// assert_eq!(newton.last_direction(), NewtonDirection::None);
/// // H = diag(4, 16) is positive definite: d = −H⁻¹g = (−2, −1) for g = (8, 16)
/// let h = SMatrix::from_diagonal(&SVector::from([4.0, 16.0]));
/// let d = newton.direction(&SVector::from([8.0, 16.0]), &h);
/// assert_eq!((d, newton.last_direction()), (SVector::from([-2.0, -1.0]), NewtonDirection::Newton));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NewtonDirection {
    /// No step yet.
    None,
    /// The Newton direction `−H⁻¹g` (the Hessian was positive definite).
    Newton,
    /// The damped direction `−(H + λI)⁻¹g` (Levenberg–Marquardt style), with this `λ`.
    Damped(f64),
    /// The negative gradient (no damping up to the limit made the Hessian positive definite,
    /// or the solve was not finite).
    Gradient,
}

/// Newton's method from the exact Hessian, with a safeguard and a line search.
///
/// Each iteration takes the Hessian `H` (from [`ScalarFn::hessian`], exact by nested dual
/// numbers) and solves `H d = −g` by Cholesky. If `H` is not positive definite it adds
/// `λI`, starting from `λ = 1e-3 · max(1, max|Hᵢᵢ|)` and multiplying by 10 until the Cholesky
/// factorisation succeeds (Levenberg–Marquardt damping); if that fails up to
/// `λ = 1e10 · max(1, max|Hᵢᵢ|)`, or the solve is not a finite descent direction, it steps along
/// `−g`. The step length comes from the line search ([`Armijo`] backtracking by default), which
/// tries the full Newton step first, so convergence is quadratic near a minimiser.
///
/// The Hessian is kept in one heap allocation made on the first step. Above
/// [`HEAP_RESULT_BYTES`](crate::diff::size::HEAP_RESULT_BYTES) (`N ≥ 91`) the Cholesky
/// factorisations and the curvature test work on heap copies ([`DMatrix`]), so no `N × N`
/// matrix is on the stack at any size and each step allocates; below, a step allocates
/// nothing.
///
/// Run it with [`minimize`](crate::optim::minimize). When the gradient-norm test passes at a point
/// where the exact Hessian has a negative eigenvalue (below `−1e-8 · max(1, max |Hᵢⱼ|)`), the
/// point is a saddle or a maximum, not a minimum: the run stops with
/// [`StopReason::SaddlePoint`], which is not [`converged`](StopReason::converged). Newton's
/// method does not step off a saddle by itself (it started on a symmetry line, or was drawn
/// there); restart from a perturbed point.
///
/// ```
/// use dualgrad::{Scalar, ScalarFn};
/// use dualgrad::optim::Newton;
/// use dualgrad::optim::{StopReason, StopRules, minimize};
/// use nalgebra::SVector;
/// /// f = x⁴/4 − x²/2 + y²/2: minima at (±1, 0), a saddle at (0, 0).
/// struct DoubleWell;
/// impl ScalarFn<2> for DoubleWell {
///     fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
///         v[0].powi(4) * 0.25 - v[0] * v[0] * 0.5 + v[1] * v[1] * 0.5
///     }
/// }
/// let rules = StopRules::default().with_grad_tol(1e-10);
/// // from (0, 1), on the line x = 0, Newton is drawn to the saddle
/// let r = minimize(&DoubleWell, SVector::from([0.0, 1.0]), &mut Newton::default(), &rules, |_| {}).unwrap();
/// assert!(matches!(r.stop, StopReason::SaddlePoint { min_eigenvalue, .. } if (min_eigenvalue + 1.0).abs() < 1e-9));
/// assert!(!r.stop.converged());
/// ```
///
/// ```
/// use dualgrad::{Scalar, ScalarFn};
/// use dualgrad::optim::Newton;
/// use dualgrad::optim::{StopReason, StopRules, minimize};
/// use nalgebra::SVector;
///
/// /// f = (x − 1)⁴ + (y + 2)²: minimiser (1, −2).
/// struct Bowl;
/// impl ScalarFn<2> for Bowl {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
///         (x[0] - 1.0).powi(4) + (x[1] + 2.0).powi(2)
///     }
/// }
/// let report = minimize(&Bowl, SVector::from([3.0, 0.0]), &mut Newton::default(),
///     &StopRules::default().with_grad_tol(1e-10), |_| {}).unwrap();
/// assert!(matches!(report.stop, StopReason::GradientTolerance { .. }));
/// assert!((report.params[1] + 2.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Newton<const N: usize, L = Armijo> {
    line_search: L,
    last: NewtonDirection,
    /// The Hessian, in storage allocated once (on the heap, so that the method itself stays
    /// small at any `N`), and the point it was taken at.
    hessian: Option<Box<SMatrix<f64, N, N>>>,
    hessian_at: Option<SVector<f64, N>>,
}

impl<const N: usize> Default for Newton<N, Armijo> {
    fn default() -> Self {
        Self::with(Armijo::default())
    }
}

impl<const N: usize, L: LineSearch> Newton<N, L> {
    /// The same method with another line search (the default is [`Armijo`]).
    ///
    /// ```
    /// use dualgrad::optim::{StrongWolfe, Newton};
    /// let method = Newton::<2>::default().with_line_search(StrongWolfe::default());
    /// # let _ = method;
    /// ```
    pub fn with_line_search<L2: LineSearch>(self, line_search: L2) -> Newton<N, L2> {
        Newton::with(line_search)
    }

    fn with(line_search: L) -> Self {
        Self {
            line_search,
            last: NewtonDirection::None,
            hessian: None,
            hessian_at: None,
        }
    }

    /// The Hessian at `x` into the method's storage (allocated on first use); returns the value
    /// and the gradient computed with it.
    fn take_hessian<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        x: &SVector<f64, N>,
        evals: &mut Evaluations,
    ) -> (f64, SVector<f64, N>) {
        let h = self.hessian.get_or_insert_with(boxed_zeros::<f64, N, N>);
        let mut gradient = SVector::zeros();
        let value = f.hessian_into(x, &mut gradient, h);
        evals.add_hessian();
        self.hessian_at = Some(*x);
        (value, gradient)
    }

    /// The stored Hessian, taken at `x` if it was not.
    fn hessian_at<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        x: &SVector<f64, N>,
        evals: &mut Evaluations,
    ) -> Box<SMatrix<f64, N, N>> {
        if self.hessian_at.as_ref() != Some(x) {
            self.take_hessian(f, x, evals);
        }
        self.hessian
            .take()
            .unwrap_or_else(|| unreachable!("take_hessian stores a Hessian"))
    }

    /// The kind of direction the last iteration used.
    ///
    /// ```
    /// use dualgrad::optim::{Newton, NewtonDirection, SecondOrderStep};
    /// use nalgebra::{SMatrix, SVector};
    /// let mut newton = Newton::default();
    /// // An indefinite Hessian diag(1, −1): damping is needed.
    /// let h = SMatrix::<f64, 2, 2>::new(1.0, 0.0, 0.0, -1.0);
    /// let d = newton.direction(&SVector::from([1.0, 1.0]), &h);
    /// assert!(matches!(newton.last_direction(), NewtonDirection::Damped(l) if l > 1.0));
    /// assert!(d.dot(&SVector::from([1.0, 1.0])) < 0.0); // still a descent direction
    /// ```
    pub fn last_direction(&self) -> NewtonDirection {
        self.last
    }
}

impl<const N: usize, L> SecondOrderStep<N> for Newton<N, L> {
    fn direction(
        &mut self,
        grad: &SVector<f64, N>,
        hessian: &SMatrix<f64, N, N>,
    ) -> SVector<f64, N> {
        let (d, kind) = if dense_on_heap::<N>() {
            let g = DVector::from_column_slice(grad.as_slice());
            let h = DMatrix::from_column_slice(N, N, hessian.as_slice());
            let (d, kind) = newton_direction(&g, &h);
            (SVector::from_column_slice(d.as_slice()), kind)
        } else {
            newton_direction(grad, hessian)
        };
        self.last = kind;
        d
    }
}

/// The safeguarded Newton direction on a matrix of either storage (`SMatrix`: no allocation;
/// `DMatrix`: nothing `N × N` on the stack): `−H⁻¹g` by Cholesky if it descends, else
/// `−(H + λI)⁻¹g` for `λ = 10⁻³, 10⁻², … × max |hᵢᵢ|` up to `10¹⁰ ×`, else `−g`.
fn newton_direction<D: Dim>(
    grad: &OVector<f64, D>,
    hessian: &OMatrix<f64, D, D>,
) -> (OVector<f64, D>, NewtonDirection)
where
    DefaultAllocator: Allocator<D, D> + Allocator<D>,
{
    let descent = |d: &OVector<f64, D>| d.iter().all(|v| v.is_finite()) && grad.dot(d) < 0.0;
    if let Some(chol) = hessian.clone().cholesky() {
        let d = -chol.solve(grad);
        if descent(&d) {
            return (d, NewtonDirection::Newton);
        }
    }
    let scale = hessian
        .diagonal()
        .iter()
        .fold(1.0_f64, |m, v| m.max(v.abs()));
    if scale.is_finite() {
        let mut lambda = 1e-3 * scale;
        while lambda <= 1e10 * scale {
            let mut damped = hessian.clone();
            for i in 0..damped.nrows() {
                damped[(i, i)] += lambda;
            }
            if let Some(chol) = damped.cholesky() {
                let d = -chol.solve(grad);
                if descent(&d) {
                    return (d, NewtonDirection::Damped(lambda));
                }
            }
            lambda *= 10.0;
        }
    }
    (-grad, NewtonDirection::Gradient)
}

impl<const N: usize, L: LineSearch> Method<N> for Newton<N, L> {
    fn iterate<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        point: &mut Point<N>,
        evals: &mut Evaluations,
    ) -> Result<(), StopReason> {
        let hessian = self.hessian_at(f, &point.x, evals);
        let d = self.direction(&point.gradient, &hessian);
        self.hessian = Some(hessian);
        // Through `search_with_gradient`, so that a strong Wolfe search can check curvature.
        let slope = point.gradient.dot(&d);
        let (ls, _) = search_counted(&self.line_search, f, point, slope, &d, evals);
        if !ls.accepted {
            return Err(StopReason::LineSearchFailed);
        }
        let x = point.x + d * ls.step;
        let (value, gradient) = self.take_hessian(f, &x, evals);
        *point = Point { x, value, gradient };
        Ok(())
    }

    fn reset(&mut self) {
        self.last = NewtonDirection::None;
        self.hessian_at = None;
    }

    fn confirm_stationary<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        point: &Point<N>,
        evals: &mut Evaluations,
    ) -> Option<StopReason> {
        let hessian = self.hessian_at(f, &point.x, evals);
        let verdict = saddle_point(point, &hessian);
        self.hessian = Some(hessian);
        verdict
    }
}
