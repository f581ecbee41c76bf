//! Vehicle sharing: who may ride which vehicle when. A vehicle belongs to the
//! municipality or to an association; a pooled vehicle serves everyone, one
//! kept out of the pool only its owner. Blocks on a vehicle's calendar
//! reserve a span of a date for one association, or keep it for the
//! municipality's own services (meals, its own rides); a block wins over the
//! pool. The planner asks this module how to cut a shift and which skills
//! stand for "may ride".

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Checks, Id, Invalid, OrgKind, Organisation, Vehicle, Window};

/// A span of one date on a vehicle's calendar, reserved for one association
/// or (without one) kept for the municipality.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VehicleBlock {
    pub id: Id,
    pub vehicle_id: Id,
    pub date: NaiveDate,
    /// From `start` to `end`; only requests of the block's party ride in it.
    pub window: Window,
    /// The association the span is reserved for; `null`: the municipality's own.
    pub organisation_id: Option<Id>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VehicleBlockInput {
    pub vehicle_id: Id,
    #[serde(deserialize_with = "super::date::date")]
    pub date: NaiveDate,
    /// Must end after it starts.
    pub window: Window,
    /// An association (not the municipality); `null` keeps the span for the
    /// municipality's own services.
    #[serde(default)]
    pub organisation_id: Option<Id>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

impl VehicleBlockInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checks::default();
        c.window("window", &self.window);
        c.require(
            self.window.end > self.window.start,
            "window.end",
            "must be after the start",
        );
        c.optional_text("note", &self.note, 500);
        c.done()
    }
}

/// Whom a vehicle, a span or a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    Municipality,
    Association(Id),
}

impl Party {
    /// A request's or block's organisation: any of municipal kind is the
    /// municipality; an unknown one counts as an association of its own.
    pub fn of(organisation_id: Option<Id>, organisations: &[Organisation]) -> Self {
        match organisation_id {
            None => Self::Municipality,
            Some(id) => match organisations.iter().find(|o| o.id == id) {
                Some(o) if o.kind == OrgKind::Municipality => Self::Municipality,
                _ => Self::Association(id),
            },
        }
    }

    /// The solver skill that stands for "may ride": outside the alphabet of
    /// equipment names (`vehicle::is_token`), so it never meets a real one.
    pub fn skill(self) -> String {
        match self {
            Self::Municipality => format!("{ACCESS_PREFIX}municipality"),
            Self::Association(id) => format!("{ACCESS_PREFIX}association:{id}"),
        }
    }
}

const ACCESS_PREFIX: &str = "for:";

/// Whether a solver skill is a "may ride" skill rather than equipment.
pub fn is_access_skill(s: &str) -> bool {
    s.starts_with(ACCESS_PREFIX)
}

/// Who may ride a vehicle during a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Everyone,
    Only(Party),
}

impl Access {
    /// Outside blocks: everyone on a pooled vehicle, else only its owner.
    pub fn of_vehicle(v: &Vehicle, organisations: &[Organisation]) -> Self {
        if v.pooled {
            Self::Everyone
        } else {
            Self::Only(Party::of(v.owner_organisation_id, organisations))
        }
    }

    /// Whether `party`'s riders may ride.
    pub fn admits(self, party: Party) -> bool {
        match self {
            Self::Everyone => true,
            Self::Only(p) => p == party,
        }
    }

    /// The "may ride" skills a span with this access carries, given the
    /// parties whose requests the day holds.
    pub fn skills(self, parties: &BTreeSet<Party>) -> Vec<String> {
        match self {
            Self::Everyone => parties.iter().map(|p| p.skill()).collect(),
            Self::Only(p) => vec![p.skill()],
        }
    }
}

/// A consecutive piece of a shift with one access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub window: Window,
    pub access: Access,
}

