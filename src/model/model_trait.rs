//! The `Model` trait: a forward pass written once over `Scalar`, with parameters in one vector.

use super::Loss;
use super::batch::generic_loss_and_gradient_sum;
use crate::Scalar;
use crate::data::Dataset;
use crate::data::seeded_rng;
use crate::params::ParamVector;
use nalgebra::SVector;
use rand::Rng;

/// A model with `I` inputs, `O` outputs and `P` parameters.
///
/// The forward pass is written once, generically: on `f64` parameters it predicts, on dual
/// parameters it differentiates. The data always enter as `f64`. Parameters are a typed struct
/// ([`Params<T>`](Model::Params)) that flattens to one `SVector<T, P>`, the form optimizers see.
///
/// Implement [`forward`](Model::forward) and [`init_with`](Model::init_with); everything else
/// is provided. The provided [`loss_and_gradient_sum`](Model::loss_and_gradient_sum) is the
/// generic path (parameters as duals); the built-in models override it with an exact per-layer
/// path (the loss and the activations by small jets, backward steps through the affine maps),
/// which is many times faster.
///
/// `init_with` takes any [`Rng`](crate::data::Rng) (rand's trait, re-exported by dualgrad with the
/// generator [`ChaCha8Rng`](crate::data::ChaCha8Rng), so no `rand` dependency is needed).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::model::Model;
/// use dualgrad::data::Rng;
/// use nalgebra::SVector;
///
/// /// y = a·x² + c, parameters (a, c) in a plain vector.
/// #[derive(Clone, Copy)]
/// struct Quadratic;
/// impl Model<1, 1, 2> for Quadratic {
///     type Params<T: Scalar> = SVector<T, 2>;
///     fn forward<T: Scalar>(&self, p: &SVector<T, 2>, x: &SVector<f64, 1>) -> SVector<T, 1> {
///         SVector::from([p[0] * (x[0] * x[0]) + p[1]])
///     }
///     fn init_with<G: Rng + ?Sized>(&self, _rng: &mut G) -> SVector<f64, 2> {
///         SVector::zeros()
///     }
/// }
/// let y = Quadratic.predict(&SVector::from([2.0, 1.0]), &SVector::from([3.0]));
/// assert_eq!(y[0], 19.0); // 2·3² + 1
/// ```
pub trait Model<const I: usize, const O: usize, const P: usize>: Sized + Sync {
    /// The parameters as a typed struct of matrices, at scalar type `T`.
    type Params<T: Scalar>: ParamVector<T, P>;

    /// The outputs for input `x` (logits, for classifiers).
    fn forward<T: Scalar>(&self, params: &Self::Params<T>, x: &SVector<f64, I>) -> SVector<T, O>;

    /// Initial parameters drawn from `rng` (see [`Init`](crate::params::Init)).
    fn init_with<G: Rng + ?Sized>(&self, rng: &mut G) -> SVector<f64, P>;

    /// A short name of the model's kind, checked when loading saved parameters.
    ///
    /// The default is the Rust type name ([`std::any::type_name`], e.g.
    /// `my_crate::Quadratic`), so two models of different types never load each other's
    /// parameters. The type name is the same for every build with one compiler, but Rust does
    /// not promise it across compiler versions or when the type is moved or renamed: override
    /// `name` with a fixed string for files that must outlive those.
    ///
    /// ```
    /// use dualgrad::model::{Mlp1, Model, Tanh};
    /// assert_eq!(Mlp1::<Tanh, 4, 8, 3, 67>::new().name(), "network-tanh");
    /// ```
    fn name(&self) -> String {
        std::any::type_name::<Self>().to_owned()
    }

    /// The layer sizes, input first, checked when loading saved parameters.
    ///
    /// ```
    /// use dualgrad::model::{Mlp1, Model, Tanh};
    /// assert_eq!(Mlp1::<Tanh, 4, 8, 3, 67>::new().layer_sizes(), [4, 8, 3]);
    /// ```
    fn layer_sizes(&self) -> Vec<usize> {
        vec![I, O]
    }

