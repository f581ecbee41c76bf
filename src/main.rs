use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use giro::formats::{self, Format};
use giro::solver;
use giro::{api, bench, demo, server, service};

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
    /// Serve the API. SQLite by default; PostgreSQL when DATABASE_URL is postgres://…
    Serve {
        #[arg(long, env = "DATABASE_URL", default_value = server::DEFAULT_DATABASE_URL)]
        database_url: String,
        #[arg(long, env = "GIRO_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
    },
    /// Load the Sestri Levante demo for today into a fresh database, solve the day and serve it.
    Demo {
        /// A fresh SQLite file by default (replaced at each start).
        #[arg(long, default_value = "sqlite://giro-demo.db")]
        database_url: String,
        #[arg(long, env = "GIRO_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Seconds for the day's solve.
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        /// The demo day; by default today, or the next day the meal service
        /// runs when today it does not (a Sunday, a holiday).
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// Administer users of a database (a fresh one has no way in).
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
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
        /// Stop after this many iterations (the time limit still caps the
        /// run): with a seed, the same plan on any machine, and the time it
        /// took measures the search's speed.
        #[arg(long)]
        iterations: Option<u64>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these instances (by name).
        #[arg(long)]
        only: Vec<String>,
        #[arg(long, default_value = "bench-out")]
        out: PathBuf,
        /// Without set partitioning over the route pool (to measure what it adds).
        #[arg(long)]
        no_sp: bool,
    },
    /// Solve generated one-van days and report the exact step (proof of optimality).
    BenchOneday {
        /// Ride counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "8,10,12")]
        rides: Vec<usize>,
        /// Days per size (seeds 1..=N).
        #[arg(long, default_value_t = 5)]
        seeds: u64,
        /// Seconds of search per day.
        #[arg(long, default_value_t = 5.0)]
        time_limit: f64,
        /// Minutes over which the windows open: fewer crowd the morning (harder).
        #[arg(long, default_value_t = 220)]
        spread: u16,
    },
    /// Solve the demo day at each time limit (and seed): km and requests served.
    BenchDemo {
        /// Seconds per solve; give it several times to compare limits.
        #[arg(long = "time-limit", default_values_t = [2.0, 60.0])]
        time_limits: Vec<f64>,
        #[arg(long, default_values_t = [1, 2, 3], value_delimiter = ',')]
        seeds: Vec<u64>,
        /// The day to load (its weekday decides the standing orders); by
        /// default the demo's own day, as `giro demo` picks it.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Stop after this many iterations (the time limit still caps the
        /// run): with a seed, the same plan on any machine, so a change to
        /// the search's speed can be shown to leave the plans alone.
        #[arg(long)]
        iterations: Option<u64>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator. The password comes from GIRO_ADMIN_PASSWORD,
    /// or else from one line of standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, env = "DATABASE_URL", default_value = server::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Anonymise the people with no service for the retention period
    /// (GIRO_RETENTION_DAYS, 730 by default) and clear older drivers' notes.
    Retention {
        /// Print what would be done and change nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, env = "DATABASE_URL", default_value = server::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
}

fn seconds(s: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(s)
        .map_err(|_| format!("--time-limit: {s} is not a valid number of seconds"))
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Serve { database_url, bind } => {
            server::init_logging()?;
            runtime()?.block_on(async {
                let state = server::state(&database_url, &server::travel_config()?).await?;
                eprintln!("giro: serving on http://{bind} ({:?})", state.store.backend);
                server::serve(state, bind).await
            })?;
        }
        Command::Demo {
            database_url,
            bind,
            time_limit,
            date,
        } => {
            server::init_logging()?;
            seconds(time_limit)?;
            runtime()?.block_on(demo(&database_url, bind, time_limit, date))?;
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    database_url,
                },
        } => {
            let password = admin_password()?;
            let user = runtime()?.block_on(async {
                let store = giro::store::Store::connect(&database_url).await?;
                let made = service::admins::create_admin(&store, &email, &name, &password).await;
                store.close().await;
                made.map_err(Box::<dyn std::error::Error>::from)
            })?;
            eprintln!(
                "giro: administrator {} ({}) created with id {}",
                user.email, user.name, user.id
            );
        }
        Command::Admin {
            command:
                AdminCommand::Retention {
                    dry_run,
                    database_url,
                },
        } => {
            let days = service::personal::retention::period_from_env()?;
            let today = chrono::Local::now().date_naive();
            let report = runtime()?.block_on(async {
                let store = giro::store::Store::connect(&database_url).await?;
                let r = service::personal::retention::run(&store, today, days, dry_run).await;
                store.close().await;
                r.map_err(Box::<dyn std::error::Error>::from)
            })?;
            let verb = if dry_run {
                "would anonymise"
            } else {
                "anonymised"
            };
            println!(
                "giro: retention {days} days (no service since {}): {verb} {} people {:?}; \
                 {} drivers' notes {}",
                report.cutoff,
                report.anonymised.len(),
                report.anonymised,
                report.notes_cleared,
                if dry_run { "to clear" } else { "cleared" }
            );
        }
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
                        "{:7.2} s  iteration {:7}  cost {:.3}  routes {}  unassigned {}  set partitioning {:.2} s",
                        p.elapsed.as_secs_f64(),
                        p.iteration,
                        p.best_cost,
                        p.routes,
                        p.unassigned,
                        p.sp_time.as_secs_f64()
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
            iterations,
            seed,
            only,
            out,
            no_sp,
        } => {
            let options = solver::Options {
                seed,
                time_limit: Some(seconds(time_limit)?),
                iterations,
                set_partitioning: !no_sp,
                ..Default::default()
            };
            let rows = bench::run_set(&set, &options, &only, &out, |r| {
                let gap = r.gap_pct.map_or("-".into(), |g| format!("{g:.2}%"));
                eprintln!(
                    "{:8} cost {:10.3} vehicles {:2} feasible {:5} gap {:>7} {:5.1} s",
                    r.instance, r.cost, r.vehicles, r.feasible, gap, r.seconds
                );
            })?;
            if let Some(n) = iterations {
                println!("(each run stopped at {n} iterations or the time limit)\n");
            }
            print!("{}", bench::summary(&set, &options, &rows));
        }
        Command::BenchOneday {
            rides,
            seeds,
            time_limit,
            spread,
        } => {
            let limit = seconds(time_limit)?;
            let rows = bench::oneday::run(&rides, seeds, limit, spread);
            print!("{}", bench::oneday::table(&rows, limit, spread));
        }
        Command::BenchDemo {
            time_limits,
            seeds,
            date,
            iterations,
        } => {
            for &t in &time_limits {
                seconds(t)?;
            }
            let date = match date {
                Some(d) => d,
                None => demo::service_day(&demo::default_dir(), chrono::Local::now().date_naive())?,
            };
            let built = runtime()?.block_on(bench::demo_day::demo_problem(date))?;
            let runs = bench::demo_day::run(&built, &time_limits, &seeds, iterations);
            print!("{}", bench::demo_day::summary(date, &runs));
        }
    }
    Ok(())
}

