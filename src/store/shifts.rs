use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::{clock, parse_date, Actor, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, Invalid, RequestKind, Shift, ShiftInput, Window};

const COLUMNS: &str = "id, date, vehicle_id, volunteer_id, start_min, end_min, serves";

/// The services of a shift as stored: kinds joined by commas.
fn serves_text(kinds: &[RequestKind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn decode(r: &AnyRow) -> Result<Shift, StoreError> {
    let date: String = r.try_get("date")?;
    let serves: String = r.try_get("serves")?;
    let serves = serves
        .split(',')
        .filter(|k| !k.is_empty())
        .map(|k| {
            RequestKind::parse(k).ok_or_else(|| StoreError::Corrupt(format!("shift serves {k:?}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(Shift {
        id: r.try_get("id")?,
        date: parse_date(&date)?,
        vehicle_id: r.try_get("vehicle_id")?,
        volunteer_id: r.try_get("volunteer_id")?,
        window: Window::new(
            clock(r.try_get("start_min")?)?,
            clock(r.try_get("end_min")?)?,
        ),
        serves,
    })
}

/// One vehicle cannot be in two shifts at once; a volunteer cannot drive two.
async fn check_refs(tx: &mut Tx, id: Option<Id>, input: &ShiftInput) -> Result<(), StoreError> {
    // Overlap checks read then write: one writer per date at a time.
    super::plans::lock_date(tx, &input.date.to_string()).await?;
    if !exists(tx, "vehicles", input.vehicle_id).await? {
        return Err(Invalid::one("vehicle_id", "no such vehicle").into());
    }
    if let Some(v) = input.volunteer_id {
        if !exists(tx, "volunteers", v).await? {
            return Err(Invalid::one("volunteer_id", "no such volunteer").into());
        }
        let allowed = sqlx::query(
            "SELECT 1 FROM volunteer_vehicles WHERE volunteer_id = $1 AND vehicle_id = $2",
        )
        .bind(v)
        .bind(input.vehicle_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
        if !allowed {
            return Err(
                Invalid::one("volunteer_id", "this volunteer may not drive this vehicle").into(),
            );
        }
    }
    let others = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM shifts WHERE date = $1 AND id <> $2"
    ))
    .bind(input.date.to_string())
    .bind(id.unwrap_or(-1))
    .fetch_all(&mut **tx)
    .await?;
    for r in &others {
        let s = decode(r)?;
        let overlap = s.window.start < input.window.end && input.window.start < s.window.end;
        if overlap && s.vehicle_id == input.vehicle_id {
            return Err(Invalid::one(
                "window",
                format!("overlaps shift {} of the same vehicle", s.id),
            )
            .into());
        }
        if overlap && input.volunteer_id.is_some() && s.volunteer_id == input.volunteer_id {
            return Err(Invalid::one(
                "volunteer_id",
                format!("already drives shift {} at that time", s.id),
            )
            .into());
        }
    }
    Ok(())
}

impl Store {
    pub async fn shifts(&self, date: Option<NaiveDate>) -> Result<Vec<Shift>, StoreError> {
        let rows = match date {
            None => {
                sqlx::query(&format!("SELECT {COLUMNS} FROM shifts ORDER BY date, id"))
                    .fetch_all(&self.pool)
                    .await?
            }
            Some(d) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM shifts WHERE date = $1 ORDER BY id"
                ))
                .bind(d.to_string())
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(decode).collect()
    }

    pub async fn shift(&self, id: Id) -> Result<Shift, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM shifts WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("shift"))?;
        decode(&row)
    }

    pub async fn create_shift(
        &self,
        actor: Actor,
        input: &ShiftInput,
    ) -> Result<Shift, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, None, input).await?;
        let id: Id = sqlx::query(
            "INSERT INTO shifts (date, vehicle_id, volunteer_id, start_min, end_min, serves) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(input.date.to_string())
        .bind(input.vehicle_id)
        .bind(input.volunteer_id)
        .bind(input.window.start.minutes())
        .bind(input.window.end.minutes())
        .bind(serves_text(&input.serves))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::Shift,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.shift(id).await
    }

    pub async fn update_shift(
        &self,
        actor: Actor,
        id: Id,
        input: &ShiftInput,
    ) -> Result<Shift, StoreError> {
        let mut tx = self.begin().await?;
        if !exists(&mut tx, "shifts", id).await? {
            return Err(StoreError::NotFound("shift"));
        }
        check_refs(&mut tx, Some(id), input).await?;
        sqlx::query(
            "UPDATE shifts SET date = $1, vehicle_id = $2, volunteer_id = $3, start_min = $4, \
             end_min = $5, serves = $7 WHERE id = $6",
        )
        .bind(input.date.to_string())
        .bind(input.vehicle_id)
        .bind(input.volunteer_id)
        .bind(input.window.start.minutes())
        .bind(input.window.end.minutes())
        .bind(id)
        .bind(serves_text(&input.serves))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Shift,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.shift(id).await
    }

    pub async fn delete_shift(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(actor, "shifts", crate::domain::AuditEntity::Shift, id)
            .await
    }
}
