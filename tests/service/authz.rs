//! The authorisation matrix: every role against every endpoint of the OpenAPI
//! document, and no answer to a member carrying another association's people.

use giro::domain::Role;
use giro::store::Scope;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::{As, TestApp};

const A: Role = Role::Admin;
const D: Role = Role::Dispatcher;
const M: Role = Role::Member;
const R: Role = Role::Driver;

/// Who may call each endpoint, as designed. `None` means anyone, even anonymous.
fn allowed(method: &str, path: &str) -> Option<Option<&'static [Role]>> {
    let p = path.trim_start_matches("/api/v1");
    let all: &[Role] = &[A, D, M, R];
    let rule: Option<&'static [Role]> = match (method, p) {
        ("post", "/login") => None,
        (_, "/logout" | "/me" | "/tokens" | "/tokens/{id}") => Some(all),
        ("get", "/organisations" | "/organisations/{id}") => Some(&[A, D, M]),
        (_, "/organisations" | "/organisations/{id}") => Some(&[A]),
        (_, "/users" | "/users/{id}") => Some(&[A]),
        (_, "/users/{id}/link" | "/users/{id}/pin") => Some(&[A, D]),
        (
            _,
            "/places" | "/places/{id}" | "/people" | "/people/{id}" | "/requests"
            | "/requests/{id}",
        ) => Some(&[A, D, M]),
        (
            "post",
            "/requests/{id}/cancel" | "/requests/{id}/keep-return" | "/requests/{id}/call",
        ) => Some(&[A, D, M]),
        ("get", "/vehicles" | "/vehicles/{id}") => Some(&[A, D, R]),
        (_, "/vehicles" | "/vehicles/{id}") => Some(&[A, D]),
        ("get", "/vehicle-blocks" | "/vehicle-blocks/{id}") => Some(&[A, D, M]),
        (_, "/vehicle-blocks" | "/vehicle-blocks/{id}") => Some(&[A, D]),
        // A driver reads its own calendar (the matrix asks for the first driver's).
        ("get", "/volunteers/{id}/calendar") => Some(&[A, D, R]),
        (_, "/volunteers" | "/volunteers/{id}" | "/shifts" | "/shifts/{id}") => Some(&[A, D]),
        ("post", "/plans/{date}/edits") => Some(&[A, D]),
        // A driver reads the live state of the routes they drive.
        ("get", "/plans/{date}/live") => Some(&[A, D, R]),
        (_, p) if p.starts_with("/plans/") => Some(&[A, D]),
        ("get", "/manifest") => Some(&[A, D, R]),
        (_, "/stops/{id}/events") => Some(&[A, D, R]),
        ("post", "/events") => Some(&[A, D, R]),
        ("get", "/events") => Some(&[A, D]),
        ("get", "/audit") => Some(&[A]),
        ("post", "/import/people") => Some(&[A, D, M]),
        ("post", "/import/places") => Some(&[A, D, M]),
        ("post", "/import/standing-orders") => Some(&[A, D, M]),
        ("get", "/policy") => Some(&[A, D, M]),
        ("put", "/policy") => Some(&[A, D]),
        ("post", "/standing-orders/generate") => Some(&[A, D]),
        (_, p) if p.starts_with("/standing-orders") => Some(&[A, D, M]),
        ("get", "/people/{id}/eligibility" | "/fees" | "/fees/rules") => Some(&[A, D, M]),
        ("put", "/people/{id}/eligibility" | "/fees/rules") => Some(&[A, D]),
        ("get", "/night-before/{date}") => Some(&[A, D, M]),
        ("get", "/reports") => Some(&[A, D, M]),
        ("post", "/night-before/{date}/send") => Some(&[A, D]),
        ("get", p) if p.starts_with("/meal-recipients") || p.starts_with("/meals/") => {
            Some(&[A, D, M])
        }
        (_, p) if p.starts_with("/meal-recipients") || p.starts_with("/meals/") => Some(&[A, D]),
        ("get", "/surplus/figures") => Some(&[A, D]),
        ("get", p) if p.starts_with("/donors") || p == "/surplus/settings" => Some(&[A, D, M]),
        (_, p) if p.starts_with("/donors") || p.starts_with("/surplus/") => Some(&[A, D]),
        ("get", "/closing-days" | "/closing-days/{date}") => Some(&[A, D, M]),
        (_, "/closing-days" | "/closing-days/{date}") => Some(&[A, D]),
        ("post", "/people/{id}/anonymise") => Some(&[A, D]),
        ("get", "/people/{id}/export") => Some(&[A, D, M]),
        _ => return None,
    };
    Some(rule)
}

