//! Feed-forward networks of any depth, composed from layers: [`Layer`] (dense, with an
//! activation) and [`Output`] (affine), assembled into a [`Network`] model, most easily by the
//! [`network!`](crate::network!) macro, which also counts the parameters. [`Mlp1`] and [`Mlp2`]
//! name the networks with one and two hidden layers.

use super::layers::{
    accumulate_affine, activated, affine, affine_const, dense_init, seed, transpose_times,
};
use super::{Activation, Identity, Loss, Model};
use crate::data::Dataset;
use crate::params::check_count;
use crate::params::{DenseParams, LayerParams, LayersParams, NetworkParams, ParamVector};
use crate::{Jet, Scalar};
use nalgebra::SVector;
use rand::Rng;
use std::marker::PhantomData;
use std::ops::Mul;

/// The layers of a network from `I` inputs to `O` outputs: [`Output`], or a [`Layer`] followed
/// by more layers. It gives the parameter struct ([`Params`](Layers::Params)) and count
/// ([`LEN`](Layers::LEN)) of the layers; [`Network`] makes a [`Model`] of them.
///
/// The other items are the per-layer machinery that [`Network`] calls (forward pass,
/// initialisation, the exact per-layer gradient); they are hidden from the documentation and
/// the trait is meant to be implemented only by [`Layer`] and [`Output`].
///
/// ```
/// use dualgrad::model::{Layer, Layers, Output, Relu, Tanh};
/// // 2 → 8 tanh → 6 relu → 2: (8·2 + 8) + (6·8 + 6) + (2·6 + 2) = 24 + 54 + 14 = 92
/// type Moons = Layer<Tanh, 2, 8, Layer<Relu, 8, 6, Output<6, 2>>>;
/// assert_eq!(<Moons as Layers<2, 2>>::LEN, 92);
/// ```
pub trait Layers<const I: usize, const O: usize>: Copy + Default + Send + Sync + 'static {
    /// The layers' parameters at scalar type `T`: [`DenseParams`] for [`Output`],
    /// [`LayerParams`] for a [`Layer`].
    type Params<T: Scalar>: LayersParams<T>;

    /// The number of parameters of all the layers.
    const LEN: usize;

    /// Append the widths of the layers' outputs to `sizes` and the hidden activations' names
    /// to `activations`.
    #[doc(hidden)]
    fn describe(sizes: &mut Vec<usize>, activations: &mut Vec<&'static str>);

    #[doc(hidden)]
    fn init_layers<G: Rng + ?Sized>(rng: &mut G) -> Self::Params<f64>;

    /// The outputs for inputs `x` of type `X` (`f64` data for the first layer, then
    /// activations of type `T`).
    #[doc(hidden)]
    fn forward_layers<T, X>(p: &Self::Params<T>, x: &SVector<X, I>) -> SVector<T, O>
    where
        T: Scalar + Mul<X, Output = T>,
        X: Copy;

    /// The outputs for dual inputs `a`, with `f64` parameters (constants).
    #[doc(hidden)]
    fn forward_const<T: Scalar>(p: &Self::Params<f64>, a: &SVector<T, I>) -> SVector<T, O>;

    /// One sample's loss; adds its gradient to `g` and returns the loss and its gradient with
    /// respect to `x`, the input of these layers (which the layer before needs; the first
    /// layer's is not used, and the compiler drops it).
    #[doc(hidden)]
    fn sample_gradient<L: Loss<O, Y>, Y>(
        p: &Self::Params<f64>,
        g: &mut Self::Params<f64>,
        x: &SVector<f64, I>,
        loss: &L,
        y: &Y,
    ) -> (f64, SVector<f64, I>);
}

/// The output layer `I → O` of a network: affine, `z = W a + b`, with no activation (logits for
/// classifiers, values for regression). Weights: Xavier; bias: zero.
///
/// ```
/// use dualgrad::model::{Layers, Output};
/// assert_eq!(<Output<6, 2> as Layers<6, 2>>::LEN, 14); // 2·6 + 2
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Output<const I: usize, const O: usize>;

impl<const I: usize, const O: usize> Layers<I, O> for Output<I, O> {
    type Params<T: Scalar> = DenseParams<T, I, O>;
    const LEN: usize = O * I + O;

    fn describe(sizes: &mut Vec<usize>, _activations: &mut Vec<&'static str>) {
        sizes.push(O);
    }

