//! From the day's records to the solver's problem, and from its solution back
//! to a plan. Pure: the caller fetches records and travel times, and stores the result.

mod build;
mod defaults;
mod result;

pub use build::{build, locations, Built, Day, JobRef, ShiftRef};
pub use defaults::*;
pub use result::{to_new_plan, to_solution};

/// A day that cannot be turned into a problem.
#[derive(Debug, thiserror::Error)]
pub enum PlanningError {
    #[error("request {request}: {message}")]
    Request { request: i64, message: String },
    #[error("no vehicle is available on this date: add shifts or vehicles")]
    NoVehicles,
    #[error("model: {0}")]
    Model(#[from] crate::solver::ModelError),
}
