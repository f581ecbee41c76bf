//! Standing orders and the days generated from them. A member reaches only
//! its association's orders; a change that stops an order riding on a day
//! already generated cancels that day's requests in the same transaction
//! and frees the day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::closing_days::calendar_tx;
use super::owned::Owned;
use super::places::visible_place;
use super::requests::insert_request;
use super::{json, parse_date, to_json, Actor, Scope, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{
    Id, Invalid, NewRequest, ReturnOf, StandingOrder, StandingOrderInput, Suspension,
    MAX_SUSPENSIONS,
};

const COLUMNS: &str = "id, organisation_id, person_id, ride, recurrence, suspensions, active";

fn decode(r: &AnyRow) -> Result<StandingOrder, StoreError> {
    let ride: String = r.try_get("ride")?;
    let recurrence: String = r.try_get("recurrence")?;
    let suspensions: String = r.try_get("suspensions")?;
    let active: i64 = r.try_get("active")?;
    Ok(StandingOrder {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        person_id: r.try_get("person_id")?,
        ride: json(&ride)?,
        recurrence: json(&recurrence)?,
        suspensions: json(&suspensions)?,
        active: active != 0,
    })
}

impl Owned for StandingOrder {
    const TABLE: &'static str = "standing_orders";
    const COLUMNS: &'static str = COLUMNS;
    const NAME: &'static str = "standing order";
    fn decode(row: &AnyRow) -> Result<Self, StoreError> {
        decode(row)
    }
    fn organisation(&self) -> Id {
        self.organisation_id
    }
}

/// The rider and both places inside the association's reach.
async fn check_refs(tx: &mut Tx, org: Id, input: &StandingOrderInput) -> Result<(), StoreError> {
    let owner: Option<Id> = sqlx::query("SELECT organisation_id FROM people WHERE id = $1")
        .bind(input.person_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get("organisation_id"))
        .transpose()?;
    if owner != Some(org) {
        return Err(Invalid::one("person_id", "no such person in this organisation").into());
    }
    let scope = Scope::Organisation(org);
    for (field, place) in [
        ("ride.from_place_id", input.ride.from_place_id),
        ("ride.to_place_id", input.ride.to_place_id),
    ] {
        if !visible_place(tx, scope, place).await? {
            return Err(Invalid::one(field, "no such place").into());
        }
    }
    Ok(())
}

async fn read_tx(tx: &mut Tx, id: Id) -> Result<StandingOrder, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM standing_orders WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound("standing order"))?;
    decode(&row)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the order's fields as `$1`..`$7`.
fn bind_order<'q>(q: Query<'q>, o: &StandingOrder) -> Query<'q> {
    q.bind(o.person_id)
        .bind(to_json(&o.ride))
        .bind(to_json(&o.recurrence))
        .bind(to_json(&o.suspensions))
        .bind(i64::from(o.active))
        .bind(o.recurrence.starts_on.to_string())
        .bind(o.recurrence.ends_on.map(|d| d.to_string()))
}

/// Writes the order's fields over its row.
async fn write_tx(tx: &mut Tx, o: &StandingOrder) -> Result<(), StoreError> {
    let n = bind_order(
        sqlx::query(
            "UPDATE standing_orders SET person_id = $1, ride = $2, recurrence = $3, \
             suspensions = $4, active = $5, starts_on = $6, ends_on = $7 WHERE id = $8",
        ),
        o,
    )
    .bind(o.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("standing order"));
    }
    Ok(())
}

/// Generated requests still to be carried out (active, or a way back
/// waiting for the call) from `from` on: order, date, request.
async fn pending_tx(
    tx: &mut Tx,
    order: Option<Id>,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Result<Vec<(Id, NaiveDate, Id)>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.standing_order_id, d.date, r.id FROM standing_order_days d \
         JOIN requests r ON r.id = d.request_id OR r.outbound_id = d.request_id \
         WHERE ($1 < 0 OR d.standing_order_id = $1) AND d.date >= $2 AND d.date <= $3 \
         AND r.status IN ('active', 'will_call') ORDER BY r.id",
    )
    .bind(order.unwrap_or(-1))
    .bind(from.to_string())
    .bind(to.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string()))
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            let date: String = r.try_get(1)?;
            Ok((r.try_get(0)?, parse_date(&date)?, r.try_get(2)?))
        })
        .collect()
}

