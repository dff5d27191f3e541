//! A data set of statically sized samples, with seeded shuffling, splits and mini-batches.

use super::DataError;
use super::random::seeded_rng;
use super::random::{permutation, shuffle_with};
use nalgebra::SVector;

/// Samples with `F` features each (`SVector<f64, F>`) and one target each: `f64` for
/// regression and binary targets, `usize` (a class index) for classification.
///
/// Feature values are finite (checked on construction).
///
/// ```
/// use dualgrad::data::Dataset;
/// use nalgebra::SVector;
/// let xor = Dataset::new(
///     vec![SVector::from([0.0, 0.0]), SVector::from([0.0, 1.0]), SVector::from([1.0, 0.0]), SVector::from([1.0, 1.0])],
///     vec![0.0, 1.0, 1.0, 0.0],
/// )?;
/// assert_eq!(xor.len(), 4);
/// assert_eq!(xor.sample(2), (&SVector::from([1.0, 0.0]), &1.0));
/// # Ok::<(), dualgrad::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset<const F: usize, Y> {
    features: Vec<SVector<f64, F>>,
    targets: Vec<Y>,
}

impl<const F: usize, Y> Dataset<F, Y> {
    /// The number of samples.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0])], vec![0usize])?;
    /// assert_eq!(d.len(), 1);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// True when there are no samples.
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// let d = Dataset::<2, f64>::new(vec![], vec![])?;
    /// assert!(d.is_empty());
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// All feature vectors, in order.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0, 2.0])], vec![0usize])?;
    /// assert_eq!(d.features()[0][1], 2.0);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn features(&self) -> &[SVector<f64, F>] {
        &self.features
    }

    /// All targets, in order.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0])], vec![7usize])?;
    /// assert_eq!(d.targets(), [7]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn targets(&self) -> &[Y] {
        &self.targets
    }

    /// Sample `i`: its features and target.
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0usize, 1])?;
    /// assert_eq!(d.sample(1), (&SVector::from([2.0]), &1));
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn sample(&self, i: usize) -> (&SVector<f64, F>, &Y) {
        (&self.features[i], &self.targets[i])
    }

    /// The samples in order, as `(features, target)` pairs.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![10.0, 20.0])?;
    /// let s: f64 = d.iter().map(|(x, y)| x[0] * y).sum();
    /// assert_eq!(s, 50.0); // 1·10 + 2·20
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&SVector<f64, F>, &Y)> {
        self.features.iter().zip(&self.targets)
    }
}

impl<const F: usize, Y: Clone> Dataset<F, Y> {
    /// A data set from its feature vectors and targets.
    ///
    /// # Errors
    /// [`DataError::LengthMismatch`] if the lengths differ, [`DataError::NonFinite`] for a NaN
    /// or infinite feature.
    ///
    /// ```
    /// use dualgrad::data::{DataError, Dataset};
    /// use nalgebra::SVector;
    /// let e = Dataset::new(vec![SVector::from([1.0])], vec![1.0, 2.0]).unwrap_err();
    /// assert_eq!(e, DataError::LengthMismatch { features: 1, targets: 2 });
    /// let e = Dataset::new(vec![SVector::from([f64::NAN])], vec![1.0]).unwrap_err();
    /// assert!(matches!(e, DataError::NonFinite { row: 0, feature: 0, .. }));
    /// ```
    pub fn new(features: Vec<SVector<f64, F>>, targets: Vec<Y>) -> Result<Self, DataError> {
        if features.len() != targets.len() {
            return Err(DataError::LengthMismatch {
                features: features.len(),
                targets: targets.len(),
            });
        }
        for (row, x) in features.iter().enumerate() {
            if let Some(feature) = x.iter().position(|v| !v.is_finite()) {
                return Err(DataError::NonFinite {
                    row,
                    feature,
                    value: x[feature],
                });
            }
        }
        Ok(Self { features, targets })
    }

