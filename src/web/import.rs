//! `/board/import`: a spreadsheet in, for planners and for an
//! association's members (their own people, homes and standing orders).
//! Choose what the file holds and upload it (multipart, at most 2 MiB) → a
//! preview: the rows as they will be written, or each faulty row and column
//! listed and linked from a summary, nothing written → confirm, which sends
//! the file's text again (a hidden field) and has the service read and
//! check it all over, so an edited page cannot slip a row past the checks →
//! the count written and a link to the list. The same service functions as
//! `POST /api/v1/import/…`; the current list as CSV (the API's export) and a
//! template with the headers are linked from the form.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::ctx::Ctx;
use super::i18n::{Lang, Tr};
use super::render;
use crate::api::{AppError, AppState, BOOKERS};
use crate::domain::import::{self as sheet, Column, RowError};
use crate::domain::{Id, Role, WeekdaySet};
use crate::service::import::{self, ImportError, Mode};
use crate::store::Scope;

/// The largest file the page takes.
pub const FILE_LIMIT: usize = 2 << 20;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/board/import",
            get(form)
                .post(upload)
                // The file and the form's few fields.
                .layer(DefaultBodyLimit::max(FILE_LIMIT + 64 * 1024)),
        )
        .route("/board/import/list", get(list))
        .route("/board/import/template/{kind}", get(template))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    People,
    Places,
    StandingOrders,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::People, Kind::Places, Kind::StandingOrders];

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::People => "people",
            Self::Places => "places",
            Self::StandingOrders => "standing-orders",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::People => "import.kind_people",
            Self::Places => "import.kind_places",
            Self::StandingOrders => "import.kind_standing_orders",
        }
    }

    /// Whether the file goes into one association, chosen on the form.
    fn into_association(self) -> bool {
        self != Self::Places
    }

    /// The headers in `lang`: the Italian names (first) or the English ones.
    fn headers(self, lang: Lang) -> Vec<&'static str> {
        fn names<F>(cols: &[Column<F>], i: usize) -> Vec<&'static str> {
            cols.iter().map(|c| c.names[i]).collect()
        }
        let i = usize::from(lang == Lang::En);
        match self {
            Self::People => names(sheet::people::COLUMNS, i),
            Self::Places => names(sheet::places::COLUMNS, i),
            Self::StandingOrders => names(sheet::standing_orders::COLUMNS, i),
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Rows of records as a table: the file's line (when from a file) and cells.
pub struct Table {
    pub heads: Vec<&'static str>,
    pub rows: Vec<(Option<usize>, Vec<String>)>,
}

pub struct Preview {
    /// Data rows read.
    pub rows: usize,
    /// What a commit writes (or wrote), in words.
    pub summary: String,
    pub errors: Vec<RowError>,
    pub table: Table,
    /// Rows not shown in the table.
    pub more: usize,
    /// The file's text, sent again by the confirm button.
    pub csv: String,
}

#[derive(Template)]
#[template(path = "board/import.html")]
struct ImportPage {
    ctx: Ctx,
    kind: Kind,
    kinds: Vec<Choice>,
    organisations: Vec<Choice>,
    organisation_id: Option<Id>,
    pick_organisation: bool,
    file_error: Option<String>,
    organisation_error: Option<String>,
    preview: Option<Preview>,
    /// The confirmation written: what was written.
    done: Option<String>,
}

impl ImportPage {
    fn export_url(&self) -> String {
        let mut url = format!("/api/v1/{}?format=csv", self.kind.as_str());
        if let (true, Some(o)) = (self.kind.into_association(), self.organisation_id) {
            url.push_str(&format!("&organisation_id={o}"));
        }
        url
    }

    fn list_url(&self) -> String {
        let mut url = format!("/board/import/list?kind={}", self.kind.as_str());
        if let (true, Some(o)) = (self.kind.into_association(), self.organisation_id) {
            url.push_str(&format!("&organisation_id={o}"));
        }
        url
    }

    fn has_errors(&self) -> bool {
        self.file_error.is_some()
            || self.organisation_error.is_some()
            || self.preview.as_ref().is_some_and(|p| !p.errors.is_empty())
    }
}

#[derive(Deserialize, Default)]
pub struct Ask {
    kind: Option<String>,
    organisation_id: Option<String>,
}

fn own(ctx: &Ctx) -> Result<Scope, AppError> {
    let user = ctx.require(BOOKERS)?;
    Ok(match (user.role, user.organisation_id) {
        (Role::Member, Some(o)) => Scope::Organisation(o),
        (Role::Member, None) => Scope::Organisation(-1),
        _ => Scope::All,
    })
}

async fn page(
    s: &AppState,
    ctx: Ctx,
    scope: Scope,
    kind: Kind,
    organisation_id: Option<Id>,
) -> Result<ImportPage, AppError> {
    let t = ctx.t;
    let orgs = s.store.organisations(scope).await?;
    let organisation_id = match scope {
        Scope::Organisation(o) => Some(o),
        Scope::All => organisation_id,
    };
    Ok(ImportPage {
        kind,
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: t.t(k.label()).into(),
                selected: *k == kind,
            })
            .collect(),
        organisations: orgs
            .iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: o.name.clone(),
                selected: Some(o.id) == organisation_id,
            })
            .collect(),
        organisation_id,
        pick_organisation: scope == Scope::All,
        file_error: None,
        organisation_error: None,
        preview: None,
        done: None,
        ctx,
    })
}

