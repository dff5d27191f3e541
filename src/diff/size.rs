//! The one size policy: when the derivative entry points take one pass and when they split the
//! inputs into chunks (gradients, Jacobians, Hessian-vector products) or blocks (Hessians), and
//! where the one-pass closure forms stop compiling, so that no call overflows a 2 MiB stack.
//! Every path of the crate that differentiates a function of many inputs (the trait forms, the
//! models' generic path, the objectives, a differentiated training run) decides here. The numbers
//! were chosen by measurement (`docs/performance.md`).
//!
//! ```
//! use dualgrad::diff::size::{CLOSURE_ONE_PASS_LIMIT, GRADIENT_CHUNK, GRADIENT_ONE_PASS_MAX};
//! // ScalarFn::gradient takes one pass up to CLOSURE_ONE_PASS_LIMIT inputs, chunks above;
//! // the trait forms' Jacobians and Hessian-vector products up to GRADIENT_ONE_PASS_MAX.
//! assert!(GRADIENT_CHUNK <= GRADIENT_ONE_PASS_MAX && GRADIENT_ONE_PASS_MAX <= CLOSURE_ONE_PASS_LIMIT);
//! ```

use super::fn_traits::ScalarFn;
use super::{Chunk, gradient, gradient_chunked};
use crate::{AnyScalar, Jet, Scalar};
use nalgebra::{SMatrix, SVector};

/// The trait forms' Jacobians and Hessian-vector products ([`VectorFn::jacobian`](super::VectorFn::jacobian),
/// [`ScalarFn::hvp`]) take one pass up to this many inputs, and chunks above ([`GRADIENT_CHUNK`]
/// and [`HVP_CHUNK`] tangents; a Jacobian of up to [`CLOSURE_ONE_PASS_LIMIT`] inputs whose
/// one-pass output, `M · (N + 1)` numbers, is at most `80 · 84` still takes one pass); so do
/// gradients at jet inputs (nested forward mode, as in
/// [`BatchLoss::loss_and_gradient_at`](crate::objective::BatchLoss::loss_and_gradient_at)).
/// [`ScalarFn::gradient`] takes one pass up to [`CLOSURE_ONE_PASS_LIMIT`] inputs: a function
/// whose values cost more than their tangents (an MLP loss with its `tanh` and `exp`) pays the
/// values again in every chunk.
///
/// ```
/// // the Jacobian of 50 residuals in 50 variables takes ⌈50 / 16⌉ = 4 chunks
/// assert!(50 > dualgrad::diff::size::GRADIENT_ONE_PASS_MAX);
/// assert_eq!(50usize.div_ceil(dualgrad::diff::size::GRADIENT_CHUNK), 4);
/// ```
pub const GRADIENT_ONE_PASS_MAX: usize = 32;

/// The chunk width (tangents per pass) of [`ScalarFn::gradient`] above
/// [`CLOSURE_ONE_PASS_LIMIT`] inputs and of the trait forms' Jacobians above
/// [`GRADIENT_ONE_PASS_MAX`].
///
/// ```
/// assert_eq!(2000usize.div_ceil(dualgrad::diff::size::GRADIENT_CHUNK), 125);
/// ```
pub const GRADIENT_CHUNK: usize = 16;

/// [`ScalarFn::hessian`] takes the Hessian in one pass up to this many inputs, and in blocks of
/// [`HESSIAN_BLOCK`] × [`HESSIAN_BLOCK`] above.
///
/// Measured (callgrind, release): at `N = 10` one pass costs 40,745 instructions per Hessian of
/// a Rosenbrock function, blocks of 8 × 8 66,089. At `N = 16` a one-pass input is 37 KiB.
///
/// ```
/// assert_eq!(dualgrad::diff::size::HESSIAN_ONE_PASS_MAX, dualgrad::diff::size::CLOSURE_HESSIAN_LIMIT);
/// ```
pub const HESSIAN_ONE_PASS_MAX: usize = 16;

