//! What the day's newest plan says of a ride just booked: whether it fits as
//! the day stands and at about what time, so the member knows while still on
//! the form's page. Only the newest plan is read; the dispatcher decides.

use crate::api::{AppError, AppState};
use crate::domain::fit::FitInput;
use crate::domain::Id;
use crate::service::{fit, ServiceError};
use crate::store::{Scope, StoreError};
use crate::web::board::{reasons, words};
use crate::web::i18n::Tr;

/// `None` when there is nothing to say (not the member's, or already planned).
pub async fn note(s: &AppState, t: &Tr, scope: Scope, id: Id) -> Result<Option<String>, AppError> {
    let r = match s.store.request(scope, id).await {
        Ok(r) => r,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let input = FitInput {
        request_id: id,
        shift_id: None,
        at: None,
    };
    let answer = match fit::fit(s, r.date, &input).await {
        Ok(a) => a,
        // No plan yet: the created notice says what happens next.
        Err(ServiceError::NotFound(_) | ServiceError::Conflict(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if let Some(w) = answer.ways.first() {
        let window = w.promised.map_or_else(String::new, |p| {
            format!(
                "{}–{}",
                words::hm(p.start.minutes() as f64),
                words::hm(p.end.minutes() as f64)
            )
        });
        return Ok(Some(
            t.f(
                "portal.fit.fits",
                &[
                    (
                        "time",
                        &w.pickup
                            .map_or_else(String::new, |c| words::hm(c.minutes() as f64)),
                    ),
                    ("window", &window),
                ],
            ),
        ));
    }
    let Some(b) = answer.blocked else {
        return Ok(None);
    };
    let person = match r.person_id {
        Some(p) => s.store.person(scope, p).await.ok(),
        None => None,
    };
    let reason = reasons::in_words(t, b.reason, &r, person.as_ref());
    let mut note = t.f("portal.fit.blocked", &[("reason", &reason)]);
    if let Some(f) = &b.fits_if {
        // Only a moved time is offered here: it names no vehicle.
        let change = reasons::fits_if_in_words(t, f, |_| None);
        note = format!(
            "{note} {}",
            t.f("portal.fit.fits_if", &[("change", &change)])
        );
    }
    Ok(Some(note))
}
