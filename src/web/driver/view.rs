//! The driver's day in words: the manifest turned into what a volunteer reads
//! at the door ("Maria R. — carrozzina, pedana"), with the status buttons each
//! kind of stop offers. The template paints it first and the page's script
//! renders the same record from its offline copy, so every wording rule lives
//! here once.

use serde::Serialize;

use crate::domain::{Manifest, ManifestStop, RequestKind, StopEventKind, StopRole, StopState};
use crate::web::i18n::Tr;

/// What a tap on a status button means, per kind of stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Arrived,
    Aboard,
    Absent,
    DroppedOff,
    Loaded,
    Delivered,
    NobodyHome,
    Collected,
    Unloaded,
}

impl Action {
    /// The buttons of a stop, in the order a driver meets them.
    pub fn for_stop(kind: RequestKind, role: StopRole) -> &'static [Action] {
        use Action::*;
        match (kind, role) {
            (RequestKind::Ride, StopRole::Pickup) => &[Arrived, Aboard, Absent],
            (RequestKind::Ride, StopRole::Dropoff) => &[Arrived, DroppedOff],
            (RequestKind::Meal, StopRole::Pickup) => &[Loaded],
            (RequestKind::Meal, StopRole::Dropoff) => &[Delivered, NobodyHome],
            (RequestKind::Collection, StopRole::Pickup) => &[Collected],
            (RequestKind::Collection, StopRole::Dropoff) => &[Unloaded],
        }
    }

    /// The event the server records.
    pub fn event(self) -> StopEventKind {
        match self {
            Action::Arrived => StopEventKind::Arrived,
            Action::Absent | Action::NobodyHome => StopEventKind::NoShow,
            Action::Aboard
            | Action::DroppedOff
            | Action::Loaded
            | Action::Delivered
            | Action::Collected
            | Action::Unloaded => StopEventKind::Done,
        }
    }

    /// Its words, as a button and as the stop's status afterwards.
    fn label_key(self) -> &'static str {
        match self {
            Action::Arrived => "driver.act_arrived",
            Action::Aboard => "driver.act_aboard",
            Action::Absent => "driver.act_absent",
            Action::DroppedOff => "driver.act_dropped_off",
            Action::Loaded => "driver.act_loaded",
            Action::Delivered => "driver.act_delivered",
            Action::NobodyHome => "driver.act_nobody_home",
            Action::Collected => "driver.act_collected",
            Action::Unloaded => "driver.act_unloaded",
        }
    }

    /// A collection is weighed when it is picked up.
    pub fn asks_kg(self) -> bool {
        self == Action::Collected
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    pub date: chrono::NaiveDate,
    pub revision: Option<i64>,
    /// Server time of this copy: the page keeps the newer of its two copies.
    pub served_at: String,
    pub user_id: i64,
    pub routes: Vec<RouteView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteView {
    pub vehicle: String,
    pub layout: String,
    pub start: String,
    pub end: String,
    pub stops: Vec<StopView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ButtonView {
    /// The event kind sent: `arrived`, `done` or `no_show`.
    pub kind: &'static str,
    pub label: String,
    pub kg: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StateView {
    pub kind: &'static str,
    /// The words of the button that reports it ("A bordo").
    pub label: String,
    /// Device time, RFC 3339: the page compares it with its own queued taps.
    pub at: String,
    /// The same time as the server's clock reads it, "09:02".
    pub time: String,
    pub kg: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StopView {
    /// The stop's identity across re-publishing: events are sent on it.
    pub key: String,
    pub time: String,
    /// What happens here, e.g. "Salita" or "Consegna pasto".
    pub what: String,
    pub place: String,
    pub address: String,
    /// Who and what in words: "Maria R. — carrozzina, pedana; accompagnare alla porta".
    pub who: Option<String>,
    /// The load in words: "1 carrozzina, 1 posto a sedere".
    pub load: String,
    pub notes: Option<String>,
    pub phone: Option<String>,
    pub tel: Option<String>,
    pub geo: String,
    pub osm: String,
    pub cancelled: bool,
    pub buttons: Vec<ButtonView>,
    /// The last status the server knows of.
    pub state: Option<StateView>,
}

impl DayView {
    pub fn new(t: &Tr, user_id: i64, manifest: &Manifest) -> Self {
        DayView {
            date: manifest.date,
            revision: manifest.revision,
            served_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            user_id,
            routes: manifest
                .routes
                .iter()
                .map(|r| RouteView {
                    vehicle: r.vehicle_name.clone(),
                    layout: r.layout.clone(),
                    start: r.start.to_string(),
                    end: r.end.to_string(),
                    stops: r.stops.iter().map(|s| StopView::new(t, s)).collect(),
                })
                .collect(),
        }
    }
}

impl StopView {
    fn new(t: &Tr, s: &ManifestStop) -> Self {
        // Unknown kinds cannot come from the store; a ride's buttons are the safe default.
        let kind = RequestKind::parse(&s.kind).unwrap_or(RequestKind::Ride);
        let buttons: Vec<ButtonView> = Action::for_stop(kind, s.role)
            .iter()
            .map(|a| ButtonView {
                kind: a.event().as_str(),
                label: t.t(a.label_key()).to_string(),
                kg: a.asks_kg(),
            })
            .collect();
        StopView {
            key: s.key.to_string(),
            time: s.time.to_string(),
            what: t.t(what_key(kind, s.role)).to_string(),
            place: s.place_name.clone(),
            address: s.address.clone(),
            who: who(t, s),
            load: load_words(t, &s.load),
            notes: s.notes(),
            phone: s.phone.clone(),
            tel: s.phone.as_deref().and_then(tel_uri),
            geo: geo_uri(s.lat, s.lon, &s.address),
            osm: osm_url(s.lat, s.lon),
            cancelled: s.status == "cancelled",
            state: s.state.as_ref().map(|st| stop_state(&buttons, st)),
            buttons,
        }
    }
}

/// The last status reported, in the words of the stop's own button.
fn stop_state(buttons: &[ButtonView], state: &StopState) -> StateView {
    let kind = state.kind.as_str();
    StateView {
        kind,
        label: buttons
            .iter()
            .find(|b| b.kind == kind)
            .map_or_else(|| kind.to_string(), |b| b.label.clone()),
        at: state
            .at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        time: state
            .at
            .with_timezone(&chrono::Local)
            .format("%H:%M")
            .to_string(),
        kg: state.kg,
    }
}

fn what_key(kind: RequestKind, role: StopRole) -> &'static str {
    match (kind, role) {
        (RequestKind::Ride, StopRole::Pickup) => "driver.what_ride_pickup",
        (RequestKind::Ride, StopRole::Dropoff) => "driver.what_ride_dropoff",
        (RequestKind::Meal, StopRole::Pickup) => "driver.what_meal_pickup",
        (RequestKind::Meal, StopRole::Dropoff) => "driver.what_meal_dropoff",
        (RequestKind::Collection, StopRole::Pickup) => "driver.what_collection_pickup",
        (RequestKind::Collection, StopRole::Dropoff) => "driver.what_collection_dropoff",
    }
}

/// "Maria Teresa Bottaro" → "Maria Teresa B.": enough to greet, little to leak.
pub fn short_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.split_last() {
        Some((last, first)) if !first.is_empty() => {
            let initial: String = last.chars().take(1).collect();
            format!("{} {initial}.", first.join(" "))
        }
        _ => name.trim().to_string(),
    }
}

/// The person and their needs in words, or `None` for a stop without a person.
fn who(t: &Tr, s: &ManifestStop) -> Option<String> {
    let name = short_name(s.person_name.as_deref()?);
    let mut needs = Vec::new();
    match s.mobility.as_deref() {
        Some("wheelchair") => needs.push(t.t("driver.needs_wheelchair")),
        Some("walker") => needs.push(t.t("driver.needs_walker")),
        _ => {}
    }
    match s.assistance.as_deref() {
        Some("accompany_to_door") => needs.push(t.t("driver.needs_to_door")),
        Some("needs_companion") => needs.push(t.t("driver.needs_companion")),
        _ => {}
    }
    Some(if needs.is_empty() {
        name
    } else {
        format!("{name} — {}", needs.join("; "))
    })
}

/// Each dimension in words, the known ones with their own names.
fn load_words(t: &Tr, load: &std::collections::BTreeMap<String, u32>) -> String {
    load.iter()
        .filter(|(_, &n)| n > 0)
        .map(|(dim, &n)| {
            let key = match (dim.as_str(), n) {
                ("seats", 1) => "driver.load_seat",
                ("seats", _) => "driver.load_seats",
                ("wheelchairs", 1) => "driver.load_wheelchair",
                ("wheelchairs", _) => "driver.load_wheelchairs",
                ("hot_boxes", 1) => "driver.load_hot_box",
                ("hot_boxes", _) => "driver.load_hot_boxes",
                ("cold_boxes", 1) => "driver.load_cold_box",
                ("cold_boxes", _) => "driver.load_cold_boxes",
                ("kg", _) => "driver.load_kg",
                _ => "driver.load_other",
            };
            t.f(key, &[("n", &n), ("name", &dim.replace('_', " "))])
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `tel:` wants the digits and a leading plus only.
pub fn tel_uri(phone: &str) -> Option<String> {
    let digits: String = phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect();
    (digits.chars().filter(char::is_ascii_digit).count() >= 3).then(|| format!("tel:{digits}"))
}

/// The phone's own navigator: `geo:` with the address as the label.
pub fn geo_uri(lat: f64, lon: f64, address: &str) -> String {
    let label = crate::web::errors::url_escape(address);
    format!("geo:{lat:.6},{lon:.6}?q={lat:.6},{lon:.6}({label})")
}

/// For phones without a `geo:` handler.
pub fn osm_url(lat: f64, lon: f64) -> String {
    format!("https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lon:.6}#map=18/{lat:.6}/{lon:.6}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shortened_to_the_family_initial() {
        assert_eq!(short_name("Maria Rossi"), "Maria R.");
        assert_eq!(short_name("Maria Teresa Bottaro"), "Maria Teresa B.");
        assert_eq!(short_name("  Ugo  "), "Ugo");
    }

    #[test]
    fn phone_and_map_links_are_well_formed() {
        assert_eq!(
            tel_uri("+39 0185 000 001").as_deref(),
            Some("tel:+390185000001")
        );
        assert_eq!(tel_uri("(0185) 41-22").as_deref(), Some("tel:01854122"));
        assert_eq!(tel_uri("--"), None);
        assert_eq!(
            geo_uri(44.27, 9.4, "Via Roma 1"),
            "geo:44.270000,9.400000?q=44.270000,9.400000(Via%20Roma%201)"
        );
        assert!(osm_url(44.27, 9.4).contains("mlat=44.270000&mlon=9.400000"));
    }

    #[test]
    fn each_kind_of_stop_has_its_buttons_and_only_collections_ask_for_kg() {
        use Action::*;
        let kinds = |k, r| -> Vec<&str> {
            Action::for_stop(k, r)
                .iter()
                .map(|a| a.event().as_str())
                .collect()
        };
        assert_eq!(
            kinds(RequestKind::Ride, StopRole::Pickup),
            ["arrived", "done", "no_show"]
        );
        assert_eq!(
            kinds(RequestKind::Ride, StopRole::Dropoff),
            ["arrived", "done"]
        );
        assert_eq!(
            kinds(RequestKind::Meal, StopRole::Dropoff),
            ["done", "no_show"]
        );
        assert_eq!(kinds(RequestKind::Collection, StopRole::Pickup), ["done"]);
        for a in [
            Arrived, Aboard, Absent, DroppedOff, Loaded, Delivered, NobodyHome, Unloaded,
        ] {
            assert!(!a.asks_kg(), "{a:?}");
        }
        assert!(Collected.asks_kg());
    }

    #[test]
    fn loads_read_as_words_in_both_languages() {
        use crate::web::i18n::Lang;
        let load = [("seats".to_string(), 2), ("wheelchairs".to_string(), 1)].into();
        assert_eq!(
            load_words(&Tr::new(Lang::It), &load),
            "2 posti a sedere, 1 carrozzina"
        );
        assert_eq!(
            load_words(&Tr::new(Lang::En), &load),
            "2 seats, 1 wheelchair"
        );
        let odd = [("pallets".to_string(), 3), ("seats".to_string(), 0)].into();
        assert_eq!(load_words(&Tr::new(Lang::It), &odd), "pallets: 3");
    }
}
