//! Assertions for tests: panic with the full report when a check fails.

use super::{CheckReport, FailingPoint, RandomPass, report::point_string};

/// The result of a check, as the assertion macros see it: passed (and what to hand back), or
/// failed (and the message to panic with).
///
/// Implemented for a point check's [`CheckReport`] and a property check's
/// `Result<RandomPass, FailingPoint>`, so [`assert_check!`](crate::assert_check) takes either.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::{CheckOutcome, check_gradient};
/// use nalgebra::SVector;
/// struct Sq;
/// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// let r = check_gradient(&Sq, &SVector::from([1.0]), |x| x * 2.0);
/// assert_eq!(r.failure_message(), None);
/// let r = check_gradient(&Sq, &SVector::from([1.0]), |x| x * 1.0);
/// assert!(r.failure_message().unwrap().starts_with("gradient check failed at x = [1]\n1 of 1 components wrong"));
/// ```
pub trait CheckOutcome {
    /// What a passed check hands back: the [`CheckReport`], or the [`RandomPass`].
    type Passed;

    /// `None` if the check passed, else the full report to show.
    fn failure_message(&self) -> Option<String>;

    /// The passed outcome, or a panic with the full report.
    ///
    /// # Panics
    /// With the [`failure_message`](CheckOutcome::failure_message) if the check failed; this is
    /// what [`assert_check!`](crate::assert_check) calls.
    ///
    /// ```should_panic
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::{CheckOutcome, check_gradient};
    /// use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// check_gradient(&Sq, &SVector::from([1.0]), |x| x * 1.0).assert_passed(); // 2x ≠ x
    /// ```
    #[track_caller]
    fn assert_passed(self) -> Self::Passed;
}

impl CheckOutcome for CheckReport {
    type Passed = CheckReport;

    fn failure_message(&self) -> Option<String> {
        (!self.is_ok()).then(|| {
            format!(
                "{} check failed at x = {}\n{self}",
                self.kind(),
                point_string(self.point())
            )
        })
    }

    #[track_caller]
    fn assert_passed(self) -> CheckReport {
        if let Some(message) = self.failure_message() {
            panic!("{message}");
        }
        self
    }
}

impl CheckOutcome for Result<RandomPass, FailingPoint> {
    type Passed = RandomPass;

    fn failure_message(&self) -> Option<String> {
        self.as_ref().err().map(ToString::to_string)
    }

    #[track_caller]
    fn assert_passed(self) -> RandomPass {
        match self {
            Ok(pass) => pass,
            Err(fail) => panic!("{fail}"),
        }
    }
}

/// Assert that a check passed; otherwise panic with its full report.
///
/// Takes a [`CheckReport`] (a point check, and evaluates to it) or a
/// `Result<RandomPass, FailingPoint>` (a property check from
/// [`RandomCheck`](crate::check::RandomCheck), and evaluates to the [`RandomPass`]); anything
/// implementing [`CheckOutcome`].
///
/// ```
/// use dualgrad::{assert_check, prelude::*};
/// use dualgrad::check::Checker;
/// use nalgebra::SVector;
/// struct Sq;
/// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// let c = Checker::new().name_with(|_| "t".to_string());
/// let report = assert_check!(c.gradient(&Sq, &SVector::from([3.0]), |x| x * 2.0));
/// assert_eq!(report.rows()[0].exact, 6.0);
/// let pass = assert_check!(c.random(&SVector::from([-1.0]), &SVector::from([1.0]))?.gradient(&Sq, |x| x * 2.0));
/// assert_eq!(pass.cases(), 100);
/// # Ok::<(), dualgrad::check::CheckError>(())
/// ```
///
/// ```should_panic
/// # use dualgrad::{assert_check, prelude::*};
/// # use dualgrad::check::check_gradient; use nalgebra::SVector;
/// # struct Sq;
/// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// // panics: "gradient check failed at x = [3]\n1 of 1 components wrong; ..."
/// assert_check!(check_gradient(&Sq, &SVector::from([3.0]), |x| *x));
/// ```
#[macro_export]
macro_rules! assert_check {
    ($outcome:expr $(,)?) => {
        $crate::check::CheckOutcome::assert_passed($outcome)
    };
}

