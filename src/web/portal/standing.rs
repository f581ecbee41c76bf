//! The association's standing orders on the portal: what rides every week,
//! and a pause with its resume date (a hospital stay).

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use super::{caller, today};
use crate::api::PathId;
use crate::api::{AppError, AppState};
use crate::domain::{Id, Person, StandingOrder, Suspension, WeekdaySet};
use crate::service::{standing, ServiceError};
use crate::store::Scope;
use crate::web::board::words;
use crate::web::ctx::Ctx;
use crate::web::form::{Checked, Form};
use crate::web::i18n::Tr;

pub struct OrderRow {
    pub id: Id,
    pub person: String,
    pub trip: String,
    /// "lun, mer, ven · appuntamento alle 09:00".
    pub when: String,
    pub range: String,
    /// The pause in force or coming, in words; empty when none.
    pub paused: String,
}

fn weekdays(t: &Tr, set: WeekdaySet) -> String {
    set.iter()
        .map(|d| {
            t.t(&format!("common.weekday.{}", WeekdaySet::name(d)))
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn order_row(
    t: &Tr,
    o: &StandingOrder,
    today: NaiveDate,
    people: &HashMap<Id, Person>,
    places: &HashMap<Id, String>,
) -> OrderRow {
    let place = |id: &Id| places.get(id).cloned().unwrap_or_default();
    let time = match (o.ride.appointment, o.ride.pickup_at) {
        (Some(a), _) => t.f("portal.appointment_at", &[("time", &a)]),
        (None, Some(p)) => t.f("portal.pickup_at", &[("time", &p)]),
        _ => String::new(),
    };
    let ends = o
        .recurrence
        .ends_on
        .map(|d| words::date(t, d))
        .unwrap_or_else(|| t.t("portal.no_end").to_string());
    let paused = o
        .suspensions
        .iter()
        .find(|s| s.resume_on.is_none_or(|r| r > today))
        .map(|s| match s.resume_on {
            Some(r) => t.f(
                "portal.paused_until",
                &[
                    ("from", &words::date(t, s.from)),
                    ("resume", &words::date(t, r)),
                ],
            ),
            None => t.f("portal.paused_from", &[("from", &words::date(t, s.from))]),
        })
        .unwrap_or_default();
    OrderRow {
        id: o.id,
        person: people
            .get(&o.person_id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        trip: format!(
            "{} → {}",
            place(&o.ride.from_place_id),
            place(&o.ride.to_place_id)
        ),
        when: format!("{} · {time}", weekdays(t, o.recurrence.weekdays)),
        range: format!("{} – {ends}", words::date(t, o.recurrence.starts_on)),
        paused,
    }
}

/// The association's orders still running or to come.
pub async fn rows(
    s: &AppState,
    t: &Tr,
    scope: Scope,
    today: NaiveDate,
    people: &HashMap<Id, Person>,
    places: &HashMap<Id, String>,
) -> Result<Vec<OrderRow>, AppError> {
    let orders = s.store.standing_orders(scope).await?;
    Ok(orders
        .iter()
        .filter(|o| o.active && o.recurrence.ends_on.is_none_or(|e| e >= today))
        .map(|o| order_row(t, o, today, people, places))
        .collect())
}

#[derive(Template)]
#[template(path = "portal/suspend.html")]
struct SuspendPage {
    ctx: Ctx,
    order: OrderRow,
    from: String,
    resume_on: String,
    reason: String,
    errors: BTreeMap<String, String>,
}

impl SuspendPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(|k| self.ctx.t.t(k))
    }

    fn invalid(&self, field: &str) -> &'static str {
        if self.errors.contains_key(field) {
            "true"
        } else {
            "false"
        }
    }
}

async fn page(
    s: &AppState,
    ctx: Ctx,
    id: Id,
    form: Option<&Form>,
    errors: BTreeMap<String, String>,
) -> Result<SuspendPage, AppError> {
    let scope = caller(&ctx)?.scope();
    let order = s.store.standing_order(scope, id).await?;
    let people = s
        .store
        .people(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let places = s
        .store
        .places(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let row = order_row(&ctx.t, &order, today(), &people, &places);
    let v = |n: &str| form.and_then(|f| f.get(n)).unwrap_or("").to_string();
    Ok(SuspendPage {
        order: row,
        from: form.map_or_else(|| today().to_string(), |_| v("from")),
        resume_on: v("resume_on"),
        reason: v("reason"),
        errors,
        ctx,
    })
}

pub async fn form(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let p = page(&s, ctx, id, None, BTreeMap::new()).await?;
    Ok(crate::web::render(&p)?.into_response())
}

/// Reads the pause, marking each field that cannot be read.
fn read(form: &Form) -> Result<Suspension, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let date = |n: &str| NaiveDate::parse_from_str(form.get(n).unwrap_or(""), "%Y-%m-%d").ok();
    let from = date("from").filter(|d| *d >= today());
    if from.is_none() {
        errors.insert("from".into(), "portal.err_suspend_from".into());
    }
    let resume_on = match form.get("resume_on").unwrap_or("") {
        "" => None,
        _ => match date("resume_on") {
            Some(r) if from.is_none_or(|f| r > f) => Some(r),
            _ => {
                errors.insert("resume_on".into(), "portal.err_resume_on".into());
                None
            }
        },
    };
    let reason =
        Some(form.get("reason").unwrap_or("").trim().to_string()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 200) {
        errors.insert("reason".into(), "portal.err_reason".into());
    }
    match from {
        Some(from) if errors.is_empty() => Ok(Suspension {
            from,
            resume_on,
            reason,
        }),
        _ => Err(errors),
    }
}

pub async fn suspend(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    ctx.check_form(form.csrf())?;
    let caller = caller(&ctx)?;
    // Read in the caller's scope: another association's order is not found.
    s.store.standing_order(caller.scope(), id).await?;
    let mut errors: BTreeMap<String, String> = faults
        .iter()
        .map(|f| (f.field.clone(), "portal.err_control".to_string()))
        .collect();
    if errors.is_empty() {
        match read(&form) {
            Ok(pause) => match standing::suspend(&s.store, caller.actor(), id, &pause).await {
                Ok(_) => return Ok(Redirect::to("/portal?suspended=1").into_response()),
                Err(ServiceError::Invalid(e)) => {
                    for f in &e.0 {
                        let field = f.field.rsplit('.').next().unwrap_or(&f.field).to_string();
                        let key = format!("portal.err_{field}");
                        errors.entry(field).or_insert(key);
                    }
                }
                Err(e) => return Err(e.into()),
            },
            Err(marks) => errors = marks,
        }
    }
    let p = page(&s, ctx, id, Some(&form), errors).await?;
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        crate::web::render(&p)?,
    )
        .into_response())
}
