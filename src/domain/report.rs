//! The report of a date range: what each service did, per association; the
//! driving, planned and as the drivers reported it; each volunteer's hours;
//! the meals by type and diet; the kilograms of surplus per donor; the fees
//! due per association. Pure: the service layer reads the records, this
//! counts them.
//!
//! **Planned** figures are the published plans' routes: their `distance_km`
//! and `end_min − start_min` (depot to depot).
//!
//! **From driver events** means, for one route of a published plan:
//! - minutes: from the earliest to the latest event (`at`, any kind)
//!   reported on the route's stops; a route with fewer than two events
//!   counts 0;
//! - km: the planned legs (stop to next stop, in the route's order, the
//!   depot legs left out) whose both ends were reported visited — an event
//!   other than `skipped` (`done`, `arrived`, `no_show`); a route with no
//!   such pair of stops counts 0 km.
//!
//! A route with no events counts 0 from events and is counted in
//! `routes_without_events`, so the gap to the planned figures reads as
//! "not reported", not as "not driven".

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::fees::TripFee;
use super::meals::MealType;
use super::person::str_enum;
use super::{Id, Lifecycle, RequestKind, StopEventKind, UnassignedReason};

/// The three services, as a clerk names them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Rides,
    Meals,
    Surplus,
}

str_enum!(Service { Rides => "rides", Meals => "meals", Surplus => "surplus" });

impl Service {
    pub const ALL: [Service; 3] = [Service::Rides, Service::Meals, Service::Surplus];

    pub fn of(kind: RequestKind) -> Self {
        match kind {
            RequestKind::Ride => Self::Rides,
            RequestKind::Meal => Self::Meals,
            RequestKind::Collection => Self::Surplus,
        }
    }

    pub fn kind(self) -> RequestKind {
        match self {
            Self::Rides => RequestKind::Ride,
            Self::Meals => RequestKind::Meal,
            Self::Surplus => RequestKind::Collection,
        }
    }
}

/// What the report covers: a range, perhaps one association, one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReportQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub organisation_id: Option<Id>,
    pub service: Option<Service>,
}

impl ReportQuery {
    fn shows(&self, s: Service) -> bool {
        self.service.is_none_or(|x| x == s)
    }

    /// Driving, volunteers and donors belong to the whole town: shown when
    /// no association is named.
    fn whole_town(&self) -> bool {
        self.organisation_id.is_none()
    }
}

/// A request of the range, as it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestFacts {
    pub id: Id,
    pub date: NaiveDate,
    pub kind: RequestKind,
    pub organisation_id: Id,
    pub person_id: Option<Id>,
    pub lifecycle: Lifecycle,
}

/// One event on a stop of a route.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopReport {
    pub kind: StopEventKind,
    pub at: DateTime<Utc>,
}

/// A route of a published plan with what was reported on its stops.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteFacts {
    pub date: NaiveDate,
    pub route_id: Id,
    pub volunteer_id: Option<Id>,
    pub planned_km: f64,
    pub planned_minutes: f64,
    /// Per stop, in the route's order, the events reported on it.
    pub stops: Vec<Vec<StopReport>>,
    /// `legs_km[i]`: from stop `i` to stop `i + 1`.
    pub legs_km: Vec<f64>,
}

/// A generated meal day: its request, how many meals, of which type, diets.
#[derive(Debug, Clone, PartialEq)]
pub struct MealFacts {
    pub request_id: Id,
    pub meal_type: MealType,
    pub meals: u32,
    pub diets: Vec<String>,
}

/// A surplus pickup reported done, with its kg (`domain::surplus::Collected`).
#[derive(Debug, Clone, PartialEq)]
pub struct DonorFacts {
    pub donor_id: Id,
    pub name: String,
}

/// Everything the report is counted from.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub organisations: BTreeMap<Id, String>,
    pub volunteers: BTreeMap<Id, String>,
    pub requests: Vec<RequestFacts>,
    pub routes: Vec<RouteFacts>,
    pub meals: Vec<MealFacts>,
    pub donors: Vec<DonorFacts>,
    pub collected: Vec<super::surplus::Collected>,
    pub fees: Vec<TripFee>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReasonCount {
    pub reason: UnassignedReason,
    pub count: u32,
}

