//! `Supervised`: a model, a loss and a data set, as a [`BatchLoss`]: what the training loops,
//! the minimiser (through [`FullBatch`](crate::objective::FullBatch)) and the gradient checker
//! consume.

use super::batch::{generic_loss_and_gradient_sum, sum_loss};
use super::{L2Penalty, Loss, Model, ModelError};
use crate::Scalar;
use crate::data::Dataset;
use crate::objective::{BatchLoss, Samples, forward_mode_gradient};
use crate::params::ParamVector;
use nalgebra::SVector;
use std::any::Any;
use std::marker::PhantomData;

/// Samples per block when a loss and gradient is summed over a batch. Blocks are summed in
/// order, each from zero, by the serial path and the parallel path alike, so both give
/// bit-identical results for any number of threads.
///
/// Measured for the iris MLP (4-8-3 tanh, 150 samples, softmax cross-entropy; about 0.2 µs per
/// sample in a release build): blocks of 16 showed no serial slowdown against one block of all
/// 150 samples, and cut the full batch into 10 tasks, enough to keep 2 to 4 threads busy, while
/// a mini-batch of 32 still splits in two.
///
/// ```
/// // the 150 iris samples are summed in 10 blocks: 9 of 16 and one of 6
/// assert_eq!(150usize.div_ceil(dualgrad::model::SAMPLE_BLOCK), 10);
/// ```
pub const SAMPLE_BLOCK: usize = 16;

/// The mean loss of a model over a data set: `(1/n) Σᵢ loss(model(params, xᵢ), yᵢ)`, plus an
/// optional L2 penalty on the weights.
///
/// It is a [`BatchLoss`], so an [`Objective`](crate::objective::Objective) (the training loop
/// asks for the loss and gradient over mini-batches of sample indices), and
/// [`FullBatch`](crate::objective::FullBatch) makes it a [`ScalarFn`](crate::ScalarFn) over the
/// whole data set (for the gradient checker, and for [`hessian`](crate::ScalarFn::hessian) in
/// Newton's method). Targets are checked against the loss
/// when it is built, so a bad label is an error here rather than a panic later.
///
/// The gradient uses the model's [`loss_and_gradient_sum`](Model::loss_and_gradient_sum) (the
/// fast pre-activation path for built-in models) in blocks of [`SAMPLE_BLOCK`] samples; no heap
/// allocation. [`generic_loss_and_gradient`](Supervised::generic_loss_and_gradient) takes the
/// generic path instead.
///
/// ```
/// use dualgrad::ScalarFn;
/// use dualgrad::data::Dataset;
/// use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised};
/// use dualgrad::objective::{FullBatch, Objective};
/// use nalgebra::SVector;
/// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![2.0, 4.0])?;
/// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
/// let p = SVector::from([1.0, 0.0]); // ŷ = x: residuals (−1, −2)
/// let (l, g) = obj.loss_and_gradient(&p, &[0, 1]);
/// assert_eq!(l, 2.5); // (1 + 4) / 2
/// assert_eq!(g, SVector::from([-5.0, -3.0])); // (2/n) Σ rᵢ (xᵢ, 1) = ((−2 − 8)/2, (−2 − 4)/2)
/// assert_eq!(FullBatch::new(&obj).value(&p), 2.5); // as a ScalarFn, over all samples
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Supervised<'a, M, L, Y, const I: usize, const O: usize, const P: usize> {
    model: M,
    loss: L,
    data: &'a Dataset<I, Y>,
    all: Vec<usize>,
    l2: Option<L2Penalty>,
    penalised: [bool; P],
    #[cfg(feature = "parallel")]
    parallel: bool,
    _shape: PhantomData<fn() -> SVector<f64, O>>,
}

