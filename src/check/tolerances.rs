//! When a hand-derived value counts as equal to the exact one.

use super::CheckError;

/// How far a hand-derived value may be from the reference value and still count as right.
///
/// A component passes when **either** error is within its tolerance:
///
/// - the absolute error `|a − e| ≤ abs`, or
/// - the [relative error](relative_error) `|a − e| / max(|a|, |e|) ≤ rel` (Ceres'
///   definition; when `a` or `e` is exactly zero it is the absolute error).
///
/// Both values must be finite: where the exact value is infinite (an overflow, or a derivative
/// that is infinite there) nothing is compared, even if the hand formula gives the same infinity
/// ([`Verdict::ExactNotFinite`](crate::check::Verdict::ExactNotFinite), not a pass).
///
/// # The defaults: `rel = 1e-8`, `abs = 1e-12`
///
/// The exact value comes from forward-mode AD, so a correct formula differs from it only by
/// rounding: the two sum the same terms in a different order. That leaves a relative error of a
/// few units of `f64` precision (about `1e-16`), larger only where a component is a sum of
/// large terms that nearly cancel. A wrong formula (a missing factor, a flipped sign, a missing
/// term) is usually off by a relative error of order one, but can come close at some points:
/// a backward pass that leaves out `tanh'(z) = 1 − a²` is off by only `a²` where a hidden
/// activation `a` is near 0. `abs = 1e-12` accepts a component that cancels to (nearly) zero,
/// where the relative error of rounding noise is meaningless.
///
/// Measured on the crate's tests: correct formulas for Rosenbrock (N = 2 and 10), a 2-3-1 tanh
/// MLP with mean squared error, a 2-5-1 MLP with cross-entropy, logistic regression and softmax
/// cross-entropy, at 10,000 random points each, had relative errors of at most `5e-12`; the
/// wrong hand-derived formulas of the test suite's `check_seeds` cases (typical textbook slips), at 2,000 random points each, were off by at least `7e-7`
/// on every component they get wrong (the missing `tanh'` above), and by at least `5e-5` apart
/// from that one. `rel = 1e-8` sits in the gap, with more than three orders of magnitude to the
/// correct side and almost two to the closest wrong case.
///
/// `abs` is in the units of the derivative for derivatives of size 1 and above. The checker
/// scales it down by the largest magnitude `s` among the hand and exact entries of the check
/// (of the row, for a Jacobian: each row is another function) when `s < 1`, to `abs · s`: a
/// derivative whose entries are all tiny (`1e-20 x²`) is then judged by its relative error, and
/// a formula off by a factor of 2 there is WRONG instead of passing under `abs`. A component
/// that cancels to nearly zero next to larger ones still passes under `abs`; one whose
/// neighbours are tiny too is judged against its measured rounding noise. [`accepts`](Tolerances::accepts) judges a single value on its own, with `abs` unscaled.
///
/// A component that is a sum of large terms cancelling to nearly zero can differ by more than
/// both tolerances from rounding alone. The checker then measures the rounding noise of the
/// hand and the exact values and judges such a difference [`Verdict::NoiseFloor`]
/// (see [`Checker`](crate::check::Checker)); `accepts` itself applies the tolerances only.
///
/// [`Verdict::NoiseFloor`]: crate::check::Verdict::NoiseFloor
///
/// ```
/// use dualgrad::check::Tolerances;
/// let t = Tolerances::default();
/// assert_eq!((t.abs(), t.rel()), (1e-12, 1e-8));
/// assert!(t.accepts(1.0 + 1e-12, 1.0)); // rounding
/// assert!(!t.accepts(2.0, 1.0)); // off by a factor of 2: relative error 1/2
/// assert!(t.accepts(3e-17, -1e-17)); // cancellation noise around zero
/// assert!(!t.accepts(f64::NAN, 1.0));
/// assert!(Tolerances::new(-1.0, 1e-8).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerances {
    abs: f64,
    rel: f64,
}

impl Tolerances {
    /// The default absolute tolerance, `1e-12`.
    ///
    /// ```
    /// assert_eq!(dualgrad::check::Tolerances::DEFAULT_ABS, 1e-12);
    /// ```
    pub const DEFAULT_ABS: f64 = 1e-12;
    /// The default relative tolerance, `1e-8`.
    ///
    /// ```
    /// assert_eq!(dualgrad::check::Tolerances::DEFAULT_REL, 1e-8);
    /// ```
    pub const DEFAULT_REL: f64 = 1e-8;

    /// Tolerances with the given absolute and relative bounds.
    ///
    /// Either may be `0` (that test never passes a differing value) or `+∞` (that test always
    /// passes a finite value).
    ///
    /// # Errors
    /// [`CheckError::InvalidTolerance`] if a bound is negative or NaN.
    ///
    /// ```
    /// use dualgrad::check::{CheckError, Tolerances};
    /// let loose = Tolerances::new(1e-6, 1e-4).unwrap();
    /// assert!(loose.accepts(1.00001, 1.0)); // relative error ≈ 1e-5
    /// assert!(matches!(Tolerances::new(1e-6, f64::NAN), Err(CheckError::InvalidTolerance { which: "rel", .. })));
    /// assert!(matches!(Tolerances::new(-1.0, 0.0), Err(CheckError::InvalidTolerance { which: "abs", .. })));
    /// ```
    pub fn new(abs: f64, rel: f64) -> Result<Self, CheckError> {
        for (which, value) in [("abs", abs), ("rel", rel)] {
            if value.is_nan() || value < 0.0 {
                return Err(CheckError::InvalidTolerance { which, value });
            }
        }
        Ok(Self { abs, rel })
    }

