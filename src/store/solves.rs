//! Solves under way and done. Progress and the cancel flag live in the
//! database, so any instance can report on or cancel a solve another runs.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::ToSchema;

use super::audit::record;
use super::{now, Actor, Store, StoreError};
use crate::domain::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    Running,
    Done,
    Cancelled,
    Failed,
}

impl SolveStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Running, Self::Done, Self::Cancelled, Self::Failed]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SolveRecord {
    pub id: Id,
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub status: SolveStatus,
    pub time_limit_s: f64,
    pub seed: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub elapsed_s: f64,
    pub iterations: i64,
    /// Cost of the best plan found so far.
    pub best_cost: Option<f64>,
    pub unassigned: Option<i64>,
    pub cancel_requested: bool,
    /// The draft the solve produced, once done.
    pub plan_id: Option<Id>,
    pub error: Option<String>,
}

const COLUMNS: &str = "id, date, status, time_limit_s, seed, started_at, finished_at, elapsed_s, \
    iterations, best_cost, unassigned, cancel_requested, plan_id, error";

/// A solve whose instance stopped reporting for this long is taken as dead.
const STALE_SECONDS: i64 = 60;

fn decode(r: &AnyRow) -> Result<SolveRecord, StoreError> {
    let date: String = r.try_get("date")?;
    let status: String = r.try_get("status")?;
    let cancel: i64 = r.try_get("cancel_requested")?;
    Ok(SolveRecord {
        id: r.try_get("id")?,
        date: super::parse_date(&date)?,
        status: SolveStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("solve status {status:?}")))?,
        time_limit_s: r.try_get("time_limit_s")?,
        seed: r.try_get("seed")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        elapsed_s: r.try_get("elapsed_s")?,
        iterations: r.try_get("iterations")?,
        best_cost: r.try_get("best_cost")?,
        unassigned: r.try_get("unassigned")?,
        cancel_requested: cancel != 0,
        plan_id: r.try_get("plan_id")?,
        error: r.try_get("error")?,
    })
}

/// Marks as failed a running solve whose instance stopped reporting.
async fn reap_stale<'c>(
    exec: impl sqlx::Executor<'c, Database = sqlx::Any>,
    date: &str,
) -> Result<(), StoreError> {
    let stale = (chrono::Utc::now() - chrono::Duration::seconds(STALE_SECONDS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query(
        "UPDATE solves SET status = 'failed', error = 'the instance running it stopped', \
         finished_at = $1 WHERE date = $2 AND status = 'running' AND heartbeat_at < $3",
    )
    .bind(now())
    .bind(date)
    .bind(stale)
    .execute(exec)
    .await?;
    Ok(())
}

impl Store {
    /// Registers a solve; a conflict if one is already running for the date.
    pub async fn start_solve(
        &self,
        actor: Actor,
        date: NaiveDate,
        time_limit_s: f64,
        seed: i64,
    ) -> Result<SolveRecord, StoreError> {
        let d = date.to_string();
        let mut tx = self.begin().await?;
        reap_stale(&mut *tx, &d).await?;
        let running = sqlx::query("SELECT id FROM solves WHERE date = $1 AND status = 'running'")
            .bind(&d)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(r) = running {
            let id: Id = r.try_get("id")?;
            return Err(StoreError::Conflict(format!(
                "solve {id} for {d} is still running: wait for it or cancel it"
            )));
        }
        let t = now();
        let id: Id = sqlx::query(
            "INSERT INTO solves (date, status, time_limit_s, seed, started_at, heartbeat_at, \
             started_by) VALUES ($1, 'running', $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&d)
        .bind(time_limit_s)
        .bind(seed)
        .bind(&t)
        .bind(&t)
        .bind(actor.0)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            "solve",
            "plan",
            None,
            Some(format!("{d} solve {id}")),
        )
        .await?;
        tx.commit().await?;
        self.solve(id).await
    }

    pub async fn solve(&self, id: Id) -> Result<SolveRecord, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM solves WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("solve"))?;
        decode(&row)
    }

    pub async fn latest_solve(&self, date: NaiveDate) -> Result<SolveRecord, StoreError> {
        reap_stale(&self.pool, &date.to_string()).await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM solves WHERE date = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(date.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("solve"))?;
        decode(&row)
    }

    /// Records progress and answers whether a cancel was asked for.
    pub async fn solve_progress(
        &self,
        id: Id,
        elapsed_s: f64,
        iterations: i64,
        best_cost: Option<f64>,
        unassigned: Option<i64>,
    ) -> Result<bool, StoreError> {
        sqlx::query(
            "UPDATE solves SET elapsed_s = $1, iterations = $2, best_cost = $3, unassigned = $4, \
             heartbeat_at = $5 WHERE id = $6",
        )
        .bind(elapsed_s)
        .bind(iterations)
        .bind(best_cost)
        .bind(unassigned)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT cancel_requested FROM solves WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("cancel_requested")? != 0)
    }

    /// Records how a solve ended; false if it had already been given up as stale.
    pub async fn finish_solve(
        &self,
        id: Id,
        status: SolveStatus,
        plan_id: Option<Id>,
        error: Option<String>,
    ) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE solves SET status = $1, plan_id = $2, error = $3, finished_at = $4 \
             WHERE id = $5 AND status = 'running'",
        )
        .bind(status.as_str())
        .bind(plan_id)
        .bind(error)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    pub async fn cancel_solve(
        &self,
        actor: Actor,
        date: NaiveDate,
    ) -> Result<SolveRecord, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT id FROM solves WHERE date = $1 AND status = 'running'")
            .bind(date.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("running solve"))?;
        let id: Id = row.try_get("id")?;
        sqlx::query("UPDATE solves SET cancel_requested = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(&mut tx, actor, "cancel", "solve", Some(id), None).await?;
        tx.commit().await?;
        self.solve(id).await
    }
}
