//! Request relocation and 2-opt* against recomputed costs, on random small
//! dial-a-ride problems (ride limits, route durations, setups, skills, time
//! costs, deliveries and collections among the rides).

use super::*;
use crate::solver::check;
use crate::solver::model::{Job, Layout, Matrix, MaxRide, Problem, Stop, TimeWindow, Vehicle};
use crate::solver::repair::{self, Repair};
use crate::solver::{solve, Options};

fn problem(rng: &mut fastrand::Rng, jobs: usize) -> Problem {
    let n = rng.usize(4..=12);
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| (f64::from(rng.u8(0..30)), f64::from(rng.u8(0..30))))
        .collect();
    let matrix = Matrix::from_fn(n, |a, b| {
        let d = ((pts[a].0 - pts[b].0).powi(2) + (pts[a].1 - pts[b].1).powi(2)).sqrt();
        (d, d * [1.0, 1.25][(a + b) % 2])
    });
    let setup = if rng.bool() {
        (0..n).map(|_| f64::from(rng.u8(0..4))).collect()
    } else {
        Vec::new()
    };
    let vehicles = (0..rng.usize(2..=4))
        .map(|i| {
            let open = f64::from(rng.u8(0..20));
            Vehicle {
                id: format!("v{i}"),
                start: rng.usize(0..2),
                end: rng.usize(0..2),
                shift: TimeWindow::new(open, open + f64::from(rng.u16(200..500))),
                max_duration: rng.bool().then(|| f64::from(rng.u16(120..400))),
                fixed_cost: f64::from(rng.u8(0..3)) * 20.0,
                cost_per_distance: 1.0,
                cost_per_time: [0.0, 0.0, 0.3][rng.usize(0..3)],
                skills: if rng.u8(0..4) == 0 {
                    Vec::new()
                } else {
                    vec!["lift".into()]
                },
                layouts: (0..rng.usize(1..=2))
                    .map(|k| Layout {
                        name: format!("l{k}"),
                        capacity: vec![rng.i32(2..6), rng.i32(0..2)],
                    })
                    .collect(),
            }
        })
        .collect();
    let stop = |rng: &mut fastrand::Rng| {
        let window = if rng.u8(0..3) == 0 {
            TimeWindow::open()
        } else {
            let at = f64::from(rng.u16(0..300));
            TimeWindow::new(at, at + f64::from(rng.u8(10..90)))
        };
        Stop {
            location: rng.usize(0..n),
            window,
            service: f64::from(rng.u8(0..4)),
        }
    };
    let jobs = (0..jobs)
        .map(|i| {
            let load = if rng.u8(0..5) == 0 {
                vec![0, 1]
            } else {
                vec![1, 0]
            };
            let (a, b) = (stop(rng), stop(rng));
            let mut job = match rng.u8(0..8) {
                0 => Job::delivery(format!("j{i}"), None, b, load),
                1 => Job::collection(format!("j{i}"), a, None, load),
                _ => Job::ride(format!("j{i}"), a, b, load),
            };
            if job.pickup.is_some() && job.dropoff.is_some() && rng.u8(0..4) > 0 {
                let direct = matrix.time(a.location, b.location);
                job.max_ride = Some(MaxRide::minutes(direct + f64::from(rng.u8(5..40))));
            }
            if rng.u8(0..6) == 0 {
                job.skills = vec!["lift".into()];
            }
            job.priority = 1e4;
            job
        })
        .collect();
    let p = Problem {
        prefixes: Vec::new(),
        name: "rls".into(),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix,
        vehicles,
        jobs,
        links: Vec::new(),
        setup,
    };
    p.validate().expect("generated problems are valid");
    p
}

/// Neither 2-opt* nor an exchange pays on `state` (a local optimum).
fn assert_no_tail_or_trade_pays(
    idx: &Index,
    state: &mut State,
    ins: &mut Inserter,
    rng: &mut fastrand::Rng,
    case: usize,
) {
    let mut fresh = RequestSearch::new(idx);
    assert!(
        !fresh.two_opt_star(idx, state, &mut ins.sched),
        "case {case}"
    );
    assert!(
        !fresh.exchanges(idx, state, ins, rng, &|| false),
        "case {case}"
    );
}

