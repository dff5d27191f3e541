//! Least squares given what a new user may give it: a NaN start, a model that underflows to a
//! constant, a parameter that runs off to infinity, parameters that are not identifiable. Each
//! test asserts the error's text or the documented stop and value; expected values are closed
//! forms worked out in the comments.

use dualgrad::Scalar;
use dualgrad::lsq::{
    GaussNewton, LevenbergMarquardt, LsqError, LsqStop, NoCovariance, Residuals, jacobian_matrix,
    residual_vector,
};
use nalgebra::SVector;
use std::ops::ControlFlow;

/// rᵢ = θ₀ θ₁ tᵢ − 2tᵢ, tᵢ = 1..5: only the product θ₀θ₁ is determined (= 2), the Jacobian
/// columns θ₁t and θ₀t are parallel everywhere.
struct Product;
impl Residuals<2, 1> for Product {
    fn blocks(&self) -> usize {
        5
    }
    fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
        let t = (i + 1) as f64;
        // A little noise so the RSS is not zero: the fit of a line through the origin.
        let y = 2.0 * t + [0.1, -0.1, 0.05, 0.0, -0.05][i];
        SVector::from([p[0] * p[1] * t - y])
    }
}

#[test]
fn rank_deficient_jacobian_has_no_standard_errors_and_says_why() {
    // Gauss–Newton has no damping for a singular R: it stops at once, and says why there are
    // no standard errors at the start.
    let gn = GaussNewton::default()
        .solve(&Product, SVector::from([1.0, 1.0]))
        .unwrap();
    assert_eq!(gn.stop, LsqStop::NoProgress);
    assert_eq!(
        gn.no_covariance,
        Some(NoCovariance::RankDeficient { column: 1 })
    );
    {
        let fit = LevenbergMarquardt::default()
            .solve(&Product, SVector::from([1.0, 1.0]))
            .unwrap();
        // The product reaches the least-squares slope Σty/Σt² (closed form).
        let (sty, stt) = (1..=5).fold((0.0, 0.0), |(a, b), i| {
            let t = i as f64;
            let y = 2.0 * t + [0.1, -0.1, 0.05, 0.0, -0.05][i - 1];
            (a + t * y, b + t * t)
        });
        assert!(
            (fit.params[0] * fit.params[1] - sty / stt).abs() < 1e-10,
            "{fit}"
        );
        assert_eq!(fit.std_errors, None, "{fit}");
        assert_eq!(fit.covariance, None);
        assert_eq!(
            fit.no_covariance,
            Some(NoCovariance::RankDeficient { column: 1 })
        );
        assert_eq!(
            fit.no_covariance.unwrap().to_string(),
            "the Jacobian is rank deficient at the solution: column 1 is a combination of the \
             columns before it (to rounding), so the parameters are not all identifiable"
        );
    }
}

/// rᵢ = θ − i for i = 0, 1: as many residuals as parameters after all? No: 2 residuals, 2
/// parameters (θ₀ − 0, θ₁ − 1): no degrees of freedom.
struct Square;
impl Residuals<2, 1> for Square {
    fn blocks(&self) -> usize {
        2
    }
    fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
        SVector::from([p[i] - i as f64])
    }
}

#[test]
fn no_degrees_of_freedom_is_the_reason_given() {
    let fit = LevenbergMarquardt::default()
        .solve(&Square, SVector::from([3.0, 3.0]))
        .unwrap();
    assert_eq!(fit.stop, LsqStop::ZeroResidual);
    assert_eq!(fit.no_covariance, Some(NoCovariance::NoDegreesOfFreedom));
}

#[test]
fn nan_start_is_named_as_the_start() {
    let nan = SVector::from([1.0, f64::NAN]);
    let text = "the starting point's parameter 1 is NaN: it must be finite";
    let e = LevenbergMarquardt::default()
        .solve(&Product, nan)
        .unwrap_err();
    assert!(matches!(e, LsqError::NonFiniteParameter { index: 1, .. }));
    assert_eq!(e.to_string(), text);
    let e = LevenbergMarquardt::default()
        .solve_bounded(&Product, nan, SVector::repeat(-10.0), SVector::repeat(10.0))
        .unwrap_err();
    assert_eq!(e.to_string(), text);
    let e = GaussNewton::default().solve(&Product, nan).unwrap_err();
    assert_eq!(e.to_string(), text);
    let e = GaussNewton::default()
        .solve_bounded(&Product, nan, SVector::repeat(-10.0), SVector::repeat(10.0))
        .unwrap_err();
    assert_eq!(e.to_string(), text);
    let inf = SVector::from([f64::NEG_INFINITY, 1.0]);
    assert_eq!(
        LevenbergMarquardt::default()
            .solve(&Product, inf)
            .unwrap_err()
            .to_string(),
        "the starting point's parameter 0 is -inf: it must be finite"
    );
}

