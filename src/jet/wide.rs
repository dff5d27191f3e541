//! Run-time dispatch to code compiled for wide vectors (AVX2 on x86-64).
//!
//! A jet's arithmetic is loops over `[f64; N]`, which the compiler turns into vector
//! instructions of the width the target allows: two `f64` per instruction on the default
//! x86-64 target (SSE2), four with AVX2. A library cannot ask its users to build with
//! `-C target-cpu=native`, so three kinds of derivative run through this module: on an x86-64
//! processor with AVX2 (detected once, at run time) their evaluation is compiled a second time
//! inside a function built for AVX2, and that copy runs; elsewhere the default one does.
//!
//! - The models' gradient ([`Supervised`](crate::model::Supervised)'s per-layer path), whose
//!   layers the crate marks `#[inline(always)]`.
//! - The trait form's gradient, [`ScalarFn::gradient`](crate::ScalarFn::gradient), from 4 to
//!   [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) inputs, in one pass
//!   as on the default path; outside that range the default code runs. Both evaluate without
//!   the chain rule's NaN-safety test first ([unchecked first](crate::jet#unchecked-first)).
//! - The trait form's Jacobian, [`VectorFn::jacobian`](crate::VectorFn::jacobian) (and
//!   `jacobian_boxed`, `jacobian_into`), from 16 to
//!   [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) inputs, in one pass,
//!   while the padded output (`M` jets of `W + 1` numbers, below) is at most `80 · 84` numbers:
//!   beyond, a debug build's copies of it would need more stack than the default path. Below 16
//!   inputs the padding was no faster in time (8 inputs padded to 11: 1.2× the default path's
//!   time).
//!
//! The copies compute exactly the same floating-point operations in the same order: AVX2 only
//! widens the element-wise loops, and Rust never contracts `a * b + c` into a fused
//! multiply-add on its own, so the results are bit-identical (tested; a NaN's sign and payload
//! aside, which Rust leaves open and two copies of the same code may set differently). FMA is
//! therefore not enabled: it would change nothing unless asked for by `mul_add`, and where
//! asked for it would change the rounding.
//!
//! What runs in the AVX2 copy is what the compiler inlines into it, and the compiler inlines
//! a large function only where it is called from one place. The user's function is large
//! (every jet operation is inlined into it), and a function called from both copies would be
//! inlined into neither: the AVX2 copy would run the default code, and the default path would
//! lose its inlining as well. A helper marked `#[inline(always)]` cannot make the call unique:
//! such helpers are inlined into both copies before the compiler weighs the user's function.
//! So the trait forms' AVX2 copies evaluate the user's `eval` at their own type: jets of `W`
//! tangents, `W` the smallest `4k + 3` above `N` (`k + 1` whole AVX2 vectors), the last `W − N`
//! tangents zero and never read. That instance of `eval` is called from the AVX2 copy only and
//! is inlined into it; the default copy keeps its own (`N` tangents, or chunks of
//! [`GRADIENT_CHUNK`](crate::diff::size::GRADIENT_CHUNK)). Each partial is computed by its own
//! operations, whatever the other tangents are (the same property makes the chunked
//! forms bit-identical to one pass), so the padding changes no bit. (The same holds for any
//! generic function: one called at the same type from two places, say from a closure passed to
//! `gradient` and from `eval`, is inlined into neither; that costs speed, never bits.)
//!
//! The closure entry points ([`gradient`](crate::gradient), [`hessian`](crate::hessian), ...)
//! do not dispatch: a closure has one argument type, so both copies would call the same
//! function, inlined into neither (measured with a dispatch: logistic regression's `gradient`
//! 14 % more instructions on the default path, and the AVX2 copy no faster). To get the AVX2
//! copy for a gradient, implement [`ScalarFn`](crate::ScalarFn), for a Jacobian
//! [`VectorFn`](crate::VectorFn). The trait forms' Hessian and Hessian-vector product do not
//! dispatch: the same padding measured no faster (a nested jet's work grows as `(W + 1)²`).
//! A whole program gets wide vectors everywhere by being built with
//! `RUSTFLAGS="-C target-cpu=native"`.
//!
//! Setting the environment variable `DUALGRAD_NO_WIDE` (to anything) before the first
//! derivative turns the dispatch off, for measurements of the default path.

