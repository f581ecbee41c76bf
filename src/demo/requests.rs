//! The validated store input of each ride of the day and its way back.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::at::At;
use super::files::DAY;
use super::inputs::Ids;
use super::{Demo, DemoError};
use crate::domain::{Id, RequestInput, RequestKind, RequestStatus, ReturnOf, Window, WindowAt};

impl Demo {
    fn request(
        date: NaiveDate,
        kind: RequestKind,
        person: Option<usize>,
        (from, to): (usize, usize),
        (window_at, window): (WindowAt, Window),
        load: BTreeMap<String, u32>,
        ids: &Ids,
    ) -> RequestInput {
        RequestInput {
            organisation_id: None,
            date,
            kind,
            person_id: person.map(|p| ids.people[p]),
            from_place_id: ids.places[from],
            to_place_id: ids.places[to],
            window_at: Some(window_at),
            window: Some(window),
            pickup_at: None,
            appointment: None,
            companions: None,
            load: Some(load),
            skills: Vec::new(),
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: None,
            purpose: None,
            notes: None,
            status: RequestStatus::Active,
        }
    }

    /// Ride `i` between `places` in `window`, for the organisation of the
    /// person who rides; not yet validated.
    fn ride_input(
        &self,
        i: usize,
        date: NaiveDate,
        places: (usize, usize),
        window: (WindowAt, Window),
        ids: &Ids,
    ) -> (Id, RequestInput) {
        let r = &self.day.rides[i];
        let person = self.refs.rides[i].person;
        let org = ids.orgs[self.refs.person_org[person]];
        let load = BTreeMap::from([
            ("seats".to_string(), r.load.seats),
            ("wheelchairs".to_string(), r.load.wheelchairs),
        ]);
        let mut input = Self::request(
            date,
            RequestKind::Ride,
            Some(person),
            places,
            window,
            load,
            ids,
        );
        input.organisation_id = Some(org);
        input.purpose = r.purpose;
        (org, input)
    }

    pub(super) fn ride(
        &self,
        i: usize,
        date: NaiveDate,
        ids: &Ids,
    ) -> Result<(Id, RequestInput), DemoError> {
        let refs = &self.refs.rides[i];
        let at = At::new(DAY, &self.day.rides[i].key);
        let (org, mut input) = self.ride_input(
            i,
            date,
            (refs.from, refs.to),
            (refs.window_at, refs.window),
            ids,
        );
        if let Some((appointment, way_back)) = refs.appointment {
            input.appointment = Some(appointment);
            input.window_at = None;
            input.window = None;
            // The room follows from the rider.
            input.load = None;
            input.way_back = way_back;
        }
        Ok((org, at.valid(input, RequestInput::validate)?))
    }

    /// The way back of ride `i`, if it has one; needs `ids.rides[i]`.
    pub(super) fn ride_back(
        &self,
        i: usize,
        date: NaiveDate,
        ids: &Ids,
    ) -> Result<Option<(Id, RequestInput)>, DemoError> {
        let r = &self.day.rides[i];
        let refs = &self.refs.rides[i];
        let (Some(back), Some(window)) = (&r.back, refs.back) else {
            return Ok(None);
        };
        let at = At::new(DAY, &r.key);
        let (org, mut input) = self.ride_input(
            i,
            date,
            (refs.to, refs.from),
            (WindowAt::Pickup, window),
            ids,
        );
        input.return_of = Some(ReturnOf {
            request_id: ids.rides[i],
            after_minutes: back.after_minutes,
            same_vehicle: back.same_vehicle,
        });
        Ok(Some((org, at.valid(input, RequestInput::validate)?)))
    }
}