/// rᵢ = exp(−θ²) + 1 (twice): the model exp(−θ²) wants to reach −1, so the sum of squares
/// falls towards its infimum 2 as |θ| → ∞. From θ = 0.01 the Gauss–Newton step is
/// δ = −r/J = (e^{−θ²} + 1)/(2θ e^{−θ²}) ≈ 100: the model at θ ≈ 100 is e^{−10⁴}, which
/// underflows to exactly 0, and so does the whole Jacobian; the sum of squares fell (from
/// 2·1.9999² to 2), so the line search accepts the full step.
struct Underflow;
impl Residuals<1, 1> for Underflow {
    fn blocks(&self) -> usize {
        2
    }
    fn residual<T: Scalar>(&self, _: usize, p: &SVector<T, 1>) -> SVector<T, 1> {
        SVector::from([(-(p[0] * p[0])).exp() + 1.0])
    }
}

#[test]
fn a_model_that_underflows_to_zero_is_not_convergence() {
    let fit = GaussNewton::default()
        .solve(&Underflow, SVector::from([0.01]))
        .unwrap();
    assert_eq!(fit.stop, LsqStop::ZeroJacobian, "{fit}");
    assert!(!fit.stop.converged());
    assert_eq!(fit.rss, 2.0);
    assert_eq!(fit.iterations, 1);
    assert!(
        fit.stop
            .to_string()
            .starts_with("the Jacobian is zero at nonzero residuals")
    );
    // Levenberg–Marquardt walks out more carefully, but ends the same way: not converged.
    let fit = LevenbergMarquardt::default()
        .solve(&Underflow, SVector::from([0.01]))
        .unwrap();
    assert!(
        matches!(
            fit.stop,
            LsqStop::ZeroJacobian | LsqStop::Diverging { index: 0, .. }
        ),
        "{fit}"
    );
    assert!(!fit.stop.converged());
}

/// r = (exp(−θ), 1): the sum of squares e^{−2θ} + 1 falls towards 1 as θ → ∞, with no
/// minimum, and the Gauss–Newton step −r/J is always +1. Gauss–Newton runs until the gradient
/// cosine e^{−θ}/sqrt(e^{−2θ} + 1) falls below 1e-15 near θ = 35, where the Jacobian column
/// e^{−θ} is e^{−35} ≈ 6e-16 of its size at θ = 0. Levenberg–Marquardt stalls earlier, near
/// θ = 20, where e^{−2θ} is below the rounding of the sum of squares (every trial is rejected
/// and the trust region shrinks to a small step), while the column is e^{−20} ≈ 2e-9 of its
/// start and the Gauss–Newton step still +1: a run-off, not a minimum.
struct RunAway;
impl Residuals<1, 2> for RunAway {
    fn blocks(&self) -> usize {
        1
    }
    fn residual<T: Scalar>(&self, _: usize, p: &SVector<T, 1>) -> SVector<T, 2> {
        SVector::from([(-p[0]).exp(), T::lift(1.0) + p[0] * 0.0])
    }
}

#[test]
fn a_parameter_running_to_infinity_is_not_convergence() {
    for fit in [
        LevenbergMarquardt::default()
            .solve(&RunAway, SVector::from([0.0]))
            .unwrap(),
        GaussNewton::default()
            .solve(&RunAway, SVector::from([0.0]))
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
        assert_eq!(index, 0);
        assert!(value > 15.0, "{fit}");
        // The column e^{−θ} relative to its start e^{0}: vanished below sqrt(ε) at least.
        assert!(column < 1.5e-8 && (column - (-value).exp()).abs() < 1e-3 * column);
        assert!(!fit.stop.converged());
        assert!(fit.stop.to_string().starts_with("parameter 0 is diverging"));
    }
}

/// rᵢ = θ₀ exp(θ₁ tᵢ) − 2 exp(tᵢ/2), tᵢ = 0, 0.5, 1, 1.5.
struct Growth;
impl Residuals<2, 1> for Growth {
    fn blocks(&self) -> usize {
        4
    }
    fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
        let t = i as f64 * 0.5;
        SVector::from([p[0] * (p[1] * t).exp() - 2.0 * (t / 2.0).exp()])
    }
}

