//! Booking one day of a repeating plan (a meal recipient's meal, a donor's
//! pickup): settled as of the eve of the day like any booking, then written
//! with the row that marks the day generated.

use chrono::NaiveDate;

use super::standing::eve;
use super::{rides, ServiceError};
use crate::domain::{FieldError, Id, NewRequest, RequestInput};
use crate::store::{Store, StoreError};

/// What one day's booking came to.
pub(super) enum Outcome {
    Booked(Id),
    /// Another run booked the day meanwhile.
    Already,
    /// The day's own fault (its input refused, a conflict): the run goes on.
    Refused(Vec<FieldError>),
}

/// Settles `input` and books it with `book`; any error but the day's own
/// stops the whole run.
pub(super) async fn book_day(
    store: &Store,
    org: Id,
    input: &RequestInput,
    date: NaiveDate,
    book: impl AsyncFnOnce(&NewRequest) -> Result<Option<Id>, StoreError>,
) -> Result<Outcome, ServiceError> {
    let booked = match rides::settle(store, org, input, eve(date)).await {
        Ok(b) => book(&b.request).await.map_err(ServiceError::from),
        Err(e) => Err(e),
    };
    match booked {
        Ok(Some(id)) => Ok(Outcome::Booked(id)),
        Ok(None) => Ok(Outcome::Already),
        Err(ServiceError::Invalid(e) | ServiceError::Store(StoreError::Invalid(e))) => {
            Ok(Outcome::Refused(e.0))
        }
        Err(ServiceError::Store(StoreError::Conflict(m))) => {
            Ok(Outcome::Refused(vec![FieldError::new("date", m)]))
        }
        Err(e) => Err(e),
    }
}
