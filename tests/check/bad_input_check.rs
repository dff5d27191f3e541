//! The gradient checker at rounding noise (issue 12): a correct gradient of a Gaussian negative
//! log-likelihood over 5,000 points near 1000, at its minimiser, passes with the default
//! tolerances because both values are rounding noise of a large cancelling sum, and the report
//! shows the noise floor; a gradient wrong by 1e-6 relative in one factor is still flagged.
//! Also: black-box Hessian checks, row-major hand matrices, and the verdicts' conventions.

use dualgrad::check::{
    CheckKind, CheckReference, Checker, Tolerances, Verdict, check_gradient, check_hessian,
    matrix_from_rows,
};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::{SMatrix, SVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `Σᵢ (xᵢ − μ)² / (2σ²) + ln σ`, parameters `(μ, σ)`.
struct GaussianNll(Vec<f64>);

impl ScalarFn<2> for GaussianNll {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        let (mu, sigma) = (p[0], p[1]);
        let two_var = sigma * sigma * 2.0;
        let log_sigma = sigma.ln();
        let mut s = T::zero();
        for &x in &self.0 {
            let d = -mu + x;
            s += d * d / two_var + log_sigma;
        }
        s
    }
}

/// 5,000 points with mean near 1000 and standard deviation near 0.06.
fn data() -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    (0..5000)
        .map(|_| 1000.0 + rng.random_range(-0.1..0.1))
        .collect()
}

/// The minimiser: the sample mean and the population standard deviation.
fn minimiser(xs: &[f64]) -> SVector<f64, 2> {
    let n = xs.len() as f64;
    let mu = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / n;
    SVector::from([mu, var.sqrt()])
}

/// `∂/∂μ = −Σ (xᵢ − μ) / σ²`, `∂/∂σ = (n − Σ (xᵢ − μ)² / σ²) / σ` (a textbook's form, summed
/// in another order than the function); `mu_factor` and `var_factor` plant errors (1 for the
/// correct formula).
fn hand(xs: &[f64], p: &SVector<f64, 2>, mu_factor: f64, var_factor: f64) -> SVector<f64, 2> {
    let (mu, sigma) = (p[0] * mu_factor, p[1]);
    let (mut sd, mut sq) = (0.0, 0.0);
    for &x in xs {
        let d = x - mu;
        sd += d;
        sq += d * d;
    }
    let n = xs.len() as f64;
    let var = sigma * sigma * var_factor;
    SVector::from([-sd / var, (n - sq / var) / sigma])
}

#[test]
fn gaussian_nll_at_its_minimiser_is_noise_not_wrong() {
    let xs = data();
    let f = GaussianNll(xs.clone());
    let p = minimiser(&xs);
    let r = check_gradient(&f, &p, |p| hand(&xs, p, 1.0, 1.0));
    println!("{r:#}");
    assert!(r.is_ok(), "{r:#}");
    // the plain tolerances alone would reject it: some component is judged at the noise floor
    let at_floor: Vec<_> = r
        .rows()
        .iter()
        .filter(|row| row.verdict == Verdict::NoiseFloor)
        .collect();
    assert!(!at_floor.is_empty(), "{r:#}");
    for row in &at_floor {
        assert!(row.rel_err > Tolerances::default().rel(), "{row:?}");
        let floor = row.noise_floor.unwrap();
        assert!(
            row.abs_err <= floor && floor > 0.0 && floor < 1e-6,
            "{row:?}"
        );
    }
    assert!(
        r.summary().contains("rounding-noise floor"),
        "{}",
        r.summary()
    );
    assert!(format!("{r:#}").contains("noise floor"));
}

