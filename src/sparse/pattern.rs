//! Sparsity patterns of Jacobians and Hessians, read off the tape of a [`Trace`] run.

use super::trace::{NONE, Node, Op, TAPE, Trace};
use nalgebra_sparse::pattern::SparsityPattern;

/// One tracing run on this thread's tape: the inputs are nodes `0..n`; the tape is emptied again
/// when the run ends (also when the traced function panics).
pub(crate) struct Run {
    pub(crate) inputs: usize,
}

impl Run {
    /// Starts a run with `x.len()` inputs and returns them as traces.
    ///
    /// # Panics
    /// If a run is already under way on this thread (a traced function that itself asks for a
    /// pattern), or if `x` has `u32::MAX` entries or more.
    pub(crate) fn start(x: &[f64], inputs: &mut Vec<Trace>) -> Self {
        TAPE.with(|t| {
            let mut t = t.borrow_mut();
            assert!(
                !t.active,
                "sparsity tracing is not reentrant: a traced function asked for a pattern"
            );
            t.active = true;
            t.nodes.clear();
            t.nodes.extend((0..x.len()).map(|_| Node {
                op: Op::Input,
                a: NONE,
                b: NONE,
            }));
        });
        inputs.clear();
        inputs.extend(x.iter().enumerate().map(|(i, &v)| {
            let id = u32::try_from(i)
                .ok()
                .filter(|&id| id != NONE)
                .expect("more than 2³² − 2 inputs");
            Trace::input(v, id)
        }));
        Self { inputs: x.len() }
    }

    /// Runs `g` on the recorded tape.
    pub(crate) fn read<R>(&self, g: impl FnOnce(&[Node]) -> R) -> R {
        TAPE.with(|t| g(&t.borrow().nodes))
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        TAPE.with(|t| {
            let mut t = t.borrow_mut();
            t.nodes = Vec::new();
            t.active = false;
        });
    }
}

/// Depth-first searches over the tape, with a generation stamp per node so that no search
/// clears a visited set.
pub(crate) struct Walker {
    stamp: Vec<u32>,
    generation: u32,
    stack: Vec<u32>,
}

impl Walker {
    pub(crate) fn new(nodes: usize) -> Self {
        Self {
            stamp: vec![0; nodes],
            generation: 0,
            stack: Vec::new(),
        }
    }

    fn next_generation(&mut self) {
        self.generation += 1;
        if self.generation == u32::MAX {
            self.stamp.fill(0);
            self.generation = 1;
        }
    }

    /// Appends to `out` the inputs that the nodes `roots` depend on (each once, unsorted).
    pub(crate) fn inputs_of(
        &mut self,
        nodes: &[Node],
        inputs: usize,
        roots: &[u32],
        out: &mut Vec<usize>,
    ) {
        self.next_generation();
        let g = self.generation;
        self.stack.clear();
        for &r in roots {
            if r != NONE && self.stamp[r as usize] != g {
                self.stamp[r as usize] = g;
                self.stack.push(r);
            }
        }
        while let Some(id) = self.stack.pop() {
            let i = id as usize;
            if i < inputs {
                out.push(i);
                continue;
            }
            let n = nodes[i];
            for c in [n.a, n.b] {
                if c != NONE && self.stamp[c as usize] != g {
                    self.stamp[c as usize] = g;
                    self.stack.push(c);
                }
            }
        }
    }

    /// Appends to `out` every node that `root` depends on (itself included), inputs excepted.
    pub(crate) fn reach(&mut self, nodes: &[Node], inputs: usize, root: u32, out: &mut Vec<usize>) {
        self.next_generation();
        let g = self.generation;
        self.stack.clear();
        if root != NONE {
            self.stamp[root as usize] = g;
            self.stack.push(root);
        }
        while let Some(id) = self.stack.pop() {
            let i = id as usize;
            if i < inputs {
                continue;
            }
            out.push(i);
            let n = nodes[i];
            for c in [n.a, n.b] {
                if c != NONE && self.stamp[c as usize] != g {
                    self.stamp[c as usize] = g;
                    self.stack.push(c);
                }
            }
        }
    }
}

/// Adds to `rows` the second-order interactions that the node `root` depends on: the Hessian
/// pattern of the value at `root` (symmetric: both `(i, j)` and `(j, i)`).
pub(crate) fn add_interactions(
    nodes: &[Node],
    inputs: usize,
    root: u32,
    walker: &mut Walker,
    rows: &mut [Vec<usize>],
) {
    let mut reached = Vec::new();
    walker.reach(nodes, inputs, root, &mut reached);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for i in reached {
        let n = nodes[i];
        a.clear();
        b.clear();
        match n.op {
            Op::Input | Op::Linear => continue,
            Op::Mul | Op::Div => {
                walker.inputs_of(nodes, inputs, &[n.a], &mut a);
                walker.inputs_of(nodes, inputs, &[n.b], &mut b);
                cross(rows, &a, &b);
                cross(rows, &b, &a);
                if n.op == Op::Div {
                    cross(rows, &b, &b);
                }
            }
            Op::Nonlinear => {
                walker.inputs_of(nodes, inputs, &[n.a, n.b], &mut a);
                cross(rows, &a, &a);
            }
        }
    }
}

fn cross(rows: &mut [Vec<usize>], a: &[usize], b: &[usize]) {
    for &i in a {
        rows[i].extend_from_slice(b);
    }
}

