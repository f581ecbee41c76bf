//! Input hygiene at the edge, on both backends: control characters in any
//! text (JSON bodies, query strings, path parameters, page forms), bodies
//! above the limit, bodies that are not UTF-8 or not `application/json`,
//! dates outside 2000-01-01..=2099-12-31 and non-objects where an object
//! belongs are refused with the field named, and nothing is written.

use giro::domain::Role;
use giro::store::Scope;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// Sends `body` as is, with `content_type` when given; the status and the JSON answer.
async fn raw(
    app: &TestApp,
    who: Option<&As>,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut req = app.http.request(method, app.url(path)).body(body);
    if let Some(w) = who {
        req = req.header(w.header.0, &w.header.1);
    }
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{path}: the answer is not JSON: {text}"));
    (status, json)
}

async fn audit_len(app: &TestApp) -> usize {
    app.store.audit_log(100_000).await.unwrap().len()
}

/// A 422 naming `field`, in `details` and in the message.
fn assert_invalid(status: StatusCode, answer: &Value, field: &str) {
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}: {answer}"
    );
    assert_eq!(answer["error"], "invalid", "{answer}");
    assert_eq!(answer["field"], field, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains(field)),
        "{answer}"
    );
}

fn place() -> Value {
    json!({"name": "Bar Centrale", "address": "Via XXV Aprile 1", "lat": 44.27, "lon": 9.39, "kind": "donor"})
}

#[tokio::test]
async fn control_characters_in_any_json_text_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let depot = app.store.places(Scope::All).await.unwrap()[0].id;
    let before = audit_len(&app).await;
    let names_before = app.store.places(Scope::All).await.unwrap().len();

    // NUL (500 on PostgreSQL, stored on SQLite), other C0, DEL and C1, at any depth.
    for (path, body, field) in [
        (
            "/api/v1/places",
            json!({"name": "Bar\u{0}Centrale", "address": "Via Roma 1", "lat": 44.27, "lon": 9.39, "kind": "donor"}),
            "name",
        ),
        (
            "/api/v1/places",
            json!({"name": "Bar", "address": "Via\u{1b}[31m Roma", "lat": 44.27, "lon": 9.39, "kind": "donor"}),
            "address",
        ),
        (
            "/api/v1/organisations",
            json!({"name": "Croce\u{7f}", "kind": "association"}),
            "name",
        ),
        (
            "/api/v1/organisations",
            json!({"name": "Croce\u{85}Rosa", "kind": "association"}),
            "name",
        ),
        (
            "/api/v1/vehicles",
            json!({"name": "Auto 3", "depot_place_id": depot, "skills": [],
            "layouts": [{"name": "bo\u{0}xes", "capacity": {"hot_boxes": 10}}],
            "available": {"start": "10:00", "end": "15:00"}}),
            "layouts[0].name",
        ),
        (
            "/api/v1/vehicles",
            json!({"name": "Auto 3", "depot_place_id": depot, "skills": ["lift", "x\u{0}"],
            "layouts": [{"name": "boxes", "capacity": {"hot_boxes": 10}}],
            "available": {"start": "10:00", "end": "15:00"}}),
            "skills[1]",
        ),
    ] {
        let (s, answer) = app.post(&admin, path, body.clone()).await;
        assert_invalid(s, &answer, field);
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains("control character"),
            "{answer}"
        );
    }
    assert_eq!(
        audit_len(&app).await,
        before,
        "a refused write left a trace"
    );
    assert_eq!(
        app.store.places(Scope::All).await.unwrap().len(),
        names_before
    );

    // Anonymous: the sign-in body is checked before any look-up.
    for (body, field) in [
        (
            json!({"email": "admin\u{0}@giro.demo", "password": "x"}),
            "email",
        ),
        (
            json!({"email": app.email(Role::Admin, 0), "password": "pass\u{0}word"}),
            "password",
        ),
    ] {
        let (s, answer) = app
            .call(None, Method::POST, "/api/v1/login", Some(body))
            .await;
        assert_invalid(s, &answer, field);
    }

    // Line breaks and tabs are text: a note over several lines is kept as sent.
    let notes = "citofono rotto\r\n\tsuonare due volte";
    let (s, made) = app
        .post(&admin, "/api/v1/places", {
            let mut p = place();
            p["address"] = json!(notes);
            p
        })
        .await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    assert_eq!(made["address"], notes);
}

