//! A tour of dualgrad's derivative entry points, with numbers you can check by hand.
//!
//! # The idea: dual numbers
//!
//! Extend the reals with a number `ε` such that `ε² = 0` (but `ε ≠ 0`). Taylor's formula then
//! stops after one term: `f(a + ε) = f(a) + f'(a) ε`, exactly. So evaluating an ordinary
//! program at `a + ε` computes `f(a)` and `f'(a)` together, with no truncation error (unlike
//! finite differences) and no symbolic algebra; each `+`, `×`, `sin`, `exp` just applies its own
//! rule (`(u v)' = u' v + u v'`, `sin(u)' = cos(u) u'`, ...). This is forward-mode automatic
//! differentiation.
//!
//! - With `N` independent infinitesimals `ε₀ … εₙ₋₁`, one for each input, one evaluation gives
//!   the whole gradient `∇f` (dualgrad's `Jet<f64, N>`): [`gradient`], [`jacobian`].
//! - With a single infinitesimal seeded along `v`, one evaluation gives `∇f·v` or `J v`, whatever
//!   `N` is: [`directional_derivative`], [`jvp`].
//! - Dual numbers whose parts are themselves dual numbers give second derivatives:
//!   [`second_derivative`], [`hessian`] (the Jacobian of the gradient).
//! - For many inputs, [`gradient_chunked`] seeds `C` inputs per pass (`⌈N/C⌉` passes) to keep
//!   the numbers small; the result is bit-for-bit the one-pass gradient.
//!
//! A function is written ONCE, generically over [`Scalar`], and runs unchanged on `f64` and on
//! every dual type. When the same function is needed at several types (value and gradient,
//! gradient and Hessian), implement [`ScalarFn`] (or [`VectorFn`]) and call its methods.
//!
//! Run with `cargo run --example derivatives`.

use dualgrad::functions::sigmoid;
use dualgrad::prelude::*;
use dualgrad::{Chunk, gradient_chunked, jvp, second_derivative};
use nalgebra::{SMatrix, SVector};

/// f(x, y) = x² y + y³, so ∇f = (2xy, x² + 3y²) and H = [[2y, 2x], [2x, 6y]].
fn f<T: Scalar>(p: &SVector<T, 2>) -> T {
    let (x, y) = (p[0], p[1]);
    x * x * y + y.powi(3)
}

/// g(x, y) = (xy, x + y, x²), with Jacobian [[y, x], [1, 1], [2x, 0]].
fn g<T: Scalar>(p: &SVector<T, 2>) -> SVector<T, 3> {
    let (x, y) = (p[0], p[1]);
    SVector::from([x * y, x + y, x * x])
}

/// Σᵢ i·xᵢ² over ten inputs: ∂/∂xᵢ = 2i·xᵢ.
fn weighted_squares<T: Scalar>(x: &SVector<T, 10>) -> T {
    let mut s = T::zero();
    for i in 0..10 {
        s += x[i] * x[i] * i as f64;
    }
    s
}

/// The same f as a `ScalarFn`: written once, asked for its value, gradient and Hessian.
struct Cubic;
impl ScalarFn<2> for Cubic {
    fn eval<T: Scalar>(&self, p: &SVector<T, 2>) -> T {
        f(p)
    }
}

fn main() {
    let (p, q, v) = (
        SVector::from([1.0, 2.0]),
        SVector::from([2.0, 3.0]),
        SVector::from([1.0, -1.0]),
    );
    let ones = SVector::<f64, 10>::repeat(1.0);

    let (fx, d) = derivative(|x| x.powi(3), 2.0);
    let (_, _, d2) = second_derivative(|x| x.powi(3), 2.0);
    let (_, ds) = derivative(sigmoid, 0.0);
    let (fp, grad) = gradient(f, &p);
    let (_, _, h) = hessian(f, &p);
    let (_, j) = jacobian(g, &q);
    let (_, jv) = jvp(g, &q, &v);
    let (_, dd) = directional_derivative(f, &p, &v);
    let (_, gc) = gradient_chunked(weighted_squares, &ones, Chunk::<4>);
    let ((tf, tg), (_, _, th)) = (Cubic.gradient(&p), Cubic.hessian(&p));

    let trait_form = format!("{}, {}, {}", Cubic.value(&p), vector(&tg), matrix(&th));
    #[rustfmt::skip]
    let lines = [
        ("derivative",             "d/dx x³ at x = 2",               d.to_string(),  "3x² = 12"),
        ("second_derivative",      "d²/dx² x³ at x = 2",             d2.to_string(), "6x = 12"),
        ("derivative",             "σ'(0), σ = sigmoid",             ds.to_string(), "σ(1 − σ) = 1/4"),
        ("gradient",               "∇f(1, 2), f = x²y + y³",         vector(&grad),  "(2xy, x² + 3y²)"),
        ("hessian",                "∇²f(1, 2)",                      matrix(&h),     "[[2y, 2x], [2x, 6y]]"),
        ("jacobian",               "Jg(2, 3), g = (xy, x + y, x²)",  matrix(&j),     "[[y, x], [1, 1], [2x, 0]]"),
        ("jvp",                    "Jg(2, 3)·(1, −1)",               vector(&jv),    "(y − x, 0, 2x)"),
        ("directional_derivative", "∇f(1, 2)·(1, −1)",               dd.to_string(), "4 − 13"),
        ("gradient_chunked",       "∇ Σ i·xᵢ² at x = 1, 4 per pass", vector(&gc),    "2i, in 3 passes"),
        ("ScalarFn",               "value, gradient, hessian of f",  trait_form,     "f written once"),
    ];
    for (entry, what, result, closed_form) in lines {
        println!("{entry:<23}{what:<32}= {result:<27} {closed_form}");
    }

    // every number printed above is its closed form, exactly
    assert_eq!((fx, d, d2, ds, fp, dd), (8.0, 12.0, 12.0, 0.25, 10.0, -9.0));
    assert_eq!(grad, SVector::from([4.0, 13.0]));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(4.0, 2.0, 2.0, 12.0));
    assert_eq!(j, SMatrix::<f64, 3, 2>::new(3.0, 2.0, 1.0, 1.0, 4.0, 0.0));
    assert_eq!(jv, SVector::from([1.0, 0.0, 4.0]));
    assert_eq!(gc, SVector::<f64, 10>::from_fn(|i, _| 2.0 * i as f64));
    assert_eq!((tf, tg, th), (fp, grad, h));
}

/// `[a, b, c]`, with integers printed without a trailing `.0`.
fn vector<const N: usize>(v: &SVector<f64, N>) -> String {
    let parts: Vec<String> = v.iter().map(f64::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// `[[row], [row], ...]` on one line.
fn matrix<const R: usize, const C: usize>(m: &SMatrix<f64, R, C>) -> String {
    let rows: Vec<String> = m.row_iter().map(|r| vector(&r.transpose())).collect();
    format!("[{}]", rows.join(", "))
}
