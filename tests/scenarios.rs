//! End-to-end scenarios: a benchmark optimum, a van's day with a layout choice
//! and a timed return, meal rounds with a kitchen-to-door limit, and the
//! search's controls (cancel flag, determinism, progress reports).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use giro::formats::{self, Format, Instance};
use giro::solver::{
    solve, solve_with_progress, Job, Layout, Link, Matrix, MaxRide, Options, Problem, Progress,
    Route, Solution, Stop, StopRole, TimeWindow, Vehicle, Visit,
};

mod common;
use common::{assert_checked, cost_close};

fn solve_checked(p: &Problem, options: &Options) -> Solution {
    let s = solve(p, options).expect("a valid problem solves");
    assert_checked(p, &s);
    s
}

/// A benchmark instance; a missing file fails the test.
fn benchmark(file: &str) -> Instance {
    let path = formats::benchmarks_dir().join(file);
    formats::read(Format::Cordeau, &path)
        .unwrap_or_else(|e| panic!("cannot read benchmark {}: {e}", path.display()))
}

fn visit(route: &Route, job: usize, role: StopRole) -> &Visit {
    route
        .visits
        .iter()
        .find(|v| v.job == job && v.role == role)
        .unwrap_or_else(|| panic!("job {job} {role:?} not in {route:#?}"))
}

/// Load on board after each visit, per dimension (jobs without a pickup are
/// on board from the start).
fn loads(p: &Problem, route: &Route) -> Vec<Vec<i32>> {
    let mut load = vec![0; p.dimensions.len()];
    for v in &route.visits {
        if p.jobs[v.job].pickup.is_none() && v.role == StopRole::Dropoff {
            load.iter_mut()
                .zip(&p.jobs[v.job].load)
                .for_each(|(l, q)| *l += q);
        }
    }
    route
        .visits
        .iter()
        .map(|v| {
            let sign = if v.role == StopRole::Pickup { 1 } else { -1 };
            load.iter_mut()
                .zip(&p.jobs[v.job].load)
                .for_each(|(l, q)| *l += sign * q);
            load.clone()
        })
        .collect()
}

// ---------------------------------------------------------------------------
// a) A benchmark with a proven optimum

/// Proven optimum of Cordeau's a2-16 (Ropke, Cordeau & Laporte 2007): 294.247950.
const A2_16_OPTIMUM: f64 = 294.25;

#[test]
fn a2_16_reaches_the_optimum() {
    let inst = benchmark("darp/a2-16.txt");
    let p = &inst.problem;
    assert_eq!((p.jobs.len(), p.vehicles.len()), (16, 2));
    // The budget is 10 s; the run stops as soon as the optimum is reached.
    let cancel = Arc::new(AtomicBool::new(false));
    let options = Options {
        seed: 1,
        time_limit: Some(Duration::from_secs(10)),
        cancel: Some(cancel.clone()),
        ..Default::default()
    };
    let s = solve_with_progress(p, &options, &mut |pr: &Progress| {
        if pr.unassigned == 0 && pr.best_cost <= A2_16_OPTIMUM + 0.005 {
            cancel.store(true, Ordering::Relaxed);
        }
    })
    .unwrap();
    assert_checked(p, &s);
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    assert!(s.routes.len() <= inst.max_vehicles);
    assert!(
        (s.distance - A2_16_OPTIMUM).abs() <= 0.005,
        "distance {} instead of the optimum {A2_16_OPTIMUM}",
        s.distance
    );
}

// ---------------------------------------------------------------------------
// b) One van, three layouts, a wheelchair rider and her timed return

const FOUR_CHAIRS: &str = "4 wheelchairs + 1 seat";
const MIXED: &str = "2 wheelchairs + 5 seats";
const NINE_SEATS: &str = "9 seats";

