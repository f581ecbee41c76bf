//! `/meals/recipients`: who gets meals, on which days, of which type and
//! diets, with priority and holds. Everyone who books reads the list (a
//! member its association's, as the API answers); planners add and edit a
//! recipient, hold the meals until a resume date and lift a hold, through
//! `service::meals`. Bad input marks the field and writes nothing.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Local, NaiveDate};
use serde::Deserialize;

use super::{diet, diets, meal_type};
use crate::api::{AppError, AppState, Caller, PathId, BOOKERS, PLANNERS};
use crate::domain::meals::{MealDay, MealRecipient, MealRecipientInput, MealType};
use crate::domain::{Id, Invalid, Suspension, Window};
use crate::service::{meals, ServiceError};
use crate::store::{Actor, Scope, StoreError};
use crate::web::board::words;
use crate::web::ctx::Ctx;
use crate::web::form::{clock, Checked, Form};
use crate::web::i18n::Tr;
use crate::web::render;

use crate::domain::{Day, WEEKDAY_NAMES as WEEKDAYS};
const TYPES: [MealType; 3] = [MealType::Hot, MealType::Cold, MealType::Frozen];

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// Field → catalogue key of its message.
type Marks = BTreeMap<String, &'static str>;

// ---------------------------------------------------------------- the list

struct Row {
    id: Id,
    person: String,
    organisation: String,
    /// "lun 1 caldo, mer 2 freddi".
    days: String,
    window: String,
    diets: String,
    priority: bool,
    /// The hold in force or coming, in words; empty when none.
    hold: String,
    active: bool,
    starts_on: String,
}

#[derive(Template)]
#[template(path = "meals/recipients.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    /// Planners write; members read.
    planner: bool,
    notice: &'static str,
}

