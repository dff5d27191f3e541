//! The per-component result of a check and how it prints.

use super::tolerances::Judgement;
use std::fmt;

/// Which derivative a [`CheckReport`] checked.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::{CheckKind, check_gradient};
/// use nalgebra::SVector;
/// struct Sq;
/// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// let r = check_gradient(&Sq, &SVector::from([1.0]), |x| x * 2.0);
/// assert_eq!(r.kind(), CheckKind::Gradient);
/// assert_eq!(CheckKind::Hessian.to_string(), "Hessian");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckKind {
    /// The gradient of `Rᴺ → R`: one component per input.
    Gradient,
    /// The Jacobian of `Rᴺ → Rᴹ`: `M × N` entries, `(i, j) = ∂fᵢ/∂xⱼ`.
    Jacobian,
    /// The Hessian of `Rᴺ → R`: `N × N` entries, `(i, j) = ∂²f/∂xᵢ∂xⱼ`.
    Hessian,
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Gradient => "gradient",
            Self::Jacobian => "Jacobian",
            Self::Hessian => "Hessian",
        })
    }
}

/// What the hand-derived values were compared against.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::{CheckReference, check_gradient};
/// use nalgebra::SVector;
/// struct Sq;
/// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// let r = check_gradient(&Sq, &SVector::from([1.0]), |x| x * 2.0);
/// assert_eq!(r.reference(), CheckReference::Exact);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckReference {
    /// The exact derivative, from forward-mode AD.
    Exact,
    /// A Ridders finite-difference estimate, with its error estimate in [`Row::reference_error`].
    Ridders,
}

/// Where a component sits: `Vector(i)` in a gradient, `Matrix(i, j)` in a Jacobian or Hessian.
///
/// ```
/// use dualgrad::check::Entry;
/// assert_eq!(Entry::Matrix(1, 2).to_string(), "(1, 2)");
/// assert_eq!(Entry::Vector(3).to_string(), "[3]");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entry {
    /// Component `i` of a vector.
    Vector(usize),
    /// Row `i`, column `j` of a matrix.
    Matrix(usize, usize),
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Vector(i) => write!(f, "[{i}]"),
            Self::Matrix(i, j) => write!(f, "({i}, {j})"),
        }
    }
}

/// The verdict on one component.
///
/// ```
/// use dualgrad::check::Verdict;
/// assert_eq!(Verdict::Wrong.to_string(), "WRONG");
/// assert!(Verdict::Ok.is_ok() && !Verdict::HandNotFinite.is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within tolerance of the reference value.
    Ok,
    /// Both values finite, outside the tolerance.
    Wrong,
    /// The hand-derived value is NaN or infinite (and the reference is not the same value).
    HandNotFinite,
    /// The reference value is NaN or infinite, so the hand-derived value cannot be confirmed:
    /// the function is not differentiable at this point, or overflows there.
    ExactNotFinite,
    /// Outside the tolerances, but within the rounding noise of the exact value (its noise
    /// floor, in [`Row::noise_floor`]): the component is a sum of large terms that cancel, and
    /// both values are noise at this point. Counts as right.
    NoiseFloor,
    /// Outside the tolerances of a finite-difference reference whose extrapolation did not
    /// converge (its error estimate is not finite or larger than the values compared), so the
    /// hand-derived value can be neither confirmed nor refuted here. Not counted as right, never
    /// reported as wrong.
    Inconclusive,
    /// The function's value at the point (of this row's output, for a Jacobian) is NaN: the
    /// point is outside the function's domain (`ln` of a negative number, `0/0`), so its
    /// derivatives mean nothing there, whatever the hand and exact values say. Not counted as
    /// right. (An infinite value, an overflow, leaves finite derivatives checkable.)
    ValueNaN,
}

