//! One-van days like the demo's: generated dial-a-ride mornings, solved by the
//! normal solver, to measure how often and how fast its exact step proves the
//! plan optimal.

use std::time::{Duration, Instant};

use crate::solver::{
    self, Job, Layout, Matrix, MaxRide, Options, Problem, Stop, TimeWindow, Vehicle,
    DEFAULT_PRIORITY,
};

/// A morning of `rides` rides for a 9-seat van with a lift: homes around a
/// small town, a few hubs (hospital, day centre, clinic), appointment windows
/// of 15–45 minutes opening over `spread` minutes from 8:00 (220: until
/// about noon) at the binding end, ride limits
/// from the direct drive, a wheelchair rider in five.
pub fn day(rides: usize, seed: u64, spread: u16) -> Problem {
    let mut rng = fastrand::Rng::with_seed(seed);
    const HUBS: usize = 3;
    // Places in km: the depot, the hubs, one home per ride.
    let mut pts = vec![(4.0, 2.5)];
    pts.extend((0..HUBS).map(|_| (rng.f64() * 8.0, rng.f64() * 5.0)));
    pts.extend((0..rides).map(|_| (rng.f64() * 8.0, rng.f64() * 5.0)));
    let places = pts.len();
    let matrix = Matrix::from_fn(places, |a, b| {
        let (dx, dy) = (pts[a].0 - pts[b].0, pts[a].1 - pts[b].1);
        let km = 1.3 * (dx * dx + dy * dy).sqrt();
        // 30 km/h on town roads, a minute to get going.
        let minutes = if a == b { 0.0 } else { 1.0 + 2.0 * km };
        (
            (minutes * 10.0).round() / 10.0,
            (km * 100.0).round() / 100.0,
        )
    });
    let mut setup = vec![1.0; places];
    setup[0] = 0.0;
    let jobs = (0..rides)
        .map(|i| {
            let home = 1 + HUBS + i;
            let hub = 1 + rng.usize(0..HUBS);
            let outbound = rng.u8(0..3) > 0;
            let (from, to) = if outbound { (home, hub) } else { (hub, home) };
            let chair = rng.u8(0..5) == 0;
            let load = if chair {
                vec![0, 1]
            } else {
                vec![if rng.u8(0..6) == 0 { 2 } else { 1 }, 0]
            };
            if chair {
                setup[from] = 4.0;
                setup[to] = 4.0;
            }
            let direct = matrix.time(from, to);
            let open = 480.0 + f64::from(rng.u16(0..=spread));
            let window = TimeWindow::new(open, open + f64::from(rng.u8(15..=45)));
            // The end the window does not bind gets a generous window around it.
            let (pick, drop) = if outbound {
                (
                    TimeWindow::new((open - direct - 240.0).max(0.0), window.end),
                    window,
                )
            } else {
                (window, TimeWindow::new(open, window.end + direct + 240.0))
            };
            let service = if chair { 8.0 } else { 3.0 };
            let stop = |location, window| Stop {
                location,
                window,
                service,
            };
            let mut job = Job::ride(format!("r{i}"), stop(from, pick), stop(to, drop), load);
            if chair {
                job.skills = vec!["lift".into()];
            }
            job.max_ride = Some(MaxRide::minutes((2.0 * direct).clamp(20.0, 75.0)));
            job.priority = DEFAULT_PRIORITY * f64::from([1u8, 3, 5, 8][rng.usize(0..4)]) / 5.0;
            job
        })
        .collect();
    let layout = |name: &str, seats, chairs| Layout {
        name: name.into(),
        capacity: vec![seats, chairs],
    };
    Problem {
        prefixes: Vec::new(),
        name: format!("oneday-{rides}-{seed}"),
        dimensions: vec!["seats".into(), "wheelchairs".into()],
        matrix,
        vehicles: vec![Vehicle {
            id: "van".into(),
            start: 0,
            end: 0,
            shift: TimeWindow::new(450.0, 780.0),
            max_duration: Some(300.0),
            fixed_cost: 0.0,
            cost_per_distance: 1.0,
            cost_per_time: 0.0,
            skills: vec!["lift".into()],
            layouts: vec![
                layout("9 posti", 9, 0),
                layout("2 carrozzine + 5 posti", 5, 2),
            ],
        }],
        jobs,
        links: Vec::new(),
        setup,
    }
}

/// One size's figures.
#[derive(Debug, Default)]
pub struct Row {
    pub rides: usize,
    pub days: usize,
    pub proved: usize,
    /// Seconds of the exact step: the solve's wall time past its time limit
    /// (the search stops at the limit), mean and max over the days.
    pub exact_mean: f64,
    pub exact_max: f64,
    /// Days where the exact step found a cheaper plan than the search.
    pub improved: usize,
    /// Mean of (search's cost − final cost) over the improved days.
    pub gain: f64,
    pub infeasible: usize,
}

/// Solves `seeds` days of each size at `limit` and sums up.
pub fn run(sizes: &[usize], seeds: u64, limit: Duration, spread: u16) -> Vec<Row> {
    sizes
        .iter()
        .map(|&rides| {
            let mut row = Row {
                rides,
                ..Row::default()
            };
            for seed in 1..=seeds {
                let p = day(rides, seed, spread);
                let options = Options {
                    seed,
                    time_limit: Some(limit),
                    ..Options::default()
                };
                let mut heuristic = f64::INFINITY;
                let began = Instant::now();
                let s = solver::solve_with_progress(&p, &options, &mut |pr| {
                    heuristic = pr.best_cost;
                })
                .expect("generated days are valid");
                let exact = (began.elapsed().saturating_sub(limit)).as_secs_f64();
                row.days += 1;
                row.proved += usize::from(s.proved_optimal);
                row.exact_mean += exact;
                row.exact_max = row.exact_max.max(exact);
                if s.cost < heuristic - 1e-6 * heuristic.max(1.0) {
                    row.improved += 1;
                    row.gain += heuristic - s.cost;
                }
                row.infeasible += usize::from(!solver::check::check(&p, &s).is_feasible());
            }
            row.exact_mean /= row.days.max(1) as f64;
            row.gain /= row.improved.max(1) as f64;
            row
        })
        .collect()
}

/// A plain-text table of the rows.
pub fn table(rows: &[Row], limit: Duration, spread: u16) -> String {
    let mut out = format!(
        "one-van days, windows over {spread} min, search {:.1} s each; \
         exact s = wall time past the limit\n\
         rides  days  proved  exact s mean  exact s max  improved  mean gain  infeasible\n",
        limit.as_secs_f64()
    );
    for r in rows {
        out += &format!(
            "{:5}  {:4}  {:6}  {:12.3}  {:11.3}  {:8}  {:9.2}  {:10}\n",
            r.rides, r.days, r.proved, r.exact_mean, r.exact_max, r.improved, r.gain, r.infeasible
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_days_are_valid_one_van_mornings_with_wheelchair_riders() {
        let p = day(12, 3, 220);
        p.validate().unwrap();
        assert_eq!(p.jobs.len(), 12);
        assert_eq!(p.vehicles.len(), 1);
        assert_eq!(p.vehicles[0].layouts.len(), 2);
        let chairs = (1..=20)
            .flat_map(|s| day(10, s, 220).jobs)
            .filter(|j| j.load[1] > 0)
            .count();
        assert!((10..=80).contains(&chairs), "{chairs} of 200");
        assert!(p.jobs.iter().all(|j| j.max_ride.is_some()));
    }
}
