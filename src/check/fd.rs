//! Finite differences: central differences, and Ridders' extrapolation with an error estimate.
//!
//! These are for functions that only run on `f64` (a black box that cannot be written over
//! [`Scalar`](crate::Scalar)) and for checking AD code itself. When the function can be written
//! over `Scalar`, the exact derivative from [`gradient`](crate::gradient) is better than either.
//!
//! When to trust which is in the documentation of [`ridders_gradient`].

use nalgebra::{SMatrix, SVector};

/// Step ratio between successive Ridders steps.
const CON: f64 = 1.4;
/// Largest size of the Ridders tableau.
const NTAB: usize = 10;
/// Ridders stops when the newest diagonal error exceeds `SAFE` times the best error so far.
const SAFE: f64 = 2.0;
/// First Ridders step, relative to `max(|x|, 1)`.
const H0: f64 = 0.01;

/// The scale of a coordinate for step sizes: `max(|x|, 1)`.
fn scale(x: f64) -> f64 {
    x.abs().max(1.0)
}

/// The central-difference derivative of `f: R → R` at `x`, with step `ε^(1/3)·max(|x|, 1)`.
///
/// See [`ridders_gradient`](crate::check::ridders_gradient#which-to-trust-and-how-far) for its accuracy
/// (eight to ten digits on well-scaled functions).
///
/// ```
/// use dualgrad::check::central_derivative;
/// // d/dx x³ = 3x² = 12 at x = 2
/// let d = central_derivative(|x| x * x * x, 2.0);
/// assert!((d - 12.0).abs() < 1e-8);
/// ```
pub fn central_derivative(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = f64::EPSILON.cbrt() * scale(x);
    let (xp, xm) = (x + h, x - h);
    // divide by the step actually taken between two representable points
    (f(xp) - f(xm)) / (xp - xm)
}

/// The Ridders estimate of the derivative of `f: R → R` at `x`, and its error estimate.
///
/// See [`ridders_gradient`](crate::check::ridders_gradient#which-to-trust-and-how-far) for when to
/// trust it.
///
/// ```
/// use dualgrad::check::ridders_derivative;
/// // d/dx sin x = cos x
/// let (d, err) = ridders_derivative(f64::sin, 1.0);
/// assert!((d - 1.0_f64.cos()).abs() <= err);
/// assert!(err < 1e-10); // a conservative bound: the actual error here is about 1e-16
/// ```
pub fn ridders_derivative(f: impl Fn(f64) -> f64, x: f64) -> (f64, f64) {
    let (d, e) = ridders(|t| SVector::from([f(x + t)]), scale(x));
    (d[0], e[0])
}

/// The central-difference gradient of `f: Rᴺ → R` at `x`: `2N` evaluations, no error estimate.
/// See [`ridders_gradient`](crate::check::ridders_gradient#which-to-trust-and-how-far) for its accuracy.
///
/// ```
/// use dualgrad::check::central_gradient;
/// use nalgebra::SVector;
/// // ∇(x² + 3y) = (2x, 3) = (2, 3) at (1, 5)
/// let g = central_gradient(|v: &SVector<f64, 2>| v[0] * v[0] + 3.0 * v[1], &SVector::from([1.0, 5.0]));
/// assert!((g - SVector::from([2.0, 3.0])).amax() < 1e-8);
/// ```
pub fn central_gradient<const N: usize>(
    f: impl Fn(&SVector<f64, N>) -> f64,
    x: &SVector<f64, N>,
) -> SVector<f64, N> {
    let j = central_jacobian(|v| SVector::<f64, 1>::from([f(v)]), x);
    j.transpose()
}

