//! The screens against brute force: on random small routes with setup times,
//! every insertion the scheduler finds feasible survives the screens (they are
//! necessary conditions), and where the screens claim to be exact they accept
//! nothing else and their cost bound is the cost.

use std::collections::HashSet;

use super::*;
use crate::solver::index::job_of;
use crate::solver::model::{Job, Layout, Matrix, MaxRide, Problem, Stop, TimeWindow, Vehicle};
use crate::solver::state::{State, NONE};

/// Few places on a small grid (Manhattan times keep the triangle inequality
/// exact), so that visits often share a place.
fn problem(rng: &mut fastrand::Rng) -> Problem {
    let n = rng.usize(2..=6);
    let pts: Vec<(i32, i32)> = (0..n).map(|_| (rng.i32(0..=8), rng.i32(0..=8))).collect();
    let matrix = Matrix::from_fn(n, |a, b| {
        let d = f64::from((pts[a].0 - pts[b].0).abs() + (pts[a].1 - pts[b].1).abs());
        (d, d)
    });
    // Plain problems (windows and capacity only) are where the screens are exact.
    let plain = rng.u8(0..10) < 3;
    let setup = if rng.u8(0..10) < 8 {
        (0..n).map(|_| f64::from(rng.u8(0..6))).collect()
    } else {
        Vec::new()
    };
    let vehicles = (0..rng.usize(1..=2))
        .map(|i| {
            let open = f64::from(rng.u8(0..30));
            Vehicle {
                id: format!("v{i}"),
                start: 0,
                end: rng.usize(0..n),
                shift: TimeWindow::new(open, open + f64::from(rng.u16(40..300))),
                max_duration: (!plain && rng.bool()).then(|| f64::from(rng.u16(30..200))),
                fixed_cost: f64::from(rng.u8(0..20)),
                cost_per_distance: 1.0,
                cost_per_time: if !plain && rng.bool() { 0.5 } else { 0.0 },
                skills: Vec::new(),
                layouts: (0..rng.usize(1..=2))
                    .map(|k| Layout {
                        name: format!("l{k}"),
                        capacity: vec![rng.i32(1..4), rng.i32(0..2)],
                    })
                    .collect(),
            }
        })
        .collect();
    let stop = |rng: &mut fastrand::Rng| {
        let window = if rng.bool() {
            TimeWindow::open()
        } else {
            let at = f64::from(rng.u16(0..150));
            TimeWindow::new(at, at + [0.0, 5.0, 20.0, 60.0][rng.usize(0..4)])
        };
        Stop {
            location: rng.usize(0..n),
            window,
            service: f64::from(rng.u8(0..4)),
        }
    };
    let jobs = (0..rng.usize(2..=7))
        .map(|i| {
            let load = if rng.u8(0..4) == 0 {
                vec![0, 1]
            } else {
                vec![1, 0]
            };
            let (a, b) = (stop(rng), stop(rng));
            let mut job = match rng.u8(0..6) {
                0 => Job::delivery(format!("j{i}"), None, b, load),
                1 => Job::collection(format!("j{i}"), a, None, load),
                _ => Job::ride(format!("j{i}"), a, b, load),
            };
            if !plain && rng.bool() {
                let direct = matrix.time(a.location, b.location);
                job.max_ride = Some(MaxRide::minutes(direct + f64::from(rng.u8(0..30))));
            }
            job
        })
        .collect();
    let p = Problem {
        prefixes: Vec::new(),
        name: "screens".into(),
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

/// Every job of the day inserted in turn at its cheapest place.
fn filled(idx: &Index, ins: &mut Inserter, rng: &mut fastrand::Rng) -> State {
    let mut state = State::new(idx);
    let mut routes = Vec::new();
    for j in 0..idx.jobs.len() {
        if let Some(b) = state.best_insertion(idx, ins, j, 0.0, rng, &mut routes) {
            state.insert(idx, j, b, &mut ins.sched);
        }
    }
    state
}

#[derive(Default)]
struct Seen {
    feasible: usize,
    /// Feasible insertions that change a neighbour's setup.
    shared: usize,
    exact: usize,
}

/// The setup each node of a sequence pays.
fn setups(idx: &Index, nodes: &[usize]) -> Vec<(usize, f64)> {
    let mut prev = None;
    nodes
        .iter()
        .map(|&n| {
            let loc = idx.nodes[n].loc;
            (n, idx.setup(prev.replace(loc), loc))
        })
        .collect()
}

/// Screens `job` into `route` and schedules every position pair.
fn compare(
    idx: &Index,
    ins: &mut Inserter,
    win: &Windows,
    route: &RouteState,
    job: JobId,
    seen: &mut Seen,
    case: u64,
) {
    ins.cands.clear();
    let shape = idx.jobs[job].shape;
    match shape {
        Shape::Pair => ins.screen_pair(idx, win, route, job, Cut::NONE),
        _ => ins.screen_single(idx, win, route, job, Cut::NONE),
    };
    let screened: HashSet<(usize, usize)> = ins
        .cands
        .iter()
        .map(|c| (c.1 as usize, c.2 as usize))
        .collect();
    let bound = |p: usize, d: usize| {
        ins.cands
            .iter()
            .find(|c| (c.1, c.2) == (p as u32, d as u32))
    };
    let mut sched = Scheduler::new(idx);
    let m = route.nodes.len();
    for p in 0..=m {
        for d in p..=m {
            if shape != Shape::Pair && d != p {
                continue;
            }
            let mut nodes = route.nodes.clone();
            apply(idx, &mut nodes, job, p, d);
            let eval = sched.evaluate(idx, win, route.vehicle, &nodes);
            let what = format!(
                "case {case}: job {job} at ({p}, {d}) into {:?} on vehicle {}: {eval:?}",
                route.nodes, route.vehicle
            );
            match eval {
                Ok(e) => {
                    assert!(screened.contains(&(p, d)), "screened out: {what}");
                    seen.feasible += 1;
                    let (old, new) = (setups(idx, &route.nodes), setups(idx, &nodes));
                    let changed = old
                        .iter()
                        .any(|o| new.iter().any(|x| x.0 == o.0 && x.1 != o.1));
                    seen.shared += usize::from(changed);
                    if ins.exact {
                        seen.exact += 1;
                        let lb = bound(p, d).expect("screened").0;
                        let delta = e.cost - route.eval.cost;
                        assert!((lb - delta).abs() < 1e-6, "bound {lb} for {delta}: {what}");
                    }
                }
                Err(_) if ins.exact => {
                    assert!(!screened.contains(&(p, d)), "exact screen let in: {what}")
                }
                Err(_) => {}
            }
        }
    }
}

#[test]
fn screens_keep_every_feasible_insertion_with_setups() {
    let mut seen = Seen::default();
    for case in 0..400u64 {
        let mut rng = fastrand::Rng::with_seed(case);
        let p = problem(&mut rng);
        let idx = Index::new(&p);
        let mut ins = Inserter::new(&idx);
        let state = filled(&idx, &mut ins, &mut rng);
        for j in 0..p.jobs.len() {
            let mut st = state.clone();
            if st.route_of[j] != NONE {
                st.remove(&idx, &[j], &mut ins.sched);
            }
            for route in &st.routes {
                compare(&idx, &mut ins, &st.win, route, j, &mut seen, case);
            }
        }
    }
    // The cases reach what they are meant to test.
    assert!(seen.feasible > 2000, "{} feasible", seen.feasible);
    assert!(seen.shared > 100, "{} change a setup", seen.shared);
    assert!(seen.exact > 200, "{} exact", seen.exact);
}

/// A pickup placed just before a visit at the same place pays the setup early,
/// while the vehicle waits for that visit's window anyway: the visit then
/// leaves earlier than before, and so may everything after it.
#[test]
fn joining_a_shared_stop_can_make_the_rest_earlier() {
    let stop = |location, open, close| Stop {
        location,
        window: TimeWindow::new(open, close),
        service: 0.0,
    };
    let p = Problem {
        prefixes: Vec::new(),
        name: "earlier".into(),
        dimensions: vec!["seats".into()],
        matrix: Matrix::from_fn(4, |a, b| {
            let d = 10.0 * a.abs_diff(b) as f64;
            (d, d)
        }),
        vehicles: vec![Vehicle {
            id: "van".into(),
            start: 0,
            end: 0,
            shift: TimeWindow::new(0.0, 500.0),
            max_duration: None,
            fixed_cost: 0.0,
            cost_per_distance: 1.0,
            cost_per_time: 0.0,
            skills: Vec::new(),
            layouts: vec![Layout {
                name: "two".into(),
                capacity: vec![2],
            }],
        }],
        jobs: vec![
            // Boards at 50 sharp at place 1, which takes 10 minutes to set up.
            Job::ride("x", stop(1, 50.0, 50.0), stop(2, 0.0, 500.0), vec![1]),
            // Must be at place 3 by 70: only if it boards first, paying the
            // setup while the van waits for x.
            Job::ride("y", stop(1, 0.0, 100.0), stop(3, 0.0, 70.0), vec![1]),
        ],
        links: Vec::new(),
        setup: vec![0.0, 10.0, 0.0, 0.0],
    };
    let idx = Index::new(&p);
    let mut ins = Inserter::new(&idx);
    let mut state = State::new(&idx);
    let mut routes = Vec::new();
    let mut rng = fastrand::Rng::with_seed(1);
    let x = state
        .best_insertion(&idx, &mut ins, 0, 0.0, &mut rng, &mut routes)
        .expect("x alone fits");
    state.insert(&idx, 0, x, &mut ins.sched);
    assert_eq!(state.routes[0].starts, [0.0, 50.0, 70.0, 90.0]);
    let mut seen = Seen::default();
    compare(
        &idx,
        &mut ins,
        &state.win,
        &state.routes[0],
        1,
        &mut seen,
        0,
    );
    // y boarding first, dropped before or after x: both on time.
    assert_eq!((seen.feasible, seen.exact), (2, 2));
}

/// Over 400 random problems filled greedily: each job taken out (if placed),
/// then `f` on every route of the plan without it, with the job's best place
/// there (`Inserter::best`).
fn each_route_without_each_job(
    mut f: impl FnMut(u64, &Index, &mut Inserter, &State, usize, JobId, Result<Insertion, Reason>),
) {
    for case in 0..400u64 {
        let mut rng = fastrand::Rng::with_seed(case);
        let p = problem(&mut rng);
        let idx = Index::new(&p);
        let mut ins = Inserter::new(&idx);
        let state = filled(&idx, &mut ins, &mut rng);
        for j in 0..p.jobs.len() {
            let mut st = state.clone();
            if st.route_of[j] != NONE {
                st.remove(&idx, &[j], &mut ins.sched);
            }
            for r in 0..st.routes.len() {
                let full = ins.best(&idx, &st.win, &st.routes[r], r, j, 0.0, &mut rng);
                f(case, &idx, &mut ins, &st, r, j, full);
            }
        }
    }
}

/// `best_below` schedules fewer candidates, never a different answer: below
/// its bound it finds exactly what `best` finds, and above it nothing cheaper.
#[test]
fn a_bound_changes_no_insertion_below_it() {
    let mut same = 0;
    let mut rng = fastrand::Rng::with_seed(0);
    each_route_without_each_job(|case, idx, ins, st, r, j, full| {
        let route = &st.routes[r];
        let at = full.map_or(10.0, |b| b.delta);
        for bound in [f64::INFINITY, at + 1.0, at + 1e-6, at, at - 1e-6, at - 1.0] {
            let got = ins.best_below(idx, &st.win, route, r, j, 0.0, &mut rng, bound);
            match full {
                Ok(b) if b.delta < bound => {
                    let g = got.expect("found below the bound");
                    assert_eq!(
                        (g.p, g.d, g.delta.to_bits()),
                        (b.p, b.d, b.delta.to_bits()),
                        "case {case}"
                    );
                    same += 1;
                }
                _ => assert!(got.is_err() || got.is_ok_and(|g| g.delta >= bound)),
            }
        }
    });
    assert!(same > 2000, "{same}");
}

/// `cannot_beat` prices the arcs alone: whenever it says no place in a used
/// route costs less than a bound, the full search finds none there.
#[test]
fn no_insertion_beats_a_bound_the_arcs_alone_rule_out() {
    let (mut ruled_out, mut open) = (0, 0);
    each_route_without_each_job(|case, idx, _, st, r, j, full| {
        let route = &st.routes[r];
        let v = route.vehicle;
        if route.is_empty() || idx.vehicles[v].per_time != 0.0 {
            return;
        }
        let at = full.map_or(10.0, |b| b.delta);
        for bound in [
            f64::INFINITY,
            at + 1.0,
            at + 1e-6,
            at,
            at - 1e-6,
            at - 1.0,
            0.0,
        ] {
            if cannot_beat(idx, v, &route.nodes, j, bound) {
                ruled_out += 1;
                assert!(
                    full.is_err() || full.is_ok_and(|b| b.delta >= bound),
                    "case {case}"
                );
            } else {
                open += 1;
            }
        }
    });
    assert!(ruled_out > 1000 && open > 1000, "{ruled_out} {open}");
}

/// The capacity screen against every dimension of every layout, for stretches
/// that carry at most the route's peak (as every stretch of a route does).
#[test]
fn the_capacity_screen_gives_the_verdict_of_every_layout() {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut room = Room::default();
    let (mut fit, mut unfit) = (0, 0);
    for _ in 0..20_000 {
        let dims = rng.usize(1..=5);
        let layouts: Vec<Vec<i32>> = (0..rng.usize(1..=3))
            .map(|_| (0..dims).map(|_| rng.i32(0..=6)).collect())
            .collect();
        let route_peak: Vec<i32> = (0..dims).map(|_| rng.i32(0..=5)).collect();
        let q: Vec<i32> = (0..dims)
            .map(|_| if rng.bool() { 0 } else { rng.i32(1..=3) })
            .collect();
        let stretch: Vec<i32> = route_peak.iter().map(|&p| rng.i32(0..=p)).collect();
        let every = layouts
            .iter()
            .any(|cap| (0..dims).all(|d| route_peak[d].max(stretch[d] + q[d]) <= cap[d]));
        room.prepare(&layouts, &route_peak, &q);
        let peak: Vec<i32> = room.active().iter().map(|&d| stretch[d]).collect();
        assert_eq!(
            room.fits(&peak),
            every,
            "{layouts:?} {route_peak:?} {q:?} {stretch:?}"
        );
        if every {
            fit += 1;
        } else {
            unfit += 1;
        }
    }
    assert!(
        fit > 1000 && unfit > 1000,
        "both verdicts drawn: {fit} fit, {unfit} do not"
    );
}

/// [`push::fits`] is a sufficient test: every insertion the screens and it
/// pass, the scheduler accepts, at the cost the screens bound; and it
/// passes most of the insertions the scheduler accepts.
#[test]
fn a_pushed_schedule_never_lets_in_what_the_scheduler_turns_down() {
    let (mut pushed, mut feasible) = (0, 0);
    let mut shift = Vec::new();
    for case in 0..600u64 {
        let mut rng = fastrand::Rng::with_seed(case);
        let mut p = problem(&mut rng);
        p.setup.clear();
        let idx = Index::new(&p);
        assert!(push::applies(&idx));
        let mut ins = Inserter::new(&idx);
        let state = filled(&idx, &mut ins, &mut rng);
        let mut sched = Scheduler::new(&idx);
        for j in 0..p.jobs.len() {
            let mut st = state.clone();
            if st.route_of[j] != NONE {
                st.remove(&idx, &[j], &mut ins.sched);
            }
            for route in st.routes.iter().filter(|r| !r.is_empty()) {
                if !push::applies_to(&idx, route.vehicle) {
                    continue;
                }
                ins.cands.clear();
                match idx.jobs[j].shape {
                    Shape::Pair => ins.screen_pair(&idx, &st.win, route, j, Cut::NONE),
                    _ => ins.screen_single(&idx, &st.win, route, j, Cut::NONE),
                };
                for &Cand(lb, cp, cd) in ins.cands.iter() {
                    let (cp, cd) = (cp as usize, cd as usize);
                    let mut nodes = route.nodes.clone();
                    apply(&idx, &mut nodes, j, cp, cd);
                    let eval = sched.evaluate(&idx, &st.win, route.vehicle, &nodes);
                    feasible += usize::from(eval.is_ok());
                    if !push::fits(&idx, &st.win, route, j, cp, cd, &mut shift) {
                        continue;
                    }
                    pushed += 1;
                    let what = format!(
                        "case {case}: job {j} at ({cp}, {cd}) into {:?}",
                        route.nodes
                    );
                    let e = eval.unwrap_or_else(|r| panic!("pushed but {r:?}: {what}"));
                    let delta = e.cost - route.eval.cost;
                    assert!((lb - delta).abs() < 1e-6, "bound {lb} for {delta}: {what}");
                }
            }
        }
    }
    // The cases reach what they test, and the test stands in often.
    assert!(pushed > 1000, "{pushed} pushed of {feasible} feasible");
    assert!(
        2 * pushed > feasible,
        "{pushed} pushed of {feasible} feasible"
    );
}

/// A route without one of its requests keeps the others' times
/// (`RouteState::keep_times`): those times keep every window, ride and
/// duration limit, and the route costs what the scheduler says it does.
#[test]
fn a_route_without_a_request_keeps_its_times_feasibly() {
    let mut kept = 0;
    for case in 0..600u64 {
        let mut rng = fastrand::Rng::with_seed(case);
        let mut p = problem(&mut rng);
        p.setup.clear();
        let idx = Index::new(&p);
        let mut ins = Inserter::new(&idx);
        let state = filled(&idx, &mut ins, &mut rng);
        for (j, &r) in state.route_of.iter().enumerate() {
            if r == NONE {
                continue;
            }
            let from = &state.routes[r];
            let mut without = from.clone();
            without.nodes.retain(|&n| job_of(n) != j);
            if !without.keep_times(&idx, &state.win, from) {
                continue;
            }
            kept += 1;
            let what = format!("case {case}: {:?} without job {j}", from.nodes);
            let mut timed = without.clone();
            timed
                .refresh(&idx, &state.win, &mut ins.sched)
                .unwrap_or_else(|e| panic!("{e:?}: {what}"));
            assert!((timed.eval.cost - without.eval.cost).abs() < 1e-9, "{what}");
            let b = &without.starts;
            let m = without.nodes.len();
            for (k, &n) in without.nodes.iter().enumerate() {
                let k = k + 1;
                let (open, close) = state.win[n];
                assert!(
                    without.arrivals[k] <= b[k] && open <= b[k] && b[k] <= close,
                    "{what}"
                );
                let pk = without.pick_pos[k];
                if pk != crate::solver::route::NO_PICKUP {
                    let limit = idx.jobs[job_of(n)].ride_limit.expect("a limited ride");
                    assert!(b[k] - (b[pk] + without.serv[pk]) <= limit + 1e-9, "{what}");
                }
            }
            let veh = &idx.vehicles[without.vehicle];
            assert!(
                b[m + 1] <= veh.close && b[m + 1] - b[0] <= veh.max_duration,
                "{what}"
            );
        }
    }
    assert!(kept > 500, "{kept} kept");
}
