//! Vehicle sharing asserted on the solved plan: a block of the van's
//! calendar reserved for one association, an association's vehicle in the
//! pool and out of it, and blocks written only by planners, read by members
//! as far as they concern them, refused with the field named when wrong.

use chrono::{Days, NaiveDate};
use giro::domain::Role;
use giro::store::Scope;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::checked::check_plan_on;
use super::rides::{ahead, solve_date};
use super::support::{As, TestApp};

fn minutes(hm: &str) -> f64 {
    let (h, m) = hm.split_once(':').unwrap();
    f64::from(h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap())
}

async fn find(app: &TestApp, who: &As, path: &str, key: &str, starts: &str) -> Value {
    let (_, all) = app.get(who, path).await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("{starts} in {path}"))
        .clone()
}

async fn org(app: &TestApp, who: &As, starts: &str) -> i64 {
    find(app, who, "/api/v1/organisations", "name", starts).await["id"]
        .as_i64()
        .unwrap()
}

async fn the_van(app: &TestApp, who: &As) -> Value {
    find(app, who, "/api/v1/vehicles", "name", "Pulmino").await
}

/// A ride booked by the dispatcher for `person` from home, picked up at `at`.
async fn book(
    app: &TestApp,
    who: &As,
    date: NaiveDate,
    person: &str,
    at: &str,
    extra: Value,
) -> i64 {
    let p = find(app, who, "/api/v1/people", "name", person).await;
    let to = find(app, who, "/api/v1/places", "name", "Spazio incontro Riva").await;
    let mut body = json!({
        "organisation_id": p["organisation_id"],
        "date": date.to_string(),
        "kind": "ride",
        "person_id": p["id"],
        "from_place_id": p["home_place_id"],
        "to_place_id": to["id"],
        "pickup_at": at,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (s, out) = app.post(who, "/api/v1/requests", body).await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    out["id"].as_i64().unwrap()
}

async fn shift(app: &TestApp, who: &As, date: NaiveDate, vehicle: &Value, from: &str, to: &str) {
    let (s, out) = app
        .post(
            who,
            "/api/v1/shifts",
            json!({"date": date.to_string(), "vehicle_id": vehicle["id"], "window": {"start": from, "end": to}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
}

/// The route and the pickup stop of `request`, if it is planned.
fn pickup(plan: &Value, request: i64) -> Option<(Value, Value)> {
    plan["routes"].as_array().unwrap().iter().find_map(|r| {
        r["stops"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["request_id"] == request && s["role"] == "pickup")
            .map(|s| (r.clone(), s.clone()))
    })
}

fn reason(plan: &Value, request: i64) -> Option<String> {
    plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["request_id"] == request)
        .map(|u| u["reason"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_block_reserved_for_one_association_keeps_the_others_off_the_van() {
    let app = TestApp::spawn_on(ahead(60)).await;
    let date = app.date + Days::new(1);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let anziani = org(&app, &dispatcher, "Associazione Anziani").await;
    let van = the_van(&app, &dispatcher).await;
    shift(&app, &dispatcher, date, &van, "08:00", "12:00").await;
    let (s, block) = app
        .post(
            &dispatcher,
            "/api/v1/vehicle-blocks",
            json!({"vehicle_id": van["id"], "date": date.to_string(),
                   "window": {"start": "08:00", "end": "10:00"},
                   "organisation_id": anziani, "note": "gita al centro diurno"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{block}");
    assert_eq!(block["organisation_id"], anziani);

    // Anziani Insieme's rider in its block; two of Mani Amiche's, one in the
    // block and one after it.
    let own = book(&app, &dispatcher, date, "Luigi Canepa", "08:30", json!({})).await;
    let kept_out = book(
        &app,
        &dispatcher,
        date,
        "Maria Teresa Bottaro",
        "08:45",
        json!({}),
    )
    .await;
    let later = book(
        &app,
        &dispatcher,
        date,
        "Renato Pastorino",
        "10:45",
        json!({}),
    )
    .await;

    let plan = solve_date(&app, &dispatcher, date).await;
    check_plan_on(&app, date, &plan).await;

    let (route, stop) = pickup(&plan, own).expect("the association's own ride is planned");
    assert_eq!(route["vehicle_id"], van["id"]);
    assert!(
        stop["start_min"].as_f64().unwrap() < minutes("10:00"),
        "{stop}"
    );
    assert!(
        route["end_min"].as_f64().unwrap() <= minutes("10:00") + 1e-6,
        "the piece in the block ends with it: {route}"
    );

    assert!(pickup(&plan, kept_out).is_none(), "{plan}");
    assert_eq!(
        reason(&plan, kept_out).as_deref(),
        Some("reserved"),
        "left out because of the block, and said so: {plan}"
    );

    let (route, stop) = pickup(&plan, later).expect("after the block the van is everyone's");
    assert_eq!(route["vehicle_id"], van["id"]);
    assert!(
        stop["start_min"].as_f64().unwrap() >= minutes("10:00"),
        "{stop}"
    );

    // One shift, one driver: its pieces never overlap in time.
    let mut spans: Vec<(f64, f64)> = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["vehicle_id"] == van["id"] && !r["stops"].as_array().unwrap().is_empty())
        .map(|r| {
            (
                r["start_min"].as_f64().unwrap(),
                r["end_min"].as_f64().unwrap(),
            )
        })
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(spans.len(), 2, "{plan}");
    assert!(spans[0].1 <= spans[1].0 + 1e-6, "{spans:?}");

    // Without the block, the same ride fits the van.
    let (s, _) = app
        .delete(
            &dispatcher,
            &format!("/api/v1/vehicle-blocks/{}", block["id"]),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let plan = solve_date(&app, &dispatcher, date).await;
    check_plan_on(&app, date, &plan).await;
    assert!(pickup(&plan, kept_out).is_some(), "{plan}");
}

#[tokio::test]
async fn an_associations_vehicle_serves_everyone_in_the_pool_and_its_own_out_of_it() {
    let app = TestApp::spawn_on(ahead(61)).await;
    let date = app.date + Days::new(1);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let anziani = org(&app, &dispatcher, "Associazione Anziani").await;
    let van = the_van(&app, &dispatcher).await;
    // The association's car: a stair climber the van lacks, three seats.
    let car_body = json!({
        "name": "Auto Anziani Insieme",
        "depot_place_id": van["depot_place_id"],
        "skills": ["stair_climber"],
        "layouts": [{"name": "3 seats", "capacity": {"seats": 3}}],
        "available": {"start": "08:00", "end": "12:00"},
        "owner_organisation_id": anziani,
        "pooled": true,
    });
    let (s, car) = app
        .post(&dispatcher, "/api/v1/vehicles", car_body.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{car}");
    assert_eq!(car["owner_organisation_id"], anziani);
    assert_eq!(car["pooled"], true);
    shift(&app, &dispatcher, date, &van, "08:00", "12:00").await;
    shift(&app, &dispatcher, date, &car, "08:00", "12:00").await;

    let climber = json!({"skills": ["stair_climber"]});
    // Mani Amiche's rider needs the stair climber: only the car has it.
    let other = book(
        &app,
        &dispatcher,
        date,
        "Maria Teresa Bottaro",
        "09:00",
        climber.clone(),
    )
    .await;
    let own = book(
        &app,
        &dispatcher,
        date,
        "Bruno Dellepiane",
        "09:30",
        climber,
    )
    .await;

    let plan = solve_date(&app, &dispatcher, date).await;
    check_plan_on(&app, date, &plan).await;
    let (route, _) =
        pickup(&plan, other).expect("the pooled car carries another association's rider");
    assert_eq!(route["vehicle_id"], car["id"]);
    assert_eq!(route["layout"], "3 seats");
    let (route, _) = pickup(&plan, own).unwrap();
    assert_eq!(route["vehicle_id"], car["id"]);

    // Out of the pool, the car carries only its association's members.
    let mut out_of_pool = car_body;
    out_of_pool["pooled"] = json!(false);
    let (s, car) = app
        .put(
            &dispatcher,
            &format!("/api/v1/vehicles/{}", car["id"]),
            out_of_pool,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{car}");
    assert_eq!(car["pooled"], false);
    let plan = solve_date(&app, &dispatcher, date).await;
    check_plan_on(&app, date, &plan).await;
    assert!(pickup(&plan, other).is_none(), "{plan}");
    assert_eq!(reason(&plan, other).as_deref(), Some("reserved"), "{plan}");
    let (route, _) = pickup(&plan, own).expect("the owner's member still rides it");
    assert_eq!(route["vehicle_id"], car["id"]);
    // Everyone else still rides the van.
    for r in plan["routes"].as_array().unwrap() {
        if r["vehicle_id"] == car["id"] {
            for s in r["stops"].as_array().unwrap() {
                let req = app
                    .store
                    .request(Scope::All, s["request_id"].as_i64().unwrap())
                    .await
                    .unwrap();
                assert_eq!(req.organisation_id, anziani, "{r}");
            }
        }
    }

    // With the van out of service, only the car could carry anyone: a
    // booking for another association's member is refused, naming the
    // rider and why, and nothing is written; the owner's member is booked.
    let van_off = json!({
        "name": van["name"], "depot_place_id": van["depot_place_id"], "skills": van["skills"],
        "layouts": van["layouts"], "available": van["available"], "active": false,
    });
    let (s, off) = app
        .put(
            &dispatcher,
            &format!("/api/v1/vehicles/{}", van["id"]),
            van_off,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{off}");
    let before = app.store.requests(Scope::All, None).await.unwrap().len();
    let maria = find(
        &app,
        &dispatcher,
        "/api/v1/people",
        "name",
        "Maria Teresa Bottaro",
    )
    .await;
    let body = json!({
        "organisation_id": maria["organisation_id"], "date": date.to_string(), "kind": "ride",
        "person_id": maria["id"], "from_place_id": maria["home_place_id"],
        "to_place_id": van["depot_place_id"], "pickup_at": "10:30",
    });
    let (s, refused) = app.post(&dispatcher, "/api/v1/requests", body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let said = refused.to_string();
    assert!(
        said.contains("person_id") && said.contains("another association's own vehicle"),
        "{said}"
    );
    assert_eq!(
        app.store.requests(Scope::All, None).await.unwrap().len(),
        before
    );
    book(
        &app,
        &dispatcher,
        date,
        "Bruno Dellepiane",
        "10:30",
        json!({}),
    )
    .await;
}

#[tokio::test]
async fn blocks_are_written_by_planners_checked_and_read_by_members_as_far_as_they_concern_them() {
    let app = TestApp::spawn_on(ahead(62)).await;
    let date = app.date + Days::new(1);
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let anziani = org(&app, &dispatcher, "Associazione Anziani").await;
    let mani = org(&app, &dispatcher, "Cooperativa Mani").await;
    let comune = org(&app, &dispatcher, "Comune").await;
    let van = the_van(&app, &dispatcher).await;
    let block = |vehicle: &Value, from: &str, to: &str, org: Value| {
        json!({"vehicle_id": vehicle["id"], "date": date.to_string(),
               "window": {"start": from, "end": to}, "organisation_id": org})
    };
    let count = async || {
        app.store
            .vehicle_blocks(Scope::All, None)
            .await
            .unwrap()
            .len()
    };

    let path = "/api/v1/vehicle-blocks";
    let (s, first) = app
        .post(
            &dispatcher,
            path,
            block(&van, "09:00", "11:00", json!(anziani)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let before = count().await;
    let unknown = json!({"id": 999_999});
    let cases = [
        (block(&van, "11:00", "10:00", json!(anziani)), "window.end"),
        (block(&van, "10:00", "10:00", json!(anziani)), "window.end"),
        (
            block(&unknown, "12:00", "13:00", json!(anziani)),
            "vehicle_id",
        ),
        (
            block(&van, "12:00", "13:00", json!(999_999)),
            "organisation_id",
        ),
        (
            block(&van, "12:00", "13:00", json!(comune)),
            "organisation_id",
        ),
        (block(&van, "10:30", "12:00", json!(mani)), "window"),
    ];
    for (body, field) in cases {
        let (s, out) = app.post(&dispatcher, path, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {out}");
        assert_eq!(out["field"], field, "{body}: {out}");
    }
    // A vehicle's owner must be an association that exists.
    let (s, out) = app
        .put(
            &dispatcher,
            &format!("/api/v1/vehicles/{}", van["id"]),
            json!({"name": van["name"], "depot_place_id": van["depot_place_id"],
                   "layouts": van["layouts"], "available": van["available"],
                   "owner_organisation_id": 999_999}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{out}");
    assert_eq!(out["field"], "owner_organisation_id");
    assert_eq!(the_van(&app, &dispatcher).await, van, "nothing written");

    // Members do not write blocks.
    let member_a = app.login(&app.email(Role::Member, 0)).await;
    let member_b = app.login(&app.email(Role::Member, 1)).await;
    let (s, _) = app
        .post(
            &member_a,
            path,
            block(&van, "12:00", "13:00", json!(anziani)),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let one = format!("{path}/{}", first["id"]);
    let (s, _) = app
        .put(
            &member_a,
            &one,
            block(&van, "09:00", "12:00", json!(anziani)),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.delete(&member_a, &one).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(count().await, before, "nothing written");

    // Mani Amiche's own car, out of the pool, kept for it in the afternoon.
    let (s, car) = app
        .post(
            &dispatcher,
            "/api/v1/vehicles",
            json!({"name": "Auto Mani Amiche", "depot_place_id": van["depot_place_id"],
                   "layouts": [{"name": "4 seats", "capacity": {"seats": 4}}],
                   "available": {"start": "08:00", "end": "18:00"},
                   "owner_organisation_id": mani, "pooled": false}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{car}");
    let (s, theirs) = app
        .post(
            &dispatcher,
            path,
            block(&car, "14:00", "16:00", json!(mani)),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{theirs}");
    let (s, kept) = app
        .post(
            &dispatcher,
            path,
            block(&van, "12:00", "14:00", Value::Null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{kept}");
    assert_eq!(kept["organisation_id"], Value::Null);

    // Anziani Insieme sees the pooled van's calendar, not Mani Amiche's car.
    let ids = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|b| b["id"].as_i64().unwrap())
            .collect()
    };
    let (s, seen) = app.get(&member_a, &format!("{path}?date={date}")).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    let mut want = vec![first["id"].as_i64().unwrap(), kept["id"].as_i64().unwrap()];
    want.sort_unstable();
    let mut got = ids(&seen);
    got.sort_unstable();
    assert_eq!(got, want);
    let (s, _) = app
        .get(&member_a, &format!("{path}/{}", theirs["id"]))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Mani Amiche sees the van's and its own car's.
    let (_, seen) = app.get(&member_b, path).await;
    assert_eq!(ids(&seen).len(), 3, "{seen}");
    let (s, got) = app
        .get(&member_b, &format!("{path}/{}", theirs["id"]))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got, theirs);
}
