//! The real app on port 0 with a fresh database per test: a SQLite file in a
//! temp dir, or a new PostgreSQL database when TEST_POSTGRES_URL is set.

use std::net::SocketAddr;

use chrono::NaiveDate;
use giro::api::AppState;
use giro::demo::{self, Loaded};
use giro::domain::Role;
use giro::store::Store;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

pub struct TestApp {
    pub url: String,
    pub addr: SocketAddr,
    pub store: Store,
    pub state: AppState,
    pub date: NaiveDate,
    pub demo: Loaded,
    pub http: reqwest::Client,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

/// A caller: a session cookie or a bearer token.
#[derive(Clone)]
pub struct As {
    pub header: (&'static str, String),
}

fn unique() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0) % 1_000_000_000
    )
}

/// A fresh, empty database URL for one test.
pub async fn fresh_database() -> String {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            sqlx::any::install_default_drivers();
            let name = format!("giro_t_{}", unique());
            let mut conn = sqlx::AnyConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| {
                    panic!("TEST_POSTGRES_URL is set but PostgreSQL is not reachable: {e}")
                });
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("the test role may create databases");
            let base = admin.rsplit_once('/').expect("URL with a database name").0;
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("giro-test-{}", unique()));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}", dir.join("giro.db").display())
        }
    }
}

pub fn backend_name() -> &'static str {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => "postgres",
        _ => "sqlite",
    }
}

impl TestApp {
    /// The demo municipality loaded for a fixed date, served on a free port.
    pub async fn spawn() -> Self {
        Self::spawn_on(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).await
    }

