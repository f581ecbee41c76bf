//! Meal recipients and the days generated from them. A member reaches only
//! its association's recipients; a change that stops a recipient's meal on a
//! day already generated cancels that day's request in the same transaction
//! and frees the day, as for standing orders.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::generated::{cancel_dropped, MEAL_DAYS};
use super::owned::Owned;
use super::requests::insert_request;
use super::{json, to_json, Actor, Scope, Store, StoreError, Tx};
use crate::domain::meals::{MealDay, MealRecipient, MealRecipientInput, MealType};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Calendar, Id, Invalid, NewRequest, Suspension, MAX_SUSPENSIONS};

const COLUMNS: &str = "id, organisation_id, person_id, plan";

fn decode(r: &AnyRow) -> Result<MealRecipient, StoreError> {
    let plan: String = r.try_get("plan")?;
    Ok(MealRecipient {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        person_id: r.try_get("person_id")?,
        ..json(&plan)?
    })
}

impl Owned for MealRecipient {
    const TABLE: &'static str = "meal_recipients";
    const COLUMNS: &'static str = COLUMNS;
    const NAME: &'static str = "meal recipient";
    fn decode(row: &AnyRow) -> Result<Self, StoreError> {
        decode(row)
    }
    fn organisation(&self) -> Id {
        self.organisation_id
    }
}

/// What a generated day stands for, as the kitchen's lists read it.
#[derive(Debug, Clone, PartialEq)]
pub struct MealDayRow {
    pub recipient_id: Id,
    pub request_id: Option<Id>,
    pub meal_type: MealType,
    pub meals: u32,
    pub diets: Vec<String>,
    pub priority: bool,
}

/// The person inside the association, the preferred volunteer on the books.
async fn check_refs(tx: &mut Tx, org: Id, input: &MealRecipientInput) -> Result<(), StoreError> {
    let owner: Option<Id> = sqlx::query("SELECT organisation_id FROM people WHERE id = $1")
        .bind(input.person_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get("organisation_id"))
        .transpose()?;
    if owner != Some(org) {
        return Err(Invalid::one("person_id", "no such person in this organisation").into());
    }
    if let Some(v) = input.preferred_volunteer_id {
        let found = sqlx::query("SELECT id FROM volunteers WHERE id = $1")
            .bind(v)
            .fetch_optional(&mut **tx)
            .await?;
        if found.is_none() {
            return Err(Invalid::one("preferred_volunteer_id", "no such volunteer").into());
        }
    }
    Ok(())
}

async fn read_tx(tx: &mut Tx, id: Id) -> Result<MealRecipient, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM meal_recipients WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound("meal recipient"))?;
    decode(&row)
}

async fn write_tx(tx: &mut Tx, r: &MealRecipient) -> Result<(), StoreError> {
    let n = sqlx::query(
        "UPDATE meal_recipients SET person_id = $1, plan = $2, priority = $3, active = $4, \
         starts_on = $5 WHERE id = $6",
    )
    .bind(r.person_id)
    .bind(to_json(r))
    .bind(i64::from(r.priority))
    .bind(i64::from(r.active))
    .bind(r.starts_on.to_string())
    .bind(r.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("meal recipient"));
    }
    Ok(())
}

/// Cancels the generated requests from `today` on of the days `r` no
/// longer has and frees those days; their request ids.
async fn cancel_unserved(
    tx: &mut Tx,
    actor: Actor,
    r: &MealRecipient,
    today: NaiveDate,
) -> Result<Vec<Id>, StoreError> {
    let keeps = |calendar: &Calendar, date: NaiveDate| r.serves(calendar, date).is_some();
    let why = |date: NaiveDate| format!("meal recipient {} gets no meal on {date}", r.id);
    cancel_dropped(tx, actor, (&MEAL_DAYS, r.id), today, keeps, why).await
}

/// The meal requests of a day that carry a wish, by request id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MealWishes {
    /// Booked for a recipient with priority when capacity is short.
    pub priority: BTreeSet<Id>,
    /// The volunteer the recipient prefers.
    pub preferred_volunteers: BTreeMap<Id, Id>,
}

impl Store {
    pub async fn meal_recipients(&self, scope: Scope) -> Result<Vec<MealRecipient>, StoreError> {
        self.owned(scope).await
    }

    /// Not found when out of the caller's scope, as for any record.
    pub async fn meal_recipient(&self, scope: Scope, id: Id) -> Result<MealRecipient, StoreError> {
        self.owned_one(scope, id).await
    }

