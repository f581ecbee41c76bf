//! The association portal: a member books rides for the association's people
//! (once, or every week as a standing order), follows each one through its
//! lifecycle, and pauses a standing order during a hospital stay.

mod booking;
mod fit_note;
mod standing;

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{Local, NaiveDate};
use serde::Deserialize;

use super::board::{reasons, words};
use super::ctx::Ctx;
use super::i18n::Tr;
use crate::api::{AppError, AppState, Caller};
use crate::domain::{Id, Lifecycle, Person, Request, RequestKind, Role};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(list))
        .route("/portal/new", get(booking::new_form).post(booking::create))
        .route("/portal/standing/{id}", get(standing::form))
        .route("/portal/standing/{id}/suspend", post(standing::suspend))
}

const MEMBERS: &[Role] = &[Role::Member];

fn caller(ctx: &Ctx) -> Result<Caller, AppError> {
    Ok(Caller {
        user: ctx.require(MEMBERS)?.clone(),
    })
}

/// The badge colour of a lifecycle state.
fn badge(l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Requested | Lifecycle::WaitingCall => "info",
        Lifecycle::Scheduled { .. } | Lifecycle::OnBoard | Lifecycle::Completed => "ok",
        Lifecycle::TurnedDown { .. } | Lifecycle::NoShow | Lifecycle::CancelledLate => "bad",
        Lifecycle::Cancelled => "warn",
    }
}

struct Row {
    request: Request,
    person: String,
    from: String,
    to: String,
    is_return: bool,
    /// The lifecycle state in words.
    state: String,
    badge: &'static str,
    /// The promised pickup window, once published.
    promised: String,
    /// Why the published plan left it out, in words.
    why: String,
    purpose: String,
}

#[derive(Template)]
#[template(path = "portal/list.html")]
struct ListPage {
    ctx: Ctx,
    organisation: String,
    rows: Vec<Row>,
    orders: Vec<standing::OrderRow>,
    /// The ride's id after it was booked, "weekly" after a standing order.
    created: String,
    /// Whether the ride just booked fits the day's newest plan, in words.
    fit_note: Option<String>,
    suspended: bool,
    show_past: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    created: Option<String>,
    suspended: Option<String>,
    past: Option<String>,
}

fn row(t: &Tr, r: Request, people: &HashMap<Id, Person>, places: &HashMap<Id, String>) -> Row {
    let person = r.person_id.and_then(|p| people.get(&p));
    let l = r.lifecycle;
    Row {
        person: person.map(|p| p.name.clone()).unwrap_or_default(),
        from: places.get(&r.from_place_id).cloned().unwrap_or_default(),
        to: places.get(&r.to_place_id).cloned().unwrap_or_default(),
        is_return: r.return_of.is_some(),
        state: t.t(&format!("common.lifecycle.{}", l.name())).to_string(),
        badge: badge(l),
        promised: match l {
            Lifecycle::Scheduled { pickup } => format!("{}–{}", pickup.start, pickup.end),
            _ => String::new(),
        },
        why: match l {
            Lifecycle::TurnedDown { reason } => reasons::in_words(t, reason, &r, person),
            _ => String::new(),
        },
        purpose: words::purpose(t, r.purpose),
        request: r,
    }
}

async fn list(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let caller = caller(&ctx)?;
    let scope = caller.scope();
    let today = Local::now().date_naive();
    let show_past = q.past.is_some();
    let mut requests: Vec<Request> = s
        .store
        .requests(scope, None)
        .await?
        .into_iter()
        .filter(|r| show_past || r.date >= today)
        .filter(|r| r.kind == RequestKind::Ride)
        .collect();
    requests.sort_by_key(|r| (r.date, r.window.start, r.id));
    let people: HashMap<Id, Person> = s
        .store
        .people(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let places: HashMap<Id, String> = s
        .store
        .places(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let rows = requests
        .into_iter()
        .map(|r| row(&ctx.t, r, &people, &places))
        .collect();
    let orders = standing::rows(&s, &ctx.t, scope, today, &people, &places).await?;
    let organisation = match caller.user.organisation_id {
        Some(o) => s.store.organisation(scope, o).await?.name,
        None => String::new(),
    };
    let fit_note = match q.created.as_deref().and_then(|c| c.parse::<Id>().ok()) {
        Some(id) => fit_note::note(&s, &ctx.t, scope, id).await?,
        None => None,
    };
    Ok(super::render(&ListPage {
        fit_note,
        ctx,
        organisation,
        rows,
        orders,
        created: q.created.unwrap_or_default(),
        suspended: q.suspended.is_some(),
        show_past,
    })?
    .into_response())
}

/// The first date a booking may take: today.
fn today() -> NaiveDate {
    Local::now().date_naive()
}