impl Verdict {
    /// True for [`Verdict::Ok`] and [`Verdict::NoiseFloor`].
    ///
    /// ```
    /// use dualgrad::check::Verdict;
    /// assert!(!Verdict::ExactNotFinite.is_ok() && !Verdict::Inconclusive.is_ok());
    /// assert!(Verdict::NoiseFloor.is_ok());
    /// ```
    pub fn is_ok(self) -> bool {
        matches!(self, Self::Ok | Self::NoiseFloor)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ok => "ok",
            Self::Wrong => "WRONG",
            Self::HandNotFinite => "WRONG (not finite)",
            Self::ExactNotFinite => "UNCHECKED (exact not finite)",
            Self::NoiseFloor => "ok (at the noise floor)",
            Self::Inconclusive => "INCONCLUSIVE (finite differences did not converge)",
            Self::ValueNaN => "UNCHECKED (f is NaN here)",
        })
    }
}

/// One component of a check: the hand-derived value, the reference value and the verdict.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::{Entry, Verdict, check_gradient};
/// use nalgebra::SVector;
/// struct Sq;
/// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// // d/dx x² = 2x = 6 at x = 3; the hand formula says x = 3
/// let r = check_gradient(&Sq, &SVector::from([3.0]), |x| *x);
/// let row = &r.rows()[0];
/// assert_eq!((row.entry, row.label.as_str()), (Entry::Vector(0), "x[0]"));
/// assert_eq!((row.hand, row.exact, row.abs_err, row.rel_err), (3.0, 6.0, 3.0, 0.5));
/// assert_eq!(row.verdict, Verdict::Wrong);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Where the component sits.
    pub entry: Entry,
    /// How the component prints: its name (`W1[2,0]`) if names were given, else `x[i]` for a
    /// gradient and `(i, j)` for a matrix, with input names in place of the input indices.
    pub label: String,
    /// The hand-derived value.
    pub hand: f64,
    /// The reference value: exact (AD) or a finite-difference estimate, see [`CheckReport::reference`].
    pub exact: f64,
    /// `|hand − exact|` (0 when they are identical, also for equal infinities).
    pub abs_err: f64,
    /// [`relative_error`](crate::check::relative_error)`(hand, exact)`.
    pub rel_err: f64,
    /// For a finite-difference reference, its error estimate; `None` for an exact reference.
    pub reference_error: Option<f64>,
    /// For an exact reference, the rounding-noise floor of the exact value when it was
    /// measured (only when the component is outside the tolerances): a difference up to it
    /// counts as noise ([`Verdict::NoiseFloor`]). `None` when not measured; NaN when the
    /// measurement failed (a derivative that is not finite near the point).
    pub noise_floor: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
}

impl Row {
    pub(crate) fn new(
        entry: Entry,
        label: String,
        hand: f64,
        exact: f64,
        reference_error: Option<f64>,
        noise_floor: Option<f64>,
        j: Judgement,
    ) -> Self {
        Self {
            entry,
            label,
            hand,
            exact,
            abs_err: j.abs_err,
            rel_err: j.rel_err,
            reference_error,
            noise_floor,
            verdict: j.verdict,
        }
    }

    /// True when the verdict is [`Verdict::Ok`].
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::check_gradient;
    /// use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// assert!(check_gradient(&Sq, &SVector::from([3.0]), |x| x * 2.0).rows()[0].is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        self.verdict.is_ok()
    }

    fn judgement(&self) -> Judgement {
        Judgement {
            abs_err: self.abs_err,
            rel_err: self.rel_err,
            verdict: self.verdict,
        }
    }
}

