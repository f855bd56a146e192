//! The one check every return address goes through (`?back=`, WeChat's state, sign-in's next
//! page): only a path on this site, never a way off it.
//!
//! Browsers forgive a lot when they resolve a `Location`: they drop tabs and newlines, read `\`
//! as `/`, and take `//host` as another site. So a path is accepted only if it starts with one
//! `/`, holds no control character, whitespace or backslash, and still does after one more
//! round of percent-decoding (so an encoded `%2F%2F`, `%5C` or `%09` is refused too).

const MAX_LEN: usize = 2048;

fn plain_path(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && !s
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// One round of `%XX` decoding; None when the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// `Some(path)` when `path` is a safe return address on this site.
pub fn safe_path(path: &str) -> Option<&str> {
    if path.len() > MAX_LEN || !plain_path(path) {
        return None;
    }
    let decoded = percent_decode(path)?;
    plain_path(&decoded).then_some(path)
}

/// The return address if it is safe, else `default`.
pub fn safe_back(back: Option<&str>, default: &str) -> String {
    back.and_then(safe_path).unwrap_or(default).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site() {
        let ok = [
            "/",
            "/org?node=3",
            "/events/12#timeline",
            "/report?q=%E4%BD%A0",
            "/scores?tab=members&period=2026-11",
        ];
        for p in ok {
            assert_eq!(safe_path(p), Some(p), "{p:?} should pass");
        }
        let refused = [
            "",
            "org",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/%09/127.0.0.1:3399/phish",
            "/%0a/evil.example",
            "/%2F%2Fevil.example",
            "/%2fevil.example",
            "/%5Cevil.example",
            "/%5c/evil.example",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "/\u{0}/evil",
            "https://evil.example",
            "http:/evil.example",
            " /org",
            "/org\\..\\evil",
            "/%ff%fe",
        ];
        for p in refused {
            assert_eq!(safe_path(p), None, "{p:?} should be refused");
        }
        assert_eq!(safe_path(&format!("/{}", "a".repeat(MAX_LEN))), None);
    }

    #[test]
    fn falls_back_to_the_default() {
        assert_eq!(safe_back(None, "/report"), "/report");
        assert_eq!(safe_back(Some("//evil"), "/"), "/");
        assert_eq!(safe_back(Some("/kpi"), "/"), "/kpi");
    }
}