#[test]
fn observer_sees_every_accepted_step_and_can_stop() {
    let mut seen = Vec::new();
    let full = LevenbergMarquardt::default()
        .solve_observed(&Growth, SVector::from([1.0, 0.0]), |it| {
            seen.push((it.iteration, it.rss, it.jacobian_evaluations));
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(full.stop.converged(), "{full}");
    assert_eq!(seen.len(), full.iterations);
    // Numbered 1, 2, ... with the sum of squares never rising and one Jacobian per step.
    for (k, w) in seen.iter().enumerate() {
        assert_eq!(w.0, k + 1);
        assert_eq!(w.2, k + 2);
    }
    assert!(seen.windows(2).all(|w| w[1].1 <= w[0].1));
    // The counts are honest: every Jacobian is the start's, a main step's, a refinement
    // step's or a refinement trial's that raised the sum of squares (at most one in each of
    // at most two refinement runs).
    let taken = 1 + full.iterations + full.refinement_steps;
    assert!(
        (taken..=taken + 2).contains(&full.jacobian_evaluations),
        "{full}"
    );
    let stopped = GaussNewton::default()
        .solve_observed(&Growth, SVector::from([1.0, 0.0]), |it| {
            if it.iteration == 1 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(stopped.stop, LsqStop::ObserverStopped);
    assert_eq!(stopped.iterations, 1);
    assert!(!stopped.stop.converged());
}

#[test]
fn public_residuals_and_jacobian_match_the_closed_form() {
    let p = SVector::from([1.5, -0.25]);
    let r = residual_vector(&Growth, &p);
    let (r2, j) = jacobian_matrix(&Growth, &p);
    assert_eq!(r, r2);
    assert_eq!(j.shape(), (4, 2));
    for i in 0..4 {
        let t = i as f64 * 0.5;
        let e = (p[1] * t).exp();
        assert_eq!(r[i], p[0] * e - 2.0 * (t / 2.0).exp());
        // ∂/∂θ₀ = e^{θ₁t}, ∂/∂θ₁ = θ₀ t e^{θ₁t}
        assert!((j[(i, 0)] - e).abs() <= 1e-15 * e);
        assert!((j[(i, 1)] - p[0] * t * e).abs() <= 1e-15 * (p[0] * t * e).abs());
    }
}

#[test]
fn gauss_newton_respects_bounds() {
    // θ₀θ₁ = 2 wants any product; with θ₁ fixed in [0.5, 0.5] the product forces θ₀ = 4·slope/2.
    let fit = GaussNewton::default()
        .solve_bounded(
            &Growth,
            SVector::from([1.0, 0.0]),
            SVector::from([f64::NEG_INFINITY, -1.0]),
            SVector::from([f64::INFINITY, 0.25]),
        )
        .unwrap();
    // Unbounded the answer is θ = (2, 0.5); with θ₁ <= 0.25 the bound is active, and θ₀ is
    // the least-squares coefficient of e^{0.25 t}: Σ yᵢ eᵢ / Σ eᵢ².
    assert_eq!(fit.params[1], 0.25, "{fit}");
    let (num, den) = (0..4).fold((0.0, 0.0), |(a, b), i| {
        let t = i as f64 * 0.5;
        let e = (0.25 * t).exp();
        (a + 2.0 * (t / 2.0).exp() * e, b + e * e)
    });
    assert!((fit.params[0] - num / den).abs() < 1e-12, "{fit}");
}

#[test]
fn damping_and_scaling_settings_are_checked_and_all_solve() {
    use dualgrad::lsq::{Damping, Scaling};
    let e = LevenbergMarquardt::default()
        .with_damping(Damping::TrustRegion { factor: 0.0 })
        .solve(&Growth, SVector::from([1.0, 0.0]))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid trust-region factor = 0: must be finite and > 0"
    );
    let e = LevenbergMarquardt::default()
        .with_initial_damping(f64::NAN)
        .solve(&Growth, SVector::from([1.0, 0.0]))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid initial_damping = NaN: must be finite and > 0"
    );
    // Growth is exactly θ₀ exp(θ₁ t) with θ = (2, 0.5): every setting reaches it to rounding.
    for damping in [
        Damping::TrustRegion { factor: 1.0 },
        Damping::TrustRegion { factor: 100.0 },
        Damping::Nielsen { initial: 1e-3 },
    ] {
        for scaling in [Scaling::RunningMax, Scaling::Current, Scaling::Unit] {
            let fit = LevenbergMarquardt::default()
                .with_damping(damping)
                .with_scaling(scaling)
                .solve(&Growth, SVector::from([1.0, 0.0]))
                .unwrap();
            assert!(
                (fit.params - SVector::from([2.0, 0.5])).norm() < 1e-12,
                "{damping:?} {scaling:?}: {fit}"
            );
            assert!(fit.stop.converged(), "{damping:?} {scaling:?}: {fit}");
        }
    }
}
