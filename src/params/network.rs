//! The parameters of a composed network ([`Network`](crate::model::Network)): dense layers one after
//! another, flattened layer by layer.

use super::count::check_count;
use super::{DenseParams, ParamVector, read_matrix, read_vector, write_matrix, write_vector};
use crate::Scalar;
use nalgebra::{SMatrix, SVector};

/// The parameters of a list of dense layers, flattened layer by layer: each layer's weights row
/// by row, then its bias. Implemented by [`DenseParams`] (the last, output layer) and
/// [`LayerParams`] (a layer followed by the rest); [`NetworkParams`] wraps a list as a
/// [`ParamVector`].
///
/// The items other than [`LEN`](LayersParams::LEN) are the machinery of [`NetworkParams`] and
/// are hidden from the documentation.
///
/// ```
/// use dualgrad::params::{DenseParams, LayerParams, LayersParams};
/// // 2 → 3 → 1: (3·2 + 3) + (1·3 + 1) = 13 parameters
/// assert_eq!(<LayerParams<f64, 2, 3, DenseParams<f64, 3, 1>> as LayersParams<f64>>::LEN, 13);
/// ```
pub trait LayersParams<T: Scalar>: Copy {
    /// The number of parameters of all the layers.
    const LEN: usize;

    #[doc(hidden)]
    fn layers_zeros() -> Self;

    #[doc(hidden)]
    fn write_flat<const P: usize>(&self, out: &mut SVector<T, P>, offset: usize) -> usize;

    /// The layers read from `v[offset..]`: the whole return value (offsets come from the layer
    /// sizes, not a returned `(Self, offset)`), so that `in_place` can build it in its place.
    #[doc(hidden)]
    fn read_flat<const P: usize>(v: &SVector<T, P>, offset: usize) -> Self;

    /// The name of entry `i` of these layers, whose first layer is layer number `layer`.
    #[doc(hidden)]
    fn entry_name(i: usize, layer: usize) -> String;

    #[doc(hidden)]
    fn entry_is_weight(i: usize) -> bool;
}

/// Values of at least this many bytes are built by `in_place` out of line.
const IN_PLACE_MIN_BYTES: usize = 4096;

/// `f()`, built where the caller puts it. Inlined, a nested `read_flat` builds its layers in a
/// temporary that is then copied into the parent's field, once per level of nesting; for the
/// generic path's wide duals each copy is a `memcpy` of kilobytes (the 4 → 8 → 3 network's 67
/// parameters as 67-wide duals are 36 KiB). Called out of line, its result is written straight
/// into the parent (LLVM's call-slot optimisation), and the call costs nothing in comparison.
/// Small values (`f64` parameters, narrow duals) stay inline.
#[inline(always)]
fn in_place<V>(f: impl FnOnce() -> V) -> V {
    #[inline(never)]
    fn out_of_line<V>(f: impl FnOnce() -> V) -> V {
        f()
    }
    if size_of::<V>() >= IN_PLACE_MIN_BYTES {
        out_of_line(f)
    } else {
        f()
    }
}

/// `W{layer}[r,c]` for entry `i < O·I` of a row-major `O × I` weight matrix, else `b{layer}[r]`.
fn dense_entry_name<const I: usize, const O: usize>(i: usize, layer: usize) -> String {
    if i < O * I {
        format!("W{layer}[{},{}]", i / I, i % I)
    } else {
        format!("b{layer}[{}]", i - O * I)
    }
}

/// The last layer of a list.
impl<T: Scalar, const I: usize, const O: usize> LayersParams<T> for DenseParams<T, I, O> {
    const LEN: usize = O * I + O;

    #[inline]
    fn layers_zeros() -> Self {
        Self::zeros()
    }

    #[inline]
    fn write_flat<const P: usize>(&self, out: &mut SVector<T, P>, offset: usize) -> usize {
        let k = write_matrix(&self.w, out, offset);
        write_vector(&self.b, out, k)
    }

    #[inline]
    fn read_flat<const P: usize>(v: &SVector<T, P>, offset: usize) -> Self {
        Self {
            w: read_matrix(v, offset).0,
            b: read_vector(v, offset + O * I).0,
        }
    }

    fn entry_name(i: usize, layer: usize) -> String {
        dense_entry_name::<I, O>(i, layer)
    }

    fn entry_is_weight(i: usize) -> bool {
        i < O * I
    }
}

