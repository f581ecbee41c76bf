//! The report in words and numbers for the page: rows for the tables, the
//! charts' SVG from the same figures.

use super::chart::{Bar, Chart};
use crate::domain::fees::euro;
use crate::domain::report::{Outcomes, Report, Service};
use crate::web::board::words;
use crate::web::i18n::Tr;
use crate::web::meals::{diet, meal_type};

/// "trasporti", "pasti", "ritiri eccedenze": the board's words for a service.
pub fn service(t: &Tr, s: Service) -> &'static str {
    t.t(match s {
        Service::Rides => "board.service.ride",
        Service::Meals => "board.service.meal",
        Service::Surplus => "board.service.collection",
    })
}

/// Minutes as hours and minutes: "12:05".
fn hours(minutes: i64) -> String {
    words::hm(minutes as f64)
}

fn km(v: f64) -> String {
    format!("{v:.1}")
}

pub struct OutcomeRow {
    pub organisation: String,
    pub service: &'static str,
    pub o: Outcomes,
}

pub struct ReasonRow {
    pub service: &'static str,
    pub reason: String,
    pub count: u32,
}

pub struct DrivingView {
    /// "12 giri, 3 senza segnalazioni degli autisti".
    pub summary: String,
    pub planned_km: String,
    pub event_km: String,
    pub planned_h: String,
    pub event_h: String,
}

pub struct Row4 {
    pub name: String,
    pub a: String,
    pub b: String,
    pub c: String,
}

pub struct Figures {
    pub range: String,
    pub services: Vec<OutcomeRow>,
    pub reasons: Vec<ReasonRow>,
    pub organisations: Vec<OutcomeRow>,
    pub driving: Option<DrivingView>,
    /// name, routes, planned, from events.
    pub volunteers: Vec<Row4>,
    /// type, booked, delivered.
    pub meals: Vec<Row4>,
    pub diets: Vec<Row4>,
    /// donor, pickups, kg.
    pub donors: Vec<Row4>,
    /// association, trips, euro.
    pub fees: Vec<Row4>,
    pub fees_total: String,
    /// Each chart's SVG, in the page's order.
    pub charts: Vec<(&'static str, String)>,
}

impl Figures {
    /// The chart `id`, when the report has its figures.
    pub fn chart(&self, id: &str) -> Option<&str> {
        self.charts
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, svg)| svg.as_str())
    }
}

fn bar(label: String, values: &[(f64, String)]) -> Bar {
    Bar {
        label,
        values: values.to_vec(),
    }
}

fn n(v: u32) -> (f64, String) {
    (f64::from(v), v.to_string())
}

