//! `ScalarFn::gradient` runs a copy compiled for AVX2 where the processor has it
//! (`dualgrad::jet::wide_vectors`), which evaluates the function with padded jets: both paths
//! must give the same bits, on a function built from `exp`, `ln`, `ln_1p` and `tanh`. On a
//! processor without AVX2 both runs take the default path and the comparison is trivial; the
//! test prints which. In a debug build little is inlined into the AVX2 copy;
//! `cargo test --release --test diff wide` compares the two fully compiled paths.

use dualgrad::jet::{set_wide_vectors, wide_vectors};
use dualgrad::{Scalar, ScalarFn};
use nalgebra::SVector;

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
    fn both<const N: usize>() {
        let (a, b) = (edge_bits::<N>(true), edge_bits::<N>(false));
        set_wide_vectors(true);
        assert_eq!(a, b, "N = {N}");
    }
    both::<13>();
    both::<40>();
    both::<80>();
}
