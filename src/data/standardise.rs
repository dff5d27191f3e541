//! Feature standardisation, fitted on the training part only.

use super::{DataError, Dataset};
use nalgebra::SVector;

/// Per-feature standardisation `x ↦ (x − mean) / scale`, with the mean and the population
/// standard deviation (divisor `n`, as scikit-learn's `StandardScaler`) of a training set.
///
/// Fit it on the training part only and apply the same transform to the test part, so that no
/// information from the test part leaks into training. A feature that is constant on the
/// training part gets scale 1 (it is only centred).
///
/// ```
/// use dualgrad::{Dataset, Standardizer};
/// use nalgebra::SVector;
/// let train = Dataset::new(vec![SVector::from([1.0, 5.0]), SVector::from([3.0, 5.0])], vec![0.0, 1.0])?;
/// let s = Standardizer::fit(&train)?;
/// assert_eq!(s.mean(), &SVector::from([2.0, 5.0]));
/// assert_eq!(s.scale(), &SVector::from([1.0, 1.0])); // std of {1, 3} is 1; {5, 5} is constant
/// assert_eq!(s.transform_sample(&SVector::from([4.0, 6.0])), SVector::from([2.0, 1.0]));
/// # Ok::<(), dualgrad::DataError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Standardizer<const F: usize> {
    mean: SVector<f64, F>,
    scale: SVector<f64, F>,
}

impl<const F: usize> Standardizer<F> {
    /// Fit the per-feature mean and standard deviation of `train`.
    ///
    /// # Errors
    /// [`DataError::EmptyDataset`] if `train` has no samples.
    ///
    /// ```
    /// use dualgrad::{DataError, Dataset, Standardizer};
    /// let empty = Dataset::<2, f64>::new(vec![], vec![])?;
    /// assert_eq!(Standardizer::fit(&empty).unwrap_err(), DataError::EmptyDataset);
    /// # Ok::<(), dualgrad::DataError>(())
    /// ```
    pub fn fit<Y: Clone>(train: &Dataset<F, Y>) -> Result<Self, DataError> {
        if train.is_empty() {
            return Err(DataError::EmptyDataset);
        }
        let n = train.len() as f64;
        let mean = train
            .features()
            .iter()
            .fold(SVector::<f64, F>::zeros(), |s, x| s + x)
            / n;
        let var = train
            .features()
            .iter()
            .fold(SVector::<f64, F>::zeros(), |s, x| {
                let d = x - mean;
                s + d.component_mul(&d)
            })
            / n;
        let scale = var.map(|v| {
            let s = v.sqrt();
            if s > 0.0 && s.is_finite() { s } else { 1.0 }
        });
        Ok(Self { mean, scale })
    }

    /// The fitted per-feature means.
    ///
    /// ```
    /// # use dualgrad::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([4.0])], vec![0.0; 2])?;
    /// assert_eq!(Standardizer::fit(&d)?.mean()[0], 3.0);
    /// # Ok::<(), dualgrad::DataError>(())
    /// ```
    pub fn mean(&self) -> &SVector<f64, F> {
        &self.mean
    }

    /// The fitted per-feature scales (standard deviations; 1 for constant features).
    ///
    /// ```
    /// # use dualgrad::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// assert_eq!(Standardizer::fit(&d)?.scale()[0], 2.0); // √(((2−4)² + (6−4)²) / 2)
    /// # Ok::<(), dualgrad::DataError>(())
    /// ```
    pub fn scale(&self) -> &SVector<f64, F> {
        &self.scale
    }

    /// Standardise one feature vector: `(x − mean) / scale`.
    ///
    /// ```
    /// # use dualgrad::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// let s = Standardizer::fit(&d)?;
    /// assert_eq!(s.transform_sample(&SVector::from([8.0])), SVector::from([2.0])); // (8 − 4) / 2
    /// # Ok::<(), dualgrad::DataError>(())
    /// ```
    pub fn transform_sample(&self, x: &SVector<f64, F>) -> SVector<f64, F> {
        (x - self.mean).component_div(&self.scale)
    }

    /// Undo [`transform_sample`](Standardizer::transform_sample): `z · scale + mean`.
    ///
    /// ```
    /// # use dualgrad::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// let s = Standardizer::fit(&d)?;
    /// assert_eq!(s.inverse_transform_sample(&SVector::from([2.0])), SVector::from([8.0]));
    /// # Ok::<(), dualgrad::DataError>(())
    /// ```
    pub fn inverse_transform_sample(&self, z: &SVector<f64, F>) -> SVector<f64, F> {
        z.component_mul(&self.scale) + self.mean
    }

    /// Standardise every sample of `data` (targets unchanged).
    ///
    /// # Errors
    /// [`DataError::NonFinite`] if a value overflows (only for features near `f64::MAX`).
    ///
    /// ```
    /// # use dualgrad::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let train = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// let z = Standardizer::fit(&train)?.transform(&train)?;
    /// assert_eq!(z.features(), [SVector::from([-1.0]), SVector::from([1.0])]);
    /// # Ok::<(), dualgrad::DataError>(())
    /// ```
    pub fn transform<Y: Clone>(&self, data: &Dataset<F, Y>) -> Result<Dataset<F, Y>, DataError> {
        data.map_features(|x| self.transform_sample(x))
    }
}
