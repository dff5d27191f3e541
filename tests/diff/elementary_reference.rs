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
