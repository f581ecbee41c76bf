//! Segments against the scheduler and local search against recomputed costs,
//! on random small windows-only problems.

use super::*;
use crate::solver::check;
use crate::solver::insertion::Inserter;
use crate::solver::model::{Job, Layout, Matrix, Problem, Stop, TimeWindow, Vehicle};
use crate::solver::repair::{self, Repair};
use crate::solver::segment::route_segment;
use crate::solver::{solve, Options};

/// Random windows-only problem: points on a grid (Euclidean, so times are not
/// integers), vehicles with their own depots, shifts, capacities and skills,
/// and deliveries, collections and pickup-delivery rides.
fn problem(rng: &mut fastrand::Rng, jobs: usize) -> Problem {
    let n = rng.usize(4..=12);
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| (f64::from(rng.u8(0..40)), f64::from(rng.u8(0..40))))
        .collect();
    let matrix = Matrix::from_fn(n, |a, b| {
        let d = ((pts[a].0 - pts[b].0).powi(2) + (pts[a].1 - pts[b].1).powi(2)).sqrt();
        (d, d * [1.0, 1.5][(a + b) % 2])
    });
    let vehicles = (0..rng.usize(2..=4))
        .map(|i| {
            let open = f64::from(rng.u8(0..20));
            Vehicle {
                id: format!("v{i}"),
                start: rng.usize(0..2),
                end: rng.usize(0..2),
                shift: TimeWindow::new(open, open + f64::from(rng.u16(150..500))),
                max_duration: None,
                fixed_cost: f64::from(rng.u8(0..3)) * 50.0,
                cost_per_distance: [1.0, 1.0, 2.0][rng.usize(0..3)],
                cost_per_time: 0.0,
                skills: if rng.u8(0..4) == 0 {
                    Vec::new()
                } else {
                    vec!["lift".into()]
                },
                layouts: (0..rng.usize(1..=2))
                    .map(|k| Layout {
                        name: format!("l{k}"),
                        capacity: vec![rng.i32(3..9), rng.i32(0..3)],
                    })
                    .collect(),
            }
        })
        .collect();
    let stop = |rng: &mut fastrand::Rng| {
        let window = if rng.u8(0..4) == 0 {
            TimeWindow::open()
        } else {
            let at = f64::from(rng.u16(0..300));
            TimeWindow::new(at, at + f64::from(rng.u8(10..120)))
        };
        Stop {
            location: rng.usize(0..n),
            window,
            service: f64::from(rng.u8(0..6)),
        }
    };
    let jobs = (0..jobs)
        .map(|i| {
            let load = if rng.u8(0..4) == 0 {
                vec![0, 1]
            } else {
                vec![rng.i32(1..3), 0]
            };
            let (a, b) = (stop(rng), stop(rng));
            let mut job = match rng.u8(0..3) {
                0 => Job::delivery(format!("j{i}"), None, b, load),
                1 => Job::collection(format!("j{i}"), a, None, load),
                _ => Job::ride(format!("j{i}"), a, b, load),
            };
            if rng.u8(0..5) == 0 {
                job.skills = vec!["lift".into()];
            }
            job.priority = 1e4;
            job
        })
        .collect();
    let p = Problem {
        prefixes: Vec::new(),
        name: "ls".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix,
        vehicles,
        jobs,
        links: Vec::new(),
        setup: Vec::new(),
    };
    p.validate().expect("generated problems are valid");
    p
}

/// A random start: greedy insertion in random order.
fn start(idx: &Index, rng: &mut fastrand::Rng) -> (State, Inserter) {
    let mut ins = Inserter::new(idx);
    let mut state = State::new(idx);
    repair::run(Repair::GreedyRandom, idx, &mut state, &mut ins, rng);
    (state, ins)
}

fn close(a: &Segment, b: &Segment) -> bool {
    let near = |x: f64, y: f64| x == y || (x - y).abs() <= 1e-6 * x.abs().max(1.0);
    a.len == b.len
        && a.first == b.first
        && a.last == b.last
        && near(a.dist, b.dist)
        && near(a.duration, b.duration)
        && near(a.warp, b.warp)
        && near(a.early, b.early)
        && near(a.late, b.late)
        && a.drop == b.drop
        && a.delta == b.delta
        && a.rise == b.rise
}

