//! The demo day (`data/demo`): a day of social services in Sestri Levante, put
//! into a store through its public methods, with the vehicles' shifts covered
//! by the volunteers and one login for every role.
//!
//! The JSON files name their records by short kebab-case keys. The keys only
//! resolve references between the files; the store gives every record an id.
//! All references are resolved and every input is validated before the first
//! write, so a broken file leaves the store untouched.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

use crate::auth::password;
use crate::domain::{
    Assistance, Clock, Id, Invalid, Mobility, OrgKind, OrganisationInput, PersonInput, PlaceInput,
    RequestInput, RequestKind, RequestStatus, ReturnOf, Role, ShiftInput, UserInput, VehicleInput,
    VehicleLayout, VolunteerInput, Window, WindowAt,
};
use crate::store::{Actor, Store, StoreError};

/// The one password of every demo user.
pub const PASSWORD: &str = "sestri-levante-demo";
/// The e-mail domain of the demo users.
pub const EMAIL_DOMAIN: &str = "giro.demo";

const ORGANISATIONS: &str = "organisations.json";
const PLACES: &str = "places.json";
const PEOPLE: &str = "people.json";
const VEHICLES: &str = "vehicles.json";
const VOLUNTEERS: &str = "volunteers.json";
const DAY: &str = "day.json";
const USERS: &str = "users";

/// A user the demo created, with the password to log in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub password: String,
    pub name: String,
}

/// What [`load`] put into the store.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub date: NaiveDate,
    /// Admin, dispatcher, one member per association, one driver per volunteer.
    pub logins: Vec<DemoLogin>,
    /// Rides (with their ways back), meals and collections on `date`.
    pub requests: usize,
    pub shifts: usize,
}

