use super::size::{
    CLOSURE_ONE_PASS_LIMIT, GRADIENT_CHUNK, GRADIENT_ONE_PASS_MAX, HESSIAN_BLOCK,
    HESSIAN_ONE_PASS_MAX, HVP_CHUNK, boxed_zeros, gradient_at, result_on_heap,
};
use super::{hessian, hvp, jacobian};
use crate::{Chunk, Jet, Scalar};
use nalgebra::{SMatrix, SVector};

/// A function `Rᴺ → R` written once, generically, and evaluable at any [`Scalar`] type.
///
/// Implement [`eval`](ScalarFn::eval); the derivatives come for free. This is the form the
/// gradient checker and the optimizers take, because they need the same function on `f64` and
/// on dual numbers (closures can have only one argument type).
///
/// ```
/// use dualgrad::{Scalar, ScalarFn};
/// use nalgebra::SVector;
///
/// /// f(x) = Σ xᵢ² + x₀x₁
/// struct Bowl;
/// impl ScalarFn<2> for Bowl {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T {
///         x.dot(x) + x[0] * x[1]
///     }
/// }
///
/// let x = SVector::from([1.0, 2.0]);
/// assert_eq!(Bowl.value(&x), 7.0);
/// let (f, g) = Bowl.gradient(&x);
/// assert_eq!((f, g), (7.0, SVector::from([4.0, 5.0]))); // (2x₀ + x₁, 2x₁ + x₀)
/// let (_, _, h) = Bowl.hessian(&x);
/// assert_eq!(h, nalgebra::SMatrix::<f64, 2, 2>::new(2.0, 1.0, 1.0, 2.0));
/// ```
pub trait ScalarFn<const N: usize> {
    /// Evaluate the function at `x`, for any scalar type.
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> T;

    /// The plain value at an `f64` point.
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// assert_eq!(Sq.value(&SVector::from([3.0])), 9.0);
    /// ```
    #[inline]
    fn value(&self, x: &SVector<f64, N>) -> f64 {
        self.eval(x)
    }

    /// Value and gradient, in one pass for `N ≤` [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT)
    /// and in chunks of [`GRADIENT_CHUNK`](crate::diff::size::GRADIENT_CHUNK) tangents above (the two give
    /// bit-identical results), so it works at any `N`. A function much cheaper to evaluate than
    /// its tangents (a Rosenbrock sum, no transcendental functions) can be faster in chunks from
    /// about 50 inputs: [`gradient_chunked`](Self::gradient_chunked) takes them.
    ///
    /// The function is evaluated on jets without the chain rule's NaN-safety test first, and
    /// again with it only if a partial is not finite; the result is the checked evaluation's,
    /// bit for bit, at the cost of an unchecked one wherever the gradient has no NaN
    /// ([unchecked first](crate::jet#unchecked-first)). On an x86-64 processor with AVX2 the
    /// evaluation runs in a copy compiled for AVX2 ([`wide_vectors`](crate::jet::wide_vectors)).
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::SVector;
    /// // √x + y at x = 0: the derivative of √ is infinite there, and ∂/∂y is still exactly 1
    /// struct RootPlus;
    /// impl ScalarFn<2> for RootPlus {
    ///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0].sqrt() + x[1] }
    /// }
    /// let (_, g) = RootPlus.gradient(&SVector::from([0.0, 3.0]));
    /// assert_eq!((g[0], g[1]), (f64::INFINITY, 1.0));
    /// ```
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::SVector;
    /// struct Sq;
    /// impl ScalarFn<1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0] * x[0] } }
    /// assert_eq!(Sq.gradient(&SVector::from([3.0])), (9.0, SVector::from([6.0])));
    /// ```
    #[inline]
    fn gradient(&self, x: &SVector<f64, N>) -> (f64, SVector<f64, N>) {
        gradient_at(self, x)
    }

