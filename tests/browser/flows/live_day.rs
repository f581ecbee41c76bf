//! The day under way on the board: the van's first stops reported done, a
//! rider's seat freed and the same ride called in again. The dispatcher sees
//! the live state, asks "can it fit?" from the request's row, accepts the
//! cheapest way, reads what the draft changes and publishes it.

use chrono::{Duration as Days, Local};
use giro::domain::Role;
use serde_json::Value;

use crate::harness::Viewport;
use crate::suite::Suite;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dispatcher_fits_a_call_in_ride_while_the_day_runs() {
    // A day ahead, so the call can be booked whatever the hour; its "now"
    // is given on the page.
    let s = Suite::start_on("live-day", Local::now().date_naive() + Days::days(7)).await;
    s.app.without_generators().await;
    let published = s.solve_and_publish().await;
    let dispatcher = s.app.login_as(Role::Dispatcher).await;
    let (van, driver) = s.app.longest_driven(&published).await;
    let stops = van["stops"].as_array().unwrap().clone();
    let first: Vec<(usize, &Value)> = stops.iter().take(3).enumerate().collect();
    s.app.report_done(&driver, &first, "live", 0.0).await;
    let (_, call) = s.app.rebook_afternoon_ride(&dispatcher, &published).await;

    // The live state: the van's reported stops are done, its last position shown.
    let mut b = s.signed_in(Role::Dispatcher, 0, Viewport::Desktop).await;
    let board = format!("/board/{}", s.app.date);
    b.goto(&board).await;
    b.find("#live-day").await;
    assert_eq!(
        b.all(&format!("#route-{} tr[data-live=done]", van["id"]))
            .await
            .len(),
        3,
        "the three stops reported are done"
    );
    b.find(&format!("#last-seen-{}", van["id"])).await;
    b.checkpoint("board-live").await;

    // "Can it fit?" from the call's row, asked from 11:00.
    b.click_to_navigate(&format!("#fit-{call}")).await;
    assert_eq!(b.path().await, format!("{board}/fit/{call}"));
    b.set_value("#fit-at", "11:00").await;
    b.click_to_navigate("#fit-ask").await;
    let ways = b.all("#fit-ways-table tbody tr").await;
    assert!(!ways.is_empty(), "the freed seat is offered");
    let shift = ways[0]
        .attr("data-shift-id")
        .await
        .unwrap()
        .expect("a way names its shift");
    let pickup = b
        .text(&format!("#way-{shift} .pickup"))
        .await
        .trim()
        .to_string();
    b.checkpoint("fit-ways").await;

    // Accepted: a draft, with the call shown as new and no promise broken.
    b.click_to_navigate(&format!("[data-testid=accept-{shift}]"))
        .await;
    assert_eq!(b.path().await, board);
    let added = b.text(&format!("#change-{call}")).await;
    assert!(added.contains(&pickup), "{added} shows {pickup}");
    assert!(b.all("#changes [data-broken=true]").await.is_empty());
    b.checkpoint("board-changes").await;

    // Published: the call rides the shift chosen at the time offered.
    b.click_to_navigate("#publish-button").await;
    let status = b
        .find("#plan-status")
        .await
        .attr("data-status")
        .await
        .unwrap();
    assert_eq!(status.as_deref(), Some("published"));
    let (_, plan) = s
        .app
        .get(&dispatcher, &format!("/api/v1/plans/{}", s.app.date))
        .await;
    assert_eq!(plan["status"], "published");
    assert_eq!(
        plan["figures"]["feasible"], true,
        "the checker accepts the day: {}",
        plan["figures"]["violations"]
    );
    b.find("#plan-checked.ok").await;
    let route = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shift_id"].to_string() == shift)
        .expect("the shift chosen drives");
    let stop = route["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["request_id"] == call && x["role"] == "pickup")
        .expect("the call rides it");
    assert_eq!(
        stop["time"].as_str().unwrap().trim_start_matches('0'),
        pickup,
        "taken as offered"
    );
    b.close().await;
}
