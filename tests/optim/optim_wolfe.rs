//! The strong Wolfe line search (Moré–Thuente) and L-BFGS with it.
//!
//! Expected values come from the definitions: the two Wolfe conditions are checked on every
//! accepted step from an independent evaluation of `f` and `∇f` (through a recording
//! wrapper), and the minimiser of Rosenbrock's function is the closed-form `(1, …, 1)`.

use dualgrad::optim::{Armijo, Lbfgs, LineSearch, Newton, StrongWolfe};
use dualgrad::optim::{StopReason, StopRules, minimize};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::SVector;
use std::cell::RefCell;

/// The extended Rosenbrock function Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², minimiser (1, …, 1).
struct Rosenbrock;
impl<const N: usize> ScalarFn<N> for Rosenbrock {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        let mut f = T::zero();
        for i in 0..N - 1 {
            let a = -x[i] + 1.0;
            let b = x[i + 1] - x[i] * x[i];
            f += a * a + b * b * 100.0;
        }
        f
    }
}

/// The standard start: (−1.2, 1, −1.2, 1, …).
fn standard_start<const N: usize>() -> SVector<f64, N> {
    SVector::from_fn(|i, _| if i % 2 == 0 { -1.2 } else { 1.0 })
}

/// Wraps a function and records every accepted iterate (through the observer) so the Wolfe
/// conditions can be checked between consecutive iterates.
fn run<const N: usize, L: LineSearch>(
    line_search: L,
) -> (dualgrad::optim::Report<N>, Vec<SVector<f64, N>>) {
    let rules = StopRules::default()
        .with_grad_tol(1e-10)
        .with_max_iterations(2000);
    let iterates = RefCell::new(Vec::new());
    let mut lbfgs = Lbfgs::<N, 5>::default().with_line_search(line_search);
    let report = minimize(
        &Rosenbrock,
        standard_start::<N>(),
        &mut lbfgs,
        &rules,
        |p| iterates.borrow_mut().push(*p.params),
    )
    .unwrap();
    (report, iterates.into_inner())
}

fn assert_minimiser<const N: usize>(r: &dualgrad::optim::Report<N>) {
    assert!(
        matches!(r.stop, StopReason::GradientTolerance { .. }),
        "{r}"
    );
    let err = (r.params - SVector::<f64, N>::repeat(1.0)).norm();
    assert!(err <= 1e-9, "{r}: error {err:e}");
}

/// Every step L-BFGS takes with the strong Wolfe search satisfies both conditions, recomputed
/// here from f and ∇f at consecutive iterates. The direction is recovered as the step itself
/// (α d = x₊ − x; the conditions scale with α), so with s = x₊ − x:
/// f(x₊) ≤ f(x) + c₁ ∇f(x)·s and |∇f(x₊)·s| ≤ c₂ |∇f(x)·s|.
fn check_wolfe<const N: usize>(iterates: &[SVector<f64, N>]) {
    let (c1, c2) = StrongWolfe::default().constants();
    assert!(iterates.len() > 2);
    for w in iterates.windows(2) {
        let (f0, g0) = ScalarFn::<N>::gradient(&Rosenbrock, &w[0]);
        let (f1, g1) = ScalarFn::<N>::gradient(&Rosenbrock, &w[1]);
        let s = w[1] - w[0];
        let slope0 = g0.dot(&s);
        assert!(slope0 < 0.0, "not a descent step");
        assert!(
            f1 <= f0 + c1 * slope0,
            "sufficient decrease fails: {f1} > {f0} + {c1}·{slope0}"
        );
        assert!(
            g1.dot(&s).abs() <= c2 * slope0.abs() * (1.0 + 1e-12),
            "curvature fails: |{}| > {c2}·|{slope0}|",
            g1.dot(&s)
        );
        // The pair is then sound, sᵀy >= (1 − c₂)|∇f(x)·s| > 0, and here also above L-BFGS's
        // storage threshold sqrt(ε)‖s‖‖y‖: every pair is stored.
        let y = g1 - g0;
        assert!(
            s.dot(&y) > f64::EPSILON.sqrt() * s.norm() * y.norm(),
            "sᵀy = {}",
            s.dot(&y)
        );
    }
}

#[test]
fn every_accepted_step_satisfies_both_wolfe_conditions_n2_and_n10() {
    let (r2, it2) = run::<2, _>(StrongWolfe::default());
    assert_minimiser(&r2);
    check_wolfe(&it2);
    let (r10, it10) = run::<10, _>(StrongWolfe::default());
    assert_minimiser(&r10);
    check_wolfe(&it10);
}

#[test]
fn strong_wolfe_needs_fewer_evaluations_than_armijo_on_rosenbrock() {
    let (w2, _) = run::<2, _>(StrongWolfe::default());
    let (a2, _) = run::<2, _>(Armijo::default());
    let (w10, _) = run::<10, _>(StrongWolfe::default());
    let (a10, _) = run::<10, _>(Armijo::default());
    assert_minimiser(&w2);
    assert_minimiser(&a2);
    assert_minimiser(&w10);
    assert_minimiser(&a10);
    eprintln!("N = 2:  strong Wolfe {w2}");
    eprintln!("N = 2:  Armijo       {a2}");
    eprintln!("N = 10: strong Wolfe {w10}");
    eprintln!("N = 10: Armijo       {a10}");
    assert!(w2.evals.function < a2.evals.function, "N = 2: {w2} vs {a2}");
    assert!(
        w10.evals.function < a10.evals.function,
        "N = 10: {w10} vs {a10}"
    );
}