/// Cancels a generated request of the order's day `date` and frees the day:
/// the order dropped it, not the association, so should the order serve it
/// again (a suspension shortened, a closing day reopened) the next
/// generation books it anew. A day the association cancelled itself keeps
/// its row and stays cancelled.
async fn cancel_tx(
    tx: &mut Tx,
    actor: Actor,
    (order, date, request): (Id, NaiveDate, Id),
    why: String,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE requests SET status = 'cancelled' WHERE id = $1")
        .bind(request)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM standing_order_days WHERE standing_order_id = $1 AND date = $2")
        .bind(order)
        .bind(date.to_string())
        .execute(&mut **tx)
        .await?;
    record(
        tx,
        actor,
        AuditAction::Cancel,
        AuditEntity::Request,
        Some(request),
        Some(why),
    )
    .await
}

/// Cancels the generated requests from `today` on of the days `order` no
/// longer serves; their ids.
async fn cancel_unserved(
    tx: &mut Tx,
    actor: Actor,
    order: &StandingOrder,
    today: NaiveDate,
) -> Result<Vec<Id>, StoreError> {
    let pending = pending_tx(tx, Some(order.id), today, None).await?;
    let (Some(first), Some(last)) = (
        pending.iter().map(|p| p.1).min(),
        pending.iter().map(|p| p.1).max(),
    ) else {
        return Ok(Vec::new());
    };
    let calendar = calendar_tx(tx, first, last).await?;
    let mut cancelled = Vec::new();
    for day @ (_, date, request) in pending {
        if !order.serves(&calendar, date) {
            let why = format!("standing order {} does not ride on {date}", order.id);
            cancel_tx(tx, actor, day, why).await?;
            cancelled.push(request);
        }
    }
    Ok(cancelled)
}

/// Cancels the generated requests of every order on `date`, a day the
/// service closes (from `today` on only).
pub(crate) async fn cancel_closed_day(
    tx: &mut Tx,
    actor: Actor,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), StoreError> {
    if date < today {
        return Ok(());
    }
    for day in pending_tx(tx, None, date, Some(date)).await? {
        let why = format!("standing order {}: the service is closed on {date}", day.0);
        cancel_tx(tx, actor, day, why).await?;
    }
    Ok(())
}

impl Store {
    pub async fn standing_orders(&self, scope: Scope) -> Result<Vec<StandingOrder>, StoreError> {
        self.owned(scope).await
    }

    /// Not found when out of the caller's scope, as for any record.
    pub async fn standing_order(&self, scope: Scope, id: Id) -> Result<StandingOrder, StoreError> {
        self.owned_one(scope, id).await
    }

