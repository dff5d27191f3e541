use super::size::{boxed_zeros, result_on_heap};
use super::{Chunk, seed};
use crate::{AnyScalar, Jet};
use nalgebra::{SMatrix, SVector};

/// Values and Jacobian of `f: Rᴺ → Rᴹ` at `x`: `J[(i, j)] = ∂fᵢ / ∂xⱼ`, in one pass.
///
/// A call with `N >` [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) does not compile:
/// use [`jacobian_chunked`] or [`VectorFn::jacobian`](crate::VectorFn::jacobian).
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
pub fn jacobian<T: AnyScalar, const N: usize, const M: usize>(
    f: impl FnOnce(&SVector<Jet<T, N>, N>) -> SVector<Jet<T, N>, M>,
    x: &SVector<T, N>,
) -> (SVector<T, M>, SMatrix<T, M, N>) {
    const {
        assert!(
            N <= super::size::CLOSURE_ONE_PASS_LIMIT,
            "jacobian: N is above CLOSURE_ONE_PASS_LIMIT; use jacobian_chunked(f, x, Chunk::<16>) or implement VectorFn and call VectorFn::jacobian"
        )
    };
    let mut out = (filled!(T::zero(); M), filled_matrix!(T::zero(); M, N));
    one_pass_into(f, x, &mut out.0, &mut out.1);
    out
}

/// [`jacobian`] without the size guard, writing into `values` and `jac`.
#[inline]
pub(super) fn one_pass_into<T: AnyScalar, const N: usize, const M: usize, const S: bool>(
    f: impl FnOnce(&SVector<Jet<T, N, S>, N>) -> SVector<Jet<T, N, S>, M>,
    x: &SVector<T, N>,
    values: &mut SVector<T, M>,
    jac: &mut SMatrix<T, M, N>,
) {
    let r = f(&seed(x));
    for i in 0..M {
        values[i] = r[i].re;
        for k in 0..N {
            jac[(i, k)] = r[i].eps[k];
        }
    }
}

/// Values and Jacobian of `f: Rᴺ → Rᴹ` in `⌈N / C⌉` passes of `C` tangents each: pass `k` gives
/// the columns `kC .. (k + 1)C` of `J`. The results are bit-for-bit those of [`jacobian`]; the
/// values come from the first pass. A chunk size of `0` is a compile-time error.
///
/// A Jacobian larger than [`HEAP_RESULT_BYTES`](super::size::HEAP_RESULT_BYTES) is assembled on
/// the heap and moved once into the caller's slot (see [`hessian_chunked`](super::hessian_chunked));
/// above a few hundred rows and columns take [`jacobian_chunked_boxed`] or
/// [`jacobian_chunked_into`].
///
/// ```
/// use dualgrad::{Chunk, Scalar, jacobian, jacobian_chunked};
/// use nalgebra::{SMatrix, SVector};
///
/// // f = (x₀x₁, x₁x₂, x₂): J = [[x₁, x₀, 0], [0, x₂, x₁], [0, 0, 1]]
/// fn f<T: Scalar>(x: &SVector<T, 3>) -> SVector<T, 3> {
///     SVector::from([x[0] * x[1], x[1] * x[2], x[2]])
/// }
/// let x = SVector::from([1.0, 2.0, 3.0]);
/// let (v, j) = jacobian_chunked(f, &x, Chunk::<2>);
/// assert_eq!(v, SVector::from([2.0, 6.0, 3.0]));
/// assert_eq!(j, SMatrix::<f64, 3, 3>::new(2.0, 1.0, 0.0, 0.0, 3.0, 2.0, 0.0, 0.0, 1.0));
/// assert_eq!((v, j), jacobian(f, &x));
/// ```
pub fn jacobian_chunked<T: AnyScalar, const N: usize, const M: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<T, C>, N>) -> SVector<Jet<T, C>, M>,
    x: &SVector<T, N>,
    _chunk: Chunk<C>,
) -> (SVector<T, M>, SMatrix<T, M, N>) {
    // as in `hessian_chunked`: each path in a never-inlined function
    if result_on_heap::<T, M, N>() {
        chunks_via_heap(f, x)
    } else {
        chunks_on_stack(f, x)
    }
}

#[inline(never)]
fn chunks_on_stack<T: AnyScalar, const N: usize, const M: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<T, C>, N>) -> SVector<Jet<T, C>, M>,
    x: &SVector<T, N>,
) -> (SVector<T, M>, SMatrix<T, M, N>) {
    let mut out = (filled!(T::zero(); M), filled_matrix!(T::zero(); M, N));
    chunks_into(f, x, &mut out.0, &mut out.1);
    out
}

#[inline(never)]
fn chunks_via_heap<T: AnyScalar, const N: usize, const M: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<T, C>, N>) -> SVector<Jet<T, C>, M>,
    x: &SVector<T, N>,
) -> (SVector<T, M>, SMatrix<T, M, N>) {
    let (values, jac) = jacobian_chunked_boxed(f, x, Chunk::<C>);
    (values, *jac)
}