#[test]
fn gaussian_nll_gradient_wrong_by_1e_6_relative_is_flagged() {
    let xs = data();
    let f = GaussianNll(xs.clone());
    let p = minimiser(&xs);
    // σ² off by a relative 1e-6 in the σ component
    let r = check_gradient(&f, &p, |p| hand(&xs, p, 1.0, 1.0 + 1e-6));
    assert_eq!(
        r.wrong().map(|row| row.label.as_str()).collect::<Vec<_>>(),
        ["x[1]"],
        "{r:#}"
    );
    assert_eq!(r.rows()[1].verdict, Verdict::Wrong);
    assert!(r.rows()[1].noise_floor.unwrap() < r.rows()[1].abs_err);
    // μ off by a relative 1e-6 in the μ component
    let r = check_gradient(&f, &p, |p| hand(&xs, p, 1.0 + 1e-6, 1.0));
    assert_eq!(r.rows()[0].verdict, Verdict::Wrong, "{r:#}");
}

#[test]
fn gaussian_nll_random_check_passes_near_the_minimiser() {
    let xs = data();
    let f = GaussianNll(xs.clone());
    let p = minimiser(&xs);
    let w = 1e-9;
    let lo = SVector::from([p[0] - w, p[1] - w]);
    let hi = SVector::from([p[0] + w, p[1] + w]);
    let c = Checker::new()
        .random(&lo, &hi)
        .unwrap()
        .cases(20)
        .unwrap()
        .seed(1);
    let r = c.gradient(&f, |p| hand(&xs, p, 1.0, 1.0));
    assert!(r.is_ok(), "{}", r.unwrap_err());
    assert!(c.gradient(&f, |p| hand(&xs, p, 1.0, 1.0 + 1e-6)).is_err());
}

/// A sum whose rounding is exact has no noise floor to hide behind: a value off by one unit in
/// the 6th digit of a zero component is still wrong.
#[test]
fn noise_free_component_keeps_the_plain_tolerances() {
    struct Sq;
    impl ScalarFn<1> for Sq {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            x[0] * x[0]
        }
    }
    let r = check_gradient(&Sq, &SVector::from([0.0]), |_| SVector::from([1e-6]));
    assert_eq!(r.rows()[0].verdict, Verdict::Wrong);
    assert!(r.rows()[0].noise_floor.unwrap() < 1e-20, "{r:#}");
}

#[test]
fn hessian_fd_reports_a_hessian_and_flags_a_wrong_entry() {
    // f = x²y + y³: ∇f = (2xy, x² + 3y²), H = [[2y, 2x], [2x, 6y]]
    let grad =
        |v: &SVector<f64, 2>| SVector::from([2.0 * v[0] * v[1], v[0] * v[0] + 3.0 * v[1] * v[1]]);
    let x = SVector::from([1.5, -2.0]);
    let c = Checker::<2>::new();
    let ok = c.hessian_fd(grad, &x, |v| {
        matrix_from_rows([[2.0 * v[1], 2.0 * v[0]], [2.0 * v[0], 6.0 * v[1]]])
    });
    assert!(ok.is_ok(), "{ok:#}");
    assert_eq!(
        (ok.kind(), ok.reference()),
        (CheckKind::Hessian, CheckReference::Ridders)
    );
    let bad = c.hessian_fd(grad, &x, |v| {
        matrix_from_rows([[2.0 * v[1], 2.0 * v[0]], [2.0 * v[0], 3.0 * v[1]]])
    });
    assert_eq!(
        bad.wrong().map(|r| r.label.as_str()).collect::<Vec<_>>(),
        ["(1, 1)"]
    );
    assert_eq!(bad.rows()[3].verdict, Verdict::Wrong);
}

#[test]
fn row_major_hand_jacobian() {
    // f = (x + 2y, 3x): J = [[1, 2], [3, 0]]
    struct F;
    impl dualgrad::VectorFn<2, 2> for F {
        fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> SVector<T, 2> {
            SVector::from([v[0] + v[1] * 2.0, v[0] * 3.0])
        }
    }
    let x = SVector::from([0.3, 0.7]);
    let rows = matrix_from_rows([[1.0, 2.0], [3.0, 0.0]]);
    assert!(Checker::new().jacobian(&F, &x, |_| rows).is_ok());
    // the nested-array constructor reads columns: the same literal is the transpose
    let cols: SMatrix<f64, 2, 2> = SMatrix::from([[1.0, 2.0], [3.0, 0.0]]);
    assert_eq!(cols, rows.transpose());
    assert!(!Checker::new().jacobian(&F, &x, |_| cols).is_ok());
}

