//! The service's settings, one JSON record per key: the ride policy, the
//! fee rules, the meal and the surplus settings. Each kind names its key
//! and its audit entity once ([`Setting`]); one read and one write serve all.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::Row;

use super::audit::record;
use super::{json, to_json, Actor, Store, StoreError};
use crate::domain::fees::FeeRules;
use crate::domain::meals::MealSettings;
use crate::domain::ride_policy::RidePolicy;
use crate::domain::surplus::SurplusSettings;
use crate::domain::{AuditAction, AuditEntity};

/// A kind of setting: its defaults stand until someone sets it.
pub trait Setting: Serialize + DeserializeOwned + Default + Clone {
    /// Its row in `settings`.
    const KEY: &'static str;
    /// What the audit log names when it changes.
    const ENTITY: AuditEntity;
}

impl Setting for RidePolicy {
    const KEY: &'static str = "ride_policy";
    const ENTITY: AuditEntity = AuditEntity::RidePolicy;
}

impl Setting for FeeRules {
    const KEY: &'static str = "fee_rules";
    const ENTITY: AuditEntity = AuditEntity::FeeRules;
}

impl Setting for MealSettings {
    const KEY: &'static str = "meal_settings";
    const ENTITY: AuditEntity = AuditEntity::MealSettings;
}

/// The cold chain's limits.
impl Setting for SurplusSettings {
    const KEY: &'static str = "surplus_settings";
    const ENTITY: AuditEntity = AuditEntity::SurplusSettings;
}

impl Store {
    /// The setting in force: its defaults until someone sets it.
    pub async fn setting<S: Setting>(&self) -> Result<S, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(S::KEY)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => json(&r.try_get::<String, _>("value")?),
            None => Ok(S::default()),
        }
    }

    /// Replaces the setting, with its audit record, in one transaction.
    pub async fn set_setting<S: Setting>(&self, actor: Actor, value: &S) -> Result<S, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(S::KEY)
        .bind(to_json(value))
        .execute(&mut *tx)
        .await?;
        record(&mut tx, actor, AuditAction::Update, S::ENTITY, None, None).await?;
        tx.commit().await?;
        Ok(value.clone())
    }

    // By name, for the many readers.
    pub async fn ride_policy(&self) -> Result<RidePolicy, StoreError> {
        self.setting().await
    }
    pub async fn fee_rules(&self) -> Result<FeeRules, StoreError> {
        self.setting().await
    }
    pub async fn meal_settings(&self) -> Result<MealSettings, StoreError> {
        self.setting().await
    }
    pub async fn surplus_settings(&self) -> Result<SurplusSettings, StoreError> {
        self.setting().await
    }
}
