//! Standing orders: kept, suspended, listed day by day, and turned into each
//! served day's requests. A day is generated once: its requests are then
//! ordinary bookings, edited or cancelled for that day alone. Only when the
//! order itself drops a day (a suspension, an edit, a closing day) are its
//! requests cancelled and the day freed, to be booked again if served again.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::{rides, ServiceError};
use crate::domain::{
    occurs_on, under_ride, validate_closing_days, validate_suspension, ClosingDay, DateRange,
    FailedDay, FieldError, Generated, GeneratedDay, Id, Invalid, Occurrence, ScheduleDay,
    StandingOrder, StandingOrderInput, Suspension, MAX_GENERATE_DAYS, MAX_SCHEDULE_DAYS,
};
use crate::store::{Actor, Scope, Store, StoreError};

/// The local date: changes reach the days generated from today on.
fn today() -> NaiveDate {
    rides::now().date()
}

/// Generation books as of the eve of the day, so that a day generated late
/// (the solve of today, a range reaching back) still books its morning.
pub(super) fn eve(date: NaiveDate) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::minutes(1)
}

/// The first day's booking settled as generation will settle it, so the
/// faults of every day (a rider no vehicle carries, a way back past
/// midnight) are named when the order is written, not found later.
pub(super) async fn check_bookable(
    store: &Store,
    org: Id,
    input: &StandingOrderInput,
) -> Result<(), ServiceError> {
    let day = input.recurrence.starts_on;
    let request = input.ride.request_for(input.person_id, day);
    match rides::settle(store, org, &request, eve(day)).await {
        Ok(_) => Ok(()),
        Err(ServiceError::Invalid(e)) => Err(under_ride(e).into()),
        Err(e) => Err(e),
    }
}

pub async fn create(
    store: &Store,
    actor: Actor,
    org: Id,
    input: &StandingOrderInput,
) -> Result<StandingOrder, ServiceError> {
    input.validate()?;
    check_bookable(store, org, input).await?;
    Ok(store.create_standing_order(actor, org, input).await?)
}

/// Replaces order `id` (already read in the caller's scope). Days generated
/// already keep their requests, but those the order no longer serves are
/// cancelled.
pub async fn update(
    store: &Store,
    actor: Actor,
    current: &StandingOrder,
    input: &StandingOrderInput,
) -> Result<StandingOrder, ServiceError> {
    input.validate()?;
    check_bookable(store, current.organisation_id, input).await?;
    Ok(store
        .update_standing_order(actor, current.id, input, today())
        .await?)
}

/// A pause (a hospital stay): the days generated inside it are cancelled,
/// and generation resumes on `resume_on`.
pub async fn suspend(
    store: &Store,
    actor: Actor,
    id: Id,
    suspension: &Suspension,
) -> Result<StandingOrder, ServiceError> {
    validate_suspension(suspension)?;
    Ok(store
        .suspend_standing_order(actor, id, suspension, today())
        .await?)
}

pub async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), ServiceError> {
    Ok(store.delete_standing_order(actor, id, today()).await?)
}

/// Each date of the order's weekdays in `range` with whether it rides and
/// why not, and the request booked for it; days generated before the
/// order changed are listed too.
pub async fn schedule(
    store: &Store,
    scope: Scope,
    id: Id,
    range: DateRange,
) -> Result<Vec<ScheduleDay>, ServiceError> {
    range.check(MAX_SCHEDULE_DAYS)?;
    let order = store.standing_order(scope, id).await?;
    let calendar = store.calendar(range.from, range.to).await?;
    let generated = store.generated_days(Some(id), range.from, range.to).await?;
    let mut days: Vec<ScheduleDay> = order
        .schedule(&calendar, range.from, range.to)
        .into_iter()
        .map(|(date, occurrence)| ScheduleDay {
            date,
            occurrence,
            request_id: generated.get(&(id, date)).copied().flatten(),
        })
        .collect();
    for (&(_, date), &request_id) in &generated {
        if !days.iter().any(|d| d.date == date) {
            let occurrence = occurs_on(&order.recurrence, &order.suspensions, &calendar, date);
            days.push(ScheduleDay {
                date,
                occurrence,
                request_id,
            });
        }
    }
    days.sort_by_key(|d| d.date);
    Ok(days)
}

