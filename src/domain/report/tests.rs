use chrono::TimeZone;

use super::*;
use crate::domain::surplus::Collected;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn req(id: Id, org: Id, kind: RequestKind, person: Id, lifecycle: Lifecycle) -> RequestFacts {
    RequestFacts {
        id,
        date: day("2026-03-02"),
        kind,
        organisation_id: org,
        person_id: Some(person),
        lifecycle,
    }
}

fn query() -> ReportQuery {
    ReportQuery {
        from: day("2026-03-02"),
        to: day("2026-03-08"),
        organisation_id: None,
        service: None,
    }
}

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap() + chrono::Duration::minutes(minute)
}

fn ev(kind: StopEventKind, minute: i64) -> StopReport {
    StopReport {
        kind,
        at: at(minute),
    }
}

#[test]
fn outcomes_count_each_lifecycle_and_people_once() {
    use Lifecycle::*;
    let input = ReportInput {
        requests: vec![
            req(1, 10, RequestKind::Ride, 100, Completed),
            req(2, 10, RequestKind::Ride, 100, Completed),
            req(3, 10, RequestKind::Ride, 101, NoShow),
            req(4, 11, RequestKind::Ride, 102, Cancelled),
            req(
                5,
                11,
                RequestKind::Ride,
                103,
                TurnedDown {
                    reason: UnassignedReason::NoRoom,
                },
            ),
            req(
                6,
                11,
                RequestKind::Ride,
                104,
                TurnedDown {
                    reason: UnassignedReason::NoRoom,
                },
            ),
            req(
                7,
                11,
                RequestKind::Ride,
                105,
                TurnedDown {
                    reason: UnassignedReason::Shift,
                },
            ),
            req(8, 11, RequestKind::Meal, 106, Requested),
            RequestFacts {
                date: day("2026-03-09"),
                ..req(9, 10, RequestKind::Ride, 107, Completed)
            },
        ],
        ..ReportInput::default()
    };
    let r = report(query(), &input);
    let rides = &r.services[0].outcomes;
    assert_eq!(r.services[0].service, Service::Rides);
    assert_eq!(
        (
            rides.requests,
            rides.completed,
            rides.no_show,
            rides.cancelled,
            rides.turned_down
        ),
        (7, 2, 1, 1, 3),
        "the 9th is after the range"
    );
    assert_eq!(rides.people_served, 1);
    assert_eq!(
        rides.turned_down_reasons,
        vec![
            ReasonCount {
                reason: UnassignedReason::NoRoom,
                count: 2
            },
            ReasonCount {
                reason: UnassignedReason::Shift,
                count: 1
            }
        ]
    );
    assert_eq!(r.services[1].outcomes.open, 1);
    assert_eq!(r.organisations.len(), 2);
    let only = report(
        ReportQuery {
            organisation_id: Some(10),
            service: Some(Service::Rides),
            ..query()
        },
        &input,
    );
    assert_eq!(only.services.len(), 1);
    assert_eq!(only.services[0].outcomes.requests, 3);
    assert!(only.driving.is_none(), "driving is the whole town's");
}

