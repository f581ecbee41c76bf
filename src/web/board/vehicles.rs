//! `/board/vehicles`: the vehicle calendar. Each vehicle with its owner, who
//! may ride it outside blocks, its equipment and layouts; the blocks of 30
//! days, each with a delete button; and a form that adds a block, marking
//! the fields at fault (`service::vehicle_blocks` checks, then the store).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::{parse_date, words};
use crate::api::{AppError, AppState, PathId, PLANNERS};
use crate::domain::vehicle_sharing::Party;
use crate::domain::{Id, OrgKind, Organisation, Vehicle, VehicleBlockInput, Window};
use crate::service::{vehicle_blocks, ServiceError};
use crate::store::{Actor, Scope};
use crate::web::ctx::Ctx;
use crate::web::form::{clock, Checked, Form};
use crate::web::i18n::Tr;
use crate::web::render;

/// Days of blocks one page shows.
const DAYS: u64 = 30;

pub struct VehicleRow {
    pub id: Id,
    pub name: String,
    pub active: bool,
    pub owner: String,
    /// Who rides it outside blocks, in words.
    pub access: String,
    pub equipment: String,
    /// Each layout's room, "2 carrozzine, 5 posti".
    pub layouts: Vec<String>,
}

pub struct BlockRow {
    pub id: Id,
    pub vehicle: String,
    pub date: String,
    pub span: String,
    pub whom: String,
    pub note: String,
    /// The delete button's accessible name: which block it removes.
    pub delete_label: String,
}

pub struct Choice {
    pub value: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "board/vehicles.html")]
struct VehiclesPage {
    ctx: Ctx,
    /// First day shown, `YYYY-MM-DD`, carried by the forms to come back to it.
    from: String,
    heading: String,
    prev: String,
    next: String,
    today: bool,
    notice: &'static str,
    vehicles: Vec<VehicleRow>,
    blocks: Vec<BlockRow>,
    vehicle_choices: Vec<Choice>,
    party_choices: Vec<Choice>,
    date: String,
    start: String,
    end: String,
    note: String,
    /// Field → catalogue key of its message.
    errors: BTreeMap<&'static str, &'static str>,
}

