//! Anonymising a person: planners and admins only. A member books for its
//! association's people but the step cannot be undone and changes what the
//! municipality's reports name, so the association asks the municipality.

use crate::domain::{Id, Person};
use crate::service::ServiceError;
use crate::store::{Actor, Scope, Store};

/// What anonymising did: the person as they now stand, and whether this
/// call changed anything (a second call changes nothing).
pub struct Anonymised {
    pub person: Person,
    pub changed: bool,
}

pub async fn anonymise(store: &Store, actor: Actor, id: Id) -> Result<Anonymised, ServiceError> {
    let changed = store.anonymise_person(actor, id).await?;
    let person = store.person(Scope::All, id).await?;
    Ok(Anonymised { person, changed })
}
