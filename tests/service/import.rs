//! Spreadsheets in and out: a people file imported whole or not at all, with
//! each fault named by line and column; a wrong header refused by name; an
//! export that imports again to the same records.

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::Value;

use super::support::{As, TestApp};

/// Posts `file` as text/csv; status and JSON answer.
async fn import(app: &TestApp, who: &As, query: &str, file: &str) -> (StatusCode, Value) {
    let res = app
        .http
        .post(app.url(&format!("/api/v1/import/people?{query}")))
        .header(who.header.0, &who.header.1)
        .header("content-type", "text/csv; charset=utf-8")
        .body(file.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

async fn count(app: &TestApp, who: &As, path: &str) -> usize {
    let (s, list) = app.get(who, path).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().len()
}

async fn own_organisation(app: &TestApp) -> i64 {
    let (user, _) = app
        .store
        .user_for_login(&app.email(Role::Member, 0))
        .await
        .unwrap()
        .unwrap();
    user.organisation_id.unwrap()
}

/// 200 people in the layout of an Italian spreadsheet (`;`, a BOM, Italian
/// headers and words), two to a home; row `bad` (a line of the file) says
/// "volare" for the mobility when given.
fn two_hundred(bad: Option<usize>) -> String {
    let mut f = String::from(
        "\u{feff}Nome;Telefono;Casa;Indirizzo;Lat;Lon;Mobilità;Assistenza;Cane guida;Note per l'autista\r\n",
    );
    let words = [
        "a piedi",
        "deambulatore",
        "sedia a rotelle",
        "Si sposta sul sedile",
    ];
    for i in 0..200 {
        let line = i + 2;
        let mobility = if Some(line) == bad {
            "volare"
        } else {
            words[i % 4]
        };
        let home = i / 2;
        f.push_str(&format!(
            "Persona Importata {i};+39 0185 {i:06};Casa importata {home};Via Prova {home}, Sestri Levante;44,27{home:02};9,39{home:02};{mobility};{};{};{}\r\n",
            if i % 3 == 0 { "alla porta" } else { "" },
            if i % 10 == 0 { "sì" } else { "no" },
            if i % 5 == 0 { "\"Suonare due volte; \"\"scala B\"\"\"" } else { "" },
        ));
    }
    f
}

#[tokio::test]
async fn two_hundred_people_with_one_bad_row_write_nothing_and_the_corrected_file_all() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let people = count(&app, &member, "/api/v1/people").await;
    let places = count(&app, &member, "/api/v1/places").await;

    let (s, body) = import(&app, &member, "mode=commit", &two_hundred(Some(139))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"], "invalid");
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["row"], 139);
    assert_eq!(errors[0]["column"], "Mobilità");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("sedia a rotelle"));
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("row 139, column Mobilità"));
    assert_eq!(
        count(&app, &member, "/api/v1/people").await,
        people,
        "nothing written"
    );
    assert_eq!(
        count(&app, &member, "/api/v1/places").await,
        places,
        "no home written"
    );

    // The preview shows the same fault and what the other rows would make.
    let (s, preview) = import(&app, &member, "mode=preview", &two_hundred(Some(139))).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert_eq!(preview["written"], false);
    assert_eq!(preview["rows"], 200);
    assert_eq!(preview["people"], 199);
    assert_eq!(preview["errors"][0]["row"], 139);
    assert_eq!(preview["sample"][2]["mobility"], "wheelchair");
    assert_eq!(
        preview["sample"][0]["driver_notes"],
        "Suonare due volte; \"scala B\""
    );
    assert_eq!(count(&app, &member, "/api/v1/people").await, people);

    let (s, done) = import(&app, &member, "mode=commit", &two_hundred(None)).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert_eq!(done["written"], true);
    assert_eq!(
        (done["people"].as_u64(), done["places"].as_u64()),
        (Some(200), Some(100))
    );
    assert_eq!(count(&app, &member, "/api/v1/people").await, people + 200);
    assert_eq!(count(&app, &member, "/api/v1/places").await, places + 100);
    let (_, list) = app.get(&member, "/api/v1/people").await;
    let p = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Persona Importata 6")
        .unwrap()
        .clone();
    assert_eq!(p["organisation_id"], own_organisation(&app).await);
    assert_eq!(p["mobility"], "wheelchair");
    assert_eq!(p["assistance"], "accompany_to_door");
    assert_eq!(p["phone"], "+39 0185 000006");
    let (_, home) = app
        .get(&member, &format!("/api/v1/places/{}", p["home_place_id"]))
        .await;
    assert_eq!(home["name"], "Casa importata 3");
    assert_eq!(home["kind"], "home");
    assert!(
        (home["lat"].as_f64().unwrap() - 44.2703).abs() < 1e-9,
        "{home}"
    );
}