    fn init_layers<G: Rng + ?Sized>(rng: &mut G) -> DenseParams<f64, I, O> {
        dense_init::<Identity, G, I, O>(rng)
    }

    #[inline]
    fn forward_layers<T, X>(p: &DenseParams<T, I, O>, x: &SVector<X, I>) -> SVector<T, O>
    where
        T: Scalar + Mul<X, Output = T>,
        X: Copy,
    {
        affine(&p.w, &p.b, x)
    }

    #[inline]
    fn forward_const<T: Scalar>(p: &DenseParams<f64, I, O>, a: &SVector<T, I>) -> SVector<T, O> {
        affine_const(&p.w, &p.b, a)
    }

    /// One pass of the loss with the outputs `z` seeded (`O` tangents): `∂L/∂z`, then
    /// `∂L/∂W = (∂L/∂z) xᵀ`, `∂L/∂b = ∂L/∂z` and `∂L/∂x = Wᵀ ∂L/∂z`.
    #[inline(always)]
    fn sample_gradient<L: Loss<O, Y>, Y>(
        p: &DenseParams<f64, I, O>,
        g: &mut DenseParams<f64, I, O>,
        x: &SVector<f64, I>,
        loss: &L,
        y: &Y,
    ) -> (f64, SVector<f64, I>) {
        let z = affine(&p.w, &p.b, x);
        let l = loss.loss(&seed(&z), y);
        accumulate_affine(&mut g.w, &mut g.b, &l.eps, x);
        (l.re, transpose_times(&p.w, &l.eps))
    }
}

/// A dense layer `I → H` with activation `A`, `a = A(W x + b)`, followed by the layers `Next`
/// (from `H` inputs to the network's outputs). Weights: `A`'s scheme (Xavier for tanh and
/// sigmoid, He for ReLU); bias: zero.
///
/// ```
/// use dualgrad::model::{Layer, Layers, Output, Tanh};
/// // 2 → 3 tanh → 1: (3·2 + 3) + (1·3 + 1) = 13
/// assert_eq!(<Layer<Tanh, 2, 3, Output<3, 1>> as Layers<2, 1>>::LEN, 13);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layer<A, const I: usize, const H: usize, Next> {
    _layers: PhantomData<(A, Next)>,
}

impl<A, const I: usize, const H: usize, const O: usize, Next> Layers<I, O> for Layer<A, I, H, Next>
where
    A: Activation,
    Next: Layers<H, O>,
{
    type Params<T: Scalar> = LayerParams<T, I, H, Next::Params<T>>;
    const LEN: usize = H * I + H + Next::LEN;

    fn describe(sizes: &mut Vec<usize>, activations: &mut Vec<&'static str>) {
        sizes.push(H);
        activations.push(A::NAME);
        Next::describe(sizes, activations);
    }

    fn init_layers<G: Rng + ?Sized>(rng: &mut G) -> Self::Params<f64> {
        let layer: DenseParams<f64, I, H> = dense_init::<A, G, I, H>(rng);
        LayerParams {
            w: layer.w,
            b: layer.b,
            next: Next::init_layers(rng),
        }
    }

    #[inline]
    fn forward_layers<T, X>(p: &Self::Params<T>, x: &SVector<X, I>) -> SVector<T, O>
    where
        T: Scalar + Mul<X, Output = T>,
        X: Copy,
    {
        let a = activated::<A, T, X, I, H>(&p.w, &p.b, x);
        Next::forward_layers::<T, T>(&p.next, &a)
    }

    #[inline]
    fn forward_const<T: Scalar>(p: &Self::Params<f64>, a: &SVector<T, I>) -> SVector<T, O> {
        let a = affine_const(&p.w, &p.b, a).map(A::apply);
        Next::forward_const(&p.next, &a)
    }

    /// The activations `a = A(z)` with their derivatives `A'(z)`, one unit at a time (one
    /// tangent each), then the later layers from `a`, which return `∂L/∂a`; so
    /// `∂L/∂z = ∂L/∂a ⊙ A'(z)`, `∂L/∂W = (∂L/∂z) xᵀ`, `∂L/∂b = ∂L/∂z` and
    /// `∂L/∂x = Wᵀ ∂L/∂z`.
    #[inline(always)]
    fn sample_gradient<L: Loss<O, Y>, Y>(
        p: &Self::Params<f64>,
        g: &mut Self::Params<f64>,
        x: &SVector<f64, I>,
        loss: &L,
        y: &Y,
    ) -> (f64, SVector<f64, I>) {
        let z = affine(&p.w, &p.b, x);
        crate::scalar::prepare_tanh();
        let mut a = SVector::<f64, H>::zeros();
        let mut slope = [0.0; H];
        for k in 0..H {
            let ak = A::apply(Jet::<f64, 1>::variable(z[k], 0));
            a[k] = ak.re;
            slope[k] = ak.eps[0];
        }
        let (value, ga) = Next::sample_gradient(&p.next, &mut g.next, &a, loss, y);
        let gz: [f64; H] = std::array::from_fn(|k| ga[k] * slope[k]);
        accumulate_affine(&mut g.w, &mut g.b, &gz, x);
        (value, transpose_times(&p.w, &gz))
    }
}

