//! `/surplus/donors`: the shops and canteens that give surplus food, on
//! which days and in which window, what they give and of which kind (the
//! cold chain marked), the kg expected, where the food goes and whether the
//! donor can blast-chill it. Everyone who books reads the list; planners add,
//! edit and delete a donor through `service::surplus`. Bad input marks the
//! field and writes nothing.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{control_marks, food, invalid_of, kg, Marks, FOODS};
use crate::api::{AppError, AppState, PathId, BOOKERS, PLANNERS};
use crate::domain::surplus::{Donor, DonorInput, FoodKind, DONOR_KIND, RECEIVING_KINDS};
use crate::domain::{Id, Invalid, Place, WeekdaySet, Window, WEEKDAY_NAMES as WEEKDAYS};
use crate::service::surplus;
use crate::store::{Actor, Scope};
use crate::web::ctx::Ctx;
use crate::web::form::{clock, Checked, Form};
use crate::web::i18n::Tr;
use crate::web::render;

// ---------------------------------------------------------------- the list

struct Row {
    id: Id,
    name: String,
    place: String,
    address: String,
    /// "lun, gio".
    days: String,
    window: String,
    gives: String,
    food: &'static str,
    cold_chain: bool,
    expected_kg: String,
    receiving: String,
    blast_chiller: bool,
    active: bool,
    notes: String,
}

#[derive(Template)]
#[template(path = "surplus/donors.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    /// Planners write; members read.
    planner: bool,
    notice: &'static str,
}

/// The giving days in words: "lun, gio".
fn days(t: &Tr, set: WeekdaySet) -> String {
    set.iter()
        .map(|d| {
            t.t(&format!("common.weekday.{}", WeekdaySet::name(d)))
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Deserialize)]
pub struct ListQuery {
    done: Option<String>,
}

pub async fn list(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let user = ctx.require(BOOKERS)?;
    let planner = PLANNERS.contains(&user.role);
    let t = ctx.t;
    let places: HashMap<Id, Place> = s
        .store
        .places(Scope::All)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut donors = s.store.donors().await?;
    donors.sort_by(|a, b| (!a.active, &a.name, a.id).cmp(&(!b.active, &b.name, b.id)));
    let place = |id: Id| places.get(&id);
    let rows = donors
        .iter()
        .map(|d| Row {
            id: d.id,
            name: d.name.clone(),
            place: place(d.place_id).map_or_else(String::new, |p| p.name.clone()),
            address: place(d.place_id).map_or_else(String::new, |p| p.address.clone()),
            days: days(&t, d.weekdays),
            window: format!("{}–{}", d.window.start, d.window.end),
            gives: d.gives.clone(),
            food: food(&t, d.food),
            cold_chain: d.food.cold_chain(),
            expected_kg: kg(&t, d.expected_kg),
            receiving: place(d.receiving_place_id).map_or_else(String::new, |p| p.name.clone()),
            blast_chiller: d.blast_chiller,
            active: d.active,
            notes: d.notes.clone().unwrap_or_default(),
        })
        .collect();
    let notice = match q.done.as_deref() {
        Some("added") => "surplus.done_added",
        Some("saved") => "surplus.done_saved",
        Some("deleted") => "surplus.done_deleted",
        _ => "",
    };
    Ok(render(&ListPage {
        rows,
        planner,
        notice,
        ctx,
    })?
    .into_response())
}

// ---------------------------------------------------------------- the form

struct Choice {
    value: String,
    name: String,
    selected: bool,
}

struct DayBox {
    key: &'static str,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "surplus/donor.html")]
struct FormPage {
    ctx: Ctx,
    /// `None` for a new donor.
    id: Option<Id>,
    heading: String,
    name: String,
    places: Vec<Choice>,
    start: String,
    end: String,
    days: Vec<DayBox>,
    gives: String,
    foods: Vec<Choice>,
    expected_kg: String,
    receiving: Vec<Choice>,
    blast_chiller: bool,
    active: bool,
    notes: String,
    errors: Marks,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&'static str> {
        self.errors.get(field).map(|k| self.ctx.t.t(k))
    }

    fn invalid(&self, field: &str) -> &'static str {
        super::invalid(&self.errors, field)
    }
}

