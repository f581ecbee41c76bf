//! Each rider's eligibility, one row per person; a person without a row has
//! declared nothing. Read and written through the person's scope.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::{Actor, Scope, Store, StoreError};
use crate::domain::eligibility::{Eligibility, EligibilityInput, IseeBand, L104};
use crate::domain::Id;
use crate::domain::{AuditAction, AuditEntity};

fn decode(r: &AnyRow) -> Result<Eligibility, StoreError> {
    let band: String = r.try_get("isee_band")?;
    let l104: String = r.try_get("l104")?;
    Ok(Eligibility {
        person_id: r.try_get("person_id")?,
        isee_band: IseeBand::parse(&band)
            .ok_or_else(|| StoreError::Corrupt(format!("isee band {band:?}")))?,
        l104: L104::parse(&l104).ok_or_else(|| StoreError::Corrupt(format!("l104 {l104:?}")))?,
        social_plan: r.try_get::<i64, _>("social_plan")? != 0,
        plan_reference: r.try_get("plan_reference")?,
    })
}

const COLUMNS: &str = "person_id, isee_band, l104, social_plan, plan_reference";

impl Store {
    /// The eligibility of person `id`, seen through `scope` (404 outside it).
    pub async fn eligibility(&self, scope: Scope, id: Id) -> Result<Eligibility, StoreError> {
        self.person(scope, id).await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM eligibility WHERE person_id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map_or(Ok(Eligibility::undeclared(id)), decode)
    }

    /// Everyone's declared eligibility, by person; the others declared nothing.
    pub async fn eligibilities(&self) -> Result<HashMap<Id, Eligibility>, StoreError> {
        sqlx::query(&format!("SELECT {COLUMNS} FROM eligibility"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| decode(r).map(|e| (e.person_id, e)))
            .collect()
    }

    /// Replaces the eligibility of person `id` (in `scope`), with its audit line.
    pub async fn set_eligibility(
        &self,
        actor: Actor,
        scope: Scope,
        id: Id,
        input: &EligibilityInput,
    ) -> Result<Eligibility, StoreError> {
        self.person(scope, id).await?;
        let e = input.for_person(id);
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO eligibility (person_id, isee_band, l104, social_plan, plan_reference) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id) DO UPDATE SET \
             isee_band = excluded.isee_band, l104 = excluded.l104, \
             social_plan = excluded.social_plan, plan_reference = excluded.plan_reference",
        )
        .bind(id)
        .bind(e.isee_band.as_str())
        .bind(e.l104.as_str())
        .bind(i64::from(e.social_plan))
        .bind(&e.plan_reference)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Eligibility,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(e)
    }
}