struct Ids {
    organisation: i64,
    person: i64,
    place: i64,
    request: i64,
    vehicle: i64,
    volunteer: i64,
    /// The first driver's volunteer record: its calendar.
    own_volunteer: i64,
    shift: i64,
    user: i64,
    route: i64,
    stop: i64,
}

fn fill(path: &str, method: &str, date: &str, ids: &Ids) -> String {
    let p = path.trim_start_matches("/api/v1");
    // Deletes aim at records that do not exist, so the matrix leaves the data alone.
    // So does anonymising, which cannot be undone.
    let id = if method == "delete" || p.ends_with("/anonymise") {
        999_999
    } else if p.starts_with("/organisations") {
        ids.organisation
    } else if p.starts_with("/people") {
        ids.person
    } else if p.starts_with("/places") {
        ids.place
    } else if p.starts_with("/requests") {
        ids.request
    } else if p.starts_with("/vehicles") {
        ids.vehicle
    } else if p.ends_with("/calendar") {
        ids.own_volunteer
    } else if p.starts_with("/volunteers") {
        ids.volunteer
    } else if p.starts_with("/shifts") {
        ids.shift
    } else if p.starts_with("/users") {
        ids.user
    } else if p.starts_with("/plans") {
        ids.route
    } else if p.starts_with("/stops") {
        ids.stop
    } else {
        999_999
    };
    path.replace("{date}", date)
        .replace("{id}", &id.to_string())
}

/// Bodies that a permitted caller gets rejected as invalid (never applied),
/// so only authorisation decides between 403 and the rest.
fn body(method: &str, path: &str) -> Option<Value> {
    match method {
        "post" | "put" if path.ends_with("/solve") => Some(json!({"time_limit_s": -1})),
        "post" | "put" => Some(json!({})),
        _ => None,
    }
}

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(D).await;
    let plan = app.solve(&dispatcher, 1.0).await;
    let (s, _) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/publish", app.date),
            json!({"revision": 1, "version": plan["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let member_user = app
        .store
        .user_for_login(&app.email(M, 0))
        .await
        .unwrap()
        .unwrap()
        .0;
    let own = Scope::Organisation(member_user.organisation_id.unwrap());
    let ids = Ids {
        organisation: member_user.organisation_id.unwrap(),
        person: app.store.people(own).await.unwrap()[0].id,
        place: app.store.places(own).await.unwrap()[0].id,
        request: app.store.requests(own, Some(app.date)).await.unwrap()[0].id,
        vehicle: app.store.vehicles().await.unwrap()[0].id,
        volunteer: app.store.volunteers().await.unwrap()[0].id,
        own_volunteer: app
            .store
            .user_for_login(&app.email(R, 0))
            .await
            .unwrap()
            .unwrap()
            .0
            .volunteer_id
            .unwrap(),
        shift: app.store.shifts(Some(app.date)).await.unwrap()[0].id,
        user: member_user.id,
        route: plan["routes"][0]["id"].as_i64().unwrap(),
        stop: plan["routes"][0]["stops"][0]["id"].as_i64().unwrap(),
    };
    let date = app.date.to_string();

    let (_, doc) = app
        .call(None, Method::GET, "/api/v1/openapi.json", None)
        .await;
    let mut endpoints = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            endpoints.push((method.clone(), path.clone()));
        }
    }
    assert!(
        endpoints.len() >= 40,
        "only {} endpoints documented",
        endpoints.len()
    );

    let mut callers: Vec<(Option<Role>, Option<As>)> = vec![(None, None)];
    for role in Role::ALL {
        callers.push((Some(role), Some(app.login_as(role).await)));
    }
    let mut checked = 0;
    // Logging out ends the session: do it last.
    endpoints.sort_by_key(|(_, p)| p.ends_with("/logout"));
    for (method, path) in &endpoints {
        let rule = allowed(method, path)
            .unwrap_or_else(|| panic!("{method} {path} is missing from the matrix"));
        for (role, who) in &callers {
            let url = fill(path, method, &date, &ids);
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (status, answer) = app.call(who.as_ref(), m, &url, body(method, path)).await;
            let permitted = match (rule, role) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(roles), Some(r)) => roles.contains(r),
            };
            let what = format!("{method} {url} as {role:?}: {status} {answer}");
            if permitted {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "should be allowed: {what}"
                );
                assert!(status != StatusCode::INTERNAL_SERVER_ERROR, "{what}");
            } else if role.is_none() {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}");
                assert_eq!(answer["error"], "unauthenticated");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "should be denied: {what}");
                assert_eq!(answer["error"], "forbidden");
            }
            checked += 1;
        }
    }
    eprintln!(
        "authorisation matrix: {checked} calls over {} endpoints",
        endpoints.len()
    );
}

