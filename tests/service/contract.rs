//! The OpenAPI document tells the truth: unique operation ids, references
//! that resolve to one schema per name, security and failures declared, and
//! real answers (the demo plan, a driver's manifest, errors) that validate
//! against the schemas the document gives them.

use giro::domain::Role;
use regex::Regex;
use reqwest::StatusCode;
use serde_json::Value;

use super::support::TestApp;

fn doc() -> Value {
    serde_json::to_value(giro::api::openapi()).unwrap()
}

/// Every operation: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.clone(), path.clone(), op.clone()));
        }
    }
    out
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                out.push(r.to_string());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn operation_ids_are_unique() {
    let doc = doc();
    let mut seen = std::collections::BTreeMap::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"]
            .as_str()
            .expect("every operation has an id");
        if let Some(other) = seen.insert(id.to_string(), format!("{method} {path}")) {
            panic!("operation id {id} names both {other} and {method} {path}");
        }
    }
    assert!(seen.len() > 50, "{} operations", seen.len());
}

#[test]
fn every_reference_resolves() {
    let doc = doc();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r} is not a schema reference"));
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} resolves to nothing"
        );
    }
}

/// Merging keeps one schema per name: two Rust types of one name would
/// differ here, resource by resource (the stop's role and the user's role
/// were both `Role`).
#[test]
fn one_schema_per_name() {
    let mut seen: std::collections::BTreeMap<String, Value> = Default::default();
    for part in giro::api::schemas_by_resource() {
        for (name, schema) in part {
            if let Some(before) = seen.insert(name.clone(), schema.clone()) {
                assert_eq!(before, schema, "two different schemas are named {name}");
            }
        }
    }
    let doc = doc();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["PlanStop"]["properties"]["role"]["$ref"],
        "#/components/schemas/StopRole"
    );
    assert_eq!(
        schemas["StopRole"]["enum"],
        serde_json::json!(["pickup", "dropoff"])
    );
    assert_eq!(
        schemas["User"]["properties"]["role"]["$ref"],
        "#/components/schemas/Role"
    );
}

#[test]
fn operations_declare_security_unless_public() {
    let doc = doc();
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], giro::api::SESSION_COOKIE);
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    let public = ["login"];
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap();
        let security = op["security"].as_array();
        if public.contains(&id) {
            assert!(security.is_none(), "{method} {path} is public");
            continue;
        }
        let security = security.unwrap_or_else(|| panic!("{method} {path} declares no security"));
        for s in security {
            for scheme in s.as_object().unwrap().keys() {
                assert!(schemes.contains_key(scheme), "{method} {path}: {scheme}");
            }
        }
        assert!(
            op["responses"].get("401").is_some(),
            "{method} {path} documents 401"
        );
    }
}

#[test]
fn operations_document_the_failures_they_can_answer() {
    let doc = doc();
    for (method, path, op) in operations(&doc) {
        let responses = &op["responses"];
        let has = |s: &str| responses.get(s).is_some();
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{method} {path} takes a body: {status}");
            }
        }
        if path.contains("{id}") {
            assert!(has("404"), "{method} {path} names a record: 404");
        }
        for (status, r) in responses.as_object().unwrap() {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
    }
    let login = &doc["paths"]["/api/v1/login"]["post"]["responses"];
    assert!(login.get("401").is_some());
    assert!(login["429"]["headers"].get("Retry-After").is_some());
    let solve = &doc["paths"]["/api/v1/plans/{date}/solve"]["post"]["responses"];
    assert!(solve.get("409").is_some() && solve.get("503").is_some());
}

