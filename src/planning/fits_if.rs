//! What would let each request a solve left out into the plan as it stands:
//! the changes of `domain::fits_if::STEPS`, smallest first, each tried with
//! `solver::fit` against the solved routes (which keep their vehicles and
//! order) until one fits, within a time budget. Another day needs other
//! dates' records: the caller brings each (`fits_on`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::build::{job, vehicle, Built, Day, Rules};
use super::result::solver_routes;
use crate::domain::fits_if::{fewer_companions, shifted, Step, STEPS};
use crate::domain::{FitsIf, Id, Request, Route as PlanRoute, Vehicle};
use crate::solver::{self, fit, Fit, Options, Problem, Solution};

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

/// What the search of the day found.
#[derive(Debug, Default)]
pub struct Suggestions {
    /// The first change that lets each request in, by request id.
    pub found: Vec<(Id, FitsIf)>,
    /// Requests no change of the day lets in, every one tried: left for
    /// another day (`Step::OtherDay`), which the caller tries.
    pub not_today: Vec<Id>,
}

/// For each request `solution` leaves out, the first change of `STEPS` that
/// makes it fit on the day; a request that fits as it is (the search
/// stopped short), or that the budget ran out on, has none. `day` is the
/// records `built` was made from; `now` keeps moved times out of the past.
pub fn fits_if(
    day: &Day,
    built: &Built,
    solution: &Solution,
    now: NaiveDateTime,
    budget: Budget,
) -> Suggestions {
    let started = Instant::now();
    let requests: HashMap<Id, &Request> = day.requests.iter().map(|r| (r.id, r)).collect();
    let idle = idle_vehicles(day, built);
    let mut out = Suggestions::default();
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
        match tries.first(now, until) {
            Tried::Fits(f) => out.found.push((r.id, f)),
            Tried::NotToday => out.not_today.push(r.id),
            Tried::AsItIs | Tried::OutOfTime => {}
        }
    }
    out
}

/// Whether the requests `ids` (a ride, and its way back when both were left
/// out), already among `built`'s jobs, fit that day: placed in turn where
/// each costs least, every other job kept where it is. Against the day's
/// newest `plan` when it still matches the day; otherwise against a search
/// of `search` that plans the day without them, so nothing else is left out
/// for them.
pub fn fits_on(built: &Built, plan: Option<&[PlanRoute]>, ids: &[Id], search: Duration) -> bool {
    let jobs: Option<Vec<usize>> = ids
        .iter()
        .map(|id| built.jobs.iter().position(|j| j.request_id == *id))
        .collect();
    let Some(jobs) = jobs else {
        return false;
    };
    let stands = plan
        .and_then(|routes| solver_routes(built, routes).ok())
        .map(|routes| Solution {
            routes,
            unassigned: vec![],
            cost: 0.0,
            distance: 0.0,
            proved_optimal: false,
        });
    let Some(mut solution) = stands.or_else(|| without(built, &jobs, search)) else {
        return false;
    };
    for &j in &jobs {
        match fit(&built.problem, &solution, j) {
            Ok(f) => solution = f.apply(&solution),
            Err(_) => return false,
        }
    }
    true
}

/// The day planned by a short search with `jobs` kept out: they need an
/// equipment no vehicle has.
fn without(built: &Built, jobs: &[usize], search: Duration) -> Option<Solution> {
    let mut problem = built.problem.clone();
    for &j in jobs {
        problem.jobs[j]
            .skills
            .push("giro:not-in-this-search".into());
    }
    let options = Options {
        seed: 1,
        time_limit: Some(search),
        ..Default::default()
    };
    solver::solve(&problem, &options).ok()
}

/// How trying the day's changes ended for one request.
enum Tried {
    Fits(FitsIf),
    /// It fits with no change.
    AsItIs,
    /// Every change of the day tried; none fits.
    NotToday,
    OutOfTime,
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
    fn first(&self, now: NaiveDateTime, until: Instant) -> Tried {
        // Fits as it is: no change to suggest (the dispatcher may assign it).
        if fit(&self.built.problem, self.solution, self.job).is_ok() {
            return Tried::AsItIs;
        }
        for step in STEPS {
            if Instant::now() >= until {
                return Tried::OutOfTime;
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
                // Tried by the caller, with the other dates' records.
                Step::OtherDay => return Tried::NotToday,
            };
            if let Some(change) = found {
                return Tried::Fits(change);
            }
        }
        Tried::NotToday
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
        let rules = Rules {
            policy: self.day.policy,
            meals: self.day.meals,
            surplus: self.day.surplus,
            donors: self.day.donors,
            priority: self.day.priority_meals.contains(&r.id),
        };
        let mut changed = job(
            r,
            person,
            &rules,
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
        let found = tried(second, idle).found;
        assert!(found.iter().all(|(id, _)| *id == 2), "{found:?}");
        found.into_iter().next().map(|(_, f)| f)
    }

    fn tried(second: Request, idle: &[Vehicle]) -> Suggestions {
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
            serves: Vec::new(),
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
            meals: &Default::default(),
            priority_meals: &Default::default(),
            preferred_volunteers: &Default::default(),
            surplus: &Default::default(),
            donors: &[],
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
            proved_optimal: false,
        };
        let mut plan = fit(&built.problem, &empty, 0).unwrap().apply(&empty);
        plan.unassigned.push(Unassigned {
            job: 1,
            reason: Reason::NoRoom,
        });
        let now = date().and_hms_opt(7, 0, 0).unwrap();
        let found = fits_if(&day, &built, &plan, now, Budget::default());
        // Planned afresh without it, the day takes it exactly when it needs
        // no change (as another day would be asked).
        let as_it_is = found.found.is_empty() && found.not_today.is_empty();
        assert_eq!(
            fits_on(&built, None, &[2], Duration::from_millis(100)),
            as_it_is
        );
        found
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
        let alone = tried(ride(2, &people[1], "10:00", 0), &[]);
        assert!(alone.found.is_empty() && alone.not_today.is_empty());

        // In the afternoon, two hours after the shift's end and more, nothing
        // on the day lets it in: another day is for the caller to try.
        let late = tried(ride(2, &people[1], "15:30", 0), &[]);
        assert!(late.found.is_empty());
        assert_eq!(late.not_today, [2]);
    }
}
