//! Solving a date in the background. The search runs on a blocking thread; a
//! monitor copies its progress and a heartbeat to the database, brings back
//! cancel requests, and records the end however the work ends (a panic
//! included), so any instance can watch or stop it and the server stays
//! responsive.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::watch;
use tokio::task::{JoinError, JoinHandle};

use super::day::{self, DayError};
use super::other_day;
use super::AppState;
use crate::domain::{Id, Route as PlanRoute};
use crate::ops::SolveKind;
use crate::planning;
use crate::solver::{self, Options, Progress};
use crate::store::{Actor, Claim, Heartbeat, SolveStatus, Store, StoreError};

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

/// How long a worker asked to stop may take before it is let go: the search
/// stops within an iteration, but reading the day or the travel times may not.
const CANCEL_GRACE: Duration = Duration::from_secs(5);

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
    /// Start from nothing rather than from the date's newest plan.
    pub fresh: bool,
}

/// The plan a solve saved, with the figures the metrics keep.
struct Made {
    plan_id: Id,
    cost: f64,
    unassigned: usize,
}

/// How the work ended, as the monitor saw it.
enum End {
    Plan(Made),
    Failed(String),
    /// Asked to stop and did not within the grace: no plan.
    LetGo,
    /// The row no longer runs (another instance gave it up or cancelled it).
    Gone,
}

/// Runs the solve to its end and records the outcome on the solve row, also
/// when the work fails or panics. The claim says, to readers on this
/// instance, that a worker is on the solve: it goes when this future ends or
/// is dropped, so a worker that dies any other way is seen dead at once.
pub async fn run(state: AppState, job: Job, claim: Claim) {
    let solving = state.metrics.solving(SolveKind::Solve);
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = watch::channel(Snapshot::default());
    let work = tokio::spawn(solve(state.clone(), job, cancel.clone(), tx));
    let end = monitor(&state.store, job.solve_id, work, rx, &cancel).await;
    let store = &state.store;
    let result = match end {
        End::Plan(made) => {
            let status = if cancel.load(Ordering::Relaxed) {
                SolveStatus::Cancelled
            } else {
                SolveStatus::Done
            };
            solving.made(made.cost, made.unassigned);
            store
                .finish_solve(job.solve_id, status, Some(made.plan_id), None)
                .await
        }
        End::Failed(message) => {
            solving.failed();
            tracing::warn!("solve {} for {} failed: {message}", job.solve_id, job.date);
            store
                .finish_solve(job.solve_id, SolveStatus::Failed, None, Some(message))
                .await
        }
        End::LetGo => {
            solving.failed();
            let why = "cancelled; the worker did not stop in time: no plan kept".to_string();
            store
                .finish_solve(job.solve_id, SolveStatus::Cancelled, None, Some(why))
                .await
        }
        // Another instance ended it; the failure, if any, is counted there.
        End::Gone => Ok(false),
    };
    match result {
        Ok(true) => {}
        Ok(false) => tracing::warn!("solve {} had been given up meanwhile", job.solve_id),
        Err(e) => tracing::error!("could not record the end of solve {}: {e}", job.solve_id),
    }
    drop(claim);
}

/// Watches the work to its end: the heartbeat with progress every `POLL`,
/// cancel requests brought back, and the work's own end (a panic included)
/// the moment it happens.
async fn monitor(
    store: &Store,
    id: Id,
    mut work: JoinHandle<Result<Made, String>>,
    mut rx: watch::Receiver<Snapshot>,
    cancel: &AtomicBool,
) -> End {
    let started = Instant::now();
    let mut asked: Option<Instant> = None;
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            ended = &mut work => return match ended {
                Ok(Ok(plan)) => End::Plan(plan),
                Ok(Err(message)) => End::Failed(message),
                Err(e) => End::Failed(crashed(e)),
            },
            _ = tick.tick() => {}
        }
        let s = *rx.borrow_and_update();
        let elapsed = started.elapsed().as_secs_f64();
        match store
            .solve_heartbeat(id, elapsed, s.iterations, s.best_cost, s.unassigned)
            .await
        {
            Ok(Heartbeat::Running) => {}
            Ok(Heartbeat::CancelAsked) => {
                cancel.store(true, Ordering::Relaxed);
                if asked.get_or_insert_with(Instant::now).elapsed() > CANCEL_GRACE {
                    work.abort();
                    return End::LetGo;
                }
            }
            Ok(Heartbeat::Ended) => {
                cancel.store(true, Ordering::Relaxed);
                work.abort();
                return End::Gone;
            }
            Err(e) => tracing::warn!("solve {id}: progress not recorded: {e}"),
        }
    }
}

