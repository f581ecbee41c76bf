//! The dispatcher's board as HTML, fetched like a browser with the session
//! cookie from the real app (SQLite, or PostgreSQL with TEST_POSTGRES_URL).

use super::html::{browser, page, post_form, tag};
use super::support::{As, TestApp};
use giro::domain::Role;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The value of the first `name="…" value="…"` hidden field.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// Text of a page with the markup and the script blocks dropped, for "in words" checks.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = &rest[rest.find("</script>").map_or(rest.len(), |j| j + 9)..];
    }
    out.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for ch in out.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[tokio::test]
async fn only_planners_open_the_board() {
    let app = TestApp::spawn().await;
    let path = format!("/board/{}", app.date);
    let (s, location, _) = page(&app, None, &path).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "anonymous readers sign in first");
    assert!(location.starts_with("/login?next=/board/"), "{location}");
    for role in [Role::Member, Role::Driver] {
        let who = app.login_as(role).await;
        for p in [
            path.clone(),
            format!("{path}/sheets"),
            "/board/drivers".to_string(),
        ] {
            let (s, _, html) = page(&app, Some(&who), &p).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role:?} on {p}");
            assert!(html.contains("<html"), "a page, not JSON: {html}");
            assert!(
                !html.contains("id=\"requests-table\""),
                "{role:?} sees no requests"
            );
        }
    }
    let admin = app.login_as(Role::Admin).await;
    assert_eq!(page(&app, Some(&admin), &path).await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_board_lists_the_days_requests_in_words_with_server_side_filters() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (_, requests) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let requests = requests.as_array().unwrap();
    let path = format!("/board/{}", app.date);
    let (s, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert_eq!(count(&html, "<tr id=\"request-"), requests.len());
    for r in requests {
        assert!(html.contains(&format!("id=\"request-{}\"", r["id"])));
    }
    let text = visible_text(&html);
    assert!(
        text.contains("Trasporto") && text.contains("Pasto"),
        "kinds in words"
    );
    assert!(text.contains("carrozzina"), "needs in words");
    assert!(
        text.contains("Da pianificare"),
        "no plan yet: every request waits"
    );
    assert!(html.contains("id=\"no-plan\""));
    assert!(html.contains("id=\"solve-button\""));

    let meals = requests.iter().filter(|r| r["kind"] == "meal").count();
    let (s, _, html) = page(&app, Some(&dispatcher), &format!("{path}?kind=meal")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(count(&html, "<tr id=\"request-"), meals);
    assert_eq!(count(&html, "data-kind=\"meal\""), meals);
    assert!(html.contains("<option value=\"meal\" selected>"));

    // Each service apart: the food-surplus pickups alone.
    let collections = requests
        .iter()
        .filter(|r| r["kind"] == "collection")
        .count();
    assert!(collections > 0, "the demo day has surplus pickups");
    let (s, _, html) = page(&app, Some(&dispatcher), &format!("{path}?kind=collection")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(count(&html, "<tr id=\"request-"), collections);
    assert_eq!(count(&html, "data-kind=\"collection\""), collections);
    assert!(html.contains("<option value=\"collection\" selected>"));

    let org = requests[0]["organisation_id"].as_i64().unwrap();
    let of_org = requests
        .iter()
        .filter(|r| r["organisation_id"] == org && r["kind"] == "ride")
        .count();
    let (_, _, html) = page(
        &app,
        Some(&dispatcher),
        &format!("{path}?kind=ride&org={org}&status=waiting"),
    )
    .await;
    assert_eq!(count(&html, "<tr id=\"request-"), of_org);
    let (_, _, html) = page(&app, Some(&dispatcher), &format!("{path}?status=planned")).await;
    assert_eq!(count(&html, "<tr id=\"request-"), 0, "nothing planned yet");
    assert!(html.contains("id=\"requests-none\""));

    for bad in ["kind=boat", "org=x", "status=maybe"] {
        let (s, _, html) = page(&app, Some(&dispatcher), &format!("{path}?{bad}")).await;
        assert!(s.is_client_error(), "{bad}: {s}");
        let name = bad.split('=').next().unwrap();
        assert!(html.contains(name), "the page names the field {name}");
    }
    let (s, _, _) = page(&app, Some(&dispatcher), "/board/2026-13-40").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, location, _) = page(
        &app,
        Some(&dispatcher),
        &format!("/board/day?day={}", app.date),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, path);
}

async fn six_wheelchairs(app: &TestApp, who: &As) -> Value {
    let (_, people) = app.get(who, "/api/v1/people").await;
    let p = &people[0];
    let (_, places) = app.get(who, "/api/v1/places").await;
    let centre = places
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "day_centre")
        .unwrap()
        .clone();
    let (s, req) = app
        .post(who, "/api/v1/requests", json!({
            "organisation_id": p["organisation_id"], "date": app.date.to_string(), "kind": "ride",
            "person_id": p["id"], "from_place_id": p["home_place_id"], "to_place_id": centre["id"],
            "window_at": "dropoff", "window": {"start": "10:00", "end": "10:30"},
            "load": {"wheelchairs": 6}
        }))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{req}");
    req
}

#[tokio::test]
async fn after_a_solve_the_board_shows_timelines_the_map_and_reasons_in_words() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let req = six_wheelchairs(&app, &dispatcher).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    let routes = plan["routes"].as_array().unwrap();
    let path = format!("/board/{}", app.date);
    let (s, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert_eq!(s, StatusCode::OK);

    // One timeline per route, one block and one table row per stop.
    assert_eq!(count(&html, "<article class=\"route "), routes.len());
    for r in routes {
        assert!(html.contains(&format!("id=\"route-{}\"", r["id"])));
        assert!(html.contains(&format!("id=\"lock-{}\"", r["id"])));
        for s in r["stops"].as_array().unwrap() {
            let key = format!("{}-{}", s["request_id"], s["role"].as_str().unwrap());
            assert!(
                html.contains(&format!("id=\"block-{key}\"")),
                "{key} on the timeline"
            );
            assert!(
                html.contains(&format!("id=\"stop-{key}\"")),
                "{key} in the table"
            );
        }
    }
    // The load after each stop, against the layout's room.
    assert!(html.contains("carrozzine 1/"), "wheelchair places on board");
    // The map's data: each route's points, in a JSON block for the script.
    let start = html.find("id=\"board-map-data\">").unwrap() + 20;
    let end = start + html[start..].find("</script>").unwrap();
    let map: Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(map["routes"].as_array().unwrap().len(), routes.len());
    assert!(
        map["tiles"].is_null(),
        "no tiles unless GIRO_TILE_URL is set"
    );
    let first = &map["routes"][0]["points"];
    assert_eq!(
        first.as_array().unwrap().len(),
        routes[0]["stops"].as_array().unwrap().len() + 2,
        "depot, stops, depot"
    );
    assert!(first[1]["name"].as_str().is_some_and(|n| !n.is_empty()));

    // Left out, with the reason in words, not the solver's name for it.
    assert!(html.contains(&format!("id=\"unassigned-{}\"", req["id"])));
    let text = visible_text(&html);
    assert!(
        text.contains("nessun mezzo ha un allestimento con posto per 6 carrozzine"),
        "{text}"
    );
    assert!(
        !text.contains("capacity"),
        "no raw reason names on the page"
    );
    assert!(
        !text.contains("board.") && !text.contains("reasons."),
        "no raw keys"
    );
    assert!(
        html.contains("id=\"publish-button\""),
        "a draft can be published"
    );
    assert!(html.contains("data-status=\"draft\""));

    // In English when the browser asks for it.
    let res = browser()
        .get(app.url(&path))
        .header(dispatcher.header.0, &dispatcher.header.1)
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let english = visible_text(&res.text().await.unwrap());
    assert!(english.contains("no vehicle has a layout with room for 6 wheelchairs"));
}

#[tokio::test]
async fn publishing_from_the_board_checks_the_form_token_and_the_version() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    let path = format!("/board/{}", app.date);
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    let csrf = field(&html, "_csrf");
    let version = plan["version"].to_string();
    let publish = format!("{path}/publish");

    let (s, _, _) = post_form(
        &app,
        &dispatcher,
        &publish,
        &[("revision", "1"), ("version", &version)],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no form token");
    let (s, _, html) = post_form(
        &app,
        &dispatcher,
        &publish,
        &[("_csrf", &csrf), ("revision", "1"), ("version", "x")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("version"), "names the field");
    let (s, _, _) = post_form(
        &app,
        &dispatcher,
        &publish,
        &[("_csrf", &csrf), ("revision", "1"), ("version", "999")],
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "a stale version");
    let (_, p) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(p["status"], "draft", "nothing written by the bad posts");

    let (s, location, _) = post_form(
        &app,
        &dispatcher,
        &publish,
        &[("_csrf", &csrf), ("revision", "1"), ("version", &version)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, path);
    let (_, p) = app
        .get(&dispatcher, &format!("/api/v1/plans/{}", app.date))
        .await;
    assert_eq!(p["status"], "published");
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(html.contains("data-status=\"published\""));
    assert!(
        !html.contains("id=\"publish-button\""),
        "nothing left to publish"
    );
}

#[tokio::test]
async fn route_sheets_print_one_section_per_route() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let sheets = format!("/board/{}/sheets", app.date);
    let (s, _, _) = page(&app, Some(&dispatcher), &sheets).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no plan, no sheets");

    let plan = app.solve(&dispatcher, 2.0).await;
    let routes = plan["routes"].as_array().unwrap();
    let (s, _, html) = page(&app, Some(&dispatcher), &sheets).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(count(&html, "class=\"sheet page-break\""), routes.len());
    assert!(
        html.contains("id=\"sheets-draft\""),
        "a draft is marked as such"
    );
    for r in routes {
        let start = html
            .find(&format!("id=\"sheet-{}\"", r["id"]))
            .expect("a section per route");
        let section = &html[start..start + html[start..].find("</section>").unwrap()];
        assert_eq!(
            count(section, "<tr data-key="),
            r["stops"].as_array().unwrap().len(),
            "every stop of route {}",
            r["id"]
        );
    }
    assert!(html.contains("href=\"tel:"), "phones to call");
}

#[tokio::test]
async fn each_drivers_route_sheet_downloads_as_csv_from_the_printed_sheets() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let sheets = format!("/board/{}/sheets", app.date);
    app.solve(&dispatcher, 2.0).await;
    let (_, _, html) = page(&app, Some(&dispatcher), &sheets).await;
    assert!(!html.contains("-csv\""), "a draft is no driver's sheet yet");

    let plan = app.publish_newest(&dispatcher).await;
    let (s, _, html) = page(&app, Some(&dispatcher), &sheets).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let mut drivers = std::collections::BTreeMap::<i64, Vec<String>>::new();
    for r in plan["routes"].as_array().unwrap() {
        let link = format!("sheet-{}-csv", r["id"]);
        let Some(v) = r["volunteer_id"].as_i64() else {
            assert!(
                !html.contains(&format!("id=\"{link}\"")),
                "nobody drives it"
            );
            continue;
        };
        let href = format!(
            "/api/v1/manifest?date={}&volunteer_id={v}&format=csv",
            app.date
        );
        assert!(
            tag(&html, &link).contains(&format!("href=\"{}\"", href.replace('&', "&#38;"))),
            "{}",
            tag(&html, &link)
        );
        let keys = drivers.entry(v).or_default();
        for stop in r["stops"].as_array().unwrap() {
            keys.push(format!(
                "{}-{}",
                stop["request_id"],
                stop["role"].as_str().unwrap()
            ));
        }
    }
    assert!(!drivers.is_empty(), "the demo's routes have drivers");
    let mut meals_with_diets = 0;
    for (v, keys) in &drivers {
        let href = format!(
            "/api/v1/manifest?date={}&volunteer_id={v}&format=csv",
            app.date
        );
        let (s, ct, csv) = app.get_text(&dispatcher, &href, None).await;
        assert_eq!(s, StatusCode::OK, "{csv}");
        assert!(ct.starts_with("text/csv"), "{ct}");
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert!(
            lines[0].starts_with("date,revision,route_id,vehicle,layout,seq,time,stop,role,kind"),
            "{}",
            lines[0]
        );
        assert_eq!(lines.len(), 1 + keys.len(), "a line per stop: {csv}");
        for (line, key) in lines[1..].iter().zip(keys) {
            assert!(
                line.starts_with(&format!("{},{},", app.date, plan["revision"])),
                "{line}"
            );
            assert!(line.contains(&format!(",{key},")), "{key} in order: {csv}");
        }
        meals_with_diets += lines
            .iter()
            .filter(|l| l.contains(",meal,") && l.contains("diete: "))
            .count();

        // The driver downloads the same sheet, and only his or her own.
        let (_, driver) = app.driver_of(*v).await;
        let (s, _, own) = app
            .get_text(
                &driver,
                &format!("/api/v1/manifest?date={}", app.date),
                Some("text/csv"),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(own, csv);
    }
    assert!(meals_with_diets > 0, "diets reach the route sheet");
    let (s, e) = app
        .get(
            &dispatcher,
            &format!(
                "/api/v1/manifest?date={}&volunteer_id=1&format=pdf",
                app.date
            ),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["field"], "format");
}

#[tokio::test]
async fn the_drivers_page_lists_drivers_and_draws_qr_codes_for_planners_only() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (s, _, html) = page(&app, Some(&dispatcher), "/board/drivers").await;
    assert_eq!(s, StatusCode::OK);
    let drivers = app
        .demo
        .logins
        .iter()
        .filter(|l| l.role == Role::Driver)
        .count();
    assert!(drivers > 0);
    assert_eq!(count(&html, "class=\"card driver\""), drivers);
    assert_eq!(count(&html, "class=\"primary link-create\""), drivers);

    let qr = |who: &As, body: &str, content_type: &str| {
        let req = browser()
            .post(app.url("/board/drivers/qr"))
            .header(who.header.0, &who.header.1)
            .header(header::CONTENT_TYPE, content_type)
            .body(body.to_string());
        async move {
            let res = req.send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    let good = r#"{"link": "http://127.0.0.1:8080/d/abcdefghijklmnopqrstuvwxyz0123456789"}"#;
    let (s, svg) = qr(&dispatcher, good, "application/json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(svg.starts_with("<svg") && svg.contains("<path"), "{svg}");
    // A form from another site cannot send JSON: a form body is refused.
    let (s, _) = qr(
        &dispatcher,
        "link=http://x/d/1",
        "application/x-www-form-urlencoded",
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    for bad in [
        r#"{"link": "javascript:alert(1)"}"#,
        r#"{"link": 5}"#,
        r#"{"url": "http://x"}"#,
    ] {
        let (s, body) = qr(&dispatcher, bad, "application/json").await;
        assert!(s.is_client_error(), "{bad}: {s}");
        assert!(
            body.contains("link") || body.contains("url"),
            "names the field: {body}"
        );
    }
    let member = app.login_as(Role::Member).await;
    assert_eq!(
        qr(&member, good, "application/json").await.0,
        StatusCode::FORBIDDEN
    );
}

/// The JSON of a `<script type="application/json" id="…">` block.
fn json_block(html: &str, id: &str) -> Value {
    let marker = format!("id=\"{id}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no block {id}"))
        + marker.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn solving_from_the_board_form_shows_the_running_solve_and_stops_on_request() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let path = format!("/board/{}", app.date);
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    let csrf = field(&html, "_csrf");
    let solve = format!("{path}/solve");
    let (s, _, _) = post_form(&app, &dispatcher, &solve, &[("time_limit_s", "30")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no form token");
    let (s, _, html) = post_form(
        &app,
        &dispatcher,
        &solve,
        &[("_csrf", &csrf), ("time_limit_s", "soon")],
    )
    .await;
    assert!(s.is_client_error(), "{s}");
    assert!(html.contains("time_limit_s"));

    let (s, location, _) = post_form(
        &app,
        &dispatcher,
        &solve,
        &[("_csrf", &csrf), ("time_limit_s", "30")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, path);
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(
        html.contains("data-running=\"true\""),
        "the bar follows the solve"
    );
    assert!(html.contains("max=\"30\""));
    assert_eq!(json_block(&html, "board-data")["solving"], true);
    assert!(html.contains(
        "id=\"solve-button\" class=\"primary\" type=\"submit\" data-testid=\"solve\" disabled"
    ));

    let (s, _, _) = post_form(
        &app,
        &dispatcher,
        &format!("{path}/solve/cancel"),
        &[("_csrf", &csrf)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let (_, solve) = app
            .get(&dispatcher, &format!("/api/v1/plans/{}/solve", app.date))
            .await;
        if solve["status"] != "running" {
            assert_eq!(solve["status"], "cancelled", "{solve}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the solve did not stop"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(
        html.contains("data-status=\"draft\""),
        "the best plan is kept as a draft"
    );
    assert!(visible_text(&html).contains("Calcolo interrotto"));
}

#[tokio::test]
async fn the_board_solves_again_from_its_plan_or_afresh_when_the_box_is_ticked() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let path = format!("/board/{}", app.date);
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(
        !html.contains("id=\"solve-fresh\""),
        "no plan, nothing to go on from"
    );
    let first = app.solve(&dispatcher, 2.0).await;
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(html.contains("id=\"solve-fresh\""));
    assert!(visible_text(&html).contains("Riparti da zero"));
    let csrf = field(&html, "_csrf");
    let left_out = |plan: &Value| plan["unassigned"].as_array().unwrap().len();
    // A millisecond: the plan on the board, or the construction alone.
    for (fresh, revision) in [(false, 2), (true, 3)] {
        let mut form = vec![("_csrf", csrf.as_str()), ("time_limit_s", "0.001")];
        if fresh {
            form.push(("fresh", "1"));
        }
        let (s, _, _) = post_form(&app, &dispatcher, &format!("{path}/solve"), &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let plan = app.solved(&dispatcher, app.date, 0.001).await;
        assert_eq!(plan["revision"], revision);
        if fresh {
            assert!(left_out(&plan) > left_out(&first) + 5, "{plan}");
        } else {
            assert!(left_out(&plan) <= left_out(&first), "{plan}");
        }
    }
}

#[tokio::test]
async fn edits_show_on_the_board_locks_reasons_and_saved_violations() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 2.0).await;
    let edits = format!("/api/v1/plans/{}/edits", app.date);
    let path = format!("/board/{}", app.date);
    let routes = plan["routes"].as_array().unwrap();
    // The longest route, and a ride with the default 45-minute limit on another one.
    let long = routes
        .iter()
        .max_by(|a, b| {
            let d = |r: &Value| r["end_min"].as_f64().unwrap() - r["start_min"].as_f64().unwrap();
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    let (_, requests) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let ride =
        routes
            .iter()
            .filter(|r| r["id"] != long["id"])
            .flat_map(|r| r["stops"].as_array().unwrap())
            .map(|s| s["request_id"].clone())
            .find(|id| {
                requests.as_array().unwrap().iter().any(|q| {
                    q["id"] == *id && q["kind"] == "ride" && q["max_ride_minutes"].is_null()
                })
            })
            .expect("a ride on another route")
            .as_i64()
            .unwrap();
    let route = long["id"].as_i64().unwrap();

    let (s, out) = app
        .post(
            &dispatcher,
            &edits,
            json!({"version": plan["version"], "edit": {"op": "lock", "route_id": route}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(html.contains(&format!(
        "id=\"lock-{route}\" data-route-id=\"{route}\" aria-pressed=\"true\""
    )));
    assert!(
        html.contains(&format!("id=\"locked-{route}\"")),
        "the lock in words too"
    );

    // Taken out by hand: the reason says so, in words.
    let (s, out) = app
        .post(
            &dispatcher,
            &edits,
            json!({"version": out["plan"]["version"], "confirm": true,
            "edit": {"op": "unassign", "request_id": ride}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    assert_eq!(out["saved"], true, "{out}");
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(html.contains(&format!("id=\"unassigned-{ride}\"")));
    assert!(visible_text(&html).contains("tolta dal piano a mano"));
    assert!(html.contains(&format!("data-testid=\"assign-{ride}\"")));

    // Put first and last on the long route, it rides too long; saved anyway,
    // the board's script gets each violation with the stop it concerns.
    let n = long["stops"].as_array().unwrap().len();
    let (s, out) = app
        .post(&dispatcher, &edits, json!({"version": out["plan"]["version"], "confirm": true,
            "edit": {"op": "assign", "request_id": ride, "route_id": route, "pickup": 0, "dropoff": n + 1}}))
        .await;
    assert_eq!(s, StatusCode::OK, "{out}");
    let broken = out["violations"].as_array().unwrap();
    assert!(
        broken
            .iter()
            .any(|v| v["kind"] == "ride_time" && v["request_id"] == ride),
        "{broken:?}"
    );
    let (_, _, html) = page(&app, Some(&dispatcher), &path).await;
    assert!(html.contains("id=\"plan-violations-box\""));
    let data = json_block(&html, "board-data");
    let violations = data["violations"].as_array().unwrap();
    assert_eq!(violations.len(), broken.len());
    let texts = json_block(&html, "board-texts");
    for v in violations {
        if let Some(stop) = v["stop"].as_str() {
            assert!(
                html.contains(&format!("id=\"stop-{stop}\"")),
                "row for {stop}"
            );
        }
        if !v["request_id"].is_null() {
            let who = data["who"][v["request_id"].to_string()].as_str();
            assert!(who.is_some_and(|w| !w.is_empty()), "{v}");
        }
        let kind = v["kind"].as_str().unwrap();
        assert!(
            texts[format!("board.js.violation.{kind}")].is_string(),
            "words for {kind}"
        );
    }
    assert!(
        texts["board.js.violation.ride_time"]
            .as_str()
            .unwrap()
            .contains("{limit}"),
        "the ride limit in the sentence"
    );
}
