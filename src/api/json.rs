//! The JSON body extractor, the one gate for API input: size, media type,
//! UTF-8, JSON, clean text, then the type's shape; errors name the field at fault.

mod clean;
mod strict;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::AppError;
use crate::domain::{date, Invalid};

/// The largest body the API reads: far above any real input, small enough
/// that a flood of big bodies cannot fill the memory.
pub const LIMIT: usize = 1 << 20;

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

/// A fault serde reports that is a broken rule on well-formed JSON (a date
/// out of range, an array where an object belongs) rather than a wrong type.
fn breaks_rule(message: &str) -> bool {
    message == date::OUT_OF_RANGE || message.starts_with(strict::NOT_OBJECT)
}

/// Reads a JSON body into `T` at the one place all input passes: UTF-8, then
/// JSON, then the text rule on every string, then `T`'s own shape, with every
/// error naming the field at fault (`body` for the whole).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(AppError::BadRequest {
            field: None,
            message: format!(
                "body is not UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ),
        });
    }
    // Trailing bytes after the value are as malformed as a missing brace.
    let mut value: Value = serde_json::from_slice(bytes).map_err(|e| AppError::BadRequest {
        field: None,
        message: format!("body is not valid JSON: {e}"),
    })?;
    let faults = clean::faults(&value);
    if !faults.is_empty() {
        return Err(AppError::Invalid(Invalid(faults)));
    }
    clean::whole_numbers(&mut value);
    serde_path_to_error::deserialize(strict::Strict(value)).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // serde_json may append " at line 1 column 9": the field name is what helps.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let (path, message) = nested(path, message);
        if breaks_rule(&message) {
            let field = if path == "." { "body" } else { path.as_str() };
            return AppError::invalid(field, &message);
        }
        let field = field_of(&path, &message);
        AppError::BadRequest {
            message: match &field {
                Some(f) => format!("{f}: {message}"),
                None => format!("body: {message}"),
            },
            field,
        }
    })
}

/// `application/json`, with parameters such as `; charset=utf-8` allowed.
fn is_json(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

fn not_json() -> AppError {
    AppError::UnsupportedMedia("send the body as JSON with Content-Type: application/json".into())
}

/// The body's bytes. Above [`LIMIT`] (the layer in `api::app`) is a 413; a
/// body cut short is a 400.
async fn read<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(format!("the body is larger than {} MiB", LIMIT >> 20))
        } else {
            AppError::BadRequest {
                field: None,
                message: e.body_text(),
            }
        }
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
