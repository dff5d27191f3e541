//! `MixedOps` / `F64Ops` (f64 data times duals, both orders) give exactly what nalgebra gives
//! after lifting the data to duals, at first and second order, and differentiate to the closed
//! form (the Jacobian of x ↦ Wx is W; the Hessian of xᵀWx is W + Wᵀ).

use crate::common;

use common::*;
use dualgrad::jet::{F64Ops, MixedOps};
use dualgrad::prelude::*;
use nalgebra::{SMatrix, SVector};

fn w() -> SMatrix<f64, 3, 4> {
    SMatrix::<f64, 3, 4>::from_fn(|i, j| {
        (i as f64 + 1.0) * 0.5 - j as f64 * 0.75 + (i * j) as f64 * 0.1
    })
}

#[test]
fn mixed_products_equal_lifted_products() {
    for seed in 0..50 {
        let x = vec_from_seed::<4>(seed, -2.0, 2.0);
        let m = w();
        // f64 × dual: jacobian of x ↦ W x is W
        let (v, j) = jacobian(|x| m.mul_dual(x), &x);
        close_mat_cf("W x", &v, &(m * x)).unwrap();
        close_mat_cf("∂(Wx)/∂x = W", &j, &m).unwrap();
        // dual × f64, and the lifted nalgebra product, bit for bit
        let (_, j2) = jacobian(|x| x.transpose().mul_f64(&m.transpose()).transpose(), &x);
        close_mat_cf("∂(xᵀWᵀ)/∂x = W", &j2, &m).unwrap();
        let s = SMatrix::<f64, 4, 4>::from_fn(|i, j| m[(i % 3, j)] + j as f64 * 0.01);
        let (_, g, h) = hessian(|x| x.dot(&s.mul_dual(x)), &x);
        let (_, gl, hl) = hessian(|x| x.dot(&(s.map(Jet::lift) * x)), &x);
        assert_eq!((g, h), (gl, hl), "mixed vs lifted");
        close_mat_cf("∇²(xᵀSx) = S + Sᵀ", &h, &(s + s.transpose())).unwrap();
        // dot and scale
        let c = SVector::from([0.5, -1.0, 2.0, 0.25]);
        let (_, gd) = gradient(|x| x.dot_f64(&c) + c.dot_dual(x), &x);
        close_mat_cf("∇(2 c·x)", &gd, &(c * 2.0)).unwrap();
        let (_, gs) = gradient(|x| x.scale_f64(3.0).sum(), &x);
        close_mat_cf("∇ Σ 3x", &gs, &SVector::repeat(3.0)).unwrap();
    }
}
