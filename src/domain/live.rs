//! The live state of a published route: where each stop stands from the
//! drivers' reports, when the stops still ahead are now expected, and which
//! of them will miss their window. The one home of the live-ETA rule.
//!
//! Why forward propagation, and why it is exact here: the core's scheduler
//! (`solver::schedule`, `propagate`) times a fixed sequence by exactly these
//! steps — departure = start + setup + service, arrival = departure + travel,
//! start = max(arrival, window opens). The route's order is fixed and the
//! vehicle's position and time are fixed by the last report, so no slack is
//! left to choose: the earliest times are the expected ones, and a stop whose
//! earliest start passes its window's end cannot be served in time by any
//! timing of the route. The travel between two stops and each stop's setup
//! plus service are read from the published times themselves (the plan's
//! arrival minus the previous departure, its departure minus its start), so
//! they are the same travel matrix and setups the solve used; no matrix is
//! asked again. Not covered: ride limits (a hot meal's kitchen-to-door limit,
//! a rider's longest ride) and the link of a way back to its outbound ride on
//! another route; a rider who did not show up leaves the route as planned
//! (the vehicle still passes by the drop-off, without stopping there).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::person::str_enum;
use super::{Clock, Id, StopEventKind, StopKey, StopRole};

/// Where a stop stands in the live day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LiveStatus {
    /// Reported done.
    Done,
    /// The rider did not show up.
    NoShow,
    /// The driver skipped it.
    Skipped,
    /// The driver is there now.
    Arrived,
    /// Nothing reported, but a later stop was: passed without a report.
    Unreported,
    /// Not served: its pickup was a no-show or skipped.
    Void,
    /// The next stop to serve.
    Next,
    /// Further ahead.
    Ahead,
}

str_enum!(LiveStatus {
    Done => "done", NoShow => "no_show", Skipped => "skipped", Arrived => "arrived",
    Unreported => "unreported", Void => "void", Next => "next", Ahead => "ahead"
});

impl LiveStatus {
    /// Still to be served: it has an expected time and may be late.
    pub fn pending(self) -> bool {
        matches!(self, Self::Arrived | Self::Next | Self::Ahead)
    }
}

/// A published stop as the live rule needs it (minutes after midnight).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedStop {
    pub key: StopKey,
    pub arrival: f64,
    pub start: f64,
    pub departure: f64,
    /// The earliest start: the window's opening, when the plan's data gives it.
    pub open: Option<f64>,
    /// The latest start promised, when the stop's end is the one promised.
    pub close: Option<f64>,
}