/// A reference whose extrapolation cannot converge (a jump inside every step) is inconclusive,
/// never WRONG.
#[test]
fn ridders_across_a_jump_is_inconclusive_not_wrong() {
    let f = |v: &SVector<f64, 1>| if v[0] < 0.0 { 0.0 } else { 1.0 };
    let r = Checker::new().gradient_fd(f, &SVector::from([0.0]), |_| SVector::from([0.0]));
    assert_ne!(r.rows()[0].verdict, Verdict::Wrong, "{r:#}");
    assert_eq!(r.rows()[0].verdict, Verdict::Inconclusive, "{r:#}");
    assert!(r.summary().contains("inconclusive"), "{}", r.summary());
}

#[test]
fn checker_settings_are_validated() {
    use dualgrad::check::CheckError;
    assert_eq!(
        Checker::<3>::new().names(["a", "b", "a"]).unwrap_err(),
        CheckError::DuplicateName {
            first: 0,
            second: 2
        }
    );
    assert_eq!(
        Checker::<2>::new().names(["a", "b", "c"]).unwrap_err(),
        CheckError::NamesLength {
            expected: 2,
            got: 3
        }
    );
    for (abs, rel, which) in [
        (-1.0, 0.0, "abs"),
        (f64::NAN, 0.0, "abs"),
        (0.0, -1e-9, "rel"),
    ] {
        assert!(
            matches!(Tolerances::new(abs, rel), Err(CheckError::InvalidTolerance { which: w, .. }) if w == which)
        );
    }
    let c = Checker::<2>::new();
    let (lo, hi) = (SVector::from([0.0, 0.0]), SVector::from([1.0, 1.0]));
    assert_eq!(
        c.random(&SVector::from([0.0, 2.0]), &hi).unwrap_err(),
        CheckError::InvertedBox {
            index: 1,
            lo: 2.0,
            hi: 1.0
        }
    );
    assert_eq!(
        c.random(&lo, &SVector::from([1.0, 0.0])).unwrap_err(),
        CheckError::ZeroWidthBox {
            index: 1,
            value: 0.0
        }
    );
    assert!(matches!(
        c.random(&SVector::from([f64::NEG_INFINITY, 0.0]), &hi),
        Err(CheckError::NonFiniteBound { index: 0, .. })
    ));
    assert_eq!(
        c.random(&lo, &hi).unwrap().cases(0).unwrap_err(),
        CheckError::ZeroCases
    );
}

/// A derivative that is infinite at the point cannot be confirmed: UNCHECKED, not ok or wrong.
#[test]
fn an_infinite_exact_derivative_is_unchecked() {
    struct Sqrt;
    impl ScalarFn<1> for Sqrt {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            x[0].sqrt()
        }
    }
    let r = check_gradient(&Sqrt, &SVector::from([0.0]), |_| SVector::from([1e300]));
    assert_eq!(r.rows()[0].verdict, Verdict::ExactNotFinite);
    assert!(!r.is_ok());
    // The same infinity cannot be compared either: not a pass.
    let r = check_gradient(&Sqrt, &SVector::from([0.0]), |_| {
        SVector::from([f64::INFINITY])
    });
    assert_eq!(r.rows()[0].verdict, Verdict::ExactNotFinite);
    assert!(!r.is_ok());
}

/// A hand value that is NaN is wrong, whatever the noise floor.
#[test]
fn a_nan_hand_value_is_wrong() {
    let xs = data();
    let f = GaussianNll(xs.clone());
    let p = minimiser(&xs);
    let r = check_gradient(&f, &p, |p| {
        let g = hand(&xs, p, 1.0, 1.0);
        SVector::from([g[0], f64::NAN])
    });
    assert_eq!(r.rows()[1].verdict, Verdict::HandNotFinite);
}

