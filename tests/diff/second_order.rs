//! Second and third order: exact values at the points where a derivative is infinite or
//! undefined (a NaN only where the mathematical value is undefined), exact symmetry of the
//! Hessian, `second_derivative` agreeing with `derivative`, `third_derivative` against closed
//! forms, and property tests of symmetry and of `H v = hvp` on random points.

use crate::common;

use common::*;
use dualgrad::check::ridders_derivative;
use dualgrad::diff::size::HESSIAN_ONE_PASS_MAX;
use dualgrad::prelude::*;
use dualgrad::{Chunk, second_derivative};
use dualgrad::{hessian_chunked, hvp, third_derivative};
use nalgebra::{SMatrix, SVector};
use quickcheck::TestResult;

const INF: f64 = f64::INFINITY;

/// Bitwise symmetry (NaN entries included).
fn symmetric<const N: usize>(h: &SMatrix<f64, N, N>) -> bool {
    (0..N).all(|i| (0..N).all(|j| h[(i, j)].to_bits() == h[(j, i)].to_bits()))
}

/// The one-pass and the blocked Hessian, asserted bit-identical; returns the one-pass result.
macro_rules! both_hessians {
    ($n:literal, |$x:ident| $body:expr, $at:expr) => {{
        fn f<T: Scalar>($x: &SVector<T, $n>) -> T {
            $body
        }
        let at = SVector::from($at);
        let one = hessian(f, &at);
        let blocked = hessian_chunked(f, &at, Chunk::<1>);
        let same = |a: &SMatrix<f64, $n, $n>, b: &SMatrix<f64, $n, $n>| {
            a.iter()
                .zip(b.iter())
                .all(|(p, q)| p.to_bits() == q.to_bits())
        };
        assert!(
            same(&one.2, &blocked.2),
            "blocked {:?} vs one pass {:?}",
            blocked.2,
            one.2
        );
        assert!(symmetric(&one.2), "{:?}", one.2);
        one
    }};
}

#[test]
fn sqrt_at_zero_in_a_hessian() {
    // f = √x + y² at (0, 1): ∇f = (1/(2√x), 2y) = (∞, 2); H = [[−1/(4x√x), 0], [0, 2]]
    let (f, g, h) = both_hessians!(2, |x| x[0].sqrt() + x[1] * x[1], [0.0, 1.0]);
    assert_eq!(f, 1.0);
    assert_eq!(g, SVector::from([INF, 2.0]));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(-INF, 0.0, 0.0, 2.0));
}

/// A name, the function on nested jets and on jets, the point, and (value, f', f'') by hand.
type Case = (
    &'static str,
    fn(Jet<Jet<f64, 1>, 1>) -> Jet<Jet<f64, 1>, 1>,
    fn(Jet<f64, 1>) -> Jet<f64, 1>,
    f64,
    (f64, f64, f64),
);

#[test]
fn products_and_quotients_with_an_infinite_first_derivative() {
    // The NaN-safe product of nested jets: √x has value 0 but first derivative ∞ at x = 0, so
    // the inner jets of a product or quotient carry ∞ beside exact zeros.
    // f = √x · y at (0, 1): ∇f = (y/(2√x), √x) = (∞, 0);
    // H = [[−y/(4x√x), 1/(2√x)], [1/(2√x), 0]] = [[−∞, ∞], [∞, 0]]
    let (f, g, h) = both_hessians!(2, |x| x[0].sqrt() * x[1], [0.0, 1.0]);
    assert_eq!((f, g), (0.0, SVector::from([INF, 0.0])));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(-INF, INF, INF, 0.0));
    // the same with the factors swapped
    let (_, g, h) = both_hessians!(2, |x| x[1] * x[0].sqrt(), [0.0, 1.0]);
    assert_eq!(g, SVector::from([INF, 0.0]));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(-INF, INF, INF, 0.0));
    // f = √x / y at (0, 2): ∇f = (1/(2√x y), −√x/y²) = (∞, 0);
    // H = [[−1/(4x√x y), −1/(2√x y²)], [·, 2√x/y³]] = [[−∞, −∞], [−∞, 0]]
    let (f, g, h) = both_hessians!(2, |x| x[0].sqrt() / x[1], [0.0, 2.0]);
    assert_eq!((f, g), (0.0, SVector::from([INF, 0.0])));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(-INF, -INF, -INF, 0.0));
    // a third variable that nothing infinite touches keeps exact entries: f = √x · y + z²
    let (_, g, h) = both_hessians!(3, |x| x[0].sqrt() * x[1] + x[2] * x[2], [0.0, 1.0, 3.0]);
    assert_eq!(g, SVector::from([INF, 0.0, 6.0]));
    assert_eq!(
        h,
        SMatrix::<f64, 3, 3>::new(-INF, INF, 0.0, INF, 0.0, 0.0, 0.0, 0.0, 2.0)
    );
}

