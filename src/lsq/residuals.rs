//! How residuals are given: a fixed-size [`VectorFn`], or one block per observation of a
//! [`Dataset`] (Ceres style), both written once over [`Scalar`].

use crate::data::Dataset;
use crate::{Jet, Scalar, VectorFn};
use nalgebra::{DMatrix, DVector, SMatrix, SVector};

/// Residuals `r(θ)` of a least-squares problem over `N` parameters, in blocks of `K`
/// residuals each (one block per observation, usually), written once over [`Scalar`].
///
/// The solvers evaluate a block on `f64` for values and on [`Jet`]s for exact Jacobian rows;
/// each block's `K` rows are written straight into the solver's Jacobian, so no heap
/// allocation happens per row.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::Residuals;
/// use nalgebra::SVector;
///
/// /// rᵢ = θ₀ + θ₁ tᵢ − yᵢ: a straight line through three points.
/// struct Line([(f64, f64); 3]);
/// impl Residuals<2, 1> for Line {
///     fn blocks(&self) -> usize { 3 }
///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
///         let (t, y) = self.0[i];
///         SVector::from([p[0] + p[1] * t - y])
///     }
/// }
/// let line = Line([(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]);
/// assert_eq!(line.residual(1, &SVector::from([1.0, 2.0]))[0], 0.0);
/// ```
pub trait Residuals<const N: usize, const K: usize> {
    /// The number of blocks (the problem has `K · blocks()` residuals).
    fn blocks(&self) -> usize;

    /// The `K` residuals of block `block` at `params`, for any scalar type.
    fn residual<T: Scalar>(&self, block: usize, params: &SVector<T, N>) -> SVector<T, K>;
}

/// A [`VectorFn`] `Rᴺ → Rᴹ` as a least-squares problem with a single block of `M` residuals.
///
/// ```
/// use dualgrad::{Scalar, VectorFn};
/// use dualgrad::lsq::{Residuals, VectorResiduals};
/// use nalgebra::SVector;
/// struct Shift;
/// impl VectorFn<1, 2> for Shift {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> SVector<T, 2> {
///         SVector::from([x[0] - 1.0, x[0] - 3.0])
///     }
/// }
/// let r = VectorResiduals(Shift);
/// assert_eq!(r.blocks(), 1);
/// assert_eq!(r.residual(0, &SVector::from([2.0])), SVector::from([1.0, -1.0]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VectorResiduals<V>(pub V);

impl<V: VectorFn<N, M>, const N: usize, const M: usize> Residuals<N, M> for VectorResiduals<V> {
    fn blocks(&self) -> usize {
        1
    }

    fn residual<T: Scalar>(&self, _block: usize, params: &SVector<T, N>) -> SVector<T, M> {
        self.0.eval(params)
    }
}

/// The residual block of one observation `(x, y)` of a [`Dataset`], written once over
/// [`Scalar`]: the Ceres-style cost functor that [`DataResiduals`] applies to every row.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::ObservationResidual;
/// use nalgebra::SVector;
/// /// y ≈ θ₀ exp(θ₁ x)
/// struct Exp;
/// impl ObservationResidual<2, 1, f64, 1> for Exp {
///     fn residual<T: Scalar>(&self, x: &SVector<f64, 1>, y: &f64, p: &SVector<T, 2>) -> SVector<T, 1> {
///         SVector::from([p[0] * (p[1] * x[0]).exp() - *y])
///     }
/// }
/// let r = Exp.residual(&SVector::from([0.0]), &2.0, &SVector::from([3.0, 1.0]));
/// assert_eq!(r[0], 1.0); // 3·e⁰ − 2
/// ```
pub trait ObservationResidual<const N: usize, const F: usize, Y, const K: usize> {
    /// The `K` residuals of the observation with features `x` and target `y` at `params`.
    fn residual<T: Scalar>(
        &self,
        x: &SVector<f64, F>,
        y: &Y,
        params: &SVector<T, N>,
    ) -> SVector<T, K>;
}

/// One residual block per row of a [`Dataset`], from an [`ObservationResidual`]: for data sets
/// whose size is known only at run time.
///
/// # Panics
/// [`Residuals::residual`] with a block index `>= blocks()`, as [`Dataset::sample`] (the
/// solvers only ask for `0..blocks()`).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::data::Dataset;
/// use dualgrad::lsq::{DataResiduals, ObservationResidual, Residuals};
/// use nalgebra::SVector;
/// struct Proportional;
/// impl ObservationResidual<1, 1, f64, 1> for Proportional {
///     fn residual<T: Scalar>(&self, x: &SVector<f64, 1>, y: &f64, p: &SVector<T, 1>) -> SVector<T, 1> {
///         SVector::from([p[0] * x[0] - *y])
///     }
/// }
/// let data = Dataset::new(vec![SVector::from([1.0]), SVector::from([2.0])], vec![2.0, 4.5]).unwrap();
/// let r = DataResiduals::new(Proportional, &data);
/// assert_eq!(r.blocks(), 2);
/// assert_eq!(r.residual(1, &SVector::from([2.0]))[0], -0.5);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DataResiduals<'a, R, const F: usize, Y> {
    model: R,
    data: &'a Dataset<F, Y>,
}

