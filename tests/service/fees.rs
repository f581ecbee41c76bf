//! Fees on the real app: riders with different eligibility ride, the plan
//! is solved and published, drivers complete the trips, and each trip costs
//! what its rider's eligibility and the planned kilometres on board say —
//! free, fixed or per km. A member sees only its association's trips; bad
//! input names the field and writes nothing.

use std::collections::HashMap;

use chrono::{Duration, Local};
use giro::domain::Role;
use giro::travel::{Point, TravelConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// The member's riders who need no lift, each with a home; and a public place.
async fn riders(app: &TestApp, member: &As) -> (Vec<(i64, i64)>, i64) {
    let (_, people) = app.get(member, "/api/v1/people").await;
    let list: Vec<(i64, i64)> = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["mobility"] == "none" || p["mobility"] == "walker")
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["home_place_id"].as_i64().unwrap(),
            )
        })
        .collect();
    let (_, places) = app.get(member, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organisation_id"].is_null() && p["kind"] == "town_hall")
        .expect("a public place")["id"]
        .as_i64()
        .unwrap();
    (list, to)
}

async fn book(app: &TestApp, member: &As, (person, home): (i64, i64), to: i64, at: &str) -> i64 {
    let (s, r) = app
        .post(
            member,
            "/api/v1/requests",
            json!({"date": app.date.to_string(), "kind": "ride", "person_id": person,
                "from_place_id": home, "to_place_id": to, "pickup_at": at, "companions": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    r["id"].as_i64().unwrap()
}

async fn report(app: &TestApp, driver: &As, id: i64, role: &str, at: &str) {
    let (s, e) = app
        .post(
            driver,
            "/api/v1/events",
            json!({"id": format!("fee-{id}-{role}"), "date": app.date.to_string(),
                "stop": format!("{id}-{role}"), "kind": "done",
                "at": format!("{}T{at}:00Z", app.date)}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
}

/// The route carrying request `id`: its driver and the places of its stops
/// from the pickup to the drop-off.
fn on_board(plan: &Value, id: i64) -> (i64, Vec<i64>) {
    for route in plan["routes"].as_array().unwrap() {
        let stops = route["stops"].as_array().unwrap();
        let at = |role: &str| {
            stops
                .iter()
                .position(|s| s["request_id"] == id && s["role"] == role)
        };
        if let (Some(p), Some(d)) = (at("pickup"), at("dropoff")) {
            let places = stops[p..=d]
                .iter()
                .map(|s| s["place_id"].as_i64().unwrap())
                .collect();
            return (route["volunteer_id"].as_i64().expect("a driver"), places);
        }
    }
    panic!("request {id} is not in the plan: {plan}")
}

/// Kilometres along `places` by the travel estimator the app runs with.
async fn km_along(app: &TestApp, places: &[i64]) -> f64 {
    // Every place: a route also passes other associations' riders' homes.
    let admin = app.login_as(Role::Admin).await;
    let (_, all) = app.get(&admin, "/api/v1/places").await;
    let mut at: HashMap<i64, Point> = HashMap::new();
    for p in all.as_array().unwrap() {
        at.insert(
            p["id"].as_i64().unwrap(),
            Point {
                lat: p["lat"].as_f64().unwrap(),
                lon: p["lon"].as_f64().unwrap(),
            },
        );
    }
    let travel = giro::travel::from_config(&TravelConfig::default());
    let mut km = 0.0;
    for w in places.windows(2) {
        let pts = [at[&w[0]], at[&w[1]]];
        km += travel.matrix(&pts).await.unwrap().km_between(0, 1);
    }
    km
}

#[tokio::test]
async fn completed_trips_cost_what_eligibility_and_planned_km_say() {
    let app = TestApp::spawn_on(Local::now().date_naive() + Duration::days(7)).await;
    // Standing orders would book rides of their own on whichever weekday this is.
    app.without_generators().await;
    app.quiet().await;
    // The second association has riders enough who need no lift.
    let member = app.login(&app.email(Role::Member, 1)).await;
    let other = app.login(&app.email(Role::Member, 0)).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (people, to) = riders(&app, &member).await;
    assert!(people.len() >= 5, "the member has five riders: {people:?}");

    // Per km above the middle band at 1 €/km and no minimum, so the km show.
    let (_, mut rules) = app.get(&dispatcher, "/api/v1/fees/rules").await;
    assert_eq!(rules["isee_low_up_to_eur"], 9360);
    rules["high"] = json!({"kind": "per_km", "cents_per_km": 100, "minimum_cents": 0});
    let (s, r) = app
        .put(&dispatcher, "/api/v1/fees/rules", rules.clone())
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");

    let set = |person: i64, body: Value| {
        let (app, dispatcher) = (&app, &dispatcher);
        async move {
            let (s, e) = app
                .put(
                    dispatcher,
                    &format!("/api/v1/people/{person}/eligibility"),
                    body,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{e}");
            e
        }
    };
    let (plan_rider, middle, high, grave, undeclared) =
        (people[0], people[1], people[2], people[3], people[4]);
    set(
        plan_rider.0,
        json!({"isee_band": "high", "l104": "none", "social_plan": true, "plan_reference": "PI-2026/14"}),
    )
    .await;
    set(
        middle.0,
        json!({"isee_band": "middle", "l104": "art3_c1", "social_plan": false}),
    )
    .await;
    set(
        high.0,
        json!({"isee_band": "high", "l104": "none", "social_plan": false}),
    )
    .await;
    set(
        grave.0,
        json!({"isee_band": "unknown", "l104": "art3_c3", "social_plan": false}),
    )
    .await;
    // The member reads its rider's eligibility; the other association cannot.
    let (s, e) = app
        .get(&member, &format!("/api/v1/people/{}/eligibility", high.0))
        .await;
    assert_eq!((s, &e["isee_band"]), (StatusCode::OK, &json!("high")));
    let (s, _) = app
        .get(&other, &format!("/api/v1/people/{}/eligibility", high.0))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = app
        .get(
            &member,
            &format!("/api/v1/people/{}/eligibility", undeclared.0),
        )
        .await;
    assert_eq!(
        (s, &e["isee_band"], &e["social_plan"]),
        (StatusCode::OK, &json!("unknown"), &json!(false))
    );

    let ids: Vec<i64> = {
        let mut v = Vec::new();
        for (who, at) in [
            (plan_rider, "08:30"),
            (middle, "09:30"),
            (high, "10:30"),
            (grave, "11:30"),
            (undeclared, "14:30"),
        ] {
            v.push(book(&app, &member, who, to, at).await);
        }
        v
    };
    // One more ride, never completed: it costs nothing and is not listed.
    let pending = book(&app, &member, middle, to, "16:00").await;

    app.solve(&dispatcher, 2.0).await;
    let plan = app.publish_newest(&dispatcher).await;
    assert!(
        plan["unassigned"].as_array().unwrap().is_empty(),
        "a quiet day fits every ride: {}",
        plan["unassigned"]
    );
    let mut planned = HashMap::new();
    for &id in &ids {
        let (volunteer, places) = on_board(&plan, id);
        planned.insert(id, km_along(&app, &places).await);
        let (_, driver) = app.driver_of(volunteer).await;
        report(&app, &driver, id, "pickup", "09:00").await;
        report(&app, &driver, id, "dropoff", "09:20").await;
    }
    let (_, driver) = app.driver_of(on_board(&plan, pending).0).await;
    report(&app, &driver, pending, "pickup", "16:00").await;

    let range = format!("from={}&to={}", app.date, app.date);
    let (s, fees) = app.get(&dispatcher, &format!("/api/v1/fees?{range}")).await;
    assert_eq!(s, StatusCode::OK, "{fees}");
    let trips = fees["trips"].as_array().unwrap();
    let by_id: HashMap<i64, &Value> = trips
        .iter()
        .map(|t| (t["request_id"].as_i64().unwrap(), t))
        .collect();
    assert_eq!(by_id.len(), 5, "the five completed trips only: {fees}");
    assert!(!by_id.contains_key(&pending), "on board is not completed");
    let km = |id: i64| (planned[&id] * 10.0).round() / 10.0;
    for &id in &ids {
        assert!(
            (by_id[&id]["km"].as_f64().unwrap() - km(id)).abs() < 1e-9,
            "planned km of {id}: {} against {}",
            by_id[&id]["km"],
            km(id)
        );
        assert!(km(id) > 0.0);
    }
    let fee = |id: i64| {
        let t = by_id[&id];
        (
            t["basis"].as_str().unwrap().to_string(),
            t["tariff"].as_str().unwrap().to_string(),
            t["fee_cents"].as_u64().unwrap(),
        )
    };
    let own = |b: &str, t: &str, c: u64| (b.to_string(), t.to_string(), c);
    assert_eq!(fee(ids[0]), own("social_plan", "free", 0));
    assert_eq!(fee(ids[1]), own("isee_band", "fixed", 200));
    let high_cents = (km(ids[2]) * 100.0).round() as u64;
    assert_eq!(fee(ids[2]), own("isee_band", "per_km", high_cents));
    assert_eq!(fee(ids[3]), own("l104", "free", 0));
    let unknown_cents = ((km(ids[4]) * 50.0).round() as u64).max(200);
    assert_eq!(fee(ids[4]), own("isee_band", "per_km", unknown_cents));
    assert_eq!(
        fees["total_cents"].as_u64().unwrap(),
        200 + high_cents + unknown_cents
    );

    // The member sees the same trips; the other association none of them.
    let (_, mine) = app.get(&member, &format!("/api/v1/fees?{range}")).await;
    assert_eq!(mine["trips"].as_array().unwrap().len(), 5);
    let (s, theirs) = app.get(&other, &format!("/api/v1/fees?{range}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(theirs["trips"], json!([]), "{theirs}");
    assert_eq!(theirs["total_cents"], 0);

    // CSV, by parameter or by Accept; the other association's has only the header.
    let high_name = by_id[&ids[2]]["person"].as_str().unwrap().to_string();
    for (path, accept) in [
        (format!("/api/v1/fees?{range}&format=csv"), None),
        (format!("/api/v1/fees?{range}"), Some("text/csv")),
    ] {
        let (s, ct, body) = app.get_text(&member, &path, accept).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert!(ct.starts_with("text/csv"), "{ct}");
        let lines: Vec<&str> = body.lines().collect();
        assert!(lines[0].starts_with("date,request_id,"), "{body}");
        assert!(lines[0].ends_with(",basis,tariff,fee_eur"), "{body}");
        assert_eq!(lines.len(), 6, "{body}");
        let row = lines
            .iter()
            .find(|l| l.contains(&format!(",{},", ids[2])))
            .unwrap();
        assert!(row.contains(&high_name), "{row}");
        assert!(
            row.ends_with(&format!(
                ",per_km,{}.{:02}",
                high_cents / 100,
                high_cents % 100
            )),
            "{row}"
        );
        let (_, _, theirs) = app.get_text(&other, &path, accept).await;
        assert_eq!(theirs.lines().count(), 1, "{theirs}");
        assert!(!theirs.contains(&high_name));
    }
    // A trip outside the range is not listed.
    let next = app.date + Duration::days(1);
    let (_, later) = app
        .get(&dispatcher, &format!("/api/v1/fees?from={next}&to={next}"))
        .await;
    assert_eq!(later["trips"], json!([]), "{later}");
}

#[tokio::test]
async fn bad_fee_and_eligibility_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (people, _) = riders(&app, &member).await;
    let person = people[0].0;
    let path = format!("/api/v1/people/{person}/eligibility");
    let (_, before) = app.get(&dispatcher, &path).await;
    let audit = |app: &TestApp| {
        let store = app.store.clone();
        async move { store.audit_log(100_000).await.unwrap().len() }
    };
    let lines = audit(&app).await;

    for (body, field) in [
        (
            json!({"isee_band": "low", "l104": "none", "social_plan": true}),
            "plan_reference",
        ),
        (
            json!({"isee_band": "low", "l104": "none", "social_plan": false, "plan_reference": "x"}),
            "plan_reference",
        ),
        (
            json!({"isee_band": "poor", "l104": "none", "social_plan": false}),
            "isee_band",
        ),
        (
            json!({"isee_band": "low", "l104": "art3", "social_plan": false}),
            "l104",
        ),
    ] {
        let (s, e) = app.put(&dispatcher, &path, body.clone()).await;
        assert!(s.is_client_error(), "{body}: {s} {e}");
        assert_eq!(e["field"], field, "{body}: {e}");
    }
    // Members do not set what their riders pay.
    let (s, _) = app
        .put(
            &member,
            &path,
            json!({"isee_band": "low", "l104": "none", "social_plan": false}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&dispatcher, &path).await.1, before);

    let (_, rules) = app.get(&dispatcher, "/api/v1/fees/rules").await;
    let mut bad = rules.clone();
    bad["isee_middle_up_to_eur"] = json!(5000);
    let (s, e) = app.put(&dispatcher, "/api/v1/fees/rules", bad).await;
    assert_eq!(
        (s, &e["field"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("isee_middle_up_to_eur")
        ),
        "{e}"
    );
    let mut bad = rules.clone();
    bad["middle"] = json!({"kind": "fixed", "cents": 20000});
    let (s, e) = app.put(&dispatcher, "/api/v1/fees/rules", bad).await;
    assert!(s.is_client_error(), "{e}");
    assert_eq!(e["field"], "middle.cents", "{e}");
    let (s, _) = app.put(&member, "/api/v1/fees/rules", rules.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&dispatcher, "/api/v1/fees/rules").await.1, rules);
    assert_eq!(audit(&app).await, lines, "nothing was written");

    for (query, status, field) in [
        ("to=2026-11-30", StatusCode::UNPROCESSABLE_ENTITY, "from"),
        ("from=2026-11-30", StatusCode::UNPROCESSABLE_ENTITY, "to"),
        (
            "from=2026-11-30&to=2026-11-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "to",
        ),
        (
            "from=2026-01-01&to=2027-06-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "to",
        ),
        (
            "from=2026-13-01&to=2026-12-01",
            StatusCode::BAD_REQUEST,
            "from",
        ),
        (
            "from=2026-11-01&to=2026-11-30&format=xml",
            StatusCode::BAD_REQUEST,
            "format",
        ),
    ] {
        let (s, e) = app.get(&member, &format!("/api/v1/fees?{query}")).await;
        assert_eq!((s, &e["field"]), (status, &json!(field)), "{query}: {e}");
    }
}
