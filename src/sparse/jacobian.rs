//! Compressed Jacobians of slice functions `Rⁿ → Rᵐ`.

use super::colour::{Colouring, column_colouring};
use super::pattern::jacobian_pattern;
use super::{SparseError, Width, check_len, seed};
use crate::{Jet, Scalar};
use nalgebra::DMatrix;
use nalgebra_sparse::CsrMatrix;
use nalgebra_sparse::pattern::SparsityPattern;

/// A function `Rⁿ → Rᵐ` on slices, written once over [`Scalar`]: the form the sparse Jacobian
/// takes, because it runs the function on a pattern-tracing scalar and on jets.
///
/// `eval` reads `x` (length `n`) and writes every entry of `y` (length `m`, zeros on entry).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::SliceFn;
/// /// yᵢ = xᵢ² − xᵢ₊₁ (a bidiagonal Jacobian)
/// struct Chain;
/// impl SliceFn for Chain {
///     fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
///         for i in 0..y.len() {
///             y[i] = x[i] * x[i] - x[i + 1];
///         }
///     }
/// }
/// let mut y = [0.0; 2];
/// Chain.eval(&[1.0, 2.0, 3.0], &mut y);
/// assert_eq!(y, [-1.0, 1.0]);
/// ```
pub trait SliceFn {
    /// Evaluate at `x` into `y`, for any scalar type.
    fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]);
}

impl<F: SliceFn + ?Sized> SliceFn for &F {
    fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
        (**self).eval(x, y);
    }
}

/// Buffers of one jet width: inputs and outputs.
#[derive(Clone, Debug)]
struct Buffers<const W: usize> {
    x: Vec<Jet<f64, W>>,
    y: Vec<Jet<f64, W>>,
}

impl<const W: usize> Buffers<W> {
    fn new(n: usize, m: usize) -> Self {
        Self {
            x: vec![Jet::constant(0.0); n],
            y: vec![Jet::constant(0.0); m],
        }
    }
}

/// The sparse Jacobian of a [`SliceFn`]: pattern and colouring found once, then any number of
/// Jacobians at new points, each in `⌈colours / W⌉` forward passes of width `W`.
///
/// **Passes.** Jet widths are compile-time constants and the number of colours `c` is known
/// only at run time, so the width is chosen among 1, 2, 4 and 8 as the smallest that holds all
/// colours (8 when `c > 8`), and the Jacobian takes `⌈c / W⌉` evaluations of the function
/// ([`passes`](Self::passes)). A banded Jacobian of half-bandwidth `k` has `2k + 1` colours
/// whatever `n` is.
///
/// **Reuse and allocation.** [`new`](Self::new) traces the pattern at one point (branches follow
/// the values there: see [`jacobian_pattern`]) and allocates every buffer; [`jacobian`](Self::jacobian)
/// and [`jacobian_dense`](Self::jacobian_dense) then allocate nothing, at any point whose branches
/// give the same pattern.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::{SliceFn, SparseJacobian};
///
/// /// yᵢ = xᵢ² − xᵢ₊₁
/// struct Chain;
/// impl SliceFn for Chain {
///     fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
///         for i in 0..y.len() {
///             y[i] = x[i] * x[i] - x[i + 1];
///         }
///     }
/// }
/// let x = [1.0, 2.0, 3.0, 4.0];
/// let mut jac = SparseJacobian::new(Chain, &x, 3);
/// assert_eq!((jac.colours(), jac.passes()), (2, 1));
/// let mut y = [0.0; 3];
/// let j = jac.jacobian(&x, &mut y).unwrap();
/// assert_eq!(y, [-1.0, 1.0, 5.0]);
/// // ∂yᵢ/∂xᵢ = 2xᵢ, ∂yᵢ/∂xᵢ₊₁ = −1
/// assert_eq!(j.get_entry(1, 1).unwrap().into_value(), 4.0);
/// assert_eq!(j.get_entry(1, 2).unwrap().into_value(), -1.0);
/// assert_eq!(j.nnz(), 6);
/// ```
#[derive(Clone, Debug)]
pub struct SparseJacobian<F> {
    f: F,
    colouring: Colouring,
    matrix: CsrMatrix<f64>,
    width: Width<Buffers<1>, Buffers<2>, Buffers<4>, Buffers<8>>,
}

