//! Data sets of statically sized samples: loading (CSV), seeded shuffling, train/test splits,
//! mini-batches and feature standardisation.

mod csv;
mod dataset;
mod error;
mod shuffle;
mod standardise;

pub use self::csv::{Column, CsvLoader};
pub use dataset::{Batches, Dataset};
pub use error::DataError;
pub use shuffle::{permutation, shuffle_with};
pub use standardise::Standardizer;
