//! Loss and gradient over a batch of samples by the generic path: the model's forward pass with
//! the parameters as dual numbers.

use super::{Loss, Model};
use crate::data::Dataset;
use crate::diff::size::gradient_at;
use crate::params::ParamVector;
use crate::{Scalar, ScalarFn};
use nalgebra::SVector;
use std::marker::PhantomData;

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
/// with the parameters as duals and the data as `f64`, by the crate's one size policy
/// ([`diff::size`](crate::diff::size): one pass of `P` tangents up to
/// [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) parameters (at jet
/// parameters [`GRADIENT_ONE_PASS_MAX`](crate::diff::size::GRADIENT_ONE_PASS_MAX)), chunks of
/// [`GRADIENT_CHUNK`](crate::diff::size::GRADIENT_CHUNK) above). No heap allocation.
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
    gradient_at(
        &SumLoss {
            model,
            loss,
            data,
            indices,
            _outputs: PhantomData,
        },
        params,
    )
}

/// [`sum_loss`] as a function of the parameters.
struct SumLoss<'a, M, L, Y, const I: usize, const O: usize> {
    model: &'a M,
    loss: &'a L,
    data: &'a Dataset<I, Y>,
    indices: &'a [usize],
    _outputs: PhantomData<[(); O]>,
}

impl<M, L, Y, const I: usize, const O: usize, const P: usize> ScalarFn<P>
    for SumLoss<'_, M, L, Y, I, O>
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
{
    #[inline]
    fn eval<T: Scalar>(&self, params: &SVector<T, P>) -> T {
        sum_loss(self.model, params, self.loss, self.data, self.indices)
    }
}