/// The week in words: "lun 1 caldo, mer 2 caldi".
fn week(t: &Tr, schedule: &[MealDay]) -> String {
    let mut days: Vec<&MealDay> = schedule.iter().collect();
    days.sort_by_key(|d| d.weekday.weekday().num_days_from_monday());
    days.iter()
        .map(|d| {
            format!(
                "{} {} {}",
                t.t(&format!("common.weekday.{}", d.weekday.as_str())),
                d.meals,
                meal_type(t, d.meal_type)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The hold in force on `today` or the next one to come, in words.
fn hold_words(t: &Tr, r: &MealRecipient, today: NaiveDate) -> String {
    r.holds
        .iter()
        .filter(|h| h.resume_on.is_none_or(|d| d > today))
        .min_by_key(|h| h.from)
        .map(|h| hold_text(t, h))
        .unwrap_or_default()
}

fn hold_text(t: &Tr, h: &Suspension) -> String {
    let from = words::date(t, h.from);
    let mut s = match h.resume_on {
        Some(r) => t.f(
            "meals.held_until",
            &[("from", &from), ("resume", &words::date(t, r))],
        ),
        None => t.f("meals.held_from", &[("from", &from)]),
    };
    if let Some(reason) = &h.reason {
        s.push_str(&format!(" ({reason})"));
    }
    s
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
    let caller = Caller {
        user: ctx.require(BOOKERS)?.clone(),
    };
    let scope = caller.scope();
    let t = ctx.t;
    let mut recipients = meals::list(&s.store, scope).await?;
    let people: HashMap<Id, String> = s
        .store
        .people(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let orgs: HashMap<Id, String> = s
        .store
        .organisations(scope)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let name = |id: Id| people.get(&id).cloned().unwrap_or_default();
    recipients.sort_by_key(|r| (!r.active, name(r.person_id), r.id));
    let today = today();
    let rows = recipients
        .iter()
        .map(|r| Row {
            id: r.id,
            person: name(r.person_id),
            organisation: orgs.get(&r.organisation_id).cloned().unwrap_or_default(),
            days: week(&t, &r.schedule),
            window: format!("{}–{}", r.window.start, r.window.end),
            diets: diets(&r.diets, ""),
            priority: r.priority,
            hold: hold_words(&t, r, today),
            active: r.active,
            starts_on: words::date(&t, r.starts_on),
        })
        .collect();
    let notice = match q.done.as_deref() {
        Some("added") => "meals.done_added",
        Some("saved") => "meals.done_saved",
        Some("deleted") => "meals.done_deleted",
        _ => "",
    };
    Ok(render(&ListPage {
        rows,
        planner: PLANNERS.contains(&caller.user.role),
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

struct DayRow {
    key: &'static str,
    /// "lun": the row's heading; `name` ("lunedì") labels its fields.
    short: String,
    /// The fields' names: `meals_mon`, `type_mon`.
    meals_field: String,
    type_field: String,
    name: String,
    meals: String,
    types: Vec<Choice>,
}

struct HoldRow {
    from: String,
    words: String,
    /// The lift button's accessible name.
    lift_label: String,
}

#[derive(Template)]
#[template(path = "meals/recipient.html")]
struct FormPage {
    ctx: Ctx,
    /// `None` for a new recipient.
    id: Option<Id>,
    heading: String,
    people: Vec<Choice>,
    volunteers: Vec<Choice>,
    start: String,
    end: String,
    starts_on: String,
    days: Vec<DayRow>,
    diets: Vec<Choice>,
    priority: bool,
    active: bool,
    notes: String,
    errors: Marks,
    holds: Vec<HoldRow>,
    hold_from: String,
    hold_resume_on: String,
    hold_reason: String,
    hold_errors: Marks,
    notice: &'static str,
}

impl FormPage {
    /// A stored recipient's personal data page (subject access): reached
    /// from here, where the dispatcher already has the person in front of them.
    fn export_url(&self) -> Option<String> {
        self.id?;
        let person = self
            .people
            .iter()
            .find(|p| p.selected && !p.value.is_empty())?;
        Some(format!("/board/people/{}/export", person.value))
    }

    fn error(&self, field: &str) -> Option<&'static str> {
        self.errors
            .get(field)
            .or_else(|| self.hold_errors.get(field))
            .map(|k| self.ctx.t.t(k))
    }

    fn invalid(&self, field: &str) -> &'static str {
        if self.errors.contains_key(field) || self.hold_errors.contains_key(field) {
            "true"
        } else {
            "false"
        }
    }
}

/// The form's values as typed (or as stored, for an edit).
#[derive(Default)]
struct Typed {
    person_id: String,
    start: String,
    end: String,
    starts_on: String,
    /// Per weekday: meals and type.
    days: BTreeMap<&'static str, (String, String)>,
    diets: Vec<String>,
    priority: bool,
    active: bool,
    notes: String,
    preferred_volunteer_id: String,
}

impl Typed {
    fn of_form(form: &Form) -> Self {
        let v = |n: &str| form.get(n).unwrap_or("").to_string();
        Typed {
            person_id: v("person_id"),
            start: v("start"),
            end: v("end"),
            starts_on: v("starts_on"),
            days: WEEKDAYS
                .iter()
                .map(|d| (*d, (v(&format!("meals_{d}")), v(&format!("type_{d}")))))
                .collect(),
            diets: form.all("diets").iter().map(|d| d.to_string()).collect(),
            priority: form.get("priority").is_some(),
            active: form.get("active").is_some(),
            notes: v("notes"),
            preferred_volunteer_id: v("preferred_volunteer_id"),
        }
    }

    fn of_recipient(r: &MealRecipient) -> Self {
        Typed {
            person_id: r.person_id.to_string(),
            start: r.window.start.to_string(),
            end: r.window.end.to_string(),
            starts_on: r.starts_on.to_string(),
            days: r
                .schedule
                .iter()
                .filter_map(|d| {
                    let key = WEEKDAYS.iter().find(|w| **w == d.weekday.as_str())?;
                    Some((
                        *key,
                        (d.meals.to_string(), d.meal_type.as_str().to_string()),
                    ))
                })
                .collect(),
            diets: r.diets.clone(),
            priority: r.priority,
            active: r.active,
            notes: r.notes.clone().unwrap_or_default(),
            preferred_volunteer_id: r
                .preferred_volunteer_id
                .map(|v| v.to_string())
                .unwrap_or_default(),
        }
    }

    fn new_one() -> Self {
        Typed {
            start: "11:30".into(),
            end: "13:00".into(),
            starts_on: today().to_string(),
            active: true,
            ..Typed::default()
        }
    }
}

/// The hold form's values as typed.
#[derive(Default)]
struct HoldTyped {
    from: String,
    resume_on: String,
    reason: String,
}

/// A recipient as the API would receive it again: for writes that change
/// one part (a hold lifted).
fn input_of(r: &MealRecipient) -> MealRecipientInput {
    MealRecipientInput {
        organisation_id: Some(r.organisation_id),
        person_id: r.person_id,
        window: r.window,
        schedule: r.schedule.clone(),
        starts_on: r.starts_on,
        diets: r.diets.clone(),
        priority: r.priority,
        notes: r.notes.clone(),
        preferred_volunteer_id: r.preferred_volunteer_id,
        holds: r.holds.clone(),
        active: r.active,
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    s: &AppState,
    ctx: Ctx,
    current: Option<&MealRecipient>,
    typed: Typed,
    errors: Marks,
    hold: HoldTyped,
    hold_errors: Marks,
    notice: &'static str,
) -> Result<FormPage, AppError> {
    let t = ctx.t;
    let settings = s.store.meal_settings().await?;
    let orgs: HashMap<Id, String> = s
        .store
        .organisations(Scope::All)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut people = s.store.people(Scope::All).await?;
    people.sort_by(|a, b| a.name.cmp(&b.name));
    let mut person_choices = vec![Choice {
        value: String::new(),
        name: t.t("meals.choose_person").to_string(),
        selected: typed.person_id.is_empty(),
    }];
    person_choices.extend(people.iter().map(|p| Choice {
        value: p.id.to_string(),
        name: format!(
            "{} ({})",
            p.name,
            orgs.get(&p.organisation_id).map_or("", String::as_str)
        ),
        selected: typed.person_id == p.id.to_string(),
    }));
    let mut volunteers = vec![Choice {
        value: String::new(),
        name: t.t("meals.no_volunteer").to_string(),
        selected: typed.preferred_volunteer_id.is_empty(),
    }];
    volunteers.extend(s.store.volunteers().await?.into_iter().map(|v| Choice {
        selected: typed.preferred_volunteer_id == v.id.to_string(),
        value: v.id.to_string(),
        name: v.name,
    }));
    let days = WEEKDAYS
        .iter()
        .map(|d| {
            let (meals, kind) = typed.days.get(d).cloned().unwrap_or_default();
            DayRow {
                key: d,
                meals_field: format!("meals_{d}"),
                type_field: format!("type_{d}"),
                short: t.t(&format!("common.weekday.{d}")).to_string(),
                name: t.t(&format!("meals.weekday.{d}")).to_string(),
                meals,
                types: TYPES
                    .iter()
                    .map(|m| Choice {
                        value: m.as_str().to_string(),
                        name: meal_type(&t, *m).to_string(),
                        selected: kind == m.as_str(),
                    })
                    .collect(),
            }
        })
        .collect();
    // The settings' list, then any tag the recipient keeps that left it.
    let mut tags = settings.diets.clone();
    for d in &typed.diets {
        if !tags.contains(d) {
            tags.push(d.clone());
        }
    }
    let diet_choices = tags
        .iter()
        .map(|d| Choice {
            selected: typed.diets.contains(d),
            value: d.clone(),
            name: diet(d),
        })
        .collect();
    let holds = current
        .map(|r| {
            r.holds
                .iter()
                .map(|h| {
                    let words = hold_text(&t, h);
                    HoldRow {
                        from: h.from.to_string(),
                        lift_label: t.f("meals.lift_label", &[("hold", &words)]),
                        words,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let heading = match current {
        None => t.t("meals.new_title").to_string(),
        Some(r) => t.f(
            "meals.edit_title",
            &[(
                "person",
                &people
                    .iter()
                    .find(|p| p.id == r.person_id)
                    .map_or("", |p| p.name.as_str()),
            )],
        ),
    };
    Ok(FormPage {
        id: current.map(|r| r.id),
        heading,
        people: person_choices,
        volunteers,
        start: typed.start,
        end: typed.end,
        starts_on: typed.starts_on,
        days,
        diets: diet_choices,
        priority: typed.priority,
        active: typed.active,
        notes: typed.notes,
        errors,
        holds,
        hold_from: hold.from,
        hold_resume_on: hold.resume_on,
        hold_reason: hold.reason,
        hold_errors,
        notice,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct FormQuery {
    done: Option<String>,
}

pub async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let p = form_page(
        &s,
        ctx,
        None,
        Typed::new_one(),
        Marks::new(),
        HoldTyped::default(),
        Marks::new(),
        "",
    )
    .await?;
    Ok(render(&p)?.into_response())
}

pub async fn edit_form(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    Query(q): Query<FormQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let current = s.store.meal_recipient(Scope::All, id).await?;
    let reader = Actor(ctx.user.as_ref().map(|u| u.id));
    crate::service::personal::reads::person_seen(&s.store, reader, current.person_id).await?;
    let notice = match q.done.as_deref() {
        Some("added") => "meals.done_added",
        Some("saved") => "meals.done_saved",
        Some("held") => "meals.done_held",
        Some("lifted") => "meals.done_lifted",
        _ => "",
    };
    let hold = HoldTyped {
        from: today().to_string(),
        ..HoldTyped::default()
    };
    let typed = Typed::of_recipient(&current);
    let p = form_page(
        &s,
        ctx,
        Some(&current),
        typed,
        Marks::new(),
        hold,
        Marks::new(),
        notice,
    )
    .await?;
    Ok(render(&p)?.into_response())
}

/// The planner's post: signed in as admin or dispatcher, with the form token.
fn planner_post(ctx: &Ctx, form: &Form) -> Result<Actor, AppError> {
    let user = ctx.require(PLANNERS)?;
    ctx.check_form(form.csrf())?;
    Ok(Actor(Some(user.id)))
}

/// The form's fields as the API's input; what cannot be read is marked.
/// The weekdays served, in the order of the schedule, come along to name
/// the field of a rule's `schedule[i]`.
fn read(
    typed: &Typed,
    people: &HashMap<Id, Id>,
    holds: Vec<Suspension>,
) -> Result<(Id, MealRecipientInput, Vec<&'static str>), Marks> {
    let mut errors = Marks::new();
    let person = typed
        .person_id
        .parse::<Id>()
        .ok()
        .and_then(|p| Some((p, *people.get(&p)?)));
    if person.is_none() {
        errors.insert("person_id".into(), "meals.err_person_id");
    }
    let start = clock(&typed.start);
    if start.is_none() {
        errors.insert("start".into(), "meals.err_start");
    }
    let end = clock(&typed.end);
    if end.is_none() {
        errors.insert("end".into(), "meals.err_end");
    }
    let starts_on = NaiveDate::parse_from_str(&typed.starts_on, "%Y-%m-%d").ok();
    if starts_on.is_none() {
        errors.insert("starts_on".into(), "meals.err_starts_on");
    }
    let mut schedule = Vec::new();
    let mut served = Vec::new();
    for day in Day::ALL {
        let d = day.as_str();
        let (meals, kind) = typed.days.get(d).cloned().unwrap_or_default();
        if meals.is_empty() || meals == "0" {
            continue;
        }
        let Ok(meals) = meals.parse::<u32>() else {
            errors.insert(format!("meals_{d}"), "meals.err_meals");
            continue;
        };
        let Some(meal_type) = MealType::parse(&kind) else {
            errors.insert(format!("type_{d}"), "meals.err_type");
            continue;
        };
        served.push(d);
        schedule.push(MealDay {
            weekday: day,
            meals,
            meal_type,
        });
    }
    let preferred_volunteer_id = match typed.preferred_volunteer_id.as_str() {
        "" => None,
        raw => {
            let id = raw.parse::<Id>().ok();
            if id.is_none() {
                errors.insert(
                    "preferred_volunteer_id".into(),
                    "meals.err_preferred_volunteer_id",
                );
            }
            id
        }
    };
    match (person, start, end, starts_on) {
        (Some((person_id, org)), Some(start), Some(end), Some(starts_on)) if errors.is_empty() => {
            Ok((
                org,
                MealRecipientInput {
                    organisation_id: Some(org),
                    person_id,
                    window: Window::new(start, end),
                    schedule,
                    starts_on,
                    diets: typed.diets.clone(),
                    priority: typed.priority,
                    notes: Some(typed.notes.clone()).filter(|n| !n.is_empty()),
                    preferred_volunteer_id,
                    holds,
                    active: typed.active,
                },
                served,
            ))
        }
        _ => Err(errors),
    }
}

/// The form field a rule's path names, and the message to show by it.
fn mark(path: &str, served: &[&str]) -> Option<(String, &'static str)> {
    if let Some(rest) = path.strip_prefix("schedule[") {
        let (i, field) = rest.split_once("].")?;
        let day = served.get(i.parse::<usize>().ok()?)?;
        return Some(match field {
            "meals" => (format!("meals_{day}"), "meals.err_meals"),
            _ => ("schedule".into(), "meals.err_schedule"),
        });
    }
    if path == "diets" || path.starts_with("diets[") {
        return Some(("diets".into(), "meals.err_diets"));
    }
    let (field, key) = match path {
        "person_id" | "organisation_id" => ("person_id", "meals.err_person_id"),
        "window.start" => ("start", "meals.err_start"),
        "window.end" | "window" => ("end", "meals.err_end"),
        "schedule" => ("schedule", "meals.err_schedule"),
        "starts_on" => ("starts_on", "meals.err_starts_on"),
        "notes" => ("notes", "meals.err_notes"),
        "preferred_volunteer_id" => ("preferred_volunteer_id", "meals.err_preferred_volunteer_id"),
        _ => return None,
    };
    Some((field.into(), key))
}

/// The fields a rule or the store found at fault, marked; a fault no field
/// of the form stands for is the error page's.
fn marks_of(e: Invalid, served: &[&str]) -> Result<Marks, AppError> {
    let mut errors = Marks::new();
    for f in &e.0 {
        let (field, key) = mark(&f.field, served).ok_or_else(|| AppError::Invalid(e.clone()))?;
        errors.entry(field).or_insert(key);
    }
    Ok(errors)
}

/// The invalid input of a service call, whoever found it (the domain's
/// checks or the store's references).
fn invalid_of(e: ServiceError) -> Result<Invalid, AppError> {
    match e {
        ServiceError::Invalid(i) | ServiceError::Store(StoreError::Invalid(i)) => Ok(i),
        e => Err(e.into()),
    }
}

/// Text with control characters was taken out of the form: mark its field.
fn control_marks(faults: &[crate::domain::FieldError]) -> Marks {
    faults
        .iter()
        .map(|f| (f.field.clone(), "meals.err_control"))
        .collect()
}

/// "Salva": a new recipient or the edit of one; bad input shows the form
/// again with the fields marked, and nothing is written.
async fn save(
    s: &AppState,
    ctx: Ctx,
    current: Option<MealRecipient>,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    let actor = planner_post(&ctx, &form)?;
    let typed = Typed::of_form(&form);
    let mut errors = control_marks(&faults);
    if errors.is_empty() {
        let people: HashMap<Id, Id> = s
            .store
            .people(Scope::All)
            .await?
            .into_iter()
            .map(|p| (p.id, p.organisation_id))
            .collect();
        let holds = current
            .as_ref()
            .map(|r| r.holds.clone())
            .unwrap_or_default();
        match read(&typed, &people, holds) {
            Ok((org, input, served)) => {
                let done = match &current {
                    None => meals::create(&s.store, actor, org, &input).await,
                    Some(r) => meals::update(&s.store, actor, r, &input).await,
                };
                match done {
                    Ok(r) => {
                        let what = if current.is_some() { "saved" } else { "added" };
                        return Ok(Redirect::to(&format!(
                            "/meals/recipients?done={what}#recipient-{}",
                            r.id
                        ))
                        .into_response());
                    }
                    Err(e) => errors = marks_of(invalid_of(e)?, &served)?,
                }
            }
            Err(marks) => errors = marks,
        }
    }
    let hold = HoldTyped {
        from: today().to_string(),
        ..HoldTyped::default()
    };
    let p = form_page(
        s,
        ctx,
        current.as_ref(),
        typed,
        errors,
        hold,
        Marks::new(),
        "",
    )
    .await?;
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
    let current = s.store.meal_recipient(Scope::All, id).await?;
    save(&s, ctx, Some(current), form).await
}

/// Reads the hold form, marking each field that cannot be read.
fn read_hold(typed: &HoldTyped) -> Result<Suspension, Marks> {
    let mut errors = Marks::new();
    let date = |raw: &str| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    let from = date(&typed.from);
    if from.is_none() {
        errors.insert("hold_from".into(), "meals.err_hold_from");
    }
    let resume_on = match typed.resume_on.as_str() {
        "" => None,
        raw => {
            let d = date(raw);
            if d.is_none() {
                errors.insert("hold_resume_on".into(), "meals.err_hold_resume_on");
            }
            d
        }
    };
    match from {
        Some(from) if errors.is_empty() => Ok(Suspension {
            from,
            resume_on,
            reason: Some(typed.reason.clone()).filter(|r| !r.is_empty()),
        }),
        _ => Err(errors),
    }
}

/// "Sospendi": the meals stop from a day until the resume date; a bad date
/// is marked and nothing is written.
pub async fn hold(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    Checked { form, faults }: Checked,
) -> Result<Response, AppError> {
    let actor = planner_post(&ctx, &form)?;
    let current = s.store.meal_recipient(Scope::All, id).await?;
    let v = |n: &str| form.get(n).unwrap_or("").to_string();
    let typed = HoldTyped {
        from: v("hold_from"),
        resume_on: v("hold_resume_on"),
        reason: v("hold_reason"),
    };
    let mut errors = control_marks(&faults);
    if errors.is_empty() {
        match read_hold(&typed) {
            Ok(h) => match meals::hold(&s.store, actor, id, &h).await {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/meals/recipients/{id}?done=held#holds"))
                            .into_response(),
                    )
                }
                Err(e) => {
                    for f in invalid_of(e)?.0 {
                        let (field, key) = match f.field.as_str() {
                            "from" => ("hold_from", "meals.err_hold_from"),
                            "resume_on" => ("hold_resume_on", "meals.err_hold_resume_on"),
                            "reason" => ("hold_reason", "meals.err_hold_reason"),
                            _ => ("hold_from", "meals.err_hold_from"),
                        };
                        errors.entry(field.into()).or_insert(key);
                    }
                }
            },
            Err(marks) => errors = marks,
        }
    }
    let typed_recipient = Typed::of_recipient(&current);
    let p = form_page(
        &s,
        ctx,
        Some(&current),
        typed_recipient,
        Marks::new(),
        typed,
        errors,
        "",
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}

/// "Togli la sospensione": the hold starting on the form's `from` goes; the
/// recipient is written back whole, as the API's update.
pub async fn lift(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> Result<Redirect, AppError> {
    let actor = planner_post(&ctx, &form)?;
    let current = s.store.meal_recipient(Scope::All, id).await?;
    let from = form.get("from").unwrap_or("");
    let at = current
        .holds
        .iter()
        .position(|h| h.from.to_string() == from)
        .ok_or_else(|| AppError::NotFound(format!("hold from {from:?}")))?;
    let mut input = input_of(&current);
    input.holds.remove(at);
    meals::update(&s.store, actor, &current, &input).await?;
    Ok(Redirect::to(&format!(
        "/meals/recipients/{id}?done=lifted#holds"
    )))
}

/// "Elimina": the plan ends, its meals from today on are cancelled.
pub async fn delete(
    State(s): State<AppState>,
    ctx: Ctx,
    PathId(id): PathId,
    form: Form,
) -> Result<Redirect, AppError> {
    let actor = planner_post(&ctx, &form)?;
    s.store.meal_recipient(Scope::All, id).await?;
    meals::delete(&s.store, actor, id).await?;
    Ok(Redirect::to("/meals/recipients?done=deleted"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_of_a_recipient_marks_a_field_of_the_form() {
        let served = ["mon", "wed"];
        for (path, field) in [
            ("person_id", "person_id"),
            ("window.end", "end"),
            ("schedule", "schedule"),
            ("schedule[1].meals", "meals_wed"),
            ("starts_on", "starts_on"),
            ("diets[0]", "diets"),
            ("notes", "notes"),
            ("preferred_volunteer_id", "preferred_volunteer_id"),
        ] {
            assert_eq!(mark(path, &served).map(|m| m.0).as_deref(), Some(field));
        }
        assert_eq!(mark("holds[0].from", &served), None);
    }

    #[test]
    fn a_week_is_read_from_a_row_per_weekday() {
        let mut typed = Typed::new_one();
        typed.person_id = "7".into();
        typed.days.insert("wed", ("2".into(), "cold".into()));
        typed.days.insert("mon", ("1".into(), "hot".into()));
        typed.days.insert("fri", ("0".into(), "hot".into()));
        let people = HashMap::from([(7, 3)]);
        let (org, input, served) = read(&typed, &people, Vec::new()).unwrap();
        assert_eq!(org, 3);
        assert_eq!(served, vec!["mon", "wed"]);
        assert_eq!(input.schedule[1].meal_type, MealType::Cold);
        typed.days.insert("tue", ("due".into(), "hot".into()));
        typed.person_id = "8".into();
        let marks = read(&typed, &people, Vec::new()).unwrap_err();
        let fields: Vec<&str> = marks.keys().map(String::as_str).collect();
        assert_eq!(fields, vec!["meals_tue", "person_id"]);
    }
}
