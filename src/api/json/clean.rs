//! Every string of a JSON body, keys included, checked against the text rule
//! (`domain::text`) and named by its path, before anything reads the body.

use serde_json::Value;

use crate::domain::{text, FieldError};

/// A child's path in serde_path_to_error's notation (`layouts[0].name`).
fn key_path(parent: &str, key: &str) -> String {
    // Keys are named as sent, minus what cannot be printed.
    let key: String = key.escape_debug().collect();
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

fn walk(value: &Value, path: &str, faults: &mut Vec<FieldError>) {
    let here = || {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }
    };
    match value {
        Value::String(s) => {
            if let Err(m) = text::check(s) {
                faults.push(FieldError::new(here(), m));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{}[{i}]", path), faults);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let p = key_path(path, key);
                if let Err(m) = text::check(key) {
                    faults.push(FieldError::new(p.clone(), format!("the name {m}")));
                }
                walk(item, &p, faults);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Whole numbers written as `2.0` read as `2`: JSON (and JSON Schema) make no
/// difference between them, so an integer field takes either.
pub fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|x| n.is_f64() && x.fract() == 0.0) {
                // Within ±2^53 every whole f64 is exact as an integer.
                if x.abs() <= 9_007_199_254_740_992.0 {
                    *value = Value::from(x as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// The strings of `value` that break the text rule, by path.
pub fn faults(value: &Value) -> Vec<FieldError> {
    let mut faults = Vec::new();
    walk(value, "", &mut faults);
    faults
}

#[cfg(test)]
mod tests {
    use super::faults;
    use serde_json::json;

    #[test]
    fn names_every_string_with_a_control_character() {
        let body = json!({"name": "ok\n", "layouts": [{"name": "a\u{0}"}], "x\u{1}": 1, "n": 5});
        let found: Vec<_> = faults(&body).into_iter().map(|f| f.field).collect();
        assert_eq!(found, ["layouts[0].name", "x\\u{1}"]);
        assert_eq!(faults(&json!("\u{7f}"))[0].field, "body");
        assert!(faults(&json!({"notes": "riga 1\r\n\triga 2"})).is_empty());
    }

    #[test]
    fn whole_floats_become_integers_and_others_stay() {
        let mut body = json!({"seats": 2.0, "kg": 2.5, "list": [-3.0, 1e300], "n": 7});
        super::whole_numbers(&mut body);
        assert_eq!(
            body,
            json!({"seats": 2, "kg": 2.5, "list": [-3, 1e300], "n": 7})
        );
        assert!(body["seats"].is_i64());
    }

    #[test]
    fn a_large_whole_float_is_read_exactly() {
        // Best-effort float parsing read this one 1 ulp off (…247.25), so it
        // was refused as a fraction where an id was due.
        let mut body: serde_json::Value =
            serde_json::from_str(r#"{"centre_place_id": 2251799813685247.0}"#).unwrap();
        super::whole_numbers(&mut body);
        assert_eq!(
            body["centre_place_id"].as_i64(),
            Some(2_251_799_813_685_247)
        );
    }
}