/// At a kink the two one-sided derivatives differ: a hand formula that takes the other branch
/// is not rounding noise, and the noise floor does not hide it.
#[test]
fn a_kink_is_not_noise() {
    struct Relu; // max(x, 0): derivative 1 at x = 0 (a tie returns x itself)
    impl ScalarFn<1> for Relu {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            Scalar::max(x[0], T::zero())
        }
    }
    let r = check_gradient(&Relu, &SVector::from([0.0]), |_| SVector::from([0.0]));
    assert_eq!(r.rows()[0].verdict, Verdict::Wrong, "{r:#}");
    assert!(r.rows()[0].noise_floor.unwrap().is_nan(), "{r:#}");
    // away from the kink the right formula passes
    let r = check_gradient(&Relu, &SVector::from([0.5]), |_| SVector::from([1.0]));
    assert!(r.is_ok());
}

// ------------------------------------------------------------------------------------------
// Round 3: the checker looks at f's value, equal infinities, the absolute tolerance at small
// scale.
// ------------------------------------------------------------------------------------------

/// `ln x`: NaN for `x < 0`, where its derivative formula `1/x` is still finite.
struct Ln;
impl ScalarFn<1> for Ln {
    fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
        x[0].ln()
    }
}

/// At a point outside the domain the derivatives mean nothing: the hand formula `1/x` agrees
/// with the exact one there, but the verdict is UNCHECKED (f is NaN), not ok.
#[test]
fn a_point_where_f_is_nan_is_unchecked_not_ok() {
    let r = check_gradient(&Ln, &SVector::from([-1.0]), |x| x.map(|v| 1.0 / v));
    assert_eq!(r.rows()[0].hand, r.rows()[0].exact, "the formulas agree");
    assert_eq!(r.rows()[0].verdict, Verdict::ValueNaN);
    assert!(!r.is_ok());
    assert!(
        r.summary()
            .starts_with("1 of 1 components unchecked (the function is NaN here)"),
        "{}",
        r.summary()
    );
    assert!(format!("{r}").contains("UNCHECKED (f is NaN here)"), "{r}");
    // The same through finite differences of a black box and the Hessian check.
    let r = Checker::new().gradient_fd(
        |x: &SVector<f64, 1>| x[0].ln(),
        &SVector::from([-1.0]),
        |x| x.map(|v| 1.0 / v),
    );
    assert!(!r.is_ok(), "{r}");
    assert_eq!(r.rows()[0].verdict, Verdict::ValueNaN);
    let r = Checker::new().hessian(&Ln, &SVector::from([-1.0]), |x| {
        SMatrix::from([[-1.0 / (x[0] * x[0])]])
    });
    assert_eq!(r.rows()[0].verdict, Verdict::ValueNaN);
    // Inside the domain the same formula passes.
    assert!(check_gradient(&Ln, &SVector::from([2.0]), |x| x.map(|v| 1.0 / v)).is_ok());
}

/// A function that is NaN everywhere (`0 · ln(−1)`): its exact gradient is NaN-free only by
/// accident of the rules; a zero hand gradient used to pass. Now nothing is checked.
#[test]
fn a_function_nan_everywhere_does_not_pass() {
    struct Nan;
    impl ScalarFn<2> for Nan {
        fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
            x[0] * 0.0 + f64::NAN
        }
    }
    let r = check_gradient(&Nan, &SVector::from([1.0, 2.0]), |_| SVector::zeros());
    assert!(!r.is_ok(), "{r}");
    assert!(r.rows().iter().all(|row| row.verdict == Verdict::ValueNaN));
    // At random points too.
    let c = Checker::new()
        .random(&SVector::repeat(-1.0), &SVector::repeat(1.0))
        .unwrap()
        .cases(5)
        .unwrap()
        .seed(1);
    let fail = c.gradient(&Nan, |_| SVector::zeros()).unwrap_err();
    assert_eq!(fail.report().rows()[0].verdict, Verdict::ValueNaN);
}

