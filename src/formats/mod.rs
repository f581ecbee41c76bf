//! Readers for the public benchmark formats in `../shared/benchmarks`
//! (see its README for the file formats and objective conventions).

mod bks;
mod cordeau;
mod lilim;
mod solomon;

pub use bks::{read_bks, Bks};

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::solver::{Layout, Matrix, ModelError, Problem, Time, TimeWindow, Vehicle};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Cordeau DARP (a-set and pr01-pr20).
    Cordeau,
    /// Solomon VRPTW.
    Solomon,
    /// Li & Lim PDPTW.
    LiLim,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Cordeau => "cordeau",
            Format::Solomon => "solomon",
            Format::LiLim => "lilim",
        }
    }

    /// How the set's bks.csv scores a solution.
    pub fn objective(self) -> Objective {
        match self {
            Format::Cordeau | Format::Solomon => Objective::Distance,
            Format::LiLim => Objective::VehiclesThenDistance,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "cordeau" => Ok(Format::Cordeau),
            "solomon" => Ok(Format::Solomon),
            "lilim" => Ok(Format::LiLim),
            _ => Err(format!(
                "unknown format {s:?}: expected cordeau, solomon or lilim"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Objective {
    /// Total distance only.
    Distance,
    /// Fewest vehicles first, then total distance.
    VehiclesThenDistance,
}

#[derive(Debug, Clone)]
pub struct Instance {
    /// File stem, e.g. "a2-16", "c101", "lc101".
    pub name: String,
    pub format: Format,
    pub objective: Objective,
    pub problem: Problem,
    /// Per job (same index as `problem.jobs`): the file's node id of its
    /// pickup and of its dropoff, `None` where the job has no such stop.
    pub node_ids: Vec<(Option<u32>, Option<u32>)>,
    pub max_vehicles: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `line` is 1-based.
    #[error("{file}:{line}: {message}")]
    Parse {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: invalid problem: {source}")]
    Invalid { file: String, source: ModelError },
    #[error("unknown benchmark set {0:?}: expected one of {SETS:?}")]
    UnknownSet(String),
    #[error("benchmark set {set:?}: no instance files in {}", dir.display())]
    EmptySet { set: String, dir: PathBuf },
}

/// Reads one instance; its name is the file stem.
pub fn read(format: Format, path: &Path) -> Result<Instance, FormatError> {
    let text = std::fs::read_to_string(path).map_err(|source| FormatError::Io {
        path: path.to_owned(),
        source,
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Errors name the full path rather than the stem.
    parse(format, &name, &text).map_err(|e| match e {
        FormatError::Parse { line, message, .. } => FormatError::Parse {
            file: path.display().to_string(),
            line,
            message,
        },
        FormatError::Invalid { source, .. } => FormatError::Invalid {
            file: path.display().to_string(),
            source,
        },
        e => e,
    })
}

/// Parses an instance from its text; `name` is used for the problem and errors.
pub fn parse(format: Format, name: &str, text: &str) -> Result<Instance, FormatError> {
    let raw = match format {
        Format::Cordeau => cordeau::parse(name, text)?,
        Format::Solomon => solomon::parse(name, text)?,
        Format::LiLim => lilim::parse(name, text)?,
    };
    raw.problem
        .validate()
        .map_err(|source| FormatError::Invalid {
            file: name.to_owned(),
            source,
        })?;
    Ok(Instance {
        name: name.to_owned(),
        format,
        objective: format.objective(),
        problem: raw.problem,
        node_ids: raw.node_ids,
        max_vehicles: raw.max_vehicles,
    })
}

/// The shared benchmarks folder: `$GIRO_BENCHMARKS` if set, else
/// `../shared/benchmarks` next to this crate's manifest (fixed at build time).
/// The folder is not checked to exist.
pub fn benchmarks_dir() -> PathBuf {
    match std::env::var_os("GIRO_BENCHMARKS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks"),
    }
}

/// Names accepted by [`bench_set`].
pub const SETS: [&str; 4] = ["darp-a", "darp-pr", "solomon", "lilim"];

#[derive(Debug, Clone)]
pub struct BenchSet {
    pub name: &'static str,
    pub format: Format,
    /// Instance files in natural order (a2-16 before a2-20, c101 before c201).
    pub files: Vec<PathBuf>,
    pub bks: PathBuf,
}

/// Lists the instance files of one of [`SETS`].
pub fn bench_set(name: &str) -> Result<BenchSet, FormatError> {
    let (name, format, folder, prefix) = match name {
        "darp-a" => ("darp-a", Format::Cordeau, "darp", "a"),
        "darp-pr" => ("darp-pr", Format::Cordeau, "darp", "pr"),
        "solomon" => ("solomon", Format::Solomon, "vrptw/solomon", ""),
        "lilim" => ("lilim", Format::LiLim, "pdptw/lilim", ""),
        _ => return Err(FormatError::UnknownSet(name.to_owned())),
    };
    let dir = benchmarks_dir().join(folder);
    let io = |source| FormatError::Io {
        path: dir.clone(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        if file.starts_with(prefix) && file.ends_with(".txt") {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(FormatError::EmptySet {
            set: name.to_owned(),
            dir,
        });
    }
    files.sort_by_cached_key(|p| natural_key(&p.file_name().unwrap_or_default().to_string_lossy()));
    Ok(BenchSet {
        name,
        format,
        files,
        bks: dir.join("bks.csv"),
    })
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Text(String),
    Num(u64),
}

/// Digit runs compare as numbers so that "a2-16" < "a2-100".
fn natural_key(s: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let digits = c.is_ascii_digit();
        let end = rest
            .find(|c: char| c.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        parts.push(match run.parse() {
            Ok(n) if digits => Part::Num(n),
            _ => Part::Text(run.to_owned()),
        });
        rest = tail;
    }
    parts
}

/// What a submodule reader produces before validation.
pub(crate) struct Raw {
    pub problem: Problem,
    pub node_ids: Vec<(Option<u32>, Option<u32>)>,
    pub max_vehicles: usize,
}

/// One non-blank line split on whitespace (tabs and `\r` included).
pub(crate) struct Row<'a> {
    pub line: usize,
    pub fields: Vec<&'a str>,
    file: &'a str,
}

impl Row<'_> {
    pub fn error(&self, message: impl Into<String>) -> FormatError {
        FormatError::Parse {
            file: self.file.to_owned(),
            line: self.line,
            message: message.into(),
        }
    }

    pub fn expect_len(&self, n: usize) -> Result<(), FormatError> {
        if self.fields.len() == n {
            Ok(())
        } else {
            Err(self.error(format!("expected {n} fields, found {}", self.fields.len())))
        }
    }

    /// Field `i` as an integer type.
    pub fn int<T: FromStr>(&self, i: usize, what: &str) -> Result<T, FormatError> {
        let tok = self.field(i, what)?;
        tok.parse()
            .map_err(|_| self.error(format!("{what}: expected an integer, found {tok:?}")))
    }

    /// Field `i` as a finite number.
    pub fn num(&self, i: usize, what: &str) -> Result<f64, FormatError> {
        let tok = self.field(i, what)?;
        match tok.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.error(format!("{what}: expected a number, found {tok:?}"))),
        }
    }

    fn field(&self, i: usize, what: &str) -> Result<&str, FormatError> {
        self.fields
            .get(i)
            .copied()
            .ok_or_else(|| self.error(format!("missing field {what}")))
    }
}

/// The non-blank lines of `text`, with 1-based line numbers.
pub(crate) fn rows<'a>(file: &'a str, text: &'a str) -> impl Iterator<Item = Row<'a>> {
    text.lines().enumerate().filter_map(move |(i, l)| {
        let fields: Vec<&str> = l.split_whitespace().collect();
        (!fields.is_empty()).then_some(Row {
            line: i + 1,
            fields,
            file,
        })
    })
}

/// The error for a text that ends too early.
pub(crate) fn truncated(file: &str, text: &str, what: &str) -> FormatError {
    FormatError::Parse {
        file: file.to_owned(),
        line: text.lines().count() + 1,
        message: format!("unexpected end of file: missing {what}"),
    }
}

/// Matrix with time = distance = `dist(squared Euclidean length)`.
pub(crate) fn euclid_matrix(points: &[(f64, f64)], dist: impl Fn(f64) -> f64) -> Matrix {
    Matrix::from_fn(points.len(), |a, b| {
        let (dx, dy) = (points[a].0 - points[b].0, points[a].1 - points[b].1);
        let d = dist(dx * dx + dy * dy);
        (d, d)
    })
}

/// `k` identical vehicles "v1".."vk" with one layout "standard".
pub(crate) fn fleet(
    k: usize,
    (start, end): (usize, usize),
    shift: TimeWindow,
    max_duration: Option<Time>,
    capacity: i32,
) -> Vec<Vehicle> {
    (1..=k)
        .map(|i| Vehicle {
            id: format!("v{i}"),
            start,
            end,
            shift,
            max_duration,
            fixed_cost: 0.0,
            cost_per_distance: 1.0,
            cost_per_time: 0.0,
            skills: Vec::new(),
            layouts: vec![Layout {
                name: "standard".to_owned(),
                capacity: vec![capacity],
            }],
        })
        .collect()
}

/// The single capacity dimension of all three formats.
pub(crate) fn dimensions() -> Vec<String> {
    vec!["load".to_owned()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_str() {
        assert_eq!("cordeau".parse(), Ok(Format::Cordeau));
        assert_eq!("Solomon".parse(), Ok(Format::Solomon));
        assert_eq!("lilim".parse(), Ok(Format::LiLim));
        let err = "tsplib".parse::<Format>().unwrap_err();
        assert!(err.contains("tsplib") && err.contains("cordeau"), "{err}");
        for f in [Format::Cordeau, Format::Solomon, Format::LiLim] {
            assert_eq!(f.to_string().parse(), Ok(f));
        }
    }

    #[test]
    fn sets_have_expected_sizes_and_order() {
        for (name, n, first, last) in [
            ("darp-a", 21, "a2-16", "a8-96"),
            ("darp-pr", 20, "pr01", "pr20"),
            ("solomon", 56, "c101", "rc208"),
            ("lilim", 56, "lc101", "lrc208"),
        ] {
            let set = bench_set(name).unwrap();
            assert_eq!(set.name, name);
            assert_eq!(set.files.len(), n, "{name}");
            let stem = |p: &PathBuf| p.file_stem().unwrap().to_string_lossy().into_owned();
            assert_eq!(stem(&set.files[0]), first);
            assert_eq!(stem(set.files.last().unwrap()), last);
            assert!(set.bks.is_file(), "{}", set.bks.display());
        }
        let a = bench_set("darp-a").unwrap();
        assert!(a.files[2].ends_with("a2-24.txt") && a.files[3].ends_with("a3-24.txt"));
    }

    #[test]
    fn every_instance_has_a_bks() {
        for name in SETS {
            let set = bench_set(name).unwrap();
            let bks = read_bks(&set.bks).unwrap();
            for f in &set.files {
                let stem = f.file_stem().unwrap().to_string_lossy();
                assert!(bks.contains_key(stem.as_ref()), "{stem} has no BKS");
            }
        }
    }

    #[test]
    fn unknown_set() {
        assert!(
            matches!(bench_set("taillard"), Err(FormatError::UnknownSet(s)) if s == "taillard")
        );
    }

    #[test]
    fn missing_file_is_io_error() {
        let err = read(Format::Solomon, Path::new("/nonexistent/x.txt")).unwrap_err();
        assert!(matches!(err, FormatError::Io { .. }), "{err}");
    }

    #[test]
    fn natural_order() {
        assert!(natural_key("a2-100") > natural_key("a2-16"));
        assert!(natural_key("c201") < natural_key("r101"));
        assert!(natural_key("r208") < natural_key("rc101"));
    }
}
