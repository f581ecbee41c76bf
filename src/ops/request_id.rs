//! A request id on every request: the caller's `x-request-id` when it is a
//! sane token, else a new one. It goes into the request's log span and back
//! in the response, so a complaint with the id leads to the log lines.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest id taken from a caller.
const MAX_LEN: usize = 64;

/// The request's id, in its extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Up to 64 characters of `[A-Za-z0-9._-]`: safe in a header, a log line
/// and a URL, and nothing a caller could smuggle into the logs.
pub fn sane(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// 128 random bits in hex: unique across instances without coordination.
fn fresh() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// Middleware: sets the id on the request (header and extension) and the response.
pub async fn stamp(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane(v))
        .map_or_else(fresh, str::to_owned);
    let value = HeaderValue::from_str(&id).expect("a sane id is a header value");
    req.headers_mut().insert(X_REQUEST_ID, value.clone());
    req.extensions_mut().insert(RequestId(id));
    let mut res = next.run(req).await;
    res.headers_mut().insert(X_REQUEST_ID, value);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_tokens() {
        assert!(sane("abc-123_x.y"));
        assert!(sane(&"a".repeat(64)));
        assert!(!sane(&"a".repeat(65)));
        assert!(!sane(""));
        assert!(!sane("a b"));
        assert!(!sane("a\nb"));
        assert!(!sane("ü"));
        assert!(sane(&fresh()));
        assert_ne!(fresh(), fresh());
    }
}
