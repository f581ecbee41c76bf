//! The audit page in Chromium: an admin opens it from the menu, filters by
//! the action `read` and sees only reads, the person read among them.

use giro::domain::Role;
use serde_json::json;

use crate::harness::Viewport;
use crate::suite::Suite;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_filters_the_audit_log_by_reads() {
    let s = Suite::start("audit").await;
    // A dispatcher reads a person's record: one read line.
    let dispatcher = s.app.login_as(Role::Dispatcher).await;
    let (_, people) = s.app.get(&dispatcher, "/api/v1/people").await;
    let id = people[0]["id"].as_i64().unwrap();
    let (status, _) = s
        .app
        .get(&dispatcher, &format!("/api/v1/people/{id}"))
        .await;
    assert_eq!(status, 200);

    let mut b = s.signed_in(Role::Admin, 0, Viewport::Desktop).await;
    b.goto("/board").await;
    b.click_to_navigate("a[href='/admin/audit']").await;
    assert_eq!(b.path().await, "/admin/audit");
    b.find("#audit").await;
    b.checkpoint("audit").await;

    // The filters start folded (a phone shows the lines first).
    let open = b
        .js(
            "return document.getElementById('audit-filters').open;",
            vec![],
        )
        .await;
    assert_eq!(open, json!(false));
    b.click("#audit-filters-toggle").await;
    b.select("#af-action", "read").await;
    b.click_to_navigate("#af-show").await;
    let shown = b
        .js(
            "return [...document.querySelectorAll('tr.audit-line')].map(r => \
               [r.dataset.action, r.dataset.entity, r.cells[5].textContent.trim(), \
                r.dataset.role, r.cells[2].textContent.trim(), r.cells[3].textContent.trim(), \
                r.cells[4].textContent.trim()]);",
            vec![],
        )
        .await;
    let rows = shown.as_array().unwrap();
    assert!(!rows.is_empty(), "{shown}");
    assert!(rows.iter().all(|r| r[0] == "read"), "{shown}");
    assert!(
        rows.contains(&json!([
            "read",
            "person",
            id.to_string(),
            "dispatcher",
            "centrale operativa",
            "lettura",
            "persona"
        ])),
        "the codes in data, the words on screen: {shown}"
    );
    // Filtered, the filters stay open with the choice shown in words.
    let chosen = b
        .js(
            "const s = document.getElementById('af-action'); \
             return [document.getElementById('audit-filters').open, s.value, \
                     s.options[s.selectedIndex].text];",
            vec![],
        )
        .await;
    assert_eq!(chosen, json!([true, "read", "lettura"]));
    b.checkpoint("audit-reads").await;
    b.close().await;
}
