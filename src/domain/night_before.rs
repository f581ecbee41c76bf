//! The night-before list of an association: tomorrow's rides of its riders
//! in the published plan, by promised pickup, with what the caller needs to
//! ring each rider (the window, where from and where to, who travels along,
//! the phone number).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::lifecycle::Lifecycle;
use super::ride_policy::Purpose;
use super::{Assistance, Clock, Id, Mobility, Person, Place, Request, RequestKind, Window};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NightBeforeRow {
    pub request_id: Id,
    pub person_id: Id,
    pub person: String,
    /// The number to call: the rider's (or the contact's kept on the rider).
    pub phone: Option<String>,
    /// The promised pickup window from the published plan.
    pub pickup: Window,
    pub from: String,
    pub from_address: String,
    pub to: String,
    pub to_address: String,
    /// The appointment the ride arrives before (arrive-by).
    #[schema(value_type = Option<String>, example = "09:30")]
    pub appointment: Option<Clock>,
    pub purpose: Option<Purpose>,
    /// The way back of an earlier ride.
    pub is_return: bool,
    pub companions: u32,
    pub mobility: Mobility,
    pub assistance: Assistance,
    pub service_animal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NightBeforeList {
    pub date: NaiveDate,
    pub organisation_id: Id,
    pub organisation: String,
    /// Whether the date has a published plan: without one nobody is promised a time.
    pub published: bool,
    /// By promised pickup.
    pub rows: Vec<NightBeforeRow>,
}

/// The rows of an association's rides scheduled in the published plan;
/// `requests` are already the association's.
pub fn rows(
    requests: &[Request],
    people: &HashMap<Id, Person>,
    places: &HashMap<Id, Place>,
) -> Vec<NightBeforeRow> {
    let mut out: Vec<NightBeforeRow> = requests
        .iter()
        .filter(|r| r.kind == RequestKind::Ride)
        .filter_map(|r| {
            let Lifecycle::Scheduled { pickup } = r.lifecycle else {
                return None;
            };
            let p = people.get(&r.person_id?)?;
            let place = |id| {
                places
                    .get(&id)
                    .map_or((String::new(), String::new()), |pl: &Place| {
                        (pl.name.clone(), pl.address.clone())
                    })
            };
            let ((from, from_address), (to, to_address)) =
                (place(r.from_place_id), place(r.to_place_id));
            Some(NightBeforeRow {
                request_id: r.id,
                person_id: p.id,
                person: p.name.clone(),
                phone: p.phone.clone(),
                pickup,
                from,
                from_address,
                to,
                to_address,
                appointment: r.appointment,
                purpose: r.purpose,
                is_return: r.return_of.is_some(),
                companions: r.companions,
                mobility: p.mobility,
                assistance: p.assistance,
                service_animal: p.service_animal,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.pickup.start, &a.person, a.request_id).cmp(&(b.pickup.start, &b.person, b.request_id))
    });
    out
}
