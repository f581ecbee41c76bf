//! The harness proves its own checks: a page that breaks the rules fails
//! them, and DevTools offline emulation really cuts the page off while a
//! service worker still serves reloads. A tiny site on its own port, not the
//! app, so that these hold whatever the pages do.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;

use crate::checks::{axe_violations, foreign, wider_than_screen};
use crate::harness::{serial, Browser, Chromedriver, Viewport};

type Hits = Arc<Mutex<HashMap<String, usize>>>;

const BAD_PAGE: &str = r#"<!doctype html><html><head><title>bad</title></head><body>
<img src="http://203.0.113.9/tracker.png"><input type="text"></body></html>"#;

/// A table that no phone screen holds, and one that any does.
const WIDE_PAGE: &str = r#"<!doctype html><html lang="en"><head><title>wide</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>wide</h1><table><tr><td style="min-width: 900px">a long row</td></tr></table></main></body></html>"#;
const NARROW_PAGE: &str = r#"<!doctype html><html lang="en"><head><title>narrow</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>narrow</h1><table><tr><td>a short row</td></tr></table></main></body></html>"#;

const SW: &str = r#"
const CACHE = 'exp-v1';
self.addEventListener('install', e => e.waitUntil(
  caches.open(CACHE).then(c => c.addAll(['/exp/', '/exp/page.js'])).then(() => self.skipWaiting())));
self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', e => {
  if (new URL(e.request.url).pathname === '/exp/ping') return;
  // Network first, the cache when the network fails: what an offline page does.
  e.respondWith(fetch(e.request).catch(() => caches.match(e.request)));
});
"#;

const PAGE_JS: &str = r#"
navigator.serviceWorker.register('/exp/sw.js', {scope: '/exp/'});
"#;

async fn count(State(hits): State<Hits>, req: Request, next: Next) -> Response {
    *hits
        .lock()
        .unwrap()
        .entry(req.uri().path().to_string())
        .or_default() += 1;
    next.run(req).await
}

/// Serves the experiment site; the page says how often it was fetched.
async fn site() -> (String, Hits) {
    let hits: Hits = Arc::default();
    let page_hits = hits.clone();
    let app = Router::new()
        .route("/bad", get(|| async { axum::response::Html(BAD_PAGE) }))
        .route("/wide", get(|| async { axum::response::Html(WIDE_PAGE) }))
        .route(
            "/narrow",
            get(|| async { axum::response::Html(NARROW_PAGE) }),
        )
        .route(
            "/exp/",
            get(move || {
                let n = page_hits.lock().unwrap().get("/exp/").copied().unwrap_or(0);
                async move {
                    axum::response::Html(format!(
                        "<!doctype html><html lang=\"en\"><head><title>exp</title></head><body>\
                         <main><h1>cached</h1><p id=\"n\">{n}</p></main>\
                         <script src=\"/exp/page.js\"></script></body></html>"
                    ))
                }
            }),
        )
        .route(
            "/exp/page.js",
            get(|| async { ([(CONTENT_TYPE, "text/javascript")], PAGE_JS).into_response() }),
        )
        .route(
            "/exp/sw.js",
            get(|| async { ([(CONTENT_TYPE, "text/javascript")], SW).into_response() }),
        )
        .route("/exp/ping", get(|| async { "pong" }))
        .layer(axum::middleware::from_fn_with_state(hits.clone(), count));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, hits)
}

fn hits_of(hits: &Hits, path: &str) -> usize {
    hits.lock().unwrap().get(path).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_fail_on_a_foreign_request_and_an_inaccessible_page() {
    let _one = serial().await;
    let (base, _) = site().await;
    let driver = Chromedriver::start().await;
    let mut b = Browser::open(&driver, &base, "selftest", Viewport::Desktop).await;
    b.goto("/bad").await;
    let violations = axe_violations(&b).await.join("\n");
    for rule in ["image-alt", "label", "html-has-lang"] {
        assert!(
            violations.contains(rule),
            "axe finds {rule} on the bad page:\n{violations}"
        );
    }
    let urls = b.requested_urls().await;
    assert_eq!(
        foreign(&urls),
        vec!["http://203.0.113.9/tracker.png".to_string()],
        "all requests: {urls:?}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_width_check_fails_on_a_page_wider_than_a_phone() {
    let _one = serial().await;
    let (base, _) = site().await;
    let driver = Chromedriver::start().await;
    let mut b = Browser::open(&driver, &base, "selftest", Viewport::Phone).await;
    b.goto("/wide").await;
    let wide = wider_than_screen(&b).await;
    assert!(
        wide.is_some_and(|w| w >= 900),
        "a 900 px table on a 360 px screen: {wide:?}, innerWidth {}",
        b.js("return window.innerWidth;", vec![]).await
    );
    b.goto("/narrow").await;
    assert_eq!(wider_than_screen(&b).await, None, "a page that fits");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_emulation_cuts_the_page_off_and_a_service_worker_serves_reloads() {
    let _one = serial().await;
    let (base, hits) = site().await;
    let driver = Chromedriver::start().await;
    let mut b = Browser::open(&driver, &base, "selftest", Viewport::Phone).await;
    b.goto("/exp/").await;
    b.wait_js(
        "the service worker in control",
        "return navigator.serviceWorker.controller !== null;",
        Duration::from_secs(10),
    )
    .await;
    let page_fetches = hits_of(&hits, "/exp/");

    b.set_offline(true).await;
    let ping = b
        .js(
            "return fetch('/exp/ping').then(() => 'reached', e => 'failed: ' + e);",
            vec![],
        )
        .await;
    assert!(
        ping.as_str().is_some_and(|p| p.starts_with("failed")),
        "offline, a fetch from the page fails: {ping}"
    );
    assert_eq!(hits_of(&hits, "/exp/ping"), 0, "nothing reached the server");

    b.reload().await;
    let shown = b.text("#n").await;
    eprintln!(
        "offline reload: page shows {shown:?}; server page fetches before {page_fetches}, after {}",
        hits_of(&hits, "/exp/")
    );
    assert_eq!(
        hits_of(&hits, "/exp/"),
        page_fetches,
        "offline, the service worker's own fetch does not reach the server either"
    );
    assert_eq!(
        shown,
        page_fetches.to_string(),
        "the reload shows the page the service worker cached"
    );

    b.set_offline(false).await;
    let ping = b
        .js(
            "return fetch('/exp/ping').then(r => r.text(), e => 'failed: ' + e);",
            vec![],
        )
        .await;
    assert_eq!(
        ping,
        json!("pong"),
        "back online, the page reaches the server"
    );
    assert_eq!(hits_of(&hits, "/exp/ping"), 1);
    b.close().await;
}
