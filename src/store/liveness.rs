//! This instance's identity and a token of life that dies with the process,
//! so any instance can tell whether the one that runs a solve is still there:
//! on PostgreSQL a session-level advisory lock held on a connection of its
//! own, on SQLite an exclusive lock on a small file beside the database. The
//! operating system or the server drops either when the process dies, however
//! it dies. The solves this instance is working on are listed in memory, so a
//! worker that died inside a live process is told apart from one at work.

use std::collections::HashSet;
use std::fs::{File, TryLockError};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use sqlx::{AnyConnection, AnyPool, Connection, Row};

use super::StoreError;
use crate::domain::Id;

/// The first key of giro's advisory locks, so they meet no other program's.
const LOCK_CLASS: i32 = 0x6769_726f; // "giro"

/// Where the token of life lives.
enum Place {
    /// The database's URL: the lock is held on a connection of its own.
    Postgres(String),
    /// A directory beside the SQLite file, one lock file per instance.
    Files(PathBuf),
    /// An in-memory database dies with its process: no other instance sees it.
    Memory,
}

enum Token {
    Postgres(AnyConnection),
    /// The lock lives as long as the open file.
    File {
        _locked: File,
        path: PathBuf,
    },
}

pub(crate) struct Instance {
    /// Recorded on the solves this instance runs.
    pub id: i64,
    place: Place,
    /// Taken at the first solve: instances that never solve hold nothing.
    token: tokio::sync::Mutex<Option<Token>>,
    working: Mutex<HashSet<Id>>,
}

/// This instance works on a solve while the claim lives: dropped at the end
/// of the job, or when the job's task dies (panic, abort, runtime stop).
pub struct Claim {
    instance: Arc<Instance>,
    solve: Id,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.instance.working_set().remove(&self.solve);
    }
}

impl Instance {
    pub fn new(url: &str, postgres: bool) -> Result<Self, StoreError> {
        let place = if postgres {
            Place::Postgres(url.to_string())
        } else if url.contains(":memory:") || url.contains("mode=memory") {
            Place::Memory
        } else {
            let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
            let mut dir = options.get_filename().as_os_str().to_owned();
            dir.push("-instances");
            Place::Files(PathBuf::from(dir))
        };
        Ok(Self {
            // Positive and within i32: the advisory lock's second key.
            id: fastrand::i32(1..) as i64,
            place,
            token: tokio::sync::Mutex::new(None),
            working: Mutex::new(HashSet::new()),
        })
    }

    fn working_set(&self) -> std::sync::MutexGuard<'_, HashSet<Id>> {
        // A panic elsewhere cannot leave the set half-changed: use it as it is.
        self.working.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn claim(self: &Arc<Self>, solve: Id) -> Claim {
        self.working_set().insert(solve);
        Claim {
            instance: self.clone(),
            solve,
        }
    }

    pub fn works_on(&self, solve: Id) -> bool {
        self.working_set().contains(&solve)
    }

    /// Takes the token of life, or checks that it is still held (a lost
    /// PostgreSQL connection is opened again and the lock taken again).
    pub async fn hold(&self) -> Result<(), StoreError> {
        let mut token = self.token.lock().await;
        if let Some(Token::Postgres(conn)) = token.as_mut() {
            if conn.ping().await.is_err() {
                tracing::warn!("instance {}: liveness connection lost, retaking", self.id);
                *token = None;
            }
        }
        if token.is_none() {
            *token = self.take().await?;
        }
        Ok(())
    }

    async fn take(&self) -> Result<Option<Token>, StoreError> {
        let taken = |held: bool| {
            if held {
                Ok(())
            } else {
                Err(StoreError::Conflict(format!(
                    "instance id {} is in use by another live instance: restart this one",
                    self.id
                )))
            }
        };
        match &self.place {
            Place::Postgres(url) => {
                let mut conn = AnyConnection::connect(url).await?;
                let held: bool = sqlx::query("SELECT pg_try_advisory_lock($1, $2) AS held")
                    .bind(LOCK_CLASS)
                    .bind(self.id as i32)
                    .fetch_one(&mut conn)
                    .await?
                    .try_get("held")?;
                taken(held)?;
                Ok(Some(Token::Postgres(conn)))
            }
            Place::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(io)?;
                let path = dir.join(format!("{}.lock", self.id));
                let file = File::create(&path).map_err(io)?;
                taken(file.try_lock().is_ok())?;
                Ok(Some(Token::File {
                    _locked: file,
                    path,
                }))
            }
            Place::Memory => Ok(None),
        }
    }

    /// Whether another instance still holds its token of life.
    pub async fn alive(&self, pool: &AnyPool, other: i64) -> Result<bool, StoreError> {
        match &self.place {
            Place::Postgres(_) => {
                // Taken only if nobody holds it; given back at the commit.
                let mut tx = pool.begin().await?;
                let got: bool = sqlx::query("SELECT pg_try_advisory_xact_lock($1, $2) AS got")
                    .bind(LOCK_CLASS)
                    .bind(other as i32)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("got")?;
                tx.commit().await?;
                Ok(!got)
            }
            Place::Files(dir) => {
                let path = dir.join(format!("{other}.lock"));
                let file = match File::open(&path) {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
                    Err(e) => return Err(io(e)),
                };
                match file.try_lock() {
                    Ok(()) => {
                        // Dead: its file is litter now.
                        let _ = std::fs::remove_file(&path);
                        Ok(false)
                    }
                    Err(TryLockError::WouldBlock) => Ok(true),
                    Err(TryLockError::Error(e)) => Err(io(e)),
                }
            }
            Place::Memory => Ok(false),
        }
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        if let Token::File { path, .. } = self {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("instance lock file: {e}"))
}
