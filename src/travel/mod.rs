//! Travel times between the places of a day's rounds.
//!
//! The planner only needs a square matrix of minutes and kilometres. It comes
//! either from an OSRM server (real roads) or, when none is configured, from a
//! great-circle estimate stretched by a detour factor, so giro works offline.

mod cache;
mod config;
mod haversine;
mod osrm;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use config::{SpeedBand, TravelConfig};
pub use haversine::Haversine;
pub use osrm::Osrm;

/// A place, in WGS84 degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// Travel from every point to every point, row-major: from `i` to `j` is at
/// `i * size + j`. The diagonal is 0. Not necessarily symmetric (one-way
/// streets), so callers must not assume `[i][j] == [j][i]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TravelMatrix {
    pub size: usize,
    pub minutes: Vec<f64>,
    pub km: Vec<f64>,
    /// Which estimator produced the figures ("osrm" or "haversine"), so a plan
    /// can say how far its times can be trusted.
    pub source: String,
}

impl TravelMatrix {
    /// Minutes from point `i` to point `j`.
    pub fn minutes_between(&self, i: usize, j: usize) -> f64 {
        self.minutes[i * self.size + j]
    }

    /// Road kilometres from point `i` to point `j`.
    pub fn km_between(&self, i: usize, j: usize) -> f64 {
        self.km[i * self.size + j]
    }
}

/// A source of travel matrices. Boxed futures keep it object safe, so the
/// server can hold an `Arc<dyn TravelTimes>` chosen at start-up.
pub trait TravelTimes: Send + Sync {
    /// Short name, equal to the `source` of the matrices it returns.
    fn name(&self) -> &'static str;

    fn matrix<'a>(
        &'a self,
        points: &'a [Point],
    ) -> Pin<Box<dyn Future<Output = Result<TravelMatrix, TravelError>> + Send + 'a>>;
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TravelError {
    #[error(
        "point {index} has invalid coordinates (lat {lat}, lon {lon}): \
         latitude must be within -90..=90 and longitude within -180..=180"
    )]
    InvalidPoint { index: usize, lat: f64, lon: f64 },

    #[error("travel setting {setting} is invalid: {reason}")]
    Config { setting: String, reason: String },

    #[error("OSRM server at {url} is unreachable: {reason}")]
    OsrmUnreachable { url: String, reason: String },

    #[error("OSRM server at {url} did not answer within {secs} s")]
    OsrmTimeout { url: String, secs: f64 },

    #[error("OSRM answered {code}: {message}")]
    OsrmBadAnswer { code: String, message: String },

    #[error("no road route from point {from} to point {to}")]
    NoRoute { from: usize, to: usize },

    #[error(transparent)]
    ShuttingDown(#[from] crate::blocking::ShuttingDown),
}

/// The estimator the configuration asks for: OSRM when a URL is set, else the
/// offline great-circle estimate. `cfg` is expected to have passed
/// [`TravelConfig::validate`] (`from_env` does it); a bad detour or band list
/// is still reported, by the haversine estimator on its first use.
pub fn from_config(cfg: &TravelConfig) -> Arc<dyn TravelTimes> {
    match &cfg.osrm_url {
        Some(url) => Arc::new(Osrm::new(
            url,
            std::time::Duration::from_secs(cfg.osrm_timeout_secs),
        )),
        None => Arc::new(Haversine::new(cfg.detour_factor, cfg.bands.clone())),
    }
}

/// Rejects NaN and out-of-range coordinates before any maths or HTTP, so the
/// error names the caller's point rather than failing somewhere downstream.
fn check_points(points: &[Point]) -> Result<(), TravelError> {
    for (index, p) in points.iter().enumerate() {
        // `contains` is false for NaN, so NaN is rejected too.
        if !(-90.0..=90.0).contains(&p.lat) || !(-180.0..=180.0).contains(&p.lon) {
            return Err(TravelError::InvalidPoint {
                index,
                lat: p.lat,
                lon: p.lon,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_points_names_the_bad_index() {
        let ok = Point {
            lat: 44.3,
            lon: 9.4,
        };
        for bad in [
            Point {
                lat: f64::NAN,
                lon: 9.4,
            },
            Point {
                lat: 44.3,
                lon: f64::NAN,
            },
            Point {
                lat: 90.5,
                lon: 9.4,
            },
            Point {
                lat: 44.3,
                lon: -180.1,
            },
            Point {
                lat: f64::INFINITY,
                lon: 0.0,
            },
        ] {
            match check_points(&[ok, ok, bad]) {
                Err(TravelError::InvalidPoint { index, .. }) => assert_eq!(index, 2),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
        assert!(check_points(&[Point {
            lat: -90.0,
            lon: 180.0
        }])
        .is_ok());
    }

    #[test]
    fn from_config_picks_the_estimator() {
        let mut cfg = TravelConfig::default();
        assert_eq!(from_config(&cfg).name(), "haversine");
        cfg.osrm_url = Some("http://127.0.0.1:5000".into());
        assert_eq!(from_config(&cfg).name(), "osrm");
    }
}
