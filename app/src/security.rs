//! The Content-Security-Policy and the other protective headers. A page's policy allows only
//! this site's scripts and the inline hydration scripts that carry the response's nonce, so a
//! script smuggled into the page by data would not run even if some view printed it as HTML.

/// For every answer that is not a rendered page (JSON, images, the small no-JS error pages).
pub const OTHER_POLICY: &str = "default-src 'self'; script-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'self'; form-action 'self'";

/// Sent with every answer.
pub const HEADERS: &[(&str, &str)] = &[
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "SAMEORIGIN"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "geolocation=(self), camera=(self), microphone=(), payment=()",
    ),
];

/// The origin (`https://host[:port]`) of a tile URL template, for `img-src`.
fn tile_origin(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split('/').next()?;
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '{' | '}'));
    // `{s}` subdomain templates become a wildcard.
    ok.then(|| format!("{scheme}://{}", host.replace("{s}", "*")))
        .filter(|o| !o.contains('{'))
}

/// The policy of a rendered page with this response's nonce.
pub fn page_policy(nonce: &str, tile_url: Option<&str>) -> String {
    let tiles = tile_url
        .and_then(tile_origin)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'self'; form-action 'self'"
    )
}

/// Puts the page's policy on the response being rendered (called from the shell, server only).
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    let Some(opts) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let Some(nonce) = leptos::nonce::use_nonce() else {
        tracing::error!("no nonce for the page: its scripts would be blocked");
        return;
    };
    let tiles = use_context::<crate::ssr::AppCtx>().and_then(|c| c.tile_url);
    if let Ok(v) = http::HeaderValue::from_str(&page_policy(&nonce.to_string(), tiles.as_deref())) {
        opts.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_add_their_origin_only() {
        assert_eq!(
            tile_origin("https://tiles.example/{z}/{x}/{y}.png").as_deref(),
            Some("https://tiles.example")
        );
        assert_eq!(
            tile_origin("https://{s}.tile.example:8080/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example:8080")
        );
        assert_eq!(tile_origin("javascript:alert(1)"), None);
        assert_eq!(tile_origin("https://a b/x"), None);
        let p = page_policy("abc", None);
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(p.contains("object-src 'none'") && p.contains("base-uri 'none'"));
        assert!(!p.contains("unsafe-eval'") || p.contains("wasm-unsafe-eval"));
    }
}
