//! Implicit differentiation: the derivatives of a solution `x*(θ)` of `F(x, θ) = 0`, or of a
//! minimiser `x*(θ) = argmin_x f(x, θ)`, with respect to `θ`, from a solution found in `f64` by
//! any means (a library solver, bisection, a black box), without differentiating through the
//! solver's iterations. The counterpart of num-dual's `implicit_derivative` and JAX's
//! `custom_root`.
//!
//! `θ` may be any [`Scalar`], so first, second and higher derivatives in `θ` come out of the
//! same call: the `f64` solution is first polished by Newton steps in `f64` until they stop
//! shrinking (to rounding level: a solution good to `1e-9` from a bisection would otherwise pass
//! its error on to the derivatives), then, with `θ` carrying derivatives of order `K`, lifted and
//! refined by `⌈log₂(K + 1)⌉` Newton steps in `θ`'s arithmetic, each of which doubles the number
//! of correct derivative orders (the implicit function theorem, applied order by order). The
//! Jacobian `∂F/∂x` is computed exactly by forward mode.

use crate::{Jet, Scalar};
use nalgebra::{SMatrix, SVector};
use std::fmt;

/// A system of `NX` equations `F(x, θ) = 0` in `NX` unknowns `x` with `NP` parameters `θ`,
/// written once over [`Scalar`].
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::diff::implicit::ImplicitFn;
/// use nalgebra::SVector;
/// /// x² − θ = 0, whose positive root is √θ
/// struct SquareRoot;
/// impl ImplicitFn<1, 1> for SquareRoot {
///     fn residual<T: Scalar>(&self, x: &SVector<T, 1>, theta: &SVector<T, 1>) -> SVector<T, 1> {
///         SVector::from([x[0] * x[0] - theta[0]])
///     }
/// }
/// assert_eq!(SquareRoot.residual(&SVector::from([2.0]), &SVector::from([4.0]))[0], 0.0);
/// ```
pub trait ImplicitFn<const NX: usize, const NP: usize> {
    /// `F(x, θ)`.
    fn residual<T: Scalar>(&self, x: &SVector<T, NX>, theta: &SVector<T, NP>) -> SVector<T, NX>;
}

/// An objective `f(x, θ)` minimised over `x` for fixed parameters `θ`, written once over
/// [`Scalar`].
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::diff::implicit::ParamObjective;
/// use nalgebra::SVector;
/// /// (x − θ)², minimised at x = θ
/// struct Shifted;
/// impl ParamObjective<1, 1> for Shifted {
///     fn value<T: Scalar>(&self, x: &SVector<T, 1>, theta: &SVector<T, 1>) -> T {
///         (x[0] - theta[0]) * (x[0] - theta[0])
///     }
/// }
/// assert_eq!(Shifted.value(&SVector::from([1.0]), &SVector::from([3.0])), 4.0);
/// ```
pub trait ParamObjective<const NX: usize, const NP: usize> {
    /// `f(x, θ)`.
    fn value<T: Scalar>(&self, x: &SVector<T, NX>, theta: &SVector<T, NP>) -> T;
}

