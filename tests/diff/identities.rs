//! Identities between the entry points, as property tests on bounded boxes:
//! - the Hessian is symmetric (and equals the closed form for Rosenbrock);
//! - the Jacobian of the gradient, computed by nesting `gradient` inside `jacobian`, is the
//!   Hessian;
//! - `jvp(x, v)` is `jacobian(x) · v`, and `directional_derivative(x, v)` is `gradient(x) · v`;
//! - `gradient_chunked` is bit-for-bit `gradient`, for several sizes and chunk sizes.

use crate::common;

use common::*;
use dualgrad::prelude::*;
use dualgrad::{Chunk, gradient_chunked, jvp};
use nalgebra::{SMatrix, SVector};
use quickcheck::TestResult;

// ---------------------------------------------------------------------------------------------
// Test functions
// ---------------------------------------------------------------------------------------------

/// The extended Rosenbrock function Σᵢ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)².
fn rosenbrock<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
    let mut s = T::zero();
    for i in 0..N.saturating_sub(1) {
        let a = -x[i] + 1.0;
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + b * b * 100.0;
    }
    s
}

/// The closed-form Hessian of [`rosenbrock`]: for each term i,
/// ∂²/∂xᵢ² += 2 − 400 (xᵢ₊₁ − xᵢ²) + 800 xᵢ², ∂²/∂xᵢ∂xᵢ₊₁ += −400 xᵢ, ∂²/∂xᵢ₊₁² += 200.
fn rosenbrock_hessian<const N: usize>(x: &SVector<f64, N>) -> SMatrix<f64, N, N> {
    let mut h = SMatrix::<f64, N, N>::zeros();
    for i in 0..N.saturating_sub(1) {
        h[(i, i)] += 2.0 - 400.0 * (x[i + 1] - x[i] * x[i]) + 800.0 * x[i] * x[i];
        h[(i, i + 1)] -= 400.0 * x[i];
        h[(i + 1, i)] -= 400.0 * x[i];
        h[(i + 1, i + 1)] += 200.0;
    }
    h
}

/// A polynomial/trigonometric function of five inputs with six drawn coefficients `c`.
fn poly_trig<T: Scalar>(c: &[f64; 6], x: &SVector<T, 5>) -> T {
    x[0] * x[0] * x[1] * c[0]
        + (x[1] * x[2]).sin() * c[1]
        + x[2].powi(3) * x[3] * c[2]
        + (x[3] * x[4] * 0.5).exp() * c[3]
        + x[0] * x[4] * x[2].cos() * c[4]
        + (x[1] - x[4]).powi(4) * c[5]
}

/// A map R⁴ → R³ for the Jacobian identities.
fn vector_map<T: Scalar>(x: &SVector<T, 4>) -> SVector<T, 3> {
    SVector::from([
        x[0] * x[1] + x[2].sin(),
        (x[3] * 0.3).exp() * x[0],
        x[1] * x[1] / (x[2] * x[2] + 1.0) + x[3].tanh(),
    ])
}

/// The same map as a `VectorFn`, to exercise the trait's provided methods.
struct VectorMap;
impl VectorFn<4, 3> for VectorMap {
    fn eval<T: Scalar>(&self, x: &SVector<T, 4>) -> SVector<T, 3> {
        vector_map(x)
    }
}

/// `poly_trig` with fixed coefficients as a `ScalarFn`.
struct PolyTrig([f64; 6]);
impl ScalarFn<5> for PolyTrig {
    fn eval<T: Scalar>(&self, x: &SVector<T, 5>) -> T {
        poly_trig(&self.0, x)
    }
}

/// `|a − b| ≤ tol · (1 + max |entry|)` for every entry: the two sides of an identity are the
/// same exact quantity summed in a different order, so they differ by a few ulps of the largest
/// entry (entries reach ~1e4 for Rosenbrock on [−2, 2]).
fn same_up_to_rounding<const R: usize, const C: usize>(
    what: &str,
    a: &SMatrix<f64, R, C>,
    b: &SMatrix<f64, R, C>,
) -> Result<(), String> {
    let scale = 1.0 + a.abs().max().max(b.abs().max());
    close_mat(what, a, b, CF_RTOL * scale, 0.0)
}

