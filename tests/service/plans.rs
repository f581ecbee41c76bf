//! Solving, checking, publishing and editing plans; solves never block reads.

use std::time::{Duration, Instant};

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::checked::check_plan;
use super::support::TestApp;

#[tokio::test]
async fn the_demo_day_solves_to_a_plan_the_checker_accepts() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 3.0).await;
    assert_eq!(plan["status"], "draft");
    assert_eq!(plan["revision"], 1);
    let routes = plan["routes"].as_array().unwrap();
    assert!(
        routes.len() >= 3,
        "van and both meal cars used: {}",
        routes.len()
    );
    assert!(plan["figures"]["feasible"].as_bool().unwrap());
    assert_eq!(plan["figures"]["travel_source"], "haversine");
    check_plan(&app, &plan).await;
    for u in plan["unassigned"].as_array().unwrap() {
        assert!(u["reason"].as_str().is_some_and(|r| !r.is_empty()), "{u}");
    }
}

#[tokio::test]
async fn solving_again_goes_on_from_the_newest_plan_unless_asked_to_start_afresh() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let left_out = |plan: &serde_json::Value| plan["unassigned"].as_array().unwrap().len();
    let km = |plan: &serde_json::Value| plan["figures"]["distance_km"].as_f64().unwrap();
    let first = app.solve(&dispatcher, 2.0).await;
    // A request of the plan is cancelled: the plan goes on without its stops.
    let stops = |plan: &serde_json::Value| -> Vec<i64> {
        plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["stops"].as_array().unwrap())
            .map(|s| s["request_id"].as_i64().unwrap())
            .collect()
    };
    let gone = stops(&first)[0];
    let (s, e) = app
        .post(
            &dispatcher,
            &format!("/api/v1/requests/{gone}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    // A millisecond is no time to search: from nothing, the construction
    // alone leaves a dozen or more of the day's requests out.
    let tiny = |fresh: bool| json!({"time_limit_s": 0.001, "fresh": fresh});
    let again = app.solve_with(&dispatcher, app.date, tiny(false)).await;
    assert_eq!(again["revision"], 2);
    assert!(again["figures"]["feasible"].as_bool().unwrap());
    assert!(!stops(&again).contains(&gone));
    assert!(
        left_out(&again) <= left_out(&first),
        "{} > {}",
        left_out(&again),
        left_out(&first)
    );
    // Its stops gone, no route is longer (straight-line travel times).
    if left_out(&again) == left_out(&first) {
        assert!(
            km(&again) <= km(&first) + 1e-6,
            "{} > {}",
            km(&again),
            km(&first)
        );
    }
    check_plan(&app, &again).await;
    let afresh = app.solve_with(&dispatcher, app.date, tiny(true)).await;
    assert_eq!(afresh["revision"], 3);
    assert!(
        left_out(&afresh) > left_out(&first) + 5,
        "from nothing in a millisecond: {} left out against {}",
        left_out(&afresh),
        left_out(&first)
    );
    check_plan(&app, &afresh).await;
}

#[tokio::test]
async fn a_request_the_solver_cannot_serve_is_unassigned_with_its_reason() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (_, people) = app.get(&dispatcher, "/api/v1/people").await;
    let p = &people[0];
    let (_, places) = app.get(&dispatcher, "/api/v1/places").await;
    let centre = places
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "day_centre")
        .unwrap();
    // Six wheelchairs: no layout of the van holds them.
    let (s, req) = app
        .post(&dispatcher, "/api/v1/requests", json!({
            "organisation_id": p["organisation_id"], "date": app.date.to_string(), "kind": "ride",
            "person_id": p["id"], "from_place_id": p["home_place_id"], "to_place_id": centre["id"],
            "window_at": "dropoff", "window": {"start": "10:00", "end": "10:30"},
            "load": {"wheelchairs": 6}
        }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{req}");
    let plan = app.solve(&dispatcher, 2.0).await;
    let u = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["request_id"] == req["id"])
        .expect("unassigned");
    assert_eq!(u["reason"], "capacity");
    check_plan(&app, &plan).await;
}

