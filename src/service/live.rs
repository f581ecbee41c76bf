//! The live day: the published plan of a date read against the drivers'
//! reports (`domain::live` holds the rule). Used by `GET /plans/{date}/live`
//! and the board.

use std::collections::HashMap;

use chrono::{DateTime, Local, NaiveDate, Utc};

use super::{AppState, ServiceError};
use crate::domain::live::{
    live_route, LastPosition, LivePlan, LiveRouteView, LiveStopView, PlannedStop, Report,
};
use crate::domain::{
    latest_states, Clock, Id, Plan, Request, RequestKind, Role, StopEvent, StopRole, User, Vehicle,
    WindowAt,
};
use crate::store::Scope;

/// Minutes after midnight of `date`, local time (the plan's clock).
pub(crate) fn minutes_of(date: NaiveDate, at: DateTime<Utc>) -> f64 {
    let local = at.with_timezone(&Local).naive_local();
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight");
    (local - midnight).num_milliseconds() as f64 / 60_000.0
}

/// The window a stop is planned under, from its request: the promised end's
/// window in full; the other end opens with the window when it is the
/// drop-off (as `planning::build` has it); a meal leaves the kitchen no
/// earlier than planned (its ready time is the settings'); any other pickup
/// before an appointment has no opening worth keeping (hours before).
fn window(request: Option<&Request>, role: StopRole, planned: f64) -> (Option<f64>, Option<f64>) {
    let Some(r) = request else {
        return (None, None);
    };
    let (start, end) = (
        r.window.start.minutes() as f64,
        r.window.end.minutes() as f64,
    );
    match (r.window_at, role) {
        (WindowAt::Pickup, StopRole::Pickup) | (WindowAt::Dropoff, StopRole::Dropoff) => {
            (Some(start), Some(end))
        }
        (WindowAt::Pickup, StopRole::Dropoff) => (Some(start), None),
        (WindowAt::Dropoff, StopRole::Pickup) if r.kind == RequestKind::Meal => {
            (Some(planned), None)
        }
        (WindowAt::Dropoff, StopRole::Pickup) => (None, None),
    }
}

/// The live state of `plan` (a published revision) from the date's events,
/// at `now`. Pure: the board passes what it has loaded already.
pub fn assemble(
    plan: &Plan,
    requests: &[Request],
    events: &[StopEvent],
    vehicles: &[Vehicle],
    now: DateTime<Utc>,
) -> LivePlan {
    let date = plan.date;
    let states = latest_states(events);
    let by_id: HashMap<Id, &Request> = requests.iter().map(|r| (r.id, r)).collect();
    let now_min = (now.with_timezone(&Local).date_naive() == date).then(|| minutes_of(date, now));
    let routes = plan
        .routes
        .iter()
        .map(|route| {
            let planned: Vec<PlannedStop> = route
                .stops
                .iter()
                .map(|s| {
                    let (open, close) =
                        window(by_id.get(&s.request_id).copied(), s.role, s.start_min);
                    PlannedStop {
                        key: s.key,
                        arrival: s.arrival_min,
                        start: s.start_min,
                        departure: s.departure_min,
                        open,
                        close,
                    }
                })
                .collect();
            let reports: Vec<Option<Report>> = route
                .stops
                .iter()
                .map(|s| {
                    states.get(&s.key).map(|st| Report {
                        kind: st.kind,
                        at: minutes_of(date, st.at),
                    })
                })
                .collect();
            let live = live_route(&planned, &reports, now_min);
            let last_position = match live.last {
                Some((i, at)) => LastPosition {
                    place_id: route.stops[i].place_id,
                    key: Some(route.stops[i].key),
                    time: Clock::from_minutes_f64(at),
                    time_min: at,
                },
                None => LastPosition {
                    place_id: vehicles
                        .iter()
                        .find(|v| v.id == route.vehicle_id)
                        .map_or(0, |v| v.depot_place_id),
                    key: None,
                    time: Clock::from_minutes_f64(route.start_min),
                    time_min: route.start_min,
                },
            };
            let stops = route
                .stops
                .iter()
                .zip(live.stops)
                .map(|(s, l)| LiveStopView {
                    key: s.key,
                    seq: s.seq,
                    request_id: s.request_id,
                    place_id: s.place_id,
                    status: l.status,
                    planned: s.time,
                    expected: l.expected.map(Clock::from_minutes_f64),
                    expected_min: l.expected,
                    delay_min: l.delay.map(|d| d.round() as i64),
                    late: l.late,
                    reported_at: states.get(&s.key).map(|st| st.at),
                })
                .collect();
            LiveRouteView {
                route_id: route.id,
                vehicle_id: route.vehicle_id,
                volunteer_id: route.volunteer_id,
                last_position,
                stops,
            }
        })
        .collect();
    LivePlan {
        date,
        revision: plan.revision,
        now,
        routes,
    }
}

/// The live state of the date's published plan. Planners see every route,
/// a driver only the routes he or she drives.
pub async fn live(
    state: &AppState,
    user: &User,
    date: NaiveDate,
) -> Result<LivePlan, ServiceError> {
    let store = &state.store;
    let plan = store
        .published_plan(date)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("published plan of {date}")))?;
    let requests = store.requests(Scope::All, Some(date)).await?;
    let events = store.events_of_date(date).await?;
    let vehicles = store.vehicles().await?;
    let mut live = assemble(&plan, &requests, &events, &vehicles, Utc::now());
    if user.role == Role::Driver {
        live.routes
            .retain(|r| r.volunteer_id.is_some() && r.volunteer_id == user.volunteer_id);
    }
    Ok(live)
}
