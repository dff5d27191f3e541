//! The least-squares solvers on problems with closed-form answers, against each other and at the
//! edges (non-finite trial points, too few residuals, huge data sets in a small stack); their
//! heap allocations are counted in `tests/alloc/lsq_alloc.rs`.
//!
//! Expected values: closed forms (a straight line's least-squares fit and its covariance from
//! the 2×2 normal equations, solved by hand here), the exact zero-residual solution of a
//! synthetic exponential, and identities between the two residual forms.

use crate::common;
use crate::lsq_problems;

use dualgrad::data::Dataset;
use dualgrad::lsq::{
    DataResiduals, GaussNewton, LevenbergMarquardt, LsqError, LsqRules, LsqStop,
    ObservationResidual, Residuals, VectorResiduals,
};
use dualgrad::{Scalar, VectorFn};
use lsq_problems::{Decay, dataset};
use nalgebra::SVector;

/// yᵢ ≈ a + b tᵢ, one residual per observation.
struct Line;
impl ObservationResidual<2, 1, f64, 1> for Line {
    fn residual<T: Scalar>(
        &self,
        x: &SVector<f64, 1>,
        y: &f64,
        p: &SVector<T, 2>,
    ) -> SVector<T, 1> {
        SVector::from([p[0] + p[1] * x[0] - *y])
    }
}

/// The closed-form fit of a line: slope Sxy/Sxx, intercept ȳ − b x̄, σ̂² = RSS/(n − 2),
/// Var(b) = σ̂²/Sxx, Var(a) = σ̂² (1/n + x̄²/Sxx).
fn line_by_hand(data: &[(f64, f64)]) -> ([f64; 2], f64, [f64; 2]) {
    let n = data.len() as f64;
    let xm = data.iter().map(|d| d.0).sum::<f64>() / n;
    let ym = data.iter().map(|d| d.1).sum::<f64>() / n;
    let sxx: f64 = data.iter().map(|d| (d.0 - xm).powi(2)).sum();
    let sxy: f64 = data.iter().map(|d| (d.0 - xm) * (d.1 - ym)).sum();
    let b = sxy / sxx;
    let a = ym - b * xm;
    let rss: f64 = data.iter().map(|d| (a + b * d.0 - d.1).powi(2)).sum();
    let s2 = rss / (n - 2.0);
    (
        [a, b],
        rss,
        [(s2 * (1.0 / n + xm * xm / sxx)).sqrt(), (s2 / sxx).sqrt()],
    )
}

#[test]
fn line_fit_matches_the_closed_form_with_its_standard_errors() {
    let points: Vec<(f64, f64)> = (0..12)
        .map(|i| {
            let t = i as f64 * 0.7 - 2.0;
            (t, 1.5 - 0.8 * t + 0.3 * (i as f64 * 2.1).sin())
        })
        .collect();
    let data = dataset(&points);
    let (p, rss, se) = line_by_hand(&points);
    for report in [
        LevenbergMarquardt::default()
            .solve(
                &DataResiduals::new(Line, &data),
                SVector::from([10.0, 10.0]),
            )
            .unwrap(),
        GaussNewton::default()
            .solve(
                &DataResiduals::new(Line, &data),
                SVector::from([10.0, 10.0]),
            )
            .unwrap(),
    ] {
        assert!(report.stop.converged(), "{report}");
        for i in 0..2 {
            assert!((report.params[i] - p[i]).abs() < 1e-12, "{report}");
            let s = report.std_errors.unwrap()[i];
            assert!(
                (s - se[i]).abs() < 1e-12 * se[i].max(1.0),
                "{s} vs {}",
                se[i]
            );
        }
        assert!((report.rss - rss).abs() < 1e-12 * rss);
        assert_eq!(report.dof, 10);
        let cov = report.covariance.unwrap();
        assert!((cov[(0, 1)] - cov[(1, 0)]).abs() < 1e-15);
    }
}

fn decay_data() -> Dataset<1, f64> {
    let points: Vec<(f64, f64)> = (0..20)
        .map(|i| {
            let t = i as f64 * 0.5;
            (t, 2.0 * (-0.5 * t).exp())
        })
        .collect();
    dataset(&points)
}

