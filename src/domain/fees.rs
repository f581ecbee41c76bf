//! What a completed trip costs the rider: the one home of the fee rule.
//! A social worker's plan or a recognised disability (as the planners
//! choose) make it free; otherwise the rider's ISEE band picks the tariff:
//! free, a fixed sum per trip, or a rate per planned kilometre with a
//! minimum. Money is in euro cents, so sums are exact.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::eligibility::{Eligibility, IseeBand, L104};
use super::plan::{PlanStop, Role};
use super::{Checks, Id, Invalid};

/// How the trips of one band are charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Tariff {
    Free,
    /// The same sum for every trip.
    Fixed {
        #[schema(maximum = 10000)]
        cents: u32,
    },
    /// A rate per planned kilometre, never less than `minimum_cents`.
    PerKm {
        #[schema(maximum = 1000)]
        cents_per_km: u32,
        #[schema(maximum = 10000)]
        minimum_cents: u32,
    },
}

/// The tariff's kind, as the fee list reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TariffKind {
    Free,
    Fixed,
    PerKm,
}

impl Tariff {
    pub fn kind(self) -> TariffKind {
        match self {
            Self::Free => TariffKind::Free,
            Self::Fixed { .. } => TariffKind::Fixed,
            Self::PerKm { .. } => TariffKind::PerKm,
        }
    }

    /// The fee of a trip of `km` planned kilometres, rounded to the cent.
    pub fn cents(self, km: f64) -> u32 {
        match self {
            Self::Free => 0,
            Self::Fixed { cents } => cents,
            Self::PerKm {
                cents_per_km,
                minimum_cents,
            } => {
                let by_km = (km.max(0.0) * f64::from(cents_per_km)).round();
                // Bounded by the schema's limits: 1000 c/km over any road trip fits.
                (by_km.min(f64::from(u32::MAX)) as u32).max(minimum_cents)
            }
        }
    }
}

impl TariffKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Fixed => "fixed",
            Self::PerKm => "per_km",
        }
    }
}

/// Which recognition of L.104/1992 makes a trip free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum L104Free {
    /// None: the ISEE band decides.
    Never,
    /// Art. 3 comma 3 (grave) only.
    Grave,
    /// Any recognition, comma 1 or 3.
    Any,
}

/// Why a trip costs what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// Free: a social worker's plan.
    SocialPlan,
    /// Free: a recognition under L.104/1992.
    L104,
    /// The tariff of the rider's ISEE band.
    IseeBand,
}

impl FeeBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SocialPlan => "social_plan",
            Self::L104 => "l104",
            Self::IseeBand => "isee_band",
        }
    }
}

/// The fee rules the planners set (`/api/v1/fees/rules`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeRules {
    /// The low ISEE band goes up to this many euro ...
    #[schema(minimum = 1, maximum = 200000)]
    pub isee_low_up_to_eur: u32,
    /// ... the middle band up to this many (above the low threshold).
    #[schema(minimum = 1, maximum = 200000)]
    pub isee_middle_up_to_eur: u32,
    /// Riders followed by a social worker's plan ride free.
    pub free_with_social_plan: bool,
    pub free_with_l104: L104Free,
    pub low: Tariff,
    pub middle: Tariff,
    pub high: Tariff,
    /// No ISEE declared.
    pub unknown: Tariff,
}

impl Default for FeeRules {
    /// The thresholds of common municipal tariffs; free in the lowest band,
    /// with a plan or a grave disability; a fixed 2 € in the middle band;
    /// 0.50 €/km with a 2 € minimum above it or without an ISEE.
    fn default() -> Self {
        let per_km = Tariff::PerKm {
            cents_per_km: 50,
            minimum_cents: 200,
        };
        Self {
            isee_low_up_to_eur: 9_360,
            isee_middle_up_to_eur: 20_000,
            free_with_social_plan: true,
            free_with_l104: L104Free::Grave,
            low: Tariff::Free,
            middle: Tariff::Fixed { cents: 200 },
            high: per_km,
            unknown: per_km,
        }
    }
}

