//! The report: Ceres' relative error, verdicts for non-finite values, the worst component, the
//! Display format, names and labels, errors for bad input, and the assertion macros.

use dualgrad::check::{
    CheckError, CheckKind, CheckReference, Checker, Entry, Tolerances, Verdict, check_gradient,
    check_hessian, check_jacobian, relative_error,
};
use dualgrad::{
    Scalar, ScalarFn, VectorFn, assert_check, assert_gradient, assert_hessian, assert_jacobian,
};
use nalgebra::{SMatrix, SVector};

/// f(x, y, z) = x² + 3y + sin z, ∇f = (2x, 3, cos z)
struct F;
impl ScalarFn<3> for F {
    fn eval<T: Scalar>(&self, v: &SVector<T, 3>) -> T {
        v[0] * v[0] + v[1] * 3.0 + v[2].sin()
    }
}

fn grad_f(v: &SVector<f64, 3>) -> SVector<f64, 3> {
    SVector::from([2.0 * v[0], 3.0, v[2].cos()])
}

const X: SVector<f64, 3> = SVector::<f64, 3>::new(1.5, -2.0, 0.0);

#[test]
fn relative_error_is_ceres_definition() {
    // |a − e| / max(|a|, |e|), or |a − e| when either is exactly 0
    assert_eq!(relative_error(1.0, 2.0), 0.5);
    assert_eq!(relative_error(2.0, 1.0), 0.5);
    assert_eq!(relative_error(-3.0, 3.0), 2.0);
    assert_eq!(relative_error(0.0, 0.25), 0.25);
    assert_eq!(relative_error(1e-20, 0.0), 1e-20);
    assert_eq!(relative_error(5.0, 5.0), 0.0);
    assert!(relative_error(f64::NAN, 1.0).is_nan());
}

#[test]
fn rows_hold_hand_exact_and_errors() {
    // the hand formula says ∂f/∂y = 4 instead of 3
    let r = check_gradient(&F, &X, |v| SVector::from([2.0 * v[0], 4.0, v[2].cos()]));
    assert_eq!(r.kind(), CheckKind::Gradient);
    assert_eq!(r.reference(), CheckReference::Exact);
    assert_eq!(r.point(), X.as_slice());
    assert_eq!(r.len(), 3);
    let rows = r.rows();
    assert_eq!(
        (
            rows[0].entry,
            rows[0].hand,
            rows[0].exact,
            rows[0].abs_err,
            rows[0].rel_err
        ),
        (Entry::Vector(0), 3.0, 3.0, 0.0, 0.0)
    );
    assert_eq!(
        (
            rows[1].hand,
            rows[1].exact,
            rows[1].abs_err,
            rows[1].rel_err
        ),
        (4.0, 3.0, 1.0, 0.25)
    );
    assert_eq!(rows[1].verdict, Verdict::Wrong);
    assert_eq!(
        (rows[2].hand, rows[2].exact, rows[2].verdict),
        (1.0, 1.0, Verdict::Ok)
    );
    assert_eq!(r.wrong_count(), 1);
    assert_eq!(r.worst().unwrap().entry, Entry::Vector(1));
    assert!(rows.iter().all(|r| r.reference_error.is_none()));
}

#[test]
fn nan_and_infinite_hand_values_are_wrong_not_a_panic() {
    let r = check_gradient(&F, &X, |_| SVector::from([f64::NAN, f64::INFINITY, 1.0]));
    let v: Vec<Verdict> = r.rows().iter().map(|row| row.verdict).collect();
    assert_eq!(
        v,
        [Verdict::HandNotFinite, Verdict::HandNotFinite, Verdict::Ok]
    );
    assert_eq!(r.wrong_count(), 2);
    // NaN counts as the largest relative error
    assert_eq!(r.worst().unwrap().entry, Entry::Vector(0));
    let text = r.to_string();
    assert!(
        text.starts_with("2 of 3 components wrong; worst relative error NaN at x[0]\n"),
        "{text}"
    );
    assert!(text.contains("WRONG (not finite)"), "{text}");
}

#[test]
fn infinite_exact_values() {
    /// √x: the derivative 1/(2√x) is +∞ at 0
    struct Sqrt;
    impl ScalarFn<1> for Sqrt {
        fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T {
            x[0].sqrt()
        }
    }
    let zero = SVector::from([0.0]);
    // the same infinity cannot be compared: unchecked, not a pass
    let r = check_gradient(&Sqrt, &zero, |x| x.map(|v| 0.5 / v.sqrt()));
    assert_eq!(r.rows()[0].verdict, Verdict::ExactNotFinite);
    assert!(!r.is_ok(), "{r}");
    // a finite value cannot be confirmed against an infinite one
    let r = check_gradient(&Sqrt, &zero, |_| SVector::from([1e300]));
    assert_eq!(r.rows()[0].verdict, Verdict::ExactNotFinite);
    assert!(!r.is_ok());
}