impl<'a, M, L, Y, const I: usize, const O: usize, const P: usize> Supervised<'a, M, L, Y, I, O, P>
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
    Y: Sync,
{
    /// The objective of `model` with `loss` over `data`.
    ///
    /// # Errors
    /// [`ModelError::EmptyData`] for an empty data set; [`ModelError::Target`] naming the first
    /// sample whose target the loss rejects (e.g. class 3 for 3 outputs).
    ///
    /// ```
    /// use dualgrad::data::Dataset;
    /// use dualgrad::model::{SoftmaxCrossEntropy, SoftmaxRegression, Supervised};
    /// use nalgebra::SVector;
    /// let data = Dataset::new(vec![SVector::from([1.0]); 2], vec![0usize, 3])?;
    /// let e = Supervised::new(SoftmaxRegression::<1, 3, 6>::new(), SoftmaxCrossEntropy, &data);
    /// assert_eq!(e.err().unwrap().to_string(), "sample 1: class 3 out of range for 3 outputs");
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn new(model: M, loss: L, data: &'a Dataset<I, Y>) -> Result<Self, ModelError> {
        if data.is_empty() {
            return Err(ModelError::EmptyData);
        }
        for (index, y) in data.targets().iter().enumerate() {
            loss.check_target(y)
                .map_err(|message| ModelError::Target { index, message })?;
        }
        Ok(Self {
            model,
            loss,
            data,
            all: (0..data.len()).collect(),
            l2: None,
            penalised: std::array::from_fn(<M::Params<f64> as ParamVector<f64, P>>::penalised),
            #[cfg(feature = "parallel")]
            parallel: false,
            _shape: PhantomData,
        })
    }

    /// Add the L2 penalty `(λ/2) Σ w²` over the weights (biases are not penalised).
    ///
    /// # Errors
    /// [`ModelError::Penalty`] unless `lambda` is finite and non-negative.
    ///
    /// ```
    /// use dualgrad::data::Dataset;
    /// use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised};
    /// use dualgrad::objective::Objective;
    /// use nalgebra::SVector;
    /// let data = Dataset::new(vec![SVector::from([0.0])], vec![0.0])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?.with_l2(2.0)?;
    /// // at w = 3, b = 0 the data term is 0; the penalty is (2/2)·3² = 9, its gradient 2·3 = 6
    /// assert_eq!(obj.loss_and_gradient(&SVector::from([3.0, 0.0]), &[0]), (9.0, SVector::from([6.0, 0.0])));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_l2(mut self, lambda: f64) -> Result<Self, ModelError> {
        self.l2 = Some(L2Penalty::new(lambda)?);
        Ok(self)
    }

    /// Split every loss-and-gradient over threads (rayon), in blocks of [`SAMPLE_BLOCK`] samples
    /// summed in a fixed order: the result is bit-identical to the serial one for any number of
    /// threads. Worth it for batches of a hundred samples or more.
    ///
    /// ```
    /// use dualgrad::data::Dataset;
    /// use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised};
    /// use nalgebra::SVector;
    /// let data = Dataset::new((0..100).map(|i| SVector::from([i as f64])).collect(), vec![1.0; 100])?;
    /// let serial = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// let parallel = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?.parallel();
    /// let p = SVector::from([0.3, -0.1]);
    /// assert_eq!(serial.full_loss_and_gradient(&p), parallel.full_loss_and_gradient(&p));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "parallel")]
    pub fn parallel(mut self) -> Self {
        self.parallel = true;
        self
    }

    /// The model.
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised}; use nalgebra::SVector;
    /// # let data = Dataset::new(vec![SVector::from([0.0])], vec![0.0])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// assert_eq!(*obj.model(), LinearRegression::<1, 2>::new());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The data set.
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised}; use nalgebra::SVector;
    /// # let data = Dataset::new(vec![SVector::from([0.0])], vec![0.0])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// assert_eq!(obj.data().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data(&self) -> &'a Dataset<I, Y> {
        self.data
    }

    /// The indices of all samples, `0..len` (a full batch).
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised}; use nalgebra::SVector;
    /// # let data = Dataset::new(vec![SVector::from([0.0]); 3], vec![0.0; 3])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// assert_eq!(obj.all_indices(), [0, 1, 2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn all_indices(&self) -> &[usize] {
        &self.all
    }

    /// The mean loss over `indices` (plus the penalty), by the `f64` forward pass.
    ///
    /// # Panics
    /// If an index is `>= len()`.
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised}; use nalgebra::SVector;
    /// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0.0, 0.0])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// assert_eq!(obj.loss(&SVector::from([1.0, 0.0]), &[0, 1]), 2.5); // (1 + 4) / 2
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn loss(&self, params: &SVector<f64, P>, indices: &[usize]) -> f64 {
        self.batch_loss(params, indices)
    }

    /// The mean loss over all samples and its gradient (a full batch).
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised};
    /// # use dualgrad::objective::Objective; use nalgebra::SVector;
    /// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0.0, 0.0])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// let p = SVector::from([1.0, 0.0]);
    /// assert_eq!(obj.full_loss_and_gradient(&p), obj.loss_and_gradient(&p, &[0, 1]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn full_loss_and_gradient(&self, params: &SVector<f64, P>) -> (f64, SVector<f64, P>) {
        self.f64_loss_and_gradient(params, &self.all)
    }

    /// The mean loss over `indices` and its gradient by the generic path (the model's forward
    /// pass with the parameters as duals; see
    /// [`generic_loss_and_gradient_sum`](crate::model::generic_loss_and_gradient_sum)). The result
    /// agrees with [`loss_and_gradient`](crate::objective::Objective::loss_and_gradient) to rounding.
    ///
    /// # Panics
    /// If an index is `>= len()`.
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised};
    /// # use dualgrad::objective::Objective; use nalgebra::SVector;
    /// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0.0, 0.0])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// let p = SVector::from([1.0, 0.0]);
    /// assert_eq!(obj.generic_loss_and_gradient(&p, &[0, 1]), obj.loss_and_gradient(&p, &[0, 1]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn generic_loss_and_gradient(
        &self,
        params: &SVector<f64, P>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        let (sum, grad) =
            generic_loss_and_gradient_sum(&self.model, params, &self.loss, self.data, indices);
        self.finish(params, sum, grad, indices.len())
    }

    /// The serial path: blocks of [`SAMPLE_BLOCK`] summed in order.
    /// The mean loss over `indices` and its gradient by the per-layer path (over threads with
    /// [`parallel`](Self::parallel)).
    fn f64_loss_and_gradient(
        &self,
        params: &SVector<f64, P>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        #[cfg(feature = "parallel")]
        if self.parallel {
            return self.par_loss_and_gradient(params, indices);
        }
        self.serial_loss_and_gradient(params, indices)
    }

    fn serial_loss_and_gradient(
        &self,
        params: &SVector<f64, P>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        let (mut sum, mut grad) = (0.0, SVector::<f64, P>::zeros());
        for block in indices.chunks(SAMPLE_BLOCK) {
            let (s, g) = self.block(params, block);
            sum += s;
            grad += g;
        }
        self.finish(params, sum, grad, indices.len())
    }

    /// The mean loss over `indices` and its gradient, with the blocks spread over rayon's
    /// threads and summed in the same order as the serial path: bit-identical to it, whatever
    /// the number of threads. ([`parallel`](Supervised::parallel) makes
    /// [`loss_and_gradient`](crate::objective::Objective::loss_and_gradient) call this.)
    ///
    /// # Panics
    /// If an index is `>= len()`.
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::model::{LinearRegression, MeanSquaredError, Supervised}; use nalgebra::SVector;
    /// let data = Dataset::new((0..40).map(|i| SVector::from([i as f64])).collect(), vec![1.0; 40])?;
    /// let obj = Supervised::new(LinearRegression::<1, 2>::new(), MeanSquaredError, &data)?;
    /// let p = SVector::from([0.5, 0.5]);
    /// assert_eq!(obj.par_loss_and_gradient(&p, obj.all_indices()), obj.full_loss_and_gradient(&p));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "parallel")]
    pub fn par_loss_and_gradient(
        &self,
        params: &SVector<f64, P>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>)
    where
        L: Sync,
    {
        use rayon::prelude::*;
        let blocks: Vec<(f64, SVector<f64, P>)> = indices
            .par_chunks(SAMPLE_BLOCK)
            .map(|block| self.block(params, block))
            .collect();
        let (mut sum, mut grad) = (0.0, SVector::<f64, P>::zeros());
        for (s, g) in blocks {
            sum += s;
            grad += g;
        }
        self.finish(params, sum, grad, indices.len())
    }

    #[inline]
    fn block(&self, params: &SVector<f64, P>, block: &[usize]) -> (f64, SVector<f64, P>) {
        self.model
            .loss_and_gradient_sum(params, &self.loss, self.data, block)
    }

    /// Mean of the sums, plus the penalty.
    #[inline]
    fn finish(
        &self,
        params: &SVector<f64, P>,
        sum: f64,
        grad: SVector<f64, P>,
        n: usize,
    ) -> (f64, SVector<f64, P>) {
        let (mut value, mut grad) = if n == 0 {
            (0.0, SVector::zeros())
        } else {
            (sum / n as f64, grad / n as f64)
        };
        if let Some(l2) = self.l2 {
            value += l2.value(params, |i| self.penalised[i]);
            grad += l2.gradient(params, |i| self.penalised[i]);
        }
        (value, grad)
    }

    #[inline]
    fn penalty<T: Scalar>(&self, params: &SVector<T, P>) -> T {
        match self.l2 {
            Some(l2) => l2.value(params, |i| self.penalised[i]),
            None => T::zero(),
        }
    }
}

