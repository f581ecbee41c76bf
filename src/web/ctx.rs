//! What every page knows about its request: the language, who is signed in (by
//! the session cookie only: pages never take bearer tokens), the form token
//! against cross-site request forgery, and the path, to come back after signing in.

use axum::extract::FromRequestParts;
use axum::http::header::{HOST, ORIGIN};
use axum::http::request::Parts;

use super::i18n::Tr;
use crate::api::{AppError, AppState, SESSION_COOKIE};
use crate::auth::token;
use crate::domain::{Role, User};

#[derive(Debug, Clone)]
pub struct Ctx {
    pub t: Tr,
    pub user: Option<User>,
    /// Empty without a session: forms of signed-in pages carry it as `_csrf`.
    pub csrf: String,
    /// Path and query of this request.
    pub path: String,
    /// The request came from a page of this server (or the browser did not say).
    pub same_origin: bool,
}

/// The form token of a session: derived from the session secret, so it needs no
/// storage, changes with every sign-in, and cannot be read by another site.
pub fn csrf_token(session_secret: &str) -> String {
    token::hash(&format!("giro-csrf/{session_secret}"))[..32].to_string()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let t = Tr::from_request_parts(parts, state)
            .await
            .unwrap_or_default();
        let secret = crate::api::cookie(&parts.headers, SESSION_COOKIE);
        let user = match &secret {
            Some(s) => state.store.session_user(&token::hash(s)).await?,
            None => None,
        };
        let csrf = match (&secret, &user) {
            (Some(s), Some(_)) => csrf_token(s),
            _ => String::new(),
        };
        let host = parts.headers.get(HOST).and_then(|v| v.to_str().ok());
        let same_origin = match parts.headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(origin) => {
                let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
                host.is_some_and(|h| h.eq_ignore_ascii_case(origin_host))
            }
        };
        Ok(Ctx {
            t,
            user,
            csrf,
            path: parts
                .uri
                .path_and_query()
                .map_or("/".into(), |p| p.as_str().to_string()),
            same_origin,
        })
    }
}

impl Ctx {
    /// The signed-in user, if his or her role is one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<&User, AppError> {
        let user = self.user.as_ref().ok_or(AppError::Unauthenticated)?;
        if roles.contains(&user.role) {
            Ok(user)
        } else {
            Err(AppError::forbidden(format!(
                "a {} may not open this page",
                user.role.as_str()
            )))
        }
    }

    /// A form post must come from one of our pages and, when signed in, carry the session's token.
    pub fn check_form(&self, sent: Option<&str>) -> Result<(), AppError> {
        let ok = self.same_origin
            && (self.user.is_none()
                || constant_time_eq(sent.unwrap_or("").as_bytes(), self.csrf.as_bytes()));
        if ok {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "this form was not sent from a giro page, or it is stale: reload the page",
            ))
        }
    }

    /// The URL of an embedded asset (see `assets`).
    pub fn asset(&self, name: &str) -> String {
        super::assets::url(name)
    }

    /// The user's name, for the header.
    pub fn who(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.name.as_str())
    }

    pub fn is(&self, role: &str) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.as_str() == role)
    }

    pub fn lang(&self) -> &'static str {
        self.t.lang.as_str()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn form_tokens_differ_per_session_and_compare_exactly() {
        let (a, b) = (super::csrf_token("one"), super::csrf_token("two"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(super::constant_time_eq(a.as_bytes(), a.as_bytes()));
        assert!(!super::constant_time_eq(a.as_bytes(), b.as_bytes()));
        assert!(!super::constant_time_eq(a.as_bytes(), &a.as_bytes()[..31]));
    }
}
