//! Data sets of statically sized samples: `Dataset<F, Y>` holds `F` features per sample as
//! `SVector<f64, F>` and one target of type `Y` (a class index, a value, a vector).
//!
//! - build one from vectors ([`Dataset::new`], which rejects non-finite features and mismatched
//!   lengths) or load one from CSV ([`CsvLoader`], naming the line and column of a bad value);
//! - split it, plain or stratified by class, with a seed; shuffle ([`shuffle_with`],
//!   [`permutation`]) and cut mini-batches ([`Batches`]), reproducibly on every machine;
//! - standardise features with the mean and deviation of the training part only
//!   ([`Standardizer`]).
//!
//! Errors are [`DataError`] values that say what and where.
//!
//! ```
//! use dualgrad::data::{Dataset, Standardizer};
//! use nalgebra::SVector;
//! let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([3.0])], vec![0usize, 1])?;
//! let scaled = Standardizer::fit(&data)?.transform(&data)?; // mean 2, deviation 1
//! assert_eq!(scaled.features(), [SVector::from([-1.0]), SVector::from([1.0])]);
//! # Ok::<(), dualgrad::data::DataError>(())
//! ```

mod csv;
mod dataset;
mod error;
mod random;
mod standardise;

pub use self::csv::{Column, CsvLoader};
pub use dataset::{Batches, Dataset};
pub use error::DataError;
pub use random::{ChaCha8Rng, Rng, permutation, seeded_rng, shuffle_with, unit_uniform};
pub use standardise::Standardizer;