const NETWORK: &str = "Network<S, I, O, P>";
const FORMULA: &str = "the sum over the layers of O*I + O";

/// A feed-forward network from `I` inputs to `O` outputs, made of the layers `S` (a [`Layers`])
/// with `P` parameters: any depth, a width and an activation per layer. Declare one with
/// [`network!`](crate::network!), which computes `P`; written by hand, a `P` other than
/// `S::LEN` is a compile-time error that names the right number.
///
/// Parameters: [`NetworkParams`], named `W1[r,c]`, `b1[r]`, `W2[r,c]`, ...; saved and loaded by
/// `save_json`/`load_json` (feature `serde`) under the name `network-` followed by the hidden
/// activations (`network-tanh-relu`) and the layer sizes.
///
/// Hidden weights are initialised by each layer's activation's scheme (Xavier for tanh and
/// sigmoid, He for ReLU), output weights by Xavier, biases at zero.
///
/// The gradient ([`Model::loss_and_gradient_sum`]) is exact: per sample, the loss is
/// differentiated by one dual pass with the network's outputs `z` seeded (`O` tangents), each
/// activation by a one-tangent jet (`A(zₖ)` and `A′(zₖ)` together), and the affine maps
/// `z = W a + b`, being linear, are stepped through backwards: `∂L/∂aₗ₋₁ = Wₗᵀ ∂L/∂zₗ`,
/// `∂L/∂zₗ₋₁ = ∂L/∂aₗ₋₁ ⊙ A′(zₗ₋₁)`, and `∂L/∂Wₗ = (∂L/∂zₗ) aₗ₋₁ᵀ`, `∂L/∂bₗ = ∂L/∂zₗ`. For the
/// 4 → 8 → 3 iris network that is 3 tangents and 8 one-tangent jets instead of the 67 tangents
/// of the generic path. The activations and the loss are differentiated by the dual arithmetic,
/// so any [`Activation`] and [`Loss`] work.
///
/// ```
/// use dualgrad::network;
/// use dualgrad::model::{Model, Tanh};
/// use nalgebra::SVector;
///
/// network!(type Xor = 2 => 3 Tanh => 1); // Network<Layer<Tanh, 2, 3, Output<3, 1>>, 2, 1, 13>
/// let net = Xor::new();
/// assert_eq!(Xor::LEN, 13);
/// assert_eq!(net.layer_sizes(), [2, 3, 1]);
/// assert_eq!(net.name(), "network-tanh");
/// // all-zero parameters: every layer outputs its bias, 0
/// assert_eq!(net.predict(&SVector::zeros(), &SVector::from([1.0, 2.0]))[0], 0.0);
/// ```
///
/// ```compile_fail,E0080
/// use dualgrad::model::{Layer, Network, Output, Tanh};
/// // error: Network<S, I, O, P>: P = 12, but the sizes give ... = 13 parameters: write 13 for P
/// let net = Network::<Layer<Tanh, 2, 3, Output<3, 1>>, 2, 1, 12>::new();
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network<S, const I: usize, const O: usize, const P: usize> {
    _layers: PhantomData<S>,
}

impl<S: Layers<I, O>, const I: usize, const O: usize, const P: usize> Network<S, I, O, P> {
    /// The number of parameters, `P`.
    ///
    /// ```
    /// dualgrad::network!(type Net = 4 => 8 dualgrad::model::Tanh => 3);
    /// assert_eq!(Net::LEN, 67); // 8·4 + 8 + 3·8 + 3
    /// ```
    pub const LEN: usize = P;

