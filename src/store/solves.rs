//! Solves under way and done. Progress and the cancel flag live in the
//! database, so any instance can report on or cancel a solve another runs.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use utoipa::ToSchema;

use super::audit::record;
use super::liveness::Claim;
use super::{now, parse_instant, Actor, Store, StoreError};
use crate::domain::Id;
use crate::domain::{AuditAction, AuditEntity};

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

/// A solve whose instance stopped reporting for this long is taken as dead,
/// whatever its token of life says (a fallback; rows from before 0004 have
/// no instance).
const STALE_SECONDS: i64 = 60;

/// A registered solve and this instance's claim on it: the job keeps the
/// claim to its end.
pub struct Started {
    pub record: SolveRecord,
    pub claim: Claim,
}

/// What a heartbeat brings back to the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heartbeat {
    Running,
    CancelAsked,
    /// The row no longer runs (given up as dead, or cancelled at once): stop
    /// and record nothing.
    Ended,
}

/// Why nobody works on a running solve any more, if so.
#[derive(Debug, Clone, Copy)]
enum Orphan {
    WorkerGone,
    InstanceGone,
    Silent,
}

impl Orphan {
    fn message(self) -> &'static str {
        match self {
            Self::WorkerGone => "the solve's worker stopped without recording an end",
            Self::InstanceGone => "the instance running it stopped",
            Self::Silent => "the instance running it stopped reporting",
        }
    }
}

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

impl Store {
    /// Registers a solve; a conflict if one is already running for the date.
    pub async fn start_solve(
        &self,
        actor: Actor,
        date: NaiveDate,
        time_limit_s: f64,
        seed: i64,
    ) -> Result<Started, StoreError> {
        let d = date.to_string();
        self.instance.hold().await?;
        self.reap(&d).await?;
        let mut tx = self.begin().await?;
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
             started_by, instance_id) VALUES ($1, 'running', $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&d)
        .bind(time_limit_s)
        .bind(seed)
        .bind(&t)
        .bind(&t)
        .bind(actor.0)
        .bind(self.instance.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        // Claimed before the commit: no reader ever sees it running unclaimed.
        let claim = self.instance.claim(id);
        record(
            &mut tx,
            actor,
            AuditAction::Solve,
            AuditEntity::Plan,
            None,
            Some(format!("{d} solve {id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(Started {
            record: self.solve(id).await?,
            claim,
        })
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
        self.reap(&date.to_string()).await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM solves WHERE date = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(date.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("solve"))?;
        decode(&row)
    }

    /// Records progress and the heartbeat, keeps this instance's token of
    /// life, and answers whether to go on.
    pub async fn solve_heartbeat(
        &self,
        id: Id,
        elapsed_s: f64,
        iterations: i64,
        best_cost: Option<f64>,
        unassigned: Option<i64>,
    ) -> Result<Heartbeat, StoreError> {
        if let Err(e) = self.instance.hold().await {
            tracing::warn!("solve {id}: token of life not held: {e}");
        }
        // No cost yet is a literal NULL, never a NULL parameter: on PostgreSQL
        // the Any driver binds a NULL as an integer, and the statement cached
        // with that type then refuses a later real cost (as in `events`).
        let cost = if best_cost.is_some() { "$6" } else { "NULL" };
        let sql = format!(
            "UPDATE solves SET elapsed_s = $1, iterations = $2, unassigned = $3, \
             heartbeat_at = $4, best_cost = {cost} WHERE id = $5 AND status = 'running' \
             RETURNING cancel_requested"
        );
        let q = sqlx::query(&sql)
            .bind(elapsed_s)
            .bind(iterations)
            .bind(unassigned)
            .bind(now())
            .bind(id);
        let q = match best_cost {
            Some(c) => q.bind(c),
            None => q,
        };
        let row = q.fetch_optional(&self.writer).await?;
        Ok(match row {
            None => Heartbeat::Ended,
            Some(r) if r.try_get::<i64, _>("cancel_requested")? != 0 => Heartbeat::CancelAsked,
            Some(_) => Heartbeat::Running,
        })
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
        .execute(&self.writer)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Stops the running solve of `date`. A live worker is asked to stop
    /// (it keeps its best plan); a solve no live worker holds is cancelled
    /// at once, so the date is free.
    pub async fn cancel_solve(
        &self,
        actor: Actor,
        date: NaiveDate,
    ) -> Result<SolveRecord, StoreError> {
        let d = date.to_string();
        let (id, orphan) = self
            .running(&d)
            .await?
            .ok_or(StoreError::NotFound("running solve"))?;
        let mut tx = self.begin().await?;
        let sql = match orphan {
            None => "UPDATE solves SET cancel_requested = 1 WHERE id = $1 AND status = 'running'",
            Some(_) => {
                "UPDATE solves SET cancel_requested = 1, status = 'cancelled', finished_at = $2, \
                 error = $3 WHERE id = $1 AND status = 'running'"
            }
        };
        let mut q = sqlx::query(sql).bind(id);
        if let Some(o) = orphan {
            q = q.bind(now()).bind(format!(
                "cancelled with no live worker ({}): no plan kept",
                o.message()
            ));
        }
        if q.execute(&mut *tx).await?.rows_affected() == 0 {
            // It ended meanwhile: nothing to stop.
            return self.solve(id).await;
        }
        record(
            &mut tx,
            actor,
            AuditAction::Cancel,
            AuditEntity::Solve,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.solve(id).await
    }

    /// The running solve of `date`, with why nobody works on it any more.
    async fn running(&self, date: &str) -> Result<Option<(Id, Option<Orphan>)>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT id, instance_id, heartbeat_at FROM solves WHERE date = $1 AND status = 'running'",
        )
        .bind(date)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: Id = r.try_get("id")?;
        let instance: Option<i64> = r.try_get("instance_id")?;
        let heartbeat = parse_instant(&r.try_get::<String, _>("heartbeat_at")?)?;
        let silent = chrono::Utc::now() - heartbeat > chrono::Duration::seconds(STALE_SECONDS);
        let orphan = match instance {
            _ if silent => Some(Orphan::Silent),
            Some(i) if i == self.instance.id => {
                (!self.instance.works_on(id)).then_some(Orphan::WorkerGone)
            }
            Some(i) => (!self.instance.alive(&self.pool, i).await?).then_some(Orphan::InstanceGone),
            None => None,
        };
        Ok(Some((id, orphan)))
    }

    /// Marks as failed the running solve of `date` if nobody works on it any more.
    async fn reap(&self, date: &str) -> Result<(), StoreError> {
        let Some((id, Some(orphan))) = self.running(date).await? else {
            return Ok(());
        };
        let n = sqlx::query(
            "UPDATE solves SET status = 'failed', error = $1, finished_at = $2 \
             WHERE id = $3 AND status = 'running'",
        )
        .bind(orphan.message())
        .bind(now())
        .bind(id)
        .execute(&self.writer)
        .await?
        .rows_affected();
        if n == 1 {
            tracing::warn!("solve {id} for {date} given up: {}", orphan.message());
        }
        Ok(())
    }
}
