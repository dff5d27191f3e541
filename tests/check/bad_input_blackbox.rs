//! Black-box `f64` checks on oscillatory functions (issue 12): Ackley (N = 2, 3, 5) over
//! `[−32.768, 32.768]ᴺ` and Schaffer N.2 over `[−100, 100]²`, with gradients and Hessians
//! derived by hand from the closed forms below (not from the crate). At 200 random points each:
//! the Ridders error estimate bounds the actual error of the estimate, and the checks of the
//! correct gradient and Hessian give no WRONG verdict.

use dualgrad::check::{Checker, Verdict, ridders_gradient, ridders_jacobian};
use nalgebra::{SMatrix, SVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::f64::consts::{E, PI};

const A: f64 = 20.0;
const B: f64 = 0.2;
const C: f64 = 2.0 * PI;

/// Ackley: `−a exp(−b r) − exp(Σ cos(c xᵢ) / N) + a + e`, `r = √(Σ xᵢ² / N)`.
fn ackley<const N: usize>(x: &SVector<f64, N>) -> f64 {
    let n = N as f64;
    let r = (x.dot(x) / n).sqrt();
    let cs = x.iter().map(|v| (C * v).cos()).sum::<f64>() / n;
    -A * (-B * r).exp() - cs.exp() + A + E
}

/// `∂f/∂xᵢ = a b e^(−b r) xᵢ / (N r) + e^(cs) c sin(c xᵢ) / N`.
fn ackley_gradient<const N: usize>(x: &SVector<f64, N>) -> SVector<f64, N> {
    let n = N as f64;
    let r = (x.dot(x) / n).sqrt();
    let cs = x.iter().map(|v| (C * v).cos()).sum::<f64>() / n;
    let a = A * B * (-B * r).exp() / (n * r);
    SVector::from_fn(|i, _| a * x[i] + cs.exp() * C * (C * x[i]).sin() / n)
}

/// With `α(r) = a b e^(−b r) / (N r)`, `α'(r) = a b e^(−b r)(−b/r − 1/r²) / N`:
/// `Hᵢⱼ = α' xᵢ xⱼ / (N r) + α δᵢⱼ − e^(cs) c² sin(c xᵢ) sin(c xⱼ) / N² + e^(cs) c² cos(c xᵢ) δᵢⱼ / N`.
fn ackley_hessian<const N: usize>(x: &SVector<f64, N>) -> SMatrix<f64, N, N> {
    let n = N as f64;
    let r = (x.dot(x) / n).sqrt();
    let cs = x.iter().map(|v| (C * v).cos()).sum::<f64>() / n;
    let ex = (-B * r).exp();
    let alpha = A * B * ex / (n * r);
    let dalpha = A * B * ex * (-B / r - 1.0 / (r * r)) / n;
    let ec = cs.exp();
    SMatrix::from_fn(|i, j| {
        let mut h = dalpha * x[i] * x[j] / (n * r)
            - ec * C * C * (C * x[i]).sin() * (C * x[j]).sin() / (n * n);
        if i == j {
            h += alpha + ec * C * C * (C * x[i]).cos() / n;
        }
        h
    })
}

/// Schaffer N.2: `0.5 + (sin²(x² − y²) − 0.5) / (1 + 0.001 (x² + y²))²`.
fn schaffer(v: &SVector<f64, 2>) -> f64 {
    let (x, y) = (v[0], v[1]);
    let d = 1.0 + 0.001 * (x * x + y * y);
    0.5 + ((x * x - y * y).sin().powi(2) - 0.5) / (d * d)
}

/// With `u = x² − y²`, `s = sin²u − ½`, `D = 1 + 0.001(x² + y²)`:
/// `fᵢ = sin(2u) uᵢ / D² − 2 s Dᵢ / D³`, `u = (2x, −2y)`, `Dᵢ = 0.002 (x, y)`.
fn schaffer_gradient(v: &SVector<f64, 2>) -> SVector<f64, 2> {
    let (x, y) = (v[0], v[1]);
    let u = x * x - y * y;
    let s = u.sin().powi(2) - 0.5;
    let d = 1.0 + 0.001 * (x * x + y * y);
    let (du, dd) = ([2.0 * x, -2.0 * y], [0.002 * x, 0.002 * y]);
    SVector::from_fn(|i, _| (2.0 * u).sin() * du[i] / (d * d) - 2.0 * s * dd[i] / (d * d * d))
}

/// `fᵢⱼ = s'' uᵢ uⱼ / D² + s' uᵢⱼ / D² − 2 s' (uᵢ Dⱼ + uⱼ Dᵢ) / D³ + 6 s Dᵢ Dⱼ / D⁴ − 2 s Dᵢⱼ / D³`
/// with `s' = sin 2u`, `s'' = 2 cos 2u`, `uᵢⱼ = diag(2, −2)`, `Dᵢⱼ = diag(0.002, 0.002)`.
fn schaffer_hessian(v: &SVector<f64, 2>) -> SMatrix<f64, 2, 2> {
    let (x, y) = (v[0], v[1]);
    let u = x * x - y * y;
    let s = u.sin().powi(2) - 0.5;
    let (s1, s2) = ((2.0 * u).sin(), 2.0 * (2.0 * u).cos());
    let d = 1.0 + 0.001 * (x * x + y * y);
    let (du, dd) = ([2.0 * x, -2.0 * y], [0.002 * x, 0.002 * y]);
    let duu = [2.0, -2.0];
    SMatrix::from_fn(|i, j| {
        let mut h = s2 * du[i] * du[j] / (d * d)
            - 2.0 * s1 * (du[i] * dd[j] + du[j] * dd[i]) / (d * d * d)
            + 6.0 * s * dd[i] * dd[j] / (d * d * d * d);
        if i == j {
            h += s1 * duu[i] / (d * d) - 2.0 * s * 0.002 / (d * d * d);
        }
        h
    })
}

fn points<const N: usize>(count: usize, half_width: f64, seed: u64) -> Vec<SVector<f64, N>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|_| SVector::from_fn(|_, _| rng.random_range(-half_width..=half_width)))
        .collect()
}

