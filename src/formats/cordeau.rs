//! Cordeau DARP files: header `K N T Q L`, then `id x y d q e l` per node.

use super::{dimensions, euclid_matrix, fleet, rows, truncated, FormatError, Raw};
use crate::solver::{Job, MaxRide, Problem, Stop, TimeWindow};

struct Node {
    x: f64,
    y: f64,
    service: f64,
    load: i32,
    window: TimeWindow,
    line: usize,
}

pub(crate) fn parse(file: &str, text: &str) -> Result<Raw, FormatError> {
    let mut lines = rows(file, text);
    let head = lines
        .next()
        .ok_or_else(|| truncated(file, text, "header"))?;
    head.expect_len(5)?;
    let k: usize = head.int(0, "K")?;
    let big_n: usize = head.int(1, "N")?;
    let max_duration = head.num(2, "T")?;
    let capacity: i32 = head.int(3, "Q")?;
    let max_ride = head.num(4, "L")?;

    let mut nodes = Vec::new();
    for row in lines {
        row.expect_len(7)?;
        let id: usize = row.int(0, "node id")?;
        if id != nodes.len() {
            return Err(row.error(format!("expected node {}, found {id}", nodes.len())));
        }
        let (e, l) = (row.num(5, "e")?, row.num(6, "l")?);
        nodes.push(Node {
            x: row.num(1, "x")?,
            y: row.num(2, "y")?,
            service: row.num(3, "d")?,
            load: row.int(4, "q")?,
            window: TimeWindow::new(e, l),
            line: row.line,
        });
    }

    // a-files give N = n and list the destination depot; pr-files give N = 2n
    // and omit it, so node 0 serves as both depots.
    let (n, end) = if nodes.len() == 2 * big_n + 2 {
        (big_n, 2 * big_n + 1)
    } else if nodes.len() == big_n + 1 && big_n.is_multiple_of(2) {
        (big_n / 2, 0)
    } else {
        return Err(head.error(format!(
            "N = {big_n} needs {} (a-file) or {} (pr-file) node lines, found {}",
            2 * big_n + 2,
            big_n + 1,
            nodes.len()
        )));
    };

    let stop = |i: usize| Stop {
        location: i,
        window: nodes[i].window,
        service: nodes[i].service,
    };
    let mut jobs = Vec::with_capacity(n);
    let mut node_ids = Vec::with_capacity(n);
    for i in 1..=n {
        let q = nodes[i].load;
        if nodes[n + i].load != -q {
            return Err(FormatError::Parse {
                file: file.to_owned(),
                line: nodes[n + i].line,
                message: format!(
                    "request {i}: load {q} at pickup but {} here",
                    nodes[n + i].load
                ),
            });
        }
        let mut job = Job::ride(i.to_string(), stop(i), stop(n + i), vec![q]);
        job.max_ride = Some(MaxRide::minutes(max_ride));
        jobs.push(job);
        node_ids.push((Some(i as u32), Some((n + i) as u32)));
    }

    let points: Vec<(f64, f64)> = nodes.iter().map(|p| (p.x, p.y)).collect();
    let problem = Problem {
        prefixes: Vec::new(),
        name: file.to_owned(),
        dimensions: dimensions(),
        matrix: euclid_matrix(&points, f64::sqrt),
        vehicles: fleet(k, (0, end), nodes[0].window, Some(max_duration), capacity),
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
    use crate::solver::{JobKind, MaxRide};

    fn darp(name: &str) -> Instance {
        let path = benchmarks_dir().join("darp").join(format!("{name}.txt"));
        read(Format::Cordeau, &path).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a2_16() {
        let inst = darp("a2-16");
        let p = &inst.problem;
        assert_eq!(
            (inst.name.as_str(), inst.objective),
            ("a2-16", Objective::Distance)
        );
        assert_eq!(
            (p.jobs.len(), p.vehicles.len(), inst.max_vehicles),
            (16, 2, 2)
        );
        assert_eq!(p.dimensions, ["load"]);
        assert_eq!(p.matrix.size(), 34);
        let v = &p.vehicles[1];
        assert_eq!((v.id.as_str(), v.start, v.end), ("v2", 0, 33));
        assert_eq!(v.shift, TimeWindow::new(0.0, 480.0));
        assert_eq!(v.max_duration, Some(480.0));
        assert_eq!(v.layouts[0].capacity, [3]);
        let j = &p.jobs[0];
        assert_eq!((j.kind, j.load.as_slice()), (JobKind::Ride, &[1][..]));
        assert_eq!(j.max_ride, Some(MaxRide::minutes(30.0)));
        assert_eq!(j.pickup.unwrap().location, 1);
        assert_eq!(j.dropoff.unwrap().location, 17);
        assert_eq!(j.pickup.unwrap().service, 3.0);
        assert_eq!(inst.node_ids[0], (Some(1), Some(17)));
        assert_eq!(inst.node_ids[15], (Some(16), Some(32)));
        // Node 1 is at (-1.198, -5.164); not rounded.
        let d = (1.198f64 * 1.198 + 5.164 * 5.164).sqrt();
        assert_eq!(p.matrix.distance(0, 1), d);
        assert_eq!(p.matrix.time(1, 0), d);
        assert_eq!(p.matrix.distance(33, 1), d);
    }

    #[test]
    fn pr01_uses_node_0_as_destination() {
        let inst = darp("pr01");
        let p = &inst.problem;
        assert_eq!(
            (p.jobs.len(), p.vehicles.len(), inst.max_vehicles),
            (24, 3, 3)
        );
        assert_eq!(p.matrix.size(), 49);
        let v = &p.vehicles[0];
        assert_eq!((v.start, v.end), (0, 0));
        assert_eq!(v.shift, TimeWindow::new(0.0, 1440.0));
        assert_eq!(v.max_duration, Some(480.0));
        assert_eq!(v.layouts[0].capacity, [6]);
        assert_eq!(p.jobs[0].max_ride, Some(MaxRide::minutes(90.0)));
        assert_eq!(inst.node_ids[23], (Some(24), Some(48)));
        // Node 25 (dropoff of request 1): service 10, window [258, 287].
        let drop = p.jobs[0].dropoff.unwrap();
        assert_eq!((drop.location, drop.service), (25, 10.0));
        assert_eq!(drop.window, TimeWindow::new(258.0, 287.0));
    }

    #[test]
    fn every_darp_file_parses() {
        for set in ["darp-a", "darp-pr"] {
            for f in bench_set(set).unwrap().files {
                let inst = read(Format::Cordeau, &f).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(inst.node_ids.len(), inst.problem.jobs.len());
                assert!(inst.problem.validate().is_ok());
            }
        }
    }

    #[test]
    fn malformed_text_reports_line() {
        let text =
            "1 1 480 3 30\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1440\n2 1 x 3 -1 0 1440\n3 0 0 0 0 0 480\n";
        match parse(Format::Cordeau, "bad", text) {
            Err(FormatError::Parse {
                line: 4, message, ..
            }) => assert!(message.contains('y')),
            r => panic!("{:?}", r.map(|i| i.name)),
        }
        let short = "1 1 480 3 30\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1440\n";
        assert!(matches!(
            parse(Format::Cordeau, "s", short),
            Err(FormatError::Parse { line: 1, .. })
        ));
        let ok = text.replace(" x ", " 2 ");
        assert!(parse(Format::Cordeau, "ok", &ok).is_ok());
    }
}