    /// The active recipients who may get a meal on `date`.
    pub async fn meal_recipients_on(
        &self,
        date: NaiveDate,
    ) -> Result<Vec<MealRecipient>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM meal_recipients WHERE active = 1 AND starts_on <= $1 \
             ORDER BY id"
        ))
        .bind(date.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(decode)
        .collect()
    }

    pub async fn create_meal_recipient(
        &self,
        actor: Actor,
        org: Id,
        input: &MealRecipientInput,
    ) -> Result<MealRecipient, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, org, input).await?;
        let r = MealRecipient::of(0, org, input);
        let id: Id = sqlx::query(
            "INSERT INTO meal_recipients (organisation_id, person_id, plan, priority, active, \
             starts_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org)
        .bind(r.person_id)
        .bind(to_json(&r))
        .bind(i64::from(r.priority))
        .bind(i64::from(r.active))
        .bind(r.starts_on.to_string())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::MealRecipient,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(MealRecipient { id, ..r })
    }

    /// Replaces the plan; the days generated that it no longer serves, from
    /// `today` on, are cancelled with it.
    pub async fn update_meal_recipient(
        &self,
        actor: Actor,
        id: Id,
        input: &MealRecipientInput,
        today: NaiveDate,
    ) -> Result<MealRecipient, StoreError> {
        let mut tx = self.begin().await?;
        let current = read_tx(&mut tx, id).await?;
        if input
            .organisation_id
            .is_some_and(|o| o != current.organisation_id)
        {
            return Err(Invalid::one(
                "organisation_id",
                "a recipient stays with its organisation: end the plan and make a new one",
            )
            .into());
        }
        check_refs(&mut tx, current.organisation_id, input).await?;
        let r = MealRecipient::of(id, current.organisation_id, input);
        write_tx(&mut tx, &r).await?;
        let cancelled = cancel_unserved(&mut tx, actor, &r, today).await?;
        let detail = (!cancelled.is_empty()).then(|| format!("cancelled requests {cancelled:?}"));
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::MealRecipient,
            Some(id),
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Adds a hold and cancels the generated meals it covers from `today` on.
    pub async fn hold_meal_recipient(
        &self,
        actor: Actor,
        id: Id,
        hold: &Suspension,
        today: NaiveDate,
    ) -> Result<MealRecipient, StoreError> {
        let mut tx = self.begin().await?;
        let mut r = read_tx(&mut tx, id).await?;
        if r.holds.len() >= MAX_SUSPENSIONS {
            return Err(Invalid::one("from", "the plan holds 100 holds already").into());
        }
        r.holds.push(hold.clone());
        write_tx(&mut tx, &r).await?;
        let cancelled = cancel_unserved(&mut tx, actor, &r, today).await?;
        let detail = format!(
            "on hold from {} to {}; cancelled requests {cancelled:?}",
            hold.from,
            hold.resume_on
                .map_or_else(|| "further notice".to_string(), |d| d.to_string())
        );
        record(
            &mut tx,
            actor,
            AuditAction::Hold,
            AuditEntity::MealRecipient,
            Some(id),
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Deletes the plan and cancels its meals from `today` on.
    pub async fn delete_meal_recipient(
        &self,
        actor: Actor,
        id: Id,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let ended = MealRecipient {
            active: false,
            ..read_tx(&mut tx, id).await?
        };
        cancel_unserved(&mut tx, actor, &ended, today).await?;
        sqlx::query("DELETE FROM meal_recipients WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Delete,
            AuditEntity::MealRecipient,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The days generated on `date`, by recipient.
    pub async fn meal_days(&self, date: NaiveDate) -> Result<BTreeMap<Id, MealDayRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT recipient_id, request_id, meal_type, meals, diets, priority FROM meal_days \
             WHERE date = $1",
        )
        .bind(date.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let t: String = r.try_get("meal_type")?;
                let diets: String = r.try_get("diets")?;
                let meals: i64 = r.try_get("meals")?;
                let priority: i64 = r.try_get("priority")?;
                let row = MealDayRow {
                    recipient_id: r.try_get("recipient_id")?,
                    request_id: r.try_get("request_id")?,
                    meal_type: MealType::parse(&t)
                        .ok_or_else(|| StoreError::Corrupt(format!("meal type {t:?}")))?,
                    meals: u32::try_from(meals).unwrap_or(0),
                    diets: json(&diets)?,
                    priority: priority != 0,
                };
                Ok((row.recipient_id, row))
            })
            .collect()
    }

    /// What the planner weighs for the meals of `date`, from one read of
    /// the day's meal rows: the requests booked for priority recipients, and
    /// those whose recipient names a preferred volunteer, with that volunteer.
    pub async fn meal_wishes(&self, date: NaiveDate) -> Result<MealWishes, StoreError> {
        let days = self.meal_days(date).await?;
        if days.is_empty() {
            return Ok(MealWishes::default());
        }
        let wanted: BTreeMap<Id, Id> = self
            .meal_recipients(Scope::All)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.id, r.preferred_volunteer_id?)))
            .collect();
        Ok(MealWishes {
            priority: days
                .values()
                .filter(|d| d.priority)
                .filter_map(|d| d.request_id)
                .collect(),
            preferred_volunteers: days
                .into_values()
                .filter_map(|d| Some((d.request_id?, *wanted.get(&d.recipient_id)?)))
                .collect(),
        })
    }

    /// Books one generated day: the meal request and the day's row in one
    /// transaction. `None` when the day was generated already.
    pub async fn book_meal_day(
        &self,
        actor: Actor,
        r: &MealRecipient,
        date: NaiveDate,
        day: &MealDay,
        meal: &NewRequest,
    ) -> Result<Option<Id>, StoreError> {
        let mut tx = self.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO meal_days (recipient_id, date, meal_type, meals, diets, priority) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (recipient_id, date) DO NOTHING",
        )
        .bind(r.id)
        .bind(date.to_string())
        .bind(day.meal_type.as_str())
        .bind(i64::from(day.meals))
        .bind(to_json(&r.diets))
        .bind(i64::from(r.priority))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(None);
        }
        let id = insert_request(&mut tx, actor, meal).await?;
        sqlx::query("UPDATE meal_days SET request_id = $1 WHERE recipient_id = $2 AND date = $3")
            .bind(id)
            .bind(r.id)
            .bind(date.to_string())
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Generate,
            AuditEntity::MealRecipient,
            Some(r.id),
            Some(format!("{date}: request {id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }
}
