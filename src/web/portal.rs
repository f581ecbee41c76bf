//! The association portal: a member books rides for the association's people
//! and follows them until the promised pickup time is known.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Duration, Local, NaiveDate};
use serde::Deserialize;

use super::ctx::Ctx;
use super::form::{Checked, Form};
use super::render;
use crate::api::{AppError, AppState, Caller};
use crate::domain::ride_policy::Purpose;
use crate::domain::{
    Clock, FieldError, Id, Invalid, Person, Place, Request, RequestInput, RequestKind,
    RequestStatus, Role, WayBack, Window, WindowAt,
};
use crate::service::{rides, ServiceError};
use crate::store::Scope;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(list))
        .route("/portal/new", get(new_form).post(create))
}

const MEMBERS: &[Role] = &[Role::Member];

fn caller(ctx: &Ctx) -> Result<Caller, AppError> {
    Ok(Caller {
        user: ctx.require(MEMBERS)?.clone(),
    })
}

/// Where a request stands, as an association sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Booked, not yet in a published plan.
    Requested,
    /// In the published plan, with its promised pickup time.
    Scheduled(Clock),
    /// The published plan could not take it.
    TurnedDown,
    Cancelled,
}

impl Standing {
    pub fn key(self) -> &'static str {
        match self {
            Self::Requested => "portal.status_requested",
            Self::Scheduled(_) => "portal.status_scheduled",
            Self::TurnedDown => "portal.status_turned_down",
            Self::Cancelled => "portal.status_cancelled",
        }
    }

    pub fn badge(self) -> &'static str {
        match self {
            Self::Requested => "info",
            Self::Scheduled(_) => "ok",
            Self::TurnedDown => "bad",
            Self::Cancelled => "warn",
        }
    }

    pub fn promised(self) -> String {
        match self {
            Self::Scheduled(c) => c.to_string(),
            _ => String::new(),
        }
    }
}

struct Row {
    request: Request,
    person: String,
    from: String,
    to: String,
    standing: Standing,
    is_return: bool,
}

#[derive(Template)]
#[template(path = "portal/list.html")]
struct ListPage {
    ctx: Ctx,
    organisation: String,
    rows: Vec<Row>,
    created: bool,
    show_past: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    created: Option<String>,
    past: Option<String>,
}

