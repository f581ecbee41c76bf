//! Drivers' personal links (hashes of their secrets) and PINs.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::record;
use super::sessions::user_columns;
use super::users::decode as decode_user;
use super::{now, parse_instant, Actor, Store, StoreError};
use crate::domain::{AuditAction, AuditEntity};
use crate::domain::{DriverLink, Id, User, MAX_FAILED_PINS};

/// A live link with its driver and the PIN hash, if the driver has a PIN.
#[derive(Debug, Clone)]
pub struct LinkHolder {
    pub link: DriverLink,
    pub user: User,
    pub pin_hash: Option<String>,
}

fn decode_link(r: &AnyRow) -> Result<DriverLink, StoreError> {
    let created: String = r.try_get("link_created_at")?;
    let revoked: Option<String> = r.try_get("link_revoked_at")?;
    Ok(DriverLink {
        id: r.try_get("link_id")?,
        user_id: r.try_get("link_user_id")?,
        created_at: parse_instant(&created)?,
        revoked_at: revoked.as_deref().map(parse_instant).transpose()?,
    })
}

const LINK_COLUMNS: &str = "l.id AS link_id, l.user_id AS link_user_id, \
    l.created_at AS link_created_at, l.revoked_at AS link_revoked_at";

impl Store {
    /// A new link for the user; the user's earlier links stop working.
    pub async fn create_driver_link(
        &self,
        actor: Actor,
        user_id: Id,
        token_hash: &str,
    ) -> Result<DriverLink, StoreError> {
        let at = now();
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE driver_links SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(&at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let id: Id = sqlx::query(
            "INSERT INTO driver_links (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
             RETURNING id",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let link = DriverLink {
            id,
            user_id,
            created_at: parse_instant(&at)?,
            revoked_at: None,
        };
        record(
            &mut tx,
            actor,
            AuditAction::Create,
            AuditEntity::DriverLink,
            Some(link.id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(link)
    }

    /// Revokes every live link of the user; how many there were.
    pub async fn revoke_driver_links(&self, actor: Actor, user_id: Id) -> Result<u64, StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE driver_links SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        record(
            &mut tx,
            actor,
            AuditAction::Revoke,
            AuditEntity::DriverLink,
            None,
            Some(format!("user {user_id}: {n} link(s)")),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The live link with this hash, if its user is an active driver.
    pub async fn link_holder(&self, token_hash: &str) -> Result<Option<LinkHolder>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {LINK_COLUMNS}, {}, u.pin_hash FROM driver_links l \
             JOIN users u ON u.id = l.user_id \
             WHERE l.token_hash = $1 AND l.revoked_at IS NULL AND u.active = 1 \
             AND u.role = 'driver'",
            user_columns()
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(LinkHolder {
                link: decode_link(&r)?,
                user: decode_user(&r)?,
                pin_hash: r.try_get("pin_hash")?,
            })
        })
        .transpose()
    }

    /// Sets (a hash) or clears the user's PIN.
    pub async fn set_pin_hash(
        &self,
        actor: Actor,
        user_id: Id,
        pin_hash: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE users SET pin_hash = $1 WHERE id = $2")
            .bind(pin_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound("user"));
        }
        let what = if pin_hash.is_some() {
            "pin set"
        } else {
            "pin cleared"
        };
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::User,
            Some(user_id),
            Some(what.into()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts a wrong PIN on a link; at the limit the link is revoked.
    /// Returns the wrong PINs in a row so far.
    pub async fn pin_failed(&self, link_id: Id) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let failed: i64 = sqlx::query(
            "UPDATE driver_links SET failed_pins = failed_pins + 1 WHERE id = $1 \
             RETURNING failed_pins",
        )
        .bind(link_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound("link"))?
        .try_get("failed_pins")?;
        if failed >= MAX_FAILED_PINS {
            sqlx::query(
                "UPDATE driver_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            )
            .bind(now())
            .bind(link_id)
            .execute(&mut *tx)
            .await?;
            record(
                &mut tx,
                Actor(None),
                AuditAction::Revoke,
                AuditEntity::DriverLink,
                Some(link_id),
                Some(format!("{failed} wrong PINs")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(failed)
    }

    /// A right PIN starts the count of wrong ones afresh.
    pub async fn pin_succeeded(&self, link_id: Id) -> Result<(), StoreError> {
        sqlx::query("UPDATE driver_links SET failed_pins = 0 WHERE id = $1")
            .bind(link_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
