use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::db::exists;
use super::{Actor, Store, StoreError, Tx};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, Invalid, Role, User, UserInput};

pub(crate) const COLUMNS: &str = "id, email, name, role, organisation_id, volunteer_id, active";

pub(crate) fn decode(r: &AnyRow) -> Result<User, StoreError> {
    let role: String = r.try_get("role")?;
    let active: i64 = r.try_get("active")?;
    Ok(User {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        organisation_id: r.try_get("organisation_id")?,
        volunteer_id: r.try_get("volunteer_id")?,
        active: active != 0,
    })
}

async fn check_refs(tx: &mut Tx, input: &UserInput) -> Result<(), StoreError> {
    if let Some(o) = input.organisation_id {
        let kind = sqlx::query("SELECT kind FROM organisations WHERE id = $1")
            .bind(o)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get::<String, _>("kind"))
            .transpose()?;
        if kind.as_deref() != Some("association") {
            return Err(Invalid::one("organisation_id", "no such association").into());
        }
    }
    if let Some(v) = input.volunteer_id {
        if !exists(tx, "volunteers", v).await? {
            return Err(Invalid::one("volunteer_id", "no such volunteer").into());
        }
    }
    Ok(())
}

fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM users ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    pub async fn user(&self, id: Id) -> Result<User, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        decode(&row)
    }

    /// The user and password hash for a login attempt.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, password_hash FROM users WHERE email = $1"
        ))
        .bind(email_key(email))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((decode(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn create_user(
        &self,
        actor: Actor,
        input: &UserInput,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin().await?;
        check_refs(&mut tx, input).await?;
        let taken = sqlx::query("SELECT 1 FROM users WHERE email = $1")
            .bind(email_key(&input.email))
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if taken {
            return Err(Invalid::one("email", "is already used by another user").into());
        }
        let id: Id = sqlx::query(
            "INSERT INTO users (email, name, role, organisation_id, volunteer_id, password_hash, \
             active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(email_key(&input.email))
        .bind(&input.name)
        .bind(input.role.as_str())
        .bind(input.organisation_id)
        .bind(input.volunteer_id)
        .bind(password_hash)
        .bind(i64::from(input.active))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::User,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.user(id).await
    }

    pub async fn update_user(
        &self,
        actor: Actor,
        id: Id,
        input: &UserInput,
        password_hash: Option<&str>,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin().await?;
        if !exists(&mut tx, "users", id).await? {
            return Err(StoreError::NotFound("user"));
        }
        check_refs(&mut tx, input).await?;
        let taken = sqlx::query("SELECT 1 FROM users WHERE email = $1 AND id <> $2")
            .bind(email_key(&input.email))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if taken {
            return Err(Invalid::one("email", "is already used by another user").into());
        }
        sqlx::query(
            "UPDATE users SET email = $1, name = $2, role = $3, organisation_id = $4, \
             volunteer_id = $5, active = $6 WHERE id = $7",
        )
        .bind(email_key(&input.email))
        .bind(&input.name)
        .bind(input.role.as_str())
        .bind(input.organisation_id)
        .bind(input.volunteer_id)
        .bind(i64::from(input.active))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if let Some(h) = password_hash {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(h)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        // A changed role or a reset password must not ride on old sessions.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::User,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.user(id).await
    }

    pub async fn delete_user(&self, actor: Actor, id: Id) -> Result<(), StoreError> {
        self.delete_row(actor, "users", crate::domain::AuditEntity::User, id)
            .await
    }
}
