//! The municipality's records as the service sees them: pure types and the
//! checks that need no database. Store, API and planning share these.

pub mod anonymise;
pub mod audit;
mod booking;
pub mod calendar;
mod clock;
pub mod date;
mod driver_link;
pub mod eligibility;
pub mod fees;
pub mod fit;
pub mod fits_if;
mod forms;
mod holidays;
pub mod import;
pub mod lifecycle;
pub mod live;
pub mod meals;
pub mod mobility;
pub mod night_before;
mod organisation;
mod person;
mod place;
mod plan;
mod plan_copy;
mod plan_edit;
pub mod plan_geojson;
mod recurrence;
pub mod replan;
pub mod report;
mod request;
pub mod ride_policy;
mod shift;
mod solve_input;
mod standing_order;
mod stop_event;
mod stop_key;
pub mod surplus;
pub mod text;
mod unassigned;
mod user;
mod vehicle;
pub mod vehicle_sharing;
mod violation;
mod volunteer;
mod weekdays;

pub use audit::{AuditAction, AuditEntity};
pub use booking::{settle, Booking, NewRequest};
pub use clock::{Clock, Window};
pub use driver_link::{check_pin_form, link_path, DriverLink, PinInput, MAX_FAILED_PINS};
pub use fits_if::FitsIf;
pub use holidays::{
    check_closing_days, easter, holiday, holidays_in, validate_closing_days, Calendar, ClosingDay,
    Holiday, NoService,
};
pub use lifecycle::Lifecycle;
pub use mobility::Mobility;
pub use organisation::{OrgKind, Organisation, OrganisationInput};
pub use person::{Assistance, Person, PersonInput};
pub use place::{Place, PlaceInput};
pub use plan::{
    Figures, Manifest, ManifestRoute, ManifestStop, NewPlan, NewRoute, NewStop, Plan, PlanStatus,
    PlanStop, PlanUnassigned, PublishInput, Role as StopRole, Route, RouteEdit,
};
pub use plan_edit::{EditOutcome, PlanEdit, PlanEditInput};
pub use recurrence::{
    check_suspensions, dates_between, occurs_on, schedule_between, validate_suspensions,
    Occurrence, Recurrence, SkipReason, Suspension,
};
pub use request::{Request, RequestInput, RequestKind, RequestStatus, ReturnOf, WayBack, WindowAt};
pub use shift::{service_skill, Shift, ShiftInput};
pub use solve_input::SolveInput;
pub use standing_order::{
    under_ride, validate_suspension, DateRange, FailedDay, Generated, GeneratedDay, RideTemplate,
    ScheduleDay, StandingOrder, StandingOrderInput, MAX_GENERATE_DAYS, MAX_SCHEDULE_DAYS,
    MAX_SUSPENSIONS,
};
pub use stop_event::{
    latest_states, EventInput, NewEvent, StopEvent, StopEventInput, StopEventKind, StopState,
    MAX_KG,
};
pub use stop_key::StopKey;
pub use unassigned::UnassignedReason;
pub use user::{Role, User, UserInput};
pub use vehicle::{Vehicle, VehicleInput, VehicleLayout};
pub use vehicle_sharing::{VehicleBlock, VehicleBlockInput};
pub use violation::{NewViolation, PlanViolation, ViolationKind};
pub use volunteer::{Volunteer, VolunteerInput};
pub use weekdays::{Day, WeekdaySet, NAMES as WEEKDAY_NAMES};

use serde::Serialize;
use utoipa::ToSchema;

/// Database ids are plain integers in both backends.
pub type Id = i64;

/// One field that failed a check, named by its JSON path.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Every problem found in one input, so a form can show them all at once.
#[derive(Debug, Clone, PartialEq, Default, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }
}

/// Collects field errors while checking an input.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn fail(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn require(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.fail(field, message);
        }
    }

    /// Names and other labels: present, trimmed, and of a sane length.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.fail(field, "must not be empty");
        } else if value.chars().count() > max {
            self.fail(field, format!("must be at most {max} characters"));
        }
    }

    pub fn optional_text(&mut self, field: &str, value: &Option<String>, max: usize) {
        if let Some(v) = value {
            if v.chars().count() > max {
                self.fail(field, format!("must be at most {max} characters"));
            }
        }
    }

    pub fn window(&mut self, field: &str, w: &Window) {
        if w.end < w.start {
            self.fail(format!("{field}.end"), "must not be before the start");
        }
    }

    pub fn done(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}
