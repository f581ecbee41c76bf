//! Operations: the probes, `/metrics` read back through a parser of the
//! Prometheus text format, the request id, and the request log line.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use giro::domain::Role;
use giro::ops::logging::{self, LogFormat};
use reqwest::StatusCode;
use serde_json::Value;

use super::support::TestApp;

/// One sample line: `name{label="value",…} value`.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// A scrape: the `# TYPE` of each family and the samples.
#[derive(Debug)]
struct Exposition {
    types: HashMap<String, String>,
    samples: Vec<Sample>,
}

/// Parses the text format (0.0.4): `# TYPE name kind`, other comments,
/// sample lines with escaped label values and an optional timestamp.
fn parse(text: &str) -> Exposition {
    let mut types = HashMap::new();
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(
                types.insert(name.to_string(), kind.to_string()).is_none(),
                "one TYPE per family: {name}"
            );
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let end = line.find(['{', ' ']).expect("a name and a value");
        let name = line[..end].to_string();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        let mut rest = &line[end..];
        let mut labels = BTreeMap::new();
        if let Some(inner) = rest.strip_prefix('{') {
            let mut chars = inner.char_indices();
            loop {
                let (key_start, c) = chars.next().expect("a label or }");
                if c == '}' {
                    rest = &inner[key_start + 1..];
                    break;
                }
                let eq = inner[key_start..].find('=').expect("label=") + key_start;
                let key = inner[key_start..eq].to_string();
                assert!(!key.is_empty(), "a label name: {line}");
                for (i, _) in chars.by_ref() {
                    if i == eq {
                        break;
                    }
                }
                assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "{line}");
                let mut value = String::new();
                loop {
                    match chars.next().expect("a closing quote").1 {
                        '\\' => match chars.next().expect("an escape").1 {
                            'n' => value.push('\n'),
                            c => value.push(c),
                        },
                        '"' => break,
                        c => value.push(c),
                    }
                }
                labels.insert(key, value);
                match chars.next().expect(", or }") {
                    (_, ',') => {}
                    (i, '}') => {
                        rest = &inner[i + 1..];
                        break;
                    }
                    (_, c) => panic!("{c:?} after a label value: {line}"),
                }
            }
        }
        let value = rest.split_whitespace().next().expect("a value");
        let value = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("a number: {line}")),
        };
        samples.push(Sample {
            name,
            labels,
            value,
        });
    }
    Exposition { types, samples }
}

impl Exposition {
    /// The samples of `name` whose labels include `with`.
    fn find<'a>(
        &'a self,
        name: &'a str,
        with: &'a [(&'a str, &'a str)],
    ) -> impl Iterator<Item = &'a Sample> {
        self.samples.iter().filter(move |s| {
            s.name == name
                && with
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
    }

    fn one(&self, name: &str, with: &[(&str, &str)]) -> f64 {
        let found: Vec<_> = self.find(name, with).collect();
        assert_eq!(found.len(), 1, "one {name} {with:?}: {found:?}");
        found[0].value
    }
}

async fn scrape(app: &TestApp) -> Exposition {
    let res = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "no sign-in needed");
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    let exposition = parse(&res.text().await.unwrap());
    // Every sample belongs to a declared family.
    for s in &exposition.samples {
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| {
                s.name.strip_suffix(suffix).filter(|base| {
                    exposition
                        .types
                        .get(*base)
                        .is_some_and(|k| k == "histogram")
                })
            })
            .unwrap_or(s.name.as_str());
        assert!(
            exposition.types.contains_key(family),
            "{} has no TYPE",
            s.name
        );
    }
    exposition
}