/// At every point: the Ridders error estimates bound the actual errors (against the closed
/// forms) of the gradient and of the Hessian (as the Jacobian of the gradient), and the
/// checker gives no WRONG verdict for the correct gradient and Hessian. Returns the worst ratio
/// actual error / estimate.
fn blackbox<const N: usize>(
    name: &str,
    f: fn(&SVector<f64, N>) -> f64,
    grad: fn(&SVector<f64, N>) -> SVector<f64, N>,
    hess: fn(&SVector<f64, N>) -> SMatrix<f64, N, N>,
    half_width: f64,
    seed: u64,
) {
    let checker = Checker::<N>::new();
    let mut worst = 0.0_f64;
    let mut inconclusive = 0;
    for x in points::<N>(200, half_width, seed) {
        let (g, ge) = ridders_gradient(f, &x);
        let exact_g = grad(&x);
        for i in 0..N {
            let actual = (g[i] - exact_g[i]).abs();
            assert!(
                actual <= ge[i],
                "{name} gradient {i} at {x:?}: error {actual:e} > estimate {:e}",
                ge[i]
            );
            worst = worst.max(actual / ge[i]);
        }
        let (h, he) = ridders_jacobian(grad, &x);
        let exact_h = hess(&x);
        for k in 0..N * N {
            let actual = (h[k] - exact_h[k]).abs();
            assert!(
                actual <= he[k],
                "{name} Hessian {k} at {x:?}: error {actual:e} > estimate {:e}",
                he[k]
            );
            worst = worst.max(actual / he[k]);
        }
        let rg = checker.gradient_fd(f, &x, grad);
        let rh = checker.hessian_fd(grad, &x, hess);
        for r in [&rg, &rh] {
            assert!(
                r.rows().iter().all(|row| row.verdict != Verdict::Wrong),
                "{name} at {x:?}:\n{r:#}"
            );
            inconclusive += r
                .rows()
                .iter()
                .filter(|row| row.verdict == Verdict::Inconclusive)
                .count();
        }
    }
    println!(
        "{name}: worst actual error / Ridders estimate {worst:.2}, {inconclusive} inconclusive"
    );
}

#[test]
fn ackley_2() {
    blackbox::<2>(
        "Ackley N=2",
        ackley,
        ackley_gradient,
        ackley_hessian,
        32.768,
        1,
    );
}

#[test]
fn ackley_3() {
    blackbox::<3>(
        "Ackley N=3",
        ackley,
        ackley_gradient,
        ackley_hessian,
        32.768,
        2,
    );
}

#[test]
fn ackley_5() {
    blackbox::<5>(
        "Ackley N=5",
        ackley,
        ackley_gradient,
        ackley_hessian,
        32.768,
        3,
    );
}

#[test]
fn schaffer_n2() {
    blackbox::<2>(
        "Schaffer N.2",
        schaffer,
        schaffer_gradient,
        schaffer_hessian,
        100.0,
        4,
    );
}

/// The box where the fixed first step of `0.01·|x|` understated the error by up to 87×.
#[test]
fn ackley_2_wide_box() {
    blackbox::<2>(
        "Ackley N=2 over [-100, 100]²",
        ackley,
        ackley_gradient,
        ackley_hessian,
        100.0,
        5,
    );
}

/// Random black-box checks with shrinking: the correct Schaffer gradient passes, a gradient
/// with one factor wrong is caught and shrunk.
#[test]
fn random_blackbox_checks_shrink() {
    let lo = SVector::from([-3.0, -3.0]);
    let hi = SVector::from([3.0, 3.0]);
    let c = Checker::new()
        .random(&lo, &hi)
        .unwrap()
        .cases(50)
        .unwrap()
        .seed(7);
    assert!(c.gradient_fd(schaffer, schaffer_gradient).is_ok());
    assert!(c.hessian_fd(schaffer_gradient, schaffer_hessian).is_ok());
    // ∂/∂y with the sign of u_y flipped
    let wrong = |v: &SVector<f64, 2>| {
        let g = schaffer_gradient(v);
        let (x, y) = (v[0], v[1]);
        let d = 1.0 + 0.001 * (x * x + y * y);
        SVector::from([
            g[0],
            g[1] + 2.0 * (2.0 * (x * x - y * y)).sin() * 2.0 * y / (d * d),
        ])
    };
    let fail = c.gradient_fd(schaffer, wrong).unwrap_err();
    assert_eq!(fail.report().wrong().next().unwrap().label, "x[1]");
    assert_eq!(fail.report().rows()[1].verdict, Verdict::Wrong);
}
