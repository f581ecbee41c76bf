//! Plans per date: read, solve in the background, edit, publish. The use
//! cases live in `service::plans`; these handlers check the role and parse.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, CREW, PLANNERS};
use super::extract::{Params, PathDate, PathDateId};
use super::json::{parse, Body};
use super::{AppError, AppState};
use crate::domain::fit::{FitAccepted, FitAnswer, FitInput};
use crate::domain::live::LivePlan;
use crate::domain::replan::{ReplanInput, ReplanOutcome};
use crate::domain::{EditOutcome, Plan, PlanEditInput, PublishInput, RouteEdit, SolveInput};
use crate::service::{live, plans};
use crate::store::SolveRecord;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_plan))
        .routes(routes!(plan_geojson))
        .routes(routes!(live_plan))
        .routes(routes!(start_solve, solve_status))
        .routes(routes!(cancel_solve))
        .routes(routes!(publish))
        .routes(routes!(edit_route))
        .routes(routes!(edit_plan))
        .routes(routes!(replan))
        .routes(routes!(fit))
        .routes(routes!(accept_fit))
}

/// Can we fit it? The ways a booked request (a will-call once called) joins
/// the newest plan of the day as it stands: per vehicle that can take it, the
/// pickup and promised window, the kilometres added and who else moves; or
/// why it fits nowhere, shift by shift. Nothing is written.
#[utoipa::path(post, path = "/api/v1/plans/{date}/fit", tag = "plans",
    params(("date" = String, Path)), request_body = FitInput,
    responses((status = 200, body = FitAnswer), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn fit(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    Body(body): Body,
) -> Result<axum::Json<FitAnswer>, AppError> {
    caller.allow(PLANNERS)?;
    let input: FitInput = parse(&body)?;
    Ok(axum::Json(
        crate::service::fit::fit(&s, date, &input).await?,
    ))
}

/// Takes the way on `shift_id`: the newest plan with the request in, as a new
/// draft revision, with who moves against it.
#[utoipa::path(post, path = "/api/v1/plans/{date}/fit/accept", tag = "plans",
    params(("date" = String, Path)), request_body = FitInput,
    responses((status = 201, body = FitAccepted), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn accept_fit(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<FitAccepted>), AppError> {
    caller.allow(PLANNERS)?;
    let input: FitInput = parse(&body)?;
    let accepted = crate::service::fit::accept(&s, caller.actor(), date, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(accepted)))
}

/// Plans the rest of the published day again from where it stands: stops
/// reported done stay as they were, riders on board stay on their vehicle,
/// nothing moves before `at` (now on the day itself), withdrawn shifts stop
/// at their time. Promised pickup windows are kept whenever they can be.
/// The result is a new draft revision, with who moves against the
/// published plan; publishing it is a separate step.
#[utoipa::path(post, path = "/api/v1/plans/{date}/replan", tag = "plans",
    params(("date" = String, Path)), request_body(content = Option<ReplanInput>, description = "optional: an empty body re-plans from now"),
    responses((status = 201, body = ReplanOutcome), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn replan(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<ReplanOutcome>), AppError> {
    caller.allow(PLANNERS)?;
    let input: ReplanInput = if body.iter().all(u8::is_ascii_whitespace) {
        ReplanInput::default()
    } else {
        parse(&body)?
    };
    let outcome = crate::service::replan::replan(&s, caller.actor(), date, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(outcome)))
}

/// The newest revision of the date's plan (or `revision`), with routes, stops,
/// unassigned requests and the solver's figures.
#[utoipa::path(get, path = "/api/v1/plans/{date}", tag = "plans",
    params(("date" = String, Path, description = "YYYY-MM-DD"), ("revision" = Option<i64>, Query)),
    responses((status = 200, body = Plan), (status = 404, body = super::ErrorBody)))]
async fn get_plan(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    q: Params,
) -> Result<axum::Json<Plan>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(axum::Json(s.store.plan(date, q.int("revision")?).await?))
}

/// The plan of `date` (the newest revision, or `revision`) as a GeoJSON
/// FeatureCollection: a LineString per route, a Point per stop labelled by
/// its place, never by the person.
#[utoipa::path(get, path = "/api/v1/plans/{date}/geojson", tag = "plans",
    operation_id = "get_plan_geojson",
    params(("date" = String, Path, description = "YYYY-MM-DD"), ("revision" = Option<i64>, Query)),
    responses((status = 200, content((Object = "application/geo+json"))),
        (status = 404, body = super::ErrorBody)))]
async fn plan_geojson(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    q: Params,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    use std::collections::HashMap;
    caller.allow(PLANNERS)?;
    let plan = s.store.plan(date, q.int("revision")?).await?;
    let all = crate::store::Scope::All;
    let places = s
        .store
        .places(all)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let vehicles: HashMap<_, _> = s
        .store
        .vehicles()
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let volunteers: HashMap<_, _> = s
        .store
        .volunteers()
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let kinds = s
        .store
        .requests(all, Some(date))
        .await?
        .into_iter()
        .map(|r| (r.id, r.kind))
        .collect();
    let names = crate::domain::plan_geojson::Names {
        places: &places,
        vehicles: &vehicles,
        volunteers: &volunteers,
        kinds: &kinds,
    };
    let body = crate::domain::plan_geojson::plan(&plan, &names);
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/geo+json")],
        body.to_string(),
    )
        .into_response())
}

