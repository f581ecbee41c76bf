//! The service's settings, one JSON record per key: today the ride policy.

use sqlx::Row;

use super::audit::record;
use super::{json, to_json, Actor, Store, StoreError};
use crate::domain::ride_policy::RidePolicy;

const RIDE_POLICY: &str = "ride_policy";

impl Store {
    /// The ride policy in force: the defaults until someone sets one.
    pub async fn ride_policy(&self) -> Result<RidePolicy, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(RIDE_POLICY)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => json(&r.try_get::<String, _>("value")?),
            None => Ok(RidePolicy::default()),
        }
    }

    pub async fn set_ride_policy(
        &self,
        actor: Actor,
        policy: &RidePolicy,
    ) -> Result<RidePolicy, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(RIDE_POLICY)
        .bind(to_json(policy))
        .execute(&mut *tx)
        .await?;
        record(&mut tx, actor, "update", "ride_policy", None, None).await?;
        tx.commit().await?;
        Ok(policy.clone())
    }
}
