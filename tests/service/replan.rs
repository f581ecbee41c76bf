//! The live day re-planned through the API: the demo day is published, a
//! driver reports the first stops, and the re-plan is a draft that passes the
//! checker (prefix included), keeps the done stops first and every promised
//! pickup inside its window.

use std::collections::HashMap;

use chrono::{Local, NaiveDate, TimeZone};
use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

fn at(date: NaiveDate, minutes: f64) -> String {
    let naive = date.and_hms_opt(0, 0, 0).unwrap()
        + chrono::Duration::milliseconds((minutes * 60_000.0).round() as i64);
    Local
        .from_local_datetime(&naive)
        .single()
        .unwrap()
        .with_timezone(&chrono::Utc)
        .to_rfc3339()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Each request's pickup in a plan: (start minutes, vehicle).
fn pickups(plan: &Value) -> HashMap<i64, (f64, i64)> {
    let mut out = HashMap::new();
    for r in plan["routes"].as_array().unwrap() {
        for s in r["stops"].as_array().unwrap() {
            if s["role"] == "pickup" {
                out.insert(
                    s["request_id"].as_i64().unwrap(),
                    (f(&s["start_min"]), r["vehicle_id"].as_i64().unwrap()),
                );
            }
        }
    }
    out
}

async fn replan(app: &TestApp, who: &As, body: Value) -> Value {
    let (s, out) = app
        .post(who, &format!("/api/v1/plans/{}/replan", app.date), body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    let figures = &out["plan"]["figures"];
    assert_eq!(
        figures["feasible"], true,
        "the checker accepts the day: {}",
        figures["violations"]
    );
    out
}

/// Every request of `published` not in `touched` keeps its pickup inside
/// its promise (the planned start to `width` minutes later).
fn promises_kept(published: &Value, new: &Value, touched: &[i64], width: f64) {
    let now = pickups(new);
    for (id, (was, _)) in pickups(published) {
        if touched.contains(&id) {
            continue;
        }
        let (start, _) = now
            .get(&id)
            .unwrap_or_else(|| panic!("request {id} left the plan: {new}"));
        assert!(
            *start >= was.round().min(was) - 1e-6 && *start <= was.round().max(was) + width + 1e-6,
            "request {id}: promised from {was}, now {start}"
        );
    }
}

#[tokio::test]
async fn the_day_is_replanned_from_where_it_stands() {
    // A date ahead, so the call-in ride can still be booked.
    let app = TestApp::spawn_on(Local::now().date_naive() + chrono::Duration::days(7)).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    app.solve(&dispatcher, 2.0).await;
    let published = app.publish_newest(&dispatcher).await;
    let (_, policy) = app.get(&dispatcher, "/api/v1/policy").await;
    let width = f(&policy["window"]["pickup_before"]) + f(&policy["window"]["pickup_after"]);

    // Nothing published before: 404 on another date; bad input names the field.
    let other = app.date + chrono::Duration::days(40);
    let (s, _) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{other}/replan"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let path = format!("/api/v1/plans/{}/replan", app.date);
    let (s, e) = app
        .post(
            &dispatcher,
            &path,
            json!({"withdraw": [{"shift_id": 999_999, "from": "11:00"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("withdraw[0].shift_id"), "{e}");
    let (s, e) = app.post(&dispatcher, &path, json!({"at": "25:99"})).await;
    assert!(s.is_client_error(), "{s} {e}");
    let member = app.login_as(Role::Member).await;
    let (s, _) = app.post(&member, &path, json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The van: the route with the most stops. Its driver reports the first
    // three done, as planned.
    let van = published["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["volunteer_id"].is_i64())
        .max_by_key(|r| r["stops"].as_array().unwrap().len())
        .unwrap()
        .clone();
    let stops = van["stops"].as_array().unwrap().clone();
    let (_, driver) = app.driver_of(van["volunteer_id"].as_i64().unwrap()).await;
    for (n, stop) in stops.iter().take(3).enumerate() {
        let (s, e) = app
            .post(
                &driver,
                "/api/v1/events",
                json!({"id": format!("replan-{n:04}"), "date": app.date.to_string(),
                       "stop": stop["key"], "kind": "done",
                       "at": at(app.date, f(&stop["departure_min"]))}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }

    // Nothing else changed: the re-plan keeps every promise and the done stops.
    let out = replan(&app, &dispatcher, json!({})).await;
    assert_eq!(out["promises_broken"], 0, "{}", out["moves"]);
    assert_eq!(out["plan"]["status"], "draft");
    promises_kept(&published, &out["plan"], &[], width);
    let van_now = out["plan"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shift_id"] == van["shift_id"])
        .unwrap()
        .clone();
    for (n, stop) in stops.iter().take(3).enumerate() {
        assert_eq!(van_now["stops"][n]["key"], stop["key"], "done stops lead");
    }
}
