//! Activation functions as zero-sized types, so a layer's activation is resolved at compile time.

use crate::Scalar;
use crate::params::Init;

/// An elementwise activation, written once over [`Scalar`].
///
/// Implementors are zero-sized marker types ([`Identity`], [`Tanh`], [`Sigmoid`], [`Relu`]);
/// a layer names its activation in its type (`Mlp1<Tanh, 4, 8, 3, 67>`), so there is no
/// dispatch at run time. Each also says how weights feeding it are initialised.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::model::{Activation, Tanh};
/// let (y, dy) = derivative(Tanh::apply, 0.0);
/// assert_eq!((y, dy), (0.0, 1.0)); // tanh'(0) = 1 − tanh²(0) = 1
/// ```
pub trait Activation: Copy + Default + Send + Sync + 'static {
    /// A short lowercase name (`"tanh"`), used in saved models.
    const NAME: &'static str;
    /// The initialisation of the weights of a layer with this activation.
    const INIT: Init;
    /// Apply the activation to one value.
    fn apply<T: Scalar>(x: T) -> T;
}

/// `f(x) = x`: no activation (linear output). Weights: Xavier.
///
/// ```
/// use dualgrad::model::{Activation, Identity};
/// assert_eq!(Identity::apply(-2.5), -2.5);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Identity;

impl Activation for Identity {
    const NAME: &'static str = "identity";
    const INIT: Init = Init::XavierUniform;
    #[inline]
    fn apply<T: Scalar>(x: T) -> T {
        x
    }
}

/// `f(x) = tanh x`, `f' = 1 − tanh² x`. Weights: Xavier.
///
/// ```
/// use dualgrad::model::{Activation, Tanh};
/// assert_eq!(Tanh::apply(0.0), 0.0);
/// assert_eq!(Tanh::apply(800.0), 1.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tanh;

impl Activation for Tanh {
    const NAME: &'static str = "tanh";
    const INIT: Init = Init::XavierUniform;
    #[inline]
    fn apply<T: Scalar>(x: T) -> T {
        x.tanh()
    }
}

/// `f(x) = σ(x) = 1 / (1 + e⁻ˣ)` (the stable [`sigmoid`](crate::functions::sigmoid)), `f' = σ(1 − σ)`.
/// Weights: Xavier.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::model::{Activation, Sigmoid};
/// assert_eq!(derivative(Sigmoid::apply, 0.0), (0.5, 0.25));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sigmoid;

impl Activation for Sigmoid {
    const NAME: &'static str = "sigmoid";
    const INIT: Init = Init::XavierUniform;
    #[inline]
    fn apply<T: Scalar>(x: T) -> T {
        crate::functions::sigmoid(x)
    }
}

/// `f(x) = max(x, 0)` (the [`relu`](crate::functions::relu) function; derivative 0 at 0). Weights: He.
///
/// ```
/// use dualgrad::derivative;
/// use dualgrad::model::{Activation, Relu};
/// assert_eq!(derivative(Relu::apply, 3.0), (3.0, 1.0));
/// assert_eq!(derivative(Relu::apply, -3.0), (0.0, 0.0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relu;

impl Activation for Relu {
    const NAME: &'static str = "relu";
    const INIT: Init = Init::HeUniform;
    #[inline]
    fn apply<T: Scalar>(x: T) -> T {
        crate::functions::relu(x)
    }
}