    /// Value and gradient in chunks of `C` tangents, as [`gradient_chunked`](crate::gradient_chunked).
    ///
    /// ```
    /// # use dualgrad::{Chunk, Scalar, ScalarFn}; use nalgebra::SVector;
    /// struct Sum3;
    /// impl ScalarFn<3> for Sum3 { fn eval<T: Scalar>(&self, x: &SVector<T, 3>) -> T { x.sum() } }
    /// let (f, g) = Sum3.gradient_chunked(&SVector::from([1.0, 2.0, 3.0]), Chunk::<2>);
    /// assert_eq!((f, g), (6.0, SVector::from([1.0, 1.0, 1.0])));
    /// ```
    #[inline]
    fn gradient_chunked<const C: usize>(
        &self,
        x: &SVector<f64, N>,
        chunk: Chunk<C>,
    ) -> (f64, SVector<f64, N>) {
        crate::gradient_chunked(|x: &SVector<Jet<f64, C>, N>| self.eval(x), x, chunk)
    }

    /// Value, gradient and Hessian, in one pass for `N ≤`
    /// [`HESSIAN_ONE_PASS_MAX`](crate::diff::size::HESSIAN_ONE_PASS_MAX) and in blocks of
    /// [`HESSIAN_BLOCK`](crate::diff::size::HESSIAN_BLOCK) × [`HESSIAN_BLOCK`](crate::diff::size::HESSIAN_BLOCK) above, as
    /// [`hessian_chunked`](crate::hessian_chunked) (bit-identical results), so it works at any
    /// `N` whose `N × N` matrix fits. The Hessian is exactly symmetric. The blocks evaluate on
    /// nested jets without the NaN-safety tests first and again with them only if a number of
    /// the result is not finite ([unchecked first](crate::jet#unchecked-first)); the one pass is
    /// checked (its unchecked form took more instructions).
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::SVector;
    /// struct Cube;
    /// impl ScalarFn<1> for Cube { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0].powi(3) } }
    /// let (f, g, h) = Cube.hessian(&SVector::from([2.0]));
    /// assert_eq!((f, g[0], h[(0, 0)]), (8.0, 12.0, 12.0)); // 3x², 6x
    /// ```
    ///
    /// A Hessian larger than [`HEAP_RESULT_BYTES`](crate::diff::size::HEAP_RESULT_BYTES) (`N > 90`)
    /// is assembled on the heap and moved once into the caller's slot, so the stack holds only
    /// the caller's copies of it: `let (_, g, h) = f.hessian(&x)` at `N = 200` fits a 2 MiB
    /// debug thread. Above a few hundred inputs take [`hessian_boxed`](ScalarFn::hessian_boxed)
    /// or [`hessian_into`](ScalarFn::hessian_into).
    #[inline]
    fn hessian(&self, x: &SVector<f64, N>) -> (f64, SVector<f64, N>, SMatrix<f64, N, N>) {
        if result_on_heap::<f64, N, N>() {
            hessian_via_heap(self, x)
        } else {
            hessian_on_stack(self, x)
        }
    }

    /// [`hessian`](ScalarFn::hessian) with the Hessian in a `Box`: the matrix never touches the
    /// stack, at any `N` (one allocation of `8·N²` bytes). The form for large `N`.
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::SVector;
    /// /// f = Σ xᵢ xᵢ₊₁: H has 1 beside the diagonal
    /// struct Chain;
    /// impl ScalarFn<120> for Chain {
    ///     fn eval<T: Scalar>(&self, x: &SVector<T, 120>) -> T {
    ///         (0..119).fold(T::zero(), |s, i| s + x[i] * x[i + 1])
    ///     }
    /// }
    /// let (f, g, h) = Chain.hessian_boxed(&SVector::repeat(1.0)); // h: 113 KiB on the heap
    /// assert_eq!((f, g[0], g[1], h[(7, 8)], h[(7, 9)]), (119.0, 1.0, 2.0, 1.0, 0.0));
    /// ```
    #[inline]
    fn hessian_boxed(
        &self,
        x: &SVector<f64, N>,
    ) -> (f64, SVector<f64, N>, Box<SMatrix<f64, N, N>>) {
        let mut grad = filled!(0.0; N);
        let mut hess = boxed_zeros::<f64, N, N>();
        let value = self.hessian_into(x, &mut grad, &mut hess);
        (value, grad, hess)
    }

