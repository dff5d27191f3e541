//! The parameters of multilayer perceptrons with one or two hidden layers.

use super::check_count;
use super::{Block, ParamVector, block_is_weight, block_name};
use super::{read_matrix, read_vector, write_matrix, write_vector};
use crate::Scalar;
use nalgebra::{SMatrix, SVector};

/// The parameters of an MLP `I → H → O`: hidden layer `w1` (`H × I`), `b1`; output layer `w2`
/// (`O × H`), `b2`.
///
/// Flat order (for `P = H·I + H + O·H + O`): `W1` row by row, `b1`, `W2` row by row, `b2`.
/// A wrong `P` is a compile-time error:
///
/// ```compile_fail,E0080
/// use dualgrad::params::{Mlp1Params, ParamVector};
/// use nalgebra::SVector;
/// // 4 → 8 → 3 has 8·4 + 8 + 3·8 + 3 = 67 parameters, not 66
/// let v: SVector<f64, 66> = Mlp1Params::<f64, 4, 8, 3>::zeros().to_vector();
/// ```
///
/// ```
/// use dualgrad::params::{Mlp1Params, ParamVector};
/// use nalgebra::SVector;
/// // 2 → 3 → 1 (the XOR network): 3·2 + 3 + 1·3 + 1 = 13 parameters
/// let v = SVector::<f64, 13>::from_fn(|i, _| i as f64);
/// let p = Mlp1Params::<f64, 2, 3, 1>::from_vector(&v);
/// assert_eq!(p.w1[(2, 0)], 4.0); // row 2, column 0: entry 2·2 + 0
/// assert_eq!(p.b1[2], 8.0); // after the 6 entries of W1
/// assert_eq!(p.b2[0], 12.0);
/// assert_eq!(<Mlp1Params<f64, 2, 3, 1> as ParamVector<f64, 13>>::param_name(4), "W1[2,0]");
/// assert_eq!(<Mlp1Params<f64, 2, 3, 1> as ParamVector<f64, 13>>::param_name(8), "b1[2]");
/// assert_eq!(ParamVector::<f64, 13>::to_vector(&p), v);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mlp1Params<T, const I: usize, const H: usize, const O: usize> {
    /// Hidden-layer weights, `H × I`.
    pub w1: SMatrix<T, H, I>,
    /// Hidden-layer bias.
    pub b1: SVector<T, H>,
    /// Output-layer weights, `O × H`.
    pub w2: SMatrix<T, O, H>,
    /// Output-layer bias.
    pub b2: SVector<T, O>,
}

impl<T: Scalar, const I: usize, const H: usize, const O: usize> Mlp1Params<T, I, H, O> {
    /// The number of parameters, `H·I + H + O·H + O`.
    ///
    /// ```
    /// assert_eq!(dualgrad::params::Mlp1Params::<f64, 4, 8, 3>::LEN, 67);
    /// ```
    pub const LEN: usize = H * I + H + O * H + O;

    const BLOCKS: [Block; 4] = [
        Block::weight("W1", H, I),
        Block::bias("b1", H),
        Block::weight("W2", O, H),
        Block::bias("b2", O),
    ];

    /// All zeros.
    ///
    /// ```
    /// let p = dualgrad::params::Mlp1Params::<f64, 2, 3, 1>::zeros();
    /// assert_eq!(p.w2.sum(), 0.0);
    /// ```
    pub fn zeros() -> Self {
        Self {
            w1: SMatrix::from_element(T::zero()),
            b1: SVector::from_element(T::zero()),
            w2: SMatrix::from_element(T::zero()),
            b2: SVector::from_element(T::zero()),
        }
    }
}

