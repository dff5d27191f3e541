//! Finite differences against the exact gradient on the checker's test functions: central
//! differences are accurate to the documented `1e-7 · s` (`s = max(1, |f|, max |∂f|)`), the
//! Ridders error estimate bounds the actual error, and Ridders is measurably more accurate.
//!
//! 50 random points per function in the default (debug) run, 2,000 in release.

use crate::check_models;

use check_models::*;
use dualgrad::check::{
    Checker, central_derivative, central_gradient, central_jacobian, check_gradient_fd,
    ridders_derivative, ridders_gradient, ridders_jacobian,
};
use dualgrad::{ScalarFn, gradient};
use nalgebra::SVector;

/// Worst central and Ridders errors (relative to the scale `s`) and the geometric mean of the
/// ratio Ridders error / central error over the points.
struct Accuracy {
    central: f64,
    ridders: f64,
    log_ratio: f64,
}

fn accuracy<F: ScalarFn<N>, const N: usize>(f: &F, lo: f64, hi: f64, seed: u64) -> Accuracy {
    let pts = points::<N>(cases(50, 2000), lo, hi, seed);
    let (mut central, mut ridders, mut log_ratio) = (0.0_f64, 0.0_f64, 0.0);
    for x in &pts {
        let (fx, e) = f.gradient(x);
        let s = 1.0_f64.max(fx.abs()).max(e.amax());
        let c = central_gradient(|v| f.value(v), x);
        let (d, err) = ridders_gradient(|v| f.value(v), x);
        for i in 0..N {
            let (ce, re) = ((c[i] - e[i]).abs(), (d[i] - e[i]).abs());
            assert!(
                ce <= 1e-7 * s,
                "central: ∂{i} at {x:?}: {} vs exact {}",
                c[i],
                e[i]
            );
            assert!(
                re <= err[i],
                "Ridders error {re:e} above its estimate {:e}: ∂{i} at {x:?}",
                err[i]
            );
            central = central.max(ce / s);
            ridders = ridders.max(re / s);
        }
        let (cm, rm) = ((c - e).amax() / s, (d - e).amax() / s);
        log_ratio += (rm.max(1e-17) / cm.max(1e-17)).log10();
    }
    Accuracy {
        central,
        ridders,
        log_ratio: log_ratio / pts.len() as f64,
    }
}

fn ridders_is_better(name: &str, a: Accuracy) {
    println!(
        "{name}: worst error / s: central {:.1e}, Ridders {:.1e}; mean log10(Ridders / central) {:.2}",
        a.central, a.ridders, a.log_ratio
    );
    // Ridders' worst case beats central differences' worst case tenfold, and it is a hundred
    // times more accurate on (geometric) average
    assert!(
        a.ridders < a.central / 10.0,
        "worst errors: Ridders {:e}, central {:e}",
        a.ridders,
        a.central
    );
    assert!(
        a.log_ratio < -2.0,
        "mean log10(Ridders / central) = {}",
        a.log_ratio
    );
    assert!(
        a.ridders <= 1e-10,
        "Ridders worst error {:e} · s",
        a.ridders
    );
}

#[test]
fn rosenbrock_2() {
    ridders_is_better("rosenbrock_2", accuracy::<_, 2>(&Rosenbrock, -2.0, 2.0, 21));
}

#[test]
fn rosenbrock_10() {
    ridders_is_better(
        "rosenbrock_10",
        accuracy::<_, 10>(&Rosenbrock, -2.0, 2.0, 22),
    );
}

#[test]
fn xor_mlp() {
    ridders_is_better("xor_mlp", accuracy(&XorMlp, -3.0, 3.0, 23));
}

#[test]
fn logistic_regression() {
    ridders_is_better("logistic_regression", accuracy(&Logistic, -5.0, 5.0, 24));
}

#[test]
fn softmax_cross_entropy() {
    // f = logsumexp(z) − z_c is computed with cancellation when class c dominates: the noise
    // estimate has to see it
    ridders_is_better(
        "softmax_cross_entropy",
        accuracy(&SoftmaxCe, -10.0, 10.0, 25),
    );
}