/// A Jacobian judges each output's rows by that output's value: `(ln x, x)` at `x = −1` has
/// row 0 unchecked and row 1 checked.
#[test]
fn a_jacobian_row_whose_output_is_nan_is_unchecked() {
    struct LnAndX;
    impl dualgrad::VectorFn<1, 2> for LnAndX {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> SVector<T, 2> {
            SVector::from([x[0].ln(), x[0]])
        }
    }
    let r = Checker::new().jacobian(&LnAndX, &SVector::from([-1.0]), |x| {
        SMatrix::<f64, 2, 1>::new(1.0 / x[0], 1.0)
    });
    assert_eq!(r.rows()[0].verdict, Verdict::ValueNaN);
    assert_eq!(r.rows()[1].verdict, Verdict::Ok);
    let r = Checker::new().jacobian_fd(
        |x: &SVector<f64, 1>| SVector::from([x[0].ln(), x[0]]),
        &SVector::from([-1.0]),
        |x| SMatrix::<f64, 2, 1>::new(1.0 / x[0], 1.0),
    );
    assert_eq!(r.rows()[0].verdict, Verdict::ValueNaN);
}

/// An overflowed value (`x·y` at `1e200`) leaves finite derivatives checkable.
#[test]
fn an_infinite_value_with_finite_derivatives_is_still_checked() {
    struct Xy;
    impl ScalarFn<2> for Xy {
        fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
            v[0] * v[1]
        }
    }
    let x = SVector::from([1e200, 1e200]);
    assert!(check_gradient(&Xy, &x, |v| SVector::from([v[1], v[0]])).is_ok());
    assert!(!check_gradient(&Xy, &x, |v| SVector::from([v[0], v[0] * 2.0])).is_ok());
}

/// `5x³` is not the derivative of `x⁴`, even where both overflow to the same infinity
/// (`x = 1e103`): not comparable, so UNCHECKED, never ok.
#[test]
fn equal_infinities_are_not_agreement() {
    struct Quartic;
    impl ScalarFn<1> for Quartic {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            x[0].powi(4)
        }
    }
    let r = check_gradient(&Quartic, &SVector::from([1e103]), |x| {
        x.map(|v| 5.0 * v * v * v)
    });
    assert_eq!(r.rows()[0].hand, f64::INFINITY);
    assert_eq!(r.rows()[0].exact, f64::INFINITY);
    assert_eq!(r.rows()[0].verdict, Verdict::ExactNotFinite);
    assert!(!r.is_ok());
    assert!(
        r.summary()
            .starts_with("1 of 1 components unchecked (exact value not finite)"),
        "{}",
        r.summary()
    );
    assert!(!Tolerances::default().accepts(f64::INFINITY, f64::INFINITY));
    assert!(!Tolerances::default().accepts(f64::NEG_INFINITY, f64::NEG_INFINITY));
}

