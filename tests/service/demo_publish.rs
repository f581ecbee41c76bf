//! `giro demo` publishes its plan and hands out the drivers' links, so a
//! driver who signs in sees a route at once.

use giro::domain::Role;
use giro::service::drivers;
use reqwest::StatusCode;

use super::support::TestApp;

#[tokio::test]
async fn the_demo_publishes_and_its_drivers_see_their_routes() {
    let app = TestApp::spawn().await;
    let solve = giro::api::solve_now(&app.state, app.date, 1.5, 1)
        .await
        .unwrap();
    assert_eq!(solve.status, giro::store::SolveStatus::Done);
    // What `giro demo` runs after its solve.
    let published = giro::demo::publish(&app.store, &app.demo).await.unwrap();
    let plan = app.store.published_plan(app.date).await.unwrap().unwrap();
    assert_eq!(plan.revision, published.revision);
    let drivers_in_demo = app
        .demo
        .logins
        .iter()
        .filter(|l| l.role == Role::Driver)
        .count();
    assert_eq!(published.drivers.len(), drivers_in_demo);
    let busy: Vec<_> = published.drivers.iter().filter(|d| d.stops > 0).collect();
    assert!(!busy.is_empty(), "some demo driver has a route");
    for d in &published.drivers {
        let linked = drivers::user_for_link(&app.store, &d.token)
            .await
            .unwrap()
            .expect("each demo driver's link resolves");
        assert_eq!(linked.user.email, d.email);
        let session = app.login(&d.email).await;
        let (s, m) = app
            .get(&session, &format!("/api/v1/manifest?date={}", app.date))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(m["revision"], published.revision);
        let stops: usize = m["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["stops"].as_array().unwrap().len())
            .sum();
        assert_eq!(stops, d.stops, "{}: the manifest shows the route", d.email);
    }

    // The day's surplus pickups: the cold-chain ones (the dairy, the
    // canteen's blast-chilled food) ride only in the refrigerated car.
    let planner = app.login_as(Role::Dispatcher).await;
    let (_, donors) = app.get(&planner, "/api/v1/donors").await;
    let cold: Vec<i64> = donors
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["food"] != "ambient")
        .map(|d| d["place_id"].as_i64().unwrap())
        .collect();
    assert_eq!(cold.len(), 2, "{donors}");
    let (_, vehicles) = app.get(&planner, "/api/v1/vehicles").await;
    let fridge: Vec<i64> = vehicles
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            v["skills"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "refrigerated")
        })
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(fridge.len(), 1);
    let (_, day) = app
        .get(&planner, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let cold_pickups: Vec<i64> = day
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["kind"] == "collection" && cold.contains(&r["from_place_id"].as_i64().unwrap())
        })
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(cold_pickups.len(), 2);
    let (_, plan) = app
        .get(&planner, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(plan["figures"]["feasible"], true, "{}", plan["figures"]);
    // The day's meals go out over two or three of its vehicles.
    let meals: Vec<i64> = day
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "meal")
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let mut meal_vehicles: Vec<i64> = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|route| {
            route["stops"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| meals.contains(&s["request_id"].as_i64().unwrap()))
        })
        .map(|route| route["vehicle_id"].as_i64().unwrap())
        .collect();
    meal_vehicles.sort_unstable();
    meal_vehicles.dedup();
    assert!((2..=3).contains(&meal_vehicles.len()), "{meal_vehicles:?}");
    for route in plan["routes"].as_array().unwrap() {
        for stop in route["stops"].as_array().unwrap() {
            if cold_pickups.contains(&stop["request_id"].as_i64().unwrap()) {
                assert!(
                    fridge.contains(&route["vehicle_id"].as_i64().unwrap()),
                    "{route}"
                );
            }
        }
    }
}
