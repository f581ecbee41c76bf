//! What would let a turned-down request in: the smallest change to try, in
//! order, and the rules a changed booking must still keep (the ride policy's
//! window, the rider's own needs, nothing in the past). The planner tries
//! each change against the solved plan (`planning::fits_if`).

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::holidays::Calendar;
use super::ride_policy::{RidePolicy, Timing};
use super::{Clock, Id, Person, Request, RequestKind, Window};

/// The smallest change found that makes the request fit the plan as it
/// stands; applied as said, it fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum FitsIf {
    /// The time asked (pickup time, appointment, or the window itself)
    /// moved by `minutes`: later when positive, earlier when negative. The
    /// window follows from the policy as for any booking.
    WindowShift {
        #[schema(minimum = -120, maximum = 120)]
        minutes: i32,
    },
    /// A vehicle on no shift that day, over its usual hours, would take it
    /// (in the layout named).
    OtherVehicle {
        vehicle_id: Id,
        #[schema(min_length = 1, max_length = 100)]
        layout: String,
    },
    /// With one companion fewer: `companions` travel with the rider.
    FewerCompanions {
        #[schema(maximum = 8)]
        companions: u32,
    },
    /// The same ride on `date`, the nearest of the next service days with
    /// room for it (and for its way back, when that was left out too).
    OtherDay { date: NaiveDate },
}

/// One change to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The time moved by this many minutes, later or earlier.
    Shift(u16),
    OtherVehicle,
    FewerCompanions,
    /// The same ride on one of the next `OTHER_DAYS` service days.
    OtherDay,
}

/// The changes in the order they are tried, the smallest first: the time
/// moved by 15 minutes up to two hours (what the dispatcher asks the rider
/// first, and what the rider's own booking can take), then a vehicle taken
/// off its rest day (a driver called in), then a companion left at home
/// (the party changed), and last the ride on another day (the rider waits:
/// it asks the most). The first that fits is the answer.
pub const STEPS: [Step; 9] = [
    Step::Shift(15),
    Step::Shift(30),
    Step::Shift(45),
    Step::Shift(60),
    Step::Shift(90),
    Step::Shift(120),
    Step::OtherVehicle,
    Step::FewerCompanions,
    Step::OtherDay,
];

/// How far ahead another day is looked for: a week, each weekday once.
pub const OTHER_DAYS: u64 = 7;

/// The days after `date` a ride could move to, nearest first: the next
/// `OTHER_DAYS`, those the service runs on.
pub fn other_days(date: NaiveDate, calendar: &Calendar) -> Vec<NaiveDate> {
    (1..=OTHER_DAYS)
        .filter_map(|n| date.checked_add_days(Days::new(n)))
        .filter(|d| calendar.is_service_day(*d).is_ok())
        .collect()
}

/// `r` booked on `date` instead, times as they were; `None` for anything
/// but a ride (a meal is for its day), or when it would start in the past.
pub fn on_day(r: &Request, date: NaiveDate, now: NaiveDateTime) -> Option<Request> {
    if r.kind != RequestKind::Ride {
        return None;
    }
    let starts = date.and_hms_opt(0, 0, 0)? + chrono::Duration::minutes(r.window.start.minutes());
    (starts > now).then(|| Request { date, ..r.clone() })
}

/// `r` with its time moved by `minutes`, as a booking would settle it: a
/// pickup time or an appointment moved, its window again from the policy;
/// a bare window moved whole. `None` when the new time is in the past or
/// the window would leave the day (the policy would clip it).
pub fn shifted(
    r: &Request,
    minutes: i32,
    policy: &RidePolicy,
    now: NaiveDateTime,
) -> Option<Request> {
    let by = i64::from(minutes);
    let moved = |c: Clock| Clock::from_minutes(c.minutes() + by);
    let mut out = r.clone();
    let (asked, window) = match (r.appointment, r.pickup_at) {
        (Some(t), _) => {
            let t = moved(t)?;
            out.appointment = Some(t);
            (t, policy.window(Timing::Appointment(t)).1)
        }
        (None, Some(t)) => {
            let t = moved(t)?;
            out.pickup_at = Some(t);
            (t, policy.window(Timing::PickupAt(t)).1)
        }
        (None, None) => {
            let w = Window::new(moved(r.window.start)?, moved(r.window.end)?);
            (w.start, w)
        }
    };
    // The policy clips a window at the ends of the day: then it is not the
    // window the rule gives, and the rider would get less.
    let w = &policy.window;
    let full = match (r.appointment, r.pickup_at) {
        (None, None) => r.window.end.minutes() - r.window.start.minutes(),
        (Some(_), _) => i64::from(w.arrive_earliest) - i64::from(w.arrive_latest),
        (None, Some(_)) => i64::from(w.pickup_before) + i64::from(w.pickup_after),
    };
    let same_width = window.end.minutes() - window.start.minutes() == full;
    let when = r.date.and_hms_opt(0, 0, 0)? + chrono::Duration::minutes(asked.minutes());
    (same_width && when > now).then(|| {
        out.window = window;
        out
    })
}