/// `1e-20·x²` with a hand gradient off by a factor 2: the absolute tolerance `1e-12` used to
/// pass it ("ok" with a printed relative error of 50 %). The absolute tolerance now scales
/// with the derivative's own size, so it is WRONG.
#[test]
fn the_absolute_tolerance_does_not_hide_a_wrong_formula_at_small_scale() {
    struct Tiny;
    impl ScalarFn<1> for Tiny {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            x[0] * x[0] * 1e-20
        }
    }
    let x = SVector::from([1.0]);
    let wrong = |x: &SVector<f64, 1>| x.map(|v| 1e-20 * v); // true: 2e-20 x
    let r = check_gradient(&Tiny, &x, wrong);
    assert_eq!(r.rows()[0].verdict, Verdict::Wrong, "{r}");
    assert!(
        r.summary()
            .starts_with("1 of 1 components wrong; worst relative error 5.0e-1")
    );
    // The same through finite differences, at random points, and in a Hessian.
    let fd = Checker::new().gradient_fd(|v: &SVector<f64, 1>| 1e-20 * v[0] * v[0], &x, wrong);
    assert!(!fd.is_ok(), "{fd}");
    let c = Checker::new()
        .random(&SVector::from([0.5]), &SVector::from([2.0]))
        .unwrap()
        .seed(3);
    assert!(c.gradient(&Tiny, wrong).is_err());
    let h = check_hessian(&Tiny, &x, |_| SMatrix::from([[1e-20]]));
    assert_eq!(h.rows()[0].verdict, Verdict::Wrong, "{h}");
    // The right formula passes; so does a component cancelling to ~0 next to large ones.
    assert!(check_gradient(&Tiny, &x, |x| x.map(|v| 2e-20 * v)).is_ok());
    struct Mixed;
    impl ScalarFn<2> for Mixed {
        fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
            x[0] * x[0] + x[1] * 1e-3
        }
    }
    // ∂/∂y off by 1e-13 absolute (relative 1e-10 after all), ∂/∂x exact.
    let r = check_gradient(&Mixed, &SVector::from([1.0, 0.0]), |x| {
        SVector::from([2.0 * x[0], 1e-3 + 1e-13])
    });
    assert!(r.is_ok(), "{r}");
}

/// A Jacobian's absolute tolerance scales per row: a tiny output's wrong row is WRONG even
/// next to a large output.
#[test]
fn the_absolute_tolerance_scales_per_jacobian_row() {
    struct TwoScales;
    impl dualgrad::VectorFn<1, 2> for TwoScales {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> SVector<T, 2> {
            SVector::from([x[0] * 1e3, x[0] * x[0] * 1e-20])
        }
    }
    let r = Checker::new().jacobian(&TwoScales, &SVector::from([1.0]), |x| {
        SMatrix::<f64, 2, 1>::new(1e3, 1e-20 * x[0])
    });
    assert_eq!(r.rows()[0].verdict, Verdict::Ok);
    assert_eq!(r.rows()[1].verdict, Verdict::Wrong, "{r}");
}

// More bad inputs to the checker, tried as a new user would.

#[test]
fn checker_settings_name_the_bad_value() {
    let e = Checker::<2>::new().names(["a"]).unwrap_err();
    assert_eq!(
        e,
        dualgrad::check::CheckError::NamesLength {
            expected: 2,
            got: 1
        }
    );
    let e = Checker::<2>::new().names(["a", "a"]).unwrap_err();
    assert_eq!(
        e,
        dualgrad::check::CheckError::DuplicateName {
            first: 0,
            second: 1
        }
    );
    assert!(matches!(
        Tolerances::new(f64::NAN, 1e-8),
        Err(dualgrad::check::CheckError::InvalidTolerance { which: "abs", .. })
    ));
    let c = Checker::<1>::new();
    assert!(
        c.random(&SVector::from([1.0]), &SVector::from([0.0]))
            .is_err()
    );
    assert!(
        c.random(&SVector::from([f64::NAN]), &SVector::from([1.0]))
            .is_err()
    );
}

/// A NaN coordinate makes f NaN: unchecked, not ok.
#[test]
fn a_nan_point_is_unchecked() {
    let r = check_gradient(&Ln, &SVector::from([f64::NAN]), |x| x.map(|v| 1.0 / v));
    assert!(!r.is_ok());
    assert_eq!(r.rows()[0].verdict, Verdict::ValueNaN);
}

/// `ln` at 0: the value is −∞ (not NaN) and the derivative +∞; the hand formula's +∞ is not
/// agreement (unchecked), a finite hand value cannot be confirmed (unchecked).
#[test]
fn ln_at_zero_is_unchecked_whatever_the_hand_says() {
    for hand in [f64::INFINITY, 1e300] {
        let r = check_gradient(&Ln, &SVector::from([0.0]), |_| SVector::from([hand]));
        assert_eq!(r.rows()[0].verdict, Verdict::ExactNotFinite, "{r}");
        assert!(!r.is_ok());
    }
}

