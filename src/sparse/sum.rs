//! Partially separable objectives `f(x) = Σᵢ fᵢ(x)`: gradients, Hessians and Hessian-vector
//! products in as many passes as the terms' Jacobian has colours.

use super::colour::{Colouring, column_colouring, star_colouring, star_sources};
use super::pattern::{Run, Walker, add_interactions, from_rows};
use super::{SparseError, Width, check_len, seed};
use crate::{Jet, Scalar};
use nalgebra::DMatrix;
use nalgebra_sparse::CsrMatrix;
use nalgebra_sparse::pattern::SparsityPattern;

/// An objective written as a sum of terms, `f(x) = Σᵢ fᵢ(x)`, each term generic over
/// [`Scalar`] and reading only the few variables it needs.
///
/// Like a residual block of Ceres, except that the variables a term touches are not declared:
/// [`SparseSum`] finds them by tracing each term once.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::TermSum;
///
/// /// The chained Rosenbrock function: Σᵢ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)²
/// struct Rosenbrock { n: usize }
/// impl TermSum for Rosenbrock {
///     fn terms(&self) -> usize { self.n - 1 }
///     fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
///         let a = -x[i] + 1.0;
///         let b = x[i + 1] - x[i] * x[i];
///         a * a + b * b * 100.0
///     }
/// }
/// assert_eq!(Rosenbrock { n: 3 }.value(&[1.0, 1.0, 1.0]), 0.0);
/// ```
pub trait TermSum {
    /// The number of terms.
    fn terms(&self) -> usize;

    /// Term `i` (in `0..terms()`) at `x`, for any scalar type.
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T;

    /// The plain value `Σᵢ fᵢ(x)`, terms added in order.
    fn value(&self, x: &[f64]) -> f64 {
        (0..self.terms()).map(|i| self.term(i, x)).sum()
    }
}

impl<F: TermSum + ?Sized> TermSum for &F {
    fn terms(&self) -> usize {
        (**self).terms()
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        (**self).term(i, x)
    }
}

/// The buffers of one jet width: first-order inputs, second-order inputs (colour directions
/// on both levels) and Hessian-vector inputs (colour directions over one direction `v`).
#[derive(Clone, Debug)]
struct Buffers<const W: usize> {
    first: Vec<Jet<f64, W>>,
    second: Vec<Jet<Jet<f64, W>, W>>,
    directional: Vec<Jet<Jet<f64, 1>, W>>,
}

impl<const W: usize> Buffers<W> {
    fn new(n: usize) -> Self {
        Self {
            first: vec![Jet::constant(0.0); n],
            second: vec![Jet::constant(Jet::constant(0.0)); n],
            directional: vec![Jet::constant(Jet::constant(0.0)); n],
        }
    }
}

/// No Hessian entry for this pair of a term's variables.
const NO_SLOT: usize = usize::MAX;

