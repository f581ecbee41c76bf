//! The kitchen's lists of a date: the production list from the day's meal
//! requests, the packing list from the newest plan's routes. A member sees
//! its association's meals only.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::ServiceError;
use crate::domain::meals::{MealType, PackingLine, PackingList, ProductionList};
use crate::domain::{Id, Request, RequestKind, RequestStatus, StopRole};
use crate::store::{MealDayRow, Scope, Store, StoreError};

/// Type, count and diets of each meal request of `date` in `scope`: as
/// generated for a recipient, or read from the load when booked alone.
async fn meals_of(
    store: &Store,
    scope: Scope,
    date: NaiveDate,
) -> Result<Vec<(Request, Option<MealType>, u32, Vec<String>)>, ServiceError> {
    let settings = store.meal_settings().await?;
    let generated: HashMap<Id, MealDayRow> = store
        .meal_days(date)
        .await?
        .into_values()
        .filter_map(|d| Some((d.request_id?, d)))
        .collect();
    let requests = store.requests(scope, Some(date)).await?;
    Ok(requests
        .into_iter()
        .filter(|r| r.kind == RequestKind::Meal && r.status == RequestStatus::Active)
        .map(|r| match generated.get(&r.id) {
            Some(d) => (r, Some(d.meal_type), d.meals, d.diets.clone()),
            None => {
                let t = settings.boxes.type_of(&r.load);
                let n = t.map_or(0, |t| {
                    r.load.get(settings.boxes.of(t)).copied().unwrap_or(0)
                });
                (r, t, n, Vec::new())
            }
        })
        .collect())
}

/// What the kitchen cooks on `date`: every meal booked and not cancelled.
pub async fn production(
    store: &Store,
    scope: Scope,
    date: NaiveDate,
) -> Result<ProductionList, ServiceError> {
    let meals = meals_of(store, scope, date).await?;
    Ok(ProductionList::of(
        date,
        meals
            .into_iter()
            .filter_map(|(_, t, n, diets)| Some((t?, diets, n))),
    ))
}

/// The meals of each route of `date`'s newest plan, in stop order.
pub async fn packing(
    store: &Store,
    scope: Scope,
    date: NaiveDate,
) -> Result<PackingList, ServiceError> {
    let plan = match store.plan(date, None).await {
        Ok(p) => p,
        Err(StoreError::NotFound(_)) => {
            return Ok(PackingList {
                date,
                revision: None,
                lines: Vec::new(),
            })
        }
        Err(e) => return Err(e.into()),
    };
    let meals: BTreeMap<Id, _> = meals_of(store, scope, date)
        .await?
        .into_iter()
        .map(|m| (m.0.id, m))
        .collect();
    let vehicles: HashMap<Id, String> = store
        .vehicles()
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let people: HashMap<Id, String> = store
        .people(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut lines = Vec::new();
    for route in &plan.routes {
        for stop in route.stops.iter().filter(|s| s.role == StopRole::Dropoff) {
            let Some((r, meal_type, meals, diets)) = meals.get(&stop.request_id) else {
                continue;
            };
            lines.push(PackingLine {
                route_id: route.id,
                vehicle_name: vehicles.get(&route.vehicle_id).cloned().unwrap_or_default(),
                stop_seq: stop.seq,
                time: stop.time,
                request_id: r.id,
                person_id: r.person_id,
                recipient: r
                    .person_id
                    .and_then(|p| people.get(&p).cloned())
                    .unwrap_or_default(),
                meal_type: *meal_type,
                meals: *meals,
                diets: diets.clone(),
                notes: r.notes.clone(),
            });
        }
    }
    Ok(PackingList {
        date,
        revision: Some(plan.revision),
        lines,
    })
}

/// The volunteer a meal recipient asked for, beside the stop that brings
/// the meal: for the kitchen's packing list and the drivers' route sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferred {
    pub volunteer_id: Id,
    pub name: String,
}

impl Preferred {
    /// Whether a route driven by `driver` (none when nobody drives it yet)
    /// is driven by someone else than the preferred volunteer.
    pub fn elsewhere(&self, driver: Option<Id>) -> bool {
        driver != Some(self.volunteer_id)
    }
}

/// The preferred volunteer of each meal request of `date` generated for a
/// recipient who names one, by request id.
pub async fn preferred_volunteers(
    store: &Store,
    date: NaiveDate,
) -> Result<HashMap<Id, Preferred>, ServiceError> {
    let wanted = store.meal_wishes(date).await?.preferred_volunteers;
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let names: HashMap<Id, String> = store
        .volunteers()
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    Ok(wanted
        .into_iter()
        .map(|(request_id, volunteer_id)| {
            let name = names.get(&volunteer_id).cloned().unwrap_or_default();
            (request_id, Preferred { volunteer_id, name })
        })
        .collect())
}
