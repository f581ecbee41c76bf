//! Subject access (GDPR art. 15): everything giro holds on one person, as
//! one document for the API (JSON) and the printable page. Reading it is
//! itself audited (`export`).

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::eligibility::Eligibility;
use crate::domain::meals::MealRecipient;
use crate::domain::{
    AuditAction, AuditEntity, Id, Person, Place, Request, StandingOrder, StopEvent,
};
use crate::service::ServiceError;
use crate::store::{Actor, AuditEntry, AuditFilter, Scope, Store};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubjectAccess {
    /// When the export was made (UTC).
    pub made_at: String,
    pub person: Person,
    /// The person's home and every place their requests go to or from.
    pub places: Vec<Place>,
    pub eligibility: Eligibility,
    pub requests: Vec<Request>,
    pub standing_orders: Vec<StandingOrder>,
    /// Meals: the weekly plan, diets, holds.
    pub meal_settings: Vec<MealRecipient>,
    /// What drivers reported at the stops of the person's requests.
    pub stop_events: Vec<StopEvent>,
    /// Every audit line about the person's record (this export's included).
    pub audit: Vec<AuditEntry>,
}

/// The export of person `id` as `scope` sees them; the line is written
/// before the audit lines are read, so the export lists itself.
pub async fn export(
    store: &Store,
    actor: Actor,
    scope: Scope,
    id: Id,
) -> Result<SubjectAccess, ServiceError> {
    let person = store.person(scope, id).await?;
    store
        .note(
            actor,
            AuditAction::Export,
            AuditEntity::Person,
            Some(id),
            None,
        )
        .await?;
    let requests = store.requests_of_person(id).await?;
    let mut place_ids = vec![person.home_place_id];
    for r in &requests {
        place_ids.extend([r.from_place_id, r.to_place_id]);
    }
    place_ids.sort_unstable();
    place_ids.dedup();
    let mut places = Vec::new();
    for p in place_ids {
        places.push(store.place(Scope::All, p).await?);
    }
    let standing_orders = store
        .standing_orders(Scope::All)
        .await?
        .into_iter()
        .filter(|o| o.person_id == id)
        .collect();
    let meal_settings = store
        .meal_recipients(Scope::All)
        .await?
        .into_iter()
        .filter(|r| r.person_id == id)
        .collect();
    let audit = store
        .audit_lines(
            &AuditFilter {
                entity: Some(AuditEntity::Person),
                entity_id: Some(id),
                ..AuditFilter::default()
            },
            100_000,
        )
        .await?;
    Ok(SubjectAccess {
        made_at: crate::store::now_text(),
        eligibility: store.eligibility(Scope::All, id).await?,
        stop_events: store.events_of_person(id).await?,
        person,
        places,
        requests,
        standing_orders,
        meal_settings,
        audit,
    })
}