impl<F: SliceFn> SparseJacobian<F> {
    /// Traces the pattern of `f` at `x` (with `m` outputs), colours its columns and allocates the
    /// buffers of the compressed passes.
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn new(f: F, x: &[f64], m: usize) -> Self {
        let pattern = jacobian_pattern(|x, y| f.eval(x, y), x, m);
        let colouring = column_colouring(&pattern);
        let (n, c) = (x.len(), colouring.count());
        let width = Width::for_colours(
            c,
            || Buffers::new(n, m),
            || Buffers::new(n, m),
            || Buffers::new(n, m),
            || Buffers::new(n, m),
        );
        let nnz = pattern.nnz();
        let matrix = CsrMatrix::try_from_pattern_and_values(pattern, vec![0.0; nnz])
            .expect("as many values as entries");
        Self {
            f,
            colouring,
            matrix,
            width,
        }
    }

    /// The Jacobian's sparsity pattern (rows are outputs).
    pub fn pattern(&self) -> &SparsityPattern {
        self.matrix.pattern()
    }

    /// The number of colours of the column colouring.
    pub fn colours(&self) -> usize {
        self.colouring.count()
    }

    /// The function.
    pub fn function(&self) -> &F {
        &self.f
    }

    /// The Jacobian of the last call to [`jacobian`](Self::jacobian) (zeros before the first).
    pub fn matrix(&self) -> &CsrMatrix<f64> {
        &self.matrix
    }

    /// The column colouring.
    pub fn colouring(&self) -> &Colouring {
        &self.colouring
    }

    /// Forward passes per Jacobian: `⌈colours / width⌉` (at least 1, for the values).
    pub fn passes(&self) -> usize {
        self.colouring.count().div_ceil(self.width.lanes()).max(1)
    }

    /// The values `y = f(x)` and the Jacobian at `x`, in the pattern found at construction.
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x` or `y` does not have the length given at construction.
    pub fn jacobian(&mut self, x: &[f64], y: &mut [f64]) -> Result<&CsrMatrix<f64>, SparseError> {
        let Self {
            f,
            colouring,
            matrix,
            width,
        } = self;
        check_len("x", matrix.ncols(), x.len())?;
        check_len("y", matrix.nrows(), y.len())?;
        let (offsets, cols, values) = matrix.csr_data_mut();
        let mut put = |row: usize, block: usize, w: usize, eps: &[f64]| {
            for e in offsets[row]..offsets[row + 1] {
                let c = colouring.colours()[cols[e]];
                if c / w == block {
                    values[e] = eps[c - block * w];
                }
            }
        };
        match width {
            Width::W1(b) => passes(f, colouring, b, x, y, &mut put),
            Width::W2(b) => passes(f, colouring, b, x, y, &mut put),
            Width::W4(b) => passes(f, colouring, b, x, y, &mut put),
            Width::W8(b) => passes(f, colouring, b, x, y, &mut put),
        }
        Ok(&self.matrix)
    }

    /// The values and the Jacobian at `x`, written into caller-provided dense storage (`m × n`;
    /// entries outside the pattern are set to zero).
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x`, `y` or `jacobian` does not have the shape given at
    /// construction.
    pub fn jacobian_dense(
        &mut self,
        x: &[f64],
        y: &mut [f64],
        jacobian: &mut DMatrix<f64>,
    ) -> Result<(), SparseError> {
        check_len("jacobian rows", self.matrix.nrows(), jacobian.nrows())?;
        check_len("jacobian columns", self.matrix.ncols(), jacobian.ncols())?;
        let j = self.jacobian(x, y)?;
        jacobian.fill(0.0);
        for (r, c, v) in j.triplet_iter() {
            jacobian[(r, c)] = *v;
        }
        Ok(())
    }
}

/// The compressed passes at width `W`: `put(row, block, W, tangents)` stores a row's tangents.
fn passes<F: SliceFn, const W: usize>(
    f: &F,
    colouring: &Colouring,
    b: &mut Buffers<W>,
    x: &[f64],
    y: &mut [f64],
    put: &mut impl FnMut(usize, usize, usize, &[f64]),
) {
    let blocks = colouring.count().div_ceil(W).max(1);
    for block in 0..blocks {
        seed(&mut b.x, x, colouring.colours(), block);
        b.y.fill(Jet::constant(0.0));
        f.eval(&b.x, &mut b.y);
        for (i, out) in b.y.iter().enumerate() {
            y[i] = out.re;
            put(i, block, W, &out.eps);
        }
    }
}
