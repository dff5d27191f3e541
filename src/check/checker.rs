//! Point checks: a hand-derived gradient, Jacobian or Hessian against the exact one at one point.

use super::fd::{ridders_gradient, ridders_jacobian};
use super::noise::noise_floor;
use super::report::{CheckKind, CheckReference, CheckReport, Entry, Row, Verdict};
use super::tolerances::{Judgement, Tolerances, judge_scaled};
use super::{CheckError, RandomCheck};
use crate::{ScalarFn, VectorFn};
use nalgebra::{SMatrix, SVector};

/// How far a hand-derived value may be from a Ridders estimate, in units of the estimate's own
/// error estimate, and still count as right (on top of the [`Tolerances`]).
pub(crate) const FD_SAFETY: f64 = 1.0;

/// A finite-difference reference whose error estimate exceeds this fraction of
/// `max(|hand|, |reference|, 1)` did not converge: a component outside the tolerances is then
/// [`Verdict::Inconclusive`].
pub(crate) const INCONCLUSIVE_REL: f64 = 0.01;

/// What a hand-derived value is compared against, with what is known about its accuracy.
pub(crate) enum Reference<'a, const R: usize, const C: usize> {
    /// The exact derivative, with its noise floor when it was measured.
    Exact(Option<&'a SMatrix<f64, R, C>>),
    /// A Ridders estimate, with its error estimate.
    Ridders(&'a SMatrix<f64, R, C>),
}

/// The worst entry `(i, j)` of a comparison and its judgement.
pub(crate) type Worst = ((usize, usize), Judgement);

/// The gradient checker: tolerances and component names, for inputs of size `N`.
///
/// You derived a gradient by hand (a backward pass, a physics Jacobian, a loss gradient) and
/// want to know, component by component, whether it is right. Write the function once over
/// [`Scalar`](crate::Scalar) (as a [`ScalarFn`](crate::ScalarFn) or
/// [`VectorFn`](crate::VectorFn)) and the hand-derived derivative on `f64`; the checker
/// compares the two at a point, or at many random points.
///
/// Because forward-mode AD is exact, the reference is the true derivative, not a finite
/// difference: a correct formula matches it to rounding (a relative error near `1e-16`), so the
/// tolerance can be tight and a wrong component stands out by many orders of magnitude. A
/// finite-difference checker (torch `gradcheck`, JAX `check_grads`, scipy `check_grad`) has to
/// tolerate its own truncation error, around `1e-6` to `1e-10`, and so cannot tell a slightly
/// wrong formula from its own noise. The report follows Ceres' `GradientChecker`.
///
/// | what | at one point | at random points |
/// |---|---|---|
/// | gradient of `Rᴺ → R` | [`check_gradient`], [`assert_gradient!`](crate::assert_gradient) | [`RandomCheck::gradient`] |
/// | Jacobian of `Rᴺ → Rᴹ` | [`check_jacobian`], [`assert_jacobian!`](crate::assert_jacobian) | [`RandomCheck::jacobian`] |
/// | Hessian of `Rᴺ → R` | [`check_hessian`], [`assert_hessian!`](crate::assert_hessian) | [`RandomCheck::hessian`] |
/// | black-box `f64` function | [`check_gradient_fd`], [`Checker::jacobian_fd`], [`Checker::hessian_fd`] (of a gradient) | [`RandomCheck::gradient_fd`], [`RandomCheck::hessian_fd`] |
///
/// When a component is outside the tolerances, the checker measures the rounding noise of the
/// hand and the exact values (each evaluated at points a few ulps apart) and judges a
/// difference within 10 times that noise as [`Verdict::NoiseFloor`] (right, at the noise floor,
/// shown in the report with the floor): a component that is a large sum cancelling to nearly
/// zero is noise in both values, and is not called wrong. A derivative that jumps between the
/// probe points (a kink: `max`, `abs`, ReLU at 0) is not noise; its floor is NaN and the plain
/// tolerances apply.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::{Tolerances, Verdict, check_gradient};
/// use nalgebra::SVector;
/// /// f(σ) = Σᵢ xᵢ² / (2σ²) + n ln σ over 2,000 points; f'(σ) = (n − Σ xᵢ² / σ²) / σ
/// struct Nll(Vec<f64>);
/// impl ScalarFn<1> for Nll {
///     fn eval<T: Scalar>(&self, p: &SVector<T, 1>) -> T {
///         self.0.iter().fold(T::zero(), |s, &x| s + (p[0] * p[0] * 2.0).recip() * (x * x) + p[0].ln())
///     }
/// }
/// let xs: Vec<f64> = (0..2000u64).map(|i| (((i * 2654435761) % 1000) as f64 - 499.5) * 1e-4).collect();
/// let sq: f64 = xs.iter().map(|x| x * x).sum();
/// let sigma = (sq / 2000.0).sqrt(); // the minimiser: f' is two terms of 7e4 cancelling to 0
/// let hand = |p: &SVector<f64, 1>| SVector::from([(2000.0 - sq / (p[0] * p[0])) / p[0]]);
/// let r = check_gradient(&Nll(xs), &SVector::from([sigma]), hand);
/// let row = &r.rows()[0];
/// assert!(!Tolerances::default().accepts(row.hand, row.exact)); // noise apart
/// assert_eq!(row.verdict, Verdict::NoiseFloor);
/// assert!(row.abs_err <= row.noise_floor.unwrap() && row.noise_floor.unwrap() < 1e-9);
/// ```
///
/// Hand-written matrices: nalgebra's `SMatrix::from([[..]])` reads nested arrays as columns;
/// write rows with [`matrix_from_rows`].
///
/// It carries names for the components (so `x[4]` reads as `W1[2,0]`) and
/// [`Tolerances`] (the defaults, `rel = 1e-8` and `abs = 1e-12`, are explained there). The
/// finite differences themselves ([`central_gradient`](crate::check::central_gradient),
/// [`ridders_gradient`](crate::check::ridders_gradient), ...) are public, with a guide to
/// [when to trust which](crate::check::ridders_gradient#which-to-trust-and-how-far).
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::Checker;
/// use nalgebra::SVector;
///
/// /// Linear regression on three points, L(w, b) = ½ Σ (yᵢ − (w xᵢ + b))²
/// struct LinReg;
/// const XS: [f64; 3] = [1.0, 2.0, 3.0];
/// const YS: [f64; 3] = [2.0, 3.0, 5.0];
/// impl ScalarFn<2> for LinReg {
///     fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
///         let mut l = T::zero();
///         for (x, y) in XS.iter().zip(YS) {
///             let r = -(p[0] * *x + p[1]) + y;
///             l += r * r * 0.5;
///         }
///         l
///     }
/// }
/// // a textbook's ∂L/∂w = Σ (yᵢ − ŷᵢ) xᵢ, ∂L/∂b = Σ (yᵢ − ŷᵢ): the sign is wrong
/// let hand = |p: &SVector<f64, 2>| {
///     let (mut gw, mut gb) = (0.0, 0.0);
///     for (x, y) in XS.iter().zip(YS) {
///         let r = y - (p[0] * x + p[1]);
///         gw += r * x;
///         gb += r;
///     }
///     SVector::from([gw, gb])
/// };
/// let checker = Checker::new().names(["w", "b"])?;
/// let report = checker.gradient(&LinReg, &SVector::from([0.5, 0.0]), hand);
/// assert_eq!(report.wrong_count(), 2);
/// assert!(report.to_string().starts_with("2 of 2 components wrong; worst relative error 2.0e0 at w"));
///
/// // the same formula at random points: fails, and shrinks to a simple point
/// let (lo, hi) = (SVector::from([-3.0, -3.0]), SVector::from([3.0, 3.0]));
/// let failure = checker.random(&lo, &hi)?.gradient(&LinReg, hand).unwrap_err();
/// assert_eq!(failure.point(), &[0.0, 0.0]);
/// # Ok::<(), dualgrad::check::CheckError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Checker<const N: usize> {
    tol: Tolerances,
    names: Option<Vec<String>>,
}

