//! The solver against the independent checker on tiny hand-built days: each
//! constraint alone keeps one job out, the solver names that constraint as the
//! reason and serves everything else, and a hand-made plan that forces the job
//! in anyway is rejected by the checker under the matching violation kind.

use std::time::Duration;

use giro::solver::check::{check, Report, ViolationKind as K};
use giro::solver::{
    solve, Job, JobId, Layout, Link, Matrix, MaxRide, Options, Preference, Problem, Reason, Route,
    Solution, Stop, StopRole, TimeWindow, Unassigned, Vehicle, Visit,
};
use StopRole::{Dropoff as D, Pickup as P};

mod common;
use common::{assert_checked, build};

/// Locations 0..=5 on a line, 10 minutes and 1 km per step.
fn matrix() -> Matrix {
    Matrix::from_fn(6, |a, b| {
        let steps = a.abs_diff(b) as f64;
        (10.0 * steps, steps)
    })
}

fn stop(location: usize) -> Stop {
    Stop {
        location,
        window: TimeWindow::open(),
        service: 2.0,
    }
}

fn stop_in(location: usize, start: f64, end: f64, service: f64) -> Stop {
    Stop {
        location,
        window: TimeWindow::new(start, end),
        service,
    }
}

fn vehicle(id: &str, skills: &[&str], layouts: &[(&str, [i32; 2])]) -> Vehicle {
    Vehicle {
        id: id.into(),
        start: 0,
        end: 0,
        shift: TimeWindow::new(0.0, 600.0),
        max_duration: None,
        fixed_cost: 0.0,
        cost_per_distance: 1.0,
        cost_per_time: 0.0,
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

/// One van (seats [4, 1]) and two easy seated rides: 0 goes 1 -> 3, 1 goes 2 -> 4.
fn base() -> Problem {
    Problem {
        prefixes: Vec::new(),
        name: "constraints".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix: matrix(),
        vehicles: vec![vehicle("van", &["lift"], &[("standard", [4, 1])])],
        jobs: vec![
            Job::ride("a", stop(1), stop(3), vec![1, 0]),
            Job::ride("b", stop(2), stop(4), vec![1, 0]),
        ],
        links: vec![],
        setup: vec![],
    }
}

/// `base()` plus `job` as job 2.
fn with_job(job: Job) -> Problem {
    let mut p = base();
    p.jobs.push(job);
    p.validate().expect("test problems are valid");
    p
}

fn options() -> Options {
    Options {
        seed: 3,
        time_limit: Some(Duration::from_millis(1000)),
        iterations: Some(300),
        ..Default::default()
    }
}

/// Solves and insists the checker accepts the plan with the same cost.
fn solve_checked(p: &Problem) -> Solution {
    let s = solve(p, &options()).expect("a valid problem solves");
    assert_checked(p, &s);
    s
}

/// Vehicle serving each job, `None` when left out.
fn vehicle_of(s: &Solution, jobs: usize) -> Vec<Option<usize>> {
    let mut of = vec![None; jobs];
    for route in &s.routes {
        for v in &route.visits {
            of[v.job] = Some(route.vehicle);
        }
    }
    of
}

/// The solver leaves out exactly `job` for `reason` and serves every other job.
fn assert_left_out(p: &Problem, job: JobId, reason: Reason) -> Solution {
    let s = solve_checked(p);
    assert_eq!(
        s.unassigned,
        vec![Unassigned { job, reason }],
        "routes: {:#?}",
        s.routes
    );
    let of = vehicle_of(&s, p.jobs.len());
    for (j, v) in of.iter().enumerate() {
        assert_eq!(v.is_some(), j != job, "job {j} served: {:?}", v);
    }
    s
}

/// A plan with every job routed.
fn forced(routes: Vec<Route>) -> Solution {
    Solution {
        cost: routes.iter().map(|r| r.cost).sum(),
        distance: routes.iter().map(|r| r.distance).sum(),
        proved_optimal: false,
        unassigned: vec![],
        routes,
    }
}

/// Rides 0 and 1 of `base()` one after the other, then job 2's stops.
fn all_in_one(p: &Problem, layout: usize, job: &[(JobId, StopRole)]) -> Solution {
    let mut stops = vec![(0, P), (0, D), (1, P), (1, D)];
    stops.extend_from_slice(job);
    forced(vec![build(p, 0, layout, &stops)])
}

fn kinds(report: &Report) -> Vec<K> {
    let mut kinds: Vec<K> = report.violations.iter().map(|v| v.kind).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    kinds.dedup();
    kinds
}

/// The checker rejects `s` for `kind` and nothing else.
fn assert_only(p: &Problem, s: &Solution, kind: K) -> Report {
    let r = check(p, s);
    assert!(!r.is_feasible(), "checker accepts a forced plan: {s:#?}");
    assert_eq!(kinds(&r), [kind], "{:#?}", r.violations);
    r
}

/// The plain base problem is fully served, as the other tests rely on it.
#[test]
fn base_day_is_fully_served() {
    let p = base();
    let s = solve_checked(&p);
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    // Both rides on one trip along the line: 0 -> 4 -> 0.
    assert!((s.distance - 8.0).abs() < 1e-9, "distance {}", s.distance);
    assert!(check(&p, &all_in_one(&p, 0, &[])).is_feasible());
}

#[test]
fn missing_skill_keeps_the_job_out() {
    let mut x = Job::ride("x", stop(1), stop(2), vec![1, 0]);
    x.skills = vec!["hoist".into()];
    let p = with_job(x);
    assert_left_out(&p, 2, Reason::Skills);
    let r = assert_only(&p, &all_in_one(&p, 0, &[(2, P), (2, D)]), K::Skills);
    assert_eq!(r.violations[0].job, Some(2));
}

#[test]
fn layout_without_wheelchair_places_keeps_the_rider_out() {
    let mut p = with_job(Job::ride("x", stop(1), stop(2), vec![0, 1]));
    p.vehicles[0].layouts = vec![Layout {
        name: "seats only".into(),
        capacity: vec![4, 0],
    }];
    assert_left_out(&p, 2, Reason::Capacity);
    let r = assert_only(&p, &all_in_one(&p, 0, &[(2, P), (2, D)]), K::Capacity);
    assert_eq!(r.violations[0].job, Some(2));
    assert!(
        r.violations[0].message.contains("wheelchairs"),
        "{}",
        r.violations[0].message
    );
}

/// Every dimension fits some layout of some vehicle, but no single layout
/// holds the whole load [2 seats, 1 wheelchair].
#[test]
fn no_single_layout_of_any_vehicle_holds_the_load() {
    let mut p = with_job(Job::ride("x", stop(1), stop(2), vec![2, 1]));
    p.vehicles = vec![
        vehicle("van", &["lift"], &[("seats", [4, 0]), ("chairs", [1, 2])]),
        vehicle("car", &[], &[("car", [3, 0])]),
    ];
    p.validate().unwrap();
    assert_left_out(&p, 2, Reason::Capacity);
    // On the van in either layout, on the car in its only one.
    for (vehicle, layout, dim) in [
        (0, 0, "wheelchairs"),
        (0, 1, "seats"),
        (1, 0, "wheelchairs"),
    ] {
        let stops = [(0, P), (0, D), (1, P), (1, D), (2, P), (2, D)];
        let s = forced(vec![build(&p, vehicle, layout, &stops)]);
        let r = assert_only(&p, &s, K::Capacity);
        assert_eq!(r.violations.len(), 1, "{:#?}", r.violations);
        assert_eq!(r.violations[0].job, Some(2));
        assert!(
            r.violations[0].message.contains(dim),
            "vehicle {vehicle} layout {layout}: {}",
            r.violations[0].message
        );
    }
    // With one more seat in "chairs" the van takes it.
    p.vehicles[0].layouts[1].capacity = vec![2, 2];
    let s = solve_checked(&p);
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    let route = s
        .routes
        .iter()
        .find(|r| r.visits.iter().any(|v| v.job == 2));
    let route = route.expect("job 2 is routed");
    assert_eq!((route.vehicle, route.layout), (0, 1));
}

#[test]
fn pickup_window_closing_before_the_van_can_arrive() {
    // Location 3 is 30 minutes from the depot; the window closes at 20.
    let p = with_job(Job::ride(
        "x",
        stop_in(3, 0.0, 20.0, 2.0),
        stop(5),
        vec![1, 0],
    ));
    assert_left_out(&p, 2, Reason::TimeWindow);
    let s = forced(vec![build(
        &p,
        0,
        0,
        &[(2, P), (2, D), (0, P), (0, D), (1, P), (1, D)],
    )]);
    let r = assert_only(&p, &s, K::TimeWindow);
    assert_eq!(r.violations[0].job, Some(2));
}

#[test]
fn direct_trip_longer_than_the_ride_limit() {
    // 1 -> 4 takes 30 minutes direct.
    let mut x = Job::ride("x", stop(1), stop(4), vec![1, 0]);
    x.max_ride = Some(MaxRide::minutes(25.0));
    let p = with_job(x);
    assert_left_out(&p, 2, Reason::RideTime);
    let r = assert_only(&p, &all_in_one(&p, 0, &[(2, P), (2, D)]), K::RideTime);
    assert_eq!(r.violations[0].job, Some(2));

    // The same through a factor of the direct time, capped at 20 minutes.
    let mut x = Job::ride("x", stop(1), stop(4), vec![1, 0]);
    x.max_ride = Some(MaxRide {
        minutes: None,
        factor: Some(2.0),
        factor_cap: Some(20.0),
    });
    let p = with_job(x);
    assert_left_out(&p, 2, Reason::RideTime);
    assert_only(&p, &all_in_one(&p, 0, &[(2, P), (2, D)]), K::RideTime);
}

/// Alone, ride x (1 -> 5) needs 10 + 40 + 50 minutes of driving and 4 of
/// service: 104 minutes. Rides 0 and 1 together need 88.
fn far_ride() -> Problem {
    with_job(Job::ride("x", stop(1), stop(5), vec![1, 0]))
}

#[test]
fn shift_ending_before_the_van_can_return() {
    let mut p = far_ride();
    p.vehicles[0].shift = TimeWindow::new(0.0, 100.0);
    // Ride x alone, rides 0 and 1 left out: back at 104, after the shift.
    let mut s = forced(vec![build(&p, 0, 0, &[(2, P), (2, D)])]);
    assert_eq!(s.routes[0].end, 104.0);
    s.unassigned = [0, 1]
        .map(|job| Unassigned {
            job,
            reason: Reason::NoRoom,
        })
        .to_vec();
    s.cost += p.jobs[0].priority + p.jobs[1].priority;
    assert_only(&p, &s, K::ShiftEnd);
    assert_only(&p, &all_in_one(&p, 0, &[(2, P), (2, D)]), K::ShiftEnd);
    // Every stop window is open: only the shift keeps x out.
    assert_left_out(&p, 2, Reason::Shift);
}

#[test]
fn maximum_duration_shorter_than_the_trip() {
    let mut p = far_ride();
    p.vehicles[0].max_duration = Some(100.0);
    assert_left_out(&p, 2, Reason::Shift);
    assert_only(&p, &all_in_one(&p, 0, &[(2, P), (2, D)]), K::MaxDuration);
    // 0 -> 1 -> 2 -> 3 -> 4 -> 5 -> 0 serves all three in exactly 112 minutes.
    p.vehicles[0].max_duration = Some(112.0);
    let s = solve_checked(&p);
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
}

/// Ride 2 takes a rider 1 -> 3 arriving in [30, 40]; its return 3 -> 1 must be
/// picked up by 100 but not before the drop-off ends + 120 minutes.
fn linked(min_gap: f64) -> Problem {
    let mut p = base();
    p.jobs.push(Job::ride(
        "out",
        stop(1),
        stop_in(3, 30.0, 40.0, 2.0),
        vec![1, 0],
    ));
    let mut ret = Job::ride("ret", stop_in(3, 0.0, 100.0, 2.0), stop(1), vec![1, 0]);
    // Cheaper to drop than the outbound, which is the one to keep.
    ret.priority = 1000.0;
    p.jobs.push(ret);
    p.links.push(Link {
        outbound: 2,
        inbound: 3,
        min_gap,
        same_vehicle: true,
    });
    p.validate().unwrap();
    p
}

#[test]
fn return_window_closing_before_the_gap_has_passed() {
    let p = linked(120.0);
    assert_left_out(&p, 3, Reason::Link);
    // out: picked up at 10, dropped at 32 (departs 34); return picked up at 34 < 154.
    let stops = [
        (2, P),
        (2, D),
        (3, P),
        (3, D),
        (0, P),
        (0, D),
        (1, P),
        (1, D),
    ];
    let s = forced(vec![build(&p, 0, 0, &stops)]);
    let r = assert_only(&p, &s, K::Link);
    assert_eq!(r.violations[0].job, Some(3));
    assert_eq!(s.routes[0].visits[2].start, 34.0);

    // A gap the window can absorb: both served, the return after the gap.
    let p = linked(30.0);
    let s = solve_checked(&p);
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    let visits = &s.routes[0].visits;
    let find = |job, role| {
        visits
            .iter()
            .find(|v| v.job == job && v.role == role)
            .unwrap()
    };
    assert!(find(3, P).start >= find(2, D).departure + 30.0 - 1e-6);
}

/// Rides x and y both board at 1 at exactly 10 and alight at 2 at exactly
/// 20; the van has one seat. Each fits alone, not both.
#[test]
fn feasible_alone_but_no_room_beside_the_other() {
    let mut p = base();
    p.vehicles[0].layouts[0].capacity = vec![1, 1];
    let pinned = || {
        Job::ride(
            "x",
            stop_in(1, 10.0, 10.0, 0.0),
            stop_in(2, 20.0, 20.0, 0.0),
            vec![1, 0],
        )
    };
    p.jobs.push(pinned());
    let mut y = pinned();
    y.id = "y".into();
    y.priority = 1000.0;
    p.jobs.push(y);
    p.validate().unwrap();
    assert_left_out(&p, 3, Reason::NoRoom);
    let stops = [
        (2, P),
        (3, P),
        (2, D),
        (3, D),
        (0, P),
        (0, D),
        (1, P),
        (1, D),
    ];
    let s = forced(vec![build(&p, 0, 0, &stops)]);
    let r = assert_only(&p, &s, K::Capacity);
    assert_eq!(r.violations[0].job, Some(3));
    // y alone is fine: without x it is served.
    p.jobs.remove(2);
    let s = solve_checked(&p);
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
}

/// The lift van costs 100 to take out, the car nothing; jobs 2 and 3 need the lift.
#[test]
fn jobs_needing_a_skill_ride_on_the_only_vehicle_with_it() {
    let mut p = base();
    p.vehicles = vec![
        vehicle("car", &[], &[("car", [3, 0])]),
        Vehicle {
            fixed_cost: 100.0,
            ..vehicle("van", &["lift"], &[("mixed", [2, 2])])
        },
    ];
    for (id, from, to) in [("w1", 5, 3), ("w2", 4, 1)] {
        let mut w = Job::ride(id, stop(from), stop(to), vec![0, 1]);
        w.skills = vec!["lift".into()];
        p.jobs.push(w);
    }
    // A seated job needing the lift too, just to ride along.
    let mut s3 = Job::ride("s3", stop(2), stop(5), vec![1, 0]);
    s3.skills = vec!["lift".into()];
    p.jobs.push(s3);
    p.validate().unwrap();
    let s = solve_checked(&p);
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    let of = vehicle_of(&s, p.jobs.len());
    assert_eq!(&of[2..], [Some(1), Some(1), Some(1)], "{:#?}", s.routes);

    // The same jobs on the car: the checker objects to each of them.
    let car = build(&p, 0, 0, &[(2, P), (2, D), (4, P), (4, D)]);
    let van = build(&p, 1, 0, &[(0, P), (0, D), (1, P), (1, D), (3, P), (3, D)]);
    let s = forced(vec![car, van]);
    let r = check(&p, &s);
    assert!(!r.is_feasible());
    // w1 also needs a wheelchair place the car lacks.
    let mut skills: Vec<_> = r
        .violations
        .iter()
        .filter(|v| v.kind == K::Skills)
        .map(|v| v.job)
        .collect();
    skills.sort();
    assert_eq!(skills, [Some(2), Some(4)], "{:#?}", r.violations);
    assert_eq!(kinds(&r), [K::Capacity, K::Skills], "{:#?}", r.violations);
}

fn model_error(p: &Problem) -> giro::solver::ModelError {
    match solve(p, &options()) {
        Ok(s) => panic!("an invalid problem was solved: {s:?}"),
        Err(e) => e,
    }
}

#[test]
fn bad_problems_are_refused_naming_the_field() {
    let field = |f: &dyn Fn(&mut Problem)| {
        let mut p = base();
        f(&mut p);
        model_error(&p)
    };

    let e = field(&|p| p.jobs[1].dropoff.as_mut().unwrap().window = TimeWindow::new(50.0, 40.0));
    assert_eq!(e.field, "jobs[1].dropoff.window");
    assert!(e.message.contains("ends before it starts"), "{e}");

    let e = field(&|p| p.jobs[0].pickup.as_mut().unwrap().location = 6);
    assert_eq!(e.field, "jobs[0].pickup.location");
    assert!(e.message.contains("6 locations"), "{e}");

    let e = field(&|p| p.vehicles[0].end = 99);
    assert_eq!(e.field, "vehicles[0].end");

    let e = field(&|p| p.jobs[1].load = vec![1]);
    assert_eq!(e.field, "jobs[1].load");
    assert!(e.message.contains("2 dimensions"), "{e}");

    let e = field(&|p| p.jobs[0].load = vec![1, -1]);
    assert_eq!(e.field, "jobs[0].load");

    let e = field(&|p| p.vehicles[0].layouts[0].capacity = vec![4, 1, 0]);
    assert_eq!(e.field, "vehicles[0].layouts[0].capacity");

    let e = field(&|p| p.vehicles[0].layouts.clear());
    assert_eq!(e.field, "vehicles[0].layouts");

    let e = field(&|p| p.vehicles[0].shift = TimeWindow::new(10.0, 5.0));
    assert_eq!(e.field, "vehicles[0].shift");

    let e = field(&|p| p.jobs[0].pickup.as_mut().unwrap().service = -1.0);
    assert_eq!(e.field, "jobs[0].pickup.service");

    let e = field(&|p| p.setup = vec![1.0; 5]);
    assert_eq!(e.field, "setup");
    assert!(e.message.contains("(6)"), "{e}");

    let e = field(&|p| p.setup = vec![0.0, 2.0, -1.0, 0.0, 0.0, 0.0]);
    assert_eq!(e.field, "setup[2]");

    let e = field(&|p| p.setup = vec![0.0, f64::NAN, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!(e.field, "setup[1]");

    let e = field(&|p| {
        p.links.push(Link {
            outbound: 0,
            inbound: 5,
            min_gap: 0.0,
            same_vehicle: false,
        })
    });
    assert_eq!(e.field, "links[0].inbound");
    assert_eq!(e.to_string(), format!("links[0].inbound: {}", e.message));
}

/// The outbound needs skill "y", its return skill "x", and they must share a
/// vehicle: van a has only "x", van b only "y". One of the two has to stay out.
#[test]
fn same_vehicle_link_that_no_vehicle_can_honour() {
    let mut p = base();
    p.jobs.clear();
    p.vehicles = vec![
        vehicle("a", &["x"], &[("standard", [4, 1])]),
        vehicle("b", &["y"], &[("standard", [4, 1])]),
    ];
    let mut out = Job::ride("out", stop(1), stop(2), vec![1, 0]);
    out.skills = vec!["y".into()];
    let mut ret = Job::ride("ret", stop(2), stop(1), vec![1, 0]);
    ret.skills = vec!["x".into()];
    p.jobs = vec![out, ret];
    p.links.push(Link {
        outbound: 0,
        inbound: 1,
        min_gap: 0.0,
        same_vehicle: true,
    });
    p.validate().unwrap();

    // Each on its own van: the checker rejects the split.
    let s = forced(vec![
        build(&p, 1, 0, &[(0, P), (0, D)]),
        build(&p, 0, 0, &[(1, P), (1, D)]),
    ]);
    assert_only(&p, &s, K::Link);

    let s = solve_checked(&p);
    assert_eq!(s.unassigned.len(), 1, "{:#?}", s);
    assert_eq!(s.unassigned[0].reason, Reason::Link, "{:?}", s.unassigned);
}

/// Ride "out" 1 -> 2, and its return 2 -> 1 due at 1 at exactly 100, picked
/// up at least `gap` after "out" is dropped off, on the same van (one seat).
fn pinned_return(cost_per_time: f64, gap: f64) -> Problem {
    let mut p = base();
    p.vehicles[0].cost_per_time = cost_per_time;
    p.vehicles[0].layouts[0].capacity = vec![1, 0];
    let open = |location| Stop {
        location,
        window: TimeWindow::open(),
        service: 0.0,
    };
    p.jobs = vec![
        Job::ride("out", open(1), open(2), vec![1, 0]),
        Job::ride("ret", open(2), stop_in(1, 100.0, 100.0, 0.0), vec![1, 0]),
    ];
    p.links.push(Link {
        outbound: 0,
        inbound: 1,
        min_gap: gap,
        same_vehicle: true,
    });
    p.validate().unwrap();
    p
}

#[test]
fn return_after_a_gap_on_a_route_that_pays_for_time() {
    // Feasible: leave at 59, out 69 -> 79, return picked up at 80, dropped at
    // 100 after waiting, home at 110.
    let p = pinned_return(0.5, 1.0);
    let visit = |job, role, arrival, start| Visit {
        job,
        role,
        arrival,
        start,
        setup: 0.0,
        departure: start,
    };
    let route = Route {
        vehicle: 0,
        layout: 0,
        start: 59.0,
        end: 110.0,
        visits: vec![
            visit(0, P, 69.0, 69.0),
            visit(0, D, 79.0, 79.0),
            visit(1, P, 79.0, 80.0),
            visit(1, D, 90.0, 100.0),
        ],
        distance: 4.0,
        cost: 4.0 + 0.5 * 51.0,
    };
    let hand = forced(vec![route]);
    let r = check(&p, &hand);
    assert!(r.is_feasible(), "{:#?}", r.violations);

    // Without a time cost, or without a gap, the solver serves both.
    for p in [pinned_return(0.0, 1.0), pinned_return(0.5, 0.0)] {
        let s = solve_checked(&p);
        assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    }
    let s = solve_checked(&p);
    assert!(
        s.unassigned.is_empty(),
        "the return is left out although {hand:#?} is feasible: {:?}",
        s.unassigned
    );
    assert!(s.cost <= hand.cost + 1e-6, "{} > {}", s.cost, hand.cost);
}

/// Two identical vans; ride 0 would rather ride on the second.
fn preferring(cost: f64) -> Problem {
    let mut p = base();
    p.vehicles
        .push(vehicle("van2", &["lift"], &[("standard", [4, 1])]));
    p.jobs[0].prefer = Some(Preference {
        vehicles: vec![1],
        cost,
    });
    p
}

#[test]
fn a_job_rides_on_the_vehicle_it_prefers_when_that_costs_less_than_its_wish() {
    // Both rides on one van: 8 km; each on its own van: 6 + 8 km.
    let p = preferring(10.0);
    let s = solve_checked(&p);
    assert_eq!(vehicle_of(&s, 2), [Some(1), Some(1)], "{:#?}", s.routes);
    assert!((s.cost - 8.0).abs() < 1e-9, "no wish is missed: {}", s.cost);

    // Opposite wishes worth less than a second van's 6 km: one is missed.
    let mut p = preferring(1.0);
    p.jobs[1].prefer = Some(Preference {
        vehicles: vec![0],
        cost: 1.0,
    });
    let s = solve_checked(&p);
    assert_eq!(s.routes.len(), 1, "{:#?}", s.routes);
    assert!((s.cost - 9.0).abs() < 1e-9, "one wish missed: {}", s.cost);

    // Worth more than the second van: each rides on the van it prefers.
    let mut p = preferring(7.0);
    p.jobs[1].prefer = Some(Preference {
        vehicles: vec![0],
        cost: 7.0,
    });
    let s = solve_checked(&p);
    assert_eq!(vehicle_of(&s, 2), [Some(1), Some(0)], "{:#?}", s.routes);
    assert!((s.cost - 14.0).abs() < 1e-9, "{}", s.cost);
}

#[test]
fn the_checker_prices_a_missed_wish_and_refuses_a_route_that_hides_it() {
    let p = preferring(7.0);
    // Both rides on van 0, one after the other: 10 km, and ride 0's wish
    // missed. Priced on distance alone, the checker catches the cost.
    let mut s = all_in_one(&p, 0, &[]);
    assert!((s.cost - 10.0).abs() < 1e-9, "{}", s.cost);
    assert_only(&p, &s, K::Cost);
    s.routes[0].cost += 7.0;
    s.cost += 7.0;
    let r = check(&p, &s);
    assert!(r.is_feasible(), "{:#?}", r.violations);
    assert!((r.cost - 17.0).abs() < 1e-9, "{}", r.cost);
}

#[test]
fn a_wish_for_a_vehicle_that_does_not_exist_is_refused_naming_it() {
    let mut p = preferring(1.0);
    p.jobs[0].prefer = Some(Preference {
        vehicles: vec![1, 2],
        cost: 1.0,
    });
    let e = model_error(&p);
    assert_eq!(e.field, "jobs[0].prefer.vehicles[1]");
    let mut p = preferring(-1.0);
    p.jobs[0].prefer.as_mut().unwrap().cost = -1.0;
    assert_eq!(model_error(&p).field, "jobs[0].prefer.cost");
}