/// A row-major pattern from unsorted rows with repeats.
pub(crate) fn from_rows(mut rows: Vec<Vec<usize>>, ncols: usize) -> SparsityPattern {
    let mut offsets = Vec::with_capacity(rows.len() + 1);
    offsets.push(0);
    let mut indices = Vec::new();
    for row in &mut rows {
        row.sort_unstable();
        row.dedup();
        indices.extend_from_slice(row);
        offsets.push(indices.len());
    }
    SparsityPattern::try_from_offsets_and_indices(rows.len(), ncols, offsets, indices)
        .expect("rows sorted, deduplicated and within bounds")
}

/// The sparsity pattern of the Jacobian of `f: Rⁿ → Rᵐ` at `x`: row `i` lists the inputs that
/// output `i` depends on.
///
/// `f` is the user's function, written over `T: Scalar`, instantiated at [`Trace`]: it reads
/// `x.len()` inputs and writes `m` outputs (its output slice starts as constants `0`). The pattern
/// is found at `x`: branches (comparisons, `max`, `abs`) follow the values there, so a function
/// that takes other branches elsewhere may depend on other inputs there. Within the branch
/// taken, no structural nonzero is missed; an entry that cancels numerically (`x − x`, `0 · x`
/// with a traced zero) is kept.
///
/// # Panics
/// If called from inside a traced function (tracing is not reentrant).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::{Trace, jacobian_pattern};
///
/// // a banded map: y_i = x_{i-1} x_i + x_{i+1}² (tridiagonal Jacobian)
/// fn band<T: Scalar>(x: &[T], y: &mut [T]) {
///     let n = x.len();
///     for i in 0..n {
///         let left = if i > 0 { x[i - 1] * x[i] } else { x[i] };
///         y[i] = if i + 1 < n { left + x[i + 1] * x[i + 1] } else { left };
///     }
/// }
/// let p = jacobian_pattern(|x: &[Trace], y: &mut [Trace]| band(x, y), &[1.0; 5], 5);
/// assert_eq!(p.nnz(), 13);
/// assert_eq!(p.lane(2), &[1, 2, 3]);
/// ```
pub fn jacobian_pattern(
    f: impl FnOnce(&[Trace], &mut [Trace]),
    x: &[f64],
    m: usize,
) -> SparsityPattern {
    let mut inputs = Vec::new();
    let run = Run::start(x, &mut inputs);
    let mut out = vec![Trace::constant(0.0); m];
    f(&inputs, &mut out);
    run.read(|nodes| {
        let mut walker = Walker::new(nodes.len());
        let rows = out
            .iter()
            .map(|y| {
                let mut row = Vec::new();
                walker.inputs_of(nodes, run.inputs, &[y.id], &mut row);
                row
            })
            .collect();
        from_rows(rows, x.len())
    })
}

/// The sparsity pattern of the Hessian of `f: Rⁿ → R` at `x`: symmetric, `(i, j)` present when
/// inputs `i` and `j` meet in a product, a quotient or a nonlinear function on the way to the
/// value (the diagonal `(i, i)` when input `i` enters nonlinearly).
///
/// As [`jacobian_pattern`]: found at `x`, branches follow the values there, no structural
/// nonzero of the branch taken is missed. Operations whose result does not reach the returned
/// value are ignored.
///
/// # Panics
/// If called from inside a traced function (tracing is not reentrant).
///
/// ```
/// use dualgrad::Scalar;
/// use dualgrad::sparse::{Trace, hessian_pattern};
///
/// fn f<T: Scalar>(x: &[T]) -> T {
///     x[0] * x[1] + x[2].sin() + x[3] * 2.0 // x₀x₁: off-diagonal; sin x₂: diagonal; x₃: linear
/// }
/// let p = hessian_pattern(|x: &[Trace]| f(x), &[1.0; 4]);
/// let entries: Vec<_> = p.entries().collect();
/// assert_eq!(entries, [(0, 1), (1, 0), (2, 2)]);
/// ```
pub fn hessian_pattern(f: impl FnOnce(&[Trace]) -> Trace, x: &[f64]) -> SparsityPattern {
    let mut inputs = Vec::new();
    let run = Run::start(x, &mut inputs);
    let y = f(&inputs);
    run.read(|nodes| {
        let mut walker = Walker::new(nodes.len());
        let mut rows = vec![Vec::new(); x.len()];
        add_interactions(nodes, run.inputs, y.id, &mut walker, &mut rows);
        from_rows(rows, x.len())
    })
}

/// The union of two patterns of the same shape (for code traced at points of different
/// branches).
///
/// # Panics
/// If the shapes differ.
///
/// ```
/// use dualgrad::sparse::union;
/// use dualgrad::nalgebra_sparse::pattern::SparsityPattern;
/// let a = SparsityPattern::try_from_offsets_and_indices(2, 2, vec![0, 1, 1], vec![0]).unwrap();
/// let b = SparsityPattern::try_from_offsets_and_indices(2, 2, vec![0, 1, 2], vec![1, 1]).unwrap();
/// let u = union(&a, &b);
/// assert_eq!(u.entries().collect::<Vec<_>>(), [(0, 0), (0, 1), (1, 1)]);
/// ```
pub fn union(a: &SparsityPattern, b: &SparsityPattern) -> SparsityPattern {
    assert!(
        a.major_dim() == b.major_dim() && a.minor_dim() == b.minor_dim(),
        "patterns of different shapes: {}×{} and {}×{}",
        a.major_dim(),
        a.minor_dim(),
        b.major_dim(),
        b.minor_dim()
    );
    let rows = (0..a.major_dim())
        .map(|i| [a.lane(i), b.lane(i)].concat())
        .collect();
    from_rows(rows, a.minor_dim())
}
