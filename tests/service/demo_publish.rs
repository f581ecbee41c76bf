//! `giro demo` publishes its plan and hands out the drivers' links, so a
//! driver who signs in sees a route at once.

use giro::domain::Role;
use giro::service::drivers;
use reqwest::StatusCode;

use super::support::TestApp;

#[tokio::test]
async fn the_demo_publishes_and_its_drivers_see_their_routes() {
    let app = TestApp::spawn().await;
    let solve = giro::api::solve_now(&app.state, app.date, 1.5, 1)
        .await
        .unwrap();
    assert_eq!(solve.status, giro::store::SolveStatus::Done);
    // What `giro demo` runs after its solve.
    let published = giro::demo::publish(&app.store, &app.demo).await.unwrap();
    let plan = app.store.published_plan(app.date).await.unwrap().unwrap();
    assert_eq!(plan.revision, published.revision);
    let drivers_in_demo = app
        .demo
        .logins
        .iter()
        .filter(|l| l.role == Role::Driver)
        .count();
    assert_eq!(published.drivers.len(), drivers_in_demo);
    let busy: Vec<_> = published.drivers.iter().filter(|d| d.stops > 0).collect();
    assert!(!busy.is_empty(), "some demo driver has a route");
    for d in &published.drivers {
        let linked = drivers::user_for_link(&app.store, &d.token)
            .await
            .unwrap()
            .expect("each demo driver's link resolves");
        assert_eq!(linked.user.email, d.email);
        let session = app.login(&d.email).await;
        let (s, m) = app
            .get(&session, &format!("/api/v1/manifest?date={}", app.date))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(m["revision"], published.revision);
        let stops: usize = m["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["stops"].as_array().unwrap().len())
            .sum();
        assert_eq!(stops, d.stops, "{}: the manifest shows the route", d.email);
    }
}
