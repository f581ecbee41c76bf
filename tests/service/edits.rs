//! Manual edits of a plan: the core's checker judges each one, violations
//! need a confirmation, locked routes survive the next solve.

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// A stop as (request, role), in route order.
fn sequence(route: &Value) -> Vec<(i64, String)> {
    route["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["request_id"].as_i64().unwrap(),
                s["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The route holding `request` and the positions of its pickup and dropoff.
fn where_is(plan: &Value, request: i64) -> Option<(i64, usize, usize)> {
    plan["routes"].as_array().unwrap().iter().find_map(|r| {
        let seq = sequence(r);
        let p = seq.iter().position(|s| s.0 == request && s.1 == "pickup")?;
        let d = seq
            .iter()
            .position(|s| s.0 == request && s.1 == "dropoff")?;
        Some((r["id"].as_i64().unwrap(), p, d))
    })
}

async fn edit(app: &TestApp, who: &As, body: Value) -> (StatusCode, Value) {
    app.post(who, &format!("/api/v1/plans/{}/edits", app.date), body)
        .await
}

async fn audit_len(app: &TestApp) -> usize {
    app.store.audit_log(5000).await.unwrap().len()
}

async fn rides(app: &TestApp, who: &As) -> Vec<i64> {
    let (_, requests) = app
        .get(who, &format!("/api/v1/requests?date={}", app.date))
        .await;
    requests
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "ride" && r["max_ride_minutes"].is_null())
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

/// The longest route, and a ride (default 45-minute limit) served on another
/// one: picked up first and dropped last on the long route, it rides too long.
async fn long_ride(app: &TestApp, who: &As, plan: &Value) -> (Value, i64) {
    let mut routes = plan["routes"].as_array().unwrap().clone();
    routes.sort_by(|a, b| {
        let d = |r: &Value| r["end_min"].as_f64().unwrap() - r["start_min"].as_f64().unwrap();
        d(b).total_cmp(&d(a))
    });
    let long = routes[0].clone();
    let duration = long["end_min"].as_f64().unwrap() - long["start_min"].as_f64().unwrap();
    assert!(
        duration > 90.0,
        "the demo's longest route lasts {duration} min"
    );
    let ride = rides(app, who)
        .await
        .into_iter()
        .find(|r| where_is(plan, *r).is_some_and(|(route, _, _)| route != long["id"]))
        .expect("a ride on another route");
    (long, ride)
}

#[tokio::test]
async fn a_move_breaking_a_ride_limit_waits_for_confirmation_and_moving_back_clears_it() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    assert!(plan["figures"]["feasible"].as_bool().unwrap());
    assert!(plan["figures"]["violations"].as_array().unwrap().is_empty());
    let (long, ride) = long_ride(&app, &dispatcher, &plan).await;
    let (home, p0, d0) = where_is(&plan, ride).unwrap();
    let n = long["stops"].as_array().unwrap().len();
    let mv = |version: &Value, confirm: bool| {
        json!({"version": version, "confirm": confirm, "edit": {"op": "move",
            "request_id": ride, "route_id": long["id"], "pickup": 0, "dropoff": n + 1}})
    };

    let audit = audit_len(&app).await;
    let (s, out) = edit(&app, &dispatcher, mv(&plan["version"], false)).await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["saved"], false);
    let broken = out["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["kind"] == "ride_time" && v["request_id"] == ride)
        .unwrap_or_else(|| panic!("a ride_time violation on {ride}: {}", out["violations"]))
        .clone();
    assert_eq!(broken["route_id"], long["id"]);
    assert_eq!(broken["stop"], format!("{ride}-dropoff"));
    assert!(broken["value"].as_f64().unwrap() > broken["limit"].as_f64().unwrap());
    // The policy's limit for the trip: between its floor and its cap.
    let policy = giro::domain::ride_policy::RidePolicy::default();
    let limit = broken["limit"].as_f64().unwrap();
    assert!(
        limit >= f64::from(policy.ride_time.floor_minutes)
            && limit <= f64::from(policy.ride_time.cap_minutes),
        "{broken}"
    );
    assert!(
        broken["message"].as_str().unwrap().contains("rides"),
        "{broken}"
    );
    // The plan shows what it would be: the ride first and last on the long route.
    let (at, p, d) = where_is(&out["plan"], ride).unwrap();
    assert_eq!((at, p, d), (long["id"].as_i64().unwrap(), 0, n + 1));
    assert_eq!(out["plan"]["figures"]["feasible"], false);
    // Nothing written.
    assert_eq!(audit_len(&app).await, audit);
    let (_, now) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(now, plan, "the stored plan is untouched");

    // Confirmed, it is saved in the draft with its verdict and an audit line.
    let (s, out) = edit(&app, &dispatcher, mv(&plan["version"], true)).await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["saved"], true);
    let saved = &out["plan"];
    assert_eq!(
        saved["revision"], plan["revision"],
        "a draft changes in place"
    );
    assert_eq!(
        saved["version"].as_i64().unwrap(),
        plan["version"].as_i64().unwrap() + 1
    );
    assert_eq!(saved["figures"]["feasible"], false);
    assert!(saved["figures"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["kind"] == "ride_time" && v["request_id"] == ride));
    assert_eq!(
        where_is(saved, ride).unwrap().0,
        long["id"].as_i64().unwrap()
    );
    let log = app.store.audit_log(5).await.unwrap();
    assert_eq!(audit_len(&app).await, audit + 1);
    let line = log[0].detail.clone().unwrap_or_default();
    assert_eq!(log[0].action.as_str(), "edit");
    assert!(
        line.contains(&format!("move request {ride}")) && line.contains("ride_time"),
        "{line}"
    );

    // Back where it was: the checker is content again.
    let (s, back) = edit(
        &app,
        &dispatcher,
        json!({"version": saved["version"], "edit": {"op": "move", "request_id": ride,
            "route_id": home, "pickup": p0, "dropoff": d0}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{back}");
    assert_eq!(back["saved"], true, "{}", back["violations"]);
    assert_eq!(back["violations"], json!([]));
    assert_eq!(back["plan"]["figures"]["feasible"], true);
    for r in plan["routes"].as_array().unwrap() {
        let now = back["plan"]["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == r["id"])
            .unwrap();
        assert_eq!(sequence(now), sequence(r), "route {} as solved", r["id"]);
    }
}

#[tokio::test]
async fn unassign_assign_and_swap_move_requests_and_keep_the_plan_checked() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Admin).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    let routed: Vec<i64> = rides(&app, &dispatcher)
        .await
        .into_iter()
        .filter(|r| where_is(&plan, *r).is_some())
        .collect();
    let ride = routed[0];

    let (s, out) = edit(
        &app,
        &dispatcher,
        json!({"version": plan["version"], "edit": {"op": "unassign", "request_id": ride}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["saved"], true, "{}", out["violations"]);
    let p = &out["plan"];
    assert!(where_is(p, ride).is_none());
    let left = p["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["request_id"] == ride)
        .expect("listed as unassigned");
    assert_eq!(left["reason"], "manual");

    // Assigned without positions: where it breaks nothing.
    let home = where_is(&plan, ride).unwrap().0;
    let (s, out) = edit(
        &app,
        &dispatcher,
        json!({"version": p["version"], "edit": {"op": "assign", "request_id": ride, "route_id": home}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["saved"], true, "{}", out["violations"]);
    let p = out["plan"].clone();
    assert_eq!(where_is(&p, ride).unwrap().0, home);
    assert!(p["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["request_id"] != ride));

    // Two rides on different routes trade places.
    let other = routed
        .iter()
        .copied()
        .find(|r| where_is(&p, *r).unwrap().0 != home)
        .expect("a ride on another route");
    let (a, b) = (where_is(&p, ride).unwrap(), where_is(&p, other).unwrap());
    let (s, out) = edit(
        &app,
        &dispatcher,
        json!({"version": p["version"], "confirm": true,
            "edit": {"op": "swap", "request_id": ride, "other_request_id": other}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["saved"], true);
    let (_, stored) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(where_is(&stored, ride), Some(b));
    assert_eq!(where_is(&stored, other), Some(a));
    assert_eq!(
        stored["figures"]["feasible"],
        out["violations"].as_array().unwrap().is_empty()
    );
}

#[tokio::test]
async fn stale_versions_and_bad_edits_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 1.0).await;
    let route = plan["routes"][0].clone();
    let n = route["stops"].as_array().unwrap().len();
    let ride = rides(&app, &dispatcher)
        .await
        .into_iter()
        .find(|r| where_is(&plan, *r).is_some())
        .unwrap();
    let v = plan["version"].clone();
    let audit = audit_len(&app).await;
    let cases = [
        (
            json!({"version": v.as_i64().unwrap() - 1, "edit": {"op": "lock", "route_id": route["id"]}}),
            StatusCode::CONFLICT,
            None,
        ),
        (
            json!({"version": v, "revision": 7, "edit": {"op": "lock", "route_id": route["id"]}}),
            StatusCode::CONFLICT,
            None,
        ),
        (
            json!({"version": v, "edit": {"op": "unassign", "request_id": 999999}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.request_id"),
        ),
        (
            json!({"version": v, "edit": {"op": "move", "request_id": ride, "route_id": 999999}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.route_id"),
        ),
        (
            json!({"version": v, "edit": {"op": "lock", "route_id": 999999}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.route_id"),
        ),
        (
            json!({"version": v, "edit": {"op": "move", "request_id": ride,
                "route_id": route["id"], "pickup": 0, "dropoff": n + 5}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.dropoff"),
        ),
        (
            json!({"version": v, "edit": {"op": "move", "request_id": ride,
                "route_id": route["id"], "pickup": 3, "dropoff": 2}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.pickup"),
        ),
        (
            json!({"version": v, "edit": {"op": "move", "request_id": ride,
                "route_id": route["id"], "pickup": 1}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.dropoff"),
        ),
        (
            json!({"version": v, "edit": {"op": "assign", "request_id": ride, "route_id": route["id"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.request_id"),
        ),
        (
            json!({"version": v, "edit": {"op": "swap", "request_id": ride, "other_request_id": ride}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.other_request_id"),
        ),
        (
            json!({"version": v, "edit": {"op": "teleport", "request_id": ride}}),
            StatusCode::BAD_REQUEST,
            Some("edit.op"),
        ),
        (
            json!({"version": v, "edit": {"op": "unassign", "request_id": -3}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("edit.request_id"),
        ),
        (
            json!({"version": v, "edit": {"op": "move", "request_id": ride,
                "route_id": route["id"], "pickup": -1, "dropoff": 2}}),
            StatusCode::BAD_REQUEST,
            Some("edit.pickup"),
        ),
        (
            json!({"version": v, "edit": {"op": "move", "request_id": ride}}),
            StatusCode::BAD_REQUEST,
            Some("edit.route_id"),
        ),
        (
            json!({"version": v, "edit": {"op": "lock", "route_id": route["id"], "colour": 1}}),
            StatusCode::BAD_REQUEST,
            Some("edit.colour"),
        ),
        (
            json!({"version": v, "edit": {"route_id": route["id"]}}),
            StatusCode::BAD_REQUEST,
            Some("edit.op"),
        ),
        (
            json!({"edit": {"op": "lock", "route_id": route["id"]}}),
            StatusCode::BAD_REQUEST,
            Some("version"),
        ),
    ];
    for (body, status, field) in cases {
        let (s, answer) = edit(&app, &dispatcher, body.clone()).await;
        assert_eq!(s, status, "{body}: {answer}");
        if let Some(f) = field {
            assert_eq!(answer["field"], f, "{body}: {answer}");
        } else {
            assert!(
                answer["message"].as_str().unwrap().contains("reload"),
                "{answer}"
            );
        }
    }
    assert_eq!(audit_len(&app).await, audit, "a refused edit left a trace");
    let (_, now) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(now, plan);
    // A member may not edit.
    let member = app.login_as(Role::Member).await;
    let (s, _) = edit(
        &app,
        &member,
        json!({"version": v, "edit": {"op": "lock", "route_id": route["id"]}}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_locked_route_survives_the_next_solve_and_copies_of_a_revision() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 1.0).await;
    let routes = plan["routes"].as_array().unwrap();
    // Lock the busiest route: a fresh solve would most likely change it.
    let kept = routes
        .iter()
        .max_by_key(|r| r["stops"].as_array().unwrap().len())
        .unwrap()
        .clone();
    // Its driver changed by hand, to see the lock keep more than the stops.
    let (s, edited) = app
        .put(
            &dispatcher,
            &format!("/api/v1/plans/{}/routes/{}", app.date, kept["id"]),
            json!({"version": plan["version"], "volunteer_id": null}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    let (s, out) = edit(
        &app,
        &dispatcher,
        json!({"version": edited["version"], "edit": {"op": "lock", "route_id": kept["id"]}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["saved"], true);
    let locked = out["plan"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == kept["id"])
        .unwrap()
        .clone();
    assert_eq!(locked["locked"], true);
    assert!(locked["volunteer_id"].is_null());

    // A new solve with another seed keeps it as it is, and serves the rest.
    let (s, _) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/solve", app.date),
            json!({"time_limit_s": 1.0, "seed": 7}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let solved = wait_for_revision(&app, &dispatcher, 2).await;
    let same: Vec<&Value> = solved["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["shift_id"] == kept["shift_id"])
        .collect();
    assert_eq!(same.len(), 1, "one route on the locked shift");
    let again = same[0];
    assert_eq!(again["locked"], true);
    assert!(again["volunteer_id"].is_null(), "the driver edit is kept");
    for key in [
        "layout",
        "start_min",
        "end_min",
        "distance_km",
        "vehicle_id",
    ] {
        assert_eq!(again[key], kept[key], "{key}");
    }
    let strip = |r: &Value| -> Vec<Value> {
        r["stops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                json!([
                    s["request_id"],
                    s["role"],
                    s["arrival_min"],
                    s["start_min"],
                    s["departure_min"]
                ])
            })
            .collect()
    };
    assert_eq!(
        strip(again),
        strip(&kept),
        "the locked route's stops, unchanged"
    );
    // Its requests are nowhere else, and the whole plan passes the checker.
    let mine: Vec<i64> = sequence(&kept).into_iter().map(|s| s.0).collect();
    for r in solved["routes"].as_array().unwrap() {
        if r["id"] != again["id"] {
            assert!(sequence(r).iter().all(|s| !mine.contains(&s.0)), "{r}");
        }
    }
    assert_eq!(
        solved["figures"]["feasible"], true,
        "{}",
        solved["figures"]["violations"]
    );
    let served: usize = solved["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["stops"].as_array().unwrap().len() / 2)
        .sum();
    let active = app
        .store
        .requests(giro::store::Scope::All, Some(app.date))
        .await
        .unwrap()
        .iter()
        .filter(|r| r.status == giro::domain::RequestStatus::Active)
        .count();
    assert_eq!(
        served + solved["unassigned"].as_array().unwrap().len(),
        active
    );

    // Published, then edited: the new draft keeps the lock.
    let (s, published) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/publish", app.date),
            json!({"revision": 2, "version": solved["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{published}");
    let other = published["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["locked"] == false && !r["stops"].as_array().unwrap().is_empty())
        .expect("an unlocked route")
        .clone();
    let request = other["stops"][0]["request_id"].clone();
    let (s, out) = edit(
        &app,
        &dispatcher,
        json!({"version": published["version"], "confirm": true,
            "edit": {"op": "unassign", "request_id": request}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["plan"]["revision"], 3);
    assert_eq!(out["plan"]["status"], "draft");
    let copy = out["plan"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shift_id"] == kept["shift_id"])
        .unwrap();
    assert_eq!(copy["locked"], true);
    assert_eq!(strip(copy), strip(&kept));
    // Unlocked, the next solve may use the shift freely again.
    let (s, out) = edit(
        &app,
        &dispatcher,
        json!({"version": out["plan"]["version"], "edit": {"op": "unlock", "route_id": copy["id"]}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert!(out["plan"]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["locked"] == false));
}

/// Waits for the running solve to end and returns the plan it made.
async fn wait_for_revision(app: &TestApp, who: &As, revision: i64) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "the solve did not end"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, solve) = app
            .get(who, &format!("/api/v1/plans/{}/solve", app.date))
            .await;
        if solve["status"] != "running" {
            assert_eq!(solve["status"], "done", "{solve}");
            let (_, plan) = app.get(who, &format!("/api/v1/plans/{}", app.date)).await;
            assert_eq!(plan["revision"], revision);
            return plan;
        }
    }
}
