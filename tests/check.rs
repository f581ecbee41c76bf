//! The independent checker: a feasible hand-made solution passes with its exact
//! cost, and each constraint broken alone is reported under its own kind.

use giro::solver::check::{check, Report, ViolationKind as K};
use giro::solver::{
    Job, JobId, Layout, Link, Matrix, MaxRide, Problem, Reason, Route, Solution, Stop, StopRole,
    TimeWindow, Unassigned, Vehicle, Visit,
};
use StopRole::{Dropoff as D, Pickup as P};

mod common;
use common::build;

/// Locations 0..=4 on a line: 10 minutes and 2 km per step. Service 2 everywhere.
fn stop(location: usize) -> Stop {
    Stop {
        location,
        window: TimeWindow::open(),
        service: 2.0,
    }
}

fn vehicle(
    id: &str,
    fixed_cost: f64,
    cost_per_time: f64,
    skills: &[&str],
    layouts: &[(&str, [i32; 2])],
) -> Vehicle {
    Vehicle {
        id: id.into(),
        start: 0,
        end: 0,
        shift: TimeWindow::new(0.0, 500.0),
        max_duration: None,
        fixed_cost,
        cost_per_distance: 1.0,
        cost_per_time,
        skills: skills.iter().map(|s| s.to_string()).collect(),
        layouts: layouts
            .iter()
            .map(|(n, c)| Layout {
                name: n.to_string(),
                capacity: c.to_vec(),
            })
            .collect(),
    }
}

/// Van 0 (lift; layouts seats [4, 0] and mixed [2, 1]) and car 1 ([3, 0]).
/// Jobs: 0 a ride 1 -> 3 (ride limit 30); 1 a wheelchair ride 2 -> 4 needing
/// the lift; 2 a delivery to 2 loaded at the start; 3 a collection at 3 kept
/// on board; 4 a ride 1 -> 2 left out (priority 1000). Link: 0 then 3.
fn problem() -> Problem {
    let mut ride0 = Job::ride("r0", stop(1), stop(3), vec![1, 0]);
    ride0.max_ride = Some(MaxRide::minutes(30.0));
    let mut ride1 = Job::ride("r1", stop(2), stop(4), vec![0, 1]);
    ride1.skills = vec!["lift".into()];
    let mut ride4 = Job::ride("r4", stop(1), stop(2), vec![1, 0]);
    ride4.priority = 1000.0;
    let p = Problem {
        prefixes: Vec::new(),
        name: "check".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix: Matrix::from_fn(5, |a, b| {
            let steps = a.abs_diff(b) as f64;
            (10.0 * steps, 2.0 * steps)
        }),
        vehicles: vec![
            vehicle(
                "van",
                100.0,
                0.5,
                &["lift"],
                &[("seats", [4, 0]), ("mixed", [2, 1])],
            ),
            vehicle("car", 50.0, 0.0, &[], &[("car", [3, 0])]),
        ],
        jobs: vec![
            ride0,
            ride1,
            Job::delivery("d2", None, stop(2), vec![1, 0]),
            Job::collection("c3", stop(3), None, vec![1, 0]),
            ride4,
        ],
        links: vec![Link {
            outbound: 0,
            inbound: 3,
            min_gap: 0.0,
            same_vehicle: false,
        }],
        setup: vec![],
    };
    p.validate().unwrap();
    p
}

fn solution(p: &Problem, routes: Vec<Route>, unassigned: &[JobId]) -> Solution {
    let penalty: f64 = unassigned.iter().map(|&j| p.jobs[j].priority).sum();
    Solution {
        cost: routes.iter().map(|r| r.cost).sum::<f64>() + penalty,
        distance: routes.iter().map(|r| r.distance).sum(),
        proved_optimal: false,
        unassigned: unassigned
            .iter()
            .map(|&job| Unassigned {
                job,
                reason: Reason::NoRoom,
            })
            .collect(),
        routes,
    }
}

const VAN: [(JobId, StopRole); 6] = [(0, P), (1, P), (2, D), (0, D), (3, P), (1, D)];

/// Jobs 0-3 on the van's tight "mixed" layout, job 4 left out.
fn feasible(p: &Problem) -> Solution {
    solution(p, vec![build(p, 0, 1, &VAN)], &[4])
}

fn kinds(report: &Report) -> Vec<K> {
    let mut kinds: Vec<K> = report.violations.iter().map(|v| v.kind).collect();
    kinds.dedup();
    kinds
}

