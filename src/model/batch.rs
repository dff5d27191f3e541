//! Loss and gradient over a batch of samples by the generic path: the model's forward pass with
//! the parameters as dual numbers.

use super::{Loss, Model};
use crate::data::Dataset;
use crate::params::ParamVector;
use crate::{Chunk, Scalar, gradient_chunked};
use nalgebra::SVector;

/// Models with at most this many parameters take the generic gradient in one pass with `P`
/// tangents; above it, in passes of [`GENERIC_CHUNK`] tangents.
///
/// Chosen by measurement (release build, thread CPU time, tanh MLPs with softmax
/// cross-entropy over the 150 iris samples): one pass is 1.4× faster than chunks of 16 or 32
/// at `P = 67` (the 4-8-3 iris MLP) and faster still below; chunks of 32 are 1.2× faster at
/// `P = 83`, 1.1× at `P = 99`, and 1.8–2.1× at `P = 131` and `P = 139`. A wide dual is
/// cheap per tangent until it no longer fits the cache, while every chunk repeats the whole
/// forward pass.
///
/// ```
/// // the iris MLP 4-8-3 has 4·8 + 8 + 8·3 + 3 = 67 parameters: one pass
/// assert!(67 <= dualgrad::model::tuning::GENERIC_SINGLE_PASS_MAX);
/// ```
pub const GENERIC_SINGLE_PASS_MAX: usize = 72;

/// The chunk width (tangents per pass) of the generic gradient above
/// [`GENERIC_SINGLE_PASS_MAX`] parameters. Widths 16 and 32 measured within 10% of each
/// other; 32 takes half the passes.
///
/// ```
/// // a model with 139 parameters takes ⌈139 / 32⌉ = 5 passes
/// assert_eq!(139usize.div_ceil(dualgrad::model::tuning::GENERIC_CHUNK), 5);
/// ```
pub const GENERIC_CHUNK: usize = 32;

/// The sum over `indices` of the per-sample losses, at parameters of any scalar type: the
/// function that the generic path differentiates.
///
/// # Panics
/// If an index is `>= data.len()`.
///
/// ```
/// use dualgrad::data::Dataset;
/// use dualgrad::model::{LinearRegression, MeanSquaredError, sum_loss};
/// use nalgebra::SVector;
/// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0.0, 0.0])?;
/// let p = SVector::from([1.0, 1.0]); // y = x + 1
/// let s = sum_loss(&LinearRegression::<1, 2>::new(), &p, &MeanSquaredError, &data, &[0, 1]);
/// assert_eq!(s, 13.0); // 2² + 3²
/// # Ok::<(), dualgrad::data::DataError>(())
/// ```
pub fn sum_loss<M, L, Y, T, const I: usize, const O: usize, const P: usize>(
    model: &M,
    params: &SVector<T, P>,
    loss: &L,
    data: &Dataset<I, Y>,
    indices: &[usize],
) -> T
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
    T: Scalar,
{
    let p = M::Params::<T>::from_vector(params);
    let mut acc = T::zero();
    for &i in indices {
        let (x, y) = data.sample(i);
        acc += loss.loss(&model.forward(&p, x), y);
    }
    acc
}

/// The generic path: the sum of the losses over `indices` and its gradient, by forward-mode AD
/// with the parameters as duals and the data as `f64`, in one pass of `P` tangents (for
/// `P ≤` [`GENERIC_SINGLE_PASS_MAX`]) or in passes of [`GENERIC_CHUNK`] tangents. No heap
/// allocation.
///
/// This works for any [`Model`]; the built-in models also have a faster exact path, and the two
/// agree to rounding.
///
/// # Panics
/// If an index is `>= data.len()`.
///
/// ```
/// use dualgrad::data::Dataset;
/// use dualgrad::model::{LinearRegression, MeanSquaredError, Model, generic_loss_and_gradient_sum};
/// use nalgebra::SVector;
/// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![1.0, 1.0])?;
/// let (m, p) = (LinearRegression::<1, 2>::new(), SVector::from([1.0, 0.0]));
/// let generic = generic_loss_and_gradient_sum(&m, &p, &MeanSquaredError, &data, &[0, 1]);
/// assert_eq!(generic, (1.0, SVector::from([4.0, 2.0]))); // Σ rᵢ², Σ 2rᵢ(xᵢ, 1) with r = (0, 1)
/// assert_eq!(generic, m.loss_and_gradient_sum(&p, &MeanSquaredError, &data, &[0, 1]));
/// # Ok::<(), dualgrad::data::DataError>(())
/// ```
pub fn generic_loss_and_gradient_sum<M, L, Y, const I: usize, const O: usize, const P: usize>(
    model: &M,
    params: &SVector<f64, P>,
    loss: &L,
    data: &Dataset<I, Y>,
    indices: &[usize],
) -> (f64, SVector<f64, P>)
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
{
    if P <= GENERIC_SINGLE_PASS_MAX {
        single_pass(model, params, loss, data, indices)
    } else {
        chunked(model, params, loss, data, indices)
    }
}

// The two paths live in separate functions that are never inlined, so the stack frame of the
// path not taken (a P-wide dual for large P) is never allocated.

#[inline(never)]
fn single_pass<M, L, Y, const I: usize, const O: usize, const P: usize>(
    model: &M,
    params: &SVector<f64, P>,
    loss: &L,
    data: &Dataset<I, Y>,
    indices: &[usize],
) -> (f64, SVector<f64, P>)
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
{
    // the unguarded one pass: `gradient` refuses `P >` CLOSURE_ONE_PASS_LIMIT at compile time,
    // and this path is instantiated (never run) for every `P`
    crate::diff::gradient_one_pass(|p| sum_loss(model, p, loss, data, indices), params)
}

#[inline(never)]
fn chunked<M, L, Y, const I: usize, const O: usize, const P: usize>(
    model: &M,
    params: &SVector<f64, P>,
    loss: &L,
    data: &Dataset<I, Y>,
    indices: &[usize],
) -> (f64, SVector<f64, P>)
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
{
    gradient_chunked(
        |p| sum_loss(model, p, loss, data, indices),
        params,
        Chunk::<GENERIC_CHUNK>,
    )
}
