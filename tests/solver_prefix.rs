//! Re-planning a day under way: what was done stays as reported, riders on
//! board stay on their vehicle within their ride clocks, a cancellation frees
//! room that a new request takes, promises kept when nothing changed.

use std::time::Duration;

use giro::solver::check::{check, ViolationKind as K};
use giro::solver::{
    fit, solve, FitError, Job, JobId, Layout, Matrix, MaxRide, Options, Prefix, Problem, Solution,
    Stop, StopRole, TimeWindow, Vehicle,
};

fn stop(location: usize, open: f64, close: f64) -> Stop {
    Stop {
        location,
        window: TimeWindow::new(open, close),
        service: 2.0,
    }
}

fn ride(id: &str, from: usize, to: usize, pickup: (f64, f64)) -> Job {
    Job::ride(
        id,
        stop(from, pickup.0, pickup.1),
        stop(to, 0.0, 600.0),
        vec![1],
    )
}

fn vehicle(id: &str, at: usize, seats: i32) -> Vehicle {
    Vehicle {
        id: id.into(),
        start: at,
        end: at,
        shift: TimeWindow::new(0.0, 600.0),
        max_duration: None,
        fixed_cost: 0.0,
        cost_per_distance: 1.0,
        cost_per_time: 0.0,
        skills: vec![],
        layouts: vec![Layout {
            name: "seats".into(),
            capacity: vec![seats],
        }],
    }
}

/// Places 0..=9 on a line, 10 minutes and 1 km per step.
fn problem(vehicles: Vec<Vehicle>, jobs: Vec<Job>) -> Problem {
    let p = Problem {
        prefixes: Vec::new(),
        name: "line".into(),
        dimensions: vec!["seats".into()],
        matrix: Matrix::from_fn(10, |a, b| {
            let steps = a.abs_diff(b) as f64;
            (10.0 * steps, steps)
        }),
        vehicles,
        jobs,
        links: vec![],
        setup: vec![],
    };
    p.validate().unwrap();
    p
}

fn options(initial: Option<&Solution>) -> Options {
    Options {
        seed: 7,
        time_limit: Some(Duration::from_secs(2)),
        iterations: Some(300),
        initial: initial.cloned(),
        ..Default::default()
    }
}

fn solved(p: &Problem, initial: Option<&Solution>) -> Solution {
    let s = solve(p, &options(initial)).unwrap();
    let report = check(p, &s);
    assert!(report.is_feasible(), "{:#?}\n{s:#?}", report.violations);
    s
}

/// What each route of `s` has done by `cut`, ready again at `cut`.
fn cut_at(s: &Solution, cut: f64) -> Vec<Prefix> {
    s.routes
        .iter()
        .map(|r| Prefix {
            vehicle: r.vehicle,
            start: r.start,
            visits: r
                .visits
                .iter()
                .take_while(|v| v.start < cut)
                .cloned()
                .collect(),
            ready: cut,
            loaded: vec![],
            closed: false,
        })
        .collect()
}

fn route_of(s: &Solution, job: JobId) -> usize {
    s.routes
        .iter()
        .find(|r| r.visits.iter().any(|v| v.job == job))
        .map(|r| r.vehicle)
        .expect("routed")
}

fn visit(s: &Solution, job: JobId, role: StopRole) -> &giro::solver::Visit {
    s.routes
        .iter()
        .flat_map(|r| &r.visits)
        .find(|v| v.job == job && v.role == role)
        .expect("visited")
}

