//! Bad inputs to implicit differentiation: each names its culprit (θ, the given solution, `F`
//! or `∂F/∂x` not finite there, a singular `∂F/∂x`), and a given solution that is only roughly
//! right is polished, so the derivatives do not inherit its error.

use dualgrad::diff::implicit::{
    ImplicitError, ImplicitFn, ParamObjective, implicit_minimizer, implicit_solution,
};
use dualgrad::{Jet, Scalar};
use nalgebra::SVector;

/// `x² − θ = 0`: `x = √θ`.
struct SquareRoot;
impl ImplicitFn<1, 1> for SquareRoot {
    fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 1>) -> SVector<T, 1> {
        SVector::from([x[0] * x[0] - th[0]])
    }
}

fn seeded(t: f64) -> SVector<Jet<f64, 1>, 1> {
    SVector::from([Jet::variable(t, 0)])
}

/// A NaN θ used to be reported as "∂F/∂x is singular at the given solution x = [2.0]"
/// (∂F/∂x = 4 there): the culprit is θ.
#[test]
fn a_nan_theta_is_named() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = implicit_solution(&SquareRoot, &SVector::from([2.0]), &seeded(bad)).unwrap_err();
        assert!(
            matches!(e, ImplicitError::ThetaNotFinite { index: 0, value } if value.to_bits() == bad.to_bits()),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!("implicit differentiation: θ[0] = {bad} is not finite")
        );
    }
    // The index of the bad component, for a minimiser too.
    struct Quadratic;
    impl ParamObjective<1, 2> for Quadratic {
        fn value<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 2>) -> T {
            (x[0] - th[0]) * (x[0] - th[0]) * th[1]
        }
    }
    let e = implicit_minimizer(
        &Quadratic,
        &SVector::from([1.0]),
        &SVector::from([1.0, f64::NAN]),
    )
    .unwrap_err();
    assert!(
        matches!(e, ImplicitError::ThetaNotFinite { index: 1, .. }),
        "{e:?}"
    );
}

#[test]
fn a_non_finite_solution_is_named() {
    let e = implicit_solution(&SquareRoot, &SVector::from([f64::NAN]), &seeded(4.0)).unwrap_err();
    assert!(
        matches!(e, ImplicitError::SolutionNotFinite { .. }),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "implicit differentiation: the given solution x = [NaN] is not finite"
    );
}

/// `ln x − θ = 0` at `x = −1`: F is NaN there; not "singular".
#[test]
fn a_residual_outside_its_domain_is_named() {
    struct Log;
    impl ImplicitFn<1, 1> for Log {
        fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 1>) -> SVector<T, 1> {
            SVector::from([x[0].ln() - th[0]])
        }
    }
    let e = implicit_solution(&Log, &SVector::from([-1.0]), &seeded(0.0)).unwrap_err();
    assert_eq!(
        e,
        ImplicitError::ResidualNotFinite {
            x: SVector::from([-1.0]),
            row: 0
        }
    );
    assert!(e.to_string().contains("F[0](x, θ) is not finite"), "{e}");
}

/// `√x − θ = 0` at `x = θ = 0`: F = 0 but ∂F/∂x = ∞.
#[test]
fn an_infinite_jacobian_is_named() {
    struct Sqrt;
    impl ImplicitFn<1, 1> for Sqrt {
        fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 1>) -> SVector<T, 1> {
            SVector::from([x[0].sqrt() - th[0]])
        }
    }
    let e = implicit_solution(&Sqrt, &SVector::from([0.0]), &seeded(0.0)).unwrap_err();
    assert_eq!(
        e,
        ImplicitError::JacobianNotFinite {
            x: SVector::from([0.0]),
            entry: (0, 0)
        }
    );
    assert!(e.to_string().contains("∂F[0]/∂x[0] is not finite"), "{e}");
}

/// A double root stays `SingularJacobian`.
#[test]
fn a_double_root_is_still_singular() {
    let e = implicit_solution(&SquareRoot, &SVector::from([0.0]), &seeded(0.0)).unwrap_err();
    assert_eq!(
        e,
        ImplicitError::SingularJacobian {
            x: SVector::from([0.0])
        }
    );
}

/// Kepler's equation `E − e sin E = M`.
struct Kepler;
impl ImplicitFn<1, 2> for Kepler {
    fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 2>) -> SVector<T, 1> {
        SVector::from([x[0] - th[1] * x[0].sin() - th[0]])
    }
}

