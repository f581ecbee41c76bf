//! The standing orders file: one row per order, in the layout
//! `GET /standing-orders?format=csv` writes or with Italian headers.
//!
//! The rider: `person_id` when given (it must be one of the association's
//! people), otherwise `persona`/`person`, the name as in the association's
//! list (case and accents aside; two people of one name need the id). The
//! places alike: `from_place_id`/`to_place_id` when given, otherwise
//! `partenza`/`from` and `arrivo`/`to` by name among the places the
//! association sees (its own first; `casa`/`home` is the rider's home).
//! When both an id and a name are given they must agree. The export writes
//! both, so a file imports again to the same records. `giorni`/`weekdays`:
//! `lun;mer;ven` or `mon,wed,fri`; dates `2025-09-01` or `01/09/2025`;
//! `ritorno`/`way_back`: `12:30`, `dopo 90` / `after 90`, `su chiamata` /
//! `will_call`. Suspensions are not in the sheet: a pause is set on the
//! order. Every order passes `StandingOrderInput::validate`, its faults
//! named by this file's headers.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use utoipa::ToSchema;

use super::words::{self, PURPOSE_WORDS, WAY_BACK_WORDS};
use super::{key, Column, Layout, RowError, Sheet};
use crate::domain::{
    text, Clock, Id, Person, Place, Recurrence, RideTemplate, StandingOrder, StandingOrderInput,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    PersonId,
    Person,
    FromId,
    From,
    ToId,
    To,
    Weekdays,
    PickupAt,
    Appointment,
    WayBack,
    StartsOn,
    EndsOn,
    Exceptions,
    Companions,
    Purpose,
    Notes,
    Active,
}

/// The columns, in the export's order; Italian name first, then English.
pub const COLUMNS: &[Column<Field>] = &[
    Column {
        field: Field::PersonId,
        names: &["id persona", "person_id"],
        required: false,
    },
    Column {
        field: Field::Person,
        names: &["persona", "person", "nome", "nominativo", "utente"],
        required: false,
    },
    Column {
        field: Field::FromId,
        names: &["id partenza", "from_place_id"],
        required: false,
    },
    Column {
        field: Field::From,
        names: &["partenza", "from", "da", "luogo di partenza"],
        required: false,
    },
    Column {
        field: Field::ToId,
        names: &["id arrivo", "to_place_id"],
        required: false,
    },
    Column {
        field: Field::To,
        names: &["arrivo", "to", "destinazione", "a"],
        required: false,
    },
    Column {
        field: Field::Weekdays,
        names: &["giorni", "weekdays", "giorni della settimana"],
        required: true,
    },
    Column {
        field: Field::PickupAt,
        names: &["ora di partenza", "pickup_at", "ora partenza", "ora"],
        required: false,
    },
    Column {
        field: Field::Appointment,
        names: &["appuntamento", "appointment", "ora appuntamento"],
        required: false,
    },
    Column {
        field: Field::WayBack,
        names: &["ritorno", "way_back"],
        required: false,
    },
    Column {
        field: Field::StartsOn,
        names: &["dal", "starts_on", "inizio", "data inizio"],
        required: true,
    },
    Column {
        field: Field::EndsOn,
        names: &["al", "ends_on", "fine", "data fine"],
        required: false,
    },
    Column {
        field: Field::Exceptions,
        names: &["eccezioni", "exceptions", "giorni esclusi"],
        required: false,
    },
    Column {
        field: Field::Companions,
        names: &["accompagnatori", "companions"],
        required: false,
    },
    Column {
        field: Field::Purpose,
        names: &["motivo", "purpose", "scopo"],
        required: false,
    },
    Column {
        field: Field::Notes,
        names: &["note", "notes"],
        required: false,
    },
    Column {
        field: Field::Active,
        names: &["attivo", "active"],
        required: false,
    },
];

/// The headers the export writes: the English names, which the import reads.
pub fn export_headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.names[1]).collect()
}

