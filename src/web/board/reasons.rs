//! Why a request is left out, in words: the reason (the solver's, or the
//! dispatcher's hand) read together with the request's window and needs, e.g. "nessun posto carrozzina libero tra 9:00 e 10:30".

use super::words::{self, hm};
use crate::domain::{FitsIf, Person, Request, RequestKind, UnassignedReason as Why};
use crate::web::i18n::Tr;

/// The dimension that names the missing room: wheelchairs when the rider
/// needs one, else the first the request takes.
fn main_dimension(r: &Request) -> Option<&str> {
    let taken = |d: &str| r.load.get(d).is_some_and(|&n| n > 0);
    if taken("wheelchairs") {
        return Some("wheelchairs");
    }
    r.load.iter().find(|(_, &n)| n > 0).map(|(d, _)| d.as_str())
}

pub fn in_words(t: &Tr, reason: Why, r: &Request, person: Option<&Person>) -> String {
    let start = hm(r.window.start.minutes() as f64);
    let end = hm(r.window.end.minutes() as f64);
    let window = words::window(t, r);
    let load = words::load(t, &r.load);
    match reason {
        Why::NoRoom => {
            let key = main_dimension(r).map(|d| format!("reasons.no_room_dim.{d}"));
            let text = key.as_deref().map(|k| t.t(k));
            match (key.as_deref(), text) {
                (Some(k), Some(text)) if text != k => {
                    text.replace("{start}", &start).replace("{end}", &end)
                }
                _ => t.f(
                    "reasons.no_room",
                    &[("load", &load), ("start", &start), ("end", &end)],
                ),
            }
        }
        Why::Capacity => t.f("reasons.capacity", &[("load", &load)]),
        Why::Skills => t.f("reasons.skills", &[("needs", &words::needs(t, r, person))]),
        Why::TimeWindow => t.f("reasons.time_window", &[("window", &window)]),
        Why::RideTime => match (r.kind, r.max_ride_minutes) {
            (RequestKind::Ride, Some(limit)) => t.f("reasons.ride_time", &[("max", &limit)]),
            (RequestKind::Ride, None) => t.t("reasons.ride_time_policy").to_string(),
            (_, Some(limit)) => t.f("reasons.ride_time_meal", &[("max", &limit)]),
            (_, None) => t.f("reasons.time_window", &[("window", &window)]),
        },
        Why::Shift => t.f("reasons.shift", &[("window", &window)]),
        Why::Link => match r.return_of {
            Some(back) => t.f("reasons.link_return", &[("after", &back.after_minutes)]),
            None => t.t("reasons.link").to_string(),
        },
        Why::Manual => t.t("reasons.manual").to_string(),
        Why::Reserved => t.f("reasons.reserved", &[("window", &window)]),
    }
}

