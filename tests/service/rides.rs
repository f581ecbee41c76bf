//! Rides as associations book them, asserted on the solved plan: arrive-by,
//! the rider's needs, the way back's rule, the ride-time policy, priorities
//! when the van is short, and bad bookings refused with nothing written.

use chrono::{Days, Local, NaiveDate};
use giro::domain::Role;
use giro::store::Scope;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::checked::check_plan_on;
use super::support::{As, TestApp};

/// A day far enough ahead that every time on it is in the future.
pub(super) fn ahead(days: u64) -> NaiveDate {
    Local::now().date_naive() + Days::new(days)
}

fn minutes(hm: &str) -> f64 {
    let (h, m) = hm.split_once(':').unwrap();
    f64::from(h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap())
}

pub(super) async fn person(app: &TestApp, who: &As, name: &str) -> Value {
    let (_, people) = app.get(who, "/api/v1/people").await;
    people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str().unwrap().starts_with(name))
        .unwrap_or_else(|| panic!("{name} in the demo"))
        .clone()
}

pub(super) async fn place(app: &TestApp, who: &As, starts: &str) -> i64 {
    let (_, places) = app.get(who, "/api/v1/places").await;
    places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("{starts} in the demo"))["id"]
        .as_i64()
        .unwrap()
}

/// A ride for `p` from home to `to` on `date`, with `timing` merged in.
pub(super) fn ride(p: &Value, to: i64, date: NaiveDate, timing: Value) -> Value {
    let mut r = json!({
        "organisation_id": p["organisation_id"],
        "date": date.to_string(),
        "kind": "ride",
        "person_id": p["id"],
        "from_place_id": p["home_place_id"],
        "to_place_id": to,
    });
    for (k, v) in timing.as_object().unwrap() {
        r[k] = v.clone();
    }
    r
}

