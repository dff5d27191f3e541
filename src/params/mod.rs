//! A model's parameters: named, statically sized matrices that flatten to one `SVector<T, P>`.
//!
//! Each parameter set is a struct generic over the scalar `T` (so the same struct holds `f64`
//! values for inference and dual numbers for gradients) whose fields are `nalgebra` matrices and
//! vectors. [`ParamVector`] converts it to and from the flat vector that optimizers see, in a
//! documented order, and names every entry (`W1[2,0]`, `b1[2]`) for gradient-checker reports.
//!
//! | model | parameters |
//! |---|---|
//! | [`Dense`](crate::model::Dense), the regressions | [`DenseParams`] |
//! | [`Network`](crate::model::Network) | [`NetworkParams`] of [`LayerParams`] … [`DenseParams`] |
//! | [`Mlp1`](crate::model::Mlp1), [`Mlp2`](crate::model::Mlp2) (networks) | [`Mlp1Params`], [`Mlp2Params`] (their [`NetworkParams`]) |
//! | a hand-written model | any struct implementing [`ParamVector`], or `SVector<T, P>` itself |
//!
//! The count `P` is a const generic that stable Rust cannot compute from the layer sizes inside
//! generic code, so it is written in the type and checked at compile time; the error names the
//! right number (`P = 66, but the sizes give H*I + H + O*H + O = 67 parameters: write 67 for
//! P`), and [`network!`](crate::network) computes it for you.
//!
//! Initial weights are drawn by [`Init`] (Xavier or He, uniform) from [`seeded_rng`](crate::data::seeded_rng), a
//! [`ChaCha8Rng`](crate::data::ChaCha8Rng) whose stream is the same on every platform; [`Rng`](crate::data::Rng) is the trait
//! [`Model::init_with`](crate::model::Model::init_with) takes, re-exported with it so that user
//! code needs no `rand` dependency.
//!
//! ```
//! use dualgrad::params::{DenseParams, ParamVector};
//! use nalgebra::{SMatrix, SVector};
//! // one dense layer 2 → 1: W (1×2) row by row, then b
//! let p = DenseParams { w: SMatrix::<f64, 1, 2>::new(3.0, 4.0), b: SVector::from([5.0]) };
//! let v: SVector<f64, 3> = p.to_vector();
//! assert_eq!(v, SVector::from([3.0, 4.0, 5.0]));
//! let names: Vec<String> = <DenseParams<f64, 2, 1> as ParamVector<f64, 3>>::names().collect();
//! assert_eq!(names, ["W[0,0]", "W[0,1]", "b[0]"]);
//! ```

mod count;
mod dense;
mod init;
mod network;

pub use dense::DenseParams;
pub use init::Init;
pub use network::{LayerParams, LayersParams, Mlp1Params, Mlp2Params, NetworkParams};

pub(crate) use count::check_count;

use crate::Scalar;
use nalgebra::SVector;

/// Parameters that flatten to one `SVector<T, P>` and back, with a name for every entry.
///
/// `from_vector(&p.to_vector()) == p` for every implementor, and `param_name(i)` names entry `i`
/// of the flat vector. The blanket implementation for `SVector<T, P>` itself (the identity, with
/// names `p[i]`) lets a hand-written model use a plain vector.
///
/// ```
/// use dualgrad::params::{DenseParams, ParamVector};
/// use nalgebra::{SMatrix, SVector};
///
/// // one dense layer 2 -> 1: W (1×2) row-major, then b
/// let p = DenseParams { w: SMatrix::<f64, 1, 2>::new(3.0, 4.0), b: SVector::from([5.0]) };
/// let v: SVector<f64, 3> = p.to_vector();
/// assert_eq!(v, SVector::from([3.0, 4.0, 5.0]));
/// assert_eq!(DenseParams::<f64, 2, 1>::from_vector(&v), p);
/// let names: Vec<String> = <DenseParams<f64, 2, 1> as ParamVector<f64, 3>>::names().collect();
/// assert_eq!(names, ["W[0,0]", "W[0,1]", "b[0]"]);
/// ```
pub trait ParamVector<T: Scalar, const P: usize>: Sized {
    /// Flatten into one vector, in the documented order of the implementor.
    fn to_vector(&self) -> SVector<T, P>;

    /// Rebuild from a flat vector (the inverse of [`to_vector`](ParamVector::to_vector)).
    fn from_vector(v: &SVector<T, P>) -> Self;

    /// The name of entry `i` of the flat vector, e.g. `W1[2,0]` (row 2, column 0 of the first
    /// layer's weights) or `b1[2]`.
    ///
    /// # Panics
    /// If `i >= P` (an index out of range, a bug in the caller).
    fn param_name(i: usize) -> String;

