//! Seeded initialisation: Xavier/Glorot and He, from a portable generator.

use nalgebra::SMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How a weight matrix is initialised. Biases always start at zero.
///
/// Both random schemes draw uniformly from `[−limit, limit)`, with
/// - `XavierUniform` (Glorot & Bengio 2010), for tanh, sigmoid and linear layers:
///   `limit = √(6 / (fan_in + fan_out))`, so the variance is `2 / (fan_in + fan_out)`;
/// - `HeUniform` (He et al. 2015), for ReLU layers: `limit = √(6 / fan_in)`, variance `2 / fan_in`.
///
/// The uniform variants are used (rather than Gaussian ones) because they take exactly one draw
/// per weight, through [`unit_uniform`], so the same seed gives the same weights on every
/// machine and every version of the `rand` crate.
///
/// ```
/// use dualgrad::params::Init;
/// assert_eq!(Init::XavierUniform.limit(4, 2), 1.0); // √(6 / (4 + 2))
/// assert_eq!(Init::HeUniform.limit(6, 100), 1.0); // √(6 / 6)
/// assert_eq!(Init::Zeros.limit(4, 2), 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// Uniform on `±√(6 / (fan_in + fan_out))` (Glorot/Xavier).
    XavierUniform,
    /// Uniform on `±√(6 / fan_in)` (He/Kaiming).
    HeUniform,
    /// All zeros.
    Zeros,
}

impl Init {
    /// The half-width of the uniform distribution for a layer with `fan_in` inputs and
    /// `fan_out` outputs (0 when `fan_in` is 0).
    ///
    /// ```
    /// use dualgrad::params::Init;
    /// assert_eq!(Init::HeUniform.limit(24, 8), 0.5); // √(6 / 24)
    /// ```
    pub fn limit(self, fan_in: usize, fan_out: usize) -> f64 {
        let (fan_in, fan_out) = (fan_in as f64, fan_out as f64);
        match self {
            Init::XavierUniform if fan_in + fan_out > 0.0 => (6.0 / (fan_in + fan_out)).sqrt(),
            Init::HeUniform if fan_in > 0.0 => (6.0 / fan_in).sqrt(),
            _ => 0.0,
        }
    }

    /// An `R × C` weight matrix (fan-in `C`, fan-out `R`), drawn in row-major order.
    ///
    /// ```
    /// use dualgrad::params::{Init, seeded_rng};
    /// use nalgebra::SMatrix;
    /// let w: SMatrix<f64, 3, 2> = Init::XavierUniform.matrix(&mut seeded_rng(7));
    /// assert!(w.iter().all(|x| x.abs() <= 6.0_f64.sqrt() / 5.0_f64.sqrt())); // √(6 / (2 + 3))
    /// let again: SMatrix<f64, 3, 2> = Init::XavierUniform.matrix(&mut seeded_rng(7));
    /// assert_eq!(w, again); // same seed, same draw
    /// ```
    pub fn matrix<G: Rng + ?Sized, const R: usize, const C: usize>(
        self,
        rng: &mut G,
    ) -> SMatrix<f64, R, C> {
        let limit = self.limit(C, R);
        let mut m = SMatrix::<f64, R, C>::zeros();
        if self != Init::Zeros {
            for r in 0..R {
                for c in 0..C {
                    m[(r, c)] = limit * (2.0 * unit_uniform(rng) - 1.0);
                }
            }
        }
        m
    }
}

/// The generator behind every seeded operation in dualgrad: ChaCha with 8 rounds
/// (`rand_chacha::ChaCha8Rng`), seeded with `seed_from_u64`. Its stream is specified
/// independently of the platform, so the same seed gives the same numbers everywhere.
///
/// ```
/// use dualgrad::params::Rng;
/// let (mut a, mut b) = (dualgrad::params::seeded_rng(42), dualgrad::params::seeded_rng(42));
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
/// use dualgrad::params::{seeded_rng, unit_uniform};
/// let mut rng = seeded_rng(1);
/// let u = unit_uniform(&mut rng);
/// assert!((0.0..1.0).contains(&u));
/// ```
#[inline]
pub fn unit_uniform<G: Rng + ?Sized>(rng: &mut G) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}
