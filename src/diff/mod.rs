//! Derivatives of generic functions on statically sized `nalgebra` types.
//!
//! Every entry point evaluates the function once (or once per chunk) on dual numbers and returns
//! the value together with its derivatives, with no heap allocation (except one, for a dense
//! result larger than [`HEAP_RESULT_BYTES`](size::HEAP_RESULT_BYTES); see below):
//!
//! | what | closure form, one pass | closure form, chunked | trait form (chooses) |
//! |---|---|---|---|
//! | `f: R → R`, first, second, third derivative | [`derivative`], [`second_derivative`], [`third_derivative`] | | |
//! | gradient of `f: Rᴺ → R` | [`gradient`] | [`gradient_chunked`] | [`ScalarFn::gradient`] |
//! | Hessian of `f: Rᴺ → R` | [`hessian`] | [`hessian_chunked`] (`C × C` blocks) | [`ScalarFn::hessian`] |
//! | Hessian-vector product `H(x) v` | [`hvp`] | [`hvp_chunked`] | [`ScalarFn::hvp`] |
//! | directional derivative `∇f(x)·v` | [`directional_derivative`] | (one tangent) | [`ScalarFn::directional_derivative`] |
//! | Jacobian of `f: Rᴺ → Rᴹ` | [`jacobian`] | [`jacobian_chunked`] | [`VectorFn::jacobian`] |
//! | Jacobian-vector product `J(x) v` | [`jvp`] | (one tangent) | [`VectorFn::jvp`] |
//!
//! The dense matrices have two more forms each, for large sizes: `_boxed`
//! ([`hessian_chunked_boxed`], [`jacobian_chunked_boxed`], [`ScalarFn::hessian_boxed`],
//! [`VectorFn::jacobian_boxed`]) returns the matrix in a `Box`, and `_into`
//! ([`hessian_chunked_into`], [`jacobian_chunked_into`], [`ScalarFn::hessian_into`],
//! [`VectorFn::jacobian_into`]) writes into storage the caller owns
//! ([`boxed_zeros`](size::boxed_zeros) allocates it on the heap).
//!
//! Closures are the easy path when the function is needed at one scalar type. A function that
//! must run at several types (the gradient checker evaluates it on `f64` and on duals, the
//! optimizers ask for gradients and Hessians) implements [`ScalarFn`] or [`VectorFn`] once.
//! The trait form is also the fast gradient and Jacobian on x86-64 processors with AVX2:
//! [`ScalarFn::gradient`] and [`VectorFn::jacobian`] run a copy compiled for AVX2, chosen at run
//! time, with the same bits ([`wide_vectors`](crate::jet::wide_vectors) says why the closure
//! forms cannot).
//!
//! # Sizes and the stack
//!
//! Dual numbers live on the stack. A one-pass gradient seeds `N` tangents in each of the `N`
//! inputs, `8·N·(N + 1)` bytes (32 MB at `N = 2000`), and a one-pass Hessian `8·N·(N + 1)²`
//! bytes; no thread stack holds that at large `N`. So:
//!
//! - the **trait forms** ([`ScalarFn::gradient`], [`ScalarFn::hessian`], [`ScalarFn::hvp`],
//!   [`VectorFn::jacobian`]) choose by themselves: one pass up to [`GRADIENT_ONE_PASS_MAX`](size::GRADIENT_ONE_PASS_MAX)
//!   (gradients: [`CLOSURE_ONE_PASS_LIMIT`](size::CLOSURE_ONE_PASS_LIMIT); Hessians:
//!   [`HESSIAN_ONE_PASS_MAX`](size::HESSIAN_ONE_PASS_MAX)) inputs, chunks of [`GRADIENT_CHUNK`](size::GRADIENT_CHUNK) tangents
//!   (Hessians: blocks of [`HESSIAN_BLOCK`](size::HESSIAN_BLOCK) × [`HESSIAN_BLOCK`](size::HESSIAN_BLOCK); Hessian-vector products:
//!   chunks of [`HVP_CHUNK`](size::HVP_CHUNK)) above. Each path lives in its own never-inlined function, so the
//!   frame of the path not taken is never allocated. Both paths give bit-identical results.
//! - a **closure** has a single argument type, so the one-pass closure forms cannot switch
//!   width (that would need `generic_const_exprs`). They are guarded at compile time: above
//!   [`CLOSURE_ONE_PASS_LIMIT`](size::CLOSURE_ONE_PASS_LIMIT) inputs ([`CLOSURE_HESSIAN_LIMIT`](size::CLOSURE_HESSIAN_LIMIT) for [`hessian`]) a call does
//!   not compile, and the message names the chunked form and [`ScalarFn`]. The `*_chunked`
//!   closure forms take the chunk width `C` explicitly and work at any `N`.
//!
//! What one call puts on the stack besides the function's own frame is the input (`N` duals of
//! `C` tangents: `8·N·(C + 1)` bytes for a gradient chunk, `8·N·(C + 1)²` for a Hessian block)
//! and the output (`8·N` bytes, `8·N²` for a Hessian). A dense Hessian or Jacobian larger than
//! [`HEAP_RESULT_BYTES`](size::HEAP_RESULT_BYTES) (64 KiB: `N > 90` for a square `f64`
//! matrix) is assembled on the heap and moved once into the caller's slot, so the call's own
//! frames hold no copy of it; the caller's frame holds the returned value (twice in a debug
//! build when the tuple is destructured: 625 KiB at `N = 200`, which fits a 2 MiB thread). The
//! `_boxed` and `_into` forms keep the matrix off the stack entirely, at any size.
//! `docs/performance.md` gives the measured figures.
//!
//! All entry points are generic over the scalar `T` of the input, so they nest: a gradient can be
//! taken inside a function that is itself being differentiated.

