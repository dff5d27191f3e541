//! Sparse derivatives: sparsity patterns traced from the user's generic code, colourings, and
//! compressed forward passes whose number is set by the colours, not by the number of inputs.
//!
//! Forward mode pays one tangent per input: a gradient of `N` variables costs `N` tangents, a
//! dense Hessian `N²`. Most large problems have structure that removes this cost:
//!
//! 1. **Patterns.** The function written once over [`Scalar`](crate::Scalar) runs unchanged on
//!    [`Trace`], a scalar that records which inputs each value depends on, and which pairs meet
//!    nonlinearly: [`jacobian_pattern`], [`hessian_pattern`]. The pattern is that of the point
//!    traced: branches follow the values there.
//! 2. **Colourings.** Columns that never share a row can share a tangent
//!    ([`column_colouring`], Curtis–Powell–Reid); a symmetric Hessian can do better with a
//!    [`star_colouring`]. Both are greedy in the natural order, deterministic, and report their
//!    number of colours.
//! 3. **Compressed passes.** [`SparseJacobian`] evaluates a [`SliceFn`] on jets seeded with one
//!    direction per colour and recovers the Jacobian into a [`CsrMatrix`](nalgebra_sparse::CsrMatrix)
//!    or caller-provided dense storage; a banded Jacobian of any size takes as many passes as its
//!    bandwidth.
//! 4. **Sums of terms.** [`SparseSum`] differentiates `f = Σᵢ fᵢ` ([`TermSum`]), each term
//!    touching few variables: the gradient, the Hessian (the sum of the terms' Hessians) and the
//!    Hessian-vector product in as many passes as the terms' Jacobian has colours, so their cost
//!    is linear in the number of terms.
//!
//! Functions take slices (`&[T]`), not `SVector`s, so that the same code serves a thousand
//! variables without a thousand-element array on the stack; call `.as_slice()` on an `SVector`.
//! The patterns and sparse results are [`nalgebra_sparse`]'s types, re-exported at the crate root
//! as `dualgrad::nalgebra_sparse`. The guide page `docs/guide/sparse.md` walks through an example.
//!
//! ```
//! use dualgrad::Scalar;
//! use dualgrad::sparse::{SparseSum, TermSum};
//!
//! /// Σᵢ (xᵢ₊₁ − xᵢ)⁴: each term touches two neighbours
//! struct Chain;
//! impl TermSum for Chain {
//!     fn terms(&self) -> usize { 3 }
//!     fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
//!         (x[i + 1] - x[i]).powi(4)
//!     }
//! }
//! let x = [0.0, 1.0, 3.0, 6.0];
//! let mut sum = SparseSum::new(Chain, &x);
//! let mut g = [0.0; 4];
//! let f = sum.gradient(&x, &mut g).unwrap();
//! assert_eq!(f, 1.0 + 16.0 + 81.0);
//! // ∂/∂x₁ = 4(x₁ − x₀)³ − 4(x₂ − x₁)³ = 4 − 32
//! assert_eq!(g, [-4.0, -28.0, 32.0 - 108.0, 108.0]);
//! ```

mod auto;
mod colour;
mod jacobian;
mod pattern;
mod sum;
mod trace;

pub use auto::{AutoJacobian, JacobianMatrix, Storage};
pub use colour::{Colouring, column_colouring, star_colouring, star_sources};
pub use jacobian::{SliceFn, SparseJacobian};
/// A row-major pattern from unsorted rows with repeats (for the layers above).
pub(crate) use pattern::from_rows as pattern_from_rows;
pub use pattern::{hessian_pattern, jacobian_pattern, union};
pub use sum::{SparseSum, TermSum};
pub use trace::Trace;

use crate::Jet;
use std::fmt;

/// What a caller of the sparse derivatives can get wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SparseError {
    /// A slice or matrix of the wrong size.
    Length {
        /// Which argument.
        what: &'static str,
        /// The size given at construction.
        expected: usize,
        /// The size passed.
        found: usize,
    },
}

impl fmt::Display for SparseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length {
                what,
                expected,
                found,
            } => write!(
                f,
                "{what} has {found} entries, but the sparse derivative was built for {expected}"
            ),
        }
    }
}

impl std::error::Error for SparseError {}

fn check_len(what: &'static str, expected: usize, found: usize) -> Result<(), SparseError> {
    if expected == found {
        Ok(())
    } else {
        Err(SparseError::Length {
            what,
            expected,
            found,
        })
    }
}

/// Something per jet width: the compressed passes use the smallest of 1, 2, 4 and 8 tangents
/// that holds every colour (8 above 8 colours, in several passes).
#[derive(Clone, Debug)]
enum Width<A, B, C, D> {
    W1(A),
    W2(B),
    W4(C),
    W8(D),
}

impl<A, B, C, D> Width<A, B, C, D> {
    fn for_colours(
        colours: usize,
        a: impl FnOnce() -> A,
        b: impl FnOnce() -> B,
        c: impl FnOnce() -> C,
        d: impl FnOnce() -> D,
    ) -> Self {
        match colours {
            0 | 1 => Self::W1(a()),
            2 => Self::W2(b()),
            3 | 4 => Self::W4(c()),
            _ => Self::W8(d()),
        }
    }

    fn lanes(&self) -> usize {
        match self {
            Self::W1(_) => 1,
            Self::W2(_) => 2,
            Self::W4(_) => 4,
            Self::W8(_) => 8,
        }
    }
}

/// Seeds `xs` at `x` with the directions of the colours of `block` (colours `block·W ..
/// (block + 1)·W`): variable `j` gets tangent `1` in lane `colour(j) − block·W` if its colour is
/// in the block.
fn seed<const W: usize>(xs: &mut [Jet<f64, W>], x: &[f64], colours: &[usize], block: usize) {
    crate::scalar::prepare_tanh();
    for ((xj, &v), &c) in xs.iter_mut().zip(x).zip(colours) {
        *xj = Jet::constant(v);
        if c / W == block {
            xj.eps[c - block * W] = 1.0;
        }
    }
}
