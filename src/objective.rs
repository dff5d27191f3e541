//! What to minimise over a data set: one hierarchy, with a bridge from each view to the next.
//!
//! | trait or type | what a user writes | who consumes it |
//! |---|---|---|
//! | [`Samples`] | `len`: the number of samples that mini-batches are drawn from | every objective |
//! | [`BatchLoss`] | the mean loss over some samples, **once, over any [`Scalar`]** | [`train_unrolled`](crate::train::train_unrolled), [`hypergradient`](crate::train::hypergradient) |
//! | [`Objective`] | the `f64` mean loss and its gradient (written by hand), or nothing: every [`BatchLoss`] is one | [`train`](crate::train::train), [`train_monitored`](crate::train::train_monitored) |
//! | [`FullBatch`] | nothing: wraps a [`BatchLoss`] | as a [`ScalarFn`] of the parameters: [`minimize`](crate::optim::minimize), Newton, the [gradient checker](crate::check), the derivative entry points |
//!
//! So a loss written once over `T: Scalar` is enough to train, to minimise, to check and to
//! differentiate through a whole training run; an objective whose gradient is written by hand
//! in `f64` implements [`Objective`] and trains the same way. `len` belongs to [`Samples`] alone,
//! so it is never ambiguous whichever of these traits are in scope.
//!
//! ```
//! use dualgrad::Scalar;
//! use dualgrad::objective::{BatchLoss, FullBatch, Samples};
//! use dualgrad::optim::{Newton, SgdConfig, StopRules, minimize};
//! use dualgrad::train::{TrainConfig, train};
//! use nalgebra::SVector;
//!
//! /// Mean of ½(p − yᵢ)² over y = (1, 2, 3): minimised at the mean, 2.
//! struct Mean;
//! impl Samples for Mean {
//!     fn len(&self) -> usize { 3 }
//! }
//! impl BatchLoss<1> for Mean {
//!     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 1>, idx: &[usize]) -> T {
//!         let sum = idx.iter().fold(T::zero(), |acc, &i| {
//!             let r = p[0] - (i as f64 + 1.0);
//!             acc + r * r * 0.5
//!         });
//!         sum / idx.len() as f64
//!     }
//! }
//! // trained by gradient descent (the f64 gradient comes from forward mode) ...
//! let mut sgd = SgdConfig::default().with_lr(0.5).build()?;
//! let config = TrainConfig::default().with_epochs(200).with_grad_tol(1e-12);
//! let report = train(&Mean, SVector::from([0.0]), &mut sgd, &config, |_| {})?;
//! assert!((report.params[0] - 2.0).abs() < 1e-12);
//! // ... and minimised by Newton's method (exact Hessian): one step on a quadratic
//! let report = minimize(&FullBatch::new(&Mean), SVector::from([0.0]), &mut Newton::default(),
//!     &StopRules::default(), |_| {})?;
//! assert_eq!(report.params[0], 2.0);
//! # Ok::<(), dualgrad::optim::OptimError>(())
//! ```

use crate::diff::size::gradient_at;
use crate::{Scalar, ScalarFn};
use nalgebra::SVector;

/// The samples an objective is a mean over: mini-batches are drawn from the indices `0..len()`.
///
/// ```
/// use dualgrad::objective::Samples;
/// struct Three;
/// impl Samples for Three {
///     fn len(&self) -> usize { 3 }
/// }
/// assert!(!Three.is_empty());
/// ```
pub trait Samples {
    /// The number of samples.
    fn len(&self) -> usize;

    /// True when there are no samples.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The `f64` view of something to minimise over `P` parameters whose loss is a mean over
/// samples: the mean loss over some samples and its gradient. This is what
/// [`train`](crate::train::train) consumes.
///
/// Every [`BatchLoss`] is an `Objective` (its gradient by forward mode, or by the loss's own
/// [`loss_and_gradient_at`](BatchLoss::loss_and_gradient_at)). Implement `Objective` directly
/// only for a loss whose gradient is written by hand in `f64`:
///
/// ```
/// use dualgrad::objective::{Objective, Samples};
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)² over the samples yᵢ, with its gradient by hand.
/// struct MeanSquare(Vec<f64>);
/// impl Samples for MeanSquare {
///     fn len(&self) -> usize { self.0.len() }
/// }
/// impl Objective<1> for MeanSquare {
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
pub trait Objective<const P: usize>: Samples {
    /// The mean loss over the samples `indices` and its gradient with respect to the parameters.
    fn loss_and_gradient(
        &self,
        params: &SVector<f64, P>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>);
}

