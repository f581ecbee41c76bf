use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;

use super::auth::BOOKERS;
use super::crud::{self, Owner, Resource};
use super::extract::Params;
use super::format::{self, Format};
use super::{AppError, AppState, Caller};
use crate::domain::{AuditEntity, Id, Invalid, Person, PersonInput, Role};
use crate::store::{Actor, Scope, Store, StoreError};

pub fn routes() -> OpenApiRouter<AppState> {
    crud::routes_but_list::<People>().routes(utoipa_axum::routes!(list))
}

struct People;

impl Resource for People {
    type Record = Person;
    type Input = PersonInput;
    const TAG: &str = "people";
    const ONE: &str = "person";
    const PATH: &str = "/api/v1/people";
    const READ: &[Role] = BOOKERS;
    const WRITE: &[Role] = BOOKERS;
    const OWNER: Option<Owner<PersonInput>> = Some(Owner {
        field: "organisation_id",
        of: |p| p.organisation_id,
    });
    const AUDITED: Option<AuditEntity> = Some(AuditEntity::Person);
    const DELETE_NOTE: Option<&str> =
        Some("Refused with 409 while requests still name the person.");

    fn validate(input: &PersonInput) -> Result<(), Invalid> {
        input.validate()
    }
    async fn get(store: &Store, scope: Scope, id: Id) -> Result<Person, StoreError> {
        store.person(scope, id).await
    }
    async fn create(
        store: &Store,
        actor: Actor,
        org: Option<Id>,
        input: &PersonInput,
    ) -> Result<Person, StoreError> {
        store.create_person(actor, owned(org), input).await
    }
    async fn update(
        store: &Store,
        actor: Actor,
        id: Id,
        org: Option<Id>,
        input: &PersonInput,
    ) -> Result<Person, StoreError> {
        store.update_person(actor, id, owned(org), input).await
    }
    async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), StoreError> {
        store.delete_person(actor, id).await
    }
}

/// The association the handlers resolved through `OWNER`.
fn owned(org: Option<Id>) -> Id {
    org.expect("people have an OWNER, so every write has an organisation")
}

/// Everyone served, or for a member only its association's people; a
/// planner may name `organisation_id`. As CSV (`format=csv` or `Accept:
/// text/csv`) with each home's name, address and coordinates, in the layout
/// `POST /import/people` reads.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", operation_id = "list_people",
    params(("organisation_id" = Option<i64>, Query, minimum = 1),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([Person] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let only = q.id("organisation_id")?;
    let people: Vec<Person> = s
        .store
        .people(caller.scope())
        .await?
        .into_iter()
        .filter(|p| only.is_none_or(|o| p.organisation_id == o))
        .collect();
    Ok(match format {
        Format::Json => Json(people).into_response(),
        Format::Csv => {
            let places = s
                .store
                .places(crate::store::Scope::All)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
            let name = match only {
                Some(o) => format!("giro-people-{o}.csv"),
                None => "giro-people.csv".into(),
            };
            format::csv(crate::csv::people(&people, &places), &name)
        }
    })
}
