//! Standing orders' calendar: on which dates a recurring booking ("to the day
//! centre Mon/Wed/Fri from 1 September to 30 June") runs, and why it does not
//! on the others, so an association reads the reason, not just a gap.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::holidays::{Calendar, NoService};
use super::weekdays::WeekdaySet;
use super::{date, Checks, Invalid};

/// Longest range a standing order may cover: two school years' worth, and a
/// bound on every listing of its dates.
pub const MAX_SPAN_MONTHS: u32 = 24;
pub const MAX_EXCEPTIONS: usize = 366;
pub const MAX_SUSPENSIONS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Recurrence {
    pub weekdays: WeekdaySet,
    /// The first day the order may run.
    #[serde(deserialize_with = "super::date::date")]
    pub starts_on: NaiveDate,
    /// The last day it may run; `null` until the order is ended, then at
    /// most two years after `starts_on`.
    #[serde(default, deserialize_with = "optional_date")]
    pub ends_on: Option<NaiveDate>,
    /// Dates skipped although they match (a trip, a visit), between
    /// `starts_on` and `ends_on`.
    #[serde(default, deserialize_with = "dates")]
    #[schema(max_items = 366)]
    pub exceptions: BTreeSet<NaiveDate>,
}

/// A pause in a standing order: a stay in hospital, a holiday with family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    /// The first day not served.
    #[serde(deserialize_with = "super::date::date")]
    pub from: NaiveDate,
    /// The first day served again; `null` until someone lifts it.
    #[serde(default, deserialize_with = "optional_date")]
    pub resume_on: Option<NaiveDate>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub reason: Option<String>,
}

impl Suspension {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.resume_on.is_none_or(|r| day < r)
    }
}

/// Why a standing order has no ride on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    NotItsWeekday,
    BeforeStart,
    AfterEnd,
    /// One of the order's exceptions.
    Exception,
    /// `resume_on` is the first day no suspension covers; `null` when one
    /// covering the date has no end.
    Suspended {
        resume_on: Option<NaiveDate>,
    },
    /// A holiday or a closing day of the service.
    NoService(NoService),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::NotItsWeekday => f.write_str("not one of its weekdays"),
            Self::BeforeStart => f.write_str("before the order starts"),
            Self::AfterEnd => f.write_str("after the order ends"),
            Self::Exception => f.write_str("skipped on request"),
            Self::Suspended {
                resume_on: Some(day),
            } => write!(f, "suspended until {day}"),
            Self::Suspended { resume_on: None } => f.write_str("suspended until further notice"),
            Self::NoService(why) => why.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "occurrence", rename_all = "snake_case")]
pub enum Occurrence {
    Ride,
    Skipped(SkipReason),
}

/// The day service resumes (`Some(None)`: not before it is lifted) when
/// `day` is suspended. Overlapping suspensions chain, so the answer is the
/// first day that none covers, not the end of the first one found.
fn suspended_until(suspensions: &[Suspension], day: NaiveDate) -> Option<Option<NaiveDate>> {
    let mut at = day;
    let mut covered = false;
    loop {
        let mut next = None;
        for s in suspensions.iter().filter(|s| s.covers(at)) {
            match s.resume_on {
                None => return Some(None),
                // A covering suspension resumes after `at`: the walk moves on.
                Some(r) => next = next.max(Some(r)),
            }
        }
        match next {
            Some(r) => (covered, at) = (true, r),
            None => return covered.then_some(Some(at)),
        }
    }
}

/// Whether the order rides on `date`, else the first reason it does not:
/// the order's own terms (range, weekdays, exceptions, suspensions) before
/// the town's calendar, so an association sees its own choice first.
pub fn occurs_on(
    r: &Recurrence,
    suspensions: &[Suspension],
    calendar: &Calendar,
    date: NaiveDate,
) -> Occurrence {
    let skip = if date < r.starts_on {
        Some(SkipReason::BeforeStart)
    } else if r.ends_on.is_some_and(|end| date > end) {
        Some(SkipReason::AfterEnd)
    } else if !r.weekdays.contains(date.weekday()) {
        Some(SkipReason::NotItsWeekday)
    } else if r.exceptions.contains(&date) {
        Some(SkipReason::Exception)
    } else if let Some(resume_on) = suspended_until(suspensions, date) {
        Some(SkipReason::Suspended { resume_on })
    } else {
        calendar
            .is_service_day(date)
            .err()
            .map(SkipReason::NoService)
    };
    skip.map_or(Occurrence::Ride, Occurrence::Skipped)
}

