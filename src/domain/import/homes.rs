//! Each row's home against the places the association sees (see
//! `people`'s module comment for the rule): a known place by name, or a new
//! home made once per name within the file.

use std::collections::HashMap;

use super::people::PersonRow;
use super::{key, RowError};
use crate::domain::{Id, Place, PlaceInput};

/// Where an imported person lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    Existing(Id),
    /// The index of a home the import makes.
    New(usize),
}

/// What an import writes: new homes first, then the people.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub places: Vec<PlaceInput>,
    pub people: Vec<(PersonRow, Home)>,
}

/// Resolves every row's home; `known` are the places the association sees.
/// Of several places of one name, its own homes come first, then the
/// oldest.
pub fn resolve(org: Id, rows: Vec<PersonRow>, known: &[Place]) -> Result<Resolved, Vec<RowError>> {
    let mut by_name: HashMap<String, Id> = HashMap::new();
    let mut sorted: Vec<&Place> = known.iter().collect();
    sorted.sort_by_key(|p| (p.organisation_id != Some(org), p.id));
    for p in sorted {
        by_name.entry(key(&p.name)).or_insert(p.id);
    }
    let mut made: HashMap<String, usize> = HashMap::new();
    let mut out = Resolved::default();
    let mut errors = Vec::new();
    for r in rows {
        let name = key(&r.home.name);
        let home = if let Some(id) = by_name.get(&name) {
            Home::Existing(*id)
        } else if let Some(i) = made.get(&name) {
            Home::New(*i)
        } else if let Some(place) = r.home.new_place(org) {
            out.places.push(place);
            made.insert(name, out.places.len() - 1);
            Home::New(out.places.len() - 1)
        } else {
            errors.push(RowError::new(
                r.row,
                "casa / home",
                format!(
                    "no place called {:?}: give its address, lat and lon to make a new home",
                    r.home.name
                ),
            ));
            continue;
        };
        out.people.push((r, home));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
