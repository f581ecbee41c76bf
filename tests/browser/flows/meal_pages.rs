//! The meal pages in Chromium, each scanned and photographed: the kitchen's
//! lists of the demo day, printed with the production list on a page of its
//! own and then one route per page; the recipient form marking a bad field;
//! the meal settings; the surplus donors, a donor form marking a bad field,
//! the yearly figures and the surplus settings.

use std::time::Duration;

use giro::domain::Role;
use serde_json::json;

use crate::harness::Viewport;
use crate::suite::Suite;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kitchen_lists_print_one_route_per_page_and_the_recipient_form_marks_its_fields() {
    let s = Suite::start_on_a_service_day("meal-pages").await;
    let dispatcher = s.app.login_as(Role::Dispatcher).await;
    s.app.solve(&dispatcher, 3.0).await;
    let (_, packing) = s
        .app
        .get(
            &dispatcher,
            &format!("/api/v1/meals/{}/packing", s.app.date),
        )
        .await;
    let mut routes: Vec<i64> = packing["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["route_id"].as_i64().unwrap())
        .collect();
    routes.dedup();
    assert!(
        routes.len() >= 2,
        "the demo's meals ride two cars: {packing}"
    );

    let mut b = s.signed_in(Role::Dispatcher, 0, Viewport::Desktop).await;
    b.goto(&format!("/board/{}", s.app.date)).await;
    b.click_to_navigate("#kitchen-link").await;
    assert_eq!(b.path().await, format!("/board/{}/kitchen", s.app.date));
    b.find("#production-lines").await;
    b.checkpoint("kitchen").await;

    // On paper: no menu or buttons; the production list, then each route,
    // ends its page.
    b.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await;
    let printed = b
        .js(
            "const shown = el => !!el && el.getClientRects().length > 0;
             const pages = [...document.querySelectorAll('main > section')];
             return {
               header: shown(document.querySelector('header.top')),
               buttons: shown(document.querySelector('#production-csv')),
               ids: pages.map(p => p.id),
               breaks: pages.map(p => getComputedStyle(p).breakAfter),
             };",
            vec![],
        )
        .await;
    assert_eq!(printed["header"], false, "{printed}");
    assert_eq!(printed["buttons"], false, "{printed}");
    let mut ids = vec![json!("production")];
    ids.extend(routes.iter().map(|r| json!(format!("packing-{r}"))));
    assert_eq!(printed["ids"], json!(ids), "{printed}");
    let mut breaks = vec![json!("page"); routes.len()];
    breaks.push(json!("auto"));
    assert_eq!(
        printed["breaks"],
        json!(breaks),
        "the last page ends the document"
    );
    // The printed document: at least a page for production and one per route.
    let pdf = b
        .cdp("Page.printToPDF", json!({"preferCSSPageSize": true}))
        .await;
    let pages = b
        .js(
            "return (atob(arguments[0]).match(/\\/Type\\s*\\/Page(?![s\\w])/g) || []).length;",
            vec![pdf["data"].clone()],
        )
        .await;
    assert!(
        pages.as_u64().unwrap() > routes.len() as u64,
        "{pages} printed pages for {} routes",
        routes.len()
    );
    b.cdp("Emulation.setEmulatedMedia", json!({"media": ""}))
        .await;

    // A recipient whose delivery ends before it starts: the field is marked.
    b.goto("/meals/recipients").await;
    b.click_to_navigate("#recipient-new").await;
    let person = b
        .js(
            "return document.querySelector('#person_id option:not([value=\"\"])').value;",
            vec![],
        )
        .await;
    b.select("#person_id", person.as_str().unwrap()).await;
    b.set_value("#start", "12:00").await;
    b.set_value("#end", "11:00").await;
    b.fill("#meals_mon", "1").await;
    b.click("#diet-morbido").await;
    b.click_to_navigate("#submit-recipient").await;
    assert_eq!(b.document_status("/meals/recipients/new").await, Some(422));
    b.find("#form-errors").await;
    let marked = b
        .js(
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id);",
            vec![],
        )
        .await;
    assert_eq!(marked, json!(["end"]), "only the end is marked");
    b.checkpoint("meal-recipient-invalid").await;

    // Fixed, it is written and listed.
    b.set_value("#end", "13:00").await;
    b.click_to_navigate("#submit-recipient").await;
    b.wait_find("#recipients-notice", Duration::from_secs(10))
        .await;
    b.checkpoint("meal-recipients").await;
    b.click_to_navigate("a[id^='edit-']").await;
    b.find("#hold-form").await;
    b.checkpoint("meal-recipient").await;
    // On a phone the week's grid fits the screen: nothing scrolls sideways.
    b.set_viewport(Viewport::Phone).await;
    // Against the screen's width: a page wider than the screen is zoomed
    // out, and the document's own width grows with it.
    let wide = b
        .js(
            "const w = arguments[0];
             return [...document.querySelectorAll('main *')]
               .filter(e => e.getBoundingClientRect().right > w + 1)
               .map(e => e.tagName + '.' + e.className);",
            vec![json!(Viewport::Phone.size().0)],
        )
        .await;
    assert_eq!(wide, json!([]), "wider than a phone");
    b.set_viewport(Viewport::Desktop).await;
    // The person's data, from the recipient's page: everything giro holds,
    // its long lines within a phone's screen.
    let shown = b
        .js("return document.querySelector('#person_id').value;", vec![])
        .await;
    b.click_to_navigate("#recipient-export").await;
    assert_eq!(
        b.path().await,
        format!("/board/people/{}/export", shown.as_str().unwrap())
    );
    b.find("#export-json").await;
    b.checkpoint("person-export").await;

    b.goto("/meals/settings").await;
    b.find("#settings-form").await;
    b.checkpoint("meal-settings").await;

    // The surplus pages, reached from the meal pages: the demo's donors,
    // a donor form marking a bad field, the yearly figures.
    b.goto("/meals/recipients").await;
    b.click_to_navigate("#donors-link").await;
    assert_eq!(b.path().await, "/surplus/donors");
    b.find("#donors").await;
    b.checkpoint("surplus-donors").await;
    b.click_to_navigate("a[id^='edit-']").await;
    // No day at all.
    b.js(
        "document.querySelectorAll('input[name=weekdays]').forEach(e => e.checked = false); return true;",
        vec![],
    )
    .await;
    b.click_to_navigate("#submit-donor").await;
    b.find("#form-errors").await;
    let marked = b
        .js(
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id);",
            vec![],
        )
        .await;
    assert_eq!(marked, json!(["weekdays"]), "only the days are marked");
    b.checkpoint("surplus-donor-invalid").await;
    b.goto("/surplus/figures").await;
    b.find("#figures-table").await;
    b.checkpoint("surplus-figures").await;
    b.goto("/surplus/settings").await;
    b.find("#settings-form").await;
    b.checkpoint("surplus-settings").await;
    b.close().await;
}