#[test]
fn zero_residual_exponential_is_solved_to_rounding() {
    let data = decay_data();
    let problem = DataResiduals::new(Decay, &data);
    let lm = LevenbergMarquardt::default()
        .solve(&problem, SVector::from([1.0, 2.0]))
        .unwrap();
    assert!(
        (lm.params - SVector::from([2.0, 0.5])).norm() < 1e-13,
        "{lm}"
    );
    assert!(lm.rss < 1e-28, "{lm}");
    let gn = GaussNewton::default()
        .solve(&problem, SVector::from([1.5, 0.4]))
        .unwrap();
    assert!(
        (gn.params - SVector::from([2.0, 0.5])).norm() < 1e-13,
        "{gn}"
    );
    // Counts: every Jacobian comes with its residuals; LM evaluates trial points on f64.
    assert!(lm.jacobian_evaluations >= lm.iterations);
    assert!(lm.residual_evaluations >= lm.iterations);
}

/// The same problem as a fixed-size VectorFn (M = 20 residuals) gives the same fit.
struct DecayVec([f64; 20]);
impl VectorFn<2, 20> for DecayVec {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> SVector<T, 20> {
        SVector::from_fn(|i, _| {
            let t = i as f64 * 0.5;
            (p[1] * (-t)).exp() * p[0] - self.0[i]
        })
    }
}

#[test]
fn vector_fn_and_per_observation_forms_agree_bit_for_bit() {
    let data = decay_data();
    let ys: [f64; 20] = std::array::from_fn(|i| data.targets()[i]);
    let a = LevenbergMarquardt::default()
        .solve(&DataResiduals::new(Decay, &data), SVector::from([1.0, 2.0]))
        .unwrap();
    let b = LevenbergMarquardt::default()
        .solve(&VectorResiduals(DecayVec(ys)), SVector::from([1.0, 2.0]))
        .unwrap();
    assert_eq!(a, b);
}

/// A model that is NaN for a negative rate (sqrt): trial points there are rejected, not fatal.
struct SqrtRate;
impl ObservationResidual<1, 1, f64, 1> for SqrtRate {
    fn residual<T: Scalar>(
        &self,
        x: &SVector<f64, 1>,
        y: &f64,
        p: &SVector<T, 1>,
    ) -> SVector<T, 1> {
        SVector::from([p[0].sqrt() * x[0] - *y])
    }
}

#[test]
fn non_finite_trial_points_are_rejected() {
    // y = 0.1 x: the answer is p = 0.01, near the edge p = 0 where sqrt stops being real.
    let points: Vec<(f64, f64)> = (1..6).map(|i| (i as f64, 0.1 * i as f64)).collect();
    let data = dataset(&points);
    let r = LevenbergMarquardt::default()
        .with_initial_damping(1e-9) // a bold first step that overshoots below 0
        .solve(&DataResiduals::new(SqrtRate, &data), SVector::from([4.0]))
        .unwrap();
    assert!((r.params[0] - 0.01).abs() < 1e-14, "{r}");
}

struct Two;
impl Residuals<3, 1> for Two {
    fn blocks(&self) -> usize {
        2
    }
    fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 3>) -> SVector<T, 1> {
        SVector::from([p[i]])
    }
}

#[test]
fn user_errors_are_values() {
    let lm = LevenbergMarquardt::default();
    assert_eq!(
        lm.solve(&Two, SVector::zeros()).unwrap_err(),
        LsqError::TooFewResiduals {
            residuals: 2,
            params: 3
        }
    );
    let data = decay_data();
    let problem = DataResiduals::new(SqrtRate, &data);
    assert_eq!(
        lm.solve(&problem, SVector::from([-1.0])).unwrap_err(),
        LsqError::NonFiniteStart { row: 0 }
    );
    // Finite residuals whose squares overflow.
    struct Huge;
    impl Residuals<1, 1> for Huge {
        fn blocks(&self) -> usize {
            3
        }
        fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 1>) -> SVector<T, 1> {
            SVector::from([p[0] * 1e200 - i as f64])
        }
    }
    assert_eq!(
        lm.solve(&Huge, SVector::from([1.0])).unwrap_err(),
        LsqError::Overflow { largest: 1e200 }
    );
    assert!(matches!(
        GaussNewton::default().solve(&Huge, SVector::from([1.0])),
        Err(LsqError::Overflow { .. })
    ));
    // A NaN in the Jacobian only (√x at 0 has an infinite derivative) names its row.
    struct Root;
    impl Residuals<1, 1> for Root {
        fn blocks(&self) -> usize {
            3
        }
        fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 1>) -> SVector<T, 1> {
            SVector::from([(p[0] * i as f64 - 2.0).abs().sqrt()])
        }
    }
    assert_eq!(
        lm.solve(&Root, SVector::from([1.0])).unwrap_err(),
        LsqError::NonFiniteStart { row: 2 }
    );
    let bad = LevenbergMarquardt::default().with_rules(LsqRules::default().with_xtol(-1.0));
    assert!(matches!(
        bad.solve(&problem, SVector::from([1.0])),
        Err(LsqError::InvalidValue { name: "xtol", .. })
    ));
    assert!(matches!(
        GaussNewton::default().solve(&Two, SVector::zeros()),
        Err(LsqError::TooFewResiduals { .. })
    ));
}

