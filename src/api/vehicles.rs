use utoipa_axum::router::OpenApiRouter;

use super::auth::PLANNERS;
use super::crud::{self, Listed, Resource};
use super::AppState;
use crate::domain::{Id, Invalid, Role, Vehicle, VehicleInput};
use crate::store::{Actor, Scope, Store, StoreError};

/// Drivers read vehicles to know what they drive.
const READERS: &[Role] = &[Role::Admin, Role::Dispatcher, Role::Driver];

pub fn routes() -> OpenApiRouter<AppState> {
    crud::routes::<Vehicles>()
}

struct Vehicles;

impl Resource for Vehicles {
    type Record = Vehicle;
    type Input = VehicleInput;
    const TAG: &str = "vehicles";
    const ONE: &str = "vehicle";
    const PATH: &str = "/api/v1/vehicles";
    const READ: &[Role] = READERS;
    const WRITE: &[Role] = PLANNERS;

    fn validate(input: &VehicleInput) -> Result<(), Invalid> {
        input.validate()
    }
    async fn get(store: &Store, _: Scope, id: Id) -> Result<Vehicle, StoreError> {
        store.vehicle(id).await
    }
    async fn create(
        store: &Store,
        actor: Actor,
        _: Option<Id>,
        input: &VehicleInput,
    ) -> Result<Vehicle, StoreError> {
        store.create_vehicle(actor, input).await
    }
    async fn update(
        store: &Store,
        actor: Actor,
        id: Id,
        _: Option<Id>,
        input: &VehicleInput,
    ) -> Result<Vehicle, StoreError> {
        store.update_vehicle(actor, id, input).await
    }
    async fn delete(store: &Store, actor: Actor, id: Id) -> Result<(), StoreError> {
        store.delete_vehicle(actor, id).await
    }
}

impl Listed for Vehicles {
    async fn list(store: &Store, _: Scope) -> Result<Vec<Vehicle>, StoreError> {
        store.vehicles().await
    }
}
