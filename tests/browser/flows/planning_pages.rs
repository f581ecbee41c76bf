//! The planner's other pages and the association's standing orders, each
//! scanned and photographed: the vehicle calendar with a wrong block marked
//! on its field, the day's shifts with a wrong shift marked, the night-before
//! list, and pausing a standing order.

use giro::domain::Role;

use crate::harness::Viewport;
use crate::suite::Suite;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_vehicle_calendar_the_night_before_list_and_a_paused_standing_order() {
    let s = Suite::start("planning-pages").await;
    let mut b = s.signed_in(Role::Dispatcher, 0, Viewport::Desktop).await;
    b.goto(&format!("/board/{}", s.app.date)).await;
    b.click_to_navigate("#vehicles-link").await;
    assert_eq!(b.path().await, "/board/vehicles");
    b.find("#vehicles").await;
    b.checkpoint("vehicles").await;

    // A block that ends before it starts: the page again, the field marked.
    let van = b
        .js(
            "return document.querySelector('#vehicle_id option:not([value=\"\"])').value;",
            vec![],
        )
        .await;
    b.select("#vehicle_id", van.as_str().unwrap()).await;
    b.set_value("#date", &s.app.date.to_string()).await;
    b.set_value("#start", "11:00").await;
    b.set_value("#end", "10:00").await;
    b.click_to_navigate("#submit-block").await;
    assert_eq!(b.document_status("/board/vehicles/blocks").await, Some(422));
    b.find("#form-errors").await;
    let marked = b
        .js(
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id);",
            vec![],
        )
        .await;
    assert_eq!(marked, serde_json::json!(["end"]), "only the end is marked");
    b.checkpoint("vehicles-invalid").await;

    // The day's shifts: listed, then a shift that ends before it starts marked.
    b.goto(&format!("/board/{}", s.app.date)).await;
    b.click_to_navigate("#shifts-link").await;
    assert_eq!(b.path().await, format!("/board/{}/shifts", s.app.date));
    b.find("#shifts").await;
    b.checkpoint("shifts").await;
    let car = b
        .js(
            "return document.querySelector('#vehicle_id option:not([value=\"\"])').value;",
            vec![],
        )
        .await;
    b.select("#vehicle_id", car.as_str().unwrap()).await;
    b.set_value("#start", "11:00").await;
    b.set_value("#end", "10:00").await;
    b.click_to_navigate("#submit-shift").await;
    assert_eq!(
        b.document_status(&format!("/board/{}/shifts", s.app.date))
            .await,
        Some(422)
    );
    b.find("#form-errors").await;
    let marked = b
        .js(
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id);",
            vec![],
        )
        .await;
    assert_eq!(marked, serde_json::json!(["end"]), "only the end is marked");
    b.checkpoint("shifts-invalid").await;

    b.goto(&format!("/board/{}", s.app.date)).await;
    b.click_to_navigate("#night-before-link").await;
    assert!(b.path().await.starts_with("/night-before?date="));
    b.checkpoint("night-before").await;

    // The association pauses a standing order of the demo's.
    let mut m = s.signed_in(Role::Member, 0, Viewport::Phone).await;
    m.click_to_navigate("a[href^='/portal/standing/']").await;
    assert!(m.path().await.starts_with("/portal/standing/"));
    m.find("#suspend-form").await;
    m.checkpoint("portal-suspend").await;
}
