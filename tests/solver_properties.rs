//! Property tests: on random small days the solver's plans always pass the
//! independent checker, and the checker rejects those plans once corrupted.

use std::time::Duration;

use giro::solver::check::{check, Report, ViolationKind as K};
use giro::solver::{
    fit, solve, Job, Layout, Link, Matrix, MaxRide, Options, Preference, Prefix, Problem, Reason,
    Route, Solution, Stop, StopRole, TimeWindow, Timer, Unassigned, Vehicle, DEFAULT_PRIORITY,
};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

mod common;
use common::cost_close;

// ---------------------------------------------------------------------------
// Random problems

/// A stop window: kind 0-2 open, otherwise starting at `at` and `WIDTHS[kind]`
/// wide (kind 3 pins the time exactly).
const WIDTHS: [f64; 7] = [0.0, 0.0, 0.0, 0.0, 15.0, 45.0, 240.0];

#[derive(Debug, Clone)]
struct RawJob {
    /// 0 ride, 1 delivery from the start, 2 delivery from the meal centre,
    /// 3 collection to the end, 4 collection to the depot.
    kind: u8,
    from: usize,
    to: usize,
    load: u8,
    windows: ((u8, u16), (u8, u16)),
    service: u8,
    /// 0 none, 1 minutes (direct + slack), 2 factor with a cap.
    ride: (u8, u8),
    lift: bool,
    cheap: Option<u16>,
    /// A vehicle (modulo the fleet) it would rather ride on, and the wish's worth.
    prefer: Option<(usize, u8)>,
}

#[derive(Debug, Clone)]
struct RawVehicle {
    end: Option<usize>,
    shift: (u16, u16),
    max_duration: Option<u16>,
    fixed: u8,
    per_time: bool,
    layouts: Vec<(i32, i32)>,
    lift: bool,
}

#[derive(Debug, Clone)]
struct Raw {
    points: Vec<(u8, u8)>,
    vehicles: Vec<RawVehicle>,
    jobs: Vec<RawJob>,
    link: Option<(usize, usize, u8, bool)>,
}

fn raw_job() -> impl Strategy<Value = RawJob> {
    (
        (0u8..5, any::<usize>(), any::<usize>(), 0u8..4),
        ((0u8..7, 0u16..240), (0u8..7, 0u16..240)),
        (0u8..6, (0u8..3, 0u8..40)),
        (
            prop::bool::weighted(0.25),
            prop::option::weighted(0.3, 50u16..2000),
            prop::option::weighted(0.2, (any::<usize>(), 0u8..40)),
        ),
    )
        .prop_map(
            |((kind, from, to, load), windows, (service, ride), (lift, cheap, prefer))| RawJob {
                kind,
                from,
                to,
                load,
                windows,
                service,
                ride,
                lift,
                cheap,
                prefer,
            },
        )
}

fn raw_vehicle() -> impl Strategy<Value = RawVehicle> {
    (
        prop::option::weighted(0.3, any::<usize>()),
        (0u16..60, 40u16..500),
        prop::option::weighted(0.3, 60u16..300),
        (0u8..50, any::<bool>()),
        prop::collection::vec((1i32..6, 0i32..3), 1..=2),
        any::<bool>(),
    )
        .prop_map(
            |(end, shift, max_duration, (fixed, per_time), layouts, lift)| RawVehicle {
                end,
                shift,
                max_duration,
                fixed,
                per_time,
                layouts,
                lift,
            },
        )
}

fn raw() -> impl Strategy<Value = Raw> {
    (
        prop::collection::vec((0u8..=20, 0u8..=20), 2..=14),
        prop::collection::vec(raw_vehicle(), 1..=3),
        prop::collection::vec(raw_job(), 2..=12),
        prop::option::weighted(
            0.4,
            (any::<usize>(), any::<usize>(), 0u8..120, any::<bool>()),
        ),
    )
        .prop_map(|(points, vehicles, jobs, link)| Raw {
            points,
            vehicles,
            jobs,
            link,
        })
}