/// Why a solution could not be differentiated.
#[derive(Clone, Debug, PartialEq)]
pub enum ImplicitError<const NX: usize> {
    /// `∂F/∂x` is singular at the given solution `x`: the solution is not locally a function
    /// of `θ` there (a double root, a degenerate minimiser).
    SingularJacobian {
        /// The solution that was passed in.
        x: SVector<f64, NX>,
    },
    /// The given `x` is not a solution at the value of `θ`: one Newton step from it has length
    /// `step`, more than `1e-6 (1 + ‖x‖)`.
    NotASolution {
        /// The point that was passed in.
        x: SVector<f64, NX>,
        /// The length of the Newton step `‖(∂F/∂x)⁻¹ F‖` at `x`.
        step: f64,
    },
    /// A component of `θ` is NaN or infinite.
    ThetaNotFinite {
        /// Which component.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// A component of the given solution `x` is NaN or infinite.
    SolutionNotFinite {
        /// The point that was passed in.
        x: SVector<f64, NX>,
    },
    /// `F(x, θ)` is NaN or infinite at the given solution (with `x` and `θ` finite): `x` lies
    /// outside `F`'s domain, or `F` overflows there.
    ResidualNotFinite {
        /// The point that was passed in.
        x: SVector<f64, NX>,
        /// The first component of `F` that is not finite.
        row: usize,
    },
    /// `∂F/∂x` has a NaN or infinite entry at the given solution (with `F` finite there): `F`
    /// is not differentiable in `x` at that point.
    JacobianNotFinite {
        /// The point that was passed in.
        x: SVector<f64, NX>,
        /// The entry `(i, j) = ∂Fᵢ/∂xⱼ`.
        entry: (usize, usize),
    },
}

impl<const NX: usize> fmt::Display for ImplicitError<NX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SingularJacobian { x } => write!(
                f,
                "implicit differentiation: ∂F/∂x is singular at the given solution x = {:?}",
                x.as_slice()
            ),
            Self::NotASolution { x, step } => write!(
                f,
                "implicit differentiation: x = {:?} is not a solution (Newton step of length {step:e})",
                x.as_slice()
            ),
            Self::ThetaNotFinite { index, value } => write!(
                f,
                "implicit differentiation: θ[{index}] = {value} is not finite"
            ),
            Self::SolutionNotFinite { x } => write!(
                f,
                "implicit differentiation: the given solution x = {:?} is not finite",
                x.as_slice()
            ),
            Self::ResidualNotFinite { x, row } => write!(
                f,
                "implicit differentiation: F[{row}](x, θ) is not finite at the given solution x = {:?}",
                x.as_slice()
            ),
            Self::JacobianNotFinite { x, entry: (i, j) } => write!(
                f,
                "implicit differentiation: ∂F[{i}]/∂x[{j}] is not finite at the given solution x = {:?}",
                x.as_slice()
            ),
        }
    }
}

impl<const NX: usize> std::error::Error for ImplicitError<NX> {}

/// Why no Newton step could be taken.
#[derive(Clone, Copy, Debug)]
enum StepFailure {
    /// `F` is not finite in this row.
    Residual(usize),
    /// `∂F/∂x` is not finite at this entry.
    Jacobian(usize, usize),
    /// `∂F/∂x` is singular (or the step overflows).
    Singular,
}

impl StepFailure {
    fn at<const NX: usize>(self, x: &SVector<f64, NX>) -> ImplicitError<NX> {
        match self {
            Self::Residual(row) => ImplicitError::ResidualNotFinite { x: *x, row },
            Self::Jacobian(i, j) => ImplicitError::JacobianNotFinite {
                x: *x,
                entry: (i, j),
            },
            Self::Singular => ImplicitError::SingularJacobian { x: *x },
        }
    }
}

/// `F(x, θ)` and `∂F/∂x` at `x`, in `T`'s arithmetic, and the Newton step `(∂F/∂x)⁻¹ F`.
fn newton_step<T: Scalar, F: ImplicitFn<NX, NP>, const NX: usize, const NP: usize>(
    f: &F,
    x: &SVector<T, NX>,
    theta: &SVector<T, NP>,
) -> Result<SVector<T, NX>, StepFailure> {
    crate::scalar::prepare_tanh();
    let xs = SVector::<Jet<T, NX>, NX>::from_fn(|i, _| Jet::variable(x[i], i));
    let r = f.residual(&xs, &theta.map(Jet::constant));
    if let Some(row) = (0..NX).find(|&i| !r[i].re.value().is_finite()) {
        return Err(StepFailure::Residual(row));
    }
    let jac = SMatrix::<T, NX, NX>::from_fn(|i, j| r[i].eps[j]);
    for i in 0..NX {
        if let Some(j) = (0..NX).find(|&j| !jac[(i, j)].value().is_finite()) {
            return Err(StepFailure::Jacobian(i, j));
        }
    }
    let step = solve(jac, r.map(|ri| ri.re)).ok_or(StepFailure::Singular)?;
    if step.iter().all(|s| s.value().is_finite()) {
        Ok(step)
    } else {
        Err(StepFailure::Singular)
    }
}

