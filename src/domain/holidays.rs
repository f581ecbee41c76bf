//! The days with no service: Italy's national public holidays, computed for
//! any year (no table to fall out of date), and the closing days the
//! municipality adds itself, such as its patron saint's day.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::{date, Checks, Invalid};

/// The national public holidays (Law 260/1949 as amended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    NewYear,
    Epiphany,
    Easter,
    EasterMonday,
    Liberation,
    Labour,
    Republic,
    Assumption,
    /// 4 October, a national holiday again from 2026.
    StFrancis,
    AllSaints,
    ImmaculateConception,
    Christmas,
    StStephen,
}

str_enum!(Holiday {
    NewYear => "new_year", Epiphany => "epiphany", Easter => "easter",
    EasterMonday => "easter_monday", Liberation => "liberation", Labour => "labour",
    Republic => "republic", Assumption => "assumption", StFrancis => "st_francis",
    AllSaints => "all_saints", ImmaculateConception => "immaculate_conception",
    Christmas => "christmas", StStephen => "st_stephen"
});

impl Holiday {
    pub const ALL: [Holiday; 13] = [
        Self::NewYear,
        Self::Epiphany,
        Self::Easter,
        Self::EasterMonday,
        Self::Liberation,
        Self::Labour,
        Self::Republic,
        Self::Assumption,
        Self::StFrancis,
        Self::AllSaints,
        Self::ImmaculateConception,
        Self::Christmas,
        Self::StStephen,
    ];

    pub fn italian(self) -> &'static str {
        match self {
            Self::NewYear => "Capodanno",
            Self::Epiphany => "Epifania",
            Self::Easter => "Pasqua",
            Self::EasterMonday => "Lunedì dell'Angelo",
            Self::Liberation => "Festa della Liberazione",
            Self::Labour => "Festa del Lavoro",
            Self::Republic => "Festa della Repubblica",
            Self::Assumption => "Ferragosto",
            Self::StFrancis => "San Francesco d'Assisi",
            Self::AllSaints => "Ognissanti",
            Self::ImmaculateConception => "Immacolata Concezione",
            Self::Christmas => "Natale",
            Self::StStephen => "Santo Stefano",
        }
    }

    pub fn english(self) -> &'static str {
        match self {
            Self::NewYear => "New Year's Day",
            Self::Epiphany => "Epiphany",
            Self::Easter => "Easter Sunday",
            Self::EasterMonday => "Easter Monday",
            Self::Liberation => "Liberation Day",
            Self::Labour => "Labour Day",
            Self::Republic => "Republic Day",
            Self::Assumption => "Assumption Day",
            Self::StFrancis => "St Francis of Assisi",
            Self::AllSaints => "All Saints' Day",
            Self::ImmaculateConception => "Immaculate Conception",
            Self::Christmas => "Christmas Day",
            Self::StStephen => "St Stephen's Day",
        }
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm of
/// Meeus, Jones and Butcher); `None` only for a year chrono cannot hold.
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32)
}

/// The national holiday on `date`, if any. When two fall together (Easter on
/// 25 April 2038, Easter Monday on 25 April 2011) the fixed one is named.
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    use Holiday::*;
    let year = date.year();
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some(NewYear),
        (1, 6) => Some(Epiphany),
        (4, 25) => Some(Liberation),
        (5, 1) => Some(Labour),
        // Law 336/2000 brought 2 June back from 2001; before, the feast was
        // kept on the first Sunday of June.
        (6, 2) if year >= 2001 => Some(Republic),
        (6, 1..=7) if year < 2001 && date.weekday() == Weekday::Sun => Some(Republic),
        (8, 15) => Some(Assumption),
        (10, 4) if year >= 2026 => Some(StFrancis),
        (11, 1) => Some(AllSaints),
        (12, 8) => Some(ImmaculateConception),
        (12, 25) => Some(Christmas),
        (12, 26) => Some(StStephen),
        _ => None,
    };
    fixed.or_else(|| {
        let sunday = easter(year)?;
        if date == sunday {
            Some(Easter)
        } else if date.pred_opt() == Some(sunday) {
            Some(EasterMonday)
        } else {
            None
        }
    })
}

