//! Schemas of the map and list fields whose rules utoipa's field attributes
//! cannot state: the same limits `validate` checks, for the OpenAPI document.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use utoipa::openapi::{Array, Object};

use super::vehicle::{MAX_DIMENSIONS, MAX_SKILLS};

/// A dimension or skill name, as `vehicle::is_token` accepts it.
const TOKEN: &str = "^[a-z0-9_]{1,40}$";

fn token() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(TOKEN))
        .build()
}

/// Room per dimension: 1 to 8 snake_case names, each 0 to 10000.
pub fn room() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .min_properties(Some(1))
        .max_properties(Some(MAX_DIMENSIONS))
        .property_names(Some(token()))
        .additional_properties(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Int32,
                )))
                .minimum(Some(0))
                .maximum(Some(10_000)),
        ))
        .examples([serde_json::json!({"seats": 1, "wheelchairs": 0})])
        .build()
}

/// The same, where it may be left out or null.
pub fn room_optional() -> Object {
    let mut o = room();
    o.schema_type = utoipa::openapi::schema::SchemaType::from_iter([Type::Object, Type::Null]);
    o
}

/// Equipment: at most 16 snake_case names.
pub fn skills() -> Array {
    ArrayBuilder::new()
        .items(token())
        .max_items(Some(MAX_SKILLS))
        .build()
}

/// A volunteer's vehicles: at most 100 ids, none twice.
pub fn vehicle_ids() -> Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Int64,
                )))
                .minimum(Some(1)),
        )
        .max_items(Some(100))
        .unique_items(true)
        .build()
}
