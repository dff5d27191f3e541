//! Sparse derivatives: traced patterns against the nonzeros of the dense derivatives, the
//! colourings against their definitions (checked by brute force), compressed Jacobians and sums
//! of terms against the dense entry points, and the size envelope (N = 2,000 in a 2 MiB thread).
//!
//! Random sparse functions are built from a structure drawn from a seed: a list of edges
//! `(output, j, k, kind)`, each adding `φ_kind(x_j, x_k)` to its output, on banded, arrow,
//! block-diagonal and random structures. The structure is known by construction, so the traced
//! pattern is compared both with it and with the nonzeros of the dense result.

use crate::common::{check_n, close};
use dualgrad::nalgebra_sparse::pattern::SparsityPattern;
use dualgrad::sparse::{
    AutoJacobian, JacobianMatrix, SliceFn, SparseError, SparseJacobian, SparseSum, Storage,
    TermSum, Trace, column_colouring, hessian_pattern, jacobian_pattern, star_colouring,
    star_sources, union,
};
use dualgrad::{Scalar, gradient, hessian, hvp, jacobian};
use nalgebra::{DMatrix, SMatrix, SVector};
use quickcheck::TestResult;
use std::collections::BTreeSet;

const N: usize = 12;

/// splitmix64: a small seeded stream for structures and points.
struct Stream(u64);
impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The interaction of one edge: every kind is nonlinear in both arguments except `Linear`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Product,
    SinTimes,
    ExpDifference,
    Quotient,
    Linear,
}

#[derive(Clone, Debug)]
struct Edge {
    out: usize,
    j: usize,
    k: usize,
    kind: Kind,
    c: f64,
}

fn phi<T: Scalar>(e: &Edge, x: &[T]) -> T {
    let (a, b) = (x[e.j], x[e.k]);
    let v = match e.kind {
        Kind::Product => a * b,
        Kind::SinTimes => a.sin() * b,
        Kind::ExpDifference => (a - b * 0.5).exp(),
        Kind::Quotient => a / (b * b + 1.0),
        Kind::Linear => a * 2.0 - b,
    };
    v * e.c
}

/// A random sparse map `Rᴺ → Rᴺ` (and, summed, an objective) of a given structure.
#[derive(Clone, Debug)]
struct Random {
    edges: Vec<Edge>,
}

impl SliceFn for Random {
    fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
        for e in &self.edges {
            y[e.out] += phi(e, x);
        }
    }
}

/// The same edges as the terms of a sum.
impl TermSum for Random {
    fn terms(&self) -> usize {
        self.edges.len()
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        phi(&self.edges[i], x)
    }
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    Banded,
    Arrow,
    BlockDiagonal,
    Random,
}

fn random_function(seed: u64, shape: Shape) -> Random {
    let mut s = Stream(seed);
    let kinds = [
        Kind::Product,
        Kind::SinTimes,
        Kind::ExpDifference,
        Kind::Quotient,
        Kind::Linear,
    ];
    let mut edges = Vec::new();
    let count = N + s.below(2 * N);
    for _ in 0..count {
        let out = s.below(N);
        let (j, k) = match shape {
            Shape::Banded => {
                let half = 2;
                let lo = out.saturating_sub(half);
                let hi = (out + half).min(N - 1);
                (lo + s.below(hi - lo + 1), lo + s.below(hi - lo + 1))
            }
            Shape::Arrow => {
                if s.below(2) == 0 {
                    (0, s.below(N))
                } else {
                    (out, if s.below(2) == 0 { 0 } else { out })
                }
            }
            Shape::BlockDiagonal => {
                let start = (out / 4) * 4;
                (start + s.below(4), start + s.below(4))
            }
            Shape::Random => (s.below(N), s.below(N)),
        };
        let kind = kinds[s.below(kinds.len())];
        edges.push(Edge {
            out,
            j,
            k,
            kind,
            c: s.uniform(0.5, 1.5),
        });
    }
    Random { edges }
}

fn point(seed: u64) -> SVector<f64, N> {
    let mut s = Stream(seed ^ 0xA5A5);
    SVector::from_fn(|_, _| s.uniform(-1.5, 1.5))
}

fn dense_map<T: Scalar>(f: &Random, x: &SVector<T, N>) -> SVector<T, N> {
    let mut y = SVector::<T, N>::from_element(T::zero());
    f.eval(x.as_slice(), y.as_mut_slice());
    y
}

fn dense_sum<T: Scalar>(f: &Random, x: &SVector<T, N>) -> T {
    let mut s = T::zero();
    for i in 0..f.terms() {
        s += f.term(i, x.as_slice());
    }
    s
}