/// The last report on a stop: its kind and time (minutes after midnight).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Report {
    pub kind: StopEventKind,
    pub at: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LiveStop {
    pub status: LiveStatus,
    /// Expected start of service, for the stops still to serve.
    pub expected: Option<f64>,
    /// Expected minus planned start (negative when ahead of the plan).
    pub delay: Option<f64>,
    /// The expected start passes the window's end.
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LiveRoute {
    /// The stop last reported (by route order) and its report's time; `None`
    /// before any report: the vehicle is at its start.
    pub last: Option<(usize, f64)>,
    pub stops: Vec<LiveStop>,
}

/// Minutes are compared with this slack: a plan's times are fractional.
const EPS: f64 = 1e-6;

/// The live state of one route. `reports[i]` is the last report on stop `i`
/// (by device time); `now` (minutes after midnight of the route's date, when
/// the date is today) keeps the next stop from being expected before it.
/// Before any report the stops keep the plan's times.
pub fn live_route(
    stops: &[PlannedStop],
    reports: &[Option<Report>],
    now: Option<f64>,
) -> LiveRoute {
    let report = |i: usize| reports.get(i).copied().flatten();
    let last = (0..stops.len()).rev().find(|&i| report(i).is_some());
    // Requests whose pickup was not served: their drop-off is void.
    let unserved: Vec<super::Id> = stops
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.key.role == StopRole::Pickup
                && report(*i).is_some_and(|r| {
                    matches!(r.kind, StopEventKind::NoShow | StopEventKind::Skipped)
                })
        })
        .map(|(_, s)| s.key.request_id)
        .collect();
    let void =
        |s: &PlannedStop| s.key.role == StopRole::Dropoff && unserved.contains(&s.key.request_id);
    let late = |s: &PlannedStop, start: f64| s.close.is_some_and(|c| start > c + EPS);
    let ahead = |s: &PlannedStop, first: bool, start: f64| LiveStop {
        status: if void(s) {
            LiveStatus::Void
        } else if first {
            LiveStatus::Next
        } else {
            LiveStatus::Ahead
        },
        expected: Some(start),
        delay: Some(start - s.start),
        late: !void(s) && late(s, start),
    };
    let Some(last) = last else {
        let out = stops
            .iter()
            .enumerate()
            .map(|(i, s)| ahead(s, i == 0, s.start))
            .collect();
        return LiveRoute {
            last: None,
            stops: out,
        };
    };
    let mut out = Vec::with_capacity(stops.len());
    for (i, s) in stops.iter().enumerate().take(last) {
        let status = match report(i).map(|r| r.kind) {
            Some(StopEventKind::Done) => LiveStatus::Done,
            Some(StopEventKind::NoShow) => LiveStatus::NoShow,
            Some(StopEventKind::Skipped) => LiveStatus::Skipped,
            // Arrived, then a later stop: it was served, unreported.
            Some(StopEventKind::Arrived) | None if void(s) => LiveStatus::Void,
            Some(StopEventKind::Arrived) | None => LiveStatus::Unreported,
        };
        out.push(LiveStop {
            status,
            expected: None,
            delay: None,
            late: false,
        });
    }
    let (s, r) = (&stops[last], report(last).expect("the last reported stop"));
    let opens = |s: &PlannedStop, t: f64| s.open.map_or(t, |o| t.max(o));
    // When the vehicle leaves the last reported stop: at once unless it is
    // being served now (setup and service as planned).
    let mut leaves = match r.kind {
        StopEventKind::Arrived => {
            let start = opens(s, r.at);
            out.push(LiveStop {
                status: LiveStatus::Arrived,
                expected: Some(start),
                delay: Some(start - s.start),
                late: late(s, start),
            });
            start + (s.departure - s.start)
        }
        kind => {
            out.push(LiveStop {
                status: match kind {
                    StopEventKind::Done => LiveStatus::Done,
                    StopEventKind::NoShow => LiveStatus::NoShow,
                    _ => LiveStatus::Skipped,
                },
                expected: None,
                delay: None,
                late: false,
            });
            r.at
        }
    };
    let mut prev_departure = s.departure;
    for (i, s) in stops.iter().enumerate().skip(last + 1) {
        let mut arrival = leaves + (s.arrival - prev_departure);
        if i == last + 1 {
            if let Some(now) = now {
                arrival = arrival.max(now);
            }
        }
        let start = if void(s) { arrival } else { opens(s, arrival) };
        out.push(ahead(s, i == last + 1, start));
        leaves = if void(s) {
            start
        } else {
            start + (s.departure - s.start)
        };
        prev_departure = s.departure;
    }
    LiveRoute {
        last: Some((last, r.at)),
        stops: out,
    }
}

/// Where a vehicle was last known to be.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LastPosition {
    pub place_id: Id,
    /// The stop last reported on; `null` before any report (the route's start).
    #[schema(value_type = Option<String>, example = "42-pickup")]
    pub key: Option<StopKey>,
    /// When: the report's time, or the route's planned start.
    #[schema(value_type = String, example = "08:42")]
    pub time: Clock,
    /// The same, in minutes after midnight.
    pub time_min: f64,
}

/// One stop of a published route as the day runs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LiveStopView {
    #[schema(value_type = String, example = "42-pickup")]
    pub key: StopKey,
    pub seq: i64,
    pub request_id: Id,
    pub place_id: Id,
    pub status: LiveStatus,
    /// Planned start of service.
    #[schema(value_type = String, example = "08:42")]
    pub planned: Clock,
    /// Expected start of service, for stops still to serve.
    #[schema(value_type = Option<String>, example = "08:55")]
    pub expected: Option<Clock>,
    pub expected_min: Option<f64>,
    /// Expected minus planned start, in whole minutes (negative when early).
    pub delay_min: Option<i64>,
    /// The expected start passes the end of the window promised for this stop.
    pub late: bool,
    /// When the last report on it was made (device time).
    pub reported_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LiveRouteView {
    pub route_id: Id,
    pub vehicle_id: Id,
    pub volunteer_id: Option<Id>,
    pub last_position: LastPosition,
    pub stops: Vec<LiveStopView>,
}

