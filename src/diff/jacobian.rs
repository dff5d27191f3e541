use super::seed;
use crate::{Jet, Scalar};
use nalgebra::{SMatrix, SVector};

/// Values and Jacobian of `f: Rᴺ → Rᴹ` at `x`: `J[(i, j)] = ∂fᵢ / ∂xⱼ`, in one pass.
///
/// ```
/// use dualgrad::prelude::*;
/// use nalgebra::{SMatrix, SVector};
///
/// // polar to Cartesian: (r cos θ, r sin θ); J = [[cos θ, −r sin θ], [sin θ, r cos θ]]
/// let (v, j) = jacobian(
///     |x| SVector::from([x[0] * x[1].cos(), x[0] * x[1].sin()]),
///     &SVector::from([2.0, 0.0]),
/// );
/// assert_eq!(v, SVector::from([2.0, 0.0]));
/// assert_eq!(j, SMatrix::<f64, 2, 2>::new(1.0, 0.0, 0.0, 2.0));
/// ```
#[inline]
pub fn jacobian<T: Scalar, const N: usize, const M: usize>(
    f: impl FnOnce(&SVector<Jet<T, N>, N>) -> SVector<Jet<T, N>, M>,
    x: &SVector<T, N>,
) -> (SVector<T, M>, SMatrix<T, M, N>) {
    let r = f(&seed(x));
    (r.map(|j| j.re), SMatrix::from_fn(|i, k| r[i].eps[k]))
}

/// Values of `f: Rᴺ → Rᴹ` and the Jacobian-vector product `J(x) v`, in one pass with a single
/// tangent whatever `N` is (the Jacobian itself is never formed).
///
/// ```
/// use dualgrad::jvp;
/// use nalgebra::SVector;
///
/// // f = (xy, x + y), J = [[y, x], [1, 1]]; at (2, 3) along v = (1, −1): Jv = (1, 0)
/// let (fx, jv) = jvp(
///     |x| SVector::from([x[0] * x[1], x[0] + x[1]]),
///     &SVector::from([2.0, 3.0]),
///     &SVector::from([1.0, -1.0]),
/// );
/// assert_eq!(fx, SVector::from([6.0, 5.0]));
/// assert_eq!(jv, SVector::from([1.0, 0.0]));
/// ```
#[inline]
pub fn jvp<T: Scalar, const N: usize, const M: usize>(
    f: impl FnOnce(&SVector<Jet<T, 1>, N>) -> SVector<Jet<T, 1>, M>,
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> (SVector<T, M>, SVector<T, M>) {
    let r = f(&directed(x, v));
    (r.map(|j| j.re), r.map(|j| j.eps[0]))
}

/// Value of `f: Rᴺ → R` and its directional derivative `∇f(x) · v`, in one pass with a single
/// tangent.
///
/// ```
/// use dualgrad::directional_derivative;
/// use nalgebra::SVector;
///
/// // f = x² + 3y, ∇f = (2x, 3) = (2, 3) at (1, 5); along v = (1, 1): 5
/// let (f, d) = directional_derivative(
///     |x| x[0] * x[0] + x[1] * 3.0,
///     &SVector::from([1.0, 5.0]),
///     &SVector::from([1.0, 1.0]),
/// );
/// assert_eq!((f, d), (16.0, 5.0));
/// ```
#[inline]
pub fn directional_derivative<T: Scalar, const N: usize>(
    f: impl FnOnce(&SVector<Jet<T, 1>, N>) -> Jet<T, 1>,
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> (T, T) {
    let r = f(&directed(x, v));
    (r.re, r.eps[0])
}

/// `x` with the single tangent `v`.
#[inline]
fn directed<T: Scalar, const N: usize>(
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> SVector<Jet<T, 1>, N> {
    SVector::from_fn(|i, _| Jet::new(x[i], [v[i]]))
}