/// A random start: greedy insertion in random order.
fn start(idx: &Index, rng: &mut fastrand::Rng) -> (State, Inserter) {
    let mut ins = Inserter::new(idx);
    let mut state = State::new(idx);
    repair::run(Repair::GreedyRandom, idx, &mut state, &mut ins, rng);
    (state, ins)
}

/// The state's routes are what the scheduler says, each job is where it is
/// recorded, and the cost is the sum of the fresh evaluations.
fn assert_consistent(idx: &Index, state: &State, ins: &mut Inserter, case: usize) {
    let mut fresh = state.clone();
    for r in 0..fresh.routes.len() {
        fresh.routes[r]
            .refresh(idx, &state.win, &mut ins.sched)
            .unwrap_or_else(|e| panic!("case {case}: route {r} infeasible: {e:?}"));
        for &n in &fresh.routes[r].nodes {
            assert_eq!(state.route_of[job_of(n)], r, "case {case}");
        }
        let skills = idx.vehicles[fresh.routes[r].vehicle].skills;
        for &n in &fresh.routes[r].nodes {
            assert_eq!(idx.jobs[job_of(n)].skills & !skills, 0, "case {case}");
        }
    }
    fresh.recost(idx);
    assert!((fresh.cost - state.cost).abs() < 1e-6, "case {case}");
}

#[test]
fn every_move_saves_what_it_predicts_and_ends_in_a_local_optimum() {
    let mut rng = fastrand::Rng::with_seed(21);
    let (mut moves, mut tails) = (0, 0);
    for case in 0..200 {
        let jobs = rng.usize(4..=20);
        let p = problem(&mut rng, jobs);
        let idx = Index::new(&p);
        let mut rls = RequestSearch::new(&idx);
        let (mut state, mut ins) = start(&idx, &mut rng);
        let (before, served) = (state.cost, state.unassigned.len());
        let jobs: Vec<usize> = (0..idx.jobs.len()).collect();
        let focus = rng.bool().then_some(&jobs[..]);
        rls.run(&idx, &mut state, &mut ins, focus, &mut rng, &|| false);
        assert!(state.cost <= before + 1e-9, "case {case}");
        assert_eq!(state.unassigned.len(), served, "case {case}");
        assert!(
            rls.worst_error <= 1e-6,
            "case {case}: off by {}",
            rls.worst_error
        );
        assert_consistent(&idx, &state, &mut ins, case);
        // From the local optimum, no relocation pays and no tail exchange does.
        let applied = rls.applied;
        for j in 0..idx.jobs.len() {
            assert!(!rls.relocate(&idx, &mut state, &mut ins, j));
        }
        assert!(!rls.two_opt_star(&idx, &mut state, &mut ins.sched));
        assert_eq!(rls.applied, applied, "case {case}");
        // Nor an exchange, looked at afresh.
        let mut fresh = RequestSearch::new(&idx);
        assert!(!fresh.exchanges(&idx, &mut state, &mut ins, &mut rng, &|| false));
        moves += rls.applied;
        // Tail exchanges alone, from a fresh start.
        let (mut state, mut ins) = start(&idx, &mut rng);
        let before = state.cost;
        let mut only = RequestSearch::new(&idx);
        only.two_opt_star(&idx, &mut state, &mut ins.sched);
        assert!(state.cost <= before + 1e-9, "case {case}");
        assert!(only.worst_error <= 1e-6, "case {case}");
        assert_consistent(&idx, &state, &mut ins, case);
        tails += only.applied;
    }
    assert!(moves > 100, "only {moves} moves");
    assert!(tails > 10, "only {tails} tail exchanges");
}

