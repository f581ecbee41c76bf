//! The meal pages: the kitchen's lists of a date (production from the day's
//! meal requests, packing per route of the plan, printable, the API's CSV
//! one click away), the recipients' list and form (bad input marked, nothing
//! written), holds added and lifted, and the meal settings.

use giro::domain::Role;
use giro::store::Scope;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::html::{csrf, element, page, post_form, stylesheet, tag};
use super::meals::{create, generate, kitchen, recipient, Kitchen};
use super::support::{As, TestApp};

async fn recipients_in_api(app: &TestApp, who: &As) -> Vec<Value> {
    let (s, all) = app.get(who, "/api/v1/meal-recipients").await;
    assert_eq!(s, StatusCode::OK, "{all}");
    all.as_array().unwrap().clone()
}

/// Two recipients on the test date: two hot meals with two diets and door
/// notes, and one standard hot meal.
async fn two_recipients(app: &TestApp, k: &Kitchen) -> (i64, i64) {
    let (person, _) = k.people[1];
    let mut body = recipient(k, person, ("11:30", "13:00"), 2);
    body["diets"] = json!(["morbido", "diabetico"]);
    body["notes"] = json!("citofono 3");
    let with_diets = create(app, k, body).await;
    let (plain, _) = k.people[2];
    let standard = create(app, k, recipient(k, plain, ("11:30", "13:00"), 1)).await;
    generate(app, k, &app.date.to_string()).await;
    (with_diets, standard)
}