/// Each date from `from` to `to` (inclusive) inside the order's range that
/// falls on one of its weekdays, with whether it rides: the listing an
/// association checks before the term starts.
pub fn schedule_between(
    r: &Recurrence,
    suspensions: &[Suspension],
    calendar: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(NaiveDate, Occurrence)> {
    let first = from.max(r.starts_on);
    let last = r.ends_on.map_or(to, |end| end.min(to));
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| r.weekdays.contains(d.weekday()))
        .map(|d| (d, occurs_on(r, suspensions, calendar, d)))
        .collect()
}

/// The dates from `from` to `to` (inclusive) with a ride.
pub fn dates_between(
    r: &Recurrence,
    suspensions: &[Suspension],
    calendar: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NaiveDate> {
    schedule_between(r, suspensions, calendar, from, to)
        .into_iter()
        .filter_map(|(d, o)| (o == Occurrence::Ride).then_some(d))
        .collect()
}

/// `name` inside the object at `at` ("" for the top level).
fn field(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

impl Recurrence {
    /// The checks, with fields named under `at` ("" for the top level,
    /// `recurrence` when nested). The date range is checked again here for
    /// values that did not come through JSON (forms, the store).
    pub fn check(&self, c: &mut Checks, at: &str) {
        c.require(
            !self.weekdays.is_empty(),
            &field(at, "weekdays"),
            "must name at least one weekday",
        );
        let starts_ok = date::check(self.starts_on).is_ok();
        if !starts_ok {
            c.fail(field(at, "starts_on"), date::OUT_OF_RANGE);
        }
        if let Some(end) = self.ends_on {
            let limit = self
                .starts_on
                .checked_add_months(Months::new(MAX_SPAN_MONTHS))
                .unwrap_or(NaiveDate::MAX);
            let fault = if date::check(end).is_err() {
                Some(date::OUT_OF_RANGE)
            } else if end < self.starts_on {
                Some("must not be before starts_on")
            } else if starts_ok && end > limit {
                Some("must be at most two years after starts_on")
            } else {
                None
            };
            if let Some(m) = fault {
                c.fail(field(at, "ends_on"), m);
            }
        }
        let exceptions = field(at, "exceptions");
        if self.exceptions.len() > MAX_EXCEPTIONS {
            c.fail(exceptions, "may name at most 366 dates");
            return;
        }
        // A set has no JSON index to name, so the message names the date.
        for day in &self.exceptions {
            let fault = if date::check(*day).is_err() {
                Some(format!("{day} {}", date::OUT_OF_RANGE))
            } else if *day < self.starts_on {
                Some(format!("{day} is before starts_on"))
            } else if self.ends_on.is_some_and(|end| *day > end) {
                Some(format!("{day} is after ends_on"))
            } else {
                None
            };
            if let Some(m) = fault {
                c.fail(&exceptions, m);
            }
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        self.check(&mut c, "");
        c.done()
    }
}

impl Suspension {
    /// The checks, with fields named under `at` (e.g. `suspensions[2]`).
    pub fn check(&self, c: &mut Checks, at: &str) {
        if date::check(self.from).is_err() {
            c.fail(field(at, "from"), date::OUT_OF_RANGE);
        }
        if let Some(resume) = self.resume_on {
            if date::check(resume).is_err() {
                c.fail(field(at, "resume_on"), date::OUT_OF_RANGE);
            } else if resume <= self.from {
                c.fail(field(at, "resume_on"), "must be after from");
            }
        }
        c.optional_text(&field(at, "reason"), &self.reason, 200);
    }
}

/// The checks on a list of suspensions, named `at[i].field`.
pub fn check_suspensions(c: &mut Checks, at: &str, list: &[Suspension]) {
    if list.len() > MAX_SUSPENSIONS {
        c.fail(at, "may hold at most 100 suspensions");
        return;
    }
    for (i, s) in list.iter().enumerate() {
        s.check(c, &format!("{at}[{i}]"));
    }
}

pub fn validate_suspensions(list: &[Suspension]) -> Result<(), Invalid> {
    let mut c = Checks::default();
    check_suspensions(&mut c, "suspensions", list);
    c.done()
}

/// A date inside the range of src/domain/date.rs, for list items and options.
#[derive(Deserialize)]
struct InRange(#[serde(deserialize_with = "super::date::date")] NaiveDate);

fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Ok(Option::<InRange>::deserialize(d)?.map(|day| day.0))
}

/// Through a list, so an error's path names the item (`exceptions[3]`).
fn dates<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<NaiveDate>, D::Error> {
    Ok(Vec::<InRange>::deserialize(d)?
        .into_iter()
        .map(|day| day.0)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::holidays::{ClosingDay, Holiday};
    use chrono::Weekday::*;
    use serde_json::json;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dec(d: u32) -> NaiveDate {
        ymd(2025, 12, d)
    }

    /// Mon/Wed/Fri through December 2025, which opens on a Monday and holds
    /// the Immaculate Conception (Mon 8), Christmas (Thu 25) and St Stephen (Fri 26).
    fn mwf() -> Recurrence {
        Recurrence {
            weekdays: WeekdaySet::from_iter([Mon, Wed, Fri]),
            starts_on: dec(1),
            ends_on: Some(dec(31)),
            exceptions: BTreeSet::new(),
        }
    }

    fn days(ds: &[u32]) -> Vec<NaiveDate> {
        ds.iter().map(|d| dec(*d)).collect()
    }

    fn skipped(r: SkipReason) -> Occurrence {
        Occurrence::Skipped(r)
    }

    fn holiday(h: Holiday) -> Occurrence {
        skipped(SkipReason::NoService(NoService::Holiday { holiday: h }))
    }

    fn suspension(from: NaiveDate, resume_on: Option<NaiveDate>) -> Suspension {
        Suspension {
            from,
            resume_on,
            reason: None,
        }
    }

    #[test]
    fn a_mon_wed_fri_month_skips_its_holidays() {
        let cal = Calendar::default();
        let served = dates_between(&mwf(), &[], &cal, dec(1), dec(31));
        assert_eq!(served, days(&[1, 3, 5, 10, 12, 15, 17, 19, 22, 24, 29, 31]));
        assert_eq!(
            occurs_on(&mwf(), &[], &cal, dec(8)),
            holiday(Holiday::ImmaculateConception)
        );
        assert_eq!(
            occurs_on(&mwf(), &[], &cal, dec(26)),
            holiday(Holiday::StStephen)
        );
        // Christmas is a Thursday: not a day this order runs anyway.
        assert_eq!(
            occurs_on(&mwf(), &[], &cal, dec(25)),
            skipped(SkipReason::NotItsWeekday)
        );
        assert_eq!(occurs_on(&mwf(), &[], &cal, dec(3)), Occurrence::Ride);
    }

    #[test]
    fn easter_monday_and_liberation_day_fall_out_of_april() {
        let r = Recurrence {
            weekdays: WeekdaySet::from_iter([Mon, Fri]),
            starts_on: ymd(2025, 4, 1),
            ends_on: Some(ymd(2025, 4, 30)),
            exceptions: BTreeSet::new(),
        };
        let cal = Calendar::default();
        let served = dates_between(&r, &[], &cal, ymd(2025, 4, 1), ymd(2025, 4, 30));
        let expected: Vec<_> = [4, 7, 11, 14, 18, 28].map(|d| ymd(2025, 4, d)).into();
        assert_eq!(served, expected);
        assert_eq!(
            occurs_on(&r, &[], &cal, ymd(2025, 4, 21)),
            holiday(Holiday::EasterMonday)
        );
        assert_eq!(
            occurs_on(&r, &[], &cal, ymd(2025, 4, 25)),
            holiday(Holiday::Liberation)
        );
    }

    #[test]
    fn the_schedule_lists_each_matching_day_with_its_fate() {
        let cal = Calendar::default();
        let listed = schedule_between(&mwf(), &[], &cal, dec(5), dec(12));
        assert_eq!(
            listed,
            vec![
                (dec(5), Occurrence::Ride),
                (dec(8), holiday(Holiday::ImmaculateConception)),
                (dec(10), Occurrence::Ride),
                (dec(12), Occurrence::Ride),
            ]
        );
    }

    #[test]
    fn an_exception_skips_only_its_date() {
        let mut r = mwf();
        r.exceptions.insert(dec(17));
        let cal = Calendar::default();
        assert_eq!(
            occurs_on(&r, &[], &cal, dec(17)),
            skipped(SkipReason::Exception)
        );
        let served = dates_between(&r, &[], &cal, dec(15), dec(19));
        assert_eq!(served, days(&[15, 19]));
    }

    #[test]
    fn a_suspension_ends_on_its_resume_date() {
        let s = [suspension(dec(9), Some(dec(15)))];
        let cal = Calendar::default();
        let paused = skipped(SkipReason::Suspended {
            resume_on: Some(dec(15)),
        });
        assert_eq!(occurs_on(&mwf(), &s, &cal, dec(10)), paused);
        assert_eq!(occurs_on(&mwf(), &s, &cal, dec(12)), paused);
        assert_eq!(occurs_on(&mwf(), &s, &cal, dec(15)), Occurrence::Ride);
        assert_eq!(occurs_on(&mwf(), &s, &cal, dec(5)), Occurrence::Ride);
        let served = dates_between(&mwf(), &s, &cal, dec(1), dec(19));
        assert_eq!(served, days(&[1, 3, 5, 15, 17, 19]));
    }

    #[test]
    fn a_suspension_without_resume_date_lasts_to_the_end() {
        let s = [suspension(dec(20), None)];
        let cal = Calendar::default();
        assert_eq!(
            occurs_on(&mwf(), &s, &cal, dec(29)),
            skipped(SkipReason::Suspended { resume_on: None })
        );
        let served = dates_between(&mwf(), &s, &cal, dec(15), dec(31));
        assert_eq!(served, days(&[15, 17, 19]));
    }

    #[test]
    fn overlapping_suspensions_resume_when_the_last_one_ends() {
        let cal = Calendar::default();
        let chained = [
            suspension(dec(9), Some(dec(15))),
            suspension(dec(12), Some(dec(22))),
        ];
        assert_eq!(
            occurs_on(&mwf(), &chained, &cal, dec(10)),
            skipped(SkipReason::Suspended {
                resume_on: Some(dec(22))
            })
        );
        assert_eq!(occurs_on(&mwf(), &chained, &cal, dec(22)), Occurrence::Ride);
        let then_open = [suspension(dec(9), Some(dec(15))), suspension(dec(15), None)];
        assert_eq!(
            occurs_on(&mwf(), &then_open, &cal, dec(10)),
            skipped(SkipReason::Suspended { resume_on: None })
        );
    }

    #[test]
    fn closing_days_skip_like_holidays_with_their_label() {
        let cal = Calendar::new([ClosingDay {
            date: dec(15),
            label: "Festa patronale".into(),
        }]);
        assert_eq!(
            occurs_on(&mwf(), &[], &cal, dec(15)),
            skipped(SkipReason::NoService(NoService::Closed {
                label: "Festa patronale".into()
            }))
        );
        let served = dates_between(&mwf(), &[], &cal, dec(10), dec(19));
        assert_eq!(served, days(&[10, 12, 17, 19]));
    }

    #[test]
    fn the_orders_own_terms_come_before_the_calendar() {
        let mut r = mwf();
        r.exceptions.insert(dec(8));
        let s = [suspension(dec(24), Some(dec(29)))];
        let cal = Calendar::default();
        assert_eq!(
            occurs_on(&r, &s, &cal, dec(8)),
            skipped(SkipReason::Exception)
        );
        assert_eq!(
            occurs_on(&r, &s, &cal, dec(26)),
            skipped(SkipReason::Suspended {
                resume_on: Some(dec(29))
            })
        );
    }

    #[test]
    fn nothing_before_the_start_or_after_the_end() {
        let cal = Calendar::default();
        assert_eq!(
            occurs_on(&mwf(), &[], &cal, ymd(2025, 11, 28)),
            skipped(SkipReason::BeforeStart)
        );
        assert_eq!(
            occurs_on(&mwf(), &[], &cal, ymd(2026, 1, 2)),
            skipped(SkipReason::AfterEnd)
        );
        let wide = dates_between(&mwf(), &[], &cal, ymd(2025, 11, 1), ymd(2026, 1, 31));
        assert_eq!(wide, dates_between(&mwf(), &[], &cal, dec(1), dec(31)));
        assert!(dates_between(&mwf(), &[], &cal, dec(20), dec(10)).is_empty());
        let open = Recurrence {
            ends_on: None,
            ..mwf()
        };
        let january = dates_between(&open, &[], &cal, ymd(2026, 1, 1), ymd(2026, 1, 9));
        // Open-ended, it runs on into January (1 January is a Thursday).
        let expected: Vec<_> = [2, 5, 7, 9].map(|d| ymd(2026, 1, d)).into();
        assert_eq!(january, expected);
    }

    #[test]
    fn skip_reasons_read_in_words_and_in_tagged_json() {
        let paused = SkipReason::Suspended {
            resume_on: Some(dec(15)),
        };
        assert_eq!(paused.to_string(), "suspended until 2025-12-15");
        assert_eq!(
            serde_json::to_value(skipped(paused)).unwrap(),
            json!({"occurrence": "skipped", "reason": "suspended", "resume_on": "2025-12-15"})
        );
        let easter = SkipReason::NoService(NoService::Holiday {
            holiday: Holiday::EasterMonday,
        });
        assert_eq!(
            easter.to_string(),
            "public holiday: Easter Monday (Lunedì dell'Angelo)"
        );
        assert_eq!(
            serde_json::to_value(&easter).unwrap(),
            json!({"reason": "no_service", "kind": "holiday", "holiday": "easter_monday"})
        );
        assert_eq!(
            serde_json::to_value(Occurrence::Ride).unwrap(),
            json!({"occurrence": "ride"})
        );
        assert_eq!(
            serde_json::to_value(SkipReason::NotItsWeekday).unwrap(),
            json!({"reason": "not_its_weekday"})
        );
    }

    #[test]
    fn a_recurrence_reads_from_json_with_defaults() {
        let r: Recurrence = serde_json::from_value(json!({
            "weekdays": ["fri", "mon", "wed"],
            "starts_on": "2025-12-01",
            "ends_on": "2025-12-31",
        }))
        .unwrap();
        assert_eq!(r, mwf());
        let back = serde_json::to_value(&r).unwrap();
        assert_eq!(back["weekdays"], json!(["mon", "wed", "fri"]));
        assert_eq!(serde_json::from_value::<Recurrence>(back).unwrap(), r);
        let open: Recurrence = serde_json::from_value(json!({
            "weekdays": ["tue"], "starts_on": "2025-09-01",
            "exceptions": ["2025-11-04", "2025-09-02", "2025-11-04"],
        }))
        .unwrap();
        assert_eq!(open.ends_on, None);
        assert_eq!(
            open.exceptions.iter().copied().collect::<Vec<_>>(),
            [ymd(2025, 9, 2), ymd(2025, 11, 4)]
        );
    }

    #[test]
    fn json_refuses_strangers_and_dates_out_of_range() {
        let base = json!({"weekdays": ["mon"], "starts_on": "2025-09-01"});
        for (key, value) in [
            ("starts_on", json!("1999-09-01")),
            ("ends_on", json!("2100-01-01")),
            ("exceptions", json!(["2025-09-08", "2100-09-08"])),
            ("every", json!("week")),
        ] {
            let mut bad = base.clone();
            bad[key] = value;
            assert!(serde_json::from_value::<Recurrence>(bad).is_err(), "{key}");
        }
        let bad = serde_json::from_value::<Suspension>(json!({"from": "2025-09-01", "to": "x"}));
        assert!(bad.is_err());
        let late = serde_json::from_value::<Suspension>(
            json!({"from": "2025-09-01", "resume_on": "2100-01-01"}),
        );
        assert_eq!(
            late.unwrap_err().to_string(),
            date::OUT_OF_RANGE,
            "the message the API answers as a broken rule"
        );
        // The API names the field through serde_path_to_error: the item, not the list.
        let bad = json!({"weekdays": ["mon"], "starts_on": "2025-09-01",
                         "exceptions": ["2025-09-08", "2100-09-08"]});
        let err = serde_path_to_error::deserialize::<_, Recurrence>(bad).unwrap_err();
        assert_eq!(err.path().to_string(), "exceptions[1]");
        assert_eq!(err.into_inner().to_string(), date::OUT_OF_RANGE);
        let bad = json!({"weekdays": ["mon", "sunday"], "starts_on": "2025-09-01"});
        let err = serde_path_to_error::deserialize::<_, Recurrence>(bad).unwrap_err();
        assert_eq!(err.path().to_string(), "weekdays");
        let s: Suspension = serde_json::from_value(json!({"from": "2025-09-01"})).unwrap();
        assert_eq!(s, suspension(ymd(2025, 9, 1), None));
    }

    fn faults(r: Result<(), Invalid>) -> Vec<(String, String)> {
        r.unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    fn pair(f: &str, m: &str) -> (String, String) {
        (f.to_string(), m.to_string())
    }

    #[test]
    fn a_sound_recurrence_passes() {
        let mut r = mwf();
        r.exceptions.extend([dec(1), dec(31)]);
        assert_eq!(r.validate(), Ok(()));
        let school_year = Recurrence {
            starts_on: ymd(2025, 9, 1),
            ends_on: Some(ymd(2027, 9, 1)),
            ..mwf()
        };
        assert_eq!(school_year.validate(), Ok(()), "exactly two years");
    }

    #[test]
    fn recurrence_checks_name_the_fields() {
        let no_days = Recurrence {
            weekdays: WeekdaySet::EMPTY,
            ..mwf()
        };
        assert_eq!(
            faults(no_days.validate()),
            [pair("weekdays", "must name at least one weekday")]
        );
        let backwards = Recurrence {
            ends_on: Some(ymd(2025, 11, 30)),
            ..mwf()
        };
        assert_eq!(
            faults(backwards.validate()),
            [pair("ends_on", "must not be before starts_on")]
        );
        let too_long = Recurrence {
            ends_on: Some(ymd(2027, 12, 2)),
            ..mwf()
        };
        assert_eq!(
            faults(too_long.validate()),
            [pair("ends_on", "must be at most two years after starts_on")]
        );
        let mut outside = mwf();
        outside
            .exceptions
            .extend([ymd(2025, 11, 28), dec(10), ymd(2026, 1, 2)]);
        assert_eq!(
            faults(outside.validate()),
            [
                pair("exceptions", "2025-11-28 is before starts_on"),
                pair("exceptions", "2026-01-02 is after ends_on"),
            ]
        );
        let ancient = Recurrence {
            starts_on: ymd(1999, 12, 1),
            ends_on: Some(ymd(2100, 1, 1)),
            exceptions: BTreeSet::new(),
            ..mwf()
        };
        assert_eq!(
            faults(ancient.validate()),
            [
                pair("starts_on", date::OUT_OF_RANGE),
                pair("ends_on", date::OUT_OF_RANGE),
            ]
        );
        let mut nested = Checks::default();
        no_days.check(&mut nested, "recurrence");
        assert_eq!(
            faults(nested.done()),
            [pair(
                "recurrence.weekdays",
                "must name at least one weekday"
            )]
        );
    }

    #[test]
    fn an_open_recurrence_takes_exceptions_after_the_start() {
        let mut open = Recurrence {
            ends_on: None,
            ..mwf()
        };
        open.exceptions.insert(ymd(2027, 3, 1));
        assert_eq!(open.validate(), Ok(()));
        open.exceptions
            .extend((0..=MAX_EXCEPTIONS as u64).map(|i| dec(1) + chrono::Days::new(i)));
        assert_eq!(
            faults(open.validate()),
            [pair("exceptions", "may name at most 366 dates")]
        );
    }

    #[test]
    fn suspension_checks_name_the_item() {
        let good = [suspension(dec(9), Some(dec(10))), suspension(dec(20), None)];
        assert_eq!(validate_suspensions(&good), Ok(()));
        let bad = [
            suspension(dec(9), Some(dec(15))),
            suspension(dec(15), Some(dec(15))),
            Suspension {
                reason: Some("x".repeat(201)),
                ..suspension(dec(20), Some(dec(19)))
            },
            suspension(ymd(1999, 1, 1), None),
        ];
        assert_eq!(
            faults(validate_suspensions(&bad)),
            [
                pair("suspensions[1].resume_on", "must be after from"),
                pair("suspensions[2].resume_on", "must be after from"),
                pair("suspensions[2].reason", "must be at most 200 characters"),
                pair("suspensions[3].from", date::OUT_OF_RANGE),
            ]
        );
        let many = vec![suspension(dec(9), None); MAX_SUSPENSIONS + 1];
        assert_eq!(
            faults(validate_suspensions(&many)),
            [pair("suspensions", "may hold at most 100 suspensions")]
        );
    }
}
