//! Cell values in Italian or English: the import's one table of the words
//! people write for needs, yes and no, and numbers. The export writes the
//! codes (`wheelchair_transfer`), which are read back here too.

use super::key;
use chrono::NaiveDate;

use crate::domain::ride_policy::Purpose;
use crate::domain::{Assistance, Clock, Mobility, WayBack, WeekdaySet};

fn pick<T: Copy>(cell: &str, table: &[(&[&str], T)]) -> Option<T> {
    let k = key(cell);
    table
        .iter()
        .find(|(names, _)| names.iter().any(|n| key(n) == k))
        .map(|(_, v)| *v)
}

/// How a person moves; an empty cell walks unaided. A plain "wheelchair" is
/// one who stays in the chair: the lift and the place it takes are the safe
/// side of the doubt.
pub fn mobility(cell: &str) -> Option<Mobility> {
    pick(
        cell,
        &[
            (
                &[
                    "", "none", "a piedi", "walks", "autonomo", "autonoma", "nessuna", "cammina",
                ],
                Mobility::None,
            ),
            (
                &[
                    "walker",
                    "deambulatore",
                    "stampelle",
                    "deambulatore o stampelle",
                    "bastone",
                    "crutches",
                    "walker or crutches",
                ],
                Mobility::Walker,
            ),
            (
                &[
                    "wheelchair_transfer",
                    "si sposta sul sedile",
                    "carrozzina si sposta sul sedile",
                    "in carrozzina si sposta sul sedile",
                    "wheelchair moves to a seat",
                    "transfers",
                ],
                Mobility::WheelchairTransfer,
            ),
            (
                &[
                    "wheelchair",
                    "sedia a rotelle",
                    "carrozzina",
                    "in carrozzina",
                    "resta in carrozzina",
                    "resta in carrozzina pedana",
                    "stays in the wheelchair",
                    "stays in the wheelchair lift",
                ],
                Mobility::Wheelchair,
            ),
        ],
    )
}

pub const MOBILITY_WORDS: &str =
    "a piedi / walks, deambulatore / walker, si sposta sul sedile / wheelchair_transfer, sedia a rotelle / wheelchair";

pub fn assistance(cell: &str) -> Option<Assistance> {
    pick(
        cell,
        &[
            (&["", "none", "nessuna", "no"], Assistance::None),
            (
                &[
                    "accompany_to_door",
                    "alla porta",
                    "da accompagnare alla porta",
                    "accompagnare alla porta",
                    "to the door",
                    "to be walked to the door",
                ],
                Assistance::AccompanyToDoor,
            ),
            (
                &[
                    "needs_companion",
                    "accompagnatore",
                    "con accompagnatore",
                    "companion",
                    "with a companion",
                ],
                Assistance::NeedsCompanion,
            ),
        ],
    )
}

pub const ASSISTANCE_WORDS: &str =
    "nessuna / none, alla porta / accompany_to_door, accompagnatore / needs_companion";

/// Yes or no; an empty cell is no.
pub fn yes_no(cell: &str) -> Option<bool> {
    pick(
        cell,
        &[
            (&["", "no", "false", "0", "n"], false),
            (&["si", "yes", "true", "1", "x", "s", "y"], true),
        ],
    )
}

