//! The plan on a map: for the page's script, each route's points in driving
//! order (depot, stops, depot) with place names, and where the requests left
//! out start. Tiles only when `GIRO_TILE_URL` is set; the script draws a light
//! background and the labels otherwise.

use serde::Serialize;

use super::day::Day;
use super::routes_view::RouteView;
use crate::domain::Plan;
use crate::web::i18n::Tr;

#[derive(Serialize)]
pub struct MapPoint {
    pub lat: f64,
    pub lon: f64,
    /// The place's name, shown beside it.
    pub name: String,
    /// What happens there ("3. 9:05 sale — Maria Rossi"), shown on hover.
    pub detail: String,
    /// A public place (a centre, a hospital, the meal centre): named on the
    /// map at once; people's homes only on hover, so the town stays readable.
    pub landmark: bool,
}

#[derive(Serialize)]
pub struct MapRoute {
    pub id: i64,
    pub colour: usize,
    pub name: String,
    pub points: Vec<MapPoint>,
}

#[derive(Serialize)]
pub struct MapData {
    pub routes: Vec<MapRoute>,
    pub unassigned: Vec<MapPoint>,
    pub tiles: Option<&'static str>,
    pub attribution: String,
}

fn point(day: &Day, place_id: i64, detail: String) -> Option<MapPoint> {
    day.place(place_id).map(|p| MapPoint {
        lat: p.lat,
        lon: p.lon,
        name: p.name.clone(),
        detail,
        landmark: p.organisation_id.is_none(),
    })
}

pub fn map_data(t: &Tr, day: &Day, plan: &Plan, views: &[RouteView]) -> MapData {
    let routes = plan
        .routes
        .iter()
        .zip(views)
        .map(|(r, v)| {
            let depot = day.vehicle(r.vehicle_id).map(|v| v.depot_place_id);
            let depot_point = || depot.and_then(|d| point(day, d, v.vehicle.clone()));
            let mut points: Vec<MapPoint> = depot_point().into_iter().collect();
            points.extend(r.stops.iter().zip(&v.stops).filter_map(|(s, sv)| {
                point(
                    day,
                    s.place_id,
                    format!("{}. {} {} — {}", sv.seq, sv.time, sv.action, sv.who),
                )
            }));
            points.extend(depot_point());
            MapRoute {
                id: r.id,
                colour: v.colour,
                name: format!("{} — {}", v.vehicle, v.driver),
                points,
            }
        })
        .collect();
    let unassigned = plan
        .unassigned
        .iter()
        .filter_map(|u| {
            let r = day.request(u.request_id)?;
            point(
                day,
                r.from_place_id,
                t.f(
                    "board.map_unassigned",
                    &[("who", &super::requests_view::who(day, r))],
                ),
            )
        })
        .collect();
    MapData {
        routes,
        unassigned,
        tiles: crate::web::tile_url(),
        attribution: t.t("board.map_attribution").to_string(),
    }
}
