//! The live day (issue 12): how long a re-plan and a "can we fit it?" take on
//! a day under way, on the demo day and on a day several times its size.
//!
//! Each day runs on its own giro, in-process on a fresh SQLite file with the
//! demo municipality loaded. A dispatcher solves the day (2 s) and publishes
//! it; the drivers report every stop they leave by 10:00 done, as planned.
//! Then 100 random call-in rides (seeded) are each booked, asked about
//! (`POST /plans/{date}/fit` at 10:00, against the published plan) and
//! deleted again, so each question sees the same day; and the day is
//! re-planned from 10:00 five times with nothing changed (`POST
//! /plans/{date}/replan` with `{"at": "10:00"}`, each a new draft;
//! `--replan-at none` leaves `at` out). Times are client side: the whole
//! HTTP call.
//!
//! The big day is built through the API from the demo day: the vehicles and
//! the day's shifts copied (the copies without a driver: a volunteer is on one
//! shift at a time), and the day's requests (rides with their ways back,
//! meals, collections; the generated ones included) booked again as they are,
//! at the same times, each copy for a new person like the one it copies whose
//! home is 300–700 m inland of the other's (so copies do not simply share a
//! seat). It solves and publishes the same way.
//!
//! Each day prints its figures, what the first re-plan moved and why fits
//! failed; then one table of both days. `--dump DIR` keeps each day's
//! published plan and first re-plan as JSON.
//!
//! `cargo run --release --features bench-tools --example live_day [-- --date YYYY-MM-DD --scale 4]`

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Weekday};
use clap::Parser;
use giro::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Parser)]
struct Args {
    /// The day; by default the first Monday at least a week ahead that is
    /// not a public holiday (bookings are not taken for the past, and the
    /// standing orders and meals depend on the weekday).
    #[arg(long)]
    date: Option<NaiveDate>,
    /// The big day is this many times the demo day.
    #[arg(long, default_value_t = 4)]
    scale: usize,
    /// Solve time limit of each day, seconds.
    #[arg(long, default_value_t = 2.0)]
    solve_seconds: f64,
    /// Re-plans per day.
    #[arg(long, default_value_t = 5)]
    replans: usize,
    /// Call-in rides asked about per day.
    #[arg(long, default_value_t = 100)]
    fits: usize,
    /// Seed of the call-in rides and of the big day's new homes.
    #[arg(long, default_value_t = 12)]
    seed: u64,
    /// Re-plan from this time ("HH:MM"), or `none`: leave `at` out, so the
    /// re-plan goes on from the drivers' reports alone (the day is not today).
    #[arg(long, default_value = "10:00")]
    replan_at: String,
    /// Also write each day's published plan and first re-plan here (JSON).
    #[arg(long)]
    dump: Option<std::path::PathBuf>,
}

/// The day is under way until then: minutes after midnight, and as "HH:MM".
const NOW_MIN: f64 = 600.0;
const NOW: &str = "10:00";

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let date = args.date.unwrap_or_else(default_date);
    println!(
        "Date {date} ({:?}); solve {} s; {} re-plans, at {}; {} fits at {NOW}, seed {}.\n",
        date.weekday(),
        args.solve_seconds,
        args.replans,
        args.replan_at,
        args.fits,
        args.seed
    );
    let mut rows = Vec::new();
    for scale in [1, args.scale] {
        rows.push(run_day(&args, date, scale).await);
    }
    println!("| day | requests | vehicles | re-plan median (ms) | re-plan max (ms) | promises broken | moves | fit p50 (ms) | fit p99 (ms) | fit max (ms) | fits found (of {}) |", args.fits);
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let all = |v: &[usize]| {
            v.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {} | {} | {:.1} | {:.1} | {:.1} | {} |",
            r.label,
            r.requests,
            r.vehicles,
            median(&r.replan_ms),
            max(&r.replan_ms),
            all(&r.promises_broken),
            all(&r.moves),
            quantile(&r.fit_ms, 0.50),
            quantile(&r.fit_ms, 0.99),
            max(&r.fit_ms),
            r.fits_found
        );
    }
}