fn entries(p: &SparsityPattern) -> BTreeSet<(usize, usize)> {
    p.entries().collect()
}

/// The Jacobian structure by construction: output `out` depends on `j` and `k`.
fn structural_jacobian(f: &Random) -> BTreeSet<(usize, usize)> {
    f.edges
        .iter()
        .flat_map(|e| [(e.out, e.j), (e.out, e.k)])
        .collect()
}

/// The Hessian structure of the sum by construction: nonlinear kinds couple `j` and `k` (and
/// each with itself, except the product's diagonal when `j ≠ k`).
fn structural_hessian(f: &Random) -> BTreeSet<(usize, usize)> {
    let mut s = BTreeSet::new();
    for e in &f.edges {
        let (j, k) = (e.j, e.k);
        match e.kind {
            Kind::Linear => {}
            Kind::Product => {
                s.extend([(j, k), (k, j)]);
            }
            Kind::SinTimes | Kind::Quotient => {
                // sin(a)·b: (a, a), (a, b); a / (b² + 1): (a, b), (b, b)
                s.extend([(j, k), (k, j)]);
                s.insert(if e.kind == Kind::SinTimes {
                    (j, j)
                } else {
                    (k, k)
                });
            }
            Kind::ExpDifference => {
                s.extend([(j, j), (j, k), (k, j), (k, k)]);
            }
        }
    }
    s
}

const SHAPES: [Shape; 4] = [
    Shape::Banded,
    Shape::Arrow,
    Shape::BlockDiagonal,
    Shape::Random,
];

#[test]
fn jacobian_pattern_is_the_structure_and_holds_every_dense_nonzero() {
    fn prop(seed: u64, shape: u8) -> TestResult {
        let f = random_function(seed, SHAPES[usize::from(shape % 4)]);
        let x = point(seed);
        let p = jacobian_pattern(|x: &[Trace], y: &mut [Trace]| f.eval(x, y), x.as_slice(), N);
        let got = entries(&p);
        if got != structural_jacobian(&f) {
            return TestResult::error(format!("pattern {got:?}"));
        }
        let (_, j) = jacobian(|x| dense_map(&f, x), &x);
        for r in 0..N {
            for c in 0..N {
                if j[(r, c)] != 0.0 && !got.contains(&(r, c)) {
                    return TestResult::error(format!("missed ({r}, {c}) = {}", j[(r, c)]));
                }
            }
        }
        TestResult::passed()
    }
    check_n(300, prop as fn(u64, u8) -> TestResult);
}

#[test]
fn hessian_pattern_is_the_structure_and_holds_every_dense_nonzero() {
    fn prop(seed: u64, shape: u8) -> TestResult {
        let f = random_function(seed, SHAPES[usize::from(shape % 4)]);
        let x = point(seed);
        let p = hessian_pattern(|x: &[Trace]| f.value_traced(x), x.as_slice());
        let got = entries(&p);
        if got != structural_hessian(&f) {
            return TestResult::error(format!(
                "pattern {got:?}, structure {:?}",
                structural_hessian(&f)
            ));
        }
        let (_, _, h) = hessian(|x| dense_sum(&f, x), &x);
        for r in 0..N {
            for c in 0..N {
                if h[(r, c)] != 0.0 && !got.contains(&(r, c)) {
                    return TestResult::error(format!("missed ({r}, {c}) = {}", h[(r, c)]));
                }
            }
        }
        TestResult::passed()
    }
    check_n(300, prop as fn(u64, u8) -> TestResult);
}

impl Random {
    fn value_traced(&self, x: &[Trace]) -> Trace {
        (0..self.terms()).map(|i| self.term(i, x)).sum()
    }
}

/// Columns of one colour share no row: checked over every pair of rows' entries.
fn is_column_colouring(p: &SparsityPattern, colours: &[usize]) -> bool {
    (0..p.major_dim()).all(|r| {
        let row = p.lane(r);
        row.iter()
            .all(|&a| row.iter().all(|&b| a == b || colours[a] != colours[b]))
    })
}

/// A proper colouring with no path on four vertices in two colours: checked over every path.
fn is_star_colouring(p: &SparsityPattern, colours: &[usize]) -> bool {
    let nb = |v: usize| p.lane(v).iter().copied().filter(move |&w| w != v);
    for a in 0..p.major_dim() {
        for b in nb(a) {
            if colours[a] == colours[b] {
                return false;
            }
            for c in nb(b).filter(|&c| c != a) {
                for d in nb(c).filter(|&d| d != b && d != a) {
                    if colours[a] == colours[c] && colours[b] == colours[d] {
                        return false;
                    }
                }
            }
        }
    }
    true
}

