//! Seeded, portable shuffling.

use crate::params::seeded_rng;
use rand::Rng;

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
/// use dualgrad::params::seeded_rng;
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
