//! Problems of the least-squares tests (`tests/lsq/lsq.rs`) that the allocation test of the
//! solvers (`tests/alloc/lsq_alloc.rs`) solves too: a one-feature data set from points, and the
//! decay model.
#![allow(dead_code)] // each test binary uses a different subset

use dualgrad::Scalar;
use dualgrad::data::Dataset;
use dualgrad::lsq::ObservationResidual;
use nalgebra::SVector;

pub fn dataset(points: &[(f64, f64)]) -> Dataset<1, f64> {
    Dataset::new(
        points.iter().map(|p| SVector::from([p.0])).collect(),
        points.iter().map(|p| p.1).collect(),
    )
    .unwrap()
}

/// y = 2 e^{−0.5 t} exactly: a zero-residual problem both solvers must solve to rounding, from
/// a start where the undamped Gauss–Newton step is poor.
pub struct Decay;
impl ObservationResidual<2, 1, f64, 1> for Decay {
    fn residual<T: Scalar>(
        &self,
        x: &SVector<f64, 1>,
        y: &f64,
        p: &SVector<T, 2>,
    ) -> SVector<T, 1> {
        SVector::from([(p[1] * (-x[0])).exp() * p[0] - *y])
    }
}
