//! What an anonymised person's records become: the one home of the labels
//! and of which free text is scrubbed. Statistics stay: requests, routes,
//! stops, mobility, eligibility bands and coordinates are kept, so counts,
//! fees and kilometres are what they were.

use super::Id;

/// The name an anonymised person carries from then on.
pub fn person_label(id: Id) -> String {
    format!("Persona anonimizzata #{id}")
}

/// The name of an anonymised person's own home (its address is cleared; its
/// coordinates stay, for the kilometres the reports recompute).
pub fn home_label(place_id: Id) -> String {
    format!("Abitazione anonimizzata #{place_id}")
}

/// A copy of a name or phone number in other records' free text is replaced
/// only when it is long enough to be that person's and not a common word
/// ("Ada" or "12" would scrub other people's notes).
pub fn scrubbable(text: &str) -> bool {
    text.trim().chars().count() >= 5
}

/// The text as it stands inside a JSON string (quotes and backslashes
/// escaped), to find it in JSON columns.
pub fn json_inner(text: &str) -> String {
    let quoted = serde_json::to_string(text).expect("a string serialises");
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_not_scrubbed_elsewhere_and_json_escapes_are_found() {
        assert!(!scrubbable("Ada"));
        assert!(!scrubbable(" 12 "));
        assert!(scrubbable("Zelinda Quaranteotto"));
        assert_eq!(json_inner("Anna \"Nina\" Rossi"), "Anna \\\"Nina\\\" Rossi");
        assert_eq!(person_label(7), "Persona anonimizzata #7");
    }
}