/// The parameters of one dense layer `I → H` (weights `w`, `H × I`, and bias `b`) followed by
/// the parameters `next` of the layers after it.
///
/// ```
/// use dualgrad::params::{DenseParams, LayerParams, LayersParams};
/// use nalgebra::{SMatrix, SVector};
/// // 1 → 2 → 1
/// let p = LayerParams::<f64, 1, 2, DenseParams<f64, 2, 1>> {
///     w: SMatrix::from([[1.0, 2.0]]),
///     b: SVector::from([3.0, 4.0]),
///     next: DenseParams { w: SMatrix::from([[5.0], [6.0]]), b: SVector::from([7.0]) },
/// };
/// assert_eq!(p.next.w[(0, 1)], 6.0);
/// assert_eq!(<LayerParams<f64, 1, 2, DenseParams<f64, 2, 1>> as LayersParams<f64>>::LEN, 7);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerParams<T, const I: usize, const H: usize, R> {
    /// The layer's weights, `H × I`: unit `h` computes `Σᵢ w[(h, i)] x[i] + b[h]`.
    pub w: SMatrix<T, H, I>,
    /// The layer's bias.
    pub b: SVector<T, H>,
    /// The parameters of the following layers.
    pub next: R,
}

impl<T: Scalar, const I: usize, const H: usize, R: LayersParams<T>> LayersParams<T>
    for LayerParams<T, I, H, R>
{
    const LEN: usize = H * I + H + R::LEN;

    #[inline]
    fn layers_zeros() -> Self {
        Self {
            w: SMatrix::from_element(T::zero()),
            b: SVector::from_element(T::zero()),
            next: R::layers_zeros(),
        }
    }

    #[inline]
    fn write_flat<const P: usize>(&self, out: &mut SVector<T, P>, offset: usize) -> usize {
        let k = write_matrix(&self.w, out, offset);
        let k = write_vector(&self.b, out, k);
        self.next.write_flat(out, k)
    }

    #[inline]
    fn read_flat<const P: usize>(v: &SVector<T, P>, offset: usize) -> Self {
        Self {
            w: read_matrix(v, offset).0,
            b: read_vector(v, offset + H * I).0,
            next: in_place(|| R::read_flat(v, offset + H * I + H)),
        }
    }

    fn entry_name(i: usize, layer: usize) -> String {
        if i < H * I + H {
            dense_entry_name::<I, H>(i, layer)
        } else {
            R::entry_name(i - (H * I + H), layer + 1)
        }
    }

    fn entry_is_weight(i: usize) -> bool {
        if i < H * I + H {
            i < H * I
        } else {
            R::entry_is_weight(i - (H * I + H))
        }
    }
}

/// The parameters of a [`Network`](crate::model::Network): its list of layers, first layer
/// outermost (`layers.w` is the first layer's weights, `layers.next.w` the second's, and so on).
///
/// Flat order: layer by layer, each layer's weights `W` row by row and then its bias `b`. Layers
/// are numbered from 1 in names: `W1[r,c]`, `b1[r]`, `W2[r,c]`, ... (row `r`, column `c`). Only
/// weights take the L2 penalty. A `P` other than the layers' count is a compile-time error that
/// names the right count.
///
/// ```
/// use dualgrad::params::{DenseParams, LayerParams, NetworkParams, ParamVector};
/// use nalgebra::SVector;
/// // 2 → 2 tanh → 1: W1 (2×2), b1, W2 (1×2), b2: 4 + 2 + 2 + 1 = 9 parameters
/// type Params = NetworkParams<LayerParams<f64, 2, 2, DenseParams<f64, 2, 1>>>;
/// let v = SVector::<f64, 9>::from_fn(|i, _| i as f64);
/// let p: Params = ParamVector::<f64, 9>::from_vector(&v);
/// assert_eq!(p.layers.w[(1, 0)], 2.0); // row 1, column 0: entry 1·2 + 0
/// assert_eq!(p.layers.b[1], 5.0); // after the 4 entries of W1
/// assert_eq!(p.layers.next.w[(0, 1)], 7.0);
/// assert_eq!(ParamVector::<f64, 9>::to_vector(&p), v);
/// let names: Vec<String> = <Params as ParamVector<f64, 9>>::names().collect();
/// assert_eq!(names, ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "b1[0]", "b1[1]", "W2[0,0]", "W2[0,1]", "b2[0]"]);
/// assert!(<Params as ParamVector<f64, 9>>::penalised(7)); // W2[0,1]
/// assert!(!<Params as ParamVector<f64, 9>>::penalised(8)); // b2[0]
/// ```
///
/// ```compile_fail,E0080
/// use dualgrad::params::{DenseParams, LayerParams, NetworkParams, ParamVector};
/// use nalgebra::SVector;
/// type Params = NetworkParams<LayerParams<f64, 2, 2, DenseParams<f64, 2, 1>>>;
/// // 9 parameters, not 10: "P = 10, but the sizes give ... = 9 parameters: write 9 for P"
/// let p: Params = ParamVector::<f64, 10>::from_vector(&SVector::zeros());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkParams<L> {
    /// The layers' parameters.
    pub layers: L,
}

