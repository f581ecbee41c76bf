//! What happened at a stop, as a driver reports it: kept once per event (the
//! phone's own event id makes a resend harmless) and by the stop's key, so an
//! event reaches the same stop whichever revision the phone had.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::{Checks, Id, Invalid, RequestKind, StopKey, StopRole};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StopEventKind {
    Arrived,
    Done,
    NoShow,
    Skipped,
}

str_enum!(StopEventKind { Arrived => "arrived", Done => "done", NoShow => "no_show", Skipped => "skipped" });

/// The heaviest surplus collection one car brings back.
pub const MAX_KG: f64 = 5000.0;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StopEvent {
    pub id: Id,
    pub date: NaiveDate,
    #[schema(value_type = String, example = "42-pickup")]
    pub key: StopKey,
    /// The stop row (of one revision) it was reported on.
    pub stop_id: Option<Id>,
    pub kind: StopEventKind,
    /// When it happened, by the device's clock.
    pub at: DateTime<Utc>,
    /// When the server got it (later when the phone was offline).
    pub received_at: DateTime<Utc>,
    pub note: Option<String>,
    /// Kilograms collected (a collection's pickup only).
    pub kg: Option<f64>,
    /// The device's event id; none for events sent without one.
    pub client_id: Option<String>,
    pub user_id: Option<Id>,
}

/// An event sent by a phone, with its own id so that a resend is recognised.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// Made by the device: 8 to 64 of `A-Z a-z 0-9 _ -`, unique per event.
    #[schema(example = "01J9Z6-3f9c2a7e", pattern = "^[A-Za-z0-9_-]{8,64}$")]
    pub id: String,
    #[serde(deserialize_with = "super::date::date")]
    pub date: NaiveDate,
    #[schema(value_type = String, example = "42-pickup", pattern = "^[1-9][0-9]{0,17}-(pickup|dropoff)$")]
    pub stop: StopKey,
    pub kind: StopEventKind,
    /// When it happened, by the device's clock: within a day of `date`.
    #[serde(deserialize_with = "super::date::at")]
    pub at: DateTime<Utc>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
    /// Only with `done` on a collection's pickup.
    #[serde(default)]
    #[schema(exclusive_minimum = 0, maximum = 5000)]
    pub kg: Option<f64>,
}

/// An event on a stop row, without a device id (the older endpoint).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopEventInput {
    pub kind: StopEventKind,
    /// When it happened; now if left out (phones may send late, with weak signal).
    #[serde(default, deserialize_with = "super::date::optional_at")]
    pub at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// An event ready to store: checked, with its key and times settled.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub client_id: Option<String>,
    pub date: NaiveDate,
    pub key: StopKey,
    pub kind: StopEventKind,
    pub at: DateTime<Utc>,
    /// `at` came from the device, so it must fall on (or next to) the date;
    /// the server's own clock is trusted.
    pub device_time: bool,
    pub note: Option<String>,
    pub kg: Option<f64>,
}

/// Instants are kept to the millisecond, so a resend compares equal to what was stored.
fn millis(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(3)
}

impl EventInput {
    pub fn event(&self) -> NewEvent {
        NewEvent {
            client_id: Some(self.id.clone()),
            date: self.date,
            key: self.stop,
            kind: self.kind,
            at: millis(self.at),
            device_time: true,
            note: self.note.clone(),
            kg: self.kg,
        }
    }
}

impl StopEventInput {
    /// The event on the stop with this key and date; `now` when no time was sent.
    pub fn event(&self, date: NaiveDate, key: StopKey, now: DateTime<Utc>) -> NewEvent {
        NewEvent {
            client_id: None,
            date,
            key,
            kind: self.kind,
            at: millis(self.at.unwrap_or(now)),
            device_time: self.at.is_some(),
            note: self.note.clone(),
            kg: None,
        }
    }
}

impl NewEvent {
    /// The rules that need no database: the id's form, the note's length, a
    /// time on (or next to) the plan's day, and the kg range.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        if let Some(id) = &self.client_id {
            c.require(
                (8..=64).contains(&id.len())
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                "id",
                "must be 8 to 64 of the characters A-Z a-z 0-9 _ -",
            );
        }
        // Phones may report late, but an event belongs to its day.
        c.require(
            !self.device_time || (self.at.date_naive() - self.date).num_days().abs() <= 1,
            "at",
            "must be within a day of the plan's date",
        );
        c.optional_text("note", &self.note, 1000);
        if let Some(kg) = self.kg {
            c.require(
                kg.is_finite() && kg > 0.0 && kg <= MAX_KG,
                "kg",
                "must be more than 0 and at most 5000",
            );
        }
        c.done()
    }

    /// Weight goes with a finished collection only: that is where food is weighed.
    pub fn check_kg(&self, request: RequestKind) -> Result<(), Invalid> {
        let weighed = self.kind == StopEventKind::Done
            && self.key.role == StopRole::Pickup
            && request == RequestKind::Collection;
        if self.kg.is_some() && !weighed {
            return Err(Invalid::one(
                "kg",
                "only with kind done on a collection's pickup",
            ));
        }
        Ok(())
    }

    /// The same event as one stored: what a resend must match.
    pub fn same_as(&self, e: &StopEvent) -> bool {
        self.date == e.date
            && self.key == e.key
            && self.kind == e.kind
            && self.at == e.at
            && self.note == e.note
            && self.kg == e.kg
    }
}

