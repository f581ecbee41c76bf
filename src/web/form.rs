//! Form posts from pages: the fields as text, read by name. Each page checks
//! its own fields and marks the ones at fault, so a bad value never leaves a
//! page with a bare error. Text with control characters never reaches a
//! handler: `Form` answers with an error page naming the field (the text
//! rule, `domain::text`), and `Checked` hands a page that marks its own
//! fields the form without those values and the faults to mark.

use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;

use crate::api::AppError;
use crate::domain::{text, Clock, FieldError, Invalid};

/// Larger than any form giro serves; a bigger body is refused unread.
const LIMIT: usize = 64 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// The field's value, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every value of a repeated field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .collect()
    }

    pub fn csrf(&self) -> Option<&str> {
        self.get("_csrf")
    }
}

/// A form whose fields breaking the text rule are taken out and listed, for
/// a page that marks them beside the field instead of refusing the post.
pub struct Checked {
    pub form: Form,
    pub faults: Vec<FieldError>,
}

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let Checked { form, faults } = Checked::from_request(req, state).await?;
        if !faults.is_empty() {
            return Err(AppError::Invalid(Invalid(faults)));
        }
        Ok(form)
    }
}

impl<S: Send + Sync> FromRequest<S> for Checked {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, AppError> {
        let is_form = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::UnsupportedMedia(
                "send the page's form (application/x-www-form-urlencoded)".into(),
            ));
        }
        let body = axum::body::to_bytes(req.into_body(), LIMIT)
            .await
            .map_err(|_| AppError::TooLarge(format!("the form is larger than {LIMIT} bytes")))?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&body).map_err(|e| AppError::BadRequest {
                field: None,
                message: format!("the form cannot be read: {e}"),
            })?;
        let mut faults = Vec::new();
        let pairs = pairs
            .into_iter()
            .filter(|(name, value)| {
                let fault = text::check(name)
                    .map_err(|m| format!("the name {m}"))
                    .and(text::check(value))
                    .err();
                if let Some(m) = &fault {
                    faults.push(FieldError::new(name.escape_debug().collect::<String>(), m));
                }
                fault.is_none()
            })
            .collect();
        Ok(Checked {
            form: Form(pairs),
            faults,
        })
    }
}

/// A time as browsers send it ("09:00") or as people type it ("9:00").
pub fn clock(raw: &str) -> Option<Clock> {
    if raw.find(':') == Some(1) {
        format!("0{raw}").parse().ok()
    } else {
        raw.parse().ok()
    }
}
