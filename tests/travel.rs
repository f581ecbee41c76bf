//! The OSRM client against a real (fake) OSRM HTTP server on 127.0.0.1: unit
//! conversion, the pair cache, error answers, and servers that are down or
//! silent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use giro::travel::{from_config, Osrm, Point, TravelConfig, TravelError, TravelTimes};

/// What the fake server answers.
#[derive(Clone, Copy)]
enum Mode {
    Table,
    /// `{"code":"InvalidQuery",...}` with HTTP 400, as OSRM does.
    InvalidQuery,
    /// No route from the second point to the third.
    NullPair,
}

struct Fake {
    base: String,
    hits: Arc<AtomicUsize>,
}

impl Fake {
    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    fn client(&self) -> Osrm {
        Osrm::new(&self.base, Duration::from_secs(2))
    }
}

async fn spawn_fake(mode: Mode) -> Fake {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/table/v1/driving/{coords}", get(table))
        .with_state((mode, hits.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Fake {
        base: format!("http://{addr}"),
        hits,
    }
}

/// Made-up but deterministic road figures, asymmetric so a transposed
/// matrix would be caught: metres then seconds (at 8 m/s).
fn fake_metres(from: Point, to: Point, from_index: usize, to_index: usize) -> f64 {
    let base = ((to.lat - from.lat).abs() + (to.lon - from.lon).abs()) * 111_000.0;
    if from_index < to_index {
        base
    } else {
        base + 250.0
    }
}

fn fake_seconds(metres: f64) -> f64 {
    metres / 8.0
}

async fn table(
    State((mode, hits)): State<(Mode, Arc<AtomicUsize>)>,
    Path(coords): Path<String>,
    RawQuery(query): RawQuery,
) -> (StatusCode, Json<Value>) {
    hits.fetch_add(1, Ordering::SeqCst);
    let invalid = |message: &str| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"code": "InvalidQuery", "message": message})),
        )
    };
    if let Mode::InvalidQuery = mode {
        return invalid("Query string malformed close to position 42");
    }
    if query.as_deref() != Some("annotations=duration,distance") {
        return invalid("expected annotations=duration,distance");
    }
    // "lon,lat;lon,lat", each with exactly six decimals.
    let mut points = Vec::new();
    for pair in coords.split(';') {
        let parts: Vec<&str> = pair.split(',').collect();
        let six = parts
            .iter()
            .all(|x| x.split_once('.').is_some_and(|(_, d)| d.len() == 6));
        if parts.len() != 2 || !six {
            return invalid("coordinates must be lon,lat with six decimals");
        }
        let (Ok(lon), Ok(lat)) = (parts[0].parse(), parts[1].parse()) else {
            return invalid("coordinate is not a number");
        };
        points.push(Point { lat, lon });
    }
    let n = points.len();
    let mut durations = vec![vec![json!(0.0); n]; n];
    let mut distances = vec![vec![json!(0.0); n]; n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            if matches!(mode, Mode::NullPair) && (i, j) == (1, 2) {
                durations[i][j] = Value::Null;
                distances[i][j] = Value::Null;
                continue;
            }
            let m = fake_metres(points[i], points[j], i, j);
            durations[i][j] = json!(fake_seconds(m));
            distances[i][j] = json!(m);
        }
    }
    (
        StatusCode::OK,
        Json(json!({"code": "Ok", "durations": durations, "distances": distances})),
    )
}

