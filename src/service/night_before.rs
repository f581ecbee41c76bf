//! The night-before list: each association's rides of a date in the
//! published plan, and sending it to the association's members through a
//! `NightBeforeSender` (by default the log; by e-mail with the `smtp` feature).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::{AppState, ServiceError};
use crate::domain::night_before::{self, NightBeforeList};
use crate::domain::{Id, OrgKind, Role};
use crate::store::{Scope, Store};

#[derive(Debug, thiserror::Error)]
#[error("sending the night-before list: {0}")]
pub struct SendError(pub String);

/// Where a night-before list goes. Boxed futures keep it object safe, so
/// the state holds the one chosen at start-up.
pub trait NightBeforeSender: Send + Sync {
    /// Short name, reported with what was sent.
    fn name(&self) -> &'static str;

    /// Sends `list` (and its CSV) to the association's members at `to`.
    fn send<'a>(
        &'a self,
        list: &'a NightBeforeList,
        csv: &'a str,
        to: &'a [String],
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;
}

/// The default: the list goes to the log, for whoever rings the riders.
pub struct LogSender;

impl NightBeforeSender for LogSender {
    fn name(&self) -> &'static str {
        "log"
    }

    fn send<'a>(
        &'a self,
        list: &'a NightBeforeList,
        csv: &'a str,
        to: &'a [String],
    ) -> Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>> {
        Box::pin(async move {
            tracing::info!(
                date = %list.date,
                organisation = list.organisation_id,
                rides = list.rows.len(),
                recipients = to.len(),
                "night-before list\n{csv}"
            );
            Ok(())
        })
    }
}

/// Association `org`'s list for `date`; 404 for an unknown organisation.
pub async fn list(
    store: &Store,
    date: NaiveDate,
    org: Id,
) -> Result<NightBeforeList, ServiceError> {
    let organisation = store.organisation(Scope::All, org).await?;
    let scope = Scope::Organisation(org);
    let requests = store.requests(scope, Some(date)).await?;
    let people: HashMap<_, _> = store
        .people(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let places: HashMap<_, _> = store
        .places(scope)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(NightBeforeList {
        date,
        organisation_id: org,
        organisation: organisation.name,
        published: store.published_plan(date).await?.is_some(),
        rows: night_before::rows(&requests, &people, &places),
    })
}

/// What one sending did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Sent {
    pub organisation_id: Id,
    pub rides: usize,
    /// Active members of the association it went to.
    pub recipients: usize,
    /// `log` or `smtp`.
    pub via: String,
}

/// Sends the lists of `date`: association `org`'s, or every association's
/// with rides in the published plan. Nothing is sent before publishing.
pub async fn send(
    state: &AppState,
    date: NaiveDate,
    org: Option<Id>,
) -> Result<Vec<Sent>, ServiceError> {
    let store = &state.store;
    if store.published_plan(date).await?.is_none() {
        return Err(ServiceError::Conflict(format!(
            "{date} has no published plan: publish it first"
        )));
    }
    let orgs: Vec<Id> = match org {
        Some(o) => vec![store.organisation(Scope::All, o).await?.id],
        None => store
            .organisations(Scope::All)
            .await?
            .into_iter()
            .filter(|o| o.kind == OrgKind::Association)
            .map(|o| o.id)
            .collect(),
    };
    let users = store.users().await?;
    let mut sent = Vec::new();
    for o in orgs {
        let list = list(store, date, o).await?;
        if org.is_none() && list.rows.is_empty() {
            continue;
        }
        let to: Vec<String> = users
            .iter()
            .filter(|u| u.active && u.role == Role::Member && u.organisation_id == Some(o))
            .map(|u| u.email.clone())
            .collect();
        let csv = crate::csv::night_before(&list);
        state
            .night_before
            .send(&list, &csv, &to)
            .await
            .map_err(|e| ServiceError::Busy(e.to_string()))?;
        sent.push(Sent {
            organisation_id: o,
            rides: list.rows.len(),
            recipients: to.len(),
            via: state.night_before.name().into(),
        });
    }
    Ok(sent)
}
