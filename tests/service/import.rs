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

/// Posts `file` as text/csv to `/api/v1/import/{what}`.
async fn import_to(
    app: &TestApp,
    who: &As,
    what: &str,
    query: &str,
    file: &str,
) -> (StatusCode, Value) {
    let res = app
        .http
        .post(app.url(&format!("/api/v1/import/{what}?{query}")))
        .header(who.header.0, &who.header.1)
        .header("content-type", "text/csv")
        .body(file.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

fn at(body: &Value) -> Vec<(u64, String)> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn places_with_one_bad_row_write_nothing_and_the_corrected_file_all() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let own = own_organisation(&app).await;
    let before = count(&app, &member, "/api/v1/places").await;
    let file = |lat: &str| {
        format!(
            "Nome;Indirizzo;Latitudine;Longitudine;Tipo\n\
             Casa Uno;Via Uno 1;44,2701;9,3901;casa\n\
             Casa Due;Via Due 2;{lat};9,3902;\n\
             Casa Tre;Via Tre 3;44,2703;9,3903;\n"
        )
    };
    let (s, body) = import_to(&app, &member, "places", "mode=commit", &file("abc")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(at(&body), [(3, "Latitudine".to_string())], "{body}");
    assert_eq!(count(&app, &member, "/api/v1/places").await, before);

    let (s, preview) = import_to(&app, &member, "places", "mode=preview", &file("44,2702")).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert_eq!(
        (preview["places"].as_u64(), preview["written"].as_bool()),
        (Some(3), Some(false))
    );
    assert_eq!(preview["sample"][1]["organisation_id"], own);
    assert_eq!(preview["sample"][1]["kind"], "home");
    assert_eq!(count(&app, &member, "/api/v1/places").await, before);

    let (s, done) = import_to(&app, &member, "places", "mode=commit", &file("44,2702")).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert_eq!(done["places"], 3);
    let (_, places) = app.get(&member, "/api/v1/places").await;
    let two = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Casa Due")
        .unwrap();
    assert_eq!(
        (two["organisation_id"].as_i64(), two["kind"].as_str()),
        (Some(own), Some("home"))
    );
    assert!((two["lat"].as_f64().unwrap() - 44.2702).abs() < 1e-9);

    // A member writes neither another association's homes nor public places.
    let other = own + 1;
    let (s, body) = import_to(
        &app,
        &member,
        "places",
        "mode=preview",
        &format!(
            "name,address,lat,lon,kind,organisation_id\nAltrui,Via 4,44.27,9.39,home,{other}\n"
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(at(&body), [(2, "organisation_id".to_string())], "{body}");
    let (s, body) = import_to(
        &app,
        &member,
        "places",
        "mode=commit",
        &format!(
            "name,address,lat,lon,kind,organisation_id\nAltrui,Via 4,44.27,9.39,home,{other}\n"
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("organisation_id"),
        "{body}"
    );

    // A wrong header is named.
    let (s, body) = import_to(
        &app,
        &member,
        "places",
        "mode=preview",
        "nome,indirizzo,lat,lon,diagnosi\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(at(&body), [(1, "diagnosi".to_string())]);
    assert_eq!(count(&app, &member, "/api/v1/places").await, before + 3);
}

fn place_records(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}|{}|{}|{}|{}|{}",
                p["name"], p["address"], p["lat"], p["lon"], p["kind"], p["organisation_id"]
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn places_export_imports_again_to_the_same_records() {
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (_, before) = app.get(&dispatcher, "/api/v1/places").await;
    let before = place_records(&before);
    let (s, _, file) = app
        .get_text(&dispatcher, "/api/v1/places?format=csv", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, done) = import_to(&app, &dispatcher, "places", "mode=commit", &file).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert_eq!(done["places"], before.len());
    let (_, after) = app.get(&dispatcher, "/api/v1/places").await;
    let mut twice: Vec<String> = before.iter().flat_map(|r| [r.clone(), r.clone()]).collect();
    twice.sort();
    assert_eq!(
        place_records(&after),
        twice,
        "each place once more, the same"
    );
}

/// A person of the member's association whose name no other there has,
/// with the home's name.
async fn unique_person(app: &TestApp, member: &As) -> (i64, String) {
    let (_, people) = app.get(member, "/api/v1/people").await;
    let people = people.as_array().unwrap();
    let p = people
        .iter()
        .find(|p| people.iter().filter(|q| q["name"] == p["name"]).count() == 1)
        .unwrap();
    (
        p["id"].as_i64().unwrap(),
        p["name"].as_str().unwrap().to_string(),
    )
}

/// A public place whose name no other place has.
async fn unique_public(app: &TestApp, who: &As, kind: &str) -> String {
    let (_, places) = app.get(who, "/api/v1/places").await;
    let places = places.as_array().unwrap();
    places
        .iter()
        .find(|p| {
            p["kind"] == kind
                && p["organisation_id"].is_null()
                && places.iter().filter(|q| q["name"] == p["name"]).count() == 1
        })
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string()
}

fn order_records(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{}|{}|{}|{}|{}",
                o["organisation_id"], o["person_id"], o["ride"], o["recurrence"], o["active"]
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn standing_orders_with_one_bad_row_write_nothing_and_the_corrected_file_all() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let own = own_organisation(&app).await;
    let (person, name) = unique_person(&app, &member).await;
    let centre = unique_public(&app, &member, "day_centre").await;
    let before = count(&app, &member, "/api/v1/standing-orders").await;
    let file = |days: &str| {
        format!(
            "Persona;Partenza;Arrivo;Giorni;Appuntamento;Ritorno;Dal;Al;Motivo\n\
             {name};casa;{centre};\"lun;mer;ven\";09:00;dopo 240;01/09/2027;30/06/2028;centro diurno\n\
             {name};casa;{centre};{days};14:00;su chiamata;01/09/2027;;\n"
        )
    };
    let (s, body) = import_to(
        &app,
        &member,
        "standing-orders",
        "mode=commit",
        &file("mar giò x"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(at(&body), [(3, "Giorni".to_string())], "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("\"x\""));
    assert_eq!(
        count(&app, &member, "/api/v1/standing-orders").await,
        before
    );

    let (s, preview) = import_to(
        &app,
        &member,
        "standing-orders",
        "mode=preview",
        &file("mar giò"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert_eq!(preview["standing_orders"], 2);
    assert_eq!(preview["sample"][0]["person_id"], person);
    assert_eq!(preview["sample"][0]["to"], centre.as_str());
    assert_eq!(
        preview["sample"][0]["recurrence"]["weekdays"],
        serde_json::json!(["mon", "wed", "fri"])
    );
    assert_eq!(
        preview["sample"][0]["ride"]["way_back"],
        serde_json::json!({"after_minutes": 240})
    );

    let (s, done) = import_to(
        &app,
        &member,
        "standing-orders",
        "mode=commit",
        &file("mar giò"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    let (_, list) = app.get(&member, "/api/v1/standing-orders").await;
    assert_eq!(list.as_array().unwrap().len(), before + 2);
    let second = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["person_id"] == person && o["ride"]["appointment"] == "14:00")
        .unwrap();
    assert_eq!(
        second["recurrence"]["weekdays"],
        serde_json::json!(["tue", "thu"])
    );
    assert_eq!(second["ride"]["way_back"], "will_call");
    assert_eq!(second["organisation_id"], own);

    // Another association's: refused naming the field; a wrong header named.
    let (s, body) = import_to(
        &app,
        &member,
        "standing-orders",
        &format!("mode=preview&organisation_id={}", own + 1),
        &file("mar"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("organisation_id"),
        "{body}"
    );
    let (s, body) = import_to(
        &app,
        &member,
        "standing-orders",
        "mode=preview",
        "persona;partenza;arrivo;giorni;dal;frequenza\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(at(&body), [(1, "frequenza".to_string())]);
    // A person of another association is not found by id.
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let (_, all) = app.get(&dispatcher, "/api/v1/people").await;
    let stranger = all
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organisation_id"] != own)
        .unwrap()["id"]
        .clone();
    let (s, body) = import_to(
        &app,
        &member,
        "standing-orders",
        "mode=preview",
        &format!("person_id,from,to,weekdays,pickup_at,starts_on\n{stranger},home,{centre},mon,08:00,2027-09-01\n"),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    // `home` is the rider's home: with no rider, no home either.
    assert_eq!(
        at(&body),
        [(2, "person_id".to_string()), (2, "from".to_string())],
        "{body}"
    );
    assert_eq!(
        count(&app, &member, "/api/v1/standing-orders").await,
        before + 2
    );
}

#[tokio::test]
async fn standing_orders_export_imports_again_to_the_same_records() {
    let app = TestApp::spawn().await;
    let member = app.login_as(Role::Member).await;
    let (_, before) = app.get(&member, "/api/v1/standing-orders").await;
    let before = order_records(&before);
    assert!(!before.is_empty(), "the demo has standing orders");
    let (s, ct, file) = app
        .get_text(&member, "/api/v1/standing-orders?format=csv", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(
        file.starts_with("person_id,person,from_place_id,from,to_place_id,to,weekdays,"),
        "{file}"
    );
    let (s, done) = import_to(&app, &member, "standing-orders", "mode=commit", &file).await;
    assert_eq!(s, StatusCode::CREATED, "{done}");
    assert_eq!(done["standing_orders"], before.len());
    let (_, after) = app.get(&member, "/api/v1/standing-orders").await;
    let mut twice: Vec<String> = before.iter().flat_map(|r| [r.clone(), r.clone()]).collect();
    twice.sort();
    assert_eq!(
        order_records(&after),
        twice,
        "each order once more, the same"
    );
}

/// A multipart form as a browser sends it: text fields, then the file.
fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> (String, Vec<u8>) {
    let boundary = "----giro-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some(f) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"persone.csv\"\r\nContent-Type: text/csv\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(f);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_page(
    app: &TestApp,
    who: &As,
    fields: &[(&str, &str)],
    file: Option<&[u8]>,
) -> (StatusCode, String) {
    let (ct, body) = multipart(fields, file);
    let res = super::html::browser()
        .post(app.url("/board/import"))
        .header("accept-language", "it-IT,it;q=0.9")
        .header(who.header.0, &who.header.1)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.text().await.unwrap())
}

/// The text of the hidden field a confirm sends, unescaped.
fn hidden_csv(html: &str) -> String {
    let start = html.find("name=\"csv\"").unwrap();
    let open = start + html[start..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</textarea>").unwrap();
    html[open..close]
        .strip_prefix('\n')
        .unwrap_or(&html[open..close])
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn the_import_page_previews_errors_writes_nothing_and_confirms_all() {
    use super::html::{csrf, page};
    let app = TestApp::spawn().await;
    let dispatcher = app.login_as(Role::Dispatcher).await;
    let org = own_organisation(&app).await.to_string();
    let token = csrf(&app, &dispatcher, "/board/import").await;
    let (s, _, html) = page(&app, Some(&dispatcher), "/board/import").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("href=\"/board/import\""), "in the menu");
    assert!(html.contains("id=\"import-template-standing-orders\""));
    let people = count(
        &app,
        &dispatcher,
        &format!("/api/v1/people?organisation_id={org}"),
    )
    .await;
    let file = |mobility: &str| {
        format!(
            "Nome;Mobilità;Casa;Indirizzo;Lat;Lon\n\
             Pagina Uno;a piedi;Casa Pagina;Via Pagina 1;44,27;9,39\n\
             Pagina Due;{mobility};Casa Pagina;;;\n"
        )
    };
    let fields = [
        ("_csrf", token.as_str()),
        ("mode", "preview"),
        ("kind", "people"),
        ("organisation_id", org.as_str()),
    ];
    let (s, html) = post_page(&app, &dispatcher, &fields, Some(file("volare").as_bytes())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("id=\"import-errors-summary\""), "{html}");
    assert!(html.contains("href=\"#import-error-1\""));
    assert!(
        html.contains("data-row=\"3\" data-column=\"Mobilità\""),
        "{html}"
    );
    assert!(!html.contains("id=\"import-confirm\""));
    assert_eq!(
        count(
            &app,
            &dispatcher,
            &format!("/api/v1/people?organisation_id={org}")
        )
        .await,
        people,
        "a preview writes nothing"
    );

    let (s, html) = post_page(&app, &dispatcher, &fields, Some(file("a piedi").as_bytes())).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"import-confirm\""), "{html}");
    assert!(html.contains("Pagina Due"));
    let csv = hidden_csv(&html);
    assert_eq!(csv, file("a piedi"));
    assert_eq!(
        count(
            &app,
            &dispatcher,
            &format!("/api/v1/people?organisation_id={org}")
        )
        .await,
        people
    );

    // The confirm sends the text again and the service checks it again:
    // a row made bad in the page is refused.
    let bad = csv.replace("Pagina Due;a piedi", "Pagina Due;volare");
    let commit = |text: &'static str| {
        [
            ("_csrf", token.clone()),
            ("mode", "commit".to_string()),
            ("kind", "people".to_string()),
            ("organisation_id", org.clone()),
            ("csv", text.to_string()),
        ]
    };
    let bad: &'static str = Box::leak(bad.into_boxed_str());
    let f = commit(bad);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (s, html) = post_page(&app, &dispatcher, &f, None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("data-row=\"3\""));
    let good: &'static str = Box::leak(csv.into_boxed_str());
    let f = commit(good);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (s, html) = post_page(&app, &dispatcher, &f, None).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"import-done\""), "{html}");
    assert_eq!(
        count(
            &app,
            &dispatcher,
            &format!("/api/v1/people?organisation_id={org}")
        )
        .await,
        people + 2
    );
    let (s, _, list) = page(
        &app,
        Some(&dispatcher),
        &format!("/board/import/list?kind=people&organisation_id={org}"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(list.contains("Pagina Uno") && list.contains("Casa Pagina"));

    // Not UTF-8, too large, no association: a clear error on the field.
    let (s, html) = post_page(
        &app,
        &dispatcher,
        &fields,
        Some(b"Nome;Mobilit\xe0\nNicol\xf2;a piedi\n"),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"import-file-error\"") && html.contains("UTF-8"),
        "{html}"
    );
    let big = vec![b'a'; (2 << 20) + 10];
    let (s, html) = post_page(&app, &dispatcher, &fields, Some(&big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("2 MiB"), "{html}");
    let (s, html) = post_page(
        &app,
        &dispatcher,
        &fields[..3],
        Some(file("a piedi").as_bytes()),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"import-organisation-error\""), "{html}");
    // The template's headers import as they are.
    let (s, _, t) = page(
        &app,
        Some(&dispatcher),
        "/board/import/template/standing-orders",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(t.starts_with("\u{feff}id persona;persona;"), "{t}");
}