/// The first Monday at least seven days ahead that is not a holiday.
fn default_date() -> NaiveDate {
    let mut d = chrono::Local::now().date_naive() + chrono::Duration::days(7);
    while d.weekday() != Weekday::Mon || giro::domain::holiday(d).is_some() {
        d += chrono::Duration::days(1);
    }
    d
}

struct Row {
    label: String,
    requests: usize,
    vehicles: usize,
    replan_ms: Vec<f64>,
    promises_broken: Vec<usize>,
    moves: Vec<usize>,
    fit_ms: Vec<f64>,
    fits_found: usize,
}

/// One giro on a fresh database, the demo loaded, a dispatcher's session.
struct App {
    state: giro::api::AppState,
    demo: giro::demo::Loaded,
    http: reqwest::Client,
    base: String,
    dispatcher: String,
    dir: std::path::PathBuf,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<(), giro::server::ServerError>>,
}

impl App {
    async fn start(date: NaiveDate, tag: usize) -> App {
        sqlx::any::install_default_drivers();
        let dir = std::env::temp_dir().join(format!("giro-live-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("giro.db").display());
        let state = giro::server::state(&url, &giro::travel::TravelConfig::default())
            .await
            .expect("the database opens");
        let demo = giro::demo::load(&state.store, &giro::demo::default_dir(), date)
            .await
            .expect("demo loads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(giro::server::serve_on(state.clone(), listener, async {
            let _ = stopped.await;
        }));
        let mut app = App {
            state,
            demo,
            http: reqwest::Client::new(),
            base,
            dispatcher: String::new(),
            dir,
            stop,
            server,
        };
        let email = app
            .demo
            .logins
            .iter()
            .find(|l| l.role == Role::Dispatcher)
            .expect("a dispatcher")
            .email
            .clone();
        app.dispatcher = app.login(&email).await;
        app
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
        self.state.store.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Logs in; the session cookie.
    async fn login(&self, email: &str) -> String {
        let res = self
            .http
            .post(format!("{}/api/v1/login", self.base))
            .json(&json!({"email": email, "password": giro::demo::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_success(),
            "login of {email}: {}",
            res.status()
        );
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    /// A call as `who` (a session cookie): status and JSON body (Null when empty).
    async fn call_as(
        &self,
        who: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", who);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}"))
        };
        (status, json)
    }

    async fn get(&self, path: &str) -> Value {
        let (s, v) = self
            .call_as(&self.dispatcher, Method::GET, path, None)
            .await;
        assert_eq!(s, StatusCode::OK, "GET {path}: {v}");
        v
    }

    async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.call_as(&self.dispatcher, Method::POST, path, Some(body))
            .await
    }

    /// Solves `date` and waits for the end; the plan it made.
    async fn solve(&self, date: NaiveDate, seconds: f64) -> Value {
        let path = format!("/api/v1/plans/{date}/solve");
        let (s, body) = self.post(&path, &json!({"time_limit_s": seconds})).await;
        assert_eq!(s, StatusCode::ACCEPTED, "solve: {body}");
        let deadline = Instant::now() + Duration::from_secs_f64(seconds + 120.0);
        loop {
            assert!(Instant::now() < deadline, "the solve did not end");
            tokio::time::sleep(Duration::from_millis(100)).await;
            let solve = self.get(&path).await;
            if solve["status"] != "running" {
                assert_eq!(solve["status"], "done", "{solve}");
                return self.get(&format!("/api/v1/plans/{date}")).await;
            }
        }
    }
}

