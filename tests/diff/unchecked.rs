//! `ScalarFn::gradient` first evaluates on jets without the chain rule's NaN-safety test and
//! runs the careful evaluation only when a partial came out NaN. Its results must be the
//! careful ones, bit for bit, wherever a `0 · ∞` could arise: the closure form `gradient`
//! always evaluates carefully, so the two are compared, at ordinary points and at points where
//! a local derivative is infinite, on functions that compare, select, take maxima and minima,
//! or multiply by zero (the places where a NaN of the unchecked pass could be dropped before
//! the output). Closed forms pin the careful answers at the points that matter.
//! `VectorFn::jacobian`, `ScalarFn::hessian` and `ScalarFn::hvp` take the same route (the last
//! two without the tests of either level of their nested jets) and are compared the same way.

use dualgrad::{
    Chunk, Scalar, ScalarFn, VectorFn, gradient, hessian, hessian_chunked, hvp, jacobian,
};
use nalgebra::SVector;
use quickcheck::{QuickCheck, TestResult};

/// Number of the function cases of [`Case`].
const CASES: usize = 17;

/// A function of `x = x[0]`, `y = x[1]`, plus `0.5 Σ_{i ≥ 2} x[i]` so that every input has a
/// partial, chosen by `self.0`.
struct Case<const N: usize>(usize);

impl<const N: usize> ScalarFn<N> for Case<N> {
    fn eval<T: Scalar>(&self, v: &SVector<T, N>) -> T {
        let (x, y) = (v[0], v[1]);
        let f = match self.0 {
            0 => x.sqrt() + y,
            1 => x.ln() + y * y,
            2 => (x * x + y * y).sqrt(),
            3 => x.sqrt().max(y),
            4 => x.sqrt().min(y * 2.0),
            // a comparison whose branch drops the jet with the infinite derivative
            5 => {
                let s = x.sqrt();
                if y > T::zero() { y * 2.0 } else { s + y }
            }
            // multiplied by a zero constant: 0 · ∞ in the value's own partial
            6 => x.sqrt() * 0.0 + y,
            7 => x.sqrt().powi(0) + y,
            8 => x.sqrt().hypot(y),
            9 => x.sqrt().atan2(y + 1.0),
            10 => x.exp() + y.ln_1p(),
            11 => (x.ln() * y).exp(),
            12 => x.abs().sqrt() * y.tanh(),
            13 => x.recip() + y,
            14 => x.cbrt() * y + x.powf(1.5.into()),
            // an infinite partial by overflow, with no 0 · ∞ anywhere (no NaN in the unchecked
            // result), into an atan2 whose checked form repairs every part once one is infinite
            16 => (x * 1e300 * 1e300).atan2(y * 0.0 - 1.0),
            _ => (x.sqrt() - y).abs() + x.asin(),
        };
        let mut rest = T::zero();
        for i in 2..N {
            rest += v[i] * 0.5;
        }
        f + rest
    }
}

/// Value and gradient as bits, by the trait form (unchecked first) or the closure form
/// (careful).
fn bits<const N: usize>(case: usize, x: &SVector<f64, N>, trait_form: bool) -> Vec<u64> {
    let f = Case::<N>(case);
    let (v, g) = if trait_form {
        f.gradient(x)
    } else {
        gradient(|x| f.eval(x), x)
    };
    bits_of(std::iter::once(&v).chain(g.iter()))
}

fn point<const N: usize>(x: f64, y: f64) -> SVector<f64, N> {
    SVector::from_fn(|i, _| match i {
        0 => x,
        1 => y,
        _ => 0.3 * i as f64,
    })
}

/// The inputs where derivatives are infinite or undefined, and ordinary ones.
const SPECIAL: [f64; 14] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    1e-300,
    -1e-300,
    1e300,
    f64::MIN_POSITIVE / 4.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    -3.5,
];