    /// The samples at `indices`, in that order (repeats allowed).
    ///
    /// # Panics
    /// If an index is `>= len()`.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0usize, 1])?;
    /// assert_eq!(d.subset(&[1, 1]).targets(), [1, 1]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn subset(&self, indices: &[usize]) -> Self {
        Self {
            features: indices.iter().map(|&i| self.features[i]).collect(),
            targets: indices.iter().map(|&i| self.targets[i].clone()).collect(),
        }
    }

    /// The same samples with the targets mapped by `f` (e.g. class indices to 0/1 targets).
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0usize, 2])?;
    /// let binary = d.map_targets(|&c| if c == 0 { 1.0 } else { 0.0 });
    /// assert_eq!(binary.targets(), [1.0, 0.0]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn map_targets<Z>(&self, f: impl FnMut(&Y) -> Z) -> Dataset<F, Z> {
        Dataset {
            features: self.features.clone(),
            targets: self.targets.iter().map(f).collect(),
        }
    }

    /// The same samples with the features mapped by `f` (e.g. a fitted
    /// [`Standardizer`](crate::data::Standardizer)).
    ///
    /// # Errors
    /// [`DataError::NonFinite`] if `f` produces a NaN or infinite feature.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0usize, 1])?;
    /// let doubled = d.map_features(|x| x * 2.0)?;
    /// assert_eq!(doubled.features()[1][0], 4.0);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn map_features(
        &self,
        f: impl FnMut(&SVector<f64, F>) -> SVector<f64, F>,
    ) -> Result<Self, DataError> {
        Self::new(self.features.iter().map(f).collect(), self.targets.clone())
    }

    /// The samples in a seeded random order (the same for the same seed on every machine; see
    /// [`permutation`]).
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new((0..10).map(|i| SVector::from([i as f64])).collect(), (0..10).collect::<Vec<usize>>())?;
    /// let s = d.shuffled(3);
    /// assert_eq!(s, d.shuffled(3));
    /// // the pairing of features and targets is kept
    /// assert!(s.iter().all(|(x, &y)| x[0] == y as f64));
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn shuffled(&self, seed: u64) -> Self {
        self.subset(&permutation(self.len(), seed))
    }

    /// A seeded random split into a training part with `round(train_fraction · len)` samples
    /// and a test part with the rest.
    ///
    /// # Errors
    /// [`DataError::Fraction`] unless `0 < train_fraction < 1`; [`DataError::EmptyPart`] if
    /// rounding leaves either part empty.
    ///
    /// ```
    /// # use dualgrad::data::{DataError, Dataset}; use nalgebra::SVector;
    /// let d = Dataset::new((0..10).map(|i| SVector::from([i as f64])).collect(), vec![0.0; 10])?;
    /// let (train, test) = d.split(0.8, 1)?;
    /// assert_eq!((train.len(), test.len()), (8, 2));
    /// assert_eq!(d.split(1.0, 1).unwrap_err(), DataError::Fraction { fraction: 1.0 });
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn split(&self, train_fraction: f64, seed: u64) -> Result<(Self, Self), DataError> {
        check_fraction(train_fraction)?;
        let n_train = train_count(train_fraction, self.len())?;
        let order = permutation(self.len(), seed);
        Ok((
            self.subset(&order[..n_train]),
            self.subset(&order[n_train..]),
        ))
    }

    /// Mini-batches of sample indices in order `0, 1, …`: `⌈len / batch_size⌉` batches, the
    /// last one shorter when `batch_size` does not divide `len`.
    ///
    /// # Errors
    /// [`DataError::BatchSize`] if `batch_size` is 0 or larger than the data set.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new((0..5).map(|i| SVector::from([i as f64])).collect(), vec![0.0; 5])?;
    /// let b = d.batches(2)?;
    /// let all: Vec<&[usize]> = b.iter().collect();
    /// assert_eq!(all, [&[0, 1][..], &[2, 3], &[4]]);
    /// assert!(d.batches(6).is_err());
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn batches(&self, batch_size: usize) -> Result<Batches, DataError> {
        self.check_batch(batch_size)?;
        Ok(Batches {
            order: (0..self.len()).collect(),
            batch_size,
        })
    }

    /// Mini-batches of sample indices in a seeded random order (a new seed per epoch gives a
    /// new order per epoch).
    ///
    /// # Errors
    /// [`DataError::BatchSize`] if `batch_size` is 0 or larger than the data set.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new((0..6).map(|i| SVector::from([i as f64])).collect(), vec![0.0; 6])?;
    /// let b = d.shuffled_batches(4, 11)?;
    /// assert_eq!(b.len(), 2); // 4 + 2
    /// let mut seen: Vec<usize> = b.iter().flatten().copied().collect();
    /// seen.sort();
    /// assert_eq!(seen, [0, 1, 2, 3, 4, 5]); // every sample once per epoch
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn shuffled_batches(&self, batch_size: usize, seed: u64) -> Result<Batches, DataError> {
        self.check_batch(batch_size)?;
        Ok(Batches {
            order: permutation(self.len(), seed),
            batch_size,
        })
    }

    fn check_batch(&self, batch_size: usize) -> Result<(), DataError> {
        if batch_size == 0 || batch_size > self.len() {
            return Err(DataError::BatchSize {
                batch_size,
                len: self.len(),
            });
        }
        Ok(())
    }
}

