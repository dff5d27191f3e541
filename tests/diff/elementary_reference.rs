//! Derivatives of orders 0 to 4 of the elementary functions whose textbook derivative formulas
//! cancel (`tanh` for large `|x|`, `atanh`/`asin`/`acos` near `±1`, `acosh` near 1, `asinh`,
//! `atan` and `acosh` where `x²` overflows), and of their neighbours (`sinh`, `cosh`, `exp_m1`,
//! `ln_1p`), against high-precision references computed by an independent program with mpmath:
//! `tests/reference/elementary_derivatives.py`, output `elementary_derivatives.json`. Orders
//! 1–3 come from the crate's `derivative`/`second_derivative`/`third_derivative` (nested jets),
//! order 4 from a derivative of a third derivative.

use dualgrad::{Scalar, derivative, second_derivative, third_derivative};
use serde_json::Value;

const JSON: &str = include_str!("../reference/elementary_derivatives.json");

fn apply<T: Scalar>(name: &str, x: T) -> T {
    match name {
        "tanh" => x.tanh(),
        "sinh" => x.sinh(),
        "cosh" => x.cosh(),
        "atanh" => x.atanh(),
        "asin" => x.asin(),
        "acos" => x.acos(),
        "acosh" => x.acosh(),
        "asinh" => x.asinh(),
        "atan" => x.atan(),
        "exp_m1" => x.exp_m1(),
        "ln_1p" => x.ln_1p(),
        other => panic!("no function {other} in the reference file"),
    }
}

/// `f(x), f'(x), …, f⁽⁴⁾(x)` by the crate.
fn orders(name: &str, x: f64) -> [f64; 5] {
    let d0 = apply(name, x);
    let d1 = derivative(|t| apply(name, t), x).1;
    let d2 = second_derivative(|t| apply(name, t), x).2;
    let d3 = third_derivative(|t| apply(name, t), x).3;
    let d4 = derivative(|s| third_derivative(|t| apply(name, t), s).3, x).1;
    [d0, d1, d2, d3, d4]
}

/// Relative tolerance of order `k`: a few roundings per order of the nested chain rule. The
/// values (order 0) are those of Rust's `f64` functions, which the jets inherit; `f64::atanh`
/// near `−1` and `f64::acosh` near 1 are good to only about `1e-11` there (the references show
/// it), which is not a matter of the derivative rules tested here.
fn rtol(k: usize) -> f64 {
    [3e-11, 1e-15, 2e-15, 4e-15, 8e-15][k]
}

