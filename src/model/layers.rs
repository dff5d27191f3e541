//! Dense layers: the affine maps shared by every built-in model, the pre-activation seeding of
//! the fast gradient, and `Dense`, a single layer as a model.

use super::{Activation, Identity, Loss, Model};
use crate::data::Dataset;
use crate::params::check_count;
use crate::params::{DenseParams, ParamVector};
use crate::{Jet, Scalar};
use nalgebra::{SMatrix, SVector};
use rand::Rng;
use std::marker::PhantomData;
use std::ops::Mul;

/// `A(w x + b)`, with inputs `x` that are `f64` data or activations of the weights' type `T`,
/// the activation applied to each output as soon as it is summed. Every affine map of the
/// crate sums in the same order (bias first, then inputs in order), so the `f64` forward pass
/// and the real parts of every dual pass agree bit for bit. On the generic path (parameters as
/// wide duals) fusing the activation beats `affine(..).map(A::apply)`, which builds the whole
/// vector of pre-activations first: 6 % fewer instructions and 12–15 % less time for the iris
/// network's generic gradient (`benches/`, `model-generic`).
#[inline]
pub(crate) fn activated<A, T, X, const I: usize, const O: usize>(
    w: &SMatrix<T, O, I>,
    b: &SVector<T, O>,
    x: &SVector<X, I>,
) -> SVector<T, O>
where
    A: Activation,
    T: Scalar + Mul<X, Output = T>,
    X: Copy,
{
    SVector::from_fn(|o, _| {
        let mut z = b[o];
        for i in 0..I {
            z += w[(o, i)] * x[i];
        }
        A::apply(z)
    })
}

/// `w x + b`: [`activated`] with no activation.
#[inline]
pub(crate) fn affine<T, X, const I: usize, const O: usize>(
    w: &SMatrix<T, O, I>,
    b: &SVector<T, O>,
    x: &SVector<X, I>,
) -> SVector<T, O>
where
    T: Scalar + Mul<X, Output = T>,
    X: Copy,
{
    activated::<Identity, T, X, I, O>(w, b, x)
}

/// `w a + b` with `f64` weights and dual activations (the fast path: weights are constants).
#[inline]
pub(crate) fn affine_const<T: Scalar, const I: usize, const O: usize>(
    w: &SMatrix<f64, O, I>,
    b: &SVector<f64, O>,
    a: &SVector<T, I>,
) -> SVector<T, O> {
    SVector::from_fn(|o, _| {
        let mut z = T::lift(b[o]);
        for i in 0..I {
            z += a[i] * w[(o, i)];
        }
        z
    })
}

/// Seed pre-activations `z` as `N` independent variables: `z[k] + δ_k` with `δ_k` a dual with
/// tangent `e_k`, so a pass gives `∂L/∂z`.
#[inline]
pub(crate) fn seed<const N: usize>(z: &SVector<f64, N>) -> SVector<Jet<f64, N>, N> {
    crate::scalar::prepare_tanh();
    SVector::from_fn(|k, _| Jet::variable(z[k], k))
}

/// `grad.w += g aᵀ`, `grad.b += g`: the parameter gradient of an affine layer from the
/// gradient `g = ∂L/∂z` of its output and its input `a`.
#[inline]
pub(crate) fn accumulate_affine<const I: usize, const O: usize>(
    gw: &mut SMatrix<f64, O, I>,
    gb: &mut SVector<f64, O>,
    g: &[f64; O],
    a: &SVector<f64, I>,
) {
    for o in 0..O {
        gb[o] += g[o];
        for i in 0..I {
            gw[(o, i)] += g[o] * a[i];
        }
    }
}

/// `Wᵀ g`: the gradient with respect to an affine layer's input `a` from the gradient `g` of
/// its output `W a + b`, summed over the outputs in order.
#[inline]
pub(crate) fn transpose_times<const I: usize, const O: usize>(
    w: &SMatrix<f64, O, I>,
    g: &[f64; O],
) -> SVector<f64, I> {
    SVector::from_fn(|i, _| {
        let mut s = 0.0;
        for o in 0..O {
            s += w[(o, i)] * g[o];
        }
        s
    })
}

