//! The food surplus pages: the donors (`/surplus/donors`: the list, a form to
//! add or edit one, delete), the surplus settings (`/surplus/settings`: the
//! cold chain's longest minutes per food) and the yearly figures per donor
//! (`/surplus/figures?year=`: kg by month for the donation records,
//! printable, beside the API's CSV). Every read and write goes through
//! `service::surplus`, as the API's, with the API's roles: everyone who books
//! reads the donors, planners write them and read the figures. The rules
//! stay in `domain::surplus`.

mod donors;
mod figures;
mod settings;

use std::collections::BTreeMap;

use axum::routing::{get, post};
use axum::Router;

use super::i18n::Tr;
use crate::api::AppState;
use crate::domain::surplus::FoodKind;
use crate::domain::FieldError;
use crate::service::ServiceError;
use crate::store::StoreError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/surplus/donors", get(donors::list))
        .route(
            "/surplus/donors/new",
            get(donors::new_form).post(donors::create),
        )
        .route(
            "/surplus/donors/{id}",
            get(donors::edit_form).post(donors::update),
        )
        .route("/surplus/donors/{id}/delete", post(donors::delete))
        .route(
            "/surplus/settings",
            get(settings::page).post(settings::save),
        )
        .route("/surplus/figures", get(figures::page))
}

const FOODS: [FoodKind; 4] = [
    FoodKind::Ambient,
    FoodKind::Chilled,
    FoodKind::Frozen,
    FoodKind::Cooked,
];

/// "secco e fresco", "refrigerato", "surgelato", "cotto".
fn food(t: &Tr, f: FoodKind) -> &'static str {
    t.t(match f {
        FoodKind::Ambient => "surplus.food.ambient",
        FoodKind::Chilled => "surplus.food.chilled",
        FoodKind::Frozen => "surplus.food.frozen",
        FoodKind::Cooked => "surplus.food.cooked",
    })
}

/// Kilograms as people write them: "37,5" in Italian, "37.5" in English,
/// to the gram at most.
fn kg(t: &Tr, v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', t.t("surplus.decimal_point"))
}

/// Field → catalogue key of its message.
type Marks = BTreeMap<&'static str, &'static str>;

/// A field's state for `aria-invalid`.
fn invalid(errors: &Marks, field: &str) -> &'static str {
    if errors.contains_key(field) {
        "true"
    } else {
        "false"
    }
}

/// The invalid input of a service call, whoever found it (the domain's
/// checks or the store's references); anything else is the error page's.
fn invalid_of(e: ServiceError) -> Result<crate::domain::Invalid, crate::api::AppError> {
    match e {
        ServiceError::Invalid(i) | ServiceError::Store(StoreError::Invalid(i)) => Ok(i),
        e => Err(e.into()),
    }
}

/// Text with control characters was taken out of the form: mark the
/// fields of `known` it names.
fn control_marks(faults: &[FieldError], known: &[&'static str]) -> Marks {
    faults
        .iter()
        .filter_map(|f| known.iter().find(|n| **n == f.field))
        .map(|n| (*n, "surplus.err_control"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::Lang;

    #[test]
    fn kilograms_read_as_written_in_each_language() {
        let it = Tr::new(Lang::It);
        let en = Tr::new(Lang::En);
        assert_eq!(kg(&it, 37.5), "37,5");
        assert_eq!(kg(&en, 37.5), "37.5");
        assert_eq!(kg(&it, 14.75), "14,75");
        assert_eq!(kg(&it, 40.0), "40");
        assert_eq!(kg(&it, 0.0), "0");
    }
}
