//! Requests and plans in words for people: times as "9:05", loads as
//! "1 carrozzina, 2 posti", needs, windows. One home for each phrase, used by
//! the board, the unassigned reasons and the route sheets.

use std::collections::BTreeMap;

use crate::domain::ride_policy::Purpose;
use crate::domain::{Assistance, Lifecycle, Mobility, Person, Request, RequestKind, WindowAt};
use crate::web::i18n::Tr;

/// A catalogue text that may be missing for a name not known in advance
/// (a dimension or skill someone added): `None` then, so the caller falls back.
fn known<'k>(t: &Tr, key: &'k str) -> Option<&'k str> {
    let text = t.t(key);
    (text != key).then_some(text)
}

/// A date as people say it: "mercoledì 2 dicembre 2026".
pub fn date(t: &Tr, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    t.f(
        "board.date_long",
        &[
            (
                "weekday",
                &t.t(&format!(
                    "board.weekday.{}",
                    d.weekday().number_from_monday()
                )),
            ),
            ("day", &d.day()),
            ("month", &t.t(&format!("board.month.{}", d.month()))),
            ("year", &d.year()),
        ],
    )
}

/// Minutes after midnight as people write them: "9:05", "14:30".
pub fn hm(minutes: f64) -> String {
    let m = minutes.max(0.0).round() as i64;
    format!("{}:{:02}", m / 60, m % 60)
}

/// "1 carrozzina", "3 posti", "12 kg"; an unknown dimension keeps its name.
pub fn amount(t: &Tr, dimension: &str, n: u32) -> String {
    let form = if n == 1 { "one" } else { "many" };
    match known(t, &format!("board.dim.{dimension}.{form}")) {
        Some(text) => text.replace("{n}", &n.to_string()),
        None => format!("{n} {}", dimension.replace('_', " ")),
    }
}

/// The name of a dimension as a column or gauge label ("carrozzine").
pub fn dimension(t: &Tr, dimension: &str) -> String {
    known(t, &format!("board.dim.{dimension}.name"))
        .map_or_else(|| dimension.replace('_', " "), str::to_string)
}

/// Every non-zero amount of a load, "1 carrozzina, 1 posto"; "—" for none.
pub fn load(t: &Tr, load: &BTreeMap<String, u32>) -> String {
    let parts: Vec<String> = load
        .iter()
        .filter(|(_, &n)| n > 0)
        .map(|(d, &n)| amount(t, d, n))
        .collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

pub fn skill(t: &Tr, skill: &str) -> String {
    known(t, &format!("board.skill.{skill}"))
        .map_or_else(|| skill.replace('_', " "), str::to_string)
}

pub fn kind(t: &Tr, kind: RequestKind) -> &'static str {
    t.t(match kind {
        RequestKind::Ride => "board.kind.ride",
        RequestKind::Meal => "board.kind.meal",
        RequestKind::Collection => "board.kind.collection",
    })
}

/// The services a shift keeps to, "trasporti, pasti" (`domain::Shift::serves`).
pub fn services(t: &Tr, kinds: &[RequestKind]) -> String {
    kinds
        .iter()
        .map(|k| t.t(&format!("board.service.{}", k.as_str())).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why the ride is made, in words.
pub fn purpose(t: &Tr, p: Option<Purpose>) -> String {
    p.map_or_else(String::new, |p| {
        t.t(&format!("board.purpose.{}", p.as_str())).to_string()
    })
}

/// "partenza tra 9:00 e 9:30" or "arrivo tra 8:45 e 9:00".
pub fn window(t: &Tr, r: &Request) -> String {
    let key = match r.window_at {
        WindowAt::Pickup => "board.window.pickup",
        WindowAt::Dropoff => "board.window.dropoff",
    };
    t.f(
        key,
        &[
            ("start", &hm(r.window.start.minutes() as f64)),
            ("end", &hm(r.window.end.minutes() as f64)),
        ],
    )
}

/// Where a request stands as its association sees it: "Programmata:
/// passaggio tra 9:00 e 9:30", "A bordo", "Non accolta".
pub fn lifecycle(t: &Tr, l: Lifecycle) -> String {
    let key = format!("board.lifecycle.{}", l.name());
    match l {
        Lifecycle::Scheduled { pickup } => t.f(
            &key,
            &[
                ("start", &hm(pickup.start.minutes() as f64)),
                ("end", &hm(pickup.end.minutes() as f64)),
            ],
        ),
        _ => t.t(&key).to_string(),
    }
}

/// What the driver and the dispatcher must know to serve it: the room it
/// takes, the person's mobility and assistance, equipment asked for.
pub fn needs(t: &Tr, r: &Request, person: Option<&Person>) -> String {
    let mut parts = vec![load(t, &r.load)];
    if let Some(p) = person {
        match p.mobility {
            Mobility::None => {}
            m => parts.push(t.t(&format!("board.mobility.{}", m.as_str())).into()),
        }
        match p.assistance {
            Assistance::None => {}
            Assistance::AccompanyToDoor => parts.push(t.t("board.assistance.to_door").into()),
            Assistance::NeedsCompanion => parts.push(t.t("board.assistance.companion").into()),
        }
    }
    parts.extend(r.skills.iter().map(|s| skill(t, s)));
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::Lang;

    #[test]
    fn times_and_amounts_read_as_people_write_them() {
        let t = Tr::new(Lang::It);
        assert_eq!(hm(545.0), "9:05");
        assert_eq!(hm(14.0 * 60.0 + 29.6), "14:30");
        assert_eq!(amount(&t, "wheelchairs", 1), "1 carrozzina");
        assert_eq!(amount(&t, "wheelchairs", 2), "2 carrozzine");
        assert_eq!(amount(&t, "crates_of_fruit", 3), "3 crates of fruit");
        let mut l = BTreeMap::new();
        l.insert("seats".to_string(), 1);
        l.insert("wheelchairs".to_string(), 0);
        assert_eq!(load(&t, &l), "1 posto");
        assert_eq!(load(&Tr::new(Lang::En), &l), "1 seat");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(date(&t, d), "mercoledì 2 dicembre 2026");
        assert_eq!(date(&Tr::new(Lang::En), d), "Wednesday 2 December 2026");
    }

    #[test]
    fn every_lifecycle_state_has_its_words() {
        use crate::domain::{Clock, UnassignedReason, Window};
        let pickup = Window::new(Clock(9 * 60), Clock(9 * 60 + 30));
        let states = [
            Lifecycle::Requested,
            Lifecycle::WaitingCall,
            Lifecycle::Scheduled { pickup },
            Lifecycle::OnBoard,
            Lifecycle::Completed,
            Lifecycle::Cancelled,
            Lifecycle::CancelledLate,
            Lifecycle::NoShow,
            Lifecycle::TurnedDown {
                reason: UnassignedReason::NoRoom,
            },
        ];
        for lang in [Lang::It, Lang::En] {
            let t = Tr::new(lang);
            for l in states {
                let text = lifecycle(&t, l);
                assert!(!text.contains("lifecycle") && !text.contains('{'), "{text}");
            }
        }
        assert_eq!(
            lifecycle(&Tr::new(Lang::It), Lifecycle::Scheduled { pickup }),
            "Programmata: passaggio tra 9:00 e 9:30"
        );
        assert_eq!(
            lifecycle(&Tr::new(Lang::En), Lifecycle::OnBoard),
            "On board"
        );
    }
}