/// How the requests of one service ended (or stand).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Outcomes {
    pub requests: u32,
    pub completed: u32,
    /// Cancelled in good time.
    pub cancelled: u32,
    pub cancelled_late: u32,
    pub no_show: u32,
    pub turned_down: u32,
    /// Not over yet: requested, scheduled, on board, waiting for a call.
    pub open: u32,
    /// Different people with a completed request.
    pub people_served: u32,
    /// Why the turned-down ones did not fit, most frequent first.
    pub turned_down_reasons: Vec<ReasonCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ServiceFigures {
    pub service: Service,
    #[serde(flatten)]
    pub outcomes: Outcomes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OrganisationFigures {
    pub organisation_id: Id,
    pub name: String,
    pub services: Vec<ServiceFigures>,
}

/// One route's driving, planned and from the events.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RouteDriving {
    pub date: NaiveDate,
    pub route_id: Id,
    pub volunteer_id: Option<Id>,
    /// To 0.1 km.
    pub planned_km: f64,
    pub planned_minutes: i64,
    pub event_km: f64,
    pub event_minutes: i64,
    pub events: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Driving {
    pub routes: u32,
    pub routes_without_events: u32,
    pub planned_km: f64,
    pub planned_minutes: i64,
    pub event_km: f64,
    pub event_minutes: i64,
    pub by_route: Vec<RouteDriving>,
}

/// A volunteer's hours at the wheel; `volunteer_id` null: routes with no
/// volunteer named.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VolunteerHours {
    pub volunteer_id: Option<Id>,
    pub name: String,
    pub routes: u32,
    pub planned_minutes: i64,
    pub event_minutes: i64,
}

/// Meals booked (not cancelled) and delivered (the drop-off reported done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MealCount {
    pub meal_type: MealType,
    pub booked: u32,
    pub delivered: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DietCount {
    pub diet: String,
    pub booked: u32,
    pub delivered: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DonorKg {
    pub donor_id: Id,
    pub name: String,
    pub pickups: u32,
    /// To the gram.
    pub kg: f64,
}

/// Fees due by an association for its completed rides (`domain::fees`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OrganisationFee {
    pub organisation_id: Id,
    pub name: String,
    pub trips: u32,
    pub cents: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Report {
    #[serde(flatten)]
    pub query: ReportQuery,
    /// Per service over the associations shown.
    pub services: Vec<ServiceFigures>,
    /// Per association with requests in the range.
    pub organisations: Vec<OrganisationFigures>,
    /// Whole town only (no `organisation_id`): null otherwise.
    pub driving: Option<Driving>,
    pub volunteers: Vec<VolunteerHours>,
    pub meals: Vec<MealCount>,
    pub diets: Vec<DietCount>,
    pub donors: Vec<DonorKg>,
    pub fees: Vec<OrganisationFee>,
    pub fees_total_cents: u64,
}

// `+ 0.0` turns a negative zero (an empty f64 sum is -0.0) into 0, which
// would otherwise read "-0.0" in the JSON, the CSV and the charts.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0 + 0.0
}

fn grams(kg: f64) -> f64 {
    (kg * 1000.0).round() / 1000.0 + 0.0
}

fn outcomes<'a>(requests: impl Iterator<Item = &'a RequestFacts>) -> Outcomes {
    let mut o = Outcomes::default();
    let mut people = BTreeSet::new();
    let mut reasons: BTreeMap<&str, ReasonCount> = BTreeMap::new();
    for r in requests {
        o.requests += 1;
        match r.lifecycle {
            Lifecycle::Completed => {
                o.completed += 1;
                people.extend(r.person_id);
            }
            Lifecycle::Cancelled => o.cancelled += 1,
            Lifecycle::CancelledLate => o.cancelled_late += 1,
            Lifecycle::NoShow => o.no_show += 1,
            Lifecycle::TurnedDown { reason } => {
                o.turned_down += 1;
                reasons
                    .entry(reason.as_str())
                    .or_insert(ReasonCount { reason, count: 0 })
                    .count += 1;
            }
            Lifecycle::Requested
            | Lifecycle::WaitingCall
            | Lifecycle::Scheduled { .. }
            | Lifecycle::OnBoard => o.open += 1,
        }
    }
    o.people_served = people.len() as u32;
    o.turned_down_reasons = reasons.into_values().collect();
    o.turned_down_reasons
        .sort_by_key(|c| std::cmp::Reverse(c.count));
    o
}

