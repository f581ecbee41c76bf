//! The programme against brute force: on random small days (windows, ride
//! limits, setups, two layouts, shift and duration limits, cheap rides worth
//! leaving out) its optimum equals the best of every precedence-feasible
//! sequence and choice of rides, and its plan passes the checker.

use super::*;
use crate::solver::model::{
    Job, Layout, Link, Matrix, MaxRide, Problem, Stop, TimeWindow, Vehicle,
};
use crate::solver::solve::solve;
use crate::solver::timing::time_route;

/// A day of `n` rides among few places (so that visits share places and
/// setups), times and distances unrelated and possibly asymmetric.
fn day(rng: &mut fastrand::Rng, n: usize) -> Problem {
    let places = rng.usize(3..=7);
    let pts: Vec<(f64, f64)> = (0..places)
        .map(|_| (f64::from(rng.u8(0..20)), f64::from(rng.u8(0..20))))
        .collect();
    let skew = rng.bool();
    let matrix = Matrix::from_fn(places, |a, b| {
        let e = ((pts[a].0 - pts[b].0).powi(2) + (pts[a].1 - pts[b].1).powi(2)).sqrt();
        let t = if skew && a < b { e * 1.3 } else { e };
        (t.round(), (e * 1.7).round())
    });
    let setup = if rng.bool() {
        (0..places).map(|_| f64::from(rng.u8(0..4))).collect()
    } else {
        Vec::new()
    };
    let open = f64::from(rng.u8(0..20));
    let vehicle = Vehicle {
        id: "van".into(),
        start: 0,
        end: rng.usize(0..places),
        shift: TimeWindow::new(open, open + f64::from(rng.u16(60..240))),
        max_duration: rng.bool().then(|| f64::from(rng.u16(40..160))),
        fixed_cost: f64::from(rng.u8(0..10)),
        cost_per_distance: 1.0,
        cost_per_time: 0.0,
        skills: if rng.bool() {
            vec!["lift".into()]
        } else {
            Vec::new()
        },
        layouts: vec![
            Layout {
                name: "seats".into(),
                capacity: vec![rng.i32(1..4), 0],
            },
            Layout {
                name: "chairs".into(),
                capacity: vec![rng.i32(0..2), rng.i32(1..3)],
            },
        ],
    };
    let stop = |rng: &mut fastrand::Rng| {
        let window = if rng.u8(0..4) == 0 {
            TimeWindow::open()
        } else {
            let at = f64::from(rng.u16(0..180));
            TimeWindow::new(at, at + [0.0, 10.0, 30.0, 90.0][rng.usize(0..4)])
        };
        Stop {
            location: rng.usize(0..places),
            window,
            service: f64::from(rng.u8(0..3)),
        }
    };
    let jobs = (0..n)
        .map(|i| {
            let chair = rng.u8(0..4) == 0;
            let mut j = Job::ride(
                format!("r{i}"),
                stop(rng),
                stop(rng),
                if chair { vec![0, 1] } else { vec![1, 0] },
            );
            if chair {
                j.skills = vec!["lift".into()];
            }
            j.max_ride = rng
                .bool()
                .then(|| MaxRide::minutes(f64::from(rng.u8(5..60))));
            j.priority = f64::from(rng.u8(5..120));
            j
        })
        .collect();
    Problem {
        prefixes: Vec::new(),
        name: "day".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix,
        vehicles: vec![vehicle],
        jobs,
        links: Vec::new(),
        setup,
    }
}

/// Every order of `served`'s stops with each pickup before its drop-off.
fn orders(served: &[usize], prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    if prefix.len() == 2 * served.len() {
        out.push(prefix.clone());
        return;
    }
    for &j in served {
        for x in [pickup(j), dropoff(j)] {
            let ready = !is_pickup(x) && prefix.contains(&pickup(j)) || is_pickup(x);
            if ready && !prefix.contains(&x) {
                prefix.push(x);
                orders(served, prefix, out);
                prefix.pop();
            }
        }
    }
}

