//! The API's plain lists as CSV: one line per record of the JSON list, one
//! column per field (a window as `…_start`, `…_end`; a list of words
//! `+`-joined; an enum by the text its JSON gives, through its `as_str`). A
//! record type says how it is written by implementing [`CsvRecord`];
//! [`records`] writes a list of them through the module's one cell writer,
//! so quoting and formula neutralising stay in one place.
//!
//! Users are written without any secret: `User` holds none (password hashes
//! and tokens live in the store only).

use std::collections::BTreeMap;

use super::{line, opt};
use crate::domain::meals::MealRecipient;
use crate::domain::surplus::Donor;
use crate::domain::{
    ClosingDay, Organisation, Request, Shift, StopEvent, User, Vehicle, VehicleBlock, Volunteer,
    WayBack, Window,
};
use crate::store::AuditEntry;

/// A record the API lists, as a line of a spreadsheet.
pub trait CsvRecord {
    /// The column names, in English and snake case like the JSON's fields.
    fn header() -> &'static [&'static str];
    /// The record's cells, as many as `header()`, unescaped.
    fn cells(&self) -> Vec<String>;
}

/// A list as CSV: the header, then one line per record.
pub fn records<T: CsvRecord>(list: &[T]) -> String {
    let mut out = String::new();
    let head: Vec<String> = T::header().iter().map(|h| h.to_string()).collect();
    line(&mut out, &head);
    for r in list {
        let cells = r.cells();
        debug_assert_eq!(cells.len(), head.len(), "a CSV line as long as its header");
        line(&mut out, &cells);
    }
    out
}

/// Words in one cell, `+`-joined (a comma would need quoting).
fn words<S: AsRef<str>>(w: impl IntoIterator<Item = S>) -> String {
    w.into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join("+")
}

/// Room per dimension: `seats=4+wheelchairs=1`.
fn room(r: &BTreeMap<String, u32>) -> String {
    words(r.iter().map(|(d, n)| format!("{d}={n}")))
}

fn start(w: &Window) -> String {
    w.start.to_string()
}

fn end(w: &Window) -> String {
    w.end.to_string()
}

impl CsvRecord for Vehicle {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "depot_place_id",
            "skills",
            "layouts",
            "available_start",
            "available_end",
            "active",
            "owner_organisation_id",
            "pooled",
        ]
    }

    /// Layouts as `name: seats=9 | name: seats=4+wheelchairs=1`.
    fn cells(&self) -> Vec<String> {
        let layouts: Vec<String> = self
            .layouts
            .iter()
            .map(|l| format!("{}: {}", l.name, room(&l.capacity)))
            .collect();
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.depot_place_id.to_string(),
            words(&self.skills),
            layouts.join(" | "),
            start(&self.available),
            end(&self.available),
            self.active.to_string(),
            opt(&self.owner_organisation_id),
            self.pooled.to_string(),
        ]
    }
}

impl CsvRecord for Volunteer {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "name",
            "phone",
            "available_start",
            "available_end",
            "vehicle_ids",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            opt(&self.phone),
            start(&self.available),
            end(&self.available),
            words(self.vehicle_ids.iter().map(ToString::to_string)),
        ]
    }
}

impl CsvRecord for Shift {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "date",
            "vehicle_id",
            "volunteer_id",
            "window_start",
            "window_end",
            "serves",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.date.to_string(),
            self.vehicle_id.to_string(),
            opt(&self.volunteer_id),
            start(&self.window),
            end(&self.window),
            words(self.serves.iter().map(|k| k.as_str())),
        ]
    }
}

/// The way back's rule: `16:30`, `after_minutes=60` or `will_call`.
fn way_back(w: &Option<WayBack>) -> String {
    match w {
        None => String::new(),
        Some(WayBack::At(c)) => c.to_string(),
        Some(WayBack::AfterMinutes(m)) => format!("after_minutes={m}"),
        Some(WayBack::WillCall) => "will_call".into(),
    }
}

impl CsvRecord for Request {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "organisation_id",
            "date",
            "kind",
            "person_id",
            "from_place_id",
            "to_place_id",
            "window_at",
            "window_start",
            "window_end",
            "pickup_at",
            "appointment",
            "companions",
            "purpose",
            "load",
            "skills",
            "service_minutes",
            "max_ride_minutes",
            "return_of",
            "way_back",
            "status",
            "lifecycle",
            "promised_pickup",
            "notes",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.organisation_id.to_string(),
            self.date.to_string(),
            self.kind.as_str().into(),
            opt(&self.person_id),
            self.from_place_id.to_string(),
            self.to_place_id.to_string(),
            self.window_at.as_str().into(),
            start(&self.window),
            end(&self.window),
            opt(&self.pickup_at),
            opt(&self.appointment),
            self.companions.to_string(),
            self.purpose.map(|p| p.as_str()).unwrap_or_default().into(),
            room(&self.load),
            words(&self.skills),
            opt(&self.service_minutes),
            opt(&self.max_ride_minutes),
            opt(&self.return_of.map(|r| r.request_id)),
            way_back(&self.way_back),
            self.status.as_str().into(),
            self.lifecycle.name().into(),
            opt(&self.promised_pickup),
            opt(&self.notes),
        ]
    }
}

