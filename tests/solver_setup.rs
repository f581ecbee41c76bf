//! A place's setup time (parking, the lift) is paid once by consecutive visits
//! there: the solver plans it, `time_route` times it, the checker verifies it.

use std::time::Duration;

use giro::solver::check::{check, ViolationKind as K};
use giro::solver::{
    solve, time_route, Job, JobId, Layout, Matrix, Options, Problem, Route, Solution, Stop,
    StopRole, TimeWindow, Vehicle, Visit,
};
use StopRole::{Dropoff as D, Pickup as P};

mod common;
use common::assert_checked;

/// Places 0..=3 on a line, 10 minutes and 1 km per step; the van's depot is 0.
/// Two wheelchair users board at place 1 (setup 5: the lift) and alight at
/// place 2 (setup 3).
fn riders() -> Problem {
    let stop = |location, open, close, service| Stop {
        location,
        window: TimeWindow::new(open, close),
        service,
    };
    let rider = |id: &str| {
        let mut j = Job::ride(
            id,
            stop(1, 10.0, 60.0, 2.0),
            stop(2, 0.0, 300.0, 1.0),
            vec![0, 1],
        );
        j.skills = vec!["lift".into()];
        j
    };
    let p = Problem {
        prefixes: Vec::new(),
        name: "lift".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix: Matrix::from_fn(4, |a, b| {
            let steps = a.abs_diff(b) as f64;
            (10.0 * steps, steps)
        }),
        vehicles: vec![Vehicle {
            id: "van".into(),
            start: 0,
            end: 0,
            shift: TimeWindow::new(0.0, 300.0),
            max_duration: None,
            fixed_cost: 0.0,
            cost_per_distance: 1.0,
            cost_per_time: 0.0,
            skills: vec!["lift".into()],
            layouts: vec![Layout {
                name: "two chairs".into(),
                capacity: vec![2, 2],
            }],
        }],
        jobs: vec![rider("anna"), rider("bruno")],
        links: vec![],
        setup: vec![0.0, 5.0, 3.0, 0.0],
    };
    p.validate().unwrap();
    p
}

fn options() -> Options {
    Options {
        iterations: Some(300),
        time_limit: Some(Duration::from_secs(5)),
        ..Options::default()
    }
}

fn alone(route: Route) -> Solution {
    Solution {
        cost: route.cost,
        distance: route.distance,
        proved_optimal: false,
        routes: vec![route],
        unassigned: vec![],
    }
}

/// (arrival, start, setup, departure) per visit.
fn times(route: &Route) -> Vec<(f64, f64, f64, f64)> {
    route
        .visits
        .iter()
        .map(|v| (v.arrival, v.start, v.setup, v.departure))
        .collect()
}

fn sequence(route: &Route) -> Vec<(JobId, StopRole)> {
    route.visits.iter().map(|v| (v.job, v.role)).collect()
}

#[test]
fn two_wheelchair_riders_boarding_together_pay_the_lift_once() {
    let p = riders();
    let s = solve(&p, &options()).unwrap();
    assert_checked(&p, &s);
    assert!(s.unassigned.is_empty());
    let route = &s.routes[0];
    let roles: Vec<StopRole> = route.visits.iter().map(|v| v.role).collect();
    assert_eq!(roles, [P, P, D, D], "both board, then both alight");
    // Lift out at 10 (5) and the first boards (2); the second boards (2) with
    // the lift still out. At place 2 the same: 3 once, then 1 and 1.
    assert_eq!(
        times(route),
        [
            (10.0, 10.0, 5.0, 17.0),
            (17.0, 17.0, 0.0, 19.0),
            (29.0, 29.0, 3.0, 33.0),
            (33.0, 33.0, 0.0, 34.0),
        ]
    );
    assert_eq!((route.start, route.end), (0.0, 54.0));
    assert_eq!(route.distance, 4.0);
}

#[test]
fn timing_a_sequence_pays_a_setup_at_each_new_arrival() {
    let p = riders();
    // One rider at a time: the lift goes out at every stop.
    let one_by_one = [(0, P), (0, D), (1, P), (1, D)];
    let route = time_route(&p, 0, &one_by_one).unwrap();
    assert_eq!(
        times(&route),
        [
            (10.0, 10.0, 5.0, 17.0),
            (27.0, 27.0, 3.0, 31.0),
            (41.0, 41.0, 5.0, 48.0),
            (58.0, 58.0, 3.0, 62.0),
        ]
    );
    assert_eq!(route.end, 82.0);
    let report = check(&p, &alone(route));
    assert!(report.is_feasible(), "{:#?}", report.violations);

    // The solver's own route, timed again by hand, is the same in every figure.
    let s = solve(&p, &options()).unwrap();
    let again = time_route(&p, 0, &sequence(&s.routes[0])).unwrap();
    assert_eq!(again, s.routes[0]);
}

#[test]
fn the_checker_recomputes_the_setup_from_the_order_of_the_visits() {
    let p = riders();
    let s = solve(&p, &options()).unwrap();

    // The second rider's boarding claims the lift was set up again.
    let mut claimed = s.clone();
    let v = &mut claimed.routes[0].visits[1];
    v.setup = 5.0;
    v.departure = v.start + 5.0 + 2.0;
    let r = check(&p, &claimed);
    let bad = r
        .violations
        .iter()
        .find(|x| x.kind == K::Schedule && x.visit == Some(1) && x.message.contains("setup"))
        .unwrap_or_else(|| panic!("{:#?}", r.violations));
    assert_eq!((bad.value, bad.limit), (Some(5.0), Some(0.0)));

    // The first rider's boarding reports its setup but leaves without it.
    let mut hurried = s.clone();
    hurried.routes[0].visits[0].departure = 12.0;
    let r = check(&p, &hurried);
    let kinds: Vec<_> = r.violations.iter().map(|x| (x.kind, x.visit)).collect();
    assert_eq!(kinds, [(K::Schedule, Some(0))]);
    assert_eq!(
        (r.violations[0].value, r.violations[0].limit),
        (Some(12.0), Some(17.0))
    );

    // Against the same day without setups, the plan's setups are refused.
    let mut none = riders();
    none.setup.clear();
    let r = check(&none, &s);
    assert!(
        r.violations.iter().all(|x| x.kind == K::Schedule),
        "{:#?}",
        r.violations
    );
    assert_eq!(
        r.violations.iter().map(|x| x.visit).collect::<Vec<_>>(),
        [Some(0), Some(0), Some(2), Some(2)],
        "the setup reported and the departure, where none is paid"
    );
}

#[test]
fn plans_and_problems_written_before_setups_still_read() {
    let v: Visit =
        serde_json::from_str(r#"{"job":0,"role":"pickup","arrival":1,"start":2,"departure":3}"#)
            .unwrap();
    assert_eq!(v.setup, 0.0);
    let mut json = serde_json::to_value(riders()).unwrap();
    json.as_object_mut().unwrap().remove("setup");
    let p: Problem = serde_json::from_value(json).unwrap();
    assert!(p.setup.is_empty());
    assert_eq!(p.setup_paid(None, 1), 0.0);
    assert_eq!(riders().setup_paid(None, 1), 5.0);
    assert_eq!(riders().setup_paid(Some(1), 1), 0.0);
    assert_eq!(riders().setup_paid(Some(2), 1), 5.0);
}
