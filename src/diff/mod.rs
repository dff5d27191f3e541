//! Derivatives of generic functions on statically sized `nalgebra` types.
//!
//! Every entry point evaluates the function once (or once per chunk) on dual numbers and returns
//! the value together with its derivatives, with no heap allocation:
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
//! Closures are the easy path when the function is needed at one scalar type. A function that
//! must run at several types (the gradient checker evaluates it on `f64` and on duals, the
//! optimizers ask for gradients and Hessians) implements [`ScalarFn`] or [`VectorFn`] once.
//!
//! # Sizes and the stack
//!
//! Dual numbers live on the stack. A one-pass gradient seeds `N` tangents in each of the `N`
//! inputs, `8·N·(N + 1)` bytes (32 MB at `N = 2000`), and a one-pass Hessian `8·N·(N + 1)²`
//! bytes; no thread stack holds that at large `N`. So:
//!
//! - the **trait forms** ([`ScalarFn::gradient`], [`ScalarFn::hessian`], [`ScalarFn::hvp`],
//!   [`VectorFn::jacobian`]) choose by themselves: one pass up to [`GRADIENT_ONE_PASS_MAX`]
//!   (Hessians: [`HESSIAN_ONE_PASS_MAX`]) inputs, chunks of [`GRADIENT_CHUNK`] tangents
//!   (Hessians: blocks of [`HESSIAN_BLOCK`] × [`HESSIAN_BLOCK`]; Hessian-vector products:
//!   chunks of [`HVP_CHUNK`]) above. Each path lives in its own never-inlined function, so the
//!   frame of the path not taken is never allocated. Both paths give bit-identical results.
//! - a **closure** has a single argument type, so the one-pass closure forms cannot switch
//!   width (that would need `generic_const_exprs`). They are guarded at compile time: above
//!   [`CLOSURE_ONE_PASS_LIMIT`] inputs ([`CLOSURE_HESSIAN_LIMIT`] for [`hessian`]) a call does
//!   not compile, and the message names the chunked form and [`ScalarFn`]. The `*_chunked`
//!   closure forms take the chunk width `C` explicitly and work at any `N`.
//!
//! What one call puts on the stack besides the function's own frame is the input (`N` duals of
//! `C` tangents: `8·N·(C + 1)` bytes for a gradient chunk, `8·N·(C + 1)²` for a Hessian block)
//! and the output (`8·N` bytes, `8·N²` for a Hessian). `docs/performance.md` gives the
//! measured figures.
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

mod custom;
mod derivative;
mod gradient;
mod hessian;
mod hvp;
mod implicit;
mod jacobian;
mod traits;

pub use custom::{MAX_RULE_ORDER, Rule, apply_rule, erf, erf_rule, erfc};
pub use derivative::{derivative, second_derivative, third_derivative};
pub(crate) use gradient::one_pass as gradient_one_pass;
pub use gradient::{Chunk, gradient, gradient_chunked};
pub use hessian::{hessian, hessian_chunked};
pub use hvp::{hvp, hvp_chunked};
pub use implicit::{
    ImplicitError, ParamObjective, Residual, implicit_minimizer, implicit_solution,
};
pub use jacobian::{directional_derivative, jacobian, jacobian_chunked, jvp};
pub use traits::{ScalarFn, VectorFn};

use crate::{AnyScalar, Jet};
use nalgebra::SVector;

/// The trait forms ([`ScalarFn::gradient`], [`VectorFn::jacobian`], [`ScalarFn::hvp`]) take a
/// gradient in one pass up to this many inputs, and in chunks of [`GRADIENT_CHUNK`] tangents
/// above.
///
/// ```
/// // a Rosenbrock function of 50 variables takes ⌈50 / 16⌉ = 4 chunks
/// assert!(50 > dualgrad::chunking::GRADIENT_ONE_PASS_MAX);
/// assert_eq!(50usize.div_ceil(dualgrad::chunking::GRADIENT_CHUNK), 4);
/// ```
pub const GRADIENT_ONE_PASS_MAX: usize = 32;