/// Depot 0, the wheelchair rider's home 1, seated riders' homes 2 and 3, the
/// day centre 4, on a line (minutes = km).
fn van_day() -> Problem {
    let x: [f64; 5] = [0.0, 10.0, 12.0, 14.0, 30.0];
    let stop = |location, start, end, service| Stop {
        location,
        window: TimeWindow::new(start, end),
        service,
    };
    let layout = |name: &str, seats, chairs| Layout {
        name: name.into(),
        capacity: vec![seats, chairs],
    };
    // Everyone is picked up by 45 and dropped off from 50 on: all three are on
    // board together, one wheelchair and two seats.
    let mut chair = Job::ride(
        "chair to centre",
        stop(1, 20.0, 45.0, 5.0),
        stop(4, 50.0, 65.0, 3.0),
        vec![0, 1],
    );
    chair.skills = vec!["lift".into()];
    let seated = |id: &str, home| {
        Job::ride(
            id,
            stop(home, 20.0, 45.0, 1.0),
            stop(4, 50.0, 65.0, 1.0),
            vec![1, 0],
        )
    };
    // The return may start from 120, but the link holds it to 120 minutes
    // after the drop-off, which ends at 53 at the earliest.
    let mut back = Job::ride(
        "chair home",
        stop(4, 120.0, 400.0, 5.0),
        stop(1, 0.0, 480.0, 3.0),
        vec![0, 1],
    );
    back.skills = vec!["lift".into()];
    let p = Problem {
        prefixes: Vec::new(),
        name: "van day".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix: Matrix::from_fn(x.len(), |a, b| {
            let d = (x[a] - x[b]).abs();
            (d, d)
        }),
        vehicles: vec![Vehicle {
            id: "van".into(),
            start: 0,
            end: 0,
            shift: TimeWindow::new(0.0, 480.0),
            max_duration: None,
            fixed_cost: 0.0,
            cost_per_distance: 1.0,
            cost_per_time: 0.0,
            skills: vec!["lift".into()],
            layouts: vec![
                layout(FOUR_CHAIRS, 1, 4),
                layout(MIXED, 5, 2),
                layout(NINE_SEATS, 9, 0),
            ],
        }],
        jobs: vec![chair, seated("seat a", 2), seated("seat b", 3), back],
        links: vec![Link {
            outbound: 0,
            inbound: 3,
            min_gap: 120.0,
            same_vehicle: true,
        }],
        setup: vec![],
    };
    p.validate().unwrap();
    p
}

#[test]
fn single_van_day_picks_layout_and_times_return() {
    let p = van_day();
    let s = solve_checked(
        &p,
        &Options {
            seed: 1,
            time_limit: Some(Duration::from_millis(1000)),
            iterations: Some(300),
            ..Default::default()
        },
    );
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    assert_eq!(s.routes.len(), 1);
    let route = &s.routes[0];
    assert_eq!(p.vehicles[0].layouts[route.layout].name, MIXED);
    // One wheelchair and two seats on board at once.
    let peak = loads(&p, route)
        .into_iter()
        .reduce(|a, b| vec![a[0].max(b[0]), a[1].max(b[1])])
        .unwrap();
    assert_eq!(peak, [2, 1]);
    assert!(loads(&p, route).contains(&vec![2, 1]));

    let dropped = visit(route, 0, StopRole::Dropoff);
    assert!(
        (50.0..=65.0).contains(&dropped.start),
        "outbound dropped off at {}",
        dropped.start
    );
    assert!((dropped.departure - dropped.start - 3.0).abs() < 1e-9);
    let back = visit(route, 3, StopRole::Pickup);
    let ready = dropped.departure + 120.0;
    assert!(back.start >= ready - 1e-6, "{} < {ready}", back.start);
    // The window opens at 120, before the gap ends: the gap alone sets the time.
    assert!(
        (back.start - ready).abs() < 1e-6,
        "return picked up at {} instead of {ready}",
        back.start
    );
}

// ---------------------------------------------------------------------------
// c) Hot meals with a kitchen-to-door limit

