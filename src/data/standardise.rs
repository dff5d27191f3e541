//! Feature standardisation, fitted on the training part only.

use super::{DataError, Dataset};
use nalgebra::SVector;

/// Per-feature standardisation `x ↦ (x − mean) / scale`, with the mean and the population
/// standard deviation (divisor `n`, as scikit-learn's `StandardScaler`) of a training set.
///
/// Fit it on the training part only and apply the same transform to the test part, so that no
/// information from the test part leaks into training. A feature that is constant on the
/// training part (standard deviation below `f64::MIN_POSITIVE`) gets scale 1 (it is only
/// centred). The mean and the standard deviation are computed in two passes over values scaled
/// by a power of two, so any finite data, up to `±f64::MAX`, gives a finite mean and scale (the
/// squares of values near `1e200` do not overflow).
///
/// ```
/// use dualgrad::data::{Dataset, Standardizer};
/// use nalgebra::SVector;
/// let train = Dataset::new(vec![SVector::from([1.0, 5.0]), SVector::from([3.0, 5.0])], vec![0.0, 1.0])?;
/// let s = Standardizer::fit(&train)?;
/// assert_eq!(s.mean(), &SVector::from([2.0, 5.0]));
/// assert_eq!(s.scale(), &SVector::from([1.0, 1.0])); // std of {1, 3} is 1; {5, 5} is constant
/// assert_eq!(s.transform_sample(&SVector::from([4.0, 6.0])), SVector::from([2.0, 1.0]));
/// # Ok::<(), dualgrad::data::DataError>(())
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
    /// use dualgrad::data::{DataError, Dataset, Standardizer};
    /// let empty = Dataset::<2, f64>::new(vec![], vec![])?;
    /// assert_eq!(Standardizer::fit(&empty).unwrap_err(), DataError::EmptyDataset);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn fit<Y: Clone>(train: &Dataset<F, Y>) -> Result<Self, DataError> {
        if train.is_empty() {
            return Err(DataError::EmptyDataset);
        }
        let xs = train.features();
        let n = train.len() as f64;
        let mut mean = SVector::<f64, F>::zeros();
        let mut scale = SVector::<f64, F>::repeat(1.0);
        for k in 0..F {
            // Two passes over values scaled by powers of two (exact), so that neither the sum
            // nor the squares overflow or underflow; apart from that, the result is bit for bit
            // that of the plain formula.
            let m = pow2_scale(xs.iter().map(|x| x[k].abs()).fold(0.0, f64::max));
            let mean_s = xs.iter().map(|x| x[k] / m).sum::<f64>() / n;
            let m2 = pow2_scale(
                xs.iter()
                    .map(|x| (x[k] / m - mean_s).abs())
                    .fold(0.0, f64::max),
            );
            let var_s = xs
                .iter()
                .map(|x| {
                    let d = (x[k] / m - mean_s) / m2;
                    d * d
                })
                .sum::<f64>()
                / n;
            mean[k] = (mean_s * m).clamp(-f64::MAX, f64::MAX);
            let s = (var_s.sqrt() * m2 * m).min(f64::MAX);
            // a standard deviation below the smallest normal number counts as constant
            scale[k] = if s >= f64::MIN_POSITIVE { s } else { 1.0 };
        }
        Ok(Self { mean, scale })
    }

    /// The fitted per-feature means.
    ///
    /// ```
    /// # use dualgrad::data::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([4.0])], vec![0.0; 2])?;
    /// assert_eq!(Standardizer::fit(&d)?.mean()[0], 3.0);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn mean(&self) -> &SVector<f64, F> {
        &self.mean
    }

    /// The fitted per-feature scales (standard deviations; 1 for constant features).
    ///
    /// ```
    /// # use dualgrad::data::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// assert_eq!(Standardizer::fit(&d)?.scale()[0], 2.0); // √(((2−4)² + (6−4)²) / 2)
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn scale(&self) -> &SVector<f64, F> {
        &self.scale
    }

    /// Standardise one feature vector: `(x − mean) / scale`.
    ///
    /// ```
    /// # use dualgrad::data::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// let s = Standardizer::fit(&d)?;
    /// assert_eq!(s.transform_sample(&SVector::from([8.0])), SVector::from([2.0])); // (8 − 4) / 2
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn transform_sample(&self, x: &SVector<f64, F>) -> SVector<f64, F> {
        SVector::from_fn(|k, _| {
            let z = (x[k] - self.mean[k]) / self.scale[k];
            if z.is_finite() {
                z
            } else {
                // `x − mean` overflowed although the result may be representable
                x[k] / self.scale[k] - self.mean[k] / self.scale[k]
            }
        })
    }

    /// Undo [`transform_sample`](Standardizer::transform_sample): `z · scale + mean`.
    ///
    /// ```
    /// # use dualgrad::data::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// let s = Standardizer::fit(&d)?;
    /// assert_eq!(s.inverse_transform_sample(&SVector::from([2.0])), SVector::from([8.0]));
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn inverse_transform_sample(&self, z: &SVector<f64, F>) -> SVector<f64, F> {
        z.component_mul(&self.scale) + self.mean
    }

    /// Standardise every sample of `data` (targets unchanged).
    ///
    /// # Errors
    /// [`DataError::StandardizeOverflow`], naming the sample, the raw value, the mean and the
    /// scale, if a standardised value is not representable (a value far outside the training
    /// range of a feature with a tiny scale).
    ///
    /// ```
    /// # use dualgrad::data::{Dataset, Standardizer}; use nalgebra::SVector;
    /// let train = Dataset::new(vec![SVector::from([2.0]), SVector::from([6.0])], vec![0.0; 2])?;
    /// let z = Standardizer::fit(&train)?.transform(&train)?;
    /// assert_eq!(z.features(), [SVector::from([-1.0]), SVector::from([1.0])]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn transform<Y: Clone>(&self, data: &Dataset<F, Y>) -> Result<Dataset<F, Y>, DataError> {
        let mut out = Vec::with_capacity(data.len());
        for (row, x) in data.features().iter().enumerate() {
            let z = self.transform_sample(x);
            if let Some(feature) = z.iter().position(|v| !v.is_finite()) {
                return Err(DataError::StandardizeOverflow {
                    row,
                    feature,
                    value: x[feature],
                    mean: self.mean[feature],
                    scale: self.scale[feature],
                });
            }
            out.push(z);
        }
        Dataset::new(out, data.targets().to_vec())
    }
}

/// The power of two `m` with `m <= v < 2m` for a normal `v` (`1` for zero, subnormal or
/// non-finite `v`): dividing by it is exact and brings `v` into `[1, 2)`, so that neither the
/// squares of huge values overflow nor those of tiny values underflow.
fn pow2_scale(v: f64) -> f64 {
    if !v.is_normal() {
        return 1.0;
    }
    // the exponent bits of a normal number
    let e = ((v.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    2f64.powi(e)
}
