//! The schema moves forward without losing what was recorded: events stored
//! before 0002 get their stop's identity.

use chrono::NaiveDate;
use giro::domain::{NewEvent, StopEventKind, StopKey, StopRole};
use giro::store::{Actor, Store, Stored};

use super::support::fresh_database;

struct Ride {
    id: i64,
    from_place_id: i64,
    to_place_id: i64,
}

#[tokio::test]
async fn events_recorded_before_0002_get_their_stops_identity() {
    let url = fresh_database().await;
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let old = Store::connect_at(&url, 1).await.unwrap();
    // Rows as the first schema stored them, written by hand: today's store
    // writes columns that later migrations add.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let one = async |sql: &str| -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let org =
        one("INSERT INTO organisations (name, kind) VALUES ('A', 'association') RETURNING id")
            .await;
    let place = |name: &str| {
        format!(
            "INSERT INTO places (organisation_id, name, address, lat, lon, kind) \
             VALUES (NULL, '{name}', 'via {name}', 44.27, 9.4, 'centre') RETURNING id"
        )
    };
    let (home, centre) = (one(&place("home")).await, one(&place("centre")).await);
    let person = one(&format!(
        "INSERT INTO people (organisation_id, name, home_place_id, mobility, assistance) \
         VALUES ({org}, 'P', {home}, 'none', 'none') RETURNING id"
    ))
    .await;
    let vehicle = one(&format!(
        "INSERT INTO vehicles (name, depot_place_id, skills, layouts, available_start, available_end) \
         VALUES ('van', {centre}, '[]', '[]', 420, 1080) RETURNING id"
    ))
    .await;
    let ride_id = one(&format!(
        "INSERT INTO requests (organisation_id, date, kind, person_id, from_place_id, to_place_id, \
         window_at, window_start, window_end, load, skills, status) VALUES ({org}, '{date}', 'ride', \
         {person}, {home}, {centre}, 'pickup', 480, 510, '{{\"seats\":1}}', '[]', 'active') RETURNING id"
    ))
    .await;
    let ride = Ride {
        id: ride_id,
        from_place_id: home,
        to_place_id: centre,
    };
    let plan_id: i64 = sqlx::query_scalar(
        "INSERT INTO plans (date, revision, status, version, created_at, figures, unassigned) \
         VALUES ($1, 1, 'draft', 1, '2026-11-23T07:00:00.000Z', '{}', '[]') RETURNING id",
    )
    .bind(date.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    let route_id: i64 = sqlx::query_scalar(
        "INSERT INTO routes (plan_id, seq, vehicle_id, layout, start_min, end_min, distance_km) \
         VALUES ($1, 0, $2, 'standard', 480.0, 600.0, 3.0) RETURNING id",
    )
    .bind(plan_id)
    .bind(vehicle)
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut stop_ids = Vec::new();
    for (seq, (role, place, at)) in [
        ("pickup", ride.from_place_id, 500.0),
        ("dropoff", ride.to_place_id, 520.0),
    ]
    .into_iter()
    .enumerate()
    {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stops (route_id, seq, request_id, role, place_id, arrival_min, \
             start_min, departure_min) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
        )
        .bind(route_id)
        .bind(seq as i64)
        .bind(ride.id)
        .bind(role)
        .bind(place)
        .bind(at)
        .bind(at + 2.0)
        .fetch_one(&pool)
        .await
        .unwrap();
        stop_ids.push(id);
    }
    let dropoff_id = stop_ids[1];
    // An event as the first schema stored it: on the row only.
    sqlx::query(
        "INSERT INTO stop_events (stop_id, kind, at, note, user_id) \
         VALUES ($1, 'done', '2026-11-23T08:40:00.000Z', 'written in 0001', NULL)",
    )
    .bind(dropoff_id)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    old.close().await;

    let store = Store::connect(&url).await.unwrap();
    let key = StopKey::new(ride.id, StopRole::Dropoff);
    let events = store.events_of_key(date, key).await.unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!((e.date, e.key, e.stop_id), (date, key, Some(dropoff_id)));
    assert_eq!(e.kind, StopEventKind::Done);
    assert_eq!(e.at.to_rfc3339(), "2026-11-23T08:40:00+00:00");
    assert_eq!(e.received_at, e.at, "the best guess for when it arrived");
    assert_eq!((e.client_id.as_deref(), e.kg), (None, None));
    assert_eq!(e.note.as_deref(), Some("written in 0001"));

    // New events continue after the copied ones, and a device id is kept once.
    let new = NewEvent {
        client_id: Some("after-0002-1".into()),
        date,
        key: StopKey::new(ride.id, StopRole::Pickup),
        kind: StopEventKind::Arrived,
        at: "2026-11-23T08:20:00Z".parse().unwrap(),
        device_time: true,
        note: None,
        kg: None,
    };
    let Stored::New(first) = store.store_event(Actor(None), None, &new).await.unwrap() else {
        panic!("the first send is new");
    };
    assert!(first.id > e.id);
    assert_eq!(
        store.store_event(Actor(None), None, &new).await.unwrap(),
        Stored::Existing(first)
    );
    assert_eq!(store.events_of_date(date).await.unwrap().len(), 2);
}
