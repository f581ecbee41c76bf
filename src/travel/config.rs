//! Which estimator to use and how to tune it, from defaults or the environment.

use super::TravelError;

const URL_VAR: &str = "GIRO_OSRM_URL";
const DETOUR_VAR: &str = "GIRO_DETOUR_FACTOR";
const BANDS_VAR: &str = "GIRO_SPEED_BANDS";
const TIMEOUT_VAR: &str = "GIRO_OSRM_TIMEOUT_SECS";

/// Average speed for the part of a trip's road distance up to `up_to_km`
/// (from the previous band's limit); `None` means "beyond the last limit".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpeedBand {
    pub up_to_km: Option<f64>,
    pub kmh: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TravelConfig {
    /// Base URL of an OSRM server (http only: reqwest is built without TLS).
    pub osrm_url: Option<String>,
    /// Road distance over great-circle distance, for the offline estimate.
    pub detour_factor: f64,
    pub bands: Vec<SpeedBand>,
    pub osrm_timeout_secs: u64,
}

impl Default for TravelConfig {
    /// Offline estimate tuned for a hilly Ligurian town: short trips crawl
    /// through narrow streets, longer ones reach the Aurelia or the motorway.
    fn default() -> Self {
        TravelConfig {
            osrm_url: None,
            detour_factor: 1.3,
            bands: vec![
                SpeedBand {
                    up_to_km: Some(2.0),
                    kmh: 20.0,
                },
                SpeedBand {
                    up_to_km: Some(10.0),
                    kmh: 35.0,
                },
                SpeedBand {
                    up_to_km: None,
                    kmh: 60.0,
                },
            ],
            osrm_timeout_secs: 10,
        }
    }
}

impl TravelConfig {
    /// Defaults overridden by `GIRO_OSRM_URL`, `GIRO_DETOUR_FACTOR`,
    /// `GIRO_SPEED_BANDS` ("2:20,10:35,*:60") and `GIRO_OSRM_TIMEOUT_SECS`.
    pub fn from_env() -> Result<Self, TravelError> {
        Self::from_lookup(|name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()))
    }

    /// As [`from_env`](Self::from_env) but reading variables through `get`,
    /// so tests and other front ends need not touch the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, TravelError> {
        let mut cfg = TravelConfig::default();
        // An empty variable counts as unset: shells and compose files often
        // export `VAR=` to mean "nothing".
        let get = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if let Some(url) = get(URL_VAR) {
            cfg.osrm_url = Some(url.trim_end_matches('/').to_owned());
        }
        if let Some(v) = get(DETOUR_VAR) {
            cfg.detour_factor = v
                .parse()
                .map_err(|_| config_error(DETOUR_VAR, format!("'{v}' is not a number")))?;
        }
        if let Some(v) = get(BANDS_VAR) {
            cfg.bands = parse_bands(&v)?;
        }
        if let Some(v) = get(TIMEOUT_VAR) {
            cfg.osrm_timeout_secs = v.parse().map_err(|_| {
                config_error(
                    TIMEOUT_VAR,
                    format!("'{v}' is not a whole number of seconds"),
                )
            })?;
        }
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks the values make sense; errors name the environment variable
    /// that sets the offending value.
    pub fn validate(&self) -> Result<(), TravelError> {
        if let Some(url) = &self.osrm_url {
            if !url.starts_with("http://") {
                return Err(config_error(
                    URL_VAR,
                    format!("'{url}' must start with http:// (https is not supported; put a local proxy in front if needed)"),
                ));
            }
        }
        if !(self.detour_factor >= 1.0 && self.detour_factor.is_finite()) {
            return Err(config_error(
                DETOUR_VAR,
                format!(
                    "{} must be a number of at least 1 (roads are never shorter than the straight line)",
                    self.detour_factor
                ),
            ));
        }
        if self.osrm_timeout_secs == 0 {
            return Err(config_error(
                TIMEOUT_VAR,
                "must be at least 1 second".into(),
            ));
        }
        validate_bands(&self.bands)
    }
}

/// Parses "2:20,10:35,*:60": `up_to_km:kmh` pairs, the last with `*`.
fn parse_bands(text: &str) -> Result<Vec<SpeedBand>, TravelError> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            let bad = |why: &str| config_error(BANDS_VAR, format!("band '{part}' {why}"));
            let (limit, speed) = part.split_once(':').ok_or_else(|| {
                bad("is not of the form up_to_km:kmh (e.g. 2:20, or *:60 for the last)")
            })?;
            let up_to_km = match limit.trim() {
                "*" => None,
                l => Some(
                    l.parse()
                        .map_err(|_| bad("has a limit that is not a number or *"))?,
                ),
            };
            let kmh = speed
                .trim()
                .parse()
                .map_err(|_| bad("has a speed that is not a number"))?;
            Ok(SpeedBand { up_to_km, kmh })
        })
        .collect()
}

