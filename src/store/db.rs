//! Connecting, migrating and the transaction type every write goes through.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{Any, AnyPool};

use super::liveness::Instance;
use super::StoreError;

pub type Tx = sqlx::Transaction<'static, Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    /// Where write transactions run. On SQLite a pool of one: the file has one
    /// writer, and writers queued here are woken the moment it is free, where
    /// SQLite's busy handler would have them sleep and retry in steps of up
    /// to 100 ms (the booking tail, see BENCHMARKS.md). On PostgreSQL the
    /// same pool as reads.
    pub(crate) writer: AnyPool,
    pub backend: Backend,
    /// Who this instance is to the others on the database (`liveness`).
    pub(crate) instance: Arc<Instance>,
}

/// The schema, compiled into the binary so a fresh machine needs no files.
const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "service",
        include_str!("../../migrations/sqlite/0001_service.sql"),
    ),
    (
        2,
        "driver_events",
        include_str!("../../migrations/sqlite/0002_driver_events.sql"),
    ),
    (
        3,
        "route_locks",
        include_str!("../../migrations/sqlite/0003_route_locks.sql"),
    ),
    (
        4,
        "solve_instances",
        include_str!("../../migrations/sqlite/0004_solve_instances.sql"),
    ),
    (
        5,
        "rides",
        include_str!("../../migrations/sqlite/0005_rides.sql"),
    ),
    (
        6,
        "standing_orders",
        include_str!("../../migrations/sqlite/0006_standing_orders.sql"),
    ),
    (
        7,
        "lifecycle",
        include_str!("../../migrations/sqlite/0007_lifecycle.sql"),
    ),
    (
        8,
        "fees",
        include_str!("../../migrations/sqlite/0008_fees.sql"),
    ),
    (
        9,
        "vehicle_sharing",
        include_str!("../../migrations/sqlite/0009_vehicle_sharing.sql"),
    ),
    (
        10,
        "meals",
        include_str!("../../migrations/sqlite/0010_meals.sql"),
    ),
    (
        11,
        "surplus",
        include_str!("../../migrations/sqlite/0011_surplus.sql"),
    ),
    (
        12,
        "shift_services",
        include_str!("../../migrations/sqlite/0012_shift_services.sql"),
    ),
    (
        13,
        "personal_data",
        include_str!("../../migrations/sqlite/0013_personal_data.sql"),
    ),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "service",
        include_str!("../../migrations/postgres/0001_service.sql"),
    ),
    (
        2,
        "driver_events",
        include_str!("../../migrations/postgres/0002_driver_events.sql"),
    ),
    (
        3,
        "route_locks",
        include_str!("../../migrations/postgres/0003_route_locks.sql"),
    ),
    (
        4,
        "solve_instances",
        include_str!("../../migrations/postgres/0004_solve_instances.sql"),
    ),
    (
        5,
        "rides",
        include_str!("../../migrations/postgres/0005_rides.sql"),
    ),
    (
        6,
        "standing_orders",
        include_str!("../../migrations/postgres/0006_standing_orders.sql"),
    ),
    (
        7,
        "lifecycle",
        include_str!("../../migrations/postgres/0007_lifecycle.sql"),
    ),
    (
        8,
        "fees",
        include_str!("../../migrations/postgres/0008_fees.sql"),
    ),
    (
        9,
        "vehicle_sharing",
        include_str!("../../migrations/postgres/0009_vehicle_sharing.sql"),
    ),
    (
        10,
        "meals",
        include_str!("../../migrations/postgres/0010_meals.sql"),
    ),
    (
        11,
        "surplus",
        include_str!("../../migrations/postgres/0011_surplus.sql"),
    ),
    (
        12,
        "shift_services",
        include_str!("../../migrations/postgres/0012_shift_services.sql"),
    ),
    (
        13,
        "personal_data",
        include_str!("../../migrations/postgres/0013_personal_data.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> Pin<
        Box<
            dyn Future<Output = Result<Vec<Migration>, Box<dyn std::error::Error + Send + Sync>>>
                + Send,
        >,
    > {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|&(v, d, sql)| {
                    Migration::new(
                        v,
                        Cow::Borrowed(d),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// How often the WAL is copied back into the SQLite file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A pool of `max` connections, each set up for the backend.
fn pool_options(backend: Backend, max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // Foreign keys are per connection in SQLite. NORMAL syncs the
                    // WAL at checkpoints, not at every commit: with WAL the file
                    // stays consistent, and only a power cut may lose the last
                    // commits. Checkpoints run in the background (`checkpoints`),
                    // not in the commit that crosses the WAL threshold. The busy
                    // timeout is left for other processes on the same file.
                    for pragma in [
                        "PRAGMA foreign_keys = ON",
                        "PRAGMA busy_timeout = 5000",
                        "PRAGMA synchronous = NORMAL",
                        "PRAGMA wal_autocheckpoint = 0",
                    ] {
                        sqlx::query(pragma).execute(&mut *conn).await?;
                    }
                }
                Ok(())
            })
        })
}

/// Copies the WAL back into the database file every `CHECKPOINT_EVERY`, off
/// the write path: a passive checkpoint waits for no one and blocks no one.
async fn checkpoints(pool: AnyPool) {
    loop {
        tokio::time::sleep(CHECKPOINT_EVERY).await;
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!("WAL checkpoint: {e}");
        }
    }
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_at(url, i64::MAX).await
    }

    /// Opens and migrates up to `version` only: for tests of the migrations.
    #[doc(hidden)]
    pub async fn connect_at(url: &str, version: i64) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Corrupt(format!(
                "DATABASE_URL must start with sqlite: or postgres://, got {url:?}"
            )));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = pool_options(backend, if backend == Backend::Sqlite { 4 } else { 10 })
            .connect_with(options.clone())
            .await?;
        let writer = match backend {
            Backend::Sqlite => {
                // WAL: reads run beside the write; set once, kept by the file.
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&pool)
                    .await?;
                tokio::spawn(checkpoints(pool.clone()));
                pool_options(backend, 1).connect_with(options).await?
            }
            Backend::Postgres => pool.clone(),
        };
        let instance = Arc::new(Instance::new(&url, backend == Backend::Postgres)?);
        let store = Self {
            pool,
            writer,
            backend,
            instance,
        };
        store.migrate(version).await?;
        Ok(store)
    }

    async fn migrate(&self, version: i64) -> Result<(), StoreError> {
        self.migrator(version).await?.run(&self.pool).await?;
        Ok(())
    }

    /// The migrations embedded in this build, up to `version`.
    pub(super) async fn migrator(&self, version: i64) -> Result<Migrator, StoreError> {
        let all = match self.backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        let upto = all.iter().take_while(|m| m.0 <= version).count();
        Ok(Migrator::new(Embedded(&all[..upto])).await?)
    }

    /// A write transaction. On SQLite it takes the write lock at once
    /// (waiting up to the busy timeout), so a read-then-write never fails
    /// because another connection committed in between.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

impl Store {
    /// Deletes one row by id with its audit line; `NotFound(entity)` when absent,
    /// a conflict when other records still refer to it.
    pub(crate) async fn delete_row(
        &self,
        actor: super::Actor,
        table: &'static str,
        entity: crate::domain::AuditEntity,
        id: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(entity.as_str()));
        }
        super::audit::record(
            &mut tx,
            actor,
            crate::domain::AuditAction::Delete,
            entity,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// True when a row with this id exists in `table` (a constant, never user input).
pub(crate) async fn exists(tx: &mut Tx, table: &'static str, id: i64) -> Result<bool, StoreError> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = $1");
    Ok(sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}