// Constructors for the large values of the chunked paths. nalgebra's `zeros` and `from_fn` pass
// the storage by value through several generic layers, and a debug build gives each layer its
// own copy (measured in a debug build: a 312 KiB matrix from `zeros()` peaks at 2.5 MiB of
// stack, from `from_array_storage` at 1.2 MiB, from `SMatrix::from([[v; R]; C])` at 0.9 MiB). These are macros, not functions, so that no further
// layer (and copy) is added.

/// A vector of `$n` entries `$v`.
macro_rules! filled {
    ($v:expr; $n:ident) => {
        nalgebra::SVector::from([$v; $n])
    };
}

/// An `$r × $c` matrix with every entry `$v`.
macro_rules! filled_matrix {
    ($v:expr; $r:ident, $c:ident) => {
        nalgebra::SMatrix::from([[$v; $r]; $c])
    };
}

/// `$body` with the constant `$w` set to the tangent width of the AVX2 copies of
/// [`ScalarFn::gradient`] and [`VectorFn::jacobian`] for `$n` inputs (`$n` from 4 to [`CLOSURE_ONE_PASS_LIMIT`](size::CLOSURE_ONE_PASS_LIMIT)): the
/// smallest `4k + 3` above `$n`. A jet of `4k + 3` tangents is `k + 1` whole AVX2 vectors, and a
/// width other than `$n` (and than [`GRADIENT_CHUNK`](size::GRADIENT_CHUNK)) makes the AVX2 copy
/// evaluate the user's function at its own type: an instance called from that copy only, which
/// the compiler therefore inlines into it (see `src/jet/wide.rs`). The padded tangents are zero
/// and never read, and each partial is computed by its own operations whatever the other
/// tangents hold (as in the chunked forms), so the results are the same bits.
macro_rules! wide_width {
    ($n:expr, $w:ident => $body:expr) => {
        if $n < 7 {
            const $w: usize = 7;
            $body
        } else if $n < 11 {
            const $w: usize = 11;
            $body
        } else if $n < 15 {
            const $w: usize = 15;
            $body
        } else if $n < 19 {
            const $w: usize = 19;
            $body
        } else if $n < 23 {
            const $w: usize = 23;
            $body
        } else if $n < 27 {
            const $w: usize = 27;
            $body
        } else if $n < 31 {
            const $w: usize = 31;
            $body
        } else if $n < 35 {
            const $w: usize = 35;
            $body
        } else if $n < 39 {
            const $w: usize = 39;
            $body
        } else if $n < 43 {
            const $w: usize = 43;
            $body
        } else if $n < 47 {
            const $w: usize = 47;
            $body
        } else if $n < 51 {
            const $w: usize = 51;
            $body
        } else if $n < 55 {
            const $w: usize = 55;
            $body
        } else if $n < 59 {
            const $w: usize = 59;
            $body
        } else if $n < 63 {
            const $w: usize = 63;
            $body
        } else if $n < 67 {
            const $w: usize = 67;
            $body
        } else if $n < 71 {
            const $w: usize = 71;
            $body
        } else if $n < 75 {
            const $w: usize = 75;
            $body
        } else if $n < 79 {
            const $w: usize = 79;
            $body
        } else {
            const $w: usize = 83;
            $body
        }
    };
}

pub mod custom;
mod derivative;
mod fn_traits;
mod gradient;
mod hessian;
mod hvp;
pub mod implicit;
mod jacobian;
pub mod size;