// The one `unsafe` of the crate besides `SimdValue`'s (src/jet/field.rs): calling a function
// compiled with `#[target_feature(enable = "avx2")]` is unsafe because running AVX2
// instructions on a processor without AVX2 is undefined behaviour. The call is made only after
// `is_x86_feature_detected!("avx2")` said the processor has it.
#![allow(unsafe_code)]

/// Run `f`, compiled for AVX2 when the processor has it (see the module docs), for code the
/// crate owns and marks `#[inline(always)]`. The result is the same bits either way.
#[inline(always)]
pub(crate) fn wide<R>(f: impl FnOnce() -> R) -> R {
    wide_or(
        f,
        #[inline(always)]
        |f| f(),
        #[inline(always)]
        |f| f(),
    )
}

/// `avx(arg)` compiled for AVX2 when the processor has it, else `default(arg)`: two
/// computations of the same bits that call the user's function at different types, so that
/// each instance is called from one place and inlined into its copy (see the module docs).
#[inline(always)]
pub(crate) fn wide_or<A, R>(arg: A, avx: impl FnOnce(A) -> R, default: impl FnOnce(A) -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if avx2_enabled() {
            // SAFETY: `avx2_enabled` is true only if `is_x86_feature_detected!("avx2")` is,
            // so the processor executes the AVX2 instructions of `with_avx2`.
            return unsafe { with_avx2(move || avx(arg)) };
        }
    }
    let _ = avx;
    default(arg)
}

/// `f`, inlined into a function compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn with_avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// Whether the wide path is taken: 0 not decided yet, 1 no, 2 yes.
#[cfg(target_arch = "x86_64")]
static STATE: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Whether the wide path is taken: AVX2 detected and `DUALGRAD_NO_WIDE` unset, decided once.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn avx2_enabled() -> bool {
    use std::sync::atomic::Ordering;
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let yes = std::is_x86_feature_detected!("avx2")
                && std::env::var_os("DUALGRAD_NO_WIDE").is_none();
            STATE.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
            yes
        }
        s => s == 2,
    }
}

/// Whether the models' gradient, [`ScalarFn::gradient`](crate::ScalarFn::gradient) and
/// [`VectorFn::jacobian`](crate::VectorFn::jacobian) run the code compiled for wide vectors
/// (AVX2) on this machine.
///
/// On an x86-64 processor with AVX2 (detected once, at run time), the per-layer gradient of
/// [`Supervised`](crate::model::Supervised), `ScalarFn::gradient` (from 4 to
/// [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) inputs) and
/// `VectorFn::jacobian` (from 16 to `CLOSURE_ONE_PASS_LIMIT` inputs, up to a size of output;
/// see `src/jet/wide.rs`) run a copy compiled for AVX2: four `f64` per vector instruction instead of two, the same
/// operations in the same order, so the same bits (Rust never fuses `a * b + c` by itself; FMA
/// is not enabled). Setting the environment variable `DUALGRAD_NO_WIDE` before the first
/// derivative turns it off.
///
/// The closure entry points ([`gradient`](crate::gradient), ...) do not dispatch: the AVX2
/// copy holds only what the compiler inlines into it, and a closure called from two copies is
/// inlined into neither unless it is small, which would cost the default path its inlining too
/// (`ScalarFn::gradient` and `VectorFn::jacobian` evaluate the function at a padded width in
/// their AVX2 copies, a separate instance; see `src/jet/wide.rs`). A program built with
/// `RUSTFLAGS="-C target-cpu=native"` gets wide vectors everywhere.
///
/// ```
/// // the same numbers either way; this only says which copy of the code runs
/// let _ = dualgrad::jet::wide_vectors();
/// ```
pub fn wide_vectors() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        avx2_enabled()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Turn the wide path on (where the processor has AVX2) or off, for every thread; returns
/// whether it is on now. For tests and measurements that compare the two paths: both give the
/// same bits, so switching while other threads differentiate changes nothing they compute.
#[doc(hidden)]
pub fn set_wide_vectors(on: bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::sync::atomic::Ordering;
        let yes = on && std::is_x86_feature_detected!("avx2");
        STATE.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
        yes
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = on;
        false
    }
}
