//! Re-planning the rest of a published day from where it stands (the
//! drivers' reports, now, withdrawn shifts), keeping promised pickup windows
//! whenever it can: a first search holds every promise; a request it cannot
//! place that way is searched for again with its own window. The result is a
//! new draft revision, with who moves against the published plan.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{Local, NaiveDate};

use super::{day, AppState, ServiceError};
use crate::domain::lifecycle::{keeps_promise, promised_window};
use crate::domain::replan::{moves, ReplanInput, ReplanOutcome};
use crate::domain::ride_policy::RidePolicy;
use crate::domain::{latest_states, Clock, Id, Plan, StopEventKind, StopKey, StopRole};
use crate::ops::SolveKind;
use crate::planning::{self, rest_of_day, Standing};
use crate::solver::{self, Options, Solution};
use crate::store::Actor;

/// Each of the two searches; a municipal day needs far less.
const SEARCH: Duration = Duration::from_millis(450);

pub async fn replan(
    state: &AppState,
    actor: Actor,
    date: NaiveDate,
    input: &ReplanInput,
) -> Result<ReplanOutcome, ServiceError> {
    input.validate()?;
    let store = &state.store;
    let published = store
        .published_plan(date)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("published plan of {date}")))?;
    let shifts = store.shifts(Some(date)).await?;
    for (i, w) in input.withdraw.iter().enumerate() {
        if !shifts.iter().any(|s| s.id == w.shift_id) {
            return Err(crate::domain::Invalid::one(
                format!("withdraw[{i}].shift_id"),
                format!("shift {} is not on {date}", w.shift_id),
            )
            .into());
        }
    }
    let solving = state.metrics.solving(SolveKind::Replan);
    let ground = Ground::of(state, date, input.at, Some(&published)).await?;
    let withdrawn: Vec<(Id, f64)> = input
        .withdraw
        .iter()
        .map(|w| (w.shift_id, w.from.minutes() as f64))
        .collect();
    let rest = rest_of_day(
        &ground.built,
        &published,
        &ground.standing(&withdrawn, true),
    )
    .map_err(ServiceError::Conflict)?;
    let began = Instant::now();
    let (problem, solution) = crate::blocking::run(move || search(rest))
        .await?
        .map_err(|e| ServiceError::Conflict(format!("the day does not make a problem: {e}")))?;
    let seconds = began.elapsed().as_secs_f64();
    let Ground {
        built,
        source,
        policy,
        ..
    } = ground;
    let judged = planning::Built {
        problem,
        jobs: built.jobs,
        vehicles: built.vehicles,
        places: built.places,
    };
    let new = planning::to_new_plan(&judged, &solution, seconds, &source);
    let plan = store.save_plan(actor, date, &new).await?;
    solving.made(plan.figures.cost, plan.unassigned.len());
    let moves = moves(&published, &plan);
    let published_pickups: HashMap<Id, f64> = published
        .routes
        .iter()
        .flat_map(|r| &r.stops)
        .filter(|s| s.role == StopRole::Pickup)
        .map(|s| (s.request_id, s.start_min))
        .collect();
    let promises_broken = plan
        .routes
        .iter()
        .flat_map(|r| &r.stops)
        .filter(|s| s.role == StopRole::Pickup)
        .filter(|s| {
            published_pickups
                .get(&s.request_id)
                .is_some_and(|&was| !keeps_promise(was, s.start_min, &policy))
        })
        .count()
        // Left out, not cancelled: a cancelled ride was promised nothing more.
        + moves
            .iter()
            .filter(|m| m.now.is_none() && judged.jobs.iter().any(|j| j.request_id == m.request_id))
            .count();
    Ok(ReplanOutcome {
        plan,
        moves,
        promises_broken,
    })
}

/// Where the day stands: its problem, the stops reported done (in the plan's
/// minutes), the time nothing moves before, and the pickup windows promised
/// by the published plan.
pub(super) struct Ground {
    pub built: planning::Built,
    pub source: String,
    pub done: HashMap<StopKey, f64>,
    /// Stops last reported otherwise than done.
    pub reported: HashSet<StopKey>,
    pub now: Option<f64>,
    pub promises: HashMap<Id, (f64, f64)>,
    pub policy: RidePolicy,
}

impl Ground {
    pub async fn of(
        state: &AppState,
        date: NaiveDate,
        at: Option<Clock>,
        published: Option<&Plan>,
    ) -> Result<Self, ServiceError> {
        let store = &state.store;
        let (built, source) = day::problem(state, date).await?;
        let events = store.events_of_date(date).await?;
        let policy = store.ride_policy().await?;
        let minutes = |at| super::live::minutes_of(date, at);
        let latest = latest_states(&events);
        let done = latest
            .iter()
            .filter(|(_, s)| s.kind == StopEventKind::Done)
            .map(|(k, s)| (*k, minutes(s.at)))
            .collect();
        let reported = latest
            .iter()
            .filter(|(_, s)| s.kind != StopEventKind::Done)
            .map(|(k, _)| *k)
            .collect();
        let today = Local::now().date_naive() == date;
        let now = match at {
            Some(at) => Some(at.minutes() as f64),
            None if today => Some(minutes(chrono::Utc::now())),
            None => None,
        };
        let promises = published.map_or_else(HashMap::new, |p| {
            p.routes
                .iter()
                .flat_map(|r| &r.stops)
                .filter(|s| s.role == StopRole::Pickup)
                .map(|s| (s.request_id, promised_window(s.start_min, &policy)))
                .collect()
        });
        Ok(Ground {
            built,
            source,
            done,
            reported,
            now,
            promises,
            policy,
        })
    }

    pub fn standing<'a>(&'a self, withdrawn: &'a [(Id, f64)], keep_locked: bool) -> Standing<'a> {
        Standing {
            done: &self.done,
            reported: &self.reported,
            now: self.now,
            withdrawn,
            promises: &self.promises,
            keep_locked,
        }
    }
}

/// Promises held first; then each promised job left out gets its own window
/// back. Returns the problem the plan answers (for the checker's verdict).
fn search(rest: planning::Rest) -> Result<(solver::Problem, Solution), solver::ModelError> {
    let options = |initial: Solution| Options {
        time_limit: Some(SEARCH),
        initial: Some(initial),
        ..Default::default()
    };
    let mut problem = rest.problem;
    let first = solver::solve(&problem, &options(rest.start))?;
    let broken: Vec<_> = rest
        .promised
        .iter()
        .filter(|(j, _)| first.unassigned.iter().any(|u| u.job == *j))
        .collect();
    if broken.is_empty() {
        return Ok((problem, first));
    }
    for (j, window) in broken {
        if let Some(p) = problem.jobs[*j].pickup.as_mut() {
            p.window = *window;
        }
    }
    let second = solver::solve(&problem, &options(first))?;
    Ok((problem, second))
}
