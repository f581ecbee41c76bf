//! Plans per date: read, solve in the background, edit, publish.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Caller, PLANNERS};
use super::extract::{Params, PathDate, PathDateId};
use super::json::{parse, Body};
use super::{solve_job, AppError, AppState};
use crate::domain::{Plan, PublishInput, RouteEdit};
use crate::store::SolveRecord;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_plan))
        .routes(routes!(start_solve, solve_status))
        .routes(routes!(cancel_solve))
        .routes(routes!(publish))
        .routes(routes!(edit_route))
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

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolveInput {
    /// Seconds the search may take; the server's default when left out.
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    #[serde(default)]
    pub seed: Option<u64>,
}

/// Starts solving the date in the background and answers at once (202).
/// The result is a new draft revision; 409 while another solve of the date runs.
#[utoipa::path(post, path = "/api/v1/plans/{date}/solve", tag = "plans",
    params(("date" = String, Path)), request_body(content = SolveInput, description = "optional"),
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
    let seconds = input.time_limit_s.unwrap_or(s.solve.default_seconds);
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= s.solve.max_seconds) {
        return Err(AppError::invalid(
            "time_limit_s",
            &format!("must be more than 0 and at most {}", s.solve.max_seconds),
        ));
    }
    let seed = input.seed.unwrap_or(1);
    if seed > i64::MAX as u64 {
        return Err(AppError::invalid(
            "seed",
            "must be at most 9223372036854775807",
        ));
    }
    let permit = s.solving.clone().try_acquire_owned().map_err(|_| {
        AppError::Busy(
            "every core of this server is solving another date: try again shortly".into(),
        )
    })?;
    let record = s
        .store
        .start_solve(caller.actor(), date, seconds, seed as i64)
        .await?;
    let job = solve_job::run(
        s.clone(),
        solve_job::Job {
            actor: caller.actor(),
            solve_id: record.id,
            date,
            seconds,
            seed,
        },
    );
    tokio::spawn(async move {
        job.await;
        drop(permit);
    });
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
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(s.store.cancel_solve(caller.actor(), date).await?),
    ))
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
        s.store
            .publish(caller.actor(), date, input.revision, input.version)
            .await?,
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
