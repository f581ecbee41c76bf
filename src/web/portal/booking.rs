//! The booking form: a ride once, or every week as a standing order; by
//! pickup time, by appointment (arrive-by) or by an exact window; with its
//! way back at a time, some minutes after, or when the rider calls.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate};

use super::{caller, today};
use crate::api::{AppError, AppState};
use crate::domain::ride_policy::Purpose;
use crate::domain::{
    Clock, FieldError, Id, Invalid, Person, Place, Recurrence, RequestInput, RequestKind,
    RequestStatus, RideTemplate, StandingOrderInput, WayBack, WeekdaySet, Window, WindowAt,
};
use crate::service::{rides, standing, ServiceError};
use crate::store::Scope;
use crate::web::ctx::Ctx;
use crate::web::form::{Checked, Form};
use crate::web::render;

/// How the time of the ride is given.
const TIMINGS: [&str; 3] = ["pickup_at", "appointment", "window"];
/// The choices for "N minutes after the appointment".
const AFTER_MINUTES: [u16; 7] = [30, 60, 90, 120, 180, 240, 300];

/// The booking form's values, as typed, to show them again with the faults marked.
#[derive(Debug, Clone, Default)]
struct Draft {
    person_id: String,
    date: String,
    timing: String,
    time: String,
    window_at: String,
    window_start: String,
    window_end: String,
    from_place_id: String,
    to_place_id: String,
    companions: String,
    purpose: String,
    notes: String,
    way_back: String,
    return_at: String,
    return_after: String,
    repeat: bool,
    weekdays: Vec<String>,
    repeat_until: String,
}

impl Draft {
    fn has_weekday(&self, d: &str) -> bool {
        self.weekdays.iter().any(|w| w == d)
    }
}

