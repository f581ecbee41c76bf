//! The problem model shared by rides and meal rounds.
//!
//! Every job is at most two stops: a `pickup` where its load goes on board and a
//! `dropoff` where it comes off. A ride has both. A meal delivery loaded at the
//! vehicle's start has only a dropoff; one loaded at the meal centre mid-route
//! (to allow several trips and a kitchen-to-door limit) has the centre as its
//! pickup. A surplus collection has a pickup and, optionally, the depot where it
//! is unloaded as its dropoff. One shape keeps feasibility and checking generic.

use serde::{Deserialize, Serialize};

/// Minutes (or the instance's own time unit) since the start of the day.
pub type Time = f64;

/// Index into [`Problem::jobs`].
pub type JobId = usize;
/// Index into [`Problem::vehicles`].
pub type VehicleId = usize;
/// Index of a location in the travel matrices.
pub type LocationId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeWindow {
    pub start: Time,
    pub end: Time,
}

impl TimeWindow {
    pub fn new(start: Time, end: Time) -> Self {
        Self { start, end }
    }
    /// The whole day and beyond: no constraint in practice.
    pub fn open() -> Self {
        Self {
            start: 0.0,
            end: f64::MAX / 4.0,
        }
    }
}

/// Square travel-time and distance matrices; asymmetric values are allowed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Matrix {
    size: usize,
    time: Vec<f64>,
    distance: Vec<f64>,
}

impl Matrix {
    /// Both matrices row-major, `size * size` entries each.
    pub fn new(size: usize, time: Vec<f64>, distance: Vec<f64>) -> Result<Self, ModelError> {
        if time.len() != size * size || distance.len() != size * size {
            return Err(ModelError::new(
                "matrix",
                format!("expected {} entries per matrix", size * size),
            ));
        }
        if time
            .iter()
            .chain(&distance)
            .any(|v| !v.is_finite() || *v < 0.0)
        {
            return Err(ModelError::new(
                "matrix",
                "entries must be finite and non-negative",
            ));
        }
        Ok(Self {
            size,
            time,
            distance,
        })
    }

    /// Builds both matrices from one function giving (time, distance) per arc.
    pub fn from_fn(size: usize, mut f: impl FnMut(usize, usize) -> (f64, f64)) -> Self {
        let mut time = Vec::with_capacity(size * size);
        let mut distance = Vec::with_capacity(size * size);
        for a in 0..size {
            for b in 0..size {
                let (t, d) = f(a, b);
                time.push(t);
                distance.push(d);
            }
        }
        Self {
            size,
            time,
            distance,
        }
    }

    pub fn size(&self) -> usize {
        self.size
    }
    #[inline]
    pub fn time(&self, from: LocationId, to: LocationId) -> f64 {
        self.time[from * self.size + to]
    }
    #[inline]
    pub fn distance(&self, from: LocationId, to: LocationId) -> f64 {
        self.distance[from * self.size + to]
    }
}

/// One way a vehicle's interior can be set up: a capacity per dimension
/// (e.g. seats, wheelchair places, hot boxes). The solver picks one per route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub name: String,
    pub capacity: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vehicle {
    pub id: String,
    pub start: LocationId,
    pub end: LocationId,
    /// The route leaves `start` and reaches `end` inside this window.
    pub shift: TimeWindow,
    pub max_duration: Option<Time>,
    #[serde(default)]
    pub fixed_cost: f64,
    #[serde(default = "one")]
    pub cost_per_distance: f64,
    #[serde(default)]
    pub cost_per_time: f64,
    #[serde(default)]
    pub skills: Vec<String>,
    pub layouts: Vec<Layout>,
}

fn one() -> f64 {
    1.0
}

/// A place where a job's load goes on or comes off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub location: LocationId,
    /// Window for the start of service.
    pub window: TimeWindow,
    pub service: Time,
}

/// The longest a load may stay on board, from the end of pickup service to the
/// start of drop-off service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct MaxRide {
    /// An absolute limit in minutes.
    pub minutes: Option<Time>,
    /// A limit as a multiple of the direct travel time ...
    pub factor: Option<f64>,
    /// ... itself capped at this many minutes.
    pub factor_cap: Option<Time>,
}

impl MaxRide {
    pub fn minutes(m: Time) -> Self {
        Self {
            minutes: Some(m),
            ..Self::default()
        }
    }