/// A shift on `date` for the van with the lift (`lift`) or for a car.
pub(super) async fn on_duty(
    app: &TestApp,
    who: &As,
    date: NaiveDate,
    lift: bool,
    hours: (&str, &str),
) {
    let (_, vehicles) = app.get(who, "/api/v1/vehicles").await;
    let vehicle = vehicles
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["skills"].as_array().unwrap().contains(&json!("lift")) == lift)
        .unwrap()["id"]
        .clone();
    let (start, end) = hours;
    let (s, shift) = app
        .post(
            who,
            "/api/v1/shifts",
            json!({"date": date.to_string(), "vehicle_id": vehicle, "window": {"start": start, "end": end}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{shift}");
}

pub(super) fn stops_of(plan: &Value, request: i64) -> Vec<(Value, Value)> {
    let mut found = Vec::new();
    for route in plan["routes"].as_array().unwrap() {
        for s in route["stops"].as_array().unwrap() {
            if s["request_id"] == request {
                found.push((route.clone(), s.clone()));
            }
        }
    }
    found
}

fn stop(plan: &Value, request: i64, role: &str) -> (Value, Value) {
    stops_of(plan, request)
        .into_iter()
        .find(|(_, s)| s["role"] == role)
        .unwrap_or_else(|| panic!("request {request} has a {role} in {plan}"))
}

#[tokio::test]
async fn an_arrive_by_ride_in_the_chair_with_its_way_back_is_planned_by_the_rules() {
    let app = TestApp::spawn_on(ahead(40)).await;
    // The day after the demo's: the van free for this booking.
    let date = app.date + Days::new(1);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let giuseppina = person(&app, &dispatcher, "Giuseppina Parodi").await;
    assert_eq!(giuseppina["mobility"], "wheelchair");
    let office = place(&app, &dispatcher, "ASL 4").await;
    let booking = ride(
        &giuseppina,
        office,
        date,
        json!({"appointment": "11:00", "purpose": "health_visit", "way_back": {"after_minutes": 60}}),
    );
    let (s, out) = app.post(&dispatcher, "/api/v1/requests", booking).await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    let id = out["id"].as_i64().unwrap();
    // The window follows from the appointment and the policy: 30 to 5 minutes before.
    assert_eq!(out["window_at"], "dropoff");
    assert_eq!(out["window"], json!({"start": "10:30", "end": "10:55"}));
    // The room follows from the rider: a wheelchair place, and the lift.
    assert_eq!(out["load"]["wheelchairs"], 1);
    assert!(out["skills"].as_array().unwrap().contains(&json!("lift")));
    let (_, all) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={date}"))
        .await;
    let back = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["return_of"]["request_id"] == id)
        .expect("the way back is booked with the outbound")
        .clone();
    assert_eq!(back["way_back"], json!({"after_minutes": 60}));
    assert_eq!(back["from_place_id"], office);

    let plan = solve_date(&app, &dispatcher, date).await;
    let (built, _) = check_plan_on(&app, date, &plan).await;
    let (route, dropoff) = stop(&plan, id, "dropoff");
    let arrival = dropoff["start_min"].as_f64().unwrap();
    assert!(
        (minutes("10:30")..=minutes("10:55")).contains(&arrival),
        "arrives inside its window: {dropoff}"
    );
    // In the chair: on the vehicle with the lift, in a layout with a wheelchair place.
    let (_, vehicles) = app.get(&dispatcher, "/api/v1/vehicles").await;
    let vehicle = vehicles
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == route["vehicle_id"])
        .unwrap();
    assert!(vehicle["skills"]
        .as_array()
        .unwrap()
        .contains(&json!("lift")));
    let layout = vehicle["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == route["layout"])
        .unwrap();
    assert!(layout["capacity"]["wheelchairs"].as_u64().unwrap() >= 1);
    // The way back starts no earlier than its rule: an hour after the appointment.
    let back_id = back["id"].as_i64().unwrap();
    let (_, pickup) = stop(&plan, back_id, "pickup");
    assert!(
        pickup["start_min"].as_f64().unwrap() >= minutes("12:00"),
        "{pickup}"
    );

    // No ride on the day is longer than its policy allows (the checker
    // agreed above; here each against the policy's own figure).
    let policy = app.store.ride_policy().await.unwrap();
    let m = &built.problem.matrix;
    for (j, job) in built.problem.jobs.iter().enumerate() {
        let (Some(p), Some(d)) = (job.pickup, job.dropoff) else {
            continue;
        };
        let request = built.jobs[j].request_id;
        let r = app.store.request(Scope::All, request).await.unwrap();
        if r.kind != giro::domain::RequestKind::Ride || r.max_ride_minutes.is_some() {
            continue;
        }
        let stops = stops_of(&plan, request);
        if stops.is_empty() {
            continue;
        }
        let limit = policy.max_ride_minutes(
            m.time(p.location, d.location),
            m.distance(p.location, d.location),
        );
        let (_, up) = stop(&plan, request, "pickup");
        let (_, down) = stop(&plan, request, "dropoff");
        let on_board = down["start_min"].as_f64().unwrap() - up["departure_min"].as_f64().unwrap();
        assert!(
            on_board <= limit + 1e-6,
            "request {request}: {on_board} min on board, policy {limit}"
        );
    }
}

#[tokio::test]
async fn when_the_van_is_short_the_medical_visit_is_kept_and_the_errand_turned_down() {
    let app = TestApp::spawn_on(ahead(41)).await;
    let date = app.date + Days::new(1);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    // One short shift: time for one trip to Lavagna and back, not two.
    on_duty(&app, &dispatcher, date, true, ("08:40", "09:30")).await;
    let hospital = place(&app, &dispatcher, "Ospedale di Lavagna").await;
    let riva = place(&app, &dispatcher, "Spazio incontro Riva").await;
    let angela = person(&app, &dispatcher, "Angela Podest").await;
    let ida = person(&app, &dispatcher, "Ida Costa").await;
    let at_nine = json!({"pickup_at": "09:00"});
    let mut visit = ride(&angela, hospital, date, at_nine.clone());
    visit["purpose"] = json!("health_visit");
    let mut errand = ride(&ida, riva, date, at_nine);
    errand["purpose"] = json!("social_errand");
    // The errand is booked first: the order of booking does not decide.
    let (s, errand) = app.post(&dispatcher, "/api/v1/requests", errand).await;
    assert_eq!(s, StatusCode::CREATED, "{errand}");
    let (s, visit) = app.post(&dispatcher, "/api/v1/requests", visit).await;
    assert_eq!(s, StatusCode::CREATED, "{visit}");

    let visit_id = visit["id"].as_i64().unwrap();
    let errand_id = errand["id"].as_i64().unwrap();
    let plan = solve_date(&app, &dispatcher, date).await;
    assert_eq!(
        stops_of(&plan, visit_id).len(),
        2,
        "the visit is kept: {plan}"
    );
    assert!(
        stops_of(&plan, errand_id).is_empty(),
        "only one fits: {plan}"
    );
    let out = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["request_id"] == errand_id)
        .expect("the errand is turned down")
        .clone();
    assert!(
        out["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{out}"
    );

    // It is the priority that decides: swapped in the policy, the errand wins.
    let (_, mut policy) = app.get(&dispatcher, "/api/v1/policy").await;
    for p in policy["priorities"].as_array_mut().unwrap() {
        match p["purpose"].as_str().unwrap() {
            "health_visit" => p["priority"] = json!(1),
            "social_errand" => p["priority"] = json!(10),
            _ => {}
        }
    }
    let (s, out) = app.put(&dispatcher, "/api/v1/policy", policy).await;
    assert_eq!(s, StatusCode::OK, "{out}");
    let plan = solve_date(&app, &dispatcher, date).await;
    assert_eq!(stops_of(&plan, errand_id).len(), 2, "{plan}");
    assert!(stops_of(&plan, visit_id).is_empty(), "{plan}");
}

#[tokio::test]
async fn a_ride_turned_down_says_what_would_make_it_fit_and_applied_it_fits() {
    let app = TestApp::spawn_on(ahead(43)).await;
    // The day holds this test's rides only, whatever weekday it falls on
    // (the demo's meal rounds run on weekdays).
    app.without_generators().await;
    let date = app.date + Days::new(1);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (_, vehicles) = app.get(&dispatcher, "/api/v1/vehicles").await;
    let van = vehicles
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["skills"].as_array().unwrap().contains(&json!("lift")))
        .unwrap()
        .clone();
    // The van is short at nine (one trip to Lavagna and back), and on duty
    // again from half past ten.
    for (start, end) in [("08:40", "09:30"), ("10:30", "12:30")] {
        let (s, shift) = app
            .post(
                &dispatcher,
                "/api/v1/shifts",
                json!({"date": date.to_string(), "vehicle_id": van["id"], "window": {"start": start, "end": end}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{shift}");
    }
    let hospital = place(&app, &dispatcher, "Ospedale di Lavagna").await;
    let riva = place(&app, &dispatcher, "Spazio incontro Riva").await;
    let angela = person(&app, &dispatcher, "Angela Podest").await;
    let ida = person(&app, &dispatcher, "Ida Costa").await;
    let mut visit = ride(&angela, hospital, date, json!({"pickup_at": "09:00"}));
    visit["purpose"] = json!("health_visit");
    let mut errand = ride(&ida, riva, date, json!({"pickup_at": "09:00"}));
    errand["purpose"] = json!("social_errand");
    let (s, booked) = app
        .post(&dispatcher, "/api/v1/requests", errand.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{booked}");
    let errand_id = booked["id"].as_i64().unwrap();
    let (s, booked) = app.post(&dispatcher, "/api/v1/requests", visit).await;
    assert_eq!(s, StatusCode::CREATED, "{booked}");
    let visit_id = booked["id"].as_i64().unwrap();

    let plan = solve_date(&app, &dispatcher, date).await;
    check_plan_on(&app, date, &plan).await;
    assert_eq!(
        stops_of(&plan, visit_id).len(),
        2,
        "the visit is kept: {plan}"
    );
    assert!(stops_of(&plan, errand_id).is_empty(), "{plan}");
    let out = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["request_id"] == errand_id)
        .expect("the errand is turned down")
        .clone();
    assert!(
        out["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{out}"
    );
    // What would make it fit: the time moved, later (the van is back on
    // duty at half past ten), by one of the steps tried.
    assert_eq!(out["fits_if"]["change"], "window_shift", "{out}");
    let by = out["fits_if"]["minutes"].as_i64().unwrap();
    assert!([15, 30, 45, 60, 90, 120].contains(&by), "{out}");

    // The board says it in words, and where each request stands.
    let board = format!("/board/{date}");
    let (s, _, html) = super::html::page(&app, Some(&dispatcher), &board).await;
    assert_eq!(s, StatusCode::OK);
    // askama escapes the apostrophe.
    let html = html.replace("&#39;", "'").replace("&#x27;", "'");
    let words = format!("entrerebbe spostando l'orario di {by} minuti più tardi");
    assert!(html.contains(&words), "{words} on the board");
    assert!(html.contains("Per l'associazione"));
    assert!(html.contains(r#"<td class="lifecycle">Richiesta</td>"#));
    let (s, published) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{date}/publish"),
            json!({"revision": plan["revision"], "version": plan["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{published}");
    let (_, _, html) = super::html::page(&app, Some(&dispatcher), &board).await;
    assert!(html.contains(r#"<td class="lifecycle">Non accolta</td>"#));
    assert!(html.contains(r#"<td class="lifecycle">Programmata: passaggio tra "#));

    // Applied as said, it fits: the errand booked that much later.
    let asked = minutes_to_clock(minutes("09:00") as i64 + by);
    errand["pickup_at"] = json!(asked);
    let (s, moved) = app
        .put(
            &dispatcher,
            &format!("/api/v1/requests/{errand_id}"),
            errand,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    let plan = solve_date(&app, &dispatcher, date).await;
    check_plan_on(&app, date, &plan).await;
    assert_eq!(stops_of(&plan, visit_id).len(), 2, "{plan}");
    assert_eq!(stops_of(&plan, errand_id).len(), 2, "now it fits: {plan}");
    assert!(plan["unassigned"].as_array().unwrap().is_empty(), "{plan}");
}

fn minutes_to_clock(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

pub(super) async fn solve_date(app: &TestApp, who: &As, date: NaiveDate) -> Value {
    app.solve_on(who, date, 2.0).await
}

#[tokio::test]
async fn bad_bookings_name_the_field_and_write_nothing() {
    let app = TestApp::spawn_on(ahead(42)).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let giuseppina = person(&app, &dispatcher, "Giuseppina Parodi").await;
    let office = place(&app, &dispatcher, "ASL 4").await;
    let today = Local::now().date_naive();
    let count = async || app.store.requests(Scope::All, None).await.unwrap().len();
    let before = count().await;
    let cases = [
        (
            "an appointment in the past",
            ride(
                &giuseppina,
                office,
                today - Days::new(1),
                json!({"appointment": "10:00"}),
            ),
            "appointment",
        ),
        (
            "a way back before its outbound",
            ride(
                &giuseppina,
                office,
                app.date,
                json!({"appointment": "10:00", "way_back": {"at": "09:00"}}),
            ),
            "way_back.at",
        ),
        (
            "two times at once",
            ride(
                &giuseppina,
                office,
                app.date,
                json!({"appointment": "10:00", "pickup_at": "09:00"}),
            ),
            "appointment",
        ),
        (
            "no time at all",
            ride(&giuseppina, office, app.date, json!({})),
            "appointment",
        ),
        (
            "less room than the rider needs",
            ride(
                &giuseppina,
                office,
                app.date,
                json!({"appointment": "10:00", "load": {"seats": 1, "wheelchairs": 0}}),
            ),
            "load.wheelchairs",
        ),
        (
            "a purpose giro does not know",
            ride(
                &giuseppina,
                office,
                app.date,
                json!({"appointment": "10:00", "purpose": "picnic"}),
            ),
            "purpose",
        ),
    ];
    for (what, body, field) in cases {
        let (s, out) = app.post(&dispatcher, "/api/v1/requests", body).await;
        // A word giro does not know is a malformed body (400); a rule broken, 422.
        let expected = if field == "purpose" {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(s, expected, "{what}: {out}");
        assert_eq!(out["field"], field, "{what}: {out}");
    }
    // A mobility no vehicle can carry: with the van out of service, a rider
    // who stays in the wheelchair cannot be booked.
    let (_, vehicles) = app.get(&dispatcher, "/api/v1/vehicles").await;
    let admin = app.login_as(Role::Admin).await;
    for v in vehicles.as_array().unwrap() {
        if v["skills"].as_array().unwrap().contains(&json!("lift")) {
            let mut off = v.clone();
            off.as_object_mut().unwrap().remove("id");
            off["active"] = json!(false);
            let (s, out) = app
                .put(&admin, &format!("/api/v1/vehicles/{}", v["id"]), off)
                .await;
            assert_eq!(s, StatusCode::OK, "{out}");
        }
    }
    let (s, out) = app
        .post(
            &dispatcher,
            "/api/v1/requests",
            ride(
                &giuseppina,
                office,
                app.date,
                json!({"appointment": "10:00"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{out}");
    assert_eq!(out["field"], "person_id", "{out}");
    assert_eq!(count().await, before, "nothing written");
}

#[tokio::test]
async fn two_riders_in_the_chair_boarding_at_one_place_pay_the_stop_time_once() {
    let app = TestApp::spawn_on(ahead(43)).await;
    // The day holds this test's rides only, whatever weekday it falls on
    // (the demo's meal rounds run on weekdays).
    app.without_generators().await;
    let date = app.date + Days::new(1);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let centre = place(&app, &dispatcher, "Centro diurno").await;
    let mut ids = Vec::new();
    for name in ["Giuseppina Parodi", "Carla Oliveri"] {
        let p = person(&app, &dispatcher, name).await;
        assert_eq!(p["mobility"], "wheelchair");
        let mut r = ride(&p, 0, date, json!({"pickup_at": "16:00"}));
        r["from_place_id"] = json!(centre);
        r["to_place_id"] = p["home_place_id"].clone();
        let (s, out) = app.post(&dispatcher, "/api/v1/requests", r).await;
        assert_eq!(s, StatusCode::CREATED, "{out}");
        ids.push(out["id"].as_i64().unwrap());
    }
    let plan = solve_date(&app, &dispatcher, date).await;
    check_plan_on(&app, date, &plan).await;
    let (route_a, a) = stop(&plan, ids[0], "pickup");
    let (route_b, b) = stop(&plan, ids[1], "pickup");
    assert_eq!(route_a["id"], route_b["id"], "one van takes both");
    let (first, second) = if a["seq"].as_i64() < b["seq"].as_i64() {
        (a, b)
    } else {
        (b, a)
    };
    assert_eq!(
        second["seq"].as_i64().unwrap(),
        first["seq"].as_i64().unwrap() + 1,
        "one after the other: {route_a}"
    );
    let f = |s: &Value, k: &str| s[k].as_f64().unwrap();
    // The second boards as soon as the first is on: no second parking or lift.
    assert!((f(&second, "start_min") - f(&first, "departure_min")).abs() < 1e-6);
    let own = giro::domain::mobility::Party {
        mobility: giro::domain::Mobility::Wheelchair,
        companions: 0,
        service_animal: false,
    }
    .needs()
    .board_minutes;
    let fixed = giro::domain::mobility::stop_setup_minutes(true);
    let both = f(&second, "departure_min") - f(&first, "start_min");
    assert!(
        (both - f64::from(fixed + 2 * own)).abs() < 1e-6,
        "the stop time once ({fixed}) plus each rider's own ({own}): {both}"
    );
}