/// What would let it in, in words: "entrerebbe spostando l'orario di 30
/// minuti più tardi". `vehicle` names a vehicle by its id.
pub fn fits_if_in_words<'a>(
    t: &Tr,
    f: &FitsIf,
    vehicle: impl Fn(i64) -> Option<&'a str>,
) -> String {
    match f {
        FitsIf::WindowShift { minutes } if *minutes >= 0 => {
            t.f("reasons.fits_if.later", &[("minutes", minutes)])
        }
        FitsIf::WindowShift { minutes } => t.f(
            "reasons.fits_if.earlier",
            &[("minutes", &minutes.unsigned_abs())],
        ),
        FitsIf::OtherVehicle { vehicle_id, layout } => t.f(
            "reasons.fits_if.other_vehicle",
            &[
                ("vehicle", &vehicle(*vehicle_id).unwrap_or_default()),
                ("layout", layout),
            ],
        ),
        FitsIf::FewerCompanions { .. } => t.t("reasons.fits_if.fewer_companions").to_string(),
        FitsIf::OtherDay { date } => t.f(
            "reasons.fits_if.other_day",
            &[("date", &words::date(t, *date))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::{Clock, RequestStatus, Window, WindowAt};
    use crate::web::i18n::Lang;

    fn ride(load: &[(&str, u32)]) -> Request {
        Request {
            id: 7,
            organisation_id: 1,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            kind: RequestKind::Ride,
            person_id: None,
            from_place_id: 1,
            to_place_id: 2,
            window_at: WindowAt::Pickup,
            window: Window::new(Clock(9 * 60), Clock(10 * 60 + 30)),
            load: load
                .iter()
                .map(|(d, n)| (d.to_string(), *n))
                .collect::<BTreeMap<_, _>>(),
            skills: vec![],
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: None,
            pickup_at: None,
            appointment: None,
            companions: 0,
            purpose: None,
            notes: None,
            status: RequestStatus::Active,
            promised_pickup: None,
            lifecycle: crate::domain::Lifecycle::Requested,
        }
    }

    #[test]
    fn what_would_make_it_fit_reads_as_a_sentence() {
        let it = Tr::new(Lang::It);
        let en = Tr::new(Lang::En);
        let van = |_| Some("Pulmino");
        let later = FitsIf::WindowShift { minutes: 30 };
        assert_eq!(
            fits_if_in_words(&it, &later, van),
            "entrerebbe spostando l'orario di 30 minuti più tardi"
        );
        assert_eq!(
            fits_if_in_words(&en, &FitsIf::WindowShift { minutes: -45 }, van),
            "would fit with the time moved 45 minutes earlier"
        );
        let other = FitsIf::OtherVehicle {
            vehicle_id: 3,
            layout: "9 seats".into(),
        };
        assert_eq!(
            fits_if_in_words(&it, &other, van),
            "entrerebbe mettendo in servizio Pulmino (9 seats)"
        );
        let fewer = FitsIf::FewerCompanions { companions: 0 };
        assert!(fits_if_in_words(&en, &fewer, van).contains("one companion fewer"));
        let friday = FitsIf::OtherDay {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
        };
        assert_eq!(
            fits_if_in_words(&it, &friday, van),
            "entrerebbe spostandola a venerdì 11 dicembre 2026"
        );
        assert_eq!(
            fits_if_in_words(&en, &friday, van),
            "would fit if moved to Friday 11 December 2026"
        );
    }

    #[test]
    fn reasons_read_as_sentences_with_the_window_and_the_room() {
        let it = Tr::new(Lang::It);
        let r = ride(&[("wheelchairs", 1), ("seats", 0)]);
        assert_eq!(
            in_words(&it, Why::NoRoom, &r, None),
            "nessun posto carrozzina libero tra 9:00 e 10:30"
        );
        assert_eq!(
            in_words(&Tr::new(Lang::En), Why::NoRoom, &r, None),
            "no free wheelchair place between 9:00 and 10:30"
        );
        let crates = ride(&[("crates", 2)]);
        assert!(in_words(&it, Why::NoRoom, &crates, None).contains("2 crates"));
        assert!(in_words(&it, Why::RideTime, &r, None).contains("regola"));
        let mut limited = r.clone();
        limited.max_ride_minutes = Some(45);
        assert!(in_words(&it, Why::RideTime, &limited, None).contains("45"));
        assert!(in_words(&it, Why::Capacity, &r, None).contains("1 carrozzina"));
        assert_eq!(in_words(&it, Why::Manual, &r, None), it.t("reasons.manual"));
        // Every reason has its own sentence, never the raw name.
        for why in [
            Why::Skills,
            Why::Capacity,
            Why::TimeWindow,
            Why::RideTime,
            Why::Shift,
            Why::Link,
            Why::NoRoom,
            Why::Manual,
            Why::Reserved,
        ] {
            let text = in_words(&it, why, &r, None);
            let name = why.as_str();
            assert!(
                !text.contains(name) && !text.contains("reasons."),
                "{name}: {text}"
            );
        }
    }
}