    /// The network; fails to compile unless `P` is the layers' parameter count `S::LEN`, with
    /// an error that names it.
    ///
    /// ```
    /// use dualgrad::model::{Layer, Network, Output, Relu};
    /// let _ = Network::<Layer<Relu, 4, 8, Output<8, 3>>, 4, 3, 67>::new();
    /// ```
    pub fn new() -> Self {
        const { check_count(NETWORK, FORMULA, S::LEN, P) };
        Self {
            _layers: PhantomData,
        }
    }
}

impl<S: Layers<I, O>, const I: usize, const O: usize, const P: usize> Default
    for Network<S, I, O, P>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Layers<I, O>, const I: usize, const O: usize, const P: usize> Model<I, O, P>
    for Network<S, I, O, P>
{
    type Params<T: Scalar> = NetworkParams<S::Params<T>>;

    #[inline]
    fn forward<T: Scalar>(
        &self,
        p: &NetworkParams<S::Params<T>>,
        x: &SVector<f64, I>,
    ) -> SVector<T, O> {
        S::forward_layers::<T, f64>(&p.layers, x)
    }

    fn init_with<G: Rng + ?Sized>(&self, rng: &mut G) -> SVector<f64, P> {
        NetworkParams {
            layers: S::init_layers(rng),
        }
        .to_vector()
    }

    fn name(&self) -> String {
        let (mut sizes, mut activations) = (Vec::new(), Vec::new());
        S::describe(&mut sizes, &mut activations);
        std::iter::once("network")
            .chain(activations)
            .collect::<Vec<_>>()
            .join("-")
    }

    fn layer_sizes(&self) -> Vec<usize> {
        let (mut sizes, mut activations) = (vec![I], Vec::new());
        S::describe(&mut sizes, &mut activations);
        sizes
    }

    fn loss_and_gradient_sum<L: Loss<O, Y>, Y>(
        &self,
        params: &SVector<f64, P>,
        loss: &L,
        data: &Dataset<I, Y>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        crate::jet::wide(
            #[inline(always)]
            || {
                let p = <NetworkParams<S::Params<f64>> as ParamVector<f64, P>>::from_vector(params);
                let mut g = NetworkParams::<S::Params<f64>>::zeros();
                let mut value = 0.0;
                for &i in indices {
                    let (x, y) = data.sample(i);
                    value += S::sample_gradient(&p.layers, &mut g.layers, x, loss, y).0;
                }
                (value, g.to_vector())
            },
        )
    }
}

/// The network `I → H → O`: a hidden layer of `H` units with activation `A`, then an affine
/// output layer of `O` units (logits for classifiers, values for regression). A [`Network`] with
/// `P = H·I + H + O·H + O` parameters, checked at compile time with an error that names the
/// right count; the same type as `network!(type Net = I => H A => O)`. Parameters:
/// [`Mlp1Params`](crate::params::Mlp1Params) (`layers` is the hidden layer, `layers.next` the
/// output layer), named `W1[r,c]`, `b1[r]`, `W2[r,c]`, `b2[r]`.
///
/// ```
/// use dualgrad::model::{Mlp1, Model, Tanh};
/// use dualgrad::network;
/// use nalgebra::SVector;
///
/// let net = Mlp1::<Tanh, 2, 3, 1, 13>::new();
/// let p = net.init(42);
/// assert!(net.predict(&p, &SVector::from([1.0, 0.0]))[0].is_finite());
/// let w = net.unpack(&p);
/// assert!(w.layers.b.iter().all(|&b| b == 0.0)); // biases start at zero
/// assert_eq!(net.param_name(9), "W2[0,0]"); // after W1 (3 × 2) and b1 (3)
/// network!(type Xor = 2 => 3 Tanh => 1);
/// let _: Xor = net; // one type
/// ```
///
/// ```compile_fail,E0080
/// use dualgrad::model::{Mlp1, Tanh};
/// let net = Mlp1::<Tanh, 4, 8, 3, 66>::new(); // 4-8-3 has 67 parameters
/// ```
pub type Mlp1<A, const I: usize, const H: usize, const O: usize, const P: usize> =
    Network<Layer<A, I, H, Output<H, O>>, I, O, P>;