#[derive(Template)]
#[template(path = "portal/new.html")]
struct NewPage {
    ctx: Ctx,
    people: Vec<Person>,
    places: Vec<Place>,
    purposes: Vec<(&'static str, String)>,
    after_minutes: &'static [u16],
    weekdays: Vec<(&'static str, String)>,
    draft: Draft,
    /// Form field → catalogue key of what is wrong with it.
    errors: Marks,
}

impl NewPage {
    fn new(ctx: Ctx, people: Vec<Person>, places: Vec<Place>, draft: Draft, errors: Marks) -> Self {
        let t = &ctx.t;
        let purposes = Purpose::ALL
            .iter()
            .map(|p| (p.as_str(), crate::web::board::words::purpose(t, Some(*p))))
            .collect();
        let weekdays = crate::domain::WEEKDAY_NAMES
            .iter()
            .map(|d| (*d, t.t(&format!("common.weekday.{d}")).to_string()))
            .collect();
        Self {
            purposes,
            weekdays,
            after_minutes: &AFTER_MINUTES,
            ctx,
            people,
            places,
            draft,
            errors,
        }
    }

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

pub async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let caller = caller(&ctx)?;
    let (people, places) = choices(&s, caller.scope()).await?;
    let draft = Draft {
        date: (today() + Duration::days(1)).to_string(),
        timing: "appointment".into(),
        window_at: "pickup".into(),
        companions: String::new(),
        way_back: "none".into(),
        ..Draft::default()
    };
    Ok(render(&NewPage::new(ctx, people, places, draft, BTreeMap::new()))?.into_response())
}

/// The form field that shows a fault the domain reports for `field`.
fn form_field(field: &str) -> String {
    let field = field.strip_prefix("ride.").unwrap_or(field);
    match field {
        "window.start" | "window" => "window_start",
        "window.end" => "window_end",
        "pickup_at" | "appointment" => "time",
        "way_back.at" => "return_at",
        "way_back.after_minutes" => "return_after",
        "way_back" => "way_back",
        "load" | "load.seats" | "load.wheelchairs" => "companions",
        "recurrence.weekdays" => "weekdays",
        "recurrence.ends_on" => "repeat_until",
        "recurrence.starts_on" => "date",
        f => f,
    }
    .into()
}

fn mark(errors: &mut Marks, e: &Invalid) {
    for FieldError { field, .. } in &e.0 {
        let f = form_field(field);
        let key = format!("portal.err_{f}");
        errors.entry(f).or_insert(key);
    }
}

/// A form field and the catalogue key of what is wrong with it.
type Marks = BTreeMap<String, String>;

/// What the form books: one ride, or a standing order.
enum Booking {
    Once(RequestInput),
    Weekly(StandingOrderInput),
}

fn draft_of(form: &Form) -> Draft {
    let v = |n: &str| form.get(n).unwrap_or("").trim().to_string();
    let or = |n: &str, d: &str| Some(v(n)).filter(|s| !s.is_empty()).unwrap_or(d.into());
    Draft {
        person_id: v("person_id"),
        date: v("date"),
        timing: or("timing", "window"),
        time: v("time"),
        window_at: v("window_at"),
        window_start: v("window_start"),
        window_end: v("window_end"),
        from_place_id: v("from_place_id"),
        to_place_id: v("to_place_id"),
        companions: v("companions"),
        purpose: v("purpose"),
        notes: form.get("notes").unwrap_or("").to_string(),
        way_back: or("way_back", "none"),
        return_at: v("return_at"),
        return_after: v("return_after"),
        repeat: form.get("repeat").is_some(),
        weekdays: form
            .all("weekdays")
            .into_iter()
            .map(str::to_string)
            .collect(),
        repeat_until: v("repeat_until"),
    }
}

/// Reads the form into a booking, marking each field that cannot be read;
/// the rules between fields are the domain's (`settle`, the standing order's
/// `validate`), whose faults are marked after.
fn read(form: &Form, people: &[Person]) -> (Draft, Result<Booking, Marks>) {
    let draft = draft_of(form);
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
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let date = day(&draft.date).filter(|d| *d >= today() && *d <= today() + Duration::days(366));
    if date.is_none() {
        bad("date");
    }
    if !TIMINGS.contains(&draft.timing.as_str()) {
        bad("timing");
    }
    let clock = |s: &str| s.parse::<Clock>().ok();
    let (mut pickup_at, mut appointment, mut window) = (None, None, None);
    let mut window_at = None;
    match draft.timing.as_str() {
        "pickup_at" | "appointment" => match clock(&draft.time) {
            Some(t) if draft.timing == "pickup_at" => pickup_at = Some(t),
            Some(t) => appointment = Some(t),
            None => bad("time"),
        },
        _ => {
            window_at = WindowAt::parse(&draft.window_at);
            if window_at.is_none() {
                bad("window_at");
            }
            let (start, end) = (clock(&draft.window_start), clock(&draft.window_end));
            if start.is_none() {
                bad("window_start");
            }
            if end.is_none() {
                bad("window_end");
            }
            window = start.zip(end).map(|(s, e)| Window::new(s, e));
        }
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
    // Left empty: as the person usually travels.
    let companions = match draft.companions.as_str() {
        "" => None,
        c => {
            let n = c.parse::<u32>().ok().filter(|c| *c <= 3);
            if n.is_none() {
                bad("companions");
            }
            n
        }
    };
    let way_back = match draft.way_back.as_str() {
        "none" => None,
        "at" => {
            let at = clock(&draft.return_at);
            if at.is_none() {
                bad("return_at");
            }
            at.map(WayBack::At)
        }
        "after" => {
            let m = draft
                .return_after
                .parse::<u16>()
                .ok()
                .filter(|m| (1..=720).contains(m));
            if m.is_none() {
                bad("return_after");
            }
            m.map(WayBack::AfterMinutes)
        }
        "will_call" => Some(WayBack::WillCall),
        _ => {
            bad("way_back");
            None
        }
    };
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
    let notes = Some(draft.notes.trim().to_string()).filter(|s| !s.is_empty());
    let mut weekdays = WeekdaySet::EMPTY;
    let mut until = None;
    if draft.repeat {
        for d in &draft.weekdays {
            match WeekdaySet::parse_name(d) {
                Some(d) => weekdays.insert(d),
                None => bad("weekdays"),
            }
        }
        if weekdays.is_empty() {
            bad("weekdays");
        }
        if draft.timing == "window" {
            // A standing order books by a time: pickup or appointment.
            bad("timing");
        }
        until = match draft.repeat_until.as_str() {
            "" => None,
            s => {
                let d = day(s).filter(|u| date.is_none_or(|d| *u >= d));
                if d.is_none() {
                    bad("repeat_until");
                }
                d
            }
        };
    }
    let (Some(p), Some(date), Some(from), Some(to)) = (person, date, from, to) else {
        return (draft, Err(errors));
    };
    if !errors.is_empty() {
        return (draft, Err(errors));
    }
    let booking = if draft.repeat {
        Booking::Weekly(StandingOrderInput {
            organisation_id: None,
            person_id: p.id,
            ride: RideTemplate {
                from_place_id: from,
                to_place_id: to,
                pickup_at,
                appointment,
                companions,
                purpose,
                way_back,
                notes,
            },
            recurrence: Recurrence {
                weekdays,
                starts_on: date,
                ends_on: until,
                exceptions: Default::default(),
            },
            suspensions: Vec::new(),
            active: true,
        })
    } else {
        Booking::Once(RequestInput {
            organisation_id: None,
            date,
            kind: RequestKind::Ride,
            person_id: Some(p.id),
            from_place_id: from,
            to_place_id: to,
            pickup_at,
            appointment,
            window_at,
            window,
            companions,
            load: None,
            skills: Vec::new(),
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back,
            purpose,
            notes,
            status: RequestStatus::Active,
        })
    };
    (draft, Ok(booking))
}

pub async fn create(
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
        Ok(booking) => {
            let org = caller.organisation_for(None, "organisation_id")?;
            let done = match &booking {
                // The ride's id: the list then says whether it fits the day's plan.
                Booking::Once(input) => rides::book(&s.store, caller.actor(), org, input)
                    .await
                    .map(|r| format!("/portal?created={}", r.id)),
                Booking::Weekly(order) => standing::create(&s.store, caller.actor(), org, order)
                    .await
                    .map(|_| "/portal?created=weekly".to_string()),
            };
            match done {
                Ok(to) => return Ok(Redirect::to(&to).into_response()),
                Err(ServiceError::Invalid(e)) => mark(&mut errors, &e),
                Err(e) => return Err(e.into()),
            }
        }
    }
    let page = render(&NewPage::new(ctx, people, places, draft, errors))?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
