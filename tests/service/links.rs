//! Drivers' personal links and PINs: made and revoked by the dispatcher,
//! resolved by the pages through the service functions.

use giro::domain::Role;
use giro::service::drivers::{self, PinCheck};
use giro::store::Actor;
use reqwest::StatusCode;
use serde_json::json;

use super::support::TestApp;

async fn user_id(app: &TestApp, role: Role, nth: usize) -> i64 {
    app.store
        .user_for_login(&app.email(role, nth))
        .await
        .unwrap()
        .unwrap()
        .0
        .id
}

#[tokio::test]
async fn a_link_signs_in_its_driver_until_replaced_or_revoked() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let driver = user_id(&app, Role::Driver, 0).await;
    let (s, made) = app
        .post(
            &dispatcher,
            &format!("/api/v1/users/{driver}/link"),
            json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    let token = made["token"].as_str().unwrap().to_string();
    assert!(token.len() >= 43, "a long random secret: {token}");
    assert_eq!(made["path"], format!("/d/{token}"));
    assert_eq!(made["link"]["user_id"], driver);
    let linked = drivers::user_for_link(&app.store, &token)
        .await
        .unwrap()
        .expect("the link resolves");
    assert_eq!(linked.user.id, driver);
    assert!(!linked.needs_pin);
    // Only the hash is stored: the audit log and the users list never show the secret.
    let (_, audit) = app
        .get(&app.login_as(Role::Admin).await, "/api/v1/audit")
        .await;
    assert!(!audit.to_string().contains(&token));

    // A new link replaces the old one.
    let (s, second) = app
        .post(
            &dispatcher,
            &format!("/api/v1/users/{driver}/link"),
            json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let second = second["token"].as_str().unwrap().to_string();
    assert_ne!(second, token);
    assert!(drivers::user_for_link(&app.store, &token)
        .await
        .unwrap()
        .is_none());
    assert!(drivers::user_for_link(&app.store, &second)
        .await
        .unwrap()
        .is_some());
    assert!(drivers::user_for_link(&app.store, "not-a-link")
        .await
        .unwrap()
        .is_none());

    // Revoked: the link no longer works.
    let (s, _) = app
        .delete(&dispatcher, &format!("/api/v1/users/{driver}/link"))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(drivers::user_for_link(&app.store, &second)
        .await
        .unwrap()
        .is_none());

    // A deactivated driver's link stops working too.
    let third = drivers::create_link(&app.store, Actor(None), driver)
        .await
        .unwrap();
    assert!(drivers::user_for_link(&app.store, &third.token)
        .await
        .unwrap()
        .is_some());
    let user = app.store.user(driver).await.unwrap();
    let input = giro::domain::UserInput {
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role,
        organisation_id: None,
        volunteer_id: user.volunteer_id,
        password: None,
        active: false,
    };
    app.store
        .update_user(Actor(None), driver, &input, None)
        .await
        .unwrap();
    assert!(drivers::user_for_link(&app.store, &third.token)
        .await
        .unwrap()
        .is_none());

    // Only drivers get links; unknown users are not found.
    let member = user_id(&app, Role::Member, 0).await;
    let (s, body) = app
        .post(
            &dispatcher,
            &format!("/api/v1/users/{member}/link"),
            json!(null),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "role");
    let (s, _) = app
        .post(&dispatcher, "/api/v1/users/999999/link", json!(null))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.delete(&dispatcher, "/api/v1/users/999999/link").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_pin_guards_the_link_and_five_wrong_ones_revoke_it() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let driver = user_id(&app, Role::Driver, 0).await;
    let link = drivers::create_link(&app.store, Actor(None), driver)
        .await
        .unwrap();
    // Without a PIN the link is enough.
    assert_eq!(
        drivers::check_pin(&app.store, &link.token, "")
            .await
            .unwrap(),
        PinCheck::Accepted(app.store.user(driver).await.unwrap())
    );
    for bad in [
        json!({"pin": "12a4"}),
        json!({"pin": "123"}),
        json!({"pin": "123456789"}),
    ] {
        let (s, body) = app
            .put(&dispatcher, &format!("/api/v1/users/{driver}/pin"), bad)
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["field"], "pin");
    }
    let (s, _) = app
        .put(
            &dispatcher,
            &format!("/api/v1/users/{driver}/pin"),
            json!({"pin": "2468"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let linked = drivers::user_for_link(&app.store, &link.token)
        .await
        .unwrap()
        .unwrap();
    assert!(linked.needs_pin);

    // Wrong PINs count down; a right one starts the count afresh.
    for left in [4, 3] {
        assert_eq!(
            drivers::check_pin(&app.store, &link.token, "1111")
                .await
                .unwrap(),
            PinCheck::Wrong {
                attempts_left: left
            }
        );
    }
    assert!(matches!(
        drivers::check_pin(&app.store, &link.token, "2468").await.unwrap(),
        PinCheck::Accepted(u) if u.id == driver
    ));
    for left in [4, 3, 2, 1] {
        assert_eq!(
            drivers::check_pin(&app.store, &link.token, "0000")
                .await
                .unwrap(),
            PinCheck::Wrong {
                attempts_left: left
            }
        );
    }
    assert_eq!(
        drivers::check_pin(&app.store, &link.token, "0000")
            .await
            .unwrap(),
        PinCheck::Revoked
    );
    assert!(drivers::user_for_link(&app.store, &link.token)
        .await
        .unwrap()
        .is_none());
    // Revoked means revoked, even with the right PIN now.
    assert!(drivers::check_pin(&app.store, &link.token, "2468")
        .await
        .is_err());

    // Cleared: a new link needs no PIN.
    let (s, _) = app
        .put(
            &dispatcher,
            &format!("/api/v1/users/{driver}/pin"),
            json!({"pin": null}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let fresh = drivers::create_link(&app.store, Actor(None), driver)
        .await
        .unwrap();
    assert!(
        !drivers::user_for_link(&app.store, &fresh.token)
            .await
            .unwrap()
            .unwrap()
            .needs_pin
    );
    let member = user_id(&app, Role::Member, 0).await;
    let (s, body) = app
        .put(
            &dispatcher,
            &format!("/api/v1/users/{member}/pin"),
            json!({"pin": "2468"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "role");
}
