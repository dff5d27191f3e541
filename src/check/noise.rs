//! The rounding noise of an exact derivative, measured by evaluating it at points a few ulps
//! apart.

use nalgebra::{SMatrix, SVector};

/// How many standard deviations of the combined rounding noise of the hand and the exact value
/// their difference may be and still count as noise: the largest of a few thousand normal
/// deviates is rarely beyond 4; 10 leaves room for noise that is not normal.
pub(crate) const NOISE_SAFETY: f64 = 10.0;

/// Points along the perturbation line (`−7 ..= 7` steps).
const POINTS: usize = 15;

/// The rounding noise `σ` of each entry of a derivative `eval` (the exact one, or the hand
/// formula) at `x`, measured, in the manner of Moré and Wild's ECnoise, from the sixth
/// differences of `exact` at the points `x + k·δ` (`k = −7..=7`), where `δᵢ` is 8 units in the
/// last place of `max(|xᵢ|, 1)`. Over a few ulps a smooth derivative is a polynomial of low
/// degree, which sixth differences remove; what is left is the rounding of the evaluation, which
/// changes pseudo-randomly from one point to the next. A derivative that is a large cancelling
/// sum has a large `σ`; one computed without rounding has `σ = 0`. Entries where the
/// differences are not finite, or that jump (see [`jumps`]), get `NaN`, and are never judged at
/// the noise floor.
pub(crate) fn noise_sigma<const N: usize, const R: usize, const C: usize>(
    eval: &impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
    x: &SVector<f64, N>,
) -> SMatrix<f64, R, C> {
    const C6: [f64; 7] = [1.0, -6.0, 15.0, -20.0, 15.0, -6.0, 1.0];
    let step = x.map(|v| {
        let s = v.abs().max(1.0);
        8.0 * (s.next_up() - s)
    });
    let half = (POINTS / 2) as f64;
    let values: Vec<SMatrix<f64, R, C>> = (0..POINTS)
        .map(|k| eval(&(x + step * (k as f64 - half))))
        .collect();
    let diffs = POINTS - 6;
    SMatrix::from_fn(|i, j| {
        if jumps(&values, i, j) {
            return f64::NAN;
        }
        let mut sq = 0.0;
        for t in 0..diffs {
            let d6: f64 = (0..7).map(|m| values[t + m][(i, j)] * C6[m]).sum();
            sq += d6 * d6;
        }
        // the noise gain of a sixth difference is √C(12, 6) = √924
        let sigma = (sq / diffs as f64 / 924.0).sqrt();
        if sigma.is_finite() { sigma } else { f64::NAN }
    })
}

/// The noise floor of a comparison of `hand` with `exact` at `x`: `NOISE_SAFETY` times the
/// combined rounding noise `√(σ_hand² + σ_exact²)` of the two (see [`noise_sigma`]).
pub(crate) fn noise_floor<const N: usize, const R: usize, const C: usize>(
    hand: &impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
    exact: &impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
    x: &SVector<f64, N>,
) -> SMatrix<f64, R, C> {
    let (sh, se) = (noise_sigma(hand, x), noise_sigma(exact, x));
    sh.zip_map(&se, |a, b| NOISE_SAFETY * a.hypot(b))
}

/// Whether entry `(i, j)` jumps along the points rather than scattering: the derivative has a
/// kink or a branch of `f` between two of them (a `max`, an `abs`, a ReLU at 0). A jump puts
/// almost all of the second differences' total size into the two that straddle it, rounding
/// noise spreads it over all of them (the two largest of 13 carry about a third).
fn jumps<const R: usize, const C: usize>(
    values: &[SMatrix<f64, R, C>],
    i: usize,
    j: usize,
) -> bool {
    let d2: Vec<f64> = values
        .windows(3)
        .map(|w| (w[2][(i, j)] - 2.0 * w[1][(i, j)] + w[0][(i, j)]).abs())
        .collect();
    let total: f64 = d2.iter().sum();
    let (mut first, mut second) = (0.0_f64, 0.0_f64);
    for &d in &d2 {
        if d > first {
            second = first;
            first = d;
        } else if d > second {
            second = d;
        }
    }
    total > 0.0 && first + second > JUMP_SHARE * total
}

/// The share of the second differences' total size that the two largest must exceed for a jump.
const JUMP_SHARE: f64 = 0.8;
