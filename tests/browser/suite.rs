//! One test's world: the real app on a fresh SQLite database with the demo
//! day, a chromedriver, and browsers signed in as the demo's users.

use tokio::sync::MutexGuard;

use giro::domain::Role;
use giro::web::i18n::{Lang, Tr};

use crate::gate::Gate;
use crate::harness::{serial, Browser, Chromedriver, Viewport};
use crate::support::TestApp;

pub struct Suite {
    pub app: TestApp,
    pub driver: Chromedriver,
    /// The phone's signal: every browser reaches the app through it.
    pub gate: Gate,
    pub test: String,
    _one_at_a_time: MutexGuard<'static, ()>,
}

/// A catalogue text, so that the flows assert the language without copying it.
pub fn tr(lang: Lang, key: &str) -> String {
    let text = Tr::new(lang).t(key);
    assert_ne!(text, key, "the catalogue has {key}");
    text.to_string()
}

impl Suite {
    pub async fn start(test: &str) -> Self {
        Self::start_on(test, chrono::Local::now().date_naive()).await
    }

    /// As `start`, on the first day from today that the demo's meal rounds
    /// and pickups run (Monday to Friday, not a public holiday), so a test of
    /// the meal pages means the same on a Saturday.
    pub async fn start_on_a_service_day(test: &str) -> Self {
        use chrono::Datelike;
        let mut date = chrono::Local::now().date_naive();
        while date.weekday().number_from_monday() > 5 || giro::domain::holiday(date).is_some() {
            date = date.succ_opt().expect("a next day");
        }
        Self::start_on(test, date).await
    }

    /// As `start`, with the demo's day on `date`.
    pub async fn start_on(test: &str, date: chrono::NaiveDate) -> Self {
        let guard = serial().await;
        let app = TestApp::spawn_on(date).await;
        let driver = Chromedriver::start().await;
        let gate = Gate::start(app.addr).await;
        Suite {
            app,
            driver,
            gate,
            test: test.to_string(),
            _one_at_a_time: guard,
        }
    }

    pub async fn browser(&self, viewport: Viewport) -> Browser {
        let mut b = Browser::open(&self.driver, &self.gate.base, &self.test, viewport).await;
        b.gate = Some(self.gate.clone());
        b
    }

    /// A browser signed in through the sign-in page as the `nth` demo user of `role`.
    pub async fn signed_in(&self, role: Role, nth: usize, viewport: Viewport) -> Browser {
        let mut b = self.browser(viewport).await;
        sign_in(&mut b, &self.app.email(role, nth), giro::demo::PASSWORD).await;
        let path = b.path().await;
        assert!(
            !path.starts_with("/login"),
            "{}: {role:?} #{nth} is still on {path} after signing in",
            self.test
        );
        b
    }
}

impl Suite {
    /// The dispatcher's part through the API, for flows about someone else:
    /// solves the day and publishes the result; returns the published plan.
    pub async fn solve_and_publish(&self) -> serde_json::Value {
        let dispatcher = self.app.login_as(Role::Dispatcher).await;
        let plan = self.app.solve(&dispatcher, 2.0).await;
        let (status, published) = self
            .app
            .post(
                &dispatcher,
                &format!("/api/v1/plans/{}/publish", self.app.date),
                serde_json::json!({"revision": plan["revision"], "version": plan["version"]}),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "publish: {published}");
        published
    }

    /// The demo driver who drives as `volunteer`: (user id, e-mail).
    pub async fn driver_of(&self, volunteer: i64) -> (i64, String) {
        for login in self
            .app
            .demo
            .logins
            .iter()
            .filter(|l| l.role == Role::Driver)
        {
            let (user, _) = self
                .app
                .store
                .user_for_login(&login.email)
                .await
                .expect("store")
                .expect("demo user");
            if user.volunteer_id == Some(volunteer) {
                return (user.id, login.email.clone());
            }
        }
        panic!("no demo driver drives as volunteer {volunteer}")
    }

    /// A personal link (`/d/<token>`) the dispatcher makes for a driver.
    pub async fn personal_link(&self, user: i64) -> String {
        let dispatcher = self.app.login_as(Role::Dispatcher).await;
        let (status, link) = self
            .app
            .post(
                &dispatcher,
                &format!("/api/v1/users/{user}/link"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "link: {link}");
        link["path"].as_str().expect("the link's path").to_string()
    }

    /// Every stop event of the test date, as the dispatcher reads them.
    pub async fn events(&self) -> Vec<serde_json::Value> {
        let dispatcher = self.app.login_as(Role::Dispatcher).await;
        let (status, events) = self
            .app
            .get(
                &dispatcher,
                &format!("/api/v1/events?date={}", self.app.date),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "events: {events}");
        events.as_array().expect("a list").clone()
    }
}

/// Routes of a plan with a driver, the longest first: (route, volunteer, stops).
pub fn driven_routes(plan: &serde_json::Value) -> Vec<(&serde_json::Value, i64, usize)> {
    let mut routes: Vec<_> = plan["routes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let stops = r["stops"].as_array().map_or(0, Vec::len);
            Some((r, r["volunteer_id"].as_i64()?, stops))
        })
        .filter(|(_, _, stops)| *stops > 0)
        .collect();
    routes.sort_by_key(|(_, _, stops)| std::cmp::Reverse(*stops));
    routes
}

/// Fills and sends the sign-in form, and waits for the next page.
pub async fn sign_in(b: &mut Browser, email: &str, password: &str) {
    if !b.path().await.starts_with("/login") {
        b.goto("/login").await;
    }
    b.fill("#email", email).await;
    b.fill("#password", password).await;
    b.click_to_navigate("form[action='/login'] button[type=submit]")
        .await;
}
