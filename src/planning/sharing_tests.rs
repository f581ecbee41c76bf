//! How planning cuts shifts at blocks: pieces as solver vehicles with their
//! spans and "may ride" skills, and nothing of it on a day without sharing.

use chrono::NaiveDate;

use super::build::{build, Day};
use crate::domain::ride_policy::RidePolicy;
use crate::domain::vehicle_sharing::{is_access_skill, Party};
use crate::domain::{
    Clock, Lifecycle, OrgKind, Organisation, Place, Request, RequestKind, RequestStatus, Shift,
    Vehicle, VehicleBlock, VehicleLayout, Window, WindowAt,
};
use crate::travel::TravelMatrix;

fn hm(h: u16) -> Clock {
    Clock(h * 60)
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn ride(id: i64, organisation_id: i64, at: u16) -> Request {
    Request {
        id,
        organisation_id,
        date: date(),
        kind: RequestKind::Ride,
        person_id: None,
        from_place_id: 1,
        to_place_id: 2,
        window_at: WindowAt::Pickup,
        window: Window::new(hm(at), Clock(at * 60 + 30)),
        load: [("seats".to_string(), 1)].into(),
        skills: vec![],
        service_minutes: None,
        max_ride_minutes: None,
        return_of: None,
        way_back: None,
        pickup_at: None,
        appointment: None,
        companions: 0,
        purpose: None,
        notes: None,
        status: RequestStatus::Active,
        promised_pickup: None,
        lifecycle: Lifecycle::Requested,
    }
}

fn place(id: i64) -> Place {
    Place {
        id,
        organisation_id: None,
        name: format!("p{id}"),
        address: String::new(),
        lat: 44.27,
        lon: 9.39 + id as f64 * 0.01,
        kind: "centre".into(),
    }
}

fn plan(blocks: &[VehicleBlock]) -> super::Built {
    let policy = RidePolicy::default();
    let requests = [ride(10, 2, 8), ride(11, 3, 9), ride(12, 1, 11)];
    let places = [place(1), place(2)];
    let vehicles = [Vehicle {
        id: 5,
        name: "van".into(),
        depot_place_id: 1,
        skills: vec!["lift".into()],
        layouts: vec![VehicleLayout {
            name: "seats".into(),
            capacity: [("seats".to_string(), 4)].into(),
        }],
        available: Window::new(hm(7), hm(18)),
        active: true,
        owner_organisation_id: None,
        pooled: true,
    }];
    let shifts = [Shift {
        id: 7,
        date: date(),
        vehicle_id: 5,
        volunteer_id: Some(3),
        window: Window::new(hm(8), hm(12)),
        serves: Vec::new(),
    }];
    let organisations = [
        Organisation {
            id: 1,
            name: "Comune".into(),
            kind: OrgKind::Municipality,
        },
        Organisation {
            id: 2,
            name: "A".into(),
            kind: OrgKind::Association,
        },
        Organisation {
            id: 3,
            name: "B".into(),
            kind: OrgKind::Association,
        },
    ];
    let day = Day {
        date: date(),
        policy: &policy,
        requests: &requests,
        places: &places,
        people: &[],
        vehicles: &vehicles,
        shifts: &shifts,
        organisations: &organisations,
        blocks,
        meals: &Default::default(),
        priority_meals: &Default::default(),
        preferred_volunteers: &Default::default(),
        surplus: &Default::default(),
        donors: &[],
    };
    let travel = TravelMatrix {
        size: 2,
        minutes: vec![0.0, 5.0, 5.0, 0.0],
        km: vec![0.0, 2.0, 2.0, 0.0],
        source: "test".into(),
    };
    build(&day, &[1, 2], &travel).unwrap()
}

#[test]
fn without_blocks_a_pooled_vehicle_is_one_solver_vehicle_and_nobody_carries_access_skills() {
    let built = plan(&[]);
    let p = &built.problem;
    assert_eq!(p.vehicles.len(), 1);
    assert_eq!(p.vehicles[0].id, "shift-0");
    assert_eq!(p.vehicles[0].skills, vec!["lift".to_string()]);
    assert_eq!(
        (p.vehicles[0].shift.start, p.vehicles[0].shift.end),
        (480.0, 720.0)
    );
    assert!(p.jobs.iter().all(|j| j.skills.is_empty()));
}

#[test]
fn a_block_cuts_the_shift_into_pieces_with_who_may_ride_as_skills() {
    let block = VehicleBlock {
        id: 1,
        vehicle_id: 5,
        date: date(),
        window: Window::new(hm(9), hm(10)),
        organisation_id: Some(2),
        note: None,
    };
    let built = plan(&[block]);
    let p = &built.problem;
    let spans: Vec<(f64, f64)> = p
        .vehicles
        .iter()
        .map(|v| (v.shift.start, v.shift.end))
        .collect();
    assert_eq!(spans, vec![(480.0, 540.0), (540.0, 600.0), (600.0, 720.0)]);
    // One shift, one driver, on every piece.
    assert!(built
        .vehicles
        .iter()
        .all(|v| v.shift_id == Some(7) && v.volunteer_id == Some(3)));
    let access = |v: usize| -> Vec<&str> {
        p.vehicles[v]
            .skills
            .iter()
            .filter(|s| is_access_skill(s))
            .map(String::as_str)
            .collect()
    };
    let a = Party::Association(2).skill();
    let b = Party::Association(3).skill();
    let town = Party::Municipality.skill();
    assert_eq!(access(1), vec![a.as_str()]);
    for v in [0, 2] {
        let mut open = access(v);
        open.sort_unstable();
        let mut all = vec![a.as_str(), b.as_str(), town.as_str()];
        all.sort_unstable();
        assert_eq!(open, all);
        assert!(p.vehicles[v].skills.contains(&"lift".to_string()));
    }
    let job_skills: Vec<&Vec<String>> = p.jobs.iter().map(|j| &j.skills).collect();
    assert_eq!(job_skills, vec![&vec![a], &vec![b], &vec![town]]);
}
