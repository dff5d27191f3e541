use super::seed;
use crate::{AnyScalar, Jet};
use nalgebra::SVector;

/// Value and gradient of `f: Rᴺ → R` at `x`, in one pass with `N` tangents.
///
/// `f` is usually a generic function written over [`Scalar`](crate::Scalar); the closure receives the input as
/// [`Jet`]s. For large `N`, [`gradient_chunked`] keeps the dual numbers small, and
/// [`ScalarFn::gradient`](crate::ScalarFn::gradient) chooses one pass or chunks by itself.
///
/// A call with `N >` [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) does not compile:
/// its input alone, `8·N·(N + 1)` bytes, soon outgrows a thread's stack.
///
/// ```
/// use dualgrad::{Scalar, gradient};
/// use nalgebra::SVector;
///
/// fn rosenbrock<T: Scalar>(x: &SVector<T, 2>) -> T {
///     let a = -x[0] + 1.0;
///     let b = x[1] - x[0] * x[0];
///     a * a + b * b * 100.0
/// }
/// let (f, g) = gradient(|x| rosenbrock(x), &SVector::from([1.0, 1.0]));
/// assert_eq!((f, g), (0.0, SVector::from([0.0, 0.0])));
/// // at (0, 0): f = 1, ∇f = (−2(1 − x) − 400x(y − x²), 200(y − x²)) = (−2, 0)
/// let (f, g) = gradient(|x| rosenbrock(x), &SVector::from([0.0, 0.0]));
/// assert_eq!((f, g), (1.0, SVector::from([-2.0, 0.0])));
/// ```
#[inline]
pub fn gradient<T: AnyScalar, const N: usize>(
    f: impl FnOnce(&SVector<Jet<T, N>, N>) -> Jet<T, N>,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    const {
        assert!(
            N <= super::size::CLOSURE_ONE_PASS_LIMIT,
            "gradient: N is above CLOSURE_ONE_PASS_LIMIT; use gradient_chunked(f, x, Chunk::<16>) or implement ScalarFn and call ScalarFn::gradient"
        )
    };
    one_pass(f, x)
}

/// [`gradient`] without the size guard, for the trait forms (which call it only at small `N`).
#[inline]
pub(crate) fn one_pass<T: AnyScalar, const N: usize, const S: bool>(
    f: impl FnOnce(&SVector<Jet<T, N, S>, N>) -> Jet<T, N, S>,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    let seeded = seed(x);
    let r = if const { N > 16 } {
        apart(f, &seeded)
    } else {
        f(&seeded)
    };
    (r.re, SVector::from(r.eps))
}

/// `f(x)` in a function of its own, apart from the code that built `x` (the one pass calls it
/// above 16 tangents). Where the compiler sees the seeded inputs' zeros and ones, it
/// specialises the user's code to them. With a few jets of up to 16 tangents that keeps them in
/// registers: XOR and logistic regression (13 and 11 inputs) took 11 % and 14 % more
/// instructions behind the call. Wider jets live in memory anyway, and there the compiler
/// unrolls loops and splits jets into scalar code: behind the call, the iris loss takes 1.4 %
/// fewer instructions (1.2–1.7 % with its cross-entropy written out) and Rosenbrock at 50 inputs
/// 1.4 % (`benches/callgrind.sh`).
#[inline(never)]
fn apart<A, R>(f: impl FnOnce(&A) -> R, x: &A) -> R {
    f(x)
}

/// The chunk size `C` of [`gradient_chunked`], as a value: `Chunk::<8>`.
///
/// ```
/// use dualgrad::{Chunk, gradient_chunked};
/// use nalgebra::SVector;
/// // ∇ Σ xᵢ³ = 3xᵢ², in two passes of 2 tangents
/// let x = SVector::from([1.0, 2.0, 3.0]);
/// let (_, g) = gradient_chunked(|x| x.map(|xi| xi * xi * xi).sum(), &x, Chunk::<2>);
/// assert_eq!(g, SVector::from([3.0, 12.0, 27.0]));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Chunk<const C: usize>;

/// Value and gradient of `f: Rᴺ → R`, in `⌈N / C⌉` passes of `C` tangents each (ForwardDiff.jl's
/// chunk mode).
///
/// Each pass seeds `C` of the inputs and treats the rest as constants, so the dual numbers hold
/// `C` partials instead of `N`: a gradient with `N = 500` does not put a 500-wide dual on the
/// stack. Every partial derivative is computed by the same floating-point operations as in
/// [`gradient`], so the result is bit-for-bit the same. The value comes from the first pass.
///
/// A chunk size of `0` is a compile-time error.
///
/// ```
/// use dualgrad::{Chunk, gradient, gradient_chunked};
/// use nalgebra::SVector;
///
/// let x = SVector::<f64, 10>::from_fn(|i, _| i as f64);
/// let sum_sq = |x: &SVector<_, 10>| x.dot(x);
/// let (f, g) = gradient_chunked(sum_sq, &x, Chunk::<4>);
/// assert_eq!(f, 285.0); // Σ i², i = 0..9
/// assert_eq!(g, x * 2.0); // ∇ Σ xᵢ² = 2x
/// assert_eq!((f, g), gradient(|x| x.dot(x), &x));
/// ```
pub fn gradient_chunked<T: AnyScalar, const N: usize, const C: usize>(
    f: impl Fn(&SVector<Jet<T, C>, N>) -> Jet<T, C>,
    x: &SVector<T, N>,
    _chunk: Chunk<C>,
) -> (T, SVector<T, N>) {
    const {
        assert!(
            C > 0,
            "gradient_chunked: the chunk size C must be at least 1"
        )
    };
    chunk_passes(f, x)
}

/// [`gradient_chunked`]'s passes, on jets with or without the first-order NaN-safety test
/// (`S`; the trait form runs them without it first, see [`ScalarFn::gradient`](crate::ScalarFn::gradient)).
#[inline]
pub(crate) fn chunk_passes<T: AnyScalar, const N: usize, const C: usize, const S: bool>(
    f: impl Fn(&SVector<Jet<T, C, S>, N>) -> Jet<T, C, S>,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    let mut xs = filled!(Jet::lifted(T::zero()); N);
    for i in 0..N {
        xs[i] = Jet::lifted(x[i]);
    }
    let mut grad = filled!(T::zero(); N);
    crate::scalar::prepare_tanh();
    let mut value = None;
    for start in (0..N).step_by(C) {
        let end = (start + C).min(N);
        for (k, i) in (start..end).enumerate() {
            xs[i] = Jet::seeded(x[i], k);
        }
        let r = f(&xs);
        value.get_or_insert(r.re);
        for (k, i) in (start..end).enumerate() {
            grad[i] = r.eps[k];
            xs[i] = Jet::lifted(x[i]);
        }
    }
    let value = value.unwrap_or_else(|| f(&xs).re);
    (value, grad)
}
