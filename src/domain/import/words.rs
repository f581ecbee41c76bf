//! Cell values in Italian or English: the import's one table of the words
//! people write for needs, yes and no, and numbers. The export writes the
//! codes (`wheelchair_transfer`), which are read back here too.

use super::key;
use crate::domain::{Assistance, Mobility};

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
}