fn per_service(q: &ReportQuery, requests: &[&RequestFacts]) -> Vec<ServiceFigures> {
    Service::ALL
        .into_iter()
        .filter(|s| q.shows(*s))
        .map(|service| ServiceFigures {
            service,
            outcomes: outcomes(
                requests
                    .iter()
                    .copied()
                    .filter(|r| Service::of(r.kind) == service),
            ),
        })
        .collect()
}

/// One route's driving (see the module's definition of "from events").
pub fn route_driving(r: &RouteFacts) -> RouteDriving {
    let times = r.stops.iter().flatten().map(|e| e.at);
    let minutes = match (times.clone().min(), times.max()) {
        (Some(a), Some(b)) => ((b - a).num_seconds() as f64 / 60.0).round() as i64,
        _ => 0,
    };
    let visited: Vec<bool> = r
        .stops
        .iter()
        .map(|s| s.iter().any(|e| e.kind != StopEventKind::Skipped))
        .collect();
    let km: f64 = r
        .legs_km
        .iter()
        .enumerate()
        .filter(|(i, _)| visited.get(*i) == Some(&true) && visited.get(i + 1) == Some(&true))
        .map(|(_, k)| k)
        .sum();
    RouteDriving {
        date: r.date,
        route_id: r.route_id,
        volunteer_id: r.volunteer_id,
        planned_km: tenth(r.planned_km),
        planned_minutes: r.planned_minutes.round() as i64,
        event_km: tenth(km),
        event_minutes: minutes,
        events: r.stops.iter().map(|s| s.len() as u32).sum(),
    }
}

fn driving(routes: &[RouteFacts]) -> Driving {
    let by_route: Vec<RouteDriving> = routes.iter().map(route_driving).collect();
    Driving {
        routes: by_route.len() as u32,
        routes_without_events: by_route.iter().filter(|r| r.events == 0).count() as u32,
        planned_km: tenth(by_route.iter().map(|r| r.planned_km).sum()),
        planned_minutes: by_route.iter().map(|r| r.planned_minutes).sum(),
        event_km: tenth(by_route.iter().map(|r| r.event_km).sum()),
        event_minutes: by_route.iter().map(|r| r.event_minutes).sum(),
        by_route,
    }
}

fn volunteers(d: &Driving, names: &BTreeMap<Id, String>) -> Vec<VolunteerHours> {
    let mut by: BTreeMap<Option<Id>, VolunteerHours> = BTreeMap::new();
    for r in &d.by_route {
        let v = by.entry(r.volunteer_id).or_insert_with(|| VolunteerHours {
            volunteer_id: r.volunteer_id,
            name: r
                .volunteer_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            routes: 0,
            planned_minutes: 0,
            event_minutes: 0,
        });
        v.routes += 1;
        v.planned_minutes += r.planned_minutes;
        v.event_minutes += r.event_minutes;
    }
    by.into_values().collect()
}

fn meals(
    requests: &BTreeMap<Id, &RequestFacts>,
    list: &[MealFacts],
) -> (Vec<MealCount>, Vec<DietCount>) {
    let mut types: BTreeMap<&str, MealCount> = BTreeMap::new();
    let mut diets: BTreeMap<&str, DietCount> = BTreeMap::new();
    for m in list {
        let Some(r) = requests.get(&m.request_id) else {
            continue;
        };
        if matches!(r.lifecycle, Lifecycle::Cancelled | Lifecycle::CancelledLate) {
            continue;
        }
        let delivered = if r.lifecycle == Lifecycle::Completed {
            m.meals
        } else {
            0
        };
        let t = types.entry(m.meal_type.as_str()).or_insert(MealCount {
            meal_type: m.meal_type,
            booked: 0,
            delivered: 0,
        });
        t.booked += m.meals;
        t.delivered += delivered;
        for diet in &m.diets {
            let d = diets.entry(diet).or_insert_with(|| DietCount {
                diet: diet.clone(),
                booked: 0,
                delivered: 0,
            });
            d.booked += m.meals;
            d.delivered += delivered;
        }
    }
    (types.into_values().collect(), diets.into_values().collect())
}

