//! One fleet or services apart: a shift that keeps to meals carries no
//! surplus pickup, though its car has room for one; bad lists are named.

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::support::TestApp;

fn ids_where(list: &Value, keep: impl Fn(&Value) -> bool) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|x| keep(x))
        .map(|x| x["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_shift_kept_to_meals_carries_no_collection() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (_, vehicles) = app.get(&dispatcher, "/api/v1/vehicles").await;
    // The plain meal car: room in kg, so it could take a surplus pickup.
    let plain = ids_where(&vehicles, |v| {
        v["skills"] == json!(["heated_boxes"])
            && v["layouts"][0]["capacity"]["kg"].as_u64() > Some(0)
    });
    assert_eq!(plain.len(), 1, "{vehicles}");
    let (_, shifts) = app
        .get(&dispatcher, &format!("/api/v1/shifts?date={}", app.date))
        .await;
    let shift = shifts
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["vehicle_id"] == plain[0])
        .unwrap()
        .clone();
    assert_eq!(shift["serves"], json!([]), "one fleet by default");
    // One fleet: the day's plan covers every service, and shared vehicles
    // carry more than one on the same route.
    let plan = app.solve(&dispatcher, 1.0).await;
    let (_, day) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let kind_of = |r: &Value| -> String {
        day.as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == r["request_id"])
            .unwrap()["kind"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut planned = std::collections::BTreeSet::new();
    let mut mixed = 0;
    for route in plan["routes"].as_array().unwrap() {
        let kinds: std::collections::BTreeSet<String> = route["stops"]
            .as_array()
            .unwrap()
            .iter()
            .map(kind_of)
            .collect();
        mixed += usize::from(kinds.len() > 1);
        planned.extend(kinds);
    }
    assert_eq!(
        planned,
        ["collection", "meal", "ride"].map(String::from).into(),
        "rides, meals and pickups in one plan"
    );
    assert!(
        mixed > 0,
        "a shared vehicle carries two services: {}",
        plan["routes"]
    );

    // Bad lists: a service twice, an unknown one; nothing written.
    let mut body = json!({"date": shift["date"], "vehicle_id": shift["vehicle_id"],
                          "volunteer_id": shift["volunteer_id"], "window": shift["window"]});
    let path = format!("/api/v1/shifts/{}", shift["id"]);
    body["serves"] = json!(["meal", "meal"]);
    let (s, e) = app.put(&dispatcher, &path, body.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["field"], "serves[1]", "{e}");
    body["serves"] = json!(["bus"]);
    let (s, e) = app.put(&dispatcher, &path, body.clone()).await;
    assert!(s.is_client_error(), "{s} {e}");
    assert_eq!(e["field"], "serves[0]", "{e}");
    let (_, again) = app.get(&dispatcher, &path).await;
    assert_eq!(again["serves"], json!([]));

    body["serves"] = json!(["meal"]);
    let (s, kept) = app.put(&dispatcher, &path, body).await;
    assert_eq!(s, StatusCode::OK, "{kept}");
    assert_eq!(kept["serves"], json!(["meal"]));

    let plan = app.solve(&dispatcher, 1.0).await;
    assert_eq!(plan["figures"]["feasible"], true, "{}", plan["figures"]);
    let (_, day) = app
        .get(&dispatcher, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let collections = ids_where(&day, |r| r["kind"] == "collection");
    assert!(!collections.is_empty());
    let mut meals_on_it = 0;
    for route in plan["routes"].as_array().unwrap() {
        if route["shift_id"] != shift["id"] {
            continue;
        }
        for stop in route["stops"].as_array().unwrap() {
            let r = stop["request_id"].as_i64().unwrap();
            assert!(
                !collections.contains(&r),
                "a collection on the meals-only car: {route}"
            );
            meals_on_it += 1;
        }
    }
    assert!(meals_on_it > 0, "the meals-only car still delivers meals");
}
