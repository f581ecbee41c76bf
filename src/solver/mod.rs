//! The scheduling core: a pure library with no I/O.

pub mod check;
pub mod model;
pub mod solution;

pub use model::*;
pub use solution::*;