#[test]
fn max_iterations_is_reported() {
    let data = decay_data();
    let lm = LevenbergMarquardt::default().with_rules(LsqRules::default().with_max_iterations(2));
    let r = lm
        .solve(&DataResiduals::new(Decay, &data), SVector::from([1.0, 2.0]))
        .unwrap();
    assert_eq!(r.stop, LsqStop::MaxIterations(2));
    assert_eq!(r.iterations, 2);
    assert!(!r.stop.converged());
}

/// 100 000 observations in a 2 MiB thread (debug build): nothing proportional to the data lives
/// on the stack.
#[test]
fn large_data_set_in_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let n = 100_000;
            let points: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    let t = i as f64 * 1e-4;
                    (t, 2.0 * (-0.5 * t).exp())
                })
                .collect();
            let data = dataset(&points);
            let r = LevenbergMarquardt::default()
                .solve(&DataResiduals::new(Decay, &data), SVector::from([1.0, 1.0]))
                .unwrap();
            assert!((r.params - SVector::from([2.0, 0.5])).norm() < 1e-10, "{r}");
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Linear least squares in 3 unknowns on random well-conditioned data: LM's answer satisfies
/// the normal equations Jᵀr = 0 (checked here with the plain f64 residuals).
#[test]
fn linear_problems_satisfy_the_normal_equations() {
    struct Lin(Vec<[f64; 4]>);
    impl Residuals<3, 1> for Lin {
        fn blocks(&self) -> usize {
            self.0.len()
        }
        fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 3>) -> SVector<T, 1> {
            let [a, b, c, y] = self.0[i];
            SVector::from([p[0] * a + p[1] * b + p[2] * c - y])
        }
    }
    fn prop(seed: u64) -> bool {
        let mut rng = dualgrad::data::seeded_rng(seed);
        let rows: Vec<[f64; 4]> = (0..8)
            .map(|_| std::array::from_fn(|_| 2.0 * dualgrad::data::unit_uniform(&mut rng) - 1.0))
            .map(|[a, b, c, y]: [f64; 4]| [a + 2.0, b, c - 2.0, y])
            .collect();
        let problem = Lin(rows.clone());
        let r = LevenbergMarquardt::default()
            .solve(&problem, SVector::zeros())
            .unwrap();
        let mut g = [0.0; 3];
        for [a, b, c, y] in &rows {
            let res = r.params[0] * a + r.params[1] * b + r.params[2] * c - y;
            g[0] += a * res;
            g[1] += b * res;
            g[2] += c * res;
        }
        g.iter().all(|v| v.abs() < 1e-12)
    }
    common::check_n(200, prop as fn(u64) -> bool);
}