    /// The active orders that may ride between `from` and `to`.
    pub async fn standing_orders_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StandingOrder>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM standing_orders WHERE active = 1 AND starts_on <= $1 \
             AND (ends_on IS NULL OR ends_on >= $2) ORDER BY id"
        ))
        .bind(to.to_string())
        .bind(from.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(decode)
        .collect()
    }

    /// The days generated from `from` to `to`, by order and date, with the
    /// outbound request (`None` once deleted); one order's or all.
    pub async fn generated_days(
        &self,
        order: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<BTreeMap<(Id, NaiveDate), Option<Id>>, StoreError> {
        let rows = sqlx::query(
            "SELECT standing_order_id, date, request_id FROM standing_order_days \
             WHERE ($1 < 0 OR standing_order_id = $1) AND date >= $2 AND date <= $3",
        )
        .bind(order.unwrap_or(-1))
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let date: String = r.try_get("date")?;
                Ok((
                    (r.try_get("standing_order_id")?, parse_date(&date)?),
                    r.try_get("request_id")?,
                ))
            })
            .collect()
    }

    pub async fn create_standing_order(
        &self,
        actor: Actor,
        org: Id,
        input: &StandingOrderInput,
    ) -> Result<StandingOrder, StoreError> {
        let mut tx = self.begin().await?;
        let order = insert_standing_order(&mut tx, actor, org, input, None).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Replaces the order; the days already generated that it no longer
    /// serves, from `today` on, are cancelled with it.
    pub async fn update_standing_order(
        &self,
        actor: Actor,
        id: Id,
        input: &StandingOrderInput,
        today: NaiveDate,
    ) -> Result<StandingOrder, StoreError> {
        let mut tx = self.begin().await?;
        let current = read_tx(&mut tx, id).await?;
        if input
            .organisation_id
            .is_some_and(|o| o != current.organisation_id)
        {
            return Err(Invalid::one(
                "organisation_id",
                "an order stays with its association: end it and book a new one",
            )
            .into());
        }
        check_refs(&mut tx, current.organisation_id, input).await?;
        let order = order_of(id, current.organisation_id, input);
        write_tx(&mut tx, &order).await?;
        let cancelled = cancel_unserved(&mut tx, actor, &order, today).await?;
        let detail = (!cancelled.is_empty()).then(|| format!("cancelled requests {cancelled:?}"));
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::StandingOrder,
            Some(id),
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Adds a suspension and cancels the generated days it covers from `today` on.
    pub async fn suspend_standing_order(
        &self,
        actor: Actor,
        id: Id,
        suspension: &Suspension,
        today: NaiveDate,
    ) -> Result<StandingOrder, StoreError> {
        let mut tx = self.begin().await?;
        let mut order = read_tx(&mut tx, id).await?;
        if order.suspensions.len() >= MAX_SUSPENSIONS {
            return Err(Invalid::one(
                "from",
                "the order holds 100 suspensions already: remove old ones first",
            )
            .into());
        }
        order.suspensions.push(suspension.clone());
        write_tx(&mut tx, &order).await?;
        let cancelled = cancel_unserved(&mut tx, actor, &order, today).await?;
        let detail = format!(
            "suspended from {} to {}; cancelled requests {cancelled:?}",
            suspension.from,
            suspension
                .resume_on
                .map_or_else(|| "further notice".to_string(), |d| d.to_string())
        );
        record(
            &mut tx,
            actor,
            AuditAction::Suspend,
            AuditEntity::StandingOrder,
            Some(id),
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Deletes the order and cancels its requests from `today` on; those
    /// before stay as they were carried out.
    pub async fn delete_standing_order(
        &self,
        actor: Actor,
        id: Id,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let ended = StandingOrder {
            active: false,
            ..read_tx(&mut tx, id).await?
        };
        cancel_unserved(&mut tx, actor, &ended, today).await?;
        sqlx::query("DELETE FROM standing_orders WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::StandingOrder,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Books one generated day: the ride and its way back, and the day's row,
    /// in one transaction. `None` when the day was generated already (by a
    /// concurrent generation): nothing is written then.
    pub async fn book_standing_day(
        &self,
        actor: Actor,
        order: Id,
        date: NaiveDate,
        ride: &NewRequest,
        way_back: Option<&NewRequest>,
    ) -> Result<Option<Id>, StoreError> {
        let mut tx = self.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO standing_order_days (standing_order_id, date) VALUES ($1, $2) \
             ON CONFLICT (standing_order_id, date) DO NOTHING",
        )
        .bind(order)
        .bind(date.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(None);
        }
        let id = insert_request(&mut tx, actor, ride).await?;
        if let Some(back) = way_back {
            let mut back = back.clone();
            back.return_of = back.return_of.map(|r| ReturnOf {
                request_id: id,
                ..r
            });
            insert_request(&mut tx, actor, &back).await?;
        }
        sqlx::query(
            "UPDATE standing_order_days SET request_id = $1 \
             WHERE standing_order_id = $2 AND date = $3",
        )
        .bind(id)
        .bind(order)
        .bind(date.to_string())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Generate,
            AuditEntity::StandingOrder,
            Some(order),
            Some(format!("{date}: request {id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }
}

/// Writes a new order of `org` with its audit line, its rider and places
/// checked inside the association's reach.
pub(super) async fn insert_standing_order(
    tx: &mut Tx,
    actor: Actor,
    org: Id,
    input: &StandingOrderInput,
    detail: Option<String>,
) -> Result<StandingOrder, StoreError> {
    check_refs(tx, org, input).await?;
    let order = order_of(0, org, input);
    let id: Id = bind_order(
        sqlx::query(
            "INSERT INTO standing_orders (person_id, ride, recurrence, suspensions, active, \
             starts_on, ends_on, organisation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id",
        ),
        &order,
    )
    .bind(org)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    record(
        tx,
        actor,
        AuditAction::Create,
        AuditEntity::StandingOrder,
        Some(id),
        detail,
    )
    .await?;
    Ok(StandingOrder { id, ..order })
}

fn order_of(id: Id, org: Id, input: &StandingOrderInput) -> StandingOrder {
    StandingOrder {
        id,
        organisation_id: org,
        person_id: input.person_id,
        ride: input.ride.clone(),
        recurrence: input.recurrence.clone(),
        suspensions: input.suspensions.clone(),
        active: input.active,
    }
}