impl<const N: usize> Default for Checker<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Checker<N> {
    /// A checker with the default [`Tolerances`] and no names.
    ///
    /// ```
    /// use dualgrad::check::{Checker, Tolerances};
    /// assert_eq!(Checker::<3>::new().tolerance(), Tolerances::default());
    /// ```
    pub fn new() -> Self {
        Self {
            tol: Tolerances::default(),
            names: None,
        }
    }

    /// Use these tolerances.
    ///
    /// ```
    /// use dualgrad::check::{Checker, Tolerances};
    /// let t = Tolerances::new(0.0, 1e-6).unwrap();
    /// assert_eq!(Checker::<3>::new().tolerances(t).tolerance().rel(), 1e-6);
    /// ```
    pub fn tolerances(mut self, tol: Tolerances) -> Self {
        self.tol = tol;
        self
    }

    /// The tolerances in use.
    ///
    /// ```
    /// assert_eq!(dualgrad::check::Checker::<1>::new().tolerance().abs(), 1e-12);
    /// ```
    pub fn tolerance(&self) -> Tolerances {
        self.tol
    }

    /// Name the `N` inputs, in order; reports then label components by name.
    ///
    /// # Errors
    /// [`CheckError::NamesLength`] unless exactly `N` names are given;
    /// [`CheckError::DuplicateName`] if two inputs get the same name.
    ///
    /// ```
    /// use dualgrad::check::{CheckError, Checker};
    /// assert!(Checker::<2>::new().names(["w", "b"]).is_ok());
    /// assert_eq!(
    ///     Checker::<2>::new().names(["w"]).unwrap_err(),
    ///     CheckError::NamesLength { expected: 2, got: 1 }
    /// );
    /// assert_eq!(
    ///     Checker::<2>::new().names(["w", "w"]).unwrap_err(),
    ///     CheckError::DuplicateName { first: 0, second: 1 }
    /// );
    /// ```
    pub fn names<S: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = S>,
    ) -> Result<Self, CheckError> {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        if names.len() != N {
            return Err(CheckError::NamesLength {
                expected: N,
                got: names.len(),
            });
        }
        for second in 0..N {
            if let Some(first) = names[..second].iter().position(|n| *n == names[second]) {
                return Err(CheckError::DuplicateName { first, second });
            }
        }
        self.names = Some(names);
        Ok(self)
    }

    /// Name input `i` by `name(i)`, for `i` in `0..N`. The names are not checked for
    /// repeats; [`names`](Checker::names) checks them.
    ///
    /// ```
    /// use dualgrad::check::Checker;
    /// use dualgrad::prelude::*;
    /// use nalgebra::SVector;
    /// struct Sum;
    /// impl ScalarFn<2> for Sum { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x.sum() } }
    /// let c = Checker::new().name_with(|i| format!("θ{i}"));
    /// let r = c.gradient(&Sum, &SVector::zeros(), |_| SVector::from([1.0, 2.0]));
    /// assert_eq!(r.worst().unwrap().label, "θ1");
    /// ```
    pub fn name_with(mut self, name: impl FnMut(usize) -> String) -> Self {
        self.names = Some((0..N).map(name).collect());
        self
    }

    /// The name of input `i`: the given name, or `x[i]`.
    fn name(&self, i: usize) -> String {
        match &self.names {
            Some(n) => n[i].clone(),
            None => format!("x[{i}]"),
        }
    }

    /// The label of entry `(i, j)` of a derivative of this kind.
    pub(crate) fn label(&self, kind: CheckKind, i: usize, j: usize) -> String {
        match (kind, &self.names) {
            (CheckKind::Gradient, _) => self.name(i),
            (_, None) => format!("({i}, {j})"),
            (CheckKind::Jacobian, Some(_)) => format!("({i}, {})", self.name(j)),
            (CheckKind::Hessian, Some(_)) => format!("({}, {})", self.name(i), self.name(j)),
        }
    }

    /// Check a hand-derived gradient of `f: Rᴺ → R` at `x` against the exact one.
    ///
    /// `hand` computes the gradient from `x` in plain `f64`; `f` is written once over
    /// [`Scalar`](crate::Scalar) and differentiated exactly by forward-mode AD.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::Checker;
    /// use nalgebra::SVector;
    /// struct Cube;
    /// impl ScalarFn<1> for Cube { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0].powi(3) } }
    /// // d/dx x³ = 3x² = 12 at x = 2
    /// let r = Checker::new().gradient(&Cube, &SVector::from([2.0]), |x| x.map(|v| 3.0 * v * v));
    /// assert!(r.is_ok());
    /// assert_eq!(r.rows()[0].exact, 12.0);
    /// ```
    pub fn gradient<F: ScalarFn<N>>(
        &self,
        f: &F,
        x: &SVector<f64, N>,
        hand: impl Fn(&SVector<f64, N>) -> SVector<f64, N>,
    ) -> CheckReport {
        let values = [f.value(x)];
        let exact = |v: &SVector<f64, N>| f.gradient(v).1;
        self.exact_report(CheckKind::Gradient, x, hand, exact, values.as_slice())
    }

    /// Check a hand-derived Jacobian `J[(i, j)] = ∂fᵢ/∂xⱼ` of `f: Rᴺ → Rᴹ` at `x` against the
    /// exact one.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::Checker;
    /// use nalgebra::{SMatrix, SVector};
    /// /// polar to Cartesian: (r cos θ, r sin θ)
    /// struct Polar;
    /// impl VectorFn<2, 2> for Polar {
    ///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> {
    ///         SVector::from([x[0] * x[1].cos(), x[0] * x[1].sin()])
    ///     }
    /// }
    /// // J = [[cos θ, −r sin θ], [sin θ, r cos θ]]; this one has the sign of (0, 1) wrong
    /// let r = Checker::new().jacobian(&Polar, &SVector::from([2.0, 0.5]), |x| {
    ///     let (r, t) = (x[0], x[1]);
    ///     SMatrix::from([[t.cos(), t.sin()], [r * t.sin(), r * t.cos()]]) // columns
    /// });
    /// assert_eq!(r.wrong().map(|r| r.label.as_str()).collect::<Vec<_>>(), ["(0, 1)"]);
    /// ```
    pub fn jacobian<F: VectorFn<N, M>, const M: usize>(
        &self,
        f: &F,
        x: &SVector<f64, N>,
        hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, M, N>,
    ) -> CheckReport {
        let values = f.value(x);
        let exact = |v: &SVector<f64, N>| f.jacobian(v).1;
        self.exact_report(CheckKind::Jacobian, x, hand, exact, values.as_slice())
    }

    /// Check a hand-derived Hessian `H[(i, j)] = ∂²f/∂xᵢ∂xⱼ` of `f: Rᴺ → R` at `x` against the
    /// exact one. All `N²` entries are compared, so a hand Hessian that is not symmetric is
    /// caught.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::Checker;
    /// use nalgebra::{SMatrix, SVector};
    /// /// f = x²y
    /// struct F;
    /// impl ScalarFn<2> for F { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[0] * x[1] } }
    /// // H = [[2y, 2x], [2x, 0]]
    /// let r = Checker::new().hessian(&F, &SVector::from([1.0, 3.0]), |x| {
    ///     SMatrix::from([[2.0 * x[1], 2.0 * x[0]], [2.0 * x[0], 0.0]])
    /// });
    /// assert!(r.is_ok());
    /// ```
    pub fn hessian<F: ScalarFn<N>>(
        &self,
        f: &F,
        x: &SVector<f64, N>,
        hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, N, N>,
    ) -> CheckReport {
        let values = [f.value(x)];
        let exact = |v: &SVector<f64, N>| f.hessian(v).2;
        self.exact_report(CheckKind::Hessian, x, hand, exact, values.as_slice())
    }

    /// Check a hand-derived gradient of a black-box `f64` function against a Ridders
    /// finite-difference estimate (see [`ridders_gradient`]).
    ///
    /// Use this when `f` cannot be written over [`Scalar`](crate::Scalar) (it calls a library
    /// on `f64`), or to check AD code itself. A component passes when it is within the
    /// [`Tolerances`] of the estimate **or** within the estimate's own error estimate (a
    /// conservative bound of its error), which the report shows in a column of its own. When
    /// the extrapolation did not converge (an error estimate above 1% of
    /// `max(|hand|, |estimate|, 1)`, or none), a component outside the tolerances is
    /// [`Verdict::Inconclusive`], never WRONG. The estimate assumes `f` is smooth near `x` and
    /// defined on `[xᵢ − hᵢ, xᵢ + hᵢ]` with `hᵢ = 0.01·max(|xᵢ|, 1)`; see
    /// [the guide](crate::check::ridders_gradient#which-to-trust-and-how-far).
    ///
    /// ```
    /// use dualgrad::check::Checker;
    /// use nalgebra::SVector;
    /// let f = |x: &SVector<f64, 2>| x[0].sin() * x[1];
    /// // ∇ = (y cos x, sin x)
    /// let r = Checker::new().gradient_fd(f, &SVector::from([0.5, 2.0]), |x| {
    ///     SVector::from([x[1] * x[0].cos(), x[0].sin()])
    /// });
    /// assert!(r.is_ok());
    /// let wrong = Checker::new().gradient_fd(f, &SVector::from([0.5, 2.0]), |x| {
    ///     SVector::from([x[1] * x[0].cos(), x[0].cos()])
    /// });
    /// assert_eq!(wrong.wrong_count(), 1);
    /// ```
    pub fn gradient_fd(
        &self,
        f: impl Fn(&SVector<f64, N>) -> f64,
        x: &SVector<f64, N>,
        hand: impl FnOnce(&SVector<f64, N>) -> SVector<f64, N>,
    ) -> CheckReport {
        let value = f(x);
        let (est, err) = ridders_gradient(f, x);
        self.report(
            CheckKind::Gradient,
            Reference::Ridders(&err),
            x,
            &hand(x),
            &est,
            &[value],
        )
    }

    /// Check a hand-derived Jacobian of a black-box `f64` function against a Ridders
    /// finite-difference estimate (see [`ridders_jacobian`] and
    /// [`gradient_fd`](Checker::gradient_fd)).
    ///
    /// ```
    /// use dualgrad::check::Checker;
    /// use nalgebra::{SMatrix, SVector};
    /// let f = |x: &SVector<f64, 2>| SVector::from([x[0] * x[1], x[0].exp()]);
    /// // J = [[y, x], [eˣ, 0]]
    /// let r = Checker::new().jacobian_fd(f, &SVector::from([1.0, 2.0]), |x| {
    ///     SMatrix::from([[x[1], x[0].exp()], [x[0], 0.0]]) // columns
    /// });
    /// assert!(r.is_ok());
    /// ```
    pub fn jacobian_fd<const M: usize>(
        &self,
        f: impl Fn(&SVector<f64, N>) -> SVector<f64, M>,
        x: &SVector<f64, N>,
        hand: impl FnOnce(&SVector<f64, N>) -> SMatrix<f64, M, N>,
    ) -> CheckReport {
        let values = f(x);
        let (est, err) = ridders_jacobian(f, x);
        self.report(
            CheckKind::Jacobian,
            Reference::Ridders(&err),
            x,
            &hand(x),
            &est,
            values.as_slice(),
        )
    }

    /// Check a hand-derived Hessian against finite differences of a black-box `f64` gradient
    /// (your own gradient code, or one from a library): the reference is the Ridders Jacobian of
    /// `grad` (see [`ridders_jacobian`]), and the report is a [`CheckKind::Hessian`] report. All
    /// `N²` entries are compared, so an asymmetric hand Hessian is caught.
    ///
    /// Check `grad` itself first ([`gradient_fd`](Checker::gradient_fd)): this compares the hand
    /// Hessian with the derivative of `grad`, right or wrong.
    ///
    /// ```
    /// use dualgrad::check::{CheckKind, Checker, matrix_from_rows};
    /// use nalgebra::SVector;
    /// // f = x²y: ∇f = (2xy, x²), H = [[2y, 2x], [2x, 0]]
    /// let grad = |v: &SVector<f64, 2>| SVector::from([2.0 * v[0] * v[1], v[0] * v[0]]);
    /// let r = Checker::new().hessian_fd(grad, &SVector::from([1.0, 3.0]), |v| {
    ///     matrix_from_rows([[2.0 * v[1], 2.0 * v[0]], [2.0 * v[0], 0.0]])
    /// });
    /// assert!(r.is_ok(), "{r}");
    /// assert_eq!(r.kind(), CheckKind::Hessian);
    /// ```
    pub fn hessian_fd(
        &self,
        grad: impl Fn(&SVector<f64, N>) -> SVector<f64, N>,
        x: &SVector<f64, N>,
        hand: impl FnOnce(&SVector<f64, N>) -> SMatrix<f64, N, N>,
    ) -> CheckReport {
        let (est, err) = ridders_jacobian(grad, x);
        self.report(
            CheckKind::Hessian,
            Reference::Ridders(&err),
            x,
            &hand(x),
            &est,
            &[],
        )
    }

    /// Check at random points of the box `[lo, hi]` (both ends included), with `quickcheck`:
    /// see [`RandomCheck`].
    ///
    /// # Errors
    /// A [`CheckError`] naming the first coordinate where the box is inverted (`lo > hi`), has
    /// zero width (`lo == hi`) or a bound is not finite.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::{CheckError, Checker};
    /// use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let (lo, hi) = (SVector::from([-3.0]), SVector::from([3.0]));
    /// let pass = Checker::new().random(&lo, &hi)?.gradient(&Sq, |x| x * 2.0);
    /// assert!(pass.is_ok());
    /// let flat = Checker::<1>::new().random(&hi, &hi).unwrap_err();
    /// assert_eq!(flat, CheckError::ZeroWidthBox { index: 0, value: 3.0 });
    /// # Ok::<(), CheckError>(())
    /// ```
    pub fn random(
        &self,
        lo: &SVector<f64, N>,
        hi: &SVector<f64, N>,
    ) -> Result<RandomCheck<N>, CheckError> {
        RandomCheck::new(self.clone(), lo, hi)
    }

    /// Compare the hand-derived and reference matrices entry by entry, without allocating.
    /// Returns whether all are right and the worst entry with its judgement. `values` is the
    /// function's value at `x` (one for a scalar function, one per row for a vector function,
    /// none when it is not known); an entry whose row's value is NaN is
    /// [`Verdict::ValueNaN`].
    pub(crate) fn quick<const R: usize, const C: usize>(
        &self,
        kind: CheckKind,
        hand: &SMatrix<f64, R, C>,
        exact: &SMatrix<f64, R, C>,
        values: &[f64],
        floor: Option<&SMatrix<f64, R, C>>,
    ) -> (bool, Option<Worst>) {
        let mut ok = true;
        let mut worst: Option<Worst> = None;
        let whole = scale_of(hand, exact, None);
        for i in 0..R {
            let scale = row_scale(kind, hand, exact, i, whole);
            for j in 0..C {
                let (a, e) = (hand[(i, j)], exact[(i, j)]);
                let floor = floor.map(|m| m[(i, j)]);
                let jd = self.judge_entry(a, e, scale, value_of(values, i), None, floor);
                ok &= jd.is_ok();
                if worst.is_none_or(|(_, w)| jd.worse_than(&w)) {
                    worst = Some(((i, j), jd));
                }
            }
        }
        (ok, worst)
    }

    /// The verdict on one entry: the tolerances (the absolute one scaled by `scale`, see
    /// [`Tolerances`]), refined by the reference's error estimate or the noise floor, and
    /// overruled when the function's value there is NaN.
    fn judge_entry(
        &self,
        a: f64,
        e: f64,
        scale: f64,
        value: f64,
        err: Option<f64>,
        floor: Option<f64>,
    ) -> Judgement {
        let mut jd = refine(judge_scaled(a, e, self.tol, scale), a, e, err, floor);
        if value.is_nan() {
            jd.verdict = Verdict::ValueNaN;
        }
        jd
    }

    /// The full report for hand-derived and reference matrices at `x` (`values` as in
    /// [`quick`](Checker::quick)).
    pub(crate) fn report<const R: usize, const C: usize>(
        &self,
        kind: CheckKind,
        reference: Reference<'_, R, C>,
        x: &SVector<f64, N>,
        hand: &SMatrix<f64, R, C>,
        exact: &SMatrix<f64, R, C>,
        values: &[f64],
    ) -> CheckReport {
        let (reference_error, noise, which) = match reference {
            Reference::Exact(noise) => (None, noise, CheckReference::Exact),
            Reference::Ridders(err) => (Some(err), None, CheckReference::Ridders),
        };
        let mut rows = Vec::with_capacity(R * C);
        let whole = scale_of(hand, exact, None);
        for i in 0..R {
            let scale = row_scale(kind, hand, exact, i, whole);
            for j in 0..C {
                let (a, e) = (hand[(i, j)], exact[(i, j)]);
                let err = reference_error.map(|m| m[(i, j)]);
                let floor = noise.map(|m| m[(i, j)]);
                let jd = self.judge_entry(a, e, scale, value_of(values, i), err, floor);
                let entry = match kind {
                    CheckKind::Gradient => Entry::Vector(i),
                    _ => Entry::Matrix(i, j),
                };
                rows.push(Row::new(
                    entry,
                    self.label(kind, i, j),
                    a,
                    e,
                    err,
                    floor,
                    jd,
                ));
            }
        }
        CheckReport::new(
            kind,
            which,
            x.iter().copied().collect(),
            rows,
            self.tol.rel(),
        )
    }

    /// The report of `hand` against the exact derivative `exact` at `x` (both are evaluated
    /// near `x` too, to measure their rounding noise, when some entry is outside the
    /// tolerances); `values` is the function's value at `x`.
    pub(crate) fn exact_report<const R: usize, const C: usize>(
        &self,
        kind: CheckKind,
        x: &SVector<f64, N>,
        hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
        exact: impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
        values: &[f64],
    ) -> CheckReport {
        let (a, e) = (hand(x), exact(x));
        let noise =
            (!self.quick(kind, &a, &e, values, None).0).then(|| noise_floor(&hand, &exact, x));
        self.report(kind, Reference::Exact(noise.as_ref()), x, &a, &e, values)
    }

    /// [`quick`](Checker::quick), and for a failure a second look with the noise floor of
    /// `exact` at `x`.
    pub(crate) fn quick_exact<const R: usize, const C: usize>(
        &self,
        kind: CheckKind,
        x: &SVector<f64, N>,
        hand: &impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
        exact: &impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
        values: &[f64],
    ) -> (bool, Option<Worst>) {
        let (a, value) = (hand(x), exact(x));
        let first = self.quick(kind, &a, &value, values, None);
        if first.0 {
            return first;
        }
        let floor = noise_floor(hand, exact, x);
        self.quick(kind, &a, &value, values, Some(&floor))
    }
}

