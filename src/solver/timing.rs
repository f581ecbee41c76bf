//! Times a sequence of visits fixed by hand (a dispatcher's edit): arrival,
//! start and departure per visit and the layout, also when the sequence breaks
//! a rule, so that the checker can name what breaks. A feasible sequence gets
//! exactly the search's schedule (forward time slack); an infeasible one gets
//! the same steps without giving up: earliest times, waiting when early,
//! lateness kept.

use super::index::{dropoff, pickup, stated_windows, Index};
use super::model::{JobId, ModelError, Problem, Time, VehicleId};
use super::schedule::Scheduler;
use super::solution::{Route, StopRole, Visit};

/// Times many sequences of one problem, reusing its flat view.
pub struct Timer<'p> {
    idx: Index<'p>,
    sched: Scheduler,
    /// The windows the search schedules with (those the ride limits imply):
    /// a sequence the search could have made gets the search's times.
    win: Vec<(f64, f64)>,
    /// The windows as booked: a sequence that breaks a rule is timed against
    /// them, so that lateness is measured from what was promised.
    stated: Vec<(f64, f64)>,
}

impl<'p> Timer<'p> {
    pub fn new(problem: &'p Problem) -> Self {
        let idx = Index::new(problem);
        let sched = Scheduler::new(&idx);
        let win = idx.nodes.iter().map(|n| (n.open, n.close)).collect();
        let stated = stated_windows(problem);
        Self {
            idx,
            sched,
            win,
            stated,
        }
    }

    /// Times `visits` on `vehicle`. `ready` gives, per job, the earliest start
    /// of its pickup when its outbound ride is served on another route (the
    /// link's gap included). Errors only for visits the problem does not have.
    pub fn time(
        &mut self,
        vehicle: VehicleId,
        visits: &[(JobId, StopRole)],
        ready: &[(JobId, Time)],
    ) -> Result<Route, ModelError> {
        let problem = self.idx.problem;
        if vehicle >= problem.vehicles.len() {
            return Err(ModelError::new(
                "vehicle",
                format!("vehicle {vehicle} does not exist"),
            ));
        }
        let mut nodes = Vec::with_capacity(visits.len());
        for (i, &(job, role)) in visits.iter().enumerate() {
            let model = problem.jobs.get(job).ok_or_else(|| {
                ModelError::new(format!("visits[{i}]"), format!("job {job} does not exist"))
            })?;
            let (stop, node) = match role {
                StopRole::Pickup => (model.pickup, pickup(job)),
                StopRole::Dropoff => (model.dropoff, dropoff(job)),
            };
            if stop.is_none() {
                return Err(ModelError::new(
                    format!("visits[{i}]"),
                    format!("job {job} has no {role:?} stop"),
                ));
            }
            nodes.push(node);
        }
        for &(job, at) in ready {
            for w in [&mut self.win, &mut self.stated] {
                if let Some(w) = w.get_mut(pickup(job)) {
                    w.0 = w.0.max(at);
                }
            }
        }
        let route = self.schedule(vehicle, &nodes);
        for &(job, _) in ready {
            if let (Some(node), Some(model)) =
                (self.idx.nodes.get(pickup(job)), problem.jobs.get(job))
            {
                self.win[pickup(job)].0 = node.open;
                self.stated[pickup(job)].0 = model.pickup.map_or(0.0, |s| s.window.start);
            }
        }
        Ok(route)
    }

