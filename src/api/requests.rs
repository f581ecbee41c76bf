use super::auth::BOOKERS;
use super::crud::crud;
use crate::domain::{Request, RequestInput};

crud! {
    tag: "requests",
    paths: "/api/v1/requests", "/api/v1/requests/{id}",
    record: Request, input: RequestInput,
    read: BOOKERS, write: BOOKERS,
    scope: Caller::scope, organisation: organisation_id,
    /// Requests, optionally of one date; a member sees only its association's.
    list: requests by "date",
    get: request, create: create_request, update: update_request,
    /// Refused with 409 once a plan routes the request: cancel it instead.
    delete: delete_request,
}
