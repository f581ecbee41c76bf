//! `/board/{date}/shifts`: the day's shifts. Each with its vehicle (layouts
//! in words, the day's blocks), its volunteer or "da trovare", its hours, the
//! services it serves and, once a plan is published, its route's stops; a
//! form that adds a shift or edits one, marking the fields at fault; a button
//! that deletes one; and the shifts of another day copied in one go. Writes
//! go through `service::shifts`, as the API's do.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::{parse_date, words};
use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::{Id, Organisation, RequestKind, Shift, ShiftInput, Window};
use crate::service::{shifts, vehicle_blocks, ServiceError};
use crate::store::{Actor, Scope};
use crate::web::ctx::Ctx;
use crate::web::form::{clock, Checked, Form};
use crate::web::i18n::Tr;
use crate::web::render;

/// The services a shift may keep to, in the form's order.
const SERVICES: [RequestKind; 3] = [
    RequestKind::Ride,
    RequestKind::Meal,
    RequestKind::Collection,
];

pub struct ShiftRow {
    pub id: Id,
    pub vehicle: String,
    pub vehicle_active: bool,
    /// Each layout's room, "2 carrozzine, 5 posti".
    pub layouts: Vec<String>,
    /// The vehicle's blocks that day, in words.
    pub blocks: Vec<String>,
    pub volunteer: String,
    /// No volunteer yet: "da trovare".
    pub to_find: bool,
    pub span: String,
    pub services: String,
    /// Kept to some services (not all).
    pub restricted: bool,
    /// Stops of its routes in the published plan; `None` without one.
    pub stops: Option<usize>,
    pub edit_label: String,
    pub delete_label: String,
}

pub struct Choice {
    pub value: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "board/shifts.html")]
struct ShiftsPage {
    ctx: Ctx,
    date: String,
    title: String,
    prev: String,
    next: String,
    notice: String,
    published: bool,
    rows: Vec<ShiftRow>,
    /// The shift the form edits; `None`: the form adds one.
    editing: Option<Id>,
    vehicle_choices: Vec<Choice>,
    volunteer_choices: Vec<Choice>,
    start: String,
    end: String,
    services: Vec<Choice>,
    /// Field → catalogue key of its message.
    errors: BTreeMap<&'static str, &'static str>,
    copy_from: String,
    /// What kept the copy from being made, in words.
    copy_error: String,
}

impl ShiftsPage {
    fn error(&self, field: &str) -> Option<&'static str> {
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

/// "trasporti, pasti" or "tutti i servizi".
fn services(t: &Tr, serves: &[RequestKind]) -> String {
    if serves.is_empty() {
        t.t("board.shifts.serves_all").to_string()
    } else {
        words::services(t, serves)
    }
}

/// The form's values as typed, to show them again.
#[derive(Default)]
struct Typed<'a> {
    vehicle_id: &'a str,
    volunteer_id: &'a str,
    start: &'a str,
    end: &'a str,
    serves: Vec<&'a str>,
}

impl<'a> Typed<'a> {
    fn of(form: &'a Form) -> Self {
        let v = |n: &str| form.get(n).unwrap_or("");
        Typed {
            vehicle_id: v("vehicle_id"),
            volunteer_id: v("volunteer_id"),
            start: v("start"),
            end: v("end"),
            serves: form.all("serves"),
        }
    }
}

/// The form showing `s` as it is.
fn typed_shift(s: &Shift) -> (String, String, String, String, Vec<&'static str>) {
    (
        s.vehicle_id.to_string(),
        s.volunteer_id.map_or_else(String::new, |v| v.to_string()),
        s.window.start.to_string(),
        s.window.end.to_string(),
        s.serves.iter().map(|k| k.as_str()).collect(),
    )
}

fn org_name(orgs: &[Organisation], id: Option<Id>, t: &Tr) -> String {
    match id.and_then(|id| orgs.iter().find(|o| o.id == id)) {
        Some(o) => o.name.clone(),
        None => t.t("board.vehicles.for_municipality").to_string(),
    }
}

#[derive(Default)]
struct Shown<'a> {
    editing: Option<Id>,
    typed: Typed<'a>,
    errors: BTreeMap<&'static str, &'static str>,
    notice: &'static str,
    copy_from: Option<String>,
    copy_error: String,
}

