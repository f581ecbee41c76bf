//! The day's shifts (`domain::shift`): written by planners from the API and
//! the board's shift page alike. A shift is checked field by field, then the
//! store checks what needs the database (the vehicle and volunteer exist, the
//! volunteer may drive the vehicle, neither is on another shift at the time).

use chrono::NaiveDate;

use super::ServiceError;
use crate::domain::{date, FieldError, Id, Invalid, Shift, ShiftInput};
use crate::store::{Actor, Store, StoreError};

/// The input's own rules, and its date in the accepted range (JSON bodies
/// check it when read; a page's form does not).
fn validate(input: &ShiftInput) -> Result<(), Invalid> {
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

/// The shifts of `date`, or all of them, by date and id.
pub async fn list(store: &Store, date: Option<NaiveDate>) -> Result<Vec<Shift>, ServiceError> {
    Ok(store.shifts(date).await?)
}

pub async fn create(
    store: &Store,
    actor: Actor,
    input: &ShiftInput,
) -> Result<Shift, ServiceError> {
    validate(input)?;
    store.create_shift(actor, input).await.map_err(from_store)
}

pub async fn update(
    store: &Store,
    actor: Actor,
    id: Id,
    input: &ShiftInput,
) -> Result<Shift, ServiceError> {
    validate(input)?;
    store
        .update_shift(actor, id, input)
        .await
        .map_err(from_store)
}

/// A route of a plan that ran on the shift keeps its vehicle and driver and
/// loses only its link to the shift; the next solve plans without it.
pub async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), ServiceError> {
    store.delete_shift(actor, id).await.map_err(from_store)
}

/// The shift of `from` as it would be on `to`.
fn moved(s: &Shift, to: NaiveDate) -> ShiftInput {
    ShiftInput {
        date: to,
        vehicle_id: s.vehicle_id,
        volunteer_id: s.volunteer_id,
        window: s.window,
        serves: s.serves.clone(),
    }
}

/// Dispatchers repeat the same shifts week after week: the shifts of `from`
/// written again on `to`, same vehicle, volunteer, hours and services. Only
/// into a day without shifts (`date` names it otherwise), from a day with
/// some (`from`). Each copy passes the same checks as a new shift; when one
/// fails (a volunteer no longer allowed on the vehicle), the copies already
/// made are deleted again and the error names it as `shifts[i].<field>`,
/// `i` its place among the shifts of `from`.
pub async fn copy(
    store: &Store,
    actor: Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Shift>, ServiceError> {
    let mut c = crate::domain::Checks::default();
    if let Err(m) = date::check(to) {
        c.fail("date", m);
    }
    if let Err(m) = date::check(from) {
        c.fail("from", m);
    }
    c.require(from != to, "from", "is the day the shifts would go to");
    c.done()?;
    let source = store.shifts(Some(from)).await?;
    if source.is_empty() {
        return Err(Invalid::one("from", "has no shifts to copy").into());
    }
    if !store.shifts(Some(to)).await?.is_empty() {
        return Err(Invalid::one(
            "date",
            "has shifts already: copy only into a day without any",
        )
        .into());
    }
    let mut made: Vec<Shift> = Vec::with_capacity(source.len());
    for (i, s) in source.iter().enumerate() {
        match create(store, actor, &moved(s, to)).await {
            Ok(shift) => made.push(shift),
            Err(e) => {
                for m in &made {
                    store.delete_shift(actor, m.id).await?;
                }
                return Err(match e {
                    ServiceError::Invalid(Invalid(fields)) => Invalid(
                        fields
                            .into_iter()
                            .map(|f| FieldError {
                                field: format!("shifts[{i}].{}", f.field),
                                ..f
                            })
                            .collect(),
                    )
                    .into(),
                    other => other,
                });
            }
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Clock, RequestKind, Window};

    fn input(date: NaiveDate, start: u16, end: u16) -> ShiftInput {
        ShiftInput {
            date,
            vehicle_id: 1,
            volunteer_id: None,
            window: Window::new(Clock(start), Clock(end)),
            serves: vec![RequestKind::Meal],
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

    #[test]
    fn a_copy_keeps_all_but_the_date() {
        let s = Shift {
            id: 7,
            date: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            vehicle_id: 3,
            volunteer_id: Some(4),
            window: Window::new(Clock(480), Clock(720)),
            serves: vec![RequestKind::Ride, RequestKind::Meal],
        };
        let to = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let i = moved(&s, to);
        assert_eq!(i.date, to);
        assert_eq!((i.vehicle_id, i.volunteer_id), (3, Some(4)));
        assert_eq!(i.window, s.window);
        assert_eq!(i.serves, s.serves);
    }
}