    /// [`hessian`](ScalarFn::hessian) writing the gradient and the Hessian into storage the
    /// caller owns (every entry is overwritten) and returning the value: no allocation and no
    /// copy of the matrix, so a loop that takes many Hessians reuses one. For large `N`,
    /// allocate the matrix with [`boxed_zeros`](crate::diff::size::boxed_zeros).
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::{SMatrix, SVector};
    /// struct Cube;
    /// impl ScalarFn<1> for Cube { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> T { x[0].powi(3) } }
    /// let (mut g, mut h) = (SVector::zeros(), SMatrix::zeros());
    /// let f = Cube.hessian_into(&SVector::from([2.0]), &mut g, &mut h);
    /// assert_eq!((f, g[0], h[(0, 0)]), (8.0, 12.0, 12.0)); // 3x², 6x
    /// ```
    #[inline]
    fn hessian_into(
        &self,
        x: &SVector<f64, N>,
        grad: &mut SVector<f64, N>,
        hess: &mut SMatrix<f64, N, N>,
    ) -> f64 {
        if N <= HESSIAN_ONE_PASS_MAX {
            hessian_one_pass(self, x, grad, hess)
        } else {
            hessian_blocks(self, x, grad, hess)
        }
    }

    /// Value, gradient and Hessian-vector product `H(x) v`, as [`hvp`](crate::hvp) for
    /// `N ≤` [`GRADIENT_ONE_PASS_MAX`](crate::diff::size::GRADIENT_ONE_PASS_MAX) and as
    /// [`hvp_chunked`](crate::hvp_chunked) with [`HVP_CHUNK`](crate::diff::size::HVP_CHUNK) tangents above
    /// (bit-identical results). 2–3 gradients' worth of instructions; the Hessian is never formed.
    /// Unchecked first, as [`hessian`](ScalarFn::hessian).
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::SVector;
    /// /// f = x₀²x₁: H = [[2x₁, 2x₀], [2x₀, 0]] = [[4, 2], [2, 0]] at (1, 2)
    /// struct F;
    /// impl ScalarFn<2> for F { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[0] * x[1] } }
    /// let (f, g, hv) = F.hvp(&SVector::from([1.0, 2.0]), &SVector::from([1.0, 1.0]));
    /// assert_eq!((f, g, hv), (2.0, SVector::from([4.0, 1.0]), SVector::from([6.0, 2.0])));
    /// ```
    #[inline]
    fn hvp(
        &self,
        x: &SVector<f64, N>,
        v: &SVector<f64, N>,
    ) -> (f64, SVector<f64, N>, SVector<f64, N>) {
        if N <= GRADIENT_ONE_PASS_MAX {
            hvp_one_pass(self, x, v)
        } else {
            hvp_chunks(self, x, v)
        }
    }

    /// Value and directional derivative `∇f(x) · v`, as
    /// [`directional_derivative`](crate::directional_derivative).
    ///
    /// ```
    /// # use dualgrad::{Scalar, ScalarFn}; use nalgebra::SVector;
    /// struct Dot;
    /// impl ScalarFn<2> for Dot { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> T { x[0] * x[1] } }
    /// let (f, d) = Dot.directional_derivative(&SVector::from([2.0, 3.0]), &SVector::from([1.0, 0.0]));
    /// assert_eq!((f, d), (6.0, 3.0)); // ∂/∂x₀ x₀x₁ = x₁
    /// ```
    #[inline]
    fn directional_derivative(&self, x: &SVector<f64, N>, v: &SVector<f64, N>) -> (f64, f64) {
        crate::directional_derivative(|x| self.eval(x), x, v)
    }
}