#[tokio::test]
async fn members_never_see_another_associations_people() {
    let app = TestApp::spawn().await;
    let member = app.login_as(M).await;
    let me = app
        .store
        .user_for_login(&app.email(M, 0))
        .await
        .unwrap()
        .unwrap()
        .0;
    let own = me.organisation_id.unwrap();
    let everyone = app.store.people(Scope::All).await.unwrap();
    let others: Vec<_> = everyone
        .iter()
        .filter(|p| p.organisation_id != own)
        .collect();
    assert!(!others.is_empty());

    for path in [
        "/api/v1/people",
        "/api/v1/requests",
        "/api/v1/places",
        "/api/v1/organisations",
        "/api/v1/me",
        "/api/v1/tokens",
    ] {
        let (s, body) = app.get(&member, path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        let text = body.to_string();
        for p in &others {
            assert!(!text.contains(&p.name), "{path} leaks {}", p.name);
            assert!(
                !text.contains(&format!("\"person_id\":{},", p.id)),
                "{path} leaks person {}",
                p.id
            );
        }
    }
    let (_, people) = app.get(&member, "/api/v1/people").await;
    assert!(people
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["organisation_id"] == own));
    let (_, requests) = app.get(&member, "/api/v1/requests").await;
    assert!(!requests.as_array().unwrap().is_empty());
    assert!(requests
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["organisation_id"] == own));

    // Another association's records are not found, whichever way they are asked for.
    let other = others[0];
    let other_request = app
        .store
        .requests(Scope::Organisation(other.organisation_id), None)
        .await
        .unwrap()[0]
        .id;
    for path in [
        format!("/api/v1/people/{}", other.id),
        format!("/api/v1/places/{}", other.home_place_id),
        format!("/api/v1/requests/{other_request}"),
    ] {
        let (s, body) = app.get(&member, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {body}");
        assert!(!body.to_string().contains(&other.name));
        let (s, _) = app.delete(&member, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "delete {path}");
    }
    let (s, _) = app
        .put(&member, &format!("/api/v1/people/{}", other.id), json!({"name": "x", "home_place_id": other.home_place_id, "mobility": "none", "assistance": "none"}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Writing for another association is refused, and nothing is written.
    let before = app.store.people(Scope::All).await.unwrap().len();
    let (s, body) = app
        .post(&member, "/api/v1/people", json!({"organisation_id": other.organisation_id, "name": "Intruder", "home_place_id": other.home_place_id, "mobility": "none", "assistance": "none"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(app.store.people(Scope::All).await.unwrap().len(), before);
}

#[tokio::test]
async fn a_driver_sees_only_his_or_her_stops_with_need_to_know_fields() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(D).await;
    let plan = app.solve(&dispatcher, 1.0).await;
    app.post(
        &dispatcher,
        &format!("/api/v1/plans/{}/publish", app.date),
        json!({"revision": 1, "version": plan["version"]}),
    )
    .await;
    let drivers: Vec<_> = app
        .demo
        .logins
        .iter()
        .filter(|l| l.role == R)
        .map(|l| l.email.clone())
        .collect();
    let mut seen_stops = std::collections::HashSet::new();
    for email in &drivers {
        let me = app.store.user_for_login(email).await.unwrap().unwrap().0;
        let driver = app.login(email).await;
        let (s, m) = app
            .get(&driver, &format!("/api/v1/manifest?date={}", app.date))
            .await;
        assert_eq!(s, StatusCode::OK);
        for r in m["routes"].as_array().unwrap() {
            let planned = plan["routes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == r["route_id"])
                .unwrap();
            assert_eq!(
                planned["volunteer_id"].as_i64(),
                me.volunteer_id,
                "{email} sees a route of someone else"
            );
            for stop in r["stops"].as_array().unwrap() {
                assert!(
                    seen_stops.insert(stop["stop_id"].as_i64().unwrap()),
                    "a stop on two manifests"
                );
            }
        }
        // Reporting on an own stop is kept and read back.
        if let Some(own) = m["routes"][0]["stops"][0]["stop_id"].as_i64() {
            let (s, e) = app
                .post(
                    &driver,
                    &format!("/api/v1/stops/{own}/events"),
                    json!({"kind": "arrived", "note": "gate closed, waited"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
            let (s, events) = app
                .get(&dispatcher, &format!("/api/v1/stops/{own}/events"))
                .await;
            assert_eq!(s, StatusCode::OK);
            assert_eq!(events[0]["kind"], "arrived");
            assert_eq!(events[0]["user_id"].as_i64(), Some(me.id));
        }
        // Someone else's stop: not found for this driver.
        let foreign = plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["volunteer_id"].as_i64() != me.volunteer_id)
            .unwrap();
        let stop = foreign["stops"][0]["id"].as_i64().unwrap();
        let (s, _) = app
            .post(
                &driver,
                &format!("/api/v1/stops/{stop}/events"),
                json!({"kind": "arrived"}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "{email} reported on a stop not his or hers"
        );
    }
    let all: usize = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["volunteer_id"].is_null())
        .map(|r| r["stops"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        seen_stops.len(),
        all,
        "every driven stop reaches exactly its driver"
    );
}

#[tokio::test]
async fn member_writes_stay_inside_the_association() {
    let app = TestApp::spawn().await;
    let member = app.login_as(M).await;
    let me = app
        .store
        .user_for_login(&app.email(M, 0))
        .await
        .unwrap()
        .unwrap()
        .0;
    let own = me.organisation_id.unwrap();
    let mine = app.store.people(Scope::Organisation(own)).await.unwrap();
    let theirs: Vec<_> = app
        .store
        .people(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.organisation_id != own)
        .collect();
    let (me_p, them) = (&mine[0], &theirs[0]);
    let their_request = app
        .store
        .requests(Scope::Organisation(them.organisation_id), None)
        .await
        .unwrap()[0]
        .id;
    let public = app
        .store
        .places(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.organisation_id.is_none())
        .unwrap();
    let wheel = json!({"seats": 0, "wheelchairs": 1});
    let ride = |person: i64, from: i64, to: i64| json!({"date": app.date.to_string(), "kind": "ride", "person_id": person, "from_place_id": from, "to_place_id": to, "window_at": "pickup", "window": {"start": "10:00", "end": "10:30"}, "load": wheel});
    let audit = app.store.audit_log(5000).await.unwrap().len();
    let cases: Vec<(Method, String, Value, StatusCode, &str)> = vec![
        (
            Method::POST,
            "/api/v1/requests".into(),
            ride(them.id, them.home_place_id, public.id),
            StatusCode::UNPROCESSABLE_ENTITY,
            "person_id",
        ),
        (
            Method::POST,
            "/api/v1/requests".into(),
            ride(me_p.id, me_p.home_place_id, them.home_place_id),
            StatusCode::UNPROCESSABLE_ENTITY,
            "to_place_id",
        ),
        (
            Method::POST,
            "/api/v1/requests".into(),
            {
                let mut r = ride(me_p.id, me_p.home_place_id, public.id);
                r["return_of"] = json!({"request_id": their_request, "after_minutes": 30});
                r
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "return_of.request_id",
        ),
        (
            Method::POST,
            "/api/v1/requests".into(),
            {
                let mut r = ride(me_p.id, me_p.home_place_id, public.id);
                r["organisation_id"] = json!(them.organisation_id);
                r
            },
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            Method::POST,
            "/api/v1/people".into(),
            json!({"name": "Nuova", "home_place_id": them.home_place_id, "mobility": "none", "assistance": "none"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "home_place_id",
        ),
        (
            Method::PUT,
            format!("/api/v1/people/{}", me_p.id),
            json!({"organisation_id": them.organisation_id, "name": me_p.name, "home_place_id": me_p.home_place_id, "mobility": "none", "assistance": "none"}),
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            Method::PUT,
            format!("/api/v1/places/{}", public.id),
            json!({"name": "Mine now", "address": public.address, "lat": public.lat, "lon": public.lon, "kind": public.kind}),
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            Method::POST,
            "/api/v1/places".into(),
            json!({"organisation_id": them.organisation_id, "name": "Casa", "address": "Via Roma 1", "lat": 44.27, "lon": 9.39, "kind": "home"}),
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            Method::DELETE,
            format!("/api/v1/places/{}", public.id),
            Value::Null,
            StatusCode::FORBIDDEN,
            "",
        ),
    ];
    for (method, path, body, status, field) in cases {
        let (got, answer) = app
            .call(
                Some(&member),
                method.clone(),
                &path,
                (!body.is_null()).then_some(body),
            )
            .await;
        assert_eq!(got, status, "{method} {path}: {answer}");
        if !field.is_empty() {
            assert_eq!(answer["field"], field, "{answer}");
        }
        assert!(!answer.to_string().contains(&them.name));
    }
    assert_eq!(
        app.store.audit_log(5000).await.unwrap().len(),
        audit,
        "nothing was written"
    );
}
