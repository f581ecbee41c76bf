//! `/board` and `/board/{date}`: the day's requests, the solve with its
//! progress, the plan as timelines and a map, what is left out and why, and
//! publishing.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use super::changes::{changes, ChangesView};
use super::day::Day;
use super::map::map_data;
use super::parse_date;
use super::reasons;
use super::requests_view::{rows, FilterQuery, Filters, RequestRow, Standing};
use super::routes_view::{route_views, Axis, RouteView, WIDTH};
use super::words;
use crate::api::{AppError, AppState, PLANNERS};
use crate::domain::{Id, PlanStatus, PublishInput, RequestKind, SolveInput};
use crate::service::plans;
use crate::store::{Actor, SolveStatus};
use crate::web::ctx::Ctx;
use crate::web::form::Form;
use crate::web::{json_for_html, render};

pub struct UnassignedView {
    pub request_id: Id,
    pub who: String,
    pub kind_word: &'static str,
    pub window: String,
    pub needs: String,
    pub reason: String,
    /// What would let it in; empty when no change was found.
    pub fits_if: String,
}

pub struct PlanView {
    pub revision: i64,
    pub version: i64,
    pub draft: bool,
    pub status_word: String,
    pub feasible: bool,
    pub proved_optimal: bool,
    pub distance: String,
    pub axis: Axis,
    pub routes: Vec<RouteView>,
    pub unassigned: Vec<UnassignedView>,
}

pub struct SolveView {
    pub running: bool,
    pub elapsed: f64,
    pub limit: f64,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "board/board.html")]
struct BoardPage {
    ctx: Ctx,
    date: String,
    date_words: String,
    prev: String,
    next: String,
    filters: Filters,
    kinds: Vec<(&'static str, &'static str)>,
    standings: Vec<(&'static str, String)>,
    organisations: Vec<(Id, String)>,
    rows: Vec<RequestRow>,
    total: usize,
    plan: Option<PlanView>,
    published_revision: Option<i64>,
    /// The draft against the published plan: who moves, whose promise breaks.
    changes: Option<ChangesView>,
    /// A published plan exists: the day can be re-planned as it runs.
    live_day: bool,
    /// The date's shifts, as the re-plan form offers them for withdrawal.
    shift_choices: Vec<(Id, String)>,
    solve: Option<SolveView>,
    width: f64,
    map_json: String,
    data_json: String,
    texts_json: String,
}

pub async fn today(
    state: State<AppState>,
    ctx: Ctx,
    q: Query<FilterQuery>,
) -> Result<Response, AppError> {
    let date = chrono::Local::now().date_naive();
    show(state, ctx, date, q).await
}

pub async fn on_date(
    state: State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    q: Query<FilterQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let date = parse_date(&raw, "date")?;
    show(state, ctx, date, q).await
}

/// The date picker's form sends `?day=`: go to that date's page.
#[derive(serde::Deserialize)]
pub struct Pick {
    day: String,
}

pub async fn pick(ctx: Ctx, Query(p): Query<Pick>) -> Result<Redirect, AppError> {
    ctx.require(PLANNERS)?;
    let date = parse_date(p.day.trim(), "day")?;
    Ok(Redirect::to(&format!("/board/{date}")))
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    date: NaiveDate,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    ctx.require(PLANNERS)?;
    let filters = Filters::parse(&q)?;
    let day = Day::load(&state, date).await?;
    let t = ctx.t;
    let rows = rows(&t, &day, &filters);
    let plan = day.plan.as_ref().map(|plan| {
        let axis = Axis::of(plan);
        let routes = route_views(&t, &day, plan, &axis);
        let unassigned = plan
            .unassigned
            .iter()
            .filter_map(|u| {
                let r = day.request(u.request_id)?;
                let person = day.person(r.person_id);
                Some(UnassignedView {
                    request_id: r.id,
                    who: super::requests_view::who(&day, r),
                    kind_word: words::kind(&t, r.kind),
                    window: words::window(&t, r),
                    needs: words::needs(&t, r, person),
                    reason: reasons::in_words(&t, u.reason, r, person),
                    fits_if: u.fits_if.as_ref().map_or_else(String::new, |f| {
                        reasons::fits_if_in_words(&t, f, |id| {
                            day.vehicle(id).map(|v| v.name.as_str())
                        })
                    }),
                })
            })
            .collect();
        PlanView {
            revision: plan.revision,
            version: plan.version,
            draft: plan.status == PlanStatus::Draft,
            status_word: t
                .t(&format!("board.plan_status.{}", plan.status.as_str()))
                .to_string(),
            feasible: plan.figures.feasible,
            proved_optimal: plan.figures.proved_optimal,
            distance: format!("{:.1}", plan.figures.distance_km),
            axis,
            routes,
            unassigned,
        }
    });
    let map_json = match (&day.plan, &plan) {
        (Some(p), Some(v)) => json_for_html(&map_data(&t, &day, p, &v.routes)),
        _ => "null".into(),
    };
    let data_json = json_for_html(&serde_json::json!({
        "date": date.to_string(),
        "revision": day.plan.as_ref().map(|p| p.revision),
        "version": day.plan.as_ref().map(|p| p.version),
        "violations": day.plan.as_ref().map(|p| &p.figures.violations),
        "routes": plan.as_ref().map(|p| p.routes.iter().map(|r| serde_json::json!({
            "id": r.id, "name": format!("{} — {}", r.vehicle, r.driver), "stops": r.stops.len()
        })).collect::<Vec<_>>()),
        "who": day.requests.iter().map(|r| (r.id.to_string(), super::requests_view::who(&day, r)))
            .collect::<std::collections::BTreeMap<_, _>>(),
        "solving": day.solve.as_ref().is_some_and(|s| s.status == SolveStatus::Running),
    }));
    let solve = day.solve.as_ref().map(|s| SolveView {
        running: s.status == SolveStatus::Running,
        // A solve that ended early still ran its course.
        elapsed: if s.status == SolveStatus::Running {
            s.elapsed_s.min(s.time_limit_s)
        } else {
            s.time_limit_s
        },
        limit: s.time_limit_s,
        outcome: t
            .t(&format!("board.solve_status.{}", solve_status(s.status)))
            .to_string(),
    });
    let page = BoardPage {
        date: date.to_string(),
        date_words: words::date(&t, date),
        prev: (date - chrono::Days::new(1)).to_string(),
        next: (date + chrono::Days::new(1)).to_string(),
        filters,
        kinds: [
            RequestKind::Ride,
            RequestKind::Meal,
            RequestKind::Collection,
        ]
        .into_iter()
        .map(|k| (k.as_str(), words::kind(&t, k)))
        .collect(),
        standings: Standing::ALL
            .into_iter()
            .map(|s| {
                (
                    s.as_str(),
                    t.t(&format!("board.standing.{}", s.as_str())).to_string(),
                )
            })
            .collect(),
        organisations: day
            .organisations
            .iter()
            .map(|o| (o.id, o.name.clone()))
            .collect(),
        total: day.requests.len(),
        rows,
        plan,
        published_revision: day.published.as_ref().map(|p| p.revision),
        changes: changes(&t, &day),
        live_day: day.published.is_some()
            || day
                .plan
                .as_ref()
                .is_some_and(|p| p.status == PlanStatus::Published),
        shift_choices: day
            .shifts
            .iter()
            .map(|s| {
                let vehicle = day.vehicle(s.vehicle_id).map_or("", |v| v.name.as_str());
                let driver = day
                    .volunteer(s.volunteer_id)
                    .map_or_else(|| t.t("board.no_driver").to_string(), |v| v.name.clone());
                (
                    s.id,
                    format!("{vehicle} — {driver}, {}–{}", s.window.start, s.window.end),
                )
            })
            .collect(),
        solve,
        width: WIDTH,
        map_json,
        data_json,
        texts_json: t.json_prefix("board.js."),
        ctx,
    };
    Ok(render(&page)?.into_response())
}

fn solve_status(s: SolveStatus) -> &'static str {
    match s {
        SolveStatus::Running => "running",
        SolveStatus::Done => "done",
        SolveStatus::Cancelled => "cancelled",
        SolveStatus::Failed => "failed",
    }
}