#[test]
fn colourings_meet_their_definitions_and_recover_a_random_symmetric_matrix() {
    fn prop(seed: u64, shape: u8) -> TestResult {
        let f = random_function(seed, SHAPES[usize::from(shape % 4)]);
        let x = point(seed);
        let jp = jacobian_pattern(|x: &[Trace], y: &mut [Trace]| f.eval(x, y), x.as_slice(), N);
        let cc = column_colouring(&jp);
        if !is_column_colouring(&jp, cc.colours()) {
            return TestResult::error("column colouring shares a row");
        }
        if column_colouring(&jp) != cc {
            return TestResult::error("column colouring not deterministic");
        }
        let hp = hessian_pattern(|x: &[Trace]| f.value_traced(x), x.as_slice());
        let sc = star_colouring(&hp);
        if !is_star_colouring(&hp, sc.colours()) {
            return TestResult::error(format!("not a star colouring: {:?}", sc.colours()));
        }
        // a random symmetric matrix on the pattern, compressed and recovered
        let mut s = Stream(seed ^ 7);
        let mut h = DMatrix::<f64>::zeros(N, N);
        for (i, j) in hp.entries() {
            if i <= j {
                let v = s.uniform(-2.0, 2.0);
                h[(i, j)] = v;
                h[(j, i)] = v;
            }
        }
        let k = sc.count();
        let seeds = DMatrix::from_fn(N, k, |i, c| f64::from(u8::from(sc.colours()[i] == c)));
        let b = &h * seeds;
        let b_row_major: Vec<f64> = (0..N)
            .flat_map(|i| (0..k).map(move |c| (i, c)))
            .map(|(i, c)| b[(i, c)])
            .collect();
        for ((i, j), src) in hp.entries().zip(star_sources(&hp, &sc)) {
            if b_row_major[src] != h[(i, j)] {
                return TestResult::error(format!("({i}, {j}) recovered wrong"));
            }
        }
        TestResult::passed()
    }
    check_n(300, prop as fn(u64, u8) -> TestResult);
}

#[test]
fn colour_counts_on_known_patterns() {
    // tridiagonal: 3 column colours and 3 star colours; an arrow: N column colours, 2 star colours
    let tri = |n: usize| {
        let rows: Vec<Vec<usize>> = (0..n)
            .map(|i| (i.saturating_sub(1)..(i + 2).min(n)).collect())
            .collect();
        pattern_of(rows, n)
    };
    let arrow = |n: usize| {
        let rows = (0..n)
            .map(|i| if i == 0 { (0..n).collect() } else { vec![0, i] })
            .collect();
        pattern_of(rows, n)
    };
    assert_eq!(column_colouring(&tri(50)).count(), 3);
    assert_eq!(star_colouring(&tri(50)).count(), 3);
    assert_eq!(column_colouring(&arrow(50)).count(), 50);
    assert_eq!(star_colouring(&arrow(50)).count(), 2);
}

fn pattern_of(rows: Vec<Vec<usize>>, n: usize) -> SparsityPattern {
    let mut offsets = vec![0];
    let mut indices = Vec::new();
    for r in &rows {
        indices.extend_from_slice(r);
        offsets.push(indices.len());
    }
    SparsityPattern::try_from_offsets_and_indices(rows.len(), n, offsets, indices).unwrap()
}

fn close_rel(what: &str, got: f64, want: f64) -> Result<(), String> {
    close(what, got, want, 1e-13, 1e-13)
}

#[test]
fn sparse_jacobian_equals_the_dense_one() {
    fn prop(seed: u64, shape: u8) -> TestResult {
        let f = random_function(seed, SHAPES[usize::from(shape % 4)]);
        let x0 = point(seed);
        let mut sj = SparseJacobian::new(&f, x0.as_slice(), N);
        // built at one point, used at another
        let x = point(seed.wrapping_add(1));
        let (yd, jd) = jacobian(|x| dense_map(&f, x), &x);
        let mut y = [0.0; N];
        let mut dense = DMatrix::zeros(N, N);
        sj.jacobian_dense(x.as_slice(), &mut y, &mut dense).unwrap();
        for r in 0..N {
            if let Err(e) = close_rel("y", y[r], yd[r]) {
                return TestResult::error(e);
            }
            for c in 0..N {
                if let Err(e) = close_rel(&format!("J[{r}, {c}]"), dense[(r, c)], jd[(r, c)]) {
                    return TestResult::error(e);
                }
            }
        }
        TestResult::passed()
    }
    check_n(300, prop as fn(u64, u8) -> TestResult);
}

