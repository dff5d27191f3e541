//! The examples as programs, run from the binaries `cargo test` builds beside this one.

mod examples_run;
