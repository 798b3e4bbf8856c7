//! What the tests share.

pub mod mutant;