/// The report is infeasible with violations of `kind` only.
fn assert_only(report: &Report, kind: K) {
    assert!(!report.is_feasible());
    assert_eq!(kinds(report), [kind], "{:#?}", report.violations);
}

#[test]
fn feasible_solution_passes_with_exact_cost() {
    let p = problem();
    let s = feasible(&p);
    // Times: 1@10-12, 2@22-24, 2@24-26, 3@36-38, 3@38-40, 4@50-52, home at 92.
    let times: Vec<_> = s.routes[0]
        .visits
        .iter()
        .map(|v| (v.arrival, v.start, v.departure))
        .collect();
    assert_eq!(times[5], (50.0, 50.0, 52.0));
    assert_eq!(s.routes[0].end, 92.0);
    let r = check(&p, &s);
    assert!(r.is_feasible(), "{:#?}", r.violations);
    // 2+2+0+2+0+2+8 km; 100 fixed + 16 + 0.5 * 92 minutes; + 1000 for job 4.
    assert_eq!(r.distance, 16.0);
    assert_eq!(r.cost, 1162.0);
    assert_eq!(r.routes_used, 1);
}

#[test]
fn empty_routes_are_unused_and_free() {
    let p = problem();
    let mut s = feasible(&p);
    let empty = |vehicle| Route {
        vehicle,
        layout: 0,
        start: 0.0,
        end: 0.0,
        visits: vec![],
        distance: 0.0,
        cost: 0.0,
    };
    // Even on the vehicle already in use.
    s.routes.extend([empty(1), empty(0)]);
    let r = check(&p, &s);
    assert!(r.is_feasible(), "{:#?}", r.violations);
    assert_eq!((r.cost, r.routes_used), (1162.0, 1));
}

#[test]
fn unknown_vehicle() {
    let p = problem();
    let mut s = feasible(&p);
    s.routes[0].vehicle = 7;
    // Its cost cannot be recomputed, so only the left-out job counts.
    (s.cost, s.distance) = (1000.0, 0.0);
    assert_only(&check(&p, &s), K::UnknownVehicle);
}

#[test]
fn unknown_layout() {
    let p = problem();
    let mut s = feasible(&p);
    s.routes[0].layout = 2;
    assert_only(&check(&p, &s), K::UnknownLayout);
}

#[test]
fn vehicle_used_twice() {
    let p = problem();
    let s = solution(
        &p,
        vec![build(&p, 0, 1, &VAN), build(&p, 0, 0, &[(4, P), (4, D)])],
        &[],
    );
    let r = check(&p, &s);
    assert_only(&r, K::VehicleUsedTwice);
    assert_eq!(r.violations[0].route, Some(1));
}

#[test]
fn unknown_job() {
    let p = problem();
    let mut s = feasible(&p);
    let v = s.routes[0].visits[0].clone();
    s.routes[0].visits.insert(1, Visit { job: 99, ..v });
    assert_only(&check(&p, &s), K::UnknownJob);

    let mut s = feasible(&p);
    s.unassigned.push(Unassigned {
        job: 5,
        reason: Reason::NoRoom,
    });
    assert_only(&check(&p, &s), K::UnknownJob);
}

#[test]
fn job_served_twice() {
    let p = problem();
    // In two routes.
    let s = solution(
        &p,
        vec![build(&p, 0, 1, &VAN), build(&p, 1, 0, &[(0, P), (0, D)])],
        &[4],
    );
    let r = check(&p, &s);
    assert_only(&r, K::JobServedTwice);
    assert_eq!(
        (r.violations[0].route, r.violations[0].job),
        (Some(1), Some(0))
    );
    // Twice in one route.
    let s = solution(
        &p,
        vec![
            build(&p, 0, 1, &VAN),
            build(&p, 1, 0, &[(4, P), (4, D), (4, P), (4, D)]),
        ],
        &[],
    );
    assert_only(&check(&p, &s), K::JobServedTwice);
    // Routed and unassigned.
    let mut s = feasible(&p);
    s.unassigned.push(Unassigned {
        job: 2,
        reason: Reason::NoRoom,
    });
    s.cost += p.jobs[2].priority;
    assert_only(&check(&p, &s), K::JobServedTwice);
    // Listed twice.
    let mut s = feasible(&p);
    s.unassigned.push(Unassigned {
        job: 4,
        reason: Reason::Link,
    });
    assert_only(&check(&p, &s), K::JobServedTwice);
}

