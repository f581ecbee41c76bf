use utoipa_axum::router::OpenApiRouter;

use super::auth::PLANNERS;
use super::crud::{self, Listed, Resource};
use super::AppState;
use crate::domain::{Id, Invalid, Role, Volunteer, VolunteerInput};
use crate::store::{Actor, Scope, Store, StoreError};

pub fn routes() -> OpenApiRouter<AppState> {
    crud::routes::<Volunteers>()
}

struct Volunteers;

impl Resource for Volunteers {
    type Record = Volunteer;
    type Input = VolunteerInput;
    const TAG: &str = "volunteers";
    const ONE: &str = "volunteer";
    const PATH: &str = "/api/v1/volunteers";
    const READ: &[Role] = PLANNERS;
    const WRITE: &[Role] = PLANNERS;

    fn validate(input: &VolunteerInput) -> Result<(), Invalid> {
        input.validate()
    }
    async fn get(store: &Store, _: Scope, id: Id) -> Result<Volunteer, StoreError> {
        store.volunteer(id).await
    }
    async fn create(
        store: &Store,
        actor: Actor,
        _: Option<Id>,
        input: &VolunteerInput,
    ) -> Result<Volunteer, StoreError> {
        store.create_volunteer(actor, input).await
    }
    async fn update(
        store: &Store,
        actor: Actor,
        id: Id,
        _: Option<Id>,
        input: &VolunteerInput,
    ) -> Result<Volunteer, StoreError> {
        store.update_volunteer(actor, id, input).await
    }
    async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), StoreError> {
        store.delete_volunteer(actor, id).await
    }
}

impl Listed for Volunteers {
    async fn list(store: &Store, _: Scope) -> Result<Vec<Volunteer>, StoreError> {
        store.volunteers().await
    }
}