pub fn figures(t: &Tr, r: &Report) -> Figures {
    let outcome_names = || {
        ["completed", "cancelled", "no_show", "turned_down"]
            .map(|k| t.t(&format!("reports.col.{k}")).to_string())
            .to_vec()
    };
    let services: Vec<OutcomeRow> = r
        .services
        .iter()
        .map(|s| OutcomeRow {
            organisation: String::new(),
            service: service(t, s.service),
            o: s.outcomes.clone(),
        })
        .collect();
    let reasons = r
        .services
        .iter()
        .flat_map(|s| {
            s.outcomes.turned_down_reasons.iter().map(|c| ReasonRow {
                service: service(t, s.service),
                reason: t
                    .t(&format!("reports.reason.{}", c.reason.as_str()))
                    .to_string(),
                count: c.count,
            })
        })
        .collect();
    let organisations: Vec<OutcomeRow> = r
        .organisations
        .iter()
        .flat_map(|o| {
            o.services
                .iter()
                .filter(|s| s.outcomes.requests > 0)
                .map(|s| OutcomeRow {
                    organisation: o.name.clone(),
                    service: service(t, s.service),
                    o: s.outcomes.clone(),
                })
        })
        .collect();
    let mut charts = vec![(
        "chart-services",
        Chart {
            id: "chart-services".into(),
            title: t.t("reports.chart_services").into(),
            series: outcome_names(),
            bars: services
                .iter()
                .map(|s| {
                    let o = &s.o;
                    bar(
                        s.service.to_string(),
                        &[
                            n(o.completed),
                            n(o.cancelled + o.cancelled_late),
                            n(o.no_show),
                            n(o.turned_down),
                        ],
                    )
                })
                .collect(),
        }
        .svg(),
    )];
    if !r.organisations.is_empty() {
        let bars = r
            .organisations
            .iter()
            .map(|o| {
                let done: u32 = o.services.iter().map(|s| s.outcomes.completed).sum();
                bar(o.name.clone(), &[n(done)])
            })
            .collect();
        charts.push((
            "chart-organisations",
            Chart {
                id: "chart-organisations".into(),
                title: t.t("reports.chart_organisations").into(),
                series: vec![t.t("reports.col.completed").into()],
                bars,
            }
            .svg(),
        ));
    }
    let planned_events = || {
        vec![
            t.t("reports.planned").to_string(),
            t.t("reports.from_events").to_string(),
        ]
    };
    let driving = r.driving.as_ref().map(|d| DrivingView {
        summary: t.f(
            "reports.routes",
            &[("n", &d.routes), ("silent", &d.routes_without_events)],
        ),
        planned_km: km(d.planned_km),
        event_km: km(d.event_km),
        planned_h: hours(d.planned_minutes),
        event_h: hours(d.event_minutes),
    });
    let no_one = t.t("reports.no_volunteer");
    let volunteers: Vec<Row4> = r
        .volunteers
        .iter()
        .map(|v| Row4 {
            name: if v.volunteer_id.is_some() {
                v.name.clone()
            } else {
                no_one.to_string()
            },
            a: v.routes.to_string(),
            b: hours(v.planned_minutes),
            c: hours(v.event_minutes),
        })
        .collect();
    if let Some(d) = &r.driving {
        charts.push((
            "chart-driving",
            Chart {
                id: "chart-driving".into(),
                title: t.t("reports.chart_driving").into(),
                series: planned_events(),
                bars: vec![bar(
                    "km".into(),
                    &[
                        (d.planned_km, km(d.planned_km)),
                        (d.event_km, km(d.event_km)),
                    ],
                )],
            }
            .svg(),
        ));
        if !r.volunteers.is_empty() {
            let bars = r
                .volunteers
                .iter()
                .zip(&volunteers)
                .map(|(v, row)| {
                    bar(
                        row.name.clone(),
                        &[
                            (v.planned_minutes as f64, row.b.clone()),
                            (v.event_minutes as f64, row.c.clone()),
                        ],
                    )
                })
                .collect();
            charts.push((
                "chart-volunteers",
                Chart {
                    id: "chart-volunteers".into(),
                    title: t.t("reports.chart_volunteers").into(),
                    series: planned_events(),
                    bars,
                }
                .svg(),
            ));
        }
    }
    let meals: Vec<Row4> = r
        .meals
        .iter()
        .map(|m| Row4 {
            name: meal_type(t, m.meal_type).to_string(),
            a: m.booked.to_string(),
            b: m.delivered.to_string(),
            c: String::new(),
        })
        .collect();
    if !r.meals.is_empty() {
        charts.push((
            "chart-meals",
            Chart {
                id: "chart-meals".into(),
                title: t.t("reports.chart_meals").into(),
                series: vec![
                    t.t("reports.col.booked").into(),
                    t.t("reports.col.delivered").into(),
                ],
                bars: r
                    .meals
                    .iter()
                    .zip(&meals)
                    .map(|(m, row)| bar(row.name.clone(), &[n(m.booked), n(m.delivered)]))
                    .collect(),
            }
            .svg(),
        ));
    }
    let diets = r
        .diets
        .iter()
        .map(|d| Row4 {
            name: diet(&d.diet),
            a: d.booked.to_string(),
            b: d.delivered.to_string(),
            c: String::new(),
        })
        .collect();
    let kg = |v: f64| {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let donors = r
        .donors
        .iter()
        .map(|d| Row4 {
            name: d.name.clone(),
            a: d.pickups.to_string(),
            b: kg(d.kg),
            c: String::new(),
        })
        .collect();
    if !r.donors.is_empty() {
        charts.push((
            "chart-donors",
            Chart {
                id: "chart-donors".into(),
                title: t.t("reports.chart_donors").into(),
                series: vec!["kg".into()],
                bars: r
                    .donors
                    .iter()
                    .map(|d| bar(d.name.clone(), &[(d.kg, kg(d.kg))]))
                    .collect(),
            }
            .svg(),
        ));
    }
    let fees = r
        .fees
        .iter()
        .map(|f| Row4 {
            name: f.name.clone(),
            a: f.trips.to_string(),
            b: euro(f.cents),
            c: String::new(),
        })
        .collect();
    Figures {
        range: t.f(
            "reports.range",
            &[
                ("from", &words::date(t, r.query.from)),
                ("to", &words::date(t, r.query.to)),
            ],
        ),
        services,
        reasons,
        organisations,
        driving,
        volunteers,
        meals,
        diets,
        donors,
        fees,
        fees_total: euro(r.fees_total_cents),
        charts,
    }
}
