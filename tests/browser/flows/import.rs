//! The import page in Chromium: a dispatcher opens it from the menu,
//! uploads a people file with a bad row and sees the row and column named
//! (nothing written), uploads the corrected file, confirms, and finds the
//! people in the list; scanned and photographed at each step.

use giro::domain::Role;
use serde_json::json;

use crate::harness::Viewport;
use crate::suite::Suite;

fn file(mobility: &str) -> String {
    format!(
        "Nome;Telefono;Mobilità;Casa;Indirizzo;Lat;Lon\r\n\
         Ida Caricata;+39 0185 111222;a piedi;Casa Caricata;Via Caricata 1, Sestri Levante;44,2705;9,3952\r\n\
         Ugo Caricato;;{mobility};Casa Caricata;;;\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatcher_imports_people_after_fixing_a_bad_row() {
    let s = Suite::start("import").await;
    let dispatcher = s.app.login_as(Role::Dispatcher).await;
    let (_, orgs) = s.app.get(&dispatcher, "/api/v1/organisations").await;
    let org = orgs[0]["id"].as_i64().unwrap();
    let people = |list: &serde_json::Value| list.as_array().unwrap().len();
    let (_, before) = s.app.get(&dispatcher, "/api/v1/people").await;
    let dir = crate::artifacts::dir().join("import");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("persone-errore.csv");
    let good = dir.join("persone.csv");
    std::fs::write(&bad, file("volare")).unwrap();
    std::fs::write(&good, file("sedia a rotelle")).unwrap();

    let mut b = s.signed_in(Role::Dispatcher, 0, Viewport::Desktop).await;
    b.goto("/board").await;
    b.click_to_navigate("header a[href='/board/import']").await;
    assert_eq!(b.path().await, "/board/import");
    b.find("#import-kind-people").await;
    b.checkpoint("import-form").await;

    b.select("#import-organisation", &org.to_string()).await;
    b.find("#import-file")
        .await
        .send_keys(bad.to_str().unwrap())
        .await
        .unwrap();
    b.click_to_navigate("#import-preview-button").await;
    let errors = b
        .js(
            "return [...document.querySelectorAll('tr.import-error')].map(r => [r.dataset.row, r.dataset.column]);",
            vec![],
        )
        .await;
    assert_eq!(errors, json!([["3", "Mobilità"]]));
    b.find("#import-errors-summary a[href='#import-error-1']")
        .await;
    assert!(b.all("#import-confirm").await.is_empty());
    let (_, now) = s.app.get(&dispatcher, "/api/v1/people").await;
    assert_eq!(people(&now), people(&before), "nothing written");
    b.checkpoint("import-errors").await;

    b.select("#import-organisation", &org.to_string()).await;
    b.find("#import-file")
        .await
        .send_keys(good.to_str().unwrap())
        .await
        .unwrap();
    b.click_to_navigate("#import-preview-button").await;
    b.find("#import-rows").await;
    let rows = b
        .js(
            "return [...document.querySelectorAll('#import-rows tbody tr')].map(r => r.cells[1].textContent);",
            vec![],
        )
        .await;
    assert_eq!(rows, json!(["Ida Caricata", "Ugo Caricato"]));
    b.checkpoint("import-preview").await;
    let (_, now) = s.app.get(&dispatcher, "/api/v1/people").await;
    assert_eq!(people(&now), people(&before), "a preview writes nothing");

    b.click_to_navigate("#import-confirm").await;
    b.find("#import-done").await;
    b.checkpoint("import-done").await;
    let (_, now) = s.app.get(&dispatcher, "/api/v1/people").await;
    assert_eq!(people(&now), people(&before) + 2);

    b.click_to_navigate("#import-see-list").await;
    let names = b
        .js(
            "return [...document.querySelectorAll('#import-list tbody th')].map(c => c.textContent);",
            vec![],
        )
        .await;
    let names: Vec<&str> = names
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Ida Caricata") && names.contains(&"Ugo Caricato"),
        "{names:?}"
    );
    b.checkpoint("import-list").await;
    b.close().await;
}
