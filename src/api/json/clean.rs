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
}