/// The form's values as typed (or as stored, for an edit).
#[derive(Default)]
struct Typed {
    name: String,
    place_id: String,
    start: String,
    end: String,
    weekdays: Vec<String>,
    gives: String,
    food: String,
    expected_kg: String,
    receiving_place_id: String,
    blast_chiller: bool,
    active: bool,
    notes: String,
}

impl Typed {
    fn of_form(form: &Form) -> Self {
        let v = |n: &str| form.get(n).unwrap_or("").to_string();
        Typed {
            name: v("name"),
            place_id: v("place_id"),
            start: v("start"),
            end: v("end"),
            weekdays: form.all("weekdays").iter().map(|d| d.to_string()).collect(),
            gives: v("gives"),
            food: v("food"),
            expected_kg: v("expected_kg"),
            receiving_place_id: v("receiving_place_id"),
            blast_chiller: form.get("blast_chiller").is_some(),
            active: form.get("active").is_some(),
            notes: v("notes"),
        }
    }

    fn of_donor(t: &Tr, d: &Donor) -> Self {
        Typed {
            name: d.name.clone(),
            place_id: d.place_id.to_string(),
            start: d.window.start.to_string(),
            end: d.window.end.to_string(),
            weekdays: d
                .weekdays
                .iter()
                .map(|w| WeekdaySet::name(w).into())
                .collect(),
            gives: d.gives.clone(),
            food: d.food.as_str().into(),
            // As the field reads it back: a point, whatever the language.
            expected_kg: kg(t, d.expected_kg).replace(',', "."),
            receiving_place_id: d.receiving_place_id.to_string(),
            blast_chiller: d.blast_chiller,
            active: d.active,
            notes: d.notes.clone().unwrap_or_default(),
        }
    }

    fn new_one() -> Self {
        Typed {
            start: "10:00".into(),
            end: "11:00".into(),
            food: FoodKind::Ambient.as_str().into(),
            active: true,
            ..Typed::default()
        }
    }
}

async fn form_page(
    s: &AppState,
    ctx: Ctx,
    current: Option<&Donor>,
    typed: Typed,
    errors: Marks,
) -> Result<FormPage, AppError> {
    let t = ctx.t;
    let mut places = s.store.places(Scope::All).await?;
    places.sort_by(|a, b| a.name.cmp(&b.name));
    let choose = |key: &str, chosen: &str| Choice {
        value: String::new(),
        name: t.t(key).to_string(),
        selected: chosen.is_empty(),
    };
    let choice = |p: &Place, chosen: &str| Choice {
        value: p.id.to_string(),
        name: format!("{} — {}", p.name, p.address),
        selected: chosen == p.id.to_string(),
    };
    let mut donor_places = vec![choose("surplus.choose_place", &typed.place_id)];
    donor_places.extend(
        places
            .iter()
            .filter(|p| p.kind == DONOR_KIND || typed.place_id == p.id.to_string())
            .map(|p| choice(p, &typed.place_id)),
    );
    let mut receiving = vec![choose(
        "surplus.choose_receiving",
        &typed.receiving_place_id,
    )];
    receiving.extend(
        places
            .iter()
            .filter(|p| {
                (p.organisation_id.is_none() && RECEIVING_KINDS.contains(&p.kind.as_str()))
                    || typed.receiving_place_id == p.id.to_string()
            })
            .map(|p| choice(p, &typed.receiving_place_id)),
    );
    let heading = match current {
        None => t.t("surplus.new_title").to_string(),
        Some(d) => t.f("surplus.edit_title", &[("name", &d.name)]),
    };
    Ok(FormPage {
        id: current.map(|d| d.id),
        heading,
        name: typed.name,
        places: donor_places,
        start: typed.start,
        end: typed.end,
        days: WEEKDAYS
            .iter()
            .map(|d| DayBox {
                key: d,
                name: t.t(&format!("meals.weekday.{d}")).to_string(),
                checked: typed.weekdays.iter().any(|w| w == d),
            })
            .collect(),
        gives: typed.gives,
        foods: FOODS
            .iter()
            .map(|f| Choice {
                value: f.as_str().into(),
                name: food(&t, *f).into(),
                selected: typed.food == f.as_str(),
            })
            .collect(),
        expected_kg: typed.expected_kg,
        receiving,
        blast_chiller: typed.blast_chiller,
        active: typed.active,
        notes: typed.notes,
        errors,
        ctx,
    })
}

