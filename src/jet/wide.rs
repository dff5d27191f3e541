//! Run-time dispatch to code compiled for wide vectors (AVX2 on x86-64).
//!
//! A jet's arithmetic is loops over `[f64; N]`, which the compiler turns into vector
//! instructions of the width the target allows: two `f64` per instruction on the default
//! x86-64 target (SSE2), four with AVX2. A library cannot ask its users to build with
//! `-C target-cpu=native`, so the models' gradient ([`Supervised`](crate::model::Supervised)'s
//! per-layer path) runs through [`wide`]: on an x86-64 processor with AVX2 (detected once, at
//! run time) its evaluation is compiled a second time inside a function built for AVX2, and
//! that copy runs; elsewhere the default one does.
//!
//! Both copies compute exactly the same floating-point operations in the same order: AVX2 only
//! widens the element-wise loops, and Rust never contracts `a * b + c` into a fused
//! multiply-add on its own, so the results are bit-identical (tested). FMA is therefore not
//! enabled: it would change nothing unless asked for by `mul_add`, and where asked for it would
//! change the rounding.
//!
//! What runs in the AVX2 copy is what the compiler inlines into it, so the dispatch is used
//! where the crate owns the code and can force that (the models' layers, marked
//! `#[inline(always)]`). The closure entry points ([`gradient`](crate::gradient), ...) do not
//! dispatch: a user's function called from two copies has two call sites, and the compiler then
//! inlines a loss of any size into neither, so the AVX2 copy would run the default code, and
//! the default path would lose the inlining into its caller (measured: logistic regression's
//! `gradient` 14 % more instructions, XOR's 13 % fewer). A whole program gets the wide vectors
//! everywhere by being built with `RUSTFLAGS="-C target-cpu=native"`.
//!
//! Setting the environment variable `DUALGRAD_NO_WIDE` (to anything) before the first
//! gradient turns the dispatch off, for measurements of the default path.

// The one `unsafe` of the crate besides `SimdValue`'s (src/jet/field.rs): calling a function
// compiled with `#[target_feature(enable = "avx2")]` is unsafe because running AVX2
// instructions on a processor without AVX2 is undefined behaviour. The call is made only after
// `is_x86_feature_detected!("avx2")` said the processor has it.
#![allow(unsafe_code)]

/// Run `f`, compiled for AVX2 when the processor has it (see the module docs). The result is
/// the same bits either way.
#[inline(always)]
pub(crate) fn wide<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if avx2_enabled() {
            // SAFETY: `avx2_enabled` is true only if `is_x86_feature_detected!("avx2")` is,
            // so the processor executes the AVX2 instructions of `with_avx2`.
            return unsafe { with_avx2(f) };
        }
    }
    f()
}

/// `avx` compiled for AVX2 when the processor has it (see the module docs), else `default`:
/// two computations of the same bits. Each closure is called from one place only, so the
/// compiler inlines each into its copy whatever its size (see the module docs).
#[inline(always)]
pub(crate) fn wide_or<A, R>(
    arg: A,
    avx: impl FnOnce(A) -> R,
    default: impl FnOnce(A) -> R,
) -> R {
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

/// Whether the models' gradient runs the code compiled for wide vectors (AVX2) on this machine.
///
/// On an x86-64 processor with AVX2 (detected once, at run time), the per-layer gradient of
/// [`Supervised`](crate::model::Supervised) runs a copy of its evaluation compiled for AVX2:
/// four `f64` per vector instruction instead of two, the same operations in the same order,
/// so the same bits (Rust never fuses `a * b + c` by itself; FMA is not enabled). Setting the
/// environment variable `DUALGRAD_NO_WIDE` before the first gradient turns it off.
///
/// The closure entry points ([`gradient`](crate::gradient), ...) do not dispatch: the AVX2
/// copy holds only what the compiler inlines into it, and a user's function called from two
/// copies is inlined into neither unless it is small, which costs the default path its inlining
/// too (measured: XOR's `gradient` 13 % fewer instructions, logistic regression's 14 % more).
/// A program built with `RUSTFLAGS="-C target-cpu=native"` gets wide vectors everywhere.
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