    /// Whether the L2 penalty applies to entry `i`. Weights are penalised, biases are not; the
    /// default penalises every entry.
    ///
    /// ```
    /// use dualgrad::params::{DenseParams, ParamVector};
    /// // entries 0 and 1 are the weights, entry 2 the bias
    /// assert!(<DenseParams<f64, 2, 1> as ParamVector<f64, 3>>::penalised(1));
    /// assert!(!<DenseParams<f64, 2, 1> as ParamVector<f64, 3>>::penalised(2));
    /// ```
    fn penalised(i: usize) -> bool {
        let _ = i;
        true
    }

    /// The names of all `P` entries, in order.
    ///
    /// ```
    /// use dualgrad::params::ParamVector;
    /// use nalgebra::SVector;
    /// let names: Vec<String> = <SVector<f64, 2> as ParamVector<f64, 2>>::names().collect();
    /// assert_eq!(names, ["p[0]", "p[1]"]);
    /// ```
    fn names() -> impl Iterator<Item = String> {
        (0..P).map(Self::param_name)
    }
}

/// A plain vector is its own flat form; entry `i` is named `p[i]`.
impl<T: Scalar, const P: usize> ParamVector<T, P> for SVector<T, P> {
    #[inline]
    fn to_vector(&self) -> SVector<T, P> {
        *self
    }
    #[inline]
    fn from_vector(v: &SVector<T, P>) -> Self {
        *v
    }
    fn param_name(i: usize) -> String {
        assert!(i < P, "parameter index {i} out of range for {P} parameters");
        format!("p[{i}]")
    }
}

/// Write the row-major entries of `m` into `out[offset..]`; returns the next offset.
#[inline]
pub(crate) fn write_matrix<T: Scalar, const R: usize, const C: usize, const P: usize>(
    m: &nalgebra::SMatrix<T, R, C>,
    out: &mut SVector<T, P>,
    offset: usize,
) -> usize {
    for r in 0..R {
        for c in 0..C {
            out[offset + r * C + c] = m[(r, c)];
        }
    }
    offset + R * C
}

/// Write the entries of `v` into `out[offset..]`; returns the next offset.
#[inline]
pub(crate) fn write_vector<T: Scalar, const R: usize, const P: usize>(
    v: &SVector<T, R>,
    out: &mut SVector<T, P>,
    offset: usize,
) -> usize {
    for r in 0..R {
        out[offset + r] = v[r];
    }
    offset + R
}

/// Read a row-major `R × C` matrix from `v[offset..]`; returns it and the next offset.
#[inline]
pub(crate) fn read_matrix<T: Scalar, const R: usize, const C: usize, const P: usize>(
    v: &SVector<T, P>,
    offset: usize,
) -> (nalgebra::SMatrix<T, R, C>, usize) {
    let m = nalgebra::SMatrix::from_fn(|r, c| v[offset + r * C + c]);
    (m, offset + R * C)
}

/// Read a vector of length `R` from `v[offset..]`; returns it and the next offset.
#[inline]
pub(crate) fn read_vector<T: Scalar, const R: usize, const P: usize>(
    v: &SVector<T, P>,
    offset: usize,
) -> (SVector<T, R>, usize) {
    (SVector::from_fn(|r, _| v[offset + r]), offset + R)
}

/// One block of a parameter layout: a row-major matrix named `name` with `rows × cols` entries.
#[derive(Clone, Copy)]
pub(crate) struct Block {
    pub name: &'static str,
    pub rows: usize,
    pub cols: usize,
    pub is_bias: bool,
}

impl Block {
    /// A weight matrix, `rows × cols`.
    pub(crate) const fn weight(name: &'static str, rows: usize, cols: usize) -> Self {
        Self {
            name,
            rows,
            cols,
            is_bias: false,
        }
    }

    /// A bias vector of length `rows`.
    pub(crate) const fn bias(name: &'static str, rows: usize) -> Self {
        Self {
            name,
            rows,
            cols: 1,
            is_bias: true,
        }
    }
}

/// The block entry `i` falls in, and its index inside that block.
fn find_block(blocks: &[Block], mut i: usize) -> (&Block, usize) {
    for b in blocks {
        let n = b.rows * b.cols;
        if i < n {
            return (b, i);
        }
        i -= n;
    }
    panic!("parameter index out of range for this layout")
}

/// Find which block entry `i` falls in and name it: `W1[r,c]` or `b1[r]`.
pub(crate) fn block_name(blocks: &[Block], i: usize) -> String {
    let (b, i) = find_block(blocks, i);
    if b.is_bias {
        format!("{}[{}]", b.name, i)
    } else {
        format!("{}[{},{}]", b.name, i / b.cols, i % b.cols)
    }
}

/// Whether entry `i` falls in a weight block (not a bias).
pub(crate) fn block_is_weight(blocks: &[Block], i: usize) -> bool {
    !find_block(blocks, i).0.is_bias
}
