//! The built site's files. `/pkg` holds the JS, the WASM chunks and the CSS; a release build
//! names each after its content (`lianxin.<hash>.wasm`), so a name never means two contents
//! and a browser may keep it for a year. Everything is served precompressed when the build
//! left `.br` and `.gz` beside it (`scripts/precompress.mjs`), brotli first.
//!
//! Pages themselves are never cached: they carry a person's data and a build's file names.

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::ServeDir;

/// How long a browser may keep an answer, from what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// A content-hashed build file: the same name is the same bytes forever.
    Immutable,
    /// A static file whose name does not change with its content (Leaflet, the icon): kept a
    /// day, then revalidated by its date.
    Day,
    /// Pages, server functions and everything else: asked for every time.
    NoStore,
}

impl CachePolicy {
    pub fn header(self) -> &'static str {
        match self {
            CachePolicy::Immutable => "public, max-age=31536000, immutable",
            CachePolicy::Day => "public, max-age=86400",
            CachePolicy::NoStore => "no-store",
        }
    }
}

/// The policy for a path on a site whose build hashed its file names (`hashed`) or not.
pub fn policy(path: &str, hashed: bool) -> CachePolicy {
    if let Some(file) = path.strip_prefix("/pkg/") {
        if hashed && has_hash(file) {
            CachePolicy::Immutable
        } else {
            CachePolicy::NoStore
        }
    } else if path.starts_with("/leaflet/") || path == "/favicon.svg" {
        CachePolicy::Day
    } else {
        CachePolicy::NoStore
    }
}

/// `name.<hash>.ext` with a hash as cargo-leptos writes it (MD5, URL-safe base64, 22 chars).
fn has_hash(file: &str) -> bool {
    let mut parts = file.rsplit('.');
    let _ext = parts.next();
    match parts.next() {
        Some(h) => {
            h.len() == 22
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && parts.next().is_some()
        }
        None => false,
    }
}

/// The hash file a release build leaves in the site root (`scripts/site.sh` puts it there), if
/// any: with it the pages name the hashed files.
pub fn hash_file(site_root: &Path) -> Option<PathBuf> {
    let f = site_root.join("hash.txt");
    f.is_file().then(|| std::fs::canonicalize(&f).unwrap_or(f))
}

/// `/pkg/*` from the site root, precompressed variants first. A name that is not there is a
/// plain 404 (a page from an older build asking for its chunks gets no page in their place).
pub fn pkg_service(site_root: &Path) -> ServeDir {
    ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip()
}

/// Other files of the site root (Leaflet, the icon), precompressed variants first.
pub fn public_service(site_root: &Path) -> ServeDir {
    ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
}

/// Sets `Cache-Control` from [`policy`] where the handler did not, and `Vary` on every file
/// whose encoding depended on the request.
pub async fn cache_headers(hashed: bool, req: Request, next: Next) -> Response {
    let policy = policy(req.uri().path(), hashed);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(policy.header()),
        );
    }
    if policy != CachePolicy::NoStore {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_build_files_are_immutable() {
        let h = "lianxin.xAhW2Yl8w6Hr5-xdE_e2lQ.wasm";
        assert_eq!(policy(&format!("/pkg/{h}"), true), CachePolicy::Immutable);
        // The same name from a build that did not hash is not to be trusted for a year.
        assert_eq!(policy(&format!("/pkg/{h}"), false), CachePolicy::NoStore);
        assert_eq!(policy("/pkg/lianxin.wasm", true), CachePolicy::NoStore);
        assert_eq!(
            policy("/pkg/lianxin.short.wasm", true),
            CachePolicy::NoStore
        );
        assert_eq!(
            policy("/pkg/xAhW2Yl8w6Hr5-xdE_e2lQ.wasm", true),
            CachePolicy::NoStore
        );
        assert_eq!(policy("/leaflet/leaflet.js", true), CachePolicy::Day);
        assert_eq!(policy("/report", true), CachePolicy::NoStore);
        assert_eq!(policy("/api/whoami", true), CachePolicy::NoStore);
    }
}
