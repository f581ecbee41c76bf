//! Standing orders: a ride an association books once for many days ("to the
//! day centre Mon/Wed/Fri, at 9:00"). The calendar of the order is in
//! `recurrence`; each served day becomes an ordinary request, booked like any
//! other (`domain::booking`), that can then be edited for that day alone.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::recurrence::MAX_SUSPENSIONS;
use super::recurrence::{check_suspensions, occurs_on, schedule_between};
use super::ride_policy::Purpose;
use super::{
    date, Calendar, Checks, Clock, FieldError, Id, Invalid, Occurrence, Recurrence, RequestInput,
    RequestKind, RequestStatus, Suspension, WayBack,
};

/// The most days one generation covers: two months, so one call stays short.
pub const MAX_GENERATE_DAYS: i64 = 62;
/// The most days one schedule listing covers.
pub const MAX_SCHEDULE_DAYS: i64 = 366;

/// The ride of every served day: a request without its date and rider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RideTemplate {
    pub from_place_id: Id,
    pub to_place_id: Id,
    /// One of `pickup_at` and `appointment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "08:30", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub pickup_at: Option<Clock>,
    /// Arrive-by: the pickup follows from it and the ride limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "09:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub appointment: Option<Clock>,
    /// By default as the rider usually travels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 8)]
    pub companions: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// The way back, booked with each day's ride.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub way_back: Option<WayBack>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

impl RideTemplate {
    /// The booking of one served day, as an association would send it.
    pub fn request_for(&self, person_id: Id, date: NaiveDate) -> RequestInput {
        RequestInput {
            organisation_id: None,
            date,
            kind: RequestKind::Ride,
            person_id: Some(person_id),
            from_place_id: self.from_place_id,
            to_place_id: self.to_place_id,
            pickup_at: self.pickup_at,
            appointment: self.appointment,
            window_at: None,
            window: None,
            companions: self.companions,
            load: None,
            skills: Vec::new(),
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: self.way_back,
            purpose: self.purpose,
            notes: self.notes.clone(),
            status: RequestStatus::Active,
        }
    }
}

