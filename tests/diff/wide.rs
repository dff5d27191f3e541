//! `ScalarFn::gradient` and `VectorFn::jacobian` run a copy compiled for AVX2 where the processor
//! has it (`dualgrad::jet::wide_vectors`), which evaluates the function with padded jets: both
//! paths must give the same bits, on functions built from `exp`, `ln`, `ln_1p`, `tanh` and
//! products. On a
//! processor without AVX2 both runs take the default path and the comparison is trivial; the
//! test prints which. In a debug build little is inlined into the AVX2 copy;
//! `cargo test --release --test diff wide` compares the two fully compiled paths.

use dualgrad::jet::{set_wide_vectors, wide_vectors};
use std::sync::{Mutex, MutexGuard};

/// The tests switch one process-wide setting: each holds this lock while it does, so that no
/// other test switches it back in between (which would make a comparison compare the default
/// path with itself).
static WIDE_SETTING: Mutex<()> = Mutex::new(());

fn hold_the_setting() -> MutexGuard<'static, ()> {
    WIDE_SETTING.lock().unwrap_or_else(|e| e.into_inner())
}
use dualgrad::{Scalar, ScalarFn, VectorFn};
use nalgebra::{SMatrix, SVector};

/// `Σᵢ (ln(1 + exp(aᵢ xᵢ)) − 0.1 i xᵢ) + tanh(3 x₀ x₁) + ln(2 + x₂²)·x₁`: softplus terms, a
/// saturating product and a logarithm (the functions with the NaN-safety test and `tanh`'s two
/// derivative branches), at any `N ≥ 3`.
struct Mixed<const N: usize>;

fn coefficient(i: usize) -> f64 {
    0.7 * (1.3 * i as f64 + 0.4).sin()
}

impl<const N: usize> ScalarFn<N> for Mixed<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        let mut s = (x[0] * x[1] * 3.0).tanh() + (x[2] * x[2] + 2.0).ln() * x[1];
        for i in 0..N {
            s += (x[i] * coefficient(i)).exp().ln_1p() - x[i] * (0.1 * i as f64);
        }
        s
    }
}

fn point<const N: usize>() -> SVector<f64, N> {
    // inputs between −1.9 and 1.9; 3 x₀ x₁ = −2.04, where tanh's derivative is not 1 − tanh²
    // but sech² from an exponential
    SVector::from_fn(|i, _| 1.9 * (0.9 * i as f64 + 1.1).cos())
}

/// Value and gradient as bits, with the wide path on or off.
fn gradient_bits<const N: usize>(wide: bool) -> Vec<u64> {
    set_wide_vectors(wide);
    let (f, g) = Mixed::<N>.gradient(&point::<N>());
    std::iter::once(&f).chain(&g).map(|v| v.to_bits()).collect()
}

fn same_bits<const N: usize>() {
    let a = gradient_bits::<N>(true);
    let b = gradient_bits::<N>(false);
    set_wide_vectors(true);
    for (k, (a, b)) in a.iter().zip(&b).enumerate() {
        assert_eq!(
            a,
            b,
            "N = {N}, entry {k}: wide {} against default {}",
            f64::from_bits(*a),
            f64::from_bits(*b)
        );
    }
    assert!(b.iter().all(|&v| f64::from_bits(v).is_finite()));
}

#[test]
fn the_trait_gradient_gives_the_same_bits_on_both_paths() {
    let _setting = hold_the_setting();
    println!("wide vectors (AVX2) on this machine: {}", wide_vectors());
    // padded from N to the next 4k + 3: N = 4, 7, 11 (a multiple of four and two 4k + 3, which
    // pad by four), 13 (XOR), 16, 32 (the top of the default one-pass range); 40 and 67 (iris)
    // take one padded pass on the wide path against chunks of 16 on the default one; 80 is the
    // top of the wide range
    same_bits::<4>();
    same_bits::<7>();
    same_bits::<11>();
    same_bits::<13>();
    same_bits::<16>();
    same_bits::<32>();
    same_bits::<40>();
    same_bits::<67>();
    same_bits::<80>();
}

