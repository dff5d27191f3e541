//! What a user can get wrong when setting up a check.

use std::fmt;

/// A check that could not be set up: a bad box, tolerance, case count or name list.
///
/// Every variant names the offending value. A check that runs and finds a wrong derivative is
/// not an error of this kind: it is a [`CheckReport`](crate::check::CheckReport) with wrong rows, or a
/// [`FailingPoint`](crate::check::FailingPoint).
///
/// ```
/// use dualgrad::check::{CheckError, Checker};
/// use nalgebra::SVector;
///
/// let (lo, hi) = (SVector::from([0.0, 1.0]), SVector::from([1.0, -1.0]));
/// let err = Checker::<2>::new().random(&lo, &hi).unwrap_err();
/// assert_eq!(err, CheckError::InvertedBox { index: 1, lo: 1.0, hi: -1.0 });
/// assert_eq!(err.to_string(), "inverted box: lo[1] = 1 > hi[1] = -1");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum CheckError {
    /// `lo[index] == hi[index]`: the box has no width along `index`, so there is nothing to
    /// draw from it.
    ZeroWidthBox {
        /// The coordinate.
        index: usize,
        /// The common bound.
        value: f64,
    },
    /// `lo[index] > hi[index]`.
    InvertedBox {
        /// The coordinate.
        index: usize,
        /// The lower bound given.
        lo: f64,
        /// The upper bound given.
        hi: f64,
    },
    /// A bound is NaN or infinite.
    NonFiniteBound {
        /// The coordinate.
        index: usize,
        /// The lower bound given.
        lo: f64,
        /// The upper bound given.
        hi: f64,
    },
    /// A tolerance is negative or NaN (infinity is allowed: it switches that test off).
    InvalidTolerance {
        /// `"abs"` or `"rel"`.
        which: &'static str,
        /// The value given.
        value: f64,
    },
    /// A property check asked for zero random points.
    ZeroCases,
    /// The list of component names does not have one name per input.
    NamesLength {
        /// The number of inputs `N`.
        expected: usize,
        /// The number of names given.
        got: usize,
    },
    /// Two inputs were given the same name, so reports could not tell them apart.
    DuplicateName {
        /// The first input with the name (0-based).
        first: usize,
        /// The second input with the same name.
        second: usize,
    },
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::ZeroWidthBox { index, value } => write!(
                f,
                "zero-width box: lo[{index}] = hi[{index}] = {value}, there is nothing to sample"
            ),
            Self::InvertedBox { index, lo, hi } => {
                write!(f, "inverted box: lo[{index}] = {lo} > hi[{index}] = {hi}")
            }
            Self::NonFiniteBound { index, lo, hi } => write!(
                f,
                "box bounds must be finite: lo[{index}] = {lo}, hi[{index}] = {hi}"
            ),
            Self::InvalidTolerance { which, value } => write!(
                f,
                "tolerance {which} = {value} is invalid: it must be zero or positive"
            ),
            Self::ZeroCases => write!(f, "a property check needs at least one random point"),
            Self::NamesLength { expected, got } => write!(
                f,
                "{got} component names given for {expected} inputs: give exactly one name per input"
            ),
            Self::DuplicateName { first, second } => write!(
                f,
                "inputs {first} and {second} have the same name: give each input its own name"
            ),
        }
    }
}

impl std::error::Error for CheckError {}