/// The network `I → H1 → H2 → O`: two hidden layers with activation `A`, then an affine output
/// layer. A [`Network`] with `P = H1·I + H1 + H2·H1 + H2 + O·H2 + O` parameters, checked at
/// compile time with an error that names the right count; the same type as
/// `network!(type Net = I => H1 A => H2 A => O)` (for a different activation per layer, or
/// other depths, declare the network with [`network!`](crate::network!)). Parameters:
/// [`Mlp2Params`](crate::params::Mlp2Params).
///
/// ```
/// use dualgrad::model::{Mlp2, Model, Relu};
/// use nalgebra::SVector;
/// let net = Mlp2::<Relu, 2, 4, 4, 1, 37>::new();
/// assert_eq!(net.layer_sizes(), [2, 4, 4, 1]);
/// assert_eq!(net.name(), "network-relu-relu");
/// // all-zero parameters: every layer outputs its bias, 0
/// assert_eq!(net.predict(&SVector::zeros(), &SVector::from([1.0, 2.0]))[0], 0.0);
/// ```
///
/// ```compile_fail,E0080
/// use dualgrad::model::{Mlp2, Relu};
/// let net = Mlp2::<Relu, 2, 4, 4, 1, 36>::new(); // 12 + 20 + 5 = 37 parameters
/// ```
pub type Mlp2<A, const I: usize, const H1: usize, const H2: usize, const O: usize, const P: usize> =
    Network<Layer<A, I, H1, Layer<A, H1, H2, Output<H2, O>>>, I, O, P>;

/// Declare a feed-forward [`Network`] type by its layer widths and activations; the parameter
/// count is computed for you.
///
/// `network!(type Name = I => H1 A1 => H2 A2 => ... => O)` declares
/// `type Name = Network<Layer<A1, I, H1, Layer<A2, H1, H2, ... Output<Hn, O>>>, I, O, P>` with
/// `P` the layers' parameter count: `I` inputs, hidden layers of `Hₖ` units with activation
/// `Aₖ` (any [`Activation`]: [`Tanh`](crate::model::Tanh), [`Relu`](crate::model::Relu),
/// [`Sigmoid`](crate::model::Sigmoid), ...), and an affine output layer of `O` units (logits or
/// values). Attributes (doc comments) and a visibility go before `type`; a trailing `;` is
/// allowed. Widths are integer literals or braced constant expressions (`{N}`).
///
/// ```
/// use dualgrad::network;
/// use dualgrad::model::{Model, Relu, Tanh};
///
/// network! {
///     /// Two moons: 2 inputs, 8 tanh units, 6 ReLU units, 2 logits.
///     pub type Moons = 2 => 8 Tanh => 6 Relu => 2;
/// }
/// // (8·2 + 8) + (6·8 + 6) + (2·6 + 2) = 24 + 54 + 14
/// assert_eq!(Moons::LEN, 92);
/// let net = Moons::new();
/// assert_eq!(net.layer_sizes(), [2, 8, 6, 2]);
/// assert_eq!(net.param_name(24), "W2[0,0]");
/// assert_eq!(net.param_name(91), "b3[1]");
/// let p = net.init(1); // an SVector<f64, 92>
/// assert_eq!(p.len(), 92);
/// ```
#[macro_export]
macro_rules! network {
    (@layers $input:tt => $output:tt $(;)?) => {
        $crate::model::Output<$input, $output>
    };
    (@layers $input:tt => $width:tt $activation:ty => $($rest:tt)+) => {
        $crate::model::Layer<$activation, $input, $width, $crate::network!(@layers $width => $($rest)+)>
    };
    (@output $output:tt $(;)?) => {
        $output
    };
    (@output $width:tt $activation:ty => $($rest:tt)+) => {
        $crate::network!(@output $($rest)+)
    };
    ($(#[$attr:meta])* $vis:vis type $name:ident = $input:tt => $($rest:tt)+) => {
        $(#[$attr])*
        $vis type $name = $crate::model::Network<
            $crate::network!(@layers $input => $($rest)+),
            $input,
            { $crate::network!(@output $($rest)+) },
            {
                <$crate::network!(@layers $input => $($rest)+) as $crate::model::Layers<
                    $input,
                    { $crate::network!(@output $($rest)+) },
                >>::LEN
            },
        >;
    };
}
