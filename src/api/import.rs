//! Spreadsheets in: `POST /import/{people,places,standing-orders}?mode=preview|commit`
//! with the CSV file as the body (`Content-Type: text/csv`). A member imports
//! into its own association, a planner names `organisation_id` (places name
//! it per row, as `POST /places` does).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::BOOKERS;
use super::extract::Params;
use super::{AppError, AppState, Caller};
use crate::service::import::{self, ImportReport, Mode, PlacesReport, StandingOrdersReport};

/// The largest file an import reads: 5000 rows of a few hundred bytes each.
pub const LIMIT: usize = 4 << 20;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(people))
        .routes(routes!(places))
        .routes(routes!(standing_orders))
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

/// 201 once written, 200 for a preview.
fn status(written: bool) -> StatusCode {
    if written {
        StatusCode::CREATED
    } else {
        StatusCode::OK
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
    Ok((status(report.written), Json(report)))
}

/// Places from a spreadsheet, in the layout `GET /places?format=csv`
/// writes: `name`, `address`, `lat`, `lon` required, `kind`,
/// `organisation_id`; or in Italian (`nome`, `indirizzo`, `latitudine`,
/// `longitudine`, `tipo`, `id associazione`). An empty `organisation_id`
/// is a public place for a planner and the member's own home for a member;
/// a member's row naming another association is a fault of that cell. An
/// empty `kind` is `home` for an association's place. Rows checked as
/// `POST /places` checks a place; `mode=commit` writes all or nothing (422
/// with `errors`).
#[utoipa::path(post, path = "/api/v1/import/places", tag = "import",
    operation_id = "import_places",
    params(("mode" = Option<String>, Query, pattern = "^(preview|commit)$")),
    request_body(content = String, content_type = "text/csv",
        description = "the places file, at most 5000 rows"),
    responses((status = 200, body = PlacesReport), (status = 201, body = PlacesReport),
        (status = 422, body = super::ErrorBody), (status = 415, body = super::ErrorBody),
        (status = 413, body = super::ErrorBody)))]
async fn places(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
    body: CsvBody,
) -> Result<(StatusCode, Json<PlacesReport>), AppError> {
    caller.allow(BOOKERS)?;
    let file = body.file()?;
    let mode = mode(&q)?;
    let report = import::places(&s.store, caller.actor(), caller.scope(), &file, mode).await?;
    Ok((status(report.written), Json(report)))
}

/// Standing orders from a spreadsheet, in the layout
/// `GET /standing-orders?format=csv` writes or in Italian. The rider by
/// `person_id`, or by `persona`/`person` (the name in the association's
/// list); the places by `from_place_id`/`to_place_id`, or by
/// `partenza`/`from` and `arrivo`/`to` (names among the places the
/// association sees; `casa` is the rider's home); an id and a name given
/// together must agree. `giorni`/`weekdays` (`lun;mer;ven`, `mon,wed,fri`)
/// and `dal`/`starts_on` required; `ora di partenza`/`pickup_at` or
/// `appuntamento`/`appointment`, `ritorno`/`way_back` (`12:30`, `dopo 90`,
/// `su chiamata`), `al`/`ends_on`, `eccezioni`/`exceptions`,
/// `accompagnatori`/`companions`, `motivo`/`purpose`, `note`/`notes`,
/// `attivo`/`active`. Each order checked as `POST /standing-orders`;
/// `mode=commit` writes all or nothing (422 with `errors`).
#[utoipa::path(post, path = "/api/v1/import/standing-orders", tag = "import",
    operation_id = "import_standing_orders",
    params(("mode" = Option<String>, Query, pattern = "^(preview|commit)$"),
        ("organisation_id" = Option<i64>, Query, minimum = 1,
            description = "required for planners; a member's own association")),
    request_body(content = String, content_type = "text/csv",
        description = "the standing orders file, at most 5000 rows"),
    responses((status = 200, body = StandingOrdersReport),
        (status = 201, body = StandingOrdersReport),
        (status = 422, body = super::ErrorBody), (status = 415, body = super::ErrorBody),
        (status = 413, body = super::ErrorBody)))]
async fn standing_orders(
    State(s): State<AppState>,
    caller: Caller,
    q: Params,
    body: CsvBody,
) -> Result<(StatusCode, Json<StandingOrdersReport>), AppError> {
    caller.allow(BOOKERS)?;
    let file = body.file()?;
    let mode = mode(&q)?;
    let org = caller.organisation_for(q.id("organisation_id")?, "organisation_id")?;
    let report = import::standing_orders(&s.store, caller.actor(), org, &file, mode).await?;
    Ok((status(report.written), Json(report)))
}