    /// The limit for a given direct travel time, if any part is set.
    pub fn limit(&self, direct: Time) -> Option<Time> {
        let by_factor = self.factor.map(|f| {
            let l = f * direct;
            self.factor_cap.map_or(l, |c| l.min(c))
        });
        match (self.minutes, by_factor) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// What a job means to the people involved; the solver treats all alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A person carried from pickup to drop-off.
    Ride,
    /// A meal from the meal centre (pickup, or the vehicle's start) to a door (dropoff).
    Delivery,
    /// Surplus food from a donor (pickup) to a depot (dropoff, or the vehicle's end).
    Collection,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub kind: JobKind,
    /// `None`: loaded at the vehicle's start.
    pub pickup: Option<Stop>,
    /// `None`: unloaded at the vehicle's end.
    pub dropoff: Option<Stop>,
    /// Amount per dimension, the same length as [`Problem::dimensions`].
    pub load: Vec<i32>,
    /// Applies when the job has both a pickup and a dropoff.
    #[serde(default)]
    pub max_ride: Option<MaxRide>,
    #[serde(default)]
    pub skills: Vec<String>,
    /// Penalty added to the cost when the job is left out.
    pub priority: f64,
    /// The vehicles the job would rather ride on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefer: Option<Preference>,
}

/// A soft wish for some vehicles: a re-plan keeps a request on the vehicle it
/// was published on, a meal goes with the recipient's own volunteer when that
/// costs less than `cost` elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preference {
    pub vehicles: Vec<VehicleId>,
    /// Added to the route's cost when the job rides on any other vehicle.
    pub cost: f64,
}

impl Job {
    pub fn ride(id: impl Into<String>, pickup: Stop, dropoff: Stop, load: Vec<i32>) -> Self {
        Self {
            id: id.into(),
            kind: JobKind::Ride,
            pickup: Some(pickup),
            dropoff: Some(dropoff),
            load,
            max_ride: None,
            skills: Vec::new(),
            priority: DEFAULT_PRIORITY,
            prefer: None,
        }
    }

    /// A delivery loaded at the vehicle's start (`from = None`) or at a depot stop.
    pub fn delivery(id: impl Into<String>, from: Option<Stop>, door: Stop, load: Vec<i32>) -> Self {
        Self {
            kind: JobKind::Delivery,
            pickup: from,
            dropoff: Some(door),
            ..Self::ride(id, door, door, load)
        }
    }

    /// A collection unloaded at the vehicle's end (`to = None`) or at a depot stop.
    pub fn collection(id: impl Into<String>, door: Stop, to: Option<Stop>, load: Vec<i32>) -> Self {
        Self {
            kind: JobKind::Collection,
            pickup: Some(door),
            dropoff: to,
            ..Self::ride(id, door, door, load)
        }
    }

    /// What riding on vehicle `v` adds for not being where the job would rather be.
    pub fn miss(&self, v: VehicleId) -> f64 {
        self.prefer
            .as_ref()
            .filter(|p| !p.vehicles.contains(&v))
            .map_or(0.0, |p| p.cost)
    }

    /// The ride-time limit of this job on the given matrix, if any.
    pub fn ride_limit(&self, matrix: &Matrix) -> Option<Time> {
        let (p, d) = (self.pickup?, self.dropoff?);
        self.max_ride?.limit(matrix.time(p.location, d.location))
    }
}

/// Default penalty for leaving a job out: large enough to dominate routing costs.
pub const DEFAULT_PRIORITY: f64 = 1.0e6;

/// The return of a linked pair may not start before `min_gap` after the end of
/// the outbound drop-off service.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub outbound: JobId,
    pub inbound: JobId,
    pub min_gap: Time,
    #[serde(default)]
    pub same_vehicle: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    pub name: String,
    /// Names of the capacity dimensions, e.g. `["seats", "wheelchairs"]`.
    pub dimensions: Vec<String>,
    pub matrix: Matrix,
    pub vehicles: Vec<Vehicle>,
    pub jobs: Vec<Job>,
    #[serde(default)]
    pub links: Vec<Link>,
    /// Fixed time per matrix location (parking, lift deployment) paid once by a
    /// run of consecutive visits there; empty means none anywhere.
    #[serde(default)]
    pub setup: Vec<Time>,
    /// What vehicles have already done when the day is planned again from
    /// where it stands; at most one per vehicle. A solution keeps each as its
    /// route's fixed beginning (see [`Prefix`]).
    #[serde(default)]
    pub prefixes: Vec<Prefix>,
}

/// The part of a vehicle's day that has happened: the visits made, as
/// reported, which a re-plan neither moves nor re-times. A rider picked up
/// here and not yet dropped is on board: the same vehicle drops them, with
/// their ride clock running from the reported pickup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prefix {
    pub vehicle: VehicleId,
    /// Departure from the vehicle's start location, when it left.
    pub start: Time,
    /// The visits made, in order.
    pub visits: Vec<crate::solver::solution::Visit>,
    /// The vehicle goes on no earlier than this (now, or its last departure).
    pub ready: Time,
    /// Jobs without a pickup stop loaded at the start and not yet dropped:
    /// they are on board too. Other such jobs can only go to a vehicle that
    /// has not left.
    #[serde(default)]
    pub loaded: Vec<JobId>,
    /// Withdrawn (a breakdown, an illness): the vehicle drops whoever is on
    /// board and takes no one else.
    #[serde(default)]
    pub closed: bool,
}

/// A problem that does not make sense, before any solving.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ModelError {
    pub field: String,
    pub message: String,
}

