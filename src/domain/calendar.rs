//! A volunteer's published routes as an iCalendar feed (RFC 5545), for the
//! calendar on a phone. Calendar apps copy it to third-party clouds, so a
//! route says when, with which vehicle, from which public place and how many
//! stops — never who is carried, a phone or a note.
//!
//! Times are the service's wall-clock times in [`ZONE`], written with its
//! `TZID` and a `VTIMEZONE` carrying the EU summer-time rule, so the hour
//! stays right on either side of a change of time.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::{Clock, Id};

/// The town's time zone: every `Clock` of the service is a time there.
pub const ZONE: &str = "Europe/Rome";

/// The longest range one feed covers, in days.
pub const MAX_DAYS: i64 = 366;

/// One published route of a volunteer, as the calendar needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteSpan {
    pub date: NaiveDate,
    /// The published revision of the date: the event's `SEQUENCE`.
    pub revision: i64,
    pub vehicle_id: Id,
    pub vehicle_name: String,
    /// Leaving the depot and back there.
    pub depart: Clock,
    pub back: Clock,
    /// The first and the last stop's planned time.
    pub first: Clock,
    pub last: Clock,
    pub stops: i64,
    /// The first stop at a public place (never a home): name and address.
    pub place: Option<(String, String)>,
}

/// One `VEVENT`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub uid: String,
    pub sequence: i64,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
}

/// A time of a date; `24:00` is the next midnight.
pub fn at(date: NaiveDate, c: Clock) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(c.minutes())
}

/// Each route's event, named by date, volunteer, vehicle and its place among
/// that volunteer's routes of the date on the vehicle: the same route keeps
/// its `UID` when the date is published again (and its `SEQUENCE` grows).
/// `summary` and `description` write the words (the caller's language).
pub fn events(
    volunteer_id: Id,
    spans: &[RouteSpan],
    summary: impl Fn(&RouteSpan) -> String,
    description: impl Fn(&RouteSpan) -> String,
) -> Vec<Event> {
    let mut seen: Vec<(NaiveDate, Id)> = Vec::new();
    spans
        .iter()
        .map(|r| {
            seen.push((r.date, r.vehicle_id));
            let nth = seen
                .iter()
                .filter(|k| **k == (r.date, r.vehicle_id))
                .count();
            Event {
                uid: format!(
                    "{}-volunteer-{volunteer_id}-vehicle-{}-{nth}@giro",
                    r.date, r.vehicle_id
                ),
                sequence: r.revision,
                start: at(r.date, r.first),
                end: at(r.date, r.last.max(r.first)),
                summary: summary(r),
                location: r.place.as_ref().map(|(n, a)| format!("{n}, {a}")),
                description: Some(description(r)),
            }
        })
        .collect()
}

/// The feed: `name` is the calendar's title, `stamp` the `DTSTAMP`.
pub fn ics(name: &str, events: &[Event], stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut put = |l: &str| fold(l, &mut out);
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//giro//giro//IT",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        put(l);
    }
    put(&format!("X-WR-CALNAME:{}", text(name)));
    put(&format!("X-WR-TIMEZONE:{ZONE}"));
    for l in VTIMEZONE {
        put(l);
    }
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for e in events {
        put("BEGIN:VEVENT");
        put(&format!("UID:{}", text(&e.uid)));
        put(&format!("SEQUENCE:{}", e.sequence.max(0)));
        put(&format!("DTSTAMP:{stamp}"));
        put(&format!("DTSTART;TZID={ZONE}:{}", local(e.start)));
        put(&format!("DTEND;TZID={ZONE}:{}", local(e.end)));
        put(&format!("SUMMARY:{}", text(&e.summary)));
        if let Some(l) = &e.location {
            put(&format!("LOCATION:{}", text(l)));
        }
        if let Some(d) = &e.description {
            put(&format!("DESCRIPTION:{}", text(d)));
        }
        put("TRANSP:OPAQUE");
        put("END:VEVENT");
    }
    put("END:VCALENDAR");
    out
}

