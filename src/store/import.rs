//! An import's writes: every row in one transaction, or none.

use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::places::visible_place;
use super::{Actor, Scope, Store, StoreError};
use crate::domain::import::homes::{Home, Resolved};
use crate::domain::{Id, Invalid};

/// How many records an import made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Made {
    pub people: usize,
    pub places: usize,
}

impl Store {
    /// Writes the homes and then the people of `plan` for `org`, each with
    /// its audit line; a failure on any row rolls back them all.
    pub async fn import_people(
        &self,
        actor: Actor,
        org: Id,
        plan: &Resolved,
    ) -> Result<Made, StoreError> {
        let mut tx = self.begin().await?;
        if !exists(&mut tx, "organisations", org).await? {
            return Err(Invalid::one("organisation_id", "no such organisation").into());
        }
        let mut made = Vec::with_capacity(plan.places.len());
        for p in &plan.places {
            let id: Id = sqlx::query(
                "INSERT INTO places (organisation_id, name, address, lat, lon, kind) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(org)
            .bind(&p.name)
            .bind(&p.address)
            .bind(p.lat)
            .bind(p.lon)
            .bind(&p.kind)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            record(
                &mut tx,
                actor,
                "create",
                "place",
                Some(id),
                Some("import".into()),
            )
            .await?;
            made.push(id);
        }
        for (row, home) in &plan.people {
            let home_id = match *home {
                Home::New(i) => made[i],
                Home::Existing(id) => {
                    // Read again here: the place may have gone since the preview.
                    if !visible_place(&mut tx, Scope::Organisation(org), id).await? {
                        return Err(Invalid::one(
                            format!("row {}", row.row),
                            "the home place is gone",
                        )
                        .into());
                    }
                    id
                }
            };
            let input = row.input(org, home_id);
            let id: Id = sqlx::query(
                "INSERT INTO people (organisation_id, name, phone, home_place_id, mobility, \
                 assistance, driver_notes, service_animal) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(org)
            .bind(&input.name)
            .bind(&input.phone)
            .bind(home_id)
            .bind(input.mobility.as_str())
            .bind(input.assistance.as_str())
            .bind(&input.driver_notes)
            .bind(i64::from(input.service_animal))
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
            record(
                &mut tx,
                actor,
                "create",
                "person",
                Some(id),
                Some("import".into()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Made {
            people: plan.people.len(),
            places: made.len(),
        })
    }
}
