//! A request's lifecycle as its association sees it, on the real app:
//! cancelling takes the way back along (late within the cut-off), a no-show
//! at the pickup cancels the way back unless kept, a will-call is planned
//! only once the rider calls, and the states follow the plan and the driver.

use chrono::{Duration, Local, NaiveDate, NaiveDateTime};
use giro::domain::{Role, WayBack};
use giro::service::{lifecycle, rides};
use giro::store::{Actor, Scope};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// The member's `nth` rider who needs no lift, with a home and a public place to go to.
async fn rider(app: &TestApp, member: &As, nth: usize) -> (i64, i64, i64) {
    let (_, people) = app.get(member, "/api/v1/people").await;
    let person = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["mobility"] == "none" || p["mobility"] == "walker")
        .nth(nth)
        .unwrap_or_else(|| panic!("the member has a rider #{nth}: {people}"))
        .clone();
    let (_, places) = app.get(member, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organisation_id"].is_null() && p["kind"] == "town_hall")
        .expect("a public place");
    (
        person["id"].as_i64().unwrap(),
        person["home_place_id"].as_i64().unwrap(),
        to["id"].as_i64().unwrap(),
    )
}

fn ride(date: NaiveDate, (person, home, to): (i64, i64, i64), pickup: &str, back: Value) -> Value {
    json!({
        "date": date.to_string(), "kind": "ride", "person_id": person,
        "from_place_id": home, "to_place_id": to, "pickup_at": pickup, "way_back": back,
    })
}

/// Books a ride with its way back as `member`: (outbound, way back) ids.
async fn book(app: &TestApp, member: &As, body: Value) -> (i64, i64) {
    let (s, out) = app.post(member, "/api/v1/requests", body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    let id = out["id"].as_i64().unwrap();
    let (_, all) = app
        .get(
            member,
            &format!("/api/v1/requests?date={}", body["date"].as_str().unwrap()),
        )
        .await;
    let back = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["return_of"]["request_id"] == id)
        .expect("the way back is booked with its outbound");
    (id, back["id"].as_i64().unwrap())
}

