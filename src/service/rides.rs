//! Booking a request: settle it against its rider and the ride policy
//! (`domain::booking`), make sure some vehicle can carry the rider, then write
//! it with its way back. The API, the portal and the demo all book here.

use chrono::NaiveDateTime;

use super::ServiceError;
use crate::domain::vehicle_sharing::{Access, Party};
use crate::domain::{
    self, mobility, Booking, Id, Invalid, Organisation, Person, Request, RequestInput, RequestKind,
    RequestStatus, Vehicle,
};
use crate::store::{Actor, Scope, Store};

/// Local time now: bookings are not taken for the past.
pub fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// Settles `input` for `org` without writing anything.
pub async fn settle(
    store: &Store,
    org: Id,
    input: &RequestInput,
    now: NaiveDateTime,
) -> Result<Booking, ServiceError> {
    input.validate()?;
    let person = match input.person_id {
        Some(id) => Some(
            store
                .person(Scope::Organisation(org), id)
                .await
                .map_err(|_| Invalid::one("person_id", "no such person in this organisation"))?,
        ),
        None => None,
    };
    let policy = store.ride_policy().await?;
    let booking = domain::settle(input, org, person.as_ref(), &policy, now)?;
    if let (RequestKind::Ride, Some(p)) = (input.kind, &person) {
        let vehicles = store.vehicles().await?;
        let organisations = store.organisations(Scope::All).await?;
        carried(
            p,
            booking.request.companions,
            org,
            &vehicles,
            &organisations,
        )?;
    }
    Ok(booking)
}

/// Some vehicle the association's riders may ride (`domain::vehicle_sharing`)
/// carries `p` with `companions`; otherwise the field to change: the
/// companions when the rider alone would fit, else the rider.
fn carried(
    p: &Person,
    companions: u32,
    org: Id,
    vehicles: &[Vehicle],
    organisations: &[Organisation],
) -> Result<(), Invalid> {
    let party = Party::of(Some(org), organisations);
    let active = || vehicles.iter().filter(|v| v.active);
    let ours = || active().filter(|v| Access::of_vehicle(v, organisations).admits(party));
    let carries = |v: &&Vehicle, companions: u32| {
        let needs = p.party(companions).needs();
        mobility::can_carry(&needs, &v.skills, v.layouts.iter().map(|l| &l.capacity))
    };
    if ours().any(|v| carries(&v, companions)) {
        return Ok(());
    }
    if ours().any(|v| carries(&v, 0)) {
        return Err(Invalid::one(
            "companions",
            "no vehicle of the service has room for the rider with this many companions",
        ));
    }
    if active().any(|v| carries(&v, companions)) {
        return Err(Invalid::one(
            "person_id",
            "only another association's own vehicle can carry this rider: ask it to join the pool",
        ));
    }
    Err(Invalid::one(
        "person_id",
        "no vehicle of the service can carry this rider (mobility, lift, wheelchair places, seats)",
    ))
}

/// Books `input` for `org`: the request and its way back, in one write.
pub async fn book(
    store: &Store,
    actor: Actor,
    org: Id,
    input: &RequestInput,
) -> Result<Request, ServiceError> {
    book_at(store, actor, org, input, now()).await
}

/// As `book`, at a given time (the demo books its day as of its morning).
pub async fn book_at(
    store: &Store,
    actor: Actor,
    org: Id,
    input: &RequestInput,
    now: NaiveDateTime,
) -> Result<Request, ServiceError> {
    let b = settle(store, org, input, now).await?;
    Ok(store
        .create_request(actor, &b.request, b.way_back.as_ref())
        .await?)
}

/// Changes request `id`. A way back is booked with its outbound, not here.
pub async fn update(
    store: &Store,
    actor: Actor,
    id: Id,
    org: Id,
    input: &RequestInput,
) -> Result<Request, ServiceError> {
    if input.way_back.is_some() {
        return Err(Invalid::one(
            "way_back",
            "is booked with the outbound ride: cancel and book again to change it",
        )
        .into());
    }
    let mut b = settle(store, org, input, now()).await?;
    // Cancelling by an edit cancels the way back with it, as the cancel
    // action does; the status asked for (on time or late) is kept.
    let asked = b.request.status;
    let cancels = matches!(
        asked,
        RequestStatus::Cancelled | RequestStatus::CancelledLate
    );
    let scope = Scope::Organisation(org);
    // Open until now: it is written as it was, then cancelled with its way
    // back, all at once.
    let cancel = if cancels {
        let current = store.request(scope, id).await?;
        (!current.status.is_dropped()).then(|| {
            b.request.status = current.status;
            asked
        })
    } else {
        None
    };
    Ok(match cancel {
        Some(status) => {
            store
                .update_and_cancel_request(actor, id, &b.request, status)
                .await?
        }
        None => store.update_request(actor, id, &b.request).await?,
    })
}
