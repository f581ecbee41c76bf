//! The demo loader against a real SQLite file: what it writes, as read back
//! through the store, and how it fails on broken files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use serde_json::Value;

use giro::auth::password;
use giro::demo::{self, DemoError};
use giro::domain::{RequestKind, RequestStatus, Role, WayBack, WindowAt};
use giro::store::{Scope, Store};

/// A fresh folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "giro-demo-{name}-{}-{nanos}-{n}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    async fn store(&self) -> Store {
        let url = format!("sqlite://{}", self.0.join("giro.db").display());
        Store::connect(&url).await.unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("demo")
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 14).unwrap()
}

fn read_json(dir: &Path, file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
}

/// The demo files copied to `to`, to be broken there.
fn copy_demo(to: &Path) -> PathBuf {
    let dir = to.join("data");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(data_dir()).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    dir
}

#[test]
fn the_demo_day_is_the_next_day_the_meal_service_runs() {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let from = |d| demo::service_day(&data_dir(), d).unwrap();
    // A Monday is its own demo day; Saturday and Sunday move to the Monday.
    assert_eq!(from(day(2026, 12, 7)), day(2026, 12, 7));
    assert_eq!(from(day(2026, 12, 5)), day(2026, 12, 7));
    assert_eq!(from(day(2026, 12, 6)), day(2026, 12, 7));
    // 8 December (a Tuesday) is a national holiday: the kitchen is closed.
    assert_eq!(from(day(2026, 12, 8)), day(2026, 12, 9));
    // Christmas on a Friday, then the weekend: the Monday after.
    assert_eq!(from(day(2026, 12, 25)), day(2026, 12, 28));
}

