//! A plan's routes as people read them: per vehicle its driver, layout and
//! stops in order, each stop with its time, place, who, needs and the load on
//! board after it; and the geometry of the timeline (each stop a block placed
//! by time on one axis shared by every route).

use std::collections::BTreeMap;

use super::day::Day;
use super::words::{self, hm};
use crate::domain::live::LiveStopView;
use crate::domain::{Id, Plan, PlanStop, RequestKind, Route, StopRole};
use crate::web::i18n::Tr;

/// Width of a timeline in SVG units; it scales to the page.
pub const WIDTH: f64 = 1000.0;
/// Narrowest block, so a short stop stays visible and clickable.
const MIN_BLOCK: f64 = 6.0;

pub struct Axis {
    pub from: f64,
    pub to: f64,
    /// Whole hours: x and label ("9:00").
    pub ticks: Vec<(f64, String)>,
}

impl Axis {
    /// Whole hours around every route of the plan.
    pub fn of(plan: &Plan) -> Self {
        let start = plan
            .routes
            .iter()
            .map(|r| r.start_min)
            .fold(f64::MAX, f64::min);
        let end = plan
            .routes
            .iter()
            .map(|r| r.end_min)
            .fold(f64::MIN, f64::max);
        let (from, to) = if start <= end {
            ((start / 60.0).floor() * 60.0, (end / 60.0).ceil() * 60.0)
        } else {
            (8.0 * 60.0, 18.0 * 60.0)
        };
        let to = if to <= from { from + 60.0 } else { to };
        let mut axis = Self {
            from,
            to,
            ticks: Vec::new(),
        };
        let mut h = from;
        while h <= to {
            axis.ticks.push((axis.x(h), hm(h)));
            h += 60.0;
        }
        axis
    }

    pub fn x(&self, minutes: f64) -> f64 {
        ((minutes - self.from) / (self.to - self.from) * WIDTH).clamp(0.0, WIDTH)
    }
}

pub struct StopView {
    /// `42-pickup`: the request and its end, the key edits and violations use.
    pub key: String,
    pub seq: usize,
    pub request_id: Id,
    pub time: String,
    /// "sale", "consegna pasto"…
    pub action: String,
    pub pickup: bool,
    pub place: String,
    pub address: String,
    pub who: String,
    pub needs: String,
    pub phone: String,
    pub notes: String,
    /// On board after the stop, per dimension of the layout: "carrozzine 1/4".
    pub load_after: String,
    /// A meal recipient's preferred volunteer (route sheets); empty when none.
    pub preferred: String,
    /// The route is driven by someone else than the preferred volunteer.
    pub preferred_elsewhere: bool,
    /// The live state on a published plan (`domain::live::LiveStatus`), empty otherwise.
    pub live: String,
    /// Its words: "fatta", "prossima"…
    pub live_word: String,
    /// Expected start of a stop still to serve; empty otherwise.
    pub expected: String,
    /// "+12 min", "−3 min"; empty when on time or not to serve.
    pub delay: String,
    /// Will miss its window.
    pub late: bool,
    pub x: f64,
    pub w: f64,
}

pub struct RouteView {
    pub id: Id,
    /// For the route's colour on the timeline and the map (`c0`…`c7`).
    pub colour: usize,
    pub vehicle: String,
    pub driver: String,
    pub phone: String,
    pub layout: String,
    pub start: String,
    pub end: String,
    pub distance: String,
    /// The services its shift keeps to, in words; empty when it serves all.
    pub serves: String,
    /// Kept as it is by the next solves.
    pub locked: bool,
    /// "Last seen at …, 9:12" on a published plan; empty otherwise.
    pub last_seen: String,
    pub x1: f64,
    pub x2: f64,
    pub stops: Vec<StopView>,
}

pub const COLOURS: usize = 8;

fn action(t: &Tr, kind: Option<RequestKind>, role: StopRole) -> String {
    let kind = kind.map_or("ride", |k| k.as_str());
    t.t(&format!("board.action.{kind}.{}", role.as_str()))
        .to_string()
}

pub fn route_views(t: &Tr, day: &Day, plan: &Plan, axis: &Axis) -> Vec<RouteView> {
    plan.routes
        .iter()
        .enumerate()
        .map(|(i, r)| route_view(t, day, r, i, axis))
        .collect()
}

