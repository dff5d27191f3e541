use super::seed;
use crate::{Jet, Scalar};
use nalgebra::{SMatrix, SVector};

/// Value, gradient and Hessian of `f: Rᴺ → R` at `x`, in one pass.
///
/// The Hessian is the Jacobian of the gradient: the input is seeded as a jet of jets
/// (forward over forward), so `H[(i, j)] = ∂²f / ∂xᵢ∂xⱼ`.
///
/// ```
/// use dualgrad::prelude::*;
/// use nalgebra::{SMatrix, SVector};
///
/// // f = x²y + y³: ∇f = (2xy, x² + 3y²), H = [[2y, 2x], [2x, 6y]]
/// let (f, g, h) = hessian(|x| x[0] * x[0] * x[1] + x[1].powi(3), &SVector::from([1.0, 2.0]));
/// assert_eq!(f, 10.0);
/// assert_eq!(g, SVector::from([4.0, 13.0]));
/// assert_eq!(h, SMatrix::<f64, 2, 2>::new(4.0, 2.0, 2.0, 12.0));
/// ```
#[inline]
pub fn hessian<T: Scalar, const N: usize>(
    f: impl FnOnce(&SVector<Jet<Jet<T, N>, N>, N>) -> Jet<Jet<T, N>, N>,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>, SMatrix<T, N, N>) {
    let inner = seed(x);
    let outer = SVector::from_fn(|i, _| Jet::variable(inner[i], i));
    let r = f(&outer);
    let grad = SVector::from(r.re.eps);
    let hess = SMatrix::from_fn(|i, j| r.eps[i].eps[j]);
    (r.re.re, grad, hess)
}