impl<'a, R, const F: usize, Y> DataResiduals<'a, R, F, Y> {
    /// The residual `model` applied to every row of `data`.
    ///
    /// ```
    /// # use dualgrad::Scalar;
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::lsq::{DataResiduals, ObservationResidual};
    /// # use nalgebra::SVector;
    /// # struct M;
    /// # impl ObservationResidual<1, 1, f64, 1> for M {
    /// #     fn residual<T: Scalar>(&self, x: &SVector<f64, 1>, y: &f64, p: &SVector<T, 1>) -> SVector<T, 1> { SVector::from([p[0] * x[0] - *y]) }
    /// # }
    /// let data = Dataset::new(vec![SVector::from([1.0])], vec![1.0]).unwrap();
    /// assert_eq!(DataResiduals::new(M, &data).data().len(), 1);
    /// ```
    pub fn new(model: R, data: &'a Dataset<F, Y>) -> Self {
        Self { model, data }
    }

    /// The data set.
    ///
    /// ```
    /// # use dualgrad::data::Dataset;
    /// # use dualgrad::lsq::DataResiduals;
    /// # use nalgebra::SVector;
    /// let data = Dataset::new(vec![SVector::from([1.0]); 3], vec![0.0; 3]).unwrap();
    /// assert_eq!(DataResiduals::new((), &data).data().len(), 3);
    /// ```
    pub fn data(&self) -> &'a Dataset<F, Y> {
        self.data
    }
}

impl<R, const N: usize, const F: usize, Y, const K: usize> Residuals<N, K>
    for DataResiduals<'_, R, F, Y>
where
    R: ObservationResidual<N, F, Y, K>,
{
    fn blocks(&self) -> usize {
        self.data.len()
    }

    fn residual<T: Scalar>(&self, block: usize, params: &SVector<T, N>) -> SVector<T, K> {
        let (x, y) = self.data.sample(block);
        self.model.residual(x, y, params)
    }
}

/// The residual vector `r(θ)` of a [`Residuals`] problem, written into `r` (length
/// `K · blocks()`, block `b`'s residuals at `b·K .. b·K + K`): one `f64` evaluation per block,
/// no allocation.
///
/// # Panics
/// If `r.len() != K · problem.blocks()`.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::{Residuals, residuals_into};
/// use nalgebra::SVector;
/// struct Line;
/// impl Residuals<2, 1> for Line {
///     fn blocks(&self) -> usize { 3 }
///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
///         SVector::from([p[0] + p[1] * i as f64 - 1.0])
///     }
/// }
/// let mut r = [0.0; 3];
/// residuals_into(&Line, &SVector::from([1.0, 2.0]), &mut r);
/// assert_eq!(r, [0.0, 2.0, 4.0]);
/// ```
pub fn residuals_into<const N: usize, const K: usize, R: Residuals<N, K> + ?Sized>(
    problem: &R,
    params: &SVector<f64, N>,
    r: &mut [f64],
) {
    assert_eq!(
        r.len(),
        K * problem.blocks(),
        "residuals_into: the buffer must hold K · blocks() residuals"
    );
    for (b, out) in r.chunks_exact_mut(K).enumerate() {
        let block = problem.residual(b, params);
        out.copy_from_slice(block.as_slice());
    }
}

/// The residuals `r(θ)` into `r` and the exact `m × N` Jacobian `∂rᵢ/∂θₖ` into `jac`,
/// column-major (row `i`, column `k` at `jac[k·m + i]`, `m = K · blocks()`, the layout of
/// nalgebra's `DMatrix` and of LAPACK): one forward-mode ([`Jet`]) evaluation per block, no
/// allocation. This is the one place where the solvers build their Jacobians, and what another
/// solver can call to use this crate's exact derivatives.
///
/// # Panics
/// If `r.len() != m` or `jac.len() != m · N`.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::lsq::{Residuals, jacobian_into};
/// use nalgebra::SVector;
/// /// rᵢ = θ₀ exp(θ₁ tᵢ), tᵢ = i.
/// struct Exp;
/// impl Residuals<2, 1> for Exp {
///     fn blocks(&self) -> usize { 2 }
///     fn residual<T: Scalar>(&self, i: usize, p: &SVector<T, 2>) -> SVector<T, 1> {
///         SVector::from([p[0] * (p[1] * i as f64).exp()])
///     }
/// }
/// let (mut r, mut jac) = ([0.0; 2], [0.0; 4]);
/// jacobian_into(&Exp, &SVector::from([2.0, 0.0]), &mut r, &mut jac);
/// assert_eq!(r, [2.0, 2.0]);
/// // columns: ∂/∂θ₀ = exp(θ₁ t) = (1, 1); ∂/∂θ₁ = θ₀ t exp(θ₁ t) = (0, 2).
/// assert_eq!(jac, [1.0, 1.0, 0.0, 2.0]);
/// ```
pub fn jacobian_into<const N: usize, const K: usize, R: Residuals<N, K> + ?Sized>(
    problem: &R,
    params: &SVector<f64, N>,
    r: &mut [f64],
    jac: &mut [f64],
) {
    let m = r.len();
    assert_eq!(
        m,
        K * problem.blocks(),
        "jacobian_into: the residual buffer must hold K · blocks() residuals"
    );
    assert_eq!(
        jac.len(),
        m * N,
        "jacobian_into: the Jacobian buffer must hold m · N entries"
    );
    crate::scalar::prepare_tanh();
    let seeded: SVector<Jet<f64, N>, N> = SVector::from_fn(|i, _| Jet::variable(params[i], i));
    for b in 0..problem.blocks() {
        let block = problem.residual(b, &seeded);
        for (j, jet) in block.iter().enumerate() {
            let row = b * K + j;
            r[row] = jet.re;
            for (k, d) in jet.eps.iter().enumerate() {
                jac[k * m + row] = *d;
            }
        }
    }
}