fn places() -> Vec<Point> {
    vec![
        Point {
            lat: 44.276174,
            lon: 9.397524,
        }, // Sestri Levante station
        Point {
            lat: 44.307347,
            lon: 9.344878,
        }, // Lavagna
        Point {
            lat: 44.3168,
            lon: 9.3224,
        }, // Chiavari
    ]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[tokio::test]
async fn osrm_figures_are_converted_to_minutes_and_km() {
    let fake = spawn_fake(Mode::Table).await;
    let osrm = fake.client();
    let pts = places();
    let m = osrm.matrix(&pts).await.unwrap();
    assert_eq!(fake.hits(), 1);
    assert_eq!(
        (m.size, m.source.as_str(), osrm.name()),
        (3, "osrm", "osrm")
    );
    for i in 0..3 {
        for j in 0..3 {
            let metres = if i == j {
                0.0
            } else {
                fake_metres(pts[i], pts[j], i, j)
            };
            assert!(close(m.km_between(i, j), metres / 1000.0), "km {i}->{j}");
            assert!(
                close(m.minutes_between(i, j), fake_seconds(metres) / 60.0),
                "minutes {i}->{j}"
            );
        }
    }
    // Direction matters: the fake adds 250 m going "backwards".
    assert!(close(m.km_between(1, 0) - m.km_between(0, 1), 0.25));
}

#[tokio::test]
async fn repeated_and_subset_requests_hit_the_cache() {
    let fake = spawn_fake(Mode::Table).await;
    let osrm = fake.client();
    let pts = places();
    let first = osrm.matrix(&pts).await.unwrap();
    let again = osrm.matrix(&pts).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(fake.hits(), 1, "same points: no new request");

    // A reordered subset is answered from the cache, pairs in the new order.
    let subset = [pts[2], pts[0]];
    let sub = osrm.matrix(&subset).await.unwrap();
    assert_eq!(fake.hits(), 1, "subset: no new request");
    assert_eq!(sub.km_between(0, 1), first.km_between(2, 0));
    assert_eq!(sub.minutes_between(1, 0), first.minutes_between(0, 2));

    // Same place within rounding (1e-7 degrees off) still hits.
    let nudged = [
        Point {
            lat: pts[0].lat + 1e-7,
            lon: pts[0].lon,
        },
        pts[1],
    ];
    osrm.matrix(&nudged).await.unwrap();
    assert_eq!(fake.hits(), 1, "rounded to the same micro-degree");

    // A new place needs OSRM once, then it is known too.
    let zoagli = Point {
        lat: 44.3367,
        lon: 9.2674,
    };
    osrm.matrix(&[pts[1], zoagli]).await.unwrap();
    assert_eq!(fake.hits(), 2);
    osrm.matrix(&[zoagli, pts[1]]).await.unwrap();
    assert_eq!(fake.hits(), 2);

    // One point, or none: nothing to ask.
    let single = osrm.matrix(&[zoagli]).await.unwrap();
    assert_eq!((single.size, single.minutes.clone()), (1, vec![0.0]));
    assert_eq!(osrm.matrix(&[]).await.unwrap().size, 0);
    assert_eq!(fake.hits(), 2);
}

#[tokio::test]
async fn osrm_error_answer_names_code_and_message() {
    let fake = spawn_fake(Mode::InvalidQuery).await;
    let err = fake.client().matrix(&places()).await.unwrap_err();
    assert_eq!(
        err,
        TravelError::OsrmBadAnswer {
            code: "InvalidQuery".into(),
            message: "Query string malformed close to position 42".into(),
        }
    );
    let text = err.to_string();
    assert!(
        text.contains("InvalidQuery") && text.contains("position 42"),
        "{text}"
    );
}

#[tokio::test]
async fn null_entry_is_no_route_naming_the_pair() {
    let fake = spawn_fake(Mode::NullPair).await;
    let osrm = fake.client();
    let err = osrm.matrix(&places()).await.unwrap_err();
    assert_eq!(err, TravelError::NoRoute { from: 1, to: 2 });
    assert_eq!(err.to_string(), "no road route from point 1 to point 2");
    // A failed table is not cached: asking again asks OSRM again.
    osrm.matrix(&places()).await.unwrap_err();
    assert_eq!(fake.hits(), 2);
}

#[tokio::test]
async fn invalid_point_is_rejected_before_any_request() {
    let fake = spawn_fake(Mode::Table).await;
    let mut pts = places();
    pts[1].lat = f64::NAN;
    let err = fake.client().matrix(&pts).await.unwrap_err();
    assert!(
        matches!(err, TravelError::InvalidPoint { index: 1, .. }),
        "{err:?}"
    );
    assert_eq!(fake.hits(), 0);
}

#[tokio::test]
async fn unreachable_server_is_a_clean_error() {
    // A port that was free a moment ago and now has nobody listening.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let cfg = TravelConfig {
        osrm_url: Some(format!("http://{addr}")),
        osrm_timeout_secs: 1,
        ..TravelConfig::default()
    };
    let travel = from_config(&cfg);
    let result = tokio::time::timeout(Duration::from_secs(10), travel.matrix(&places()))
        .await
        .expect("an unreachable server must not hang the caller");
    match result {
        Err(TravelError::OsrmUnreachable { url, reason }) => {
            assert_eq!(url, format!("http://{addr}"));
            assert!(!reason.is_empty());
        }
        // A firewall that drops instead of refusing ends as a timeout.
        Err(TravelError::OsrmTimeout { .. }) => {}
        other => panic!("expected an unreachable error, got {other:?}"),
    }
}

#[tokio::test]
async fn silent_server_times_out() {
    // Bound but never accepting: the connection completes in the kernel's
    // backlog and the request is never answered.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let osrm = Osrm::new(&base, Duration::from_millis(300));
    let result = tokio::time::timeout(Duration::from_secs(10), osrm.matrix(&places()))
        .await
        .expect("the client's own timeout must fire first");
    match result {
        Err(e @ TravelError::OsrmTimeout { .. }) => {
            assert!(e.to_string().contains("0.3 s"), "{e}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    drop(listener);
}

#[tokio::test]
async fn default_config_is_offline_haversine() {
    let travel: Arc<dyn TravelTimes> = from_config(&TravelConfig::default());
    let m = travel.matrix(&places()).await.unwrap();
    assert_eq!(
        (travel.name(), m.source.as_str()),
        ("haversine", "haversine")
    );
    // Sestri to Lavagna: ~5.5 km straight, 1.3 detour, minutes > 0.
    assert!(
        (m.km_between(0, 1) - 5.5 * 1.3).abs() < 0.3,
        "{}",
        m.km_between(0, 1)
    );
    assert!(m.minutes_between(0, 1) > 0.0);
}
