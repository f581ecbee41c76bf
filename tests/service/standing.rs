//! Standing orders through the API: rides on their weekdays only (not on a
//! public holiday, a closing day or during a suspension), each day booked
//! once and then edited alone, kept inside the association, bad input named.

use std::collections::BTreeSet;

use giro::domain::Role;
use giro::store::Scope;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

struct Member {
    session: As,
    org: i64,
    person: i64,
    home: i64,
}

async fn member(app: &TestApp, nth: usize) -> Member {
    let user = app
        .store
        .user_for_login(&app.email(Role::Member, nth))
        .await
        .unwrap()
        .unwrap()
        .0;
    let org = user.organisation_id.unwrap();
    let person = app
        .store
        .people(Scope::Organisation(org))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.mobility == giro::domain::Mobility::None)
        .or(app
            .store
            .people(Scope::Organisation(org))
            .await
            .unwrap()
            .into_iter()
            .next())
        .unwrap();
    Member {
        session: app.login(&app.email(Role::Member, nth)).await,
        org,
        person: person.id,
        home: person.home_place_id,
    }
}

/// The demo without its own standing orders, so that each test counts the
/// days of the orders it makes.
async fn spawn() -> TestApp {
    let app = TestApp::spawn().await;
    let today = chrono::Local::now().date_naive();
    for o in app.store.standing_orders(Scope::All).await.unwrap() {
        app.store
            .delete_standing_order(giro::store::Actor(None), o.id, today)
            .await
            .unwrap();
    }
    app
}

async fn day_centre(app: &TestApp) -> i64 {
    app.store
        .places(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.organisation_id.is_none() && p.kind == "day_centre")
        .unwrap()
        .id
}

fn order(m: &Member, to: i64, days: Value, starts: &str, ends: &str) -> Value {
    json!({
        "person_id": m.person,
        "ride": {"from_place_id": m.home, "to_place_id": to, "appointment": "09:00",
                 "way_back": {"after_minutes": 240}, "purpose": "day_centre"},
        "recurrence": {"weekdays": days, "starts_on": starts, "ends_on": ends}
    })
}

fn dates(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|d| d.to_string()).collect()
}