#[test]
fn second_derivative_agrees_with_derivative_at_singular_points() {
    // (value, f', f'') by hand, and f' must be what `derivative` gives
    let cases: [Case; 6] = [
        // √x at 0: (0, ∞, −∞)
        ("sqrt", |x| x.sqrt(), |x| x.sqrt(), 0.0, (0.0, INF, -INF)),
        // ln x at 0: (−∞, 1/x → ∞, −1/x² → −∞)
        ("ln", |x| x.ln(), |x| x.ln(), 0.0, (-INF, INF, -INF)),
        // |x| at 0: the branch x ≥ 0, so (0, 1, 0), as ForwardDiff.jl
        ("abs", |x| x.abs(), |x| x.abs(), 0.0, (0.0, 1.0, 0.0)),
        // x^2.5 at 0: (0, 2.5 x^1.5 = 0, 3.75 x^0.5 = 0)
        (
            "powf 2.5",
            |x| x.powf(2.5),
            |x| x.powf(2.5),
            0.0,
            (0.0, 0.0, 0.0),
        ),
        // x^0.5 at 0 is √x
        (
            "powf 0.5",
            |x| x.powf(0.5),
            |x| x.powf(0.5),
            0.0,
            (0.0, INF, -INF),
        ),
        // ∛x at 0: (0, ∞, −∞ from the right: −2/(9 x^(5/3)))
        ("cbrt", |x| x.cbrt(), |x| x.cbrt(), 0.0, (0.0, INF, -INF)),
    ];
    for (name, f2, f1, x, want) in cases {
        let got = second_derivative(f2, x);
        assert_eq!(got, want, "{name}");
        assert_eq!(derivative(f1, x), (want.0, want.1), "{name}: derivative");
    }
}

#[test]
fn ln_and_abs_at_zero_in_a_hessian() {
    // ln x + y² at (0, 1): ∇ = (∞, 2), H = [[−∞, 0], [0, 2]]
    let (f, g, h) = both_hessians!(2, |x| x[0].ln() + x[1] * x[1], [0.0, 1.0]);
    assert_eq!((f, g), (-INF, SVector::from([INF, 2.0])));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(-INF, 0.0, 0.0, 2.0));
    // |x|·y + y² at (0, 1): the branch x ≥ 0 gives ∇ = (y, x + 2y) = (1, 2), H = [[0, 1], [1, 2]]
    let (_, g, h) = both_hessians!(2, |x| x[0].abs() * x[1] + x[1] * x[1], [0.0, 1.0]);
    assert_eq!(g, SVector::from([1.0, 2.0]));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(0.0, 1.0, 1.0, 2.0));
}

