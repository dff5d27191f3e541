//! Heap allocations: the paths that must allocate nothing, and the ones that allocate their
//! buffers once, counted per thread by the allocator of `counting_alloc`.
//!
//! Every test that counts allocations lives in this binary: the counting allocator is a
//! `#[global_allocator]`, which applies to the whole test crate, and no other binary installs it.

mod counting_alloc;
#[path = "../support/f32_functions.rs"]
mod f32_functions;
#[path = "../support/hypergradient_runs.rs"]
mod hypergradient_runs;
#[path = "../support/lsq_problems.rs"]
mod lsq_problems;

mod alloc;
mod alloc_linalg;
mod f32_alloc;
mod hypergradient_alloc;
mod lsq_alloc;
mod model_alloc;
mod optim_alloc;
mod sparse_alloc;
mod train_alloc;