#[tokio::test]
async fn loads_the_demo_day() {
    let tmp = TempDir::new("load");
    let store = tmp.store().await;
    let loaded = demo::load(&store, &data_dir(), date()).await.unwrap();
    assert_eq!(loaded.date, date());

    assert_eq!(store.organisations(Scope::All).await.unwrap().len(), 3);
    assert_eq!(store.places(Scope::All).await.unwrap().len(), 72);
    let people = store.people(Scope::All).await.unwrap();
    assert_eq!(people.len(), 56);
    let vehicles = store.vehicles().await.unwrap();
    assert_eq!(vehicles.len(), 3);
    let volunteers = store.volunteers().await.unwrap();
    assert_eq!(volunteers.len(), 8);

    // Homes are private to the organisation of the person who lives there.
    let places: HashMap<_, _> = store
        .places(Scope::All)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    for p in &people {
        let home = &places[&p.home_place_id];
        assert_eq!(home.kind, "home");
        assert_eq!(home.organisation_id, Some(p.organisation_id), "{}", p.name);
    }
    assert!(places
        .values()
        .filter(|p| p.kind != "home")
        .all(|p| p.organisation_id.is_none()));

    // The van's layouts come from the flat JSON fields.
    let van = vehicles.iter().find(|v| v.skills == ["lift"]).unwrap();
    assert_eq!(van.layouts.len(), 3);
    assert_eq!(van.layouts[0].capacity["seats"], 1);
    assert_eq!(van.layouts[0].capacity["wheelchairs"], 4);

    // Requests: rides and their ways back, meals, collections.
    let day = read_json(&data_dir(), "day.json");
    let rides_json = day["rides"].as_array().unwrap();
    assert_eq!(rides_json.len(), 16);
    let returns_json = rides_json
        .iter()
        .filter(|r| r.get("return").is_some())
        .count();
    assert!(returns_json > 0);
    let requests = store.requests(Scope::All, Some(date())).await.unwrap();
    assert_eq!(requests.len(), loaded.requests);
    let count = |k: RequestKind| requests.iter().filter(|r| r.kind == k).count();
    assert_eq!(returns_json, 6);
    assert_eq!(count(RequestKind::Ride), 22, "16 trips and 6 ways back");
    assert_eq!(count(RequestKind::Meal), 44);
    assert_eq!(count(RequestKind::Collection), 4);
    assert_eq!(requests.len(), 22 + 44 + 4);
    let other_day = date().succ_opt().unwrap();
    assert!(store
        .requests(Scope::All, Some(other_day))
        .await
        .unwrap()
        .is_empty());

    let by_id: HashMap<_, _> = requests.iter().map(|r| (r.id, r)).collect();
    let returns: Vec<_> = requests.iter().filter(|r| r.return_of.is_some()).collect();
    assert_eq!(returns.len(), returns_json);
    for back in &returns {
        let of = back.return_of.unwrap();
        let out = by_id[&of.request_id];
        assert_eq!(out.kind, RequestKind::Ride);
        assert!(out.return_of.is_none());
        assert_eq!(back.kind, RequestKind::Ride);
        assert_eq!(back.person_id, out.person_id);
        assert_eq!(back.organisation_id, out.organisation_id);
        assert_eq!(
            (back.from_place_id, back.to_place_id),
            (out.to_place_id, out.from_place_id)
        );
        assert_eq!(back.window_at, WindowAt::Pickup);
        match (out.appointment, back.way_back) {
            // Booked with an appointment: the way back by its rule.
            (Some(t), Some(WayBack::AfterMinutes(m))) => {
                assert_eq!(back.window.start.minutes(), t.minutes() + i64::from(m));
                assert_eq!(back.status, RequestStatus::Active);
            }
            (Some(_), Some(WayBack::WillCall)) => {
                assert_eq!(back.status, RequestStatus::WillCall, "planned once called")
            }
            _ => assert_eq!(
                back.window.start.minutes(),
                out.window.start.minutes() + i64::from(of.after_minutes)
            ),
        }
    }
    let people_by_id: HashMap<_, _> = people.iter().map(|p| (p.id, p)).collect();
    for r in &requests {
        match r.kind {
            RequestKind::Ride | RequestKind::Meal => {
                let p = people_by_id[&r.person_id.unwrap()];
                assert_eq!(r.organisation_id, p.organisation_id);
            }
            RequestKind::Collection => assert!(r.person_id.is_none()),
        }
        if r.kind == RequestKind::Meal {
            assert_eq!(r.window_at, WindowAt::Dropoff);
            assert_eq!(places[&r.from_place_id].kind, "meal_centre");
            let hot = r.load.contains_key("hot_boxes");
            assert_eq!(hot, !r.load.contains_key("cold_boxes"));
            // The kitchen-to-door limit is the service's rule, not the loader's.
            assert_eq!(r.max_ride_minutes, None, "{r:?}");
        }
    }
    let hot = requests
        .iter()
        .filter(|r| r.load.contains_key("hot_boxes"))
        .count();
    assert_eq!(hot, 40);

    // The meals come from the recipients' weeks: the one on hold gets none,
    // diets and door notes reach the request, priority ones are marked.
    let recipients = store.meal_recipients(Scope::All).await.unwrap();
    assert_eq!(recipients.len(), day["meals"].as_array().unwrap().len());
    let held: Vec<_> = recipients.iter().filter(|r| !r.holds.is_empty()).collect();
    assert_eq!(held.len(), 1);
    assert!(held[0].holds[0].covers(date()));
    let meals: Vec<_> = requests
        .iter()
        .filter(|r| r.kind == RequestKind::Meal)
        .collect();
    assert!(meals.iter().all(|r| r.person_id != Some(held[0].person_id)));
    assert!((40..=80).contains(&meals.len()));
    let with_diet = |d: &str| {
        meals
            .iter()
            .filter(|r| r.notes.as_deref().is_some_and(|n| n.contains(d)))
            .count()
    };
    assert!(with_diet("diabetico") >= 3 && with_diet("morbido") >= 3);
    assert!(recipients.iter().filter(|r| r.priority).count() >= 5);
    assert!(recipients
        .iter()
        .any(|r| r.preferred_volunteer_id.is_some()));
    let days = store.meal_days(date()).await.unwrap();
    assert_eq!(days.len(), meals.len(), "one generated day per meal");

    // The collections come from the donors, two of them on the cold chain.
    let donors = store.donors().await.unwrap();
    assert_eq!(donors.len(), day["donors"].as_array().unwrap().len());
    assert_eq!(donors.iter().filter(|d| d.food.cold_chain()).count(), 2);
    assert!(donors.iter().any(|d| d.blast_chiller));

    // Shifts: the van in two, each car in one, all with allowed drivers.
    let shifts = store.shifts(Some(date())).await.unwrap();
    assert_eq!(shifts.len(), loaded.shifts);
    let volunteer = |id| volunteers.iter().find(|v| v.id == id).unwrap();
    for v in &vehicles {
        let mut mine: Vec<_> = shifts.iter().filter(|s| s.vehicle_id == v.id).collect();
        let expected = if v.id == van.id { 2 } else { 1 };
        assert_eq!(mine.len(), expected, "{}", v.name);
        mine.sort_by_key(|s| s.window.start);
        for pair in mine.windows(2) {
            assert!(pair[0].window.end <= pair[1].window.start);
        }
        for s in &mine {
            let driver = volunteer(s.volunteer_id.expect("every demo shift has a driver"));
            assert!(driver.vehicle_ids.contains(&v.id), "{}", driver.name);
            assert!(driver.available.start <= s.window.start);
            assert!(s.window.end <= driver.available.end);
            assert!(v.available.start <= s.window.start && s.window.end <= v.available.end);
        }
    }
    for a in &shifts {
        for b in &shifts {
            if a.id != b.id && a.volunteer_id == b.volunteer_id {
                assert!(a.window.end <= b.window.start || b.window.end <= a.window.start);
            }
        }
    }

    // Logins: one admin, one dispatcher, a member per association, a driver
    // per volunteer; each password verifies against the stored user.
    let roles = |r: Role| loaded.logins.iter().filter(|l| l.role == r).count();
    assert_eq!(roles(Role::Admin), 1);
    assert_eq!(roles(Role::Dispatcher), 1);
    assert_eq!(roles(Role::Member), 2);
    assert_eq!(roles(Role::Driver), 8);
    assert_eq!(loaded.logins.len(), 12);
    assert_eq!(loaded.logins[0].email, "admin@giro.demo");
    assert_eq!(loaded.logins[1].email, "dispatcher@giro.demo");
    let orgs = store.organisations(Scope::All).await.unwrap();
    for login in &loaded.logins {
        assert!(login.password.chars().count() >= 10);
        let (user, hash) = store
            .user_for_login(&login.email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no user {}", login.email));
        assert!(password::verify(&login.password, &hash), "{}", login.email);
        assert!(!password::verify("wrong password", &hash));
        assert_eq!(user.role, login.role);
        assert_eq!(user.name, login.name);
        assert!(user.active);
        match login.role {
            Role::Member => {
                let org = orgs.iter().find(|o| Some(o.id) == user.organisation_id);
                assert!(org.is_some(), "{}", login.email);
                assert!(login.email.starts_with("member."));
            }
            Role::Driver => {
                let v = volunteer(user.volunteer_id.unwrap());
                assert_eq!(v.name, user.name);
            }
            _ => assert!(user.organisation_id.is_none() && user.volunteer_id.is_none()),
        }
    }
    assert!(loaded
        .logins
        .iter()
        .any(|l| l.email == "giorgio-sturla@giro.demo"));

    // A second load into the same database is refused before any write.
    let again = demo::load(&store, &data_dir(), date()).await.unwrap_err();
    assert!(matches!(again, DemoError::AlreadyLoaded(_)), "{again}");
    assert_eq!(store.organisations(Scope::All).await.unwrap().len(), 3);
    store.close().await;
}

#[tokio::test]
async fn an_unknown_reference_is_named_and_nothing_is_written() {
    let tmp = TempDir::new("broken-ref");
    let dir = copy_demo(&tmp.0);
    let mut people = read_json(&dir, "people.json");
    let person = people[3]["key"].as_str().unwrap().to_string();
    people[3]["home"] = Value::from("home-nowhere-to-be-found");
    std::fs::write(dir.join("people.json"), people.to_string()).unwrap();

    let store = tmp.store().await;
    let err = demo::load(&store, &dir, date()).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, DemoError::UnknownKey { .. }), "{msg}");
    assert!(msg.contains("home-nowhere-to-be-found"), "{msg}");
    assert!(msg.contains(&person), "{msg}");
    assert!(msg.contains("people.json"), "{msg}");
    assert!(store.organisations(Scope::All).await.unwrap().is_empty());
    assert!(store.places(Scope::All).await.unwrap().is_empty());
    store.close().await;
}

