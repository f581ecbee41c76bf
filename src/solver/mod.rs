//! The scheduling core: a pure library with no I/O.

mod alns;
pub mod check;
mod destroy;
mod eliminate;
mod exact;
mod fit;
mod index;
mod insertion;
mod ls;
pub mod model;
mod neighbours;
mod pool;
mod prefix;
mod push;
mod repair;
mod request_ls;
mod route;
mod schedule;
mod segment;
pub mod solution;
mod solve;
mod state;
mod timing;

pub use fit::{fit, fit_ways, Fit, FitError};
pub use model::*;
pub use prefix::settle;
pub use solution::*;
pub use solve::{solve, solve_with_progress, Options, Progress};
pub use timing::{time_route, Timer};