    fn schedule(&mut self, v: VehicleId, nodes: &[usize]) -> Route {
        let idx = &self.idx;
        let layout = match self.sched.evaluate(idx, &self.win, v, nodes) {
            Ok(eval) => eval.layout,
            Err(_) => {
                self.sched.times(idx, &self.stated, v, nodes);
                least_overloaded(idx, v, nodes)
            }
        };
        let (a, b) = (&self.sched.a, &self.sched.b);
        let m = nodes.len();
        let mut prev = None;
        let visits = nodes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let loc = idx.nodes[n].loc;
                let setup = idx.setup(prev.replace(loc), loc);
                Visit {
                    job: n / 2,
                    role: if n % 2 == 0 {
                        StopRole::Pickup
                    } else {
                        StopRole::Dropoff
                    },
                    arrival: a[i + 1],
                    start: b[i + 1],
                    setup,
                    departure: b[i + 1] + setup + idx.nodes[n].service,
                }
            })
            .collect();
        let veh = &idx.vehicles[v];
        let mut at = veh.start;
        let mut distance = 0.0;
        for loc in nodes.iter().map(|&n| idx.nodes[n].loc).chain([veh.end]) {
            distance += idx.dist(at, loc);
            at = loc;
        }
        let (start, end) = if m == 0 {
            (veh.open, veh.open)
        } else {
            (b[0], b[m + 1])
        };
        let cost = if m == 0 {
            0.0
        } else {
            veh.fixed
                + veh.per_distance * distance
                + veh.per_time * (end - start)
                + idx.misses(v, nodes)
        };
        Route {
            vehicle: v,
            layout,
            start,
            end,
            visits,
            distance: if m == 0 { 0.0 } else { distance },
            cost,
        }
    }
}

/// The first layout that holds the peak load, or else the one overloaded least.
fn least_overloaded(idx: &Index, v: VehicleId, nodes: &[usize]) -> usize {
    let mut peak = vec![0i32; idx.dims];
    idx.walk_loads(nodes, &mut Vec::new(), |load| {
        for (p, l) in peak.iter_mut().zip(load) {
            *p = (*p).max(*l);
        }
    });
    let over = |cap: &Vec<i32>| -> i64 {
        cap.iter()
            .zip(&peak)
            .map(|(c, p)| i64::from((p - c).max(0)))
            .sum()
    };
    let layouts = &idx.vehicles[v].layouts;
    (0..layouts.len())
        .min_by_key(|&l| over(&layouts[l]))
        .unwrap_or(0)
}

