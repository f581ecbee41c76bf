use crate::domain::Invalid;
use crate::store::StoreError;

/// Why a driver use case refused; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// Unknown, or out of the caller's reach (never said which).
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// An event id already used for something else.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for DriverError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Invalid(i) => Self::Invalid(i),
            StoreError::Conflict(m) => Self::Conflict(m),
            other => Self::Store(other),
        }
    }
}
