//! Logs: text or JSON lines (`GIRO_LOG_FORMAT`), filtered by `RUST_LOG`, and
//! one line per request with its id, method, route template, status and
//! latency. Never the raw path or query: they carry people's ids and dates.

use std::time::Duration;

use axum::http::{Request, Response};
use tower_http::classify::{ServerErrorsAsFailures, ServerErrorsFailureClass, SharedClassifier};
use tower_http::trace::{MakeSpan, OnFailure, OnResponse, TraceLayer};
use tracing::{Span, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

use super::metrics::route_of;
use super::request_id::RequestId;

/// Without `RUST_LOG`: giro's own lines (requests included) from info up.
pub const DEFAULT_FILTER: &str = "giro=info,tower_http=warn";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    /// `GIRO_LOG_FORMAT`: `text` (also when unset or empty) or `json`; any
    /// other value is refused rather than ignored.
    pub fn parse(setting: Option<&str>) -> Result<Self, String> {
        match setting {
            None | Some("" | "text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!(
                "GIRO_LOG_FORMAT must be `json` or `text`, got {other:?}"
            )),
        }
    }
}

/// Installs the process's subscriber on standard output, filtered by
/// `RUST_LOG` or else `DEFAULT_FILTER` (once; later calls keep the first).
pub fn init(format: LogFormat) {
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| DEFAULT_FILTER.into());
    let _ = subscriber(format, &filter, std::io::stdout).try_init();
}

/// The subscriber `init` installs, writing to `writer` (a test's buffer).
pub fn subscriber<W>(
    format: LogFormat,
    filter: &str,
    writer: W,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(writer);
    match format {
        LogFormat::Text => Box::new(fmt.finish()),
        LogFormat::Json => Box::new(fmt.json().finish()),
    }
}

/// The span of a request: every line logged while serving it carries these.
#[derive(Clone, Copy, Debug)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &Request<B>) -> Span {
        let id = req
            .extensions()
            .get::<RequestId>()
            .map_or("-", |r| r.0.as_str());
        tracing::info_span!(
            "request",
            request_id = %id,
            method = %req.method(),
            route = %route_of(req),
        )
    }
}

/// The request's line, when its response head leaves.
#[derive(Clone, Copy, Debug)]
pub struct Served;

impl<B> OnResponse<B> for Served {
    fn on_response(self, res: &Response<B>, latency: Duration, _: &Span) {
        let status = res.status().as_u16();
        let latency_ms = latency.as_micros() as f64 / 1e3;
        if res.status().is_server_error() {
            tracing::error!(status, latency_ms, "served");
        } else {
            tracing::info!(status, latency_ms, "served");
        }
    }
}

/// Errors below the handlers (a body that broke off); a 5xx has its line already.
#[derive(Clone, Copy, Debug)]
pub struct Broken;

impl OnFailure<ServerErrorsFailureClass> for Broken {
    fn on_failure(&mut self, class: ServerErrorsFailureClass, latency: Duration, _: &Span) {
        if let ServerErrorsFailureClass::Error(error) = class {
            let latency_ms = latency.as_micros() as f64 / 1e3;
            tracing::warn!(%error, latency_ms, "request failed");
        }
    }
}

pub type RequestLog =
    TraceLayer<SharedClassifier<ServerErrorsAsFailures>, RequestSpan, (), Served, (), (), Broken>;

/// The request log layer; run inside the router (`Router::layer`) for the route template.
pub fn requests() -> RequestLog {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_request(())
        .on_response(Served)
        .on_body_chunk(())
        .on_eos(())
        .on_failure(Broken)
}

#[cfg(test)]
mod tests {
    use super::LogFormat;

    #[test]
    fn the_log_format_is_text_json_or_refused() {
        assert_eq!(LogFormat::parse(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("")), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("text")), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("json")), Ok(LogFormat::Json));
        for bad in ["JSON", "logfmt", "json "] {
            let e = LogFormat::parse(Some(bad)).unwrap_err();
            assert!(e.contains("GIRO_LOG_FORMAT") && e.contains(bad), "{e}");
        }
    }
}