fn mean<T: Scalar>(sum: T, n: usize) -> T {
    if n == 0 { T::zero() } else { sum / n as f64 }
}

impl<M, L, Y, const I: usize, const O: usize, const P: usize> Samples
    for Supervised<'_, M, L, Y, I, O, P>
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
    Y: Sync,
{
    fn len(&self) -> usize {
        self.data.len()
    }
}

/// The mean loss over a mini-batch (plus the penalty) at any scalar type: the same value as
/// [`loss`](Supervised::loss) on `f64`. As a [`BatchLoss`] it is also an
/// [`Objective`](crate::objective::Objective) (what [`train`](crate::train::train) consumes),
/// and [`FullBatch`](crate::objective::FullBatch) makes it a [`ScalarFn`](crate::ScalarFn) over the whole data
/// set (for the gradient checker, and for Newton's method). An empty batch gives the penalty
/// alone.
///
/// Its gradient at `f64` parameters is the model's per-layer path
/// ([`loss_and_gradient_sum`](Model::loss_and_gradient_sum), split over threads by
/// `Supervised::parallel` with the `parallel` feature); at any other scalar (a differentiated training run) the
/// forward-mode gradient of [`batch_loss`](BatchLoss::batch_loss).
///
/// # Panics
/// If an index is `>= len()`.
impl<M, L, Y, const I: usize, const O: usize, const P: usize> BatchLoss<P>
    for Supervised<'_, M, L, Y, I, O, P>
where
    M: Model<I, O, P>,
    L: Loss<O, Y>,
    Y: Sync,
{
    fn batch_loss<T: Scalar>(&self, params: &SVector<T, P>, indices: &[usize]) -> T {
        let sum = sum_loss(&self.model, params, &self.loss, self.data, indices);
        mean(sum, indices.len()) + self.penalty(params)
    }

    #[inline]
    fn loss_and_gradient_at<T: Scalar>(
        &self,
        params: &SVector<T, P>,
        indices: &[usize],
    ) -> (T, SVector<T, P>) {
        // At f64 (decided at compile time: the type test folds away) the per-layer path.
        if let Some(params) = (params as &dyn Any).downcast_ref::<SVector<f64, P>>() {
            let (loss, grad) = self.f64_loss_and_gradient(params, indices);
            return (T::lift(loss), grad.map(T::lift));
        }
        forward_mode_gradient(self, params, indices)
    }
}
