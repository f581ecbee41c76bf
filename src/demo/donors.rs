//! The donors of surplus food: the date's pickups are generated from their
//! days by `service::surplus`, so the cold chain is the service's rule.

use super::at::At;
use super::files::DAY;
use super::inputs::Ids;
use super::{Demo, DemoError};
use crate::domain::surplus::DonorInput;

impl Demo {
    pub(super) fn donor(&self, i: usize, ids: &Ids) -> Result<DonorInput, DemoError> {
        let d = &self.day.donors[i];
        let refs = &self.refs.donors[i];
        At::new(DAY, &d.key).valid(
            DonorInput {
                place_id: ids.places[refs.place],
                name: d.name.clone(),
                window: d.window,
                weekdays: d.days,
                gives: d.gives.clone(),
                food: d.food,
                expected_kg: d.expected_kg,
                receiving_place_id: ids.places[refs.to],
                blast_chiller: d.blast_chiller,
                active: true,
                notes: d.notes.clone(),
            },
            DonorInput::validate,
        )
    }
}