#[test]
fn tolerances_decide_the_verdict() {
    // 3 (1 + 1e-6): relative error 1e-6, wrong by default, right with rel = 1e-5
    let hand = |v: &SVector<f64, 3>| SVector::from([2.0 * v[0], 3.0 * (1.0 + 1e-6), v[2].cos()]);
    assert_eq!(check_gradient(&F, &X, hand).wrong_count(), 1);
    let loose = Tolerances::new(0.0, 1e-5).unwrap();
    assert!(
        Checker::new()
            .tolerances(loose)
            .gradient(&F, &X, hand)
            .is_ok()
    );
    // an absolute tolerance passes a small absolute error whatever its relative size
    let tiny = |v: &SVector<f64, 3>| SVector::from([2.0 * v[0], 3.0, v[2].cos() + 1e-13]);
    assert!(check_gradient(&F, &X, tiny).is_ok());
    let strict = Tolerances::new(0.0, 1e-15).unwrap();
    assert!(
        !Checker::new()
            .tolerances(strict)
            .gradient(&F, &X, tiny)
            .is_ok()
    );
    // defaults as documented
    let d = Tolerances::default();
    assert_eq!((d.abs(), d.rel()), (1e-12, 1e-8));
}

#[test]
fn bad_tolerances_are_errors() {
    assert_eq!(
        Tolerances::new(-1e-3, 1e-8),
        Err(CheckError::InvalidTolerance {
            which: "abs",
            value: -1e-3
        })
    );
    assert!(matches!(
        Tolerances::new(0.0, f64::NAN),
        Err(CheckError::InvalidTolerance { which: "rel", .. })
    ));
    assert!(Tolerances::new(f64::INFINITY, 0.0).is_ok());
    let msg = Tolerances::new(-1e-3, 1e-8).unwrap_err().to_string();
    assert!(msg.contains("abs") && msg.contains("-0.001"), "{msg}");
}

#[test]
fn bad_boxes_are_errors() {
    let c = Checker::<3>::new();
    let lo = SVector::from([0.0, 0.0, 0.0]);
    let err = c.random(&lo, &SVector::from([1.0, 0.0, 1.0])).unwrap_err();
    assert_eq!(
        err,
        CheckError::ZeroWidthBox {
            index: 1,
            value: 0.0
        }
    );
    assert!(err.to_string().contains("lo[1] = hi[1] = 0"), "{err}");
    let err = c.random(&lo, &SVector::from([1.0, 1.0, -2.0])).unwrap_err();
    assert_eq!(
        err,
        CheckError::InvertedBox {
            index: 2,
            lo: 0.0,
            hi: -2.0
        }
    );
    assert_eq!(err.to_string(), "inverted box: lo[2] = 0 > hi[2] = -2");
    let err = c
        .random(&lo, &SVector::from([f64::INFINITY, 1.0, 1.0]))
        .unwrap_err();
    assert!(matches!(err, CheckError::NonFiniteBound { index: 0, .. }));
    let err = c
        .random(&SVector::from([f64::NAN, 0.0, 0.0]), &lo)
        .unwrap_err();
    assert!(matches!(err, CheckError::NonFiniteBound { index: 0, .. }));
    // the whole zero-size box
    assert!(matches!(
        c.random(&lo, &lo),
        Err(CheckError::ZeroWidthBox { index: 0, .. })
    ));
    let ok = c.random(&lo, &SVector::repeat(1.0)).unwrap();
    assert_eq!(ok.cases(0).unwrap_err(), CheckError::ZeroCases);
    // errors are std errors
    let _: Box<dyn std::error::Error> = Box::new(CheckError::ZeroCases);
}

#[test]
fn huge_boxes_do_not_overflow() {
    /// f = x·y
    struct Xy;
    impl ScalarFn<2> for Xy {
        fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
            v[0] * v[1]
        }
    }
    let (lo, hi) = (SVector::repeat(-1e300), SVector::repeat(1e300));
    let c = Checker::new().random(&lo, &hi).unwrap().cases(200).unwrap();
    let pass = c.gradient(&Xy, |v| SVector::from([v[1], v[0]])).unwrap();
    assert!(pass.worst_point().iter().all(|x| x.abs() <= 1e300));
}

