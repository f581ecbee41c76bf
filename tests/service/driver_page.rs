//! The driver's phone page: the signed-in driver's published route and no one
//! else's, refused to other roles in the page itself, and the offline worker.

use std::collections::BTreeSet;

use giro::domain::Role;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// A page as the browser gets it, without following redirects.
pub async fn page(
    app: &TestApp,
    who: Option<&As>,
    path: &str,
) -> (StatusCode, header::HeaderMap, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = client.get(app.url(path));
    if let Some(w) = who {
        req = req.header(w.header.0, &w.header.1);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.text().await.unwrap())
}

/// Solves and publishes the test date; the published plan.
pub async fn publish(app: &TestApp, dispatcher: &As) -> Value {
    app.solve(dispatcher, 2.0).await;
    app.publish_newest(dispatcher).await
}

/// Two published routes with different drivers, and those drivers.
async fn two_drivers(app: &TestApp, plan: &Value) -> [(As, Value); 2] {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for r in plan["routes"].as_array().unwrap() {
        let Some(v) = r["volunteer_id"].as_i64() else {
            continue;
        };
        if !r["stops"].as_array().unwrap().is_empty() && seen.insert(v) {
            out.push((app.driver_of(v).await.1, r.clone()));
        }
    }
    assert!(out.len() >= 2, "the demo day has two drivers with stops");
    let mut it = out.into_iter();
    [it.next().unwrap(), it.next().unwrap()]
}

fn addresses(manifest: &Value) -> BTreeSet<String> {
    manifest["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap().iter())
        .map(|s| s["address"].as_str().unwrap().to_string())
        .collect()
}

/// HTML escaping as askama writes text.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn a_driver_sees_the_own_published_route_in_words_and_nothing_of_another_driver() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = publish(&app, &dispatcher).await;
    let [(a, _), (b, _)] = two_drivers(&app, &plan).await;
    let path = format!("/driver?date={}", app.date);

    let manifest_path = format!("/api/v1/manifest?date={}", app.date);
    let (_, ma) = app.get(&a, &manifest_path).await;
    let (_, mb) = app.get(&b, &manifest_path).await;
    let (mine, theirs) = (addresses(&ma), addresses(&mb));
    let only_theirs: Vec<_> = theirs.difference(&mine).collect();
    assert!(!only_theirs.is_empty(), "the two routes differ");

    let (s, headers, body) = page(&app, Some(&a), &path).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(body.contains("lang=\"it\""));
    let stops: Vec<&Value> = ma["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .collect();
    assert!(!stops.is_empty());
    for stop in &stops {
        assert!(
            body.contains(&html(stop["address"].as_str().unwrap())),
            "the page shows {}",
            stop["address"]
        );
        assert!(body.contains(&format!(">{}</span>", stop["time"].as_str().unwrap())));
        if let Some(phone) = stop["phone"].as_str() {
            let digits: String = phone
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            assert!(
                body.contains(&format!("href=\"tel:{digits}\"")),
                "call button for {phone}"
            );
        }
    }
    assert!(body.contains("geo:"), "navigation links");
    assert!(
        body.contains("openstreetmap.org"),
        "a web map for phones without geo:"
    );
    assert!(
        body.contains("data-testid=\"status-arrived-")
            || body.contains("data-testid=\"status-done-")
    );
    for other in only_theirs {
        assert!(
            !body.contains(&html(other)),
            "another driver's stop {other} leaks"
        );
    }

    // The refresh the page makes carries the same day, and only this driver's.
    let (s, _, json) = page(
        &app,
        Some(&a),
        &format!("/driver/day.json?date={}", app.date),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let day: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(day["date"], app.date.to_string());
    assert_eq!(day["revision"], plan["revision"]);
    let n: usize = day["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["stops"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, stops.len());
    for other in theirs.difference(&mine) {
        assert!(
            !json.contains(other.as_str()),
            "{other} leaks into day.json"
        );
    }
}

#[tokio::test]
async fn before_publishing_the_page_says_there_is_no_route() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 1.0).await;
    let volunteer = plan["routes"][0]["volunteer_id"].as_i64().unwrap();
    let driver = app.driver_of(volunteer).await.1;
    let (s, _, body) = page(&app, Some(&driver), &format!("/driver?date={}", app.date)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("id=\"driver-nothing\""), "{body}");
    assert!(!body.contains("data-testid=\"stop-"));
}

#[tokio::test]
async fn other_roles_get_a_refusal_page_and_strangers_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    for role in [Role::Member, Role::Dispatcher] {
        let who = app.login_as(role).await;
        let (s, headers, body) = page(&app, Some(&who), "/driver").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(body.contains("Non puoi aprire questa pagina"), "{body}");
        let (s, _, _) = page(&app, Some(&who), "/driver/day.json").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let (s, headers, _) = page(&app, None, "/driver").await;
    assert!(s.is_redirection());
    assert_eq!(headers[header::LOCATION], "/login?next=/driver");
    let driver = app.login_as(Role::Driver).await;
    let (s, _, body) = page(&app, Some(&driver), "/driver?date=2026-13-01").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("date"), "{body}");
}

