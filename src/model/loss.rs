//! Per-sample losses, written once over [`Scalar`], and the L2 penalty.

use super::ModelError;
use crate::Scalar;
use crate::functions::{bce_with_logits, softmax_cross_entropy};
use nalgebra::SVector;

/// A per-sample loss between a model's `O` outputs and a target of type `Y`.
///
/// The training objective is the mean of this loss over the samples (see
/// [`Supervised`](crate::model::Supervised)). It is evaluated on `f64` for the value and on duals for
/// gradients, so it is written once over [`Scalar`]. Outputs of classifiers are logits: the
/// losses apply the sigmoid or softmax themselves, in their stable forms.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::model::Loss;
/// use nalgebra::SVector;
///
/// /// Absolute error |ŷ − y|.
/// struct Absolute;
/// impl Loss<1, f64> for Absolute {
///     fn loss<T: Scalar>(&self, out: &SVector<T, 1>, y: &f64) -> T {
///         (out[0] - *y).abs()
///     }
/// }
/// assert_eq!(Absolute.loss(&SVector::from([1.5]), &4.0), 2.5);
/// ```
pub trait Loss<const O: usize, Y>: Sync {
    /// The loss of output `output` against `target`.
    fn loss<T: Scalar>(&self, output: &SVector<T, O>, target: &Y) -> T;

    /// Check that a target is valid for this loss (e.g. a class index below `O`); the message
    /// names the value. Called on every sample when an objective is built. The default accepts
    /// everything.
    ///
    /// ```
    /// use dualgrad::model::{Loss, SoftmaxCrossEntropy};
    /// let l = SoftmaxCrossEntropy;
    /// assert!(Loss::<3, usize>::check_target(&l, &2).is_ok());
    /// assert_eq!(
    ///     Loss::<3, usize>::check_target(&l, &3).unwrap_err(),
    ///     "class 3 out of range for 3 outputs"
    /// );
    /// ```
    fn check_target(&self, target: &Y) -> Result<(), String> {
        let _ = target;
        Ok(())
    }
}

/// Squared error `(ŷ − y)²` of a single output against a real target; its mean over samples
/// is the mean squared error. Derivative `2(ŷ − y)`.
///
/// ```
/// use dualgrad::gradient;
/// use dualgrad::model::{Loss, MeanSquaredError};
/// use nalgebra::SVector;
/// assert_eq!(MeanSquaredError.loss(&SVector::from([3.0]), &1.0), 4.0);
/// let (_, g) = gradient(|o| MeanSquaredError.loss(o, &1.0), &SVector::from([3.0]));
/// assert_eq!(g[0], 4.0); // 2(3 − 1)
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MeanSquaredError;

impl Loss<1, f64> for MeanSquaredError {
    #[inline]
    fn loss<T: Scalar>(&self, output: &SVector<T, 1>, target: &f64) -> T {
        let d = output[0] - *target;
        d * d
    }

    fn check_target(&self, target: &f64) -> Result<(), String> {
        if target.is_finite() {
            Ok(())
        } else {
            Err(format!("target {target} is not finite"))
        }
    }
}

/// Binary cross-entropy of a logit `z` against a target `y ∈ [0, 1]`:
/// `softplus(z) − y z = −y ln σ(z) − (1 − y) ln(1 − σ(z))` (the stable
/// [`bce_with_logits`]). Derivative `σ(z) − y`. Finite for any finite logit.
///
/// ```
/// use dualgrad::gradient;
/// use dualgrad::model::{BinaryCrossEntropy, Loss};
/// use nalgebra::SVector;
/// assert_eq!(BinaryCrossEntropy.loss(&SVector::from([0.0]), &1.0), 2.0_f64.ln());
/// let (_, g) = gradient(|z| BinaryCrossEntropy.loss(z, &1.0), &SVector::from([0.0]));
/// assert_eq!(g[0], -0.5); // σ(0) − 1
/// assert_eq!(BinaryCrossEntropy.loss(&SVector::from([-800.0]), &1.0), 800.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BinaryCrossEntropy;

impl Loss<1, f64> for BinaryCrossEntropy {
    #[inline]
    fn loss<T: Scalar>(&self, output: &SVector<T, 1>, target: &f64) -> T {
        bce_with_logits(output[0], *target)
    }

    fn check_target(&self, target: &f64) -> Result<(), String> {
        if (0.0..=1.0).contains(target) {
            Ok(())
        } else {
            Err(format!("target {target} is outside [0, 1]"))
        }
    }
}

