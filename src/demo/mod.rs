//! The demo day (`data/demo`): a day of social services in Sestri Levante, put
//! into a store through its public methods, with the vehicles' shifts covered
//! by the volunteers and one login for every role.
//!
//! The JSON files name their records by short kebab-case keys. The keys only
//! resolve references between the files; the store gives every record an id.
//! All references are resolved and every input is validated before the first
//! write, so a broken file leaves the store untouched.

mod at;
mod donors;
mod files;
mod inputs;
mod meals;
mod publish;
mod requests;
mod resolve;
mod shifts;
mod standing;
mod write;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::domain::{holiday, Invalid, Role};
use crate::service::drivers::DriverError;
use crate::store::{Store, StoreError};

use files::{DayJson, OrgJson, PersonJson, PlaceJson, VehicleJson, VolunteerJson};
use resolve::Refs;

pub use publish::{publish, DriverLogin, Published};

/// The one password of every demo user.
pub const PASSWORD: &str = "sestri-levante-demo";
/// The e-mail domain of the demo users.
pub const EMAIL_DOMAIN: &str = "giro.demo";

/// A user the demo created, with the password to log in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub password: String,
    pub name: String,
}

/// What [`load`] put into the store.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub date: NaiveDate,
    /// Admin, dispatcher, one member per association, one driver per volunteer.
    pub logins: Vec<DemoLogin>,
    /// Rides (with their ways back), meals and collections on `date`.
    pub requests: usize,
    pub shifts: usize,
}

#[derive(thiserror::Error, Debug)]
pub enum DemoError {
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not JSON, or not the shape expected; `at` is the JSON path, `key` the
    /// key of the record it falls in.
    #[error("{}: {}", .path.display(), json_detail(.at, .key, .message))]
    Json {
        path: PathBuf,
        at: String,
        key: Option<String>,
        message: String,
    },
    #[error("{file}: the key {key:?} is used more than once")]
    DuplicateKey { file: &'static str, key: String },
    /// A reference to a key that the file it points into does not hold.
    #[error("{file}: {key:?}: {field} {target:?} is not a key in {target_file}")]
    UnknownKey {
        file: &'static str,
        key: String,
        field: &'static str,
        target: String,
        target_file: &'static str,
    },
    /// A record that resolves but makes no sense (a home that is not a home…).
    #[error("{file}: {key:?}: {message}")]
    Bad {
        file: &'static str,
        key: String,
        message: String,
    },
    /// The input built from a record fails its `validate()`.
    #[error("{file}: {key:?}: {source}")]
    Invalid {
        file: &'static str,
        key: String,
        #[source]
        source: Invalid,
    },
    /// The store refused to write a record.
    #[error("{file}: {key:?}: {source}")]
    Rejected {
        file: &'static str,
        key: String,
        #[source]
        source: crate::service::ServiceError,
    },
    #[error("the demo is already loaded in this database ({0} exists)")]
    AlreadyLoaded(String),
    /// A demo user the loader made is not in the store.
    #[error("the demo user {0} is missing")]
    Missing(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Driver(#[from] DriverError),
    #[error(transparent)]
    ShuttingDown(#[from] crate::blocking::ShuttingDown),
}

fn json_detail(at: &str, key: &Option<String>, message: &str) -> String {
    match (at.is_empty(), key) {
        (true, _) => message.to_string(),
        (false, None) => format!("at {at}: {message}"),
        (false, Some(k)) => format!("at {at} (key {k:?}): {message}"),
    }
}

/// `data/demo` next to Cargo.toml, or the folder named by `GIRO_DEMO_DIR`.
pub fn default_dir() -> PathBuf {
    match std::env::var_os("GIRO_DEMO_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("demo"),
    }
}

/// Reads the demo files in `dir` and writes them into `store` for `date`:
/// organisations, places, people, vehicles, volunteers, the day's shifts and
/// requests, and the demo users. Expects a store without the demo in it.
pub async fn load(store: &Store, dir: &Path, date: NaiveDate) -> Result<Loaded, DemoError> {
    let demo = Demo::read(dir)?;
    demo.check(date)?;
    let admin = email("admin");
    if store.user_for_login(&admin).await?.is_some() {
        return Err(DemoError::AlreadyLoaded(admin));
    }
    demo.write(store, date).await
}

/// The first day from `from` on which the demo's meal service runs (a weekday
/// its recipients are served, not a national holiday). The demo shows rides,
/// meals and collections together; on a Sunday or a holiday the kitchen is
/// closed and there would be no meals to plan.
pub fn service_day(dir: &Path, from: NaiveDate) -> Result<NaiveDate, DemoError> {
    let demo = Demo::read(dir)?;
    let runs = |d: NaiveDate| {
        holiday(d).is_none() && demo.day.meals.iter().any(|m| m.days.contains(d.weekday()))
    };
    Ok(from.iter_days().take(15).find(|&d| runs(d)).unwrap_or(from))
}

/// The files, read, with every reference resolved.
struct Demo {
    orgs: Vec<OrgJson>,
    places: Vec<PlaceJson>,
    people: Vec<PersonJson>,
    vehicles: Vec<VehicleJson>,
    volunteers: Vec<VolunteerJson>,
    day: DayJson,
    refs: Refs,
}

fn email(local: &str) -> String {
    format!("{local}@{EMAIL_DOMAIN}")
}
