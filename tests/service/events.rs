//! Drivers' events: stored once per device id, by the stop's key, landing on
//! the same stop after re-publishing, and shown on the manifest.

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

type Instant = chrono::DateTime<chrono::Utc>;

fn instant(v: &Value) -> Instant {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an instant: {v}"))
}

fn event(id: &str, date: &str, key: &Value, kind: &str, at: &str) -> Value {
    json!({"id": id, "date": date, "stop": key, "kind": kind, "at": at})
}

/// A published route with a driver and at least `n` stops.
fn driven_route(plan: &Value, n: usize) -> Value {
    plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["volunteer_id"].is_i64() && r["stops"].as_array().unwrap().len() >= n)
        .expect("a driven route with enough stops")
        .clone()
}

async fn manifest_states(app: &TestApp, driver: &As) -> Vec<(Value, Value)> {
    let (s, m) = app
        .get(driver, &format!("/api/v1/manifest?date={}", app.date))
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    m["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap().clone())
        .map(|s| (s["key"].clone(), s["state"].clone()))
        .collect()
}

async fn republish_with_driver(app: &TestApp, who: &As, route_seq: usize, driver: Value) -> Value {
    let (_, newest) = app.get(who, &format!("/api/v1/plans/{}", app.date)).await;
    let route = newest["routes"][route_seq]["id"].as_i64().unwrap();
    let (s, draft) = app
        .put(
            who,
            &format!("/api/v1/plans/{}/routes/{route}", app.date),
            json!({"version": newest["version"], "volunteer_id": driver}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{draft}");
    assert_eq!(draft["status"], "draft");
    app.publish_newest(who).await
}

#[tokio::test]
async fn a_queued_event_lands_once_on_its_stop_across_republishes() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    app.solve(&dispatcher, 1.0).await;
    let r1 = app.publish_newest(&dispatcher).await;
    let route = driven_route(&r1, 3);
    let seq = r1["routes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["id"] == route["id"])
        .unwrap();
    let volunteer = route["volunteer_id"].clone();
    let (me, driver) = app.driver_of(volunteer.as_i64().unwrap()).await;
    let stops = route["stops"].as_array().unwrap();
    let keys: Vec<Value> = stops.iter().take(3).map(|s| s["key"].clone()).collect();
    for (stop, key) in stops.iter().zip(&keys) {
        assert_eq!(
            key.as_str().unwrap(),
            format!("{}-{}", stop["request_id"], stop["role"].as_str().unwrap())
        );
    }
    assert!(manifest_states(&app, &driver)
        .await
        .iter()
        .all(|(_, state)| state.is_null()));
    let date = app.date.to_string();
    let times = [
        format!("{date}T07:31:02.345Z"),
        format!("{date}T07:40:00Z"),
        format!("{date}T07:52:30.5Z"),
    ];
    let e1 = event("phone-7-0001", &date, &keys[0], "arrived", &times[0]);
    let (s, first) = app.post(&driver, "/api/v1/events", e1.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(first["key"], keys[0]);
    assert_eq!(instant(&first["at"]), instant(&json!(times[0])));
    assert_eq!(first["client_id"], "phone-7-0001");
    assert_eq!(first["user_id"], me.id);
    assert_eq!(first["stop_id"], stops[0]["id"]);
    let received = instant(&first["received_at"]);
    assert!(
        (chrono::Utc::now() - received).num_seconds().abs() < 60,
        "the server's clock"
    );
    // The phone did not hear the answer and sends again.
    let (s, again) = app.post(&driver, "/api/v1/events", e1.clone()).await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again, first);
    // The same id for something else, or from someone else: refused.
    let (s, other) = app
        .post(&driver, "/api/v1/events", {
            let mut e = e1.clone();
            e["kind"] = json!("done");
            e
        })
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{other}");
    let (s, _) = app.post(&dispatcher, "/api/v1/events", e1.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Re-published (same routes, new rows): the phone still holds revision 1.
    let r2 = republish_with_driver(&app, &dispatcher, seq, volunteer.clone()).await;
    assert_eq!(r2["revision"], 2);
    let r2_stops = r2["routes"][seq]["stops"].as_array().unwrap().clone();
    assert_ne!(
        r2_stops[0]["id"], stops[0]["id"],
        "a new revision has new rows"
    );
    assert_eq!(r2_stops[0]["key"], keys[0], "and the same keys");
    let e2 = event("phone-7-0002", &date, &keys[1], "done", &times[1]);
    let (s, second) = app.post(&driver, "/api/v1/events", e2.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{second}");
    assert_eq!(second["stop_id"], r2_stops[1]["id"]);
    // The row ids of revision 1 still reach the key's events.
    let (s, by_old_row) = app
        .get(&driver, &format!("/api/v1/stops/{}/events", stops[0]["id"]))
        .await;
    assert_eq!(s, StatusCode::OK, "{by_old_row}");
    assert_eq!(by_old_row, json!([first]));
    let (_, by_new_row) = app
        .get(
            &dispatcher,
            &format!("/api/v1/stops/{}/events", r2_stops[0]["id"]),
        )
        .await;
    assert_eq!(by_new_row, json!([first]));
    // A reloaded page shows what was done.
    let states = manifest_states(&app, &driver).await;
    let state = |k: &Value| states.iter().find(|(key, _)| key == k).unwrap().1.clone();
    assert_eq!(state(&keys[0])["kind"], "arrived");
    assert_eq!(instant(&state(&keys[0])["at"]), instant(&json!(times[0])));
    assert_eq!(state(&keys[1])["kind"], "done");
    assert!(state(&keys[2]).is_null());

    // Re-published again with the route taken away from this driver: what the
    // phone queued before still lands, on the stop he drove.
    let r3 = republish_with_driver(&app, &dispatcher, seq, Value::Null).await;
    assert_eq!(r3["revision"], 3);
    let e3 = event("phone-7-0003", &date, &keys[2], "no_show", &times[2]);
    let (s, third) = app.post(&driver, "/api/v1/events", e3.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{third}");
    assert_eq!(third["stop_id"], r2_stops[2]["id"]);
    let (s, _) = app.post(&driver, "/api/v1/events", e2.clone()).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "a resend after the re-publish is still recognised"
    );
    // The old endpoint with a superseded row id lands too (no device id: a new event each time).
    let (s, late) = app
        .post(
            &driver,
            &format!("/api/v1/stops/{}/events", stops[0]["id"]),
            json!({"kind": "done", "at": times[2]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{late}");
    assert_eq!(late["key"], keys[0]);
    assert!(late["client_id"].is_null());

    // Another driver never drove these stops.
    let other_volunteer = r1["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["volunteer_id"].as_i64())
        .find(|v| Some(*v) != volunteer.as_i64())
        .expect("a second driver");
    let (_, other) = app.driver_of(other_volunteer).await;
    let (s, _) = app
        .post(
            &other,
            "/api/v1/events",
            event("phone-8-0001", &date, &keys[2], "arrived", &times[2]),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The board's view: exactly these four, on the right stops, with the device times.
    let (s, all) = app
        .get(&dispatcher, &format!("/api/v1/events?date={date}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let got: Vec<(Value, Value, Instant)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["key"].clone(), e["kind"].clone(), instant(&e["at"])))
        .collect();
    let sent = |i: usize| instant(&json!(times[i]));
    assert_eq!(
        got,
        vec![
            (keys[0].clone(), json!("arrived"), sent(0)),
            (keys[1].clone(), json!("done"), sent(1)),
            (keys[2].clone(), json!("no_show"), sent(2)),
            (keys[0].clone(), json!("done"), sent(2)),
        ]
    );
    let (s, none) = app.get(&dispatcher, "/api/v1/events?date=2026-01-01").await;
    assert_eq!((s, none), (StatusCode::OK, json!([])));
    let (s, _) = app
        .get(&driver, &format!("/api/v1/events?date={date}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn drivers_reach_only_published_stops_of_their_own() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let draft = app.solve(&dispatcher, 1.0).await;
    let route = driven_route(&draft, 1);
    let (_, driver) = app.driver_of(route["volunteer_id"].as_i64().unwrap()).await;
    let date = app.date.to_string();
    let key = route["stops"][0]["key"].clone();
    let at = format!("{date}T08:00:00Z");
    let e = event("draft-event-1", &date, &key, "arrived", &at);
    let (s, body) = app.post(&driver, "/api/v1/events", e.clone()).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a draft is not the driver's yet: {body}"
    );
    for missing in ["999999-pickup", "999999-dropoff"] {
        let (s, _) = app
            .post(
                &driver,
                "/api/v1/events",
                event("missing-key-1", &date, &json!(missing), "arrived", &at),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let (s, _) = app
        .post(
            &driver,
            "/api/v1/events",
            event("wrong-date-1", "2026-11-24", &key, "arrived", &at),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the key belongs to its date");
    assert!(app.store.events_of_date(app.date).await.unwrap().is_empty());
    app.publish_newest(&dispatcher).await;
    let (s, body) = app.post(&driver, "/api/v1/events", e).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn kilograms_go_with_a_finished_collection_pickup_only() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    app.solve(&dispatcher, 1.0).await;
    let plan = app.publish_newest(&dispatcher).await;
    // A collection's pickup and some other stop, on one driver's manifest.
    let mut found = None;
    for r in plan["routes"].as_array().unwrap() {
        let Some(v) = r["volunteer_id"].as_i64() else {
            continue;
        };
        let (_, m) = app
            .get(
                &dispatcher,
                &format!("/api/v1/manifest?date={}&volunteer_id={v}", app.date),
            )
            .await;
        let stops: Vec<Value> = m["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["stops"].as_array().unwrap().clone())
            .collect();
        let pickup = stops
            .iter()
            .find(|s| s["kind"] == "collection" && s["role"] == "pickup");
        let other = stops.iter().find(|s| s["kind"] != "collection");
        if let (Some(p), Some(o)) = (pickup, other) {
            found = Some((v, p.clone(), o.clone()));
            break;
        }
    }
    let (volunteer, pickup, other) = found.expect("a driver with a collection and another stop");
    let (_, driver) = app.driver_of(volunteer).await;
    let date = app.date.to_string();
    let at = format!("{date}T11:05:00Z");
    let with_kg = |id: &str, key: &Value, kind: &str, kg: Value| {
        let mut e = event(id, &date, key, kind, &at);
        e["kg"] = kg;
        e
    };
    let audit = app.store.audit_log(5000).await.unwrap().len();
    for bad in [
        with_kg("kg-bad-0001", &other["key"], "done", json!(12.5)),
        with_kg("kg-bad-0002", &pickup["key"], "arrived", json!(12.5)),
        with_kg("kg-bad-0003", &pickup["key"], "done", json!(0)),
        with_kg("kg-bad-0004", &pickup["key"], "done", json!(-3)),
        with_kg("kg-bad-0005", &pickup["key"], "done", json!(5000.5)),
    ] {
        let (s, body) = app.post(&driver, "/api/v1/events", bad.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["field"], "kg", "{body}");
    }
    assert_eq!(app.store.audit_log(5000).await.unwrap().len(), audit);
    assert!(app.store.events_of_date(app.date).await.unwrap().is_empty());
    let (s, body) = app
        .post(
            &driver,
            "/api/v1/events",
            with_kg("kg-good-001", &pickup["key"], "done", json!(12.5)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["kg"], 12.5);
    let states = manifest_states(&app, &driver).await;
    let (_, state) = states.iter().find(|(k, _)| *k == pickup["key"]).unwrap();
    assert_eq!(state["kind"], "done");
    assert_eq!(state["kg"], 12.5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_event_sent_at_once_many_times_is_stored_once() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    app.solve(&dispatcher, 1.0).await;
    let plan = app.publish_newest(&dispatcher).await;
    let route = driven_route(&plan, 1);
    let (_, driver) = app.driver_of(route["volunteer_id"].as_i64().unwrap()).await;
    let date = app.date.to_string();
    let e = event(
        "burst-0000-0001",
        &date,
        &route["stops"][0]["key"],
        "arrived",
        &format!("{date}T08:00:00Z"),
    );
    let sends: Vec<_> = (0..8)
        .map(|_| {
            let (http, url) = (app.http.clone(), app.url("/api/v1/events"));
            let (header, body) = (driver.header.clone(), e.clone());
            tokio::spawn(async move {
                let res = http
                    .post(url)
                    .header(header.0, header.1)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                (res.status(), res.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for send in sends {
        answers.push(send.await.unwrap());
    }
    let created = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let repeated = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!((created, repeated), (1, 7), "{answers:?}");
    assert!(answers.iter().all(|(_, b)| b["id"] == answers[0].1["id"]));
    assert_eq!(app.store.events_of_date(app.date).await.unwrap().len(), 1);
}