/// `r` with one companion fewer, its room again from the rider's party;
/// `None` for a ride with no companion to spare (a rider who needs one
/// keeps one), or anything but a ride with its rider.
pub fn fewer_companions(r: &Request, person: Option<&Person>) -> Option<Request> {
    let p = person.filter(|_| r.kind == RequestKind::Ride)?;
    let companions = r.companions.checked_sub(1)?;
    if companions < p.usual_companions() {
        return None;
    }
    let mut out = r.clone();
    out.companions = companions;
    out.load = p.party(companions).needs().load;
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{Lifecycle, RequestStatus, WindowAt};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 10).unwrap()
    }

    fn ride(pickup: &str) -> Request {
        let policy = RidePolicy::default();
        let t: Clock = pickup.parse().unwrap();
        let (window_at, window) = policy.window(Timing::PickupAt(t));
        Request {
            id: 1,
            organisation_id: 1,
            date: day(),
            kind: RequestKind::Ride,
            person_id: None,
            from_place_id: 1,
            to_place_id: 2,
            window_at,
            window,
            load: BTreeMap::from([("seats".to_string(), 1)]),
            skills: vec![],
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: None,
            pickup_at: Some(t),
            appointment: None,
            companions: 0,
            purpose: None,
            notes: None,
            status: RequestStatus::Active,
            promised_pickup: None,
            lifecycle: Lifecycle::Requested,
        }
    }

    fn morning() -> NaiveDateTime {
        day().and_hms_opt(7, 0, 0).unwrap()
    }

    #[test]
    fn the_smallest_change_comes_first() {
        let shifts: Vec<u16> = STEPS
            .iter()
            .filter_map(|s| match s {
                Step::Shift(m) => Some(*m),
                _ => None,
            })
            .collect();
        assert_eq!(shifts, [15, 30, 45, 60, 90, 120]);
        let at = |step| STEPS.iter().position(|s| *s == step).unwrap();
        assert!(at(Step::Shift(120)) < at(Step::OtherVehicle));
        assert!(at(Step::OtherVehicle) < at(Step::FewerCompanions));
        assert_eq!(STEPS.last(), Some(&Step::OtherDay));
    }

    #[test]
    fn another_day_is_a_service_day_of_the_next_week_for_a_ride() {
        use crate::domain::ClosingDay;
        // Thursday 10 December 2026; the 8th (Immaculate Conception) is
        // before it, the municipality closes on Saturday the 12th.
        let closed = ClosingDay {
            date: NaiveDate::from_ymd_opt(2026, 12, 12).unwrap(),
            label: "inventario".into(),
        };
        let days = other_days(day(), &Calendar::new([closed]));
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        assert_eq!(days, [d(11), d(13), d(14), d(15), d(16), d(17)]);
        // Christmas and St Stephen's are skipped.
        let christmas = other_days(d(23), &Calendar::default());
        assert_eq!(christmas.first(), Some(&d(24)));
        assert!(!christmas.contains(&d(25)) && !christmas.contains(&d(26)));
        assert_eq!(christmas.len(), 5);

        let r = ride("09:00");
        let moved = on_day(&r, d(11), morning()).unwrap();
        assert_eq!(
            (moved.date, moved.window, moved.id),
            (d(11), r.window, r.id)
        );
        assert!(on_day(&r, d(9), morning()).is_none(), "in the past");
        let mut meal = r.clone();
        meal.kind = RequestKind::Meal;
        assert!(
            on_day(&meal, d(11), morning()).is_none(),
            "a meal is for its day"
        );
    }

    #[test]
    fn a_moved_time_keeps_the_policys_window() {
        let policy = RidePolicy::default();
        let r = ride("09:00");
        let later = shifted(&r, 30, &policy, morning()).unwrap();
        assert_eq!(later.pickup_at, Some("09:30".parse().unwrap()));
        assert_eq!(later.window.start, "09:15".parse().unwrap());
        assert_eq!(later.window.end, "09:45".parse().unwrap());
        let mut by_appointment = r.clone();
        by_appointment.pickup_at = None;
        by_appointment.appointment = Some("10:00".parse().unwrap());
        by_appointment.window_at = WindowAt::Dropoff;
        let earlier = shifted(&by_appointment, -45, &policy, morning()).unwrap();
        assert_eq!(earlier.appointment, Some("09:15".parse().unwrap()));
        assert_eq!(earlier.window.start, "08:45".parse().unwrap());
        assert_eq!(earlier.window.end, "09:10".parse().unwrap());
        // Never into the past, nor out of the day.
        assert!(shifted(&r, -120, &policy, morning()).is_none());
        assert!(shifted(&ride("23:30"), 30, &policy, morning()).is_none());
        assert!(shifted(&ride("23:40"), 15, &policy, morning()).is_none());
        assert!(shifted(&ride("23:30"), 15, &policy, morning()).is_some());
        let mut bare = r.clone();
        bare.pickup_at = None;
        let moved = shifted(&bare, 60, &policy, morning()).unwrap();
        assert_eq!(moved.window.start, "09:45".parse().unwrap());
    }

    #[test]
    fn a_companion_is_spared_only_when_the_rider_needs_none() {
        use crate::domain::{Assistance, Mobility};
        let mut p = Person {
            id: 3,
            organisation_id: 1,
            name: "Ida".into(),
            phone: None,
            home_place_id: 1,
            mobility: Mobility::None,
            assistance: Assistance::None,
            service_animal: false,
            driver_notes: None,
        };
        let mut r = ride("09:00");
        r.companions = 2;
        r.load = p.party(2).needs().load;
        let fewer = fewer_companions(&r, Some(&p)).unwrap();
        assert_eq!(fewer.companions, 1);
        assert_eq!(fewer.load, p.party(1).needs().load);
        assert!(fewer.load["seats"] < r.load["seats"]);
        p.assistance = Assistance::NeedsCompanion;
        assert!(fewer_companions(&fewer, Some(&p)).is_none());
        assert!(fewer_companions(&r, None).is_none());
    }
}