/// A random check on a box partly outside `ln`'s domain fails, at a point where `ln` is NaN,
/// with the verdict saying so (it used to pass with the formula `1/x` everywhere).
#[test]
fn a_random_box_partly_outside_the_domain_fails() {
    let c = Checker::new()
        .random(&SVector::from([-1.0]), &SVector::from([1.0]))
        .unwrap()
        .seed(11);
    let fail = c.gradient(&Ln, |x| x.map(|v| 1.0 / v)).unwrap_err();
    // Found outside the domain; shrunk towards 0, where ln is −∞ and its derivative +∞: unchecked
    // either way.
    assert!(
        fail.original_point()[0] < 0.0,
        "{:?}",
        fail.original_point()
    );
    assert!(fail.point()[0] <= 0.0, "{:?}", fail.point());
    let verdict = fail.report().rows()[0].verdict;
    assert!(
        matches!(verdict, Verdict::ValueNaN | Verdict::ExactNotFinite),
        "{verdict:?}"
    );
    let c = Checker::new()
        .random(&SVector::from([-2.0]), &SVector::from([-1.0]))
        .unwrap()
        .seed(11);
    let fail = c.gradient(&Ln, |x| x.map(|v| 1.0 / v)).unwrap_err();
    assert_eq!(fail.report().rows()[0].verdict, Verdict::ValueNaN);
    // On the domain it passes.
    let c = Checker::new()
        .random(&SVector::from([0.1]), &SVector::from([10.0]))
        .unwrap()
        .seed(11);
    assert!(c.gradient(&Ln, |x| x.map(|v| 1.0 / v)).is_ok());
}

/// A hand formula that returns NaN is WRONG (not finite), even where the exact value is
/// finite and the function is defined.
#[test]
fn a_nan_hand_formula_is_wrong_not_unchecked() {
    let r = check_gradient(&Ln, &SVector::from([2.0]), |_| SVector::from([f64::NAN]));
    assert_eq!(r.rows()[0].verdict, Verdict::HandNotFinite);
    assert!(
        r.summary().starts_with("1 of 1 components wrong"),
        "{}",
        r.summary()
    );
}

/// An absolute tolerance set to infinity passes every finite value, as documented, also at
/// small scale.
#[test]
fn an_infinite_absolute_tolerance_passes_finite_values() {
    let c = Checker::new().tolerances(Tolerances::new(f64::INFINITY, 0.0).unwrap());
    let r = c.gradient(&Ln, &SVector::from([2.0]), |_| SVector::from([7.0]));
    assert!(r.is_ok(), "{r}");
}

/// An "ok" whose relative error is beyond the relative tolerance says why it is ok, in the
/// report and in a random pass: no printed 50 % error next to a bare "ok".
#[test]
fn an_ok_beyond_the_relative_tolerance_says_why() {
    struct Mixed;
    impl ScalarFn<2> for Mixed {
        fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
            x[0] * x[0] + x[1] * 1e-13
        }
    }
    // ∂/∂y = 1e-13, hand 1.5e-13: relative error 1/3, absolute 5e-14 ≤ 1e-12 next to ∂/∂x = 2.
    let hand = |x: &SVector<f64, 2>| SVector::from([2.0 * x[0], 1.5e-13]);
    let r = check_gradient(&Mixed, &SVector::from([1.0, 0.0]), hand);
    assert!(r.is_ok(), "{r}");
    assert!(
        r.summary()
            .contains("(ok: the absolute error 5.0e-14 is within the absolute tolerance)"),
        "{}",
        r.summary()
    );
    let c = Checker::new()
        .random(&SVector::from([0.5, -1.0]), &SVector::from([2.0, 1.0]))
        .unwrap()
        .cases(10)
        .unwrap()
        .seed(5);
    let pass = c.gradient(&Mixed, hand).unwrap();
    assert!(
        pass.to_string()
            .ends_with("(ok: within the absolute tolerance)"),
        "{pass}"
    );
}