/// Where a stop stands: the last event reported on it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StopState {
    pub kind: StopEventKind,
    pub at: DateTime<Utc>,
    /// The kilograms reported, if any event carried them.
    pub kg: Option<f64>,
}

/// The state of each key: the kind of its latest event by device time (then
/// by arrival order), and the latest weight reported.
pub fn latest_states(events: &[StopEvent]) -> HashMap<StopKey, StopState> {
    let mut sorted: Vec<&StopEvent> = events.iter().collect();
    sorted.sort_by_key(|e| (e.at, e.id));
    let mut out: HashMap<StopKey, StopState> = HashMap::new();
    for e in sorted {
        let kg = e.kg.or(out.get(&e.key).and_then(|s| s.kg));
        out.insert(
            e.key,
            StopState {
                kind: e.kind,
                at: e.at,
                kg,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: Id, key: &str, kind: StopEventKind, at: &str, kg: Option<f64>) -> StopEvent {
        StopEvent {
            id,
            date: "2026-11-23".parse().unwrap(),
            key: key.parse().unwrap(),
            stop_id: None,
            kind,
            at: at.parse().unwrap(),
            received_at: at.parse().unwrap(),
            note: None,
            kg,
            client_id: None,
            user_id: None,
        }
    }

    #[test]
    fn the_latest_by_device_time_wins_and_the_weight_stays() {
        use StopEventKind::*;
        let events = [
            // Received out of order: the phone's clock decides.
            event(1, "5-pickup", Done, "2026-11-23T09:10:00Z", Some(12.5)),
            event(2, "5-pickup", Arrived, "2026-11-23T09:00:00Z", None),
            event(3, "6-dropoff", Arrived, "2026-11-23T09:00:00Z", None),
            event(4, "6-dropoff", NoShow, "2026-11-23T09:00:00Z", None),
        ];
        let s = latest_states(&events);
        let five = &s[&"5-pickup".parse().unwrap()];
        assert_eq!((five.kind, five.kg), (Done, Some(12.5)));
        assert_eq!(s[&"6-dropoff".parse().unwrap()].kind, NoShow);
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn kg_only_on_a_finished_collection_pickup_and_in_range() {
        let at: DateTime<Utc> = "2026-11-23T09:00:00.123456Z".parse().unwrap();
        let date = "2026-11-23".parse().unwrap();
        let e = |key: &str, kind, kg| {
            EventInput {
                id: "abcdefgh".into(),
                date,
                stop: key.parse().unwrap(),
                kind,
                at,
                note: None,
                kg,
            }
            .event()
        };
        let ok = e("5-pickup", StopEventKind::Done, Some(40.0));
        assert!(ok.validate().is_ok());
        assert!(ok.check_kg(RequestKind::Collection).is_ok());
        assert_eq!(ok.at.timestamp_subsec_micros(), 123_000);
        for (bad, request) in [
            (
                e("5-pickup", StopEventKind::Done, Some(40.0)),
                RequestKind::Ride,
            ),
            (
                e("5-dropoff", StopEventKind::Done, Some(40.0)),
                RequestKind::Collection,
            ),
            (
                e("5-pickup", StopEventKind::Arrived, Some(40.0)),
                RequestKind::Collection,
            ),
        ] {
            assert_eq!(bad.check_kg(request).unwrap_err().0[0].field, "kg");
        }
        for kg in [0.0, -1.0, 5000.5, f64::NAN] {
            let bad = e("5-pickup", StopEventKind::Done, Some(kg));
            assert_eq!(bad.validate().unwrap_err().0[0].field, "kg", "{kg}");
        }
        for id in ["short", "has space 123", "ünïcode-123", &"x".repeat(65)] {
            let mut bad = ok.clone();
            bad.client_id = Some(id.to_string());
            assert_eq!(bad.validate().unwrap_err().0[0].field, "id", "{id}");
        }
        let mut late = ok.clone();
        late.at = "2026-11-25T09:00:00Z".parse().unwrap();
        assert_eq!(late.validate().unwrap_err().0[0].field, "at");
    }
}