#[test]
fn norm_at_the_origin() {
    // ‖x‖ at 0: the gradient is 0 (as `gradient` gives, NaN-safe first order); the Hessian
    // (I − uuᵀ)/‖x‖ has no limit at 0. The jets give the limit of the smoothed norm
    // √(‖x‖² + ε²) as ε → 0: +∞ on the diagonal, 0 off it, and no NaN.
    let (n, g, h) = both_hessians!(2, |x| x.dot(x).sqrt(), [0.0, 0.0]);
    assert_eq!((n, g), (0.0, SVector::from([0.0, 0.0])));
    assert_eq!(
        (n, g),
        gradient(|x| x.dot(x).sqrt(), &SVector::from([0.0, 0.0]))
    );
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(INF, 0.0, 0.0, INF));
    // a third variable that the norm does not involve keeps its exact derivatives
    let (_, g, h) = both_hessians!(
        3,
        |x| (x[0] * x[0] + x[1] * x[1]).sqrt() + x[2] * x[2] * x[2],
        [0.0, 0.0, 2.0]
    );
    assert_eq!(g, SVector::from([0.0, 0.0, 12.0])); // 3z²
    assert_eq!(h.row(2), SMatrix::<f64, 1, 3>::new(0.0, 0.0, 12.0)); // 6z
    assert_eq!(h.column(2), SMatrix::<f64, 3, 1>::new(0.0, 0.0, 12.0));
}

#[test]
fn power_with_a_variable_exponent_at_zero() {
    // x^y at (0, 2): ∇ = (y x^(y−1), x^y ln x) = (0, 0);
    // H = [[y(y−1)x^(y−2), x^(y−1)(1 + y ln x)], [·, x^y ln²x]] = [[2, 0], [0, 0]]
    let (f, g, h) = both_hessians!(2, |x| x[0].powd(x[1]), [0.0, 2.0]);
    assert_eq!((f, g), (0.0, SVector::from([0.0, 0.0])));
    assert_eq!(h, SMatrix::<f64, 2, 2>::new(2.0, 0.0, 0.0, 0.0));
    // at (0, 3) everything is 0: 6x = 0, x²(1 + 3 ln x) → 0, x³ ln²x → 0
    let (_, g, h) = both_hessians!(2, |x| x[0].powd(x[1]), [0.0, 3.0]);
    assert_eq!(g, SVector::from([0.0, 0.0]));
    assert_eq!(h, SMatrix::<f64, 2, 2>::zeros());
    // first order agrees
    assert_eq!(
        gradient(|x| x[0].powd(x[1]), &SVector::from([0.0, 2.0])),
        (0.0, SVector::from([0.0, 0.0]))
    );
    // away from 0, against the closed forms at (2, 3): ∇ = (3·4, 8 ln 2)
    let (f, g, h) = both_hessians!(2, |x| x[0].powd(x[1]), [2.0, 3.0]);
    let ln2 = 2f64.ln();
    close_cf("2^3", f, 8.0).unwrap();
    close_mat_cf("∇ x^y", &g, &SVector::from([12.0, 8.0 * ln2])).unwrap();
    let want = SMatrix::<f64, 2, 2>::new(
        12.0,
        4.0 * (1.0 + 3.0 * ln2),
        4.0 * (1.0 + 3.0 * ln2),
        8.0 * ln2 * ln2,
    );
    close_mat_cf("H x^y", &h, &want).unwrap();
}

#[test]
fn atan2_at_the_origin() {
    // atan2(y, x) + z² at (0, 0, 1): the derivatives in x and y are undefined (NaN); those in z
    // are exact, including the mixed ones, which are 0 because ∂f/∂z = 2z does not involve x, y
    let (_, g, h) = both_hessians!(3, |x| x[1].atan2(x[0]) + x[2] * x[2], [0.0, 0.0, 1.0]);
    assert!(g[0].is_nan() && g[1].is_nan());
    assert_eq!(g[2], 2.0);
    assert_eq!(h.row(2), SMatrix::<f64, 1, 3>::new(0.0, 0.0, 2.0));
    // first order: the same
    let (_, g1) = gradient(
        |x| x[1].atan2(x[0]) + x[2] * x[2],
        &SVector::from([0.0_f64, 0.0, 1.0]),
    );
    assert!(g1[0].is_nan() && g1[1].is_nan() && g1[2] == 2.0);
}

