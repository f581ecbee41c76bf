//! A booking as the association gives it → the requests giro plans. The
//! rules: the window from the time given and the policy, the room and the
//! minutes from the rider, the way back from its rule, nothing in the past.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::mobility::Needs;
use super::ride_policy::{RidePolicy, Timing};
use super::{
    Checks, Clock, Id, Invalid, Person, RequestInput, RequestKind, RequestStatus, ReturnOf,
    WayBack, Window, WindowAt,
};

/// A request with every field settled, as the store writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    pub organisation_id: Id,
    pub input: RequestInput,
    pub window_at: WindowAt,
    pub window: Window,
    pub load: BTreeMap<String, u32>,
    pub companions: u32,
    /// Set on a way back booked with its outbound, once the outbound has an id.
    pub return_of: Option<ReturnOf>,
    pub status: RequestStatus,
}

/// What one booking writes: the request and, perhaps, its way back.
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub request: NewRequest,
    pub way_back: Option<NewRequest>,
}

/// Settles `input` for association `org`. `person` is the rider, read in the
/// caller's scope; `now` the local time, so that nothing is booked in the past.
pub fn settle(
    input: &RequestInput,
    org: Id,
    person: Option<&Person>,
    policy: &RidePolicy,
    now: NaiveDateTime,
) -> Result<Booking, Invalid> {
    let mut c = Checks::default();
    let timing = match (input.appointment, input.pickup_at) {
        (Some(t), _) => Some(("appointment", Timing::Appointment(t))),
        (None, Some(t)) => Some(("pickup_at", Timing::PickupAt(t))),
        _ => None,
    };
    if let Some((field, t)) = timing {
        let at = match t {
            Timing::Appointment(t) | Timing::PickupAt(t) => t,
        };
        let when = input.date.and_hms_opt(0, 0, 0).unwrap_or_default()
            + chrono::Duration::minutes(at.minutes());
        c.require(when > now, field, "is in the past");
    }
    let (window_at, window) = match (timing, input.window_at, input.window) {
        (Some((_, t)), _, _) => policy.window(t),
        (None, Some(at), Some(w)) => (at, w),
        _ => return Err(Invalid::one("window", "is required")),
    };

    let needs: Option<Needs> = match (input.kind, person) {
        (RequestKind::Ride, Some(p)) => Some(
            p.party(input.companions.unwrap_or(p.usual_companions()))
                .needs(),
        ),
        _ => None,
    };
    let load = match (&needs, &input.load) {
        (Some(n), Some(given)) => {
            if let Some((d, _)) = n
                .load
                .iter()
                .find(|(d, q)| given.get(*d).copied().unwrap_or(0) < **q)
            {
                c.fail(
                    format!("load.{d}"),
                    "is less than the rider needs (a wheelchair user in the chair takes a wheelchair place; companions take seats)",
                );
            }
            given.clone()
        }
        (Some(n), None) => n.load.clone(),
        (None, Some(given)) => given.clone(),
        (None, None) => BTreeMap::new(),
    };
    let mut settled = input.clone();
    if let Some(n) = &needs {
        for s in &n.skills {
            if !settled.skills.contains(s) {
                settled.skills.push(s.clone());
            }
        }
    }
    let companions = needs.as_ref().map_or(0, |_| {
        input
            .companions
            .unwrap_or(person.map_or(0, Person::usual_companions))
    });
    c.done()?;

    let request = NewRequest {
        organisation_id: org,
        input: settled,
        window_at,
        window,
        load,
        companions,
        return_of: input.return_of,
        status: input.status,
    };
    let way_back = input
        .way_back
        .map(|rule| way_back(&request, rule, policy))
        .transpose()?;
    Ok(Booking { request, way_back })
}

/// The way back: from the destination home, after the outbound by its rule.
fn way_back(out: &NewRequest, rule: WayBack, policy: &RidePolicy) -> Result<NewRequest, Invalid> {
    let i = &out.input;
    let end_of_day = Clock(Clock::MIDNIGHT_END);
    let clock =
        |m: i64| Clock::from_minutes(m.min(i64::from(Clock::MIDNIGHT_END))).unwrap_or(end_of_day);
    let width = i64::from(policy.window.pickup_before + policy.window.pickup_after);
    // When the rider is free again: the appointment, else the earliest arrival.
    let free = i.appointment.unwrap_or(out.window.start);
    let (window, after_minutes, status) = match rule {
        WayBack::At(t) => {
            let (_, w) = policy.window(Timing::PickupAt(t));
            // Never before the rider is free.
            (
                Window::new(w.start.max(free), w.end.max(free)),
                0,
                RequestStatus::Active,
            )
        }
        WayBack::AfterMinutes(m) => {
            let start = free.minutes() + i64::from(m);
            if start >= i64::from(Clock::MIDNIGHT_END) {
                return Err(Invalid::one(
                    "way_back.after_minutes",
                    "ends after midnight",
                ));
            }
            let gap = if i.appointment.is_some() {
                0
            } else {
                u32::from(m)
            };
            (
                Window::new(clock(start), clock(start + width.max(30))),
                gap,
                RequestStatus::Active,
            )
        }
        // Planned once activated; until then it holds the rest of the day.
        WayBack::WillCall => (Window::new(free, end_of_day), 0, RequestStatus::WillCall),
    };
    let mut input = i.clone();
    input.from_place_id = i.to_place_id;
    input.to_place_id = i.from_place_id;
    input.appointment = None;
    input.pickup_at = None;
    input.window_at = Some(WindowAt::Pickup);
    input.window = Some(window);
    input.way_back = Some(rule);
    input.return_of = None;
    Ok(NewRequest {
        input,
        window_at: WindowAt::Pickup,
        window,
        return_of: Some(ReturnOf {
            request_id: 0,
            after_minutes,
            same_vehicle: false,
        }),
        status,
        ..out.clone()
    })
}