#[test]
fn joined_segments_equal_the_whole_and_warp_decides_like_the_scheduler() {
    let mut rng = fastrand::Rng::with_seed(7);
    let (mut feasible, mut infeasible) = (0, 0);
    for _ in 0..300 {
        let jobs = rng.usize(1..=10);
        let p = problem(&mut rng, jobs);
        let idx = Index::new(&p);
        let win: Vec<(f64, f64)> = idx.nodes.iter().map(|n| (n.open, n.close)).collect();
        // A random order of random jobs, pickups before their dropoffs.
        let mut nodes: Vec<usize> = Vec::new();
        for j in 0..idx.jobs.len() {
            if rng.bool() {
                continue;
            }
            let (pk, dr) = idx.stops(j);
            match (pk, dr) {
                (Some(a), Some(b)) => {
                    let i = rng.usize(0..=nodes.len());
                    nodes.insert(i, a);
                    nodes.insert(rng.usize(i + 1..=nodes.len()), b);
                }
                (Some(x), None) | (None, Some(x)) => {
                    nodes.insert(rng.usize(0..=nodes.len()), x);
                }
                (None, None) => {}
            }
        }
        let v = rng.usize(0..idx.vehicles.len());
        let whole = route_segment(&idx, &win, v, &nodes);
        let (start, end) = depots(&idx, v);
        let one = |n: usize| Segment::node(&idx, n, win[n]);
        let part = |a: usize, b: usize| {
            nodes[a..b]
                .iter()
                .fold(Segment::EMPTY, |s, &n| s.then(&idx, &one(n)))
        };
        let i = rng.usize(0..=nodes.len());
        let k = rng.usize(i..=nodes.len());
        let joined = start
            .then(&idx, &part(0, i))
            .then(&idx, &part(i, k).then(&idx, &part(k, nodes.len())))
            .then(&idx, &end);
        assert!(close(&whole, &joined), "{whole:?}\n{joined:?}");

        let mut sched = Scheduler::new(&idx);
        let ok = sched.evaluate(&idx, &win, v, &nodes).is_ok();
        let says = whole.warp <= WARP_EPS && whole.fits(&idx, v);
        assert_eq!(ok, says, "route {nodes:?} on vehicle {v}: {whole:?}");
        if ok {
            feasible += 1;
            let e = sched.evaluate(&idx, &win, v, &nodes).unwrap();
            assert!(nodes.is_empty() || (e.distance - whole.dist).abs() < 1e-6);
        } else {
            infeasible += 1;
        }
    }
    assert!(
        feasible > 30 && infeasible > 30,
        "{feasible} / {infeasible}"
    );
}

#[test]
fn every_move_saves_what_it_predicts_and_ends_in_a_local_optimum() {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut moves = 0;
    for case in 0..150 {
        let jobs = rng.usize(6..=25);
        let p = problem(&mut rng, jobs);
        let idx = Index::new(&p);
        let mut ls = LocalSearch::new(&idx).expect("windows-only");
        let (mut state, mut ins) = start(&idx, &mut rng);
        let before = state.cost;
        let jobs: Vec<usize> = (0..idx.jobs.len()).collect();
        let focus = rng.bool().then_some(&jobs[..]);
        ls.run(&idx, &mut state, &mut ins.sched, focus, &mut rng);
        assert!(state.cost <= before + 1e-9, "case {case}");
        assert!(
            ls.worst_error <= 1e-6,
            "case {case}: off by {}",
            ls.worst_error
        );
        // The routes are what the scheduler says, and each job is where it is recorded.
        let mut fresh = state.clone();
        for r in 0..fresh.routes.len() {
            fresh.routes[r]
                .refresh(&idx, &state.win, &mut ins.sched)
                .expect("feasible");
            for &n in &fresh.routes[r].nodes {
                assert_eq!(state.route_of[job_of(n)], r);
            }
        }
        fresh.recost(&idx);
        assert!((fresh.cost - state.cost).abs() < 1e-6);
        // A second full run from the local optimum finds nothing.
        let applied = ls.applied;
        ls.run(&idx, &mut state, &mut ins.sched, None, &mut rng);
        if focus.is_none() {
            assert_eq!(ls.applied, applied, "case {case}");
        }
        moves += ls.applied;
    }
    assert!(moves > 100, "only {moves} moves");
}

#[test]
fn local_search_keeps_solve_feasible_and_deterministic() {
    let mut rng = fastrand::Rng::with_seed(3);
    for _ in 0..20 {
        let jobs = rng.usize(10..=30);
        let p = problem(&mut rng, jobs);
        let opts = Options {
            seed: 5,
            time_limit: None,
            iterations: Some(300),
            ..Default::default()
        };
        let a = solve(&p, &opts).unwrap();
        let report = check::check(&p, &a);
        assert!(report.is_feasible(), "{report:?}");
        let b = solve(&p, &opts).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}

#[test]
fn not_run_beyond_windows_only() {
    let mut rng = fastrand::Rng::with_seed(5);
    let mut p = problem(&mut rng, 5);
    assert!(LocalSearch::new(&Index::new(&p)).is_some());
    p.setup = vec![1.0; p.matrix.size()];
    assert!(LocalSearch::new(&Index::new(&p)).is_none());
    p.setup.clear();
    p.vehicles[0].cost_per_time = 0.1;
    assert!(LocalSearch::new(&Index::new(&p)).is_none());
}