/// The meal centre 0 at (0, 0); doors 1-3 at (10..14, 4), doors 4-6 at (14..10, -4).
fn meal_round(limit: f64) -> Problem {
    let points = [
        (0.0, 0.0),
        (10.0, 4.0),
        (12.0, 4.0),
        (14.0, 4.0),
        (14.0, -4.0),
        (12.0, -4.0),
        (10.0, -4.0),
    ];
    let matrix = Matrix::from_fn(points.len(), |a, b| {
        let (dx, dy): (f64, f64) = (points[a].0 - points[b].0, points[a].1 - points[b].1);
        let d = dx.hypot(dy);
        (d, d)
    });
    let centre = Stop {
        location: 0,
        window: TimeWindow::open(),
        service: 1.0,
    };
    let jobs = (1..points.len())
        .map(|door| {
            let mut meal = Job::delivery(
                format!("meal {door}"),
                Some(centre),
                Stop {
                    location: door,
                    window: TimeWindow::open(),
                    service: 1.0,
                },
                vec![1],
            );
            meal.max_ride = Some(MaxRide::minutes(limit));
            meal
        })
        .collect();
    let p = Problem {
        prefixes: Vec::new(),
        name: "meals".into(),
        dimensions: vec!["hot boxes".into()],
        matrix,
        vehicles: vec![Vehicle {
            id: "car".into(),
            start: 0,
            end: 0,
            shift: TimeWindow::new(0.0, 240.0),
            max_duration: None,
            fixed_cost: 0.0,
            cost_per_distance: 1.0,
            cost_per_time: 0.0,
            skills: vec![],
            layouts: vec![Layout {
                name: "boot".into(),
                capacity: vec![10],
            }],
        }],
        jobs,
        links: vec![],
        setup: vec![],
    };
    p.validate().unwrap();
    p
}

/// Number of separate visits to the meal centre: runs of pickups.
fn trips(route: &Route) -> usize {
    let roles: Vec<StopRole> = route.visits.iter().map(|v| v.role).collect();
    roles
        .iter()
        .enumerate()
        .filter(|&(i, r)| *r == StopRole::Pickup && (i == 0 || roles[i - 1] == StopRole::Dropoff))
        .count()
}

fn meal_options() -> Options {
    Options {
        seed: 1,
        time_limit: Some(Duration::from_millis(1500)),
        iterations: Some(500),
        ..Default::default()
    }
}

#[test]
fn hot_meals_need_two_trips() {
    // One trip reaches its sixth door at least 31.8 minutes after leaving the
    // centre; a trip per cluster reaches its third door after 16.8.
    let p = meal_round(25.0);
    let s = solve_checked(&p, &meal_options());
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    assert_eq!(s.routes.len(), 1);
    let route = &s.routes[0];
    let roles: Vec<StopRole> = route.visits.iter().map(|v| v.role).collect();
    let first_drop = roles.iter().position(|r| *r == StopRole::Dropoff).unwrap();
    assert!(
        roles[first_drop..].contains(&StopRole::Pickup),
        "no second trip: {roles:?}"
    );
    assert_eq!(trips(route), 2, "{roles:?}");
    // Back at the centre between the trips: two distinct pickup times.
    let pickups: Vec<f64> = route
        .visits
        .iter()
        .filter(|v| v.role == StopRole::Pickup)
        .map(|v| v.start)
        .collect();
    assert!(pickups.last().unwrap() - pickups[0] > 20.0, "{pickups:?}");
    for j in 0..p.jobs.len() {
        let ride =
            visit(route, j, StopRole::Dropoff).start - visit(route, j, StopRole::Pickup).departure;
        assert!(ride <= 25.0 + 1e-6, "meal {j} rides {ride} minutes");
    }
    // Each trip serves one cluster.
    let first_trip: Vec<usize> = route.visits[first_drop..]
        .iter()
        .take_while(|v| v.role == StopRole::Dropoff)
        .map(|v| p.jobs[v.job].dropoff.unwrap().location)
        .collect();
    assert_eq!(first_trip.len(), 3, "{first_trip:?}");
    assert!(
        first_trip.iter().all(|&d| d <= 3) || first_trip.iter().all(|&d| d >= 4),
        "{first_trip:?}"
    );
}

#[test]
fn relaxed_meal_limit_gives_a_single_cheaper_trip() {
    let tight = solve_checked(&meal_round(25.0), &meal_options());
    let p = meal_round(1000.0);
    let s = solve_checked(&p, &meal_options());
    assert!(s.unassigned.is_empty(), "{:?}", s.unassigned);
    assert_eq!(s.routes.len(), 1);
    let roles: Vec<StopRole> = s.routes[0].visits.iter().map(|v| v.role).collect();
    assert_eq!(trips(&s.routes[0]), 1, "{roles:?}");
    assert!(
        roles[..6].iter().all(|r| *r == StopRole::Pickup),
        "{roles:?}"
    );
    // Around both clusters in one loop: 2 * 10.77 + 4 * 2 + 8 = 37.54 km.
    let one_loop = 2.0 * 116f64.sqrt() + 16.0;
    assert!((s.distance - one_loop).abs() < 1e-6, "{}", s.distance);
    assert!(
        s.distance < tight.distance - 10.0,
        "{} vs {}",
        s.distance,
        tight.distance
    );
}

