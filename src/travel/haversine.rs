//! Offline estimate: great-circle distance stretched by a detour factor, with
//! speeds that rise with trip length.

use std::future::Future;
use std::pin::Pin;

use geo::{Distance, Haversine as GreatCircle};

use super::config::{SpeedBand, TravelConfig};
use super::{check_points, Point, TravelError, TravelMatrix, TravelTimes};

#[derive(Clone, Debug, PartialEq)]
pub struct Haversine {
    pub detour_factor: f64,
    pub bands: Vec<SpeedBand>,
}

impl Haversine {
    pub fn new(detour_factor: f64, bands: Vec<SpeedBand>) -> Self {
        Haversine {
            detour_factor,
            bands,
        }
    }

    /// Road kilometres between two points.
    pub fn road_km(&self, a: Point, b: Point) -> f64 {
        let metres =
            GreatCircle.distance(geo::Point::new(a.lon, a.lat), geo::Point::new(b.lon, b.lat));
        metres / 1000.0 * self.detour_factor
    }

    /// Minutes to drive `km` of road: each band's stretch at its own speed,
    /// so time is continuous and increasing in distance (a longer trip never
    /// takes less time, as it could with one speed picked per trip).
    pub fn minutes_for_km(&self, km: f64) -> f64 {
        let mut hours = 0.0;
        let mut start = 0.0;
        for (i, band) in self.bands.iter().enumerate() {
            // The last band takes whatever is left, bounded or not.
            let end = match band.up_to_km {
                Some(limit) if i + 1 < self.bands.len() => limit.min(km),
                _ => km,
            };
            if end <= start {
                break;
            }
            hours += (end - start) / band.kmh;
            start = end;
        }
        hours * 60.0
    }

    /// Same rules as `TravelConfig::validate`, so a hand-built estimator with
    /// bad settings fails clearly instead of returning NaN or nonsense.
    fn check_settings(&self) -> Result<(), TravelError> {
        TravelConfig {
            osrm_url: None,
            detour_factor: self.detour_factor,
            bands: self.bands.clone(),
            ..TravelConfig::default()
        }
        .validate()
    }

    fn compute(&self, points: &[Point]) -> Result<TravelMatrix, TravelError> {
        self.check_settings()?;
        check_points(points)?;
        let n = points.len();
        let mut minutes = vec![0.0; n * n];
        let mut km = vec![0.0; n * n];
        // Symmetric: compute each unordered pair once.
        for i in 0..n {
            for j in i + 1..n {
                let d = self.road_km(points[i], points[j]);
                let t = self.minutes_for_km(d);
                km[i * n + j] = d;
                km[j * n + i] = d;
                minutes[i * n + j] = t;
                minutes[j * n + i] = t;
            }
        }
        Ok(TravelMatrix {
            size: n,
            minutes,
            km,
            source: self.name().to_owned(),
        })
    }
}

/// Matrices over more points than this are computed off the async threads.
const OFF_THREAD: usize = 200;

impl Default for Haversine {
    fn default() -> Self {
        let cfg = TravelConfig::default();
        Haversine::new(cfg.detour_factor, cfg.bands)
    }
}

