//! Property checks: a hand-derived derivative at many random points of a box, with shrinking.

use super::report::{CheckKind, CheckReport, Entry, Verdict, point_string};
use super::{CheckError, Checker};
use crate::{ScalarFn, VectorFn};
use nalgebra::{SMatrix, SVector};
use quickcheck::{Arbitrary, Gen};
use std::fmt;

/// At most this many candidate points are tried while shrinking a failure.
const MAX_SHRINK_EVALS: usize = 5000;

/// A check of a hand-derived derivative at random points of a box, built by
/// [`Checker::random`].
///
/// Points are drawn with `quickcheck`'s generator: each coordinate uniformly in `[lo, hi]`,
/// except that about one draw in fifteen lands exactly on `lo` and one in thirty exactly on
/// `hi` (quickcheck's "problem values"), so the faces and corners of the box get tested too.
/// Keep singularities of `f` out of the box: it is closed. A panic in `f` or in the hand
/// formula is not caught.
///
/// At the first point where some component is not right, the point is **shrunk**, in the way
/// quickcheck shrinks a failing input: coordinates move toward the point of the box nearest
/// the origin (0 where the box contains it), first all at once, then one at a time, by setting
/// them there, by cutting digits (`0.7312 → 0.7`), and by halving the distance, keeping each
/// change only if the check still fails there. The result is a [`FailingPoint`] with the
/// original and the shrunk point and the full [`CheckReport`] at the shrunk point.
///
/// quickcheck's own runner (`QuickCheck::quicktest`) takes only `fn` pointers, which cannot
/// carry your function and box, and keeps the shrunk arguments private; so the checker drives
/// quickcheck's `Gen` itself and shrinks the way quickcheck does, with a shrinker that knows
/// the box.
///
/// # Determinism
///
/// Without [`seed`](RandomCheck::seed), each run draws a fresh seed from the operating system,
/// and reports it, so a failure can be replayed with `.seed(s)`. With a seed the points are the
/// same on every run of the same `quickcheck` version (quickcheck does not promise the same
/// stream across its releases).
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::Checker;
/// use nalgebra::SVector;
///
/// /// f = x²y
/// struct F;
/// impl ScalarFn<2> for F { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[0] * x[1] } }
///
/// let (lo, hi) = (SVector::from([-2.0, -2.0]), SVector::from([2.0, 2.0]));
/// let check = Checker::new().random(&lo, &hi)?.cases(500)?.seed(7);
/// // ∇ = (2xy, x²)
/// let pass = check.gradient(&F, |x| SVector::from([2.0 * x[0] * x[1], x[0] * x[0]]));
/// assert!(pass.is_ok());
/// // forgetting the factor 2 is wrong wherever xy ≠ 0; the failing point shrinks to a simple
/// // one, each coordinate 1 (or 0.1, 0.01, 0.001 if the random point had |x| < 1 or |y| < 1)
/// let fail = check.gradient(&F, |x| SVector::from([x[0] * x[1], x[0] * x[0]])).unwrap_err();
/// assert!(fail.point().iter().all(|v| [1.0, 0.1, 0.01, 0.001].contains(v)));
/// assert_eq!(fail.report().wrong().next().unwrap().label, "x[0]");
/// # Ok::<(), dualgrad::check::CheckError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RandomCheck<const N: usize> {
    checker: Checker<N>,
    lo: SVector<f64, N>,
    hi: SVector<f64, N>,
    cases: usize,
    seed: Option<u64>,
}

impl<const N: usize> RandomCheck<N> {
    /// The number of random points checked unless [`cases`](RandomCheck::cases) says otherwise
    /// (quickcheck's default).
    ///
    /// ```
    /// assert_eq!(dualgrad::check::RandomCheck::<3>::DEFAULT_CASES, 100);
    /// ```
    pub const DEFAULT_CASES: usize = 100;