/// A function `Rᴺ → Rᴹ` written once, generically, and evaluable at any [`Scalar`] type.
///
/// ```
/// use dualgrad::{Scalar, VectorFn};
/// use nalgebra::{SMatrix, SVector};
///
/// /// (x₀x₁, x₀ + x₁)
/// struct ProdSum;
/// impl VectorFn<2, 2> for ProdSum {
///     fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> {
///         SVector::from([x[0] * x[1], x[0] + x[1]])
///     }
/// }
/// let (v, j) = ProdSum.jacobian(&SVector::from([2.0, 3.0]));
/// assert_eq!(v, SVector::from([6.0, 5.0]));
/// assert_eq!(j, SMatrix::<f64, 2, 2>::new(3.0, 2.0, 1.0, 1.0));
/// ```
pub trait VectorFn<const N: usize, const M: usize> {
    /// Evaluate the function at `x`, for any scalar type.
    fn eval<T: Scalar>(&self, x: &SVector<T, N>) -> SVector<T, M>;

    /// The plain values at an `f64` point.
    ///
    /// ```
    /// # use dualgrad::{Scalar, VectorFn}; use nalgebra::SVector;
    /// struct Twice;
    /// impl VectorFn<1, 1> for Twice { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> SVector<T, 1> { x * T::lift(2.0) } }
    /// assert_eq!(Twice.value(&SVector::from([3.0])), SVector::from([6.0]));
    /// ```
    #[inline]
    fn value(&self, x: &SVector<f64, N>) -> SVector<f64, M> {
        self.eval(x)
    }

    /// Values and Jacobian, in one pass for `N ≤`
    /// [`GRADIENT_ONE_PASS_MAX`](crate::diff::size::GRADIENT_ONE_PASS_MAX), and up to
    /// [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) while
    /// `M · (N + 1) ≤ 80 · 84` (the one-pass output's size, bounded for a debug build's stack),
    /// and in chunks of [`GRADIENT_CHUNK`](crate::diff::size::GRADIENT_CHUNK) tangents otherwise, as
    /// [`jacobian_chunked`](crate::jacobian_chunked) (bit-identical results). As
    /// [`ScalarFn::gradient`], it evaluates without the chain rule's NaN-safety test first and
    /// again with it only if an entry is not finite ([unchecked first](crate::jet#unchecked-first)).
    ///
    /// On an x86-64 processor with AVX2, from 16 to
    /// [`CLOSURE_ONE_PASS_LIMIT`](crate::diff::size::CLOSURE_ONE_PASS_LIMIT) inputs (and while
    /// `M` is at most `80 · 84 / (W + 1)`, `W` the smallest `4k + 3` above `N`: 80 rows at
    /// `N = 80`, 152 at `N = 40`), it runs a copy compiled for AVX2 that takes one pass with `W`
    /// tangents, the same bits ([`wide_vectors`](crate::jet::wide_vectors)): 0.6–0.85× the
    /// default path's time from 16 inputs on a least-squares residual vector, varying from one
    /// run to the next on a shared machine (`docs/performance.md`).
    ///
    /// ```
    /// # use dualgrad::{Scalar, VectorFn}; use nalgebra::SVector;
    /// struct Sq;
    /// impl VectorFn<1, 1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> SVector<T, 1> { x.component_mul(x) } }
    /// let (v, j) = Sq.jacobian(&SVector::from([3.0]));
    /// assert_eq!((v[0], j[(0, 0)]), (9.0, 6.0));
    /// ```
    ///
    /// A Jacobian larger than [`HEAP_RESULT_BYTES`](crate::diff::size::HEAP_RESULT_BYTES) is
    /// assembled on the heap and moved once into the caller's slot, as in
    /// [`ScalarFn::hessian`]; above a few hundred rows and columns take
    /// [`jacobian_boxed`](VectorFn::jacobian_boxed) or [`jacobian_into`](VectorFn::jacobian_into).
    #[inline]
    fn jacobian(&self, x: &SVector<f64, N>) -> (SVector<f64, M>, SMatrix<f64, M, N>) {
        if result_on_heap::<f64, M, N>() {
            jacobian_via_heap(self, x)
        } else {
            jacobian_on_stack(self, x)
        }
    }

