use crate::domain::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist, or the caller's scope does not reach it.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness rule, a reference still in use, or a stale version.
    #[error("{0}")]
    Conflict(String),
    /// Input that names rows that do not exist or are out of scope.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is not what was expected: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(d) = &e {
            match d.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    return StoreError::Conflict(
                        "a record with the same unique value exists".into(),
                    )
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => {
                    return StoreError::Conflict(
                        "the record is still referenced by other records".into(),
                    )
                }
                _ => {}
            }
            // Two writers on one SQLite file, or PostgreSQL breaking a
            // deadlock or a serialization conflict between two writers: the
            // loser retries, like an edit conflict.
            let busy_pg = matches!(d.code().as_deref(), Some("40001" | "40P01" | "55P03"));
            if busy_pg || d.message().contains("database is locked") {
                return StoreError::Conflict("the database is busy; try again".into());
            }
        }
        StoreError::Db(e)
    }
}
