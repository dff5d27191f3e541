//! Levenberg–Marquardt and Gauss–Newton with a compressed Jacobian: the chain of springs of
//! `tests/support/springs.rs` solved sparse and dense, and the stationarity of the sparse
//! solution checked with the dense Jacobian.

use crate::springs::{DenseSprings, Springs};
use dualgrad::lsq::{
    GaussNewton, LevenbergMarquardt, LsqError, LsqRules, LsqStop, SparseGaussNewton,
    SparseLevenbergMarquardt, SparseLsqReport, VectorResiduals,
};
use dualgrad::sparse::SliceFn;
use dualgrad::{Scalar, ScalarFn};
use nalgebra::SVector;

#[test]
fn spring_chain_sparse_lm_matches_the_dense_solve() {
    const K: usize = 20;
    const N: usize = 2 * K;
    const M: usize = K - 1 + 4 + 2 * K;
    let springs = Springs { nodes: K };
    let x0 = springs.start();
    let sparse = SparseLevenbergMarquardt::default()
        .solve(springs, M, &x0)
        .unwrap();
    assert!(sparse.stop.converged(), "{sparse}");
    assert_eq!((sparse.colours, sparse.passes), (4, 1));
    let dense = LevenbergMarquardt::default()
        .solve(
            &VectorResiduals(DenseSprings::<N, M>),
            SVector::from_column_slice(&x0),
        )
        .unwrap();
    assert!(dense.stop.converged(), "{}", dense.stop);
    for (k, (a, b)) in sparse.params.iter().zip(dense.params.iter()).enumerate() {
        assert!(
            (a - b).abs() <= 1e-8 * (1.0 + b.abs()),
            "θ[{k}]: sparse {a}, dense {b}"
        );
    }
    assert!((sparse.rss - dense.rss).abs() <= 1e-10 * dense.rss);
}

#[test]
fn spring_chain_of_300_parameters_is_stationary() {
    let springs = Springs { nodes: 150 };
    let m = springs.residuals();
    let report = SparseLevenbergMarquardt::default()
        .solve(springs, m, &springs.start())
        .unwrap();
    assert!(report.stop.converged(), "{report}");
    // Jᵀr = ∇(½ Σ r²) = 0 at a minimum: by the dense gradient (in chunks) of the sum of squares
    let x = SVector::<f64, 300>::from_column_slice(&report.params);
    let (half_rss, g) = HalfSquares.gradient(&x);
    // from |Jᵀr| ≈ 10 at the start to 2.3e-7 (measured): the run stops on xtol = 1e-13, a
    // scaled step 5e-14 of ‖Dx‖ ≈ 2e4, and JᵀJ (springs of stiffness 4, ends weighted 100)
    // turns a step of that size into a gradient of this one
    assert!(g.amax() < 1e-6, "|Jᵀr| = {}", g.amax());
    assert!((2.0 * half_rss - report.rss).abs() < 1e-12);
    let m = springs.residuals();
    let mut r2 = vec![0.0; m];
    springs.eval(&report.params, &mut r2);
    assert!((r2.iter().map(|v| v * v).sum::<f64>() - report.rss).abs() < 1e-12);
}

/// `½ Σ rᵢ²` of the 150-node chain, for its dense gradient `Jᵀr`.
struct HalfSquares;
impl ScalarFn<300> for HalfSquares {
    fn eval<T: Scalar>(&self, x: &SVector<T, 300>) -> T {
        let springs = Springs { nodes: 150 };
        let mut r = vec![T::zero(); springs.residuals()];
        springs.eval(x.as_slice(), &mut r);
        r.iter().fold(T::zero(), |s, &v| s + v * v) * 0.5
    }
}

#[test]
fn sparse_lm_errors() {
    let springs = Springs { nodes: 4 };
    assert_eq!(
        SparseLevenbergMarquardt::default().solve(springs, 3, &springs.start()),
        Err(LsqError::TooFewResiduals {
            residuals: 3,
            params: 8
        })
    );
    assert!(SparseLevenbergMarquardt::default().with_xtol(-1.0).is_err());
    let mut nan = springs.start();
    nan[3] = f64::NAN;
    // as the dense solvers: a NaN start is named, not left to the residuals
    assert!(matches!(
        SparseLevenbergMarquardt::default().solve(springs, springs.residuals(), &nan),
        Err(LsqError::NonFiniteParameter { index: 3, value }) if value.is_nan()
    ));
    assert!(matches!(
        SparseGaussNewton::default().solve(springs, springs.residuals(), &nan),
        Err(LsqError::NonFiniteParameter { index: 3, .. })
    ));
    assert!(matches!(
        SparseGaussNewton::default()
            .with_rules(LsqRules::default().with_xtol(f64::NAN))
            .solve(springs, springs.residuals(), &springs.start()),
        Err(LsqError::InvalidValue { name: "xtol", .. })
    ));
}

