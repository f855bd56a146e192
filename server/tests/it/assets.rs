//! The built site as the browser gets it: brotli when asked (gzip otherwise, plain without
//! either), `Vary`, content-hashed files immutable for a year, pages never cached, and a file
//! of another build a plain 404 (no page in its place).

use axum::body::Body;
use axum::http::{header, Request};
use tower::ServiceExt;

use crate::common::http::config;
use crate::common::TestDb;

const WASM: &str = "lianxin.xAhW2Yl8w6Hr5-xdE_e2lQ.wasm";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join(WASM), b"plain-wasm").unwrap();
    std::fs::write(pkg.join(format!("{WASM}.br")), b"brotli-wasm").unwrap();
    std::fs::write(pkg.join(format!("{WASM}.gz")), b"gzip-wasm").unwrap();
    std::fs::write(
        dir.path().join("hash.txt"),
        "js: xAhW2Yl8w6Hr5-xdE_e2lQ\nwasm: xAhW2Yl8w6Hr5-xdE_e2lQ\ncss: xAhW2Yl8w6Hr5-xdE_e2lQ\n",
    )
    .unwrap();
    dir
}

async fn get(app: &axum::Router, path: &str, accept: Option<&str>) -> axum::response::Response {
    let mut req = Request::get(path);
    if let Some(a) = accept {
        req = req.header(header::ACCEPT_ENCODING, a);
    }
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn body(res: axum::response::Response) -> Vec<u8> {
    use http_body_util::BodyExt;
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

fn h(res: &axum::response::Response, name: header::HeaderName) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn brotli_when_asked_immutable_when_hashed() {
    let db = TestDb::sqlite().await;
    let dir = site();
    let mut cfg = config();
    cfg.site_root = dir.path().to_path_buf();
    let app = server::http::router(db.pool.clone(), &cfg);
    let path = format!("/pkg/{WASM}");

    let br = get(&app, &path, Some("gzip, deflate, br")).await;
    assert_eq!(br.status(), 200);
    assert_eq!(h(&br, header::CONTENT_ENCODING), "br");
    assert_eq!(
        h(&br, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(h(&br, header::VARY)
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert_eq!(body(br).await, b"brotli-wasm");

    let gz = get(&app, &path, Some("gzip")).await;
    assert_eq!(h(&gz, header::CONTENT_ENCODING), "gzip");
    assert_eq!(body(gz).await, b"gzip-wasm");

    let plain = get(&app, &path, None).await;
    assert_eq!(h(&plain, header::CONTENT_ENCODING), "");
    assert_eq!(body(plain).await, b"plain-wasm");

    // A chunk of an older build: not there, and no page in its place.
    let old = get(
        &app,
        "/pkg/report_route.zAhW2Yl8w6Hr5-xdE_e2lQ.wasm",
        Some("br"),
    )
    .await;
    assert_eq!(old.status(), 404);
    assert!(!h(&old, header::CONTENT_TYPE).contains("text/html"));

    // Pages carry a person's data and this build's file names: never kept.
    let page = get(&app, "/login", Some("br")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(h(&page, header::CACHE_CONTROL), "no-store");
    assert_eq!(h(&page, header::CONTENT_ENCODING), "br");
    let html = String::from_utf8(body(page).await).ok();
    // brotli-encoded: the page is not readable as is, which is the point; the plain request
    // shows the hashed names the browser will ask for.
    assert!(html.is_none() || !html.unwrap().contains("lianxin.wasm"));
    let page = get(&app, "/login", None).await;
    let html = String::from_utf8(body(page).await).unwrap();
    assert!(
        html.contains("/pkg/lianxin.xAhW2Yl8w6Hr5-xdE_e2lQ.js"),
        "{html}"
    );
    assert!(
        html.contains("/pkg/lianxin.xAhW2Yl8w6Hr5-xdE_e2lQ.css"),
        "{html}"
    );
    db.drop_db().await;
}

#[tokio::test]
async fn without_a_hash_file_nothing_is_immutable() {
    let db = TestDb::sqlite().await;
    let dir = site();
    std::fs::remove_file(dir.path().join("hash.txt")).unwrap();
    let mut cfg = config();
    cfg.site_root = dir.path().to_path_buf();
    let app = server::http::router(db.pool.clone(), &cfg);
    let res = get(&app, &format!("/pkg/{WASM}"), Some("br")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(h(&res, header::CACHE_CONTROL), "no-store");
    db.drop_db().await;
}

#[tokio::test]
async fn the_villagers_pages_name_their_own_build() {
    let db = TestDb::sqlite().await;
    let dir = site();
    std::fs::write(
        dir.path().join("villager.txt"),
        "js: vIlLaGeRjs0123456789ab\nwasm: vIlLaGeRwasm0123456789\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tracker.txt"),
        "js: tRaCkErjs0123456789abc\nwasm: tRaCkErwasm0123456789\n",
    )
    .unwrap();
    let mut cfg = config();
    cfg.site_root = dir.path().to_path_buf();
    let app = server::http::router(db.pool.clone(), &cfg);
    for path in ["/", "/login", "/report", "/summary", "/events/1"] {
        let html = String::from_utf8(body(get(&app, path, None).await).await).unwrap();
        // An event's page has its own small build, so the report form's does not carry it.
        let (js, wasm) = if path.starts_with("/events/") {
            (
                "/pkg/tracker.tRaCkErjs0123456789abc.js",
                "/pkg/tracker.tRaCkErwasm0123456789.wasm",
            )
        } else {
            (
                "/pkg/villager.vIlLaGeRjs0123456789ab.js",
                "/pkg/villager.vIlLaGeRwasm0123456789.wasm",
            )
        };
        assert!(html.contains(js) && html.contains(wasm), "{path}: {html}");
        assert!(
            !html.contains(if path.starts_with("/events/") {
                "villager."
            } else {
                "tracker."
            }),
            "{path}"
        );
        assert!(
            !html.contains("/pkg/lianxin.xAhW2Yl8w6Hr5-xdE_e2lQ.js"),
            "{path}"
        );
        // Only the report form and the event are islands: sign-in, home and the summary fetch
        // no WASM before it is needed.
        assert_eq!(
            html.contains("rel=\"modulepreload\""),
            path == "/report" || path == "/events/1",
            "{path}"
        );
        // The stylesheet is the one build's either way.
        assert!(
            html.contains("/pkg/lianxin.xAhW2Yl8w6Hr5-xdE_e2lQ.css"),
            "{path}"
        );
    }
    // Any other page is the full build's.
    for path in ["/password", "/console", "/events/1/x"] {
        let html = String::from_utf8(body(get(&app, path, None).await).await).unwrap();
        assert!(
            html.contains("/pkg/lianxin.xAhW2Yl8w6Hr5-xdE_e2lQ.js"),
            "{path}: {html}"
        );
        assert!(
            !html.contains("villager.") && !html.contains("tracker."),
            "{path}: {html}"
        );
    }
    db.drop_db().await;
}
