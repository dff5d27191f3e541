//! Linear, logistic and softmax (multinomial) regression: one affine layer each.

use super::layers::{affine, dense_init, dense_sum};
use super::{Identity, Loss, Model};
use crate::Scalar;
use crate::data::Dataset;
use crate::functions::{sigmoid, softmax};
use crate::params::check_count;
use crate::params::{DenseParams, ParamVector};
use nalgebra::SVector;
use rand::Rng;

/// The `Model` impl the three regressions share: one affine layer with no activation, named
/// `$name`, for `$ty` with `$k` outputs (generic over the const parameters `$c`).
macro_rules! affine_model {
    ($name:literal, $ty:ident<$($c:ident),*>, $k:tt) => {
        impl<$(const $c: usize),*> Model<I, $k, P> for $ty<$($c),*> {
            type Params<T: Scalar> = DenseParams<T, I, $k>;

            #[inline]
            fn forward<T: Scalar>(
                &self,
                p: &DenseParams<T, I, $k>,
                x: &SVector<f64, I>,
            ) -> SVector<T, $k> {
                affine(&p.w, &p.b, x)
            }

            fn init_with<G: Rng + ?Sized>(&self, rng: &mut G) -> SVector<f64, P> {
                dense_init::<Identity, G, I, $k>(rng).to_vector()
            }

            fn name(&self) -> String {
                $name.to_owned()
            }

            fn loss_and_gradient_sum<L: Loss<$k, Y>, Y>(
                &self,
                params: &SVector<f64, P>,
                loss: &L,
                data: &Dataset<I, Y>,
                indices: &[usize],
            ) -> (f64, SVector<f64, P>) {
                dense_sum::<Identity, L, Y, I, $k, P>(params, loss, data, indices)
            }
        }
    };
}

/// Linear regression `ŷ = w·x + b` with `I` features and `P = I + 1` parameters (checked at
/// compile time). Train it with [`MeanSquaredError`](crate::model::MeanSquaredError); its Hessian is
/// constant, so one Newton step from anywhere reaches the least-squares solution.
///
/// Parameters: `W[0,0..I]` then `b[0]`.
///
/// ```
/// use dualgrad::model::{LinearRegression, Model};
/// use nalgebra::SVector;
/// let m = LinearRegression::<2, 3>::new();
/// let y = m.predict(&SVector::from([2.0, -1.0, 0.5]), &SVector::from([1.0, 1.0]));
/// assert_eq!(y[0], 1.5); // 2 − 1 + 0.5
/// ```
///
/// ```compile_fail,E0080
/// let m = dualgrad::model::LinearRegression::<2, 2>::new(); // 2 features need 3 parameters
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinearRegression<const I: usize, const P: usize> {
    _private: (),
}

impl<const I: usize, const P: usize> LinearRegression<I, P> {
    /// The model; fails to compile unless `P = I + 1`.
    ///
    /// ```
    /// let _ = dualgrad::model::LinearRegression::<4, 5>::new();
    /// ```
    pub fn new() -> Self {
        const { check_count("LinearRegression<I, P>", "I + 1", I + 1, P) };
        Self { _private: () }
    }
}

affine_model!("linear-regression", LinearRegression<I, P>, 1);

/// Logistic regression: the logit `z = w·x + b` of the probability `σ(z)` of class 1, with
/// `I` features and `P = I + 1` parameters (checked at compile time). Train it with
/// [`BinaryCrossEntropy`](crate::model::BinaryCrossEntropy) (which takes the logit).
///
/// Parameters: `W[0,0..I]` then `b[0]`.
///
/// ```
/// use dualgrad::model::{LogisticRegression, Model};
/// use nalgebra::SVector;
/// let m = LogisticRegression::<1, 2>::new();
/// let p = SVector::from([2.0, -1.0]);
/// assert_eq!(m.predict(&p, &SVector::from([0.5]))[0], 0.0); // logit 2·0.5 − 1
/// assert_eq!(m.probability(&p, &SVector::from([0.5])), 0.5); // σ(0)
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogisticRegression<const I: usize, const P: usize> {
    _private: (),
}

impl<const I: usize, const P: usize> LogisticRegression<I, P> {
    /// The model; fails to compile unless `P = I + 1`.
    ///
    /// ```
    /// let _ = dualgrad::model::LogisticRegression::<4, 5>::new();
    /// ```
    pub fn new() -> Self {
        const { check_count("LogisticRegression<I, P>", "I + 1", I + 1, P) };
        Self { _private: () }
    }

    /// The probability of class 1, `σ(w·x + b)`.
    ///
    /// ```
    /// use dualgrad::model::LogisticRegression;
    /// use nalgebra::SVector;
    /// let m = LogisticRegression::<1, 2>::new();
    /// assert_eq!(m.probability(&SVector::from([0.0, 800.0]), &SVector::from([1.0])), 1.0);
    /// ```
    pub fn probability(&self, params: &SVector<f64, P>, x: &SVector<f64, I>) -> f64 {
        sigmoid(self.predict(params, x)[0])
    }
}

affine_model!("logistic-regression", LogisticRegression<I, P>, 1);

/// Softmax (multinomial logistic) regression: the `K` logits `z = W x + b` of the class
/// probabilities `softmax(z)`, with `I` features and `P = K·I + K` parameters (checked at
/// compile time). Train it with [`SoftmaxCrossEntropy`](crate::model::SoftmaxCrossEntropy).
///
/// Parameters: `W` (`K × I`) row by row, then `b`.
///
/// ```
/// use dualgrad::model::{Model, SoftmaxRegression};
/// use nalgebra::SVector;
/// let m = SoftmaxRegression::<1, 2, 4>::new();
/// let p = SVector::from([1.0, -1.0, 0.0, 0.0]); // logits (x, −x)
/// assert_eq!(m.predict(&p, &SVector::from([2.0])), SVector::from([2.0, -2.0]));
/// assert_eq!(m.probabilities(&p, &SVector::from([0.0])), SVector::from([0.5, 0.5]));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SoftmaxRegression<const I: usize, const K: usize, const P: usize> {
    _private: (),
}

impl<const I: usize, const K: usize, const P: usize> SoftmaxRegression<I, K, P> {
    /// The model; fails to compile unless `P = K·I + K`.
    ///
    /// ```
    /// let _ = dualgrad::model::SoftmaxRegression::<4, 3, 15>::new();
    /// ```
    pub fn new() -> Self {
        const { check_count("SoftmaxRegression<I, K, P>", "K*I + K", K * I + K, P) };
        Self { _private: () }
    }

    /// The class probabilities `softmax(W x + b)`.
    ///
    /// ```
    /// use dualgrad::model::SoftmaxRegression;
    /// use nalgebra::SVector;
    /// let m = SoftmaxRegression::<1, 3, 6>::new();
    /// let p = m.probabilities(&SVector::zeros(), &SVector::from([1.0]));
    /// assert!((p.sum() - 1.0).abs() < 1e-15); // three equal logits: ⅓ each
    /// ```
    pub fn probabilities(&self, params: &SVector<f64, P>, x: &SVector<f64, I>) -> SVector<f64, K> {
        softmax(&self.predict(params, x))
    }
}

affine_model!("softmax-regression", SoftmaxRegression<I, K, P>, K);