async fn load(
    state: &AppState,
    ctx: Ctx,
    date: NaiveDate,
    shown: Shown<'_>,
) -> Result<ShiftsPage, AppError> {
    let t = ctx.t;
    let store = &state.store;
    let day_shifts = shifts::list(store, Some(date)).await?;
    let vehicles = store.vehicles().await?;
    let mut volunteers = store.volunteers().await?;
    volunteers.sort_by(|a, b| a.name.cmp(&b.name));
    let orgs = store.organisations(Scope::All).await?;
    let blocks = vehicle_blocks::list(store, Scope::All, date, date).await?;
    let published = store.published_plan(date).await?;
    let hours = |w: &Window| {
        t.f(
            "board.vehicles.span",
            &[
                ("start", &words::hm(w.start.minutes() as f64)),
                ("end", &words::hm(w.end.minutes() as f64)),
            ],
        )
    };
    let rows = day_shifts
        .iter()
        .map(|s| {
            let vehicle = vehicles.iter().find(|v| v.id == s.vehicle_id);
            let name = vehicle.map_or_else(|| format!("#{}", s.vehicle_id), |v| v.name.clone());
            let volunteer = s
                .volunteer_id
                .and_then(|id| volunteers.iter().find(|v| v.id == id));
            let span = hours(&s.window);
            let label = |key: &str| t.f(key, &[("vehicle", &name), ("span", &span)]);
            ShiftRow {
                id: s.id,
                vehicle_active: vehicle.is_none_or(|v| v.active),
                layouts: vehicle
                    .map(|v| {
                        v.layouts
                            .iter()
                            .map(|l| words::load(&t, &l.capacity))
                            .collect()
                    })
                    .unwrap_or_default(),
                blocks: blocks
                    .iter()
                    .filter(|b| b.vehicle_id == s.vehicle_id)
                    .map(|b| {
                        t.f(
                            "board.shifts.blocked",
                            &[
                                ("span", &hours(&b.window)),
                                ("whom", &org_name(&orgs, b.organisation_id, &t)),
                            ],
                        )
                    })
                    .collect(),
                volunteer: volunteer.map_or_else(
                    || match s.volunteer_id {
                        Some(id) => format!("#{id}"),
                        None => t.t("board.shifts.to_find").to_string(),
                    },
                    |v| v.name.clone(),
                ),
                to_find: s.volunteer_id.is_none(),
                services: services(&t, &s.serves),
                restricted: !s.serves.is_empty(),
                stops: published.as_ref().map(|p| {
                    p.routes
                        .iter()
                        .filter(|r| r.shift_id == Some(s.id))
                        .map(|r| r.stops.len())
                        .sum()
                }),
                edit_label: label("board.shifts.edit_label"),
                delete_label: label("board.shifts.delete_label"),
                vehicle: name,
                span,
            }
        })
        .collect();
    let typed = &shown.typed;
    let mut vehicle_choices = vec![Choice {
        value: String::new(),
        name: t.t("board.vehicles.choose_vehicle").to_string(),
        selected: typed.vehicle_id.is_empty(),
    }];
    vehicle_choices.extend(vehicles.iter().map(|v| Choice {
        value: v.id.to_string(),
        name: if v.active {
            v.name.clone()
        } else {
            format!("{} ({})", v.name, t.t("board.vehicles.inactive"))
        },
        selected: typed.vehicle_id == v.id.to_string(),
    }));
    let mut volunteer_choices = vec![Choice {
        value: String::new(),
        name: t.t("board.shifts.to_find").to_string(),
        selected: typed.volunteer_id.is_empty(),
    }];
    volunteer_choices.extend(volunteers.iter().map(|v| Choice {
        value: v.id.to_string(),
        name: v.name.clone(),
        selected: typed.volunteer_id == v.id.to_string(),
    }));
    Ok(ShiftsPage {
        date: date.to_string(),
        title: t.f("board.shifts.title", &[("date", &words::date(&t, date))]),
        prev: (date - Days::new(1)).to_string(),
        next: (date + Days::new(1)).to_string(),
        notice: if shown.notice.is_empty() {
            String::new()
        } else {
            t.t(shown.notice).to_string()
        },
        published: published.is_some(),
        rows,
        editing: shown.editing,
        vehicle_choices,
        volunteer_choices,
        start: typed.start.to_string(),
        end: typed.end.to_string(),
        services: SERVICES
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_string(),
                name: words::services(&t, &[*k]),
                selected: typed.serves.contains(&k.as_str()),
            })
            .collect(),
        errors: shown.errors,
        copy_from: shown
            .copy_from
            .unwrap_or_else(|| (date - Days::new(7)).to_string()),
        copy_error: shown.copy_error,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// The shift the form edits.
    edit: Option<Id>,
    /// `added`, `updated`, `deleted` or `copied`: what the last post did.
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let date = parse_date(&raw, "date")?;
    let notice = match q.done.as_deref() {
        Some("added") => "board.shifts.added",
        Some("updated") => "board.shifts.updated",
        Some("deleted") => "board.shifts.deleted",
        Some("copied") => "board.shifts.copied",
        _ => "",
    };
    let editing = match q.edit {
        Some(id) => Some(of_date(&state, id, date).await?),
        None => None,
    };
    let values = editing.as_ref().map(typed_shift);
    let typed = match &values {
        Some((vehicle_id, volunteer_id, start, end, serves)) => Typed {
            vehicle_id,
            volunteer_id,
            start,
            end,
            serves: serves.clone(),
        },
        None => Typed::default(),
    };
    let shown = Shown {
        editing: editing.map(|s| s.id),
        typed,
        notice,
        ..Shown::default()
    };
    let p = load(&state, ctx, date, shown).await?;
    Ok(render(&p)?.into_response())
}

