//! The people file: one row per person, with the home.
//!
//! The home: `casa`/`home` names it. When a place of that name is seen by
//! the association (its own homes, public places), the person lives there
//! and the address cells may stay empty; otherwise the row must give
//! `indirizzo`/`address`, `lat` and `lon` and a new home of that name is
//! made for the association (one per name within the file, so a couple
//! shares it). Without a `casa` cell the new home is called "Casa di"
//! and the person's name. The export writes all four cells, so an exported
//! file imports again both into the same association (the homes are found
//! by name) and into another (they are made).

use serde::Serialize;
use utoipa::ToSchema;

use super::words::{self, ASSISTANCE_WORDS, MOBILITY_WORDS};
use super::{Column, Layout, RowError, Sheet};
use crate::domain::{text, Assistance, Mobility, PersonInput, PlaceInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Phone,
    Home,
    Address,
    Lat,
    Lon,
    Mobility,
    Assistance,
    ServiceAnimal,
    DriverNotes,
}

/// The columns, in the export's order; Italian name first, then English.
pub const COLUMNS: &[Column<Field>] = &[
    Column {
        field: Field::Name,
        names: &[
            "nome",
            "name",
            "nome e cognome",
            "nominativo",
            "cognome e nome",
        ],
        required: true,
    },
    Column {
        field: Field::Phone,
        names: &["telefono", "phone", "tel", "cellulare"],
        required: false,
    },
    Column {
        field: Field::Home,
        names: &["casa", "home", "abitazione"],
        required: false,
    },
    Column {
        field: Field::Address,
        names: &["indirizzo", "address"],
        required: false,
    },
    Column {
        field: Field::Lat,
        names: &["latitudine", "lat", "latitude"],
        required: false,
    },
    Column {
        field: Field::Lon,
        names: &["longitudine", "lon", "longitude", "lng"],
        required: false,
    },
    Column {
        field: Field::Mobility,
        names: &["mobilità", "mobility"],
        required: true,
    },
    Column {
        field: Field::Assistance,
        names: &["assistenza", "assistance"],
        required: false,
    },
    Column {
        field: Field::ServiceAnimal,
        names: &[
            "cane guida",
            "service_animal",
            "cane",
            "animale di assistenza",
        ],
        required: false,
    },
    Column {
        field: Field::DriverNotes,
        names: &["note per l'autista", "driver_notes", "note", "notes"],
        required: false,
    },
];

/// The headers the export writes: the English names, which the import reads.
pub fn export_headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.names[1]).collect()
}

/// Where a person lives, as the file says it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HomeCells {
    pub name: String,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl HomeCells {
    /// The new home this row would make, when it names no known place.
    pub fn new_place(&self, organisation_id: i64) -> Option<PlaceInput> {
        Some(PlaceInput {
            organisation_id: Some(organisation_id),
            name: self.name.clone(),
            address: self.address.clone()?,
            lat: self.lat?,
            lon: self.lon?,
            kind: "home".into(),
        })
    }
}

/// One person as read, the home not yet resolved.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PersonRow {
    /// The line of the file.
    pub row: usize,
    pub name: String,
    pub phone: Option<String>,
    pub home: HomeCells,
    pub mobility: Mobility,
    pub assistance: Assistance,
    pub service_animal: bool,
    pub driver_notes: Option<String>,
}

impl PersonRow {
    /// The input the store writes, living at `home_place_id`.
    pub fn input(&self, organisation_id: i64, home_place_id: i64) -> PersonInput {
        PersonInput {
            organisation_id: Some(organisation_id),
            name: self.name.clone(),
            phone: self.phone.clone(),
            home_place_id,
            mobility: self.mobility,
            assistance: self.assistance,
            service_animal: self.service_animal,
            driver_notes: self.driver_notes.clone(),
        }
    }
}

/// The rows that read well and every fault, header faults alone when the
/// header is wrong (no row can be read then).
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<PersonRow>,
    pub errors: Vec<RowError>,
}

