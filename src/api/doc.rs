//! What the OpenAPI document says once for every operation, instead of in
//! each handler's annotation: who may call (security), the failures every
//! operation of a kind can answer, and the form of the ids, dates and texts
//! the server takes. It reads the traits from the document itself (a body,
//! path parameters, the method) and the two lists below; annotations keep
//! only what is their operation's own (a 404 from a query, a 409, a 503).

use serde_json::{json, Map, Value};
use utoipa::openapi::OpenApi;

use super::SESSION_COOKIE;

/// Operations anyone may call, signed in or not.
pub const PUBLIC: &[&str] = &["login"];

/// Operations any signed-in caller may call whatever the role: no 403.
pub const ANY_ROLE: &[&str] = &[
    "logout",
    "me",
    "list_tokens",
    "create_token",
    "delete_token",
];

/// Control characters other than tab, line feed and carriage return: the
/// server refuses them in any text of a body (422).
const CONTROL: &str = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f";

/// Dates the server takes: real days of 2000-01-01 to 2099-12-31.
const DATE: &str = "^(20[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|20(0[048]|[2468][048]|[13579][26])-02-29)$";

/// The document as served: each handler's annotations completed by the
/// rules above.
pub fn complete(doc: OpenApi) -> OpenApi {
    let mut v = serde_json::to_value(&doc).expect("the document is JSON");
    security_schemes(&mut v);
    ids_are_positive(&mut v);
    close_variants(&mut v);
    let mut bodies = Vec::new();
    if let Some(paths) = v["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                common_responses(path, method, op);
                parameters(op);
                optional_body(op);
                if let Some(s) = op.pointer_mut("/requestBody/content/application~1json/schema") {
                    constrain(s);
                    bodies.push(s.clone());
                }
            }
        }
    }
    texts_and_dates(&mut v, &bodies);
    serde_json::from_value(v).expect("the completed document is an OpenAPI document")
}

/// An optional body is sent or left out, never sent as `null`: utoipa
/// writes `Option<T>` as "null or T".
fn optional_body(op: &mut Value) {
    if op["requestBody"]["required"] == json!(true) {
        return;
    }
    let Some(schema) = op.pointer_mut("/requestBody/content/application~1json/schema") else {
        return;
    };
    let one_of = schema["oneOf"].as_array().cloned().unwrap_or_default();
    if let [a, b] = one_of.as_slice() {
        let not_null = if a["type"] == "null" { b } else { a };
        if a["type"] == "null" || b["type"] == "null" {
            *schema = not_null.clone();
        }
    }
}

fn error(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    })
}

fn security_schemes(v: &mut Value) {
    v["components"]["securitySchemes"] = json!({
        "session": {
            "type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
            "description": "The cookie POST /api/v1/login sets."
        },
        "bearer": {
            "type": "http", "scheme": "bearer",
            "description": "A personal API token from POST /api/v1/tokens."
        }
    });
}

/// Every operation's failures by its traits; an annotation's own wording wins.
fn common_responses(path: &str, method: &str, op: &mut Value) {
    let id = op["operationId"].as_str().unwrap_or_default().to_string();
    let mut add: Vec<(&str, Value)> = Vec::new();
    let has_params = op["parameters"].as_array().is_some_and(|p| !p.is_empty());
    if has_params {
        add.push((
            "400",
            error("A path or query parameter is not of its form."),
        ));
    }
    if op.get("requestBody").is_some() {
        add.push((
            "400",
            error("Malformed JSON, a wrong type, a missing field or a body that is not UTF-8."),
        ));
        add.push(("413", error("The body is larger than 1 MiB.")));
        add.push(("415", error("The body is not sent as `application/json`.")));
        add.push((
            "422",
            error(
                "A rule is broken: a value out of range, control characters in a text, \
                 a date outside 2000-01-01..=2099-12-31, rules between fields, or \
                 records named that do not exist or are out of the caller's scope.",
            ),
        ));
    }
    if has_params {
        add.push((
            "422",
            error(
                "A parameter breaks a rule: a date outside 2000-01-01..=2099-12-31 \
                 or control characters.",
            ),
        ));
    }
    if path.contains('{') {
        add.push((
            "404",
            error("No such record (or not in the caller's scope)."),
        ));
    }
    if method != "get" {
        add.push((
            "409",
            error(
                "A conflict: a unique value taken, a record still referenced, \
                 a stale version, or the database busy with another write.",
            ),
        ));
    }
    if !PUBLIC.contains(&id.as_str()) {
        op["security"] = json!([{"bearer": []}, {"session": []}]);
        add.push((
            "401",
            error("Not signed in, or the session or token has ended."),
        ));
        if !ANY_ROLE.contains(&id.as_str()) {
            add.push((
                "403",
                error("The caller's role may not do this, or the record is outside its scope."),
            ));
        }
    }
    if id == "login" {
        add.push(("401", error("Wrong e-mail or password.")));
        let mut too_many = error("Too many failed attempts: wait the seconds of `Retry-After`.");
        too_many["headers"] = json!({
            "Retry-After": {"required": true, "schema": {"type": "integer", "minimum": 1}}
        });
        add.push(("429", too_many));
    }
    let responses = op["responses"]
        .as_object_mut()
        .expect("every operation has responses");
    for (status, response) in add {
        responses.entry(status).or_insert(response);
    }
}

