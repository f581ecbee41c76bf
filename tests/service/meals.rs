//! Meals on wheels through the API: recipients' weeks and holds turned into
//! the day's meals, diets carried to the kitchen's lists and the door, the
//! kitchen-to-door rule and the ready time on every hot meal, second trips,
//! priority recipients first, bad input named with nothing written.

use std::collections::BTreeSet;

use giro::domain::{OrgKind, Role};
use giro::store::{Actor, Scope};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::html::element;
use super::support::{f, route_with, As, TestApp};

/// The demo day with one meal car on duty and nothing booked: each test
/// books its own meals.
pub(super) struct Kitchen {
    pub(super) planner: As,
    pub(super) org: i64,
    centre: i64,
    /// The car's driver (a volunteer with a login).
    pub(super) driver: i64,
    /// Municipality people and their homes, nearest the kitchen first.
    pub(super) people: Vec<(i64, i64)>,
}

pub(super) async fn kitchen(app: &TestApp) -> Kitchen {
    app.quiet().await;
    app.without_generators().await;
    let org = app
        .store
        .organisations(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.kind == OrgKind::Municipality)
        .unwrap()
        .id;
    let places = app.store.places(Scope::All).await.unwrap();
    let centre = places
        .iter()
        .find(|p| p.organisation_id.is_none() && p.kind == "meal_centre")
        .unwrap();
    let car = meal_cars(app).await.into_iter().next().unwrap();
    let mut driver = None;
    for s in app.store.shifts(Some(app.date)).await.unwrap() {
        if s.vehicle_id == car.id && driver.is_none() {
            driver = s.volunteer_id;
        } else {
            app.store.delete_shift(Actor(None), s.id).await.unwrap();
        }
    }
    let far = |home: i64| {
        let p = places.iter().find(|p| p.id == home).unwrap();
        (p.lat - centre.lat).powi(2) + (p.lon - centre.lon).powi(2)
    };
    let mut people: Vec<(i64, i64)> = app
        .store
        .people(Scope::Organisation(org))
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.home_place_id))
        .collect();
    people.sort_by(|a, b| far(a.1).total_cmp(&far(b.1)));
    Kitchen {
        planner: app.login_as(Role::Dispatcher).await,
        org,
        centre: centre.id,
        driver: driver.expect("the demo car's shift has a driver"),
        people,
    }
}

/// Monday to Friday from 2 November 2026, `meals` hot meals a day.
pub(super) fn recipient(k: &Kitchen, person: i64, window: (&str, &str), meals: u32) -> Value {
    let days: Vec<Value> = ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| json!({"weekday": d, "meals": meals, "meal_type": "hot"}))
        .collect();
    json!({
        "organisation_id": k.org, "person_id": person,
        "window": {"start": window.0, "end": window.1},
        "schedule": days, "starts_on": "2026-11-02"
    })
}

