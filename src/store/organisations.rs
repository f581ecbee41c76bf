use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::{Actor, Scope, Store, StoreError};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, OrgKind, Organisation, OrganisationInput};

fn decode(r: &AnyRow) -> Result<Organisation, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(Organisation {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind: match kind.as_str() {
            "municipality" => OrgKind::Municipality,
            _ => OrgKind::Association,
        },
    })
}

impl Store {
    pub async fn organisations(&self, scope: Scope) -> Result<Vec<Organisation>, StoreError> {
        let rows = match scope {
            Scope::All => {
                sqlx::query("SELECT id, name, kind FROM organisations ORDER BY id")
                    .fetch_all(&self.pool)
                    .await?
            }
            Scope::Organisation(o) => {
                sqlx::query("SELECT id, name, kind FROM organisations WHERE id = $1")
                    .bind(o)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(decode).collect()
    }

    pub async fn organisation(&self, scope: Scope, id: Id) -> Result<Organisation, StoreError> {
        if !scope.allows(Some(id)) {
            return Err(StoreError::NotFound("organisation"));
        }
        let row = sqlx::query("SELECT id, name, kind FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("organisation"))?;
        decode(&row)
    }

    pub async fn create_organisation(
        &self,
        actor: Actor,
        input: &OrganisationInput,
    ) -> Result<Organisation, StoreError> {
        let mut tx = self.begin().await?;
        let id: Id =
            sqlx::query("INSERT INTO organisations (name, kind) VALUES ($1, $2) RETURNING id")
                .bind(&input.name)
                .bind(input.kind.as_str())
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::Organisation,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.organisation(Scope::All, id).await
    }

    pub async fn update_organisation(
        &self,
        actor: Actor,
        id: Id,
        input: &OrganisationInput,
    ) -> Result<Organisation, StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE organisations SET name = $1, kind = $2 WHERE id = $3")
            .bind(&input.name)
            .bind(input.kind.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("organisation"));
        }
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Organisation,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.organisation(Scope::All, id).await
    }

    pub async fn delete_organisation(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(
            actor,
            "organisations",
            crate::domain::AuditEntity::Organisation,
            id,
        )
        .await
    }
}