#[test]
fn job_missing_stop() {
    let p = problem();
    // Ride 0 without its dropoff.
    let stops = [(0, P), (1, P), (2, D), (3, P), (1, D)];
    let s = solution(&p, vec![build(&p, 0, 1, &stops)], &[4]);
    let r = check(&p, &s);
    assert_only(&r, K::JobMissingStop);
    assert_eq!(r.violations[0].job, Some(0));

    // A pickup for the delivery loaded at the start, which has none.
    let mut s = feasible(&p);
    let v = s.routes[0].visits[2].clone();
    s.routes[0].visits.insert(2, Visit { role: P, ..v });
    assert_only(&check(&p, &s), K::JobMissingStop);
}

#[test]
fn dropoff_before_pickup() {
    let p = problem();
    // The delivery's seat keeps the load from going negative at the early dropoff.
    let car = build(&p, 1, 0, &[(0, D), (0, P), (2, D)]);
    let van = build(&p, 0, 1, &[(1, P), (3, P), (1, D)]);
    let r = check(&p, &solution(&p, vec![van, car], &[4]));
    assert_only(&r, K::PrecedenceOrder);
    assert_eq!(
        (r.violations[0].route, r.violations[0].job),
        (Some(1), Some(0))
    );
}

#[test]
fn missing_skill() {
    let mut p = problem();
    p.vehicles[0].skills.clear();
    let r = check(&p, &feasible(&p));
    assert_only(&r, K::Skills);
    assert_eq!(r.violations[0].job, Some(1));
}

#[test]
fn layout_too_small_in_one_dimension() {
    let p = problem();
    // "seats" [4, 0] has room for every seat but no wheelchair place.
    let s = solution(&p, vec![build(&p, 0, 0, &VAN)], &[4]);
    let r = check(&p, &s);
    assert_only(&r, K::Capacity);
    assert_eq!(r.violations.len(), 1);
    assert!(
        r.violations[0].message.contains("wheelchairs"),
        "{}",
        r.violations[0].message
    );
    assert_eq!(r.violations[0].job, Some(1));
}

#[test]
fn delivery_is_loaded_at_the_start() {
    let mut p = problem();
    // Fits while the delivery is aboard alone, too many seats once ride 0 boards.
    p.jobs[2].load = vec![2, 0];
    let r = check(&p, &feasible(&p));
    assert_only(&r, K::Capacity);
    assert_eq!(r.violations[0].job, Some(0));
    // Too many seats from the very start.
    p.jobs[2].load = vec![3, 0];
    let r = check(&p, &feasible(&p));
    assert_only(&r, K::Capacity);
    assert_eq!(r.violations[0].job, None, "{:#?}", r.violations);
}

#[test]
fn collection_stays_on_board() {
    let mut p = problem();
    // The collection takes two seats and never comes off, so ride 4 (two seats)
    // cannot board after ride 0 has left.
    p.jobs[3].load = vec![2, 0];
    p.jobs[4].load = vec![2, 0];
    p.links.clear();
    let stops = [(3, P), (0, P), (0, D), (4, P), (4, D)];
    let s = solution(
        &p,
        vec![
            build(&p, 1, 0, &stops),
            build(&p, 0, 1, &[(2, D), (1, P), (1, D)]),
        ],
        &[],
    );
    let r = check(&p, &s);
    assert_only(&r, K::Capacity);
    assert_eq!(
        (r.violations[0].route, r.violations[0].job),
        (Some(0), Some(4))
    );
}

#[test]
fn window_missed() {
    let mut p = problem();
    p.jobs[0].pickup.as_mut().unwrap().window = TimeWindow::new(0.0, 5.0);
    let r = check(&p, &feasible(&p));
    assert_only(&r, K::TimeWindow);
    assert!(
        r.violations[0].message.contains("[0, 5]"),
        "{}",
        r.violations[0].message
    );
}

#[test]
fn arrival_earlier_than_travel_allows() {
    let p = problem();
    let mut s = feasible(&p);
    s.routes[0].visits[3].arrival = 30.0; // needs 26 + 10
    assert_only(&check(&p, &s), K::Schedule);
}

#[test]
fn inconsistent_schedule() {
    let p = problem();
    // Service starting before arrival.
    let mut s = feasible(&p);
    s.routes[0].visits[0].start = 9.0;
    s.routes[0].visits[0].departure = 11.0;
    assert_only(&check(&p, &s), K::Schedule);
    // Departure not start + service.
    let mut s = feasible(&p);
    s.routes[0].visits[4].departure = 39.0;
    assert_only(&check(&p, &s), K::Schedule);
    // Home before the last leg could be driven.
    let mut s = feasible(&p);
    s.routes[0].end = 91.0;
    s.routes[0].cost -= 0.5;
    s.cost -= 0.5;
    assert_only(&check(&p, &s), K::Schedule);
}