/// The planner's form: signed in as admin or dispatcher, sent from one of our
/// pages with the session's token. Returns who acts and the date.
pub(super) fn planner_form(
    ctx: &Ctx,
    form: &Form,
    raw: &str,
) -> Result<(Actor, NaiveDate), AppError> {
    let user = ctx.require(PLANNERS)?;
    ctx.check_form(form.csrf())?;
    Ok((Actor(Some(user.id)), parse_date(raw, "date")?))
}

fn back_to(date: NaiveDate) -> Redirect {
    Redirect::to(&format!("/board/{date}"))
}

/// "Risolvi": a plain form, so it works without a script; the board it comes
/// back to shows the running solve and its script follows the progress.
pub async fn solve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    form: Form,
) -> Result<Redirect, AppError> {
    let (actor, date) = planner_form(&ctx, &form, &raw)?;
    let time_limit_s = form
        .get("time_limit_s")
        .map(|v| {
            v.parse::<f64>()
                .map_err(|_| AppError::invalid("time_limit_s", "must be a number of seconds"))
        })
        .transpose()?;
    let input = SolveInput {
        time_limit_s,
        // A ticked box: start from nothing rather than the plan on the board.
        fresh: form.get("fresh").is_some(),
        ..Default::default()
    };
    plans::start_solve(&state, actor, date, &input).await?;
    Ok(back_to(date))
}

/// "Interrompi": the solve stops and keeps the best plan found.
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    form: Form,
) -> Result<Redirect, AppError> {
    let (actor, date) = planner_form(&ctx, &form, &raw)?;
    plans::cancel_solve(&state, actor, date).await?;
    Ok(back_to(date))
}

/// "Pubblica": the same use case and version check as the API's publish.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    form: Form,
) -> Result<Redirect, AppError> {
    let (actor, date) = planner_form(&ctx, &form, &raw)?;
    let number = |field: &str| {
        form.get(field)
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(|| AppError::invalid(field, "must be a whole number"))
    };
    let input = PublishInput {
        revision: number("revision")?,
        version: number("version")?,
    };
    plans::publish(&state, actor, date, &input).await?;
    Ok(back_to(date))
}

impl BoardPage {
    /// A text with one placeholder (templates cannot build the argument list).
    fn tr(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.ctx.t.f(key, &[(name, &value)])
    }

    fn tr2(
        &self,
        key: &str,
        a: &str,
        va: impl std::fmt::Display,
        b: &str,
        vb: impl std::fmt::Display,
    ) -> String {
        self.ctx.t.f(key, &[(a, &va), (b, &vb)])
    }

    fn solving(&self) -> bool {
        self.solve.as_ref().is_some_and(|s| s.running)
    }

    fn org_selected(&self, id: &Id) -> bool {
        self.filters.org == Some(*id)
    }
}
