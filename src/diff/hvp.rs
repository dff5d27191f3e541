use super::Chunk;
use crate::{AnyScalar, Jet};
use nalgebra::SVector;

/// Value, gradient and Hessian-vector product `H(x) v` of `f: Rᴺ → R`, in one pass, without
/// forming the Hessian: forward over forward with a single outer direction `v`. Each product
/// costs 3.3 times a gradient's (sums 2 times), the floor of forward over forward; measured,
/// an `hvp` is 4–6 gradients' worth of instructions (`docs/performance.md`).
///
/// The closure receives `Jet<Jet<T, N>, 1>`: the inner jet carries the gradient's `N` tangents,
/// the outer one the direction `v`. A call with `N >`
/// [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) does not compile: use
/// [`hvp_chunked`] or [`ScalarFn::hvp`](crate::ScalarFn::hvp).
///
/// ```
/// use dualgrad::hvp;
/// use nalgebra::SVector;
///
/// // f = x²y + y³: ∇f = (2xy, x² + 3y²), H = [[2y, 2x], [2x, 6y]] = [[4, 2], [2, 12]] at (1, 2)
/// let x = SVector::from([1.0, 2.0]);
/// let v = SVector::from([1.0, -1.0]);
/// let (f, g, hv) = hvp(|x| x[0] * x[0] * x[1] + x[1] * x[1] * x[1], &x, &v);
/// assert_eq!((f, g), (10.0, SVector::from([4.0, 13.0])));
/// assert_eq!(hv, SVector::from([2.0, -10.0])); // (4 − 2, 2 − 12)
/// ```
#[inline]
pub fn hvp<T: AnyScalar, const N: usize>(
    f: impl FnOnce(&SVector<Jet<Jet<T, N>, 1>, N>) -> Jet<Jet<T, N>, 1>,
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> (T, SVector<T, N>, SVector<T, N>) {
    const {
        assert!(
            N <= super::size::CLOSURE_ONE_PASS_LIMIT,
            "hvp: N is above CLOSURE_ONE_PASS_LIMIT; use hvp_chunked(f, x, v, Chunk::<8>) or implement ScalarFn and call ScalarFn::hvp"
        )
    };
    one_pass(f, x, v)
}

/// [`hvp`] without the size guard.
#[inline]
pub(super) fn one_pass<T: AnyScalar, const N: usize, const S: bool>(
    f: impl FnOnce(&SVector<Jet<Jet<T, N, S>, 1, S>, N>) -> Jet<Jet<T, N, S>, 1, S>,
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> (T, SVector<T, N>, SVector<T, N>) {
    crate::scalar::prepare_tanh();
    let r = f(&SVector::from_fn(|i, _| Jet {
        re: Jet::seeded(x[i], i),
        eps: [Jet::lifted(v[i])],
    }));
    (
        r.re.re,
        SVector::from(r.re.eps),
        SVector::from(r.eps[0].eps),
    )
}

/// Value, gradient and Hessian-vector product `H(x) v` of `f: Rᴺ → R` in `⌈N / C⌉` passes, each
/// with `C` gradient tangents and the one direction `v`: pass `k` gives the entries
/// `kC .. (k + 1)C` of `∇f` and of `H v`. The results are bit-for-bit those of [`hvp`]. A chunk
/// size of `0` is a compile-time error.
///
/// ```
/// use dualgrad::{Chunk, Scalar, hvp, hvp_chunked};
/// use nalgebra::SVector;
///
/// // f = Σ xᵢ³: H = diag(6xᵢ), so H v = 6 x ∘ v
/// fn f<T: Scalar>(x: &SVector<T, 3>) -> T {
///     x.map(|xi| xi * xi * xi).sum()
/// }
/// let (x, v) = (SVector::from([1.0, 2.0, 3.0]), SVector::from([1.0, 0.5, -1.0]));
/// let (value, g, hv) = hvp_chunked(f, &x, &v, Chunk::<2>);
/// assert_eq!(value, 36.0);
/// assert_eq!(g, SVector::from([3.0, 12.0, 27.0]));
/// assert_eq!(hv, SVector::from([6.0, 6.0, -18.0]));
/// assert_eq!((value, g, hv), hvp(f, &x, &v));
/// ```
pub fn hvp_chunked<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<Jet<T, C>, 1>, N>) -> Jet<Jet<T, C>, 1>,
    x: &SVector<T, N>,
    v: &SVector<T, N>,
    _chunk: Chunk<C>,
) -> (T, SVector<T, N>, SVector<T, N>) {
    const { assert!(C > 0, "hvp_chunked: the chunk size C must be at least 1") };
    chunk_passes(f, x, v)
}

/// [`hvp_chunked`]'s passes, on jets with or without the NaN-safety tests (`S`; the trait form
/// runs them without first, see [`ScalarFn::hvp`](crate::ScalarFn::hvp)).
pub(super) fn chunk_passes<T: AnyScalar, const N: usize, const C: usize, const S: bool>(
    f: impl Fn(&SVector<Jet<Jet<T, C, S>, 1, S>, N>) -> Jet<Jet<T, C, S>, 1, S>,
    x: &SVector<T, N>,
    v: &SVector<T, N>,
) -> (T, SVector<T, N>, SVector<T, N>) {
    let constant = |i: usize| Jet {
        re: Jet::lifted(x[i]),
        eps: [Jet::lifted(v[i])],
    };
    let mut xs: SVector<Jet<Jet<T, C, S>, 1, S>, N> =
        filled!(Jet::lifted(Jet::lifted(T::zero())); N);
    for i in 0..N {
        xs[i] = constant(i);
    }
    let mut out = (T::zero(), filled!(T::zero(); N), filled!(T::zero(); N));
    crate::scalar::prepare_tanh();
    let mut value = None;
    for start in (0..N).step_by(C) {
        let chunk = start..(start + C).min(N);
        for (k, i) in chunk.clone().enumerate() {
            xs[i].re = Jet::seeded(x[i], k);
        }
        let r = f(&xs);
        value.get_or_insert(r.re.re);
        for (k, i) in chunk.clone().enumerate() {
            out.1[i] = r.re.eps[k];
            out.2[i] = r.eps[0].eps[k];
            xs[i] = constant(i);
        }
    }
    out.0 = value.unwrap_or_else(|| f(&xs).re.re);
    out
}
