//! Standing orders: kept by the associations like their requests (a member
//! reaches only its own, others' are not found); planners generate the days.
//! The rules live in `service::standing`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::{Params, PathId};
use super::format::Format;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::{
    DateRange, Generated, ScheduleDay, StandingOrder, StandingOrderInput, Suspension,
};
use crate::service::standing;
use crate::store::Scope;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(suspend))
        .routes(routes!(schedule))
        .routes(routes!(generate))
}

/// The standing orders; a member sees only its association's, a planner
/// may name `organisation_id`. As CSV (`format=csv` or `Accept: text/csv`)
/// with each rider and place by id and name, in the layout
/// `POST /import/standing-orders` reads.
#[utoipa::path(get, path = "/api/v1/standing-orders", tag = "standing-orders",
    operation_id = "list_standing_orders",
    params(("organisation_id" = Option<i64>, Query, minimum = 1),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([StandingOrder] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let only = q.id("organisation_id")?;
    let orders: Vec<StandingOrder> = s
        .store
        .standing_orders(caller.scope())
        .await?
        .into_iter()
        .filter(|o| only.is_none_or(|id| o.organisation_id == id))
        .collect();
    Ok(match format {
        Format::Json => Json(orders).into_response(),
        Format::Csv => {
            let people = s.store.people(caller.scope()).await?;
            let places = s.store.places(Scope::All).await?;
            let body = crate::csv::standing_orders(
                &orders,
                &people.into_iter().map(|p| (p.id, p)).collect(),
                &places.into_iter().map(|p| (p.id, p)).collect(),
            );
            super::format::csv(body, "giro-standing-orders.csv")
        }
    })
}

/// Books a ride for every served day of a weekday pattern. Nothing is
/// booked until the days are generated (by a planner, or when the date is
/// solved).
#[utoipa::path(post, path = "/api/v1/standing-orders", tag = "standing-orders",
    operation_id = "create_standing_order", request_body = StandingOrderInput,
    responses((status = 201, body = StandingOrder)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<StandingOrder>), AppError> {
    caller.allow(BOOKERS)?;
    let input: StandingOrderInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    let made = standing::create(&s.store, caller.actor(), org, &input).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(get, path = "/api/v1/standing-orders/{id}", tag = "standing-orders",
    operation_id = "get_standing_order", params(("id" = i64, Path)),
    responses((status = 200, body = StandingOrder), (status = 404, body = ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<StandingOrder>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.standing_order(caller.scope(), id).await?))
}

/// Replaces the order for the days not generated yet; days generated that
/// it no longer serves, from today on, have their requests cancelled.
#[utoipa::path(put, path = "/api/v1/standing-orders/{id}", tag = "standing-orders",
    operation_id = "update_standing_order", params(("id" = i64, Path)),
    request_body = StandingOrderInput,
    responses((status = 200, body = StandingOrder), (status = 404, body = ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<StandingOrder>, AppError> {
    caller.allow(BOOKERS)?;
    let current = s.store.standing_order(caller.scope(), id).await?;
    let input: StandingOrderInput = parse(&body)?;
    if input.organisation_id.is_some() {
        caller.organisation_for(input.organisation_id, "organisation_id")?;
    }
    Ok(Json(
        standing::update(&s.store, caller.actor(), &current, &input).await?,
    ))
}

/// Deletes the order; its requests from today on are cancelled, earlier
/// ones stay.
#[utoipa::path(delete, path = "/api/v1/standing-orders/{id}", tag = "standing-orders",
    operation_id = "delete_standing_order", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(BOOKERS)?;
    s.store.standing_order(caller.scope(), id).await?;
    standing::delete(&s.store, caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Suspends the order from `from` until `resume_on` (a hospital stay); the
/// requests already generated inside the suspension are cancelled.
#[utoipa::path(post, path = "/api/v1/standing-orders/{id}/suspensions", tag = "standing-orders",
    operation_id = "suspend_standing_order", params(("id" = i64, Path)),
    request_body = Suspension,
    responses((status = 200, body = StandingOrder), (status = 404, body = ErrorBody)))]
async fn suspend(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<StandingOrder>, AppError> {
    caller.allow(BOOKERS)?;
    s.store.standing_order(caller.scope(), id).await?;
    let suspension: Suspension = parse(&body)?;
    Ok(Json(
        standing::suspend(&s.store, caller.actor(), id, &suspension).await?,
    ))
}

fn required_date(q: &Params, name: &str) -> Result<chrono::NaiveDate, AppError> {
    q.date(name)?.ok_or_else(|| AppError::BadRequest {
        field: Some(name.into()),
        message: format!("{name}: required, a date YYYY-MM-DD"),
    })
}

/// Each date of the order's weekdays from `from` to `to` (at most 366
/// days): whether it rides or why not (a holiday, a closing day, a
/// suspension), and the request booked once generated.
#[utoipa::path(get, path = "/api/v1/standing-orders/{id}/schedule", tag = "standing-orders",
    operation_id = "standing_order_schedule",
    params(("id" = i64, Path), ("from" = String, Query, description = "YYYY-MM-DD"),
        ("to" = String, Query, description = "YYYY-MM-DD")),
    responses((status = 200, body = [ScheduleDay]), (status = 404, body = ErrorBody)))]
async fn schedule(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    q: Params,
) -> Result<Json<Vec<ScheduleDay>>, AppError> {
    caller.allow(BOOKERS)?;
    let range = DateRange {
        from: required_date(&q, "from")?,
        to: required_date(&q, "to")?,
    };
    Ok(Json(
        standing::schedule(&s.store, caller.scope(), id, range).await?,
    ))
}

/// Books the rides of every active order on the days from `from` to `to`
/// (at most 62) that it serves and that were not generated before; a day
/// generated once is never booked again nor overwritten.
#[utoipa::path(post, path = "/api/v1/standing-orders/generate", tag = "standing-orders",
    operation_id = "generate_standing_orders", request_body = DateRange,
    responses((status = 200, body = Generated)))]
async fn generate(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<Json<Generated>, AppError> {
    caller.allow(PLANNERS)?;
    let range: DateRange = parse(&body)?;
    Ok(Json(
        standing::generate(&s.store, caller.actor(), range).await?,
    ))
}
