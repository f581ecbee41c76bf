//! Anonymising a person in one transaction: the person's row, their own
//! home, the free text of their own records, and copies of their name or
//! phone in anybody's free text. Requests, routes, stops and events stay, so
//! every count and kilometre is what it was (`domain::anonymise`).

use sqlx::Row;

use super::audit::record;
use super::{now, Actor, Store, StoreError, Tx};
use crate::domain::anonymise::{home_label, json_inner, person_label, scrubbable};
use crate::domain::{AuditAction, AuditEntity, Id};

/// Free-text columns that may hold anybody's name (table, column).
const TEXTS: &[(&str, &str)] = &[
    ("requests", "notes"),
    ("stop_events", "note"),
    ("audit_log", "detail"),
    ("vehicle_blocks", "note"),
];

/// JSON columns with free text inside (notes of a standing order's ride, a
/// meal recipient's door notes, reasons in a plan's unassigned list).
const JSON_TEXTS: &[(&str, &str)] = &[
    ("standing_orders", "ride"),
    ("meal_recipients", "plan"),
    ("plans", "unassigned"),
];

/// Replaces `from` by `to` in every column listed (names are constants).
async fn replace_everywhere(tx: &mut Tx, from: &str, to: &str) -> Result<(), StoreError> {
    let sets = TEXTS
        .iter()
        .map(|c| (c, from.to_string(), to.to_string()))
        .chain(
            JSON_TEXTS
                .iter()
                .map(|c| (c, json_inner(from), json_inner(to))),
        );
    for ((table, column), from, to) in sets {
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = REPLACE({column}, $1, $2) \
             WHERE {column} IS NOT NULL AND REPLACE({column}, $1, $2) <> {column}"
        ))
        .bind(from)
        .bind(to)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Sets `key` to null in the JSON column of the person's rows of `table`.
async fn clear_json_key(
    tx: &mut Tx,
    table: &str,
    column: &str,
    key: &str,
    person: Id,
) -> Result<(), StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT id, {column} FROM {table} WHERE person_id = $1"
    ))
    .bind(person)
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let id: Id = r.try_get("id")?;
        let text: String = r.try_get(column)?;
        let mut value: serde_json::Value = super::json(&text)?;
        if let Some(o) = value.as_object_mut() {
            if o.get(key).is_some_and(|v| !v.is_null()) {
                o.insert(key.into(), serde_json::Value::Null);
                sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
                    .bind(super::to_json(&value))
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The person's own home, when it is only theirs: a place of kind `home`
/// no one else lives at. A shared home stays as it is (it is someone
/// else's too); a public place was never personal.
async fn anonymise_home(tx: &mut Tx, person: Id, place: Id) -> Result<(), StoreError> {
    let own = sqlx::query(
        "SELECT 1 FROM places WHERE id = $1 AND kind = 'home' AND NOT EXISTS \
         (SELECT 1 FROM people WHERE home_place_id = $1 AND id <> $2)",
    )
    .bind(place)
    .bind(person)
    .fetch_optional(&mut **tx)
    .await?
    .is_some();
    if own {
        sqlx::query("UPDATE places SET name = $1, address = '' WHERE id = $2")
            .bind(home_label(place))
            .bind(place)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Anonymises one person in `tx`; false when they already were (nothing
/// changes, no line is written). `NotFound` when there is no such person.
pub(crate) async fn anonymise_in(tx: &mut Tx, actor: Actor, id: Id) -> Result<bool, StoreError> {
    let row =
        sqlx::query("SELECT name, phone, home_place_id, anonymised_at FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound("person"))?;
    if row.try_get::<Option<String>, _>("anonymised_at")?.is_some() {
        return Ok(false);
    }
    let name: String = row.try_get("name")?;
    let phone: Option<String> = row.try_get("phone")?;
    let home: Id = row.try_get("home_place_id")?;
    let label = person_label(id);

    // Their own records' free text goes whole: it is about them.
    sqlx::query("UPDATE requests SET notes = NULL WHERE person_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE stop_events SET note = NULL \
         WHERE request_id IN (SELECT id FROM requests WHERE person_id = $1)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE eligibility SET plan_reference = NULL WHERE person_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    clear_json_key(tx, "standing_orders", "ride", "notes", id).await?;
    clear_json_key(tx, "meal_recipients", "plan", "notes", id).await?;
    // Copies in anybody's free text.
    if scrubbable(&name) {
        replace_everywhere(tx, &name, &label).await?;
    }
    if let Some(p) = phone.as_deref().filter(|p| scrubbable(p)) {
        replace_everywhere(tx, p, "").await?;
    }
    anonymise_home(tx, id, home).await?;
    sqlx::query(
        "UPDATE people SET name = $1, phone = NULL, driver_notes = NULL, anonymised_at = $2 \
         WHERE id = $3",
    )
    .bind(&label)
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    record(
        tx,
        actor,
        AuditAction::Anonymise,
        AuditEntity::Person,
        Some(id),
        None,
    )
    .await?;
    Ok(true)
}

impl Store {
    /// Anonymises one person, all or nothing; false when already done.
    pub async fn anonymise_person(&self, actor: Actor, id: Id) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let changed = anonymise_in(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(changed)
    }
}