/// y = 2 e^{−0.7 t} fitted with the rate bounded by k <= 0.5: the bound is active and the
/// amplitude is the one-dimensional least-squares optimum for k = 0.5,
/// a = Σ yᵢ e^{−0.5 tᵢ} / Σ e^{−tᵢ} (closed form).
#[test]
fn bounded_fit_holds_the_active_bound_and_solves_the_rest() {
    let points: Vec<(f64, f64)> = (0..20)
        .map(|i| {
            let t = i as f64 * 0.25;
            (t, 2.0 * (-0.7 * t).exp())
        })
        .collect();
    let data = dataset(&points);
    let a_star = points.iter().map(|p| p.1 * (-0.5 * p.0).exp()).sum::<f64>()
        / points.iter().map(|p| (-p.0).exp()).sum::<f64>();
    let lm = LevenbergMarquardt::default();
    let r = lm
        .solve_bounded(
            &DataResiduals::new(Decay, &data),
            SVector::from([1.0, 0.1]),
            SVector::from([0.0, 0.0]),
            SVector::from([10.0, 0.5]),
        )
        .unwrap();
    assert_eq!(r.params[1], 0.5, "{r}");
    assert!(
        (r.params[0] - a_star).abs() < 1e-12 * a_star,
        "{r}: a* = {a_star}"
    );
    assert!(r.stop.converged(), "{r}");
    // An inactive box changes nothing: the unconstrained answer (2, 0.7), bit for bit.
    let free = lm
        .solve(&DataResiduals::new(Decay, &data), SVector::from([1.0, 0.1]))
        .unwrap();
    let boxed = lm
        .solve_bounded(
            &DataResiduals::new(Decay, &data),
            SVector::from([1.0, 0.1]),
            SVector::from([-100.0, -100.0]),
            SVector::from([100.0, 100.0]),
        )
        .unwrap();
    assert_eq!(free, boxed);
    assert!((free.params - SVector::from([2.0, 0.7])).norm() < 1e-13);
    // Bad boxes are errors naming the parameter.
    let e = lm
        .solve_bounded(
            &DataResiduals::new(Decay, &data),
            SVector::from([1.0, 0.1]),
            SVector::from([0.0, 1.0]),
            SVector::from([1.0, 0.5]),
        )
        .unwrap_err();
    assert_eq!(
        e,
        LsqError::InvalidBounds {
            index: 1,
            lower: 1.0,
            upper: 0.5
        }
    );
}

/// `y = a·exp(−b t)` with `a = 2e6`, `b = 1.5e-3`, `t = 0, 50, …, 950`, exact data: the closed
/// form is `(2e6, 1.5e-3)` at zero residual. Parameters nine orders apart.
struct WideDecay;
impl Residuals<2, 1> for WideDecay {
    fn blocks(&self) -> usize {
        20
    }
    fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
        let t = 50.0 * i as f64;
        SVector::from([p[0] * (-p[1] * t).exp() - 2e6 * (-1.5e-3 * t).exp()])
    }
}

/// A given parameter scale (scipy's `x_scale`) where the start misstates a parameter's size:
/// from `a = 1` (the answer is 2e6) the first trust region, `‖Dθ₀‖`, is a millionth of the way,
/// and with column-norm or unit scaling the run spends many Jacobians growing it; told the
/// typical sizes (1e6, 1e-3) the method takes a few. All reach the closed form.
#[test]
fn given_parameter_scale_helps_where_the_start_misstates_a_parameters_size() {
    use dualgrad::lsq::Scaling;
    let start = SVector::from([1.0, 1e-3]);
    let exact = SVector::from([2e6, 1.5e-3]);
    let close = |p: &SVector<f64, 2>| (p - exact).component_div(&exact).amax();
    let rules = LsqRules::default().with_max_iterations(300);
    let lm = LevenbergMarquardt::default().with_rules(rules);
    let scaled = lm
        .clone()
        .with_x_scale(&[1e6, 1e-3])
        .solve(&WideDecay, start)
        .unwrap();
    let default = lm.solve(&WideDecay, start).unwrap();
    let unit = lm
        .clone()
        .with_scaling(Scaling::Unit)
        .solve(&WideDecay, start)
        .unwrap();
    for fit in [&scaled, &default, &unit] {
        assert!(fit.stop.converged(), "{fit}");
        assert!(close(&fit.params) < 1e-13, "{fit}");
    }
    assert!(
        scaled.jacobian_evaluations <= 10
            && 3 * scaled.jacobian_evaluations < default.jacobian_evaluations
            && 3 * scaled.jacobian_evaluations < unit.jacobian_evaluations,
        "scaled: {scaled}\ndefault: {default}\nunit: {unit}"
    );
    // Only the ratios of the scales matter (the first radius is relative to ‖Dθ₀‖): the same
    // scale in other units gives the same run, up to rounding.
    let other = lm
        .with_x_scale(&[1e9, 1.0])
        .solve(&WideDecay, start)
        .unwrap();
    assert!(close(&other.params) < 1e-13, "{other}");
    assert_eq!(other.jacobian_evaluations, scaled.jacobian_evaluations);
}