/// Shift `id`, if it is one of `date` (404 otherwise: the page shows one day).
async fn of_date(state: &AppState, id: Id, date: NaiveDate) -> Result<Shift, AppError> {
    let s = state.store.shift(id).await?;
    if s.date == date {
        Ok(s)
    } else {
        Err(crate::store::StoreError::NotFound("shift").into())
    }
}

/// The planner's post: signed in as admin or dispatcher, with the session's
/// form token, on a date of the accepted range.
fn planner_post(ctx: &Ctx, form: &Form, raw: &str) -> Result<(Actor, NaiveDate), AppError> {
    let user = ctx.require(PLANNERS)?;
    ctx.check_form(form.csrf())?;
    Ok((Actor(Some(user.id)), parse_date(raw, "date")?))
}

fn back(date: NaiveDate, done: &str, anchor: &str) -> Redirect {
    Redirect::to(&format!("/board/{date}/shifts?done={done}{anchor}"))
}

/// The form's fields; what cannot be read is marked with its message key.
fn read(
    typed: &Typed,
    date: NaiveDate,
) -> Result<ShiftInput, BTreeMap<&'static str, &'static str>> {
    let mut errors = BTreeMap::new();
    let vehicle_id = typed.vehicle_id.parse::<Id>().ok();
    if vehicle_id.is_none() {
        errors.insert("vehicle_id", "board.vehicles.err_vehicle_id");
    }
    let volunteer_id = match typed.volunteer_id {
        "" => None,
        raw => {
            let id = raw.parse::<Id>().ok();
            if id.is_none() {
                errors.insert("volunteer_id", "board.shifts.err_volunteer_id");
            }
            id
        }
    };
    let start = clock(typed.start);
    if start.is_none() {
        errors.insert("start", "board.vehicles.err_start");
    }
    let end = clock(typed.end);
    if end.is_none() {
        errors.insert("end", "board.vehicles.err_end");
    }
    let serves: Vec<RequestKind> = typed
        .serves
        .iter()
        .filter_map(|k| RequestKind::parse(k))
        .collect();
    if serves.len() != typed.serves.len() {
        errors.insert("serves", "board.shifts.err_serves");
    }
    match (vehicle_id, start, end) {
        (Some(vehicle_id), Some(start), Some(end)) if errors.is_empty() => Ok(ShiftInput {
            date,
            vehicle_id,
            volunteer_id,
            window: Window::new(start, end),
            serves,
        }),
        _ => Err(errors),
    }
}