/// Path and query parameters as the extractors read them: `id` and `…_id`
/// are positive integers, `date`, `from` and `to` dates in range.
fn parameters(op: &mut Value) {
    let Some(params) = op["parameters"].as_array_mut() else {
        return;
    };
    for p in params {
        let name = p["name"].as_str().unwrap_or_default().to_string();
        if name == "id" || name.ends_with("_id") {
            p["schema"]["minimum"] = json!(1);
        } else if matches!(name.as_str(), "date" | "from" | "to") {
            p["schema"] = date_schema();
        }
    }
}

fn date_schema() -> Value {
    json!({"type": "string", "format": "date", "pattern": DATE})
}

/// `Id` is an alias of i64, so utoipa names its schema `i64`: call it `Id`
/// and say ids are positive.
fn ids_are_positive(v: &mut Value) {
    let schemas = v["components"]["schemas"]
        .as_object_mut()
        .expect("the document has schemas");
    schemas.remove("i64");
    schemas.insert(
        "Id".into(),
        json!({"type": "integer", "format": "int64", "minimum": 1,
               "description": "A record's id: a positive integer."}),
    );
    rename_refs(v, "#/components/schemas/i64", "#/components/schemas/Id");
}

/// An enum variant with data is an object of exactly one key (`{"at":
/// "09:00"}`), or, for an internally tagged enum, the tag (a one-value
/// string) and the variant's fields; utoipa leaves other keys open, which
/// serde refuses. A schema that another one extends through `allOf` (serde's
/// `flatten`, a tagged enum inside another's variant) stays open: the keys
/// it does not know belong to the schema around it.
fn close_variants(v: &mut Value) {
    let mut composed = std::collections::BTreeSet::new();
    extended(v, &mut composed);
    if let Some(schemas) = v
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            if !composed.contains(name) {
                closed_variants(schema);
            }
        }
    }
    if let Some(paths) = v.get_mut("paths") {
        closed_variants(paths);
    }
}

/// The names of the schemas an `allOf` refers to.
fn extended(v: &Value, names: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for part in m
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(r) = part["$ref"].as_str() {
                    names.insert(r.trim_start_matches("#/components/schemas/").to_string());
                }
            }
            m.values().for_each(|x| extended(x, names));
        }
        Value::Array(items) => items.iter().for_each(|x| extended(x, names)),
        _ => {}
    }
}

fn closed_variants(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(items)) = m.get_mut("oneOf") {
                for item in items.iter_mut() {
                    let Some(o) = item.as_object_mut() else {
                        continue;
                    };
                    if (is_one_key(o) || is_tagged(o)) && !o.contains_key("additionalProperties") {
                        o.insert("additionalProperties".into(), Value::Bool(false));
                    }
                }
            }
            m.values_mut().for_each(closed_variants);
        }
        Value::Array(items) => items.iter_mut().for_each(closed_variants),
        _ => {}
    }
}

fn is_one_key(o: &serde_json::Map<String, Value>) -> bool {
    o.get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| p.len() == 1)
        && o.get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.len() == 1)
}

/// A required property that can take one string only: serde's tag.
fn is_tagged(o: &serde_json::Map<String, Value>) -> bool {
    let (Some(props), Some(required)) = (
        o.get("properties").and_then(Value::as_object),
        o.get("required").and_then(Value::as_array),
    ) else {
        return false;
    };
    required.iter().filter_map(Value::as_str).any(|name| {
        props.get(name).is_some_and(|p| {
            p["type"] == "string" && p["enum"].as_array().is_some_and(|e| e.len() == 1)
        })
    })
}

fn rename_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Object(m) => {
            if m.get("$ref").and_then(Value::as_str) == Some(from) {
                m.insert("$ref".into(), json!(to));
            }
            m.values_mut().for_each(|x| rename_refs(x, from, to));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, from, to)),
        _ => {}
    }
}

/// The texts and dates of every schema a body reaches (inline ones were
/// done in place): no control characters
/// (and, with `minLength` 1, not blank: the checks trim), dates in range.
fn texts_and_dates(v: &mut Value, bodies: &[Value]) {
    let mut names = std::collections::BTreeSet::new();
    let schemas = v["components"]["schemas"].clone();
    for b in bodies {
        reachable(b, &schemas, &mut names);
    }
    for name in &names {
        if let Some(s) = v["components"]["schemas"].get_mut(name) {
            constrain(s);
        }
    }
}

fn reachable(v: &Value, schemas: &Value, names: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(name) = m
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                if names.insert(name.to_string()) {
                    reachable(&schemas[name], schemas, names);
                }
            }
            m.values().for_each(|x| reachable(x, schemas, names));
        }
        Value::Array(a) => a.iter().for_each(|x| reachable(x, schemas, names)),
        _ => {}
    }
}

fn is_string(m: &Map<String, Value>) -> bool {
    match m.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    }
}

fn constrain(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if is_string(m) && !m.contains_key("enum") && !m.contains_key("pattern") {
                match m.get("format").and_then(Value::as_str) {
                    Some("date") => {
                        m.insert("pattern".into(), json!(DATE));
                    }
                    Some(_) => {}
                    None => {
                        let blank_ok = m.get("minLength").and_then(Value::as_u64).unwrap_or(0) == 0;
                        let pattern = if blank_ok {
                            format!("^[^{CONTROL}]*$")
                        } else {
                            format!(r"^[^{CONTROL}]*[^\s{CONTROL}][^{CONTROL}]*$")
                        };
                        m.insert("pattern".into(), json!(pattern));
                    }
                }
            }
            m.values_mut().for_each(constrain);
        }
        Value::Array(a) => a.iter_mut().for_each(constrain),
        _ => {}
    }
}
