use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::{Actor, Scope, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, Invalid, Place, PlaceInput};

const COLUMNS: &str = "id, organisation_id, name, address, lat, lon, kind";

fn decode(r: &AnyRow) -> Result<Place, StoreError> {
    Ok(Place {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        name: r.try_get("name")?,
        address: r.try_get("address")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        kind: r.try_get("kind")?,
    })
}

/// Public places are seen by all; a home only by its association and the planners.
pub(crate) async fn visible_place(tx: &mut Tx, scope: Scope, id: Id) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT organisation_id FROM places WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        None => false,
        Some(r) => {
            let org: Option<Id> = r.try_get("organisation_id")?;
            org.is_none() || scope.allows(org)
        }
    })
}

async fn check_refs(tx: &mut Tx, input: &PlaceInput) -> Result<(), StoreError> {
    if let Some(o) = input.organisation_id {
        if !exists(tx, "organisations", o).await? {
            return Err(Invalid::one("organisation_id", "no such organisation").into());
        }
    }
    Ok(())
}

impl Store {
    pub async fn places(&self, scope: Scope) -> Result<Vec<Place>, StoreError> {
        let rows = match scope {
            Scope::All => {
                sqlx::query(&format!("SELECT {COLUMNS} FROM places ORDER BY id"))
                    .fetch_all(&self.pool)
                    .await?
            }
            Scope::Organisation(o) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM places \
                     WHERE organisation_id IS NULL OR organisation_id = $1 ORDER BY id"
                ))
                .bind(o)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(decode).collect()
    }

    pub async fn place(&self, scope: Scope, id: Id) -> Result<Place, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM places WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("place"))?;
        let place = decode(&row)?;
        if place.organisation_id.is_some() && !scope.allows(place.organisation_id) {
            return Err(StoreError::NotFound("place"));
        }
        Ok(place)
    }

    pub async fn create_place(
        &self,
        actor: Actor,
        input: &PlaceInput,
    ) -> Result<Place, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, input).await?;
        let id = insert_place(&mut tx, actor, input, None).await?;
        tx.commit().await?;
        self.place(Scope::All, id).await
    }

    pub async fn update_place(
        &self,
        actor: Actor,
        id: Id,
        input: &PlaceInput,
    ) -> Result<Place, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, input).await?;
        // A home changes hands only with nobody of another association living there.
        let residents = sqlx::query("SELECT organisation_id FROM people WHERE home_place_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        for r in &residents {
            let org: Id = r.try_get("organisation_id")?;
            if input.organisation_id != Some(org) {
                return Err(Invalid::one(
                    "organisation_id",
                    "people of another association live here: move them first",
                )
                .into());
            }
        }
        let n = sqlx::query(
            "UPDATE places SET organisation_id = $1, name = $2, address = $3, lat = $4, \
             lon = $5, kind = $6 WHERE id = $7",
        )
        .bind(input.organisation_id)
        .bind(&input.name)
        .bind(&input.address)
        .bind(input.lat)
        .bind(input.lon)
        .bind(&input.kind)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("place"));
        }
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Place,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.place(Scope::All, id).await
    }

    pub async fn delete_place(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(actor, "places", crate::domain::AuditEntity::Place, id)
            .await
    }
}

/// A new place with its audit line (`detail`: where it came from), in the
/// caller's transaction: one home for a place's insert.
pub(super) async fn insert_place(
    tx: &mut Tx,
    actor: Actor,
    input: &PlaceInput,
    detail: Option<String>,
) -> Result<Id, StoreError> {
    let id: Id = sqlx::query(
        "INSERT INTO places (organisation_id, name, address, lat, lon, kind) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(input.organisation_id)
    .bind(&input.name)
    .bind(&input.address)
    .bind(input.lat)
    .bind(input.lon)
    .bind(&input.kind)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    record(
        tx,
        actor,
        AuditAction::Create,
        AuditEntity::Place,
        Some(id),
        detail,
    )
    .await?;
    Ok(id)
}