/// A request's faults as the template's: under `ride.`, but for the rider,
/// who is the order's own field.
pub fn under_ride(e: Invalid) -> Invalid {
    Invalid(
        e.0.into_iter()
            .map(|f| match f.field.as_str() {
                "person_id" => f,
                _ => FieldError::new(format!("ride.{}", f.field), f.message),
            })
            .collect(),
    )
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StandingOrder {
    pub id: Id,
    pub organisation_id: Id,
    pub person_id: Id,
    pub ride: RideTemplate,
    pub recurrence: Recurrence,
    pub suspensions: Vec<Suspension>,
    /// A paused order books nothing until set active again.
    pub active: bool,
}

impl StandingOrder {
    /// Whether a ride is booked for this order on `date`.
    pub fn serves(&self, calendar: &Calendar, date: NaiveDate) -> bool {
        self.active
            && occurs_on(&self.recurrence, &self.suspensions, calendar, date) == Occurrence::Ride
    }

    /// Each date of the order's weekdays from `from` to `to`, with its fate.
    pub fn schedule(
        &self,
        calendar: &Calendar,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<(NaiveDate, Occurrence)> {
        schedule_between(&self.recurrence, &self.suspensions, calendar, from, to)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandingOrderInput {
    /// Members may leave it out: it defaults to their association.
    #[serde(default)]
    pub organisation_id: Option<Id>,
    pub person_id: Id,
    pub ride: RideTemplate,
    pub recurrence: Recurrence,
    #[serde(default)]
    #[schema(max_items = 100)]
    pub suspensions: Vec<Suspension>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl StandingOrderInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        let t = &self.ride;
        match (t.appointment, t.pickup_at) {
            (None, None) => c.fail(
                "ride.appointment",
                "give the appointment or the pickup time",
            ),
            (Some(_), Some(_)) => c.fail(
                "ride.appointment",
                "give only one of appointment and pickup_at",
            ),
            _ => {}
        }
        // The rest as for any ride: one home for the rules of a request. Its
        // timing faults speak of windows a template has not: checked above.
        let one_day = t.request_for(self.person_id, self.recurrence.starts_on);
        if let Err(e) = one_day.validate().map_err(under_ride) {
            for f in e.0 {
                if !matches!(f.field.as_str(), "ride.appointment" | "ride.pickup_at") {
                    c.fail(f.field, f.message);
                }
            }
        }
        self.recurrence.check(&mut c, "recurrence");
        check_suspensions(&mut c, "suspensions", &self.suspensions);
        c.done()
    }
}

/// Checks one suspension given alone (the body of `…/suspensions`).
pub fn validate_suspension(s: &Suspension) -> Result<(), Invalid> {
    let mut c = Checks::default();
    s.check(&mut c, "");
    c.done()
}

/// A range of dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    #[serde(deserialize_with = "super::date::date")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "super::date::date")]
    pub to: NaiveDate,
}

impl DateRange {
    /// At most `max_days` days, `to` not before `from`.
    pub fn check(&self, max_days: i64) -> Result<(), Invalid> {
        let mut c = Checks::default();
        for (name, d) in [("from", self.from), ("to", self.to)] {
            if let Err(m) = date::check(d) {
                c.fail(name, m);
            }
        }
        if self.to < self.from {
            c.fail("to", "must not be before from");
        } else if (self.to - self.from).num_days() >= max_days {
            c.fail("to", format!("may be at most {max_days} days from from"));
        }
        c.done()
    }
}

/// One date of an order's schedule: whether it rides, and the request
/// booked for it once generated.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScheduleDay {
    pub date: NaiveDate,
    #[serde(flatten)]
    pub occurrence: Occurrence,
    /// The outbound request booked for the date, once generated.
    pub request_id: Option<Id>,
}

/// What one generation booked and what it could not.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ToSchema)]
pub struct Generated {
    pub booked: Vec<GeneratedDay>,
    /// Days left to a later generation: the booking broke a rule that day
    /// (no vehicle can carry the rider, a place gone).
    pub failed: Vec<FailedDay>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GeneratedDay {
    pub standing_order_id: Id,
    pub date: NaiveDate,
    /// The outbound request; its way back, if any, is linked to it.
    pub request_id: Id,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FailedDay {
    pub standing_order_id: Id,
    pub date: NaiveDate,
    pub errors: Vec<FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(v: serde_json::Value) -> StandingOrderInput {
        serde_json::from_value(v).unwrap()
    }

    fn good() -> serde_json::Value {
        json!({
            "person_id": 3,
            "ride": {"from_place_id": 1, "to_place_id": 2, "appointment": "09:00",
                     "way_back": {"after_minutes": 240}, "purpose": "day_centre"},
            "recurrence": {"weekdays": ["mon", "wed", "fri"], "starts_on": "2027-03-01",
                           "ends_on": "2027-06-30"}
        })
    }

    fn fields(v: serde_json::Value) -> Vec<String> {
        input(v)
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect()
    }

    #[test]
    fn a_good_order_passes_and_its_day_is_a_ride_with_rider_and_date() {
        let o = input(good());
        assert_eq!(o.validate(), Ok(()));
        assert!(o.active);
        let day = NaiveDate::from_ymd_opt(2027, 3, 3).unwrap();
        let r = o.ride.request_for(o.person_id, day);
        assert_eq!(
            (r.kind, r.person_id, r.date),
            (RequestKind::Ride, Some(3), day)
        );
        assert_eq!(r.appointment, Some(Clock(9 * 60)));
        assert_eq!(r.way_back, Some(WayBack::AfterMinutes(240)));
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn faults_are_named_under_ride_recurrence_and_suspensions() {
        let mut v = good();
        v["recurrence"]["weekdays"] = json!([]);
        v["recurrence"]["ends_on"] = json!("2027-02-01");
        v["ride"]["to_place_id"] = json!(1);
        v["ride"]["companions"] = json!(9);
        v["suspensions"] = json!([{"from": "2027-04-10", "resume_on": "2027-04-01"}]);
        assert_eq!(
            fields(v),
            [
                "ride.to_place_id",
                "ride.companions",
                "recurrence.weekdays",
                "recurrence.ends_on",
                "suspensions[0].resume_on"
            ]
        );
    }

    #[test]
    fn a_template_gives_exactly_one_of_appointment_and_pickup_at() {
        let mut v = good();
        v["ride"].as_object_mut().unwrap().remove("appointment");
        assert_eq!(fields(v.clone()), ["ride.appointment"]);
        v["ride"]["appointment"] = json!("09:00");
        v["ride"]["pickup_at"] = json!("08:30");
        assert_eq!(fields(v), ["ride.appointment"]);
    }

    #[test]
    fn serving_needs_an_active_order_on_a_day_it_rides() {
        let o = input(good());
        let order = StandingOrder {
            id: 1,
            organisation_id: 2,
            person_id: o.person_id,
            ride: o.ride,
            recurrence: o.recurrence,
            suspensions: vec![],
            active: true,
        };
        let cal = Calendar::default();
        let ymd = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        assert!(order.serves(&cal, ymd(3, 31)));
        assert!(!order.serves(&cal, ymd(3, 29)), "Easter Monday");
        assert!(!order.serves(&cal, ymd(3, 30)), "a Tuesday");
        let paused = StandingOrder {
            active: false,
            ..order
        };
        assert!(!paused.serves(&cal, ymd(3, 31)));
    }

    #[test]
    fn a_range_runs_forward_and_is_bounded() {
        let ymd = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        let r = |from, to| DateRange { from, to };
        assert_eq!(r(ymd(3, 1), ymd(5, 1)).check(MAX_GENERATE_DAYS), Ok(()));
        let field = |e: Invalid| e.0[0].field.clone();
        assert_eq!(field(r(ymd(3, 2), ymd(3, 1)).check(62).unwrap_err()), "to");
        assert_eq!(field(r(ymd(3, 1), ymd(5, 2)).check(62).unwrap_err()), "to");
    }

    #[test]
    fn the_schedule_day_reads_flat() {
        let d = ScheduleDay {
            date: NaiveDate::from_ymd_opt(2027, 3, 29).unwrap(),
            occurrence: Occurrence::Ride,
            request_id: Some(4),
        };
        assert_eq!(
            serde_json::to_value(d).unwrap(),
            json!({"date": "2027-03-29", "occurrence": "ride", "request_id": 4})
        );
    }
}
