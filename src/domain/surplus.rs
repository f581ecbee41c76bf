//! Food surplus (L. 166/2016): the shops and canteens that give what they
//! cannot sell, the days and window they give it, what kind of food it is,
//! and the place that receives it. The one home of the surplus rules:
//! which food needs the cold chain (a refrigerated vehicle and a longest
//! time from the donor's door to the unloading), that cooked food comes only
//! from a donor that can blast-chill it, and how the kilograms the drivers
//! enter add up to each donor's yearly figures. The store, the generation of
//! each day's pickups and the planner ask this module.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::recurrence::occurs_on;
use super::{
    Calendar, Checks, Id, Invalid, Occurrence, Recurrence, RequestInput, RequestKind,
    RequestStatus, WeekdaySet, Window, WindowAt, MAX_KG,
};

/// What the food is, as far as keeping it safe on the way goes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FoodKind {
    /// Bread, fruit and vegetables, tins, dry goods: no cold chain.
    Ambient,
    /// Dairy, fresh meat and fish, ready meals kept at 0–4 °C.
    Chilled,
    /// Kept at −18 °C.
    Frozen,
    /// Cooked and not served (a canteen's leftovers), blast-chilled by the
    /// donor before it is collected.
    Cooked,
}

str_enum!(FoodKind { Ambient => "ambient", Chilled => "chilled", Frozen => "frozen", Cooked => "cooked" });

impl FoodKind {
    /// Whether the food travels in the cold chain.
    pub fn cold_chain(self) -> bool {
        self != Self::Ambient
    }
}

/// The vehicle skill the cold chain asks for (a refrigerated box or van).
pub const REFRIGERATED: &str = "refrigerated";

/// The load dimension a collection fills.
pub const KG: &str = "kg";

/// Minutes from the donor's door to the unloading for chilled food. The
/// cold chain holds 0–4 °C; a refrigerated box on a small van keeps that
/// for the length of a town round, but each opening at a stop warms it, and
/// the Italian guidelines for food donation (Ministero della Salute, 2018)
/// ask that transport be as short as possible. An hour covers the longest
/// leg in a municipality of this size with margin, and is what a charity's
/// receiving centre can check against its log.
pub const DEFAULT_CHILLED_MAX_MINUTES: u32 = 60;

/// Frozen food: the same hour. The volunteers' refrigerated vans hold
/// chilled temperatures (eutectic plates, small units), not −18 °C, so
/// frozen food in them warms like chilled food and gets no longer.
pub const DEFAULT_FROZEN_MAX_MINUTES: u32 = 60;

/// Cooked food, blast-chilled by the donor to +3 °C: as chilled food, since
/// from then on it is kept like it.
pub const DEFAULT_COOKED_MAX_MINUTES: u32 = 60;

/// The places that may receive the food: a distribution centre, a charity's
/// pantry, or the meal centre that cooks and hands it on.
pub const RECEIVING_KINDS: [&str; 3] = ["distribution_centre", "charity", "meal_centre"];

/// The place kind a donor gives at.
pub const DONOR_KIND: &str = "donor";

/// The service's surplus settings, kept in `store::settings` like the meal
/// settings: the longest time each cold-chain food may travel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurplusSettings {
    /// Minutes from the donor to the unloading for chilled food.
    #[schema(minimum = 5, maximum = 240)]
    pub chilled_max_minutes: u32,
    /// The same for frozen food.
    #[schema(minimum = 5, maximum = 240)]
    pub frozen_max_minutes: u32,
    /// The same for blast-chilled cooked food.
    #[schema(minimum = 5, maximum = 240)]
    pub cooked_max_minutes: u32,
}

impl Default for SurplusSettings {
    fn default() -> Self {
        Self {
            chilled_max_minutes: DEFAULT_CHILLED_MAX_MINUTES,
            frozen_max_minutes: DEFAULT_FROZEN_MAX_MINUTES,
            cooked_max_minutes: DEFAULT_COOKED_MAX_MINUTES,
        }
    }
}