/// Bad scales are errors naming the entry (first bad one) or the length; choosing
/// `Scaling::Given` without a scale is the length error; another scaling clears the scale.
#[test]
fn bad_parameter_scales_are_named() {
    use dualgrad::lsq::Scaling;
    let start = SVector::from([1e6, 1e-3]);
    for (scale, index) in [
        (vec![0.0, 1.0], 0),
        (vec![1.0, -2.0], 1),
        (vec![f64::NAN, 1.0], 0),
        (vec![1.0, f64::INFINITY], 1),
    ] {
        let e = LevenbergMarquardt::default()
            .with_x_scale(&scale)
            .solve(&WideDecay, start)
            .unwrap_err();
        assert!(
            matches!(e, LsqError::InvalidScale { index: i, .. } if i == index),
            "{scale:?}: {e}"
        );
        assert!(e.to_string().contains(&format!("x_scale[{index}]")), "{e}");
    }
    let e = LevenbergMarquardt::default()
        .with_x_scale(&[1.0, 2.0, 3.0])
        .solve(&WideDecay, start)
        .unwrap_err();
    assert_eq!(e, LsqError::ScaleLength { len: 3, params: 2 });
    assert_eq!(
        e.to_string(),
        "x_scale has 3 entries for 2 parameters: it needs one per parameter"
    );
    let e = LevenbergMarquardt::default()
        .with_scaling(Scaling::Given)
        .solve(&WideDecay, start)
        .unwrap_err();
    assert_eq!(e, LsqError::ScaleLength { len: 0, params: 2 });
    let lm = LevenbergMarquardt::default()
        .with_x_scale(&[1.0, 1.0])
        .with_scaling(Scaling::RunningMax);
    assert_eq!(lm.x_scale(), None);
    assert!(lm.solve(&WideDecay, start).is_ok());
}

/// `N` separate parameters, each with the residuals `pₖ² − 1` and `pₖ − 3`, which cannot both
/// vanish: a large-residual problem on which Gauss–Newton contracts only by about 1/6 a step.
struct Separate<const N: usize>;
impl<const N: usize> Residuals<N, 2> for Separate<N> {
    fn blocks(&self) -> usize {
        N
    }
    fn residual<T: Scalar>(&self, k: usize, p: &SVector<T, N>) -> SVector<T, 2> {
        SVector::from([p[k] * p[k] - 1.0, p[k] - 3.0])
    }
}

/// The root of `2p³ − p − 3 = 0` (the stationary point of `(p² − 1)² + (p − 3)²`), by
/// bisection: the closed form's value, independent of the solver.
fn separate_root() -> f64 {
    let (mut lo, mut hi) = (1.0_f64, 2.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if 2.0 * mid.powi(3) - mid - 3.0 > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The refinement's exact Hessian (nested jets, `(N + 1)²` numbers each) at the largest `N` it
/// is used for, 16, in a 2 MiB thread in a debug build; at `N = 17` the refinement takes
/// Gauss–Newton steps. Both reach the closed form.
#[test]
fn newton_refinement_at_its_largest_size_fits_a_small_stack() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let root = separate_root();
            let fit = LevenbergMarquardt::default()
                .solve(&Separate::<16>, SVector::repeat(0.5))
                .unwrap();
            assert!(fit.stop.converged(), "{fit}");
            assert!(fit.hessian_evaluations >= 1, "{fit}");
            assert!(
                fit.params.iter().all(|p| (p - root).abs() < 1e-14 * root),
                "{fit}"
            );
            let fit = LevenbergMarquardt::default()
                .solve(&Separate::<17>, SVector::repeat(0.5))
                .unwrap();
            assert!(fit.stop.converged(), "{fit}");
            assert_eq!(fit.hessian_evaluations, 0, "{fit}");
            assert!(
                fit.params.iter().all(|p| (p - root).abs() < 1e-13 * root),
                "{fit}"
            );
        })
        .unwrap()
        .join()
        .unwrap();
}