#[tokio::test]
async fn a_wrong_header_is_a_422_naming_it() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let people = count(&app, &member, "/api/v1/people").await;
    let (s, body) = import(
        &app,
        &member,
        "mode=preview",
        "Nome;Mobilità;Diagnosi\nAnna;a piedi;x\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["row"], 1);
    assert_eq!(body["errors"][0]["column"], "Diagnosi");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown column"));

    let (s, body) = import(&app, &member, "mode=commit", "name,phone\nAnna,1\n").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["column"], "mobilità / mobility");
    assert_eq!(
        body["errors"][0]["message"],
        "missing column mobilità / mobility"
    );

    // A home named but unknown, without an address to make it.
    let (s, body) = import(
        &app,
        &member,
        "mode=commit",
        "name,mobility,home\nAnna,walks,Nowhere\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        (
            body["errors"][0]["row"].as_u64(),
            body["errors"][0]["column"].as_str()
        ),
        (Some(2), Some("casa / home"))
    );

    // Not a CSV body; an unknown mode.
    let (s, body) = app
        .post(
            &member,
            "/api/v1/import/people?mode=commit",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    let (s, _) = import(&app, &member, "mode=maybe", "name,mobility\n").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(count(&app, &member, "/api/v1/people").await, people);

    // A member imports only into its own association; a planner names one.
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (s, body) = import(
        &app,
        &dispatcher,
        "mode=preview",
        "name,mobility\nAnna,walks\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "organisation_id");
    let (s, _) = import(
        &app,
        &member,
        "mode=preview&organisation_id=999999",
        "name,mobility\n",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// A person as the import would write it: every field but ids, with the
/// home's name, address and coordinates.
async fn records(app: &TestApp, who: &As, org: i64) -> Vec<String> {
    let (_, people) = app
        .get(who, &format!("/api/v1/people?organisation_id={org}"))
        .await;
    let (_, places) = app.get(who, "/api/v1/places").await;
    let mut out: Vec<String> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let home = places
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["id"] == p["home_place_id"])
                .unwrap();
            format!(
                "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
                p["name"],
                p["phone"],
                p["mobility"],
                p["assistance"],
                p["service_animal"],
                p["driver_notes"],
                home["name"],
                home["address"],
                home["lat"],
                home["lon"]
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn an_export_imports_again_to_the_same_records() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let own = own_organisation(&app).await;
    // The member's people, with a note a spreadsheet would take for a formula.
    let (_, mine) = app.get(&member, "/api/v1/people").await;
    let first = mine[0].clone();
    let mut changed = first.clone();
    changed["driver_notes"] = "=chiamare, poi \"suonare\"\nscala B".into();
    changed.as_object_mut().unwrap().remove("id");
    let (s, b) = app
        .put(&member, &format!("/api/v1/people/{}", first["id"]), changed)
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    let (s, ct, file) = app
        .get_text(&member, "/api/v1/people?format=csv", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(
        file.starts_with(
            "name,phone,home,address,lat,lon,mobility,assistance,service_animal,driver_notes\r\n"
        ),
        "{file}"
    );
    assert!(file.contains("'=chiamare"), "a formula is neutralised");
    let exported = records(&app, &dispatcher, own).await;
    assert!(exported.len() > 1);

    // Into the same association: every home is found by name.
    let (s, preview) = import(&app, &member, "mode=preview", &file).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert_eq!(preview["errors"], serde_json::json!([]));
    assert_eq!(preview["places"], 0);
    assert_eq!(preview["people"], exported.len());

    // Into another association (by a planner): the homes are made there.
    let (_, orgs) = app.get(&dispatcher, "/api/v1/organisations").await;
    let other = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .find(|&o| o != own)
        .unwrap();
    let before = count(
        &app,
        &dispatcher,
        &format!("/api/v1/people?organisation_id={other}"),
    )
    .await;
    let (s, done) = import(
        &app,
        &dispatcher,
        &format!("mode=commit&organisation_id={other}"),
        &file,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    let after = records(&app, &dispatcher, other).await;
    assert_eq!(after.len(), before + exported.len());
    for r in &exported {
        assert!(after.contains(r), "not imported the same: {r}");
    }
}

#[tokio::test]
async fn places_as_csv_are_the_places_in_scope() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let (_, places) = app.get(&member, "/api/v1/places").await;
    let (s, ct, file) = app
        .get_text(&member, "/api/v1/places", Some("text/csv"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let lines: Vec<&str> = file.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "name,address,lat,lon,kind,organisation_id");
    assert_eq!(lines.len(), places.as_array().unwrap().len() + 1);
    let first = &places[0];
    let cell = lines[1].trim_start_matches('"');
    assert!(
        cell.starts_with(first["name"].as_str().unwrap()),
        "{}",
        lines[1]
    );
    let (s, _, _) = app
        .get_text(&member, "/api/v1/places?format=xml", None)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_plan_as_geojson_has_routes_and_stops_without_names() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let plan = app.solve(&dispatcher, 1.0).await;
    let res = app
        .http
        .get(app.url(&format!("/api/v1/plans/{}/geojson", app.date)))
        .header(dispatcher.header.0, &dispatcher.header.1)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/geo+json");
    let text = res.text().await.unwrap();
    let g: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    let routes = plan["routes"].as_array().unwrap();
    let lines: Vec<&Value> = features
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .collect();
    assert_eq!(lines.len(), routes.len());
    let stops: usize = routes
        .iter()
        .map(|r| r["stops"].as_array().unwrap().len())
        .sum();
    let points = features.iter().filter(|f| f["geometry"]["type"] == "Point");
    assert_eq!(points.clone().count(), stops);
    assert_eq!(
        lines[0]["properties"]["stops"],
        routes[0]["stops"].as_array().unwrap().len()
    );
    assert!(lines[0]["properties"]["vehicle"].is_string());
    // [lon, lat]: Sestri Levante is at about 9.4 E, 44.27 N.
    for p in points {
        let c = p["geometry"]["coordinates"].as_array().unwrap();
        assert!((9.0..10.0).contains(&c[0].as_f64().unwrap()), "{p}");
        assert!((44.0..45.0).contains(&c[1].as_f64().unwrap()), "{p}");
        assert!(p["properties"]["request_id"].is_i64());
        assert!(p["properties"]["time"].is_string());
    }
    // No person's name anywhere.
    for person in app.store.people(giro::store::Scope::All).await.unwrap() {
        assert!(
            !text.contains(&person.name),
            "{} is in the GeoJSON",
            person.name
        );
    }
}
