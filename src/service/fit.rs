//! "Can we fit it?" while the caller is on the line: the ways one booked
//! request joins the day's newest plan as it stands (stops reported done kept,
//! nothing before now, published promises held), and accepting one as a new
//! draft revision. No search runs: one insertion per vehicle.

use std::time::Instant;

use chrono::NaiveDate;

use super::replan::Ground;
use super::{AppState, ServiceError};
use crate::blocking::ShuttingDown;
use crate::domain::fit::{FitAccepted, FitAnswer, FitInput};
use crate::domain::fits_if::{shifted, Step, STEPS};
use crate::domain::replan::moves;
use crate::domain::{FitsIf, Invalid, Plan};
use crate::ops::SolveKind;
use crate::planning::fit::{blocked, job_of, list_all, moved, way};
use crate::planning::{self, rest_of_day, Rest};
use crate::solver::{self, Fit, FitError, JobId};
use crate::store::{Actor, Scope, StoreError};

/// The ways to serve the request, cheapest first, or why there are none.
pub async fn fit(
    state: &AppState,
    date: NaiveDate,
    input: &FitInput,
) -> Result<FitAnswer, ServiceError> {
    let asked = Asked::new(state, date, input).await?;
    let solving = state.metrics.solving(SolveKind::Fit);
    let (ground, rest, job) = (&asked.ground, &asked.rest, asked.job);
    let answer = match asked.ways().await? {
        Ok(ways) => {
            let mut ways: Vec<_> = ways
                .iter()
                .map(|f| {
                    let locked = asked.locked(f);
                    way(&ground.built, &rest.start, f, &ground.policy, locked)
                })
                .collect();
            // Cheapest first among those that can be taken now.
            ways.sort_by_key(|w| w.locked);
            FitAnswer {
                request_id: input.request_id,
                ways,
                blocked: None,
            }
        }
        Err(e) => {
            let mut b = blocked(&ground.built, &e).ok_or_else(|| conflict(job, &e))?;
            b.fits_if = asked.fits_if(state, date).await?;
            FitAnswer {
                request_id: input.request_id,
                ways: vec![],
                blocked: Some(b),
            }
        }
    };
    solving.answered();
    Ok(answer)
}

/// The way on `input.shift_id` taken: the plan with the request in, saved as
/// a new draft revision.
pub async fn accept(
    state: &AppState,
    actor: Actor,
    date: NaiveDate,
    input: &FitInput,
) -> Result<FitAccepted, ServiceError> {
    let Some(shift_id) = input.shift_id else {
        return Err(
            Invalid::one("shift_id", "choose a way: the shift that takes the request").into(),
        );
    };
    let began = Instant::now();
    let asked = Asked::new(state, date, input).await?;
    let solving = state.metrics.solving(SolveKind::Fit);
    let job = asked.job;
    let ways = asked.ways().await?.map_err(|e| match e {
        FitError::Blocked { .. } => Invalid::one(
            "request_id",
            format!("request {} fits nowhere now: ask again", input.request_id),
        )
        .into(),
        e => conflict(job, &e),
    })?;
    let built = &asked.ground.built;
    let Some(chosen) = ways
        .iter()
        .find(|f| built.vehicles[f.vehicle].shift_id == Some(shift_id))
    else {
        return Err(Invalid::one(
            "shift_id",
            format!(
                "shift {shift_id} cannot take request {}: ask again",
                input.request_id
            ),
        )
        .into());
    };
    if asked.locked(chosen) {
        return Err(Invalid::one(
            "shift_id",
            format!("the route of shift {shift_id} is locked: unlock it to add the request"),
        )
        .into());
    }
    let mut solution = chosen.apply(&asked.rest.start);
    list_all(&mut solution, &asked.rest.problem);
    let judged = planning::Built {
        problem: asked.rest.problem.clone(),
        jobs: built.jobs.clone(),
        vehicles: built.vehicles.clone(),
        places: built.places.clone(),
    };
    let seconds = began.elapsed().as_secs_f64();
    let new = planning::to_new_plan(&judged, &solution, seconds, &asked.ground.source);
    let plan = state.store.save_plan(actor, date, &new).await?;
    solving.made(plan.figures.cost, plan.unassigned.len());
    Ok(FitAccepted {
        moves: moves(&asked.base, &plan),
        plan,
    })
}

