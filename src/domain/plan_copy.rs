//! A stored plan as a plan to store again: copies of a revision (an edit of a
//! published plan, the locked routes a solve keeps) keep every route as it is.

use super::{
    Clock, Figures, NewPlan, NewRoute, NewStop, NewViolation, Plan, PlanStop, Route, StopKey,
};

impl From<&Route> for NewRoute {
    fn from(r: &Route) -> Self {
        NewRoute {
            shift_id: r.shift_id,
            vehicle_id: r.vehicle_id,
            volunteer_id: r.volunteer_id,
            layout: r.layout.clone(),
            start_min: r.start_min,
            end_min: r.end_min,
            distance_km: r.distance_km,
            locked: r.locked,
            stops: r
                .stops
                .iter()
                .map(|s| NewStop {
                    request_id: s.request_id,
                    role: s.role,
                    place_id: s.place_id,
                    arrival_min: s.arrival_min,
                    start_min: s.start_min,
                    departure_min: s.departure_min,
                })
                .collect(),
        }
    }
}

impl Plan {
    /// The revision as a new plan: same routes, figures and verdict.
    pub fn as_new(&self) -> NewPlan {
        NewPlan {
            figures: Figures {
                violations: Vec::new(),
                ..self.figures.clone()
            },
            routes: self.routes.iter().map(NewRoute::from).collect(),
            unassigned: self.unassigned.clone(),
            violations: self
                .figures
                .violations
                .iter()
                .map(|v| NewViolation {
                    route: v
                        .route_id
                        .and_then(|id| self.routes.iter().position(|r| r.id == id)),
                    violation: v.clone(),
                })
                .collect(),
        }
    }

    /// The plan as `new` (made from this one, same routes in the same order)
    /// would make it, without storing it: routes keep their ids, stops that
    /// changed have id 0.
    pub fn preview(&self, new: &NewPlan) -> Plan {
        let route_ids: Vec<_> = self.routes.iter().map(|r| r.id).collect();
        let routes = self
            .routes
            .iter()
            .zip(&new.routes)
            .map(|(old, r)| {
                let stops = if NewRoute::from(old).stops == r.stops {
                    old.stops.clone()
                } else {
                    r.stops
                        .iter()
                        .enumerate()
                        .map(|(i, s)| PlanStop {
                            id: 0,
                            key: StopKey::new(s.request_id, s.role),
                            seq: i as i64,
                            request_id: s.request_id,
                            role: s.role,
                            place_id: s.place_id,
                            arrival_min: s.arrival_min,
                            start_min: s.start_min,
                            departure_min: s.departure_min,
                            time: Clock::from_minutes_f64(s.start_min),
                        })
                        .collect()
                };
                Route {
                    id: old.id,
                    shift_id: r.shift_id,
                    vehicle_id: r.vehicle_id,
                    volunteer_id: r.volunteer_id,
                    layout: r.layout.clone(),
                    start_min: r.start_min,
                    end_min: r.end_min,
                    distance_km: r.distance_km,
                    locked: r.locked,
                    stops,
                }
            })
            .collect();
        Plan {
            figures: Figures {
                violations: new
                    .violations
                    .iter()
                    .map(|v| v.stored(&route_ids))
                    .collect(),
                ..new.figures.clone()
            },
            routes,
            unassigned: new.unassigned.clone(),
            ..self.clone()
        }
    }
}
