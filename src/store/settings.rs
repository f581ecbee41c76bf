//! The service's settings, one JSON record per key: the ride policy, the
//! fee rules and the meal settings.

use sqlx::Row;

use super::audit::record;
use super::{json, to_json, Actor, Store, StoreError};
use crate::domain::fees::FeeRules;
use crate::domain::meals::MealSettings;
use crate::domain::ride_policy::RidePolicy;
use crate::domain::surplus::SurplusSettings;
use crate::domain::{AuditAction, AuditEntity};

const RIDE_POLICY: &str = "ride_policy";
const FEE_RULES: &str = "fee_rules";
const MEAL_SETTINGS: &str = "meal_settings";
const SURPLUS_SETTINGS: &str = "surplus_settings";

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
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::RidePolicy,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(policy.clone())
    }

    /// The fee rules in force: the defaults until someone sets them.
    pub async fn fee_rules(&self) -> Result<FeeRules, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(FEE_RULES)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => json(&r.try_get::<String, _>("value")?),
            None => Ok(FeeRules::default()),
        }
    }

    pub async fn set_fee_rules(
        &self,
        actor: Actor,
        rules: &FeeRules,
    ) -> Result<FeeRules, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(FEE_RULES)
        .bind(to_json(rules))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::FeeRules,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(rules.clone())
    }

    /// The meal service's settings: the defaults until someone sets them.
    pub async fn meal_settings(&self) -> Result<MealSettings, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(MEAL_SETTINGS)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => json(&r.try_get::<String, _>("value")?),
            None => Ok(MealSettings::default()),
        }
    }

    pub async fn set_meal_settings(
        &self,
        actor: Actor,
        settings: &MealSettings,
    ) -> Result<MealSettings, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(MEAL_SETTINGS)
        .bind(to_json(settings))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::MealSettings,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(settings.clone())
    }

    /// The surplus settings (the cold chain's limits): the defaults until
    /// someone sets them.
    pub async fn surplus_settings(&self) -> Result<SurplusSettings, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(SURPLUS_SETTINGS)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => json(&r.try_get::<String, _>("value")?),
            None => Ok(SurplusSettings::default()),
        }
    }

    pub async fn set_surplus_settings(
        &self,
        actor: Actor,
        settings: &SurplusSettings,
    ) -> Result<SurplusSettings, StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(SURPLUS_SETTINGS)
        .bind(to_json(settings))
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            AuditAction::Update,
            AuditEntity::SurplusSettings,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(settings.clone())
    }
}