/// A mean loss over mini-batches written once over any [`Scalar`]: enough to train (it is an
/// [`Objective`]), to minimise and check ([`FullBatch`]), and to differentiate a whole training
/// run, whose parameters are then dual numbers carrying hyperparameter tangents
/// ([`hypergradient`](crate::train::hypergradient)).
///
/// ```
/// use dualgrad::{Jet, Scalar};
/// use dualgrad::objective::{BatchLoss, Samples};
/// use nalgebra::SVector;
///
/// /// Mean of ½(p − yᵢ)² over the samples yᵢ.
/// struct MeanSquare(Vec<f64>);
/// impl Samples for MeanSquare {
///     fn len(&self) -> usize { self.0.len() }
/// }
/// impl BatchLoss<1> for MeanSquare {
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
pub trait BatchLoss<const P: usize>: Samples {
    /// The mean loss over the samples `indices`, at any scalar type.
    fn batch_loss<T: Scalar>(&self, params: &SVector<T, P>, indices: &[usize]) -> T;

    /// The mean loss over `indices` and its gradient at parameters of any scalar type, by
    /// forward mode over [`batch_loss`](Self::batch_loss) with the crate's one size policy
    /// ([`diff::size`](crate::diff::size): one pass up to
    /// [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) parameters, and
    /// up to [`GRADIENT_ONE_PASS_MAX`](crate::diff::size::GRADIENT_ONE_PASS_MAX) at jet
    /// parameters, chunks above), as [`ScalarFn::gradient`]: at `f64` parameters unchecked
    /// first, checked again only where a partial is not finite. With jet parameters this is
    /// nested forward mode (the gradient's entries are jets too), checked throughout. A loss
    /// with a faster exact path (the models' per-layer path) overrides it.
    ///
    /// ```
    /// # use dualgrad::Scalar;
    /// # use dualgrad::objective::{BatchLoss, Samples}; use nalgebra::SVector;
    /// struct Cube; // p³
    /// impl Samples for Cube { fn len(&self) -> usize { 1 } }
    /// impl BatchLoss<1> for Cube {
    ///     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 1>, _: &[usize]) -> T { p[0].powi(3) }
    /// }
    /// let (l, g) = Cube.loss_and_gradient_at(&SVector::from([2.0]), &[0]);
    /// assert_eq!((l, g[0]), (8.0, 12.0)); // 3p² = 12
    /// ```
    fn loss_and_gradient_at<T: Scalar>(
        &self,
        params: &SVector<T, P>,
        indices: &[usize],
    ) -> (T, SVector<T, P>) {
        forward_mode_gradient(self, params, indices)
    }
}

/// [`BatchLoss::loss_and_gradient_at`]'s default: forward mode over
/// [`batch_loss`](BatchLoss::batch_loss) by the one size policy.
#[inline]
pub(crate) fn forward_mode_gradient<L: BatchLoss<P> + ?Sized, T: Scalar, const P: usize>(
    loss: &L,
    params: &SVector<T, P>,
    indices: &[usize],
) -> (T, SVector<T, P>) {
    gradient_at(&OnBatch { loss, indices }, params)
}

/// Every [`BatchLoss`] is an [`Objective`]: its `f64` gradient is
/// [`loss_and_gradient_at`](BatchLoss::loss_and_gradient_at) at `f64` parameters.
impl<L: BatchLoss<P> + ?Sized, const P: usize> Objective<P> for L {
    #[inline]
    fn loss_and_gradient(
        &self,
        params: &SVector<f64, P>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        self.loss_and_gradient_at(params, indices)
    }
}

