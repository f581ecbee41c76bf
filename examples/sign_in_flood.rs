//! Plan reads while wrong passwords pour in: does a sign-in flood starve the
//! rest of the server?
//!
//! giro in-process on a fresh SQLite file with the demo day solved; a
//! dispatcher reads the plan at a steady rate (open loop: each latency runs
//! from the read's scheduled time) while wrong passwords arrive at another
//! steady rate. Four set-ups:
//! - no flood;
//! - the flood with neither throttle nor bound on password checks (as before
//!   issue 8: every check on its own blocking thread);
//! - the flood with the bound only (half the cores check, a short queue, the
//!   rest refused at once), as when an attacker spreads over many addresses
//!   and accounts so that the throttle never trips;
//! - the flood with giro's defaults: throttle and bound.
//!
//! `cargo run --release --features bench-tools --example sign_in_flood -- --seconds 15 --reads 20 --flood 31`

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use giro::auth::throttle::{Allowance, Limits};
use giro::auth::verifier::Verifier;
use giro::auth::SignIns;
use giro::domain::Role;
use serde_json::json;

#[derive(Parser)]
struct Args {
    /// Seconds per set-up.
    #[arg(long, default_value_t = 15.0)]
    seconds: f64,
    /// Plan reads per second.
    #[arg(long, default_value_t = 20)]
    reads: u32,
    /// Wrong passwords per second.
    #[arg(long, default_value_t = 31)]
    flood: u32,
}

/// Limits that never trip: the throttle out of the way.
fn no_throttle() -> Limits {
    let open = Allowance {
        burst: u32::MAX / 2,
        every: Duration::from_nanos(1),
    };
    Limits {
        account: open,
        address: open,
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    sqlx::any::install_default_drivers();
    let dir = std::env::temp_dir().join(format!("giro-flood-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("giro.db").display());
    let mut state = giro::server::state(&url, &giro::travel::TravelConfig::default())
        .await
        .expect("the database opens");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let demo = giro::demo::load(&state.store, &giro::demo::default_dir(), date)
        .await
        .expect("demo loads");
    giro::api::solve_now(&state, date, 2.0, 1)
        .await
        .expect("the demo day solves");
    let dispatcher = demo
        .logins
        .iter()
        .find(|l| l.role == Role::Dispatcher)
        .unwrap()
        .clone();

    println!("| set-up | wrong passwords/s | answered 401 / 429 | plan reads p50 (ms) | p99 (ms) | max (ms) |");
    println!("|---|---:|---|---:|---:|---:|");
    let unbounded = || Verifier::new(1024, 0);
    let setups: [(&str, u32, Limits, Verifier); 4] = [
        (
            "no flood",
            0,
            Limits::default(),
            Verifier::for_this_machine(),
        ),
        (
            "no throttle, no bound",
            args.flood,
            no_throttle(),
            unbounded(),
        ),
        (
            "bound only",
            args.flood,
            no_throttle(),
            Verifier::for_this_machine(),
        ),
        (
            "giro's defaults",
            args.flood,
            Limits::default(),
            Verifier::for_this_machine(),
        ),
    ];
    for (name, flood, limits, verifier) in setups {
        state.sign_ins = Arc::new(SignIns {
            verifier,
            ..SignIns::new(limits, Vec::new())
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(giro::server::serve_on(state.clone(), listener, async {
            let _ = stopped.await;
        }));
        let http = reqwest::Client::new();
        let cookie = sign_in(&http, &base, &dispatcher.email, &dispatcher.password).await;
        let plan = format!("{base}/api/v1/plans/{date}");
        let flooding = tokio::spawn(flood_run(
            http.clone(),
            format!("{base}/api/v1/login"),
            dispatcher.email.clone(),
            flood,
            args.seconds,
        ));
        let reads = read_run(&http, &plan, &cookie, args.reads, args.seconds).await;
        let (refused, throttled) = flooding.await.unwrap();
        println!(
            "| {name} | {flood} | {refused} / {throttled} | {:.1} | {:.1} | {:.1} |",
            reads.0, reads.1, reads.2
        );
        let _ = stop.send(());
        let _ = server.await;
    }
    state.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

async fn sign_in(http: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "login: {}", res.status());
    res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// Wrong passwords at `rate` for `seconds`: how many got 401 and how many 429.
async fn flood_run(
    http: reqwest::Client,
    url: String,
    email: String,
    rate: u32,
    seconds: f64,
) -> (usize, usize) {
    if rate == 0 {
        return (0, 0);
    }
    let n = (rate as f64 * seconds).round() as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        tokio::time::sleep_until((start + interval * i as u32).into()).await;
        let req = http
            .post(&url)
            .json(&json!({"email": email, "password": format!("guess-{i}")}));
        tasks.push(tokio::spawn(async move {
            req.send().await.map(|r| r.status().as_u16()).unwrap_or(0)
        }));
    }
    let (mut refused, mut throttled) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            401 => refused += 1,
            429 => throttled += 1,
            _ => {}
        }
    }
    (refused, throttled)
}

/// Plan reads at `rate` for `seconds`: p50, p99 and max in ms from each read's scheduled time.
async fn read_run(
    http: &reqwest::Client,
    url: &str,
    cookie: &str,
    rate: u32,
    seconds: f64,
) -> (f64, f64, f64) {
    let n = (rate as f64 * seconds).round() as usize;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    // Let the flood fill the machine first.
    let start = Instant::now() + Duration::from_millis(500);
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let due = start + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let req = http.get(url).header("cookie", cookie);
        tasks.push(tokio::spawn(async move {
            let ok = match req.send().await {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            assert!(ok, "a plan read failed");
            due.elapsed().as_secs_f64() * 1000.0
        }));
    }
    let mut ms = Vec::with_capacity(n);
    for t in tasks {
        ms.push(t.await.unwrap());
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
    (at(0.5), at(0.99), *ms.last().unwrap())
}
