//! Login sessions (cookies for the pages) and API tokens (for integrations).
//! Only hashes of the secrets are stored.

use serde::Serialize;
use sqlx::Row;
use utoipa::ToSchema;

use super::audit::record;
use super::users::{decode, COLUMNS};
use super::{now, Actor, Store, StoreError};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{Id, User};

/// The user columns, qualified for a join with `users u`.
pub(crate) fn user_columns() -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub struct Session {
    pub user: User,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: Id,
    pub name: String,
    pub created_at: String,
}

impl Store {
    pub async fn create_session(
        &self,
        user_id: Id,
        token_hash: &str,
        hours: i64,
    ) -> Result<(), StoreError> {
        let expires = chrono::Utc::now() + chrono::Duration::hours(hours);
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now())
        .bind(expires.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            Actor(Some(user_id)),
            AuditAction::Login,
            AuditEntity::User,
            Some(user_id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The active user behind a session that has not expired.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let cols = user_columns();
        let row = sqlx::query(&format!(
            "SELECT {cols} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        ))
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| decode(&r)).transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let cols = user_columns();
        let row = sqlx::query(&format!(
            "SELECT {cols} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND u.active = 1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| decode(&r)).transpose()
    }

    pub async fn create_token(
        &self,
        user_id: Id,
        name: &str,
        token_hash: &str,
    ) -> Result<TokenInfo, StoreError> {
        let mut tx = self.begin().await?;
        let created_at = now();
        let id: Id = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(&created_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        record(
            &mut tx,
            Actor(Some(user_id)),
            AuditAction::Create,
            AuditEntity::ApiToken,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(TokenInfo {
            id,
            name: name.to_string(),
            created_at,
        })
    }

    pub async fn tokens(&self, user_id: Id) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, created_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    pub async fn delete_token(&self, user_id: Id, id: Id) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("token"));
        }
        record(
            &mut tx,
            Actor(Some(user_id)),
            AuditAction::Delete,
            AuditEntity::ApiToken,
            Some(id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