/// The value of row `i` of a function with values `values` (a scalar function has one),
/// or 0 (finite) when the values are not known.
fn value_of(values: &[f64], i: usize) -> f64 {
    match values {
        [] => 0.0,
        [v] => *v,
        _ => values[i],
    }
}

/// The largest finite magnitude among the hand and reference entries (of row `row`, or all).
fn scale_of<const R: usize, const C: usize>(
    hand: &SMatrix<f64, R, C>,
    exact: &SMatrix<f64, R, C>,
    row: Option<usize>,
) -> f64 {
    let rows = row.map_or(0..R, |i| i..i + 1);
    let mut m = 0.0_f64;
    for i in rows {
        for j in 0..C {
            for v in [hand[(i, j)], exact[(i, j)]] {
                if v.is_finite() {
                    m = m.max(v.abs());
                }
            }
        }
    }
    m
}

/// The scale of the absolute tolerance for row `i`: its own largest magnitude for a Jacobian
/// (each row is the gradient of another function), the whole derivative's otherwise.
fn row_scale<const R: usize, const C: usize>(
    kind: CheckKind,
    hand: &SMatrix<f64, R, C>,
    exact: &SMatrix<f64, R, C>,
    i: usize,
    whole: f64,
) -> f64 {
    match kind {
        CheckKind::Jacobian => scale_of(hand, exact, Some(i)),
        _ => whole,
    }
}

