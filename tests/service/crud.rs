//! Create, read, update and delete through the API, sessions and tokens.

use giro::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::TestApp;

/// POST, GET, PUT, GET, DELETE, GET on one resource.
async fn round_trip(
    app: &TestApp,
    who: &super::support::As,
    base: &str,
    create: Value,
    update: Value,
    changed: &str,
) {
    let (s, made) = app.post(who, base, create).await;
    assert_eq!(s, StatusCode::CREATED, "{base}: {made}");
    let id = made["id"].as_i64().unwrap();
    let one = format!("{base}/{id}");
    let (s, got) = app.get(who, &one).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got, made);
    let (_, list) = app.get(who, base).await;
    assert!(list.as_array().unwrap().iter().any(|x| x["id"] == id));
    let (s, put) = app.put(who, &one, update.clone()).await;
    assert_eq!(s, StatusCode::OK, "{one}: {put}");
    assert_eq!(put[changed], update[changed]);
    let (_, got) = app.get(who, &one).await;
    assert_eq!(got[changed], update[changed]);
    let (s, _) = app.delete(who, &one).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, gone) = app.get(who, &one).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(gone["error"], "not_found");
    let (s, _) = app.delete(who, &one).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_resource_round_trips() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let (_, orgs) = app.get(&admin, "/api/v1/organisations").await;
    let org = orgs[1]["id"].as_i64().unwrap();

    round_trip(
        &app,
        &admin,
        "/api/v1/organisations",
        json!({"name": "Croce Verde", "kind": "association"}),
        json!({"name": "Croce Verde Sestri", "kind": "association"}),
        "name",
    )
    .await;
    let place = json!({"name": "Panificio", "address": "Via Nazionale 10", "lat": 44.27, "lon": 9.4, "kind": "donor"});
    round_trip(&app, &admin, "/api/v1/places", place.clone(), json!({"name": "Panificio Rossi", "address": "Via Nazionale 10", "lat": 44.27, "lon": 9.4, "kind": "donor"}), "name").await;
    let (_, home) = app.post(&admin, "/api/v1/places", json!({"organisation_id": org, "name": "Casa Bianchi", "address": "Via Roma 2", "lat": 44.27, "lon": 9.39, "kind": "home"})).await;
    let person = json!({"organisation_id": org, "name": "Pietro Bianchi", "phone": "+39 0185 000 999", "home_place_id": home["id"], "mobility": "walker", "assistance": "accompany_to_door", "driver_notes": "Ring twice."});
    round_trip(&app, &admin, "/api/v1/people", person.clone(), json!({"organisation_id": org, "name": "Pietro Bianchi", "home_place_id": home["id"], "mobility": "wheelchair", "assistance": "none"}), "mobility").await;
    let vehicle = json!({"name": "Auto 3", "depot_place_id": home["id"], "layouts": [{"name": "boxes", "capacity": {"hot_boxes": 8}}], "available": {"start": "10:00", "end": "14:00"}});
    round_trip(&app, &admin, "/api/v1/vehicles", vehicle.clone(), json!({"name": "Auto 3 bis", "depot_place_id": home["id"], "layouts": [{"name": "boxes", "capacity": {"hot_boxes": 8}}], "available": {"start": "10:00", "end": "14:00"}}), "name").await;
    let (_, v) = app.post(&admin, "/api/v1/vehicles", vehicle).await;
    round_trip(&app, &admin, "/api/v1/volunteers", json!({"name": "Rita", "available": {"start": "08:00", "end": "12:00"}, "vehicle_ids": [v["id"]]}), json!({"name": "Rita B.", "available": {"start": "08:00", "end": "12:00"}, "vehicle_ids": []}), "name").await;
    round_trip(&app, &admin, "/api/v1/shifts", json!({"date": "2026-12-01", "vehicle_id": v["id"], "window": {"start": "10:00", "end": "12:00"}}), json!({"date": "2026-12-01", "vehicle_id": v["id"], "window": {"start": "11:00", "end": "12:00"}}), "window").await;
    let (_, p) = app.post(&admin, "/api/v1/people", person).await;
    let (_, places) = app.get(&admin, "/api/v1/places").await;
    let centre = places
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "day_centre")
        .unwrap()["id"]
        .clone();
    let ride = json!({"organisation_id": org, "date": "2026-12-01", "kind": "ride", "person_id": p["id"], "from_place_id": home["id"], "to_place_id": centre, "window_at": "dropoff", "window": {"start": "08:30", "end": "09:00"}, "load": {"seats": 1}, "purpose": "day_centre"});
    round_trip(
        &app,
        &admin,
        "/api/v1/requests",
        ride.clone(),
        with_status(ride, "cancelled"),
        "status",
    )
    .await;
    round_trip(&app, &admin, "/api/v1/users", json!({"email": "nuovo@giro.demo", "name": "Nuovo", "role": "member", "organisation_id": org, "password": "a long password"}), json!({"email": "nuovo@giro.demo", "name": "Nuovo Utente", "role": "member", "organisation_id": org, "password": null}), "name").await;

    // A record still referenced cannot be deleted: 409, and it stays.
    let (s, body) = app
        .delete(&admin, &format!("/api/v1/places/{}", home["id"]))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        app.get(&admin, &format!("/api/v1/places/{}", home["id"]))
            .await
            .0,
        StatusCode::OK
    );

    // Every write is in the audit log, newest first.
    let (_, audit) = app.get(&admin, "/api/v1/audit?limit=3").await;
    assert_eq!(audit.as_array().unwrap().len(), 3);
    assert_eq!(audit[0]["entity"], "user");
    assert_eq!(audit[0]["action"], "delete");
}

