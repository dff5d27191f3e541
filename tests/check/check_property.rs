//! Property checks at random points: no false alarms on correct hand-derived gradients, and a
//! deliberately wrong component (off by a factor of 2, a flipped sign, a swapped pair) is always
//! caught, with the failing point shrunk and reported.
//!
//! The "no false alarms" tests use 200 random points per function in the default (debug) run
//! and 10,000 in release (`cargo test --release --test check check_property::`).

use crate::check_models;

use check_models::*;
use dualgrad::check::{Checker, FailingPoint};
use dualgrad::{ScalarFn, assert_check};
use nalgebra::{SMatrix, SVector};

fn box_of<const N: usize>(lo: f64, hi: f64) -> (SVector<f64, N>, SVector<f64, N>) {
    (SVector::repeat(lo), SVector::repeat(hi))
}

fn no_false_alarms<F: ScalarFn<N>, const N: usize>(
    f: &F,
    hand: impl Fn(&SVector<f64, N>) -> SVector<f64, N>,
    lo: f64,
    hi: f64,
) {
    let (lo, hi) = box_of::<N>(lo, hi);
    let check = Checker::new()
        .random(&lo, &hi)
        .unwrap()
        .cases(cases(200, 10_000))
        .unwrap();
    let pass = assert_check!(check.gradient(f, hand));
    assert_eq!(pass.cases(), cases(200, 10_000));
    // a correct formula is right to rounding, far inside the tolerance
    assert!(pass.worst_rel_err() < 1e-10, "{pass}");
}

#[test]
fn rosenbrock_2_passes() {
    no_false_alarms(&Rosenbrock, rosenbrock_grad::<2>, -2.0, 2.0);
}

#[test]
fn rosenbrock_10_passes() {
    no_false_alarms(&Rosenbrock, rosenbrock_grad::<10>, -2.0, 2.0);
}

#[test]
fn xor_mlp_passes() {
    no_false_alarms(&XorMlp, |p| xor_grad(p, XorBackward::Correct), -3.0, 3.0);
}

#[test]
fn logistic_regression_passes() {
    no_false_alarms(&Logistic, logistic_grad, -5.0, 5.0);
}

#[test]
fn softmax_cross_entropy_passes() {
    no_false_alarms(&SoftmaxCe, softmax_ce_grad, -10.0, 10.0);
}

#[test]
fn sigmoid_mlp_passes() {
    no_false_alarms(&SigmoidMlp, |p| sigmoid_mlp_grad(p, false), -2.0, 2.0);
}

#[test]
fn rosenbrock_hessian_and_sigmoid_jacobian_pass() {
    // H of 100(y − x²)² + (1 − x)²: [[1200x² − 400y + 2, −400x], [−400x, 200]]
    let (lo, hi) = box_of::<2>(-2.0, 2.0);
    let check = Checker::new()
        .random(&lo, &hi)
        .unwrap()
        .cases(cases(200, 10_000))
        .unwrap();
    assert_check!(check.hessian(&Rosenbrock, |p| {
        let (x, y) = (p[0], p[1]);
        SMatrix::<f64, 2, 2>::new(
            1200.0 * x * x - 400.0 * y + 2.0,
            -400.0 * x,
            -400.0 * x,
            200.0,
        )
    }));
    let (lo, hi) = box_of::<3>(-6.0, 6.0);
    let check = Checker::new()
        .random(&lo, &hi)
        .unwrap()
        .cases(cases(200, 10_000))
        .unwrap();
    assert_check!(check.jacobian(&Sigmoid3, |z| sigmoid3_jac(z, true)));
}

// ---------------------------------------------------------------------------------------------
// Deliberately wrong components
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Mutation {
    Double(usize),
    Negate(usize),
    Swap(usize, usize),
}

impl Mutation {
    fn apply<const N: usize>(self, mut g: SVector<f64, N>) -> SVector<f64, N> {
        match self {
            Self::Double(k) => g[k] *= 2.0,
            Self::Negate(k) => g[k] = -g[k],
            Self::Swap(a, b) => g.swap_rows(a, b),
        }
        g
    }

    fn touched(self) -> Vec<usize> {
        match self {
            Self::Double(k) | Self::Negate(k) => vec![k],
            Self::Swap(a, b) => vec![a, b],
        }
    }

    fn all(n: usize) -> Vec<Self> {
        (0..n)
            .flat_map(|k| [Self::Double(k), Self::Negate(k), Self::Swap(k, (k + 1) % n)])
            .collect()
    }
}

