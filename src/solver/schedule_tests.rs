//! The scheduler against the procedure as it was before its `ride_time`
//! screen and its linear bookkeeping of the delays (`Scheduler::reference`):
//! on random dial-a-ride routes (Euclidean times, so rounding is real; tight
//! ride limits and windows, so many routes fail), both give the same verdict,
//! the same reason and, for a feasible route, the same times to the bit.

use super::*;
use crate::solver::model::{
    Job, Layout, Link, Matrix, MaxRide, Problem, Stop, TimeWindow, Vehicle,
};

fn problem(rng: &mut fastrand::Rng) -> Problem {
    let n = rng.usize(3..=9);
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| (rng.f64() * 20.0 - 10.0, rng.f64() * 20.0 - 10.0))
        .collect();
    let matrix = Matrix::from_fn(n, |a, b| {
        let d = ((pts[a].0 - pts[b].0).powi(2) + (pts[a].1 - pts[b].1).powi(2)).sqrt();
        (d, d)
    });
    let setup = if rng.u8(0..10) < 3 {
        (0..n).map(|_| f64::from(rng.u8(0..4))).collect()
    } else {
        Vec::new()
    };
    let vehicles = vec![Vehicle {
        id: "v".into(),
        start: 0,
        end: rng.usize(0..n),
        shift: TimeWindow::new(0.0, f64::from(rng.u16(120..400))),
        max_duration: rng.bool().then(|| f64::from(rng.u16(60..300))),
        fixed_cost: 0.0,
        cost_per_distance: 1.0,
        cost_per_time: if rng.u8(0..4) == 0 { 0.5 } else { 0.0 },
        skills: Vec::new(),
        layouts: vec![Layout {
            name: "l".into(),
            capacity: vec![rng.i32(2..6)],
        }],
    }];
    let jobs: Vec<Job> = (0..rng.usize(2..=8))
        .map(|i| {
            let (a, b) = (rng.usize(1..n), rng.usize(1..n));
            let direct = matrix.time(a, b);
            // Cordeau's pattern: a tight window on one end, the other loose.
            let at = rng.f64() * 150.0;
            let tight = TimeWindow::new(at, at + [0.0, 5.0, 15.0][rng.usize(0..3)]);
            let (wa, wb) = if rng.bool() {
                (tight, TimeWindow::open())
            } else {
                (TimeWindow::open(), tight)
            };
            let mut stop = |location, window| Stop {
                location,
                window,
                service: [0.0, 1.0, 3.0][rng.usize(0..3)],
            };
            let mut job = Job::ride(format!("j{i}"), stop(a, wa), stop(b, wb), vec![1]);
            if rng.u8(0..5) > 0 {
                job.max_ride = Some(MaxRide::minutes(direct + rng.f64() * 25.0));
            }
            job
        })
        .collect();
    let links = if jobs.len() >= 2 && rng.u8(0..5) == 0 {
        vec![Link {
            outbound: 0,
            inbound: 1,
            min_gap: f64::from(rng.u8(0..20)),
            same_vehicle: false,
        }]
    } else {
        Vec::new()
    };
    let p = Problem {
        prefixes: Vec::new(),
        name: "schedule".into(),
        dimensions: vec!["seats".into()],
        matrix,
        vehicles,
        jobs,
        links,
        setup,
    };
    p.validate().expect("generated problems are valid");
    p
}

/// A random order of some jobs' stops, each pickup before its drop-off.
fn route(rng: &mut fastrand::Rng, jobs: usize) -> Vec<usize> {
    let mut waiting: Vec<usize> = (0..jobs).filter(|_| rng.u8(0..4) > 0).collect();
    rng.shuffle(&mut waiting);
    let (mut on_board, mut nodes) = (Vec::new(), Vec::new());
    while !waiting.is_empty() || !on_board.is_empty() {
        if !waiting.is_empty() && (on_board.is_empty() || rng.bool()) {
            let j = waiting.pop().expect("not empty");
            nodes.push(pickup(j));
            on_board.push(j);
        } else {
            let j = on_board.swap_remove(rng.usize(0..on_board.len()));
            nodes.push(dropoff(j));
        }
    }
    nodes
}

#[test]
fn screened_scheduler_gives_the_full_procedures_answers() {
    let (mut feasible, mut failed, mut screened) = (0, 0, 0);
    for case in 0..3000u64 {
        let mut rng = fastrand::Rng::with_seed(case);
        let p = problem(&mut rng);
        let idx = Index::new(&p);
        // The windows as booked exercise the ride screen; those the ride
        // limits imply (the search's) turn most such routes down before it.
        let stated = crate::solver::index::stated_windows(&p);
        let implied: Vec<(f64, f64)> = idx.nodes.iter().map(|n| (n.open, n.close)).collect();
        let mut fast = Scheduler::new(&idx);
        let mut full = Scheduler::new(&idx);
        full.reference = true;
        for k in 0..40 {
            let win = if k % 2 == 0 { &stated } else { &implied };
            let nodes = route(&mut rng, p.jobs.len());
            let got = fast.evaluate(&idx, win, 0, &nodes);
            let want = full.evaluate(&idx, win, 0, &nodes);
            assert_eq!(got, want, "case {case}: {nodes:?}");
            match got {
                Ok(_) => {
                    feasible += 1;
                    assert_eq!((&fast.a, &fast.b), (&full.a, &full.b), "case {case}");
                }
                Err(_) => failed += 1,
            }
            // No route is lost to the implied windows. (One may be gained:
            // a pickup that cannot start early is not started early, which
            // can leave the eight steps a schedule they miss otherwise.)
            let other = full.evaluate(&idx, if k % 2 == 0 { &implied } else { &stated }, 0, &nodes);
            let (by_stated, by_implied) = if k % 2 == 0 {
                (want, other)
            } else {
                (other, want)
            };
            assert!(
                by_stated.is_err() || by_implied.is_ok(),
                "case {case}, lost to the implied windows: {nodes:?}"
            );
            fast.times(&idx, win, 0, &nodes);
            full.times(&idx, win, 0, &nodes);
            assert_eq!((&fast.a, &fast.b), (&full.a, &full.b), "times, case {case}");
        }
        screened += fast.screened;
    }
    // The sample holds both kinds, and the screen does turn routes down.
    assert!(
        feasible > 1000 && failed > 1000,
        "{feasible} feasible, {failed} not"
    );
    assert!(screened > 1000, "the screen turned down {screened}");
}
