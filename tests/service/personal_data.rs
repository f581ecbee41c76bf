//! Personal data (issue 13): reads of a person's record and of a manifest
//! leave one audit line each, with the reader's role.

use giro::domain::{AuditAction, AuditEntity, Role};
use giro::store::{AuditEntry, AuditFilter};
use reqwest::StatusCode;

use super::support::TestApp;

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
