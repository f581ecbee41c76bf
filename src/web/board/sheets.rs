//! `/board/{date}/sheets`: printable route sheets, one vehicle per page, of the
//! revision drivers follow (the newest draft while nothing is published).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

use super::day::Day;
use super::parse_date;
use super::routes_view::{route_views, Axis, RouteView};
use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::PlanStatus;
use crate::service::meals;
use crate::web::ctx::Ctx;
use crate::web::render;

#[derive(Template)]
#[template(path = "board/sheets.html")]
struct SheetsPage {
    ctx: Ctx,
    date: String,
    date_words: String,
    revision: i64,
    draft: bool,
    /// Each route with its driver's route sheet as CSV (the manifest's), or
    /// empty when the plan is a draft or nobody drives it.
    routes: Vec<(RouteView, String)>,
}

pub async fn sheets(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Html<String>, AppError> {
    ctx.require(PLANNERS)?;
    let date = parse_date(&raw, "date")?;
    let mut day = Day::load(&state, date).await?;
    if let Some(published) = state.store.published_plan(date).await? {
        day.plan = Some(published);
    }
    let plan = day
        .plan
        .as_ref()
        .ok_or_else(|| AppError::NotFound(format!("plan for {date}")))?;
    let reader = crate::store::Actor(ctx.user.as_ref().map(|u| u.id));
    crate::service::personal::reads::route_sheets(&state.store, reader, date).await?;
    let mut routes = route_views(&ctx.t, &day, plan, &Axis::of(plan));
    // A meal recipient's preferred volunteer by the stop that brings the
    // meal, marked when someone else drives the route.
    let preferred = meals::preferred_volunteers(&state.store, date).await?;
    for (view, route) in routes.iter_mut().zip(&plan.routes) {
        for stop in view.stops.iter_mut().filter(|s| !s.pickup) {
            if let Some(p) = preferred.get(&stop.request_id) {
                stop.preferred = p.name.clone();
                stop.preferred_elsewhere = p.elsewhere(route.volunteer_id);
            }
        }
    }
    let draft = plan.status == PlanStatus::Draft;
    let routes = routes
        .into_iter()
        .zip(&plan.routes)
        .map(|(view, route)| {
            let csv = match route.volunteer_id {
                Some(v) if !draft => {
                    format!("/api/v1/manifest?date={date}&volunteer_id={v}&format=csv")
                }
                _ => String::new(),
            };
            (view, csv)
        })
        .collect();
    render(&SheetsPage {
        date: date.to_string(),
        date_words: super::words::date(&ctx.t, date),
        revision: plan.revision,
        draft,
        routes,
        ctx,
    })
}

impl SheetsPage {
    fn tr(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.ctx.t.f(key, &[(name, &value)])
    }
}