/// Every national holiday of `year`, in date order: for calendars shown to people.
pub fn holidays_in(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    first
        .iter_days()
        .take_while(|d| d.year() == year)
        .filter_map(|d| holiday(d).map(|h| (d, h)))
        .collect()
}

/// A day the municipality's service does not run although the law does not
/// close it: the patron saint's day, a strike, an office move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosingDay {
    #[serde(deserialize_with = "super::date::date")]
    pub date: NaiveDate,
    /// Shown to associations as the reason, e.g. "Festa patronale".
    #[schema(min_length = 1, max_length = 100)]
    pub label: String,
}

pub const MAX_CLOSING_DAYS: usize = 366;

/// The checks on a list of closing days, named `at[i].date` and `at[i].label`.
pub fn check_closing_days(c: &mut Checks, at: &str, days: &[ClosingDay]) {
    c.require(
        days.len() <= MAX_CLOSING_DAYS,
        at,
        "may name at most 366 days",
    );
    for (i, day) in days.iter().enumerate() {
        if let Err(m) = date::check(day.date) {
            c.fail(format!("{at}[{i}].date"), m);
        }
        if let Some(j) = days[..i].iter().position(|d| d.date == day.date) {
            c.fail(
                format!("{at}[{i}].date"),
                format!("names the same day as {at}[{j}]"),
            );
        }
        c.text(&format!("{at}[{i}].label"), &day.label, 100);
    }
}

pub fn validate_closing_days(days: &[ClosingDay]) -> Result<(), Invalid> {
    let mut c = Checks::default();
    check_closing_days(&mut c, "closing_days", days);
    c.done()
}

/// Why there is no service on a day, in words for the associations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoService {
    /// A national public holiday.
    Holiday { holiday: Holiday },
    /// One of the municipality's closing days.
    Closed { label: String },
}

impl fmt::Display for NoService {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::Holiday { holiday } => write!(
                f,
                "public holiday: {} ({})",
                holiday.english(),
                holiday.italian()
            ),
            Self::Closed { label } => write!(f, "service closed: {label}"),
        }
    }
}

/// Which days the service runs: every day but the national holidays and the
/// municipality's closing days.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Calendar {
    closing: BTreeMap<NaiveDate, String>,
}

impl Calendar {
    /// The first label wins when a day is listed twice (validation refuses that).
    pub fn new(closing: impl IntoIterator<Item = ClosingDay>) -> Self {
        let mut map = BTreeMap::new();
        for day in closing {
            map.entry(day.date).or_insert(day.label);
        }
        Self { closing: map }
    }

