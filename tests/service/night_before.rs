//! The night-before list on the real app: after publishing, an association
//! sees its riders by promised pickup with the phone number to call, as
//! JSON, CSV and a printable page; another association never sees them;
//! planners pick the association and send the lists.

use chrono::{Duration, Local};
use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// The member's organisation id.
async fn organisation(app: &TestApp, email: &str) -> i64 {
    let (user, _) = app.store.user_for_login(email).await.unwrap().unwrap();
    user.organisation_id.expect("a member has an association")
}

/// The member's riders who need no lift (person, home, phone, name), and a public place.
async fn riders(app: &TestApp, member: &As) -> (Vec<Value>, i64) {
    let (_, people) = app.get(member, "/api/v1/people").await;
    let list = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            (p["mobility"] == "none" || p["mobility"] == "walker") && p["phone"].is_string()
        })
        .cloned()
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

async fn book(app: &TestApp, member: &As, body: Value) -> i64 {
    let (s, r) = app.post(member, "/api/v1/requests", body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    r["id"].as_i64().unwrap()
}

fn row_person(rows: &[Value], id: i64) -> Value {
    rows.iter().find(|r| r["request_id"] == id).unwrap()["person_id"].clone()
}

fn ride(app: &TestApp, p: &Value, to: i64) -> Value {
    json!({"date": app.date.to_string(), "kind": "ride", "person_id": p["id"],
        "from_place_id": p["home_place_id"], "to_place_id": to})
}

#[tokio::test]
async fn an_association_gets_its_riders_by_pickup_with_the_number_to_call() {
    let app = TestApp::spawn_on(Local::now().date_naive() + Duration::days(7)).await;
    app.quiet().await;
    let (a_email, b_email) = (app.email(Role::Member, 0), app.email(Role::Member, 1));
    let (a, b) = (app.login(&a_email).await, app.login(&b_email).await);
    let (a_org, b_org) = (
        organisation(&app, &a_email).await,
        organisation(&app, &b_email).await,
    );
    assert_ne!(a_org, b_org);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (a_people, to) = riders(&app, &a).await;
    let (b_people, _) = riders(&app, &b).await;
    let (first, second, theirs) = (&a_people[0], &a_people[1], &b_people[0]);

    let mut with_companion = ride(&app, first, to);
    with_companion["pickup_at"] = json!("10:00");
    with_companion["companions"] = json!(1);
    let later = book(&app, &a, with_companion).await;
    let mut arrive_by = ride(&app, second, to);
    arrive_by["appointment"] = json!("09:00");
    let earlier = book(&app, &a, arrive_by).await;
    let mut other = ride(&app, theirs, to);
    other["pickup_at"] = json!("11:00");
    let other_id = book(&app, &b, other).await;

    let path = format!("/api/v1/night-before/{}", app.date);
    // Before publishing nobody is promised a time, and nothing is sent.
    let (s, list) = app.get(&a, &path).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(
        (&list["published"], &list["rows"]),
        (&json!(false), &json!([]))
    );
    let (s, e) = app
        .post(&dispatcher, &format!("{path}/send"), json!(null))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");

    app.solve(&dispatcher, 2.0).await;
    app.publish_newest(&dispatcher).await;

    let (s, list) = app.get(&a, &path).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["published"], true);
    assert_eq!(list["organisation_id"], a_org);
    let rows = list["rows"].as_array().unwrap();
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r["request_id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&earlier) && ids.contains(&later), "{list}");
    assert!(!ids.contains(&other_id));
    let starts: Vec<&str> = rows
        .iter()
        .map(|r| r["pickup"]["start"].as_str().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "by pickup: {list}");
    let a_people_ids: Vec<&Value> = a_people.iter().map(|p| &p["id"]).collect();
    let (_, all_a) = app.get(&a, "/api/v1/people").await;
    for row in rows {
        let id = row["request_id"].as_i64().unwrap();
        let (s, r) = app.get(&a, &format!("/api/v1/requests/{id}")).await;
        assert_eq!(s, StatusCode::OK, "every row is the association's own: {r}");
        assert_eq!(r["lifecycle"]["state"], "scheduled", "{r}");
        assert_eq!(
            row["pickup"], r["lifecycle"]["pickup"],
            "the promised window"
        );
        let p = all_a
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == row["person_id"])
            .expect("the association's rider");
        assert_eq!(row["person"], p["name"]);
        assert_eq!(row["phone"], p["phone"]);
        assert_eq!(row["mobility"], p["mobility"]);
    }
    assert!(a_people_ids.contains(&&row_person(rows, later)));
    let row = |id: i64| rows.iter().find(|r| r["request_id"] == id).unwrap();
    assert_eq!(row(later)["companions"], 1);
    assert_eq!(row(earlier)["appointment"], "09:00");
    assert_eq!(
        row(earlier)["to"].as_str().map(|s| !s.is_empty()),
        Some(true)
    );

    // CSV by Accept and by parameter: the same rows, the phone to call.
    for (p, accept) in [
        (path.clone(), Some("text/csv")),
        (format!("{path}?format=csv"), None),
    ] {
        let (s, ct, body) = app.get_text(&a, &p, accept).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert!(ct.starts_with("text/csv"), "{ct}");
        let lines: Vec<&str> = body.lines().collect();
        assert!(lines[0].starts_with("date,request_id,person,phone,pickup_from,pickup_to,"));
        assert_eq!(lines.len(), rows.len() + 1, "{body}");
        let line = lines
            .iter()
            .find(|l| l.contains(&format!(",{later},")))
            .unwrap();
        assert!(line.contains(first["phone"].as_str().unwrap()), "{line}");
        assert!(
            line.contains(row(later)["pickup"]["start"].as_str().unwrap()),
            "{line}"
        );
        assert!(!body.contains(theirs["name"].as_str().unwrap()));
    }

    // Another association's list: refused by id, never shown (JSON, CSV, page).
    let theirs_q = format!("{path}?organisation_id={b_org}");
    let (s, e) = app.get(&a, &theirs_q).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, _, body) = app
        .get_text(&a, &format!("{theirs_q}&format=csv"), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(!body.contains(theirs["name"].as_str().unwrap()));
    let page_q = format!("/night-before?date={}&organisation_id={b_org}", app.date);
    let (s, _, body) = app.get_text(&a, &page_q, None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(!body.contains(theirs["name"].as_str().unwrap()));
    let (s, _, page) = app
        .get_text(&a, &format!("/night-before?date={}", app.date), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains(first["name"].as_str().unwrap()), "{page}");
    assert!(page.contains(&format!("tel:{}", first["phone"].as_str().unwrap())));
    assert!(page.contains(&format!("data-request-id=\"{later}\"")));
    assert!(!page.contains(theirs["name"].as_str().unwrap()));
    assert!(!page.contains(&format!("data-request-id=\"{other_id}\"")));
    assert!(page.contains("night_before.css") && page.contains("Lista della vigilia"));
    // B's own list has B's ride only.
    let (_, mine) = app.get(&b, &path).await;
    let b_rows = mine["rows"].as_array().unwrap().clone();
    let b_ids: Vec<&Value> = b_rows.iter().map(|r| &r["request_id"]).collect();
    assert!(b_ids.contains(&&json!(other_id)), "{mine}");
    assert!(!b_ids.contains(&&json!(later)) && !b_ids.contains(&&json!(earlier)));

    // A planner picks the association, and must pick one.
    let (s, e) = app.get(&dispatcher, &path).await;
    assert_eq!(
        (s, &e["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("organisation_id"))
    );
    let (s, l) = app.get(&dispatcher, &theirs_q).await;
    assert_eq!((s, &l["rows"]), (StatusCode::OK, &json!(b_rows)));
    let (s, _, page) = app.get_text(&dispatcher, &page_q, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(theirs["name"].as_str().unwrap()));

    // Sending: planners only, one list per association with rides.
    let (s, _) = app.post(&a, &format!("{path}/send"), json!(null)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, sent) = app
        .post(&dispatcher, &format!("{path}/send"), json!(null))
        .await;
    assert_eq!(s, StatusCode::OK, "{sent}");
    let mut got: Vec<(i64, i64, String)> = sent
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["organisation_id"].as_i64().unwrap(),
                x["rides"].as_i64().unwrap(),
                x["via"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        (a_org, rows.len() as i64, "log".to_string()),
        (b_org, b_rows.len() as i64, "log".to_string()),
    ];
    want.sort();
    assert_eq!(got, want);
    assert!(sent
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["recipients"].as_i64() >= Some(1)));
    let (s, one) = app
        .post(
            &dispatcher,
            &format!("{path}/send?organisation_id={b_org}"),
            json!(null),
        )
        .await;
    assert_eq!(
        (s, one.as_array().map(Vec::len)),
        (StatusCode::OK, Some(1)),
        "{one}"
    );
}

#[tokio::test]
async fn bad_night_before_input_names_the_field() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    for (path, status, field) in [
        (
            "/api/v1/night-before/2026-13-01",
            StatusCode::BAD_REQUEST,
            "date",
        ),
        (
            "/api/v1/night-before/1999-12-31",
            StatusCode::UNPROCESSABLE_ENTITY,
            "date",
        ),
        (
            "/api/v1/night-before/2026-11-23?format=pdf",
            StatusCode::BAD_REQUEST,
            "format",
        ),
        (
            "/api/v1/night-before/2026-11-23?organisation_id=x",
            StatusCode::BAD_REQUEST,
            "organisation_id",
        ),
    ] {
        let (s, e) = app.get(&member, path).await;
        assert_eq!((s, &e["field"]), (status, &json!(field)), "{path}: {e}");
    }
    let (s, e) = app
        .get(
            &dispatcher,
            "/api/v1/night-before/2026-11-23?organisation_id=999999",
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, e) = app
        .post(
            &dispatcher,
            "/api/v1/night-before/2026-11-23/send?organisation_id=0",
            json!(null),
        )
        .await;
    assert_eq!(
        (s, &e["field"]),
        (StatusCode::BAD_REQUEST, &json!("organisation_id")),
        "{e}"
    );
    // The page marks the field.
    let (s, _, page) = app
        .get_text(&member, "/night-before?date=23/11/2026", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("data-field=\"date\"") && page.contains("aria-invalid=\"true\""),
        "{page}"
    );
    // Signed out: no list.
    let (s, _) = app
        .call(
            None,
            reqwest::Method::GET,
            "/api/v1/night-before/2026-11-23",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
