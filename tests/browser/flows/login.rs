//! The sign-in page in Italian (the browser asks for Italian) and in English
//! (switched on the page), a wrong password marked on the field, and each
//! role sent to its own page after signing in.

use giro::domain::Role;
use giro::web::i18n::Lang;

use crate::harness::Viewport;
use crate::suite::{sign_in, tr, Suite};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_page_in_italian_and_english_marks_a_wrong_password() {
    let s = Suite::start("login").await;
    let mut b = s.browser(Viewport::Phone).await;
    b.goto("/").await;
    assert_eq!(
        b.path().await,
        "/login",
        "without a session / asks to sign in"
    );
    assert_eq!(
        b.js("return document.documentElement.lang;", vec![]).await,
        "it"
    );
    assert_eq!(b.text("h1").await, tr(Lang::It, "login.title"));
    b.checkpoint_for_readme("login-it", "login").await;

    let email = s.app.email(Role::Dispatcher, 0);
    sign_in(&mut b, &email, "not-the-password").await;
    assert_eq!(b.document_status("/login").await, Some(401));
    assert_eq!(b.text("#login-error").await, tr(Lang::It, "login.failed"));
    let invalid = b
        .find("#password")
        .await
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"), "the field is marked");
    assert_eq!(
        b.find("#email")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some(email.as_str()),
        "the e-mail is kept"
    );
    b.checkpoint("login-it-failed").await;

    b.click_to_navigate(".langs a[hreflang=en]").await;
    assert_eq!(b.path().await, "/login");
    assert_eq!(
        b.js("return document.documentElement.lang;", vec![]).await,
        "en"
    );
    assert_eq!(b.text("h1").await, tr(Lang::En, "login.title"));
    sign_in(&mut b, &email, "still-wrong").await;
    assert_eq!(b.text("#login-error").await, tr(Lang::En, "login.failed"));
    b.checkpoint("login-en-failed").await;

    sign_in(&mut b, &email, giro::demo::PASSWORD).await;
    assert_eq!(
        b.path().await,
        "/board",
        "the dispatcher lands on the board"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_lands_on_its_own_page() {
    let s = Suite::start("login-roles").await;
    for (role, home) in [
        (Role::Admin, "/board"),
        (Role::Dispatcher, "/board"),
        (Role::Member, "/portal"),
        (Role::Driver, "/driver"),
    ] {
        let mut b = s.signed_in(role, 0, Viewport::Desktop).await;
        assert_eq!(b.path().await, home, "{role:?} after signing in");
        b.assert_stays_local().await;
        b.close().await;
    }
}
