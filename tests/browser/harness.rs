//! Headless Chromium over WebDriver: one chromedriver per test on a free port,
//! browser sessions with a temp profile, and the few Chromium extensions the
//! flows need (DevTools commands, the performance log) sent through the same
//! WebDriver connection.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::Method;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value as Json};
use tokio::sync::{Mutex, MutexGuard};

/// One browser at a time: the machines running the suite have two cores.
/// (tokio's lock: held across awaits, and no poisoning by a failed test.)
pub async fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::const_new(());
    LOCK.lock().await
}

/// A program on PATH (or the path in `var`); the suite refuses to run without it.
fn tool(var: &str, names: &[&str]) -> PathBuf {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "the browser suite needs {} on PATH (or {var}); on Debian: apt-get install chromium chromium-driver",
        names.join(" or ")
    )
}

pub fn chromium_binary() -> PathBuf {
    tool(
        "GIRO_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    )
}

fn chromedriver_binary() -> PathBuf {
    tool("GIRO_CHROMEDRIVER", &["chromedriver"])
}

fn unique(prefix: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A chromedriver process on a free local port, ended when dropped.
pub struct Chromedriver {
    child: Child,
    pub url: String,
}

impl Chromedriver {
    pub async fn start() -> Self {
        let binary = chromedriver_binary();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = crate::artifacts::dir().join("chromedriver.log");
        // Its own process group, so that ending it also ends every Chromium it
        // started, even when a test fails before closing its sessions.
        let child = Command::new(&binary)
            .process_group(0)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let driver = Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}/"),
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(res) = http.get(format!("{}status", driver.url)).send().await {
                let body: Json = res.json().await.unwrap_or_default();
                if body["value"]["ready"] == true {
                    return driver;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The two sizes every page is shown and scanned at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewport {
    Phone,
    Desktop,
}

impl Viewport {
    pub fn size(self) -> (u32, u32) {
        match self {
            Viewport::Phone => (360, 640),
            Viewport::Desktop => (1366, 900),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Viewport::Phone => "phone",
            Viewport::Desktop => "desktop",
        }
    }
}

/// A Chromium extension command on the current session (`/session/{id}/<path>`).
#[derive(Debug)]
struct Extension {
    path: &'static str,
    body: Json,
}

impl WebDriverCompatibleCommand for Extension {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (Method, Option<String>) {
        (Method::POST, Some(self.body.to_string()))
    }
}

/// One browser window signed in (or not) on the app under test.
pub struct Browser {
    pub client: Client,
    /// `http://127.0.0.1:<port>` of the app.
    pub base: String,
    /// The test's name: its screenshots go to a folder of that name.
    pub test: String,
    pub viewport: Viewport,
    /// Every network event of the performance log read so far.
    network: Vec<Json>,
    /// Service-worker targets under network emulation: (target, session).
    workers: Vec<(String, String)>,
    /// The relay the page is reached through, when the test cuts the signal.
    pub gate: Option<crate::gate::Gate>,
    profile: PathBuf,
}

impl Browser {
    /// A new headless Chromium with a fresh profile, at `viewport`.
    pub async fn open(driver: &Chromedriver, base: &str, test: &str, viewport: Viewport) -> Self {
        let profile = unique("giro-chromium");
        std::fs::create_dir_all(&profile).expect("temp profile");
        let (w, h) = viewport.size();
        let caps: Capabilities = serde_json::from_value(json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium_binary(),
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--metrics-recording-only",
                    "--hide-scrollbars",
                    "--lang=it-IT",
                    format!("--window-size={w},{h}"),
                    format!("--user-data-dir={}", profile.display()),
                ],
                "perfLoggingPrefs": {"enableNetwork": true, "enablePage": false},
                // Italian first, as for the volunteers; English is switched to.
                "prefs": {"intl.accept_languages": "it-IT,it"},
            },
            "goog:loggingPrefs": {"performance": "ALL"},
        }))
        .expect("capabilities");
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("chromium does not start through chromedriver: {e}"));
        let mut browser = Browser {
            client,
            base: base.trim_end_matches('/').to_string(),
            test: test.to_string(),
            viewport,
            network: Vec::new(),
            workers: Vec::new(),
            gate: None,
            profile,
        };
        browser.set_viewport(viewport).await;
        browser
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A DevTools command on the page's target.
    pub async fn cdp(&self, cmd: &str, params: Json) -> Json {
        self.client
            .issue_cmd(Extension {
                path: "goog/cdp/execute",
                body: json!({"cmd": cmd, "params": params}),
            })
            .await
            .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
    }

    /// The layout viewport at exactly `viewport`'s size (a phone also gets
    /// mobile emulation: the meta viewport and touch rules apply).
    pub async fn set_viewport(&mut self, viewport: Viewport) {
        let (width, height) = viewport.size();
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": viewport == Viewport::Phone}),
        )
        .await;
        self.viewport = viewport;
    }

    /// DevTools network emulation, offline or back online, for the page and
    /// for every service worker running now. The page's DevTools session does
    /// not cover a service worker (its own fetches still reached the server
    /// in the self-test), so each worker's target is attached and emulated too.
    pub async fn set_offline(&mut self, offline: bool) {
        // The relay first: no request gets through while DevTools catches up.
        if let Some(gate) = &self.gate {
            gate.set_cut(offline);
        }
        let conditions = json!({"offline": offline, "latency": 0,
                                "downloadThroughput": -1, "uploadThroughput": -1});
        self.cdp("Network.enable", json!({})).await;
        self.cdp("Network.emulateNetworkConditions", conditions.clone())
            .await;
        let targets = self.cdp("Target.getTargets", json!({})).await;
        for target in targets["targetInfos"].as_array().into_iter().flatten() {
            let id = target["targetId"].as_str().unwrap_or_default().to_string();
            if target["type"] != "service_worker" || self.workers.iter().any(|(t, _)| *t == id) {
                continue;
            }
            let attached = self
                .cdp(
                    "Target.attachToTarget",
                    json!({"targetId": id, "flatten": false}),
                )
                .await;
            let session = attached["sessionId"]
                .as_str()
                .expect("a session")
                .to_string();
            self.to_worker(&session, "Network.enable", json!({})).await;
            self.workers.push((id, session));
        }
        for (_, session) in self.workers.clone() {
            self.to_worker(
                &session,
                "Network.emulateNetworkConditions",
                conditions.clone(),
            )
            .await;
        }
    }

    /// A DevTools command to a worker's session (the non-flat protocol: the
    /// page's session relays it; the answer comes back as an event nobody reads).
    async fn to_worker(&self, session: &str, method: &str, params: Json) {
        use std::sync::atomic::{AtomicU64, Ordering};
        static ID: AtomicU64 = AtomicU64::new(1);
        let message =
            json!({"id": ID.fetch_add(1, Ordering::Relaxed), "method": method, "params": params});
        self.cdp(
            "Target.sendMessageToTarget",
            json!({"sessionId": session, "message": message.to_string()}),
        )
        .await;
    }

    pub async fn goto(&mut self, path: &str) {
        let url = self.url(path);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.wait_find(css, Duration::from_secs(10)).await
    }

    pub async fn wait_find(&self, css: &str, within: Duration) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(within)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no element {css:?} within {within:?}: {e}", self.test))
    }

    pub async fn all(&self, css: &str) -> Vec<fantoccini::elements::Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks something that loads a new document, and waits for it.
    pub async fn click_to_navigate(&self, css: &str) {
        self.js("window.__giroOldDocument = true; return true;", vec![])
            .await;
        self.click(css).await;
        self.wait_js(
            &format!("a new page after clicking {css}"),
            "return window.__giroOldDocument === undefined && document.readyState === 'complete';",
            Duration::from_secs(15),
        )
        .await;
    }

    /// Replaces the value of a field as a user typing would.
    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Sets a field's value as its picker would (date and time inputs take
    /// keys in the browser's locale format, so they are set directly) and
    /// fires the events a user's change fires.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.find(css).await;
        let done = self
            .js(
                "const el = document.querySelector(arguments[0]);
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('input', {bubbles: true}));
                 el.dispatchEvent(new Event('change', {bubbles: true}));
                 return el.value;",
                vec![json!(css), json!(value)],
            )
            .await;
        assert_eq!(done, json!(value), "{css} takes {value}");
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    /// Runs a script (a function body; a returned promise is awaited).
    pub async fn js(&self, script: &str, args: Vec<Json>) -> Json {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{}", &script[..script.len().min(300)]))
    }

    /// Waits until `script` returns something truthy, and returns it.
    pub async fn wait_js(&self, what: &str, script: &str, within: Duration) -> Json {
        let deadline = Instant::now() + within;
        loop {
            let v = self.js(script, vec![]).await;
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "{}: waited {within:?} for {what}",
                self.test
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Reads the performance log (it is drained by reading) into `network`.
    pub async fn read_network_log(&mut self) -> &[Json] {
        let entries = self
            .client
            .issue_cmd(Extension {
                path: "se/log",
                body: json!({"type": "performance"}),
            })
            .await
            .unwrap_or_else(|e| panic!("performance log: {e}"));
        for entry in entries.as_array().into_iter().flatten() {
            let Some(text) = entry["message"].as_str() else {
                continue;
            };
            let message: Json = serde_json::from_str(text).unwrap_or_default();
            let method = message["message"]["method"].as_str().unwrap_or_default();
            if method.starts_with("Network.") {
                self.network.push(message["message"].clone());
            }
        }
        &self.network
    }

    /// Every URL the browser asked for since it opened.
    pub async fn requested_urls(&mut self) -> Vec<String> {
        self.read_network_log()
            .await
            .iter()
            .filter(|m| m["method"] == "Network.requestWillBeSent")
            .filter_map(|m| m["params"]["request"]["url"].as_str().map(str::to_string))
            .collect()
    }

    /// The HTTP status of the last document loaded from `path` (a page's
    /// status is not visible to WebDriver otherwise).
    pub async fn document_status(&mut self, path: &str) -> Option<u16> {
        let want = self.url(path);
        self.read_network_log()
            .await
            .iter()
            .rev()
            .filter(|m| m["method"] == "Network.responseReceived")
            .filter(|m| m["params"]["type"] == "Document")
            .find(|m| m["params"]["response"]["url"].as_str() == Some(want.as_str()))
            .and_then(|m| m["params"]["response"]["status"].as_u64())
            .map(|s| s as u16)
    }

    /// Saves a PNG of the viewport.
    pub async fn screenshot_to(&self, file: &Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).expect("artifact folder");
        }
        std::fs::write(file, png).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    }
}
