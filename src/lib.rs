//! giro plans and runs the daily rounds of a town's social services.

pub mod formats;
pub mod solver;
