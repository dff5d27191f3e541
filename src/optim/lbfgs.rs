//! L-BFGS: a quasi-Newton method with a memory of the last `M` steps.

use super::line_search::{LineSearch, line_search_step};
use super::method::{Method, Point};
use super::report::Evaluations;
use super::stop::StopReason;
use super::wolfe::StrongWolfe;
use crate::ScalarFn;
use nalgebra::SVector;

/// Limited-memory BFGS with memory `M`, over `N` parameters, with a line search.
///
/// It keeps the last `M` pairs `sₖ = xₖ₊₁ − xₖ`, `yₖ = ∇fₖ₊₁ − ∇fₖ` in static arrays (no heap)
/// and applies the inverse-Hessian approximation to the gradient by the two-loop recursion
/// (Nocedal & Wright, Algorithm 7.4), with the initial scaling `γ = sᵀy / yᵀy` of the newest
/// pair. With an empty memory the direction is `−g / max(1, ‖g‖)`. A pair is stored only if
/// `sᵀy > sqrt(ε_mach) ‖s‖ ‖y‖` (the curvature condition, which keeps the approximation
/// positive definite); if the direction is not a descent direction anyway, or the line search
/// finds no lower point along it, the memory is cleared and the step retried along the scaled
/// steepest descent.
/// The step length comes from the line search, trying `α = 1` first: by default
/// [`StrongWolfe`] (Moré–Thuente), whose curvature condition guarantees `sᵀy > 0`, so every
/// accepted step adds a pair and the memory stays a sound positive-definite model;
/// [`Armijo`](crate::optim::Armijo) backtracking (`Lbfgs::default().with_line_search(Armijo::default())`) checks only
/// sufficient decrease and may have to skip pairs. On Rosenbrock from the standard start
/// (memory 5, gradient tolerance `1e-10`) strong Wolfe takes 49 values and gradients for N = 2
/// (Armijo: 97 values, 43 gradients) and 119 for N = 10 (Armijo: 218 values, 104 gradients);
/// `tests/optim/optim_wolfe.rs` measures them.
///
/// Run it with [`minimize`](crate::optim::minimize).
///
/// ```
/// use dualgrad::{Scalar, ScalarFn};
/// use dualgrad::optim::Lbfgs;
/// use dualgrad::optim::{StopRules, minimize};
/// use nalgebra::SVector;
///
/// /// f = (x − 1)² + 10(y − x²)²: minimiser (1, 1).
/// struct Valley;
/// impl ScalarFn<2> for Valley {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
///         (x[0] - 1.0).powi(2) + (x[1] - x[0] * x[0]).powi(2) * 10.0
///     }
/// }
/// let mut lbfgs = Lbfgs::<2, 5>::default();
/// let rules = StopRules::default().with_grad_tol(1e-10);
/// let report = minimize(&Valley, SVector::from([-1.0, 2.0]), &mut lbfgs, &rules, |_| {}).unwrap();
/// assert!((report.params - SVector::from([1.0, 1.0])).norm() < 1e-8);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lbfgs<const N: usize, const M: usize, L = StrongWolfe> {
    line_search: L,
    s: [SVector<f64, N>; M],
    y: [SVector<f64, N>; M],
    rho: [f64; M],
    len: usize,
    next: usize,
}

impl<const N: usize, const M: usize> Default for Lbfgs<N, M, StrongWolfe> {
    fn default() -> Self {
        Self::with(StrongWolfe::default())
    }
}

impl<const N: usize, const M: usize, L: LineSearch> Lbfgs<N, M, L> {
    /// The same method with another line search (the default is [`StrongWolfe`]).
    ///
    /// ```
    /// use dualgrad::optim::{Armijo, Lbfgs};
    /// let method = Lbfgs::<2, 5>::default().with_line_search(Armijo::default());
    /// # let _ = method;
    /// ```
    pub fn with_line_search<L2: LineSearch>(self, line_search: L2) -> Lbfgs<N, M, L2> {
        Lbfgs::with(line_search)
    }

    fn with(line_search: L) -> Self {
        const { assert!(M >= 1, "L-BFGS needs a memory of at least one pair") };
        Self {
            line_search,
            s: [SVector::zeros(); M],
            y: [SVector::zeros(); M],
            rho: [0.0; M],
            len: 0,
            next: 0,
        }
    }