    pub fn closing_days(&self) -> impl Iterator<Item = ClosingDay> + '_ {
        self.closing.iter().map(|(d, l)| ClosingDay {
            date: *d,
            label: l.clone(),
        })
    }

    /// The law comes first: a closing day on a holiday is reported as the holiday.
    pub fn is_service_day(&self, date: NaiveDate) -> Result<(), NoService> {
        if let Some(h) = holiday(date) {
            return Err(NoService::Holiday { holiday: h });
        }
        match self.closing.get(&date) {
            Some(label) => Err(NoService::Closed {
                label: label.clone(),
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Holiday::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_falls_on_the_known_sundays() {
        for (y, m, d) in [
            (2000, 4, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2049, 4, 18),
            (2099, 4, 12),
        ] {
            assert_eq!(easter(y), Some(ymd(y, m, d)), "{y}");
        }
    }

    #[test]
    fn easter_is_a_sunday_between_22_march_and_25_april_every_year() {
        for y in 2000..=2099 {
            let e = easter(y).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{y}");
            assert!(e >= ymd(y, 3, 22) && e <= ymd(y, 4, 25), "{y}: {e}");
            for (day, named) in [(e, Easter), (e.succ_opt().unwrap(), EasterMonday)] {
                let liberation = (day.month(), day.day()) == (4, 25);
                let expected = if liberation { Liberation } else { named };
                assert_eq!(holiday(day), Some(expected), "{day}");
            }
        }
    }

    #[test]
    fn easter_sunday_and_monday_are_holidays() {
        assert_eq!(holiday(ymd(2025, 4, 20)), Some(Easter));
        assert_eq!(holiday(ymd(2025, 4, 21)), Some(EasterMonday));
        assert_eq!(holiday(ymd(2025, 4, 22)), None);
        assert_eq!(holiday(ymd(2025, 4, 19)), None);
        assert_eq!(holiday(ymd(2026, 4, 6)), Some(EasterMonday));
        assert_eq!(holiday(ymd(2024, 4, 1)), Some(EasterMonday));
        // Easter Monday 2011 was also Liberation Day: the fixed one is named.
        assert_eq!(holiday(ymd(2011, 4, 25)), Some(Liberation));
        assert_eq!(holiday(ymd(2038, 4, 26)), Some(EasterMonday));
    }

    #[test]
    fn every_fixed_holiday_is_found_and_its_neighbours_are_not() {
        let fixed = [
            (1, 1, NewYear),
            (1, 6, Epiphany),
            (4, 25, Liberation),
            (5, 1, Labour),
            (6, 2, Republic),
            (8, 15, Assumption),
            (10, 4, StFrancis),
            (11, 1, AllSaints),
            (12, 8, ImmaculateConception),
            (12, 25, Christmas),
            (12, 26, StStephen),
        ];
        for year in [2027, 2031, 2064] {
            for (m, d, h) in fixed {
                let day = ymd(year, m, d);
                assert_eq!(holiday(day), Some(h), "{day}");
                let before = day.pred_opt().unwrap();
                if !fixed
                    .iter()
                    .any(|f| (f.0, f.1) == (before.month(), before.day()))
                {
                    assert_eq!(holiday(before), None, "{before}");
                }
            }
        }
        assert_eq!(
            holiday(ymd(2027, 11, 4)),
            None,
            "4 November is no holiday since 1977"
        );
        assert_eq!(holiday(ymd(2027, 3, 19)), None, "nor St Joseph's day");
    }

    #[test]
    fn a_year_has_twelve_holidays_until_2025_and_thirteen_from_2026() {
        let names = |y| {
            holidays_in(y)
                .into_iter()
                .map(|(_, h)| h)
                .collect::<Vec<_>>()
        };
        let mut without_francis = Holiday::ALL.to_vec();
        without_francis.retain(|h| *h != StFrancis);
        assert_eq!(names(2025), without_francis);
        assert_eq!(names(2026), Holiday::ALL.to_vec());
        assert_eq!(holiday(ymd(2025, 10, 4)), None);
        let in_2027 = holidays_in(2027);
        assert!(in_2027.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(in_2027.contains(&(ymd(2027, 10, 4), StFrancis)));
        assert!(in_2027.contains(&(ymd(2027, 3, 29), EasterMonday)));
    }

    #[test]
    fn in_2000_republic_day_was_the_first_sunday_of_june() {
        assert_eq!(holiday(ymd(2000, 6, 2)), None);
        assert_eq!(holiday(ymd(2000, 6, 4)), Some(Republic));
        assert_eq!(holiday(ymd(2001, 6, 2)), Some(Republic));
        assert_eq!(holiday(ymd(2001, 6, 3)), None, "a first Sunday after 2000");
    }

    #[test]
    fn names_are_distinct_and_json_uses_the_snake_case_code() {
        for h in Holiday::ALL {
            assert_eq!(serde_json::to_value(h).unwrap(), h.as_str());
            assert_eq!(Holiday::parse(h.as_str()), Some(h));
            assert!(!h.italian().is_empty() && !h.english().is_empty());
            let others = Holiday::ALL.iter().filter(|o| **o != h);
            assert!(others.clone().all(|o| o.italian() != h.italian()));
            assert!(others.clone().all(|o| o.english() != h.english()));
        }
        assert_eq!(EasterMonday.italian(), "Lunedì dell'Angelo");
        assert_eq!(EasterMonday.as_str(), "easter_monday");
    }

    fn patron() -> ClosingDay {
        ClosingDay {
            date: ymd(2025, 9, 15),
            label: "Festa patronale".into(),
        }
    }

    #[test]
    fn a_calendar_closes_on_holidays_and_closing_days_only() {
        let cal = Calendar::new([patron()]);
        assert_eq!(cal.is_service_day(ymd(2025, 9, 16)), Ok(()));
        assert_eq!(
            cal.is_service_day(ymd(2025, 9, 15)),
            Err(NoService::Closed {
                label: "Festa patronale".into()
            })
        );
        assert_eq!(
            cal.is_service_day(ymd(2025, 12, 8)),
            Err(NoService::Holiday {
                holiday: ImmaculateConception
            })
        );
        // Another year's patron day is not closed by this year's entry.
        assert_eq!(cal.is_service_day(ymd(2026, 9, 15)), Ok(()));
        assert_eq!(Calendar::default().is_service_day(ymd(2025, 9, 15)), Ok(()));
    }

    #[test]
    fn a_holiday_outranks_a_closing_day_on_the_same_date() {
        let cal = Calendar::new([ClosingDay {
            date: ymd(2025, 12, 26),
            label: "Chiusura uffici".into(),
        }]);
        assert_eq!(
            cal.is_service_day(ymd(2025, 12, 26)),
            Err(NoService::Holiday { holiday: StStephen })
        );
        assert_eq!(cal.closing_days().count(), 1);
    }

    #[test]
    fn no_service_reads_in_words_and_in_tagged_json() {
        let h = NoService::Holiday {
            holiday: EasterMonday,
        };
        assert_eq!(
            h.to_string(),
            "public holiday: Easter Monday (Lunedì dell'Angelo)"
        );
        assert_eq!(
            serde_json::to_value(&h).unwrap(),
            serde_json::json!({"kind": "holiday", "holiday": "easter_monday"})
        );
        let c = NoService::Closed {
            label: "Festa patronale".into(),
        };
        assert_eq!(c.to_string(), "service closed: Festa patronale");
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            serde_json::json!({"kind": "closed", "label": "Festa patronale"})
        );
    }

    #[test]
    fn closing_days_read_from_json_in_range_and_without_strangers() {
        let ok: ClosingDay =
            serde_json::from_str(r#"{"date": "2025-09-15", "label": "Festa patronale"}"#).unwrap();
        assert_eq!(ok, patron());
        for bad in [
            r#"{"date": "1999-12-31", "label": "x"}"#,
            r#"{"date": "2025-09-15", "label": "x", "yearly": true}"#,
            r#"{"date": "2025-09-15"}"#,
        ] {
            assert!(serde_json::from_str::<ClosingDay>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn closing_day_checks_name_the_field() {
        assert_eq!(validate_closing_days(&[patron()]), Ok(()));
        let twice = [
            patron(),
            ClosingDay {
                date: ymd(2025, 9, 15),
                label: " ".into(),
            },
            ClosingDay {
                date: ymd(2100, 1, 1),
                label: "x".repeat(101),
            },
        ];
        let fields: Vec<_> = validate_closing_days(&twice)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "closing_days[1].date".to_string(),
                    "names the same day as closing_days[0]".to_string()
                ),
                ("closing_days[1].label".into(), "must not be empty".into()),
                ("closing_days[2].date".into(), date::OUT_OF_RANGE.into()),
                (
                    "closing_days[2].label".into(),
                    "must be at most 100 characters".into()
                ),
            ]
        );
    }
}