/// The block width of [`ScalarFn::hessian`] above [`HESSIAN_ONE_PASS_MAX`] inputs: a Hessian of
/// `N` inputs takes `b(b + 1)/2` passes with `b = ⌈N / HESSIAN_BLOCK⌉` (the blocks on and above
/// the diagonal; the rest is mirrored).
///
/// ```
/// // the 67-parameter iris MLP: b = 9 block rows, 45 passes
/// let b = 67usize.div_ceil(dualgrad::diff::size::HESSIAN_BLOCK);
/// assert_eq!(b * (b + 1) / 2, 45);
/// ```
pub const HESSIAN_BLOCK: usize = 8;

/// The chunk width of [`ScalarFn::hvp`] above [`GRADIENT_ONE_PASS_MAX`] inputs.
///
/// ```
/// assert_eq!(2000usize.div_ceil(dualgrad::diff::size::HVP_CHUNK), 250);
/// ```
pub const HVP_CHUNK: usize = 8;

/// The largest `N` at which the one-pass closure forms [`gradient`], [`jacobian`](super::jacobian) and [`hvp`](super::hvp)
/// compile. Above it, use the `*_chunked` forms or implement [`ScalarFn`] / [`VectorFn`](super::VectorFn).
///
/// At the limit, a one-pass gradient's input is `8·80·81` bytes = 51 KiB, and a debug build's
/// copies of it and of the function's own `N`-wide temporaries stay far inside a 2 MiB thread
/// (`tests/diff/envelope.rs`); at `N = 128` a Jacobian whose function builds its output with
/// `SVector::from_fn` already overflowed one. The limit is above the 67 parameters of the iris
/// MLP, whose gradient is fastest in one pass.
///
/// ```
/// assert_eq!(dualgrad::diff::size::CLOSURE_ONE_PASS_LIMIT, 80);
/// ```
pub const CLOSURE_ONE_PASS_LIMIT: usize = 80;

/// The largest `N` at which the one-pass closure form [`hessian`](super::hessian) compiles. Above it, use
/// [`hessian_chunked`](super::hessian_chunked) or [`ScalarFn::hessian`].
///
/// At the limit the input is `8·16·17²` bytes = 36 KiB.
///
/// ```
/// assert_eq!(dualgrad::diff::size::CLOSURE_HESSIAN_LIMIT, 16);
/// ```
pub const CLOSURE_HESSIAN_LIMIT: usize = 16;

/// A dense result (a Hessian or Jacobian returned by value) larger than this many bytes is
/// assembled on the heap and moved once into the caller's slot, so the call's own frames hold no
/// copy of it; up to this size it is assembled on the stack, with no allocation.
///
/// What stays on the stack is the caller's: a debug build keeps the returned tuple and, when it
/// is destructured (`let (_, g, h) = …`), the bindings too, two copies of the matrix in the
/// caller's frame (`2·8·N²` bytes: 625 KiB at `N = 200`). Above a few hundred inputs, or to
/// reuse storage, take the `_boxed` forms ([`ScalarFn::hessian_boxed`],
/// [`VectorFn::jacobian_boxed`](super::VectorFn::jacobian_boxed),
/// [`hessian_chunked_boxed`](super::hessian_chunked_boxed),
/// [`jacobian_chunked_boxed`](super::jacobian_chunked_boxed)), which return the matrix in a
/// `Box`, or the `_into` forms, which write into storage the caller owns.
///
/// ```
/// // a 90 × 90 Hessian (63 KiB) is assembled on the stack, a 91 × 91 one (65 KiB) on the heap
/// use dualgrad::diff::size::HEAP_RESULT_BYTES;
/// assert!(8 * 90 * 90 <= HEAP_RESULT_BYTES && 8 * 91 * 91 > HEAP_RESULT_BYTES);
/// ```
pub const HEAP_RESULT_BYTES: usize = 64 * 1024;