/// One order as it will be written, its references resolved.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OrderRow {
    /// The line of the file.
    pub row: usize,
    pub person_id: Id,
    pub person: String,
    /// The pickup and drop-off places' names.
    pub from: String,
    pub to: String,
    pub ride: RideTemplate,
    pub recurrence: Recurrence,
    pub active: bool,
}

impl OrderRow {
    pub fn input(&self, organisation_id: Id) -> StandingOrderInput {
        StandingOrderInput {
            organisation_id: Some(organisation_id),
            person_id: self.person_id,
            ride: self.ride.clone(),
            recurrence: self.recurrence.clone(),
            suspensions: Vec::new(),
            active: self.active,
        }
    }
}

/// A record named by id, by name or both, as the row gives it.
#[derive(Debug, Clone, Default)]
struct Ref {
    id: Option<Id>,
    name: String,
}

/// A row read, its references not yet resolved.
#[derive(Debug, Clone)]
pub struct Read {
    row: usize,
    person: Ref,
    from: Ref,
    to: Ref,
    ride: RideTemplate,
    recurrence: Recurrence,
    active: bool,
}

/// Each field's column as written in the file (or its names).
#[derive(Debug, Clone, Default)]
pub struct Headers(HashMap<Field, String>);

impl Headers {
    pub fn of(&self, f: Field) -> String {
        self.0.get(&f).cloned().unwrap_or_default()
    }

    /// The column of a rule's field (`ride.pickup_at`, `recurrence.ends_on`,
    /// `person_id`), so the domain's and the booking's faults name a cell.
    pub fn column(&self, field: &str) -> String {
        let f = match field.split(['.', '[']).collect::<Vec<_>>().as_slice() {
            ["ride", "from_place_id", ..] => Field::From,
            ["ride", "to_place_id", ..] => Field::To,
            ["ride", "pickup_at", ..] => Field::PickupAt,
            ["ride", "appointment", ..] | ["ride", "window", ..] => Field::Appointment,
            ["ride", "way_back", ..] | ["ride", "return_of", ..] => Field::WayBack,
            ["ride", "companions", ..] => Field::Companions,
            ["ride", "purpose", ..] => Field::Purpose,
            ["ride", "notes", ..] => Field::Notes,
            ["recurrence", "weekdays", ..] => Field::Weekdays,
            ["recurrence", "ends_on", ..] => Field::EndsOn,
            ["recurrence", "exceptions", ..] => Field::Exceptions,
            ["recurrence", ..] => Field::StartsOn,
            _ => Field::Person,
        };
        self.of(f)
    }
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<Read>,
    pub errors: Vec<RowError>,
    pub headers: Headers,
}

/// A column pair (`person_id` and `person`) of which the file needs one.
fn one_of(layout: &Layout<Field>, id: Field, name: Field, row: usize) -> Option<RowError> {
    (!layout.has(id) && !layout.has(name)).then(|| {
        let label = layout.name(COLUMNS, name);
        RowError::new(row, label.clone(), format!("missing column {label}"))
    })
}

pub fn parse(sheet: &Sheet) -> Parsed {
    let layout = match Layout::of(sheet, COLUMNS) {
        Ok(l) => l,
        Err(errors) => {
            return Parsed {
                errors,
                ..Parsed::default()
            }
        }
    };
    let missing: Vec<RowError> = [
        (Field::PersonId, Field::Person),
        (Field::FromId, Field::From),
        (Field::ToId, Field::To),
    ]
    .into_iter()
    .filter_map(|(i, n)| one_of(&layout, i, n, sheet.header_row))
    .collect();
    if !missing.is_empty() {
        return Parsed {
            errors: missing,
            ..Parsed::default()
        };
    }
    let mut parsed = Parsed {
        headers: Headers(
            COLUMNS
                .iter()
                .map(|c| (c.field, layout.name(COLUMNS, c.field)))
                .collect(),
        ),
        ..Parsed::default()
    };
    for line in &sheet.lines {
        match row(&layout, line.row, &line.cells) {
            Ok(r) => parsed.rows.push(r),
            Err(mut e) => parsed.errors.append(&mut e),
        }
    }
    parsed
}

