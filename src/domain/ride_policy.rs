//! The rules the service sets for rides, in one configurable record: the
//! window given around a pickup time or before an appointment, the longest
//! ride by distance band, which purposes come first when the van is short,
//! and when a cancellation counts as late. Defaults follow common
//! paratransit practice; the dispatcher may change them (`/api/v1/policy`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::{Checks, Clock, Invalid, Window, WindowAt};

/// Why a ride is made. The purpose sets its priority.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Day or socialisation centre.
    DayCentre,
    /// A medical visit or examination.
    HealthVisit,
    Therapy,
    Dialysis,
    /// Social accompaniment: offices, the post, the bank.
    Socialisation,
    /// Shopping, the hairdresser, a visit to family.
    SocialErrand,
    Other,
}

str_enum!(Purpose {
    DayCentre => "day_centre",
    HealthVisit => "health_visit",
    Therapy => "therapy",
    Dialysis => "dialysis",
    Socialisation => "socialisation",
    SocialErrand => "social_errand",
    Other => "other"
});

impl Purpose {
    pub const ALL: [Purpose; 7] = [
        Self::DayCentre,
        Self::HealthVisit,
        Self::Therapy,
        Self::Dialysis,
        Self::Socialisation,
        Self::SocialErrand,
        Self::Other,
    ];
}

/// How a rider gives the time of a ride.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// "Pick me up at 8:30."
    PickupAt(Clock),
    /// "I must be there by 9:30" (arrive-by).
    Appointment(Clock),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowPolicy {
    /// Minutes the pickup may come before the time asked.
    #[schema(maximum = 120)]
    pub pickup_before: u16,
    /// Minutes the pickup may come after the time asked.
    #[schema(maximum = 120)]
    pub pickup_after: u16,
    /// Arrive no earlier than this many minutes before the appointment ...
    #[schema(maximum = 180)]
    pub arrive_earliest: u16,
    /// ... and no later than this many minutes before it.
    #[schema(maximum = 180)]
    pub arrive_latest: u16,
}