/// A decimal number, with a point or (Italian spreadsheets) a comma.
pub fn number(cell: &str) -> Option<f64> {
    cell.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

/// A place's kind: the codes (`day_centre`) or their Italian names.
pub fn place_kind(cell: &str) -> Option<String> {
    let named = pick(
        cell,
        &[
            (&["casa", "abitazione", "domicilio"], "home"),
            (&["centro diurno", "centro socializzazione"], "day_centre"),
            (&["ospedale", "clinica", "ambulatorio"], "hospital"),
            (&["centro pasti", "cucina"], "meal_centre"),
            (&["donatore"], "donor"),
        ],
    );
    match named {
        Some(k) => Some(k.to_string()),
        None if cell.trim().is_empty() => None,
        None => Some(cell.trim().to_lowercase()),
    }
}

/// Weekdays as a sheet writes them: `lun;mer;ven`, `mon, wed, fri`,
/// `Lunedì Venerdì`; separated by `;`, `,`, `/`, `+` or spaces. The
/// error names the word not understood, or a day written twice.
pub fn weekdays(cell: &str) -> Result<WeekdaySet, String> {
    const DAYS: [&[&str]; 7] = [
        &["mon", "monday", "lun", "lunedi", "lu"],
        &["tue", "tuesday", "mar", "martedi", "ma"],
        &["wed", "wednesday", "mer", "mercoledi", "me"],
        &["thu", "thursday", "gio", "giovedi", "gi"],
        &["fri", "friday", "ven", "venerdi", "ve"],
        &["sat", "saturday", "sab", "sabato", "sa"],
        &["sun", "sunday", "dom", "domenica", "do"],
    ];
    let mut set = WeekdaySet::EMPTY;
    for word in cell
        .split([';', ',', '/', '+', ' ', '\t'])
        .filter(|w| !w.trim().is_empty())
    {
        let k = key(word).replace('.', "");
        let Some(i) = DAYS.iter().position(|names| names.contains(&k.as_str())) else {
            return Err(format!(
                "{word:?} is not a weekday; write e.g. lun;mer;ven or mon;wed;fri"
            ));
        };
        let day = chrono::Weekday::try_from(i as u8).map_err(|e| e.to_string())?;
        if set.contains(day) {
            return Err(format!("{word:?} is written twice"));
        }
        set.insert(day);
    }
    if set.is_empty() {
        return Err("write the weekdays, e.g. lun;mer;ven or mon;wed;fri".into());
    }
    Ok(set)
}

/// A date as `2025-09-01` (the export's) or `01/09/2025` (Italian sheets).
pub fn date(cell: &str) -> Option<NaiveDate> {
    let c = cell.trim();
    NaiveDate::parse_from_str(c, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(c, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(c, "%d.%m.%Y"))
        .ok()
}

/// A time of day: `08:30` or `8.30` or `8:30`.
pub fn clock(cell: &str) -> Option<Clock> {
    let c = cell.trim().replace('.', ":");
    match c.find(':') {
        Some(1) => format!("0{c}").parse().ok(),
        _ => c.parse().ok(),
    }
}

/// Why a ride is made: the codes or their Italian names.
pub fn purpose(cell: &str) -> Option<Option<Purpose>> {
    if cell.trim().is_empty() {
        return Some(None);
    }
    if let Some(p) = Purpose::ALL.iter().find(|p| key(p.as_str()) == key(cell)) {
        return Some(Some(*p));
    }
    pick(
        cell,
        &[
            (&["centro diurno", "day centre"], Purpose::DayCentre),
            (
                &["visita medica", "visita", "esame", "health visit"],
                Purpose::HealthVisit,
            ),
            (&["terapia", "fisioterapia"], Purpose::Therapy),
            (&["dialisi"], Purpose::Dialysis),
            (&["socializzazione", "uffici"], Purpose::Socialisation),
            (&["commissioni", "spesa", "errand"], Purpose::SocialErrand),
            (&["altro"], Purpose::Other),
        ],
    )
    .map(Some)
}

pub const PURPOSE_WORDS: &str = "centro diurno / day_centre, visita medica / health_visit, terapia / therapy, dialisi / dialysis, socializzazione / socialisation, commissioni / social_errand, altro / other";

/// The way back: empty for none, `12:30` (picked up then), `+90` or
/// `dopo 90` / `after 90` (minutes after the appointment or drop-off),
/// `su chiamata` / `will_call`. The export writes `12:30`, `after 90`,
/// `will_call`.
pub fn way_back(cell: &str) -> Option<Option<WayBack>> {
    let k = key(cell);
    if k.is_empty() || k == "no" || k == "nessuno" || k == "none" {
        return Some(None);
    }
    if [
        "will call",
        "su chiamata",
        "chiamata",
        "chiama",
        "a chiamata",
    ]
    .contains(&k.as_str())
    {
        return Some(Some(WayBack::WillCall));
    }
    if let Some(c) = clock(cell) {
        return Some(Some(WayBack::At(c)));
    }
    let rest = match cell.trim().strip_prefix('+') {
        Some(r) => r.to_string(),
        None => ["after ", "dopo "]
            .iter()
            .find_map(|p| k.strip_prefix(p).map(str::to_string))?,
    };
    let minutes = rest.trim().trim_end_matches("min").trim();
    minutes
        .parse::<u16>()
        .ok()
        .map(|m| Some(WayBack::AfterMinutes(m)))
}

/// The way back as the export writes it.
pub fn way_back_cell(w: Option<WayBack>) -> String {
    match w {
        None => String::new(),
        Some(WayBack::At(c)) => c.to_string(),
        Some(WayBack::AfterMinutes(m)) => format!("after {m}"),
        Some(WayBack::WillCall) => "will_call".into(),
    }
}

pub const WAY_BACK_WORDS: &str =
    "12:30 (at a time), dopo 90 / after 90 (minutes), su chiamata / will_call, empty for none";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_both_languages() {
        assert_eq!(mobility("Sedia a rotelle"), Some(Mobility::Wheelchair));
        assert_eq!(mobility("A PIEDI"), Some(Mobility::None));
        assert_eq!(
            mobility("wheelchair_transfer"),
            Some(Mobility::WheelchairTransfer)
        );
        assert_eq!(mobility("Deambulatore"), Some(Mobility::Walker));
        assert_eq!(mobility("vola"), None);
        assert_eq!(
            assistance("Con accompagnatore"),
            Some(Assistance::NeedsCompanion)
        );
        assert_eq!(yes_no("Sì"), Some(true));
        assert_eq!(yes_no(""), Some(false));
        assert_eq!(yes_no("forse"), None);
        assert_eq!(number("44,27"), Some(44.27));
        assert_eq!(number("NaN"), None);
    }

    #[test]
    fn standing_order_words() {
        use chrono::Weekday::*;
        let set = weekdays("lun;Mer; venerdì").unwrap();
        assert_eq!(set, WeekdaySet::from_iter([Mon, Wed, Fri]));
        assert_eq!(weekdays("mon,wed,fri").unwrap(), set);
        assert!(weekdays("lun;lun").unwrap_err().contains("twice"));
        assert!(weekdays("lun;xyz").unwrap_err().contains("xyz"));
        assert!(weekdays("").is_err());
        assert_eq!(clock("8.30"), Some(Clock(510)));
        assert_eq!(clock("08:30"), Some(Clock(510)));
        assert_eq!(date("01/09/2025"), NaiveDate::from_ymd_opt(2025, 9, 1));
        assert_eq!(way_back("dopo 90"), Some(Some(WayBack::AfterMinutes(90))));
        assert_eq!(way_back("after 90"), Some(Some(WayBack::AfterMinutes(90))));
        assert_eq!(way_back("+45"), Some(Some(WayBack::AfterMinutes(45))));
        assert_eq!(way_back("12:30"), Some(Some(WayBack::At(Clock(750)))));
        assert_eq!(way_back("Su chiamata"), Some(Some(WayBack::WillCall)));
        assert_eq!(way_back("forse"), None);
        for w in [
            WayBack::At(Clock(750)),
            WayBack::AfterMinutes(90),
            WayBack::WillCall,
        ] {
            assert_eq!(way_back(&way_back_cell(Some(w))), Some(Some(w)));
        }
        assert_eq!(purpose("Dialisi"), Some(Some(Purpose::Dialysis)));
        assert_eq!(purpose("day_centre"), Some(Some(Purpose::DayCentre)));
        assert_eq!(place_kind("Centro diurno").as_deref(), Some("day_centre"));
        assert_eq!(place_kind("day_centre").as_deref(), Some("day_centre"));
    }
}
