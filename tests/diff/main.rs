//! Derivatives: the differentiation rules and every elementary function, the entry points and
//! the identities between them, second and third order, nesting, every scalar type (`f64`,
//! `f32`, jets, num-dual's duals), custom rules, implicit differentiation, linear algebra on
//! jets, edge cases and the size envelope.

#[path = "../support/common.rs"]
mod common;
#[path = "../support/f32_functions.rs"]
mod f32_functions;

mod bad_input_conventions;
mod bad_input_implicit;
mod custom_rules;
mod edges;
mod elementary_reference;
mod envelope;
mod f32;
mod identities;
mod implicit;
mod linalg;
mod mixed_products;
mod nested;
mod rules;
mod scalar_types;
mod second_order;
mod sparse;
mod unchecked;
#[allow(unused_imports)] // the point is that these traits are in scope
mod vocabulary;
mod wide;
