use super::auth::PLANNERS;
use super::crud::crud;
use crate::domain::{Volunteer, VolunteerInput};

crud! {
    tag: "volunteers",
    paths: "/api/v1/volunteers", "/api/v1/volunteers/{id}",
    record: Volunteer, input: VolunteerInput,
    read: PLANNERS, write: PLANNERS,
    list: volunteers,
    get: volunteer, create: create_volunteer, update: update_volunteer, delete: delete_volunteer,
}
