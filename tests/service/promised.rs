//! Associations see, once the plan is published, when each request will be picked up.

use std::collections::BTreeMap;

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

use super::support::TestApp;

fn promised(requests: &Value) -> BTreeMap<i64, Value> {
    requests
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["promised_pickup"].clone()))
        .collect()
}

#[tokio::test]
async fn members_see_the_promised_pickup_once_published() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let member = app.login_as(Role::Member).await;
    let path = format!("/api/v1/requests?date={}", app.date);
    let (s, before) = app.get(&member, &path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!before.as_array().unwrap().is_empty());
    assert!(promised(&before).values().all(Value::is_null), "{before}");
    let draft = app.solve(&dispatcher, 1.0).await;
    let (_, drafted) = app.get(&member, &path).await;
    assert!(
        promised(&drafted).values().all(Value::is_null),
        "a draft promises nothing"
    );
    assert!(app
        .store
        .promised_pickups(app.date)
        .await
        .unwrap()
        .values()
        .all(Option::is_none));

    let plan = app.publish_newest(&dispatcher).await;
    assert_eq!(plan["revision"], draft["revision"]);
    let pickups: BTreeMap<i64, Value> = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap().clone())
        .filter(|s| s["role"] == "pickup")
        .map(|s| (s["request_id"].as_i64().unwrap(), s["time"].clone()))
        .collect();
    let (_, after) = app.get(&member, &path).await;
    let mine = promised(&after);
    let mut shown = 0;
    for (id, time) in &mine {
        match pickups.get(id) {
            Some(t) => {
                assert_eq!(time, t, "request {id}");
                shown += 1;
            }
            None => assert!(time.is_null(), "request {id} is not routed"),
        }
    }
    assert!(shown > 0, "the member's routed requests show their time");
    let (_, one) = app
        .get(
            &member,
            &format!("/api/v1/requests/{}", mine.keys().next().unwrap()),
        )
        .await;
    assert_eq!(one["promised_pickup"], mine[mine.keys().next().unwrap()]);
    // The service function agrees for every request of the date.
    let all = app.store.promised_pickups(app.date).await.unwrap();
    for (id, t) in &all {
        assert_eq!(
            t.map(|c| Value::String(c.to_string())),
            pickups.get(id).cloned(),
            "request {id}"
        );
    }
    // And the OpenAPI document says what the field is.
    let (_, doc) = app
        .call(None, reqwest::Method::GET, "/api/v1/openapi.json", None)
        .await;
    let field = &doc["components"]["schemas"]["Request"]["properties"]["promised_pickup"];
    assert!(field.to_string().contains("string"), "{field}");
    assert!(field["description"].as_str().unwrap().contains("published"));
}