#[test]
fn a_rider_on_board_stays_on_their_vehicle_within_their_ride_clock() {
    // The van picked the rider up at 1 and has stood there since; the car
    // waits at 8, next to the rider's destination. Nobody else moves them.
    let mut rider = ride("rider", 1, 8, (0.0, 600.0));
    rider.max_ride = Some(MaxRide::minutes(90.0));
    let errand = ride("errand", 2, 3, (0.0, 600.0));
    let mut p = problem(
        vec![vehicle("van", 0, 1), vehicle("car", 8, 1)],
        vec![rider, errand],
    );
    let picked = giro::solver::Visit {
        job: 0,
        role: StopRole::Pickup,
        arrival: 10.0,
        start: 10.0,
        setup: 0.0,
        departure: 12.0,
    };
    p.prefixes = vec![Prefix {
        vehicle: 0,
        start: 0.0,
        visits: vec![picked.clone()],
        ready: 30.0,
        loaded: vec![],
        closed: false,
    }];
    let s = solved(&p, None);
    let van = &s.routes.iter().find(|r| r.vehicle == 0).unwrap().visits;
    assert_eq!(van[0], picked, "the done pickup leads the van's route");
    assert_eq!(route_of(&s, 0), 0, "the rider stays on the van");
    let dropped = visit(&s, 0, StopRole::Dropoff).start;
    assert!(dropped - picked.departure <= 90.0 + 1e-6, "{dropped}");
    // One seat: the errand waits for the rider to be dropped, if the van takes it.
    if route_of(&s, 1) == 0 {
        assert!(visit(&s, 1, StopRole::Pickup).start >= dropped);
    }

    // A clock that has almost run out: straight to the destination, 70
    // minutes from 1 at 30, is the only way; the checker measures from 12.
    p.jobs[0].max_ride = Some(MaxRide::minutes(88.0));
    let s = solved(&p, None);
    assert!(visit(&s, 0, StopRole::Dropoff).start <= 100.0 + 1e-6);
    p.jobs[0].max_ride = Some(MaxRide::minutes(80.0));
    let s = solve(&p, &options(None)).unwrap();
    let report = check(&p, &s);
    assert!(
        report.violations.iter().any(|v| v.kind == K::RideTime),
        "a clock already run out is reported, not hidden: {:#?}",
        report.violations
    );
}

#[test]
fn a_cancellation_mid_morning_frees_room_a_new_request_takes() {
    // One seat. Early and the late ride fill the van; the call-in ride
    // wants the late ride's time.
    let jobs = vec![
        ride("early", 1, 2, (20.0, 30.0)),
        ride("call-in", 3, 6, (60.0, 70.0)),
        ride("late", 4, 7, (60.0, 70.0)),
    ];
    let p = problem(vec![vehicle("van", 0, 1)], jobs.clone());
    // The published plan, made before the call: without the call-in ride.
    let mut before = p.clone();
    before.jobs[1].skills = vec!["not yet".into()];
    let plan = solved(&before, None);
    assert_eq!(plan.unassigned.len(), 1);
    assert_eq!(plan.unassigned[0].job, 1);

    // 35 minutes in: the early ride is done, and the call comes.
    let mut live = p.clone();
    live.prefixes = cut_at(&plan, 35.0);
    assert_eq!(live.prefixes[0].visits.len(), 2);
    let blocked = fit(&live, &plan, 1);
    assert!(
        matches!(blocked, Err(FitError::Blocked { .. })),
        "{blocked:?}"
    );

    // The late ride is cancelled: its room goes to the call-in ride.
    let mut cancelled = live.clone();
    cancelled.jobs.truncate(2);
    let mut without = plan.clone();
    for r in &mut without.routes {
        r.visits.retain(|v| v.job != 2);
    }
    without.unassigned.retain(|u| u.job != 2);
    let f = fit(&cancelled, &without, 1).expect("the freed seat takes the call");
    let fitted = f.apply(&without);
    let report = check(&cancelled, &fitted);
    assert!(report.is_feasible(), "{:#?}", report.violations);
    // A re-plan from there serves it too, behind what was done.
    let again = solved(&cancelled, Some(&without));
    assert!(again.unassigned.is_empty(), "{again:#?}");
    assert_eq!(again.routes[0].visits[..2], plan.routes[0].visits[..2]);
}

#[test]
fn with_nothing_changed_a_replan_keeps_every_promise() {
    // Eight rides on two vans, each promised the pickup time of the plan
    // (to 15 minutes later); re-planned at 90 from the plan, nothing moved.
    let mut jobs: Vec<Job> = (0..8)
        .map(|k| {
            let from = 1 + k % 8;
            let to = 1 + (k * 3 + 2) % 8;
            let at = 20.0 + 25.0 * k as f64;
            ride(&format!("r{k}"), from, to, (at, at + 60.0))
        })
        .collect();
    let p = problem(vec![vehicle("a", 0, 2), vehicle("b", 9, 2)], jobs.clone());
    let plan = solved(&p, None);
    assert!(plan.unassigned.is_empty());
    for (j, job) in jobs.iter_mut().enumerate() {
        let at = visit(&plan, j, StopRole::Pickup).start;
        job.pickup.as_mut().unwrap().window = TimeWindow::new(at, at + 15.0);
    }
    let mut live = problem(p.vehicles.clone(), jobs);
    live.prefixes = cut_at(&plan, 90.0);
    let again = solved(&live, Some(&plan));
    assert!(again.unassigned.is_empty(), "{again:#?}");
    for j in 0..8 {
        let (was, now) = (
            visit(&plan, j, StopRole::Pickup).start,
            visit(&again, j, StopRole::Pickup).start,
        );
        assert!(
            now >= was - 1e-6 && now <= was + 15.0 + 1e-6,
            "ride {j}: {was} → {now}"
        );
    }
}

