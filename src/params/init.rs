//! Seeded initialisation: Xavier/Glorot and He, from a portable generator.

use crate::data::unit_uniform;
use nalgebra::SMatrix;
use rand::Rng;

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
    /// use dualgrad::data::seeded_rng;
    /// use dualgrad::params::Init;
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
