//! Solving a date in the background. The search runs on a blocking thread; a
//! monitor task copies its progress and a heartbeat to the database and brings
//! back cancel requests for the whole job, so any instance can watch or stop
//! it and the server stays responsive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::watch;

use super::day::{self, DayError};
use super::AppState;
use crate::domain::{Id, Route as PlanRoute};
use crate::planning;
use crate::solver::{self, Options, Progress};
use crate::store::{Actor, SolveStatus, Store, StoreError};

#[derive(Debug, Clone)]
pub struct SolveSettings {
    pub default_seconds: f64,
    pub max_seconds: f64,
}

impl Default for SolveSettings {
    fn default() -> Self {
        Self {
            default_seconds: 10.0,
            max_seconds: 600.0,
        }
    }
}

/// How often progress reaches the database and cancel requests come back.
const POLL: Duration = Duration::from_millis(250);

#[derive(Clone, Copy, Default)]
struct Snapshot {
    iterations: i64,
    best_cost: Option<f64>,
    unassigned: Option<i64>,
}

/// The job's parameters.
#[derive(Clone, Copy)]
pub struct Job {
    pub actor: Actor,
    pub solve_id: Id,
    pub date: NaiveDate,
    pub seconds: f64,
    pub seed: u64,
}

/// Runs the solve to its end and records the outcome on the solve row, also
/// when the work fails or panics.
pub async fn run(state: AppState, job: Job) {
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = watch::channel(Snapshot::default());
    let monitor = tokio::spawn(monitor(
        state.store.clone(),
        job.solve_id,
        rx,
        cancel.clone(),
    ));
    let work = tokio::spawn(solve(state.clone(), job, cancel.clone(), tx)).await;
    monitor.abort();
    let outcome = work.unwrap_or_else(|e| Err(format!("the solve stopped unexpectedly: {e}")));
    let store = &state.store;
    let result = match outcome {
        Ok(plan_id) => {
            let status = if cancel.load(Ordering::Relaxed) {
                SolveStatus::Cancelled
            } else {
                SolveStatus::Done
            };
            store
                .finish_solve(job.solve_id, status, Some(plan_id), None)
                .await
        }
        Err(message) => {
            tracing::warn!("solve {} for {} failed: {message}", job.solve_id, job.date);
            store
                .finish_solve(job.solve_id, SolveStatus::Failed, None, Some(message))
                .await
        }
    };
    match result {
        Ok(true) => {}
        Ok(false) => tracing::warn!("solve {} had been given up as stale", job.solve_id),
        Err(e) => tracing::error!("could not record the end of solve {}: {e}", job.solve_id),
    }
}

/// Heartbeat, progress and cancel flag, from registration to the end.
async fn monitor(store: Store, id: Id, mut rx: watch::Receiver<Snapshot>, cancel: Arc<AtomicBool>) {
    let started = Instant::now();
    loop {
        tokio::time::sleep(POLL).await;
        let s = *rx.borrow_and_update();
        let elapsed = started.elapsed().as_secs_f64();
        match store
            .solve_progress(id, elapsed, s.iterations, s.best_cost, s.unassigned)
            .await
        {
            Ok(true) => cancel.store(true, Ordering::Relaxed),
            Ok(false) => {}
            Err(e) => tracing::warn!("solve {id}: progress not recorded: {e}"),
        }
    }
}

/// Database trouble is logged in full; the dispatcher sees a plain message.
fn hide(e: StoreError) -> String {
    tracing::error!("solve: {e}");
    "the database failed during the solve (details in the server log)".into()
}

/// The newest revision's locked routes, if the date has a plan.
async fn locked_routes(store: &Store, date: NaiveDate) -> Result<Vec<PlanRoute>, StoreError> {
    match store.plan(date, None).await {
        Ok(plan) => Ok(plan.routes.into_iter().filter(|r| r.locked).collect()),
        Err(StoreError::NotFound(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

async fn solve(
    state: AppState,
    job: Job,
    cancel: Arc<AtomicBool>,
    progress: watch::Sender<Snapshot>,
) -> Result<Id, String> {
    let store = &state.store;
    let (full, source) = day::problem(&state, job.date).await.map_err(|e| match e {
        DayError::Store(e) => hide(e),
        other => other.to_string(),
    })?;
    let locked = locked_routes(store, job.date).await.map_err(hide)?;
    // Locked routes as routes of the whole day: a lock that no longer fits
    // the day (a shift or request gone) stops the solve rather than vanish.
    let kept = planning::solver_routes(&full, &locked)
        .map_err(|e| format!("a locked route no longer fits the day ({e}): unlock it"))?;
    let around = planning::around(&full, &kept);
    let free = Arc::new(around);

    let options = Options {
        seed: job.seed,
        time_limit: Some(Duration::from_secs_f64(job.seconds)),
        iterations: None,
        cancel: Some(cancel),
    };
    let started = Instant::now();
    let solver_input = free.clone();
    let solution = tokio::task::spawn_blocking(move || {
        if solver_input.is_trivial() {
            return Ok(solver_input.trivial());
        }
        solver::solve_with_progress(
            &solver_input.built.problem,
            &options,
            &mut |p: &Progress| {
                progress.send_replace(Snapshot {
                    iterations: p.iteration as i64,
                    best_cost: Some(p.best_cost),
                    unassigned: Some(p.unassigned as i64),
                });
            },
        )
    })
    .await
    .map_err(|e| format!("the solver stopped: {e}"))?
    .map_err(|e| format!("the day's data does not make a valid problem: {e}"))?;
    let whole = free.merge(&full, &kept, &solution);
    let mut plan = planning::to_new_plan(&full, &whole, started.elapsed().as_secs_f64(), &source);
    planning::keep_locked(&mut plan, &locked);
    let saved = store
        .save_plan(job.actor, job.date, &plan)
        .await
        .map_err(hide)?;
    Ok(saved.id)
}