fn row(layout: &Layout<Field>, n: usize, cells: &[String]) -> Result<Read, Vec<RowError>> {
    let cell = |f| layout.cell(cells, f);
    let mut errors = Vec::new();
    let mut fail = |f: Field, m: String| errors.push(RowError::new(n, layout.name(COLUMNS, f), m));
    for c in COLUMNS {
        if let Err(m) = text::check(cell(c.field)) {
            fail(c.field, m);
        }
    }
    let mut reference = |id: Field, name: Field, what: &str| {
        let r = Ref {
            id: None,
            name: cell(name).to_string(),
        };
        let r = match cell(id) {
            "" => r,
            c => match c.parse::<Id>() {
                Ok(v) if v > 0 => Ref { id: Some(v), ..r },
                _ => {
                    fail(id, format!("not a number of {what}"));
                    r
                }
            },
        };
        if r.id.is_none() && r.name.is_empty() {
            let column = if layout.has(name) { name } else { id };
            fail(column, format!("write {what}"));
        }
        r
    };
    let person = reference(Field::PersonId, Field::Person, "the person");
    let from = reference(Field::FromId, Field::From, "the pickup place");
    let to = reference(Field::ToId, Field::To, "the drop-off place");
    let weekdays = words::weekdays(cell(Field::Weekdays)).unwrap_or_else(|m| {
        fail(Field::Weekdays, m);
        Default::default()
    });
    let mut time = |f: Field| -> Option<Clock> {
        let c = cell(f);
        if c.is_empty() {
            return None;
        }
        let t = words::clock(c);
        if t.is_none() {
            fail(f, "not a time of day (e.g. 08:30)".into());
        }
        t
    };
    let pickup_at = time(Field::PickupAt);
    let appointment = time(Field::Appointment);
    let way_back = words::way_back(cell(Field::WayBack)).unwrap_or_else(|| {
        fail(
            Field::WayBack,
            format!("not a way back; write one of: {WAY_BACK_WORDS}"),
        );
        None
    });
    let mut day = |f: Field| {
        let c = cell(f);
        if c.is_empty() {
            return None;
        }
        let d = words::date(c);
        if d.is_none() {
            fail(f, "not a date (e.g. 2025-09-01 or 01/09/2025)".into());
        }
        d
    };
    let starts_on = day(Field::StartsOn);
    let ends_on = day(Field::EndsOn);
    if cell(Field::StartsOn).is_empty() {
        fail(
            Field::StartsOn,
            "write the first day (e.g. 2025-09-01)".into(),
        );
    }
    let mut exceptions = BTreeSet::new();
    for d in cell(Field::Exceptions)
        .split([';', ',', ' ', '\t'])
        .filter(|d| !d.trim().is_empty())
    {
        match words::date(d) {
            Some(d) => {
                exceptions.insert(d);
            }
            None => fail(
                Field::Exceptions,
                format!("{d:?} is not a date (e.g. 2025-12-24;2025-12-31)"),
            ),
        }
    }
    let companions = match cell(Field::Companions) {
        "" => None,
        c => match c.parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => {
                fail(Field::Companions, "not a number (0 to 8)".into());
                None
            }
        },
    };
    let purpose = words::purpose(cell(Field::Purpose)).unwrap_or_else(|| {
        fail(
            Field::Purpose,
            format!("not a purpose; write one of: {PURPOSE_WORDS}"),
        );
        None
    });
    let active = match cell(Field::Active) {
        "" => true,
        c => words::yes_no(c).unwrap_or_else(|| {
            fail(Field::Active, "write sì or no".into());
            true
        }),
    };
    let notes = Some(cell(Field::Notes).to_string()).filter(|s| !s.is_empty());
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Read {
        row: n,
        person,
        from,
        to,
        ride: RideTemplate {
            from_place_id: 0,
            to_place_id: 0,
            pickup_at,
            appointment,
            companions,
            purpose,
            way_back,
            notes,
        },
        recurrence: Recurrence {
            weekdays,
            starts_on: starts_on.unwrap_or_default(),
            ends_on,
            exceptions,
        },
        active,
    })
}