    pub(crate) fn new(
        checker: Checker<N>,
        lo: &SVector<f64, N>,
        hi: &SVector<f64, N>,
    ) -> Result<Self, CheckError> {
        for index in 0..N {
            let (l, h) = (lo[index], hi[index]);
            if !l.is_finite() || !h.is_finite() {
                return Err(CheckError::NonFiniteBound {
                    index,
                    lo: l,
                    hi: h,
                });
            }
            if l > h {
                return Err(CheckError::InvertedBox {
                    index,
                    lo: l,
                    hi: h,
                });
            }
            if l == h {
                return Err(CheckError::ZeroWidthBox { index, value: l });
            }
        }
        Ok(Self {
            checker,
            lo: *lo,
            hi: *hi,
            cases: Self::DEFAULT_CASES,
            seed: None,
        })
    }

    /// Check at `cases` random points.
    ///
    /// # Errors
    /// [`CheckError::ZeroCases`] if `cases` is 0.
    ///
    /// ```
    /// use dualgrad::check::{CheckError, Checker};
    /// use nalgebra::SVector;
    /// let c = Checker::<1>::new().random(&SVector::from([0.0]), &SVector::from([1.0]))?;
    /// assert_eq!(c.clone().cases(0).unwrap_err(), CheckError::ZeroCases);
    /// assert!(c.cases(10_000).is_ok());
    /// # Ok::<(), CheckError>(())
    /// ```
    pub fn cases(mut self, cases: usize) -> Result<Self, CheckError> {
        if cases == 0 {
            return Err(CheckError::ZeroCases);
        }
        self.cases = cases;
        Ok(self)
    }

    /// Draw the points from this seed, so every run checks the same points.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::Checker;
    /// use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([-1.0]), &SVector::from([1.0]))?.seed(42);
    /// let (a, b) = (c.gradient(&Sq, |x| x * 2.0).unwrap(), c.gradient(&Sq, |x| x * 2.0).unwrap());
    /// assert_eq!(a.seed(), 42);
    /// assert_eq!(a.worst_point(), b.worst_point());
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Check a hand-derived gradient of `f: Rᴺ → R` at random points.
    ///
    /// # Errors
    /// A [`FailingPoint`] (shrunk) at the first point where some component is not right.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::Checker;
    /// use nalgebra::SVector;
    /// struct Exp;
    /// impl ScalarFn<1> for Exp { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0].exp() } }
    /// let c = Checker::new().random(&SVector::from([-5.0]), &SVector::from([5.0]))?;
    /// let pass = c.gradient(&Exp, |x| x.map(f64::exp)).unwrap(); // (eˣ)' = eˣ
    /// assert_eq!(pass.cases(), 100);
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn gradient<F: ScalarFn<N>>(
        &self,
        f: &F,
        hand: impl Fn(&SVector<f64, N>) -> SVector<f64, N>,
    ) -> Result<RandomPass, FailingPoint> {
        self.run(
            CheckKind::Gradient,
            |x| f.gradient(x).1,
            |x| SVector::from([f.value(x)]),
            hand,
        )
    }

    /// Check a hand-derived Jacobian of `f: Rᴺ → Rᴹ` at random points.
    ///
    /// # Errors
    /// A [`FailingPoint`] (shrunk) at the first point where some entry is not right.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::Checker;
    /// use nalgebra::{SMatrix, SVector};
    /// /// (x + y, xy)
    /// struct F;
    /// impl VectorFn<2, 2> for F {
    ///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> { SVector::from([x[0] + x[1], x[0] * x[1]]) }
    /// }
    /// let c = Checker::new().random(&SVector::from([-1.0, -1.0]), &SVector::from([1.0, 1.0]))?;
    /// // J = [[1, 1], [y, x]]
    /// assert!(c.jacobian(&F, |x| SMatrix::<f64, 2, 2>::new(1.0, 1.0, x[1], x[0])).is_ok());
    /// // with the bottom row swapped, the check fails
    /// assert!(c.jacobian(&F, |x| SMatrix::<f64, 2, 2>::new(1.0, 1.0, x[0], x[1])).is_err());
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn jacobian<F: VectorFn<N, M>, const M: usize>(
        &self,
        f: &F,
        hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, M, N>,
    ) -> Result<RandomPass, FailingPoint> {
        self.run(
            CheckKind::Jacobian,
            |x| f.jacobian(x).1,
            |x| f.value(x),
            hand,
        )
    }