    /// [`jacobian`](VectorFn::jacobian) with the Jacobian in a `Box`: the matrix never touches
    /// the stack, at any size (one allocation of `8·M·N` bytes).
    ///
    /// ```
    /// # use dualgrad::{Scalar, VectorFn}; use nalgebra::SVector;
    /// /// fᵢ = xᵢ xᵢ₊₁ (cyclic): J has xᵢ₊₁ on the diagonal and xᵢ beside it
    /// struct Ring;
    /// impl VectorFn<400, 400> for Ring {
    ///     fn eval<T: Scalar>(&self, x: &SVector<T, 400>) -> SVector<T, 400> {
    ///         SVector::from_fn(|i, _| x[i] * x[(i + 1) % 400])
    ///     }
    /// }
    /// let x = SVector::from_fn(|i, _| i as f64);
    /// let (v, j) = Ring.jacobian_boxed(&x); // j: 1.2 MiB on the heap
    /// assert_eq!((v[2], j[(2, 2)], j[(2, 3)], j[(2, 4)]), (6.0, 3.0, 2.0, 0.0));
    /// ```
    #[inline]
    fn jacobian_boxed(&self, x: &SVector<f64, N>) -> (SVector<f64, M>, Box<SMatrix<f64, M, N>>) {
        let mut values = filled!(0.0; M);
        let mut jac = boxed_zeros::<f64, M, N>();
        self.jacobian_into(x, &mut values, &mut jac);
        (values, jac)
    }

    /// [`jacobian`](VectorFn::jacobian) writing the values and the Jacobian into storage the
    /// caller owns (every entry is overwritten): no allocation and no copy of the matrix. For
    /// large sizes, allocate the matrix with [`boxed_zeros`](crate::diff::size::boxed_zeros).
    ///
    /// ```
    /// # use dualgrad::{Scalar, VectorFn}; use nalgebra::{SMatrix, SVector};
    /// struct Sq;
    /// impl VectorFn<1, 1> for Sq { fn eval<T: Scalar>(&self, x: &SVector<T, 1>) -> SVector<T, 1> { x.component_mul(x) } }
    /// let (mut v, mut j) = (SVector::zeros(), SMatrix::zeros());
    /// Sq.jacobian_into(&SVector::from([3.0]), &mut v, &mut j);
    /// assert_eq!((v[0], j[(0, 0)]), (9.0, 6.0));
    /// ```
    #[inline]
    fn jacobian_into(
        &self,
        x: &SVector<f64, N>,
        values: &mut SVector<f64, M>,
        jac: &mut SMatrix<f64, M, N>,
    ) {
        // one pass up to GRADIENT_ONE_PASS_MAX inputs, and up to CLOSURE_ONE_PASS_LIMIT while
        // the output is no larger than the AVX2 copy's may be: chunks evaluate every value again
        if N <= GRADIENT_ONE_PASS_MAX
            || (N <= CLOSURE_ONE_PASS_LIMIT && M * (N + 1) <= WIDE_JACOBIAN_OUTPUT)
        {
            jacobian_one_pass(self, x, values, jac);
        } else {
            jacobian_chunks(self, x, values, jac);
        }
    }

