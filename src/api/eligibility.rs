//! A rider's eligibility (ISEE band, L.104/1992, a social worker's plan), a
//! sub-resource of the person. Members read their association's riders';
//! planners set it, since it decides what the rider pays.

use axum::extract::State;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::PathId;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller};
use crate::domain::eligibility::{Eligibility, EligibilityInput};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, put))
}

/// What the person has declared; a person who declared nothing has an
/// unknown ISEE band, no recognition and no plan.
#[utoipa::path(get, path = "/api/v1/people/{id}/eligibility", tag = "people",
    operation_id = "get_eligibility", params(("id" = i64, Path)),
    responses((status = 200, body = Eligibility)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Eligibility>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.eligibility(caller.scope(), id).await?))
}

/// Replaces it; fees of trips are computed with what is set when asked.
#[utoipa::path(put, path = "/api/v1/people/{id}/eligibility", tag = "people",
    operation_id = "set_eligibility", params(("id" = i64, Path)),
    request_body = EligibilityInput, responses((status = 200, body = Eligibility)))]
async fn put(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Eligibility>, AppError> {
    caller.allow(PLANNERS)?;
    s.store.person(caller.scope(), id).await?;
    let input: EligibilityInput = parse(&body)?;
    input.validate()?;
    Ok(Json(
        s.store
            .set_eligibility(caller.actor(), caller.scope(), id, &input)
            .await?,
    ))
}