/// A one-dimensional check of the search itself on f(α) = (α − 3)²/2 along d = 1 from 0:
/// slope −3; the strong Wolfe interval with c₂ = 0.1 is |α − 3| ≤ 0.3, and c₁ = 1e-4 holds
/// there. The accepted step must lie in it and the gradient handed back must be ∇f there.
#[test]
fn search_lands_in_the_strong_wolfe_interval_of_a_parabola() {
    let fg = |x: &SVector<f64, 1>| (0.5 * (x[0] - 3.0).powi(2), SVector::from([x[0] - 3.0]));
    let ls = StrongWolfe::new(1e-4, 0.1, 30).unwrap();
    let (r, g) = ls.search_with_gradient(
        |x| fg(x).0,
        fg,
        &SVector::from([0.0]),
        4.5,
        -3.0,
        &SVector::from([1.0]),
    );
    assert!(r.accepted, "{r:?}");
    assert!((r.step - 3.0).abs() <= 0.3, "{r:?}");
    assert_eq!(g, Some(SVector::from([r.step - 3.0])));
    assert_eq!(r.value, 0.5 * (r.step - 3.0).powi(2));
}

/// Not a descent direction: no evaluation, not accepted.
#[test]
fn ascent_direction_is_rejected_without_evaluating() {
    let mut calls = 0;
    let (r, g) = StrongWolfe::default().search_with_gradient(
        |_: &SVector<f64, 1>| 0.0,
        |x: &SVector<f64, 1>| {
            calls += 1;
            (x[0], SVector::from([1.0]))
        },
        &SVector::from([0.0]),
        0.0,
        1.0,
        &SVector::from([1.0]),
    );
    assert!(!r.accepted && r.evaluations == 0 && g.is_none());
    assert_eq!(calls, 0);
}

/// A function that is +inf beyond x = 0.5: the search shrinks back into the finite region.
#[test]
fn non_finite_trials_shrink_the_step() {
    let fg = |x: &SVector<f64, 1>| {
        if x[0] > 0.5 {
            (f64::INFINITY, SVector::from([f64::NAN]))
        } else {
            (-x[0], SVector::from([-1.0 + 2.0 * x[0]]))
        }
    };
    let (r, _) = StrongWolfe::default().search_with_gradient(
        |x| fg(x).0,
        fg,
        &SVector::from([0.0]),
        0.0,
        -1.0,
        &SVector::from([1.0]),
    );
    assert!(r.step <= 0.5 && r.value.is_finite(), "{r:?}");
}

/// Newton accepts a strong Wolfe search through the same trait.
#[test]
fn newton_with_strong_wolfe_solves_rosenbrock() {
    let rules = StopRules::default().with_grad_tol(1e-10);
    let r = minimize(
        &Rosenbrock,
        standard_start::<2>(),
        &mut Newton::default().with_line_search(StrongWolfe::default()),
        &rules,
        |_| {},
    )
    .unwrap();
    assert_minimiser(&r);
}

use crate::common;

/// On random convex-plus-quartic functions f(x) = Σ aᵢ(xᵢ − cᵢ)² + q (Σxᵢ)⁴ in 3 dimensions,
/// along the negative gradient and along a random descent direction, an accepted step satisfies
/// both strong Wolfe conditions (recomputed here from f and ∇f written by hand).
#[test]
fn accepted_steps_satisfy_both_conditions_on_random_functions() {
    fn prop(raw: Vec<f64>) -> quickcheck::TestResult {
        // Map quickcheck's draws (which include NaN and infinities) into [−1, 1].
        let u = |i: usize| {
            let v = raw.get(i).copied().unwrap_or(0.5);
            if v.is_finite() {
                (v.sin() + v.cos() * 0.3).clamp(-1.0, 1.0)
            } else {
                0.25
            }
        };
        let a: [f64; 3] = std::array::from_fn(|i| 0.1 + 10.0 * u(i).abs());
        let c: [f64; 3] = std::array::from_fn(|i| 3.0 * u(i + 3));
        let q = u(6).abs();
        let x0 = SVector::<f64, 3>::from_fn(|i, _| 3.0 * u(i + 7));
        let fg = |x: &SVector<f64, 3>| -> (f64, SVector<f64, 3>) {
            let s: f64 = x.sum();
            let f = (0..3).map(|i| a[i] * (x[i] - c[i]).powi(2)).sum::<f64>() + q * s.powi(4);
            let g = SVector::from_fn(|i, _| 2.0 * a[i] * (x[i] - c[i]) + 4.0 * q * s.powi(3));
            (f, g)
        };
        let (f0, g0) = fg(&x0);
        if g0.norm() < 1e-8 {
            return quickcheck::TestResult::discard();
        }
        let random = SVector::<f64, 3>::from_fn(|i, _| u(i + 10));
        let (c1, c2) = StrongWolfe::default().constants();
        for d in [
            -g0,
            random - g0 * (1.0 + random.dot(&g0).max(0.0) / g0.dot(&g0)),
        ] {
            let slope = g0.dot(&d);
            if slope >= 0.0 {
                continue;
            }
            let (r, g) =
                StrongWolfe::default().search_with_gradient(|x| fg(x).0, fg, &x0, f0, slope, &d);
            if !r.accepted {
                return quickcheck::TestResult::failed();
            }
            let (f1, g1) = fg(&(x0 + d * r.step));
            let wolfe = f1 <= f0 + c1 * r.step * slope && g1.dot(&d).abs() <= c2 * slope.abs();
            if !wolfe || r.value != f1 || g != Some(g1) {
                return quickcheck::TestResult::failed();
            }
        }
        quickcheck::TestResult::passed()
    }
    common::check(prop as fn(Vec<f64>) -> quickcheck::TestResult);
}
