//! The least-squares solvers allocate their buffers once per solve: the number of heap
//! allocations does not depend on the number of observations nor on the iterations.
//!
//! Measured with the per-thread counting allocator of `counting_alloc.rs`.

use crate::counting_alloc;
use crate::lsq_problems;

use counting_alloc::allocations;
use dualgrad::lsq::{DataResiduals, LevenbergMarquardt};
use lsq_problems::{Decay, dataset};
use nalgebra::SVector;

/// The buffers are allocated once per solve: the number of allocations does not depend on the
/// number of observations (no allocation per row or per block) nor on the iterations.
#[test]
fn allocations_do_not_grow_with_rows_or_iterations() {
    let count = |n: usize| {
        let points: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let t = i as f64 * 10.0 / n as f64;
                (t, 2.0 * (-0.5 * t).exp() + 1e-3 * (i as f64).sin())
            })
            .collect();
        let data = dataset(&points);
        let problem = DataResiduals::new(Decay, &data);
        let mut iterations = 0;
        let a = allocations(|| {
            let r = LevenbergMarquardt::default()
                .solve(&problem, SVector::from([1.0, 2.0]))
                .unwrap();
            iterations = r.iterations;
        });
        (a, iterations)
    };
    let (small, _) = count(50);
    let (large, iters) = count(5000);
    assert_eq!(small, large);
    assert!(iters > 3);
    assert_eq!(small, 4, "residuals, trial residuals, Jacobian, Qᵀr");
}
