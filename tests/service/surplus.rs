//! Food surplus through the API: donors turned into each giving day's
//! pickup, once; the cold chain on every pickup of chilled, frozen or cooked
//! food (a refrigerated vehicle, unloaded within the limit); cooked food only
//! from a donor that can blast-chill it; the kilograms the driver enters on
//! the driver page in the yearly figures; bad input named with nothing
//! written.

use chrono::Datelike;
use giro::domain::{RequestKind, RequestStatus, Role};
use giro::store::{Actor, Scope};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{f, As, TestApp};

/// The demo's places with nothing booked on the test date and two vans of
/// our own on duty: a plain one parked at the donor's door and a
/// refrigerated one at the far end of town.
pub(super) struct Town {
    pub(super) planner: As,
    /// A public distribution centre, made for the test.
    pub(super) centre: i64,
    /// The demo's donor places, the first one where the plain van waits.
    pub(super) donor_places: Vec<i64>,
    pub(super) fridge: i64,
    pub(super) plain: i64,
    /// The volunteer who drives the refrigerated van (a driver login).
    pub(super) driver: i64,
}

fn distance(a: &giro::domain::Place, b: &giro::domain::Place) -> f64 {
    (a.lat - b.lat).powi(2) + (a.lon - b.lon).powi(2)
}