pub async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let p = form_page(&s, ctx, None, Typed::new_one(), Marks::new()).await?;
    Ok(render(&p)?.into_response())
}

pub async fn edit_form(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let current = s.store.donor(id).await?;
    let typed = Typed::of_donor(&ctx.t, &current);
    let p = form_page(&s, ctx, Some(&current), typed, Marks::new()).await?;
    Ok(render(&p)?.into_response())
}

/// The planner's post: signed in as admin or dispatcher, with the form token.
fn planner_post(ctx: &Ctx, form: &Form) -> Result<Actor, AppError> {
    let user = ctx.require(PLANNERS)?;
    ctx.check_form(form.csrf())?;
    Ok(Actor(Some(user.id)))
}

/// An id chosen from a list; `field` is marked when none is chosen.
fn id_of(raw: &str, field: &'static str, key: &'static str, errors: &mut Marks) -> Option<Id> {
    let id = raw.parse::<Id>().ok();
    if id.is_none() {
        errors.insert(field, key);
    }
    id
}

/// The form's fields as the API's input; what cannot be read is marked.
fn read(typed: &Typed) -> Result<DonorInput, Marks> {
    let mut errors = Marks::new();
    let place_id = id_of(
        &typed.place_id,
        "place_id",
        "surplus.err_place_id",
        &mut errors,
    );
    let receiving_place_id = id_of(
        &typed.receiving_place_id,
        "receiving_place_id",
        "surplus.err_receiving_place_id",
        &mut errors,
    );
    let start = clock(&typed.start);
    if start.is_none() {
        errors.insert("start", "surplus.err_start");
    }
    let end = clock(&typed.end);
    if end.is_none() {
        errors.insert("end", "surplus.err_end");
    }
    let mut weekdays = WeekdaySet::EMPTY;
    for name in &typed.weekdays {
        match WeekdaySet::parse_name(name) {
            Some(d) => weekdays.insert(d),
            None => {
                errors.insert("weekdays", "surplus.err_weekdays");
            }
        }
    }
    let food = FoodKind::parse(&typed.food);
    if food.is_none() {
        errors.insert("food", "surplus.err_food");
    }
    // "12,5" as an Italian writes it, or "12.5".
    let expected_kg = typed.expected_kg.replace(',', ".").parse::<f64>().ok();
    if expected_kg.is_none() {
        errors.insert("expected_kg", "surplus.err_expected_kg");
    }
    match (place_id, receiving_place_id, start, end, food, expected_kg) {
        (
            Some(place_id),
            Some(receiving_place_id),
            Some(start),
            Some(end),
            Some(food),
            Some(kg),
        ) if errors.is_empty() => Ok(DonorInput {
            place_id,
            name: typed.name.clone(),
            window: Window::new(start, end),
            weekdays,
            gives: typed.gives.clone(),
            food,
            expected_kg: kg,
            receiving_place_id,
            blast_chiller: typed.blast_chiller,
            active: typed.active,
            notes: Some(typed.notes.clone()).filter(|n| !n.is_empty()),
        }),
        _ => Err(errors),
    }
}

/// The form field a rule's path names, and the message to show by it.
fn mark(path: &str) -> Option<(&'static str, &'static str)> {
    Some(match path {
        "name" => ("name", "surplus.err_name"),
        "place_id" => ("place_id", "surplus.err_place_id"),
        "window.start" => ("start", "surplus.err_start"),
        "window" | "window.end" => ("end", "surplus.err_end"),
        "weekdays" => ("weekdays", "surplus.err_weekdays"),
        "gives" => ("gives", "surplus.err_gives"),
        "food" => ("food", "surplus.err_food"),
        "expected_kg" => ("expected_kg", "surplus.err_expected_kg"),
        "receiving_place_id" => ("receiving_place_id", "surplus.err_receiving_place_id"),
        "blast_chiller" => ("blast_chiller", "surplus.err_blast_chiller"),
        "notes" => ("notes", "surplus.err_notes"),
        _ => return None,
    })
}