    /// The demo municipality loaded for `date` (the browser suite uses today:
    /// a driver's page shows today's route).
    pub async fn spawn_on(date: NaiveDate) -> Self {
        let url = fresh_database().await;
        let state = giro::server::state(&url, &giro::travel::TravelConfig::default())
            .await
            .expect("fresh database opens and migrates");
        let expected = match backend_name() {
            "postgres" => giro::store::Backend::Postgres,
            _ => giro::store::Backend::Sqlite,
        };
        assert_eq!(
            state.store.backend, expected,
            "the suite runs on the backend asked for"
        );
        let demo = demo::load(&state.store, &demo::default_dir(), date)
            .await
            .expect("demo loads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(giro::server::serve_on(state.clone(), listener, async {
            let _ = rx.await;
        }));
        Self {
            url: url.clone(),
            addr,
            store: state.store.clone(),
            state,
            date,
            demo,
            http: reqwest::Client::new(),
            _shutdown: tx,
        }
    }

    /// A second, stateless instance on the same database, as behind a load balancer.
    pub async fn peer(&self) -> TestApp {
        let state = giro::server::state(&self.url, &giro::travel::TravelConfig::default())
            .await
            .expect("the database opens from a second instance");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(giro::server::serve_on(state.clone(), listener, async {
            let _ = rx.await;
        }));
        TestApp {
            url: self.url.clone(),
            addr,
            store: state.store.clone(),
            state,
            date: self.date,
            demo: Loaded {
                date: self.demo.date,
                logins: self.demo.logins.clone(),
                requests: self.demo.requests,
                shifts: self.demo.shifts,
            },
            http: reqwest::Client::new(),
            _shutdown: tx,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn email(&self, role: Role, nth: usize) -> String {
        self.demo
            .logins
            .iter()
            .filter(|l| l.role == role)
            .nth(nth)
            .unwrap_or_else(|| panic!("demo has a {role:?} login #{nth}"))
            .email
            .clone()
    }

    /// Logs in through the API and keeps the session cookie.
    pub async fn login(&self, email: &str) -> As {
        let res = self
            .http
            .post(self.url("/api/v1/login"))
            .json(&serde_json::json!({"email": email, "password": demo::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "login of {email}");
        let cookie = res
            .headers()
            .get("set-cookie")
            .expect("a session cookie")
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        As {
            header: ("cookie", cookie),
        }
    }

    pub async fn login_as(&self, role: Role) -> As {
        self.login(&self.email(role, 0)).await
    }

    /// Sends a request and returns the status and the JSON body (Null when empty).
    pub async fn call(
        &self,
        who: Option<&As>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(w) = who {
            req = req.header(w.header.0, &w.header.1);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        // A calendar feed answers in text: its body as a JSON string.
        let calendar = res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/calendar"));
        let text = res.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else if calendar {
            Value::String(text)
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{path}: body is not JSON: {text}"))
        };
        (status, json)
    }

    pub async fn get(&self, who: &As, path: &str) -> (StatusCode, Value) {
        self.call(Some(who), Method::GET, path, None).await
    }

    pub async fn post(&self, who: &As, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Some(who), Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, who: &As, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Some(who), Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, who: &As, path: &str) -> (StatusCode, Value) {
        self.call(Some(who), Method::DELETE, path, None).await
    }

    /// A GET answered in text: status, content type and body.
    pub async fn get_text(
        &self,
        who: &As,
        path: &str,
        accept: Option<&str>,
    ) -> (StatusCode, String, String) {
        let mut req = self
            .http
            .get(self.url(path))
            .header(who.header.0, &who.header.1);
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let ct = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, ct, res.text().await.unwrap())
    }

    /// Solves the test date and waits for the end (a short limit: the demo day is small).
    pub async fn solve(&self, who: &As, seconds: f64) -> Value {
        self.solve_on(who, self.date, seconds).await
    }

    /// Solves `date` and waits for the end; the plan it made.
    pub async fn solve_on(&self, who: &As, date: NaiveDate, seconds: f64) -> Value {
        self.solve_with(who, date, serde_json::json!({"time_limit_s": seconds}))
            .await
    }

    /// Solves `date` as `input` asks (a `SolveInput`) and waits for the end.
    pub async fn solve_with(&self, who: &As, date: NaiveDate, input: Value) -> Value {
        let seconds = input["time_limit_s"].as_f64().unwrap_or(10.0);
        let (s, body) = self
            .post(who, &format!("/api/v1/plans/{date}/solve"), input)
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{body}");
        self.solved(who, date, seconds).await
    }

    /// Waits for the running solve of `date` (of at most `seconds`) to end
    /// well; the plan it made.
    pub async fn solved(&self, who: &As, date: NaiveDate, seconds: f64) -> Value {
        let deadline =
            std::time::Instant::now() + std::time::Duration::from_secs_f64(seconds + 60.0);
        loop {
            assert!(
                std::time::Instant::now() < deadline,
                "the solve did not end"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let (s, solve) = self.get(who, &format!("/api/v1/plans/{date}/solve")).await;
            assert_eq!(s, StatusCode::OK);
            if solve["status"] != "running" {
                assert_eq!(solve["status"], "done", "{solve}");
                let (s, plan) = self.get(who, &format!("/api/v1/plans/{date}")).await;
                assert_eq!(s, StatusCode::OK);
                return plan;
            }
        }
    }
}

impl TestApp {
    /// Cancels the demo's own requests of the test date, so a test's bookings
    /// have the vehicles to themselves (people, places and shifts stay).
    pub async fn quiet(&self) {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&self.url).await.unwrap();
        sqlx::query("UPDATE requests SET status = 'cancelled' WHERE date = $1")
            .bind(self.date.to_string())
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }

    /// Removes what books requests by itself on any date (the demo's standing
    /// orders, meal recipients and donors), so a test's other dates hold only
    /// its own bookings.
    pub async fn without_generators(&self) {
        let (store, actor) = (&self.store, giro::store::Actor(None));
        let today = chrono::Local::now().date_naive();
        let all = giro::store::Scope::All;
        for o in store.standing_orders(all).await.unwrap() {
            store
                .delete_standing_order(actor, o.id, today)
                .await
                .unwrap();
        }
        for r in store.meal_recipients(all).await.unwrap() {
            store
                .delete_meal_recipient(actor, r.id, today)
                .await
                .unwrap();
        }
        for d in store.donors().await.unwrap() {
            store.delete_donor(actor, d.id, today).await.unwrap();
        }
    }

    /// Publishes the newest revision of the test date and returns it.
    pub async fn publish_newest(&self, who: &As) -> Value {
        let (s, plan) = self.get(who, &format!("/api/v1/plans/{}", self.date)).await;
        assert_eq!(s, StatusCode::OK, "{plan}");
        let (s, published) = self
            .post(
                who,
                &format!("/api/v1/plans/{}/publish", self.date),
                serde_json::json!({"revision": plan["revision"], "version": plan["version"]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{published}");
        published
    }

    /// The driver user who drives as `volunteer`, with a session.
    pub async fn driver_of(&self, volunteer: i64) -> (giro::domain::User, As) {
        for l in self.demo.logins.iter().filter(|l| l.role == Role::Driver) {
            let (user, _) = self.store.user_for_login(&l.email).await.unwrap().unwrap();
            if user.volunteer_id == Some(volunteer) {
                let session = self.login(&l.email).await;
                return (user, session);
            }
        }
        panic!("no driver user for volunteer {volunteer}")
    }

    /// The driven route of `plan` with the most stops (the van on the demo
    /// day), and its driver signed in.
    pub async fn longest_driven(&self, plan: &Value) -> (Value, As) {
        let route = plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["volunteer_id"].is_i64())
            .max_by_key(|r| r["stops"].as_array().unwrap().len())
            .expect("a driven route")
            .clone();
        let (_, driver) = self
            .driver_of(route["volunteer_id"].as_i64().unwrap())
            .await;
        (route, driver)
    }

    /// Serves another app on a database of one's own (nothing loaded).
    pub async fn serve_database(url: &str) -> (String, tokio::sync::oneshot::Sender<()>) {
        let state = giro::server::state(url, &giro::travel::TravelConfig::default())
            .await
            .expect("the database opens and migrates");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(giro::server::serve_on(state, listener, async {
            let _ = rx.await;
        }));
        (format!("http://{addr}"), tx)
    }
}

/// A number of a JSON answer.
pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Whether a route of a plan (JSON) stops for `request`.
pub fn carries(route: &Value, request: i64) -> bool {
    route["stops"]
        .as_array()
        .is_some_and(|stops| stops.iter().any(|s| s["request_id"] == request))
}

/// The route of a plan (JSON) that stops for `request`.
pub fn route_with(plan: &Value, request: i64) -> Option<&Value> {
    plan["routes"]
        .as_array()?
        .iter()
        .find(|r| carries(r, request))
}

impl TestApp {
    /// `driver` reports each of `stops` done, `late` minutes after its
    /// planned departure; event ids are `tag` and the stop's number.
    pub async fn report_done(&self, driver: &As, stops: &[(usize, &Value)], tag: &str, late: f64) {
        for (n, stop) in stops {
            let (s, e) = self
                .post(
                    driver,
                    "/api/v1/events",
                    json!({"id": format!("{tag}-{n:04}"), "date": self.date.to_string(),
                           "stop": stop["key"], "kind": "done",
                           "at": reported_at(self.date, f(&stop["departure_min"]) + late)}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
        }
    }
}

impl TestApp {
    /// A rider of the afternoon (pickup from 13:00) of `published` cancels and
    /// the very same ride is booked again: (the cancelled id, the new one).
    /// Its seat is free, so the new request fits.
    pub async fn rebook_afternoon_ride(&self, who: &As, published: &Value) -> (i64, i64) {
        let gone = published["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["stops"].as_array().unwrap())
            .find(|s| s["role"] == "pickup" && f(&s["start_min"]) >= 13.0 * 60.0)
            .expect("an afternoon ride")["request_id"]
            .as_i64()
            .unwrap();
        let (_, r) = self.get(who, &format!("/api/v1/requests/{gone}")).await;
        let (s, e) = self
            .post(who, &format!("/api/v1/requests/{gone}/cancel"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{e}");
        let mut again = json!({"date": r["date"], "kind": "ride",
            "organisation_id": r["organisation_id"], "person_id": r["person_id"],
            "from_place_id": r["from_place_id"], "to_place_id": r["to_place_id"],
            "companions": r["companions"]});
        if !r["appointment"].is_null() {
            again["appointment"] = r["appointment"].clone();
        } else if !r["pickup_at"].is_null() {
            again["pickup_at"] = r["pickup_at"].clone();
        } else {
            again["window"] = r["window"].clone();
            again["window_at"] = r["window_at"].clone();
        }
        let (s, new) = self.post(who, "/api/v1/requests", again).await;
        assert_eq!(s, StatusCode::CREATED, "{new}");
        (gone, new["id"].as_i64().unwrap())
    }
}

/// `minutes` after midnight of `date`, local time, as a phone reports it.
pub fn reported_at(date: NaiveDate, minutes: f64) -> String {
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