    /// Check a hand-derived Hessian of `f: Rᴺ → R` at random points.
    ///
    /// # Errors
    /// A [`FailingPoint`] (shrunk) at the first point where some entry is not right.
    ///
    /// ```
    /// use dualgrad::prelude::*;
    /// use dualgrad::check::Checker;
    /// use nalgebra::{SMatrix, SVector};
    /// struct Cube;
    /// impl ScalarFn<1> for Cube { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0].powi(3) } }
    /// let c = Checker::new().random(&SVector::from([-2.0]), &SVector::from([2.0]))?;
    /// assert!(c.hessian(&Cube, |x| SMatrix::from([[6.0 * x[0]]])).is_ok()); // (x³)'' = 6x
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn hessian<F: ScalarFn<N>>(
        &self,
        f: &F,
        hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, N, N>,
    ) -> Result<RandomPass, FailingPoint> {
        self.run(
            CheckKind::Hessian,
            |x| f.hessian(x).2,
            |x| SVector::from([f.value(x)]),
            hand,
        )
    }

    /// Check a hand-derived gradient of a black-box `f64` function at random points, against
    /// Ridders finite differences (see [`Checker::gradient_fd`]); a failing point is shrunk as
    /// for [`gradient`](RandomCheck::gradient). A component whose finite differences did not
    /// converge ([`Verdict::Inconclusive`](crate::check::Verdict::Inconclusive)) fails the check too,
    /// with that verdict, never as WRONG.
    ///
    /// # Errors
    /// A [`FailingPoint`] (shrunk) at the first point where some component is not right.
    ///
    /// ```
    /// use dualgrad::check::Checker;
    /// use nalgebra::SVector;
    /// let f = |x: &SVector<f64, 2>| x[0].sin() * x[1];
    /// let c = Checker::new().random(&SVector::from([-2.0, -2.0]), &SVector::from([2.0, 2.0]))?.cases(20)?;
    /// // ∇ = (y cos x, sin x)
    /// assert!(c.gradient_fd(f, |x| SVector::from([x[1] * x[0].cos(), x[0].sin()])).is_ok());
    /// let fail = c.gradient_fd(f, |x| SVector::from([x[1] * x[0].cos(), x[0].cos()])).unwrap_err();
    /// assert_eq!(fail.report().wrong().next().unwrap().label, "x[1]");
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn gradient_fd(
        &self,
        f: impl Fn(&SVector<f64, N>) -> f64,
        hand: impl Fn(&SVector<f64, N>) -> SVector<f64, N>,
    ) -> Result<RandomPass, FailingPoint> {
        let report = |x: &SVector<f64, N>| self.checker.gradient_fd(&f, x, &hand);
        self.run_with(
            CheckKind::Gradient,
            |x| report_passes(&report(x), self.checker.tolerance().rel()),
            report,
        )
    }

    /// Check a hand-derived Hessian at random points against Ridders finite differences of a
    /// black-box `f64` gradient (see [`Checker::hessian_fd`]).
    ///
    /// # Errors
    /// A [`FailingPoint`] (shrunk) at the first point where some entry is not right.
    ///
    /// ```
    /// use dualgrad::check::{Checker, matrix_from_rows};
    /// use nalgebra::SVector;
    /// // f = x²y: ∇ = (2xy, x²), H = [[2y, 2x], [2x, 0]]
    /// let grad = |v: &SVector<f64, 2>| SVector::from([2.0 * v[0] * v[1], v[0] * v[0]]);
    /// let c = Checker::new().random(&SVector::from([-1.0, -1.0]), &SVector::from([1.0, 1.0]))?.cases(20)?;
    /// assert!(c.hessian_fd(grad, |v| matrix_from_rows([[2.0 * v[1], 2.0 * v[0]], [2.0 * v[0], 0.0]])).is_ok());
    /// assert!(c.hessian_fd(grad, |v| matrix_from_rows([[2.0 * v[1], v[0]], [v[0], 0.0]])).is_err());
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn hessian_fd(
        &self,
        grad: impl Fn(&SVector<f64, N>) -> SVector<f64, N>,
        hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, N, N>,
    ) -> Result<RandomPass, FailingPoint> {
        let report = |x: &SVector<f64, N>| self.checker.hessian_fd(&grad, x, &hand);
        self.run_with(
            CheckKind::Hessian,
            |x| report_passes(&report(x), self.checker.tolerance().rel()),
            report,
        )
    }

