use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::defaults::*;
use super::PlanningError;
use crate::domain::meals::{self, MealSettings};
use crate::domain::mobility;
use crate::domain::ride_policy::RidePolicy;
use crate::domain::surplus::{self, Donor, SurplusSettings};
use crate::domain::vehicle_sharing::{self as sharing, Party, Piece};
use crate::domain::{
    service_skill, Id, Organisation, Person, Place, Request, RequestKind, Shift, Vehicle,
    VehicleBlock, Window, WindowAt,
};
use crate::solver::{
    Job, Layout, Link, Matrix, MaxRide, Preference, Problem, Stop, TimeWindow, DEFAULT_PRIORITY,
};
use crate::travel::{Point, TravelMatrix};

/// The records of one date, as fetched from the store.
pub struct Day<'a> {
    pub date: NaiveDate,
    pub policy: &'a RidePolicy,
    pub requests: &'a [Request],
    pub places: &'a [Place],
    pub people: &'a [Person],
    pub vehicles: &'a [Vehicle],
    pub shifts: &'a [Shift],
    /// To tell the municipality's requests from the associations'.
    pub organisations: &'a [Organisation],
    /// The vehicles' calendars (`domain::vehicle_sharing`).
    pub blocks: &'a [VehicleBlock],
    /// The meal round's rules (`domain::meals`): ready time, hot limit.
    pub meals: &'a MealSettings,
    /// The meal requests of priority recipients.
    pub priority_meals: &'a BTreeSet<Id>,
    /// The volunteer each meal request's recipient would rather see.
    pub preferred_volunteers: &'a BTreeMap<Id, Id>,
    /// The surplus rules (`domain::surplus`): the cold chain's limits.
    pub surplus: &'a SurplusSettings,
    /// The food donors, found by a collection's pickup place.
    pub donors: &'a [Donor],
}

/// Which request a solver job stands for.
#[derive(Debug, Clone)]
pub struct JobRef {
    pub request_id: Id,
    pub from_place_id: Id,
    pub to_place_id: Id,
}

/// Which shift (vehicle and driver) a solver vehicle stands for. A shift cut
/// by blocks (`domain::vehicle_sharing`) is several solver vehicles, one per
/// piece, each with the piece's span as its shift.
#[derive(Debug, Clone)]
pub struct ShiftRef {
    pub shift_id: Option<Id>,
    pub vehicle_id: Id,
    pub volunteer_id: Option<Id>,
    pub layouts: Vec<String>,
}

pub struct Built {
    pub problem: Problem,
    pub jobs: Vec<JobRef>,
    pub vehicles: Vec<ShiftRef>,
    /// Place id of each matrix location.
    pub places: Vec<Id>,
}

fn active<'a>(day: &'a Day<'a>) -> impl Iterator<Item = &'a Request> + 'a {
    day.requests
        .iter()
        .filter(move |r| r.date == day.date && r.status.to_plan())
}

/// The places the day touches, in matrix order, with their coordinates.
pub fn locations(day: &Day) -> Result<(Vec<Id>, Vec<Point>), PlanningError> {
    let by_id: HashMap<Id, &Place> = day.places.iter().map(|p| (p.id, p)).collect();
    let mut ids = BTreeSet::new();
    // Every active vehicle's depot, off duty or not: what would fit with a
    // vehicle called in is asked on the same matrix (`fits_if`).
    for v in plan_vehicles(day) {
        ids.insert(v.1.depot_place_id);
    }
    for v in day.vehicles.iter().filter(|v| v.active) {
        ids.insert(v.depot_place_id);
    }
    for r in active(day) {
        ids.insert(r.from_place_id);
        ids.insert(r.to_place_id);
    }
    let ids: Vec<Id> = ids.into_iter().collect();
    let mut points = Vec::with_capacity(ids.len());
    for id in &ids {
        let p = by_id.get(id).ok_or(PlanningError::Request {
            request: 0,
            message: format!("place {id} is missing"),
        })?;
        points.push(Point {
            lat: p.lat,
            lon: p.lon,
        });
    }
    Ok((ids, points))
}

/// Shifts of the date; with none, every active vehicle over its usual hours.
fn plan_vehicles<'a>(day: &'a Day<'a>) -> Vec<(Option<&'a Shift>, &'a Vehicle)> {
    let shifts: Vec<_> = day
        .shifts
        .iter()
        .filter(|s| s.date == day.date)
        .filter_map(|s| {
            day.vehicles
                .iter()
                .find(|v| v.id == s.vehicle_id && v.active)
                .map(|v| (Some(s), v))
        })
        .collect();
    if !shifts.is_empty() {
        return shifts;
    }
    day.vehicles
        .iter()
        .filter(|v| v.active)
        .map(|v| (None, v))
        .collect()
}

