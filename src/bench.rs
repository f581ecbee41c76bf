//! Runs the solver on public benchmark instances and scores it against the
//! best-known solutions, under each set's own objective convention.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

pub mod demo_day;
mod memory;
pub mod oneday;

use crate::formats::{self, Instance, Objective};
use crate::solver::{self, check, Solution, StopRole};

/// Large enough that one vehicle less outweighs any distance saving.
const VEHICLE_COST: f64 = 1.0e4;

/// Applies the set's objective to the model (vehicles first, where it counts them).
pub fn prepare(instance: &mut Instance) {
    if instance.objective == Objective::VehiclesThenDistance {
        for v in &mut instance.problem.vehicles {
            v.fixed_cost = VEHICLE_COST;
        }
    }
}

/// The solution file any outside checker can read: node ids as in the instance file.
#[derive(Debug, Serialize)]
pub struct SolutionFile {
    pub instance: String,
    pub cost: f64,
    pub vehicles: usize,
    pub routes: Vec<Vec<u32>>,
}

pub fn solution_file(instance: &Instance, solution: &Solution) -> SolutionFile {
    let routes = solution
        .routes
        .iter()
        .map(|r| {
            r.visits
                .iter()
                .filter_map(|v| {
                    let (p, d) = instance.node_ids[v.job];
                    match v.role {
                        StopRole::Pickup => p,
                        StopRole::Dropoff => d,
                    }
                })
                .collect()
        })
        .collect();
    SolutionFile {
        instance: instance.name.clone(),
        cost: solution.distance,
        vehicles: solution.routes.len(),
        routes,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchRow {
    pub instance: String,
    pub cost: f64,
    pub vehicles: usize,
    pub feasible: bool,
    pub gap_pct: Option<f64>,
    pub bks_vehicles: Option<usize>,
    pub seconds: f64,
    /// Search iterations done, and the seconds of set partitioning among `seconds`.
    pub iterations: u64,
    pub sp_seconds: f64,
    /// Peak resident memory of the process during this instance (Linux only).
    pub peak_mib: Option<f64>,
}

/// Solves one instance and checks the result with the independent checker.
pub fn run_instance(
    instance: &Instance,
    options: &solver::Options,
    on_progress: &mut dyn FnMut(&solver::Progress),
) -> (Solution, BenchRow) {
    memory::reset_peak();
    let began = Instant::now();
    let (mut iterations, mut sp_seconds) = (0, 0.0);
    let solution = solver::solve_with_progress(&instance.problem, options, &mut |p| {
        iterations = p.iteration;
        sp_seconds = p.sp_time.as_secs_f64();
        on_progress(p)
    })
    .expect("benchmark instances validate");
    let seconds = began.elapsed().as_secs_f64();
    let report = check::check(&instance.problem, &solution);
    let feasible = report.is_feasible() && solution.unassigned.is_empty();
    let row = BenchRow {
        instance: instance.name.clone(),
        cost: report.distance,
        vehicles: solution.routes.len(),
        feasible,
        gap_pct: None,
        bks_vehicles: None,
        seconds,
        iterations,
        sp_seconds,
        peak_mib: memory::peak_mib(),
    };
    (solution, row)
}

pub fn gap(cost: f64, bks: f64) -> f64 {
    100.0 * (cost - bks) / bks
}

/// Runs a whole set; writes `<set>.csv`, `<set>.md` and one solution file per instance into `out`.
/// `options` holds what every instance of the run shares: seed, limits, set partitioning.
pub fn run_set(
    set: &str,
    options: &solver::Options,
    only: &[String],
    out: &Path,
    mut log: impl FnMut(&BenchRow),
) -> Result<Vec<BenchRow>, Box<dyn std::error::Error>> {
    let bench = formats::bench_set(set)?;
    let bks = formats::read_bks(&bench.bks)?;
    std::fs::create_dir_all(out)?;
    let mut rows = Vec::new();
    for file in &bench.files {
        let mut instance = formats::read(bench.format, file)?;
        if !only.is_empty() && !only.contains(&instance.name) {
            continue;
        }
        prepare(&mut instance);
        let (solution, mut row) = run_instance(&instance, options, &mut |_| {});
        if let Some(b) = bks.get(&instance.name) {
            row.gap_pct = Some(gap(row.cost, b.cost));
            row.bks_vehicles = b.vehicles;
        }
        let file = solution_file(&instance, &solution);
        std::fs::write(
            out.join(format!("{}.json", instance.name)),
            serde_json::to_string(&file)?,
        )?;
        log(&row);
        rows.push(row);
    }
    let mut csv = String::from(
        "instance,cost,vehicles,feasible,gap_pct,seconds,iterations,sp_seconds,peak_mib\n",
    );
    for r in &rows {
        let gap = r.gap_pct.map_or(String::new(), |g| format!("{g:.3}"));
        let peak = r.peak_mib.map_or(String::new(), |m| format!("{m:.1}"));
        writeln!(
            csv,
            "{},{:.4},{},{},{},{:.2},{},{:.2},{}",
            r.instance,
            r.cost,
            r.vehicles,
            r.feasible,
            gap,
            r.seconds,
            r.iterations,
            r.sp_seconds,
            peak
        )?;
    }
    std::fs::write(out.join(format!("{set}.csv")), csv)?;
    std::fs::write(out.join(format!("{set}.md")), summary(set, options, &rows))?;
    Ok(rows)
}

/// The Markdown summary of a set's run.
pub fn summary(set: &str, options: &solver::Options, rows: &[BenchRow]) -> String {
    let mut s = String::new();
    let seed = options.seed;
    let time_limit = options.time_limit.unwrap_or_default();
    let n = rows.len().max(1) as f64;
    let feasible = rows.iter().filter(|r| r.feasible).count();
    let gaps: Vec<f64> = rows.iter().filter_map(|r| r.gap_pct).collect();
    let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
    let sp = if options.set_partitioning {
        ""
    } else {
        ", set partitioning off"
    };
    let _ = writeln!(
        s,
        "### giro on `{set}` ({} instances, {} s each, seed {seed}{sp})\n",
        rows.len(),
        time_limit.as_secs_f64()
    );
    let _ = writeln!(
        s,
        "- feasible under the independent checker: {feasible}/{}",
        rows.len()
    );
    if gaps.is_empty() {
        let _ = writeln!(s, "- no best-known values for these instances");
    } else {
        let _ = writeln!(s, "- mean gap to BKS: {mean:.2}%");
    }
    let seconds = rows.iter().map(|r| r.seconds).sum::<f64>();
    let sp_seconds = rows.iter().map(|r| r.sp_seconds).sum::<f64>();
    let iterations = rows.iter().map(|r| r.iterations).sum::<u64>();
    let _ = writeln!(
        s,
        "- mean time: {:.1} s, of which set partitioning {:.1}% ; {:.0} iterations/s",
        seconds / n,
        100.0 * sp_seconds / seconds.max(1e-9),
        iterations as f64 / (seconds - sp_seconds).max(1e-9)
    );
    if let Some(peak) = rows.iter().filter_map(|r| r.peak_mib).reduce(f64::max) {
        let _ = writeln!(s, "- peak memory: {peak:.0} MiB");
    }
    let with_v: Vec<&BenchRow> = rows
        .iter()
        .filter(|r| r.bks_vehicles.is_some_and(|v| r.vehicles <= v))
        .collect();
    if set == "lilim" && rows.iter().any(|r| r.bks_vehicles.is_some()) {
        let g = with_v.iter().filter_map(|r| r.gap_pct).sum::<f64>() / with_v.len().max(1) as f64;
        let _ = writeln!(
            s,
            "- BKS vehicle count reached: {}/{}; mean distance gap on those: {g:.2}%",
            with_v.len(),
            rows.len()
        );
    }
    let _ = writeln!(
        s,
        "\n| instance | cost | vehicles | feasible | gap % | s | iterations |\n|---|---|---|---|---|---|---|"
    );
    for r in rows {
        let gap = r.gap_pct.map_or("-".into(), |g| format!("{g:.2}"));
        let _ = writeln!(
            s,
            "| {} | {:.2} | {} | {} | {} | {:.1} | {} |",
            r.instance, r.cost, r.vehicles, r.feasible, gap, r.seconds, r.iterations
        );
    }
    s
}