    /// Values and the Jacobian-vector product `J(x) v`, as [`jvp`](crate::jvp).
    ///
    /// ```
    /// # use dualgrad::{Scalar, VectorFn}; use nalgebra::SVector;
    /// struct Swap;
    /// impl VectorFn<2, 2> for Swap { fn eval<T: Scalar>(&self, x: &SVector<T, 2>) -> SVector<T, 2> { SVector::from([x[1], x[0]]) } }
    /// let (_, jv) = Swap.jvp(&SVector::from([1.0, 2.0]), &SVector::from([5.0, 7.0]));
    /// assert_eq!(jv, SVector::from([7.0, 5.0]));
    /// ```
    #[inline]
    fn jvp(&self, x: &SVector<f64, N>, v: &SVector<f64, N>) -> (SVector<f64, M>, SVector<f64, M>) {
        crate::jvp(|x| self.eval(x), x, v)
    }
}

// The trait forms' two paths each live in a function that is never inlined, so the stack frame
// of the path not taken (an N-wide dual for large N) is never allocated.

#[inline(never)]
fn hessian_on_stack<F: ScalarFn<N> + ?Sized, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
) -> (f64, SVector<f64, N>, SMatrix<f64, N, N>) {
    let mut out = (0.0, filled!(0.0; N), filled_matrix!(0.0; N, N));
    out.0 = f.hessian_into(x, &mut out.1, &mut out.2);
    out
}

#[inline(never)]
fn hessian_via_heap<F: ScalarFn<N> + ?Sized, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
) -> (f64, SVector<f64, N>, SMatrix<f64, N, N>) {
    let (value, grad, hess) = f.hessian_boxed(x);
    // moved from the heap into the caller's slot, with no copy in this frame
    (value, grad, *hess)
}

#[inline(never)]
fn jacobian_on_stack<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
) -> (SVector<f64, M>, SMatrix<f64, M, N>) {
    let mut out = (filled!(0.0; M), filled_matrix!(0.0; M, N));
    f.jacobian_into(x, &mut out.0, &mut out.1);
    out
}

#[inline(never)]
fn jacobian_via_heap<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
) -> (SVector<f64, M>, SMatrix<f64, M, N>) {
    let (values, jac) = f.jacobian_boxed(x);
    (values, *jac)
}

// The Hessian's blocks and the Hessian-vector product evaluate on jets without the NaN-safety
// tests of either level first, and again on checked jets only when a number of the result came
// out NaN (`crate::jet`, "Unchecked first"); the checked passes are out of line and cold.

/// The one-pass Hessian stays checked: unchecked, it took more instructions (Rosenbrock at
/// `N = 10`: 44,138 against 32,825), because the checked product builds its result with fewer
/// copies of the inner jets than the plain one.
#[inline(never)]
fn hessian_one_pass<F: ScalarFn<N> + ?Sized, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    grad: &mut SVector<f64, N>,
    hess: &mut SMatrix<f64, N, N>,
) -> f64 {
    hessian::one_pass_into(
        |x: &SVector<Jet<Jet<f64, N>, N>, N>| f.eval(x),
        x,
        grad,
        hess,
    )
}

#[inline(never)]
fn hessian_blocks<F: ScalarFn<N> + ?Sized, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    grad: &mut SVector<f64, N>,
    hess: &mut SMatrix<f64, N, N>,
) -> f64 {
    let value = hessian::blocks_into(
        |x: &SVector<Jet<Jet<f64, HESSIAN_BLOCK, false>, HESSIAN_BLOCK, false>, N>| f.eval(x),
        x,
        grad,
        hess,
    );
    if value.is_finite()
        && !super::any_not_finite(grad.as_slice())
        && !super::any_not_finite(hess.as_slice())
    {
        return value;
    }
    out_of_line(|| {
        hessian::blocks_into(
            |x: &SVector<Jet<Jet<f64, HESSIAN_BLOCK>, HESSIAN_BLOCK>, N>| f.eval(x),
            x,
            grad,
            hess,
        )
    })
}