#[test]
fn driving_from_events_spans_first_to_last_and_the_legs_visited() {
    use StopEventKind::*;
    let route = RouteFacts {
        date: day("2026-03-02"),
        route_id: 1,
        volunteer_id: Some(5),
        planned_km: 20.04,
        planned_minutes: 125.4,
        stops: vec![
            vec![ev(Arrived, 0), ev(Done, 3)],
            vec![ev(Done, 20)],
            vec![ev(Skipped, 30)],
            vec![ev(NoShow, 50)],
        ],
        legs_km: vec![4.0, 5.0, 6.0],
    };
    let d = route_driving(&route);
    assert_eq!(d.event_minutes, 50);
    assert_eq!(d.event_km, 4.0, "only the leg between two visited stops");
    assert_eq!((d.planned_km, d.planned_minutes), (20.0, 125));
    let silent = RouteFacts {
        route_id: 2,
        volunteer_id: None,
        stops: vec![vec![], vec![]],
        legs_km: vec![3.0],
        ..route.clone()
    };
    let input = ReportInput {
        routes: vec![route, silent],
        volunteers: [(5, "Anna".to_string())].into(),
        ..ReportInput::default()
    };
    let r = report(query(), &input);
    let d = r.driving.unwrap();
    assert_eq!((d.routes, d.routes_without_events), (2, 1));
    assert_eq!((d.event_km, d.event_minutes), (4.0, 50));
    assert_eq!(d.planned_minutes, 250);
    assert_eq!(r.volunteers.len(), 2);
    let anna = r
        .volunteers
        .iter()
        .find(|v| v.volunteer_id == Some(5))
        .unwrap();
    assert_eq!(
        (anna.name.as_str(), anna.planned_minutes, anna.event_minutes),
        ("Anna", 125, 50)
    );
}

#[test]
fn meals_by_type_and_diet_donors_and_fees() {
    use Lifecycle::*;
    let input = ReportInput {
        requests: vec![
            req(1, 10, RequestKind::Meal, 100, Completed),
            req(2, 10, RequestKind::Meal, 101, Cancelled),
            req(3, 10, RequestKind::Meal, 102, NoShow),
        ],
        meals: vec![
            MealFacts {
                request_id: 1,
                meal_type: MealType::Hot,
                meals: 2,
                diets: vec!["gluten_free".into()],
            },
            MealFacts {
                request_id: 2,
                meal_type: MealType::Hot,
                meals: 1,
                diets: vec![],
            },
            MealFacts {
                request_id: 3,
                meal_type: MealType::Cold,
                meals: 1,
                diets: vec!["gluten_free".into()],
            },
        ],
        donors: vec![
            DonorFacts {
                donor_id: 7,
                name: "Coop".into(),
            },
            DonorFacts {
                donor_id: 8,
                name: "Forno".into(),
            },
        ],
        collected: vec![
            Collected {
                donor_id: 7,
                date: day("2026-03-03"),
                kg: Some(12.5),
            },
            Collected {
                donor_id: 7,
                date: day("2026-03-04"),
                kg: None,
            },
            Collected {
                donor_id: 7,
                date: day("2026-04-04"),
                kg: Some(99.0),
            },
        ],
        ..ReportInput::default()
    };
    let r = report(query(), &input);
    assert_eq!(
        r.meals,
        vec![
            MealCount {
                meal_type: MealType::Cold,
                booked: 1,
                delivered: 0
            },
            MealCount {
                meal_type: MealType::Hot,
                booked: 2,
                delivered: 2
            },
        ]
    );
    assert_eq!(
        r.diets,
        vec![DietCount {
            diet: "gluten_free".into(),
            booked: 3,
            delivered: 2
        }]
    );
    assert_eq!(r.donors[0].pickups, 2);
    assert_eq!(r.donors[0].kg, 12.5);
    assert_eq!((r.donors[1].pickups, r.donors[1].kg), (0, 0.0));
    let meals_only = report(
        ReportQuery {
            service: Some(Service::Meals),
            ..query()
        },
        &input,
    );
    assert!(meals_only.donors.is_empty() && meals_only.fees.is_empty());
}

#[test]
fn a_route_without_events_drives_zero_km_not_minus_zero() {
    let route = RouteFacts {
        date: day("2026-03-02"),
        route_id: 1,
        volunteer_id: None,
        planned_km: 7.0,
        planned_minutes: 30.0,
        stops: vec![vec![], vec![]],
        legs_km: vec![7.0],
    };
    let input = ReportInput {
        routes: vec![route],
        ..ReportInput::default()
    };
    let d = report(query(), &input).driving.unwrap();
    // An empty f64 sum is -0.0, which the page printed as "-0.0".
    assert!(d.event_km.is_sign_positive(), "{}", d.event_km);
    assert_eq!(format!("{:.1}", d.event_km), "0.0");
}