#[tokio::test]
async fn metrics_show_the_requests_and_the_solve_after_a_solve() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 1.0).await;
    let planned = plan["routes"][0]["stops"][0]["request_id"]
        .as_i64()
        .unwrap();
    let (s, _) = app
        .get(&dispatcher, &format!("/api/v1/requests/{planned}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app.get(&dispatcher, "/api/v1/no-such-thing/42").await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let m = scrape(&app).await;
    let solve = "/api/v1/plans/{date}/solve";
    assert_eq!(m.types["giro_http_requests_total"], "counter");
    assert!(
        m.one(
            "giro_http_requests_total",
            &[("method", "POST"), ("route", solve), ("status", "202")]
        ) >= 1.0
    );
    let polls = m.one(
        "giro_http_requests_total",
        &[("method", "GET"), ("route", solve), ("status", "200")],
    );
    assert!(polls >= 1.0, "the test polled the solve: {polls}");
    assert!(
        m.one(
            "giro_http_requests_total",
            &[("route", "/api/v1/requests/{id}"), ("status", "200")]
        ) >= 1.0
    );
    assert!(
        m.one(
            "giro_http_requests_total",
            &[("route", "unmatched"), ("status", "404")]
        ) >= 1.0
    );
    // Route templates only: no id, no date, no raw path in any label.
    let date = app.date.to_string();
    for s in m.samples.iter().filter(|s| s.labels.contains_key("route")) {
        let route = &s.labels["route"];
        assert!(
            route == "unmatched"
                || (route.starts_with('/')
                    && !route.contains(&date)
                    && !route
                        .split('/')
                        .any(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()))),
            "{route}"
        );
    }

    // The latency histogram of the solve route, cumulative up to +Inf = count.
    let h = "giro_http_request_duration_seconds";
    assert_eq!(m.types[h], "histogram");
    let at = [("method", "POST"), ("route", solve)];
    let count = m.one(&format!("{h}_count"), &at);
    assert!(count >= 1.0);
    assert!(m.one(&format!("{h}_sum"), &at) > 0.0);
    let bucket = format!("{h}_bucket");
    let buckets: Vec<_> = m.find(&bucket, &at).collect();
    assert!(buckets.len() > 2, "{buckets:?}");
    assert!(
        buckets.windows(2).all(|w| w[0].value <= w[1].value),
        "cumulative: {buckets:?}"
    );
    assert_eq!(
        m.one(
            &bucket,
            &[("method", "POST"), ("route", solve), ("le", "+Inf")]
        ),
        count
    );

    // The solve: its time, its plan's figures, nothing running any more.
    let kind = [("kind", "solve")];
    assert_eq!(m.types["giro_solve_duration_seconds"], "histogram");
    assert!(m.one("giro_solve_duration_seconds_count", &kind) >= 1.0);
    assert!(m.one("giro_solve_duration_seconds_sum", &kind) > 0.0);
    assert_eq!(m.one("giro_solves_running", &kind), 0.0);
    assert_eq!(
        m.one("giro_solve_unassigned", &kind),
        plan["unassigned"].as_array().unwrap().len() as f64
    );
    let cost = plan["figures"]["cost"].as_f64().unwrap();
    assert!((m.one("giro_solve_cost", &kind) - cost).abs() <= 1e-9 * cost.abs().max(1.0));
    assert_eq!(m.one("giro_solve_failures_total", &kind), 0.0);

    // The database pools, read at the scrape.
    assert_eq!(m.types["giro_db_pool_connections"], "gauge");
    for state in ["idle", "in_use"] {
        assert!(
            m.one(
                "giro_db_pool_connections",
                &[("pool", "main"), ("state", state)]
            ) >= 0.0
        );
    }
    let max = m.one("giro_db_pool_max_connections", &[("pool", "main")]);
    let open = m.one(
        "giro_db_pool_connections",
        &[("pool", "main"), ("state", "idle")],
    ) + m.one(
        "giro_db_pool_connections",
        &[("pool", "main"), ("state", "in_use")],
    );
    assert!(max >= 1.0 && open <= max, "{open} of {max}");

    // Each instance counts its own: a second one has seen no solve.
    let peer = app.peer().await;
    let theirs = scrape(&peer).await;
    assert_eq!(
        theirs
            .find("giro_solve_duration_seconds_count", &kind)
            .count(),
        0
    );
    assert_eq!(
        theirs
            .find("giro_http_requests_total", &[("route", solve)])
            .count(),
        0
    );
}

#[tokio::test]
async fn healthz_and_readyz_answer_on_a_migrated_database() {
    let app = TestApp::spawn().await;
    let (s, body) = app.call(None, reqwest::Method::GET, "/healthz", None).await;
    assert_eq!(
        (s, &body),
        (StatusCode::OK, &serde_json::json!({"status": "ok"}))
    );
    let (s, body) = app.call(None, reqwest::Method::GET, "/readyz", None).await;
    assert_eq!(
        (s, &body),
        (StatusCode::OK, &serde_json::json!({"status": "ready"}))
    );
}

#[tokio::test]
async fn readyz_names_the_migrations_a_database_lacks() {
    let app = TestApp::spawn().await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&app.url).await.unwrap();
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let (s, body) = app.call(None, reqwest::Method::GET, "/readyz", None).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["reason"], "migrations_pending", "{body}");
    assert_eq!(body["pending"], 1, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("not applied"),
        "{body}"
    );
    let (s, _) = app.call(None, reqwest::Method::GET, "/healthz", None).await;
    assert_eq!(s, StatusCode::OK, "the process still serves");
}