#[tokio::test]
async fn drivers_see_only_published_plans_and_edits_wait_for_the_next_publish() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    let route = &plan["routes"][0];
    let driver_vol = route["volunteer_id"]
        .as_i64()
        .expect("shifts carry drivers");
    let driver = app.login(&driver_email(&app, driver_vol).await).await;
    let manifest_path = format!("/api/v1/manifest?date={}", app.date);

    let (s, m) = app.get(&driver, &manifest_path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        m["routes"].as_array().unwrap().is_empty(),
        "a draft never reaches drivers: {m}"
    );

    let (s, published) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/publish", app.date),
            json!({"revision": 1, "version": plan["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{published}");
    assert_eq!(published["status"], "published");
    let (_, m) = app.get(&driver, &manifest_path).await;
    let routes = m["routes"].as_array().unwrap();
    assert!(!routes.is_empty());
    assert_eq!(
        routes[0]["stops"].as_array().unwrap().len(),
        route["stops"].as_array().unwrap().len()
    );
    // Need to know only: no organisation, purpose or dispatcher notes.
    let text = m.to_string();
    for hidden in ["organisation", "purpose", "\"notes\""] {
        assert!(!text.contains(hidden), "manifest leaks {hidden}");
    }

    // Take the route away from this driver: a new draft; the driver still sees revision 1.
    let (s, edited) = app
        .put(
            &dispatcher,
            &format!("/api/v1/plans/{}/routes/{}", app.date, route["id"]),
            json!({"version": published["version"], "volunteer_id": null}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["revision"], 2);
    assert_eq!(edited["status"], "draft");
    let (_, m) = app.get(&driver, &manifest_path).await;
    assert_eq!(m["revision"], 1);
    assert!(!m["routes"].as_array().unwrap().is_empty());

    let (s, _) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/publish", app.date),
            json!({"revision": 2, "version": edited["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, m) = app.get(&driver, &manifest_path).await;
    assert_eq!(m["revision"], 2);
    assert!(m["routes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["route_id"] != route["id"]));
    let (_, old) = app
        .get(
            &dispatcher,
            &format!("/api/v1/plans/{}?revision=1", app.date),
        )
        .await;
    assert_eq!(old["status"], "superseded");
}

/// The e-mail of the driver user who drives as `volunteer`.
async fn driver_email(app: &TestApp, volunteer: i64) -> String {
    for l in app.demo.logins.iter().filter(|l| l.role == Role::Driver) {
        let (user, _) = app.store.user_for_login(&l.email).await.unwrap().unwrap();
        if user.volunteer_id == Some(volunteer) {
            return l.email.clone();
        }
    }
    panic!("no driver user for volunteer {volunteer}")
}

#[tokio::test]
async fn of_two_concurrent_publishes_or_edits_one_wins_and_the_other_gets_409() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let admin = app.login_as(Role::Admin).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    let path = format!("/api/v1/plans/{}/publish", app.date);
    let body = json!({"revision": 1, "version": plan["version"]});
    let (a, b) = tokio::join!(
        app.post(&dispatcher, &path, body.clone()),
        app.post(&admin, &path, body)
    );
    let mut codes = [a.0, b.0];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::CONFLICT], "{a:?} {b:?}");
    let loser = if a.0 == StatusCode::CONFLICT {
        a.1
    } else {
        b.1
    };
    assert_eq!(loser["error"], "conflict");

    let (_, current) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    let route = current["routes"][0]["id"].clone();
    let edit = format!("/api/v1/plans/{}/routes/{}", app.date, route);
    let body = json!({"version": current["version"], "volunteer_id": null});
    let (a, b) = tokio::join!(
        app.put(&dispatcher, &edit, body.clone()),
        app.put(&admin, &edit, body)
    );
    let mut codes = [a.0, b.0];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::CONFLICT], "{a:?} {b:?}");
    // Exactly one new draft came of it.
    let (_, latest) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(latest["revision"], 2);
    // A stale version is refused too.
    let (s, _) = app
        .post(&dispatcher, &path, json!({"revision": 2, "version": 999}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_long_solve_never_blocks_reads_and_can_be_cancelled() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let member = app.login_as(Role::Member).await;
    let solve_path = format!("/api/v1/plans/{}/solve", app.date);
    let (s, started) = app
        .post(&dispatcher, &solve_path, json!({"time_limit_s": 30}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{started}");
    assert_eq!(started["status"], "running");
    // A second solve of the same date is refused while the first runs.
    let (s, _) = app.post(&dispatcher, &solve_path, json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);

    let mut latencies = Vec::new();
    for i in 0..40 {
        let t = Instant::now();
        let (s, _) = if i % 2 == 0 {
            app.get(&member, "/api/v1/people").await
        } else {
            app.get(&dispatcher, "/api/v1/requests").await
        };
        latencies.push(t.elapsed());
        assert_eq!(s, StatusCode::OK);
    }
    // Writes too: an association edits a person meanwhile.
    let (_, mine) = app.get(&member, "/api/v1/people").await;
    let mut person = mine[0].clone();
    let id = person["id"].as_i64().unwrap();
    for k in ["id", "organisation_id"] {
        person.as_object_mut().unwrap().remove(k);
    }
    for i in 0..10 {
        person["driver_notes"] = json!(format!("note {i}"));
        let (s, b) = app
            .put(&member, &format!("/api/v1/people/{id}"), person.clone())
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    // All reads and writes were answered while the solve was still running.
    let (_, during) = app.get(&dispatcher, &solve_path).await;
    assert_eq!(during["status"], "running", "{during}");
    latencies.sort();
    eprintln!(
        "[{}] 40 reads during a 30 s solve: median {:?}, max {:?}",
        super::support::backend_name(),
        latencies[20],
        latencies[39]
    );

    let (s, c) = app
        .post(&dispatcher, &format!("{solve_path}/cancel"), json!({}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{c}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let end = loop {
        assert!(
            Instant::now() < deadline,
            "the cancel did not stop the solve"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, r) = app.get(&dispatcher, &solve_path).await;
        if r["status"] != "running" {
            break r;
        }
    };
    assert_eq!(end["status"], "cancelled");
    assert!(end["elapsed_s"].as_f64().unwrap() < 30.0);
    // The best plan so far is kept as a draft.
    let (s, plan) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(plan["id"], end["plan_id"]);
    check_plan(&app, &plan).await;
}

#[tokio::test]
async fn two_instances_on_one_database_share_solves_and_race_fairly() {
    let a = TestApp::spawn().await;
    let b = a.peer().await;
    let on_a = a.login_as(Role::Dispatcher).await;
    // A session made on one instance works on the other: nothing lives in memory.
    let on_b = on_a.clone();
    let (s, _) = b.get(&on_b, "/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);

    // A solve started on A is seen and cancelled from B.
    let solve = format!("/api/v1/plans/{}/solve", a.date);
    let (s, _) = a.post(&on_a, &solve, json!({"time_limit_s": 30})).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (s, _) = b.post(&on_b, &solve, json!({"time_limit_s": 30})).await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "one running solve per date, across instances"
    );
    let (_, seen) = b.get(&on_b, &solve).await;
    assert_eq!(seen["status"], "running");
    let (s, _) = b.post(&on_b, &format!("{solve}/cancel"), json!({})).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        assert!(
            Instant::now() < deadline,
            "the cancel from B did not reach A's solve"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, r) = a.get(&on_a, &solve).await;
        if r["status"] != "running" {
            assert_eq!(r["status"], "cancelled");
            break;
        }
    }

    // Edits and publishes made on one version through both instances: one winner each round.
    for round in 0..4 {
        let (_, plan) = a.get(&on_a, &format!("/api/v1/plans/{}", a.date)).await;
        let route = plan["routes"][0]["id"].clone();
        let edit = format!("/api/v1/plans/{}/routes/{route}", a.date);
        let body = json!({"version": plan["version"], "volunteer_id": null});
        let (x, y) = tokio::join!(a.put(&on_a, &edit, body.clone()), b.put(&on_b, &edit, body));
        let mut codes = [x.0, y.0];
        codes.sort();
        assert_eq!(
            codes,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {x:?} {y:?}"
        );
        let loser = if x.0 == StatusCode::CONFLICT {
            &x.1
        } else {
            &y.1
        };
        assert!(
            loser["message"].as_str().unwrap().contains("reload"),
            "{loser}"
        );

        let (_, plan) = b.get(&on_b, &format!("/api/v1/plans/{}", a.date)).await;
        let publish = format!("/api/v1/plans/{}/publish", a.date);
        let body = json!({"revision": plan["revision"], "version": plan["version"]});
        let (x, y) = tokio::join!(
            a.post(&on_a, &publish, body.clone()),
            b.post(&on_b, &publish, body)
        );
        let mut codes = [x.0, y.0];
        codes.sort();
        assert_eq!(
            codes,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {x:?} {y:?}"
        );
    }
    // One published revision, whatever the interleaving.
    let published: Vec<i64> = {
        let mut v = Vec::new();
        for rev in 1..=20 {
            let (s, p) = a
                .get(&on_a, &format!("/api/v1/plans/{}?revision={rev}", a.date))
                .await;
            if s == StatusCode::OK && p["status"] == "published" {
                v.push(rev);
            }
        }
        v
    };
    assert_eq!(published.len(), 1, "{published:?}");
    // An older draft cannot be published over a newer published revision.
    let (s, _) = a
        .post(
            &on_a,
            &format!("/api/v1/plans/{}/publish", a.date),
            json!({"revision": 1, "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

/// A solve's progress is recorded whether or not a cost is known yet, in any
/// order, on every backend (PostgreSQL once refused a cost after a NULL one
/// on the same cached statement).
#[tokio::test]
async fn progress_without_a_cost_and_then_with_one_is_recorded() {
    let app = TestApp::spawn().await;
    let store = &app.store;
    let started = store
        .start_solve(giro::store::Actor(None), app.date, 1.0, 7)
        .await
        .unwrap();
    let id = started.record.id;
    // Enough beats that each pooled connection sees both shapes.
    for beat in 0..24_i64 {
        let cost = (beat % 2 == 1).then_some(100.0 + beat as f64 / 4.0);
        store
            .solve_heartbeat(id, beat as f64, beat, cost, Some(beat))
            .await
            .unwrap_or_else(|e| panic!("beat {beat} ({cost:?}): {e}"));
        let seen = store.solve(id).await.unwrap();
        assert_eq!(seen.best_cost, cost, "beat {beat}");
        assert_eq!(seen.iterations, beat);
    }
}