/// Times one sequence; see [`Timer::time`].
pub fn time_route(
    problem: &Problem,
    vehicle: VehicleId,
    visits: &[(JobId, StopRole)],
) -> Result<Route, ModelError> {
    Timer::new(problem).time(vehicle, visits, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::check::{check, ViolationKind};
    use crate::solver::{
        solve, Job, Layout, Matrix, MaxRide, Options, Solution, Stop, TimeWindow, Vehicle,
    };

    /// Riders spread along a line, one van from location 0.
    fn problem() -> Problem {
        let n = 9;
        let matrix = Matrix::from_fn(n, |a, b| {
            let d = (a as f64 - b as f64).abs() * 4.0;
            (d, d)
        });
        let stop = |location, open, close| Stop {
            location,
            window: TimeWindow::new(open, close),
            service: 2.0,
        };
        let jobs = (0..4)
            .map(|k| {
                let mut j = Job::ride(
                    format!("r{k}"),
                    stop(1 + 2 * k, 0.0, 200.0),
                    stop(2 + 2 * k, 0.0, 300.0),
                    vec![1],
                );
                j.max_ride = Some(MaxRide::minutes(30.0));
                j
            })
            .collect();
        Problem {
            prefixes: Vec::new(),
            name: "line".into(),
            dimensions: vec!["seats".into()],
            matrix,
            vehicles: vec![Vehicle {
                id: "van".into(),
                start: 0,
                end: 0,
                shift: TimeWindow::new(0.0, 600.0),
                max_duration: None,
                fixed_cost: 0.0,
                cost_per_distance: 1.0,
                cost_per_time: 0.0,
                skills: Vec::new(),
                layouts: vec![
                    Layout {
                        name: "one".into(),
                        capacity: vec![1],
                    },
                    Layout {
                        name: "four".into(),
                        capacity: vec![4],
                    },
                ],
            }],
            jobs,
            links: Vec::new(),
            setup: Vec::new(),
        }
    }

    fn sequence(route: &Route) -> Vec<(JobId, StopRole)> {
        route.visits.iter().map(|v| (v.job, v.role)).collect()
    }

    fn alone(route: Route) -> Solution {
        let cost = route.cost;
        let distance = route.distance;
        Solution {
            routes: vec![route],
            unassigned: Vec::new(),
            cost,
            distance,
            proved_optimal: false,
        }
    }

    #[test]
    fn a_feasible_sequence_gets_the_schedulers_times_and_passes_the_checker() {
        let p = problem();
        let options = Options {
            iterations: Some(300),
            time_limit: None,
            ..Options::default()
        };
        let solved = solve(&p, &options).unwrap();
        assert!(solved.unassigned.is_empty());
        for route in &solved.routes {
            let timed = time_route(&p, route.vehicle, &sequence(route)).unwrap();
            assert_eq!(&timed, route, "the scheduler's times, layout and cost");
        }
        // A hand-made order, with two riders on board at once.
        let seq = [
            (0, StopRole::Pickup),
            (1, StopRole::Pickup),
            (0, StopRole::Dropoff),
            (1, StopRole::Dropoff),
        ];
        let timed = time_route(&p, 0, &seq).unwrap();
        assert_eq!(timed.layout, 1, "one seat is too few: the next layout");
        let mut whole = alone(timed);
        whole.unassigned = (2..4)
            .map(|job| crate::solver::Unassigned {
                job,
                reason: crate::solver::Reason::NoRoom,
            })
            .collect();
        whole.cost += 2.0 * crate::solver::DEFAULT_PRIORITY;
        let report = check(&p, &whole);
        assert!(report.is_feasible(), "{:#?}", report.violations);
    }

    #[test]
    fn a_sequence_breaking_a_ride_limit_is_timed_and_the_checker_names_the_job() {
        let mut p = problem();
        p.jobs.truncate(2);
        // Rider 0 (direct: 4 minutes) stays on board while the van fetches
        // rider 1 and drops him first: 24 minutes, over a 12-minute limit.
        p.jobs[0].max_ride = Some(MaxRide::minutes(12.0));
        let seq = [
            (0, StopRole::Pickup),
            (1, StopRole::Pickup),
            (1, StopRole::Dropoff),
            (0, StopRole::Dropoff),
        ];
        let timed = time_route(&p, 0, &seq).unwrap();
        assert_eq!(timed.visits.len(), 4);
        let ride = timed.visits[3].start - timed.visits[0].departure;
        assert!(ride > 12.0, "the detour is kept: {ride}");
        let report = check(&p, &alone(timed));
        let kinds: Vec<_> = report.violations.iter().map(|v| (v.kind, v.job)).collect();
        assert_eq!(kinds, [(ViolationKind::RideTime, Some(0))]);
        let v = &report.violations[0];
        assert_eq!((v.value, v.limit), (Some(ride), Some(12.0)));
        assert_eq!(v.visit, Some(3), "named at the dropoff");
    }

    #[test]
    fn a_late_sequence_keeps_its_lateness_and_unknown_visits_are_refused() {
        let mut p = problem();
        p.jobs.truncate(1);
        p.jobs[0].pickup.as_mut().unwrap().window = TimeWindow::new(0.0, 1.0);
        let seq = [(0, StopRole::Pickup), (0, StopRole::Dropoff)];
        let timed = time_route(&p, 0, &seq).unwrap();
        assert_eq!(timed.visits[0].start, 4.0, "as early as travel allows");
        let report = check(&p, &alone(timed));
        assert_eq!(report.violations.len(), 1, "{:#?}", report.violations);
        assert_eq!(report.violations[0].kind, ViolationKind::TimeWindow);
        assert_eq!(report.violations[0].limit, Some(1.0));
        assert!(time_route(&p, 0, &[(5, StopRole::Pickup)]).is_err());
        assert!(time_route(&p, 3, &seq).is_err());
    }
}
