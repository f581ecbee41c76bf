//! Adaptive large-neighbourhood search (Ropke & Pisinger 2006) with simulated
//! annealing acceptance, and set partitioning over the route pool at fixed
//! points of the run.

use std::time::{Duration, Instant};

use super::destroy::{self, DESTROYS};
use super::eliminate::Elimination;
use super::index::Index;
use super::insertion::Inserter;
use super::ls::{self, LocalSearch};
use super::pool::Pool;
use super::repair::{self, Repair, REPAIRS};
use super::request_ls::{self, RequestSearch};
use super::solve::{Options, Progress};
use super::state::State;

/// Roulette weights with periodic updates from the scores operators earn.
struct Adaptive<const N: usize> {
    weight: [f64; N],
    score: [f64; N],
    used: [u32; N],
}

impl<const N: usize> Adaptive<N> {
    fn new() -> Self {
        Self {
            weight: [1.0; N],
            score: [0.0; N],
            used: [0; N],
        }
    }
    fn pick(&self, rng: &mut fastrand::Rng) -> usize {
        let total: f64 = self.weight.iter().sum();
        let mut x = rng.f64() * total;
        for (i, w) in self.weight.iter().enumerate() {
            x -= w;
            if x <= 0.0 {
                return i;
            }
        }
        N - 1
    }
    fn reward(&mut self, i: usize, s: f64) {
        self.score[i] += s;
        self.used[i] += 1;
    }
    fn update(&mut self) {
        const REACTION: f64 = 0.1;
        for i in 0..N {
            if self.used[i] > 0 {
                let avg = self.score[i] / self.used[i] as f64;
                self.weight[i] = (self.weight[i] * (1.0 - REACTION) + REACTION * avg).max(0.05);
            }
            self.score[i] = 0.0;
            self.used[i] = 0;
        }
    }
}

/// Most jobs removed in one iteration: small moves, many iterations.
const Q_CAP: usize = 25;
/// Jobs per route above which routes count as long.
const LONG_ROUTE: f64 = 15.0;
/// Ratio of the start to the final temperature (long routes).
const COOLING: f64 = 300.0;
/// At the start, a plan this fraction worse is accepted half of the time:
/// long routes need bolder moves to change shape, so they start hotter.
const START_LONG: f64 = 0.08;
const START_SHORT: f64 = 0.01;

/// The annealing's start and end temperatures for `n` jobs on `routes`
/// routes of variable cost `cost` (fixed vehicle costs would make the
/// temperature meaningless). The problems the request search serves all end
/// as warm as long routes do: on short routes (pr) an end eight times colder
/// froze the search by 60% of the run (session 29).
fn temperatures(n: usize, routes: usize, cost: f64, request_search: bool) -> (f64, f64) {
    let per_route = n as f64 / routes.max(1) as f64;
    let worse = if per_route > LONG_ROUTE {
        START_LONG
    } else {
        START_SHORT
    };
    let half = |fraction: f64| fraction * cost.max(1e-6) / std::f64::consts::LN_2;
    let t_start = half(worse);
    let t_end = if request_search {
        half(START_LONG) / COOLING
    } else {
        t_start / COOLING
    };
    (t_start, t_end.min(t_start))
}

/// A search on the request search's problems that has not bettered its best
/// plan for this fraction of its budget goes back to it, at the temperature
/// it has reached: a wandering annealing rarely finds its way back (pr at
/// 10 s, session 39: 1.07% against 1.20% over thirteen paired seeds).
const RESTART_AFTER: f64 = 0.1;

/// Whether the current plan goes back to the best one, `progress` into the
/// budget, the best last bettered by an iteration at `bettered`.
fn restart_due(request_search: bool, progress: f64, bettered: f64) -> bool {
    request_search && progress - bettered > RESTART_AFTER
}

/// When the run has covered these fractions of its budget, recombine the pool.
const SP_POINTS: [f64; 6] = [0.2, 0.4, 0.6, 0.75, 0.9, 0.97];

/// Whether to recombine now. microlp looks at its clock only every thousand
/// pivots, so on a pool of a thousand-stop day one recombination can take
/// several times its budget: with a time limit, skip one that the last one's
/// duration says would overrun its budget twice over or take half the time
/// left. Runs with an iteration budget never skip: they must not depend on
/// the clock.
fn sp_fits(opts: &Options, budget: f64, last: Duration, elapsed: Duration) -> bool {
    let Some(limit) = opts.time_limit.filter(|_| opts.iterations.is_none()) else {
        return true;
    };
    let last = last.as_secs_f64();
    let left = limit.saturating_sub(elapsed).as_secs_f64();
    last <= 2.0 * budget && last <= 0.5 * left
}

