//! Meals on wheels: who gets a meal on which weekdays, of which type and
//! diet, the holds that pause it, and the service's rules for the round (the
//! kitchen's ready time and the kitchen-to-door limit for hot meals). The
//! one home of the meal rules: generation, the planner and the kitchen's
//! lists ask this module.

mod lists;
mod settings;

pub use lists::{PackingLine, PackingList, ProductionLine, ProductionList, TypeTotal};
pub use settings::{BoxDimensions, MealSettings, DEFAULT_DIETS, DEFAULT_HOT_MAX_MINUTES};

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::recurrence::{check_suspensions, occurs_on};
use super::{
    date, Calendar, Checks, Day, Id, Invalid, Occurrence, Recurrence, RequestInput, RequestKind,
    RequestStatus, Suspension, WeekdaySet, Window, WindowAt,
};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MealType {
    /// Cooked today, carried in heated boxes: the kitchen-to-door limit holds.
    Hot,
    /// A cold lunch pack.
    Cold,
    Frozen,
}

str_enum!(MealType { Hot => "hot", Cold => "cold", Frozen => "frozen" });

/// The most meals one recipient gets on one day (a couple, a family).
pub const MAX_MEALS_PER_DAY: u32 = 6;
pub const MAX_DIETS: usize = 10;

/// One weekday of a recipient's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MealDay {
    pub weekday: Day,
    #[schema(minimum = 1, maximum = 6)]
    pub meals: u32,
    pub meal_type: MealType,
}

/// A recipient's meal plan as written: everything but the ids.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MealRecipientInput {
    /// Planners name it; members may leave it out (their association).
    #[serde(default)]
    pub organisation_id: Option<Id>,
    /// The person fed; the meal goes to his or her home.
    pub person_id: Id,
    /// When the meal may be handed over at the door.
    pub window: Window,
    /// The days served: at least one, each weekday at most once.
    #[schema(min_items = 1, max_items = 7)]
    pub schedule: Vec<MealDay>,
    /// The first day served.
    #[serde(deserialize_with = "super::date::date")]
    pub starts_on: NaiveDate,
    /// Diet and texture tags from the settings' list.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub diets: Vec<String>,
    /// Served first when the day's capacity is short (lives alone, frail).
    #[serde(default)]
    pub priority: bool,
    /// Door code, leave with the neighbour, what to do if nobody answers.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
    /// The volunteer the recipient knows, when one is preferred.
    #[serde(default)]
    pub preferred_volunteer_id: Option<Id>,
    /// Hospital stays, time away with family: no meal from `from` until `resume_on`.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub holds: Vec<Suspension>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MealRecipient {
    pub id: Id,
    pub organisation_id: Id,
    pub person_id: Id,
    pub window: Window,
    pub schedule: Vec<MealDay>,
    pub starts_on: NaiveDate,
    pub diets: Vec<String>,
    pub priority: bool,
    pub notes: Option<String>,
    pub preferred_volunteer_id: Option<Id>,
    pub holds: Vec<Suspension>,
    pub active: bool,
}

impl MealRecipientInput {
    /// The checks against the service's settings (the diet list), each
    /// fault named by its field.
    pub fn validate(&self, settings: &MealSettings) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.window("window", &self.window);
        check_schedule(&mut c, &self.schedule);
        if date::check(self.starts_on).is_err() {
            c.fail("starts_on", date::OUT_OF_RANGE);
        }
        if self.diets.len() > MAX_DIETS {
            c.fail("diets", format!("may name at most {MAX_DIETS} tags"));
        }
        for (i, d) in self.diets.iter().enumerate() {
            if !settings.diets.contains(d) {
                c.fail(
                    format!("diets[{i}]"),
                    format!("unknown diet {d:?}: one of {}", settings.diets.join(", ")),
                );
            }
        }
        c.optional_text("notes", &self.notes, 1000);
        check_suspensions(&mut c, "holds", &self.holds);
        c.done()
    }
}

fn check_schedule(c: &mut Checks, days: &[MealDay]) {
    if days.is_empty() {
        c.fail("schedule", "must name at least one day");
        return;
    }
    let mut seen = WeekdaySet::EMPTY;
    for (i, d) in days.iter().enumerate() {
        let w = d.weekday.weekday();
        if seen.contains(w) {
            c.fail(format!("schedule[{i}].weekday"), "names a day twice")
        }
        seen.insert(w);
        if !(1..=MAX_MEALS_PER_DAY).contains(&d.meals) {
            c.fail(
                format!("schedule[{i}].meals"),
                format!("must be 1 to {MAX_MEALS_PER_DAY}"),
            );
        }
    }
}

/// Checks one hold given alone (the body of `…/holds`).
pub fn validate_hold(h: &Suspension) -> Result<(), Invalid> {
    let mut c = Checks::default();
    h.check(&mut c, "");
    c.done()
}

