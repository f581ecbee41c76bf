//! The pages: server-rendered HTML from the same app as the API, Italian first
//! with English, every asset embedded. Handlers call the same store and service
//! functions as the API and return the same `AppError`, which `errors` turns
//! into a page.

pub mod assets;
pub mod board;
pub mod ctx;
pub mod driver;
pub mod errors;
pub mod form;
pub mod i18n;
pub mod import;
pub mod login;
pub mod meals;
pub mod night_before;
pub mod personal;
pub mod portal;
pub mod reports;
pub mod surplus;

use askama::Template;
use axum::http::{header, HeaderValue};
use axum::response::Html;
use axum::Router;

use crate::api::{AppError, AppState};

/// Renders a template; a failure is a bug, reported as an internal error.
pub fn render(page: &impl Template) -> Result<Html<String>, AppError> {
    page.render()
        .map(Html)
        .map_err(|e| AppError::Internal(format!("template: {e}")))
}

/// JSON for a `<script type="application/json">` block: no `</script>` can end it early.
pub fn json_for_html<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Map tiles: a URL template such as `https://tile.openstreetmap.org/{z}/{x}/{y}.png`
/// (`GIRO_TILE_URL`); unset, maps show routes, stops and names without tiles and
/// no request leaves the server.
pub fn tile_url() -> Option<&'static str> {
    static URL: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        std::env::var("GIRO_TILE_URL")
            .ok()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    })
    .as_deref()
}

/// The origin of the tile server, for the content security policy.
fn tile_origin() -> Option<String> {
    let url = tile_url()?;
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    // `{s}.tile…` subdomains: allow the parent domain's subdomains.
    let host = host.replace("{s}", "*");
    Some(format!("{scheme}://{host}"))
}

fn content_security_policy() -> HeaderValue {
    let tiles = tile_origin().map(|o| format!(" {o}")).unwrap_or_default();
    let csp = format!(
        "default-src 'self'; img-src 'self' data:{tiles}; style-src 'self'; script-src 'self'; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; \
         base-uri 'self'; form-action 'self'"
    );
    HeaderValue::from_str(&csp).expect("ascii policy")
}

/// Every page route, with the error pages and the security headers.
pub fn routes() -> Router<AppState> {
    let csp = content_security_policy();
    Router::new()
        .merge(login::routes())
        .merge(board::routes())
        .merge(driver::routes())
        .merge(portal::routes())
        .merge(night_before::routes())
        .merge(meals::routes())
        .merge(surplus::routes())
        .merge(personal::routes())
        .merge(reports::routes())
        .merge(import::routes())
        .layer(axum::middleware::from_fn(errors::html_errors))
        .merge(assets::routes())
        .layer(axum::middleware::map_response(
            move |mut res: axum::response::Response| {
                let csp = csp.clone();
                async move {
                    let h = res.headers_mut();
                    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(csp);
                    h.insert(
                        header::X_CONTENT_TYPE_OPTIONS,
                        HeaderValue::from_static("nosniff"),
                    );
                    h.insert(
                        header::REFERRER_POLICY,
                        HeaderValue::from_static("same-origin"),
                    );
                    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
                    res
                }
            },
        ))
}
