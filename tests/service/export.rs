//! Spreadsheets out (issue 13): every list of the API as CSV, a line per
//! record of its JSON, in the caller's scope and without secrets; a
//! volunteer's published routes as an iCalendar feed naming no one carried.

use std::collections::HashSet;

use giro::domain::{AuditAction, AuditEntity, Role};
use giro::store::{AuditFilter, Scope};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// A CSV body as its header and rows (the `csv` crate, strict lengths).
fn parse(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

/// A JSON field as the CSV writes it (`null` empty, numbers compared as such).
fn same(json: &Value, cell: &str) -> bool {
    match json {
        Value::Null => cell.is_empty(),
        Value::Bool(b) => cell == b.to_string(),
        Value::Number(n) => cell.parse::<f64>().ok() == n.as_f64(),
        // A formula-like text gets one leading apostrophe.
        Value::String(s) => cell == s || cell.strip_prefix('\'') == Some(s.as_str()),
        _ => true,
    }
}

async fn csv_of(app: &TestApp, who: &As, path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (s, ct, body) = app
        .get_text(who, &format!("{path}{sep}format=csv"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{path}: {body}");
    assert!(ct.starts_with("text/csv"), "{path}: {ct}");
    assert!(body.ends_with("\r\n"), "{path}: CRLF");
    parse(&body)
}

/// The lists, with the column that names a record.
fn lists(date: &str) -> Vec<(String, &'static str)> {
    [
        ("/api/v1/vehicles", "id"),
        ("/api/v1/volunteers", "id"),
        ("/api/v1/organisations", "id"),
        ("/api/v1/users", "id"),
        ("/api/v1/closing-days", "date"),
        ("/api/v1/vehicle-blocks", "id"),
        ("/api/v1/meal-recipients", "id"),
        ("/api/v1/donors", "id"),
        ("/api/v1/audit", "id"),
    ]
    .into_iter()
    .map(|(p, k)| (p.to_string(), k))
    .chain([
        (format!("/api/v1/shifts?date={date}"), "id"),
        ("/api/v1/shifts".into(), "id"),
        (format!("/api/v1/requests?date={date}"), "id"),
        ("/api/v1/requests".into(), "id"),
    ])
    .collect()
}

/// The CSV holds the JSON list's records in its order, and every column the
/// JSON has as a plain field agrees with it.
async fn csv_matches_json(app: &TestApp, who: &As, path: &str, key: &str) -> usize {
    let (s, json) = app.get(who, path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {json}");
    let json = json.as_array().unwrap();
    let (head, rows) = csv_of(app, who, path).await;
    assert_eq!(
        head.first().map(String::as_str),
        Some(key),
        "{path}: {head:?}"
    );
    assert_eq!(rows.len(), json.len(), "{path}: a line per record");
    let mut compared = 0;
    for (row, rec) in rows.iter().zip(json) {
        assert_eq!(row.len(), head.len(), "{path}");
        assert!(
            same(&rec[key], &row[0]),
            "{path}: {} vs {}",
            rec[key],
            row[0]
        );
        for (col, cell) in head.iter().zip(row) {
            if let Some(v) = rec.get(col) {
                assert!(same(v, cell), "{path} {col}: JSON {v} vs CSV {cell:?}");
                compared += 1;
            }
        }
        // Windows as two columns.
        for w in ["window", "available"] {
            if let Some(win) = rec.get(w) {
                let at = |c: &str| head.iter().position(|h| h == c).unwrap();
                assert_eq!(
                    row[at(&format!("{w}_start"))],
                    win["start"].as_str().unwrap()
                );
                assert_eq!(row[at(&format!("{w}_end"))], win["end"].as_str().unwrap());
            }
        }
    }
    assert!(
        json.is_empty() || compared > json.len(),
        "{path}: fields compared"
    );
    json.len()
}

#[tokio::test]
async fn every_list_as_csv_has_its_header_and_a_line_per_record_of_its_json() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    // A closing day whose label a spreadsheet would run as a formula.
    let closed = json!({"date": "2026-12-07", "label": "=HYPERLINK(\"http://x\",\"ok\")"});
    let (s, body) = app.post(&dispatcher, "/api/v1/closing-days", closed).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let (s, body) = app
        .post(
            &dispatcher,
            "/api/v1/vehicle-blocks",
            json!({"vehicle_id": app.store.vehicles().await.unwrap()[0].id,
                   "date": app.date, "window": {"start": "14:00", "end": "15:00"},
                   "note": "+revisione, officina"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");

    let date = app.date.to_string();
    for (path, key) in lists(&date) {
        let n = csv_matches_json(&app, &admin, &path, key).await;
        assert!(n > 0, "{path}: the demo has records to compare");
    }

    // The drivers' events of a date (none on the demo day before it runs).
    csv_matches_json(&app, &admin, &format!("/api/v1/events?date={date}"), "id").await;

    let (_, rows) = csv_of(&app, &admin, "/api/v1/closing-days").await;
    let label = &rows.iter().find(|r| r[0] == "2026-12-07").unwrap()[1];
    assert_eq!(label, "'=HYPERLINK(\"http://x\",\"ok\")", "neutralised");
    let (_, rows) = csv_of(&app, &admin, "/api/v1/vehicle-blocks").await;
    assert!(rows.iter().any(|r| r[6] == "'+revisione, officina"));

    // Accept: text/csv asks the same; the file is named after the list.
    let (s, ct, body) = app
        .get_text(&admin, "/api/v1/vehicles", Some("text/csv"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(body.starts_with("id,name,depot_place_id,"), "{body}");
    let res = app
        .http
        .get(app.url("/api/v1/donors?format=csv"))
        .header(admin.header.0, &admin.header.1)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"giro-donors.csv\""
    );
}

#[tokio::test]
async fn a_members_csv_holds_only_its_associations_rows() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let admin = app.login_as(Role::Admin).await;
    let me = app
        .store
        .user_for_login(&app.email(Role::Member, 0))
        .await
        .unwrap()
        .unwrap()
        .0;
    let own = me.organisation_id.unwrap().to_string();
    let date = app.date;
    for path in [
        format!("/api/v1/requests?date={date}"),
        "/api/v1/requests".into(),
        "/api/v1/meal-recipients".into(),
        "/api/v1/organisations".into(),
    ] {
        let (head, rows) = csv_of(&app, &member, &path).await;
        let (_, all) = csv_of(&app, &admin, &path).await;
        let col = if path.contains("organisations") {
            "id"
        } else {
            "organisation_id"
        };
        let at = head.iter().position(|h| h == col).unwrap();
        assert!(!rows.is_empty(), "{path}: the member has rows");
        assert!(rows.iter().all(|r| r[at] == own), "{path}: {rows:?}");
        assert!(
            all.iter().any(|r| r[at] != own),
            "{path}: others' rows exist, for the admin"
        );
        // And the member's CSV is its JSON list, no more.
        csv_matches_json(&app, &member, &path, &head[0]).await;
    }
    // Blocks: those reserved for the member's association or for no one.
    let (head, rows) = csv_of(&app, &member, "/api/v1/vehicle-blocks").await;
    let at = head.iter().position(|h| h == "organisation_id").unwrap();
    assert!(rows.iter().all(|r| r[at].is_empty() || r[at] == own));
    // Lists a member may not read stay closed as CSV too.
    for path in ["/api/v1/users", "/api/v1/volunteers", "/api/v1/shifts"] {
        let (s, _, _) = app
            .get_text(&member, &format!("{path}?format=csv"), None)
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn the_users_csv_holds_no_password_hash_or_token() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (s, token) = app
        .post(&admin, "/api/v1/tokens", json!({"name": "export"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{token}");
    let secret = token["token"].as_str().unwrap().to_string();
    let driver = app
        .store
        .user_for_login(&app.email(Role::Driver, 0))
        .await
        .unwrap()
        .unwrap()
        .0;
    let (s, link) = app
        .post(
            &dispatcher,
            &format!("/api/v1/users/{}/link", driver.id),
            json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    let link = link["token"].as_str().unwrap().to_string();

    let (_, _, body) = app.get_text(&admin, "/api/v1/users?format=csv", None).await;
    let (head, rows) = parse(&body);
    assert_eq!(
        head,
        [
            "id",
            "email",
            "name",
            "role",
            "organisation_id",
            "volunteer_id",
            "active"
        ]
    );
    assert_eq!(rows.len(), app.store.users().await.unwrap().len());
    for needle in [
        secret.as_str(),
        link.as_str(),
        "$argon2",
        "password",
        "hash",
    ] {
        assert!(!body.contains(needle), "{needle:?} in the users' CSV");
    }
    // The session cookie's secret is nowhere either.
    let session = admin.header.1.split('=').nth(1).unwrap();
    assert!(!body.contains(session));
}

#[tokio::test]
async fn a_format_other_than_json_or_csv_is_400_naming_it() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    for (path, _) in lists(&app.date.to_string()) {
        let sep = if path.contains('?') { '&' } else { '?' };
        let (s, e) = app.get(&admin, &format!("{path}{sep}format=xml")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {e}");
        assert_eq!(e["field"], "format", "{path}: {e}");
    }
}

/// Solves and publishes the test date; the volunteer of its longest route,
/// the driver signed in, and the volunteer's manifest as JSON.
async fn published(app: &TestApp, dispatcher: &As) -> (i64, As, Value) {
    let plan = app.solve(dispatcher, 2.0).await;
    app.publish_newest(dispatcher).await;
    let (route, driver) = app.longest_driven(&plan).await;
    let volunteer = route["volunteer_id"].as_i64().unwrap();
    let (s, manifest) = app
        .get(
            dispatcher,
            &format!(
                "/api/v1/manifest?date={}&volunteer_id={volunteer}",
                app.date
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{manifest}");
    (volunteer, driver, manifest)
}

/// The feed's content lines: each at most 75 octets, CRLF-ended; unfolded.
fn content_lines(body: &str) -> Vec<String> {
    assert!(body.ends_with("\r\n"));
    assert!(
        !body.replace("\r\n", "").contains(['\n', '\r']),
        "only CRLF line ends"
    );
    for l in body.split("\r\n") {
        assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
    }
    body.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// `2026-11-23` and `08:10` as `20261123T081000`.
fn ical_time(date: &str, clock: &str) -> String {
    format!("{}T{}00", date.replace('-', ""), clock.replace(':', ""))
}

/// Every name and phone giro holds on people.
async fn personal_words(app: &TestApp) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for p in app.store.people(Scope::All).await.unwrap() {
        words.push(p.name.clone());
        words.extend(p.phone.clone());
        words.extend(p.driver_notes.clone().filter(|n| n.len() > 8));
    }
    words
}

fn check_feed(body: &str, manifest: &Value, people: &[String]) {
    let lines = content_lines(body);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.iter().any(|l| l == "TZID:Europe/Rome"));
    let date = manifest["date"].as_str().unwrap();
    let routes = manifest["routes"].as_array().unwrap();
    assert!(!routes.is_empty());
    assert_eq!(
        lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(),
        routes.len(),
        "one event per route"
    );
    let starts: Vec<&String> = lines.iter().filter(|l| l.starts_with("DTSTART;")).collect();
    let ends: Vec<&String> = lines.iter().filter(|l| l.starts_with("DTEND;")).collect();
    for (i, r) in routes.iter().enumerate() {
        let stops = r["stops"].as_array().unwrap();
        let first = stops.first().unwrap()["time"].as_str().unwrap();
        let last = stops.last().unwrap()["time"].as_str().unwrap();
        assert_eq!(
            starts[i],
            &format!("DTSTART;TZID=Europe/Rome:{}", ical_time(date, first))
        );
        assert_eq!(
            ends[i],
            &format!("DTEND;TZID=Europe/Rome:{}", ical_time(date, last))
        );
        let summary = format!(
            "SUMMARY:giro: {} {first}–{last}",
            r["vehicle_name"].as_str().unwrap()
        );
        assert!(
            lines
                .iter()
                .any(|l| l.replace("\\,", ",").replace("\\;", ";") == summary),
            "{summary} in {lines:?}"
        );
    }
    let uids: HashSet<&String> = lines.iter().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(uids.len(), routes.len(), "a UID per route");
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("DTSTAMP:")).count(),
        routes.len()
    );
    let unescaped = body.replace("\r\n ", "").replace('\\', "");
    for w in people {
        assert!(!unescaped.contains(w.as_str()), "{w:?} is in the calendar");
    }
}

#[tokio::test]
async fn a_volunteers_calendar_has_an_event_per_published_route_and_names_no_one_carried() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (volunteer, driver, manifest) = published(&app, &dispatcher).await;
    let people = personal_words(&app).await;
    // The people carried are in the manifest; none of them in the feed.
    let carried: Vec<&str> = manifest["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .filter_map(|s| s["person_name"].as_str())
        .collect();
    assert!(!carried.is_empty());
    assert!(carried.iter().all(|c| people.iter().any(|p| p == c)));

    let d = app.date;
    let path = format!("/api/v1/volunteers/{volunteer}/calendar?from={d}&to={d}");
    let reads = async || {
        let filter = AuditFilter {
            action: Some(AuditAction::Read),
            entity: Some(AuditEntity::Manifest),
            entity_id: Some(volunteer),
            ..AuditFilter::default()
        };
        app.store.audit_lines(&filter, 100).await.unwrap()
    };
    let before = reads().await.len();
    for who in [&dispatcher, &driver] {
        let (s, ct, body) = app.get_text(who, &path, None).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert!(ct.starts_with("text/calendar"), "{ct}");
        check_feed(&body, &manifest, &people);
    }
    let lines = reads().await;
    assert_eq!(lines.len(), before + 2, "each read audited");
    assert_eq!(lines[0].role, Some(Role::Driver));
    assert_eq!(
        lines[0].detail.as_deref(),
        Some(format!("calendar {d}..{d}").as_str())
    );

    // A day without a published plan has no event.
    let next = d + chrono::Duration::days(40);
    let (_, _, body) = app
        .get_text(
            &dispatcher,
            &format!("/api/v1/volunteers/{volunteer}/calendar?from={next}&to={next}"),
            None,
        )
        .await;
    assert!(!body.contains("BEGIN:VEVENT"), "{body}");
    // A driver reads no one else's calendar.
    let other = app
        .store
        .volunteers()
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.id != volunteer)
        .unwrap();
    let (s, _, _) = app
        .get_text(
            &driver,
            &format!("/api/v1/volunteers/{}/calendar", other.id),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_personal_links_calendar_is_the_same_feed_until_the_link_is_revoked() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (volunteer, _, manifest) = published(&app, &dispatcher).await;
    let (user, _) = app.driver_of(volunteer).await;
    let (s, link) = app
        .post(
            &dispatcher,
            &format!("/api/v1/users/{}/link", user.id),
            json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    let token = link["token"].as_str().unwrap();
    // A PIN protects the driver's page; the feed carries nothing it guards.
    let (s, _) = app
        .put(
            &dispatcher,
            &format!("/api/v1/users/{}/pin", user.id),
            json!({"pin": "4321"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let d = app.date;
    let url = app.url(&format!("/d/{token}/calendar.ics?from={d}&to={d}"));
    let res = app.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let body = res.text().await.unwrap();
    check_feed(&body, &manifest, &personal_words(&app).await);

    let (s, _) = app
        .delete(&dispatcher, &format!("/api/v1/users/{}/link", user.id))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let res = app.http.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .http
        .get(app.url("/d/not-a-link/calendar.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bad_calendar_range_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let v = app.store.volunteers().await.unwrap()[0].id;
    // Malformed is 400; a range the wrong way round or too long breaks a
    // rule between fields: 422, as the other ranges of the API.
    for (query, field, status) in [
        ("from=23/11/2026", "from", StatusCode::BAD_REQUEST),
        ("to=tomorrow", "to", StatusCode::BAD_REQUEST),
        (
            "from=2026-11-30&to=2026-11-23",
            "to",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "from=2026-01-01&to=2027-06-01",
            "to",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (s, e) = app
            .get(
                &dispatcher,
                &format!("/api/v1/volunteers/{v}/calendar?{query}"),
            )
            .await;
        assert_eq!(s, status, "{query}: {e}");
        assert_eq!(e["field"], field, "{query}: {e}");
    }
    let (s, e) = app
        .get(&dispatcher, "/api/v1/volunteers/999999/calendar")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
}
