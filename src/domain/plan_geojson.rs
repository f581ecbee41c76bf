//! A date's plan as GeoJSON (RFC 7946) for a map or a GIS: one LineString
//! per route (vehicle, volunteer, stops, km) and one Point per stop (time,
//! role, kind, request id, the place's kind and, for public places, name).
//! Never a person's name or needs: a stop is labelled by its place, and a
//! home not even by its name (GDPR, data minimisation).
//! Coordinates are `[lon, lat]`, as the format wants.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{Id, Place, Plan, RequestKind};

/// What the features name besides the plan: by id.
pub struct Names<'a> {
    pub places: &'a HashMap<Id, Place>,
    pub vehicles: &'a HashMap<Id, String>,
    pub volunteers: &'a HashMap<Id, String>,
    pub kinds: &'a HashMap<Id, RequestKind>,
}

pub fn plan(plan: &Plan, n: &Names) -> Value {
    let mut features = Vec::new();
    for r in &plan.routes {
        let line: Vec<Value> = r
            .stops
            .iter()
            .filter_map(|s| n.places.get(&s.place_id))
            .map(|p| json!([p.lon, p.lat]))
            .collect();
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": line},
            "properties": {
                "route_id": r.id,
                "vehicle": n.vehicles.get(&r.vehicle_id),
                "volunteer": r.volunteer_id.and_then(|v| n.volunteers.get(&v)),
                "stops": r.stops.len(),
                "km": (r.distance_km * 10.0).round() / 10.0,
            },
        }));
        for s in &r.stops {
            let Some(p) = n.places.get(&s.place_id) else {
                continue;
            };
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "route_id": r.id,
                    "seq": s.seq,
                    "time": s.time.to_string(),
                    "role": s.role.as_str(),
                    "kind": n.kinds.get(&s.request_id).map(|k| k.as_str()),
                    "request_id": s.request_id,
                    // A home's name often is its resident's: only public
                    // places are named.
                    "place": p.organisation_id.is_none().then_some(&p.name),
                    "place_kind": p.kind,
                },
            }));
        }
    }
    json!({
        "type": "FeatureCollection",
        "properties": {"date": plan.date.to_string(), "revision": plan.revision},
        "features": features,
    })
}