/// The solver tells this many skills apart (`solver::index`'s 64-bit masks).
const MAX_SKILL_NAMES: usize = 64;

pub fn build(day: &Day, places: &[Id], travel: &TravelMatrix) -> Result<Built, PlanningError> {
    let loc: HashMap<Id, usize> = places.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    let requests: Vec<&Request> = active(day).collect();
    let vehicles = plan_vehicles(day);
    if vehicles.is_empty() {
        return Err(PlanningError::NoVehicles);
    }

    let mut dimensions = BTreeSet::new();
    for r in &requests {
        dimensions.extend(r.load.keys().cloned());
    }
    for (_, v) in &vehicles {
        for l in &v.layouts {
            dimensions.extend(l.capacity.keys().cloned());
        }
    }
    let dimensions: Vec<String> = dimensions.into_iter().collect();

    let n = places.len();
    let matrix = Matrix::new(n, travel.minutes.clone(), travel.km.clone())?;

    let mut jobs = Vec::with_capacity(requests.len());
    let mut refs = Vec::with_capacity(requests.len());
    for r in &requests {
        let at = |place: Id| {
            loc.get(&place).copied().ok_or(PlanningError::Request {
                request: r.id,
                message: format!("place {place} is missing"),
            })
        };
        let (from, to) = (at(r.from_place_id)?, at(r.to_place_id)?);
        let person = r
            .person_id
            .and_then(|id| day.people.iter().find(|p| p.id == id));
        let rules = Rules {
            policy: day.policy,
            meals: day.meals,
            surplus: day.surplus,
            donors: day.donors,
            priority: day.priority_meals.contains(&r.id),
        };
        jobs.push(job(r, person, &rules, (from, to), &dimensions, &matrix));
        refs.push(JobRef {
            request_id: r.id,
            from_place_id: r.from_place_id,
            to_place_id: r.to_place_id,
        });
    }

    let index: HashMap<Id, usize> = requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i))
        .collect();
    let links = requests
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let back = r.return_of?;
            Some(Link {
                outbound: *index.get(&back.request_id)?,
                inbound: i,
                min_gap: f64::from(back.after_minutes),
                same_vehicle: back.same_vehicle,
            })
        })
        .collect();

    // Who may ride when: each shift cut at its vehicle's blocks. Only when a
    // piece is closed to someone do requests and pieces carry "may ride"
    // skills; otherwise the problem is exactly the one without sharing.
    let cut: Vec<Vec<Piece>> = vehicles
        .iter()
        .map(|(shift, v)| {
            let window = shift.map_or(v.available, |s| s.window);
            let blocks: Vec<&VehicleBlock> = day
                .blocks
                .iter()
                .filter(|b| b.vehicle_id == v.id && b.date == day.date)
                .collect();
            sharing::pieces(v, window, &blocks, day.organisations)
        })
        .collect();
    let parties: Option<BTreeSet<Party>> = sharing::restricted(cut.iter().flatten()).then(|| {
        requests
            .iter()
            .map(|r| Party::of(Some(r.organisation_id), day.organisations))
            .collect()
    });
    if parties.is_some() {
        for (job, r) in jobs.iter_mut().zip(&requests) {
            job.skills
                .push(Party::of(Some(r.organisation_id), day.organisations).skill());
        }
    }
    // Services apart: only when some shift keeps to some services do
    // requests and shifts carry "serves" skills (one fleet otherwise).
    let apart = vehicles
        .iter()
        .any(|(shift, _)| shift.is_some_and(|s| !s.serves.is_empty()));
    if apart {
        for (job, r) in jobs.iter_mut().zip(&requests) {
            job.skills.push(service_skill(r.kind));
        }
    }

    let mut solver_vehicles = Vec::with_capacity(vehicles.len());
    let mut shift_refs = Vec::with_capacity(vehicles.len());
    for (i, ((shift, v), pieces)) in vehicles.iter().zip(&cut).enumerate() {
        let depot = loc[&v.depot_place_id];
        for (k, piece) in pieces.iter().enumerate() {
            // Pieces of one shift are consecutive round trips from the depot:
            // each ends there by the next one's start, so one driver and one
            // vehicle are never in two places at once.
            let id = if pieces.len() == 1 {
                format!("shift-{i}")
            } else {
                format!("shift-{i}-{k}")
            };
            let mut skills = v.skills.clone();
            if let Some(parties) = &parties {
                skills.extend(piece.access.skills(parties));
            }
            if apart {
                let kinds = [
                    RequestKind::Ride,
                    RequestKind::Meal,
                    RequestKind::Collection,
                ];
                skills.extend(
                    kinds
                        .into_iter()
                        .filter(|&k| shift.is_none_or(|s| s.carries(k)))
                        .map(service_skill),
                );
            }
            let mut piece_vehicle = vehicle(id, piece.window, v, depot, &dimensions);
            piece_vehicle.skills = skills;
            solver_vehicles.push(piece_vehicle);
            shift_refs.push(ShiftRef {
                shift_id: shift.map(|s| s.id),
                vehicle_id: v.id,
                volunteer_id: shift.and_then(|s| s.volunteer_id),
                layouts: v.layouts.iter().map(|l| l.name.clone()).collect(),
            });
        }
    }

    if parties.is_some() || apart {
        let names: BTreeSet<&str> = solver_vehicles
            .iter()
            .flat_map(|v| &v.skills)
            .chain(jobs.iter().flat_map(|j| &j.skills))
            .map(String::as_str)
            .collect();
        if names.len() > MAX_SKILL_NAMES {
            return Err(PlanningError::TooManySkills(names.len()));
        }
    }

    // A recipient's own volunteer brings the meal when that costs little.
    for (job, r) in jobs.iter_mut().zip(&requests) {
        let Some(&volunteer) = day.preferred_volunteers.get(&r.id) else {
            continue;
        };
        let theirs: Vec<usize> = (0..shift_refs.len())
            .filter(|&v| shift_refs[v].volunteer_id == Some(volunteer))
            .collect();
        if !theirs.is_empty() {
            job.prefer = Some(Preference {
                vehicles: theirs,
                cost: meals::PREFERRED_VOLUNTEER_KM,
            });
        }
    }

    let problem = Problem {
        prefixes: Vec::new(),
        name: format!("giro {}", day.date),
        dimensions,
        matrix,
        vehicles: solver_vehicles,
        jobs,
        links,
        setup: setups(&requests, &loc, n),
    };
    problem.validate()?;
    Ok(Built {
        problem,
        jobs: refs,
        vehicles: shift_refs,
        places: places.to_vec(),
    })
}