/// The result of checking a hand-derived gradient, Jacobian or Hessian at one point: one
/// [`Row`] per component, the number of wrong ones and the worst.
///
/// `Display` prints one line when every component is right, and otherwise that line followed by
/// an aligned table of all components (`{:#}` prints the table in both cases):
///
/// ```text
/// 1 of 2 components wrong; worst relative error 2.0e0 at x[1]
///   component         hand        exact  abs error  rel error  verdict
///   x[0]       4.000000e0   4.000000e0          0          0  ok
///   x[1]      -1.000000e0   1.000000e0      2.0e0      2.0e0  WRONG
/// ```
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::check_gradient;
/// use nalgebra::SVector;
///
/// /// f = x² + y
/// struct F;
/// impl ScalarFn<2> for F {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[0] + x[1] }
/// }
/// let x = SVector::from([2.0, 5.0]);
/// // ∇f = (2x, 1) = (4, 1); this hand formula has the sign of ∂f/∂y wrong
/// let r = check_gradient(&F, &x, |x| SVector::from([2.0 * x[0], -1.0]));
/// assert!(!r.is_ok());
/// assert_eq!(r.wrong_count(), 1);
/// assert_eq!(r.worst().unwrap().label, "x[1]");
/// let text = r.to_string();
/// assert!(text.starts_with("1 of 2 components wrong; worst relative error 2.0e0 at x[1]\n"));
///
/// let r = check_gradient(&F, &x, |x| SVector::from([2.0 * x[0], 1.0]));
/// assert_eq!(r.to_string(), "all 2 components ok; worst relative error 0.0e0 at x[0]");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    kind: CheckKind,
    reference: CheckReference,
    point: Vec<f64>,
    rows: Vec<Row>,
    wrong: usize,
    worst: Option<usize>,
    /// The relative tolerance the rows were judged with (to explain an "ok" beyond it).
    rel_tol: f64,
}

impl CheckReport {
    pub(crate) fn new(
        kind: CheckKind,
        reference: CheckReference,
        point: Vec<f64>,
        rows: Vec<Row>,
        rel_tol: f64,
    ) -> Self {
        let wrong = rows.iter().filter(|r| !r.is_ok()).count();
        // the first of the worst, by (not ok, relative error with NaN largest)
        let mut worst: Option<usize> = None;
        for (i, r) in rows.iter().enumerate() {
            if worst.is_none_or(|w| r.judgement().worse_than(&rows[w].judgement())) {
                worst = Some(i);
            }
        }
        Self {
            kind,
            reference,
            point,
            rows,
            wrong,
            worst,
            rel_tol,
        }
    }

    /// Which derivative was checked.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::{CheckKind, check_hessian}; use nalgebra::{SMatrix, SVector};
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let r = check_hessian(&Sq, &SVector::from([1.0]), |_| SMatrix::from([[2.0]]));
    /// assert_eq!(r.kind(), CheckKind::Hessian);
    /// ```
    pub fn kind(&self) -> CheckKind {
        self.kind
    }

    /// What the hand-derived values were compared against.
    ///
    /// ```
    /// # use dualgrad::check::{Checker, CheckReference}; use nalgebra::SVector;
    /// let r = Checker::new().gradient_fd(|x: &SVector<f64, 1>| x[0] * x[0], &SVector::from([1.0]), |x| x * 2.0);
    /// assert_eq!(r.reference(), CheckReference::Ridders);
    /// ```
    pub fn reference(&self) -> CheckReference {
        self.reference
    }

    /// The point `x` at which the check was made.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// assert_eq!(check_gradient(&Sq, &SVector::from([1.5]), |x| x * 2.0).point(), &[1.5]);
    /// ```
    pub fn point(&self) -> &[f64] {
        &self.point
    }