#[tokio::test]
async fn control_characters_in_query_strings_and_paths_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let date = app.date;
    for (path, field) in [
        (format!("/api/v1/requests?date={date}&q=a%00b"), "q"),
        (format!("/api/v1/events?date={date}%01"), "date"),
        ("/api/v1/places/1%00".to_string(), "id"),
        ("/api/v1/plans/2026-11-23%7F".to_string(), "date"),
    ] {
        let (s, answer) = app.get(&admin, &path).await;
        assert_invalid(s, &answer, field);
    }
}

#[tokio::test]
async fn form_fields_with_control_characters_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let email = app.email(Role::Admin, 0).replace('@', "%00%40");
    let res = app
        .http
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("email={email}&password=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("email: must not contain control characters"),
        "the page names the field: {page}"
    );
}

#[tokio::test]
async fn a_body_above_one_mebibyte_is_413_with_the_json_error() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let before = audit_len(&app).await;
    // Above the limit but below axum's own default (2 MB), and far above it.
    for size in [(1 << 20) + 1024, 5_000_000] {
        let mut body = place();
        body["address"] = json!("x".repeat(size));
        let bytes = body.to_string().into_bytes();
        for (who, path) in [(Some(&admin), "/api/v1/places"), (None, "/api/v1/login")] {
            let (s, answer) = raw(
                &app,
                who,
                Method::POST,
                path,
                Some("application/json"),
                bytes.clone(),
            )
            .await;
            assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{path} {size}: {answer}");
            assert_eq!(answer["error"], "too_large");
        }
    }
    assert_eq!(audit_len(&app).await, before);
    // Just below the limit is read (and judged on its merits).
    let mut body = place();
    body["address"] = json!("x".repeat((1 << 20) - 1024));
    let (s, answer) = app.post(&admin, "/api/v1/places", body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["field"], "address");
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_400_saying_so() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let before = audit_len(&app).await;
    let mut body = b"{\"name\": \"Bar ".to_vec();
    body.extend([0xff, 0xfe]);
    body.extend(
        b"\", \"address\": \"Via Roma 1\", \"lat\": 44.27, \"lon\": 9.39, \"kind\": \"donor\"}",
    );
    for (who, path) in [(Some(&admin), "/api/v1/places"), (None, "/api/v1/login")] {
        let (s, answer) = raw(
            &app,
            who,
            Method::POST,
            path,
            Some("application/json"),
            body.clone(),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["error"], "bad_request");
        assert!(
            answer["message"].as_str().unwrap().contains("not UTF-8"),
            "{answer}"
        );
    }
    assert_eq!(audit_len(&app).await, before);
}

#[tokio::test]
async fn only_application_json_is_taken() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let before = audit_len(&app).await;
    let body = place().to_string().into_bytes();
    for ct in [
        Some("application/jsonx"),
        Some("application/json-patch+json"),
        Some("text/plain"),
        Some("text/json"),
        None,
    ] {
        for (who, path) in [(Some(&admin), "/api/v1/places"), (None, "/api/v1/login")] {
            let (s, answer) = raw(&app, who, Method::POST, path, ct, body.clone()).await;
            assert_eq!(
                s,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{ct:?} {path}: {answer}"
            );
            assert_eq!(answer["error"], "unsupported_media_type");
        }
    }
    assert_eq!(audit_len(&app).await, before);
    for ct in ["application/json; charset=utf-8", "Application/JSON"] {
        let (s, answer) = raw(
            &app,
            Some(&admin),
            Method::POST,
            "/api/v1/places",
            Some(ct),
            body.clone(),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{ct}: {answer}");
    }
}