/// At most this many Newton steps in `f64` polish the given solution.
const POLISH_STEPS: usize = 8;

/// `A⁻¹ b` by Gaussian elimination with partial pivoting (by the values), in place; `None` if a
/// pivot is zero. (nalgebra's `lu()` needs a `typenum` bound that a generic `NX` cannot give.)
fn solve<T: Scalar, const N: usize>(
    mut a: SMatrix<T, N, N>,
    mut b: SVector<T, N>,
) -> Option<SVector<T, N>> {
    for k in 0..N {
        let p =
            (k..N).max_by(|&i, &j| a[(i, k)].value().abs().total_cmp(&a[(j, k)].value().abs()))?;
        let pivot = a[(p, k)].value();
        if pivot == 0.0 || !pivot.is_finite() {
            return None;
        }
        a.swap_rows(k, p);
        b.swap_rows(k, p);
        for i in k + 1..N {
            let m = a[(i, k)] / a[(k, k)];
            for j in k..N {
                let akj = a[(k, j)];
                a[(i, j)] -= m * akj;
            }
            let bk = b[k];
            b[i] -= m * bk;
        }
    }
    for k in (0..N).rev() {
        let mut s = b[k];
        for j in k + 1..N {
            s -= a[(k, j)] * b[j];
        }
        b[k] = s / a[(k, k)];
    }
    Some(b)
}

/// The solution `x(θ)` of `F(x, θ) = 0` near `x_star`, with its derivatives in `θ` to the order
/// `θ` carries, given a solution `x_star` at the value of `θ` found in `f64` by any means.
///
/// ```
/// use dualgrad::{Scalar, derivative};
/// use dualgrad::diff::implicit::{ImplicitFn, implicit_solution};
/// use nalgebra::SVector;
/// /// x² − θ = 0: x = √θ
/// struct SquareRoot;
/// impl ImplicitFn<1, 1> for SquareRoot {
///     fn residual<T: Scalar>(&self, x: &SVector<T, 1>, theta: &SVector<T, 1>) -> SVector<T, 1> {
///         SVector::from([x[0] * x[0] - theta[0]])
///     }
/// }
/// let root = |t: dualgrad::Jet<f64, 1>| {
///     let x_star = SVector::from([t.re.sqrt()]); // any f64 solver
///     implicit_solution(&SquareRoot, &x_star, &SVector::from([t])).unwrap()[0]
/// };
/// assert_eq!(derivative(root, 4.0), (2.0, 0.25)); // d√θ/dθ = 1/(2√θ)
/// ```
///
/// `x_star` is polished first by Newton steps in `f64` while they keep shrinking, so the value
/// and the derivatives are as accurate as `F` allows even when `x_star` is only good to, say,
/// `1e-9` (the acceptance threshold below is loose on purpose).
///
/// # Errors
/// [`ImplicitError::ThetaNotFinite`] for a NaN or infinite `θ`,
/// [`ImplicitError::SolutionNotFinite`] for a NaN or infinite `x_star`,
/// [`ImplicitError::ResidualNotFinite`] or [`ImplicitError::JacobianNotFinite`] when `F` or
/// `∂F/∂x` is not finite at `x_star`; [`ImplicitError::SingularJacobian`] if `∂F/∂x` is singular
/// at `x_star`; [`ImplicitError::NotASolution`] if `x_star` is not a solution at the value of `θ`
/// (one Newton step from it is longer than `1e-6 (1 + ‖x_star‖)`).
pub fn implicit_solution<T: Scalar, F: ImplicitFn<NX, NP>, const NX: usize, const NP: usize>(
    f: &F,
    x_star: &SVector<f64, NX>,
    theta: &SVector<T, NP>,
) -> Result<SVector<T, NX>, ImplicitError<NX>> {
    let theta0 = theta.map(|t| t.value());
    if let Some(index) = (0..NP).find(|&k| !theta0[k].is_finite()) {
        return Err(ImplicitError::ThetaNotFinite {
            index,
            value: theta0[index],
        });
    }
    if !x_star.iter().all(|v| v.is_finite()) {
        return Err(ImplicitError::SolutionNotFinite { x: *x_star });
    }
    let step0 = newton_step(f, x_star, &theta0).map_err(|e| e.at(x_star))?;
    let len = step0.norm();
    if len.is_nan() || len > 1e-6 * (1.0 + x_star.norm()) {
        return Err(ImplicitError::NotASolution {
            x: *x_star,
            step: len,
        });
    }
    // Polish in f64 while the Newton steps keep shrinking (quadratic convergence): the lifted
    // steps below take the value as exact.
    let (mut polished, mut step) = (*x_star, step0);
    for _ in 0..POLISH_STEPS {
        if step.norm() == 0.0 {
            break;
        }
        let next = polished - step;
        let Ok(after) = newton_step(f, &next, &theta0) else {
            break;
        };
        polished = next;
        let stalled = after.norm().is_nan() || after.norm() >= 0.5 * step.norm();
        step = after;
        if stalled {
            break;
        }
    }
    let mut x = polished.map(T::lift);
    let mut correct_orders = 0;
    while correct_orders < T::NDERIV {
        let step = newton_step(f, &x, theta).map_err(|e| e.at(x_star))?;
        x -= step;
        correct_orders = 2 * correct_orders + 1;
    }
    Ok(x)
}

