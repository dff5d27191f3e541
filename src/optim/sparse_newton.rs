//! Newton and Newton–CG on a sum of terms with a sparse Hessian ([`SparseSum`]): for problems
//! of thousands of variables whose Hessian a few compressed passes give.

use super::stop::StopReason;
use crate::numfmt::{Count, Sci};
use crate::sparse::{SparseSum, TermSum};
use nalgebra::DVector;
use nalgebra_sparse::factorization::CscCholesky;
use nalgebra_sparse::{CscMatrix, CsrMatrix};
use std::fmt;

/// How [`SparseNewton`] solves for its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SparseDirection {
    /// `(H + μI) p = −∇f` by a sparse Cholesky factorisation (natural ordering: fill-in stays in
    /// the band of a banded `H`), `μ = 0` when `H` is positive definite, otherwise the first of
    /// `β, 2β, 4β, …` that makes it so, `β = 10⁻³ maxᵢⱼ |Hᵢⱼ|` (Nocedal and Wright's Cholesky
    /// with added multiple of the identity).
    Cholesky,
    /// Truncated conjugate gradients on `H p = −∇f` (at most `max_cg` iterations, stopped on
    /// negative curvature or at the relative residual `min(½, √‖∇f‖)`), `H v` as the sparse
    /// product with the Hessian of this iterate.
    ConjugateGradient {
        /// The iteration limit of one inner solve.
        max_cg: usize,
    },
}

/// Newton's method on a [`TermSum`] with the sparse Hessian of [`SparseSum`], and a backtracking
/// (Armijo) line search.
///
/// Each iteration costs one [`SparseSum::hessian`] (value, gradient and Hessian in as many
/// compressed passes as the terms' variables have colours) and the solve of its
/// [`SparseDirection`]. At a point where the gradient vanishes the Hessian decides, as for the
/// dense methods: when `H` has no Cholesky factorisation there, power iteration on
/// `‖H‖₁ I − H` looks for a direction of negative curvature; if its Rayleigh quotient `vᵀHv / vᵀv`
/// is negative the run stops with [`StopReason::SaddlePoint`] (that quotient, an upper bound of the
/// smallest eigenvalue, as `min_eigenvalue`), otherwise (a singular, positive semi-definite `H`)
/// with convergence. The line search is a backtracking Armijo search (`c₁ = 10⁻⁴`, halving, 60
/// trials) on slices, as [`Armijo`](super::Armijo) does on static vectors.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::optim::{SparseDirection, SparseNewton};
/// use dualgrad::sparse::TermSum;
///
/// struct Rosenbrock { n: usize }
/// impl TermSum for Rosenbrock {
///     fn terms(&self) -> usize { self.n - 1 }
///     fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
///         let a = -x[i] + 1.0;
///         let b = x[i + 1] - x[i] * x[i];
///         a * a + b * b * 100.0
///     }
/// }
/// let x0: Vec<f64> = (0..500).map(|i| 1.0 + 0.3 * (i as f64).sin()).collect();
/// for direction in [SparseDirection::Cholesky, SparseDirection::ConjugateGradient { max_cg: 50 }] {
///     let report = SparseNewton::new(direction).minimize(Rosenbrock { n: 500 }, &x0);
///     assert!(report.stop.converged(), "{report}");
///     assert!(report.x.iter().all(|x| (x - 1.0).abs() < 1e-8));
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SparseNewton {
    direction: SparseDirection,
    gtol: f64,
    max_iterations: usize,
}

/// What [`SparseNewton::minimize`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseNewtonReport {
    /// The last point at which the value and gradient were finite.
    pub x: Vec<f64>,
    /// The value there.
    pub f: f64,
    /// The gradient's Euclidean norm there.
    pub gradient_norm: f64,
    /// Why it stopped.
    pub stop: StopReason,
    /// Newton iterations (one Hessian each).
    pub iterations: usize,
    /// Plain evaluations of the sum in the line searches.
    pub value_evaluations: usize,
}

