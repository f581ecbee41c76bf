//! Drivers sign in with a personal link: a long random secret the dispatcher
//! hands over (printed, as a QR code), stored only as its hash, revocable, and
//! optionally guarded by a short PIN that locks the link after repeated misses.

use serde::Serialize;
use utoipa::ToSchema;

use super::DriverError;
use crate::auth::{password, token};
use crate::domain::{
    check_pin_form, link_path, DriverLink, Id, Invalid, Role, User, MAX_FAILED_PINS,
};
use crate::store::{Actor, Store};

/// A link just made: the secret is shown this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewLink {
    pub token: String,
    /// The page the link opens, `/d/<token>`.
    pub path: String,
    pub link: DriverLink,
}

/// Who a link signs in.
#[derive(Debug, Clone)]
pub struct LinkedDriver {
    pub link_id: Id,
    pub user: User,
    /// The driver has a PIN: ask for it and pass it to [`check_pin`].
    pub needs_pin: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PinCheck {
    Accepted(User),
    Wrong {
        attempts_left: i64,
    },
    /// That was the last wrong PIN allowed: the link no longer works.
    Revoked,
}

async fn driver(store: &Store, user_id: Id) -> Result<User, DriverError> {
    let user = store.user(user_id).await?;
    if user.role != Role::Driver {
        return Err(Invalid::one(
            "role",
            "the user is not a driver: only drivers sign in with a link",
        )
        .into());
    }
    Ok(user)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DriverError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DriverError::Internal(e.to_string()))
}

/// A new link for a driver; the driver's earlier links stop working.
pub async fn create_link(store: &Store, actor: Actor, user_id: Id) -> Result<NewLink, DriverError> {
    driver(store, user_id).await?;
    let secret = token::generate();
    let link = store
        .create_driver_link(actor, user_id, &token::hash(&secret))
        .await?;
    Ok(NewLink {
        path: link_path(&secret),
        token: secret,
        link,
    })
}

/// Revokes every live link of a user; how many there were.
pub async fn revoke_links(store: &Store, actor: Actor, user_id: Id) -> Result<u64, DriverError> {
    store.user(user_id).await?;
    Ok(store.revoke_driver_links(actor, user_id).await?)
}

/// The driver a link's secret belongs to; `None` when the link is unknown
/// or revoked, or its user is no longer an active driver.
pub async fn user_for_link(
    store: &Store,
    secret: &str,
) -> Result<Option<LinkedDriver>, DriverError> {
    Ok(store
        .link_holder(&token::hash(secret))
        .await?
        .map(|h| LinkedDriver {
            link_id: h.link.id,
            user: h.user,
            needs_pin: h.pin_hash.is_some(),
        }))
}

/// Sets a driver's PIN (4 to 8 digits), or removes it with `None`.
pub async fn set_pin(
    store: &Store,
    actor: Actor,
    user_id: Id,
    pin: Option<&str>,
) -> Result<(), DriverError> {
    driver(store, user_id).await?;
    let hash = match pin {
        None => None,
        Some(p) => {
            check_pin_form(p)?;
            let p = p.to_string();
            Some(blocking(move || password::hash(&p)).await?)
        }
    };
    Ok(store.set_pin_hash(actor, user_id, hash.as_deref()).await?)
}

/// Checks the PIN typed after opening a link. A link whose driver has no
/// PIN needs none. After [`MAX_FAILED_PINS`] wrong PINs in a row the link is
/// revoked; an unknown or revoked link is not found.
pub async fn check_pin(store: &Store, secret: &str, pin: &str) -> Result<PinCheck, DriverError> {
    let holder = store
        .link_holder(&token::hash(secret))
        .await?
        .ok_or(DriverError::NotFound("link"))?;
    let Some(stored) = holder.pin_hash else {
        return Ok(PinCheck::Accepted(holder.user));
    };
    let pin = pin.to_string();
    if blocking(move || password::verify(&pin, &stored)).await? {
        store.pin_succeeded(holder.link.id).await?;
        return Ok(PinCheck::Accepted(holder.user));
    }
    let failed = store.pin_failed(holder.link.id).await?;
    Ok(if failed >= MAX_FAILED_PINS {
        PinCheck::Revoked
    } else {
        PinCheck::Wrong {
            attempts_left: MAX_FAILED_PINS - failed,
        }
    })
}