impl<T: Scalar, const I: usize, const H: usize, const O: usize, const P: usize> ParamVector<T, P>
    for Mlp1Params<T, I, H, O>
{
    #[inline]
    fn to_vector(&self) -> SVector<T, P> {
        const {
            check_count(
                "Mlp1Params<I, H, O>",
                "H*I + H + O*H + O",
                H * I + H + O * H + O,
                P,
            )
        };
        let mut v = SVector::from_element(T::zero());
        let k = write_matrix(&self.w1, &mut v, 0);
        let k = write_vector(&self.b1, &mut v, k);
        let k = write_matrix(&self.w2, &mut v, k);
        write_vector(&self.b2, &mut v, k);
        v
    }

    #[inline]
    fn from_vector(v: &SVector<T, P>) -> Self {
        const {
            check_count(
                "Mlp1Params<I, H, O>",
                "H*I + H + O*H + O",
                H * I + H + O * H + O,
                P,
            )
        };
        let (w1, k) = read_matrix(v, 0);
        let (b1, k) = read_vector(v, k);
        let (w2, k) = read_matrix(v, k);
        let (b2, _) = read_vector(v, k);
        Self { w1, b1, w2, b2 }
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

/// The parameters of an MLP `I → H1 → H2 → O`: `w1` (`H1 × I`), `b1`, `w2` (`H2 × H1`), `b2`,
/// `w3` (`O × H2`), `b3`.
///
/// Flat order (for `P = H1·I + H1 + H2·H1 + H2 + O·H2 + O`): `W1` row by row, `b1`, `W2`, `b2`,
/// `W3`, `b3`. A wrong `P` is a compile-time error:
///
/// ```compile_fail,E0080
/// use dualgrad::params::{Mlp2Params, ParamVector};
/// use nalgebra::SVector;
/// // 2 → 2 → 2 → 1 has 6 + 6 + 3 = 15 parameters, not 16
/// let p = Mlp2Params::<f64, 2, 2, 2, 1>::from_vector(&SVector::<f64, 16>::zeros());
/// ```
///
/// ```
/// use dualgrad::params::{Mlp2Params, ParamVector};
/// use nalgebra::SVector;
/// let v = SVector::<f64, 15>::from_fn(|i, _| i as f64);
/// let p = Mlp2Params::<f64, 2, 2, 2, 1>::from_vector(&v);
/// assert_eq!(p.w2[(1, 0)], 8.0); // W1 (4) + b1 (2) = 6, then row 1 column 0 → 6 + 2
/// assert_eq!(p.b3[0], 14.0);
/// assert_eq!(<Mlp2Params<f64, 2, 2, 2, 1> as ParamVector<f64, 15>>::param_name(12), "W3[0,0]");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mlp2Params<T, const I: usize, const H1: usize, const H2: usize, const O: usize> {
    /// First hidden layer's weights, `H1 × I`.
    pub w1: SMatrix<T, H1, I>,
    /// First hidden layer's bias.
    pub b1: SVector<T, H1>,
    /// Second hidden layer's weights, `H2 × H1`.
    pub w2: SMatrix<T, H2, H1>,
    /// Second hidden layer's bias.
    pub b2: SVector<T, H2>,
    /// Output layer's weights, `O × H2`.
    pub w3: SMatrix<T, O, H2>,
    /// Output layer's bias.
    pub b3: SVector<T, O>,
}

impl<T: Scalar, const I: usize, const H1: usize, const H2: usize, const O: usize>
    Mlp2Params<T, I, H1, H2, O>
{
    /// The number of parameters, `H1·I + H1 + H2·H1 + H2 + O·H2 + O`.
    ///
    /// ```
    /// assert_eq!(dualgrad::params::Mlp2Params::<f64, 4, 8, 8, 3>::LEN, 40 + 72 + 27);
    /// ```
    pub const LEN: usize = H1 * I + H1 + H2 * H1 + H2 + O * H2 + O;

    const BLOCKS: [Block; 6] = [
        Block::weight("W1", H1, I),
        Block::bias("b1", H1),
        Block::weight("W2", H2, H1),
        Block::bias("b2", H2),
        Block::weight("W3", O, H2),
        Block::bias("b3", O),
    ];

    /// All zeros.
    ///
    /// ```
    /// let p = dualgrad::params::Mlp2Params::<f64, 2, 2, 2, 1>::zeros();
    /// assert_eq!(p.b3[0], 0.0);
    /// ```
    pub fn zeros() -> Self {
        Self {
            w1: SMatrix::from_element(T::zero()),
            b1: SVector::from_element(T::zero()),
            w2: SMatrix::from_element(T::zero()),
            b2: SVector::from_element(T::zero()),
            w3: SMatrix::from_element(T::zero()),
            b3: SVector::from_element(T::zero()),
        }
    }
}

impl<T: Scalar, const I: usize, const H1: usize, const H2: usize, const O: usize, const P: usize>
    ParamVector<T, P> for Mlp2Params<T, I, H1, H2, O>
{
    #[inline]
    fn to_vector(&self) -> SVector<T, P> {
        const {
            check_count(
                "Mlp2Params<I, H1, H2, O>",
                "H1*I + H1 + H2*H1 + H2 + O*H2 + O",
                H1 * I + H1 + H2 * H1 + H2 + O * H2 + O,
                P,
            )
        };
        let mut v = SVector::from_element(T::zero());
        let k = write_matrix(&self.w1, &mut v, 0);
        let k = write_vector(&self.b1, &mut v, k);
        let k = write_matrix(&self.w2, &mut v, k);
        let k = write_vector(&self.b2, &mut v, k);
        let k = write_matrix(&self.w3, &mut v, k);
        write_vector(&self.b3, &mut v, k);
        v
    }

    #[inline]
    fn from_vector(v: &SVector<T, P>) -> Self {
        const {
            check_count(
                "Mlp2Params<I, H1, H2, O>",
                "H1*I + H1 + H2*H1 + H2 + O*H2 + O",
                H1 * I + H1 + H2 * H1 + H2 + O * H2 + O,
                P,
            )
        };
        let (w1, k) = read_matrix(v, 0);
        let (b1, k) = read_vector(v, k);
        let (w2, k) = read_matrix(v, k);
        let (b2, k) = read_vector(v, k);
        let (w3, k) = read_matrix(v, k);
        let (b3, _) = read_vector(v, k);
        Self {
            w1,
            b1,
            w2,
            b2,
            w3,
            b3,
        }
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
