//! "It would fit on another day": a ride nothing on its own day lets in is
//! offered the nearest next service day with a van on duty and room, against
//! that day's plan; moved there as said, it is planned.

use chrono::Days;
use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::checked::check_plan_on;
use super::rides::{ahead, on_duty, person, place, ride, solve_date, stops_of};
use super::support::TestApp;

fn turned_down(plan: &Value, request: i64) -> Value {
    plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["request_id"] == request)
        .unwrap_or_else(|| panic!("request {request} turned down in {plan}"))
        .clone()
}

#[tokio::test]
async fn a_ride_nothing_on_its_day_lets_in_fits_on_the_next_day_with_room() {
    let app = TestApp::spawn_on(ahead(44)).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    // Two days after the demo's, and the next a day the service runs.
    let mut date = app.date + Days::new(2);
    while giro::domain::holiday(date + Days::new(1)).is_some() {
        date = date + Days::new(1);
    }
    let next = date + Days::new(1);
    // The van (the only vehicle that carries riders) is on duty only in the
    // morning; the ride is asked for the afternoon.
    on_duty(&app, &dispatcher, date, true, ("08:00", "10:00")).await;
    let giuseppina = person(&app, &dispatcher, "Giuseppina Parodi").await;
    let office = place(&app, &dispatcher, "ASL 4").await;
    let mut visit = ride(&giuseppina, office, date, json!({"pickup_at": "15:30"}));
    let (s, booked) = app
        .post(&dispatcher, "/api/v1/requests", visit.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED, "{booked}");
    let id = booked["id"].as_i64().unwrap();

    // No time within two hours, no vehicle called in, no companion to spare,
    // and no van on duty in the week after: nothing to suggest.
    let plan = solve_date(&app, &dispatcher, date).await;
    let out = turned_down(&plan, id);
    assert!(out["fits_if"].is_null(), "{out}");

    // The van on duty the next afternoon, that day already planned: the
    // ride fits there.
    on_duty(&app, &dispatcher, next, true, ("13:00", "18:00")).await;
    let planned_next = solve_date(&app, &dispatcher, next).await;
    check_plan_on(&app, next, &planned_next).await;
    let plan = solve_date(&app, &dispatcher, date).await;
    let out = turned_down(&plan, id);
    assert_eq!(out["fits_if"]["change"], "other_day", "{out}");
    assert_eq!(out["fits_if"]["date"], next.to_string(), "{out}");

    let board = format!("/board/{date}");
    let (s, _, html) = super::html::page(&app, Some(&dispatcher), &board).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("entrerebbe spostandola a "),
        "the suggestion in words"
    );

    // Moved as said, it is planned on that day, and the checker agrees.
    visit["date"] = json!(next.to_string());
    let (s, moved) = app
        .put(&dispatcher, &format!("/api/v1/requests/{id}"), visit)
        .await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    let plan = solve_date(&app, &dispatcher, next).await;
    check_plan_on(&app, next, &plan).await;
    assert_eq!(stops_of(&plan, id).len(), 2, "now it fits: {plan}");
}