/// Every reference value, at its tolerance; reports every miss at once.
#[test]
fn derivatives_against_mpmath_references() {
    let doc: Value = serde_json::from_str(JSON).expect("reference JSON parses");
    let cases = doc.as_array().expect("an array of cases");
    assert!(cases.len() > 100, "{} cases", cases.len());
    let mut misses = Vec::new();
    for case in cases {
        let name = case["function"].as_str().unwrap();
        // f64 written as strings and parsed by `str::parse`, which rounds exactly
        let parse = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
        let x = parse(&case["x"]);
        let want: Vec<f64> = case["derivatives"]
            .as_array()
            .unwrap()
            .iter()
            .map(parse)
            .collect();
        let got = orders(name, x);
        for (k, (&g, &w)) in got.iter().zip(&want).enumerate() {
            // below the normal range (|w| < 2⁻¹⁰²² ≈ 2.2e-308) relative accuracy ends: there
            // the value must be within a subnormal-scale distance, and never NaN
            let ok = if w.abs() < f64::MIN_POSITIVE {
                (g - w).abs() <= f64::MIN_POSITIVE
            } else {
                (g - w).abs() <= rtol(k) * w.abs()
            };
            if !ok {
                misses.push(format!(
                    "{name}({x:e}) order {k}: {g:e}, reference {w:e}, relative error {:.1e}",
                    ((g - w) / w).abs()
                ));
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Far beyond the reference points every derivative is finite: `tanh` where `cosh` overflows,
/// `atan`, `asinh`, `acosh` where `x²` does.
#[test]
fn no_overflow_far_out() {
    for (name, x) in [
        ("tanh", 800.0),
        ("tanh", -1e300),
        ("atan", 1e300),
        ("asinh", -1e300),
        ("acosh", 1e300),
    ] {
        let got = orders(name, x);
        assert!(got.iter().all(|v| v.is_finite()), "{name}({x:e}): {got:?}");
        assert!(
            got[1..].iter().all(|v| v.abs() < 1e-299),
            "{name}({x:e}): {got:?}"
        );
    }
    // the derivative of asinh, atan, acosh keeps its relative accuracy up to the largest f64
    let x = 1e300_f64;
    assert!((derivative(|t| apply("asinh", t), x).1 - 1e-300).abs() <= 1e-315);
    assert!((derivative(|t| apply("acosh", t), x).1 - 1e-300).abs() <= 1e-315);
}

/// `tanh` of a first-order jet, over the whole line: its value is `f64::tanh`'s to the bit (the
/// jet computes value and derivative together, from one exponential where the C library's
/// `tanh` allows it), and its derivative is `sech² x = 1/cosh² x` (an independent closed form,
/// `cosh` good to an ulp) to a few units in the last place, where `1 − tanh²` would have
/// cancelled to nothing. Log-uniform magnitudes from `1e-20` to `350` (`cosh²` overflows
/// beyond), both signs; then the special values.
#[test]
fn tanh_value_bitwise_and_derivative_everywhere() {
    fn prop(u: u32, negative: bool) -> bool {
        let r = f64::from(u) / f64::from(u32::MAX);
        let a = 1e-20 * (350.0f64 / 1e-20).powf(r);
        let x = if negative { -a } else { a };
        let (v, d) = derivative(|t| t.tanh(), x);
        let c = x.cosh();
        let want = 1.0 / (c * c);
        v.to_bits() == x.tanh().to_bits() && (d - want).abs() <= 2e-15 * want
    }
    quickcheck::QuickCheck::new()
        .tests(5_000)
        .quickcheck(prop as fn(u32, bool) -> bool);
    // the branch boundaries of the one-exponential form and their neighbours
    for b in [2f64.powi(-55), 1.0, 22.0] {
        for x in [
            f64::from_bits(b.to_bits() - 1),
            b,
            f64::from_bits(b.to_bits() + 1),
        ] {
            for x in [x, -x] {
                let (v, d) = derivative(|t| t.tanh(), x);
                let c = x.cosh();
                assert_eq!(v.to_bits(), x.tanh().to_bits(), "tanh({x:e})");
                assert!(
                    (d - 1.0 / (c * c)).abs() <= 2e-15 / (c * c),
                    "tanh'({x:e}) = {d:e}"
                );
            }
        }
    }
    for (x, v, d) in [
        (0.0, 0.0_f64, 1.0),
        (-0.0, -0.0, 1.0),
        (f64::INFINITY, 1.0, 0.0),
        (f64::NEG_INFINITY, -1.0, 0.0),
        (800.0, 1.0, 0.0),
        (5e-324, 5e-324, 1.0),
    ] {
        let got = derivative(|t| t.tanh(), x);
        assert_eq!((got.0.to_bits(), got.1), (v.to_bits(), d), "tanh at {x:e}");
    }
    let (v, d) = derivative(|t| t.tanh(), f64::NAN);
    assert!(v.is_nan() && d.is_nan(), "tanh at NaN: ({v}, {d})");
}

/// The two-call form of `tanh` (what jets use where the C library's `tanh` is not glibc's
/// classic algorithm, and on a thread where no entry point has seeded variables yet): the same
/// value bit for bit, and a derivative as accurate. A jet built by hand on a new thread takes it.
#[test]
fn tanh_two_call_form_on_a_fresh_thread() {
    std::thread::spawn(|| {
        for i in 0..2_000 {
            let x = -30.0 + 0.03 * f64::from(i) + 1e-4;
            let j = dualgrad::Jet::<f64, 1>::new(x, [1.0]).tanh();
            let c = x.cosh();
            assert_eq!(j.re.to_bits(), x.tanh().to_bits(), "tanh({x:e})");
            assert!(
                (j.eps[0] - 1.0 / (c * c)).abs() <= 2e-15 / (c * c),
                "tanh'({x:e}) = {:e}",
                j.eps[0]
            );
        }
    })
    .join()
    .expect("the thread's assertions hold");
}

/// `∂/∂y atan2(y, x) = x/(x² + y²)` and `∂/∂x = −y/(x² + y²)` at magnitudes where `x² + y²`
/// overflows or underflows (`10⁻³⁰⁵` to `10³⁰⁰`), against the same
/// quotients written without squares: `1/(x + y·(y/x))` for `|x| ≥ |y|`, and its mirror.
#[test]
fn atan2_derivatives_at_extreme_magnitudes() {
    fn reference(y: f64, x: f64) -> (f64, f64) {
        if x.abs() >= y.abs() {
            let t = y / x;
            let dy = 1.0 / (x + y * t);
            (dy, -t * dy)
        } else {
            let t = x / y;
            let dx = -1.0 / (y + x * t);
            (-t * dx, dx)
        }
    }
    fn prop(ey: u16, ex: u16, sy: bool, sx: bool, ry: u8, rx: u8) -> bool {
        // exponents in [−300, 300], mantissas in [1, 2)
        let e = |u: u16| f64::from(u % 601) - 300.0;
        let m = |r: u8| 1.0 + f64::from(r) / 256.0;
        let y = if sy { -1.0 } else { 1.0 } * m(ry) * 10f64.powf(e(ey));
        let x = if sx { -1.0 } else { 1.0 } * m(rx) * 10f64.powf(e(ex));
        let (_, g) = dualgrad::gradient(|v| v[0].atan2(v[1]), &nalgebra::SVector::from([y, x]));
        let (dy, dx) = reference(y, x);
        let close = |got: f64, want: f64| {
            if got == want {
                true
            } else if want == 0.0 || want.abs() < f64::MIN_POSITIVE {
                (got - want).abs() <= 4.0 * f64::MIN_POSITIVE
            } else {
                (got - want).abs() <= 4.0 * f64::EPSILON * want.abs()
            }
        };
        close(g[0], dy) && close(g[1], dx)
    }
    quickcheck::QuickCheck::new()
        .tests(3_000)
        .quickcheck(prop as fn(u16, u16, bool, bool, u8, u8) -> bool);
    for (y, x) in [
        (1e200, 2e200),
        (3e-200, 1e-200),
        (1e300, -1e300),
        (1e-305, 2e-305),
    ] {
        let (_, g) = dualgrad::gradient(|v| v[0].atan2(v[1]), &nalgebra::SVector::from([y, x]));
        let (dy, dx) = reference(y, x);
        assert!(
            (g[0] - dy).abs() <= 4.0 * f64::EPSILON * dy.abs()
                && (g[1] - dx).abs() <= 4.0 * f64::EPSILON * dx.abs(),
            "atan2 at ({y:e}, {x:e}): {g:?}, reference ({dy:e}, {dx:e})"
        );
    }
}

/// The spherical Bessel functions `j0`, `j1`, `j2` and their first two derivatives near 0, where
/// the closed forms cancel, against their defining series summed term by term, each term
/// differentiated as a monomial: `j_n(x) = Σₖ (−1)ᵏ x^{2k+n} / (2ᵏ k! (2k + 2n + 1)!!)`
/// (independent of the crate's nested evaluation of the same series). Relative tolerance a few
/// units in the last place.
#[test]
fn spherical_bessel_near_zero_against_the_defining_series() {
    fn series(n: i32, x: f64) -> [f64; 3] {
        let mut out = [0.0; 3];
        for k in 0..40 {
            let p = 2 * k + n; // the power of x
            let mut denom = 2f64.powi(k) * (1..=k).map(f64::from).product::<f64>();
            denom *= (1..=(2 * k + 2 * n + 1))
                .step_by(2)
                .map(f64::from)
                .product::<f64>();
            let c = if k % 2 == 0 { 1.0 } else { -1.0 } / denom;
            let pf = f64::from(p);
            out[0] += c * x.powi(p);
            if p >= 1 {
                out[1] += c * pf * x.powi(p - 1);
            }
            if p >= 2 {
                out[2] += c * pf * (pf - 1.0) * x.powi(p - 2);
            }
        }
        out
    }
    let apply = |n: i32, t: dualgrad::Jet<dualgrad::Jet<f64, 1>, 1>| match n {
        0 => num_dual::DualNum::sph_j0(&t),
        1 => num_dual::DualNum::sph_j1(&t),
        _ => num_dual::DualNum::sph_j2(&t),
    };
    let mut misses = Vec::new();
    for n in 0..3 {
        for &x in &[1e-8, -1e-5, 1e-3, 0.01, -0.1, 0.5, 1.0, 1.5, -1.99, 2.5] {
            let j = apply(n, dualgrad::Jet::variable(dualgrad::Jet::variable(x, 0), 0));
            let got = [j.re.re, j.re.eps[0], j.eps[0].eps[0]];
            let want = series(n, x);
            for (order, (&g, &w)) in got.iter().zip(&want).enumerate() {
                if (g - w).abs() > 1e-14 * w.abs().max(1e-300) {
                    misses.push(format!("j{n}({x:e}) order {order}: {g:e}, series {w:e}"));
                }
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// `tanh` of an `f64` jet gives the same bits at every width: one tangent (inline), the widths
/// that call it out of line (2, 13, 16) and the AVX2 copies' widths `4k + 3` (7, 15, 71), where
/// it comes from two calls. A gradient's bits must not depend on the path that computed it.
#[test]
fn tanh_gives_the_same_bits_at_every_width() {
    fn at<const N: usize>(x: f64) -> (u64, u64) {
        let p = nalgebra::SVector::<f64, N>::from_fn(|i, _| if i == 0 { x } else { 0.3 });
        let (v, g) = dualgrad::gradient(|v| v[0].tanh(), &p);
        (v.to_bits(), g[0].to_bits())
    }
    let mut xs: Vec<f64> = (0..4_000)
        .map(|i| -40.0 + 0.02 * f64::from(i) + 1e-3)
        .collect();
    xs.extend([
        0.0,
        -0.0,
        1e-20,
        1.0,
        -1.0,
        22.0,
        -22.0,
        2.04,
        f64::INFINITY,
    ]);
    for x in xs {
        let one = dualgrad::derivative(|t| t.tanh(), x);
        let want = (one.0.to_bits(), one.1.to_bits());
        for (w, got) in [
            (2, at::<2>(x)),
            (7, at::<7>(x)),
            (13, at::<13>(x)),
            (15, at::<15>(x)),
            (16, at::<16>(x)),
            (71, at::<71>(x)),
        ] {
            assert_eq!(got, want, "tanh at {x:e}, width {w} against one tangent");
        }
    }
}
