//! Food donors kept and turned into each giving day's pickup; the yearly
//! figures per donor from the kilograms the drivers entered. A day is
//! generated once: its collection is then an ordinary booking. Only when
//! the donor itself drops a day (an edit, inactive, a closing day) is its
//! request cancelled and the day freed. The rules live in `domain::surplus`.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::generated::{book_day, Outcome};
use super::{rides, ServiceError};
use crate::domain::surplus::{self, Donor, DonorInput, SurplusFigures, SurplusSettings};
use crate::domain::{FieldError, Id, Invalid, NewRequest, OrgKind};
use crate::store::{Actor, Scope, Store};

fn today() -> NaiveDate {
    rides::now().date()
}

pub async fn create(
    store: &Store,
    actor: Actor,
    input: &DonorInput,
) -> Result<Donor, ServiceError> {
    input.validate()?;
    Ok(store.create_donor(actor, input).await?)
}

pub async fn update(
    store: &Store,
    actor: Actor,
    id: Id,
    input: &DonorInput,
) -> Result<Donor, ServiceError> {
    input.validate()?;
    Ok(store.update_donor(actor, id, input, today()).await?)
}

pub async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), ServiceError> {
    Ok(store.delete_donor(actor, id, today()).await?)
}

pub async fn set_settings(
    store: &Store,
    actor: Actor,
    settings: &SurplusSettings,
) -> Result<SurplusSettings, ServiceError> {
    settings.validate()?;
    Ok(store.set_setting(actor, settings).await?)
}

/// What one generation booked and what it could not.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ToSchema)]
pub struct SurplusGenerated {
    pub date: Option<NaiveDate>,
    pub booked: Vec<PickupBooked>,
    /// Donors whose pickup broke a rule that day; left to a later run.
    pub failed: Vec<PickupFailed>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PickupBooked {
    pub donor_id: Id,
    pub request_id: Id,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PickupFailed {
    pub donor_id: Id,
    pub errors: Vec<FieldError>,
}

/// The organisation the pickups are booked for: the municipality, which
/// runs the surplus service.
async fn municipality(store: &Store) -> Result<Id, ServiceError> {
    store
        .organisations(Scope::All)
        .await?
        .into_iter()
        .find(|o| o.kind == OrgKind::Municipality)
        .map(|o| o.id)
        .ok_or_else(|| {
            Invalid::one(
                "organisation",
                "the surplus pickups are the municipality's: add it first",
            )
            .into()
        })
}

/// Books the pickup of every active donor giving on `date` and not
/// generated yet; holidays and closing days are honoured.
pub async fn generate(
    store: &Store,
    actor: Actor,
    date: NaiveDate,
) -> Result<SurplusGenerated, ServiceError> {
    crate::domain::date::check(date)
        .map_err(|_| Invalid::one("date", crate::domain::date::OUT_OF_RANGE))?;
    let mut out = SurplusGenerated {
        date: Some(date),
        ..Default::default()
    };
    let donors = store.donors().await?;
    if !donors.iter().any(|d| d.active) {
        return Ok(out);
    }
    let org = municipality(store).await?;
    let calendar = store.calendar(date, date).await?;
    let done = store.surplus_days(date).await?;
    for d in &donors {
        if !d.gives_on(&calendar, date) || done.contains_key(&d.id) {
            continue;
        }
        let input = d.request_for(org, date);
        let book = async |r: &NewRequest| store.book_surplus_day(actor, d, date, r).await;
        match book_day(store, org, &input, date, book).await? {
            Outcome::Booked(request_id) => out.booked.push(PickupBooked {
                donor_id: d.id,
                request_id,
            }),
            Outcome::Already => {}
            Outcome::Refused(errors) => out.failed.push(PickupFailed {
                donor_id: d.id,
                errors,
            }),
        }
    }
    Ok(out)
}

/// Generates `date`'s pickups before it is solved; failures are logged.
pub async fn generate_day(
    store: &Store,
    actor: Actor,
    date: NaiveDate,
) -> Result<(), ServiceError> {
    let done = match generate(store, actor, date).await {
        Ok(done) => done,
        // No municipality: the day is solved without the generated pickups.
        Err(ServiceError::Invalid(e)) => {
            tracing::warn!("surplus pickups of {date} not generated: {e}");
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    for f in &done.failed {
        tracing::warn!("donor {} not booked on {date}: {:?}", f.donor_id, f.errors);
    }
    Ok(())
}

/// The first and last year the figures are asked for (the dates' range).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// Each donor's pickups done and kilograms collected in `year`, by month.
pub async fn figures(store: &Store, year: i32) -> Result<SurplusFigures, ServiceError> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(Invalid::one("year", "must be 2000 to 2099").into());
    };
    if !YEARS.contains(&year) {
        return Err(Invalid::one("year", "must be 2000 to 2099").into());
    }
    let donors = store.donors().await?;
    let collected = store.collected(from, to).await?;
    Ok(surplus::figures(year, &donors, &collected))
}
