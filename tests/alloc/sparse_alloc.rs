//! The sparse derivatives allocate their buffers once, when the pattern and colouring are built:
//! the compressed passes (gradient, Hessian, `H v`, Jacobian) then allocate nothing, at any point.
//!
//! Measured with the per-thread counting allocator of `counting_alloc.rs`.

use crate::counting_alloc;

use counting_alloc::{allocations, assert_counter_works};
use dualgrad::Scalar;
use dualgrad::sparse::{SliceFn, SparseJacobian, SparseSum, TermSum};
use nalgebra::DMatrix;

/// Σ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)² + sin(xᵢ) xᵢ₊₂: three colours.
struct Chain {
    n: usize,
}
impl TermSum for Chain {
    fn terms(&self) -> usize {
        self.n - 2
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        let a = -x[i] + 1.0;
        let b = x[i + 1] - x[i] * x[i];
        a * a + b * b * 100.0 + x[i].sin() * x[i + 2]
    }
}

/// yᵢ = xᵢ exp(xᵢ₊₁) − xᵢ₋₁: tridiagonal.
struct Band;
impl SliceFn for Band {
    fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
        let n = x.len();
        for i in 0..n {
            let mut v = x[i];
            if i + 1 < n {
                v *= x[i + 1].exp();
            }
            if i > 0 {
                v -= x[i - 1];
            }
            y[i] = v;
        }
    }
}

/// Σ sin(xᵢ xᵢ₊₂) + xᵢ₊₁³ as one term.
struct OneTerm;
impl TermSum for OneTerm {
    fn terms(&self) -> usize {
        1
    }
    fn term<T: Scalar>(&self, _: usize, x: &[T]) -> T {
        let mut s = T::zero();
        for i in 0..x.len() - 2 {
            s += (x[i] * x[i + 2]).sin() + x[i + 1].powi(3);
        }
        s
    }
}

#[test]
fn compressed_passes_allocate_nothing_at_new_points() {
    assert_counter_works();
    let n = 300;
    let x0: Vec<f64> = (0..n).map(|i| 0.1 * i as f64).collect();
    let x1: Vec<f64> = (0..n).map(|i| (i as f64).cos()).collect();
    let v = vec![0.5; n];
    let (mut g, mut hv, mut y) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut dense = DMatrix::zeros(n, n);

    let mut sum = SparseSum::new(Chain { n }, &x0);
    let mut jac = SparseJacobian::new(Band, &x0, n);
    for x in [&x0, &x1] {
        assert_eq!(
            allocations(|| sum.gradient(x, &mut g).unwrap()),
            0,
            "gradient"
        );
        assert_eq!(
            allocations(|| sum.hessian(x, &mut g).unwrap().0),
            0,
            "hessian"
        );
        assert_eq!(
            allocations(|| sum.hessian_dense(x, &mut g, &mut dense).unwrap()),
            0,
            "dense hessian"
        );
        assert_eq!(
            allocations(|| sum.hvp(x, &v, &mut g, &mut hv).unwrap()),
            0,
            "hvp"
        );
        assert_eq!(
            allocations(|| jac.jacobian(x, &mut y).unwrap().nnz()),
            0,
            "jacobian"
        );
        assert_eq!(
            allocations(|| jac.jacobian_dense(x, &mut y, &mut dense).unwrap()),
            0,
            "dense jacobian"
        );
    }
    // a general function (one term): the Hessian by its star colouring, also without allocation
    let mut one = SparseSum::new(OneTerm, &x0[..40]);
    assert_eq!(one.hessian_passes(), 5);
    let mut g40 = vec![0.0; 40];
    assert_eq!(
        allocations(|| one.hessian(&x1[..40], &mut g40).unwrap().0),
        0,
        "star hessian"
    );
    // building does allocate: the counter sees it
    assert!(allocations(|| SparseSum::new(Chain { n }, &x0).colours()) > 0);
}