/// Derivatives of a [`TermSum`] through the sparsity of its terms.
///
/// **Built once.** [`new`](Self::new) runs every term on the pattern-tracing scalar at `x` to
/// find the variables it touches and the pairs that interact (branches follow the values at
/// `x`: see [`jacobian_pattern`](super::jacobian_pattern)), colours the columns of the terms'
/// Jacobian (variables that share a term get different colours) and allocates every buffer. The
/// methods then allocate nothing, at any point.
///
/// **Passes.** With `c` colours and the jet width `W` (1, 2, 4 or 8: the smallest that holds
/// all colours, 8 above 8 colours), each method evaluates every term once per pass:
///
/// | method | passes | each term on |
/// |---|---|---|
/// | [`gradient`](Self::gradient) | `⌈c / W⌉` | `Jet<f64, W>` seeded with the colour directions |
/// | [`hessian`](Self::hessian) | `b (b + 1) / 2`, `b = ⌈c / W⌉` | `Jet<Jet<f64, W>, W>`: `Sᵀ Hᵢ S` for two blocks of colours |
/// | [`hvp`](Self::hvp) | `⌈c / W⌉` | `Jet<Jet<f64, 1>, W>`: `Sᵀ Hᵢ v` |
///
/// When the terms' colours take more than one block (`c > 8`), the Hessian may instead come from
/// a [`star_colouring`](super::star_colouring) of its pattern with `s` colours: `⌈n / 8⌉ ⌈s / 8⌉`
/// passes on `Jet<Jet<f64, 8>, 8>` (outer tangents a chunk of 8 variables, inner ones a block
/// of colour directions) give `B = H S`, and each entry is read off `B` as
/// [`star_sources`](super::star_sources) says. It is chosen when it takes fewer passes: for a
/// function of few terms that each touch many variables (one term is a general function), not for
/// sums of small terms. [`hessian_passes`](Self::hessian_passes) says which.
///
/// A term's variables have distinct colours, so the compressed results of a term give its own
/// derivatives exactly: `∂fᵢ/∂xⱼ` is its tangent of colour `c(j)`, `(Hᵢ)ⱼₖ` its second tangent
/// of colours `(c(j), c(k))`. The gradient and Hessian are their sums over the terms. The cost is
/// that of evaluating the sum `⌈c / W⌉` times on narrow jets, whatever the number of variables:
/// linear in the number of terms.
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::{SparseSum, TermSum};
///
/// struct Rosenbrock { n: usize }
/// impl TermSum for Rosenbrock {
///     fn terms(&self) -> usize { self.n - 1 }
///     fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
///         let a = -x[i] + 1.0;
///         let b = x[i + 1] - x[i] * x[i];
///         a * a + b * b * 100.0
///     }
/// }
/// let x = vec![0.0; 1000];
/// let mut sum = SparseSum::new(Rosenbrock { n: 1000 }, &x);
/// assert_eq!((sum.colours(), sum.passes()), (2, 1)); // neighbours differ: 2 colours
/// let mut g = vec![0.0; 1000];
/// let (f, h) = sum.hessian(&x, &mut g).unwrap();
/// assert_eq!(f, 999.0);
/// assert_eq!((g[0], g[999]), (-2.0, 0.0)); // −2(1 − x₀) − 400x₀(x₁ − x₀²); 200(x₉₉₉ − x₉₉₈²)
/// // tridiagonal: ∂²/∂x₀² = 2 − 400(x₁ − 3x₀²) = 2, ∂²/∂x₀∂x₁ = −400x₀ = 0, ∂²/∂x₁² = 200 + 2
/// assert_eq!(h.nnz(), 3 * 1000 - 2);
/// assert_eq!(h.get_entry(0, 0).unwrap().into_value(), 2.0);
/// assert_eq!(h.get_entry(1, 1).unwrap().into_value(), 202.0);
/// ```
#[derive(Clone, Debug)]
pub struct SparseSum<F> {
    f: F,
    variables: SparsityPattern,
    colouring: Colouring,
    hessian: CsrMatrix<f64>,
    slot_offsets: Vec<usize>,
    slots: Vec<usize>,
    width: Width<Buffers<1>, Buffers<2>, Buffers<4>, Buffers<8>>,
    star: Option<Star>,
}

/// The Hessian by a star colouring of its pattern, chosen when it takes fewer passes than the
/// terms' colours (a sum of few terms that each touch many variables).
#[derive(Clone, Debug)]
struct Star {
    colouring: Colouring,
    /// For each Hessian entry, its position in `compressed`.
    sources: Vec<usize>,
    /// `H S`, row-major, `n × colours`.
    compressed: Vec<f64>,
}

impl<F: TermSum> SparseSum<F> {
    /// Traces the terms of `f` at `x`, colours their variables and allocates the buffers.
    ///
    /// # Panics
    /// If called from inside a traced function (tracing is not reentrant).
    pub fn new(f: F, x: &[f64]) -> Self {
        let n = x.len();
        let mut inputs = Vec::new();
        let run = Run::start(x, &mut inputs);
        let roots: Vec<u32> = (0..f.terms()).map(|i| f.term(i, &inputs).id).collect();
        let (variables, hessian_rows) = run.read(|nodes| {
            let mut walker = Walker::new(nodes.len());
            let mut hessian_rows = vec![Vec::new(); n];
            let rows = roots
                .iter()
                .map(|&r| {
                    let mut row = Vec::new();
                    walker.inputs_of(nodes, run.inputs, &[r], &mut row);
                    add_interactions(nodes, run.inputs, r, &mut walker, &mut hessian_rows);
                    row
                })
                .collect();
            (from_rows(rows, n), hessian_rows)
        });
        drop(run);
        let hessian_pattern = from_rows(hessian_rows, n);
        let colouring = column_colouring(&variables);
        let mut slot_offsets = vec![0];
        let mut slots = Vec::new();
        for t in 0..variables.major_dim() {
            let vars = variables.lane(t);
            for &j in vars {
                let lane = hessian_pattern.lane(j);
                let start = hessian_pattern.major_offsets()[j];
                slots.extend(vars.iter().map(|k| {
                    lane.binary_search(k)
                        .map_or(NO_SLOT, |position| start + position)
                }));
            }
            slot_offsets.push(slots.len());
        }
        // more than one block of colours: a star colouring of the Hessian may need fewer passes
        let blocks = colouring.count().div_ceil(8);
        let star = (blocks > 1)
            .then(|| star_colouring(&hessian_pattern))
            .filter(|star| n.div_ceil(8) * star.count().div_ceil(8) < blocks * (blocks + 1) / 2)
            .map(|star| Star {
                sources: star_sources(&hessian_pattern, &star),
                compressed: vec![0.0; n * star.count()],
                colouring: star,
            });
        let nnz = hessian_pattern.nnz();
        let hessian = CsrMatrix::try_from_pattern_and_values(hessian_pattern, vec![0.0; nnz])
            .expect("as many values as entries");
        let width = Width::for_colours(
            colouring.count(),
            || Buffers::new(n),
            || Buffers::new(n),
            || Buffers::new(n),
            || Buffers::new(n),
        );
        Self {
            f,
            variables,
            colouring,
            hessian,
            slot_offsets,
            slots,
            width,
            star,
        }
    }

