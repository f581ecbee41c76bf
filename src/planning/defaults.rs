//! Service times and limits used when a request does not give its own.

/// Minutes to get a walking rider on or off.
pub const RIDE_SERVICE: u32 = 3;
/// Minutes for the lift and the straps.
pub const WHEELCHAIR_SERVICE: u32 = 8;
/// Minutes to load a meal at the centre.
pub const MEAL_LOADING: f64 = 1.0;
/// Minutes to hand a meal over at the door.
pub const MEAL_SERVICE: u32 = 3;
/// Minutes to load surplus food at a donor.
pub const COLLECTION_SERVICE: u32 = 10;
/// Minutes to unload it at the centre.
pub const COLLECTION_UNLOADING: f64 = 5.0;
/// Slack after an appointment or pickup window for the other end of the trip.
pub const FREE_END: f64 = 240.0;