async fn run_day(args: &Args, date: NaiveDate, scale: usize) -> Row {
    let label = if scale == 1 {
        "demo day".to_string()
    } else {
        format!("{scale}× day")
    };
    println!("## {label}\n");
    let app = App::start(date, scale).await;
    if scale > 1 {
        // A short solve books the day's generated requests (standing orders,
        // meals, donors' pickups), so they are copied too.
        app.solve(date, 0.1).await;
        multiply(&app, date, scale, args.seed).await;
    }

    // 1. Solved and published.
    let began = Instant::now();
    let plan = app.solve(date, args.solve_seconds).await;
    let solve_s = began.elapsed().as_secs_f64();
    let (s, published) = app
        .post(
            &format!("/api/v1/plans/{date}/publish"),
            &json!({"revision": plan["revision"], "version": plan["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "publish: {published}");
    let requests = app.get(&format!("/api/v1/requests?date={date}")).await;
    let requests = requests.as_array().unwrap();
    let active = requests.iter().filter(|r| r["status"] == "active").count();
    let will_call = requests
        .iter()
        .filter(|r| r["status"] == "will_call")
        .count();
    let shifts = app.get(&format!("/api/v1/shifts?date={date}")).await;
    let shifts = shifts.as_array().unwrap();
    let vehicles: BTreeSet<i64> = shifts
        .iter()
        .map(|s| s["vehicle_id"].as_i64().unwrap())
        .collect();
    let routes = published["routes"].as_array().unwrap();
    let stops: usize = routes
        .iter()
        .map(|r| r["stops"].as_array().unwrap().len())
        .sum();
    let served: BTreeSet<i64> = routes
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .map(|s| s["request_id"].as_i64().unwrap())
        .collect();
    println!(
        "{active} requests to plan (+{will_call} will-call), {} vehicles on {} shifts; \
         solved in {solve_s:.1} s (wall, with polling): {} served, {} left out, {stops} stops, \
         {:.1} km, feasible {}; published revision {}.",
        vehicles.len(),
        shifts.len(),
        served.len(),
        published["unassigned"].as_array().unwrap().len(),
        published["figures"]["distance_km"]
            .as_f64()
            .unwrap_or(f64::NAN),
        published["figures"]["feasible"],
        published["revision"],
    );

    // 2. Under way: every stop left by 10:00 reported done, by its driver
    // (by the dispatcher on a route without one).
    let reported = report_done(&app, date, routes).await;
    println!("{reported} stops reported done (departures up to {NOW}).\n");

    // 3. Call-in rides: booked, asked about at 10:00, deleted again. Asked
    // before the re-plans, so each stands on the published plan (a fit
    // stands on the newest revision, and a re-plan makes a new one).
    let (fit_ms, fits_found, errors) = fits(&app, date, requests, args).await;
    println!(
        "{} fits asked: {fits_found} with a way; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         errors: {errors}.\n",
        fit_ms.len(),
        quantile(&fit_ms, 0.5),
        quantile(&fit_ms, 0.99),
        max(&fit_ms)
    );
    // 4. Re-plans from 10:00, nothing else changed (each a new draft).
    println!(
        "| re-plan | ms | moves | of which only the vehicle | promises broken | feasible | left out |"
    );
    println!("|---:|---:|---:|---:|---:|---|---:|");
    let (mut replan_ms, mut promises_broken, mut moves) = (vec![], vec![], vec![]);
    let mut first = Value::Null;
    let replan_body = match args.replan_at.as_str() {
        "none" => json!({}),
        at => json!({ "at": at }),
    };
    for i in 1..=args.replans {
        let began = Instant::now();
        let (s, out) = app
            .post(&format!("/api/v1/plans/{date}/replan"), &replan_body)
            .await;
        let ms = began.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(s, StatusCode::CREATED, "re-plan: {out}");
        let list = out["moves"].as_array().unwrap();
        let (m, b) = (
            list.len(),
            out["promises_broken"].as_u64().unwrap() as usize,
        );
        let vehicle_only = list.iter().filter(|m| m["minutes"] == 0).count();
        println!(
            "| {i} | {ms:.0} | {m} | {vehicle_only} | {b} | {} | {} |",
            out["plan"]["figures"]["feasible"],
            out["plan"]["unassigned"].as_array().unwrap().len()
        );
        replan_ms.push(ms);
        promises_broken.push(b);
        moves.push(m);
        if i == 1 {
            first = out;
        }
    }
    println!();
    describe(&first, &published);
    if let Some(dir) = &args.dump {
        std::fs::create_dir_all(dir).unwrap();
        for (name, v) in [("published", &published), ("replan-1", &first)] {
            let path = dir.join(format!(
                "{}-{name}.json",
                label.replace('×', "x").replace(' ', "-")
            ));
            std::fs::write(&path, serde_json::to_string_pretty(v).unwrap()).unwrap();
        }
    }

    app.stop().await;
    Row {
        label,
        requests: active,
        vehicles: vehicles.len(),
        replan_ms,
        promises_broken,
        moves,
        fit_ms,
        fits_found,
    }
}

/// What the first re-plan changed: its moves, the requests it leaves out
/// that the published plan served, and the checker's violations.
fn describe(out: &Value, published: &Value) {
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let moves = list(&out["moves"]);
    if !moves.is_empty() {
        let shown: Vec<String> = moves
            .iter()
            .take(12)
            .map(|m| {
                format!(
                    "{} {} {}→{} (vehicle {}→{})",
                    m["request_id"],
                    m["role"].as_str().unwrap_or("?"),
                    m["was"].as_str().unwrap_or("?"),
                    m["now"].as_str().unwrap_or("out"),
                    m["was_vehicle_id"],
                    m["now_vehicle_id"]
                )
            })
            .collect();
        let more = moves.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        println!("First re-plan's moves: {}{more}.", shown.join("; "));
    }
    let was_out: BTreeSet<i64> = list(&published["unassigned"])
        .iter()
        .filter_map(|u| u["request_id"].as_i64())
        .collect();
    let newly: Vec<String> = list(&out["plan"]["unassigned"])
        .iter()
        .filter(|u| !was_out.contains(&u["request_id"].as_i64().unwrap_or(0)))
        .map(|u| {
            format!(
                "{} ({})",
                u["request_id"],
                u["reason"].as_str().unwrap_or("?")
            )
        })
        .collect();
    if !newly.is_empty() {
        println!(
            "Left out by it, served when published: {}.",
            newly.join(", ")
        );
    }
    let violations = list(&out["plan"]["figures"]["violations"]);
    if !violations.is_empty() {
        let shown: Vec<String> = violations
            .iter()
            .map(|v| v["message"].as_str().unwrap_or("?").to_string())
            .collect();
        println!("The checker's violations: {}.", shown.join("; "));
    }
    println!();
}

/// Reports done, as planned, every stop of the published `routes` left by
/// 10:00; how many.
async fn report_done(app: &App, date: NaiveDate, routes: &[Value]) -> usize {
    // Each driver's session, by volunteer.
    let mut drivers: HashMap<i64, String> = HashMap::new();
    for l in app.demo.logins.iter().filter(|l| l.role == Role::Driver) {
        let (user, _) = app
            .state
            .store
            .user_for_login(&l.email)
            .await
            .unwrap()
            .unwrap();
        if let Some(v) = user.volunteer_id {
            drivers.insert(v, app.login(&l.email).await);
        }
    }
    let mut n = 0;
    for r in routes {
        let who = r["volunteer_id"]
            .as_i64()
            .and_then(|v| drivers.get(&v))
            .unwrap_or(&app.dispatcher);
        for stop in r["stops"].as_array().unwrap() {
            let left = stop["departure_min"].as_f64().unwrap();
            if left > NOW_MIN {
                break;
            }
            let body = json!({"id": format!("live-{n:05}"), "date": date.to_string(),
                "stop": stop["key"], "kind": "done", "at": reported_at(date, left)});
            let (s, e) = app
                .call_as(who, Method::POST, "/api/v1/events", Some(&body))
                .await;
            assert_eq!(s, StatusCode::CREATED, "report: {e}");
            n += 1;
        }
    }
    n
}

/// `minutes` after midnight of `date`, local time, as a phone reports it.
fn reported_at(date: NaiveDate, minutes: f64) -> String {
    use chrono::TimeZone;
    let naive = date.and_hms_opt(0, 0, 0).unwrap()
        + chrono::Duration::milliseconds((minutes * 60_000.0).round() as i64);
    chrono::Local
        .from_local_datetime(&naive)
        .single()
        .unwrap()
        .with_timezone(&chrono::Utc)
        .to_rfc3339()
}

/// `args.fits` random call-in rides, one at a time: a rider of the day from
/// home to a public place or back, picked up in a 30-minute window starting
/// 10:30–15:30. Each is booked, fitted at 10:00 (timed) and deleted. The
/// fit latencies, how many had a way, and the calls that failed.
async fn fits(
    app: &App,
    date: NaiveDate,
    requests: &[Value],
    args: &Args,
) -> (Vec<f64>, usize, usize) {
    let people = app.get("/api/v1/people").await;
    let riders: BTreeSet<i64> = requests
        .iter()
        .filter(|r| r["kind"] == "ride")
        .filter_map(|r| r["person_id"].as_i64())
        .collect();
    let riders: Vec<&Value> = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| riders.contains(&p["id"].as_i64().unwrap()))
        .collect();
    let places = app.get("/api/v1/places").await;
    let kinds = [
        "day_centre",
        "hospital",
        "health_office",
        "town_hall",
        "station",
        "hamlet",
    ];
    let public: Vec<i64> = places
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["organisation_id"].is_null() && kinds.contains(&p["kind"].as_str().unwrap()))
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(!riders.is_empty() && !public.is_empty());
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let (mut ms, mut found, mut errors) = (Vec::new(), 0, 0);
    let mut blocked: std::collections::BTreeMap<String, usize> = Default::default();
    let fit = format!("/api/v1/plans/{date}/fit");
    for _ in 0..args.fits {
        let rider = riders[rng.usize(..riders.len())];
        let home = rider["home_place_id"].as_i64().unwrap();
        let place = public[rng.usize(..public.len())];
        let (from, to) = if rng.bool() {
            (home, place)
        } else {
            (place, home)
        };
        let start = 630 + 5 * rng.u32(0..=60);
        let clock = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        let body = json!({"date": date.to_string(), "kind": "ride",
            "organisation_id": rider["organisation_id"], "person_id": rider["id"],
            "from_place_id": from, "to_place_id": to, "window_at": "pickup",
            "window": {"start": clock(start), "end": clock(start + 30)},
            "notes": "live-day benchmark"});
        let (s, made) = app.post("/api/v1/requests", &body).await;
        if s != StatusCode::CREATED {
            errors += 1;
            eprintln!("booking refused ({s}): {made}");
            continue;
        }
        let id = made["id"].as_i64().unwrap();
        let began = Instant::now();
        let (s, answer) = app.post(&fit, &json!({"request_id": id, "at": NOW})).await;
        let took = began.elapsed().as_secs_f64() * 1000.0;
        if s == StatusCode::OK {
            ms.push(took);
            found += usize::from(!answer["ways"].as_array().unwrap().is_empty());
            if let Some(reason) = answer["blocked"]["reason"].as_str() {
                *blocked.entry(reason.to_string()).or_insert(0) += 1;
            }
        } else {
            errors += 1;
            eprintln!("fit of request {id} failed ({s}): {answer}");
        }
        let (s, e) = app
            .call_as(
                &app.dispatcher,
                Method::DELETE,
                &format!("/api/v1/requests/{id}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "delete request {id}: {e}");
    }
    if !blocked.is_empty() {
        let shown: Vec<String> = blocked.iter().map(|(r, n)| format!("{r} {n}")).collect();
        println!(
            "Fits without a way, by the most telling reason: {}.",
            shown.join(", ")
        );
    }
    (ms, found, errors)
}

/// Makes the day `scale` times itself: each vehicle with a shift that day
/// copied `scale - 1` times, each shift copied onto the copies (no driver),
/// each request of the day booked again `scale - 1` times, each time for a
/// new person (as the one it copies) living 300–700 m inland of the other.
async fn multiply(app: &App, date: NaiveDate, scale: usize, seed: u64) {
    let shifts = app.get(&format!("/api/v1/shifts?date={date}")).await;
    let shifts = shifts.as_array().unwrap().clone();
    let vehicles = app.get("/api/v1/vehicles").await;
    let people = app.get("/api/v1/people").await;
    let places = app.get("/api/v1/places").await;
    let requests = app.get(&format!("/api/v1/requests?date={date}")).await;
    let mut requests = requests.as_array().unwrap().clone();
    requests.sort_by_key(|r| r["id"].as_i64().unwrap());
    let used: BTreeSet<i64> = shifts
        .iter()
        .map(|s| s["vehicle_id"].as_i64().unwrap())
        .collect();
    let persons: BTreeSet<i64> = requests
        .iter()
        .filter_map(|r| r["person_id"].as_i64())
        .collect();
    let by_id = |list: &Value, id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("record {id}"))
            .clone()
    };
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut new_vehicles, mut new_shifts, mut new_people, mut new_requests) = (0, 0, 0, 0);
    for k in 2..=scale {
        let mut vehicle_of: HashMap<i64, i64> = HashMap::new();
        for v in vehicles.as_array().unwrap() {
            let id = v["id"].as_i64().unwrap();
            if !used.contains(&id) {
                continue;
            }
            let (s, made) = app
                .post(
                    "/api/v1/vehicles",
                    &json!({"name": format!("{} ({k})", v["name"].as_str().unwrap()),
                        "depot_place_id": v["depot_place_id"], "skills": v["skills"],
                        "layouts": v["layouts"], "available": v["available"],
                        "active": v["active"],
                        "owner_organisation_id": v["owner_organisation_id"],
                        "pooled": v["pooled"]}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "vehicle copy: {made}");
            vehicle_of.insert(id, made["id"].as_i64().unwrap());
            new_vehicles += 1;
        }
        for sh in &shifts {
            let (s, made) = app
                .post(
                    "/api/v1/shifts",
                    &json!({"date": date.to_string(),
                        "vehicle_id": vehicle_of[&sh["vehicle_id"].as_i64().unwrap()],
                        "window": sh["window"], "serves": sh["serves"]}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "shift copy: {made}");
            new_shifts += 1;
        }
        // Person id → (new person, old home, new home).
        let mut person_of: HashMap<i64, (i64, i64, i64)> = HashMap::new();
        for &id in &persons {
            let p = by_id(&people, id);
            let old_home = p["home_place_id"].as_i64().unwrap();
            let home = by_id(&places, old_home);
            let metres = 300.0 + 400.0 * rng.f64();
            let bearing = (-30.0 + 90.0 * rng.f64()).to_radians();
            let lat = home["lat"].as_f64().unwrap();
            let (s, place) = app
                .post(
                    "/api/v1/places",
                    &json!({"organisation_id": home["organisation_id"],
                        "name": format!("{} ({k})", home["name"].as_str().unwrap()),
                        "address": format!("{} ({k})", home["address"].as_str().unwrap()),
                        "lat": lat + metres * bearing.cos() / 111_320.0,
                        "lon": home["lon"].as_f64().unwrap()
                            + metres * bearing.sin() / (111_320.0 * lat.to_radians().cos()),
                        "kind": home["kind"]}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "home copy: {place}");
            let new_home = place["id"].as_i64().unwrap();
            let (s, person) = app
                .post(
                    "/api/v1/people",
                    &json!({"organisation_id": p["organisation_id"],
                        "name": format!("{} ({k})", p["name"].as_str().unwrap()),
                        "home_place_id": new_home, "mobility": p["mobility"],
                        "assistance": p["assistance"], "service_animal": p["service_animal"],
                        "driver_notes": p["driver_notes"]}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "person copy: {person}");
            person_of.insert(id, (person["id"].as_i64().unwrap(), old_home, new_home));
            new_people += 1;
        }
        new_requests += copy_requests(app, &requests, &person_of).await;
    }
    println!(
        "Built from the demo day: {new_vehicles} vehicles, {new_shifts} shifts, {new_people} \
         people (with their homes) and {new_requests} requests added (the {} requests of the \
         demo day, cancelled ones left out, copied {} times).",
        requests.len(),
        scale - 1
    );
}

/// Books each open request of `requests` (sorted by id) again, for the
/// person `person_of` names (from or to that person's new home): a way back
/// booked with a rule comes with its outbound, one given its own window is
/// booked after it, linked to the copy. How many were made.
async fn copy_requests(
    app: &App,
    requests: &[Value],
    person_of: &HashMap<i64, (i64, i64, i64)>,
) -> usize {
    let open = |r: &Value| r["status"] == "active" || r["status"] == "will_call";
    let back_of = |id: &Value| {
        requests
            .iter()
            .find(|b| open(b) && b["return_of"]["request_id"] == *id)
    };
    let mut copy_of: HashMap<i64, i64> = HashMap::new();
    let mut made = 0;
    for r in requests.iter().filter(|r| open(r)) {
        let linked = !r["return_of"].is_null();
        if linked && !r["way_back"].is_null() {
            continue; // booked with its outbound
        }
        let mut body = json!({"organisation_id": r["organisation_id"], "date": r["date"],
            "kind": r["kind"], "from_place_id": r["from_place_id"],
            "to_place_id": r["to_place_id"], "load": r["load"], "skills": r["skills"],
            "status": "active"});
        for field in ["service_minutes", "max_ride_minutes", "notes"] {
            if !r[field].is_null() {
                body[field] = r[field].clone();
            }
        }
        if let Some(&(person, old_home, new_home)) =
            r["person_id"].as_i64().and_then(|p| person_of.get(&p))
        {
            body["person_id"] = json!(person);
            for end in ["from_place_id", "to_place_id"] {
                if body[end] == old_home {
                    body[end] = json!(new_home);
                }
            }
        }
        if r["kind"] == "ride" {
            body["companions"] = r["companions"].clone();
            if !r["purpose"].is_null() {
                body["purpose"] = r["purpose"].clone();
            }
        }
        if !r["appointment"].is_null() {
            body["appointment"] = r["appointment"].clone();
        } else if !r["pickup_at"].is_null() {
            body["pickup_at"] = r["pickup_at"].clone();
        } else {
            body["window_at"] = r["window_at"].clone();
            body["window"] = r["window"].clone();
        }
        if linked {
            let outbound = r["return_of"]["request_id"].as_i64().unwrap();
            let Some(copy) = copy_of.get(&outbound) else {
                eprintln!("request {}: its outbound was not copied", r["id"]);
                continue;
            };
            let mut link = r["return_of"].clone();
            link["request_id"] = json!(copy);
            body["return_of"] = link;
        } else if let Some(back) = back_of(&r["id"]).filter(|b| !b["way_back"].is_null()) {
            body["way_back"] = back["way_back"].clone();
        }
        let (s, new) = app.post("/api/v1/requests", &body).await;
        assert_eq!(s, StatusCode::CREATED, "copy of request {}: {new}", r["id"]);
        copy_of.insert(r["id"].as_i64().unwrap(), new["id"].as_i64().unwrap());
        made += 1 + usize::from(!body["way_back"].is_null());
    }
    made
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The `q` quantile, nearest rank; NaN when empty.
fn quantile(v: &[f64], q: f64) -> f64 {
    let v = sorted(v);
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1]
}

fn median(v: &[f64]) -> f64 {
    let v = sorted(v);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn max(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NAN, f64::max)
}
