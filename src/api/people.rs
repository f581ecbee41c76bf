use super::auth::BOOKERS;
use super::crud::crud;
use crate::domain::{Person, PersonInput};

crud! {
    tag: "people",
    paths: "/api/v1/people", "/api/v1/people/{id}",
    record: Person, input: PersonInput,
    read: BOOKERS, write: BOOKERS,
    scope: Caller::scope, organisation: organisation_id,
    /// Everyone served, or for a member only its association's people.
    list: people,
    get: person read as Person, create: create_person, update: update_person,
    /// Refused with 409 while requests still name the person.
    delete: delete_person,
}
