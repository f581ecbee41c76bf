//! Road travel times from an OSRM server's `/table` service.

use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::Deserialize;

use super::cache::PairCache;
use super::{check_points, Point, TravelError, TravelMatrix, TravelTimes};

const SOURCE: &str = "osrm";

pub struct Osrm {
    base_url: String,
    timeout: Duration,
    client: reqwest::Client,
    cache: PairCache,
}

impl Osrm {
    /// `base_url` like `http://osrm:5000` (no trailing path). `timeout`
    /// covers the whole request, so a stuck server cannot stall planning.
    pub fn new(base_url: &str, timeout: Duration) -> Self {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            // Only TLS set-up can fail here, and reqwest is built without TLS.
            .expect("an HTTP-only reqwest client always builds");
        Osrm {
            base_url: base_url.trim_end_matches('/').to_owned(),
            timeout,
            client,
            cache: PairCache::new(),
        }
    }

    /// OSRM wants `lon,lat` pairs joined by `;`. Six decimals (about 10 cm)
    /// match the cache keys.
    fn table_url(&self, points: &[Point]) -> String {
        let mut url = format!("{}/table/v1/driving/", self.base_url);
        for (i, p) in points.iter().enumerate() {
            let sep = if i == 0 { "" } else { ";" };
            let _ = write!(url, "{sep}{:.6},{:.6}", p.lon, p.lat);
        }
        url.push_str("?annotations=duration,distance");
        url
    }

    async fn fetch(&self, points: &[Point]) -> Result<TravelMatrix, TravelError> {
        tracing::debug!(points = points.len(), url = %self.base_url, "asking OSRM for a table");
        let answer = self
            .client
            .get(self.table_url(points))
            .send()
            .await
            .map_err(|e| self.http_error(e))?;
        // OSRM puts its error codes in JSON bodies of 4xx answers, so read
        // the body whatever the status.
        let status = answer.status();
        let body = answer.text().await.map_err(|e| self.http_error(e))?;
        parse_table(status.as_u16(), &body, points.len())
    }

    fn http_error(&self, e: reqwest::Error) -> TravelError {
        if e.is_timeout() {
            return TravelError::OsrmTimeout {
                url: self.base_url.clone(),
                secs: self.timeout.as_secs_f64(),
            };
        }
        // The top-level message is vague ("error sending request"); the
        // causes say what happened ("Connection refused"). The request URL is
        // left out: it is long and already implied by the base URL.
        let e = e.without_url();
        let mut reason = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            let _ = write!(reason, ": {c}");
            cause = c.source();
        }
        TravelError::OsrmUnreachable {
            url: self.base_url.clone(),
            reason,
        }
    }
}

impl TravelTimes for Osrm {
    fn name(&self) -> &'static str {
        SOURCE
    }

    fn matrix<'a>(
        &'a self,
        points: &'a [Point],
    ) -> Pin<Box<dyn Future<Output = Result<TravelMatrix, TravelError>> + Send + 'a>> {
        Box::pin(async move {
            check_points(points)?;
            // Zero or one point, or every pair seen before: no HTTP call.
            if let Some(m) = self.cache.lookup(points, SOURCE) {
                return Ok(m);
            }
            let m = self.fetch(points).await?;
            self.cache.store(points, &m);
            Ok(m)
        })
    }
}

/// The parts of a `/table` answer we use; errors carry only code and message.
#[derive(Deserialize)]
struct TableAnswer {
    code: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    durations: Option<Vec<Vec<Option<f64>>>>,
    #[serde(default)]
    distances: Option<Vec<Vec<Option<f64>>>>,
}

