//! The OpenAPI operations of the generic handlers, built from the
//! resource's constants: `#[utoipa::path]` takes literals and describes one
//! fn, so it cannot describe a handler generic over the resource. Each is
//! what that annotation wrote for the resource's own handlers before, down
//! to the empty descriptions.

use utoipa::openapi::path::{Operation, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::ArrayBuilder;
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Schema, Type,
};
use utoipa::{PartialSchema, ToSchema};

use super::{Listed, Resource};
use crate::api::ErrorBody;

/// The schemas the operations name, with those they name in turn.
pub(super) fn schemas<R: Resource>() -> Vec<(String, RefOr<Schema>)> {
    let mut all = Vec::new();
    named::<R::Record>(&mut all);
    named::<R::Input>(&mut all);
    named::<ErrorBody>(&mut all);
    all
}

fn named<T: ToSchema>(all: &mut Vec<(String, RefOr<Schema>)>) {
    all.push((T::name().into(), T::schema()));
    T::schemas(all);
}

pub(super) fn list<R: Listed>() -> Operation {
    let format = ParameterBuilder::new()
        .name("format")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some("csv, or send Accept: text/csv"))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^(json|csv)$")),
        ));
    let ok = ResponseBuilder::new()
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(ArrayBuilder::new().items(record::<R>())))
                .build(),
        )
        .content(
            "text/csv",
            ContentBuilder::new().schema(Some(String::schema())).build(),
        );
    operation::<R>(format!("list_{}", R::TAG))
        .parameter(format)
        .response("200", ok)
        .build()
}

pub(super) fn create<R: Resource>() -> Operation {
    operation::<R>(format!("create_{}", R::ONE))
        .request_body(Some(input::<R>()))
        .response("201", answer(record::<R>()))
        .build()
}

pub(super) fn get<R: Resource>() -> Operation {
    operation::<R>(format!("get_{}", R::ONE))
        .parameter(id())
        .response("200", answer(record::<R>()))
        .build()
}

pub(super) fn update<R: Resource>() -> Operation {
    operation::<R>(format!("update_{}", R::ONE))
        .parameter(id())
        .request_body(Some(input::<R>()))
        .response("200", answer(record::<R>()))
        .build()
}

pub(super) fn delete<R: Resource>() -> Operation {
    operation::<R>(format!("delete_{}", R::ONE))
        .summary(R::DELETE_NOTE)
        .parameter(id())
        .response("204", ResponseBuilder::new())
        .response("409", answer(Ref::from_schema_name(ErrorBody::name())))
        .build()
}

fn operation<R: Resource>(id: String) -> OperationBuilder {
    OperationBuilder::new().operation_id(Some(id)).tag(R::TAG)
}

fn record<R: Resource>() -> Ref {
    Ref::from_schema_name(R::Record::name())
}

fn input<R: Resource>() -> utoipa::openapi::request_body::RequestBody {
    let schema = Ref::from_schema_name(R::Input::name());
    RequestBodyBuilder::new()
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .required(Some(Required::True))
        .build()
}

/// A JSON answer, with the empty description the annotations gave it.
fn answer(schema: Ref) -> ResponseBuilder {
    ResponseBuilder::new().content(
        "application/json",
        ContentBuilder::new().schema(Some(schema)).build(),
    )
}

fn id() -> ParameterBuilder {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(i64::schema()))
}