/// The chunk width (tangents per pass) of the trait forms' gradients and Jacobians above
/// [`GRADIENT_ONE_PASS_MAX`] inputs.
///
/// ```
/// assert_eq!(2000usize.div_ceil(dualgrad::chunking::GRADIENT_CHUNK), 125);
/// ```
pub const GRADIENT_CHUNK: usize = 16;

/// [`ScalarFn::hessian`] takes the Hessian in one pass up to this many inputs, and in blocks of
/// [`HESSIAN_BLOCK`] × [`HESSIAN_BLOCK`] above.
///
/// Measured (callgrind, release): at `N = 10` one pass costs 40,745 instructions per Hessian of
/// a Rosenbrock function, blocks of 8 × 8 66,089. At `N = 16` a one-pass input is 37 KiB.
///
/// ```
/// assert_eq!(dualgrad::chunking::HESSIAN_ONE_PASS_MAX, dualgrad::chunking::CLOSURE_HESSIAN_LIMIT);
/// ```
pub const HESSIAN_ONE_PASS_MAX: usize = 16;

/// The block width of [`ScalarFn::hessian`] above [`HESSIAN_ONE_PASS_MAX`] inputs: a Hessian of
/// `N` inputs takes `b(b + 1)/2` passes with `b = ⌈N / HESSIAN_BLOCK⌉` (the blocks on and above
/// the diagonal; the rest is mirrored).
///
/// ```
/// // the 67-parameter iris MLP: b = 9 block rows, 45 passes
/// let b = 67usize.div_ceil(dualgrad::chunking::HESSIAN_BLOCK);
/// assert_eq!(b * (b + 1) / 2, 45);
/// ```
pub const HESSIAN_BLOCK: usize = 8;

/// The chunk width of [`ScalarFn::hvp`] above [`GRADIENT_ONE_PASS_MAX`] inputs.
///
/// ```
/// assert_eq!(2000usize.div_ceil(dualgrad::chunking::HVP_CHUNK), 250);
/// ```
pub const HVP_CHUNK: usize = 8;

/// The largest `N` at which the one-pass closure forms [`gradient`], [`jacobian`] and [`hvp`]
/// compile. Above it, use the `*_chunked` forms or implement [`ScalarFn`] / [`VectorFn`].
///
/// At the limit, a one-pass gradient's input is `8·80·81` bytes = 51 KiB, and a debug build's
/// copies of it and of the function's own `N`-wide temporaries stay far inside a 2 MiB thread
/// (`tests/envelope.rs`); at `N = 128` a Jacobian whose function builds its output with
/// `SVector::from_fn` already overflowed one. The limit is above the 67 parameters of the iris
/// MLP, whose gradient is fastest in one pass.
///
/// ```
/// assert_eq!(dualgrad::chunking::CLOSURE_ONE_PASS_LIMIT, 80);
/// ```
pub const CLOSURE_ONE_PASS_LIMIT: usize = 80;

/// The largest `N` at which the one-pass closure form [`hessian`] compiles. Above it, use
/// [`hessian_chunked`] or [`ScalarFn::hessian`].
///
/// At the limit the input is `8·16·17²` bytes = 36 KiB.
///
/// ```
/// assert_eq!(dualgrad::chunking::CLOSURE_HESSIAN_LIMIT, 16);
/// ```
pub const CLOSURE_HESSIAN_LIMIT: usize = 16;

/// Seed `x` as `N` independent variables: `x[i]` gets derivative 1 in direction `i`.
#[inline]
///
/// One-pass paths only (`N ≤` [`CLOSURE_ONE_PASS_LIMIT`]): `from_fn` writes each jet once, which a
/// release build turns into straight stores; the chunked paths, where the stack matters, build
/// their input with `filled!`.
fn seed<T: AnyScalar, const N: usize>(x: &SVector<T, N>) -> SVector<Jet<T, N>, N> {
    SVector::from_fn(|i, _| Jet::variable(x[i], i))
}