impl<T: Scalar, L: LayersParams<T>, const P: usize> ParamVector<T, P> for NetworkParams<L> {
    #[inline]
    fn to_vector(&self) -> SVector<T, P> {
        const { check_count(NETWORK, FORMULA, L::LEN, P) };
        let mut v = SVector::from_element(T::zero());
        self.layers.write_flat(&mut v, 0);
        v
    }

    #[inline]
    fn from_vector(v: &SVector<T, P>) -> Self {
        const { check_count(NETWORK, FORMULA, L::LEN, P) };
        Self {
            layers: in_place(|| L::read_flat(v, 0)),
        }
    }

    fn param_name(i: usize) -> String {
        assert!(i < P, "parameter index {i} out of range for {P} parameters");
        L::entry_name(i, 1)
    }

    fn penalised(i: usize) -> bool {
        assert!(i < P, "parameter index {i} out of range for {P} parameters");
        L::entry_is_weight(i)
    }
}

const NETWORK: &str = "NetworkParams";
const FORMULA: &str = "the sum over the layers of O*I + O";

impl<L> NetworkParams<L> {
    /// All zeros.
    ///
    /// ```
    /// use dualgrad::params::{DenseParams, NetworkParams};
    /// let p = NetworkParams::<DenseParams<f64, 2, 1>>::zeros();
    /// assert_eq!(p.layers.b[0], 0.0);
    /// ```
    pub fn zeros<T: Scalar>() -> Self
    where
        L: LayersParams<T>,
    {
        Self {
            layers: L::layers_zeros(),
        }
    }
}

/// The parameters of [`Mlp1`](crate::model::Mlp1), the network `I → H → O`: the hidden layer
/// `layers.w` (`H × I`), `layers.b`, then the output layer `layers.next.w` (`O × H`),
/// `layers.next.b`.
///
/// Flat order (for `P = H·I + H + O·H + O`): `W1` row by row, `b1`, `W2` row by row, `b2`, as
/// for every [`NetworkParams`]; a wrong `P` is a compile-time error that names the right count:
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
/// let (hidden, output) = (&p.layers, &p.layers.next);
/// assert_eq!(hidden.w[(2, 0)], 4.0); // row 2, column 0: entry 2·2 + 0
/// assert_eq!(hidden.b[2], 8.0); // after the 6 entries of W1
/// assert_eq!(output.b[0], 12.0);
/// assert_eq!(<Mlp1Params<f64, 2, 3, 1> as ParamVector<f64, 13>>::param_name(4), "W1[2,0]");
/// assert_eq!(<Mlp1Params<f64, 2, 3, 1> as ParamVector<f64, 13>>::param_name(8), "b1[2]");
/// assert_eq!(ParamVector::<f64, 13>::to_vector(&p), v);
/// ```
pub type Mlp1Params<T, const I: usize, const H: usize, const O: usize> =
    NetworkParams<LayerParams<T, I, H, DenseParams<T, H, O>>>;

/// The parameters of [`Mlp2`](crate::model::Mlp2), the network `I → H1 → H2 → O`:
/// `layers.w` (`H1 × I`), `layers.b`, `layers.next.w` (`H2 × H1`), `layers.next.b`,
/// `layers.next.next.w` (`O × H2`), `layers.next.next.b`.
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
/// assert_eq!(p.layers.next.w[(1, 0)], 8.0); // W1 (4) + b1 (2) = 6, then row 1 column 0 → 6 + 2
/// assert_eq!(p.layers.next.next.b[0], 14.0);
/// assert_eq!(<Mlp2Params<f64, 2, 2, 2, 1> as ParamVector<f64, 15>>::param_name(12), "W3[0,0]");
/// ```
pub type Mlp2Params<T, const I: usize, const H1: usize, const H2: usize, const O: usize> =
    NetworkParams<LayerParams<T, I, H1, LayerParams<T, H1, H2, DenseParams<T, H2, O>>>>;
