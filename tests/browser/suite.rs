//! One test's world: the real app on a fresh SQLite database with the demo
//! day, a chromedriver, and browsers signed in as the demo's users.

use std::sync::MutexGuard;

use giro::domain::Role;
use giro::web::i18n::{Lang, Tr};

use crate::harness::{serial, Browser, Chromedriver, Viewport};
use crate::support::TestApp;

pub struct Suite {
    pub app: TestApp,
    pub driver: Chromedriver,
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
        let guard = serial();
        let app = TestApp::spawn_on(chrono::Local::now().date_naive()).await;
        let driver = Chromedriver::start().await;
        Suite {
            app,
            driver,
            test: test.to_string(),
            _one_at_a_time: guard,
        }
    }

    pub async fn browser(&self, viewport: Viewport) -> Browser {
        Browser::open(&self.driver, &self.app.url(""), &self.test, viewport).await
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
