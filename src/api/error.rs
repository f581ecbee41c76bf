//! The one error type at the HTTP edge: every failure becomes a status and a
//! JSON body `{"error", "message", "field"?, "details"?}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::import::RowError;
use crate::domain::{FieldError, Invalid};
use crate::service::drivers::DriverError;
use crate::service::import::ImportError;
use crate::service::ServiceError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Malformed JSON, a missing field or a wrong type.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    /// Well-formed input that breaks a rule or names unknown records.
    #[error("{0}")]
    Invalid(Invalid),
    /// A file's faulty rows, each by line and column (`domain::import`).
    #[error("{}", rows_message(.0))]
    Rows(Vec<RowError>),
    /// A body that is not JSON.
    #[error("{0}")]
    UnsupportedMedia(String),
    /// A body above the size the server takes.
    #[error("{0}")]
    TooLarge(String),
    #[error("log in first")]
    Unauthenticated,
    /// A sign-in with a wrong e-mail, password or PIN.
    #[error("wrong e-mail or password")]
    BadCredentials,
    /// Too many attempts: try again after `retry_after_s` seconds.
    #[error("{message}")]
    TooMany { message: String, retry_after_s: u64 },
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Every core is already solving; try again shortly.
    #[error("{0}")]
    Busy(String),
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `bad_request`, `invalid`, `unsupported_media_type`,
    /// `too_large`, `unauthenticated`, `bad_credentials`, `too_many_requests`,
    /// `forbidden`, `not_found`, `conflict`, `busy`, `internal`.
    pub error: &'static str,
    pub message: String,
    /// The first field at fault, as a JSON path (`window.end`, `layouts[0].name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldError>,
    /// An imported file's faults: line (1 = the header) and column as written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowError>,
}

/// The first faults of a file in one line, for the message.
fn rows_message(rows: &[RowError]) -> String {
    let first: Vec<String> = rows
        .iter()
        .take(3)
        .map(|e| format!("row {}, column {}: {}", e.row, e.column, e.message))
        .collect();
    let more = rows.len().saturating_sub(3);
    let more = if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    };
    format!("{}{more}", first.join("; "))
}

impl AppError {
    pub fn forbidden(what: impl Into<String>) -> Self {
        Self::Forbidden(what.into())
    }

    pub fn invalid(field: &str, message: &str) -> Self {
        Self::Invalid(Invalid::one(field, message))
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        Self::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(what.to_string()),
            StoreError::Conflict(m) => Self::Conflict(m),
            StoreError::Invalid(i) => Self::Invalid(i),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<DriverError> for AppError {
    fn from(e: DriverError) -> Self {
        match e {
            DriverError::NotFound(what) => Self::NotFound(what.to_string()),
            DriverError::Invalid(i) => Self::Invalid(i),
            DriverError::Conflict(m) => Self::Conflict(m),
            DriverError::Store(s) => s.into(),
            DriverError::Internal(m) => Self::Internal(m),
        }
    }
}

impl From<ImportError> for AppError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::File(rows) | ImportError::Rows(rows) => Self::Rows(rows),
            ImportError::Invalid(i) => Self::Invalid(i),
            ImportError::Store(s) => s.into(),
        }
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(i) => Self::Invalid(i),
            ServiceError::NotFound(what) => Self::NotFound(what),
            ServiceError::Conflict(m) => Self::Conflict(m),
            ServiceError::Busy(m) => Self::Busy(m),
            ServiceError::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            Self::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Invalid(_) | Self::Rows(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            Self::UnsupportedMedia(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            Self::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::BadCredentials => (StatusCode::UNAUTHORIZED, "bad_credentials"),
            Self::TooMany { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        let retry_after = match &self {
            Self::TooMany { retry_after_s, .. } => Some(*retry_after_s),
            _ => None,
        };
        let body = match self {
            Self::BadRequest { field, message } => ErrorBody {
                error: code,
                message,
                field,
                details: Vec::new(),
                errors: Vec::new(),
            },
            Self::Invalid(Invalid(details)) => ErrorBody {
                error: code,
                message: details
                    .iter()
                    .map(|d| format!("{}: {}", d.field, d.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                field: details.first().map(|d| d.field.clone()),
                details,
                errors: Vec::new(),
            },
            Self::Rows(rows) => ErrorBody {
                error: code,
                message: rows_message(&rows),
                field: None,
                details: Vec::new(),
                errors: rows,
            },
            Self::Internal(detail) => {
                // The cause goes to the log, never to the client.
                tracing::error!("internal error: {detail}");
                ErrorBody {
                    error: code,
                    message: "internal error".into(),
                    field: None,
                    details: Vec::new(),
                    errors: Vec::new(),
                }
            }
            other => ErrorBody {
                error: code,
                message: other.to_string(),
                field: None,
                details: Vec::new(),
                errors: Vec::new(),
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds.max(1)),
            );
        }
        response
    }
}