/// What a fit question stands on: the newest plan, the day as it stands, and
/// the request's job in it.
struct Asked {
    base: Plan,
    ground: Ground,
    rest: Rest,
    job: JobId,
}

impl Asked {
    async fn new(
        state: &AppState,
        date: NaiveDate,
        input: &FitInput,
    ) -> Result<Self, ServiceError> {
        let store = &state.store;
        let id = input.request_id;
        let base = match store.plan(date, None).await {
            Err(StoreError::NotFound(_)) => {
                return Err(ServiceError::NotFound(format!(
                    "plan of {date}: solve the day first"
                )))
            }
            r => r?,
        };
        let published = store.published_plan(date).await?;
        let ground = Ground::of(state, date, input.at, published.as_ref()).await?;
        let Some(job) = job_of(&ground.built, id) else {
            let r = store.request(Scope::All, id).await?;
            if r.date != date {
                return Err(
                    Invalid::one("request_id", format!("request {id} is on {}", r.date)).into(),
                );
            }
            return Err(ServiceError::Conflict(format!(
                "request {id} is {}: only a booked ride, meal or collection is fitted",
                r.lifecycle.name()
            )));
        };
        let rest = rest_of_day(&ground.built, &base, &ground.standing(&[], false))
            .map_err(ServiceError::Conflict)?;
        if rest
            .start
            .routes
            .iter()
            .any(|r| r.visits.iter().any(|w| w.job == job))
        {
            return Err(ServiceError::Conflict(format!(
                "request {id} is already in a route of revision {}",
                base.revision
            )));
        }
        Ok(Asked {
            base,
            ground,
            rest,
            job,
        })
    }

    /// Whether the way's route is locked in the newest plan: a lock keeps a
    /// route as the dispatcher left it, a fit included.
    fn locked(&self, fit: &Fit) -> bool {
        let shift = self.ground.built.vehicles[fit.vehicle].shift_id;
        self.base
            .routes
            .iter()
            .any(|r| r.locked && r.shift_id.is_some() && r.shift_id == shift)
    }

    /// The smallest move of the request's time that fits (later first, as
    /// after a solve), when one does: what the caller can be offered instead.
    async fn fits_if(
        &self,
        state: &AppState,
        date: NaiveDate,
    ) -> Result<Option<FitsIf>, ServiceError> {
        let id = self.ground.built.jobs[self.job].request_id;
        let request = state.store.request(Scope::All, id).await?;
        let now = match self.ground.now {
            Some(m) => {
                date.and_hms_opt(0, 0, 0).unwrap_or_default()
                    + chrono::Duration::seconds((m * 60.0) as i64)
            }
            None => chrono::Local::now().naive_local(),
        };
        let policy = &self.ground.policy;
        let minutes: Vec<i32> = STEPS
            .iter()
            .filter_map(|s| match s {
                Step::Shift(m) => Some(i32::from(*m)),
                _ => None,
            })
            .flat_map(|m| [m, -m])
            .filter(|&m| shifted(&request, m, policy, now).is_some())
            .collect();
        let (problem, start, job) = (self.rest.problem.clone(), self.rest.start.clone(), self.job);
        let found = crate::blocking::run(move || {
            minutes.into_iter().find(|&m| {
                solver::fit_ways(&moved(&problem, job, m), &start, job)
                    .is_ok_and(|ways| !ways.is_empty())
            })
        })
        .await?;
        Ok(found.map(|minutes| FitsIf::WindowShift { minutes }))
    }

    /// Off the async threads: a large day takes milliseconds.
    async fn ways(&self) -> Result<Result<Vec<Fit>, FitError>, ShuttingDown> {
        let (problem, start, job) = (self.rest.problem.clone(), self.rest.start.clone(), self.job);
        crate::blocking::run(move || solver::fit_ways(&problem, &start, job)).await
    }
}

fn conflict(job: JobId, e: &FitError) -> ServiceError {
    ServiceError::Conflict(format!("job {job} cannot be fitted: {e}"))
}
