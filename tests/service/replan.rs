//! The live day re-planned through the API: the demo day is published, a
//! driver reports the first stops, a call-in ride is booked, the van is
//! withdrawn at 11:00. At each step the re-plan is a draft that passes the
//! checker (prefix included), keeps the done stops first, and every promised
//! pickup of a request the change does not touch stays inside its window.

use std::collections::HashMap;

use chrono::Local;
use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{carries, f, As, TestApp};

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
            // Reports are to the millisecond: times may shift by that much.
            *start >= was.round().min(was) - 0.01 && *start <= was.round().max(was) + width + 0.01,
            "request {id}: promised from {was}, now {start}"
        );
    }
}

#[tokio::test]
async fn the_day_is_replanned_from_where_it_stands() {
    // A date ahead, so the call-in ride can still be booked.
    let app = TestApp::spawn_on(Local::now().date_naive() + chrono::Duration::days(7)).await;
    // The demo's own day whatever the weekday: the van is free after lunch.
    app.without_generators().await;
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
    let (van, driver) = app.longest_driven(&published).await;
    let stops = van["stops"].as_array().unwrap().clone();
    let first: Vec<(usize, &Value)> = stops.iter().take(3).enumerate().collect();
    app.report_done(&driver, &first, "replan", 0.0).await;

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
    // From 11:00, the drivers silent since: what was planned before then is
    // taken as done, every vehicle goes on as planned, and nothing moves.
    let out = replan(&app, &dispatcher, json!({"at": "11:00"})).await;
    assert_eq!(out["promises_broken"], 0, "{}", out["moves"]);
    promises_kept(&published, &out["plan"], &[], width);

    // A call-in ride, booked after publishing: the re-plan takes it in (or
    // says why not), and nobody else's promise moves.
    let (_, people) = app.get(&dispatcher, "/api/v1/people").await;
    let rider = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["home_place_id"].is_i64() && p["mobility"] == "none")
        .unwrap()
        .clone();
    let (_, places) = app.get(&dispatcher, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "day_centre")
        .unwrap()["id"]
        .clone();
    let (s, call) = app
        .post(
            &dispatcher,
            "/api/v1/requests",
            json!({"date": app.date.to_string(), "kind": "ride",
                   "organisation_id": rider["organisation_id"], "person_id": rider["id"],
                   "from_place_id": rider["home_place_id"], "to_place_id": to,
                   "pickup_at": "14:40", "companions": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{call}");
    let call_id = call["id"].as_i64().unwrap();
    // The cancelled ride, its way back and the ride booked in its place.
    let cancelled = fit_and_accept(&app, &dispatcher, call_id, &published, width).await;
    let out = replan(&app, &dispatcher, json!({})).await;
    let plan = &out["plan"];
    let served = pickups(plan).contains_key(&call_id);
    let listed = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["request_id"] == call_id && u["reason"].is_string());
    assert!(served || listed, "the call is planned or explained: {plan}");
    assert_eq!(out["promises_broken"], 0, "{}", out["moves"]);
    promises_kept(&published, plan, &cancelled, width);

    // The van breaks down at 11:00, which is now (its last report was
    // earlier): it takes its riders home, what it had from then goes to the cars or is listed with a
    // reason; the others keep their promises.
    let eleven = 11.0 * 60.0;
    // Until then the driver reports every stop as planned.
    let until: Vec<&Value> = stops
        .iter()
        .take_while(|s| f(&s["departure_min"]) < eleven)
        .collect();
    let rest: Vec<(usize, &Value)> = until.iter().copied().enumerate().skip(3).collect();
    app.report_done(&driver, &rest, "replan", 0.0).await;
    let stranded: Vec<i64> = stops
        .iter()
        .filter(|s| f(&s["start_min"]) >= eleven && s["role"] == "pickup")
        .map(|s| s["request_id"].as_i64().unwrap())
        .collect();
    assert!(!stranded.is_empty(), "the van has work after 11:00");
    let out = replan(
        &app,
        &dispatcher,
        json!({"at": "11:00", "withdraw": [{"shift_id": van["shift_id"], "from": "11:00"}]}),
    )
    .await;
    let plan = &out["plan"];
    // The van only takes home whoever is on board: past its done stops,
    // drop-offs of the riders it picked up.
    let done = until;
    if let Some(r) = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shift_id"] == van["shift_id"])
    {
        for s in r["stops"].as_array().unwrap().iter().skip(done.len()) {
            let picked = done
                .iter()
                .any(|d| d["request_id"] == s["request_id"] && d["role"] == "pickup");
            assert!(
                s["role"] == "dropoff" && picked,
                "the withdrawn van takes someone new: {s}"
            );
        }
    }
    let now = pickups(plan);
    for id in &stranded {
        let moved = now.get(id).is_some_and(|(_, v)| *v != van["vehicle_id"]);
        let listed = plan["unassigned"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["request_id"] == *id && u["reason"].is_string());
        assert!(
            moved || listed,
            "request {id} moves to a car or is listed: {plan}"
        );
    }
    // The van's riders, their returns and the call may move; everyone else
    // keeps the promised window.
    let mut touched: Vec<i64> = stops
        .iter()
        .map(|s| s["request_id"].as_i64().unwrap())
        .chain([call_id])
        .chain(cancelled)
        .collect();
    let (_, requests) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    for r in requests.as_array().unwrap() {
        if r["return_of"]
            .as_i64()
            .is_some_and(|b| touched.contains(&b))
        {
            touched.push(r["id"].as_i64().unwrap());
        }
    }
    promises_kept(&published, plan, &touched, width);
}

/// "Can we fit it?" for the call: an answer for every shift (a way, or a
/// reason); bad questions name their field. Then a seat freed by a
/// cancellation is offered to the same ride booked again, and taken.
async fn fit_and_accept(
    app: &TestApp,
    who: &As,
    call: i64,
    published: &Value,
    width: f64,
) -> Vec<i64> {
    let path = format!("/api/v1/plans/{}/fit", app.date);
    let (s, answer) = app.post(who, &path, json!({"request_id": call})).await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    let ways = answer["ways"].as_array().unwrap();
    for w in ways {
        assert_eq!(w["promised"]["start"], w["pickup"], "{w}");
        assert!(f(&w["added_km"]) >= -1e-6, "{w}");
    }
    let shifts: Vec<&Value> = ways.iter().map(|w| &w["shift_id"]).collect();
    assert!(
        shifts
            .iter()
            .enumerate()
            .all(|(k, s)| !shifts[..k].contains(s)),
        "one way per shift: {answer}"
    );
    assert_eq!(answer["blocked"].is_null(), !ways.is_empty(), "{answer}");
    if ways.is_empty() {
        let (_, day_shifts) = app
            .get(who, &format!("/api/v1/shifts?date={}", app.date))
            .await;
        for sh in day_shifts.as_array().unwrap() {
            let named = answer["blocked"]["shifts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|b| b["shift_id"] == sh["id"] && b["reason"].is_string());
            assert!(named, "shift {} gives its reason: {answer}", sh["id"]);
        }
    }

    // Unknown, already planned, a wrong field: refused.
    let (s, _) = app.post(who, &path, json!({"request_id": 999_999})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let planned = published["routes"][0]["stops"][0]["request_id"].clone();
    let (s, e) = app.post(who, &path, json!({"request_id": planned})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, e) = app.post(who, &path, json!({"request": call})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["field"], "request", "{e}");
    let accept = format!("{path}/accept");
    let (s, e) = app.post(who, &accept, json!({"request_id": call})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("shift_id"), "{e}");
    let (s, e) = app
        .post(
            who,
            &accept,
            json!({"request_id": call, "shift_id": 999_999}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let field = if ways.is_empty() {
        "request_id"
    } else {
        "shift_id"
    };
    assert_eq!(e["field"], field, "{e}");

    // A rider of the afternoon cancels, and someone calls for the very same
    // ride: its seat is free, so it fits; the way taken is a draft with the
    // call on that shift at the time offered, judged feasible, and every
    // other promise kept.
    let (gone, id) = app.rebook_afternoon_ride(who, published).await;
    let (s, answer) = app.post(who, &path, json!({"request_id": id})).await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    let way = answer["ways"]
        .as_array()
        .unwrap()
        .first()
        .unwrap_or_else(|| panic!("the freed seat takes request {id}: {answer}"))
        .clone();
    let (s, out) = app
        .post(
            who,
            &accept,
            json!({"request_id": id, "shift_id": way["shift_id"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    let plan = &out["plan"];
    assert_eq!(plan["status"], "draft");
    let figures = &plan["figures"];
    assert_eq!(figures["feasible"], true, "{}", figures["violations"]);
    let route = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shift_id"] == way["shift_id"])
        .unwrap_or_else(|| panic!("the chosen shift drives: {plan}"));
    let pickup = route["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["request_id"] == id && s["role"] == "pickup")
        .unwrap_or_else(|| panic!("request {id} rides shift {}: {route}", way["shift_id"]));
    assert_eq!(pickup["time"], way["pickup"], "taken as offered");
    // The cancelled ride and its way back leave; nobody else does.
    let (_, requests) = app
        .get(who, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let mut touched = vec![gone, id];
    touched.extend(
        requests
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["return_of"] == gone)
            .map(|x| x["id"].as_i64().unwrap()),
    );
    promises_kept(published, plan, &touched, width);
    // Now in a route: asking again is a conflict.
    let (s, _) = app.post(who, &path, json!({"request_id": id})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    touched
}

/// A call that fits nowhere at its time is told what would let it in: its
/// time moved by the fewest minutes that fits, and booked so, it fits.
#[tokio::test]
async fn a_call_that_fits_nowhere_is_offered_a_time_that_fits() {
    let app = TestApp::spawn_on(Local::now().date_naive() + chrono::Duration::days(7)).await;
    app.without_generators().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    app.solve(&dispatcher, 2.0).await;
    let published = app.publish_newest(&dispatcher).await;
    // An afternoon rider cancels: the seat is free at that time (the same
    // ride booked again fits there). The rider calls instead for two hours
    // and more away from it, where the day is full.
    let (gone, rebooked) = app.rebook_afternoon_ride(&dispatcher, &published).await;
    let path = format!("/api/v1/plans/{}/fit", app.date);
    let cancel = |id: i64| {
        let app = &app;
        let dispatcher = &dispatcher;
        async move {
            let (s, e) = app
                .post(
                    dispatcher,
                    &format!("/api/v1/requests/{id}/cancel"),
                    json!({}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{e}");
        }
    };
    cancel(rebooked).await;
    let time = published["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .find(|s| s["request_id"] == gone && s["role"] == "pickup")
        .unwrap()["start_min"]
        .as_f64()
        .unwrap()
        .round() as i64;
    let at = |minutes: i64| format!("{:02}:{:02}", minutes / 60, minutes % 60);
    let (_, r) = app
        .get(&dispatcher, &format!("/api/v1/requests/{gone}"))
        .await;
    let book = |pickup: String| {
        json!({"date": app.date.to_string(), "kind": "ride",
               "organisation_id": r["organisation_id"], "person_id": r["person_id"],
               "from_place_id": r["from_place_id"], "to_place_id": r["to_place_id"],
               "pickup_at": pickup, "companions": r["companions"]})
    };
    let mut blocked = None;
    for away in [-125, 125, -150, 150] {
        let (s, call) = app
            .post(&dispatcher, "/api/v1/requests", book(at(time + away)))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{call}");
        let (s, answer) = app
            .post(&dispatcher, &path, json!({"request_id": call["id"]}))
            .await;
        assert_eq!(s, StatusCode::OK, "{answer}");
        cancel(call["id"].as_i64().unwrap()).await;
        if answer["ways"].as_array().unwrap().is_empty() {
            blocked = Some((away, answer));
            break;
        }
    }
    let (away, answer) = blocked.expect("a time two hours away fits nowhere");
    let change = &answer["blocked"]["fits_if"];
    assert_eq!(change["change"], "window_shift", "{answer}");
    let minutes = change["minutes"].as_i64().unwrap();
    assert!(minutes.abs() <= 120, "{answer}");
    // Booked again at that time, it fits.
    let (s, again) = app
        .post(
            &dispatcher,
            "/api/v1/requests",
            book(at(time + away + minutes)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{again}");
    let (_, answer) = app
        .post(&dispatcher, &path, json!({"request_id": again["id"]}))
        .await;
    assert!(
        !answer["ways"].as_array().unwrap().is_empty(),
        "moved by {minutes} minutes it fits: {answer}"
    );
}

/// A route the dispatcher locked is kept whole by a re-plan: a seat freed on
/// it by a cancellation is not given to the same ride booked again.
#[tokio::test]
async fn a_locked_route_is_kept_as_it_is_by_a_replan() {
    let app = TestApp::spawn_on(Local::now().date_naive() + chrono::Duration::days(7)).await;
    app.without_generators().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    app.solve(&dispatcher, 2.0).await;
    let first = app.publish_newest(&dispatcher).await;
    // The route of the first afternoon ride (the one `rebook_afternoon_ride` frees).
    let van = first["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["stops"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["role"] == "pickup" && f(&s["start_min"]) >= 13.0 * 60.0)
        })
        .expect("an afternoon ride")
        .clone();
    let (s, out) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/edits", app.date),
            json!({"version": first["version"], "edit": {"op": "lock", "route_id": van["id"]}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    let published = app.publish_newest(&dispatcher).await;
    let on_van = |plan: &Value| -> Value {
        plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["shift_id"] == van["shift_id"])
            .unwrap_or_else(|| panic!("the van's route: {plan}"))
            .clone()
    };
    let locked = on_van(&published);
    assert_eq!(locked["locked"], true);
    let (gone, call) = app.rebook_afternoon_ride(&dispatcher, &published).await;
    let (_, requests) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let cancelled: Vec<i64> = requests
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == gone || r["return_of"]["request_id"] == gone)
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(carries(&locked, gone), "the seat freed is the van's");
    let out = replan(&app, &dispatcher, json!({})).await;
    let stops = |r: &Value| -> Vec<(Value, Value)> {
        r["stops"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| !cancelled.contains(&s["request_id"].as_i64().unwrap()))
            .map(|s| (s["key"].clone(), s["time"].clone()))
            .collect()
    };
    let kept = on_van(&out["plan"]);
    assert_eq!(
        stops(&kept),
        stops(&locked),
        "the same stops at the same times"
    );
    assert!(!carries(&kept, call), "nobody new on the locked route");
}
