//! Importing a spreadsheet: read and check every row (`domain::import`),
//! resolve the homes against the association's places, then either show
//! what would be written (preview) or write it all in one transaction
//! (commit). A commit with any faulty row writes nothing.

use serde::Serialize;
use utoipa::ToSchema;

use super::ServiceError;
use crate::domain::import::homes::resolve;
use crate::domain::import::people::{self, PersonRow};
use crate::domain::import::places::{self, PlaceRow};
use crate::domain::import::standing_orders::{self, OrderRow};
use crate::domain::import::{read, RowError, Sheet};
use crate::domain::{Id, Invalid};
use crate::store::{Actor, Scope, Store, StoreError};

/// How many parsed rows a preview shows.
pub const SAMPLE: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Preview,
    Commit,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "preview" => Some(Self::Preview),
            "commit" => Some(Self::Commit),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as this kind of list (not UTF-8, a wrong or
    /// missing header, too many rows): nothing of it is taken.
    #[error("the file cannot be imported")]
    File(Vec<RowError>),
    /// Some rows are faulty; a commit writes nothing.
    #[error("some rows are not valid")]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a preview shows and a commit did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub mode: Mode,
    /// Whether the rows were written (a commit without faults).
    pub written: bool,
    /// Data rows read from the file.
    pub rows: usize,
    /// People created, or that a commit would create.
    pub people: usize,
    /// New homes created (or to be), one per name.
    pub places: usize,
    /// The first rows as read.
    pub sample: Vec<PersonRow>,
    /// Every faulty row and column; empty when all rows are valid.
    pub errors: Vec<RowError>,
}

/// What a preview of places shows and a commit did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacesReport {
    pub mode: Mode,
    pub written: bool,
    /// Data rows read from the file.
    pub rows: usize,
    /// Places created, or that a commit would create.
    pub places: usize,
    /// The first rows as they will be written.
    pub sample: Vec<PlaceRow>,
    /// Every faulty row and column; empty when all rows are valid.
    pub errors: Vec<RowError>,
}

/// What a preview of standing orders shows and a commit did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StandingOrdersReport {
    pub mode: Mode,
    pub written: bool,
    /// Data rows read from the file.
    pub rows: usize,
    /// Standing orders created, or that a commit would create.
    pub standing_orders: usize,
    /// The first rows as they will be written, people and places resolved.
    pub sample: Vec<OrderRow>,
    /// Every faulty row and column; empty when all rows are valid.
    pub errors: Vec<RowError>,
}

/// The file read, or its faults; a header fault refuses the whole file.
fn sheet(file: &[u8]) -> Result<Sheet, ImportError> {
    read(file).map_err(ImportError::File)
}

fn header_fault(sheet: &Sheet, rows: usize, errors: &[RowError]) -> bool {
    rows == 0 && !errors.is_empty() && errors[0].row == sheet.header_row
}

/// Imports a places file. A member (`scope` of its association) writes
/// only its own association's homes, an empty `organisation_id` cell being
/// its own; a planner writes public places and any association's.
pub async fn places(
    store: &Store,
    actor: Actor,
    scope: Scope,
    file: &[u8],
    mode: Mode,
) -> Result<PlacesReport, ImportError> {
    let sheet = sheet(file)?;
    let own = match scope {
        Scope::Organisation(o) => Some(o),
        Scope::All => None,
    };
    let parsed = places::parse(&sheet, own);
    if header_fault(&sheet, parsed.rows.len(), &parsed.errors) {
        return Err(ImportError::File(parsed.errors));
    }
    let mut errors = parsed.errors;
    let known: Vec<Id> = store
        .organisations(Scope::All)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    let mut rows = Vec::new();
    for r in parsed.rows {
        let fault = match (own, r.organisation_id) {
            (Some(o), Some(x)) if o != x => {
                Some("members may only write their own association's homes")
            }
            (_, Some(x)) if !known.contains(&x) => Some("no such organisation"),
            _ => None,
        };
        match fault {
            Some(m) => errors.push(RowError::new(r.row, parsed.organisation_column.clone(), m)),
            None => rows.push(r),
        }
    }
    errors.sort_by_key(|e| e.row);
    let mut report = PlacesReport {
        mode,
        written: false,
        rows: sheet.lines.len(),
        places: rows.len(),
        sample: rows.iter().take(SAMPLE).cloned().collect(),
        errors,
    };
    if mode == Mode::Preview {
        return Ok(report);
    }
    if !report.errors.is_empty() {
        return Err(ImportError::Rows(report.errors));
    }
    let inputs: Vec<_> = rows.iter().map(PlaceRow::input).collect();
    report.places = store.import_places(actor, &inputs).await?;
    report.written = true;
    Ok(report)
}