/// Whether an `R × C` result of `T` is assembled on the heap ([`HEAP_RESULT_BYTES`]).
#[inline]
pub(super) const fn result_on_heap<T, const R: usize, const C: usize>() -> bool {
    R * C * size_of::<T>() > HEAP_RESULT_BYTES
}

/// An `R × C` matrix of zeros allocated directly on the heap: no copy of it is ever on the
/// stack, whatever its size (`Box::new(SMatrix::zeros())` builds it on the stack first, several
/// times over in a debug build). Storage for the `_into` forms at large sizes.
///
/// ```
/// use dualgrad::diff::size::boxed_zeros;
/// use dualgrad::{Scalar, ScalarFn};
/// use nalgebra::{SMatrix, SVector};
///
/// /// f = Σ xᵢ³: H = diag(6xᵢ)
/// struct Cubes;
/// impl ScalarFn<120> for Cubes {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 120>) -> T {
///         x.iter().fold(T::zero(), |s, &xi| s + xi * xi * xi)
///     }
/// }
/// let x = SVector::<f64, 120>::repeat(0.5);
/// let mut g = SVector::zeros();
/// let mut h: Box<SMatrix<f64, 120, 120>> = boxed_zeros();
/// let f = Cubes.hessian_into(&x, &mut g, &mut h); // 113 KiB, on the heap
/// assert_eq!((f, g[7], h[(7, 7)], h[(7, 8)]), (15.0, 0.75, 3.0, 0.0));
/// ```
pub fn boxed_zeros<T: AnyScalar, const R: usize, const C: usize>() -> Box<SMatrix<T, R, C>> {
    let columns: Box<[[T; R]]> = vec![[T::zero(); R]; C].into_boxed_slice();
    let Ok(columns) = Box::<[[T; R]; C]>::try_from(columns) else {
        unreachable!("vec! of C columns has C columns")
    };
    // SAFETY: `SMatrix<T, R, C>` is `Matrix<T, Const<R>, Const<C>, ArrayStorage<T, R, C>>`;
    // `Matrix` is `#[repr(C)]` with the storage as its first field followed only by a
    // zero-sized `PhantomData`, and `ArrayStorage` is `#[repr(transparent)]` over `[[T; R]; C]`
    // (nalgebra 0.35, `base/matrix.rs` and `base/array_storage.rs`). So the two types have the
    // same size, alignment and layout; the allocation made for `[[T; R]; C]` is freed with that
    // same layout when the `Box<SMatrix<T, R, C>>` drops, and every bit pattern the array holds
    // (initialised `T`s) is a valid matrix. The pointer comes from `Box::into_raw` and is used
    // once.
    #[allow(unsafe_code)]
    unsafe {
        Box::from_raw(Box::into_raw(columns).cast::<SMatrix<T, R, C>>())
    }
}

/// Value and gradient of `f` at `x`, of any scalar type (nested forward mode when `x` holds
/// jets): one pass up to [`CLOSURE_ONE_PASS_LIMIT`] inputs at first order and up to
/// [`GRADIENT_ONE_PASS_MAX`] when `x` holds jets (whose one pass is as many times larger as the
/// jets are wide: at 80 inputs of jets of 3 a debug build overflowed a 2 MiB thread), chunks of
/// [`GRADIENT_CHUNK`] above. The two give bit-identical results.
///
/// At first order the passes run on jets without the NaN-safety test of the chain rule
/// (`Jet<T, _, false>`), and the checked passes run only when a partial is not finite: see
/// [`ScalarFn::gradient`] for why that gives the checked result's bits. At jet inputs the
/// passes are checked.
#[inline]
pub(crate) fn gradient_at<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    if T::NDERIV > 0 {
        // jets of jets: checked at every level (unchecked jets would skip the inner levels'
        // tests too), and the narrower one pass
        return if N <= GRADIENT_ONE_PASS_MAX {
            checked_one_pass(f, x)
        } else {
            checked_chunks(f, x)
        };
    }
    if const { N < 4 } {
        // a few numbers: the unchecked pass inline in the caller, whose stack it hardly uses
        let pass = gradient::one_pass(|x: &SVector<Jet<T, N, false>, N>| f.eval(x), x);
        return or_checked(pass, || checked_one_pass(f, x));
    }
    if N <= CLOSURE_ONE_PASS_LIMIT {
        gradient_one_pass(f, x)
    } else {
        gradient_chunks(f, x)
    }
}

