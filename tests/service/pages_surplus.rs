//! The food surplus pages: the donors' list and form (bad input marked,
//! nothing written), the surplus settings, the yearly figures with the kg
//! the drivers entered, and who may write.

use giro::domain::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::html::{csrf, element, page, post_form, stylesheet, tag};
use super::support::{As, TestApp};
use super::surplus::{create, donor, generate, town};

async fn donors_in_api(app: &TestApp, who: &As) -> Vec<Value> {
    let (s, all) = app.get(who, "/api/v1/donors").await;
    assert_eq!(s, StatusCode::OK, "{all}");
    all.as_array().unwrap().clone()
}

#[tokio::test]
async fn the_donors_page_lists_donors_and_its_form_writes_through_the_service() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    let chilled = create(&app, &t, donor(&t, 0, "chilled")).await;

    // The board's day page and the meal pages link to the donors.
    for path in [
        format!("/board/{}", app.date),
        "/meals/recipients".to_string(),
        format!("/board/{}/kitchen", app.date),
    ] {
        let (s, _, html) = page(&app, Some(&t.planner), &path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(
            tag(&html, "donors-link").contains("href=\"/surplus/donors\""),
            "{path}"
        );
    }

    let (s, _, html) = page(&app, Some(&t.planner), "/surplus/donors").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let row = element(&html, &format!("donor-{chilled}"), "</tr>");
    for text in [
        "Donatore 0",
        "lun, gio",
        "10:30–11:30",
        "latticini e gastronomia",
        "refrigerato",
        "catena del freddo",
        "<td class=\"num\">40</td>",
        "Emporio solidale",
    ] {
        assert!(row.contains(text), "{text}: {row}");
    }
    assert!(tag(&html, "figures-link").contains("href=\"/surplus/figures\""));
    assert!(tag(&html, "donor-new").contains("href=\"/surplus/donors/new\""));

    let token = csrf(&app, &t.planner, "/surplus/donors/new").await;
    let place = t.donor_places[1].to_string();
    let centre = t.centre.to_string();
    let before = donors_in_api(&app, &t.planner).await.len();

    // Bad: the window ends before it starts, no weekday, cooked food
    // without a blast chiller, a negative kg.
    let bad: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("name", "Mensa aziendale"),
        ("place_id", &place),
        ("start", "14:00"),
        ("end", "13:00"),
        ("gives", "il pranzo avanzato"),
        ("food", "cooked"),
        ("expected_kg", "-3"),
        ("receiving_place_id", &centre),
        ("active", "1"),
    ];
    let (s, _, html) = post_form(&app, &t.planner, "/surplus/donors/new", &bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    for field in ["end", "weekdays", "blast_chiller", "expected_kg"] {
        assert!(
            tag(&html, field).contains("aria-invalid=\"true\""),
            "{field}: {}",
            tag(&html, field)
        );
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    for field in ["name", "start", "place_id", "receiving_place_id"] {
        assert!(
            tag(&html, field).contains("aria-invalid=\"false\""),
            "{field}"
        );
    }
    assert!(html.contains("id=\"form-errors\""));
    // What was typed stays in the form.
    assert!(tag(&html, "name").contains("value=\"Mensa aziendale\""));
    assert!(tag(&html, "expected_kg").contains("value=\"-3\""));
    assert_eq!(donors_in_api(&app, &t.planner).await.len(), before);

    // A place another donor gives at: the store's check, marked too.
    let taken = t.donor_places[0].to_string();
    let mut good: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("name", "Forno Rossi"),
        ("place_id", &taken),
        ("start", "18:00"),
        ("end", "19:30"),
        ("weekdays", "tue"),
        ("weekdays", "fri"),
        ("gives", "pane e focacce"),
        ("food", "ambient"),
        ("expected_kg", "12,5"),
        ("receiving_place_id", &centre),
        ("active", "1"),
        ("notes", "suonare sul retro"),
    ];
    let (s, _, html) = post_form(&app, &t.planner, "/surplus/donors/new", &good).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(tag(&html, "place_id").contains("aria-invalid=\"true\""));
    assert!(tag(&html, "weekday-fri").contains("checked"));
    assert_eq!(donors_in_api(&app, &t.planner).await.len(), before);

    // Good: written as the API would, then listed.
    good[2] = ("place_id", &place);
    let (s, location, html) = post_form(&app, &t.planner, "/surplus/donors/new", &good).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let all = donors_in_api(&app, &t.planner).await;
    assert_eq!(all.len(), before + 1);
    let made = all.iter().find(|d| d["name"] == "Forno Rossi").unwrap();
    let id = made["id"].as_i64().unwrap();
    assert_eq!(location, format!("/surplus/donors?done=added#donor-{id}"));
    assert_eq!(made["weekdays"], json!(["tue", "fri"]));
    assert_eq!(made["window"], json!({"start": "18:00", "end": "19:30"}));
    assert_eq!(made["expected_kg"], json!(12.5));
    assert_eq!(made["food"], "ambient");
    assert_eq!(made["receiving_place_id"], t.centre);
    assert_eq!(made["blast_chiller"], false);
    assert_eq!(made["notes"], "suonare sul retro");
    let (_, _, list) = page(&app, Some(&t.planner), "/surplus/donors?done=added").await;
    assert!(list.contains("id=\"donors-notice\""));
    let row = element(&list, &format!("donor-{id}"), "</tr>");
    assert!(row.contains("mar, ven") && row.contains("12,5"), "{row}");
    assert!(!row.contains("catena del freddo"), "{row}");

    // The edit form shows it as stored; a change is saved.
    let edit = format!("/surplus/donors/{id}");
    let (s, _, form) = page(&app, Some(&t.planner), &edit).await;
    assert_eq!(s, StatusCode::OK, "{form}");
    assert!(tag(&form, "weekday-tue").contains("checked"));
    assert!(!tag(&form, "weekday-mon").contains("checked"));
    assert!(tag(&form, "expected_kg").contains("value=\"12.5\""));
    let mut changed = good.clone();
    changed.retain(|(n, _)| *n != "active");
    let (s, _, html) = post_form(&app, &t.planner, &edit, &changed).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    let (_, now) = app.get(&t.planner, &format!("/api/v1/donors/{id}")).await;
    assert_eq!(now["active"], false);

    // Delete.
    let (s, location, _) = post_form(
        &app,
        &t.planner,
        &format!("{edit}/delete"),
        &[("_csrf", &token)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location, "/surplus/donors?done=deleted");
    let (s, _) = app.get(&t.planner, &format!("/api/v1/donors/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_figures_page_shows_the_kg_the_driver_entered_by_donor_and_month() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    let id = create(&app, &t, donor(&t, 0, "chilled")).await;
    let other = create(&app, &t, donor(&t, 1, "ambient")).await;
    let booked = generate(&app, &t, &app.date.to_string()).await;
    let request = booked.iter().find(|b| b.0 == id).unwrap().1;
    app.solve(&t.planner, 2.0).await;
    app.publish_newest(&t.planner).await;
    // The driver enters the kg with "done", as the driver page does.
    let (_, driver) = app.driver_of(t.driver).await;
    let (s, ev) = app
        .post(
            &driver,
            "/api/v1/events",
            json!({"id": "phone-kg-page-1", "date": app.date, "stop": format!("{request}-pickup"),
                   "kind": "done", "at": format!("{}T10:41:00.000Z", app.date), "kg": 37.5}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");

    let (s, _, html) = page(&app, Some(&t.planner), "/surplus/figures?year=2026").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(tag(&html, "year").contains("value=\"2026\""));
    let row = element(&html, &format!("figures-donor-{id}"), "</tr>");
    assert!(row.contains("Donatore 0"), "{row}");
    assert!(
        row.contains("data-month=\"11\" title=\"1 ritiri\">37,5</td>"),
        "{row}"
    );
    assert!(row.contains("data-month=\"10\">–</td>"), "{row}");
    assert!(row.contains("<strong>37,5</strong>"), "{row}");
    let row = element(&html, &format!("figures-donor-{other}"), "</tr>");
    assert!(
        row.contains("<strong>0</strong>"),
        "every donor listed: {row}"
    );
    let totals = element(&html, "figures-totals", "</tr>");
    assert!(totals.contains("data-month=\"11\">37,5</td>"), "{totals}");
    assert!(
        element(&html, "figures-total", "</p>").contains("37,5 kg in tutto"),
        "{html}"
    );
    // The API's CSV of the same year, one click away.
    let href = "/api/v1/surplus/figures?year=2026&format=csv";
    assert!(tag(&html, "figures-csv")
        .contains("href=\"/api/v1/surplus/figures?year=2026&amp;format=csv\""));
    let (s, ct, csv) = app.get_text(&t.planner, href, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(csv.contains(",11,1,37.5\r\n"), "{csv}");
    // Printable.
    let css = stylesheet(&app, &html, "surplus.css").await;
    assert!(css.contains("@media print"), "{css}");

    // Another year has none of it; a bad year is marked, nothing shown.
    let (s, _, html) = page(&app, Some(&t.planner), "/surplus/figures?year=2025").await;
    assert_eq!(s, StatusCode::OK);
    assert!(element(&html, "figures-total", "</p>").contains("0 kg in tutto"));
    let (s, _, html) = page(&app, Some(&t.planner), "/surplus/figures?year=1999").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(tag(&html, "year").contains("aria-invalid=\"true\""));
    assert!(html.contains("id=\"year-error\""));
    assert!(!html.contains("id=\"figures-table\""));
    // This year by default.
    let (s, _, _) = page(&app, Some(&t.planner), "/surplus/figures").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn the_settings_page_saves_the_cold_chain_limits_and_marks_bad_fields() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(Role::Admin).await;
    let (s, _, html) = page(&app, Some(&admin), "/surplus/settings").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(tag(&html, "chilled_max_minutes").contains("value=\"60\""));
    let token = csrf(&app, &admin, "/surplus/settings").await;
    let (_, before) = app.get(&admin, "/api/v1/surplus/settings").await;

    let (s, _, html) = post_form(
        &app,
        &admin,
        "/surplus/settings",
        &[
            ("_csrf", &token),
            ("chilled_max_minutes", "2"),
            ("frozen_max_minutes", "un'ora"),
            ("cooked_max_minutes", "60"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(tag(&html, "frozen_max_minutes").contains("aria-invalid=\"true\""));
    assert!(tag(&html, "cooked_max_minutes").contains("aria-invalid=\"false\""));
    // A number out of range is the rule's, marked the same way.
    let (s, _, html) = post_form(
        &app,
        &admin,
        "/surplus/settings",
        &[
            ("_csrf", &token),
            ("chilled_max_minutes", "2"),
            ("frozen_max_minutes", "60"),
            ("cooked_max_minutes", "60"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(tag(&html, "chilled_max_minutes").contains("aria-invalid=\"true\""));
    assert!(tag(&html, "chilled_max_minutes").contains("value=\"2\""));
    assert!(tag(&html, "frozen_max_minutes").contains("aria-invalid=\"false\""));
    let (_, after) = app.get(&admin, "/api/v1/surplus/settings").await;
    assert_eq!(after, before, "nothing written");

    let (s, location, html) = post_form(
        &app,
        &admin,
        "/surplus/settings",
        &[
            ("_csrf", &token),
            ("chilled_max_minutes", "45"),
            ("frozen_max_minutes", "60"),
            ("cooked_max_minutes", "30"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(location, "/surplus/settings?saved=1");
    let (_, after) = app.get(&admin, "/api/v1/surplus/settings").await;
    assert_eq!(
        after,
        json!({"chilled_max_minutes": 45, "frozen_max_minutes": 60, "cooked_max_minutes": 30})
    );
    let (_, _, html) = page(&app, Some(&admin), "/surplus/settings?saved=1").await;
    assert!(html.contains("id=\"settings-notice\""));
    assert!(tag(&html, "cooked_max_minutes").contains("value=\"30\""));
}

#[tokio::test]
async fn members_read_the_donors_and_neither_members_nor_drivers_write() {
    let app = TestApp::spawn().await;
    let t = town(&app).await;
    let id = create(&app, &t, donor(&t, 0, "frozen")).await;
    let member = app.login_as(Role::Member).await;
    let (s, _, html) = page(&app, Some(&member), "/surplus/donors").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("id=\"donor-{id}\"")));
    assert!(!html.contains("id=\"donor-new\""), "no writing for members");
    assert!(!html.contains(&format!("id=\"edit-{id}\"")));
    for path in [
        "/surplus/donors/new".to_string(),
        format!("/surplus/donors/{id}"),
        "/surplus/settings".to_string(),
        "/surplus/figures?year=2026".to_string(),
    ] {
        let (s, _, _) = page(&app, Some(&member), &path).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
    }
    // A post with the member's own form token is refused, and writes nothing.
    let token = csrf(&app, &member, "/surplus/donors").await;
    let place = t.donor_places[1].to_string();
    let centre = t.centre.to_string();
    let form: Vec<(&str, &str)> = vec![
        ("_csrf", &token),
        ("name", "Forno"),
        ("place_id", &place),
        ("start", "10:00"),
        ("end", "11:00"),
        ("weekdays", "mon"),
        ("gives", "pane"),
        ("food", "ambient"),
        ("expected_kg", "5"),
        ("receiving_place_id", &centre),
    ];
    let (s, _, _) = post_form(&app, &member, "/surplus/donors/new", &form).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = post_form(
        &app,
        &member,
        &format!("/surplus/donors/{id}/delete"),
        &[("_csrf", &token)],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = post_form(
        &app,
        &member,
        "/surplus/settings",
        &[
            ("_csrf", &token),
            ("chilled_max_minutes", "30"),
            ("frozen_max_minutes", "30"),
            ("cooked_max_minutes", "30"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A driver has no business here at all.
    let (_, driver) = app.driver_of(t.driver).await;
    for path in [
        "/surplus/donors",
        "/surplus/donors/new",
        "/surplus/settings",
    ] {
        let (s, _, _) = page(&app, Some(&driver), path).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
    }
    let (s, _, _) = post_form(&app, &driver, "/surplus/donors/new", &form).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let all = donors_in_api(&app, &t.planner).await;
    assert_eq!(all.len(), 1, "nothing written");
    let (_, settings) = app.get(&t.planner, "/api/v1/surplus/settings").await;
    assert_eq!(settings["chilled_max_minutes"], 60);
}
