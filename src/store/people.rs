use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::owned::Owned;
use super::places::visible_place;
use super::{Actor, Scope, Store, StoreError, Tx};
use crate::domain::{Assistance, Id, Invalid, Mobility, Person, PersonInput};
use crate::domain::{AuditAction, AuditEntity};

const COLUMNS: &str =
    "id, organisation_id, name, phone, home_place_id, mobility, assistance, driver_notes, service_animal";

fn decode(r: &AnyRow) -> Result<Person, StoreError> {
    let mobility: String = r.try_get("mobility")?;
    let assistance: String = r.try_get("assistance")?;
    Ok(Person {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        home_place_id: r.try_get("home_place_id")?,
        mobility: Mobility::parse(&mobility)
            .ok_or_else(|| StoreError::Corrupt(format!("mobility {mobility:?}")))?,
        assistance: Assistance::parse(&assistance)
            .ok_or_else(|| StoreError::Corrupt(format!("assistance {assistance:?}")))?,
        driver_notes: r.try_get("driver_notes")?,
        service_animal: r.try_get::<i64, _>("service_animal")? != 0,
    })
}

impl Owned for Person {
    const TABLE: &'static str = "people";
    const COLUMNS: &'static str = COLUMNS;
    const NAME: &'static str = "person";
    fn decode(row: &AnyRow) -> Result<Self, StoreError> {
        decode(row)
    }
    fn organisation(&self) -> Id {
        self.organisation_id
    }
}

/// The organisation must exist and the home must be public or that organisation's.
async fn check_refs(tx: &mut Tx, org: Id, input: &PersonInput) -> Result<(), StoreError> {
    if !exists(tx, "organisations", org).await? {
        return Err(Invalid::one("organisation_id", "no such organisation").into());
    }
    if !visible_place(tx, Scope::Organisation(org), input.home_place_id).await? {
        return Err(Invalid::one("home_place_id", "no such place for this organisation").into());
    }
    Ok(())
}

impl Store {
    pub async fn people(&self, scope: Scope) -> Result<Vec<Person>, StoreError> {
        self.owned(scope).await
    }

    pub async fn person(&self, scope: Scope, id: Id) -> Result<Person, StoreError> {
        self.owned_one(scope, id).await
    }

    /// `org` is the organisation already resolved from the input and the caller.
    pub async fn create_person(
        &self,
        actor: Actor,
        org: Id,
        input: &PersonInput,
    ) -> Result<Person, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, org, input).await?;
        let id = insert_person(&mut tx, actor, org, input, None).await?;
        tx.commit().await?;
        self.person(Scope::All, id).await
    }

    pub async fn update_person(
        &self,
        actor: Actor,
        id: Id,
        org: Id,
        input: &PersonInput,
    ) -> Result<Person, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, org, input).await?;
        // Requests belong to the association that booked them.
        let booked =
            sqlx::query("SELECT 1 FROM requests WHERE person_id = $1 AND organisation_id <> $2")
                .bind(id)
                .bind(org)
                .fetch_optional(&mut *tx)
                .await?;
        // Anonymising is for good: a name written back would undo it.
        let gone = sqlx::query("SELECT 1 FROM people WHERE id = $1 AND anonymised_at IS NOT NULL")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if gone.is_some() {
            return Err(StoreError::Conflict("the person was anonymised".into()));
        }
        if booked.is_some() {
            return Err(Invalid::one(
                "organisation_id",
                "the person has requests booked by another association",
            )
            .into());
        }
        let n = sqlx::query(
            "UPDATE people SET organisation_id = $1, name = $2, phone = $3, home_place_id = $4, \
             mobility = $5, assistance = $6, driver_notes = $7, service_animal = $8 WHERE id = $9",
        )
        .bind(org)
        .bind(&input.name)
        .bind(&input.phone)
        .bind(input.home_place_id)
        .bind(input.mobility.as_str())
        .bind(input.assistance.as_str())
        .bind(&input.driver_notes)
        .bind(i64::from(input.service_animal))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("person"));
        }
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::Person,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.person(Scope::All, id).await
    }

    pub async fn delete_person(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(actor, "people", crate::domain::AuditEntity::Person, id)
            .await
    }
}

/// A new person with its audit line (`detail`: where it came from), in the
/// caller's transaction: one home for a person's insert.
pub(super) async fn insert_person(
    tx: &mut Tx,
    actor: Actor,
    org: Id,
    input: &PersonInput,
    detail: Option<String>,
) -> Result<Id, StoreError> {
    let id: Id = sqlx::query(
        "INSERT INTO people (organisation_id, name, phone, home_place_id, mobility, \
         assistance, driver_notes, service_animal, created_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org)
    .bind(&input.name)
    .bind(&input.phone)
    .bind(input.home_place_id)
    .bind(input.mobility.as_str())
    .bind(input.assistance.as_str())
    .bind(&input.driver_notes)
    .bind(i64::from(input.service_animal))
    // The retention period of a person never served counts from here.
    .bind(chrono::Local::now().date_naive().to_string())
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")?;
    record(
        tx,
        actor,
        AuditAction::Create,
        AuditEntity::Person,
        Some(id),
        detail,
    )
    .await?;
    Ok(id)
}
