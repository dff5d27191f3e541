//! The rounding noise of an exact derivative, measured by evaluating it at points a few ulps
//! apart.

use nalgebra::{SMatrix, SVector};

/// How many rounding-noise standard deviations a hand value may be from the exact one and
/// still count as equal: the hand formula carries noise of its own, about as large, and the
/// largest of a few hundred normal deviates is rarely beyond 4; 10 leaves room for a hand
/// formula that rounds up to a few times more than the exact evaluation.
pub(crate) const NOISE_SAFETY: f64 = 10.0;

/// Points along the perturbation line (`−7 ..= 7` steps).
const POINTS: usize = 15;

/// The noise floor of each entry of the exact derivative `exact` at `x`: `NOISE_SAFETY` times
/// the rounding noise `σ` measured, in the manner of Moré and Wild's ECnoise, from the sixth
/// differences of `exact` at the points `x + k·δ` (`k = −7..=7`), where `δᵢ` is 8 units in the
/// last place of `max(|xᵢ|, 1)`. Over a few ulps a smooth derivative is a polynomial of low
/// degree, which sixth differences remove; what is left is the rounding of the evaluation, which
/// changes pseudo-randomly from one point to the next. A derivative that is a large cancelling
/// sum has a large `σ`; one computed without rounding has `σ = 0`. Entries where the
/// differences are not finite get an infinite `σ` and are never judged at the noise floor
/// (`NaN` is returned for them).
pub(crate) fn noise_floor<const N: usize, const R: usize, const C: usize>(
    exact: &impl Fn(&SVector<f64, N>) -> SMatrix<f64, R, C>,
    x: &SVector<f64, N>,
) -> SMatrix<f64, R, C> {
    const C6: [f64; 7] = [1.0, -6.0, 15.0, -20.0, 15.0, -6.0, 1.0];
    let step = x.map(|v| {
        let s = v.abs().max(1.0);
        8.0 * (s.next_up() - s)
    });
    let half = (POINTS / 2) as f64;
    let values: Vec<SMatrix<f64, R, C>> = (0..POINTS)
        .map(|k| exact(&(x + step * (k as f64 - half))))
        .collect();
    let diffs = POINTS - 6;
    SMatrix::from_fn(|i, j| {
        let mut sq = 0.0;
        for t in 0..diffs {
            let d6: f64 = (0..7).map(|m| values[t + m][(i, j)] * C6[m]).sum();
            sq += d6 * d6;
        }
        // the noise gain of a sixth difference is √C(12, 6) = √924
        let sigma = (sq / diffs as f64 / 924.0).sqrt();
        if sigma.is_finite() {
            NOISE_SAFETY * sigma
        } else {
            f64::NAN
        }
    })
}