/// A shift's window cut at the vehicle's block boundaries, consecutive pieces
/// of the same access merged. `blocks` are the vehicle's on the shift's date;
/// they do not overlap (the store refuses it); should they, the first wins.
/// Without blocks on a pooled vehicle: one piece, open to everyone.
pub fn pieces(
    vehicle: &Vehicle,
    window: Window,
    blocks: &[&VehicleBlock],
    organisations: &[Organisation],
) -> Vec<Piece> {
    let outside = Access::of_vehicle(vehicle, organisations);
    let mut cuts: Vec<u16> = vec![window.start.0, window.end.0];
    for b in blocks {
        for t in [b.window.start.0, b.window.end.0] {
            if t > window.start.0 && t < window.end.0 {
                cuts.push(t);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Piece> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let access = blocks
            .iter()
            .find(|b| b.window.start.0 <= from && to <= b.window.end.0)
            .map_or(outside, |b| {
                Access::Only(Party::of(b.organisation_id, organisations))
            });
        match out.last_mut() {
            Some(last) if last.access == access => last.window.end = super::Clock(to),
            _ => out.push(Piece {
                window: Window::new(super::Clock(from), super::Clock(to)),
                access,
            }),
        }
    }
    if out.is_empty() {
        // An empty shift (start = end) stays one piece.
        out.push(Piece {
            window,
            access: outside,
        });
    }
    out
}

/// Whether any piece of the day restricts who rides: only then do requests
/// and vehicles carry "may ride" skills, so a day without sharing rules makes
/// the same problem as before they existed.
pub fn restricted<'a>(pieces: impl IntoIterator<Item = &'a Piece>) -> bool {
    pieces.into_iter().any(|p| p.access != Access::Everyone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Clock, VehicleLayout};

    fn hm(h: u16, m: u16) -> Clock {
        Clock(h * 60 + m)
    }

    fn van(owner: Option<Id>, pooled: bool) -> Vehicle {
        Vehicle {
            id: 1,
            name: "Van".into(),
            depot_place_id: 1,
            skills: vec![],
            layouts: vec![VehicleLayout {
                name: "seats".into(),
                capacity: [("seats".to_string(), 4)].into(),
            }],
            available: Window::new(hm(7, 0), hm(19, 0)),
            active: true,
            owner_organisation_id: owner,
            pooled,
        }
    }

    fn block(from: Clock, to: Clock, org: Option<Id>) -> VehicleBlock {
        VehicleBlock {
            id: 1,
            vehicle_id: 1,
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            window: Window::new(from, to),
            organisation_id: org,
            note: None,
        }
    }

    fn orgs() -> Vec<Organisation> {
        vec![
            Organisation {
                id: 1,
                name: "Comune".into(),
                kind: OrgKind::Municipality,
            },
            Organisation {
                id: 2,
                name: "A".into(),
                kind: OrgKind::Association,
            },
        ]
    }

    #[test]
    fn a_pooled_vehicle_without_blocks_is_one_piece_for_everyone() {
        let w = Window::new(hm(8, 0), hm(14, 0));
        let p = pieces(&van(None, true), w, &[], &orgs());
        assert_eq!(
            p,
            vec![Piece {
                window: w,
                access: Access::Everyone
            }]
        );
        assert!(!restricted(&p));
    }

    #[test]
    fn blocks_cut_the_shift_at_their_bounds_and_are_clipped_to_it() {
        let w = Window::new(hm(8, 0), hm(14, 0));
        let a = block(hm(9, 0), hm(11, 0), Some(2));
        let kept = block(hm(13, 0), hm(15, 0), None);
        let p = pieces(&van(None, true), w, &[&a, &kept], &orgs());
        let spans: Vec<_> = p
            .iter()
            .map(|p| (p.window.start, p.window.end, p.access))
            .collect();
        assert_eq!(
            spans,
            vec![
                (hm(8, 0), hm(9, 0), Access::Everyone),
                (hm(9, 0), hm(11, 0), Access::Only(Party::Association(2))),
                (hm(11, 0), hm(13, 0), Access::Everyone),
                (hm(13, 0), hm(14, 0), Access::Only(Party::Municipality)),
            ]
        );
        assert!(restricted(&p));
    }

    #[test]
    fn a_vehicle_out_of_the_pool_serves_its_owner_unless_a_block_lends_it() {
        let w = Window::new(hm(8, 0), hm(12, 0));
        let lent = block(hm(10, 0), hm(12, 0), None);
        let p = pieces(&van(Some(2), false), w, &[&lent], &orgs());
        assert_eq!(p[0].access, Access::Only(Party::Association(2)));
        assert_eq!(p[1].access, Access::Only(Party::Municipality));
        // Adjacent spans of the same party merge.
        let own = block(hm(10, 0), hm(12, 0), Some(2));
        let p = pieces(&van(Some(2), false), w, &[&own], &orgs());
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn access_skills_never_look_like_equipment() {
        let s = Party::Association(7).skill();
        assert!(is_access_skill(&s));
        assert!(!crate::domain::vehicle::is_token(&s));
        assert_eq!(Party::of(Some(1), &orgs()), Party::Municipality);
        assert_eq!(Party::of(Some(2), &orgs()), Party::Association(2));
        let parties: BTreeSet<Party> = [Party::Municipality, Party::Association(2)].into();
        assert_eq!(Access::Everyone.skills(&parties).len(), 2);
        assert_eq!(
            Access::Only(Party::Association(2)).skills(&parties),
            vec![s.replace('7', "2")]
        );
    }

    #[test]
    fn a_block_must_end_after_it_starts() {
        let input = VehicleBlockInput {
            vehicle_id: 1,
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            window: Window::new(hm(10, 0), hm(10, 0)),
            organisation_id: None,
            note: None,
        };
        let err = input.validate().unwrap_err();
        assert_eq!(err.0[0].field, "window.end");
    }
}
