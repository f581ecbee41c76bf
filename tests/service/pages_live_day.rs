//! The live day on the board's pages: a published day re-planned from the
//! drivers' reports, what the draft changes shown before publishing, and a
//! call fitted and accepted from the "can it fit?" page. Bad fields are
//! refused by name and write nothing.

use chrono::Local;
use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::pages_portal::{csrf, page, post_form};
use super::support::{As, TestApp};

async fn newest(app: &TestApp, who: &As) -> Value {
    let (s, plan) = app.get(who, &format!("/api/v1/plans/{}", app.date)).await;
    assert_eq!(s, StatusCode::OK, "{plan}");
    plan
}

/// The board's row `id`, from its opening tag to the end of the row.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} on the page"));
    &html[at..at + html[at..].find("</tr>").unwrap()]
}

/// Locks or unlocks the route of `shift` in the newest plan.
async fn lock(app: &TestApp, who: &As, shift: &Value, op: &str) {
    let plan = newest(app, who).await;
    let route = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shift_id"] == *shift)
        .expect("the shift's route");
    let (s, out) = app
        .post(
            who,
            &format!("/api/v1/plans/{}/edits", app.date),
            json!({"version": plan["version"], "edit": {"op": op, "route_id": route["id"]}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{out}");
}

/// The error page's detail, naming `field` first.
fn named(field: &str) -> String {
    format!("<p class=\"detail\">{field}: ")
}

#[tokio::test]
async fn the_board_replans_the_day_shows_the_changes_and_fits_a_call() {
    let app = TestApp::spawn_on(Local::now().date_naive() + chrono::Duration::days(7)).await;
    app.without_generators().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    app.solve(&dispatcher, 2.0).await;
    let published = app.publish_newest(&dispatcher).await;
    let board = format!("/board/{}", app.date);
    let (s, html) = page(&app, Some(&dispatcher), &board).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("id=\"replan-form\""),
        "a published day can be re-planned"
    );
    assert!(!html.contains("id=\"changes\""), "nothing to compare yet");
    let token = csrf(&html);

    // The van's driver reports its first three stops done.
    let (van, driver) = app.longest_driven(&published).await;
    let stops = van["stops"].as_array().unwrap().clone();
    let first: Vec<(usize, &Value)> = stops.iter().take(3).enumerate().collect();
    app.report_done(&driver, &first, "pages", 0.0).await;

    // Bad fields: refused by name, nothing written.
    let replan = format!("{board}/replan");
    let (s, body, _) = post_form(
        &app,
        &dispatcher,
        &replan,
        &[("_csrf", &token), ("at", "25:99")],
    )
    .await;
    assert!(
        s.is_client_error() && body.contains(&named("at")),
        "{s} {body}"
    );
    let shift = van["shift_id"].to_string();
    let (s, body, _) = post_form(
        &app,
        &dispatcher,
        &replan,
        &[("_csrf", &token), ("withdraw_shift", &shift)],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(&named("withdraw_from")), "{body}");
    assert_eq!(
        newest(&app, &dispatcher).await["revision"],
        published["revision"]
    );

    // Re-planned with nothing else changed: a draft, no promise to call about.
    let (s, _, location) = post_form(&app, &dispatcher, &replan, &[("_csrf", &token)]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, Some(format!("{board}#changes")));
    let draft = newest(&app, &dispatcher).await;
    assert_eq!(draft["status"], "draft");
    let (_, html) = page(&app, Some(&dispatcher), &board).await;
    assert!(html.contains("id=\"changes\""), "the changes are shown");
    assert!(!html.contains("data-broken=\"true\""), "every promise kept");

    // A rider cancels and the same ride is called in again: the board offers
    // "can it fit?" on its row, and the page lists the ways the API gives.
    let (gone, call) = app.rebook_afternoon_ride(&dispatcher, &published).await;
    let (_, html) = page(&app, Some(&dispatcher), &board).await;
    assert!(
        html.contains(&format!("href=\"{board}/fit/{call}\"")),
        "fit offered"
    );
    let (s, answer) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/fit", app.date),
            json!({"request_id": call}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    let ways = answer["ways"].as_array().unwrap();
    let way = ways.first().unwrap_or_else(|| panic!("a way: {answer}"));
    let (s, html) = page(&app, Some(&dispatcher), &format!("{board}/fit/{call}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        html.matches("<tr id=\"way-").count(),
        ways.len(),
        "a row per way"
    );
    let first_row = row(&html, &format!("way-{}", way["shift_id"]));
    let pickup = way["pickup"].as_str().unwrap().trim_start_matches('0');
    assert!(first_row.contains(pickup), "{first_row} shows {pickup}");
    let (s, _) = page(
        &app,
        Some(&dispatcher),
        &format!("{board}/fit/{call}?at=99:99"),
    )
    .await;
    assert!(s.is_client_error(), "{s}");
    let (s, _) = page(&app, Some(&dispatcher), &format!("{board}/fit/999999")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let member = app.login_as(Role::Member).await;
    let (s, _) = page(&app, Some(&member), &format!("{board}/fit/{call}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Its route locked: the way is shown, marked, and not taken until unlocked.
    lock(&app, &dispatcher, &way["shift_id"], "lock").await;
    let (_, again) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/fit", app.date),
            json!({"request_id": call}),
        )
        .await;
    let marked = again["ways"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["shift_id"] == way["shift_id"])
        .unwrap_or_else(|| panic!("still shown: {again}"));
    assert_eq!(marked["locked"], true, "{again}");
    assert_eq!(
        again["ways"].as_array().unwrap().last(),
        Some(marked),
        "offered last"
    );
    let (_, html) = page(&app, Some(&dispatcher), &format!("{board}/fit/{call}")).await;
    let locked_row = row(&html, &format!("way-{}", way["shift_id"]));
    assert!(!locked_row.contains("accept-"), "no button: {locked_row}");
    let (s, body, _) = post_form(
        &app,
        &dispatcher,
        &format!("{board}/fit/accept"),
        &[
            ("_csrf", &token),
            ("request_id", &call.to_string()),
            ("shift_id", &way["shift_id"].to_string()),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(&named("shift_id")), "{body}");
    lock(&app, &dispatcher, &way["shift_id"], "unlock").await;

    // Accepted: a draft with the call on that shift at the time offered; the
    // board lists it as new and the cancelled ride as cancelled, not broken.
    let shift = way["shift_id"].to_string();
    let (s, body, _) = post_form(
        &app,
        &dispatcher,
        &format!("{board}/fit/accept"),
        &[("_csrf", &token), ("request_id", &call.to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(&named("shift_id")),
        "the way must be chosen: {body}"
    );
    let (s, _, location) = post_form(
        &app,
        &dispatcher,
        &format!("{board}/fit/accept"),
        &[
            ("_csrf", &token),
            ("request_id", &call.to_string()),
            ("shift_id", &shift),
            ("at", "11:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, Some(format!("{board}#changes")));
    let plan = newest(&app, &dispatcher).await;
    assert_eq!(
        plan["figures"]["feasible"], true,
        "{}",
        plan["figures"]["violations"]
    );
    let route = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["shift_id"] == way["shift_id"])
        .unwrap();
    let stop = route["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["request_id"] == call && s["role"] == "pickup")
        .unwrap_or_else(|| panic!("the call rides shift {shift}: {route}"));
    assert_eq!(stop["time"], way["pickup"], "taken as offered");
    let (_, html) = page(&app, Some(&dispatcher), &board).await;
    let added = row(&html, &format!("change-{call}"));
    assert!(
        added.contains(pickup) && !added.contains("data-broken"),
        "{added}"
    );
    let cancelled = row(&html, &format!("change-{gone}"));
    assert!(!cancelled.contains("data-broken"), "{cancelled}");
    assert!(!html.contains("data-broken=\"true\""), "every promise kept");
}