pub(super) async fn create(app: &TestApp, k: &Kitchen, body: Value) -> i64 {
    let (s, r) = app.post(&k.planner, "/api/v1/meal-recipients", body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    r["id"].as_i64().unwrap()
}

/// Generates `date`'s meals; recipient → request booked.
pub(super) async fn generate(app: &TestApp, k: &Kitchen, date: &str) -> Vec<(i64, i64)> {
    let (s, done) = app
        .post(
            &k.planner,
            &format!("/api/v1/meals/{date}/generate"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["failed"], json!([]), "{done}");
    done["booked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["recipient_id"].as_i64().unwrap(),
                b["request_id"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The request a recipient got in a generation.
/// The vehicles with a layout for hot boxes.
async fn meal_cars(app: &TestApp) -> Vec<giro::domain::Vehicle> {
    let mut cars = app.store.vehicles().await.unwrap();
    cars.retain(|v| {
        v.layouts
            .iter()
            .any(|l| l.capacity.contains_key("hot_boxes"))
    });
    cars
}

fn request_of(booked: &[(i64, i64)], recipient: i64) -> i64 {
    booked.iter().find(|b| b.0 == recipient).expect("booked").1
}

/// The pickup and drop-off stops of `request` in the plan, with its route.
fn stops(plan: &Value, request: i64) -> Option<(&Value, &Value, &Value)> {
    for route in plan["routes"].as_array().unwrap() {
        let of = |role: &str| {
            route["stops"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["request_id"] == request && s["role"] == role)
        };
        if let (Some(p), Some(d)) = (of("pickup"), of("dropoff")) {
            return Some((route, p, d));
        }
    }
    None
}

/// The plan's verdict is clean, and the checker, run again on the day as
/// the store holds it, agrees.
async fn assert_clean(app: &TestApp, plan: &Value) {
    assert_eq!(plan["figures"]["feasible"], true, "{}", plan["figures"]);
    assert_eq!(
        plan["figures"]["violations"],
        json!([]),
        "{}",
        plan["figures"]
    );
    super::checked::check_plan(app, plan).await;
}

#[tokio::test]
async fn a_recipient_on_hold_gets_no_meal_until_the_resume_date_and_then_again() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (person, _) = k.people[0];
    let id = create(&app, &k, recipient(&k, person, ("11:30", "13:00"), 1)).await;
    let (s, held) = app
        .post(
            &k.planner,
            &format!("/api/v1/meal-recipients/{id}/holds"),
            json!({"from": "2026-11-24", "resume_on": "2026-11-26", "reason": "in ospedale"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{held}");
    assert_eq!(held["holds"][0]["resume_on"], "2026-11-26");
    let mut served = BTreeSet::new();
    for date in [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ] {
        if generate(&app, &k, date).await.iter().any(|b| b.0 == id) {
            served.insert(date);
        }
    }
    assert_eq!(
        served,
        BTreeSet::from(["2026-11-23", "2026-11-26", "2026-11-27"])
    );
    // Once per day: a second run books nothing.
    assert_eq!(generate(&app, &k, "2026-11-23").await, vec![]);
    // Christmas is no service day even without a hold.
    assert_eq!(generate(&app, &k, "2026-12-25").await, vec![]);
}

#[tokio::test]
async fn a_diet_reaches_the_production_list_the_packing_list_and_the_stop() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (person, _) = k.people[1];
    let mut body = recipient(&k, person, ("11:30", "13:00"), 2);
    body["diets"] = json!(["morbido", "diabetico"]);
    body["notes"] = json!("citofono 3");
    let id = create(&app, &k, body).await;
    let (plain, _) = k.people[2];
    create(&app, &k, recipient(&k, plain, ("11:30", "13:00"), 1)).await;
    let booked = generate(&app, &k, &app.date.to_string()).await;
    let request = request_of(&booked, id);

    let (s, prod) = app
        .get(
            &k.planner,
            &format!("/api/v1/meals/{}/production", app.date),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{prod}");
    assert_eq!(prod["total"], 3, "{prod}");
    assert_eq!(
        prod["lines"],
        json!([{"meal_type": "hot", "diets": [], "meals": 1},
               {"meal_type": "hot", "diets": ["diabetico", "morbido"], "meals": 2}])
    );
    let (s, ct, csv) = app
        .get_text(
            &k.planner,
            &format!("/api/v1/meals/{}/production?format=csv", app.date),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(
        csv.contains(&format!("{},hot,diabetico+morbido,2\r\n", app.date)),
        "{csv}"
    );

    let plan = app.solve(&k.planner, 2.0).await;
    assert_clean(&app, &plan).await;
    let (route, _, drop) = stops(&plan, request).expect("the meal is planned");
    let (s, packing) = app
        .get(&k.planner, &format!("/api/v1/meals/{}/packing", app.date))
        .await;
    assert_eq!(s, StatusCode::OK, "{packing}");
    let line = packing["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["request_id"] == request)
        .expect("a packing line for the meal");
    assert_eq!(line["route_id"], route["id"]);
    assert_eq!(line["stop_seq"], drop["seq"]);
    assert_eq!(
        (line["meal_type"].clone(), line["meals"].clone()),
        (json!("hot"), json!(2))
    );
    assert_eq!(line["diets"], json!(["diabetico", "morbido"]));
    assert_eq!(line["notes"], "diete: diabetico, morbido. citofono 3");
    let (_, _, csv) = app
        .get_text(
            &k.planner,
            &format!("/api/v1/meals/{}/packing", app.date),
            Some("text/csv"),
        )
        .await;
    assert!(
        csv.contains(",hot,2,diabetico+morbido,\"diete: diabetico, morbido. citofono 3\"\r\n"),
        "{csv}"
    );

    // The driver reads it at the door.
    app.publish_newest(&k.planner).await;
    let (_, driver) = app.driver_of(k.driver).await;
    let (s, manifest) = app
        .get(&driver, &format!("/api/v1/manifest?date={}", app.date))
        .await;
    assert_eq!(s, StatusCode::OK, "{manifest}");
    let stop = manifest["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .find(|s| s["key"] == format!("{request}-dropoff"))
        .expect("the door on the driver's route");
    assert!(
        stop["request_notes"]
            .as_str()
            .unwrap()
            .contains("diabetico, morbido"),
        "{stop}"
    );
    // ... and on the page the driver reads at the door.
    let (s, _, body) =
        super::driver_page::page(&app, Some(&driver), &format!("/driver?date={}", app.date)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let door = element(&body, &format!("stop-{request}-dropoff"), "</li>");
    assert!(
        door.contains("diete: diabetico, morbido. citofono 3"),
        "{door}"
    );
}

#[tokio::test]
async fn the_driver_marks_a_meal_delivered_or_nobody_home_on_the_page() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let home = create(
        &app,
        &k,
        recipient(&k, k.people[0].0, ("11:30", "13:00"), 1),
    )
    .await;
    let away = create(
        &app,
        &k,
        recipient(&k, k.people[1].0, ("11:30", "13:00"), 1),
    )
    .await;
    let booked = generate(&app, &k, &app.date.to_string()).await;
    let plan = app.solve(&k.planner, 2.0).await;
    assert_clean(&app, &plan).await;
    app.publish_newest(&k.planner).await;
    let (_, driver) = app.driver_of(k.driver).await;
    let path = format!("/driver?date={}", app.date);
    let door = |r: i64| format!("{}-dropoff", request_of(&booked, r));
    let (s, _, body) = super::driver_page::page(&app, Some(&driver), &path).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    for key in [door(home), door(away)] {
        let stop = element(&body, &format!("stop-{key}"), "</li>");
        for (kind, words) in [("done", "Consegnato"), ("no_show", "Nessuno in casa")] {
            let button = element(stop, &format!("status-{kind}-{key}"), "</button>");
            assert!(button.ends_with(&format!(">{words}")), "{button}");
        }
        assert!(!stop.contains("status-arrived-"), "{stop}");
        assert!(!stop.contains("data-testid=\"kg-"), "a meal is not weighed");
    }
    // The kitchen stop: loaded.
    let kitchen_key = format!("{}-pickup", request_of(&booked, home));
    let stop = element(&body, &format!("stop-{kitchen_key}"), "</li>");
    assert!(
        element(stop, &format!("status-done-{kitchen_key}"), "</button>").ends_with(">Caricato")
    );

    // The taps, as the page sends them.
    for (n, key, kind) in [(1, door(home), "done"), (2, door(away), "no_show")] {
        let (s, ev) = app
            .post(
                &driver,
                "/api/v1/events",
                json!({"id": format!("phone-meal-000{n}"), "date": app.date, "stop": key,
                       "kind": kind, "at": format!("{}T11:4{n}:00.000Z", app.date)}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{ev}");
    }
    let (_, _, body) = super::driver_page::page(&app, Some(&driver), &path).await;
    for (key, kind, words) in [
        (door(home), "done", "Consegnato alle "),
        (door(away), "no_show", "Nessuno in casa alle "),
    ] {
        let state = element(&body, &format!("state-{key}"), "</p>");
        assert!(
            state.contains(&format!("data-kind=\"{kind}\"")) && state.contains(words),
            "{state}"
        );
    }
    // The dispatcher reads the same on the manifest.
    let (_, m) = app
        .get(
            &k.planner,
            &format!(
                "/api/v1/manifest?date={}&volunteer_id={}",
                app.date, k.driver
            ),
        )
        .await;
    let state = |key: String| {
        m["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["stops"].as_array().unwrap())
            .find(|s| s["key"] == key)
            .unwrap()["state"]["kind"]
            .clone()
    };
    assert_eq!(state(door(home)), "done");
    assert_eq!(state(door(away)), "no_show");
}

#[tokio::test]
async fn no_hot_meal_travels_longer_than_the_limit_nor_leaves_before_the_kitchen_is_ready() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (s, settings) = app.get(&k.planner, "/api/v1/meals/settings").await;
    assert_eq!(s, StatusCode::OK);
    let limit = f(&settings["hot_max_minutes"]);
    assert_eq!(limit, 45.0, "the default");
    let ready = 11.0 * 60.0;
    assert_eq!(settings["ready_at"], "11:00");
    // An early group and a late one: one load for all would keep the late
    // meals in the boxes for well over an hour.
    let mut ids = Vec::new();
    for (i, &(person, _)) in k.people.iter().take(8).enumerate() {
        let window = if i % 2 == 0 {
            ("10:45", "12:00")
        } else {
            ("13:00", "13:30")
        };
        ids.push(create(&app, &k, recipient(&k, person, window, 1)).await);
    }
    let booked = generate(&app, &k, &app.date.to_string()).await;
    let mut hot: Vec<i64> = ids.iter().map(|id| request_of(&booked, *id)).collect();
    // Booked by hand without a limit: the rule holds all the same.
    let (person, home) = k.people[8];
    let (s, by_hand) = app
        .post(
            &k.planner,
            "/api/v1/requests",
            json!({"organisation_id": k.org, "date": app.date, "kind": "meal",
                   "person_id": person, "from_place_id": k.centre, "to_place_id": home,
                   "window_at": "dropoff", "window": {"start": "13:00", "end": "13:30"},
                   "load": {"hot_boxes": 1}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{by_hand}");
    assert_eq!(by_hand["max_ride_minutes"], Value::Null);
    hot.push(by_hand["id"].as_i64().unwrap());

    let plan = app.solve(&k.planner, 3.0).await;
    assert_clean(&app, &plan).await;
    for r in &hot {
        let (_, pickup, drop) =
            stops(&plan, *r).unwrap_or_else(|| panic!("meal {r} planned: {}", plan["unassigned"]));
        assert_eq!(pickup["place_id"], k.centre);
        let leaves = f(&pickup["departure_min"]);
        assert!(
            f(&pickup["start_min"]) >= ready - 1e-6,
            "meal {r} loaded before 11:00: {pickup}"
        );
        let travel = f(&drop["start_min"]) - leaves;
        assert!(
            travel <= limit + 1e-6,
            "meal {r}: {travel} min from kitchen to door"
        );
    }
}

/// Visits to `place` in a route: runs of consecutive stops there.
fn visits(route: &Value, place: i64) -> usize {
    let at: Vec<bool> = route["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["place_id"] == place)
        .collect();
    at.iter()
        .enumerate()
        .filter(|(i, here)| **here && (*i == 0 || !at[i - 1]))
        .count()
}

#[tokio::test]
async fn a_car_whose_hot_boxes_are_full_goes_back_for_a_second_trip() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // 3 × 5 = 15 hot boxes for a car of 12, all due in one window.
    let mut ids = Vec::new();
    for &(person, _) in k.people.iter().take(3) {
        ids.push(create(&app, &k, recipient(&k, person, ("11:30", "13:30"), 5)).await);
    }
    let booked = generate(&app, &k, &app.date.to_string()).await;
    let plan = app.solve(&k.planner, 2.0).await;
    assert_clean(&app, &plan).await;
    assert_eq!(
        plan["routes"].as_array().unwrap().len(),
        1,
        "one car on duty"
    );
    let mut routes = BTreeSet::new();
    for id in &ids {
        let (route, _, _) = stops(&plan, request_of(&booked, *id)).expect("every meal planned");
        routes.insert(route["id"].as_i64().unwrap());
    }
    let route = &plan["routes"][0];
    assert!(
        visits(route, k.centre) >= 2,
        "one trip for 15 boxes: {route}"
    );
}

#[tokio::test]
async fn a_priority_recipient_is_served_first_when_capacity_is_short() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // 3 × 6 = 18 boxes for 12 places, all due at the same few minutes: no
    // second trip is possible. The priority recipient lives farthest away,
    // so leaving him out would be the cheapest plan.
    let window = ("12:00", "12:05");
    let n = k.people.len();
    let far = create(&app, &k, {
        let mut b = recipient(&k, k.people[n - 1].0, window, 6);
        b["priority"] = json!(true);
        b
    })
    .await;
    let near: Vec<i64> = vec![
        create(&app, &k, recipient(&k, k.people[0].0, window, 6)).await,
        create(&app, &k, recipient(&k, k.people[1].0, window, 6)).await,
    ];
    let booked = generate(&app, &k, &app.date.to_string()).await;
    let plan = app.solve(&k.planner, 2.0).await;
    assert_clean(&app, &plan).await;
    assert!(
        stops(&plan, request_of(&booked, far)).is_some(),
        "the priority recipient is served: {}",
        plan["unassigned"]
    );
    let left: Vec<&Value> = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            near.iter()
                .any(|id| u["request_id"] == request_of(&booked, *id))
        })
        .collect();
    assert!(!left.is_empty(), "capacity is short: {}", plan["routes"]);
    for u in left {
        // Each fits alone: it is left out for want of room beside the others.
        assert_eq!(u["reason"], "no_room", "{u}");
    }
}

#[tokio::test]
async fn a_meal_goes_with_the_volunteer_its_recipient_prefers() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // A second car with hot boxes on the same hours, another volunteer driving.
    let (s, shifts) = app
        .get(&k.planner, &format!("/api/v1/shifts?date={}", app.date))
        .await;
    assert_eq!(s, StatusCode::OK, "{shifts}");
    let first = shifts[0].clone();
    let second = meal_cars(&app)
        .await
        .into_iter()
        .find(|v| first["vehicle_id"] != v.id)
        .expect("the demo has a second meal car");
    // The first volunteer allowed to drive it.
    let mut other = None;
    for v in app.store.volunteers().await.unwrap() {
        if v.id == k.driver {
            continue;
        }
        let shift = json!({"date": app.date, "vehicle_id": second.id, "volunteer_id": v.id,
            "window": first["window"]});
        let (s, _) = app.post(&k.planner, "/api/v1/shifts", shift).await;
        if s == StatusCode::CREATED {
            other = Some(v.id);
            break;
        }
    }
    let other = other.expect("someone else may drive the second car");

    // One meal: whichever car brings it, the plan is as long. The recipient's
    // wish decides, one way and then the other.
    let mut body = recipient(&k, k.people[0].0, ("11:30", "13:00"), 1);
    let id = create(&app, &k, body.clone()).await;
    let booked = generate(&app, &k, &app.date.to_string()).await;
    let meal = request_of(&booked, id);
    for wish in [other, k.driver, other] {
        body["preferred_volunteer_id"] = json!(wish);
        let path = format!("/api/v1/meal-recipients/{id}");
        let (s, r) = app.put(&k.planner, &path, body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let plan = app.solve(&k.planner, 1.0).await;
        assert_clean(&app, &plan).await;
        let route = route_with(&plan, meal)
            .unwrap_or_else(|| panic!("the meal is planned: {}", plan["unassigned"]));
        assert_eq!(route["volunteer_id"], wish, "{route}");
    }
}

#[tokio::test]
async fn bad_plans_settings_and_holds_get_a_4xx_naming_the_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (person, _) = k.people[0];
    let good = recipient(&k, person, ("11:30", "13:00"), 1);
    let id = create(&app, &k, good.clone()).await;
    let count = || async {
        let (_, all) = app.get(&k.planner, "/api/v1/meal-recipients").await;
        all.as_array().unwrap().len()
    };
    let before = count().await;
    let bad = |path: &str, value: Value| {
        let mut b = good.clone();
        b[path] = value;
        b
    };
    let cases = [
        (bad("schedule", json!([])), "schedule"),
        (
            bad("window", json!({"start": "13:00", "end": "12:00"})),
            "window.end",
        ),
        (bad("diets", json!(["diabetico", "paleo"])), "diets[1]"),
        (
            bad(
                "holds",
                json!([{"from": "2026-11-24", "resume_on": "2026-11-20"}]),
            ),
            "holds[0].resume_on",
        ),
    ];
    for (body, field) in cases {
        let (s, e) = app
            .post(&k.planner, "/api/v1/meal-recipients", body.clone())
            .await;
        assert!(s.is_client_error(), "{field}: {s} {e}");
        assert_eq!(e["field"], field, "{e}");
        let (s, e) = app
            .put(&k.planner, &format!("/api/v1/meal-recipients/{id}"), body)
            .await;
        assert!(s.is_client_error(), "{field}: {s} {e}");
        assert_eq!(e["field"], field, "{e}");
    }
    let (s, e) = app
        .post(
            &k.planner,
            &format!("/api/v1/meal-recipients/{id}/holds"),
            json!({"from": "2026-11-24", "resume_on": "2026-11-24"}),
        )
        .await;
    assert!(s.is_client_error(), "{s} {e}");
    assert_eq!(e["field"], "resume_on");
    let (s, e) = app
        .put(
            &k.planner,
            "/api/v1/meals/settings",
            json!({"ready_at": "11:00", "hot_max_minutes": 0, "diets": [],
                   "boxes": {"hot": "hot_boxes", "cold": "cold_boxes", "frozen": "cold_boxes"}}),
        )
        .await;
    assert!(s.is_client_error(), "{s} {e}");
    assert_eq!(e["field"], "hot_max_minutes");
    // Nothing written: one recipient, as created, and the default settings.
    assert_eq!(count().await, before);
    let (_, now) = app
        .get(&k.planner, &format!("/api/v1/meal-recipients/{id}"))
        .await;
    assert_eq!(now["holds"], json!([]));
    assert_eq!(now["diets"], json!([]));
    assert_eq!(now["schedule"].as_array().unwrap().len(), 5);
    assert_eq!(now["window"], json!({"start": "11:30", "end": "13:00"}));
    let (_, settings) = app.get(&k.planner, "/api/v1/meals/settings").await;
    assert_eq!(settings["hot_max_minutes"], 45);
    // A member reads the association's recipients but may not write them.
    let member = app.login_as(Role::Member).await;
    let (s, _) = app.post(&member, "/api/v1/meal-recipients", good).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Its own association's only (members are of associations; these
    // recipients are the municipality's): another's is not found.
    let (s, theirs) = app.get(&member, "/api/v1/meal-recipients").await;
    assert_eq!(s, StatusCode::OK, "{theirs}");
    assert!(theirs
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["organisation_id"] != json!(k.org)));
    let (s, _) = app
        .get(&member, &format!("/api/v1/meal-recipients/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
