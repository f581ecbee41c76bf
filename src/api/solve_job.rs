//! Solving a date in the background. The search runs on a blocking thread; an
//! async loop copies its progress to the database and brings back cancel
//! requests, so any instance can watch or stop it and the server stays responsive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::watch;

use super::AppState;
use crate::domain::Id;
use crate::planning::{self, Day};
use crate::solver::{self, Options, Progress};
use crate::store::{Actor, Scope, SolveStatus, StoreError};

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
    elapsed_s: f64,
    iterations: i64,
    best_cost: Option<f64>,
    unassigned: Option<i64>,
}

/// Runs the solve to its end and records the outcome on the solve row.
pub async fn run(
    state: AppState,
    actor: Actor,
    solve_id: Id,
    date: NaiveDate,
    seconds: f64,
    seed: u64,
) {
    let outcome = solve(&state, actor, solve_id, date, seconds, seed).await;
    let store = &state.store;
    let result = match outcome {
        Ok((plan_id, cancelled)) => {
            let status = if cancelled {
                SolveStatus::Cancelled
            } else {
                SolveStatus::Done
            };
            store
                .finish_solve(solve_id, status, Some(plan_id), None)
                .await
        }
        Err(message) => {
            tracing::warn!("solve {solve_id} for {date} failed: {message}");
            store
                .finish_solve(solve_id, SolveStatus::Failed, None, Some(message))
                .await
        }
    };
    if let Err(e) = result {
        tracing::error!("could not record the end of solve {solve_id}: {e}");
    }
}

async fn solve(
    state: &AppState,
    actor: Actor,
    solve_id: Id,
    date: NaiveDate,
    seconds: f64,
    seed: u64,
) -> Result<(Id, bool), String> {
    let store = &state.store;
    let text = |e: StoreError| e.to_string();
    let requests = store.requests(Scope::All, Some(date)).await.map_err(text)?;
    let places = store.places(Scope::All).await.map_err(text)?;
    let people = store.people(Scope::All).await.map_err(text)?;
    let vehicles = store.vehicles().await.map_err(text)?;
    let shifts = store.shifts(Some(date)).await.map_err(text)?;
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
    let built = planning::build(&day, &place_ids, &matrix).map_err(|e| e.to_string())?;
    let built = Arc::new(built);

    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, mut rx) = watch::channel(Snapshot::default());
    let options = Options {
        seed,
        time_limit: Some(Duration::from_secs_f64(seconds)),
        iterations: None,
        cancel: Some(cancel.clone()),
    };
    let started = Instant::now();
    let worker = {
        let built = built.clone();
        tokio::task::spawn_blocking(move || {
            solver::solve_with_progress(&built.problem, &options, &mut |p: &Progress| {
                tx.send_replace(Snapshot {
                    elapsed_s: p.elapsed.as_secs_f64(),
                    iterations: p.iteration as i64,
                    best_cost: Some(p.best_cost),
                    unassigned: Some(p.unassigned as i64),
                });
            })
        })
    };
    tokio::pin!(worker);
    let solution = loop {
        tokio::select! {
            done = &mut worker => break done.map_err(|e| format!("solver stopped: {e}"))?,
            _ = tokio::time::sleep(POLL) => {
                let s = *rx.borrow_and_update();
                let elapsed = s.elapsed_s.max(started.elapsed().as_secs_f64());
                match store.solve_progress(solve_id, elapsed, s.iterations, s.best_cost, s.unassigned).await {
                    Ok(true) => cancel.store(true, Ordering::Relaxed),
                    Ok(false) => {}
                    Err(e) => tracing::warn!("solve {solve_id}: progress not recorded: {e}"),
                }
            }
        }
    };
    let solution =
        solution.map_err(|e| format!("the day's data does not make a valid problem: {e}"))?;
    let cancelled = cancel.load(Ordering::Relaxed);
    let plan = planning::to_new_plan(
        &built,
        &solution,
        started.elapsed().as_secs_f64(),
        &matrix.source,
    );
    let saved = store.save_plan(actor, date, &plan).await.map_err(text)?;
    Ok((saved.id, cancelled))
}