/// What a reference resolves to: the record's id and name.
type Found = Result<(Id, String), String>;

fn person(r: &Ref, people: &[Person]) -> Found {
    let named = |p: &Person| key(&p.name) == key(&r.name);
    if let Some(id) = r.id {
        let Some(p) = people.iter().find(|p| p.id == id) else {
            return Err(format!("no person {id} in this association"));
        };
        if !r.name.is_empty() && !named(p) {
            return Err(format!("person {id} is {:?}, not {:?}", p.name, r.name));
        }
        return Ok((p.id, p.name.clone()));
    }
    match people
        .iter()
        .filter(|p| named(p))
        .collect::<Vec<_>>()
        .as_slice()
    {
        [p] => Ok((p.id, p.name.clone())),
        [] => Err(format!(
            "no person called {:?} in this association: import the people first",
            r.name
        )),
        many => Err(format!(
            "{} people are called {:?}: write the person_id",
            many.len(),
            r.name
        )),
    }
}

fn place(r: &Ref, org: Id, rider: Option<&Person>, places: &[Place]) -> Found {
    let named = |p: &Place| key(&p.name) == key(&r.name);
    if let Some(id) = r.id {
        let Some(p) = places.iter().find(|p| p.id == id) else {
            return Err(format!("no place {id} that this association sees"));
        };
        if !r.name.is_empty() && !named(p) {
            return Err(format!("place {id} is {:?}, not {:?}", p.name, r.name));
        }
        return Ok((p.id, p.name.clone()));
    }
    let mut found: Vec<&Place> = places.iter().filter(|p| named(p)).collect();
    if found.is_empty() && matches!(key(&r.name).as_str(), "casa" | "home") {
        if let Some(home) = rider.and_then(|p| places.iter().find(|x| x.id == p.home_place_id)) {
            return Ok((home.id, home.name.clone()));
        }
    }
    // The association's own places before the public ones of that name.
    if found.iter().any(|p| p.organisation_id == Some(org)) {
        found.retain(|p| p.organisation_id == Some(org));
    }
    match found.as_slice() {
        [p] => Ok((p.id, p.name.clone())),
        [] => Err(format!("no place called {:?}", r.name)),
        many => Err(format!(
            "{} places are called {:?}: write its id",
            many.len(),
            r.name
        )),
    }
}

/// The orders of `rows` for `org`: people and places found among those the
/// association has and sees, then each order checked by the domain's rules.
pub fn resolve(
    org: Id,
    rows: Vec<Read>,
    headers: &Headers,
    people: &[Person],
    places: &[Place],
) -> (Vec<OrderRow>, Vec<RowError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for r in rows {
        let column = |id: Field, name: Field, given: &Ref| {
            if given.id.is_some() {
                headers.of(id)
            } else {
                headers.of(name)
            }
        };
        let mut faults = Vec::new();
        let who = person(&r.person, people);
        let rider = who
            .as_ref()
            .ok()
            .and_then(|(id, _)| people.iter().find(|p| p.id == *id));
        let from = place(&r.from, org, rider, places);
        let to = place(&r.to, org, rider, places);
        for (found, id, name, given) in [
            (&who, Field::PersonId, Field::Person, &r.person),
            (&from, Field::FromId, Field::From, &r.from),
            (&to, Field::ToId, Field::To, &r.to),
        ] {
            if let Err(m) = found {
                faults.push(RowError::new(r.row, column(id, name, given), m.clone()));
            }
        }
        let (Ok(who), Ok(from), Ok(to)) = (who, from, to) else {
            errors.append(&mut faults);
            continue;
        };
        let order = OrderRow {
            row: r.row,
            person_id: who.0,
            person: who.1,
            from: from.1,
            to: to.1,
            ride: RideTemplate {
                from_place_id: from.0,
                to_place_id: to.0,
                ..r.ride
            },
            recurrence: r.recurrence,
            active: r.active,
        };
        if let Err(i) = order.input(org).validate() {
            errors.extend(
                i.0.into_iter()
                    .map(|e| RowError::new(r.row, headers.column(&e.field), e.message)),
            );
            continue;
        }
        out.push(order);
    }
    (out, errors)
}

