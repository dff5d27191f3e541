//! The training runs that the hypergradient tests (`tests/train/hypergradient.rs`)
//! differentiate and that the allocation test of a differentiated run
//! (`tests/alloc/hypergradient_alloc.rs`) counts: gradient descent on ½ xᵀAx (training) /
//! ½ xᵀx (validation), and the XOR network with SGD.
#![allow(dead_code)] // each test binary uses a different subset

use dualgrad::Scalar;
use dualgrad::data::Dataset;
use dualgrad::model::{Mlp1, Tanh};
use dualgrad::objective::{BatchLoss, Samples};
use dualgrad::optim::{Constant, Sgd, SgdConfig};
use dualgrad::train::RunSetup;
use nalgebra::{SMatrix, SVector};

// ---------------------------------------------------------------------------------------------
// Gradient descent on ½ xᵀAx: x_K = (I − ηA)^K x₀ in closed form.

pub const A: [[f64; 2]; 2] = [[3.0, 0.5], [0.5, 1.0]];
pub const X0: [f64; 2] = [1.5, -0.5];

pub fn a() -> SMatrix<f64, 2, 2> {
    SMatrix::from_row_slice(&[A[0][0], A[0][1], A[1][0], A[1][1]])
}

/// ½ xᵀAx (training) or ½ xᵀx (validation), one "sample".
pub struct Quadratic {
    pub validation: bool,
}

impl Samples for Quadratic {
    fn len(&self) -> usize {
        1
    }
}
impl BatchLoss<2> for Quadratic {
    fn batch_loss<T: Scalar>(&self, x: &SVector<T, 2>, _: &[usize]) -> T {
        if self.validation {
            (x[0] * x[0] + x[1] * x[1]) * 0.5
        } else {
            (x[0] * x[0] * A[0][0] + x[0] * x[1] * (2.0 * A[0][1]) + x[1] * x[1] * A[1][1]) * 0.5
        }
    }
}

/// Hyperparameters: h = (η, s), x₀ = s · X0.
pub fn gd_setup<T: Scalar>(h: &SVector<T, 2>) -> RunSetup<Sgd<2, Constant<T>, T>, T, 2> {
    let sgd = SgdConfig::default().lift::<T>().with_lr(h[0]).build()?;
    Ok((sgd, SVector::from([h[1] * X0[0], h[1] * X0[1]])))
}

// ---------------------------------------------------------------------------------------------
// XOR (2-3-1 tanh, 13 parameters), SGD with momentum and weight decay.

pub type Xor = Mlp1<Tanh, 2, 3, 1, 13>;

pub fn xor_data() -> Dataset<2, f64> {
    let xs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    Dataset::new(xs.map(SVector::from).to_vec(), vec![0.0, 1.0, 1.0, 0.0]).unwrap()
}

/// h = (η, μ, λ, s): learning rate, momentum, weight decay, initialisation scale.
pub fn xor_setup<T: Scalar>(
    h: &SVector<T, 4>,
    u: &SVector<f64, 13>,
) -> RunSetup<Sgd<13, Constant<T>, T>, T, 13> {
    let sgd = SgdConfig::default()
        .lift::<T>()
        .with_lr(h[0])
        .with_momentum(h[1])
        .with_weight_decay(h[2])
        .build()?;
    Ok((sgd, u.map(|x| h[3] * x)))
}
