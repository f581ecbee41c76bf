//! A solve whose worker died is seen dead at once, on any instance, and
//! cancel always frees the date. A dead instance is simulated as a crash
//! would leave it: an instance on a runtime of its own that the test stops
//! mid-solve (its tasks dropped, its connections and files closed), or a
//! running row whose instance holds no lock.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use giro::domain::Role;
use giro::travel::{Point, TravelConfig, TravelError, TravelMatrix, TravelTimes};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{fresh_database, As, TestApp};

/// Far below the heartbeat fallback (60 s): only the token of life explains it.
const WELL_BEFORE_FALLBACK: Duration = Duration::from_secs(10);

/// An instance that dies like a killed process when the test says so.
struct Doomed {
    addr: SocketAddr,
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Doomed {
    fn spawn(database: &str) -> Self {
        let database = database.to_string();
        let (ready, bound) = std::sync::mpsc::channel();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let state = giro::server::state(&database, &TravelConfig::default())
                    .await
                    .expect("a second instance opens the database");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                ready.send(listener.local_addr().unwrap()).unwrap();
                tokio::spawn(giro::server::serve_on(
                    state,
                    listener,
                    std::future::pending(),
                ));
            });
            let _ = stopped.recv();
            // Every task dropped where it stands; the solver thread is not waited for.
            rt.shutdown_timeout(Duration::from_millis(500));
        });
        let addr = bound.recv().expect("the instance starts");
        Self { addr, stop, thread }
    }

    async fn post(&self, who: &As, path: &str, body: Value) -> (StatusCode, Value) {
        let res = reqwest::Client::new()
            .post(format!("http://{}{path}", self.addr))
            .header(who.header.0, &who.header.1)
            .json(&body)
            .send()
            .await
            .unwrap();
        (res.status(), res.json().await.unwrap())
    }

    fn kill(self) {
        self.stop.send(()).unwrap();
        self.thread.join().unwrap();
    }
}

/// Reads the date's solve until it no longer runs.
async fn until_ended(app: &TestApp, who: &As) -> Value {
    let path = format!("/api/v1/plans/{}/solve", app.date);
    let deadline = Instant::now() + WELL_BEFORE_FALLBACK;
    loop {
        let (s, solve) = app.get(who, &path).await;
        assert_eq!(s, StatusCode::OK, "{solve}");
        if solve["status"] != "running" {
            return solve;
        }
        assert!(
            Instant::now() < deadline,
            "still running: the dead worker was not seen: {solve}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A dispatcher's session and a solve started on a second instance that
/// then dies with the solve under way.
async fn solve_left_by_dead_instance(app: &TestApp) -> (As, Value) {
    let who = app.login_as(Role::Dispatcher).await;
    let doomed = Doomed::spawn(&app.url);
    let path = format!("/api/v1/plans/{}/solve", app.date);
    let (s, started) = doomed.post(&who, &path, json!({"time_limit_s": 5})).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{started}");
    assert_eq!(started["status"], "running");
    doomed.kill();
    (who, started)
}

#[tokio::test]
async fn a_solve_left_running_by_a_dead_instance_does_not_block_the_date() {
    let app = TestApp::spawn().await;
    let (who, started) = solve_left_by_dead_instance(&app).await;

    let seen = until_ended(&app, &who).await;
    assert_eq!(seen["id"], started["id"]);
    assert_eq!(seen["status"], "failed", "{seen}");
    assert_eq!(seen["error"], "the instance running it stopped");
    // The date is free: a new solve runs to its end here.
    let plan = app.solve(&who, 1.0).await;
    assert!(!plan["routes"].as_array().unwrap().is_empty(), "{plan}");
}

#[tokio::test]
async fn cancel_frees_a_date_whose_solve_no_live_worker_holds() {
    let app = TestApp::spawn().await;
    let (who, started) = solve_left_by_dead_instance(&app).await;

    let cancel = format!("/api/v1/plans/{}/solve/cancel", app.date);
    let deadline = Instant::now() + WELL_BEFORE_FALLBACK;
    let cancelled = loop {
        let (s, c) = app.post(&who, &cancel, json!({})).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{c}");
        assert_eq!(c["id"], started["id"]);
        // On PostgreSQL the server may take a moment to see the socket close.
        if c["status"] != "running" || Instant::now() > deadline {
            break c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    assert_eq!(cancelled["plan_id"], Value::Null);
    assert!(
        cancelled["error"]
            .as_str()
            .is_some_and(|e| e.contains("no live worker")),
        "{cancelled}"
    );
    let plan = app.solve(&who, 1.0).await;
    assert!(!plan["routes"].as_array().unwrap().is_empty(), "{plan}");
}

#[tokio::test]
async fn a_running_row_whose_instance_holds_no_lock_is_given_up_at_once() {
    let app = TestApp::spawn().await;
    let who = app.login_as(Role::Dispatcher).await;
    // A fresh heartbeat: only the missing lock tells the instance is gone.
    // Instance ids start at 1, so 0 is nobody's.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.url).await.unwrap();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO solves (date, status, time_limit_s, seed, started_at, heartbeat_at, \
         instance_id) VALUES ($1, 'running', 5.0, 1, $2, $2, 0) RETURNING id",
    )
    .bind(app.date.to_string())
    .bind(&now)
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;

    let (s, seen) = app
        .get(&who, &format!("/api/v1/plans/{}/solve", app.date))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(seen["id"], id);
    assert_eq!(seen["status"], "failed", "{seen}");
    let plan = app.solve(&who, 1.0).await;
    assert!(!plan["routes"].as_array().unwrap().is_empty(), "{plan}");
}

/// Travel times that make the worker panic: a fault injected through the
/// state's travel seam, with nothing in the production code.
struct Faulty;

impl TravelTimes for Faulty {
    fn name(&self) -> &'static str {
        "faulty"
    }

    fn matrix<'a>(
        &'a self,
        _points: &'a [Point],
    ) -> Pin<Box<dyn Future<Output = Result<TravelMatrix, TravelError>> + Send + 'a>> {
        Box::pin(async { panic!("injected travel fault") })
    }
}

#[tokio::test]
async fn a_worker_panic_is_seen_at_once_and_frees_the_date() {
    let url = fresh_database().await;
    let mut state = giro::server::state(&url, &TravelConfig::default())
        .await
        .unwrap();
    state.travel = Arc::new(Faulty);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let demo = giro::demo::load(&state.store, &giro::demo::default_dir(), date)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(giro::server::serve_on(state, listener, async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let email = &demo
        .logins
        .iter()
        .find(|l| l.role == Role::Dispatcher)
        .unwrap()
        .email;
    let res = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"email": email, "password": giro::demo::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let path = format!("{base}/api/v1/plans/{date}/solve");

    for attempt in 0..2 {
        let res = http
            .post(&path)
            .header("cookie", &cookie)
            .json(&json!({"time_limit_s": 30}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::ACCEPTED,
            "attempt {attempt}: the date is free"
        );
        let deadline = Instant::now() + WELL_BEFORE_FALLBACK;
        let ended = loop {
            let solve: Value = http
                .get(&path)
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if solve["status"] != "running" {
                break solve;
            }
            assert!(Instant::now() < deadline, "the panic was not seen: {solve}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(ended["status"], "failed", "{ended}");
        let error = ended["error"].as_str().unwrap();
        assert!(
            error.contains("crashed") && error.contains("injected travel fault"),
            "{error}"
        );
    }
}