#[tokio::test]
async fn the_service_worker_covers_the_page_and_stores_its_assets() {
    let app = TestApp::spawn().await;
    let (s, headers, js) = page(&app, None, "/driver/sw.js").await;
    assert_eq!(s, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(headers["service-worker-allowed"], "/driver");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    // The asset URLs it stores are the ones the page links, and they are served.
    let driver = app.login_as(Role::Driver).await;
    let (_, _, body) = page(&app, Some(&driver), "/driver").await;
    for asset in ["app.css", "driver/driver.css", "driver/driver.js"] {
        let url = giro::web::assets::url(asset);
        assert!(js.contains(&format!("\"{url}\"")), "{asset} in the worker");
        assert!(body.contains(&url), "{asset} on the page");
        let (s, _, _) = page(&app, None, &url).await;
        assert_eq!(s, StatusCode::OK, "{url}");
    }
    // No inline script: the page passes its data as JSON blocks.
    assert!(!body.contains("<script>"));
    assert!(body.contains("<script type=\"application/json\" id=\"driver-day\">"));
}

#[tokio::test]
async fn a_reported_status_shows_on_its_stop_and_survives_a_re_publish() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = publish(&app, &dispatcher).await;
    let [(driver, route), _] = two_drivers(&app, &plan).await;
    let (_, m) = app
        .get(&driver, &format!("/api/v1/manifest?date={}", app.date))
        .await;
    let stops: Vec<Value> = m["routes"][0]["stops"].as_array().unwrap().clone();
    let path = format!("/driver?date={}", app.date);
    let (_, _, body) = page(&app, Some(&driver), &path).await;
    for s in &stops {
        let key = s["key"].as_str().unwrap();
        assert!(
            body.contains(&format!("data-testid=\"stop-{key}\"")),
            "{key}"
        );
        assert!(
            body.contains(&format!("data-testid=\"state-{key}\" data-kind=\"\"")),
            "{key} not done yet"
        );
    }
    let first = stops[0]["key"].as_str().unwrap().to_string();
    let at = format!("{}T07:58:30.250Z", app.date);
    let (s, ev) = app
        .post(
            &driver,
            "/api/v1/events",
            json!({"id": "phone-evt-0001", "date": app.date, "stop": first, "kind": "arrived", "at": at}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");

    // The dispatcher re-publishes the same route in a new revision.
    let (s, edited) = app
        .put(
            &dispatcher,
            &format!("/api/v1/plans/{}/routes/{}", app.date, route["id"]),
            json!({"version": plan["version"], "volunteer_id": route["volunteer_id"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    let republished = app.publish_newest(&dispatcher).await;
    assert!(republished["revision"].as_i64() > plan["revision"].as_i64());

    let (_, _, body) = page(&app, Some(&driver), &path).await;
    assert!(
        body.contains(&format!(
            "data-testid=\"state-{first}\" data-kind=\"arrived\""
        )),
        "the status stays on its stop across revisions"
    );
    assert!(body.contains("Arrivato alle "), "the status in words");
    let (_, _, json) = page(
        &app,
        Some(&driver),
        &format!("/driver/day.json?date={}", app.date),
    )
    .await;
    let day: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(day["revision"], republished["revision"]);
    let state = &day["routes"][0]["stops"][0]["state"];
    assert_eq!(day["routes"][0]["stops"][0]["key"], first.as_str());
    assert_eq!(state["kind"], "arrived");
    assert_eq!(state["at"], at, "the device time, to the millisecond");
    assert_eq!(state["label"], "Arrivato");
}

#[tokio::test]
async fn who_and_what_read_in_words_with_the_family_name_cut_to_its_initial() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = publish(&app, &dispatcher).await;
    let mut checked = 0;
    for route in plan["routes"].as_array().unwrap() {
        let Some(volunteer) = route["volunteer_id"].as_i64() else {
            continue;
        };
        let driver = app.driver_of(volunteer).await.1;
        let (_, m) = app
            .get(&driver, &format!("/api/v1/manifest?date={}", app.date))
            .await;
        let (_, _, body) = page(&app, Some(&driver), &format!("/driver?date={}", app.date)).await;
        for stop in m["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["stops"].as_array().unwrap())
            .filter(|s| s["mobility"] == "wheelchair" && s["kind"] == "ride")
        {
            let name = stop["person_name"].as_str().unwrap();
            let (first, last) = name.rsplit_once(' ').unwrap();
            let short = format!("{first} {}.", last.chars().next().unwrap());
            assert!(
                body.contains(&html(&format!("{short} — carrozzina, pedana"))),
                "{short}"
            );
            assert!(
                !body.contains(&format!("class=\"who\">{}", html(name))),
                "the full name {name} stays out of the who line"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "the demo day has wheelchair riders on published routes"
    );
}
