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
/// use dualgrad::Objective;
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
