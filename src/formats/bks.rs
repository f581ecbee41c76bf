//! Best-known solutions: `instance,bks_cost,bks_vehicles,objective_note,source,status`.

use std::collections::HashMap;
use std::path::Path;

use super::FormatError;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bks {
    /// Under the set's own convention (see the benchmarks README).
    pub cost: f64,
    /// Routes in the BKS solution, where known.
    pub vehicles: Option<usize>,
}

/// Reads a bks.csv into a map from instance name to its BKS.
pub fn read_bks(path: &Path) -> Result<HashMap<String, Bks>, FormatError> {
    let text = std::fs::read_to_string(path).map_err(|source| FormatError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_bks(&path.display().to_string(), &text)
}

fn parse_bks(file: &str, text: &str) -> Result<HashMap<String, Bks>, FormatError> {
    let error = |line: usize, message: String| FormatError::Parse {
        file: file.to_owned(),
        line,
        message,
    };
    let mut records = records(text)
        .map_err(|(line, m)| error(line, m))?
        .into_iter();
    let (line, header) = records
        .next()
        .ok_or_else(|| error(1, "empty file".into()))?;
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| error(line, format!("missing column {name:?}")))
    };
    let (name_col, cost_col, veh_col) = (
        column("instance")?,
        column("bks_cost")?,
        column("bks_vehicles")?,
    );

    let mut out = HashMap::new();
    for (line, rec) in records {
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            return Err(error(
                line,
                format!("expected {} fields, found {}", header.len(), rec.len()),
            ));
        }
        let name = rec[name_col].trim();
        let cost = rec[cost_col].trim();
        let cost = match cost.parse::<f64>() {
            Ok(c) if c.is_finite() => c,
            _ => {
                return Err(error(
                    line,
                    format!("bks_cost: expected a number, found {cost:?}"),
                ))
            }
        };
        let vehicles = match rec[veh_col].trim() {
            "" => None,
            v => Some(v.parse().map_err(|_| {
                error(
                    line,
                    format!("bks_vehicles: expected an integer, found {v:?}"),
                )
            })?),
        };
        if out
            .insert(name.to_owned(), Bks { cost, vehicles })
            .is_some()
        {
            return Err(error(line, format!("duplicate instance {name:?}")));
        }
    }
    Ok(out)
}

/// A CSV record and the 1-based line it starts on.
type Record = (usize, Vec<String>);

/// RFC 4180 records: quoted fields may
/// hold commas, `""` and line breaks; CRLF is accepted.
fn records(text: &str) -> Result<Vec<Record>, (usize, String)> {
    let mut out = Vec::new();
    let (mut line, mut start) = (1, 1);
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut record)));
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err((start, "unterminated quoted field".into()));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start, record));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::benchmarks_dir;
    use super::*;

    fn bks(rel: &str) -> HashMap<String, Bks> {
        read_bks(&benchmarks_dir().join(rel)).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn darp() {
        let b = bks("darp/bks.csv");
        assert_eq!(b.len(), 41);
        assert_eq!(b.keys().filter(|k| k.starts_with('a')).count(), 21);
        assert_eq!(b.keys().filter(|k| k.starts_with("pr")).count(), 20);
        assert_eq!(
            b["a2-16"],
            Bks {
                cost: 294.25,
                vehicles: Some(2)
            }
        );
        assert_eq!(
            b["pr02"],
            Bks {
                cost: 301.34,
                vehicles: None
            }
        );
    }

    #[test]
    fn solomon_and_lilim() {
        let s = bks("vrptw/solomon/bks.csv");
        assert_eq!(s.len(), 56);
        assert_eq!(
            s["c101"],
            Bks {
                cost: 827.3,
                vehicles: Some(10)
            }
        );
        assert_eq!(bks("vrptw/solomon/bks_hierarchical.csv").len(), 56);
        let l = bks("pdptw/lilim/bks.csv");
        assert_eq!(l.len(), 56);
        assert_eq!(
            l["lc101"],
            Bks {
                cost: 828.9369,
                vehicles: Some(10)
            }
        );
    }

    #[test]
    fn quoted_fields() {
        let text = "instance,bks_cost,bks_vehicles,objective_note,source,status\r\n\
                    x1,1.5,,\"a, \"\"b\"\"\nc\",\"s,t\",ok\r\n\
                    x2,2,3,n,s,ok";
        let b = parse_bks("t", text).unwrap();
        assert_eq!(
            b["x1"],
            Bks {
                cost: 1.5,
                vehicles: None
            }
        );
        assert_eq!(
            b["x2"],
            Bks {
                cost: 2.0,
                vehicles: Some(3)
            }
        );
        let r = records(text).unwrap();
        assert_eq!(r[1].1[3], "a, \"b\"\nc");
        assert_eq!((r[1].0, r[2].0), (2, 4));
    }

    #[test]
    fn malformed_reports_line() {
        let text = "instance,bks_cost,bks_vehicles,objective_note,source,status\n\
                    x1,1.5,,n,s,ok\nx2,abc,,n,s,ok\n";
        assert!(matches!(
            parse_bks("t", text),
            Err(FormatError::Parse { line: 3, .. })
        ));
        let short = "instance,bks_cost,bks_vehicles,objective_note,source,status\nx1,1.5\n";
        assert!(matches!(
            parse_bks("t", short),
            Err(FormatError::Parse { line: 2, .. })
        ));
        let open = "instance,bks_cost,bks_vehicles\nx1,1.5,\"2\n";
        assert!(matches!(
            parse_bks("t", open),
            Err(FormatError::Parse { line: 2, .. })
        ));
    }
}
