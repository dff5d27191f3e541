use super::Chunk;
use crate::{AnyScalar, Jet};
use nalgebra::{SMatrix, SVector};

/// Value, gradient and Hessian of `f: Rᴺ → R` at `x`, in one pass.
///
/// The Hessian is the Jacobian of the gradient: the input is seeded as a jet of jets
/// (forward over forward), so `H[(i, j)] = ∂²f / ∂xᵢ∂xⱼ`. The entries on and above the diagonal
/// are computed and mirrored, so `H` is exactly symmetric.
///
/// A call with `N >` [`CLOSURE_HESSIAN_LIMIT`](crate::diff::size::CLOSURE_HESSIAN_LIMIT) does not compile
/// (its input alone is `8·N·(N + 1)²` bytes): use [`hessian_chunked`] or
/// [`ScalarFn::hessian`](crate::ScalarFn::hessian), which work in blocks.
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
pub fn hessian<T: AnyScalar, const N: usize>(
    f: impl FnOnce(&SVector<Jet<Jet<T, N>, N>, N>) -> Jet<Jet<T, N>, N>,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>, SMatrix<T, N, N>) {
    const {
        assert!(
            N <= super::size::CLOSURE_HESSIAN_LIMIT,
            "hessian: N is above CLOSURE_HESSIAN_LIMIT; use hessian_chunked(f, x, Chunk::<8>) or implement ScalarFn and call ScalarFn::hessian"
        )
    };
    let mut out = (
        T::zero(),
        filled!(T::zero(); N),
        filled_matrix!(T::zero(); N, N),
    );
    out.0 = one_pass_into(f, x, &mut out.1, &mut out.2);
    out
}

/// [`hessian`] without the size guard, writing the gradient and the Hessian into `grad` and
/// `hess` and returning the value.
#[inline]
pub(super) fn one_pass_into<T: AnyScalar, const N: usize>(
    f: impl FnOnce(&SVector<Jet<Jet<T, N>, N>, N>) -> Jet<Jet<T, N>, N>,
    x: &SVector<T, N>,
    grad: &mut SVector<T, N>,
    hess: &mut SMatrix<T, N, N>,
) -> T {
    let r = f(&SVector::from_fn(|i, _| {
        Jet::variable(Jet::variable(x[i], i), i)
    }));
    for i in 0..N {
        grad[i] = r.re.eps[i];
        for j in i..N {
            hess[(i, j)] = r.eps[i].eps[j];
            hess[(j, i)] = r.eps[i].eps[j];
        }
    }
    r.re.re
}

/// Value, gradient and Hessian of `f: Rᴺ → R`, in `C × C` blocks: one pass per block on or above
/// the diagonal, `b(b + 1)/2` passes for `b = ⌈N / C⌉`, each with duals of `C` inner and `C` outer
/// tangents. The lower triangle is mirrored, so `H` is exactly symmetric.
///
/// The stack holds the input, `N` duals of `(C + 1)²` parts each, and the output, `N² + N + 1`
/// values; it does not grow with the number of blocks. Every entry is computed by the same floating-point operations as in
/// [`hessian`], so the result is bit-for-bit the same. A chunk size of `0` is a compile-time error.
///
/// ```
/// use dualgrad::{Chunk, Scalar, hessian, hessian_chunked};
/// use nalgebra::SVector;
///
/// // f = Σ xᵢ² xᵢ₊₁: H has 2xᵢ₊₁ on the diagonal, 2xᵢ beside it. A generic function, not a
/// // closure: the two calls evaluate it at different dual types.
/// fn f<T: Scalar>(x: &SVector<T, 3>) -> T {
///     x[0] * x[0] * x[1] + x[1] * x[1] * x[2]
/// }
/// let x = SVector::from([1.0, 2.0, 3.0]);
/// let (v, g, h) = hessian_chunked(f, &x, Chunk::<2>);
/// assert_eq!(v, 14.0); // 1·2 + 4·3
/// assert_eq!(g, SVector::from([4.0, 13.0, 4.0])); // (2x₀x₁, x₀² + 2x₁x₂, x₁²)
/// assert_eq!(h.row(0).transpose(), SVector::from([4.0, 2.0, 0.0]));
/// assert_eq!(h.row(1).transpose(), SVector::from([2.0, 6.0, 4.0]));
/// assert_eq!(h.row(2).transpose(), SVector::from([0.0, 4.0, 0.0]));
/// assert_eq!((v, g, h), hessian(f, &x));
/// ```
pub fn hessian_chunked<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<Jet<T, C>, C>, N>) -> Jet<Jet<T, C>, C>,
    x: &SVector<T, N>,
    _chunk: Chunk<C>,
) -> (T, SVector<T, N>, SMatrix<T, N, N>) {
    let mut out = (
        T::zero(),
        filled!(T::zero(); N),
        filled_matrix!(T::zero(); N, N),
    );
    out.0 = blocks_into(f, x, &mut out.1, &mut out.2);
    out
}

/// [`hessian_chunked`], writing the gradient and the Hessian into `grad` and `hess` and
/// returning the value.
pub(super) fn blocks_into<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<Jet<T, C>, C>, N>) -> Jet<Jet<T, C>, C>,
    x: &SVector<T, N>,
    grad: &mut SVector<T, N>,
    hess: &mut SMatrix<T, N, N>,
) -> T {
    const {
        assert!(
            C > 0,
            "hessian_chunked: the block size C must be at least 1"
        )
    };
    let constant = |v: T| Jet::constant(Jet::constant(v));
    let mut xs = filled!(constant(T::zero()); N);
    for i in 0..N {
        xs[i] = constant(x[i]);
    }
    let mut value = None;
    for rows in (0..N).step_by(C) {
        let rows = rows..(rows + C).min(N);
        for cols in (rows.start..N).step_by(C) {
            let cols = cols..(cols + C).min(N);
            for (a, i) in rows.clone().enumerate() {
                xs[i].eps[a] = Jet::constant(T::one());
            }
            for (b, j) in cols.clone().enumerate() {
                xs[j].re.eps[b] = T::one();
            }
            let r = f(&xs);
            value.get_or_insert(r.re.re);
            if rows.start == cols.start {
                for (b, j) in cols.clone().enumerate() {
                    grad[j] = r.re.eps[b];
                }
            }
            for (a, i) in rows.clone().enumerate() {
                for (b, j) in cols.clone().enumerate() {
                    if j >= i {
                        hess[(i, j)] = r.eps[a].eps[b];
                        hess[(j, i)] = r.eps[a].eps[b];
                    }
                }
            }
            for i in rows.clone().chain(cols) {
                xs[i] = constant(x[i]);
            }
        }
    }
    value.unwrap_or_else(|| f(&xs).re.re)
}