fn agree_everywhere<const N: usize>() {
    for case in 0..CASES {
        for &x in &SPECIAL {
            for &y in &SPECIAL {
                let p = point::<N>(x, y);
                let (a, b) = (bits(case, &p, true), bits(case, &p, false));
                assert_eq!(
                    a,
                    b,
                    "N = {N}, case {case} at ({x}, {y}): trait {:?} against closure {:?}",
                    a.iter().map(|&v| f64::from_bits(v)).collect::<Vec<_>>(),
                    b.iter().map(|&v| f64::from_bits(v)).collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn unchecked_then_careful_equals_careful_at_special_points_in_one_pass() {
    agree_everywhere::<2>();
    agree_everywhere::<13>();
}

#[test]
fn unchecked_then_careful_equals_careful_at_special_points_in_chunks() {
    // above GRADIENT_ONE_PASS_MAX: chunks on the default path, one padded pass on AVX2
    agree_everywhere::<40>();
}

#[test]
fn the_careful_answers_where_the_unchecked_pass_gives_nan() {
    let g = |case: usize, x: f64, y: f64| Case::<3>(case).gradient(&point::<3>(x, y));
    // ∂/∂y (√x + y) at x = 0 is 1, and ∂/∂x is ∞
    let (v, d) = g(0, 0.0, 3.0);
    assert_eq!(
        (v, d[0], d[1], d[2]),
        (3.0 + 0.5 * 0.6, f64::INFINITY, 1.0, 0.5)
    );
    // ln x + y² at (0, 1): (∞, 2)
    let (v, d) = g(1, 0.0, 1.0);
    assert_eq!((v, d[0], d[1]), (f64::NEG_INFINITY, f64::INFINITY, 2.0));
    // the Euclidean norm at the origin: gradient 0
    let (_, d) = g(2, 0.0, 0.0);
    assert_eq!((d[0], d[1]), (0.0, 0.0));
    // max(√x, y) at (0, −1) is √x: (∞, 0); min(√x, 2y) at (0, 1) is √x
    let (v, d) = g(3, 0.0, -1.0);
    assert_eq!((v, d[0], d[1]), (0.5 * 0.6, f64::INFINITY, 0.0));
    let (_, d) = g(4, 0.0, 1.0);
    assert_eq!((d[0], d[1]), (f64::INFINITY, 0.0));
    // the branch that drops √x: (0, 2), and the one that keeps it: (∞, 1)
    let (_, d) = g(5, 0.0, 1.0);
    assert_eq!((d[0], d[1]), (0.0, 2.0));
    let (_, d) = g(5, 0.0, -1.0);
    assert_eq!((d[0], d[1]), (f64::INFINITY, 1.0));
    // √x · 0 + y: ∂/∂y is 1 (∂/∂x is 0 · ∞, undefined)
    let (_, d) = g(6, 0.0, 2.0);
    assert_eq!(d[1], 1.0);
    assert!(d[0].is_nan());
    // 1/x + y at 0: (−∞ … the derivative −1/x² = −∞), ∂/∂y = 1
    let (_, d) = g(13, 0.0, 2.0);
    assert_eq!((d[0], d[1]), (f64::NEG_INFINITY, 1.0));
    // exp(x) + ln(1 + y) at x = ∞: (∞, 1/(1 + y))
    let (_, d) = g(10, f64::INFINITY, 1.0);
    assert_eq!((d[0], d[1]), (f64::INFINITY, 0.5));
    // atan2(10⁶⁰⁰ x, 0·y − 1) at (0, 2): ∂/∂x = −1/(1 + 0) · ∞ = −∞, and ∂/∂y = +0, sign
    // included, as the checked closure form gives it
    let (_, d) = g(16, 0.0, 2.0);
    assert_eq!(d[0], f64::NEG_INFINITY);
    assert_eq!(d[1].to_bits(), 0.0_f64.to_bits());
    let (_, closure) = gradient(|v| Case::<3>(16).eval(v), &point::<3>(0.0, 2.0));
    assert_eq!(closure[1].to_bits(), 0.0_f64.to_bits());
}

#[test]
fn unchecked_then_careful_equals_careful_on_a_box() {
    // every case at random points of [−4, 4]², with one coordinate snapped to 0 or ±1 half the
    // time (where √, ln, 1/x, asin have infinite derivatives)
    fn prop(case: u8, x: f64, y: f64, snap: u8) -> TestResult {
        if !x.is_finite() || !y.is_finite() {
            return TestResult::discard();
        }
        let fold = |v: f64| 4.0 * (v / 4.0).sin();
        let (mut x, mut y) = (fold(x), fold(y));
        match snap % 6 {
            0 => x = 0.0,
            1 => y = 0.0,
            2 => x = if x < 0.0 { -1.0 } else { 1.0 },
            _ => {}
        }
        let case = case as usize % CASES;
        let p = point::<5>(x, y);
        TestResult::from_bool(bits(case, &p, true) == bits(case, &p, false))
    }
    QuickCheck::new()
        .tests(500)
        .quickcheck(prop as fn(u8, f64, f64, u8) -> TestResult);
}

/// Two cases of [`Case`] as the rows of a residual vector: `(case k, case k + 1)`.
struct Rows<const N: usize>(usize);

impl<const N: usize> VectorFn<N, 2> for Rows<N> {
    fn eval<T: Scalar>(&self, v: &SVector<T, N>) -> SVector<T, 2> {
        SVector::from([
            Case::<N>(self.0).eval(v),
            Case::<N>((self.0 + 1) % CASES).eval(v),
        ])
    }
}

fn jacobian_bits<const N: usize>(case: usize, x: &SVector<f64, N>, trait_form: bool) -> Vec<u64> {
    let f = Rows::<N>(case);
    let (v, j) = if trait_form {
        f.jacobian(x)
    } else {
        jacobian(|x| f.eval(x), x)
    };
    bits_of(v.iter().chain(j.iter()))
}

fn jacobians_agree_everywhere<const N: usize>() {
    for case in 0..CASES {
        for &x in &SPECIAL {
            for &y in &SPECIAL {
                let p = point::<N>(x, y);
                assert_eq!(
                    jacobian_bits(case, &p, true),
                    jacobian_bits(case, &p, false),
                    "N = {N}, rows {case} and {} at ({x}, {y})",
                    (case + 1) % CASES
                );
            }
        }
    }
}

#[test]
fn unchecked_then_careful_jacobians_equal_careful_ones_at_special_points() {
    // one pass; one pass with the AVX2 copy from 16 inputs; chunks above 32 on the default path
    jacobians_agree_everywhere::<3>();
    jacobians_agree_everywhere::<17>();
    jacobians_agree_everywhere::<40>();
}

#[test]
fn the_careful_jacobian_where_the_unchecked_pass_gives_nan() {
    // rows √x + y and ln x + y² at (0, 1): (∞, 1) and (∞, 2)
    let (v, j) = Rows::<3>(0).jacobian(&point::<3>(0.0, 1.0));
    assert_eq!((v[0], v[1]), (1.0 + 0.3, f64::NEG_INFINITY));
    assert_eq!((j[(0, 0)], j[(0, 1)], j[(0, 2)]), (f64::INFINITY, 1.0, 0.5));
    assert_eq!((j[(1, 0)], j[(1, 1)], j[(1, 2)]), (f64::INFINITY, 2.0, 0.5));
}

/// The bits of each number, every NaN as one NaN: Rust fixes neither the sign nor the payload
/// of a NaN an operation produces, and the compiler may order an operation's operands either
/// way in each copy of the code (a release build of these tests gave `−NaN` in one form and
/// `NaN` in the other), so two evaluations agree when their numbers are the same bits or both
/// NaN.
fn bits_of<'a>(xs: impl IntoIterator<Item = &'a f64>) -> Vec<u64> {
    xs.into_iter()
        .map(|d| if d.is_nan() { f64::NAN } else { *d }.to_bits())
        .collect()
}

/// A Hessian by a closure form: `hessian` or `hessian_chunked`.
type ClosureHessian<const N: usize> =
    fn(&Case<N>, &SVector<f64, N>) -> (f64, SVector<f64, N>, nalgebra::SMatrix<f64, N, N>);

/// Value, gradient and Hessian as bits, by the trait form or by a closure form.
fn hessian_bits<const N: usize>(
    case: usize,
    x: &SVector<f64, N>,
    closure_form: Option<ClosureHessian<N>>,
) -> Vec<u64> {
    let f = Case::<N>(case);
    let (v, g, h) = match closure_form {
        None => f.hessian(x),
        Some(by) => by(&f, x),
    };
    bits_of(std::iter::once(&v).chain(g.iter()).chain(h.iter()))
}

/// Value, gradient and `H v` as bits, by the trait form or by `hvp` (the trait form's chunks are
/// bit for bit its one pass).
fn hvp_bits<const N: usize>(case: usize, x: &SVector<f64, N>, trait_form: bool) -> Vec<u64> {
    let f = Case::<N>(case);
    let v = SVector::<f64, N>::from_fn(|i, _| 0.5 - 0.25 * i as f64);
    let (value, g, hv) = if trait_form {
        f.hvp(x, &v)
    } else {
        hvp(|x| f.eval(x), x, &v)
    };
    bits_of(std::iter::once(&value).chain(g.iter()).chain(hv.iter()))
}

fn second_order_agrees_everywhere<const N: usize>(closure_form: ClosureHessian<N>) {
    for case in 0..CASES {
        for &x in &SPECIAL {
            for &y in &SPECIAL {
                let p = point::<N>(x, y);
                assert_eq!(
                    hessian_bits(case, &p, None),
                    hessian_bits(case, &p, Some(closure_form)),
                    "Hessian, N = {N}, case {case} at ({x}, {y})"
                );
                assert_eq!(
                    hvp_bits(case, &p, true),
                    hvp_bits(case, &p, false),
                    "H v, N = {N}, case {case} at ({x}, {y})"
                );
            }
        }
    }
}

#[test]
fn unchecked_then_careful_hessians_and_hvps_equal_careful_ones_at_special_points() {
    // one pass; Hessian blocks of 8 (and H v in one pass); H v in chunks of 8
    second_order_agrees_everywhere::<2>(|f, x| hessian(|x| f.eval(x), x));
    second_order_agrees_everywhere::<18>(|f, x| hessian_chunked(|x| f.eval(x), x, Chunk::<8>));
    second_order_agrees_everywhere::<34>(|f, x| hessian_chunked(|x| f.eval(x), x, Chunk::<8>));
}

#[test]
fn the_careful_hessian_where_the_unchecked_pass_gives_nan() {
    // √x + y at (0, 3), against closed forms: ∇ = (∞, 1, 0.5), H = [[−∞, 0], [0, 0]] (the
    // second derivative of √ at 0 is −∞; nothing else curves)
    let (v, g, h) = Case::<3>(0).hessian(&point::<3>(0.0, 3.0));
    assert_eq!((v, g[0], g[1], g[2]), (3.3, f64::INFINITY, 1.0, 0.5));
    assert_eq!(h[(0, 0)], f64::NEG_INFINITY);
    for (i, j) in [(0, 1), (1, 0), (1, 1), (0, 2), (2, 2), (1, 2)] {
        assert_eq!(h[(i, j)], 0.0, "H[{i}][{j}]");
    }
    // the Euclidean norm at the origin: gradient 0; H v along (0, 1, ·): H is ∞ on the
    // diagonal and 0 off it, and the direction does not move x, so (H v)₀ = 0
    let v = SVector::from([0.0, 1.0, 0.0]);
    let (_, g, hv) = Case::<3>(2).hvp(&point::<3>(0.0, 0.0), &v);
    assert_eq!((g[0], g[1], hv[0]), (0.0, 0.0, 0.0));
    assert_eq!(hv[1], f64::INFINITY);
}

#[test]
fn the_checked_evaluation_after_an_unchecked_one_at_80_inputs_in_a_2_mib_thread() {
    // one pass of 80 tangents, then the checked one pass (debug build, the stack `cargo test`
    // gives a thread): √x + y + ½ Σ xᵢ at (0, 3, …), against the closed form
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let p = point::<80>(0.0, 3.0);
            let (_, g) = Case::<80>(0).gradient(&p);
            assert_eq!((g[0], g[1]), (f64::INFINITY, 1.0));
            assert!(g.iter().skip(2).all(|&d| d == 0.5));
            let (v, j) = Rows::<80>(0).jacobian(&p);
            assert_eq!(v[1], f64::NEG_INFINITY); // ln 0 + 9 + ...
            assert_eq!(
                (j[(0, 0)], j[(0, 1)], j[(1, 0)], j[(1, 1)]),
                (f64::INFINITY, 1.0, f64::INFINITY, 6.0)
            );
            assert!((2..80).all(|i| j[(0, i)] == 0.5 && j[(1, i)] == 0.5));
            // H v of √x + y along (0, 1, 1, …): x does not move, so its −∞ curvature gives 0
            let dir = SVector::<f64, 80>::from_fn(|i, _| if i == 0 { 0.0 } else { 1.0 });
            let (_, g, hv) = Case::<80>(0).hvp(&p, &dir);
            assert_eq!((g[0], g[1]), (f64::INFINITY, 1.0));
            assert!(hv.iter().all(|&d| d == 0.0));
        })
        .unwrap()
        .join()
        .unwrap();
}