/// Bands must cover all distances exactly once, in order, at positive speeds,
/// so travel time is defined, continuous and increasing for every distance.
fn validate_bands(bands: &[SpeedBand]) -> Result<(), TravelError> {
    let bad = |why: String| config_error(BANDS_VAR, why);
    let Some(last) = bands.last() else {
        return Err(bad("needs at least one band, e.g. *:40".into()));
    };
    if last.up_to_km.is_some() {
        return Err(bad("the last band must be unbounded (*:kmh)".into()));
    }
    let mut previous = 0.0;
    for (i, band) in bands.iter().enumerate() {
        if !(band.kmh > 0.0 && band.kmh.is_finite()) {
            return Err(bad(format!(
                "band {} has speed {} km/h; it must be positive",
                i + 1,
                band.kmh
            )));
        }
        match band.up_to_km {
            Some(limit) if !(limit > previous && limit.is_finite()) => {
                return Err(bad(format!(
                    "band {} ends at {limit} km; limits must be positive and increasing",
                    i + 1
                )));
            }
            Some(limit) => previous = limit,
            None if i + 1 < bands.len() => {
                return Err(bad(format!(
                    "band {} is unbounded but is not the last",
                    i + 1
                )));
            }
            None => {}
        }
    }
    Ok(())
}

fn config_error(setting: &str, reason: String) -> TravelError {
    TravelError::Config {
        setting: setting.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from_vars(vars: &[(&str, &str)]) -> Result<TravelConfig, TravelError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        TravelConfig::from_lookup(|name| vars.get(name).cloned())
    }

    fn setting_of(result: Result<TravelConfig, TravelError>) -> String {
        match result {
            Err(TravelError::Config { setting, .. }) => setting,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn no_variables_give_the_defaults() {
        let cfg = from_vars(&[]).unwrap();
        assert_eq!(cfg, TravelConfig::default());
        assert!(cfg.validate().is_ok());
        // Empty means unset.
        assert_eq!(from_vars(&[(URL_VAR, " "), (BANDS_VAR, "")]).unwrap(), cfg);
    }

    #[test]
    fn variables_override_the_defaults() {
        let cfg = from_vars(&[
            (URL_VAR, "http://osrm.local:5000/"),
            (DETOUR_VAR, "1.5"),
            (BANDS_VAR, " 1:15 , 5.5:30,*:50 "),
            (TIMEOUT_VAR, "3"),
        ])
        .unwrap();
        assert_eq!(cfg.osrm_url.as_deref(), Some("http://osrm.local:5000"));
        assert_eq!(cfg.detour_factor, 1.5);
        assert_eq!(cfg.osrm_timeout_secs, 3);
        assert_eq!(
            cfg.bands,
            vec![
                SpeedBand {
                    up_to_km: Some(1.0),
                    kmh: 15.0
                },
                SpeedBand {
                    up_to_km: Some(5.5),
                    kmh: 30.0
                },
                SpeedBand {
                    up_to_km: None,
                    kmh: 50.0
                },
            ]
        );
        assert_eq!(from_vars(&[(BANDS_VAR, "*:40")]).unwrap().bands.len(), 1);
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            (DETOUR_VAR, "fast"),
            (DETOUR_VAR, "0.9"),
            (DETOUR_VAR, "NaN"),
            (DETOUR_VAR, "inf"),
            (URL_VAR, "https://router.project-osrm.org"),
            (URL_VAR, "osrm:5000"),
            (TIMEOUT_VAR, "0"),
            (TIMEOUT_VAR, "-1"),
            (BANDS_VAR, "2:20,10:35"),      // last band bounded
            (BANDS_VAR, "*:60,2:20"),       // unbounded band not last
            (BANDS_VAR, "10:35,2:20,*:60"), // limits decreasing
            (BANDS_VAR, "2:20,2:35,*:60"),  // limits not strictly increasing
            (BANDS_VAR, "0:20,*:60"),       // zero-length first band
            (BANDS_VAR, "2:0,*:60"),        // zero speed
            (BANDS_VAR, "2:-5,*:60"),       // negative speed
            (BANDS_VAR, "2:20,*:NaN"),      // NaN speed
            (BANDS_VAR, "2-20,*:60"),       // wrong separator
            (BANDS_VAR, "two:20,*:60"),     // limit not a number
            (BANDS_VAR, "2:20,,*:60"),      // empty band
        ] {
            let result = from_vars(&[(var, value)]);
            let message = result.as_ref().map_err(|e| e.to_string()).err();
            assert_eq!(setting_of(result), var, "{var}={value}");
            assert!(message.unwrap().contains(var), "{var}={value}");
        }
    }

    #[test]
    fn validate_rejects_an_empty_band_list() {
        let cfg = TravelConfig {
            bands: vec![],
            ..TravelConfig::default()
        };
        assert_eq!(setting_of(cfg.validate().map(|_| cfg.clone())), BANDS_VAR);
    }
}
