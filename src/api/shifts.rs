use super::auth::PLANNERS;
use super::crud::crud;
use crate::domain::{Shift, ShiftInput};

crud! {
    tag: "shifts",
    paths: "/api/v1/shifts", "/api/v1/shifts/{id}",
    record: Shift, input: ShiftInput,
    read: PLANNERS, write: PLANNERS,
    /// Shifts, optionally of one date.
    list: shifts by "date",
    get: shift, create: create_shift, update: update_shift, delete: delete_shift,
}
