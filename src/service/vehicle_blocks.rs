//! Blocks on vehicles' calendars (`domain::vehicle_sharing`): written by
//! planners from the API and the board's vehicle calendar alike. A block is
//! checked field by field, then the store checks what needs the database
//! (the vehicle and association exist, no overlap on the date).

use chrono::NaiveDate;

use super::ServiceError;
use crate::domain::{date, DateRange, FieldError, Id, Invalid, VehicleBlock, VehicleBlockInput};
use crate::store::{Actor, Scope, Store, StoreError};

/// The longest span `list` reads at once.
pub const MAX_LIST_DAYS: i64 = 366;

/// The input's own rules, and its date in the accepted range (JSON bodies
/// check it when read; a page's form does not).
fn validate(input: &VehicleBlockInput) -> Result<(), Invalid> {
    let mut errors = input.validate().err().unwrap_or_default();
    if let Err(m) = date::check(input.date) {
        errors.0.insert(0, FieldError::new("date", m));
    }
    if errors.0.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The store's refusals of a reference or an overlap are broken rules like
/// the input's own, so callers mark fields from one variant.
fn from_store(e: StoreError) -> ServiceError {
    match e {
        StoreError::Invalid(i) => ServiceError::Invalid(i),
        other => ServiceError::Store(other),
    }
}

pub async fn create(
    store: &Store,
    actor: Actor,
    input: &VehicleBlockInput,
) -> Result<VehicleBlock, ServiceError> {
    validate(input)?;
    store
        .create_vehicle_block(actor, input)
        .await
        .map_err(from_store)
}

pub async fn update(
    store: &Store,
    actor: Actor,
    id: Id,
    input: &VehicleBlockInput,
) -> Result<VehicleBlock, ServiceError> {
    validate(input)?;
    store
        .update_vehicle_block(actor, id, input)
        .await
        .map_err(from_store)
}

pub async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), ServiceError> {
    store
        .delete_vehicle_block(actor, id)
        .await
        .map_err(from_store)
}

/// The blocks `scope` may read from `from` to `to` (both included), by date,
/// vehicle and start. Blocks are few (a handful a week), so the store's
/// whole list is read and cut here.
pub async fn list(
    store: &Store,
    scope: Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<VehicleBlock>, ServiceError> {
    DateRange { from, to }.check(MAX_LIST_DAYS)?;
    let mut blocks = store.vehicle_blocks(scope, None).await?;
    blocks.retain(|b| (from..=to).contains(&b.date));
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Clock, Window};

    fn input(date: NaiveDate, start: u16, end: u16) -> VehicleBlockInput {
        VehicleBlockInput {
            vehicle_id: 1,
            date,
            window: Window::new(Clock(start), Clock(end)),
            organisation_id: None,
            note: None,
        }
    }

    #[test]
    fn a_date_out_of_range_and_a_bad_window_are_named_together() {
        let ok = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert!(validate(&input(ok, 540, 600)).is_ok());
        let far = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
        let fields: Vec<String> = validate(&input(far, 600, 540))
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields.first().map(String::as_str), Some("date"));
        assert!(fields.iter().any(|f| f == "window.end"), "{fields:?}");
    }
}
