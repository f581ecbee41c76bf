//! What every visited page must pass, at phone and desktop size: no serious or
//! critical axe-core violation, and no request to any host but 127.0.0.1. A
//! checkpoint also writes the screenshots.

use serde_json::Value as Json;

use crate::artifacts;
use crate::harness::{Browser, Viewport};

/// axe-core, vendored from npm (see vendor/axe-core/README.md).
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// The page's width when it is wider than the screen it is shown on. Measured
/// against the screen's own width: a mobile browser zooms out to fit a wider
/// page, and `innerWidth` then grows with it.
pub async fn wider_than_screen(b: &Browser) -> Option<u64> {
    let screen = b.viewport.size().0;
    let width = b
        .js("return document.documentElement.scrollWidth;", vec![])
        .await
        .as_u64()
        .expect("a width in pixels");
    (width > u64::from(screen) + 1).then_some(width)
}

/// Runs axe on the current document; returns the serious and critical
/// violations, one readable paragraph each.
pub async fn axe_violations(b: &Browser) -> Vec<String> {
    let loaded = b.js("return typeof window.axe === 'object';", vec![]).await;
    if loaded != true {
        b.js(&format!("{AXE}\n;return typeof window.axe;"), vec![])
            .await;
    }
    // target-size (WCAG 2.2) is off by default; the pages promise 44 px targets.
    let found = b
        .js(
            "return window.axe.run(document, {
                 resultTypes: ['violations'],
                 rules: {'target-size': {enabled: true}},
             }).then(r => r.violations);",
            vec![],
        )
        .await;
    found
        .as_array()
        .expect("axe returns a list")
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(describe)
        .collect()
}

fn describe(v: &Json) -> String {
    let nodes: Vec<String> = v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .take(5)
        .map(|n| {
            format!(
                "    at {}\n      {}",
                n["target"],
                n["failureSummary"]
                    .as_str()
                    .unwrap_or_default()
                    .replace('\n', "\n      ")
            )
        })
        .collect();
    format!(
        "[{}] {}: {} ({} element(s))\n  {}\n{}",
        v["impact"].as_str().unwrap_or("?"),
        v["id"].as_str().unwrap_or("?"),
        v["help"].as_str().unwrap_or_default(),
        v["nodes"].as_array().map_or(0, Vec::len),
        v["helpUrl"].as_str().unwrap_or_default(),
        nodes.join("\n")
    )
}

/// URLs whose host is not 127.0.0.1 (schemes that never touch the network,
/// such as `data:`, `blob:` and the browser's own `chrome:` pages, are fine).
pub fn foreign(urls: &[String]) -> Vec<String> {
    urls.iter()
        .filter(|u| match url::Url::parse(u) {
            Ok(url) => match url.scheme() {
                // Never the network: inline data, the browser's own pages.
                // (`chrome-untrusted:`: the new-tab page Chromium 148 loads at start.)
                "data" | "blob" | "about" | "chrome" | "chrome-untrusted" | "chrome-extension"
                | "devtools" => false,
                _ => url.host_str() != Some("127.0.0.1"),
            },
            Err(_) => true,
        })
        .cloned()
        .collect()
}

impl Browser {
    /// Fails the test if any request so far left 127.0.0.1.
    pub async fn assert_stays_local(&mut self) {
        let urls = self.requested_urls().await;
        let away = foreign(&urls);
        assert!(
            away.is_empty(),
            "{}: the browser requested URLs outside 127.0.0.1:\n  {}",
            self.test,
            away.join("\n  ")
        );
    }

    /// The page as it is now: scanned by axe and photographed at both sizes,
    /// and no request so far left the server. Returns to the current size.
    pub async fn checkpoint(&mut self, name: &str) {
        self.checkpoint_as(name, None).await;
    }

    /// A checkpoint whose screenshots are also the README's `<readme>-<size>.png`.
    pub async fn checkpoint_for_readme(&mut self, name: &str, readme: &str) {
        self.checkpoint_as(name, Some(readme)).await;
    }

    async fn checkpoint_as(&mut self, name: &str, readme: Option<&str>) {
        let start = self.viewport;
        let other = match start {
            Viewport::Phone => Viewport::Desktop,
            Viewport::Desktop => Viewport::Phone,
        };
        let mut failures = Vec::new();
        // The top of the page, whatever the flow scrolled to.
        self.js("window.scrollTo(0, 0); return true;", vec![]).await;
        for size in [start, other] {
            if self.viewport != size {
                self.set_viewport(size).await;
            }
            // Let layout settle at the new size before the picture and the scan.
            self.js(
                "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))));",
                vec![],
            )
            .await;
            let file = format!("{name}-{}.png", size.name());
            self.screenshot_to(&artifacts::dir().join(&self.test).join(&file))
                .await;
            if let (Some(dir), Some(readme)) = (artifacts::readme_dir(), readme) {
                self.screenshot_to(&dir.join(format!("{readme}-{}.png", size.name())))
                    .await;
            }
            // On a phone nothing may widen the page past the screen.
            if size == Viewport::Phone {
                if let Some(wide) = wider_than_screen(self).await {
                    failures.push(format!(
                        "{name} at phone size is {wide} px wide: wider than the screen"
                    ));
                }
            }
            for v in axe_violations(self).await {
                failures.push(format!("{} at {} px: {v}", name, size.name()));
            }
        }
        self.set_viewport(start).await;
        assert!(
            failures.is_empty(),
            "{}: accessibility violations (serious or critical) or a page wider than a phone on {} ({}):\n{}",
            self.test,
            name,
            self.path().await,
            failures.join("\n")
        );
        self.assert_stays_local().await;
    }
}