/// The residual vector of a [`Residuals`] problem at `params`, allocated
/// ([`residuals_into`] without allocation).
///
/// ```
/// use dualgrad::{Scalar, VectorFn};
/// use dualgrad::lsq::{VectorResiduals, residual_vector};
/// use nalgebra::SVector;
/// struct Shift;
/// impl VectorFn<1, 2> for Shift {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> SVector<T, 2> {
///         SVector::from([x[0] - 1.0, x[0] - 3.0])
///     }
/// }
/// let r = residual_vector(&VectorResiduals(Shift), &SVector::from([2.0]));
/// assert_eq!(r.as_slice(), [1.0, -1.0]);
/// ```
pub fn residual_vector<const N: usize, const K: usize, R: Residuals<N, K> + ?Sized>(
    problem: &R,
    params: &SVector<f64, N>,
) -> DVector<f64> {
    let mut r = DVector::zeros(K * problem.blocks());
    residuals_into(problem, params, r.as_mut_slice());
    r
}

/// The residual vector and the exact `m × N` Jacobian of a [`Residuals`] problem at `params`,
/// allocated ([`jacobian_into`] without allocation).
///
/// ```
/// use dualgrad::{Scalar, VectorFn};
/// use dualgrad::lsq::{VectorResiduals, jacobian_matrix};
/// use nalgebra::SVector;
/// struct Square;
/// impl VectorFn<2, 2> for Square {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> {
///         SVector::from([x[0] * x[1], x[1] * x[1]])
///     }
/// }
/// let (r, j) = jacobian_matrix(&VectorResiduals(Square), &SVector::from([2.0, 3.0]));
/// assert_eq!(r.as_slice(), [6.0, 9.0]);
/// assert_eq!((j[(0, 0)], j[(0, 1)], j[(1, 0)], j[(1, 1)]), (3.0, 2.0, 0.0, 6.0));
/// ```
pub fn jacobian_matrix<const N: usize, const K: usize, R: Residuals<N, K> + ?Sized>(
    problem: &R,
    params: &SVector<f64, N>,
) -> (DVector<f64>, DMatrix<f64>) {
    let m = K * problem.blocks();
    let mut r = DVector::zeros(m);
    let mut jac = DMatrix::zeros(m, N);
    jacobian_into(problem, params, r.as_mut_slice(), jac.as_mut_slice());
    (r, jac)
}

/// `S = Σᵢ cᵢ ∇²rᵢ(θ)` (with `c` the residuals at `θ`, the second-order part of the Hessian of
/// `½‖r‖²`): one forward-over-forward pass of nested jets per block. Its own function so that
/// the nested jets' stack frame exists only when it is called.
#[inline(never)]
pub(crate) fn residual_curvature<const N: usize, const K: usize, R: Residuals<N, K> + ?Sized>(
    problem: &R,
    params: &SVector<f64, N>,
    c: &[f64],
) -> SMatrix<f64, N, N> {
    crate::scalar::prepare_tanh();
    let seeded: SVector<Jet<Jet<f64, N>, N>, N> =
        SVector::from_fn(|i, _| Jet::variable(Jet::variable(params[i], i), i));
    let mut s = SMatrix::<f64, N, N>::zeros();
    for b in 0..problem.blocks() {
        let block = problem.residual(b, &seeded);
        for (j, jet) in block.iter().enumerate() {
            let weight = c[b * K + j];
            for k in 0..N {
                for l in k..N {
                    s[(k, l)] += weight * jet.eps[k].eps[l];
                }
            }
        }
    }
    SMatrix::from_fn(|k, l| if k <= l { s[(k, l)] } else { s[(l, k)] })
}
