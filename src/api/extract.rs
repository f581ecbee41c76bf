//! Path and query extractors whose rejections are JSON errors naming the part
//! at fault. Every value passes the text rule (`domain::text`) and every date
//! the date range (`domain::date`), as JSON bodies do.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use chrono::NaiveDate;

use super::AppError;
use crate::domain::{self, FieldError, Id, Invalid};

/// Values (and names) with control characters, named by the parameter.
fn clean(pairs: &HashMap<String, String>) -> Result<(), AppError> {
    let mut faults: Vec<FieldError> = pairs
        .iter()
        .flat_map(|(name, value)| {
            let field: String = name.escape_debug().collect();
            [
                domain::text::check(name).map_err(|m| format!("the name {m}")),
                domain::text::check(value),
            ]
            .into_iter()
            .filter_map(move |r| r.err().map(|m| FieldError::new(field.clone(), m)))
        })
        .collect();
    if faults.is_empty() {
        return Ok(());
    }
    // A stable order whatever the map's.
    faults.sort_by(|a, b| a.field.cmp(&b.field));
    Err(AppError::Invalid(Invalid(faults)))
}

async fn params<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<HashMap<String, String>, AppError> {
    Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map(|p| p.0)
        .map_err(|e| AppError::BadRequest {
            field: None,
            message: e.body_text(),
        })
        .and_then(|p| clean(&p).map(|()| p))
}

fn id(params: &HashMap<String, String>, name: &str) -> Result<Id, AppError> {
    let raw = params.get(name).map(String::as_str).unwrap_or("");
    raw.parse::<Id>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| AppError::BadRequest {
            field: Some(name.into()),
            message: format!("{name}: expected a positive integer id, got {raw:?}"),
        })
}

pub fn date(raw: &str, name: &str) -> Result<NaiveDate, AppError> {
    let d: NaiveDate = raw.parse().map_err(|_| AppError::BadRequest {
        field: Some(name.into()),
        message: format!("{name}: expected a date YYYY-MM-DD, got {raw:?}"),
    })?;
    domain::date::check(d).map_err(|m| AppError::invalid(name, m))
}

/// `{id}` in the path.
pub struct PathId(pub Id);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Ok(Self(id(&params(parts, state).await?, "id")?))
    }
}

/// `{date}` in the path.
pub struct PathDate(pub NaiveDate);

impl<S: Send + Sync> FromRequestParts<S> for PathDate {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let p = params(parts, state).await?;
        Ok(Self(date(
            p.get("date").map(String::as_str).unwrap_or(""),
            "date",
        )?))
    }
}

/// `{date}` and `{id}` in the path.
pub struct PathDateId(pub NaiveDate, pub Id);

impl<S: Send + Sync> FromRequestParts<S> for PathDateId {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let p = params(parts, state).await?;
        Ok(Self(
            date(p.get("date").map(String::as_str).unwrap_or(""), "date")?,
            id(&p, "id")?,
        ))
    }
}

/// The query string as loose pairs, read by name with clear errors.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::BadRequest {
                field: None,
                message: e.body_text(),
            })
            .and_then(|q| clean(&q.0).map(|()| Self(q.0)))
    }
}

impl Params {
    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>, AppError> {
        self.0.get(name).map(|v| date(v, name)).transpose()
    }

    /// The required `from` and `to` dates of a range (their order is the
    /// use case's to judge).
    pub fn range(&self) -> Result<(NaiveDate, NaiveDate), AppError> {
        let required = |name: &str| {
            self.date(name)?
                .ok_or_else(|| AppError::invalid(name, "is required"))
        };
        Ok((required("from")?, required("to")?))
    }

    pub fn id(&self, name: &str) -> Result<Option<Id>, AppError> {
        self.0.get(name).map(|_| id(&self.0, name)).transpose()
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, AppError> {
        self.0
            .get(name)
            .map(|v| {
                v.parse().map_err(|_| AppError::BadRequest {
                    field: Some(name.into()),
                    message: format!("{name}: expected an integer, got {v:?}"),
                })
            })
            .transpose()
    }
}
