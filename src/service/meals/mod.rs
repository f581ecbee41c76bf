//! Meal recipients kept, held and turned into each served day's meal
//! request; the kitchen's lists (`lists`). A day is generated once: its
//! request is then an ordinary booking. Only when the plan itself drops a
//! day (a hold, an edit, a closing day) is its request cancelled and the day
//! freed.

mod lists;

pub use lists::{packing, preferred_volunteers, production, Preferred};

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::generated::{book_day, Outcome};
use super::{rides, ServiceError};
use crate::domain::meals::{validate_hold, MealRecipient, MealRecipientInput, MealSettings};
use crate::domain::{FieldError, Id, Invalid, NewRequest, Suspension};
use crate::store::{Actor, Scope, Store};

fn today() -> NaiveDate {
    rides::now().date()
}

/// The meal recipient's plan checked against the settings (diet list), then
/// the person's home known.
async fn check(store: &Store, input: &MealRecipientInput) -> Result<(), ServiceError> {
    let settings = store.meal_settings().await?;
    input.validate(&settings)?;
    Ok(())
}

pub async fn create(
    store: &Store,
    actor: Actor,
    org: Id,
    input: &MealRecipientInput,
) -> Result<MealRecipient, ServiceError> {
    check(store, input).await?;
    Ok(store.create_meal_recipient(actor, org, input).await?)
}

pub async fn update(
    store: &Store,
    actor: Actor,
    current: &MealRecipient,
    input: &MealRecipientInput,
) -> Result<MealRecipient, ServiceError> {
    check(store, input).await?;
    Ok(store
        .update_meal_recipient(actor, current.id, input, today())
        .await?)
}

/// A hold (a hospital stay): the meals generated inside it are cancelled,
/// and generation resumes on `resume_on`.
pub async fn hold(
    store: &Store,
    actor: Actor,
    id: Id,
    hold: &Suspension,
) -> Result<MealRecipient, ServiceError> {
    validate_hold(hold)?;
    Ok(store.hold_meal_recipient(actor, id, hold, today()).await?)
}

pub async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), ServiceError> {
    Ok(store.delete_meal_recipient(actor, id, today()).await?)
}

pub async fn set_settings(
    store: &Store,
    actor: Actor,
    settings: &MealSettings,
) -> Result<MealSettings, ServiceError> {
    settings.validate()?;
    if let Some(id) = settings.centre_place_id {
        let place = store.place(Scope::All, id).await;
        if place.is_err() {
            return Err(Invalid::one("centre_place_id", "no such place").into());
        }
    }
    Ok(store.set_setting(actor, settings).await?)
}

/// What one generation booked and what it could not.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ToSchema)]
pub struct MealsGenerated {
    pub date: Option<NaiveDate>,
    pub booked: Vec<MealBooked>,
    /// Recipients whose meal broke a rule that day (a place gone); left to a
    /// later run.
    pub failed: Vec<MealFailed>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MealBooked {
    pub recipient_id: Id,
    pub request_id: Id,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MealFailed {
    pub recipient_id: Id,
    pub errors: Vec<FieldError>,
}

/// The kitchen: the settings' place, else the one public meal centre.
async fn centre(store: &Store, settings: &MealSettings) -> Result<Id, ServiceError> {
    if let Some(id) = settings.centre_place_id {
        return Ok(id);
    }
    let places = store.places(Scope::All).await?;
    let mut centres = places
        .iter()
        .filter(|p| p.organisation_id.is_none() && p.kind == "meal_centre");
    match (centres.next(), centres.next()) {
        (Some(p), None) => Ok(p.id),
        _ => Err(Invalid::one(
            "centre_place_id",
            "name the meal centre in the meal settings: there is not exactly one",
        )
        .into()),
    }
}

/// Books the meal of every recipient served on `date` and not generated
/// yet; holidays, closing days and holds are honoured.
pub async fn generate(
    store: &Store,
    actor: Actor,
    date: NaiveDate,
) -> Result<MealsGenerated, ServiceError> {
    let mut out = MealsGenerated {
        date: Some(date),
        ..Default::default()
    };
    let recipients = store.meal_recipients_on(date).await?;
    if recipients.is_empty() {
        return Ok(out);
    }
    let settings = store.meal_settings().await?;
    let centre = centre(store, &settings).await?;
    let calendar = store.calendar(date, date).await?;
    let done = store.meal_days(date).await?;
    let people = store.people(Scope::All).await?;
    for r in &recipients {
        let Some(day) = r.serves(&calendar, date) else {
            continue;
        };
        if done.contains_key(&r.id) {
            continue;
        }
        let Some(person) = people.iter().find(|p| p.id == r.person_id) else {
            continue;
        };
        let input = r.request_for(day, date, (centre, person.home_place_id), &settings);
        let book = async |m: &NewRequest| store.book_meal_day(actor, r, date, day, m).await;
        match book_day(store, r.organisation_id, &input, date, book).await? {
            Outcome::Booked(request_id) => out.booked.push(MealBooked {
                recipient_id: r.id,
                request_id,
            }),
            Outcome::Already => {}
            Outcome::Refused(errors) => out.failed.push(MealFailed {
                recipient_id: r.id,
                errors,
            }),
        }
    }
    Ok(out)
}

/// Generates `date`'s meals before it is solved; failures are logged.
pub async fn generate_day(
    store: &Store,
    actor: Actor,
    date: NaiveDate,
) -> Result<(), ServiceError> {
    let done = match generate(store, actor, date).await {
        Ok(done) => done,
        // No kitchen named: the day is solved without the generated meals.
        Err(ServiceError::Invalid(e)) => {
            tracing::warn!("meals of {date} not generated: {e}");
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    for f in &done.failed {
        tracing::warn!(
            "meal recipient {} not booked on {date}: {:?}",
            f.recipient_id,
            f.errors
        );
    }
    Ok(())
}

/// The recipients in the caller's scope.
pub async fn list(store: &Store, scope: Scope) -> Result<Vec<MealRecipient>, ServiceError> {
    Ok(store.meal_recipients(scope).await?)
}
