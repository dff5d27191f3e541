//! Newton and Newton–CG on sums of terms with sparse Hessians: the minimum of the chained
//! Rosenbrock function (all ones) from a perturbed start at 2,000 variables, a saddle found as a
//! saddle, and a singular positive semi-definite Hessian at a minimum taken as converged.

use dualgrad::Scalar;
use dualgrad::optim::{SparseDirection, SparseNewton, StopReason};
use dualgrad::sparse::TermSum;

struct Rosenbrock {
    n: usize,
}
impl TermSum for Rosenbrock {
    fn terms(&self) -> usize {
        self.n - 1
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        let a = -x[i] + 1.0;
        let b = x[i + 1] - x[i] * x[i];
        a * a + b * b * 100.0
    }
}

const DIRECTIONS: [SparseDirection; 2] = [
    SparseDirection::Cholesky,
    SparseDirection::ConjugateGradient { max_cg: 100 },
];

#[test]
fn rosenbrock_2000_reaches_all_ones_in_a_2_mib_thread() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let n = 2000;
            let x0: Vec<f64> = (0..n).map(|i| 1.0 + 0.3 * (i as f64).sin()).collect();
            for direction in DIRECTIONS {
                let report = SparseNewton::new(direction).minimize(Rosenbrock { n }, &x0);
                assert!(report.stop.converged(), "{direction:?}: {report}");
                let worst = report.x.iter().map(|x| (x - 1.0).abs()).fold(0.0, f64::max);
                assert!(worst < 1e-9, "{direction:?}: |x − 1| = {worst}");
                assert!(report.f < 1e-18);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Σ (xᵢ² − 1)² + (xᵢ − xᵢ₊₁)²/10: at 0 the gradient vanishes and the Hessian is −4I plus a
/// small Laplacian, so the smallest eigenvalue is −4.
struct DoubleWell {
    n: usize,
}
impl TermSum for DoubleWell {
    fn terms(&self) -> usize {
        2 * self.n - 1
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        if i < self.n {
            let a = x[i] * x[i] - 1.0;
            a * a
        } else {
            let d = x[i - self.n] - x[i - self.n + 1];
            d * d * 0.1
        }
    }
}

#[test]
fn a_stationary_point_with_negative_curvature_is_a_saddle() {
    for direction in DIRECTIONS {
        let report = SparseNewton::new(direction).minimize(DoubleWell { n: 30 }, &[0.0; 30]);
        match report.stop {
            StopReason::SaddlePoint { min_eigenvalue, .. } => {
                assert!((min_eigenvalue + 4.0).abs() < 1e-6, "{min_eigenvalue}")
            }
            other => panic!("{direction:?}: {other}"),
        }
    }
}

/// Σ (xᵢ − xᵢ₊₁)²: every constant vector is a minimum, the Hessian is singular there.
struct Differences;
impl TermSum for Differences {
    fn terms(&self) -> usize {
        9
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        let d = x[i] - x[i + 1];
        d * d
    }
}

#[test]
fn a_singular_semidefinite_minimum_is_converged() {
    let report = SparseNewton::new(SparseDirection::Cholesky).minimize(Differences, &[0.5; 10]);
    assert!(report.stop.converged(), "{report}");
    assert_eq!(report.iterations, 0);
    // from a non-constant start the shifted Newton steps reach a constant vector
    let x0: Vec<f64> = (0..10).map(|i| i as f64).collect();
    for direction in DIRECTIONS {
        let report = SparseNewton::new(direction).minimize(Differences, &x0);
        assert!(report.stop.converged(), "{direction:?}: {report}");
        assert!(report.f < 1e-18, "{report}");
    }
}