impl ModelError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl Problem {
    /// The setup time a visit at `loc` pays: none when the visit just before
    /// it in the route (`prev`, `None` for the first) was at the same place,
    /// since the vehicle is still parked with its lift out.
    #[inline]
    pub fn setup_paid(&self, prev: Option<LocationId>, loc: LocationId) -> Time {
        match self.setup.get(loc) {
            Some(&s) if prev != Some(loc) => s,
            _ => 0.0,
        }
    }

    /// Checks shapes and ranges so the solver can index freely afterwards.
    pub fn validate(&self) -> Result<(), ModelError> {
        let n = self.matrix.size();
        let dims = self.dimensions.len();
        let loc = |field: String, l: LocationId| {
            if l < n {
                Ok(())
            } else {
                Err(ModelError::new(
                    field,
                    format!("location {l} is not in the matrix ({n} locations)"),
                ))
            }
        };
        let window = |field: String, w: &TimeWindow| {
            if w.start.is_finite() && w.end.is_finite() && w.start <= w.end {
                Ok(())
            } else {
                Err(ModelError::new(field, "time window ends before it starts"))
            }
        };
        if !self.setup.is_empty() && self.setup.len() != n {
            return Err(ModelError::new(
                "setup",
                format!("expected none or one entry per location ({n})"),
            ));
        }
        if let Some(i) = self.setup.iter().position(|s| !s.is_finite() || *s < 0.0) {
            return Err(ModelError::new(
                format!("setup[{i}]"),
                "must be finite and non-negative",
            ));
        }
        for (i, v) in self.vehicles.iter().enumerate() {
            let f = |s: &str| format!("vehicles[{i}].{s}");
            loc(f("start"), v.start)?;
            loc(f("end"), v.end)?;
            window(f("shift"), &v.shift)?;
            if v.layouts.is_empty() {
                return Err(ModelError::new(
                    f("layouts"),
                    "at least one layout is needed",
                ));
            }
            for (k, l) in v.layouts.iter().enumerate() {
                if l.capacity.len() != dims {
                    return Err(ModelError::new(
                        f(&format!("layouts[{k}].capacity")),
                        format!("expected {dims} dimensions"),
                    ));
                }
            }
            for (name, c) in [
                ("fixed_cost", v.fixed_cost),
                ("cost_per_distance", v.cost_per_distance),
                ("cost_per_time", v.cost_per_time),
            ] {
                if !c.is_finite() || c < 0.0 {
                    return Err(ModelError::new(f(name), "must be finite and non-negative"));
                }
            }
        }
        for (i, j) in self.jobs.iter().enumerate() {
            let f = |s: &str| format!("jobs[{i}].{s}");
            if j.pickup.is_none() && j.dropoff.is_none() {
                return Err(ModelError::new(
                    f("pickup"),
                    "a job needs a pickup or a dropoff",
                ));
            }
            for (name, s) in [("pickup", j.pickup), ("dropoff", j.dropoff)] {
                if let Some(s) = s {
                    loc(f(&format!("{name}.location")), s.location)?;
                    window(f(&format!("{name}.window")), &s.window)?;
                    if !s.service.is_finite() || s.service < 0.0 {
                        return Err(ModelError::new(
                            f(&format!("{name}.service")),
                            "must be non-negative",
                        ));
                    }
                }
            }
            if j.load.len() != dims {
                return Err(ModelError::new(
                    f("load"),
                    format!("expected {dims} dimensions"),
                ));
            }
            if j.load.iter().any(|q| *q < 0) {
                return Err(ModelError::new(f("load"), "amounts must be non-negative"));
            }
            if !j.priority.is_finite() || j.priority < 0.0 {
                return Err(ModelError::new(
                    f("priority"),
                    "must be finite and non-negative",
                ));
            }
            if let Some(p) = &j.prefer {
                if let Some(k) = p.vehicles.iter().position(|&v| v >= self.vehicles.len()) {
                    return Err(ModelError::new(
                        f(&format!("prefer.vehicles[{k}]")),
                        format!("vehicle {} does not exist", p.vehicles[k]),
                    ));
                }
                if !p.cost.is_finite() || p.cost < 0.0 {
                    return Err(ModelError::new(
                        f("prefer.cost"),
                        "must be finite and non-negative",
                    ));
                }
            }
        }
        for (i, l) in self.links.iter().enumerate() {
            let f = |s: &str| format!("links[{i}].{s}");
            for (name, id) in [("outbound", l.outbound), ("inbound", l.inbound)] {
                if id >= self.jobs.len() {
                    return Err(ModelError::new(f(name), format!("job {id} does not exist")));
                }
            }
            if l.outbound == l.inbound {
                return Err(ModelError::new(
                    f("inbound"),
                    "a job cannot be linked to itself",
                ));
            }
            if self.jobs[l.outbound].dropoff.is_none() || self.jobs[l.inbound].pickup.is_none() {
                return Err(ModelError::new(
                    f("outbound"),
                    "the outbound job needs a dropoff and the return a pickup",
                ));
            }
        }
        crate::solver::prefix::validate(self)
    }
}
