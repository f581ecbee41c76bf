//! The driver's phone page without signal: opened by the personal link on a
//! 360×640 screen, three stops marked offline, the page reloaded offline
//! (the service worker serves it) still showing the route and the three
//! queued statuses, the dispatcher re-publishing meanwhile, and once the
//! signal is back the server holding exactly three events on the right stops
//! with the device's times, although the page sent some of them twice.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{json, Value as Json};

use crate::harness::{Browser, Viewport};
use crate::suite::{driven_routes, Suite};

const WAIT: Duration = Duration::from_secs(20);

/// The taps the page keeps in IndexedDB (`giro-driver`, store `events`).
async fn stored_taps(b: &Browser) -> Vec<Json> {
    let all = b
        .js(
            "return new Promise((resolve, reject) => {
                 const open = indexedDB.open('giro-driver');
                 open.onerror = () => reject(open.error);
                 open.onsuccess = () => {
                     const req = open.result.transaction('events').objectStore('events').getAll();
                     req.onsuccess = () => resolve(req.result);
                     req.onerror = () => reject(req.error);
                 };
             });",
            vec![],
        )
        .await;
    all.as_array().expect("a list").clone()
}

/// Marks stored taps as not yet sent, as a phone whose answers got lost
/// would have them: the page sends them again on its next load.
async fn forget_answers(b: &Browser, ids: &[String]) {
    b.js(
        "return new Promise((resolve, reject) => {
             const open = indexedDB.open('giro-driver');
             open.onsuccess = () => {
                 const t = open.result.transaction('events', 'readwrite');
                 const store = t.objectStore('events');
                 for (const id of arguments[0]) {
                     const get = store.get(id);
                     get.onsuccess = () => { const e = get.result; e.state = 'waiting'; store.put(e); };
                 }
                 t.oncomplete = () => resolve(true);
                 t.onerror = () => reject(t.error);
             };
         });",
        vec![json!(ids)],
    )
    .await;
}

async fn queued(b: &Browser) -> i64 {
    b.js(
        "const c = document.getElementById('driver-queue-count'); return c ? Number(c.dataset.count) : -1;",
        vec![],
    )
    .await
    .as_i64()
    .unwrap_or(-1)
}

async fn wait_queued(b: &Browser, n: i64) {
    b.wait_js(
        &format!("{n} statuses waiting to be sent"),
        &format!(
            "const c = document.getElementById('driver-queue-count'); return c && c.dataset.count === '{n}';"
        ),
        WAIT,
    )
    .await;
}

/// POSTs of status reports the page made, from the browser's own network log.
async fn reports_sent(b: &mut Browser) -> usize {
    let base = b.url("/api/v1/events");
    b.read_network_log()
        .await
        .iter()
        .filter(|m| m["method"] == "Network.requestWillBeSent")
        .filter(|m| m["params"]["request"]["method"] == "POST")
        .filter(|m| m["params"]["request"]["url"] == base.as_str())
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_statuses_are_kept_across_a_reload_and_stored_once() {
    let s = Suite::start("driver").await;
    let plan = s.solve_and_publish().await;
    let (_, volunteer, stops) = driven_routes(&plan)[0];
    assert!(stops >= 3, "the longest route has three stops to mark");
    let (user, _) = s.driver_of(volunteer).await;
    let link = s.personal_link(user).await;

    let mut b = s.browser(Viewport::Phone).await;
    b.goto(&link).await;
    assert_eq!(
        b.path().await,
        "/driver",
        "the personal link opens the page"
    );
    b.wait_js(
        "the service worker in control of the page",
        "return navigator.serviceWorker.controller !== null;",
        WAIT,
    )
    .await;
    let keys: Vec<String> = serde_json::from_value(
        b.js(
            "return [...document.querySelectorAll('li.stop:not(.cancelled)')]
                 .filter(li => li.querySelector('button.status:not([data-kg])'))
                 .map(li => li.dataset.key);",
            vec![],
        )
        .await,
    )
    .expect("keys");
    assert!(
        keys.len() >= 3,
        "three stops with a status button: {keys:?}"
    );
    let keys = &keys[..3];
    assert_eq!(queued(&b).await, 0);
    b.checkpoint_for_readme("driver", "driver").await;

    // No signal: three taps, each kept on the phone with its time.
    b.set_offline(true).await;
    b.wait_js(
        "the page to say it is offline",
        "return !document.getElementById('driver-net').hidden;",
        WAIT,
    )
    .await;
    let mut kinds = BTreeMap::new();
    for key in keys {
        let button = format!("#stop-{key} button.status:not([data-kg])");
        let kind = b
            .find(&button)
            .await
            .attr("data-kind")
            .await
            .unwrap()
            .unwrap();
        b.click(&button).await;
        kinds.insert(key.clone(), kind);
        // Device times a little apart, as taps at three doors are.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    wait_queued(&b, 3).await;
    assert!(
        s.events().await.is_empty(),
        "nothing reached the server offline"
    );

    // Reloaded without signal: the worker serves the page, IndexedDB the queue.
    b.set_offline(true).await;
    b.reload().await;
    wait_queued(&b, 3).await;
    for key in keys {
        b.find(&format!("#stop-{key}")).await;
        let state = b.find(&format!("#state-{key}")).await;
        assert_eq!(
            state.attr("data-pending").await.unwrap().as_deref(),
            Some("1"),
            "{key} shows its status as waiting"
        );
        assert_eq!(
            state.attr("data-kind").await.unwrap().as_ref(),
            kinds.get(key),
            "{key} shows the status tapped"
        );
    }
    assert_eq!(b.all("[data-testid=queue-item]").await.len(), 3);
    b.checkpoint("driver-offline-queued").await;
    let taps = stored_taps(&b).await;
    assert_eq!(taps.len(), 3, "{taps:?}");
    assert!(s.events().await.is_empty(), "still nothing on the server");

    // Meanwhile the dispatcher solves again and re-publishes: new stop rows.
    let republished = s.solve_and_publish().await;
    assert!(republished["revision"].as_i64() > plan["revision"].as_i64());

    // The signal comes back: the page sends its queue.
    b.set_offline(false).await;
    wait_queued(&b, 0).await;
    let first_round = reports_sent(&mut b).await;
    assert!(first_round >= 3, "the page sent its three statuses");

    // Answers lost on the way back: two taps are sent again on the next load.
    let ids: Vec<String> = taps
        .iter()
        .map(|t| t["id"].as_str().expect("an event id").to_string())
        .collect();
    forget_answers(&b, &ids[..2]).await;
    b.reload().await;
    wait_queued(&b, 0).await;
    assert!(
        reports_sent(&mut b).await >= first_round + 2,
        "the page sent two statuses a second time"
    );

    let events = s.events().await;
    assert_eq!(events.len(), 3, "exactly three events: {events:#?}");
    for tap in &taps {
        let id = tap["id"].as_str().unwrap();
        let event = events
            .iter()
            .find(|e| e["client_id"] == id)
            .unwrap_or_else(|| panic!("event {id} stored: {events:#?}"));
        assert_eq!(event["key"], tap["stop"], "on the stop tapped");
        assert_eq!(event["kind"], tap["kind"]);
        let at = |v: &Json| {
            v.as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| panic!("a time: {v}"))
        };
        assert_eq!(
            at(&event["at"]),
            at(&tap["at"]),
            "the device's time is kept"
        );
        assert!(
            at(&event["received_at"]) > at(&event["at"]),
            "received after it happened"
        );
    }
    b.checkpoint("driver-sent").await;
    b.close().await;
}