/// Books the rides of every active order on each day of `range` it serves
/// and that has not been generated yet. A day whose booking breaks a rule
/// is reported and left for a later run; the others are booked.
pub async fn generate(
    store: &Store,
    actor: Actor,
    range: DateRange,
) -> Result<Generated, ServiceError> {
    range.check(MAX_GENERATE_DAYS)?;
    let mut out = Generated::default();
    let orders = store.standing_orders_between(range.from, range.to).await?;
    if orders.is_empty() {
        return Ok(out);
    }
    let calendar = store.calendar(range.from, range.to).await?;
    let done = store.generated_days(None, range.from, range.to).await?;
    for order in &orders {
        for (date, occurrence) in order.schedule(&calendar, range.from, range.to) {
            if occurrence != Occurrence::Ride || done.contains_key(&(order.id, date)) {
                continue;
            }
            let input = order.ride.request_for(order.person_id, date);
            let booked = match rides::settle(store, order.organisation_id, &input, eve(date)).await
            {
                Ok(b) => store
                    .book_standing_day(actor, order.id, date, &b.request, b.way_back.as_ref())
                    .await
                    .map_err(ServiceError::from),
                Err(e) => Err(e),
            };
            let errors = match booked {
                Ok(Some(request_id)) => {
                    out.booked.push(GeneratedDay {
                        standing_order_id: order.id,
                        date,
                        request_id,
                    });
                    continue;
                }
                // Generated meanwhile by another run.
                Ok(None) => continue,
                Err(ServiceError::Invalid(e) | ServiceError::Store(StoreError::Invalid(e))) => {
                    under_ride(e).0
                }
                // The order deleted meanwhile, or the database busy.
                Err(ServiceError::Store(StoreError::Conflict(m))) => {
                    vec![FieldError::new("date", m)]
                }
                Err(e) => return Err(e),
            };
            out.failed.push(FailedDay {
                standing_order_id: order.id,
                date,
                errors,
            });
        }
    }
    Ok(out)
}

/// `validate_closing_days` for one day given alone: fields `date`, `label`.
fn validate_closing_day(day: &ClosingDay) -> Result<(), Invalid> {
    validate_closing_days(std::slice::from_ref(day)).map_err(|e| {
        Invalid(
            e.0.into_iter()
                .map(|f| {
                    let field = f.field.trim_start_matches("closing_days[0].").to_string();
                    FieldError::new(field, f.message)
                })
                .collect(),
        )
    })
}

/// Closes the service on a day; the standing orders' rides generated for
/// it are cancelled.
pub async fn add_closing_day(
    store: &Store,
    actor: Actor,
    day: &ClosingDay,
) -> Result<ClosingDay, ServiceError> {
    validate_closing_day(day)?;
    Ok(store.create_closing_day(actor, day, today()).await?)
}

pub async fn relabel_closing_day(
    store: &Store,
    actor: Actor,
    day: &ClosingDay,
) -> Result<ClosingDay, ServiceError> {
    validate_closing_day(day)?;
    Ok(store.update_closing_day(actor, day).await?)
}

/// Generates `date` before it is solved, so the standing orders' rides are
/// in the plan; days that cannot be booked are logged and shown by the
/// schedule without a request.
pub async fn generate_day(
    store: &Store,
    actor: Actor,
    date: NaiveDate,
) -> Result<(), ServiceError> {
    let done = generate(
        store,
        actor,
        DateRange {
            from: date,
            to: date,
        },
    )
    .await?;
    for f in &done.failed {
        tracing::warn!(
            "standing order {} not booked on {}: {:?}",
            f.standing_order_id,
            f.date,
            f.errors
        );
    }
    Ok(())
}
