//! Li & Lim PDPTW files: `K Q speed`, then `id x y demand e l service p d`
//! per task, task 0 the depot.

use super::{dimensions, euclid_matrix, fleet, rows, truncated, FormatError, Raw};
use crate::solver::{Job, Problem, Stop, TimeWindow};

struct Task {
    stop: Stop,
    demand: i32,
    /// The paired pickup (for a delivery) and delivery (for a pickup); 0 if none.
    pickup: usize,
    delivery: usize,
    line: usize,
}

pub(crate) fn parse(file: &str, text: &str) -> Result<Raw, FormatError> {
    let mut lines = rows(file, text);
    let head = lines
        .next()
        .ok_or_else(|| truncated(file, text, "header"))?;
    head.expect_len(3)?;
    let k: usize = head.int(0, "vehicles")?;
    let capacity: i32 = head.int(1, "capacity")?;

    let mut points = Vec::new();
    let mut tasks = Vec::new();
    for row in lines {
        row.expect_len(9)?;
        let id: usize = row.int(0, "task id")?;
        if id != tasks.len() {
            return Err(row.error(format!("expected task {}, found {id}", tasks.len())));
        }
        points.push((row.num(1, "x")?, row.num(2, "y")?));
        tasks.push(Task {
            stop: Stop {
                location: id,
                window: TimeWindow::new(row.num(4, "e")?, row.num(5, "l")?),
                service: row.num(6, "service")?,
            },
            demand: row.int(3, "demand")?,
            pickup: row.int(7, "pickup")?,
            delivery: row.int(8, "delivery")?,
            line: row.line,
        });
    }
    if tasks.is_empty() {
        return Err(truncated(file, text, "depot line"));
    }

    let mut jobs = Vec::new();
    let mut node_ids = Vec::new();
    let mut paired = vec![false; tasks.len()];
    for (p, task) in tasks.iter().enumerate().skip(1) {
        let error = |message: String| FormatError::Parse {
            file: file.to_owned(),
            line: task.line,
            message,
        };
        if task.pickup != 0 {
            // A delivery: checked from its pickup.
            continue;
        }
        let d = task.delivery;
        let ok = d != 0
            && tasks
                .get(d)
                .is_some_and(|t| t.pickup == p && t.demand == -task.demand);
        if !ok {
            return Err(error(format!(
                "pickup {p}: delivery {d} is missing or does not point back with demand {}",
                -task.demand
            )));
        }
        paired[d] = true;
        let job = Job::ride(p.to_string(), task.stop, tasks[d].stop, vec![task.demand]);
        jobs.push(job);
        node_ids.push((Some(p as u32), Some(d as u32)));
    }
    if let Some(t) = (1..tasks.len()).find(|&t| tasks[t].pickup != 0 && !paired[t]) {
        return Err(FormatError::Parse {
            file: file.to_owned(),
            line: tasks[t].line,
            message: format!("delivery {t} has no matching pickup"),
        });
    }

    let problem = Problem {
        prefixes: Vec::new(),
        name: file.to_owned(),
        dimensions: dimensions(),
        matrix: euclid_matrix(&points, f64::sqrt),
        vehicles: fleet(k, (0, 0), tasks[0].stop.window, None, capacity),
        jobs,
        links: Vec::new(),
        setup: Vec::new(),
    };
    Ok(Raw {
        problem,
        node_ids,
        max_vehicles: k,
    })
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::solver::JobKind;

    #[test]
    fn lc101() {
        let path = benchmarks_dir().join("pdptw/lilim/lc101.txt");
        let inst = read(Format::LiLim, &path).unwrap_or_else(|e| panic!("{e}"));
        let p = &inst.problem;
        assert_eq!(inst.objective, Objective::VehiclesThenDistance);
        assert_eq!(
            (p.jobs.len(), p.vehicles.len(), inst.max_vehicles),
            (53, 25, 25)
        );
        assert_eq!(p.matrix.size(), 107);
        let v = &p.vehicles[0];
        assert_eq!(
            (v.id.as_str(), v.start, v.end, v.max_duration),
            ("v1", 0, 0, None)
        );
        assert_eq!(v.shift, TimeWindow::new(0.0, 1236.0));
        assert_eq!(v.layouts[0].capacity, [200]);
        // First pickup is task 3 (42,66), demand 10, window [65,146], delivered at 75.
        let j = &p.jobs[0];
        assert_eq!(
            (j.id.as_str(), j.kind, j.max_ride),
            ("3", JobKind::Ride, None)
        );
        assert_eq!(j.load, [10]);
        assert_eq!(inst.node_ids[0], (Some(3), Some(75)));
        let pick = j.pickup.unwrap();
        assert_eq!((pick.location, pick.service), (3, 90.0));
        assert_eq!(pick.window, TimeWindow::new(65.0, 146.0));
        assert_eq!(j.dropoff.unwrap().location, 75);
        // Depot (40,50) to task 3 (42,66): sqrt(4 + 256), not rounded.
        assert_eq!(p.matrix.distance(0, 3), 260f64.sqrt());
        assert_eq!(p.matrix.time(3, 0), 260f64.sqrt());
    }

    #[test]
    fn every_lilim_file_parses() {
        let files = bench_set("lilim").unwrap().files;
        assert_eq!(files.len(), 56);
        for f in files {
            let inst = read(Format::LiLim, &f).unwrap_or_else(|e| panic!("{e}"));
            let n = inst.problem.jobs.len();
            assert!((50..=55).contains(&n), "{}: {n} jobs", inst.name);
            assert_eq!(inst.problem.matrix.size(), 2 * n + 1);
        }
    }

    #[test]
    fn malformed_text_reports_line() {
        let text = "2\t10\t1\r\n0\t0\t0\t0\t0\t100\t0\t0\t0\r\n\
                    1\t3\t4\t5\t0\t50\t1\t0\t2\r\n2\t0\t4\t-5\t0\t60\t1\t1\t0\r\n";
        assert!(parse(Format::LiLim, "ok", text).is_ok());
        let bad = text.replace("\t-5\t", "\t-5.5\t");
        assert!(matches!(
            parse(Format::LiLim, "bad", &bad),
            Err(FormatError::Parse { line: 4, .. })
        ));
        let unpaired = text.replace("\t1\t1\t0\r", "\t1\t0\t0\r");
        assert!(matches!(
            parse(Format::LiLim, "u", &unpaired),
            Err(FormatError::Parse { line: 3, .. })
        ));
    }
}
