//! What would let each request a solve left out into the plan as it stands:
//! the changes of `domain::fits_if::STEPS`, smallest first, each tried with
//! `solver::fit` against the solved routes (which keep their vehicles and
//! order) until one fits, within a time budget.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::build::{job, vehicle, Built, Day};
use crate::domain::fits_if::{fewer_companions, shifted, Step, STEPS};
use crate::domain::{FitsIf, Id, Request, Vehicle};
use crate::solver::{fit, Fit, Problem, Solution};

/// How long the search may take: per request left out, and for them all.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub per_request: Duration,
    pub total: Duration,
}

impl Default for Budget {
    /// One fit takes well under a millisecond on a town's day: the budget
    /// only binds on a very large one.
    fn default() -> Self {
        Self {
            per_request: Duration::from_millis(200),
            total: Duration::from_secs(2),
        }
    }
}

/// For each request `solution` leaves out, the first change of `STEPS` that
/// makes it fit, with the request's id; a request that fits as it is (the
/// search stopped short), or that no change lets in within the budget, has
/// none. `day` is the records `built` was made from; `now` keeps moved
/// times out of the past.
pub fn fits_if(
    day: &Day,
    built: &Built,
    solution: &Solution,
    now: NaiveDateTime,
    budget: Budget,
) -> Vec<(Id, FitsIf)> {
    let started = Instant::now();
    let requests: HashMap<Id, &Request> = day.requests.iter().map(|r| (r.id, r)).collect();
    let idle = idle_vehicles(day, built);
    let mut found = Vec::new();
    for u in &solution.unassigned {
        let until = (Instant::now() + budget.per_request).min(started + budget.total);
        if Instant::now() >= until {
            break;
        }
        let Some(r) = requests.get(&built.jobs[u.job].request_id) else {
            continue;
        };
        let tries = Tries {
            day,
            built,
            solution,
            job: u.job,
            request: r,
            idle: &idle,
        };
        if let Some(f) = tries.first(now, until) {
            found.push((r.id, f));
        }
    }
    found
}

/// Active vehicles on no shift of the day, whose depot the matrix has.
fn idle_vehicles<'a>(day: &'a Day, built: &Built) -> Vec<(&'a Vehicle, usize)> {
    day.vehicles
        .iter()
        .filter(|v| v.active && !built.vehicles.iter().any(|s| s.vehicle_id == v.id))
        .filter_map(|v| {
            let depot = built.places.iter().position(|&p| p == v.depot_place_id)?;
            Some((v, depot))
        })
        .collect()
}

/// The changes tried for one request left out.
struct Tries<'a> {
    day: &'a Day<'a>,
    built: &'a Built,
    solution: &'a Solution,
    job: usize,
    request: &'a Request,
    idle: &'a [(&'a Vehicle, usize)],
}