#[test]
fn sparse_sum_equals_the_dense_gradient_hessian_and_hvp() {
    fn prop(seed: u64, shape: u8) -> TestResult {
        let f = random_function(seed, SHAPES[usize::from(shape % 4)]);
        let mut sum = SparseSum::new(&f, point(seed).as_slice());
        let x = point(seed.wrapping_add(1));
        let v = point(seed.wrapping_add(2));
        let (fd, gd) = gradient(|x| dense_sum(&f, x), &x);
        let (_, _, hd) = hessian(|x| dense_sum(&f, x), &x);
        let (_, _, hvd) = hvp(|x| dense_sum(&f, x), &x, &v);
        let (mut g, mut g2, mut g3, mut hv) = ([0.0; N], [0.0; N], [0.0; N], [0.0; N]);
        let mut h = DMatrix::zeros(N, N);
        let f1 = sum.gradient(x.as_slice(), &mut g).unwrap();
        let f2 = sum.hessian_dense(x.as_slice(), &mut g2, &mut h).unwrap();
        let f3 = sum
            .hvp(x.as_slice(), v.as_slice(), &mut g3, &mut hv)
            .unwrap();
        let mut checks = vec![
            close_rel("f", f1, fd),
            close_rel("f (hessian)", f2, fd),
            close_rel("f (hvp)", f3, fd),
        ];
        for i in 0..N {
            checks.push(close_rel("g", g[i], gd[i]));
            checks.push(close_rel("g (hessian)", g2[i], gd[i]));
            checks.push(close_rel("g (hvp)", g3[i], gd[i]));
            checks.push(close_rel("hv", hv[i], hvd[i]));
            for j in 0..N {
                checks.push(close_rel(&format!("H[{i}, {j}]"), h[(i, j)], hd[(i, j)]));
                if h[(i, j)] != h[(j, i)] {
                    checks.push(Err(format!("H not symmetric at ({i}, {j})")));
                }
            }
        }
        match checks.into_iter().find(Result::is_err) {
            Some(Err(e)) => TestResult::error(e),
            _ => TestResult::passed(),
        }
    }
    check_n(300, prop as fn(u64, u8) -> TestResult);
}

/// The random functions summed into one term: a general function, whose Hessian comes from a
/// star colouring when that takes fewer passes than the 12 colours of its one term.
struct OneTerm(Random);
impl TermSum for OneTerm {
    fn terms(&self) -> usize {
        1
    }
    fn term<T: Scalar>(&self, _: usize, x: &[T]) -> T {
        let mut s = T::zero();
        for e in &self.0.edges {
            s += phi(e, x);
        }
        s
    }
}

#[test]
fn star_coloured_hessian_of_one_term_equals_the_dense_one() {
    fn prop(seed: u64, shape: u8) -> TestResult {
        let f = OneTerm(random_function(seed, SHAPES[usize::from(shape % 4)]));
        let mut sum = SparseSum::new(&f, point(seed).as_slice());
        let star = star_colouring(sum.hessian_pattern()).count();
        let by_terms = sum.colours().div_ceil(8);
        let expected =
            if by_terms > 1 && N.div_ceil(8) * star.div_ceil(8) < by_terms * (by_terms + 1) / 2 {
                N.div_ceil(8) * star.div_ceil(8)
            } else {
                sum.passes() * (sum.passes() + 1) / 2
            };
        if sum.hessian_passes() != expected {
            return TestResult::error(format!(
                "{} passes, expected {expected}",
                sum.hessian_passes()
            ));
        }
        let x = point(seed.wrapping_add(1));
        let (fd, gd, hd) = hessian(|x| f.term(0, x.as_slice()), &x);
        let mut g = [0.0; N];
        let mut h = DMatrix::zeros(N, N);
        let value = sum.hessian_dense(x.as_slice(), &mut g, &mut h).unwrap();
        let mut checks = vec![close_rel("f", value, fd)];
        for i in 0..N {
            checks.push(close_rel("g", g[i], gd[i]));
            for j in 0..N {
                checks.push(close_rel(&format!("H[{i}, {j}]"), h[(i, j)], hd[(i, j)]));
                if h[(i, j)] != h[(j, i)] {
                    checks.push(Err(format!("H not symmetric at ({i}, {j})")));
                }
            }
        }
        match checks.into_iter().find(Result::is_err) {
            Some(Err(e)) => TestResult::error(e),
            _ => TestResult::passed(),
        }
    }
    check_n(300, prop as fn(u64, u8) -> TestResult);
}

