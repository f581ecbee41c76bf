//! The first way in: an administrator made from the command line, since a
//! fresh database has no user to log in with.

use crate::auth::password;
use crate::domain::{Invalid, Role, User, UserInput};
use crate::store::{Actor, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("a user with the e-mail {0} already exists")]
    EmailTaken(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// Creates an active administrator, checked like any new user.
pub async fn create_admin(
    store: &Store,
    email: &str,
    name: &str,
    password: &str,
) -> Result<User, AdminError> {
    let input = UserInput {
        email: email.to_string(),
        name: name.to_string(),
        role: Role::Admin,
        organisation_id: None,
        volunteer_id: None,
        password: Some(password.to_string()),
        active: true,
    };
    input.validate(true)?;
    if store.user_for_login(email).await?.is_some() {
        return Err(AdminError::EmailTaken(email.trim().to_lowercase()));
    }
    let p = password.to_string();
    let hash = tokio::task::spawn_blocking(move || password::hash(&p))
        .await
        .map_err(|e| StoreError::Corrupt(format!("hashing stopped: {e}")))?;
    Ok(store.create_user(Actor(None), &input, &hash).await?)
}