/// `GIRO_ADMIN_PASSWORD`, or one line of standard input (for scripts: `echo … |`).
fn admin_password() -> Result<String, Box<dyn std::error::Error>> {
    if let Ok(p) = std::env::var("GIRO_ADMIN_PASSWORD") {
        return Ok(p);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (shown as typed): ");
    }
    let mut line = String::new();
    if stdin.read_line(&mut line)? == 0 {
        return Err("no password: set GIRO_ADMIN_PASSWORD or give it on standard input".into());
    }
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Removes a demo SQLite file and its journal so the demo starts afresh.
fn remove_sqlite(url: &str) -> std::io::Result<()> {
    let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(());
    };
    let path = path.split('?').next().unwrap_or(path);
    for suffix in ["", "-wal", "-shm"] {
        match std::fs::remove_file(format!("{path}{suffix}")) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

async fn demo(
    database_url: &str,
    bind: SocketAddr,
    time_limit: f64,
    date: Option<chrono::NaiveDate>,
) -> Result<(), Box<dyn std::error::Error>> {
    remove_sqlite(database_url)?;
    let state = server::state(database_url, &server::travel_config()?).await?;
    let now = chrono::Local::now().date_naive();
    let today = match date {
        Some(d) => d,
        None => demo::service_day(&demo::default_dir(), now)?,
    };
    if today != now {
        eprintln!(
            "giro demo: the demo day is {} {today}{}",
            today.format("%A"),
            if date.is_none() {
                format!(
                    " (on {} {now} the meal service does not run)",
                    now.format("%A")
                )
            } else {
                String::new()
            }
        );
    }
    // Pages open on today unless told the date.
    let on_date = if today == now {
        String::new()
    } else {
        format!("?date={today}")
    };
    let loaded = demo::load(&state.store, &demo::default_dir(), today).await?;
    eprintln!(
        "giro demo: Sestri Levante, {today}: {} requests, {} shifts; solving for {time_limit} s …",
        loaded.requests, loaded.shifts
    );
    let solve = api::solve_now(&state, today, time_limit, 1).await?;
    let plan = state.store.plan(today, None).await?;
    let stops: usize = plan.routes.iter().map(|r| r.stops.len()).sum();
    eprintln!(
        "giro demo: solve {:?} in {:.1} s: {} routes, {} stops, {:.1} km, {} unassigned, checker {}",
        solve.status,
        solve.elapsed_s,
        plan.routes.len(),
        stops,
        plan.figures.distance_km,
        plan.unassigned.len(),
        if plan.figures.feasible { "passed" } else { "FAILED" }
    );
    let published = demo::publish(&state.store, &loaded).await?;
    eprintln!(
        "giro demo: revision {} is published: drivers see their routes now. Their personal links:",
        published.revision
    );
    let width = published
        .drivers
        .iter()
        .map(|d| d.name.chars().count())
        .max();
    for d in &published.drivers {
        eprintln!(
            "  {:w$}  {:3} stops  http://{bind}/d/{}{on_date}",
            d.name,
            d.stops,
            d.token,
            w = width.unwrap_or(0)
        );
    }
    eprintln!(
        "\nLog in with POST /api/v1/login {{\"email\", \"password\"}}; every password is {:?}:",
        demo::PASSWORD
    );
    for l in &loaded.logins {
        eprintln!("  {:10} {:40} {}", l.role.as_str(), l.email, l.name);
    }
    eprintln!("\nThe board: http://{bind}/board/{today} (as the dispatcher)");
    eprintln!("The plan: GET http://{bind}/api/v1/plans/{today} (as the dispatcher)");
    eprintln!("The API: http://{bind}/api/v1/openapi.json\n");
    eprintln!("giro: serving on http://{bind} — Ctrl-C stops");
    server::serve(state, bind).await?;
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
