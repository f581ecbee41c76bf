//! Static files (`assets/`), embedded in the binary and served by giro itself:
//! nothing comes from a CDN. URLs carry a content hash, so browsers keep a file
//! until it changes and a new build never meets a stale copy.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "assets/"]
struct Files;

/// The first 10 hex digits of each file's SHA-256.
fn hashes() -> &'static HashMap<String, String> {
    static HASHES: OnceLock<HashMap<String, String>> = OnceLock::new();
    HASHES.get_or_init(|| {
        Files::iter()
            .filter_map(|name| {
                let file = Files::get(&name)?;
                let hex: String = file.metadata.sha256_hash()[..5]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                Some((name.to_string(), hex))
            })
            .collect()
    })
}

/// The URL of an asset, e.g. `/assets/3fa2c01b9e/app.css`.
/// Panics on a name that is not embedded: a template bug the page tests catch at once.
pub fn url(name: &str) -> String {
    let hash = hashes()
        .get(name)
        .unwrap_or_else(|| panic!("no asset {name:?} in assets/"));
    format!("/assets/{hash}/{name}")
}

/// The bytes of an asset, for pages that inline a small file.
pub fn bytes(name: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
    Files::get(name).map(|f| f.data)
}

async fn serve(Path((hash, name)): Path<(String, String)>) -> Response {
    let Some(file) = Files::get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let current = hashes().get(&name).is_some_and(|h| *h == hash);
    // A stale hash still gets the file, but must not be kept under that URL.
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mime = file.metadata.mimetype();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(mime)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        file.data,
    )
        .into_response()
}

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/{hash}/{*name}", get(serve))
}
