//! Levenberg–Marquardt with a compressed Jacobian and a sparse Cholesky factorisation of the
//! damped normal equations, for problems with many parameters and few per residual.

use super::report::{LsqError, LsqStop};
use crate::numfmt::{Count, Sci};
use crate::sparse::{SliceFn, SparseJacobian};
use nalgebra::DVector;
use nalgebra_sparse::factorization::CscCholesky;
use nalgebra_sparse::pattern::SparsityPattern;
use nalgebra_sparse::{CscMatrix, CsrMatrix};
use std::fmt;

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
/// Forming `JᵀJ` squares the condition number, which the dense
/// [`LevenbergMarquardt`](super::LevenbergMarquardt) avoids with a QR factorisation; prefer it
/// for small or ill-conditioned problems, and this one when `n` is in the hundreds or more and
/// the Jacobian is sparse.
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
    xtol: f64,
    gtol: f64,
    max_iterations: usize,
}

impl Default for SparseLevenbergMarquardt {
    /// Initial damping `1e-3`, `xtol = 1e-13`, `gtol = 1e-15`, 1000 iterations (the rules of the
    /// dense solver).
    fn default() -> Self {
        Self {
            initial_damping: 1e-3,
            xtol: 1e-13,
            gtol: 1e-15,
            max_iterations: 1000,
        }
    }
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
    /// Iterations (accepted or rejected steps).
    pub iterations: usize,
    /// Residual evaluations (plain `f64`).
    pub residual_evaluations: usize,
    /// Jacobian evaluations (each `passes` compressed forward passes).
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
            "{} after {}: rss {}, {}, {} ({} colours, {} per Jacobian)",
            self.stop,
            Count(self.iterations, "iteration"),
            Sci(self.rss),
            Count(self.residual_evaluations, "residual evaluation"),
            Count(self.jacobian_evaluations, "Jacobian"),
            self.colours,
            Count(self.passes, "pass"),
        )
    }
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
        self.xtol = xtol;
        Ok(self)
    }

    /// Gradient tolerance: stop when every `|Jₖᵀr| / (‖Jₖ‖ ‖r‖) ≤ gtol`.
    ///
    /// # Errors
    /// [`LsqError::InvalidValue`] unless finite and `≥ 0`.
    pub fn with_gtol(mut self, gtol: f64) -> Result<Self, LsqError> {
        non_negative("gtol", gtol)?;
        self.gtol = gtol;
        Ok(self)
    }

    /// The iteration limit.
    pub fn with_max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Minimises `Σ rᵢ(x)²` for `m` residuals from `x0`.
    ///
    /// # Errors
    /// [`LsqError::TooFewResiduals`] if `m < x0.len()`; [`LsqError::NonFiniteStart`] if a
    /// residual or Jacobian entry is not finite at `x0`; [`LsqError::Overflow`] if their sum of
    /// squares overflows there.
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn solve<F: SliceFn>(
        &self,
        residuals: F,
        m: usize,
        x0: &[f64],
    ) -> Result<SparseLsqReport, LsqError> {
        let n = x0.len();
        if m < n {
            return Err(LsqError::TooFewResiduals {
                residuals: m,
                params: n,
            });
        }
        let mut jac = SparseJacobian::new(residuals, x0, m);
        let mut x = x0.to_vec();
        let mut r = vec![0.0; m];
        let j = jac.jacobian(&x, &mut r).expect("lengths as built");
        if let Some(row) = r.iter().position(|v| !v.is_finite()) {
            return Err(LsqError::NonFiniteStart { row });
        }
        if let Some((row, _, _)) = j.triplet_iter().find(|(_, _, v)| !v.is_finite()) {
            return Err(LsqError::NonFiniteStart { row });
        }
        let mut rss = sum_squares(&r);
        if !rss.is_finite() {
            let largest = r.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
            return Err(LsqError::Overflow { largest });
        }
        let normal = Normal::new(j);
        let mut a = normal.matrix.clone();
        let mut cholesky = None;
        let mut counts = (1, 1); // residual, Jacobian evaluations
        let mut scale = vec![0.0; n];
        let mut g = vec![0.0; n];
        let mut trial = vec![0.0; n];
        let mut r_trial = vec![0.0; m];
        let (mut lambda, mut nu) = (0.0, 2.0);
        let mut fresh = true; // J, g, JᵀJ at x are up to date
        let mut iterations = 0;
        let stop = loop {
            if rss == 0.0 {
                break LsqStop::ZeroResidual;
            }
            let j = jac.matrix();
            if fresh {
                normal.fill(j, &mut a);
                j.transpose_mul_into(&r, &mut g);
                for (k, s) in scale.iter_mut().enumerate() {
                    *s = f64::max(*s, a.values()[normal.diagonal[k]].sqrt());
                }
                let cosine = gradient_cosine(&g, &a, &normal.diagonal, rss);
                if cosine <= self.gtol {
                    break LsqStop::SmallGradient {
                        cosine,
                        tol: self.gtol,
                    };
                }
                if iterations == 0 {
                    let largest = normal
                        .diagonal
                        .iter()
                        .map(|&d| a.values()[d])
                        .fold(0.0, f64::max);
                    lambda = self.initial_damping * largest.max(f64::MIN_POSITIVE);
                }
            }
            if iterations >= self.max_iterations {
                break LsqStop::MaxIterations(iterations);
            }
            iterations += 1;
            // (JᵀJ + λ D²) δ = −g
            let mut damped = a.clone();
            for (k, &d) in normal.diagonal.iter().enumerate() {
                damped.values_mut()[d] += lambda * scale[k] * scale[k].max(f64::MIN_POSITIVE);
            }
            let csc = CscMatrix::try_from_pattern_and_values(
                normal.pattern.clone(),
                damped.values().to_vec(),
            )
            .expect("a symmetric pattern is its own transpose");
            let factored = match &mut cholesky {
                None => CscCholesky::factor(&csc).map(|c| cholesky = Some(c)),
                Some(c) => c.refactor(csc.values()),
            };
            if factored.is_err() {
                lambda *= nu;
                nu *= 2.0;
                fresh = false;
                if !lambda.is_finite() || lambda > 1e300 {
                    break LsqStop::NoProgress;
                }
                continue;
            }
            let c = cholesky.as_ref().expect("factored");
            let mut delta = DVector::from_iterator(n, g.iter().map(|v| -v));
            c.solve_mut(&mut delta);
            // predicted reduction of Σ r²: −2δᵀg − δᵀ(JᵀJ)δ
            let mut a_delta = vec![0.0; n];
            a.mul_into(delta.as_slice(), &mut a_delta);
            let predicted = -2.0 * dot(delta.as_slice(), &g) - dot(delta.as_slice(), &a_delta);
            for ((t, xi), d) in trial.iter_mut().zip(&x).zip(delta.iter()) {
                *t = xi + d;
            }
            jac.function().eval(&trial, &mut r_trial);
            counts.0 += 1;
            let rss_trial = sum_squares(&r_trial);
            let rho = if predicted > 0.0 && rss_trial.is_finite() {
                (rss - rss_trial) / predicted
            } else {
                -1.0
            };
            let step = norm_scaled(delta.as_slice(), &scale);
            let size = norm_scaled(&x, &scale);
            if rho > 0.0 {
                x.copy_from_slice(&trial);
                rss = rss_trial;
                jac.jacobian(&x, &mut r).expect("lengths as built");
                counts.1 += 1;
                fresh = true;
                lambda *= f64::max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0).powi(3));
                nu = 2.0;
            } else {
                fresh = false;
                lambda *= nu;
                nu *= 2.0;
            }
            if step <= self.xtol * (size + self.xtol) {
                break LsqStop::SmallStep {
                    step: step / size.max(f64::MIN_POSITIVE),
                    tol: self.xtol,
                };
            }
            if !lambda.is_finite() || lambda > 1e300 {
                break LsqStop::NoProgress;
            }
        };
        Ok(SparseLsqReport {
            params: x,
            rss,
            stop,
            iterations,
            residual_evaluations: counts.0,
            jacobian_evaluations: counts.1,
            colours: jac.colours(),
            passes: jac.passes(),
        })
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

/// The largest `|Jₖᵀr| / (‖Jₖ‖ ‖r‖)` over the columns with a nonzero norm.
fn gradient_cosine(g: &[f64], a: &CsrMatrix<f64>, diagonal: &[usize], rss: f64) -> f64 {
    let r_norm = rss.sqrt();
    g.iter()
        .zip(diagonal)
        .map(|(gk, &d)| {
            let col = a.values()[d].sqrt();
            if col > 0.0 {
                gk.abs() / (col * r_norm)
            } else {
                0.0
            }
        })
        .fold(0.0, f64::max)
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
