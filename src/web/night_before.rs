//! `/night-before`: the printable night-before list of an association — who
//! is picked up when, from where to where, with whom, and the number to
//! call. A member sees its own association's; a planner picks one.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Duration, Local, NaiveDate};
use serde::Deserialize;

use super::ctx::Ctx;
use super::render;
use crate::api::{AppError, AppState, Caller, BOOKERS};
use crate::domain::night_before::{NightBeforeList, NightBeforeRow};
use crate::domain::{Assistance, Id, Mobility, OrgKind};
use crate::service::night_before;
use crate::store::Scope;

pub fn routes() -> Router<AppState> {
    Router::new().route("/night-before", get(page))
}

struct RowView {
    request_id: Id,
    window: String,
    person: String,
    phone: String,
    from: String,
    from_address: String,
    to: String,
    to_address: String,
    appointment: String,
    companions: u32,
    needs: String,
    is_return: bool,
}

struct OrgOption {
    id: Id,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "night_before.html")]
struct Page {
    ctx: Ctx,
    date: String,
    /// The date as people say it, for the heading.
    date_words: String,
    organisation: String,
    organisation_id: Id,
    /// Planners choose the association; members see their own.
    choices: Vec<OrgOption>,
    published: bool,
    rows: Vec<RowView>,
    /// The field at fault and why, marked beside it.
    fault: Option<(&'static str, String)>,
}

#[derive(Deserialize)]
struct Q {
    date: Option<String>,
    organisation_id: Option<String>,
}

fn needs(ctx: &Ctx, r: &NightBeforeRow) -> String {
    let t = |k: &str| ctx.t.t(k).to_string();
    let mut out = Vec::new();
    match r.mobility {
        Mobility::None => {}
        Mobility::Walker => out.push(t("night_before.mobility.walker")),
        Mobility::WheelchairTransfer => out.push(t("night_before.mobility.wheelchair_transfer")),
        Mobility::Wheelchair => out.push(t("night_before.mobility.wheelchair")),
    }
    match r.assistance {
        Assistance::None => {}
        Assistance::AccompanyToDoor => out.push(t("night_before.assistance.to_door")),
        Assistance::NeedsCompanion => out.push(t("night_before.assistance.companion")),
    }
    if r.service_animal {
        out.push(t("night_before.service_animal"));
    }
    out.join(", ")
}

fn view(ctx: &Ctx, list: &NightBeforeList) -> Vec<RowView> {
    list.rows
        .iter()
        .map(|r| RowView {
            request_id: r.request_id,
            window: format!("{}–{}", r.pickup.start, r.pickup.end),
            person: r.person.clone(),
            phone: r.phone.clone().unwrap_or_default(),
            from: r.from.clone(),
            from_address: r.from_address.clone(),
            to: r.to.clone(),
            to_address: r.to_address.clone(),
            appointment: r.appointment.map(|a| a.to_string()).unwrap_or_default(),
            companions: r.companions,
            needs: needs(ctx, r),
            is_return: r.is_return,
        })
        .collect()
}

fn parse_date(raw: Option<&str>) -> Result<NaiveDate, String> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(Local::now().date_naive() + Duration::days(1)),
        Some(r) => {
            let d: NaiveDate = r
                .parse()
                .map_err(|_| format!("expected a date YYYY-MM-DD, got {r:?}"))?;
            crate::domain::date::check(d).map_err(str::to_string)
        }
    }
}

async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Q>,
) -> Result<Response, AppError> {
    let caller = Caller {
        user: ctx.require(BOOKERS)?.clone(),
    };
    let mut fault = None;
    let date = parse_date(q.date.as_deref()).unwrap_or_else(|m| {
        fault = Some(("date", m));
        Local::now().date_naive() + Duration::days(1)
    });
    let asked = match q.organisation_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match raw.parse::<Id>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                fault = Some(("organisation_id", format!("expected an id, got {raw:?}")));
                None
            }
        },
    };
    let orgs = s.store.organisations(caller.scope()).await?;
    let org = match (caller.scope(), asked) {
        (Scope::All, None) => orgs
            .iter()
            .find(|o| o.kind == OrgKind::Association)
            .or(orgs.first())
            .map(|o| o.id)
            .ok_or_else(|| AppError::NotFound("organisation".into()))?,
        (_, asked) => caller.organisation_for(asked, "organisation_id")?,
    };
    let choices = match caller.scope() {
        Scope::All => orgs
            .iter()
            .map(|o| OrgOption {
                id: o.id,
                name: o.name.clone(),
                selected: o.id == org,
            })
            .collect(),
        Scope::Organisation(_) => Vec::new(),
    };
    let (list, rows) = if fault.is_some() {
        (None, Vec::new())
    } else {
        let list = night_before::list(&s.store, date, org).await?;
        let rows = view(&ctx, &list);
        (Some(list), rows)
    };
    let status = if fault.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = Page {
        date: date.to_string(),
        date_words: crate::web::board::words::date(&ctx.t, date),
        organisation: list
            .as_ref()
            .map(|l| l.organisation.clone())
            .unwrap_or_default(),
        organisation_id: org,
        choices,
        published: list.as_ref().is_some_and(|l| l.published),
        rows,
        fault,
        ctx,
    };
    Ok((status, render(&page)?).into_response())
}
