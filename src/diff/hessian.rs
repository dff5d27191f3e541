use super::Chunk;
use super::size::{boxed_zeros, result_on_heap};
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
pub(super) fn one_pass_into<T: AnyScalar, const N: usize, const S: bool>(
    f: impl FnOnce(&SVector<Jet<Jet<T, N, S>, N, S>, N>) -> Jet<Jet<T, N, S>, N, S>,
    x: &SVector<T, N>,
    grad: &mut SVector<T, N>,
    hess: &mut SMatrix<T, N, N>,
) -> T {
    crate::scalar::prepare_tanh();
    let r = f(&SVector::from_fn(|i, _| {
        Jet::seeded(Jet::seeded(x[i], i), i)
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
/// The stack holds the input, `N` duals of `(C + 1)²` parts each, and, for results up to
/// [`HEAP_RESULT_BYTES`](super::size::HEAP_RESULT_BYTES), the output; it does not grow with the
/// number of blocks. A larger Hessian is assembled on the heap and moved once into the caller's
/// slot, so the stack then holds only the caller's own copies of it (two in a debug build when
/// the tuple is destructured: `let (_, g, h) = …` at `N = 200` fits a 2 MiB debug thread). Above
/// a few hundred inputs take [`hessian_chunked_boxed`] or [`hessian_chunked_into`]. Every entry
/// is computed by the same floating-point operations as in [`hessian`], so the result is
/// bit-for-bit the same. A chunk size of `0` is a compile-time error.
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
    // each path in a never-inlined function, whose result is written straight into the
    // caller's slot: the frame of the path not taken (an N × N matrix) is never allocated
    if result_on_heap::<T, N, N>() {
        blocks_via_heap(f, x)
    } else {
        blocks_on_stack(f, x)
    }
}

#[inline(never)]
fn blocks_on_stack<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<Jet<T, C>, C>, N>) -> Jet<Jet<T, C>, C>,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>, SMatrix<T, N, N>) {
    let mut out = (
        T::zero(),
        filled!(T::zero(); N),
        filled_matrix!(T::zero(); N, N),
    );
    out.0 = blocks_into(f, x, &mut out.1, &mut out.2);
    out
}

#[inline(never)]
fn blocks_via_heap<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<Jet<T, C>, C>, N>) -> Jet<Jet<T, C>, C>,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>, SMatrix<T, N, N>) {
    let (value, grad, hess) = hessian_chunked_boxed(f, x, Chunk::<C>);
    // moved from the heap into the caller's slot, with no copy in this frame
    (value, grad, *hess)
}

/// [`hessian_chunked`] with the Hessian in a `Box`: the matrix never touches the stack, at any
/// `N` (one allocation of `8·N²` bytes for `f64`). The form for large `N`, where a by-value
/// `N × N` matrix outgrows a thread's stack.
///
/// ```
/// use dualgrad::{Chunk, Scalar, hessian_chunked_boxed};
/// use nalgebra::SVector;
///
/// // f = Σ xᵢ xᵢ₊₁: H has 1 beside the diagonal, 0 elsewhere
/// fn chain<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
///     (0..N - 1).fold(T::zero(), |s, i| s + x[i] * x[i + 1])
/// }
/// let x = SVector::<f64, 120>::repeat(1.0);
/// let (f, g, h) = hessian_chunked_boxed(chain, &x, Chunk::<8>); // h: 113 KiB on the heap
/// assert_eq!((f, g[0], g[1]), (119.0, 1.0, 2.0));
/// assert_eq!((h[(3, 4)], h[(4, 3)], h[(3, 3)], h[(3, 5)]), (1.0, 1.0, 0.0, 0.0));
/// ```
pub fn hessian_chunked_boxed<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<Jet<T, C>, C>, N>) -> Jet<Jet<T, C>, C>,
    x: &SVector<T, N>,
    _chunk: Chunk<C>,
) -> (T, SVector<T, N>, Box<SMatrix<T, N, N>>) {
    let mut grad = filled!(T::zero(); N);
    let mut hess = boxed_zeros::<T, N, N>();
    let value = blocks_into(f, x, &mut grad, &mut hess);
    (value, grad, hess)
}

/// [`hessian_chunked`] writing the gradient and the Hessian into storage the caller owns (every
/// entry is overwritten), and returning the value: no allocation and no copy of the matrix, so
/// a loop that takes many Hessians reuses one. For large `N`, allocate the matrix with
/// [`boxed_zeros`].
///
/// ```
/// use dualgrad::diff::size::boxed_zeros;
/// use dualgrad::{Chunk, hessian_chunked_into};
/// use nalgebra::{SMatrix, SVector};
///
/// // f = (Σ xᵢ)²: H = 2 everywhere
/// let x = SVector::<f64, 50>::repeat(0.1);
/// let mut g = SVector::zeros();
/// let mut h: Box<SMatrix<f64, 50, 50>> = boxed_zeros();
/// let f = hessian_chunked_into(|x| x.sum() * x.sum(), &x, Chunk::<8>, &mut g, &mut h);
/// assert!((f - 25.0).abs() < 1e-12);
/// assert!((g[0] - 10.0).abs() < 1e-12); // 2 Σ xᵢ
/// assert!(h.iter().all(|&hij| hij == 2.0));
/// ```
pub fn hessian_chunked_into<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<Jet<T, C>, C>, N>) -> Jet<Jet<T, C>, C>,
    x: &SVector<T, N>,
    _chunk: Chunk<C>,
    grad: &mut SVector<T, N>,
    hess: &mut SMatrix<T, N, N>,
) -> T {
    blocks_into(f, x, grad, hess)
}

/// [`hessian_chunked`], writing the gradient and the Hessian into `grad` and `hess` and
/// returning the value.
pub(super) fn blocks_into<T: AnyScalar, const N: usize, const C: usize, const S: bool>(
    f: impl Fn(&SVector<Jet<Jet<T, C, S>, C, S>, N>) -> Jet<Jet<T, C, S>, C, S>,
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
    let constant = |v: T| Jet::<Jet<T, C, S>, C, S>::lifted(Jet::lifted(v));
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
                xs[i].eps[a] = Jet::lifted(T::one());
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
