//! Multilayer perceptrons with one or two hidden layers.

use super::layers::{accumulate_affine, activated, affine, affine_const, dense_init, re, seed};
use super::{Activation, Identity, Loss, Model};
use crate::Scalar;
use crate::data::Dataset;
use crate::params::check_count;
use crate::params::{DenseParams, Mlp1Params, Mlp2Params, ParamVector};
use nalgebra::SVector;
use rand::Rng;
use std::marker::PhantomData;

/// An MLP `I → H → O`: a hidden layer with activation `A`, then an affine output layer (the
/// outputs are logits for classifiers, values for regression). `P = H·I + H + O·H + O`
/// parameters ([`Mlp1Params::LEN`]), checked at compile time with an error that names the right
/// count; layout in [`Mlp1Params`]. For other depths or one activation per layer, see
/// [`network!`](crate::network).
///
/// Hidden weights are initialised by `A`'s scheme (Xavier for tanh and sigmoid, He for ReLU),
/// output weights by Xavier, biases at zero.
///
/// The gradient ([`Model::loss_and_gradient_sum`]) is exact forward-mode AD over the layers'
/// pre-activations: since `z = W a + b` is affine in the parameters, one pass per sample per
/// layer, with only that layer's `zₗ` seeded (`H` tangents, then `O`), gives
/// `gₗ = ∂L/∂zₗ`, and `∂L/∂Wₗ = gₗ aₗ₋₁ᵀ`, `∂L/∂bₗ = gₗ`. For the 4-8-3 iris network that is
/// 8 + 3 tangents instead of 67. The activation and the loss are differentiated by the dual
/// arithmetic, so any [`Activation`] and [`Loss`] work.
///
/// ```
/// use dualgrad::model::{Mlp1, Model, Tanh};
/// use nalgebra::SVector;
/// let net = Mlp1::<Tanh, 2, 3, 1, 13>::new();
/// let p = net.init(42);
/// let y = net.predict(&p, &SVector::from([1.0, 0.0]));
/// assert!(y[0].is_finite());
/// ```
///
/// ```compile_fail,E0080
/// use dualgrad::model::{Mlp1, Tanh};
/// let net = Mlp1::<Tanh, 4, 8, 3, 66>::new(); // 4-8-3 has 67 parameters
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mlp1<A, const I: usize, const H: usize, const O: usize, const P: usize> {
    _activation: PhantomData<A>,
}

impl<A: Activation, const I: usize, const H: usize, const O: usize, const P: usize>
    Mlp1<A, I, H, O, P>
{
    /// The network; fails to compile unless `P = H·I + H + O·H + O`.
    ///
    /// ```
    /// let _ = dualgrad::model::Mlp1::<dualgrad::model::Relu, 4, 8, 3, 67>::new();
    /// ```
    pub fn new() -> Self {
        const {
            check_count(
                "Mlp1<A, I, H, O, P>",
                "H*I + H + O*H + O",
                H * I + H + O * H + O,
                P,
            )
        };
        Self {
            _activation: PhantomData,
        }
    }
}

impl<A: Activation, const I: usize, const H: usize, const O: usize, const P: usize> Default
    for Mlp1<A, I, H, O, P>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Activation, const I: usize, const H: usize, const O: usize, const P: usize> Model<I, O, P>
    for Mlp1<A, I, H, O, P>
{
    type Params<T: Scalar> = Mlp1Params<T, I, H, O>;

    #[inline]
    fn forward<T: Scalar>(&self, p: &Mlp1Params<T, I, H, O>, x: &SVector<f64, I>) -> SVector<T, O> {
        let a1 = activated::<A, T, f64, I, H>(&p.w1, &p.b1, x);
        affine(&p.w2, &p.b2, &a1)
    }

    fn init_with<G: Rng + ?Sized>(&self, rng: &mut G) -> SVector<f64, P> {
        let l1: DenseParams<f64, I, H> = dense_init::<A, G, I, H>(rng);
        let l2: DenseParams<f64, H, O> = dense_init::<Identity, G, H, O>(rng);
        Mlp1Params {
            w1: l1.w,
            b1: l1.b,
            w2: l2.w,
            b2: l2.b,
        }
        .to_vector()
    }

    fn name(&self) -> String {
        format!("mlp1-{}", A::NAME)
    }

    fn layer_sizes(&self) -> Vec<usize> {
        vec![I, H, O]
    }

    fn loss_and_gradient_sum<L: Loss<O, Y>, Y>(
        &self,
        params: &SVector<f64, P>,
        loss: &L,
        data: &Dataset<I, Y>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        let p = <Mlp1Params<f64, I, H, O> as ParamVector<f64, P>>::from_vector(params);
        let mut g = Mlp1Params::<f64, I, H, O>::zeros();
        let mut value = 0.0;
        for &i in indices {
            let (x, y) = data.sample(i);
            // pass 1: seed the hidden pre-activations z1 (H tangents) → ∂L/∂z1
            let z1 = affine(&p.w1, &p.b1, x);
            let a1 = seed(&z1).map(A::apply);
            let z2 = affine_const(&p.w2, &p.b2, &a1);
            let g1 = loss.loss(&z2, y).eps;
            // pass 2: seed the output pre-activations z2 (O tangents) → ∂L/∂z2
            let l = loss.loss(&seed(&re(&z2)), y);
            value += l.re;
            accumulate_affine(&mut g.w1, &mut g.b1, &g1, x);
            accumulate_affine(&mut g.w2, &mut g.b2, &l.eps, &re(&a1));
        }
        (value, g.to_vector())
    }
}