#[inline(never)]
fn hvp_one_pass<F: ScalarFn<N> + ?Sized, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    v: &SVector<f64, N>,
) -> (f64, SVector<f64, N>, SVector<f64, N>) {
    let r = hvp::one_pass(
        |x: &SVector<Jet<Jet<f64, N, false>, 1, false>, N>| f.eval(x),
        x,
        v,
    );
    if !hvp_not_finite(&r) {
        return r;
    }
    out_of_line(|| hvp::one_pass(|x: &SVector<Jet<Jet<f64, N>, 1>, N>| f.eval(x), x, v))
}

#[inline(never)]
fn hvp_chunks<F: ScalarFn<N> + ?Sized, const N: usize>(
    f: &F,
    x: &SVector<f64, N>,
    v: &SVector<f64, N>,
) -> (f64, SVector<f64, N>, SVector<f64, N>) {
    let r = hvp::chunk_passes(
        |x: &SVector<Jet<Jet<f64, HVP_CHUNK, false>, 1, false>, N>| f.eval(x),
        x,
        v,
    );
    if !hvp_not_finite(&r) {
        return r;
    }
    out_of_line(|| {
        hvp::chunk_passes(
            |x: &SVector<Jet<Jet<f64, HVP_CHUNK>, 1>, N>| f.eval(x),
            x,
            v,
        )
    })
}

/// Whether a number of an unchecked `hvp`'s value, gradient or `H v` is not finite.
#[inline]
fn hvp_not_finite<const N: usize>(r: &(f64, SVector<f64, N>, SVector<f64, N>)) -> bool {
    !r.0.is_finite()
        || super::any_not_finite(r.1.as_slice())
        || super::any_not_finite(r.2.as_slice())
}

/// `f()` in a function of its own, marked cold: the checked pass after an unchecked one that
/// gave a number that is not finite, which should neither be inlined into the usual path nor
/// slow it.
#[cold]
#[inline(never)]
fn out_of_line<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// The largest output of the Jacobian's AVX2 copy, in numbers: `M` jets of `W + 1` (`W` the
/// padded width of the `wide_width` macro) up to `80 · 84`, the size of the padded input at
/// [`CLOSURE_ONE_PASS_LIMIT`] inputs. Above it the default path runs: its output holds `N + 1` or
/// `GRADIENT_CHUNK + 1` numbers per row, and a debug build keeps several copies of the user's
/// output in its frames, so a padded pass with many rows would need more stack than the
/// default path (`tests/diff/wide.rs` runs both at the limit in a 2 MiB thread).
const WIDE_JACOBIAN_OUTPUT: usize = CLOSURE_ONE_PASS_LIMIT * (CLOSURE_ONE_PASS_LIMIT + 4);

/// The Jacobian's AVX2 copy runs from this many inputs on. Below, padding to `4k + 3` tangents
/// was no faster in time (`expfit-8`, padded to 11: 1.2× the default path's time, 1.04× its
/// instructions; `expfit-12`, padded to 15: 0.8× or 1.8× the time from one run to the next;
/// `docs/performance.md`).
const WIDE_JACOBIAN_MIN_INPUTS: usize = 16;

#[inline(never)]
fn jacobian_one_pass<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    // unguarded: instantiated for every N, run only up to CLOSURE_ONE_PASS_LIMIT; the AVX2 copy
    // from WIDE_JACOBIAN_MIN_INPUTS on
    if N < WIDE_JACOBIAN_MIN_INPUTS {
        jacobian_default_one_pass(f, x, values, jac);
        return;
    }
    wide_jacobian_or(
        f,
        x,
        values,
        jac,
        |values, jac| jacobian_default_one_pass(f, x, values, jac),
        |values, jac| careful_jacobian_one_pass(f, x, values, jac),
    );
}