/// The Ridders gradient of `f: Rᴺ → R` at `x` and its per-component error estimate: up to
/// `294N` evaluations (49 for each of up to 6 first steps).
///
/// Finite differences are for functions that only run on `f64` (a black box that cannot be
/// written over [`Scalar`](crate::Scalar)) and for checking AD code itself. When the function
/// can be written over `Scalar`, the exact derivative from [`gradient`](crate::gradient) is
/// better than either method below.
///
/// # Which to trust, and how far
///
/// | method | evaluations per input | error on the crate's test functions | error estimate |
/// |---|---|---|---|
/// | [`central_gradient`] | 2 | below `1e-7 · s` (worst seen `7e-9 · s`) | none |
/// | [`ridders_gradient`] | up to 294 | below `1e-10 · s` (worst seen `2e-12 · s`, typically `1e-13 · s`) | returned, per component |
///
/// Here `s = max(1, |f(x)|, max |∂f/∂xᵢ|)`, the scale of the function and its gradient; the
/// test functions are Rosenbrock (N = 2, 10), a 2-3-1 tanh MLP with mean squared error, a 2-5-1
/// MLP with a sigmoid output and cross-entropy, logistic regression and softmax cross-entropy,
/// at 2,000 random points each (`tests/check/check_fd.rs`, in release mode). Ridders was more
/// accurate than central differences by a factor of 170 to 1,600 on (geometric) average.
///
/// **Central differences** take `(f(x + h) − f(x − h)) / 2h` with `h = ε^(1/3)·max(|x|, 1)`
/// (`ε` the `f64` machine epsilon, so `h ≈ 6e-6` for `|x| ≤ 1`), the step that balances the
/// truncation error `h²|f'''|/6` against the rounding error `ε|f|/h`. The error is then about
/// `ε^(2/3) ≈ 4e-11` times the scale of `|f|` and `|f'''|·max(|x|, 1)²`: eight to ten correct
/// digits for well-scaled functions, fewer where `f` is computed with cancellation (its value
/// much smaller than the quantities it is computed from) or varies on a scale much shorter than
/// `max(|x|, 1)`. Trust central differences to tell a right formula from one off by a factor or
/// a sign, not to confirm the last digits; they give no warning when they are wrong.
///
/// **Ridders' method** (Numerical Recipes' `dfridr`) takes central differences with steps
/// `h₀, h₀/1.4, h₀/1.4², ...` (at most 10) and extrapolates them to `h → 0` in a Neville
/// tableau (Richardson extrapolation of the `h²` error series), stopping when the extrapolation
/// stops improving. It is run twice, from a first step `h₀` and from `0.3·h₀`, and the noise
/// level of `f` is measured from sixth differences of 9 values at spacing `h₀/100` (as in Moré
/// and Wild's ECnoise); the raw error is the largest of the two tableau errors, the difference
/// between the two extrapolations, and the rounding error that the measured noise causes. The
/// first step adapts to the function's own scale of variation: this is done for
/// `h₀ = 0.01·max(|x|, 1)` and for each tenth of it down to `h₀/10⁵`, neighbouring first steps
/// are compared (an oscillation shorter than the step shows up as disagreement with the next
/// shorter step), and the pair with the smallest combined error (both raw errors and their
/// difference) gives the estimate. The error estimate is 4 times that combined error. On the
/// test functions above, and on Ackley (`N = 2, 3, 5` over `[−32.768, 32.768]ᴺ`) and Schaffer
/// N.2 (over `[−100, 100]²`, where a fixed first step of `0.01·|x|` spans several oscillations)
/// at 200 random points each, gradients and Hessians, the actual error stayed below the estimate
/// at every point, at most a third of it (`tests/check/bad_input_blackbox.rs`). Trust it where `f` is
/// smooth on `[x − h₀, x + h₀]`; where `f` has a kink, a discontinuity or a singularity there,
/// the estimate means little, and a large error estimate is the sign of trouble (the checker
/// then says "inconclusive"). `f` must be defined on that whole interval.
///
/// ```
/// use dualgrad::check::ridders_gradient;
/// use nalgebra::SVector;
/// // ∇(eˣ y) = (eˣ y, eˣ) = (2, 1) at (0, 2)
/// let (g, err) = ridders_gradient(|v: &SVector<f64, 2>| v[0].exp() * v[1], &SVector::from([0.0, 2.0]));
/// assert!((g[0] - 2.0).abs() <= err[0] && (g[1] - 1.0).abs() <= err[1]);
/// assert!(err.amax() < 1e-9); // conservative: the actual errors here are below 2e-14
/// ```
pub fn ridders_gradient<const N: usize>(
    f: impl Fn(&SVector<f64, N>) -> f64,
    x: &SVector<f64, N>,
) -> (SVector<f64, N>, SVector<f64, N>) {
    let (j, e) = ridders_jacobian(|v| SVector::<f64, 1>::from([f(v)]), x);
    (j.transpose(), e.transpose())
}

/// The central-difference Jacobian `J[(i, j)] ≈ ∂fᵢ/∂xⱼ` of `f: Rᴺ → Rᴹ` at `x`: `2N`
/// evaluations.
///
/// ```
/// use dualgrad::check::central_jacobian;
/// use nalgebra::{SMatrix, SVector};
/// // f = (xy, x + y), J = [[y, x], [1, 1]]
/// let j = central_jacobian(|v: &SVector<f64, 2>| SVector::from([v[0] * v[1], v[0] + v[1]]), &SVector::from([2.0, 3.0]));
/// assert!((j - SMatrix::<f64, 2, 2>::new(3.0, 2.0, 1.0, 1.0)).amax() < 1e-8);
/// ```
pub fn central_jacobian<const N: usize, const M: usize>(
    f: impl Fn(&SVector<f64, N>) -> SVector<f64, M>,
    x: &SVector<f64, N>,
) -> SMatrix<f64, M, N> {
    let mut j = SMatrix::<f64, M, N>::zeros();
    let mut v = *x;
    for k in 0..N {
        let h = f64::EPSILON.cbrt() * scale(x[k]);
        let (xp, xm) = (x[k] + h, x[k] - h);
        v[k] = xp;
        let fp = f(&v);
        v[k] = xm;
        let fm = f(&v);
        v[k] = x[k];
        j.set_column(k, &((fp - fm) / (xp - xm)));
    }
    j
}