impl CsvRecord for Organisation {
    fn header() -> &'static [&'static str] {
        &["id", "name", "kind"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.kind.as_str().into(),
        ]
    }
}

impl CsvRecord for User {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "email",
            "name",
            "role",
            "organisation_id",
            "volunteer_id",
            "active",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.email.clone(),
            self.name.clone(),
            self.role.as_str().into(),
            opt(&self.organisation_id),
            opt(&self.volunteer_id),
            self.active.to_string(),
        ]
    }
}

impl CsvRecord for ClosingDay {
    fn header() -> &'static [&'static str] {
        &["date", "label"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.date.to_string(), self.label.clone()]
    }
}

impl CsvRecord for VehicleBlock {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "vehicle_id",
            "date",
            "window_start",
            "window_end",
            "organisation_id",
            "note",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.vehicle_id.to_string(),
            self.date.to_string(),
            start(&self.window),
            end(&self.window),
            opt(&self.organisation_id),
            opt(&self.note),
        ]
    }
}

impl CsvRecord for MealRecipient {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "organisation_id",
            "person_id",
            "window_start",
            "window_end",
            "schedule",
            "starts_on",
            "diets",
            "priority",
            "notes",
            "preferred_volunteer_id",
            "holds",
            "active",
        ]
    }

    /// The schedule as `mon=1 hot+wed=2 cold`; holds as `from..resume_on`
    /// (open-ended without the second date), `+`-joined.
    fn cells(&self) -> Vec<String> {
        let schedule = words(self.schedule.iter().map(|d| {
            format!(
                "{}={} {}",
                d.weekday.as_str(),
                d.meals,
                d.meal_type.as_str()
            )
        }));
        let holds = words(
            self.holds
                .iter()
                .map(|h| format!("{}..{}", h.from, opt(&h.resume_on))),
        );
        vec![
            self.id.to_string(),
            self.organisation_id.to_string(),
            self.person_id.to_string(),
            start(&self.window),
            end(&self.window),
            schedule,
            self.starts_on.to_string(),
            words(&self.diets),
            self.priority.to_string(),
            opt(&self.notes),
            opt(&self.preferred_volunteer_id),
            holds,
            self.active.to_string(),
        ]
    }
}

impl CsvRecord for Donor {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "place_id",
            "name",
            "window_start",
            "window_end",
            "weekdays",
            "gives",
            "food",
            "expected_kg",
            "receiving_place_id",
            "blast_chiller",
            "active",
            "notes",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.place_id.to_string(),
            self.name.clone(),
            start(&self.window),
            end(&self.window),
            words(self.weekdays.iter().map(crate::domain::WeekdaySet::name)),
            self.gives.clone(),
            self.food.as_str().into(),
            self.expected_kg.to_string(),
            self.receiving_place_id.to_string(),
            self.blast_chiller.to_string(),
            self.active.to_string(),
            opt(&self.notes),
        ]
    }
}

/// A moment as its JSON writes it (RFC 3339, UTC, `Z`).
fn instant(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

impl CsvRecord for StopEvent {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "date",
            "key",
            "stop_id",
            "kind",
            "at",
            "received_at",
            "note",
            "kg",
            "client_id",
            "user_id",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.date.to_string(),
            self.key.to_string(),
            opt(&self.stop_id),
            self.kind.as_str().into(),
            instant(&self.at),
            instant(&self.received_at),
            opt(&self.note),
            opt(&self.kg),
            opt(&self.client_id),
            opt(&self.user_id),
        ]
    }
}

impl CsvRecord for AuditEntry {
    fn header() -> &'static [&'static str] {
        &[
            "id",
            "at",
            "user_id",
            "role",
            "action",
            "entity",
            "entity_id",
            "detail",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.at.clone(),
            opt(&self.user_id),
            self.role.map(|r| r.as_str()).unwrap_or_default().into(),
            self.action.as_str().into(),
            self.entity.as_str().into(),
            opt(&self.entity_id),
            opt(&self.detail),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OrgKind;

    #[test]
    fn a_list_is_its_header_and_a_line_per_record_escaped_once() {
        let list = [
            Organisation {
                id: 1,
                name: "Comune".into(),
                kind: OrgKind::Municipality,
            },
            Organisation {
                id: 2,
                name: "=cmd|' /C calc'!A0, \"x\"".into(),
                kind: OrgKind::Association,
            },
        ];
        assert_eq!(
            records(&list),
            "id,name,kind\r\n1,Comune,municipality\r\n\
             2,\"'=cmd|' /C calc'!A0, \"\"x\"\"\",association\r\n"
        );
    }
}
