//! The parameters of one dense layer.

use super::check_count;
use super::{Block, ParamVector, block_is_weight, block_name};
use super::{read_matrix, read_vector, write_matrix, write_vector};
use crate::Scalar;
use nalgebra::{SMatrix, SVector};

/// The parameters of a dense (fully connected) layer `I → O`: weights `w` (`O × I`) and bias
/// `b` (`O`), so that the layer computes `w x + b`.
///
/// Flat order (for `P = O·I + O`): `w` row by row (`W[0,0], W[0,1], …, W[O−1,I−1]`), then `b`.
/// A wrong `P` is a compile-time error:
///
/// ```compile_fail,E0080
/// use dualgrad::params::{DenseParams, ParamVector};
/// use nalgebra::SVector;
/// // a 2 → 1 layer has 2·1 + 1 = 3 parameters, not 4
/// let p = DenseParams::<f64, 2, 1>::from_vector(&SVector::<f64, 4>::zeros());
/// ```
///
/// ```
/// use dualgrad::params::{DenseParams, ParamVector};
/// use nalgebra::SVector;
/// let p = DenseParams::<f64, 2, 1>::from_vector(&SVector::from([1.0, 2.0, 3.0]));
/// assert_eq!(p.w[(0, 1)], 2.0);
/// assert_eq!(p.b[0], 3.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DenseParams<T, const I: usize, const O: usize> {
    /// Weights, `O × I`: output `o` is `Σᵢ w[(o, i)] x[i] + b[o]`.
    pub w: SMatrix<T, O, I>,
    /// Bias, one per output.
    pub b: SVector<T, O>,
}

impl<T: Scalar, const I: usize, const O: usize> DenseParams<T, I, O> {
    /// The number of parameters, `O·I + O`.
    ///
    /// ```
    /// assert_eq!(dualgrad::params::DenseParams::<f64, 4, 3>::LEN, 15);
    /// ```
    pub const LEN: usize = O * I + O;

    const BLOCKS: [Block; 2] = [Block::weight("W", O, I), Block::bias("b", O)];

    /// All zeros.
    ///
    /// ```
    /// let p = dualgrad::params::DenseParams::<f64, 2, 1>::zeros();
    /// assert_eq!(p.b[0], 0.0);
    /// ```
    pub fn zeros() -> Self {
        Self {
            w: SMatrix::from_element(T::zero()),
            b: SVector::from_element(T::zero()),
        }
    }

    /// Convert every entry with `f` (e.g. lift `f64` parameters to duals, or take real parts).
    ///
    /// ```
    /// use dualgrad::params::DenseParams;
    /// let p = DenseParams::<f64, 1, 1>::zeros().map(|x| x + 1.0);
    /// assert_eq!((p.w[(0, 0)], p.b[0]), (1.0, 1.0));
    /// ```
    pub fn map<U: Scalar>(&self, f: impl Fn(T) -> U) -> DenseParams<U, I, O> {
        DenseParams {
            w: self.w.map(&f),
            b: self.b.map(&f),
        }
    }
}

impl<T: Scalar, const I: usize, const O: usize, const P: usize> ParamVector<T, P>
    for DenseParams<T, I, O>
{
    #[inline]
    fn to_vector(&self) -> SVector<T, P> {
        const { check_count("DenseParams<I, O>", "O*I + O", O * I + O, P) };
        let mut v = SVector::from_element(T::zero());
        let k = write_matrix(&self.w, &mut v, 0);
        write_vector(&self.b, &mut v, k);
        v
    }

    #[inline]
    fn from_vector(v: &SVector<T, P>) -> Self {
        const { check_count("DenseParams<I, O>", "O*I + O", O * I + O, P) };
        let (w, k) = read_matrix(v, 0);
        let (b, _) = read_vector(v, k);
        Self { w, b }
    }

    fn param_name(i: usize) -> String {
        assert!(i < P, "parameter index {i} out of range for {P} parameters");
        block_name(&Self::BLOCKS, i)
    }

    fn penalised(i: usize) -> bool {
        assert!(i < P, "parameter index {i} out of range for {P} parameters");
        block_is_weight(&Self::BLOCKS, i)
    }
}
