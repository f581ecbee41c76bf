//! The day's requests as rows of the board, with the filters the dispatcher
//! picks in the query string (so they work without a script).

use std::collections::HashMap;

use serde::Deserialize;

use super::day::Day;
use super::{reasons, words};
use crate::api::AppError;
use crate::domain::{FitsIf, Id, Request, RequestKind, UnassignedReason};
use crate::web::i18n::Tr;

/// Where a request stands on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// On a route of the plan shown.
    Planned,
    /// Left out by the plan shown, with a reason.
    Unassigned,
    /// Active but not in the plan shown (booked after the solve, or no plan yet).
    Waiting,
    Cancelled,
}

impl Standing {
    pub const ALL: [Standing; 4] = [
        Standing::Planned,
        Standing::Unassigned,
        Standing::Waiting,
        Standing::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Unassigned => "unassigned",
            Self::Waiting => "waiting",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The badge's style: the word beside it says the same, so colour is never alone.
    pub fn badge(self) -> &'static str {
        match self {
            Self::Planned => "ok",
            Self::Unassigned => "bad",
            Self::Waiting => "warn",
            Self::Cancelled => "info",
        }
    }
}

/// The query string as sent: blank means "all".
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub kind: Option<String>,
    pub org: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Filters {
    pub kind: Option<RequestKind>,
    pub org: Option<Id>,
    pub status: Option<Standing>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Filters {
    /// A value no option of the form sends is a bad request naming the field.
    pub fn parse(q: &FilterQuery) -> Result<Self, AppError> {
        let kind = blank(&q.kind)
            .map(|k| {
                RequestKind::parse(k)
                    .ok_or_else(|| AppError::invalid("kind", "must be ride, meal or collection"))
            })
            .transpose()?;
        let org = blank(&q.org)
            .map(|o| {
                o.parse::<Id>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(|| AppError::invalid("org", "must be an association's id"))
            })
            .transpose()?;
        let status = blank(&q.status)
            .map(|s| {
                Standing::parse(s).ok_or_else(|| {
                    AppError::invalid(
                        "status",
                        "must be planned, unassigned, waiting or cancelled",
                    )
                })
            })
            .transpose()?;
        Ok(Self { kind, org, status })
    }

    fn keeps(&self, r: &Request, standing: Standing) -> bool {
        self.kind.is_none_or(|k| k == r.kind)
            && self.org.is_none_or(|o| o == r.organisation_id)
            && self.status.is_none_or(|s| s == standing)
    }

    pub fn kind_str(&self) -> &'static str {
        self.kind.map_or("", RequestKind::as_str)
    }

    pub fn status_str(&self) -> &'static str {
        self.status.map_or("", Standing::as_str)
    }
}

pub struct RequestRow {
    pub id: Id,
    pub kind: &'static str,
    pub kind_word: &'static str,
    pub who: String,
    pub association: String,
    pub from: String,
    pub to: String,
    pub window: String,
    pub needs: String,
    pub purpose: String,
    pub standing: Standing,
    pub standing_word: String,
    /// The vehicle it rides in, or why it is left out.
    pub detail: String,
    /// What would let it in, when left out and a change was found.
    pub fits_if: String,
    /// Where it stands as its association sees it (`domain::lifecycle`).
    pub lifecycle: String,
}

/// Where each request stands in the plan shown: its vehicle, or its reason.
fn placement(day: &Day) -> HashMap<Id, Result<String, (UnassignedReason, Option<&FitsIf>)>> {
    let mut at = HashMap::new();
    if let Some(plan) = &day.plan {
        for route in &plan.routes {
            let vehicle = day
                .vehicle(route.vehicle_id)
                .map_or_else(String::new, |v| v.name.clone());
            for s in &route.stops {
                at.insert(s.request_id, Ok(vehicle.clone()));
            }
        }
        for u in &plan.unassigned {
            at.insert(u.request_id, Err((u.reason, u.fits_if.as_ref())));
        }
    }
    at
}

pub fn who(day: &Day, r: &Request) -> String {
    day.person(r.person_id).map_or_else(
        || day.place_name(r.from_place_id).to_string(),
        |p| p.name.clone(),
    )
}

pub fn rows(t: &Tr, day: &Day, filters: &Filters) -> Vec<RequestRow> {
    let at = placement(day);
    day.requests
        .iter()
        .filter_map(|r| {
            let person = day.person(r.person_id);
            let mut fits_if = String::new();
            let (standing, detail) = match (r.status, at.get(&r.id)) {
                (s, _) if s.is_dropped() => (Standing::Cancelled, String::new()),
                (_, Some(Ok(vehicle))) => (Standing::Planned, vehicle.clone()),
                (_, Some(Err((reason, change)))) => {
                    if let Some(f) = change {
                        fits_if = reasons::fits_if_in_words(t, f, |id| {
                            day.vehicle(id).map(|v| v.name.as_str())
                        });
                    }
                    (
                        Standing::Unassigned,
                        reasons::in_words(t, *reason, r, person),
                    )
                }
                (_, None) => (Standing::Waiting, String::new()),
            };
            filters.keeps(r, standing).then(|| RequestRow {
                id: r.id,
                kind: r.kind.as_str(),
                kind_word: words::kind(t, r.kind),
                who: who(day, r),
                association: day.organisation_name(r.organisation_id).to_string(),
                from: day.place_name(r.from_place_id).to_string(),
                to: day.place_name(r.to_place_id).to_string(),
                window: words::window(t, r),
                needs: words::needs(t, r, person),
                purpose: words::purpose(t, r.purpose),
                standing,
                standing_word: t
                    .t(&format!("board.standing.{}", standing.as_str()))
                    .to_string(),
                detail,
                fits_if,
                lifecycle: words::lifecycle(t, r.lifecycle),
            })
        })
        .collect()
}