/// The forms the document states are the server's: dates of 2000..=2099,
/// times of day, texts without control characters.
#[test]
fn patterns_say_what_the_server_takes() {
    let doc = doc();
    let date = doc["paths"]["/api/v1/plans/{date}"]["get"]["parameters"][0]["schema"]["pattern"]
        .as_str()
        .unwrap()
        .to_string();
    let date = Regex::new(&date).unwrap();
    for ok in [
        "2000-01-01",
        "2099-12-31",
        "2024-02-29",
        "2000-02-29",
        "2026-11-23",
    ] {
        assert!(date.is_match(ok), "{ok}");
    }
    for bad in [
        "1999-12-31",
        "2100-01-01",
        "2023-02-29",
        "2026-04-31",
        "0000-01-01",
        "2026-1-1",
    ] {
        assert!(!date.is_match(bad), "{bad}");
    }
    let schemas = &doc["components"]["schemas"];
    let name = Regex::new(
        schemas["OrganisationInput"]["properties"]["name"]["pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert!(name.is_match("Croce Rossa\tSestri\n"));
    for bad in ["", "   ", "a\u{0}b", "a\u{1b}", "\u{84}x"] {
        assert!(!name.is_match(bad), "{bad:?}");
    }
    let clock = Regex::new(
        schemas["Window"]["properties"]["start"]["pattern"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    for ok in ["00:00", "08:30", "23:59", "24:00"] {
        assert!(clock.is_match(ok), "{ok}");
    }
    for bad in ["24:01", "8:30", "12:60"] {
        assert!(!clock.is_match(bad), "{bad}");
    }
}

/// Errors found in `value` against `schema`, with the document's `$ref`s.
fn validate(schema: &Value, value: &Value, root: &Value, at: &str, errors: &mut Vec<String>) {
    let fail = |errors: &mut Vec<String>, m: String| errors.push(format!("{at}: {m}"));
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return validate(
            &root["components"]["schemas"][name],
            value,
            root,
            at,
            errors,
        );
    }
    if let Some(parts) = schema["allOf"].as_array() {
        for part in parts {
            validate(part, value, root, at, errors);
        }
        return;
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let matching = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                validate(o, value, root, at, &mut e);
                e.is_empty()
            })
            .count();
        if matching != 1 {
            fail(errors, format!("{matching} of oneOf match {value}"));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.is_empty()
        || types.contains(&kind)
        || (kind == "integer" && types.contains(&"number"));
    if !fits {
        return fail(errors, format!("{value} is not {types:?}"));
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            fail(errors, format!("{value} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), value.as_f64()) {
        if n < min {
            fail(errors, format!("{n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (schema["maximum"].as_f64(), value.as_f64()) {
        if n > max {
            fail(errors, format!("{n} > {max}"));
        }
    }
    if let (Some(p), Some(s)) = (schema["pattern"].as_str(), value.as_str()) {
        if !Regex::new(p).unwrap().is_match(s) {
            fail(errors, format!("{s:?} does not match {p}"));
        }
    }
    if let (Some("date"), Some(s)) = (schema["format"].as_str(), value.as_str()) {
        if s.parse::<chrono::NaiveDate>().is_err() {
            fail(errors, format!("{s:?} is not a date"));
        }
    }
    if let (Some("date-time"), Some(s)) = (schema["format"].as_str(), value.as_str()) {
        if chrono::DateTime::parse_from_rfc3339(s).is_err() {
            fail(errors, format!("{s:?} is not a date-time"));
        }
    }
    if let Value::Array(items) = value {
        for (i, item) in items.iter().enumerate() {
            validate(&schema["items"], item, root, &format!("{at}[{i}]"), errors);
        }
    }
    if let Value::Object(fields) = value {
        for name in schema["required"].as_array().into_iter().flatten() {
            if !fields.contains_key(name.as_str().unwrap()) {
                errors.push(format!("{at}: {name} is required"));
            }
        }
        for (name, v) in fields {
            let at = format!("{at}.{name}");
            match (
                schema["properties"].get(name),
                &schema["additionalProperties"],
            ) {
                (Some(s), _) => validate(s, v, root, &at, errors),
                (None, Value::Bool(false)) => errors.push(format!("{at}: not in the schema")),
                (None, extra @ Value::Object(_)) => validate(extra, v, root, &at, errors),
                (None, _) => {}
            }
        }
    }
}

fn response_schema(doc: &Value, path: &str, method: &str, status: &str) -> Value {
    doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"].clone()
}

fn assert_valid(doc: &Value, schema: &Value, value: &Value, what: &str) {
    let mut errors = Vec::new();
    validate(schema, value, doc, what, &mut errors);
    assert!(
        errors.is_empty(),
        "{what} breaks its schema:\n{}",
        errors.join("\n")
    );
}

/// What the server answers is what the document it serves says: the demo
/// plan after a solve, a driver's manifest once published, an error body.
#[tokio::test]
async fn the_demo_plan_and_manifest_match_their_schemas() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (s, served) = app.get(&dispatcher, "/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(served, doc(), "the document served is the one tested");

    let plan = app.solve(&dispatcher, 2.0).await;
    assert!(!plan["routes"].as_array().unwrap().is_empty(), "{plan}");
    let schema = response_schema(&served, "/api/v1/plans/{date}", "get", "200");
    assert_valid(&served, &schema, &plan, "the plan");

    let published = app.publish_newest(&dispatcher).await;
    let schema = response_schema(&served, "/api/v1/plans/{date}/publish", "post", "200");
    assert_valid(&served, &schema, &published, "the published plan");

    let volunteer = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["volunteer_id"].as_i64())
        .expect("a route with a driver");
    let (_, driver) = app.driver_of(volunteer).await;
    let (s, manifest) = app
        .get(&driver, &format!("/api/v1/manifest?date={}", app.date))
        .await;
    assert_eq!(s, StatusCode::OK, "{manifest}");
    assert!(
        !manifest["routes"].as_array().unwrap().is_empty(),
        "{manifest}"
    );
    let schema = response_schema(&served, "/api/v1/manifest", "get", "200");
    assert_valid(&served, &schema, &manifest, "the manifest");

    let (s, missing) = app.get(&dispatcher, "/api/v1/people/999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let schema = response_schema(&served, "/api/v1/people/{id}", "get", "404");
    assert_valid(&served, &schema, &missing, "a 404");
}

/// A tagged variant with a key it does not have is refused by the server
/// (serde's `deny_unknown_fields`) and by the document alike, so no client
/// reading the document sends it.
#[tokio::test]
async fn a_tagged_variant_with_a_foreign_key_is_invalid_by_document_and_server() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let doc = doc();
    let edit = serde_json::json!({"route_id": 1, "op": "unlock", "request_id": 2});
    let mut errors = Vec::new();
    let schema = serde_json::json!({"$ref": "#/components/schemas/PlanEdit"});
    validate(&schema, &edit, &doc, "edit", &mut errors);
    assert!(!errors.is_empty(), "the document takes {edit}");
    let mut fine = edit.clone();
    fine.as_object_mut().unwrap().remove("request_id");
    let mut none = Vec::new();
    validate(&schema, &fine, &doc, "edit", &mut none);
    assert!(none.is_empty(), "{none:?}");

    let (s, body) = app
        .post(
            &dispatcher,
            "/api/v1/plans/2026-12-03/edits",
            serde_json::json!({"edit": edit}),
        )
        .await;
    assert!(s.is_client_error(), "{s} {body}");
    assert_eq!(body["field"], "edit.request_id", "{body}");
}

/// A standing order's schedule (rides, suspended days, holidays, flattened
/// into one object per date) is what its schema says: the demo's orders
/// over four months, a suspension and the winter holidays among them.
#[tokio::test]
async fn the_demo_standing_schedules_match_their_schema() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let doc = doc();
    let schema = response_schema(&doc, "/api/v1/standing-orders/{id}/schedule", "get", "200");
    let (s, orders) = app.get(&dispatcher, "/api/v1/standing-orders").await;
    assert_eq!(s, StatusCode::OK, "{orders}");
    let (from, to) = (
        app.date - chrono::Days::new(7),
        app.date + chrono::Days::new(120),
    );
    let mut seen = std::collections::BTreeSet::new();
    for order in orders.as_array().unwrap() {
        let id = &order["id"];
        let (s, days) = app
            .get(
                &dispatcher,
                &format!("/api/v1/standing-orders/{id}/schedule?from={from}&to={to}"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{days}");
        assert_valid(&doc, &schema, &days, &format!("order {id}'s schedule"));
        for d in days.as_array().unwrap() {
            let what = d["reason"].as_str().unwrap_or("ride").to_string();
            seen.insert(what);
        }
    }
    for what in ["ride", "suspended", "no_service"] {
        assert!(seen.contains(what), "no {what} among {seen:?}");
    }
}
