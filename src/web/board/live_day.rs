//! The live day on the board: re-planning the rest of a published day (a
//! vehicle withdrawn from a time on, if need be), and "can we fit it?" for a
//! request booked since: its ways, each accepted with one button. Plain forms
//! over the same use cases as the API (`service::replan`, `service::fit`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::day::Day;
use super::page::planner_form;
use super::{parse_date, reasons, words};
use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::fit::{FitAnswer, FitInput};
use crate::domain::replan::{ReplanInput, Withdrawal};
use crate::domain::{Clock, Id};
use crate::service::{fit, replan};
use crate::web::ctx::Ctx;
use crate::web::form::{clock, Form};
use crate::web::render;

/// A time field: blank is "not given", anything else must read as a time.
fn time(raw: Option<&str>, field: &str) -> Result<Option<Clock>, AppError> {
    raw.map(|v| clock(v).ok_or_else(|| AppError::invalid(field, "must be a time, as 10:30")))
        .transpose()
}

fn id(raw: Option<&str>, field: &str) -> Result<Option<Id>, AppError> {
    raw.map(|v| {
        v.parse::<Id>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| AppError::invalid(field, "must be chosen from the list"))
    })
    .transpose()
}

/// "Ripianifica": the rest of the day from `at` (now by default), with the
/// shift chosen withdrawn from its time; the board then shows the new draft
/// and what it changes.
pub async fn replan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    form: Form,
) -> Result<Redirect, AppError> {
    let (actor, date) = planner_form(&ctx, &form, &raw)?;
    let at = time(form.get("at"), "at")?;
    let withdraw = match id(form.get("withdraw_shift"), "withdraw_shift")? {
        None => vec![],
        Some(shift_id) => {
            let from = time(form.get("withdraw_from"), "withdraw_from")?
                .or(at)
                .ok_or_else(|| {
                    AppError::invalid("withdraw_from", "say from what time the shift is off")
                })?;
            vec![Withdrawal { shift_id, from }]
        }
    };
    replan::replan(&state, actor, date, &ReplanInput { at, withdraw }).await?;
    Ok(Redirect::to(&format!("/board/{date}#changes")))
}

#[derive(Deserialize)]
pub struct FitQuery {
    at: Option<String>,
}

pub struct WayView {
    pub shift_id: Id,
    pub vehicle: String,
    pub driver: String,
    pub pickup: String,
    pub promised: String,
    pub dropoff: String,
    pub added_km: String,
    /// The others on that route whose time moves, in words.
    pub moves: Vec<String>,
    /// Its route is locked: shown, not offered.
    pub locked: bool,
}

#[derive(Template)]
#[template(path = "board/fit.html")]
struct FitPage {
    ctx: Ctx,
    date: String,
    request_id: Id,
    who: String,
    what: String,
    /// The time asked from, as typed ("" for now).
    at: String,
    ways: Vec<WayView>,
    /// Why it fits nowhere, in words, and each shift's reason.
    blocked: Option<(String, Vec<(String, String)>)>,
    /// What would let it in, in words; empty when nothing was found.
    fits_if: String,
}

impl FitPage {
    fn tr(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.ctx.t.f(key, &[(name, &value)])
    }
}

/// The ways a request joins the newest plan, from `at` (now by default).
pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((raw, request_id)): Path<(String, String)>,
    Query(q): Query<FitQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let date = parse_date(&raw, "date")?;
    let request_id = id(Some(&request_id), "request_id")?.unwrap_or_default();
    let at_raw = q.at.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let at = time(at_raw, "at")?;
    let input = FitInput {
        request_id,
        shift_id: None,
        at,
    };
    let answer = fit::fit(&state, date, &input).await?;
    let day = Day::load(&state, date).await?;
    let page = page(ctx, &day, date, at_raw.unwrap_or(""), &answer)?;
    Ok(render(&page)?.into_response())
}

fn page(
    ctx: Ctx,
    day: &Day,
    date: NaiveDate,
    at: &str,
    answer: &FitAnswer,
) -> Result<FitPage, AppError> {
    let t = &ctx.t;
    let r = day
        .request(answer.request_id)
        .ok_or_else(|| AppError::NotFound(format!("request {}", answer.request_id)))?;
    let person = day.person(r.person_id);
    let who = |id: Id| {
        day.request(id)
            .map_or_else(String::new, |r| super::requests_view::who(day, r))
    };
    let shift_names = |shift_id: Id| {
        let shift = day.shift(Some(shift_id));
        let vehicle = shift
            .and_then(|s| day.vehicle(s.vehicle_id))
            .map_or_else(String::new, |v| v.name.clone());
        let driver = shift
            .and_then(|s| day.volunteer(s.volunteer_id))
            .map_or_else(|| t.t("board.no_driver").to_string(), |v| v.name.clone());
        (vehicle, driver)
    };
    let hm =
        |c: Option<Clock>| c.map_or_else(|| "—".to_string(), |c| words::hm(c.minutes() as f64));
    let ways = answer
        .ways
        .iter()
        .map(|w| {
            let (vehicle, driver) = shift_names(w.shift_id);
            WayView {
                shift_id: w.shift_id,
                locked: w.locked,
                vehicle,
                driver,
                pickup: hm(w.pickup),
                promised: w.promised.map_or_else(String::new, |p| {
                    format!(
                        "{}–{}",
                        words::hm(p.start.minutes() as f64),
                        words::hm(p.end.minutes() as f64)
                    )
                }),
                dropoff: hm(w.dropoff),
                added_km: format!("{:.1}", w.added_km),
                moves: w
                    .moves
                    .iter()
                    .map(|n| {
                        t.f(
                            "board.fit.nudge",
                            &[
                                ("who", &who(n.request_id)),
                                ("was", &words::hm(n.was.minutes() as f64)),
                                ("now", &words::hm(n.now.minutes() as f64)),
                            ],
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let blocked = answer.blocked.as_ref().map(|b| {
        (
            reasons::in_words(t, b.reason, r, person),
            b.shifts
                .iter()
                .map(|s| {
                    let (vehicle, driver) = shift_names(s.shift_id);
                    (
                        format!("{vehicle} — {driver}"),
                        reasons::in_words(t, s.reason, r, person),
                    )
                })
                .collect(),
        )
    });
    let fits_if = answer
        .blocked
        .as_ref()
        .and_then(|b| b.fits_if.as_ref())
        .map_or_else(String::new, |f| {
            reasons::fits_if_in_words(t, f, |id| day.vehicle(id).map(|v| v.name.as_str()))
        });
    Ok(FitPage {
        fits_if,
        date: date.to_string(),
        request_id: r.id,
        who: super::requests_view::who(day, r),
        what: format!(
            "{}, {} → {}, {}; {}",
            words::kind(t, r.kind),
            day.place_name(r.from_place_id),
            day.place_name(r.to_place_id),
            words::window(t, r),
            words::needs(t, r, person)
        ),
        at: at.to_string(),
        ways,
        blocked,
        ctx,
    })
}

/// "Accetta": the way on that shift taken, as a new draft; the board shows
/// what it changes before it is published.
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    form: Form,
) -> Result<Redirect, AppError> {
    let (actor, date) = planner_form(&ctx, &form, &raw)?;
    let request_id = id(form.get("request_id"), "request_id")?
        .ok_or_else(|| AppError::invalid("request_id", "is required"))?;
    let input = FitInput {
        request_id,
        shift_id: id(form.get("shift_id"), "shift_id")?,
        at: time(form.get("at"), "at")?,
    };
    fit::accept(&state, actor, date, &input).await?;
    Ok(Redirect::to(&format!("/board/{date}#changes")))
}