/// Location 0 is the depot and meal centre; Euclidean times on a 20 x 20 grid.
fn problem(raw: &Raw) -> Problem {
    let pts = &raw.points;
    let n = pts.len();
    let matrix = Matrix::from_fn(n, |a, b| {
        let dx = f64::from(pts[a].0) - f64::from(pts[b].0);
        let dy = f64::from(pts[a].1) - f64::from(pts[b].1);
        let d = (dx * dx + dy * dy).sqrt();
        (d, d)
    });
    let vehicles: Vec<Vehicle> = raw
        .vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut layouts: Vec<Layout> = v
                .layouts
                .iter()
                .enumerate()
                .map(|(k, &(seats, chairs))| Layout {
                    name: format!("layout {k}"),
                    capacity: vec![seats, chairs],
                })
                .collect();
            let (mut length, mut max_duration) =
                (f64::from(v.shift.1), v.max_duration.map(f64::from));
            if i == 0 {
                // Vehicle 0 can always serve job 0 alone (see `jobs`).
                layouts[0].capacity[0] = layouts[0].capacity[0].max(1);
                length = length.max(120.0);
                max_duration = max_duration.map(|m| m.max(120.0));
            }
            let start = f64::from(v.shift.0);
            Vehicle {
                id: format!("v{i}"),
                start: 0,
                end: if i == 0 {
                    0
                } else {
                    v.end.map_or(0, |e| e % n)
                },
                shift: TimeWindow::new(start, start + length),
                max_duration,
                fixed_cost: f64::from(v.fixed),
                cost_per_distance: 1.0,
                cost_per_time: if v.per_time { 0.5 } else { 0.0 },
                skills: if v.lift { vec!["lift".into()] } else { vec![] },
                layouts,
            }
        })
        .collect();

    let window = |(kind, at): (u8, u16)| {
        let w = WIDTHS[kind as usize];
        if kind < 3 {
            TimeWindow::open()
        } else {
            TimeWindow::new(f64::from(at), f64::from(at) + w)
        }
    };
    let jobs: Vec<Job> = raw
        .jobs
        .iter()
        .enumerate()
        .map(|(i, j)| {
            let (from, to) = (j.from % n, j.to % n);
            let service = f64::from(j.service);
            let pick = Stop {
                location: from,
                window: window(j.windows.0),
                service,
            };
            let drop = Stop {
                location: to,
                window: window(j.windows.1),
                service,
            };
            let load = match j.load {
                0 | 1 => vec![1, 0],
                2 => vec![0, 1],
                _ => vec![2, 0],
            };
            let id = format!("j{i}");
            let centre = Stop {
                location: 0,
                window: TimeWindow::open(),
                service: 1.0,
            };
            let mut job = match j.kind {
                0 => Job::ride(id, pick, drop, load),
                1 => Job::delivery(id, None, drop, load),
                2 => Job::delivery(id, Some(centre), drop, load),
                3 => Job::collection(id, pick, None, load),
                _ => Job::collection(id, pick, Some(centre), load),
            };
            let direct = matrix.time(from, to);
            job.max_ride = match j.ride.0 {
                0 => None,
                1 => Some(MaxRide::minutes(direct + f64::from(j.ride.1))),
                _ => Some(MaxRide {
                    minutes: None,
                    factor: Some(1.0 + f64::from(j.ride.1) / 10.0),
                    factor_cap: Some(direct + 15.0),
                }),
            };
            if j.lift {
                job.skills = vec!["lift".into()];
            }
            if let Some(p) = j.cheap {
                job.priority = f64::from(p);
            }
            if let Some((v, cost)) = j.prefer {
                job.prefer = Some(Preference {
                    vehicles: vec![v % raw.vehicles.len()],
                    cost: f64::from(cost),
                });
            }
            if i == 0 {
                // Always servable alone by vehicle 0: one seat, no window, no skill.
                job = Job::delivery("j0", None, drop, vec![1, 0]);
                job.dropoff.as_mut().unwrap().window = TimeWindow::open();
            }
            job
        })
        .collect();

    let links = raw
        .link
        .and_then(|(o, i, gap, same_vehicle)| {
            let (o, i) = (o % jobs.len(), i % jobs.len());
            (o != i && jobs[o].dropoff.is_some() && jobs[i].pickup.is_some()).then_some(Link {
                outbound: o,
                inbound: i,
                min_gap: f64::from(gap),
                same_vehicle,
            })
        })
        .into_iter()
        .collect();
    let p = Problem {
        prefixes: Vec::new(),
        name: "random".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix,
        vehicles,
        jobs,
        links,
        setup: vec![],
    };
    p.validate().expect("generated problems are valid");
    p
}

