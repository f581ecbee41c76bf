//! `solver::fit`: one more job into a day's plan as it stands. A job that fits
//! goes to the cheapest place (checked against every place tried by hand) and
//! the plan with it passes the checker; one that does not is named the reason.

use giro::solver::check::check;
use giro::solver::{
    fit, fit_ways, time_route, FitError, Job, JobId, Layout, Link, Matrix, MaxRide, Problem,
    Reason, Route, Solution, Stop, StopRole, TimeWindow, Timer, Unassigned, Vehicle,
};
use StopRole::{Dropoff as D, Pickup as P};

mod common;
use common::{assert_checked, cost_close};

const W: JobId = 0; // wheelchair user, on the van
const A: JobId = 1;
const FITS: JobId = 4;
const CHAIR: JobId = 5;
const OXYGEN: JobId = 6;
const EARLY: JobId = 7;
const BOAT: JobId = 8;
const HURRY: JobId = 9;
const BACK_LATE: JobId = 10;
const BACK: JobId = 11;
const BEFORE_C: JobId = 12;

fn stop(location: usize, open: f64, close: f64) -> Stop {
    Stop {
        location,
        window: TimeWindow::new(open, close),
        service: 2.0,
    }
}

fn ride(id: &str, from: usize, to: usize, load: [i32; 2], skills: &[&str]) -> Job {
    let mut j = Job::ride(
        id,
        stop(from, 0.0, 500.0),
        stop(to, 0.0, 500.0),
        load.to_vec(),
    );
    j.skills = skills.iter().map(|s| s.to_string()).collect();
    j
}

fn vehicle(id: &str, fixed: f64, skills: &[&str], capacity: [i32; 2]) -> Vehicle {
    Vehicle {
        id: id.into(),
        start: 0,
        end: 0,
        shift: TimeWindow::new(0.0, 600.0),
        max_duration: None,
        fixed_cost: fixed,
        cost_per_distance: 1.0,
        cost_per_time: 0.0,
        skills: skills.iter().map(|s| s.to_string()).collect(),
        layouts: vec![Layout {
            name: "usual".into(),
            capacity: capacity.to_vec(),
        }],
    }
}

/// Places 0..=7 on a line, 10 minutes and 1 km per step, setups at 1, 2 and 4.
/// The van (lift, four seats, one wheelchair place) carries jobs 0..=3; the car (fixed
/// cost 50) and the ambulance (oxygen, fixed cost 100) are unused. Jobs 4.. are
/// left out, each to test one answer.
fn day() -> (Problem, Solution) {
    let mut jobs = vec![
        ride("w", 1, 7, [0, 1], &["lift"]),
        ride("a", 1, 4, [1, 0], &[]),
        ride("b", 2, 5, [1, 0], &[]),
        ride("c", 3, 6, [1, 0], &[]),
        ride("fits", 2, 4, [1, 0], &[]),
        ride("chair", 2, 6, [0, 1], &["lift"]),
        ride("oxygen", 1, 3, [1, 0], &["oxygen"]),
        ride("early", 7, 6, [1, 0], &[]),
        ride("boat", 1, 2, [1, 0], &["boat"]),
        ride("hurry", 1, 7, [1, 0], &[]),
        ride("back late", 7, 1, [0, 1], &["lift"]),
        ride("back", 4, 1, [1, 0], &["oxygen"]),
        ride("before c", 2, 3, [1, 0], &["oxygen"]),
    ];
    jobs[W].pickup.as_mut().unwrap().window = TimeWindow::new(20.0, 30.0);
    jobs[CHAIR].pickup.as_mut().unwrap().window = TimeWindow::new(30.0, 50.0);
    jobs[EARLY].pickup.as_mut().unwrap().window = TimeWindow::new(0.0, 5.0);
    jobs[HURRY].max_ride = Some(MaxRide::minutes(30.0));
    jobs[BACK_LATE].pickup.as_mut().unwrap().window = TimeWindow::new(0.0, 100.0);
    let link = |outbound, inbound, min_gap| Link {
        outbound,
        inbound,
        min_gap,
        same_vehicle: false,
    };
    let p = Problem {
        prefixes: Vec::new(),
        name: "fit".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix: Matrix::from_fn(8, |a, b| {
            let steps = a.abs_diff(b) as f64;
            (10.0 * steps, steps)
        }),
        vehicles: vec![
            vehicle("van", 0.0, &["lift"], [4, 1]),
            vehicle("car", 50.0, &[], [3, 0]),
            vehicle("ambulance", 100.0, &["oxygen"], [2, 0]),
        ],
        jobs,
        links: vec![
            link(W, BACK_LATE, 200.0),
            link(A, BACK, 30.0),
            link(BEFORE_C, 3, 10.0),
        ],
        setup: vec![0.0, 4.0, 4.0, 0.0, 2.0, 0.0, 0.0, 0.0],
    };
    p.validate().unwrap();
    let van = time_route(
        &p,
        0,
        &[
            (W, P),
            (A, P),
            (2, P),
            (3, P),
            (A, D),
            (2, D),
            (3, D),
            (W, D),
        ],
    )
    .unwrap();
    let unassigned: Vec<Unassigned> = (4..p.jobs.len())
        .map(|job| Unassigned {
            job,
            reason: Reason::NoRoom,
        })
        .collect();
    let penalty: f64 = unassigned.iter().map(|u| p.jobs[u.job].priority).sum();
    let s = Solution {
        cost: van.cost + penalty,
        distance: van.distance,
        proved_optimal: false,
        routes: vec![van],
        unassigned,
    };
    assert_checked(&p, &s);
    (p, s)
}

