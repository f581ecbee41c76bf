//! Standing orders in the layout `domain::import::standing_orders` reads:
//! each rider and place by id and by name, so an export imports again to
//! the same orders (suspensions aside, which the sheet does not carry).

use std::collections::HashMap;

use super::line;
use crate::domain::import::standing_orders::{cells, export_headers};
use crate::domain::{Id, Person, Place, StandingOrder};

pub fn standing_orders(
    orders: &[StandingOrder],
    people: &HashMap<Id, Person>,
    places: &HashMap<Id, Place>,
) -> String {
    let mut out = String::new();
    let head: Vec<String> = export_headers().into_iter().map(String::from).collect();
    line(&mut out, &head);
    let place = |id: Id| places.get(&id).map_or("", |p| p.name.as_str());
    for o in orders {
        let person = people.get(&o.person_id).map_or("", |p| p.name.as_str());
        line(
            &mut out,
            &cells(
                o,
                person,
                place(o.ride.from_place_id),
                place(o.ride.to_place_id),
            ),
        );
    }
    out
}