impl SurplusSettings {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        for (field, m) in [
            ("chilled_max_minutes", self.chilled_max_minutes),
            ("frozen_max_minutes", self.frozen_max_minutes),
            ("cooked_max_minutes", self.cooked_max_minutes),
        ] {
            if !(5..=240).contains(&m) {
                c.fail(field, "must be 5 to 240 minutes");
            }
        }
        c.done()
    }

    /// The longest minutes `food` may travel; none without the cold chain.
    pub fn max_minutes(&self, food: FoodKind) -> Option<u32> {
        match food {
            FoodKind::Ambient => None,
            FoodKind::Chilled => Some(self.chilled_max_minutes),
            FoodKind::Frozen => Some(self.frozen_max_minutes),
            FoodKind::Cooked => Some(self.cooked_max_minutes),
        }
    }
}

/// A donor as written: everything but the id.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonorInput {
    /// Where the food is picked up: a place of kind `donor`, one donor each.
    pub place_id: Id,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// When the food may be picked up.
    pub window: Window,
    /// The days it gives: at least one.
    pub weekdays: WeekdaySet,
    /// What it gives, in words (bread and pastries, the canteen's lunch).
    #[schema(min_length = 1, max_length = 500)]
    pub gives: String,
    pub food: FoodKind,
    /// Kilograms expected at each pickup (what the vehicle must hold).
    #[schema(exclusive_minimum = 0, maximum = 5000)]
    pub expected_kg: f64,
    /// Where the food goes: a public distribution centre, charity or meal centre.
    pub receiving_place_id: Id,
    /// The donor can blast-chill cooked food; required for `cooked`.
    #[serde(default)]
    pub blast_chiller: bool,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Donor {
    pub id: Id,
    pub place_id: Id,
    pub name: String,
    pub window: Window,
    pub weekdays: WeekdaySet,
    pub gives: String,
    pub food: FoodKind,
    pub expected_kg: f64,
    pub receiving_place_id: Id,
    pub blast_chiller: bool,
    pub active: bool,
    pub notes: Option<String>,
}

impl DonorInput {
    /// The checks that need no database, each fault named by its field.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.text("name", &self.name, 200);
        c.window("window", &self.window);
        if self.weekdays.is_empty() {
            c.fail("weekdays", "must name at least one day");
        }
        c.text("gives", &self.gives, 500);
        if !(self.expected_kg.is_finite() && self.expected_kg > 0.0 && self.expected_kg <= MAX_KG) {
            c.fail(
                "expected_kg",
                format!("must be above 0 and at most {MAX_KG} kg"),
            );
        }
        c.require(
            self.receiving_place_id != self.place_id,
            "receiving_place_id",
            "must differ from the donor's place",
        );
        if self.food == FoodKind::Cooked && !self.blast_chiller {
            c.fail(
                "blast_chiller",
                "cooked food is accepted only from a donor that can blast-chill it",
            );
        }
        c.optional_text("notes", &self.notes, 1000);
        c.done()
    }
}

impl Donor {
    pub fn of(id: Id, input: &DonorInput) -> Self {
        Self {
            id,
            place_id: input.place_id,
            name: input.name.clone(),
            window: input.window,
            weekdays: input.weekdays,
            gives: input.gives.clone(),
            food: input.food,
            expected_kg: input.expected_kg,
            receiving_place_id: input.receiving_place_id,
            blast_chiller: input.blast_chiller,
            active: input.active,
            notes: input.notes.clone(),
        }
    }

    /// The donor's days as a standing order's recurrence, so holidays and
    /// closing days are read exactly as for rides and meals.
    fn recurrence(&self) -> Recurrence {
        Recurrence {
            weekdays: self.weekdays,
            starts_on: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
            ends_on: None,
            exceptions: Default::default(),
        }
    }

    /// Whether the donor gives on `date`, else why not.
    pub fn occurs_on(&self, calendar: &Calendar, date: NaiveDate) -> Occurrence {
        occurs_on(&self.recurrence(), &[], calendar, date)
    }

    /// Whether a pickup is due on `date`.
    pub fn gives_on(&self, calendar: &Calendar, date: NaiveDate) -> bool {
        self.active && self.occurs_on(calendar, date) == Occurrence::Ride
    }

    /// What the driver reads at the door: what is given, then the notes.
    pub fn door_notes(&self) -> String {
        let what = format!("{} ({})", self.gives, self.food.as_str());
        match &self.notes {
            Some(n) if !n.trim().is_empty() => format!("{what}. {n}"),
            _ => what,
        }
    }

