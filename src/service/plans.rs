//! Plans per date: solve in the background, cancel, publish, edit by hand.

use chrono::NaiveDate;

use super::{day, solve_job, AppState, ServiceError};
use crate::domain::{
    EditOutcome, Invalid, Plan, PlanEdit, PlanEditInput, PublishInput, SolveInput,
};
use crate::planning::{self, EditError};
use crate::store::{Actor, SolveRecord};

/// Starts solving `date` in the background and answers at once. Busy when
/// every core of this instance is solving; a conflict while another solve of
/// the date runs (on any instance).
pub async fn start_solve(
    state: &AppState,
    actor: Actor,
    date: NaiveDate,
    input: &SolveInput,
) -> Result<SolveRecord, ServiceError> {
    let (seconds, seed) = solve_limits(state, input)?;
    super::standing::generate_day(&state.store, actor, date).await?;
    super::meals::generate_day(&state.store, actor, date).await?;
    super::surplus::generate_day(&state.store, actor, date).await?;
    let permit = state.solving.clone().try_acquire_owned().map_err(|_| {
        ServiceError::Busy(
            "every core of this server is solving another date: try again shortly".into(),
        )
    })?;
    let started = state
        .store
        .start_solve(actor, date, seconds, seed as i64)
        .await?;
    let record = started.record;
    let job = solve_job::run(
        state.clone(),
        solve_job::Job {
            actor,
            solve_id: record.id,
            date,
            seconds,
            seed,
            fresh: input.fresh,
        },
        started.claim,
    );
    // In the request's span: the solve's log lines carry its request id.
    tokio::spawn(tracing::Instrument::in_current_span(async move {
        job.await;
        drop(permit);
    }));
    Ok(record)
}

fn solve_limits(state: &AppState, input: &SolveInput) -> Result<(f64, u64), Invalid> {
    let max = state.solve.max_seconds;
    let seconds = input.time_limit_s.unwrap_or(state.solve.default_seconds);
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= max) {
        return Err(Invalid::one(
            "time_limit_s",
            format!("must be more than 0 and at most {max}"),
        ));
    }
    let seed = input.seed.unwrap_or(1);
    if seed > i64::MAX as u64 {
        return Err(Invalid::one("seed", "must be at most 9223372036854775807"));
    }
    Ok((seconds, seed))
}

/// Solves `date` now and waits for the end: for `giro demo` and scripts.
pub async fn solve_now(
    state: &AppState,
    date: NaiveDate,
    seconds: f64,
    seed: u64,
) -> Result<SolveRecord, ServiceError> {
    let actor = Actor(None);
    let started = state
        .store
        .start_solve(actor, date, seconds, seed as i64)
        .await?;
    let id = started.record.id;
    solve_job::run(
        state.clone(),
        solve_job::Job {
            actor,
            solve_id: id,
            date,
            seconds,
            seed,
            fresh: false,
        },
        started.claim,
    )
    .await;
    Ok(state.store.solve(id).await?)
}

/// Stops the running solve of `date`: a live worker keeps the best plan so
/// far; a solve no live worker holds is cancelled at once and frees the date.
pub async fn cancel_solve(
    state: &AppState,
    actor: Actor,
    date: NaiveDate,
) -> Result<SolveRecord, ServiceError> {
    Ok(state.store.cancel_solve(actor, date).await?)
}

/// Makes a draft the revision drivers follow, if its version is current.
pub async fn publish(
    state: &AppState,
    actor: Actor,
    date: NaiveDate,
    input: &PublishInput,
) -> Result<Plan, ServiceError> {
    Ok(state
        .store
        .publish(actor, date, input.revision, input.version)
        .await?)
}

impl From<EditError> for ServiceError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Invalid(i) => Self::Invalid(i),
            EditError::Stale(_) => Self::Conflict(e.to_string()),
        }
    }
}

/// Applies a dispatcher's edit to the newest revision of `date` and has the
/// core's checker judge the whole plan. Saved when nothing breaks or the
/// dispatcher confirms (the audit line then lists what breaks); otherwise
/// nothing is written and the outcome shows the plan as it would be.
pub async fn edit(
    state: &AppState,
    actor: Actor,
    date: NaiveDate,
    input: &PlanEditInput,
) -> Result<EditOutcome, ServiceError> {
    let base = state.store.plan(date, None).await?;
    let stale = input.version != base.version || input.revision.is_some_and(|r| r != base.revision);
    if stale {
        return Err(ServiceError::Conflict(format!(
            "plan {date} is at revision {} version {}, not {}: reload it",
            base.revision,
            base.version,
            match input.revision {
                Some(r) => format!("revision {r} version {}", input.version),
                None => format!("version {}", input.version),
            }
        )));
    }
    let new = match input.edit {
        // Locks change no stop: no day to build, nothing to check.
        PlanEdit::Lock { route_id } => planning::lock_route(&base, route_id, true)?,
        PlanEdit::Unlock { route_id } => planning::lock_route(&base, route_id, false)?,
        _ => {
            let (built, _) = day::problem(state, date).await?;
            planning::apply_edit(&built, &base, &input.edit)?
        }
    };
    let locks = matches!(input.edit, PlanEdit::Lock { .. } | PlanEdit::Unlock { .. });
    let preview = base.preview(&new);
    let violations = preview.figures.violations.clone();
    if !locks && !violations.is_empty() && !input.confirm {
        return Ok(EditOutcome {
            saved: false,
            plan: preview,
            violations,
        });
    }
    let mut detail = input.edit.describe();
    if !locks && !violations.is_empty() {
        let broken: Vec<String> = violations
            .iter()
            .map(|v| match v.request_id {
                Some(r) => format!("{} (request {r})", v.kind.as_str()),
                None => v.kind.as_str().to_string(),
            })
            .collect();
        detail.push_str(&format!(
            "; confirmed with {} violation(s): {}",
            violations.len(),
            broken.join(", ")
        ));
    }
    let plan = state
        .store
        .save_edit(actor, date, &base, &new, detail)
        .await?;
    let violations = plan.figures.violations.clone();
    Ok(EditOutcome {
        saved: true,
        plan,
        violations,
    })
}
