//! Where a request stands, as its association sees it: requested, scheduled
//! with a promised pickup window, on board, completed; or cancelled (on time
//! or late), a no-show, turned down with the planner's reason. The rules for
//! cancelling, for a no-show's way back and for a will-call ride live here.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::person::str_enum;
use super::ride_policy::{CancelPolicy, RidePolicy};
use super::{Clock, Invalid, RequestStatus, StopEventKind, UnassignedReason, WayBack, Window};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Lifecycle {
    /// Booked; no published plan has it yet.
    Requested,
    /// A will-call way back: planned once the rider calls.
    WaitingCall,
    /// In the published plan: the driver comes inside `pickup`.
    Scheduled { pickup: Window },
    /// The driver picked the rider up.
    OnBoard,
    /// The rider was dropped off.
    Completed,
    /// Cancelled in good time.
    Cancelled,
    /// Cancelled after the policy's cut-off.
    CancelledLate,
    /// The rider was not there.
    NoShow,
    /// The published plan could not fit it in, for `reason`.
    TurnedDown { reason: UnassignedReason },
}

impl Lifecycle {
    /// The state's name, as the JSON gives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::WaitingCall => "waiting_call",
            Self::Scheduled { .. } => "scheduled",
            Self::OnBoard => "on_board",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::CancelledLate => "cancelled_late",
            Self::NoShow => "no_show",
            Self::TurnedDown { .. } => "turned_down",
        }
    }

    /// Nothing more will happen to it.
    pub fn is_over(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Cancelled | Self::CancelledLate | Self::NoShow
        )
    }
}

/// What the lifecycle follows from besides the stored status.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Facts {
    /// The planned start at the pickup in the published plan.
    pub promised_pickup: Option<Clock>,
    /// Why the published plan left it out.
    pub left_out: Option<UnassignedReason>,
    /// The latest event reported at the pickup and at the drop-off.
    pub pickup: Option<StopEventKind>,
    pub dropoff: Option<StopEventKind>,
}

/// The window promised around a planned pickup: from the planned time, as
/// wide as the policy's pickup window (traffic makes drivers late, not early).
pub fn promise(pickup: Clock, policy: &RidePolicy) -> Window {
    let width = i64::from(policy.window.pickup_before + policy.window.pickup_after);
    let end = (pickup.minutes() + width).min(i64::from(Clock::MIDNIGHT_END));
    Window::new(pickup, Clock::from_minutes(end).unwrap_or(pickup))
}

/// The window told from a published pickup (minutes after midnight), as
/// minutes: the published time itself is always inside it.
pub fn promised_window(published: f64, policy: &RidePolicy) -> (f64, f64) {
    let w = promise(Clock::from_minutes_f64(published.round()), policy);
    let (a, b) = (w.start.minutes() as f64, w.end.minutes() as f64);
    (a.min(published), b.max(published))
}

/// Whether a pickup planned anew keeps the window promised from the
/// published one. Promises are told to the minute, so a minute either side
/// is still the promise.
pub fn keeps_promise(published: f64, planned: f64, policy: &RidePolicy) -> bool {
    let (a, b) = promised_window(published, policy);
    planned >= a - 1.0 && planned <= b + 1.0
}

/// The lifecycle of a request. A stored end (cancelled, no-show) wins; then
/// what the driver reported; then the published plan. A `skipped` stop
/// changes nothing: the dispatcher decides what it means.
pub fn lifecycle(status: RequestStatus, facts: &Facts, policy: &RidePolicy) -> Lifecycle {
    use StopEventKind::{Done, NoShow};
    match status {
        RequestStatus::Cancelled => return Lifecycle::Cancelled,
        RequestStatus::CancelledLate => return Lifecycle::CancelledLate,
        RequestStatus::NoShow => return Lifecycle::NoShow,
        RequestStatus::Active | RequestStatus::WillCall => {}
    }
    match (facts.pickup, facts.dropoff) {
        (Some(NoShow), _) | (_, Some(NoShow)) => Lifecycle::NoShow,
        (_, Some(Done)) => Lifecycle::Completed,
        (Some(Done), _) | (_, Some(StopEventKind::Arrived)) => Lifecycle::OnBoard,
        _ if status == RequestStatus::WillCall => Lifecycle::WaitingCall,
        _ => match (facts.promised_pickup, facts.left_out) {
            (Some(p), _) => Lifecycle::Scheduled {
                pickup: promise(p, policy),
            },
            (None, Some(reason)) => Lifecycle::TurnedDown { reason },
            (None, None) => Lifecycle::Requested,
        },
    }
}