/// Europe/Rome since 1996: CEST from the last Sunday of March at 02:00, CET
/// from the last Sunday of October at 03:00.
const VTIMEZONE: [&str; 16] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Rome",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
];

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// A TEXT value: backslash, `;` and `,` escaped, a line break as `\n`.
pub fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded after 75 octets (a continuation starts with a
/// space, which counts), never inside a character; CRLF after each piece.
pub fn fold(line: &str, out: &mut String) {
    const MAX: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > MAX {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "")
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(text("uno\r\ndue\ntre"), "uno\\ndue\\ntre");
        assert_eq!(text("Centro \"Il Faro\""), "Centro \"Il Faro\"");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let long = format!("SUMMARY:{}", "è".repeat(100));
        let mut out = String::new();
        fold(&long, &mut out);
        assert!(out.ends_with("\r\n"));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        }
        assert!(out
            .split("\r\n")
            .skip(1)
            .filter(|l| !l.is_empty())
            .all(|l| l.starts_with(' ')));
        assert_eq!(unfold(&out), format!("{long}\r\n"));
        // Exactly 75 octets stays whole.
        let mut one = String::new();
        fold(&"x".repeat(75), &mut one);
        assert_eq!(one, format!("{}\r\n", "x".repeat(75)));
    }

    fn span(date: &str, first: u16, last: u16) -> RouteSpan {
        RouteSpan {
            date: date.parse().unwrap(),
            revision: 2,
            vehicle_id: 7,
            vehicle_name: "Pulmino, 9 posti".into(),
            depart: Clock(first - 20),
            back: Clock(last + 15),
            first: Clock(first),
            last: Clock(last),
            stops: 6,
            place: Some(("Centro diurno".into(), "Via Roma 1; Chiavari".into())),
        }
    }

    #[test]
    fn events_carry_local_times_with_the_zone_on_both_sides_of_a_change_of_time() {
        // 29 March 2026 is the last Sunday of March: CEST from 02:00.
        let spans = [
            span("2026-03-28", 8 * 60 + 10, 11 * 60 + 30),
            span("2026-03-30", 8 * 60 + 10, 11 * 60 + 30),
            span("2026-03-30", 14 * 60, 24 * 60),
        ];
        let ev = events(
            3,
            &spans,
            |r| format!("giro: {}", r.vehicle_name),
            |_| "6".into(),
        );
        assert_eq!(ev[0].uid, "2026-03-28-volunteer-3-vehicle-7-1@giro");
        assert_eq!(ev[2].uid, "2026-03-30-volunteer-3-vehicle-7-2@giro");
        let stamp = "2026-03-01T10:00:00Z".parse().unwrap();
        let cal = ics("I miei giri", &ev, stamp);
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert!(!cal.replace("\r\n", "").contains('\n'));
        let cal = unfold(&cal);
        assert!(cal.contains("DTSTART;TZID=Europe/Rome:20260328T081000\r\n"));
        assert!(cal.contains("DTEND;TZID=Europe/Rome:20260328T113000\r\n"));
        assert!(cal.contains("DTSTART;TZID=Europe/Rome:20260330T081000\r\n"));
        assert!(cal.contains("DTEND;TZID=Europe/Rome:20260331T000000\r\n"));
        assert!(cal.contains("TZID:Europe/Rome\r\n"));
        assert!(cal.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"));
        assert!(cal.contains("SUMMARY:giro: Pulmino\\, 9 posti\r\n"));
        assert!(cal.contains("LOCATION:Centro diurno\\, Via Roma 1\\; Chiavari\r\n"));
        assert!(cal.contains("DTSTAMP:20260301T100000Z\r\n"));
        assert!(cal.contains("SEQUENCE:2\r\n"));
        assert_eq!(cal.matches("BEGIN:VEVENT").count(), 3);
    }
}