fn fits(idx: &Index, layout: usize, nodes: &[usize]) -> bool {
    let cap = &idx.vehicles[0].layouts[layout];
    let mut ok = true;
    let mut load = Vec::new();
    idx.walk_loads(nodes, &mut load, |l| {
        ok &= l.iter().zip(cap).all(|(a, c)| a <= c);
    });
    ok
}

fn skills_ok(idx: &Index, j: usize) -> bool {
    idx.jobs[j].skills & !idx.vehicles[0].skills == 0
}

/// The cheapest plan by enumeration, each order timed by the exact network
/// (and cross-checked: whatever the heuristic scheduler times must be found
/// feasible, and every schedule found must pass the checker).
fn brute_force(idx: &Index) -> f64 {
    let n = idx.jobs.len();
    let veh = &idx.vehicles[0];
    let mut best = f64::INFINITY;
    for subset in 0usize..1 << n {
        let served: Vec<usize> = (0..n).filter(|j| subset & (1 << j) != 0).collect();
        if !served.iter().all(|&j| skills_ok(idx, j)) {
            continue;
        }
        let skipped: Vec<usize> = (0..n).filter(|j| subset & (1 << j) == 0).collect();
        let penalty: f64 = skipped.iter().map(|&j| idx.jobs[j].priority).sum();
        let mut all = Vec::new();
        orders(&served, &mut Vec::new(), &mut all);
        for nodes in all {
            let Some(layout) = (0..veh.layouts.len()).find(|&l| fits(idx, l, &nodes)) else {
                continue;
            };
            let timed = schedule(idx, &nodes);
            if nodes.is_empty() {
                best = best.min(penalty);
                continue;
            }
            let visits: Vec<_> = nodes
                .iter()
                .map(|&x| {
                    let role = if is_pickup(x) {
                        StopRole::Pickup
                    } else {
                        StopRole::Dropoff
                    };
                    (job_of(x), role)
                })
                .collect();
            if let Ok(route) = time_route(idx.problem, 0, &visits) {
                let mut s = Solution {
                    routes: vec![route],
                    ..Solution::default()
                };
                s.unassigned = skipped
                    .iter()
                    .map(|&job| Unassigned {
                        job,
                        reason: super::super::solution::Reason::NoRoom,
                    })
                    .collect();
                let report = check::check(idx.problem, &s);
                let only_cost = report
                    .violations
                    .iter()
                    .all(|v| v.kind == check::ViolationKind::Cost);
                assert!(
                    !only_cost || timed.is_some(),
                    "the heuristic times {nodes:?} but the exact network does not"
                );
            }
            if timed.is_none() {
                continue;
            }
            let plan = Plan {
                cost: 0.0,
                layout,
                nodes,
                skipped: skipped.clone(),
            };
            let s = to_solution(idx, &plan).expect("timed");
            let report = check::check(idx.problem, &s);
            assert!(report.is_feasible(), "{:?}", report.violations);
            best = best.min(s.cost);
        }
    }
    best
}

#[test]
fn the_programme_finds_the_brute_force_optimum_on_random_small_days() {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut left_out = 0;
    for case in 0..300 {
        let n = 1 + case % 4;
        let p = day(&mut rng, n);
        p.validate().unwrap();
        let idx = Index::new(&p);
        let expected = brute_force(&idx);
        let plan = optimum(&idx, f64::INFINITY, &Clock::unlimited())
            .unwrap()
            .expect("leaving every ride out is a plan");
        assert!(
            (plan.cost - expected).abs() < 1e-6,
            "case {case}: programme {} vs brute force {expected}",
            plan.cost
        );
        let s = to_solution(&idx, &plan).unwrap();
        let report = check::check(&p, &s);
        assert!(report.is_feasible(), "case {case}: {:?}", report.violations);
        assert!((report.cost - expected).abs() < 1e-6, "case {case}");
        left_out += usize::from(!plan.skipped.is_empty() && plan.skipped.len() < n);
    }
    // The cases exercise partial skipping, not only all-or-nothing days.
    assert!(left_out > 20, "{left_out}");
}

