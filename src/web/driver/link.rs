//! Drivers sign in with their personal link `/d/{token}`, and a PIN when they have one.

use axum::Router;

use crate::api::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