#[inline(never)]
fn jacobian_chunks<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    // the AVX2 copy takes one padded pass up to CLOSURE_ONE_PASS_LIMIT inputs, as for
    // `ScalarFn::gradient`
    if N <= CLOSURE_ONE_PASS_LIMIT {
        wide_jacobian_or(
            f,
            x,
            values,
            jac,
            |values, jac| jacobian_default_chunks(f, x, values, jac),
            |values, jac| careful_jacobian_chunks(f, x, values, jac),
        );
    } else {
        jacobian_default_chunks(f, x, values, jac);
    }
}

/// The AVX2 copy's padded pass, checked again by `checked` where an entry is not finite, while
/// the padded output fits [`WIDE_JACOBIAN_OUTPUT`]; `default` otherwise and on processors
/// without AVX2.
#[inline(always)]
fn wide_jacobian_or<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
    default: impl FnOnce(&mut SVector<f64, M>, &mut SMatrix<f64, M, N>),
    checked: impl FnOnce(&mut SVector<f64, M>, &mut SMatrix<f64, M, N>),
) {
    wide_width!(N, W => if M * (W + 1) <= WIDE_JACOBIAN_OUTPUT {
        crate::jet::wide_or(
            (values, jac),
            |(values, jac)| {
                jacobian_padded_pass::<F, N, M, W>(f, x, values, jac);
                if super::any_not_finite(jac.as_slice()) {
                    checked(values, jac);
                }
            },
            |(values, jac)| default(values, jac),
        )
    } else {
        default(values, jac)
    });
}

/// One pass with `W ≥ N` tangents, the last `W - N` zero (the `wide_width` macro in `diff`),
/// on jets without the chain rule's NaN-safety test (the callers run the checked pass where an
/// entry is not finite, as [`ScalarFn::gradient`] does): the values and every entry are the same
/// bits as in one pass with `N` tangents.
#[inline]
fn jacobian_padded_pass<
    F: VectorFn<N, M> + ?Sized,
    const N: usize,
    const M: usize,
    const W: usize,
>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    crate::scalar::prepare_tanh();
    let r = f.eval(&SVector::<Jet<f64, W, false>, N>::from_fn(|i, _| {
        Jet::seeded(x[i], i)
    }));
    for i in 0..M {
        values[i] = r[i].re;
        for k in 0..N {
            jac[(i, k)] = r[i].eps[k];
        }
    }
}

#[inline(always)]
fn jacobian_default_one_pass<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    unchecked_jacobian_one_pass(f, x, values, jac);
    if super::any_not_finite(jac.as_slice()) {
        careful_jacobian_one_pass(f, x, values, jac);
    }
}

#[inline(always)]
fn jacobian_default_chunks<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    jacobian::chunks_into(
        |x: &SVector<Jet<f64, GRADIENT_CHUNK, false>, N>| f.eval(x),
        x,
        values,
        jac,
    );
    if super::any_not_finite(jac.as_slice()) {
        careful_jacobian_chunks(f, x, values, jac);
    }
}

/// The default path's unchecked pass, in a function of its own (as the gradient's).
#[inline(never)]
fn unchecked_jacobian_one_pass<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    jacobian::one_pass_into(
        |x: &SVector<Jet<f64, N, false>, N>| f.eval(x),
        x,
        values,
        jac,
    );
}

/// The checked one pass, out of line: it runs only where an entry was not finite.
#[cold]
#[inline(never)]
fn careful_jacobian_one_pass<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    jacobian::one_pass_into(|x: &SVector<Jet<f64, N>, N>| f.eval(x), x, values, jac);
}

/// The checked chunks, out of line: they run only where an entry was not finite.
#[cold]
#[inline(never)]
fn careful_jacobian_chunks<F: VectorFn<N, M> + ?Sized, const N: usize, const M: usize>(
    f: &F,
    x: &SVector<f64, N>,
    values: &mut SVector<f64, M>,
    jac: &mut SMatrix<f64, M, N>,
) {
    jacobian::chunks_into(
        |x: &SVector<Jet<f64, GRADIENT_CHUNK>, N>| f.eval(x),
        x,
        values,
        jac,
    );
}