/// Softmax cross-entropy of `K` logits against a class index:
/// `logsumexp(z) − z[class] = −ln softmax(z)[class]` (the stable
/// [`softmax_cross_entropy`]). Gradient `softmax(z) − e_class`. Finite for any finite logits.
///
/// ```
/// use dualgrad::gradient;
/// use dualgrad::model::{Loss, SoftmaxCrossEntropy};
/// use nalgebra::SVector;
/// let z = SVector::from([0.0, 0.0]);
/// assert_eq!(SoftmaxCrossEntropy.loss(&z, &1), 2.0_f64.ln());
/// let (_, g) = gradient(|z| SoftmaxCrossEntropy.loss(z, &1), &z);
/// assert_eq!(g, SVector::from([0.5, -0.5])); // softmax(z) − e₁
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SoftmaxCrossEntropy;

impl<const K: usize> Loss<K, usize> for SoftmaxCrossEntropy {
    #[inline]
    fn loss<T: Scalar>(&self, output: &SVector<T, K>, target: &usize) -> T {
        softmax_cross_entropy(output, *target)
    }

    fn check_target(&self, target: &usize) -> Result<(), String> {
        if *target < K {
            Ok(())
        } else {
            Err(format!("class {target} out of range for {K} outputs"))
        }
    }
}

/// The L2 penalty (weight decay) `(λ/2) Σ wᵢ²` over the penalised entries of a parameter
/// vector (the weights; biases are not penalised, see
/// [`ParamVector::penalised`](crate::params::ParamVector::penalised)). Its gradient is `λ wᵢ`.
///
/// ```
/// use dualgrad::model::L2Penalty;
/// use nalgebra::SVector;
/// let l2 = L2Penalty::new(0.5)?;
/// let p = SVector::from([2.0, 3.0]);
/// let weights_only = |i: usize| i == 0; // entry 1 is a bias
/// assert_eq!(l2.value(&p, weights_only), 1.0); // 0.5/2 · 2²
/// assert_eq!(l2.gradient(&p, weights_only), SVector::from([1.0, 0.0])); // 0.5 · 2
/// # Ok::<(), dualgrad::model::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct L2Penalty {
    lambda: f64,
}

impl L2Penalty {
    /// A penalty with strength `lambda`.
    ///
    /// # Errors
    /// [`ModelError::Penalty`] unless `lambda` is finite and non-negative.
    ///
    /// ```
    /// use dualgrad::model::{L2Penalty, ModelError};
    /// assert_eq!(L2Penalty::new(-1.0).unwrap_err(), ModelError::Penalty { lambda: -1.0 });
    /// ```
    pub fn new(lambda: f64) -> Result<Self, ModelError> {
        if lambda.is_finite() && lambda >= 0.0 {
            Ok(Self { lambda })
        } else {
            Err(ModelError::Penalty { lambda })
        }
    }

    /// The strength `λ`.
    ///
    /// ```
    /// assert_eq!(dualgrad::model::L2Penalty::new(0.1)?.lambda(), 0.1);
    /// # Ok::<(), dualgrad::model::ModelError>(())
    /// ```
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// `(λ/2) Σ pᵢ²` over the entries `i` with `penalised(i)`, at any scalar type.
    ///
    /// ```
    /// use dualgrad::gradient;
    /// use dualgrad::model::L2Penalty;
    /// use nalgebra::SVector;
    /// let l2 = L2Penalty::new(2.0)?;
    /// let (v, g) = gradient(|p| l2.value(p, |_| true), &SVector::from([1.0, -1.0]));
    /// assert_eq!((v, g), (2.0, SVector::from([2.0, -2.0]))); // λ pᵢ
    /// # Ok::<(), dualgrad::model::ModelError>(())
    /// ```
    pub fn value<T: Scalar, const P: usize>(
        &self,
        params: &SVector<T, P>,
        penalised: impl Fn(usize) -> bool,
    ) -> T {
        let half = 0.5 * self.lambda;
        let mut sum = T::zero();
        for i in (0..P).filter(|&i| penalised(i)) {
            sum += params[i] * params[i] * half;
        }
        sum
    }

    /// The gradient `λ pᵢ` on the penalised entries, 0 elsewhere.
    ///
    /// ```
    /// use dualgrad::model::L2Penalty;
    /// use nalgebra::SVector;
    /// let g = L2Penalty::new(0.1)?.gradient(&SVector::from([10.0, 20.0]), |i| i == 1);
    /// assert_eq!(g, SVector::from([0.0, 2.0]));
    /// # Ok::<(), dualgrad::model::ModelError>(())
    /// ```
    pub fn gradient<const P: usize>(
        &self,
        params: &SVector<f64, P>,
        penalised: impl Fn(usize) -> bool,
    ) -> SVector<f64, P> {
        SVector::from_fn(|i, _| {
            if penalised(i) {
                self.lambda * params[i]
            } else {
                0.0
            }
        })
    }
}
