//! The user's language: Chinese first, English complete. Chosen by the `lang` cookie, else by
//! Accept-Language; the server writes it into `<html lang>` and the browser reads it back from
//! there, so both render the same text.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        let c = code.trim().to_ascii_lowercase();
        if c.starts_with("zh") {
            Some(Locale::ZhCn)
        } else if c.starts_with("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The cookie wins; then the first language of Accept-Language we speak; then Chinese.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
        let from_cookie = cookie_header.and_then(|h| {
            h.split(';')
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Locale::from_code(v))
        });
        let from_accept = || {
            accept_language.and_then(|h| {
                h.split(',')
                    .filter_map(|part| Locale::from_code(part.split(';').next().unwrap_or("")))
                    .next()
            })
        };
        from_cookie.or_else(from_accept).unwrap_or(Locale::ZhCn)
    }
}

/// Determines the locale of this render. Only the source differs between server and browser.
pub fn detect_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = use_context::<http::request::Parts>() {
            let get = |name: http::header::HeaderName| {
                parts
                    .headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            return Locale::negotiate(
                get(http::header::COOKIE).as_deref(),
                get(http::header::ACCEPT_LANGUAGE).as_deref(),
            );
        }
    }
    #[cfg(feature = "hydrate")]
    {
        if let Some(lang) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
        {
            return Locale::from_code(&lang).unwrap_or(Locale::ZhCn);
        }
    }
    Locale::ZhCn
}

/// The page's locale; an island hydrated on its own (the villagers' build) has no `App` above
/// it to provide one, and reads it as the page was rendered.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(detect_locale)
}

/// Translates a key in a given locale (for responses made outside a Leptos render).
pub fn translate(key: &str, locale: Locale) -> String {
    rust_i18n::t!(key, locale = locale.code()).into_owned()
}

/// Translates a key in the current locale.
pub fn tr(key: &str) -> String {
    rust_i18n::t!(key, locale = use_locale().code()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn negotiation() {
        assert_eq!(Locale::negotiate(None, None), Locale::ZhCn);
        assert_eq!(Locale::negotiate(None, Some("en-US,en;q=0.9")), Locale::En);
        assert_eq!(
            Locale::negotiate(Some("a=b; lang=zh-CN"), Some("en")),
            Locale::ZhCn
        );
        assert_eq!(
            Locale::negotiate(Some("lang=en"), Some("zh-CN")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(None, Some("fr-FR,en;q=0.5")), Locale::En);
    }

    fn keys(v: &serde_yaml_ng::Value, prefix: &str, out: &mut BTreeSet<String>) {
        if let serde_yaml_ng::Value::Mapping(m) = v {
            for (k, v) in m {
                let k = k.as_str().unwrap_or_default();
                let full = if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                if v.is_mapping() {
                    keys(v, &full, out);
                } else {
                    out.insert(full);
                }
            }
        }
    }

    fn locale_keys(file: &str) -> BTreeSet<String> {
        let text =
            std::fs::read_to_string(format!("{}/locales/{file}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        let mut out = BTreeSet::new();
        keys(&v, "", &mut out);
        out.remove("_version");
        out
    }

    /// English must be complete: the same keys as Chinese, and every key used in code exists.
    #[test]
    fn locales_have_the_same_keys_and_cover_the_code() {
        let zh = locale_keys("zh-CN.yml");
        let en = locale_keys("en.yml");
        assert_eq!(zh, en, "zh-CN.yml and en.yml differ");
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut missing = Vec::new();
        for path in walk(std::path::Path::new(src)) {
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("tr(\"") {
                // Only the `tr` function itself, not `attr(` or `.str(`.
                let before = text[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let rest = &text[i + 4..];
                let key = &rest[..rest.find('"').unwrap()];
                if !zh.contains(key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from locales: {missing:?}");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
        out
    }
}
