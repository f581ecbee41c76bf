//! The meal pages: the kitchen's lists of a date (`/board/{date}/kitchen`:
//! the production list and the packing list per route, printable, with the
//! API's CSV downloads), the meal recipients (`/meals/recipients`: the list,
//! a form to add or edit one, holds added and lifted) and the meal settings
//! (`/meals/settings`). Every read and write goes through `service::meals`,
//! as the API's; the rules stay in `domain::meals`.

mod kitchen;
mod recipients;
mod settings;

use axum::routing::{get, post};
use axum::Router;

use super::i18n::Tr;
use crate::api::AppState;
use crate::domain::meals::MealType;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/board/{date}/kitchen", get(kitchen::page))
        .route("/meals/recipients", get(recipients::list))
        .route(
            "/meals/recipients/new",
            get(recipients::new_form).post(recipients::create),
        )
        .route(
            "/meals/recipients/{id}",
            get(recipients::edit_form).post(recipients::update),
        )
        .route("/meals/recipients/{id}/hold", post(recipients::hold))
        .route("/meals/recipients/{id}/holds/lift", post(recipients::lift))
        .route("/meals/recipients/{id}/delete", post(recipients::delete))
        .route("/meals/settings", get(settings::page).post(settings::save))
}

/// "caldo", "freddo", "surgelato".
pub(crate) fn meal_type(t: &Tr, m: MealType) -> &'static str {
    t.t(match m {
        MealType::Hot => "meals.type.hot",
        MealType::Cold => "meals.type.cold",
        MealType::Frozen => "meals.type.frozen",
    })
}

/// A diet tag as people read it: "senza maiale".
pub(crate) fn diet(tag: &str) -> String {
    tag.replace('_', " ")
}

/// Diet tags in words, "diabetico, morbido"; `none` when there are none.
fn diets(tags: &[String], none: &str) -> String {
    if tags.is_empty() {
        none.to_string()
    } else {
        tags.iter().map(|d| diet(d)).collect::<Vec<_>>().join(", ")
    }
}

/// A field's state for `aria-invalid`.
fn invalid<K: Ord + std::borrow::Borrow<str>, V>(
    errors: &std::collections::BTreeMap<K, V>,
    field: &str,
) -> &'static str {
    if errors.contains_key(field) {
        "true"
    } else {
        "false"
    }
}