/// The fast path of a single dense layer `A(w x + b)`: per sample, one pass with the `O`
/// pre-activations seeded; `∂L/∂w = g xᵀ`, `∂L/∂b = g`.
pub(crate) fn dense_sum<A, L, Y, const I: usize, const O: usize, const P: usize>(
    params: &SVector<f64, P>,
    loss: &L,
    data: &Dataset<I, Y>,
    indices: &[usize],
) -> (f64, SVector<f64, P>)
where
    A: Activation,
    L: Loss<O, Y>,
{
    crate::jet::wide(
        #[inline(always)]
        || {
            let p = <DenseParams<f64, I, O> as ParamVector<f64, P>>::from_vector(params);
            let mut g = DenseParams::<f64, I, O>::zeros();
            let mut value = 0.0;
            for &i in indices {
                let (x, y) = data.sample(i);
                let z = affine(&p.w, &p.b, x);
                let l = loss.loss(&seed(&z).map(A::apply), y);
                value += l.re;
                accumulate_affine(&mut g.w, &mut g.b, &l.eps, x);
            }
            (value, g.to_vector())
        },
    )
}

/// Initial dense-layer parameters: weights by `A`'s scheme, zero bias.
pub(crate) fn dense_init<A: Activation, G: Rng + ?Sized, const I: usize, const O: usize>(
    rng: &mut G,
) -> DenseParams<f64, I, O> {
    DenseParams {
        w: A::INIT.matrix(rng),
        b: SVector::zeros(),
    }
}

/// A dense layer `I → O` with activation `A` as a model: `A(w x + b)`, with `P = O·I + O`
/// parameters (checked at compile time).
///
/// ```
/// use dualgrad::model::{Dense, Model, Sigmoid};
/// use nalgebra::SVector;
/// let layer = Dense::<Sigmoid, 2, 1, 3>::new();
/// // w = (1, −1), b = 0: σ(3 − 3) = ½
/// let y = layer.predict(&SVector::from([1.0, -1.0, 0.0]), &SVector::from([3.0, 3.0]));
/// assert_eq!(y[0], 0.5);
/// ```
///
/// ```compile_fail,E0080
/// use dualgrad::model::{Dense, Sigmoid};
/// let layer = Dense::<Sigmoid, 2, 1, 4>::new(); // 2·1 + 1 = 3 parameters, not 4
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dense<A, const I: usize, const O: usize, const P: usize> {
    _activation: PhantomData<A>,
}

impl<A: Activation, const I: usize, const O: usize, const P: usize> Dense<A, I, O, P> {
    /// The layer; fails to compile unless `P = O·I + O`.
    ///
    /// ```
    /// let _ = dualgrad::model::Dense::<dualgrad::model::Relu, 3, 2, 8>::new();
    /// ```
    pub fn new() -> Self {
        const { check_count("Dense<A, I, O, P>", "O*I + O", O * I + O, P) };
        Self {
            _activation: PhantomData,
        }
    }
}

impl<A: Activation, const I: usize, const O: usize, const P: usize> Default for Dense<A, I, O, P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Activation, const I: usize, const O: usize, const P: usize> Model<I, O, P>
    for Dense<A, I, O, P>
{
    type Params<T: Scalar> = DenseParams<T, I, O>;

    #[inline]
    fn forward<T: Scalar>(&self, p: &DenseParams<T, I, O>, x: &SVector<f64, I>) -> SVector<T, O> {
        activated::<A, T, f64, I, O>(&p.w, &p.b, x)
    }

    fn init_with<G: Rng + ?Sized>(&self, rng: &mut G) -> SVector<f64, P> {
        dense_init::<A, G, I, O>(rng).to_vector()
    }

    fn name(&self) -> String {
        format!("dense-{}", A::NAME)
    }

    fn loss_and_gradient_sum<L: Loss<O, Y>, Y>(
        &self,
        params: &SVector<f64, P>,
        loss: &L,
        data: &Dataset<I, Y>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        dense_sum::<A, L, Y, I, O, P>(params, loss, data, indices)
    }
}