fn id(raw: Option<&str>) -> Option<Id> {
    raw.map(str::trim).and_then(|r| r.parse().ok())
}

async fn form(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Ask>,
) -> Result<Response, AppError> {
    let scope = own(&ctx)?;
    let kind = q
        .kind
        .as_deref()
        .and_then(Kind::parse)
        .unwrap_or(Kind::People);
    let p = page(&s, ctx, scope, kind, id(q.organisation_id.as_deref())).await?;
    Ok(render(&p)?.into_response())
}

/// A CSV with the headers only, in the page's language: Italian with `;`
/// (as Italian spreadsheets save) and a byte-order mark, English with `,`.
async fn template(ctx: Ctx, Path(kind): Path<String>) -> Result<Response, AppError> {
    own(&ctx)?;
    let kind = Kind::parse(&kind).ok_or_else(|| AppError::NotFound("import kind".into()))?;
    let lang = ctx.t.lang;
    let body = match lang {
        Lang::It => format!("\u{feff}{}\r\n", kind.headers(lang).join(";")),
        Lang::En => format!("{}\r\n", kind.headers(lang).join(",")),
    };
    let name = format!(
        "attachment; filename=\"giro-{}-{}.csv\"",
        kind.as_str(),
        lang.as_str()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}

/// The form as posted: the file, or on confirm the text sent again.
#[derive(Default)]
struct Posted {
    csrf: String,
    kind: Option<String>,
    organisation_id: Option<String>,
    mode: Option<String>,
    file: Option<Vec<u8>>,
    csv: Option<String>,
    too_large: bool,
}

async fn read_form(mut mp: Multipart) -> Result<Posted, AppError> {
    let mut p = Posted::default();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                p.too_large = true;
                break;
            }
            Err(e) => {
                return Err(AppError::BadRequest {
                    field: None,
                    message: format!("the form cannot be read: {}", e.body_text()),
                })
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                p.too_large = true;
                break;
            }
            Err(e) => {
                return Err(AppError::BadRequest {
                    field: Some(name),
                    message: format!("the form cannot be read: {}", e.body_text()),
                })
            }
        };
        let text = || String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "_csrf" => p.csrf = text(),
            "kind" => p.kind = Some(text()),
            "organisation_id" => p.organisation_id = Some(text()),
            "mode" => p.mode = Some(text()),
            "file" => {
                if bytes.len() > FILE_LIMIT {
                    p.too_large = true;
                }
                p.file = Some(bytes.to_vec());
            }
            "csv" => p.csv = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => {}
        }
    }
    Ok(p)
}

