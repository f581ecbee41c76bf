//! The association portal as a member uses it: the association's rides only,
//! a booking form whose faults are marked field by field, and the promised
//! pickup time once the plan is published.

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::{As, TestApp};

/// A page as the browser gets it: status and HTML.
pub(super) async fn page(app: &TestApp, who: Option<&As>, path: &str) -> (StatusCode, String) {
    let mut req = app.http.get(app.url(path));
    if let Some(w) = who {
        req = req.header(w.header.0, &w.header.1);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

pub(super) async fn post_form(
    app: &TestApp,
    who: &As,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(app.url(path))
        .header(who.header.0, &who.header.1)
        .form(fields)
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (res.status(), res.text().await.unwrap(), location)
}

pub(super) fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("the page has a form token");
    let rest = &html[at + "name=\"_csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

pub(super) async fn member_people(app: &TestApp, who: &As) -> Vec<Value> {
    let (s, people) = app.get(who, "/api/v1/people").await;
    assert_eq!(s, StatusCode::OK);
    people.as_array().unwrap().clone()
}

async fn requests(app: &TestApp) -> usize {
    let admin = app.login_as(Role::Admin).await;
    app.get(&admin, "/api/v1/requests")
        .await
        .1
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_member_sees_only_the_associations_rides_and_others_are_sent_away() {
    let app = TestApp::spawn().await;
    let (s, _) = page(&app, None, "/portal").await;
    assert_eq!(
        s,
        StatusCode::OK,
        "anonymous readers end on the sign-in page"
    );
    let (s, html) = page(&app, None, "/login?next=/portal").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("name=\"next\" value=\"/portal\""));

    for nth in 0..2 {
        let member = app.login(&app.email(Role::Member, nth)).await;
        let (s, html) = page(&app, Some(&member), "/portal?past=1").await;
        assert_eq!(s, StatusCode::OK);
        let (_, mine) = app
            .get(&member, &format!("/api/v1/requests?date={}", app.date))
            .await;
        let rides: Vec<&Value> = mine
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["kind"] == "ride")
            .collect();
        assert!(!rides.is_empty());
        for r in &rides {
            assert!(
                html.contains(&format!("data-request-id=\"{}\"", r["id"])),
                "own ride {} listed",
                r["id"]
            );
        }
        let admin = app.login_as(Role::Admin).await;
        let (_, all) = app
            .get(&admin, &format!("/api/v1/requests?date={}", app.date))
            .await;
        for r in all.as_array().unwrap() {
            if r["organisation_id"] != rides[0]["organisation_id"] {
                assert!(
                    !html.contains(&format!("data-request-id=\"{}\"", r["id"])),
                    "another association's request {} shown",
                    r["id"]
                );
            }
        }
    }
    for role in [Role::Driver, Role::Dispatcher] {
        let who = app.login_as(role).await;
        let (s, html) = page(&app, Some(&who), "/portal").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
        assert!(html.contains("<html"), "a page, not JSON");
    }
}

#[tokio::test]
async fn a_booking_with_faults_is_marked_and_writes_nothing_then_goes_through() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let (s, html) = page(&app, Some(&member), "/portal/new").await;
    assert_eq!(s, StatusCode::OK);
    let token = csrf(&html);
    let person = member_people(&app, &member).await[0]["id"].to_string();
    let (_, places) = app.get(&member, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "day_centre")
        .unwrap()["id"]
        .to_string();
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).to_string();
    let before = requests(&app).await;

    // Without the form token: refused.
    let (s, _, _) = post_form(&app, &member, "/portal/new", &[("person_id", &person)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // An end before the start and no destination: both marked, nothing written.
    let (s, html, _) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &tomorrow),
            ("window_at", "dropoff"),
            ("window_start", "09:30"),
            ("window_end", "09:00"),
            ("from_place_id", "home"),
            ("to_place_id", ""),
            ("companions", "1"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"to_place_id\" name=\"to_place_id\" aria-invalid=\"true\""),
        "destination marked"
    );
    assert!(html.contains("id=\"to_place_id-error\""));
    assert!(html.contains("value=\"09:30\""), "typed values are kept");
    assert_eq!(requests(&app).await, before);

    let (s, html, _) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &tomorrow),
            ("window_at", "dropoff"),
            ("window_start", "09:30"),
            ("window_end", "09:00"),
            ("from_place_id", "home"),
            ("to_place_id", &to),
            ("companions", "1"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"window_end\" name=\"window_end\" type=\"time\" value=\"09:00\" aria-invalid=\"true\""), "the window's end marked");
    assert_eq!(requests(&app).await, before);

    // Right, with a way back: two requests, the second the return of the first.
    let (s, dbg_html, location) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &tomorrow),
            ("window_at", "dropoff"),
            ("window_start", "09:00"),
            ("window_end", "09:30"),
            ("from_place_id", "home"),
            ("to_place_id", &to),
            ("companions", "1"),
            ("purpose", "day_centre"),
            ("way_back", "at"),
            ("return_at", "16:00"),
        ],
    )
    .await;
    assert_eq!(
        s,
        StatusCode::SEE_OTHER,
        "{}",
        dbg_html
            .lines()
            .filter(|l| l.contains("error") || l.contains("invalid=\"true"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(requests(&app).await, before + 2);
    let (_, mine) = app
        .get(&member, &format!("/api/v1/requests?date={tomorrow}"))
        .await;
    let mine = mine.as_array().unwrap();
    let out = mine.iter().find(|r| r["return_of"].is_null()).unwrap();
    assert_eq!(
        location,
        Some(format!("/portal?created={}", out["id"])),
        "back to the list, naming the ride booked"
    );
    let back = mine.iter().find(|r| !r["return_of"].is_null()).unwrap();
    assert_eq!(back["return_of"]["request_id"], out["id"]);
    assert_eq!(out["to_place_id"].to_string(), to);
    assert_eq!(back["from_place_id"].to_string(), to);
    assert_eq!(out["window"], json!({"start": "09:00", "end": "09:30"}));
    assert_eq!(
        out["load"]["seats"].as_u64().unwrap() + out["load"]["wheelchairs"].as_u64().unwrap(),
        2,
        "the person and one companion"
    );
    let (_, html) = page(
        &app,
        Some(&member),
        &format!("/portal?created={}", out["id"]),
    )
    .await;
    assert!(html.contains("id=\"created-notice\""));
    assert!(
        !html.contains("id=\"fit-note\""),
        "no plan that day: nothing to say yet"
    );
    assert!(html.contains(&format!("data-request-id=\"{}\"", out["id"])));
}

#[tokio::test]
async fn once_published_the_member_sees_the_promised_pickup_time() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let member = app.login_as(Role::Member).await;
    let (_, html) = page(&app, Some(&member), "/portal?past=1").await;
    assert!(
        !html.contains("badge ok"),
        "nothing scheduled before publishing"
    );
    let plan = app.solve(&dispatcher, 2.0).await;
    let (s, _) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/publish", app.date),
            json!({"revision": plan["revision"], "version": plan["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, html) = page(&app, Some(&member), "/portal?past=1").await;
    let (_, mine) = app
        .get(&member, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let mut checked = 0;
    for r in mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "ride")
    {
        let pickup = plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|route| route["stops"].as_array().unwrap())
            .find(|s| s["request_id"] == r["id"] && s["role"] == "pickup");
        let row_at = html
            .find(&format!("data-request-id=\"{}\"", r["id"]))
            .unwrap();
        let row = &html[row_at..row_at + html[row_at..].find("</tr>").unwrap()];
        match pickup {
            Some(stop) => {
                assert!(
                    row.contains(&format!("<strong>{}–", stop["time"].as_str().unwrap())),
                    "promised time in {row}"
                );
                checked += 1;
            }
            None => assert!(!row.contains("<strong>")),
        }
    }
    assert!(checked > 0);
}

/// A ride booked on a day already planned: the list says at once whether the
/// plan has room, as the dispatcher's "can we fit it?" answers.
#[tokio::test]
async fn a_ride_booked_on_a_planned_day_says_at_once_whether_it_fits() {
    let app =
        TestApp::spawn_on(chrono::Local::now().date_naive() + chrono::Duration::days(7)).await;
    app.without_generators().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let member = app.login_as(Role::Member).await;
    app.solve(&dispatcher, 2.0).await;
    app.publish_newest(&dispatcher).await;
    let (_, form) = page(&app, Some(&member), "/portal/new").await;
    let person = member_people(&app, &member).await[0]["id"].to_string();
    let (_, places) = app.get(&member, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "day_centre")
        .unwrap()["id"]
        .to_string();
    let date = app.date.to_string();
    let (s, html, location) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &csrf(&form)),
            ("person_id", &person),
            ("date", &date),
            ("window_at", "pickup"),
            ("window_start", "14:30"),
            ("window_end", "15:15"),
            ("from_place_id", "home"),
            ("to_place_id", &to),
            ("companions", ""),
            ("purpose", "day_centre"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let location = location.unwrap();
    let id: i64 = location
        .strip_prefix("/portal?created=")
        .and_then(|id| id.parse().ok())
        .expect("the list names the ride booked");
    let (_, html) = page(&app, Some(&member), &location).await;
    let at = html
        .find("id=\"fit-note\"")
        .expect("the note on the plan's room");
    let note = &html[at..at + html[at..].find("</p>").unwrap()];
    let (s, answer) = app
        .post(
            &dispatcher,
            &format!("/api/v1/plans/{}/fit", app.date),
            json!({"request_id": id}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    match answer["ways"].as_array().unwrap().first() {
        Some(way) => {
            let pickup = way["pickup"].as_str().unwrap().trim_start_matches('0');
            assert!(note.contains(pickup), "{note} says the pickup {pickup}");
        }
        None => assert!(answer["blocked"].is_object(), "{answer}"),
    }
}

#[tokio::test]
async fn a_note_with_control_characters_is_marked_beside_its_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let (_, html) = page(&app, Some(&member), "/portal/new").await;
    let token = csrf(&html);
    let person = member_people(&app, &member).await[0]["id"].to_string();
    let (_, places) = app.get(&member, "/api/v1/places").await;
    let to = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "day_centre")
        .unwrap()["id"]
        .to_string();
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Duration::days(1)).to_string();
    let before = requests(&app).await;
    let (s, html, _) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &tomorrow),
            ("window_at", "dropoff"),
            ("window_start", "09:00"),
            ("window_end", "09:30"),
            ("from_place_id", "home"),
            ("to_place_id", &to),
            ("companions", "0"),
            ("notes", "suonare\u{0}due volte"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"notes-error\""), "the note is marked");
    assert!(
        html.contains("caratteri di controllo"),
        "and says why, in Italian"
    );
    assert!(!html.contains('\u{0}'), "the bad text is not echoed back");
    assert!(
        html.contains("value=\"09:00\""),
        "the other values are kept"
    );
    assert_eq!(requests(&app).await, before);
}