/// Check a hand-derived gradient of `f: Rᴺ → R` at `x` against the exact one, with the default
/// [`Tolerances`]. See [`Checker::gradient`] for names and tolerances.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::check_gradient;
/// use nalgebra::SVector;
///
/// /// Rosenbrock: (1 − x)² + 100(y − x²)²
/// struct Rosenbrock;
/// impl ScalarFn<2> for Rosenbrock {
///     fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
///         let (a, b) = (-p[0] + 1.0, p[1] - p[0] * p[0]);
///         a * a + b * b * 100.0
///     }
/// }
/// // ∇ = (−2(1 − x) − 400x(y − x²), 200(y − x²))
/// let hand = |p: &SVector<f64, 2>| {
///     let (x, y) = (p[0], p[1]);
///     SVector::from([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])
/// };
/// let report = check_gradient(&Rosenbrock, &SVector::from([-1.2, 1.0]), hand);
/// assert!(report.is_ok(), "{report}");
/// ```
pub fn check_gradient<F: ScalarFn<N>, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    hand: impl Fn(&SVector<f64, N>) -> SVector<f64, N>,
) -> CheckReport {
    Checker::new().gradient(f, x, hand)
}

/// Check a hand-derived Jacobian of `f: Rᴺ → Rᴹ` at `x` against the exact one, with the default
/// [`Tolerances`]. See [`Checker::jacobian`].
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::check_jacobian;
/// use nalgebra::{SMatrix, SVector};
/// /// (xy, x + y)
/// struct ProdSum;
/// impl VectorFn<2, 2> for ProdSum {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> {
///         SVector::from([x[0] * x[1], x[0] + x[1]])
///     }
/// }
/// // J = [[y, x], [1, 1]]
/// let r = check_jacobian(&ProdSum, &SVector::from([2.0, 3.0]), |x| {
///     SMatrix::<f64, 2, 2>::new(x[1], x[0], 1.0, 1.0)
/// });
/// assert!(r.is_ok());
/// assert_eq!(r.len(), 4);
/// ```
pub fn check_jacobian<F: VectorFn<N, M>, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, M, N>,
) -> CheckReport {
    Checker::new().jacobian(f, x, hand)
}

