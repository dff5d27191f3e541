//! Two interleaving half circles ("two moons", as scikit-learn's `make_moons`), generated
//! deterministically from a seed.
//!
//! Class 0 lies on the upper half circle `(cos t, sin t)`, class 1 on the lower one
//! `(1 − cos t, 1/2 − sin t)`, with `t` uniform in `[0, π]` and Gaussian noise of standard
//! deviation `noise` added to each coordinate (Box–Muller from two uniform draws). Samples
//! alternate between the classes, so the two are balanced.

use dualgrad::data::Dataset;
use dualgrad::data::{seeded_rng, unit_uniform};
use nalgebra::SVector;

/// `n` two-moons samples (classes 0 and 1 alternating) with noise `noise`, from `seed`.
///
/// # Panics
/// If `noise` is not finite (the data set rejects non-finite features) or `n` is 0.
pub fn two_moons(n: usize, noise: f64, seed: u64) -> Dataset<2, usize> {
    let mut rng = seeded_rng(seed);
    let mut xs = Vec::with_capacity(n);
    let mut ys = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % 2;
        let t = std::f64::consts::PI * unit_uniform(&mut rng);
        let (x, y) = if class == 0 {
            (t.cos(), t.sin())
        } else {
            (1.0 - t.cos(), 0.5 - t.sin())
        };
        let (dx, dy) = (gauss(&mut rng), gauss(&mut rng));
        xs.push(SVector::from([x + noise * dx, y + noise * dy]));
        ys.push(class);
    }
    Dataset::new(xs, ys).expect("finite two-moons samples")
}

/// A standard normal draw by Box–Muller (`1 − u` lies in `(0, 1]`, so the logarithm is finite).
fn gauss(rng: &mut dualgrad::data::ChaCha8Rng) -> f64 {
    let (u, v) = (unit_uniform(rng), unit_uniform(rng));
    (-2.0 * (1.0 - u).ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}