#[test]
fn a_bound_below_the_optimum_finds_nothing_and_above_finds_it() {
    let mut rng = fastrand::Rng::with_seed(11);
    for _ in 0..40 {
        let p = day(&mut rng, 4);
        let idx = Index::new(&p);
        let opt = brute_force(&idx);
        let clock = Clock::unlimited();
        assert!(optimum(&idx, opt, &clock).unwrap().is_none());
        let plan = optimum(&idx, opt + 1.0, &clock).unwrap().unwrap();
        assert!((plan.cost - opt).abs() < 1e-6);
    }
}

fn options() -> Options {
    Options {
        time_limit: None,
        iterations: Some(300),
        ..Options::default()
    }
}

#[test]
fn solve_proves_small_days_and_its_plan_passes_the_checker() {
    let mut rng = fastrand::Rng::with_seed(3);
    for _ in 0..20 {
        let p = day(&mut rng, 5);
        let idx = Index::new(&p);
        let opt = brute_force(&idx);
        let s = solve(&p, &options()).unwrap();
        assert!(s.proved_optimal);
        assert!((s.cost - opt).abs() < 1e-6, "{} vs {opt}", s.cost);
        let report = check::check(&p, &s);
        assert!(report.is_feasible(), "{:?}", report.violations);
    }
}

#[test]
fn the_exact_step_replaces_a_worse_plan_by_the_optimum() {
    let mut rng = fastrand::Rng::with_seed(5);
    let p = day(&mut rng, 5);
    let idx = Index::new(&p);
    let opt = brute_force(&idx);
    // A poor but feasible plan: every ride left out.
    let all_out = Plan {
        cost: 0.0,
        layout: 0,
        nodes: Vec::new(),
        skipped: (0..5).collect(),
    };
    let poor = to_solution(&idx, &all_out).unwrap();
    assert!(
        poor.cost > opt + 1e-6,
        "the case needs a plan worth improving"
    );
    let better = finish(
        &idx,
        &options(),
        Solution {
            proved_optimal: false,
            ..poor
        },
    );
    assert!(better.proved_optimal);
    assert!((better.cost - opt).abs() < 1e-6);
    assert!(check::check(&p, &better).is_feasible());
}

#[test]
fn declines_two_vehicles_many_rides_links_and_time_costs() {
    let mut rng = fastrand::Rng::with_seed(9);
    let base = day(&mut rng, 4);
    let mut two = base.clone();
    let mut second = two.vehicles[0].clone();
    second.id = "van2".into();
    two.vehicles.push(second);
    let mut many = day(&mut rng, 13);
    many.vehicles[0].shift = TimeWindow::new(0.0, 10.0);
    let mut linked = base.clone();
    linked.links.push(Link {
        outbound: 0,
        inbound: 1,
        min_gap: 0.0,
        same_vehicle: false,
    });
    let mut timed = base.clone();
    timed.vehicles[0].cost_per_time = 0.1;
    for p in [&two, &many, &linked, &timed] {
        assert_eq!(supported(&Index::new(p)), Err(Declined::Unsupported));
        assert!(!solve(p, &options()).unwrap().proved_optimal);
    }
    assert_eq!(supported(&Index::new(&base)), Ok(()));
    assert!(solve(&base, &options()).unwrap().proved_optimal);
}

#[test]
fn an_exhausted_budget_or_a_cancel_gives_no_proof() {
    let mut rng = fastrand::Rng::with_seed(13);
    let p = day(&mut rng, 6);
    let idx = Index::new(&p);
    let opts = options();
    let heuristic = Solution {
        proved_optimal: false,
        ..solve(&p, &opts).unwrap()
    };
    let none = Clock::new(Duration::ZERO, &opts);
    assert_eq!(
        prove(&idx, &heuristic, &none).unwrap_err(),
        Declined::Budget
    );
    let cancelled = Options {
        cancel: Some(std::sync::Arc::new(std::sync::atomic::AtomicBool::new(
            true,
        ))),
        ..options()
    };
    let clock = Clock::new(Duration::from_secs(60), &cancelled);
    assert_eq!(
        prove(&idx, &heuristic, &clock).unwrap_err(),
        Declined::Cancelled
    );
    assert!(!finish(&idx, &cancelled, heuristic).proved_optimal);
}
