//! The router: Leptos pages and server functions, the other routes, and the layers in order.

use std::sync::Arc;

use app::ssr::{AppCtx, LogSms};
use app::{shell, App};
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use serde::Deserialize;
use sqlx::AnyPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use super::sessions::{DbSessionStore, SessionEnds};
use super::{AppState, WebConfig};
use crate::geo::locate::Locator;
use crate::realtime::live::Live;

/// With a hash file in the site root (a release build, `scripts/site.sh`) the pages name the
/// content-hashed files; without one (tests, a bare `cargo leptos build`) the plain names.
pub fn leptos_options(cfg: &WebConfig) -> LeptosOptions {
    let hash = super::assets::hash_file(&cfg.site_root);
    LeptosOptions::builder()
        .output_name("lianxin")
        .site_root(cfg.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(cfg.addr)
        .hash_files(hash.is_some())
        .hash_file(
            hash.map(|p| p.to_string_lossy().to_string())
                .unwrap_or_else(|| "hash.txt".into())
                .into(),
        )
        .build()
}

pub fn router(pool: AnyPool, cfg: &WebConfig) -> Router {
    router_with_live(pool, cfg, None).0
}

/// The router and its live hub (the background jobs publish through the same hub).
pub fn router_with_live(pool: AnyPool, cfg: &WebConfig, live: Option<Live>) -> (Router, Live) {
    let live = live.unwrap_or_else(|| Live::new(pool.clone()));
    let store = DbSessionStore::new(pool.clone());
    let session_ends = SessionEnds::new(store.clone());
    let state = AppState {
        leptos: leptos_options(cfg),
        ctx: AppCtx {
            pool: pool.clone(),
            tile_url: cfg.tile_url.clone(),
            sms: cfg.sms.clone().unwrap_or_else(|| Arc::new(LogSms)),
            notify: live.notifier(),
            session_ended: session_ends.notifier(),
            wechat_enabled: cfg.wechat.is_some(),
            public_url: cfg.public_url.clone(),
        },
        data_dir: cfg.data_dir.clone(),
        live: live.clone(),
        screens: crate::realtime::screens::ScreenHub::new(pool.clone(), live.clone()),
        locator: Locator::default(),
        limits: cfg.limits.clone().unwrap_or_default(),
        wechat: cfg.wechat.clone(),
        http: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap_or_default(),
        session_ends,
    };
    // The cookie and the stored row live up to the absolute limit; the idle limit is ours
    // (`sessions::slide`), so a busy user's cookie never runs out under them.
    let sessions = SessionManagerLayer::new(store)
        .with_name("lianxin_sid")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(cfg.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            app::domain::session::MAX_SECONDS,
        )));
    let routes = generate_route_list(App);
    let ctx = state.ctx.clone();
    let opts = state.leptos.clone();
    let limits = state.limits.clone();
    let hashed = state.leptos.hash_files;
    // Nine photos of up to 10 MB each, plus the text fields.
    let uploads = DefaultBodyLimit::max(9 * crate::http::photos::MAX_BYTES + 1024 * 1024);
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{code}", get(set_lang))
        .route("/report", post(crate::http::report::report).layer(uploads))
        .route(
            "/events/{id}/photos",
            post(crate::http::photos::upload).layer(uploads),
        )
        .route("/photos/{id}", get(crate::http::photos::serve))
        .route(
            "/party/meetings/{id}/photos",
            post(crate::http::meeting_photos::upload).layer(uploads),
        )
        .route(
            "/party/photos/{id}",
            get(crate::http::meeting_photos::serve),
        )
        .route(
            "/party/declarations",
            post(crate::http::declarations::upload).layer(uploads),
        )
        .route(
            "/party/declaration-photos/{id}",
            get(crate::http::declarations::serve),
        )
        .route(
            "/open/publish",
            post(crate::http::disclosures::publish).layer(uploads),
        )
        .route("/open/files/{id}", get(crate::http::disclosures::serve))
        .route("/jobs/demand.xlsx", get(crate::http::jobs_export::export))
        .route("/live", get(crate::realtime::live::sse))
        .route("/screen/live", get(crate::realtime::screens::sse))
        .route("/auth/wechat", get(crate::http::wechat::start))
        .route("/auth/wechat/callback", get(crate::http::wechat::callback))
        .nest_service("/pkg", super::assets::pkg_service(&cfg.site_root))
        .nest_service(
            "/leaflet",
            super::assets::public_service(&cfg.site_root.join("leaflet")),
        )
        .route_service(
            "/favicon.svg",
            super::assets::public_service(&cfg.site_root),
        )
        .route(
            "/api/{*fn_name}",
            get(unknown_server_fn).post(unknown_server_fn),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx.clone()),
            move || shell(opts.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            crate::http::limits::guard,
        ))
        .layer(axum::middleware::from_fn(crate::http::headers::api_errors))
        .layer(axum::middleware::from_fn(crate::http::csrf::guard))
        .layer(axum::middleware::from_fn(crate::http::sessions::slide))
        .layer(sessions)
        .layer(axum::middleware::from_fn(crate::http::headers::secure))
        .layer(axum::middleware::from_fn(
            move |req: Request, next: axum::middleware::Next| {
                super::assets::cache_headers(hashed, req, next)
            },
        ))
        // Pages, server functions and the map's 5,000 pins, brotli when asked; the build's files
        // come precompressed and are left as they are. SSE streams are left alone by the
        // default predicate so pushes are not held in a compressor's buffer.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state);
    (router, live)
}

/// Known server functions are routed by Leptos; what reaches this is a name nobody serves: a
/// 404 in the user's language, not Leptos's developer message.
async fn unknown_server_fn(req: Request<Body>) -> Response {
    crate::http::reply::error(&app::error::AppError::NotFound, req.headers(), "/")
}

async fn healthz(State(state): State<AppState>) -> Response {
    let db_ok = sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.ctx.pool)
        .await
        .is_ok();
    let body = serde_json::json!({
        "status": if db_ok { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "database": if db_ok { "reachable" } else { "unreachable" },
    });
    let code = if db_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body)).into_response()
}

#[derive(Deserialize)]
struct Back {
    back: Option<String>,
}

async fn set_lang(Path(code): Path<String>, Query(q): Query<Back>) -> Response {
    let Some(locale) = app::i18n::Locale::from_code(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.code()
    );
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(
            header::LOCATION,
            app::domain::nav::safe_back(q.back.as_deref(), "/"),
        )
        .header(header::SET_COOKIE, cookie)
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