/// The form field a rule's path names, and the message to show by it. The
/// store names the volunteer for three reasons; its message tells which.
fn mark(path: &str, message: &str) -> Option<(&'static str, &'static str)> {
    Some(match path {
        "vehicle_id" => ("vehicle_id", "board.vehicles.err_vehicle_id"),
        "volunteer_id" if message.starts_with("already drives") => {
            ("volunteer_id", "board.shifts.err_volunteer_busy")
        }
        "volunteer_id" if message.contains("may not drive") => {
            ("volunteer_id", "board.shifts.err_volunteer_vehicle")
        }
        "volunteer_id" => ("volunteer_id", "board.shifts.err_volunteer_id"),
        "window.start" => ("start", "board.vehicles.err_start"),
        "window.end" => ("end", "board.vehicles.err_end"),
        // The store's overlap with another shift of the vehicle.
        "window" => ("start", "board.shifts.err_overlap"),
        p if p == "serves" || p.starts_with("serves[") => ("serves", "board.shifts.err_serves"),
        _ => return None,
    })
}

const FIELDS: [&str; 5] = ["vehicle_id", "volunteer_id", "start", "end", "serves"];

/// Writes the form through `write`; bad input shows the page again with the
/// fields marked (422) and writes nothing.
async fn save<F, Fut>(
    state: &AppState,
    ctx: Ctx,
    date: NaiveDate,
    editing: Option<Id>,
    checked: Checked,
    write: F,
) -> Result<Response, AppError>
where
    F: FnOnce(ShiftInput) -> Fut,
    Fut: std::future::Future<Output = Result<Shift, ServiceError>>,
{
    let Checked { form, faults } = checked;
    let typed = Typed::of(&form);
    // Text with control characters was taken out of the form: mark its field.
    let mut errors: BTreeMap<&'static str, &'static str> = faults
        .iter()
        .filter_map(|f| FIELDS.into_iter().find(|n| *n == f.field))
        .map(|n| (n, "board.vehicles.err_control"))
        .collect();
    if errors.is_empty() {
        match read(&typed, date) {
            Ok(input) => match write(input).await {
                Ok(saved) => {
                    let done = if editing.is_some() {
                        "updated"
                    } else {
                        "added"
                    };
                    return Ok(back(date, done, &format!("#shift-{}", saved.id)).into_response());
                }
                Err(ServiceError::Invalid(e)) => {
                    for f in &e.0 {
                        let (field, key) = mark(&f.field, &f.message)
                            .ok_or_else(|| AppError::Invalid(e.clone()))?;
                        errors.entry(field).or_insert(key);
                    }
                }
                Err(e) => return Err(e.into()),
            },
            Err(marks) => errors = marks,
        }
    }
    let shown = Shown {
        editing,
        typed,
        errors,
        ..Shown::default()
    };
    let p = load(state, ctx, date, shown).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}

/// "Aggiungi il turno".
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    checked: Checked,
) -> Result<Response, AppError> {
    let (actor, date) = planner_post(&ctx, &checked.form, &raw)?;
    let store = state.store.clone();
    save(&state, ctx, date, None, checked, |input| async move {
        shifts::create(&store, actor, &input).await
    })
    .await
}

/// "Salva il turno": the shift edited keeps its date.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((raw, id)): Path<(String, Id)>,
    checked: Checked,
) -> Result<Response, AppError> {
    let (actor, date) = planner_post(&ctx, &checked.form, &raw)?;
    of_date(&state, id, date).await?;
    let store = state.store.clone();
    save(&state, ctx, date, Some(id), checked, |input| async move {
        shifts::update(&store, actor, id, &input).await
    })
    .await
}

/// "Elimina": the shift goes, the page comes back.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((raw, id)): Path<(String, Id)>,
    form: Form,
) -> Result<Redirect, AppError> {
    let (actor, date) = planner_post(&ctx, &form, &raw)?;
    of_date(&state, id, date).await?;
    shifts::delete(&state.store, actor, id).await?;
    Ok(back(date, "deleted", ""))
}