    fn run<const R: usize, const C: usize, const V: usize>(
        &self,
        kind: CheckKind,
        exact: impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
        value: impl Fn(&SVector<f64, N>) -> SVector<f64, V>,
        hand: impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
    ) -> Result<RandomPass, FailingPoint> {
        self.run_with(
            kind,
            |x| {
                let values = value(x);
                let (ok, w) = self
                    .checker
                    .quick_exact(kind, x, &hand, &exact, values.as_slice());
                let rel_tol = self.checker.tolerance().rel();
                (
                    ok,
                    w.map(|(at, jd)| {
                        (
                            at,
                            jd.rel_err,
                            why_ok(jd.verdict, jd.rel_err, rel_tol, false),
                        )
                    }),
                )
            },
            |x| {
                let values = value(x);
                self.checker
                    .exact_report(kind, x, &hand, &exact, values.as_slice())
            },
        )
    }

    /// The random run: `passes` judges a point quickly (whether it passes, and the place and
    /// relative error of its worst entry), `report` makes the full report of a failing point.
    fn run_with(
        &self,
        kind: CheckKind,
        passes: impl Fn(&SVector<f64, N>) -> (bool, Option<Place>),
        report: impl Fn(&SVector<f64, N>) -> CheckReport,
    ) -> Result<RandomPass, FailingPoint> {
        let seed = self.seed.unwrap_or_else(fresh_seed);
        let mut g = Gen::from_size_and_seed(100, seed);
        let mut worst: Option<(f64, String, SVector<f64, N>, &'static str)> = None;
        for case in 1..=self.cases {
            let x = self.draw(&mut g);
            let (ok, w) = passes(&x);
            if !ok {
                let (shrunk, steps) = self.shrink(x, |p| !passes(p).0);
                let report = report(&shrunk);
                return Err(FailingPoint(Box::new(Failure {
                    report,
                    original: x.iter().copied().collect(),
                    seed,
                    case,
                    cases: self.cases,
                    shrink_steps: steps,
                })));
            }
            if let Some(((i, j), rel_err, why)) = w
                && worst.as_ref().is_none_or(|(r, _, _, _)| rel_err > *r)
            {
                worst = Some((rel_err, self.checker.label(kind, i, j), x, why));
            }
        }
        let (worst_rel_err, worst_label, worst_point, worst_why) = match worst {
            Some((r, l, p, why)) => (r, l, p.iter().copied().collect(), why),
            None => (0.0, String::new(), Vec::new(), ""),
        };
        Ok(RandomPass {
            kind,
            cases: self.cases,
            seed,
            worst_rel_err,
            worst_label,
            worst_point,
            worst_why,
        })
    }

    /// A random point of the box.
    fn draw(&self, g: &mut Gen) -> SVector<f64, N> {
        SVector::from_fn(|i, _| {
            let raw = u64::arbitrary(g);
            let u = if raw == u64::MAX {
                1.0
            } else {
                (raw >> 11) as f64 / (1u64 << 53) as f64
            };
            // a convex combination cannot overflow, whatever the bounds
            (self.lo[i] * (1.0 - u) + self.hi[i] * u).clamp(self.lo[i], self.hi[i])
        })
    }

    /// Shrink a failing point toward the simplest point of the box while `fails` holds.
    /// Returns the shrunk point and the number of accepted steps.
    fn shrink(
        &self,
        start: SVector<f64, N>,
        fails: impl Fn(&SVector<f64, N>) -> bool,
    ) -> (SVector<f64, N>, usize) {
        // the point of the box nearest the origin
        let target = SVector::<f64, N>::from_fn(|i, _| 0.0_f64.clamp(self.lo[i], self.hi[i]));
        let mut cur = start;
        let mut steps = 0;
        let mut evals = 0;
        'shrink: loop {
            for cand in candidates(&cur, &target, &self.lo, &self.hi) {
                evals += 1;
                if evals > MAX_SHRINK_EVALS {
                    break 'shrink;
                }
                if fails(&cand) {
                    cur = cand;
                    steps += 1;
                    continue 'shrink;
                }
            }
            break;
        }
        (cur, steps)
    }
}