    /// Initial parameters from a seed: the same seed gives the same parameters on every
    /// machine (the generator is [`seeded_rng`]).
    ///
    /// ```
    /// use dualgrad::model::{Mlp1, Model, Tanh};
    /// let m = Mlp1::<Tanh, 2, 3, 1, 13>::new();
    /// assert_eq!(m.init(7), m.init(7));
    /// assert_ne!(m.init(7), m.init(8));
    /// ```
    fn init(&self, seed: u64) -> SVector<f64, P> {
        self.init_with(&mut seeded_rng(seed))
    }

    /// The typed parameters of a flat vector.
    ///
    /// ```
    /// use dualgrad::model::{LinearRegression, Model};
    /// use nalgebra::SVector;
    /// let p = LinearRegression::<2, 3>::new().unpack(&SVector::from([1.0, 2.0, 3.0]));
    /// assert_eq!((p.w[(0, 1)], p.b[0]), (2.0, 3.0));
    /// ```
    fn unpack<T: Scalar>(&self, params: &SVector<T, P>) -> Self::Params<T> {
        Self::Params::<T>::from_vector(params)
    }

    /// The outputs at flat `f64` parameters (unpacks them on every call; for many samples,
    /// [`unpack`](Model::unpack) once and call [`forward`](Model::forward)).
    ///
    /// ```
    /// use dualgrad::model::{LinearRegression, Model};
    /// use nalgebra::SVector;
    /// let m = LinearRegression::<2, 3>::new();
    /// let y = m.predict(&SVector::from([1.0, 2.0, 3.0]), &SVector::from([10.0, 20.0]));
    /// assert_eq!(y[0], 53.0); // 1·10 + 2·20 + 3
    /// ```
    fn predict(&self, params: &SVector<f64, P>, x: &SVector<f64, I>) -> SVector<f64, O> {
        self.forward(&self.unpack(params), x)
    }

    /// The name of parameter `i` (e.g. `W1[2,0]`), for gradient-check reports.
    ///
    /// # Panics
    /// If `i >= P`.
    ///
    /// ```
    /// use dualgrad::model::{Mlp1, Model, Tanh};
    /// assert_eq!(Mlp1::<Tanh, 4, 8, 3, 67>::new().param_name(66), "b2[2]");
    /// ```
    fn param_name(&self, i: usize) -> String {
        <Self::Params<f64> as ParamVector<f64, P>>::param_name(i)
    }

    /// The **sum** over the samples `indices` of `loss(forward(params, x), y)`, and its gradient
    /// with respect to the parameters, without heap allocation.
    ///
    /// The provided implementation is the generic path
    /// ([`generic_loss_and_gradient_sum`]): one forward pass over the batch with the
    /// parameters as duals, chunked for large `P`. Built-in models override it.
    ///
    /// # Panics
    /// If an index is `>= data.len()`.
    ///
    /// ```
    /// use dualgrad::data::Dataset;
    /// use dualgrad::model::{LinearRegression, MeanSquaredError, Model};
    /// use nalgebra::SVector;
    /// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![1.0, 1.0])?;
    /// let m = LinearRegression::<1, 2>::new();
    /// let (s, g) = m.loss_and_gradient_sum(&SVector::from([1.0, 0.0]), &MeanSquaredError, &data, &[0, 1]);
    /// // residuals (0, 1): sum 1, gradient Σ 2rᵢ(xᵢ, 1) = (4, 2)
    /// assert_eq!((s, g), (1.0, SVector::from([4.0, 2.0])));
    /// # Ok::<(), dualgrad::data::DataError>(())
    /// ```
    fn loss_and_gradient_sum<L: Loss<O, Y>, Y>(
        &self,
        params: &SVector<f64, P>,
        loss: &L,
        data: &Dataset<I, Y>,
        indices: &[usize],
    ) -> (f64, SVector<f64, P>) {
        generic_loss_and_gradient_sum(self, params, loss, data, indices)
    }
}
