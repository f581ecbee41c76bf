//! Left out because of a reservation? A request that carries a "may ride"
//! skill (`domain::vehicle_sharing`) and would fit the plan as it stands
//! were it allowed on every vehicle and span is left out only because the
//! vehicles free at its time are reserved for others or kept out of the pool.

use super::build::Built;
use crate::domain::vehicle_sharing::is_access_skill;
use crate::solver::{fit, JobId, Solution};

/// Whether `job`, left out of `solution`, fits once its "may ride" skill is
/// dropped. Days without sharing rules carry no such skill: always false.
pub fn only_reserved(built: &Built, solution: &Solution, job: JobId) -> bool {
    let skills = &built.problem.jobs[job].skills;
    if !skills.iter().any(|s| is_access_skill(s)) {
        return false;
    }
    let mut open = built.problem.clone();
    open.jobs[job].skills.retain(|s| !is_access_skill(s));
    fit(&open, solution, job).is_ok()
}