/// The status a ride takes after the latest report at its pickup: a no-show
/// when the rider was not there, active again when the driver took a
/// no-show back (a later `arrived` or `done`); `None` when nothing changes.
pub fn status_after_pickup(status: RequestStatus, latest: StopEventKind) -> Option<RequestStatus> {
    match (status, latest) {
        (RequestStatus::Active, StopEventKind::NoShow) => Some(RequestStatus::NoShow),
        (RequestStatus::NoShow, StopEventKind::Arrived | StopEventKind::Done) => {
            Some(RequestStatus::Active)
        }
        _ => None,
    }
}

/// The rider of a will-call ride called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    /// Pick up from this time today (not before now); now when left out.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "11:30", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub at: Option<Clock>,
}

/// Why a request was cancelled: by its association, or with its outbound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelCause {
    /// The association cancelled it.
    Asked,
    /// Its outbound ride was cancelled.
    WithOutbound,
    /// The rider missed its outbound ride.
    OutboundNoShow,
}

str_enum!(CancelCause {
    Asked => "asked",
    WithOutbound => "with_outbound",
    OutboundNoShow => "outbound_no_show"
});

impl CancelCause {
    /// Cancelled only because of its outbound: the association may take it back.
    pub fn by_outbound(self) -> bool {
        self != Self::Asked
    }
}

fn at(date: NaiveDate, t: Clock) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::minutes(t.minutes())
}

/// What a cancellation made at `now` counts as: late within the policy's
/// cut-off before the pickup (`None` for a will-call not yet called: no time
/// was ever promised, so it is never late).
pub fn cancellation(
    now: NaiveDateTime,
    date: NaiveDate,
    pickup: Option<Clock>,
    policy: &CancelPolicy,
) -> RequestStatus {
    match pickup {
        Some(p)
            if at(date, p) - now < chrono::Duration::minutes(policy.late_within_minutes.into()) =>
        {
            RequestStatus::CancelledLate
        }
        _ => RequestStatus::Cancelled,
    }
}

/// The time a cancellation is measured against: the promised pickup once
/// published, else the start of the booked window.
pub fn cancel_reference(
    status: RequestStatus,
    promised: Option<Clock>,
    window: Window,
) -> Option<Clock> {
    match (status, promised) {
        (_, Some(p)) => Some(p),
        (RequestStatus::WillCall, None) => None,
        (_, None) => Some(window.start),
    }
}

/// Whether a way back cancelled with its outbound can still be taken back:
/// not once the end of its window has passed.
pub fn restorable(now: NaiveDateTime, date: NaiveDate, window: Window) -> bool {
    at(date, window.end) > now
}

/// The status a way back returns to when its association keeps it: waiting
/// for the call if it is a will-call nobody called yet, else to be planned.
pub fn restored_status(rule: Option<WayBack>, called: bool) -> RequestStatus {
    match rule {
        Some(WayBack::WillCall) if !called => RequestStatus::WillCall,
        _ => RequestStatus::Active,
    }
}