impl Tries<'_> {
    /// The first change that fits, the cheaper of two alike (a time moved
    /// later or earlier by as much; two vehicles called in).
    fn first(&self, now: NaiveDateTime, until: Instant) -> Option<FitsIf> {
        // Fits as it is: no change to suggest (the dispatcher may assign it).
        if fit(&self.built.problem, self.solution, self.job).is_ok() {
            return None;
        }
        for step in STEPS {
            if Instant::now() >= until {
                return None;
            }
            let found = match step {
                Step::Shift(m) => cheapest([i32::from(m), -i32::from(m)].into_iter().filter_map(
                    |minutes| {
                        let moved = shifted(self.request, minutes, self.day.policy, now)?;
                        let f = self.with_request(&moved)?;
                        Some((f, FitsIf::WindowShift { minutes }))
                    },
                )),
                Step::OtherVehicle => cheapest(self.idle.iter().filter_map(|&(v, depot)| {
                    let f = self.with_vehicle(v, depot)?;
                    let layout = v.layouts.get(f.route.layout)?.name.clone();
                    Some((
                        f,
                        FitsIf::OtherVehicle {
                            vehicle_id: v.id,
                            layout,
                        },
                    ))
                })),
                Step::FewerCompanions => {
                    let person = self
                        .request
                        .person_id
                        .and_then(|id| self.day.people.iter().find(|p| p.id == id));
                    fewer_companions(self.request, person).and_then(|fewer| {
                        self.with_request(&fewer)?;
                        Some(FitsIf::FewerCompanions {
                            companions: fewer.companions,
                        })
                    })
                }
            };
            if let Some(change) = found {
                return Some(change);
            }
        }
        None
    }

    /// The fit of the request changed to `r` (its job made again as the
    /// planner makes every job).
    fn with_request(&self, r: &Request) -> Option<Fit> {
        let built = self.built;
        let at = |place: Id| built.places.iter().position(|&p| p == place);
        let person = r
            .person_id
            .and_then(|id| self.day.people.iter().find(|p| p.id == id));
        let mut problem: Problem = built.problem.clone();
        let mut changed = job(
            r,
            person,
            self.day.policy,
            (at(r.from_place_id)?, at(r.to_place_id)?),
            &problem.dimensions,
            &problem.matrix,
        );
        // Who may ride where (vehicle sharing) does not change with the booking.
        let may_ride = problem.jobs[self.job]
            .skills
            .iter()
            .filter(|s| !changed.skills.contains(s))
            .cloned()
            .collect::<Vec<_>>();
        changed.skills.extend(may_ride);
        problem.jobs[self.job] = changed;
        fit(&problem, self.solution, self.job).ok()
    }

    /// The fit with vehicle `v` on duty over its usual hours.
    fn with_vehicle(&self, v: &Vehicle, depot: usize) -> Option<Fit> {
        let mut problem: Problem = self.built.problem.clone();
        let i = problem.vehicles.len();
        problem.vehicles.push(vehicle(
            format!("shift-{i}"),
            v.available,
            v,
            depot,
            &problem.dimensions,
        ));
        let f = fit(&problem, self.solution, self.job).ok()?;
        (f.vehicle == i).then_some(f)
    }
}

