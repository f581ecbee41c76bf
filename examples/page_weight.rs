//! Page weight and speed in headless Chromium (a benchmark, not a test):
//! the driver page's bytes transferred on a first load (empty cache, through
//! the personal link) and on a repeat load (cache and service worker warm),
//! and the board's time to interactive for the demo day (median of 5).
//!
//! `cargo run --release --features bench-tools --example page_weight`

#[allow(dead_code)]
#[path = "../tests/browser/artifacts.rs"]
mod artifacts;
#[allow(dead_code)]
#[path = "../tests/browser/gate.rs"]
mod gate;
#[allow(dead_code)]
#[path = "../tests/browser/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../tests/service/support.rs"]
mod support;

use std::time::Duration;

use giro::domain::Role;
use harness::{Browser, Chromedriver, Viewport};
use serde_json::{json, Value as Json};
use support::TestApp;

/// Bytes on the wire per request of the log since the last read
/// (`Network.loadingFinished`'s encodedDataLength: headers and body).
async fn transferred(b: &mut Browser, since: usize) -> (u64, usize) {
    let log = b.read_network_log().await;
    let finished: Vec<&Json> = log[since..]
        .iter()
        .filter(|m| m["method"] == "Network.loadingFinished")
        .collect();
    let mut bytes = 0;
    for m in &finished {
        let id = &m["params"]["requestId"];
        let url = log[since..]
            .iter()
            .find(|r| r["method"] == "Network.requestWillBeSent" && r["params"]["requestId"] == *id)
            .and_then(|r| r["params"]["request"]["url"].as_str())
            .unwrap_or("?");
        let n = m["params"]["encodedDataLength"].as_f64().unwrap_or(0.0) as u64;
        println!("  {n:>8} B  {url}");
        bytes += n;
    }
    (bytes, finished.len())
}

async fn settle(b: &Browser) {
    b.wait_js(
        "the page loaded",
        "return document.readyState === 'complete';",
        Duration::from_secs(20),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
}

#[tokio::main]
async fn main() {
    let app = TestApp::spawn_on(chrono::Local::now().date_naive()).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 5.0).await;
    let (s, _) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/publish", app.date),
            json!({"revision": plan["revision"], "version": plan["version"]}),
        )
        .await;
    assert!(s.is_success(), "publish");
    let volunteer = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|r| r["stops"].as_array().map_or(0, Vec::len))
        .and_then(|r| r["volunteer_id"].as_i64())
        .expect("a driven route");
    let mut user = None;
    for l in app.demo.logins.iter().filter(|l| l.role == Role::Driver) {
        let (u, _) = app.store.user_for_login(&l.email).await.unwrap().unwrap();
        if u.volunteer_id == Some(volunteer) {
            user = Some(u.id);
        }
    }
    let (_, link) = app
        .post(
            &dispatcher,
            &format!("/api/v1/users/{}/link", user.expect("the driver")),
            json!({}),
        )
        .await;
    let link = link["path"].as_str().expect("a personal link").to_string();

    let driver = Chromedriver::start().await;
    let mut b = Browser::open(&driver, &app.url(""), "page_weight", Viewport::Phone).await;
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.clearBrowserCache", json!({})).await;
    let start = b.read_network_log().await.len();
    b.goto(&link).await;
    settle(&b).await;
    let (first, first_n) = transferred(&mut b, start).await;
    let start = b.read_network_log().await.len();
    b.goto("/driver").await;
    settle(&b).await;
    let (repeat, repeat_n) = transferred(&mut b, start).await;
    b.close().await;

    let mut b = Browser::open(&driver, &app.url(""), "page_weight", Viewport::Desktop).await;
    b.goto("/login").await;
    b.fill("#email", &app.email(Role::Dispatcher, 0)).await;
    b.fill("#password", giro::demo::PASSWORD).await;
    b.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
    // Time to interactive: navigation start to the moment the solve button is
    // enabled by the board's script (its last step) with the load event done.
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "new MutationObserver((_, o) => {
            const s = document.getElementById('solve-button');
            if (s && !s.disabled && window.__tti === undefined) { window.__tti = performance.now(); o.disconnect(); }
        }).observe(document, {subtree: true, childList: true, attributes: true});"}),
    )
    .await;
    let mut tti = Vec::new();
    for _ in 0..5 {
        b.goto(&format!("/board/{}", app.date)).await;
        let t = b
            .wait_js(
                "the board interactive",
                "const n = performance.getEntriesByType('navigation')[0];
                 return window.__tti !== undefined && n.loadEventEnd > 0 ? Math.max(window.__tti, n.loadEventEnd) : 0;",
                Duration::from_secs(30),
            )
            .await;
        tti.push(t.as_f64().unwrap_or(f64::NAN));
    }
    b.close().await;
    tti.sort_by(f64::total_cmp);

    println!("driver page, first load (empty cache, via the personal link): {first} bytes in {first_n} responses ({:.1} KB)", first as f64 / 1024.0);
    println!("driver page, repeat load (warm cache and service worker): {repeat} bytes in {repeat_n} responses ({:.1} KB)", repeat as f64 / 1024.0);
    println!(
        "board, time to interactive for the demo day: median {:.0} ms (runs: {})",
        tti[tti.len() / 2],
        tti.iter()
            .map(|t| format!("{t:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