/// Trips up to `up_to_km` may last `factor` times the direct drive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RideBand {
    /// The band's upper bound; the last band may leave it out (no bound).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000)]
    pub up_to_km: Option<f64>,
    #[schema(minimum = 1, maximum = 10)]
    pub factor: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RideTimePolicy {
    /// In increasing `up_to_km`; the last one catches the rest.
    #[schema(min_items = 1, max_items = 10)]
    pub bands: Vec<RideBand>,
    /// No ride is held to less than this many minutes ...
    #[schema(minimum = 1, maximum = 600)]
    pub floor_minutes: u16,
    /// ... nor allowed more.
    #[schema(minimum = 1, maximum = 600)]
    pub cap_minutes: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurposePriority {
    pub purpose: Purpose,
    /// 1 (kept last) to 10 (kept first) when the vehicles are short.
    #[schema(minimum = 1, maximum = 10)]
    pub priority: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelPolicy {
    /// A cancellation later than this many minutes before the pickup is late.
    #[schema(maximum = 2880)]
    pub late_within_minutes: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RidePolicy {
    pub window: WindowPolicy,
    pub ride_time: RideTimePolicy,
    /// Every purpose once.
    pub priorities: Vec<PurposePriority>,
    pub cancel: CancelPolicy,
}

impl Default for RidePolicy {
    fn default() -> Self {
        use Purpose::*;
        let p = |purpose, priority| PurposePriority { purpose, priority };
        Self {
            window: WindowPolicy {
                pickup_before: 15,
                pickup_after: 15,
                arrive_earliest: 30,
                arrive_latest: 5,
            },
            ride_time: RideTimePolicy {
                bands: vec![
                    RideBand {
                        up_to_km: Some(5.0),
                        factor: 3.0,
                    },
                    RideBand {
                        up_to_km: Some(20.0),
                        factor: 2.0,
                    },
                    RideBand {
                        up_to_km: None,
                        factor: 1.5,
                    },
                ],
                floor_minutes: 20,
                cap_minutes: 75,
            },
            priorities: vec![
                p(Dialysis, 10),
                p(HealthVisit, 9),
                p(Therapy, 8),
                p(DayCentre, 6),
                p(Socialisation, 4),
                p(SocialErrand, 2),
                p(Other, 1),
            ],
            cancel: CancelPolicy {
                late_within_minutes: 120,
            },
        }
    }
}

impl RidePolicy {
    /// The window a ride gets from the time the rider gave.
    pub fn window(&self, timing: Timing) -> (WindowAt, Window) {
        let w = &self.window;
        let clock = |m: i64| {
            Clock::from_minutes(m.clamp(0, i64::from(Clock::MIDNIGHT_END))).unwrap_or(Clock(0))
        };
        match timing {
            Timing::PickupAt(t) => (
                WindowAt::Pickup,
                Window::new(
                    clock(t.minutes() - i64::from(w.pickup_before)),
                    clock(t.minutes() + i64::from(w.pickup_after)),
                ),
            ),
            Timing::Appointment(t) => (
                WindowAt::Dropoff,
                Window::new(
                    clock(t.minutes() - i64::from(w.arrive_earliest)),
                    clock(t.minutes() - i64::from(w.arrive_latest)),
                ),
            ),
        }
    }

    /// The longest a ride may last, from its direct drive: the band's factor,
    /// kept between the floor and the cap, and never below the drive itself.
    pub fn max_ride_minutes(&self, direct_minutes: f64, direct_km: f64) -> f64 {
        let rt = &self.ride_time;
        let factor = rt
            .bands
            .iter()
            .find(|b| b.up_to_km.is_none_or(|k| direct_km <= k))
            .or(rt.bands.last())
            .map_or(1.0, |b| b.factor);
        (factor * direct_minutes)
            .clamp(f64::from(rt.floor_minutes), f64::from(rt.cap_minutes))
            .max(direct_minutes)
    }

    /// 1..=10; a purpose the policy does not list ranks last.
    pub fn priority(&self, purpose: Option<Purpose>) -> u8 {
        let purpose = purpose.unwrap_or(Purpose::Other);
        self.priorities
            .iter()
            .find(|p| p.purpose == purpose)
            .map_or(1, |p| p.priority)
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        let w = &self.window;
        c.require(
            w.pickup_before <= 120,
            "window.pickup_before",
            "must be at most 120",
        );
        c.require(
            w.pickup_after <= 120,
            "window.pickup_after",
            "must be at most 120",
        );
        c.require(
            w.arrive_earliest <= 180,
            "window.arrive_earliest",
            "must be at most 180",
        );
        c.require(
            w.arrive_latest <= w.arrive_earliest,
            "window.arrive_latest",
            "must not be more than arrive_earliest",
        );
        let rt = &self.ride_time;
        c.require(
            !rt.bands.is_empty(),
            "ride_time.bands",
            "must have at least one band",
        );
        c.require(
            rt.bands.len() <= 10,
            "ride_time.bands",
            "may have at most 10 bands",
        );
        let mut last = 0.0;
        for (i, b) in rt.bands.iter().enumerate() {
            c.require(
                b.factor.is_finite() && (1.0..=10.0).contains(&b.factor),
                &format!("ride_time.bands[{i}].factor"),
                "must be between 1 and 10",
            );
            match b.up_to_km {
                Some(k) => {
                    c.require(
                        k.is_finite() && k > last && k <= 1000.0,
                        &format!("ride_time.bands[{i}].up_to_km"),
                        "must grow from band to band, up to 1000",
                    );
                    last = k;
                }
                None => c.require(
                    i + 1 == rt.bands.len(),
                    &format!("ride_time.bands[{i}].up_to_km"),
                    "only the last band may be open-ended",
                ),
            }
        }
        c.require(
            (1..=600).contains(&rt.floor_minutes),
            "ride_time.floor_minutes",
            "must be between 1 and 600",
        );
        c.require(
            (rt.floor_minutes..=600).contains(&rt.cap_minutes),
            "ride_time.cap_minutes",
            "must be between floor_minutes and 600",
        );
        for (i, p) in self.priorities.iter().enumerate() {
            c.require(
                (1..=10).contains(&p.priority),
                &format!("priorities[{i}].priority"),
                "must be between 1 and 10",
            );
            c.require(
                !self.priorities[..i].iter().any(|q| q.purpose == p.purpose),
                &format!("priorities[{i}].purpose"),
                "is listed twice",
            );
        }
        c.require(
            self.cancel.late_within_minutes <= 2880,
            "cancel.late_within_minutes",
            "must be at most 2880",
        );
        c.done()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Clock {
        s.parse().unwrap()
    }

    #[test]
    fn an_appointment_gives_an_arrival_window_before_it() {
        let (end, w) = RidePolicy::default().window(Timing::Appointment(at("09:30")));
        assert_eq!(end, WindowAt::Dropoff);
        assert_eq!((w.start, w.end), (at("09:00"), at("09:25")));
    }

    #[test]
    fn a_pickup_time_gives_a_window_around_it() {
        let (end, w) = RidePolicy::default().window(Timing::PickupAt(at("08:30")));
        assert_eq!(end, WindowAt::Pickup);
        assert_eq!((w.start, w.end), (at("08:15"), at("08:45")));
    }

    #[test]
    fn the_ride_limit_follows_the_band_floor_and_cap() {
        let p = RidePolicy::default();
        assert_eq!(p.max_ride_minutes(5.0, 2.0), 20.0, "floor");
        assert_eq!(p.max_ride_minutes(10.0, 4.0), 30.0, "short band: x3");
        assert_eq!(p.max_ride_minutes(20.0, 12.0), 40.0, "middle band: x2");
        assert_eq!(p.max_ride_minutes(45.0, 40.0), 67.5, "long band: x1.5");
        assert_eq!(p.max_ride_minutes(60.0, 50.0), 75.0, "cap");
        assert_eq!(
            p.max_ride_minutes(90.0, 80.0),
            90.0,
            "never below the drive"
        );
    }

    #[test]
    fn a_medical_visit_comes_before_an_errand() {
        let p = RidePolicy::default();
        assert!(p.priority(Some(Purpose::HealthVisit)) > p.priority(Some(Purpose::SocialErrand)));
        assert_eq!(p.priority(None), p.priority(Some(Purpose::Other)));
    }

    #[test]
    fn a_bad_policy_names_its_field() {
        let mut p = RidePolicy::default();
        p.ride_time.bands[1].up_to_km = Some(3.0);
        p.window.arrive_latest = 60;
        let fields: Vec<String> = p
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["window.arrive_latest", "ride_time.bands[1].up_to_km"]
        );
        assert!(RidePolicy::default().validate().is_ok());
    }
}
