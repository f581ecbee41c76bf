//! Path and query extractors whose rejections are JSON errors naming the part at fault.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use chrono::NaiveDate;

use super::AppError;
use crate::domain::Id;

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
    raw.parse().map_err(|_| AppError::BadRequest {
        field: Some(name.into()),
        message: format!("{name}: expected a date YYYY-MM-DD, got {raw:?}"),
    })
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
            .map(|q| Self(q.0))
            .map_err(|e| AppError::BadRequest {
                field: None,
                message: e.body_text(),
            })
    }
}

impl Params {
    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>, AppError> {
        self.0.get(name).map(|v| date(v, name)).transpose()
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