// The two paths each live in a function that is never inlined, so the stack frame of the path
// not taken (an N-wide dual for large N) is never allocated.

#[inline(never)]
fn gradient_one_pass<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    // from 4 inputs (below, `gradient_at` runs the pass inline) up to CLOSURE_ONE_PASS_LIMIT;
    // unguarded above, where it is instantiated but never run
    wide_width!(N, W => crate::jet::wide_or(
        (),
        |()| unchecked_pass::<F, T, N, W>(f, x).unwrap_or_else(|| checked_one_pass(f, x)),
        |()| default_one_pass(f, x),
    ))
}

/// The default path's one pass, in a function of its own: compiled beside the AVX2 copy's
/// instance, the same pass took more instructions (XOR 12 % more).
#[inline(never)]
fn default_one_pass<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    or_checked(unchecked_one_pass(f, x), || checked_one_pass(f, x))
}

/// An unchecked pass's value and gradient `pass`, or the `checked` evaluation's where a partial
/// of `pass` is not finite.
#[inline(always)]
fn or_checked<T: Scalar, const N: usize>(
    pass: (T, SVector<T, N>),
    checked: impl FnOnce() -> (T, SVector<T, N>),
) -> (T, SVector<T, N>) {
    if super::any_not_finite(pass.1.as_slice()) {
        checked()
    } else {
        pass
    }
}

/// The default path's unchecked pass, in a function of its own.
#[inline(never)]
fn unchecked_one_pass<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    gradient::one_pass(|x: &SVector<Jet<T, N, false>, N>| f.eval(x), x)
}

#[inline(never)]
fn gradient_chunks<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    let pass = gradient::chunk_passes(|x: &SVector<Jet<T, GRADIENT_CHUNK, false>, N>| f.eval(x), x);
    or_checked(pass, || checked_chunks(f, x))
}

/// One pass with `W ≥ N` tangents (the last `W - N` zero: the `wide_width` macro in `diff`), on
/// jets without the first-order NaN-safety test; `None` when a partial is not finite,
/// where the careful pass may give another result. The value and the partials are the same bits
/// as in one pass with `N` tangents.
#[inline]
fn unchecked_pass<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize, const W: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> Option<(T, SVector<T, N>)> {
    crate::scalar::prepare_tanh();
    let r = f.eval(&SVector::<Jet<T, W, false>, N>::from_fn(|i, _| {
        Jet::seeded(x[i], i)
    }));
    let g = SVector::<T, N>::from_fn(|i, _| r.eps[i]);
    (!super::any_not_finite(g.as_slice())).then_some((r.re, g))
}

/// The checked one pass, out of line: at first order it runs only where a partial was not
/// finite.
#[inline(never)]
fn checked_one_pass<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    gradient::one_pass(|x: &SVector<Jet<T, N>, N>| f.eval(x), x)
}

/// The checked chunks, out of line: at first order they run only where a partial was not
/// finite.
#[inline(never)]
fn checked_chunks<F: ScalarFn<N> + ?Sized, T: Scalar, const N: usize>(
    f: &F,
    x: &SVector<T, N>,
) -> (T, SVector<T, N>) {
    gradient_chunked(
        |x: &SVector<Jet<T, GRADIENT_CHUNK>, N>| f.eval(x),
        x,
        Chunk::<GRADIENT_CHUNK>,
    )
}