#[tokio::test]
async fn bad_json_names_the_file() {
    let tmp = TempDir::new("bad-json");
    let dir = copy_demo(&tmp.0);
    std::fs::write(dir.join("vehicles.json"), "[{\"key\": \"van\",").unwrap();
    let store = tmp.store().await;
    let err = demo::load(&store, &dir, date()).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, DemoError::Json { .. }), "{msg}");
    assert!(msg.contains("vehicles.json"), "{msg}");

    // A value of the wrong kind: the file, the path and the record's key.
    std::fs::copy(data_dir().join("vehicles.json"), dir.join("vehicles.json")).unwrap();
    let mut day = read_json(&dir, "day.json");
    let meal = day["meals"][2]["key"].as_str().unwrap().to_string();
    day["meals"][2]["meals"] = Value::from("two");
    std::fs::write(dir.join("day.json"), day.to_string()).unwrap();
    let msg = demo::load(&store, &dir, date())
        .await
        .unwrap_err()
        .to_string();
    assert!(msg.contains("day.json"), "{msg}");
    assert!(msg.contains("meals[2].meals"), "{msg}");
    assert!(msg.contains(&meal), "{msg}");

    // A missing file names the file too.
    std::fs::remove_file(dir.join("volunteers.json")).unwrap();
    let msg = demo::load(&store, &dir, date())
        .await
        .unwrap_err()
        .to_string();
    assert!(msg.contains("volunteers.json"), "{msg}");
    assert!(store.organisations(Scope::All).await.unwrap().is_empty());
    store.close().await;
}
