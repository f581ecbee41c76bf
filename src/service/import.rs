//! Importing a spreadsheet: read and check every row (`domain::import`),
//! resolve the homes against the association's places, then either show
//! what would be written (preview) or write it all in one transaction
//! (commit). A commit with any faulty row writes nothing.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::import::homes::resolve;
use crate::domain::import::people::{self, PersonRow};
use crate::domain::import::{read, RowError};
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