    /// The booking of `date`'s pickup for `org` (the municipality): from the
    /// donor to the receiving place, picked up in the window, the expected
    /// kilograms as its load. No skill or limit of its own: the cold-chain
    /// rule is applied to every collection from the donor when planning.
    pub fn request_for(&self, org: Id, date: NaiveDate) -> RequestInput {
        RequestInput {
            organisation_id: Some(org),
            date,
            kind: RequestKind::Collection,
            person_id: None,
            from_place_id: self.place_id,
            to_place_id: self.receiving_place_id,
            pickup_at: None,
            appointment: None,
            window_at: Some(WindowAt::Pickup),
            window: Some(self.window),
            companions: None,
            load: Some(BTreeMap::from([(
                KG.to_string(),
                load_kg(self.expected_kg),
            )])),
            skills: Vec::new(),
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: None,
            purpose: None,
            notes: Some(self.door_notes()),
            status: RequestStatus::Active,
        }
    }
}

/// Whole kilograms of room for `kg` (at least one).
pub fn load_kg(kg: f64) -> u32 {
    (kg.ceil() as u32).max(1)
}

/// The limits the planner puts on a collection, whoever booked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionLimits {
    /// A skill the vehicle must have (the cold chain's `refrigerated`).
    pub skill: Option<&'static str>,
    /// Longest minutes from the donor to the unloading.
    pub max_ride_minutes: Option<u32>,
}

/// The cold-chain rule: a collection from a donor whose food needs the cold
/// chain rides only in a refrigerated vehicle and is unloaded within the
/// settings' limit for its food (or the request's own, when tighter). A
/// collection from no known donor keeps its own terms.
pub fn limits(
    settings: &SurplusSettings,
    donor: Option<&Donor>,
    own: Option<u32>,
) -> CollectionLimits {
    let rule = donor.and_then(|d| settings.max_minutes(d.food));
    CollectionLimits {
        skill: rule.map(|_| REFRIGERATED),
        max_ride_minutes: match (rule, own) {
            (Some(r), Some(o)) => Some(r.min(o)),
            (r, o) => r.or(o),
        },
    }
}

/// The donor that gives at `place`, if any.
pub fn donor_at(donors: &[Donor], place: Id) -> Option<&Donor> {
    donors.iter().find(|d| d.place_id == place)
}

/// One pickup the driver reported done: the date, and the kilograms entered
/// (none when the driver left the field empty).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Collected {
    pub donor_id: Id,
    pub date: NaiveDate,
    pub kg: Option<f64>,
}

/// One month of a donor's pickups.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonthFigures {
    /// 1 to 12.
    pub month: u32,
    pub pickups: u32,
    pub kg: f64,
}

/// A donor's year, for the donation records.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DonorFigures {
    pub donor_id: Id,
    pub name: String,
    pub food: FoodKind,
    /// Pickups the driver reported done.
    pub pickups: u32,
    /// Kilograms the drivers entered on those pickups.
    pub kg: f64,
    /// Twelve months, January first.
    pub months: Vec<MonthFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SurplusFigures {
    pub year: i32,
    pub donors: Vec<DonorFigures>,
    pub pickups: u32,
    pub kg: f64,
}

/// Kilograms to the gram, so sums read as the drivers entered them.
fn grams(kg: f64) -> f64 {
    (kg * 1000.0).round() / 1000.0
}

