//! The Prometheus series, all defined here, in a registry of the instance's
//! own (`AppState::metrics`): no process-wide recorder, so apps in one process
//! (the tests) never mix their counts. Scraped at `/metrics` in the text
//! format (0.0.4).

use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};

use crate::service::AppState;
use crate::store::PoolStats;

/// The `route` of a request no route matched: never the raw path, whose ids
/// and dates would make a series per person and day.
pub const UNMATCHED: &str = "unmatched";

/// What the solver was asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SolveKind {
    /// A date solved in the background (`POST /plans/{date}/solve`).
    Solve,
    /// The rest of a published day (`POST /plans/{date}/replan`).
    Replan,
    /// One request into the plan as it stands (`POST /plans/{date}/fit…`).
    Fit,
}

impl SolveKind {
    fn label(self) -> KindLabels {
        KindLabels {
            kind: match self {
                SolveKind::Solve => "solve",
                SolveKind::Replan => "replan",
                SolveKind::Fit => "fit",
            },
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolName {
    pool: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Histograms<RouteLabels>,
    solves_running: Family<KindLabels, Gauge>,
    solve_seconds: Histograms<KindLabels>,
    solve_failures: Family<KindLabels, Counter>,
    solve_cost: Family<KindLabels, Gauge<f64, AtomicU64>>,
    solve_unassigned: Family<KindLabels, Gauge>,
    pool_connections: Family<PoolLabels, Gauge>,
    pool_max: Family<PoolName, Gauge>,
}

/// 5 ms to about 10 s: a page or a JSON answer.
fn request_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// 10 ms (a fit) to the 600 s a solve may be given.
fn solve_histogram() -> Histogram {
    Histogram::new([
        0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
    ])
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("giro");
        let requests = Family::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let request_seconds = Family::new_with_constructor(request_histogram as fn() -> _);
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request (to the response head), by method and route template",
            Unit::Seconds,
            request_seconds.clone(),
        );
        let solves_running: Family<KindLabels, Gauge> = Family::default();
        registry.register(
            "solves_running",
            "Solver work running on this instance, by kind",
            solves_running.clone(),
        );
        let solve_seconds = Family::new_with_constructor(solve_histogram as fn() -> _);
        registry.register_with_unit(
            "solve_duration",
            "Time solver work took, by kind (a solve: from reading the day to saving the plan)",
            Unit::Seconds,
            solve_seconds.clone(),
        );
        let solve_failures: Family<KindLabels, Counter> = Family::default();
        registry.register(
            "solve_failures",
            "Background solves that ended without a plan (failed, crashed, let go), by kind",
            solve_failures.clone(),
        );
        let solve_cost = Family::default();
        registry.register(
            "solve_cost",
            "Cost of the last plan made, by kind",
            solve_cost.clone(),
        );
        let solve_unassigned = Family::default();
        registry.register(
            "solve_unassigned",
            "Requests left out of the last plan made, by kind",
            solve_unassigned.clone(),
        );
        let pool_connections = Family::default();
        registry.register(
            "db_pool_connections",
            "Database connections open, idle or in use, per pool (at scrape time)",
            pool_connections.clone(),
        );
        let pool_max = Family::default();
        registry.register(
            "db_pool_max_connections",
            "The most connections each database pool opens",
            pool_max.clone(),
        );
        // From the start, so a scraper sees 0 rather than nothing.
        for kind in [SolveKind::Solve, SolveKind::Replan, SolveKind::Fit] {
            solves_running.get_or_create(&kind.label()).set(0);
            solve_failures.get_or_create(&kind.label()).inc_by(0);
        }
        Self {
            registry,
            requests,
            request_seconds,
            solves_running,
            solve_seconds,
            solve_failures,
            solve_cost,
            solve_unassigned,
            pool_connections,
            pool_max,
        }
    }

    fn request(&self, method: &Method, route: String, status: StatusCode, took: Duration) {
        let method = method_label(method);
        self.request_seconds
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(took.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status: status.as_u16(),
            })
            .inc();
    }

