//! Pages as a browser sees them: GET and form POST without following
//! redirects, the form token, and the pieces of markup tests look at.

use reqwest::{header, StatusCode};

use super::support::{As, TestApp};

/// A browser that does not follow redirects, so the tests see them.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn answer(res: reqwest::Response) -> (StatusCode, String, String) {
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

/// GETs a page in Italian; status, `Location` and body.
pub async fn page(app: &TestApp, who: Option<&As>, path: &str) -> (StatusCode, String, String) {
    let mut req = browser()
        .get(app.url(path))
        .header(header::ACCEPT_LANGUAGE, "it-IT,it;q=0.9");
    if let Some(w) = who {
        req = req.header(w.header.0, &w.header.1);
    }
    answer(req.send().await.unwrap()).await
}

/// POSTs a form as `who` (or signed out); status, `Location` and body.
pub async fn post_form<'a>(
    app: &TestApp,
    who: impl Into<Option<&'a As>>,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let mut req = browser()
        .post(app.url(path))
        .header(header::ACCEPT_LANGUAGE, "it-IT,it;q=0.9")
        .form(fields);
    if let Some(w) = who.into() {
        req = req.header(w.header.0, &w.header.1);
    }
    answer(req.send().await.unwrap()).await
}

/// The session's form token, from a signed-in page with a form.
pub async fn csrf(app: &TestApp, who: &As, path: &str) -> String {
    let (s, _, html) = page(app, Some(who), path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {html}");
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("a form token") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// The opening tag of the element with `id`.
pub fn tag<'h>(html: &'h str, id: &str) -> &'h str {
    let marker = format!("id=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no element {id}"));
    let open = html[..at].rfind('<').unwrap();
    &html[open..at + html[at..].find('>').unwrap()]
}

/// The markup of the element opened with `id` up to its `close` tag.
pub fn element<'h>(html: &'h str, id: &str, close: &str) -> &'h str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element {id}"));
    &html[at..at + html[at..].find(close).unwrap()]
}

/// The CSS behind `<link rel="stylesheet" href="…name">` on the page.
pub async fn stylesheet(app: &TestApp, html: &str, name: &str) -> String {
    let end = html
        .find(&format!("/{name}\""))
        .unwrap_or_else(|| panic!("the page links {name}"));
    let start = html[..end].rfind("href=\"").unwrap() + 6;
    let url = &html[start..end + name.len() + 1];
    let res = reqwest::get(app.url(url)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{url}");
    res.text().await.unwrap()
}
