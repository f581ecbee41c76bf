//! The portal's booking form as associations book: by appointment with the
//! way back some minutes after, every week as a standing order, and a pause
//! for a hospital stay with its resume date; another association sees none
//! of it.

use chrono::{Duration, Local};
use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

use super::pages_portal::{csrf, member_people, page, post_form};
use super::support::{As, TestApp};

async fn day_centre(app: &TestApp, who: &As) -> String {
    let (_, places) = app.get(who, "/api/v1/places").await;
    places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "day_centre")
        .unwrap()["id"]
        .to_string()
}

async fn orders(app: &TestApp, who: &As) -> Vec<Value> {
    let (s, v) = app.get(who, "/api/v1/standing-orders").await;
    assert_eq!(s, StatusCode::OK);
    v.as_array().unwrap().clone()
}

#[tokio::test]
async fn an_appointment_with_its_way_back_after_ninety_minutes() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let (_, html) = page(&app, Some(&member), "/portal/new").await;
    assert!(
        html.contains("id=\"timing_appointment\""),
        "arrive-by is offered"
    );
    assert!(
        html.contains("value=\"health_visit\""),
        "purposes are a list"
    );
    let token = csrf(&html);
    let person = member_people(&app, &member).await[0]["id"].to_string();
    let to = day_centre(&app, &member).await;
    let tomorrow = (Local::now().date_naive() + Duration::days(1)).to_string();
    let (s, html, location) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &tomorrow),
            ("timing", "appointment"),
            ("time", "10:30"),
            ("from_place_id", "home"),
            ("to_place_id", &to),
            ("companions", ""),
            ("purpose", "health_visit"),
            ("way_back", "after"),
            ("return_after", "90"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, mine) = app
        .get(&member, &format!("/api/v1/requests?date={tomorrow}"))
        .await;
    let mine = mine.as_array().unwrap();
    let out = mine
        .iter()
        .find(|r| r["appointment"] == "10:30")
        .expect("the outbound keeps its appointment");
    assert_eq!(location, Some(format!("/portal?created={}", out["id"])));
    assert_eq!(out["window_at"], "dropoff", "booked to arrive by");
    assert_eq!(out["purpose"], "health_visit");
    assert_eq!(out["way_back"], serde_json::json!({"after_minutes": 90}));
    let back = mine
        .iter()
        .find(|r| r["return_of"]["request_id"] == out["id"])
        .expect("the way back is booked with it");
    assert_eq!(back["from_place_id"].to_string(), to);

    // The time is required for an appointment: marked, nothing written.
    let (s, html, _) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &tomorrow),
            ("timing", "appointment"),
            ("time", ""),
            ("to_place_id", &to),
            ("way_back", "at"),
            ("return_at", "25:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"time-error\""), "the time is marked");
    assert!(
        html.contains("id=\"return_at-error\""),
        "the way back is marked"
    );
    let (_, again) = app
        .get(&member, &format!("/api/v1/requests?date={tomorrow}"))
        .await;
    assert_eq!(again.as_array().unwrap().len(), mine.len());
}

