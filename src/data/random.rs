//! The seeded generator behind every random operation of the crate, uniform draws, and
//! portable shuffling: the same seed gives the same numbers on every machine.

/// The random-number trait that [`Model::init_with`](crate::model::Model::init_with) and
/// [`Init::matrix`](crate::params::Init::matrix) take, from the `rand` version dualgrad is built with.
pub use rand::Rng;
use rand::SeedableRng;
/// The generator behind every seeded operation ([`seeded_rng`] returns it): ChaCha with 8
/// rounds, the same stream on every platform.
///
/// ```
/// use dualgrad::data::{ChaCha8Rng, Rng, seeded_rng};
/// let mut rng: ChaCha8Rng = seeded_rng(3);
/// let (a, b) = (rng.next_u64(), rng.next_u64());
/// assert_ne!(a, b);
/// ```
pub use rand_chacha::ChaCha8Rng;

/// A uniform integer in `0..n` (`n > 0`) from 64-bit draws, without bias (Lemire's
/// multiply-and-reject method). Only `u64` arithmetic is involved, so the result is the same on
/// every platform.
#[inline]
fn below<G: Rng + ?Sized>(rng: &mut G, n: u64) -> u64 {
    let mut m = u128::from(rng.next_u64()) * u128::from(n);
    if (m as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (m as u64) < threshold {
            m = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (m >> 64) as u64
}

/// Shuffle `items` in place with the Fisher–Yates algorithm, drawing from `rng`.
///
/// ```
/// use dualgrad::data::shuffle_with;
/// use dualgrad::data::seeded_rng;
/// let mut v = [1, 2, 3, 4, 5];
/// shuffle_with(&mut v, &mut seeded_rng(9));
/// let mut sorted = v;
/// sorted.sort();
/// assert_eq!(sorted, [1, 2, 3, 4, 5]); // a permutation of the input
/// ```
pub fn shuffle_with<T, G: Rng + ?Sized>(items: &mut [T], rng: &mut G) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// A random permutation of `0..n`, the same for the same seed on every machine (the generator
/// is [`seeded_rng`], the shuffle Fisher–Yates with unbiased 64-bit draws).
///
/// ```
/// use dualgrad::data::permutation;
/// let p = permutation(5, 42);
/// assert_eq!(p, permutation(5, 42));
/// let mut sorted = p.clone();
/// sorted.sort();
/// assert_eq!(sorted, [0, 1, 2, 3, 4]);
/// ```
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    shuffle_with(&mut p, &mut seeded_rng(seed));
    p
}

/// The generator behind every seeded operation in dualgrad: ChaCha with 8 rounds
/// (`rand_chacha::ChaCha8Rng`), seeded with `seed_from_u64`. Its stream is specified
/// independently of the platform, so the same seed gives the same numbers everywhere.
///
/// ```
/// use dualgrad::data::Rng;
/// let (mut a, mut b) = (dualgrad::data::seeded_rng(42), dualgrad::data::seeded_rng(42));
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
pub fn seeded_rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A uniform draw from `[0, 1)`: the top 53 bits of one `u64`, times `2⁻⁵³`.
///
/// This conversion is written out here (rather than taken from a `rand` distribution) so that
/// initial parameters depend only on the generator's output stream.
///
/// ```
/// use dualgrad::data::{seeded_rng, unit_uniform};
/// let mut rng = seeded_rng(1);
/// let u = unit_uniform(&mut rng);
/// assert!((0.0..1.0).contains(&u));
/// ```
#[inline]
pub fn unit_uniform<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}
