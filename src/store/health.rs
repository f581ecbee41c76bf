//! What an operator asks of the database: does it answer, is the schema this
//! build's, how busy are the pools.

use sqlx::migrate::Migrate;

use super::{Backend, Store, StoreError};

/// The schema against the migrations embedded in this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    /// Versions not applied, or whose run failed half-way.
    pub pending: Vec<i64>,
    /// Versions applied from a text other than this build's.
    pub changed: Vec<i64>,
    /// How many migrations this build has.
    pub embedded: usize,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.pending.is_empty() && self.changed.is_empty()
    }
}

/// One connection pool's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub idle: u32,
    pub in_use: u32,
    pub max: u32,
}

fn stats(pool: &sqlx::AnyPool) -> PoolStats {
    let open = pool.size();
    let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX).min(open);
    PoolStats {
        idle,
        in_use: open - idle,
        max: pool.options().get_max_connections(),
    }
}

impl Store {
    /// A trivial query, then the applied migrations against this build's.
    /// Reads only: a probe never creates the migrations table.
    pub async fn ready(&self) -> Result<Readiness, StoreError> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("SELECT 1").execute(&mut *conn).await?;
        let failed = conn.dirty_version().await?;
        let applied = conn.list_applied_migrations().await?;
        let migrator = self.migrator(i64::MAX).await?;
        let (mut pending, mut changed) = (Vec::new(), Vec::new());
        for m in migrator.iter() {
            match applied.iter().find(|a| a.version == m.version) {
                _ if failed == Some(m.version) => pending.push(m.version),
                None => pending.push(m.version),
                Some(a) if a.checksum != m.checksum => changed.push(m.version),
                Some(_) => {}
            }
        }
        Ok(Readiness {
            pending,
            changed,
            embedded: migrator.iter().count(),
        })
    }

    /// Each pool by name: `main`, and on SQLite the one-connection `writer`
    /// every write transaction queues for.
    pub fn pool_stats(&self) -> Vec<(&'static str, PoolStats)> {
        let mut all = vec![("main", stats(&self.pool))];
        if self.backend == Backend::Sqlite {
            all.push(("writer", stats(&self.writer)));
        }
        all
    }
}
