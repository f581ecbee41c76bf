//! Who is calling: a session cookie (pages) or a bearer token (integrations).
//! Handlers state what they allow with `allow`; the scope limits what they see.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;

use super::{AppError, AppState};
use crate::auth::token;
use crate::domain::{Id, Role, User};
use crate::store::{Actor, Scope};

pub const SESSION_COOKIE: &str = "giro_session";

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
}

pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let user = if let Some(t) = bearer {
            state.store.token_user(&token::hash(t)).await?
        } else if let Some(c) = cookie(&parts.headers, SESSION_COOKIE) {
            state.store.session_user(&token::hash(&c)).await?
        } else {
            None
        };
        user.map(|user| Caller { user })
            .ok_or(AppError::Unauthenticated)
    }
}

impl Caller {
    /// 403 unless the caller has one of `roles`.
    pub fn allow(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "a {} may not do this",
                self.user.role.as_str()
            )))
        }
    }

    pub fn scope(&self) -> Scope {
        match (self.user.role, self.user.organisation_id) {
            (Role::Member, Some(o)) => Scope::Organisation(o),
            // A member without an association sees nothing rather than everything.
            (Role::Member, None) => Scope::Organisation(-1),
            _ => Scope::All,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor(Some(self.user.id))
    }

    /// The organisation a write is for: a member's own, whatever was asked.
    pub fn organisation_for(&self, asked: Option<Id>, field: &str) -> Result<Id, AppError> {
        match self.scope() {
            Scope::Organisation(own) => match asked {
                None => Ok(own),
                Some(o) if o == own => Ok(own),
                Some(_) => Err(AppError::forbidden(format!(
                    "{field}: members write only for their own association"
                ))),
            },
            Scope::All => asked.ok_or_else(|| AppError::invalid(field, "is required")),
        }
    }
}

pub const PLANNERS: &[Role] = &[Role::Admin, Role::Dispatcher];
pub const BOOKERS: &[Role] = &[Role::Admin, Role::Dispatcher, Role::Member];
pub const ADMINS: &[Role] = &[Role::Admin];
/// Who is on the road or runs it: drivers report, planners read and correct.
pub const CREW: &[Role] = &[Role::Admin, Role::Dispatcher, Role::Driver];
