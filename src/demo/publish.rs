//! The demo's plan goes out at once: the newest revision is published and
//! every demo driver gets a personal link, so a driver who signs in sees a route.

use super::{DemoError, Loaded};
use crate::domain::Role;
use crate::service::drivers;
use crate::store::{Actor, Store};

/// A demo driver's personal link.
#[derive(Debug, Clone)]
pub struct DriverLogin {
    pub name: String,
    pub email: String,
    /// The page is at `/d/<token>`.
    pub token: String,
    /// Stops on the driver's published routes.
    pub stops: usize,
}

/// What [`publish`] did.
#[derive(Debug, Clone)]
pub struct Published {
    pub revision: i64,
    pub drivers: Vec<DriverLogin>,
}

/// Publishes the newest revision of the demo date (the solve's draft) and
/// makes a personal link for each demo driver.
pub async fn publish(store: &Store, loaded: &Loaded) -> Result<Published, DemoError> {
    let actor = Actor(None);
    let draft = store.plan(loaded.date, None).await?;
    let plan = store
        .publish(actor, loaded.date, draft.revision, draft.version)
        .await?;
    let mut out = Vec::new();
    for login in loaded.logins.iter().filter(|l| l.role == Role::Driver) {
        let (user, _) = store
            .user_for_login(&login.email)
            .await?
            .ok_or_else(|| DemoError::Missing(login.email.clone()))?;
        let link = drivers::create_link(store, actor, user.id).await?;
        let stops = plan
            .routes
            .iter()
            .filter(|r| r.volunteer_id.is_some() && r.volunteer_id == user.volunteer_id)
            .map(|r| r.stops.len())
            .sum();
        out.push(DriverLogin {
            name: login.name.clone(),
            email: login.email.clone(),
            token: link.token,
            stops,
        });
    }
    Ok(Published {
        revision: plan.revision,
        drivers: out,
    })
}