/// A banded function of 40 variables as one term: the star colouring (at most 8 colours) takes
/// ⌈40 / 8⌉ = 5 passes, the term's 40 colours 15.
#[test]
fn one_banded_term_takes_the_star_path() {
    struct Banded;
    impl TermSum for Banded {
        fn terms(&self) -> usize {
            1
        }
        fn term<T: Scalar>(&self, _: usize, x: &[T]) -> T {
            let mut s = T::zero();
            for i in 0..x.len() - 2 {
                s += (x[i] * x[i + 2]).sin() + x[i + 1].powi(3);
            }
            s
        }
    }
    let x = SVector::<f64, 40>::from_fn(|i, _| 0.3 * (i as f64).cos());
    let mut sum = SparseSum::new(Banded, x.as_slice());
    assert_eq!(sum.hessian_passes(), 5);
    let (_, gd, hd) =
        dualgrad::hessian_chunked(|x| Banded.term(0, x.as_slice()), &x, dualgrad::Chunk::<8>);
    let mut g = [0.0; 40];
    let mut h = DMatrix::zeros(40, 40);
    sum.hessian_dense(x.as_slice(), &mut g, &mut h).unwrap();
    for i in 0..40 {
        close_rel("g", g[i], gd[i]).unwrap();
        for j in 0..40 {
            close_rel("H", h[(i, j)], hd[(i, j)]).unwrap();
        }
    }
}

/// Σ (x_{i} + … + x_{i+w−1})³ over windows of width 12: 12 colours, more than one jet width
/// (8), so the gradient takes 2 passes and the Hessian 3 pairs of colour blocks.
struct Windows {
    n: usize,
}
impl TermSum for Windows {
    fn terms(&self) -> usize {
        self.n - 11
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        let s: T = x[i..i + 12].iter().copied().sum();
        s.powi(3) * 0.01
    }
}

#[test]
fn several_blocks_of_colours_match_the_dense_results() {
    const M: usize = 20;
    let f = Windows { n: M };
    let x = SVector::<f64, M>::from_fn(|i, _| 0.1 * (i as f64).cos());
    let mut sum = SparseSum::new(&f, x.as_slice());
    assert_eq!((sum.colours(), sum.passes()), (12, 2));
    fn dense<T: Scalar>(x: &SVector<T, M>) -> T {
        let f = Windows { n: M };
        let mut s = T::zero();
        for i in 0..f.terms() {
            s += f.term(i, x.as_slice());
        }
        s
    }
    let (_, gd, hd): (f64, SVector<f64, M>, SMatrix<f64, M, M>) =
        dualgrad::hessian_chunked(dense, &x, dualgrad::Chunk::<4>);
    let v = SVector::<f64, M>::from_fn(|i, _| 1.0 - 0.05 * i as f64);
    let (_, _, hvd) = hvp(dense, &x, &v);
    let (mut g, mut g2, mut hv) = ([0.0; M], [0.0; M], [0.0; M]);
    let mut h = DMatrix::zeros(M, M);
    sum.hessian_dense(x.as_slice(), &mut g, &mut h).unwrap();
    sum.hvp(x.as_slice(), v.as_slice(), &mut g2, &mut hv)
        .unwrap();
    for i in 0..M {
        close_rel("g", g[i], gd[i]).unwrap();
        close_rel("g (hvp)", g2[i], gd[i]).unwrap();
        close_rel("hv", hv[i], hvd[i]).unwrap();
        for j in 0..M {
            close_rel("H", h[(i, j)], hd[(i, j)]).unwrap();
        }
    }
}

/// yᵢ = xᵢ² + ½ xᵢ₋₂ xᵢ₊₂ + xᵢ₋₁ − xᵢ₊₁ (missing neighbours left out): half-bandwidth 2.
struct Band;
impl SliceFn for Band {
    fn eval<T: Scalar>(&self, x: &[T], y: &mut [T]) {
        let n = x.len();
        for i in 0..n {
            let mut v = x[i] * x[i];
            if i >= 2 && i + 2 < n {
                v += x[i - 2] * x[i + 2] * 0.5;
            }
            if i >= 1 {
                v += x[i - 1];
            }
            if i + 1 < n {
                v -= x[i + 1];
            }
            y[i] = v;
        }
    }
}

