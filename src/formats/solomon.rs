//! Solomon VRPTW files: a name, `K Q` under `VEHICLE`, then
//! `id x y demand ready due service` per customer, row 0 the depot.

use super::{dimensions, euclid_matrix, fleet, rows, truncated, FormatError, Raw};
use crate::solver::{Job, Problem, Stop, TimeWindow};

/// The DIMACS convention of bks.csv: each arc truncated to one decimal.
/// `sqrt(100 d²)` keeps integer-coordinate arcs exact before the floor.
fn truncated_arc(squared: f64) -> f64 {
    (100.0 * squared).sqrt().floor() / 10.0
}

pub(crate) fn parse(file: &str, text: &str) -> Result<Raw, FormatError> {
    // Header words (VEHICLE, CUSTOMER, column titles) are skipped: only lines
    // starting with a number carry data.
    let mut lines = rows(file, text)
        .skip(1)
        .filter(|r| r.fields[0].parse::<f64>().is_ok());
    let fleet_row = lines
        .next()
        .ok_or_else(|| truncated(file, text, "vehicle line `K Q`"))?;
    fleet_row.expect_len(2)?;
    let k: usize = fleet_row.int(0, "vehicle number")?;
    let capacity: i32 = fleet_row.int(1, "capacity")?;

    let mut points = Vec::new();
    let mut stops = Vec::new();
    let mut demands = Vec::new();
    for row in lines {
        row.expect_len(7)?;
        let id: usize = row.int(0, "customer number")?;
        if id != points.len() {
            return Err(row.error(format!("expected customer {}, found {id}", points.len())));
        }
        points.push((row.num(1, "x")?, row.num(2, "y")?));
        demands.push(row.int::<i32>(3, "demand")?);
        stops.push(Stop {
            location: id,
            window: TimeWindow::new(row.num(4, "ready time")?, row.num(5, "due date")?),
            service: row.num(6, "service time")?,
        });
    }
    if stops.is_empty() {
        return Err(truncated(file, text, "depot row"));
    }

    let jobs = (1..stops.len())
        .map(|c| Job::delivery(c.to_string(), None, stops[c], vec![demands[c]]))
        .collect();
    let node_ids = (1..stops.len()).map(|c| (None, Some(c as u32))).collect();
    let problem = Problem {
        prefixes: Vec::new(),
        name: file.to_owned(),
        dimensions: dimensions(),
        matrix: euclid_matrix(&points, truncated_arc),
        vehicles: fleet(k, (0, 0), stops[0].window, None, capacity),
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
    use super::truncated_arc;
    use crate::solver::JobKind;

    #[test]
    fn c101() {
        let path = benchmarks_dir().join("vrptw/solomon/c101.txt");
        let inst = read(Format::Solomon, &path).unwrap_or_else(|e| panic!("{e}"));
        let p = &inst.problem;
        assert_eq!(inst.objective, Objective::Distance);
        assert_eq!(
            (p.jobs.len(), p.vehicles.len(), inst.max_vehicles),
            (100, 25, 25)
        );
        assert_eq!(p.matrix.size(), 101);
        let v = &p.vehicles[24];
        assert_eq!(
            (v.id.as_str(), v.start, v.end, v.max_duration),
            ("v25", 0, 0, None)
        );
        assert_eq!(v.layouts[0].capacity, [200]);
        assert_eq!(v.shift, TimeWindow::new(0.0, 1236.0));
        let j = &p.jobs[0];
        assert_eq!(
            (j.kind, j.pickup, j.load.as_slice()),
            (JobKind::Delivery, None, &[10][..])
        );
        let door = j.dropoff.unwrap();
        assert_eq!((door.location, door.service), (1, 90.0));
        assert_eq!(door.window, TimeWindow::new(912.0, 967.0));
        assert_eq!(inst.node_ids[0], (None, Some(1)));
        assert_eq!(inst.node_ids[99], (None, Some(100)));
        // Depot (40,50) to customer 1 (45,68): sqrt(25 + 324) = 18.681.. -> 18.6.
        assert_eq!(p.matrix.distance(0, 1), 18.6);
        assert_eq!(p.matrix.time(1, 0), 18.6);
        // Customer 1 (45,68) to 2 (45,70) is exactly 2.
        assert_eq!(p.matrix.distance(1, 2), 2.0);
    }

    #[test]
    fn truncation_is_exact_on_whole_lengths() {
        assert_eq!(truncated_arc(25.0), 5.0);
        assert_eq!(truncated_arc(2.0), 1.4);
        assert_eq!(truncated_arc(0.0), 0.0);
    }

    #[test]
    fn every_solomon_file_parses() {
        let files = bench_set("solomon").unwrap().files;
        assert_eq!(files.len(), 56);
        for f in files {
            let inst = read(Format::Solomon, &f).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(inst.problem.jobs.len(), 100, "{}", inst.name);
        }
    }

    #[test]
    fn malformed_text_reports_line() {
        let text = "T\r\n\r\nVEHICLE\r\nNUMBER CAPACITY\r\n 2 10\r\n\r\nCUSTOMER\r\n\
                    CUST NO. X\r\n 0 0 0 0 0 100 0\r\n 1 3 4 5 0 50\r\n";
        match parse(Format::Solomon, "bad", text) {
            Err(FormatError::Parse { line: 10, .. }) => {}
            r => panic!("{:?}", r.map(|i| i.name)),
        }
        let ok = text.replace("0 50\r", "0 50 10\r");
        let inst = parse(Format::Solomon, "ok", &ok).unwrap();
        assert_eq!(inst.problem.matrix.distance(0, 1), 5.0);
    }
}