#[test]
fn third_derivative_against_closed_forms() {
    assert_eq!(
        third_derivative(|x| x.powi(5), 2.0),
        (32.0, 80.0, 160.0, 240.0)
    );
    // √x at 4: 2, 1/(2√x) = 1/4, −1/(4x^1.5) = −1/32, 3/(8x^2.5) = 3/256
    let (f, d1, d2, d3) = third_derivative(|x| x.sqrt(), 4.0);
    close_cf("√4", f, 2.0).unwrap();
    close_cf("d √x", d1, 0.25).unwrap();
    close_cf("d² √x", d2, -1.0 / 32.0).unwrap();
    close_cf("d³ √x", d3, 3.0 / 256.0).unwrap();
    // tanh: t' = 1 − t², t'' = −2t(1 − t²), t''' = (6t² − 2)(1 − t²)
    fn prop(raw: f64) -> TestResult {
        let Some(x) = in_box(raw, -3.0, 3.0) else {
            return TestResult::discard();
        };
        let t = x.tanh();
        let s = 1.0 - t * t;
        let (f, d1, d2, d3) = third_derivative(|x| x.tanh(), x);
        verdict(
            close_cf("tanh", f, t)
                .and(close_cf("tanh'", d1, s))
                .and(close_cf("tanh''", d2, -2.0 * t * s))
                .and(close_cf("tanh'''", d3, (6.0 * t * t - 2.0) * s))
                .and(close_fd(
                    "tanh''' vs fd of tanh''",
                    d3,
                    fd(|y| -2.0 * y.tanh() * (1.0 - y.tanh().powi(2)), x),
                )),
        )
    }
    check(prop as fn(f64) -> TestResult);
}

/// A dense function of 20 variables (above [`HESSIAN_ONE_PASS_MAX`], so the trait form works in
/// blocks): `Σ sin(xᵢ xᵢ₊₁) + (Σ xᵢ)² · exp(x₀/4) + √(1 + ‖x‖²)`.
struct Dense;

impl ScalarFn<20> for Dense {
    fn eval<T: Scalar>(&self, x: &SVector<T, 20>) -> T {
        let mut f = T::zero();
        for i in 0..19 {
            f += (x[i] * x[i + 1]).sin();
        }
        let s = x.sum();
        f + s * s * (x[0] * 0.25).exp() + (x.dot(x) + 1.0).sqrt()
    }
}

#[test]
fn hessian_is_symmetric_and_hvp_is_h_times_v() {
    const { assert!(20 > HESSIAN_ONE_PASS_MAX) };
    fn prop(seed: u64) -> TestResult {
        let x = vec_from_seed::<20>(seed, -2.0, 2.0);
        let v = vec_from_seed::<20>(seed ^ 0x5555, -1.0, 1.0);
        let (f, g, h) = Dense.hessian(&x);
        if !symmetric(&h) {
            return TestResult::error(format!("asymmetric at {x:?}"));
        }
        let (fv, gv, hv) = Dense.hvp(&x, &v);
        let hv_ref = h * v;
        let scale = h.abs().max() * v.abs().max();
        let mut r = close_cf("value", fv, f).and(close_mat_cf("gradient", &gv, &g));
        for i in 0..20 {
            r = r.and(close("H v", hv[i], hv_ref[i], 1e-13 * scale, 1e-12));
        }
        // and the closure form, in one pass
        let (_, _, hv_closure) = hvp(|x| Dense.eval(x), &x, &v);
        r = r.and(if hv_closure == hv {
            Ok(())
        } else {
            Err("closure hvp differs".into())
        });
        verdict(r)
    }
    let cases = if cfg!(debug_assertions) { 100 } else { 2000 };
    check_n(cases, prop as fn(u64) -> TestResult);
}

#[test]
fn hessian_against_ridders_differences_of_the_gradient() {
    let x = vec_from_seed::<20>(7, -1.0, 1.0);
    let (_, _, h) = Dense.hessian(&x);
    for k in [0, 7, 19] {
        for i in 0..20 {
            let (d, err) = ridders_derivative(
                |t| {
                    let mut y = x;
                    y[k] += t;
                    Dense.gradient(&y).1[i]
                },
                0.0,
            );
            assert!(
                (h[(i, k)] - d).abs() <= 1e-8 * (1.0 + d.abs()) + 10.0 * err,
                "H[{i},{k}]"
            );
        }
    }
}
