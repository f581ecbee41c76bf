//! Drivers' personal links in the browser: `/d/{token}` signs the driver in
//! (after the PIN, when one is set), and a revoked or unknown link says so.

use giro::domain::Role;
use reqwest::{header, StatusCode};
use serde_json::json;

use super::driver_page::page;
use super::support::{As, TestApp};

struct Link {
    user: i64,
    token: String,
}

async fn link_for_first_driver(app: &TestApp, dispatcher: &As) -> Link {
    let (user, _) = app
        .store
        .user_for_login(&app.email(Role::Driver, 0))
        .await
        .unwrap()
        .unwrap();
    let (s, made) = app
        .post(
            dispatcher,
            &format!("/api/v1/users/{}/link", user.id),
            json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    Link {
        user: user.id,
        token: made["token"].as_str().unwrap().to_string(),
    }
}

/// The session cookie a response sets, as a request header.
fn session(headers: &header::HeaderMap) -> Option<As> {
    let cookie = headers.get(header::SET_COOKIE)?.to_str().ok()?;
    let pair = cookie.split(';').next()?.to_string();
    pair.starts_with("giro_session=").then_some(As {
        header: ("cookie", pair),
    })
}

async fn post_pin(
    app: &TestApp,
    path: &str,
    pin: &str,
    origin: Option<&str>,
) -> (StatusCode, header::HeaderMap, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = client.post(app.url(path)).form(&[("pin", pin)]);
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.text().await.unwrap())
}

#[tokio::test]
async fn a_valid_link_signs_the_driver_in_and_opens_the_route() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let link = link_for_first_driver(&app, &dispatcher).await;
    let (s, headers, _) = page(&app, None, &format!("/d/{}", link.token)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/driver");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let driver = session(&headers).expect("a session cookie");
    let (s, me) = app.get(&driver, "/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["id"], link.user);
    let (s, _, body) = page(&app, Some(&driver), "/driver").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("id=\"driver-route\""));
}

#[tokio::test]
async fn a_link_naming_a_date_opens_that_days_route_and_a_bad_date_signs_no_one_in() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let link = link_for_first_driver(&app, &dispatcher).await;
    let day = app.date.to_string();
    let (s, headers, _) = page(&app, None, &format!("/d/{}?date={day}", link.token)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], format!("/driver?date={day}"));
    let driver = session(&headers).expect("a session cookie");
    let (s, _, body) = page(&app, Some(&driver), &format!("/driver?date={day}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains(&format!("\"date\":\"{day}\"")),
        "the page holds its day"
    );

    let (s, headers, body) = page(&app, None, &format!("/d/{}?date=monday", link.token)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(session(&headers).is_none());
    assert!(body.contains("date"), "{body}");
}

#[tokio::test]
async fn a_revoked_or_unknown_link_says_it_no_longer_works_and_signs_no_one_in() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let link = link_for_first_driver(&app, &dispatcher).await;
    let (s, _) = app
        .delete(&dispatcher, &format!("/api/v1/users/{}/link", link.user))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    for token in [link.token.as_str(), "not-a-link-at-all"] {
        let (s, headers, body) = page(&app, None, &format!("/d/{token}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{token}");
        assert!(session(&headers).is_none());
        assert!(body.contains("data-testid=\"link-invalid\""), "{body}");
        assert!(body.contains("Questo link non è più valido"), "{body}");
        // A PIN sent to a dead link changes nothing either.
        let (s, headers, _) = post_pin(&app, &format!("/d/{token}"), "1234", None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(session(&headers).is_none());
    }
}

#[tokio::test]
async fn with_a_pin_the_link_asks_for_it_and_five_wrong_ones_revoke_it() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let link = link_for_first_driver(&app, &dispatcher).await;
    let (s, _) = app
        .put(
            &dispatcher,
            &format!("/api/v1/users/{}/pin", link.user),
            json!({"pin": "2468"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let path = format!("/d/{}", link.token);

    let (s, headers, body) = page(&app, None, &path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(session(&headers).is_none(), "no session before the PIN");
    assert!(body.contains("inputmode=\"numeric\""), "{body}");
    assert!(body.contains("data-testid=\"pin-submit\""));

    // From another site: refused before the PIN is even looked at.
    let (s, _, _) = post_pin(&app, &path, "2468", Some("http://evil.example")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, headers, body) = post_pin(&app, &path, "1111", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(session(&headers).is_none());
    assert!(body.contains("Tentativi rimasti: 4"), "{body}");

    // The form posts back to the link as opened, so a date it names is kept.
    let (s, headers, _) = post_pin(&app, &format!("{path}?date={}", app.date), "2468", None).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/driver?date={}", app.date)
    );
    let driver = session(&headers).expect("signed in after the right PIN");
    let (_, me) = app.get(&driver, "/api/v1/me").await;
    assert_eq!(me["id"], link.user);

    // Five wrong PINs in a row end the link, even for the right PIN afterwards.
    for left in (0..5).rev() {
        let (s, _, body) = post_pin(&app, &path, "0000", None).await;
        if left > 0 {
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                body.contains(&format!("Tentativi rimasti: {left}")),
                "{body}"
            );
        } else {
            assert_eq!(s, StatusCode::NOT_FOUND);
            assert!(body.contains("data-testid=\"link-invalid\""));
        }
    }
    let (s, headers, _) = post_pin(&app, &path, "2468", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(session(&headers).is_none());
}