    /// How many `(s, y)` pairs are stored (at most `M`).
    ///
    /// ```
    /// # use dualgrad::optim::Lbfgs;
    /// use nalgebra::SVector;
    /// let mut l = Lbfgs::<1, 2>::default();
    /// assert!(l.update(&SVector::from([1.0]), &SVector::from([2.0]))); // sᵀy = 2 > 0: stored
    /// assert!(!l.update(&SVector::from([1.0]), &SVector::from([-2.0]))); // sᵀy < 0: skipped
    /// assert_eq!(l.memory_len(), 1);
    /// ```
    pub fn memory_len(&self) -> usize {
        self.len
    }

    /// Store the pair `(s, y)` if it satisfies the curvature condition; returns whether it did.
    /// The oldest pair is dropped when the memory is full.
    ///
    /// ```
    /// # use dualgrad::optim::Lbfgs;
    /// # use nalgebra::SVector;
    /// let mut l = Lbfgs::<1, 1>::default();
    /// assert!(l.update(&SVector::from([0.5]), &SVector::from([1.0])));
    /// ```
    pub fn update(&mut self, s: &SVector<f64, N>, y: &SVector<f64, N>) -> bool {
        let sy = s.dot(y);
        let curved = sy.is_finite() && sy > f64::EPSILON.sqrt() * s.norm() * y.norm();
        if !curved {
            return false;
        }
        self.s[self.next] = *s;
        self.y[self.next] = *y;
        self.rho[self.next] = 1.0 / sy;
        self.next = (self.next + 1) % M;
        self.len = (self.len + 1).min(M);
        true
    }

    /// The quasi-Newton direction `−H̃ g` from the stored pairs (two-loop recursion).
    ///
    /// ```
    /// # use dualgrad::optim::Lbfgs;
    /// # use nalgebra::SVector;
    /// // On f = x², one pair s = 1, y = 2 gives the exact inverse Hessian 1/2.
    /// let mut l = Lbfgs::<1, 3>::default();
    /// l.update(&SVector::from([1.0]), &SVector::from([2.0]));
    /// assert_eq!(l.direction(&SVector::from([4.0])), SVector::from([-2.0]));
    /// ```
    pub fn direction(&self, grad: &SVector<f64, N>) -> SVector<f64, N> {
        if self.len == 0 {
            return -grad / grad.norm().max(1.0);
        }
        let mut q = *grad;
        let mut alpha = [0.0; M];
        // Newest to oldest.
        for k in 0..self.len {
            let i = (self.next + M - 1 - k) % M;
            alpha[i] = self.rho[i] * self.s[i].dot(&q);
            q -= self.y[i] * alpha[i];
        }
        let newest = (self.next + M - 1) % M;
        let gamma = self.s[newest].dot(&self.y[newest]) / self.y[newest].dot(&self.y[newest]);
        let mut r = q * gamma;
        // Oldest to newest.
        for k in (0..self.len).rev() {
            let i = (self.next + M - 1 - k) % M;
            let beta = self.rho[i] * self.y[i].dot(&r);
            r += self.s[i] * (alpha[i] - beta);
        }
        -r
    }

    /// Forget the stored pairs.
    ///
    /// ```
    /// # use dualgrad::optim::Lbfgs;
    /// # use nalgebra::SVector;
    /// let mut l = Lbfgs::<1, 3>::default();
    /// l.update(&SVector::from([1.0]), &SVector::from([2.0]));
    /// l.clear();
    /// assert_eq!(l.memory_len(), 0);
    /// ```
    pub fn clear(&mut self) {
        self.len = 0;
        self.next = 0;
    }
}

impl<const N: usize, const M: usize, L: LineSearch> Method<N> for Lbfgs<N, M, L> {
    fn iterate<F: ScalarFn<N>>(
        &mut self,
        f: &F,
        point: &mut Point<N>,
        evals: &mut Evaluations,
    ) -> Result<(), StopReason> {
        let g = &point.gradient;
        let mut d = self.direction(g);
        let mut slope = g.dot(&d);
        let descent = slope.is_finite() && slope < 0.0;
        if !descent {
            self.clear();
            d = self.direction(g);
            slope = g.dot(&d);
        }
        let next = match line_search_step(&self.line_search, f, point, slope, &d, evals) {
            Ok(next) => next,
            // The memory's direction led nowhere (a kink, a stale model): restart from the
            // scaled steepest descent before giving up.
            Err(_) if self.len > 0 => {
                self.clear();
                d = self.direction(g);
                slope = g.dot(&d);
                line_search_step(&self.line_search, f, point, slope, &d, evals)?
            }
            Err(reason) => return Err(reason),
        };
        self.update(&(next.x - point.x), &(next.gradient - point.gradient));
        *point = next;
        Ok(())
    }

    fn reset(&mut self) {
        self.clear();
    }
}
