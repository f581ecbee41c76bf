//! The fees of the completed rides of a range: the rider's eligibility and
//! the planners' rules (`domain::fees`) on the kilometres the published plan
//! had the rider on board; a member sees only its association's riders.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::distances::{self, PlaceKm};
use super::{AppState, ServiceError};
use crate::domain::eligibility::Eligibility;
use crate::domain::fees::{self, FeeReport, TripFee};
use crate::domain::{Id, Lifecycle, Request};
use crate::store::Scope;
use crate::travel::Point;

/// Planned kilometres of each completed ride of one date: on board in the
/// published plan's route, or from its pickup straight to its drop-off when
/// no published route carries it (completed on a superseded revision).
async fn planned_km(
    state: &AppState,
    date: NaiveDate,
    rides: &[&Request],
    points: &HashMap<Id, Point>,
) -> Result<HashMap<Id, f64>, ServiceError> {
    let plan = state.store.published_plan(date).await?;
    let routes: Vec<_> = plan.map(|p| p.routes).unwrap_or_default();
    let carrying = |id: Id| {
        routes
            .iter()
            .find(|r| r.stops.iter().any(|s| s.request_id == id))
    };
    let mut places: BTreeSet<Id> = BTreeSet::new();
    for r in rides {
        places.extend([r.from_place_id, r.to_place_id]);
        if let Some(route) = carrying(r.id) {
            places.extend(route.stops.iter().map(|s| s.place_id));
        }
    }
    let distances = PlaceKm::over(state, points, places).await?;
    let km = |a: Id, b: Id| distances.km(a, b);
    Ok(rides
        .iter()
        .map(|r| {
            let on_board =
                carrying(r.id).and_then(|route| fees::planned_km(&route.stops, r.id, km));
            let direct = || km(r.from_place_id, r.to_place_id);
            (r.id, on_board.unwrap_or_else(direct))
        })
        .collect())
}

/// The completed rides of `from..=to` in `scope` with their fees.
pub async fn report(
    state: &AppState,
    scope: Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FeeReport, ServiceError> {
    fees::check_range(from, to)?;
    let store = &state.store;
    let rides = store.rides_between(scope, from, to).await?;
    let completed: Vec<&Request> = rides
        .iter()
        .filter(|r| r.lifecycle == Lifecycle::Completed && r.person_id.is_some())
        .collect();
    let rules = store.fee_rules().await?;
    let eligibility = store.eligibilities().await?;
    let people: HashMap<Id, String> = store
        .people(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let all_places = store.places(Scope::All).await?;
    let names: HashMap<Id, String> = all_places.iter().map(|p| (p.id, p.name.clone())).collect();
    let points = distances::points(&all_places);
    let mut by_date: BTreeMap<NaiveDate, Vec<&Request>> = BTreeMap::new();
    for r in &completed {
        by_date.entry(r.date).or_default().push(r);
    }
    let mut trips = Vec::with_capacity(completed.len());
    for (date, rides) in by_date {
        let km = planned_km(state, date, &rides, &points).await?;
        for r in rides {
            let person = r.person_id.unwrap_or_default();
            let e = eligibility
                .get(&person)
                .cloned()
                .unwrap_or_else(|| Eligibility::undeclared(person));
            let km = (km.get(&r.id).copied().unwrap_or(0.0) * 10.0).round() / 10.0;
            let (basis, tariff) = rules.tariff(&e);
            trips.push(TripFee {
                request_id: r.id,
                date,
                organisation_id: r.organisation_id,
                person_id: person,
                person: people.get(&person).cloned().unwrap_or_default(),
                from: names.get(&r.from_place_id).cloned().unwrap_or_default(),
                to: names.get(&r.to_place_id).cloned().unwrap_or_default(),
                km,
                isee_band: e.isee_band,
                l104: e.l104,
                social_plan: e.social_plan,
                basis,
                tariff: tariff.kind(),
                fee_cents: tariff.cents(km),
            });
        }
    }
    let total_cents = trips.iter().map(|t| u64::from(t.fee_cents)).sum();
    Ok(FeeReport {
        from,
        to,
        trips,
        total_cents,
    })
}
