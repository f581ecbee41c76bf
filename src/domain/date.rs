//! The dates giro accepts from outside: 2000-01-01 to 2099-12-31. A year 0 or
//! 9999 is a typo, and a sane range keeps every backend's date arithmetic safe.
//! Input types deserialize their dates through [`date`], [`at`] and
//! [`optional_at`], so the rule has this one home.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{de, Deserialize, Deserializer};

pub const FIRST: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
pub const LAST: NaiveDate = NaiveDate::from_ymd_opt(2099, 12, 31).expect("a valid date");

/// The message for a date outside the range; the JSON extractor answers it
/// as a broken rule (422), not as a malformed body.
pub const OUT_OF_RANGE: &str = "must be a date from 2000-01-01 to 2099-12-31";

pub fn check(d: NaiveDate) -> Result<NaiveDate, &'static str> {
    (FIRST..=LAST).contains(&d).then_some(d).ok_or(OUT_OF_RANGE)
}

/// `#[serde(deserialize_with = "date::date")]`
pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    check(NaiveDate::deserialize(d)?).map_err(de::Error::custom)
}

/// `#[serde(deserialize_with = "date::at")]`: an instant whose UTC date is in range.
pub fn at<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let at = DateTime::<Utc>::deserialize(d)?;
    check(at.date_naive()).map_err(de::Error::custom)?;
    Ok(at)
}

/// `#[serde(default, deserialize_with = "date::optional_at")]`
pub fn optional_at<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<DateTime<Utc>>::deserialize(d)? {
        Some(at) => check(at.date_naive())
            .map(|_| Some(at))
            .map_err(de::Error::custom),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_inclusive() {
        assert!(check(FIRST).is_ok());
        assert!(check(LAST).is_ok());
        assert!(check(FIRST.pred_opt().unwrap()).is_err());
        assert!(check(LAST.succ_opt().unwrap()).is_err());
        assert!(check(NaiveDate::from_ymd_opt(0, 1, 1).unwrap()).is_err());
    }
}
