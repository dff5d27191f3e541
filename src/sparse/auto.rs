//! Dense or sparse storage of a Jacobian, chosen from the density of its traced pattern.

use super::{SliceFn, SparseError, SparseJacobian};
use nalgebra::DMatrix;
use nalgebra_sparse::CsrMatrix;
use std::fmt;

/// Where an [`AutoJacobian`] keeps its Jacobian.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A dense `m × n` matrix ([`DMatrix`]).
    Dense,
    /// A compressed-row sparse matrix ([`CsrMatrix`]) in the traced pattern.
    Sparse,
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Dense => "dense",
            Self::Sparse => "sparse",
        })
    }
}

/// The Jacobian an [`AutoJacobian`] hands back, in the storage it chose.
#[derive(Clone, Copy, Debug)]
pub enum JacobianMatrix<'a> {
    /// Dense storage (a dense pattern).
    Dense(&'a DMatrix<f64>),
    /// Sparse storage (a sparse pattern).
    Sparse(&'a CsrMatrix<f64>),
}

impl JacobianMatrix<'_> {
    /// Entry `(i, j)` (zero outside the pattern).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        match self {
            Self::Dense(d) => d[(i, j)],
            Self::Sparse(s) => s.get_entry(i, j).map_or(0.0, |e| e.into_value()),
        }
    }

    /// `out = J v`.
    ///
    /// # Panics
    /// If `v` or `out` does not match the Jacobian's shape.
    pub fn mul_into(&self, v: &[f64], out: &mut [f64]) {
        match self {
            Self::Dense(d) => {
                assert!(v.len() == d.ncols() && out.len() == d.nrows(), "shapes");
                out.fill(0.0);
                for (j, col) in d.column_iter().enumerate() {
                    let vj = v[j];
                    for (o, a) in out.iter_mut().zip(col.iter()) {
                        *o += a * vj;
                    }
                }
            }
            Self::Sparse(s) => {
                assert!(v.len() == s.ncols() && out.len() == s.nrows(), "shapes");
                for (i, row) in s.row_iter().enumerate() {
                    out[i] = row
                        .col_indices()
                        .iter()
                        .zip(row.values())
                        .map(|(&j, a)| a * v[j])
                        .sum();
                }
            }
        }
    }
}

/// A Jacobian whose storage, dense or sparse, is chosen from the traced pattern.
///
/// The pattern of `f` is traced at construction and its columns coloured (as for
/// [`SparseJacobian`]); each Jacobian is then computed by the compressed passes, whose number
/// is set by the colours, never more than the dense forward mode's. What the pattern decides
/// is the storage: a pattern with a density (nonzeros over `m n`) of at most
/// [`DENSITY_THRESHOLD`](Self::DENSITY_THRESHOLD) is kept as a [`CsrMatrix`], a denser one in
/// a [`DMatrix`], where products and factorisations run without indices. The choice is
/// reported by [`storage`](Self::storage) and [`density`](Self::density).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::{AutoJacobian, JacobianMatrix, SliceFn, Storage};
///
/// /// yᵢ = xᵢ² − xᵢ₊₁: two nonzeros a row.
/// struct Banded;
/// impl SliceFn for Banded {
///     fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
///         for i in 0..y.len() {
///             y[i] = x[i] * x[i] - x[(i + 1) % x.len()];
///         }
///     }
/// }
/// /// yᵢ = xᵢ Σ x: every output reads every input.
/// struct Full;
/// impl SliceFn for Full {
///     fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
///         let s = x.iter().fold(T::zero(), |a, &v| a + v);
///         for i in 0..y.len() {
///             y[i] = x[i] * s;
///         }
///     }
/// }
/// let x = vec![1.0; 50];
/// let mut y = vec![0.0; 50];
/// let mut banded = AutoJacobian::new(Banded, &x, 50);
/// assert_eq!(banded.storage(), Storage::Sparse);
/// assert!(matches!(banded.jacobian(&x, &mut y).unwrap(), JacobianMatrix::Sparse(_)));
/// let mut full = AutoJacobian::new(Full, &x, 50);
/// assert_eq!((full.storage(), full.density()), (Storage::Dense, 1.0));
/// let j = full.jacobian(&x, &mut y).unwrap();
/// // ∂yᵢ/∂xᵢ = Σx + xᵢ = 51, ∂yᵢ/∂xⱼ = xᵢ = 1
/// assert_eq!((j.get(3, 3), j.get(3, 4)), (51.0, 1.0));
/// ```
#[derive(Clone, Debug)]
pub struct AutoJacobian<F> {
    sparse: SparseJacobian<F>,
    dense: Option<DMatrix<f64>>,
    density: f64,
}

impl<F: SliceFn> AutoJacobian<F> {
    /// The largest density kept in sparse storage, chosen by measurement (the `auto` rows of
    /// `benches/sparse.rs`, in docs/performance.md): one Jacobian of a band at `m = n = 400`
    /// and the two products `J v`, `Jᵀw` of a least-squares step cost 7.6× fewer instructions
    /// in compressed-row storage than in dense storage at density 0.02, 1.5× at 0.1, 1.14× at
    /// 0.2 and 1.045× at 0.3, then under 2.5 % more (and the same time to within the noise
    /// from 0.2 on). Above 0.3 the sparse storage no longer pays for its indices, and the dense
    /// matrix serves the dense algorithms (a QR of `J`, never `JᵀJ`).
    pub const DENSITY_THRESHOLD: f64 = 0.3;

    /// Traces `f` at `x` (with `m` outputs), colours the columns and chooses the storage by
    /// [`DENSITY_THRESHOLD`](Self::DENSITY_THRESHOLD).
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn new(f: F, x: &[f64], m: usize) -> Self {
        Self::with_threshold(f, x, m, Self::DENSITY_THRESHOLD)
    }

    /// As [`new`](Self::new) with another threshold (`0` for dense storage unless the pattern
    /// is empty, `1` for sparse storage always).
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn with_threshold(f: F, x: &[f64], m: usize, threshold: f64) -> Self {
        let sparse = SparseJacobian::new(f, x, m);
        let cells = (m * x.len()).max(1) as f64;
        let density = sparse.pattern().nnz() as f64 / cells;
        let dense = (density > threshold).then(|| DMatrix::zeros(m, x.len()));
        Self {
            sparse,
            dense,
            density,
        }
    }

    /// The storage chosen.
    pub fn storage(&self) -> Storage {
        if self.dense.is_some() {
            Storage::Dense
        } else {
            Storage::Sparse
        }
    }

    /// Nonzeros of the traced pattern over `m n`.
    pub fn density(&self) -> f64 {
        self.density
    }

    /// Colours of the Jacobian's columns (forward passes: `⌈colours / width⌉`).
    pub fn colours(&self) -> usize {
        self.sparse.colours()
    }

    /// The values `y = f(x)` and the Jacobian at `x`, in the storage chosen.
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x` or `y` does not have the length given at construction.
    pub fn jacobian(
        &mut self,
        x: &[f64],
        y: &mut [f64],
    ) -> Result<JacobianMatrix<'_>, SparseError> {
        match &mut self.dense {
            Some(d) => {
                self.sparse.jacobian_dense(x, y, d)?;
                Ok(JacobianMatrix::Dense(d))
            }
            None => Ok(JacobianMatrix::Sparse(self.sparse.jacobian(x, y)?)),
        }
    }
}