    /// All components, in order: `x[0], x[1], ...` for a gradient, row by row for a matrix.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::{Entry, check_hessian}; use nalgebra::{SMatrix, SVector};
    /// struct Xy;
    /// impl ScalarFn<2> for Xy { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[1] } }
    /// // H(xy) = [[0, 1], [1, 0]]
    /// let r = check_hessian(&Xy, &SVector::from([1.0, 2.0]), |_| SMatrix::from([[0.0, 1.0], [1.0, 0.0]]));
    /// let entries: Vec<_> = r.rows().iter().map(|row| row.entry).collect();
    /// assert_eq!(entries, [Entry::Matrix(0, 0), Entry::Matrix(0, 1), Entry::Matrix(1, 0), Entry::Matrix(1, 1)]);
    /// assert!(r.is_ok());
    /// ```
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The number of components checked.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sum;
    /// impl ScalarFn<3> for Sum { fn eval<T: Scalar>(&self, x: &SVector<T, 3>) -> T { x.sum() } }
    /// assert_eq!(check_gradient(&Sum, &SVector::zeros(), |_| SVector::repeat(1.0)).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there were no components (a function of zero inputs).
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct One;
    /// impl ScalarFn<0> for One { fn eval<T: Scalar>(&self, _: &SVector<T, 0>) -> T { T::lift(1.0) } }
    /// let r = check_gradient(&One, &SVector::zeros(), |_| SVector::zeros());
    /// assert!(r.is_empty() && r.is_ok());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// True when every component is right.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// assert!(check_gradient(&Sq, &SVector::from([3.0]), |x| x * 2.0).is_ok()); // 2x
    /// assert!(!check_gradient(&Sq, &SVector::from([3.0]), |x| x * 3.0).is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        self.wrong == 0
    }

    /// The number of components that are not right (wrong, not finite, or unverifiable).
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sum;
    /// impl ScalarFn<3> for Sum { fn eval<T: Scalar>(&self, x: &SVector<T, 3>) -> T { x.sum() } }
    /// let r = check_gradient(&Sum, &SVector::zeros(), |_| SVector::from([1.0, f64::NAN, 0.0]));
    /// assert_eq!(r.wrong_count(), 2);
    /// ```
    pub fn wrong_count(&self) -> usize {
        self.wrong
    }

    /// The components that are not right, in order.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sum;
    /// impl ScalarFn<3> for Sum { fn eval<T: Scalar>(&self, x: &SVector<T, 3>) -> T { x.sum() } }
    /// let r = check_gradient(&Sum, &SVector::zeros(), |_| SVector::from([1.0, -1.0, 0.0]));
    /// let wrong: Vec<_> = r.wrong().map(|row| row.label.as_str()).collect();
    /// assert_eq!(wrong, ["x[1]", "x[2]"]);
    /// ```
    pub fn wrong(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| !r.is_ok())
    }

    /// The worst component: the wrong one with the largest relative error (NaN counts as
    /// largest), or, when all are right, the one with the largest relative error. `None` only
    /// when there are no components.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sum;
    /// impl ScalarFn<3> for Sum { fn eval<T: Scalar>(&self, x: &SVector<T, 3>) -> T { x.sum() } }
    /// let r = check_gradient(&Sum, &SVector::zeros(), |_| SVector::from([1.0, 1.5, 3.0]));
    /// assert_eq!(r.worst().unwrap().label, "x[2]"); // relative error 2/3 beats 1/3
    /// ```
    pub fn worst(&self) -> Option<&Row> {
        self.worst.map(|i| &self.rows[i])
    }

    /// The row with this label, if any.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sum;
    /// impl ScalarFn<2> for Sum { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x.sum() } }
    /// let r = check_gradient(&Sum, &SVector::zeros(), |_| SVector::from([1.0, 2.0]));
    /// assert!(!r.row("x[1]").unwrap().is_ok());
    /// assert!(r.row("y").is_none());
    /// ```
    pub fn row(&self, label: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label == label)
    }

    /// The one-line summary (the first line of `Display`).
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::check_gradient; use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let r = check_gradient(&Sq, &SVector::from([1.0]), |x| x * 4.0);
    /// assert_eq!(r.summary(), "1 of 1 components wrong; worst relative error 5.0e-1 at x[0]");
    /// ```
    pub fn summary(&self) -> String {
        let n = self.rows.len();
        let worst = match self.worst() {
            Some(w) => format!(
                "; worst relative error {:.1e} at {}{}",
                w.rel_err,
                w.label,
                accepted_beyond_rel(w, self.rel_tol)
            ),
            None => String::new(),
        };
        let noise: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.verdict == Verdict::NoiseFloor)
            .collect();
        let noise = match noise[..] {
            [] => String::new(),
            [r] => format!(
                "; {} at the rounding-noise floor {:.1e}",
                r.label,
                r.noise_floor.unwrap_or(f64::NAN)
            ),
            _ => format!(
                "; {} components at the rounding-noise floor (up to {:.1e})",
                noise.len(),
                noise
                    .iter()
                    .filter_map(|r| r.noise_floor)
                    .fold(0.0, f64::max)
            ),
        };
        let count = |v: &[Verdict]| self.rows.iter().filter(|r| v.contains(&r.verdict)).count();
        let inconclusive = count(&[Verdict::Inconclusive]);
        let no_value = count(&[Verdict::ValueNaN]);
        let no_exact = count(&[Verdict::ExactNotFinite]);
        let wrong = self.wrong - inconclusive - no_value - no_exact;
        if self.is_ok() {
            return format!("all {n} components ok{worst}{noise}");
        }
        let parts: Vec<String> = [
            (wrong, "wrong"),
            (inconclusive, "inconclusive"),
            (no_exact, "unchecked (exact value not finite)"),
            (no_value, "unchecked (the function is NaN here)"),
        ]
        .into_iter()
        .filter(|&(k, _)| k > 0)
        .enumerate()
        .map(|(at, (k, what))| {
            if at == 0 {
                format!("{k} of {n} components {what}")
            } else {
                format!("{k} {what}")
            }
        })
        .collect();
        let fd = if inconclusive == self.wrong {
            " (finite differences did not converge)"
        } else {
            ""
        };
        format!("{}{fd}{worst}{noise}", parts.join(", "))
    }

    fn write_table(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fd = self.reference == CheckReference::Ridders;
        let mut header = vec![
            "component",
            "hand",
            if fd { "finite diff" } else { "exact" },
            "abs error",
            "rel error",
        ];
        if fd {
            header.push("fd error");
        }
        let floor = self.rows.iter().any(|r| r.noise_floor.is_some());
        if floor {
            header.push("noise floor");
        }
        header.push("verdict");
        let small = |v: f64| {
            if v == 0.0 {
                "0".to_string()
            } else {
                format!("{v:.1e}")
            }
        };
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                let mut c = vec![
                    r.label.clone(),
                    format!("{:.6e}", r.hand),
                    format!("{:.6e}", r.exact),
                    small(r.abs_err),
                    small(r.rel_err),
                ];
                if fd {
                    c.push(r.reference_error.map_or_else(String::new, small));
                }
                if floor {
                    c.push(r.noise_floor.map_or_else(String::new, small));
                }
                c.push(r.verdict.to_string());
                c
            })
            .collect();
        let cols = header.len();
        let width: Vec<usize> = (0..cols)
            .map(|k| {
                cells
                    .iter()
                    .map(|c| c[k].chars().count())
                    .chain([header[k].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |f: &mut fmt::Formatter<'_>, c: &[&str]| -> fmt::Result {
            write!(f, "\n  {:<w$}", c[0], w = width[0])?;
            for k in 1..cols - 1 {
                write!(f, "  {:>w$}", c[k], w = width[k])?;
            }
            write!(f, "  {}", c[cols - 1])
        };
        line(f, &header)?;
        for c in &cells {
            let c: Vec<&str> = c.iter().map(String::as_str).collect();
            line(f, &c)?;
        }
        Ok(())
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())?;
        if (!self.is_ok() || f.alternate()) && !self.rows.is_empty() {
            self.write_table(f)?;
        }
        Ok(())
    }
}

/// `[a, b, c]` with each coordinate in its shortest round-trip form.
/// Why a row is ok although its relative error exceeds the relative tolerance: the absolute
/// tolerance or the finite-difference error estimate accepted it (a row at the noise floor is
/// explained in the summary's noise note). Empty otherwise.
pub(crate) fn accepted_beyond_rel(row: &Row, rel_tol: f64) -> String {
    // (a NaN relative error is not beyond the tolerance: it is never an ok)
    if row.verdict != Verdict::Ok || row.rel_err.is_nan() || row.rel_err <= rel_tol {
        return String::new();
    }
    match row.reference_error {
        Some(err) if row.abs_err <= err => format!(
            " (ok: within the finite-difference error estimate {:.1e})",
            err
        ),
        _ => format!(
            " (ok: the absolute error {:.1e} is within the absolute tolerance)",
            row.abs_err
        ),
    }
}

pub(crate) fn point_string(p: &[f64]) -> String {
    let parts: Vec<String> = p.iter().map(|v| v.to_string()).collect();
    format!("[{}]", parts.join(", "))
}
