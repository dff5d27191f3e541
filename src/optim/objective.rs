//! The contract between models (which compute losses and gradients over data) and the training
//! loop (which only sees `f64` vectors).

use nalgebra::SVector;

/// Something to minimise over `P` parameters whose loss is a mean over samples, so that it can
/// be evaluated on the whole data set or on a mini-batch.
///
/// Models with a data set and a loss implement it; the training loop draws mini-batches of
/// sample indices from `0..len()` and asks for the mean loss and its gradient over them.
///
/// ```
/// use dualgrad::optim::Objective;
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)² over the samples yᵢ.
/// struct MeanSquare(Vec<f64>);
/// impl Objective<1> for MeanSquare {
///     fn len(&self) -> usize {
///         self.0.len()
///     }
///     fn loss_and_gradient(&self, p: &SVector<f64, 1>, idx: &[usize]) -> (f64, SVector<f64, 1>) {
///         let n = idx.len() as f64;
///         let loss = idx.iter().map(|&i| 0.5 * (p[0] - self.0[i]).powi(2)).sum::<f64>() / n;
///         let grad = idx.iter().map(|&i| p[0] - self.0[i]).sum::<f64>() / n;
///         (loss, SVector::from([grad]))
///     }
/// }
/// let obj = MeanSquare(vec![1.0, 3.0]);
/// assert_eq!(obj.loss_and_gradient(&SVector::from([2.0]), &[0, 1]), (0.5, SVector::from([0.0])));
/// ```
pub trait Objective<const P: usize> {
    /// The number of samples; mini-batches are drawn from the indices `0..len()`.
    fn len(&self) -> usize;

    /// True when there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The mean loss over the samples `indices` and its gradient with respect to the parameters.
    fn loss_and_gradient(
        &self,
        params: &SVector<f64, P>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>);
}

/// A mean loss over mini-batches written once over any [`Scalar`](crate::Scalar): what a
/// *differentiated* training run needs, since its parameters are then dual numbers whose tangents
/// are hyperparameters (see [`hypergradient`](crate::train::hypergradient)).
///
/// [`Supervised`](crate::model::Supervised) implements it; so can any objective whose loss is written
/// over `T: Scalar`.
///
/// ```
/// use dualgrad::{Jet, Scalar};
/// use dualgrad::optim::BatchLoss;
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)² over the samples yᵢ.
/// struct MeanSquare(Vec<f64>);
/// impl BatchLoss<1> for MeanSquare {
///     fn len(&self) -> usize {
///         self.0.len()
///     }
///     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 1>, idx: &[usize]) -> T {
///         let sum = idx.iter().fold(T::zero(), |acc, &i| {
///             let r = p[0] - self.0[i];
///             acc + r * r * 0.5
///         });
///         sum / idx.len() as f64
///     }
/// }
/// let obj = MeanSquare(vec![1.0, 3.0]);
/// assert_eq!(obj.batch_loss(&SVector::from([2.0]), &[0, 1]), 0.5);
/// // the same code on a jet: d/dp of the mean loss is p − mean(y) = 0 at p = 2
/// let p = SVector::from([Jet::<f64, 1>::variable(2.0, 0)]);
/// assert_eq!(obj.batch_loss(&p, &[0, 1]).eps, [0.0]);
/// ```
pub trait BatchLoss<const P: usize> {
    /// The number of samples; mini-batches are drawn from the indices `0..len()`.
    fn len(&self) -> usize;

    /// True when there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The mean loss over the samples `indices`, at any scalar type.
    fn batch_loss<T: crate::Scalar>(&self, params: &SVector<T, P>, indices: &[usize]) -> T;

    /// The mean loss over `indices` and its gradient at parameters of any scalar type, by
    /// forward mode over [`batch_loss`](Self::batch_loss): one pass of `P` tangents up to
    /// [`GENERIC_SINGLE_PASS_MAX`](crate::model::tuning::GENERIC_SINGLE_PASS_MAX) parameters, chunks above.
    /// With jet parameters this is nested forward mode (the gradient's entries are jets too).
    ///
    /// ```
    /// # use dualgrad::Scalar;
    /// # use dualgrad::optim::BatchLoss; use nalgebra::SVector;
    /// struct Cube; // p³
    /// impl BatchLoss<1> for Cube {
    ///     fn len(&self) -> usize { 1 }
    ///     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 1>, _: &[usize]) -> T { p[0].powi(3) }
    /// }
    /// let (l, g) = Cube.loss_and_gradient_at(&SVector::from([2.0]), &[0]);
    /// assert_eq!((l, g[0]), (8.0, 12.0)); // 3p² = 12
    /// ```
    fn loss_and_gradient_at<T: crate::Scalar>(
        &self,
        params: &SVector<T, P>,
        indices: &[usize],
    ) -> (T, SVector<T, P>) {
        crate::train::loss_and_gradient_at(self, params, indices)
    }
}
