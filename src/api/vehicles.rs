use super::auth::PLANNERS;
use super::crud::crud;
use crate::domain::{Role, Vehicle, VehicleInput};

/// Drivers read vehicles to know what they drive.
const READERS: &[Role] = &[Role::Admin, Role::Dispatcher, Role::Driver];

crud! {
    tag: "vehicles",
    paths: "/api/v1/vehicles", "/api/v1/vehicles/{id}",
    record: Vehicle, input: VehicleInput,
    read: READERS, write: PLANNERS,
    list: vehicles,
    get: vehicle, create: create_vehicle, update: update_vehicle, delete: delete_vehicle,
}