    /// The number of variables.
    pub fn inputs(&self) -> usize {
        self.variables.minor_dim()
    }

    /// Which variables each term touches: row `i` of this pattern is term `i`'s (the pattern of
    /// the terms' Jacobian).
    pub fn term_pattern(&self) -> &SparsityPattern {
        &self.variables
    }

    /// The Hessian's sparsity pattern: the union of the terms' second-order interactions.
    pub fn hessian_pattern(&self) -> &SparsityPattern {
        self.hessian.pattern()
    }

    /// The colouring of the variables (variables that share a term differ).
    pub fn colouring(&self) -> &Colouring {
        &self.colouring
    }

    /// The number of colours.
    pub fn colours(&self) -> usize {
        self.colouring.count()
    }

    /// Passes per gradient or Hessian-vector product: `⌈colours / width⌉` (at least 1).
    pub fn passes(&self) -> usize {
        self.colouring.count().div_ceil(self.width.lanes()).max(1)
    }

    /// Passes per Hessian: `b (b + 1) / 2` with `b = ⌈colours / width⌉` by the terms' colours,
    /// or `⌈n / 8⌉ ⌈s / 8⌉` by a star colouring of the Hessian with `s` colours when that is fewer
    /// (chosen at construction; see the type's documentation).
    pub fn hessian_passes(&self) -> usize {
        match &self.star {
            Some(star) => self.inputs().div_ceil(8) * star.colouring.count().div_ceil(8).max(1),
            None => {
                let b = self.passes();
                b * (b + 1) / 2
            }
        }
    }

    /// The function.
    pub fn function(&self) -> &F {
        &self.f
    }

    /// Value and gradient at `x`, the gradient written into `g`.
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x` or `g` does not have as many entries as the point given at
    /// construction.
    pub fn gradient(&mut self, x: &[f64], g: &mut [f64]) -> Result<f64, SparseError> {
        check_len("x", self.inputs(), x.len())?;
        check_len("gradient", self.inputs(), g.len())?;
        g.fill(0.0);
        let Self {
            f,
            variables,
            colouring,
            width,
            ..
        } = self;
        Ok(match width {
            Width::W1(b) => gradient_passes(f, variables, colouring, &mut b.first, x, g),
            Width::W2(b) => gradient_passes(f, variables, colouring, &mut b.first, x, g),
            Width::W4(b) => gradient_passes(f, variables, colouring, &mut b.first, x, g),
            Width::W8(b) => gradient_passes(f, variables, colouring, &mut b.first, x, g),
        })
    }

    /// Value, gradient (into `g`) and sparse Hessian at `x`. The Hessian is exactly symmetric.
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x` or `g` does not have as many entries as the point given at
    /// construction.
    pub fn hessian(
        &mut self,
        x: &[f64],
        g: &mut [f64],
    ) -> Result<(f64, &CsrMatrix<f64>), SparseError> {
        check_len("x", self.inputs(), x.len())?;
        check_len("gradient", self.inputs(), g.len())?;
        g.fill(0.0);
        let Self {
            f,
            variables,
            colouring,
            hessian,
            slot_offsets,
            slots,
            width,
            star,
        } = self;
        let values = hessian.values_mut();
        values.fill(0.0);
        if let (Some(star), Width::W8(b)) = (star, &mut *width) {
            let value = star_passes(f, variables.major_dim(), star, &mut b.second, x, g);
            for (v, &src) in values.iter_mut().zip(&star.sources) {
                *v = star.compressed[src];
            }
            return Ok((value, &self.hessian));
        }
        let layout = Layout {
            variables,
            colouring,
            slot_offsets,
            slots,
        };
        let value = match width {
            Width::W1(b) => hessian_passes(f, &layout, &mut b.second, x, g, values),
            Width::W2(b) => hessian_passes(f, &layout, &mut b.second, x, g, values),
            Width::W4(b) => hessian_passes(f, &layout, &mut b.second, x, g, values),
            Width::W8(b) => hessian_passes(f, &layout, &mut b.second, x, g, values),
        };
        Ok((value, &self.hessian))
    }