#[test]
fn spring_chain_sparse_gauss_newton_matches_the_dense_one() {
    const K: usize = 20;
    const N: usize = 2 * K;
    const M: usize = K - 1 + 4 + 2 * K;
    let springs = Springs { nodes: K };
    let x0 = springs.start();
    let sparse = SparseGaussNewton::default().solve(springs, M, &x0).unwrap();
    assert!(sparse.stop.converged(), "{sparse}");
    let dense = GaussNewton::default()
        .solve(
            &VectorResiduals(DenseSprings::<N, M>),
            SVector::from_column_slice(&x0),
        )
        .unwrap();
    assert!(dense.stop.converged(), "{}", dense.stop);
    // Gauss–Newton converges only linearly on this nonzero-residual problem (gain ratios about
    // 0.1, the line search halving the steps), until the sum of squares stops changing to
    // rounding with |Jᵀr| near 1e-8 (the full steps do not contract there, so no refinement
    // helps): compare the two by how stationary they are (Jᵀr by the dense gradient of
    // ½ Σ r²), and their points within the distance that leaves.
    let (_, g_sparse) = HalfSquares20.gradient(&SVector::from_column_slice(&sparse.params));
    let (_, g_dense) = HalfSquares20.gradient(&dense.params);
    eprintln!(
        "sparse GN: {sparse}, |Jᵀr| {:.1e}\ndense GN: {dense}, |Jᵀr| {:.1e}",
        g_sparse.amax(),
        g_dense.amax()
    );
    assert!(g_sparse.amax() < 1e-7 && g_dense.amax() < 1e-7);
    for (k, (a, b)) in sparse.params.iter().zip(dense.params.iter()).enumerate() {
        assert!(
            (a - b).abs() <= 1e-8 * (1.0 + b.abs()),
            "θ[{k}]: sparse {a}, dense {b}"
        );
    }
    assert!((sparse.rss - dense.rss).abs() <= 1e-13 * dense.rss);
    // and Levenberg–Marquardt (which gets further: a trust region, no line search) lands on
    // the same point
    let lm = SparseLevenbergMarquardt::default()
        .solve(springs, M, &x0)
        .unwrap();
    for (a, b) in lm.params.iter().zip(&sparse.params) {
        assert!((a - b).abs() <= 1e-8 * (1.0 + b.abs()));
    }
}

/// `½ Σ rᵢ²` of the 20-node chain.
struct HalfSquares20;
impl ScalarFn<40> for HalfSquares20 {
    fn eval<T: Scalar>(&self, x: &SVector<T, 40>) -> T {
        let springs = Springs { nodes: 20 };
        let mut r = vec![T::zero(); springs.residuals()];
        springs.eval(x.as_slice(), &mut r);
        r.iter().fold(T::zero(), |s, &v| s + v * v) * 0.5
    }
}

/// The 1-D Laplacian `L` (tridiagonal −1, 2, −1) as residuals `r = L x − b`, `b = L x*` with
/// `x*ᵢ = sin(3πi/(n+1)) + i/n`: a square, consistent, linear system whose condition number
/// is `κ(L) ≈ 4(n+1)²/π²` (4·10⁵ at n = 1000; `JᵀJ = L²` has κ² ≈ 1.6·10¹¹, so one solve of
/// the normal equations alone loses about 11 of 16 digits).
#[derive(Clone, Copy)]
struct Laplacian {
    n: usize,
}
impl Laplacian {
    fn solution(&self, i: usize) -> f64 {
        let t = i as f64 / (self.n + 1) as f64;
        (3.0 * std::f64::consts::PI * t).sin() + i as f64 / self.n as f64
    }
    fn apply<T: Scalar>(&self, x: impl Fn(usize) -> T, i: usize) -> T {
        let mut v = x(i) * 2.0;
        if i > 0 {
            v -= x(i - 1);
        }
        if i + 1 < self.n {
            v -= x(i + 1);
        }
        v
    }
}
impl SliceFn for Laplacian {
    fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
        for (i, ri) in r.iter_mut().enumerate() {
            let b = self.apply(|k| self.solution(k), i);
            *ri = self.apply(|k| x[k], i) - b;
        }
    }
}