#[test]
fn sigmoid_mlp() {
    ridders_is_better("sigmoid_mlp", accuracy(&SigmoidMlp, -2.0, 2.0, 26));
}

/// A function `R → R`.
type Fn1 = fn(f64) -> f64;

#[test]
fn scalar_derivatives_against_closed_forms() {
    for x in [-3.0_f64, -0.5, 0.0, 0.7, 2.0, 10.0] {
        // (sin x)' = cos x, (eˣ)' = eˣ, (x³)' = 3x²
        let cases: [(Fn1, f64); 3] = [
            (f64::sin, x.cos()),
            (f64::exp, x.exp()),
            (|t| t * t * t, 3.0 * x * x),
        ];
        for (f, exact) in cases {
            let s = 1.0_f64.max(f(x).abs()).max(exact.abs());
            assert!((central_derivative(f, x) - exact).abs() <= 1e-7 * s);
            let (d, err) = ridders_derivative(f, x);
            assert!((d - exact).abs() <= err, "{d} vs {exact} ± {err}");
            assert!(err <= 1e-10 * s);
        }
    }
}

#[test]
fn jacobians_against_the_exact_one() {
    use dualgrad::VectorFn;
    for z in points::<3>(cases(50, 2000), -6.0, 6.0, 27) {
        let exact = Sigmoid3.jacobian(&z).1;
        let c = central_jacobian(|v| Sigmoid3.value(v), &z);
        let (r, err) = ridders_jacobian(|v| Sigmoid3.value(v), &z);
        for i in 0..3 {
            for j in 0..3 {
                let e = exact[(i, j)];
                assert!((c[(i, j)] - e).abs() <= 1e-7, "central ({i}, {j}) at {z:?}");
                assert!(
                    (r[(i, j)] - e).abs() <= err[(i, j)],
                    "Ridders ({i}, {j}) at {z:?}"
                );
            }
        }
    }
}

#[test]
fn fd_checks_pass_correct_and_flag_wrong_gradients() {
    for p in points::<13>(cases(20, 500), -2.0, 2.0, 28) {
        let f = |v: &SVector<f64, 13>| XorMlp.value(v);
        let r = check_gradient_fd(f, &p, |p| xor_grad(p, XorBackward::Correct));
        assert!(r.is_ok(), "{r}");
        assert!(r.rows().iter().all(|row| row.reference_error.is_some()));
        let r = check_gradient_fd(f, &p, |p| xor_grad(p, XorBackward::MissingHiddenTanhPrime));
        let wrong: Vec<usize> = (0..13).filter(|&i| !r.rows()[i].is_ok()).collect();
        assert_eq!(wrong, (0..9).collect::<Vec<_>>(), "{r}"); // W1 and b1
    }
    for p in points::<2>(cases(20, 500), -5.0, 5.0, 29) {
        let f = |v: &SVector<f64, 2>| LinReg.value(v);
        assert!(check_gradient_fd(f, &p, |p| linreg_grad(p, true)).is_ok());
        assert_eq!(
            check_gradient_fd(f, &p, |p| linreg_grad(p, false)).wrong_count(),
            2
        );
    }
    for z in points::<3>(cases(20, 500), -4.0, 4.0, 30) {
        let f = |v: &SVector<f64, 3>| v.map(|t| 1.0 / (1.0 + (-t).exp()));
        let c = Checker::new();
        assert!(c.jacobian_fd(f, &z, |z| sigmoid3_jac(z, true)).is_ok());
        assert_eq!(
            c.jacobian_fd(f, &z, |z| sigmoid3_jac(z, false))
                .wrong_count(),
            3
        );
    }
}

#[test]
fn fd_check_of_ad_code_itself() {
    // the other use: check the AD gradient of a function against Ridders
    for p in points::<10>(cases(20, 500), -2.0, 2.0, 31) {
        let f = |v: &SVector<f64, 10>| ScalarFn::<10>::value(&Rosenbrock, v);
        let r = check_gradient_fd(f, &p, |p| {
            gradient(|v| ScalarFn::<10>::eval(&Rosenbrock, v), p).1
        });
        assert!(r.is_ok(), "{r}");
    }
}