/// Simpler points than `cur`, simplest first: every coordinate at the target at once, then one
/// coordinate at a time (see [`simpler`]). Every candidate is strictly closer to the target in
/// one coordinate (or as close and positive instead of negative) and unchanged in the others,
/// so shrinking terminates.
fn candidates<const N: usize>(
    cur: &SVector<f64, N>,
    target: &SVector<f64, N>,
    lo: &SVector<f64, N>,
    hi: &SVector<f64, N>,
) -> impl Iterator<Item = SVector<f64, N>> + use<N> {
    let (cur, target, lo, hi) = (*cur, *target, *lo, *hi);
    let all = (cur != target).then_some(target);
    let each = (0..N).flat_map(move |i| {
        simpler(cur[i], target[i], hi[i] - lo[i])
            .into_iter()
            .map(move |s| target[i] + s)
            .filter(move |v| (lo[i]..=hi[i]).contains(v) && *v != cur[i])
            .map(move |v| {
                let mut c = cur;
                c[i] = v;
                c
            })
    });
    all.into_iter().chain(each)
}

/// Simpler offsets from the target `t` than the offset `d = v − t` of the value `v`, simplest
/// first, in the spirit of quickcheck's shrinking of integers (which is also how it shrinks
/// floats, after truncating them):
///
/// - `0`, and `|d|` when `d` is negative;
/// - if `d = k / 10ᵖ` for an integer `k` and `p ≤ 3`: `(k − k/2) / 10ᵖ, (k − k/4) / 10ᵖ, ...`,
///   quickcheck's sequence for `k` at the same number of decimals;
/// - otherwise `d` truncated to 0, 1, 2 and 3 decimals, and as a last resort `d / 2` (while `d`
///   is above a millionth of the box width).
fn simpler(v: f64, t: f64, width: f64) -> Vec<f64> {
    let d = v - t;
    let mut out = vec![0.0];
    if d < 0.0 {
        out.push(-d);
    }
    // rounding noise of `v − t` must not hide a simple offset
    let noise = 8.0 * f64::EPSILON * v.abs().max(t.abs()).max(1.0);
    let decimal = (0..=3).find_map(|p| {
        let scale = 10f64.powi(p);
        let k = (d * scale).round();
        ((k / scale - d).abs() <= noise && k.abs() < 2f64.powi(53)).then_some((k, scale))
    });
    match decimal {
        Some((k, scale)) => {
            let mut i = (k / 2.0).trunc();
            while i != 0.0 {
                out.push((k - i) / scale);
                i = (i / 2.0).trunc();
            }
        }
        None => {
            for p in 0..=3 {
                let scale = 10f64.powi(p);
                out.push((d * scale).trunc() / scale);
            }
            if d.abs() > 1e-6 * width {
                out.push(d / 2.0);
            }
        }
    }
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|&s| {
        let simpler = s.abs() < d.abs() - noise || (d < 0.0 && s == -d);
        let fresh = !seen.contains(&s);
        seen.push(s);
        simpler && fresh
    });
    out
}

/// A seed from the operating system's entropy (through quickcheck's own generator).
fn fresh_seed() -> u64 {
    let mut g = Gen::new(1);
    u64::arbitrary(&mut g) ^ u64::arbitrary(&mut g).rotate_left(32)
}

/// Every random point passed: how many, with which seed, and the worst component seen.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::Checker;
/// use nalgebra::SVector;
/// struct Sq;
/// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// let c = Checker::new().random(&SVector::from([-1.0]), &SVector::from([1.0]))?.seed(3);
/// let pass = c.gradient(&Sq, |x| x * 2.0).unwrap();
/// assert_eq!(pass.cases(), 100);
/// assert_eq!(pass.worst_rel_err(), 0.0); // 2x is exact in floating point
/// assert!(pass.to_string().starts_with("gradient ok at 100 random points (seed 3)"));
/// # Ok::<(), dualgrad::check::CheckError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RandomPass {
    kind: CheckKind,
    cases: usize,
    seed: u64,
    worst_rel_err: f64,
    worst_label: String,
    worst_point: Vec<f64>,
    /// Why the worst entry is ok although its relative error exceeds the relative tolerance
    /// (empty if it does not).
    worst_why: &'static str,
}

impl RandomPass {
    /// How many random points passed.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([-1.0]), &SVector::from([1.0]))?.cases(7)?;
    /// assert_eq!(c.gradient(&Sq, |x| x * 2.0).unwrap().cases(), 7);
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn cases(&self) -> usize {
        self.cases
    }

