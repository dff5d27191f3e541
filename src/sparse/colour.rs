//! Colourings of sparsity patterns: which columns can share one forward pass.
//!
//! Both colourings are greedy in the natural order of the columns (`0, 1, 2, ...`), each column
//! taking the smallest colour its constraints allow, so they are deterministic: the same pattern
//! gives the same colours on every run and platform. For a banded pattern of half-bandwidth `k`
//! the column colouring uses `2k + 1` colours, the fewest possible.

use nalgebra_sparse::pattern::SparsityPattern;

/// A colour per column, and how many colours there are.
///
/// ```
/// use dualgrad::sparse::{Colouring, column_colouring};
/// use dualgrad::nalgebra_sparse::pattern::SparsityPattern;
/// // rows {0, 1}, {1, 2}, {2, 3}: columns sharing a row need different colours
/// let p = SparsityPattern::try_from_offsets_and_indices(3, 4, vec![0, 2, 4, 6], vec![0, 1, 1, 2, 2, 3])
///     .unwrap();
/// let c: Colouring = column_colouring(&p);
/// assert_eq!(c.colours(), &[0, 1, 0, 1]);
/// assert_eq!(c.count(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Colouring {
    colours: Vec<usize>,
    count: usize,
}

impl Colouring {
    /// The colour of each column, in `0..count()`.
    pub fn colours(&self) -> &[usize] {
        &self.colours
    }

    /// The number of colours: the number of directions one compressed evaluation seeds.
    pub fn count(&self) -> usize {
        self.count
    }

    fn from_colours(colours: Vec<usize>) -> Self {
        let count = colours.iter().map(|&c| c + 1).max().unwrap_or(0);
        Self { colours, count }
    }
}

/// The smallest colour `c` with `forbidden[c] != mark`.
fn smallest_free(forbidden: &mut Vec<usize>, mark: usize) -> usize {
    let c = forbidden
        .iter()
        .position(|&f| f != mark)
        .unwrap_or(forbidden.len());
    if c == forbidden.len() {
        forbidden.push(usize::MAX);
    }
    c
}

/// Column colouring of a Jacobian pattern (distance-2 colouring of its column graph): two
/// columns that have a nonzero in the same row get different colours. The columns of one colour
/// are structurally orthogonal, so seeding one direction per colour (the sum of its columns'
/// unit vectors) gives every nonzero `J[i, j]` exactly as entry `(i, colour(j))` of the
/// compressed product `J S` (Curtis, Powell and Reid).
///
/// The row of the pattern is the major dimension (row-major, as
/// [`jacobian_pattern`](super::jacobian_pattern) returns it).
pub fn column_colouring(pattern: &SparsityPattern) -> Colouring {
    let n = pattern.minor_dim();
    let by_column = pattern.transpose();
    let mut colours = vec![usize::MAX; n];
    // forbidden[c] == j + 1: colour c is taken by a neighbour of column j
    let mut forbidden: Vec<usize> = Vec::new();
    for j in 0..n {
        for &row in by_column.lane(j) {
            for &k in pattern.lane(row) {
                let c = colours[k];
                if c != usize::MAX {
                    forbidden[c] = j + 1;
                }
            }
        }
        colours[j] = smallest_free(&mut forbidden, j + 1);
    }
    Colouring::from_colours(colours)
}

/// Star colouring of a symmetric (Hessian) pattern: a proper colouring of its adjacency graph
/// (the off-diagonal entries) in which every path on four vertices uses at least three colours
/// (Gebremedhin, Manne and Pothen, "What color is your Jacobian?", SIAM Review 2005).
///
/// With one direction per colour, every nonzero of a symmetric `H` is read off the compressed
/// `B = H S` directly: `H[i, j] = B[i, colour(j)]` when `j` is the only neighbour of `i` of its
/// colour, otherwise `H[j, i] = B[j, colour(i)]` (the star property says one of the two holds);
/// see [`star_sources`]. A star colouring can need far fewer colours than the column colouring
/// of the same pattern: an arrow (one variable interacting with all) takes 2 against `N`.
///
/// # Panics
/// If the pattern is not square or not symmetric.
///
/// ```
/// use dualgrad::sparse::star_colouring;
/// use dualgrad::nalgebra_sparse::pattern::SparsityPattern;
/// // an arrow: x₀ interacts with everyone
/// let n = 5;
/// let mut offsets = vec![0];
/// let mut indices = Vec::new();
/// for i in 0..n {
///     if i == 0 { indices.extend(0..n) } else { indices.extend([0, i]) }
///     offsets.push(indices.len());
/// }
/// let p = SparsityPattern::try_from_offsets_and_indices(n, n, offsets, indices).unwrap();
/// assert_eq!(star_colouring(&p).count(), 2);
/// ```
pub fn star_colouring(pattern: &SparsityPattern) -> Colouring {
    let n = pattern.major_dim();
    assert_eq!(n, pattern.minor_dim(), "a Hessian pattern is square");
    assert!(
        pattern.transpose() == *pattern,
        "a Hessian pattern is symmetric"
    );
    let neighbours = |v: usize| pattern.lane(v).iter().copied().filter(move |&w| w != v);
    let none = usize::MAX;
    let mut colours = vec![none; n];
    let mut forbidden: Vec<usize> = Vec::new();
    for v in 0..n {
        let mark = v + 1;
        for w in neighbours(v) {
            let cw = colours[w];
            if cw == none {
                continue;
            }
            // proper colouring
            forbidden[cw] = mark;
            for x in neighbours(w) {
                let cx = colours[x];
                if x == v || cx == none {
                    continue;
                }
                // v at the end of a path v–w–x–y with colour(y) = colour(w): v may not take
                // colour(x)
                if neighbours(x).any(|y| y != w && colours[y] == cw) {
                    forbidden[cx] = mark;
                }
            }
        }
        // v inside a path w–v–x–y with colour(w) = colour(x): v may not take colour(y)
        for x in neighbours(v) {
            let cx = colours[x];
            if cx == none || !neighbours(v).any(|w| w != x && colours[w] == cx) {
                continue;
            }
            for y in neighbours(x) {
                if y != v && colours[y] != none {
                    forbidden[colours[y]] = mark;
                }
            }
        }
        colours[v] = smallest_free(&mut forbidden, mark);
    }
    Colouring::from_colours(colours)
}

/// For each stored entry of a symmetric pattern (in storage order), the position in the
/// compressed `B = H S` (row-major, `count` columns) that holds it under a star colouring.
///
/// # Panics
/// If the colouring is not a star colouring of the pattern (an entry no position holds alone).
pub fn star_sources(pattern: &SparsityPattern, colouring: &Colouring) -> Vec<usize> {
    let c = colouring.colours();
    let k = colouring.count();
    let n = pattern.major_dim();
    // how many of row i's entries have each colour
    let mut counts = vec![0_u32; n * k];
    for (i, j) in pattern.entries() {
        counts[i * k + c[j]] += 1;
    }
    // one source per unordered pair, so that the recovered matrix is exactly symmetric
    pattern
        .entries()
        .map(|(i, j)| {
            let (a, b) = (i.min(j), i.max(j));
            if counts[a * k + c[b]] == 1 {
                a * k + c[b]
            } else {
                assert!(
                    counts[b * k + c[a]] == 1,
                    "not a star colouring: entry ({i}, {j}) is not alone in its row or column"
                );
                b * k + c[a]
            }
        })
        .collect()
}
