//! A small one-van day is proved optimal and the board says so; with a
//! second vehicle on duty the exact step declines and nothing is claimed.

use chrono::{Datelike, Days, Weekday};
use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::html::page;
use super::rides::{ahead, on_duty, place, ride, solve_date};
use super::support::TestApp;

#[tokio::test]
async fn a_one_van_day_of_a_few_rides_is_proved_optimal_and_the_board_says_so() {
    let app = TestApp::spawn_on(ahead(46)).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    // A Sunday: no standing order of the demo rides then, so the day holds
    // only the rides booked here (and no ways back, which the exact step declines).
    let mut date = app.date + Days::new(2);
    while date.weekday() != Weekday::Sun {
        date = date + Days::new(1);
    }
    on_duty(&app, &dispatcher, date, true, ("08:00", "13:00")).await;
    let (_, people) = app.get(&dispatcher, "/api/v1/people").await;
    let office = place(&app, &dispatcher, "ASL 4").await;
    for (p, at) in people
        .as_array()
        .unwrap()
        .iter()
        .zip(["09:00", "10:00", "11:00"])
    {
        let (s, booked) = app
            .post(
                &dispatcher,
                "/api/v1/requests",
                ride(p, office, date, json!({"pickup_at": at})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{booked}");
    }
    let plan = solve_date(&app, &dispatcher, date).await;
    assert!(plan["unassigned"].as_array().unwrap().is_empty(), "{plan}");
    assert_eq!(plan["figures"]["feasible"], true);
    assert_eq!(
        plan["figures"]["proved_optimal"], true,
        "{}",
        plan["figures"]
    );
    let (s, _, html) = page(&app, Some(&dispatcher), &format!("/board/{date}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("id=\"plan-optimal\""),
        "the board shows the proof"
    );
    assert!(html.contains("ottimo dimostrato"));

    // A car on duty too: two vehicles, no proof claimed.
    on_duty(&app, &dispatcher, date, false, ("08:00", "13:00")).await;
    let plan = solve_date(&app, &dispatcher, date).await;
    assert_eq!(
        plan["figures"]["proved_optimal"], false,
        "{}",
        plan["figures"]
    );
    let (_, _, html) = page(&app, Some(&dispatcher), &format!("/board/{date}")).await;
    assert!(!html.contains("id=\"plan-optimal\""));
}
