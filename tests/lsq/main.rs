//! Least squares: Levenberg–Marquardt and Gauss–Newton on problems with closed-form answers and
//! at the edges, and on the fifteen NIST StRD nonlinear-regression problems (`nist`: the parser
//! of NIST's files and the log relative error) against the certified values.

#[path = "../support/common.rs"]
mod common;
#[path = "../support/lsq_problems.rs"]
mod lsq_problems;
mod nist;
#[path = "../support/springs.rs"]
mod springs;

mod lsq;
mod nist_strd;
mod sparse_lsq;