/// The pickup window of a will-call ride once the rider calls: from `at`
/// (now when not given) for as long as the policy's pickup window, on the
/// ride's own day only.
pub fn call_window(
    now: NaiveDateTime,
    date: NaiveDate,
    at_time: Option<Clock>,
    policy: &RidePolicy,
) -> Result<Window, Invalid> {
    if date != now.date() {
        return Err(Invalid::one(
            "date",
            "a will-call ride is activated on its own day only",
        ));
    }
    let minute = Clock::from_minutes(i64::from(
        chrono::Timelike::hour(&now) * 60 + chrono::Timelike::minute(&now),
    ))
    .unwrap_or(Clock(0));
    let start = at_time.unwrap_or(minute);
    if start < minute {
        return Err(Invalid::one("at", "is in the past"));
    }
    Ok(promise(start, policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Clock {
        s.parse().unwrap()
    }

    fn day() -> NaiveDate {
        "2026-11-23".parse().unwrap()
    }

    fn now(s: &str) -> NaiveDateTime {
        day().and_time(s.parse().unwrap())
    }

    #[test]
    fn the_lifecycle_follows_the_plan_then_the_driver() {
        use StopEventKind::*;
        let p = RidePolicy::default();
        let active = RequestStatus::Active;
        let mut f = Facts::default();
        assert_eq!(lifecycle(active, &f, &p), Lifecycle::Requested);
        f.left_out = Some(UnassignedReason::NoRoom);
        assert_eq!(
            lifecycle(active, &f, &p),
            Lifecycle::TurnedDown {
                reason: UnassignedReason::NoRoom
            }
        );
        f = Facts {
            promised_pickup: Some(t("08:40")),
            ..Facts::default()
        };
        assert_eq!(
            lifecycle(active, &f, &p),
            Lifecycle::Scheduled {
                pickup: Window::new(t("08:40"), t("09:10"))
            }
        );
        f.pickup = Some(Arrived);
        assert!(matches!(
            lifecycle(active, &f, &p),
            Lifecycle::Scheduled { .. }
        ));
        f.pickup = Some(Done);
        assert_eq!(lifecycle(active, &f, &p), Lifecycle::OnBoard);
        f.dropoff = Some(Done);
        assert_eq!(lifecycle(active, &f, &p), Lifecycle::Completed);
        f.dropoff = None;
        f.pickup = Some(NoShow);
        assert_eq!(lifecycle(active, &f, &p), Lifecycle::NoShow);
        // A stored end wins over the plan.
        assert_eq!(
            lifecycle(RequestStatus::CancelledLate, &f, &p),
            Lifecycle::CancelledLate
        );
        assert_eq!(
            lifecycle(RequestStatus::WillCall, &Facts::default(), &p),
            Lifecycle::WaitingCall
        );
    }

    #[test]
    fn a_cancellation_is_late_within_the_cut_off() {
        let policy = CancelPolicy {
            late_within_minutes: 120,
        };
        let c = |n, p| cancellation(now(n), day(), p, &policy);
        assert_eq!(c("06:00", Some(t("09:00"))), RequestStatus::Cancelled);
        assert_eq!(
            c("07:00", Some(t("09:00"))),
            RequestStatus::Cancelled,
            "at the cut-off"
        );
        assert_eq!(c("07:30", Some(t("09:00"))), RequestStatus::CancelledLate);
        assert_eq!(c("10:00", Some(t("09:00"))), RequestStatus::CancelledLate);
        assert_eq!(c("23:00", None), RequestStatus::Cancelled);
        let w = Window::new(t("09:00"), t("09:30"));
        assert_eq!(
            cancel_reference(RequestStatus::Active, Some(t("09:10")), w),
            Some(t("09:10"))
        );
        assert_eq!(
            cancel_reference(RequestStatus::Active, None, w),
            Some(t("09:00"))
        );
        assert_eq!(cancel_reference(RequestStatus::WillCall, None, w), None);
    }

    #[test]
    fn a_call_opens_a_window_from_now_on_its_day() {
        let p = RidePolicy::default();
        let w = call_window(now("11:07"), day(), None, &p).unwrap();
        assert_eq!((w.start, w.end), (t("11:07"), t("11:37")));
        let w = call_window(now("11:07"), day(), Some(t("12:00")), &p).unwrap();
        assert_eq!(w.start, t("12:00"));
        let late = call_window(now("23:50"), day(), None, &p).unwrap();
        assert_eq!(late.end, t("24:00"));
        let err = |r: Result<Window, Invalid>| r.unwrap_err().0[0].field.clone();
        assert_eq!(
            err(call_window(now("11:07"), day(), Some(t("11:00")), &p)),
            "at"
        );
        let tomorrow = day().succ_opt().unwrap();
        assert_eq!(err(call_window(now("11:07"), tomorrow, None, &p)), "date");
    }

    #[test]
    fn a_way_back_is_kept_until_its_window_ends() {
        let w = Window::new(t("12:00"), t("12:30"));
        assert!(restorable(now("12:10"), day(), w));
        assert!(!restorable(now("12:31"), day(), w));
        assert_eq!(
            restored_status(Some(WayBack::WillCall), false),
            RequestStatus::WillCall
        );
        assert_eq!(
            restored_status(Some(WayBack::WillCall), true),
            RequestStatus::Active
        );
        assert_eq!(restored_status(None, false), RequestStatus::Active);
        assert!(!CancelCause::Asked.by_outbound());
        use RequestStatus::{Active, NoShow};
        assert_eq!(
            status_after_pickup(Active, StopEventKind::NoShow),
            Some(NoShow)
        );
        assert_eq!(
            status_after_pickup(NoShow, StopEventKind::Done),
            Some(Active)
        );
        assert_eq!(status_after_pickup(NoShow, StopEventKind::Skipped), None);
        assert_eq!(status_after_pickup(Active, StopEventKind::Done), None);
        assert_eq!(
            CancelCause::parse("outbound_no_show"),
            Some(CancelCause::OutboundNoShow)
        );
    }
}