/// Exchanges save what they predict, leave plans the scheduler agrees with,
/// and find gains where no relocation or tail exchange is left.
#[test]
fn exchanges_pay_where_relocation_cannot() {
    let mut rng = fastrand::Rng::with_seed(31);
    let (mut made, mut beyond) = (0, 0);
    for case in 0..200 {
        let n = rng.usize(8..=24);
        let p = problem(&mut rng, n);
        let idx = Index::new(&p);
        let (mut state, mut ins) = start(&idx, &mut rng);
        // Exchanges alone, from a fresh start.
        let before = (state.cost, state.unassigned.len());
        let mut only = RequestSearch::new(&idx);
        while only.exchanges(&idx, &mut state, &mut ins, &mut rng, &|| false) {}
        assert!(state.cost <= before.0 + 1e-9, "case {case}");
        assert_eq!(state.unassigned.len(), before.1, "case {case}");
        assert!(
            only.worst_error <= 1e-6,
            "case {case}: off by {}",
            only.worst_error
        );
        assert_consistent(&idx, &state, &mut ins, case);
        made += only.applied;
        // A descent without them, then exchanges: what they add.
        let mut rls = RequestSearch::new(&idx);
        rls.swaps = false;
        rls.run(&idx, &mut state, &mut ins, None, &mut rng, &|| false);
        let mut more = RequestSearch::new(&idx);
        let settled = state.cost;
        if more.exchanges(&idx, &mut state, &mut ins, &mut rng, &|| false) {
            assert!(state.cost < settled - 1e-9, "case {case}");
            assert_consistent(&idx, &state, &mut ins, case);
            beyond += 1;
        }
    }
    assert!(made > 100, "only {made} exchanges");
    assert!(beyond > 8, "exchanges improved only {beyond} local optima");
}

/// From a local optimum with a few jobs moved, the descent that looks only
/// at moves touching a changed route still ends where no move of any route
/// pays: a move between two unchanged routes saves what it saved before.
#[test]
fn a_descent_over_the_changed_routes_ends_in_a_full_local_optimum() {
    let mut rng = fastrand::Rng::with_seed(29);
    let (mut partial, mut looked) = (0, 0);
    for case in 0..150 {
        let n = rng.usize(8..=20);
        let p = problem(&mut rng, n);
        let idx = Index::new(&p);
        let (mut settled, mut ins) = start(&idx, &mut rng);
        let mut rls = RequestSearch::new(&idx);
        assert!(rls.run(&idx, &mut settled, &mut ins, None, &mut rng, &|| false));
        // A small ruin and a greedy repair, as the search makes its plans.
        let mut state = settled.clone();
        let taken: Vec<usize> = (0..idx.jobs.len())
            .filter(|&j| state.route_of[j] != NONE)
            .take(rng.usize(1..=3))
            .collect();
        state.remove(&idx, &taken, &mut ins.sched);
        repair::run(Repair::GreedyRandom, &idx, &mut state, &mut ins, &mut rng);
        let changed = (0..state.routes.len())
            .filter(|&r| state.routes[r].nodes != settled.routes[r].nodes)
            .count();
        if changed < state.used_routes() {
            partial += 1;
        }
        let before = state.cost;
        assert!(rls.run_from(&idx, &mut state, &settled, &mut ins, &mut rng, &|| false));
        assert!(state.cost <= before + 1e-9, "case {case}");
        assert_consistent(&idx, &state, &mut ins, case);
        // Every move of every route, looked at afresh: none pays.
        let mut fresh = RequestSearch::new(&idx);
        for j in 0..idx.jobs.len() {
            assert!(
                !fresh.relocate(&idx, &mut state, &mut ins, j),
                "case {case}"
            );
        }
        assert_no_tail_or_trade_pays(&idx, &mut state, &mut ins, &mut rng, case);
        looked += 1;
    }
    assert!(
        partial > 30,
        "only {partial} of {looked} plans left routes unchanged"
    );
}

#[test]
fn a_descent_stops_when_told_and_leaves_a_consistent_plan() {
    let mut rng = fastrand::Rng::with_seed(23);
    let mut cut_short = 0;
    for case in 0..100 {
        let n = rng.usize(8..=20);
        let p = problem(&mut rng, n);
        let idx = Index::new(&p);
        let (start_state, mut ins) = start(&idx, &mut rng);
        // Told to stop at once: not a single move.
        let mut state = start_state.clone();
        let mut rls = RequestSearch::new(&idx);
        rls.run(&idx, &mut state, &mut ins, None, &mut rng, &|| true);
        assert_eq!(rls.applied, 0, "case {case}");
        assert_eq!(state.cost, start_state.cost, "case {case}");
        // Told to stop after three looks: at most three moves, a plan the
        // scheduler agrees with, no worse than the start.
        let looks = std::cell::Cell::new(0);
        let stop = || {
            looks.set(looks.get() + 1);
            looks.get() > 3
        };
        let mut state = start_state.clone();
        let mut rls = RequestSearch::new(&idx);
        rls.run(&idx, &mut state, &mut ins, None, &mut rng, &stop);
        assert!(rls.applied <= 3, "case {case}: {} moves", rls.applied);
        assert!(state.cost <= start_state.cost + 1e-9, "case {case}");
        assert_eq!(state.unassigned.len(), start_state.unassigned.len());
        assert_consistent(&idx, &state, &mut ins, case);
        // Without the stop, the descent would have gone on.
        let mut full = RequestSearch::new(&idx);
        let mut free = start_state.clone();
        full.run(&idx, &mut free, &mut ins, None, &mut rng, &|| false);
        if full.applied > rls.applied {
            cut_short += 1;
        }
    }
    assert!(cut_short > 10, "only {cut_short} descents were cut short");
}

