//! A chain of springs as a least-squares problem with a sparse Jacobian, shared by the sparse
//! least-squares tests (`tests/lsq/sparse_lsq.rs`) and the bench (`benches/sparse.rs`).
//!
//! `K` nodes `pₖ = (xₖ, yₖ)` in the plane (parameters `x₀, y₀, x₁, y₁, …`: `n = 2K`), linked by
//! springs of rest length `L`: residual `√s (‖pₖ₊₁ − pₖ‖ − L)` for each spring; the two ends held
//! at `(0, 0)` and `(1.2 (K − 1) L, 0) (the springs stretched)` with weight 10 (four residuals); every node pulled
//! (weight 1) towards a sagging target curve. Each residual reads at most four parameters, so
//! the Jacobian has at most four nonzeros a row and the column colouring needs four colours.
#![allow(dead_code)]

use dualgrad::Scalar;
use dualgrad::VectorFn;
use dualgrad::sparse::SliceFn;
use nalgebra::SVector;

/// The chain of `nodes` nodes.
#[derive(Clone, Copy, Debug)]
pub struct Springs {
    pub nodes: usize,
}

pub const REST: f64 = 1.0;
pub const STIFFNESS: f64 = 4.0;

impl Springs {
    /// Parameters: two per node.
    pub fn params(&self) -> usize {
        2 * self.nodes
    }

    /// Residuals: a spring between neighbours, four for the ends, two per node for the targets.
    pub fn residuals(&self) -> usize {
        self.nodes - 1 + 4 + 2 * self.nodes
    }

    /// The target of node `k`: on the line between the ends, sagging by a parabola.
    pub fn target(&self, k: usize) -> (f64, f64) {
        let span = 1.2 * (self.nodes - 1) as f64 * REST;
        let t = k as f64 / (self.nodes - 1) as f64;
        (t * span, -0.2 * span * t * (1.0 - t))
    }

    /// A start: the targets, perturbed.
    pub fn start(&self) -> Vec<f64> {
        (0..self.nodes)
            .flat_map(|k| {
                let (tx, ty) = self.target(k);
                [
                    tx + 0.1 * (k as f64).sin(),
                    ty + 0.1 * (1.3 * k as f64).cos(),
                ]
            })
            .collect()
    }
}

impl SliceFn for Springs {
    fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
        let k = self.nodes;
        let s = STIFFNESS.sqrt();
        for i in 0..k - 1 {
            let dx = x[2 * i + 2] - x[2 * i];
            let dy = x[2 * i + 3] - x[2 * i + 1];
            r[i] = ((dx * dx + dy * dy).sqrt() - REST) * s;
        }
        let e = k - 1;
        let span = 1.2 * (k - 1) as f64 * REST;
        r[e] = x[0] * 10.0;
        r[e + 1] = x[1] * 10.0;
        r[e + 2] = (x[2 * k - 2] - span) * 10.0;
        r[e + 3] = x[2 * k - 1] * 10.0;
        for j in 0..k {
            let (tx, ty) = self.target(j);
            r[e + 4 + 2 * j] = x[2 * j] - tx;
            r[e + 5 + 2 * j] = x[2 * j + 1] - ty;
        }
    }
}

/// The same chain on statically sized vectors, for the dense solver (`N = 2K`, `M` residuals).
pub struct DenseSprings<const N: usize, const M: usize>;

impl<const N: usize, const M: usize> VectorFn<N, M> for DenseSprings<N, M> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> SVector<T, M> {
        let springs = Springs { nodes: N / 2 };
        assert_eq!(springs.residuals(), M);
        let mut r = SVector::<T, M>::from_element(T::zero());
        springs.eval(x.as_slice(), r.as_mut_slice());
        r
    }
}
