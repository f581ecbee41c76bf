//! giro plans and runs the daily rounds of a town's social services.

pub mod bench;
pub mod formats;
pub mod solver;
