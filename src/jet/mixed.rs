//! Products of dual matrices and vectors with `f64` data: data stays `f64` in matrix code too.
//!
//! nalgebra multiplies matrices of one scalar type, so `w * x` with `w` an `f64` matrix and `x`
//! a vector of jets does not compile, and lifting `w` to jets (`w.map(T::lift) * x`) makes every
//! product a dual × dual product. These traits multiply `f64` entries into dual ones directly:
//! a `Jet<f64, N>` times an `f64` is `N + 1` multiplications, a `Jet` times a `Jet` `2N + 1`
//! multiplications and `N` additions. Nothing is allocated (static sizes).

use crate::Scalar;
use nalgebra::SMatrix;

/// Products of a matrix of [`Scalar`]s (duals) with `f64` data, on the dual side.
///
/// ```
/// use dualgrad::gradient;
/// use dualgrad::jet::MixedOps;
/// use nalgebra::{SMatrix, SVector};
/// let w = SVector::from([1.0, 2.0]); // data
/// // f(x) = w·x + ‖2x‖², generic code with f64 data
/// let (v, g) = gradient(|x| x.dot_f64(&w) + x.scale_f64(2.0).norm_squared(), &SVector::from([1.0, 1.0]));
/// assert_eq!((v, g), (11.0, SVector::from([9.0, 10.0]))); // w + 8x
/// let m = SMatrix::<f64, 2, 2>::new(1.0, 2.0, 3.0, 4.0);
/// let (_, g) = gradient(|x| x.transpose().mul_f64(&m)[0], &SVector::from([1.0, 1.0]));
/// assert_eq!(g, SVector::from([1.0, 3.0])); // (xᵀM)₀ = x₀ + 3x₁
/// ```
pub trait MixedOps<T: Scalar, const R: usize, const C: usize> {
    /// `self · m` for an `f64` matrix `m`.
    fn mul_f64<const K: usize>(&self, m: &SMatrix<f64, C, K>) -> SMatrix<T, R, K>;
    /// The dot product `Σ selfᵢⱼ vᵢⱼ` with an `f64` matrix or vector `v`.
    fn dot_f64(&self, v: &SMatrix<f64, R, C>) -> T;
    /// Every entry times the `f64` constant `c` (generic code cannot write `matrix * 2.0`).
    fn scale_f64(&self, c: f64) -> SMatrix<T, R, C>;
}

impl<T: Scalar, const R: usize, const C: usize> MixedOps<T, R, C> for SMatrix<T, R, C> {
    #[inline]
    fn mul_f64<const K: usize>(&self, m: &SMatrix<f64, C, K>) -> SMatrix<T, R, K> {
        SMatrix::from_fn(|i, j| {
            let mut acc = T::zero();
            for k in 0..C {
                acc += self[(i, k)] * m[(k, j)];
            }
            acc
        })
    }
    #[inline]
    fn dot_f64(&self, v: &SMatrix<f64, R, C>) -> T {
        let mut acc = T::zero();
        for (a, b) in self.iter().zip(v.iter()) {
            acc += *a * *b;
        }
        acc
    }
    #[inline]
    fn scale_f64(&self, c: f64) -> SMatrix<T, R, C> {
        self.map(|a| a * c)
    }
}

/// Products of an `f64` matrix (data) with a matrix or vector of [`Scalar`]s (duals).
///
/// ```
/// use dualgrad::jacobian;
/// use dualgrad::jet::F64Ops;
/// use nalgebra::{SMatrix, SVector};
/// let w = SMatrix::<f64, 2, 2>::new(1.0, 2.0, 3.0, 4.0);
/// // the Jacobian of x ↦ W x is W
/// let (_, j) = jacobian(|x| w.mul_dual(x), &SVector::from([0.5, -1.0]));
/// assert_eq!(j, w);
/// ```
pub trait F64Ops<const R: usize, const C: usize> {
    /// `self · m` for a matrix `m` of duals.
    fn mul_dual<T: Scalar, const K: usize>(&self, m: &SMatrix<T, C, K>) -> SMatrix<T, R, K>;
    /// The dot product `Σ selfᵢⱼ vᵢⱼ` with a matrix or vector `v` of duals.
    fn dot_dual<T: Scalar>(&self, v: &SMatrix<T, R, C>) -> T;
}

impl<const R: usize, const C: usize> F64Ops<R, C> for SMatrix<f64, R, C> {
    #[inline]
    fn mul_dual<T: Scalar, const K: usize>(&self, m: &SMatrix<T, C, K>) -> SMatrix<T, R, K> {
        SMatrix::from_fn(|i, j| {
            let mut acc = T::zero();
            for k in 0..C {
                acc += m[(k, j)] * self[(i, k)];
            }
            acc
        })
    }
    #[inline]
    fn dot_dual<T: Scalar>(&self, v: &SMatrix<T, R, C>) -> T {
        v.dot_f64(self)
    }
}