/// Each place's fixed stop time (parking, the lift), paid once by riders who
/// board or alight there one after the other (`domain::mobility`). Only
/// places rides use have one: meals and collections keep their own minutes.
fn setups(requests: &[&Request], loc: &HashMap<Id, usize>, n: usize) -> Vec<f64> {
    let mut lift: Vec<Option<bool>> = vec![None; n];
    for r in requests.iter().filter(|r| r.kind == RequestKind::Ride) {
        let in_chair = r.load.get(mobility::WHEELCHAIRS).is_some_and(|&w| w > 0);
        for place in [r.from_place_id, r.to_place_id] {
            if let Some(&i) = loc.get(&place) {
                let l = lift[i].get_or_insert(false);
                *l |= in_chair;
            }
        }
    }
    lift.into_iter()
        .map(|l| l.map_or(0.0, |l| f64::from(mobility::stop_setup_minutes(l))))
        .collect()
}

/// A vehicle of the problem: vehicle `v` over `window`, from and to its depot.
pub(super) fn vehicle(
    id: String,
    window: Window,
    v: &Vehicle,
    depot: usize,
    dimensions: &[String],
) -> crate::solver::Vehicle {
    crate::solver::Vehicle {
        id,
        start: depot,
        end: depot,
        shift: TimeWindow::new(window.start.minutes() as f64, window.end.minutes() as f64),
        max_duration: None,
        fixed_cost: 0.0,
        cost_per_distance: 1.0,
        cost_per_time: 0.0,
        skills: v.skills.clone(),
        layouts: v
            .layouts
            .iter()
            .map(|l| Layout {
                name: l.name.clone(),
                capacity: dimensions
                    .iter()
                    .map(|d| l.capacity.get(d).map_or(0, |&c| c as i32))
                    .collect(),
            })
            .collect(),
    }
}

/// The service's rules a request is planned under.
pub(super) struct Rules<'a> {
    pub policy: &'a RidePolicy,
    pub meals: &'a MealSettings,
    pub surplus: &'a SurplusSettings,
    pub donors: &'a [Donor],
    /// A priority recipient's meal.
    pub priority: bool,
}