fn in_small_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn banded_2000_jacobian_in_at_most_5_passes_in_a_2_mib_thread() {
    in_small_thread(|| {
        let n = 2000;
        let x: Vec<f64> = (0..n).map(|i| 0.5 + 0.3 * (i as f64).sin()).collect();
        let mut jac = SparseJacobian::new(Band, &x, n);
        assert_eq!(jac.colours(), 5);
        assert!(jac.passes() <= 5, "{} passes", jac.passes());
        let mut y = vec![0.0; n];
        let j = jac.jacobian(&x, &mut y).unwrap();
        assert_eq!(j.nnz(), 5 * n - 6 - 2 * 2);
        for (r, c, &v) in j.triplet_iter() {
            let want = if r == c {
                2.0 * x[r]
            } else if c + 2 == r {
                0.5 * x[r + 2]
            } else if r + 2 == c {
                0.5 * x[r - 2]
            } else if c + 1 == r {
                1.0
            } else {
                -1.0
            };
            assert_eq!(v, want, "J[{r}, {c}]");
        }
    });
}

/// The chained Rosenbrock function as a sum of terms.
struct Rosenbrock {
    n: usize,
}
impl TermSum for Rosenbrock {
    fn terms(&self) -> usize {
        self.n - 1
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        let a = -x[i] + 1.0;
        let b = x[i + 1] - x[i] * x[i];
        a * a + b * b * 100.0
    }
}

#[test]
fn sparse_rosenbrock_hessian_at_2000_in_a_2_mib_thread() {
    in_small_thread(|| {
        let n = 2000;
        let x: Vec<f64> = (0..n).map(|i| 0.5 + 0.3 * (i as f64).sin()).collect();
        let mut sum = SparseSum::new(Rosenbrock { n }, &x);
        assert_eq!((sum.colours(), sum.passes()), (2, 1));
        let mut g = vec![0.0; n];
        let (_, h) = sum.hessian(&x, &mut g).unwrap();
        assert_eq!(h.nnz(), 3 * n - 2);
        // closed forms, written out here
        for (i, j, &v) in h.triplet_iter() {
            let want = if i == j {
                let mut d = 0.0;
                if i + 1 < n {
                    d += 2.0 - 400.0 * x[i + 1] + 1200.0 * x[i] * x[i];
                }
                if i > 0 {
                    d += 200.0;
                }
                d
            } else {
                -400.0 * x[i.min(j)]
            };
            close("H", v, want, 1e-12, 1e-12).unwrap();
        }
        for i in 0..n {
            let mut want = 0.0;
            if i + 1 < n {
                want += -2.0 * (1.0 - x[i]) - 400.0 * x[i] * (x[i + 1] - x[i] * x[i]);
            }
            if i > 0 {
                want += 200.0 * (x[i] - x[i - 1] * x[i - 1]);
            }
            close("g", g[i], want, 1e-12, 1e-12).unwrap();
        }
    });
}

/// Branches follow the values at the traced point; the union covers both.
#[test]
fn patterns_follow_the_branch_taken() {
    fn f<T: Scalar>(x: &[T]) -> T {
        if x[0] > T::zero() {
            x[0] * x[1]
        } else {
            x[2].exp()
        }
    }
    let pos = hessian_pattern(|x: &[Trace]| f(x), &[1.0, 1.0, 1.0]);
    let neg = hessian_pattern(|x: &[Trace]| f(x), &[-1.0, 1.0, 1.0]);
    assert_eq!(entries(&pos), BTreeSet::from([(0, 1), (1, 0)]));
    assert_eq!(entries(&neg), BTreeSet::from([(2, 2)]));
    assert_eq!(
        entries(&union(&pos, &neg)),
        BTreeSet::from([(0, 1), (1, 0), (2, 2)])
    );
}

/// Operations among constants record nothing; a traced zero still depends on its inputs; a
/// value that does not reach the output adds nothing.
#[test]
fn constants_and_dead_values() {
    let p = hessian_pattern(
        |x: &[Trace]| {
            let dead = x[0] * x[1];
            let _ = dead;
            let c = nalgebra::ComplexField::sin(Trace::constant(2.0)) * 3.0;
            (x[2] - x[2]) * x[3] + c
        },
        &[1.0; 4],
    );
    assert_eq!(entries(&p), BTreeSet::from([(2, 3), (3, 2)]));
}

#[test]
fn wrong_lengths_are_errors() {
    let mut sum = SparseSum::new(Rosenbrock { n: 4 }, &[0.0; 4]);
    let err = sum.gradient(&[0.0; 3], &mut [0.0; 4]).unwrap_err();
    assert_eq!(
        err,
        SparseError::Length {
            what: "x",
            expected: 4,
            found: 3
        }
    );
    assert!(err.to_string().contains("x has 3 entries"));
    let mut jac = SparseJacobian::new(Band, &[0.0; 6], 6);
    assert!(jac.jacobian(&[0.0; 6], &mut [0.0; 5]).is_err());
    let mut small = DMatrix::zeros(5, 6);
    assert!(
        jac.jacobian_dense(&[0.0; 6], &mut [0.0; 6], &mut small)
            .is_err()
    );
}

