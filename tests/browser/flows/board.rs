//! The dispatcher's day on the board: solving with the progress bar moving,
//! the plan on the map and the timeline, a move that breaks a ride's maximum
//! ride time shown in words and then discarded, a route locked, the plan
//! published; the route sheets and the drivers' links pages are scanned too.

use std::time::Duration;

use giro::domain::Role;
use serde_json::{json, Value as Json};

use crate::harness::{Browser, Viewport};
use crate::suite::Suite;

const WAIT: Duration = Duration::from_secs(30);

async fn progress(b: &Browser) -> f64 {
    b.js(
        "return Number(document.getElementById('solve-progress').value);",
        vec![],
    )
    .await
    .as_f64()
    .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dispatcher_solves_edits_locks_and_publishes_the_day() {
    let s = Suite::start("board").await;
    let mut b = s.signed_in(Role::Dispatcher, 0, Viewport::Desktop).await;
    assert_eq!(b.path().await, "/board");
    b.find("#no-plan").await;
    b.checkpoint("board-empty").await;

    // Solve: the bar moves while the solver runs, then the plan is shown.
    b.select("#solve-seconds", "5").await;
    b.click("#solve-button").await;
    b.wait_js(
        "the progress bar running",
        "const p = document.getElementById('solve-progress');
         return p.dataset.running === 'true' && Number(p.value) > 0;",
        WAIT,
    )
    .await;
    let first = progress(&b).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let second = progress(&b).await;
    assert!(
        second > first,
        "the progress bar moves: {first} then {second}"
    );
    b.wait_find("#plan-status", WAIT).await;
    assert_eq!(
        b.find("#plan-status")
            .await
            .attr("data-status")
            .await
            .unwrap()
            .as_deref(),
        Some("draft")
    );

    let dispatcher = s.app.login_as(Role::Dispatcher).await;
    let day = format!("/api/v1/plans/{}", s.app.date);
    let (_, plan) = s.app.get(&dispatcher, &day).await;
    let routes = plan["routes"].as_array().expect("routes");
    let stops: usize = routes
        .iter()
        .map(|r| r["stops"].as_array().unwrap().len())
        .sum();
    assert_eq!(b.all("#timeline article.route").await.len(), routes.len());
    assert_eq!(
        b.all("#timeline g.block").await.len(),
        stops,
        "a block per stop"
    );
    // The map without tiles: a line per route and the places' names.
    b.find("#map.leaflet-container").await;
    assert!(b.all("#map .leaflet-overlay-pane path").await.len() >= routes.len());
    assert!(
        !b.all("#map .place-label").await.is_empty(),
        "places are named"
    );
    b.checkpoint_for_readme("board-solved", "board").await;

    // A ride moved to the start of the longest route, its dropoff to the end:
    // far too long on board. The warning is in words, next to the stops.
    let (route, request, n) = long_ride(&s, &plan).await;
    b.click(&format!("#stops-toggle-{route}")).await;
    b.click(&format!("[data-testid=edit-{request}]")).await;
    b.find("#edit-panel:not([hidden])").await;
    b.select("#edit-route", &route.to_string()).await;
    b.fill("#edit-pickup", "1").await;
    b.fill("#edit-dropoff", &n.to_string()).await;
    b.click("#edit-move").await;
    let warning = b
        .wait_find("#edit-violations li[data-kind=ride_time]", WAIT)
        .await
        .text()
        .await
        .unwrap();
    let who = b
        .js(
            "return JSON.parse(document.getElementById('board-data').textContent).who[arguments[0]];",
            vec![json!(request.to_string())],
        )
        .await;
    assert!(
        warning.contains(who.as_str().unwrap_or("?"))
            && warning.chars().any(|c| c.is_ascii_digit()),
        "the warning names the person and the minutes: {warning:?}"
    );
    assert!(!warning.contains("ride_time"), "in words: {warning:?}");
    assert!(
        !b.all("[data-testid=violation]").await.is_empty(),
        "next to the stops"
    );
    b.checkpoint("board-edit-violation").await;

    // Undone: discarded before saving, nothing written.
    b.click("#edit-discard").await;
    b.wait_js(
        "the warning gone",
        "return document.getElementById('edit-result').hidden && !document.querySelector('tr.violated');",
        WAIT,
    )
    .await;
    let (_, unchanged) = s.app.get(&dispatcher, &day).await;
    assert_eq!(
        unchanged["version"], plan["version"],
        "the discarded move wrote nothing"
    );

    // Lock the longest route: the next solve keeps it.
    b.click_to_navigate(&format!("#lock-{route}")).await;
    assert_eq!(
        b.find(&format!("#lock-{route}"))
            .await
            .attr("aria-pressed")
            .await
            .unwrap()
            .as_deref(),
        Some("true"),
        "the page shows the route locked"
    );
    let (_, locked) = s.app.get(&dispatcher, &day).await;
    let r = locked["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == route)
        .expect("the route is still there");
    assert_eq!(r["locked"], json!(true), "{r}");

    b.click_to_navigate("#publish-button").await;
    assert_eq!(
        b.find("#plan-status")
            .await
            .attr("data-status")
            .await
            .unwrap()
            .as_deref(),
        Some("published")
    );
    let (_, published) = s.app.get(&dispatcher, &day).await;
    assert_eq!(published["status"], "published");
    b.checkpoint("board-published").await;

    b.goto(&format!("/board/{}/sheets", s.app.date)).await;
    b.find("main").await;
    b.checkpoint("board-sheets").await;
    b.goto("/board/drivers").await;
    b.find("main").await;
    b.checkpoint("board-drivers").await;
    b.close().await;
}

/// The longest route that carries rides, its last ride, and the route's stop count.
async fn long_ride(s: &Suite, plan: &Json) -> (i64, i64, usize) {
    let dispatcher = s.app.login_as(Role::Dispatcher).await;
    let (_, requests) = s
        .app
        .get(
            &dispatcher,
            &format!("/api/v1/requests?date={}", s.app.date),
        )
        .await;
    let is_ride = |id: &Json| {
        requests
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| r["id"] == *id && r["kind"] == "ride")
    };
    let rides_on = |r: &&Json| {
        r["stops"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["role"] == "pickup" && is_ride(&s["request_id"]))
    };
    let route = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(rides_on)
        .max_by_key(|r| r["stops"].as_array().unwrap().len())
        .expect("a route carries rides");
    let stops = route["stops"].as_array().unwrap();
    let ride = stops
        .iter()
        .rev()
        .find(|s| s["role"] == "pickup" && is_ride(&s["request_id"]))
        .expect("the route carries a ride");
    (
        route["id"].as_i64().unwrap(),
        ride["request_id"].as_i64().unwrap(),
        stops.len(),
    )
}