impl MealRecipient {
    /// The plan of `input`, its diets sorted once so every list reads alike.
    pub fn of(id: Id, org: Id, input: &MealRecipientInput) -> Self {
        let mut diets = input.diets.clone();
        diets.sort();
        diets.dedup();
        Self {
            id,
            organisation_id: org,
            person_id: input.person_id,
            window: input.window,
            schedule: input.schedule.clone(),
            starts_on: input.starts_on,
            diets,
            priority: input.priority,
            notes: input.notes.clone(),
            preferred_volunteer_id: input.preferred_volunteer_id,
            holds: input.holds.clone(),
            active: input.active,
        }
    }

    /// The schedule's entry for `weekday`.
    pub fn day(&self, weekday: Weekday) -> Option<&MealDay> {
        self.schedule
            .iter()
            .find(|d| d.weekday.weekday() == weekday)
    }

    /// The week as a standing order's recurrence, so holds, holidays and
    /// closing days are read exactly as for rides.
    fn recurrence(&self) -> Recurrence {
        Recurrence {
            weekdays: self.schedule.iter().map(|d| d.weekday.weekday()).collect(),
            starts_on: self.starts_on,
            ends_on: None,
            exceptions: Default::default(),
        }
    }

    /// Whether a meal goes out on `date`, else why not.
    pub fn occurs_on(&self, calendar: &Calendar, date: NaiveDate) -> Occurrence {
        occurs_on(&self.recurrence(), &self.holds, calendar, date)
    }

    /// The day's meal, when one goes out on `date`.
    pub fn serves(&self, calendar: &Calendar, date: NaiveDate) -> Option<&MealDay> {
        if !self.active || self.occurs_on(calendar, date) != Occurrence::Ride {
            return None;
        }
        self.day(date.weekday())
    }

    /// What the driver reads at the door: the diets first, then the notes.
    pub fn door_notes(&self) -> Option<String> {
        let diets = (!self.diets.is_empty()).then(|| format!("diete: {}", self.diets.join(", ")));
        match (diets, &self.notes) {
            (Some(d), Some(n)) => Some(format!("{d}. {n}")),
            (Some(d), None) => Some(d),
            (None, n) => n.clone(),
        }
    }

    /// The booking of `date`'s meal: from the kitchen to the recipient's
    /// home, to be handed over in the window. No limit of its own: the
    /// kitchen-to-door rule is applied to every hot meal when planning.
    pub fn request_for(
        &self,
        day: &MealDay,
        date: NaiveDate,
        (centre, home): (Id, Id),
        settings: &MealSettings,
    ) -> RequestInput {
        RequestInput {
            organisation_id: Some(self.organisation_id),
            date,
            kind: RequestKind::Meal,
            person_id: Some(self.person_id),
            from_place_id: centre,
            to_place_id: home,
            pickup_at: None,
            appointment: None,
            window_at: Some(WindowAt::Dropoff),
            window: Some(self.window),
            companions: None,
            load: Some(BTreeMap::from([(
                settings.boxes.of(day.meal_type).to_string(),
                day.meals,
            )])),
            skills: Vec::new(),
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: None,
            purpose: None,
            notes: self.door_notes(),
            status: RequestStatus::Active,
        }
    }
}

/// Solver priority of a priority recipient's meal against the default: a
/// meal left out costs this many times more, so when capacity is short the
/// search drops others first.
pub const PRIORITY_FACTOR: f64 = 10.0;

/// What a recipient's preferred volunteer is worth to the planner, in km: a
/// meal goes with another driver only when that saves more than this (the
/// driver the person knows is also the day's check that all is well).
pub const PREFERRED_VOLUNTEER_KM: f64 = 3.0;

/// The limits the planner puts on a meal request, whoever booked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MealLimits {
    /// Longest minutes from the kitchen to the door (hot meals).
    pub max_ride_minutes: Option<u32>,
    /// No meal leaves the kitchen before it is ready.
    pub leaves_after: super::Clock,
}

/// The kitchen-to-door rule: a hot meal (one in the hot boxes' dimension)
/// reaches the door within the settings' limit, or the request's own when
/// tighter; other meals keep their own limit, if any. Every meal leaves
/// the kitchen at its ready time or later.
pub fn limits(
    settings: &MealSettings,
    load: &BTreeMap<String, u32>,
    own: Option<u32>,
) -> MealLimits {
    let hot = load.get(&settings.boxes.hot).is_some_and(|&n| n > 0);
    let max_ride_minutes = match (hot, own) {
        (true, Some(m)) => Some(m.min(settings.hot_max_minutes)),
        (true, None) => Some(settings.hot_max_minutes),
        (false, own) => own,
    };
    MealLimits {
        max_ride_minutes,
        leaves_after: settings.ready_at,
    }
}

#[cfg(test)]
mod tests;
