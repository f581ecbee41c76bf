//! Fees: the rules planners set, and the fee of every completed ride of a
//! range (a member sees its association's only), as JSON or CSV.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{BOOKERS, PLANNERS};
use super::extract::Params;
use super::format::Format;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller};
use crate::domain::fees::{FeeReport, FeeRules};
use crate::service::fees;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_rules, put_rules))
}

/// The completed rides from `from` to `to` (at most 366 days) with their
/// fee, from the rider's eligibility and the planned kilometres on board.
#[utoipa::path(get, path = "/api/v1/fees", tag = "fees", operation_id = "list_fees",
    params(("from" = String, Query, description = "YYYY-MM-DD"),
        ("to" = String, Query, description = "YYYY-MM-DD, not before from"),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content((FeeReport = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let (from, to) = q.range()?;
    let report = fees::report(&s, caller.scope(), from, to).await?;
    Ok(format.answer(
        report,
        crate::csv::fees,
        &format!("giro-fees-{from}-{to}.csv"),
    ))
}

#[utoipa::path(get, path = "/api/v1/fees/rules", tag = "fees", operation_id = "get_fee_rules",
    responses((status = 200, body = FeeRules)))]
async fn get_rules(State(s): State<AppState>, caller: Caller) -> Result<Json<FeeRules>, AppError> {
    caller.allow(BOOKERS)?;
    Ok(Json(s.store.fee_rules().await?))
}

/// Replaces the rules; every fee list from then on follows them.
#[utoipa::path(put, path = "/api/v1/fees/rules", tag = "fees", operation_id = "set_fee_rules",
    request_body = FeeRules, responses((status = 200, body = FeeRules)))]
async fn put_rules(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<Json<FeeRules>, AppError> {
    caller.allow(PLANNERS)?;
    let rules: FeeRules = parse(&body)?;
    rules.validate()?;
    Ok(Json(s.store.set_setting(caller.actor(), &rules).await?))
}