#[derive(thiserror::Error, Debug)]
pub enum DemoError {
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not JSON, or not the shape expected; `at` is the JSON path, `key` the
    /// key of the record it falls in.
    #[error("{}: {}", .path.display(), json_detail(.at, .key, .message))]
    Json {
        path: PathBuf,
        at: String,
        key: Option<String>,
        message: String,
    },
    #[error("{file}: the key {key:?} is used more than once")]
    DuplicateKey { file: &'static str, key: String },
    /// A reference to a key that the file it points into does not hold.
    #[error("{file}: {key:?}: {field} {target:?} is not a key in {target_file}")]
    UnknownKey {
        file: &'static str,
        key: String,
        field: &'static str,
        target: String,
        target_file: &'static str,
    },
    /// A record that resolves but makes no sense (a home that is not a home…).
    #[error("{file}: {key:?}: {message}")]
    Bad {
        file: &'static str,
        key: String,
        message: String,
    },
    /// The input built from a record fails its `validate()`.
    #[error("{file}: {key:?}: {source}")]
    Invalid {
        file: &'static str,
        key: String,
        #[source]
        source: Invalid,
    },
    /// The store refused to write a record.
    #[error("{file}: {key:?}: {source}")]
    Rejected {
        file: &'static str,
        key: String,
        #[source]
        source: StoreError,
    },
    #[error("the demo is already loaded in this database ({0} exists)")]
    AlreadyLoaded(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn json_detail(at: &str, key: &Option<String>, message: &str) -> String {
    match (at.is_empty(), key) {
        (true, _) => message.to_string(),
        (false, None) => format!("at {at}: {message}"),
        (false, Some(k)) => format!("at {at} (key {k:?}): {message}"),
    }
}

/// `data/demo` next to Cargo.toml, or the folder named by `GIRO_DEMO_DIR`.
pub fn default_dir() -> PathBuf {
    match std::env::var_os("GIRO_DEMO_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("demo"),
    }
}

/// Reads the demo files in `dir` and writes them into `store` for `date`:
/// organisations, places, people, vehicles, volunteers, the day's shifts and
/// requests, and the demo users. Expects a store without the demo in it.
pub async fn load(store: &Store, dir: &Path, date: NaiveDate) -> Result<Loaded, DemoError> {
    let demo = Demo::read(dir)?;
    demo.check(date)?;
    let admin = email("admin");
    if store.user_for_login(&admin).await?.is_some() {
        return Err(DemoError::AlreadyLoaded(admin));
    }
    demo.write(store, date).await
}

// ---------------------------------------------------------------------------
// The files.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgJson {
    key: String,
    name: String,
    kind: OrgKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceJson {
    key: String,
    name: String,
    address: String,
    lat: f64,
    lon: f64,
    kind: String,
    #[serde(default, rename = "source")]
    _source: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonJson {
    key: String,
    name: String,
    #[serde(default)]
    phone: Option<String>,
    home: String,
    organisation: String,
    mobility: Mobility,
    assistance: Assistance,
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VehicleJson {
    key: String,
    name: String,
    depot: String,
    #[serde(default)]
    skills: Vec<String>,
    layouts: Vec<LayoutJson>,
    shift: Window,
}

/// `{"name": "...", "seats": 1, "wheelchairs": 4}`: every field but the name
/// is a capacity.
#[derive(Deserialize)]
struct LayoutJson {
    name: String,
    #[serde(flatten)]
    capacity: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VolunteerJson {
    key: String,
    name: String,
    #[serde(default)]
    phone: Option<String>,
    available: Window,
    #[serde(default)]
    vehicles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DayJson {
    #[serde(default, rename = "description")]
    _description: Option<IgnoredAny>,
    meal_centre: String,
    hot_meal_max_minutes: u32,
    #[serde(default)]
    rides: Vec<RideJson>,
    #[serde(default)]
    meals: Vec<MealJson>,
    #[serde(default)]
    collections: Vec<CollectionJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RideJson {
    key: String,
    person: String,
    from: String,
    to: String,
    #[serde(default)]
    pickup_window: Option<Window>,
    #[serde(default)]
    arrive_by: Option<Window>,
    load: RideLoad,
    #[serde(default, rename = "return")]
    back: Option<BackJson>,
    #[serde(default)]
    purpose: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RideLoad {
    #[serde(default)]
    seats: u32,
    #[serde(default)]
    wheelchairs: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackJson {
    after_minutes: u32,
    #[serde(default)]
    same_vehicle: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MealJson {
    key: String,
    person: String,
    window: Window,
    hot: bool,
    boxes: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectionJson {
    key: String,
    donor: String,
    window: Window,
    kg: u32,
    to: String,
}

/// Reads one file; errors name the file, the JSON path and the record's key.
fn read_json<T: DeserializeOwned>(dir: &Path, file: &str) -> Result<T, DemoError> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|source| DemoError::Read {
        path: path.clone(),
        source,
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| DemoError::Json {
        path: path.clone(),
        at: String::new(),
        key: None,
        message: e.to_string(),
    })?;
    serde_path_to_error::deserialize(&value).map_err(|e| DemoError::Json {
        at: e.path().to_string(),
        key: key_along(&value, e.path()),
        message: e.inner().to_string(),
        path,
    })
}

/// The `key` of the innermost record on the way down `path`.
fn key_along(value: &serde_json::Value, path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut here = value;
    let mut key = None;
    for segment in path.iter() {
        let next = match segment {
            Segment::Seq { index } => here.get(*index),
            Segment::Map { key } => here.get(key.as_str()),
            _ => None,
        };
        let Some(next) = next else { break };
        here = next;
        if let Some(k) = here.get("key").and_then(|k| k.as_str()) {
            key = Some(k.to_string());
        }
    }
    key
}

// ---------------------------------------------------------------------------
// Resolving keys.

/// Key → position in its file; a key used twice is an error.
fn index_keys<'a>(
    file: &'static str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<HashMap<&'a str, usize>, DemoError> {
    let mut map = HashMap::new();
    for (i, k) in keys.enumerate() {
        if map.insert(k, i).is_some() {
            return Err(DemoError::DuplicateKey {
                file,
                key: k.to_string(),
            });
        }
    }
    Ok(map)
}

/// Where a record sits, for error messages.
#[derive(Clone, Copy)]
struct At<'a> {
    file: &'static str,
    key: &'a str,
}

impl<'a> At<'a> {
    fn new(file: &'static str, key: &'a str) -> Self {
        Self { file, key }
    }

    fn find(
        self,
        map: &HashMap<&str, usize>,
        field: &'static str,
        target: &str,
        target_file: &'static str,
    ) -> Result<usize, DemoError> {
        map.get(target)
            .copied()
            .ok_or_else(|| DemoError::UnknownKey {
                file: self.file,
                key: self.key.to_string(),
                field,
                target: target.to_string(),
                target_file,
            })
    }

    fn bad(self, message: impl Into<String>) -> DemoError {
        DemoError::Bad {
            file: self.file,
            key: self.key.to_string(),
            message: message.into(),
        }
    }

    fn valid<T>(self, input: T, check: impl Fn(&T) -> Result<(), Invalid>) -> Result<T, DemoError> {
        check(&input).map_err(|source| DemoError::Invalid {
            file: self.file,
            key: self.key.to_string(),
            source,
        })?;
        Ok(input)
    }

    fn rejected(self) -> impl FnOnce(StoreError) -> DemoError {
        let (file, key) = (self.file, self.key.to_string());
        move |source| DemoError::Rejected { file, key, source }
    }
}

struct RideRefs {
    person: usize,
    from: usize,
    to: usize,
    window_at: WindowAt,
    window: Window,
    /// The way back's pickup window.
    back: Option<Window>,
}

struct MealRefs {
    person: usize,
}

struct CollectionRefs {
    donor: usize,
    to: usize,
}

/// Every reference of the files, as positions in the files.
struct Refs {
    place_org: Vec<Option<usize>>,
    person_org: Vec<usize>,
    person_home: Vec<usize>,
    depot: Vec<usize>,
    volunteer_vehicles: Vec<Vec<usize>>,
    municipality: Option<usize>,
    meal_centre: usize,
    rides: Vec<RideRefs>,
    meals: Vec<MealRefs>,
    collections: Vec<CollectionRefs>,
    covers: Vec<Cover>,
}

/// The store's id for each record, by position in its file.
struct Ids {
    orgs: Vec<Id>,
    places: Vec<Id>,
    people: Vec<Id>,
    vehicles: Vec<Id>,
    volunteers: Vec<Id>,
    /// The outbound request of each ride.
    rides: Vec<Id>,
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

struct Demo {
    orgs: Vec<OrgJson>,
    places: Vec<PlaceJson>,
    people: Vec<PersonJson>,
    vehicles: Vec<VehicleJson>,
    volunteers: Vec<VolunteerJson>,
    day: DayJson,
    refs: Refs,
}

fn email(local: &str) -> String {
    format!("{local}@{EMAIL_DOMAIN}")
}

impl Demo {
    fn read(dir: &Path) -> Result<Self, DemoError> {
        let orgs: Vec<OrgJson> = read_json(dir, ORGANISATIONS)?;
        let places: Vec<PlaceJson> = read_json(dir, PLACES)?;
        let people: Vec<PersonJson> = read_json(dir, PEOPLE)?;
        let vehicles: Vec<VehicleJson> = read_json(dir, VEHICLES)?;
        let volunteers: Vec<VolunteerJson> = read_json(dir, VOLUNTEERS)?;
        let day: DayJson = read_json(dir, DAY)?;
        let refs = resolve(&orgs, &places, &people, &vehicles, &volunteers, &day)?;
        Ok(Self {
            orgs,
            places,
            people,
            vehicles,
            volunteers,
            day,
            refs,
        })
    }

    /// Builds and validates every input with placeholder ids.
    fn check(&self, date: NaiveDate) -> Result<(), DemoError> {
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
            self.meal(i, date, &ids)?;
        }
        for i in 0..self.day.collections.len() {
            self.collection(i, date, &ids)?;
        }
        self.users(&ids, "placeholder")?;
        Ok(())
    }

    async fn write(&self, store: &Store, date: NaiveDate) -> Result<Loaded, DemoError> {
        let actor = Actor(None);
        let mut ids = Ids {
            orgs: Vec::new(),
            places: Vec::new(),
            people: Vec::new(),
            vehicles: Vec::new(),
            volunteers: Vec::new(),
            rides: Vec::new(),
        };
        for (i, o) in self.orgs.iter().enumerate() {
            let at = At::new(ORGANISATIONS, &o.key);
            let input = self.organisation(i)?;
            let row = store
                .create_organisation(actor, &input)
                .await
                .map_err(at.rejected())?;
            ids.orgs.push(row.id);
        }
        for (i, p) in self.places.iter().enumerate() {
            let at = At::new(PLACES, &p.key);
            let input = self.place(i, &ids)?;
            let row = store
                .create_place(actor, &input)
                .await
                .map_err(at.rejected())?;
            ids.places.push(row.id);
        }
        for (i, p) in self.people.iter().enumerate() {
            let at = At::new(PEOPLE, &p.key);
            let (org, input) = self.person(i, &ids)?;
            let row = store
                .create_person(actor, org, &input)
                .await
                .map_err(at.rejected())?;
            ids.people.push(row.id);
        }
        for (i, v) in self.vehicles.iter().enumerate() {
            let at = At::new(VEHICLES, &v.key);
            let input = self.vehicle(i, &ids)?;
            let row = store
                .create_vehicle(actor, &input)
                .await
                .map_err(at.rejected())?;
            ids.vehicles.push(row.id);
        }
        for (i, v) in self.volunteers.iter().enumerate() {
            let at = At::new(VOLUNTEERS, &v.key);
            let input = self.volunteer(i, &ids)?;
            let row = store
                .create_volunteer(actor, &input)
                .await
                .map_err(at.rejected())?;
            ids.volunteers.push(row.id);
        }
        let mut shifts = 0;
        for c in &self.refs.covers {
            let at = At::new(VOLUNTEERS, &self.volunteers[c.volunteer].key);
            let input = self.shift(c, date, &ids)?;
            store
                .create_shift(actor, &input)
                .await
                .map_err(at.rejected())?;
            shifts += 1;
        }
        let mut requests = 0;
        for (i, r) in self.day.rides.iter().enumerate() {
            let at = At::new(DAY, &r.key);
            let (org, input) = self.ride(i, date, &ids)?;
            let row = store
                .create_request(actor, org, &input)
                .await
                .map_err(at.rejected())?;
            ids.rides.push(row.id);
            requests += 1;
            if let Some((org, input)) = self.ride_back(i, date, &ids)? {
                store
                    .create_request(actor, org, &input)
                    .await
                    .map_err(at.rejected())?;
                requests += 1;
            }
        }
        for (i, m) in self.day.meals.iter().enumerate() {
            let at = At::new(DAY, &m.key);
            let (org, input) = self.meal(i, date, &ids)?;
            store
                .create_request(actor, org, &input)
                .await
                .map_err(at.rejected())?;
            requests += 1;
        }
        for (i, c) in self.day.collections.iter().enumerate() {
            let at = At::new(DAY, &c.key);
            let (org, input) = self.collection(i, date, &ids)?;
            store
                .create_request(actor, org, &input)
                .await
                .map_err(at.rejected())?;
            requests += 1;
        }
        // One hash for all: the password is the same and public anyway, and
        // argon2 is slow enough that a dozen hashes would hold up the start.
        let hash = tokio::task::spawn_blocking(|| password::hash(PASSWORD))
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
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

    // --- one input per record; `ids` maps positions to store ids -----------

    fn organisation(&self, i: usize) -> Result<OrganisationInput, DemoError> {
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

    fn place(&self, i: usize, ids: &Ids) -> Result<PlaceInput, DemoError> {
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

    fn person(&self, i: usize, ids: &Ids) -> Result<(Id, PersonInput), DemoError> {
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
            },
            PersonInput::validate,
        )?;
        Ok((org, input))
    }

    fn vehicle(&self, i: usize, ids: &Ids) -> Result<VehicleInput, DemoError> {
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
            },
            VehicleInput::validate,
        )
    }

    fn volunteer(&self, i: usize, ids: &Ids) -> Result<VolunteerInput, DemoError> {
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

    fn shift(&self, c: &Cover, date: NaiveDate, ids: &Ids) -> Result<ShiftInput, DemoError> {
        let at = At::new(VOLUNTEERS, &self.volunteers[c.volunteer].key);
        at.valid(
            ShiftInput {
                date,
                vehicle_id: ids.vehicles[c.vehicle],
                volunteer_id: Some(ids.volunteers[c.volunteer]),
                window: c.window,
            },
            ShiftInput::validate,
        )
    }

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
            window_at,
            window,
            load,
            skills: Vec::new(),
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            purpose: None,
            notes: None,
            status: RequestStatus::Active,
        }
    }

    fn ride_load(&self, i: usize) -> BTreeMap<String, u32> {
        let l = &self.day.rides[i].load;
        BTreeMap::from([
            ("seats".to_string(), l.seats),
            ("wheelchairs".to_string(), l.wheelchairs),
        ])
    }

    fn ride(&self, i: usize, date: NaiveDate, ids: &Ids) -> Result<(Id, RequestInput), DemoError> {
        let r = &self.day.rides[i];
        let refs = &self.refs.rides[i];
        let at = At::new(DAY, &r.key);
        let org = ids.orgs[self.refs.person_org[refs.person]];
        let mut input = Self::request(
            date,
            RequestKind::Ride,
            Some(refs.person),
            (refs.from, refs.to),
            (refs.window_at, refs.window),
            self.ride_load(i),
            ids,
        );
        input.organisation_id = Some(org);
        input.purpose = r.purpose.clone();
        Ok((org, at.valid(input, RequestInput::validate)?))
    }

    /// The way back of ride `i`, if it has one; needs `ids.rides[i]`.
    fn ride_back(
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
        let org = ids.orgs[self.refs.person_org[refs.person]];
        let mut input = Self::request(
            date,
            RequestKind::Ride,
            Some(refs.person),
            (refs.to, refs.from),
            (WindowAt::Pickup, window),
            self.ride_load(i),
            ids,
        );
        input.organisation_id = Some(org);
        input.purpose = r.purpose.clone();
        input.return_of = Some(ReturnOf {
            request_id: ids.rides[i],
            after_minutes: back.after_minutes,
            same_vehicle: back.same_vehicle,
        });
        Ok(Some((org, at.valid(input, RequestInput::validate)?)))
    }

    fn meal(&self, i: usize, date: NaiveDate, ids: &Ids) -> Result<(Id, RequestInput), DemoError> {
        let m = &self.day.meals[i];
        let person = self.refs.meals[i].person;
        let at = At::new(DAY, &m.key);
        let org = ids.orgs[self.refs.person_org[person]];
        let dim = if m.hot { "hot_boxes" } else { "cold_boxes" };
        let mut input = Self::request(
            date,
            RequestKind::Meal,
            Some(person),
            (self.refs.meal_centre, self.refs.person_home[person]),
            (WindowAt::Dropoff, m.window),
            BTreeMap::from([(dim.to_string(), m.boxes)]),
            ids,
        );
        input.organisation_id = Some(org);
        input.max_ride_minutes = m.hot.then_some(self.day.hot_meal_max_minutes);
        Ok((org, at.valid(input, RequestInput::validate)?))
    }

    fn collection(
        &self,
        i: usize,
        date: NaiveDate,
        ids: &Ids,
    ) -> Result<(Id, RequestInput), DemoError> {
        let c = &self.day.collections[i];
        let refs = &self.refs.collections[i];
        let at = At::new(DAY, &c.key);
        let municipality = self.refs.municipality.ok_or_else(|| {
            at.bad(format!(
                "a collection needs a municipality in {ORGANISATIONS}"
            ))
        })?;
        let org = ids.orgs[municipality];
        let mut input = Self::request(
            date,
            RequestKind::Collection,
            None,
            (refs.donor, refs.to),
            (WindowAt::Pickup, c.window),
            BTreeMap::from([("kg".to_string(), c.kg)]),
            ids,
        );
        input.organisation_id = Some(org);
        Ok((org, at.valid(input, RequestInput::validate)?))
    }

    /// Admin, dispatcher, a member per association, a driver per volunteer.
    fn users(&self, ids: &Ids, password: &str) -> Result<Vec<(DemoLogin, UserInput)>, DemoError> {
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

fn resolve(
    orgs: &[OrgJson],
    places: &[PlaceJson],
    people: &[PersonJson],
    vehicles: &[VehicleJson],
    volunteers: &[VolunteerJson],
    day: &DayJson,
) -> Result<Refs, DemoError> {
    let org_keys = index_keys(ORGANISATIONS, orgs.iter().map(|o| o.key.as_str()))?;
    let place_keys = index_keys(PLACES, places.iter().map(|p| p.key.as_str()))?;
    let person_keys = index_keys(PEOPLE, people.iter().map(|p| p.key.as_str()))?;
    let vehicle_keys = index_keys(VEHICLES, vehicles.iter().map(|v| v.key.as_str()))?;
    index_keys(VOLUNTEERS, volunteers.iter().map(|v| v.key.as_str()))?;
    let day_keys = day.rides.iter().map(|r| r.key.as_str());
    let day_keys = day_keys.chain(day.meals.iter().map(|m| m.key.as_str()));
    index_keys(
        DAY,
        day_keys.chain(day.collections.iter().map(|c| c.key.as_str())),
    )?;
    let municipality = orgs.iter().position(|o| o.kind == OrgKind::Municipality);

    // People first: a home belongs to the organisation of whoever lives there.
    let mut place_org: Vec<Option<usize>> = vec![None; places.len()];
    let mut person_org = Vec::with_capacity(people.len());
    let mut person_home = Vec::with_capacity(people.len());
    for p in people {
        let at = At::new(PEOPLE, &p.key);
        let org = at.find(&org_keys, "organisation", &p.organisation, ORGANISATIONS)?;
        let home = at.find(&place_keys, "home", &p.home, PLACES)?;
        if places[home].kind != "home" {
            return Err(at.bad(format!(
                "home {:?} is a place of kind {:?}, not \"home\"",
                p.home, places[home].kind
            )));
        }
        match place_org[home] {
            Some(o) if o != org => {
                return Err(at.bad(format!(
                    "home {:?} is also the home of someone of organisation {:?}",
                    p.home, orgs[o].key
                )))
            }
            _ => place_org[home] = Some(org),
        }
        person_org.push(org);
        person_home.push(home);
    }
    // A home nobody lives in stays private: the municipality's.
    for (p, org) in places.iter().zip(place_org.iter_mut()) {
        if p.kind == "home" && org.is_none() {
            *org = municipality;
        }
    }

    let mut depot = Vec::with_capacity(vehicles.len());
    for v in vehicles {
        let at = At::new(VEHICLES, &v.key);
        depot.push(at.find(&place_keys, "depot", &v.depot, PLACES)?);
    }
    let mut volunteer_vehicles = Vec::with_capacity(volunteers.len());
    for v in volunteers {
        let at = At::new(VOLUNTEERS, &v.key);
        let list = v
            .vehicles
            .iter()
            .map(|x| at.find(&vehicle_keys, "vehicle", x, VEHICLES))
            .collect::<Result<Vec<_>, _>>()?;
        volunteer_vehicles.push(list);
    }

    let at = At::new(DAY, "meal_centre");
    let meal_centre = at.find(&place_keys, "meal_centre", &day.meal_centre, PLACES)?;
    let mut rides = Vec::with_capacity(day.rides.len());
    for r in &day.rides {
        let at = At::new(DAY, &r.key);
        let person = at.find(&person_keys, "person", &r.person, PEOPLE)?;
        let from = at.find(&place_keys, "from", &r.from, PLACES)?;
        let to = at.find(&place_keys, "to", &r.to, PLACES)?;
        let (window_at, window) = match (r.pickup_window, r.arrive_by) {
            (Some(w), None) => (WindowAt::Pickup, w),
            (None, Some(w)) => (WindowAt::Dropoff, w),
            _ => return Err(at.bad("give exactly one of pickup_window and arrive_by")),
        };
        let back = match &r.back {
            None => None,
            Some(b) => Some(back_window(window, b.after_minutes).ok_or_else(|| {
                at.bad(format!(
                    "the way back, {} minutes after the trip, would start after midnight",
                    b.after_minutes
                ))
            })?),
        };
        rides.push(RideRefs {
            person,
            from,
            to,
            window_at,
            window,
            back,
        });
    }
    let mut meals = Vec::with_capacity(day.meals.len());
    for m in &day.meals {
        let at = At::new(DAY, &m.key);
        let person = at.find(&person_keys, "person", &m.person, PEOPLE)?;
        meals.push(MealRefs { person });
    }
    let mut collections = Vec::with_capacity(day.collections.len());
    for c in &day.collections {
        let at = At::new(DAY, &c.key);
        collections.push(CollectionRefs {
            donor: at.find(&place_keys, "donor", &c.donor, PLACES)?,
            to: at.find(&place_keys, "to", &c.to, PLACES)?,
        });
    }

    let windows: Vec<Window> = vehicles.iter().map(|v| v.shift).collect();
    let drivers: Vec<(Window, Vec<usize>)> = volunteers
        .iter()
        .zip(&volunteer_vehicles)
        .map(|(v, list)| (v.available, list.clone()))
        .collect();
    let covers = cover_shifts(&windows, &drivers);

    Ok(Refs {
        place_org,
        person_org,
        person_home,
        depot,
        volunteer_vehicles,
        municipality,
        meal_centre,
        rides,
        meals,
        collections,
        covers,
    })
}

/// The way back may be picked up from `after` minutes past the outbound
/// window's start until 90 minutes past its end shifted the same way (capped
/// at midnight). `None` when it would start after midnight.
fn back_window(out: Window, after: u32) -> Option<Window> {
    let after = i64::from(after);
    let start = Clock::from_minutes(out.start.minutes() + after)?;
    let end = (out.end.minutes() + after + 90).min(i64::from(Clock::MIDNIGHT_END));
    Some(Window::new(start, Clock::from_minutes(end)?))
}

// ---------------------------------------------------------------------------
// Shifts.

/// One shift of the cover: positions of the vehicle and of the volunteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cover {
    vehicle: usize,
    volunteer: usize,
    window: Window,
}

/// Covers each vehicle's window (`vehicles[v]`) with volunteers
/// (`volunteers[j]` = their availability and the vehicles they may drive),
/// vehicle by vehicle, sweeping each window from its start. At each point the
/// next shift goes to the volunteer free earliest; among those, to whoever
/// stays longest (covers the most of what is left); on a tie, to whoever
/// becomes available first, then the one listed first. A shift runs from the
/// point to the end of the volunteer's free time, within the vehicle's window.
/// So shifts of one vehicle never overlap, nor do two shifts of one volunteer.
/// A stretch nobody can drive stays without a shift.
fn cover_shifts(vehicles: &[Window], volunteers: &[(Window, Vec<usize>)]) -> Vec<Cover> {
    let mut order: Vec<usize> = (0..volunteers.len()).collect();
    order.sort_by_key(|&j| volunteers[j].0.start);
    let mut busy: Vec<Vec<Window>> = vec![Vec::new(); volunteers.len()];
    let mut out = Vec::new();
    for (v, w) in vehicles.iter().enumerate() {
        let mut cursor = w.start;
        while cursor < w.end {
            let mut best: Option<(usize, Window)> = None;
            for &j in &order {
                let (available, allowed) = &volunteers[j];
                if !allowed.contains(&v) {
                    continue;
                }
                let Some(stretch) = free_stretch(*available, &busy[j], cursor, w.end) else {
                    continue;
                };
                let rank = |s: Window| (s.start, Reverse(s.end));
                if best.is_none_or(|(_, b)| rank(stretch) < rank(b)) {
                    best = Some((j, stretch));
                }
            }
            let Some((j, window)) = best else { break };
            busy[j].push(window);
            busy[j].sort_by_key(|b| b.start);
            out.push(Cover {
                vehicle: v,
                volunteer: j,
                window,
            });
            cursor = window.end;
        }
    }
    out
}

/// The first stretch of `available` inside [`from`, `until`] that overlaps none
/// of `busy` (sorted by start, not overlapping each other), if not empty.
fn free_stretch(available: Window, busy: &[Window], from: Clock, until: Clock) -> Option<Window> {
    let mut start = available.start.max(from);
    let mut end = available.end.min(until);
    for b in busy {
        if b.end <= start {
            continue;
        }
        if b.start <= start {
            start = b.end;
        } else {
            end = end.min(b.start);
            break;
        }
    }
    (start < end).then(|| Window::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(a: &str, b: &str) -> Window {
        Window::new(a.parse().unwrap(), b.parse().unwrap())
    }

    #[test]
    fn covers_the_demo_vehicles() {
        // van, car-1, car-2 and the eight volunteers of data/demo.
        let vehicles = [
            w("07:30", "18:00"),
            w("10:30", "14:30"),
            w("10:30", "14:30"),
        ];
        let volunteers = vec![
            (w("07:15", "13:00"), vec![0]),       // giorgio
            (w("07:30", "11:30"), vec![0, 1, 2]), // paolo
            (w("08:00", "14:30"), vec![0, 2]),    // silvia
            (w("12:45", "18:15"), vec![0]),       // elena
            (w("13:00", "18:00"), vec![0, 1]),    // lucia
            (w("10:15", "14:45"), vec![1, 2]),    // marco
            (w("10:15", "14:45"), vec![2]),       // anna
            (w("10:30", "14:30"), vec![1]),       // franco
        ];
        let cover = cover_shifts(&vehicles, &volunteers);
        let c = |vehicle, volunteer, a, b| Cover {
            vehicle,
            volunteer,
            window: w(a, b),
        };
        assert_eq!(
            cover,
            vec![
                c(0, 0, "07:30", "13:00"),
                c(0, 3, "13:00", "18:00"),
                c(1, 5, "10:30", "14:30"),
                c(2, 2, "10:30", "14:30"),
            ]
        );
    }

    #[test]
    fn leaves_gaps_and_skips_busy_volunteers() {
        let vehicles = [w("08:00", "12:00"), w("08:00", "12:00")];
        let volunteers = vec![
            (w("09:00", "10:00"), vec![0]),
            (w("08:00", "12:00"), vec![0, 1]),
            (w("10:30", "11:00"), vec![0]),
            (w("08:00", "09:30"), vec![1]),
        ];
        // Vehicle 0 takes volunteer 1 for the whole morning; vehicle 1 then
        // finds only volunteer 3, and nobody after 09:30.
        let cover = cover_shifts(&vehicles, &volunteers);
        assert_eq!(cover.len(), 2);
        assert_eq!(
            (cover[0].volunteer, cover[0].window),
            (1, w("08:00", "12:00"))
        );
        assert_eq!(
            (cover[1].volunteer, cover[1].window),
            (3, w("08:00", "09:30"))
        );

        // Without volunteer 1: a gap before 09:00 and one from 10:00 to 10:30.
        let without: Vec<_> = [0, 2].map(|j| volunteers[j].clone()).into();
        let cover = cover_shifts(&vehicles[..1], &without);
        let got: Vec<_> = cover.iter().map(|c| (c.volunteer, c.window)).collect();
        assert_eq!(
            got,
            vec![(0, w("09:00", "10:00")), (1, w("10:30", "11:00"))]
        );
    }

    #[test]
    fn a_volunteer_split_by_another_shift_drives_around_it() {
        // Volunteer 0 is only one for vehicle 0 at 10:00–11:00, so vehicle 1
        // gets volunteer 0 before and after it.
        let vehicles = [w("10:00", "11:00"), w("09:00", "12:00")];
        let volunteers = vec![(w("09:00", "12:00"), vec![0, 1])];
        let cover = cover_shifts(&vehicles, &volunteers);
        let got: Vec<_> = cover.iter().map(|c| (c.vehicle, c.window)).collect();
        assert_eq!(
            got,
            vec![
                (0, w("10:00", "11:00")),
                (1, w("09:00", "10:00")),
                (1, w("11:00", "12:00")),
            ]
        );
    }

    #[test]
    fn the_way_back_window_is_shifted_and_capped_at_midnight() {
        assert_eq!(
            back_window(w("10:00", "10:30"), 90),
            Some(w("11:30", "13:30"))
        );
        assert_eq!(
            back_window(w("22:00", "22:30"), 60),
            Some(w("23:00", "24:00"))
        );
        assert_eq!(back_window(w("23:00", "23:30"), 90), None);
    }

    #[test]
    fn json_errors_name_the_record_key() {
        let value: serde_json::Value = serde_json::from_str(
            r#"[{"key": "a", "name": "A", "kind": "municipality"},
                {"key": "b", "name": "B", "kind": "club"}]"#,
        )
        .unwrap();
        let err = serde_path_to_error::deserialize::<_, Vec<OrgJson>>(&value)
            .err()
            .unwrap();
        assert_eq!(err.path().to_string(), "[1].kind");
        assert_eq!(key_along(&value, err.path()).as_deref(), Some("b"));
    }
}