#[test]
fn a_done_visit_moved_or_retimed_is_refused() {
    let p0 = problem(
        vec![vehicle("van", 0, 2)],
        vec![ride("a", 1, 3, (0.0, 600.0)), ride("b", 2, 4, (0.0, 600.0))],
    );
    let plan = solved(&p0, None);
    let mut p = p0.clone();
    p.prefixes = cut_at(&plan, plan.routes[0].visits[1].start + 1.0);
    let s = solved(&p, Some(&plan));
    let kinds =
        |s: &Solution| -> Vec<K> { check(&p, s).violations.iter().map(|v| v.kind).collect() };
    let mut later = s.clone();
    later.routes[0].visits[0].start += 5.0;
    assert!(kinds(&later).contains(&K::Prefix), "{:?}", kinds(&later));
    let mut swapped = s.clone();
    swapped.routes[0].visits.swap(0, 1);
    assert!(kinds(&swapped).contains(&K::Prefix));
    let mut gone = s.clone();
    gone.routes.clear();
    gone.unassigned = (0..2)
        .map(|job| giro::solver::Unassigned {
            job,
            reason: giro::solver::Reason::NoRoom,
        })
        .collect();
    assert!(kinds(&gone).contains(&K::Prefix));
}

#[test]
fn prefixes_that_make_no_sense_name_the_field() {
    let base = problem(
        vec![vehicle("van", 0, 2)],
        vec![ride("a", 1, 3, (0.0, 600.0))],
    );
    let done = |role, start| giro::solver::Visit {
        job: 0,
        role,
        arrival: start,
        start,
        setup: 0.0,
        departure: start + 2.0,
    };
    let with = |vehicle, visits: Vec<giro::solver::Visit>| {
        let mut p = base.clone();
        p.prefixes = vec![Prefix {
            vehicle,
            start: 0.0,
            visits,
            ready: 50.0,
            loaded: vec![],
            closed: false,
        }];
        p.validate().unwrap_err().field
    };
    assert_eq!(with(3, vec![]), "prefixes[0].vehicle");
    assert_eq!(
        with(0, vec![done(StopRole::Dropoff, 10.0)]),
        "prefixes[0].visits[0].role"
    );
    assert_eq!(
        with(
            0,
            vec![done(StopRole::Pickup, 20.0), done(StopRole::Dropoff, 10.0)]
        ),
        "prefixes[0].visits[1].start"
    );
    assert_eq!(
        with(
            0,
            vec![done(StopRole::Pickup, 10.0), done(StopRole::Pickup, 20.0)]
        ),
        "prefixes[0].visits[1].job"
    );
}

#[test]
fn a_withdrawn_vehicle_takes_its_riders_home_and_no_one_else() {
    let jobs = vec![
        ride("on board", 1, 4, (0.0, 600.0)),
        ride("next", 4, 5, (0.0, 600.0)),
    ];
    let mut p = problem(vec![vehicle("van", 0, 2), vehicle("car", 9, 2)], jobs);
    p.prefixes = vec![Prefix {
        vehicle: 0,
        start: 0.0,
        visits: vec![giro::solver::Visit {
            job: 0,
            role: StopRole::Pickup,
            arrival: 10.0,
            start: 10.0,
            setup: 0.0,
            departure: 12.0,
        }],
        ready: 12.0,
        loaded: vec![],
        closed: true,
    }];
    let s = solved(&p, None);
    assert_eq!(
        route_of(&s, 0),
        0,
        "the rider on board goes home with the van"
    );
    assert_eq!(route_of(&s, 1), 1, "the van takes no one new: {s:#?}");
}
