//! An import's writes: every row in one transaction, or none.

use super::db::exists;
use super::people::insert_person;
use super::places::{insert_place, visible_place};
use super::standing_orders::insert_standing_order;
use super::{Actor, Scope, Store, StoreError};
use crate::domain::import::homes::{Home, Resolved};
use crate::domain::{Id, Invalid, PlaceInput, StandingOrderInput};

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
            made.push(insert_place(&mut tx, actor, p, Some("import".into())).await?);
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
            insert_person(&mut tx, actor, org, &input, Some("import".into())).await?;
        }
        tx.commit().await?;
        Ok(Made {
            people: plan.people.len(),
            places: made.len(),
        })
    }

    /// Writes the places of an import, each with its audit line; a failure
    /// on any row rolls back them all.
    pub async fn import_places(
        &self,
        actor: Actor,
        places: &[PlaceInput],
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin().await?;
        for (i, p) in places.iter().enumerate() {
            if let Some(o) = p.organisation_id {
                if !exists(&mut tx, "organisations", o).await? {
                    return Err(Invalid::one(
                        format!("places[{i}].organisation_id"),
                        "no such organisation",
                    )
                    .into());
                }
            }
            insert_place(&mut tx, actor, p, Some("import".into())).await?;
        }
        tx.commit().await?;
        Ok(places.len())
    }

    /// Writes the standing orders of an import for `org`, the rider and
    /// places of each read again inside the transaction; all or none.
    pub async fn import_standing_orders(
        &self,
        actor: Actor,
        org: Id,
        orders: &[StandingOrderInput],
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin().await?;
        if !exists(&mut tx, "organisations", org).await? {
            return Err(Invalid::one("organisation_id", "no such organisation").into());
        }
        for o in orders {
            insert_standing_order(&mut tx, actor, org, o, Some("import".into())).await?;
        }
        tx.commit().await?;
        Ok(orders.len())
    }
}
