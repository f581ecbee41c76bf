use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::auth::BOOKERS;
use super::crud::crud;
use super::extract::Params;
use super::format::{self, Format};
use crate::domain::{Person, PersonInput};

crud! {
    tag: "people",
    paths: "/api/v1/people", "/api/v1/people/{id}",
    record: Person, input: PersonInput,
    read: BOOKERS, write: BOOKERS,
    scope: Caller::scope, organisation: organisation_id,
    list: own,
    get: person read as Person, create: create_person, update: update_person,
    /// Refused with 409 while requests still name the person.
    delete: delete_person,
}

/// Everyone served, or for a member only its association's people; a
/// planner may name `organisation_id`. As CSV (`format=csv` or `Accept:
/// text/csv`) with each home's name, address and coordinates, in the layout
/// `POST /import/people` reads.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", operation_id = "list_people",
    params(("organisation_id" = Option<i64>, Query, minimum = 1),
        ("format" = Option<String>, Query, pattern = "^(json|csv)$",
            description = "csv, or send Accept: text/csv")),
    responses((status = 200, content(([Person] = "application/json"), (String = "text/csv")))))]
async fn list(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    q: Params,
) -> Result<Response, AppError> {
    caller.allow(BOOKERS)?;
    let format = Format::of(&q, &headers)?;
    let only = q.id("organisation_id")?;
    let people: Vec<Person> = s
        .store
        .people(caller.scope())
        .await?
        .into_iter()
        .filter(|p| only.is_none_or(|o| p.organisation_id == o))
        .collect();
    Ok(match format {
        Format::Json => Json(people).into_response(),
        Format::Csv => {
            let places = s
                .store
                .places(crate::store::Scope::All)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
            let name = match only {
                Some(o) => format!("giro-people-{o}.csv"),
                None => "giro-people.csv".into(),
            };
            format::csv(crate::csv::people(&people, &places), &name)
        }
    })
}