    /// Value, gradient and Hessian at `x`, the Hessian written into caller-provided dense storage
    /// (`n × n`; entries outside the pattern are set to zero).
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x`, `g` or `h` does not have the size of the point given at
    /// construction.
    pub fn hessian_dense(
        &mut self,
        x: &[f64],
        g: &mut [f64],
        h: &mut DMatrix<f64>,
    ) -> Result<f64, SparseError> {
        check_len("hessian rows", self.inputs(), h.nrows())?;
        check_len("hessian columns", self.inputs(), h.ncols())?;
        let (value, sparse) = self.hessian(x, g)?;
        h.fill(0.0);
        for (r, c, v) in sparse.triplet_iter() {
            h[(r, c)] = *v;
        }
        Ok(value)
    }

    /// Value, gradient (into `g`) and Hessian-vector product `H(x) v` (into `hv`), without
    /// forming `H`: `⌈colours / width⌉` passes on `Jet<Jet<f64, 1>, W>`. When `H` is already
    /// known (from [`hessian`](Self::hessian)), `&h * &v` with a `DVector` is the cheaper product.
    ///
    /// # Errors
    /// [`SparseError::Length`] if `x`, `v`, `g` or `hv` does not have as many entries as the
    /// point given at construction.
    pub fn hvp(
        &mut self,
        x: &[f64],
        v: &[f64],
        g: &mut [f64],
        hv: &mut [f64],
    ) -> Result<f64, SparseError> {
        let n = self.inputs();
        check_len("x", n, x.len())?;
        check_len("v", n, v.len())?;
        check_len("gradient", n, g.len())?;
        check_len("hvp", n, hv.len())?;
        g.fill(0.0);
        hv.fill(0.0);
        let Self {
            f,
            variables,
            colouring,
            width,
            ..
        } = self;
        Ok(match width {
            Width::W1(b) => hvp_passes(f, variables, colouring, &mut b.directional, x, v, g, hv),
            Width::W2(b) => hvp_passes(f, variables, colouring, &mut b.directional, x, v, g, hv),
            Width::W4(b) => hvp_passes(f, variables, colouring, &mut b.directional, x, v, g, hv),
            Width::W8(b) => hvp_passes(f, variables, colouring, &mut b.directional, x, v, g, hv),
        })
    }
}

/// The gradient passes at width `W`.
fn gradient_passes<F: TermSum, const W: usize>(
    f: &F,
    variables: &SparsityPattern,
    colouring: &Colouring,
    xs: &mut [Jet<f64, W>],
    x: &[f64],
    g: &mut [f64],
) -> f64 {
    let colours = colouring.colours();
    let mut value = 0.0;
    for block in 0..colouring.count().div_ceil(W).max(1) {
        seed(xs, x, colours, block);
        for i in 0..variables.major_dim() {
            let t = f.term(i, xs);
            if block == 0 {
                value += t.re;
            }
            for &j in variables.lane(i) {
                let c = colours[j];
                if c / W == block {
                    g[j] += t.eps[c - block * W];
                }
            }
        }
    }
    value
}

/// What the Hessian passes read besides the function.
struct Layout<'a> {
    variables: &'a SparsityPattern,
    colouring: &'a Colouring,
    slot_offsets: &'a [usize],
    slots: &'a [usize],
}

/// The Hessian passes at width `W`: one per pair of colour blocks `p ≤ q`.
fn hessian_passes<F: TermSum, const W: usize>(
    f: &F,
    layout: &Layout<'_>,
    xs: &mut [Jet<Jet<f64, W>, W>],
    x: &[f64],
    g: &mut [f64],
    h: &mut [f64],
) -> f64 {
    let colours = layout.colouring.colours();
    let blocks = layout.colouring.count().div_ceil(W).max(1);
    let mut value = 0.0;
    for p in 0..blocks {
        for q in p..blocks {
            for ((xj, &v), &c) in xs.iter_mut().zip(x).zip(colours) {
                let mut inner = Jet::constant(v);
                if c / W == q {
                    inner.eps[c - q * W] = 1.0;
                }
                *xj = Jet::constant(inner);
                if c / W == p {
                    xj.eps[c - p * W] = Jet::constant(1.0);
                }
            }
            for i in 0..layout.variables.major_dim() {
                let t = f.term(i, xs);
                let vars = layout.variables.lane(i);
                let slots = &layout.slots[layout.slot_offsets[i]..layout.slot_offsets[i + 1]];
                if p == q {
                    if p == 0 {
                        value += t.re.re;
                    }
                    for &j in vars {
                        let c = colours[j];
                        if c / W == p {
                            g[j] += t.eps[c - p * W].re;
                        }
                    }
                }
                for (a, &j) in vars.iter().enumerate() {
                    let cj = colours[j];
                    if cj / W != p {
                        continue;
                    }
                    let row = &t.eps[cj - p * W].eps;
                    for (b, &k) in vars.iter().enumerate() {
                        let ck = colours[k];
                        // within one block, each pair once: the Hessian is exactly symmetric
                        if ck / W != q || (p == q && b < a) {
                            continue;
                        }
                        let d = row[ck - q * W];
                        let s = slots[a * vars.len() + b];
                        if s != NO_SLOT {
                            h[s] += d;
                        }
                        if a != b {
                            let s = slots[b * vars.len() + a];
                            if s != NO_SLOT {
                                h[s] += d;
                            }
                        }
                    }
                }
            }
        }
    }
    value
}

/// `B = H S` for a star colouring: one pass per chunk of 8 variables (the outer tangents) and
/// block of 8 colours (the inner tangents), every term evaluated and summed.
fn star_passes<F: TermSum>(
    f: &F,
    terms: usize,
    star: &mut Star,
    xs: &mut [Jet<Jet<f64, 8>, 8>],
    x: &[f64],
    g: &mut [f64],
) -> f64 {
    const W: usize = 8;
    let colours = star.colouring.colours();
    let k = star.colouring.count();
    let mut value = 0.0;
    for chunk in 0..x.len().div_ceil(W) {
        for q in 0..k.div_ceil(W).max(1) {
            for (j, ((xj, &v), &c)) in xs.iter_mut().zip(x).zip(colours).enumerate() {
                let mut inner = Jet::constant(v);
                if c / W == q {
                    inner.eps[c - q * W] = 1.0;
                }
                *xj = Jet::constant(inner);
                if j / W == chunk {
                    xj.eps[j - chunk * W] = Jet::constant(1.0);
                }
            }
            let mut total = Jet::constant(Jet::constant(0.0));
            for i in 0..terms {
                total += f.term(i, xs);
            }
            if chunk == 0 && q == 0 {
                value = total.re.re;
            }
            for (i, d) in total.eps.iter().enumerate() {
                let row = chunk * W + i;
                if row >= x.len() {
                    break;
                }
                if q == 0 {
                    g[row] = d.re;
                }
                for (b, &e) in d.eps.iter().enumerate() {
                    let c = q * W + b;
                    if c < k {
                        star.compressed[row * k + c] = e;
                    }
                }
            }
        }
    }
    value
}

/// The Hessian-vector passes at width `W`.
#[allow(clippy::too_many_arguments)]
fn hvp_passes<F: TermSum, const W: usize>(
    f: &F,
    variables: &SparsityPattern,
    colouring: &Colouring,
    xs: &mut [Jet<Jet<f64, 1>, W>],
    x: &[f64],
    v: &[f64],
    g: &mut [f64],
    hv: &mut [f64],
) -> f64 {
    let colours = colouring.colours();
    let mut value = 0.0;
    for block in 0..colouring.count().div_ceil(W).max(1) {
        for (((xj, &xv), &vv), &c) in xs.iter_mut().zip(x).zip(v).zip(colours) {
            *xj = Jet::constant(Jet::new(xv, [vv]));
            if c / W == block {
                xj.eps[c - block * W] = Jet::constant(1.0);
            }
        }
        for i in 0..variables.major_dim() {
            let t = f.term(i, xs);
            if block == 0 {
                value += t.re.re;
            }
            for &j in variables.lane(i) {
                let c = colours[j];
                if c / W == block {
                    let d = t.eps[c - block * W];
                    g[j] += d.re;
                    hv[j] += d.eps[0];
                }
            }
        }
    }
    value
}