async fn request(app: &TestApp, who: &As, id: i64) -> Value {
    let (s, r) = app.get(who, &format!("/api/v1/requests/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r
}

async fn act(app: &TestApp, who: &As, id: i64, what: &str, body: Value) -> (StatusCode, Value) {
    app.post(who, &format!("/api/v1/requests/{id}/{what}"), body)
        .await
}

/// Where each request's stops sit in a plan: (route's volunteer, pickup, drop-off start).
fn stops(plan: &Value, id: i64) -> Option<(Option<i64>, f64, f64)> {
    for route in plan["routes"].as_array().unwrap() {
        let at = |role: &str| {
            route["stops"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["request_id"] == id && s["role"] == role)
                .map(|s| s["start_min"].as_f64().unwrap())
        };
        if let (Some(p), Some(d)) = (at("pickup"), at("dropoff")) {
            return Some((route["volunteer_id"].as_i64(), p, d));
        }
    }
    None
}

async fn report(app: &TestApp, driver: &As, id: i64, role: &str, kind: &str, at: &str) {
    let (s, e) = app
        .post(
            driver,
            "/api/v1/events",
            json!({
                "id": format!("ev-{id}-{role}-{kind}-{}", at.replace(':', "")),
                "date": app.date.to_string(), "stop": format!("{id}-{role}"), "kind": kind,
                "at": format!("{}T{at}:00Z", app.date),
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
}

#[tokio::test]
async fn cancelling_an_outbound_cancels_its_way_back_late_or_on_time() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let who = rider(&app, &member, 0).await;

    // Far ahead: on time.
    let far = today() + Duration::days(200);
    let (out, back) = book(
        &app,
        &member,
        ride(far, who, "10:00", json!({"after_minutes": 60})),
    )
    .await;
    assert_eq!(
        request(&app, &member, out).await["lifecycle"],
        json!({"state": "requested"})
    );
    let (s, done) = act(&app, &member, out, "cancel", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "cancelled");
    assert_eq!(done["lifecycle"]["state"], "cancelled");
    let b = request(&app, &member, back).await;
    assert_eq!(
        (&b["status"], &b["lifecycle"]["state"]),
        (&json!("cancelled"), &json!("cancelled"))
    );
    // Cancelling again changes nothing.
    let (s, again) = act(&app, &member, out, "cancel", json!({})).await;
    assert_eq!((s, &again["status"]), (StatusCode::OK, &json!("cancelled")));

    // Within the cut-off: late, and so is the way back (a will-call here).
    let (_, mut policy) = app.get(&dispatcher, "/api/v1/policy").await;
    policy["cancel"]["late_within_minutes"] = json!(2880);
    let (s, p) = app.put(&dispatcher, "/api/v1/policy", policy).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let tomorrow = today() + Duration::days(1);
    let (out, back) = book(
        &app,
        &member,
        ride(tomorrow, who, "10:00", json!("will_call")),
    )
    .await;
    assert_eq!(
        request(&app, &member, back).await["lifecycle"]["state"],
        "waiting_call"
    );
    let (s, done) = act(&app, &member, out, "cancel", json!(null)).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["lifecycle"]["state"], "cancelled_late");
    assert_eq!(
        request(&app, &member, back).await["status"],
        "cancelled_late"
    );

    // A way back kept beforehand stays when its outbound is cancelled ...
    let (out, back) = book(
        &app,
        &member,
        ride(far, who, "15:00", json!({"at": "17:00"})),
    )
    .await;
    let (s, kept) = act(&app, &member, out, "keep-return", json!({})).await;
    assert_eq!(
        (s, kept["id"].as_i64()),
        (StatusCode::OK, Some(back)),
        "{kept}"
    );
    act(&app, &member, out, "cancel", json!({})).await;
    assert_eq!(request(&app, &member, out).await["status"], "cancelled");
    assert_eq!(request(&app, &member, back).await["status"], "active");
    // ... and one cancelled with its outbound comes back when kept afterwards.
    let (out, back) = book(
        &app,
        &member,
        ride(far, who, "08:00", json!({"after_minutes": 30})),
    )
    .await;
    act(&app, &member, out, "cancel", json!({})).await;
    assert_eq!(request(&app, &member, back).await["status"], "cancelled");
    let (s, kept) = act(&app, &member, back, "keep-return", json!({})).await;
    assert_eq!(
        (s, &kept["status"]),
        (StatusCode::OK, &json!("active")),
        "{kept}"
    );
    // A way back cancelled on purpose is not brought back.
    act(&app, &member, back, "cancel", json!({})).await;
    let (s, refused) = act(&app, &member, back, "keep-return", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{refused}");

    // Another association finds none of it; the admin may act for anyone.
    let other = app.login(&app.email(Role::Member, 1)).await;
    let (_, seen) = app
        .get(&other, &format!("/api/v1/requests?date={far}"))
        .await;
    assert!(seen
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != out && r["id"] != back));
    let (fresh, _) = book(&app, &member, ride(far, who, "11:00", json!("will_call"))).await;
    for what in ["cancel", "keep-return", "call"] {
        let (s, body) = act(&app, &other, fresh, what, json!({})).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{what}: {body}");
    }
    assert_eq!(request(&app, &member, fresh).await["status"], "active");
    let (s, _) = act(
        &app,
        &app.login_as(Role::Admin).await,
        fresh,
        "cancel",
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_no_show_cancels_the_way_back_unless_kept() {
    let app = TestApp::spawn_on(today() + Duration::days(7)).await;
    app.quiet().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (a, b) = (rider(&app, &member, 0).await, rider(&app, &member, 1).await);
    let (a_out, a_back) = book(
        &app,
        &member,
        ride(app.date, a, "10:30", json!({"after_minutes": 60})),
    )
    .await;
    let (b_out, b_back) = book(
        &app,
        &member,
        ride(app.date, b, "11:00", json!({"after_minutes": 45})),
    )
    .await;
    act(&app, &member, b_out, "keep-return", json!({})).await;
    app.solve(&dispatcher, 2.0).await;
    let plan = app.publish_newest(&dispatcher).await;

    // A linked return starts no earlier than its rule: the gap after the drop-off.
    for (out, back, gap) in [(a_out, a_back, 60.0), (b_out, b_back, 45.0)] {
        let (_, _, dropoff) = stops(&plan, out).unwrap_or_else(|| panic!("{out} routed: {plan}"));
        let (_, pickup, _) = stops(&plan, back).unwrap_or_else(|| panic!("{back} routed: {plan}"));
        assert!(
            pickup >= dropoff + gap - 1e-6,
            "{back}: {pickup} < {dropoff} + {gap}"
        );
        assert_eq!(
            request(&app, &member, back).await["lifecycle"]["state"],
            "scheduled"
        );
    }

    for out in [a_out, b_out] {
        let (volunteer, _, _) = stops(&plan, out).unwrap();
        let (_, driver) = app
            .driver_of(volunteer.expect("the route has a driver"))
            .await;
        report(&app, &driver, out, "pickup", "arrived", "09:00").await;
        report(&app, &driver, out, "pickup", "no_show", "09:05").await;
    }
    let a = request(&app, &member, a_out).await;
    assert_eq!(
        (&a["status"], &a["lifecycle"]["state"]),
        (&json!("no_show"), &json!("no_show"))
    );
    let back = request(&app, &member, a_back).await;
    assert_eq!(
        (&back["status"], &back["lifecycle"]["state"]),
        (&json!("cancelled"), &json!("cancelled"))
    );
    // Kept beforehand: the way back stays planned.
    assert_eq!(request(&app, &member, b_out).await["status"], "no_show");
    let back = request(&app, &member, b_back).await;
    assert_eq!(
        (&back["status"], &back["lifecycle"]["state"]),
        (&json!("active"), &json!("scheduled"))
    );
    // Confirmed afterwards, while its time has not passed: back again.
    let (s, kept) = act(&app, &member, a_out, "keep-return", json!({})).await;
    assert_eq!(
        (s, kept["id"].as_i64()),
        (StatusCode::OK, Some(a_back)),
        "{kept}"
    );
    assert_eq!(kept["status"], "active");
    // A missed ride cannot be cancelled any more.
    let (s, body) = act(&app, &member, a_out, "cancel", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn the_lifecycle_follows_the_plan_and_the_driver() {
    let app = TestApp::spawn_on(today() + Duration::days(7)).await;
    app.quiet().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let who = rider(&app, &member, 0).await;
    let mut body = ride(app.date, who, "10:30", json!(null));
    body.as_object_mut().unwrap().remove("way_back");
    let (s, r) = app.post(&member, "/api/v1/requests", body.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().unwrap();
    // Late in the evening no shift runs: the plan turns it down.
    body["pickup_at"] = json!("23:00");
    let (_, late) = app.post(&member, "/api/v1/requests", body).await;
    let late = late["id"].as_i64().unwrap();
    assert_eq!(r["lifecycle"], json!({"state": "requested"}));

    app.solve(&dispatcher, 2.0).await;
    assert_eq!(
        request(&app, &member, id).await["lifecycle"]["state"],
        "requested",
        "a draft promises nothing"
    );
    let plan = app.publish_newest(&dispatcher).await;
    let r = request(&app, &member, id).await;
    assert_eq!(r["lifecycle"]["state"], "scheduled", "{r}");
    assert_eq!(r["lifecycle"]["pickup"]["start"], r["promised_pickup"]);
    let reason = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["request_id"] == late)
        .unwrap_or_else(|| panic!("{late} left out: {plan}"))["reason"]
        .clone();
    let l = request(&app, &member, late).await["lifecycle"].clone();
    assert_eq!(l, json!({"state": "turned_down", "reason": reason}));

    let (volunteer, _, _) = stops(&plan, id).expect("routed");
    let (_, driver) = app.driver_of(volunteer.unwrap()).await;
    report(&app, &driver, id, "pickup", "arrived", "09:20").await;
    assert_eq!(
        request(&app, &member, id).await["lifecycle"]["state"],
        "scheduled"
    );
    report(&app, &driver, id, "pickup", "done", "09:25").await;
    assert_eq!(
        request(&app, &member, id).await["lifecycle"]["state"],
        "on_board"
    );
    let (s, body) = act(&app, &member, id, "cancel", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "on board: {body}");
    report(&app, &driver, id, "dropoff", "done", "09:40").await;
    let (_, mine) = app
        .get(&member, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let r = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap();
    assert_eq!(r["lifecycle"], json!({"state": "completed"}));
    assert_eq!(r["status"], "active");
}

fn at(date: NaiveDate, time: &str) -> NaiveDateTime {
    date.and_time(time.parse().unwrap())
}

#[tokio::test]
async fn a_will_call_is_planned_only_once_called() {
    let app = TestApp::spawn().await;
    app.quiet().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (person, home, to) = rider(&app, &member, 0).await;
    let org = app
        .store
        .person(Scope::All, person)
        .await
        .unwrap()
        .organisation_id;
    // Booked as of the morning of the (fixed) test day, which "now" then is.
    let mut input: giro::domain::RequestInput =
        serde_json::from_value(ride(app.date, (person, home, to), "10:00", json!(null))).unwrap();
    input.way_back = Some(WayBack::WillCall);
    let out = rides::book_at(&app.store, Actor(None), org, &input, at(app.date, "07:00"))
        .await
        .unwrap();
    let back = app
        .store
        .way_back_id(out.id)
        .await
        .unwrap()
        .expect("a way back");

    let plan = app.solve(&dispatcher, 1.0).await;
    assert!(stops(&plan, out.id).is_some(), "the outbound is planned");
    assert!(stops(&plan, back).is_none(), "not before the call: {plan}");
    assert!(plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["request_id"] != back));
    assert_eq!(
        request(&app, &member, back).await["lifecycle"]["state"],
        "waiting_call"
    );

    let called = lifecycle::call(
        &app.store,
        Actor(None),
        Scope::Organisation(org),
        back,
        Some("12:00".parse().unwrap()),
        at(app.date, "11:10"),
    )
    .await
    .unwrap();
    assert_eq!(called.status, giro::domain::RequestStatus::Active);
    let plan = app.solve(&dispatcher, 1.0).await;
    let (_, pickup, _) =
        stops(&plan, back).unwrap_or_else(|| panic!("planned once called: {plan}"));
    assert!(
        pickup >= 12.0 * 60.0,
        "not before the time the rider gave: {pickup}"
    );
    let (_, _, dropoff) = stops(&plan, out.id).unwrap();
    assert!(pickup >= dropoff);
    // Called once is enough.
    let (s, body) = act(&app, &member, back, "call", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn a_call_over_http_starts_the_window_now_and_only_today() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let (person, home, to) = rider(&app, &member, 0).await;
    let org = app
        .store
        .person(Scope::All, person)
        .await
        .unwrap()
        .organisation_id;
    let book_for = |date: NaiveDate| {
        let mut input: giro::domain::RequestInput =
            serde_json::from_value(ride(date, (person, home, to), "00:30", json!(null))).unwrap();
        input.way_back = Some(WayBack::WillCall);
        input
    };
    let midnight = at(today(), "00:00");
    let out = rides::book_at(&app.store, Actor(None), org, &book_for(today()), midnight)
        .await
        .unwrap();
    let back = app.store.way_back_id(out.id).await.unwrap().unwrap();
    let other_day = today() + Duration::days(3);
    let later = rides::book_at(&app.store, Actor(None), org, &book_for(other_day), midnight)
        .await
        .unwrap();
    let later_back = app.store.way_back_id(later.id).await.unwrap().unwrap();

    let (s, e) = act(&app, &member, later_back, "call", json!({})).await;
    assert_eq!(
        (s, &e["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("date")),
        "{e}"
    );
    let (s, e) = act(&app, &member, back, "call", json!({"at": "7 o'clock"})).await;
    assert_eq!(
        (s, &e["field"]),
        (StatusCode::BAD_REQUEST, &json!("at")),
        "{e}"
    );
    let (s, e) = act(&app, &member, back, "call", json!({"when": "now"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(request(&app, &member, back).await["status"], "will_call");

    let minute = |t: NaiveDateTime| t.format("%H:%M").to_string();
    let before = minute(Local::now().naive_local());
    let (s, r) = app
        .call(
            Some(&member),
            reqwest::Method::POST,
            &format!("/api/v1/requests/{back}/call"),
            None,
        )
        .await;
    let after = minute(Local::now().naive_local());
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (&r["status"], &r["lifecycle"]["state"]),
        (&json!("active"), &json!("requested"))
    );
    let start = r["window"]["start"].as_str().unwrap().to_string();
    assert!(
        before <= start && start <= after,
        "{before} <= {start} <= {after}"
    );
}

#[tokio::test]
async fn cancelling_by_an_edit_cancels_the_way_back_too() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let who = rider(&app, &member, 0).await;
    let far = today() + Duration::days(200);
    let (out, back) = book(
        &app,
        &member,
        ride(far, who, "10:00", json!({"after_minutes": 60})),
    )
    .await;
    // The outbound as read, with `cancelled` for status and its way back
    // left out (it is booked with the outbound, not edited).
    let mut body = ride(far, who, "10:00", Value::Null);
    body.as_object_mut().unwrap().remove("way_back");
    body["status"] = json!("cancelled");
    let (s, done) = app
        .put(&member, &format!("/api/v1/requests/{out}"), body)
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["lifecycle"]["state"], "cancelled");
    let b = request(&app, &member, back).await;
    assert_eq!(
        (&b["status"], &b["lifecycle"]["state"]),
        (&json!("cancelled"), &json!("cancelled")),
        "the way back goes with its outbound"
    );
}
