//! Storage: SQLite by default, PostgreSQL for a `postgres://` URL. One query set
//! with `$n` placeholders and portable types runs on both through sqlx's Any driver.

mod anonymise;
mod audit;
mod calendar;
mod closing_days;
mod db;
mod driver_links;
mod eligibility;
mod error;
mod events;
mod generated;
mod health;
mod import;
mod liveness;
mod manifest;
mod meals;
mod organisations;
mod owned;
mod people;
mod places;
mod plans;
mod reports;
mod request_status;
mod requests;
mod retention;
mod sessions;
mod settings;
pub use settings::Setting;
mod shifts;
mod solves;
mod standing_orders;
mod surplus;
mod users;
mod vehicle_blocks;
mod vehicles;
mod volunteers;

pub use audit::{AuditEntry, AuditFilter};
pub use db::{Backend, Store, Tx};
pub use driver_links::LinkHolder;
pub use error::StoreError;
pub use events::{KeyedStop, Stored};
pub use health::{PoolStats, Readiness};
pub use import::Made;
pub use liveness::Claim;
pub use meals::MealDayRow;
pub use request_status::Marks;
pub use sessions::{Session, TokenInfo};
pub use solves::{Heartbeat, SolveRecord, SolveStatus, Started};

use crate::domain::Id;

/// Which rows a caller may see: everything, or one association's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Organisation(Id),
}

impl Scope {
    pub fn allows(self, organisation_id: Option<Id>) -> bool {
        match self {
            Scope::All => true,
            Scope::Organisation(o) => organisation_id == Some(o),
        }
    }
}

/// Who did a write, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Actor(pub Option<Id>);

/// Now as stored (RFC 3339, UTC, milliseconds), for documents that say when they were made.
pub fn now_text() -> String {
    now()
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_instant(s: &str) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| StoreError::Corrupt(format!("bad instant {s:?}: {e}")))
}

pub(crate) fn parse_date(s: &str) -> Result<chrono::NaiveDate, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("bad date {s:?}: {e}")))
}

pub(crate) fn clock(m: i64) -> Result<crate::domain::Clock, StoreError> {
    crate::domain::Clock::from_minutes(m)
        .ok_or_else(|| StoreError::Corrupt(format!("bad time of day {m}")))
}

pub(crate) fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("bad JSON column: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}
