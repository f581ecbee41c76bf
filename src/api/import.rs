//! Spreadsheets in: `POST /import/people?mode=preview|commit` with the CSV
//! file as the body (`Content-Type: text/csv`). A member imports into its own
//! association, a planner names `organisation_id`.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::BOOKERS;
use super::extract::Params;
use super::{AppError, AppState, Caller};
use crate::service::import::{self, ImportReport, Mode};

/// The largest file an import reads: 5000 rows of a few hundred bytes each.
pub const LIMIT: usize = 4 << 20;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(people))
        // Above the API's own limit, for this route only.
        .layer(DefaultBodyLimit::max(LIMIT))
}

/// A body read but not yet taken as a file, so the handler checks the
/// caller's role before the media type (`CsvBody::file`).
pub struct CsvBody {
    csv: bool,
    bytes: Bytes,
}

impl CsvBody {
    /// The file, when sent as `text/csv` (or `text/plain`).
    pub fn file(self) -> Result<Bytes, AppError> {
        if !self.csv {
            return Err(AppError::UnsupportedMedia(
                "send the file as the body with Content-Type: text/csv".into(),
            ));
        }
        Ok(self.bytes)
    }
}

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let csv = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("text/csv") || v.eq_ignore_ascii_case("text/plain")
            });
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge(format!("the file is larger than {} MiB", LIMIT >> 20))
            } else {
                AppError::BadRequest {
                    field: None,
                    message: e.body_text(),
                }
            }
        })?;
        Ok(Self { csv, bytes })
    }
}

fn mode(q: &Params) -> Result<Mode, AppError> {
    let raw = q.0.get("mode").map_or("preview", String::as_str);
    Mode::parse(raw).ok_or_else(|| AppError::BadRequest {
        field: Some("mode".into()),
        message: format!("mode: expected preview or commit, got {raw:?}"),
    })
}

/// People and their homes from a spreadsheet. Columns, in Italian or
/// English (case and accents do not matter): `nome`/`name` and
/// `mobilità`/`mobility` required; `telefono`/`phone`, `casa`/`home`,
/// `indirizzo`/`address`, `lat`, `lon`, `assistenza`/`assistance`,
/// `cane guida`/`service_animal`, `note per l'autista`/`driver_notes`. A row
/// whose `casa` names a place the association sees lives there; otherwise
/// the address, lat and lon make a new home. Separator `,` or `;`, UTF-8.
/// `mode=preview` (the default) answers what would be written and every
/// faulty row; `mode=commit` writes all rows in one transaction, or with
/// any faulty row nothing (422 with `errors`: line, where the header is 1,
/// and column as written). A wrong or missing header is 422 naming it.
#[utoipa::path(post, path = "/api/v1/import/people", tag = "import",
    operation_id = "import_people",
    params(("mode" = Option<String>, Query, pattern = "^(preview|commit)$"),
        ("organisation_id" = Option<i64>, Query, minimum = 1,
            description = "required for planners; a member's own association")),
    request_body(content = String, content_type = "text/csv",
        description = "the people file, at most 5000 rows"),
    responses((status = 200, body = ImportReport), (status = 201, body = ImportReport),
        (status = 422, body = super::ErrorBody), (status = 415, body = super::ErrorBody),
        (status = 413, body = super::ErrorBody)))]
async fn people(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
    body: CsvBody,
) -> Result<(StatusCode, Json<ImportReport>), AppError> {
    caller.allow(BOOKERS)?;
    let file = body.file()?;
    let mode = mode(&q)?;
    let org = caller.organisation_for(q.id("organisation_id")?, "organisation_id")?;
    let report = import::people(&s.store, caller.actor(), org, &file, mode).await?;
    let status = if report.written {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)))
}