/// Turns an answer body into a matrix in minutes and km.
fn parse_table(status: u16, body: &str, n: usize) -> Result<TravelMatrix, TravelError> {
    let answer: TableAnswer = serde_json::from_str(body).map_err(|e| {
        let snippet: String = body.chars().take(200).collect();
        bad(
            format!("HTTP {status}"),
            format!("not an OSRM answer ({e}): {snippet}"),
        )
    })?;
    if answer.code != "Ok" {
        return Err(bad(answer.code, answer.message.unwrap_or_default()));
    }
    let durations = square(answer.durations, "durations", n)?;
    let distances = square(answer.distances, "distances", n)?;
    let mut minutes = vec![0.0; n * n];
    let mut km = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (Some(s), Some(m)) = (durations[i][j], distances[i][j]) else {
                return Err(TravelError::NoRoute { from: i, to: j });
            };
            if s < 0.0 || m < 0.0 {
                return Err(bad(
                    "Ok".into(),
                    format!("negative figure from point {i} to point {j}"),
                ));
            }
            minutes[i * n + j] = s / 60.0;
            km[i * n + j] = m / 1000.0;
        }
    }
    Ok(TravelMatrix {
        size: n,
        minutes,
        km,
        source: SOURCE.to_owned(),
    })
}

/// A table must be present and n×n, or indices would point at wrong places.
fn square(
    table: Option<Vec<Vec<Option<f64>>>>,
    what: &str,
    n: usize,
) -> Result<Vec<Vec<Option<f64>>>, TravelError> {
    let table = table.ok_or_else(|| {
        bad(
            "Ok".into(),
            format!("no {what} table (server without annotations=distance?)"),
        )
    })?;
    if table.len() != n || table.iter().any(|row| row.len() != n) {
        return Err(bad("Ok".into(), format!("{what} table is not {n}×{n}")));
    }
    Ok(table)
}

fn bad(code: String, message: String) -> TravelError {
    TravelError::OsrmBadAnswer { code, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_has_lon_lat_six_decimals() {
        let osrm = Osrm::new("http://osrm:5000/", Duration::from_secs(1));
        let url = osrm.table_url(&[
            Point {
                lat: 44.2761744,
                lon: 9.397524,
            },
            Point {
                lat: -1.5,
                lon: -70.25,
            },
        ]);
        assert_eq!(
            url,
            "http://osrm:5000/table/v1/driving/9.397524,44.276174;-70.250000,-1.500000\
             ?annotations=duration,distance"
        );
    }

    #[test]
    fn parses_and_converts_units() {
        let body = r#"{"code":"Ok","durations":[[0,90],[120,0]],"distances":[[0,1500],[1800,0]]}"#;
        let m = parse_table(200, body, 2).unwrap();
        assert_eq!(m.minutes, vec![0.0, 1.5, 2.0, 0.0]);
        assert_eq!(m.km, vec![0.0, 1.5, 1.8, 0.0]);
        assert_eq!(m.source, "osrm");
    }

    #[test]
    fn error_answers() {
        let e = parse_table(400, r#"{"code":"InvalidQuery","message":"bad coords"}"#, 2);
        assert_eq!(
            e,
            Err(TravelError::OsrmBadAnswer {
                code: "InvalidQuery".into(),
                message: "bad coords".into()
            })
        );
        let null = r#"{"code":"Ok","durations":[[0,1],[null,0]],"distances":[[0,1],[1,0]]}"#;
        assert_eq!(
            parse_table(200, null, 2),
            Err(TravelError::NoRoute { from: 1, to: 0 })
        );
        for body in [
            "<html>502 Bad Gateway</html>",
            r#"{"code":"Ok","durations":[[0,1],[1,0]]}"#,
            r#"{"code":"Ok","durations":[[0,1]],"distances":[[0,1],[1,0]]}"#,
            r#"{"code":"Ok","durations":[[0,1],[1,0]],"distances":[[0,-1],[1,0]]}"#,
        ] {
            assert!(
                matches!(
                    parse_table(200, body, 2),
                    Err(TravelError::OsrmBadAnswer { .. })
                ),
                "{body}"
            );
        }
    }
}