fn donors(list: &[DonorFacts], collected: &[super::surplus::Collected]) -> Vec<DonorKg> {
    list.iter()
        .map(|d| {
            let mine = collected.iter().filter(|c| c.donor_id == d.donor_id);
            DonorKg {
                donor_id: d.donor_id,
                name: d.name.clone(),
                pickups: mine.clone().count() as u32,
                kg: grams(mine.filter_map(|c| c.kg).sum()),
            }
        })
        .collect()
}

fn fees(trips: &[TripFee], names: &BTreeMap<Id, String>) -> Vec<OrganisationFee> {
    let mut by: BTreeMap<Id, OrganisationFee> = BTreeMap::new();
    for t in trips {
        let f = by
            .entry(t.organisation_id)
            .or_insert_with(|| OrganisationFee {
                organisation_id: t.organisation_id,
                name: names.get(&t.organisation_id).cloned().unwrap_or_default(),
                trips: 0,
                cents: 0,
            });
        f.trips += 1;
        f.cents += u64::from(t.fee_cents);
    }
    by.into_values().collect()
}

/// The report of `q` from `input`. The input may hold more than `q` asks
/// (other associations, dates outside the range): only what `q` covers counts.
pub fn report(q: ReportQuery, input: &ReportInput) -> Report {
    let in_range = |d: NaiveDate| d >= q.from && d <= q.to;
    let in_org = |o: Id| q.organisation_id.is_none_or(|x| x == o);
    let requests: Vec<&RequestFacts> = input
        .requests
        .iter()
        .filter(|r| in_range(r.date) && in_org(r.organisation_id))
        .collect();
    let orgs: BTreeSet<Id> = requests.iter().map(|r| r.organisation_id).collect();
    let organisations = orgs
        .into_iter()
        .map(|o| OrganisationFigures {
            organisation_id: o,
            name: input.organisations.get(&o).cloned().unwrap_or_default(),
            services: per_service(
                &q,
                &requests
                    .iter()
                    .copied()
                    .filter(|r| r.organisation_id == o)
                    .collect::<Vec<_>>(),
            ),
        })
        .collect();
    let routes: Vec<RouteFacts> = input
        .routes
        .iter()
        .filter(|r| in_range(r.date))
        .cloned()
        .collect();
    let driving = q.whole_town().then(|| driving(&routes));
    let volunteers = driving
        .as_ref()
        .map(|d| volunteers(d, &input.volunteers))
        .unwrap_or_default();
    let by_id: BTreeMap<Id, &RequestFacts> = requests.iter().map(|r| (r.id, *r)).collect();
    let (meals, diets) = if q.shows(Service::Meals) {
        meals(&by_id, &input.meals)
    } else {
        Default::default()
    };
    let donors = if q.shows(Service::Surplus) && q.whole_town() {
        let collected: Vec<_> = input
            .collected
            .iter()
            .filter(|c| in_range(c.date))
            .cloned()
            .collect();
        donors(&input.donors, &collected)
    } else {
        Vec::new()
    };
    let fees = if q.shows(Service::Rides) {
        let trips: Vec<TripFee> = input
            .fees
            .iter()
            .filter(|t| in_range(t.date) && in_org(t.organisation_id))
            .cloned()
            .collect();
        fees(&trips, &input.organisations)
    } else {
        Vec::new()
    };
    Report {
        services: per_service(&q, &requests),
        organisations,
        driving,
        volunteers,
        meals,
        diets,
        donors,
        fees_total_cents: fees.iter().map(|f| f.cents).sum(),
        fees,
        query: q,
    }
}

#[cfg(test)]
mod tests;
