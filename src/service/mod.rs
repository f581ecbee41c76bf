//! Use cases with typed errors: what the API, the pages and the demo do.
//! Handlers stay thin; the rules live here and below.

pub mod admins;
mod day;
mod distances;
pub mod drivers;
mod error;
pub mod fees;
pub mod fit;
mod generated;
pub mod import;
pub mod lifecycle;
pub mod live;
pub mod meals;
pub mod night_before;
mod other_day;
pub mod personal;
pub mod plans;
pub mod replan;
pub mod reports;
pub mod rides;
pub mod shifts;
#[cfg(feature = "smtp")]
pub mod smtp;
mod solve_job;
pub mod standing;
mod state;
pub mod surplus;
pub mod vehicle_blocks;

pub use day::{records_and_problem, DayError};
pub use error::ServiceError;
pub use solve_job::SolveSettings;
pub use state::AppState;