#[test]
fn the_wide_gradient_matches_the_closed_form() {
    let _setting = hold_the_setting();
    // the dispatched gradient is the derivative, not only the default path's bits: ∂/∂xᵢ
    // written out (softplus′ = the logistic sigmoid, tanh′ = sech²)
    set_wide_vectors(true);
    let x = point::<13>();
    let (_, g) = Mixed::<13>.gradient(&x);
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    let sech2 = |z: f64| 1.0 / z.cosh().powi(2);
    for i in 0..13 {
        let a = coefficient(i);
        let mut want = a * sigmoid(a * x[i]) - 0.1 * i as f64;
        match i {
            0 => want += 3.0 * sech2(3.0 * x[0] * x[1]) * x[1],
            1 => want += 3.0 * sech2(3.0 * x[0] * x[1]) * x[0] + (x[2] * x[2] + 2.0).ln(),
            2 => want += 2.0 * x[2] / (x[2] * x[2] + 2.0) * x[1],
            _ => {}
        }
        assert!(
            (g[i] - want).abs() <= 1e-14 * want.abs().max(1.0),
            "∂f/∂x{i}: {} against {want}",
            g[i]
        );
    }
}

/// `√(x₁ + 0·x₀) + Σᵢ₌₂ xᵢ³` at `x₁ = 0`: `∂/∂x₁ = ∞`, and `∂/∂x₀` is the NaN-safe `0 · ∞ = 0`
/// (the zero tangent wins). Both paths must give those values, with the same bits.
struct SqrtAtZero<const N: usize>;

impl<const N: usize> ScalarFn<N> for SqrtAtZero<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T {
        let mut s = (x[1] + x[0] * 0.0).sqrt();
        for i in 2..N {
            s += x[i] * x[i] * x[i];
        }
        s
    }
}

fn edge_bits<const N: usize>(wide: bool) -> Vec<u64> {
    set_wide_vectors(wide);
    let x = SVector::<f64, N>::from_fn(|i, _| if i == 1 { 0.0 } else { 0.5 + 0.1 * i as f64 });
    let (f, g) = SqrtAtZero::<N>.gradient(&x);
    assert_eq!(
        (f.is_finite(), g[0], g[1]),
        (true, 0.0, f64::INFINITY),
        "N = {N}"
    );
    std::iter::once(&f).chain(&g).map(|v| v.to_bits()).collect()
}

#[test]
fn an_infinite_derivative_is_the_same_on_both_paths() {
    let _setting = hold_the_setting();
    fn both<const N: usize>() {
        let (a, b) = (edge_bits::<N>(true), edge_bits::<N>(false));
        set_wide_vectors(true);
        assert_eq!(a, b, "N = {N}");
    }
    both::<13>();
    both::<40>();
    both::<80>();
}

// ---------------------------------------------------------------------------------------------
// VectorFn::jacobian
// ---------------------------------------------------------------------------------------------

/// `fₘ = tanh(cₘ xₚ x_q) + ln(2 + xᵣ²)·exp(dₘ s)`, `s = Σᵢ wᵢ xᵢ`, with `p, q, r = m, m + 1,
/// m + 2` (mod `N`): a product inside `tanh` (arguments on both sides of `|z| = 1`), a logarithm
/// and an exponential of a sum over every input, so every entry of `J` is nonzero.
struct VecMixed<const N: usize, const M: usize>;

fn tanh_scale(m: usize) -> f64 {
    1.5 + 0.5 * (0.3 * m as f64).sin()
}

fn exp_scale(m: usize) -> f64 {
    0.2 * (0.7 * m as f64 + 0.2).cos()
}

impl<const N: usize, const M: usize> VectorFn<N, M> for VecMixed<N, M> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> SVector<T, M> {
        let mut s = T::zero();
        for i in 0..N {
            s += x[i] * coefficient(i);
        }
        SVector::from_fn(|m, _| {
            let (p, q, r) = (m % N, (m + 1) % N, (m + 2) % N);
            (x[p] * x[q] * tanh_scale(m)).tanh()
                + (x[r] * x[r] + 2.0).ln() * (s * exp_scale(m)).exp()
        })
    }
}

