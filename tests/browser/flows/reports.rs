//! The report page in Chromium: the dispatcher opens it from the board's
//! menu, sees the figures and the SVG charts (each with a title), scanned
//! and photographed; printed, the form and menus are gone and the charts
//! stay; a range ending before it starts marks the `to` field.

use giro::domain::Role;
use serde_json::json;

use crate::harness::Viewport;
use crate::suite::Suite;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dispatcher_reads_the_report_with_its_charts_and_prints_it() {
    let s = Suite::start("reports").await;
    s.solve_and_publish().await;
    let day = s.app.date;
    let mut b = s.signed_in(Role::Dispatcher, 0, Viewport::Desktop).await;
    b.goto("/board").await;
    b.click_to_navigate("header a[href='/board/reports']").await;
    assert_eq!(b.path().await, "/board/reports");
    b.set_value("#from", &day.to_string()).await;
    b.set_value("#to", &day.to_string()).await;
    b.click_to_navigate("#report-go").await;
    b.find("#report-services").await;
    let charts = b
        .js(
            "return [...document.querySelectorAll('svg.chart')].map(s => ({
               id: s.id, title: s.querySelector('title').textContent,
               bars: s.querySelectorAll('rect').length }));",
            vec![],
        )
        .await;
    let list = charts.as_array().unwrap();
    assert!(!list.is_empty(), "charts: {charts}");
    assert!(list.iter().any(|c| c["id"] == "chart-services"), "{charts}");
    for c in list {
        assert!(!c["title"].as_str().unwrap().is_empty(), "{c}");
        assert!(c["bars"].as_u64().unwrap() > 0, "{c}");
    }
    // The figures are the API's.
    let dispatcher = s.app.login_as(Role::Dispatcher).await;
    let (_, report) = s
        .app
        .get(&dispatcher, &format!("/api/v1/reports?from={day}&to={day}"))
        .await;
    let requests = b
        .text("#report-services tbody tr:first-child td:nth-of-type(1)")
        .await;
    assert_eq!(requests, report["services"][0]["requests"].to_string());
    b.find("#report-csv").await;
    b.checkpoint("report").await;

    // On paper: no menu, form or buttons; the charts and tables stay.
    b.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await;
    let printed = b
        .js(
            "const shown = el => !!el && el.getClientRects().length > 0;
             return {
               header: shown(document.querySelector('header.top')),
               form: shown(document.querySelector('#report-form')),
               csv: shown(document.querySelector('#report-csv')),
               chart: shown(document.querySelector('#chart-services')),
               table: shown(document.querySelector('#report-services')),
             };",
            vec![],
        )
        .await;
    assert_eq!(
        printed,
        json!({"header": false, "form": false, "csv": false, "chart": true, "table": true})
    );
    let shot = crate::artifacts::dir()
        .join("reports")
        .join("report-print.png");
    b.screenshot_to(&shot).await;
    b.cdp("Emulation.setEmulatedMedia", json!({"media": ""}))
        .await;

    // A range ending before it starts: the end is marked, nothing shown.
    let before = day - chrono::Duration::days(1);
    b.set_value("#to", &before.to_string()).await;
    b.click_to_navigate("#report-go").await;
    let marked = b
        .js(
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id);",
            vec![],
        )
        .await;
    assert_eq!(marked, json!(["to"]));
    assert!(b.all("#report").await.is_empty());
    b.checkpoint("report-invalid").await;
}