fn max_error(report: &SparseLsqReport, problem: &Laplacian) -> f64 {
    report
        .params
        .iter()
        .enumerate()
        .map(|(i, x)| (x - problem.solution(i)).abs())
        .fold(0.0, f64::max)
}

#[test]
fn ill_conditioned_normal_equations_reach_the_accuracy_of_the_system() {
    let problem = Laplacian { n: 1000 };
    let kappa = 4.0 * 1001.0_f64.powi(2) / std::f64::consts::PI.powi(2);
    // the accuracy any backward-stable solver has on this system: about κ ε |x*|, |x*| ≤ 2
    let attainable = kappa * f64::EPSILON * 2.0;
    for (name, report) in [
        (
            "GN",
            SparseGaussNewton::default()
                .solve(problem, 1000, &[0.0; 1000])
                .unwrap(),
        ),
        (
            "LM",
            SparseLevenbergMarquardt::default()
                .solve(problem, 1000, &[0.0; 1000])
                .unwrap(),
        ),
    ] {
        let error = max_error(&report, &problem);
        eprintln!(
            "{name}: {report}; max error {error:.2e} (κε|x*| = {attainable:.2e}, κ²ε = {:.2e})",
            kappa * kappa * f64::EPSILON
        );
        assert!(report.stop.converged(), "{name}: {report}");
        assert!(error <= 10.0 * attainable, "{name}: error {error:e}");
    }
}

/// Three copies of `rᵢ = exp(−xᵢ²) + 1` (twice each): the sum of squares falls towards its
/// infimum as |xᵢ| → ∞, and from xᵢ = 0.01 the Gauss–Newton step ≈ 100 lands where the model
/// and its whole Jacobian underflow to exactly 0 (the dense solvers' test, made sparse).
#[derive(Clone, Copy)]
struct Underflow;
impl SliceFn for Underflow {
    fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
        for i in 0..3 {
            let v = (-(x[i] * x[i])).exp() + 1.0;
            r[2 * i] = v;
            r[2 * i + 1] = v;
        }
    }
}

#[test]
fn a_model_that_underflows_to_zero_is_not_convergence() {
    let fit = SparseGaussNewton::default()
        .solve(Underflow, 6, &[0.01; 3])
        .unwrap();
    assert_eq!(fit.stop, LsqStop::ZeroJacobian, "{fit}");
    assert!(!fit.stop.converged());
    assert_eq!((fit.rss, fit.iterations), (6.0, 1));
    let fit = SparseLevenbergMarquardt::default()
        .solve(Underflow, 6, &[0.01; 3])
        .unwrap();
    assert!(
        matches!(fit.stop, LsqStop::ZeroJacobian | LsqStop::Diverging { .. }),
        "{fit}"
    );
    assert!(!fit.stop.converged());
}

/// Three copies of `r = (exp(−xᵢ), 1)`: `Σ r²` falls towards 3 as xᵢ → ∞ with no minimum and
/// the Gauss–Newton step is always +1 (the dense solvers' test, made sparse).
#[derive(Clone, Copy)]
struct RunAway;
impl SliceFn for RunAway {
    fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
        for i in 0..3 {
            r[2 * i] = (-x[i]).exp();
            r[2 * i + 1] = T::lift(1.0) + x[i] * 0.0;
        }
    }
}

#[test]
fn a_parameter_running_to_infinity_is_not_convergence() {
    for fit in [
        SparseLevenbergMarquardt::default()
            .solve(RunAway, 6, &[0.0; 3])
            .unwrap(),
        SparseGaussNewton::default()
            .solve(RunAway, 6, &[0.0; 3])
            .unwrap(),
    ] {
        let LsqStop::Diverging {
            index,
            value,
            column,
        } = fit.stop
        else {
            panic!("not a divergence: {fit}");
        };
        assert!(index < 3);
        assert!(value > 15.0, "{fit}");
        // the column e^{−x} relative to its start e^{0}
        assert!(column < 1.5e-8 && (column - (-value).exp()).abs() < 1e-3 * column);
        assert!(!fit.stop.converged());
    }
}