/// Check a hand-derived Hessian of `f: Rᴺ → R` at `x` against the exact one, with the default
/// [`Tolerances`]. See [`Checker::hessian`].
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::check_hessian;
/// use nalgebra::{SMatrix, SVector};
/// /// f = x³ + xy
/// struct F;
/// impl ScalarFn<2> for F { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0].powi(3) + x[0] * x[1] } }
/// // H = [[6x, 1], [1, 0]]; forgetting the mixed term is caught in (0, 1) and (1, 0)
/// let r = check_hessian(&F, &SVector::from([1.0, 1.0]), |x| SMatrix::<f64, 2, 2>::new(6.0 * x[0], 0.0, 0.0, 0.0));
/// assert_eq!(r.wrong().map(|r| r.label.as_str()).collect::<Vec<_>>(), ["(0, 1)", "(1, 0)"]);
/// ```
pub fn check_hessian<F: ScalarFn<N>, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, N, N>,
) -> CheckReport {
    Checker::new().hessian(f, x, hand)
}

/// Check a hand-derived gradient of a black-box `f64` function at `x` against a Ridders
/// finite-difference estimate, with the default [`Tolerances`]. See [`Checker::gradient_fd`].
///
/// ```
/// use dualgrad::check::check_gradient_fd;
/// use nalgebra::SVector;
/// // f = eˣ y², ∇ = (eˣ y², 2eˣ y)
/// let f = |v: &SVector<f64, 2>| v[0].exp() * v[1] * v[1];
/// let r = check_gradient_fd(f, &SVector::from([0.0, 3.0]), |v| {
///     SVector::from([v[0].exp() * v[1] * v[1], 2.0 * v[0].exp() * v[1]])
/// });
/// assert!(r.is_ok(), "{r}");
/// ```
pub fn check_gradient_fd<const N: usize>(
    f: impl Fn(&SVector<f64, N>) -> f64,
    x: &SVector<f64, N>,
    hand: impl FnOnce(&SVector<f64, N>) -> SVector<f64, N>,
) -> CheckReport {
    Checker::new().gradient_fd(f, x, hand)
}

