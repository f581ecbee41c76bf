//! A person's personal data: anonymising (planners) and the subject access
//! export. The use cases live in `service::personal`.

use axum::extract::State;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::PathId;
use super::{AppError, AppState, Caller};
use crate::domain::Person;
use crate::service::personal;
use crate::service::personal::export::SubjectAccess;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(anonymise))
        .routes(routes!(export))
}

/// Replaces the person's name by a neutral label, clears phone, notes and
/// their own home's name and address, and scrubs copies of the name in free
/// text; requests, routes and events stay, so reports count what they did.
/// Done once: a second call answers the same and changes nothing.
#[utoipa::path(post, path = "/api/v1/people/{id}/anonymise", tag = "people",
    operation_id = "anonymise_person", params(("id" = i64, Path)),
    responses((status = 200, body = Person)))]
async fn anonymise(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Person>, AppError> {
    caller.allow(PLANNERS)?;
    let done = personal::anonymise::anonymise(&s.store, caller.actor(), id).await?;
    Ok(Json(done.person))
}

/// Everything giro holds on the person (subject access, GDPR art. 15): the
/// record, places, eligibility, requests, standing orders, meals, drivers'
/// reports at their stops and the audit lines about them. Members get their
/// association's people. Audited as an `export`.
#[utoipa::path(get, path = "/api/v1/people/{id}/export", tag = "people",
    operation_id = "export_person", params(("id" = i64, Path)),
    responses((status = 200, body = SubjectAccess)))]
async fn export(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<SubjectAccess>, AppError> {
    caller.allow(BOOKERS)?;
    let doc = personal::export::export(&s.store, caller.actor(), caller.scope(), id).await?;
    Ok(Json(doc))
}