/// The cells of an order in the export's order (`export_headers`).
pub fn cells(o: &StandingOrder, person: &str, from: &str, to: &str) -> Vec<String> {
    let opt = |c: Option<Clock>| c.map(|c| c.to_string()).unwrap_or_default();
    let days: Vec<&str> = o
        .recurrence
        .weekdays
        .iter()
        .map(crate::domain::WeekdaySet::name)
        .collect();
    let exceptions: Vec<String> = o
        .recurrence
        .exceptions
        .iter()
        .map(|d| d.to_string())
        .collect();
    vec![
        o.person_id.to_string(),
        person.to_string(),
        o.ride.from_place_id.to_string(),
        from.to_string(),
        o.ride.to_place_id.to_string(),
        to.to_string(),
        days.join(";"),
        opt(o.ride.pickup_at),
        opt(o.ride.appointment),
        words::way_back_cell(o.ride.way_back),
        o.recurrence.starts_on.to_string(),
        o.recurrence
            .ends_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        exceptions.join(";"),
        o.ride.companions.map(|c| c.to_string()).unwrap_or_default(),
        o.ride
            .purpose
            .map(|p| p.as_str())
            .unwrap_or_default()
            .into(),
        o.ride.notes.clone().unwrap_or_default(),
        o.active.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::read;
    use crate::domain::{Assistance, Mobility, WayBack};

    fn person(id: Id, name: &str, home: Id) -> Person {
        Person {
            id,
            organisation_id: 1,
            name: name.into(),
            phone: None,
            home_place_id: home,
            mobility: Mobility::None,
            assistance: Assistance::None,
            service_animal: false,
            driver_notes: None,
        }
    }

    fn place(id: Id, org: Option<Id>, name: &str) -> Place {
        Place {
            id,
            organisation_id: org,
            name: name.into(),
            address: "Via 1".into(),
            lat: 44.27,
            lon: 9.39,
            kind: "home".into(),
        }
    }

    #[test]
    fn an_association_sheet_resolves_by_names() {
        let file = "Persona;Partenza;Arrivo;Giorni;Appuntamento;Ritorno;Dal;Al;Motivo\n\
                    Anna Rossi;casa;Centro Diurno;lun;mer;ven;09:00;dopo 240;01/09/2025;30/06/2026;centro diurno\n";
        // `lun;mer;ven` unquoted in a `;` file is three cells: refused by count.
        assert!(read(file.as_bytes()).is_err());
        let file = "Persona;Partenza;Arrivo;Giorni;Appuntamento;Ritorno;Dal;Al;Motivo\n\
                    Anna Rossi;casa;Centro Diurno;\"lun;mer;ven\";09:00;dopo 240;01/09/2025;30/06/2026;centro diurno\n\
                    Bruno;casa;Centro Diurno;lun;9:00;;01/09/2025;;\n\
                    Anna Rossi;casa;Centro Diurno;mar;8:00;;01/09/2025;01/08/2025;\n\
                    Anna Rossi;casa;Ospedale;mar;8:00;;01/09/2025;;\n";
        let p = parse(&read(file.as_bytes()).unwrap());
        assert_eq!(p.errors, []);
        let people = [person(7, "Anna Rossi", 70)];
        let places = [
            place(70, Some(1), "Casa di Anna Rossi"),
            place(5, None, "Centro diurno"),
        ];
        let (rows, errors) = resolve(1, p.rows, &p.headers, &people, &places);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(
            (r.person_id, r.ride.from_place_id, r.ride.to_place_id),
            (7, 70, 5)
        );
        assert_eq!(r.recurrence.weekdays.len(), 3);
        assert_eq!(r.ride.way_back, Some(WayBack::AfterMinutes(240)));
        let at: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(
            at,
            [(3, "Persona"), (3, "Partenza"), (4, "Al"), (5, "Arrivo")],
            "{errors:?}"
        );
    }
}