fn route_view(t: &Tr, day: &Day, r: &Route, index: usize, axis: &Axis) -> RouteView {
    let vehicle = day.vehicle(r.vehicle_id);
    let capacity: BTreeMap<String, u32> = vehicle
        .and_then(|v| v.layouts.iter().find(|l| l.name == r.layout))
        .map(|l| l.capacity.clone())
        .unwrap_or_default();
    let driver = day.volunteer(r.volunteer_id);
    let mut on_board: BTreeMap<String, i64> = BTreeMap::new();
    let live = day
        .live
        .as_ref()
        .and_then(|l| l.routes.iter().find(|lr| lr.route_id == r.id));
    let stops = r
        .stops
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let mut v = stop_view(t, day, s, n, axis, &capacity, &mut on_board);
            if let Some(l) = live.and_then(|l| l.stops.get(n)) {
                live_stop(t, &mut v, l);
            }
            v
        })
        .collect();
    let last_seen = live.map_or_else(String::new, |l| {
        let p = &l.last_position;
        let key = if p.key.is_some() {
            "board.live.last_seen"
        } else {
            "board.live.at_start"
        };
        let (place, time) = (day.place_name(p.place_id), hm(p.time_min));
        t.f(key, &[("place", &place), ("time", &time)])
    });
    RouteView {
        id: r.id,
        colour: index % COLOURS,
        vehicle: vehicle.map_or_else(|| format!("#{}", r.vehicle_id), |v| v.name.clone()),
        driver: driver.map_or_else(|| t.t("board.no_driver").to_string(), |v| v.name.clone()),
        phone: driver.and_then(|v| v.phone.clone()).unwrap_or_default(),
        layout: r.layout.clone(),
        start: hm(r.start_min),
        end: hm(r.end_min),
        distance: format!("{:.1}", r.distance_km),
        serves: day
            .shift(r.shift_id)
            .filter(|s| !s.serves.is_empty())
            .map_or_else(String::new, |s| words::services(t, &s.serves)),
        locked: r.locked,
        last_seen,
        x1: axis.x(r.start_min),
        x2: axis.x(r.end_min),
        stops,
    }
}

/// The live state of a stop of the published plan, in words.
fn live_stop(t: &Tr, v: &mut StopView, l: &LiveStopView) {
    let status = l.status.as_str();
    v.live = status.to_string();
    v.live_word = t.t(&format!("board.live.status.{status}")).to_string();
    if l.status.pending() {
        v.expected = l.expected_min.map_or_else(String::new, hm);
        v.delay = match l.delay_min {
            Some(d) if d > 0 => format!("+{d} min"),
            Some(d) if d < 0 => format!("−{} min", -d),
            _ => String::new(),
        };
    }
    v.late = l.late;
}

fn stop_view(
    t: &Tr,
    day: &Day,
    s: &PlanStop,
    n: usize,
    axis: &Axis,
    capacity: &BTreeMap<String, u32>,
    on_board: &mut BTreeMap<String, i64>,
) -> StopView {
    let request = day.request(s.request_id);
    let person = request.and_then(|r| day.person(r.person_id));
    if let Some(r) = request {
        let sign = if s.role == StopRole::Pickup { 1 } else { -1 };
        for (d, &v) in &r.load {
            *on_board.entry(d.clone()).or_default() += sign * i64::from(v);
        }
    }
    let place = day.place(s.place_id);
    let who = match (person, request) {
        (Some(p), _) => p.name.clone(),
        (None, Some(r)) => day.place_name(r.from_place_id).to_string(),
        (None, None) => String::new(),
    };
    let dims: Vec<&String> = if capacity.is_empty() {
        on_board.keys().collect()
    } else {
        capacity.keys().collect()
    };
    let load_after = dims
        .iter()
        .map(|d| {
            let now = on_board.get(*d).copied().unwrap_or(0);
            match capacity.get(*d) {
                Some(cap) => format!("{} {now}/{cap}", words::dimension(t, d)),
                None => format!("{} {now}", words::dimension(t, d)),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let x = axis.x(s.arrival_min);
    StopView {
        key: s.key.to_string(),
        seq: n + 1,
        request_id: s.request_id,
        time: hm(s.start_min),
        action: action(t, request.map(|r| r.kind), s.role),
        pickup: s.role == StopRole::Pickup,
        place: place.map_or_else(String::new, |p| p.name.clone()),
        address: place.map_or_else(String::new, |p| p.address.clone()),
        who,
        needs: request.map_or_else(String::new, |r| words::needs(t, r, person)),
        phone: person.and_then(|p| p.phone.clone()).unwrap_or_default(),
        notes: [
            person.and_then(|p| p.driver_notes.clone()),
            request.and_then(|r| r.notes.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" — "),
        load_after,
        preferred: String::new(),
        preferred_elsewhere: false,
        live: String::new(),
        live_word: String::new(),
        expected: String::new(),
        delay: String::new(),
        late: false,
        x,
        w: (axis.x(s.departure_min) - x).max(MIN_BLOCK),
    }
}
