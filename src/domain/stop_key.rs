//! A stop's identity across plan revisions: the request and which end of it.
//! Row ids change with every revision; a driver's phone and the event log
//! hold on to this key instead, written `"42-pickup"`.

use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::plan::Role;
use super::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StopKey {
    pub request_id: Id,
    pub role: Role,
}

impl StopKey {
    pub fn new(request_id: Id, role: Role) -> Self {
        Self { request_id, role }
    }
}

impl fmt::Display for StopKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.request_id, self.role.as_str())
    }
}

impl FromStr for StopKey {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected a stop key like \"42-pickup\" or \"42-dropoff\", got {s:?}");
        let (id, role) = s.split_once('-').ok_or_else(bad)?;
        // Digits only: no sign, no spaces, no leading zeros, so each key has one spelling.
        let canonical =
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !id.starts_with('0');
        let request_id = id
            .parse::<Id>()
            .ok()
            .filter(|_| canonical)
            .ok_or_else(bad)?;
        let role = Role::parse(role).ok_or_else(bad)?;
        Ok(Self { request_id, role })
    }
}

impl Serialize for StopKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for StopKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_text_form_both_ways() {
        let k: StopKey = "42-pickup".parse().unwrap();
        assert_eq!(k, StopKey::new(42, Role::Pickup));
        assert_eq!(k.to_string(), "42-pickup");
        assert_eq!("7-dropoff".parse::<StopKey>().unwrap().role, Role::Dropoff);
        assert_eq!(serde_json::to_string(&k).unwrap(), "\"42-pickup\"");
        let back: StopKey = serde_json::from_str("\"42-pickup\"").unwrap();
        assert_eq!(back, k);
        for bad in [
            "",
            "42",
            "42-",
            "-pickup",
            "42-lunch",
            "042-pickup",
            "+42-pickup",
            "-42-pickup",
            "42-Pickup",
            " 42-pickup",
            "4 2-pickup",
            "99999999999999999999-pickup",
        ] {
            assert!(bad.parse::<StopKey>().is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<StopKey>("42").is_err());
    }
}