#[test]
fn auto_jacobian_picks_the_storage_by_density_and_equals_the_dense_jacobian() {
    let threshold = AutoJacobian::<&Random>::DENSITY_THRESHOLD;
    let mut seen = [0usize; 2];
    for seed in 0..150u64 {
        for shape in SHAPES {
            let f = random_function(seed, shape);
            let x0 = point(seed);
            let mut auto = AutoJacobian::new(&f, x0.as_slice(), N);
            let nnz = jacobian_pattern(|x, y| f.eval(x, y), x0.as_slice(), N).nnz();
            let density = nnz as f64 / (N * N) as f64;
            assert_eq!(auto.density(), density);
            let want = if density > threshold {
                Storage::Dense
            } else {
                Storage::Sparse
            };
            assert_eq!(auto.storage(), want, "density {density}");
            seen[usize::from(want == Storage::Dense)] += 1;
            // built at one point, used at another, against the dense forward-mode Jacobian
            let x = point(seed.wrapping_add(1));
            let (yd, jd) = jacobian(|x| dense_map(&f, x), &x);
            let mut y = [0.0; N];
            let j = auto.jacobian(x.as_slice(), &mut y).unwrap();
            assert_eq!(
                matches!(j, JacobianMatrix::Dense(_)),
                want == Storage::Dense
            );
            let v: Vec<f64> = (0..N).map(|i| 1.0 - 0.1 * i as f64).collect();
            let mut jv = [0.0; N];
            j.mul_into(&v, &mut jv);
            let jv_dense = jd * SVector::<f64, N>::from_column_slice(&v);
            for r in 0..N {
                close_rel("y", y[r], yd[r]).unwrap();
                close("J v", jv[r], jv_dense[r], 1e-12, 1e-12).unwrap();
                for c in 0..N {
                    close_rel(&format!("J[{r}, {c}]"), j.get(r, c), jd[(r, c)]).unwrap();
                }
            }
        }
    }
    // both sides of the threshold were exercised
    assert!(
        seen[0] > 50 && seen[1] > 50,
        "sparse {}, dense {}",
        seen[0],
        seen[1]
    );
}

#[test]
fn auto_jacobian_thresholds_force_either_storage() {
    let f = random_function(7, Shape::Banded);
    let x = point(7);
    assert_eq!(
        AutoJacobian::with_threshold(&f, x.as_slice(), N, 0.0).storage(),
        Storage::Dense
    );
    assert_eq!(
        AutoJacobian::with_threshold(&f, x.as_slice(), N, 1.0).storage(),
        Storage::Sparse
    );
    assert_eq!(Storage::Dense.to_string(), "dense");
    let mut auto = AutoJacobian::new(&f, x.as_slice(), N);
    assert!(matches!(
        auto.jacobian(&[0.0; 3], &mut [0.0; N]),
        Err(SparseError::Length { what: "x", .. })
    ));
}

/// Σ ‖(xᵢ, xᵢ₊₁)‖: where a pair is at the origin its gradient is 0 and its Hessian `∞` on the
/// diagonal, `0` off it (the norm's convention). The compressed passes must give the dense
/// forward-mode results there too, infinities and zeros alike, not NaN from mixing colours.
struct PairNorms;

impl TermSum for PairNorms {
    fn terms(&self) -> usize {
        5
    }
    fn term<T: Scalar>(&self, i: usize, x: &[T]) -> T {
        (x[i] * x[i] + x[i + 1] * x[i + 1]).sqrt()
    }
}

