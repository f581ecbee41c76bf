//! The service's lists as CSV (RFC 4180, comma-separated, CRLF): the fees of
//! a range, an association's night-before list, the kitchen's lists and a
//! driver's route sheet. A cell that a spreadsheet would read as a formula
//! gets a leading apostrophe.

mod standing_orders;

use std::collections::HashMap;

mod lists;
pub use lists::{records, CsvRecord};

use crate::domain::fees::{euro, FeeReport};
use crate::domain::import;
use crate::domain::meals::{PackingList, ProductionList};
use crate::domain::night_before::NightBeforeList;
use crate::domain::surplus::SurplusFigures;
use crate::domain::{Id, Manifest, Person, Place};

pub use standing_orders::standing_orders;

/// One cell: quoted when it holds a comma, a quote or a line break.
fn cell(raw: &str) -> String {
    // Phone numbers (+39 …, digits and separators) are no formula; anything
    // else opening like one is neutralised.
    let phone_like = raw
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()/.".contains(c));
    let risky = raw.starts_with(['=', '+', '-', '@', '\t', '\r']) && !phone_like;
    let v = if risky {
        format!("'{raw}")
    } else {
        raw.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

fn line(out: &mut String, cells: &[String]) {
    let row: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// People with their homes, in the layout `domain::import::people` reads
/// (English headers, the enums' codes), so an export imports again.
pub fn people(people: &[Person], places: &HashMap<Id, Place>) -> String {
    let mut out = String::new();
    let head: Vec<String> = import::people::export_headers()
        .into_iter()
        .map(String::from)
        .collect();
    line(&mut out, &head);
    for p in people {
        let home = places.get(&p.home_place_id);
        line(
            &mut out,
            &[
                p.name.clone(),
                opt(&p.phone),
                home.map(|h| h.name.clone()).unwrap_or_default(),
                home.map(|h| h.address.clone()).unwrap_or_default(),
                home.map(|h| h.lat.to_string()).unwrap_or_default(),
                home.map(|h| h.lon.to_string()).unwrap_or_default(),
                p.mobility.as_str().into(),
                p.assistance.as_str().into(),
                p.service_animal.to_string(),
                opt(&p.driver_notes),
            ],
        );
    }
    out
}

/// Places: public ones (no `organisation_id`) and homes.
pub fn places(places: &[Place]) -> String {
    let mut out = String::new();
    let head = ["name", "address", "lat", "lon", "kind", "organisation_id"];
    line(&mut out, &head.map(String::from));
    for p in places {
        line(
            &mut out,
            &[
                p.name.clone(),
                p.address.clone(),
                p.lat.to_string(),
                p.lon.to_string(),
                p.kind.clone(),
                opt(&p.organisation_id),
            ],
        );
    }
    out
}

pub fn fees(report: &FeeReport) -> String {
    let mut out = String::new();
    let head = [
        "date",
        "request_id",
        "organisation_id",
        "person_id",
        "person",
        "from",
        "to",
        "km",
        "isee_band",
        "l104",
        "social_plan",
        "basis",
        "tariff",
        "fee_eur",
    ];
    line(&mut out, &head.map(String::from));
    for t in &report.trips {
        line(
            &mut out,
            &[
                t.date.to_string(),
                t.request_id.to_string(),
                t.organisation_id.to_string(),
                t.person_id.to_string(),
                t.person.clone(),
                t.from.clone(),
                t.to.clone(),
                format!("{:.1}", t.km),
                t.isee_band.as_str().into(),
                t.l104.as_str().into(),
                t.social_plan.to_string(),
                t.basis.as_str().into(),
                t.tariff.as_str().into(),
                euro(t.fee_cents.into()),
            ],
        );
    }
    out
}

pub fn night_before(list: &NightBeforeList) -> String {
    let mut out = String::new();
    let head = [
        "date",
        "request_id",
        "person",
        "phone",
        "pickup_from",
        "pickup_to",
        "from",
        "from_address",
        "to",
        "to_address",
        "appointment",
        "companions",
        "mobility",
        "assistance",
        "service_animal",
        "return",
    ];
    line(&mut out, &head.map(String::from));
    for r in &list.rows {
        line(
            &mut out,
            &[
                list.date.to_string(),
                r.request_id.to_string(),
                r.person.clone(),
                opt(&r.phone),
                r.pickup.start.to_string(),
                r.pickup.end.to_string(),
                r.from.clone(),
                r.from_address.clone(),
                r.to.clone(),
                r.to_address.clone(),
                opt(&r.appointment),
                r.companions.to_string(),
                r.mobility.as_str().into(),
                r.assistance.as_str().into(),
                r.service_animal.to_string(),
                r.is_return.to_string(),
            ],
        );
    }
    out
}

/// Diet tags in one cell, `+`-joined (a comma would need quoting).
fn diets(d: &[String]) -> String {
    d.join("+")
}

pub fn production(list: &ProductionList) -> String {
    let mut out = String::new();
    line(
        &mut out,
        &["date", "meal_type", "diets", "meals"].map(String::from),
    );
    for l in &list.lines {
        line(
            &mut out,
            &[
                list.date.to_string(),
                l.meal_type.as_str().into(),
                diets(&l.diets),
                l.meals.to_string(),
            ],
        );
    }
    out
}

pub fn packing(list: &PackingList) -> String {
    let mut out = String::new();
    let head = [
        "date",
        "route_id",
        "vehicle",
        "stop",
        "time",
        "request_id",
        "recipient",
        "meal_type",
        "meals",
        "diets",
        "notes",
    ];
    line(&mut out, &head.map(String::from));
    for l in &list.lines {
        line(
            &mut out,
            &[
                list.date.to_string(),
                l.route_id.to_string(),
                l.vehicle_name.clone(),
                l.stop_seq.to_string(),
                l.time.to_string(),
                l.request_id.to_string(),
                l.recipient.clone(),
                l.meal_type.map(|t| t.as_str()).unwrap_or_default().into(),
                l.meals.to_string(),
                diets(&l.diets),
                opt(&l.notes),
            ],
        );
    }
    out
}

/// A donor's year month by month, then its total (`month` = `year`), for
/// the donation records.
pub fn surplus_figures(f: &SurplusFigures) -> String {
    let mut out = String::new();
    let head = [
        "year", "donor_id", "donor", "food", "month", "pickups", "kg",
    ];
    line(&mut out, &head.map(String::from));
    for d in &f.donors {
        let row = |month: String, pickups: u32, kg: f64| {
            [
                f.year.to_string(),
                d.donor_id.to_string(),
                d.name.clone(),
                d.food.as_str().into(),
                month,
                pickups.to_string(),
                kg.to_string(),
            ]
        };
        for m in &d.months {
            line(&mut out, &row(m.month.to_string(), m.pickups, m.kg));
        }
        line(&mut out, &row("year".into(), d.pickups, d.kg));
    }
    out
}

/// A driver's route sheet: the published stops of the day in order, one
/// line each, with what is needed at the door and what was reported there.
pub fn manifest(m: &Manifest) -> String {
    let mut out = String::new();
    let head = [
        "date",
        "revision",
        "route_id",
        "vehicle",
        "layout",
        "seq",
        "time",
        "stop",
        "role",
        "kind",
        "status",
        "place",
        "address",
        "person",
        "phone",
        "mobility",
        "assistance",
        "load",
        "notes",
        "reported",
        "kg",
    ];
    line(&mut out, &head.map(String::from));
    for r in &m.routes {
        for s in &r.stops {
            let load: Vec<String> = s.load.iter().map(|(d, n)| format!("{d}={n}")).collect();
            line(
                &mut out,
                &[
                    m.date.to_string(),
                    opt(&m.revision),
                    r.route_id.to_string(),
                    r.vehicle_name.clone(),
                    r.layout.clone(),
                    s.seq.to_string(),
                    s.time.to_string(),
                    s.key.to_string(),
                    s.role.as_str().into(),
                    s.kind.clone(),
                    s.status.clone(),
                    s.place_name.clone(),
                    s.address.clone(),
                    opt(&s.person_name),
                    opt(&s.phone),
                    opt(&s.mobility),
                    opt(&s.assistance),
                    load.join("+"),
                    opt(&s.notes()),
                    s.state
                        .as_ref()
                        .map(|st| st.kind.as_str())
                        .unwrap_or_default()
                        .into(),
                    opt(&s.state.as_ref().and_then(|st| st.kg)),
                ],
            );
        }
    }
    out
}

/// Minutes as hours to the hundredth, for a spreadsheet: 135 → "2.25".
fn hours(minutes: i64) -> String {
    format!("{:.2}", minutes as f64 / 60.0)
}

/// A report as one long table, one figure a line —
/// `figure,service,organisation,subject,measure,value` — so a clerk filters
/// or pivots it: `outcome,rides,Auser,,completed,12`,
/// `turned_down,rides,,no_room,requests,2`, `driving,,,,event_km,84.2`,
/// `volunteer,,,Anna Rossi,planned_hours,5.25`, `meals,meals,,hot,delivered,30`,
/// `diet,meals,,gluten_free,booked,4`, `surplus,surplus,,Coop,kg,120.5`,
/// `fees,rides,Auser,,due_eur,12.50`. An empty organisation: every one shown.
pub fn report(r: &crate::domain::report::Report) -> String {
    use crate::domain::report::ServiceFigures;
    let mut out = String::new();
    let head = [
        "figure",
        "service",
        "organisation",
        "subject",
        "measure",
        "value",
    ];
    line(&mut out, &head.map(String::from));
    let mut row = |cells: [&str; 5], value: String| {
        let mut all: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        all.push(value);
        line(&mut out, &all);
    };
    let mut outcomes = |org: &str, list: &[ServiceFigures]| {
        for s in list {
            let o = &s.outcomes;
            let svc = s.service.as_str();
            for (measure, v) in [
                ("requests", o.requests),
                ("completed", o.completed),
                ("cancelled", o.cancelled),
                ("cancelled_late", o.cancelled_late),
                ("no_show", o.no_show),
                ("turned_down", o.turned_down),
                ("open", o.open),
                ("people_served", o.people_served),
            ] {
                row(["outcome", svc, org, "", measure], v.to_string());
            }
            for c in &o.turned_down_reasons {
                row(
                    ["turned_down", svc, org, c.reason.as_str(), "requests"],
                    c.count.to_string(),
                );
            }
        }
    };
    outcomes("", &r.services);
    for o in &r.organisations {
        outcomes(&o.name, &o.services);
    }
    if let Some(d) = &r.driving {
        for (measure, v) in [
            ("routes", d.routes.to_string()),
            ("routes_without_events", d.routes_without_events.to_string()),
            ("planned_km", format!("{:.1}", d.planned_km)),
            ("planned_hours", hours(d.planned_minutes)),
            ("event_km", format!("{:.1}", d.event_km)),
            ("event_hours", hours(d.event_minutes)),
        ] {
            row(["driving", "", "", "", measure], v);
        }
    }
    for v in &r.volunteers {
        row(
            ["volunteer", "", "", &v.name, "routes"],
            v.routes.to_string(),
        );
        row(
            ["volunteer", "", "", &v.name, "planned_hours"],
            hours(v.planned_minutes),
        );
        row(
            ["volunteer", "", "", &v.name, "event_hours"],
            hours(v.event_minutes),
        );
    }
    for m in &r.meals {
        let t = m.meal_type.as_str();
        row(["meals", "meals", "", t, "booked"], m.booked.to_string());
        row(
            ["meals", "meals", "", t, "delivered"],
            m.delivered.to_string(),
        );
    }
    for d in &r.diets {
        row(
            ["diet", "meals", "", &d.diet, "booked"],
            d.booked.to_string(),
        );
        row(
            ["diet", "meals", "", &d.diet, "delivered"],
            d.delivered.to_string(),
        );
    }
    for d in &r.donors {
        row(
            ["surplus", "surplus", "", &d.name, "pickups"],
            d.pickups.to_string(),
        );
        row(["surplus", "surplus", "", &d.name, "kg"], d.kg.to_string());
    }
    for f in &r.fees {
        row(["fees", "rides", &f.name, "", "trips"], f.trips.to_string());
        row(["fees", "rides", &f.name, "", "due_eur"], euro(f.cents));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("Via Roma, 3"), "\"Via Roma, 3\"");
        assert_eq!(cell("il \"Centro\""), "\"il \"\"Centro\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+39 0185 000 001"), "+39 0185 000 001");
        assert_eq!(cell("-2+3 cmd"), "'-2+3 cmd");
        assert_eq!(cell("Anna"), "Anna");
    }
}