#[tokio::test]
async fn readyz_says_so_when_the_database_does_not_answer() {
    let app = TestApp::spawn().await;
    app.store.close().await;
    let (s, body) = app.call(None, reqwest::Method::GET, "/readyz", None).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["reason"], "database_unreachable", "{body}");
    let (s, _) = app.call(None, reqwest::Method::GET, "/healthz", None).await;
    assert_eq!(s, StatusCode::OK, "the process still serves");
}

async fn request_id(app: &TestApp, path: &str, sent: Option<&str>) -> (StatusCode, String) {
    let mut req = app.http.get(app.url(path));
    if let Some(id) = sent {
        req = req.header("x-request-id", id);
    }
    let res = req.send().await.unwrap();
    let id = res
        .headers()
        .get("x-request-id")
        .unwrap_or_else(|| panic!("{path}: no x-request-id"))
        .to_str()
        .unwrap()
        .to_string();
    (res.status(), id)
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_sane_one_sent_is_kept() {
    let app = TestApp::spawn().await;
    // A probe, an API error, an unmatched API path, a page: all carry one.
    for (path, status) in [
        ("/healthz", StatusCode::OK),
        ("/api/v1/people", StatusCode::UNAUTHORIZED),
        ("/api/v1/no-such-thing", StatusCode::NOT_FOUND),
        ("/login", StatusCode::OK),
    ] {
        let (s, id) = request_id(&app, path, None).await;
        assert_eq!(s, status, "{path}");
        assert!(giro::ops::request_id::sane(&id), "{path}: {id}");
    }
    let (_, a) = request_id(&app, "/healthz", None).await;
    let (_, b) = request_id(&app, "/healthz", None).await;
    assert_ne!(a, b, "a new id per request");

    let kept = "lb-7f3a.9_Z";
    assert_eq!(request_id(&app, "/healthz", Some(kept)).await.1, kept);
    let longest = "a".repeat(64);
    assert_eq!(
        request_id(&app, "/healthz", Some(&longest)).await.1,
        longest
    );
    for insane in [
        "a".repeat(65),
        "two words".into(),
        "semi;colon".into(),
        "quote\"d".into(),
    ] {
        let (_, id) = request_id(&app, "/healthz", Some(&insane)).await;
        assert_ne!(id, insane);
        assert!(giro::ops::request_id::sane(&id), "{id}");
    }
}

/// The log lines written, shared with the subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// The server runs on this test's one thread, so a subscriber set for the
/// thread sees its requests, with the binary's default filter.
#[tokio::test]
async fn each_request_logs_one_json_line_with_its_id_route_and_status_never_the_query() {
    let lines = Captured::default();
    // With a single dispatcher registered, tracing caches a call site's
    // interest from the thread that meets it first: another test's thread,
    // with no subscriber, would switch the site off for good. A second one,
    // kept while the test runs, makes every site ask the thread's own.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let _logging = tracing::subscriber::set_default(logging::subscriber(
        LogFormat::Json,
        logging::DEFAULT_FILTER,
        lines.clone(),
    ));
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (_, listed) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let id = listed[0]["id"].as_i64().expect("the demo day has requests");
    let res = app
        .http
        .get(app.url(&format!("/api/v1/requests/{id}?name=Maria+Rossi")))
        .header(dispatcher.header.0, &dispatcher.header.1)
        .header("x-request-id", "log-check-1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    let logged: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("a JSON line: {l}")))
        .collect();
    let ours: Vec<_> = logged
        .iter()
        .filter(|l| l["span"]["request_id"] == "log-check-1")
        .collect();
    assert_eq!(ours.len(), 1, "one line for the request: {text}");
    let line = ours[0];
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["fields"]["message"], "served");
    assert_eq!(line["fields"]["status"], 200);
    assert!(line["fields"]["latency_ms"].as_f64().is_some(), "{line}");
    assert_eq!(line["span"]["method"], "GET");
    assert_eq!(line["span"]["route"], "/api/v1/requests/{id}");
    // The sign-in has its line too, under an id of its own.
    assert!(
        logged
            .iter()
            .any(|l| l["span"]["route"] == "/api/v1/login" && l["fields"]["status"] == 200),
        "{text}"
    );
    assert!(
        !text.contains("Maria"),
        "no query string in the log: {text}"
    );
    assert!(!text.contains(giro::demo::PASSWORD), "{text}");
}
