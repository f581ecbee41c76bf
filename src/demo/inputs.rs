//! The validated store input of each record but requests; [`Demo::check`] builds them all.

use chrono::NaiveDate;

use super::at::At;
use super::files::{ORGANISATIONS, PEOPLE, PLACES, USERS, VEHICLES, VOLUNTEERS};
use super::shifts::Cover;
use super::{email, Demo, DemoError, DemoLogin};
use crate::domain::{
    Id, OrgKind, OrganisationInput, PersonInput, PlaceInput, Role, ShiftInput, UserInput,
    VehicleInput, VehicleLayout, VolunteerInput,
};

/// The store's id for each record, by position in its file.
pub(super) struct Ids {
    pub(super) orgs: Vec<Id>,
    pub(super) places: Vec<Id>,
    pub(super) people: Vec<Id>,
    pub(super) vehicles: Vec<Id>,
    pub(super) volunteers: Vec<Id>,
    /// The outbound request of each ride.
    pub(super) rides: Vec<Id>,
}

impl Ids {
    /// Positions standing in for ids, to validate the inputs before writing.
    fn placeholders(d: &Demo) -> Self {
        let seq = |n: usize| (0..n).map(|i| i as Id).collect::<Vec<_>>();
        Self {
            orgs: seq(d.orgs.len()),
            places: seq(d.places.len()),
            people: seq(d.people.len()),
            vehicles: seq(d.vehicles.len()),
            volunteers: seq(d.volunteers.len()),
            rides: seq(d.day.rides.len()),
        }
    }
}

impl Demo {
    /// Builds and validates every input with placeholder ids.
    pub(super) fn check(&self, date: NaiveDate) -> Result<(), DemoError> {
        let ids = Ids::placeholders(self);
        for i in 0..self.orgs.len() {
            self.organisation(i)?;
        }
        for i in 0..self.places.len() {
            self.place(i, &ids)?;
        }
        for i in 0..self.people.len() {
            self.person(i, &ids)?;
        }
        for i in 0..self.vehicles.len() {
            self.vehicle(i, &ids)?;
        }
        for i in 0..self.volunteers.len() {
            self.volunteer(i, &ids)?;
        }
        for c in &self.refs.covers {
            self.shift(c, date, &ids)?;
        }
        for i in 0..self.day.rides.len() {
            self.ride(i, date, &ids)?;
            self.ride_back(i, date, &ids)?;
        }
        for i in 0..self.day.meals.len() {
            self.meal_recipient(i, date, &ids)?;
        }
        for i in 0..self.day.donors.len() {
            self.donor(i, &ids)?;
        }
        for i in 0..self.day.standing_orders.len() {
            self.standing_order(i, date, &ids)?;
        }
        self.users(&ids, "placeholder")?;
        Ok(())
    }

    // --- one input per record; `ids` maps positions to store ids -----------

    pub(super) fn organisation(&self, i: usize) -> Result<OrganisationInput, DemoError> {
        let o = &self.orgs[i];
        let at = At::new(ORGANISATIONS, &o.key);
        at.valid(
            OrganisationInput {
                name: o.name.clone(),
                kind: o.kind,
            },
            OrganisationInput::validate,
        )
    }

    pub(super) fn place(&self, i: usize, ids: &Ids) -> Result<PlaceInput, DemoError> {
        let p = &self.places[i];
        let at = At::new(PLACES, &p.key);
        at.valid(
            PlaceInput {
                organisation_id: self.refs.place_org[i].map(|o| ids.orgs[o]),
                name: p.name.clone(),
                address: p.address.clone(),
                lat: p.lat,
                lon: p.lon,
                kind: p.kind.clone(),
            },
            PlaceInput::validate,
        )
    }

    pub(super) fn person(&self, i: usize, ids: &Ids) -> Result<(Id, PersonInput), DemoError> {
        let p = &self.people[i];
        let at = At::new(PEOPLE, &p.key);
        let org = ids.orgs[self.refs.person_org[i]];
        let input = at.valid(
            PersonInput {
                organisation_id: Some(org),
                name: p.name.clone(),
                phone: p.phone.clone(),
                home_place_id: ids.places[self.refs.person_home[i]],
                mobility: p.mobility,
                assistance: p.assistance,
                driver_notes: p.notes.clone(),
                service_animal: false,
            },
            PersonInput::validate,
        )?;
        Ok((org, input))
    }

