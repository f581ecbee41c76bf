//! The pages' side of the one `AppError`: handlers return it as the API does,
//! and this layer turns its JSON into a page in the reader's language. Without
//! a session the reader is sent to sign in and brought back afterwards.

use askama::Template;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::i18n::Tr;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    status: u16,
    title_key: &'static str,
    detail: String,
}

#[derive(Deserialize)]
struct Body {
    message: String,
}

/// Where to send someone who must sign in first, to come back to `path`.
pub fn login_url(path: &str) -> String {
    let next: String = url_escape(path);
    format!("/login?next={next}")
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn html_errors(t: Tr, req: Request, next: Next) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/".into(), |p| p.as_str().to_string());
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if status.is_success() || status.is_redirection() || !is_json {
        return res;
    }
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to(&login_url(&path)).into_response();
    }
    let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let detail = serde_json::from_slice::<Body>(&bytes)
        .map(|b| b.message)
        .unwrap_or_default();
    error_page(t, status, detail)
}

/// A page for a failed request, with the status kept.
pub fn error_page(t: Tr, status: StatusCode, detail: String) -> Response {
    let title_key = match status.as_u16() {
        403 => "errors.forbidden",
        404 => "errors.not_found",
        409 => "errors.conflict",
        400 | 413 | 415 | 422 => "errors.invalid",
        503 => "errors.busy",
        _ => "errors.internal",
    };
    let page = ErrorPage {
        t,
        status: status.as_u16(),
        title_key,
        // Internal details stay in the log.
        detail: if status.is_server_error() {
            String::new()
        } else {
            detail
        },
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}