#[tokio::test]
async fn the_kitchen_page_lists_production_before_the_plan_and_packing_per_route_after() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    two_recipients(&app, &k).await;
    let path = format!("/board/{}/kitchen", app.date);

    // The board's day page links to it.
    let (s, _, board) = page(&app, Some(&k.planner), &format!("/board/{}", app.date)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        tag(&board, "kitchen-link").contains(&format!("href=\"{path}\"")),
        "{}",
        tag(&board, "kitchen-link")
    );

    // No plan yet: the production list from the day's requests, no packing.
    let (s, _, html) = page(&app, Some(&k.planner), &path).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let production = element(&html, "production", "</section>");
    assert!(production.contains("3 pasti in tutto"), "{production}");
    assert!(
        production.contains("data-type-total=\"hot\">caldo: 3"),
        "{production}"
    );
    let lines: Vec<&str> = production
        .split("<tr class=\"production-line\">")
        .skip(1)
        .collect();
    assert_eq!(lines.len(), 2, "{production}");
    assert!(
        lines[0].contains("<td>caldo</td><td>normale</td>")
            && lines[0].contains("<strong>1</strong>"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("<td>caldo</td><td>diabetico, morbido</td>")
            && lines[1].contains("<strong>2</strong>"),
        "{}",
        lines[1]
    );
    assert!(
        element(&html, "packing-none", "</section>").contains("ancora un piano"),
        "the packing list says there is no plan"
    );
    // The API's CSV downloads, at their real paths, open with the session.
    for (id, kind) in [("production-csv", "production"), ("packing-csv", "packing")] {
        let href = format!("/api/v1/meals/{}/{kind}?format=csv", app.date);
        assert!(tag(&html, id).contains(&format!("href=\"{href}\"")), "{id}");
        let (s, ct, _) = app.get_text(&k.planner, &href, None).await;
        assert_eq!(s, StatusCode::OK, "{href}");
        assert!(ct.starts_with("text/csv"), "{ct}");
    }
    // Printable: the print stylesheet puts each list on a page of its own.
    let css = stylesheet(&app, &html, "meals.css").await;
    assert!(css.contains("@media print"), "{css}");
    let app_css = stylesheet(&app, &html, "app.css").await;
    assert!(app_css.contains(".page-break { break-after: page; }"));
    assert!(tag(&html, "production").contains("page-break"));

    // Solved: one section per route that carries meals, doors in order.
    app.solve(&k.planner, 2.0).await;
    let (_, packing) = app
        .get(&k.planner, &format!("/api/v1/meals/{}/packing", app.date))
        .await;
    let mut routes: Vec<i64> = packing["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["route_id"].as_i64().unwrap())
        .collect();
    routes.dedup();
    assert!(!routes.is_empty(), "{packing}");
    let (s, _, html) = page(&app, Some(&k.planner), &path).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(!html.contains("id=\"packing-none\""));
    assert_eq!(
        html.matches("class=\"kitchen-page packing page-break\"")
            .count(),
        routes.len()
    );
    for route in &routes {
        let section = element(&html, &format!("packing-{route}"), "</section>");
        let doors: Vec<&Value> = packing["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["route_id"] == *route)
            .collect();
        assert_eq!(
            section.matches("class=\"packing-stop\"").count(),
            doors.len()
        );
        let mut at = 0;
        for d in doors {
            let name = d["recipient"].as_str().unwrap();
            let found = section[at..]
                .find(name)
                .unwrap_or_else(|| panic!("{name} after position {at}: {section}"));
            at += found;
        }
        assert!(
            section.contains("2 contenitori caldi") || section.contains("3 contenitori caldi"),
            "{section}"
        );
    }
    let all = html.as_str();
    assert!(
        all.contains("<td>diabetico, morbido</td>"),
        "diets per door"
    );
    assert!(all.contains("citofono 3"), "door notes");
}

#[tokio::test]
async fn the_demo_days_kitchen_lists_download_as_csv_and_print() {
    let app = TestApp::spawn().await;
    let planner = app.login_as(Role::Dispatcher).await;
    let (_, day) = app
        .get(&planner, &format!("/api/v1/requests?date={}", app.date))
        .await;
    let meals: Vec<&Value> = day
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "meal")
        .collect();
    assert!((40..=80).contains(&meals.len()), "{}", meals.len());
    let portions: u64 = meals
        .iter()
        .map(|r| {
            r["load"]
                .as_object()
                .unwrap()
                .values()
                .map(|n| n.as_u64().unwrap())
                .sum::<u64>()
        })
        .sum();

    // Production: every portion counted once, diets on their own lines.
    let (s, ct, csv) = app
        .get_text(
            &planner,
            &format!("/api/v1/meals/{}/production?format=csv", app.date),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let rows: Vec<Vec<&str>> = csv
        .split_terminator("\r\n")
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let counted: u64 = rows.iter().map(|r| r[3].parse::<u64>().unwrap()).sum();
    assert_eq!(counted, portions, "{csv}");
    assert!(rows.iter().any(|r| r[2].contains("diabetico")), "{csv}");
    assert!(rows.iter().any(|r| r[2].contains("morbido")), "{csv}");

    // Packing: after the solve, a line per planned door over two or three routes.
    let plan = app.solve(&planner, 3.0).await;
    let ids: Vec<&Value> = meals.iter().map(|r| &r["id"]).collect();
    let planned = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .filter(|s| s["role"] == "dropoff" && ids.contains(&&s["request_id"]))
        .count();
    let (s, ct, csv) = app
        .get_text(
            &planner,
            &format!("/api/v1/meals/{}/packing", app.date),
            Some("text/csv"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let lines: Vec<&str> = csv.split_terminator("\r\n").skip(1).collect();
    assert_eq!(lines.len(), planned, "{csv}");
    let routes: std::collections::BTreeSet<&str> =
        lines.iter().map(|l| l.split(',').nth(1).unwrap()).collect();
    assert!((2..=3).contains(&routes.len()), "{routes:?}");

    // Printable: the production list, then a page per route.
    let (s, _, html) = page(
        &app,
        Some(&planner),
        &format!("/board/{}/kitchen", app.date),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(tag(&html, "production").contains("page-break"));
    assert_eq!(
        html.matches("class=\"kitchen-page packing page-break\"")
            .count(),
        routes.len()
    );
    for id in ["production-csv", "packing-csv"] {
        assert!(tag(&html, id).contains("format=csv"), "{id}");
    }
}

#[tokio::test]
async fn a_recipient_form_writes_through_the_service_and_bad_input_marks_the_field() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (person, _) = k.people[0];
    let token = csrf(&app, &k.planner, "/meals/recipients/new").await;
    let before = recipients_in_api(&app, &k.planner).await.len();
    let person_id = person.to_string();

    // Bad: the window ends before it starts, 9 meals on Tuesday, a diet not in the list.
    let bad: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("person_id", &person_id),
        ("start", "12:30"),
        ("end", "11:00"),
        ("starts_on", "2026-11-02"),
        ("meals_mon", "1"),
        ("type_mon", "hot"),
        ("meals_tue", "9"),
        ("type_tue", "cold"),
        ("diets", "diabetico"),
        ("diets", "crudista"),
    ];
    let (s, _, html) = post_form(&app, &k.planner, "/meals/recipients/new", &bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    for field in ["end", "meals_tue", "diets"] {
        assert!(
            tag(&html, field).contains("aria-invalid=\"true\""),
            "{field}: {}",
            tag(&html, field)
        );
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(tag(&html, "start").contains("aria-invalid=\"false\""));
    assert!(html.contains("id=\"form-errors\""));
    // What was typed stays in the form.
    assert!(tag(&html, "meals_tue").contains("value=\"9\""));
    assert!(tag(&html, "diet-diabetico").contains("checked"));
    assert_eq!(recipients_in_api(&app, &k.planner).await.len(), before);

    // No day at all: the week is marked.
    let empty: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("person_id", &person_id),
        ("start", "11:30"),
        ("end", "13:00"),
        ("starts_on", "2026-11-02"),
    ];
    let (s, _, html) = post_form(&app, &k.planner, "/meals/recipients/new", &empty).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(tag(&html, "schedule").contains("aria-invalid=\"true\""));
    assert_eq!(recipients_in_api(&app, &k.planner).await.len(), before);

    // Good: written as the API would, then listed.
    let good: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("person_id", &person_id),
        ("start", "11:30"),
        ("end", "13:00"),
        ("starts_on", "2026-11-02"),
        ("meals_mon", "1"),
        ("type_mon", "hot"),
        ("meals_thu", "2"),
        ("type_thu", "frozen"),
        ("meals_fri", "0"),
        ("type_fri", "hot"),
        ("diets", "senza_maiale"),
        ("diets", "diabetico"),
        ("priority", "1"),
        ("active", "1"),
        ("notes", "suonare due volte"),
    ];
    let (s, location, html) = post_form(&app, &k.planner, "/meals/recipients/new", &good).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let all = recipients_in_api(&app, &k.planner).await;
    assert_eq!(all.len(), before + 1);
    let made = all.iter().find(|r| r["person_id"] == person).unwrap();
    assert_eq!(
        made["schedule"],
        json!([{"weekday": "mon", "meals": 1, "meal_type": "hot"},
               {"weekday": "thu", "meals": 2, "meal_type": "frozen"}])
    );
    assert_eq!(made["diets"], json!(["diabetico", "senza_maiale"]));
    assert_eq!(made["priority"], true);
    assert_eq!(made["organisation_id"], k.org);
    assert_eq!(made["notes"], "suonare due volte");
    let id = made["id"].as_i64().unwrap();
    assert_eq!(
        location,
        format!("/meals/recipients?done=added#recipient-{id}")
    );
    let (s, _, list) = page(&app, Some(&k.planner), "/meals/recipients?done=added").await;
    assert_eq!(s, StatusCode::OK);
    let row = element(&list, &format!("recipient-{id}"), "</tr>");
    assert!(row.contains("lun 1 caldo, gio 2 surgelato"), "{row}");
    assert!(row.contains("11:30–13:00"), "{row}");
    assert!(row.contains("diabetico, senza maiale"), "{row}");
    assert!(row.contains("prioritario"), "{row}");

    // The edit form shows it as stored; a change is saved.
    let edit = format!("/meals/recipients/{id}");
    let (s, _, form) = page(&app, Some(&k.planner), &edit).await;
    assert_eq!(s, StatusCode::OK);
    assert!(tag(&form, "meals_thu").contains("value=\"2\""));
    assert!(tag(&form, "diet-senza_maiale").contains("checked"));
    assert!(!tag(&form, "diet-morbido").contains("checked"));
    let mut changed = good.clone();
    changed.retain(|(n, _)| *n != "priority");
    let (s, _, html) = post_form(&app, &k.planner, &edit, &changed).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, now) = app
        .get(&k.planner, &format!("/api/v1/meal-recipients/{id}"))
        .await;
    assert_eq!(now["priority"], false);
}

#[tokio::test]
async fn a_hold_is_added_with_its_resume_date_and_lifted_and_a_bad_one_writes_nothing() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (person, _) = k.people[0];
    let id = create(&app, &k, recipient(&k, person, ("11:30", "13:00"), 1)).await;
    let path = format!("/meals/recipients/{id}");
    let token = csrf(&app, &k.planner, &path).await;
    let hold = format!("{path}/hold");

    let (s, _, html) = post_form(
        &app,
        &k.planner,
        &hold,
        &[
            ("_csrf", &token),
            ("hold_from", "2026-11-24"),
            ("hold_resume_on", "2026-11-20"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(tag(&html, "hold_resume_on").contains("aria-invalid=\"true\""));
    assert!(tag(&html, "hold_from").contains("aria-invalid=\"false\""));
    let (_, r) = app
        .get(&k.planner, &format!("/api/v1/meal-recipients/{id}"))
        .await;
    assert_eq!(r["holds"], json!([]));

    let (s, location, _) = post_form(
        &app,
        &k.planner,
        &hold,
        &[
            ("_csrf", &token),
            ("hold_from", "2026-11-24"),
            ("hold_resume_on", "2026-11-26"),
            ("hold_reason", "in ospedale"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("{path}?done=held#holds"));
    let (_, r) = app
        .get(&k.planner, &format!("/api/v1/meal-recipients/{id}"))
        .await;
    assert_eq!(
        r["holds"],
        json!([{"from": "2026-11-24", "resume_on": "2026-11-26", "reason": "in ospedale"}])
    );
    // The hold is served as the API's: no meal on the 24th.
    assert!(generate(&app, &k, "2026-11-24").await.is_empty());
    let (_, _, form) = page(&app, Some(&k.planner), &path).await;
    assert!(
        element(&form, "holds", "</section>").contains("riprende il giovedì 26 novembre 2026"),
        "{}",
        element(&form, "holds", "</section>")
    );

    let (s, _, _) = post_form(
        &app,
        &k.planner,
        &format!("{path}/holds/lift"),
        &[("_csrf", &token), ("from", "2026-11-24")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, r) = app
        .get(&k.planner, &format!("/api/v1/meal-recipients/{id}"))
        .await;
    assert_eq!(r["holds"], json!([]));
}

#[tokio::test]
async fn members_read_their_associations_recipients_and_write_none() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (person, _) = k.people[0];
    let theirs = create(&app, &k, recipient(&k, person, ("11:30", "13:00"), 1)).await;
    let member = app.login_as(Role::Member).await;
    let (_, me) = app.get(&member, "/api/v1/me").await;
    let own = me["organisation_id"]
        .as_i64()
        .expect("a member's association");
    let own_person = app
        .store
        .people(Scope::Organisation(own))
        .await
        .unwrap()
        .first()
        .expect("the association has people")
        .id;
    let mut body = recipient(&k, own_person, ("11:30", "13:00"), 1);
    body["organisation_id"] = json!(own);
    let mine = create(&app, &k, body).await;

    let (s, _, html) = page(&app, Some(&member), "/meals/recipients").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("id=\"recipient-{mine}\"")));
    assert!(!html.contains(&format!("id=\"recipient-{theirs}\"")));
    assert!(
        !html.contains("id=\"recipient-new\""),
        "no writing for members"
    );
    for path in [
        "/meals/recipients/new".to_string(),
        format!("/meals/recipients/{mine}"),
        "/meals/settings".to_string(),
        format!("/board/{}/kitchen", app.date),
    ] {
        let (s, _, _) = page(&app, Some(&member), &path).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn the_settings_page_shows_and_saves_the_meal_settings_and_marks_bad_fields() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let (s, _, html) = page(&app, Some(&admin), "/meals/settings").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(tag(&html, "ready_at").contains("value=\"11:00\""));
    assert!(tag(&html, "hot_max_minutes").contains("value=\"45\""));
    assert!(tag(&html, "box_hot").contains("value=\"hot_boxes\""));
    assert!(html.contains("senza_maiale"));
    let token = csrf(&app, &admin, "/meals/settings").await;
    let (_, before) = app.get(&admin, "/api/v1/meals/settings").await;

    let (s, _, html) = post_form(
        &app,
        &admin,
        "/meals/settings",
        &[
            ("_csrf", &token),
            ("ready_at", "11:15"),
            ("hot_max_minutes", "2"),
            ("diets", "diabetico\nSenza Glutine"),
            ("box_hot", "hot_boxes"),
            ("box_cold", "hot_boxes"),
            ("box_frozen", "cold_boxes"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    for field in ["hot_max_minutes", "diets", "box_hot"] {
        assert!(
            tag(&html, field).contains("aria-invalid=\"true\""),
            "{field}: {}",
            tag(&html, field)
        );
    }
    assert!(tag(&html, "ready_at").contains("aria-invalid=\"false\""));
    let (_, after) = app.get(&admin, "/api/v1/meals/settings").await;
    assert_eq!(after, before, "nothing written");

    let (s, location, html) = post_form(
        &app,
        &admin,
        "/meals/settings",
        &[
            ("_csrf", &token),
            ("ready_at", "11:15"),
            ("hot_max_minutes", "40"),
            ("diets", "diabetico\r\nsenza_glutine\r\niposodico"),
            ("box_hot", "hot_boxes"),
            ("box_cold", "cold_boxes"),
            ("box_frozen", "cold_boxes"),
            ("centre_place_id", ""),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(location, "/meals/settings?saved=1");
    let (_, after) = app.get(&admin, "/api/v1/meals/settings").await;
    assert_eq!(after["ready_at"], "11:15");
    assert_eq!(after["hot_max_minutes"], 40);
    assert_eq!(
        after["diets"],
        json!(["diabetico", "senza_glutine", "iposodico"])
    );
    // The recipient form offers the new list.
    let (_, _, form) = page(&app, Some(&admin), "/meals/recipients/new").await;
    assert!(form.contains("id=\"diet-iposodico\""));
    assert!(!form.contains("id=\"diet-morbido\""));
}

#[tokio::test]
async fn the_preferred_volunteer_is_shown_by_the_stop_and_marked_when_someone_else_drives() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let volunteers = app.store.volunteers().await.unwrap();
    let name = |id: i64| volunteers.iter().find(|v| v.id == id).unwrap().name.clone();
    let other = volunteers
        .iter()
        .find(|v| v.id != k.driver)
        .expect("another volunteer")
        .id;
    // One recipient prefers a volunteer who does not drive today, the other
    // the car's own driver.
    let mut body = recipient(&k, k.people[0].0, ("11:30", "13:00"), 1);
    body["preferred_volunteer_id"] = json!(other);
    let elsewhere = create(&app, &k, body).await;
    let mut body = recipient(&k, k.people[1].0, ("11:30", "13:00"), 1);
    body["preferred_volunteer_id"] = json!(k.driver);
    let same = create(&app, &k, body).await;
    let booked = generate(&app, &k, &app.date.to_string()).await;
    let request = |r: i64| booked.iter().find(|b| b.0 == r).unwrap().1;
    let plan = app.solve(&k.planner, 2.0).await;
    let seq = |req: i64| {
        plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["stops"].as_array().unwrap())
            .find(|s| s["request_id"] == req && s["role"] == "dropoff")
            .unwrap_or_else(|| panic!("meal {req} planned: {}", plan["unassigned"]))["seq"]
            .as_i64()
            .unwrap()
    };

    let (s, _, html) = page(
        &app,
        Some(&k.planner),
        &format!("/board/{}/kitchen", app.date),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let mark = |html: &str, at: String| {
        let marker = format!("data-preferred=\"{at}\">");
        let i = html
            .find(&marker)
            .unwrap_or_else(|| panic!("no mark {at}: {html}"));
        let open = html[..i].rfind('<').unwrap();
        html[open..i + html[i..].find("</p>").unwrap()].to_string()
    };
    let m = mark(&html, seq(request(elsewhere)).to_string());
    assert!(
        m.contains(&format!(
            "Volontario preferito: <strong>{}</strong>",
            name(other)
        )),
        "{m}"
    );
    assert!(
        m.contains("class=\"preferred elsewhere\"") && m.contains("lo guida un altro volontario"),
        "{m}"
    );
    let m = mark(&html, seq(request(same)).to_string());
    assert!(
        m.contains(&format!("<strong>{}</strong>", name(k.driver))),
        "{m}"
    );
    assert!(!m.contains("elsewhere") && !m.contains("lo guida"), "{m}");

    // The same on the drivers' route sheets.
    let (s, _, html) = page(
        &app,
        Some(&k.planner),
        &format!("/board/{}/sheets", app.date),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let m = mark(&html, format!("{}-dropoff", request(elsewhere)));
    assert!(
        m.contains(&name(other)) && m.contains("lo guida un altro volontario"),
        "{m}"
    );
    let m = mark(&html, format!("{}-dropoff", request(same)));
    assert!(
        m.contains(&name(k.driver)) && !m.contains("elsewhere"),
        "{m}"
    );
}
