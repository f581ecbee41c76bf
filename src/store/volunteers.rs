use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::{clock, Actor, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, Invalid, Volunteer, VolunteerInput, Window};

const COLUMNS: &str = "id, name, phone, available_start, available_end";

async fn decode(pool: &sqlx::AnyPool, r: &AnyRow) -> Result<Volunteer, StoreError> {
    let id: Id = r.try_get("id")?;
    let vehicle_ids = sqlx::query(
        "SELECT vehicle_id FROM volunteer_vehicles WHERE volunteer_id = $1 ORDER BY vehicle_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| r.try_get("vehicle_id"))
    .collect::<Result<_, _>>()?;
    Ok(Volunteer {
        id,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        available: Window::new(
            clock(r.try_get("available_start")?)?,
            clock(r.try_get("available_end")?)?,
        ),
        vehicle_ids,
    })
}

async fn write_vehicles(tx: &mut Tx, id: Id, input: &VolunteerInput) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM volunteer_vehicles WHERE volunteer_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (i, &v) in input.vehicle_ids.iter().enumerate() {
        if !exists(tx, "vehicles", v).await? {
            return Err(Invalid::one(format!("vehicle_ids[{i}]"), "no such vehicle").into());
        }
        sqlx::query("INSERT INTO volunteer_vehicles (volunteer_id, vehicle_id) VALUES ($1, $2)")
            .bind(id)
            .bind(v)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    pub async fn volunteers(&self) -> Result<Vec<Volunteer>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM volunteers ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(decode(&self.pool, r).await?);
        }
        Ok(out)
    }

    pub async fn volunteer(&self, id: Id) -> Result<Volunteer, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM volunteers WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("volunteer"))?;
        decode(&self.pool, &row).await
    }

    pub async fn create_volunteer(
        &self,
        actor: Actor,
        input: &VolunteerInput,
    ) -> Result<Volunteer, StoreError> {
        let mut tx = self.begin().await?;
        let id: Id = sqlx::query(
            "INSERT INTO volunteers (name, phone, available_start, available_end) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&input.name)
        .bind(&input.phone)
        .bind(input.available.start.minutes())
        .bind(input.available.end.minutes())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        write_vehicles(&mut tx, id, input).await?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::Volunteer,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.volunteer(id).await
    }

    pub async fn update_volunteer(
        &self,
        actor: Actor,
        id: Id,
        input: &VolunteerInput,
    ) -> Result<Volunteer, StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE volunteers SET name = $1, phone = $2, available_start = $3, \
             available_end = $4 WHERE id = $5",
        )
        .bind(&input.name)
        .bind(&input.phone)
        .bind(input.available.start.minutes())
        .bind(input.available.end.minutes())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("volunteer"));
        }
        write_vehicles(&mut tx, id, input).await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Volunteer,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.volunteer(id).await
    }

    pub async fn delete_volunteer(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(
            actor,
            "volunteers",
            crate::domain::AuditEntity::Volunteer,
            id,
        )
        .await
    }
}
