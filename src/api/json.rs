//! A JSON body extractor whose errors name the field at fault.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use super::AppError;

pub struct Json<T>(pub T);

/// The field serde complains about: its path, plus the name quoted in
/// "missing field `x`" or "unknown field `x`" messages.
fn field_of(path: &str, message: &str) -> Option<String> {
    let quoted = message
        .strip_prefix("missing field `")
        .or_else(|| message.strip_prefix("unknown field `"))
        .and_then(|rest| rest.split('`').next());
    let path = (path != ".").then(|| path.to_string());
    match (path, quoted) {
        // For unknown fields the path already ends at the field.
        (Some(p), Some(q)) if p == q || p.ends_with(&format!(".{q}")) => Some(p),
        (Some(p), Some(q)) => Some(format!("{p}.{q}")),
        (None, Some(q)) => Some(q.to_string()),
        (p, None) => p,
    }
}

/// A hand-written deserializer that tracked its own fields says
/// "at `inner.path`: message"; its path continues the outer one.
fn nested(path: String, message: String) -> (String, String) {
    let Some((inner, rest)) = message
        .strip_prefix("at `")
        .and_then(|m| m.split_once("`: "))
    else {
        return (path, message);
    };
    let path = match (path.as_str(), inner) {
        (_, ".") => path,
        (".", _) => inner.to_string(),
        _ => format!("{path}.{inner}"),
    };
    (path, rest.to_string())
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        // serde_json appends " at line 1 column 9": the field name is what helps.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let (path, message) = nested(path, message);
        // serde_json reports a wrong type for an enum as a syntax error; if
        // the body is valid JSON, the fault is the value at the path.
        let well_formed =
            inner.is_data() || serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
        let field = if well_formed {
            field_of(&path, &message)
        } else {
            None
        };
        let message = if well_formed && !inner.is_data() {
            "not one of the allowed values".to_string()
        } else {
            message
        };
        AppError::BadRequest {
            message: match &field {
                Some(f) => format!("{f}: {message}"),
                None => format!("body is not valid JSON: {message}"),
            },
            field,
        }
    })?;
    // Trailing bytes after the value are as malformed as a missing brace.
    de.end().map_err(|e| AppError::BadRequest {
        field: None,
        message: format!("body is not valid JSON: {e}"),
    })?;
    Ok(value)
}

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn not_json() -> AppError {
    AppError::UnsupportedMedia("send the body as JSON with Content-Type: application/json".into())
}

/// The body's bytes; a failed read (too large, cut short) is a 400.
async fn read<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state)
        .await
        .map_err(|e| AppError::BadRequest {
            field: None,
            message: e.body_text(),
        })
}

/// A JSON body read but not yet parsed, so handlers check the caller's role
/// first and parse with [`parse`] after. An empty body needs no content type.
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let json = is_json(&req);
        let bytes = read(req, state).await?;
        if !bytes.is_empty() && !json {
            return Err(not_json());
        }
        Ok(Self(bytes))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(&req) {
            return Err(not_json());
        }
        let bytes = read(req, state).await?;
        parse(&bytes).map(Json)
    }
}