pub(crate) fn search(idx: &Index, opts: &Options, on_progress: &mut dyn FnMut(&Progress)) -> State {
    let began = Instant::now();
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut ins = Inserter::new(idx);
    let neigh = destroy::neighbours(idx);
    let mut cur = State::new(idx);
    let seeded = opts.initial.as_ref().map(|plan| {
        cur.seed(idx, plan, &mut ins.sched);
        cur.clone()
    });
    repair::run(Repair::Regret2, idx, &mut cur, &mut ins, &mut rng);
    let mut ls = LocalSearch::new(idx);
    ls::after_repair(
        ls.as_mut(),
        idx,
        &mut cur,
        &mut ins.sched,
        &[],
        f64::INFINITY,
        &mut rng,
    );
    // Problems the segment search cannot price get the request search.
    let mut rls = ls
        .is_none()
        .then(|| RequestSearch::with_neighbours(idx, &neigh));
    // Only a time limit without an iteration budget, or a cancellation,
    // cuts a descent short: runs with a budget must not depend on the clock.
    let out_of_time = || {
        opts.cancelled()
            || (opts.iterations.is_none() && opts.time_limit.is_some_and(|t| began.elapsed() >= t))
    };
    // Whether `cur` is a local optimum of the request search: then a
    // descent from a plan made from it looks only at the routes that changed.
    let mut settled = request_ls::after_repair(
        rls.as_mut(),
        idx,
        &mut cur,
        None,
        &mut ins,
        None,
        &mut rng,
        &out_of_time,
    );
    // Filling in the start plan's gaps may have cost it more than it saved.
    if let Some(seeded) = seeded.filter(|s| s.cost < cur.cost - 1e-9) {
        cur = seeded;
        settled = false;
    }
    let mut best = cur.clone();
    let mut pool = Pool::default();
    // Measured on DARP; the windows-only sets keep the frozen pool.
    pool.evict = rls.is_some();
    // On DARP the later recombinations rarely pay: half the time each
    // gives the search more (session 28, pr and the a-set at 10 s).
    let sp_share = if rls.is_some() { 0.02 } else { 0.04 };
    let pooling = opts.set_partitioning;
    if pooling {
        pool.add(idx, &cur);
    }
    let mut iteration: u64 = 0;
    let mut sp_time = Duration::ZERO;
    let mut last_sp = Duration::ZERO;
    let report = |best: &State, iteration: u64, sp_time, done, f: &mut dyn FnMut(&Progress)| {
        f(&Progress {
            elapsed: began.elapsed(),
            iteration,
            best_cost: best.cost,
            unassigned: best.unassigned.len(),
            routes: best.used_routes(),
            sp_time,
            done,
        })
    };
    let n = idx.jobs.len();
    report(&best, 0, sp_time, n == 0, on_progress);
    if n == 0 {
        return best;
    }
    let q_min = n.min(4);
    let q_max = ((n as f64 * 0.3) as usize).clamp(q_min, Q_CAP.max(q_min));
    let (t_start, t_end) =
        temperatures(n, cur.used_routes(), cur.variable_cost(idx), rls.is_some());
    let mut destroys = Adaptive::<{ DESTROYS.len() }>::new();
    let mut repairs = Adaptive::<{ REPAIRS.len() }>::new();
    let mut next_sp = 0;
    let mut elimination = Elimination::new(idx, &best);
    // No route costs less than its vehicle's fixed cost (negative only for
    // a vehicle already under way).
    let cost_floor: f64 = idx.vehicles.iter().map(|v| v.fixed.min(0.0)).sum();
    // When an iteration last bettered the best plan, or the search went back to it.
    let mut bettered = 0.0;

    loop {
        let progress = opts.progress(began.elapsed(), iteration);
        if progress >= 1.0 || opts.cancelled() {
            break;
        }
        if pooling && next_sp < SP_POINTS.len() && progress >= SP_POINTS[next_sp] {
            next_sp += 1;
            let budget = opts.sp_seconds(began.elapsed(), sp_share);
            if !sp_fits(opts, budget, last_sp, began.elapsed()) {
                continue;
            }
            let sp_began = Instant::now();
            if pool.evict {
                // Its routes may have been dropped since it was found.
                pool.add(idx, &best);
            }
            let found = pool.recombine(idx, &best, budget, &mut ins.sched);
            last_sp = sp_began.elapsed();
            sp_time += last_sp;
            if let Some(s) = found {
                best = s.clone();
                cur = s;
                settled = false;
                report(&best, iteration, sp_time, false, on_progress);
            }
        }
        iteration += 1;
        let temperature = t_start * (t_end / t_start).powf(progress);
        let (di, ri) = (destroys.pick(&mut rng), repairs.pick(&mut rng));
        let q = rng.usize(q_min..=q_max);
        // Every other iteration works on the route elimination's plan, if any.
        let trial_plan = elimination.plan().filter(|_| iteration % 2 == 1);
        let trial = trial_plan.is_some();
        let base = trial_plan.unwrap_or(&cur);
        let base_cost = base.cost;
        let mut next = base.clone();
        let removed = destroy::select(DESTROYS[di], idx, &next, &neigh, q, &mut rng);
        next.remove(idx, &removed, &mut ins.sched);
        // A plan whose left-out jobs alone cost more than the base plus
        // what the annealing could ever accept (a chance below e^-50) is
        // dropped as soon as the repair knows it.
        let give_up = base_cost - cost_floor + 50.0 * temperature;
        let placed = repair::run_within(REPAIRS[ri], idx, &mut next, &mut ins, &mut rng, give_up);
        let mut score = 0.0;
        if placed {
            ls::after_repair(
                ls.as_mut(),
                idx,
                &mut next,
                &mut ins.sched,
                &removed,
                base_cost,
                &mut rng,
            );
            let next_settled = request_ls::after_repair(
                rls.as_mut(),
                idx,
                &mut next,
                (!trial && settled).then_some(&cur),
                &mut ins,
                Some(&best),
                &mut rng,
                &out_of_time,
            );

            if next.cost < best.cost - 1e-9 {
                best = next.clone();
                bettered = progress;
                score = 33.0;
                report(&best, iteration, sp_time, false, on_progress);
            } else if next.cost < base_cost - 1e-9 {
                score = 9.0;
            }
            let accept = next.cost < base_cost - 1e-9
                || rng.f64() < (-(next.cost - base_cost) / temperature).exp();
            if accept {
                if score == 0.0 {
                    score = 13.0;
                }
                if pooling {
                    pool.add(idx, &next);
                }
                if trial {
                    elimination.accept(next);
                } else {
                    cur = next;
                    settled = next_settled;
                }
            }
        }
        destroys.reward(di, score);
        repairs.reward(ri, score);
        if let Some(s) = elimination.step(idx, &best, progress, &mut ins.sched, &mut rng) {
            cur = s;
            settled = false;
        }
        if restart_due(rls.is_some(), progress, bettered) {
            cur = best.clone();
            settled = false;
            bettered = progress;
        }
        if iteration.is_multiple_of(100) {
            destroys.update();
            repairs.update();
        }
    }
    report(&best, iteration, sp_time, true, on_progress);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(seconds: u64, iterations: Option<u64>) -> Options {
        Options {
            time_limit: Some(Duration::from_secs(seconds)),
            iterations,
            ..Options::default()
        }
    }

    #[test]
    fn a_recombination_that_overran_its_budget_is_not_repeated_near_the_limit() {
        let opts = limited(10, None);
        let ms = Duration::from_millis;
        // The first one, and one after a quick one, run.
        assert!(sp_fits(&opts, 0.4, Duration::ZERO, ms(2000)));
        assert!(sp_fits(&opts, 0.4, ms(300), ms(4000)));
        // The last took twice its budget and more: skip.
        assert!(!sp_fits(&opts, 0.4, ms(900), ms(6000)));
        // Within its budget, but half the time left: skip.
        assert!(!sp_fits(&opts, 0.15, ms(200), ms(9700)));
    }

    #[test]
    fn request_search_problems_end_as_warm_as_long_routes_whatever_their_start() {
        // 100 jobs on 10 routes are short routes, on 4 long ones.
        let (short_start, short_end) = temperatures(100, 10, 1000.0, true);
        let (long_start, long_end) = temperatures(100, 4, 1000.0, true);
        assert!(short_start < long_start);
        assert!((short_end - long_end).abs() < 1e-12);
        assert!((long_start / long_end - COOLING).abs() < 1e-9);
        // The windows-only search keeps its ratio on short routes.
        let (start, end) = temperatures(100, 10, 1000.0, false);
        assert!((start - short_start).abs() < 1e-12);
        assert!((start / end - COOLING).abs() < 1e-9);
        // Never warmer at the end than at the start.
        let (start, end) = temperatures(1, 1, 0.0, true);
        assert!(end <= start);
    }

    #[test]
    fn only_a_stalled_request_search_goes_back_to_its_best_plan() {
        assert!(!restart_due(true, 0.35, 0.3));
        assert!(restart_due(true, 0.41, 0.3));
        // The windows-only search never does.
        assert!(!restart_due(false, 0.9, 0.0));
    }

    #[test]
    fn with_an_iteration_budget_the_clock_never_decides() {
        let opts = limited(10, Some(5000));
        assert!(sp_fits(
            &opts,
            0.15,
            Duration::from_secs(5),
            Duration::from_millis(9700)
        ));
    }
}