// ---------------------------------------------------------------------------------------------
// Hessian symmetry
// ---------------------------------------------------------------------------------------------

#[test]
fn hessian_of_rosenbrock_is_symmetric_and_matches_closed_form() {
    fn prop(raw: [f64; 5]) -> TestResult {
        let Some(x) = vec_in_box(raw, -2.0, 2.0) else {
            return TestResult::discard();
        };
        let r = (|| {
            let ctx = format!("rosenbrock at {:?}", x.as_slice());
            let (v, _, h) = hessian(rosenbrock, &x);
            close_cf(&format!("{ctx} value"), v, rosenbrock(&x))?;
            same_up_to_rounding(&format!("{ctx} H vs Hᵀ"), &h, &h.transpose())?;
            same_up_to_rounding(
                &format!("{ctx} H vs closed form"),
                &h,
                &rosenbrock_hessian(&x),
            )
        })();
        verdict(r)
    }
    check(prop as fn([f64; 5]) -> TestResult);
}

#[test]
fn hessian_of_random_poly_trig_is_symmetric() {
    fn prop(raw: [f64; 5], raw_c: [f64; 6]) -> TestResult {
        let (Some(x), Some(c)) = (vec_in_box(raw, -1.5, 1.5), vec_in_box(raw_c, -3.0, 3.0)) else {
            return TestResult::discard();
        };
        let c: [f64; 6] = c.into();
        let r = (|| {
            let ctx = format!("poly_trig c = {c:?} at {:?}", x.as_slice());
            let (_, g, h) = hessian(|x| poly_trig(&c, x), &x);
            same_up_to_rounding(&format!("{ctx} H vs Hᵀ"), &h, &h.transpose())?;
            // and the Hessian is the derivative of the gradient: compare with finite differences
            // of the (exact) gradient
            let fd_h = fd_jacobian(|y| gradient(|y| poly_trig(&c, y), y).1, &x);
            close_mat_fd(&format!("{ctx} H vs fd of ∇f"), &h, &fd_h)?;
            let (_, g1) = gradient(|x| poly_trig(&c, x), &x);
            close_mat_cf(&format!("{ctx} hessian's gradient"), &g, &g1)
        })();
        verdict(r)
    }
    check(prop as fn([f64; 5], [f64; 6]) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// The Jacobian of the gradient is the Hessian (nested entry points)
// ---------------------------------------------------------------------------------------------

/// `jacobian(x ↦ gradient(f, x))`: the inner `gradient` runs at the dual scalar type
/// `Jet<f64, N>` that `jacobian` hands to its closure.
fn jacobian_of_gradient<const N: usize>(
    f: impl Fn(&SVector<Jet<Jet<f64, N>, N>, N>) -> Jet<Jet<f64, N>, N>,
    x: &SVector<f64, N>,
) -> (SVector<f64, N>, SMatrix<f64, N, N>) {
    jacobian(|x: &SVector<Jet<f64, N>, N>| gradient(&f, x).1, x)
}

#[test]
fn jacobian_of_gradient_is_hessian() {
    fn prop(raw: [f64; 5], raw_c: [f64; 6]) -> TestResult {
        let (Some(x), Some(c)) = (vec_in_box(raw, -1.5, 1.5), vec_in_box(raw_c, -3.0, 3.0)) else {
            return TestResult::discard();
        };
        let c: [f64; 6] = c.into();
        let r = (|| {
            let ctx = format!("poly_trig c = {c:?} at {:?}", x.as_slice());
            let (g, jg) = jacobian_of_gradient(|x| poly_trig(&c, x), &x);
            let (_, g_h, h) = hessian(|x| poly_trig(&c, x), &x);
            same_up_to_rounding(&format!("{ctx} J(∇f) vs H"), &jg, &h)?;
            same_up_to_rounding(&format!("{ctx} ∇f"), &g, &g_h)?;
            // Rosenbrock too, against its closed form
            let x4 = SVector::<f64, 4>::from_fn(|i, _| x[i]);
            let (_, jg) = jacobian_of_gradient(rosenbrock, &x4);
            same_up_to_rounding(
                &format!("{ctx} J(∇ rosenbrock) vs closed form"),
                &jg,
                &rosenbrock_hessian(&x4),
            )
        })();
        verdict(r)
    }
    check(prop as fn([f64; 5], [f64; 6]) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// Jacobian-vector and gradient-vector products
// ---------------------------------------------------------------------------------------------

#[test]
fn jvp_is_jacobian_times_v() {
    fn prop(raw_x: [f64; 4], raw_v: [f64; 4]) -> TestResult {
        let (Some(x), Some(v)) = (vec_in_box(raw_x, -2.0, 2.0), vec_in_box(raw_v, -1.0, 1.0))
        else {
            return TestResult::discard();
        };
        let r = (|| {
            let ctx = format!("x = {:?}, v = {:?}", x.as_slice(), v.as_slice());
            let (fx, j) = jacobian(vector_map, &x);
            let (fx1, jv) = jvp(vector_map, &x, &v);
            close_mat_cf(&format!("{ctx} jvp value"), &fx1, &fx)?;
            same_up_to_rounding(&format!("{ctx} jvp vs J v"), &jv, &(j * v))?;
            // the trait forms agree with the closures
            let (fx2, j2) = VectorMap.jacobian(&x);
            let (_, jv2) = VectorMap.jvp(&x, &v);
            close_mat_cf(&format!("{ctx} VectorFn::value"), &VectorMap.value(&x), &fx)?;
            close_mat_cf(&format!("{ctx} VectorFn::jacobian value"), &fx2, &fx)?;
            close_mat_cf(&format!("{ctx} VectorFn::jacobian"), &j2, &j)?;
            close_mat_cf(&format!("{ctx} VectorFn::jvp"), &jv2, &jv)?;
            // and J itself is right: finite differences
            close_mat_fd(&format!("{ctx} J vs fd"), &j, &fd_jacobian(vector_map, &x))
        })();
        verdict(r)
    }
    check(prop as fn([f64; 4], [f64; 4]) -> TestResult);
}

#[test]
fn directional_derivative_is_gradient_dot_v() {
    fn prop(raw_x: [f64; 5], raw_v: [f64; 5], raw_c: [f64; 6]) -> TestResult {
        let (Some(x), Some(v), Some(c)) = (
            vec_in_box(raw_x, -1.5, 1.5),
            vec_in_box(raw_v, -1.0, 1.0),
            vec_in_box(raw_c, -3.0, 3.0),
        ) else {
            return TestResult::discard();
        };
        let f = PolyTrig(c.into());
        let r = (|| {
            let ctx = format!("x = {:?}, v = {:?}", x.as_slice(), v.as_slice());
            let (fx, g) = gradient(|x| f.eval(x), &x);
            let (fx1, d) = directional_derivative(|x| f.eval(x), &x, &v);
            close_cf(&format!("{ctx} value"), fx1, fx)?;
            // the two sides sum the same products in a different order: scale by Σ|gᵢvᵢ|
            let scale = 1.0 + g.component_mul(&v).abs().sum();
            close(&format!("{ctx} ∇f·v"), d, g.dot(&v), CF_RTOL * scale, 0.0)?;
            let (fx2, d2) = f.directional_derivative(&x, &v);
            close_cf(&format!("{ctx} ScalarFn value"), fx2, fx)?;
            close_cf(&format!("{ctx} ScalarFn::directional_derivative"), d2, d)?;
            close_cf(&format!("{ctx} ScalarFn::value"), f.value(&x), fx)?;
            let (_, g2) = f.gradient(&x);
            close_mat_cf(&format!("{ctx} ScalarFn::gradient"), &g2, &g)?;
            // along v, the directional derivative is d/dt f(x + t v) at t = 0
            let along = fd(|t| f.value(&(x + v * t)), 0.0);
            close_fd(&format!("{ctx} vs fd along v"), d, along)
        })();
        verdict(r)
    }
    check(prop as fn([f64; 5], [f64; 5], [f64; 6]) -> TestResult);
}

// ---------------------------------------------------------------------------------------------
// Chunked gradient, bit for bit
// ---------------------------------------------------------------------------------------------

/// Extended Rosenbrock plus sin/exp terms coupling neighbours (defined for every N ≥ 1).
fn chunk_test_fn<T: Scalar, const N: usize>(x: &SVector<T, N>) -> T {
    let mut s = rosenbrock(x);
    for i in 0..N {
        s += (x[i] * (i as f64 + 1.0)).sin() * (x[(i + 1) % N] * 0.1).exp();
    }
    s
}

struct ChunkTestFn;
impl<const N: usize> ScalarFn<N> for ChunkTestFn {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        chunk_test_fn(x)
    }
}

/// The bits of every entry, so that `assert_eq!` compares bit for bit (and tells 0 from −0).
fn bits<const N: usize>(v: &SVector<f64, N>) -> [u64; N] {
    std::array::from_fn(|i| v[i].to_bits())
}

/// One-pass and chunked gradients (chunk sizes 1, 4, 8; closure and `ScalarFn` forms) agree bit
/// for bit, value included; the gradient is also checked against finite differences so that
/// agreement is not agreement on a wrong answer.
fn chunked_equals_one_pass<const N: usize>(seed: u64) -> Result<(), String> {
    let x = vec_from_seed::<N>(seed, -2.0, 2.0);
    let (v, g) = gradient(chunk_test_fn, &x);
    let ctx = format!("N = {N}, seed {seed}");
    let chunked = [
        ("C = 1", gradient_chunked(chunk_test_fn, &x, Chunk::<1>)),
        ("C = 4", gradient_chunked(chunk_test_fn, &x, Chunk::<4>)),
        ("C = 8", gradient_chunked(chunk_test_fn, &x, Chunk::<8>)),
        (
            "ScalarFn, C = 1",
            ChunkTestFn.gradient_chunked(&x, Chunk::<1>),
        ),
        (
            "ScalarFn, C = 4",
            ChunkTestFn.gradient_chunked(&x, Chunk::<4>),
        ),
        (
            "ScalarFn, C = 8",
            ChunkTestFn.gradient_chunked(&x, Chunk::<8>),
        ),
    ];
    for (name, (vc, gc)) in chunked {
        if vc.to_bits() != v.to_bits() || bits(&gc) != bits(&g) {
            return Err(format!(
                "{ctx}, {name}: chunked ({vc:e}, {:?}) != one pass ({v:e}, {:?})",
                gc.as_slice(),
                g.as_slice()
            ));
        }
    }
    close_cf(&format!("{ctx} value"), v, chunk_test_fn(&x))?;
    // f sums N − 1 Rosenbrock terms of up to ~4e3 each, so the rounding error of a central
    // difference, ~N ε |f| / h, exceeds FD_ATOL for N = 64: add it to the tolerance.
    let rounding = N as f64 * f64::EPSILON * v.abs() / step(0.0);
    close_mat(
        &format!("{ctx} gradient vs fd"),
        &g,
        &fd_gradient(chunk_test_fn, &x),
        FD_ATOL + rounding,
        FD_RTOL,
    )
}

macro_rules! chunked_test {
    ($test:ident, $n:literal, $cases:expr) => {
        #[test]
        fn $test() {
            fn prop(seed: u64) -> TestResult {
                verdict(chunked_equals_one_pass::<$n>(seed))
            }
            check_n($cases, prop as fn(u64) -> TestResult);
        }
    };
}

chunked_test!(chunked_gradient_bit_for_bit_n1, 1, CASES);
chunked_test!(chunked_gradient_bit_for_bit_n7, 7, CASES);
chunked_test!(chunked_gradient_bit_for_bit_n8, 8, CASES);
chunked_test!(chunked_gradient_bit_for_bit_n9, 9, CASES);
// A case costs ~10 ms in debug builds (a 64-wide dual through ~1,000 operations, seven times):
// a quarter of the cases keeps the default `cargo test` quick; release runs 10× more.
chunked_test!(chunked_gradient_bit_for_bit_n64, 64, CASES / 4);
