//! Road kilometres between the places of published routes, for the records
//! (reports, fees): one travel matrix over just the places asked.

use std::collections::{BTreeSet, HashMap};

use super::{AppState, ServiceError};
use crate::domain::{Id, Place};
use crate::travel::{Point, TravelMatrix};

/// Where each place is, by id.
pub fn points(places: &[Place]) -> HashMap<Id, Point> {
    places
        .iter()
        .map(|p| {
            (
                p.id,
                Point {
                    lat: p.lat,
                    lon: p.lon,
                },
            )
        })
        .collect()
}

/// Kilometres between any two of a set of places.
pub struct PlaceKm {
    at: HashMap<Id, usize>,
    matrix: TravelMatrix,
}

impl PlaceKm {
    /// The matrix over `places`; a place with no point is not found.
    pub async fn over(
        state: &AppState,
        points: &HashMap<Id, Point>,
        places: BTreeSet<Id>,
    ) -> Result<Self, ServiceError> {
        let places: Vec<Id> = places.into_iter().collect();
        let list: Vec<Point> = places
            .iter()
            .map(|p| {
                points
                    .get(p)
                    .copied()
                    .ok_or_else(|| ServiceError::NotFound(format!("place {p}")))
            })
            .collect::<Result<_, _>>()?;
        let matrix = state
            .travel
            .matrix(&list)
            .await
            .map_err(|e| ServiceError::Busy(format!("travel times: {e}")))?;
        let at = places.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        Ok(Self { at, matrix })
    }

    /// From `a` to `b`; both must be among the places the matrix was made over.
    pub fn km(&self, a: Id, b: Id) -> f64 {
        self.matrix.km_between(self.at[&a], self.at[&b])
    }
}