#[test]
fn ride_time_over_limit() {
    let mut p = problem();
    // Ride 0 leaves its pickup at 12 and is dropped off at 36.
    p.jobs[0].max_ride = Some(MaxRide::minutes(20.0));
    let r = check(&p, &feasible(&p));
    assert_only(&r, K::RideTime);
    assert_eq!(r.violations[0].job, Some(0));
    p.jobs[0].max_ride = Some(MaxRide::minutes(24.0));
    assert!(check(&p, &feasible(&p)).is_feasible());
}

#[test]
fn shift_passed() {
    let mut p = problem();
    p.vehicles[0].shift.end = 80.0;
    assert_only(&check(&p, &feasible(&p)), K::ShiftEnd);

    let p = problem();
    let mut s = feasible(&p);
    s.routes[0].start = -1.0;
    s.routes[0].cost += 0.5;
    s.cost += 0.5;
    assert_only(&check(&p, &s), K::ShiftEnd);
}

#[test]
fn duration_too_long() {
    let mut p = problem();
    p.vehicles[0].max_duration = Some(60.0);
    assert_only(&check(&p, &feasible(&p)), K::MaxDuration);
    p.vehicles[0].max_duration = Some(92.0);
    assert!(check(&p, &feasible(&p)).is_feasible());
}

#[test]
fn link_gap_too_short() {
    let mut p = problem();
    // Ride 0 is dropped off by 38, the collection picked up at 38.
    p.links[0].min_gap = 10.0;
    let r = check(&p, &feasible(&p));
    assert_only(&r, K::Link);
    assert_eq!(r.violations[0].job, Some(3));
}

#[test]
fn same_vehicle_link_split_over_two_routes() {
    let mut p = problem();
    p.links[0].same_vehicle = true;
    // The collection waits until 100, well after ride 0 is dropped off at 38.
    p.jobs[3].pickup.as_mut().unwrap().window = TimeWindow::new(100.0, 200.0);
    let van = build(&p, 0, 1, &[(0, P), (1, P), (2, D), (0, D), (1, D)]);
    let car = build(&p, 1, 0, &[(3, P)]);
    let s = solution(&p, vec![van, car], &[4]);
    assert_only(&check(&p, &s), K::Link);
    // Fine when not required on the same vehicle.
    p.links[0].same_vehicle = false;
    assert!(check(&p, &s).is_feasible());
}

#[test]
fn job_not_listed() {
    let p = problem();
    let s = solution(&p, vec![build(&p, 0, 1, &VAN)], &[]);
    let r = check(&p, &s);
    assert_only(&r, K::Unlisted);
    assert_eq!(r.violations[0].job, Some(4));
    assert_eq!(r.cost, 162.0);
}

#[test]
fn wrong_reported_cost() {
    let p = problem();
    let mut s = feasible(&p);
    s.routes[0].cost += 1.0;
    let r = check(&p, &s);
    assert_only(&r, K::Cost);
    assert_eq!(r.violations[0].route, Some(0));

    let mut s = feasible(&p);
    s.cost += 1e-2;
    assert_only(&check(&p, &s), K::Cost);
    s.cost -= 1e-2 - 1e-4; // within 1e-6 relative of 1162
    assert!(check(&p, &s).is_feasible());

    let mut s = feasible(&p);
    s.routes[0].distance = 15.0;
    s.distance = 15.0;
    let r = check(&p, &s);
    assert_only(&r, K::Cost);
    assert_eq!(r.violations.len(), 2);
    assert_eq!(r.distance, 16.0);
}

#[test]
fn every_violation_is_reported() {
    let mut p = problem();
    p.vehicles[0].skills.clear();
    p.vehicles[0].max_duration = Some(60.0);
    p.jobs[0].max_ride = Some(MaxRide::minutes(20.0));
    let mut s = feasible(&p);
    s.unassigned.clear();
    s.cost = 0.0;
    let r = check(&p, &s);
    let mut kinds: Vec<K> = r.violations.iter().map(|v| v.kind).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    kinds.dedup();
    assert_eq!(
        kinds,
        [K::Cost, K::MaxDuration, K::RideTime, K::Skills, K::Unlisted]
    );
}
