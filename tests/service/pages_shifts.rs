//! The day's shifts as a page (`/board/{date}/shifts`): each shift with its
//! vehicle, volunteer or "da trovare", hours, the services it serves and,
//! once published, its route's stops; a form that adds or edits one and marks
//! the fields at fault; a button that deletes one; another day's shifts
//! copied; for planners only. The board links to it and names a restricted
//! shift's services on its route.

use chrono::{Days, NaiveDate};
use giro::domain::Role;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use super::html::{csrf, page, post_form, tag};
use super::support::{As, TestApp};

fn path(date: NaiveDate) -> String {
    format!("/board/{date}/shifts")
}

/// The text from the element with `id` to the next `</p>`.
fn message<'h>(html: &'h str, id: &str) -> &'h str {
    let after = &html[html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"))..];
    &after[..after.find("</p>").unwrap()]
}

/// The table row of shift `id`, if the page lists it.
fn shift_row(html: &str, id: i64) -> Option<&str> {
    let start = html.find(&format!("<tr id=\"shift-{id}\""))?;
    Some(&html[start..start + html[start..].find("</tr>").unwrap()])
}

async fn shifts_in_api(app: &TestApp, who: &As, date: NaiveDate) -> Vec<Value> {
    let (s, all) = app.get(who, &format!("/api/v1/shifts?date={date}")).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    all.as_array().unwrap().clone()
}

async fn stored(app: &TestApp) -> Vec<giro::domain::Shift> {
    app.store.shifts(None).await.unwrap()
}

/// A vehicle's id by the start of its name.
async fn vehicle(app: &TestApp, who: &As, starts: &str) -> i64 {
    let (_, all) = app.get(who, "/api/v1/vehicles").await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("{starts}"))["id"]
        .as_i64()
        .unwrap()
}