// ---------------------------------------------------------------------------
// Solving and checking

fn options(seed: u64, iterations: u64) -> Options {
    Options {
        seed,
        time_limit: Some(Duration::from_millis(2000)),
        iterations: Some(iterations),
        ..Default::default()
    }
}

fn solve_checked(p: &Problem, seed: u64, iterations: u64) -> Result<Solution, TestCaseError> {
    solve_checked_with(p, &options(seed, iterations))
}

/// Solves and checks the plan: feasible, with the checker's cost, every job
/// either routed with all its stops or listed once as unassigned.
fn solve_checked_with(p: &Problem, options: &Options) -> Result<Solution, TestCaseError> {
    let s = solve(p, options).expect("valid problems solve");
    let r = check(p, &s);
    prop_assert!(
        r.is_feasible(),
        "checker rejects the solver's plan: {:#?}\nplan: {:#?}",
        r.violations,
        s
    );
    prop_assert!(
        cost_close(r.cost, s.cost),
        "cost {} but the checker recomputes {}",
        s.cost,
        r.cost
    );
    prop_assert!(cost_close(r.distance, s.distance));
    let mut stops = vec![0usize; p.jobs.len()];
    for route in &s.routes {
        prop_assert!(
            !route.visits.is_empty(),
            "empty route reported: {:?}",
            route
        );
        for v in &route.visits {
            stops[v.job] += 1;
        }
    }
    let mut listed = vec![0usize; p.jobs.len()];
    for u in &s.unassigned {
        listed[u.job] += 1;
    }
    for (j, job) in p.jobs.iter().enumerate() {
        let needed = usize::from(job.pickup.is_some()) + usize::from(job.dropoff.is_some());
        prop_assert!(
            (stops[j] == needed && listed[j] == 0) || (stops[j] == 0 && listed[j] == 1),
            "job {j}: {} visits of {needed}, listed {} times as unassigned",
            stops[j],
            listed[j]
        );
    }
    Ok(s)
}

/// The problem with only `job` (and its links dropped), at a priority high
/// enough that leaving it out is never cheaper than serving it.
fn alone(p: &Problem, job: usize) -> Problem {
    let mut job = p.jobs[job].clone();
    job.priority = DEFAULT_PRIORITY;
    Problem {
        prefixes: Vec::new(),
        jobs: vec![job],
        links: vec![],
        ..p.clone()
    }
}