/// Imports a standing orders file into `org`: people and places found by
/// id or name (`domain::import::standing_orders`), each order checked as
/// `POST /standing-orders` checks it (its first day booked as generation
/// would book it), then all written in one transaction or none.
pub async fn standing_orders(
    store: &Store,
    actor: Actor,
    org: Id,
    file: &[u8],
    mode: Mode,
) -> Result<StandingOrdersReport, ImportError> {
    if store.organisation(Scope::All, org).await.is_err() {
        return Err(Invalid::one("organisation_id", "no such organisation").into());
    }
    let sheet = sheet(file)?;
    let parsed = standing_orders::parse(&sheet);
    if header_fault(&sheet, parsed.rows.len(), &parsed.errors) {
        return Err(ImportError::File(parsed.errors));
    }
    let mut errors = parsed.errors;
    let scope = Scope::Organisation(org);
    let people = store.people(scope).await?;
    let known = store.places(scope).await?;
    let (resolved, mut faults) =
        standing_orders::resolve(org, parsed.rows, &parsed.headers, &people, &known);
    errors.append(&mut faults);
    let mut rows = Vec::new();
    for r in resolved {
        match super::standing::check_bookable(store, org, &r.input(org)).await {
            Ok(()) => rows.push(r),
            Err(ServiceError::Invalid(i)) => errors.extend(
                i.0.into_iter()
                    .map(|e| RowError::new(r.row, parsed.headers.column(&e.field), e.message)),
            ),
            Err(ServiceError::Store(e)) => return Err(e.into()),
            Err(e) => errors.push(RowError::new(
                r.row,
                parsed.headers.column("person_id"),
                e.to_string(),
            )),
        }
    }
    errors.sort_by_key(|e| e.row);
    let mut report = StandingOrdersReport {
        mode,
        written: false,
        rows: sheet.lines.len(),
        standing_orders: rows.len(),
        sample: rows.iter().take(SAMPLE).cloned().collect(),
        errors,
    };
    if mode == Mode::Preview {
        return Ok(report);
    }
    if !report.errors.is_empty() {
        return Err(ImportError::Rows(report.errors));
    }
    let inputs: Vec<_> = rows.iter().map(|r| r.input(org)).collect();
    report.standing_orders = store.import_standing_orders(actor, org, &inputs).await?;
    report.written = true;
    Ok(report)
}

/// Imports a people file into `org`.
pub async fn people(
    store: &Store,
    actor: Actor,
    org: Id,
    file: &[u8],
    mode: Mode,
) -> Result<ImportReport, ImportError> {
    if store.organisation(Scope::All, org).await.is_err() {
        return Err(Invalid::one("organisation_id", "no such organisation").into());
    }
    let sheet = read(file).map_err(ImportError::File)?;
    let parsed = people::parse(&sheet);
    if parsed.rows.is_empty()
        && !parsed.errors.is_empty()
        && parsed.errors[0].row == sheet.header_row
    {
        return Err(ImportError::File(parsed.errors));
    }
    let mut errors = parsed.errors;
    let sample: Vec<PersonRow> = parsed.rows.iter().take(SAMPLE).cloned().collect();
    let known = store.places(Scope::Organisation(org)).await?;
    let plan = match resolve(org, parsed.rows, &known) {
        Ok(plan) => Some(plan),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    errors.sort_by_key(|e| e.row);
    let (people, places) = plan
        .as_ref()
        .map_or((0, 0), |p| (p.people.len(), p.places.len()));
    let mut report = ImportReport {
        mode,
        written: false,
        rows: sheet.lines.len(),
        people,
        places,
        sample,
        errors,
    };
    if mode == Mode::Preview {
        return Ok(report);
    }
    let Some(plan) = plan.filter(|_| report.errors.is_empty()) else {
        return Err(ImportError::Rows(report.errors));
    };
    let made = store.import_people(actor, org, &plan).await?;
    report.written = true;
    report.people = made.people;
    report.places = made.places;
    Ok(report)
}