async fn generate(app: &TestApp, who: &As, from: &str, to: &str) -> Value {
    let (s, done) = app
        .post(
            who,
            "/api/v1/standing-orders/generate",
            json!({"from": from, "to": to}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["failed"], json!([]), "{done}");
    done
}

fn booked_dates(done: &Value) -> BTreeSet<String> {
    done["booked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["date"].as_str().unwrap().to_string())
        .collect()
}

/// The rider's requests in 2027 (both legs), as the member sees them.
async fn rides_of(app: &TestApp, m: &Member) -> Vec<Value> {
    let (s, all) = app.get(&m.session, "/api/v1/requests").await;
    assert_eq!(s, StatusCode::OK);
    all.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["person_id"] == m.person && r["date"].as_str().unwrap() >= "2027")
        .cloned()
        .collect()
}

fn active_dates(rides: &[Value]) -> BTreeSet<String> {
    rides
        .iter()
        .filter(|r| r["status"] == "active")
        .map(|r| r["date"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn three_days_a_week_skipping_easter_monday_and_a_closing_day() {
    let app = spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let m = member(&app, 0).await;
    let centre = day_centre(&app).await;
    let closed = json!({"date": "2027-04-07", "label": "Festa patronale"});
    let (s, _) = app
        .post(&m.session, "/api/v1/closing-days", closed.clone())
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "members read closing days only");
    let (s, made) = app.post(&dispatcher, "/api/v1/closing-days", closed).await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    let (s, listed) = app
        .get(
            &m.session,
            "/api/v1/closing-days?from=2027-01-01&to=2027-12-31",
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(listed, json!([made]));

    let body = order(
        &m,
        centre,
        json!(["mon", "wed", "fri"]),
        "2027-03-22",
        "2027-04-16",
    );
    let (s, o) = app.post(&m.session, "/api/v1/standing-orders", body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["organisation_id"], m.org);
    assert!(rides_of(&app, &m).await.is_empty(), "nothing booked yet");

    let id = o["id"].as_i64().unwrap();
    let (s, schedule) = app
        .get(
            &m.session,
            &format!("/api/v1/standing-orders/{id}/schedule?from=2027-03-22&to=2027-04-16"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{schedule}");
    let day = |d: &str| {
        schedule
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["date"] == d)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        day("2027-03-29"),
        json!({"date": "2027-03-29", "occurrence": "skipped", "reason": "no_service",
               "kind": "holiday", "holiday": "easter_monday", "request_id": null})
    );
    assert_eq!(day("2027-04-07")["kind"], "closed");
    assert_eq!(day("2027-04-07")["label"], "Festa patronale");
    assert_eq!(day("2027-03-31")["occurrence"], "ride");
    assert_eq!(schedule.as_array().unwrap().len(), 12, "Mon/Wed/Fri only");

    let expected = dates(&[
        "2027-03-22",
        "2027-03-24",
        "2027-03-26",
        "2027-03-31",
        "2027-04-02",
        "2027-04-05",
        "2027-04-09",
        "2027-04-12",
        "2027-04-14",
        "2027-04-16",
    ]);
    let done = generate(&app, &dispatcher, "2027-03-15", "2027-04-30").await;
    assert_eq!(booked_dates(&done), expected);
    let rides = rides_of(&app, &m).await;
    assert_eq!(
        rides.len(),
        2 * expected.len(),
        "a ride and its way back a day"
    );
    assert_eq!(active_dates(&rides), expected);
    let outbound: Vec<_> = rides.iter().filter(|r| r["return_of"].is_null()).collect();
    assert!(outbound
        .iter()
        .all(|r| r["to_place_id"] == centre && r["appointment"] == "09:00"));
    let back: Vec<_> = rides.iter().filter(|r| !r["return_of"].is_null()).collect();
    assert_eq!(back.len(), expected.len());
    assert!(back.iter().all(|r| r["from_place_id"] == centre));
    let (_, schedule) = app
        .get(
            &m.session,
            &format!("/api/v1/standing-orders/{id}/schedule?from=2027-03-31&to=2027-03-31"),
        )
        .await;
    assert!(outbound
        .iter()
        .any(|r| r["id"] == schedule[0]["request_id"] && r["date"] == "2027-03-31"));

    // Again: nothing new, nothing doubled.
    let again = generate(&app, &dispatcher, "2027-03-15", "2027-04-30").await;
    assert_eq!(again["booked"], json!([]));
    assert_eq!(rides_of(&app, &m).await.len(), rides.len());

    // A day closed after it was generated loses its rides.
    let (s, _) = app
        .post(
            &dispatcher,
            "/api/v1/closing-days",
            json!({"date": "2027-04-12", "label": "Sciopero"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let rides = rides_of(&app, &m).await;
    let cancelled: Vec<_> = rides
        .iter()
        .filter(|r| r["status"] == "cancelled")
        .collect();
    assert_eq!(cancelled.len(), 2);
    assert!(cancelled.iter().all(|r| r["date"] == "2027-04-12"));
    // Open again, the day is booked anew.
    let (s, _) = app
        .delete(&dispatcher, "/api/v1/closing-days/2027-04-12")
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let done = generate(&app, &dispatcher, "2027-03-15", "2027-04-30").await;
    assert_eq!(booked_dates(&done), dates(&["2027-04-12"]));
    assert_eq!(active_dates(&rides_of(&app, &m).await), expected);
}

#[tokio::test]
async fn a_suspension_cancels_its_days_and_rides_resume_on_the_resume_date() {
    let app = spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let m = member(&app, 0).await;
    let centre = day_centre(&app).await;
    let body = order(
        &m,
        centre,
        json!(["mon", "wed", "fri"]),
        "2027-05-03",
        "2027-05-28",
    );
    let (s, o) = app.post(&m.session, "/api/v1/standing-orders", body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let id = o["id"].as_i64().unwrap();
    generate(&app, &dispatcher, "2027-05-03", "2027-05-14").await;
    assert_eq!(rides_of(&app, &m).await.len(), 12);

    // A hospital stay: from Monday 10 to Wednesday 19 May.
    let (s, suspended) = app
        .post(
            &m.session,
            &format!("/api/v1/standing-orders/{id}/suspensions"),
            json!({"from": "2027-05-10", "resume_on": "2027-05-19", "reason": "ricovero"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{suspended}");
    assert_eq!(suspended["suspensions"][0]["resume_on"], "2027-05-19");
    let rides = rides_of(&app, &m).await;
    let cancelled: BTreeSet<String> = rides
        .iter()
        .filter(|r| r["status"] == "cancelled")
        .map(|r| r["date"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        cancelled,
        dates(&["2027-05-10", "2027-05-12", "2027-05-14"])
    );
    assert_eq!(
        rides.iter().filter(|r| r["status"] == "cancelled").count(),
        6
    );

    let done = generate(&app, &dispatcher, "2027-05-01", "2027-05-31").await;
    assert_eq!(
        booked_dates(&done),
        dates(&[
            "2027-05-19",
            "2027-05-21",
            "2027-05-24",
            "2027-05-26",
            "2027-05-28"
        ])
    );
    assert_eq!(
        active_dates(&rides_of(&app, &m).await),
        dates(&[
            "2027-05-03",
            "2027-05-05",
            "2027-05-07",
            "2027-05-19",
            "2027-05-21",
            "2027-05-24",
            "2027-05-26",
            "2027-05-28"
        ])
    );
    let (_, schedule) = app
        .get(
            &m.session,
            &format!("/api/v1/standing-orders/{id}/schedule?from=2027-05-17&to=2027-05-19"),
        )
        .await;
    assert_eq!(
        schedule[0],
        json!({"date": "2027-05-17", "occurrence": "skipped", "reason": "suspended",
               "resume_on": "2027-05-19", "request_id": null})
    );
    assert_eq!(schedule[1]["occurrence"], "ride");
    assert!(schedule[1]["request_id"].is_i64());

    // Home early: the stay ends on the 12th, and the days the suspension
    // took are booked again; the 10th stays cancelled.
    let mut shorter = o.clone();
    shorter.as_object_mut().unwrap().remove("id");
    shorter["suspensions"] = json!([{"from": "2027-05-10", "resume_on": "2027-05-12"}]);
    let (s, e) = app
        .put(
            &m.session,
            &format!("/api/v1/standing-orders/{id}"),
            shorter,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let done = generate(&app, &dispatcher, "2027-05-01", "2027-05-31").await;
    assert_eq!(
        booked_dates(&done),
        dates(&["2027-05-12", "2027-05-14", "2027-05-17"])
    );
    let rides = rides_of(&app, &m).await;
    let mut every_day = dates(&["2027-05-03", "2027-05-05", "2027-05-07", "2027-05-12"]);
    every_day.extend(dates(&[
        "2027-05-14",
        "2027-05-17",
        "2027-05-19",
        "2027-05-21",
    ]));
    every_day.extend(dates(&["2027-05-24", "2027-05-26", "2027-05-28"]));
    assert_eq!(active_dates(&rides), every_day);
    assert_eq!(
        rides.iter().filter(|r| r["status"] == "cancelled").count(),
        6
    );
}

/// The body to change one day's request, from the request as read.
fn edited(r: &Value, appointment: &str, status: &str) -> Value {
    json!({
        "date": r["date"], "kind": "ride", "person_id": r["person_id"],
        "from_place_id": r["from_place_id"], "to_place_id": r["to_place_id"],
        "appointment": appointment, "purpose": r["purpose"],
        "notes": "just this day", "status": status
    })
}

#[tokio::test]
async fn one_day_edited_stays_as_edited_and_the_order_does_not_change() {
    let app = spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let m = member(&app, 0).await;
    let centre = day_centre(&app).await;
    let body = order(
        &m,
        centre,
        json!(["tue", "thu"]),
        "2027-06-01",
        "2027-06-30",
    );
    let (s, o) = app.post(&m.session, "/api/v1/standing-orders", body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let id = o["id"].as_i64().unwrap();
    generate(&app, &dispatcher, "2027-06-01", "2027-06-30").await;
    let before = rides_of(&app, &m).await;
    // Republic Day (2 June) is a Wednesday: all nine Tuesdays and Thursdays ride.
    assert_eq!(before.len(), 18);
    let outbound = |d: &str| {
        before
            .iter()
            .find(|r| r["date"] == d && r["return_of"].is_null())
            .cloned()
            .unwrap()
    };
    let (moved, dropped) = (outbound("2027-06-10"), outbound("2027-06-17"));
    let (s, changed) = app
        .put(
            &m.session,
            &format!("/api/v1/requests/{}", moved["id"]),
            edited(&moved, "10:30", "active"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{changed}");
    let (s, _) = app
        .put(
            &m.session,
            &format!("/api/v1/requests/{}", dropped["id"]),
            edited(&dropped, "09:00", "cancelled"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (_, same) = app
        .get(&m.session, &format!("/api/v1/standing-orders/{id}"))
        .await;
    assert_eq!(same, o, "the order is untouched");
    let again = generate(&app, &dispatcher, "2027-06-01", "2027-06-30").await;
    assert_eq!(again["booked"], json!([]), "edited and cancelled days stay");
    let after = rides_of(&app, &m).await;
    assert_eq!(after.len(), before.len());
    for r in &after {
        let was = before.iter().find(|b| b["id"] == r["id"]).unwrap();
        if r["id"] == moved["id"] {
            assert_eq!(r["appointment"], "10:30");
            assert_eq!(r["notes"], "just this day");
        } else if r["id"] == dropped["id"] || r["return_of"]["request_id"] == dropped["id"] {
            assert_eq!(r["status"], "cancelled", "the day and its way back");
        } else {
            assert_eq!(r, was, "another day changed");
        }
    }
}

#[tokio::test]
async fn another_association_sees_neither_the_order_nor_its_requests() {
    let app = spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let a = member(&app, 0).await;
    let b = member(&app, 1).await;
    assert_ne!(a.org, b.org);
    let centre = day_centre(&app).await;
    let body = order(&a, centre, json!(["mon"]), "2027-09-06", "2027-09-27");
    let (s, o) = app
        .post(&a.session, "/api/v1/standing-orders", body.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let id = o["id"].as_i64().unwrap();
    let done = generate(&app, &dispatcher, "2027-09-01", "2027-09-30").await;
    assert_eq!(done["booked"].as_array().unwrap().len(), 4);
    let generated: Vec<i64> = rides_of(&app, &a)
        .await
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(generated.len(), 8);

    let one = format!("/api/v1/standing-orders/{id}");
    let (s, _) = app.get(&b.session, &one).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.put(&b.session, &one, body.clone()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &b.session,
            &format!("{one}/suspensions"),
            json!({"from": "2027-09-13"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get(
            &b.session,
            &format!("{one}/schedule?from=2027-09-01&to=2027-09-30"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.delete(&b.session, &one).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, theirs) = app.get(&b.session, "/api/v1/standing-orders").await;
    assert!(theirs
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["organisation_id"] == b.org && x["id"] != id));
    let (_, requests) = app.get(&b.session, "/api/v1/requests").await;
    assert!(requests
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !generated.contains(&r["id"].as_i64().unwrap())));
    for r in &generated {
        let (s, _) = app.get(&b.session, &format!("/api/v1/requests/{r}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    // Nor book one for the other's rider, nor in the other's name.
    let (s, e) = app
        .post(&b.session, "/api/v1/standing-orders", body.clone())
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["field"], "person_id");
    let mut theirs_body = body;
    theirs_body["organisation_id"] = json!(a.org);
    let (s, _) = app
        .post(&b.session, "/api/v1/standing-orders", theirs_body)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.standing_orders(Scope::All).await.unwrap().len(),
        1
    );
    // The dispatcher sees it; the owner still has it.
    let (s, _) = app.get(&dispatcher, &one).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app.get(&a.session, &one).await;
    assert_eq!(s, StatusCode::OK);
}

async fn counts(app: &TestApp) -> (usize, usize, usize) {
    (
        app.store.standing_orders(Scope::All).await.unwrap().len(),
        app.store.requests(Scope::All, None).await.unwrap().len(),
        app.store.audit_log(100_000).await.unwrap().len(),
    )
}

fn assert_invalid(status: StatusCode, answer: &Value, field: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"], "invalid", "{answer}");
    assert_eq!(answer["field"], field, "{answer}");
}

#[tokio::test]
async fn bad_orders_are_refused_naming_the_field_and_nothing_is_written() {
    let app = spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let m = member(&app, 0).await;
    let centre = day_centre(&app).await;
    let good = order(&m, centre, json!(["mon"]), "2027-10-04", "2027-10-25");
    let (s, o) = app
        .post(&m.session, "/api/v1/standing-orders", good.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let id = o["id"].as_i64().unwrap();
    let before = counts(&app).await;

    let mut no_day = good.clone();
    no_day["recurrence"]["weekdays"] = json!([]);
    let mut backwards = good.clone();
    backwards["recurrence"]["ends_on"] = json!("2027-10-01");
    let mut no_time = good.clone();
    no_time["ride"]
        .as_object_mut()
        .unwrap()
        .remove("appointment");
    let mut bad_pause = good.clone();
    bad_pause["suspensions"] = json!([{"from": "2027-10-11", "resume_on": "2027-10-05"}]);
    for (body, field) in [
        (&no_day, "recurrence.weekdays"),
        (&backwards, "recurrence.ends_on"),
        (&no_time, "ride.appointment"),
        (&bad_pause, "suspensions[0].resume_on"),
    ] {
        let (s, e) = app
            .post(&m.session, "/api/v1/standing-orders", body.clone())
            .await;
        assert_invalid(s, &e, field);
        let (s, e) = app
            .put(
                &m.session,
                &format!("/api/v1/standing-orders/{id}"),
                body.clone(),
            )
            .await;
        assert_invalid(s, &e, field);
    }
    let (s, e) = app
        .post(
            &m.session,
            &format!("/api/v1/standing-orders/{id}/suspensions"),
            json!({"from": "2027-10-11", "resume_on": "2027-10-04"}),
        )
        .await;
    assert_invalid(s, &e, "resume_on");
    for (range, field) in [
        (json!({"from": "2027-10-10", "to": "2027-10-01"}), "to"),
        (json!({"from": "2027-10-01", "to": "2027-12-31"}), "to"),
        (json!({"from": "1999-12-31", "to": "2000-01-01"}), "from"),
    ] {
        let (s, e) = app
            .post(&dispatcher, "/api/v1/standing-orders/generate", range)
            .await;
        assert_invalid(s, &e, field);
    }
    let (s, e) = app
        .post(
            &dispatcher,
            "/api/v1/closing-days",
            json!({"date": "2027-10-11", "label": " "}),
        )
        .await;
    assert_invalid(s, &e, "label");
    let (s, _) = app
        .get(
            &m.session,
            &format!("/api/v1/standing-orders/{id}/schedule?from=2027-10-01"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(counts(&app).await, before, "nothing was written");
    assert!(app
        .store
        .closing_days(giro::domain::date::FIRST, giro::domain::date::LAST)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn solving_a_date_books_its_standing_orders_first() {
    let app = spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let m = member(&app, 0).await;
    let centre = day_centre(&app).await;
    let weekday = app.date.format("%a").to_string().to_lowercase();
    let body = order(
        &m,
        centre,
        json!([weekday]),
        &app.date.to_string(),
        &(app.date + chrono::Duration::days(30)).to_string(),
    );
    let (s, o) = app.post(&m.session, "/api/v1/standing-orders", body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let mine = |rs: Vec<giro::domain::Request>| {
        rs.into_iter()
            .filter(|r| r.person_id == Some(m.person) && r.to_place_id == centre)
            .count()
    };
    let on_date = app
        .store
        .requests(Scope::All, Some(app.date))
        .await
        .unwrap();
    assert_eq!(mine(on_date), 0);
    let plan = app.solve(&dispatcher, 1.0).await;
    let on_date = app
        .store
        .requests(Scope::All, Some(app.date))
        .await
        .unwrap();
    assert_eq!(mine(on_date.clone()), 1, "the order's ride is booked");
    let ride = on_date
        .iter()
        .find(|r| r.person_id == Some(m.person) && r.to_place_id == centre)
        .unwrap()
        .id;
    let planned = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap().clone())
        .chain(plan["unassigned"].as_array().unwrap().clone())
        .any(|s| s["request_id"] == ride);
    assert!(planned, "the solve saw the ride: {plan}");
    // Only that date: the next weeks wait for their own generation.
    let later = app
        .store
        .requests(Scope::All, Some(app.date + chrono::Duration::days(7)))
        .await
        .unwrap();
    assert_eq!(mine(later), 0);
}