fn with_status(mut v: Value, status: &str) -> Value {
    v["status"] = json!(status);
    v
}

#[tokio::test]
async fn sessions_tokens_and_the_openapi_document() {
    let app = TestApp::spawn().await;
    // Wrong password and unknown user look the same.
    for (email, pw) in [
        (app.email(Role::Dispatcher, 0), "wrong password"),
        ("nobody@giro.demo".into(), "whatever it is"),
    ] {
        let (s, b) = app
            .call(
                None,
                Method::POST,
                "/api/v1/login",
                Some(json!({"email": email, "password": pw})),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(
            b["error"], "bad_credentials",
            "a wrong password is named as such, not \"log in first\""
        );
    }
    let member = app.login_as(Role::Member).await;
    let (s, me) = app.get(&member, "/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["role"], "member");

    // A bearer token acts as its owner, with the same scope.
    let (s, t) = app
        .post(&member, "/api/v1/tokens", json!({"name": "booking system"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let bearer = super::support::As {
        header: (
            "authorization",
            format!("Bearer {}", t["token"].as_str().unwrap()),
        ),
    };
    let (s, people_by_token) = app.get(&bearer, "/api/v1/people").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(people_by_token, app.get(&member, "/api/v1/people").await.1);
    let (_, tokens) = app.get(&member, "/api/v1/tokens").await;
    assert_eq!(tokens.as_array().unwrap().len(), 1);
    assert!(
        !tokens.to_string().contains(t["token"].as_str().unwrap()),
        "the secret is shown once only"
    );
    let (s, _) = app
        .delete(&member, &format!("/api/v1/tokens/{}", t["info"]["id"]))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&bearer, "/api/v1/people").await.0,
        StatusCode::UNAUTHORIZED
    );

    // Logging out ends the session.
    let (s, _) = app
        .call(Some(&member), Method::POST, "/api/v1/logout", None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&member, "/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );

    let (s, doc) = app
        .call(None, Method::GET, "/api/v1/openapi.json", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/plans/{date}/solve",
        "/api/v1/plans/{date}/publish",
        "/api/v1/people/{id}",
        "/api/v1/manifest",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} undocumented");
    }
    assert!(doc["components"]["schemas"].get("RequestInput").is_some());
    // Unknown routes answer in JSON too.
    let (s, b) = app.get(&member, "/api/v1/nowhere").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(b["error"], "not_found");
}