/// The solver's job for request `r`, its stops at matrix locations `from`
/// and `to`.
pub(super) fn job(
    r: &Request,
    person: Option<&Person>,
    rules: &Rules,
    (from, to): (usize, usize),
    dims: &[String],
    matrix: &Matrix,
) -> Job {
    let load: Vec<i32> = dims
        .iter()
        .map(|d| r.load.get(d).map_or(0, |&v| v as i32))
        .collect();
    let window = TimeWindow::new(
        r.window.start.minutes() as f64,
        r.window.end.minutes() as f64,
    );
    let wheelchair = r.load.get("wheelchairs").is_some_and(|&w| w > 0);
    let mut skills = r.skills.clone();
    if wheelchair && !skills.iter().any(|s| s == "lift") {
        skills.push("lift".into());
    }
    let direct = matrix.time(from, to);
    // The end the window does not bind gets a generous window around it.
    let (pickup_window, dropoff_window) = match r.window_at {
        WindowAt::Pickup => (
            window,
            TimeWindow::new(window.start, window.end + direct + FREE_END),
        ),
        WindowAt::Dropoff => (
            TimeWindow::new((window.start - direct - FREE_END).max(0.0), window.end),
            window,
        ),
    };
    let mut job = match r.kind {
        RequestKind::Ride => {
            // The rider's own minutes: from the mobility (`domain::mobility`).
            let own = person.map(|p| p.party(r.companions).needs().board_minutes);
            let service = f64::from(r.service_minutes.or(own).unwrap_or(if wheelchair {
                WHEELCHAIR_SERVICE
            } else {
                RIDE_SERVICE
            }));
            let mut j = Job::ride(
                r.id.to_string(),
                Stop {
                    location: from,
                    window: pickup_window,
                    service,
                },
                Stop {
                    location: to,
                    window: dropoff_window,
                    service,
                },
                load,
            );
            let policy = rules.policy;
            let policy_limit = policy.max_ride_minutes(direct, matrix.distance(from, to));
            j.max_ride = Some(MaxRide::minutes(
                r.max_ride_minutes
                    .map_or(policy_limit, f64::from)
                    .max(direct),
            ));
            j.priority = DEFAULT_PRIORITY * f64::from(policy.priority(r.purpose)) / 5.0;
            j
        }
        RequestKind::Meal => {
            // The kitchen-to-door rule, whoever booked the meal: it leaves
            // the kitchen once ready and, when hot, reaches the door in time.
            let limits = meals::limits(rules.meals, &r.load, r.max_ride_minutes);
            let ready = limits.leaves_after.minutes() as f64;
            let leaves =
                TimeWindow::new(pickup_window.start.max(ready), pickup_window.end.max(ready));
            let service = f64::from(r.service_minutes.unwrap_or(MEAL_SERVICE));
            let mut j = Job::delivery(
                r.id.to_string(),
                Some(Stop {
                    location: from,
                    window: leaves,
                    service: MEAL_LOADING,
                }),
                Stop {
                    location: to,
                    window: dropoff_window,
                    service,
                },
                load,
            );
            j.max_ride = limits
                .max_ride_minutes
                .map(|m| MaxRide::minutes(f64::from(m)));
            if rules.priority {
                j.priority = DEFAULT_PRIORITY * meals::PRIORITY_FACTOR;
            }
            j
        }
        RequestKind::Collection => {
            // The cold-chain rule, whoever booked the pickup: food that
            // needs it rides in a refrigerated vehicle and is unloaded in time.
            let donor = surplus::donor_at(rules.donors, r.from_place_id);
            let limits = surplus::limits(rules.surplus, donor, r.max_ride_minutes);
            if let Some(skill) = limits.skill {
                if !skills.iter().any(|s| s == skill) {
                    skills.push(skill.into());
                }
            }
            let service = f64::from(r.service_minutes.unwrap_or(COLLECTION_SERVICE));
            let mut j = Job::collection(
                r.id.to_string(),
                Stop {
                    location: from,
                    window: pickup_window,
                    service,
                },
                Some(Stop {
                    location: to,
                    window: dropoff_window,
                    service: COLLECTION_UNLOADING,
                }),
                load,
            );
            j.max_ride = limits
                .max_ride_minutes
                .map(|m| MaxRide::minutes(f64::from(m)));
            j
        }
    };
    job.skills = skills;
    job
}