const FIELDS: [&str; 12] = [
    "name",
    "place_id",
    "start",
    "end",
    "weekdays",
    "gives",
    "food",
    "expected_kg",
    "receiving_place_id",
    "blast_chiller",
    "active",
    "notes",
];

/// The fields a rule or the store found at fault, marked; a fault no field
/// of the form stands for is the error page's.
fn marks_of(e: Invalid) -> Result<Marks, AppError> {
    let mut errors = Marks::new();
    for f in &e.0 {
        let (field, key) = mark(&f.field).ok_or_else(|| AppError::Invalid(e.clone()))?;
        errors.entry(field).or_insert(key);
    }
    Ok(errors)
}

/// "Salva": a new donor or the edit of one; bad input shows the form again
/// with the fields marked, and nothing is written.
async fn save(
    s: &AppState,
    ctx: Ctx,
    current: Option<Donor>,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    let actor = planner_post(&ctx, &form)?;
    let typed = Typed::of_form(&form);
    let mut errors = control_marks(&faults, &FIELDS);
    if !faults.is_empty() && errors.is_empty() {
        return Err(AppError::Invalid(Invalid(faults)));
    }
    if errors.is_empty() {
        match read(&typed) {
            Ok(input) => {
                let done = match &current {
                    None => surplus::create(&s.store, actor, &input).await,
                    Some(d) => surplus::update(&s.store, actor, d.id, &input).await,
                };
                match done {
                    Ok(d) => {
                        let what = if current.is_some() { "saved" } else { "added" };
                        return Ok(Redirect::to(&format!(
                            "/surplus/donors?done={what}#donor-{}",
                            d.id
                        ))
                        .into_response());
                    }
                    Err(e) => errors = marks_of(invalid_of(e)?)?,
                }
            }
            Err(marks) => errors = marks,
        }
    }
    let p = form_page(s, ctx, current.as_ref(), typed, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}

pub async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    form: Checked,
) -> Result<Response, AppError> {
    save(&s, ctx, None, form).await
}

pub async fn update(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Checked,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let current = s.store.donor(id).await?;
    save(&s, ctx, Some(current), form).await
}

/// "Elimina": the donor goes, its pickups from today on are cancelled.
pub async fn delete(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> Result<Redirect, AppError> {
    let actor = planner_post(&ctx, &form)?;
    s.store.donor(id).await?;
    surplus::delete(&s.store, actor, id).await?;
    Ok(Redirect::to("/surplus/donors?done=deleted"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_of_a_donor_marks_a_field_of_the_form() {
        for path in [
            "name",
            "place_id",
            "window.end",
            "weekdays",
            "gives",
            "expected_kg",
            "receiving_place_id",
            "blast_chiller",
            "notes",
        ] {
            let (field, _) = mark(path).unwrap_or_else(|| panic!("{path}"));
            assert!(FIELDS.contains(&field), "{path} → {field}");
        }
    }

    #[test]
    fn a_donor_is_read_from_the_form_and_what_cannot_be_read_is_marked() {
        let mut typed = Typed::new_one();
        typed.name = "Forno".into();
        typed.place_id = "4".into();
        typed.receiving_place_id = "9".into();
        typed.weekdays = vec!["thu".into(), "mon".into()];
        typed.gives = "pane".into();
        typed.expected_kg = "12,5".into();
        let input = read(&typed).unwrap();
        assert_eq!(input.expected_kg, 12.5);
        assert_eq!(input.weekdays.len(), 2);
        assert_eq!(input.food, FoodKind::Ambient);
        typed.expected_kg = "tanti".into();
        typed.end = "mezzogiorno".into();
        typed.weekdays.push("lunedì".into());
        let marks = read(&typed).unwrap_err();
        let fields: Vec<&str> = marks.keys().copied().collect();
        assert_eq!(fields, vec!["end", "expected_kg", "weekdays"]);
    }
}