/// The published plan of a date as the day runs: per route the vehicle's
/// last known place and time, per stop its status and expected time.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LivePlan {
    pub date: NaiveDate,
    pub revision: i64,
    /// The time the expectations were computed at.
    pub now: DateTime<Utc>,
    pub routes: Vec<LiveRouteView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use StopEventKind::*;

    /// 20 minutes apart, 5 minutes of service each, windows of 30 minutes
    /// opening 10 minutes before the planned start.
    fn route(n: u64) -> Vec<PlannedStop> {
        (0..n)
            .map(|i| {
                let start = 480.0 + 25.0 * i as f64;
                PlannedStop {
                    key: format!("{}-{}", i + 1, "pickup").parse().unwrap(),
                    arrival: start,
                    start,
                    departure: start + 5.0,
                    open: Some(start - 10.0),
                    close: Some(start + 20.0),
                }
            })
            .collect()
    }

    fn reports(n: usize, given: &[(usize, StopEventKind, f64)]) -> Vec<Option<Report>> {
        let mut out = vec![None; n];
        for &(i, kind, at) in given {
            out[i] = Some(Report { kind, at });
        }
        out
    }

    #[test]
    fn no_events_keep_the_plans_times() {
        let stops = route(3);
        let live = live_route(&stops, &reports(3, &[]), None);
        assert_eq!(live.last, None);
        let got: Vec<_> = live
            .stops
            .iter()
            .map(|s| (s.status, s.expected, s.late))
            .collect();
        assert_eq!(
            got,
            [
                (LiveStatus::Next, Some(480.0), false),
                (LiveStatus::Ahead, Some(505.0), false),
                (LiveStatus::Ahead, Some(530.0), false)
            ]
        );
        assert!(live.stops.iter().all(|s| s.delay == Some(0.0)));
    }

    #[test]
    fn a_late_done_pushes_the_following_stops_and_flags_the_late_ones() {
        let stops = route(4);
        // Done at 08:30 instead of 08:05: 25 minutes behind.
        let live = live_route(&stops, &reports(4, &[(0, Done, 510.0)]), None);
        assert_eq!(live.last, Some((0, 510.0)));
        assert_eq!(live.stops[0].status, LiveStatus::Done);
        assert_eq!(live.stops[1].status, LiveStatus::Next);
        assert_eq!(live.stops[2].status, LiveStatus::Ahead);
        for s in &live.stops[1..] {
            assert_eq!(s.delay, Some(25.0));
            // Window ends 20 minutes after the planned start.
            assert!(s.late);
        }
        assert_eq!(live.stops[1].expected, Some(530.0));
        // Ten minutes behind stays inside the windows.
        let live = live_route(&stops, &reports(4, &[(0, Done, 495.0)]), None);
        assert_eq!(live.stops[1].delay, Some(10.0));
        assert!(live.stops.iter().all(|s| !s.late));
    }

    #[test]
    fn an_arrival_serves_as_planned_and_a_no_show_does_not_wait() {
        let stops = route(3);
        // Arrived at the second stop 10 minutes late: five minutes of service follow.
        let live = live_route(&stops, &reports(3, &[(1, Arrived, 515.0)]), None);
        assert_eq!(live.stops[0].status, LiveStatus::Unreported);
        assert_eq!(live.stops[1].status, LiveStatus::Arrived);
        assert_eq!(live.stops[1].expected, Some(515.0));
        assert_eq!(live.stops[2].expected, Some(515.0 + 5.0 + 20.0));
        // A no-show at the same time: the vehicle leaves at once.
        let live = live_route(&stops, &reports(3, &[(1, NoShow, 515.0)]), None);
        assert_eq!(live.stops[1].status, LiveStatus::NoShow);
        assert_eq!(live.stops[2].expected, Some(515.0 + 20.0));
    }

    #[test]
    fn the_drop_off_of_a_no_show_is_void_and_never_late() {
        let mut stops = route(3);
        stops[2].key = "1-dropoff".parse().unwrap();
        stops[2].close = Some(400.0);
        let live = live_route(&stops, &reports(3, &[(0, NoShow, 480.0)]), None);
        assert_eq!(live.stops[2].status, LiveStatus::Void);
        assert!(!live.stops[2].late);
    }

    #[test]
    fn a_stop_starting_after_its_window_is_late() {
        let mut stops = route(2);
        stops[1].close = Some(510.0);
        // Done at 08:10, the second stop at 08:30 + ... = 08:30: window ends 08:30.
        let live = live_route(&stops, &reports(2, &[(0, Done, 490.0)]), None);
        assert_eq!(live.stops[1].expected, Some(510.0));
        assert!(!live.stops[1].late);
        let live = live_route(&stops, &reports(2, &[(0, Done, 491.0)]), None);
        assert!(live.stops[1].late);
    }

    #[test]
    fn an_early_report_never_starts_a_stop_before_its_window() {
        let stops = route(3);
        // Done 40 minutes early: the next stop waits for its window (08:15).
        let live = live_route(&stops, &reports(3, &[(0, Done, 445.0)]), None);
        assert_eq!(live.stops[1].expected, Some(495.0));
        assert_eq!(live.stops[1].delay, Some(-10.0));
        assert_eq!(live.stops[2].expected, Some(520.0));
        // An arrival before the window opens starts service when it opens.
        let live = live_route(&stops, &reports(3, &[(1, Arrived, 480.0)]), None);
        assert_eq!(live.stops[1].expected, Some(495.0));
    }

    #[test]
    fn now_keeps_the_next_stop_from_being_expected_in_the_past() {
        let stops = route(3);
        let live = live_route(&stops, &reports(3, &[(0, Done, 485.0)]), Some(520.0));
        assert_eq!(live.stops[1].expected, Some(520.0));
        assert_eq!(live.stops[2].expected, Some(545.0));
    }
}