    /// The seed the points were drawn from.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([-1.0]), &SVector::from([1.0]))?.seed(9);
    /// assert_eq!(c.gradient(&Sq, |x| x * 2.0).unwrap().seed(), 9);
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The largest relative error seen over all points and components (all within tolerance).
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([1.0]), &SVector::from([2.0]))?;
    /// // (1 + 1e-12)·2x is off by a relative 1e-12, well inside the default 1e-8
    /// let pass = c.gradient(&Sq, |x| x * (2.0 * (1.0 + 1e-12))).unwrap();
    /// assert!((pass.worst_rel_err() - 1e-12).abs() < 1e-15);
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn worst_rel_err(&self) -> f64 {
        self.worst_rel_err
    }

    /// The label of the component with the largest relative error (empty if there were none).
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// struct Sum;
    /// impl ScalarFn<2> for Sum { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x.sum() } }
    /// let c = Checker::new().random(&SVector::from([0.0, 0.0]), &SVector::from([1.0, 1.0]))?;
    /// let pass = c.gradient(&Sum, |_| SVector::from([1.0, 1.0 + 1e-12])).unwrap();
    /// assert_eq!(pass.worst_label(), "x[1]");
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn worst_label(&self) -> &str {
        &self.worst_label
    }

    /// The point where the largest relative error was seen (empty if there were no components).
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([1.0]), &SVector::from([2.0]))?;
    /// let p = c.gradient(&Sq, |x| x * 2.0).unwrap();
    /// assert!((1.0..=2.0).contains(&p.worst_point()[0]));
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn worst_point(&self) -> &[f64] {
        &self.worst_point
    }
}

impl fmt::Display for RandomPass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ok at {} random points (seed {})",
            self.kind, self.cases, self.seed
        )?;
        if !self.worst_label.is_empty() {
            write!(
                f,
                "; worst relative error {:.1e} at {}{}",
                self.worst_rel_err, self.worst_label, self.worst_why
            )?;
        }
        Ok(())
    }
}

/// A random point where a hand-derived derivative is wrong: where it was found, where it shrank
/// to, and the full [`CheckReport`] there.
///
/// `Debug` prints the same text as `Display`, so `.unwrap()` on a failed check shows the table.
/// It is an [`Error`](std::error::Error), so tests returning `Result` can use `?`.
///
/// ```
/// use dualgrad::prelude::*;
/// use dualgrad::check::Checker;
/// use nalgebra::SVector;
/// struct Sq;
/// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
/// let c = Checker::new().random(&SVector::from([1.0]), &SVector::from([5.0]))?.seed(1);
/// // (x²)' = 2x, not 3x: wrong everywhere, so it shrinks to 1, the box's point nearest 0
/// let fail = c.gradient(&Sq, |x| x * 3.0).unwrap_err();
/// assert_eq!(fail.point(), &[1.0]);
/// assert_eq!((fail.report().rows()[0].hand, fail.report().rows()[0].exact), (3.0, 2.0));
/// assert_eq!(fail.seed(), 1);
/// assert!(fail.to_string().starts_with("gradient check failed at random point 1 of 100 (seed 1)"));
/// # Ok::<(), dualgrad::check::CheckError>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct FailingPoint(Box<Failure>);

/// The contents of a [`FailingPoint`] (boxed, so that a `Result` carrying it stays small).
#[derive(Clone, PartialEq)]
struct Failure {
    report: CheckReport,
    original: Vec<f64>,
    seed: u64,
    case: usize,
    cases: usize,
    shrink_steps: usize,
}

impl FailingPoint {
    /// The shrunk failing point.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([-4.0]), &SVector::from([4.0]))?;
    /// // (x²)' = 2x is 0 only at 0; the hand formula 2x + 1 is wrong everywhere, most simply at 0
    /// let fail = c.gradient(&Sq, |x| x.map(|v| 2.0 * v + 1.0)).unwrap_err();
    /// assert_eq!(fail.point(), &[0.0]);
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn point(&self) -> &[f64] {
        self.0.report.point()
    }