impl<const F: usize> Dataset<F, usize> {
    /// The number of classes: one more than the largest class index (0 when empty).
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![0usize, 2])?;
    /// assert_eq!(d.num_classes(), 3);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn num_classes(&self) -> usize {
        self.targets.iter().max().map_or(0, |&m| m + 1)
    }

    /// A seeded split that keeps the class proportions: each class `c` with `n_c` samples puts
    /// `round(train_fraction · n_c)` of them, chosen at random, in the training part. Both
    /// parts are then shuffled (with the same generator), so neither is sorted by class.
    ///
    /// # Errors
    /// [`DataError::Fraction`] unless `0 < train_fraction < 1`; [`DataError::EmptyPart`] if
    /// either part would be empty.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// // 10 samples of class 0, 5 of class 1
    /// let y: Vec<usize> = (0..15).map(|i| usize::from(i >= 10)).collect();
    /// let d = Dataset::new((0..15).map(|i| SVector::from([i as f64])).collect(), y)?;
    /// let (train, test) = d.stratified_split(0.8, 5)?;
    /// let ones = |d: &Dataset<1, usize>| d.targets().iter().filter(|&&c| c == 1).count();
    /// assert_eq!((train.len(), ones(&train)), (12, 4)); // 8 + 4
    /// assert_eq!((test.len(), ones(&test)), (3, 1)); // 2 + 1
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn stratified_split(
        &self,
        train_fraction: f64,
        seed: u64,
    ) -> Result<(Self, Self), DataError> {
        check_fraction(train_fraction)?;
        let mut rng = seeded_rng(seed);
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for class in 0..self.num_classes() {
            let mut members: Vec<usize> = (0..self.len())
                .filter(|&i| self.targets[i] == class)
                .collect();
            shuffle_with(&mut members, &mut rng);
            let k = (train_fraction * members.len() as f64).round() as usize;
            train.extend_from_slice(&members[..k]);
            test.extend_from_slice(&members[k..]);
        }
        if train.is_empty() || test.is_empty() {
            return Err(DataError::EmptyPart {
                fraction: train_fraction,
                len: self.len(),
            });
        }
        shuffle_with(&mut train, &mut rng);
        shuffle_with(&mut test, &mut rng);
        Ok((self.subset(&train), self.subset(&test)))
    }
}

fn check_fraction(fraction: f64) -> Result<(), DataError> {
    if fraction > 0.0 && fraction < 1.0 {
        Ok(())
    } else {
        Err(DataError::Fraction { fraction })
    }
}

fn train_count(fraction: f64, len: usize) -> Result<usize, DataError> {
    let k = (fraction * len as f64).round() as usize;
    if k == 0 || k >= len {
        return Err(DataError::EmptyPart { fraction, len });
    }
    Ok(k)
}

/// Mini-batches of sample indices: an order of `0..len` cut into consecutive slices of
/// `batch_size` (the last may be shorter). Made by [`Dataset::batches`] and
/// [`Dataset::shuffled_batches`]; iterate by reference.
///
/// ```
/// # use dualgrad::data::Dataset; use nalgebra::SVector;
/// let d = Dataset::new((0..4).map(|i| SVector::from([i as f64])).collect(), vec![0.0; 4])?;
/// for batch in &d.batches(2)? {
///     assert_eq!(batch.len(), 2);
/// }
/// # Ok::<(), dualgrad::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batches {
    order: Vec<usize>,
    batch_size: usize,
}

impl Batches {
    /// The batches, in order.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new((0..3).map(|i| SVector::from([i as f64])).collect(), vec![0.0; 3])?;
    /// assert_eq!(d.batches(2)?.iter().last(), Some(&[2][..]));
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn iter(&self) -> std::slice::Chunks<'_, usize> {
        self.order.chunks(self.batch_size)
    }

    /// The number of batches, `⌈len / batch_size⌉`.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new((0..150).map(|i| SVector::from([i as f64])).collect(), vec![0.0; 150])?;
    /// assert_eq!(d.batches(32)?.len(), 5); // 4·32 + 22
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.order.len().div_ceil(self.batch_size)
    }

    /// True when there are no batches (never, for batches made from a data set).
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0])], vec![0.0])?;
    /// assert!(!d.batches(1)?.is_empty());
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The batch size (every batch but possibly the last has this many indices).
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]); 3], vec![0.0; 3])?;
    /// assert_eq!(d.batches(2)?.batch_size(), 2);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// The whole order of sample indices, all batches concatenated.
    ///
    /// ```
    /// # use dualgrad::data::Dataset; use nalgebra::SVector;
    /// let d = Dataset::new(vec![SVector::from([1.0]); 3], vec![0.0; 3])?;
    /// assert_eq!(d.batches(2)?.order(), [0, 1, 2]);
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    pub fn order(&self) -> &[usize] {
        &self.order
    }
}

impl<'a> IntoIterator for &'a Batches {
    type Item = &'a [usize];
    type IntoIter = std::slice::Chunks<'a, usize>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