/// The verdict on a component outside the tolerances, given what else is known about the
/// reference: within a finite-difference reference's error estimate is right, beyond an
/// estimate that did not converge is inconclusive, within the exact value's noise floor is
/// right at the noise floor.
fn refine(
    mut jd: Judgement,
    hand: f64,
    reference: f64,
    err: Option<f64>,
    floor: Option<f64>,
) -> Judgement {
    if jd.verdict != Verdict::Wrong {
        return jd;
    }
    if let Some(err) = err {
        let limit = INCONCLUSIVE_REL * hand.abs().max(reference.abs()).max(1.0);
        if err.is_nan() || err > limit {
            // fewer than two significant digits (or no finite estimate): cannot refute, and
            // cannot confirm either
            jd.verdict = Verdict::Inconclusive;
        } else if jd.abs_err <= FD_SAFETY * err {
            jd.verdict = Verdict::Ok;
        }
    }
    if let Some(floor) = floor
        && jd.abs_err <= floor
    {
        jd.verdict = Verdict::NoiseFloor;
    }
    jd
}

/// A matrix from its rows, as written on paper: `matrix_from_rows([[a, b], [c, d]])` has first
/// row `(a, b)`.
///
/// Beware `SMatrix::from([[a, b], [c, d]])`: nalgebra reads nested arrays as **columns**, so a
/// hand Jacobian or an asymmetric matrix written row by row that way is silently transposed
/// (for a Hessian, which is symmetric, it makes no difference). Use this function, or
/// `SMatrix::new(a, b, c, d)`, which also takes rows.
///
/// ```
/// use dualgrad::check::matrix_from_rows;
/// use nalgebra::SMatrix;
/// let m = matrix_from_rows([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
/// assert_eq!(m[(0, 2)], 3.0); // row 0, column 2
/// assert_eq!(m, SMatrix::<f64, 2, 3>::new(1.0, 2.0, 3.0, 4.0, 5.0, 6.0));
/// assert_eq!(SMatrix::<f64, 2, 2>::from([[1.0, 2.0], [3.0, 4.0]])[(0, 1)], 3.0); // nalgebra: columns!
/// ```
pub fn matrix_from_rows<const R: usize, const C: usize>(rows: [[f64; C]; R]) -> SMatrix<f64, R, C> {
    SMatrix::from_fn(|i, j| rows[i][j])
}
