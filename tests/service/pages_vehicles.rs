//! The vehicle calendar page (`/board/vehicles`): the vehicles in words, the
//! blocks of the next 30 days, a form that adds one and marks its fields at
//! fault, a button that deletes one; for planners only.

use chrono::{Datelike, Days, Local, NaiveDate};
use giro::domain::Role;
use giro::store::Scope;
use reqwest::{header, StatusCode};
use serde_json::Value;

use super::html::{csrf, page, post_form, tag};
use super::support::{As, TestApp};

const PATH: &str = "/board/vehicles";

/// The table row of block `id`, if the page lists it.
fn block_row(html: &str, id: i64) -> Option<&str> {
    let start = html.find(&format!("<tr id=\"block-{id}\""))?;
    Some(&html[start..start + html[start..].find("</tr>").unwrap()])
}

async fn find(app: &TestApp, who: &As, path: &str, starts: &str) -> Value {
    let (_, all) = app.get(who, path).await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("{starts} in {path}"))
        .clone()
}

async fn blocks_in_api(app: &TestApp, who: &As, date: NaiveDate) -> Vec<Value> {
    let (s, all) = app
        .get(who, &format!("/api/v1/vehicle-blocks?date={date}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{all}");
    all.as_array().unwrap().clone()
}

async fn stored(app: &TestApp) -> usize {
    app.store
        .vehicle_blocks(Scope::All, None)
        .await
        .unwrap()
        .len()
}

const MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

fn today() -> NaiveDate {
    Local::now().date_naive()
}

#[tokio::test]
async fn the_page_lists_each_vehicle_in_words_and_the_board_links_to_it() {
    let app = TestApp::spawn_on(today()).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (s, _, html) = page(&app, Some(&dispatcher), PATH).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let (_, vehicles) = app.get(&dispatcher, "/api/v1/vehicles").await;
    for v in vehicles.as_array().unwrap() {
        assert!(
            html.contains(&format!("<tr id=\"vehicle-{}\"", v["id"])),
            "{v}"
        );
    }
    let van = find(&app, &dispatcher, "/api/v1/vehicles", "Pulmino").await;
    let start = html
        .find(&format!("<tr id=\"vehicle-{}\"", van["id"]))
        .unwrap();
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    assert!(row.contains("Pulmino attrezzato con pedana"), "{row}");
    assert!(row.contains("<td>Comune</td>"), "the municipality's: {row}");
    assert!(
        row.contains("Tutti: è nel parco condiviso"),
        "pooled: {row}"
    );
    assert!(row.contains("<td>pedana</td>"), "equipment in words: {row}");
    assert!(
        row.contains("1 posto, 4 carrozzine") && row.contains("9 posti"),
        "layouts in words: {row}"
    );
    assert!(!row.contains("wheelchairs"), "no raw names: {row}");
    assert!(html.contains("id=\"blocks-none\""), "no blocks yet");
    assert!(!html.contains(">board."), "no raw keys");
    let form = tag(&html, "block-form");
    assert!(form.contains("method=\"post\"") && form.contains("/board/vehicles/blocks"));

    // Out of the pool, an association's vehicle serves its own requests only.
    let anziani = find(
        &app,
        &dispatcher,
        "/api/v1/organisations",
        "Associazione Anziani",
    )
    .await;
    let (s, car) = app
        .post(
            &dispatcher,
            "/api/v1/vehicles",
            serde_json::json!({
                "name": "Auto Anziani", "depot_place_id": van["depot_place_id"],
                "layouts": [{"name": "3", "capacity": {"seats": 3}}],
                "available": {"start": "08:00", "end": "12:00"},
                "owner_organisation_id": anziani["id"], "pooled": false,
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{car}");
    let (_, _, html) = page(&app, Some(&dispatcher), PATH).await;
    let start = html
        .find(&format!("<tr id=\"vehicle-{}\"", car["id"]))
        .unwrap();
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    let name = anziani["name"].as_str().unwrap();
    assert!(row.contains(&format!("<td>{name}</td>")), "{row}");
    assert!(
        row.contains(&format!("Solo le richieste di {name}")),
        "{row}"
    );
    assert!(row.contains("<td>nessuna</td>"), "{row}");

    // The board's toolbar links here and to the night-before list of its date.
    let (_, _, board) = page(&app, Some(&dispatcher), &format!("/board/{}", app.date)).await;
    assert!(tag(&board, "vehicles-link").contains("href=\"/board/vehicles\""));
    assert!(tag(&board, "night-before-link")
        .contains(&format!("href=\"/night-before?date={}\"", app.date)));

    // In English when the browser asks for it.
    let res = app
        .http
        .get(app.url(PATH))
        .header(dispatcher.header.0, &dispatcher.header.1)
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let english = res.text().await.unwrap();
    assert!(english.contains("Vehicle calendar") && english.contains("Add a block"));
    assert!(english.contains("Everyone: it is in the shared pool"));
}

#[tokio::test]
async fn a_block_added_through_the_form_is_listed_in_words_and_in_the_api_and_deleted_by_its_button(
) {
    let app = TestApp::spawn_on(today()).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let van = find(&app, &dispatcher, "/api/v1/vehicles", "Pulmino").await;
    let anziani = find(
        &app,
        &dispatcher,
        "/api/v1/organisations",
        "Associazione Anziani",
    )
    .await;
    let token = csrf(&app, &dispatcher, PATH).await;
    let date = today() + Days::new(3);
    let (van_id, org_id, day) = (
        van["id"].to_string(),
        anziani["id"].to_string(),
        date.to_string(),
    );
    let (s, location, body) = post_form(
        &app,
        Some(&dispatcher),
        "/board/vehicles/blocks",
        &[
            ("_csrf", &token),
            ("from", &today().to_string()),
            ("vehicle_id", &van_id),
            ("date", &day),
            ("start", "09:00"),
            ("end", "11:30"),
            ("organisation_id", &org_id),
            ("note", "gita al mare"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert!(
        location.starts_with("/board/vehicles?done=added"),
        "{location}"
    );

    let blocks = blocks_in_api(&app, &dispatcher, date).await;
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    let b = &blocks[0];
    assert_eq!(b["vehicle_id"], van["id"]);
    assert_eq!(b["organisation_id"], anziani["id"]);
    assert_eq!(b["window"]["start"], "09:00");
    assert_eq!(b["window"]["end"], "11:30");
    assert_eq!(b["note"], "gita al mare");
    let id = b["id"].as_i64().unwrap();
    assert!(location.ends_with(&format!("#block-{id}")), "{location}");

    let (s, _, html) = page(&app, Some(&dispatcher), &location).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"vehicles-notice\""), "said it was added");
    let row = block_row(&html, id).expect("the new block is listed");
    let words = format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    );
    assert!(row.contains(&words), "the date in words: {row}");
    assert!(row.contains("dalle 9:00 alle 11:30"), "{row}");
    assert!(row.contains(anziani["name"].as_str().unwrap()), "{row}");
    assert!(
        row.contains("gita al mare") && row.contains("Pulmino"),
        "{row}"
    );
    assert!(!html.contains("id=\"blocks-none\""));

    // A block kept for the municipality: "for" left on its first choice.
    let (s, _, body) = post_form(
        &app,
        Some(&dispatcher),
        "/board/vehicles/blocks",
        &[
            ("_csrf", &token),
            ("vehicle_id", &van_id),
            ("date", &day),
            ("start", "14:00"),
            ("end", "16:00"),
            ("organisation_id", ""),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let blocks = blocks_in_api(&app, &dispatcher, date).await;
    let kept = blocks
        .iter()
        .find(|b| b["window"]["start"] == "14:00")
        .expect("the municipality's block");
    assert!(
        kept["organisation_id"].is_null() && kept["note"].is_null(),
        "{kept}"
    );
    let (_, _, html) = page(&app, Some(&dispatcher), PATH).await;
    let row = block_row(&html, kept["id"].as_i64().unwrap()).unwrap();
    assert!(row.contains("Comune (servizi propri)"), "{row}");

    // A block beyond the 30 days shown: back to the page that lists it.
    let far = today() + Days::new(45);
    let (s, location, _) = post_form(
        &app,
        Some(&dispatcher),
        "/board/vehicles/blocks",
        &[
            ("_csrf", &token),
            ("vehicle_id", &van_id),
            ("date", &far.to_string()),
            ("start", "08:00"),
            ("end", "09:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with(&format!("/board/vehicles?from={far}&")),
        "{location}"
    );
    let far_id = blocks_in_api(&app, &dispatcher, far).await[0]["id"]
        .as_i64()
        .unwrap();
    assert!(block_row(&page(&app, Some(&dispatcher), PATH).await.2, far_id).is_none());
    assert!(block_row(&page(&app, Some(&dispatcher), &location).await.2, far_id).is_some());

    // Delete: the form token is required; then the block is gone everywhere.
    let delete = format!("/board/vehicles/blocks/{id}/delete");
    let (s, _, _) = post_form(&app, Some(&dispatcher), &delete, &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no form token");
    assert_eq!(blocks_in_api(&app, &dispatcher, date).await.len(), 2);
    let (_, _, html) = page(&app, Some(&dispatcher), PATH).await;
    assert!(
        tag(&html, &format!("delete-{id}")).contains("aria-label=\"Elimina il blocco di Pulmino")
    );
    let (s, location, _) = post_form(
        &app,
        Some(&dispatcher),
        &delete,
        &[("_csrf", &token), ("from", &today().to_string())],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, "/board/vehicles?done=deleted");
    let left = blocks_in_api(&app, &dispatcher, date).await;
    assert_eq!(left.len(), 1);
    assert_ne!(left[0]["id"], id);
    let (_, _, html) = page(&app, Some(&dispatcher), &location).await;
    assert!(block_row(&html, id).is_none(), "deleted from the page");
    let (s, _, _) = post_form(&app, Some(&dispatcher), &delete, &[("_csrf", &token)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "gone already");
}

#[tokio::test]
async fn a_bad_form_comes_back_with_the_field_marked_and_writes_nothing() {
    let app = TestApp::spawn_on(today()).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let van = find(&app, &dispatcher, "/api/v1/vehicles", "Pulmino").await;
    let comune = find(&app, &dispatcher, "/api/v1/organisations", "Comune").await;
    let token = csrf(&app, &dispatcher, PATH).await;
    let day = (today() + Days::new(2)).to_string();
    let van_id = van["id"].to_string();
    let comune_id = comune["id"].to_string();
    // One block to overlap.
    let (s, _, _) = post_form(
        &app,
        Some(&dispatcher),
        "/board/vehicles/blocks",
        &[
            ("_csrf", &token),
            ("vehicle_id", &van_id),
            ("date", &day),
            ("start", "09:00"),
            ("end", "10:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let before = stored(&app).await;

    // (vehicle, date, start, end, for), the field marked, what its message says.
    let cases = [
        (("van", "day", "11:00", "10:00", ""), "end", "venga dopo"),
        (("van", "day", "11:00", "11:00", ""), "end", "venga dopo"),
        (
            ("999999", "day", "11:00", "12:00", ""),
            "vehicle_id",
            "Scegli un mezzo",
        ),
        (
            ("", "day", "11:00", "12:00", ""),
            "vehicle_id",
            "Scegli un mezzo",
        ),
        (
            ("van", "2026-13-01", "11:00", "12:00", ""),
            "date",
            "giorno valido",
        ),
        (
            ("van", "2100-01-01", "11:00", "12:00", ""),
            "date",
            "giorno valido",
        ),
        (
            ("van", "day", "nove", "12:00", ""),
            "start",
            "ora di inizio",
        ),
        (
            ("van", "day", "09:30", "12:00", ""),
            "start",
            "già un blocco",
        ),
        (
            ("van", "day", "11:00", "12:00", "comune"),
            "organisation_id",
            "associazione",
        ),
        (
            ("van", "day", "11:00", "12:00", "999999"),
            "organisation_id",
            "associazione",
        ),
    ];
    for ((vehicle, date, start, end, org), field, says) in cases {
        let vehicle = if vehicle == "van" {
            van_id.as_str()
        } else {
            vehicle
        };
        let date = if date == "day" { day.as_str() } else { date };
        let org = if org == "comune" {
            comune_id.as_str()
        } else {
            org
        };
        let fields = [
            ("_csrf", token.as_str()),
            ("vehicle_id", vehicle),
            ("date", date),
            ("start", start),
            ("end", end),
            ("organisation_id", org),
            ("note", "da non perdere"),
        ];
        let (s, _, html) =
            post_form(&app, Some(&dispatcher), "/board/vehicles/blocks", &fields).await;
        let case = format!("{fields:?}");
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {html}");
        assert!(html.contains("id=\"form-errors\""), "{case}");
        assert!(
            tag(&html, field).contains("aria-invalid=\"true\""),
            "{case}: {}",
            tag(&html, field)
        );
        let message = tag(&html, &format!("{field}-error"));
        assert!(message.contains("field-error"), "{case}");
        let after = &html[html.find(&format!("id=\"{field}-error\"")).unwrap()..];
        assert!(
            after[..after.find("</p>").unwrap()].contains(says),
            "{case}"
        );
        for other in [
            "vehicle_id",
            "date",
            "start",
            "end",
            "organisation_id",
            "note",
        ] {
            if other != field {
                assert!(
                    tag(&html, other).contains("aria-invalid=\"false\""),
                    "{case}: only {field} is marked, not {other}"
                );
            }
        }
        assert!(
            tag(&html, "note").contains("value=\"da non perdere\""),
            "what was typed is kept: {case}"
        );
        assert_eq!(stored(&app).await, before, "nothing written: {case}");
    }

    // A control character in the note is marked, not written.
    let (s, _, html) = post_form(
        &app,
        Some(&dispatcher),
        "/board/vehicles/blocks",
        &[
            ("_csrf", &token),
            ("vehicle_id", &van_id),
            ("date", &day),
            ("start", "11:00"),
            ("end", "12:00"),
            ("note", "a\u{7}b"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(tag(&html, "note").contains("aria-invalid=\"true\""));
    // Without the form token, a good form is refused too.
    let (s, _, _) = post_form(
        &app,
        Some(&dispatcher),
        "/board/vehicles/blocks",
        &[
            ("vehicle_id", &van_id),
            ("date", &day),
            ("start", "11:00"),
            ("end", "12:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn members_drivers_and_anonymous_readers_are_refused() {
    let app = TestApp::spawn_on(today()).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let van = find(&app, &dispatcher, "/api/v1/vehicles", "Pulmino").await;
    let day = (today() + Days::new(1)).to_string();
    let van_id = van["id"].to_string();
    let token = csrf(&app, &dispatcher, PATH).await;
    let (s, _, _) = post_form(
        &app,
        Some(&dispatcher),
        "/board/vehicles/blocks",
        &[
            ("_csrf", &token),
            ("vehicle_id", &van_id),
            ("date", &day),
            ("start", "09:00"),
            ("end", "10:00"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let id = app.store.vehicle_blocks(Scope::All, None).await.unwrap()[0].id;
    let delete = format!("/board/vehicles/blocks/{id}/delete");
    let add = |token: String| {
        vec![
            ("_csrf", token),
            ("vehicle_id", van_id.clone()),
            ("date", day.clone()),
            ("start", "11:00".to_string()),
            ("end", "12:00".to_string()),
        ]
    };

    let (s, location, _) = page(&app, None, PATH).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "anonymous readers sign in first");
    assert_eq!(location, "/login?next=/board/vehicles");
    for path in ["/board/vehicles/blocks", delete.as_str()] {
        let fields = add(String::new());
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (s, location, _) = post_form(&app, None, path, &fields).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{path}");
        assert!(location.starts_with("/login?next="), "{location}");
    }
    for (role, home) in [(Role::Member, "/portal"), (Role::Driver, "/driver")] {
        let who = app.login_as(role).await;
        let (s, _, html) = page(&app, Some(&who), PATH).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{role:?}");
        assert!(html.contains("<html"), "a page, not JSON");
        assert!(!html.contains("id=\"block-form\""), "{role:?} sees no form");
        // With the member's own form token, still refused.
        let fields = add(csrf(&app, &who, home).await);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for path in ["/board/vehicles/blocks", delete.as_str()] {
            let (s, _, _) = post_form(&app, Some(&who), path, &fields).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role:?} on {path}");
        }
    }
    let left = app.store.vehicle_blocks(Scope::All, None).await.unwrap();
    assert_eq!(left.len(), 1, "nothing added, nothing deleted");
    assert_eq!(left[0].id, id);
    let admin = app.login_as(Role::Admin).await;
    assert_eq!(page(&app, Some(&admin), PATH).await.0, StatusCode::OK);
}
