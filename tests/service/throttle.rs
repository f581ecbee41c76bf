//! Sign-in throttling: wrong passwords and PINs count per account and per
//! client address, answered 429 with `Retry-After`; successes never count.
//! Clients come from distinct loopback addresses (127.0.0.n); the throttle's
//! clock is moved forward instead of sleeping.

use std::net::IpAddr;
use std::time::Duration;

use giro::domain::Role;
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use super::support::TestApp;

/// A client connecting from 127.0.0.`n`, not following redirects.
fn client_at(n: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::from([127, 0, 0, n]))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> (StatusCode, header::HeaderMap, Value) {
    let res = client
        .post(app.url("/api/v1/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.json().await.unwrap())
}

/// `Retry-After` as a number of seconds.
fn retry_after(headers: &header::HeaderMap) -> u64 {
    let value = headers
        .get(header::RETRY_AFTER)
        .expect("a Retry-After header")
        .to_str()
        .unwrap();
    value
        .parse()
        .unwrap_or_else(|_| panic!("Retry-After is seconds: {value}"))
}

async fn assert_too_many(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> u64 {
    let (s, h, body) = login(app, client, email, password).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"], "too_many_requests", "{body}");
    let wait = retry_after(&h);
    assert!((1..=60).contains(&wait), "{wait}");
    wait
}

#[tokio::test]
async fn wrong_passwords_for_one_account_are_slowed_with_429_and_retry_after() {
    let app = TestApp::spawn().await;
    let (attacker, elsewhere) = (client_at(2), client_at(3));
    let email = app.email(Role::Dispatcher, 0);
    for _ in 0..5 {
        let (s, _, body) = login(&app, &attacker, &email, "guess").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["error"], "bad_credentials");
        assert_eq!(body["message"], "wrong e-mail or password");
    }
    let wait = assert_too_many(&app, &attacker, &email, "guess").await;
    // The account waits, whoever knocks and with whatever password…
    assert_too_many(&app, &elsewhere, &email, giro::demo::PASSWORD).await;
    // …but another account from another address is not held up.
    let (s, _, body) = login(
        &app,
        &elsewhere,
        &app.email(Role::Member, 0),
        giro::demo::PASSWORD,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");

    // After the wait, the right password works; the success takes nothing,
    // so one wrong password is allowed and the next waits again.
    app.state.sign_ins.throttle.skip(Duration::from_secs(wait));
    let (s, _, body) = login(&app, &attacker, &email, giro::demo::PASSWORD).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, _, _) = login(&app, &attacker, &email, "guess").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_too_many(&app, &attacker, &email, "guess").await;
}

#[tokio::test]
async fn one_address_is_limited_across_accounts_and_forwarded_for_is_not_trusted() {
    let app = TestApp::spawn().await;
    let (sprayer, neighbour) = (client_at(4), client_at(5));
    for i in 0..10 {
        let (s, _, body) = login(&app, &sprayer, &format!("nobody{i}@example.org"), "guess").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    }
    let email = app.email(Role::Admin, 0);
    assert_too_many(&app, &sprayer, &email, giro::demo::PASSWORD).await;
    // Claiming another address does not help without a trusted proxy.
    let res = sprayer
        .post(app.url("/api/v1/login"))
        .header("x-forwarded-for", "198.51.100.1")
        .json(&json!({"email": email, "password": giro::demo::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let (s, _, body) = login(&app, &neighbour, &email, giro::demo::PASSWORD).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn successful_sign_ins_are_never_throttled() {
    let app = TestApp::spawn().await;
    let client = client_at(6);
    let email = app.email(Role::Member, 0);
    for _ in 0..12 {
        let (s, _, body) = login(&app, &client, &email, giro::demo::PASSWORD).await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
}

async fn login_page(
    app: &TestApp,
    client: &reqwest::Client,
    lang: &str,
    email: &str,
    password: &str,
) -> (StatusCode, header::HeaderMap, String) {
    let res = client
        .post(app.url("/login"))
        .header(header::COOKIE, format!("giro_lang={lang}"))
        .form(&[("email", email), ("password", password), ("next", "")])
        .send()
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.text().await.unwrap())
}

#[tokio::test]
async fn the_sign_in_page_says_to_wait_with_429() {
    let app = TestApp::spawn().await;
    let client = client_at(7);
    let email = app.email(Role::Dispatcher, 0);
    for _ in 0..5 {
        let (s, _, html) = login_page(&app, &client, "it", &email, "guess").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(html.contains("E-mail o password errati"), "{html}");
    }
    let (s, h, html) = login_page(&app, &client, "it", &email, "guess").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&h);
    assert!(html.contains("data-testid=\"login-throttled\""), "{html}");
    assert!(
        html.contains(&format!(
            "Troppi tentativi non riusciti. Attendi {wait} secondi"
        )),
        "{html}"
    );
    let (s, h, html) = login_page(&app, &client, "en", &email, giro::demo::PASSWORD).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        html.contains(&format!("Please wait {} seconds", retry_after(&h))),
        "{html}"
    );
    // The page and the API share one count.
    assert_too_many(&app, &client_at(8), &email, giro::demo::PASSWORD).await;
}

async fn post_pin(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    pin: &str,
) -> (StatusCode, header::HeaderMap, String) {
    let res = client
        .post(app.url(path))
        .form(&[("pin", pin)])
        .send()
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.text().await.unwrap())
}

#[tokio::test]
async fn wrong_pins_count_against_the_address_too() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (driver, _) = app
        .store
        .user_for_login(&app.email(Role::Driver, 0))
        .await
        .unwrap()
        .unwrap();
    let (s, made) = app
        .post(
            &dispatcher,
            &format!("/api/v1/users/{}/link", driver.id),
            json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    let (s, _) = app
        .put(
            &dispatcher,
            &format!("/api/v1/users/{}/pin", driver.id),
            json!({"pin": "2468"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let path = format!("/d/{}", made["token"].as_str().unwrap());

    let guesser = client_at(9);
    // Four wrong PINs (the fifth would revoke the link), then wrong
    // passwords from the same address up to its limit of ten.
    for _ in 0..4 {
        let (s, _, _) = post_pin(&app, &guesser, &path, "0000").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
    for i in 0..6 {
        let (s, _, _) = login(&app, &guesser, &format!("nobody{i}@example.org"), "guess").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, h, html) = post_pin(&app, &guesser, &path, "2468").await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert!(html.contains("data-testid=\"pin-throttled\""), "{html}");
    assert!(
        html.contains(&format!("Attendi {} secondi", retry_after(&h))),
        "{html}"
    );
    assert!(h.get(header::SET_COOKIE).is_none());
    // The refusal did not count against the link: the right PIN from
    // elsewhere still opens it.
    let (s, h, _) = post_pin(&app, &client_at(10), &path, "2468").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], "/driver");
}