    /// The absolute tolerance.
    ///
    /// ```
    /// assert_eq!(dualgrad::check::Tolerances::new(1e-9, 1e-6).unwrap().abs(), 1e-9);
    /// ```
    pub fn abs(&self) -> f64 {
        self.abs
    }

    /// The relative tolerance.
    ///
    /// ```
    /// assert_eq!(dualgrad::check::Tolerances::new(1e-9, 1e-6).unwrap().rel(), 1e-6);
    /// ```
    pub fn rel(&self) -> f64 {
        self.rel
    }

    /// Whether the hand-derived value `hand` counts as equal to the reference value `exact`.
    ///
    /// ```
    /// use dualgrad::check::Tolerances;
    /// let t = Tolerances::default();
    /// assert!(!t.accepts(f64::INFINITY, f64::INFINITY)); // the same infinity: not comparable
    /// assert!(!t.accepts(f64::INFINITY, 1e300));
    /// assert!(!t.accepts(-0.5, 0.5)); // a sign flip
    /// ```
    pub fn accepts(&self, hand: f64, exact: f64) -> bool {
        judge(hand, exact, *self).is_ok()
    }
}

impl Default for Tolerances {
    fn default() -> Self {
        Self {
            abs: Self::DEFAULT_ABS,
            rel: Self::DEFAULT_REL,
        }
    }
}

/// The relative error of `a` against `e` as Ceres' `GradientChecker` defines it:
/// `|a − e| / max(|a|, |e|)`, or the absolute error `|a − e|` when `a` or `e` is exactly zero.
///
/// It is symmetric, at most 2 when the signs differ, and NaN if either value is NaN.
///
/// ```
/// use dualgrad::check::relative_error;
/// assert_eq!(relative_error(3.0, 4.0), 0.25); // 1 / 4
/// assert_eq!(relative_error(-1.0, 1.0), 2.0); // a sign flip
/// assert_eq!(relative_error(0.0, 1e-3), 1e-3); // falls back to |a − e|
/// assert_eq!(relative_error(0.0, 0.0), 0.0);
/// ```
pub fn relative_error(a: f64, e: f64) -> f64 {
    let abs = (a - e).abs();
    if a == 0.0 || e == 0.0 {
        abs
    } else {
        abs / a.abs().max(e.abs())
    }
}

/// The verdict on one component, with its absolute and relative errors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Judgement {
    pub(crate) abs_err: f64,
    pub(crate) rel_err: f64,
    pub(crate) verdict: super::Verdict,
}

impl Judgement {
    pub(crate) fn is_ok(&self) -> bool {
        self.verdict.is_ok()
    }

    /// Whether this component is worse than `other`: wrong before right, then by relative
    /// error with NaN as the largest.
    pub(crate) fn worse_than(&self, other: &Self) -> bool {
        let key = |j: &Self| {
            let rel = if j.rel_err.is_nan() {
                f64::INFINITY
            } else {
                j.rel_err
            };
            (!j.is_ok(), rel)
        };
        let (a, b) = (key(self), key(other));
        a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).is_gt()
    }
}

/// Compare one hand-derived value with the reference value, the absolute tolerance in absolute
/// units (as [`Tolerances::accepts`]).
pub(crate) fn judge(hand: f64, exact: f64, tol: Tolerances) -> Judgement {
    judge_scaled(hand, exact, tol, 1.0)
}

/// Compare one hand-derived value with the reference value, the absolute tolerance scaled by
/// `min(scale, 1)`: `scale` is the largest magnitude of the derivative being checked, so that
/// the absolute tolerance cannot pass a wrong formula whose values are all tiny.
pub(crate) fn judge_scaled(hand: f64, exact: f64, tol: Tolerances, scale: f64) -> Judgement {
    use super::Verdict;
    if hand == exact && hand.is_finite() {
        return Judgement {
            abs_err: 0.0,
            rel_err: 0.0,
            verdict: Verdict::Ok,
        };
    }
    if hand == exact {
        // The same infinity: nothing to compare (an overflow on both sides agrees with any
        // formula that also overflows).
        return Judgement {
            abs_err: f64::NAN,
            rel_err: f64::NAN,
            verdict: Verdict::ExactNotFinite,
        };
    }
    let abs_err = (hand - exact).abs();
    let rel_err = relative_error(hand, exact);
    let verdict = if !hand.is_finite() {
        Verdict::HandNotFinite
    } else if !exact.is_finite() {
        Verdict::ExactNotFinite
    } else if abs_err <= tol.abs * scale.min(1.0) || rel_err <= tol.rel {
        Verdict::Ok
    } else {
        Verdict::Wrong
    };
    Judgement {
        abs_err,
        rel_err,
        verdict,
    }
}