#[tokio::test]
async fn dates_outside_2000_to_2099_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let store = &app.store;
    let vehicle = store.vehicles().await.unwrap()[0].id;
    let before = audit_len(&app).await;

    // In the path and the query.
    for (path, field) in [
        ("/api/v1/plans/0000-01-01".to_string(), "date"),
        ("/api/v1/plans/9999-12-31".to_string(), "date"),
        ("/api/v1/plans/1999-12-31/solve".to_string(), "date"),
        ("/api/v1/requests?date=2100-01-01".to_string(), "date"),
        ("/api/v1/events?date=0001-01-01".to_string(), "date"),
    ] {
        let (s, answer) = app.get(&admin, &path).await;
        assert_invalid(s, &answer, field);
    }

    // In bodies: dates and instants.
    let shift = |date: &str| json!({"date": date, "vehicle_id": vehicle, "window": {"start": "08:00", "end": "12:00"}});
    for date in ["0000-01-01", "1999-12-31", "2100-01-01", "9999-12-31"] {
        let (s, answer) = app.post(&admin, "/api/v1/shifts", shift(date)).await;
        assert_invalid(s, &answer, "date");
        assert!(
            answer["message"].as_str().unwrap().contains("2000-01-01"),
            "{answer}"
        );
    }
    let (s, answer) = app
        .post(
            &admin,
            "/api/v1/events",
            json!({"id": "event-out-of-range", "date": app.date, "stop": "1-pickup",
                "kind": "arrived", "at": "9999-12-31T08:00:00Z"}),
        )
        .await;
    assert_invalid(s, &answer, "at");
    assert_eq!(
        audit_len(&app).await,
        before,
        "a refused write left a trace"
    );

    // Both ends of the range are dates like any other.
    for date in ["2000-01-01", "2099-12-31"] {
        let (s, answer) = app.post(&admin, "/api/v1/shifts", shift(date)).await;
        assert_eq!(s, StatusCode::CREATED, "{date}: {answer}");
        let (s, answer) = app
            .get(&admin, &format!("/api/v1/plans/{date}/solve"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{date}: {answer}");
    }
}

#[tokio::test]
async fn arrays_and_scalars_where_an_object_belongs_are_422() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let vehicle = app.store.vehicles().await.unwrap()[0].id;
    let before = audit_len(&app).await;
    for (path, body, field) in [
        // serde's derived types would take the fields in order.
        (
            "/api/v1/places",
            json!(["Bar", "Via Roma 1", 44.27, 9.39, "donor"]),
            "body",
        ),
        ("/api/v1/places", json!(5), "body"),
        ("/api/v1/places", json!("Bar"), "body"),
        ("/api/v1/places", json!(null), "body"),
        (
            "/api/v1/shifts",
            json!({"date": "2026-12-01", "vehicle_id": vehicle,
            "window": ["08:00", "12:00"]}),
            "window",
        ),
        (
            "/api/v1/shifts",
            json!({"date": "2026-12-01", "vehicle_id": vehicle,
            "window": 8}),
            "window",
        ),
        (
            "/api/v1/login",
            json!(["admin@giro.demo", "password"]),
            "body",
        ),
    ] {
        let (s, answer) = app.post(&admin, path, body.clone()).await;
        assert_invalid(s, &answer, field);
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains("expected a JSON object"),
            "{answer}"
        );
    }
    assert_eq!(
        audit_len(&app).await,
        before,
        "a refused write left a trace"
    );
}

#[tokio::test]
async fn the_board_takes_dates_in_the_same_range() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    for (date, status) in [
        ("9999-12-31", StatusCode::UNPROCESSABLE_ENTITY),
        ("0000-01-01", StatusCode::UNPROCESSABLE_ENTITY),
        ("2099-12-31", StatusCode::OK),
    ] {
        let res = app
            .http
            .get(app.url(&format!("/board/{date}")))
            .header(dispatcher.header.0, &dispatcher.header.1)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "/board/{date}");
        if status != StatusCode::OK {
            let page = res.text().await.unwrap();
            assert!(
                page.contains("date: must be a date from 2000-01-01"),
                "{page}"
            );
        }
    }
}