/// The change whose fit adds the least cost.
fn cheapest(found: impl Iterator<Item = (Fit, FitsIf)>) -> Option<FitsIf> {
    found
        .min_by(|a, b| a.0.added_cost.total_cmp(&b.0.added_cost))
        .map(|(_, change)| change)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;

    use super::*;
    use crate::domain::ride_policy::{RidePolicy, Timing};
    use crate::domain::{
        Assistance, Clock, Lifecycle, Mobility, Person, Place, RequestKind, RequestStatus, Shift,
        VehicleLayout, Window,
    };
    use crate::planning::{build, locations};
    use crate::solver::{Reason, Unassigned};
    use crate::travel::TravelMatrix;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 10).unwrap()
    }

    fn hm(s: &str) -> Clock {
        s.parse().unwrap()
    }

    fn place(id: Id) -> Place {
        Place {
            id,
            organisation_id: None,
            name: format!("place {id}"),
            address: String::new(),
            lat: 44.27,
            lon: 9.4,
            kind: "home".into(),
        }
    }

    fn person(id: Id, home: Id) -> Person {
        Person {
            id,
            organisation_id: 1,
            name: format!("rider {id}"),
            phone: None,
            home_place_id: home,
            mobility: Mobility::None,
            assistance: Assistance::None,
            service_animal: false,
            driver_notes: None,
        }
    }

    fn vehicle(id: Id, seats: u32, available: (&str, &str)) -> Vehicle {
        Vehicle {
            id,
            name: format!("vehicle {id}"),
            depot_place_id: 1,
            skills: vec![],
            layouts: vec![VehicleLayout {
                name: format!("{seats} seats"),
                capacity: BTreeMap::from([("seats".to_string(), seats)]),
            }],
            available: Window::new(hm(available.0), hm(available.1)),
            active: true,
            owner_organisation_id: None,
            pooled: true,
        }
    }

    /// A ride for rider `who` (living at place `who`) to place 4.
    fn ride(id: Id, who: &Person, pickup: &str, companions: u32) -> Request {
        let (window_at, window) = RidePolicy::default().window(Timing::PickupAt(hm(pickup)));
        Request {
            id,
            organisation_id: 1,
            date: date(),
            kind: RequestKind::Ride,
            person_id: Some(who.id),
            from_place_id: who.home_place_id,
            to_place_id: 4,
            window_at,
            window,
            load: who.party(companions).needs().load,
            skills: vec![],
            service_minutes: None,
            max_ride_minutes: None,
            return_of: None,
            way_back: None,
            pickup_at: Some(hm(pickup)),
            appointment: None,
            companions,
            purpose: None,
            notes: None,
            status: RequestStatus::Active,
            promised_pickup: None,
            lifecycle: Lifecycle::Requested,
        }
    }

    /// The van (one seat, on a shift 7:30–11:00) carries the first request;
    /// what would let the second in, with these vehicles idle?
    fn suggestion(second: Request, idle: &[Vehicle]) -> Option<FitsIf> {
        let policy = RidePolicy::default();
        let places: Vec<Place> = (1..=4).map(place).collect();
        let people = vec![person(10, 2), person(11, 3)];
        let first = ride(1, &people[0], "09:00", 0);
        let requests = vec![first, second];
        let mut vehicles = vec![vehicle(1, 1, ("07:00", "12:00"))];
        vehicles.extend(idle.iter().cloned());
        let shifts = vec![Shift {
            id: 1,
            date: date(),
            vehicle_id: 1,
            volunteer_id: None,
            window: Window::new(hm("07:30"), hm("11:00")),
        }];
        let day = Day {
            date: date(),
            policy: &policy,
            requests: &requests,
            places: &places,
            people: &people,
            vehicles: &vehicles,
            shifts: &shifts,
            organisations: &[],
            blocks: &[],
        };
        let (ids, _) = locations(&day).unwrap();
        // Twenty-five minutes and 5 km between any two places.
        let n = ids.len();
        let far = |v: f64| -> Vec<f64> {
            (0..n * n)
                .map(|k| if k / n == k % n { 0.0 } else { v })
                .collect()
        };
        let matrix = TravelMatrix {
            size: n,
            minutes: far(25.0),
            km: far(5.0),
            source: "test".into(),
        };
        let built = build(&day, &ids, &matrix).unwrap();
        let empty = Solution {
            routes: vec![],
            unassigned: vec![],
            cost: 0.0,
            distance: 0.0,
        };
        let mut plan = fit(&built.problem, &empty, 0).unwrap().apply(&empty);
        plan.unassigned.push(Unassigned {
            job: 1,
            reason: Reason::NoRoom,
        });
        let now = date().and_hms_opt(7, 0, 0).unwrap();
        let found = fits_if(&day, &built, &plan, now, Budget::default());
        assert!(found.iter().all(|(id, _)| *id == 2), "{found:?}");
        found.into_iter().next().map(|(_, f)| f)
    }

    #[test]
    fn the_smallest_change_that_fits_is_the_answer() {
        let people = [person(10, 2), person(11, 3)];
        let car = vehicle(2, 4, ("07:00", "12:00"));
        // Both at 9:00 from two homes, one seat: moved 15 minutes either way
        // is not enough, 30 is (later and earlier alike: later is named).
        let clash = ride(2, &people[1], "09:00", 0);
        let shift = Some(FitsIf::WindowShift { minutes: 30 });
        assert_eq!(suggestion(clash.clone(), &[]), shift);
        // A vehicle called in would do too, but the time comes first.
        assert_eq!(suggestion(clash, std::slice::from_ref(&car)), shift);

        // Later, with a companion: two seats, which the van has not. No time
        // helps; a vehicle called in comes before a companion left at home.
        let party = ride(2, &people[1], "10:00", 1);
        assert_eq!(
            suggestion(party.clone(), std::slice::from_ref(&car)),
            Some(FitsIf::OtherVehicle {
                vehicle_id: 2,
                layout: "4 seats".into()
            })
        );
        assert_eq!(
            suggestion(party, &[]),
            Some(FitsIf::FewerCompanions { companions: 0 })
        );
        // Alone at 10:00 it fits as it is: nothing to change.
        assert_eq!(suggestion(ride(2, &people[1], "10:00", 0), &[]), None);
    }
}