/// The requests each published date's plan left out.
async fn turned_down(
    s: &AppState,
    dates: impl Iterator<Item = NaiveDate>,
) -> Result<HashSet<Id>, AppError> {
    let mut out = HashSet::new();
    for date in dates {
        if let Some(plan) = s.store.published_plan(date).await? {
            out.extend(plan.unassigned.iter().map(|u| u.request_id));
        }
    }
    Ok(out)
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
    let people: HashMap<Id, String> = s
        .store
        .people(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let places: HashMap<Id, String> = s
        .store
        .places(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut dates: Vec<NaiveDate> = requests.iter().map(|r| r.date).collect();
    dates.dedup();
    let turned_down = turned_down(&s, dates.into_iter()).await?;
    let rows = requests
        .into_iter()
        .map(|r| Row {
            person: r
                .person_id
                .and_then(|p| people.get(&p).cloned())
                .unwrap_or_default(),
            from: places.get(&r.from_place_id).cloned().unwrap_or_default(),
            to: places.get(&r.to_place_id).cloned().unwrap_or_default(),
            standing: match (r.status, r.promised_pickup) {
                (s, _) if s.is_dropped() => Standing::Cancelled,
                (_, Some(at)) => Standing::Scheduled(at),
                _ if turned_down.contains(&r.id) => Standing::TurnedDown,
                _ => Standing::Requested,
            },
            is_return: r.return_of.is_some(),
            request: r,
        })
        .collect();
    let organisation = match caller.user.organisation_id {
        Some(o) => s.store.organisation(scope, o).await?.name,
        None => String::new(),
    };
    Ok(render(&ListPage {
        ctx,
        organisation,
        rows,
        created: q.created.is_some(),
        show_past,
    })?
    .into_response())
}

/// The booking form's values, as typed, to show them again with the faults marked.
#[derive(Debug, Clone, Default)]
struct Draft {
    person_id: String,
    date: String,
    window_at: String,
    window_start: String,
    window_end: String,
    from_place_id: String,
    to_place_id: String,
    companions: String,
    purpose: String,
    notes: String,
    return_trip: bool,
    return_start: String,
    return_end: String,
}

#[derive(Template)]
#[template(path = "portal/new.html")]
struct NewPage {
    ctx: Ctx,
    people: Vec<Person>,
    places: Vec<Place>,
    draft: Draft,
    /// Form field → catalogue key of what is wrong with it.
    errors: Marks,
}

impl NewPage {
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

async fn choices(s: &AppState, scope: Scope) -> Result<(Vec<Person>, Vec<Place>), AppError> {
    let mut people = s.store.people(scope).await?;
    people.sort_by(|a, b| a.name.cmp(&b.name));
    let mut places = s.store.places(scope).await?;
    places.sort_by(|a, b| (a.kind == "home", &a.name).cmp(&(b.kind == "home", &b.name)));
    Ok((people, places))
}

async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let caller = caller(&ctx)?;
    let (people, places) = choices(&s, caller.scope()).await?;
    let draft = Draft {
        date: (Local::now().date_naive() + Duration::days(1)).to_string(),
        window_at: "pickup".into(),
        companions: "0".into(),
        ..Draft::default()
    };
    Ok(render(&NewPage {
        ctx,
        people,
        places,
        draft,
        errors: BTreeMap::new(),
    })?
    .into_response())
}

/// The form field that shows a fault the domain reports for `field`.
fn form_field(field: &str) -> String {
    match field {
        "window.start" => "window_start",
        "window.end" => "window_end",
        "way_back.at" | "way_back.after_minutes" | "way_back" => "return_start",
        "load" | "load.seats" | "load.wheelchairs" => "companions",
        f => f,
    }
    .into()
}

fn mark(errors: &mut BTreeMap<String, String>, e: &Invalid) {
    for FieldError { field, .. } in &e.0 {
        let f = form_field(field);
        let key = format!("portal.err_{f}");
        errors.entry(f).or_insert(key);
    }
}

/// A form field and the catalogue key of what is wrong with it.
type Marks = BTreeMap<String, String>;

/// Reads the form into request inputs, marking each field that cannot be read.
fn read(form: &Form, people: &[Person]) -> (Draft, Result<RequestInput, Marks>) {
    let v = |n: &str| form.get(n).unwrap_or("").to_string();
    let draft = Draft {
        person_id: v("person_id"),
        date: v("date"),
        window_at: v("window_at"),
        window_start: v("window_start"),
        window_end: v("window_end"),
        from_place_id: v("from_place_id"),
        to_place_id: v("to_place_id"),
        companions: v("companions"),
        purpose: v("purpose"),
        notes: v("notes"),
        return_trip: form.get("return_trip").is_some(),
        return_start: v("return_start"),
        return_end: v("return_end"),
    };
    let mut errors = BTreeMap::new();
    let mut bad = |f: &str| {
        errors.insert(f.to_string(), format!("portal.err_{f}"));
    };
    let person = draft
        .person_id
        .parse::<Id>()
        .ok()
        .and_then(|id| people.iter().find(|p| p.id == id));
    if person.is_none() {
        bad("person_id");
    }
    let date = NaiveDate::parse_from_str(&draft.date, "%Y-%m-%d").ok();
    let today = Local::now().date_naive();
    if !date.is_some_and(|d| d >= today && d <= today + Duration::days(366)) {
        bad("date");
    }
    let window_at = WindowAt::parse(&draft.window_at);
    if window_at.is_none() {
        bad("window_at");
    }
    let start = draft.window_start.parse::<Clock>().ok();
    let end = draft.window_end.parse::<Clock>().ok();
    if start.is_none() {
        bad("window_start");
    }
    if end.is_none() {
        bad("window_end");
    }
    // The person's home unless another place is chosen.
    let from = match draft.from_place_id.as_str() {
        "" | "home" => person.map(|p| p.home_place_id),
        s => s.parse::<Id>().ok(),
    };
    if from.is_none() && person.is_some() {
        bad("from_place_id");
    }
    let to = draft.to_place_id.parse::<Id>().ok();
    if to.is_none() {
        bad("to_place_id");
    }
    let companions = draft.companions.parse::<u32>().ok().filter(|c| *c <= 3);
    if companions.is_none() {
        bad("companions");
    }
    let back = if draft.return_trip {
        let (s, e) = (
            draft.return_start.parse::<Clock>().ok(),
            draft.return_end.parse::<Clock>().ok(),
        );
        if s.is_none() {
            bad("return_start");
        }
        if e.is_none() {
            bad("return_end");
        }
        let back = s.zip(e).map(|(s, e)| Window::new(s, e));
        // The way back starts after the outbound's window opens.
        if let (Some(b), Some(start)) = (back, start) {
            if b.start <= start {
                bad("return_start");
            }
        }
        back
    } else {
        None
    };
    let text = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let purpose = match draft.purpose.as_str() {
        "" => None,
        p => {
            let parsed = Purpose::parse(p);
            if parsed.is_none() {
                bad("purpose");
            }
            parsed
        }
    };
    let input = match (person, date, window_at, start, end, from, to, companions) {
        (
            Some(p),
            Some(date),
            Some(window_at),
            Some(start),
            Some(end),
            Some(from),
            Some(to),
            Some(c),
        ) if errors.is_empty() => RequestInput {
            organisation_id: None,
            date,
            kind: RequestKind::Ride,
            person_id: Some(p.id),
            from_place_id: from,
            to_place_id: to,
            pickup_at: None,
            appointment: None,
            window_at: Some(window_at),
            window: Some(Window::new(start, end)),
            companions: Some(c),
            load: None,
            skills: Vec::new(),
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: back.map(|w| WayBack::At(w.start)),
            purpose,
            notes: text(&draft.notes),
            status: RequestStatus::Active,
        },
        _ => return (draft, Err(errors)),
    };
    (draft, Ok(input))
}

async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    ctx.check_form(form.csrf())?;
    let caller = caller(&ctx)?;
    let (people, places) = choices(&s, caller.scope()).await?;
    let (draft, parsed) = read(&form, &people);
    // A text with control characters is marked as such, beside its field.
    let mut errors: Marks = faults
        .iter()
        .map(|f| (f.field.clone(), "portal.err_control".to_string()))
        .collect();
    match parsed {
        Err(e) => {
            for (field, key) in e {
                errors.entry(field).or_insert(key);
            }
        }
        Ok(_) if !errors.is_empty() => {}
        Ok(input) => {
            let org = caller.organisation_for(None, "organisation_id")?;
            match rides::book(&s.store, caller.actor(), org, &input).await {
                Ok(_) => return Ok(Redirect::to("/portal?created=1").into_response()),
                Err(ServiceError::Invalid(e)) => mark(&mut errors, &e),
                Err(e) => return Err(e.into()),
            }
        }
    }
    let page = render(&NewPage {
        ctx,
        people,
        places,
        draft,
        errors,
    })?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