/// The mutated formula is caught, the shrunk point is in the box, no farther from the box's
/// point nearest 0 than the original in any coordinate, still fails there, and only the mutated
/// components are flagged.
fn caught<F: ScalarFn<N>, const N: usize>(
    f: &F,
    hand: impl Fn(&SVector<f64, N>) -> SVector<f64, N> + Copy,
    lo: f64,
    hi: f64,
    seeds: &[u64],
) {
    let (vlo, vhi) = box_of::<N>(lo, hi);
    let target = 0.0_f64.clamp(lo, hi);
    for m in Mutation::all(N) {
        for &seed in seeds {
            let check = Checker::new().random(&vlo, &vhi).unwrap().seed(seed);
            let fail: FailingPoint = check
                .gradient(f, |x| m.apply(hand(x)))
                .expect_err(&format!("{m:?} with seed {seed} was not caught"));
            let (p, orig) = (fail.point(), fail.original_point());
            assert_eq!(p.len(), N);
            for i in 0..N {
                assert!(
                    (lo..=hi).contains(&p[i]),
                    "{m:?}: shrunk point outside the box\n{fail}"
                );
                assert!(
                    (p[i] - target).abs() <= (orig[i] - target).abs(),
                    "{m:?}: coordinate {i} moved away from {target}\n{fail}"
                );
            }
            // the reported point really fails, by an independent evaluation of the check
            let x = SVector::<f64, N>::from_column_slice(p);
            let again = Checker::new().gradient(f, &x, |x| m.apply(hand(x)));
            assert!(!again.is_ok(), "{m:?}: shrunk point passes\n{fail}");
            let flagged: Vec<usize> = fail
                .report()
                .wrong()
                .map(|r| match r.entry {
                    dualgrad::check::Entry::Vector(i) => i,
                    e => panic!("{e:?}"),
                })
                .collect();
            assert!(!flagged.is_empty());
            assert!(
                flagged.iter().all(|i| m.touched().contains(i)),
                "{m:?}: flagged {flagged:?}\n{fail}"
            );
            let text = fail.to_string();
            assert!(text.contains(&format!("(seed {seed})")), "{text}");
        }
    }
}

const SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn wrong_rosenbrock_2_components_are_caught() {
    caught(&Rosenbrock, rosenbrock_grad::<2>, -2.0, 2.0, &SEEDS);
}

#[test]
fn wrong_rosenbrock_10_components_are_caught() {
    caught(&Rosenbrock, rosenbrock_grad::<10>, -2.0, 2.0, &SEEDS);
}

#[test]
fn wrong_xor_mlp_components_are_caught() {
    caught(
        &XorMlp,
        |p| xor_grad(p, XorBackward::Correct),
        -3.0,
        3.0,
        &SEEDS,
    );
}

#[test]
fn wrong_logistic_components_are_caught() {
    caught(&Logistic, logistic_grad, -5.0, 5.0, &SEEDS);
}

#[test]
fn wrong_softmax_components_are_caught() {
    caught(&SoftmaxCe, softmax_ce_grad, -10.0, 10.0, &SEEDS);
}

#[test]
fn shrinking_reaches_simple_points() {
    // f = Σ xᵢ², ∇f = 2x. A hand formula 2x + 1 is wrong everywhere: the failure shrinks to the
    // origin. 2x with a doubled first component is wrong wherever x₀ ≠ 0: it shrinks to a point
    // with x₀ a single nonzero digit and every other coordinate 0.
    struct Sq;
    impl ScalarFn<3> for Sq {
        fn eval<T: dualgrad::Scalar>(&self, x: &SVector<T, 3>) -> T {
            x.dot(x)
        }
    }
    let (lo, hi) = box_of::<3>(-5.0, 5.0);
    for seed in 0..20 {
        let check = Checker::new().random(&lo, &hi).unwrap().seed(seed);
        let fail = check
            .gradient(&Sq, |x| x.map(|v| 2.0 * v + 1.0))
            .unwrap_err();
        assert_eq!(fail.point(), &[0.0, 0.0, 0.0], "{fail}");
        let fail = check
            .gradient(&Sq, |x| SVector::from([4.0 * x[0], 2.0 * x[1], 2.0 * x[2]]))
            .unwrap_err();
        let p = fail.point();
        assert_eq!((p[1], p[2]), (0.0, 0.0), "{fail}");
        assert!([1.0, 0.1, 0.01, 0.001].contains(&p[0]), "{fail}");
    }
    // in a box away from the origin, toward the corner nearest it
    let (lo, hi) = (
        SVector::from([2.0, -7.0, -1.0]),
        SVector::from([3.0, -6.0, 1.0]),
    );
    let fail = Checker::new()
        .random(&lo, &hi)
        .unwrap()
        .gradient(&Sq, |x| x * 3.0)
        .unwrap_err();
    assert_eq!(fail.point(), &[2.0, -6.0, 0.0], "{fail}");
}

#[test]
fn a_nan_in_some_region_is_found_and_reported_not_a_panic() {
    // a hand formula that divides by x₀ gives NaN/∞ only at x₀ = 0, which the box faces reach;
    // a formula that is NaN for x₀ < 0 is caught as not finite
    struct Sq;
    impl ScalarFn<1> for Sq {
        fn eval<T: dualgrad::Scalar>(&self, x: &SVector<T, 1>) -> T {
            x[0] * x[0]
        }
    }
    let (lo, hi) = box_of::<1>(-1.0, 1.0);
    let check = Checker::new().random(&lo, &hi).unwrap().seed(11);
    let fail = check
        .gradient(&Sq, |x| x.map(|v| 2.0 * v.sqrt() * v.sqrt()))
        .unwrap_err();
    assert!(fail.point()[0] < 0.0, "{fail}");
    assert_eq!(
        fail.report().rows()[0].verdict,
        dualgrad::check::Verdict::HandNotFinite
    );
    assert!(fail.report().rows()[0].hand.is_nan());
}