/// The Ridders Jacobian of `f: Rᴺ → Rᴹ` at `x` and its per-entry error estimate: up to `294N`
/// evaluations. Each entry gets its own extrapolation (the evaluations are shared).
///
/// ```
/// use dualgrad::check::ridders_jacobian;
/// use nalgebra::SVector;
/// // f = (sin x, x y), J = [[cos x, 0], [y, x]]
/// let (j, err) = ridders_jacobian(|v: &SVector<f64, 2>| SVector::from([v[0].sin(), v[0] * v[1]]), &SVector::from([0.0, 4.0]));
/// assert!((j[(0, 0)] - 1.0).abs() <= err[(0, 0)].max(1e-15));
/// assert!((j[(1, 0)] - 4.0).abs() <= err[(1, 0)].max(1e-15));
/// assert!(err.amax() < 1e-10);
/// ```
pub fn ridders_jacobian<const N: usize, const M: usize>(
    f: impl Fn(&SVector<f64, N>) -> SVector<f64, M>,
    x: &SVector<f64, N>,
) -> (SMatrix<f64, M, N>, SMatrix<f64, M, N>) {
    let mut j = SMatrix::<f64, M, N>::zeros();
    let mut e = SMatrix::<f64, M, N>::zeros();
    for k in 0..N {
        let (d, err) = ridders(
            |t| {
                let mut v = *x;
                v[k] = x[k] + t;
                f(&v)
            },
            scale(x[k]),
        );
        j.set_column(k, &d);
        e.set_column(k, &err);
    }
    (j, e)
}

/// How many first steps Ridders tries: `h₀ = 0.01·max(|x|, 1)`, then `h₀/10`, `h₀/100`, ...
const SCALES: usize = 6;

/// Ridders' estimate with a conservative error estimate, for `g(t) = f(x + t·eₖ)` (vector
/// valued, componentwise), where `scale = max(|xₖ|, 1)`.
///
/// The first step adapts to the function's own scale of variation: the two-run estimate of
/// [`ridders_at`] is made from `h₀ = H0·scale` and from each tenth of it down to
/// `h₀ / 10^(SCALES − 1)`, and each pair of neighbouring first steps is compared. A step much
/// longer than the scale on which `f` oscillates gives an estimate that the next shorter one
/// contradicts, a step so short that rounding dominates gives a large rounding term; the pair
/// with the smallest combined error (the two error estimates and the difference of the two
/// estimates) wins, with the better of its two estimates. The error estimate is `ERR_SAFETY` times that combined error, or `+∞` when
/// no pair gave a finite one.
fn ridders<const M: usize>(
    g: impl Fn(f64) -> SVector<f64, M>,
    scale: f64,
) -> (SVector<f64, M>, SVector<f64, M>) {
    let mut best = SVector::<f64, M>::repeat(f64::NAN);
    let mut best_err = SVector::<f64, M>::repeat(f64::INFINITY);
    let mut prev: Option<(SVector<f64, M>, SVector<f64, M>)> = None;
    let mut h0 = H0 * scale;
    for _ in 0..SCALES {
        let (d, e) = ridders_at(&g, h0);
        if let Some((dp, ep)) = prev {
            let mut worse = 0;
            for m in 0..M {
                let c = ep[m].max(e[m]).max((dp[m] - d[m]).abs());
                if c < best_err[m] {
                    best_err[m] = c;
                    best[m] = if e[m] <= ep[m] { d[m] } else { dp[m] };
                } else if c > 100.0 * best_err[m] {
                    worse += 1;
                }
            }
            // every component is deep in the rounding regime: shorter steps only get worse
            if worse == M {
                break;
            }
        } else {
            best = d;
        }
        prev = Some((d, e));
        h0 /= 10.0;
    }
    let err = best_err.map(|e| {
        if e.is_finite() {
            ERR_SAFETY * e
        } else {
            f64::INFINITY
        }
    });
    (best, err)
}