    /// The random point where the failure was first found, before shrinking.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([-4.0]), &SVector::from([4.0]))?;
    /// let fail = c.gradient(&Sq, |x| x.map(|v| 2.0 * v + 1.0)).unwrap_err();
    /// assert!((-4.0..=4.0).contains(&fail.original_point()[0]));
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn original_point(&self) -> &[f64] {
        &self.0.original
    }

    /// The report at the shrunk point.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([-4.0]), &SVector::from([4.0]))?;
    /// let fail = c.gradient(&Sq, |x| x.map(|v| 2.0 * v + 1.0)).unwrap_err();
    /// assert_eq!((fail.report().rows()[0].hand, fail.report().rows()[0].exact), (1.0, 0.0));
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn report(&self) -> &CheckReport {
        &self.0.report
    }

    /// The seed of the run; `.seed(s)` replays it.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([-4.0]), &SVector::from([4.0]))?;
    /// let fail = c.gradient(&Sq, |x| x * 3.0).unwrap_err();
    /// let again = c.clone().seed(fail.seed()).gradient(&Sq, |x| x * 3.0).unwrap_err();
    /// assert_eq!(again.original_point(), fail.original_point());
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn seed(&self) -> u64 {
        self.0.seed
    }

    /// Which random point (counting from 1) failed first.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([1.0]), &SVector::from([4.0]))?;
    /// assert_eq!(c.gradient(&Sq, |x| x * 3.0).unwrap_err().case(), 1); // wrong everywhere
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn case(&self) -> usize {
        self.0.case
    }

    /// How many shrinking steps were taken from the original to the shrunk point.
    ///
    /// ```
    /// # use dualgrad::prelude::*;
    /// # use dualgrad::check::Checker; use nalgebra::SVector;
    /// # struct Sq;
    /// # impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// let c = Checker::new().random(&SVector::from([1.0]), &SVector::from([4.0]))?.seed(5);
    /// let fail = c.gradient(&Sq, |x| x * 3.0).unwrap_err();
    /// assert_eq!(fail.point(), &[1.0]);
    /// assert_eq!(fail.shrink_steps() > 0, fail.original_point() != fail.point());
    /// # Ok::<(), dualgrad::check::CheckError>(())
    /// ```
    pub fn shrink_steps(&self) -> usize {
        self.0.shrink_steps
    }
}

impl fmt::Display for FailingPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} check failed at random point {} of {} (seed {})",
            self.0.report.kind(),
            self.0.case,
            self.0.cases,
            self.0.seed
        )?;
        if self.0.shrink_steps > 0 {
            let s = if self.0.shrink_steps == 1 { "" } else { "s" };
            write!(
                f,
                ", shrunk in {} step{s}\n  from x = ",
                self.0.shrink_steps
            )?;
            f.write_str(&point_string(&self.0.original))?;
            f.write_str("\n  to   x = ")?;
        } else {
            f.write_str("\n  at x = ")?;
        }
        f.write_str(&point_string(self.0.report.point()))?;
        write!(f, "\n{}", self.0.report)
    }
}

impl fmt::Debug for FailingPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for FailingPoint {}

/// An entry `(i, j)` and its relative error.
type Place = ((usize, usize), f64, &'static str);

/// Why an entry with relative error `rel_err` and verdict `verdict` is ok beyond the relative
/// tolerance (`fd`: against a finite-difference reference within its error estimate).
fn why_ok(verdict: Verdict, rel_err: f64, rel_tol: f64, fd: bool) -> &'static str {
    match verdict {
        Verdict::NoiseFloor => " (ok: at the rounding-noise floor)",
        Verdict::Ok if rel_err > rel_tol && fd => {
            " (ok: within the absolute tolerance or the finite-difference error estimate)"
        }
        Verdict::Ok if rel_err > rel_tol => " (ok: within the absolute tolerance)",
        _ => "",
    }
}

/// Whether a full report passes, and the place and relative error of its worst entry.
fn report_passes(report: &CheckReport, rel_tol: f64) -> (bool, Option<Place>) {
    let worst = report.worst().map(|r| {
        let at = match r.entry {
            Entry::Vector(i) => (i, 0),
            Entry::Matrix(i, j) => (i, j),
        };
        (at, r.rel_err, why_ok(r.verdict, r.rel_err, rel_tol, true))
    });
    (report.is_ok(), worst)
}