/// An unassigned job's reason fits the job seen alone: NoRoom means some
/// vehicle could take it on its own; Skills means none has the skills; any
/// other reason (but Link, which needs the other job) means alone it is left
/// out for the same reason.
fn check_reason(p: &Problem, u: &Unassigned) -> Result<(), TestCaseError> {
    let job = &p.jobs[u.job];
    let skilled = p
        .vehicles
        .iter()
        .any(|v| job.skills.iter().all(|s| v.skills.contains(s)));
    prop_assert_eq!(u.reason == Reason::Skills, !skilled, "{:?}", u);
    if u.reason == Reason::Link {
        // The return, or an outbound that must share a vehicle with its return.
        prop_assert!(
            p.links
                .iter()
                .any(|l| l.inbound == u.job || (l.same_vehicle && l.outbound == u.job)),
            "{:?}",
            u
        );
        return Ok(());
    }
    let s = solve_checked(&alone(p, u.job), 1, 10)?;
    if u.reason == Reason::NoRoom {
        prop_assert!(
            s.unassigned.is_empty(),
            "{:?} but alone: {:?}",
            u,
            s.unassigned
        );
    } else {
        let expected = vec![Unassigned {
            job: 0,
            reason: u.reason,
        }];
        prop_assert_eq!(&s.unassigned, &expected, "{:?}", u);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Corruptions

const CORRUPTIONS: u8 = 13;

/// Applies corruption `what` to a copy of `s`, at a route and visit chosen by
/// `a` and `b`; returns the plan and a violation kind the checker must report.
fn corrupt(p: &Problem, s: &Solution, what: u8, a: usize, b: usize) -> (Solution, K) {
    let mut c = s.clone();
    let r = a % c.routes.len();
    let n = c.routes[r].visits.len();
    let i = b % n;
    let service = |c: &Solution, r: usize, i: usize| {
        let v = &c.routes[r].visits[i];
        let job = &p.jobs[v.job];
        match v.role {
            StopRole::Pickup => job.pickup.unwrap(),
            StopRole::Dropoff => job.dropoff.unwrap(),
        }
    };
    match what {
        // A start earlier than the arrival.
        0 => {
            let sv = service(&c, r, i).service;
            let v = &mut c.routes[r].visits[i];
            v.start = v.arrival - 1.0;
            v.departure = v.start + sv;
            (c, K::Schedule)
        }
        // A pickup after its dropoff (or, with no such pair, a visit dropped).
        1 => {
            let route = &mut c.routes[r];
            let pair = (0..n).find_map(|pi| {
                let v = &route.visits[(pi + i) % n];
                (v.role == StopRole::Pickup)
                    .then(|| {
                        route
                            .visits
                            .iter()
                            .position(|w| w.job == v.job && w.role == StopRole::Dropoff)
                            .map(|di| ((pi + i) % n, di))
                    })
                    .flatten()
            });
            match pair {
                Some((pi, di)) => {
                    route.visits.swap(pi, di);
                    (c, K::PrecedenceOrder)
                }
                None => corrupt(p, s, 2, a, b),
            }
        }
        // A visit dropped: a stop missing, or the job nowhere.
        2 => {
            let v = c.routes[r].visits.remove(i);
            let job = &p.jobs[v.job];
            let kind = if job.pickup.is_some() && job.dropoff.is_some() {
                K::JobMissingStop
            } else {
                K::Unlisted
            };
            (c, kind)
        }
        // A route's reported cost.
        3 => {
            c.routes[r].cost += 1.0 + 0.01 * c.routes[r].cost.abs();
            (c, K::Cost)
        }
        // A job served again in another route (a new one if need be).
        4 => {
            let job = c.routes[r].visits[i].job;
            let copies: Vec<_> = c.routes[r]
                .visits
                .iter()
                .filter(|v| v.job == job)
                .cloned()
                .collect();
            match (0..c.routes.len()).find(|&o| o != r) {
                Some(o) => c.routes[o].visits.extend(copies),
                None => {
                    let vehicle = (c.routes[r].vehicle + 1) % p.vehicles.len();
                    c.routes.push(Route {
                        vehicle,
                        layout: 0,
                        start: 0.0,
                        end: 0.0,
                        visits: copies,
                        distance: 0.0,
                        cost: 0.0,
                    });
                }
            }
            (c, K::JobServedTwice)
        }
        // A start outside its window.
        5 => {
            let stop = service(&c, r, i);
            let w = stop.window;
            let v = &mut c.routes[r].visits[i];
            v.start = if b.is_multiple_of(2) && w.end < 1e9 {
                w.end + 1.0
            } else {
                w.start - 1.0
            };
            v.departure = v.start + stop.service;
            (c, K::TimeWindow)
        }
        // An arrival before the travel from the previous place could end.
        6 => {
            let route = &c.routes[r];
            let (at, departure) = if i == 0 {
                (p.vehicles[route.vehicle].start, route.start)
            } else {
                let prev = service(&c, r, i - 1).location;
                (prev, route.visits[i - 1].departure)
            };
            let here = service(&c, r, i).location;
            c.routes[r].visits[i].arrival = departure + p.matrix.time(at, here) - 1.0;
            (c, K::Schedule)
        }
        // Back at the end before the last leg could be driven.
        7 => {
            let route = &c.routes[r];
            let last = service(&c, r, n - 1).location;
            let end = p.vehicles[route.vehicle].end;
            c.routes[r].end = route.visits[n - 1].departure + p.matrix.time(last, end) - 1.0;
            (c, K::Schedule)
        }
        // The solution's total cost.
        8 => {
            c.cost += 1.0 + 1e-3 * c.cost.abs();
            (c, K::Cost)
        }
        // A layout the vehicle does not have.
        9 => {
            c.routes[r].layout = p.vehicles[c.routes[r].vehicle].layouts.len();
            (c, K::UnknownLayout)
        }
        // Leaving before the shift starts.
        10 => {
            c.routes[r].start = p.vehicles[c.routes[r].vehicle].shift.start - 1.0;
            (c, K::ShiftEnd)
        }
        // A vehicle that does not exist.
        11 => {
            c.routes[r].vehicle = p.vehicles.len() + b % 3;
            (c, K::UnknownVehicle)
        }
        // A left-out job forgotten, or a routed one listed as left out.
        _ => match c.unassigned.len() {
            0 => {
                let job = c.routes[r].visits[i].job;
                c.unassigned.push(Unassigned {
                    job,
                    reason: Reason::NoRoom,
                });
                c.cost += p.jobs[job].priority;
                (c, K::JobServedTwice)
            }
            m => {
                let u = c.unassigned.remove(b % m);
                c.cost -= p.jobs[u.job].priority;
                (c, K::Unlisted)
            }
        },
    }
}

fn kinds(r: &Report) -> Vec<K> {
    r.violations.iter().map(|v| v.kind).collect()
}

// ---------------------------------------------------------------------------
// Properties

/// 64 cases from a fixed seed, so that a failure reproduces; PROPTEST_CASES
/// and PROPTEST_RNG_SEED override both. Failures are reported in full, with
/// no regression files next to the tests.
fn config() -> ProptestConfig {
    let env = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            env.cases
        } else {
            64
        },
        rng_seed: match env.rng_seed {
            RngSeed::Random => RngSeed::Fixed(20_240_611),
            fixed => fixed,
        },
        failure_persistence: None,
        ..env
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn solver_plans_pass_the_checker(raw in raw(), seed in 0u64..1000, sp in any::<bool>()) {
        let p = problem(&raw);
        let options = Options { set_partitioning: sp, ..options(seed, 200) };
        let s = solve_checked_with(&p, &options)?;
        // Job 0 alone fits vehicle 0, so something is always routed.
        prop_assert!(!s.routes.is_empty());
        for u in &s.unassigned {
            check_reason(&p, u)?;
        }
    }

    #[test]
    fn corrupted_plans_are_rejected(
        raw in raw(),
        seed in 0u64..1000,
        what in 0..CORRUPTIONS,
        a in any::<usize>(),
        b in any::<usize>(),
    ) {
        let p = problem(&raw);
        let s = solve_checked(&p, seed, 200)?;
        prop_assert!(!s.routes.is_empty());
        let (bad, kind) = corrupt(&p, &s, what, a, b);
        let r = check(&p, &bad);
        prop_assert!(!r.is_feasible(), "corruption {} accepted: {:#?}", what, bad);
        prop_assert!(
            kinds(&r).contains(&kind),
            "corruption {} should be reported as {:?}: {:#?}",
            what,
            kind,
            r.violations
        );
    }
}

proptest! {
    #![proptest_config(config())]

    /// With setup times at the places (shared by consecutive visits there),
    /// plans still pass the checker, and a visit claiming the other setup
    /// than the one its place in the route pays is refused.
    #[test]
    fn solver_plans_with_setups_pass_the_checker(
        raw in raw(),
        setup in prop::collection::vec(0u8..8, 14),
        seed in 0u64..1000,
        a in any::<usize>(),
        b in any::<usize>(),
    ) {
        let mut p = problem(&raw);
        p.setup = setup[..p.matrix.size()].iter().map(|&s| f64::from(s)).collect();
        p.validate().expect("setups are valid");
        let s = solve_checked(&p, seed, 200)?;
        for u in &s.unassigned {
            check_reason(&p, u)?;
        }
        let mut c = s.clone();
        let r = a % c.routes.len();
        let i = b % c.routes[r].visits.len();
        let v = &mut c.routes[r].visits[i];
        v.setup = if v.setup > 0.0 { 0.0 } else { 1.0 };
        let report = check(&p, &c);
        prop_assert!(
            report.violations.iter().any(|x| x.kind == K::Schedule && x.visit == Some(i)),
            "a wrong setup at visit {} of route {} accepted: {:#?}",
            i,
            r,
            report.violations
        );
    }
}

/// `s` without job `j`: its route timed again without it (`None` when that
/// plan breaks a rule, e.g. a link to another route it now misses).
fn without(p: &Problem, s: &Solution, j: usize) -> Option<(Solution, f64)> {
    let r = s
        .routes
        .iter()
        .position(|r| r.visits.iter().any(|v| v.job == j))?;
    let mut out = s.clone();
    let old = out.routes.remove(r);
    let seq: Vec<(usize, StopRole)> = old
        .visits
        .iter()
        .filter(|v| v.job != j)
        .map(|v| (v.job, v.role))
        .collect();
    let ready: Vec<(usize, f64)> = p
        .links
        .iter()
        .filter_map(|l| {
            let out = s.routes.iter().filter(|x| x.vehicle != old.vehicle);
            let at = out
                .flat_map(|x| &x.visits)
                .find(|v| v.job == l.outbound && v.role == StopRole::Dropoff)?;
            Some((l.inbound, at.departure + l.min_gap))
        })
        .collect();
    let mut cost = 0.0;
    if !seq.is_empty() {
        let route = Timer::new(p).time(old.vehicle, &seq, &ready).unwrap();
        cost = route.cost;
        out.routes.push(route);
    }
    out.unassigned.push(Unassigned {
        job: j,
        reason: Reason::NoRoom,
    });
    out.cost += cost - old.cost + p.jobs[j].priority;
    out.distance = out.routes.iter().map(|r| r.distance).sum();
    check(p, &out)
        .is_feasible()
        .then_some((out, old.cost - cost))
}

proptest! {
    #![proptest_config(config())]

    /// A routed job taken out fits back, at no more than it cost where it was
    /// (when no vehicle pays for time, so that cost bounds are exact), and
    /// the plan with it passes the checker; so does any job fit in anew.
    #[test]
    fn a_job_taken_out_fits_back(
        raw in raw(),
        setup in prop::collection::vec(0u8..8, 14),
        seed in 0u64..1000,
    ) {
        fits_back(&raw, &setup, seed)?;
    }
}

fn fits_back(raw: &Raw, setup: &[u8], seed: u64) -> Result<(), TestCaseError> {
    let mut p = problem(raw);
    if seed.is_multiple_of(2) {
        p.setup = setup[..p.matrix.size()]
            .iter()
            .map(|&s| f64::from(s))
            .collect();
    }
    let s = solve_checked(&p, seed, 200)?;
    let exact = p.vehicles.iter().all(|v| v.cost_per_time == 0.0);
    let mut tried = 0;
    for j in 0..p.jobs.len() {
        let Some((out, was)) = without(&p, &s, j) else {
            continue;
        };
        tried += 1;
        let f = fit(&p, &out, j);
        prop_assert!(f.is_ok(), "job {} fitted before: {:?}", j, f);
        let f = f.unwrap();
        if exact {
            prop_assert!(
                f.added_cost <= was + 1e-6,
                "job {}: {} vs {}",
                j,
                f.added_cost,
                was
            );
        }
        let back = f.apply(&out);
        let r = check(&p, &back);
        prop_assert!(r.is_feasible(), "job {}: {:#?}", j, r.violations);
        prop_assert!(cost_close(r.cost, back.cost), "{} vs {}", r.cost, back.cost);
    }
    prop_assert!(
        tried > 0 || s.routes.is_empty(),
        "no job could be taken out"
    );
    for u in &s.unassigned {
        if let Ok(f) = fit(&p, &s, u.job) {
            let r = check(&p, &f.apply(&s));
            prop_assert!(r.is_feasible(), "job {}: {:#?}", u.job, r.violations);
        }
    }
    Ok(())
}

/// A case the property test found (PROPTEST_CASES=6000): a link and a
/// setup, and a job taken out that fit did not put back.
#[test]
fn a_job_taken_out_fits_back_beside_a_link_and_a_setup() {
    let raw = Raw {
        points: vec![(2, 6), (0, 5), (0, 4), (0, 0), (0, 0), (13, 3)],
        vehicles: vec![
            RawVehicle {
                end: None,
                shift: (0, 185),
                max_duration: None,
                fixed: 0,
                per_time: false,
                layouts: vec![(2, 0)],
                lift: false,
            },
            RawVehicle {
                end: None,
                shift: (53, 51),
                max_duration: None,
                fixed: 0,
                per_time: false,
                layouts: vec![(1, 1)],
                lift: false,
            },
        ],
        jobs: vec![
            RawJob {
                kind: 0,
                from: 0,
                to: 150635004699938958,
                load: 0,
                windows: ((0, 0), (0, 0)),
                service: 0,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            },
            RawJob {
                kind: 0,
                from: 0,
                to: 0,
                load: 0,
                windows: ((0, 0), (0, 0)),
                service: 0,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            },
            RawJob {
                kind: 3,
                from: 905404951273809588,
                to: 0,
                load: 0,
                windows: ((6, 0), (0, 0)),
                service: 1,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            },
            RawJob {
                kind: 0,
                from: 0,
                to: 0,
                load: 0,
                windows: ((0, 0), (0, 0)),
                service: 0,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            },
            RawJob {
                kind: 0,
                from: 0,
                to: 0,
                load: 0,
                windows: ((0, 0), (0, 0)),
                service: 0,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            },
            RawJob {
                kind: 0,
                from: 6662039871266415263,
                to: 3750458725635083117,
                load: 2,
                windows: ((0, 0), (0, 0)),
                service: 4,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            },
            RawJob {
                kind: 0,
                from: 0,
                to: 0,
                load: 0,
                windows: ((0, 0), (3, 0)),
                service: 0,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            },
        ],
        link: Some((5861956869924030027, 1197849825758203255, 50, false)),
    };
    let mut setup = vec![0u8; 14];
    setup[5] = 6;
    fits_back(&raw, &setup, 200).unwrap();
}

/// Every corruption is reachable and rejected on one fixed plan.
#[test]
fn every_corruption_is_rejected_on_a_fixed_plan() {
    let raw = Raw {
        points: vec![(0, 0), (5, 0), (5, 5), (0, 5), (10, 10)],
        vehicles: vec![RawVehicle {
            end: None,
            shift: (0, 300),
            max_duration: None,
            fixed: 10,
            per_time: true,
            layouts: vec![(4, 1)],
            lift: true,
        }],
        jobs: (0..4)
            .map(|k| RawJob {
                kind: k as u8 % 3,
                from: k + 1,
                to: k + 2,
                load: 0,
                windows: ((0, 0), (0, 0)),
                service: 2,
                ride: (0, 0),
                lift: false,
                cheap: None,
                prefer: None,
            })
            .collect(),
        link: None,
    };
    let mut p = problem(&raw);
    // One job that no vehicle can take, for the unassigned corruptions.
    let mut x = p.jobs[1].clone();
    x.skills = vec!["hoist".into()];
    p.jobs.push(x);
    let s = solve_checked(&p, 1, 100).unwrap();
    assert_eq!(s.unassigned.len(), 1);
    assert!(s.routes[0].visits.len() >= 6, "{:#?}", s.routes);
    for what in 0..CORRUPTIONS {
        for (a, b) in [(0, 0), (0, 1), (0, 5), (1, 3)] {
            let (bad, kind) = corrupt(&p, &s, what, a, b);
            let r = check(&p, &bad);
            assert!(
                kinds(&r).contains(&kind),
                "corruption {what} at {b}: {kind:?} not in {:#?}",
                r.violations
            );
        }
    }
    // With nothing unassigned, corruption 12 lists a routed job instead.
    let mut served = s.clone();
    served.unassigned.clear();
    p.jobs.pop();
    served.cost -= DEFAULT_PRIORITY;
    assert!(check(&p, &served).is_feasible());
    let (bad, kind) = corrupt(&p, &served, 12, 0, 0);
    assert_eq!(kind, K::JobServedTwice);
    assert!(kinds(&check(&p, &bad)).contains(&kind));
}

// ---------------------------------------------------------------------------
// Re-planning from where the day stands

/// What the vehicles of `s` have done by `cut`: the visits started before it,
/// as planned, each vehicle ready again right after its last one.
fn prefixes_at(p: &Problem, s: &Solution, cut: f64) -> Vec<Prefix> {
    s.routes
        .iter()
        .filter(|r| r.visits.first().is_some_and(|v| v.start < cut))
        .map(|r| {
            let visits: Vec<_> = r
                .visits
                .iter()
                .take_while(|v| v.start < cut)
                .cloned()
                .collect();
            let dropped: Vec<usize> = visits
                .iter()
                .filter(|v| v.role == StopRole::Dropoff)
                .map(|v| v.job)
                .collect();
            let loaded = r
                .visits
                .iter()
                .filter(|v| p.jobs[v.job].pickup.is_none() && !dropped.contains(&v.job))
                .map(|v| v.job)
                .collect();
            Prefix {
                vehicle: r.vehicle,
                start: r.start,
                ready: visits.last().expect("one visit").departure,
                visits,
                loaded,
                closed: false,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// Cut a solved day at any moment and plan it again from there, from the
    /// plan as a start: the whole day passes the checker (what was done
    /// stays as reported, riders on board stay on their vehicle within their
    /// ride clocks); without time costs no more jobs are left out (but the
    /// cheap ones) and the plan costs no more.
    #[test]
    fn a_replan_from_any_moment_keeps_what_happened(
        raw in raw(),
        seed in 0u64..1000,
        cut in 0.0f64..1.0,
    ) {
        let mut p = problem(&raw);
        let s = solve_checked(&p, seed, 200)?;
        let last = s.routes.iter().map(|r| r.end).fold(0.0, f64::max);
        p.prefixes = prefixes_at(&p, &s, cut * last);
        p.validate().expect("the prefixes of a plan are valid");
        let options = Options { initial: Some(s.clone()), ..options(seed + 1, 100) };
        let again = solve_checked_with(&p, &options)?;
        for x in &p.prefixes {
            let route = again.routes.iter().find(|r| r.vehicle == x.vehicle);
            let route = route.expect("a vehicle that has left keeps its route");
            prop_assert_eq!(&route.visits[..x.visits.len()], &x.visits[..]);
            // Whoever is on board is dropped by this vehicle.
            for v in &x.visits {
                let job = &p.jobs[v.job];
                let on_board = v.role == StopRole::Pickup
                    && job.dropoff.is_some()
                    && !x.visits.iter().any(|w| w.job == v.job && w.role == StopRole::Dropoff);
                if on_board {
                    prop_assert!(route.visits.iter().any(|w| w.job == v.job && w.role == StopRole::Dropoff));
                }
            }
        }
        // Time costs of a vehicle under way count, for the search, from when it
        // goes on (see `solver::prefix`): without them the start plan bounds
        // the re-plan, which leaves no more jobs out (but the cheap ones, worth
        // less than their detour) and costs no more.
        if p.vehicles.iter().all(|v| v.cost_per_time == 0.0) {
            let dear = |x: &Solution| {
                x.unassigned.iter().filter(|u| p.jobs[u.job].priority >= DEFAULT_PRIORITY).count()
            };
            prop_assert!(dear(&again) <= dear(&s), "the re-plan leaves more out: {:?}", again);
            prop_assert!(again.cost <= s.cost + 1e-6 * s.cost.abs().max(1.0),
                "the re-plan costs {} against {}: {:?}", again.cost, s.cost, again);
        }
    }
}