/// Assert that a hand-derived gradient is right at a point; otherwise panic with the full
/// report. Takes the arguments of [`check_gradient`](crate::check::check_gradient), and optionally
/// [`Tolerances`](crate::check::Tolerances) last; evaluates to the [`CheckReport`].
///
/// ```
/// use dualgrad::{assert_gradient, prelude::*};
/// use dualgrad::check::Tolerances;
/// use nalgebra::SVector;
/// /// f = x·y
/// struct Xy;
/// impl ScalarFn<2> for Xy { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[1] } }
/// let x = SVector::from([2.0, 3.0]);
/// assert_gradient!(&Xy, &x, |x| SVector::from([x[1], x[0]])); // ∇ = (y, x)
/// let loose = Tolerances::new(0.0, 1e-3).unwrap();
/// assert_gradient!(&Xy, &x, |x| SVector::from([x[1] * 1.0001, x[0]]), loose);
/// ```
///
/// ```should_panic
/// # use dualgrad::{assert_gradient, prelude::*}; use nalgebra::SVector;
/// # struct Xy;
/// # impl ScalarFn<2> for Xy { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[1] } }
/// // the product rule as (fg)' = f'g': panics with the report
/// assert_gradient!(&Xy, &SVector::from([2.0, 3.0]), |_| SVector::from([1.0, 1.0]));
/// ```
#[macro_export]
macro_rules! assert_gradient {
    ($f:expr, $x:expr, $hand:expr $(,)?) => {
        $crate::assert_check!($crate::check::check_gradient($f, $x, $hand))
    };
    ($f:expr, $x:expr, $hand:expr, $tol:expr $(,)?) => {
        $crate::assert_check!(
            $crate::check::Checker::new()
                .tolerances($tol)
                .gradient($f, $x, $hand)
        )
    };
}

/// Assert that a hand-derived Jacobian is right at a point; otherwise panic with the full
/// report. Takes the arguments of [`check_jacobian`](crate::check::check_jacobian), and optionally
/// [`Tolerances`](crate::check::Tolerances) last; evaluates to the [`CheckReport`].
///
/// ```
/// use dualgrad::{assert_jacobian, prelude::*};
/// use nalgebra::{SMatrix, SVector};
/// /// (x², xy)
/// struct F;
/// impl VectorFn<2, 2> for F {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> { SVector::from([x[0] * x[0], x[0] * x[1]]) }
/// }
/// // J = [[2x, 0], [y, x]]
/// assert_jacobian!(&F, &SVector::from([1.0, 2.0]), |x| SMatrix::<f64, 2, 2>::new(2.0 * x[0], 0.0, x[1], x[0]));
/// ```
///
/// ```should_panic
/// # use dualgrad::{assert_jacobian, prelude::*}; use nalgebra::{SMatrix, SVector};
/// # struct F;
/// # impl VectorFn<2, 2> for F {
/// #     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> { SVector::from([x[0] * x[0], x[0] * x[1]]) }
/// # }
/// // transposed: panics
/// assert_jacobian!(&F, &SVector::from([1.0, 2.0]), |x| SMatrix::<f64, 2, 2>::new(2.0 * x[0], x[1], 0.0, x[0]));
/// ```
#[macro_export]
macro_rules! assert_jacobian {
    ($f:expr, $x:expr, $hand:expr $(,)?) => {
        $crate::assert_check!($crate::check::check_jacobian($f, $x, $hand))
    };
    ($f:expr, $x:expr, $hand:expr, $tol:expr $(,)?) => {
        $crate::assert_check!(
            $crate::check::Checker::new()
                .tolerances($tol)
                .jacobian($f, $x, $hand)
        )
    };
}

/// Assert that a hand-derived Hessian is right at a point; otherwise panic with the full
/// report. Takes the arguments of [`check_hessian`](crate::check::check_hessian), and optionally
/// [`Tolerances`](crate::check::Tolerances) last; evaluates to the [`CheckReport`].
///
/// ```
/// use dualgrad::{assert_hessian, prelude::*};
/// use nalgebra::{SMatrix, SVector};
/// /// f = x²y
/// struct F;
/// impl ScalarFn<2> for F { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[0] * x[1] } }
/// // H = [[2y, 2x], [2x, 0]]
/// assert_hessian!(&F, &SVector::from([1.0, 2.0]), |x| SMatrix::<f64, 2, 2>::new(2.0 * x[1], 2.0 * x[0], 2.0 * x[0], 0.0));
/// ```
///
/// ```should_panic
/// # use dualgrad::{assert_hessian, prelude::*}; use nalgebra::{SMatrix, SVector};
/// # struct F;
/// # impl ScalarFn<2> for F { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[0] * x[1] } }
/// // the mixed partials forgotten: panics
/// assert_hessian!(&F, &SVector::from([1.0, 2.0]), |x| SMatrix::<f64, 2, 2>::new(2.0 * x[1], 0.0, 0.0, 0.0));
/// ```
#[macro_export]
macro_rules! assert_hessian {
    ($f:expr, $x:expr, $hand:expr $(,)?) => {
        $crate::assert_check!($crate::check::check_hessian($f, $x, $hand))
    };
    ($f:expr, $x:expr, $hand:expr, $tol:expr $(,)?) => {
        $crate::assert_check!(
            $crate::check::Checker::new()
                .tolerances($tol)
                .hessian($f, $x, $hand)
        )
    };
}
