//! Food donors, the pickups generated from them, and the kilograms the
//! drivers reported on those pickups. A change that stops a donor's pickup
//! on a day already generated cancels that day's request in the same
//! transaction and frees the day, as for meals and standing orders.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::generated::{cancel_dropped, SURPLUS_DAYS};
use super::requests::insert_request;
use super::{json, parse_date, to_json, Actor, Store, StoreError, Tx};
use crate::domain::surplus::{Collected, Donor, DonorInput, DONOR_KIND, RECEIVING_KINDS};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Calendar, Id, Invalid, NewRequest};

const COLUMNS: &str = "id, record";

fn decode(r: &AnyRow) -> Result<Donor, StoreError> {
    let record: String = r.try_get("record")?;
    Ok(Donor {
        id: r.try_get("id")?,
        ..json(&record)?
    })
}

/// A place's owner and kind, when it exists.
async fn place_kind(tx: &mut Tx, id: Id) -> Result<Option<(Option<Id>, String)>, StoreError> {
    sqlx::query("SELECT organisation_id, kind FROM places WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| Ok((r.try_get("organisation_id")?, r.try_get("kind")?)))
        .transpose()
}

/// The donor's place is a donor's and no other donor's; the food goes to a
/// public receiving place.
async fn check_refs(tx: &mut Tx, id: Option<Id>, input: &DonorInput) -> Result<(), StoreError> {
    let mut errors = Vec::new();
    match place_kind(tx, input.place_id).await? {
        None => errors.push(("place_id", "no such place".to_string())),
        Some((_, kind)) if kind != DONOR_KIND => errors.push((
            "place_id",
            format!("must be a place of kind {DONOR_KIND}, not {kind}"),
        )),
        Some(_) => {
            let other = sqlx::query("SELECT id FROM donors WHERE place_id = $1 AND id <> $2")
                .bind(input.place_id)
                .bind(id.unwrap_or(-1))
                .fetch_optional(&mut **tx)
                .await?;
            if other.is_some() {
                errors.push(("place_id", "another donor gives at this place".into()));
            }
        }
    }
    match place_kind(tx, input.receiving_place_id).await? {
        None => errors.push(("receiving_place_id", "no such place".into())),
        Some((Some(_), _)) => errors.push((
            "receiving_place_id",
            "must be a public place, not an association's".into(),
        )),
        Some((None, kind)) if !RECEIVING_KINDS.contains(&kind.as_str()) => errors.push((
            "receiving_place_id",
            format!(
                "must be a place of kind {}, not {kind}",
                RECEIVING_KINDS.join(", ")
            ),
        )),
        Some(_) => {}
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(Invalid(
        errors
            .into_iter()
            .map(|(f, m)| crate::domain::FieldError::new(f, m))
            .collect(),
    )
    .into())
}

async fn read_tx(tx: &mut Tx, id: Id) -> Result<Donor, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM donors WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound("donor"))?;
    decode(&row)
}

/// Cancels the generated requests from `today` on of the days `d` no
/// longer has and frees those days; their request ids.
async fn cancel_ungiven(
    tx: &mut Tx,
    actor: Actor,
    d: &Donor,
    today: NaiveDate,
) -> Result<Vec<Id>, StoreError> {
    let keeps = |calendar: &Calendar, date: NaiveDate| d.gives_on(calendar, date);
    let why = |date: NaiveDate| format!("donor {} gives nothing on {date}", d.id);
    cancel_dropped(tx, actor, (&SURPLUS_DAYS, d.id), today, keeps, why).await
}

impl Store {
    pub async fn donors(&self) -> Result<Vec<Donor>, StoreError> {
        sqlx::query(&format!("SELECT {COLUMNS} FROM donors ORDER BY id"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(decode)
            .collect()
    }

    pub async fn donor(&self, id: Id) -> Result<Donor, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM donors WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("donor"))?;
        decode(&row)
    }