#[tokio::test]
async fn a_weekly_order_from_the_form_then_paused_and_hidden_from_others() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let (_, html) = page(&app, Some(&member), "/portal/new").await;
    let token = csrf(&html);
    let person = member_people(&app, &member).await[0]["id"].to_string();
    let to = day_centre(&app, &member).await;
    let today = Local::now().date_naive();
    let first = (today + Duration::days(1)).to_string();
    let until = (today + Duration::days(90)).to_string();
    let before = orders(&app, &member).await.len();

    // No weekday, and a window (a standing order books by a time): both marked.
    let (s, html, _) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &first),
            ("timing", "window"),
            ("window_at", "pickup"),
            ("window_start", "08:00"),
            ("window_end", "08:30"),
            ("to_place_id", &to),
            ("way_back", "none"),
            ("repeat", "1"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"weekdays-error\""));
    assert!(html.contains("id=\"timing-error\""));
    assert_eq!(orders(&app, &member).await.len(), before, "nothing written");

    let (s, html, location) = post_form(
        &app,
        &member,
        "/portal/new",
        &[
            ("_csrf", &token),
            ("person_id", &person),
            ("date", &first),
            ("timing", "pickup_at"),
            ("time", "08:15"),
            ("to_place_id", &to),
            ("purpose", "day_centre"),
            ("way_back", "at"),
            ("return_at", "16:00"),
            ("repeat", "1"),
            ("weekdays", "mon"),
            ("weekdays", "wed"),
            ("weekdays", "fri"),
            ("repeat_until", &until),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(location.as_deref(), Some("/portal?created=weekly"));
    let all = orders(&app, &member).await;
    assert_eq!(all.len(), before + 1);
    let order = all
        .iter()
        .find(|o| o["ride"]["pickup_at"] == "08:15")
        .expect("the new order");
    assert_eq!(
        order["recurrence"]["weekdays"],
        serde_json::json!(["mon", "wed", "fri"])
    );
    assert_eq!(order["recurrence"]["ends_on"], until.as_str());
    assert_eq!(
        order["ride"]["way_back"],
        serde_json::json!({"at": "16:00"})
    );
    let id = order["id"].as_i64().unwrap();
    let (_, list) = page(&app, Some(&member), "/portal?created=weekly").await;
    let row_at = list
        .find(&format!("data-order-id=\"{id}\""))
        .expect("the order is listed");
    let row = &list[row_at..row_at + list[row_at..].find("</tr>").unwrap()];
    assert!(row.contains("lun, mer, ven"), "{row}");
    assert!(row.contains("partenza alle 08:15"), "{row}");

    // A pause whose resume comes before it: marked, the order unchanged.
    let path = format!("/portal/standing/{id}/suspend");
    let (s, form) = page(&app, Some(&member), &format!("/portal/standing/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let token = csrf(&form);
    let from = (today + Duration::days(7)).to_string();
    let resume = (today + Duration::days(21)).to_string();
    let (s, html, _) = post_form(
        &app,
        &member,
        &path,
        &[("_csrf", &token), ("from", &resume), ("resume_on", &from)],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"resume_on-error\""));
    let (_, unchanged) = app
        .get(&member, &format!("/api/v1/standing-orders/{id}"))
        .await;
    assert_eq!(unchanged["suspensions"], serde_json::json!([]));

    let (s, _, location) = post_form(
        &app,
        &member,
        &path,
        &[
            ("_csrf", &token),
            ("from", &from),
            ("resume_on", &resume),
            ("reason", "ricovero"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/portal?suspended=1"));
    let (_, paused) = app
        .get(&member, &format!("/api/v1/standing-orders/{id}"))
        .await;
    assert_eq!(paused["suspensions"][0]["from"], from.as_str());
    assert_eq!(paused["suspensions"][0]["resume_on"], resume.as_str());
    let (_, list) = page(&app, Some(&member), "/portal").await;
    assert!(list.contains("data-testid=\"paused\""));

    // Another association's member finds neither the order nor its page.
    let other = app.login(&app.email(Role::Member, 1)).await;
    let (_, theirs) = page(&app, Some(&other), "/portal").await;
    assert!(!theirs.contains(&format!("data-order-id=\"{id}\"")));
    let (s, _) = page(&app, Some(&other), &format!("/portal/standing/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, own) = page(&app, Some(&other), "/portal/new").await;
    let (s, _, _) = post_form(
        &app,
        &other,
        &path,
        &[("_csrf", &csrf(&own)), ("from", &first)],
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, still) = app
        .get(&member, &format!("/api/v1/standing-orders/{id}"))
        .await;
    assert_eq!(still["suspensions"].as_array().unwrap().len(), 1);
}
