//! From the day's records to the solver's problem, and from its solution back
//! to a plan. Pure: the caller fetches records and travel times, and stores the result.

mod build;
mod defaults;
mod edit;
pub mod fit;
mod fits_if;
mod locked;
mod replan;
mod reserved;
mod result;
#[cfg(test)]
mod sharing_tests;
mod verdict;

pub use build::{build, locations, Built, Day, JobRef, ShiftRef};
pub use defaults::*;
pub use edit::{apply as apply_edit, lock as lock_route, EditError};
pub use fits_if::{fits_if, fits_on, Budget, Suggestions};
pub use locked::{around, keep_locked, Around};
pub use replan::{rest_of_day, Rest, Standing};
pub use result::{figures, new_route, solver_routes, start_routes, to_new_plan, to_solution};
pub use verdict::verdict;

/// A day that cannot be turned into a problem.
#[derive(Debug, thiserror::Error)]
pub enum PlanningError {
    #[error("request {request}: {message}")]
    Request { request: i64, message: String },
    #[error("no vehicle is available on this date: add shifts or vehicles")]
    NoVehicles,
    #[error("{0} equipment and association skills in one day: the planner tells at most 64 apart")]
    TooManySkills(usize),
    #[error("model: {0}")]
    Model(#[from] crate::solver::ModelError),
}