impl TravelTimes for Haversine {
    fn name(&self) -> &'static str {
        "haversine"
    }

    fn matrix<'a>(
        &'a self,
        points: &'a [Point],
    ) -> Pin<Box<dyn Future<Output = Result<TravelMatrix, TravelError>> + Send + 'a>> {
        // Pure CPU: quick for a town's day, but a consortium's thousand
        // places take long enough to hold up other requests on this thread.
        Box::pin(async move {
            if points.len() <= OFF_THREAD {
                return self.compute(points);
            }
            let (this, points) = (self.clone(), points.to_vec());
            crate::blocking::run(move || this.compute(&points)).await?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESTRI: Point = Point {
        lat: 44.276174,
        lon: 9.397524,
    };
    const LAVAGNA: Point = Point {
        lat: 44.307347,
        lon: 9.344878,
    };

    /// Independent check: spherical law of cosines on the IUGG mean radius
    /// (the one geo's Haversine uses), a different formula from the code's.
    fn law_of_cosines_km(a: Point, b: Point) -> f64 {
        let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
        let dl = (b.lon - a.lon).to_radians();
        let c = (p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos()).clamp(-1.0, 1.0);
        6371.0088 * c.acos()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn sestri_to_lavagna_great_circle() {
        let plain = Haversine::new(1.0, TravelConfig::default().bands);
        let expected = law_of_cosines_km(SESTRI, LAVAGNA);
        assert!(close(expected, 5.5, 0.1), "sanity: {expected}");
        let got = plain.road_km(SESTRI, LAVAGNA);
        // 1 m: law of cosines loses a little precision at short range.
        assert!(close(got, expected, 0.001), "{got} vs {expected}");
    }

    #[test]
    fn detour_scales_distance_not_direction() {
        let bands = TravelConfig::default().bands;
        let plain = Haversine::new(1.0, bands.clone());
        let stretched = Haversine::new(1.3, bands);
        let d = plain.road_km(SESTRI, LAVAGNA);
        assert!(close(stretched.road_km(SESTRI, LAVAGNA), 1.3 * d, 1e-9));
        assert!(close(stretched.road_km(LAVAGNA, SESTRI), 1.3 * d, 1e-9));
        assert_eq!(stretched.road_km(SESTRI, SESTRI), 0.0);
    }

    #[test]
    fn band_maths_by_hand() {
        let h = Haversine::default(); // 2 km @20, 10 km @35, beyond @60
        assert_eq!(h.minutes_for_km(0.0), 0.0);
        assert!(close(h.minutes_for_km(1.0), 3.0, 1e-9)); // 1/20 h
        assert!(close(h.minutes_for_km(2.0), 6.0, 1e-9));
        assert!(close(h.minutes_for_km(9.0), 6.0 + 7.0 / 35.0 * 60.0, 1e-9));
        assert!(close(h.minutes_for_km(10.0), 6.0 + 8.0 / 35.0 * 60.0, 1e-9));
        assert!(close(
            h.minutes_for_km(40.0),
            6.0 + 8.0 / 35.0 * 60.0 + 30.0,
            1e-9
        ));
    }

    #[test]
    fn band_maths_is_continuous_and_increasing() {
        let h = Haversine::default();
        let eps = 1e-9;
        for limit in [2.0, 10.0] {
            let jump = h.minutes_for_km(limit + eps) - h.minutes_for_km(limit - eps);
            assert!(jump > 0.0 && jump < 1e-6, "jump {jump} at {limit} km");
        }
        let mut previous = 0.0;
        for step in 1..=5000 {
            let t = h.minutes_for_km(step as f64 * 0.01);
            assert!(t > previous, "not increasing at {} km", step as f64 * 0.01);
            previous = t;
        }
    }

    #[test]
    fn matrix_is_square_symmetric_with_zero_diagonal() {
        let h = Haversine::default();
        let chiavari = Point {
            lat: 44.3168,
            lon: 9.3224,
        };
        let m = h.compute(&[SESTRI, LAVAGNA, chiavari]).unwrap();
        assert_eq!((m.size, m.minutes.len(), m.km.len()), (3, 9, 9));
        assert_eq!(m.source, "haversine");
        for i in 0..3 {
            assert_eq!(m.minutes_between(i, i), 0.0);
            for j in 0..3 {
                assert_eq!(m.km_between(i, j), m.km_between(j, i));
                assert_eq!(m.minutes_between(i, j), m.minutes_between(j, i));
            }
        }
        let d = m.km_between(0, 1);
        assert!(close(d, 1.3 * law_of_cosines_km(SESTRI, LAVAGNA), 0.002));
        assert!(close(m.minutes_between(0, 1), h.minutes_for_km(d), 1e-12));
        assert_eq!(h.compute(&[]).unwrap().size, 0);
    }

    #[test]
    fn bad_points_and_settings_are_errors() {
        let h = Haversine::default();
        let bad = Point {
            lat: 44.0,
            lon: 200.0,
        };
        assert!(matches!(
            h.compute(&[SESTRI, bad]),
            Err(TravelError::InvalidPoint { index: 1, .. })
        ));
        let no_bands = Haversine::new(1.3, vec![]);
        assert!(matches!(
            no_bands.compute(&[SESTRI, LAVAGNA]),
            Err(TravelError::Config { .. })
        ));
        let shortcut = Haversine::new(0.5, TravelConfig::default().bands);
        assert!(matches!(
            shortcut.compute(&[SESTRI]),
            Err(TravelError::Config { .. })
        ));
    }
}
