//! Evaluation metrics: accuracy for classifiers, R² for regression.

use super::Model;
use crate::data::Dataset;
use nalgebra::SVector;

/// The class a classifier's outputs predict: for one output (a logit), class 1 when it is
/// `≥ 0` (probability `≥ ½`), else 0; for several outputs, the index of the largest (the first
/// one on a tie).
///
/// If any output is NaN there is no predicted class: the result is [`NO_CLASS`]
/// (`usize::MAX`), which equals no target, so [`accuracy`] counts the sample as wrong.
///
/// ```
/// use dualgrad::model::{NO_CLASS, predicted_class};
/// use nalgebra::SVector;
/// assert_eq!(predicted_class(&SVector::from([0.3])), 1);
/// assert_eq!(predicted_class(&SVector::from([-0.3])), 0);
/// assert_eq!(predicted_class(&SVector::from([0.1, 2.0, -1.0])), 1);
/// assert_eq!(predicted_class(&SVector::from([f64::NAN, 2.0])), NO_CLASS);
/// ```
pub fn predicted_class<const O: usize>(output: &SVector<f64, O>) -> usize {
    if output.iter().any(|v| v.is_nan()) {
        return NO_CLASS;
    }
    if O == 1 {
        usize::from(output[0] >= 0.0)
    } else {
        let mut best = 0;
        for k in 1..O {
            if output[k] > output[best] {
                best = k;
            }
        }
        best
    }
}

/// What [`predicted_class`] returns for outputs with a NaN: `usize::MAX`, never a class.
///
/// ```
/// assert_eq!(dualgrad::model::NO_CLASS, usize::MAX);
/// ```
pub const NO_CLASS: usize = usize::MAX;

/// The fraction of samples whose [`predicted_class`] equals the target class (NaN for an
/// empty data set).
///
/// ```
/// use dualgrad::data::Dataset;
/// use dualgrad::model::{SoftmaxRegression, accuracy};
/// use nalgebra::SVector;
/// let m = SoftmaxRegression::<1, 2, 4>::new();
/// let p = SVector::from([1.0, -1.0, 0.0, 0.0]); // logits (x, −x): class 0 iff x > 0
/// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([-1.0]), SVector::from([2.0])], vec![0usize, 1, 1])?;
/// assert_eq!(accuracy(&m, &p, &data), 2.0 / 3.0);
/// # Ok::<(), dualgrad::data::DataError>(())
/// ```
pub fn accuracy<M, const I: usize, const O: usize, const P: usize>(
    model: &M,
    params: &SVector<f64, P>,
    data: &Dataset<I, usize>,
) -> f64
where
    M: Model<I, O, P>,
{
    let p = model.unpack(params);
    let correct = data
        .iter()
        .filter(|(x, y)| predicted_class(&model.forward(&p, x)) == **y)
        .count();
    correct as f64 / data.len() as f64
}

/// The fraction of samples whose predicted class (logit `≥ 0`) matches a 0/1 target (target
/// `≥ ½` counts as class 1); NaN for an empty data set. A NaN logit predicts no class and counts
/// as wrong.
///
/// The model's output must be a **logit** (as for [`BinaryCrossEntropy`](crate::model::BinaryCrossEntropy)).
/// A network trained with squared error on 0/1 targets outputs the probability itself: threshold
/// its [`predict`](crate::model::Model::predict) at `½` instead (as `examples/xor.rs` does).
///
/// ```
/// use dualgrad::data::Dataset;
/// use dualgrad::model::{LogisticRegression, binary_accuracy};
/// use nalgebra::SVector;
/// let m = LogisticRegression::<1, 2>::new();
/// let p = SVector::from([1.0, 0.0]); // logit x
/// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([-1.0])], vec![1.0, 1.0])?;
/// assert_eq!(binary_accuracy(&m, &p, &data), 0.5);
/// # Ok::<(), dualgrad::data::DataError>(())
/// ```
pub fn binary_accuracy<M, const I: usize, const P: usize>(
    model: &M,
    params: &SVector<f64, P>,
    data: &Dataset<I, f64>,
) -> f64
where
    M: Model<I, 1, P>,
{
    let p = model.unpack(params);
    let correct = data
        .iter()
        .filter(|(x, y)| {
            let z = model.forward(&p, x)[0];
            !z.is_nan() && (z >= 0.0) == (**y >= 0.5)
        })
        .count();
    correct as f64 / data.len() as f64
}

/// The coefficient of determination `R² = 1 − Σ(yᵢ − ŷᵢ)² / Σ(yᵢ − ȳ)²` of a one-output
/// model on a data set: 1 for a perfect fit, 0 for predicting the mean, negative for worse.
/// NaN for an empty data set or constant targets.
///
/// ```
/// use dualgrad::data::Dataset;
/// use dualgrad::model::{LinearRegression, r_squared};
/// use nalgebra::SVector;
/// let m = LinearRegression::<1, 2>::new();
/// let data = Dataset::new(vec![SVector::from([0.0]), SVector::from([1.0]), SVector::from([2.0])], vec![0.0, 1.0, 2.0])?;
/// assert_eq!(r_squared(&m, &SVector::from([1.0, 0.0]), &data), 1.0); // ŷ = x exactly
/// assert_eq!(r_squared(&m, &SVector::from([0.0, 1.0]), &data), 0.0); // ŷ = 1 = ȳ
/// # Ok::<(), dualgrad::data::DataError>(())
/// ```
pub fn r_squared<M, const I: usize, const P: usize>(
    model: &M,
    params: &SVector<f64, P>,
    data: &Dataset<I, f64>,
) -> f64
where
    M: Model<I, 1, P>,
{
    if data.is_empty() {
        return f64::NAN;
    }
    let p = model.unpack(params);
    let mean = data.targets().iter().sum::<f64>() / data.len() as f64;
    let (mut ss_res, mut ss_tot) = (0.0, 0.0);
    for (x, y) in data.iter() {
        let r = y - model.forward(&p, x)[0];
        ss_res += r * r;
        ss_tot += (y - mean) * (y - mean);
    }
    if ss_tot == 0.0 {
        return f64::NAN;
    }
    1.0 - ss_res / ss_tot
}
