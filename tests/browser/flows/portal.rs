//! An association member books a ride in the portal, the dispatcher solves
//! and publishes, and the member sees it scheduled with its promised time;
//! a member of another association never sees it.

use std::time::Duration;

use giro::domain::Role;
use giro::web::i18n::Lang;
use serde_json::{json, Value as Json};

use crate::harness::{Browser, Viewport};
use crate::suite::{tr, Suite};

/// The ids of the rows in the portal's table.
async fn row_ids(b: &Browser) -> Vec<i64> {
    let ids = b
        .js(
            "return [...document.querySelectorAll('#requests tr[data-request-id]')]
                 .map(r => Number(r.dataset.requestId));",
            vec![],
        )
        .await;
    serde_json::from_value(ids).expect("numbers")
}

async fn cell(b: &Browser, id: i64, testid: &str) -> String {
    b.text(&format!(
        "tr[data-request-id='{id}'] [data-testid={testid}]"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_books_a_ride_and_sees_its_promised_time_once_published() {
    let s = Suite::start("portal").await;
    // The standing orders fill the van on some weekdays; without them the
    // test day is the demo's own on every day of the week, and the van is
    // free after the lunch rounds.
    s.app.without_generators().await;
    let mut b = s.signed_in(Role::Member, 0, Viewport::Desktop).await;
    assert_eq!(b.path().await, "/portal");
    b.find("#new-request").await;
    let before = row_ids(&b).await;
    b.checkpoint_for_readme("portal-list", "portal").await;

    b.click_to_navigate("#new-request").await;
    assert_eq!(b.path().await, "/portal/new");
    b.checkpoint("portal-new").await;

    // Sent empty: nothing is written and the faults are marked on their fields.
    b.click_to_navigate("#submit-request").await;
    assert_eq!(b.document_status("/portal/new").await, Some(422));
    b.find("#form-errors").await;
    for field in ["person_id", "to_place_id"] {
        let marked = b
            .find(&format!("#{field}"))
            .await
            .attr("aria-invalid")
            .await;
        assert_eq!(
            marked.unwrap().as_deref(),
            Some("true"),
            "{field} is marked"
        );
        b.find(&format!("#{field}-error")).await;
    }
    b.checkpoint("portal-new-invalid").await;

    let person = b
        .js(
            "return document.querySelector('#person_id option:not([value=\"\"])').value;",
            vec![],
        )
        .await;
    let destination = b
        .js(
            "return document.querySelector('#to_place_id option:not([value=\"\"])').value;",
            vec![],
        )
        .await;
    b.select("#person_id", person.as_str().unwrap()).await;
    b.set_value("#date", &s.app.date.to_string()).await;
    b.click("#timing_window").await;
    b.click("#window_at_pickup").await;
    b.set_value("#window_start", "14:30").await;
    b.set_value("#window_end", "15:15").await;
    b.select("#to_place_id", destination.as_str().unwrap())
        .await;
    b.fill("#notes", "Prova dal browser").await;
    b.click_to_navigate("#submit-request").await;
    b.find("#created-notice").await;
    let new: Vec<i64> = row_ids(&b)
        .await
        .into_iter()
        .filter(|id| !before.contains(id))
        .collect();
    assert_eq!(new.len(), 1, "one new row: {new:?}");
    let id = new[0];
    assert_eq!(b.path().await, format!("/portal?created={id}"));
    assert_eq!(
        cell(&b, id, "status").await,
        tr(Lang::It, "common.lifecycle.requested")
    );
    assert_eq!(
        cell(&b, id, "promised").await,
        tr(Lang::It, "portal.not_yet")
    );
    b.checkpoint("portal-created").await;

    // Another association's member sees the portal but not this request,
    // and the API answers 404 to the page's own session.
    let mut other = s.signed_in(Role::Member, 1, Viewport::Phone).await;
    assert_eq!(other.path().await, "/portal");
    assert!(
        !row_ids(&other).await.contains(&id),
        "another association does not see request {id}"
    );
    let status = other
        .js(
            "return fetch('/api/v1/requests/' + arguments[0]).then(r => r.status);",
            vec![json!(id)],
        )
        .await;
    assert_eq!(
        status,
        json!(404),
        "another association's request is not found"
    );
    other.checkpoint("portal-other-association").await;
    other.close().await;

    let plan = s.solve_and_publish().await;
    let pickup = promised_pickup(&plan, id)
        .unwrap_or_else(|| panic!("the solve schedules request {id}: {plan:#}"));
    b.reload().await;
    b.wait_js(
        "the page after reloading",
        "return document.readyState === 'complete';",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(
        cell(&b, id, "status").await,
        tr(Lang::It, "common.lifecycle.scheduled")
    );
    // The promised window opens at the planned pickup.
    let promised = cell(&b, id, "promised").await;
    assert!(
        promised.starts_with(&format!("{pickup}–")),
        "{promised} opens at {pickup}"
    );
    b.checkpoint("portal-scheduled").await;
    b.close().await;
}

/// The planned pickup time of `request` in a plan, as the API gives it.
fn promised_pickup(plan: &Json, request: i64) -> Option<String> {
    plan["routes"]
        .as_array()?
        .iter()
        .flat_map(|r| r["stops"].as_array().into_iter().flatten())
        .find(|s| s["request_id"] == request && s["role"] == "pickup")
        .and_then(|s| s["time"].as_str().map(str::to_string))
}
