//! The places file: one row per place, in the layout `GET /places?format=csv`
//! writes (`name,address,lat,lon,kind,organisation_id`) or with Italian
//! headers (`nome`, `indirizzo`, `latitudine`/`lat`, `longitudine`/`lon`,
//! `tipo`, `id associazione`). An empty `organisation_id` is a public place
//! for a planner and the member's own association's home for a member (as
//! `POST /places` takes it); an empty `kind` is `home` for an association's
//! place. Every row passes `PlaceInput::validate`, its faults named by this
//! file's headers; who may write which place is the service's to check.

use serde::Serialize;
use utoipa::ToSchema;

use super::words;
use super::{Column, Layout, RowError, Sheet};
use crate::domain::{text, Id, PlaceInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Address,
    Lat,
    Lon,
    Kind,
    Organisation,
}

/// The columns, in the export's order; Italian name first, then English.
pub const COLUMNS: &[Column<Field>] = &[
    Column {
        field: Field::Name,
        names: &["nome", "name", "denominazione", "luogo"],
        required: true,
    },
    Column {
        field: Field::Address,
        names: &["indirizzo", "address"],
        required: true,
    },
    Column {
        field: Field::Lat,
        names: &["latitudine", "lat", "latitude"],
        required: true,
    },
    Column {
        field: Field::Lon,
        names: &["longitudine", "lon", "longitude", "lng"],
        required: true,
    },
    Column {
        field: Field::Kind,
        names: &["tipo", "kind", "categoria"],
        required: false,
    },
    Column {
        field: Field::Organisation,
        names: &[
            "id associazione",
            "organisation_id",
            "associazione",
            "organisation",
        ],
        required: false,
    },
];

/// The headers the export writes: the English names, which the import reads.
pub fn export_headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.names[1]).collect()
}

/// One place as it will be written.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PlaceRow {
    /// The line of the file.
    pub row: usize,
    /// `None` for a public place.
    pub organisation_id: Option<Id>,
    pub name: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: String,
}

impl PlaceRow {
    pub fn input(&self) -> PlaceInput {
        PlaceInput {
            organisation_id: self.organisation_id,
            name: self.name.clone(),
            address: self.address.clone(),
            lat: self.lat,
            lon: self.lon,
            kind: self.kind.clone(),
        }
    }
}

/// The rows that read well and every fault; the column names as written,
/// to name the cells the service finds at fault.
#[derive(Debug)]
pub struct Parsed {
    pub rows: Vec<PlaceRow>,
    pub errors: Vec<RowError>,
    /// The `organisation_id` column as written (or its names).
    pub organisation_column: String,
}

/// Reads every row; an empty `organisation_id` cell is `default_org`.
pub fn parse(sheet: &Sheet, default_org: Option<Id>) -> Parsed {
    let layout = match Layout::of(sheet, COLUMNS) {
        Ok(l) => l,
        Err(errors) => {
            return Parsed {
                rows: Vec::new(),
                errors,
                organisation_column: String::new(),
            }
        }
    };
    let mut parsed = Parsed {
        rows: Vec::new(),
        errors: Vec::new(),
        organisation_column: layout.name(COLUMNS, Field::Organisation),
    };
    for line in &sheet.lines {
        match row(&layout, line.row, &line.cells, default_org) {
            Ok(r) => parsed.rows.push(r),
            Err(mut e) => parsed.errors.append(&mut e),
        }
    }
    parsed
}

fn row(
    layout: &Layout<Field>,
    n: usize,
    cells: &[String],
    default_org: Option<Id>,
) -> Result<PlaceRow, Vec<RowError>> {
    let cell = |f| layout.cell(cells, f);
    let mut errors = Vec::new();
    let mut fail = |f: Field, m: String| errors.push(RowError::new(n, layout.name(COLUMNS, f), m));
    for c in COLUMNS {
        if let Err(m) = text::check(cell(c.field)) {
            fail(c.field, m);
        }
    }
    let mut coordinate = |f: Field| {
        words::number(cell(f)).unwrap_or_else(|| {
            fail(f, "not a number (e.g. 44.2712)".into());
            f64::NAN
        })
    };
    let lat = coordinate(Field::Lat);
    let lon = coordinate(Field::Lon);
    let organisation_id = match cell(Field::Organisation) {
        "" => default_org,
        c => match c.parse::<Id>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                fail(
                    Field::Organisation,
                    "not an association's number; leave it empty for a public place".into(),
                );
                default_org
            }
        },
    };
    let kind = match words::place_kind(cell(Field::Kind)) {
        Some(k) => k,
        None if organisation_id.is_some() => "home".into(),
        None => {
            fail(
                Field::Kind,
                "write the kind of a public place (e.g. day_centre, hospital)".into(),
            );
            String::new()
        }
    };
    let r = PlaceRow {
        row: n,
        organisation_id,
        name: cell(Field::Name).to_string(),
        address: cell(Field::Address).to_string(),
        lat,
        lon,
        kind,
    };
    // The API's rules for a place, named by this file's headers; a
    // coordinate that is no number is named once, above.
    if let Err(i) = r.input().validate() {
        for e in i.0 {
            let f = match e.field.as_str() {
                "address" => Field::Address,
                "lat" if r.lat.is_nan() => continue,
                "lon" if r.lon.is_nan() => continue,
                "lat" => Field::Lat,
                "lon" => Field::Lon,
                "kind" if r.kind.is_empty() => continue,
                "kind" => Field::Kind,
                "organisation_id" => Field::Organisation,
                _ => Field::Name,
            };
            fail(f, e.message);
        }
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
    fn an_italian_file_and_the_export_read() {
        let file =
            "Nome;Indirizzo;Lat;Lon;Tipo\nCentro Anziani;Via Roma 3;44,27;9,39;centro diurno\n";
        let p = parse(&read(file.as_bytes()).unwrap(), None);
        assert_eq!(p.errors, []);
        assert_eq!(p.rows[0].kind, "day_centre");
        assert_eq!(p.rows[0].organisation_id, None);
        let export = crate::csv::places(&[]);
        assert_eq!(
            export.trim_end(),
            export_headers().join(","),
            "the export's layout is the import's"
        );
        let p = parse(
            &read(b"name,address,lat,lon,kind,organisation_id\nCasa,Via 1,44,9,,\n").unwrap(),
            Some(3),
        );
        assert_eq!(
            (p.rows[0].organisation_id, p.rows[0].kind.as_str()),
            (Some(3), "home")
        );
    }

    #[test]
    fn faults_name_row_and_column() {
        let file = "Nome,Indirizzo,Lat,Lon,Tipo\nA,Via 1,abc,9,home\nB,Via 2,95,9,Day Centre!\n,Via 3,44,9,\n";
        let p = parse(&read(file.as_bytes()).unwrap(), None);
        let at: Vec<(usize, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                (2, "Lat"),
                (3, "Lat"),
                (3, "Tipo"),
                (4, "Tipo"),
                (4, "Nome")
            ],
            "{:?}",
            p.errors
        );
    }
}
