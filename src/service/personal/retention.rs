//! The retention job: people with no service for the period are anonymised
//! and drivers' notes older than the period are cleared. Run once a day by
//! the server and by `giro admin retention [--dry-run]`.

use chrono::NaiveDate;

use crate::domain::Id;
use crate::service::ServiceError;
use crate::store::{Actor, Store};

/// The period when `GIRO_RETENTION_DAYS` is not set: two years.
pub const DEFAULT_DAYS: u32 = 730;

/// `GIRO_RETENTION_DAYS`, a whole number of days from 30 to 36500.
pub fn period_from_env() -> Result<u32, String> {
    match std::env::var("GIRO_RETENTION_DAYS") {
        Err(_) => Ok(DEFAULT_DAYS),
        Ok(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (30..=36500).contains(d))
            .ok_or_else(|| {
                format!("GIRO_RETENTION_DAYS: {v:?} is not a number of days from 30 to 36500")
            }),
    }
}

/// What a run did, or with `dry_run` would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The first day still inside the period.
    pub cutoff: NaiveDate,
    pub anonymised: Vec<Id>,
    pub notes_cleared: u64,
    pub dry_run: bool,
}

/// People recorded before `today - period` with no request on or after it
/// are anonymised; drivers' notes of dates before it are cleared.
pub async fn run(
    store: &Store,
    today: NaiveDate,
    period_days: u32,
    dry_run: bool,
) -> Result<Report, ServiceError> {
    let cutoff = today - chrono::Days::new(u64::from(period_days));
    let people = store.people_unserved_since(cutoff).await?;
    let system = Actor(None);
    if !dry_run {
        // One transaction per person: a failure leaves the others done.
        for &id in &people {
            store.anonymise_person(system, id).await?;
        }
    }
    let notes_cleared = store.old_event_notes(system, cutoff, !dry_run).await?;
    Ok(Report {
        cutoff,
        anonymised: people,
        notes_cleared,
        dry_run,
    })
}

/// Runs the job once a day from now on, logging what it did.
pub async fn daily(store: Store, period_days: u32) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        every.tick().await;
        let today = chrono::Local::now().date_naive();
        match run(&store, today, period_days, false).await {
            Ok(r) => tracing::info!(
                "retention: {} people anonymised, {} drivers' notes cleared (before {})",
                r.anonymised.len(),
                r.notes_cleared,
                r.cutoff
            ),
            Err(e) => tracing::warn!("retention: {e}"),
        }
    }
}
