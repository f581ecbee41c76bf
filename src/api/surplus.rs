//! Food surplus: donors (planners write, everyone who books reads), the
//! surplus settings (the cold chain's limits), the day's generation of
//! pickups and the yearly figures per donor as JSON or CSV. The rules live
//! in `domain::surplus` and `service::surplus`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::Datelike;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::{Params, PathDate, PathId};
use super::format::Format;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::surplus::{Donor, DonorInput, SurplusFigures, SurplusSettings};
use crate::service::surplus::{self, SurplusGenerated, YEARS};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(generate))
        .routes(routes!(figures))
}

/// The food donors; as CSV with `format=csv` or `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/donors", tag = "surplus",
    operation_id = "list_donors",
    params(("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([Donor] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    Ok(format.list(s.store.donors().await?, "giro-donors.csv"))
}

/// A shop or canteen that gives surplus food: its place (kind `donor`),
/// pickup window and weekdays, what it gives and of which kind, the
/// kilograms expected and where the food goes. Cooked food only from a
/// donor that can blast-chill it. Nothing is booked until a day is
/// generated (by a planner, or when the date is solved).
#[utoipa::path(post, path = "/api/v1/donors", tag = "surplus",
    operation_id = "create_donor", request_body = DonorInput,
    responses((status = 201, body = Donor)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<Donor>), AppError> {
    caller.allow(PLANNERS)?;
    let input: DonorInput = parse(&body)?;
    let made = surplus::create(&s.store, caller.actor(), &input).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(get, path = "/api/v1/donors/{id}", tag = "surplus",
    operation_id = "get_donor", params(("id" = i64, Path)),
    responses((status = 200, body = Donor), (status = 404, body = ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<Donor>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.donor(id).await?))
}

/// Replaces the donor for the days not generated yet; days generated that
/// it no longer gives, from today on, have their pickup cancelled.
#[utoipa::path(put, path = "/api/v1/donors/{id}", tag = "surplus",
    operation_id = "update_donor", params(("id" = i64, Path)),
    request_body = DonorInput,
    responses((status = 200, body = Donor), (status = 404, body = ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<Donor>, AppError> {
    caller.allow(PLANNERS)?;
    s.store.donor(id).await?;
    let input: DonorInput = parse(&body)?;
    Ok(Json(
        surplus::update(&s.store, caller.actor(), id, &input).await?,
    ))
}

/// Removes the donor; its pickups from today on are cancelled.
#[utoipa::path(delete, path = "/api/v1/donors/{id}", tag = "surplus",
    operation_id = "delete_donor", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    s.store.donor(id).await?;
    surplus::delete(&s.store, caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/surplus/settings", tag = "surplus",
    operation_id = "get_surplus_settings", responses((status = 200, body = SurplusSettings)))]
async fn get_settings(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<SurplusSettings>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.surplus_settings().await?))
}

/// Replaces the cold chain's limits; they apply to the next solve.
#[utoipa::path(put, path = "/api/v1/surplus/settings", tag = "surplus",
    operation_id = "set_surplus_settings", request_body = SurplusSettings,
    responses((status = 200, body = SurplusSettings)))]
async fn put_settings(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<Json<SurplusSettings>, AppError> {
    caller.allow(PLANNERS)?;
    let settings: SurplusSettings = parse(&body)?;
    Ok(Json(
        surplus::set_settings(&s.store, caller.actor(), &settings).await?,
    ))
}

/// Books the pickup of every active donor giving on `date` not generated
/// yet (holidays and closing days honoured); solving the date does it too.
#[utoipa::path(post, path = "/api/v1/surplus/{date}/generate", tag = "surplus",
    operation_id = "generate_surplus",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = SurplusGenerated)))]
async fn generate(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
) -> Result<Json<SurplusGenerated>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(Json(
        surplus::generate(&s.store, caller.actor(), date).await?,
    ))
}

/// Each donor's pickups done and kilograms collected in `year` (by default
/// this one), month by month, for the donation records: the kilograms the
/// drivers entered on the collections' pickups.
#[utoipa::path(get, path = "/api/v1/surplus/figures", tag = "surplus",
    operation_id = "surplus_figures",
    params(("year" = Option<i32>, Query, minimum = 2000, maximum = 2099),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content((SurplusFigures = "application/json"), (String = "text/csv")))))]
async fn figures(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(PLANNERS)?;
    let format = Format::of(&q, &headers)?;
    let year = match q.int("year")? {
        None => i64::from(crate::service::rides::now().date().year()),
        Some(y) => y,
    };
    let year = i32::try_from(year)
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| AppError::invalid("year", "must be 2000 to 2099"))?;
    let figures = surplus::figures(&s.store, year).await?;
    Ok(format.answer(
        figures,
        crate::csv::surplus_figures,
        &format!("giro-surplus-{year}.csv"),
    ))
}
