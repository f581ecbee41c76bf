//! The core's checker run on a plan the API returned, from the day rebuilt
//! out of the database: what the tests of plans and rides assert against.

use chrono::NaiveDate;
use giro::planning::{self, Built, Day};
use giro::solver::check::check;
use giro::solver::Solution;
use giro::store::Scope;
use serde_json::Value;

use super::support::TestApp;

/// The day's problem and the plan as a solver solution, after the checker
/// accepted it; every active request is routed or unassigned with a reason.
pub async fn check_plan(app: &TestApp, plan: &Value) -> (Built, Solution) {
    check_plan_on(app, app.date, plan).await
}

/// As `check_plan`, for another date than the app's.
pub async fn check_plan_on(app: &TestApp, date: NaiveDate, plan: &Value) -> (Built, Solution) {
    let store = &app.store;
    let requests = store.requests(Scope::All, Some(date)).await.unwrap();
    let places = store.places(Scope::All).await.unwrap();
    let people = store.people(Scope::All).await.unwrap();
    let vehicles = store.vehicles().await.unwrap();
    let shifts = store.shifts(Some(date)).await.unwrap();
    let organisations = store.organisations(Scope::All).await.unwrap();
    let blocks = store.vehicle_blocks(Scope::All, Some(date)).await.unwrap();
    let policy = store.ride_policy().await.unwrap();
    let meals = store.meal_settings().await.unwrap();
    let wishes = store.meal_wishes(date).await.unwrap();
    let (priority_meals, preferred_volunteers) = (wishes.priority, wishes.preferred_volunteers);
    let surplus = store.surplus_settings().await.unwrap();
    let donors = store.donors().await.unwrap();
    let day = Day {
        date,
        policy: &policy,
        requests: &requests,
        places: &places,
        people: &people,
        vehicles: &vehicles,
        shifts: &shifts,
        organisations: &organisations,
        blocks: &blocks,
        meals: &meals,
        priority_meals: &priority_meals,
        preferred_volunteers: &preferred_volunteers,
        surplus: &surplus,
        donors: &donors,
    };
    let (ids, points) = planning::locations(&day).unwrap();
    let matrix = app.state.travel.matrix(&points).await.unwrap();
    let built = planning::build(&day, &ids, &matrix).unwrap();
    let stored = store
        .plan_by_id(plan["id"].as_i64().unwrap())
        .await
        .unwrap();
    let solution = planning::to_solution(&built, &stored).unwrap();
    let report = check(&built.problem, &solution);
    assert!(report.is_feasible(), "checker: {:#?}", report.violations);
    let routed: usize = stored.routes.iter().map(|r| r.stops.len()).sum();
    assert_eq!(routed / 2 + stored.unassigned.len(), built.jobs.len());
    (built, solution)
}