// ---------------------------------------------------------------------------
// d-f) Search controls

#[test]
fn cancel_flag_stops_the_search() {
    let inst = benchmark("darp/a8-96.txt");
    let p = inst.problem.clone();
    let cancel = Arc::new(AtomicBool::new(false));
    let options = Options {
        seed: 1,
        time_limit: Some(Duration::from_secs(60)),
        cancel: Some(cancel.clone()),
        ..Default::default()
    };
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let s = solve(&p, &options);
        let _ = tx.send(s);
    });
    thread::sleep(Duration::from_millis(200));
    cancel.store(true, Ordering::Relaxed);
    let s = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(s) => s.expect("a valid problem solves"),
        Err(e) => panic!("the search did not stop within 30 s of the cancel flag: {e}"),
    };
    worker.join().unwrap();
    assert_checked(&inst.problem, &s);
    assert!(!s.routes.is_empty());
}

#[test]
fn same_seed_and_iterations_give_the_same_plan() {
    let p = benchmark("darp/a4-40.txt").problem;
    let options = |seed| Options {
        seed,
        time_limit: None,
        iterations: Some(300),
        ..Default::default()
    };
    let a = solve_checked(&p, &options(5));
    let b = solve_checked(&p, &options(5));
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert!(a.unassigned.is_empty(), "{:?}", a.unassigned);
}

#[test]
fn progress_reports_a_non_increasing_best_cost() {
    let p = benchmark("darp/a3-24.txt").problem;
    let mut reports: Vec<Progress> = Vec::new();
    let options = Options {
        seed: 2,
        time_limit: Some(Duration::from_secs(5)),
        iterations: Some(1000),
        ..Default::default()
    };
    let s =
        solve_with_progress(&p, &options, &mut |pr: &Progress| reports.push(pr.clone())).unwrap();
    assert_checked(&p, &s);
    assert!(reports.len() >= 2, "{reports:?}");
    assert_eq!(reports[0].iteration, 0);
    for w in reports.windows(2) {
        assert!(
            w[1].best_cost <= w[0].best_cost,
            "{:?} then {:?}",
            w[0],
            w[1]
        );
        assert!(w[1].iteration >= w[0].iteration);
        assert!(w[1].elapsed >= w[0].elapsed);
    }
    let last = reports.last().unwrap();
    assert!(
        cost_close(last.best_cost, s.cost),
        "last report {} but the plan costs {}",
        last.best_cost,
        s.cost
    );
    assert_eq!(last.unassigned, s.unassigned.len());
    assert_eq!(last.routes, s.routes.len());
    assert!(last.best_cost < reports[0].best_cost);
}

/// The last progress report of a run, with set partitioning on or off.
fn last_report(p: &Problem, set_partitioning: bool) -> (Solution, Progress) {
    let options = Options {
        set_partitioning,
        ..meal_options()
    };
    let mut last = None;
    let s = solve_with_progress(p, &options, &mut |pr: &Progress| last = Some(pr.clone()))
        .expect("the meal round is valid");
    let last = last.expect("a run reports at least once");
    (s, last)
}

#[test]
fn set_partitioning_can_be_switched_off_for_measurement() {
    let p = meal_round(25.0);
    let (on, on_report) = last_report(&p, true);
    let (off, off_report) = last_report(&p, false);
    for (s, r) in [(&on, &on_report), (&off, &off_report)] {
        assert!(r.done, "the last report closes the run");
        assert_eq!(r.iteration, 500, "the iteration budget binds");
        assert_checked(&p, s);
        assert!(s.unassigned.is_empty());
    }
    assert!(
        on_report.sp_time > Duration::ZERO,
        "the pool was recombined"
    );
    assert_eq!(
        off_report.sp_time,
        Duration::ZERO,
        "no recombination when off"
    );
}
