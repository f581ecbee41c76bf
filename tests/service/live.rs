//! The live day through the API and the board: a driver reports the first
//! stops done late, and `/plans/{date}/live` and the board show them done,
//! the following stops expected later by the delay, the late ones flagged.

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

use super::html::page;
use super::support::{f, TestApp};

#[tokio::test]
async fn late_reports_push_the_following_stops_and_flag_the_late_ones() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let live_path = format!("/api/v1/plans/{}/live", app.date);
    app.solve(&dispatcher, 1.0).await;
    // Nothing published yet: no live day.
    let (s, _) = app.get(&dispatcher, &live_path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let plan = app.publish_newest(&dispatcher).await;
    // The driven route with the most stops.
    let route = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["volunteer_id"].is_i64())
        .max_by_key(|r| r["stops"].as_array().unwrap().len())
        .unwrap()
        .clone();
    let stops = route["stops"].as_array().unwrap().clone();
    assert!(stops.len() >= 4, "a route long enough: {}", stops.len());
    let (_, requests) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let close = |stop: &Value| -> Option<f64> {
        let r = requests
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == stop["request_id"])?;
        let hm = |v: &Value| {
            let (h, m) = v.as_str().unwrap().split_once(':').unwrap();
            h.parse::<f64>().unwrap() * 60.0 + m.parse::<f64>().unwrap()
        };
        (r["window_at"] == stop["role"]).then(|| hm(&r["window"]["end"]))
    };
    let live_route = |live: &Value| -> Value {
        live["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["route_id"] == route["id"])
            .unwrap()
            .clone()
    };

    // Before any report: the plan's times, the vehicle at its start.
    let (s, live) = app.get(&dispatcher, &live_path).await;
    assert_eq!(s, StatusCode::OK, "{live}");
    assert_eq!(live["revision"], plan["revision"]);
    let lr = live_route(&live);
    assert!(lr["last_position"]["key"].is_null());
    assert_eq!(f(&lr["last_position"]["time_min"]), f(&route["start_min"]));
    for (n, (l, p)) in lr["stops"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&stops)
        .enumerate()
    {
        assert_eq!(l["key"], p["key"]);
        assert_eq!(l["status"], if n == 0 { "next" } else { "ahead" });
        assert_eq!(f(&l["expected_min"]), f(&p["start_min"]));
        assert_eq!(l["delay_min"], 0);
        assert_eq!(l["planned"], p["time"]);
    }

    // The driver reports the first two stops done, 90 minutes late.
    let (_, driver) = app.driver_of(route["volunteer_id"].as_i64().unwrap()).await;
    let late = 90.0;
    let first: Vec<(usize, &Value)> = stops.iter().take(2).enumerate().collect();
    app.report_done(&driver, &first, "live-test", late).await;
    let (s, live) = app.get(&dispatcher, &live_path).await;
    assert_eq!(s, StatusCode::OK, "{live}");
    let lr = live_route(&live);
    assert_eq!(lr["last_position"]["key"], stops[1]["key"]);
    assert_eq!(lr["last_position"]["place_id"], stops[1]["place_id"]);
    assert!(
        (f(&lr["last_position"]["time_min"]) - f(&stops[1]["departure_min"]) - late).abs() < 0.01
    );
    let ls = lr["stops"].as_array().unwrap();
    assert_eq!(ls[0]["status"], "done");
    assert_eq!(ls[1]["status"], "done");
    assert!(ls[0]["expected"].is_null() && !ls[0]["late"].as_bool().unwrap());
    assert_eq!(ls[2]["status"], "next");
    let mut flagged = Vec::new();
    for (l, p) in ls.iter().zip(&stops).skip(2) {
        if l["status"] == "void" {
            continue;
        }
        assert_eq!(
            l["status"],
            if l["key"] == ls[2]["key"] {
                "next"
            } else {
                "ahead"
            }
        );
        let expected = f(&l["expected_min"]);
        // Pushed by the delay, less the waits the plan had.
        assert!(expected > f(&p["start_min"]), "{l} against {p}");
        assert!(l["delay_min"].as_i64().unwrap() > 0, "{l}");
        let should = close(p).is_some_and(|c| expected > c + 1e-6);
        assert_eq!(l["late"].as_bool().unwrap(), should, "{l}");
        if should {
            flagged.push(l["key"].as_str().unwrap().to_string());
        }
    }
    // The next stop is 90 minutes late less its planned wait.
    let next = &stops[2];
    let wait = f(&next["start_min"]) - f(&next["arrival_min"]);
    assert!(
        f(&ls[2]["expected_min"]) >= f(&next["arrival_min"]) + late - 0.01,
        "{} against {next}",
        ls[2]
    );
    assert!(ls[2]["delay_min"].as_i64().unwrap() >= (late - wait).floor() as i64);
    assert!(
        !flagged.is_empty(),
        "90 minutes late misses some window: {ls:?}"
    );

    // A driver sees only his or her own route; members none.
    let (s, mine) = app.get(&driver, &live_path).await;
    assert_eq!(s, StatusCode::OK, "{mine}");
    assert_eq!(mine["routes"].as_array().unwrap().len(), 1);
    assert_eq!(mine["routes"][0]["route_id"], route["id"]);
    let member = app.login_as(Role::Member).await;
    let (s, _) = app.get(&member, &live_path).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The board shows the same: done stops marked, expected times, late ones in words.
    let (s, _, html) = page(&app, Some(&dispatcher), &format!("/board/{}", app.date)).await;
    assert_eq!(s, StatusCode::OK);
    for stop in stops.iter().take(2) {
        let key = stop["key"].as_str().unwrap();
        let row = html
            .find(&format!("id=\"stop-{key}\""))
            .unwrap_or_else(|| panic!("row of {key}"));
        let tag = &html[row..row + html[row..].find('>').unwrap()];
        assert!(
            tag.contains("data-live=\"done\" class=\"live-done\""),
            "{tag}"
        );
    }
    let next_key = stops[2]["key"].as_str().unwrap();
    let cell_start = html
        .find(&format!("id=\"live-{next_key}\""))
        .expect("live cell");
    let cell = &html[cell_start..cell_start + html[cell_start..].find("</td>").unwrap()];
    assert!(
        cell.contains("prossima") && cell.contains("previsto"),
        "{cell}"
    );
    for key in &flagged {
        assert!(html.contains(&format!("id=\"late-{key}\"")), "late {key}");
    }
    assert!(html.contains("in ritardo sulla finestra"));
    assert!(html.contains(&format!("id=\"last-seen-{}\"", route["id"])));
    assert!(html.contains("Ultima posizione:"));
}