/// Volunteers who may drive `vehicle`, and one who may not.
async fn drivers_of(app: &TestApp, who: &As, vehicle: i64) -> (Vec<Value>, Value) {
    let (_, all) = app.get(who, "/api/v1/volunteers").await;
    let all = all.as_array().unwrap().clone();
    let may = |v: &Value| {
        v["vehicle_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(vehicle))
    };
    let allowed: Vec<Value> = all.iter().filter(|v| may(v)).cloned().collect();
    let other = all
        .iter()
        .find(|v| !may(v))
        .expect("a volunteer who may not drive it")
        .clone();
    (allowed, other)
}

#[tokio::test]
async fn the_page_lists_the_days_shifts_with_their_services_and_the_board_names_them() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let demo = shifts_in_api(&app, &dispatcher, app.date).await;
    assert!(demo.len() >= 3, "{demo:?}");
    // One car keeps to meals.
    let car = vehicle(&app, &dispatcher, "Auto pasti 1").await;
    let meals = demo
        .iter()
        .find(|s| s["vehicle_id"] == car)
        .expect("a shift of the meal car")
        .clone();
    let mut body = json!({"date": meals["date"], "vehicle_id": car,
        "volunteer_id": meals["volunteer_id"], "window": meals["window"], "serves": ["meal"]});
    let (s, e) = app
        .put(
            &dispatcher,
            &format!("/api/v1/shifts/{}", meals["id"]),
            body.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");

    let (s, _, html) = page(&app, Some(&dispatcher), &path(app.date)).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("Turni di lunedì 23 novembre 2026"),
        "the date in words"
    );
    let (_, volunteers) = app.get(&dispatcher, "/api/v1/volunteers").await;
    for shift in &demo {
        let row = shift_row(&html, shift["id"].as_i64().unwrap()).expect("each shift listed");
        let volunteer = volunteers
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == shift["volunteer_id"])
            .unwrap();
        assert!(row.contains(volunteer["name"].as_str().unwrap()), "{row}");
        if shift["id"] == meals["id"] {
            assert!(row.contains("<strong>pasti</strong>"), "{row}");
            assert!(row.contains("Auto pasti 1"), "{row}");
        } else {
            assert!(row.contains("tutti i servizi"), "{row}");
        }
    }
    let van = vehicle(&app, &dispatcher, "Pulmino").await;
    let van_shift = demo.iter().find(|s| s["vehicle_id"] == van).unwrap();
    let row = shift_row(&html, van_shift["id"].as_i64().unwrap()).unwrap();
    assert!(
        row.contains("1 posto, 4 carrozzine") && row.contains("9 posti"),
        "layouts in words: {row}"
    );
    assert!(!html.contains("id=\"shifts-published\""), "no plan yet");
    assert!(!html.contains(">board."), "no raw keys");

    // The board links here; once solved and published, the meal car's route
    // says it keeps to meals and the page counts each route's stops.
    let (_, _, board) = page(&app, Some(&dispatcher), &format!("/board/{}", app.date)).await;
    assert!(tag(&board, "shifts-link").contains(&format!("href=\"/board/{}/shifts\"", app.date)));
    app.solve(&dispatcher, 1.0).await;
    let plan = app.publish_newest(&dispatcher).await;
    let routes = plan["routes"].as_array().unwrap();
    let (_, _, board) = page(&app, Some(&dispatcher), &format!("/board/{}", app.date)).await;
    assert!(tag(&board, "timeline-shifts-link").contains("/shifts\""));
    let mut restricted = 0;
    for r in routes {
        let badge = format!("id=\"serves-{}\"", r["id"]);
        if r["shift_id"] == meals["id"] {
            restricted += 1;
            assert!(message(&board, &format!("serves-{}", r["id"])).contains("Solo pasti"));
        } else {
            assert!(!board.contains(&badge), "one fleet: no badge on {r}");
        }
    }
    assert!(restricted > 0, "the meal car has a route");
    let (_, _, html) = page(&app, Some(&dispatcher), &path(app.date)).await;
    assert!(html.contains("id=\"shifts-published\""));
    for shift in &demo {
        let stops: usize = routes
            .iter()
            .filter(|r| r["shift_id"] == shift["id"])
            .map(|r| r["stops"].as_array().unwrap().len())
            .sum();
        let row = shift_row(&html, shift["id"].as_i64().unwrap()).unwrap();
        assert!(
            row.contains(&format!("<td class=\"stops-count\">{stops}</td>")),
            "{stops} stops: {row}"
        );
    }

    // In English when the browser asks for it.
    let res = app
        .http
        .get(app.url(&path(app.date)))
        .header(dispatcher.header.0, &dispatcher.header.1)
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let english = res.text().await.unwrap();
    assert!(english.contains("Add a shift") && english.contains("all services"));
    assert!(english.contains("<strong>meals</strong>"));
    body["serves"] = json!([]);
    let (s, _) = app
        .put(
            &dispatcher,
            &format!("/api/v1/shifts/{}", meals["id"]),
            body,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn a_shift_added_with_only_meals_ticked_serves_only_meals_then_is_edited_and_deleted() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let date = app.date + Days::new(1);
    assert!(shifts_in_api(&app, &dispatcher, date).await.is_empty());
    let (_, _, html) = page(&app, Some(&dispatcher), &path(date)).await;
    assert!(html.contains("id=\"shifts-none\""));
    let token = csrf(&app, &dispatcher, &path(date)).await;
    let car = vehicle(&app, &dispatcher, "Auto pasti 1").await;
    let (allowed, _) = drivers_of(&app, &dispatcher, car).await;
    let driver = &allowed[0];
    let (car_id, driver_id) = (car.to_string(), driver["id"].to_string());
    let (s, location, body) = post_form(
        &app,
        Some(&dispatcher),
        &path(date),
        &[
            ("_csrf", &token),
            ("vehicle_id", &car_id),
            ("volunteer_id", &driver_id),
            ("start", "08:00"),
            ("end", "12:30"),
            ("serves", "meal"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let made = shifts_in_api(&app, &dispatcher, date).await;
    assert_eq!(made.len(), 1, "{made:?}");
    let shift = &made[0];
    let id = shift["id"].as_i64().unwrap();
    assert_eq!(
        location,
        format!("/board/{date}/shifts?done=added#shift-{id}")
    );
    assert_eq!(shift["serves"], json!(["meal"]), "only meals: {shift}");
    assert_eq!(shift["vehicle_id"], car);
    assert_eq!(shift["volunteer_id"], driver["id"]);
    assert_eq!(shift["window"], json!({"start": "08:00", "end": "12:30"}));
    let (_, _, html) = page(&app, Some(&dispatcher), &location).await;
    assert!(html.contains("id=\"shifts-notice\""), "said it was added");
    let row = shift_row(&html, id).unwrap();
    assert!(row.contains("<strong>pasti</strong>"), "{row}");
    assert!(row.contains("dalle 8:00 alle 12:30"), "{row}");
    assert!(row.contains(driver["name"].as_str().unwrap()), "{row}");

    // Edit: the form comes filled in; untick every service and leave the
    // wheel to be found: all services, no volunteer.
    let (s, _, html) = page(
        &app,
        Some(&dispatcher),
        &format!("{}?edit={id}", path(date)),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let edit = format!("/board/{date}/shifts/{id}/edit");
    assert!(tag(&html, "shift-form").contains(&format!("action=\"{edit}\"")));
    assert!(tag(&html, "serves-meal").contains("checked"));
    assert!(!tag(&html, "serves-ride").contains("checked"));
    assert!(tag(&html, "start").contains("value=\"08:00\""));
    assert!(html.contains(&format!("<option value=\"{driver_id}\" selected>")));
    let (s, location, body) = post_form(
        &app,
        Some(&dispatcher),
        &edit,
        &[
            ("_csrf", &token),
            ("vehicle_id", &car_id),
            ("volunteer_id", ""),
            ("start", "09:00"),
            ("end", "13:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert!(location.contains("done=updated"), "{location}");
    let (_, again) = app.get(&dispatcher, &format!("/api/v1/shifts/{id}")).await;
    assert_eq!(again["serves"], json!([]), "{again}");
    assert!(again["volunteer_id"].is_null(), "{again}");
    assert_eq!(again["window"]["start"], "09:00");
    let (_, _, html) = page(&app, Some(&dispatcher), &path(date)).await;
    let row = shift_row(&html, id).unwrap();
    assert!(
        row.contains("da trovare") && row.contains("tutti i servizi"),
        "{row}"
    );
    // A shift of another day is not edited from this one.
    let (s, _, _) = post_form(
        &app,
        Some(&dispatcher),
        &format!("/board/{}/shifts/{id}/edit", app.date),
        &[
            ("_csrf", &token),
            ("vehicle_id", &car_id),
            ("start", "09:00"),
            ("end", "10:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Delete: the form token is required; then it is gone everywhere.
    let delete = format!("/board/{date}/shifts/{id}/delete");
    let (s, _, _) = post_form(&app, Some(&dispatcher), &delete, &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no form token");
    assert!(tag(&html, &format!("delete-{id}"))
        .contains("aria-label=\"Elimina il turno di Auto pasti 1"));
    let (s, location, _) = post_form(&app, Some(&dispatcher), &delete, &[("_csrf", &token)]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/board/{date}/shifts?done=deleted"));
    assert!(shifts_in_api(&app, &dispatcher, date).await.is_empty());
    let (_, _, html) = page(&app, Some(&dispatcher), &location).await;
    assert!(shift_row(&html, id).is_none());
    let (s, _, _) = post_form(&app, Some(&dispatcher), &delete, &[("_csrf", &token)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "gone already");
}

#[tokio::test]
async fn the_shifts_of_another_day_are_copied_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let week_before = app.date;
    let date = app.date + Days::new(7);
    let copy = format!("/board/{date}/shifts/copy");
    let token = csrf(&app, &dispatcher, &path(date)).await;
    let (_, _, html) = page(&app, Some(&dispatcher), &path(date)).await;
    assert!(
        tag(&html, "copy-from").contains(&format!("value=\"{week_before}\"")),
        "the same weekday last week by default"
    );
    let source = shifts_in_api(&app, &dispatcher, week_before).await;
    let before = stored(&app).await.len();

    // From a day without shifts, or from itself: refused, nothing written.
    for from in [
        (date + Days::new(1)).to_string(),
        date.to_string(),
        "ieri".into(),
    ] {
        let (s, _, html) = post_form(
            &app,
            Some(&dispatcher),
            &copy,
            &[("_csrf", &token), ("from", &from)],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{from}");
        assert!(
            message(&html, "copy-errors").contains("che abbia dei turni"),
            "{from}"
        );
        assert!(tag(&html, "copy-from").contains("aria-invalid=\"true\""));
        assert_eq!(stored(&app).await.len(), before);
    }

    // A volunteer no longer allowed on a vehicle: no shift is copied.
    let restricted = source
        .iter()
        .rev()
        .find(|s| !s["volunteer_id"].is_null())
        .unwrap()
        .clone();
    let vpath = format!("/api/v1/volunteers/{}", restricted["volunteer_id"]);
    let (_, v) = app.get(&dispatcher, &vpath).await;
    let keep: Vec<Value> = v["vehicle_ids"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| **x != restricted["vehicle_id"])
        .cloned()
        .collect();
    let input = json!({"name": v["name"], "phone": v["phone"], "available": v["available"],
        "vehicle_ids": keep});
    let (s, e) = app.put(&dispatcher, &vpath, input.clone()).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (s, _, html) = post_form(
        &app,
        Some(&dispatcher),
        &copy,
        &[("_csrf", &token), ("from", &week_before.to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let says = message(&html, "copy-errors");
    assert!(
        says.contains("Nessun turno copiato") && says.contains("non è abilitato"),
        "{says}"
    );
    assert!(
        shifts_in_api(&app, &dispatcher, date).await.is_empty(),
        "whole or nothing"
    );
    assert_eq!(stored(&app).await.len(), before);

    // Allowed again: every shift copied, same vehicle, volunteer, hours and services.
    let mut input = input;
    input["vehicle_ids"] = v["vehicle_ids"].clone();
    let (s, _) = app.put(&dispatcher, &vpath, input).await;
    assert_eq!(s, StatusCode::OK);
    let (s, location, body) = post_form(
        &app,
        Some(&dispatcher),
        &copy,
        &[("_csrf", &token), ("from", &week_before.to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location, format!("/board/{date}/shifts?done=copied"));
    let copied = shifts_in_api(&app, &dispatcher, date).await;
    let fields = |s: &Value| {
        (
            s["vehicle_id"].clone(),
            s["volunteer_id"].clone(),
            s["window"].clone(),
            s["serves"].clone(),
        )
    };
    assert_eq!(
        copied.iter().map(fields).collect::<Vec<_>>(),
        source.iter().map(fields).collect::<Vec<_>>()
    );
    // Into a day with shifts: refused.
    let (s, _, html) = post_form(
        &app,
        Some(&dispatcher),
        &copy,
        &[("_csrf", &token), ("from", &week_before.to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(message(&html, "copy-errors").contains("ha già dei turni"));
    assert_eq!(
        shifts_in_api(&app, &dispatcher, date).await.len(),
        source.len()
    );
}

#[tokio::test]
async fn a_bad_form_comes_back_with_the_field_marked_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let date = app.date + Days::new(2);
    let token = csrf(&app, &dispatcher, &path(date)).await;
    let van = vehicle(&app, &dispatcher, "Pulmino").await;
    let car = vehicle(&app, &dispatcher, "Auto pasti 1").await;
    let (van_drivers, not_van) = drivers_of(&app, &dispatcher, van).await;
    let (car_drivers, _) = drivers_of(&app, &dispatcher, car).await;
    // Someone who may drive both, on the van from 9 to 11.
    let both = van_drivers
        .iter()
        .find(|v| car_drivers.iter().any(|c| c["id"] == v["id"]))
        .expect("a volunteer for both vehicles");
    let (s, first) = app
        .post(
            &dispatcher,
            "/api/v1/shifts",
            json!({"date": date.to_string(), "vehicle_id": van, "volunteer_id": both["id"],
                   "window": {"start": "09:00", "end": "11:00"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    // And a shift of the car without a driver, to edit.
    let (s, second) = app
        .post(
            &dispatcher,
            "/api/v1/shifts",
            json!({"date": date.to_string(), "vehicle_id": car,
                   "window": {"start": "14:00", "end": "16:00"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{second}");
    let before = stored(&app).await;
    let (van_id, car_id) = (van.to_string(), car.to_string());
    let (both_id, not_van_id) = (both["id"].to_string(), not_van["id"].to_string());

    // (vehicle, volunteer, start, end, serves), the field marked, what its message says.
    type Case<'a> = (
        (&'a str, &'a str, &'a str, &'a str, &'a str),
        &'a str,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        ((&car_id, "", "11:00", "10:00", ""), "end", "venga dopo"),
        ((&car_id, "", "11:00", "11:00", ""), "end", "venga dopo"),
        (
            ("999999", "", "11:00", "12:00", ""),
            "vehicle_id",
            "Scegli un mezzo",
        ),
        (
            ("", "", "11:00", "12:00", ""),
            "vehicle_id",
            "Scegli un mezzo",
        ),
        ((&car_id, "", "nove", "12:00", ""), "start", "ora di inizio"),
        ((&van_id, "", "10:00", "12:00", ""), "start", "già un turno"),
        (
            (&van_id, &not_van_id, "12:00", "13:00", ""),
            "volunteer_id",
            "non è abilitato",
        ),
        (
            (&car_id, &both_id, "10:30", "12:00", ""),
            "volunteer_id",
            "guida già",
        ),
        (
            (&car_id, "999999", "10:30", "12:00", ""),
            "volunteer_id",
            "Scegli un volontario",
        ),
        (
            (&car_id, "", "10:30", "12:00", "bus"),
            "serves",
            "Scegli i servizi",
        ),
    ];
    for ((vehicle, volunteer, start, end, serves), field, says) in cases {
        let mut fields = vec![
            ("_csrf", token.as_str()),
            ("vehicle_id", vehicle),
            ("volunteer_id", volunteer),
            ("start", start),
            ("end", end),
            ("serves", "meal"),
        ];
        if !serves.is_empty() {
            fields.push(("serves", serves));
        }
        let case = format!("{fields:?}");
        for target in [
            path(date),
            format!("/board/{date}/shifts/{}/edit", second["id"]),
        ] {
            let (s, _, html) = post_form(&app, Some(&dispatcher), &target, &fields).await;
            assert_eq!(
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{target} {case}: {html}"
            );
            assert!(html.contains("id=\"form-errors\""), "{case}");
            assert!(
                tag(&html, field).contains("aria-invalid=\"true\""),
                "{case}: {}",
                tag(&html, field)
            );
            assert!(
                message(&html, &format!("{field}-error")).contains(says),
                "{case}"
            );
            for other in ["vehicle_id", "volunteer_id", "start", "end", "serves"] {
                if other != field {
                    assert!(
                        tag(&html, other).contains("aria-invalid=\"false\""),
                        "{case}: only {field} is marked, not {other}"
                    );
                }
            }
            assert!(
                tag(&html, "serves-meal").contains("checked"),
                "kept: {case}"
            );
            assert!(
                tag(&html, "start").contains(&format!("value=\"{start}\"")),
                "kept: {case}"
            );
            assert_eq!(stored(&app).await, before, "nothing written: {case}");
        }
    }
    // Without the form token, a good form is refused too.
    let (s, _, _) = post_form(
        &app,
        Some(&dispatcher),
        &path(date),
        &[
            ("vehicle_id", &car_id),
            ("start", "11:00"),
            ("end", "12:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn members_drivers_and_anonymous_readers_are_refused() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let date = app.date;
    let id = shifts_in_api(&app, &dispatcher, date).await[0]["id"]
        .as_i64()
        .unwrap();
    let car = vehicle(&app, &dispatcher, "Auto pasti 1").await.to_string();
    let before = stored(&app).await;
    let writes = [
        path(date),
        format!("/board/{date}/shifts/{id}/edit"),
        format!("/board/{date}/shifts/{id}/delete"),
        format!("/board/{date}/shifts/copy"),
    ];
    let fields = |token: &str| {
        vec![
            ("_csrf", token.to_string()),
            ("vehicle_id", car.clone()),
            ("start", "22:00".to_string()),
            ("end", "23:00".to_string()),
            ("from", (date - Days::new(7)).to_string()),
        ]
    };

    let (s, location, _) = page(&app, None, &path(date)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "anonymous readers sign in first");
    assert_eq!(location, format!("/login?next=/board/{date}/shifts"));
    for target in &writes {
        let f = fields("");
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (s, location, _) = post_form(&app, None, target, &f).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{target}");
        assert!(location.starts_with("/login?next="), "{location}");
    }
    for (role, home) in [(Role::Member, "/portal"), (Role::Driver, "/driver")] {
        let who = app.login_as(role).await;
        let (s, _, html) = page(&app, Some(&who), &path(date)).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
        assert!(html.contains("<html"), "a page, not JSON");
        assert!(!html.contains("id=\"shift-form\""), "{role:?} sees no form");
        assert!(
            !html.contains(&format!("id=\"shift-{id}\"")),
            "{role:?} sees no shift"
        );
        let f = fields(&csrf(&app, &who, home).await);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for target in &writes {
            let (s, _, _) = post_form(&app, Some(&who), target, &f).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role:?} on {target}");
        }
    }
    assert_eq!(
        stored(&app).await,
        before,
        "nothing added, changed or deleted"
    );
    let admin = app.login_as(Role::Admin).await;
    assert_eq!(
        page(&app, Some(&admin), &path(date)).await.0,
        StatusCode::OK
    );
}
