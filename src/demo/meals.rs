//! The meal recipients of the demo: the day's meals are generated from their
//! weeks by `service::meals`, as on any day, so holds and diets work as they
//! do for the municipality.

use chrono::{Duration, NaiveDate};

use super::at::At;
use super::files::DAY;
use super::inputs::Ids;
use super::{Demo, DemoError};
use crate::domain::meals::{MealDay, MealRecipientInput, MealSettings};
use crate::domain::{Day, Id, Suspension};

impl Demo {
    /// Recipient `i`, served from a month before `date`, checked against the
    /// default meal settings (a fresh store's).
    pub(super) fn meal_recipient(
        &self,
        i: usize,
        date: NaiveDate,
        ids: &Ids,
    ) -> Result<(Id, MealRecipientInput), DemoError> {
        let m = &self.day.meals[i];
        let refs = &self.refs.meals[i];
        let day = |n: i64| date + Duration::days(n);
        let input = MealRecipientInput {
            organisation_id: None,
            person_id: ids.people[refs.person],
            window: m.window,
            schedule: m
                .days
                .iter()
                .map(|d| MealDay {
                    weekday: Day::of(d),
                    meals: m.meals,
                    meal_type: m.meal_type,
                })
                .collect(),
            starts_on: day(-30),
            diets: m.diets.clone(),
            priority: m.priority,
            notes: m.notes.clone(),
            preferred_volunteer_id: refs.volunteer.map(|v| ids.volunteers[v]),
            holds: m
                .hold
                .iter()
                .map(|h| Suspension {
                    from: day(h.from_days),
                    resume_on: Some(day(h.resume_days)),
                    reason: Some(h.reason.clone()),
                })
                .collect(),
            active: true,
        };
        let org = ids.orgs[self.refs.person_org[refs.person]];
        let settings = MealSettings::default();
        let input = At::new(DAY, &m.key).valid(input, |i| i.validate(&settings))?;
        Ok((org, input))
    }
}
