//! Solving a date in the background. The search runs on a blocking thread; a
//! monitor task copies its progress and a heartbeat to the database and brings
//! back cancel requests for the whole job, so any instance can watch or stop
//! it and the server stays responsive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::watch;

use super::AppState;
use crate::domain::Id;
use crate::planning::{self, Day};
use crate::solver::{self, Options, Progress};
use crate::store::{Actor, Scope, SolveStatus, Store, StoreError};

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

async fn solve(
    state: AppState,
    job: Job,
    cancel: Arc<AtomicBool>,
    progress: watch::Sender<Snapshot>,
) -> Result<Id, String> {
    let store = &state.store;
    let date = job.date;
    let requests = store.requests(Scope::All, Some(date)).await.map_err(hide)?;
    let places = store.places(Scope::All).await.map_err(hide)?;
    let people = store.people(Scope::All).await.map_err(hide)?;
    let vehicles = store.vehicles().await.map_err(hide)?;
    let shifts = store.shifts(Some(date)).await.map_err(hide)?;
    let day = Day {
        date,
        requests: &requests,
        places: &places,
        people: &people,
        vehicles: &vehicles,
        shifts: &shifts,
    };
    let (place_ids, points) = planning::locations(&day).map_err(|e| e.to_string())?;
    let matrix = state
        .travel
        .matrix(&points)
        .await
        .map_err(|e| format!("travel times: {e}"))?;
    let built = Arc::new(planning::build(&day, &place_ids, &matrix).map_err(|e| e.to_string())?);

    let options = Options {
        seed: job.seed,
        time_limit: Some(Duration::from_secs_f64(job.seconds)),
        iterations: None,
        cancel: Some(cancel),
    };
    let started = Instant::now();
    let solver_input = built.clone();
    let solution = tokio::task::spawn_blocking(move || {
        solver::solve_with_progress(&solver_input.problem, &options, &mut |p: &Progress| {
            progress.send_replace(Snapshot {
                iterations: p.iteration as i64,
                best_cost: Some(p.best_cost),
                unassigned: Some(p.unassigned as i64),
            });
        })
    })
    .await
    .map_err(|e| format!("the solver stopped: {e}"))?
    .map_err(|e| format!("the day's data does not make a valid problem: {e}"))?;
    let plan = planning::to_new_plan(
        &built,
        &solution,
        started.elapsed().as_secs_f64(),
        &matrix.source,
    );
    let saved = store
        .save_plan(job.actor, date, &plan)
        .await
        .map_err(hide)?;
    Ok(saved.id)
}
