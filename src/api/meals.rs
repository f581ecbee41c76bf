//! Meals on wheels: recipients (planners write, members read their
//! association's), holds, the meal settings, the day's generation and the
//! kitchen's lists as JSON or CSV. The rules live in `domain::meals` and
//! `service::meals`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::{Params, PathDate, PathId};
use super::format::Format;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller, ErrorBody};
use crate::domain::meals::{
    MealRecipient, MealRecipientInput, MealSettings, PackingList, ProductionList,
};
use crate::domain::Suspension;
use crate::service::meals::{self, MealsGenerated};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(hold))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(generate))
        .routes(routes!(production))
        .routes(routes!(packing))
}

/// The meal recipients; a member sees only its association's. As CSV with
/// `format=csv` or `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/meal-recipients", tag = "meals",
    operation_id = "list_meal_recipients",
    params(("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([MealRecipient] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let list = meals::list(&s.store, caller.scope()).await?;
    Ok(format.list(list, "giro-meal-recipients.csv"))
}

/// A person's meals: weekdays with count and type, the delivery window,
/// diets, priority, door notes, holds. Nothing is booked until a day is
/// generated (by a planner, or when the date is solved).
#[utoipa::path(post, path = "/api/v1/meal-recipients", tag = "meals",
    operation_id = "create_meal_recipient", request_body = MealRecipientInput,
    responses((status = 201, body = MealRecipient)))]
async fn create(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<MealRecipient>), AppError> {
    caller.allow(PLANNERS)?;
    let input: MealRecipientInput = parse(&body)?;
    let org = caller.organisation_for(input.organisation_id, "organisation_id")?;
    let made = meals::create(&s.store, caller.actor(), org, &input).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[utoipa::path(get, path = "/api/v1/meal-recipients/{id}", tag = "meals",
    operation_id = "get_meal_recipient", params(("id" = i64, Path)),
    responses((status = 200, body = MealRecipient), (status = 404, body = ErrorBody)))]
async fn get(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<MealRecipient>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.meal_recipient(caller.scope(), id).await?))
}

/// Replaces the plan for the days not generated yet; days generated that
/// it no longer serves, from today on, have their meal cancelled.
#[utoipa::path(put, path = "/api/v1/meal-recipients/{id}", tag = "meals",
    operation_id = "update_meal_recipient", params(("id" = i64, Path)),
    request_body = MealRecipientInput,
    responses((status = 200, body = MealRecipient), (status = 404, body = ErrorBody)))]
async fn update(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<MealRecipient>, AppError> {
    caller.allow(PLANNERS)?;
    let current = s.store.meal_recipient(caller.scope(), id).await?;
    let input: MealRecipientInput = parse(&body)?;
    Ok(Json(
        meals::update(&s.store, caller.actor(), &current, &input).await?,
    ))
}

/// Ends the plan; its meals from today on are cancelled.
#[utoipa::path(delete, path = "/api/v1/meal-recipients/{id}", tag = "meals",
    operation_id = "delete_meal_recipient", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(PLANNERS)?;
    s.store.meal_recipient(caller.scope(), id).await?;
    meals::delete(&s.store, caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Holds the meals from `from` until `resume_on` (a hospital stay); the
/// meals already generated inside the hold are cancelled.
#[utoipa::path(post, path = "/api/v1/meal-recipients/{id}/holds", tag = "meals",
    operation_id = "hold_meal_recipient", params(("id" = i64, Path)),
    request_body = Suspension,
    responses((status = 200, body = MealRecipient), (status = 404, body = ErrorBody)))]
async fn hold(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<MealRecipient>, AppError> {
    caller.allow(PLANNERS)?;
    s.store.meal_recipient(caller.scope(), id).await?;
    let h: Suspension = parse(&body)?;
    Ok(Json(meals::hold(&s.store, caller.actor(), id, &h).await?))
}

#[utoipa::path(get, path = "/api/v1/meals/settings", tag = "meals",
    operation_id = "get_meal_settings", responses((status = 200, body = MealSettings)))]
async fn get_settings(
    State(s): State<AppState>,
    caller: Caller,
) -> Result<Json<MealSettings>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.meal_settings().await?))
}

/// Replaces the settings: the kitchen's ready time and the hot limit apply
/// to the next solve, the diet list to the next recipient written.
#[utoipa::path(put, path = "/api/v1/meals/settings", tag = "meals",
    operation_id = "set_meal_settings", request_body = MealSettings,
    responses((status = 200, body = MealSettings)))]
async fn put_settings(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<Json<MealSettings>, AppError> {
    caller.allow(PLANNERS)?;
    let settings: MealSettings = parse(&body)?;
    Ok(Json(
        meals::set_settings(&s.store, caller.actor(), &settings).await?,
    ))
}

/// Books the meal of every recipient served on `date` not generated yet
/// (holidays, closing days and holds honoured); solving the date does it too.
#[utoipa::path(post, path = "/api/v1/meals/{date}/generate", tag = "meals",
    operation_id = "generate_meals",
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = MealsGenerated)))]
async fn generate(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
) -> Result<Json<MealsGenerated>, AppError> {
    caller.allow(PLANNERS)?;
    Ok(Json(meals::generate(&s.store, caller.actor(), date).await?))
}

/// What the kitchen cooks on `date`: meals by type and diets.
#[utoipa::path(get, path = "/api/v1/meals/{date}/production", tag = "meals",
    operation_id = "meal_production",
    params(("date" = String, Path, description = "YYYY-MM-DD"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content((ProductionList = "application/json"), (String = "text/csv")))))]
async fn production(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let list = meals::production(&s.store, caller.scope(), date).await?;
    Ok(format.answer(
        list,
        crate::csv::production,
        &format!("giro-{date}-production.csv"),
    ))
}

/// What to pack for each route of `date`'s newest plan, door by door.
#[utoipa::path(get, path = "/api/v1/meals/{date}/packing", tag = "meals",
    operation_id = "meal_packing",
    params(("date" = String, Path, description = "YYYY-MM-DD"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content((PackingList = "application/json"), (String = "text/csv")))))]
async fn packing(
    State(s): State<AppState>,
    caller: Caller,
    PathDate(date): PathDate,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let list = meals::packing(&s.store, caller.scope(), date).await?;
    Ok(format.answer(
        list,
        crate::csv::packing,
        &format!("giro-{date}-packing.csv"),
    ))
}