/// A [`BatchLoss`] restricted to fixed samples, as a function of the parameters.
struct OnBatch<'a, L: ?Sized> {
    loss: &'a L,
    indices: &'a [usize],
}

impl<L: BatchLoss<P> + ?Sized, const P: usize> ScalarFn<P> for OnBatch<'_, L> {
    #[inline]
    fn eval<T: Scalar>(&self, params: &SVector<T, P>) -> T {
        self.loss.batch_loss(params, self.indices)
    }
}

/// The mean of a [`BatchLoss`] over all its samples, as a [`ScalarFn`] of the parameters: what
/// [`minimize`](crate::optim::minimize), Newton's method, the gradient checker and the
/// derivative entry points take. The index list is built once, here; its gradient is the loss's
/// own [`loss_and_gradient_at`](BatchLoss::loss_and_gradient_at) (the per-layer path, for a
/// model).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::check::check_gradient;
/// use dualgrad::objective::{BatchLoss, FullBatch, Samples};
/// use nalgebra::SVector;
///
/// /// Mean of p₀²·yᵢ + p₁ over y = (1, 2): ½(p₀² · 3) + p₁.
/// struct Loss;
/// impl Samples for Loss { fn len(&self) -> usize { 2 } }
/// impl BatchLoss<2> for Loss {
///     fn batch_loss<T: Scalar>(&self, p: &SVector<T, 2>, idx: &[usize]) -> T {
///         let sum = idx.iter().fold(T::zero(), |acc, &i| acc + p[0] * p[0] * (i as f64 + 1.0) + p[1]);
///         sum / idx.len() as f64
///     }
/// }
/// let all = FullBatch::new(&Loss);
/// let p = SVector::from([2.0, 5.0]);
/// assert_eq!(dualgrad::ScalarFn::value(&all, &p), 11.0); // 1.5·4 + 5
/// // a hand-derived gradient (3 p₀, 1), checked against the exact one
/// assert!(check_gradient(&all, &p, |p| SVector::from([3.0 * p[0], 1.0])).is_ok());
/// ```
pub struct FullBatch<'a, L: ?Sized> {
    loss: &'a L,
    all: Vec<usize>,
}

impl<'a, L: Samples + ?Sized> FullBatch<'a, L> {
    /// The mean of `loss` over all its samples.
    ///
    /// ```
    /// # use dualgrad::objective::{FullBatch, Samples};
    /// struct Two;
    /// impl Samples for Two { fn len(&self) -> usize { 2 } }
    /// assert_eq!(FullBatch::new(&Two).indices(), [0, 1]);
    /// ```
    pub fn new(loss: &'a L) -> Self {
        Self {
            loss,
            all: (0..loss.len()).collect(),
        }
    }

    /// The indices of all samples, `0..len`.
    ///
    /// ```
    /// # use dualgrad::objective::{FullBatch, Samples};
    /// struct Three;
    /// impl Samples for Three { fn len(&self) -> usize { 3 } }
    /// assert_eq!(FullBatch::new(&Three).indices().len(), 3);
    /// ```
    pub fn indices(&self) -> &[usize] {
        &self.all
    }

    /// The wrapped loss.
    ///
    /// ```
    /// # use dualgrad::objective::{FullBatch, Samples};
    /// struct One;
    /// impl Samples for One { fn len(&self) -> usize { 1 } }
    /// assert_eq!(FullBatch::new(&One).loss().len(), 1);
    /// ```
    pub fn loss(&self) -> &'a L {
        self.loss
    }
}

impl<L: BatchLoss<P> + ?Sized, const P: usize> ScalarFn<P> for FullBatch<'_, L> {
    #[inline]
    fn eval<T: Scalar>(&self, params: &SVector<T, P>) -> T {
        self.loss.batch_loss(params, &self.all)
    }

    #[inline]
    fn gradient(&self, params: &SVector<f64, P>) -> (f64, SVector<f64, P>) {
        self.loss.loss_and_gradient_at(params, &self.all)
    }
}