impl VehiclesPage {
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

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn org_name(orgs: &[Organisation], id: Id) -> String {
    orgs.iter()
        .find(|o| o.id == id)
        .map_or_else(|| format!("#{id}"), |o| o.name.clone())
}

/// A party in words: an association's name, or the municipality's `key`.
fn party(t: &Tr, orgs: &[Organisation], id: Option<Id>, key: &'static str) -> String {
    match Party::of(id, orgs) {
        Party::Municipality => t.t(key).to_string(),
        Party::Association(id) => org_name(orgs, id),
    }
}

fn vehicle_row(t: &Tr, v: &Vehicle, orgs: &[Organisation]) -> VehicleRow {
    let owner = party(
        t,
        orgs,
        v.owner_organisation_id,
        "board.vehicles.municipality",
    );
    let access = if v.pooled {
        t.t("board.vehicles.pooled").to_string()
    } else {
        match Party::of(v.owner_organisation_id, orgs) {
            Party::Municipality => t.t("board.vehicles.own_municipality").to_string(),
            Party::Association(_) => t.f("board.vehicles.own_members", &[("owner", &owner)]),
        }
    };
    let equipment = if v.skills.is_empty() {
        t.t("board.vehicles.no_equipment").to_string()
    } else {
        v.skills
            .iter()
            .map(|s| words::skill(t, s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    VehicleRow {
        id: v.id,
        name: v.name.clone(),
        active: v.active,
        owner,
        access,
        equipment,
        layouts: v
            .layouts
            .iter()
            .map(|l| words::load(t, &l.capacity))
            .collect(),
    }
}

/// The form's values as typed, to show them again.
#[derive(Default)]
struct Typed<'a> {
    vehicle_id: &'a str,
    date: String,
    start: &'a str,
    end: &'a str,
    organisation_id: &'a str,
    note: &'a str,
}

impl<'a> Typed<'a> {
    fn of(form: &'a Form) -> Self {
        let v = |n: &str| form.get(n).unwrap_or("");
        Typed {
            vehicle_id: v("vehicle_id"),
            date: v("date").to_string(),
            start: v("start"),
            end: v("end"),
            organisation_id: v("organisation_id"),
            note: v("note"),
        }
    }
}

async fn load(
    state: &AppState,
    ctx: Ctx,
    from: NaiveDate,
    typed: Typed<'_>,
    errors: BTreeMap<&'static str, &'static str>,
    notice: &'static str,
) -> Result<VehiclesPage, AppError> {
    let t = ctx.t;
    let to = from + Days::new(DAYS - 1);
    let vehicles = state.store.vehicles().await?;
    let orgs = state.store.organisations(Scope::All).await?;
    let blocks = vehicle_blocks::list(&state.store, Scope::All, from, to).await?;
    let vehicle_name = |id: Id| {
        vehicles
            .iter()
            .find(|v| v.id == id)
            .map_or_else(|| format!("#{id}"), |v| v.name.clone())
    };
    let blocks = blocks
        .iter()
        .map(|b| {
            let span = t.f(
                "board.vehicles.span",
                &[
                    ("start", &words::hm(b.window.start.minutes() as f64)),
                    ("end", &words::hm(b.window.end.minutes() as f64)),
                ],
            );
            let vehicle = vehicle_name(b.vehicle_id);
            let date = words::date(&t, b.date);
            BlockRow {
                id: b.id,
                delete_label: t.f(
                    "board.vehicles.delete_label",
                    &[("vehicle", &vehicle), ("date", &date), ("span", &span)],
                ),
                whom: party(
                    &t,
                    &orgs,
                    b.organisation_id,
                    "board.vehicles.for_municipality",
                ),
                note: b.note.clone().unwrap_or_default(),
                vehicle,
                date,
                span,
            }
        })
        .collect();
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
    let mut associations: Vec<&Organisation> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Association)
        .collect();
    associations.sort_by(|a, b| a.name.cmp(&b.name));
    let mut party_choices = vec![Choice {
        value: String::new(),
        name: t.t("board.vehicles.for_municipality").to_string(),
        selected: typed.organisation_id.is_empty(),
    }];
    party_choices.extend(associations.iter().map(|o| Choice {
        value: o.id.to_string(),
        name: o.name.clone(),
        selected: typed.organisation_id == o.id.to_string(),
    }));
    Ok(VehiclesPage {
        from: from.to_string(),
        heading: t.f(
            "board.vehicles.blocks_heading",
            &[
                ("from", &words::date(&t, from)),
                ("to", &words::date(&t, to)),
            ],
        ),
        prev: (from - Days::new(DAYS)).to_string(),
        next: (from + Days::new(DAYS)).to_string(),
        today: from == today(),
        notice,
        vehicles: vehicles.iter().map(|v| vehicle_row(&t, v, &orgs)).collect(),
        blocks,
        vehicle_choices,
        party_choices,
        date: typed.date,
        start: typed.start.to_string(),
        end: typed.end.to_string(),
        note: typed.note.to_string(),
        errors,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct PageQuery {
    from: Option<String>,
    /// `added` or `deleted`: what the last post did.
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let from = match q.from.as_deref().map(str::trim) {
        Some(raw) if !raw.is_empty() => parse_date(raw, "from")?,
        _ => today(),
    };
    let notice = match q.done.as_deref() {
        Some("added") => "board.vehicles.added",
        Some("deleted") => "board.vehicles.deleted",
        _ => "",
    };
    let typed = Typed {
        date: (today() + Days::new(1)).to_string(),
        ..Typed::default()
    };
    let p = load(&state, ctx, from, typed, BTreeMap::new(), notice).await?;
    Ok(render(&p)?.into_response())
}

/// The planner's post: signed in as admin or dispatcher, with the session's
/// form token. Returns who acts and the first day of the page it came from.
fn planner_post(ctx: &Ctx, form: &Form) -> Result<(Actor, Option<NaiveDate>), AppError> {
    let user = ctx.require(PLANNERS)?;
    ctx.check_form(form.csrf())?;
    let from = form
        .get("from")
        .and_then(|raw| parse_date(raw, "from").ok());
    Ok((Actor(Some(user.id)), from))
}

/// Back to the page the post came from (the default one: from today), or to
/// the one showing `date` when that page does not.
fn back(from: Option<NaiveDate>, date: Option<NaiveDate>, done: &str, anchor: &str) -> Redirect {
    let today = today();
    let mut first = from.unwrap_or(today);
    if let Some(d) = date {
        if !(first..first + Days::new(DAYS)).contains(&d) {
            first = if (today..today + Days::new(DAYS)).contains(&d) {
                today
            } else {
                d
            };
        }
    }
    let from = if first == today {
        String::new()
    } else {
        format!("from={first}&")
    };
    Redirect::to(&format!("/board/vehicles?{from}done={done}{anchor}"))
}

/// The form's fields; what cannot be read is marked with its message key.
fn read(typed: &Typed) -> Result<VehicleBlockInput, BTreeMap<&'static str, &'static str>> {
    let mut errors = BTreeMap::new();
    let vehicle_id = typed.vehicle_id.parse::<Id>().ok();
    if vehicle_id.is_none() {
        errors.insert("vehicle_id", "board.vehicles.err_vehicle_id");
    }
    let date = NaiveDate::parse_from_str(&typed.date, "%Y-%m-%d").ok();
    if date.is_none() {
        errors.insert("date", "board.vehicles.err_date");
    }
    let start = clock(typed.start);
    if start.is_none() {
        errors.insert("start", "board.vehicles.err_start");
    }
    let end = clock(typed.end);
    if end.is_none() {
        errors.insert("end", "board.vehicles.err_end");
    }
    let organisation_id = match typed.organisation_id {
        "" => None,
        raw => {
            let id = raw.parse::<Id>().ok();
            if id.is_none() {
                errors.insert("organisation_id", "board.vehicles.err_organisation_id");
            }
            id
        }
    };
    match (vehicle_id, date, start, end) {
        (Some(vehicle_id), Some(date), Some(start), Some(end)) if errors.is_empty() => {
            Ok(VehicleBlockInput {
                vehicle_id,
                date,
                window: Window::new(start, end),
                organisation_id,
                note: Some(typed.note.to_string()).filter(|n| !n.is_empty()),
            })
        }
        _ => Err(errors),
    }
}

/// The form field a rule's path names, and the message to show by it.
fn mark(path: &str) -> Option<(&'static str, &'static str)> {
    Some(match path {
        "vehicle_id" => ("vehicle_id", "board.vehicles.err_vehicle_id"),
        "date" => ("date", "board.vehicles.err_date"),
        "window.start" => ("start", "board.vehicles.err_start"),
        "window.end" => ("end", "board.vehicles.err_end"),
        // The store's overlap with another block of the vehicle.
        "window" => ("start", "board.vehicles.err_overlap"),
        "organisation_id" => ("organisation_id", "board.vehicles.err_organisation_id"),
        "note" => ("note", "board.vehicles.err_note"),
        _ => return None,
    })
}

const FIELDS: [&str; 6] = [
    "vehicle_id",
    "date",
    "start",
    "end",
    "organisation_id",
    "note",
];

/// "Aggiungi il blocco": written, then back to the page listing it; bad
/// input shows the page again with the fields marked and writes nothing.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    let (actor, from) = planner_post(&ctx, &form)?;
    let typed = Typed::of(&form);
    // Text with control characters was taken out of the form: mark its field.
    let mut errors: BTreeMap<&'static str, &'static str> = faults
        .iter()
        .filter_map(|f| FIELDS.into_iter().find(|n| *n == f.field))
        .map(|n| (n, "board.vehicles.err_control"))
        .collect();
    if errors.is_empty() {
        match read(&typed) {
            Ok(input) => match vehicle_blocks::create(&state.store, actor, &input).await {
                Ok(made) => {
                    let anchor = format!("#block-{}", made.id);
                    return Ok(back(from, Some(made.date), "added", &anchor).into_response());
                }
                Err(ServiceError::Invalid(e)) => {
                    for f in &e.0 {
                        let (field, key) =
                            mark(&f.field).ok_or_else(|| AppError::Invalid(e.clone()))?;
                        errors.entry(field).or_insert(key);
                    }
                }
                Err(e) => return Err(e.into()),
            },
            Err(marks) => errors = marks,
        }
    }
    let p = load(&state, ctx, from.unwrap_or_else(today), typed, errors, "").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}

/// "Elimina": the block goes, the page comes back.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> Result<Redirect, AppError> {
    let (actor, from) = planner_post(&ctx, &form)?;
    vehicle_blocks::delete(&state.store, actor, id).await?;
    Ok(back(from, None, "deleted", ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Clock;

    #[test]
    fn times_read_as_browsers_send_them_and_as_people_type_them() {
        assert_eq!(clock("09:30"), Some(Clock(570)));
        assert_eq!(clock("9:30"), Some(Clock(570)));
        assert_eq!(clock("24:00"), Some(Clock(1440)));
        assert_eq!(clock("25:00"), None);
        assert_eq!(clock("nine"), None);
    }

    #[test]
    fn a_form_that_cannot_be_read_marks_each_field_at_fault() {
        let typed = Typed {
            vehicle_id: "x",
            date: "2026-02-30".into(),
            start: "10:00",
            end: "",
            organisation_id: "y",
            note: "",
        };
        let marks = read(&typed).unwrap_err();
        let fields: Vec<&str> = marks.keys().copied().collect();
        assert_eq!(fields, vec!["date", "end", "organisation_id", "vehicle_id"]);
        let ok = Typed {
            vehicle_id: "3",
            date: "2026-12-03".into(),
            start: "9:00",
            end: "11:00",
            organisation_id: "",
            note: "gita",
        };
        let input = read(&ok).unwrap();
        assert_eq!(input.window, Window::new(Clock(540), Clock(660)));
        assert_eq!(input.organisation_id, None);
        assert_eq!(input.note.as_deref(), Some("gita"));
    }

    #[test]
    fn every_rule_of_a_block_marks_a_field_of_the_form() {
        for path in [
            "vehicle_id",
            "date",
            "window.start",
            "window.end",
            "window",
            "organisation_id",
            "note",
        ] {
            let (field, _) = mark(path).unwrap_or_else(|| panic!("{path}"));
            assert!(FIELDS.contains(&field), "{path} → {field}");
        }
    }
}