fn optional(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

pub fn parse(sheet: &Sheet) -> Parsed {
    let layout = match Layout::of(sheet, COLUMNS) {
        Ok(l) => l,
        Err(errors) => {
            return Parsed {
                rows: Vec::new(),
                errors,
            }
        }
    };
    let mut parsed = Parsed::default();
    for line in &sheet.lines {
        match row(&layout, line.row, &line.cells) {
            Ok(r) => parsed.rows.push(r),
            Err(mut e) => parsed.errors.append(&mut e),
        }
    }
    parsed
}

fn row(layout: &Layout<Field>, n: usize, cells: &[String]) -> Result<PersonRow, Vec<RowError>> {
    let cell = |f| layout.cell(cells, f);
    let header = |f: Field| {
        let fallback = COLUMNS
            .iter()
            .find(|c| c.field == f)
            .map_or(String::new(), Column::label);
        layout.header(f, &fallback)
    };
    let mut errors = Vec::new();
    let mut fail = |f: Field, m: String| errors.push(RowError::new(n, header(f), m));
    for c in COLUMNS {
        if let Err(m) = text::check(cell(c.field)) {
            fail(c.field, m);
        }
    }
    let mobility = words::mobility(cell(Field::Mobility)).unwrap_or_else(|| {
        fail(
            Field::Mobility,
            format!("not a mobility; write one of: {MOBILITY_WORDS}"),
        );
        Mobility::None
    });
    let assistance = words::assistance(cell(Field::Assistance)).unwrap_or_else(|| {
        fail(
            Field::Assistance,
            format!("not an assistance; write one of: {ASSISTANCE_WORDS}"),
        );
        Assistance::None
    });
    let service_animal = words::yes_no(cell(Field::ServiceAnimal)).unwrap_or_else(|| {
        fail(Field::ServiceAnimal, "write sì or no".into());
        false
    });
    let mut coordinate = |f: Field| {
        let c = cell(f);
        if c.is_empty() {
            return None;
        }
        let v = words::number(c);
        if v.is_none() {
            fail(f, "not a number (e.g. 44.2712)".into());
        }
        v
    };
    let lat = coordinate(Field::Lat);
    let lon = coordinate(Field::Lon);
    let name = cell(Field::Name).to_string();
    let home = HomeCells {
        name: optional(cell(Field::Home)).unwrap_or_else(|| format!("Casa di {name}")),
        address: optional(cell(Field::Address)),
        lat,
        lon,
    };
    let given = [
        home.address.is_some(),
        home.lat.is_some(),
        home.lon.is_some(),
    ];
    if given.contains(&true) && given.contains(&false) {
        for (f, g) in [
            (Field::Address, given[0]),
            (Field::Lat, given[1]),
            (Field::Lon, given[2]),
        ] {
            if !g {
                fail(
                    f,
                    "a new home needs the address, lat and lon together".into(),
                );
            }
        }
    }
    let r = PersonRow {
        row: n,
        name,
        phone: optional(cell(Field::Phone)),
        home,
        mobility,
        assistance,
        service_animal,
        driver_notes: optional(cell(Field::DriverNotes)),
    };
    // The rules of the API's person and place, named by this file's headers.
    let mut checked = Vec::new();
    if let Err(i) = r.input(0, 0).validate() {
        checked.extend(i.0);
    }
    if let Some(place) = r.home.new_place(0) {
        if let Err(i) = place.validate() {
            checked.extend(i.0.into_iter().map(|mut e| {
                if e.field == "name" {
                    e.field = "home".into();
                }
                e
            }));
        }
    }
    for e in checked {
        let f = match e.field.as_str() {
            "name" => Field::Name,
            "phone" => Field::Phone,
            "driver_notes" => Field::DriverNotes,
            "home" => Field::Home,
            "address" => Field::Address,
            "lat" => Field::Lat,
            "lon" => Field::Lon,
            _ => Field::Name,
        };
        fail(f, e.message);
    }
    if errors.is_empty() {
        Ok(r)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::read;

    #[test]
    fn an_italian_file_reads() {
        let file = "Nome;Telefono;Indirizzo;Lat;Lon;Mobilità;Assistenza;Cane guida\n\
                    Anna Rossi;+39 0185 1;Via Roma 3;44,27;9,39;sedia a rotelle;alla porta;sì\n";
        let p = parse(&read(file.as_bytes()).unwrap());
        assert_eq!(p.errors, []);
        let r = &p.rows[0];
        assert_eq!(
            (r.row, r.mobility, r.service_animal),
            (2, Mobility::Wheelchair, true)
        );
        assert_eq!(r.home.name, "Casa di Anna Rossi");
        assert_eq!(r.home.lat, Some(44.27));
    }

    #[test]
    fn faults_name_row_and_column_as_written() {
        let file = "NOME,Mobilita,Telefono,Lat\nAnna,walks,abc,\nBruno,volare,,44\n";
        let p = parse(&read(file.as_bytes()).unwrap());
        let at: Vec<(usize, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                (2, "Telefono"),
                (3, "Mobilita"),
                (3, "indirizzo / address"),
                (3, "longitudine / lon")
            ]
        );
        assert_eq!(p.rows.len(), 0);
    }

    #[test]
    fn a_wrong_header_is_named() {
        let p = parse(&read(b"name,mobility,diagnosi\nAnna,walks,x\n").unwrap());
        assert_eq!(p.errors.len(), 1);
        assert_eq!(
            (p.errors[0].row, p.errors[0].column.as_str()),
            (1, "diagnosi")
        );
        let p = parse(&read(b"telefono\n1\n").unwrap());
        let missing: Vec<&str> = p.errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(missing, ["nome / name", "mobilità / mobility"]);
    }
}
