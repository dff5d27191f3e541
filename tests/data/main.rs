//! Data: the CSV loader, data sets (seeded shuffles, splits, mini-batches), standardisation,
//! and their errors for bad input.

mod bad_input_data;
mod data_csv;
mod data_dataset;
