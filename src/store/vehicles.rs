use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::{clock, json, to_json, Actor, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, Invalid, Vehicle, VehicleInput, Window};

const COLUMNS: &str = "id, name, depot_place_id, skills, layouts, available_start, available_end, \
     active, owner_organisation_id, pooled";

fn decode(r: &AnyRow) -> Result<Vehicle, StoreError> {
    let skills: String = r.try_get("skills")?;
    let layouts: String = r.try_get("layouts")?;
    let active: i64 = r.try_get("active")?;
    let pooled: i64 = r.try_get("pooled")?;
    Ok(Vehicle {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        depot_place_id: r.try_get("depot_place_id")?,
        skills: json(&skills)?,
        layouts: json(&layouts)?,
        available: Window::new(
            clock(r.try_get("available_start")?)?,
            clock(r.try_get("available_end")?)?,
        ),
        active: active != 0,
        owner_organisation_id: r.try_get("owner_organisation_id")?,
        pooled: pooled != 0,
    })
}

async fn check_refs(tx: &mut Tx, input: &VehicleInput) -> Result<(), StoreError> {
    if !exists(tx, "places", input.depot_place_id).await? {
        return Err(Invalid::one("depot_place_id", "no such place").into());
    }
    if let Some(o) = input.owner_organisation_id {
        super::vehicle_blocks::check_association(tx, o, "owner_organisation_id").await?;
    }
    Ok(())
}

impl Store {
    pub async fn vehicles(&self) -> Result<Vec<Vehicle>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM vehicles ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    pub async fn vehicle(&self, id: Id) -> Result<Vehicle, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM vehicles WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("vehicle"))?;
        decode(&row)
    }

    pub async fn create_vehicle(
        &self,
        actor: Actor,
        input: &VehicleInput,
    ) -> Result<Vehicle, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, input).await?;
        let id: Id = sqlx::query(
            "INSERT INTO vehicles (name, depot_place_id, skills, layouts, available_start, \
             available_end, active, owner_organisation_id, pooled) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&input.name)
        .bind(input.depot_place_id)
        .bind(to_json(&input.skills))
        .bind(to_json(&input.layouts))
        .bind(input.available.start.minutes())
        .bind(input.available.end.minutes())
        .bind(i64::from(input.active))
        .bind(input.owner_organisation_id)
        .bind(i64::from(input.pooled))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::Vehicle,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.vehicle(id).await
    }

    pub async fn update_vehicle(
        &self,
        actor: Actor,
        id: Id,
        input: &VehicleInput,
    ) -> Result<Vehicle, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, input).await?;
        let n = sqlx::query(
            "UPDATE vehicles SET name = $1, depot_place_id = $2, skills = $3, layouts = $4, \
             available_start = $5, available_end = $6, active = $7, owner_organisation_id = $8, \
             pooled = $9 WHERE id = $10",
        )
        .bind(&input.name)
        .bind(input.depot_place_id)
        .bind(to_json(&input.skills))
        .bind(to_json(&input.layouts))
        .bind(input.available.start.minutes())
        .bind(input.available.end.minutes())
        .bind(i64::from(input.active))
        .bind(input.owner_organisation_id)
        .bind(i64::from(input.pooled))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("vehicle"));
        }
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Vehicle,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.vehicle(id).await
    }

    pub async fn delete_vehicle(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(actor, "vehicles", crate::domain::AuditEntity::Vehicle, id)
            .await
    }
}
