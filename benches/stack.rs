//! Stack use of one derivative call, measured: `benches/stack.sh` runs this program (a debug or a
//! release build) with a case name and a stack size, in child processes, and bisects the smallest
//! thread stack in which the case completes. A case that does not fit aborts with a stack
//! overflow, which is why every trial is its own process.
//!
//!   cargo build --bench stack              # debug build: target/debug/deps/stack-*
//!   stack <case> <bytes>                   # exit 0 when <case> completed in a <bytes> stack
//!   stack --list                           # the case names

use dualgrad::{Scalar, ScalarFn, VectorFn};
use nalgebra::SVector;
use std::hint::black_box;

/// The chained Rosenbrock function.
struct Rosenbrock<const N: usize>;

impl<const N: usize> ScalarFn<N> for Rosenbrock<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        let mut f = T::zero();
        for i in 0..N - 1 {
            let a = -x[i] + 1.0;
            let b = x[i + 1] - x[i] * x[i];
            f += a * a + b * b * 100.0;
        }
        f
    }
}

/// `fᵢ = xᵢ x₍ᵢ₊₁₎ mod N + sin xᵢ`.
struct Ring<const N: usize>;

impl<const N: usize> VectorFn<N, N> for Ring<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> SVector<T, N> {
        SVector::from_fn(|i, _| x[i] * x[(i + 1) % N] + x[i].sin())
    }
}

fn point<const N: usize>() -> SVector<f64, N> {
    SVector::from_fn(|i, _| 0.5 + 0.3 * (i as f64).sin())
}

// One never-inlined function per case, so that a case's frame holds only its own values (a
// debug build gives every arm of a `match` its own slots in one frame), and the result is
// passed to `black_box` by reference (by value, a debug build copies it twice more).

#[inline(never)]
fn gradient<const N: usize>() {
    let r = Rosenbrock::<N>.gradient(&point());
    black_box(&r);
}

#[inline(never)]
fn hvp<const N: usize>() {
    let x = point::<N>();
    let r = Rosenbrock::<N>.hvp(&x, &x);
    black_box(&r);
}

#[inline(never)]
fn hessian<const N: usize>() {
    let r = Rosenbrock::<N>.hessian(&point());
    black_box(&r);
}

#[inline(never)]
fn jacobian<const N: usize>() {
    let r = Ring::<N>.jacobian(&point());
    black_box(&r);
}

// As a user writes it: the result destructured (a debug build keeps the returned tuple and the
// bindings, two copies of the matrix, in the caller's frame).

#[inline(never)]
fn hessian_destructured<const N: usize>() {
    let (f, g, h) = Rosenbrock::<N>.hessian(&point());
    black_box((&f, &g, &h));
}

#[inline(never)]
fn hessian_chunked_destructured<const N: usize>() {
    let (f, g, h) =
        dualgrad::hessian_chunked(|x| Rosenbrock::<N>.eval(x), &point(), dualgrad::Chunk::<8>);
    black_box((&f, &g, &h));
}

#[inline(never)]
fn jacobian_destructured<const N: usize>() {
    let (v, j) = Ring::<N>.jacobian(&point());
    black_box((&v, &j));
}

#[inline(never)]
fn hessian_boxed_destructured<const N: usize>() {
    let (f, g, h) = Rosenbrock::<N>.hessian_boxed(&point());
    black_box((&f, &g, &h));
}

macro_rules! cases {
    ($($n:literal),*) => {
        fn run(case: &str) -> bool {
            match case {
                "empty" => { black_box(0); }
                $(
                    concat!("gradient-", $n) => gradient::<$n>(),
                    concat!("hvp-", $n) => hvp::<$n>(),
                )*
                _ => return false,
            }
            true
        }
        const NAMES: &[&str] = &["empty", $(concat!("gradient-", $n), concat!("hvp-", $n)),*];
    };
}
cases!(2, 8, 16, 32, 33, 64, 128, 500, 2000);

macro_rules! square_cases {
    ($($n:literal),*) => {
        fn run_square(case: &str) -> bool {
            match case {
                $(
                    concat!("hessian-", $n) => hessian::<$n>(),
                    concat!("jacobian-", $n) => jacobian::<$n>(),
                    concat!("hessian-destructured-", $n) => hessian_destructured::<$n>(),
                    concat!("hessian_chunked-destructured-", $n) => hessian_chunked_destructured::<$n>(),
                    concat!("jacobian-destructured-", $n) => jacobian_destructured::<$n>(),
                    concat!("hessian_boxed-destructured-", $n) => hessian_boxed_destructured::<$n>(),
                )*
                _ => return false,
            }
            true
        }
        const SQUARE_NAMES: &[&str] = &[$(
            concat!("hessian-", $n),
            concat!("jacobian-", $n),
            concat!("hessian-destructured-", $n),
            concat!("hessian_chunked-destructured-", $n),
            concat!("jacobian-destructured-", $n),
            concat!("hessian_boxed-destructured-", $n)
        ),*];
    };
}
square_cases!(2, 8, 9, 16, 64, 200);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        for name in NAMES.iter().chain(SQUARE_NAMES) {
            println!("{name}");
        }
        return;
    }
    // `cargo bench` runs every bench target with `--bench`: nothing to do then
    let (Some(case), Some(bytes)) = (args.first(), args.get(1).and_then(|b| b.parse().ok())) else {
        return;
    };
    let case = case.clone();
    let ok = std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(move || run(&case) || run_square(&case))
        .expect("spawn")
        .join()
        .expect("join");
    std::process::exit(if ok { 0 } else { 2 });
}