    pub async fn create_donor(
        &self,
        actor: Actor,
        input: &DonorInput,
    ) -> Result<Donor, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, None, input).await?;
        let d = Donor::of(0, input);
        let id: Id = sqlx::query(
            "INSERT INTO donors (place_id, receiving_place_id, record, active) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(d.place_id)
        .bind(d.receiving_place_id)
        .bind(to_json(&d))
        .bind(i64::from(d.active))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::Donor,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(Donor { id, ..d })
    }

    /// Replaces the donor; the days generated that it no longer gives, from
    /// `today` on, are cancelled with it.
    pub async fn update_donor(
        &self,
        actor: Actor,
        id: Id,
        input: &DonorInput,
        today: NaiveDate,
    ) -> Result<Donor, StoreError> {
        let mut tx = self.begin().await?;
        read_tx(&mut tx, id).await?;
        check_refs(&mut tx, Some(id), input).await?;
        let d = Donor::of(id, input);
        sqlx::query(
            "UPDATE donors SET place_id = $1, receiving_place_id = $2, record = $3, active = $4 \
             WHERE id = $5",
        )
        .bind(d.place_id)
        .bind(d.receiving_place_id)
        .bind(to_json(&d))
        .bind(i64::from(d.active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let cancelled = cancel_ungiven(&mut tx, actor, &d, today).await?;
        let detail = (!cancelled.is_empty()).then(|| format!("cancelled requests {cancelled:?}"));
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Donor,
            Some(id),
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(d)
    }

    /// Deletes the donor and cancels its pickups from `today` on. The
    /// pickups made stay with their requests; the figures read donors.
    pub async fn delete_donor(
        &self,
        actor: Actor,
        id: Id,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let ended = Donor {
            active: false,
            ..read_tx(&mut tx, id).await?
        };
        cancel_ungiven(&mut tx, actor, &ended, today).await?;
        sqlx::query("DELETE FROM donors WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::Donor,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The donors whose pickup of `date` was generated, with its request.
    pub async fn surplus_days(
        &self,
        date: NaiveDate,
    ) -> Result<BTreeMap<Id, Option<Id>>, StoreError> {
        sqlx::query("SELECT donor_id, request_id FROM surplus_days WHERE date = $1")
            .bind(date.to_string())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("donor_id")?, r.try_get("request_id")?)))
            .collect()
    }

    /// Books one generated day: the collection and the day's row in one
    /// transaction. `None` when the day was generated already.
    pub async fn book_surplus_day(
        &self,
        actor: Actor,
        donor: &Donor,
        date: NaiveDate,
        pickup: &NewRequest,
    ) -> Result<Option<Id>, StoreError> {
        let mut tx = self.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO surplus_days (donor_id, date) VALUES ($1, $2) \
             ON CONFLICT (donor_id, date) DO NOTHING",
        )
        .bind(donor.id)
        .bind(date.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(None);
        }
        let id = insert_request(&mut tx, actor, pickup).await?;
        sqlx::query("UPDATE surplus_days SET request_id = $1 WHERE donor_id = $2 AND date = $3")
            .bind(id)
            .bind(donor.id)
            .bind(date.to_string())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Generate,
            AuditEntity::Donor,
            Some(donor.id),
            Some(format!("{date}: request {id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// The collections from each donor's place between `from` and `to` whose
    /// pickup the driver last reported done, with the kilograms entered.
    /// Every collection from the place counts, generated or booked by hand.
    pub async fn collected(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Collected>, StoreError> {
        let rows = sqlx::query(
            "SELECT d.id AS donor_id, q.id AS request_id, q.date AS date, e.kind AS kind, \
             e.kg AS kg FROM stop_events e \
             JOIN requests q ON q.id = e.request_id \
             JOIN donors d ON d.place_id = q.from_place_id \
             WHERE q.kind = 'collection' AND e.role = 'pickup' AND e.date = q.date \
             AND q.date >= $1 AND q.date <= $2 ORDER BY q.id, e.at, e.id",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        // The last report of each pickup is where it stands.
        let mut last: BTreeMap<Id, (Id, String, String, Option<f64>)> = BTreeMap::new();
        for r in &rows {
            let request: Id = r.try_get("request_id")?;
            last.insert(
                request,
                (
                    r.try_get("donor_id")?,
                    r.try_get("date")?,
                    r.try_get("kind")?,
                    r.try_get("kg")?,
                ),
            );
        }
        last.into_values()
            .filter(|(_, _, kind, _)| kind == "done")
            .map(|(donor_id, date, _, kg)| {
                Ok(Collected {
                    donor_id,
                    date: parse_date(&date)?,
                    kg,
                })
            })
            .collect()
    }
}
