//! Booking latency under a constant arrival rate (open loop).
//!
//! Starts giro in-process on a fresh SQLite file (and on a fresh PostgreSQL
//! database when `--postgres URL` names a role that may create databases),
//! loads the demo municipality, logs in as an association member and POSTs
//! valid ride requests at each rate. Sends follow a fixed schedule whatever
//! the answers do, and each latency runs from the *scheduled* send time, so a
//! stall is counted in full by every request it delays (no coordinated
//! omission).
//!
//! `cargo run --release --features bench-tools --example booking_load -- --seconds 15 --rates 100,300
//!  [--postgres postgres://giro_test:giro_test@127.0.0.1:5432/giro_test]`

use std::time::{Duration, Instant};

use clap::Parser;
use giro::domain::Role;
use serde_json::{json, Value};
use sqlx::Connection;

#[derive(Parser)]
struct Args {
    /// Requests per second, one run each.
    #[arg(long, value_delimiter = ',', default_value = "100,300")]
    rates: Vec<u32>,
    /// Length of each run.
    #[arg(long, default_value_t = 15.0)]
    seconds: f64,
    /// Also run on PostgreSQL: a URL whose role may create databases.
    #[arg(long)]
    postgres: Option<String>,
    /// Only PostgreSQL (with --postgres).
    #[arg(long)]
    skip_sqlite: bool,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    println!("| backend | rate (req/s) | sent | errors | p50 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    if !args.skip_sqlite {
        let dir = std::env::temp_dir().join(format!("giro-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("giro.db").display());
        run_backend("sqlite", &url, &args).await;
        let _ = std::fs::remove_dir_all(&dir);
    }
    if let Some(admin) = &args.postgres {
        let name = format!("giro_load_{}", std::process::id());
        let mut conn = sqlx::AnyConnection::connect(admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("the role may create databases");
        let base = admin.rsplit_once('/').expect("URL with a database").0;
        run_backend("postgres", &format!("{base}/{name}"), &args).await;
        let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}

async fn run_backend(backend: &str, url: &str, args: &Args) {
    sqlx::any::install_default_drivers();
    let state = giro::server::state(url, &giro::travel::TravelConfig::default())
        .await
        .expect("the database opens");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let demo = giro::demo::load(&state.store, &giro::demo::default_dir(), date)
        .await
        .expect("demo loads");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(giro::server::serve_on(state.clone(), listener, async {
        let _ = stopped.await;
    }));

    let http = reqwest::Client::new();
    let member = &demo.logins.iter().find(|l| l.role == Role::Member).unwrap();
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": member.email, "password": member.password}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "login: {}", res.status());
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let booking = valid_booking(&http, &base, &cookie, date).await;

    for &rate in &args.rates {
        // A short warm-up at the same rate: connections opened, caches filled.
        run(&http, &base, &cookie, &booking, rate, 1.0).await;
        let r = run(&http, &base, &cookie, &booking, rate, args.seconds).await;
        println!(
            "| {backend} | {rate} | {} | {} | {:.1} | {:.1} | {:.1} |",
            r.sent, r.errors, r.p50, r.p99, r.max
        );
    }
    let _ = stop.send(());
    let _ = server.await;
    state.store.close().await;
}

/// A ride the member may book: its own person from home to a public place.
async fn valid_booking(
    http: &reqwest::Client,
    base: &str,
    cookie: &str,
    date: chrono::NaiveDate,
) -> Value {
    let get = |path: &str| {
        let req = http.get(format!("{base}{path}")).header("cookie", cookie);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let people = get("/api/v1/people").await;
    let places = get("/api/v1/places").await;
    let public = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organisation_id"].is_null())
        .expect("a public place")["id"]
        .clone();
    for person in people.as_array().unwrap() {
        let body = json!({
            "date": date.to_string(), "kind": "ride", "person_id": person["id"],
            "from_place_id": person["home_place_id"], "to_place_id": public,
            "window_at": "pickup", "window": {"start": "10:00", "end": "10:30"},
            "load": {"seats": 1}, "notes": "load test"
        });
        let res = http
            .post(format!("{base}/api/v1/requests"))
            .header("cookie", cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        if res.status().is_success() {
            return body;
        }
    }
    panic!("no person of the member takes a plain ride")
}

struct Figures {
    sent: usize,
    errors: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

async fn run(
    http: &reqwest::Client,
    base: &str,
    cookie: &str,
    booking: &Value,
    rate: u32,
    seconds: f64,
) -> Figures {
    let n = (rate as f64 * seconds).round() as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now() + Duration::from_millis(20);
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let due = start + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let req = http
            .post(format!("{base}/api/v1/requests"))
            .header("cookie", cookie)
            .json(booking);
        tasks.push(tokio::spawn(async move {
            let ok = match req.send().await {
                Ok(r) => {
                    let created = r.status().as_u16() == 201;
                    created && r.bytes().await.is_ok()
                }
                Err(_) => false,
            };
            (due.elapsed(), ok)
        }));
    }
    let mut ms = Vec::with_capacity(n);
    let mut errors = 0;
    for t in tasks {
        let (latency, ok) = t.await.unwrap();
        errors += usize::from(!ok);
        ms.push(latency.as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    Figures {
        sent: n,
        errors,
        p50: at(0.50),
        p99: at(0.99),
        max: *ms.last().unwrap(),
    }
}