impl fmt::Display for SparseNewtonReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} after {}: f = {}, |g| = {}",
            self.stop,
            Count(self.iterations, "iteration"),
            Sci(self.f),
            Sci(self.gradient_norm)
        )
    }
}

impl SparseNewton {
    /// A solver with this direction, gradient tolerance `1e-9` (Euclidean norm) and 200
    /// iterations.
    pub fn new(direction: SparseDirection) -> Self {
        Self {
            direction,
            gtol: 1e-9,
            max_iterations: 200,
        }
    }

    /// Stop when `‖∇f‖ ≤ gtol` (and the Hessian there is positive definite).
    pub fn with_gtol(mut self, gtol: f64) -> Self {
        self.gtol = gtol;
        self
    }

    /// The iteration limit.
    pub fn with_max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Minimises `f` from `x0`. The pattern and colouring are traced at `x0`.
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn minimize<F: TermSum>(&self, f: F, x0: &[f64]) -> SparseNewtonReport {
        let n = x0.len();
        let mut sum = SparseSum::new(f, x0);
        let mut x = x0.to_vec();
        let mut g = vec![0.0; n];
        let mut trial = vec![0.0; n];
        let mut p = vec![0.0; n];
        let mut cholesky: Option<CscCholesky<f64>> = None;
        let mut cg = Cg::new(n);
        let mut value_evaluations = 0;
        let mut last = (x.clone(), f64::NAN, f64::NAN);
        let mut iterations = 0;
        let stop = loop {
            let (value, h) = sum.hessian(&x, &mut g).expect("lengths as built");
            let norm = dot(&g, &g).sqrt();
            if !value.is_finite() || !norm.is_finite() {
                x.clone_from(&last.0);
                break StopReason::Diverged {
                    loss: value,
                    grad_norm: norm,
                };
            }
            last = (x.clone(), value, norm);
            if norm <= self.gtol {
                if !positive_definite(h, &mut cholesky, 0.0) {
                    let rayleigh = negative_curvature(h);
                    if rayleigh < 0.0 {
                        break StopReason::SaddlePoint {
                            norm,
                            min_eigenvalue: rayleigh,
                        };
                    }
                }
                break StopReason::GradientTolerance {
                    norm,
                    tol: self.gtol,
                };
            }
            if iterations >= self.max_iterations {
                break StopReason::MaxIterations(iterations);
            }
            iterations += 1;
            match self.direction {
                SparseDirection::Cholesky => {
                    let scale = h.values().iter().fold(0.0_f64, |a, v| a.max(v.abs()));
                    let mut shift = 0.0;
                    while !positive_definite(h, &mut cholesky, shift) {
                        shift = if shift == 0.0 {
                            1e-3 * scale.max(f64::MIN_POSITIVE)
                        } else {
                            shift * 2.0
                        };
                    }
                    let c = cholesky.as_ref().expect("factored");
                    let mut d = DVector::from_iterator(n, g.iter().map(|v| -v));
                    c.solve_mut(&mut d);
                    p.copy_from_slice(d.as_slice());
                }
                SparseDirection::ConjugateGradient { max_cg } => {
                    cg.solve(h, &g, norm, max_cg, &mut p);
                }
            }
            // Armijo backtracking
            let slope = dot(&g, &p);
            let mut step = 1.0;
            let mut accepted = false;
            for _ in 0..60 {
                for ((t, xi), pi) in trial.iter_mut().zip(&x).zip(&p) {
                    *t = xi + step * pi;
                }
                value_evaluations += 1;
                let ft = sum.function().value(&trial);
                if ft.is_finite() && ft <= value + 1e-4 * step * slope {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if !accepted || slope >= 0.0 {
                break StopReason::LineSearchFailed;
            }
            x.copy_from_slice(&trial);
        };
        let (_, f, gradient_norm) = last;
        SparseNewtonReport {
            x,
            f,
            gradient_norm,
            stop,
            iterations,
            value_evaluations,
        }
    }
}

/// Whether `H + shift·I` has a Cholesky factorisation (kept in `cholesky`, its symbolic part
/// reused across calls).
fn positive_definite(
    h: &CsrMatrix<f64>,
    cholesky: &mut Option<CscCholesky<f64>>,
    shift: f64,
) -> bool {
    let mut values = h.values().to_vec();
    for (k, (i, j, _)) in h.triplet_iter().enumerate() {
        if i == j {
            values[k] += shift;
        }
    }
    // the diagonal must be stored for the shift to apply: a row without it is not positive
    // definite unless the shift is zero and the row is empty (which Cholesky rejects anyway)
    let csc = CscMatrix::try_from_pattern_and_values(h.pattern().clone(), values)
        .expect("a symmetric pattern is its own transpose");
    match cholesky {
        Some(c) => c.refactor(csc.values()).is_ok(),
        None => match CscCholesky::factor(&csc) {
            Ok(c) => {
                *cholesky = Some(c);
                true
            }
            Err(_) => false,
        },
    }
}

/// The Rayleigh quotient `vᵀHv / vᵀv` after 500 power iterations on `‖H‖₁ I − H` (which
/// converge to the eigenvector of `H`'s smallest eigenvalue), from a fixed start.
fn negative_curvature(h: &CsrMatrix<f64>) -> f64 {
    let n = h.nrows();
    let bound = (0..n)
        .map(|i| h.row(i).values().iter().map(|v| v.abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let mut v: Vec<f64> = (0..n).map(|i| 1.0 + 0.1 * (i as f64).sin()).collect();
    let mut hv = vec![0.0; n];
    for _ in 0..500 {
        mul(h, &v, &mut hv);
        for (vi, hvi) in v.iter_mut().zip(&hv) {
            *vi = bound * *vi - hvi;
        }
        let norm = dot(&v, &v).sqrt();
        if norm == 0.0 || !norm.is_finite() {
            return 0.0;
        }
        v.iter_mut().for_each(|vi| *vi /= norm);
    }
    mul(h, &v, &mut hv);
    dot(&v, &hv) / dot(&v, &v)
}

/// The buffers of truncated conjugate gradients.
struct Cg {
    r: Vec<f64>,
    d: Vec<f64>,
    hd: Vec<f64>,
}

impl Cg {
    fn new(n: usize) -> Self {
        Self {
            r: vec![0.0; n],
            d: vec![0.0; n],
            hd: vec![0.0; n],
        }
    }

    /// `p ≈ −H⁻¹g`; on negative curvature at the first iteration, `p = −g`.
    fn solve(&mut self, h: &CsrMatrix<f64>, g: &[f64], norm: f64, max_cg: usize, p: &mut [f64]) {
        let tol = norm * f64::min(0.5, norm.sqrt());
        p.fill(0.0);
        for ((r, d), gi) in self.r.iter_mut().zip(&mut self.d).zip(g) {
            *r = -gi;
            *d = -gi;
        }
        let mut rr = dot(&self.r, &self.r);
        for k in 0..max_cg.max(1) {
            mul(h, &self.d, &mut self.hd);
            let curvature = dot(&self.d, &self.hd);
            if curvature <= 0.0 {
                if k == 0 {
                    p.copy_from_slice(&self.d);
                }
                return;
            }
            let alpha = rr / curvature;
            for (pi, di) in p.iter_mut().zip(&self.d) {
                *pi += alpha * di;
            }
            for (ri, hdi) in self.r.iter_mut().zip(&self.hd) {
                *ri -= alpha * hdi;
            }
            let rr_next = dot(&self.r, &self.r);
            if rr_next.sqrt() <= tol {
                return;
            }
            let beta = rr_next / rr;
            rr = rr_next;
            for (di, ri) in self.d.iter_mut().zip(&self.r) {
                *di = ri + beta * *di;
            }
        }
    }
}

/// `out = H v`.
fn mul(h: &CsrMatrix<f64>, v: &[f64], out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        let row = h.row(i);
        *o = row
            .col_indices()
            .iter()
            .zip(row.values())
            .map(|(&j, a)| a * v[j])
            .sum();
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
