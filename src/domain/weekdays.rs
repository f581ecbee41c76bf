//! A set of weekdays, written in JSON as a list of `"mon"` … `"sun"`: the
//! days a standing order runs. A bit set, so it is `Copy` and always in
//! Monday-first order however the client listed it.

use std::fmt;

use chrono::Weekday;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

/// The JSON names, Monday first (the index is `num_days_from_monday`).
pub const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WeekdaySet(u8);

/// One weekday in JSON (`"mon"` … `"sun"`), e.g. a meal recipient's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    pub fn weekday(self) -> Weekday {
        Weekday::try_from(self as u8).expect("0..7 is a weekday")
    }

    pub fn of(d: Weekday) -> Self {
        Self::ALL[d.num_days_from_monday() as usize]
    }

    /// The JSON name, as `WeekdaySet` writes it.
    pub fn as_str(self) -> &'static str {
        NAMES[self as usize]
    }
}

fn bit(d: Weekday) -> u8 {
    1 << d.num_days_from_monday()
}

impl WeekdaySet {
    pub const EMPTY: Self = Self(0);

    pub fn contains(self, d: Weekday) -> bool {
        self.0 & bit(d) != 0
    }

    pub fn insert(&mut self, d: Weekday) {
        self.0 |= bit(d);
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Monday first.
    pub fn iter(self) -> impl Iterator<Item = Weekday> {
        (0..7u8)
            .filter(move |i| self.0 & (1 << i) != 0)
            .map(|i| Weekday::try_from(i).expect("0..7 is a weekday"))
    }

    pub fn parse_name(s: &str) -> Option<Weekday> {
        let i = NAMES.iter().position(|n| *n == s)?;
        Weekday::try_from(i as u8).ok()
    }

    pub fn name(d: Weekday) -> &'static str {
        NAMES[d.num_days_from_monday() as usize]
    }
}

impl FromIterator<Weekday> for WeekdaySet {
    fn from_iter<I: IntoIterator<Item = Weekday>>(days: I) -> Self {
        let mut set = Self::EMPTY;
        days.into_iter().for_each(|d| set.insert(d));
        set
    }
}

impl Serialize for WeekdaySet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Self::name))
    }
}

/// A name twice is refused rather than merged: the schema says the items are
/// unique, and a repeated day is more likely a typo for another one.
impl<'de> Deserialize<'de> for WeekdaySet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Days;
        impl<'de> Visitor<'de> for Days {
            type Value = WeekdaySet;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of weekdays such as [\"mon\", \"wed\", \"fri\"]")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WeekdaySet, A::Error> {
                let mut set = WeekdaySet::EMPTY;
                while let Some(name) = seq.next_element::<String>()? {
                    let day = WeekdaySet::parse_name(&name).ok_or_else(|| {
                        de::Error::custom(format!(
                            "unknown weekday `{name}`, expected one of {}",
                            NAMES.join(", ")
                        ))
                    })?;
                    if set.contains(day) {
                        return Err(de::Error::custom(format!("names `{name}` twice")));
                    }
                    set.insert(day);
                }
                Ok(set)
            }
        }
        d.deserialize_seq(Days)
    }
}

impl utoipa::PartialSchema for WeekdaySet {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(NAMES)),
            )
            .min_items(Some(1))
            .max_items(Some(7))
            .unique_items(true)
            .description(Some("Weekdays, Monday first in answers."))
            .examples([serde_json::json!(["mon", "wed", "fri"])])
            .into()
    }
}

impl ToSchema for WeekdaySet {}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    #[test]
    fn json_is_a_monday_first_list_of_short_names() {
        let set: WeekdaySet = serde_json::from_str(r#"["fri", "mon", "wed"]"#).unwrap();
        assert_eq!(set, WeekdaySet::from_iter([Mon, Wed, Fri]));
        assert_eq!(set.len(), 3);
        assert!(set.contains(Wed) && !set.contains(Tue));
        assert_eq!(
            serde_json::to_value(set).unwrap(),
            serde_json::json!(["mon", "wed", "fri"])
        );
        let all: WeekdaySet = serde_json::from_value(serde_json::json!(NAMES)).unwrap();
        assert_eq!(
            all.iter().collect::<Vec<_>>(),
            [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
        );
    }

    #[test]
    fn an_empty_list_reads_as_an_empty_set() {
        let set: WeekdaySet = serde_json::from_str("[]").unwrap();
        assert!(set.is_empty());
        assert_eq!(serde_json::to_string(&set).unwrap(), "[]");
    }

    #[test]
    fn unknown_names_repeats_and_other_shapes_are_refused() {
        for bad in [
            r#"["Mon"]"#,
            r#"["monday"]"#,
            r#"["mon", "mon"]"#,
            r#""mon""#,
            "[1]",
        ] {
            let err = serde_json::from_str::<WeekdaySet>(bad).unwrap_err();
            assert!(err.is_data(), "{bad}: {err}");
        }
        let err = serde_json::from_str::<WeekdaySet>(r#"["tue", "tue"]"#).unwrap_err();
        assert!(err.to_string().contains("names `tue` twice"), "{err}");
    }

    #[test]
    fn a_day_is_its_weekday_and_reads_as_the_set_writes_it() {
        for i in 0..7u8 {
            let w = Weekday::try_from(i).unwrap();
            let d = Day::of(w);
            assert_eq!(d.weekday(), w);
            assert_eq!(d.as_str(), WeekdaySet::name(w));
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
            assert_eq!(serde_json::from_value::<Day>(d.as_str().into()).unwrap(), d);
        }
        assert!(serde_json::from_value::<Day>("monday".into()).is_err());
    }
}
