//! Headers to fields: each field's names in Italian and English, matched
//! without regard to case, accents, spaces or underscores.

use std::collections::HashMap;
use std::hash::Hash;

use super::{RowError, Sheet};

/// Lower case, accents dropped, every run of other signs one space:
/// `Mobilità` and `mobilita`, `Driver_Notes` and `driver notes` are one key.
pub fn key(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// A field and the headers that name it; the first name is Italian, the
/// second English (the export's), as shown in messages.
pub struct Column<F> {
    pub field: F,
    pub names: &'static [&'static str],
    pub required: bool,
}

impl<F> Column<F> {
    pub fn label(&self) -> String {
        self.names[..self.names.len().min(2)].join(" / ")
    }
}

/// Where each field is in the file and how its header is written there.
#[derive(Debug)]
pub struct Layout<F: Eq + Hash> {
    at: HashMap<F, (usize, String)>,
}

impl<F: Copy + Eq + Hash> Layout<F> {
    /// Maps the sheet's headers; an unknown, repeated or missing required
    /// column is an error on the header's line.
    pub fn of(sheet: &Sheet, columns: &[Column<F>]) -> Result<Self, Vec<RowError>> {
        let row = sheet.header_row;
        let mut at = HashMap::new();
        let mut errors = Vec::new();
        for (i, h) in sheet.headers.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            let k = key(h);
            match columns.iter().find(|c| c.names.iter().any(|n| key(n) == k)) {
                None => {
                    let known: Vec<String> = columns.iter().map(Column::label).collect();
                    errors.push(RowError::new(
                        row,
                        h.as_str(),
                        format!("unknown column; the columns are: {}", known.join(", ")),
                    ));
                }
                Some(c) if at.contains_key(&c.field) => {
                    errors.push(RowError::new(row, h.as_str(), "this column appears twice"));
                }
                Some(c) => {
                    at.insert(c.field, (i, h.clone()));
                }
            }
        }
        for c in columns.iter().filter(|c| c.required) {
            if !at.contains_key(&c.field) {
                errors.push(RowError::new(
                    row,
                    c.label(),
                    format!("missing column {}", c.label()),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Self { at })
        } else {
            Err(errors)
        }
    }

    pub fn has(&self, field: F) -> bool {
        self.at.contains_key(&field)
    }

    /// The cell of `field` in `cells`, empty when the file has no such column.
    pub fn cell<'a>(&self, cells: &'a [String], field: F) -> &'a str {
        self.at
            .get(&field)
            .and_then(|(i, _)| cells.get(*i))
            .map_or("", String::as_str)
    }

    /// The header of `field` as written in the file, or the column's
    /// Italian and English names when the file has none.
    pub fn name(&self, columns: &[Column<F>], field: F) -> String {
        let fallback = columns
            .iter()
            .find(|c| c.field == field)
            .map_or(String::new(), Column::label);
        self.header(field, &fallback)
    }

    /// The header of `field` as written in the file (or `fallback`).
    pub fn header(&self, field: F, fallback: &str) -> String {
        self.at
            .get(&field)
            .map_or_else(|| fallback.to_string(), |(_, h)| h.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn keys_ignore_case_accents_and_signs() {
        assert_eq!(key(" Mobilità "), "mobilita");
        assert_eq!(key("Driver_Notes"), "driver notes");
        assert_eq!(key("Note per l'autista"), "note per l autista");
        assert_eq!(key("CANE-GUIDA"), "cane guida");
    }
}