#[test]
fn cuts_leave_no_pair_split() {
    let mut rng = fastrand::Rng::with_seed(4);
    for _ in 0..100 {
        let p = problem(&mut rng, 15);
        let idx = Index::new(&p);
        let (state, _) = start(&idx, &mut rng);
        let mut rls = RequestSearch::new(&idx);
        rls.find_cuts(&idx, &state);
        for (r, route) in state.routes.iter().enumerate() {
            for &k in &rls.cuts[r] {
                let (head, tail) = route.nodes.split_at(k);
                for &n in head {
                    let j = job_of(n);
                    if idx.jobs[j].shape == Shape::Pair {
                        assert!(!tail.iter().any(|&x| job_of(x) == j));
                    }
                }
            }
        }
    }
}

/// Whole searches on fifteen random days: each plan passes the checker and
/// the same seed and budget give the same plan.
fn searches_stay_feasible_and_deterministic(seed: u64, links: bool) {
    let mut rng = fastrand::Rng::with_seed(seed);
    for _ in 0..15 {
        let jobs = rng.usize(10..=25);
        let mut p = problem(&mut rng, jobs);
        if links {
            p = with_links(p, &mut rng);
        }
        let opts = Options {
            seed: 3,
            time_limit: None,
            iterations: Some(200),
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
fn search_with_requests_moves_stays_feasible_and_deterministic() {
    searches_stay_feasible_and_deterministic(9, false);
}

/// A plan of the constructions with about half its jobs taken out again.
fn half_ruined(idx: &Index, rng: &mut fastrand::Rng) -> (State, Inserter) {
    let (mut state, mut ins) = start(idx, rng);
    let assigned: Vec<JobId> = (0..idx.jobs.len())
        .filter(|&j| state.route_of[j] != NONE)
        .collect();
    let out: Vec<JobId> = assigned.into_iter().filter(|_| rng.bool()).collect();
    state.remove(idx, &out, &mut ins.sched);
    (state, ins)
}

#[test]
fn the_bounded_regret_places_every_job_where_the_full_search_does() {
    let mut rng = fastrand::Rng::with_seed(33);
    let mut placed = 0;
    for case in 0..400 {
        let jobs = rng.usize(10..=40);
        let p = problem(&mut rng, jobs);
        let idx = Index::new(&p);
        let (state, mut ins) = half_ruined(&idx, &mut rng);
        let k = rng.usize(2..=3);
        let seed = rng.u64(..);
        let mut runs = [true, false].map(|bounded| {
            let mut s = state.clone();
            let mut r = fastrand::Rng::with_seed(seed);
            repair::regret_with(&idx, &mut s, &mut ins, k, &mut r, bounded, f64::INFINITY);
            s
        });
        let [bounded, full] = &mut runs;
        for (a, b) in bounded.routes.iter().zip(&full.routes) {
            assert_eq!(a.nodes, b.nodes, "case {case}");
        }
        assert_eq!(bounded.unassigned, full.unassigned, "case {case}");
        placed += state.unassigned.len() - bounded.unassigned.len();
    }
    // The comparison must have had jobs to place.
    assert!(placed > 300, "{placed}");
}

#[test]
fn a_repair_gives_up_only_on_plans_that_leave_out_more_than_allowed() {
    let mut rng = fastrand::Rng::with_seed(34);
    let (mut gave_up, mut finished) = (0, 0);
    for case in 0..300 {
        let jobs = rng.usize(10..=40);
        let p = problem(&mut rng, jobs);
        let idx = Index::new(&p);
        let (state, mut ins) = half_ruined(&idx, &mut rng);
        let op = repair::REPAIRS[rng.usize(0..repair::REPAIRS.len())];
        let seed = rng.u64(..);
        let run = |give_up: f64, ins: &mut Inserter| {
            let mut s = state.clone();
            let mut r = fastrand::Rng::with_seed(seed);
            let placed = repair::run_within(op, &idx, &mut s, ins, &mut r, give_up);
            (placed, s)
        };
        let (placed, full) = run(f64::INFINITY, &mut ins);
        assert!(placed, "case {case}");
        let worth: f64 = full.unassigned.iter().map(|&j| idx.jobs[j].priority).sum();
        let give_up = worth * rng.f64() * 1.5;
        match run(give_up, &mut ins) {
            (true, s) => {
                finished += 1;
                assert_eq!(s.unassigned, full.unassigned, "case {case}");
                for (a, b) in s.routes.iter().zip(&full.routes) {
                    assert_eq!(a.nodes, b.nodes, "case {case}");
                }
            }
            (false, _) => {
                gave_up += 1;
                assert!(worth > give_up, "case {case}: {worth} <= {give_up}");
            }
        }
    }
    // Both outcomes must have been seen.
    assert!(gave_up > 20 && finished > 20, "{gave_up} {finished}");
}

/// Links between a few random rides: returns after their outbound, some
/// bound to its vehicle.
fn with_links(mut p: Problem, rng: &mut fastrand::Rng) -> Problem {
    use crate::solver::model::Link;
    let mut rides: Vec<usize> = (0..p.jobs.len())
        .filter(|&j| p.jobs[j].pickup.is_some() && p.jobs[j].dropoff.is_some())
        .collect();
    rng.shuffle(&mut rides);
    for pair in rides.chunks_exact(2).take(rng.usize(1..=3)) {
        p.links.push(Link {
            outbound: pair[0],
            inbound: pair[1],
            min_gap: f64::from(rng.u8(0..30)),
            same_vehicle: rng.bool(),
        });
    }
    p.validate().expect("generated links are valid");
    p
}

/// On a day with links, 2-opt* and exchanges run between routes and
/// requests without links: a linked request stays in its route, the moves
/// find gains, and a descent ends where neither finds one.
#[test]
fn tails_and_trades_leave_linked_requests_where_they_are() {
    let mut rng = fastrand::Rng::with_seed(41);
    let (mut tails, mut trades, mut settled) = (0, 0, 0);
    for case in 0..400 {
        let jobs = rng.usize(8..=22);
        let p = with_links(problem(&mut rng, jobs), &mut rng);
        let idx = Index::new(&p);
        let linked: Vec<JobId> = (0..idx.jobs.len())
            .filter(|&j| idx.jobs[j].linked())
            .collect();
        assert!(!linked.is_empty());
        let routes_of =
            |s: &State| -> Vec<usize> { linked.iter().map(|&j| s.route_of[j]).collect() };
        // Each move alone, from a construction.
        let (mut state, mut ins) = start(&idx, &mut rng);
        let before = routes_of(&state);
        let cost = state.cost;
        let mut rls = RequestSearch::new(&idx);
        if rls.two_opt_star(&idx, &mut state, &mut ins.sched) {
            tails += 1;
        }
        assert_eq!(
            routes_of(&state),
            before,
            "case {case}: a tail moved a linked request"
        );
        if rls.exchanges(&idx, &mut state, &mut ins, &mut rng, &|| false) {
            trades += 1;
        }
        assert_eq!(
            routes_of(&state),
            before,
            "case {case}: a trade moved a linked request"
        );
        assert!(state.cost <= cost + 1e-9, "case {case}");
        assert!(
            rls.worst_error <= 1e-6,
            "case {case}: off by {}",
            rls.worst_error
        );
        assert_consistent(&idx, &state, &mut ins, case);
        // A whole descent: where it ends a local optimum, neither pays.
        let (mut state, mut ins) = start(&idx, &mut rng);
        let mut rls = RequestSearch::new(&idx);
        if rls.run(&idx, &mut state, &mut ins, None, &mut rng, &|| false) {
            settled += 1;
            assert_no_tail_or_trade_pays(&idx, &mut state, &mut ins, &mut rng, case);
        }
    }
    assert!(tails > 5, "2-opt* improved only {tails} days with links");
    assert!(
        trades > 5,
        "exchanges improved only {trades} days with links"
    );
    assert!(settled > 300, "only {settled} descents settled");
}

#[test]
fn search_on_days_with_links_stays_feasible_and_deterministic() {
    searches_stay_feasible_and_deterministic(43, true);
}