#[test]
fn names_label_components() {
    let c = Checker::new().names(["x", "y", "z"]).unwrap();
    let r = c.gradient(&F, &X, |v| SVector::from([2.0 * v[0], -3.0, v[2].cos()]));
    assert_eq!(r.worst().unwrap().label, "y");
    assert_eq!(
        Checker::<3>::new().names(["a", "b"]).unwrap_err(),
        CheckError::NamesLength {
            expected: 3,
            got: 2
        }
    );
    let c = Checker::new().name_with(|i| format!("θ[{i}]"));
    let r = c.gradient(&F, &X, grad_f);
    assert!(r.to_string().ends_with("at θ[0]"), "{r}");
}

/// (x y, x + y²)
struct G;
impl VectorFn<2, 2> for G {
    fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> SVector<T, 2> {
        SVector::from([v[0] * v[1], v[0] + v[1] * v[1]])
    }
}

/// x²y
struct H;
impl ScalarFn<2> for H {
    fn eval<T: Scalar>(&self, v: &SVector<T, 2>) -> T {
        v[0] * v[0] * v[1]
    }
}

#[test]
fn jacobian_and_hessian_rows_are_row_major_with_labels() {
    let x = SVector::from([2.0, 3.0]);
    // J = [[y, x], [1, 2y]] = [[3, 2], [1, 6]]; this one gets (1, 1) wrong
    let r = check_jacobian(&G, &x, |_| SMatrix::<f64, 2, 2>::new(3.0, 2.0, 1.0, 3.0));
    assert_eq!(r.kind(), CheckKind::Jacobian);
    let labels: Vec<&str> = r.rows().iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]);
    assert_eq!(
        r.wrong().map(|r| r.entry).collect::<Vec<_>>(),
        [Entry::Matrix(1, 1)]
    );
    let named = Checker::new().names(["u", "v"]).unwrap();
    let r = named.jacobian(&G, &x, |_| SMatrix::<f64, 2, 2>::new(3.0, 2.0, 1.0, 6.0));
    assert!(r.is_ok());
    let labels: Vec<&str> = r.rows().iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["(0, u)", "(0, v)", "(1, u)", "(1, v)"]);

    // H(x²y) = [[2y, 2x], [2x, 0]] = [[6, 4], [4, 0]]; a non-symmetric hand Hessian is caught
    let r = check_hessian(&H, &x, |_| SMatrix::<f64, 2, 2>::new(6.0, 4.0, 0.0, 0.0));
    assert_eq!(r.kind(), CheckKind::Hessian);
    assert_eq!(
        r.wrong().map(|r| r.entry).collect::<Vec<_>>(),
        [Entry::Matrix(1, 0)]
    );
    let r = named.hessian(&H, &x, |_| SMatrix::<f64, 2, 2>::new(6.0, 4.0, 4.0, 0.0));
    assert!(r.is_ok());
    assert_eq!(r.rows()[1].label, "(u, v)");
}

#[test]
fn display_of_a_correct_check_is_one_line() {
    let r = check_gradient(&F, &X, grad_f);
    let text = r.to_string();
    assert_eq!(text.lines().count(), 1);
    assert!(
        text.starts_with("all 3 components ok; worst relative error "),
        "{text}"
    );
    // `{:#}` adds the table
    assert_eq!(format!("{r:#}").lines().count(), 1 + 1 + 3);
}

#[test]
fn display_of_a_failed_check_is_a_summary_and_an_aligned_table() {
    // hand: (2x, 3, cos z) with x → −x: ∂f/∂x is 3 vs −3 (relative error 2)
    let c = Checker::new().names(["a_long_name", "y", "z"]).unwrap();
    let r = c.gradient(&F, &X, |v| SVector::from([-2.0 * v[0], 3.0, v[2].cos()]));
    let text = r.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "1 of 3 components wrong; worst relative error 2.0e0 at a_long_name"
    );
    assert_eq!(lines.len(), 1 + 1 + 3);
    let header = lines[1];
    for col in [
        "component",
        "hand",
        "exact",
        "abs error",
        "rel error",
        "verdict",
    ] {
        assert!(header.contains(col), "{header}");
    }
    // columns line up: the numbers end where their (right-aligned) headers end, and the
    // verdicts start where the header's does
    let end_of = |col: &str| header.find(col).unwrap() + col.len();
    let ends: Vec<usize> = ["hand", "exact", "abs error", "rel error"]
        .map(end_of)
        .to_vec();
    let verdict_at = header.find("verdict").unwrap();
    for row in &lines[2..] {
        let token_ends: Vec<usize> = row
            .char_indices()
            .filter(|&(i, c)| c != ' ' && row[i + c.len_utf8()..].starts_with(' '))
            .map(|(i, c)| i + c.len_utf8())
            .collect();
        // label, hand, exact, abs error, rel error, then the verdict
        assert_eq!(token_ends[1..5], ends[..], "{row}\n{header}");
        assert!(row[..verdict_at].ends_with("  "), "{row}");
        assert!(["ok", "WRONG"].contains(&&row[verdict_at..]), "{row}");
    }
    assert!(lines[2].starts_with("  a_long_name"));
    assert!(lines[2].ends_with("WRONG"));
    assert!(
        lines[2].contains("-3.000000e0") && lines[2].contains("3.000000e0"),
        "{}",
        lines[2]
    );
}