/// [`jacobian_chunked`] with the Jacobian in a `Box`: the matrix never touches the stack, at any
/// size (one allocation of `8·M·N` bytes for `f64`).
///
/// ```
/// use dualgrad::{Chunk, Scalar, jacobian_chunked_boxed};
/// use nalgebra::SVector;
///
/// // fᵢ = xᵢ²: J = diag(2xᵢ)
/// fn squares<T: Scalar, const N: usize>(x: &SVector<T, N>) -> SVector<T, N> {
///     x.map(|xi| xi * xi)
/// }
/// let x = SVector::<f64, 300>::from_fn(|i, _| i as f64);
/// let (v, j) = jacobian_chunked_boxed(squares, &x, Chunk::<16>); // j: 703 KiB on the heap
/// assert_eq!((v[3], j[(3, 3)], j[(3, 4)]), (9.0, 6.0, 0.0));
/// ```
pub fn jacobian_chunked_boxed<T: AnyScalar, const N: usize, const M: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<T, C>, N>) -> SVector<Jet<T, C>, M>,
    x: &SVector<T, N>,
    _chunk: Chunk<C>,
) -> (SVector<T, M>, Box<SMatrix<T, M, N>>) {
    let mut values = filled!(T::zero(); M);
    let mut jac = boxed_zeros::<T, M, N>();
    chunks_into(f, x, &mut values, &mut jac);
    (values, jac)
}

/// [`jacobian_chunked`] writing the values and the Jacobian into storage the caller owns (every
/// entry is overwritten): no allocation and no copy of the matrix. For large sizes, allocate
/// the matrix with [`boxed_zeros`].
///
/// ```
/// use dualgrad::{Chunk, jacobian_chunked_into};
/// use nalgebra::{SMatrix, SVector};
///
/// // f = (x₀ + x₁, x₀x₁): J = [[1, 1], [x₁, x₀]]
/// let (mut v, mut j) = (SVector::zeros(), SMatrix::<f64, 2, 2>::zeros());
/// let x = SVector::from([2.0, 3.0]);
/// jacobian_chunked_into(|x| SVector::from([x[0] + x[1], x[0] * x[1]]), &x, Chunk::<1>, &mut v, &mut j);
/// assert_eq!((v, j), (SVector::from([5.0, 6.0]), SMatrix::<f64, 2, 2>::new(1.0, 1.0, 3.0, 2.0)));
/// ```
pub fn jacobian_chunked_into<T: AnyScalar, const N: usize, const M: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<T, C>, N>) -> SVector<Jet<T, C>, M>,
    x: &SVector<T, N>,
    _chunk: Chunk<C>,
    values: &mut SVector<T, M>,
    jac: &mut SMatrix<T, M, N>,
) {
    chunks_into(f, x, values, jac);
}

/// [`jacobian_chunked`], writing into `values` and `jac`.
pub(super) fn chunks_into<
    T: AnyScalar,
    const N: usize,
    const M: usize,
    const C: usize,
    const S: bool,
>(
    f: impl Fn(&SVector<Jet<T, C, S>, N>) -> SVector<Jet<T, C, S>, M>,
    x: &SVector<T, N>,
    values: &mut SVector<T, M>,
    jac: &mut SMatrix<T, M, N>,
) {
    const {
        assert!(
            C > 0,
            "jacobian_chunked: the chunk size C must be at least 1"
        )
    };
    let mut xs = filled!(Jet::lifted(T::zero()); N);
    for i in 0..N {
        xs[i] = Jet::lifted(x[i]);
    }
    crate::scalar::prepare_tanh();
    let mut first = true;
    for start in (0..N).step_by(C) {
        let cols = start..(start + C).min(N);
        for (k, i) in cols.clone().enumerate() {
            xs[i] = Jet::seeded(x[i], k);
        }
        let r = f(&xs);
        for m in 0..M {
            if first {
                values[m] = r[m].re;
            }
            for (k, i) in cols.clone().enumerate() {
                jac[(m, i)] = r[m].eps[k];
            }
        }
        first = false;
        for i in cols {
            xs[i] = Jet::lifted(x[i]);
        }
    }
    if first {
        let r = f(&xs);
        for m in 0..M {
            values[m] = r[m].re;
        }
    }
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
pub fn jvp<T: AnyScalar, const N: usize, const M: usize>(
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
pub fn directional_derivative<T: AnyScalar, const N: usize>(
    f: impl FnOnce(&SVector<Jet<T, 1>, N>) -> Jet<T, 1>,
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> (T, T) {
    let r = f(&directed(x, v));
    (r.re, r.eps[0])
}

/// `x` with the single tangent `v`.
#[inline]
fn directed<T: AnyScalar, const N: usize>(
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> SVector<Jet<T, 1>, N> {
    SVector::from_fn(|i, _| Jet::new(x[i], [v[i]]))
}
