//! Personal data (issue 13): reads of a person's record and of a manifest
//! leave one audit line each, with the reader's role.

use giro::domain::{AuditAction, AuditEntity, Role};
use giro::store::{AuditEntry, AuditFilter};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// The read lines about `entity` `id`, newest first.
async fn reads(app: &TestApp, entity: AuditEntity, id: Option<i64>) -> Vec<AuditEntry> {
    let filter = AuditFilter {
        action: Some(AuditAction::Read),
        entity: Some(entity),
        entity_id: id,
        ..AuditFilter::default()
    };
    app.store.audit_lines(&filter, 5000).await.unwrap()
}

#[tokio::test]
async fn reading_a_person_as_a_member_and_as_a_dispatcher_each_adds_one_audit_line() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (s, people) = app.get(&member, "/api/v1/people").await;
    assert_eq!(s, StatusCode::OK);
    let id = people[0]["id"].as_i64().unwrap();
    // A list names no one person: no line.
    assert!(reads(&app, AuditEntity::Person, Some(id)).await.is_empty());

    let (s, _) = app.get(&member, &format!("/api/v1/people/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let lines = reads(&app, AuditEntity::Person, Some(id)).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].role, Some(Role::Member));

    let (s, _) = app.get(&dispatcher, &format!("/api/v1/people/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let lines = reads(&app, AuditEntity::Person, Some(id)).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].role, Some(Role::Dispatcher));
    assert!(lines[0].user_id.is_some() && lines[0].user_id != lines[1].user_id);

    // A read that finds nothing reads nothing.
    let (s, _) = app.get(&dispatcher, "/api/v1/people/999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(reads(&app, AuditEntity::Person, Some(999_999))
        .await
        .is_empty());

    // The admin sees the lines through the API, filtered, in words.
    let admin = app.login_as(Role::Admin).await;
    let (s, api) = app
        .get(
            &admin,
            &format!("/api/v1/audit?action=read&entity=person&entity_id={id}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{api}");
    let api = api.as_array().unwrap();
    assert_eq!(api.len(), 2, "{api:?}");
    assert_eq!(api[0]["action"], "read");
    assert_eq!(api[0]["entity"], "person");
    assert_eq!(api[0]["role"], "dispatcher");
    assert_eq!(api[1]["role"], "member");

    // The admin's page shows the same lines; others may not open it.
    let page = format!("/admin/audit?action=read&entity=person&entity_id={id}");
    let (s, _, html) = app.get_text(&admin, &page, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(html.matches(r#"class="audit-line""#).count(), 2, "{html}");
    let (s, _, _) = app.get_text(&dispatcher, &page, None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = app.get_text(&admin, "/admin/audit?action=peek", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn reading_a_manifest_as_json_csv_or_the_drivers_page_adds_one_line_each() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    app.publish_newest(&dispatcher).await;
    let (route, driver) = app.longest_driven(&plan).await;
    let volunteer = route["volunteer_id"].as_i64().unwrap();
    let date = app.date;
    let count = async || {
        reads(&app, AuditEntity::Manifest, Some(volunteer))
            .await
            .len()
    };
    assert_eq!(count().await, 0);

    let (s, _) = app
        .get(&driver, &format!("/api/v1/manifest?date={date}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(count().await, 1);
    let (s, _, _) = app
        .get_text(
            &dispatcher,
            &format!("/api/v1/manifest?date={date}&volunteer_id={volunteer}&format=csv"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(count().await, 2);
    let (s, _, _) = app
        .get_text(&driver, &format!("/driver?date={date}"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let lines = reads(&app, AuditEntity::Manifest, Some(volunteer)).await;
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].role, Some(Role::Driver));
    assert_eq!(lines[1].role, Some(Role::Dispatcher));
    assert_eq!(lines[0].detail.as_deref(), Some(date.to_string().as_str()));
}

#[tokio::test]
async fn a_bad_audit_filter_is_422_naming_it() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    for (query, field) in [
        ("action=peek", "action"),
        ("entity=diagnosis", "entity"),
        ("from=2026-11-20&to=2026-11-10", "to"),
    ] {
        let (s, e) = app.get(&admin, &format!("/api/v1/audit?{query}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {e}");
        assert!(e.to_string().contains(field), "{query}: {e}");
    }
    let (s, lines) = app.get(&admin, "/api/v1/audit?action=login&limit=5").await;
    assert_eq!(s, StatusCode::OK);
    let lines = lines.as_array().unwrap();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l["action"] == "login"));
}

const NAME: &str = "Zelinda Quaranteotto";
const PHONE: &str = "0185 555 4321";

/// Every GET answer `who` may read about the test date, as text: the
/// OpenAPI document's paths without parameters, then those naming the date,
/// the person and the published stops, and the pages.
async fn everything(app: &TestApp, who: &As, extra: &[String]) -> Vec<(String, String)> {
    let (_, _, doc) = app.get_text(who, "/api/v1/openapi.json", None).await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    let mut paths: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(p, ops)| !p.contains('{') && ops.get("get").is_some())
        .flat_map(|(p, ops)| {
            // A list with a CSV form is read in both: an export must not
            // name what the JSON no longer does.
            let csv = ops["get"]["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|q| q["name"] == "format"));
            let mut both = vec![p.clone()];
            if csv {
                both.push(format!("{p}?format=csv"));
            }
            both
        })
        .collect();
    paths.extend(extra.iter().cloned());
    let mut out = Vec::new();
    for p in paths {
        let (s, _, body) = app.get_text(who, &p, None).await;
        if s == StatusCode::OK {
            out.push((p, body));
        }
    }
    out
}

#[tokio::test]
async fn an_anonymised_person_is_named_nowhere_and_the_reports_count_the_same() {
    // A day ahead: rides are booked for the future.
    let app = TestApp::spawn_on(chrono::Local::now().date_naive() + chrono::Days::new(7)).await;
    app.quiet().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let admin = app.login_as(Role::Admin).await;
    let date = app.date;
    let (_, places) = app.get(&member, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] != "home")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (s, home) = app
        .post(
            &member,
            "/api/v1/places",
            json!({"name": format!("Casa {NAME}"), "address": "Via dei Quaranteotto 9",
                "lat": 44.2705, "lon": 9.3952, "kind": "home"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{home}");
    let (s, person) = app
        .post(
            &member,
            "/api/v1/people",
            json!({"name": NAME, "phone": PHONE, "home_place_id": home["id"],
                "mobility": "walker", "assistance": "accompany_to_door",
                "driver_notes": format!("{NAME} usa il deambulatore")}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{person}");
    let id = person["id"].as_i64().unwrap();
    let (s, ride) = app
        .post(
            &member,
            "/api/v1/requests",
            json!({"date": date.to_string(), "kind": "ride", "person_id": id,
                "from_place_id": home["id"], "to_place_id": to, "pickup_at": "10:00",
                "notes": format!("chiamare {NAME} al {PHONE}")}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ride}");
    let ride = ride["id"].as_i64().unwrap();
    // Someone else's notes name her too.
    let (_, people) = app.get(&member, "/api/v1/people").await;
    let other = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] != id)
        .unwrap()
        .clone();
    let (s, other_ride) = app
        .post(
            &member,
            "/api/v1/requests",
            json!({"date": date.to_string(), "kind": "ride", "person_id": other["id"],
                "from_place_id": other["home_place_id"], "to_place_id": to,
                "pickup_at": "10:05", "notes": format!("viaggia con {NAME}")}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{other_ride}");

    app.solve(&dispatcher, 2.0).await;
    let plan = app.publish_newest(&dispatcher).await;
    let route = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["stops"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["request_id"] == ride)
        })
        .expect("her ride is planned")
        .clone();
    let volunteer = route["volunteer_id"].as_i64().unwrap();
    let (_, driver) = app.driver_of(volunteer).await;
    for (role, at) in [("pickup", "09:00"), ("dropoff", "09:20")] {
        let (s, e) = app
            .post(
                &driver,
                "/api/v1/events",
                json!({"id": format!("anon-{ride}-{role}"), "date": date.to_string(),
                    "stop": format!("{ride}-{role}"), "kind": "done",
                    "at": format!("{date}T{at}:00Z"),
                    "note": format!("{NAME} ha pagato, tel. {PHONE}")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{e}");
    }
    let org = person["organisation_id"].as_i64().unwrap();
    let extra = |home: i64| -> Vec<String> {
        let d = date;
        vec![
            format!("/api/v1/people/{id}"),
            format!("/api/v1/people/{id}/eligibility"),
            format!("/api/v1/people/{id}/export"),
            format!("/board/people/{id}/export"),
            format!("/api/v1/places/{home}"),
            format!("/api/v1/requests/{ride}"),
            format!("/api/v1/requests?date={d}"),
            format!("/api/v1/requests?date={d}&format=csv"),
            format!("/api/v1/events?date={d}&format=csv"),
            format!("/api/v1/volunteers/{volunteer}/calendar"),
            format!("/api/v1/plans/{d}"),
            format!("/api/v1/plans/{d}/live"),
            format!("/api/v1/events?date={d}"),
            format!("/api/v1/manifest?date={d}&volunteer_id={volunteer}"),
            format!("/api/v1/manifest?date={d}&volunteer_id={volunteer}&format=csv"),
            format!("/api/v1/fees?from={d}&to={d}"),
            format!("/api/v1/fees?from={d}&to={d}&format=csv"),
            format!("/api/v1/night-before/{d}?organisation_id={org}"),
            format!("/api/v1/night-before/{d}?organisation_id={org}&format=csv"),
            format!("/api/v1/meals/{d}/production?format=csv"),
            format!("/api/v1/meals/{d}/packing"),
            format!("/api/v1/meals/{d}/packing?format=csv"),
            "/api/v1/audit?limit=5000".into(),
            format!("/board/{d}"),
            format!("/board/{d}/sheets"),
            format!("/board/{d}/kitchen"),
            format!("/board/{d}/shifts"),
            "/meals/recipients".into(),
            format!("/night-before?date={d}&organisation_id={org}"),
        ]
    };
    let home_id = home["id"].as_i64().unwrap();
    let named = |bodies: &[(String, String)]| -> Vec<String> {
        bodies
            .iter()
            .filter(|(_, b)| b.contains(NAME) || b.contains(PHONE))
            .map(|(p, _)| p.clone())
            .collect()
    };
    let before = everything(&app, &admin, &extra(home_id)).await;
    let seen = named(&before);
    // The test can fail: she is named in the record, the manifest, the
    // route sheets and the board before.
    for p in [
        format!("/api/v1/people/{id}"),
        format!("/api/v1/manifest?date={date}&volunteer_id={volunteer}&format=csv"),
        format!("/board/{date}/sheets"),
        format!("/board/{date}"),
    ] {
        assert!(seen.contains(&p), "{p} should name her before: {seen:?}");
    }
    // The exports are read too, and name her before.
    for p in ["/api/v1/people?format=csv", "/api/v1/requests?date="] {
        assert!(
            seen.iter().any(|s| s.starts_with(p) && s.contains("csv")),
            "{p}… (CSV) should name her before: {seen:?}"
        );
    }
    // Subject access: her requests, the drivers' reports at her stops and
    // the audit lines about her, this export's own included.
    let (s, export) = app
        .get(&member, &format!("/api/v1/people/{id}/export"))
        .await;
    assert_eq!(s, StatusCode::OK, "{export}");
    assert_eq!(export["person"]["name"], NAME);
    let requests: Vec<&Value> = export["requests"].as_array().unwrap().iter().collect();
    assert_eq!(requests.len(), 1, "{export}");
    assert_eq!(requests[0]["id"], ride);
    let events = export["stop_events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{export}");
    assert!(events
        .iter()
        .all(|e| e["note"].as_str().unwrap().contains(NAME)));
    assert!(export["places"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == home["id"]));
    let audit = export["audit"].as_array().unwrap();
    assert_eq!(audit[0]["action"], "export", "{export}");
    assert_eq!(audit[0]["role"], "member");
    assert!(audit.iter().any(|l| l["action"] == "create"));
    let (s, _, _) = app
        .get_text(&member, &format!("/board/people/{id}/export"), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "planners print it");
    let (s, _, page) = app
        .get_text(&dispatcher, &format!("/board/people/{id}/export"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(NAME) && page.contains("Dati personali"),
        "{page}"
    );
    let fees_path = format!("/api/v1/fees?from={date}&to={date}");
    let (_, fees_before) = app.get(&dispatcher, &fees_path).await;
    let report_path = format!("/api/v1/reports?from={date}&to={date}");
    let (s, report_before) = app.get(&dispatcher, &report_path).await;
    assert_eq!(s, StatusCode::OK, "{report_before}");
    let (_, requests_before) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={date}"))
        .await;

    // Members may not; an unknown person is 404; twice is once.
    let path = format!("/api/v1/people/{id}/anonymise");
    let (s, _) = app.post(&member, &path, json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .post(&dispatcher, "/api/v1/people/999999/anonymise", json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, done) = app.post(&dispatcher, &path, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let label = format!("Persona anonimizzata #{id}");
    assert_eq!(done["name"], label.as_str());
    assert!(done["phone"].is_null() && done["driver_notes"].is_null());
    let lines = app.store.audit_log(5000).await.unwrap();
    let anonymised = |lines: &[AuditEntry]| {
        lines
            .iter()
            .filter(|l| l.action == AuditAction::Anonymise && l.entity_id == Some(id))
            .count()
    };
    assert_eq!(anonymised(&lines), 1);
    let (s, again) = app.post(&admin, &path, json!({})).await;
    assert_eq!((s, &again), (StatusCode::OK, &done));
    assert_eq!(anonymised(&app.store.audit_log(5000).await.unwrap()), 1);

    let after = everything(&app, &admin, &extra(home_id)).await;
    assert_eq!(after.len(), before.len(), "every answer still answers");
    assert!(
        named(&after).is_empty(),
        "still named in {:?}",
        named(&after)
    );
    for (who, p) in [
        (&member, "/portal".to_string()),
        (&member, format!("/api/v1/people/{id}")),
        (&driver, format!("/driver?date={date}")),
        (&driver, format!("/api/v1/manifest?date={date}")),
    ] {
        let (s, _, body) = app.get_text(who, &p, None).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert!(!body.contains(NAME) && !body.contains(PHONE), "{p}");
    }
    // The reports count what they did: the fees are the same but for the
    // names of her and her home.
    let (_, fees_after) = app.get(&dispatcher, &fees_path).await;
    assert_eq!(
        fees_after.to_string(),
        fees_before
            .to_string()
            .replace(
                &format!("Casa {NAME}"),
                &format!("Abitazione anonimizzata #{home_id}")
            )
            .replace(NAME, &label),
    );
    assert!(!fees_after["trips"].as_array().unwrap().is_empty());
    // The municipality's report counts exactly the same, her ride included.
    let (_, report_after) = app.get(&dispatcher, &report_path).await;
    assert_eq!(report_after, report_before);
    let rides = report_after["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["service"] == "rides")
        .expect("rides figures");
    assert!(
        rides["completed"].as_i64().unwrap() >= 1 && rides["people_served"].as_i64().unwrap() >= 1,
        "her ride counts: {rides}"
    );
    let (_, requests_after) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={date}"))
        .await;
    let statuses = |v: &Value| -> Vec<(Value, Value)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].clone(), r["status"].clone()))
            .collect()
    };
    assert_eq!(statuses(&requests_after), statuses(&requests_before));
}

#[tokio::test]
async fn the_retention_job_anonymises_exactly_the_people_past_the_period() {
    use chrono::{Datelike, Days, Weekday};
    use giro::service::personal::retention;
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    // People are recorded today; the cutoff is a Wednesday after that, so
    // both rides below are on working days.
    let mut cutoff = chrono::Local::now().date_naive() + Days::new(9);
    while cutoff.weekday() != Weekday::Wed {
        cutoff = cutoff + Days::new(1);
    }
    let (_, people) = app.get(&member, "/api/v1/people").await;
    let template = people[0].clone();
    let (_, places) = app.get(&member, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] != "home")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let mut ids = Vec::new();
    for (name, date) in [
        ("Inside Ultimogiorno", cutoff),
        ("Outside Giornoprima", cutoff - Days::new(1)),
    ] {
        let (s, p) = app
            .post(
                &member,
                "/api/v1/people",
                json!({"name": name, "home_place_id": template["home_place_id"],
                    "mobility": "none", "assistance": "none"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let (s, r) = app
            .post(
                &member,
                "/api/v1/requests",
                json!({"date": date.to_string(), "kind": "ride", "person_id": p["id"],
                    "from_place_id": template["home_place_id"], "to_place_id": to,
                    "pickup_at": "10:00"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        ids.push(p["id"].as_i64().unwrap());
    }
    let (inside, outside) = (ids[0], ids[1]);
    // Past the period: everyone with no request from the cutoff on.
    let (_, all) = app.get(&dispatcher, "/api/v1/people").await;
    let (_, requests) = app.get(&dispatcher, "/api/v1/requests").await;
    let served: std::collections::HashSet<i64> = requests
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["date"].as_str().unwrap() >= cutoff.to_string().as_str())
        .filter_map(|r| r["person_id"].as_i64())
        .collect();
    let expected: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .filter(|id| !served.contains(id))
        .collect();
    assert!(expected.contains(&outside) && !expected.contains(&inside));

    let today = cutoff + Days::new(30);
    let names = async || app.get(&dispatcher, "/api/v1/people").await.1.to_string();
    let before = names().await;
    let dry = retention::run(&app.store, today, 30, true).await.unwrap();
    assert_eq!(dry.cutoff, cutoff);
    assert_eq!(dry.anonymised, expected);
    assert_eq!(names().await, before, "a dry run changes nothing");

    let done = retention::run(&app.store, today, 30, false).await.unwrap();
    assert_eq!(done.anonymised, expected);
    assert_eq!(done.notes_cleared, dry.notes_cleared);
    let (_, all) = app.get(&dispatcher, "/api/v1/people").await;
    for p in all.as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        let label = format!("Persona anonimizzata #{id}");
        assert_eq!(p["name"] == label.as_str(), expected.contains(&id), "{p}");
    }
    // Nobody is left to anonymise.
    let again = retention::run(&app.store, today, 30, false).await.unwrap();
    assert!(again.anonymised.is_empty());
}