/// `∇ₓ f(x, θ)`, the residual whose root is a stationary point of `f`.
struct Stationary<'a, F>(&'a F);

impl<F: ParamObjective<NX, NP>, const NX: usize, const NP: usize> ImplicitFn<NX, NP>
    for Stationary<'_, F>
{
    fn residual<T: Scalar>(&self, x: &SVector<T, NX>, theta: &SVector<T, NP>) -> SVector<T, NX> {
        crate::scalar::prepare_tanh();
        let xs = SVector::<Jet<T, NX>, NX>::from_fn(|i, _| Jet::variable(x[i], i));
        let v = self.0.value(&xs, &theta.map(Jet::constant));
        SVector::from(v.eps)
    }
}

/// The minimiser `x(θ) = argmin_x f(x, θ)` near `x_star`, with its derivatives in `θ` to the
/// order `θ` carries, given the minimiser `x_star` at the value of `θ` found in `f64` by any
/// means (it solves `∇ₓ f = 0`; any stationary point with a nonsingular Hessian is followed).
///
/// ```
/// use dualgrad::{Scalar, gradient};
/// use dualgrad::diff::implicit::{ParamObjective, implicit_minimizer};
/// use nalgebra::SVector;
/// /// θ₁ (x − θ₀)², minimised at x = θ₀ for θ₁ > 0: ∂x/∂θ = (1, 0)
/// struct Shifted;
/// impl ParamObjective<1, 2> for Shifted {
///     fn value<T: Scalar>(&self, x: &SVector<T, 1>, th: &SVector<T, 2>) -> T {
///         (x[0] - th[0]) * (x[0] - th[0]) * th[1]
///     }
/// }
/// let (x, g) = gradient(
///     |th| {
///         let x_star = SVector::from([th[0].re]);
///         implicit_minimizer(&Shifted, &x_star, th).unwrap()[0]
///     },
///     &SVector::from([3.0, 2.0]),
/// );
/// assert_eq!((x, g), (3.0, SVector::from([1.0, 0.0])));
/// ```
///
/// # Errors
/// As [`implicit_solution`] on `∇ₓ f(x, θ) = 0`: a singular Hessian in `x`, or an `x_star` that
/// is not stationary.
pub fn implicit_minimizer<
    T: Scalar,
    F: ParamObjective<NX, NP>,
    const NX: usize,
    const NP: usize,
>(
    f: &F,
    x_star: &SVector<f64, NX>,
    theta: &SVector<T, NP>,
) -> Result<SVector<T, NX>, ImplicitError<NX>> {
    implicit_solution(&Stationary(f), x_star, theta)
}
