//! The five handlers of a simple resource (one table, one list of roles that
//! may read it and one that may write it, perhaps a member's scope). They
//! differ only in names, so one template writes them and their OpenAPI
//! annotations alike; resources with rules of their own write theirs by hand.

/// Writes `routes()` and the `list`, `create`, `get`, `update` and `delete`
/// handlers, with the imports they need. Paths are literals because
/// `#[utoipa::path]` reads them before `concat!` could run.
///
/// - The `list` handler answers JSON or, with `?format=csv` or `Accept:
///   text/csv`, the CSV of `csv::CsvRecord` (`giro-{tag}.csv`).
/// - `list: x by "date"` adds an optional `?date=YYYY-MM-DD` filter, passed
///   to the store after the scope. `list: own` leaves the `list` handler to
///   the module (people: JSON or CSV).
/// - `get: x read as Entity` writes an audit line for each read of one
///   record (personal data), after the read succeeded.
/// - `scope: Caller::scope, organisation: field` confines a member to its own
///   association: reads take the caller's scope, updates and deletes first
///   read the record through it, and writes get the organisation from
///   `Caller::organisation_for(input.field)`, checked before validation.
macro_rules! crud {
    (
        tag: $tag:literal,
        paths: $many:literal, $one:literal,
        record: $T:ident, input: $I:ident,
        read: $read:expr, write: $write:expr,
        $(scope: $scope:path, organisation: $org:ident,)?
        $(#[$($list_doc:tt)*])*
        list: $list:ident $(by $by:literal)?,
        get: $get:ident $(read as $audited:ident)?, create: $create:ident, update: $update:ident,
        $(#[$($delete_doc:tt)*])*
        delete: $delete:ident $(,)?
    ) => {
        use axum::extract::State;
        use axum::http::StatusCode;
        use axum::Json;
        use $crate::api::extract::PathId;
        use $crate::api::json::{parse, Body};
        use $crate::api::{AppError, AppState, Caller, ErrorBody};

        pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
            utoipa_axum::router::OpenApiRouter::new()
                .routes(utoipa_axum::routes!(list, create))
                .routes(utoipa_axum::routes!(get, update, delete))
        }

        crud!(@list [$(#[$($list_doc)*])*] $tag $many $T [$read] [$($scope)?] $list [$($by)?]);

        #[utoipa::path(post, path = $many, tag = $tag, request_body = $I,
            operation_id = stringify!($create),
            responses((status = 201, body = $T)))]
        async fn create(
            State(s): State<AppState>,
            caller: Caller,
            Body(body): Body,
        ) -> Result<(StatusCode, Json<$T>), AppError> {
            caller.allow($write)?;
            let input: $I = parse(&body)?;
            $(let $org = caller.organisation_for(input.$org, stringify!($org))?;)?
            input.validate()?;
            let made = s.store.$create(caller.actor(), $($org,)? &input).await?;
            Ok((StatusCode::CREATED, Json(made)))
        }

        #[utoipa::path(get, path = $one, tag = $tag, params(("id" = i64, Path)),
            operation_id = concat!("get_", stringify!($get)),
            responses((status = 200, body = $T)))]
        async fn get(
            State(s): State<AppState>,
            caller: Caller,
            PathId(id): PathId,
        ) -> Result<Json<$T>, AppError> {
            caller.allow($read)?;
            let found = s.store.$get($($scope(&caller),)? id).await?;
            // A record of personal data: the read leaves an audit line.
            $(s.store.note(
                caller.actor(),
                $crate::domain::AuditAction::Read,
                $crate::domain::AuditEntity::$audited,
                Some(id),
                None,
            ).await?;)?
            Ok(Json(found))
        }

        #[utoipa::path(put, path = $one, tag = $tag, params(("id" = i64, Path)),
            request_body = $I, operation_id = stringify!($update),
            responses((status = 200, body = $T)))]
        async fn update(
            State(s): State<AppState>,
            caller: Caller,
            PathId(id): PathId,
            Body(body): Body,
        ) -> Result<Json<$T>, AppError> {
            caller.allow($write)?;
            $(s.store.$get($scope(&caller), id).await?;)?
            let input: $I = parse(&body)?;
            $(let $org = caller.organisation_for(input.$org, stringify!($org))?;)?
            input.validate()?;
            Ok(Json(s.store.$update(caller.actor(), id, $($org,)? &input).await?))
        }

        $(#[$($delete_doc)*])*
        #[utoipa::path(delete, path = $one, tag = $tag, params(("id" = i64, Path)),
            operation_id = stringify!($delete),
            responses((status = 204), (status = 409, body = ErrorBody)))]
        async fn delete(
            State(s): State<AppState>,
            caller: Caller,
            PathId(id): PathId,
        ) -> Result<StatusCode, AppError> {
            caller.allow($write)?;
            $(s.store.$get($scope(&caller), id).await?;)?
            s.store.$delete(caller.actor(), id).await?;
            Ok(StatusCode::NO_CONTENT)
        }
    };

    // The module's own.
    (@list [$($doc:tt)*] $tag:tt $many:tt $T:ident [$read:expr] [$($scope:path)?]
        own []) => {};

    // Everything in scope.
    (@list [$($doc:tt)*] $tag:tt $many:tt $T:ident [$read:expr] [$($scope:path)?]
        $list:ident []) => {
        $($doc)*
        #[utoipa::path(get, path = $many, tag = $tag, operation_id = concat!("list_", stringify!($list)),
            params(("format" = Option<String>, Query, pattern = "^(json|csv)$",
                description = "csv, or send Accept: text/csv")),
            responses((status = 200, content(([$T] = "application/json"), (String = "text/csv")))))]
        async fn list(
            State(s): State<AppState>,
            caller: Caller,
            headers: axum::http::HeaderMap,
            q: $crate::api::extract::Params,
        ) -> Result<axum::response::Response, AppError> {
            caller.allow($read)?;
            let format = $crate::api::format::Format::of(&q, &headers)?;
            let list = s.store.$list($($scope(&caller))?).await?;
            Ok(format.list(list, concat!("giro-", $tag, ".csv")))
        }
    };

    // Optionally only those of one date.
    (@list [$($doc:tt)*] $tag:tt $many:tt $T:ident [$read:expr] [$($scope:path)?]
        $list:ident [$by:tt]) => {
        $($doc)*
        #[utoipa::path(get, path = $many, tag = $tag, operation_id = concat!("list_", stringify!($list)),
            params(($by = Option<String>, Query, description = "YYYY-MM-DD"),
                ("format" = Option<String>, Query, pattern = "^(json|csv)$",
                    description = "csv, or send Accept: text/csv")),
            responses((status = 200, content(([$T] = "application/json"), (String = "text/csv")))))]
        async fn list(
            State(s): State<AppState>,
            caller: Caller,
            headers: axum::http::HeaderMap,
            q: $crate::api::extract::Params,
        ) -> Result<axum::response::Response, AppError> {
            caller.allow($read)?;
            let format = $crate::api::format::Format::of(&q, &headers)?;
            let list = s.store.$list($($scope(&caller),)? q.date($by)?).await?;
            Ok(format.list(list, concat!("giro-", $tag, ".csv")))
        }
    };
}

pub(super) use crud;