/// Values and Jacobian as bits (values, then `J` column by column), with the wide path on or
/// off; the Jacobian by `jacobian` or, for large results, by `jacobian_boxed` (each in a frame of
/// its own: a debug build keeps every matrix of a frame on the stack).
fn jacobian_bits<const N: usize, const M: usize>(wide: bool) -> Vec<u64> {
    #[inline(never)]
    fn by_value<const N: usize, const M: usize>(x: &SVector<f64, N>) -> Vec<u64> {
        let r = VecMixed::<N, M>.jacobian(x); // not destructured: that would copy the matrix
        r.0.iter().chain(r.1.iter()).map(|v| v.to_bits()).collect()
    }
    #[inline(never)]
    fn boxed<const N: usize, const M: usize>(x: &SVector<f64, N>) -> Vec<u64> {
        let (v, j) = VecMixed::<N, M>.jacobian_boxed(x);
        v.iter().chain(j.iter()).map(|v| v.to_bits()).collect()
    }
    set_wide_vectors(wide);
    let x = point::<N>();
    if 8 * M * N <= 64 * 1024 {
        by_value::<N, M>(&x)
    } else {
        boxed::<N, M>(&x)
    }
}

fn same_jacobian_bits<const N: usize, const M: usize>() {
    let a = jacobian_bits::<N, M>(true);
    let b = jacobian_bits::<N, M>(false);
    set_wide_vectors(true);
    assert_eq!(a.len(), M + M * N);
    for (k, (a, b)) in a.iter().zip(&b).enumerate() {
        assert_eq!(
            a,
            b,
            "N = {N}, M = {M}, entry {k}: wide {} against default {}",
            f64::from_bits(*a),
            f64::from_bits(*b)
        );
    }
    assert!(b.iter().all(|&v| f64::from_bits(v).is_finite()));
}

#[test]
fn the_trait_jacobian_gives_the_same_bits_on_both_paths() {
    let _setting = hold_the_setting();
    println!("wide vectors (AVX2) on this machine: {}", wide_vectors());
    // N = 16 (the smallest that dispatches: padded to 19), 19 (padded by four), 32 (the top of
    // the default one-pass range), 40 and 80 (one padded pass on the wide path against chunks
    // of 16 on the default one; 80 is the top of the wide range); M below, at and above N;
    // 80 × 80 at the largest padded output the wide path takes, 40 × 200 above it (the default
    // path on both runs), 80 × 120 through the heap
    same_jacobian_bits::<16, 1>();
    same_jacobian_bits::<16, 21>();
    same_jacobian_bits::<19, 5>();
    same_jacobian_bits::<32, 40>();
    same_jacobian_bits::<40, 7>();
    same_jacobian_bits::<40, 64>();
    same_jacobian_bits::<40, 200>();
    same_jacobian_bits::<80, 3>();
    same_jacobian_bits::<80, 80>();
    same_jacobian_bits::<80, 120>();
}

/// `VecMixed`'s values and Jacobian written out (`tanh′ = sech²`), against the dispatched
/// Jacobian on the path `wide` selects.
fn jacobian_matches_closed_form<const N: usize, const M: usize>(wide: bool) {
    set_wide_vectors(wide);
    let x = point::<N>();
    let mut v = SVector::<f64, M>::zeros();
    let mut j = SMatrix::<f64, M, N>::zeros();
    VecMixed::<N, M>.jacobian_into(&x, &mut v, &mut j);
    set_wide_vectors(true);
    let s: f64 = (0..N).map(|i| x[i] * coefficient(i)).sum();
    let sech2 = |z: f64| 1.0 / z.cosh().powi(2);
    for m in 0..M {
        let (p, q, r) = (m % N, (m + 1) % N, (m + 2) % N);
        let (c, d) = (tanh_scale(m), exp_scale(m));
        let z = c * x[p] * x[q];
        let (l, e) = ((2.0 + x[r] * x[r]).ln(), (d * s).exp());
        let want = z.tanh() + l * e;
        assert!((v[m] - want).abs() <= 1e-14 * want.abs().max(1.0), "f{m}");
        for k in 0..N {
            let mut want = l * e * d * coefficient(k);
            if k == p {
                want += c * x[q] * sech2(z);
            }
            if k == q {
                want += c * x[p] * sech2(z);
            }
            if k == r {
                want += 2.0 * x[r] / (2.0 + x[r] * x[r]) * e;
            }
            assert!(
                (j[(m, k)] - want).abs() <= 1e-13 * want.abs().max(1.0),
                "N = {N}, wide {wide}: J[{m}, {k}] = {} against {want}",
                j[(m, k)]
            );
        }
    }
}

