//! JSON or CSV for lists people take into a spreadsheet: `?format=csv` or
//! `Accept: text/csv` (the parameter wins).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::extract::Params;
use super::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    pub fn of(q: &Params, headers: &HeaderMap) -> Result<Self, AppError> {
        match q.0.get("format").map(String::as_str) {
            Some("csv") => Ok(Self::Csv),
            Some("json") => Ok(Self::Json),
            Some(other) => Err(AppError::BadRequest {
                field: Some("format".into()),
                message: format!("format: expected json or csv, got {other:?}"),
            }),
            None => {
                let csv = headers
                    .get_all(header::ACCEPT)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .any(|v| v.to_ascii_lowercase().contains("text/csv"));
                Ok(if csv { Self::Csv } else { Self::Json })
            }
        }
    }

    /// `list` as JSON, or as the CSV file `name` written by `to_csv`.
    pub fn answer<T: Serialize>(self, list: T, to_csv: fn(&T) -> String, name: &str) -> Response {
        match self {
            Self::Json => Json(list).into_response(),
            Self::Csv => csv(to_csv(&list), name),
        }
    }

    /// A list of records as JSON, or as the CSV file `name`, a line each.
    pub fn list<T: Serialize + crate::csv::CsvRecord>(self, list: Vec<T>, name: &str) -> Response {
        match self {
            Self::Json => Json(list).into_response(),
            Self::Csv => csv(crate::csv::records(&list), name),
        }
    }
}

/// A CSV file to save as `name`.
pub fn csv(body: String, name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