/// The published plan as the day runs, from the drivers' reports: per route
/// the vehicle's last known place and time; per stop its status (done,
/// no-show, skipped, arrived, next, ahead…), the expected start of the stops
/// still to serve (from the last report, travelling and serving as planned,
/// never before a window opens), the delay against the plan and whether it
/// will miss its window. Drivers get only the routes they drive; 404 before
/// the date is published.
#[utoipa::path(get, path = "/api/v1/plans/{date}/live", tag = "plans",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = LivePlan), (status = 404, body = super::ErrorBody)))]
async fn live_plan(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
) -> Result<axum::Json<LivePlan>, AppError> {
    caller.allow(CREW)?;
    Ok(axum::Json(live::live(&s, &caller.user, date).await?))
}

/// Starts solving the date in the background and answers at once (202).
/// The result is a new draft revision that keeps the newest revision's locked
/// routes as they are; 409 while another solve of the date runs.
#[utoipa::path(post, path = "/api/v1/plans/{date}/solve", tag = "plans",
    params(("date" = String, Path)), request_body(content = Option<SolveInput>, description = "optional: an empty body takes the defaults"),
    responses((status = 202, body = SolveRecord), (status = 409, body = super::ErrorBody), (status = 503, body = super::ErrorBody)))]
async fn start_solve(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    Body(body): Body,
) -> Result<(StatusCode, axum::Json<SolveRecord>), AppError> {
    caller.allow(PLANNERS)?;
    let input: SolveInput = if body.iter().all(u8::is_ascii_whitespace) {
        SolveInput::default()
    } else {
        parse(&body)?
    };
    let record = plans::start_solve(&s, caller.actor(), date, &input).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(record)))
}

/// The latest solve of the date: running with its progress, or how it ended.
#[utoipa::path(get, path = "/api/v1/plans/{date}/solve", tag = "plans",
    params(("date" = String, Path)),
    responses((status = 200, body = SolveRecord), (status = 404, body = super::ErrorBody)))]
async fn solve_status(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
) -> Result<axum::Json<SolveRecord>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(axum::Json(s.store.latest_solve(date).await?))
}

/// Asks the running solve to stop; it keeps the best plan found so far as a draft.
#[utoipa::path(post, path = "/api/v1/plans/{date}/solve/cancel", tag = "plans",
    params(("date" = String, Path)),
    responses((status = 202, body = SolveRecord), (status = 404, body = super::ErrorBody)))]
async fn cancel_solve(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
) -> Result<(StatusCode, axum::Json<SolveRecord>), AppError> {
    caller.allow(PLANNERS)?;
    let record = plans::cancel_solve(&s, caller.actor(), date).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(record)))
}

/// Makes a draft revision the one drivers see. The version must be current:
/// of two publishes on one version, one wins and the other gets 409.
#[utoipa::path(post, path = "/api/v1/plans/{date}/publish", tag = "plans",
    params(("date" = String, Path)), request_body = PublishInput,
    responses((status = 200, body = Plan), (status = 409, body = super::ErrorBody)))]
async fn publish(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    Body(body): Body,
) -> Result<axum::Json<Plan>, AppError> {
    caller.allow(PLANNERS)?;
    let input: PublishInput = parse(&body)?;
    Ok(axum::Json(
        plans::publish(&s, caller.actor(), date, &input).await?,
    ))
}

/// Changes a route of the newest revision (its driver). A published revision is
/// copied into a new draft first, so drivers see nothing until it is published.
#[utoipa::path(put, path = "/api/v1/plans/{date}/routes/{id}", tag = "plans",
    params(("date" = String, Path), ("id" = i64, Path)), request_body = RouteEdit,
    responses((status = 200, body = Plan), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn edit_route(
    State(s): State<AppState>,
    caller: Caller,
    PathDateId(date, id): PathDateId,
    Body(body): Body,
) -> Result<axum::Json<Plan>, AppError> {
    caller.allow(PLANNERS)?;
    let edit: RouteEdit = parse(&body)?;
    Ok(axum::Json(
        s.store.edit_route(caller.actor(), date, id, &edit).await?,
    ))
}

/// Edits the newest revision by hand (move, assign, swap, unassign a request;
/// lock or unlock a route) and answers with the core checker's verdict on the
/// whole plan. With violations and no `confirm`, nothing is saved and `plan`
/// shows what it would be; confirmed, it is saved and the audit log lists the
/// violations. A published revision is copied into a new draft first; a stale
/// version gets 409.
#[utoipa::path(post, path = "/api/v1/plans/{date}/edits", tag = "plans",
    params(("date" = String, Path)), request_body = PlanEditInput,
    responses((status = 200, body = EditOutcome), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn edit_plan(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    Body(body): Body,
) -> Result<axum::Json<EditOutcome>, AppError> {
    caller.allow(PLANNERS)?;
    let input: PlanEditInput = parse(&body)?;
    Ok(axum::Json(
        plans::edit(&s, caller.actor(), date, &input).await?,
    ))
}