/// `s` with `route` in place of its vehicle's and `job` no longer left out.
fn with(p: &Problem, s: &Solution, route: Route, job: JobId) -> Solution {
    let mut out = s.clone();
    out.routes.retain(|r| r.vehicle != route.vehicle);
    out.routes.push(route);
    out.unassigned.retain(|u| u.job != job);
    out.cost = out.routes.iter().map(|r| r.cost).sum::<f64>()
        + out
            .unassigned
            .iter()
            .map(|u| p.jobs[u.job].priority)
            .sum::<f64>();
    out.distance = out.routes.iter().map(|r| r.distance).sum();
    out
}

/// The cheapest route cost added by `job`, over every vehicle and every pair
/// of places in its sequence, each timed and passed through the checker.
fn cheapest_by_hand(p: &Problem, s: &Solution, job: JobId) -> Option<(f64, usize)> {
    (0..p.vehicles.len())
        .filter_map(|v| cheapest_on(p, s, job, v))
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// [`cheapest_by_hand`] on vehicle `v` alone.
fn cheapest_on(p: &Problem, s: &Solution, job: JobId, v: usize) -> Option<(f64, usize)> {
    let mut timer = Timer::new(p);
    let mut best: Option<(f64, usize)> = None;
    {
        // A return whose outbound rides another vehicle waits for it.
        let ready: Vec<(JobId, f64)> = p
            .links
            .iter()
            .filter(|l| l.inbound == job)
            .flat_map(|l| {
                s.routes
                    .iter()
                    .filter(|r| r.vehicle != v)
                    .flat_map(move |r| {
                        r.visits
                            .iter()
                            .filter(move |x| x.job == l.outbound && x.role == D)
                            .map(move |x| (job, x.departure + l.min_gap))
                    })
            })
            .collect();
        let old = s.routes.iter().find(|r| r.vehicle == v);
        let seq: Vec<(JobId, StopRole)> = old.map_or(Vec::new(), |r| {
            r.visits.iter().map(|x| (x.job, x.role)).collect()
        });
        for i in 0..=seq.len() {
            for k in i..=seq.len() {
                let mut new = seq.clone();
                new.insert(k, (job, D));
                new.insert(i, (job, P));
                let route = timer.time(v, &new, &ready).unwrap();
                let added = route.cost - old.map_or(0.0, |r| r.cost);
                if check(p, &with(p, s, route, job)).is_feasible()
                    && best.is_none_or(|(c, _)| added < c)
                {
                    best = Some((added, v));
                }
            }
        }
    }
    best
}

fn blocked(p: &Problem, s: &Solution, job: JobId) -> (Reason, Vec<(usize, Reason)>) {
    match fit(p, s, job) {
        Ok(f) => panic!("job {job} fits: {f:#?}"),
        Err(FitError::Blocked { reason, vehicles }) => (reason, vehicles),
        Err(e) => panic!("job {job}: {e}"),
    }
}

#[test]
fn a_job_that_fits_takes_the_cheapest_place_and_the_plan_still_checks() {
    let (p, s) = day();
    for job in [FITS, OXYGEN, BACK, BEFORE_C] {
        let f = fit(&p, &s, job).unwrap_or_else(|e| panic!("job {job}: {e}"));
        let (cheapest, vehicle) =
            cheapest_by_hand(&p, &s, job).unwrap_or_else(|| panic!("job {job}: none by hand"));
        assert!(
            cost_close(f.added_cost, cheapest),
            "job {job}: fit adds {} but by hand {cheapest} on vehicle {vehicle}",
            f.added_cost
        );
        let (pi, di) = (f.pickup_pos.unwrap(), f.dropoff_pos.unwrap());
        assert_eq!((f.route.visits[pi].job, f.route.visits[pi].role), (job, P));
        assert_eq!((f.route.visits[di].job, f.route.visits[di].role), (job, D));
        let applied = f.apply(&s);
        assert_checked(&p, &applied);
        assert!(applied.unassigned.iter().all(|u| u.job != job));
        assert!(cost_close(
            applied.cost,
            s.cost + f.added_cost - p.jobs[job].priority
        ));
    }
}

#[test]
fn every_way_to_fit_is_the_cheapest_on_its_vehicle_and_the_first_is_the_fit() {
    let (p, s) = day();
    for job in [FITS, OXYGEN, BACK, BEFORE_C] {
        let ways = fit_ways(&p, &s, job).unwrap_or_else(|e| panic!("job {job}: {e}"));
        assert_eq!(ways[0], fit(&p, &s, job).unwrap(), "job {job}");
        for (k, w) in ways.iter().enumerate() {
            assert!(
                ways[..k].iter().all(|o| o.vehicle != w.vehicle),
                "job {job}: one way per vehicle"
            );
            assert!(k == 0 || ways[k - 1].added_cost <= w.added_cost + 1e-9);
            let (cheapest, _) = cheapest_on(&p, &s, job, w.vehicle)
                .unwrap_or_else(|| panic!("job {job}: none by hand on {}", w.vehicle));
            assert!(
                cost_close(w.added_cost, cheapest),
                "job {job} on vehicle {}: {} against {cheapest} by hand",
                w.vehicle,
                w.added_cost
            );
            assert_checked(&p, &w.apply(&s));
        }
        // A vehicle with a route and no way for the job has none by hand either.
        for r in &s.routes {
            if !ways.iter().any(|w| w.vehicle == r.vehicle) {
                assert_eq!(cheapest_on(&p, &s, job, r.vehicle), None, "job {job}");
            }
        }
    }
    assert!(matches!(
        fit_ways(&p, &s, CHAIR),
        Err(FitError::Blocked { .. })
    ));
}

#[test]
fn a_ride_along_the_vans_way_shares_its_stops() {
    let (p, s) = day();
    let f = fit(&p, &s, FITS).unwrap();
    // Place 2 lies on the van's way and so does place 4: nothing to add.
    assert_eq!((f.vehicle, f.added_cost), (0, 0.0));
    assert_eq!(f.route.visits.len(), 10);
    // The van stops once at place 2 and once at place 4: one setup each.
    for (place, setup) in [(2, 4.0), (4, 2.0)] {
        let paid: f64 = f
            .route
            .visits
            .iter()
            .filter(|v| {
                let j = &p.jobs[v.job];
                let stop = if v.role == P { j.pickup } else { j.dropoff };
                stop.unwrap().location == place
            })
            .map(|v| v.setup)
            .sum();
        assert_eq!(paid, setup, "place {place}");
    }
}

#[test]
fn a_job_only_an_unused_vehicle_can_take_opens_its_route() {
    let (p, s) = day();
    let f = fit(&p, &s, OXYGEN).unwrap();
    assert_eq!(f.vehicle, 2);
    assert_eq!((f.pickup_pos, f.dropoff_pos), (Some(0), Some(1)));
    // Fixed cost 100, out to place 1, on to 3 and back: 6 km.
    assert_eq!(f.added_cost, 106.0);
    let applied = f.apply(&s);
    assert_eq!(applied.routes.len(), 2);
    assert_checked(&p, &applied);
}

#[test]
fn links_to_other_routes_hold_against_their_times() {
    let (p, s) = day();
    let van = &s.routes[0].visits;
    let a_left = van.iter().find(|v| v.job == A && v.role == D).unwrap();
    let c_boards = van.iter().find(|v| v.job == 3 && v.role == P).unwrap();

    // The return of a waits 30 minutes after a is set down.
    let f = fit(&p, &s, BACK).unwrap();
    assert_eq!(f.vehicle, 2, "only the ambulance has oxygen");
    let start = f.route.visits[f.pickup_pos.unwrap()].start;
    assert!(start >= a_left.departure + 30.0, "{start}");
    assert_eq!(start, a_left.departure + 30.0, "no later than needed");

    // The outbound of c must be done 10 minutes before c boards.
    let f = fit(&p, &s, BEFORE_C).unwrap();
    let done = f.route.visits[f.dropoff_pos.unwrap()].departure;
    assert!(
        done <= c_boards.start - 10.0,
        "{done} vs {}",
        c_boards.start
    );

    // With a gap of 20, c boards too soon after: the link is to blame.
    let mut tight = p.clone();
    tight.links[2].min_gap = 20.0;
    let (reason, vehicles) = blocked(&tight, &s, BEFORE_C);
    assert_eq!(reason, Reason::Link);
    assert_eq!(
        vehicles,
        [(0, Reason::Skills), (1, Reason::Skills), (2, Reason::Link)]
    );
}

#[test]
fn a_job_that_cannot_fit_is_named_the_reason() {
    let (p, s) = day();
    let all = |r: Reason| vec![(0, r), (1, r), (2, r)];
    // Nobody has a boat.
    assert_eq!(blocked(&p, &s, BOAT), (Reason::Skills, all(Reason::Skills)));
    // Place 7 is 70 minutes out; the pickup closes at 5.
    assert_eq!(blocked(&p, &s, EARLY).0, Reason::TimeWindow);
    // 60 minutes direct against a 30-minute limit.
    assert_eq!(blocked(&p, &s, HURRY).0, Reason::RideTime);
    // The return of w cannot start before w is set down plus 200 minutes,
    // long after its window closes.
    assert_eq!(blocked(&p, &s, BACK_LATE).0, Reason::Link);
    // Alone the van could take the wheelchair; today its one place is taken
    // by w from before the pickup window opens until after it closes.
    let (reason, vehicles) = blocked(&p, &s, CHAIR);
    assert_eq!(reason, Reason::Capacity);
    assert_eq!(
        vehicles,
        [
            (0, Reason::Capacity),
            (1, Reason::Skills),
            (2, Reason::Skills)
        ]
    );
}

#[test]
fn a_routed_or_unknown_job_and_a_plan_of_another_day_are_refused() {
    let (p, s) = day();
    let field = |job: JobId, s: &Solution| match fit(&p, s, job) {
        Err(FitError::Invalid(e)) => e.field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(A, &s), "routes[0].visits[1]");
    assert_eq!(field(99, &s), "job");
    let mut other = s.clone();
    other.routes[0].vehicle = 7;
    assert_eq!(field(FITS, &other), "routes[0].vehicle");
    let mut half = s.clone();
    half.routes[0].visits.remove(4);
    assert_eq!(field(FITS, &half), "routes[0].visits[1]");
}