/// An MLP `I → H1 → H2 → O`: two hidden layers with activation `A`, then an affine output
/// layer. `P = H1·I + H1 + H2·H1 + H2 + O·H2 + O` parameters ([`Mlp2Params::LEN`]), checked at
/// compile time with an error that names the right count; layout in [`Mlp2Params`]. One
/// activation for both hidden layers: for a different one per layer, or other depths, see
/// [`network!`](crate::network), whose tanh–tanh network gives the same bits. Initialisation and gradient as for [`Mlp1`] (three passes per sample,
/// with `H1`, `H2` and `O` tangents).
///
/// ```
/// use dualgrad::model::{Mlp2, Model, Relu};
/// use nalgebra::SVector;
/// let net = Mlp2::<Relu, 2, 4, 4, 1, 37>::new();
/// assert_eq!(net.layer_sizes(), [2, 4, 4, 1]);
/// // all-zero parameters: every layer outputs its bias, 0
/// assert_eq!(net.predict(&SVector::zeros(), &SVector::from([1.0, 2.0]))[0], 0.0);
/// ```
///
/// ```compile_fail,E0080
/// use dualgrad::model::{Mlp2, Relu};
/// let net = Mlp2::<Relu, 2, 4, 4, 1, 36>::new(); // 12 + 20 + 5 = 37 parameters
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mlp2<A, const I: usize, const H1: usize, const H2: usize, const O: usize, const P: usize>
{
    _activation: PhantomData<A>,
}

impl<
    A: Activation,
    const I: usize,
    const H1: usize,
    const H2: usize,
    const O: usize,
    const P: usize,
> Mlp2<A, I, H1, H2, O, P>
{
    /// The network; fails to compile unless `P = H1·I + H1 + H2·H1 + H2 + O·H2 + O`.
    ///
    /// ```
    /// let _ = dualgrad::model::Mlp2::<dualgrad::model::Tanh, 4, 8, 8, 3, 139>::new();
    /// ```
    pub fn new() -> Self {
        const {
            check_count(
                "Mlp2<A, I, H1, H2, O, P>",
                "H1*I + H1 + H2*H1 + H2 + O*H2 + O",
                H1 * I + H1 + H2 * H1 + H2 + O * H2 + O,
                P,
            )
        };
        Self {
            _activation: PhantomData,
        }
    }
}

impl<
    A: Activation,
    const I: usize,
    const H1: usize,
    const H2: usize,
    const O: usize,
    const P: usize,
> Default for Mlp2<A, I, H1, H2, O, P>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<
    A: Activation,
    const I: usize,
    const H1: usize,
    const H2: usize,
    const O: usize,
    const P: usize,
> Model<I, O, P> for Mlp2<A, I, H1, H2, O, P>
{
    type Params<T: Scalar> = Mlp2Params<T, I, H1, H2, O>;

    #[inline]
    fn forward<T: Scalar>(
        &self,
        p: &Mlp2Params<T, I, H1, H2, O>,
        x: &SVector<f64, I>,
    ) -> SVector<T, O> {
        let a1 = activated::<A, T, f64, I, H1>(&p.w1, &p.b1, x);
        let a2 = activated::<A, T, T, H1, H2>(&p.w2, &p.b2, &a1);
        affine(&p.w3, &p.b3, &a2)
    }

    fn init_with<G: Rng + ?Sized>(&self, rng: &mut G) -> SVector<f64, P> {
        let l1: DenseParams<f64, I, H1> = dense_init::<A, G, I, H1>(rng);
        let l2: DenseParams<f64, H1, H2> = dense_init::<A, G, H1, H2>(rng);
        let l3: DenseParams<f64, H2, O> = dense_init::<Identity, G, H2, O>(rng);
        Mlp2Params {
            w1: l1.w,
            b1: l1.b,
            w2: l2.w,
            b2: l2.b,
            w3: l3.w,
            b3: l3.b,
        }
        .to_vector()
    }

    fn name(&self) -> String {
        format!("mlp2-{}", A::NAME)
    }

    fn layer_sizes(&self) -> Vec<usize> {
        vec![I, H1, H2, O]
    }

    fn loss_and_gradient_sum<L: Loss<O, Y>, Y>(
        &self,
        params: &SVector<f64, P>,
        loss: &L,
        data: &Dataset<I, Y>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        let p = <Mlp2Params<f64, I, H1, H2, O> as ParamVector<f64, P>>::from_vector(params);
        let mut g = Mlp2Params::<f64, I, H1, H2, O>::zeros();
        let mut value = 0.0;
        for &i in indices {
            let (x, y) = data.sample(i);
            // pass 1: z1 seeded (H1 tangents) → ∂L/∂z1
            let z1 = affine(&p.w1, &p.b1, x);
            let a1 = seed(&z1).map(A::apply);
            let a2 = affine_const(&p.w2, &p.b2, &a1).map(A::apply);
            let g1 = loss.loss(&affine_const(&p.w3, &p.b3, &a2), y).eps;
            // pass 2: z2 seeded (H2 tangents) → ∂L/∂z2
            let a1 = re(&a1);
            let z2 = affine(&p.w2, &p.b2, &a1);
            let a2 = seed(&z2).map(A::apply);
            let z3 = affine_const(&p.w3, &p.b3, &a2);
            let g2 = loss.loss(&z3, y).eps;
            // pass 3: z3 seeded (O tangents) → ∂L/∂z3
            let l = loss.loss(&seed(&re(&z3)), y);
            value += l.re;
            accumulate_affine(&mut g.w1, &mut g.b1, &g1, x);
            accumulate_affine(&mut g.w2, &mut g.b2, &g2, &a1);
            accumulate_affine(&mut g.w3, &mut g.b3, &l.eps, &re(&a2));
        }
        (value, g.to_vector())
    }
}
