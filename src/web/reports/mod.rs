//! `/board/reports`: the report of a date range (`service::reports`, as the
//! API's) as tables, each beside a server-rendered SVG bar chart
//! (`chart`), with a GET form (from, to, association, service), the API's
//! CSV and a clean printed page. Planners see the whole town or the
//! association they pick; a member its own. A bad field is marked on the
//! form (422), nothing else shown.

mod chart;
mod view;

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;

use crate::api::{AppError, AppState, BOOKERS};
use crate::domain::report::Service;
use crate::domain::{Id, Role};
use crate::service::reports::{self, Ask};
use crate::service::ServiceError;
use crate::store::Scope;
use crate::web::ctx::Ctx;
use crate::web::render;
use view::Figures;

pub fn routes() -> Router<AppState> {
    Router::new().route("/board/reports", get(page))
}

/// Field → catalogue key of its message.
type Marks = BTreeMap<&'static str, &'static str>;

#[derive(Deserialize, Default)]
pub struct ReportForm {
    from: Option<String>,
    to: Option<String>,
    organisation_id: Option<String>,
    service: Option<String>,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "reports/page.html")]
struct ReportPage {
    ctx: Ctx,
    from: String,
    to: String,
    organisations: Vec<Choice>,
    services: Vec<Choice>,
    /// A member's report is its association's: no choice.
    pick_organisation: bool,
    errors: Marks,
    figures: Option<Figures>,
    csv: String,
}

impl ReportPage {
    fn error(&self, field: &str) -> Option<&'static str> {
        self.errors.get(field).map(|k| self.ctx.t.t(k))
    }

    fn invalid(&self, field: &str) -> &'static str {
        if self.errors.contains_key(field) {
            "true"
        } else {
            "false"
        }
    }
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The week so far by default: Monday to Sunday of today's week.
fn this_week() -> (NaiveDate, NaiveDate) {
    let today = crate::service::rides::now().date();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    (monday, monday + Duration::days(6))
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ReportForm>,
) -> Result<Response, AppError> {
    let user = ctx.require(BOOKERS)?;
    let scope = match (user.role, user.organisation_id) {
        (Role::Member, Some(o)) => Scope::Organisation(o),
        (Role::Member, None) => Scope::Organisation(-1),
        _ => Scope::All,
    };
    let t = ctx.t;
    let mut errors = Marks::new();
    let (week_from, week_to) = this_week();
    let date = |raw: Option<&str>, default: NaiveDate, field: &'static str, e: &mut Marks| match raw
    {
        None => Some(default),
        Some(r) => match r
            .parse::<NaiveDate>()
            .ok()
            .filter(|d| crate::domain::date::check(*d).is_ok())
        {
            Some(d) => Some(d),
            None => {
                e.insert(field, "reports.err_date");
                None
            }
        },
    };
    let from = date(text(&q.from), week_from, "from", &mut errors);
    let to = date(text(&q.to), week_to, "to", &mut errors);
    let organisation_id: Option<Id> = match text(&q.organisation_id) {
        None => None,
        Some(r) => match r.parse::<Id>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.insert("organisation_id", "reports.err_organisation");
                None
            }
        },
    };
    let service = match text(&q.service) {
        None => None,
        Some(r) => match Service::parse(r) {
            Some(s) => Some(s),
            None => {
                errors.insert("service", "reports.err_service");
                None
            }
        },
    };
    let orgs = s.store.organisations(scope).await?;
    let mut page = ReportPage {
        from: from.map_or_else(|| q.from.clone().unwrap_or_default(), |d| d.to_string()),
        to: to.map_or_else(|| q.to.clone().unwrap_or_default(), |d| d.to_string()),
        organisations: orgs
            .iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: o.name.clone(),
                selected: Some(o.id) == organisation_id,
            })
            .collect(),
        services: Service::ALL
            .iter()
            .map(|sv| Choice {
                value: sv.as_str().into(),
                label: view::service(&t, *sv).to_string(),
                selected: Some(*sv) == service,
            })
            .collect(),
        pick_organisation: scope == Scope::All,
        errors,
        figures: None,
        csv: String::new(),
        ctx,
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    if !page.errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let ask = Ask {
        from,
        to,
        organisation_id,
        service,
    };
    match reports::report(&s, scope, ask).await {
        Ok(report) => {
            let mut csv = format!("/api/v1/reports?from={from}&to={to}&format=csv");
            if let Some(o) = organisation_id {
                csv.push_str(&format!("&organisation_id={o}"));
            }
            if let Some(sv) = service {
                csv.push_str(&format!("&service={}", sv.as_str()));
            }
            page.csv = csv;
            page.figures = Some(view::figures(&t, &report));
            Ok(render(&page)?.into_response())
        }
        Err(ServiceError::Invalid(i)) => {
            for f in &i.0 {
                if f.field == "to" {
                    page.errors.insert("to", "reports.err_range");
                } else if f.field == "from" {
                    page.errors.insert("from", "reports.err_date");
                }
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(ServiceError::NotFound(_)) if organisation_id.is_some() => {
            page.errors
                .insert("organisation_id", "reports.err_organisation");
            Ok((StatusCode::NOT_FOUND, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
