//! What a draft changes against the published plan, read before publishing:
//! who moves, by how much, to which vehicle, and whose promised window breaks
//! (those riders must be called). The moves are `domain::replan::moves`, the
//! promise rule `domain::lifecycle::keeps_promise`; here they become words.

use std::collections::HashMap;

use super::day::Day;
use super::words;
use crate::domain::lifecycle::keeps_promise;
use crate::domain::replan::moves;
use crate::domain::{Clock, Id, Plan, PlanStatus, StopRole};
use crate::web::i18n::Tr;

pub struct ChangeView {
    pub request_id: Id,
    pub who: String,
    /// The published time and vehicle.
    pub was: String,
    /// The draft's, or "left out".
    pub now: String,
    pub change: String,
    /// A promised window the draft does not keep: the rider is to be called.
    pub broken: bool,
}

pub struct ChangesView {
    /// The published revision compared against.
    pub published: i64,
    pub changes: Vec<ChangeView>,
    pub broken: usize,
}

/// Each request's pickup time in a plan (minutes), as published promises are.
fn pickups(plan: &Plan) -> HashMap<Id, f64> {
    plan.routes
        .iter()
        .flat_map(|r| &r.stops)
        .filter(|s| s.role == StopRole::Pickup)
        .map(|s| (s.request_id, s.start_min))
        .collect()
}

/// The pickup's exact minutes, or the move's clock for a request without one.
fn exact(pickups: &HashMap<Id, f64>, id: Id, clock: Clock) -> f64 {
    pickups.get(&id).copied().unwrap_or(clock.minutes() as f64)
}

/// The draft shown against the published revision; `None` unless both exist.
pub fn changes(t: &Tr, day: &Day) -> Option<ChangesView> {
    let draft = day
        .plan
        .as_ref()
        .filter(|p| p.status == PlanStatus::Draft)?;
    let published = day.published.as_ref()?;
    let (was, now) = (pickups(published), pickups(draft));
    let vehicle = |id: Id| day.vehicle(id).map_or_else(String::new, |v| v.name.clone());
    let at = |clock: String, v: Id| format!("{clock} · {}", vehicle(v));
    let mut changes: Vec<ChangeView> = moves(published, draft)
        .into_iter()
        .map(|m| {
            let request = day.request(m.request_id);
            let dropped = request.is_some_and(|r| r.status.is_dropped());
            let broken = !dropped
                && m.role == StopRole::Pickup
                && match (was.get(&m.request_id), now.get(&m.request_id)) {
                    (Some(&a), Some(&b)) => !keeps_promise(a, b, &day.policy),
                    (Some(_), None) => true,
                    _ => false,
                };
            let change = match (m.now_vehicle_id, m.minutes) {
                _ if dropped => t.t("board.changes.cancelled").to_string(),
                (None, _) => t.t("board.changes.out").to_string(),
                (Some(v), Some(n)) => {
                    let mut parts = Vec::new();
                    if n > 0 {
                        parts.push(t.f("board.changes.later", &[("n", &n)]));
                    } else if n < 0 {
                        parts.push(t.f("board.changes.earlier", &[("n", &-n)]));
                    }
                    if v != m.was_vehicle_id {
                        parts.push(t.t("board.changes.other_vehicle").to_string());
                    }
                    parts.join(", ")
                }
                (Some(_), None) => String::new(),
            };
            ChangeView {
                request_id: m.request_id,
                who: request.map_or_else(String::new, |r| super::requests_view::who(day, r)),
                was: at(
                    words::hm(exact(&was, m.request_id, m.was)),
                    m.was_vehicle_id,
                ),
                now: match (m.now, m.now_vehicle_id) {
                    (Some(c), Some(v)) => at(words::hm(exact(&now, m.request_id, c)), v),
                    _ => "—".to_string(),
                },
                change,
                broken,
            }
        })
        .collect();
    // Requests the published plan did not carry: booked since, or left out then.
    let mut added: Vec<(f64, ChangeView)> = draft
        .routes
        .iter()
        .flat_map(|r| r.stops.iter().map(move |s| (r.vehicle_id, s)))
        .filter(|(_, s)| s.role == StopRole::Pickup && !was.contains_key(&s.request_id))
        .map(|(v, s)| {
            let view = ChangeView {
                request_id: s.request_id,
                who: day
                    .request(s.request_id)
                    .map_or_else(String::new, |r| super::requests_view::who(day, r)),
                was: "—".to_string(),
                now: at(words::hm(s.start_min), v),
                change: t.t("board.changes.added").to_string(),
                broken: false,
            };
            (s.start_min, view)
        })
        .collect();
    added.sort_by(|a, b| a.0.total_cmp(&b.0));
    changes.extend(added.into_iter().map(|(_, v)| v));
    // The calls to make first.
    changes.sort_by_key(|c| !c.broken);
    Some(ChangesView {
        published: published.revision,
        broken: changes.iter().filter(|c| c.broken).count(),
        changes,
    })
}