#[test]
fn worst_component_prefers_wrong_rows() {
    // x[2]: exact cos 0 = 1, hand 1 + 1e-13 passes by abs; x[1] wrong by 1e-3 relative; x[0]
    // exact 3, hand 3.6 wrong by 1/6
    let r = check_gradient(&F, &X, |_| SVector::from([3.6, 3.003, 1.0 + 1e-13]));
    assert_eq!(r.worst().unwrap().entry, Entry::Vector(0));
    assert_eq!(r.wrong_count(), 2);
}

#[test]
fn assertion_macros_return_the_report() {
    let r = assert_gradient!(&F, &X, grad_f);
    assert!(r.is_ok());
    let loose = Tolerances::new(0.0, 0.5).unwrap();
    assert_gradient!(&F, &X, |v| grad_f(v) * 1.2, loose);
    let x = SVector::from([2.0, 3.0]);
    assert_jacobian!(&G, &x, |v| SMatrix::<f64, 2, 2>::new(
        v[1],
        v[0],
        1.0,
        2.0 * v[1]
    ));
    assert_hessian!(&H, &x, |v| SMatrix::<f64, 2, 2>::new(
        2.0 * v[1],
        2.0 * v[0],
        2.0 * v[0],
        0.0
    ));
    let c = Checker::new()
        .random(&SVector::repeat(-1.0), &SVector::repeat(1.0))
        .unwrap();
    let pass = assert_check!(c.gradient(&F, grad_f));
    assert!(
        pass.to_string()
            .starts_with("gradient ok at 100 random points (seed ")
    );
}

#[test]
#[should_panic(expected = "gradient check failed at x = [1.5, -2, 0]\n1 of 3 components wrong")]
fn assert_gradient_panics_with_the_report() {
    assert_gradient!(&F, &X, |v| SVector::from([v[0], 3.0, v[2].cos()]));
}

#[test]
#[should_panic(expected = "Jacobian check failed")]
fn assert_jacobian_panics() {
    let x = SVector::from([2.0, 3.0]);
    assert_jacobian!(&G, &x, |v| SMatrix::<f64, 2, 2>::new(
        v[0],
        v[1],
        1.0,
        2.0 * v[1]
    ));
}

#[test]
#[should_panic(expected = "Hessian check failed")]
fn assert_hessian_panics() {
    let x = SVector::from([2.0, 3.0]);
    assert_hessian!(&H, &x, |_| SMatrix::<f64, 2, 2>::zeros());
}

#[test]
#[should_panic(expected = "gradient check failed at random point 1 of 100 (seed 5)")]
fn assert_check_panics_on_a_failing_property() {
    let c = Checker::new()
        .random(&SVector::repeat(1.0), &SVector::repeat(2.0))
        .unwrap()
        .seed(5);
    assert_check!(c.gradient(&F, |v| grad_f(v) * 2.0));
}

#[test]
fn failing_point_display_and_debug() {
    let c = Checker::new()
        .names(["x", "y", "z"])
        .unwrap()
        .random(&SVector::repeat(1.0), &SVector::repeat(2.0))
        .unwrap()
        .seed(5);
    let fail = c.gradient(&F, |v| grad_f(v) * 2.0).unwrap_err();
    // wrong everywhere in the box (∂f/∂y = 3 ≠ 6): shrinks to the corner nearest 0
    assert_eq!(fail.point(), &[1.0, 1.0, 1.0]);
    assert_eq!(fail.case(), 1);
    let text = fail.to_string();
    assert_eq!(format!("{fail:?}"), text);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("gradient check failed at random point 1 of 100 (seed 5)"));
    assert_eq!(
        lines.iter().find(|l| l.starts_with("  to ")).copied(),
        Some("  to   x = [1, 1, 1]")
    );
    assert!(
        text.contains("3 of 3 components wrong; worst relative error"),
        "{text}"
    );
    // replay: the same seed finds the same point
    let again = c.gradient(&F, |v| grad_f(v) * 2.0).unwrap_err();
    assert_eq!(again.original_point(), fail.original_point());
    // FailingPoint is an error for `?`
    let _: Box<dyn std::error::Error> = Box::new(fail);
}
