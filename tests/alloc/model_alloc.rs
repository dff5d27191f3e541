//! Zero heap allocations in a full-batch value-and-gradient (a counting global allocator).

use crate::counting_alloc;

use counting_alloc::allocations;

use dualgrad::ScalarFn;
use dualgrad::data::Dataset;
use dualgrad::model::{
    BinaryCrossEntropy, LogisticRegression, Mlp1, Model, Sigmoid, Supervised, Tanh,
};
use dualgrad::objective::{FullBatch, Objective};
use nalgebra::SVector;

fn xor() -> Dataset<2, f64> {
    Dataset::new(
        vec![
            SVector::from([0.0, 0.0]),
            SVector::from([0.0, 1.0]),
            SVector::from([1.0, 0.0]),
            SVector::from([1.0, 1.0]),
        ],
        vec![0.0, 1.0, 1.0, 0.0],
    )
    .unwrap()
}

#[test]
fn the_counter_counts() {
    // guard against a counter that never fires
    let n = allocations(|| {
        std::hint::black_box(vec![1u8; 16]);
    });
    assert_eq!(n, 1);
}

#[test]
fn xor_mlp_full_batch_gradient_does_not_allocate() {
    let data = xor();
    let net = Mlp1::<Tanh, 2, 3, 1, 13>::new();
    let obj = Supervised::new(net, BinaryCrossEntropy, &data)
        .unwrap()
        .with_l2(1e-3)
        .unwrap();
    let p = net.init(5);
    let all = [0, 1, 2, 3];
    let mut out = (0.0, SVector::zeros());
    let full = FullBatch::new(&obj); // the index list is built here, once
    let n = allocations(|| {
        out = obj.loss_and_gradient(&p, &all); // fast path
        out.0 += obj.full_loss_and_gradient(&p).0;
        out.0 += obj.generic_loss_and_gradient(&p, &all).0; // generic path
        out.0 += full.gradient(&p).0; // ScalarFn
        out.0 += obj.loss(&p, &all);
    });
    assert_eq!(n, 0, "allocations in the XOR MLP gradient");
    assert!(out.0.is_finite() && out.1.iter().all(|g| g.is_finite()));

    let net = Mlp1::<Sigmoid, 2, 3, 1, 13>::new();
    let obj = Supervised::new(net, BinaryCrossEntropy, &data).unwrap();
    let p = net.init(6);
    assert_eq!(
        allocations(|| {
            std::hint::black_box(obj.full_loss_and_gradient(&p));
        }),
        0
    );
}

#[test]
fn logistic_regression_full_batch_gradient_does_not_allocate() {
    let data = xor();
    let model = LogisticRegression::<2, 3>::new();
    let obj = Supervised::new(model, BinaryCrossEntropy, &data).unwrap();
    let p = SVector::from([0.5, -0.25, 0.1]);
    let all = [0, 1, 2, 3];
    let mut v = 0.0;
    let full = FullBatch::new(&obj);
    let n = allocations(|| {
        v += obj.loss_and_gradient(&p, &all).0;
        v += obj.generic_loss_and_gradient(&p, &all).0;
        v += full.hessian(&p).0; // Newton's method needs this too
    });
    assert_eq!(n, 0, "allocations in the logistic-regression gradient");
    assert!(v.is_finite());
}