/// Bisection on `[M − 1, M + 1]` until the bracket is below `rel·|E|` (at most 200 halvings).
fn bisect(m: f64, e: f64, rel: f64) -> f64 {
    let (mut lo, mut hi) = (m - 1.0, m + 1.0);
    for _ in 0..200 {
        if hi - lo <= rel * lo.abs().max(hi.abs()) {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if mid - e * mid.sin() > m {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

/// A solution from a bisection to `1e-9` or `1e-7` relative (within the acceptance threshold)
/// used to give `dE/de` good to only about `1e-10` or `1e-8`: it is now polished in `f64` first,
/// so the value and `dE/de = sin E / (1 − e cos E)` are right to rounding.
#[test]
fn a_rough_solution_does_not_pass_its_error_on() {
    let (m, e) = (1.3, 0.6);
    let exact_e = bisect(m, e, 0.0); // to the last bit
    let closed = exact_e.sin() / (1.0 - e * exact_e.cos());
    for rel in [1e-9, 1e-7] {
        let rough = bisect(m, e, rel);
        assert!(
            (rough - exact_e).abs() > 1e-12 * exact_e,
            "the start must be rough"
        );
        let th: SVector<Jet<f64, 1>, 2> = SVector::from([Jet::constant(m), Jet::variable(e, 0)]);
        let x = implicit_solution(&Kepler, &SVector::from([rough]), &th).unwrap()[0];
        assert!(
            (x.re - exact_e).abs() <= 4.0 * f64::EPSILON * exact_e,
            "{} vs {exact_e}",
            x.re
        );
        let d = x.eps[0];
        assert!(
            (d - closed).abs() <= 1e-14 * closed.abs(),
            "rel {rel}: dE/de = {d}, closed form {closed}"
        );
    }
}

// More bad inputs, tried as a new user would.

struct Shifted;
impl ParamObjective<1, 2> for Shifted {
    fn value<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 2>) -> T {
        (x[0] - th[0]) * (x[0] - th[0]) * th[1]
    }
}

#[test]
fn minimizer_errors_name_the_culprit() {
    let th = SVector::from([3.0, 2.0]);
    let e = implicit_minimizer(&Shifted, &SVector::from([f64::INFINITY]), &th).unwrap_err();
    assert!(
        matches!(e, ImplicitError::SolutionNotFinite { .. }),
        "{e:?}"
    );
    // Not stationary: ∇ₓ = 2θ₁(x − θ₀) = 4 at x = 4.
    let e = implicit_minimizer(&Shifted, &SVector::from([4.0]), &th).unwrap_err();
    assert!(
        matches!(e, ImplicitError::NotASolution { step, .. } if step == 1.0),
        "{e:?}"
    );
    // A flat objective (θ₁ = 0): its Hessian in x is 0.
    let e = implicit_minimizer(&Shifted, &SVector::from([3.0]), &SVector::from([3.0, 0.0]))
        .unwrap_err();
    assert!(matches!(e, ImplicitError::SingularJacobian { .. }), "{e:?}");
}

/// A solution so large that F overflows: F is named, not ∂F/∂x.
#[test]
fn an_overflowing_residual_is_named() {
    struct Cube;
    impl ImplicitFn<1, 1> for Cube {
        fn residual<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 1>) -> SVector<T, 1> {
            SVector::from([x[0] * x[0] * x[0] - th[0]])
        }
    }
    let e = implicit_solution(&Cube, &SVector::from([1e200]), &seeded(1.0)).unwrap_err();
    assert!(
        matches!(e, ImplicitError::ResidualNotFinite { row: 0, .. }),
        "{e:?}"
    );
}

/// A solution that is exact already is left as it is, and the other root of `x² = θ` is
/// followed with its own derivative (`−1/(2√θ)`), as documented.
#[test]
fn an_exact_solution_and_the_other_root() {
    let x = implicit_solution(&SquareRoot, &SVector::from([2.0]), &seeded(4.0)).unwrap()[0];
    assert_eq!((x.re, x.eps[0]), (2.0, 0.25));
    let x = implicit_solution(&SquareRoot, &SVector::from([-2.0]), &seeded(4.0)).unwrap()[0];
    assert_eq!((x.re, x.eps[0]), (-2.0, -0.25));
}