/// Two independent Ridders extrapolations of `g` from first steps `h0` and `0.3·h0`: the
/// estimate with the smaller tableau error, and the raw error (no safety factor): the largest
/// of the two tableau errors, the difference of the two estimates, and the rounding error of the
/// differences used, from the noise level of `g` measured by [`noise_level`]; NaN becomes `+∞`.
fn ridders_at<const M: usize>(
    g: &impl Fn(f64) -> SVector<f64, M>,
    h0: f64,
) -> (SVector<f64, M>, SVector<f64, M>) {
    let diff = |h: f64| (g(h) - g(-h)) / (2.0 * h);
    let (d1, e1, h1) = ridders_along(&diff, h0);
    let (d2, e2, h2) = ridders_along(&diff, h0 * 0.3);
    let sigma = noise_level(g, h0);
    let best = SVector::from_fn(|m, _| if e1[m] <= e2[m] { d1[m] } else { d2[m] });
    let err = SVector::from_fn(|m, _| {
        let rounding = NOISE_AMP * sigma[m] / h1[m].min(h2[m]);
        let e = e1[m].max(e2[m]).max((d1[m] - d2[m]).abs()).max(rounding);
        if e.is_nan() { f64::INFINITY } else { e }
    });
    (best, err)
}

/// The safety factor of the Ridders error estimate. Without it, the actual error exceeded the
/// raw estimate by up to 1.25 times on the test functions; with it, it stays below a third.
const ERR_SAFETY: f64 = 4.0;

/// The rounding error of a difference quotient `(g(h) − g(−h)) / 2h` whose values carry noise
/// `σ` is about `0.7 σ / h`; Richardson extrapolation amplifies it by a further factor of up to
/// about 10.
const NOISE_AMP: f64 = 10.0;

/// The noise level `σ` of each component of `g` near 0: the root mean square of sixth
/// differences of `g` at spacing `h0 / 100`, over `√924` (the noise gain of a sixth difference,
/// `√C(12, 6)`), in the manner of Moré and Wild's ECnoise, floored at `ε·|g(0)|`. A smooth
/// function contributes `(h0/100)⁶ g⁽⁶⁾` to a sixth difference, far below rounding.
fn noise_level<const M: usize>(g: &impl Fn(f64) -> SVector<f64, M>, h0: f64) -> SVector<f64, M> {
    const C6: [f64; 7] = [1.0, -6.0, 15.0, -20.0, 15.0, -6.0, 1.0];
    let delta = h0 / 100.0;
    let v: [SVector<f64, M>; 9] = std::array::from_fn(|j| g((j as f64 - 4.0) * delta));
    let mut sq = SVector::<f64, M>::zeros();
    for t in 0..3 {
        let d6 = (0..7).fold(SVector::<f64, M>::zeros(), |acc, j| acc + v[t + j] * C6[j]);
        sq += d6.component_mul(&d6);
    }
    SVector::from_fn(|m, _| {
        (sq[m] / 3.0 / 924.0)
            .sqrt()
            .max(f64::EPSILON * v[4][m].abs())
    })
}

/// Ridders' extrapolation (Numerical Recipes' `dfridr`), componentwise, of the central
/// differences `diff(h)` with first step `h0`. Returns the best estimate of each component, its
/// tableau error, and the step of the difference where the best estimate was found.
fn ridders_along<const M: usize>(
    diff: &impl Fn(f64) -> SVector<f64, M>,
    h0: f64,
) -> (SVector<f64, M>, SVector<f64, M>, SVector<f64, M>) {
    const CON2: f64 = CON * CON;
    // tableau columns, one per component: `prev[j]` is row j of column i − 1
    let mut prev = vec![[0.0_f64; NTAB]; M];
    let mut cur = vec![[0.0_f64; NTAB]; M];
    let mut err = SVector::<f64, M>::repeat(f64::INFINITY);
    let mut done = [false; M];
    let mut h = h0;
    let d0 = diff(h);
    let mut best = d0;
    let mut step = SVector::<f64, M>::repeat(h0);
    for m in 0..M {
        prev[m][0] = d0[m];
    }
    for i in 1..NTAB {
        if done.iter().all(|&d| d) {
            break;
        }
        h /= CON;
        let d = diff(h);
        for m in 0..M {
            if done[m] {
                continue;
            }
            cur[m][0] = d[m];
            let mut fac = CON2;
            for j in 1..=i {
                // eliminate the next power of h² (Neville)
                cur[m][j] = (cur[m][j - 1] * fac - prev[m][j - 1]) / (fac - 1.0);
                fac *= CON2;
                let errt = (cur[m][j] - cur[m][j - 1])
                    .abs()
                    .max((cur[m][j] - prev[m][j - 1]).abs());
                if errt <= err[m] {
                    err[m] = errt;
                    best[m] = cur[m][j];
                    step[m] = h;
                }
            }
            // higher order made things worse: stop early
            if (cur[m][i] - prev[m][i - 1]).abs() >= SAFE * err[m] {
                done[m] = true;
            }
            std::mem::swap(&mut prev[m], &mut cur[m]);
        }
    }
    (best, err, step)
}