    pub(super) fn vehicle(&self, i: usize, ids: &Ids) -> Result<VehicleInput, DemoError> {
        let v = &self.vehicles[i];
        let at = At::new(VEHICLES, &v.key);
        at.valid(
            VehicleInput {
                name: v.name.clone(),
                depot_place_id: ids.places[self.refs.depot[i]],
                skills: v.skills.clone(),
                layouts: v
                    .layouts
                    .iter()
                    .map(|l| VehicleLayout {
                        name: l.name.clone(),
                        capacity: l.capacity.clone(),
                    })
                    .collect(),
                available: v.shift,
                active: true,
                // The demo's vehicles are the municipality's, in the pool.
                owner_organisation_id: None,
                pooled: true,
            },
            VehicleInput::validate,
        )
    }

    pub(super) fn volunteer(&self, i: usize, ids: &Ids) -> Result<VolunteerInput, DemoError> {
        let v = &self.volunteers[i];
        let at = At::new(VOLUNTEERS, &v.key);
        at.valid(
            VolunteerInput {
                name: v.name.clone(),
                phone: v.phone.clone(),
                available: v.available,
                vehicle_ids: self.refs.volunteer_vehicles[i]
                    .iter()
                    .map(|&x| ids.vehicles[x])
                    .collect(),
            },
            VolunteerInput::validate,
        )
    }

    pub(super) fn shift(
        &self,
        c: &Cover,
        date: NaiveDate,
        ids: &Ids,
    ) -> Result<ShiftInput, DemoError> {
        let at = At::new(VOLUNTEERS, &self.volunteers[c.volunteer].key);
        at.valid(
            ShiftInput {
                date,
                vehicle_id: ids.vehicles[c.vehicle],
                volunteer_id: Some(ids.volunteers[c.volunteer]),
                window: c.window,
                serves: Vec::new(),
            },
            ShiftInput::validate,
        )
    }

    /// Admin, dispatcher, a member per association, a driver per volunteer.
    pub(super) fn users(
        &self,
        ids: &Ids,
        password: &str,
    ) -> Result<Vec<(DemoLogin, UserInput)>, DemoError> {
        let mut out = Vec::new();
        let mut add = |role: Role,
                       local: String,
                       name: String,
                       organisation_id: Option<Id>,
                       volunteer_id: Option<Id>|
         -> Result<(), DemoError> {
            let login = DemoLogin {
                role,
                email: email(&local),
                password: password.to_string(),
                name,
            };
            let at = At::new(USERS, &login.email);
            let input = at.valid(
                UserInput {
                    email: login.email.clone(),
                    name: login.name.clone(),
                    role,
                    organisation_id,
                    volunteer_id,
                    password: Some(password.to_string()),
                    active: true,
                },
                |u| u.validate(true),
            )?;
            out.push((login, input));
            Ok(())
        };
        add(
            Role::Admin,
            "admin".into(),
            "Demo administrator".into(),
            None,
            None,
        )?;
        add(
            Role::Dispatcher,
            "dispatcher".into(),
            "Demo dispatcher".into(),
            None,
            None,
        )?;
        for (i, o) in self.orgs.iter().enumerate() {
            if o.kind == OrgKind::Association {
                let name = format!("Member, {}", o.name);
                add(
                    Role::Member,
                    format!("member.{}", o.key),
                    name,
                    Some(ids.orgs[i]),
                    None,
                )?;
            }
        }
        for (i, v) in self.volunteers.iter().enumerate() {
            let local = v.key.strip_prefix("vol-").unwrap_or(&v.key).to_string();
            add(
                Role::Driver,
                local,
                v.name.clone(),
                None,
                Some(ids.volunteers[i]),
            )?;
        }
        Ok(out)
    }
}
