//! Reading the files into a [`Demo`] and resolving their keys to positions, before any write.

use std::collections::HashMap;
use std::path::Path;

use super::at::At;
use super::files::{
    read_json, DayJson, OrgJson, PersonJson, PlaceJson, VehicleJson, VolunteerJson, DAY,
    ORGANISATIONS, PEOPLE, PLACES, VEHICLES, VOLUNTEERS,
};
use super::shifts::{cover_shifts, Cover};
use super::{Demo, DemoError};
use crate::domain::{Clock, OrgKind, WayBack, Window, WindowAt};

pub(super) struct RideRefs {
    pub(super) person: usize,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) window_at: WindowAt,
    pub(super) window: Window,
    /// The way back's pickup window, when booked as a request of its own.
    pub(super) back: Option<Window>,
    /// Arrive-by from the policy; its way back is booked with it, by rule.
    pub(super) appointment: Option<(Clock, Option<WayBack>)>,
}

pub(super) struct MealRefs {
    pub(super) person: usize,
    pub(super) volunteer: Option<usize>,
}

pub(super) struct DonorRefs {
    pub(super) place: usize,
    pub(super) to: usize,
}

/// Every reference of the files, as positions in the files.
/// A standing order's person and places.
pub(super) struct StandingRefs {
    pub(super) person: usize,
    pub(super) from: usize,
    pub(super) to: usize,
}

pub(super) struct Refs {
    pub(super) place_org: Vec<Option<usize>>,
    pub(super) person_org: Vec<usize>,
    pub(super) person_home: Vec<usize>,
    pub(super) depot: Vec<usize>,
    pub(super) volunteer_vehicles: Vec<Vec<usize>>,
    pub(super) meal_centre: usize,
    pub(super) rides: Vec<RideRefs>,
    pub(super) meals: Vec<MealRefs>,
    pub(super) donors: Vec<DonorRefs>,
    pub(super) covers: Vec<Cover>,
    pub(super) standing: Vec<StandingRefs>,
}

impl Demo {
    pub(super) fn read(dir: &Path) -> Result<Self, DemoError> {
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
}

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
    let volunteer_keys = index_keys(VOLUNTEERS, volunteers.iter().map(|v| v.key.as_str()))?;
    let day_keys = day.rides.iter().map(|r| r.key.as_str());
    let day_keys = day_keys.chain(day.meals.iter().map(|m| m.key.as_str()));
    let day_keys = day_keys.chain(day.donors.iter().map(|c| c.key.as_str()));
    index_keys(
        DAY,
        day_keys.chain(day.standing_orders.iter().map(|o| o.key.as_str())),
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
        let (window_at, window) = match (r.pickup_window, r.arrive_by, r.appointment) {
            (Some(w), None, None) => (WindowAt::Pickup, w),
            (None, Some(w), None) => (WindowAt::Dropoff, w),
            (None, None, Some(t)) => (WindowAt::Dropoff, Window::new(t, t)),
            _ => return Err(at.bad("give exactly one of pickup_window, arrive_by and appointment")),
        };
        let appointment = r.appointment.map(|t| {
            let rule = r.back.as_ref().map(|b| {
                if b.will_call {
                    WayBack::WillCall
                } else {
                    WayBack::AfterMinutes(b.after_minutes.min(720) as u16)
                }
            });
            (t, rule)
        });
        if r.back.as_ref().is_some_and(|b| b.will_call) && appointment.is_none() {
            return Err(at.bad("a will-call way back needs an appointment"));
        }
        let back = match &r.back {
            _ if appointment.is_some() => None,
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
            appointment,
        });
    }
    let mut meals = Vec::with_capacity(day.meals.len());
    for m in &day.meals {
        let at = At::new(DAY, &m.key);
        let person = at.find(&person_keys, "person", &m.person, PEOPLE)?;
        let volunteer = m
            .preferred_volunteer
            .as_ref()
            .map(|v| at.find(&volunteer_keys, "preferred_volunteer", v, VOLUNTEERS))
            .transpose()?;
        meals.push(MealRefs { person, volunteer });
    }
    let mut donors = Vec::with_capacity(day.donors.len());
    for c in &day.donors {
        let at = At::new(DAY, &c.key);
        donors.push(DonorRefs {
            place: at.find(&place_keys, "place", &c.place, PLACES)?,
            to: at.find(&place_keys, "to", &c.to, PLACES)?,
        });
    }

    let mut standing = Vec::with_capacity(day.standing_orders.len());
    for o in &day.standing_orders {
        let at = At::new(DAY, &o.key);
        standing.push(StandingRefs {
            person: at.find(&person_keys, "person", &o.person, PEOPLE)?,
            from: at.find(&place_keys, "from", &o.from, PLACES)?,
            to: at.find(&place_keys, "to", &o.to, PLACES)?,
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
        meal_centre,
        rides,
        meals,
        donors,
        covers,
        standing,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn w(a: &str, b: &str) -> Window {
        Window::new(a.parse().unwrap(), b.parse().unwrap())
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
}