/// What kept a copy from being made, in words: the day it goes to has
/// shifts, the day it comes from has none or is no day, or one shift of it
/// could not be written again (named by vehicle and hours).
fn copy_refusal(
    t: &Tr,
    e: &crate::domain::Invalid,
    source: &[Shift],
    names: &[(Id, String)],
) -> String {
    let Some(f) = e.0.first() else {
        return String::new();
    };
    if f.field == "date" {
        return t.t("board.shifts.err_copy_busy").to_string();
    }
    if f.field == "from" {
        return t.t("board.shifts.err_copy_from").to_string();
    }
    let which = f
        .field
        .strip_prefix("shifts[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| source.get(i));
    let Some(s) = which else {
        return t.t("board.shifts.err_copy_from").to_string();
    };
    let vehicle = names
        .iter()
        .find(|(id, _)| *id == s.vehicle_id)
        .map_or_else(|| format!("#{}", s.vehicle_id), |(_, n)| n.clone());
    let field = f.field.rsplit('.').next().unwrap_or("");
    let why = mark(field, &f.message).map_or("board.shifts.err_copy_other", |(_, k)| k);
    t.f(
        "board.shifts.err_copy_shift",
        &[
            ("vehicle", &vehicle),
            ("start", &words::hm(s.window.start.minutes() as f64)),
            ("end", &words::hm(s.window.end.minutes() as f64)),
            ("why", &t.t(why)),
        ],
    )
}

/// "Copia i turni": the shifts of the day chosen, written again on this one.
pub async fn copy(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    let (actor, date) = planner_post(&ctx, &form, &raw)?;
    let typed_from = form.get("from").unwrap_or("").to_string();
    let from = NaiveDate::parse_from_str(&typed_from, "%Y-%m-%d")
        .ok()
        .filter(|_| faults.is_empty());
    let t = ctx.t;
    let refusal = match from {
        None => t.t("board.shifts.err_copy_from").to_string(),
        Some(from) => match shifts::copy(&state.store, actor, from, date).await {
            Ok(_) => return Ok(back(date, "copied", "").into_response()),
            Err(ServiceError::Invalid(e)) => {
                let source = shifts::list(&state.store, Some(from)).await?;
                let names: Vec<(Id, String)> = state
                    .store
                    .vehicles()
                    .await?
                    .into_iter()
                    .map(|v| (v.id, v.name))
                    .collect();
                copy_refusal(&t, &e, &source, &names)
            }
            Err(e) => return Err(e.into()),
        },
    };
    let shown = Shown {
        copy_from: Some(typed_from),
        copy_error: refusal,
        ..Shown::default()
    };
    let p = load(&state, ctx, date, shown).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Clock;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_form_that_cannot_be_read_marks_each_field_at_fault() {
        let typed = Typed {
            vehicle_id: "x",
            volunteer_id: "y",
            start: "nove",
            end: "",
            serves: vec!["meal", "bus"],
        };
        let marks = read(&typed, day()).unwrap_err();
        let fields: Vec<&str> = marks.keys().copied().collect();
        assert_eq!(
            fields,
            vec!["end", "serves", "start", "vehicle_id", "volunteer_id"]
        );
        let ok = Typed {
            vehicle_id: "3",
            volunteer_id: "",
            start: "8:00",
            end: "12:30",
            serves: vec!["meal"],
        };
        let input = read(&ok, day()).unwrap();
        assert_eq!(input.window, Window::new(Clock(480), Clock(750)));
        assert_eq!(input.volunteer_id, None);
        assert_eq!(input.serves, vec![RequestKind::Meal]);
        assert_eq!(input.date, day());
    }

    #[test]
    fn every_rule_of_a_shift_marks_a_field_of_the_form() {
        for (path, message) in [
            ("vehicle_id", "no such vehicle"),
            ("volunteer_id", "no such volunteer"),
            ("volunteer_id", "this volunteer may not drive this vehicle"),
            ("volunteer_id", "already drives shift 4 at that time"),
            ("window.start", ""),
            ("window.end", "must be after the start"),
            ("window", "overlaps shift 3 of the same vehicle"),
            ("serves[1]", "names a service twice"),
        ] {
            let (field, _) = mark(path, message).unwrap_or_else(|| panic!("{path}"));
            assert!(FIELDS.contains(&field), "{path} → {field}");
        }
        assert_eq!(
            mark("volunteer_id", "already drives shift 4 at that time").map(|m| m.1),
            Some("board.shifts.err_volunteer_busy")
        );
        assert_eq!(
            mark("volunteer_id", "this volunteer may not drive this vehicle").map(|m| m.1),
            Some("board.shifts.err_volunteer_vehicle")
        );
    }
}
