//! Reports on the real app: three days of the demo are solved and
//! published, drivers report on the longest route of each (done, a no-show,
//! a skipped stop, kg at the donors), two rides are cancelled; the report of
//! the week equals the figures this test counts itself from the requests it
//! read and the events it posted, as JSON and as CSV. Bad input names the
//! field; a member sees its own association only.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, Local, NaiveDate, Utc, Weekday};
use giro::domain::Role;
use giro::travel::{Point, TravelConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{f, reported_at, As, TestApp};

/// A Monday at least a week ahead: rides can still be cancelled in time.
fn monday_ahead() -> NaiveDate {
    let mut d = Local::now().date_naive() + Duration::days(7);
    while d.weekday() != Weekday::Mon {
        d += Duration::days(1);
    }
    d
}

async fn publish(app: &TestApp, who: &As, date: NaiveDate) -> Value {
    let (s, plan) = app.get(who, &format!("/api/v1/plans/{date}")).await;
    assert_eq!(s, StatusCode::OK, "{plan}");
    let (s, published) = app
        .post(
            who,
            &format!("/api/v1/plans/{date}/publish"),
            json!({"revision": plan["revision"], "version": plan["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{published}");
    published
}

/// One event this test posted.
struct Posted {
    route_id: i64,
    kind: &'static str,
    at: DateTime<Utc>,
    place_id: i64,
    stop_seq: usize,
}

/// Counts of one service, as the test expects them.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    states: BTreeMap<String, u32>,
    reasons: BTreeMap<String, u32>,
    people: BTreeSet<i64>,
}

impl Counts {
    fn add(&mut self, r: &Value) {
        let state = r["lifecycle"]["state"].as_str().unwrap().to_string();
        if state == "completed" {
            if let Some(p) = r["person_id"].as_i64() {
                self.people.insert(p);
            }
        }
        if state == "turned_down" {
            let reason = r["lifecycle"]["reason"].as_str().unwrap().to_string();
            *self.reasons.entry(reason).or_default() += 1;
        }
        let key = match state.as_str() {
            "requested" | "waiting_call" | "scheduled" | "on_board" => "open".to_string(),
            s => s.to_string(),
        };
        *self.states.entry(key).or_default() += 1;
    }

    fn check(&self, got: &Value, what: &str) {
        let n = |k: &str| self.states.get(k).copied().unwrap_or(0);
        let total: u32 = self.states.values().sum();
        assert_eq!(got["requests"], total, "{what}: requests");
        for k in [
            "completed",
            "cancelled",
            "cancelled_late",
            "no_show",
            "turned_down",
            "open",
        ] {
            assert_eq!(got[k], n(k), "{what}: {k} in {got}");
        }
        assert_eq!(got["people_served"], self.people.len(), "{what}: people");
        let reasons: BTreeMap<String, u32> = got["turned_down_reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["reason"].as_str().unwrap().to_string(),
                    c["count"].as_u64().unwrap() as u32,
                )
            })
            .collect();
        assert_eq!(reasons, self.reasons, "{what}: reasons");
    }
}

fn service_of(kind: &str) -> &'static str {
    match kind {
        "ride" => "rides",
        "meal" => "meals",
        _ => "surplus",
    }
}

async fn points(app: &TestApp, who: &As) -> HashMap<i64, Point> {
    let (_, all) = app.get(who, "/api/v1/places").await;
    all.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                Point {
                    lat: f(&p["lat"]),
                    lon: f(&p["lon"]),
                },
            )
        })
        .collect()
}

/// The driven route of `plan` with the most stops among those carrying a
/// request of `kind`, or the longest driven one when none does.
fn driven_with(plan: &Value, kind: &HashMap<i64, String>, wanted: &str) -> Value {
    let driven: Vec<&Value> = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["volunteer_id"].is_i64())
        .collect();
    let stops = |r: &&Value| r["stops"].as_array().unwrap().len();
    let carries = |r: &&&Value| {
        r["stops"].as_array().unwrap().iter().any(|s| {
            kind.get(&s["request_id"].as_i64().unwrap())
                .is_some_and(|k| k == wanted)
        })
    };
    driven
        .iter()
        .filter(carries)
        .max_by_key(|r| stops(r))
        .or_else(|| driven.iter().max_by_key(|r| stops(r)))
        .map(|r| (*r).clone())
        .expect("a driven route")
}