    /// Solver work begins: counted as running until the guard goes.
    pub fn solving(&self, kind: SolveKind) -> Solving<'_> {
        self.solves_running.get_or_create(&kind.label()).inc();
        Solving {
            metrics: self,
            kind,
            started: Instant::now(),
        }
    }

    /// The series as text; the pools are read now.
    pub fn render(&self, pools: &[(&'static str, PoolStats)]) -> String {
        for &(pool, stats) in pools {
            for (state, n) in [("idle", stats.idle), ("in_use", stats.in_use)] {
                self.pool_connections
                    .get_or_create(&PoolLabels { pool, state })
                    .set(i64::from(n));
            }
            self.pool_max
                .get_or_create(&PoolName { pool })
                .set(i64::from(stats.max));
        }
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)
            .expect("writing to a String does not fail");
        text
    }
}

/// Solver work under way (`Metrics::solving`), running until dropped. Its
/// time is kept when it ends with `made` or `answered`; a background solve
/// that fails says so with `failed`. Work refused for its input (answered
/// 4xx) keeps nothing but its request's count.
pub struct Solving<'a> {
    metrics: &'a Metrics,
    kind: SolveKind,
    started: Instant,
}

impl Solving<'_> {
    /// The work made a plan: its cost and the requests it left out.
    pub fn made(self, cost: f64, unassigned: usize) {
        let labels = self.kind.label();
        let m = self.metrics;
        m.solve_cost.get_or_create(&labels).set(cost);
        m.solve_unassigned
            .get_or_create(&labels)
            .set(i64::try_from(unassigned).unwrap_or(i64::MAX));
        self.end();
    }

    /// The work answered without a plan (a fit question).
    pub fn answered(self) {
        self.end();
    }

    /// The work ended without a plan: failed, crashed or let go.
    pub fn failed(self) {
        self.metrics
            .solve_failures
            .get_or_create(&self.kind.label())
            .inc();
    }

    fn end(&self) {
        self.metrics
            .solve_seconds
            .get_or_create(&self.kind.label())
            .observe(self.started.elapsed().as_secs_f64());
    }
}

impl Drop for Solving<'_> {
    fn drop(&mut self) {
        self.metrics
            .solves_running
            .get_or_create(&self.kind.label())
            .dec();
    }
}

/// Methods beyond the usual ones share one label value (bounded cardinality).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The route template the request matched (`/api/v1/people/{id}`), or
/// `unmatched`. Needs the router's `MatchedPath`: run inside `Router::layer`.
pub fn route_of<B>(req: &axum::http::Request<B>) -> String {
    req.extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned()
}

/// Middleware: counts and times every request by route template and status.
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (method, route) = (req.method().clone(), route_of(&req));
    let started = Instant::now();
    let res = next.run(req).await;
    state
        .metrics
        .request(&method, route, res.status(), started.elapsed());
    res
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(&state.store.pool_stats());
    (
        [(
            header::CONTENT_TYPE,
            prometheus_client::encoding::prometheus_text::CONTENT_TYPE,
        )],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solver_work_runs_until_it_ends_and_keeps_its_figures() {
        let m = Metrics::new();
        let solving = m.solving(SolveKind::Replan);
        let running = |m: &Metrics| {
            m.solves_running
                .get_or_create(&SolveKind::Replan.label())
                .get()
        };
        assert_eq!(running(&m), 1);
        solving.failed();
        assert_eq!(running(&m), 0);
        let text = m.render(&[]);
        assert!(
            text.contains("giro_solve_failures_total{kind=\"replan\"} 1"),
            "{text}"
        );
        assert!(
            !text.contains("giro_solve_duration_seconds_count{kind=\"replan\"}"),
            "a failure keeps no time: {text}"
        );
        m.solving(SolveKind::Replan).made(12.5, 3);
        let text = m.render(&[]);
        assert!(
            text.contains("giro_solve_cost{kind=\"replan\"} 12.5"),
            "{text}"
        );
        assert!(
            text.contains("giro_solve_unassigned{kind=\"replan\"} 3"),
            "{text}"
        );
        assert!(
            text.contains("giro_solve_duration_seconds_count{kind=\"replan\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("giro_solve_failures_total{kind=\"replan\"} 1"),
            "a plan made is no failure: {text}"
        );
        drop(m.solving(SolveKind::Fit));
        assert_eq!(
            m.solves_running
                .get_or_create(&SolveKind::Fit.label())
                .get(),
            0,
            "refused work stops running too"
        );
    }

    #[test]
    fn unusual_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(
            method_label(&Method::from_bytes(b"PROPFIND").unwrap()),
            "OTHER"
        );
    }
}
