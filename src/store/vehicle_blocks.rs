//! Blocks on vehicles' calendars (`domain::vehicle_sharing`). A member reads
//! the blocks reserved for its association and those of vehicles it may
//! ride outside blocks (pooled or its own); planners read and write all.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::{clock, parse_date, Actor, Scope, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, Invalid, VehicleBlock, VehicleBlockInput, Window};

const COLUMNS: &str =
    "b.id, b.vehicle_id, b.date, b.start_min, b.end_min, b.organisation_id, b.note";

/// Rows a scope may read; `$1` is the member's organisation.
const VISIBLE: &str = "(b.organisation_id = $1 OR v.pooled <> 0 OR v.owner_organisation_id = $1)";

fn decode(r: &AnyRow) -> Result<VehicleBlock, StoreError> {
    let date: String = r.try_get("date")?;
    Ok(VehicleBlock {
        id: r.try_get("id")?,
        vehicle_id: r.try_get("vehicle_id")?,
        date: parse_date(&date)?,
        window: Window::new(
            clock(r.try_get("start_min")?)?,
            clock(r.try_get("end_min")?)?,
        ),
        organisation_id: r.try_get("organisation_id")?,
        note: r.try_get("note")?,
    })
}

/// `field` must name an association: the municipality needs no reservation
/// of its own (a block without one is the municipality's).
pub(super) async fn check_association(tx: &mut Tx, id: Id, field: &str) -> Result<(), StoreError> {
    let kind: Option<String> = sqlx::query("SELECT kind FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get("kind"))
        .transpose()?;
    match kind.as_deref() {
        None => Err(Invalid::one(field, "no such organisation").into()),
        Some("association") => Ok(()),
        Some(_) => {
            Err(Invalid::one(field, "must be an association (null: the municipality)").into())
        }
    }
}

/// The vehicle exists, the organisation is an association, and the block
/// overlaps no other block of the same vehicle on the date.
async fn check_refs(
    tx: &mut Tx,
    id: Option<Id>,
    input: &VehicleBlockInput,
) -> Result<(), StoreError> {
    // Overlap checks read then write: one writer per date at a time.
    super::plans::lock_date(tx, &input.date.to_string()).await?;
    if !exists(tx, "vehicles", input.vehicle_id).await? {
        return Err(Invalid::one("vehicle_id", "no such vehicle").into());
    }
    if let Some(o) = input.organisation_id {
        check_association(tx, o, "organisation_id").await?;
    }
    let others = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM vehicle_blocks b \
         WHERE b.date = $1 AND b.vehicle_id = $2 AND b.id <> $3"
    ))
    .bind(input.date.to_string())
    .bind(input.vehicle_id)
    .bind(id.unwrap_or(-1))
    .fetch_all(&mut **tx)
    .await?;
    for r in &others {
        let b = decode(r)?;
        if b.window.start < input.window.end && input.window.start < b.window.end {
            return Err(Invalid::one(
                "window",
                format!("overlaps block {} of the same vehicle", b.id),
            )
            .into());
        }
    }
    Ok(())
}

impl Store {
    pub async fn vehicle_blocks(
        &self,
        scope: Scope,
        date: Option<NaiveDate>,
    ) -> Result<Vec<VehicleBlock>, StoreError> {
        let mut filters = Vec::new();
        if let Scope::Organisation(_) = scope {
            filters.push(VISIBLE.to_string());
        }
        if date.is_some() {
            filters.push(format!("b.date = ${}", filters.len() + 1));
        }
        let filter = if filters.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", filters.join(" AND "))
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM vehicle_blocks b JOIN vehicles v ON v.id = b.vehicle_id \
             {filter} ORDER BY b.date, b.vehicle_id, b.start_min"
        );
        let mut q = sqlx::query(&sql);
        if let Scope::Organisation(o) = scope {
            q = q.bind(o);
        }
        if let Some(d) = date {
            q = q.bind(d.to_string());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(decode).collect()
    }

    pub async fn vehicle_block(&self, scope: Scope, id: Id) -> Result<VehicleBlock, StoreError> {
        let base = format!(
            "SELECT {COLUMNS} FROM vehicle_blocks b JOIN vehicles v ON v.id = b.vehicle_id WHERE"
        );
        let row = match scope {
            Scope::All => {
                sqlx::query(&format!("{base} b.id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
            }
            Scope::Organisation(o) => {
                sqlx::query(&format!("{base} {VISIBLE} AND b.id = $2"))
                    .bind(o)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        decode(&row.ok_or(StoreError::NotFound("vehicle block"))?)
    }

    pub async fn create_vehicle_block(
        &self,
        actor: Actor,
        input: &VehicleBlockInput,
    ) -> Result<VehicleBlock, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, None, input).await?;
        let id: Id = sqlx::query(
            "INSERT INTO vehicle_blocks (vehicle_id, date, start_min, end_min, organisation_id, \
             note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(input.vehicle_id)
        .bind(input.date.to_string())
        .bind(input.window.start.minutes())
        .bind(input.window.end.minutes())
        .bind(input.organisation_id)
        .bind(input.note.as_deref())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::VehicleBlock,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.vehicle_block(Scope::All, id).await
    }

    pub async fn update_vehicle_block(
        &self,
        actor: Actor,
        id: Id,
        input: &VehicleBlockInput,
    ) -> Result<VehicleBlock, StoreError> {
        let mut tx = self.begin().await?;
        if !exists(&mut tx, "vehicle_blocks", id).await? {
            return Err(StoreError::NotFound("vehicle block"));
        }
        check_refs(&mut tx, Some(id), input).await?;
        sqlx::query(
            "UPDATE vehicle_blocks SET vehicle_id = $1, date = $2, start_min = $3, end_min = $4, \
             organisation_id = $5, note = $6 WHERE id = $7",
        )
        .bind(input.vehicle_id)
        .bind(input.date.to_string())
        .bind(input.window.start.minutes())
        .bind(input.window.end.minutes())
        .bind(input.organisation_id)
        .bind(input.note.as_deref())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::VehicleBlock,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.vehicle_block(Scope::All, id).await
    }

    pub async fn delete_vehicle_block(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(
            actor,
            "vehicle_blocks",
            crate::domain::AuditEntity::VehicleBlock,
            id,
        )
        .await
    }
}
