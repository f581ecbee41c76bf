//! Times of day as the dispatcher writes them ("08:30"), minutes inside.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;

/// Minutes after midnight, 0..=1440, written "HH:MM" in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clock(pub u16);

impl Clock {
    pub const MIDNIGHT_END: u16 = 24 * 60;

    pub fn minutes(self) -> i64 {
        i64::from(self.0)
    }

    /// A solver time (fractional minutes) shown to the minute, rounded down.
    pub fn from_minutes_f64(m: f64) -> Self {
        Self(m.clamp(0.0, f64::from(Self::MIDNIGHT_END)).floor() as u16)
    }

    pub fn from_minutes(m: i64) -> Option<Self> {
        (0..=i64::from(Self::MIDNIGHT_END))
            .contains(&m)
            .then_some(Self(m as u16))
    }
}

/// "HH:MM", 00:00 to 24:00: the form every time of day takes in JSON.
pub const CLOCK_PATTERN: &str = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";

/// For the places utoipa cannot take a `pattern` attribute (tuple variants).
impl utoipa::PartialSchema for Clock {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(CLOCK_PATTERN))
            .examples([serde_json::json!("08:30")])
            .into()
    }
}

impl ToSchema for Clock {}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl std::str::FromStr for Clock {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected a time of day \"HH:MM\" (00:00 to 24:00), got {s:?}");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        let digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || !digits(m) {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m >= 60 || h > 24 || (h == 24 && m > 0) {
            return Err(bad());
        }
        Ok(Self(h * 60 + m))
    }
}

impl Serialize for Clock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// An interval of the day, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[schema(value_type = String, example = "08:30", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub start: Clock,
    /// Not before `start`.
    #[schema(value_type = String, example = "09:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub end: Clock,
}

impl Window {
    pub fn new(start: Clock, end: Clock) -> Self {
        Self { start, end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_times_of_day() {
        let c: Clock = "08:05".parse().unwrap();
        assert_eq!(c.0, 485);
        assert_eq!(c.to_string(), "08:05");
        assert_eq!("24:00".parse::<Clock>().unwrap().0, 1440);
        for bad in [
            "8:05", "24:01", "12:60", "noon", "", "12-00", "-1:00", "+8:30", "09:+5",
        ] {
            assert!(bad.parse::<Clock>().is_err(), "{bad}");
        }
    }
}