/// Each donor's year from the pickups reported done (one per pickup), every
/// donor listed, those with nothing collected at zero.
pub fn figures(year: i32, donors: &[Donor], collected: &[Collected]) -> SurplusFigures {
    let mut out = SurplusFigures {
        year,
        donors: Vec::with_capacity(donors.len()),
        pickups: 0,
        kg: 0.0,
    };
    for d in donors {
        let mut months: Vec<MonthFigures> = (1..=12)
            .map(|month| MonthFigures {
                month,
                pickups: 0,
                kg: 0.0,
            })
            .collect();
        for c in collected
            .iter()
            .filter(|c| c.donor_id == d.id && c.date.year() == year)
        {
            let m = &mut months[c.date.month0() as usize];
            m.pickups += 1;
            m.kg += c.kg.unwrap_or(0.0);
        }
        for m in &mut months {
            m.kg = grams(m.kg);
        }
        let pickups = months.iter().map(|m| m.pickups).sum();
        let kg = grams(months.iter().map(|m| m.kg).sum());
        out.pickups += pickups;
        out.kg += kg;
        out.donors.push(DonorFigures {
            donor_id: d.id,
            name: d.name.clone(),
            food: d.food,
            pickups,
            kg,
            months,
        });
    }
    out.kg = grams(out.kg);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Clock;

    fn input(food: FoodKind) -> DonorInput {
        DonorInput {
            place_id: 1,
            name: "Forno".into(),
            window: Window::new(Clock(10 * 60), Clock(11 * 60)),
            weekdays: [chrono::Weekday::Mon, chrono::Weekday::Thu]
                .into_iter()
                .collect(),
            gives: "pane".into(),
            food,
            expected_kg: 12.5,
            receiving_place_id: 2,
            blast_chiller: false,
            active: true,
            notes: None,
        }
    }

    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn cooked_food_needs_a_blast_chiller_and_each_fault_names_its_field() {
        assert!(input(FoodKind::Chilled).validate().is_ok());
        let cooked = input(FoodKind::Cooked);
        assert_eq!(fields(cooked.validate().unwrap_err()), ["blast_chiller"]);
        let chilled_ok = DonorInput {
            blast_chiller: true,
            ..cooked
        };
        assert!(chilled_ok.validate().is_ok());
        let bad = DonorInput {
            window: Window::new(Clock(11 * 60), Clock(10 * 60)),
            weekdays: WeekdaySet::EMPTY,
            expected_kg: -1.0,
            ..input(FoodKind::Ambient)
        };
        assert_eq!(
            fields(bad.validate().unwrap_err()),
            ["window.end", "weekdays", "expected_kg"]
        );
    }

    #[test]
    fn the_cold_chain_asks_for_a_refrigerated_vehicle_and_the_tighter_limit() {
        let s = SurplusSettings::default();
        let chilled = Donor::of(1, &input(FoodKind::Chilled));
        let ambient = Donor::of(2, &input(FoodKind::Ambient));
        let l = limits(&s, Some(&chilled), None);
        assert_eq!(l.skill, Some(REFRIGERATED));
        assert_eq!(l.max_ride_minutes, Some(DEFAULT_CHILLED_MAX_MINUTES));
        assert_eq!(
            limits(&s, Some(&chilled), Some(30)).max_ride_minutes,
            Some(30)
        );
        assert_eq!(
            limits(&s, Some(&chilled), Some(90)).max_ride_minutes,
            Some(60)
        );
        let l = limits(&s, Some(&ambient), Some(90));
        assert_eq!((l.skill, l.max_ride_minutes), (None, Some(90)));
        assert_eq!(limits(&s, None, None).skill, None);
    }

    #[test]
    fn figures_add_each_donors_pickups_by_month_within_the_year() {
        let d = Donor::of(7, &input(FoodKind::Ambient));
        let other = Donor::of(8, &input(FoodKind::Ambient));
        let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let got = figures(
            2026,
            &[d, other],
            &[
                Collected {
                    donor_id: 7,
                    date: day(2026, 3, 2),
                    kg: Some(10.25),
                },
                Collected {
                    donor_id: 7,
                    date: day(2026, 3, 5),
                    kg: Some(4.5),
                },
                Collected {
                    donor_id: 7,
                    date: day(2026, 11, 5),
                    kg: None,
                },
                Collected {
                    donor_id: 7,
                    date: day(2025, 3, 5),
                    kg: Some(100.0),
                },
            ],
        );
        let f = &got.donors[0];
        assert_eq!((f.pickups, f.kg), (3, 14.75));
        assert_eq!((f.months[2].pickups, f.months[2].kg), (2, 14.75));
        assert_eq!(f.months[10].pickups, 1);
        assert_eq!((got.donors[1].pickups, got.donors[1].kg), (0, 0.0));
        assert_eq!((got.pickups, got.kg), (3, 14.75));
    }

    #[test]
    fn a_pickup_is_due_on_its_weekdays_unless_inactive() {
        let d = Donor::of(1, &input(FoodKind::Ambient));
        let cal = Calendar::default();
        let mon = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(d.gives_on(&cal, mon));
        assert!(!d.gives_on(&cal, mon.succ_opt().unwrap()));
        let off = Donor { active: false, ..d };
        assert!(!off.gives_on(&cal, mon));
    }
}
