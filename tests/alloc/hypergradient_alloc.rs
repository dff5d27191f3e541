//! A differentiated training run allocates its buffers once: the number of heap allocations of
//! `hypergradient` does not grow with the number of epochs (gradient descent on a quadratic, and
//! the XOR network in mini-batches; the runs of `tests/support/hypergradient_runs.rs`).
//!
//! Measured with the per-thread counting allocator of `counting_alloc.rs`, after the control
//! `assert_counter_works`.

use crate::counting_alloc;
use crate::hypergradient_runs;

use counting_alloc::{allocations, assert_counter_works};
use dualgrad::model::{MeanSquaredError, Model, Supervised};
use dualgrad::train::{TrainConfig, hypergradient};
use hypergradient_runs::{Quadratic, Xor, gd_setup, xor_data, xor_setup};
use nalgebra::SVector;

#[test]
fn a_differentiated_run_allocates_nothing_per_step() {
    assert_counter_works();
    let (train, val) = (
        Quadratic { validation: false },
        Quadratic { validation: true },
    );
    let count = |epochs: usize| {
        let config = TrainConfig::default().with_epochs(epochs);
        allocations(|| hypergradient(&SVector::from([0.1, 1.0]), gd_setup, &train, &val, &config))
    };
    assert_eq!(count(5), count(500)); // the index buffers, once per run
    let data = xor_data();
    let objective = Supervised::new(Xor::new(), MeanSquaredError, &data).unwrap();
    let u = Xor::new().init(2);
    let count = |epochs: usize| {
        let config = TrainConfig::default()
            .with_epochs(epochs)
            .with_batch_size(2);
        let h = SVector::from([0.1, 0.5, 0.0, 1.0]);
        allocations(|| hypergradient(&h, |h| xor_setup(h, &u), &objective, &objective, &config))
    };
    assert_eq!(count(2), count(40));
}