#[tokio::test]
async fn the_report_of_the_demo_week_matches_the_events_and_requests() {
    let app = TestApp::spawn_on(monday_ahead()).await;
    let planner = app.login_as(Role::Admin).await;
    let days: Vec<NaiveDate> = (0..3).map(|i| app.date + Duration::days(i)).collect();
    for d in &days[1..] {
        giro::service::shifts::copy(&app.store, giro::store::Actor(None), app.date, *d)
            .await
            .unwrap();
    }
    let mut plans = Vec::new();
    for d in &days {
        app.solve_on(&planner, *d, 1.0).await;
        plans.push(publish(&app, &planner, *d).await);
    }

    // Two rides of the second day, on routes nobody reports on, are cancelled.
    let (_, day1) = app
        .get(&planner, &format!("/api/v1/requests?date={}", days[1]))
        .await;
    let kinds: HashMap<i64, String> = day1
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    let reported_route = driven_with(&plans[1], &kinds, "collection");
    let cancel: Vec<i64> = plans[1]["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] != reported_route["id"])
        .flat_map(|r| r["stops"].as_array().unwrap().clone())
        .filter(|s| s["role"] == "pickup")
        .map(|s| s["request_id"].as_i64().unwrap())
        .filter(|id| kinds[id] == "ride")
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(2)
        .collect();
    for id in &cancel {
        let (s, e) = app
            .post(
                &planner,
                &format!("/api/v1/requests/{id}/cancel"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{e}");
    }

    // The longest route of each day: every stop reported, the first ride's
    // pickup a no-show (its drop-off not reported), the third stop of the
    // second day skipped, kg entered at each donor.
    let mut posted: Vec<Posted> = Vec::new();
    let mut kg_by_request: BTreeMap<i64, f64> = BTreeMap::new();
    let mut dropped_off: BTreeSet<i64> = BTreeSet::new();
    let mut no_show: Option<i64> = None;
    for (k, (date, plan)) in days.iter().zip(&plans).enumerate() {
        let (_, requests) = app
            .get(&planner, &format!("/api/v1/requests?date={date}"))
            .await;
        let kind: HashMap<i64, String> = requests
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_i64().unwrap(),
                    r["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        // The first day a route with rides, then routes with collections.
        let wanted = if k == 0 { "ride" } else { "collection" };
        let route = driven_with(plan, &kind, wanted);
        let (_, driver) = app.driver_of(route["volunteer_id"].as_i64().unwrap()).await;
        let cancelled: BTreeSet<i64> = requests
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["status"] != "active" && r["status"] != "will_call")
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        for (i, stop) in route["stops"].as_array().unwrap().iter().enumerate() {
            let request = stop["request_id"].as_i64().unwrap();
            // Nobody goes to a stop of a cancelled ride.
            if cancelled.contains(&request) {
                continue;
            }
            let pickup = stop["role"] == "pickup";
            let ride = kind[&request] == "ride";
            let mut body = json!({"id": format!("rep-{k}-{i:04}"), "date": date.to_string(),
                "stop": stop["key"], "kind": "done",
                "at": reported_at(*date, f(&stop["departure_min"]))});
            let what = if k == 0 && pickup && ride && no_show.is_none() {
                no_show = Some(request);
                "no_show"
            } else if Some(request) == no_show && !pickup {
                continue;
            } else if k == 1 && i == 2 {
                "skipped"
            } else {
                "done"
            };
            body["kind"] = json!(what);
            if what == "done" && pickup && kind[&request] == "collection" {
                let kg = 10.0 + i as f64 * 0.5;
                body["kg"] = json!(kg);
                kg_by_request.insert(request, kg);
            }
            if what == "done" && !pickup {
                dropped_off.insert(request);
            }
            let (s, e) = app.post(&driver, "/api/v1/events", body.clone()).await;
            assert_eq!(s, StatusCode::CREATED, "{e} for {body}");
            posted.push(Posted {
                route_id: route["id"].as_i64().unwrap(),
                kind: what,
                at: body["at"].as_str().unwrap().parse().unwrap(),
                place_id: stop["place_id"].as_i64().unwrap(),
                stop_seq: i,
            });
        }
    }
    let no_show = no_show.expect("a ride on the longest route of the first day");

    // The requests as they stand, counted per service and association.
    let mut by_service: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_org: BTreeMap<(i64, String), Counts> = BTreeMap::new();
    let mut all_requests: HashMap<i64, Value> = HashMap::new();
    for date in &days {
        let (_, requests) = app
            .get(&planner, &format!("/api/v1/requests?date={date}"))
            .await;
        for r in requests.as_array().unwrap() {
            let service = service_of(r["kind"].as_str().unwrap()).to_string();
            by_service.entry(service.clone()).or_default().add(r);
            let org = r["organisation_id"].as_i64().unwrap();
            by_org.entry((org, service)).or_default().add(r);
            all_requests.insert(r["id"].as_i64().unwrap(), r.clone());
        }
    }
    // What the test did is what the requests say.
    let state = |id: i64| all_requests[&id]["lifecycle"]["state"].clone();
    assert_eq!(state(no_show), "no_show");
    for id in &cancel {
        assert_eq!(state(*id), "cancelled");
    }
    for id in &dropped_off {
        // A way back cancelled with its outbound stays cancelled.
        if all_requests[id]["status"] == "active" {
            assert_eq!(state(*id), "completed", "request {id}");
        }
    }

    let week = format!("from={}&to={}", app.date, app.date + Duration::days(6));
    let (s, report) = app.get(&planner, &format!("/api/v1/reports?{week}")).await;
    assert_eq!(s, StatusCode::OK, "{report}");

    for s in report["services"].as_array().unwrap() {
        let name = s["service"].as_str().unwrap();
        match by_service.get(name) {
            Some(c) => c.check(s, name),
            None => assert_eq!(s["requests"], 0, "{name}"),
        }
    }
    let mut orgs_seen = 0;
    for o in report["organisations"].as_array().unwrap() {
        let org = o["organisation_id"].as_i64().unwrap();
        for s in o["services"].as_array().unwrap() {
            let name = s["service"].as_str().unwrap().to_string();
            match by_org.get(&(org, name.clone())) {
                Some(c) => {
                    c.check(s, &format!("{org} {name}"));
                    orgs_seen += 1;
                }
                None => assert_eq!(s["requests"], 0),
            }
        }
    }
    assert_eq!(orgs_seen, by_org.len(), "every association with requests");

    // Driving: planned from the published routes, from events as posted.
    let pts = points(&app, &planner).await;
    let travel = giro::travel::from_config(&TravelConfig::default());
    let driving = &report["driving"];
    let by_route: HashMap<i64, &Value> = driving["by_route"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["route_id"].as_i64().unwrap(), r))
        .collect();
    let mut planned_km = 0.0;
    let mut planned_min = 0;
    let mut event_km_total = 0.0;
    let mut event_min_total = 0;
    let mut silent = 0;
    let mut volunteer: BTreeMap<Option<i64>, (u32, i64, i64)> = BTreeMap::new();
    let mut routes = 0;
    for plan in &plans {
        for r in plan["routes"].as_array().unwrap() {
            routes += 1;
            let id = r["id"].as_i64().unwrap();
            let got = by_route[&id];
            let km = (f(&r["distance_km"]) * 10.0).round() / 10.0;
            let min = (f(&r["end_min"]) - f(&r["start_min"])).round() as i64;
            assert!((f(&got["planned_km"]) - km).abs() < 0.01, "{got}");
            assert_eq!(got["planned_minutes"], min);
            let mine: Vec<&Posted> = posted.iter().filter(|p| p.route_id == id).collect();
            let (mut ekm, mut emin) = (0.0, 0);
            if mine.is_empty() {
                silent += 1;
            } else {
                let first = mine.iter().map(|p| p.at).min().unwrap();
                let last = mine.iter().map(|p| p.at).max().unwrap();
                emin = ((last - first).num_seconds() as f64 / 60.0).round() as i64;
                // The legs between two consecutive stops both visited.
                let visited: BTreeMap<usize, i64> = mine
                    .iter()
                    .filter(|p| p.kind != "skipped")
                    .map(|p| (p.stop_seq, p.place_id))
                    .collect();
                for (seq, place) in &visited {
                    if let Some(next) = visited.get(&(seq + 1)) {
                        let m = travel.matrix(&[pts[place], pts[next]]).await.unwrap();
                        ekm += m.km_between(0, 1);
                    }
                }
                ekm = (ekm * 10.0).round() / 10.0;
            }
            assert!((f(&got["event_km"]) - ekm).abs() < 0.051, "{got} vs {ekm}");
            assert_eq!(got["event_minutes"], emin, "{got}");
            planned_km += km;
            planned_min += min;
            event_km_total += ekm;
            event_min_total += emin;
            let v = volunteer.entry(r["volunteer_id"].as_i64()).or_default();
            v.0 += 1;
            v.1 += min;
            v.2 += emin;
        }
    }
    assert_eq!(driving["routes"], routes);
    assert_eq!(driving["routes_without_events"], silent);
    assert!(silent < routes, "some routes were reported on");
    assert!((f(&driving["planned_km"]) - planned_km).abs() < 0.051);
    assert!((f(&driving["event_km"]) - event_km_total).abs() < 0.051);
    assert!(f(&driving["event_km"]) > 0.0);
    assert_eq!(driving["planned_minutes"], planned_min);
    assert_eq!(driving["event_minutes"], event_min_total);
    let got: BTreeMap<Option<i64>, (u32, i64, i64)> = report["volunteers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["volunteer_id"].as_i64(),
                (
                    v["routes"].as_u64().unwrap() as u32,
                    v["planned_minutes"].as_i64().unwrap(),
                    v["event_minutes"].as_i64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(got, volunteer);

    // Meals: the kitchen's production (booked, not cancelled) and the
    // packing lines of the meals reported delivered.
    let mut booked: BTreeMap<String, u64> = BTreeMap::new();
    let mut diet_booked: BTreeMap<String, u64> = BTreeMap::new();
    let mut delivered: BTreeMap<String, u64> = BTreeMap::new();
    let mut diet_delivered: BTreeMap<String, u64> = BTreeMap::new();
    for date in &days {
        let (_, p) = app
            .get(&planner, &format!("/api/v1/meals/{date}/production"))
            .await;
        for line in p["lines"].as_array().unwrap() {
            let n = line["meals"].as_u64().unwrap();
            *booked
                .entry(line["meal_type"].as_str().unwrap().into())
                .or_default() += n;
            for d in line["diets"].as_array().unwrap() {
                *diet_booked.entry(d.as_str().unwrap().into()).or_default() += n;
            }
        }
        let (_, p) = app
            .get(&planner, &format!("/api/v1/meals/{date}/packing"))
            .await;
        for line in p["lines"].as_array().unwrap() {
            let id = line["request_id"].as_i64().unwrap();
            if all_requests[&id]["lifecycle"]["state"] != "completed" {
                continue;
            }
            let n = line["meals"].as_u64().unwrap();
            *delivered
                .entry(line["meal_type"].as_str().unwrap().into())
                .or_default() += n;
            for d in line["diets"].as_array().unwrap() {
                *diet_delivered
                    .entry(d.as_str().unwrap().into())
                    .or_default() += n;
            }
        }
    }
    assert!(!booked.is_empty(), "the demo cooks");
    let pairs = |list: &Value, key: &str, field: &str| -> BTreeMap<String, u64> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|m| (m[key].as_str().unwrap().into(), m[field].as_u64().unwrap()))
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    assert_eq!(pairs(&report["meals"], "meal_type", "booked"), booked);
    assert_eq!(pairs(&report["meals"], "meal_type", "delivered"), delivered);
    assert_eq!(pairs(&report["diets"], "diet", "booked"), diet_booked);
    assert_eq!(pairs(&report["diets"], "diet", "delivered"), diet_delivered);

    // Surplus: the kg this test entered, per donor by the pickup's place.
    let (_, donors) = app.get(&planner, "/api/v1/donors").await;
    let mut kg: BTreeMap<i64, (u64, f64)> = BTreeMap::new();
    for d in donors.as_array().unwrap() {
        let id = d["id"].as_i64().unwrap();
        let e = kg.entry(id).or_default();
        for (request, v) in &kg_by_request {
            if all_requests[request]["from_place_id"] == d["place_id"] {
                e.0 += 1;
                e.1 += v;
            }
        }
    }
    assert!(!kg_by_request.is_empty(), "a donor on the longest routes");
    for d in report["donors"].as_array().unwrap() {
        let (n, v) = kg[&d["donor_id"].as_i64().unwrap()];
        assert_eq!(d["pickups"], n, "{d}");
        assert!((f(&d["kg"]) - v).abs() < 0.0005, "{d}");
    }
    assert_eq!(report["donors"].as_array().unwrap().len(), kg.len());

    // Fees: the fee list's trips summed per association.
    let (_, fees) = app.get(&planner, &format!("/api/v1/fees?{week}")).await;
    let mut due: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for t in fees["trips"].as_array().unwrap() {
        let e = due
            .entry(t["organisation_id"].as_i64().unwrap())
            .or_default();
        e.0 += 1;
        e.1 += t["fee_cents"].as_u64().unwrap();
    }
    let got: BTreeMap<i64, (u64, u64)> = report["fees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["organisation_id"].as_i64().unwrap(),
                (x["trips"].as_u64().unwrap(), x["cents"].as_u64().unwrap()),
            )
        })
        .collect();
    assert_eq!(got, due);
    assert_eq!(report["fees_total_cents"], fees["total_cents"]);

    // The CSV: the same figures, one a line.
    let (s, ct, csv) = app
        .get_text(
            &planner,
            &format!("/api/v1/reports?{week}&format=csv"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("figure,service,organisation,subject,measure,value")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let cell = |figure: &str, service: &str, org: &str, measure: &str| -> String {
        rows.iter()
            .find(|r| r[0] == figure && r[1] == service && r[2] == org && r[4] == measure)
            .unwrap_or_else(|| panic!("{figure} {service} {org} {measure} in {csv}"))[5]
            .to_string()
    };
    let rides = &by_service["rides"];
    assert_eq!(
        cell("outcome", "rides", "", "completed"),
        rides
            .states
            .get("completed")
            .copied()
            .unwrap_or(0)
            .to_string()
    );
    assert_eq!(
        cell("outcome", "rides", "", "no_show"),
        rides
            .states
            .get("no_show")
            .copied()
            .unwrap_or(0)
            .to_string()
    );
    assert_eq!(
        cell("driving", "", "", "planned_km"),
        format!("{:.1}", f(&driving["planned_km"]))
    );
    assert_eq!(
        cell("driving", "", "", "event_hours"),
        format!("{:.2}", event_min_total as f64 / 60.0)
    );
}

#[tokio::test]
async fn bad_input_names_the_field_and_a_member_sees_its_own_association() {
    let app = TestApp::spawn().await;
    let planner = app.login_as(Role::Dispatcher).await;
    let d = app.date;
    let check = |s: StatusCode, body: &Value, status: StatusCode, field: &str| {
        assert_eq!(s, status, "{body}");
        assert!(
            body["field"] == field || body["message"].as_str().unwrap().contains(field),
            "{body} names {field}"
        );
    };
    let (s, b) = app
        .get(
            &planner,
            &format!("/api/v1/reports?from={d}&to={}", d - Duration::days(1)),
        )
        .await;
    check(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "to");
    let (s, b) = app
        .get(
            &planner,
            &format!("/api/v1/reports?from={d}&to={}", d + Duration::days(400)),
        )
        .await;
    check(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "to");
    let (s, b) = app
        .get(
            &planner,
            &format!("/api/v1/reports?from={d}&to={d}&organisation_id=99999"),
        )
        .await;
    check(s, &b, StatusCode::NOT_FOUND, "organisation_id");
    let (s, b) = app
        .get(
            &planner,
            &format!("/api/v1/reports?from={d}&to={d}&service=taxi"),
        )
        .await;
    assert!(s.is_client_error(), "{b}");
    assert!(b.to_string().contains("service"), "{b}");
    let (s, b) = app
        .get(&planner, &format!("/api/v1/reports?from={d}"))
        .await;
    check(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "to");

    // A member: its own association by default, no other one.
    let member_email = app.email(Role::Member, 0);
    let member = app.login(&member_email).await;
    let (user, _) = app
        .store
        .user_for_login(&member_email)
        .await
        .unwrap()
        .unwrap();
    let own = user.organisation_id.unwrap();
    let (_, orgs) = app.get(&planner, "/api/v1/organisations").await;
    let other = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .find(|o| *o != own)
        .unwrap();
    let (s, mine) = app
        .get(&member, &format!("/api/v1/reports?from={d}&to={d}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{mine}");
    assert_eq!(mine["organisation_id"], own);
    assert!(mine["driving"].is_null(), "driving is the whole town's");
    for o in mine["organisations"].as_array().unwrap() {
        assert_eq!(o["organisation_id"], own);
    }
    let (s, b) = app
        .get(
            &member,
            &format!("/api/v1/reports?from={d}&to={d}&organisation_id={other}"),
        )
        .await;
    check(s, &b, StatusCode::NOT_FOUND, "organisation_id");
    // The planner asking for the member's association gets the same counts.
    let (_, theirs) = app
        .get(
            &planner,
            &format!("/api/v1/reports?from={d}&to={d}&organisation_id={own}"),
        )
        .await;
    assert_eq!(theirs["services"], mine["services"]);
}

/// The page: the figures beside SVG charts with a title, the CSV link, the
/// print stylesheet; a range ending before it starts marks `to` (422), an
/// unknown association marks `organisation_id`; a member's page has no
/// association to pick.
#[tokio::test]
async fn the_report_page_shows_charts_and_marks_bad_fields() {
    use super::html::{page, tag};
    let app = TestApp::spawn().await;
    let planner = app.login_as(Role::Dispatcher).await;
    app.solve(&planner, 1.0).await;
    app.publish_newest(&planner).await;
    let d = app.date;
    let (s, _, html) = page(
        &app,
        Some(&planner),
        &format!("/board/reports?from={d}&to={d}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(tag(&html, "chart-services").starts_with("<svg"), "{html}");
    assert!(html.contains("id=\"chart-services-title\""));
    assert!(html.contains("id=\"chart-driving\""));
    // As the template escapes it: `&` always, `/` by some versions.
    let csv = tag(&html, "report-csv")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(
        csv.contains(&format!(
            "href=\"/api/v1/reports?from={d}&to={d}&format=csv\""
        )),
        "{csv}"
    );
    assert!(html.contains("id=\"report-services\""));
    assert!(html.contains("reports.css"));
    assert!(html.contains("href=\"/board/reports\""), "in the menu");

    let before = d - Duration::days(1);
    let (s, _, html) = page(
        &app,
        Some(&planner),
        &format!("/board/reports?from={d}&to={before}"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(tag(&html, "to").contains("aria-invalid=\"true\""));
    assert!(tag(&html, "from").contains("aria-invalid=\"false\""));
    assert!(!html.contains("id=\"report-services\""));
    let (s, _, html) = page(
        &app,
        Some(&planner),
        &format!("/board/reports?from={d}&to={d}&organisation_id=99999"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(tag(&html, "organisation_id").contains("aria-invalid=\"true\""));

    let member = app.login_as(Role::Member).await;
    let (s, _, html) = page(
        &app,
        Some(&member),
        &format!("/board/reports?from={d}&to={d}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(!html.contains("id=\"organisation_id\""));
    assert!(
        !html.contains("id=\"chart-driving\""),
        "driving is the town's"
    );
}
