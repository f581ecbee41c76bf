//! Records that belong to one organisation: people, meal recipients,
//! standing orders and requests. An association reads only its own, and a
//! record outside its scope is "not found" (never "forbidden"), so another
//! association's ids say nothing. Each kind names its table once
//! ([`Owned`]); one list and one read serve all.

use sqlx::any::AnyRow;

use super::{Scope, Store, StoreError};
use crate::domain::Id;

pub(crate) trait Owned: Sized {
    const TABLE: &'static str;
    /// The columns `decode` reads.
    const COLUMNS: &'static str;
    /// What a "not found" names.
    const NAME: &'static str;
    fn decode(row: &AnyRow) -> Result<Self, StoreError>;
    fn organisation(&self) -> Id;
}

impl Store {
    /// Every record of the kind in `scope`, by id.
    pub(crate) async fn owned<T: Owned>(&self, scope: Scope) -> Result<Vec<T>, StoreError> {
        // Ids are positive: -1 stands for every organisation, so both scopes
        // are one statement.
        let org = match scope {
            Scope::All => -1,
            Scope::Organisation(o) => o,
        };
        sqlx::query(&format!(
            "SELECT {} FROM {} WHERE ($1 < 0 OR organisation_id = $1) ORDER BY id",
            T::COLUMNS,
            T::TABLE
        ))
        .bind(org)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(T::decode)
        .collect()
    }

    /// One record, not found when outside `scope`.
    pub(crate) async fn owned_one<T: Owned>(&self, scope: Scope, id: Id) -> Result<T, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM {} WHERE id = $1",
            T::COLUMNS,
            T::TABLE
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound(T::NAME))?;
        let record = T::decode(&row)?;
        if !scope.allows(Some(record.organisation())) {
            return Err(StoreError::NotFound(T::NAME));
        }
        Ok(record)
    }
}
