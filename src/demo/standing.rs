//! The demo's standing orders: dated from the demo date, so that the day's
//! solve books the rides of those that serve it and skips the paused one.

use chrono::{Duration, NaiveDate};

use super::at::At;
use super::files::DAY;
use super::inputs::Ids;
use super::{Demo, DemoError};
use crate::domain::{Id, Recurrence, RideTemplate, StandingOrderInput, Suspension};

impl Demo {
    pub(super) fn standing_order(
        &self,
        i: usize,
        date: NaiveDate,
        ids: &Ids,
    ) -> Result<(Id, StandingOrderInput), DemoError> {
        let o = &self.day.standing_orders[i];
        let refs = &self.refs.standing[i];
        let org = ids.orgs[self.refs.person_org[refs.person]];
        let day = |n: i64| date + Duration::days(n);
        let input = StandingOrderInput {
            organisation_id: Some(org),
            person_id: ids.people[refs.person],
            ride: RideTemplate {
                from_place_id: ids.places[refs.from],
                to_place_id: ids.places[refs.to],
                pickup_at: o.pickup_at,
                appointment: o.appointment,
                companions: None,
                purpose: o.purpose,
                way_back: o.way_back,
                notes: None,
            },
            recurrence: Recurrence {
                weekdays: o.weekdays,
                starts_on: day(-i64::from(o.started_days_ago)),
                ends_on: None,
                exceptions: Default::default(),
            },
            suspensions: o
                .paused
                .iter()
                .map(|p| Suspension {
                    from: day(p.from_days),
                    resume_on: Some(day(p.resume_days)),
                    reason: Some(p.reason.clone()),
                })
                .collect(),
            active: true,
        };
        Ok((
            org,
            At::new(DAY, &o.key).valid(input, StandingOrderInput::validate)?,
        ))
    }
}