#[test]
fn the_observer_sees_each_accepted_step_and_can_stop_the_run() {
    let springs = Springs { nodes: 20 };
    let m = springs.residuals();
    let mut seen = Vec::new();
    let fit = SparseLevenbergMarquardt::default()
        .solve_observed(springs, m, &springs.start(), |it| {
            // the gradient it reports is Jᵀr at its point (the dense gradient of ½ Σ r²)
            let (_, g) = HalfSquares20.gradient(&SVector::from_column_slice(it.params));
            for (a, b) in it.gradient.iter().zip(g.iter()) {
                assert!((a - b).abs() <= 1e-12 * (1.0 + b.abs()));
            }
            seen.push((it.iteration, it.rss));
            if it.iteration == 3 {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(fit.stop, LsqStop::ObserverStopped);
    assert!(!fit.stop.converged());
    assert_eq!(fit.iterations, 3);
    assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(seen[2].1, fit.rss);
    assert!(seen.windows(2).all(|w| w[1].1 < w[0].1));
    let gn = SparseGaussNewton::default()
        .solve_observed(springs, m, &springs.start(), |_| {
            std::ops::ControlFlow::Break(())
        })
        .unwrap();
    assert_eq!((gn.stop, gn.iterations), (LsqStop::ObserverStopped, 1));
}

/// `r = (x₀ + x₁ − 2, x₀ + (1 + h) x₁ − 2 − h, x₀ + (1 − h) x₁ − 2 + h)`: solution (1, 1) at
/// zero residual, `κ(J) ≈ 1.6/h`. At `h = 1e-10`, `κ² ≈ 10²⁰` is beyond `1/ε`: `JᵀJ` is singular
/// in floating point, which the dense QR does not need.
#[derive(Clone, Copy)]
struct NearlyDependent {
    h: f64,
}
impl SliceFn for NearlyDependent {
    fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
        let h = self.h;
        r[0] = x[0] + x[1] - 2.0;
        r[1] = x[0] + x[1] * (1.0 + h) - (2.0 + h);
        r[2] = x[0] + x[1] * (1.0 - h) - (2.0 - h);
    }
}
impl dualgrad::VectorFn<2, 3> for NearlyDependent {
    fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 3> {
        let mut r = [T::zero(); 3];
        SliceFn::eval(self, x.as_slice(), &mut r);
        SVector::from(r)
    }
}

#[test]
fn the_normal_equations_stop_short_where_the_condition_number_squared_exceeds_one_over_epsilon() {
    // κ ≈ 1.6e4: κ² ε ≈ 6e-8, inside the limit: sparse and dense both solve it
    let fine = NearlyDependent { h: 1e-4 };
    let gn = SparseGaussNewton::default()
        .solve(fine, 3, &[0.0, 0.0])
        .unwrap();
    assert!(gn.stop.converged(), "{gn}");
    assert!((gn.params[0] - 1.0).abs() < 1e-10 && (gn.params[1] - 1.0).abs() < 1e-10);
    // κ ≈ 1.6e10: beyond it. The dense Gauss–Newton (QR) still solves it; the sparse one cannot
    // factor JᵀJ and says so instead of claiming convergence.
    let hard = NearlyDependent { h: 1e-10 };
    let dense = GaussNewton::default()
        .solve(&VectorResiduals(hard), SVector::from([0.0, 0.0]))
        .unwrap();
    assert!(dense.stop.converged(), "{}", dense.stop);
    assert!((dense.params[0] - 1.0).abs() < 1e-5, "{}", dense.params);
    let gn = SparseGaussNewton::default()
        .solve(hard, 3, &[0.0, 0.0])
        .unwrap();
    assert_eq!(gn.stop, LsqStop::NoProgress, "{gn}");
    assert!(!gn.stop.converged());
    // Levenberg–Marquardt's damped matrix stays positive definite, and on this zero-residual
    // problem the damped steps, each from fresh residuals, still reach the solution
    let lm = SparseLevenbergMarquardt::default()
        .solve(hard, 3, &[0.0, 0.0])
        .unwrap();
    assert!(lm.stop.converged(), "{lm}");
    assert!((lm.params[0] - 1.0).abs() < 1e-6 && (lm.params[1] - 1.0).abs() < 1e-6);
}

/// A random zero-residual problem with a banded Jacobian: `rᵢ = Σₖ aᵢₖ gₖ(x₍ᵢ₊ₖ₎ mod 8) − bᵢ` for
/// 12 residuals, `k < 3`, `gₖ` among `x`, `x + 0.1 x³`, `sin`-like smooth maps, and `b` chosen so
/// that a random `x*` solves it. From a start near `x*` (within 0.3 in each parameter, where
/// the solution is isolated) the dense solvers (QR) and the sparse ones (normal equations) must
/// all converge, to `x*`.
#[derive(Clone, Copy)]
struct RandomBanded {
    a: [[f64; 3]; 12],
    target: [f64; 8],
}
impl RandomBanded {
    fn model<T: Scalar>(&self, x: &[T], i: usize) -> T {
        (0..3).fold(T::zero(), |s, k| {
            let v = x[(i + k) % 8];
            let g = match (i + k) % 3 {
                0 => v,
                1 => v + v * v * v * 0.1,
                _ => v.atan() * 2.0,
            };
            s + g * self.a[i][k]
        })
    }
}
impl SliceFn for RandomBanded {
    fn eval<T: Scalar>(&self, x: &[T], r: &mut [T]) {
        let target: Vec<T> = self.target.iter().map(|&v| T::lift(v)).collect();
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = self.model(x, i) - self.model(&target, i);
        }
    }
}
impl dualgrad::VectorFn<8, 12> for RandomBanded {
    fn eval<T: Scalar>(&self, x: &SVector<T, 8>) -> SVector<T, 12> {
        let mut r = [T::zero(); 12];
        SliceFn::eval(self, x.as_slice(), &mut r);
        SVector::from(r)
    }
}

#[test]
fn sparse_solvers_find_the_dense_solvers_point_on_random_banded_problems() {
    fn prop(seed: u64) -> quickcheck::TestResult {
        let a_flat = crate::common::vec_from_seed::<36>(seed, 0.5, 2.0);
        let target = crate::common::vec_from_seed::<8>(seed ^ 0xABCD, -1.0, 1.0);
        let x0 = target + crate::common::vec_from_seed::<8>(seed ^ 0x1234, -0.3, 0.3);
        let mut a = [[0.0; 3]; 12];
        for (i, row) in a.iter_mut().enumerate() {
            for (k, v) in row.iter_mut().enumerate() {
                *v = a_flat[(3 * i + k) % 36];
            }
        }
        let problem = RandomBanded {
            a,
            target: target.into(),
        };
        let dense_lm = LevenbergMarquardt::default()
            .solve(&VectorResiduals(problem), x0)
            .unwrap();
        let dense_gn = GaussNewton::default()
            .solve(&VectorResiduals(problem), x0)
            .unwrap();
        let lm = SparseLevenbergMarquardt::default()
            .solve(problem, 12, x0.as_slice())
            .unwrap();
        let gn = SparseGaussNewton::default()
            .solve(problem, 12, x0.as_slice())
            .unwrap();
        for (name, converged, params, stop) in [
            (
                "sparse LM",
                lm.stop.converged(),
                lm.params.as_slice(),
                lm.stop,
            ),
            (
                "sparse GN",
                gn.stop.converged(),
                gn.params.as_slice(),
                gn.stop,
            ),
            (
                "dense LM",
                dense_lm.stop.converged(),
                dense_lm.params.as_slice(),
                dense_lm.stop,
            ),
            (
                "dense GN",
                dense_gn.stop.converged(),
                dense_gn.params.as_slice(),
                dense_gn.stop,
            ),
        ] {
            if !converged {
                return quickcheck::TestResult::error(format!("{name}: {stop}"));
            }
            COMPARED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            for k in 0..8 {
                if (params[k] - target[k]).abs() > 1e-9 {
                    return quickcheck::TestResult::error(format!(
                        "{name} θ[{k}]: {} against x* = {} ({stop})",
                        params[k], target[k]
                    ));
                }
            }
        }
        quickcheck::TestResult::passed()
    }
    static COMPARED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    crate::common::check_n(100, prop as fn(u64) -> quickcheck::TestResult);
    let compared = COMPARED.load(std::sync::atomic::Ordering::Relaxed);
    assert!(compared >= 400, "only {compared} solves compared");
}