impl FeeRules {
    /// The limits the schema states, checked again for other callers, and the
    /// thresholds in order.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        for (field, v) in [
            ("isee_low_up_to_eur", self.isee_low_up_to_eur),
            ("isee_middle_up_to_eur", self.isee_middle_up_to_eur),
        ] {
            c.require(
                (1..=200_000).contains(&v),
                field,
                "must be between 1 and 200000",
            );
        }
        c.require(
            self.isee_middle_up_to_eur > self.isee_low_up_to_eur,
            "isee_middle_up_to_eur",
            "must be above isee_low_up_to_eur",
        );
        for (field, t) in [
            ("low", self.low),
            ("middle", self.middle),
            ("high", self.high),
            ("unknown", self.unknown),
        ] {
            match t {
                Tariff::Free => {}
                Tariff::Fixed { cents } => {
                    c.require(cents <= 10_000, &format!("{field}.cents"), "at most 10000")
                }
                Tariff::PerKm {
                    cents_per_km,
                    minimum_cents,
                } => {
                    c.require(
                        cents_per_km <= 1_000,
                        &format!("{field}.cents_per_km"),
                        "at most 1000",
                    );
                    c.require(
                        minimum_cents <= 10_000,
                        &format!("{field}.minimum_cents"),
                        "at most 10000",
                    );
                }
            }
        }
        c.done()
    }

    /// The tariff a rider's trips follow, and why.
    pub fn tariff(&self, e: &Eligibility) -> (FeeBasis, Tariff) {
        let l104_free = match self.free_with_l104 {
            L104Free::Never => false,
            L104Free::Grave => e.l104 == L104::Art3C3,
            L104Free::Any => e.l104 != L104::None,
        };
        if self.free_with_social_plan && e.social_plan {
            return (FeeBasis::SocialPlan, Tariff::Free);
        }
        if l104_free {
            return (FeeBasis::L104, Tariff::Free);
        }
        let t = match e.isee_band {
            IseeBand::Low => self.low,
            IseeBand::Middle => self.middle,
            IseeBand::High => self.high,
            IseeBand::Unknown => self.unknown,
        };
        (FeeBasis::IseeBand, t)
    }
}

/// The kilometres a rider travels as planned: the legs of the route from
/// the stop of the pickup to the stop of the drop-off, `km(from, to)`
/// between places. `None` when the route does not carry the request.
pub fn planned_km(stops: &[PlanStop], request: Id, km: impl Fn(Id, Id) -> f64) -> Option<f64> {
    let at = |role| {
        stops
            .iter()
            .position(|s| s.request_id == request && s.role == role)
    };
    let (p, d) = (at(Role::Pickup)?, at(Role::Dropoff)?);
    if d < p {
        return None;
    }
    Some(
        stops[p..=d]
            .windows(2)
            .map(|w| km(w[0].place_id, w[1].place_id))
            .sum(),
    )
}

/// One completed trip and its fee.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TripFee {
    pub request_id: Id,
    pub date: NaiveDate,
    pub organisation_id: Id,
    pub person_id: Id,
    pub person: String,
    pub from: String,
    pub to: String,
    /// Planned kilometres on board, to 0.1 km.
    pub km: f64,
    pub isee_band: IseeBand,
    pub l104: L104,
    pub social_plan: bool,
    pub basis: FeeBasis,
    pub tariff: TariffKind,
    pub fee_cents: u32,
}

/// The completed trips of a range and what they cost.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FeeReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub trips: Vec<TripFee>,
    pub total_cents: u64,
}

/// Longest range one report covers: a year and a day.
pub const MAX_FEE_DAYS: i64 = 366;

/// The range of a report: `to` not before `from`, at most `MAX_FEE_DAYS` days.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), Invalid> {
    if to < from {
        return Err(Invalid::one("to", "must not be before from"));
    }
    if (to - from).num_days() >= MAX_FEE_DAYS {
        return Err(Invalid::one(
            "to",
            format!("the range may span at most {MAX_FEE_DAYS} days"),
        ));
    }
    Ok(())
}

