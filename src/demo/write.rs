//! [`Demo::write`]: every record into the store, in file order, through its public methods.

use chrono::NaiveDate;

use super::at::At;
use super::files::{DAY, ORGANISATIONS, PEOPLE, PLACES, USERS, VEHICLES, VOLUNTEERS};
use super::inputs::Ids;
use super::{Demo, DemoError, Loaded, PASSWORD};
use crate::auth::password;
use crate::domain::meals::MealSettings;
use crate::domain::{Id, RequestInput};
use crate::service::{meals, rides, standing, surplus, ServiceError};
use crate::store::{Actor, Store};

impl Demo {
    pub(super) async fn write(&self, store: &Store, date: NaiveDate) -> Result<Loaded, DemoError> {
        let actor = Actor(None);
        let mut ids = Ids {
            orgs: Vec::new(),
            places: Vec::new(),
            people: Vec::new(),
            vehicles: Vec::new(),
            volunteers: Vec::new(),
            rides: Vec::new(),
        };
        ids.orgs = create_each(
            ORGANISATIONS,
            self.orgs.iter().map(|o| o.key.as_str()),
            |i| self.organisation(i),
            async |input| Ok(store.create_organisation(actor, &input).await?.id),
        )
        .await?;
        ids.places = create_each(
            PLACES,
            self.places.iter().map(|p| p.key.as_str()),
            |i| self.place(i, &ids),
            async |input| Ok(store.create_place(actor, &input).await?.id),
        )
        .await?;
        ids.people = create_each(
            PEOPLE,
            self.people.iter().map(|p| p.key.as_str()),
            |i| self.person(i, &ids),
            async |(org, input)| Ok(store.create_person(actor, org, &input).await?.id),
        )
        .await?;
        ids.vehicles = create_each(
            VEHICLES,
            self.vehicles.iter().map(|v| v.key.as_str()),
            |i| self.vehicle(i, &ids),
            async |input| Ok(store.create_vehicle(actor, &input).await?.id),
        )
        .await?;
        ids.volunteers = create_each(
            VOLUNTEERS,
            self.volunteers.iter().map(|v| v.key.as_str()),
            |i| self.volunteer(i, &ids),
            async |input| Ok(store.create_volunteer(actor, &input).await?.id),
        )
        .await?;
        let covers = &self.refs.covers;
        let shifts = create_each(
            VOLUNTEERS,
            covers
                .iter()
                .map(|c| self.volunteers[c.volunteer].key.as_str()),
            |i| self.shift(&covers[i], date, &ids),
            async |input| Ok(store.create_shift(actor, &input).await?.id),
        )
        .await?
        .len();

        // The demo books its day as of early that morning.
        let morning = date.and_hms_opt(6, 0, 0).unwrap_or_default();
        let create_request = async |(org, input): (Id, RequestInput)| {
            Ok::<_, ServiceError>(rides::book_at(store, actor, org, &input, morning).await?.id)
        };
        let mut requests = 0;
        for (i, r) in self.day.rides.iter().enumerate() {
            let at = At::new(DAY, &r.key);
            let id = create_request(self.ride(i, date, &ids)?)
                .await
                .map_err(at.rejected())?;
            ids.rides.push(id);
            requests += 1;
            // A way back booked by rule comes with its outbound.
            if self.refs.rides[i]
                .appointment
                .is_some_and(|(_, back)| back.is_some())
            {
                requests += 1;
            }
            if let Some(back) = self.ride_back(i, date, &ids)? {
                create_request(back).await.map_err(at.rejected())?;
                requests += 1;
            }
        }
        // The kitchen the day's file names, in the service's settings.
        let settings = MealSettings {
            centre_place_id: Some(ids.places[self.refs.meal_centre]),
            ..store.meal_settings().await?
        };
        meals::set_settings(store, actor, &settings)
            .await
            .map_err(At::new(DAY, "meal_centre").rejected())?;
        create_each(
            DAY,
            self.day.meals.iter().map(|m| m.key.as_str()),
            |i| self.meal_recipient(i, date, &ids),
            async |(org, input)| Ok(meals::create(store, actor, org, &input).await?.id),
        )
        .await?;
        // The day's meals, as the solve would book them.
        let generated = meals::generate(store, actor, date)
            .await
            .map_err(At::new(DAY, "meals").rejected())?;
        if let Some(f) = generated.failed.first() {
            return Err(At::new(DAY, "meals").bad(format!(
                "recipient {} not booked: {:?}",
                f.recipient_id, f.errors
            )));
        }
        requests += generated.booked.len();
        create_each(
            DAY,
            self.day.donors.iter().map(|d| d.key.as_str()),
            |i| self.donor(i, &ids),
            async |input| Ok(surplus::create(store, actor, &input).await?.id),
        )
        .await?;
        let generated = surplus::generate(store, actor, date)
            .await
            .map_err(At::new(DAY, "donors").rejected())?;
        if let Some(f) = generated.failed.first() {
            return Err(At::new(DAY, "donors")
                .bad(format!("donor {} not booked: {:?}", f.donor_id, f.errors)));
        }
        requests += generated.booked.len();

        for (i, o) in self.day.standing_orders.iter().enumerate() {
            let (org, input) = self.standing_order(i, date, &ids)?;
            standing::create(store, actor, org, &input)
                .await
                .map_err(At::new(DAY, &o.key).rejected())?;
        }

        // One hash for all: the password is the same and public anyway, and
        // argon2 is slow enough that a dozen hashes would hold up the start.
        let hash = crate::blocking::run(|| password::hash(PASSWORD)).await?;
        let mut logins = Vec::new();
        for (login, input) in self.users(&ids, PASSWORD)? {
            let at = At::new(USERS, &login.email);
            store
                .create_user(actor, &input, &hash)
                .await
                .map_err(at.rejected())?;
            logins.push(login);
        }
        Ok(Loaded {
            date,
            logins,
            requests,
            shifts,
        })
    }
}

/// Writes the records of one file in order, the `i`th built by `input(i)` and
/// written by `create`; returns their ids in the same order.
async fn create_each<'a, T>(
    file: &'static str,
    keys: impl IntoIterator<Item = &'a str>,
    input: impl Fn(usize) -> Result<T, DemoError>,
    create: impl AsyncFn(T) -> Result<Id, ServiceError>,
) -> Result<Vec<Id>, DemoError> {
    let mut ids = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        let id = create(input(i)?)
            .await
            .map_err(At::new(file, key).rejected())?;
        ids.push(id);
    }
    Ok(ids)
}
