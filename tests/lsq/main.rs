//! Least squares: Levenberg–Marquardt and Gauss–Newton on problems with closed-form answers, on
//! bad inputs and at the edges (false convergence, rank deficiency, NaN starts), and on the 25
//! NIST StRD nonlinear-regression problems of `data/nist-strd/` (`nist`: the parser of NIST's
//! files, the models and the log relative error) against the certified values.

#[path = "../support/common.rs"]
mod common;
#[path = "../support/lsq_problems.rs"]
mod lsq_problems;
#[macro_use]
mod nist;
#[path = "../support/springs.rs"]
mod springs;

mod bad_input_lsq;
mod lsq;
mod nist_strd;
mod sparse_lsq;