/// Euro with two decimals, for lists and files: 250 → "2.50".
pub fn euro(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Clock, StopKey};

    fn rider(band: IseeBand, l104: L104, plan: bool) -> Eligibility {
        Eligibility {
            person_id: 1,
            isee_band: band,
            l104,
            social_plan: plan,
            plan_reference: plan.then(|| "PI-1".into()),
        }
    }

    #[test]
    fn a_plan_or_a_grave_disability_or_the_low_band_ride_free() {
        let r = FeeRules::default();
        let fee = |e: &Eligibility, km| {
            let (basis, t) = r.tariff(e);
            (basis, t.kind(), t.cents(km))
        };
        use IseeBand::{High, Low, Middle, Unknown};
        assert_eq!(
            fee(&rider(High, L104::None, true), 12.0),
            (FeeBasis::SocialPlan, TariffKind::Free, 0)
        );
        assert_eq!(
            fee(&rider(Unknown, L104::Art3C3, false), 12.0),
            (FeeBasis::L104, TariffKind::Free, 0)
        );
        assert_eq!(
            fee(&rider(Low, L104::None, false), 12.0),
            (FeeBasis::IseeBand, TariffKind::Free, 0)
        );
        assert_eq!(
            fee(&rider(Middle, L104::Art3C1, false), 12.0),
            (FeeBasis::IseeBand, TariffKind::Fixed, 200),
            "comma 1 is not grave: the band decides"
        );
        assert_eq!(
            fee(&rider(High, L104::None, false), 12.34),
            (FeeBasis::IseeBand, TariffKind::PerKm, 617)
        );
        assert_eq!(
            fee(&rider(Unknown, L104::None, false), 1.0),
            (FeeBasis::IseeBand, TariffKind::PerKm, 200),
            "the minimum"
        );
    }

    #[test]
    fn the_planners_choose_what_makes_a_trip_free() {
        use IseeBand::High;
        let mut r = FeeRules {
            free_with_social_plan: false,
            free_with_l104: L104Free::Any,
            ..FeeRules::default()
        };
        assert_eq!(
            r.tariff(&rider(High, L104::None, true)).0,
            FeeBasis::IseeBand
        );
        assert_eq!(
            r.tariff(&rider(High, L104::Art3C1, false)),
            (FeeBasis::L104, Tariff::Free)
        );
        r.free_with_l104 = L104Free::Never;
        assert_eq!(
            r.tariff(&rider(High, L104::Art3C3, false)).0,
            FeeBasis::IseeBand
        );
    }

    #[test]
    fn rules_name_the_field_at_fault() {
        assert!(FeeRules::default().validate().is_ok());
        let mut r = FeeRules {
            isee_middle_up_to_eur: 9_000,
            ..FeeRules::default()
        };
        assert_eq!(
            r.validate().unwrap_err().0[0].field,
            "isee_middle_up_to_eur"
        );
        r = FeeRules {
            high: Tariff::PerKm {
                cents_per_km: 5_000,
                minimum_cents: 0,
            },
            ..FeeRules::default()
        };
        assert_eq!(r.validate().unwrap_err().0[0].field, "high.cents_per_km");
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(check_range(day("2026-01-01"), day("2026-12-31")).is_ok());
        assert_eq!(
            check_range(day("2026-02-01"), day("2026-01-31"))
                .unwrap_err()
                .0[0]
                .field,
            "to"
        );
        assert!(check_range(day("2026-01-01"), day("2027-01-02")).is_err());
        assert_eq!(euro(1205), "12.05");
    }

    fn stop(request: Id, role: Role, place: Id) -> PlanStop {
        PlanStop {
            id: 0,
            key: StopKey::new(request, role),
            seq: 0,
            request_id: request,
            role,
            place_id: place,
            arrival_min: 0.0,
            start_min: 0.0,
            departure_min: 0.0,
            time: Clock(0),
        }
    }

    #[test]
    fn the_planned_km_are_the_legs_on_board() {
        // 1 is picked up at place 10, 2 at 20; 1 is dropped at 30, 2 at 40.
        let stops = [
            stop(1, Role::Pickup, 10),
            stop(2, Role::Pickup, 20),
            stop(1, Role::Dropoff, 30),
            stop(2, Role::Dropoff, 40),
        ];
        // km between places: the difference of their numbers, in tenths.
        let km = |a: Id, b: Id| (b - a).abs() as f64 / 10.0;
        assert_eq!(planned_km(&stops, 1, km), Some(2.0));
        assert_eq!(planned_km(&stops, 2, km), Some(2.0));
        assert_eq!(planned_km(&stops, 3, km), None);
    }
}
