//! Bad input on every write endpoint: 400 or 422, a JSON error naming the
//! field, and nothing written (the audit log, which every write extends, stays put).

use giro::domain::Role;
use giro::store::Scope;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::support::TestApp;

/// Sets `path` (dotted) in a JSON object, or removes it when `value` is None.
fn with(mut base: Value, path: &str, value: Option<Value>) -> Value {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap();
    let mut cur = &mut base;
    for p in parts {
        cur = cur.get_mut(p).unwrap();
    }
    let obj = cur.as_object_mut().unwrap();
    match value {
        Some(v) => {
            obj.insert(last.to_string(), v);
        }
        None => {
            obj.remove(last);
        }
    }
    base
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let store = &app.store;
    let org = store.organisations(Scope::All).await.unwrap()[1].id;
    let person = store.people(Scope::Organisation(org)).await.unwrap()[0].clone();
    let public = store
        .places(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.organisation_id.is_none())
        .unwrap();
    let vehicle = store.vehicles().await.unwrap()[0].clone();
    let volunteer = store.volunteers().await.unwrap()[0].clone();
    let request = store
        .requests(Scope::Organisation(org), Some(app.date))
        .await
        .unwrap()[0]
        .clone();
    let date = app.date.to_string();
    let walker_or_wheel = store
        .people(Scope::Organisation(org))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.mobility == giro::domain::Mobility::Wheelchair)
        .expect("a wheelchair user in the association");
    let day = store
        .requests(Scope::Organisation(org), Some(app.date))
        .await
        .unwrap();
    let back = day
        .iter()
        .find(|r| r.return_of.is_some())
        .expect("a ride with its way back");
    let (outbound, way_back) = (back.return_of.unwrap().request_id, back.id);
    let rider = store
        .person(Scope::All, back.person_id.unwrap())
        .await
        .unwrap();
    let other_org = store
        .organisations(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.id != org && o.kind == giro::domain::OrgKind::Association)
        .unwrap()
        .id;
    let rider_home = store.place(Scope::All, rider.home_place_id).await.unwrap();
    let plan = app.solve(&admin, 0.5).await;
    let route = plan["routes"][0]["id"].as_i64().unwrap();
    let stop = plan["routes"][0]["stops"][0]["id"].as_i64().unwrap();
    let stop_request = plan["routes"][0]["stops"][0]["request_id"]
        .as_i64()
        .unwrap();
    // Two routes at overlapping times whose drivers could swap vehicles.
    let routes = plan["routes"].as_array().unwrap();
    let mut double_booking = None;
    for r1 in routes {
        for r2 in routes {
            let overlap = r1["start_min"].as_f64() < r2["end_min"].as_f64()
                && r2["start_min"].as_f64() < r1["end_min"].as_f64();
            if r1["id"] != r2["id"] && overlap {
                if let Some(v2) = r2["volunteer_id"].as_i64() {
                    if store
                        .volunteer(v2)
                        .await
                        .unwrap()
                        .vehicle_ids
                        .contains(&r1["vehicle_id"].as_i64().unwrap())
                    {
                        double_booking = Some((r1["id"].as_i64().unwrap(), v2));
                    }
                }
            }
        }
    }
    let (busy_route, busy_driver) =
        double_booking.expect("the demo has a driver who could take an overlapping route");

    let mut user_ids = Vec::new();
    for role in [Role::Driver, Role::Member] {
        let found = store.user_for_login(&app.email(role, 0)).await.unwrap();
        user_ids.push(found.unwrap().0.id);
    }
    let (driver_user, member_user) = (user_ids[0], user_ids[1]);
    let rides: Vec<i64> = store
        .requests(Scope::All, Some(app.date))
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.kind == giro::domain::RequestKind::Ride)
        .map(|r| r.id)
        .collect();
    let ride_key = routes
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .find(|s| rides.contains(&s["request_id"].as_i64().unwrap()))
        .expect("a routed ride")["key"]
        .clone();
    let event = json!({"id": "valid-event-01", "date": date, "stop": ride_key, "kind": "arrived", "at": format!("{date}T08:00:00Z")});
    let pin = format!("/api/v1/users/{driver_user}/pin");

    let place = json!({"name": "Bar Centrale", "address": "Via XXV Aprile 1", "lat": 44.27, "lon": 9.39, "kind": "donor"});
    let person_body = json!({"organisation_id": org, "name": "Anna Rossi", "home_place_id": person.home_place_id, "mobility": "walker", "assistance": "none"});
    let vehicle_body = json!({"name": "Auto 3", "depot_place_id": public.id, "skills": ["heated_boxes"], "layouts": [{"name": "boxes", "capacity": {"hot_boxes": 10}}], "available": {"start": "10:00", "end": "15:00"}});
    let volunteer_body = json!({"name": "Rita", "available": {"start": "08:00", "end": "12:00"}, "vehicle_ids": [vehicle.id]});
    let shift_body = json!({"date": "2026-12-01", "vehicle_id": vehicle.id, "volunteer_id": volunteer.vehicle_ids.contains(&vehicle.id).then_some(volunteer.id), "window": {"start": "08:00", "end": "12:00"}});
    let request_body = json!({"organisation_id": org, "date": date, "kind": "ride", "person_id": person.id, "from_place_id": person.home_place_id, "to_place_id": public.id, "window_at": "pickup", "window": {"start": "09:00", "end": "09:30"}, "load": {"seats": 1, "wheelchairs": 1}});
    let user_body = json!({"email": "new@giro.demo", "name": "New", "role": "dispatcher", "password": "long enough password"});
    let org_body = json!({"name": "Croce Verde", "kind": "association"});

    // Each base body is valid: the cases below break one thing each.
    type Case = (&'static str, String, Value, StatusCode, &'static str);
    let bad = StatusCode::BAD_REQUEST;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let p = "/api/v1/places".to_string();
    let pe = "/api/v1/people".to_string();
    let v = "/api/v1/vehicles".to_string();
    let vo = "/api/v1/volunteers".to_string();
    let s = "/api/v1/shifts".to_string();
    let r = "/api/v1/requests".to_string();
    let u = "/api/v1/users".to_string();
    let o = "/api/v1/organisations".to_string();
    let ev = "/api/v1/events".to_string();
    let cases: Vec<Case> = vec![
        (
            "post",
            ev.clone(),
            with(event.clone(), "id", Some(json!("short"))),
            invalid,
            "id",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "id", Some(json!("has spaces in it"))),
            invalid,
            "id",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "id", None),
            bad,
            "id",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "stop", Some(json!("42-lunch"))),
            bad,
            "stop",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "stop", Some(json!(42))),
            bad,
            "stop",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "kind", Some(json!("flew"))),
            bad,
            "kind",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "at", None),
            bad,
            "at",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "at", Some(json!("2020-01-01T10:00:00Z"))),
            invalid,
            "at",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "date", Some(json!("2026-02-30"))),
            bad,
            "date",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "kg", Some(json!(0))),
            invalid,
            "kg",
        ),
        (
            "post",
            ev.clone(),
            with(
                with(event.clone(), "kind", Some(json!("done"))),
                "kg",
                Some(json!(12.5)),
            ),
            invalid,
            "kg",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "note", Some(json!("x".repeat(1001)))),
            invalid,
            "note",
        ),
        (
            "post",
            ev.clone(),
            with(event.clone(), "colour", Some(json!("red"))),
            bad,
            "colour",
        ),
        ("put", pin.clone(), json!({"pin": "12"}), invalid, "pin"),
        ("put", pin.clone(), json!({"pin": 1234}), bad, "pin"),
        ("put", pin.clone(), json!({}), bad, "pin"),
        (
            "post",
            format!("/api/v1/users/{member_user}/link"),
            Value::Null,
            invalid,
            "role",
        ),
        (
            "post",
            p.clone(),
            with(place.clone(), "name", None),
            bad,
            "name",
        ),
        (
            "post",
            p.clone(),
            with(place.clone(), "lat", Some(json!("north"))),
            bad,
            "lat",
        ),
        (
            "post",
            p.clone(),
            with(place.clone(), "lat", Some(json!(91.0))),
            invalid,
            "lat",
        ),
        (
            "post",
            p.clone(),
            with(place.clone(), "lon", Some(json!(-180.5))),
            invalid,
            "lon",
        ),
        (
            "post",
            p.clone(),
            with(place.clone(), "organisation_id", Some(json!(999999))),
            invalid,
            "organisation_id",
        ),
        (
            "post",
            p.clone(),
            with(place.clone(), "colour", Some(json!("red"))),
            bad,
            "colour",
        ),
        (
            "put",
            format!("/api/v1/places/{}", public.id),
            with(place.clone(), "lat", Some(json!(-90.01))),
            invalid,
            "lat",
        ),
        (
            "post",
            pe.clone(),
            with(person_body.clone(), "home_place_id", Some(json!(999999))),
            invalid,
            "home_place_id",
        ),
        (
            "post",
            pe.clone(),
            with(person_body.clone(), "mobility", Some(json!("rocket"))),
            bad,
            "mobility",
        ),
        (
            "post",
            pe.clone(),
            with(person_body.clone(), "name", Some(json!(""))),
            invalid,
            "name",
        ),
        (
            "post",
            pe.clone(),
            with(person_body.clone(), "organisation_id", Some(json!(999999))),
            invalid,
            "organisation_id",
        ),
        (
            "put",
            format!("/api/v1/people/{}", person.id),
            with(person_body.clone(), "assistance", None),
            bad,
            "assistance",
        ),
        (
            "post",
            v.clone(),
            with(vehicle_body.clone(), "available.end", Some(json!("09:00"))),
            invalid,
            "available.end",
        ),
        (
            "post",
            v.clone(),
            with(
                vehicle_body.clone(),
                "available.start",
                Some(json!("25:00")),
            ),
            bad,
            "available.start",
        ),
        (
            "post",
            v.clone(),
            with(vehicle_body.clone(), "layouts", Some(json!([]))),
            invalid,
            "layouts",
        ),
        (
            "post",
            v.clone(),
            with(
                vehicle_body.clone(),
                "layouts",
                Some(json!([{"name": "x", "capacity": {"seats": -1}}])),
            ),
            bad,
            "layouts[0].capacity.seats",
        ),
        (
            "post",
            v.clone(),
            with(vehicle_body.clone(), "depot_place_id", Some(json!(999999))),
            invalid,
            "depot_place_id",
        ),
        (
            "put",
            format!("/api/v1/vehicles/{}", vehicle.id),
            with(vehicle_body.clone(), "name", Some(json!(12))),
            bad,
            "name",
        ),
        (
            "post",
            vo.clone(),
            with(volunteer_body.clone(), "vehicle_ids", Some(json!([999999]))),
            invalid,
            "vehicle_ids[0]",
        ),
        (
            "post",
            vo.clone(),
            with(
                volunteer_body.clone(),
                "available",
                Some(json!({"start": "12:00", "end": "08:00"})),
            ),
            invalid,
            "available.end",
        ),
        (
            "put",
            format!("/api/v1/volunteers/{}", volunteer.id),
            with(volunteer_body.clone(), "name", None),
            bad,
            "name",
        ),
        (
            "post",
            s.clone(),
            with(shift_body.clone(), "vehicle_id", Some(json!(999999))),
            invalid,
            "vehicle_id",
        ),
        (
            "post",
            s.clone(),
            with(shift_body.clone(), "date", Some(json!("2026-02-30"))),
            bad,
            "date",
        ),
        (
            "post",
            s.clone(),
            with(
                shift_body.clone(),
                "window",
                Some(json!({"start": "12:00", "end": "11:00"})),
            ),
            invalid,
            "window.end",
        ),
        (
            "post",
            r.clone(),
            with(
                request_body.clone(),
                "window",
                Some(json!({"start": "10:00", "end": "09:00"})),
            ),
            invalid,
            "window.end",
        ),
        (
            "post",
            r.clone(),
            with(request_body.clone(), "person_id", Some(json!(999999))),
            invalid,
            "person_id",
        ),
        (
            "post",
            r.clone(),
            with(request_body.clone(), "to_place_id", Some(json!(999999))),
            invalid,
            "to_place_id",
        ),
        (
            "post",
            r.clone(),
            with(request_body.clone(), "load", Some(json!({"seats": 0}))),
            invalid,
            "load",
        ),
        (
            "post",
            r.clone(),
            with(request_body.clone(), "load", Some(json!({"seats": "one"}))),
            bad,
            "load.seats",
        ),
        (
            "post",
            r.clone(),
            with(request_body.clone(), "kind", Some(json!("taxi"))),
            bad,
            "kind",
        ),
        (
            "post",
            r.clone(),
            with(request_body.clone(), "max_ride_minutes", Some(json!(0))),
            invalid,
            "max_ride_minutes",
        ),
        (
            "post",
            r.clone(),
            with(
                request_body.clone(),
                "return_of",
                Some(json!({"request_id": 999999, "after_minutes": 60})),
            ),
            invalid,
            "return_of.request_id",
        ),
        (
            "post",
            r.clone(),
            with(request_body.clone(), "date", None),
            bad,
            "date",
        ),
        (
            "put",
            format!("/api/v1/requests/{}", request.id),
            with(request_body.clone(), "window_at", Some(json!("noon"))),
            bad,
            "window_at",
        ),
        (
            "post",
            u.clone(),
            with(user_body.clone(), "password", Some(json!("short"))),
            invalid,
            "password",
        ),
        (
            "post",
            u.clone(),
            with(user_body.clone(), "email", Some(json!("not-an-email"))),
            invalid,
            "email",
        ),
        (
            "post",
            u.clone(),
            with(user_body.clone(), "role", Some(json!("member"))),
            invalid,
            "organisation_id",
        ),
        (
            "post",
            u.clone(),
            with(
                user_body.clone(),
                "email",
                Some(json!(app.email(Role::Dispatcher, 0))),
            ),
            invalid,
            "email",
        ),
        (
            "post",
            o.clone(),
            with(org_body.clone(), "kind", Some(json!("club"))),
            bad,
            "kind",
        ),
        (
            "post",
            o.clone(),
            with(org_body.clone(), "name", Some(json!("  "))),
            invalid,
            "name",
        ),
        (
            "post",
            "/api/v1/tokens".into(),
            json!({"name": ""}),
            invalid,
            "name",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/solve"),
            json!({"time_limit_s": 0}),
            invalid,
            "time_limit_s",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/solve"),
            json!({"time_limit_s": "long"}),
            bad,
            "time_limit_s",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/publish"),
            json!({"revision": 1}),
            bad,
            "version",
        ),
        (
            "post",
            "/api/v1/plans/2026-13-01/publish".into(),
            json!({"revision": 1, "version": 1}),
            bad,
            "date",
        ),
        (
            "put",
            "/api/v1/people/abc".into(),
            person_body.clone(),
            bad,
            "id",
        ),
        (
            "post",
            "/api/v1/login".into(),
            json!({"email": "a@b.c"}),
            bad,
            "password",
        ),
        (
            "put",
            format!("/api/v1/organisations/{org}"),
            with(org_body.clone(), "kind", Some(json!(1))),
            bad,
            "kind",
        ),
        (
            "put",
            format!("/api/v1/users/{}", store.users().await.unwrap()[1].id),
            with(user_body.clone(), "password", Some(json!("tiny"))),
            invalid,
            "password",
        ),
        (
            "put",
            format!(
                "/api/v1/shifts/{}",
                store.shifts(Some(app.date)).await.unwrap()[0].id
            ),
            with(
                shift_body.clone(),
                "window",
                Some(json!({"start": "12:00", "end": "12:00"})),
            ),
            invalid,
            "window.end",
        ),
        (
            "put",
            format!("/api/v1/plans/{date}/routes/{route}"),
            json!({"version": 1, "volunteer_id": "Giorgio"}),
            bad,
            "volunteer_id",
        ),
        (
            "put",
            format!("/api/v1/plans/{date}/routes/{route}"),
            json!({"version": 1, "volunteer_id": 999999}),
            invalid,
            "volunteer_id",
        ),
        (
            "post",
            format!("/api/v1/stops/{stop}/events"),
            json!({"kind": "flew"}),
            bad,
            "kind",
        ),
        (
            "post",
            format!("/api/v1/stops/{stop}/events"),
            json!({"kind": "arrived", "at": "yesterday"}),
            bad,
            "at",
        ),
        ("delete", "/api/v1/people/0".into(), Value::Null, bad, "id"),
        (
            "post",
            r.clone(),
            with(
                with(
                    request_body.clone(),
                    "person_id",
                    Some(json!(walker_or_wheel.id)),
                ),
                "load",
                Some(json!({"seats": 1})),
            ),
            invalid,
            "load.wheelchairs",
        ),
        (
            "post",
            r.clone(),
            with(
                request_body.clone(),
                "return_of",
                Some(json!({"request_id": outbound, "after_minutes": 60})),
            ),
            invalid,
            "return_of.request_id",
        ),
        (
            "post",
            r.clone(),
            with(
                request_body.clone(),
                "return_of",
                Some(json!({"request_id": way_back, "after_minutes": 60})),
            ),
            invalid,
            "return_of.request_id",
        ),
        (
            "put",
            format!("/api/v1/requests/{outbound}"),
            with(request_body.clone(), "date", Some(json!("2026-12-24"))),
            invalid,
            "date",
        ),
        (
            "post",
            format!("/api/v1/stops/{stop}/events"),
            json!({"kind": "done", "at": "2020-01-01T10:00:00Z"}),
            invalid,
            "at",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/solve"),
            json!({"seed": 18446744073709551615u64}),
            invalid,
            "seed",
        ),
        (
            "put",
            format!("/api/v1/places/{}", rider_home.id),
            json!({"organisation_id": other_org, "name": rider_home.name, "address": rider_home.address, "lat": rider_home.lat, "lon": rider_home.lon, "kind": "home"}),
            invalid,
            "organisation_id",
        ),
        (
            "put",
            format!("/api/v1/people/{}", rider.id),
            json!({"organisation_id": other_org, "name": rider.name, "home_place_id": rider.home_place_id, "mobility": "none", "assistance": "none"}),
            invalid,
            "home_place_id",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/edits"),
            json!({"version": plan["version"], "edit": {"op": "fly", "route_id": route}}),
            bad,
            "edit.op",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/edits"),
            json!({"version": plan["version"], "edit": {"op": "lock", "route_id": "first"}}),
            bad,
            "edit.route_id",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/edits"),
            json!({"version": plan["version"], "edit": {"op": "unassign", "request_id": 999999}}),
            invalid,
            "edit.request_id",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/edits"),
            json!({"version": plan["version"], "edit": {"op": "move", "request_id": stop_request,
                "route_id": 999999}}),
            invalid,
            "edit.route_id",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/edits"),
            json!({"version": plan["version"], "edit": {"op": "move", "request_id": stop_request,
                "route_id": route, "pickup": 0, "dropoff": 999}}),
            invalid,
            "edit.dropoff",
        ),
        (
            "post",
            format!("/api/v1/plans/{date}/edits"),
            json!({"version": plan["version"], "confirm": "yes", "edit": {"op": "lock", "route_id": route}}),
            bad,
            "confirm",
        ),
        (
            "put",
            format!("/api/v1/plans/{date}/routes/{busy_route}"),
            json!({"version": plan["version"], "volunteer_id": busy_driver}),
            invalid,
            "volunteer_id",
        ),
    ];

    // The valid bodies really are valid, so each case fails for its one change.
    for (path, body) in [
        (&p, &place),
        (&pe, &person_body),
        (&v, &vehicle_body),
        (&vo, &volunteer_body),
        (&s, &shift_body),
        (&r, &request_body),
        (&u, &user_body),
        (&o, &org_body),
    ] {
        let audit_before = store.audit_log(5000).await.unwrap().len();
        let (st, b) = app.post(&admin, path, body.clone()).await;
        assert_eq!(st, StatusCode::CREATED, "{path}: {b}");
        assert_eq!(store.audit_log(5000).await.unwrap().len(), audit_before + 1);
    }

    let audit_before = store.audit_log(5000).await.unwrap().len();
    for (method, path, body, status, field) in cases {
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (got, answer) = app
            .call(
                Some(&admin),
                m,
                &path,
                (!body.is_null()).then(|| body.clone()),
            )
            .await;
        assert_eq!(got, status, "{method} {path} {body}: {answer}");
        assert_eq!(answer["field"], field, "{method} {path}: {answer}");
        assert!(
            answer["message"]
                .as_str()
                .is_some_and(|m| m.contains(field)),
            "{answer}"
        );
    }
    assert_eq!(
        store.audit_log(5000).await.unwrap().len(),
        audit_before,
        "a rejected write left a trace"
    );

    // Not JSON at all, JSON with trailing bytes, and JSON sent as text.
    let res = app
        .http
        .post(app.url("/api/v1/places"))
        .header(admin.header.0, &admin.header.1)
        .header("content-type", "text/plain")
        .body(place.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let res = app
        .http
        .post(app.url("/api/v1/places"))
        .header(admin.header.0, &admin.header.1)
        .header("content-type", "application/json")
        .body(format!("{place} {{}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        store.audit_log(5000).await.unwrap().len(),
        audit_before,
        "a rejected write left a trace"
    );
    let res = app
        .http
        .post(app.url("/api/v1/places"))
        .header(admin.header.0, &admin.header.1)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["error"], "bad_request");
}
