//! The demo day of Sestri Levante solved at several time limits: what a
//! dispatcher who presses "solve" gets after 2 s against a long run.
//!
//! The day is loaded into a scratch SQLite file through the demo loader and
//! built by the service exactly as a solve would (straight-line travel times,
//! so the figures do not depend on a routing server); the solver then runs
//! on it directly, once per limit and seed, and the checker measures each plan.

use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::planning::Built;
use crate::server;
use crate::solver::{self, check};
use crate::travel::TravelConfig;
use crate::{demo, service};

#[derive(Debug, Clone)]
pub struct DemoRun {
    pub time_limit: f64,
    pub seed: u64,
    pub seconds: f64,
    /// Search iterations done: the search's speed on the town's own day.
    pub iterations: u64,
    pub km: f64,
    pub served: usize,
    /// When the best plan first served as many as the final one: the rest
    /// of the run only shortened it.
    pub served_by: f64,
    pub requests: usize,
    pub feasible: bool,
}

/// The demo day's planning problem for `date` (its weekday decides which
/// standing orders ride).
pub async fn demo_problem(date: NaiveDate) -> Result<Built, Box<dyn std::error::Error>> {
    let file = std::env::temp_dir().join(format!("giro-bench-demo-{}.db", std::process::id()));
    let url = format!("sqlite://{}", file.display());
    let state = server::state(&url, &TravelConfig::default()).await?;
    let built = async {
        demo::load(&state.store, &demo::default_dir(), date).await?;
        let (_, built, _) = service::records_and_problem(&state, date).await?;
        Ok::<_, Box<dyn std::error::Error>>(built)
    }
    .await;
    state.store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    built
}

/// Solves the day once per limit and seed (and at most `iterations`).
pub fn run(built: &Built, limits: &[f64], seeds: &[u64], iterations: Option<u64>) -> Vec<DemoRun> {
    let problem = &built.problem;
    let mut runs = Vec::new();
    for &time_limit in limits {
        for &seed in seeds {
            let options = solver::Options {
                seed,
                time_limit: Some(Duration::from_secs_f64(time_limit)),
                iterations,
                ..Default::default()
            };
            let began = Instant::now();
            let (mut iterations, mut left_out, mut served_by) = (0, usize::MAX, 0.0);
            let solution = solver::solve_with_progress(problem, &options, &mut |p| {
                iterations = p.iteration;
                if p.unassigned != left_out {
                    left_out = p.unassigned;
                    served_by = p.elapsed.as_secs_f64();
                }
            })
            .expect("the demo day is valid");
            let seconds = began.elapsed().as_secs_f64();
            let report = check::check(problem, &solution);
            runs.push(DemoRun {
                time_limit,
                seed,
                seconds,
                iterations,
                km: report.distance,
                served: problem.jobs.len() - solution.unassigned.len(),
                served_by,
                requests: problem.jobs.len(),
                feasible: report.is_feasible(),
            });
        }
    }
    runs
}

/// A Markdown table of the runs and, per limit, the mean km against the
/// longest limit's.
pub fn summary(date: NaiveDate, runs: &[DemoRun]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "### The demo day ({date}), one core\n");
    let _ = writeln!(
        s,
        "| limit s | seed | took s | iterations | km | served | served by s | feasible |\n|---|---|---|---|---|---|---|---|"
    );
    for r in runs {
        let _ = writeln!(
            s,
            "| {} | {} | {:.2} | {} | {:.2} | {}/{} | {:.2} | {} |",
            r.time_limit,
            r.seed,
            r.seconds,
            r.iterations,
            r.km,
            r.served,
            r.requests,
            r.served_by,
            r.feasible
        );
    }
    let mut limits: Vec<f64> = runs.iter().map(|r| r.time_limit).collect();
    limits.dedup();
    let mean = |limit: f64, f: &dyn Fn(&DemoRun) -> f64| {
        let of: Vec<f64> = runs
            .iter()
            .filter(|r| r.time_limit == limit)
            .map(f)
            .collect();
        of.iter().sum::<f64>() / of.len().max(1) as f64
    };
    let Some(&longest) = limits.iter().max_by(|a, b| a.total_cmp(b)) else {
        return s;
    };
    let base = mean(longest, &|r| r.km);
    let _ = writeln!(s);
    for &limit in &limits {
        let km = mean(limit, &|r| r.km);
        let _ = writeln!(
            s,
            "- {limit} s: mean {km:.2} km ({:+.2}% against {longest} s), mean served {:.1}",
            100.0 * (km - base) / base.max(1e-9),
            mean(limit, &|r| r.served as f64)
        );
    }
    s
}
