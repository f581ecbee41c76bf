//! Message catalogues: every word a page shows comes from `locales/<lang>/<area>.toml`,
//! Italian first, English available. A key `board.solve` is `solve` in `board.toml`.
//! Catalogues are embedded in the binary and parsed once.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use rust_embed::Embed;

/// Where the chosen language is remembered on the device.
pub const LANG_COOKIE: &str = "giro_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::It, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::It => "it",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The cookie's choice, else the first supported language the browser asks for, else Italian.
    pub fn choose(cookie: Option<&str>, accept: Option<&str>) -> Lang {
        if let Some(l) = cookie.and_then(Lang::parse) {
            return l;
        }
        let mut asked: Vec<(f32, Lang)> = accept
            .unwrap_or("")
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim().to_ascii_lowercase();
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let primary = tag.split('-').next()?;
                Lang::parse(primary).map(|l| (q, l))
            })
            .collect();
        asked.sort_by(|a, b| b.0.total_cmp(&a.0));
        asked.first().map_or(Lang::It, |(_, l)| *l)
    }
}

#[derive(Embed)]
#[folder = "locales/"]
struct Files;

type Catalog = HashMap<String, String>;

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (k, v) in table {
        let key = format!("{prefix}.{k}");
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out),
            other => panic!("locales: {key} is {other:?}, expected text"),
        }
    }
}

/// All catalogues, per language. A broken catalogue is a build defect the tests catch.
fn catalogs() -> &'static HashMap<Lang, Catalog> {
    static CATALOGS: OnceLock<HashMap<Lang, Catalog>> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        let mut all: HashMap<Lang, Catalog> =
            Lang::ALL.iter().map(|l| (*l, Catalog::new())).collect();
        for path in Files::iter() {
            let (lang, file) = path.split_once('/').expect("locales/<lang>/<area>.toml");
            let lang =
                Lang::parse(lang).unwrap_or_else(|| panic!("locales: unknown language {lang}"));
            let area = file
                .strip_suffix(".toml")
                .expect("locales: .toml files only");
            let bytes = Files::get(&path).expect("listed").data;
            let text = std::str::from_utf8(&bytes).expect("locales: UTF-8");
            let table: toml::Table =
                toml::from_str(text).unwrap_or_else(|e| panic!("locales/{path}: {e}"));
            flatten(area, &table, all.get_mut(&lang).expect("every language"));
        }
        all
    })
}

/// The keys of one language, for the completeness tests.
pub fn keys(lang: Lang) -> Vec<String> {
    let mut k: Vec<String> = catalogs()[&lang].keys().cloned().collect();
    k.sort();
    k
}

/// Translations in one language, for one request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The text of `key`; the key itself if missing (the tests forbid that).
    pub fn t<'k>(&self, key: &'k str) -> &'k str {
        match catalogs()[&self.lang].get(key) {
            // The catalogue lives for the whole program.
            Some(s) => {
                let s: &'static str = s.as_str();
                s
            }
            None => key,
        }
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn f(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let mut out = self.t(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }
}

impl Tr {
    /// Every text whose key starts with `prefix` (e.g. `driver.`), as JSON for a
    /// page's script: `{"driver.done": "Fatto", …}`.
    pub fn json_prefix(&self, prefix: &str) -> String {
        let subset: std::collections::BTreeMap<&str, &str> = catalogs()[&self.lang]
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        super::json_for_html(&subset)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let cookie = crate::api::cookie(&parts.headers, LANG_COOKIE);
        let accept = parts
            .headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        Ok(Tr::new(Lang::choose(cookie.as_deref(), accept)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_follows_the_cookie_then_the_browser_then_italian() {
        assert_eq!(Lang::choose(Some("en"), Some("it")), Lang::En);
        assert_eq!(
            Lang::choose(None, Some("de-DE,en-GB;q=0.8,it;q=0.5")),
            Lang::En
        );
        assert_eq!(Lang::choose(None, Some("it-IT,en;q=0.9")), Lang::It);
        assert_eq!(Lang::choose(Some("xx"), Some("fr")), Lang::It);
        assert_eq!(Lang::choose(None, None), Lang::It);
    }

    #[test]
    fn every_language_has_the_same_keys() {
        let it = keys(Lang::It);
        assert!(it.len() > 20, "the Italian catalogue has {} keys", it.len());
        for lang in Lang::ALL {
            let k = keys(lang);
            let missing: Vec<_> = it.iter().filter(|x| !k.contains(x)).collect();
            let extra: Vec<_> = k.iter().filter(|x| !it.contains(x)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang:?}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    /// Every key a template or a page module names exists, so no page shows a raw key.
    #[test]
    fn every_key_used_exists() {
        let it = keys(Lang::It);
        let mut used = Vec::new();
        let pattern = regex_lite_keys();
        for dir in ["templates", "src/web", "assets"] {
            for entry in walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) {
                if entry.ends_with("src/web/i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&entry).unwrap_or_default();
                for key in pattern(&text) {
                    used.push((entry.display().to_string(), key));
                }
            }
        }
        assert!(used.len() > 10, "found only {} keys in use", used.len());
        let unknown: Vec<_> = used.iter().filter(|(_, k)| !it.contains(k)).collect();
        assert!(
            unknown.is_empty(),
            "keys used but not in the catalogues: {unknown:?}"
        );
    }

    fn walk(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        if let Ok(rd) = std::fs::read_dir(&dir) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    out.extend(walk(p));
                } else {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Keys appear as `t("area.key"` / `f("area.key"` (templates, Rust) or `data-t="area.key"` (scripts).
    fn regex_lite_keys() -> impl Fn(&str) -> Vec<String> {
        |text: &str| {
            let mut keys = Vec::new();
            for marker in [".t(\"", ".f(\"", "tr(\"", "data-t=\""] {
                let mut rest = text;
                while let Some(i) = rest.find(marker) {
                    rest = &rest[i + marker.len()..];
                    let end = rest.find('"').unwrap_or(0);
                    let key = &rest[..end];
                    if key.contains('.') && !key.contains(['{', ' ', '$']) {
                        keys.push(key.to_string());
                    }
                }
            }
            keys
        }
    }
}