#[test]
fn sums_at_points_of_infinite_curvature_match_the_dense_results() {
    fn dense<T: Scalar>(x: &SVector<T, 6>) -> T {
        (0..5).fold(T::zero(), |s, i| {
            s + (x[i] * x[i] + x[i + 1] * x[i + 1]).sqrt()
        })
    }
    // pairs (0, 1) and (1, 2) at the origin, (4, 5) at the origin, the others not
    let x = SVector::<f64, 6>::from([0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    let (fd, gd) = gradient(dense, &x);
    let (_, _, hd) = hessian(dense, &x);
    assert!(
        hd.iter().any(|v| v.is_infinite()),
        "the point has infinite curvature"
    );
    let mut sum = SparseSum::new(PairNorms, x.as_slice());
    let (mut g, mut g2) = ([f64::NAN; 6], [f64::NAN; 6]);
    let mut h = DMatrix::zeros(6, 6);
    assert_eq!(sum.gradient(x.as_slice(), &mut g).unwrap(), fd);
    assert_eq!(
        sum.hessian_dense(x.as_slice(), &mut g2, &mut h).unwrap(),
        fd
    );
    let v = SVector::<f64, 6>::from([1.0, -2.0, 0.5, 1.0, 0.0, 3.0]);
    let (_, _, hvd) = hvp(dense, &x, &v);
    let (mut g3, mut hv) = ([f64::NAN; 6], [f64::NAN; 6]);
    let f3 = sum.hvp(x.as_slice(), v.as_slice(), &mut g3, &mut hv);
    assert_eq!(f3.unwrap(), fd);
    let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    for i in 0..6 {
        assert!(
            same(g[i], gd[i]) && same(g2[i], gd[i]) && same(g3[i], gd[i]),
            "g[{i}]: {} / {} / {} vs {}",
            g[i],
            g2[i],
            g3[i],
            gd[i]
        );
        assert!(same(hv[i], hvd[i]), "Hv[{i}]: {} vs {}", hv[i], hvd[i]);
        for j in 0..6 {
            assert!(
                same(h[(i, j)], hd[(i, j)]),
                "H[{i}, {j}]: {} vs {}",
                h[(i, j)],
                hd[(i, j)]
            );
        }
    }
}

/// The star-coloured path at points of infinite curvature: one banded term
/// `Σ ‖(xᵢ, xᵢ₊₂)‖ + xᵢ₊₁³` over 40 variables (so the star colouring's passes are fewer than the
/// term's own), with three pairs at the origin. Gradient, Hessian and `H v` must be the dense
/// forward-mode results there, infinities and zeros alike.
#[test]
fn star_path_at_points_of_infinite_curvature_matches_the_dense_results() {
    struct BandedNorms;
    impl TermSum for BandedNorms {
        fn terms(&self) -> usize {
            1
        }
        fn term<T: Scalar>(&self, _: usize, x: &[T]) -> T {
            let mut s = T::zero();
            for i in 0..x.len() - 2 {
                s += (x[i] * x[i] + x[i + 2] * x[i + 2]).sqrt() + x[i + 1].powi(3);
            }
            s
        }
    }
    // pairs (10, 12), (12, 14) and (30, 32) at the origin
    let x = SVector::<f64, 40>::from_fn(|i, _| match i {
        10 | 12 | 14 | 30 | 32 => 0.0,
        _ => 0.5 + 0.3 * (i as f64).cos(),
    });
    let mut sum = SparseSum::new(BandedNorms, x.as_slice());
    assert!(sum.hessian_passes() < 40, "{} passes", sum.hessian_passes());
    fn dense<T: Scalar>(x: &SVector<T, 40>) -> T {
        BandedNorms.term(0, x.as_slice())
    }
    let (fd, gd, hd) = dualgrad::hessian_chunked(dense, &x, dualgrad::Chunk::<8>);
    assert!(hd.iter().any(|v| v.is_infinite()), "infinite curvature");
    let v = SVector::<f64, 40>::from_fn(|i, _| 1.0 - 0.05 * i as f64);
    let (_, _, hvd) = dualgrad::hvp_chunked(dense, &x, &v, dualgrad::Chunk::<8>);
    let (mut g, mut g2, mut g3, mut hv) = ([0.0; 40], [0.0; 40], [0.0; 40], [0.0; 40]);
    let mut h = DMatrix::zeros(40, 40);
    let f1 = sum.gradient(x.as_slice(), &mut g).unwrap();
    let f2 = sum.hessian_dense(x.as_slice(), &mut g2, &mut h).unwrap();
    let f3 = sum
        .hvp(x.as_slice(), v.as_slice(), &mut g3, &mut hv)
        .unwrap();
    let agree = |what: &str, a: f64, b: f64| {
        if a.is_finite() && b.is_finite() {
            close_rel(what, a, b).unwrap();
        } else {
            assert!(a == b || (a.is_nan() && b.is_nan()), "{what}: {a} vs {b}");
        }
    };
    for f in [f1, f2, f3] {
        agree("f", f, fd);
    }
    for i in 0..40 {
        agree(&format!("g[{i}]"), g[i], gd[i]);
        agree(&format!("g2[{i}]"), g2[i], gd[i]);
        agree(&format!("g3[{i}]"), g3[i], gd[i]);
        agree(&format!("Hv[{i}]"), hv[i], hvd[i]);
        for j in 0..40 {
            agree(&format!("H[{i},{j}]"), h[(i, j)], hd[(i, j)]);
        }
    }
}