pub(super) async fn town(app: &TestApp) -> Town {
    app.quiet().await;
    app.without_generators().await;
    for s in app.store.shifts(Some(app.date)).await.unwrap() {
        app.store.delete_shift(Actor(None), s.id).await.unwrap();
    }
    let admin = app.login_as(Role::Admin).await;
    let places = app.store.places(Scope::All).await.unwrap();
    let donors: Vec<&giro::domain::Place> = places.iter().filter(|p| p.kind == "donor").collect();
    assert!(donors.len() >= 2, "the demo has donor places");
    let door = donors[0];
    let far = places
        .iter()
        .filter(|p| p.organisation_id.is_none())
        .max_by(|a, b| distance(a, door).total_cmp(&distance(b, door)))
        .unwrap();
    let (s, centre) = app
        .post(
            &admin,
            "/api/v1/places",
            json!({"name": "Emporio solidale", "address": "Via Nazionale 1, Sestri Levante",
                   "lat": 44.2705, "lon": 9.3985, "kind": "distribution_centre"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{centre}");
    let van = |name: &str, depot: i64, skills: Value| {
        json!({"name": name, "depot_place_id": depot, "skills": skills,
               "layouts": [{"name": "200 kg", "capacity": {"kg": 200}}],
               "available": {"start": "08:00", "end": "16:00"}})
    };
    let (s, fridge) = app
        .post(
            &admin,
            "/api/v1/vehicles",
            van("Furgone frigo", far.id, json!(["refrigerated"])),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{fridge}");
    let (s, plain) = app
        .post(
            &admin,
            "/api/v1/vehicles",
            van("Furgone", door.id, json!([])),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{plain}");
    let mut driver = None;
    for l in app.demo.logins.iter().filter(|l| l.role == Role::Driver) {
        let (user, _) = app.store.user_for_login(&l.email).await.unwrap().unwrap();
        driver = driver.or(user.volunteer_id);
    }
    let driver = driver.expect("the demo has a driver with a login");
    // The driver may drive the new refrigerated van too.
    let (_, mut vol) = app
        .get(&admin, &format!("/api/v1/volunteers/{driver}"))
        .await;
    vol["vehicle_ids"]
        .as_array_mut()
        .unwrap()
        .push(fridge["id"].clone());
    let body = json!({"name": vol["name"], "phone": vol["phone"],
                      "available": vol["available"], "vehicle_ids": vol["vehicle_ids"]});
    let (s, vol) = app
        .put(&admin, &format!("/api/v1/volunteers/{driver}"), body)
        .await;
    assert_eq!(s, StatusCode::OK, "{vol}");
    for (v, who) in [(&fridge, Some(driver)), (&plain, None)] {
        let (s, shift) = app
            .post(
                &admin,
                "/api/v1/shifts",
                json!({"date": app.date, "vehicle_id": v["id"], "volunteer_id": who,
                       "window": {"start": "08:00", "end": "16:00"}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{shift}");
    }
    Town {
        planner: app.login_as(Role::Dispatcher).await,
        centre: centre["id"].as_i64().unwrap(),
        donor_places: donors.iter().map(|p| p.id).collect(),
        fridge: fridge["id"].as_i64().unwrap(),
        plain: plain["id"].as_i64().unwrap(),
        driver,
    }
}

/// A donor at the `nth` donor place giving `food` on Mondays and Thursdays.
pub(super) fn donor(t: &Town, nth: usize, food: &str) -> Value {
    json!({
        "place_id": t.donor_places[nth], "name": format!("Donatore {nth}"),
        "window": {"start": "10:30", "end": "11:30"}, "weekdays": ["mon", "thu"],
        "gives": "latticini e gastronomia", "food": food, "expected_kg": 40,
        "receiving_place_id": t.centre
    })
}

pub(super) async fn create(app: &TestApp, t: &Town, body: Value) -> i64 {
    let (s, r) = app.post(&t.planner, "/api/v1/donors", body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    r["id"].as_i64().unwrap()
}

/// Generates `date`'s pickups; donor → request booked.
pub(super) async fn generate(app: &TestApp, t: &Town, date: &str) -> Vec<(i64, i64)> {
    let (s, done) = app
        .post(
            &t.planner,
            &format!("/api/v1/surplus/{date}/generate"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["failed"], json!([]), "{done}");
    done["booked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["donor_id"].as_i64().unwrap(),
                b["request_id"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The active collection from `place` on the test date.
async fn pickup_from(app: &TestApp, place: i64) -> i64 {
    let found: Vec<i64> = app
        .store
        .requests(Scope::All, Some(app.date))
        .await
        .unwrap()
        .into_iter()
        .filter(|r| {
            r.kind == RequestKind::Collection
                && r.from_place_id == place
                && r.status == RequestStatus::Active
        })
        .map(|r| r.id)
        .collect();
    assert_eq!(found.len(), 1, "one pickup from place {place}");
    found[0]
}

/// The pickup and drop-off stops of `request` in the plan, with its route.
fn stops(plan: &Value, request: i64) -> Option<(&Value, &Value, &Value)> {
    for route in plan["routes"].as_array().unwrap() {
        let of = |role: &str| {
            route["stops"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["request_id"] == request && s["role"] == role)
        };
        if let (Some(p), Some(d)) = (of("pickup"), of("dropoff")) {
            return Some((route, p, d));
        }
    }
    None
}

#[tokio::test]
async fn a_cold_chain_pickup_rides_only_refrigerated_and_reaches_the_centre_within_its_limit() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    // A tighter limit than the default, so the rule is the settings'.
    let (s, settings) = app.get(&t.planner, "/api/v1/surplus/settings").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(settings["chilled_max_minutes"], 60, "the default");
    let (s, settings) = app
        .put(
            &t.planner,
            "/api/v1/surplus/settings",
            json!({"chilled_max_minutes": 25, "frozen_max_minutes": 60, "cooked_max_minutes": 60}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{settings}");
    let limit = 25.0;
    create(&app, &t, donor(&t, 0, "chilled")).await;
    create(&app, &t, donor(&t, 1, "ambient")).await;

    // The solve generates the day's pickups first.
    let plan = app.solve(&t.planner, 2.0).await;
    let chilled = pickup_from(&app, t.donor_places[0]).await;
    let ambient = pickup_from(&app, t.donor_places[1]).await;
    assert_eq!(plan["figures"]["feasible"], true, "{}", plan["figures"]);
    assert_eq!(plan["figures"]["violations"], json!([]));
    let (built, _) = super::checked::check_plan(&app, &plan).await;

    let (route, pickup, drop) = stops(&plan, chilled)
        .unwrap_or_else(|| panic!("the chilled pickup is planned: {}", plan["unassigned"]));
    assert_eq!(
        route["vehicle_id"], t.fridge,
        "chilled food rides refrigerated, though the plain van waits at the door"
    );
    assert_eq!(pickup["place_id"], t.donor_places[0]);
    assert_eq!(drop["place_id"], t.centre);
    let travel = f(&drop["start_min"]) - f(&pickup["departure_min"]);
    assert!(
        travel <= limit + 1e-6,
        "{travel} min from the donor to the centre"
    );
    // The rule is in the problem the checker judged.
    let job = |request: i64| {
        let i = built
            .jobs
            .iter()
            .position(|j| j.request_id == request)
            .unwrap();
        &built.problem.jobs[i]
    };
    assert!(job(chilled).skills.iter().any(|s| s == "refrigerated"));
    assert_eq!(job(chilled).max_ride.unwrap().minutes, Some(limit));
    assert!(job(ambient).skills.is_empty());
    assert_eq!(job(ambient).max_ride, None);
    let (amb_route, _, _) = stops(&plan, ambient).expect("the ambient pickup is planned");
    assert!([t.fridge, t.plain].contains(&amb_route["vehicle_id"].as_i64().unwrap()));

    // A collection booked by hand from the same donor is under the same rule.
    let org = plan_org(&app).await;
    let (s, by_hand) = app
        .post(
            &t.planner,
            "/api/v1/requests",
            json!({"organisation_id": org, "date": app.date, "kind": "collection",
                   "from_place_id": t.donor_places[0], "to_place_id": t.centre,
                   "window_at": "pickup", "window": {"start": "13:00", "end": "13:30"},
                   "load": {"kg": 10}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{by_hand}");
    let plan = app.solve(&t.planner, 2.0).await;
    super::checked::check_plan(&app, &plan).await;
    let (route, pickup, drop) = stops(&plan, by_hand["id"].as_i64().unwrap()).expect("planned");
    assert_eq!(route["vehicle_id"], t.fridge);
    assert!(f(&drop["start_min"]) - f(&pickup["departure_min"]) <= limit + 1e-6);
}

/// The municipality, which books the pickups.
async fn plan_org(app: &TestApp) -> i64 {
    app.store
        .organisations(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.kind == giro::domain::OrgKind::Municipality)
        .unwrap()
        .id
}

#[tokio::test]
async fn cooked_food_only_from_a_donor_that_can_blast_chill_it() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    let (s, e) = app
        .post(&t.planner, "/api/v1/donors", donor(&t, 0, "cooked"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["field"], "blast_chiller", "{e}");
    let (_, all) = app.get(&t.planner, "/api/v1/donors").await;
    assert_eq!(all, json!([]), "nothing written");
    let mut chilled = donor(&t, 0, "cooked");
    chilled["blast_chiller"] = json!(true);
    let id = create(&app, &t, chilled).await;
    // Nor may an edit drop the blast chiller while the food is cooked.
    let (s, e) = app
        .put(
            &t.planner,
            &format!("/api/v1/donors/{id}"),
            donor(&t, 0, "cooked"),
        )
        .await;
    assert!(s.is_client_error(), "{s} {e}");
    assert_eq!(e["field"], "blast_chiller");
    let (_, now) = app.get(&t.planner, &format!("/api/v1/donors/{id}")).await;
    assert_eq!(now["blast_chiller"], true);
    // The canteen's pickup rides refrigerated, like chilled food.
    let booked = generate(&app, &t, &app.date.to_string()).await;
    assert_eq!(booked.len(), 1);
    let plan = app.solve(&t.planner, 2.0).await;
    super::checked::check_plan(&app, &plan).await;
    let (route, _, _) = stops(&plan, booked[0].1).expect("planned");
    assert_eq!(route["vehicle_id"], t.fridge);
}

#[tokio::test]
async fn the_kg_entered_on_the_driver_page_reach_the_yearly_figures() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    let id = create(&app, &t, donor(&t, 0, "chilled")).await;
    let other = create(&app, &t, donor(&t, 1, "ambient")).await;
    let booked = generate(&app, &t, &app.date.to_string()).await;
    let request = booked.iter().find(|b| b.0 == id).unwrap().1;
    app.solve(&t.planner, 2.0).await;
    app.publish_newest(&t.planner).await;

    // The driver of the refrigerated van gets the kg field on the pickup ...
    let (_, driver) = app.driver_of(t.driver).await;
    let key = format!("{request}-pickup");
    let (s, _, body) =
        super::driver_page::page(&app, Some(&driver), &format!("/driver?date={}", app.date)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains(&format!("data-testid=\"kg-{key}\"")),
        "the pickup asks for the kg"
    );
    assert!(body.contains(&format!("data-testid=\"status-done-{key}\"")));
    // ... and the page sends what was entered with "done", as its script does.
    let (s, ev) = app
        .post(
            &driver,
            "/api/v1/events",
            json!({"id": "phone-kg-0001", "date": app.date, "stop": key, "kind": "done",
                   "at": format!("{}T10:41:00.000Z", app.date), "kg": 37.5}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");

    let (s, fig) = app
        .get(&t.planner, "/api/v1/surplus/figures?year=2026")
        .await;
    assert_eq!(s, StatusCode::OK, "{fig}");
    assert_eq!(fig["year"], 2026);
    let mine = fig["donors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["donor_id"] == id)
        .expect("the donor's line");
    assert_eq!(
        (mine["pickups"].clone(), mine["kg"].clone()),
        (json!(1), json!(37.5))
    );
    assert_eq!(
        mine["months"][10],
        json!({"month": 11, "pickups": 1, "kg": 37.5})
    );
    assert_eq!(mine["months"][9]["pickups"], 0);
    let theirs = fig["donors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["donor_id"] == other)
        .expect("every donor listed");
    assert_eq!(
        (theirs["pickups"].clone(), theirs["kg"].clone()),
        (json!(0), json!(0.0))
    );
    assert_eq!(
        (fig["pickups"].clone(), fig["kg"].clone()),
        (json!(1), json!(37.5))
    );
    // Another year has none of it.
    let (_, before) = app
        .get(&t.planner, "/api/v1/surplus/figures?year=2025")
        .await;
    assert_eq!(before["kg"], json!(0.0));

    let (s, ct, csv) = app
        .get_text(
            &t.planner,
            "/api/v1/surplus/figures?year=2026&format=csv",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(
        csv.starts_with("year,donor_id,donor,food,month,pickups,kg\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("2026,{id},Donatore 0,chilled,11,1,37.5\r\n")),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("2026,{id},Donatore 0,chilled,year,1,37.5\r\n")),
        "{csv}"
    );
    let (_, _, csv) = app
        .get_text(
            &t.planner,
            "/api/v1/surplus/figures?year=2026",
            Some("text/csv"),
        )
        .await;
    assert!(csv.contains(",year,1,37.5\r\n"), "{csv}");
    // A bad year is named.
    let (s, e) = app
        .get(&t.planner, "/api/v1/surplus/figures?year=1999")
        .await;
    assert!(s.is_client_error(), "{s} {e}");
    assert_eq!(e["field"], "year");
}

#[tokio::test]
async fn bad_donors_get_a_4xx_naming_the_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    let id = create(&app, &t, donor(&t, 0, "ambient")).await;
    // Each bad body would otherwise be a good donor at the second place.
    let good = donor(&t, 1, "ambient");
    let count = || async {
        let (_, all) = app.get(&t.planner, "/api/v1/donors").await;
        all.as_array().unwrap().len()
    };
    assert_eq!(count().await, 1);
    let bad = |path: &str, value: Value| {
        let mut b = good.clone();
        b[path] = value;
        b
    };
    let home = app
        .store
        .places(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.kind == "home")
        .unwrap()
        .id;
    let cases = [
        (bad("expected_kg", json!(-5)), "expected_kg"),
        (bad("expected_kg", json!(0)), "expected_kg"),
        (
            bad("window", json!({"start": "11:30", "end": "10:30"})),
            "window.end",
        ),
        (
            bad("receiving_place_id", json!(999_999)),
            "receiving_place_id",
        ),
        (bad("receiving_place_id", json!(home)), "receiving_place_id"),
        (bad("place_id", json!(home)), "place_id"),
        (bad("weekdays", json!([])), "weekdays"),
        (bad("food", json!("tepid")), "food"),
    ];
    for (body, field) in cases {
        let (s, e) = app.post(&t.planner, "/api/v1/donors", body.clone()).await;
        assert!(s.is_client_error(), "{field}: {s} {e}");
        assert_eq!(e["field"], field, "{e}");
        let (s, e) = app
            .put(&t.planner, &format!("/api/v1/donors/{id}"), body)
            .await;
        assert!(s.is_client_error(), "{field}: {s} {e}");
        assert_eq!(e["field"], field, "{e}");
    }
    // One donor per place.
    let (s, e) = app
        .post(&t.planner, "/api/v1/donors", donor(&t, 0, "ambient"))
        .await;
    assert!(s.is_client_error(), "{s} {e}");
    assert_eq!(e["field"], "place_id");
    let (s, e) = app
        .put(
            &t.planner,
            "/api/v1/surplus/settings",
            json!({"chilled_max_minutes": 0, "frozen_max_minutes": 60, "cooked_max_minutes": 60}),
        )
        .await;
    assert!(s.is_client_error(), "{s} {e}");
    assert_eq!(e["field"], "chilled_max_minutes");
    // Nothing written: one donor, as created, and the default settings.
    assert_eq!(count().await, 1);
    let (_, now) = app.get(&t.planner, &format!("/api/v1/donors/{id}")).await;
    assert_eq!(now["expected_kg"], 40.0);
    assert_eq!(now["weekdays"], json!(["mon", "thu"]));
    assert_eq!(now["window"], json!({"start": "10:30", "end": "11:30"}));
    assert_eq!(now["receiving_place_id"], t.centre);
    let (_, settings) = app.get(&t.planner, "/api/v1/surplus/settings").await;
    assert_eq!(settings["chilled_max_minutes"], 60);
    // A member reads the donors but may not write them.
    let member = app.login_as(Role::Member).await;
    let (s, _) = app.post(&member, "/api/v1/donors", good).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get(&member, "/api/v1/donors").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn generation_honours_weekdays_and_holidays_and_books_a_day_once() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    let mut body = donor(&t, 0, "ambient");
    body["weekdays"] = json!(["mon", "tue", "thu"]);
    let id = create(&app, &t, body).await;
    let mut off = donor(&t, 1, "ambient");
    off["active"] = json!(false);
    create(&app, &t, off).await;

    let monday = generate(&app, &t, "2026-11-23").await;
    assert_eq!(monday.len(), 1, "only the active donor");
    assert_eq!(monday[0].0, id);
    let request = app
        .store
        .requests(Scope::All, Some(app.date))
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == monday[0].1)
        .unwrap();
    assert_eq!(request.kind, RequestKind::Collection);
    assert_eq!(
        (request.from_place_id, request.to_place_id),
        (t.donor_places[0], t.centre)
    );
    assert_eq!(request.load.get("kg"), Some(&40));
    assert_eq!(request.window.start.to_string(), "10:30");
    // Once per day: a second run books nothing.
    assert_eq!(generate(&app, &t, "2026-11-23").await, vec![]);
    // Not its weekday.
    assert_eq!(generate(&app, &t, "2026-11-25").await, vec![]);
    assert_eq!(generate(&app, &t, "2026-11-26").await.len(), 1);
    // The Immacolata (8 December, a Tuesday) is no service day.
    assert_eq!(generate(&app, &t, "2026-12-08").await, vec![]);
    assert_eq!(generate(&app, &t, "2026-12-01").await.len(), 1);

    // Dropping Thursday cancels a Thursday already generated from today on
    // (the first coming Thursday that is a service day), not the past ones.
    let today = chrono::Local::now().date_naive();
    let mut thursday = today + chrono::Duration::days(1);
    let upcoming = loop {
        while thursday.weekday() != chrono::Weekday::Thu {
            thursday = thursday.succ_opt().unwrap();
        }
        let booked = generate(&app, &t, &thursday.to_string()).await;
        if let [(_, request)] = booked[..] {
            break request;
        }
        thursday += chrono::Duration::days(7);
    };
    let mut fewer = donor(&t, 0, "ambient");
    fewer["weekdays"] = json!(["mon", "tue"]);
    let (s, r) = app
        .put(&t.planner, &format!("/api/v1/donors/{id}"), fewer)
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let status = |date: chrono::NaiveDate, request: i64| {
        let store = app.store.clone();
        async move {
            store
                .requests(Scope::All, Some(date))
                .await
                .unwrap()
                .into_iter()
                .find(|r| r.id == request)
                .unwrap()
                .status
        }
    };
    assert_eq!(status(thursday, upcoming).await, RequestStatus::Cancelled);
    assert_eq!(
        status(app.date, monday[0].1).await,
        RequestStatus::Active,
        "a past pickup stays as it was"
    );
    // The freed Thursday is not booked again while the donor skips it.
    assert_eq!(generate(&app, &t, &thursday.to_string()).await, vec![]);
}
