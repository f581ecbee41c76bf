//! The report of a date range (`domain::report`): reads the requests with
//! their lifecycles, the published routes with the drivers' events, the
//! meal days, the surplus collected and the fees (`service::fees`, the one
//! fee rule), and has the domain count them. A member's report is its own
//! association's; a planner's the whole town's or the association named.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::distances::{self, PlaceKm};
use super::{AppState, ServiceError};
use crate::domain::fees;
use crate::domain::report::{
    self, DonorFacts, MealFacts, Report, ReportInput, ReportQuery, RequestFacts, RouteFacts,
    Service, StopReport,
};
use crate::domain::{Id, RequestKind, StopKey};
use crate::store::{Scope, StoreError};

/// What was asked: the range, an association, a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ask {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub organisation_id: Option<Id>,
    pub service: Option<Service>,
}

/// The association the report covers: the one named, which must be in
/// the caller's scope (otherwise 404 naming `organisation_id`, so a member
/// learns nothing of another association); a member's own by default.
async fn organisation(
    state: &AppState,
    scope: Scope,
    asked: Option<Id>,
) -> Result<Option<Id>, ServiceError> {
    match (asked, scope) {
        (Some(id), _) => match state.store.organisation(scope, id).await {
            Ok(_) => Ok(Some(id)),
            Err(StoreError::NotFound(_)) => {
                Err(ServiceError::NotFound(format!("organisation_id {id}")))
            }
            Err(e) => Err(e.into()),
        },
        (None, Scope::Organisation(own)) => Ok(Some(own)),
        (None, Scope::All) => Ok(None),
    }
}

/// The published routes of the range with each stop's events and the
/// planned kilometres of each leg.
async fn routes(
    state: &AppState,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RouteFacts>, ServiceError> {
    let store = &state.store;
    let events = store.events_between(from, to).await?;
    let points = distances::points(&store.places(Scope::All).await?);
    let mut out = Vec::new();
    for date in store.published_dates(from, to).await? {
        let Some(plan) = store.published_plan(date).await? else {
            continue;
        };
        let mut by_key: HashMap<StopKey, Vec<StopReport>> = HashMap::new();
        for e in events.get(&date).into_iter().flatten() {
            by_key.entry(e.key).or_default().push(StopReport {
                kind: e.kind,
                at: e.at,
            });
        }
        let places: BTreeSet<Id> = plan
            .routes
            .iter()
            .flat_map(|r| r.stops.iter().map(|s| s.place_id))
            .collect();
        let distances = PlaceKm::over(state, &points, places).await?;
        for r in plan.routes {
            out.push(RouteFacts {
                date,
                route_id: r.id,
                volunteer_id: r.volunteer_id,
                planned_km: r.distance_km,
                planned_minutes: r.end_min - r.start_min,
                legs_km: r
                    .stops
                    .windows(2)
                    .map(|w| distances.km(w[0].place_id, w[1].place_id))
                    .collect(),
                stops: r
                    .stops
                    .iter()
                    .map(|s| by_key.get(&s.key).cloned().unwrap_or_default())
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// The meal days of the dates with meal requests among `requests`.
async fn meals(
    state: &AppState,
    requests: &[RequestFacts],
) -> Result<Vec<MealFacts>, ServiceError> {
    let dates: BTreeSet<NaiveDate> = requests
        .iter()
        .filter(|r| r.kind == RequestKind::Meal)
        .map(|r| r.date)
        .collect();
    let mut out = Vec::new();
    for date in dates {
        for row in state.store.meal_days(date).await?.into_values() {
            if let Some(request_id) = row.request_id {
                out.push(MealFacts {
                    request_id,
                    meal_type: row.meal_type,
                    meals: row.meals,
                    diets: row.diets,
                });
            }
        }
    }
    Ok(out)
}

/// The report `ask` in `scope`: `to` not before `from` and at most 366
/// days (`domain::fees::check_range`, naming `to`).
pub async fn report(state: &AppState, scope: Scope, ask: Ask) -> Result<Report, ServiceError> {
    fees::check_range(ask.from, ask.to)?;
    let organisation_id = organisation(state, scope, ask.organisation_id).await?;
    let q = ReportQuery {
        from: ask.from,
        to: ask.to,
        organisation_id,
        service: ask.service,
    };
    let scope = organisation_id.map_or(Scope::All, Scope::Organisation);
    let store = &state.store;
    let shows = |s: Service| ask.service.is_none_or(|x| x == s);
    let requests: Vec<RequestFacts> = store
        .requests_between(scope, q.from, q.to)
        .await?
        .into_iter()
        .map(|r| RequestFacts {
            id: r.id,
            date: r.date,
            kind: r.kind,
            organisation_id: r.organisation_id,
            person_id: r.person_id,
            lifecycle: r.lifecycle,
        })
        .collect();
    let whole_town = organisation_id.is_none();
    let mut input = ReportInput {
        organisations: store
            .organisations(Scope::All)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect(),
        meals: if shows(Service::Meals) {
            meals(state, &requests).await?
        } else {
            Vec::new()
        },
        requests,
        ..ReportInput::default()
    };
    if whole_town {
        input.routes = routes(state, q.from, q.to).await?;
        input.volunteers = store
            .volunteers()
            .await?
            .into_iter()
            .map(|v| (v.id, v.name))
            .collect::<BTreeMap<_, _>>();
        if shows(Service::Surplus) {
            input.donors = store
                .donors()
                .await?
                .into_iter()
                .map(|d| DonorFacts {
                    donor_id: d.id,
                    name: d.name,
                })
                .collect();
            input.collected = store.collected(q.from, q.to).await?;
        }
    }
    if shows(Service::Rides) {
        input.fees = super::fees::report(state, scope, q.from, q.to).await?.trips;
    }
    Ok(report::report(q, &input))
}
