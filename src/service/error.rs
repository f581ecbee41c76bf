//! The one error type of the use cases.

use crate::domain::Invalid;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input that breaks a rule or names what is not there, field by field.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error("{0} not found")]
    NotFound(String),
    /// The state moved on (a stale version, a solve already running).
    #[error("{0}")]
    Conflict(String),
    /// Out of capacity for now (every core solving, travel times unreachable).
    #[error("{0}")]
    Busy(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::blocking::ShuttingDown> for ServiceError {
    fn from(e: crate::blocking::ShuttingDown) -> Self {
        Self::Busy(e.to_string())
    }
}
