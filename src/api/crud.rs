//! The five handlers of a simple resource (one table, one list of roles that
//! may read it and one that may write it, perhaps a member's scope), written
//! once over [`Resource`]: a resource says what differs (names, roles, scope,
//! audit, its store calls) in an `impl`. Resources with rules of their own
//! write their handlers by hand.

mod operations;

use std::future::Future;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Json;
use serde::{de::DeserializeOwned, Serialize};
use utoipa::openapi::path::{HttpMethod, Operation, Paths};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

use super::extract::{Params, PathId};
use super::format::Format;
use super::json::{parse, Body};
use super::{AppError, AppState, Caller};
use crate::csv::CsvRecord;
use crate::domain::{AuditAction, AuditEntity, Id, Invalid, Role};
use crate::store::{Actor, Scope, Store, StoreError};

/// A resource served by the generic handlers. Operation ids are
/// `list_{TAG}` and `{create,get,update,delete}_{ONE}`, as the document
/// has always named them.
pub trait Resource: 'static {
    type Record: Serialize + ToSchema + Send;
    type Input: DeserializeOwned + ToSchema + Send + Sync;

    /// The OpenAPI tag; also names the list's CSV file (`giro-{TAG}.csv`).
    const TAG: &'static str;
    /// One record's name in operation ids.
    const ONE: &'static str;
    /// The list's path; one record is at `{PATH}/{id}`.
    const PATH: &'static str;
    const READ: &'static [Role];
    const WRITE: &'static [Role];
    /// Set for records an association owns.
    const OWNER: Option<Owner<Self::Input>> = None;
    /// Set for records of personal data: each read of one leaves an audit line.
    const AUDITED: Option<AuditEntity> = None;
    /// The delete's summary in the document, when it has something to say.
    const DELETE_NOTE: Option<&'static str> = None;

    fn validate(input: &Self::Input) -> Result<(), Invalid>;
    /// `scope` is the caller's; records no association owns ignore it.
    fn get(
        store: &Store,
        scope: Scope,
        id: Id,
    ) -> impl Future<Output = Result<Self::Record, StoreError>> + Send;
    /// `org` is the association resolved by [`Owner`], `Some` exactly when
    /// `OWNER` is.
    fn create(
        store: &Store,
        actor: Actor,
        org: Option<Id>,
        input: &Self::Input,
    ) -> impl Future<Output = Result<Self::Record, StoreError>> + Send;
    fn update(
        store: &Store,
        actor: Actor,
        id: Id,
        org: Option<Id>,
        input: &Self::Input,
    ) -> impl Future<Output = Result<Self::Record, StoreError>> + Send;
    fn delete(
        store: &Store,
        actor: Actor,
        id: Id,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// A resource whose list is the generic one: JSON, or with `?format=csv` or
/// `Accept: text/csv` the CSV of its records.
pub trait Listed: Resource<Record: CsvRecord> {
    /// `scope` as for [`Resource::get`].
    fn list(
        store: &Store,
        scope: Scope,
    ) -> impl Future<Output = Result<Vec<Self::Record>, StoreError>> + Send;
}

/// How a member is confined to its association's records: reads, updates
/// and deletes go through the caller's scope (an update or delete reads the
/// record first), and a write is for the member's own association whatever
/// the input asks (`Caller::organisation_for`), checked before validation.
pub struct Owner<I> {
    /// The input field naming the association, as errors name it.
    pub field: &'static str,
    pub of: fn(&I) -> Option<Id>,
}

/// The list, create, get, update and delete routes.
pub fn routes<R: Listed>() -> OpenApiRouter<AppState> {
    routes_but_list::<R>().routes((
        Vec::new(),
        paths(R::PATH, [(HttpMethod::Get, operations::list::<R>())]),
        get(list::<R>),
    ))
}

/// Create, get, update and delete, for a resource that writes its own list.
pub fn routes_but_list<R: Resource>() -> OpenApiRouter<AppState> {
    let one = format!("{}/{{id}}", R::PATH);
    OpenApiRouter::new()
        .routes((
            operations::schemas::<R>(),
            paths(R::PATH, [(HttpMethod::Post, operations::create::<R>())]),
            post(create::<R>),
        ))
        .routes((
            Vec::new(),
            paths(
                &one,
                [
                    (HttpMethod::Get, operations::get::<R>()),
                    (HttpMethod::Put, operations::update::<R>()),
                    (HttpMethod::Delete, operations::delete::<R>()),
                ],
            ),
            get(read::<R>).put(update::<R>).delete(delete::<R>),
        ))
}

/// One path's operations, as `utoipa_axum::routes!` hands them to the router.
fn paths<const N: usize>(at: &str, operations: [(HttpMethod, Operation); N]) -> Paths {
    let mut paths = Paths::new();
    for (method, operation) in operations {
        paths.add_path_operation(at, vec![method], operation);
    }
    paths
}

async fn list<R: Listed>(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(R::READ)?;
    let format = Format::of(&q, &headers)?;
    let list = R::list(&s.store, caller.scope()).await?;
    Ok(format.list(list, &format!("giro-{}.csv", R::TAG)))
}

async fn create<R: Resource>(
    State(s): State<AppState>,
    caller: Caller,
    Body(body): Body,
) -> Result<(StatusCode, Json<R::Record>), AppError> {
    caller.allow(R::WRITE)?;
    let input: R::Input = parse(&body)?;
    let org = organisation::<R>(&caller, &input)?;
    R::validate(&input)?;
    let made = R::create(&s.store, caller.actor(), org, &input).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

async fn read<R: Resource>(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<Json<R::Record>, AppError> {
    caller.allow(R::READ)?;
    let found = R::get(&s.store, caller.scope(), id).await?;
    if let Some(entity) = R::AUDITED {
        s.store
            .note(caller.actor(), AuditAction::Read, entity, Some(id), None)
            .await?;
    }
    Ok(Json(found))
}

async fn update<R: Resource>(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
    Body(body): Body,
) -> Result<Json<R::Record>, AppError> {
    caller.allow(R::WRITE)?;
    in_scope::<R>(&s.store, &caller, id).await?;
    let input: R::Input = parse(&body)?;
    let org = organisation::<R>(&caller, &input)?;
    R::validate(&input)?;
    Ok(Json(
        R::update(&s.store, caller.actor(), id, org, &input).await?,
    ))
}

async fn delete<R: Resource>(
    State(s): State<AppState>,
    caller: Caller,
    PathId(id): PathId,
) -> Result<StatusCode, AppError> {
    caller.allow(R::WRITE)?;
    in_scope::<R>(&s.store, &caller, id).await?;
    R::delete(&s.store, caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A member changes only its association's records: not found otherwise,
/// before the body is read.
async fn in_scope<R: Resource>(store: &Store, caller: &Caller, id: Id) -> Result<(), AppError> {
    if R::OWNER.is_some() {
        R::get(store, caller.scope(), id).await?;
    }
    Ok(())
}

/// The association a write is for, when an association owns the record.
fn organisation<R: Resource>(caller: &Caller, input: &R::Input) -> Result<Option<Id>, AppError> {
    R::OWNER
        .map(|o| caller.organisation_for((o.of)(input), o.field))
        .transpose()
}
