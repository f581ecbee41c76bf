//! Pair results already fetched from OSRM, so re-planning the same day (or a
//! subset of its places) costs no HTTP round trip.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{Point, TravelMatrix};

/// Point in micro-degrees: the 6 decimals sent to OSRM, so two points that
/// produce the same request share their cache entries.
type Key = (i64, i64);

/// Enough for ~1000 places fully cross-referenced; beyond that we start over
/// rather than track recency (a town's places repeat day after day).
const MAX_ENTRIES: usize = 1_000_000;

pub(crate) struct PairCache {
    pairs: Mutex<HashMap<(Key, Key), (f64, f64)>>,
    max_entries: usize,
}

pub(crate) fn key(p: Point) -> Key {
    ((p.lat * 1e6).round() as i64, (p.lon * 1e6).round() as i64)
}

impl PairCache {
    pub(crate) fn new() -> Self {
        Self::with_max_entries(MAX_ENTRIES)
    }

    fn with_max_entries(max_entries: usize) -> Self {
        PairCache {
            pairs: Mutex::new(HashMap::new()),
            max_entries,
        }
    }

    /// The whole matrix if every pair is known, else `None`.
    pub(crate) fn lookup(&self, points: &[Point], source: &str) -> Option<TravelMatrix> {
        let n = points.len();
        let keys: Vec<Key> = points.iter().map(|&p| key(p)).collect();
        let mut minutes = vec![0.0; n * n];
        let mut km = vec![0.0; n * n];
        let pairs = self.lock();
        for i in 0..n {
            for j in 0..n {
                // Same place (or same after rounding): no trip.
                if keys[i] == keys[j] {
                    continue;
                }
                let &(t, d) = pairs.get(&(keys[i], keys[j]))?;
                minutes[i * n + j] = t;
                km[i * n + j] = d;
            }
        }
        Some(TravelMatrix {
            size: n,
            minutes,
            km,
            source: source.to_owned(),
        })
    }

    pub(crate) fn store(&self, points: &[Point], m: &TravelMatrix) {
        let n = points.len();
        let keys: Vec<Key> = points.iter().map(|&p| key(p)).collect();
        let mut pairs = self.lock();
        if pairs.len() + n * n > self.max_entries {
            tracing::info!(entries = pairs.len(), "travel cache full, clearing it");
            pairs.clear();
        }
        for i in 0..n {
            for j in 0..n {
                if keys[i] != keys[j] {
                    pairs.insert((keys[i], keys[j]), (m.minutes[i * n + j], m.km[i * n + j]));
                }
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }

    /// Every write leaves the map consistent, so a panic elsewhere while the
    /// lock was held does not make the data unusable: ignore poisoning.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(Key, Key), (f64, f64)>> {
        self.pairs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Point {
        Point { lat, lon }
    }

    fn matrix(n: usize, base: f64) -> TravelMatrix {
        TravelMatrix {
            size: n,
            minutes: (0..n * n)
                .map(|k| {
                    if k % (n + 1) == 0 {
                        0.0
                    } else {
                        base + k as f64
                    }
                })
                .collect(),
            km: (0..n * n)
                .map(|k| {
                    if k % (n + 1) == 0 {
                        0.0
                    } else {
                        2.0 * (base + k as f64)
                    }
                })
                .collect(),
            source: "osrm".into(),
        }
    }

    #[test]
    fn full_and_subset_hits_partial_miss() {
        let cache = PairCache::new();
        let pts = [p(44.1, 9.1), p(44.2, 9.2), p(44.3, 9.3)];
        assert!(cache.lookup(&pts, "osrm").is_none());
        let m = matrix(3, 10.0);
        cache.store(&pts, &m);
        assert_eq!(cache.lookup(&pts, "osrm").unwrap(), m);
        // Subset, reordered: 2 then 0.
        let sub = cache.lookup(&[pts[2], pts[0]], "osrm").unwrap();
        assert_eq!(
            sub.minutes,
            vec![0.0, m.minutes_between(2, 0), m.minutes_between(0, 2), 0.0]
        );
        assert_eq!(sub.km_between(0, 1), m.km_between(2, 0));
        // A new point misses.
        assert!(cache.lookup(&[pts[0], p(44.4, 9.4)], "osrm").is_none());
        // Zero or one point always hits.
        assert!(cache.lookup(&[], "osrm").is_some());
        assert!(cache.lookup(&[p(1.0, 1.0)], "osrm").is_some());
    }

    #[test]
    fn keys_round_to_micro_degrees() {
        assert_eq!(key(p(44.2761744, 9.3975236)), key(p(44.276174, 9.397524)));
        assert_ne!(key(p(44.276175, 9.397524)), key(p(44.276174, 9.397524)));
        assert_eq!(key(p(-0.0000004, 0.0)), (0, 0));
    }

    #[test]
    fn clears_when_full() {
        let cache = PairCache::with_max_entries(10);
        let a = [p(1.0, 1.0), p(2.0, 2.0), p(3.0, 3.0)];
        cache.store(&a, &matrix(3, 0.0));
        assert_eq!(cache.len(), 6);
        let b = [p(4.0, 4.0), p(5.0, 5.0), p(6.0, 6.0)];
        cache.store(&b, &matrix(3, 0.0));
        assert_eq!(cache.len(), 6, "old entries were dropped");
        assert!(cache.lookup(&a, "osrm").is_none());
        assert!(cache.lookup(&b, "osrm").is_some());
    }
}