async fn upload(
    State(s): State<AppState>,
    ctx: Ctx,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let scope = own(&ctx)?;
    let mp = mp.map_err(|_| {
        AppError::UnsupportedMedia("send the page's form (multipart/form-data)".into())
    })?;
    let posted = read_form(mp).await?;
    let kind = posted
        .kind
        .as_deref()
        .and_then(Kind::parse)
        .unwrap_or(Kind::People);
    let org = id(posted.organisation_id.as_deref());
    let mut p = page(&s, ctx, scope, kind, org).await?;
    let t = p.ctx.t;
    if posted.too_large {
        p.file_error = Some(t.f("import.err_too_large", &[("mib", &(FILE_LIMIT >> 20))]));
        return Ok((StatusCode::PAYLOAD_TOO_LARGE, render(&p)?).into_response());
    }
    p.ctx.check_form(Some(&posted.csrf))?;
    let mode = match posted.mode.as_deref() {
        Some("commit") => Mode::Commit,
        _ => Mode::Preview,
    };
    let bytes: Vec<u8> = match (mode, posted.csv, posted.file) {
        (Mode::Commit, Some(text), _) => text.into_bytes(),
        (_, _, Some(file)) if !file.is_empty() => file,
        _ => {
            p.file_error = Some(t.t("import.err_no_file").into());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        p.file_error = Some(t.t("import.err_utf8").into());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    let text = text.trim_start_matches('\u{feff}').to_string();
    let org = match (kind.into_association(), p.organisation_id) {
        (false, _) => 0,
        (true, Some(o)) => o,
        (true, None) => {
            p.organisation_error = Some(t.t("import.err_organisation").into());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
        }
    };
    let actor = crate::store::Actor(p.ctx.user.as_ref().map(|u| u.id));
    // What will be written, or (after a commit) what was.
    let say = |key: &str, written: bool| {
        if written {
            key.replace("summary_", "written_")
        } else {
            key.to_string()
        }
    };
    let result = match kind {
        Kind::People => import::people(&s.store, actor, org, text.as_bytes(), mode)
            .await
            .map(|r| {
                let summary = t.f(
                    &say("import.summary_people", r.written),
                    &[("people", &r.people), ("places", &r.places)],
                );
                let table = people_table(&t, &r.sample);
                (r.written, r.rows, r.people, summary, r.errors, table)
            }),
        Kind::Places => import::places(&s.store, actor, scope, text.as_bytes(), mode)
            .await
            .map(|r| {
                let names = &p.organisations;
                let summary = t.f(
                    &say("import.summary_places", r.written),
                    &[("places", &r.places)],
                );
                let table = places_table(&t, names, &r.sample);
                (r.written, r.rows, r.places, summary, r.errors, table)
            }),
        Kind::StandingOrders => {
            import::standing_orders(&s.store, actor, org, text.as_bytes(), mode)
                .await
                .map(|r| {
                    let summary = t.f(
                        &say("import.summary_standing_orders", r.written),
                        &[("orders", &r.standing_orders)],
                    );
                    let table = orders_table(&t, &r.sample);
                    (
                        r.written,
                        r.rows,
                        r.standing_orders,
                        summary,
                        r.errors,
                        table,
                    )
                })
        }
    };
    let (written, rows, count, summary, errors, table) = match result {
        Ok(done) => done,
        Err(ImportError::File(errors) | ImportError::Rows(errors)) => (
            false,
            0,
            0,
            String::new(),
            errors,
            Table {
                heads: Vec::new(),
                rows: Vec::new(),
            },
        ),
        Err(ImportError::Invalid(i)) if i.0.iter().any(|f| f.field == "organisation_id") => {
            p.organisation_error = Some(t.t("import.err_organisation").into());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    if written {
        p.done = Some(summary);
        return Ok(render(&p)?.into_response());
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    p.preview = Some(Preview {
        rows,
        summary,
        errors,
        more: count.saturating_sub(table.rows.len()),
        table,
        csv: text,
    });
    Ok((status, render(&p)?).into_response())
}

fn heads(t: &Tr, keys: &[&'static str]) -> Vec<&'static str> {
    keys.iter().map(|k| t.t(k)).collect()
}

fn people_table(t: &Tr, rows: &[sheet::people::PersonRow]) -> Table {
    Table {
        heads: heads(
            t,
            &[
                "import.col.name",
                "import.col.phone",
                "import.col.home",
                "import.col.mobility",
                "import.col.assistance",
            ],
        ),
        rows: rows
            .iter()
            .map(|r| {
                (
                    Some(r.row),
                    vec![
                        r.name.clone(),
                        r.phone.clone().unwrap_or_default(),
                        r.home.name.clone(),
                        r.mobility.as_str().into(),
                        r.assistance.as_str().into(),
                    ],
                )
            })
            .collect(),
    }
}

fn organisation_name(names: &[Choice], id: Option<Id>, t: &Tr) -> String {
    match id {
        None => t.t("import.public").into(),
        Some(id) => names
            .iter()
            .find(|c| c.value == id.to_string())
            .map_or_else(|| id.to_string(), |c| c.label.clone()),
    }
}

fn places_table(t: &Tr, names: &[Choice], rows: &[sheet::places::PlaceRow]) -> Table {
    Table {
        heads: heads(
            t,
            &[
                "import.col.name",
                "import.col.address",
                "import.col.coordinates",
                "import.col.kind",
                "import.col.organisation",
            ],
        ),
        rows: rows
            .iter()
            .map(|r| {
                (
                    Some(r.row),
                    vec![
                        r.name.clone(),
                        r.address.clone(),
                        format!("{}, {}", r.lat, r.lon),
                        r.kind.clone(),
                        organisation_name(names, r.organisation_id, t),
                    ],
                )
            })
            .collect(),
    }
}

fn days(w: WeekdaySet) -> String {
    w.iter().map(WeekdaySet::name).collect::<Vec<_>>().join(" ")
}

fn time(t: &Tr, ride: &crate::domain::RideTemplate) -> String {
    match (ride.pickup_at, ride.appointment) {
        (Some(p), _) => t.f("import.pickup_at", &[("time", &p)]),
        (_, Some(a)) => t.f("import.appointment", &[("time", &a)]),
        _ => String::new(),
    }
}

fn orders_table(t: &Tr, rows: &[sheet::standing_orders::OrderRow]) -> Table {
    Table {
        heads: order_heads(t),
        rows: rows
            .iter()
            .map(|r| {
                (
                    Some(r.row),
                    vec![
                        r.person.clone(),
                        r.from.clone(),
                        r.to.clone(),
                        days(r.recurrence.weekdays),
                        time(t, &r.ride),
                        sheet::words::way_back_cell(r.ride.way_back),
                        range(&r.recurrence),
                    ],
                )
            })
            .collect(),
    }
}

fn order_heads(t: &Tr) -> Vec<&'static str> {
    heads(
        t,
        &[
            "import.col.person",
            "import.col.from",
            "import.col.to",
            "import.col.weekdays",
            "import.col.time",
            "import.col.way_back",
            "import.col.dates",
        ],
    )
}

fn range(r: &crate::domain::Recurrence) -> String {
    match r.ends_on {
        Some(end) => format!("{} – {end}", r.starts_on),
        None => format!("{} –", r.starts_on),
    }
}

#[derive(Template)]
#[template(path = "board/import_list.html")]
struct ListPage {
    ctx: Ctx,
    kind: Kind,
    title: &'static str,
    table: Table,
    back: String,
}

/// The records now in giro, in the caller's scope (a planner may name an
/// association for people and standing orders).
async fn list(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Ask>,
) -> Result<Response, AppError> {
    let scope = own(&ctx)?;
    let t = ctx.t;
    let kind = q
        .kind
        .as_deref()
        .and_then(Kind::parse)
        .unwrap_or(Kind::People);
    let only = id(q.organisation_id.as_deref());
    let keep = |o: Id| only.is_none_or(|x| x == o);
    let places = s.store.places(Scope::All).await?;
    let place = |id: Id| {
        places
            .iter()
            .find(|p| p.id == id)
            .map_or_else(String::new, |p| p.name.clone())
    };
    let table = match kind {
        Kind::People => {
            let people = s.store.people(scope).await?;
            Table {
                heads: heads(
                    &t,
                    &[
                        "import.col.name",
                        "import.col.phone",
                        "import.col.home",
                        "import.col.mobility",
                        "import.col.assistance",
                    ],
                ),
                rows: people
                    .iter()
                    .filter(|p| keep(p.organisation_id))
                    .map(|p| {
                        (
                            None,
                            vec![
                                p.name.clone(),
                                p.phone.clone().unwrap_or_default(),
                                place(p.home_place_id),
                                p.mobility.as_str().into(),
                                p.assistance.as_str().into(),
                            ],
                        )
                    })
                    .collect(),
            }
        }
        Kind::Places => {
            let names: Vec<Choice> = s
                .store
                .organisations(Scope::All)
                .await?
                .into_iter()
                .map(|o| Choice {
                    value: o.id.to_string(),
                    label: o.name,
                    selected: false,
                })
                .collect();
            let rows: Vec<sheet::places::PlaceRow> = s
                .store
                .places(scope)
                .await?
                .into_iter()
                .map(|p| sheet::places::PlaceRow {
                    row: 0,
                    organisation_id: p.organisation_id,
                    name: p.name,
                    address: p.address,
                    lat: p.lat,
                    lon: p.lon,
                    kind: p.kind,
                })
                .collect();
            let mut table = places_table(&t, &names, &rows);
            table.rows.iter_mut().for_each(|r| r.0 = None);
            table
        }
        Kind::StandingOrders => {
            let people = s.store.people(scope).await?;
            let person = |id: Id| {
                people
                    .iter()
                    .find(|p| p.id == id)
                    .map_or_else(String::new, |p| p.name.clone())
            };
            Table {
                heads: order_heads(&t),
                rows: s
                    .store
                    .standing_orders(scope)
                    .await?
                    .iter()
                    .filter(|o| keep(o.organisation_id))
                    .map(|o| {
                        (
                            None,
                            vec![
                                person(o.person_id),
                                place(o.ride.from_place_id),
                                place(o.ride.to_place_id),
                                days(o.recurrence.weekdays),
                                time(&t, &o.ride),
                                sheet::words::way_back_cell(o.ride.way_back),
                                range(&o.recurrence),
                            ],
                        )
                    })
                    .collect(),
            }
        }
    };
    let mut back = format!("/board/import?kind={}", kind.as_str());
    if let Some(o) = only {
        back.push_str(&format!("&organisation_id={o}"));
    }
    render(&ListPage {
        title: t.t(kind.label()),
        ctx,
        kind,
        table,
        back,
    })
    .map(IntoResponse::into_response)
}