/// The words for a worker that died: its panic message when it panicked.
fn crashed(e: JoinError) -> String {
    if !e.is_panic() {
        return format!("the solve stopped unexpectedly: {e}");
    }
    let panic = e.into_panic();
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    format!("the solver crashed ({what}); the date may be solved again")
}

/// Database trouble is logged in full; the dispatcher sees a plain message.
fn hide(e: StoreError) -> String {
    tracing::error!("solve: {e}");
    "the database failed during the solve (details in the server log)".into()
}

/// The newest revision's routes, if the date has a plan: (locked, the rest).
async fn newest_routes(
    store: &Store,
    date: NaiveDate,
) -> Result<(Vec<PlanRoute>, Vec<PlanRoute>), StoreError> {
    match store.plan(date, None).await {
        Ok(plan) => Ok(plan.routes.into_iter().partition(|r| r.locked)),
        Err(StoreError::NotFound(_)) => Ok(Default::default()),
        Err(e) => Err(e),
    }
}

async fn solve(
    state: AppState,
    job: Job,
    cancel: Arc<AtomicBool>,
    progress: watch::Sender<Snapshot>,
) -> Result<Made, String> {
    let store = &state.store;
    let (records, full, source) =
        day::records_and_problem(&state, job.date)
            .await
            .map_err(|e| match e {
                DayError::Store(e) => hide(e),
                other => other.to_string(),
            })?;
    let (locked, unlocked) = newest_routes(store, job.date).await.map_err(hide)?;
    // Locked routes as routes of the whole day: a lock that no longer fits
    // the day (a shift or request gone) stops the solve rather than vanish.
    let kept = planning::solver_routes(&full, &locked)
        .map_err(|e| format!("a locked route no longer fits the day ({e}): unlock it"))?;
    let around = planning::around(&full, &kept);
    let free = Arc::new(around);

    // Solving again goes on from the newest plan, so that it never ends
    // worse than the plan on the board (unless asked to start afresh).
    let initial = if job.fresh {
        None
    } else {
        free.start(&planning::start_routes(&full, &unlocked))
    };
    let options = Options {
        seed: job.seed,
        time_limit: Some(Duration::from_secs_f64(job.seconds)),
        cancel: Some(cancel),
        initial,
        ..Default::default()
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
    .map_err(crashed)?
    .map_err(|e| format!("the day's data does not make a valid problem: {e}"))?;
    let whole = free.merge(&full, &kept, &solution);
    let seconds = started.elapsed().as_secs_f64();
    // The plan (checked by the checker) and what would let each request left
    // out in, bounded (`planning::Budget`): CPU work, off the async threads.
    // Then another day for those nothing of their own day lets in.
    let now = super::rides::now();
    let (mut plan, mut found, records) = tokio::task::spawn_blocking(move || {
        let mut plan = planning::to_new_plan(&full, &whole, seconds, &source);
        planning::keep_locked(&mut plan, &locked);
        let found = planning::fits_if(
            &records.day(),
            &full,
            &whole,
            now,
            planning::Budget::default(),
        );
        (plan, found, records)
    })
    .await
    .map_err(crashed)?;
    let later = other_day::other_day(&state, &records, &found.not_today, now).await;
    found.found.extend(later);
    for u in &mut plan.unassigned {
        u.fits_if = found
            .found
            .iter()
            .find(|(id, _)| *id == u.request_id)
            .map(|(_, f)| f.clone());
    }
    let saved = store
        .save_plan(job.actor, job.date, &plan)
        .await
        .map_err(hide)?;
    Ok(Made {
        plan_id: saved.id,
        cost: saved.figures.cost,
        unassigned: saved.unassigned.len(),
    })
}