#[test]
fn the_wide_jacobian_matches_the_closed_form() {
    let _setting = hold_the_setting();
    // the dispatched Jacobian is the derivative, not only the default path's bits
    for wide in [true, false] {
        jacobian_matches_closed_form::<4, 6>(wide);
        jacobian_matches_closed_form::<13, 9>(wide);
        jacobian_matches_closed_form::<16, 9>(wide);
        jacobian_matches_closed_form::<40, 11>(wide);
        jacobian_matches_closed_form::<80, 5>(wide);
    }
}

/// `(√(x₁ + 0·x₀), Σᵢ₌₂ xᵢ³, x₀ x₁)` at `x₁ = 0`: `∂f₀/∂x₁ = ∞`, and `∂f₀/∂x₀` is the NaN-safe
/// `0 · ∞ = 0` (the zero tangent wins).
struct VecSqrtAtZero<const N: usize>;

impl<const N: usize> VectorFn<N, 3> for VecSqrtAtZero<N> {
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> SVector<T, 3> {
        let mut cubes = T::zero();
        for i in 2..N {
            cubes += x[i] * x[i] * x[i];
        }
        SVector::from([(x[1] + x[0] * 0.0).sqrt(), cubes, x[0] * x[1]])
    }
}

fn jacobian_edge_bits<const N: usize>(wide: bool) -> Vec<u64> {
    set_wide_vectors(wide);
    let x = SVector::<f64, N>::from_fn(|i, _| if i == 1 { 0.0 } else { 0.5 + 0.1 * i as f64 });
    let (v, j) = VecSqrtAtZero::<N>.jacobian(&x);
    // closed forms: row 0 is (0, ∞, 0, …), row 1 is 3xᵢ² from i = 2, row 2 is (x₁, x₀, 0, …)
    assert_eq!(
        (v[0], j[(0, 0)], j[(0, 1)]),
        (0.0, 0.0, f64::INFINITY),
        "N = {N}"
    );
    assert!(
        (2..N).all(|k| j[(0, k)] == 0.0 && j[(2, k)] == 0.0),
        "N = {N}"
    );
    assert_eq!((j[(2, 0)], j[(2, 1)]), (0.0, x[0]), "N = {N}");
    assert_eq!((j[(1, 0)], j[(1, 1)]), (0.0, 0.0), "N = {N}");
    for k in 2..N {
        assert!(
            (j[(1, k)] - 3.0 * x[k] * x[k]).abs() <= 1e-15 * (3.0 * x[k] * x[k]),
            "N = {N}"
        );
    }
    v.iter().chain(j.iter()).map(|v| v.to_bits()).collect()
}

#[test]
fn an_infinite_jacobian_entry_is_the_same_on_both_paths() {
    let _setting = hold_the_setting();
    fn both<const N: usize>() {
        let (a, b) = (
            jacobian_edge_bits::<N>(true),
            jacobian_edge_bits::<N>(false),
        );
        set_wide_vectors(true);
        assert_eq!(a, b, "N = {N}");
    }
    both::<16>();
    both::<40>();
    both::<80>();
}

/// Debug-build Jacobians inside a thread with a 2 MiB stack, on both paths: at the largest
/// output the AVX2 copy takes (`M · (W + 1) ≤ 80 · 84` numbers, `W` the padded width: `M = 80`
/// at `N = 80`, `152` at `N = 40`, `336` at `N = 16`) and above it (`M = 400` at `N = 80`,
/// where the padded pass's output would be 263 KiB and the default path runs on both).
#[test]
fn wide_jacobians_with_many_rows_fit_a_2_mib_thread() {
    let _setting = hold_the_setting();
    fn both<const N: usize, const M: usize>() {
        let run = |wide: bool| {
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || jacobian_bits::<N, M>(wide))
                .unwrap()
                .join()
                .expect("no stack overflow")
        };
        let (a, b) = (run(true), run(false));
        set_wide_vectors(true);
        assert!(a == b, "N = {N}, M = {M}");
    }
    both::<80, 80>();
    both::<40, 152>();
    both::<16, 336>();
    both::<80, 400>();
}
