//! Each role is kept to its own: a driver cannot open another driver's route
//! or the board, a member cannot open the board or a driver's page; the
//! refusal is a page in the reader's language with the right status.

use giro::domain::Role;
use giro::web::i18n::Lang;
use serde_json::json;

use crate::harness::{Browser, Viewport};
use crate::suite::{driven_routes, tr, Suite};

/// Opens `path` and expects the refusal page with `status`.
async fn refused(b: &mut Browser, path: &str, status: u16, title: &str) {
    b.goto(path).await;
    assert_eq!(b.document_status(path).await, Some(status), "{path}");
    assert_eq!(b.text("h1").await, tr(Lang::It, title), "{path}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_sees_only_the_own_route_and_a_member_only_the_portal() {
    let s = Suite::start("access").await;
    let plan = s.solve_and_publish().await;
    let routes = driven_routes(&plan);
    let (mine, volunteer, _) = routes[0];
    let (theirs, _, _) = routes
        .iter()
        .find(|(_, v, _)| *v != volunteer)
        .copied()
        .expect("two drivers on the day");
    let (user, _) = s.driver_of(volunteer).await;
    let link = s.personal_link(user).await;

    let mut b = s.browser(Viewport::Phone).await;
    b.goto(&link).await;
    assert_eq!(b.path().await, "/driver");
    let shown: Vec<String> = serde_json::from_value(
        b.js(
            "return [...document.querySelectorAll('li.stop')].map(li => li.dataset.key);",
            vec![],
        )
        .await,
    )
    .unwrap();
    let key =
        |s: &serde_json::Value| format!("{}-{}", s["request_id"], s["role"].as_str().unwrap());
    let own: Vec<String> = mine["stops"].as_array().unwrap().iter().map(key).collect();
    let other: Vec<String> = theirs["stops"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    assert!(!shown.is_empty(), "the driver sees a route");
    for k in &shown {
        assert!(own.contains(k), "{k} is on the driver's own route");
    }
    // Another driver's stop, reported from this page's session: not found.
    let foreign = other
        .iter()
        .find(|k| !own.contains(k))
        .expect("a stop only the other driver has");
    let status = b
        .js(
            "return fetch('/api/v1/events', {method: 'POST', headers: {'content-type': 'application/json'},
                 body: JSON.stringify({id: 'probe-0000-0001', date: arguments[0], stop: arguments[1], kind: 'arrived',
                                       at: new Date().toISOString()})}).then(r => r.status);",
            vec![json!(s.app.date.to_string()), json!(foreign)],
        )
        .await;
    assert_eq!(status, json!(404), "another driver's stop is not found");
    assert!(s.events().await.is_empty(), "nothing stored");
    refused(&mut b, "/board", 403, "errors.forbidden").await;
    b.checkpoint("driver-refused-board").await;
    refused(&mut b, "/portal", 403, "errors.forbidden").await;
    // A link that does not exist (or was revoked) opens nothing.
    b.goto("/d/not-a-real-link-0123456789abcdef").await;
    assert_eq!(
        b.document_status("/d/not-a-real-link-0123456789abcdef")
            .await,
        Some(404)
    );
    b.find("#link-invalid").await;
    b.checkpoint("driver-link-invalid").await;
    b.close().await;

    let mut m = s.signed_in(Role::Member, 0, Viewport::Desktop).await;
    refused(&mut m, "/board", 403, "errors.forbidden").await;
    refused(&mut m, "/driver", 403, "errors.forbidden").await;
    m.checkpoint("member-refused-driver").await;
    m.close().await;
}
