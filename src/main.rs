use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use giro::bench;
use giro::formats::{self, Format};
use giro::solver;

#[derive(Parser)]
#[command(
    name = "giro",
    version,
    about = "Plans the daily rounds of a town's social services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve one benchmark instance and write its solution as JSON.
    Solve {
        #[arg(long)]
        format: Format,
        file: PathBuf,
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print each improvement of the best plan.
        #[arg(long)]
        verbose: bool,
    },
    /// Run a benchmark set (darp-a, darp-pr, solomon, lilim): CSV, Markdown and solution files.
    Bench {
        set: String,
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these instances (by name).
        #[arg(long)]
        only: Vec<String>,
        #[arg(long, default_value = "bench-out")]
        out: PathBuf,
    },
}

fn seconds(s: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(s)
        .map_err(|_| format!("--time-limit: {s} is not a valid number of seconds"))
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Solve {
            format,
            file,
            time_limit,
            seed,
            out,
            verbose,
        } => {
            let mut instance = formats::read(format, &file)?;
            bench::prepare(&mut instance);
            let options = solver::Options {
                seed,
                time_limit: Some(seconds(time_limit)?),
                ..Default::default()
            };
            let (solution, row) = bench::run_instance(&instance, &options, &mut |p| {
                if verbose {
                    eprintln!(
                        "{:7.2} s  iteration {:7}  cost {:.3}  routes {}  unassigned {}",
                        p.elapsed.as_secs_f64(),
                        p.iteration,
                        p.best_cost,
                        p.routes,
                        p.unassigned
                    );
                }
            });
            let json = serde_json::to_string_pretty(&bench::solution_file(&instance, &solution))?;
            match out {
                Some(path) => std::fs::write(path, json)?,
                None => println!("{json}"),
            }
            eprintln!(
                "{}: cost {:.4}, {} vehicles, feasible {}, {:.1} s",
                row.instance, row.cost, row.vehicles, row.feasible, row.seconds
            );
        }
        Command::Bench {
            set,
            time_limit,
            seed,
            only,
            out,
        } => {
            let rows = bench::run_set(&set, seconds(time_limit)?, seed, &only, &out, |r| {
                let gap = r.gap_pct.map_or("-".into(), |g| format!("{g:.2}%"));
                eprintln!(
                    "{:8} cost {:10.3} vehicles {:2} feasible {:5} gap {:>7} {:5.1} s",
                    r.instance, r.cost, r.vehicles, r.feasible, gap, r.seconds
                );
            })?;
            print!(
                "{}",
                bench::summary(&set, seconds(time_limit)?, seed, &rows)
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("giro: {e}");
            ExitCode::FAILURE
        }
    }
}