pub use derivative::{derivative, second_derivative, third_derivative};
pub use fn_traits::{ScalarFn, VectorFn};
pub use gradient::{Chunk, gradient, gradient_chunked};
pub use hessian::{hessian, hessian_chunked, hessian_chunked_boxed, hessian_chunked_into};
pub use hvp::{hvp, hvp_chunked};
pub use jacobian::{
    directional_derivative, jacobian, jacobian_chunked, jacobian_chunked_boxed,
    jacobian_chunked_into, jvp,
};

use crate::{AnyScalar, Jet};
use nalgebra::SVector;

/// Whether a number of a first-order result is not finite: only then can a pass without the
/// NaN-safety tests differ from one with them ([unchecked first](crate::jet#unchecked-first)).
///
/// `x − x` is `0` for a finite `x` and NaN for an infinite or NaN one, and a sum with a NaN
/// term is NaN, so the test is one subtraction and one addition per number, summed in two
/// independent lanes that the compiler keeps in a vector register (each lane keeps the order of
/// its sum, so no reassociation is needed), and one NaN test at the end. Over a slice and
/// without an exit per number (nalgebra's matrix iterator, in place of the slice, cost about 12
/// instructions per Jacobian entry).
#[inline]
fn any_not_finite<T: AnyScalar>(xs: &[T]) -> bool {
    debug_assert_eq!(T::NDERIV, 0, "the unchecked passes run at first order only");
    let zero = <T::Primitive as num_traits::Zero>::zero();
    let mut lanes = [zero; 2];
    let mut pairs = xs.chunks_exact(2);
    for pair in &mut pairs {
        for (lane, d) in lanes.iter_mut().zip(pair) {
            *lane += d.re() - d.re();
        }
    }
    for (lane, d) in lanes.iter_mut().zip(pairs.remainder()) {
        *lane += d.re() - d.re();
    }
    let total = lanes[0] + lanes[1];
    num_traits::Float::is_nan(total)
}

/// Seed `x` as `N` independent variables: `x[i]` gets derivative 1 in direction `i`.
///
/// One-pass paths only (`N ≤` [`CLOSURE_ONE_PASS_LIMIT`](size::CLOSURE_ONE_PASS_LIMIT)): `from_fn` writes each jet once, which a
/// release build turns into straight stores; the chunked paths, where the stack matters, build
/// their input with `filled!`.
#[inline]
fn seed<T: AnyScalar, const N: usize, const S: bool>(
    x: &SVector<T, N>,
) -> SVector<Jet<T, N, S>, N> {
    crate::scalar::prepare_tanh();
    SVector::from_fn(|i, _| Jet::seeded(x[i], i))
}

#[cfg(test)]
mod tests {
    use super::any_not_finite;
    use quickcheck::quickcheck;

    const SPECIAL: [f64; 3] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

    quickcheck! {
        /// The scan agrees with `is_finite` number by number: finite entries of every
        /// magnitude (no sum of them is a false alarm), and one infinity or NaN at any position,
        /// in the pairs or in the odd one at the end, in either precision.
        fn any_not_finite_is_some_entry_not_finite(xs: Vec<f64>, at: usize, which: u8) -> bool {
            let finite: Vec<f64> = xs.iter().map(|x| if x.is_finite() { *x } else { 1.0 }).collect();
            let mut bad = finite.clone();
            if !bad.is_empty() {
                let i = at % bad.len();
                bad[i] = SPECIAL[usize::from(which % 3)];
            }
            #[allow(clippy::cast_possible_truncation)]
            let narrow = |v: &[f64]| v.iter().map(|x| *x as f32).collect::<Vec<f32>>();
            let expect = |v: &[f64]| v.iter().any(|x| !x.is_finite());
            any_not_finite(&finite) == expect(&finite)
                && any_not_finite(&bad) == expect(&bad)
                && any_not_finite(&narrow(&bad)) == narrow(&bad).iter().any(|x| !x.is_finite())
        }
    }

    #[test]
    fn extreme_finite_values_are_finite() {
        let big = [
            f64::MAX,
            f64::MAX,
            f64::MIN,
            f64::MAX,
            5e-324,
            -0.0,
            f64::MAX,
        ];
        assert!(!any_not_finite(&big));
        assert!(!any_not_finite::<f64>(&[]));
        for (i, s) in SPECIAL.iter().cycle().take(7).enumerate() {
            let mut v = big;
            v[i] = *s;
            assert!(any_not_finite(&v), "{s} at {i}");
        }
        assert!(any_not_finite(&[f32::MAX, f32::INFINITY, 1.0]));
    }
}
